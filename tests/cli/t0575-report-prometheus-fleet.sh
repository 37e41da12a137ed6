#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
test_description='leaky report --prometheus on six hours of a synthetic
fleet backfilled into a real Prometheus: each instance gets the verdict a
careful reader gives its curves (tests/fixtures/fleet/expected.txt)'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/cli/prom-lib.sh"

ROOT=$(cd "$TEST_DIRECTORY/.." && pwd)
EXPECTED="$FIXTURES/fleet/expected.txt"
# The window ends on the last whole minute: the fleet scan's --since 6h
# then covers all of it.
END=$(date +%s)
END=$((END - END % 60))

# prom_start runs in the script's own shell (its trap and pid stay here).
need_prometheus || exit 1
sh "$ROOT/scripts/fleet-backfill.sh" "$TRASH/prom-data" -end "$END" \
	>backfill.out || exit 1
printf 'global:\n  scrape_interval: 60s\n' >prom.yml
PROM_KEEP_DATA=1 prom_start prom.yml || exit 1

# "== JOB/INSTANCE: VERDICT" per target, all of them with --all; "not
# enough data" is expected.txt's nodata.
test_expect_success 'the scan says leak and exits 3' '
	test_expect_code 3 leaky report --prometheus "$PROM" --since 6h \
		--all >report.txt 2>err &&
	sed -n -e "s/^== \([^ ]*\): not enough data.*/\1 nodata/p" \
		-e "s/^== \([^ ]*\): \([a-z]*\)\$/\1 \2/p" report.txt |
		sort >got &&
	grep -v "^#" "$EXPECTED" |
		awk "NF { print \$4 \"/\" \$1, \$3 }" | sort >want &&
	test_cmp want got
'

test_expect_success 'the verdict line counts the leaking instances' '
	n=$(grep -v "^#" "$EXPECTED" | awk "\$3 == \"leak\"" | wc -l) &&
	test_grep "^verdict: leak ($n of " report.txt
'

test_expect_success 'without --all the ok instances are one line' '
	n=$(grep -v "^#" "$EXPECTED" | awk "\$3 == \"ok\"" | wc -l) &&
	test_expect_code 3 leaky report --prometheus "$PROM" --since 6h \
		>short.txt 2>err &&
	test_grep "^$n targets ok (--all shows them)$" short.txt &&
	! grep "^== .*: ok$" short.txt &&
	test "$(grep -c "^== " short.txt)" = $(($(grep -c "^== " report.txt) - n))
'

test_expect_success 'the young instance: not judged, unless --min-age 0' '
	test_expect_code 3 leaky report --prometheus "$PROM" --since 6h \
		--match "{instance=\"young:8080\"}" --min-age 0 --all \
		>young.txt 2>err &&
	test_grep "^== worker/young:8080: leak$" young.txt &&
	# judged by none of its instances, a scan gives CI no verdict
	test_expect_code 4 leaky report --prometheus "$PROM" --since 6h \
		--match "{instance=\"young:8080\"}" --all >young.txt 2>err &&
	test_grep "^== worker/young:8080: not enough data (seen for less than 1h: too young to judge)$" young.txt &&
	test_grep "^leaky report: no instance could be judged (not enough data, or too young): exit 4 (--allow-no-data passes)$" err &&
	test_expect_code 0 leaky report --prometheus "$PROM" --since 6h \
		--match "{instance=\"young:8080\"}" --allow-no-data >young.txt 2>err
'

test_done
