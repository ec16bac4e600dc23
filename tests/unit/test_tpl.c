/*
 * test_tpl.c: the template engine, from template files and a data
 * document to HTML (through the html module): keywords, extends and
 * include, the errors of loading and rendering with their exact text and
 * position, the l10n functions with and without a struct l10n, and the
 * golden cases in tests/tpl/ (AWAAZ_REGEN=1 rewrites them).
 */
/* modules: tpl html url fm yaml l10n l10n_msg util diag */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "diag.h"
#include "testutil.h"
#include "html.h"
#include "l10n.h"
#include "tpl.h"
#include "util.h"

#define NS	"xmlns:aw=\"urn:awaaz:template\""

static const char *const default_data =
    "<vars>"
    "<site title=\"Stop &amp; Trafficking\"/>"
    "<lang code=\"ur\" locale=\"ur-PK\" dir=\"rtl\" url=\"/ur/\"/>"
    "<page kind=\"page\" url=\"/en/handouts/x/\">"
    "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>"
    "<date value=\"1706745600\" iso=\"2024-02-01\">2024-02-01</date>"
    "<summary>اردو متن</summary>"
    "<body><p>Body <b>bold</b></p><p>Two</p></body>"
    "<tag name=\"a\" url=\"/en/tags/a/\"/>"
    "<tag name=\"b\" url=\"/en/tags/b/\"/>"
    "<tag name=\"c\" url=\"/en/tags/c/\"/>"
    "</page>"
    "</vars>";

struct fixture {
	char	 cwd[4096];
	char	 dir[64];
};

struct file {
	const char	*name;
	const char	*text;
};

/* Each test runs in a fresh folder holding templates/. */
static int
setup(void **state)
{
	struct fixture	*fx;

	fx = xcalloc(1, sizeof(*fx));
	assert_non_null(getcwd(fx->cwd, sizeof(fx->cwd)));
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/awaaz-tpl-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	assert_int_equal(chdir(fx->dir), 0);
	diag_reset();
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(chdir(fx->cwd), 0);
	rm_rf(fx->dir);
	free(fx);
	diag_reset();
	return 0;
}

static struct tpl_set *
load(const struct file *files)
{
	char	*path, *dir;

	rm_rf("templates");
	for (; files->name != NULL; files++) {
		path = path_join("templates", files->name);
		dir = path_dirname(path);
		assert_int_equal(mkdir_p(dir), 0);
		assert_int_equal(file_write(path, files->text,
		    strlen(files->text)), 0);
		free(dir);
		free(path);
	}
	return tpl_load("templates");
}

struct data {
	xmlDocPtr	 doc;
	struct tpl_var	 vars[16];
	size_t		 nvars;
};

/*
 * Binds the children of the data document's root as variables by their
 * names; the names in the root's @empty are bound to empty node-sets.
 */
static void
data_open(struct data *d, const char *xml, const char *path)
{
	xmlNodePtr	 c, root;
	xmlChar		*empty;
	char		*p, *save = NULL, *name;

	memset(d, 0, sizeof(*d));
	d->doc = xml != NULL ? xmlReadMemory(xml, (int)strlen(xml), "data",
	    NULL, XML_PARSE_NONET) : xmlReadFile(path, NULL, XML_PARSE_NONET);
	assert_non_null(d->doc);
	root = xmlDocGetRootElement(d->doc);
	for (c = root->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		assert_true(d->nvars < nitems(d->vars));
		d->vars[d->nvars].name = (const char *)c->name;
		d->vars[d->nvars++].node = c;
	}
	empty = xmlGetProp(root, (const xmlChar *)"empty");
	if (empty != NULL) {
		for (p = (char *)empty; (name = strtok_r(p, " ", &save)) !=
		    NULL; p = NULL) {
			assert_true(d->nvars < nitems(d->vars));
			/* The name lives in the data's dictionary. */
			d->vars[d->nvars].name = (const char *)xmlDictLookup(
			    d->doc->dict, (const xmlChar *)name, -1);
			d->vars[d->nvars++].node = NULL;
		}
		xmlFree(empty);
	}
}

/*
 * Renders name with the data and returns the HTML without the doctype
 * and the final newline (malloc'd), or NULL when rendering failed.
 */
static char *
render_with(struct tpl_set *s, const char *name, struct data *d,
    struct l10n *l10n, const char *page, const char *base)
{
	struct tpl_env	 env;
	xmlDocPtr	 out;
	struct buf	 b;
	char		*html;

	memset(&env, 0, sizeof(env));
	env.vars = d->vars;
	env.nvars = d->nvars;
	env.l10n = l10n;
	env.lang = "ur";
	env.page_path = "content/en/x.md";
	if ((out = tpl_render(s, name, &env)) == NULL)
		return NULL;
	buf_init(&b);
	html_write(&b, out, page, base);
	xmlFreeDoc(out);
	buf_addc(&b, '\0');
	html = buf_detach(&b, NULL);
	assert_true(strncmp(html, "<!DOCTYPE html>\n", 16) == 0);
	memmove(html, html + 16, strlen(html + 16) + 1);
	assert_true(html[0] != '\0' && html[strlen(html) - 1] == '\n');
	html[strlen(html) - 1] = '\0';
	return html;
}

static char *
render(struct tpl_set *s, const char *name)
{
	struct data	 d;
	char		*html;

	data_open(&d, default_data, NULL);
	d.vars[d.nvars].name = "section";
	d.vars[d.nvars++].node = NULL;
	html = render_with(s, name, &d, NULL, "/en/handouts/x/", "");
	xmlFreeDoc(d.doc);
	return html;
}

/* Loads one page.html, renders it, and compares. */
static void
assert_page(const char *tpl, const char *expect)
{
	const struct file	 files[] = {
		{ "page.html", tpl },
		{ NULL, NULL },
	};
	struct tpl_set		*s;
	char			*html;

	s = load(files);
	assert_diags("");
	assert_non_null(s);
	html = render(s, "page.html");
	assert_diags("");
	assert_non_null(html);
	assert_string_equal(html, expect);
	free(html);
	tpl_free(s);
}

/* Loading fails with exactly these diagnostics. */
static void
assert_load_error(const struct file *files, const char *expect)
{
	struct tpl_set	*s;

	s = load(files);
	assert_null(s);
	assert_diags(expect);
}

static void
test_text_is_escaped(void **state)
{
	assert_page("<p " NS " aw:text=\"$page/title\">Title</p>",
	    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	/* Text and attribute values from the template itself. */
	assert_page("<p " NS " title=\"a &amp; &quot;b&quot;\">x &lt; y "
	    "&amp;amp;</p>",
	    "<p title=\"a &amp; &quot;b&quot;\">x &lt; y &amp;amp;</p>");
}

static void
test_each_if_unless(void **state)
{
	assert_page("<ul xmlns=\"http://www.w3.org/1999/xhtml\" " NS
	    " class=\"tags\">\n"
	    "<li aw:each=\"t in $page/tag\" aw:class=\"concat('n', "
	    "position(), '-of-', last())\" aw:data-first=\"position() = 1\">"
	    "<a aw:href=\"$t/@url\" aw:text=\"$t/@name\">x</a></li>\n"
	    "<li aw:if=\"$page/missing\">no</li>\n"
	    "<li aw:unless=\"$page/missing\">yes</li>\n"
	    "<li aw:if=\"$section\">no section</li>\n"
	    "<li aw:text=\"count($page/tag)\">n</li>\n"
	    "<li aw:each=\"t in $page/tag\" aw:if=\"position() != 2\" "
	    "aw:text=\"concat($t/@name, last())\">odd</li>\n"
	    "</ul>",
	    "<ul class=\"tags\">\n"
	    "<li class=\"n1-of-3\" data-first=\"true\">"
	    "<a href=\"../../tags/a/index.html\">a</a></li>"
	    "<li class=\"n2-of-3\"><a href=\"../../tags/b/index.html\">b</a>"
	    "</li>"
	    "<li class=\"n3-of-3\"><a href=\"../../tags/c/index.html\">c</a>"
	    "</li>\n"
	    "\n"
	    "<li>yes</li>\n"
	    "\n"
	    "<li>3</li>\n"
	    "<li>a3</li><li>c3</li>\n"
	    "</ul>");
}

static void
test_nested_each(void **state)
{
	/* The context node is the item: relative paths work. */
	assert_page("<p " NS "><aw:group aw:each=\"t in $page/tag\">"
	    "<aw:group aw:each=\"u in $page/tag[position() &lt;= 2]\">"
	    "<i aw:text=\"concat(@name, $t/@name, $u/@name, position(), "
	    "last())\"/></aw:group>|</aw:group></p>",
	    "<p><i>aaa12</i><i>bab22</i>|<i>aba12</i><i>bbb22</i>|"
	    "<i>aca12</i><i>bcb22</i>|</p>");
	/* An empty node-set repeats nothing; the variable ends with it. */
	assert_page("<p " NS "><b aw:each=\"t in $page/none\">x</b>"
	    "<i aw:each=\"p in $page\" aw:text=\"$p/@kind\"/></p>",
	    "<p><i>page</i></p>");
}

static void
test_attributes(void **state)
{
	assert_page("<a " NS " href=\"#\" class=\"x\" aw:href=\"$page/@url\" "
	    "aw:title=\"$page/nothing\" aw:hidden=\"false()\" "
	    "aw:data-n=\"1 + 1\" aw:aria-label=\"''\" "
	    "xml:lang=\"en\" aw:lang=\"$lang/@locale\" aw:dir=\"$lang/@dir\">"
	    "x</a>",
	    "<a class=\"x\" href=\"index.html\" data-n=\"2\" aria-label=\"\" "
	    "lang=\"ur-PK\" dir=\"rtl\">x</a>");
	assert_page("<p " NS " xml:lang=\"ur\" id=\"x\">اردو</p>",
	    "<p lang=\"ur\" id=\"x\">اردو</p>");
}

static void
test_html_keyword(void **state)
{
	const struct file	 files[] = {
		{ "page.html", "<div " NS " aw:html=\"$page/body/node()\">"
		    "<p>Placeholder</p></div>" },
		{ NULL, NULL },
	};
	struct tpl_set		*s;
	struct tpl_env		 env;
	struct data		 d;
	xmlDocPtr		 out;
	xmlNodePtr		 div, ref, body;

	assert_page("<div " NS " aw:html=\"$page/body/node()\">x</div>",
	    "<div><p>Body <b>bold</b></p><p>Two</p></div>");
	assert_page("<div " NS " aw:html=\"'a &lt; b'\">x</div>",
	    "<div>a &lt; b</div>");
	assert_page("<div " NS " aw:html=\"$page/tag/@name\">x</div>",
	    "<div>abc</div>");
	assert_page("<div " NS "><aw:group aw:html=\"$page/summary/text()\"/>"
	    "</div>", "<div>اردو متن</div>");

	/* The body is not copied: reference elements point at it. */
	s = load(files);
	assert_non_null(s);
	data_open(&d, default_data, NULL);
	memset(&env, 0, sizeof(env));
	env.vars = d.vars;
	env.nvars = d.nvars;
	out = tpl_render(s, "page.html", &env);
	assert_non_null(out);
	div = xmlDocGetRootElement(out);
	assert_null(div->ns);
	body = d.vars[2].node->children->next->next->next;
	assert_string_equal((const char *)body->name, "body");
	ref = div->children;
	assert_non_null(ref);
	assert_string_equal((const char *)ref->name, HTML_REF);
	assert_non_null(ref->ns);
	assert_string_equal((const char *)ref->ns->href, TPL_NS);
	assert_ptr_equal(ref->_private, body->children);
	assert_ptr_equal(ref->next->_private, body->children->next);
	assert_null(ref->next->next);
	xmlFreeDoc(out);
	xmlFreeDoc(d.doc);
	tpl_free(s);
}

static void
test_group_and_markup(void **state)
{
	assert_page("<html " NS "><body>"
	    "<aw:group aw:text=\"$site/@title\">bare text</aw:group>"
	    "<!-- a comment --><br/><img src=\"/assets/a.png\" alt=\"\"/>"
	    "<video><source src=\"/v.webm\"/></video>a<wbr/>b"
	    "<script>if (a &lt; b) x();</script>"
	    "<p>Urdu: اردو</p><?pi x?></body></html>",
	    "<html><body>Stop &amp; Trafficking<br>"
	    "<img src=\"../../../assets/a.png\" alt=\"\">"
	    "<video><source src=\"../../../v.webm\"></video>a<wbr>b"
	    "<script>if (a < b) x();</script>"
	    "<p>Urdu: اردو</p></body></html>");
	/* Any prefix bound to the namespace works, for functions too. */
	assert_page("<p xmlns:t=\"urn:awaaz:template\" "
	    "t:text=\"t:t('key')\"/>", "<p>key</p>");
}

static void
test_expressions_accepted(void **state)
{
	/* Operator names, node tests and axes are not function calls. */
	assert_page("<p " NS " aw:if=\"$page and not($page/x) or 1 div 1 "
	    "mod 2 and count($page/child::tag[text() or node()]) * 2 = 6\" "
	    "aw:text=\"concat(string-length(normalize-space(' a ')), "
	    "substring-before('a-b', '-'), translate('x', 'x', 'y'), "
	    "sum($page/date/@value) - 1706745600, "
	    "count($page/self::node()/descendant-or-self::*))\"/>",
	    "<p>1ay011</p>");
}

static void
test_extends(void **state)
{
	const struct file	 files[] = {
		{ "base.html", "<html " NS "><head><title aw:block=\"title\">"
		    "Base</title></head><body><main aw:block=\"main\">"
		    "<p>base main</p></main><footer aw:block=\"foot\">"
		    "base foot</footer></body></html>" },
		{ "mid.html", "<html " NS " aw:extends=\"base.html\"><body>"
		    "<main aw:block=\"main\" class=\"mid\"><h1 "
		    "aw:block=\"heading\">Mid</h1><div aw:block=\"content\">"
		    "mid content</div></main><footer aw:block=\"foot\">"
		    "mid foot</footer></body></html>" },
		{ "page.html", "<html " NS " aw:extends=\"mid.html\"><title "
		    "aw:block=\"title\" aw:text=\"$page/@kind\">T</title>"
		    "<p>ignored</p><div aw:block=\"content\" "
		    "aw:text=\"$page/summary\">c</div></html>" },
		{ NULL, NULL },
	};
	struct tpl_set	*s;
	char		*html;

	s = load(files);
	assert_diags("");
	assert_non_null(s);
	html = render(s, "page.html");
	assert_string_equal(html, "<html><head><title>page</title></head>"
	    "<body><main class=\"mid\"><h1>Mid</h1><div>اردو متن</div></main>"
	    "<footer>mid foot</footer></body></html>");
	free(html);
	/* The bases are unchanged by their children. */
	html = render(s, "mid.html");
	assert_string_equal(html, "<html><head><title>Base</title></head>"
	    "<body><main class=\"mid\"><h1>Mid</h1><div>mid content</div>"
	    "</main><footer>mid foot</footer></body></html>");
	free(html);
	html = render(s, "base.html");
	assert_string_equal(html, "<html><head><title>Base</title></head>"
	    "<body><main><p>base main</p></main><footer>base foot</footer>"
	    "</body></html>");
	free(html);
	assert_true(tpl_has(s, "mid.html"));
	assert_false(tpl_has(s, "nope.html"));
	tpl_free(s);
}

static void
test_extends_errors(void **state)
{
	const struct file	 unknown[] = {
		{ "base.html", "<html " NS "><main aw:block=\"main\"/>"
		    "</html>" },
		{ "page.html", "<html " NS " aw:extends=\"base.html\">\n"
		    "<main aw:block=\"main\"/>\n  <div aw:block=\"mian\"/>"
		    "</html>" },
		{ NULL, NULL },
	};
	const struct file	 missing[] = {
		{ "page.html", "<html " NS "\n      aw:extends=\"bsae.html\">"
		    "</html>" },
		{ NULL, NULL },
	};
	const struct file	 cycle[] = {
		{ "a.html", "<html " NS " aw:extends=\"b.html\"/>" },
		{ "b.html", "<html " NS " aw:extends=\"a.html\"/>" },
		{ NULL, NULL },
	};
	const struct file	 misplaced[] = {
		{ "page.html", "<html " NS "><p aw:extends=\"x.html\"/>"
		    "</html>" },
		{ NULL, NULL },
	};

	assert_load_error(unknown, "templates/page.html:3:8: error: "
	    "no block 'mian' in 'base.html'\n");
	assert_load_error(missing, "templates/page.html:2:7: error: "
	    "template 'bsae.html' not found\n");
	assert_load_error(cycle, "templates/b.html:1:37: error: "
	    "extends cycle: 'a.html' -> 'b.html' -> 'a.html'\n");
	assert_load_error(misplaced, "templates/page.html:1:40: error: "
	    "'aw:extends' belongs on the root element\n");
}

static void
test_include(void **state)
{
	const struct file	 files[] = {
		{ "partials/nav.html", "<nav " NS " aw:if=\"$page\" "
		    "class=\"n\">"
		    "<a aw:href=\"$lang/@url\" aw:text=\"$lang/@code\">x</a>"
		    "</nav>" },
		{ "partials/items.html", "<aw:group " NS "><b "
		    "aw:text=\"$t/@name\"/><i>!</i></aw:group>" },
		{ "partials/none.html", "<p " NS " aw:if=\"false()\">"
		    "never</p>" },
		{ "page.html", "<body " NS ">"
		    "<div aw:include=\"partials/nav.html\" class=\"ph\">"
		    "<p>preview</p></div>"
		    "<aw:group aw:each=\"t in $page/tag\" "
		    "aw:include=\"partials/items.html\"/>"
		    "<hr aw:include=\"partials/nav.html\" aw:if=\"false()\"/>"
		    "<aw:group aw:include=\"partials/none.html\"/>"
		    "</body>" },
		{ NULL, NULL },
	};
	struct tpl_set	*s;
	char		*html;

	s = load(files);
	assert_diags("");
	assert_non_null(s);
	html = render(s, "page.html");
	assert_string_equal(html, "<body><nav class=\"n\">"
	    "<a href=\"../../../ur/index.html\">ur</a></nav>"
	    "<b>a</b><i>!</i><b>b</b><i>!</i><b>c</b><i>!</i></body>");
	free(html);
	tpl_free(s);
}

static void
test_include_errors(void **state)
{
	const struct file	 cycle[] = {
		{ "a.html", "<div " NS "><p aw:include=\"b.html\"/></div>" },
		{ "b.html", "<div " NS ">\n<aw:group aw:include=\"a.html\"/>"
		    "</div>" },
		{ "page.html", "<div " NS "><p aw:include=\"a.html\"/></div>" },
		{ NULL, NULL },
	};
	const struct file	 self[] = {
		{ "page.html", "<div " NS "><p aw:include=\"page.html\"/>"
		    "</div>" },
		{ NULL, NULL },
	};
	const struct file	 missing[] = {
		{ "page.html", "<div " NS "><p aw:include=\"partials/nav.html\""
		    "/><p aw:include=\"../page.html\"/></div>" },
		{ NULL, NULL },
	};
	const struct file	 mixed[] = {
		{ "p.html", "<p/>" },
		{ "page.html", "<div " NS "><p aw:include=\"p.html\" "
		    "aw:text=\"1\"/></div>" },
		{ NULL, NULL },
	};

	assert_load_error(cycle, "templates/b.html:2:11: error: "
	    "include cycle: 'a.html' -> 'b.html' -> 'a.html'\n");
	assert_load_error(self, "templates/page.html:1:39: error: "
	    "include cycle: 'page.html' -> 'page.html'\n");
	assert_load_error(missing,
	    "templates/page.html:1:39: error: "
	    "template 'partials/nav.html' not found\n"
	    "templates/page.html:1:74: error: "
	    "template '../page.html' not found\n");
	assert_load_error(mixed, "templates/page.html:1:39: error: "
	    "aw:include replaces the element: aw:text, aw:html and "
	    "attribute setters cannot go with it\n");
}

static void
test_unknown_keyword(void **state)
{
	const struct file	 files[] = {
		{ "page.html", "<div " NS " xmlns:t=\"urn:awaaz:template\">\n"
		    "<p aw:iff=\"$page\">x</p>\n"
		    "<p aw:onclick=\"'x'\" t:itf=\"1\">x</p>\n"
		    "  <aw:grop>x</aw:grop>\n"
		    "<aw:group class=\"x\" aw:id=\"1\">y</aw:group>\n"
		    "<a aw:data-x=\"1\" aw:aria-x=\"2\" aw:href=\"3\"/>"
		    "</div>" },
		{ NULL, NULL },
	};

	assert_load_error(files,
	    "templates/page.html:2:4: error: "
	    "unknown template keyword 'aw:iff'\n"
	    "templates/page.html:3:4: error: "
	    "unknown template keyword 'aw:onclick'\n"
	    "templates/page.html:3:21: error: "
	    "unknown template keyword 't:itf'\n"
	    "templates/page.html:4:4: error: "
	    "unknown template keyword 'aw:grop'\n"
	    "templates/page.html:5:11: error: "
	    "attribute 'class' of 'aw:group' is never written\n"
	    "templates/page.html:5:21: error: "
	    "attribute 'aw:id' of 'aw:group' is never written\n");
}

static void
test_syntax_error(void **state)
{
	/* The byte column differs from the character column: the Urdu
	   letters before the attribute take two bytes each. */
	const struct file	 files[] = {
		{ "page.html", "<html " NS ">\n<body>\n"
		    "<p title=\"اردو\" aw:text=\"$page/title[\">x</p>\n"
		    "<p\n   class=\"x\"\n\taw:if=\"'abc\">y</p>\n"
		    "<p aw:each=\"page/tag\">z</p>\n"
		    "<p aw:text=\"foo(1)\">z</p><p aw:text=\"aw:tt('x')\">z</p>"
		    "\n</body></html>" },
		{ NULL, NULL },
	};

	assert_load_error(files,
	    "templates/page.html:3:21: error: XPath syntax error in "
	    "aw:text=\"$page/title[\": invalid expression\n"
	    "templates/page.html:6:2: error: XPath syntax error in "
	    "aw:if=\"'abc\": unfinished literal\n"
	    "templates/page.html:7:4: error: aw:each=\"page/tag\" is not "
	    "'NAME in EXPRESSION'\n"
	    "templates/page.html:8:4: error: XPath error in "
	    "aw:text=\"foo(1)\": unknown function 'foo'\n"
	    "templates/page.html:8:29: error: XPath error in "
	    "aw:text=\"aw:tt('x')\": unknown function 'aw:tt'\n");
}

static void
test_no_folder(void **state)
{
	assert_null(tpl_load("nowhere"));
	assert_diags("nowhere: error: cannot read the templates folder: "
	    "no such file or directory\n");
}

static void
test_parse_error(void **state)
{
	const struct file	 files[] = {
		{ "page.html", "<div>\n<p>اردو</b></div>" },
		{ "ok.html", "<p/>" },
		{ "ent.html", "<!DOCTYPE p [<!ENTITY x \"y\">]>\n<p>&x;</p>" },
		{ "undeclared.html", "<p aw:text=\"1\"/>" },
		{ NULL, NULL },
	};

	/* libxml2 counts characters: it points after "<p>اردو</b>", at the
	   12th character, which is the 16th byte. */
	assert_load_error(files,
	    "templates/ent.html:1:1: error: "
	    "templates may not declare entities\n"
	    "templates/page.html:2:16: error: "
	    "opening and ending tag mismatch: p line 2 and b\n"
	    "templates/undeclared.html:1:15: error: "
	    "namespace prefix aw for text on p is not defined\n");
}

static void
test_runtime_error(void **state)
{
	const struct file	 files[] = {
		{ "var.html", "<div " NS ">\n  <p aw:text=\"$nope/title\"/>"
		    "</div>" },
		{ "each.html", "<div " NS "><p aw:each=\"p in 'x'\"/></div>" },
		{ "arity.html", "<div " NS "><p aw:text=\"aw:date()\"/>"
		    "</div>" },
		{ "date.html", "<div " NS "><p aw:text=\"aw:date('soon')\"/>"
		    "</div>" },
		{ "type.html", "<div " NS "><p aw:text=\"count('x')\"/>"
		    "</div>" },
		{ NULL, NULL },
	};
	struct tpl_set	*s;

	s = load(files);
	assert_diags("");
	assert_non_null(s);
	assert_null(render(s, "var.html"));
	assert_null(render(s, "each.html"));
	assert_null(render(s, "arity.html"));
	assert_null(render(s, "date.html"));
	assert_null(render(s, "type.html"));
	assert_null(render(s, "missing.html"));
	assert_diags(
	    "content/en/x.md: error: template 'missing.html' not found\n"
	    "templates/arity.html:1:39: error: XPath error in "
	    "aw:text=\"aw:date()\": aw:date() takes a date and a style "
	    "(rendering content/en/x.md)\n"
	    "templates/date.html:1:39: error: XPath error in "
	    "aw:text=\"aw:date('soon')\": aw:date(): 'soon' is not a date "
	    "(rendering content/en/x.md)\n"
	    "templates/each.html:1:39: error: XPath error in "
	    "aw:each=\"p in 'x'\": a node-set is needed, not a string "
	    "(rendering content/en/x.md)\n"
	    "templates/type.html:1:39: error: XPath error in "
	    "aw:text=\"count('x')\": invalid type "
	    "(rendering content/en/x.md)\n"
	    "templates/var.html:2:6: error: XPath error in "
	    "aw:text=\"$nope/title\": undefined variable '$nope' "
	    "(rendering content/en/x.md)\n");
	tpl_free(s);
}

static void
test_l10n_absent(void **state)
{
	/* Without a struct l10n: the key, the ISO date, the number. */
	assert_page("<p " NS "><i aw:text=\"aw:t('read-more', 'n', 3)\"/>"
	    "<i aw:text=\"aw:date($page/date)\"/>"
	    "<i aw:text=\"aw:date('2024-03-05', 'short')\"/>"
	    "<i aw:text=\"aw:date(86400)\"/><i aw:text=\"aw:date(90061)\"/>"
	    "<i aw:text=\"aw:date($page/nothing)\"/>"
	    "<i aw:text=\"aw:number(1234.5)\"/>"
	    "<i aw:text=\"aw:number($page/date/@value, 'integer')\"/></p>",
	    "<p><i>read-more</i><i>2024-02-01</i><i>2024-03-05</i>"
	    "<i>1970-01-02</i><i>1970-01-02T01:01:01Z</i><i></i>"
	    "<i>1234.5</i><i>1706745600</i></p>");
}

static void
test_l10n(void **state)
{
	const struct file	 files[] = {
		{ "page.html", "<p " NS ">\n"
		    "<i aw:text=\"aw:t('items', 'n', count($page/tag))\"/>\n"
		    "<i aw:text=\"aw:t('hello', 'name', $page/tag/@name)\"/>\n"
		    "<i aw:text=\"aw:t('nokey')\"/>\n"
		    "<i aw:text=\"aw:date($page/date, 'long')\"/>\n"
		    "<i aw:text=\"aw:number(1234.5)\"/>\n"
		    "<i aw:text=\"aw:number(0.25, 'percent')\"/>\n"
		    "<i aw:text=\"aw:t('items', 'n', 2)\"/>\n"
		    "</p>" },
		{ "bad.html", "<p " NS " aw:text=\"aw:t('items', 'n', "
		    "'x')\"/>" },
		{ NULL, NULL },
	};
	const struct l10n_opts	 en_opts = { .locale = "en" };
	const struct l10n_opts	 ur_opts = { .locale = "ur-PK" };
	struct l10n		*en, *ur;
	struct tpl_set		*s;
	struct data		 d;
	char			*html;
	int			 i;

	en = l10n_new(&en_opts);
	ur = l10n_new(&ur_opts);
	assert_non_null(en);
	assert_non_null(ur);
	l10n_set_fallback(ur, en);
	assert_int_equal(l10n_add_message(en, "items", "{n, plural, "
	    "one {# item} other {# items}}", "en.yaml", 1, 8), 0);
	assert_int_equal(l10n_add_message(en, "hello", "Hello {name}",
	    "en.yaml", 2, 8), 0);
	assert_int_equal(l10n_add_message(ur, "hello", "سلام {name}",
	    "ur.yaml", 1, 8), 0);

	s = load(files);
	assert_non_null(s);
	data_open(&d, default_data, NULL);
	/* Twice: the warnings are given once. */
	for (i = 0; i < 2; i++) {
		html = render_with(s, "page.html", &d, ur, "/ur/x/", "");
		assert_non_null(html);
		assert_string_equal(html, "<p>\n<i>3 items</i>\n"
		    "<i>سلام a</i>\n<i>nokey</i>\n"
		    "<i>1 فروری، 2024</i>\n<i>1,234.5</i>\n<i>25%</i>\n"
		    "<i>2 items</i>\n</p>");
		free(html);
	}
	/* One warning per key and language, wherever it is used. */
	assert_int_equal(diag_count(DIAG_WARNING), 2);
	assert_diags(
	    "locales/ur.yaml: warning: UI string 'items' is not "
	    "translated into 'ur': the default language's is shown\n"
	    "templates/page.html:4:4: warning: unknown UI string 'nokey'\n");

	html = render_with(s, "page.html", &d, en, "/en/x/", "");
	assert_non_null(html);
	assert_string_equal(html, "<p>\n<i>3 items</i>\n"
	    "<i>Hello a</i>\n<i>nokey</i>\n"
	    "<i>February 1, 2024</i>\n<i>1,234.5</i>\n<i>25%</i>\n"
	    "<i>2 items</i>\n</p>");
	free(html);
	diag_reset();

	/* ICU cannot format a word as a plural: an error, with ICU's
	   reason after the key. */
	assert_null(render_with(s, "bad.html", &d, en, "/en/x/", ""));
	html = flushed();
	assert_true(has_prefix(html, "templates/bad.html:1:34: error: "
	    "XPath error in aw:text=\"aw:t('items', 'n', 'x')\": "
	    "aw:t('items'): "));
	assert_true(has_suffix(html, " (rendering content/en/x.md)\n"));
	free(html);

	xmlFreeDoc(d.doc);
	tpl_free(s);
	l10n_free(ur);
	l10n_free(en);
}

/*
 * Golden cases: tests/tpl/NAME/ holds templates/, data.xml and
 * expect.html (or expect.err when rendering or loading fails).  The root
 * of data.xml may say template="page.html", page="/en/x/" (the page's
 * site path), base-url="" and empty="section" (names bound to empty
 * node-sets).
 */
static char *
golden_dir(void)
{
	char	*unit, *tests, *dir;

	unit = path_dirname(__FILE__);
	tests = path_dirname(unit);
	dir = path_join(tests, "tpl");
	free(unit);
	free(tests);
	return dir;
}

static char *
attr_or(xmlNodePtr n, const char *name, const char *def)
{
	xmlChar	*v;
	char	*s;

	if ((v = xmlGetProp(n, (const xmlChar *)name)) == NULL)
		return xstrdup(def);
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

/* Compares got with the file (or rewrites it); returns 0 when equal. */
static int
compare(const char *path, const char *got)
{
	char	*want = NULL;
	size_t	 len;
	int	 rc;

	if (getenv("AWAAZ_REGEN") != NULL) {
		assert_int_equal(file_write(path, got, strlen(got)), 0);
		return 0;
	}
	if (file_read(path, &want, &len) == -1) {
		fprintf(stderr, "%s: missing (AWAAZ_REGEN=1 writes it)\n",
		    path);
		return -1;
	}
	rc = strcmp(want, got) == 0 ? 0 : -1;
	if (rc == -1)
		fprintf(stderr, "%s: differs; got:\n%s\n", path, got);
	free(want);
	return rc;
}

static int
run_golden(const char *dir)
{
	struct tpl_set	*s;
	struct data	 d;
	struct tpl_env	 env;
	xmlDocPtr	 out = NULL;
	xmlNodePtr	 root;
	struct buf	 b;
	char		*path, *name, *page, *base, *err;
	int		 rc;

	diag_reset();
	path = path_join(dir, "templates");
	s = tpl_load(path);
	free(path);
	path = path_join(dir, "data.xml");
	data_open(&d, NULL, path);
	free(path);
	root = xmlDocGetRootElement(d.doc);
	name = attr_or(root, "template", "page.html");
	page = attr_or(root, "page", "/en/page/");
	base = attr_or(root, "base-url", "");
	memset(&env, 0, sizeof(env));
	env.vars = d.vars;
	env.nvars = d.nvars;
	env.lang = "en";
	env.page_path = "data.xml";
	if (s != NULL)
		out = tpl_render(s, name, &env);
	buf_init(&b);
	if (out != NULL) {
		html_write(&b, out, page, base);
		buf_addc(&b, '\0');
		path = path_join(dir, "expect.html");
	} else {
		err = flushed();
		buf_adds(&b, err);
		free(err);
		path = path_join(dir, "expect.err");
	}
	rc = compare(path, b.data == NULL ? "" : b.data);
	free(path);
	buf_release(&b);
	if (out != NULL)
		xmlFreeDoc(out);
	tpl_free(s);
	xmlFreeDoc(d.doc);
	free(name);
	free(page);
	free(base);
	diag_reset();
	return rc;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_goldens(void **state)
{
	DIR		 *d;
	struct dirent	 *de;
	char		 *dir, *sub, **names = NULL;
	size_t		  n = 0, i;
	int		  failed = 0;

	dir = golden_dir();
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	assert_true(n >= 3);
	for (i = 0; i < n; i++) {
		sub = path_join(dir, names[i]);
		if (run_golden(sub) == -1)
			failed++;
		free(sub);
		free(names[i]);
	}
	free(names);
	free(dir);
	assert_int_equal(failed, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_text_is_escaped),
		T(test_each_if_unless),
		T(test_nested_each),
		T(test_attributes),
		T(test_html_keyword),
		T(test_group_and_markup),
		T(test_expressions_accepted),
		T(test_extends),
		T(test_extends_errors),
		T(test_include),
		T(test_include_errors),
		T(test_unknown_keyword),
		T(test_syntax_error),
		T(test_no_folder),
		T(test_parse_error),
		T(test_runtime_error),
		T(test_l10n_absent),
		T(test_l10n),
#undef T
		cmocka_unit_test(test_goldens),
	};
	int	rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	l10n_cleanup();
	xmlCleanupParser();
	return rc;
}
