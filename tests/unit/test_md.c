/* modules: md util diag */
/*
 * test_md.c: the Markdown module.  Every tests/md/NAME.md renders under a
 * <body> and must serialise (xmlNodeDump) to tests/md/NAME.xml byte for
 * byte; AWAAZ_REGEN=1 rewrites the .xml files instead (review the diff).
 * Each golden is also checked for elements outside the module's set and
 * for heading ids that differ between md_scan and md_render.  Unit tests
 * cover md_heading_id, md_scan (summary, words, headings, links, warnings
 * at exact positions), the resolve callback and parsing from threads.
 *
 * AWAAZ_MD_BENCH=FILE[:N] times md_render on FILE (a body) N times against
 * cmark_markdown_to_html alone and prints microseconds per page.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glob.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "diag.h"
#include "testutil.h"
#include "md.h"
#include "util.h"

/*
 * The benchmark's baseline.  Declared here rather than included: only
 * md.c includes cmark's headers.
 */
char	*cmark_markdown_to_html(const char *, size_t, int);

#define GOLDEN_DIR	"tests/md"

/* What the resolve callback saw, and the arena it answers from. */
struct seen {
	struct arena	*arena;
	struct buf	 log;
};

/*
 * Rewrites relative "NAME.md" and "NAME.md#frag" to "/en/NAME/" (with the
 * fragment), as the site's resolver would for a page of the same
 * language; logs every call as "dest image line:col".
 */
static const char *
resolve(void *ctx, const char *dest, bool image, int line, int col)
{
	struct seen	*s = ctx;
	const char	*hash, *base;
	size_t		 n;

	buf_printf(&s->log, "%s %d %d:%d\n", dest, image, line, col);
	if (image || strchr(dest, ':') != NULL || dest[0] == '/')
		return NULL;
	hash = strchr(dest, '#');
	n = hash != NULL ? (size_t)(hash - dest) : strlen(dest);
	if (n < 4 || strncmp(dest + n - 3, ".md", 3) != 0)
		return NULL;
	base = strrchr(dest, '/');
	base = base != NULL && base < dest + n ? base + 1 : dest;
	return arena_printf(s->arena, "/en/%.*s/%s", (int)(dest + n - 3 -
	    base), base, hash != NULL ? hash : "");
}

static const char *const allowed[] = {
	"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
	"blockquote", "pre", "code", "em", "strong", "del", "a", "img", "hr",
	"br", "table", "thead", "tbody", "tr", "th", "td", "sup", "section",
};

/* Every element below n is one md_render may make, in no namespace. */
static void
check_elements(xmlNodePtr n)
{
	size_t	i;

	for (n = n->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; i < nitems(allowed); i++)
			if (strcmp((const char *)n->name, allowed[i]) == 0)
				break;
		if (i == nitems(allowed))
			fail_msg("unexpected element <%s>", n->name);
		assert_null(n->ns);
		check_elements(n);
	}
}

/* Heading ids in document order, one per line, appended to b. */
static void
heading_ids(xmlNodePtr n, struct buf *b)
{
	xmlChar	*id;

	for (n = n->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (n->name[0] == 'h' && n->name[1] >= '1' &&
		    n->name[1] <= '6' && n->name[2] == '\0') {
			id = xmlGetProp(n, BAD_CAST "id");
			buf_printf(b, "%s\n", id != NULL ? (char *)id : "-");
			xmlFree(id);
		}
		heading_ids(n, b);
	}
}

/*
 * Renders text under a fresh <body> and returns its serialisation (a
 * newline added), malloc'd.  With dict, the document has a dictionary as
 * the pipeline's documents do.  ids, when not NULL, gets the heading ids.
 */
static char *
render(const char *path, const char *text, int line0,
    const struct md_env *env, bool dict, struct buf *ids)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 body;
	xmlBufferPtr	 xb;
	char		*out;

	doc = xmlNewDoc(BAD_CAST "1.0");
	/* Attributes keep their UTF-8 rather than character references. */
	doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
	if (dict)
		doc->dict = xmlDictCreate();
	body = xmlNewDocNode(doc, NULL, BAD_CAST "body", NULL);
	xmlDocSetRootElement(doc, body);
	assert_int_equal(md_render(body, path, text, strlen(text), line0,
	    env), 0);
	check_elements(body);
	if (ids != NULL)
		heading_ids(body, ids);
	xb = xmlBufferCreate();
	xmlNodeDump(xb, doc, body, 0, 0);
	out = xasprintf("%s\n", (const char *)xmlBufferContent(xb));
	xmlBufferFree(xb);
	xmlFreeDoc(doc);
	return out;
}

static void
test_golden(void **state)
{
	const char	*md = *state;
	struct seen	 seen;
	struct md_env	 env;
	struct md_scan	 scan;
	struct buf	 ids, sids;
	char		*text, *want, *got, *plain, *xml;
	size_t		 len, wlen, i;

	seen.arena = arena_new();
	buf_init(&seen.log);
	buf_init(&ids);
	buf_init(&sids);
	env.resolve = resolve;
	env.ctx = &seen;
	env.arena = seen.arena;
	assert_int_equal(file_read(md, &text, &len), 0);
	got = render(md, text, 0, &env, true, &ids);

	/* Without a dictionary and without resolve: the same tree. */
	plain = render(md, text, 0, NULL, false, NULL);
	if (strstr(text, ".md") == NULL)
		assert_string_equal(plain, got);

	/* md_scan names the same ids; its warnings are tested elsewhere. */
	assert_int_equal(md_scan(md, text, len, 0, &scan, seen.arena), 0);
	for (i = 0; i < scan.nheadings; i++)
		buf_printf(&sids, "%s\n", scan.headings[i].id);
	assert_string_equal(sids.data != NULL ? sids.data : "",
	    ids.data != NULL ? ids.data : "");
	diag_reset();

	xml = xasprintf("%.*s.xml", (int)(strlen(md) - 3), md);
	if (getenv("AWAAZ_REGEN") != NULL &&
	    strcmp(getenv("AWAAZ_REGEN"), "1") == 0) {
		assert_int_equal(file_write(xml, got, strlen(got)), 0);
	} else {
		if (file_read(xml, &want, &wlen) != 0)
			fail_msg("%s: cannot read (AWAAZ_REGEN=1 writes it)",
			    xml);
		if (strcmp(want, got) != 0)
			fail_msg("%s differs; got:\n%s", xml, got);
		free(want);
	}
	free(xml);
	free(plain);
	free(got);
	free(text);
	buf_release(&ids);
	buf_release(&sids);
	buf_release(&seen.log);
	arena_free(seen.arena);
}

static void
test_heading_id(void **state)
{
	static const char *const cases[][2] = {
		{ "Hello, World!", "hello-world" },
		{ "Know the signs", "know-the-signs" },
		{ "C++ & Rust_2 -- now", "c--rust_2----now" },
		{ "", "section" },
		{ "?!", "section" },
		{ "Tabs\tand\u00a0nbsp", "tabs-and-nbsp" },
		{ "ÉCOLE Über", "École-Über" },
		{ "خوش آمدید!", "خوش-آمدید" },
		{ "انسانی اسمگلنگ کیا ہے؟", "انسانی-اسمگلنگ-کیا-ہے" },
		{ "علامات، خطرات۔", "علامات-خطرات" },
		{ "می\u200cخواهم «کمک»", "می\u200cخواهم-کمک" },
		{ "কী করবেন।", "কী-করবেন" },
		{ "۱۴۰۳ — ٢٠٢٤", "۱۴۰۳--٢٠٢٤" },
		{ "Call 1234 ☎ now", "call-1234--now" },
		{ "\u200fRLM mark", "rlm-mark" },
		{ "Bad \xff byte", "bad--byte" },
	};
	struct arena	*a = arena_new();
	size_t		 i;

	for (i = 0; i < nitems(cases); i++)
		assert_string_equal(md_heading_id(cases[i][0], a),
		    cases[i][1]);
	arena_free(a);
}

static void
test_scan_summary_cut(void **state)
{
	struct arena	*a = arena_new();
	struct md_scan	 s;
	struct buf	 b, want;
	int		 i;

	buf_init(&b);
	buf_init(&want);
	buf_adds(&b, "# A title\n\n![alt text](x.png)\n\n");
	for (i = 1; i <= 70; i++) {
		buf_printf(&b, "w%d%s", i, i % 10 == 0 ? "\n" : "  ");
		if (i <= 60)
			buf_printf(&want, "%sw%d", i > 1 ? " " : "", i);
	}
	buf_adds(&want, "…");
	buf_adds(&b, "\nSecond paragraph.\n");
	assert_int_equal(md_scan("p.md", b.data, b.len, 0, &s, a), 0);
	assert_string_equal(s.summary, want.data);
	assert_true(s.truncated);
	assert_int_equal(s.words, 2 + 70 + 2);
	assert_int_equal(diag_count(DIAG_WARNING), 0);

	/* Exactly 60 words: nothing cut; the heading makes it truncated. */
	buf_reset(&b);
	for (i = 1; i <= 60; i++)
		buf_printf(&b, "w%d ", i);
	assert_int_equal(md_scan("p.md", b.data, b.len, 0, &s, a), 0);
	assert_null(strstr(s.summary, "…"));
	assert_false(s.truncated);
	assert_int_equal(s.words, 60);

	/* Markup, breaks and entities are text; words span inlines. */
	buf_reset(&b);
	buf_adds(&b, "> *Stop*\u00a0traffick**ing**  \nnow &amp; `here`[^1]\n\n"
	    "[^1]: Note.\n");
	assert_int_equal(md_scan("p.md", b.data, b.len, 0, &s, a), 0);
	assert_string_equal(s.summary, "Stop trafficking now & here");
	assert_int_equal(s.words, 6);
	assert_true(s.truncated);

	/* No paragraph: no summary. */
	assert_int_equal(md_scan("p.md", "# Only\n", 7, 0, &s, a), 0);
	assert_null(s.summary);
	assert_int_equal(s.words, 1);
	buf_release(&b);
	buf_release(&want);
	arena_free(a);
}

static void
test_scan_more(void **state)
{
	static const char block[] =
	    "Intro  one.\n\n## Heading\n\n- item *a*\n\n<!--more-->\n\n"
	    "After the divider.\n";
	static const char inl[] =
	    "First para.\n\nSecond **para** <!--more--> rest\nof it.\n";
	static const char end[] = "Only this.\n\n<!--more-->\n";
	static const char top[] = "<!--more-->\n\nText.\n";
	struct arena	*a = arena_new();
	struct md_scan	 s;
	char		*out;

	diag_reset();
	assert_int_equal(md_scan("m.md", block, sizeof(block) - 1, 0, &s, a),
	    0);
	assert_string_equal(s.summary, "Intro one. item a");
	assert_true(s.truncated);
	assert_int_equal(s.words, 2 + 1 + 2 + 3);

	assert_int_equal(md_scan("m.md", inl, sizeof(inl) - 1, 0, &s, a), 0);
	assert_string_equal(s.summary, "First para. Second para");
	assert_true(s.truncated);

	assert_int_equal(md_scan("m.md", end, sizeof(end) - 1, 0, &s, a), 0);
	assert_string_equal(s.summary, "Only this.");
	assert_false(s.truncated);

	assert_int_equal(md_scan("m.md", top, sizeof(top) - 1, 0, &s, a), 0);
	assert_null(s.summary);

	/* The divider raises no warning, wherever it is. */
	out = flushed();
	assert_string_equal(out, "");
	free(out);
	arena_free(a);
}

/*
 * Raw HTML and unsafe destinations: one warning each, at the file position
 * where it starts (line0 is 4), columns in bytes.
 */
static void
test_scan_warnings(void **state)
{
	static const char text[] =
	    "Intro <b>bold</b> text.\n"				/* 5 */
	    "\n"
	    "<div class=\"x\">\n"				/* 7 */
	    "hidden\n"
	    "</div>\n"
	    "\n"
	    "اردو <span>متن</span>\n"				/* 11 */
	    "\n"
	    "para\n"						/* 13 */
	    "    <i>indented</i> cont\n"			/* 14 */
	    "\n"
	    /* 16 */
	    "[click](javascript:alert(1)) and <JavaScript:alert(2)>\n"
	    "\n"
	    "> quote [x](  vbscript:msgbox  ) ![i](data:text/html,xx)"
	    " ![ok](data:image/png;base64,AAAA)\n"		/* 18 */
	    "\n"
	    "[two\nlines](file:///etc/passwd)\n"		/* 20 */
	    "\n"
	    "<!--more-->\n"					/* 23 */
	    "\n"
	    /* 25..27 */
	    "| a | b |\n|---|---|\n| <em>x</em> | [y](java&#9;script:z) |\n"
	    "\n"
	    "- item\n"
	    "  more <!-- note --> [w](DATA:image/gif,x)\n";	/* 30 */
	static const char want[] =
	    "x.md:5:7: warning: raw HTML is dropped\n"
	    "x.md:5:14: warning: raw HTML is dropped\n"
	    "x.md:7:1: warning: raw HTML is dropped\n"
	    "x.md:11:10: warning: raw HTML is dropped\n"
	    "x.md:11:22: warning: raw HTML is dropped\n"
	    "x.md:14:5: warning: raw HTML is dropped\n"
	    "x.md:14:16: warning: raw HTML is dropped\n"
	    "x.md:16:1: warning: unsafe link 'javascript:alert(1)' "
	    "is dropped\n"
	    "x.md:16:34: warning: unsafe link 'JavaScript:alert(2)' is dropped\n"
	    "x.md:18:9: warning: unsafe link 'vbscript:msgbox' is dropped\n"
	    "x.md:18:34: warning: unsafe image 'data:text/html,xx' is dropped\n"
	    "x.md:20:1: warning: unsafe link 'file:///etc/passwd' is dropped\n"
	    "x.md:27:3: warning: raw HTML is dropped\n"
	    "x.md:27:8: warning: raw HTML is dropped\n"
	    "x.md:27:16: warning: unsafe link 'java\\tscript:z' is dropped\n"
	    "x.md:30:8: warning: raw HTML is dropped\n"
	    "x.md:30:22: warning: unsafe link 'DATA:image/gif,x' is dropped\n";
	struct arena	*a = arena_new();
	struct md_scan	 s;
	struct buf	 plain;
	char		*out;

	diag_reset();
	assert_int_equal(md_scan("x.md", text, sizeof(text) - 1, 4, &s, a),
	    0);
	out = flushed();
	assert_string_equal(out, want);
	free(out);
	assert_int_equal(diag_count(DIAG_WARNING), 17);
	assert_int_equal(diag_count(DIAG_ERROR), 0);
	diag_reset();

	/* The build's scan keeps only the images, and warns the same. */
	buf_init(&plain);
	assert_int_equal(md_scan_text("x.md", text, sizeof(text) - 1, 4, &s,
	    &plain, a), 0);
	out = flushed();
	assert_string_equal(out, want);
	free(out);
	assert_int_equal(s.nlinks, 2);
	assert_true(s.links[0].image && s.links[1].image);
	assert_string_equal(s.links[1].dest, "data:image/png;base64,AAAA");
	buf_release(&plain);
	diag_reset();
	arena_free(a);
}

static void
test_scan_links(void **state)
{
	static const char text[] =
	    "See [the guide](guide.md \"Guide\") and www.example.org.\n"
	    "  Also [ref][r], <https://unodc.org/>, help@example.org and\n"
	    "![A *big* ![inner](i.png) sign](sign.png) [![logo](l.svg)](x)\n"
	    "\n"
	    "| col |\n|---|\n| [تعاون](ur.md) |\n"
	    "\n"
	    "[r]: ../other.md\n";
	static const struct {
		const char	*dest;
		bool		 image;
		const char	*alt;
		int		 line, col;
	} want[] = {
		{ "guide.md", false, NULL, 11, 5 },
		{ "http://www.example.org", false, NULL, 11, 39 },
		{ "../other.md", false, NULL, 12, 8 },
		{ "https://unodc.org/", false, NULL, 12, 18 },
		{ "mailto:help@example.org", false, NULL, 12, 40 },
		{ "sign.png", true, "A big inner sign", 13, 1 },
		{ "x", false, NULL, 13, 43 },
		{ "l.svg", true, "logo", 13, 44 },
		{ "ur.md", false, NULL, 17, 3 },
	};
	struct arena	*a = arena_new();
	struct md_scan	 s;
	size_t		 i;

	diag_reset();
	assert_int_equal(md_scan("l.md", text, sizeof(text) - 1, 10, &s, a),
	    0);
	assert_int_equal(s.nlinks, nitems(want));
	for (i = 0; i < nitems(want); i++) {
		assert_string_equal(s.links[i].dest, want[i].dest);
		assert_int_equal(s.links[i].image, want[i].image);
		if (want[i].alt == NULL)
			assert_null(s.links[i].alt);
		else
			assert_string_equal(s.links[i].alt, want[i].alt);
		if (s.links[i].line != want[i].line ||
		    s.links[i].col != want[i].col)
			fail_msg("link %zu '%s' at %d:%d, want %d:%d", i,
			    want[i].dest, s.links[i].line, s.links[i].col,
			    want[i].line, want[i].col);
	}
	assert_int_equal(diag_count(DIAG_WARNING), 0);
	arena_free(a);
}

static void
test_scan_headings(void **state)
{
	static const char text[] =
	    "# Intro\n\n## Intro\n\nIntro\n-----\n\n#### Intro-1\n\n"
	    "## خوش *آمدید*!\n\n#\n\n### `code` and [link](x.md)   \n";
	static const struct {
		int		 level;
		const char	*id, *text;
		int		 line;
	} want[] = {
		{ 1, "intro", "Intro", 3 },
		{ 2, "intro-1", "Intro", 5 },
		{ 2, "intro-2", "Intro", 7 },
		{ 4, "intro-1-1", "Intro-1", 10 },
		{ 2, "خوش-آمدید", "خوش آمدید!", 12 },
		{ 1, "section", "", 14 },
		{ 3, "code-and-link", "code and link", 16 },
	};
	struct arena	*a = arena_new();
	struct md_scan	 s;
	size_t		 i;

	assert_int_equal(md_scan("h.md", text, sizeof(text) - 1, 2, &s, a),
	    0);
	assert_int_equal(s.nheadings, nitems(want));
	for (i = 0; i < nitems(want); i++) {
		assert_int_equal(s.headings[i].level, want[i].level);
		assert_string_equal(s.headings[i].id, want[i].id);
		assert_string_equal(s.headings[i].text, want[i].text);
		assert_int_equal(s.headings[i].line, want[i].line);
	}
	assert_null(s.summary);
	arena_free(a);
}

/*
 * The resolver sees destinations as written, at file positions, and
 * never an unsafe one; what it returns becomes the href.
 */
static void
test_render_resolve(void **state)
{
	static const char text[] =
	    "Read [the signs](know-the-signs.md#help) and\n"
	    "   [more](../ur/x.md).\n"
	    "\n"
	    "> ![map](map.png \"Route\") [bad](javascript:x) "
	    "<https://example.org>\n";
	static const char want_log[] =
	    "know-the-signs.md#help 0 8:6\n"
	    "../ur/x.md 0 9:4\n"
	    "map.png 1 11:3\n"
	    "https://example.org 0 11:47\n";
	static const char want[] =
	    "<body><p>Read <a href=\"/en/know-the-signs/#help\">the signs</a>"
	    " and\n<a href=\"/en/x/\">more</a>.</p>\n<blockquote>\n<p>"
	    "<img src=\"map.png\" alt=\"map\" title=\"Route\"/> <a>bad</a> "
	    "<a href=\"https://example.org\">https://example.org</a></p>\n"
	    "</blockquote>\n</body>\n";
	struct seen	 seen;
	struct md_env	 env;
	char		*got;

	seen.arena = arena_new();
	buf_init(&seen.log);
	env.resolve = resolve;
	env.ctx = &seen;
	env.arena = seen.arena;
	got = render("r.md", text, 7, &env, true, NULL);
	assert_string_equal(got, want);
	assert_string_equal(seen.log.data, want_log);
	assert_int_equal(diag_count(DIAG_WARNING), 0);
	free(got);
	buf_release(&seen.log);
	arena_free(seen.arena);
}

/* md_render appends after what the parent holds, in the parent's doc. */
static void
test_render_appends(void **state)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 body, div;
	xmlBufferPtr	 xb;

	doc = xmlNewDoc(BAD_CAST "1.0");
	doc->dict = xmlDictCreate();
	body = xmlNewDocNode(doc, NULL, BAD_CAST "body", NULL);
	xmlDocSetRootElement(doc, body);
	div = xmlNewChild(body, NULL, BAD_CAST "div", BAD_CAST "before");
	assert_int_equal(md_render(div, "a.md", "*x*\n\n- y\n", 9, 0, NULL),
	    0);
	xb = xmlBufferCreate();
	xmlNodeDump(xb, doc, body, 0, 0);
	assert_string_equal((const char *)xmlBufferContent(xb),
	    "<body><div>before\n<p><em>x</em></p>\n<ul>\n<li>y</li>\n</ul>\n"
	    "</div></body>");
	assert_true(xmlDictOwns(doc->dict, div->children->next->name) == 1);
	xmlBufferFree(xb);
	xmlFreeDoc(doc);
}

/*
 * Threads render at once and must all get the single-threaded result:
 * cmark-gfm's extension tables are process-wide, md.c holds a lock.
 */
#define NTHREADS	4
#define NROUNDS		40

static const char thread_text[] =
    "# T\n\n| a | b |\n|:-|-:|\n| ~~x~~ | *y* |\n\nwww.example.org ~z~\n"
    "\n> **q**[^1]\n\n[^1]: n\n";
static char	*thread_want;

static void *
thread_main(void *arg)
{
	int	*bad = arg, i;
	char	*got;

	for (i = 0; i < NROUNDS; i++) {
		got = render("t.md", thread_text, 0, NULL, true, NULL);
		if (strcmp(got, thread_want) != 0)
			(*bad)++;
		free(got);
	}
	return NULL;
}

static void
test_render_threads(void **state)
{
	pthread_t	t[NTHREADS];
	int		bad[NTHREADS] = { 0 }, i;

	thread_want = render("t.md", thread_text, 0, NULL, true, NULL);
	assert_non_null(strstr(thread_want, "<del>x</del>"));
	assert_non_null(strstr(thread_want, "text-align:end"));
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, thread_main,
		    &bad[i]), 0);
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(bad[i], 0);
	}
	free(thread_want);
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Not a test: prints timings when AWAAZ_MD_BENCH=FILE[:N] is set. */
static void
bench(const char *spec)
{
	struct md_scan	 s;
	struct md_env	 env;
	struct seen	 seen;
	struct arena	*a = arena_new();
	xmlDocPtr	 doc;
	xmlNodePtr	 body;
	char		*path, *colon, *text, *html;
	size_t		 len;
	double		 t0, t_cmark, t_render, t_resolve, t_scan, t_free;
	long		 n = 2000, i;

	path = xstrdup(spec);
	if ((colon = strrchr(path, ':')) != NULL) {
		*colon = '\0';
		n = strtol(colon + 1, NULL, 10);
	}
	if (file_read(path, &text, &len) != 0) {
		fprintf(stderr, "%s: cannot read\n", path);
		exit(1);
	}
	seen.arena = a;
	buf_init(&seen.log);
	env.resolve = NULL;
	env.ctx = &seen;
	env.arena = a;

	t0 = now();
	for (i = 0; i < n; i++)
		free(cmark_markdown_to_html(text, len, 0));
	t_cmark = now() - t0;

	t_free = 0;
	t0 = now();
	for (i = 0; i < n; i++) {
		doc = xmlNewDoc(BAD_CAST "1.0");
		doc->dict = xmlDictCreate();
		body = xmlNewDocNode(doc, NULL, BAD_CAST "body", NULL);
		xmlDocSetRootElement(doc, body);
		md_render(body, path, text, len, 0, &env);
		xmlFreeDoc(doc);
		arena_reset(a);
	}
	t_render = now() - t0;

	/* The freeing alone, to tell building from tearing down. */
	doc = xmlNewDoc(BAD_CAST "1.0");
	for (i = 0; i < n; i++) {
		xmlDocPtr	d = xmlNewDoc(BAD_CAST "1.0");

		d->dict = xmlDictCreate();
		body = xmlNewDocNode(d, NULL, BAD_CAST "body", NULL);
		xmlDocSetRootElement(d, body);
		md_render(body, path, text, len, 0, &env);
		t0 = now();
		xmlFreeDoc(d);
		t_free += now() - t0;
		arena_reset(a);
	}
	xmlFreeDoc(doc);

	env.resolve = resolve;
	t0 = now();
	for (i = 0; i < n; i++) {
		doc = xmlNewDoc(BAD_CAST "1.0");
		doc->dict = xmlDictCreate();
		body = xmlNewDocNode(doc, NULL, BAD_CAST "body", NULL);
		xmlDocSetRootElement(doc, body);
		md_render(body, path, text, len, 0, &env);
		xmlFreeDoc(doc);
		arena_reset(a);
		buf_reset(&seen.log);
	}
	t_resolve = now() - t0;

	t0 = now();
	for (i = 0; i < n; i++) {
		md_scan(path, text, len, 0, &s, a);
		arena_reset(a);
	}
	t_scan = now() - t0;

	html = cmark_markdown_to_html(text, len, 0);
	printf("bench %s: %zu bytes, %ld rounds, us per page:\n"
	    "  cmark_markdown_to_html      %8.1f\n"
	    "  md_render (+ doc, free)     %8.1f   of which xmlFreeDoc %.1f\n"
	    "  md_render with resolve      %8.1f\n"
	    "  md_scan                     %8.1f\n",
	    path, len, n, t_cmark / n * 1e6, t_render / n * 1e6,
	    t_free / n * 1e6, t_resolve / n * 1e6, t_scan / n * 1e6);
	free(html);
	free(text);
	free(path);
	buf_release(&seen.log);
	arena_free(a);
}

int
main(void)
{
	struct CMUnitTest	*tests;
	const struct CMUnitTest	 fixed[] = {
		cmocka_unit_test(test_heading_id),
		cmocka_unit_test(test_scan_summary_cut),
		cmocka_unit_test(test_scan_more),
		cmocka_unit_test(test_scan_warnings),
		cmocka_unit_test(test_scan_links),
		cmocka_unit_test(test_scan_headings),
		cmocka_unit_test(test_render_resolve),
		cmocka_unit_test(test_render_appends),
		cmocka_unit_test(test_render_threads),
	};
	glob_t			 g;
	size_t			 i, n;
	int			 rc;

	xmlInitParser();
	if (getenv("AWAAZ_MD_BENCH") != NULL) {
		bench(getenv("AWAAZ_MD_BENCH"));
		xmlCleanupParser();
		return 0;
	}
	memset(&g, 0, sizeof(g));
	if (glob(GOLDEN_DIR "/*.md", 0, NULL, &g) != 0 || g.gl_pathc == 0) {
		fprintf(stderr, "test_md: no %s/*.md (run from the top "
		    "folder)\n", GOLDEN_DIR);
		return 1;
	}
	n = nitems(fixed) + g.gl_pathc;
	tests = xcalloc(n, sizeof(*tests));
	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < g.gl_pathc; i++) {
		tests[nitems(fixed) + i].name = g.gl_pathv[i];
		tests[nitems(fixed) + i].test_func = test_golden;
		tests[nitems(fixed) + i].initial_state = g.gl_pathv[i];
	}
	rc = _cmocka_run_group_tests("md", tests, n, NULL, NULL);
	free(tests);
	globfree(&g);
	diag_reset();
	xmlCleanupParser();
	return rc;
}
