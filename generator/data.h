/*
 * data.h: the data documents templates read (docs/templates.md).
 *
 * One $site document, one $lang document per language (built once, before
 * the workers fork, and shared by every page of that language), and one
 * $page document per output page, holding the page's body tree: the one
 * tree the HTML (and later the PDF) is made from.  URLs in them are site
 * paths; the HTML writer makes the links.
 */
#ifndef AWAAZ_DATA_H
#define AWAAZ_DATA_H

#include <libxml/tree.h>

struct arena;
struct job;
struct site;
struct section;

struct data;

/*
 * Builds $site (with each data/NAME.yaml as $site/data/NAME) and every
 * $lang.
 * Returns NULL after printing every problem found.  Free with data_free.
 */
struct data	*data_new(const struct site *);
void		 data_free(struct data *);

xmlNodePtr	 data_site(const struct data *);
xmlNodePtr	 data_lang(const struct data *, size_t lang_index);
/* $site/data/helplines (data/helplines.yaml), or NULL. */
xmlNodePtr	 data_helplines(const struct data *);
/* The $lang/section element of a section, or NULL. */
xmlNodePtr	 data_section(const struct data *, const struct section *);

/*
 * The $page document of a job, with the page's body tree rendered from
 * its source (read again here).  scratch holds per-page strings.  Returns
 * NULL after printing diagnostics.  The caller frees it (xmlFreeDoc).
 */
xmlDocPtr	 data_page(const struct data *, const struct job *,
		    struct arena *scratch);

#endif
