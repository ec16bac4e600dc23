/*
 * url.h: site paths and the links written for them.
 *
 * Inside awaaz every page and file has a site path: "/en/handouts/x/" for a
 * page (a folder holding index.html), "/404.html" or "/assets/site.css" for
 * a file.  Output links are made from site paths only here.
 */
#ifndef AWAAZ_URL_H
#define AWAAZ_URL_H

#include <stdbool.h>

/*
 * The link from the page at site path from to site path to (which may end
 * in "#frag" or "?q").  With a base URL ("https://x.org/campaign", no
 * trailing slash) the link is absolute: base_url + to.  Otherwise it is
 * relative, and a path ending in '/' gets "index.html" so that file:// and
 * a USB stick work.  With from NULL the link is to itself, from the site's
 * root: for pages a server shows at any depth (404 pages).  The result is
 * malloc'd; the caller frees it.
 */
char	*url_link(const char *from, const char *to, const char *base_url);

/* A site path: one leading '/', not "//" (which is a network path). */
bool	 url_is_site_path(const char *);

/* The output file of a site path: "/en/x/" -> "en/x/index.html". */
char	*url_file(const char *);

#endif
