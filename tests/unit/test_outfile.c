/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: whole-or-nothing output files. */
#include "unit.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "out/outfile.h"

static char dir[] = "/tmp/leaky-outfile-XXXXXX";

static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static char *read_all(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *s = calloc(1, 256);

	if (fp) {
		if (!fgets(s, 256, fp))
			s[0] = '\0';
		fclose(fp);
	}
	return s;
}

static void commit_abort_refuse(void **state)
{
	char path[128];
	struct outfile o;
	char *s;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	assert_int_equal(outfile_open(&o, path, 0), 0);
	fputs("partial", o.fp);
	outfile_abort(&o);
	assert_int_equal(entries(), 0);

	assert_int_equal(outfile_open(&o, path, 0), 0);
	fputs("one\n", o.fp);
	/* Nothing under the final name until the commit. */
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(outfile_commit(&o), 0);
	s = read_all(path);
	assert_string_equal(s, "one\n");
	free(s);

	assert_int_equal(outfile_open(&o, path, 0), -1);
	assert_int_equal(outfile_open(&o, path, 1), 0);
	fputs("two\n", o.fp);
	assert_int_equal(outfile_commit(&o), 0);
	s = read_all(path);
	assert_string_equal(s, "two\n");
	free(s);
	assert_int_equal(entries(), 1);
	unlink(path);
	rmdir(dir);
}

/* A file that appears after the open is not replaced without force. */
static void commit_no_replace(void **state)
{
	char path[128];
	struct outfile o;
	FILE *fp;
	char *s;

	(void)state;
	strcpy(dir, "/tmp/leaky-outfile-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	assert_int_equal(outfile_open(&o, path, 0), 0);
	fputs("new\n", o.fp);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("theirs\n", fp);
	fclose(fp);
	assert_int_equal(outfile_commit(&o), -1);
	s = read_all(path);
	assert_string_equal(s, "theirs\n");
	free(s);
	assert_int_equal(entries(), 1);
	unlink(path);
	rmdir(dir);
}

/* exit() (what die() does) after the open leaves no temporary file. */
static void exit_removes_tmp(void **state)
{
	char path[128];
	struct outfile o;
	int status;
	pid_t pid;

	(void)state;
	strcpy(dir, "/tmp/leaky-outfile-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (outfile_open(&o, path, 0) < 0)
			_exit(2);
		fputs("partial", o.fp);
		exit(1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_int_equal(entries(), 0);
	rmdir(dir);
}

/* A device is written to, never replaced by a regular file. */
static void to_device(void **state)
{
	struct outfile o;
	struct stat st;

	(void)state;
	assert_int_equal(outfile_open(&o, "/dev/null", 0), 0);
	assert_null(o.tmp);
	fputs("gone\n", o.fp);
	assert_int_equal(outfile_commit(&o), 0);
	assert_int_equal(outfile_open(&o, "/dev/null", 1), 0);
	outfile_abort(&o);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(outfile_open(&o, "/tmp", 1), -1);
}

static void to_stdout(void **state)
{
	struct outfile o;

	(void)state;
	assert_int_equal(outfile_open(&o, "-", 0), 0);
	assert_ptr_equal(o.fp, stdout);
	assert_int_equal(outfile_commit(&o), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(commit_abort_refuse),
		cmocka_unit_test(commit_no_replace),
		cmocka_unit_test(exit_removes_tmp),
		cmocka_unit_test(to_device),
		cmocka_unit_test(to_stdout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
