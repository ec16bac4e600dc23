/*
 * md.h: Markdown bodies, through cmark-gfm, into the body tree.
 *
 * The only module that sees cmark.  Bodies are CommonMark with GitHub's
 * tables, strikethrough, autolinks and footnotes.  The scan pass asks for
 * what lists and checks need (summary, words, headings, images); the render
 * pass builds the page's XHTML fragment straight from the AST as libxml2
 * nodes, under a parent it is given: no HTML text is produced or re-parsed.
 *
 * cmark-gfm 0.29 flips a process-wide table during every parse that uses
 * extensions, so parses are serialised inside this module (one mutex):
 * the scan pass reads files on threads; the render's workers are
 * processes.
 *
 * Positions: cmark counts lines from the start of the body and columns in
 * bytes; line0 (lines before the body in the file) makes them file lines.
 * Every position this module gives or prints is a file position: line0 plus
 * the body line, and the 1-based byte column.
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
	const char		*summary;	/* plain text, NULL when there
						   is none (see md_scan) */
	bool			 truncated;	/* the body says more than the
						   summary */
	size_t			 words;		/* whitespace-separated words */
	struct md_heading	*headings;
	size_t			 nheadings;
	struct md_link		*links;
	size_t			 nlinks;
};

/*
 * Scan pass: parses text[0..len) (the body) and fills scan from the arena.
 *
 * The summary is the plain text of the first paragraph that has any, cut
 * after 60 words with "…" appended; when the body has Hugo's divider
 * "<!--more-->", it is the text of every paragraph before the divider,
 * joined by spaces and not cut.  Runs of white space become one space.
 * Words count the text a reader sees (headings, paragraphs, lists, tables,
 * code, footnotes; not image alt text nor raw HTML), split at white space.
 * Links and images inside an image's alt text are not listed.
 *
 * Raw HTML is reported here, once per HTML block or tag, as a warning at
 * the position where it starts ("raw HTML is dropped"), except the divider;
 * so are unsafe destinations ("unsafe link 'javascript:x' is dropped", and
 * "unsafe image ..." for images).  The render pass stays silent about both.
 * Returns 0 or -1.
 */
int	md_scan(const char *path, const char *text, size_t len, int line0,
	    struct md_scan *, struct arena *);
/*
 * The same, and appends the body's plain text (words of every block,
 * blocks and lines separated by spaces; no raw HTML, no image alt) to
 * plain, for a word count by the language's rules; links lists only the
 * images (what the build keeps of a page: the images' descriptions are
 * checked, and PDFs place them), which saves a third of the memory the
 * scan keeps for a page.
 */
struct buf;
int	md_scan_text(const char *path, const char *text, size_t len,
	    int line0, struct md_scan *, struct buf *plain, struct arena *);

/*
 * Resolves a link or image destination as written in the body.  Returns
 * the destination to use (a site path "/en/x/", a URL, or dest itself),
 * allocated from the arena or static, or NULL to keep dest as written.  It
 * may print a diagnostic at (line, col), the file position of the link's
 * "[" (of "![" for an image, of the URL for an autolink).  Unsafe
 * destinations (javascript:, vbscript:, file:, and data: except PNG, GIF,
 * JPEG and WebP images) never reach it: they lose their href or src.
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
 * become a final <section class="footnotes">.  Blocks are separated by
 * newline text nodes where cmark's HTML renderer puts newlines.
 *
 * Element names come from the document's dictionary when it has one
 * (xmlDictCreate() before the first node).  libxml2 2.9 does not carry
 * names from one dictionary to another when a node moves between
 * documents, so documents that exchange nodes must share one dictionary
 * (xmlDictReference).  env may be NULL.  Returns 0 or -1.
 */
int	md_render(xmlNodePtr parent, const char *path, const char *text,
	    size_t len, int line0, const struct md_env *);

/*
 * The id of a heading with this plain text, GitHub's way: ASCII letters in
 * lower case, white space to '-', punctuation and symbols dropped (ASCII
 * ones but '-' and '_', and the common ones of the campaign's scripts:
 * "،" "؟" "۔" "।" "«" "—" ...), letters, marks and digits of every script
 * kept as they are, as are ZWNJ and ZWJ.  Empty: "section".  The caller
 * makes ids unique.  The result comes from the arena.
 */
char	*md_heading_id(const char *text, struct arena *);

#endif
