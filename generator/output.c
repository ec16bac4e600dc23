/*
 * output.c: the staging folder and the swap.  Linux's renameat2 with
 * RENAME_EXCHANGE swaps two folders atomically; where the file system
 * cannot (vfat on a USB stick), the old folder is renamed away first, and
 * where even renaming fails the staged files are copied over, with a note
 * saying so.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"
#include "util.h"

static const char marker_text[] =
    "This folder was made by awaaz; every build replaces its contents.\n";

/* An absolute path for p, which may not exist yet (its parent must). */
static char *
absolute(const char *p)
{
	char	*dir, *base, *r, real[PATH_MAX];

	if (realpath(p, real) != NULL)
		return xstrdup(real);
	dir = path_dirname(p);
	base = xstrdup(strrchr(p, '/') ? strrchr(p, '/') + 1 : p);
	if (realpath(dir, real) == NULL) {
		free(dir);
		free(base);
		return NULL;
	}
	r = path_join(real, base);
	free(dir);
	free(base);
	return r;
}

static bool
inside(const char *path, const char *dir)
{
	size_t	n = strlen(dir);

	return strncmp(path, dir, n) == 0 &&
	    (path[n] == '/' || (n == 1 && dir[0] == '/'));
}

/* Empty, or made by awaaz. */
static bool
replaceable(const char *dir)
{
	struct dirent	*de;
	DIR		*d;
	char		*m;
	bool		 ok;

	m = path_join(dir, OUTPUT_MARKER);
	ok = is_file(m);
	free(m);
	if (ok)
		return true;
	/* Not ours: only an empty folder may be used (dot files count). */
	if ((d = opendir(dir)) == NULL)
		return false;
	ok = true;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			ok = false;
	closedir(d);
	return ok;
}

int
output_begin(struct output *o, const char *root, const char *dir,
    const char *shown)
{
	static const char *const sources[] = {
		"content", "themes", "static", "data", "locales",
	};
	char		 real_root[PATH_MAX], *parent, *base, *src;
	struct stat	 st;
	size_t		 i;
	int		 rc = -1;

	memset(o, 0, sizeof(*o));
	o->shown = xstrdup(shown);
	if (realpath(root, real_root) == NULL) {
		diag_error(NULL, 0, 0, "cannot open site folder '%s': %s",
		    root, strerror(errno));
		return -1;
	}
	if ((o->dir = absolute(dir)) == NULL) {
		diag_error(NULL, 0, 0, "cannot use output folder '%s': %s",
		    o->shown, strerror(errno));
		return -1;
	}
	if (strcmp(o->dir, real_root) == 0) {
		diag_error(NULL, 0, 0, "output folder '%s' is the site "
		    "folder: choose another with -o", o->shown);
		return -1;
	}
	if (inside(real_root, o->dir) || strcmp(o->dir, "/") == 0) {
		diag_error(NULL, 0, 0, "output folder '%s' contains the site "
		    "folder: choose another with -o", o->shown);
		return -1;
	}
	for (i = 0; i < nitems(sources); i++) {
		src = path_join(real_root, sources[i]);
		if (strcmp(o->dir, src) == 0 || inside(o->dir, src)) {
			diag_error(NULL, 0, 0, "output folder '%s' is inside "
			    "the site's '%s' folder: choose another with -o",
			    o->shown, sources[i]);
			free(src);
			return -1;
		}
		free(src);
	}
	if (lstat(o->dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			diag_error(NULL, 0, 0, "output '%s' exists and is not "
			    "a folder", o->shown);
			return -1;
		}
		if (!replaceable(o->dir)) {
			diag_error(NULL, 0, 0, "output folder '%s' is not "
			    "empty and was not made by awaaz: remove it or "
			    "choose another with -o", o->shown);
			return -1;
		}
	}

	parent = path_dirname(o->dir);
	base = xstrdup(strrchr(o->dir, '/') + 1);
	o->staging = xasprintf("%s/.%s.staging", parent, base);
	if (lstat(o->staging, &st) == 0 && !replaceable(o->staging)) {
		diag_error(NULL, 0, 0, "'%s' is in the way of the staging "
		    "folder and was not made by awaaz: remove it", o->staging);
		goto out;
	}
	if (rm_rf(o->staging) == -1 || mkdir(o->staging, 0755) == -1) {
		diag_error(NULL, 0, 0, "cannot make staging folder '%s': %s",
		    o->staging, strerror(errno));
		goto out;
	}
	if (output_write(o, OUTPUT_MARKER, marker_text,
	    sizeof(marker_text) - 1) == -1)
		goto out;
	rc = 0;
out:
	free(parent);
	free(base);
	return rc;
}

int
output_write(const struct output *o, const char *rel, const void *data,
    size_t len)
{
	char	*path, *dir;
	int	 rc = 0;

	path = path_join(o->staging, rel);
	/*
	 * Folders are made on the first write that needs them: most pages
	 * own a new folder whose parent exists, so one mkdir usually does,
	 * and for a page's index.html it comes first (a failed open costs
	 * as much as the mkdir).
	 */
	if (has_suffix(rel, "/index.html")) {
		dir = path_dirname(path);
		mkdir(dir, 0755);
		free(dir);
	}
	if (file_write(path, data, len) == -1) {
		rc = -1;
		if (errno == ENOENT) {
			dir = path_dirname(path);
			if ((mkdir(dir, 0755) == 0 || errno == EEXIST ||
			    mkdir_p(dir) == 0) &&
			    file_write(path, data, len) == 0)
				rc = 0;
			free(dir);
		}
		if (rc == -1)
			diag_error(NULL, 0, 0, "cannot write '%s': %s", path,
			    strerror(errno));
	}
	free(path);
	return rc;
}

int
output_copy_file(const struct output *o, const char *from, const char *rel)
{
	char	*data;
	size_t	 len;
	int	 rc;

	if (file_read(from, &data, &len) == -1) {
		diag_error(NULL, 0, 0, "cannot read '%s': %s", from,
		    strerror(errno));
		return -1;
	}
	rc = output_write(o, rel, data, len);
	free(data);
	return rc;
}

int
output_copy_tree(const struct output *o, const char *from, const char *rel)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*src, *dst;
	int		 rc = 0;

	if ((d = opendir(from)) == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, ".git") == 0 ||
		    strcmp(de->d_name, OUTPUT_MARKER) == 0)
			continue;
		src = path_join(from, de->d_name);
		dst = *rel ? path_join(rel, de->d_name) : xstrdup(de->d_name);
		if (stat(src, &st) == -1)
			rc = -1;
		else if (S_ISDIR(st.st_mode))
			rc |= output_copy_tree(o, src, dst);
		else if (S_ISREG(st.st_mode))
			rc |= output_copy_file(o, src, dst);
		free(src);
		free(dst);
	}
	closedir(d);
	return rc ? -1 : 0;
}

/*
 * Removes a previous site without making the user wait: the folder is
 * renamed out of the way (so a next build never meets it) and a detached
 * grandchild deletes it.  If no process can be started, it is deleted
 * here.
 */
static void
discard(const char *dir)
{
	static unsigned	 seq;
	char		*trash;
	pid_t		 pid;

	trash = xasprintf("%s.old-%ld-%u", dir, (long)getpid(), seq++);
	if (rename(dir, trash) == -1) {
		rm_rf(dir);
		free(trash);
		return;
	}
	if ((pid = fork()) == 0) {
		if (fork() == 0) {
			setsid();
			rm_rf(trash);
		}
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	else
		rm_rf(trash);
	free(trash);
}

/* The slow way: empty dir and copy staging into it. */
static int
copy_over(struct output *o)
{
	struct output	 tmp;
	int		 rc;

	diag_note(NULL, 0, 0, "cannot swap '%s' atomically on this file "
	    "system: copying", o->shown);
	if (rm_rf(o->dir) == -1 || mkdir_p(o->dir) == -1) {
		diag_error(NULL, 0, 0, "cannot replace '%s': %s", o->shown,
		    strerror(errno));
		return -1;
	}
	tmp = *o;
	tmp.staging = o->dir;
	rc = output_copy_tree(&tmp, o->staging, "");
	if (rc == 0)
		rc = output_write(&tmp, OUTPUT_MARKER, marker_text,
		    sizeof(marker_text) - 1);
	rm_rf(o->staging);
	return rc;
}

int
output_commit(struct output *o)
{
	char	*old;
	int	 rc = 0;

	if (!is_dir(o->dir)) {
		if (rename(o->staging, o->dir) == 0)
			return 0;
		return copy_over(o);
	}
	if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->dir,
	    RENAME_EXCHANGE) == 0) {
		/* The staging name now holds the previous site. */
		discard(o->staging);
		return 0;
	}
	old = xasprintf("%s.old", o->staging);
	rm_rf(old);
	if (rename(o->dir, old) == 0 && rename(o->staging, o->dir) == 0)
		rm_rf(old);
	else {
		if (!is_dir(o->dir) && is_dir(old))
			rename(old, o->dir);
		rc = copy_over(o);
	}
	free(old);
	return rc;
}

void
output_abort(struct output *o)
{
	if (o->staging != NULL)
		rm_rf(o->staging);
}

void
output_release(struct output *o)
{
	free(o->dir);
	free(o->staging);
	free(o->shown);
	memset(o, 0, sizeof(*o));
}
