/*
 * html.h: HTML5 out of a libxml2 tree, by our own rules.
 *
 * libxml2 2.9's HTML serialiser turns every non-ASCII letter into an entity
 * when it misses <meta charset>, writes <br></br> for XHTML elements and
 * knows no HTML5 void elements, so awaaz writes HTML itself: UTF-8 as is,
 * namespaces stripped, HTML5 void elements without end tag, raw-text
 * elements (script, style) unescaped but unable to close early, text and
 * attributes escaped, comments dropped.
 *
 * Site paths ("/en/x/", "/assets/site.css", a single leading slash) in
 * href, src, action, poster, cite and data attributes are written as links
 * from the page (url_link): relative and naming index.html by default,
 * absolute under a base URL.
 */
#ifndef AWAAZ_HTML_H
#define AWAAZ_HTML_H

#include <libxml/tree.h>

struct buf;

/*
 * A reference element stands for another tree's node in an output
 * document: local name HTML_REF, namespace TPL_NS (tpl.h), _private
 * pointing at the xmlNode to write in its place (with its subtree).
 */
#define HTML_REF	"ref"

/*
 * Appends doc as HTML5 ("<!DOCTYPE html>" and the root element, ending in
 * a newline) to b.  page is the site path of the page being written
 * ("/en/handouts/x/", "/404.html"), or NULL for links from the site root
 * (see url_link); base_url is "" for relative links.
 */
void	html_write(struct buf *, xmlDocPtr, const char *page,
	    const char *base_url);
/* The same for one node and its subtree, without doctype (for tests). */
void	html_write_node(struct buf *, xmlNodePtr, const char *page,
	    const char *base_url);

#endif
