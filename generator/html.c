/*
 * html.c: writes a libxml2 tree as HTML5, by our own rules rather than
 * libxml2's serialiser (see html.h for why).  The whole page is built in
 * one struct buf, so the caller writes it with one system call.
 *
 * Rules: element and attribute names lose their namespace; UTF-8 is
 * copied as it is, never as entities; text escapes & < >, attribute
 * values & and "; void elements have no end tag and no content; script
 * and style are raw text, written unescaped except that "</script" (any
 * case) cannot end them early; comments and processing instructions are
 * dropped; a pre, listing or textarea whose content starts with a newline
 * gets one more, as the HTML parser eats the first.  Site paths in URL
 * attributes become links from the page (url_link).  Reference elements
 * (HTML_REF in TPL_NS, made by the template engine) are replaced by the
 * node they point at, so data is never copied into the output document.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>
#include <libxml/entities.h>

#include "html.h"
#include "tpl.h"
#include "url.h"
#include "util.h"

struct writer {
	struct buf	*b;
	const char	*page;		/* site path of the page, or NULL */
	const char	*base_url;
};

/* Sorted, for bsearch. */
static const char *const void_elements[] = {
	"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
	"meta", "source", "track", "wbr",
};

/* Attributes whose site-path values are rewritten as links. */
static const char *const url_attrs[] = {
	"action", "cite", "data", "formaction", "href", "poster", "src",
};

static int
cmp_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static bool
in_list(const char *name, const char *const *list, size_t n)
{
	return bsearch(name, list, n, sizeof(*list), cmp_name) != NULL;
}

static bool
is_void(const char *name)
{
	return in_list(name, void_elements, nitems(void_elements));
}

static bool
is_raw_text(const char *name)
{
	return strcmp(name, "script") == 0 || strcmp(name, "style") == 0;
}

static bool
is_ref(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, TPL_NS) == 0 &&
	    strcmp((const char *)n->name, HTML_REF) == 0;
}

/* Appends s[0..len) with &, < and > escaped (text content). */
static void
add_text(struct buf *b, const char *s, size_t len)
{
	const char	*end = s + len, *p;

	while (s < end) {
		for (p = s; p < end && *p != '&' && *p != '<' && *p != '>'; p++)
			continue;
		buf_add(b, s, (size_t)(p - s));
		if (p == end)
			break;
		if (*p == '&')
			buf_add(b, "&amp;", 5);
		else if (*p == '<')
			buf_add(b, "&lt;", 4);
		else
			buf_add(b, "&gt;", 4);
		s = p + 1;
	}
}

/* Appends s with & and " escaped (attribute values). */
static void
add_attr_value(struct buf *b, const char *s)
{
	size_t	n;

	for (;;) {
		n = strcspn(s, "&\"");
		buf_add(b, s, n);
		s += n;
		if (*s == '\0')
			break;
		if (*s == '&')
			buf_add(b, "&amp;", 5);
		else
			buf_add(b, "&quot;", 6);
		s++;
	}
}

/*
 * Appends raw text (inside script or style named elem): as it is, except
 * that "</" followed by the element's name in any case becomes "<\/".
 */
static void
add_raw(struct buf *b, const char *s, const char *elem)
{
	const char	*p;
	size_t		 n = strlen(elem);

	while ((p = strstr(s, "</")) != NULL) {
		buf_add(b, s, (size_t)(p - s));
		if (strncasecmp(p + 2, elem, n) == 0)
			buf_add(b, "<\\/", 3);
		else
			buf_add(b, "</", 2);
		s = p + 2;
	}
	buf_adds(b, s);
}

/* The text of a text-like node, or NULL. */
static const char *
node_text(const xmlNode *n)
{
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		return n->content == NULL ? "" : (const char *)n->content;
	return NULL;
}

/*
 * Appends the string value of an attribute's children (text and, rarely,
 * entity references) to b, without escaping.
 */
static void
attr_string(struct buf *b, const xmlAttr *a)
{
	const xmlNode	*c;
	const xmlEntity	*ent;

	for (c = a->children; c != NULL; c = c->next) {
		if (node_text(c) != NULL)
			buf_adds(b, node_text(c));
		else if (c->type == XML_ENTITY_REF_NODE) {
			ent = xmlGetDocEntity(c->doc, c->name);
			if (ent != NULL && ent->content != NULL)
				buf_adds(b, (const char *)ent->content);
		}
	}
}

static bool
has_plain_attr(const xmlNode *n, const char *name)
{
	const xmlAttr	*a;

	for (a = n->properties; a != NULL; a = a->next)
		if (a->ns == NULL && strcmp((const char *)a->name, name) == 0)
			return true;
	return false;
}

static void
write_attrs(struct writer *w, const xmlNode *n)
{
	const xmlAttr	*a;
	const char	*name, *value;
	char		*link;
	struct buf	 v;

	buf_init(&v);
	for (a = n->properties; a != NULL; a = a->next) {
		name = (const char *)a->name;
		if (a->ns != NULL && a->ns->href != NULL) {
			if (strcmp((const char *)a->ns->href, TPL_NS) == 0)
				continue;
			/* xml:lang is HTML's lang, unless that is there too. */
			if (a->ns->prefix != NULL &&
			    strcmp((const char *)a->ns->prefix, "xml") == 0 &&
			    strcmp(name, "lang") == 0 &&
			    has_plain_attr(n, "lang"))
				continue;
		}
		buf_reset(&v);
		attr_string(&v, a);
		value = v.len == 0 ? "" : v.data;
		buf_addc(w->b, ' ');
		buf_adds(w->b, name);
		buf_add(w->b, "=\"", 2);
		if (w->page != NULL && url_is_site_path(value) &&
		    in_list(name, url_attrs, nitems(url_attrs))) {
			link = url_link(w->page, value, w->base_url);
			add_attr_value(w->b, link);
			free(link);
		} else
			add_attr_value(w->b, value);
		buf_addc(w->b, '"');
	}
	buf_release(&v);
}

/* The node a reference element stands for, or the node itself. */
static const xmlNode *
deref(const xmlNode *n)
{
	while (n != NULL && is_ref(n))
		n = n->_private;
	return n;
}

/*
 * True when the content of element n starts with a newline, which the
 * HTML parser would drop after <pre>, <listing> and <textarea>.
 */
static bool
starts_with_newline(const xmlNode *n)
{
	const xmlNode	*c, *t;
	const char	*s;

	for (c = n->children; c != NULL; c = c->next) {
		if ((t = deref(c)) == NULL)
			continue;
		if (t->type == XML_ATTRIBUTE_NODE)
			t = t->children;
		if (t == NULL)
			continue;
		if ((s = node_text(t)) != NULL) {
			if (*s == '\0')
				continue;
			return *s == '\n';
		}
		if (t->type == XML_ELEMENT_NODE)
			return false;
	}
	return false;
}

static void	write_node(struct writer *, const xmlNode *, const char *raw);

static void
write_children(struct writer *w, const xmlNode *n, const char *raw)
{
	const xmlNode	*c;

	for (c = n->children; c != NULL; c = c->next)
		write_node(w, c, raw);
}

/*
 * Writes one node.  raw is the name of the enclosing raw-text element
 * (script, style) or NULL: inside one, text is written unescaped and
 * elements only contribute their text.
 */
static void
write_node(struct writer *w, const xmlNode *n, const char *raw)
{
	const char	*name, *s;
	struct buf	 v;

	switch (n->type) {
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		s = node_text(n);
		if (raw != NULL)
			add_raw(w->b, s, raw);
		else
			add_text(w->b, s, strlen(s));
		return;
	case XML_ATTRIBUTE_NODE:
		/* Reached through a reference: the value, as text. */
		buf_init(&v);
		attr_string(&v, (const xmlAttr *)n);
		if (v.len > 0) {
			if (raw != NULL)
				add_raw(w->b, v.data, raw);
			else
				add_text(w->b, v.data, v.len);
		}
		buf_release(&v);
		return;
	case XML_ENTITY_REF_NODE:
	case XML_DOCUMENT_NODE:
	case XML_DOCUMENT_FRAG_NODE:
	case XML_HTML_DOCUMENT_NODE:
		write_children(w, n, raw);
		return;
	case XML_ELEMENT_NODE:
		break;
	default:
		/* Comments, processing instructions, DTDs: dropped. */
		return;
	}

	if (is_ref(n)) {
		if (n->_private != NULL)
			write_node(w, n->_private, raw);
		return;
	}
	if (raw != NULL) {
		write_children(w, n, raw);
		return;
	}
	name = (const char *)n->name;
	buf_addc(w->b, '<');
	buf_adds(w->b, name);
	write_attrs(w, n);
	buf_addc(w->b, '>');
	if (is_void(name))
		return;
	if ((strcmp(name, "pre") == 0 || strcmp(name, "textarea") == 0 ||
	    strcmp(name, "listing") == 0) && starts_with_newline(n))
		buf_addc(w->b, '\n');
	write_children(w, n, is_raw_text(name) ? name : NULL);
	buf_add(w->b, "</", 2);
	buf_adds(w->b, name);
	buf_addc(w->b, '>');
}

void
html_write_node(struct buf *b, xmlNodePtr n, const char *page,
    const char *base_url)
{
	struct writer	w;

	w.b = b;
	w.page = page;
	w.base_url = base_url == NULL ? "" : base_url;
	write_node(&w, n, NULL);
}

void
html_write(struct buf *b, xmlDocPtr doc, const char *page,
    const char *base_url)
{
	struct writer	 w;
	const xmlNode	*c;

	w.b = b;
	w.page = page;
	w.base_url = base_url == NULL ? "" : base_url;
	buf_adds(b, "<!DOCTYPE html>\n");
	for (c = doc->children; c != NULL; c = c->next)
		write_node(&w, c, NULL);
	buf_addc(b, '\n');
}
