/*
 * new.c: "awaaz new SECTION/NAME": writes the start of a page, so that
 * campaign staff begin from complete front matter instead of copying an
 * old page and its stale keys.  The title comes from the file name, the
 * date is today's (the one place awaaz reads the clock: the user asks
 * for today), and the audience is a placeholder that the build and
 * "awaaz check" reject until someone chooses, because a page for the
 * wrong readers is worse than a page not yet published.  An existing file
 * is never overwritten: the file is opened with O_EXCL.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "config.h"
#include "diag.h"
#include "new.h"
#include "util.h"

static const char usage_text[] =
"usage: awaaz new SECTION/NAME [--lang CODE] [--handout a4|a5|letter]\n"
"                 [-C DIR]\n"
"\n"
"Writes a new page, content/CODE/SECTION/NAME.md, with its front matter\n"
"filled in: the title from NAME (\"safe-migration\" gives \"Safe\n"
"migration\"), today's date, and an audience to choose.  Prints the path\n"
"of the file; an existing file is never overwritten.\n"
"\n"
"  -C, --dir DIR      the site folder (default: the current folder)\n"
"  -l, --lang CODE    the page's language (default: the first in site.yaml)\n"
"      --handout SIZE the page is also a printable handout: a4, a5, letter\n"
"  -h, --help         print this help\n"
"\n"
"NAME and SECTION take letters a-z and A-Z, digits, '-' and '_'.  NAME\n"
"_index gives the section itself a title and an introduction.\n";

/* One folder or file name: [A-Za-z0-9][A-Za-z0-9_-]*, or "_index". */
static bool
valid_segment(const char *s, size_t n)
{
	size_t	i;

	if (n == 6 && strncmp(s, "_index", 6) == 0)
		return true;
	if (n == 0 || !isalnum((unsigned char)s[0]) || (s[0] & 0x80))
		return false;
	for (i = 0; i < n; i++)
		if ((s[i] & 0x80) || !(isalnum((unsigned char)s[i]) ||
		    s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

/*
 * Checks the page's path ("handouts/safe-migration", a trailing ".md"
 * allowed) and returns it without ".md" (malloc'd, the caller frees it),
 * or NULL after printing why not.
 */
static char *
page_path(const char *arg)
{
	const char	*s, *slash, *last;
	char		*p;
	size_t		 n, nseg = 0;

	n = strlen(arg);
	if (n > 3 && has_suffix(arg, ".md"))
		n -= 3;
	p = xstrndup(arg, n);
	for (s = last = p; ; s = slash + 1) {
		slash = strchr(s, '/');
		n = slash ? (size_t)(slash - s) : strlen(s);
		last = s;
		nseg++;
		if (!valid_segment(s, n) ||
		    (slash != NULL && n == 6 && strncmp(s, "_index", 6) == 0))
			goto bad;
		if (slash == NULL)
			break;
	}
	if (strcmp(last, "index") == 0) {
		fprintf(stderr, "awaaz: error: a page named 'index' would be a "
		    "Hugo page bundle, which awaaz does not read: choose "
		    "another name\n");
		free(p);
		return NULL;
	}
	if (strcmp(last, "_index") == 0 && nseg != 2) {
		fprintf(stderr, "awaaz: error: '_index' names a section's own "
		    "page: give it as SECTION/_index\n");
		free(p);
		return NULL;
	}
	return p;
bad:
	fprintf(stderr, "awaaz: error: invalid page name '%s': use letters "
	    "a-z, digits, '-' and '_', with '/' between a section and a "
	    "name\n", arg);
	free(p);
	return NULL;
}

/* "safe-migration" -> "Safe migration": the title until someone writes
 * a better one.  Returns a malloc'd string; the caller frees it. */
static char *
title_from(const char *name)
{
	char	*t, *c;

	t = xstrdup(name);
	for (c = t; *c != '\0'; c++)
		if (*c == '-' || *c == '_')
			*c = ' ';
	t[0] = (char)toupper((unsigned char)t[0]);
	return t;
}

/* "communities, journalists or schools". */
static void
add_audiences(struct buf *b, const struct config *cfg)
{
	size_t	i;

	for (i = 0; i < cfg->naudiences; i++) {
		if (i > 0)
			buf_adds(b, i + 1 == cfg->naudiences ? " or " : ", ");
		buf_adds(b, cfg->audiences[i].name);
	}
}

/*
 * The file's text.  The title is quoted, because YAML reads a bare "No"
 * or "Null" as something other than text; the name's alphabet leaves
 * nothing to escape inside the quotes.
 */
static void
page_text(struct buf *b, const struct config *cfg, const char *path,
    const char *handout)
{
	const char	*name, *slash;
	char		*title, *section, date[32];
	struct tm	 tm;
	time_t		 t;
	bool		 index;

	slash = strrchr(path, '/');
	name = slash ? slash + 1 : path;
	index = strcmp(name, "_index") == 0;
	if (index) {
		section = xstrndup(path, (size_t)(slash - path));
		title = title_from(section);
		free(section);
	} else
		title = title_from(name);
	t = time(NULL);
	localtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);

	buf_printf(b, "---\ntitle: \"%s\"\n", title);
	if (index) {
		buf_adds(b, "weight: 10\n"
		    "# One line shown where the section is listed.\n"
		    "summary: \"\"\n---\n\n"
		    "Write a short introduction to the section here: what its "
		    "pages are for\nand who should read them.\n");
		free(title);
		return;
	}
	buf_printf(b, "date: %s\n", date);
	buf_adds(b, "# One line shown in lists of pages.\nsummary: \"\"\n");
	buf_adds(b, "# Who the page is for: ");
	add_audiences(b, cfg);
	buf_adds(b, ".\n# For more than one, a list: [");
	if (cfg->naudiences > 1)
		buf_printf(b, "%s, %s", cfg->audiences[0].name,
		    cfg->audiences[1].name);
	else if (cfg->naudiences == 1)
		buf_adds(b, cfg->audiences[0].name);
	buf_adds(b, "].\naudience: TODO\ntags: []\n");
	if (handout != NULL)
		buf_printf(b, "handout: %s\n", handout);
	buf_adds(b, "---\n\n"
	    "Start with a short paragraph that says what the page is about "
	    "and who it\nis for.\n\n"
	    "## First heading\n\n"
	    "Write the page in Markdown; docs/editing.md shows how to "
	    "preview it.\n");
	free(title);
}

/* Creates path with text, never replacing a file.  0 or -1 (diagnosed). */
static int
write_new(const char *path, const char *shown, const struct buf *b)
{
	char	*dir;
	ssize_t	 w;
	size_t	 off = 0;
	int	 fd, rc = -1;

	dir = path_dirname(path);
	if (mkdir_p(dir) == -1) {
		diag_error(NULL, 0, 0, "cannot make folder '%s': %s", dir,
		    strerror(errno));
		free(dir);
		return -1;
	}
	free(dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0644)) == -1) {
		if (errno == EEXIST)
			diag_error(shown, 0, 0, "already exists: awaaz new "
			    "never overwrites a page");
		else
			diag_error(shown, 0, 0, "cannot create: %s",
			    strerror(errno));
		return -1;
	}
	while (off < b->len) {
		if ((w = write(fd, b->data + off, b->len - off)) == -1) {
			if (errno == EINTR)
				continue;
			diag_error(shown, 0, 0, "cannot write: %s",
			    strerror(errno));
			goto out;
		}
		off += (size_t)w;
	}
	rc = 0;
out:
	if (close(fd) == -1 && rc == 0) {
		diag_error(shown, 0, 0, "cannot write: %s", strerror(errno));
		rc = -1;
	}
	if (rc == -1)
		unlink(path);
	return rc;
}

int
cmd_new(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'C' },
		{ "lang", required_argument, NULL, 'l' },
		{ "handout", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct config		 cfg;
	const struct lang	*lang;
	struct arena		*a = NULL;
	struct buf		 b;
	const char		*root = ".", *code = NULL, *handout = NULL;
	char			*page = NULL, *rel = NULL, *path = NULL;
	char			*orig = NULL;
	int			 ch, status = 2;

	buf_init(&b);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "C:l:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			root = optarg;
			break;
		case 'l':
			code = optarg;
			break;
		case 'H':
			if (strcmp(optarg, "a4") != 0 &&
			    strcmp(optarg, "a5") != 0 &&
			    strcmp(optarg, "letter") != 0) {
				fprintf(stderr, "awaaz: error: --handout takes "
				    "a4, a5 or letter, not '%s'\n", optarg);
				goto out;
			}
			handout = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			status = 0;
			goto out;
		default:
			fputs(usage_text, stderr);
			goto out;
		}
	}
	if (optind + 1 != argc) {
		if (optind == argc)
			fprintf(stderr, "awaaz: error: name the page: "
			    "SECTION/NAME\n");
		else
			fprintf(stderr, "awaaz: error: unexpected argument "
			    "'%s'\n", argv[optind + 1]);
		fputs(usage_text, stderr);
		goto out;
	}
	if ((page = page_path(argv[optind])) == NULL)
		goto out;
	if (handout != NULL && has_suffix(page, "/_index")) {
		fprintf(stderr, "awaaz: error: --handout is for pages, not a "
		    "section's _index\n");
		goto out;
	}

	status = 1;
	a = arena_new();
	if (config_load(&cfg, root, build_theme_dirs(), a) == -1)
		goto out;
	if (cfg.nlangs == 0) {
		diag_error(cfg.path, 0, 0, "site.yaml lists no languages");
		goto out;
	}
	if (code == NULL)
		lang = &cfg.langs[0];
	else if ((lang = config_lang(&cfg, code)) == NULL) {
		size_t i;

		fprintf(stderr, "awaaz: error: unknown language '%s': "
		    "site.yaml lists", code);
		for (i = 0; i < cfg.nlangs; i++)
			fprintf(stderr, "%s %s", i ? "," : "",
			    cfg.langs[i].code);
		fputc('\n', stderr);
		status = 2;
		goto out;
	}

	rel = xasprintf("content/%s/%s.md", lang->code, page);
	path = strcmp(root, ".") == 0 ? xstrdup(rel) : path_join(root, rel);
	page_text(&b, &cfg, page, handout);
	if (write_new(path, path, &b) == -1)
		goto out;
	puts(path);
	/* A translation: say how to record it once it is done. */
	if (lang != &cfg.langs[0]) {
		char *o = xasprintf("content/%s/%s.md", cfg.langs[0].code,
		    page);

		orig = strcmp(root, ".") == 0 ? xstrdup(o) : path_join(root, o);
		free(o);
		if (is_file(orig))
			diag_note(path, 0, 0, "a translation of '%s': when it "
			    "is done, run 'awaaz translations --mark %s'",
			    orig, rel);
	}
	status = 0;
out:
	diag_flush(stderr);
	if (status == 0 && diag_count(DIAG_ERROR) > 0)
		status = 1;
	buf_release(&b);
	free(page);
	free(rel);
	free(path);
	free(orig);
	if (a != NULL)
		arena_free(a);
	return status;
}
