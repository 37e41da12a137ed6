/* Whole-or-nothing output files for commands that take -o. */
#include "outfile.h"
#include "leaky.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_open(struct outfile *o, const char *path, int force)
{
	struct stat st;
	size_t n;
	int fd;

	memset(o, 0, sizeof(*o));
	if (!path || !strcmp(path, "-")) {
		o->fp = stdout;
		return 0;
	}
	if (!force && lstat(path, &st) == 0) {
		error("%s: already exists (use --force to replace it)", path);
		return -1;
	}
	n = strlen(path);
	o->path = xstrdup(path);
	o->tmp = xmalloc(n + 16);
	memcpy(o->tmp, path, n);
	memcpy(o->tmp + n, ".tmp.XXXXXX", 12);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		error("%s: %s", path, strerror(errno));
		goto fail;
	}
	{
		mode_t mask = umask(0);

		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		error("%s: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
		goto fail;
	}
	return 0;
fail:
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
	return -1;
}

int outfile_commit(struct outfile *o)
{
	int ret = 0;

	/* main() reports a failed standard output, once. */
	if (!o->tmp)
		return fflush(o->fp) || ferror(o->fp) ? -1 : 0;
	if (fflush(o->fp) || ferror(o->fp) || fsync(fileno(o->fp))) {
		error("%s: write error: %s", o->path, strerror(errno));
		ret = -1;
	}
	if (fclose(o->fp) && !ret) {
		error("%s: write error: %s", o->path, strerror(errno));
		ret = -1;
	}
	o->fp = NULL;
	if (!ret && rename(o->tmp, o->path)) {
		error("%s: %s", o->path, strerror(errno));
		ret = -1;
	}
	if (ret)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return ret;
}

void outfile_abort(struct outfile *o)
{
	if (!o->tmp)
		return;
	if (o->fp)
		fclose(o->fp);
	unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}
