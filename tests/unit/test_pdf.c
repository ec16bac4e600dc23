/* modules: pdf md fm yaml l10n l10n_msg hash url util diag */
/*
 * test_pdf.c: print handouts.  The page breaker on synthetic blocks; then
 * real bodies (Markdown through md_render, in en, ur, fa and bn) rendered
 * and read back with poppler's tools: pages (pdfinfo), "Tagged: yes" and
 * the title, every font embedded and subset (pdffonts), the text
 * (pdftotext; Latin, Naskh and Bengali, since Nastaliq extracts in
 * fragments), the QR code (pdftoppm, then zbarimg decodes it to the URL);
 * a second render gives the same bytes; a missing image and an unknown
 * page size are reported at their path:line:col.
 *
 * AWAAZ_PDF_OUT=DIR renders the example campaign's handouts
 * (content/CODE/handouts/know-the-signs.md) into DIR/CODE.pdf for looking
 * at; AWAAZ_PDF_BENCH=N renders the Urdu one N times and prints the
 * milliseconds per page (and pdf_ctx_new's; AWAAZ_PDF_CACHE=DIR keeps the
 * font cache there).  AWAAZ_PDF_KEEP=1 keeps the test's PDFs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "config.h"
#include "diag.h"
#include "testutil.h"
#include "fm.h"
#include "hash.h"
#include "l10n.h"
#include "md.h"
#include "pdf.h"
#include "util.h"
#include "yaml.h"

/* 2024-02-01T00:00:00Z */
#define FEB1	((int64_t)1706745600)

static char		 tmpdir[] = "/tmp/awaaz-test-pdf-XXXXXX";
static struct pdf_ctx	*ctx;

static struct lang langs[] = {
	{ "en", "en", "ltr", "English", NULL, NULL, NULL, 0 },
	{ "ur", "ur-PK", "rtl", "اردو", NULL, NULL, NULL, 1 },
	{ "ps", "ps-AF", "rtl", "پښتو", NULL, NULL, NULL, 2 },
	{ "fa", "fa-AF", "rtl", "دری", NULL, NULL, NULL, 3 },
	{ "ar", "ar-IQ", "rtl", "العربية", NULL, NULL, NULL, 4 },
	{ "bn", "bn-BD", "ltr", "বাংলা", NULL, NULL, NULL, 5 },
};

static const struct lang *
lang(const char *code)
{
	size_t	i;

	for (i = 0; i < nitems(langs); i++)
		if (strcmp(langs[i].code, code) == 0)
			return &langs[i];
	fail_msg("no language %s", code);
	return NULL;
}

/*
 * One language's services with the theme's UI strings and the two keys
 * the handouts add (until the locales have them).
 */
static struct l10n *
open_l10n(const struct lang *l)
{
	struct l10n_opts	 o;
	struct l10n		*t;
	struct arena		*a;
	const struct yaml_node	*root, *v;
	char			*path, *text;
	size_t			 len, i;

	memset(&o, 0, sizeof(o));
	o.locale = l->locale;
	t = l10n_new(&o);
	assert_non_null(t);
	a = arena_new();
	path = xasprintf("themes/default/locales/%s.yaml", l->code);
	assert_int_equal(file_read(path, &text, &len), 0);
	root = yaml_parse(path, text, len, 0, a);
	assert_non_null(root);
	for (i = 0; i < root->n; i++) {
		v = root->pairs[i].value;
		if (v->kind == YAML_SCALAR)
			l10n_add_message(t, root->pairs[i].key->str, v->str,
			    path, v->line, v->col);
	}
	if (!l10n_has_message(t, "handout-helplines"))
		l10n_add_message(t, "handout-helplines", strcmp(l->code,
		    "ur") == 0 ? "ہیلپ لائنیں" : "Helplines", path, 1, 1);
	if (!l10n_has_message(t, "handout-sample"))
		l10n_add_message(t, "handout-sample", strcmp(l->code,
		    "ur") == 0 ? "نمونہ" : "sample", path, 1, 1);
	free(text);
	free(path);
	arena_free(a);
	return t;
}

/* A page: a document with a <body> the Markdown is rendered under. */
struct page {
	xmlDocPtr	 doc;
	struct arena	*arena;
	struct md_scan	 scan;
	struct arena	*fm_arena;	/* front matter, or NULL */
	struct l10n	*l10n;
	struct pdf_page	 pg;
};

static void
page_init(struct page *p, const char *code, const char *src,
    const char *md, int line0)
{
	struct md_env	env;
	xmlNodePtr	body;

	memset(p, 0, sizeof(*p));
	p->arena = arena_new();
	p->doc = xmlNewDoc((const xmlChar *)"1.0");
	body = xmlNewDocNode(p->doc, NULL, (const xmlChar *)"body", NULL);
	xmlDocSetRootElement(p->doc, body);
	memset(&env, 0, sizeof(env));
	env.arena = p->arena;
	assert_int_equal(md_scan(src, md, strlen(md), line0, &p->scan,
	    p->arena), 0);
	assert_int_equal(md_render(body, src, md, strlen(md), line0, &env),
	    0);
	p->pg.src = src;
	p->pg.size = "a4";
	p->pg.lang = lang(code);
	p->l10n = open_l10n(p->pg.lang);
	p->pg.l10n = p->l10n;
	p->pg.has_date = true;
	p->pg.date = FEB1;
	p->pg.site_title = "Awaaz: Know the signs";
	p->pg.root = ".";
	p->pg.body = body;
	p->pg.links = p->scan.links;
	p->pg.nlinks = p->scan.nlinks;
}

static void
page_release(struct page *p)
{
	xmlFreeDoc(p->doc);
	l10n_free(p->l10n);
	arena_free(p->arena);
	arena_free(p->fm_arena);
}

/* Renders into tmpdir/name.pdf; returns its path (static). */
static const char *
render_to(struct page *p, const char *name)
{
	static char	path[256];
	struct buf	out;

	buf_init(&out);
	assert_int_equal(pdf_render(ctx, &p->pg, &out), 0);
	assert_true(out.len > 1000);
	assert_memory_equal(out.data, "%PDF-", 5);
	snprintf(path, sizeof(path), "%s/%s.pdf", tmpdir, name);
	assert_int_equal(file_write(path, out.data, out.len), 0);
	buf_release(&out);
	return path;
}

/* A command's standard output (malloc'd). */
static char *
run(const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;
	char		*cmd, chunk[4096];
	FILE		*fp;
	size_t		 n;

	va_start(ap, fmt);
	assert_true(vasprintf(&cmd, fmt, ap) > 0);
	va_end(ap);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	pclose(fp);
	free(cmd);
	if (b.data == NULL)
		buf_adds(&b, "");
	return buf_detach(&b, NULL);
}

/*
 * Text as compared: without the isolates U+2066..U+2069 and ZWNJ, which
 * draw nothing and so do not come back from pdftotext, without the bidi
 * embeddings U+202A..U+202E pdftotext puts around right-to-left lines,
 * and with runs of white space as one space.
 */
static char *
fold(char *t)
{
	char	*s, *d;
	bool	 sp = false;

	for (s = d = t; *s != '\0'; ) {
		if ((unsigned char)s[0] == 0xe2 && (((unsigned char)s[1] ==
		    0x81 && (unsigned char)s[2] >= 0xa6 &&
		    (unsigned char)s[2] <= 0xa9) || ((unsigned char)s[1] ==
		    0x80 && ((unsigned char)s[2] == 0x8c ||
		    ((unsigned char)s[2] >= 0xaa &&
		    (unsigned char)s[2] <= 0xae))))) {
			s += 3;
			continue;
		}
		if (*s == ' ' || *s == '\n' || *s == '\f') {
			sp = true;
			s++;
			continue;
		}
		if (sp && d != t)
			*d++ = ' ';
		sp = false;
		*d++ = *s++;
	}
	*d = '\0';
	return t;
}

static char *
pdf_text(const char *pdf)
{
	return fold(run("pdftotext -enc UTF-8 %s -", pdf));
}

/* Whether the folded text of a PDF holds s (folded the same way). */
static void
assert_text(const char *text, const char *s)
{
	char	*want = fold(xstrdup(s));

	if (strstr(text, want) == NULL)
		fail_msg("'%s' not in the text: %s", want, text);
	free(want);
}

/*
 * The same, spaces left out: pdftotext drops the space between digits and
 * a word in right-to-left lines ("صفحه ۱از ۱").
 */
static void
assert_text_ns(const char *text, const char *s)
{
	char	*t = xstrdup(text), *want = fold(xstrdup(s)), *p, *d;

	for (p = d = t; *p != '\0'; p++)
		if (*p != ' ')
			*d++ = *p;
	*d = '\0';
	for (p = d = want; *p != '\0'; p++)
		if (*p != ' ')
			*d++ = *p;
	*d = '\0';
	if (strstr(t, want) == NULL)
		fail_msg("'%s' not in the text: %s", want, t);
	free(want);
	free(t);
}

/* The value of a pdfinfo field is want. */
static void
assert_info(const char *info, const char *field, const char *want)
{
	const char	*p;
	size_t		 n;
	char		 key[64];

	snprintf(key, sizeof(key), "\n%s:", field);
	if (strncmp(info, key + 1, strlen(key + 1)) == 0)
		p = info + strlen(key + 1);
	else if ((p = strstr(info, key)) != NULL)
		p += strlen(key);
	else
		fail_msg("no %s in pdfinfo's output", field);
	while (*p == ' ')
		p++;
	n = strcspn(p, "\n");
	if (strlen(want) != n || strncmp(p, want, n) != 0)
		fail_msg("%s: '%.*s', not '%s'", field, (int)n, p, want);
}

static int
pdf_pages(const char *pdf)
{
	char	*info, *p;
	int	 n = -1;

	info = run("pdfinfo %s", pdf);
	if ((p = strstr(info, "\nPages:")) != NULL)
		n = atoi(p + 7);
	free(info);
	return n;
}

/* Every font line of pdffonts says "yes yes" for embedded and subset. */
static void
assert_fonts_embedded(const char *pdf, int *nfonts)
{
	char	*out, *line, *save = NULL;
	int	 n = 0;

	out = run("pdffonts %s", pdf);
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "name", 4) == 0 ||
		    strncmp(line, "----", 4) == 0)
			continue;
		if (strstr(line, " yes yes ") == NULL)
			fail_msg("font not embedded and subset: %s", line);
		if (strchr(line, '+') == NULL)
			fail_msg("font without a subset tag: %s", line);
		n++;
	}
	free(out);
	*nfonts = n;
}

/*
 * The page breaker.
 */
static void
lines(struct pdf_item *v, size_t n, double h)
{
	size_t	i;

	memset(v, 0, n * sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].h = h;
		/* Two lines at least on each side of a break. */
		v[i].keep = i + 1 < n && !(i >= 1 && n - i - 1 >= 2);
	}
}
/* The left edge of the first word w in pdftotext's boxes, or -1. */
static double
word_x(const char *pdf, const char *w)
{
	char	*out, *p, *q, key[256];
	double	 x = -1;

	out = run("pdftotext -bbox %s -", pdf);
	snprintf(key, sizeof(key), ">%s</word>", w);
	if ((p = strstr(out, key)) != NULL) {
		*p = '\0';
		if ((q = strrchr(out, '<')) != NULL &&
		    (q = strstr(q, "xMin=\"")) != NULL)
			x = atof(q + 6);
	}
	free(out);
	return x;
}


static void
test_break_fits(void **state)
{
	struct pdf_item	v[5];
	int		page[5], i;

	(void)state;
	lines(v, 5, 10);
	assert_int_equal(pdf_break(v, 5, 50, page), 1);
	for (i = 0; i < 5; i++)
		assert_int_equal(page[i], 0);
	assert_int_equal(pdf_break(v, 0, 50, page), 1);
}

static void
test_break_widows(void **state)
{
	struct pdf_item	v[6];
	int		page[6];

	(void)state;
	/* 6 lines, room for 5: the break leaves two lines for page 2. */
	lines(v, 6, 10);
	assert_int_equal(pdf_break(v, 6, 50, page), 2);
	assert_int_equal(page[3], 0);
	assert_int_equal(page[4], 1);
	assert_int_equal(page[5], 1);
	/* Room for 1 line only after a paragraph: no orphan, all move. */
	memset(v, 0, sizeof(v));
	v[0].h = 40;
	v[1].h = v[2].h = v[3].h = 10;
	v[1].keep = true;
	v[2].keep = false;
	v[3].keep = false;
	v[1].space = 0;
	assert_int_equal(pdf_break(v, 4, 50, page), 2);
	assert_int_equal(page[0], 0);
	assert_int_equal(page[1], 1);
	assert_int_equal(page[2], 1);
}

static void
test_break_heading(void **state)
{
	struct pdf_item	v[5];
	int		page[5];

	(void)state;
	memset(v, 0, sizeof(v));
	/* A paragraph, a heading, then a paragraph of three lines. */
	v[0].h = 30;
	v[1].h = 12;
	v[1].space = 5;
	v[1].keep = true;
	v[2].h = v[3].h = v[4].h = 10;
	v[2].keep = v[3].keep = true;
	/* The heading fits, and one line after it: all move together. */
	assert_int_equal(pdf_break(v, 5, 58, page), 2);
	assert_int_equal(page[0], 0);
	assert_int_equal(page[1], 1);
	assert_int_equal(page[4], 1);
	/* The gap before the heading is dropped at the top of page 2. */
	assert_int_equal(pdf_break(v, 5, 42, page), 2);
}

static void
test_break_rows(void **state)
{
	struct pdf_item	v[6];
	int		page[6], i;

	(void)state;
	memset(v, 0, sizeof(v));
	/* A header row kept with the first row; body rows need it above. */
	v[0].h = 10;
	v[0].keep = true;
	for (i = 1; i < 6; i++) {
		v[i].h = 20;
		v[i].head = 10;
	}
	assert_int_equal(pdf_break(v, 6, 55, page), 3);
	assert_int_equal(page[0], 0);
	assert_int_equal(page[1], 0);
	assert_int_equal(page[2], 0);
	/* Page 2: header (10) + 2 rows (40) = 50. */
	assert_int_equal(page[3], 1);
	assert_int_equal(page[4], 1);
	assert_int_equal(page[5], 2);
}

static void
test_break_tall(void **state)
{
	struct pdf_item	v[3];
	int		page[3];

	(void)state;
	memset(v, 0, sizeof(v));
	/* An image taller than a page gets one to itself. */
	v[0].h = 10;
	v[1].h = 500;
	v[2].h = 10;
	assert_int_equal(pdf_break(v, 3, 100, page), 3);
	assert_int_equal(page[1], 1);
	assert_int_equal(page[2], 2);
	/* Everything kept together and too tall: break where full. */
	v[0].keep = v[1].keep = true;
	v[1].h = 60;
	v[2].h = 60;
	assert_int_equal(pdf_break(v, 3, 100, page), 2);
	assert_int_equal(page[1], 0);
	assert_int_equal(page[2], 1);
}

/*
 * Rendering, read back with poppler.
 */
static const char en_md[] =
    "Human trafficking means *moving*, **recruiting** or holding people\n"
    "to exploit them. Call `1991` or see [the guide](https://example.org/"
    "guide).\n"
    "\n"
    "## Warning signs\n"
    "\n"
    "1. promises a job abroad;\n"
    "2. asks for your passport:\n"
    "   - \"for safe keeping\";\n"
    "   - or to \"arrange a visa\".\n"
    "\n"
    "> One sign alone does not prove a crime.[^1]\n"
    "\n"
    "| Sign | What to do |\n"
    "|------|-----------|\n"
    "| Passport taken | Call the police |\n"
    "| Debt grows | Ask for help |\n"
    "\n"
    "[^1]: Several together are a reason to ask questions.\n";

static void
test_render_en(void **state)
{
	struct page	 p;
	const char	*pdf;
	char		*info, *text, *qr;
	int		 n;

	(void)state;
	page_init(&p, "en", "content/en/handouts/x.md", en_md, 5);
	p.pg.title = "Know the signs of trafficking";
	p.pg.summary = "Six warning signs that a job offer may be a trap.";
	p.pg.url = "https://example.org/en/handouts/know-the-signs/";
	pdf = render_to(&p, "en");
	assert_int_equal(pdf_pages(pdf), 1);
	info = run("pdfinfo %s", pdf);
	assert_info(info, "Tagged", "yes");
	assert_info(info, "Title", "Know the signs of trafficking");
	assert_info(info, "Author", "Awaaz: Know the signs");
	assert_info(info, "CreationDate", "Thu Feb  1 00:00:00 2024 UTC");
	assert_info(info, "ModDate", "Thu Feb  1 00:00:00 2024 UTC");
	assert_info(info, "Page size", "595.276 x 841.89 pts (A4)");
	free(info);
	assert_fonts_embedded(pdf, &n);
	assert_true(n >= 2);
	text = pdf_text(pdf);
	assert_text(text, "Know the signs of trafficking");
	assert_text(text, "Human trafficking means moving, "
	    "recruiting or holding people to exploit them.");
	assert_text(text, "Warning signs");
	assert_text(text, "Passport taken");
	assert_text(text, "Several together are a reason");
	assert_text(text, "Page 1 of 1");
	assert_text(text, "February 1, 2024");
	assert_text(text, "https://example.org/en/handouts/");
	free(text);
	free(run("pdftoppm -r 150 -png -singlefile %s %s/en-qr", pdf,
	    tmpdir));
	qr = run("zbarimg -q --raw %s/en-qr.png", tmpdir);
	assert_string_equal(qr, "https://example.org/en/handouts/"
	    "know-the-signs/\n");
	free(qr);
	page_release(&p);
}

static void
test_render_ur(void **state)
{
	struct page	 p;
	const char	*pdf;
	char		*info, *text;
	int		 n;

	(void)state;
	page_init(&p, "ur", "content/ur/handouts/x.md",
	    "شک ہو تو 0300 1234567 پر فون کریں۔ FIA (ایف آئی اے) مدد کرتی "
	    "ہے۔ Bureau of Emigration & Overseas Employment سے پوچھیں۔"
	    "\n\n- پہلی نشانی\n- دوسری نشانی\n", 5);
	p.pg.title = "انسانی تجارت کی نشانیاں پہچانیں";
	pdf = render_to(&p, "ur");
	assert_int_equal(pdf_pages(pdf), 1);
	/* Without the isolates, "1234567 0300". */
	text = pdf_text(pdf);
	assert_text(text, "0300 1234567");
	free(text);
	/* One Latin run, left to right, across "&". */
	assert_true(word_x(pdf, "Bureau") < word_x(pdf, "Emigration"));
	assert_true(word_x(pdf, "Emigration") < word_x(pdf, "Overseas"));
	assert_true(word_x(pdf, "Overseas") < word_x(pdf, "Employment"));
	info = run("pdfinfo %s", pdf);
	assert_info(info, "Tagged", "yes");
	assert_info(info, "Title", "انسانی تجارت کی نشانیاں پہچانیں");
	free(info);
	assert_fonts_embedded(pdf, &n);
	info = run("pdffonts %s", pdf);
	assert_non_null(strstr(info, "NotoNastaliqUrdu-Regular"));
	assert_non_null(strstr(info, "NotoNastaliqUrdu-Bold"));
	assert_non_null(strstr(info, "NotoSans-Regular"));
	free(info);
	page_release(&p);
}

static void
test_render_fa(void **state)
{
	struct page	 p;
	const char	*pdf;
	char		*text;
	int		 n;

	(void)state;
	page_init(&p, "fa", "content/fa/handouts/x.md",
	    "قاچاق انسان یعنی جذب و انتقال مردم برای بهره‌کشی.\n\n"
	    "## نشانه‌های خطر\n\n- وعده کار در خارج\n", 5);
	p.pg.title = "نشانه‌های قاچاق انسان را بشناسید";
	pdf = render_to(&p, "fa");
	assert_fonts_embedded(pdf, &n);
	text = pdf_text(pdf);
	assert_text(text, "قاچاق انسان یعنی جذب و انتقال مردم");
	assert_text(text, "نشانه‌های خطر");
	/* "page 1 of 1" in Dari, in its digits. */
	assert_text_ns(text, "صفحه ۱ از ۱");
	assert_text_ns(text, "۱۲ دلو ۱۴۰۲");
	free(text);
	page_release(&p);
}

static void
test_render_bn(void **state)
{
	struct page	 p;
	const char	*pdf;
	char		*text;
	int		 n;

	(void)state;
	page_init(&p, "bn", "content/bn/handouts/x.md",
	    "মানব পাচার মানে মানুষকে শোষণের জন্য নিয়োগ করা। "
	    "FIA সাহায্য করে।\n", 5);
	p.pg.title = "পাচারের লক্ষণগুলো চিনুন";
	pdf = render_to(&p, "bn");
	assert_fonts_embedded(pdf, &n);
	text = pdf_text(pdf);
	assert_text(text, "পাচারের লক্ষণগুলো চিনুন");
	assert_text(text, "মানব পাচার মানে মানুষকে শোষণের জন্য "
	    "নিয়োগ করা।");
	assert_text(text, "FIA");
	free(text);
	page_release(&p);
}

/* A long body breaks into pages; the same page twice: the same bytes. */
static void
test_render_pages(void **state)
{
	struct page	 p;
	struct buf	 md, a, b;
	int		 i;
	const char	*pdf;

	(void)state;
	buf_init(&md);
	for (i = 0; i < 40; i++)
		buf_printf(&md, "## Part %d\n\nParagraph %d has words enough "
		    "to fill more than one line of an A5 page, and then some "
		    "more words after those.\n\n", i, i);
	page_init(&p, "en", "content/en/x.md", md.data, 0);
	p.pg.size = "a5";
	p.pg.title = "Long";
	buf_init(&a);
	buf_init(&b);
	assert_int_equal(pdf_render(ctx, &p.pg, &a), 0);
	assert_int_equal(pdf_render(ctx, &p.pg, &b), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	pdf = render_to(&p, "long");
	assert_true(pdf_pages(pdf) >= 5);
	buf_release(&a);
	buf_release(&b);
	buf_release(&md);
	page_release(&p);
}

static bool
pdf_has(const char *pdf, const char *s)
{
	char	*data;
	size_t	 len;
	bool	 ok;

	assert_int_equal(file_read(pdf, &data, &len), 0);
	ok = memmem(data, len, s, strlen(s)) != NULL;
	free(data);
	return ok;
}

/* Links are clickable; headings are bookmarks; footnotes link inside. */
/* A table over pages: its header row comes again on each. */
static void
test_table_pages(void **state)
{
	struct page	 p;
	struct buf	 md;
	const char	*pdf;
	char		*text;
	int		 i, n;

	(void)state;
	buf_init(&md);
	buf_adds(&md, "| Sign | Action |\n|---|---|\n");
	for (i = 0; i < 60; i++)
		buf_printf(&md, "| row %d | call %d |\n", i, i);
	page_init(&p, "en", "content/en/x.md", md.data, 0);
	p.pg.size = "a5";
	p.pg.title = "Table";
	pdf = render_to(&p, "table");
	n = pdf_pages(pdf);
	assert_true(n >= 3);
	for (i = 2; i <= n; i++) {
		text = fold(run("pdftotext -f %d -l %d %s -", i, i, pdf));
		assert_text(text, "Sign Action");
		free(text);
	}
	buf_release(&md);
	page_release(&p);
}

static void
test_links(void **state)
{
	struct page	 p;
	const char	*pdf;
	char		*md;

	(void)state;
	md = xasprintf("%s\nSee [it](https://example.org/it's) and "
	    "[this](https://example.org/اردو/) and [that](/en/x/).\n", en_md);
	page_init(&p, "en", "content/en/handouts/x.md", md, 5);
	p.pg.title = "Know the signs";
	p.pg.base_url = "https://example.org";
	pdf = render_to(&p, "links");
	assert_true(pdf_has(pdf, "/URI (https://example.org/it's)"));
	assert_true(pdf_has(pdf, "/URI (https://example.org/%D8%A7%D8%B1"));
	assert_true(pdf_has(pdf, "/URI (https://example.org/en/x/)"));
	assert_true(pdf_has(pdf, "/URI (https://example.org/guide)"));
	assert_true(pdf_has(pdf, "/Outlines"));
	assert_true(pdf_has(pdf, "/Title (Warning signs)"));
	assert_true(pdf_has(pdf, "/S /Figure") == false);
	assert_true(pdf_has(pdf, "/S /Table"));
	assert_true(pdf_has(pdf, "/S /LI"));
	assert_true(pdf_has(pdf, "/S /Link"));
	/* The footnote's number links to the note: a named destination. */
	assert_true(pdf_has(pdf, "(fn-1)"));
	page_release(&p);
	free(md);
}

/* PNG drawn, JPEG embedded as it is (DCT), SVG as vectors; GIF left out. */
static void
test_images(void **state)
{
	struct page	 p;
	const char	*pdf;
	char		*list;

	(void)state;
	diag_reset();
	page_init(&p, "en", "content/en/x.md",
	    "Photo:\n\n![a photo](photo.jpg)\n\n![dots](dot.png) and "
	    "![map](/images/map.svg)\n\n![gif](anim.gif) "
	    "![far](https://example.org/x.png)\n", 2);
	p.pg.title = "Images";
	p.pg.root = "tests/pdf";
	pdf = render_to(&p, "images");
	assert_diags(
	    "content/en/x.md:9:1: warning: image 'anim.gif' is left out of "
	    "the handout: GIF is not printed (PNG, JPEG, SVG)\n"
	    "content/en/x.md:9:18: warning: remote image "
	    "'https://example.org/x.png' is left out of the handout\n");
	list = run("pdfimages -list %s | sed 1,2d | awk '{print $4, $5, $9}'",
	    pdf);
	assert_string_equal(list, "100 141 jpeg\n40 24 image\n");
	free(list);
	assert_true(pdf_has(pdf, "/S /Figure"));
	page_release(&p);
}

/*
 * Cache keys: the same page gives the same key; its text, an image's
 * bytes, the helplines and the inputs each change it.  A theme with
 * errors has no key.
 */
static void
test_keys(void **state)
{
	struct page	 p, q;
	xmlNodePtr	 h;
	char		 k0[HASH_HEX + 1], k1[HASH_HEX + 1], *img, *theme;
	const char	*md = "![map](/images/map.svg)\n\nText.\n";
	FILE		*f;

	(void)state;
	page_init(&p, "en", "content/en/x.md", md, 2);
	page_init(&q, "en", "content/en/x.md", md, 2);
	p.pg.root = q.pg.root = tmpdir;
	img = xasprintf("%s/static/images", tmpdir);
	assert_int_equal(mkdir_p(img), 0);
	free(img);
	img = xasprintf("%s/static/images/map.svg", tmpdir);
	assert_int_equal(file_write(img, "<svg/>", 6), 0);
	assert_int_equal(pdf_page_key(&p.pg, "in", k0), 0);
	assert_int_equal(strlen(k0), HASH_HEX);
	assert_int_equal(pdf_page_key(&q.pg, "in", k1), 0);
	assert_string_equal(k0, k1);
	assert_int_equal(pdf_page_key(&q.pg, "other", k1), 0);
	assert_string_not_equal(k0, k1);
	q.pg.title = "Title";
	assert_int_equal(pdf_page_key(&q.pg, "in", k1), 0);
	assert_string_not_equal(k0, k1);
	q.pg.title = NULL;
	assert_non_null(f = fopen(img, "a"));
	fputs("<!-- changed -->", f);
	fclose(f);
	assert_int_equal(pdf_page_key(&q.pg, "in", k1), 0);
	assert_string_not_equal(k0, k1);
	assert_int_equal(pdf_page_key(&p.pg, "in", k0), 0);
	assert_string_equal(k0, k1);
	h = xmlNewNode(NULL, (const xmlChar *)"helplines");
	xmlNewTextChild(h, NULL, (const xmlChar *)"item",
	    (const xmlChar *)"x");
	q.pg.helplines = h;
	assert_int_equal(pdf_page_key(&q.pg, "in", k1), 0);
	assert_string_not_equal(k0, k1);
	xmlFreeNode(h);
	unlink(img);
	free(img);
	page_release(&p);
	page_release(&q);

	assert_non_null(theme = pdf_theme_key("themes/default"));
	assert_int_equal(strlen(theme), HASH_HEX);
	free(theme);
	diag_reset();
	assert_null(pdf_theme_key("tests/pdf/theme-bad"));
	diag_reset();
}

/* Helplines, sample entries marked; a table's columns right to left. */
static void
test_helplines_rtl(void **state)
{
	struct page	 p;
	xmlNodePtr	 h, it, name;
	const char	*pdf;
	char		*text;
	double		 x0, x1;

	(void)state;
	page_init(&p, "fa", "content/fa/x.md",
	    "| نشانه Alpha | اقدام Beta |\n|---|---|\n| پاسپورت | پولیس |\n",
	    2);
	p.pg.title = "جدول";
	h = xmlNewNode(NULL, (const xmlChar *)"helplines");
	it = xmlNewChild(h, NULL, (const xmlChar *)"item", NULL);
	name = xmlNewChild(it, NULL, (const xmlChar *)"name", NULL);
	xmlNewTextChild(name, NULL, (const xmlChar *)"en",
	    (const xmlChar *)"Helpline");
	xmlNewTextChild(name, NULL, (const xmlChar *)"fa",
	    (const xmlChar *)"خط کمک");
	xmlNewTextChild(it, NULL, (const xmlChar *)"number",
	    (const xmlChar *)"+93 20 210 1234");
	xmlNewTextChild(it, NULL, (const xmlChar *)"sample",
	    (const xmlChar *)"true");
	it = xmlNewChild(h, NULL, (const xmlChar *)"item", NULL);
	xmlNewTextChild(it, NULL, (const xmlChar *)"name",
	    (const xmlChar *)"Only English");
	xmlNewTextChild(it, NULL, (const xmlChar *)"languages",
	    (const xmlChar *)"en");
	p.pg.helplines = h;
	pdf = render_to(&p, "helplines");
	text = pdf_text(pdf);
	assert_text(text, "خط کمک");
	assert_text(text, "+93 20 210 1234");
	assert_text(text, "نمونه");	/* the theme's Dari "sample" */
	assert_true(strstr(text, "Only English") == NULL);
	free(text);
	/* Column 1 on the right, column 2 on its left. */
	x0 = word_x(pdf, "Alpha");
	x1 = word_x(pdf, "Beta");
	assert_true(x0 > 0 && x1 > 0);
	assert_true(x0 > x1);
	xmlFreeNode(h);
	page_release(&p);
}

/* Hostile bodies lay out without trouble (and within a test's time). */
static void
test_render_hostile(void **state)
{
	struct page	 p;
	struct buf	 md, out;
	int		 i;

	(void)state;
	buf_init(&md);
	for (i = 0; i < 300; i++)
		buf_adds(&md, "> ");
	buf_adds(&md, "deep quote\n\n");
	for (i = 0; i < 120; i++)
		buf_printf(&md, "%*s- item %d\n", i * 2, "", i);
	buf_adds(&md, "\n");
	for (i = 0; i < 2000; i++)
		buf_adds(&md, "*a ");
	buf_adds(&md, "\n\n|");
	for (i = 0; i < 150; i++)
		buf_printf(&md, " c%d |", i);
	buf_adds(&md, "\n|");
	for (i = 0; i < 150; i++)
		buf_adds(&md, "---|");
	buf_adds(&md, "\n\n");
	for (i = 0; i < 3000; i++)
		buf_adds(&md, "x");
	buf_adds(&md, "\n\n<b>raw</b>\n\n[](#nowhere) [x](javascript:y)\n");
	diag_reset();
	page_init(&p, "ur", "content/ur/x.md", md.data, 0);
	diag_reset();
	buf_init(&out);
	assert_int_equal(pdf_render(ctx, &p.pg, &out), 0);
	assert_true(out.len > 0);
	buf_release(&out);
	buf_release(&md);
	page_release(&p);
}

static void
test_diag_image(void **state)
{
	struct page	p;
	struct buf	out;

	(void)state;
	diag_reset();
	page_init(&p, "en", "content/en/x.md",
	    "Text.\n\nSee ![a map](images/nope.png) and\n"
	    "«» ![b](/images/gone.svg).\n", 4);
	p.pg.title = "T";
	buf_init(&out);
	assert_int_equal(pdf_render(ctx, &p.pg, &out), -1);
	assert_int_equal(out.len, 0);
	assert_diags(
	    "content/en/x.md:7:5: error: image 'images/nope.png' not found\n"
	    "content/en/x.md:8:6: error: image '/images/gone.svg' not found\n");
	buf_release(&out);
	page_release(&p);
}

static void
test_diag_theme(void **state)
{
	char	*cache;

	(void)state;
	diag_reset();
	cache = path_join(tmpdir, "cache-bad");
	assert_null(pdf_ctx_new("tests/pdf/theme-bad", cache));
	assert_diags(
	    "tests/pdf/theme-bad/handout.yaml:4:5: error: font file "
	    "'/nowhere/Missing.ttf' not found\n"
	    "tests/pdf/theme-bad/handout.yaml:5:5: error: font file "
	    "'fonts/Relative.ttf' must be an absolute path\n"
	    "tests/pdf/theme-bad/handout.yaml:7:13: error: unknown font "
	    "weight 'heavy' (thin, light, regular, medium, semibold, bold, "
	    "extrabold, black)\n"
	    "tests/pdf/theme-bad/handout.yaml:9:7: error: 'a4' must be a "
	    "length such as 12pt, 18mm or 0.75in\n"
	    "tests/pdf/theme-bad/handout.yaml:11:9: error: 'text' must be a "
	    "colour such as \"#0b4f5c\"\n"
	    "tests/pdf/theme-bad/handout.yaml:14:11: error: 'size' must be a "
	    "positive number\n"
	    "tests/pdf/theme-bad/handout.yaml:15:5: warning: unknown key "
	    "'colour' in a language's style\n"
	    "tests/pdf/theme-bad/handout.yaml:16:1: warning: unknown key "
	    "'paper' in handout.yaml\n");
	free(cache);
	cache = path_join(tmpdir, "cache-font");
	assert_null(pdf_ctx_new("tests/pdf/theme-font", cache));
	assert_diags(
	    "tests/pdf/theme-font/handout.yaml:7:11: error: font 'Noto "
	    "Nastaliq Urdu' is not in the font files of the handouts\n");
	free(cache);
}

static void
test_diag_size(void **state)
{
	struct page	p;
	struct buf	out;

	(void)state;
	diag_reset();
	page_init(&p, "en", "content/en/x.md", "Text.\n", 4);
	p.pg.size = "b5";
	p.pg.size_line = 3;
	p.pg.size_col = 10;
	buf_init(&out);
	assert_int_equal(pdf_render(ctx, &p.pg, &out), -1);
	assert_diags("content/en/x.md:3:10: error: unknown handout size 'b5' "
	    "(a4, a5, letter)\n");
	buf_release(&out);
	page_release(&p);
}

/*
 * Looking and timing: the example campaign's handouts.
 */
static void
content_page(struct page *p, const char *code, struct fm *fm, char **text)
{
	struct arena	*a;
	char		*src;
	size_t		 len;

	src = xasprintf("content/%s/handouts/know-the-signs.md", code);
	assert_int_equal(file_read(src, text, &len), 0);
	a = arena_new();
	assert_int_equal(fm_parse(fm, src, *text, len, a), 0);
	page_init(p, code, arena_strdup(a, src), *text + fm->body_off,
	    fm->body_line0);
	free(src);
	p->fm_arena = a;
	p->pg.title = fm->title.s;
	p->pg.summary = fm->summary.s;
	p->pg.url = xasprintf("https://awaaz.example.org/%s/handouts/"
	    "know-the-signs/", code);
	p->pg.base_url = "https://awaaz.example.org";
}

static void
look(const char *dir)
{
	static const char *const codes[] = { "en", "ur", "ps", "fa", "ar",
	    "bn" };
	struct page	 p;
	struct fm	 fm;
	struct buf	 out;
	char		*text, *path;
	size_t		 i;

	for (i = 0; i < nitems(codes); i++) {
		content_page(&p, codes[i], &fm, &text);
		buf_init(&out);
		if (pdf_render(ctx, &p.pg, &out) == 0) {
			path = xasprintf("%s/%s.pdf", dir, codes[i]);
			file_write(path, out.data, out.len);
			printf("%s\n", path);
			free(path);
		}
		diag_flush(stderr);
		buf_release(&out);
		free((char *)p.pg.url);
		free(text);
		page_release(&p);
	}
}

static void
bench(int n)
{
	struct page	 p;
	struct fm	 fm;
	struct buf	 out;
	struct timespec	 t0, t1, c0, c1;
	char		*text, *path;
	double		 ms, cpu;
	int		 i, pages;

	content_page(&p, "ur", &fm, &text);
	buf_init(&out);
	assert_int_equal(pdf_render(ctx, &p.pg, &out), 0);
	path = xasprintf("%s/bench.pdf", tmpdir);
	file_write(path, out.data, out.len);
	pages = pdf_pages(path);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	for (i = 0; i < n; i++) {
		buf_reset(&out);
		pdf_render(ctx, &p.pg, &out);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	ms = ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) /
	    1e6) / n;
	cpu = ((c1.tv_sec - c0.tv_sec) * 1e3 + (c1.tv_nsec - c0.tv_nsec) /
	    1e6) / n;
	printf("ur a4: %d page(s), %zu bytes; per handout %.1f ms (%.1f ms "
	    "CPU), per page %.1f ms (%.1f ms CPU)\n", pages, out.len, ms, cpu,
	    ms / pages, cpu / pages);
	buf_release(&out);
	free(path);
	free((char *)p.pg.url);
	free(text);
	page_release(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_break_fits),
		cmocka_unit_test(test_break_widows),
		cmocka_unit_test(test_break_heading),
		cmocka_unit_test(test_break_rows),
		cmocka_unit_test(test_break_tall),
		cmocka_unit_test(test_render_en),
		cmocka_unit_test(test_render_ur),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_render_fa),
		cmocka_unit_test(test_render_bn),
		cmocka_unit_test(test_render_pages),
		cmocka_unit_test(test_table_pages),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_images),
		cmocka_unit_test(test_helplines_rtl),
		cmocka_unit_test(test_render_hostile),
		cmocka_unit_test(test_diag_image),
		cmocka_unit_test(test_diag_size),
		cmocka_unit_test(test_diag_theme),
	};
	const char	*env;
	char		*cache;
	struct timespec	 t0, t1;
	int		 rc;

	xmlInitParser();
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	if ((env = getenv("AWAAZ_PDF_CACHE")) != NULL)
		cache = xstrdup(env);
	else
		cache = path_join(tmpdir, "cache");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ctx = pdf_ctx_new("themes/default", cache);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (getenv("AWAAZ_PDF_BENCH") != NULL)
		printf("pdf_ctx_new: %.1f ms\n",
		    (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) /
		    1e6);
	free(cache);
	if (ctx == NULL) {
		diag_flush(stderr);
		return 1;
	}
	if ((env = getenv("AWAAZ_PDF_OUT")) != NULL) {
		look(env);
		rc = 0;
	} else if ((env = getenv("AWAAZ_PDF_BENCH")) != NULL) {
		bench(atoi(env) > 0 ? atoi(env) : 20);
		rc = 0;
	} else
		rc = cmocka_run_group_tests(tests, NULL, NULL);
	pdf_ctx_free(ctx);
	pdf_cleanup();
	if (getenv("AWAAZ_PDF_KEEP") == NULL)
		rm_rf(tmpdir);
	else
		fprintf(stderr, "kept %s\n", tmpdir);
	l10n_cleanup();
	xmlCleanupParser();
	return rc;
}
