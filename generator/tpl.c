/*
 * tpl.c: the template engine.  Templates are well-formed XHTML; attributes
 * in the namespace urn:awaaz:template hold XPath 1.0 expressions evaluated
 * over the data documents (see tpl.h and docs/templates.md).
 *
 * Loading parses every *.html below the templates folder with libxml2 and
 * compiles each into a tree of our own nodes (struct tn): elements with
 * their literal attributes, attribute setters and keyword expressions
 * compiled once, and text.  Names and texts are interned in one libxml2
 * dictionary that the output documents share, so rendering creates nodes
 * that point at the template's strings instead of copying them.  Then
 * includes and extends are resolved into one finished tree per template
 * (shared subtrees, all in one arena), and the parsed documents are freed.
 *
 * Rendering walks that tree with one XPath context: variables come from a
 * lookup function over a small stack (the caller's variables, then the
 * aw:each bindings), so nothing is registered or copied per page.
 *
 * Positions: libxml2 gives an element the line where its start tag ends,
 * and no column for attributes, so we find every start tag and attribute
 * in the file's bytes ourselves; elements and start tags come in the same
 * order, since templates may not declare entities.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "diag.h"
#include "fm.h"
#include "html.h"
#include "l10n.h"
#include "tpl.h"
#include "util.h"

/* A position in a template file, for diagnostics. */
struct place {
	const char	*path;		/* from the set's arena */
	int		 line;
	int		 col;		/* bytes, 1-based */
};

/* One compiled XPath expression and what messages say about it. */
struct expr {
	xmlXPathCompExprPtr	 comp;
	const char		*qname;	/* the attribute, as written */
	const char		*src;	/* its value */
	struct place		 at;
};

enum tn_kind {
	TN_TEXT,
	TN_ELEM,
	TN_GROUP,		/* only its children are output */
};

/* An output attribute: a literal value, or a setter's expression. */
struct tattr {
	const xmlChar	*name;		/* interned */
	const xmlChar	*value;		/* interned, NULL for a setter */
	struct expr	*expr;
};

/*
 * A template node.  After loading the trees are immutable and may share
 * subtrees (an included template appears in every includer).
 */
struct tn {
	enum tn_kind	 kind;
	const xmlChar	*str;		/* element name, or text; interned */
	struct tattr	*attrs;
	size_t		 nattrs;
	struct expr	*each, *cond, *unless, *text, *html;
	const xmlChar	*var;		/* aw:each's NAME, interned */
	struct tn	**kids;
	size_t		 nkids;
	/* Used while loading only. */
	const char	*include;	/* aw:include's template name */
	const char	*block;		/* aw:block's name */
	struct place	 include_at, block_at;
};

struct tpl {
	const char	*name;		/* "partials/nav.html" */
	struct tn	*root;		/* resolved */
};

struct binding {
	const xmlChar	*name;
	xmlNodePtr	 node;		/* NULL: the empty node-set */
};

/* The state of one tpl_render. */
struct render {
	const struct tpl_env	*env;
	xmlDocPtr		 doc;
	xmlNsPtr		 refns;		/* TPL_NS, for references */
	const struct expr	*cur;		/* being evaluated */
	char			 msg[512];	/* why it failed, or "" */
	xmlNodePtr		 node;		/* XPath context node */
	int			 pos, size;	/* position(), last() */
};

struct tpl_set {
	struct arena		*arena;		/* nodes, exprs, names */
	xmlDictPtr		 dict;		/* shared with output docs */
	struct tpl		*tpls;		/* sorted by name */
	size_t			 ntpls;
	xmlXPathCompExprPtr	*comps;		/* to free */
	size_t			 ncomps, capcomps;
	xmlXPathContextPtr	 xp;
	xmlDocPtr		 empty;		/* context outside aw:each */
	xmlHashTablePtr		 warned;	/* aw:t warnings given */
	struct binding		*vars;		/* variable stack */
	size_t			 nvars, capvars;
	struct render		 r;
	char			 msg[512];	/* XPath error while loading */
};

enum fstate {
	F_NEW,
	F_RESOLVING,
	F_DONE,
	F_FAILED,
};

/* One template file while loading. */
struct tfile {
	char		*name;
	char		*path;
	const char	*apath;		/* path, from the set's arena */
	char		*text;
	size_t		 len;
	size_t		*lines;		/* offsets of line starts */
	size_t		 nlines;
	size_t		*tags;		/* offsets of start tags, in order */
	size_t		 ntags, curtag;
	size_t		 doctype;	/* offset of <!DOCTYPE, or -1 */
	xmlDocPtr	 doc;
	struct tn	*root;		/* compiled, unresolved */
	const char	*extends;
	struct place	 extends_at;
	enum fstate	 state;
	struct tn	*resolved;
};

struct load {
	struct tpl_set	*set;
	struct tfile	*files;
	size_t		 nfiles, capfiles;
	struct tfile	*cur;		/* being parsed, for libxml2 errors */
	struct tfile	**stack;	/* templates being resolved */
	size_t		 nstack;
	int		 nerr;
};

/*
 * HTML5 attributes aw:NAME may set (besides data-* and aria-*): global
 * attributes and those of elements, sorted for bsearch.  Event handlers
 * and srcdoc are left out on purpose: data must never become script or
 * markup.  Anything else is taken for a misspelt keyword.
 */
static const char *const html_attrs[] = {
	"abbr", "accept", "accept-charset", "accesskey", "action", "allow",
	"alt", "as", "async", "autocapitalize", "autocomplete", "autofocus",
	"autoplay", "blocking", "charset", "checked", "cite", "class",
	"color", "cols", "colspan", "content", "contenteditable", "controls",
	"coords", "crossorigin", "data", "datetime", "decoding", "default",
	"defer", "dir", "dirname", "disabled", "download", "draggable",
	"enctype", "enterkeyhint", "fetchpriority", "for", "form",
	"formaction", "formenctype", "formmethod", "formnovalidate",
	"formtarget", "headers", "height", "hidden", "high", "href",
	"hreflang", "http-equiv", "id", "imagesizes", "imagesrcset", "inert",
	"inputmode", "integrity", "is", "ismap", "itemid", "itemprop",
	"itemref", "itemscope", "itemtype", "kind", "label", "lang", "list",
	"loading", "loop", "low", "max", "maxlength", "media", "method", "min",
	"minlength", "multiple", "muted", "name", "nomodule", "nonce",
	"novalidate", "open", "optimum", "pattern", "ping", "placeholder",
	"playsinline", "popover", "popovertarget", "popovertargetaction",
	"poster", "preload", "readonly", "referrerpolicy", "rel", "required",
	"reversed", "role", "rows", "rowspan", "sandbox", "scope", "selected",
	"shadowrootmode", "shape", "size", "sizes", "slot", "span",
	"spellcheck", "src", "srclang", "srcset", "start", "step", "style",
	"tabindex", "target", "title", "translate", "type", "usemap", "value",
	"width", "wrap",
};

/* XPath 1.0's functions, sorted. */
static const char *const xpath_functions[] = {
	"boolean", "ceiling", "concat", "contains", "count", "false", "floor",
	"id", "lang", "last", "local-name", "name", "namespace-uri",
	"normalize-space", "not", "number", "position", "round",
	"starts-with", "string", "string-length", "substring",
	"substring-after", "substring-before", "sum", "translate", "true",
};

/* Ours, in TPL_NS. */
static const char *const aw_functions[] = { "date", "number", "t" };

static int
cmp_str(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static bool
in_list(const char *s, const char *const *list, size_t n)
{
	return bsearch(s, list, n, sizeof(*list), cmp_str) != NULL;
}

static bool
is_tpl_ns(const xmlNs *ns)
{
	return ns != NULL && ns->href != NULL &&
	    strcmp((const char *)ns->href, TPL_NS) == 0;
}

/*
 * A library's message as ours: first letter lower case, no trailing
 * newline or period.
 */
static void
tidy_message(char *dst, size_t size, const char *msg)
{
	snprintf(dst, size, "%s", msg == NULL ? "unknown error" : msg);
	diag_tidy(dst);
}

/* strerror(errno) in the style of our messages (a static buffer). */
static const char *
errno_message(void)
{
	static char	buf[256];

	tidy_message(buf, sizeof(buf), strerror(errno));
	return buf;
}

static void
silent(void *ctx, const char *fmt, ...)
{
}

/*
 * Positions.
 */

static void
index_lines(struct tfile *f)
{
	size_t	i, cap = 64;

	f->lines = xreallocarray(NULL, cap, sizeof(*f->lines));
	f->lines[0] = 0;
	f->nlines = 1;
	for (i = 0; i < f->len; i++) {
		if (f->text[i] != '\n')
			continue;
		if (f->nlines == cap) {
			cap *= 2;
			f->lines = xreallocarray(f->lines, cap,
			    sizeof(*f->lines));
		}
		f->lines[f->nlines++] = i + 1;
	}
}

static struct place
place_at(const struct tfile *f, size_t off)
{
	struct place	p;
	size_t		lo = 0, hi = f->nlines, mid;

	/* The last line starting at or before off. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (f->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	p.path = f->apath;
	p.line = (int)lo + 1;
	p.col = (int)(off - f->lines[lo]) + 1;
	return p;
}

/* Skips past the first occurrence of end at or after p, or to the end. */
static const char *
skip_past(const char *p, const char *lim, const char *end)
{
	const char	*q;

	q = memmem(p, (size_t)(lim - p), end, strlen(end));
	return q == NULL ? lim : q + strlen(end);
}

/* Skips a tag from its '<' to after its '>', minding quoted values. */
static const char *
skip_tag(const char *p, const char *lim)
{
	char	quote = 0;

	for (p++; p < lim; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'')
			quote = *p;
		else if (*p == '>')
			return p + 1;
	}
	return lim;
}

/* Skips <!DOCTYPE ...>, with its internal subset if any. */
static const char *
skip_doctype(const char *p, const char *lim)
{
	char	quote = 0;
	int	depth = 0;

	for (p++; p < lim; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'')
			quote = *p;
		else if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		else if (*p == '>' && depth <= 0)
			return p + 1;
	}
	return lim;
}

/* Finds the start tags of f, in document order. */
static void
index_tags(struct tfile *f)
{
	const char	*s = f->text, *lim = f->text + f->len, *p;
	size_t		 cap = 64;

	f->tags = xreallocarray(NULL, cap, sizeof(*f->tags));
	f->ntags = 0;
	f->doctype = (size_t)-1;
	p = s;
	while ((p = memchr(p, '<', (size_t)(lim - p))) != NULL) {
		if (lim - p >= 4 && memcmp(p, "<!--", 4) == 0)
			p = skip_past(p + 4, lim, "-->");
		else if (lim - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0)
			p = skip_past(p + 9, lim, "]]>");
		else if (lim - p >= 2 && memcmp(p, "<?", 2) == 0)
			p = skip_past(p + 2, lim, "?>");
		else if (lim - p >= 2 && memcmp(p, "<!", 2) == 0) {
			if (f->doctype == (size_t)-1)
				f->doctype = (size_t)(p - s);
			p = skip_doctype(p, lim);
		} else if (lim - p >= 2 && p[1] == '/')
			p = skip_tag(p, lim);
		else {
			if (f->ntags == cap) {
				cap *= 2;
				f->tags = xreallocarray(f->tags, cap,
				    sizeof(*f->tags));
			}
			f->tags[f->ntags++] = (size_t)(p - s);
			p = skip_tag(p, lim);
		}
	}
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The offset of attribute qname in the start tag at off, or off itself
 * when it is not found.
 */
static size_t
find_attr(const struct tfile *f, size_t off, const char *qname)
{
	const char	*p = f->text + off, *lim = f->text + f->len, *name;
	size_t		 n = strlen(qname);
	char		 quote;

	for (p++; p < lim && !is_space(*p) && *p != '>' && *p != '/'; p++)
		continue;
	while (p < lim) {
		while (p < lim && is_space(*p))
			p++;
		if (p == lim || *p == '>' || *p == '/')
			break;
		name = p;
		while (p < lim && !is_space(*p) && *p != '=' && *p != '>')
			p++;
		if ((size_t)(p - name) == n && memcmp(name, qname, n) == 0)
			return (size_t)(name - f->text);
		while (p < lim && is_space(*p))
			p++;
		if (p == lim || *p != '=')
			break;
		p++;
		while (p < lim && is_space(*p))
			p++;
		if (p == lim || (*p != '"' && *p != '\''))
			break;
		quote = *p++;
		while (p < lim && *p != quote)
			p++;
		p++;
	}
	return off;
}

/*
 * Loading: errors from libxml2 (parser and XPath compiler) arrive here.
 */
static void
load_error(void *data, xmlErrorPtr e)
{
	struct load	*ld = data;
	struct tfile	*f = ld->cur;
	char		 msg[512];
	int		 col = 0;

	if (e->domain == XML_FROM_XPATH) {
		if (ld->set->msg[0] == '\0')
			tidy_message(ld->set->msg, sizeof(ld->set->msg),
			    e->message);
		return;
	}
	if (f == NULL)
		return;
	tidy_message(msg, sizeof(msg), e->message);
	if (e->line > 0 && (size_t)e->line <= f->nlines && e->int2 > 0)
		col = utf8_byte_col(f->text + f->lines[e->line - 1],
		    e->int2 - 1);
	if (e->level == XML_ERR_WARNING)
		diag_warning(f->path, e->line, col, "%s", msg);
	else {
		diag_error(f->path, e->line, col, "%s", msg);
		ld->nerr++;
		f->state = F_FAILED;
	}
}

/* Every *.html below dir (rel is the name so far, or NULL). */
static void
list_files(struct load *ld, const char *dir, const char *rel)
{
	DIR		 *d;
	struct dirent	 *de;
	struct stat	  st;
	struct tfile	 *f;
	char		 *full, *name;

	if ((d = opendir(dir)) == NULL) {
		diag_error(dir, 0, 0, "cannot read the templates folder: %s",
		    errno_message());
		ld->nerr++;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		full = path_join(dir, de->d_name);
		name = rel == NULL ? xstrdup(de->d_name) :
		    xasprintf("%s/%s", rel, de->d_name);
		if (stat(full, &st) == -1) {
			free(full);
			free(name);
			continue;
		}
		if (S_ISDIR(st.st_mode))
			list_files(ld, full, name);
		else if (S_ISREG(st.st_mode) && has_suffix(name, ".html")) {
			if (ld->nfiles == ld->capfiles) {
				ld->capfiles = ld->capfiles ? ld->capfiles * 2 :
				    16;
				ld->files = xreallocarray(ld->files,
				    ld->capfiles, sizeof(*ld->files));
			}
			f = &ld->files[ld->nfiles++];
			memset(f, 0, sizeof(*f));
			f->name = name;
			f->path = full;
			continue;
		}
		free(full);
		free(name);
	}
	closedir(d);
}

static int
cmp_tfile(const void *a, const void *b)
{
	return strcmp(((const struct tfile *)a)->name,
	    ((const struct tfile *)b)->name);
}

static struct tfile *
find_file(struct load *ld, const char *name)
{
	struct tfile	key;

	key.name = (char *)name;
	if (ld->nfiles == 0)
		return NULL;
	return bsearch(&key, ld->files, ld->nfiles, sizeof(*ld->files),
	    cmp_tfile);
}

/*
 * Compiling.
 */

static void *
oom_check(void *p)
{
	if (p == NULL) {
		fputs("awaaz: out of memory\n", stderr);
		exit(3);
	}
	return p;
}

static const xmlChar *
intern(struct tpl_set *s, const char *str, int len)
{
	return oom_check((void *)xmlDictLookup(s->dict, (const xmlChar *)str,
	    len));
}

static struct place
attr_place(const struct tfile *f, size_t tag, const char *qname)
{
	return place_at(f, find_attr(f, tag, qname));
}

static bool
is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c >= 0x80;
}

static bool
is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' ||
	    c == '.';
}

static bool
known_function(const char *prefix, const char *local, xmlNodePtr el)
{
	if (prefix == NULL)
		return in_list(local, xpath_functions,
		    nitems(xpath_functions)) ||
		    strcmp(local, "node") == 0 || strcmp(local, "text") == 0 ||
		    strcmp(local, "comment") == 0 ||
		    strcmp(local, "processing-instruction") == 0;
	return is_tpl_ns(xmlSearchNs(el->doc, el, (const xmlChar *)prefix)) &&
	    in_list(local, aw_functions, nitems(aw_functions));
}

/*
 * Finds a call, in a syntactically valid XPath expression, of a function
 * no one provides: XPath's own are unprefixed, ours have a prefix bound
 * to TPL_NS at el.  Returns the name as written (malloc'd) or NULL.  A
 * name followed by "(" is a call unless it is a node type test; a name
 * right after an operand is an operator (and, or, div, mod).
 */
static char *
unknown_function(const char *src, xmlNodePtr el)
{
	const char	*p = src, *name, *colon, *q;
	char		*prefix, *local, *bad = NULL;
	bool		 operand = false;	/* the last token was one */

	while (*p != '\0' && bad == NULL) {
		if (is_space(*p)) {
			p++;
		} else if (*p == '\'' || *p == '"') {
			q = strchr(p + 1, *p);
			p = q == NULL ? p + strlen(p) : q + 1;
			operand = true;
		} else if ((*p >= '0' && *p <= '9') ||
		    (*p == '.' && p[1] >= '0' && p[1] <= '9')) {
			while ((*p >= '0' && *p <= '9') || *p == '.')
				p++;
			operand = true;
		} else if (*p == '.') {
			p += p[1] == '.' ? 2 : 1;
			operand = true;
		} else if (*p == '$') {
			for (p++; is_name_char(*p) || *p == ':'; p++)
				continue;
			operand = true;
		} else if (*p == ')' || *p == ']') {
			p++;
			operand = true;
		} else if (*p == '*') {
			p++;
			operand = !operand;	/* a name test, or multiply */
		} else if (is_name_start(*p)) {
			name = p;
			colon = NULL;
			while (is_name_char(*p))
				p++;
			if (*p == ':' && (is_name_start(p[1]) || p[1] == '*')) {
				colon = p++;
				if (*p == '*')
					p++;
				while (is_name_char(*p))
					p++;
			}
			if (operand) {
				operand = false;
				continue;
			}
			operand = true;
			for (q = p; is_space(*q); q++)
				continue;
			if (*q != '(')
				continue;
			if (colon == NULL) {
				prefix = NULL;
				local = xstrndup(name, (size_t)(p - name));
			} else {
				prefix = xstrndup(name, (size_t)(colon - name));
				local = xstrndup(colon + 1,
				    (size_t)(p - colon - 1));
			}
			if (!known_function(prefix, local, el))
				bad = xstrndup(name, (size_t)(p - name));
			free(prefix);
			free(local);
		} else {
			/* ( [ , @ :: / // | + - = != < <= > >= */
			p++;
			operand = false;
		}
	}
	return bad;
}

/*
 * Compiles src, the value of attribute qname (for aw:each, the part after
 * "NAME in").  Returns NULL after printing an error.
 */
static struct expr *
compile(struct load *ld, xmlNodePtr el, const char *qname, const char *value,
    const char *src, struct place at)
{
	struct tpl_set		*s = ld->set;
	struct expr		*e;
	xmlXPathCompExprPtr	 comp;
	char			*bad;

	s->msg[0] = '\0';
	comp = xmlXPathCtxtCompile(s->xp, (const xmlChar *)src);
	if (comp == NULL) {
		diag_error(at.path, at.line, at.col,
		    "XPath syntax error in %s=\"%s\": %s", qname, value,
		    s->msg[0] != '\0' ? s->msg : "invalid expression");
		ld->nerr++;
		return NULL;
	}
	if (s->ncomps == s->capcomps) {
		s->capcomps = s->capcomps ? s->capcomps * 2 : 64;
		s->comps = xreallocarray(s->comps, s->capcomps,
		    sizeof(*s->comps));
	}
	s->comps[s->ncomps++] = comp;
	if ((bad = unknown_function(src, el)) != NULL) {
		diag_error(at.path, at.line, at.col,
		    "XPath error in %s=\"%s\": unknown function '%s'", qname,
		    value, bad);
		free(bad);
		ld->nerr++;
		return NULL;
	}
	e = arena_alloc(s->arena, sizeof(*e));
	e->comp = comp;
	e->qname = arena_strdup(s->arena, qname);
	e->src = arena_strdup(s->arena, value);
	e->at = at;
	return e;
}

static char *
qname_of(const xmlChar *prefix, const xmlChar *name)
{
	if (prefix != NULL)
		return xasprintf("%s:%s", prefix, name);
	return xstrdup((const char *)name);
}

/* Parses "NAME in EXPR": sets *name (interned) and returns EXPR. */
static const char *
parse_each(struct tpl_set *s, const char *v, const xmlChar **name)
{
	const char	*p = v, *start;

	while (is_space(*p))
		p++;
	start = p;
	if (!is_name_start((unsigned char)*p))
		return NULL;
	while (is_name_char((unsigned char)*p))
		p++;
	if (!is_space(*p))
		return NULL;
	*name = intern(s, start, (int)(p - start));
	while (is_space(*p))
		p++;
	if (strncmp(p, "in", 2) != 0 || !is_space(p[2]))
		return NULL;
	return p + 3;
}

/* A growable array while compiling, copied into the arena when done. */
struct vec {
	void	*v;
	size_t	 n, cap;
};

static void *
vec_push(struct vec *v, size_t size)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->v = xreallocarray(v->v, v->cap, size);
	}
	return (char *)v->v + v->n++ * size;
}

static void *
vec_finish(struct vec *v, size_t size, struct arena *a)
{
	void	*p = NULL;

	if (v->n > 0) {
		p = arena_alloc(a, v->n * size);
		memcpy(p, v->v, v->n * size);
	}
	free(v->v);
	v->v = NULL;
	return p;
}

static struct tn *
new_tn(struct tpl_set *s, enum tn_kind kind, const xmlChar *str)
{
	struct tn	*t;

	t = arena_alloc(s->arena, sizeof(*t));
	t->kind = kind;
	t->str = str;
	return t;
}

static struct tn	*compile_elem(struct load *, struct tfile *, xmlNodePtr,
			    bool);

static void
compile_kids(struct load *ld, struct tfile *f, xmlNodePtr el, struct tn *t)
{
	struct tpl_set	*s = ld->set;
	xmlNodePtr	 c;
	struct buf	 text;
	struct vec	 kids;

	memset(&kids, 0, sizeof(kids));
	buf_init(&text);
	for (c = el->children; ; c = c->next) {
		if (c != NULL && (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE)) {
			if (c->content != NULL)
				buf_adds(&text, (const char *)c->content);
			continue;
		}
		/* Comments and processing instructions are dropped, so texts
		   on either side of one become one. */
		if (c != NULL && c->type != XML_ELEMENT_NODE)
			continue;
		if (text.len > 0) {
			*(struct tn **)vec_push(&kids, sizeof(struct tn *)) =
			    new_tn(s, TN_TEXT, intern(s, text.data,
			    (int)text.len));
			buf_reset(&text);
		}
		if (c == NULL)
			break;
		*(struct tn **)vec_push(&kids, sizeof(struct tn *)) =
		    compile_elem(ld, f, c, false);
	}
	buf_release(&text);
	t->nkids = kids.n;
	t->kids = vec_finish(&kids, sizeof(struct tn *), s->arena);
}

/* An attribute in source order, before setters hide literals. */
struct pattr {
	struct tattr	 a;
	bool		 xml_lang;
};

/* Compiles one attribute in TPL_NS of element el into t. */
static void
compile_keyword(struct load *ld, struct tfile *f, xmlNodePtr el,
    struct tn *t, xmlAttrPtr a, size_t tag, bool root, struct vec *attrs)
{
	struct tpl_set	*s = ld->set;
	const char	*name = (const char *)a->name, *src;
	char		*qname, *value;
	struct place	 at;
	struct expr	*e;
	struct pattr	*pa;

	qname = qname_of(a->ns->prefix, a->name);
	value = (char *)xmlNodeListGetString(el->doc, a->children, 1);
	if (value == NULL)
		value = (char *)oom_check(xmlStrdup((const xmlChar *)""));
	at = attr_place(f, tag, qname);

	if (strcmp(name, "extends") == 0) {
		if (!root) {
			diag_error(at.path, at.line, at.col,
			    "'%s' belongs on the root element", qname);
			ld->nerr++;
		} else {
			f->extends = arena_strdup(s->arena, value);
			f->extends_at = at;
		}
	} else if (strcmp(name, "include") == 0) {
		t->include = arena_strdup(s->arena, value);
		t->include_at = at;
	} else if (strcmp(name, "block") == 0) {
		if (*value == '\0') {
			diag_error(at.path, at.line, at.col,
			    "'%s' needs a block name", qname);
			ld->nerr++;
		} else {
			t->block = arena_strdup(s->arena, value);
			t->block_at = at;
		}
	} else if (strcmp(name, "each") == 0) {
		if ((src = parse_each(s, value, &t->var)) == NULL) {
			diag_error(at.path, at.line, at.col,
			    "%s=\"%s\" is not 'NAME in EXPRESSION'", qname,
			    value);
			ld->nerr++;
		} else
			t->each = compile(ld, el, qname, value, src, at);
	} else if (strcmp(name, "if") == 0) {
		t->cond = compile(ld, el, qname, value, value, at);
	} else if (strcmp(name, "unless") == 0) {
		t->unless = compile(ld, el, qname, value, value, at);
	} else if (strcmp(name, "text") == 0) {
		t->text = compile(ld, el, qname, value, value, at);
	} else if (strcmp(name, "html") == 0) {
		t->html = compile(ld, el, qname, value, value, at);
	} else if (in_list(name, html_attrs, nitems(html_attrs)) ||
	    strncmp(name, "data-", 5) == 0 || strncmp(name, "aria-", 5) == 0) {
		if (t->kind == TN_GROUP) {
			diag_error(at.path, at.line, at.col,
			    "attribute '%s' of 'aw:group' is never written",
			    qname);
			ld->nerr++;
		} else if ((e = compile(ld, el, qname, value, value,
		    at)) != NULL) {
			pa = vec_push(attrs, sizeof(*pa));
			memset(pa, 0, sizeof(*pa));
			pa->a.name = intern(s, name, -1);
			pa->a.expr = e;
		}
	} else {
		diag_error(at.path, at.line, at.col,
		    "unknown template keyword '%s'", qname);
		ld->nerr++;
	}
	free(qname);
	xmlFree(value);
}

/*
 * The attributes an element writes, in source order: a setter hides a
 * literal of the same name (the literal is what a browser shows of the
 * template as it is), and xml:lang is written lang unless the element
 * has a lang already.
 */
static void
finish_attrs(struct tpl_set *s, struct tn *t, struct pattr *pa, size_t n)
{
	const xmlChar	*lang = intern(s, "lang", 4);
	size_t		 i, j, k;
	bool		 hidden;

	t->attrs = n == 0 ? NULL : arena_alloc(s->arena,
	    n * sizeof(*t->attrs));
	for (i = 0; i < n; i++) {
		hidden = false;
		for (j = 0; j < n && !hidden; j++) {
			if (j == i || pa[j].a.name != pa[i].a.name)
				continue;
			if (pa[i].a.expr == NULL && pa[j].a.expr != NULL)
				hidden = true;
			else if (pa[i].xml_lang && !pa[j].xml_lang)
				hidden = true;
		}
		for (k = 0; k < t->nattrs && !hidden; k++)
			if (t->attrs[k].name == pa[i].a.name)
				hidden = true;
		if (pa[i].xml_lang && pa[i].a.name != lang)
			hidden = true;
		if (!hidden)
			t->attrs[t->nattrs++] = pa[i].a;
	}
}

static struct tn *
compile_elem(struct load *ld, struct tfile *f, xmlNodePtr el, bool root)
{
	struct tpl_set	*s = ld->set;
	struct tn	*t;
	struct vec	 attrs;
	struct pattr	*pa;
	size_t		 tag, i;
	xmlAttrPtr	 a;
	xmlNsPtr	 ns;
	struct place	 at;
	char		*value, *qname;

	memset(&attrs, 0, sizeof(attrs));
	tag = f->curtag < f->ntags ? f->tags[f->curtag] : 0;
	f->curtag++;
	t = new_tn(s, TN_ELEM, intern(s, (const char *)el->name, -1));

	/* A prefix bound to TPL_NS anywhere names our functions. */
	for (ns = el->nsDef; ns != NULL; ns = ns->next)
		if (is_tpl_ns(ns) && ns->prefix != NULL)
			xmlXPathRegisterNs(s->xp, ns->prefix, ns->href);

	if (is_tpl_ns(el->ns)) {
		t->kind = TN_GROUP;
		if (strcmp((const char *)el->name, "group") != 0) {
			at = place_at(f, tag + 1);
			qname = qname_of(el->ns->prefix, el->name);
			diag_error(at.path, at.line, at.col,
			    "unknown template keyword '%s'", qname);
			free(qname);
			ld->nerr++;
		}
	}

	for (a = el->properties; a != NULL; a = a->next) {
		if (is_tpl_ns(a->ns)) {
			compile_keyword(ld, f, el, t, a, tag, root, &attrs);
			continue;
		}
		if (t->kind == TN_GROUP) {
			qname = qname_of(a->ns ? a->ns->prefix : NULL,
			    a->name);
			value = qname_of(el->ns->prefix, el->name);
			at = attr_place(f, tag, qname);
			diag_error(at.path, at.line, at.col,
			    "attribute '%s' of '%s' is never written", qname,
			    value);
			free(value);
			free(qname);
			ld->nerr++;
			continue;
		}
		value = (char *)xmlNodeListGetString(el->doc, a->children, 1);
		pa = vec_push(&attrs, sizeof(*pa));
		memset(pa, 0, sizeof(*pa));
		pa->a.name = intern(s, (const char *)a->name, -1);
		pa->a.value = intern(s, value ? value : "", -1);
		pa->xml_lang = a->ns != NULL && a->ns->prefix != NULL &&
		    strcmp((const char *)a->ns->prefix, "xml") == 0;
		xmlFree(value);
	}
	finish_attrs(s, t, attrs.v, attrs.n);
	free(attrs.v);

	if (t->text != NULL && t->html != NULL) {
		diag_error(t->html->at.path, t->html->at.line, t->html->at.col,
		    "'%s' and '%s' cannot be used together", t->text->qname,
		    t->html->qname);
		ld->nerr++;
	}

	/* The placeholder of an aw:include is compiled (and checked) too,
	   and also keeps the start tags in step. */
	compile_kids(ld, f, el, t);

	if (t->include != NULL) {
		for (i = 0; i < t->nattrs; i++)
			if (t->attrs[i].expr != NULL)
				break;
		if (t->text != NULL || t->html != NULL || i < t->nattrs) {
			diag_error(t->include_at.path, t->include_at.line,
			    t->include_at.col, "aw:include replaces the "
			    "element: aw:text, aw:html and attribute setters "
			    "cannot go with it");
			ld->nerr++;
		}
		/* The included root takes the element's place; each, if
		   and unless still apply. */
		t->kind = TN_GROUP;
		t->nattrs = 0;
		t->nkids = 0;
	}
	return t;
}

/* Whether the document declares entities, which templates may not. */
static bool
declares_entities(xmlDocPtr doc)
{
	xmlDtdPtr	dtd = doc->intSubset;

	return dtd != NULL && ((dtd->entities != NULL &&
	    xmlHashSize(dtd->entities) > 0) || (dtd->pentities != NULL &&
	    xmlHashSize(dtd->pentities) > 0));
}

static void
parse_file(struct load *ld, struct tfile *f)
{
	struct tpl_set	*s = ld->set;
	xmlNodePtr	 root;
	struct place	 at;

	f->apath = arena_strdup(s->arena, f->path);
	if (file_read(f->path, &f->text, &f->len) == -1) {
		diag_error(f->path, 0, 0, "cannot read the template: %s",
		    errno_message());
		ld->nerr++;
		f->state = F_FAILED;
		return;
	}
	index_lines(f);
	index_tags(f);
	ld->cur = f;
	f->doc = xmlReadMemory(f->text, (int)f->len, f->path, "UTF-8",
	    XML_PARSE_NONET);
	ld->cur = NULL;
	if (f->doc == NULL || f->state == F_FAILED) {
		if (f->state != F_FAILED) {
			diag_error(f->path, 0, 0, "cannot parse the template");
			ld->nerr++;
		}
		f->state = F_FAILED;
		return;
	}
	if (declares_entities(f->doc)) {
		at = place_at(f, f->doctype == (size_t)-1 ? 0 : f->doctype);
		diag_error(at.path, at.line, at.col,
		    "templates may not declare entities");
		ld->nerr++;
		f->state = F_FAILED;
		return;
	}
	root = xmlDocGetRootElement(f->doc);
	/* Elements before the root's would be in the prolog: none. */
	f->root = compile_elem(ld, f, root, true);
}

/*
 * Resolving includes and extends.
 */

static int	resolve(struct load *, struct tfile *);

/* The resolved template name, for t's include or f's extends. */
static struct tfile *
target(struct load *ld, const char *name, struct place at, bool extends)
{
	struct tfile	*g;
	struct buf	 b;
	size_t		 i;

	if ((g = find_file(ld, name)) == NULL) {
		diag_error(at.path, at.line, at.col,
		    "template '%s' not found", name);
		ld->nerr++;
		return NULL;
	}
	if (g->state == F_RESOLVING) {
		buf_init(&b);
		for (i = 0; i < ld->nstack && ld->stack[i] != g; i++)
			continue;
		for (; i < ld->nstack; i++)
			buf_printf(&b, "'%s' -> ", ld->stack[i]->name);
		buf_printf(&b, "'%s'", g->name);
		diag_error(at.path, at.line, at.col, "%s cycle: %s",
		    extends ? "extends" : "include", b.data);
		buf_release(&b);
		ld->nerr++;
		return NULL;
	}
	if (resolve(ld, g) == -1)
		return NULL;
	return g;
}

/* Replaces includes in t and below (t is f's own). */
static int
resolve_includes(struct load *ld, struct tn *t)
{
	struct tfile	*g;
	size_t		 i;
	int		 rc = 0;

	if (t->include != NULL) {
		if ((g = target(ld, t->include, t->include_at, false)) ==
		    NULL)
			return -1;
		t->kids = arena_alloc(ld->set->arena, sizeof(*t->kids));
		t->kids[0] = g->resolved;
		t->nkids = 1;
		return 0;
	}
	for (i = 0; i < t->nkids; i++)
		if (resolve_includes(ld, t->kids[i]) == -1)
			rc = -1;
	return rc;
}

struct block {
	struct tn	*tn;
	bool		 used;
};

/* The blocks of an extending template, outermost only. */
static void
collect_blocks(struct load *ld, struct tn *t, struct vec *v)
{
	struct block	*b;
	struct tn	*k;
	size_t		 i, j;

	for (i = 0; i < t->nkids; i++) {
		k = t->kids[i];
		if (k->block == NULL) {
			collect_blocks(ld, k, v);
			continue;
		}
		b = v->v;
		for (j = 0; j < v->n; j++)
			if (strcmp(b[j].tn->block, k->block) == 0) {
				diag_error(k->block_at.path, k->block_at.line,
				    k->block_at.col,
				    "block '%s' is defined twice", k->block);
				ld->nerr++;
				break;
			}
		b = vec_push(v, sizeof(*b));
		b->tn = k;
		b->used = false;
	}
}

/*
 * The base's tree with the named blocks replaced: the nodes on the way to
 * a replaced block are copied, the rest is shared.
 */
static struct tn *
replace_blocks(struct tpl_set *s, struct tn *t, struct block *blocks,
    size_t n)
{
	struct tn	*c, *k, **kids = NULL;
	size_t		 i;

	if (t->block != NULL)
		for (i = 0; i < n; i++)
			if (strcmp(blocks[i].tn->block, t->block) == 0) {
				blocks[i].used = true;
				return blocks[i].tn;
			}
	for (i = 0; i < t->nkids; i++) {
		k = replace_blocks(s, t->kids[i], blocks, n);
		if (k == t->kids[i])
			continue;
		if (kids == NULL) {
			kids = arena_alloc(s->arena, t->nkids * sizeof(*kids));
			memcpy(kids, t->kids, t->nkids * sizeof(*kids));
		}
		kids[i] = k;
	}
	if (kids == NULL)
		return t;
	c = arena_alloc(s->arena, sizeof(*c));
	*c = *t;
	c->kids = kids;
	return c;
}

static int
resolve_extends(struct load *ld, struct tfile *f)
{
	struct tfile	*base;
	struct vec	 v;
	struct block	*b;
	size_t		 i;
	int		 rc = -1;

	memset(&v, 0, sizeof(v));
	collect_blocks(ld, f->root, &v);
	b = v.v;
	for (i = 0; i < v.n; i++)
		if (resolve_includes(ld, b[i].tn) == -1)
			goto out;
	if ((base = target(ld, f->extends, f->extends_at, true)) == NULL)
		goto out;
	f->resolved = replace_blocks(ld->set, base->resolved, b, v.n);
	rc = 0;
	for (i = 0; i < v.n; i++)
		if (!b[i].used) {
			diag_error(b[i].tn->block_at.path,
			    b[i].tn->block_at.line, b[i].tn->block_at.col,
			    "no block '%s' in '%s'", b[i].tn->block,
			    f->extends);
			ld->nerr++;
			rc = -1;
		}
out:
	free(v.v);
	return rc;
}

static int
resolve(struct load *ld, struct tfile *f)
{
	int	rc;

	if (f->state == F_DONE)
		return 0;
	if (f->state == F_FAILED)
		return -1;
	f->state = F_RESOLVING;
	ld->stack = xreallocarray(ld->stack, ld->nstack + 1,
	    sizeof(*ld->stack));
	ld->stack[ld->nstack++] = f;
	if (f->extends != NULL)
		rc = resolve_extends(ld, f);
	else {
		rc = resolve_includes(ld, f->root);
		f->resolved = f->root;
	}
	ld->nstack--;
	f->state = rc == -1 ? F_FAILED : F_DONE;
	return rc;
}

/*
 * Rendering.
 */

/* Errors from libxml2 while rendering: the first says why. */
static void
render_error(void *data, xmlErrorPtr e)
{
	struct tpl_set	*s = data;

	if (s->r.msg[0] == '\0')
		tidy_message(s->r.msg, sizeof(s->r.msg), e->message);
}

/* Sets the reason for the failure of the expression being evaluated. */
static void PRINTF_LIKE(2, 3)
set_reason(struct tpl_set *s, const char *fmt, ...)
{
	va_list	ap;

	if (s->r.msg[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(s->r.msg, sizeof(s->r.msg), fmt, ap);
	va_end(ap);
}

static void
runtime_error(struct tpl_set *s, const struct expr *e)
{
	const char	*page = s->r.env->page_path;

	diag_error(e->at.path, e->at.line, e->at.col,
	    "XPath error in %s=\"%s\": %s%s%s%s", e->qname, e->src,
	    s->r.msg[0] != '\0' ? s->r.msg : "evaluation failed",
	    page != NULL ? " (rendering " : "", page != NULL ? page : "",
	    page != NULL ? ")" : "");
}

static void
prepare(struct tpl_set *s, const struct expr *e)
{
	xmlXPathContextPtr	xp = s->xp;

	s->r.msg[0] = '\0';
	s->r.cur = e;
	xp->node = s->r.node;
	xp->doc = s->r.node->doc;
	xp->proximityPosition = s->r.pos;
	xp->contextSize = s->r.size;
}

/* Evaluates e; NULL after printing an error. */
static xmlXPathObjectPtr
eval(struct tpl_set *s, const struct expr *e)
{
	xmlXPathObjectPtr	obj;

	prepare(s, e);
	if ((obj = xmlXPathCompiledEval(e->comp, s->xp)) == NULL)
		runtime_error(s, e);
	return obj;
}

/* e as a boolean: 1, 0, or -1 after printing an error. */
static int
eval_bool(struct tpl_set *s, const struct expr *e)
{
	int	b;

	prepare(s, e);
	if ((b = xmlXPathCompiledEvalToBoolean(e->comp, s->xp)) == -1)
		runtime_error(s, e);
	return b;
}

/* The string value of obj, which is freed; the caller owns the result. */
static xmlChar *
take_string(xmlXPathObjectPtr obj)
{
	xmlChar	*str;

	if (obj->type == XPATH_STRING && obj->stringval != NULL) {
		str = obj->stringval;
		obj->stringval = NULL;
	} else
		str = oom_check(xmlXPathCastToString(obj));
	xmlXPathFreeObject(obj);
	return str;
}

static bool
is_empty(const xmlXPathObject *obj)
{
	return obj->type == XPATH_NODESET && (obj->nodesetval == NULL ||
	    obj->nodesetval->nodeNr == 0);
}

/* Appends n to parent's children (no merging of texts, unlike libxml2). */
static void
append(xmlNodePtr parent, xmlNodePtr n)
{
	n->parent = parent;
	if (parent->last == NULL)
		parent->children = n;
	else {
		n->prev = parent->last;
		parent->last->next = n;
	}
	parent->last = n;
}

/*
 * A text node whose content is str: interned in the set's dictionary,
 * which the document shares, or owned (xmlMalloc'd) and freed with it.
 */
static xmlNodePtr
new_text(xmlDocPtr doc, xmlChar *str)
{
	xmlNodePtr	n;

	n = oom_check(xmlNewDocText(doc, NULL));
	n->content = str;
	return n;
}

static void
add_attr(xmlNodePtr el, const xmlChar *name, xmlChar *value)
{
	xmlAttrPtr	a;

	a = oom_check(xmlNewNsPropEatName(el, NULL, (xmlChar *)name, NULL));
	if (value != NULL && *value != '\0') {
		a->children = a->last = new_text(el->doc, value);
		a->children->parent = (xmlNodePtr)a;
	} else if (value != NULL && !xmlDictOwns(el->doc->dict, value))
		xmlFree(value);
}

/* A reference element for node (see html.h) as the last child of parent. */
static void
add_ref(struct tpl_set *s, xmlNodePtr parent, xmlNodePtr node)
{
	xmlNodePtr	ref, top;

	ref = oom_check(xmlNewDocNodeEatName(s->r.doc, NULL,
	    (xmlChar *)intern(s, HTML_REF, -1), NULL));
	ref->_private = node;
	append(parent, ref);
	if (s->r.refns == NULL) {
		/* One declaration, on the topmost element, serves all. */
		for (top = ref; top->parent != NULL &&
		    top->parent->type == XML_ELEMENT_NODE; top = top->parent)
			continue;
		s->r.refns = oom_check(xmlNewNs(top,
		    (const xmlChar *)TPL_NS, (const xmlChar *)"aw"));
	}
	ref->ns = s->r.refns;
}

static int	render_node(struct tpl_set *, const struct tn *, xmlNodePtr);

static int
render_attrs(struct tpl_set *s, const struct tn *t, xmlNodePtr el)
{
	xmlXPathObjectPtr	 obj;
	size_t			 i;

	for (i = 0; i < t->nattrs; i++) {
		if (t->attrs[i].expr == NULL) {
			add_attr(el, t->attrs[i].name,
			    (xmlChar *)t->attrs[i].value);
			continue;
		}
		if ((obj = eval(s, t->attrs[i].expr)) == NULL)
			return -1;
		if ((obj->type == XPATH_BOOLEAN && !obj->boolval) ||
		    is_empty(obj)) {
			xmlXPathFreeObject(obj);
			continue;
		}
		add_attr(el, t->attrs[i].name, take_string(obj));
	}
	return 0;
}

static int
render_html(struct tpl_set *s, const struct tn *t, xmlNodePtr out)
{
	xmlXPathObjectPtr	 obj;
	xmlNodeSetPtr		 ns;
	xmlChar			*str;
	int			 i;

	if ((obj = eval(s, t->html)) == NULL)
		return -1;
	if (obj->type == XPATH_NODESET) {
		ns = obj->nodesetval;
		for (i = 0; ns != NULL && i < ns->nodeNr; i++)
			if (ns->nodeTab[i]->type != XML_NAMESPACE_DECL)
				add_ref(s, out, ns->nodeTab[i]);
		xmlXPathFreeObject(obj);
		return 0;
	}
	str = take_string(obj);
	if (*str != '\0')
		append(out, new_text(s->r.doc, str));
	else
		xmlFree(str);
	return 0;
}

/* t once, after aw:each: if, unless, attributes, then content. */
static int
render_one(struct tpl_set *s, const struct tn *t, xmlNodePtr parent)
{
	xmlXPathObjectPtr	 obj;
	xmlNodePtr		 out;
	xmlChar			*str;
	size_t			 i;
	int			 b;

	if (t->cond != NULL && (b = eval_bool(s, t->cond)) != 1)
		return b;
	if (t->unless != NULL && (b = eval_bool(s, t->unless)) != 0)
		return b == 1 ? 0 : -1;
	if (t->kind == TN_GROUP)
		out = parent;
	else {
		out = oom_check(xmlNewDocNodeEatName(s->r.doc, NULL,
		    (xmlChar *)t->str, NULL));
		append(parent, out);
		if (render_attrs(s, t, out) == -1)
			return -1;
	}
	if (t->text != NULL) {
		if ((obj = eval(s, t->text)) == NULL)
			return -1;
		str = take_string(obj);
		if (*str != '\0')
			append(out, new_text(s->r.doc, str));
		else
			xmlFree(str);
		return 0;
	}
	if (t->html != NULL)
		return render_html(s, t, out);
	for (i = 0; i < t->nkids; i++)
		if (render_node(s, t->kids[i], out) == -1)
			return -1;
	return 0;
}

static void
push_var(struct tpl_set *s, const xmlChar *name, xmlNodePtr node)
{
	if (s->nvars == s->capvars) {
		s->capvars = s->capvars ? s->capvars * 2 : 16;
		s->vars = xreallocarray(s->vars, s->capvars,
		    sizeof(*s->vars));
	}
	s->vars[s->nvars].name = name;
	s->vars[s->nvars].node = node;
	s->nvars++;
}

static int
render_each(struct tpl_set *s, const struct tn *t, xmlNodePtr parent)
{
	xmlXPathObjectPtr	 obj;
	xmlNodeSetPtr		 ns;
	xmlNodePtr		 node;
	int			 i, pos, size, rc = 0;

	if ((obj = eval(s, t->each)) == NULL)
		return -1;
	if (obj->type != XPATH_NODESET) {
		set_reason(s, "a node-set is needed, not a %s",
		    obj->type == XPATH_STRING ? "string" :
		    obj->type == XPATH_NUMBER ? "number" :
		    obj->type == XPATH_BOOLEAN ? "boolean" : "value");
		runtime_error(s, t->each);
		xmlXPathFreeObject(obj);
		return -1;
	}
	node = s->r.node;
	pos = s->r.pos;
	size = s->r.size;
	push_var(s, t->var, NULL);
	ns = obj->nodesetval;
	for (i = 0; ns != NULL && i < ns->nodeNr && rc == 0; i++) {
		if (ns->nodeTab[i]->type == XML_NAMESPACE_DECL)
			continue;
		s->vars[s->nvars - 1].node = ns->nodeTab[i];
		s->r.node = ns->nodeTab[i];
		s->r.pos = i + 1;
		s->r.size = ns->nodeNr;
		rc = render_one(s, t, parent);
	}
	s->nvars--;
	s->r.node = node;
	s->r.pos = pos;
	s->r.size = size;
	xmlXPathFreeObject(obj);
	return rc;
}

static int
render_node(struct tpl_set *s, const struct tn *t, xmlNodePtr parent)
{
	if (t->kind == TN_TEXT) {
		append(parent, new_text(s->r.doc, (xmlChar *)t->str));
		return 0;
	}
	if (t->each != NULL)
		return render_each(s, t, parent);
	return render_one(s, t, parent);
}

/* $NAME: the innermost aw:each binding, else the caller's variable. */
static xmlXPathObjectPtr
lookup_var(void *data, const xmlChar *name, const xmlChar *ns_uri)
{
	struct tpl_set	*s = data;
	size_t		 i;

	if (ns_uri == NULL)
		for (i = s->nvars; i-- > 0; )
			if (xmlStrEqual(s->vars[i].name, name))
				return oom_check(xmlXPathNewNodeSet(
				    s->vars[i].node));
	set_reason(s, "undefined variable '$%s'", name);
	return NULL;
}

/*
 * Extension functions.
 */

/* Pops a function's n arguments into args[0..n). */
static void
pop_args(xmlXPathParserContextPtr ctxt, xmlXPathObjectPtr *args, int n)
{
	while (n-- > 0)
		args[n] = valuePop(ctxt);
}

static void
free_args(xmlXPathObjectPtr *args, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		xmlXPathFreeObject(args[i]);
}

/* Pushes str (malloc'd, or NULL for the empty string) and frees it. */
static void
push_string(xmlXPathParserContextPtr ctxt, char *str)
{
	valuePush(ctxt, oom_check(xmlXPathNewString(
	    (const xmlChar *)(str == NULL ? "" : str))));
	free(str);
}

/*
 * Warns about a UI string.  One missing in a language is the translator's
 * to add: it is reported once per key and language, at that language's
 * locales/<code>.yaml and without a position, so every worker prints the
 * same line and the output is the same for any -j.  One missing
 * everywhere is the template's mistake, reported where it is used.
 */
static void
warn_string(struct tpl_set *s, const char *key, bool fell_back)
{
	const struct expr	*e = s->r.cur;
	const char		*lang = s->r.env->lang ? s->r.env->lang : "";
	char			*where, *file;

	where = fell_back ? xstrdup("") : xasprintf("%s:%d:%d", e->at.path,
	    e->at.line, e->at.col);
	if (xmlHashAddEntry3(s->warned, (const xmlChar *)key,
	    (const xmlChar *)lang, (const xmlChar *)where, s) == 0) {
		if (fell_back) {
			file = xasprintf("locales/%s.yaml", lang);
			diag_warning(file, 0, 0, "UI string '%s' is not "
			    "translated into '%s': the default language's is "
			    "shown", key, lang);
			free(file);
		} else
			diag_warning(e->at.path, e->at.line, e->at.col,
			    "unknown UI string '%s'", key);
	}
	free(where);
}

/* aw:t(key, name1, value1, ...): a UI string with named arguments. */
static void
fn_t(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct tpl_set		*s = ctxt->context->userData;
	struct l10n		*l10n = s->r.env->l10n;
	xmlXPathObjectPtr	*args;
	struct l10n_arg		*largs;
	xmlChar			**strs;
	char			*out = NULL;
	const char		*why;
	int			 i, n;
	bool			 fell_back = false;

	if (nargs < 1 || nargs % 2 == 0) {
		set_reason(s, "aw:t() takes a key, then name and value "
		    "pairs");
		xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
		return;
	}
	args = xcalloc((size_t)nargs, sizeof(*args));
	strs = xcalloc((size_t)nargs, sizeof(*strs));
	n = (nargs - 1) / 2;
	largs = xcalloc((size_t)n + 1, sizeof(*largs));
	pop_args(ctxt, args, nargs);
	for (i = 0; i < nargs; i++)
		if (i == 0 || i % 2 == 1 || args[i]->type != XPATH_NUMBER)
			strs[i] = oom_check(xmlXPathCastToString(args[i]));
	for (i = 0; i < n; i++) {
		largs[i].name = (const char *)strs[1 + 2 * i];
		if (args[2 + 2 * i]->type == XPATH_NUMBER) {
			largs[i].is_number = true;
			largs[i].num = args[2 + 2 * i]->floatval;
		} else
			largs[i].str = (const char *)strs[2 + 2 * i];
	}
	if (l10n == NULL)
		out = xstrdup((const char *)strs[0]);
	else if ((out = l10n_format(l10n, (const char *)strs[0], largs,
	    (size_t)n, &fell_back)) != NULL) {
		if (fell_back)
			warn_string(s, (const char *)strs[0], true);
	} else if ((why = l10n_error(l10n)) != NULL)
		set_reason(s, "aw:t('%s'): %s", strs[0], why);
	else {
		warn_string(s, (const char *)strs[0], false);
		out = xstrdup((const char *)strs[0]);
	}
	for (i = 0; i < nargs; i++)
		xmlFree(strs[i]);
	free(strs);
	free(largs);
	free_args(args, nargs);
	free(args);
	if (out == NULL)
		xmlXPathErr(ctxt, XPATH_INVALID_OPERAND);
	else
		push_string(ctxt, out);
}

/* s without surrounding white space, malloc'd. */
static char *
trimmed(const xmlChar *str)
{
	const char	*p = (const char *)str, *end;

	while (is_space(*p))
		p++;
	end = p + strlen(p);
	while (end > p && is_space(end[-1]))
		end--;
	return xstrndup(p, (size_t)(end - p));
}

/*
 * The date aw:date is given, as epoch seconds and as ISO text (malloc'd):
 * a node-set (its first node: an element with @value, like the data's
 * <date value="1706745600" iso="2024-02-01">, or a node whose text is an
 * ISO date), a string (an ISO date) or a number (epoch seconds).  Returns
 * 1, 0 for an empty node-set, -1 when it is not a date.
 */
static int
date_arg(struct tpl_set *s, xmlXPathObjectPtr v, int64_t *epoch, char **iso)
{
	struct fm_date	 d;
	xmlNodePtr	 n;
	xmlChar		*str;
	char		*end, *num;
	struct tm	 tm;
	time_t		 t;
	char		 tmp[64];

	*iso = NULL;
	if (v->type == XPATH_NUMBER) {
		if (!(v->floatval > -1e15 && v->floatval < 1e15)) {
			num = (char *)oom_check(xmlXPathCastNumberToString(
			    v->floatval));
			set_reason(s, "aw:date(): %s is not a date", num);
			xmlFree(num);
			return -1;
		}
		*epoch = (int64_t)v->floatval;
		t = (time_t)*epoch;
		gmtime_r(&t, &tm);
		strftime(tmp, sizeof(tmp), *epoch % 86400 == 0 ? "%Y-%m-%d" :
		    "%Y-%m-%dT%H:%M:%SZ", &tm);
		*iso = xstrdup(tmp);
		return 1;
	}
	if (v->type == XPATH_NODESET) {
		if (is_empty(v))
			return 0;
		n = v->nodesetval->nodeTab[0];
		if (n->type == XML_ELEMENT_NODE &&
		    (str = xmlGetNoNsProp(n, (const xmlChar *)"value")) !=
		    NULL) {
			errno = 0;
			*epoch = strtoll((const char *)str, &end, 10);
			if (errno != 0 || *end != '\0' || end ==
			    (char *)str) {
				set_reason(s, "aw:date(): @value '%s' is not "
				    "a number of seconds", str);
				xmlFree(str);
				return -1;
			}
			xmlFree(str);
			if ((str = xmlGetNoNsProp(n,
			    (const xmlChar *)"iso")) == NULL)
				str = oom_check(xmlNodeGetContent(n));
			*iso = trimmed(str);
			xmlFree(str);
			return 1;
		}
	}
	str = oom_check(xmlXPathCastToString(v));
	*iso = trimmed(str);
	xmlFree(str);
	if (fm_date_parse(*iso, &d) == -1) {
		set_reason(s, "aw:date(): '%s' is not a date", *iso);
		free(*iso);
		*iso = NULL;
		return -1;
	}
	*epoch = d.epoch;
	return 1;
}

/* aw:date(value [, style]): a date in the language's calendar. */
static void
fn_date(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct tpl_set		*s = ctxt->context->userData;
	struct l10n		*l10n = s->r.env->l10n;
	xmlXPathObjectPtr	 args[2];
	xmlChar			*style = NULL;
	char			*iso, *out = NULL;
	const char		*why;
	int64_t			 epoch;
	int			 rc;

	if (nargs < 1 || nargs > 2) {
		set_reason(s, "aw:date() takes a date and a style");
		xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
		return;
	}
	pop_args(ctxt, args, nargs);
	if (nargs == 2)
		style = oom_check(xmlXPathCastToString(args[1]));
	rc = date_arg(s, args[0], &epoch, &iso);
	if (rc == 1 && l10n == NULL)
		out = xstrdup(iso);
	else if (rc == 1 && (out = l10n_date(l10n, epoch, style ?
	    (const char *)style : "long")) == NULL) {
		why = l10n_error(l10n);
		set_reason(s, "aw:date(): %s", why ? why :
		    "cannot format the date");
		rc = -1;
	}
	free(iso);
	xmlFree(style);
	free_args(args, nargs);
	if (rc == -1)
		xmlXPathErr(ctxt, XPATH_INVALID_OPERAND);
	else
		push_string(ctxt, out);
}

/* aw:number(value [, style]): a number in the language's digits. */
static void
fn_number(xmlXPathParserContextPtr ctxt, int nargs)
{
	struct tpl_set		*s = ctxt->context->userData;
	struct l10n		*l10n = s->r.env->l10n;
	xmlXPathObjectPtr	 args[2];
	xmlChar			*style = NULL;
	char			*out;
	const char		*why;
	double			 d;

	if (nargs < 1 || nargs > 2) {
		set_reason(s, "aw:number() takes a number and a style");
		xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
		return;
	}
	pop_args(ctxt, args, nargs);
	d = xmlXPathCastToNumber(args[0]);
	if (nargs == 2)
		style = oom_check(xmlXPathCastToString(args[1]));
	if (l10n == NULL)
		out = (char *)oom_check(xmlXPathCastNumberToString(d));
	else if ((out = l10n_number(l10n, d, (const char *)style)) == NULL) {
		why = l10n_error(l10n);
		set_reason(s, "aw:number(): %s", why ? why :
		    "cannot format the number");
	}
	xmlFree(style);
	free_args(args, nargs);
	if (out == NULL)
		xmlXPathErr(ctxt, XPATH_INVALID_OPERAND);
	else if (l10n == NULL) {
		valuePush(ctxt, oom_check(xmlXPathNewString(
		    (const xmlChar *)out)));
		xmlFree(out);
	} else
		push_string(ctxt, out);
}

/*
 * The interface.
 */

static int
cmp_tpl(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tpl *)elem)->name);
}

static const struct tpl *
find_tpl(const struct tpl_set *s, const char *name)
{
	return bsearch(name, s->tpls, s->ntpls, sizeof(*s->tpls), cmp_tpl);
}

bool
tpl_has(const struct tpl_set *s, const char *name)
{
	return find_tpl(s, name) != NULL;
}

static struct tpl_set *
set_new(void)
{
	struct tpl_set	*s;

	s = xcalloc(1, sizeof(*s));
	s->arena = arena_new();
	s->dict = oom_check(xmlDictCreate());
	s->empty = oom_check(xmlNewDoc(NULL));
	s->xp = oom_check(xmlXPathNewContext(s->empty));
	s->warned = oom_check(xmlHashCreate(16));
	s->xp->userData = s;
	xmlXPathRegisterNs(s->xp, (const xmlChar *)"aw",
	    (const xmlChar *)TPL_NS);
	xmlXPathRegisterFuncNS(s->xp, (const xmlChar *)"t",
	    (const xmlChar *)TPL_NS, fn_t);
	xmlXPathRegisterFuncNS(s->xp, (const xmlChar *)"date",
	    (const xmlChar *)TPL_NS, fn_date);
	xmlXPathRegisterFuncNS(s->xp, (const xmlChar *)"number",
	    (const xmlChar *)TPL_NS, fn_number);
	xmlXPathRegisterVariableLookup(s->xp, lookup_var, s);
	xmlXPathContextSetCache(s->xp, 1, -1, 0);
	return s;
}

void
tpl_free(struct tpl_set *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ncomps; i++)
		xmlXPathFreeCompExpr(s->comps[i]);
	free(s->comps);
	xmlXPathFreeContext(s->xp);
	xmlFreeDoc(s->empty);
	xmlHashFree(s->warned, NULL);
	xmlDictFree(s->dict);
	free(s->tpls);
	free(s->vars);
	arena_free(s->arena);
	free(s);
}

struct tpl_set *
tpl_load(const char *dir)
{
	struct load		 ld;
	struct tpl_set		*s;
	xmlStructuredErrorFunc	 serr = xmlStructuredError;
	void			*sctx = xmlStructuredErrorContext;
	xmlGenericErrorFunc	 gerr = xmlGenericError;
	void			*gctx = xmlGenericErrorContext;
	size_t			 i;

	memset(&ld, 0, sizeof(ld));
	ld.set = s = set_new();
	xmlSetStructuredErrorFunc(&ld, load_error);
	xmlSetGenericErrorFunc(NULL, silent);

	list_files(&ld, dir, NULL);
	if (ld.nfiles > 0)
		qsort(ld.files, ld.nfiles, sizeof(*ld.files), cmp_tfile);
	for (i = 0; i < ld.nfiles; i++)
		parse_file(&ld, &ld.files[i]);
	for (i = 0; i < ld.nfiles; i++)
		resolve(&ld, &ld.files[i]);

	s->tpls = xcalloc(ld.nfiles + 1, sizeof(*s->tpls));
	for (i = 0; i < ld.nfiles; i++) {
		s->tpls[i].name = arena_strdup(s->arena, ld.files[i].name);
		s->tpls[i].root = ld.files[i].resolved;
		free(ld.files[i].name);
		free(ld.files[i].path);
		free(ld.files[i].text);
		free(ld.files[i].lines);
		free(ld.files[i].tags);
		if (ld.files[i].doc != NULL)
			xmlFreeDoc(ld.files[i].doc);
	}
	s->ntpls = ld.nfiles;
	free(ld.files);
	free(ld.stack);

	xmlSetStructuredErrorFunc(sctx, serr);
	xmlSetGenericErrorFunc(gctx, gerr);
	if (ld.nerr > 0) {
		tpl_free(s);
		return NULL;
	}
	return s;
}

xmlDocPtr
tpl_render(struct tpl_set *s, const char *name, const struct tpl_env *env)
{
	const struct tpl	*t;
	xmlDocPtr		 doc;
	xmlStructuredErrorFunc	 serr = xmlStructuredError;
	void			*sctx = xmlStructuredErrorContext;
	xmlGenericErrorFunc	 gerr = xmlGenericError;
	void			*gctx = xmlGenericErrorContext;
	size_t			 i;
	int			 rc;

	if ((t = find_tpl(s, name)) == NULL) {
		diag_error(env->page_path, 0, 0, "template '%s' not found",
		    name);
		return NULL;
	}
	doc = oom_check(xmlNewDoc(NULL));
	doc->dict = s->dict;
	xmlDictReference(s->dict);

	memset(&s->r, 0, sizeof(s->r));
	s->r.env = env;
	s->r.doc = doc;
	s->r.node = (xmlNodePtr)s->empty;
	s->r.pos = s->r.size = 1;
	s->nvars = 0;
	for (i = 0; i < env->nvars; i++)
		push_var(s, (const xmlChar *)env->vars[i].name,
		    env->vars[i].node);

	xmlSetStructuredErrorFunc(s, render_error);
	xmlSetGenericErrorFunc(NULL, silent);
	rc = render_node(s, t->root, (xmlNodePtr)doc);
	xmlSetStructuredErrorFunc(sctx, serr);
	xmlSetGenericErrorFunc(gctx, gerr);

	s->nvars = 0;
	memset(&s->r, 0, sizeof(s->r));
	if (rc == -1) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}
