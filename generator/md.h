/*
 * md.h: Markdown bodies, through cmark-gfm, into the body tree.
 *
 * The only module that sees cmark.  Bodies are CommonMark with GitHub's
 * tables, strikethrough, autolinks and footnotes.  The scan pass asks for
 * what lists and checks need (summary, words, headings, links); the render
 * pass builds the page's XHTML fragment straight from the AST as libxml2
 * nodes, under a parent it is given: no HTML text is produced or re-parsed.
 *
 * cmark-gfm 0.29 flips a process-wide table during every parse that uses
 * extensions, so parses are serialised inside this module (one mutex);
 * awaaz's workers are processes, so the lock only matters for threads.
 *
 * Positions: cmark counts lines from the start of the body and columns in
 * bytes; line0 (lines before the body in the file) makes them file lines.
 */
#ifndef AWAAZ_MD_H
#define AWAAZ_MD_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

struct arena;

struct md_heading {
	int		 level;		/* 1..6 */
	const char	*id;		/* the id render gives it */
	const char	*text;		/* plain text */
	int		 line;
};

struct md_link {
	const char	*dest;		/* as written */
	bool		 image;
	const char	*alt;		/* images: plain text of the alt */
	int		 line, col;
};

struct md_scan {
	const char		*summary;	/* first paragraph, plain text,
						   NULL when there is none */
	size_t			 words;		/* whitespace-separated words */
	struct md_heading	*headings;
	size_t			 nheadings;
	struct md_link		*links;
	size_t			 nlinks;
};

/*
 * Scan pass: parses text[0..len) (the body) and fills scan from the arena.
 * Raw HTML is reported here, once, as a warning at its line ("raw HTML is
 * dropped"), so the render pass stays silent about it.  Returns 0 or -1.
 */
int	md_scan(const char *path, const char *text, size_t len, int line0,
	    struct md_scan *, struct arena *);

/*
 * Resolves a link or image destination as written in the body.  Returns
 * the destination to use (a site path "/en/x/", a URL, or dest itself),
 * allocated from the arena or static, or NULL to keep dest as written.  It
 * may print a diagnostic at (line, col).
 */
typedef const char *(*md_resolve_fn)(void *ctx, const char *dest, bool image,
    int line, int col);

struct md_env {
	md_resolve_fn	 resolve;	/* may be NULL */
	void		*ctx;
	struct arena	*arena;		/* scratch for this page */
};

/*
 * Render pass: parses the body again and appends its XHTML fragment (HTML
 * elements in no namespace) as children of parent, in parent's document.
 * Headings get ids (as md_scan reports them), raw HTML is dropped, footnotes
 * become a final <section class="footnotes">.  Returns 0 or -1.
 */
int	md_render(xmlNodePtr parent, const char *path, const char *text,
	    size_t len, int line0, const struct md_env *);

/*
 * The id of a heading with this plain text, GitHub's way: lower case,
 * spaces to '-', punctuation dropped, letters of every script kept.  The
 * caller makes ids unique.  The result comes from the arena.
 */
char	*md_heading_id(const char *text, struct arena *);

#endif
