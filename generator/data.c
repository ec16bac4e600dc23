/*
 * data.c: builds the data documents of docs/templates.md from the site
 * graph.  Text from content goes into text nodes and attribute values
 * only (xmlNewTextChild, xmlNewProp), never through a parser, so nothing a
 * campaign writes can become markup.  Collections come pre-sorted (XPath
 * 1.0 cannot sort) and dates carry their epoch in @value beside the text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "config.h"
#include "data.h"
#include "diag.h"
#include "l10n.h"
#include "md.h"
#include "site.h"
#include "util.h"
#include "yaml.h"

struct data {
	const struct site	*site;
	xmlDictPtr		 dict;		/* names, shared by every doc */
	xmlDocPtr		 site_doc;
	xmlDocPtr		*lang_docs;	/* [nlangs] */
	struct strmap		 sections;	/* section url -> element */
	struct arena		*arena;
};

#define X(s)	((const xmlChar *)(s))

static void
set_attr(xmlNodePtr n, const char *name, const char *value)
{
	if (value != NULL)
		xmlNewProp(n, X(name), X(value));
}

static void
set_attr_num(xmlNodePtr n, const char *name, long v)
{
	char	tmp[32];

	snprintf(tmp, sizeof(tmp), "%ld", v);
	xmlNewProp(n, X(name), X(tmp));
}

static xmlNodePtr
add_text(xmlNodePtr parent, const char *name, const char *text)
{
	return xmlNewTextChild(parent, NULL, X(name), X(text ? text : ""));
}

static bool
is_ncname(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;

	if (!(*p == '_' || (*p >= 'a' && *p <= 'z') ||
	    (*p >= 'A' && *p <= 'Z')))
		return false;
	for (p++; *p; p++)
		if (!(*p == '_' || *p == '-' || *p == '.' ||
		    (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9')))
			return false;
	return strncasecmp(s, "xml", 3) != 0;
}

/*
 * YAML into elements: a map's keys become child elements (or <entry
 * key="..."> when a key is no XML name), a sequence's items <item>, a
 * scalar text.
 */
static void
yaml_to_xml(xmlNodePtr parent, const struct yaml_node *y)
{
	xmlNodePtr	n;
	size_t		i;

	switch (y->kind) {
	case YAML_SCALAR:
		if (!yaml_is_null(y))
			xmlNodeAddContentLen(parent, X(y->str), (int)y->len);
		break;
	case YAML_SEQ:
		for (i = 0; i < y->n; i++) {
			n = xmlNewChild(parent, NULL, X("item"), NULL);
			yaml_to_xml(n, y->items[i]);
		}
		break;
	case YAML_MAP:
		for (i = 0; i < y->n; i++) {
			if (is_ncname(y->pairs[i].key->str))
				n = xmlNewChild(parent, NULL,
				    X(y->pairs[i].key->str), NULL);
			else {
				n = xmlNewChild(parent, NULL, X("entry"), NULL);
				set_attr(n, "key", y->pairs[i].key->str);
			}
			yaml_to_xml(n, y->pairs[i].value);
		}
		break;
	}
}

static const char *
reading_time(char *tmp, size_t size, size_t words)
{
	snprintf(tmp, size, "%zu", words < 200 ? 1 : (words + 199) / 200);
	return tmp;
}

static void
add_date(xmlNodePtr parent, const struct fm_date *d)
{
	xmlNodePtr	n;
	char		tmp[32];

	n = add_text(parent, "date", d->iso);
	snprintf(tmp, sizeof(tmp), "%lld", (long long)d->epoch);
	set_attr(n, "value", tmp);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", d->year, d->month, d->day);
	set_attr(n, "iso", tmp);
}

static void	fill_language(xmlNodePtr, const struct lang *);

/* <source>: the original of a translation or fallback. */
static void
add_source(xmlNodePtr parent, const struct page *origin)
{
	xmlNodePtr	n;

	n = xmlNewChild(parent, NULL, X("source"), NULL);
	fill_language(n, origin->lang);
	xmlSetProp(n, X("url"), X(origin->url));
}

/* The attributes and children every page entry has. */
static void
fill_entry(xmlNodePtr e, const struct data *d, const struct page *p)
{
	const struct config	*cfg = d->site->cfg;
	xmlNodePtr		 n;
	char			 tmp[32], *url;
	size_t			 i, m;

	set_attr(e, "url", p->url);
	set_attr(e, "kind", p->kind == PAGE_HOME ? "home" :
	    p->kind == PAGE_SECTION ? "section" : "page");
	if (p->section != NULL)
		set_attr(e, "section", p->section->name);
	set_attr(e, "lang", p->lang->code);
	set_attr_num(e, "weight", p->fm.weight);
	set_attr_num(e, "words", (long)p->words);
	set_attr(e, "reading-time", reading_time(tmp, sizeof(tmp),
	    p->words));
	if (p->fallback)
		set_attr(e, "fallback", "true");
	if (p->outdated)
		set_attr(e, "outdated", "true");
	if (p->origin != NULL)
		add_source(e, p->origin);
	if (p->fm.handout.s != NULL) {
		set_attr(e, "handout", p->fm.handout.s);
		n = xmlNewChild(e, NULL, X("pdf"), NULL);
		url = site_pdf_url(p);
		set_attr(n, "url", url);
		free(url);
		set_attr(n, "size", p->fm.handout.s);
		set_attr(n, "lang", (p->fallback ? p->origin : p)->lang->code);
	}
	add_text(e, "title", p->title);
	if (p->fm.has_date)
		add_date(e, &p->fm.date);
	if (p->summary != NULL && *p->summary != '\0')
		add_text(e, "summary", p->summary);
	for (i = 0; i < p->fm.audience.n; i++)
		for (m = 0; m < cfg->naudiences; m++) {
			if (strcmp(cfg->audiences[m].name,
			    p->fm.audience.v[i].s) != 0)
				continue;
			n = xmlNewChild(e, NULL, X("audience"), NULL);
			set_attr(n, "name", cfg->audiences[m].name);
			set_attr(n, "label", cfg->audiences[m].label);
			url = xasprintf("/%s/audience/%s/", p->lang->code,
			    cfg->audiences[m].name);
			set_attr(n, "url", url);
			free(url);
		}
	for (i = 0; p->tags != NULL && p->tags[i] != NULL; i++) {
		n = xmlNewChild(e, NULL, X("tag"), NULL);
		set_attr(n, "name", p->tags[i]->name);
		set_attr(n, "slug", p->tags[i]->slug);
		set_attr(n, "url", p->tags[i]->url);
	}
}

static xmlNodePtr
add_entry(xmlNodePtr parent, const struct data *d, const struct page *p)
{
	xmlNodePtr	e;

	e = xmlNewChild(parent, NULL, X("page"), NULL);
	fill_entry(e, d, p);
	return e;
}

static void
fill_language(xmlNodePtr n, const struct lang *l)
{
	char	*u;

	set_attr(n, "code", l->code);
	set_attr(n, "locale", l->locale);
	set_attr(n, "dir", l->dir);
	set_attr(n, "name", l->name);
	u = xasprintf("/%s/", l->code);
	set_attr(n, "url", u);
	free(u);
}

/* data/NAME.yaml under $site/data/NAME, in name order. */
static int
load_data_dir(xmlNodePtr site_el, const struct config *cfg,
    struct arena *a)
{
	const struct yaml_node	*y;
	xmlNodePtr		 data;
	char			*dir, **names, *src, *abs, *text, *name;
	size_t			 nnames, len, i;
	int			 nerr = 0;

	data = xmlNewChild(site_el, NULL, X("data"), NULL);
	dir = path_join(cfg->root, "data");
	if ((names = dir_list(dir, &nnames)) == NULL) {
		free(dir);
		return 0;
	}
	for (i = 0; i < nnames; i++) {
		if (!has_suffix(names[i], ".yaml"))
			continue;
		src = xasprintf("data/%s", names[i]);
		abs = path_join(cfg->root, src);
		name = xstrndup(names[i], strlen(names[i]) - 5);
		if (!is_ncname(name)) {
			diag_error(src, 0, 0, "'%s' cannot be an element name "
			    "in $site/data: use letters, digits, '-', '_'",
			    name);
			nerr++;
		} else if (file_read(abs, &text, &len) == -1) {
			diag_error(src, 0, 0, "cannot read: %s",
			    strerror(errno));
			nerr++;
		} else {
			if ((y = yaml_parse(src, text, len, 0, a)) == NULL)
				nerr++;
			else
				yaml_to_xml(xmlNewChild(data, NULL, X(name),
				    NULL), y);
			free(text);
		}
		free(name);
		free(abs);
		free(src);
	}
	names_free(names, nnames);
	free(dir);
	return nerr ? -1 : 0;
}

/*
 * Every data document shares one dictionary, so element and attribute
 * names are interned once, not copied into each node.
 */
static xmlDocPtr
new_doc(const struct data *d, const char *root_name, xmlNodePtr *root)
{
	xmlDocPtr	doc;

	doc = xmlNewDoc(X("1.0"));
	doc->dict = d->dict;
	xmlDictReference(d->dict);
	*root = xmlNewDocNode(doc, NULL, X(root_name), NULL);
	xmlDocSetRootElement(doc, *root);
	return doc;
}

static void
build_lang(struct data *d, size_t k)
{
	const struct site	*site = d->site;
	const struct config	*cfg = site->cfg;
	struct site_lang	*sl = &site->langs[k];
	const struct section	*sec;
	xmlNodePtr		 root, n;
	size_t			 i, m;
	char			*url;

	d->lang_docs[k] = new_doc(d, "lang", &root);
	fill_language(root, sl->lang);
	set_attr(root, "default", k == 0 ? "true" : "false");

	n = xmlNewChild(root, NULL, X("home"), NULL);
	url = xasprintf("/%s/", sl->lang->code);
	set_attr(n, "url", url);
	free(url);
	add_text(n, "title", sl->home ? sl->home->title : cfg->title);
	if (sl->home != NULL && sl->home->summary != NULL)
		add_text(n, "summary", sl->home->summary);

	for (i = 0; i < sl->nsections; i++) {
		sec = &sl->sections[i];
		n = xmlNewChild(root, NULL, X("section"), NULL);
		set_attr(n, "name", sec->name);
		set_attr(n, "url", sec->url);
		set_attr_num(n, "weight", sec->weight);
		set_attr_num(n, "count", (long)sec->npages);
		add_text(n, "title", sec->title);
		if (sec->index != NULL && sec->index->summary != NULL)
			add_text(n, "summary", sec->index->summary);
		/* A section shown from its original's _index.md says so. */
		if (sec->index != NULL && sec->index->fallback) {
			set_attr(n, "fallback", "true");
			add_source(n, sec->index->origin);
		}
		for (m = 0; m < sec->npages; m++)
			add_entry(n, d, sec->pages[m]);
		strmap_put(&d->sections, sec->url, n);
	}
	for (m = 0; m < cfg->naudiences; m++) {
		n = xmlNewChild(root, NULL, X("audience"), NULL);
		set_attr(n, "name", cfg->audiences[m].name);
		url = xasprintf("/%s/audience/%s/", sl->lang->code,
		    cfg->audiences[m].name);
		set_attr(n, "url", url);
		free(url);
		set_attr_num(n, "count", (long)sl->aud_npages[m]);
		set_attr(n, "label", cfg->audiences[m].label);
	}
	for (i = 0; i < sl->ntags; i++) {
		n = xmlNewChild(root, NULL, X("tag"), NULL);
		set_attr(n, "name", sl->tags[i].name);
		set_attr(n, "slug", sl->tags[i].slug);
		set_attr(n, "url", sl->tags[i].url);
		set_attr_num(n, "count", (long)sl->tags[i].npages);
	}
	/* The downloads page, when the language has handouts: templates
	 * link to it without looking through every page. */
	if (sl->downloads != NULL) {
		n = xmlNewChild(root, NULL, X("downloads"), NULL);
		set_attr(n, "url", sl->downloads);
		set_attr_num(n, "count", (long)sl->nhandouts);
	}
}

struct data *
data_new(const struct site *site)
{
	const struct config	*cfg = site->cfg;
	const struct yaml_node	*params;
	struct data		*d;
	xmlNodePtr		 root, n;
	size_t			 i;
	char			 tmp[32];

	d = xcalloc(1, sizeof(*d));
	d->site = site;
	d->arena = arena_new();
	d->dict = xmlDictCreate();
	strmap_init(&d->sections);

	d->site_doc = new_doc(d, "site", &root);
	set_attr(root, "title", cfg->title);
	set_attr(root, "description", cfg->description ? cfg->description :
	    "");
	set_attr(root, "base-url", cfg->base_url);
	set_attr(root, "default-lang", cfg->langs[0].code);
	set_attr(root, "generator", "awaaz " AWAAZ_VERSION);
	snprintf(tmp, sizeof(tmp), "%zu", cfg->nlangs);
	set_attr(root, "languages", tmp);
	for (i = 0; i < cfg->nlangs; i++)
		fill_language(xmlNewChild(root, NULL, X("language"), NULL),
		    &cfg->langs[i]);
	for (i = 0; i < cfg->naudiences; i++) {
		n = xmlNewChild(root, NULL, X("audience"), NULL);
		set_attr(n, "name", cfg->audiences[i].name);
		set_attr(n, "label", cfg->audiences[i].label);
	}
	if (cfg->map != NULL &&
	    (params = yaml_get(cfg->map, "params")) != NULL)
		yaml_to_xml(xmlNewChild(root, NULL, X("params"), NULL),
		    params);
	if (load_data_dir(root, cfg, d->arena) == -1) {
		data_free(d);
		return NULL;
	}
	d->lang_docs = xcalloc(cfg->nlangs, sizeof(*d->lang_docs));
	for (i = 0; i < cfg->nlangs; i++) {
		build_lang(d, i);
		xmlXPathOrderDocElems(d->lang_docs[i]);
	}
	/*
	 * Numbered elements let XPath put nodes in document order in O(1)
	 * per comparison; unnumbered, libxml2 walks siblings each time.
	 */
	xmlXPathOrderDocElems(d->site_doc);
	return d;
}

void
data_free(struct data *d)
{
	size_t	i;

	if (d == NULL)
		return;
	if (d->lang_docs != NULL)
		for (i = 0; i < d->site->cfg->nlangs; i++)
			xmlFreeDoc(d->lang_docs[i]);
	free(d->lang_docs);
	xmlFreeDoc(d->site_doc);
	strmap_release(&d->sections);
	xmlDictFree(d->dict);
	arena_free(d->arena);
	free(d);
}

xmlNodePtr
data_site(const struct data *d)
{
	return xmlDocGetRootElement(d->site_doc);
}

xmlNodePtr
data_lang(const struct data *d, size_t k)
{
	return xmlDocGetRootElement(d->lang_docs[k]);
}

xmlNodePtr
data_helplines(const struct data *d)
{
	xmlNodePtr	n, h;

	for (n = data_site(d)->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE ||
		    !xmlStrEqual(n->name, X("data")))
			continue;
		for (h = n->children; h != NULL; h = h->next)
			if (h->type == XML_ELEMENT_NODE &&
			    xmlStrEqual(h->name, X("helplines")))
				return h;
	}
	return NULL;
}

xmlNodePtr
data_section(const struct data *d, const struct section *sec)
{
	return sec == NULL ? NULL : strmap_get(&d->sections, sec->url);
}

static const char *const kind_names[] = {
	[PAGE_HOME] = "home",
	[PAGE_SECTION] = "section",
	[PAGE_PAGE] = "page",
	[PAGE_AUDIENCE] = "audience",
	[PAGE_TAG] = "tag",
	[PAGE_404] = "404",
	[PAGE_ROOT] = "root",
	[PAGE_ALIAS] = "alias",
	[PAGE_DOWNLOADS] = "downloads",
};

/*
 * Where this job's page is in language k, and whether it exists there
 * (otherwise the language's home stands in).
 */
static const char *
job_url_in(const struct data *d, const struct job *j, size_t k, bool *avail,
    struct arena *a)
{
	const struct site	*site = d->site;
	const struct site_lang	*sl = &site->langs[k];
	const char		*code = sl->lang->code;
	size_t			 i;

	*avail = true;
	if (j->page != NULL && j->page->translations != NULL &&
	    j->page->translations[k] != NULL) {
		*avail = !j->page->translations[k]->fallback;
		return j->page->translations[k]->url;
	}
	switch (j->kind) {
	case PAGE_HOME:
	case PAGE_ROOT:
		return arena_printf(a, "/%s/", code);
	case PAGE_404:
		return arena_printf(a, "/%s/404.html", code);
	case PAGE_AUDIENCE:
		return arena_printf(a, "/%s/audience/%s/", code, j->name);
	case PAGE_DOWNLOADS:
		return arena_printf(a, "/%s/downloads/", code);
	case PAGE_SECTION:
		for (i = 0; i < sl->nsections; i++)
			if (strcmp(sl->sections[i].name, j->name) == 0)
				return sl->sections[i].url;
		break;
	case PAGE_TAG:
		for (i = 0; i < sl->ntags; i++)
			if (strcmp(sl->tags[i].slug, j->name) == 0)
				return sl->tags[i].url;
		break;
	default:
		break;
	}
	*avail = false;
	return arena_printf(a, "/%s/", code);
}

/*
 * NFC for text parsed from a body that was not NFC (rare: the scan pass
 * checked).  Text is normalised after parsing, so diagnostics keep the
 * columns of the file as written.
 */
static void
nfc_tree(xmlNodePtr n)
{
	xmlAttrPtr	 a;
	char		*s;

	for (; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content != NULL &&
		    !l10n_is_nfc((const char *)n->content,
		    strlen((const char *)n->content))) {
			s = l10n_nfc((const char *)n->content,
			    strlen((const char *)n->content));
			xmlNodeSetContent(n, X(s));
			free(s);
		}
		if (n->type == XML_ELEMENT_NODE) {
			for (a = n->properties; a != NULL; a = a->next)
				nfc_tree(a->children);
			nfc_tree(n->children);
		}
	}
}

struct resolve_ctx {
	const struct site	*site;
	const struct page	*page;
	struct arena		*arena;
};

static const char *
resolve(void *arg, const char *dest, bool image, int line, int col)
{
	struct resolve_ctx	*rc = arg;

	return site_resolve_link(rc->site, rc->page, dest, image, line, col,
	    rc->arena);
}

/* Other front matter keys as <param name="key">. */
static void
add_params(xmlNodePtr root, const struct fm *fm)
{
	const struct yaml_node	*map = fm->map;
	xmlNodePtr		 n;
	size_t			 i;

	if (map == NULL || map->kind != YAML_MAP)
		return;
	for (i = 0; i < map->n; i++) {
		if (fm_is_known_key(map->pairs[i].key->str))
			continue;
		n = xmlNewChild(root, NULL, X("param"), NULL);
		set_attr(n, "name", map->pairs[i].key->str);
		yaml_to_xml(n, map->pairs[i].value);
	}
}

/*
 * One buffer for every body this process reads: rendering runs one page
 * at a time in each worker.
 */
static struct buf	 body_text;

static int
add_body(xmlNodePtr root, const struct data *d, const struct page *p,
    struct arena *scratch)
{
	struct resolve_ctx	 rc;
	struct md_env		 env;
	const struct lang	*lang;
	xmlNodePtr		 body;
	char			*abs, *text;
	size_t			 len;
	int			 rc_ = -1;

	abs = path_join(d->site->cfg->root, p->src);
	if (file_read_buf(abs, &body_text) == -1) {
		diag_error(p->src, 0, 0, "cannot read: %s", strerror(errno));
		free(abs);
		return -1;
	}
	text = body_text.data;
	len = body_text.len;
	/* The body's language: on a fallback page, its origin's. */
	lang = p->fallback ? p->origin->lang : p->lang;
	body = xmlNewChild(root, NULL, X("body"), NULL);
	set_attr(body, "lang", lang->locale);
	set_attr(body, "dir", lang->dir);
	rc.site = d->site;
	rc.page = p;
	rc.arena = scratch;
	env.resolve = resolve;
	env.ctx = &rc;
	env.arena = scratch;
	if (p->fm.body_off <= len &&
	    md_render(body, p->src, text + p->fm.body_off,
	    len - p->fm.body_off, p->fm.body_line0, &env) == 0)
		rc_ = 0;
	if (!p->body_nfc)
		nfc_tree(body->children);
	free(abs);
	return rc_;
}

/*
 * A list's pager: links to the first and the last page, and to the pages
 * up to PAGER_NEAR either side of this one; a link after pages left out
 * says gap="true".  Linking every page would make a long list's pages
 * grow with its length (and the site with its square), and on a phone
 * 170 numbers are no help.
 */
#define PAGER_NEAR	2

static void
add_pager(xmlNodePtr root, const struct job *j)
{
	xmlNodePtr	 pager, n;
	long		 k, cur = j->pager_no, last = j->pager_count, from, to;
	char		*url;

	pager = xmlNewChild(root, NULL, X("pager"), NULL);
	set_attr_num(pager, "number", cur);
	set_attr_num(pager, "count", last);
	from = cur - PAGER_NEAR > 2 ? cur - PAGER_NEAR : 2;
	to = cur + PAGER_NEAR < last - 1 ? cur + PAGER_NEAR : last - 1;
	/* A gap of one page shows that page instead. */
	if (from == 3)
		from = 2;
	if (to == last - 2)
		to = last - 1;
	for (k = 1; k <= last; k++) {
		if (k > 1 && k < from)
			k = from;
		if (k > to && k < last)
			k = last;
		url = k == 1 ? xstrdup(j->list_url) :
		    xasprintf("%spage/%ld/", j->list_url, k);
		if (k == cur - 1)
			set_attr(pager, "prev", url);
		if (k == cur + 1)
			set_attr(pager, "next", url);
		n = xmlNewChild(pager, NULL, X("link"), NULL);
		set_attr_num(n, "number", k);
		set_attr(n, "url", url);
		if (k == cur)
			set_attr(n, "current", "true");
		if ((k == from && from > 2) || (k == last && last > to + 1))
			set_attr(n, "gap", "true");
		free(url);
	}
}

xmlDocPtr
data_page(const struct data *d, const struct job *j, struct arena *scratch)
{
	const struct site	*site = d->site;
	const struct config	*cfg = site->cfg;
	const struct page	*p = j->page;
	const struct lang	*l;
	xmlDocPtr		 doc;
	xmlNodePtr		 root, n;
	size_t			 i, k;
	bool			 avail;

	doc = new_doc(d, "page", &root);
	if (p != NULL && j->kind != PAGE_ALIAS) {
		fill_entry(root, d, p);
		xmlSetProp(root, X("url"), X(j->url));
		set_attr(root, "source", p->src);
		if (p->fm.layout.s != NULL)
			set_attr(root, "layout", p->fm.layout.s);
		if (p->fm.draft)
			set_attr(root, "draft", "true");
		add_params(root, &p->fm);
		if (add_body(root, d, p, scratch) == -1) {
			xmlFreeDoc(doc);
			return NULL;
		}
		/* A fallback's canonical is its origin. */
		set_attr(root, "canonical", p->fallback ? p->origin->url :
		    j->url);
	} else {
		set_attr(root, "url", j->url);
		set_attr(root, "canonical", j->url);
		if (j->sl != NULL)
			set_attr(root, "lang", j->sl->lang->code);
		add_text(root, "title", j->title ? j->title : "");
		if (j->kind == PAGE_404 && strcmp(j->url, "/404.html") == 0)
			set_attr(root, "root", "true");
	}
	xmlSetProp(root, X("kind"), X(kind_names[j->kind]));
	if (j->kind == PAGE_AUDIENCE || j->kind == PAGE_TAG ||
	    j->kind == PAGE_SECTION)
		set_attr(root, "name", j->name);
	if (j->section != NULL && xmlHasProp(root, X("section")) == NULL)
		set_attr(root, "section", j->section->name);

	if (j->list != NULL || j->kind == PAGE_SECTION ||
	    j->kind == PAGE_DOWNLOADS ||
	    j->kind == PAGE_AUDIENCE || j->kind == PAGE_TAG) {
		n = xmlNewChild(root, NULL, X("list"), NULL);
		set_attr_num(n, "total", (long)j->nlist);
		for (i = j->first; i < j->first + j->count; i++)
			add_entry(n, d, j->list[i]);
	}
	if (j->pager_count > 1)
		add_pager(root, j);
	if (j->sl != NULL)
		for (k = 0; k < cfg->nlangs; k++) {
			l = &cfg->langs[k];
			n = xmlNewChild(root, NULL, X("translation"), NULL);
			fill_language(n, l);
			xmlSetProp(n, X("url"),
			    X(job_url_in(d, j, k, &avail, scratch)));
			set_attr(n, "current", k == j->sl->lang->index ?
			    "true" : "false");
			set_attr(n, "available", avail ? "true" : "false");
			set_attr(n, "fallback", !avail && j->page != NULL &&
			    j->page->translations != NULL &&
			    j->page->translations[k] != NULL ? "true" : "false");
			set_attr(n, "default", k == 0 ? "true" : "false");
		}
	xmlXPathOrderDocElems(doc);
	return doc;
}
