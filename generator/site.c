/*
 * site.c: the scan pass and the site graph.
 *
 * The scan reads content/<code>/ for every language in site.yaml, in byte
 * order of names so that every run sees the same sequence.  Each Markdown
 * file is read once here: front matter through fm, the body through
 * md_scan for summary, words, headings and images; its buffer then serves
 * the next file.
 * The folders are walked first; then threads (as many as the build has
 * workers) read the files, each into an arena of its own, and the pages
 * are put back in the order of the walk, so the site is the same for any
 * number of threads.  cmark-gfm's parse takes md.c's lock; diagnostics
 * are collected under diag.c's.
 * Resolving makes URLs, sorts each language's pages once (weight, date
 * newest first, title by the language's collator, source path) and takes
 * every list (section, audience, tag) as a subsequence of that order, so
 * all lists agree and cost one pass.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "hash.h"
#include "l10n.h"
#include "site.h"
#include "url.h"
#include "util.h"

/* A Markdown file the walk found, and what reading it gave. */
struct scan_file {
	struct site_lang	*sl;
	char			*src;		/* "content/en/news/x.md" */
	char			*rel;		/* "news/x.md" */
	struct page		*page;		/* NULL: a draft, or failed */
};

struct scan {
	struct site		*site;
	struct site_lang	*sl;
	const char		*root;
	struct scan_file	*files;
	size_t			 nfiles, capfiles;
	const char		**res_src;
	const char		**res_url;
	size_t			 nres, capres;
	size_t			 next;		/* the next file to read */
	pthread_mutex_t		 lock;		/* guards next */
	int			 nerr;
};

/* One thread reading files. */
struct scanner {
	struct scan		*sc;
	struct arena		*arena;		/* what its pages hold */
	struct buf		 text;		/* the file being read */
	struct buf		 plain;		/* a body's text, for words */
	int			 nerr;
};

/* "safe-migration_checklist" -> "Safe migration checklist". */
static const char *
humanize(struct arena *a, const char *stem)
{
	char	*s, *p;

	s = arena_strdup(a, stem);
	for (p = s; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	if (s[0] >= 'a' && s[0] <= 'z')
		s[0] = (char)(s[0] - 'a' + 'A');
	return s;
}

/* Warns about Hugo shortcodes: awaaz does not run them. */
static void
check_shortcodes(const char *path, const char *text, size_t off)
{
	const char	*p = text + off;
	int		 line, col;

	while ((p = strstr(p, "{{")) != NULL) {
		if (p[2] == '<' || p[2] == '%') {
			text_position(text, (size_t)(p - text), &line, &col);
			diag_warning(path, line, col, "'%.3s' starts a Hugo "
			    "shortcode, which awaaz does not run: it is "
			    "published as text", p);
		}
		p += 2;
	}
}

/* Text from front matter, NFC-normalised (a copy only when needed). */
static const char *
nfc(struct arena *a, const char *s)
{
	char		*n;
	const char	*r;

	if (s == NULL || l10n_is_nfc(s, strlen(s)))
		return s;
	n = l10n_nfc(s, strlen(s));
	r = arena_strdup(a, n);
	free(n);
	return r;
}

/*
 * The hash translatedFrom records: SHA-256 of the body with LF line
 * ends, NFC-normalised (and whether the body was NFC already), so
 * re-saving a file on Windows or in a different
 * normal form does not make its translations outdated.
 */
static bool
body_hash(const char *body, size_t len, char out[HASH_HEX + 1])
{
	bool		 is_nfc;
	struct buf	 b;
	const char	*t = body, *cr;
	char		*n;
	size_t		 tlen = len;

	/* Copied only when it has CRs (files from Windows). */
	buf_init(&b);
	if ((cr = memchr(body, '\r', len)) != NULL) {
		buf_grow(&b, len);
		do {
			buf_add(&b, t, (size_t)(cr - t));
			buf_addc(&b, '\n');
			tlen -= (size_t)(cr - t) + 1;
			t = cr + 1;
			if (tlen > 0 && *t == '\n') {
				t++;
				tlen--;
			}
		} while ((cr = memchr(t, '\r', tlen)) != NULL);
		buf_add(&b, t, tlen);
		t = b.data;
		tlen = b.len;
	}
	if ((is_nfc = l10n_is_nfc(t, tlen)))
		hash_sha256_hex(t, tlen, out);
	else {
		n = l10n_nfc(t, tlen);
		hash_sha256_hex(n, strlen(n), out);
		free(n);
	}
	buf_release(&b);
	return is_nfc;
}

static void
add_resource(struct scan *sc, const char *src, const char *url)
{
	struct arena	*a = sc->site->arena;
	size_t		 cap = sc->capres;	/* both grow alike */

	sc->res_src = xgrow(sc->res_src, sc->nres, &cap, sizeof(char *));
	sc->res_url = xgrow(sc->res_url, sc->nres, &sc->capres,
	    sizeof(char *));
	sc->res_src[sc->nres] = arena_strdup(a, src);
	sc->res_url[sc->nres] = arena_strdup(a, url);
	sc->nres++;
}

/*
 * Reads one Markdown file: f->rel is its path inside the language folder.
 * Sets f->page, unless the file is a draft or has an error.
 */
static void
scan_page(struct scanner *w, struct scan_file *f)
{
	struct scan	*sc = w->sc;
	struct arena	*a = w->arena;
	const char	*src = f->src, *rel = f->rel;
	struct page	*p;
	char		*text = NULL, *abs, *stem, *slash;
	size_t		 len, bad, k;
	int		 line, col;
	const char	*base;
	char		 why[128];

	abs = path_join(sc->root, src);
	if (file_read_buf(abs, &w->text) == -1) {
		/* GNU strerror_r: on a thread, not strerror's buffer. */
		diag_error(src, 0, 0, "cannot read: %s",
		    strerror_r(errno, why, sizeof(why)));
		w->nerr++;
		goto out;
	}
	text = w->text.data;
	len = w->text.len;
	if (!utf8_valid(text, len, &bad)) {
		text_position(text, bad, &line, &col);
		diag_error(src, line, col, "invalid UTF-8");
		w->nerr++;
		goto out;
	}
	if (memchr(text, '\0', len) != NULL) {
		text_position(text, (size_t)((char *)memchr(text, '\0', len) -
		    text), &line, &col);
		diag_error(src, line, col, "NUL byte in text");
		w->nerr++;
		goto out;
	}
	p = arena_alloc(a, sizeof(*p));
	p->lang = f->sl->lang;
	p->src = arena_strdup(a, src);
	p->rel = arena_strdup(a, rel);
	if (fm_parse(&p->fm, src, text, len, a) == -1) {
		w->nerr++;
		goto out;
	}
	if (p->fm.draft && !sc->site->drafts)
		goto out;
	check_shortcodes(src, text, p->fm.body_off);
	buf_reset(&w->plain);
	if (md_scan_text(src, text + p->fm.body_off, len - p->fm.body_off,
	    p->fm.body_line0, &p->scan, &w->plain, a) == -1) {
		w->nerr++;
		goto out;
	}
	p->words = w->plain.len ? l10n_word_count(f->sl->l10n,
	    w->plain.data, w->plain.len) : 0;
	p->body_nfc = body_hash(text + p->fm.body_off,
	    len - p->fm.body_off, p->hash);
	p->fm.title.s = nfc(a, p->fm.title.s);
	p->fm.summary.s = nfc(a, p->fm.summary.s);
	p->scan.summary = nfc(a, p->scan.summary);
	for (k = 0; k < p->fm.tags.n; k++)
		p->fm.tags.v[k].s = nfc(a, p->fm.tags.v[k].s);

	base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	stem = arena_strndup(a, base, strlen(base) - 3);
	if (strcmp(rel, "_index.md") == 0)
		p->kind = PAGE_HOME;
	else if (strcmp(base, "_index.md") == 0) {
		slash = strchr(rel, '/');
		if (slash != NULL && slash != base - 1) {
			diag_error(src, 0, 0, "nested sections are not "
			    "supported: only top folders of 'content/%s' are "
			    "sections", p->lang->code);
			w->nerr++;
			goto out;
		}
		p->kind = PAGE_SECTION;
	} else
		p->kind = PAGE_PAGE;

	if (p->fm.title.s != NULL)
		p->title = p->fm.title.s;
	else if (p->kind == PAGE_HOME)
		p->title = sc->site->cfg->title;
	else if (p->kind == PAGE_SECTION)
		p->title = humanize(a, arena_strndup(a, rel,
		    strcspn(rel, "/")));
	else
		p->title = humanize(a, stem);
	/* An empty summary (as "awaaz new" writes) means "the default". */
	p->summary = p->fm.summary.s != NULL && *p->fm.summary.s != '\0' ?
	    p->fm.summary.s : p->scan.summary;
	p->tkey = p->fm.translation_key.s != NULL ?
	    arena_printf(a, "key:%s", p->fm.translation_key.s) :
	    arena_printf(a, "path:%s", rel);
	f->page = p;
out:
	free(abs);
}

static void
add_file(struct scan *sc, const char *src, const char *rel)
{
	struct scan_file	*f;

	sc->files = xgrow(sc->files, sc->nfiles, &sc->capfiles,
	    sizeof(*sc->files));
	f = &sc->files[sc->nfiles++];
	f->sl = sc->sl;
	f->src = xstrdup(src);
	f->rel = xstrdup(rel);
	f->page = NULL;
}

/* A scanning thread: takes the next file until there are none. */
static void *
scanner_run(void *arg)
{
	struct scanner	*w = arg;
	struct scan	*sc = w->sc;
	size_t		 i;

	for (;;) {
		pthread_mutex_lock(&sc->lock);
		i = sc->next < sc->nfiles ? sc->next++ : SIZE_MAX;
		pthread_mutex_unlock(&sc->lock);
		if (i == SIZE_MAX)
			break;
		scan_page(w, &sc->files[i]);
	}
	return NULL;
}

/*
 * Reads every file the walk found on up to nthreads threads, then lists
 * the pages in the walk's order.  A thread that cannot be started leaves
 * its share to the others (at least this thread reads).
 */
static void
scan_files(struct scan *sc, int nthreads)
{
	struct site	*site = sc->site;
	struct scanner	*w;
	pthread_t	*t;
	bool		*started;
	size_t		 i;
	int		 k;

	if (nthreads < 1)
		nthreads = 1;
	if ((size_t)nthreads > sc->nfiles)
		nthreads = sc->nfiles > 0 ? (int)sc->nfiles : 1;
	w = xcalloc((size_t)nthreads, sizeof(*w));
	t = xcalloc((size_t)nthreads, sizeof(*t));
	started = xcalloc((size_t)nthreads, sizeof(*started));
	for (k = 0; k < nthreads; k++) {
		w[k].sc = sc;
		w[k].arena = arena_new();
		buf_init(&w[k].text);
		buf_init(&w[k].plain);
		if (k > 0)
			started[k] = pthread_create(&t[k], NULL, scanner_run,
			    &w[k]) == 0;
	}
	scanner_run(&w[0]);
	for (k = 0; k < nthreads; k++) {
		if (started[k])
			pthread_join(t[k], NULL);
		sc->nerr += w[k].nerr;
		buf_release(&w[k].text);
		buf_release(&w[k].plain);
		arena_adopt(site->arena, w[k].arena);
	}
	for (i = 0; i < sc->nfiles; i++) {
		if (sc->files[i].page != NULL) {
			site->pages = xgrow(site->pages, site->npages,
			    &site->cappages, sizeof(*site->pages));
			site->pages[site->npages++] = sc->files[i].page;
		}
		free(sc->files[i].src);
		free(sc->files[i].rel);
	}
	free(sc->files);
	free(started);
	free(t);
	free(w);
}

/* Walks content/<code>/<rel>. */
static void
scan_dir(struct scan *sc, const char *src_dir, const char *rel_dir)
{
	char	**names, *abs, *src, *rel, *idx;
	size_t	  n, i;
	struct stat st;

	abs = path_join(sc->root, src_dir);
	if ((names = dir_list(abs, &n)) == NULL && errno != 0 && n == 0 &&
	    !is_dir(abs)) {
		diag_error(src_dir, 0, 0, "cannot read folder: %s",
		    strerror(errno));
		sc->nerr++;
		free(abs);
		return;
	}
	for (i = 0; i < n; i++) {
		src = path_join(src_dir, names[i]);
		rel = rel_dir[0] ? path_join(rel_dir, names[i]) :
		    xstrdup(names[i]);
		free(abs);
		abs = path_join(sc->root, src);
		if (stat(abs, &st) == -1) {
			diag_error(src, 0, 0, "cannot read: %s",
			    strerror(errno));
			sc->nerr++;
		} else if (S_ISDIR(st.st_mode)) {
			idx = path_join(abs, "index.md");
			if (has_suffix(names[i], ".md")) {
				diag_error(src, 0, 0, "'%s' is a folder, "
				    "not a page", names[i]);
				sc->nerr++;
			} else if (is_file(idx)) {
				diag_error(src, 0, 0, "page bundles are not "
				    "supported: move 'index.md' to '%s.md' "
				    "and its files to static/", src);
				sc->nerr++;
			} else
				scan_dir(sc, src, rel);
			free(idx);
		} else if (has_suffix(names[i], ".md")) {
			if (strcmp(names[i], "index.md") == 0) {
				diag_error(src, 0, 0, "'index.md' is a Hugo "
				    "page bundle; name the file '_index.md' "
				    "for a home or section, or give it a name");
				sc->nerr++;
			} else
				add_file(sc, src, rel);
		} else if (S_ISREG(st.st_mode)) {
			char *url = xasprintf("/%s/%s", sc->sl->lang->code,
			    rel);
			add_resource(sc, src, url);
			free(url);
		}
		free(src);
		free(rel);
	}
	free(abs);
	names_free(names, n);
}

int
site_scan(struct site *site, const struct config *cfg, struct l10n **l10ns,
    bool drafts, int nthreads, struct arena *a)
{
	struct scan	 sc;
	char		**names, *content, *src;
	size_t		 n, i, k;
	bool		 known;

	memset(site, 0, sizeof(*site));
	site->cfg = cfg;
	site->arena = a;
	site->drafts = drafts;
	site->langs = arena_alloc(a, cfg->nlangs * sizeof(*site->langs));
	for (k = 0; k < cfg->nlangs; k++) {
		site->langs[k].lang = &cfg->langs[k];
		site->langs[k].l10n = l10ns[k];
	}
	memset(&sc, 0, sizeof(sc));
	sc.site = site;
	sc.root = cfg->root;

	content = path_join(cfg->root, "content");
	if (!is_dir(content)) {
		diag_error("content", 0, 0, "no content folder in '%s'",
		    cfg->root);
		free(content);
		return -1;
	}
	names = dir_list(content, &n);
	for (i = 0; i < n; i++) {
		src = path_join("content", names[i]);
		known = false;
		for (k = 0; k < cfg->nlangs; k++)
			if (strcmp(cfg->langs[k].code, names[i]) == 0) {
				known = true;
				sc.sl = &site->langs[k];
				scan_dir(&sc, src, "");
			}
		if (!known)
			diag_warning(src, 0, 0, "'%s' is not a language code "
			    "in site.yaml: skipped", names[i]);
		free(src);
	}
	names_free(names, n);
	free(content);
	pthread_mutex_init(&sc.lock, NULL);
	scan_files(&sc, nthreads);
	pthread_mutex_destroy(&sc.lock);

	site->res_src = sc.res_src;
	site->res_url = sc.res_url;
	site->nres = sc.nres;
	return sc.nerr ? -1 : 0;
}

/*
 * The one page order (Hugo's): pages with a weight first, by weight; then
 * newest date first, pages without a date last; then title by the
 * language's collator; then source path, so no two pages tie.
 */
static int
cmp_page(const void *a, const void *b, void *arg)
{
	const struct page	*x = *(struct page *const *)a;
	const struct page	*y = *(struct page *const *)b;
	struct l10n		*l10n = arg;
	int			 c;

	if ((x->fm.weight != 0) != (y->fm.weight != 0))
		return x->fm.weight != 0 ? -1 : 1;
	if (x->fm.weight != y->fm.weight)
		return x->fm.weight < y->fm.weight ? -1 : 1;
	if (x->fm.has_date != y->fm.has_date)
		return x->fm.has_date ? -1 : 1;
	if (x->fm.has_date && x->fm.date.epoch != y->fm.date.epoch)
		return x->fm.date.epoch > y->fm.date.epoch ? -1 : 1;
	if (l10n != NULL && (c = l10n_collate(l10n, x->title, y->title)) != 0)
		return c;
	return strcmp(x->src, y->src);
}

static int
cmp_latest(const void *a, const void *b, void *arg)
{
	const struct page	*x = *(struct page *const *)a;
	const struct page	*y = *(struct page *const *)b;

	if (x->fm.has_date != y->fm.has_date)
		return x->fm.has_date ? -1 : 1;
	if (x->fm.has_date && x->fm.date.epoch != y->fm.date.epoch)
		return x->fm.date.epoch > y->fm.date.epoch ? -1 : 1;
	return cmp_page(a, b, arg);
}

static int
cmp_section(const void *a, const void *b, void *arg)
{
	const struct section	*x = a, *y = b;
	struct l10n		*l10n = arg;
	int			 c;

	if ((x->weight != 0) != (y->weight != 0))
		return x->weight != 0 ? -1 : 1;
	if (x->weight != y->weight)
		return x->weight < y->weight ? -1 : 1;
	if (l10n != NULL && (c = l10n_collate(l10n, x->title, y->title)) != 0)
		return c;
	return strcmp(x->name, y->name);
}

static int
cmp_tag(const void *a, const void *b, void *arg)
{
	const struct tag	*x = a, *y = b;
	struct l10n		*l10n = arg;
	int			 c;

	if (l10n != NULL && (c = l10n_collate(l10n, x->name, y->name)) != 0)
		return c;
	return strcmp(x->slug, y->slug);
}

/* Appends to an arena array whose capacity arena_grow implies. */
#define APPEND(a, v, n, x) do {						\
	(v) = arena_grow((a), (v), (n), sizeof(*(v)));			\
	(v)[(n)++] = (x);						\
} while (0)

static struct section *
find_section(struct site_lang *sl, const char *name)
{
	size_t	i;

	for (i = 0; i < sl->nsections; i++)
		if (strcmp(sl->sections[i].name, name) == 0)
			return &sl->sections[i];
	return NULL;
}

/* Page URL from its path in the language folder and its slug. */
static const char *
page_url(struct arena *a, const struct page *p)
{
	const char	*slash;
	char		*dir;

	if (p->kind == PAGE_HOME)
		return arena_printf(a, "/%s/", p->lang->code);
	if (p->kind == PAGE_SECTION)
		return arena_printf(a, "/%s/%.*s/", p->lang->code,
		    (int)strcspn(p->rel, "/"), p->rel);
	slash = strrchr(p->rel, '/');
	dir = slash ? arena_strndup(a, p->rel, (size_t)(slash - p->rel + 1)) :
	    arena_strdup(a, "");
	if (p->fm.slug.s != NULL)
		return arena_printf(a, "/%s/%s%s/", p->lang->code, dir,
		    p->fm.slug.s);
	return arena_printf(a, "/%s/%s%.*s/", p->lang->code, dir,
	    (int)(strlen(slash ? slash + 1 : p->rel) - 3),
	    slash ? slash + 1 : p->rel);
}

struct urlent {
	char		*file;	/* output file, malloc'd */
	const char	*url;
	bool		 fallback;
	const char	*src;	/* what makes it, for the message */
	int		 line, col;
	size_t		 seq;
};

static int
cmp_urlent(const void *a, const void *b)
{
	const struct urlent	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->file, y->file)) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static struct job *
add_job(struct site *site, size_t *cap, enum page_kind kind,
    struct site_lang *sl, const char *url)
{
	struct job	*j;

	if (site->njobs == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		site->jobs = xreallocarray(site->jobs, *cap, sizeof(*j));
	}
	j = &site->jobs[site->njobs++];
	memset(j, 0, sizeof(*j));
	j->kind = kind;
	j->sl = sl;
	j->url = url;
	return j;
}

/* Cuts a list into pages of the configured size: one job each. */
static void
add_list_jobs(struct site *site, size_t *cap, enum page_kind kind,
    struct site_lang *sl, const char *url, struct page **list, size_t n,
    const char *name, const char *title, struct section *sec,
    struct page *page)
{
	struct job	*j;
	size_t		 size = (size_t)site->cfg->page_size, first;
	int		 count, no;

	count = n == 0 ? 1 : (int)((n + size - 1) / size);
	for (no = 1, first = 0; no <= count; no++, first += size) {
		j = add_job(site, cap, kind, sl, no == 1 ? url :
		    arena_printf(site->arena, "%spage/%d/", url, no));
		j->list = list;
		j->nlist = n;
		j->first = first;
		j->count = n - first < size ? n - first : size;
		j->pager_no = no;
		j->pager_count = count;
		j->list_url = url;
		j->name = name;
		j->title = title;
		j->section = sec;
		j->page = page;
	}
}

static int
resolve_lang(struct site *site, struct site_lang *sl, size_t *cap)
{
	const struct config	*cfg = site->cfg;
	struct arena		*a = site->arena;
	struct page		*p, **latest;
	struct section		*sec, *secs = NULL;
	struct tag		*t, **tagv = NULL;
	struct strmap		 slugs, tagmap;
	char			*name, *slug;
	size_t			 i, k, m, nsecs = 0, ntagv = 0;
	int			 nerr = 0;
	bool			 found;

	strmap_init(&slugs);
	strmap_init(&tagmap);

	/* Sections: every top folder holding pages, and every _index.md. */
	for (i = 0; i < site->npages; i++) {
		p = site->pages[i];
		if (p->lang != sl->lang)
			continue;
		if (p->kind == PAGE_HOME) {
			sl->home = p;
			continue;
		}
		if (strchr(p->rel, '/') == NULL)
			continue;
		name = arena_strndup(a, p->rel, strcspn(p->rel, "/"));
		sl->sections = secs;
		sl->nsections = nsecs;
		if ((sec = find_section(sl, name)) == NULL) {
			secs = arena_grow(a, secs, nsecs, sizeof(*secs));
			sec = &secs[nsecs++];
			memset(sec, 0, sizeof(*sec));
			sec->name = name;
			sec->url = arena_printf(a, "/%s/%s/", sl->lang->code,
			    name);
			sec->title = humanize(a, name);
		}
		if (p->kind == PAGE_SECTION) {
			sec->index = p;
			sec->title = p->title;
			sec->weight = p->fm.weight;
		}
	}
	if (nsecs > 0)
		qsort_r(secs, nsecs, sizeof(*secs), cmp_section, sl->l10n);
	sl->sections = secs;
	sl->nsections = nsecs;

	/* URLs, the one sorted order, and each page's section. */
	for (i = 0; i < site->npages; i++) {
		p = site->pages[i];
		if (p->lang != sl->lang)
			continue;
		p->url = page_url(a, p);
		if (strchr(p->rel, '/') != NULL)
			p->section = find_section(sl, arena_strndup(a, p->rel,
			    strcspn(p->rel, "/")));
		if (p->kind == PAGE_PAGE)
			APPEND(a, sl->pages, sl->npages, p);
	}
	if (sl->npages > 0)
		qsort_r(sl->pages, sl->npages, sizeof(*sl->pages), cmp_page,
		    sl->l10n);

	/* Audiences and tags, validated; lists as subsequences. */
	sl->aud_pages = arena_alloc(a, (cfg->naudiences + 1) *
	    sizeof(*sl->aud_pages));
	sl->aud_npages = arena_alloc(a, (cfg->naudiences + 1) *
	    sizeof(*sl->aud_npages));
	for (i = 0; i < sl->npages; i++) {
		p = sl->pages[i];
		p->order = i;
		if (p->section != NULL)
			APPEND(a, p->section->pages, p->section->npages, p);
		for (k = 0; k < p->fm.audience.n; k++) {
			found = false;
			for (m = 0; m < cfg->naudiences; m++) {
				if (strcmp(cfg->audiences[m].name,
				    p->fm.audience.v[k].s) != 0)
					continue;
				found = true;
				APPEND(a, sl->aud_pages[m], sl->aud_npages[m],
				    p);
			}
			if (!found) {
				struct buf b;
				buf_init(&b);
				for (m = 0; m < cfg->naudiences; m++)
					buf_printf(&b, "%s%s", m ? ", " : "",
					    cfg->audiences[m].name);
				diag_error(p->src, p->fm.audience.v[k].pos.line,
				    p->fm.audience.v[k].pos.col,
				    "unknown audience '%s' (%s)",
				    p->fm.audience.v[k].s, b.data ? b.data : "");
				buf_release(&b);
				nerr++;
			}
		}
		for (k = 0; k < p->fm.tags.n; k++) {
			const char *tname = p->fm.tags.v[k].s;

			/* Transliteration is slow: once per spelling. */
			if ((slug = strmap_get(&slugs, tname)) == NULL) {
				char *s2 = l10n_slug(tname);

				slug = arena_strdup(a, s2);
				free(s2);
				strmap_put(&slugs, tname, slug);
				if (*slug == '\0') {
					diag_error(p->src,
					    p->fm.tags.v[k].pos.line,
					    p->fm.tags.v[k].pos.col, "tag '%s' "
					    "has no letters or digits for its "
					    "URL", tname);
					nerr++;
				}
			}
			if (*slug == '\0')
				continue;
			if ((t = strmap_get(&tagmap, slug)) == NULL) {
				t = arena_alloc(a, sizeof(*t));
				t->name = tname;
				t->slug = slug;
				t->url = arena_printf(a, "/%s/tags/%s/",
				    sl->lang->code, slug);
				strmap_put(&tagmap, slug, t);
				APPEND(a, tagv, ntagv, t);
			}
			/* A page naming one tag twice is listed once. */
			if (t->npages == 0 || t->pages[t->npages - 1] != p)
				APPEND(a, t->pages, t->npages, p);
		}
	}
	/* The tags, sorted, as one array; pages point into it. */
	sl->ntags = ntagv;
	sl->tags = arena_alloc(a, (ntagv + 1) * sizeof(*sl->tags));
	for (i = 0; i < ntagv; i++)
		sl->tags[i] = *tagv[i];
	if (sl->ntags > 0)
		qsort_r(sl->tags, sl->ntags, sizeof(*sl->tags), cmp_tag,
		    sl->l10n);
	for (i = 0; i < sl->ntags; i++)
		strmap_put(&tagmap, sl->tags[i].slug, &sl->tags[i]);
	for (i = 0; i < sl->npages; i++) {
		p = sl->pages[i];
		p->tags = arena_alloc(a, (p->fm.tags.n + 1) * sizeof(*p->tags));
		for (k = 0, m = 0; k < p->fm.tags.n; k++) {
			slug = strmap_get(&slugs, p->fm.tags.v[k].s);
			if (*slug != '\0' &&
			    (t = strmap_get(&tagmap, slug)) != NULL &&
			    (m == 0 || p->tags[m - 1] != t))
				p->tags[m++] = t;
		}
		p->tags[m] = NULL;
	}
	strmap_release(&slugs);
	strmap_release(&tagmap);

	/* Jobs: home, sections, pages, audiences, tags, 404. */
	latest = arena_alloc(a, (sl->npages + 1) * sizeof(*latest));
	if (sl->npages > 0) {
		memcpy(latest, sl->pages, sl->npages * sizeof(*latest));
		qsort_r(latest, sl->npages, sizeof(*latest), cmp_latest,
		    sl->l10n);
	}
	struct job *j = add_job(site, cap, PAGE_HOME, sl,
	    arena_printf(a, "/%s/", sl->lang->code));
	j->page = sl->home;
	j->title = sl->home ? sl->home->title : cfg->title;
	j->list = latest;
	j->nlist = sl->npages;
	j->count = sl->npages < (size_t)cfg->page_size ? sl->npages :
	    (size_t)cfg->page_size;
	for (i = 0; i < sl->nsections; i++) {
		sec = &sl->sections[i];
		add_list_jobs(site, cap, PAGE_SECTION, sl, sec->url,
		    sec->pages, sec->npages, sec->name, sec->title, sec,
		    sec->index);
	}
	for (i = 0; i < sl->npages; i++) {
		p = sl->pages[i];
		j = add_job(site, cap, PAGE_PAGE, sl, p->url);
		j->page = p;
		j->title = p->title;
		j->section = p->section;
	}
	for (m = 0; m < cfg->naudiences; m++)
		add_list_jobs(site, cap, PAGE_AUDIENCE, sl,
		    arena_printf(a, "/%s/audience/%s/", sl->lang->code,
		    cfg->audiences[m].name), sl->aud_pages[m],
		    sl->aud_npages[m], cfg->audiences[m].name,
		    cfg->audiences[m].label, NULL, NULL);
	for (i = 0; i < sl->ntags; i++)
		add_list_jobs(site, cap, PAGE_TAG, sl, sl->tags[i].url,
		    sl->tags[i].pages, sl->tags[i].npages, sl->tags[i].slug,
		    sl->tags[i].name, NULL, NULL);
	/* Every handout of the language, to download and print. */
	sl->handouts = arena_alloc(a, (sl->npages + 1) *
	    sizeof(*sl->handouts));
	for (i = 0; i < sl->npages; i++)
		if (sl->pages[i]->fm.handout.s != NULL)
			sl->handouts[sl->nhandouts++] = sl->pages[i];
	if (sl->nhandouts > 0) {
		sl->downloads = arena_printf(a, "/%s/downloads/",
		    sl->lang->code);
		add_list_jobs(site, cap, PAGE_DOWNLOADS, sl, sl->downloads,
		    sl->handouts, sl->nhandouts, "downloads", NULL, NULL,
		    NULL);
	}
	j = add_job(site, cap, PAGE_404, sl,
	    arena_printf(a, "/%s/404.html", sl->lang->code));
	return nerr ? -1 : 0;
}

static int
cmp_tkey(const void *a, const void *b)
{
	const struct page	*x = *(struct page *const *)a;
	const struct page	*y = *(struct page *const *)b;
	int			 c;

	if ((c = strcmp(x->tkey, y->tkey)) != 0)
		return c;
	if (x->lang->index != y->lang->index)
		return x->lang->index < y->lang->index ? -1 : 1;
	return strcmp(x->src, y->src);
}

/*
 * Pairs translations: pages with the same key (translationKey, else the
 * path in the language folder) are translations of each other, one per
 * language.  Sorting by key groups them in one pass.
 */
static int
resolve_translations(struct site *site)
{
	const struct config	*cfg = site->cfg;
	struct page		**v, *p;
	size_t			 i, start;
	int			 nerr = 0;

	if (site->npages == 0)
		return 0;
	v = xreallocarray(NULL, site->npages, sizeof(*v));
	memcpy(v, site->pages, site->npages * sizeof(*v));
	qsort(v, site->npages, sizeof(*v), cmp_tkey);
	for (start = 0; start < site->npages; start = i) {
		struct page **tr;

		tr = arena_alloc(site->arena, cfg->nlangs * sizeof(*tr));
		for (i = start; i < site->npages &&
		    strcmp(v[i]->tkey, v[start]->tkey) == 0; i++) {
			p = v[i];
			p->translations = tr;
			if (tr[p->lang->index] == NULL) {
				tr[p->lang->index] = p;
				continue;
			}
			diag_error(p->src, p->fm.translation_key.pos.line,
			    p->fm.translation_key.pos.col, "translationKey "
			    "'%s' is also used by '%s'", p->tkey + 4,
			    tr[p->lang->index]->src);
			nerr++;
		}
	}
	free(v);
	return nerr ? -1 : 0;
}

/*
 * Marks each translation against its origin (translatedFrom: holds the
 * origin's hash when the translation was last brought up to date), and
 * makes a fallback page in every language a group lacks: the origin, at
 * that language's URL, shown in that language's chrome with a notice.
 * Fallbacks carry no tags: tag names belong to the origin's language.
 */
static void
make_fallbacks(struct site *site)
{
	const struct config	*cfg = site->cfg;
	struct page		*p, *o, *fb, *t, **tr;
	const char		*tf;
	size_t			 i, k, n = site->npages;

	for (i = 0; i < n; i++) {
		p = site->pages[i];
		tr = p->translations;
		for (o = NULL, k = 0; k < cfg->nlangs && o == NULL; k++)
			o = tr[k];
		if (o != p)
			continue;	/* each group once, at its origin */
		for (k = 0; k < cfg->nlangs; k++) {
			if ((t = tr[k]) != NULL) {
				if (t == o)
					continue;
				t->origin = o;
				tf = t->fm.translated_from.s;
				if (tf == NULL)
					t->unmarked = true;
				else if (strlen(tf) < HASH_HEX ||
				    strncmp(tf, o->hash, HASH_HEX) != 0)
					t->outdated = true;
				continue;
			}
			fb = arena_alloc(site->arena, sizeof(*fb));
			*fb = *o;
			fb->lang = &cfg->langs[k];
			fb->origin = o;
			fb->fallback = true;
			fb->fm.tags.n = 0;
			tr[k] = fb;
			site->pages = xgrow(site->pages, site->npages,
			    &site->cappages, sizeof(*site->pages));
			site->pages[site->npages++] = fb;
			strmap_put(&site->by_rel, arena_printf(site->arena,
			    "%s/%s", fb->lang->code, fb->rel), fb);
			diag_note(o->src, 0, 0, "not translated into '%s': "
			    "published there as it is, with a notice",
			    fb->lang->code);
		}
	}
}

int
site_resolve(struct site *site)
{
	const struct config	*cfg = site->cfg;
	struct arena		*a = site->arena;
	struct urlent		*u = NULL;
	struct page		*p;
	struct job		*j;
	size_t			 cap = 0, nu = 0, i, k;
	int			 nerr = 0;

	strmap_init(&site->by_rel);
	for (i = 0; i < site->npages; i++) {
		p = site->pages[i];
		strmap_put(&site->by_rel, arena_printf(a, "%s/%s",
		    p->lang->code, p->rel), p);
	}
	if (resolve_translations(site) == -1)
		nerr++;
	else
		make_fallbacks(site);
	for (i = 0; i < cfg->nlangs; i++)
		if (resolve_lang(site, &site->langs[i], &cap) == -1)
			nerr++;

	/* Root language chooser and 404, then aliases. */
	j = add_job(site, &cap, PAGE_ROOT, &site->langs[0], "/");
	j = add_job(site, &cap, PAGE_404, &site->langs[0], "/404.html");
	for (i = 0; i < site->npages; i++) {
		p = site->pages[i];
		if (p->fallback)
			continue;	/* its origin has the aliases */
		for (k = 0; k < p->fm.aliases.n; k++) {
			const char *al = p->fm.aliases.v[k].s;
			j = add_job(site, &cap, PAGE_ALIAS, NULL,
			    has_suffix(al, "/") || has_suffix(al, ".html") ?
			    al : arena_printf(a, "%s/", al));
			j->target = p->url;
			j->page = p;
		}
	}

	strmap_init(&site->by_url);
	for (i = 0; i < site->njobs; i++)
		strmap_put(&site->by_url, site->jobs[i].url, &site->jobs[i]);

	/* Every output file is made once: by a page, a list, an alias or a
	 * file copied from content/. */
	u = xreallocarray(NULL, site->njobs + site->nres + 1, sizeof(*u));
	for (i = 0; i < site->njobs + site->nres; i++, nu++) {
		memset(&u[nu], 0, sizeof(u[nu]));
		u[nu].seq = nu;
		if (i >= site->njobs) {
			u[nu].url = site->res_url[i - site->njobs];
			u[nu].src = site->res_src[i - site->njobs];
			u[nu].file = url_file(u[nu].url);
			continue;
		}
		j = &site->jobs[i];
		u[nu].url = j->url;
		u[nu].file = url_file(j->url);
		if (j->page != NULL && j->pager_no <= 1) {
			u[nu].src = j->page->src;
			u[nu].fallback = j->page->fallback &&
			    j->kind != PAGE_ALIAS;
		}
		if (j->kind == PAGE_PAGE && j->page->fm.slug.s != NULL) {
			u[nu].line = j->page->fm.slug.pos.line;
			u[nu].col = j->page->fm.slug.pos.col;
		}
	}
	qsort(u, nu, sizeof(*u), cmp_urlent);
	for (i = 1; i < nu; i++) {
		const struct urlent *e, *o;

		if (strcmp(u[i - 1].file, u[i].file) != 0)
			continue;
		/* Fallbacks repeat their origins' collisions: said once. */
		if (u[i - 1].fallback && u[i].fallback)
			continue;
		e = u[i].src && !u[i].fallback ? &u[i] : &u[i - 1];
		o = e == &u[i] ? &u[i - 1] : &u[i];
		diag_error(e->src ? e->src : "content", e->line, e->col,
		    "duplicate URL '%s': also made by %s%s%s%s", e->url,
		    o->fallback ? "the fallback of " : "",
		    o->src ? "'" : "", o->src ? o->src :
		    "a list awaaz generates", o->src ? "'" : "");
		nerr++;
	}
	for (i = 0; i < nu; i++)
		free(u[i].file);
	free(u);
	return nerr ? -1 : 0;
}

struct page *
site_find(const struct site *site, const struct site_lang *sl,
    const char *rel)
{
	struct page	*p;
	char		*key;

	key = xasprintf("%s/%s", sl->lang->code, rel);
	p = strmap_get(&site->by_rel, key);
	free(key);
	return p;
}

/* A URL scheme ("https:", "mailto:"), as RFC 3986 spells one. */
static bool
has_scheme(const char *s)
{
	const char	*p = s;

	if (!isalpha((unsigned char)*p))
		return false;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.')
		p++;
	return *p == ':';
}

/*
 * A site path for a file on disk under root/content/<code>/ (a resource
 * copied with the site) or root/static/, or NULL.
 */
static const char *
file_site_path(const struct site *site, const char *rel_to_root,
    struct arena *a)
{
	char		*abs;
	const char	*r = NULL;
	bool		 exists;

	abs = path_join(site->cfg->root, rel_to_root);
	exists = is_file(abs);
	free(abs);
	if (!exists)
		return NULL;
	if (has_prefix(rel_to_root, "static/"))
		r = arena_printf(a, "/%s", rel_to_root + 7);
	else if (has_prefix(rel_to_root, "content/"))
		r = arena_printf(a, "/%s", rel_to_root + 8);
	return r;
}

/*
 * Whether page p has the anchor frag: a heading's id, or a footnote's
 * (md gives footnotes "fn-LABEL" and "fnref-LABEL").
 */
static bool
has_anchor(const struct page *p, const char *frag)
{
	size_t	i;

	if (*frag == '\0' || has_prefix(frag, "fn-") ||
	    has_prefix(frag, "fnref-"))
		return true;
	for (i = 0; i < p->scan.nheadings; i++)
		if (strcmp(p->scan.headings[i].id, frag) == 0)
			return true;
	return false;
}

const char *
site_resolve_link(const struct site *site, const struct page *p,
    const char *dest, bool image, int line, int col, struct arena *a)
{
	const struct site_lang	*sl = &site->langs[p->lang->index];
	struct page		*target;
	const char		*frag, *r = NULL, *what;
	char			*path, *dir, *joined, *norm = NULL;
	char			*abs;

	if (*dest == '#') {
		if (!has_anchor(p, dest + 1))
			diag_error(p->src, line, col, "anchor '%s' not found "
			    "in this page", dest);
		return NULL;
	}
	if (*dest == '\0' || *dest == '?' || has_scheme(dest) ||
	    has_prefix(dest, "//"))
		return NULL;
	what = image ? "image" : "link target";
	frag = dest + strcspn(dest, "#?");
	path = xstrndup(dest, (size_t)(frag - dest));

	if (url_is_site_path(dest)) {
		const struct job *j = strmap_get(&site->by_url, path);

		/* A page or list awaaz writes, or a file it copies. */
		if (!image && j != NULL) {
			if (*frag == '#' && j->page != NULL &&
			    j->kind == PAGE_PAGE && !has_anchor(j->page,
			    frag + 1))
				diag_error(p->src, line, col, "anchor '%s' not "
				    "found in '%s'", frag, j->page->src);
			goto out;
		}
		abs = xasprintf("%s/static%s", site->cfg->root, path);
		if (!is_file(abs) && file_site_path(site,
		    arena_printf(a, "content%s", path), a) == NULL)
			diag_error(p->src, line, col, "%s '%s' not found",
			    what, dest);
		free(abs);
		goto out;
	}

	/* Relative to the page's file: content/<code>/<dir of rel>/. */
	dir = path_dirname(p->rel);
	joined = xasprintf("%s/%s", dir, path);
	norm = path_normalize(joined);
	free(dir);
	free(joined);

	if (has_suffix(path, ".md")) {
		target = NULL;
		if (norm != NULL && has_prefix(norm, "./"))
			memmove(norm, norm + 2, strlen(norm + 2) + 1);
		if (norm != NULL)
			target = site_find(site, sl, norm);
		if (target == NULL || target->url == NULL) {
			diag_error(p->src, line, col, "link target '%s' "
			    "not found", dest);
			goto out;
		}
		if (*frag == '#' && !has_anchor(target, frag + 1)) {
			/*
			 * A fallback's anchors were written for the pages of
			 * its own language (checked there); a translation of
			 * the target names its headings in its language, so
			 * the reader lands at its top.
			 */
			if (p->fallback) {
				r = target->url;
				goto out;
			}
			diag_error(p->src, line, col, "anchor '%s' not found "
			    "in '%s'", frag, target->src);
		}
		r = arena_printf(a, "%s%s", target->url, frag);
		goto out;
	}

	/* A file: beside the page in content/, or up into static/. */
	free(norm);
	joined = xasprintf("content/%s/%s", p->lang->code, p->rel);
	dir = path_dirname(joined);
	free(joined);
	joined = xasprintf("%s/%s", dir, path);
	free(dir);
	norm = path_normalize(joined);
	free(joined);
	if (norm != NULL && (r = file_site_path(site, norm, a)) != NULL) {
		r = arena_printf(a, "%s%s", r, frag);
		goto out;
	}
	/* Staff often write "images/x.svg" for static/images/x.svg. */
	free(norm);
	norm = xasprintf("static/%s", path);
	if ((r = file_site_path(site, norm, a)) != NULL) {
		r = arena_printf(a, "%s%s", r, frag);
		goto out;
	}
	diag_error(p->src, line, col, "%s '%s' not found", what, dest);
out:
	free(norm);
	free(path);
	return r;
}

char *
site_pdf_url(const struct page *p)
{
	const char	*url, *end, *seg;

	if (p->fallback && p->origin != NULL)
		p = p->origin;
	url = p->url;
	/* The page's last segment names the file: /en/handouts/x/ -> x. */
	end = url + strlen(url) - 1;
	for (seg = end; seg > url && seg[-1] != '/'; seg--)
		continue;
	return xasprintf("%s%.*s-%s.pdf", url, (int)(end - seg), seg,
	    p->lang->code);
}
