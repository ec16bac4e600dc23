/*
 * tpl.h: natural XHTML templates, evaluated with XPath 1.0 over the data
 * documents (DESIGN.md, docs/templates.md).
 *
 * A theme's templates/ folder holds well-formed XHTML files.  Behaviour
 * comes from attributes in the namespace urn:awaaz:template (prefix aw: by
 * convention): if, unless, each, text, html, include, extends, block; any
 * other aw:NAME sets the HTML attribute NAME.  Elements in that namespace
 * (<aw:group>) are transparent: only their children are output.  XPath
 * extension functions aw:t, aw:date and aw:number call the l10n module.
 *
 * Loading resolves extends/block and include (a cycle is an error) and
 * compiles every expression once; awaaz's workers are processes forked
 * after loading, so each has its own compiled copies and XPath context.
 */
#ifndef AWAAZ_TPL_H
#define AWAAZ_TPL_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#define TPL_NS	"urn:awaaz:template"

struct tpl_set;
struct l10n;

/*
 * Loads every *.html below dir (names relative to it: "page.html",
 * "partials/nav.html").  Returns NULL after printing every problem found
 * as "file:line:col: error: message" naming the expression: malformed
 * XHTML, unknown keyword, XPath syntax error, missing template in extends
 * or include, include or extends cycle.  Free with tpl_free.
 */
struct tpl_set	*tpl_load(const char *dir);
void		 tpl_free(struct tpl_set *);
bool		 tpl_has(const struct tpl_set *, const char *name);

struct tpl_var {
	const char	*name;		/* "page" for $page */
	xmlNodePtr	 node;		/* bound as a one-node node-set;
					   NULL binds an empty node-set */
};

struct tpl_env {
	const struct tpl_var	*vars;
	size_t			 nvars;
	struct l10n		*l10n;		/* aw:t, aw:date, aw:number */
	const char		*lang;		/* language code, for messages */
	const char		*page_path;	/* source being rendered, for
						   runtime error messages */
};

/*
 * Renders template name into a new HTML document whose elements have no
 * namespace.  aw:html results are not copied: each node of the result is
 * stood for by a reference element (see html.h) that the writer follows,
 * so the output document must be freed (xmlFreeDoc) before the documents
 * the variables point into.  Returns NULL after printing a diagnostic at
 * the template's file:line:col naming the expression.
 */
xmlDocPtr	tpl_render(struct tpl_set *, const char *name,
		    const struct tpl_env *);

#endif
