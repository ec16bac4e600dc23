/*
 * translations.c: "awaaz translations".  The site graph already knows,
 * for every group of translations, its origin and each language's page
 * or fallback; this command prints that per language, and --mark writes
 * the origin's current hash into a translation's front matter as
 * "translatedFrom:", editing only that line (or adding it) so that
 * everything else in the file stays byte for byte.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cmd.h"
#include "config.h"
#include "diag.h"
#include "site.h"
#include "translations.h"
#include "util.h"

static const char usage_text[] =
"usage: awaaz translations [-C DIR] [--strict] [--mark PATH]\n"
"\n"
"Prints, for each language, the pages translated and up to date, the\n"
"translations whose original has changed since (outdated), those that do\n"
"not say what they were translated from (unmarked), and the pages with no\n"
"translation (missing: readers get the original with a notice).\n"
"\n"
"  -C, --dir DIR   the site folder (default: the current folder)\n"
"      --strict    exit 1 if any page is missing, outdated or unmarked\n"
"      --mark PATH record in the translation PATH (as printed, relative to\n"
"                  the site folder) that it is up to date with its original\n"
"  -h, --help      print this help\n";

enum status { ST_TRANSLATED, ST_OUTDATED, ST_UNMARKED, ST_MISSING, ST_N };

static const char *const status_names[ST_N] = {
	"translated", "outdated", "unmarked", "missing",
};

static enum status
status_of(const struct page *t)
{
	if (t->fallback)
		return ST_MISSING;
	if (t->outdated)
		return ST_OUTDATED;
	if (t->unmarked)
		return ST_UNMARKED;
	return ST_TRANSLATED;
}

/* Groups are visited at their origins, in the scan's (path) order. */
static bool
is_origin(const struct page *p)
{
	return !p->fallback && p->origin == NULL;
}

static int
report(const struct site *site)
{
	const struct config	*cfg = site->cfg;
	const struct page	*p, *t;
	size_t			 i, k, n[ST_N], originals;
	enum status		 st;
	int			 bad = 0;

	for (k = 0; k < cfg->nlangs; k++) {
		memset(n, 0, sizeof(n));
		originals = 0;
		for (i = 0; i < site->npages; i++) {
			p = site->pages[i];
			if (!is_origin(p))
				continue;
			if ((t = p->translations[k]) == p)
				originals++;
			else if (t != NULL)
				n[status_of(t)]++;
		}
		printf("%s (%s): %zu original%s, %zu translated, %zu outdated, "
		    "%zu unmarked, %zu missing\n", cfg->langs[k].code,
		    cfg->langs[k].name, originals, originals == 1 ? "" : "s",
		    n[ST_TRANSLATED], n[ST_OUTDATED], n[ST_UNMARKED],
		    n[ST_MISSING]);
		for (st = ST_OUTDATED; st < ST_N; st++)
			for (i = 0; i < site->npages; i++) {
				p = site->pages[i];
				if (!is_origin(p) ||
				    (t = p->translations[k]) == p ||
				    t == NULL || status_of(t) != st)
					continue;
				if (st == ST_MISSING)
					printf("  %-9s %s\n", status_names[st],
					    p->src);
				else
					printf("  %-9s %s (from %s)\n",
					    status_names[st], t->src, p->src);
			}
		bad += (int)(n[ST_OUTDATED] + n[ST_UNMARKED] + n[ST_MISSING]);
	}
	return bad;
}

/* Byte offset of the start of 1-based line in text. */
static size_t
line_start(const char *text, size_t len, int line)
{
	size_t	i = 0;

	while (--line > 0 && i < len) {
		while (i < len && text[i] != '\n')
			i++;
		if (i < len)
			i++;
	}
	return i;
}

/*
 * Writes "translatedFrom: HASH" into the front matter of t: replaces the
 * value where the key is, or adds the line before the closing "---" (or
 * a whole front matter when there is none).  Written to a temporary file
 * and renamed over, so the file is never half written.
 */
static int
mark(const struct page *t, const char *hash)
{
	struct buf	 b;
	char		*text = NULL, *tmp = NULL;
	const char	*nl;
	size_t		 len, at, end;
	int		 rc = -1;

	if (file_read(t->src, &text, &len) == -1) {
		diag_error(t->src, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	nl = memmem(text, len, "\r\n", 2) != NULL ? "\r\n" : "\n";
	buf_init(&b);
	if (t->fm.translated_from.s != NULL) {
		at = line_start(text, len, t->fm.translated_from.pos.line) +
		    (size_t)t->fm.translated_from.pos.col - 1;
		for (end = at; end < len && text[end] != '\n' &&
		    text[end] != '\r'; end++)
			continue;
		buf_add(&b, text, at);
		buf_adds(&b, hash);
		buf_add(&b, text + end, len - end);
	} else if (t->fm.map != NULL) {
		/* Before the closing line, the last line before the body. */
		at = line_start(text, len, t->fm.body_line0);
		buf_add(&b, text, at);
		buf_printf(&b, "translatedFrom: %s%s", hash, nl);
		buf_add(&b, text + at, len - at);
	} else {
		buf_printf(&b, "---%stranslatedFrom: %s%s---%s", nl, hash, nl,
		    nl);
		buf_add(&b, text, len);
	}
	tmp = xasprintf("%s.awaaz-tmp", t->src);
	if (file_write(tmp, b.data, b.len) == -1 || rename(tmp, t->src) == -1) {
		diag_error(t->src, 0, 0, "cannot write: %s", strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(text);
	buf_release(&b);
	return rc;
}

static int
mark_path(const struct site *site, const char *path)
{
	const struct page	*p, *t = NULL;
	char			*norm;
	size_t			 i;
	int			 rc = -1;

	if ((norm = path_normalize(path)) == NULL) {
		diag_error(NULL, 0, 0, "'%s' is outside the site folder", path);
		return -1;
	}
	for (i = 0; i < site->npages && t == NULL; i++) {
		p = site->pages[i];
		if (!p->fallback && strcmp(p->src, norm) == 0)
			t = p;
	}
	if (t == NULL)
		diag_error(NULL, 0, 0, "'%s' is not a page of the site "
		    "(give its path from the site folder, as "
		    "'awaaz translations' prints it)", path);
	else if (t->origin == NULL)
		diag_error(t->src, 0, 0, "this page is an original, not a "
		    "translation: nothing to mark");
	else if (mark(t, t->origin->hash) == 0) {
		printf("%s: translatedFrom: %s (%s)\n", t->src,
		    t->origin->hash, t->origin->src);
		rc = 0;
	}
	free(norm);
	return rc;
}

int
cmd_translations(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'C' },
		{ "strict", no_argument, NULL, 'S' },
		{ "mark", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct build_opts	 o;
	struct build		*b;
	const char		*markpath = NULL;
	bool			 strict = false;
	int			 ch, rc = 1;

	memset(&o, 0, sizeof(o));
	o.root = ".";
	optind = 1;
	while ((ch = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1)
		switch (ch) {
		case 'C':
			o.root = optarg;
			break;
		case 'S':
			strict = true;
			break;
		case 'M':
			markpath = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	if (cmd_no_operands(argc, argv, usage_text) != 0)
		return 2;
	/* Fallback notes are this command's subject, not noise. */
	diag_set_min_level(DIAG_WARNING);
	if ((b = build_open(&o)) == NULL)
		goto out;
	if (markpath != NULL)
		rc = mark_path(build_site(b), markpath) == 0 ? 0 : 1;
	else
		rc = report(build_site(b)) > 0 && strict ? 1 : 0;
	build_close(b);
out:
	diag_flush(stderr);
	if (diag_count(DIAG_ERROR) > 0)
		rc = 1;
	return rc;
}
