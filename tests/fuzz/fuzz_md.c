/*
 * fuzz_md.c: a Markdown body through md_scan and md_render into a fresh
 * libxml2 document, then html_write_node of its <body>.
 *
 * The input is the body (given without a terminating NUL, md.h takes
 * text[0..len)), as if it followed three lines of front matter.  The
 * document has a dictionary, as the pipeline's do, and links to ".md"
 * files are resolved as the site would.  Beyond the sanitizers, it checks
 * what DESIGN.md promises of content from many hands: the written HTML,
 * read back by libxml2's HTML parser, holds only the elements and
 * attributes md.c makes, no event handler, and no link or image a browser
 * would run or fetch from the reader's disk (javascript:, vbscript:,
 * file:, data: but for images) whatever md_render and url_link did to it;
 * it is valid UTF-8; md_scan and md_render agree on heading ids; and every
 * position given (links, headings, resolve calls, diagnostics) lies in the
 * file.  Oracles (fuzz.h): "scheme" for unsafe URLs, "ids", "pos",
 * "lone-cr" and "replaced" for positions, "diag".
 */
/* modules: md html url util diag */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "diag.h"
#include "fuzz.h"
#include "html.h"
#include "md.h"
#include "util.h"

#define LINE0	3
#define PAGE	"/en/handouts/x/"

static const char *const elements[] = {
	"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
	"blockquote", "pre", "code", "em", "strong", "del", "a", "img", "hr",
	"br", "table", "thead", "tbody", "tr", "th", "td", "sup", "section",
	/* What libxml2's HTML parser adds around a fragment. */
	"html", "body",
};

static const char *const attributes[] = {
	"href", "src", "alt", "title", "id", "class", "start", "style",
};

struct ctx {
	const struct fuzz_file	*f;
	struct arena		*arena;
};

/*
 * cmark ends a line at a lone '\r' as well, the rest of awaaz only at
 * '\n' (text_position); and it replaces NUL and invalid UTF-8 by U+FFFD
 * (three bytes) before it counts columns.  The oracles "lone-cr" and
 * "replaced" are whether positions in bodies holding those are checked
 * all the same ("replaced" also: whether the summary and HTML made from
 * invalid UTF-8, which the pipeline refuses before md, must be valid
 * UTF-8).
 */
static bool	 check_positions, check_utf8;

static bool
in_list(const char *s, const char *const *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static void
check_pos(const struct fuzz_file *f, int line, int col, const char *what)
{
	long	len;

	if ((len = fuzz_line_len(f, line)) < 0 || col < 1 || col > len + 1)
		fuzz_fail("position outside the file", what);
}

/* Relative "NAME.md#frag" to "/en/NAME/#frag", as site.c would. */
static const char *
resolve(void *arg, const char *dest, bool image, int line, int col)
{
	struct ctx	*c = arg;
	const char	*hash, *base;
	size_t		 n;

	if (check_positions)
		check_pos(c->f, line, col, dest);
	if (image || strchr(dest, ':') != NULL || dest[0] == '/')
		return NULL;
	hash = strchr(dest, '#');
	n = hash != NULL ? (size_t)(hash - dest) : strlen(dest);
	if (n < 4 || strncmp(dest + n - 3, ".md", 3) != 0)
		return NULL;
	base = strrchr(dest, '/');
	base = base != NULL && base < dest + n ? base + 1 : dest;
	return arena_printf(c->arena, "/en/%.*s/%s", (int)(dest + n - 3 -
	    base), base, hash != NULL ? hash : "");
}

/*
 * The scheme a browser would read (WHATWG URL: leading C0 controls and
 * spaces stripped, tabs and newlines removed anywhere), lower case, into
 * w; "" when the URL is relative.
 */
static void
scheme(const char *url, char *w, size_t size)
{
	const unsigned char	*s = (const unsigned char *)url;
	size_t			 n = 0;

	while (*s != '\0' && *s <= ' ')
		s++;
	for (; *s != '\0'; s++) {
		if (*s == '\t' || *s == '\n' || *s == '\r')
			continue;
		if (*s == ':' && n > 0) {
			w[n] = '\0';
			return;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (n > 0 && ((*s >= '0' && *s <= '9') || *s == '+' ||
		    *s == '-' || *s == '.'))) || n + 1 == size)
			break;
		w[n++] = (char)(*s | 0x20);
	}
	w[0] = '\0';
}

static bool
safe_image_data(const char *url)
{
	static const char *const types[] = {
		"image/png", "image/gif", "image/jpeg", "image/webp",
	};
	struct buf	 b;
	const char	*p;
	size_t		 i, k;
	bool		 ok = false;

	buf_init(&b);
	p = strchr(url, ':') + 1;
	for (; *p != '\0'; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			buf_addc(&b, *p >= 'A' && *p <= 'Z' ? *p | 0x20 : *p);
	for (i = 0; b.data != NULL && i < nitems(types); i++) {
		k = strlen(types[i]);
		if (strncmp(b.data, types[i], k) == 0 &&
		    (b.data[k] == ';' || b.data[k] == ','))
			ok = true;
	}
	buf_release(&b);
	return ok;
}

static void
check_url(const char *name, const char *url)
{
	char	w[32];

	if (!fuzz_oracle("scheme"))
		return;
	scheme(url, w, sizeof(w));
	if (strcmp(w, "javascript") == 0 || strcmp(w, "vbscript") == 0 ||
	    strcmp(w, "file") == 0 || (strcmp(w, "data") == 0 &&
	    (strcmp(name, "src") != 0 || !safe_image_data(url))))
		fuzz_fail("unsafe URL in the written HTML", url);
}

static void
check_html(xmlNodePtr n)
{
	xmlAttrPtr	 a;
	xmlChar		*v;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!in_list((const char *)n->name, elements,
		    nitems(elements)))
			fuzz_fail("unexpected element in the written HTML",
			    (const char *)n->name);
		for (a = n->properties; a != NULL; a = a->next) {
			if (!in_list((const char *)a->name, attributes,
			    nitems(attributes)))
				fuzz_fail("unexpected attribute in the "
				    "written HTML", (const char *)a->name);
			if (strcmp((const char *)a->name, "href") != 0 &&
			    strcmp((const char *)a->name, "src") != 0)
				continue;
			v = xmlNodeGetContent((xmlNodePtr)a);
			check_url((const char *)a->name,
			    v != NULL ? (const char *)v : "");
			xmlFree(v);
		}
		check_html(n->children);
	}
}

/* Heading ids of the tree, in document order, one per line. */
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

static void
check_scan(const struct fuzz_file *f, const struct md_scan *s)
{
	size_t	i, bad;

	if (s->summary != NULL) {
		if (strchr(s->summary, '\n') != NULL ||
		    strchr(s->summary, '\t') != NULL ||
		    strstr(s->summary, "  ") != NULL)
			fuzz_fail("white space runs left in the summary",
			    s->summary);
		if (!utf8_valid(s->summary, strlen(s->summary), &bad) &&
		    check_utf8)
			fuzz_fail("summary is not valid UTF-8", s->summary);
	}
	for (i = 0; i < s->nheadings; i++) {
		if (s->headings[i].level < 1 || s->headings[i].level > 6)
			fuzz_fail("heading level", s->headings[i].text);
		if (s->headings[i].id == NULL || *s->headings[i].id == '\0')
			fuzz_fail("heading without an id",
			    s->headings[i].text);
		if (check_positions)
			check_pos(f, s->headings[i].line, 1, "heading");
	}
	for (i = 0; i < s->nlinks && check_positions; i++)
		check_pos(f, s->links[i].line, s->links[i].col,
		    s->links[i].dest);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a;
	struct fuzz_file	 f;
	struct ctx		 c;
	struct md_scan		 scan;
	struct md_env		 env;
	struct buf		 out, ids, sids;
	xmlDocPtr		 doc;
	htmlDocPtr		 back;
	xmlNodePtr		 body;
	size_t			 i, bad;
	int			 src, rrc;
	bool			 input_valid;

	a = arena_new();
	memset(&f, 0, sizeof(f));
	f.path = "content/en/handouts/x.md";
	f.text = (const char *)data;
	f.len = size;
	f.line0 = LINE0;
	c.f = &f;
	c.arena = a;
	env.resolve = resolve;
	env.ctx = &c;
	env.arena = a;
	check_positions = fuzz_oracle("pos");
	for (i = 0; i < size && check_positions; i++)
		if (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'))
			check_positions = fuzz_oracle("lone-cr");
	input_valid = utf8_valid(f.text, size, &bad);
	check_utf8 = input_valid || fuzz_oracle("replaced");
	if (check_positions && (memchr(data, '\0', size) != NULL ||
	    !input_valid))
		check_positions = fuzz_oracle("replaced");

	src = md_scan(f.path, f.text, size, LINE0, &scan, a);

	doc = xmlNewDoc(BAD_CAST "1.0");
	doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
	doc->dict = xmlDictCreate();
	body = xmlNewDocNode(doc, NULL, BAD_CAST "body", NULL);
	xmlDocSetRootElement(doc, body);
	rrc = md_render(body, f.path, f.text, size, LINE0, &env);

	buf_init(&out);
	html_write_node(&out, body, PAGE, "");
	buf_addc(&out, '\0');

	if (fuzz_oracles()) {
		if (src != 0 || rrc != 0)
			fuzz_fail("md_scan or md_render", "failed");
		check_scan(&f, &scan);
		buf_init(&ids);
		buf_init(&sids);
		heading_ids(body, &ids);
		for (i = 0; i < scan.nheadings; i++)
			buf_printf(&sids, "%s\n", scan.headings[i].id);
		if (fuzz_oracle("ids") && strcmp(ids.data != NULL ?
		    ids.data : "", sids.data != NULL ? sids.data : "") != 0)
			fuzz_fail("md_scan and md_render disagree on heading "
			    "ids", ids.data != NULL ? ids.data : "(none)");
		buf_release(&ids);
		buf_release(&sids);
		if (!utf8_valid(out.data, out.len - 1, &bad) && check_utf8)
			fuzz_fail("written HTML is not valid UTF-8", "");
		back = htmlReadMemory(out.data, (int)(out.len - 1), NULL,
		    "UTF-8", HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
		    HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED);
		if (back != NULL) {
			check_html(back->children);
			xmlFreeDoc(back);
		}
		fuzz_check_diags(&f, check_positions ? 1 : 0);
	}
	fuzz_end();
	buf_release(&out);
	xmlFreeDoc(doc);
	arena_free(a);
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	xmlInitParser();
	return 0;
}
