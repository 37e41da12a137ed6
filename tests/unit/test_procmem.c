/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: pmap tables of several column sets, smaps, rollup, status. */
#include "unit.h"

#include <unistd.h>

#include "out/memcsv.h"
#include "decode/procmem.h"

#define U PROCMEM_UNKNOWN

/* Every measure in memcsv_columns order: size rss pss dirty anon file
 * swap heap stack. */
static void assert_kb(const struct procmem *pm, const int64_t *want)
{
	int i;

	for (i = 0; i < PM_NMEASURES; i++) {
		if (pm->kb[i] != want[i])
			print_error("%s: got %lld, want %lld\n",
				    memcsv_columns[i + 1],
				    (long long)pm->kb[i], (long long)want[i]);
		assert_int_equal(pm->kb[i], want[i]);
	}
}

static struct procmem *parse(const char *text)
{
	return procmem_parse("t", text, strlen(text));
}

/*
 * Parses text that must fail; returns what went to stderr (caller frees).
 */
static char *parse_error(const char *text, size_t len)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	struct procmem *pm;
	char *msg;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	pm = procmem_parse("t", text, len);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fseek(tmp, 0, SEEK_END);
	msg = slurp(tmp);
	fclose(tmp);
	if (pm)
		print_error("parsed, but should not have: %s\n", text);
	assert_null(pm);
	return msg;
}

static void expect_error(const char *text, const char *want)
{
	char *msg = parse_error(text, strlen(text));

	if (!strstr(msg, want))
		print_error("message '%s' lacks '%s'\n", msg, want);
	assert_non_null(strstr(msg, want));
	free(msg);
}

/*
 * procps-ng 3.3 and 4 "pmap -x": [heap] shows as "[ anon ]", so heap_kb
 * is unknown; anon_kb is the RSS of mappings without a file.
 * size 2544+4096+38980+132+4 = 45756, rss 2416+3396+1532+16 = 7360,
 * dirty 3396+1532+16 = 4944, anon 3396+1532+16+0 = 4944, file 2416.
 */
static const char pmap_x[] =
	"1234:   /usr/bin/svc -flag\n"
	"Address           Kbytes     RSS   Dirty Mode  Mapping\n"
	"0000000000400000    2544    2416       0 r-x-- svc\n"
	"000000c000000000    4096    3396    3396 rw---   [ anon ]\n"
	"00007f484f1ef000   38980    1532    1532 rw---   [ anon ]\n"
	"00007ffc62da4000     132      16      16 rw---   [ stack ]\n"
	"ffffffffff600000       4       0       0 --x--   [ anon ]\n"
	"---------------- ------- ------- ------- \n"
	"total kB           45756    7360    4944\n";

static void procps_pmap_x(void **state)
{
	static const int64_t want[] = {
		45756, 7360, U, 4944, 4944, 2416, U, U, 16
	};
	struct procmem *pm = parse(pmap_x);

	(void)state;
	assert_non_null(pm);
	assert_int_equal(pm->format, PROCMEM_PMAP_X);
	assert_int_equal(pm->pid, 1234);
	assert_kb(pm, want);
	assert_int_equal(pm->nmappings, 5);
	assert_int_equal(pm->mappings[0].address, 0x400000);
	assert_string_equal(pm->mappings[0].name, "svc");
	assert_string_equal(pm->mappings[0].mode, "r-x--");
	assert_int_equal(pm->mappings[0].size_kb, 2544);
	assert_int_equal(pm->mappings[0].rss_kb, 2416);
	assert_int_equal(pm->mappings[0].dirty_kb, 0);
	assert_string_equal(pm->mappings[1].name, "[ anon ]");
	assert_int_equal(pm->mappings[1].address, 0xc000000000);
	assert_string_equal(pm->mappings[3].name, "[ stack ]");
	assert_int_equal(pm->mappings[4].address, 0xffffffffff600000);
	procmem_free(pm);
}

/*
 * busybox and toybox "pmap -x": Kbytes PSS Dirty Swap, no RSS; Mode is
 * the kernel's "rw-p", names are the kernel's ([heap]), the total line
 * has no "kB". size 24+1048576+132 = 1048732, pss 24+1048576+8 =
 * 1048608, dirty 0+1048576+8 = 1048584, swap 4; nothing resident.
 */
static void busybox_pmap_x(void **state)
{
	static const char text[] =
		"1: mem -n 1024\n"
		"Address\t\t  Kbytes     PSS   Dirty    Swap  Mode  Mapping\n"
		"000055c423976000      24      24       0       0  r-xp  "
		"/usr/local/bin/mem\n"
		"000055c4251e2000 1048576 1048576 1048576       0  rw-p  "
		"[heap]\n"
		"00007fffaa5c8000     132       8       8       4  rw-p  "
		"[stack]\n"
		"----------------  ------  ------  ------  ------\n"
		"total\t\t 1048732 1048608 1048584       4\n";
	static const int64_t want[] = {
		1048732, U, 1048608, 1048584, U, U, 4, U, U
	};
	struct procmem *pm = parse(text);

	(void)state;
	assert_non_null(pm);
	assert_int_equal(pm->pid, 1);
	assert_kb(pm, want);
	assert_int_equal(pm->nmappings, 3);
	assert_string_equal(pm->mappings[1].name, "[heap]");
	assert_string_equal(pm->mappings[1].mode, "rw-p");
	assert_int_equal(pm->mappings[1].rss_kb, U);
	assert_int_equal(pm->mappings[1].dirty_kb, 1048576);
	procmem_free(pm);
}

/*
 * procps 3.2's "pmap -x": Address Kbytes RSS Anon Locked; an Anon column
 * wins over the names: anon 0+20+12 = 32, file 432-32 = 400.
 */
static void anon_column(void **state)
{
	static const char text[] =
		"4242:   bash\n"
		"Address   Kbytes     RSS    Anon  Locked Mode   Mapping\n"
		"08048000     656     400       0       0 r-x--  bash\n"
		"08211000      20      20      20       0 rw---    [ anon ]\n"
		"bfb8c000      84      12      12       0 rw---    [ stack ]\n"
		"-------- ------- ------- ------- -------\n"
		"total kB     760     432      32       0\n";
	static const int64_t want[] = { 760, 432, U, U, 32, 400, U, U, 12 };
	struct procmem *pm = parse(text);

	(void)state;
	assert_non_null(pm);
	assert_kb(pm, want);
	assert_string_equal(pm->mappings[0].name, "bash");
	assert_int_equal(pm->mappings[0].address, 0x08048000);
	procmem_free(pm);
}

/* procps 3.2.7 printed "-" where it knew nothing: those stay unknown. */
static void dashes(void **state)
{
	static const char text[] =
		"4242:   bash\n"
		"Address   Kbytes     RSS    Anon  Locked Mode   Mapping\n"
		"08048000     656       -       -       - r-x--  bash\n"
		"08211000      20       -       -       - rw---    [ anon ]\n"
		"bfb8c000      84       -       -       - rw---    [ stack ]\n"
		"-------- ------- ------- ------- -------\n"
		"total kB     760       -       -       -\n";
	static const int64_t want[] = { 760, U, U, U, U, U, U, U, U };
	struct procmem *pm = parse(text);

	(void)state;
	assert_non_null(pm);
	assert_kb(pm, want);
	assert_int_equal(pm->mappings[2].rss_kb, U);
	assert_int_equal(pm->mappings[2].size_kb, 84);
	procmem_free(pm);
}

/*
 * procps-ng 4 "pmap -X" (columns trimmed): the kernel's names, an empty
 * one for anonymous memory, numbers right-aligned under a rule, "KB".
 * size 188+260+52+132 = 632, rss 100+208+24+20 = 352, pss 50+166+24+12 =
 * 252, anon 0+208+24+20 = 252, file 100, swap 4, heap 208, stack 20.
 */
static void procps_pmap_X(void **state)
{
	static const char text[] =
		"8672:   bash\n"
		"         Address Perm   Offset Device  Inode Size  Rss  Pss "
		"Referenced Anonymous Swap Locked THPeligible Mapping\n"
		"    556173461000 r--p 00000000  fe:00 247101  188  100   50 "
		"       100         0    0      0           0 bash\n"
		"    5561a55f8000 rw-p 00000000  00:00      0  260  208  166 "
		"       208       208    4      0           0 [heap]\n"
		"    7f3505000000 rw-p 00000000  00:00      0   52   24   24 "
		"        24        24    0      0           0 \n"
		"    7ffd8d870000 rw-p 00000000  00:00      0  132   20   12 "
		"        16        20    0      0           0 [stack]\n"
		"                                             ==== ==== ==== "
		"========== ========= ==== ====== =========== \n"
		"                                              632  352  252 "
		"       348       252    4      0           0 KB \n";
	static const int64_t want[] = {
		632, 352, 252, U, 252, 100, 4, 208, 20
	};
	struct procmem *pm = parse(text);

	(void)state;
	assert_non_null(pm);
	assert_kb(pm, want);
	assert_int_equal(pm->nmappings, 4);
	assert_string_equal(pm->mappings[2].name, "");
	assert_string_equal(pm->mappings[2].mode, "rw-p");
	assert_int_equal(pm->mappings[2].address, 0x7f3505000000);
	assert_int_equal(pm->mappings[2].dirty_kb, U);
	procmem_free(pm);
}

/*
 * "pmap -XX": VmFlags is a run of two-letter words before the mapping;
 * dirty is Shared_Dirty + Private_Dirty (4 + 220 = 224). No [stack] row
 * in a table of kernel names: stack 0.
 */
static void procps_pmap_XX(void **state)
{
	static const char text[] =
		"5:   prog\n"
		"         Address Perm   Offset Device  Inode Size  Rss "
		"Shared_Dirty Private_Dirty Anonymous              VmFlags "
		"Mapping\n"
		"    556173461000 r--p 00000000  fe:00 247101  188  100 "
		"           0             0         0          rd mr mw me "
		"prog\n"
		"    5561a55f8000 rw-p 00000000  00:00      0  260  208 "
		"           0           200       208    rd wr mr mw me ac "
		"[heap]\n"
		"    7f3505000000 rw-p 00000000  00:00      0   52   24 "
		"           4            20        24    rd wr mr mw me ac \n"
		"                                             ==== ==== "
		"============ ============= ========= \n"
		"                                              500  332 "
		"           4           220       232 KB \n";
	static const int64_t want[] = { 500, 332, U, 224, 232, 100, U, 208, 0 };
	struct procmem *pm = parse(text);

	(void)state;
	assert_non_null(pm);
	assert_kb(pm, want);
	assert_string_equal(pm->mappings[0].name, "prog");
	assert_string_equal(pm->mappings[1].name, "[heap]");
	assert_int_equal(pm->mappings[1].dirty_kb, 200);
	assert_string_equal(pm->mappings[2].name, "");
	procmem_free(pm);
}

/* Plain "pmap": sizes with a K, no header, " total NK"; CRLF is fine. */
static void plain_pmap(void **state)
{
	static const char text[] =
		"21511:   /opt/lab -x\r\n"
		"0000000000400000   2544K r-x-- lab\r\n"
		"000000c000000000   4096K rw---   [ anon ]\r\n"
		"00007ffc62da4000    132K rw---   [ stack ]\r\n"
		" total             6772K\r\n";
	static const int64_t want[] = { 6772, U, U, U, U, U, U, U, U };
	struct procmem *pm = parse(text);

	(void)state;
	assert_non_null(pm);
	assert_int_equal(pm->format, PROCMEM_PMAP);
	assert_int_equal(pm->pid, 21511);
	assert_kb(pm, want);
	assert_int_equal(pm->nmappings, 3);
	assert_string_equal(pm->mappings[1].name, "[ anon ]");
	assert_int_equal(pm->mappings[1].size_kb, 4096);
	assert_int_equal(pm->mappings[1].rss_kb, U);
	assert_string_equal(pm->mappings[2].mode, "rw---");
	procmem_free(pm);
}

/* "pmap -d" and busybox's plain pmap end with "mapped: NK ...". */
static void pmap_d(void **state)
{
	static const char text[] =
		"77:   /opt/lab\n"
		"Address           Kbytes Mode  Offset           Device    "
		"Mapping\n"
		"0000000000400000    2544 r-x-- 0000000000000000 0fd:00000 "
		"lab\n"
		"000000c000000000    4096 rw--- 0000000000000000 000:00000   "
		"[ anon ]\n"
		"mapped: 6640K    writeable/private: 4096K    shared: 0K\n";
	static const int64_t want[] = { 6640, U, U, U, U, U, U, U, U };
	struct procmem *pm = parse(text);

	(void)state;
	assert_non_null(pm);
	assert_kb(pm, want);
	assert_string_equal(pm->mappings[1].name, "[ anon ]");
	procmem_free(pm);
}

/*
 * smaps: sums over mappings; dirty = Shared_Dirty + Private_Dirty;
 * file = Rss - Anonymous; heap and stack are their mappings' Rss.
 * size 4+132+132 = 268, rss 4+16+12 = 32, pss 2+16+12 = 30,
 * dirty (0+0)+(0+16)+(4+8) = 28, anon 0+16+12 = 28, file 4, swap 8.
 */
static const char smaps[] =
	"00400000-00401000 r-xp 00000000 fe:00 123                  "
	"/usr/bin/prog\n"
	"Size:                  4 kB\n"
	"KernelPageSize:        4 kB\n"
	"Rss:                   4 kB\n"
	"Pss:                   2 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Dirty:         0 kB\n"
	"Anonymous:             0 kB\n"
	"Swap:                  0 kB\n"
	"THPeligible:           0\n"
	"VmFlags: rd ex mr mw me\n"
	"01000000-01021000 rw-p 00000000 00:00 0                    "
	"[heap]\n"
	"Size:                132 kB\n"
	"KernelPageSize:        4 kB\n"
	"Rss:                  16 kB\n"
	"Pss:                  16 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Dirty:        16 kB\n"
	"Anonymous:            16 kB\n"
	"Swap:                  8 kB\n"
	"THPeligible:           0\n"
	"VmFlags: rd wr mr mw me ac\n"
	"7ffc62da4000-7ffc62dc5000 rw-p 00000000 00:00 0            "
	"[stack]\n"
	"Size:                132 kB\n"
	"KernelPageSize:        4 kB\n"
	"Rss:                  12 kB\n"
	"Pss:                  12 kB\n"
	"Shared_Dirty:          4 kB\n"
	"Private_Dirty:         8 kB\n"
	"Anonymous:            12 kB\n"
	"Swap:                  0 kB\n"
	"THPeligible:           0\n"
	"VmFlags: rd wr mr mw me gd ac\n";

static void smaps_full(void **state)
{
	static const int64_t want[] = { 268, 32, 30, 28, 28, 4, 8, 16, 12 };
	struct procmem *pm = parse(smaps);

	(void)state;
	assert_non_null(pm);
	assert_int_equal(pm->format, PROCMEM_SMAPS);
	assert_int_equal(pm->pid, U);
	assert_kb(pm, want);
	assert_int_equal(pm->nmappings, 3);
	assert_string_equal(pm->mappings[0].name, "/usr/bin/prog");
	assert_string_equal(pm->mappings[0].mode, "r-xp");
	assert_int_equal(pm->mappings[2].address, 0x7ffc62da4000);
	assert_int_equal(pm->mappings[2].size_kb, 132);
	assert_int_equal(pm->mappings[2].rss_kb, 12);
	assert_int_equal(pm->mappings[2].dirty_kb, 12);
	procmem_free(pm);
}

/* The same process in smaps_rollup and status: the same rss and anon. */
static const char rollup[] =
	"00400000-7ffc62dc5000 ---p 00000000 00:00 0                  "
	"[rollup]\n"
	"Rss:                  32 kB\n"
	"Pss:                  30 kB\n"
	"Pss_Anon:             28 kB\n"
	"Shared_Dirty:          4 kB\n"
	"Private_Dirty:        24 kB\n"
	"Anonymous:            28 kB\n"
	"Swap:                  8 kB\n"
	"SwapPss:               8 kB\n"
	"Locked:                0 kB\n";

static const char status[] =
	"Name:\tprog\n"
	"Umask:\t0022\n"
	"State:\tS (sleeping)\n"
	"Tgid:\t4321\n"
	"Pid:\t4321\n"
	"Groups:\t \n"
	"VmPeak:\t     272 kB\n"
	"VmSize:\t     268 kB\n"
	"VmRSS:\t      32 kB\n"
	"RssAnon:\t      28 kB\n"
	"RssFile:\t       3 kB\n"
	"RssShmem:\t       1 kB\n"
	"VmData:\t     132 kB\n"
	"VmStk:\t     132 kB\n"
	"VmSwap:\t       8 kB\n"
	"Threads:\t1\n"
	"Cpus_allowed_list:\t0-1\n";

static void rollup_and_status(void **state)
{
	/* rollup: no size, pid, heap or stack; file = Rss - Anonymous */
	static const int64_t want_r[] = { U, 32, 30, 28, 28, 4, 8, U, U };
	/* status: file = RssFile + RssShmem; VmStk is not resident */
	static const int64_t want_s[] = { 268, 32, U, U, 28, 4, 8, U, U };
	struct procmem *r = parse(rollup), *s = parse(status);

	(void)state;
	assert_non_null(r);
	assert_non_null(s);
	assert_int_equal(r->format, PROCMEM_SMAPS_ROLLUP);
	assert_int_equal(s->format, PROCMEM_STATUS);
	assert_kb(r, want_r);
	assert_kb(s, want_s);
	assert_int_equal(r->pid, U);
	assert_int_equal(s->pid, 4321);
	assert_int_equal(r->nmappings, 0);
	assert_int_equal(s->nmappings, 0);
	procmem_free(r);
	procmem_free(s);
}

static void format_names(void **state)
{
	(void)state;
	assert_string_equal(procmem_format_name(PROCMEM_SMAPS), "smaps");
}

static void not_memory_maps(void **state)
{
	static const char nul[] = "1234: x\n\0\x01\x02";
	char *msg;

	(void)state;
	expect_error("", "empty file");
	expect_error("\n\n", "only blank lines");
	expect_error("<!DOCTYPE html>\n<html><body>502</body></html>\n",
		     "an HTML page, not a process memory map");
	expect_error("\x1f\x8b\x08\x00junk", "gzip data");
	msg = parse_error(nul, sizeof(nul) - 1);
	assert_non_null(strstr(msg, "binary data"));
	free(msg);
	expect_error("heap profile: 1: 2 [3: 4] @ heap/1048576\n",
		     "text that is not pmap output, smaps, smaps_rollup or "
		     "status");
	expect_error("00400000-00401000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "00401000-00402000 rw-p 00000000 fe:00 1 /bin/x\n",
		     "a /proc/PID/maps listing");
}

static void bad_pmap(void **state)
{
	char wide[1024] = "1234:   svc\nAddress", *p = wide + strlen(wide);
	int i;

	(void)state;
	for (i = 0; i < 300; i++, p += 2)
		memcpy(p, " X", 2);
	strcpy(p, " Mapping\n");
	/* another user's process: pmap prints the PID line only */
	expect_error("1234:   /usr/bin/svc\n", "t: only the 'PID: command' "
		     "line, no mappings (a process of another user?");
	expect_error("1234:   /usr/bin/svc\n"
		     "Address           Kbytes     RSS   Dirty Mode  Mapping\n",
		     "t: a pmap header (line 2) but no mappings");
	expect_error("1234:   /usr/bin/svc\n"
		     "Address           Kbytes     RSS   Dirty Mode  Mapping\n"
		     "---------------- ------- ------- ------- \n"
		     "total kB               0       0       0\n",
		     "t:4: no mappings between the header and the total");
	expect_error("1234:   svc\n"
		     "Address           Kbytes     RSS   Dirty Mode  Mapping\n"
		     "0000000000400000    2544    2416       0 r-x-- svc\n",
		     "t: truncated: no total line after the mappings");
	expect_error("1234:   svc\n"
		     "Address           Kbytes     RSS   Dirty Mode  Mapping\n"
		     "0000000000400000    2544    24",
		     "t: truncated: the last line is cut short");
	expect_error("1234:   svc\n"
		     "Address           Kbytes     RSS   Dirty Mode  Mapping\n"
		     "0000000000400000    2544\n",
		     "t:3: a mapping row cut short: no 'RSS' column");
	expect_error("1234:   svc\n"
		     "Address           Kbytes     RSS   Dirty Mode  Mapping\n"
		     "0000000000400000    2544    x416       0 r-x-- svc\n",
		     "t:3: 'x416' is not a valid RSS");
	expect_error("1234:   svc\n"
		     "Address           Kbytes     RSS   Dirty Mode  Mapping\n"
		     "0000000000400000    2544    2416       0 r-x-- svc\n"
		     "---------------- ------- ------- ------- \n"
		     "total kB            2544    2417       0\n",
		     "t:5: total RSS 2417 is not the sum of the mappings, "
		     "2416");
	expect_error("1234:   svc\n"
		     "Address           Kbytes     RSS   Dirty Mode  Mapping\n"
		     "0000000000400000    2544    2416       0 r-x-- svc\n"
		     "---------------- ------- ------- ------- \n"
		     "total kB            2544    2416\n",
		     "t:5: malformed total line (expected 3 numbers");
	expect_error("1234:   svc\n"
		     "0000000000400000   2544K r-x-- svc\n"
		     " total             2544K\n"
		     "5678:   other\n",
		     "t:4: a second process (pmap of several PIDs)");
	expect_error("1234:   svc\n"
		     "0000000000400000   2544K r-x-- svc\n"
		     " total             2544K\n"
		     "trailing words\n",
		     "t:4: text after the total line");
	expect_error("1234:   svc\n"
		     "Address  Kbytes  RSS\n"
		     "0000000000400000 2544 2416\n",
		     "t:2: a pmap header must start with 'Address' and end "
		     "with 'Mapping'");
	expect_error("1234:   svc\n"
		     "Address  RSS Mode Mapping\n"
		     "0000000000400000 2416 r-x-- svc\n",
		     "t:2: a pmap header without a 'Kbytes' or 'Size' column");
	expect_error(wide, "t:2: a pmap header of more than 256 columns");
	expect_error("1234:   svc\n"
		     "hello world\n",
		     "t:2: neither a pmap header nor a mapping");
}

static void bad_proc_files(void **state)
{
	char *cut = strdup(smaps);
	char *p;

	(void)state;
	/* smaps cut after the last mapping's Rss: line */
	p = strstr(strstr(cut, "[stack]"), "Pss:");
	*p = '\0';
	expect_error(cut, "t:23: the mapping has no 'Pss:' line (truncated?)");
	free(cut);
	expect_error("00400000-00401000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "Size: 4 kB\nRss: 4 kB\nRss: 4 kB\n",
		     "t:4: a second 'Rss:' line in one mapping");
	expect_error("00400000-00401000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "Size: 4 kB\nRss: many\n",
		     "t:3: 'Rss:' has no number of kB");
	expect_error("00400000-00401000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "Size: 4 kB\nthis is not smaps\n",
		     "t:3: neither a mapping nor a 'Key: value' line");
	expect_error("00400000-7ffc62dc5000 ---p 00000000 00:00 0  [rollup]\n"
		     "Rss:                  32 kB\n"
		     "Pss:                  30 kB\n",
		     "t: truncated: no 'Locked:' line");
	expect_error("00400000-7ffc62dc5000 ---p 00000000 00:00 0  [rollup]\n"
		     "Pss:                  30 kB\n"
		     "Locked:                0 kB\n",
		     "t: no 'Rss:' line");
	expect_error("00400000-7ffc62dc5000 ---p 00000000 00:00 0  [rollup]\n"
		     "Rss:                  32 kB\n"
		     "Locked:                0 kB\n"
		     "00400000-7ffc62dc5000 ---p 00000000 00:00 0  [rollup]\n"
		     "Rss:                  32 kB\n"
		     "Locked:                0 kB\n",
		     "t:4: a second header after the [rollup] one");
	expect_error("Name:\tprog\nVmRSS:\t 32 kB\n",
		     "t: truncated: no 'Threads:' line");
	expect_error("Name:\tkthreadd\nPid:\t2\nThreads:\t1\n",
		     "t: no 'VmRSS:' line: a kernel thread or a zombie");
	expect_error("Name:\tprog\nVmRSS:\t 32 kB\nVmRSS:\t 33 kB\n",
		     "t:3: a second 'VmRSS:' line");
	expect_error("Name:\tprog\nThreads:\t1\nName:\tprog\n",
		     "t:3: a second 'Name:' line (two files in one?)");
	expect_error("Name:\tprog\nVmRSS:\tlots\nThreads:\t1\n",
		     "t:2: 'VmRSS:' has no number of kB");
	expect_error("Name:\tprog\nnot a key\n",
		     "t:2: not a 'Key: value' line");
}

/* Numbers past 18 digits and sums past 2^63 are refused, not wrapped. */
static void overflow(void **state)
{
	(void)state;
	expect_error("1:   x\n"
		     "0000000000400000   9999999999999999999K r-x-- x\n"
		     " total 1K\n",
		     "t:2: neither a pmap header nor a mapping");
	expect_error("00400000-00401000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "Size: 999999999999999999 kB\nRss: 4 kB\n"
		     "00401000-00402000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "Size: 999999999999999999 kB\nRss: 4 kB\n"
		     "00402000-00403000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "Size: 999999999999999999 kB\nRss: 4 kB\n"
		     "00403000-00404000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "Size: 999999999999999999 kB\nRss: 4 kB\n"
		     "00404000-00405000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "Size: 999999999999999999 kB\nRss: 4 kB\n"
		     "00405000-00406000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "Size: 999999999999999999 kB\nRss: 4 kB\n"
		     "00406000-00407000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "Size: 999999999999999999 kB\nRss: 4 kB\n"
		     "00407000-00408000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "Size: 999999999999999999 kB\nRss: 4 kB\n"
		     "00408000-00409000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "Size: 999999999999999999 kB\nRss: 4 kB\n"
		     "00409000-0040a000 r-xp 00000000 fe:00 1 /bin/x\n"
		     "Size: 999999999999999999 kB\nRss: 4 kB\n",
		     "sizes add up beyond 2^63 kB");
}

/* More mappings than any process may have (Linux: vm.max_map_count). */
static void too_many_mappings(void **state)
{
	static const char row[] = "0000000000400000 4K r---- x\n";
	size_t n = ((size_t)1 << 20) + 1, i, k = sizeof(row) - 1;
	char *text = malloc(16 + n * k + 1), *p = text;
	char *msg;

	(void)state;
	assert_non_null(text);
	p += sprintf(p, "1:   x\n");
	for (i = 0; i < n; i++, p += k)
		memcpy(p, row, k);
	*p = '\0';
	msg = parse_error(text, (size_t)(p - text));
	assert_non_null(strstr(msg, "t:1048578: more than 1048576 mappings"));
	free(msg);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(procps_pmap_x),
		cmocka_unit_test(busybox_pmap_x),
		cmocka_unit_test(anon_column),
		cmocka_unit_test(dashes),
		cmocka_unit_test(procps_pmap_X),
		cmocka_unit_test(procps_pmap_XX),
		cmocka_unit_test(plain_pmap),
		cmocka_unit_test(pmap_d),
		cmocka_unit_test(smaps_full),
		cmocka_unit_test(rollup_and_status),
		cmocka_unit_test(format_names),
		cmocka_unit_test(not_memory_maps),
		cmocka_unit_test(bad_pmap),
		cmocka_unit_test(bad_proc_files),
		cmocka_unit_test(overflow),
		cmocka_unit_test(too_many_mappings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
