/*
 * test_html.c: the HTML5 writer: escaping, void and raw-text elements,
 * UTF-8, namespaces, links from site paths, reference elements.
 */
/* modules: html url util diag */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "html.h"
#include "tpl.h"
#include "util.h"

/* Parses xml, writes its root as HTML from page, returns the text. */
static char *
write_xml(const char *xml, const char *page, const char *base)
{
	xmlDocPtr	 doc;
	struct buf	 b;

	doc = xmlReadMemory(xml, (int)strlen(xml), "test.xml", NULL,
	    XML_PARSE_NONET);
	assert_non_null(doc);
	buf_init(&b);
	html_write_node(&b, xmlDocGetRootElement(doc), page, base);
	xmlFreeDoc(doc);
	buf_addc(&b, '\0');
	return buf_detach(&b, NULL);
}

#define assert_html(xml, expect) \
	assert_html_from(xml, "/en/handouts/x/", "", expect)

static void
assert_html_from(const char *xml, const char *page, const char *base,
    const char *expect)
{
	char	*out;

	out = write_xml(xml, page, base);
	assert_string_equal(out, expect);
	free(out);
}

static void
test_escaping(void **state)
{
	assert_html("<p>&lt;script&gt;alert(1)&lt;/script&gt; a &amp; b "
	    "\"q\" 'a'</p>",
	    "<p>&lt;script&gt;alert(1)&lt;/script&gt; a &amp; b \"q\" 'a'</p>");
	assert_html("<p title='a &amp; &quot;b&quot; &lt;c&gt; &apos;'>x</p>",
	    "<p title=\"a &amp; &quot;b&quot; <c> '\">x</p>");
	assert_html("<p><![CDATA[<b>&]]></p>", "<p>&lt;b&gt;&amp;</p>");
}

static void
test_void(void **state)
{
	assert_html("<div><br/><hr/><img src='a.png' alt=''/>"
	    "<video><source src='v.webm'/><track src='t.vtt'/></video>"
	    "a<wbr/>b<input type='text'/><meta charset='utf-8'/>"
	    "<link rel='x' href='y'/><col/><area/><embed/><base/></div>",
	    "<div><br><hr><img src=\"a.png\" alt=\"\">"
	    "<video><source src=\"v.webm\"><track src=\"t.vtt\"></video>"
	    "a<wbr>b<input type=\"text\"><meta charset=\"utf-8\">"
	    "<link rel=\"x\" href=\"y\"><col><area><embed><base></div>");
	/* Void elements have no content; others always get an end tag. */
	assert_html("<div><br>lost</br><p/><span></span><i/></div>",
	    "<div><br><p></p><span></span><i></i></div>");
}

static void
test_raw_text(void **state)
{
	assert_html("<script>if (a &lt; b &amp;&amp; c &gt; d) "
	    "x = '&lt;/p&gt;';</script>",
	    "<script>if (a < b && c > d) x = '</p>';</script>");
	assert_html("<script>s = '&lt;/script&gt;&lt;/SCRIPT &lt;/Script"
	    "';</script>",
	    "<script>s = '<\\/script><\\/SCRIPT <\\/Script';</script>");
	assert_html("<style>a > b { content: \"&lt;/style&gt;\" }</style>",
	    "<style>a > b { content: \"<\\/style>\" }</style>");
	/* Only "</" before the element's own name is changed. */
	assert_html("<style>&lt;/script&gt;</style>",
	    "<style></script></style>");
}

static void
test_utf8(void **state)
{
	/* Urdu, Pashto and a no-break space stay UTF-8, never entities. */
	assert_html("<p lang='ur' title='اردو'>انسانی اسمگلنگ"
	    "\xc2\xa0&#x67e;ښتو</p>",
	    "<p lang=\"ur\" title=\"اردو\">انسانی اسمگلنگ"
	    "\xc2\xa0پښتو</p>");
}

static void
test_links(void **state)
{
	const char	*xml = "<p><a href='/en/'>1</a>"
	    "<a href='/en/handouts/x/'>2</a><img src='/assets/i.png'/>"
	    "<a href='/en/handouts/y/#top'>3</a>"
	    "<a href='//cdn.example/x'>4</a><a href='https://x.org/'>5</a>"
	    "<a href='#frag'>6</a><a href='x/'>7</a>"
	    "<form action='/en/search/'><button formaction='/en/b/'/></form>"
	    "<video poster='/p.jpg'/><q cite='/en/q/'/><object data='/o.svg'/>"
	    "<a data-href='/en/' title='/en/'>8</a></p>";

	assert_html(xml,
	    "<p><a href=\"../../index.html\">1</a><a href=\"index.html\">2</a>"
	    "<img src=\"../../../assets/i.png\">"
	    "<a href=\"../y/index.html#top\">3</a>"
	    "<a href=\"//cdn.example/x\">4</a><a href=\"https://x.org/\">5</a>"
	    "<a href=\"#frag\">6</a><a href=\"x/\">7</a>"
	    "<form action=\"../../search/index.html\">"
	    "<button formaction=\"../../b/index.html\"></button></form>"
	    "<video poster=\"../../../p.jpg\"></video>"
	    "<q cite=\"../../q/index.html\"></q>"
	    "<object data=\"../../../o.svg\"></object>"
	    "<a data-href=\"/en/\" title=\"/en/\">8</a></p>");
	assert_html_from(xml, "/en/handouts/x/", "https://x.org/c",
	    "<p><a href=\"https://x.org/c/en/\">1</a>"
	    "<a href=\"https://x.org/c/en/handouts/x/\">2</a>"
	    "<img src=\"https://x.org/c/assets/i.png\">"
	    "<a href=\"https://x.org/c/en/handouts/y/#top\">3</a>"
	    "<a href=\"//cdn.example/x\">4</a><a href=\"https://x.org/\">5</a>"
	    "<a href=\"#frag\">6</a><a href=\"x/\">7</a>"
	    "<form action=\"https://x.org/c/en/search/\">"
	    "<button formaction=\"https://x.org/c/en/b/\"></button></form>"
	    "<video poster=\"https://x.org/c/p.jpg\"></video>"
	    "<q cite=\"https://x.org/c/en/q/\"></q>"
	    "<object data=\"https://x.org/c/o.svg\"></object>"
	    "<a data-href=\"/en/\" title=\"/en/\">8</a></p>");
	/* From a file page such as /404.html. */
	assert_html_from("<a href='/en/'>x</a>", "/404.html", "",
	    "<a href=\"en/index.html\">x</a>");
}

static void
test_namespaces(void **state)
{
	assert_html("<html xmlns='http://www.w3.org/1999/xhtml' "
	    "xmlns:aw='urn:awaaz:template' xml:lang='ur' aw:x='1'>"
	    "<body><svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'>"
	    "<circle r='1'/></svg></body></html>",
	    "<html lang=\"ur\"><body><svg viewBox=\"0 0 1 1\">"
	    "<circle r=\"1\"></circle></svg></body></html>");
	/* xml:lang gives way to a lang attribute. */
	assert_html("<p xml:lang='en' lang='ur'>x</p>",
	    "<p lang=\"ur\">x</p>");
}

static void
test_dropped(void **state)
{
	assert_html("<p>a<!-- secret -->b<?php echo 1 ?>c</p>",
	    "<p>abc</p>");
}

static void
test_newline_after_pre(void **state)
{
	assert_html("<div><pre>\ncode</pre><pre>code\n</pre>"
	    "<textarea>\n\nx</textarea><pre><b>x</b></pre><pre/></div>",
	    "<div><pre>\n\ncode</pre><pre>code\n</pre>"
	    "<textarea>\n\n\nx</textarea><pre><b>x</b></pre><pre></pre></div>");
}

static xmlNodePtr
new_ref(xmlNodePtr parent, xmlNsPtr ns, void *target)
{
	xmlNodePtr	ref;

	ref = xmlNewChild(parent, ns, (const xmlChar *)HTML_REF, NULL);
	ref->_private = target;
	return ref;
}

static void
test_refs(void **state)
{
	const char	*body = "<body><p>Hello <b>اردو</b> &amp; "
	    "<a href='/en/x/'>x</a></p><q cite='&lt;i&gt;'/>tail &lt;"
	    "<pre>\nx</pre></body>";
	xmlDocPtr	 data, out;
	xmlNodePtr	 root, div, pre, script;
	xmlNsPtr	 ns;
	xmlNodePtr	 p, q, tail, pre2;
	struct buf	 b;

	data = xmlReadMemory(body, (int)strlen(body), "d", NULL, 0);
	assert_non_null(data);
	p = xmlDocGetRootElement(data)->children;
	q = p->next;
	tail = q->next;
	pre2 = tail->next;

	out = xmlNewDoc(NULL);
	root = xmlNewDocNode(out, NULL, (const xmlChar *)"html", NULL);
	xmlDocSetRootElement(out, root);
	ns = xmlNewNs(root, (const xmlChar *)TPL_NS, (const xmlChar *)"aw");
	div = xmlNewChild(root, NULL, (const xmlChar *)"div", NULL);
	new_ref(div, ns, p);
	new_ref(div, ns, q->properties);	/* an attribute: its value */
	new_ref(div, ns, tail);
	pre = xmlNewChild(root, NULL, (const xmlChar *)"pre", NULL);
	new_ref(pre, ns, pre2->children);	/* "\nx" */
	script = xmlNewChild(root, NULL, (const xmlChar *)"script", NULL);
	new_ref(script, ns, tail);

	buf_init(&b);
	html_write(&b, out, "/en/a/", "");
	buf_addc(&b, '\0');
	assert_string_equal(b.data, "<!DOCTYPE html>\n<html><div>"
	    "<p>Hello <b>اردو</b> &amp; <a href=\"../x/index.html\">x</a></p>"
	    "&lt;i&gt;tail &lt;</div><pre>\n\nx</pre>"
	    "<script>tail <</script></html>\n");
	buf_release(&b);
	xmlFreeDoc(out);
	xmlFreeDoc(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_void),
		cmocka_unit_test(test_raw_text),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_namespaces),
		cmocka_unit_test(test_dropped),
		cmocka_unit_test(test_newline_after_pre),
		cmocka_unit_test(test_refs),
	};
	int	rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
