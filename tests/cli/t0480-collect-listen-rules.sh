#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# configs/prometheus/: the scrape configuration for leaky collectors and
# the alert rules on their metrics, as promtool checks and tests them.
test_description='configs/prometheus: scrape configuration and alert rules'
. "$(dirname "$0")/test-lib.sh"

P="$TEST_DIRECTORY/../configs/prometheus"
if ! command -v promtool >/dev/null; then
	say "promtool not found (make deps installs Debian's prometheus)" >&2
	exit 1
fi

test_expect_success 'promtool check config: the scrape configuration' '
	promtool check config "$P/prometheus.yml" >out 2>&1 &&
	test_grep "SUCCESS: .*prometheus.yml is valid" out
'

test_expect_success 'promtool check rules: the alert rules' '
	promtool check rules "$P/leaky-rules.yml" >out 2>&1 &&
	test_grep "SUCCESS: 4 rules found" out
'

test_expect_success 'promtool test rules: leak, collector down, target failing, OOM kill' '
	promtool test rules "$P/leaky-rules.test.yml" >out 2>&1 &&
	test_grep "SUCCESS" out
'

# The rules must select what the collector serves: every metric they name
# is one of its metric families (the exporter's help text is the list).
test_expect_success 'the rules name only metrics the collector serves' '
	grep -o "leaky_[a-z_]*" "$P/leaky-rules.yml" | sort -u >named &&
	grep -o "\"leaky_[a-z_]*\"" "$TEST_DIRECTORY/../src/fleet/exporter.c" |
		tr -d "\"" | sed "s/\$/_total/" >served &&
	grep -o "\"leaky_[a-z_]*\"" "$TEST_DIRECTORY/../src/fleet/exporter.c" |
		tr -d "\"" >>served &&
	sort -u served -o served &&
	comm -23 named served >unknown &&
	test_line_count = 0 unknown
'

test_expect_success 'the file_sd path, pointed at the example, is found' '
	cp "$P/leaky-collectors.json" sd.json &&
	sed -e "s|/etc/prometheus/leaky-collectors/\*.json|$PWD/sd.json|" \
		-e "/^rule_files:/,/^$/d" "$P/prometheus.yml" >p.yml &&
	promtool check config p.yml >out 2>&1 &&
	! grep -q WARNING out
'

test_done
