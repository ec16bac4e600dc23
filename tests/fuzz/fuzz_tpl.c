/*
 * fuzz_tpl.c: tpl_load on a templates folder whose page.html is the
 * input, then, when it loads, tpl_render and html_write of page.html.
 *
 * Each process makes its own folder under $TMPDIR (removed at exit) and
 * writes two fixed, valid templates beside the input, base.html (with
 * blocks) and partials/header.html, so that aw:extends and aw:include of
 * real templates are reachable; tests/tpl/page-relative is where they come
 * from.  The page renders twice: with small data documents bound as $site,
 * $lang and $page ($section empty) and an English struct l10n holding the
 * default theme's kind of messages, then with every variable empty and no
 * l10n.  Templates come from theme authors rather than from content, so
 * only the sanitizers and the diagnostic rules of fuzz.h are checked.
 */
/* modules: tpl html url fm yaml l10n l10n_msg util diag */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "diag.h"
#include "fuzz.h"
#include "html.h"
#include "l10n.h"
#include "tpl.h"
#include "util.h"

#define PAGE	"/en/handouts/know-the-signs/"

static const char base_html[] =
    "<!DOCTYPE html>\n"
    "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
    "xmlns:aw=\"urn:awaaz:template\"\n"
    "      aw:lang=\"$lang/@locale\" aw:dir=\"$lang/@dir\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\"/>\n"
    "<title aw:block=\"title\" aw:text=\"concat($page/title, ' | ', "
    "$site/@title)\">Page | Site</title>\n"
    "<meta aw:if=\"$page/summary\" name=\"description\" "
    "aw:content=\"$page/summary\"/>\n"
    "<link rel=\"stylesheet\" href=\"/assets/site.css\"/>\n"
    "<style><![CDATA[main > p::after { content: \"</style>\"; }]]>"
    "</style>\n"
    "</head>\n"
    "<body>\n"
    "<aw:group aw:include=\"partials/header.html\"/>\n"
    "<main id=\"main\" aw:block=\"main\">\n"
    "<p>Content</p>\n"
    "</main>\n"
    "<footer aw:block=\"footer\"><p aw:text=\"aw:t('built-with', "
    "'generator', 'awaaz')\">Built</p></footer>\n"
    "</body>\n"
    "</html>\n";

static const char header_html[] =
    "<header xmlns=\"http://www.w3.org/1999/xhtml\" "
    "xmlns:aw=\"urn:awaaz:template\"\n"
    "        class=\"site-head\">\n"
    "<a class=\"brand\" aw:href=\"$lang/@url\"><img "
    "src=\"/assets/logo.svg\" alt=\"\" width=\"44\" height=\"44\"/>"
    "<span aw:text=\"$site/@title\">Site</span></a>\n"
    "<nav aw:if=\"$lang/section\" aw:aria-label=\"aw:t('nav-sections')\">\n"
    "<ul>\n"
    "<li aw:each=\"s in $lang/section\"><a aw:href=\"$s/@url\" "
    "aw:text=\"$s/title\" aw:aria-current=\"$s/@name = $page/@section "
    "and 'page'\">Section</a></li>\n"
    "</ul>\n"
    "</nav>\n"
    "</header>\n";

static const char data_xml[] =
    "<vars>"
    "<site title=\"Stop Trafficking\"/>"
    "<lang code=\"en\" locale=\"en\" dir=\"ltr\" url=\"/en/\">"
    "<section name=\"handouts\" url=\"/en/handouts/\">"
    "<title>Handouts</title></section>"
    "<section name=\"news\" url=\"/en/news/\">"
    "<title>News &amp; events</title></section>"
    "</lang>"
    "<page url=\"/en/handouts/know-the-signs/\" kind=\"page\" "
    "section=\"handouts\" reading-time=\"4\">"
    "<title>Know the signs &lt;script&gt;</title>"
    "<date value=\"1706745600\" iso=\"2024-02-01\">2024-02-01</date>"
    "<summary>اردو متن: signs that a job offer may be a trap.</summary>"
    "<body><h2 id=\"signs\">Signs</h2><p>A recruiter keeps your "
    "<em>passport</em> &amp; asks for a fee: <a "
    "href=\"/en/handouts/safe-migration/\">read more</a>. <img "
    "src=\"/en/handouts/know-the-signs/poster.png\" alt=\"Poster\"/></p>"
    "<pre>\nint x = 1 &lt; 2;</pre></body>"
    "<tag name=\"Safe migration\" url=\"/en/tags/safe-migration/\"/>"
    "<tag name=\"Jobs\" url=\"/en/tags/jobs/\"/>"
    "<param name=\"video\">/en/handouts/know-the-signs/clip.webm</param>"
    "<param name=\"code\">\nfirst line</param>"
    "</page>"
    "</vars>";

static const char *const messages[][2] = {
	{ "nav-sections", "Sections" },
	{ "published", "Published" },
	{ "tags", "Tags" },
	{ "reading-time",
	    "{minutes, plural, one {# minute read} other {# minutes read}}" },
	{ "page-count",
	    "{count, plural, =0 {No pages yet} one {# page} other "
	    "{# pages}}" },
	{ "for-audience",
	    "{audience, select, communities {For communities} journalists "
	    "{For journalists} other {For {label}}}" },
	{ "updated", "Updated {date, date, long} by {name}" },
	{ "built-with", "Built with {generator}." },
};

static char		 dir[64];
static char		*tdir, *page_path, *base_path, *header_path;
static xmlDocPtr	 data;
static struct tpl_var	 vars[8], empty_vars[8];
static size_t		 nvars;
static struct l10n	*l10n;

static void
cleanup(void)
{
	if (dir[0] != '\0')
		rm_rf(dir);
	xmlFreeDoc(data);
	l10n_free(l10n);
	free(tdir);
	free(page_path);
	free(base_path);
	free(header_path);
}

static void
write_or_die(const char *path, const char *text, size_t len)
{
	if (file_write(path, text, len) == -1) {
		perror(path);
		exit(2);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct l10n_opts	 o;
	xmlNodePtr		 c;
	const char		*tmp;
	char			*partials;
	size_t			 i;

	xmlInitParser();
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(dir, sizeof(dir), "%s/awaaz-fuzz-tpl-XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		exit(2);
	}
	atexit(cleanup);
	tdir = path_join(dir, "templates");
	partials = path_join(tdir, "partials");
	if (mkdir_p(partials) == -1) {
		perror(partials);
		exit(2);
	}
	page_path = path_join(tdir, "page.html");
	base_path = path_join(tdir, "base.html");
	header_path = path_join(partials, "header.html");
	free(partials);
	write_or_die(base_path, base_html, sizeof(base_html) - 1);
	write_or_die(header_path, header_html, sizeof(header_html) - 1);

	data = xmlReadMemory(data_xml, (int)sizeof(data_xml) - 1, "data.xml",
	    "UTF-8", XML_PARSE_NONET);
	if (data == NULL)
		abort();
	for (c = xmlDocGetRootElement(data)->children; c != NULL;
	    c = c->next) {
		if (c->type != XML_ELEMENT_NODE || nvars + 1 == nitems(vars))
			continue;
		vars[nvars].name = (const char *)c->name;
		vars[nvars].node = c;
		empty_vars[nvars].name = (const char *)c->name;
		nvars++;
	}
	/* As on a page outside any section. */
	vars[nvars].name = empty_vars[nvars].name = "section";
	nvars++;

	memset(&o, 0, sizeof(o));
	o.locale = "en";
	if ((l10n = l10n_new(&o)) == NULL)
		abort();
	for (i = 0; i < nitems(messages); i++)
		if (l10n_add_message(l10n, messages[i][0], messages[i][1],
		    "locales/en.yaml", (int)i + 1, 1) == -1)
			abort();
	diag_reset();
	return 0;
}

static void
render(struct tpl_set *s, const struct tpl_var *v, struct l10n *l)
{
	struct tpl_env	 env;
	xmlDocPtr	 out;
	struct buf	 b;

	memset(&env, 0, sizeof(env));
	env.vars = v;
	env.nvars = nvars;
	env.l10n = l;
	env.lang = "en";
	env.page_path = "content/en/handouts/know-the-signs.md";
	if ((out = tpl_render(s, "page.html", &env)) == NULL)
		return;
	buf_init(&b);
	html_write(&b, out, PAGE, "");
	/* The output must go before the documents it refers to. */
	xmlFreeDoc(out);
	buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data_in, size_t size)
{
	struct tpl_set		*s;
	struct fuzz_file	 files[3];

	write_or_die(page_path, (const char *)data_in, size);
	memset(files, 0, sizeof(files));
	files[0].path = page_path;
	files[0].text = (const char *)data_in;
	files[0].len = size;
	files[1].path = base_path;
	files[1].text = base_html;
	files[1].len = sizeof(base_html) - 1;
	files[2].path = header_path;
	files[2].text = header_html;
	files[2].len = sizeof(header_html) - 1;

	if ((s = tpl_load(tdir)) != NULL) {
		if (fuzz_oracles() && diag_count(DIAG_ERROR) != 0)
			fuzz_fail("tpl_load", "errors but a template set");
		if (!tpl_has(s, "page.html"))
			fuzz_fail("tpl_load", "page.html missing");
		render(s, vars, l10n);
		render(s, empty_vars, NULL);
		tpl_free(s);
	} else if (fuzz_oracles() && diag_count(DIAG_ERROR) == 0)
		fuzz_fail("tpl_load", "failed without an error");
	fuzz_check_diags(files, nitems(files));
	fuzz_end();
	return 0;
}
