/*
 * site.h: the scan pass and the site graph.
 *
 * site_scan reads every content file once: front matter, and from the body
 * only what lists and checks need (summary, words, headings, images); the
 * body itself is dropped.  site_resolve then makes the graph: languages,
 * sections, audiences, tags, translations, URLs (DESIGN.md's table), every
 * list sorted (weight, date newest first, title by the language's collator,
 * path) and cut into pages, and the list of outputs to render.  Everything
 * lives in the site's arena.
 */
#ifndef AWAAZ_SITE_H
#define AWAAZ_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "fm.h"
#include "hash.h"
#include "md.h"
#include "util.h"

struct arena;
struct l10n;

enum page_kind {
	PAGE_HOME,
	PAGE_SECTION,
	PAGE_PAGE,
	PAGE_AUDIENCE,
	PAGE_TAG,
	PAGE_404,
	PAGE_ROOT,
	PAGE_ALIAS,
	PAGE_DOWNLOADS,
};

struct section;

/* A content file (home, section or regular page) after the scan pass. */
struct page {
	enum page_kind		 kind;		/* home, section or page */
	const struct lang	*lang;
	const char		*src;		/* "content/en/handouts/x.md" */
	const char		*rel;		/* "handouts/x.md" */
	const char		*url;		/* "/en/handouts/x/" */
	const char		*title;
	const char		*summary;	/* front matter, else scanned */
	struct fm		 fm;
	struct md_scan		 scan;
	struct section		*section;	/* NULL for home and top pages */
	const char		*tkey;		/* translation key */
	struct page		**translations;	/* [nlangs], NULL if none */
	struct tag		**tags;		/* [fm.tags.n], merged by slug */
	size_t			 order;		/* rank in its language's sort */
	size_t			 words;		/* by the language's rules */
	/* SHA-256 prefix of the body (LF line ends, NFC): translatedFrom. */
	char			 hash[HASH_HEX + 1];
	bool			 body_nfc;	/* body already in NFC */
	/*
	 * origin: the page a translation was made from (its group's page in
	 * the default language, else the first language that has it), or
	 * NULL for that page itself.  A fallback page stands in a language
	 * that has no translation and shows origin's text.
	 */
	struct page		*origin;
	bool			 fallback;
	bool			 outdated;	/* translatedFrom != origin hash */
	bool			 unmarked;	/* translation without one */
};

struct section {
	const char	*name;			/* "handouts" */
	const char	*url;
	struct page	*index;			/* its _index.md, or NULL */
	const char	*title;
	long		 weight;
	struct page	**pages;		/* sorted */
	size_t		 npages;
};

struct tag {
	const char	*name;			/* first spelling seen */
	const char	*slug;
	const char	*url;
	struct page	**pages;		/* sorted */
	size_t		 npages;
};

struct site_lang {
	const struct lang	*lang;
	struct l10n		*l10n;
	struct page		*home;		/* its _index.md, or NULL */
	struct section		*sections;	/* sorted: weight, title */
	size_t			 nsections;
	struct page		**pages;	/* every regular page, sorted */
	size_t			 npages;
	struct page		***aud_pages;	/* per config audience */
	size_t			*aud_npages;
	struct tag		*tags;		/* sorted by name */
	size_t			 ntags;
	struct page		**handouts;	/* pages with "handout:" */
	size_t			 nhandouts;
	const char		*downloads;	/* their list's URL, or NULL */
};

/* One file to write: a page, a page of a list, a 404, an alias. */
struct job {
	enum page_kind		 kind;
	struct site_lang	*sl;
	struct page		*page;		/* home, section, page */
	const char		*url;		/* site path written */
	const char		*name;		/* audience or tag name */
	const char		*title;		/* audience label, tag name */
	struct section		*section;
	struct page		**list;		/* the whole list */
	size_t			 nlist;
	size_t			 first;		/* this page of it */
	size_t			 count;
	int			 pager_no;	/* 1-based */
	int			 pager_count;
	const char		*list_url;	/* URL of the list's first page */
	const char		*target;	/* aliases: where to go */
};

struct site {
	const struct config	*cfg;
	struct arena		*arena;
	bool			 drafts;
	struct site_lang	*langs;		/* [cfg->nlangs] */
	struct page		**pages;	/* every content file, by src */
	size_t			 npages, cappages;
	struct job		*jobs;
	size_t			 njobs;
	/* Pages by "code/rel", for links between pages. */
	struct strmap		 by_rel;
	/* Jobs by the URL they write, for links written as site paths. */
	struct strmap		 by_url;
	/* Non-Markdown files under content/ and where they go. */
	const char		**res_src;
	const char		**res_url;
	size_t			 nres;
};

/*
 * Scan pass over root/content, reading files on up to nthreads threads
 * (the result does not depend on their number).  l10ns has one l10n per
 * language (for collation).  Returns 0, or -1 after printing every
 * problem found.
 */
int	site_scan(struct site *, const struct config *, struct l10n **,
	    bool drafts, int nthreads, struct arena *);
/* Builds the graph and the jobs.  Returns 0 or -1 (diagnosed). */
int	site_resolve(struct site *);

/*
 * The site path of a handout's PDF: "/en/handouts/x/x-en.pdf"; a
 * fallback page offers its original's.  malloc'd: the caller frees it.
 */
char		*site_pdf_url(const struct page *);

/* The page for a content path relative to a language ("handouts/x.md"). */
struct page	*site_find(const struct site *, const struct site_lang *,
		    const char *rel);

/*
 * Resolves a link or image destination written in page p (md_resolve_fn's
 * contract): ".md" links become the target page's site path, relative
 * images the site path of the file.  Diagnoses targets that do not exist.
 */
const char	*site_resolve_link(const struct site *, const struct page *,
		    const char *dest, bool image, int line, int col,
		    struct arena *);

#endif
