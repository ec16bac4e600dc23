/*
 * sitemap.c: the sitemap search engines read, with the alternates that
 * tie translations together (hreflang).  Translations are groups in the
 * site graph, so every alternate is reciprocal by construction: each page
 * of a group lists the same set.  Fallback pages are not alternates: their
 * canonical is their origin.
 */
#include <string.h>

#include <libxml/tree.h>

#include "config.h"
#include "site.h"
#include "sitemap.h"
#include "util.h"

#define SM_NS		"http://www.sitemaps.org/schemas/sitemap/0.9"
#define XHTML_NS	"http://www.w3.org/1999/xhtml"
#define X(s)		((const xmlChar *)(s))

static void
add_alternate(xmlNodePtr url, xmlNsPtr xhtml, const char *hreflang,
    const char *base, const char *path)
{
	xmlNodePtr	 l;
	char		*href;

	l = xmlNewChild(url, xhtml, X("link"), NULL);
	xmlNewProp(l, X("rel"), X("alternate"));
	xmlNewProp(l, X("hreflang"), X(hreflang));
	href = xasprintf("%s%s", base, path);
	xmlNewProp(l, X("href"), X(href));
	free(href);
}

int
sitemap_write(struct buf *b, const struct site *site)
{
	const struct config	*cfg = site->cfg;
	const char		*base = cfg->base_url;
	const struct job	*j;
	struct page		**tr, *t;
	xmlDocPtr		 doc;
	xmlNodePtr		 root, url;
	xmlNsPtr		 xhtml;
	xmlChar			*mem;
	char			*loc;
	size_t			 i, k;
	int			 len;

	if (base == NULL || *base == '\0')
		return -1;
	doc = xmlNewDoc(X("1.0"));
	root = xmlNewDocNode(doc, NULL, X("urlset"), NULL);
	xmlDocSetRootElement(doc, root);
	xmlSetNs(root, xmlNewNs(root, X(SM_NS), NULL));
	xhtml = xmlNewNs(root, X(XHTML_NS), X("xhtml"));
	for (i = 0; i < site->njobs; i++) {
		j = &site->jobs[i];
		if (j->kind != PAGE_HOME && j->kind != PAGE_SECTION &&
		    j->kind != PAGE_PAGE)
			continue;
		if (j->pager_no > 1 || (j->page != NULL && j->page->fallback))
			continue;
		url = xmlNewChild(root, root->ns, X("url"), NULL);
		loc = xasprintf("%s%s", base, j->url);
		xmlNewTextChild(url, root->ns, X("loc"), X(loc));
		free(loc);
		if (j->page == NULL || (tr = j->page->translations) == NULL)
			continue;
		for (k = 0; k < cfg->nlangs; k++)
			if ((t = tr[k]) != NULL && !t->fallback)
				add_alternate(url, xhtml, t->lang->locale, base,
				    t->url);
		if (tr[0] != NULL && !tr[0]->fallback)
			add_alternate(url, xhtml, "x-default", base,
			    tr[0]->url);
	}
	xmlDocDumpFormatMemoryEnc(doc, &mem, &len, "UTF-8", 1);
	buf_add(b, mem, (size_t)len);
	xmlFree(mem);
	xmlFreeDoc(doc);
	return 0;
}
