/*
 * check.c: the findings campaign staff need before they publish, in the
 * words a campaign editor would use.  The build runs check_site too, so a
 * page with an error is never published; "awaaz check" runs the whole
 * build, rendering every page to measure its weight, and writes no output.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "build.h"
#include "cmd.h"
#include "check.h"
#include "diag.h"
#include "site.h"
#include "util.h"

#define TITLE_MAX	90	/* characters: fits a search result, a card */
#define SUMMARY_MAX	300

/* Characters, not bytes, in UTF-8 text. */
static size_t
chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int
check_page(const struct page *p)
{
	const struct md_link	*l;
	size_t			 i;
	int			 level = 1, nerr = 0;

	for (i = 0; i < p->scan.nlinks; i++) {
		l = &p->scan.links[i];
		if (l->image && (l->alt == NULL || *l->alt == '\0')) {
			diag_error(p->src, l->line, l->col, "image '%s' has no "
			    "description: write one between the brackets, "
			    "![like this](%s)", l->dest, l->dest);
			nerr++;
		}
	}
	/* The page title is the h1: body headings start at h2. */
	for (i = 0; i < p->scan.nheadings; i++) {
		if (p->scan.headings[i].level > level + 1)
			diag_warning(p->src, p->scan.headings[i].line, 1,
			    "heading level %d follows level %d: a level is "
			    "skipped", p->scan.headings[i].level, level);
		level = p->scan.headings[i].level;
	}
	if (p->kind == PAGE_HOME)
		return nerr;
	if (p->fm.title.s == NULL || *p->fm.title.s == '\0')
		diag_warning(p->src, 1, 1, "no title: '%s' is shown", p->title);
	else if (chars(p->fm.title.s) > TITLE_MAX)
		diag_warning(p->src, p->fm.title.pos.line, p->fm.title.pos.col,
		    "title has %zu characters: keep it under %d",
		    chars(p->fm.title.s), TITLE_MAX);
	if (p->kind != PAGE_PAGE)
		return nerr;
	if (p->summary == NULL || *p->summary == '\0')
		diag_warning(p->src, 1, 1, "no summary: lists show none "
		    "(add 'summary:' or a first paragraph)");
	else if (p->fm.summary.s != NULL && chars(p->fm.summary.s) >
	    SUMMARY_MAX)
		diag_warning(p->src, p->fm.summary.pos.line,
		    p->fm.summary.pos.col, "summary has %zu characters: "
		    "keep it under %d", chars(p->fm.summary.s), SUMMARY_MAX);
	return nerr;
}

int
check_site(const struct site *site)
{
	size_t	i;
	int	nerr = 0;

	for (i = 0; i < site->npages; i++)
		if (!site->pages[i]->fallback)
			nerr += check_page(site->pages[i]);
	return nerr;
}

static const char usage_text[] =
"usage: awaaz check [-C DIR] [--strict] [-q]\n"
"\n"
"Checks the site in DIR as a build would, and more, without writing any\n"
"output (handouts it lays out are kept in DIR/.awaaz-cache for the next\n"
"build): broken links and anchors, missing images and images without\n"
"a description, headings that skip a level, missing or long titles and\n"
"summaries, unknown audiences, duplicate URLs, pages over the page\n"
"budget, untranslated interface strings, raw HTML that is dropped, and\n"
"pages shown in a language they are not translated into (notes).\n"
"\n"
"  -C, --dir DIR   the site folder (default: the current folder)\n"
"      --strict    exit 1 on warnings too (notes never fail)\n"
"  -q, --quiet     print errors only\n"
"  -h, --help      print this help\n"
"\n"
"Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage.\n";

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'C' },
		{ "strict", no_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct build_opts	o;
	bool			strict = false;
	int			ch, rc, e, w, n;

	memset(&o, 0, sizeof(o));
	o.root = ".";
	o.check = true;
	o.verbosity = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "C:qh", longopts, NULL)) != -1)
		switch (ch) {
		case 'C':
			o.root = optarg;
			break;
		case 'S':
			strict = true;
			break;
		case 'q':
			o.verbosity = -1;
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
	rc = build_run(&o);
	e = diag_count(DIAG_ERROR);
	w = diag_count(DIAG_WARNING);
	n = diag_count(DIAG_NOTE);
	fprintf(stderr, "awaaz: %d error%s, %d warning%s, %d note%s\n",
	    e, e == 1 ? "" : "s", w, w == 1 ? "" : "s", n, n == 1 ? "" : "s");
	if (rc == 0 && strict && w > 0)
		rc = 1;
	return rc;
}
