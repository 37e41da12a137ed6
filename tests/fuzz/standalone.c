/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A main() for the fuzz targets when not under libFuzzer: runs
 * LLVMFuzzerTestOneInput once per file named (directories are walked, one
 * level), or once on stdin without arguments (AFL++'s default). Replays
 * regressions and seeds under ASan without a fuzzer.
 */
#include "fuzz.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run_stream(FILE *fp)
{
	unsigned char *data = NULL, *exact;
	size_t len = 0, cap = 0, n;

	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			data = realloc(data, cap);
			if (!data)
				abort();
		}
		n = fread(data + len, 1, cap - len, fp);
		if (!n)
			break;
		len += n;
	}
	if (ferror(fp)) {
		free(data);
		return -1;
	}
	/* exactly len bytes, as libFuzzer passes: an overread is caught */
	exact = malloc(len ? len : 1);
	if (!exact)
		abort();
	memcpy(exact, data, len);
	free(data);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	int ret;

	if (!fp) {
		perror(path);
		return -1;
	}
	ret = run_stream(fp);
	fclose(fp);
	return ret;
}

static int run_path(const char *path, size_t *count)
{
	struct dirent **ents;
	struct stat st;
	int i, n, ret = 0;

	if (stat(path, &st) < 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0) {
		perror(path);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char sub[4096];

		if (ents[i]->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path,
				 ents[i]->d_name);
			if (stat(sub, &st) == 0 && S_ISREG(st.st_mode)) {
				(*count)++;
				if (run_file(sub) < 0)
					ret = -1;
			}
		}
		free(ents[i]);
	}
	free(ents);
	return ret;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, ret = 0;

	if (argc < 2)
		return run_stream(stdin) < 0;
	for (i = 1; i < argc; i++)
		if (run_path(argv[i], &count) < 0)
			ret = 1;
	fprintf(stdout, "%s: %zu inputs replayed\n", argv[0], count);
	return ret;
}
