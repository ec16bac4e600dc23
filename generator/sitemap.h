/*
 * sitemap.h: /sitemap.xml from the site graph, with hreflang alternates.
 */
#ifndef AWAAZ_SITEMAP_H
#define AWAAZ_SITEMAP_H

struct buf;
struct site;

/*
 * Appends sitemap.xml for the site to b: every home, section and page
 * that is not a fallback, with an xhtml:link alternate for each real
 * translation (itself included) and x-default for the default
 * language's.  Needs the base URL: returns -1, writing nothing, without.
 */
int	sitemap_write(struct buf *, const struct site *);

#endif
