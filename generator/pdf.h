/*
 * pdf.h: print handouts, laid out from the body tree.
 *
 * The only module that sees pango, cairo, librsvg, fontconfig and
 * libqrencode.  A struct pdf_ctx belongs to one worker process: it holds
 * the fontconfig configuration awaaz writes (the font files the theme's
 * handout.yaml names, by absolute path, with its own cache), one pango
 * font map, the theme's handout settings and its logo.  pdf_render lays
 * one page's body tree (the XHTML fragment md_render builds, the same one
 * the HTML is made from) out on A4, A5 or US Letter and writes a tagged
 * PDF with fonts embedded and subset, links, bookmarks, and metadata dates
 * from the page, never from the clock: the same page gives the same bytes.
 */
#ifndef AWAAZ_PDF_H
#define AWAAZ_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

struct buf;
struct l10n;
struct lang;
struct md_link;
struct pdf_ctx;

/*
 * Opens the handout machinery for one worker: reads theme_dir/handout.yaml
 * (built-in defaults when the theme has none), writes the fontconfig
 * configuration to cache_dir/fontconfig/fonts.conf (cache_dir is created;
 * fontconfig keeps its cache beside it, in a folder named by a hash of
 * the configuration) and loads the theme's logo.  Returns NULL after
 * printing diagnostics (a bad handout.yaml, a font file that is missing,
 * a cache folder that cannot be written).  Free with pdf_ctx_free.
 */
struct pdf_ctx	*pdf_ctx_new(const char *theme_dir, const char *cache_dir);
void		 pdf_ctx_free(struct pdf_ctx *);
/*
 * Frees fontconfig's and cairo's process-wide data at exit, after every
 * pdf_ctx_free, so that leak checkers see a clean exit.
 */
void		 pdf_cleanup(void);

struct pdf_page {
	const char	*src;		/* content file, for diagnostics */
	const char	*size;		/* "a4", "a5" or "letter" */
	int		 size_line;	/* where size is written (front */
	int		 size_col;	/* matter value), or 0 */
	const char	*title;
	const char	*summary;	/* NULL: none */
	bool		 has_date;
	int64_t		 date;		/* epoch seconds, when has_date */
	const struct lang *lang;	/* direction, code, locale */
	struct l10n	*l10n;		/* digits, dates, UI strings */
	const char	*url;		/* absolute URL of the page online, for
					   the QR code and printed; or NULL */
	const char	*base_url;	/* absolute base URL (no trailing '/')
					   that makes site paths in links
					   clickable, or NULL */
	const char	*site_title;	/* header, and the PDF's author */
	const char	*root;		/* site folder, for images */
	xmlNodePtr	 body;		/* the body tree: its children */
	xmlNodePtr	 helplines;	/* $site/data/helplines, or NULL */
	/* md_scan's links of this body (or NULL): the positions of its
	   images, which pair with the body's <img> in document order. */
	const struct md_link *links;
	size_t		 nlinks;
};

/*
 * Lays the page out and appends the PDF to out.  Images: "src" site paths
 * ("/images/x.svg") are read from root/static/, then root/content/; other
 * relative ones from the content file's folder.  PNG and SVG (as vectors)
 * and JPEG (embedded as it is) are printed; remote images are left out
 * with a warning.  Returns 0, or -1 after printing path:line:col
 * diagnostics (a missing or unreadable image, an unknown page size); out
 * is then unchanged.
 */
int	pdf_render(struct pdf_ctx *, const struct pdf_page *, struct buf *out);

/*
 * Cache keys (HASH_HEX hex digits).  pdf_theme_key hashes what a theme
 * gives every handout: the drawing libraries' versions, handout.yaml, the
 * logo, and each font file's path, size and date; it returns a malloc'd
 * key, or NULL (nothing printed) when handout.yaml has errors, which the
 * handouts' rendering then reports.  pdf_page_key adds the page as
 * pdf_render sees it (its fields, body tree, helplines, and the bytes of
 * each image it names) to inputs, a key of everything else (the theme's,
 * the site's settings and strings), into out (HASH_HEX + 1 bytes); it
 * returns 0, or -1 when libxml2 runs out of memory.
 */
char	*pdf_theme_key(const char *theme_dir);
int	 pdf_page_key(const struct pdf_page *, const char *inputs,
	    char *out);

/*
 * The page breaker, a pure function (exported for its unit tests).  The
 * flow is a list of items stacked top to bottom: a line of text, an image,
 * a table row.  Each has a height h, a gap before it (space, dropped at
 * the top of a page), a height head that the item needs above it when it
 * starts a page (a table's repeated header row), and keep: no break may
 * follow it (headings keep with what follows; the first and last line of
 * a paragraph keep with their neighbours, for two lines at least at the
 * bottom and the top of a page).  page[i] gets the 0-based page of item i.
 * Breaks go at the last allowed place that fits; when a page holds no
 * allowed place, the break falls where the page is full, and an item
 * taller than a page gets one to itself.  Returns the number of pages (1
 * for an empty flow).
 */
struct pdf_item {
	double	h;
	double	space;
	double	head;
	bool	keep;
};

int	pdf_break(const struct pdf_item *, size_t n, double page_h,
	    int *page);

#endif
