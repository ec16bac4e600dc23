/*
 * md.c: Markdown bodies through cmark-gfm, into what the scan pass needs
 * and into the body tree of the render pass.
 *
 * Each pass parses the body once, under one lock (cmark-gfm 0.29 flips a
 * process-wide table while it parses with extensions), and walks the AST
 * once with a cmark_iter.  The render pass builds libxml2 nodes as it goes:
 * text is gathered into one text node per run, element names come from
 * the document's dictionary, and no HTML is printed and parsed again.
 * Where newlines go between blocks follows cmark's own HTML renderer, so
 * the fragment reads like cmark's output.
 *
 * cmark's inline positions are not always right: it forgets white space it
 * stripped from a paragraph's continuation lines, gives a link over two
 * lines the line of its closing bracket, and the autolink extension gives
 * its links no position or a wrong one.  A small locator checks each
 * position against the source and searches when it is off, so diagnostics
 * point at the byte where the thing starts.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
/*
 * The library's own node layout, for footnote labels only (see fn_label);
 * used only when the library at run time is the version compiled against.
 */
#include <cmark-gfm/node.h>

#include <libxml/tree.h>
#include <libxml/dict.h>

#include "diag.h"
#include "md.h"
#include "util.h"

/*
 * The extensions' node types are exported by libcmark-gfm-extensions but
 * declared only in headers it does not install.
 */
extern cmark_node_type	CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW,
			CMARK_NODE_TABLE_CELL, CMARK_NODE_STRIKETHROUGH;

#define MD_OPTIONS	(CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8)
#define MD_MORE		"<!--more-->"
#define MD_SUMMARY_WORDS 60
#define NOWHERE		SIZE_MAX

static pthread_mutex_t		 md_lock = PTHREAD_MUTEX_INITIALIZER;
static cmark_syntax_extension	*md_ext[3];
static bool			 md_ready;
static bool			 md_internals;	/* node.h fits the library */

static void
nomem(void)
{
	fputs("awaaz: out of memory\n", stderr);
	exit(3);
}

/*
 * cmark allocates every node, buffer and string by itself, and frees them
 * one by one.  A parse's memory comes instead from a bump allocator that is
 * dropped whole once the tree has been walked (cmark_node_free is never
 * called).  Each block has its size in front of it so that realloc can
 * copy; the newest block grows in place.  cmark_mem passes no context, so
 * the parse a thread is working on is found through a thread-local pointer.
 *
 * Chunks are kept for the thread's next parse: freeing them would hand the
 * top of the heap back to the kernel page by page, and every page faulted
 * in again costs more than the parse itself.  A key's destructor frees them
 * when a thread ends.
 */
#define CM_CHUNK	(64 * 1024)
#define CM_ALIGN	16
#define CM_ROUND(n)	(((n) + CM_ALIGN - 1) & ~(size_t)(CM_ALIGN - 1))
#define CM_SPARE	16		/* chunks kept per thread, at most */

struct cm_chunk {
	struct cm_chunk		*next;
	size_t			 size, used;
	_Alignas(CM_ALIGN) unsigned char data[];
};

struct cm_arena {
	struct cm_chunk		*head;
	struct cm_chunk		*lastc;	/* the newest block's chunk */
	unsigned char		*last;	/* the newest block */
	struct cm_arena		*prev;	/* the thread's parse before */
};

static __thread struct cm_arena	*cm_cur;
static __thread struct cm_chunk	*cm_spare;
static __thread int		 cm_nspare;
static pthread_key_t		 cm_key;
static pthread_once_t		 cm_once = PTHREAD_ONCE_INIT;

static void
cm_spare_free(void *list)
{
	struct cm_chunk	*c, *next;

	for (c = list; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
}

static void
cm_key_init(void)
{
	if (pthread_key_create(&cm_key, cm_spare_free) != 0)
		nomem();
}

static void *
cm_alloc(size_t n)
{
	struct cm_arena	*a = cm_cur;
	struct cm_chunk	*c = a->head;
	size_t		 need, size;
	unsigned char	*p;

	if (n > SIZE_MAX / 2)
		nomem();
	need = CM_ALIGN + CM_ROUND(n);
	if (c == NULL || c->size - c->used < need) {
		size = need > CM_CHUNK / 4 ? need : CM_CHUNK;
		if (size == CM_CHUNK && cm_spare != NULL) {
			c = cm_spare;
			cm_spare = c->next;
			cm_nspare--;
		} else if ((c = malloc(sizeof(*c) + size)) == NULL)
			nomem();
		c->size = size;
		c->used = 0;
		if (size == CM_CHUNK || a->head == NULL) {
			c->next = a->head;
			a->head = c;
		} else {
			/* Small blocks go on in the current chunk. */
			c->next = a->head->next;
			a->head->next = c;
		}
	}
	p = c->data + c->used;
	*(size_t *)p = n;
	c->used += need;
	a->lastc = c;
	a->last = p + CM_ALIGN;
	return a->last;
}

static void *
cm_calloc(size_t n, size_t size)
{
	void	*p;

	if (size != 0 && n > SIZE_MAX / 2 / size)
		nomem();
	p = cm_alloc(n * size);
	memset(p, 0, n * size);
	return p;
}

static void *
cm_realloc(void *ptr, size_t n)
{
	struct cm_arena	*a = cm_cur;
	unsigned char	*p = ptr, *q;
	size_t		 old;

	if (p == NULL)
		return cm_alloc(n);
	old = *(size_t *)(p - CM_ALIGN);
	if (n <= old)
		return p;
	if (p == a->last && n <= SIZE_MAX / 2 && a->lastc->size -
	    a->lastc->used >= CM_ROUND(n) - CM_ROUND(old)) {
		a->lastc->used += CM_ROUND(n) - CM_ROUND(old);
		*(size_t *)(p - CM_ALIGN) = n;
		return p;
	}
	q = cm_alloc(n);
	memcpy(q, p, old);
	return q;
}

static void
cm_free(void *p)
{
}

static cmark_mem	cm_mem = { cm_calloc, cm_realloc, cm_free };

/* Drops a parse's tree, and every other byte cmark allocated for it. */
static void
cm_release(struct cm_arena *a)
{
	struct cm_chunk	*c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (c->size == CM_CHUNK && cm_nspare < CM_SPARE) {
			c->next = cm_spare;
			cm_spare = c;
			cm_nspare++;
		} else
			free(c);
	}
	pthread_once(&cm_once, cm_key_init);
	pthread_setspecific(cm_key, cm_spare);
	cm_cur = a->prev;
	memset(a, 0, sizeof(*a));
}

/*
 * Parses a body with GitHub's extensions into arena a.  The whole life of
 * the parser is under the lock: attaching extensions and parsing both touch
 * the library's global tables.  The tree lives until cm_release(a).
 */
static cmark_node *
parse(const char *text, size_t len, struct cm_arena *a)
{
	static const char *const names[] = {
		"table", "strikethrough", "autolink"
	};
	cmark_parser	*p;
	cmark_node	*doc;
	size_t		 i;

	memset(a, 0, sizeof(*a));
	a->prev = cm_cur;
	cm_cur = a;
	pthread_mutex_lock(&md_lock);
	if (!md_ready) {
		cmark_gfm_core_extensions_ensure_registered();
		for (i = 0; i < nitems(names); i++)
			md_ext[i] = cmark_find_syntax_extension(names[i]);
		md_internals = cmark_version() == CMARK_GFM_VERSION;
		md_ready = true;
	}
	p = cmark_parser_new_with_mem(MD_OPTIONS, &cm_mem);
	for (i = 0; i < nitems(md_ext); i++)
		if (md_ext[i] != NULL)
			cmark_parser_attach_syntax_extension(p, md_ext[i]);
	cmark_parser_feed(p, text, len);
	doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	pthread_mutex_unlock(&md_lock);
	return doc;
}

static const char *
lit(cmark_node *n, size_t *len)
{
	const char	*s;

	if ((s = cmark_node_get_literal(n)) == NULL)
		s = "";
	*len = strlen(s);
	return s;
}

static bool
is_block(cmark_node *n)
{
	return (cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) ==
	    CMARK_NODE_TYPE_BLOCK;
}

/*
 * Text.  White space is what Go's unicode.IsSpace says (as Hugo counts
 * words): ASCII white space, U+0085, U+00A0, U+1680, U+2000..U+200A,
 * U+2028, U+2029, U+202F, U+205F and U+3000.  Returns the length of the
 * white space character at s, or 0.
 */
static inline size_t
space_len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r');
	if (s[0] == 0xc2)
		return n >= 2 && (s[1] == 0x85 || s[1] == 0xa0) ? 2 : 0;
	if (n < 3)
		return 0;
	if (s[0] == 0xe1)
		return s[1] == 0x9a && s[2] == 0x80 ? 3 : 0;
	if (s[0] == 0xe2 && s[1] == 0x80)
		return s[2] <= 0x8a || s[2] == 0xa8 || s[2] == 0xa9 ||
		    s[2] == 0xaf ? 3 : 0;
	if (s[0] == 0xe2)
		return s[1] == 0x81 && s[2] == 0x9f ? 3 : 0;
	if (s[0] == 0xe3)
		return s[1] == 0x80 && s[2] == 0x80 ? 3 : 0;
	return 0;
}

/* Decodes one UTF-8 character; an invalid byte gives UINT32_MAX. */
static size_t
u8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t		 k, len;
	uint32_t	 c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2; c = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3; c = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4; c = s[0] & 0x07; min = 0x10000;
	} else
		goto bad;
	if (len > n)
		goto bad;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (s[k] & 0x3f);
	}
	if (c < min || c > 0x10ffff)
		goto bad;
	*cp = c;
	return len;
bad:
	*cp = UINT32_MAX;
	return 1;
}

/*
 * Copies s[0..n) to the arena with each run of white space as one space,
 * trimmed, keeping at most max words (0: all).  *cut tells whether words
 * were left out ("…" then ends the text), *nw how many were kept.
 */
static char *
squeeze(struct arena *a, const char *str, size_t n, size_t max, bool *cut,
    size_t *nw)
{
	const unsigned char	*s = (const unsigned char *)str;
	char			*out, *o;
	size_t			 i = 0, sp, words = 0;
	bool			 gap = false;

	*cut = false;
	out = o = arena_alloc(a, n + sizeof("…"));
	while (i < n) {
		if ((sp = space_len(s + i, n - i)) > 0) {
			gap = o != out;
			i += sp;
			continue;
		}
		if (o == out || gap) {
			if (max != 0 && words == max) {
				*cut = true;
				break;
			}
			words++;
			if (gap)
				*o++ = ' ';
			gap = false;
		}
		*o++ = (char)s[i++];
	}
	if (*cut) {
		memcpy(o, "…", sizeof("…") - 1);
		o += sizeof("…") - 1;
	}
	*o = '\0';
	if (nw != NULL)
		*nw = words;
	return out;
}

/*
 * Appends the plain text of n's inlines to b: text and code as they are,
 * breaks as spaces.  Images give their alt text only when alts is set
 * (headings and summaries show none); raw HTML and footnote marks give
 * nothing.  Iterative: inline nesting has no depth limit.
 */
static void
plain(cmark_node *root, struct buf *b, bool alts)
{
	cmark_node	*n, *next;
	const char	*s;
	size_t		 len;
	int		 t;
	bool		 down;

	n = cmark_node_first_child(root);
	while (n != NULL) {
		t = cmark_node_get_type(n);
		down = false;
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
			s = lit(n, &len);
			buf_add(b, s, len);
		} else if (t == CMARK_NODE_SOFTBREAK ||
		    t == CMARK_NODE_LINEBREAK)
			buf_addc(b, ' ');
		else if (t == CMARK_NODE_IMAGE)
			down = alts;
		else if (t != CMARK_NODE_HTML_INLINE &&
		    t != CMARK_NODE_FOOTNOTE_REFERENCE)
			down = true;
		if (down && (next = cmark_node_first_child(n)) != NULL) {
			n = next;
			continue;
		}
		while (n != root && (next = cmark_node_next(n)) == NULL)
			n = cmark_node_parent(n);
		n = n == root ? NULL : next;
	}
}

/*
 * Whether a destination would run code or reach the reader's disk.  The
 * scheme is read the way browsers read it: leading spaces and controls
 * skipped, tabs and newlines anywhere ignored, letters in any case.
 * Images may be data: URLs of PNG, GIF, JPEG and WebP.
 */
static bool
url_unsafe(const char *url, bool image)
{
	static const char *const images[] = {
		"image/png", "image/gif", "image/jpeg", "image/webp"
	};
	const unsigned char	*s = (const unsigned char *)url;
	char			 w[16];
	size_t			 n = 0, i, k;

	while (*s != '\0' && *s <= ' ')
		s++;
	for (; *s != ':'; s++) {
		if (*s == '\t' || *s == '\n' || *s == '\r')
			continue;
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (n > 0 && ((*s >= '0' && *s <= '9') || *s == '+' ||
		    *s == '-' || *s == '.'))))
			return false;	/* not a scheme, so relative */
		if (n == sizeof(w) - 1)
			return false;
		w[n++] = (char)(*s | 0x20);
	}
	w[n] = '\0';
	if (strcmp(w, "javascript") == 0 || strcmp(w, "vbscript") == 0 ||
	    strcmp(w, "file") == 0)
		return true;
	if (strcmp(w, "data") != 0)
		return false;
	if (!image)
		return true;
	for (s++, n = 0; *s != '\0' && n < sizeof(w) - 1; s++) {
		if (*s == '\t' || *s == '\n' || *s == '\r')
			continue;
		w[n++] = (char)(*s >= 'A' && *s <= 'Z' ? *s | 0x20 : *s);
	}
	w[n] = '\0';
	for (i = 0; i < nitems(images); i++) {
		k = strlen(images[i]);
		if (strncmp(w, images[i], k) == 0 &&
		    (w[k] == ';' || w[k] == ','))
			return false;
	}
	return true;
}

/* A destination as a diagnostic shows it: controls escaped, long ones cut. */
static const char *
shown(const char *url, struct buf *b)
{
	const unsigned char	*s = (const unsigned char *)url;
	size_t			 i;

	buf_reset(b);
	for (i = 0; s[i] != '\0'; i++) {
		if (b->len >= 60 && (s[i] & 0xc0) != 0x80) {
			buf_adds(b, "…");
			break;
		}
		if (s[i] == '\t')
			buf_adds(b, "\\t");
		else if (s[i] == '\n')
			buf_adds(b, "\\n");
		else if (s[i] < 0x20 || s[i] == 0x7f)
			buf_printf(b, "\\x%02x", s[i]);
		else
			buf_addc(b, (char)s[i]);
	}
	if (b->data == NULL)
		buf_grow(b, 0);
	return b->data;
}

/*
 * Heading ids.  Non-ASCII punctuation and symbols dropped from ids: a
 * table of the ones campaign text uses (Latin-1, Arabic script, Bengali and
 * Devanagari danda, general punctuation, currency, arrows and symbols, CJK
 * and full-width punctuation, emoji) and invisible controls (bidi marks,
 * BOM, variation selectors).  ZWNJ and ZWJ stay: Persian and Urdu words
 * are spelt with them, and GitHub keeps them too.
 */
static bool
id_drops(uint32_t c)
{
	static const uint32_t r[][2] = {
		{ 0x00a1, 0x00a9 }, { 0x00ab, 0x00b4 }, { 0x00b6, 0x00b9 },
		{ 0x00bb, 0x00bf }, { 0x00d7, 0x00d7 }, { 0x00f7, 0x00f7 },
		{ 0x0600, 0x060f }, { 0x061b, 0x061f }, { 0x066a, 0x066d },
		{ 0x06d4, 0x06d4 }, { 0x06dd, 0x06de }, { 0x06e9, 0x06e9 },
		{ 0x06fd, 0x06fe }, { 0x0964, 0x0965 }, { 0x09f2, 0x09fb },
		{ 0x200b, 0x200b }, { 0x200e, 0x2027 }, { 0x202a, 0x205e },
		{ 0x2060, 0x206f }, { 0x20a0, 0x20cf }, { 0x2190, 0x2bff },
		{ 0x3001, 0x3003 }, { 0x3008, 0x3011 }, { 0x3014, 0x301f },
		{ 0xfd3e, 0xfd3f }, { 0xfe00, 0xfe19 }, { 0xfe30, 0xfe6f },
		{ 0xfeff, 0xfeff }, { 0xff01, 0xff0f }, { 0xff1a, 0xff20 },
		{ 0xff3b, 0xff3e }, { 0xff40, 0xff40 }, { 0xff5b, 0xff65 },
		{ 0x1f000, 0x1faff }, { 0xe0000, 0xe007f },
	};
	size_t	lo = 0, hi = nitems(r), mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (c < r[mid][0])
			hi = mid;
		else if (c > r[mid][1])
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

char *
md_heading_id(const char *text, struct arena *a)
{
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 n = strlen(text), i = 0, k;
	uint32_t		 c;
	char			*out, *o;

	out = o = arena_alloc(a, n + sizeof("section"));
	while (i < n) {
		if ((k = space_len(s + i, n - i)) > 0) {
			*o++ = '-';
			i += k;
			continue;
		}
		if (s[i] < 0x80) {
			c = s[i++];
			if (c >= 'A' && c <= 'Z')
				*o++ = (char)(c | 0x20);
			else if ((c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_')
				*o++ = (char)c;
			continue;
		}
		k = u8_next(s + i, n - i, &c);
		if (c != UINT32_MAX && !id_drops(c)) {
			memcpy(o, s + i, k);
			o += k;
		}
		i += k;
	}
	if (o == out)
		memcpy(o, "section", sizeof("section"));
	else
		*o = '\0';
	return out;
}

/* The ids given so far on a page; "x", "x-1", "x-2" as GitHub does. */
struct ids {
	const char	**v;
	size_t		  n;
};

static bool
ids_has(const struct ids *ids, const char *id)
{
	size_t	i;

	for (i = 0; i < ids->n; i++)
		if (strcmp(ids->v[i], id) == 0)
			return true;
	return false;
}

/*
 * The heading's plain text (white space squeezed, into *text) and its
 * unique id, both from the arena.  Scan and render share it, so they give
 * the same ids.
 */
static const char *
heading_id(struct ids *ids, cmark_node *n, struct buf *tmp, struct arena *a,
    const char **text)
{
	const char	*base, *id;
	size_t		 k;
	bool		 cut;

	buf_reset(tmp);
	plain(n, tmp, false);
	*text = squeeze(a, tmp->data != NULL ? tmp->data : "", tmp->len, 0,
	    &cut, NULL);
	id = base = md_heading_id(*text, a);
	for (k = 1; ids_has(ids, id); k++)
		id = arena_printf(a, "%s-%zu", base, k);
	ids->v = arena_grow(a, ids->v, ids->n, sizeof(*ids->v));
	ids->v[ids->n++] = id;
	return id;
}

/*
 * Source positions.  lines[i] is the offset where line i+1 starts; cmark
 * ends lines at "\n", "\r\n" and a lone "\r", and so does this table.  cur
 * and end bound the search in the current leaf block: nothing located in it
 * so far ends after cur.
 */
struct src {
	const char	*text;
	size_t		 len;
	size_t		*lines;
	size_t		 nlines;
	size_t		 cur, end;
	int		 bline, bcol;	/* the block's start, from cmark */
};

static void
src_init(struct src *s, const char *text, size_t len)
{
	const char	*p;
	size_t		 i, cap = 64;
	bool		 cr;

	s->text = text;
	s->len = len;
	s->lines = xreallocarray(NULL, cap, sizeof(*s->lines));
	s->lines[0] = 0;
	s->nlines = 1;
	cr = memchr(text, '\r', len) != NULL;
	for (i = 0; i < len; i++) {
		if (!cr) {
			/* The common case: no CR anywhere. */
			if ((p = memchr(text + i, '\n', len - i)) == NULL)
				break;
			i = (size_t)(p - text);
		} else if (text[i] != '\n' && (text[i] != '\r' ||
		    (i + 1 < len && text[i + 1] == '\n')))
			continue;
		if (s->nlines == cap) {
			cap *= 2;
			s->lines = xreallocarray(s->lines, cap,
			    sizeof(*s->lines));
		}
		s->lines[s->nlines++] = i + 1;
	}
	s->cur = 0;
	s->end = len;
	s->bline = s->bcol = 1;
}

static void
src_release(struct src *s)
{
	free(s->lines);
	s->lines = NULL;
}

static size_t
line_end(const struct src *s, int line)
{
	return (size_t)line < s->nlines ? s->lines[line] : s->len;
}

/* The offset of (line, col), or NOWHERE when the line has no such column. */
static size_t
src_off(const struct src *s, int line, int col)
{
	size_t	off;

	if (line < 1 || (size_t)line > s->nlines || col < 1)
		return NOWHERE;
	off = s->lines[line - 1] + (size_t)col - 1;
	return off < line_end(s, line) ? off : NOWHERE;
}

static int
src_line(const struct src *s, size_t off)
{
	size_t	lo = 0, hi = s->nlines, mid;

	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (s->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo + 1;
}

/* Enters a block whose inlines are located next. */
static void
src_block(struct src *s, cmark_node *n)
{
	int	l = cmark_node_get_start_line(n);
	int	c = cmark_node_get_start_column(n);
	int	e = cmark_node_get_end_line(n);

	/* Cells the table extension adds to short rows have no position. */
	if (l < 1 || (size_t)l > s->nlines)
		return;
	s->bline = l;
	s->bcol = c;
	if ((s->cur = src_off(s, l, c)) == NOWHERE)
		s->cur = s->lines[l - 1];
	if (e < l || (size_t)e >= s->nlines)
		s->end = s->len;
	else
		s->end = line_end(s, e);
	if (s->end < s->cur)
		s->end = s->len;
}

static bool
src_at(const struct src *s, size_t off, const char *tok, size_t n)
{
	return off != NOWHERE && off >= s->cur && off + n <= s->end &&
	    memcmp(s->text + off, tok, n) == 0;
}

static size_t
src_search(const struct src *s, size_t from, size_t to, const char *tok,
    size_t n)
{
	const char	*p;

	if (from >= to || to > s->len)
		return NOWHERE;
	p = memmem(s->text + from, to - from, tok, n);
	return p == NULL ? NOWHERE : (size_t)(p - s->text);
}

/*
 * Finds tok where cmark says node n starts; failing that at the same
 * column on an earlier line of the block (a link over two lines), further
 * along the same line (white space cmark stripped), or anywhere further in
 * the block (autolinks).  Returns its offset or NOWHERE; a find moves cur
 * past the token.
 */
static size_t
src_find(struct src *s, cmark_node *n, const char *tok, size_t toklen)
{
	int	l = cmark_node_get_start_line(n);
	int	c = cmark_node_get_start_column(n);
	int	i;
	size_t	off, from, to;

	off = NOWHERE;
	if (l >= 1 && (size_t)l <= s->nlines && c >= 1) {
		if (src_at(s, src_off(s, l, c), tok, toklen))
			off = src_off(s, l, c);
		for (i = src_line(s, s->cur); off == NOWHERE && i < l; i++)
			if (src_at(s, src_off(s, i, c), tok, toklen))
				off = src_off(s, i, c);
		if (off == NOWHERE) {
			from = s->lines[l - 1];
			if (from < s->cur)
				from = s->cur;
			to = line_end(s, l);
			if (to > s->end)
				to = s->end;
			off = src_search(s, from, to, tok, toklen);
		}
	}
	if (off == NOWHERE)
		off = src_search(s, s->cur, s->end, tok, toklen);
	if (off != NOWHERE)
		s->cur = off + toklen;
	return off;
}

/* The file position of offset off, or of node n as cmark gives it. */
static void
src_where(const struct src *s, size_t off, cmark_node *n, int line0,
    int *line, int *col)
{
	int	l;

	if (off != NOWHERE) {
		l = src_line(s, off);
		*line = line0 + l;
		*col = (int)(off - s->lines[l - 1]) + 1;
	} else if (cmark_node_get_start_line(n) >= 1) {
		*line = line0 + cmark_node_get_start_line(n);
		*col = cmark_node_get_start_column(n);
	} else {
		*line = line0 + s->bline;
		*col = s->bcol;
	}
	if (*line <= line0)
		*line = line0 + 1;
	if (*col < 1)
		*col = 1;
}

/* Where a raw HTML tag starts. */
static void
html_pos(struct src *s, cmark_node *n, int line0, int *line, int *col)
{
	const char	*text;
	size_t		 len, k;

	text = lit(n, &len);
	for (k = 0; k < len && text[k] != '\n' && text[k] != '\r'; k++)
		continue;
	src_where(s, k > 0 ? src_find(s, n, text, k) : NOWHERE, n, line0,
	    line, col);
}

/*
 * Where a link or image starts: its "[" or "![", or the "<" of an autolink
 * in brackets; the autolink extension's links start at their text.
 */
static void
link_pos(struct src *s, cmark_node *n, bool image, int line0, int *line,
    int *col)
{
	cmark_node	*c;
	const char	*url, *text;
	size_t		 off, len;

	if (image) {
		src_where(s, src_find(s, n, "![", 2), n, line0, line, col);
		return;
	}
	off = src_off(s, cmark_node_get_start_line(n),
	    cmark_node_get_start_column(n));
	if (src_at(s, off, "[", 1) || src_at(s, off, "<", 1)) {
		s->cur = off + 1;
		src_where(s, off, n, line0, line, col);
		return;
	}
	url = cmark_node_get_url(n);
	c = cmark_node_first_child(n);
	if (url != NULL && c != NULL && cmark_node_next(c) == NULL &&
	    cmark_node_get_type(c) == CMARK_NODE_TEXT) {
		text = lit(c, &len);
		if (len > 0 && (strcmp(url, text) == 0 ||
		    ((has_prefix(url, "http://") ||
		    has_prefix(url, "mailto:")) &&
		    strcmp(url + 7, text) == 0))) {
			off = src_find(s, n, text, len);
			if (off != NOWHERE && off > 0 &&
			    (s->text[off - 1] == '[' ||
			    s->text[off - 1] == '<'))
				off--;
			src_where(s, off, n, line0, line, col);
			return;
		}
	}
	src_where(s, src_find(s, n, "[", 1), n, line0, line, col);
}

/*
 * Footnotes.  A definition's label as written, made safe for an id and a
 * fragment: ASCII controls, space and the characters URLs may not hold are
 * %-escaped, other characters kept.  cmark-gfm 0.29 keeps the label only
 * inside the node (no accessor), so it is read through the library's
 * node.h when the library is the version compiled against; otherwise
 * footnotes are labelled by number.  Appends to b.
 */
static void
fn_label(cmark_node *n, int ix, struct buf *b)
{
	static const char	 hex[] = "0123456789ABCDEF";
	cmark_node		*def = n;
	const unsigned char	*s;
	size_t			 i, len;

	if (md_internals && cmark_node_get_type(n) ==
	    CMARK_NODE_FOOTNOTE_REFERENCE)
		def = n->parent_footnote_def;
	if (!md_internals || def == NULL || def->as.literal.len <= 0) {
		buf_printf(b, "%d", ix);
		return;
	}
	s = def->as.literal.data;
	len = (size_t)def->as.literal.len;
	for (i = 0; i < len; i++) {
		if (s[i] <= ' ' || s[i] == 0x7f || strchr("\"#%<>[\\]^`{|}",
		    s[i]) != NULL) {
			buf_addc(b, '%');
			buf_addc(b, hex[s[i] >> 4]);
			buf_addc(b, hex[s[i] & 15]);
		} else
			buf_addc(b, (char)s[i]);
	}
}

/*
 * The scan pass.
 */
struct scan {
	const char	*path;
	int		 line0;
	struct arena	*a;
	struct md_scan	*out;
	struct src	 src;
	struct ids	 ids;
	struct buf	 para;		/* the paragraph being read */
	struct buf	*plain;		/* all text, when asked for */
	struct buf	 before;	/* paragraphs before <!--more--> */
	struct buf	 tmp;
	const char	*first;		/* first paragraph's text, cut */
	bool		 first_cut;
	size_t		 first_words;
	bool		 want_more;	/* the body holds the divider */
	bool		 more_seen;
	size_t		 words_at_more;
	bool		 in_para;
	int		 in_image;
	bool		 in_word;
	size_t		 words;
	bool		 all_links;	/* list links, not only images */
};

static void
count_words(struct scan *sc, const char *str, size_t n)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, sp;

	if (sc->plain != NULL)
		buf_add(sc->plain, str, n);
	while (i < n) {
		if (s[i] < 0x80)
			sp = s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r');
		else
			sp = space_len(s + i, n - i);
		if (sp > 0) {
			sc->in_word = false;
			i += sp;
			continue;
		}
		if (!sc->in_word)
			sc->words++;
		sc->in_word = true;
		i++;
	}
}

static bool
is_more(cmark_node *n)
{
	const char	*s;
	size_t		 len;

	s = lit(n, &len);
	while (len > 0 && space_len((const unsigned char *)s, len) == 1) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n' ||
	    s[len - 1] == '\r' || s[len - 1] == '\t'))
		len--;
	return len == sizeof(MD_MORE) - 1 && memcmp(s, MD_MORE, len) == 0;
}

static void
scan_para_done(struct scan *sc)
{
	const char	*text;
	bool		 cut;
	size_t		 nw;

	if (sc->para.len == 0)
		return;
	if (sc->first == NULL) {
		text = squeeze(sc->a, sc->para.data, sc->para.len,
		    MD_SUMMARY_WORDS, &cut, &nw);
		if (*text != '\0') {
			sc->first = text;
			sc->first_cut = cut;
			sc->first_words = nw;
		}
	}
	if (sc->want_more && !sc->more_seen) {
		buf_addc(&sc->before, ' ');
		buf_add(&sc->before, sc->para.data, sc->para.len);
	}
}

static void
scan_html(struct scan *sc, cmark_node *n)
{
	int	line, col;

	if (is_more(n)) {
		if (!sc->more_seen) {
			sc->more_seen = true;
			sc->words_at_more = sc->words;
			if (sc->in_para && sc->para.len > 0) {
				buf_addc(&sc->before, ' ');
				buf_add(&sc->before, sc->para.data,
				    sc->para.len);
			}
		}
		if (cmark_node_get_type(n) == CMARK_NODE_HTML_INLINE)
			html_pos(&sc->src, n, sc->line0, &line, &col);
		return;
	}
	if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK) {
		line = sc->line0 + cmark_node_get_start_line(n);
		col = cmark_node_get_start_column(n);
	} else
		html_pos(&sc->src, n, sc->line0, &line, &col);
	diag_warning(sc->path, line, col, "raw HTML is dropped");
}

static void
scan_heading(struct scan *sc, cmark_node *n)
{
	struct md_heading	*h;
	struct md_scan		*out = sc->out;
	const char		*text;

	out->headings = arena_grow(sc->a, out->headings, out->nheadings,
	    sizeof(*h));
	h = &out->headings[out->nheadings++];
	h->id = heading_id(&sc->ids, n, &sc->tmp, sc->a, &text);
	h->text = text;
	h->level = cmark_node_get_heading_level(n);
	h->line = sc->line0 + cmark_node_get_start_line(n);
}

static void
scan_link(struct scan *sc, cmark_node *n, bool image)
{
	struct md_link	*l;
	struct md_scan	*out = sc->out;
	const char	*url;
	bool		 unsafe, keep;
	int		 line, col;

	if ((url = cmark_node_get_url(n)) == NULL)
		url = "";
	unsafe = url_unsafe(url, image);
	keep = image || sc->all_links;
	if (!keep && !unsafe)
		return;
	link_pos(&sc->src, n, image, sc->line0, &line, &col);
	if (unsafe)
		diag_warning(sc->path, line, col, "unsafe %s '%s' is dropped",
		    image ? "image" : "link", shown(url, &sc->tmp));
	if (!keep)
		return;
	out->links = arena_grow(sc->a, out->links, out->nlinks, sizeof(*l));
	l = &out->links[out->nlinks++];
	l->dest = arena_strdup(sc->a, url);
	l->image = image;
	l->alt = NULL;
	l->line = line;
	l->col = col;
	if (image) {
		buf_reset(&sc->tmp);
		plain(n, &sc->tmp, true);
		l->alt = arena_strndup(sc->a, sc->tmp.data != NULL ?
		    sc->tmp.data : "", sc->tmp.len);
	}
}

static void
scan_enter(struct scan *sc, cmark_node *n)
{
	cmark_node_type	 t = cmark_node_get_type(n);
	const char	*s;
	size_t		 len;

	if (is_block(n)) {
		sc->in_word = false;
		if (sc->plain != NULL)
			buf_addc(sc->plain, ' ');
	}
	switch (t) {
	case CMARK_NODE_PARAGRAPH:
		sc->in_para = true;
		buf_reset(&sc->para);
		src_block(&sc->src, n);
		break;
	case CMARK_NODE_HEADING:
		src_block(&sc->src, n);
		scan_heading(sc, n);
		break;
	case CMARK_NODE_CODE_BLOCK:
		s = lit(n, &len);
		count_words(sc, s, len);
		sc->in_word = false;
		if (sc->plain != NULL)
			buf_addc(sc->plain, ' ');
		break;
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE:
		scan_html(sc, n);
		break;
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		if (sc->in_image)
			break;
		s = lit(n, &len);
		count_words(sc, s, len);
		if (sc->in_para)
			buf_add(&sc->para, s, len);
		break;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		if (sc->in_image)
			break;
		sc->in_word = false;
		if (sc->plain != NULL)
			buf_addc(sc->plain, ' ');
		if (sc->in_para)
			buf_addc(&sc->para, ' ');
		break;
	case CMARK_NODE_LINK:
		if (!sc->in_image)
			scan_link(sc, n, false);
		break;
	case CMARK_NODE_IMAGE:
		if (!sc->in_image)
			scan_link(sc, n, true);
		sc->in_image++;
		break;
	default:
		if (t == CMARK_NODE_TABLE_CELL)
			src_block(&sc->src, n);
		break;
	}
}

static void
scan_exit(struct scan *sc, cmark_node *n)
{
	if (is_block(n)) {
		sc->in_word = false;
		if (sc->plain != NULL)
			buf_addc(sc->plain, ' ');
	}
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		scan_para_done(sc);
		sc->in_para = false;
		break;
	case CMARK_NODE_IMAGE:
		sc->in_image--;
		break;
	default:
		break;
	}
}

static int	scan_body(const char *, const char *, size_t, int,
		    struct md_scan *, struct buf *, bool, struct arena *);

int
md_scan(const char *path, const char *text, size_t len, int line0,
    struct md_scan *out, struct arena *a)
{
	return scan_body(path, text, len, line0, out, NULL, true, a);
}

int
md_scan_text(const char *path, const char *text, size_t len, int line0,
    struct md_scan *out, struct buf *plain, struct arena *a)
{
	return scan_body(path, text, len, line0, out, plain, false, a);
}

static int
scan_body(const char *path, const char *text, size_t len, int line0,
    struct md_scan *out, struct buf *plain, bool all_links, struct arena *a)
{
	struct scan	 sc;
	struct cm_arena	 cm;
	cmark_node	*doc;
	cmark_iter	*it;
	cmark_event_type ev;
	const char	*s;
	bool		 cut;
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&sc, 0, sizeof(sc));
	sc.plain = plain;
	sc.all_links = all_links;
	sc.path = path;
	sc.line0 = line0;
	sc.a = a;
	sc.out = out;
	buf_init(&sc.para);
	buf_init(&sc.before);
	buf_init(&sc.tmp);
	src_init(&sc.src, text, len);
	if ((doc = parse(text, len, &cm)) == NULL) {
		diag_error(path, line0 + 1, 0, "cannot parse the body");
		goto out;
	}
	sc.want_more = memmem(text, len, MD_MORE, sizeof(MD_MORE) - 1) !=
	    NULL;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev == CMARK_EVENT_ENTER)
			scan_enter(&sc, cmark_iter_get_node(it));
		else
			scan_exit(&sc, cmark_iter_get_node(it));
	}
	cmark_iter_free(it);

	out->words = sc.words;
	if (sc.more_seen) {
		s = squeeze(a, sc.before.data != NULL ? sc.before.data : "",
		    sc.before.len, 0, &cut, NULL);
		if (*s != '\0') {
			out->summary = s;
			out->truncated = sc.words > sc.words_at_more;
		}
	} else if (sc.first != NULL) {
		out->summary = sc.first;
		out->truncated = sc.first_cut || sc.words > sc.first_words;
	}
	rc = 0;
out:
	cm_release(&cm);
	src_release(&sc.src);
	buf_release(&sc.para);
	buf_release(&sc.before);
	buf_release(&sc.tmp);
	return rc;
}

/*
 * The render pass.
 */
enum el {
	EL_P, EL_H1, EL_H2, EL_H3, EL_H4, EL_H5, EL_H6, EL_UL, EL_OL, EL_LI,
	EL_BLOCKQUOTE, EL_PRE, EL_CODE, EL_EM, EL_STRONG, EL_DEL, EL_A,
	EL_IMG, EL_HR, EL_BR, EL_TABLE, EL_THEAD, EL_TBODY, EL_TR, EL_TH,
	EL_TD, EL_SUP, EL_SECTION, EL__MAX
};

static const char *const el_names[EL__MAX] = {
	"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
	"blockquote", "pre", "code", "em", "strong", "del", "a",
	"img", "hr", "br", "table", "thead", "tbody", "tr", "th",
	"td", "sup", "section",
};

/* One footnote, by number. */
struct fnote {
	const char	*label;
	int		 refs;		/* references rendered */
	xmlNodePtr	 back;		/* where the links back go */
	bool		 in_p;		/* back is the last paragraph */
};

struct render {
	xmlDocPtr		 doc;
	xmlNodePtr		 top;		/* md_render's parent */
	xmlNodePtr		 cur;
	const xmlChar		*name[EL__MAX];	/* from doc's dictionary */
	struct buf		 text;		/* text pending for cur */
	struct buf		 tmp;
	const struct md_env	*env;
	struct arena		*a;
	int			 line0;
	struct src		 src;
	bool			 locate;	/* positions wanted */
	struct ids		 ids;
	const uint8_t		*align;		/* the table's columns */
	int			 ncols, col;
	bool			 in_head, in_body;
	xmlNodePtr		 fn_ol;
	struct fnote		*fn;
	size_t			 nfn;
	int			 fn_def;	/* definitions seen */
};

static xmlNodePtr
el_new(struct render *r, enum el e)
{
	xmlNodePtr	n;

	if (r->name[e] != NULL)
		n = xmlNewDocNodeEatName(r->doc, NULL, (xmlChar *)r->name[e],
		    NULL);
	else
		n = xmlNewDocNode(r->doc, NULL, BAD_CAST el_names[e], NULL);
	if (n == NULL)
		nomem();
	return n;
}

static void
attr(xmlNodePtr n, const char *name, const char *value)
{
	if (xmlNewProp(n, BAD_CAST name, BAD_CAST value) == NULL)
		nomem();
}

static void
add_text(struct render *r, xmlNodePtr parent, const char *s, size_t len)
{
	xmlNodePtr	t;

	if ((t = xmlNewDocTextLen(r->doc, BAD_CAST s, (int)len)) == NULL)
		nomem();
	xmlAddChild(parent, t);
}

static void
flush(struct render *r)
{
	if (r->text.len == 0)
		return;
	add_text(r, r->cur, r->text.data, r->text.len);
	buf_reset(&r->text);
}

static void
put(struct render *r, const char *s, size_t len)
{
	buf_add(&r->text, s, len);
}

static void
nl(struct render *r)
{
	buf_addc(&r->text, '\n');
}

/* A newline unless the output so far ends in one (cmark's cr()). */
static void
cr(struct render *r)
{
	xmlNodePtr	last;
	const xmlChar	*c;

	if (r->text.len > 0) {
		if (r->text.data[r->text.len - 1] != '\n')
			nl(r);
		return;
	}
	if ((last = r->cur->last) == NULL) {
		if (r->cur != r->top)
			nl(r);
		return;
	}
	if (last->type == XML_TEXT_NODE && (c = last->content) != NULL &&
	    *c != '\0' && c[xmlStrlen(c) - 1] == '\n')
		return;
	nl(r);
}

static xmlNodePtr
open_el(struct render *r, enum el e)
{
	xmlNodePtr	n;

	flush(r);
	n = el_new(r, e);
	xmlAddChild(r->cur, n);
	r->cur = n;
	return n;
}

static void
close_el(struct render *r)
{
	flush(r);
	r->cur = r->cur->parent;
}

static xmlNodePtr
leaf_el(struct render *r, enum el e)
{
	xmlNodePtr	n;

	flush(r);
	n = el_new(r, e);
	xmlAddChild(r->cur, n);
	return n;
}

static bool
tight(cmark_node *par)
{
	cmark_node	*p, *g;

	p = cmark_node_parent(par);
	g = p != NULL ? cmark_node_parent(p) : NULL;
	return g != NULL && cmark_node_get_type(g) == CMARK_NODE_LIST &&
	    cmark_node_get_list_tight(g);
}

static struct fnote *
fnote(struct render *r, int ix, cmark_node *n)
{
	struct fnote	*f;

	while (r->nfn < (size_t)ix) {
		r->fn = arena_grow(r->a, r->fn, r->nfn, sizeof(*r->fn));
		memset(&r->fn[r->nfn++], 0, sizeof(*r->fn));
	}
	f = &r->fn[ix - 1];
	if (f->label == NULL) {
		buf_reset(&r->tmp);
		fn_label(n, ix, &r->tmp);
		f->label = arena_strndup(r->a, r->tmp.data, r->tmp.len);
	}
	return f;
}

static void
render_link(struct render *r, xmlNodePtr e, cmark_node *n, bool image)
{
	const char	*url, *title, *v;
	int		 line, col;

	if ((url = cmark_node_get_url(n)) == NULL)
		url = "";
	if (!url_unsafe(url, image)) {
		v = url;
		if (r->env != NULL && r->env->resolve != NULL) {
			link_pos(&r->src, n, image, r->line0, &line, &col);
			v = r->env->resolve(r->env->ctx, url, image, line, col);
			if (v == NULL)
				v = url;
		}
		attr(e, image ? "src" : "href", v);
	}
	if (image) {
		buf_reset(&r->tmp);
		plain(n, &r->tmp, true);
		attr(e, "alt", r->tmp.data != NULL ? r->tmp.data : "");
	}
	if ((title = cmark_node_get_title(n)) != NULL && *title != '\0')
		attr(e, "title", title);
}

static void
render_fnref(struct render *r, cmark_node *n)
{
	struct fnote	*f;
	xmlNodePtr	 e;
	const char	*num;
	size_t		 len;
	long		 ix;

	num = lit(n, &len);
	ix = strtol(num, NULL, 10);
	if (ix < 1 || ix > 1000000) {
		put(r, num, len);
		return;
	}
	f = fnote(r, (int)ix, n);
	f->refs++;
	attr(open_el(r, EL_SUP), "class", "footnote-ref");
	e = open_el(r, EL_A);
	buf_reset(&r->tmp);
	buf_printf(&r->tmp, "#fn-%s", f->label);
	attr(e, "href", r->tmp.data);
	buf_reset(&r->tmp);
	if (f->refs == 1)
		buf_printf(&r->tmp, "fnref-%s", f->label);
	else
		buf_printf(&r->tmp, "fnref-%s-%d", f->label, f->refs);
	attr(e, "id", r->tmp.data);
	put(r, num, len);
	close_el(r);
	close_el(r);
}

static void
render_fndef(struct render *r, cmark_node *n)
{
	struct fnote	*f;
	xmlNodePtr	 e;

	flush(r);
	if (r->fn_ol == NULL) {
		r->cur = r->top;
		cr(r);
		attr(open_el(r, EL_SECTION), "class", "footnotes");
		nl(r);
		r->fn_ol = open_el(r, EL_OL);
		nl(r);
	}
	r->cur = r->fn_ol;
	f = fnote(r, ++r->fn_def, n);
	cr(r);
	e = open_el(r, EL_LI);
	buf_reset(&r->tmp);
	buf_printf(&r->tmp, "fn-%s", f->label);
	attr(e, "id", r->tmp.data);
	nl(r);
}

/*
 * The links back from each footnote to its references, added when every
 * reference has been counted: inside the definition's last paragraph, or
 * at the end of its item.
 */
static void
render_backrefs(struct render *r)
{
	struct fnote	*f;
	xmlNodePtr	 a, sup;
	size_t		 i;
	int		 k;
	char		 num[16];

	for (i = 0; i < r->nfn; i++) {
		f = &r->fn[i];
		if (f->back == NULL || f->refs == 0)
			continue;
		for (k = 1; k <= f->refs; k++) {
			if (k > 1 || f->in_p)
				add_text(r, f->back, " ", 1);
			a = el_new(r, EL_A);
			buf_reset(&r->tmp);
			if (k == 1)
				buf_printf(&r->tmp, "#fnref-%s", f->label);
			else
				buf_printf(&r->tmp, "#fnref-%s-%d", f->label,
				    k);
			attr(a, "href", r->tmp.data);
			attr(a, "class", "footnote-backref");
			xmlAddChild(f->back, a);
			add_text(r, a, "↩", sizeof("↩") - 1);
			if (k > 1) {
				sup = el_new(r, EL_SUP);
				attr(sup, "class", "footnote-ref");
				xmlAddChild(a, sup);
				snprintf(num, sizeof(num), "%d", k);
				add_text(r, sup, num, strlen(num));
			}
		}
		if (!f->in_p)
			add_text(r, f->back, "\n", 1);
	}
}

static void
render_code_block(struct render *r, cmark_node *n)
{
	const char	*info, *s;
	size_t		 k, len;

	cr(r);
	open_el(r, EL_PRE);
	open_el(r, EL_CODE);
	info = cmark_node_get_fence_info(n);
	if (info != NULL && *info != '\0') {
		for (k = 0; info[k] != '\0' && info[k] != ' ' &&
		    info[k] != '\t'; k++)
			continue;
		buf_reset(&r->tmp);
		buf_adds(&r->tmp, "language-");
		buf_add(&r->tmp, info, k);
		attr(r->cur, "class", r->tmp.data);
	}
	s = lit(n, &len);
	put(r, s, len);
	close_el(r);
	close_el(r);
	nl(r);
}

static void
render_table(struct render *r, cmark_node *n, bool enter)
{
	cmark_node_type	 t = cmark_node_get_type(n);
	const char	*style;
	xmlNodePtr	 e;

	if (t == CMARK_NODE_TABLE && enter) {
		cr(r);
		open_el(r, EL_TABLE);
		r->align = cmark_gfm_extensions_get_table_alignments(n);
		r->ncols = cmark_gfm_extensions_get_table_columns(n);
		r->in_body = false;
	} else if (t == CMARK_NODE_TABLE) {
		if (r->in_body) {
			cr(r);
			close_el(r);
		}
		r->in_body = false;
		cr(r);
		close_el(r);
		nl(r);
	} else if (t == CMARK_NODE_TABLE_ROW && enter) {
		cr(r);
		r->in_head = cmark_gfm_extensions_get_table_row_is_header(n);
		if (r->in_head) {
			open_el(r, EL_THEAD);
			cr(r);
		} else if (!r->in_body) {
			open_el(r, EL_TBODY);
			cr(r);
			r->in_body = true;
		}
		open_el(r, EL_TR);
		r->col = 0;
	} else if (t == CMARK_NODE_TABLE_ROW) {
		cr(r);
		close_el(r);
		if (r->in_head) {
			cr(r);
			close_el(r);
			r->in_head = false;
		}
	} else if (t == CMARK_NODE_TABLE_CELL && enter) {
		cr(r);
		e = open_el(r, r->in_head ? EL_TH : EL_TD);
		style = NULL;
		if (r->align != NULL && r->col < r->ncols) {
			switch (r->align[r->col]) {
			case 'l':
				style = "text-align:start";
				break;
			case 'c':
				style = "text-align:center";
				break;
			case 'r':
				style = "text-align:end";
				break;
			}
		}
		if (style != NULL)
			attr(e, "style", style);
		r->col++;
		if (r->locate)
			src_block(&r->src, n);
	} else if (t == CMARK_NODE_TABLE_CELL)
		close_el(r);
}

static void
render_enter(struct render *r, cmark_iter *it, cmark_node *n)
{
	cmark_node_type	 t = cmark_node_get_type(n);
	const char	*s;
	size_t		 len;
	int		 line, col, start;
	xmlNodePtr	 e;

	switch (t) {
	case CMARK_NODE_DOCUMENT:
	case CMARK_NODE_HTML_BLOCK:
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		cr(r);
		open_el(r, EL_BLOCKQUOTE);
		nl(r);
		break;
	case CMARK_NODE_LIST:
		cr(r);
		if (cmark_node_get_list_type(n) == CMARK_ORDERED_LIST) {
			e = open_el(r, EL_OL);
			if ((start = cmark_node_get_list_start(n)) != 1) {
				buf_reset(&r->tmp);
				buf_printf(&r->tmp, "%d", start);
				attr(e, "start", r->tmp.data);
			}
		} else
			open_el(r, EL_UL);
		nl(r);
		break;
	case CMARK_NODE_ITEM:
		cr(r);
		open_el(r, EL_LI);
		break;
	case CMARK_NODE_PARAGRAPH:
		if (r->locate)
			src_block(&r->src, n);
		if (tight(n))
			break;
		cr(r);
		open_el(r, EL_P);
		break;
	case CMARK_NODE_HEADING:
		if (r->locate)
			src_block(&r->src, n);
		cr(r);
		e = open_el(r, EL_H1 + cmark_node_get_heading_level(n) - 1);
		attr(e, "id", heading_id(&r->ids, n, &r->tmp, r->a, &s));
		break;
	case CMARK_NODE_CODE_BLOCK:
		render_code_block(r, n);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		cr(r);
		leaf_el(r, EL_HR);
		nl(r);
		break;
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		render_fndef(r, n);
		break;
	case CMARK_NODE_TEXT:
		s = lit(n, &len);
		put(r, s, len);
		break;
	case CMARK_NODE_SOFTBREAK:
		nl(r);
		break;
	case CMARK_NODE_LINEBREAK:
		leaf_el(r, EL_BR);
		nl(r);
		break;
	case CMARK_NODE_CODE:
		open_el(r, EL_CODE);
		s = lit(n, &len);
		put(r, s, len);
		close_el(r);
		break;
	case CMARK_NODE_HTML_INLINE:
		/* Located all the same, so positions match the scan's. */
		if (r->locate)
			html_pos(&r->src, n, r->line0, &line, &col);
		break;
	case CMARK_NODE_EMPH:
		open_el(r, EL_EM);
		break;
	case CMARK_NODE_STRONG:
		open_el(r, EL_STRONG);
		break;
	case CMARK_NODE_LINK:
		render_link(r, open_el(r, EL_A), n, false);
		break;
	case CMARK_NODE_IMAGE:
		render_link(r, leaf_el(r, EL_IMG), n, true);
		/* The alt text is done: skip the image's inlines. */
		cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		break;
	case CMARK_NODE_FOOTNOTE_REFERENCE:
		render_fnref(r, n);
		break;
	default:
		if (t == CMARK_NODE_STRIKETHROUGH)
			open_el(r, EL_DEL);
		else if (t == CMARK_NODE_TABLE || t == CMARK_NODE_TABLE_ROW ||
		    t == CMARK_NODE_TABLE_CELL)
			render_table(r, n, true);
		break;
	}
}

static void
render_exit(struct render *r, cmark_node *n)
{
	cmark_node_type	 t = cmark_node_get_type(n);
	cmark_node	*p;
	struct fnote	*f;

	switch (t) {
	case CMARK_NODE_BLOCK_QUOTE:
	case CMARK_NODE_LIST:
		cr(r);
		close_el(r);
		nl(r);
		break;
	case CMARK_NODE_ITEM:
	case CMARK_NODE_HEADING:
		close_el(r);
		nl(r);
		break;
	case CMARK_NODE_PARAGRAPH:
		if (tight(n))
			break;
		p = cmark_node_parent(n);
		if (r->fn_def > 0 && p != NULL && cmark_node_get_type(p) ==
		    CMARK_NODE_FOOTNOTE_DEFINITION &&
		    cmark_node_next(n) == NULL) {
			f = &r->fn[r->fn_def - 1];
			f->back = r->cur;
			f->in_p = true;
		}
		close_el(r);
		nl(r);
		break;
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		f = &r->fn[r->fn_def - 1];
		if (f->back == NULL)
			f->back = r->cur;
		close_el(r);
		nl(r);
		break;
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
	case CMARK_NODE_LINK:
		close_el(r);
		break;
	case CMARK_NODE_DOCUMENT:
		if (r->fn_ol != NULL) {
			flush(r);
			r->cur = r->fn_ol;
			close_el(r);
			nl(r);
			close_el(r);
			nl(r);
		}
		break;
	default:
		if (t == CMARK_NODE_STRIKETHROUGH)
			close_el(r);
		else if (t == CMARK_NODE_TABLE || t == CMARK_NODE_TABLE_ROW ||
		    t == CMARK_NODE_TABLE_CELL)
			render_table(r, n, false);
		break;
	}
}

int
md_render(xmlNodePtr parent, const char *path, const char *text,
    size_t len, int line0, const struct md_env *env)
{
	struct render	 r;
	struct arena	*own = NULL;
	struct cm_arena	 cm;
	cmark_node	*doc;
	cmark_iter	*it;
	cmark_event_type ev;
	size_t		 i;
	int		 rc = -1;

	memset(&r, 0, sizeof(r));
	r.doc = parent->doc;
	r.top = r.cur = parent;
	r.env = env;
	r.line0 = line0;
	if (env != NULL && env->arena != NULL)
		r.a = env->arena;
	else
		r.a = own = arena_new();
	buf_init(&r.text);
	buf_init(&r.tmp);
	r.locate = env != NULL && env->resolve != NULL;
	if (r.locate)
		src_init(&r.src, text, len);
	if (r.doc != NULL && r.doc->dict != NULL)
		for (i = 0; i < EL__MAX; i++)
			r.name[i] = xmlDictLookup(r.doc->dict,
			    BAD_CAST el_names[i], -1);
	if ((doc = parse(text, len, &cm)) == NULL) {
		diag_error(path, line0 + 1, 0, "cannot parse the body");
		goto out;
	}
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev == CMARK_EVENT_ENTER)
			render_enter(&r, it, cmark_iter_get_node(it));
		else
			render_exit(&r, cmark_iter_get_node(it));
	}
	cmark_iter_free(it);
	r.cur = r.top;
	flush(&r);
	render_backrefs(&r);
	rc = 0;
out:
	cm_release(&cm);
	if (r.locate)
		src_release(&r.src);
	buf_release(&r.text);
	buf_release(&r.tmp);
	arena_free(own);
	return rc;
}
