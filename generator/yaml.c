/*
 * yaml.c: reads one YAML document into a tree of struct yaml_node, the
 * only place that sees libfyaml.  We take libfyaml's event stream rather
 * than its document tree because events carry a start mark for every node
 * (the document API keeps one only for scalars); the mark's input_pos is a
 * byte offset into our text, which gives the byte columns our diagnostics
 * need without recounting characters.  libfyaml's own messages are
 * collected on a diagnostic object of ours and re-issued through diag.h.
 * A node starts at its first character: a quoted scalar at its quote (the
 * mark is after it), a block scalar ('|', '>') at its first line of text,
 * a flow collection at its bracket, a block mapping at its first key.
 *
 * In event mode libfyaml does not look for duplicate keys (that happens in
 * its document builder), so we check them when a mapping ends.  Aliases
 * are resolved by sharing the anchored node: a node may then have several
 * parents, and its position is that of the anchor.  Because a shared node
 * multiplies on every walk (the "billion laughs"), the nodes that aliases
 * add are counted and capped.  Merge keys ("<<") are not YAML 1.2 and are
 * reported rather than half-supported.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libfyaml.h>

#include "diag.h"
#include "util.h"
#include "yaml.h"

/* Deeper documents are refused: readers of the tree recurse. */
#define YAML_MAX_DEPTH		128
/* Nodes that aliases may add to a document. */
#define YAML_MAX_ALIAS_NODES	100000

struct frame {
	struct yaml_node	*node;
	struct yaml_node	*key;		/* map: the key read, if any */
	bool			 have_key;	/* map: next child is a value */
	char			*anchor;	/* malloc'd, or NULL */
	size_t			 weight;	/* nodes, aliases expanded */
};

struct anchor {
	char			*name;		/* malloc'd */
	struct yaml_node	*node;
	size_t			 weight;
};

struct parse {
	const char		*path;
	const char		*text;
	size_t			 len;
	int			 line0;
	struct arena		*arena;
	size_t			*lines;		/* offsets of line starts */
	size_t			 nlines;
	struct frame		*stack;
	size_t			 depth, stackcap;
	struct anchor		*anchors;
	size_t			 nanchors, anchorcap;
	size_t			 alias_nodes;
	struct yaml_node	*root;
	int			 ndocs;
	int			 nerr;
	bool			 stop;
};

static void
index_lines(struct parse *p)
{
	size_t	i, cap = 64;

	p->lines = xreallocarray(NULL, cap, sizeof(*p->lines));
	p->lines[0] = 0;
	p->nlines = 1;
	for (i = 0; i < p->len; i++) {
		if (p->text[i] != '\n')
			continue;
		if (p->nlines == cap) {
			cap *= 2;
			p->lines = xreallocarray(p->lines, cap,
			    sizeof(*p->lines));
		}
		p->lines[p->nlines++] = i + 1;
	}
}

/* File line and byte column of a byte offset into the text. */
static void
position(const struct parse *p, size_t off, int *line, int *col)
{
	size_t	lo = 0, hi = p->nlines, mid;

	if (off > p->len)
		off = p->len;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (p->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = p->line0 + (int)lo + 1;
	*col = (int)(off - p->lines[lo]) + 1;
}

static void
mark_position(const struct parse *p, const struct fy_mark *m, int *line,
    int *col)
{
	if (m == NULL) {
		*line = p->line0 + 1;
		*col = 1;
	} else
		position(p, m->input_pos, line, col);
}

static void PRINTF_LIKE(3, 4)
error_at(struct parse *p, const struct fy_mark *m, const char *fmt, ...)
{
	va_list	ap;
	int	line, col;

	mark_position(p, m, &line, &col);
	va_start(ap, fmt);
	vdiag(DIAG_ERROR, p->path, line, col, fmt, ap);
	va_end(ap);
	p->nerr++;
}

const char *
yaml_excerpt(const char *s, size_t len, char *buf, size_t size)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, o = 0, n, reserve;

	/* Room for the widest character and "...". */
	if (size < 8) {
		if (size > 0)
			buf[0] = '\0';
		return buf;
	}
	/* Characters keep their size, so the text fits or is cut. */
	reserve = len < size ? 1 : 4;
	while (i < len) {
		n = 1;
		if (u[i] >= 0xf0)
			n = 4;
		else if (u[i] >= 0xe0)
			n = 3;
		else if (u[i] >= 0xc0)
			n = 2;
		if (n > len - i)
			n = len - i;
		if (o + n + reserve > size) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (u[i] < 0x20 || u[i] == 0x7f)
			buf[o++] = '?';
		else {
			memcpy(buf + o, s + i, n);
			o += n;
		}
		i += n;
	}
	buf[o] = '\0';
	return buf;
}

/* The start of an event; an implicit document start has none. */
static struct fy_mark
event_mark(struct fy_event *e)
{
	const struct fy_mark	*m;
	struct fy_mark		 none = { 0, -1, -1 };

	m = fy_event_start_mark(e);
	return m != NULL ? *m : none;
}

static struct yaml_node *
new_node(struct parse *p, enum yaml_kind kind, const struct fy_mark *m)
{
	struct yaml_node	*n;

	n = arena_alloc(p->arena, sizeof(*n));
	n->kind = kind;
	mark_position(p, m, &n->line, &n->col);
	return n;
}

static char *
token_text(struct fy_token *t)
{
	const char	*s;
	size_t		 len;

	if (t == NULL || (s = fy_token_get_text(t, &len)) == NULL)
		return NULL;
	return xstrndup(s, len);
}

static void
add_anchor(struct parse *p, char *name, struct yaml_node *n, size_t weight)
{
	if (p->nanchors == p->anchorcap) {
		p->anchorcap = p->anchorcap ? p->anchorcap * 2 : 8;
		p->anchors = xreallocarray(p->anchors, p->anchorcap,
		    sizeof(*p->anchors));
	}
	p->anchors[p->nanchors].name = name;
	p->anchors[p->nanchors].node = n;
	p->anchors[p->nanchors].weight = weight;
	p->nanchors++;
}

static size_t
add_weight(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* Keys that compare equal byte for byte, as libfyaml's builder does. */
struct keyref {
	const struct yaml_node	*key;
	size_t			 i;
};

static int
keyref_cmp(const void *a, const void *b)
{
	const struct keyref	*x = a, *y = b;
	size_t			 n;
	int			 c;

	n = x->key->len < y->key->len ? x->key->len : y->key->len;
	if ((c = memcmp(x->key->str, y->key->str, n)) != 0)
		return c;
	if (x->key->len != y->key->len)
		return x->key->len < y->key->len ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void
check_duplicates(struct parse *p, const struct yaml_node *map)
{
	struct keyref	*refs;
	char		 buf[128];
	size_t		 i;

	if (map->n < 2)
		return;
	refs = xreallocarray(NULL, map->n, sizeof(*refs));
	for (i = 0; i < map->n; i++) {
		refs[i].key = map->pairs[i].key;
		refs[i].i = i;
	}
	qsort(refs, map->n, sizeof(*refs), keyref_cmp);
	for (i = 1; i < map->n; i++) {
		if (refs[i].key->len != refs[i - 1].key->len ||
		    memcmp(refs[i].key->str, refs[i - 1].key->str,
		    refs[i].key->len) != 0)
			continue;
		diag_error(p->path, refs[i].key->line, refs[i].key->col,
		    "duplicate key '%s'", yaml_excerpt(refs[i].key->str,
		    refs[i].key->len, buf, sizeof(buf)));
		p->nerr++;
	}
	free(refs);
}

/* Hands a finished node to its parent, or makes it the root. */
static void
attach(struct parse *p, struct yaml_node *n, size_t weight)
{
	struct frame		*f;
	struct yaml_node	*c;

	if (p->depth == 0) {
		p->root = n;
		return;
	}
	f = &p->stack[p->depth - 1];
	c = f->node;
	f->weight = add_weight(f->weight, weight);
	if (c->kind == YAML_SEQ) {
		c->items = arena_grow(p->arena, c->items, c->n,
		    sizeof(*c->items));
		c->items[c->n++] = n;
		return;
	}
	if (!f->have_key) {
		f->have_key = true;
		f->key = NULL;
		if (n->kind != YAML_SCALAR) {
			diag_error(p->path, n->line, n->col,
			    "a mapping key must be a scalar, not a %s",
			    n->kind == YAML_MAP ? "mapping" : "sequence");
			p->nerr++;
		} else if (n->plain && n->len == 2 &&
		    memcmp(n->str, "<<", 2) == 0) {
			diag_error(p->path, n->line, n->col,
			    "merge keys ('<<') are not supported; "
			    "write the keys out");
			p->nerr++;
		} else
			f->key = n;
		return;
	}
	f->have_key = false;
	if (f->key == NULL)
		return;
	c->pairs = arena_grow(p->arena, c->pairs, c->n, sizeof(*c->pairs));
	c->pairs[c->n].key = f->key;
	c->pairs[c->n].value = n;
	c->n++;
}

static int	check_tag(struct parse *, struct fy_event *, struct fy_token *,
		    bool *);

static void
open_collection(struct parse *p, struct fy_event *e)
{
	struct frame		*f;
	struct fy_token		*anchor, *tag;
	enum yaml_kind		 kind;
	bool			 plain;

	if (p->depth == YAML_MAX_DEPTH) {
		error_at(p, fy_event_start_mark(e),
		    "nesting deeper than %d levels", YAML_MAX_DEPTH);
		p->stop = true;
		return;
	}
	if (p->depth == p->stackcap) {
		p->stackcap = p->stackcap ? p->stackcap * 2 : 16;
		p->stack = xreallocarray(p->stack, p->stackcap,
		    sizeof(*p->stack));
	}
	if (e->type == FYET_MAPPING_START) {
		kind = YAML_MAP;
		anchor = e->mapping_start.anchor;
		tag = e->mapping_start.tag;
	} else {
		kind = YAML_SEQ;
		anchor = e->sequence_start.anchor;
		tag = e->sequence_start.tag;
	}
	check_tag(p, e, tag, &plain);
	f = &p->stack[p->depth++];
	memset(f, 0, sizeof(*f));
	f->node = new_node(p, kind, fy_event_start_mark(e));
	f->anchor = token_text(anchor);
	f->weight = 1;
}

static void
close_collection(struct parse *p)
{
	struct frame	 f;

	f = p->stack[--p->depth];
	if (f.node->kind == YAML_MAP)
		check_duplicates(p, f.node);
	if (f.anchor != NULL)
		add_anchor(p, f.anchor, f.node, f.weight);
	attach(p, f.node, f.weight);
}

/*
 * Core schema tags only: "!!str" makes a scalar a string whatever it looks
 * like, the other scalar tags ask for resolution as if it were plain.
 * Anything else (!!binary, application tags) would be guessed at.
 */
static int
check_tag(struct parse *p, struct fy_event *e, struct fy_token *tag,
    bool *plain)
{
	static const char *const resolved[] = {
		"tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
		"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
		"tag:yaml.org,2002:timestamp",
	};
	static const char *const kept[] = {
		"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!",
	};
	char	*t, buf[128];
	size_t	 i;
	int	 rc = 0;

	if ((t = token_text(tag)) == NULL)
		return 0;
	if (strcmp(t, "tag:yaml.org,2002:str") == 0) {
		*plain = false;
		goto out;
	}
	for (i = 0; i < nitems(resolved); i++)
		if (strcmp(t, resolved[i]) == 0) {
			*plain = true;
			goto out;
		}
	for (i = 0; i < nitems(kept); i++)
		if (strcmp(t, kept[i]) == 0)
			goto out;
	error_at(p, fy_token_start_mark(tag), "unsupported tag '%s'",
	    yaml_excerpt(t, strlen(t), buf, sizeof(buf)));
	rc = -1;
out:
	free(t);
	return rc;
}

static void
scalar(struct parse *p, struct fy_event *e)
{
	struct yaml_node	*n;
	struct fy_mark		 m;
	enum fy_scalar_style	 style;
	const char		*s;
	size_t			 len = 0;
	char			*anchor, q;

	/* libfyaml's mark is after an opening quote; ours is on it. */
	m = event_mark(e);
	style = fy_token_scalar_style(e->scalar.value);
	q = style == FYSS_SINGLE_QUOTED ? '\'' : '"';
	if ((style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) &&
	    m.input_pos > 0 && m.input_pos <= p->len &&
	    p->text[m.input_pos - 1] == q)
		m.input_pos--;
	n = new_node(p, YAML_SCALAR, &m);
	if ((s = fy_token_get_text(e->scalar.value, &len)) == NULL) {
		s = "";
		len = 0;
	}
	n->str = arena_strndup(p->arena, s, len);
	n->len = len;
	n->plain = style == FYSS_PLAIN;
	check_tag(p, e, e->scalar.tag, &n->plain);
	if ((anchor = token_text(e->scalar.anchor)) != NULL)
		add_anchor(p, anchor, n, 1);
	attach(p, n, 1);
}

static void
alias(struct parse *p, struct fy_event *e)
{
	struct anchor		*a = NULL;
	struct yaml_node	*n;
	struct fy_mark		 m;
	char			*name, buf[128];
	size_t			 i;

	/* libfyaml's mark is after the '*'; ours is on it. */
	m = event_mark(e);
	if (m.input_pos > 0 && m.input_pos <= p->len &&
	    p->text[m.input_pos - 1] == '*')
		m.input_pos--;

	name = token_text(e->alias.anchor);
	for (i = p->nanchors; name != NULL && i > 0; i--)
		if (strcmp(p->anchors[i - 1].name, name) == 0) {
			a = &p->anchors[i - 1];
			break;
		}
	if (a == NULL) {
		error_at(p, &m, "unknown alias '*%s'",
		    yaml_excerpt(name ? name : "", name ? strlen(name) : 0,
		    buf, sizeof(buf)));
		/* An empty scalar keeps the tree's shape for the rest. */
		n = new_node(p, YAML_SCALAR, &m);
		n->str = "";
		n->plain = true;
		attach(p, n, 1);
		goto out;
	}
	p->alias_nodes = add_weight(p->alias_nodes, a->weight);
	if (p->alias_nodes > YAML_MAX_ALIAS_NODES) {
		error_at(p, &m, "aliases expand to more than %d nodes",
		    YAML_MAX_ALIAS_NODES);
		p->stop = true;
		goto out;
	}
	attach(p, a->node, a->weight);
out:
	free(name);
}

static void
event(struct parse *p, struct fy_event *e)
{
	struct fy_mark	m;

	/* A second document without "---" is found by its first node. */
	if (p->ndocs > 1 && e->type != FYET_DOCUMENT_START) {
		m = event_mark(e);
		error_at(p, &m, "only one YAML document is allowed here");
		p->stop = true;
		return;
	}
	switch (e->type) {
	case FYET_DOCUMENT_START:
		if (++p->ndocs > 1 && event_mark(e).line >= 0) {
			error_at(p, fy_event_start_mark(e),
			    "only one YAML document is allowed here");
			p->stop = true;
		}
		break;
	case FYET_MAPPING_START:
	case FYET_SEQUENCE_START:
		open_collection(p, e);
		break;
	case FYET_MAPPING_END:
	case FYET_SEQUENCE_END:
		if (p->depth > 0)
			close_collection(p);
		break;
	case FYET_SCALAR:
		scalar(p, e);
		break;
	case FYET_ALIAS:
		alias(p, e);
		break;
	default:
		break;
	}
}

/* libfyaml's output when it is not collecting: dropped, we report. */
static void
fy_output(struct fy_diag *d, void *user, const char *buf, size_t len)
{
}

/*
 * Where the flow collection that text[0..end) leaves open starts: the
 * offset of its '[' or '{', or (size_t)-1.  A bracket opens a collection
 * at the start of a value (after "key:", "- " or at a line's start) or
 * inside another one; quoted text and comments are skipped.  libfyaml
 * reports an unclosed one where it gives up, often lines later.
 */
static size_t
open_flow(const char *t, size_t end)
{
	size_t	open[64], depth = 0, i, k;
	char	q;

	for (i = 0; i < end; i++) {
		switch (t[i]) {
		case '"':
		case '\'':
			if (depth == 0 && i > 0 && t[i - 1] != ' ' &&
			    t[i - 1] != ':' && t[i - 1] != '\n')
				break;
			for (q = t[i++]; i < end && t[i] != q; i++)
				if (q == '"' && t[i] == '\\')
					i++;
			break;
		case '#':
			if (i == 0 || t[i - 1] == ' ' || t[i - 1] == '\n')
				while (i + 1 < end && t[i + 1] != '\n')
					i++;
			break;
		case '[':
		case '{':
			for (k = i; k > 0 && t[k - 1] == ' '; k--)
				continue;
			if (depth > 0 || k == 0 || t[k - 1] == ':' ||
			    t[k - 1] == '-' || t[k - 1] == '\n') {
				if (depth < nitems(open))
					open[depth] = i;
				depth++;
			}
			break;
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			break;
		}
	}
	return depth > 0 && depth <= nitems(open) ? open[depth - 1] :
	    (size_t)-1;
}

/* Re-issues libfyaml's collected errors as ours, at byte positions. */
static void
report_fy_errors(struct parse *p, struct fy_diag *d, bool failed)
{
	struct fy_diag_error	*de;
	const struct fy_mark	*m;
	void			*it = NULL;
	size_t			 start, open;
	char			*msg;
	int			 line, col, n = 0;

	while ((de = fy_diag_errors_iterate(d, &it)) != NULL) {
		if (de->type < FYET_WARNING || de->msg == NULL)
			continue;
		msg = xstrdup(de->msg);
		diag_tidy(msg);
		if (de->fyt != NULL &&
		    (m = fy_token_start_mark(de->fyt)) != NULL)
			position(p, m->input_pos, &line, &col);
		else if (de->line > 0 && (size_t)de->line <= p->nlines) {
			/* libfyaml counts lines from 1, characters from 1. */
			start = p->lines[de->line - 1];
			line = p->line0 + de->line;
			col = utf8_byte_col(p->text + start,
			    de->column > 0 ? de->column - 1 : 0);
		} else {
			position(p, p->len, &line, &col);
		}
		/* At the bracket that is never closed, not where the
		 * parser gave up. */
		if ((strstr(msg, "flow sequence") != NULL ||
		    strstr(msg, "flow mapping") != NULL) &&
		    (open = open_flow(p->text, p->len)) != (size_t)-1) {
			position(p, open, &line, &col);
			free(msg);
			msg = xasprintf("'%c' is never closed: close it with "
			    "'%c', or put text that starts with '%c' in "
			    "quotes", p->text[open], p->text[open] == '[' ?
			    ']' : '}', p->text[open]);
		}
		diag(de->type == FYET_WARNING ? DIAG_WARNING : DIAG_ERROR,
		    p->path, line, col, "%s", msg);
		if (de->type != FYET_WARNING) {
			p->nerr++;
			n++;
		}
		free(msg);
	}
	if (failed && n == 0) {
		position(p, p->len, &line, &col);
		diag_error(p->path, line, col, "invalid YAML");
		p->nerr++;
	}
}

struct yaml_node *
yaml_parse(const char *path, const char *text, size_t len, int line0,
    struct arena *a)
{
	struct parse		 p;
	struct fy_diag_cfg	 dcfg;
	struct fy_parse_cfg	 pcfg;
	struct fy_diag		*d = NULL;
	struct fy_parser	*fyp = NULL;
	struct fy_event		*e;
	struct yaml_node	*root = NULL;
	size_t			 bad, i;
	int			 line, col;

	memset(&p, 0, sizeof(p));
	p.path = path;
	p.text = text;
	p.len = len;
	p.line0 = line0;
	p.arena = a;
	index_lines(&p);

	/* libfyaml would stop at the byte with a less useful message. */
	if (!utf8_valid(text, len, &bad)) {
		position(&p, bad, &line, &col);
		diag_error(path, line, col, "invalid UTF-8");
		goto out;
	}

	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = fy_output;
	dcfg.colorize = false;
	if ((d = fy_diag_create(&dcfg)) == NULL) {
		diag_error(path, 0, 0, "cannot start the YAML parser");
		goto out;
	}
	fy_diag_set_collect_errors(d, true);
	memset(&pcfg, 0, sizeof(pcfg));
	pcfg.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 |
	    FYPCF_DISABLE_MMAP_OPT;
	pcfg.diag = d;
	if ((fyp = fy_parser_create(&pcfg)) == NULL ||
	    fy_parser_set_string(fyp, text, len) != 0) {
		diag_error(path, 0, 0, "cannot start the YAML parser");
		goto out;
	}
	while (!p.stop && (e = fy_parser_parse(fyp)) != NULL) {
		event(&p, e);
		fy_parser_event_free(fyp, e);
	}
	if (!p.stop)
		report_fy_errors(&p, d, fy_parser_get_stream_error(fyp));
	if (p.nerr > 0)
		goto out;

	/* No document, or one with nothing in it: an empty mapping. */
	if (p.root == NULL || (p.root->kind == YAML_SCALAR &&
	    p.root->plain && p.root->len == 0)) {
		p.root = arena_alloc(a, sizeof(*p.root));
		p.root->kind = YAML_MAP;
		p.root->line = line0 + 1;
		p.root->col = 1;
	}
	root = p.root;
out:
	if (fyp != NULL)
		fy_parser_destroy(fyp);
	if (d != NULL)
		fy_diag_destroy(d);
	for (i = 0; i < p.depth; i++)
		free(p.stack[i].anchor);
	for (i = 0; i < p.nanchors; i++)
		free(p.anchors[i].name);
	free(p.anchors);
	free(p.stack);
	free(p.lines);
	return root;
}

const struct yaml_node *
yaml_get(const struct yaml_node *map, const char *key)
{
	size_t	i, len;

	if (map == NULL || map->kind != YAML_MAP)
		return NULL;
	len = strlen(key);
	for (i = 0; i < map->n; i++)
		if (map->pairs[i].key->len == len &&
		    memcmp(map->pairs[i].key->str, key, len) == 0)
			return map->pairs[i].value;
	return NULL;
}

bool
yaml_is_null(const struct yaml_node *n)
{
	if (n == NULL || n->kind != YAML_SCALAR || !n->plain)
		return false;
	return n->len == 0 || strcmp(n->str, "~") == 0 ||
	    strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	    strcmp(n->str, "NULL") == 0;
}

int
yaml_bool(const struct yaml_node *n, bool *v)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	size_t			  i;
	int			  rc = -1;

	if (n == NULL || n->kind != YAML_SCALAR || !n->plain)
		goto out;
	for (i = 0; i < nitems(yes); i++) {
		if (strcasecmp(n->str, yes[i]) == 0) {
			*v = true;
			rc = 0;
		} else if (strcasecmp(n->str, no[i]) == 0) {
			*v = false;
			rc = 0;
		}
	}
out:
	return rc;
}

int
yaml_int(const struct yaml_node *n, long *v)
{
	const char	*s;
	long		 x = 0;
	bool		 neg = false;
	int		 d, rc = -1;

	if (n == NULL || n->kind != YAML_SCALAR || !n->plain)
		goto out;
	s = n->str;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (*s == '\0')
		goto out;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			goto out;
		d = *s - '0';
		/* Accumulate negatively: LONG_MIN has no positive twin. */
		if (x < (LONG_MIN + d) / 10)
			goto out;
		x = x * 10 - d;
	}
	/* A NUL inside a scalar ends the digits early. */
	if ((size_t)(s - n->str) != n->len)
		goto out;
	if (!neg) {
		if (x == LONG_MIN)
			goto out;
		x = -x;
	}
	*v = x;
	rc = 0;
out:
	return rc;
}

void
yaml_warn_unknown(const char *path, const struct yaml_node *map,
    const char *const *known, size_t nknown, const char *where)
{
	const struct yaml_node	*k;
	char			 buf[128];
	size_t			 i, j;

	if (map == NULL || map->kind != YAML_MAP)
		return;
	for (i = 0; i < map->n; i++) {
		k = map->pairs[i].key;
		for (j = 0; j < nknown; j++)
			if (strcmp(k->str, known[j]) == 0)
				break;
		if (j == nknown)
			diag_warning(path, k->line, k->col,
			    "unknown key '%s' in %s",
			    yaml_excerpt(k->str, k->len, buf, sizeof(buf)),
			    where);
	}
}
