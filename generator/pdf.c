/*
 * pdf.c: print handouts, laid out from the body tree with pango and cairo.
 *
 * A handout is made in three passes over a page's body.  The flow pass walks
 * the body tree (the XHTML fragment md_render built, HTML elements in no
 * namespace) and turns it into a list of items stacked top to bottom: the
 * lines of each paragraph (one PangoLayout per paragraph, shaped and
 * broken by pango), images, table rows, boxes.  Each item says how tall it
 * is, what gap comes before it, and whether a page may break after it.
 * The break pass (pdf_break, a pure function the unit tests drive with
 * synthetic heights) gives every item its page; only then is the number
 * of pages known for the footer.  The draw pass writes the pages on a
 * cairo PDF surface with structure tags, links and bookmarks.
 *
 * Every script right: each language has its fonts, size and line height
 * from the theme's handout.yaml, an explicit base direction, and start
 * alignment (pango's automatic direction leaves an Urdu paragraph's last
 * line on the wrong side).  Inside right-to-left text, runs of Latin
 * letters and groups of digits with separators ("0300 1234567") are
 * wrapped in the Unicode isolates U+2066..U+2069, without which the bidi
 * algorithm orders a phone number's groups backwards; Latin runs also get
 * the Latin font explicitly, because Noto Nastaliq Urdu has digits and
 * punctuation but no Latin letters, and a URL would mix two fonts.  Text
 * is drawn run by run (pango_cairo_show_glyph_item keeps cairo's
 * ActualText for extraction), so that links, underlines and superscripts
 * are ours to place, and a link tag wraps exactly its glyphs.
 *
 * Fonts: fontconfig sees only the font files handout.yaml lists, through a
 * configuration written into the build cache (absolute paths, its own
 * cache folder, and a scan rule that gives Debian's NotoNastaliqUrdu-Bold,
 * which declares weight 400, the weight it has).  pango works at 72 dpi,
 * so sizes are points, without metric hinting or rounded positions.
 *
 * Structure tags: content drawn while the current tag holds other tags
 * is left unmarked, while content drawn inside a leaf tag (a paragraph)
 * belongs to it.  So at a page break the open leaf tags are closed, and
 * opened again after the next page's header and footer: a paragraph
 * split by a page becomes two, and the furniture stays out of the text.
 */
#include <ctype.h>
#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <hb.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <qrencode.h>

#include "config.h"
#include "diag.h"
#include "hash.h"
#include "l10n.h"
#include "md.h"
#include "pdf.h"
#include "url.h"
#include "util.h"
#include "yaml.h"

#define X(s)		((const xmlChar *)(s))
#define PT_PER_MM	(72.0 / 25.4)
#define PT_PER_PX	0.75		/* CSS pixels: 96 per inch */
#define MAX_DEPTH	64		/* block nesting laid out as such */
#define MAX_PIXELS	(100L * 1000 * 1000)

/*
 * Theme settings: handout.yaml, over the defaults below.
 */
struct rgb {
	double	r, g, b;
};

struct font_file {
	const char	*path;
	const char	*weight;	/* fontconfig constant or NULL */
};

struct lang_style {
	const char	*key;		/* "ur", or "default" */
	const char	*font;		/* family */
	const struct yaml_node *font_at; /* where it is named, or NULL */
	double		 size;		/* body text, points */
	double		 leading;	/* line height / size */
	double		 heading_leading;
};

struct theme {
	struct font_file	*fonts;
	size_t			 nfonts;
	const char		*latin;
	const char		*mono;
	const struct yaml_node	*latin_at, *mono_at, *logo_at;
	const char		*logo;		/* path, or NULL */
	double			 margin[3];	/* a4, a5, letter */
	struct rgb		 text, accent, muted, rule, box, sample;
	const char		*msg_page;
	const char		*msg_helplines;
	const char		*msg_sample;
	struct lang_style	*langs;		/* [0] is "default" */
	size_t			 nlangs;
};

static const char *const noto = "/usr/share/fonts/truetype/noto/";
static const char *const default_fonts[] = {
	"NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf",
	"NotoSans-BoldItalic.ttf", "NotoSansMono-Regular.ttf",
	"NotoSansMono-Bold.ttf", "NotoNastaliqUrdu-Regular.ttf",
	"NotoNastaliqUrdu-Bold.ttf", "NotoNaskhArabic-Regular.ttf",
	"NotoNaskhArabic-Bold.ttf", "NotoSansBengali-Regular.ttf",
	"NotoSansBengali-Bold.ttf",
};

static const struct {
	const char	*name;
	double		 w, h;
} page_sizes[] = {
	{ "a4", 595.276, 841.890 },
	{ "a5", 419.528, 595.276 },
	{ "letter", 612.0, 792.0 },
};

struct pdf_ctx {
	struct arena		*arena;		/* settings */
	struct theme		 th;
	const char		*yaml_path;	/* for diagnostics */
	FcConfig		*fc;
	PangoFontMap		*fontmap;
	PangoContext		*pc[2];		/* ltr, rtl */
	struct image		*logo;		/* or NULL */
};

/*
 * Images: PNG through cairo, JPEG attached to a surface of its size as
 * MIME data (cairo's PDF backend embeds the file as it is), SVG drawn by
 * librsvg as vectors.  Natural sizes are in points.
 */
enum img_kind {
	IMG_PNG,
	IMG_JPEG,
	IMG_SVG,
};

struct image {
	enum img_kind	 kind;
	cairo_surface_t	*surf;
	RsvgHandle	*svg;
	double		 w, h;
};

static void
image_free(struct image *im)
{
	if (im == NULL)
		return;
	if (im->surf != NULL)
		cairo_surface_destroy(im->surf);
	if (im->svg != NULL)
		g_object_unref(im->svg);
	free(im);
}

/*
 * Reading handout.yaml.
 */
struct thctx {
	const char	*path;
	struct arena	*a;
	int		 nerr;
};

static void th_error(struct thctx *, const struct yaml_node *, const char *,
    ...) PRINTF_LIKE(3, 4);

static void
th_error(struct thctx *c, const struct yaml_node *n, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vdiag(DIAG_ERROR, c->path, n->line, n->col, fmt, ap);
	va_end(ap);
	c->nerr++;
}

/*
 * A string setting; keeps *out when the key is absent.  Returns the value's
 * node when it was taken.
 */
static const struct yaml_node *
th_str(struct thctx *c, const struct yaml_node *map, const char *key,
    const char **out)
{
	const struct yaml_node	*v;

	if ((v = yaml_get(map, key)) == NULL || yaml_is_null(v))
		return NULL;
	if (v->kind != YAML_SCALAR || strlen(v->str) != v->len ||
	    v->len == 0) {
		th_error(c, v, "'%s' must be a string", key);
		return NULL;
	}
	*out = v->str;
	return v;
}

/*
 * A length: a number of points, or a number with "pt", "mm", "cm" or
 * "in".  Lengths and sizes must be positive and below 1000 points.
 */
static void
th_len(struct thctx *c, const struct yaml_node *map, const char *key,
    double *out, bool units)
{
	const struct yaml_node	*v;
	char			*end;
	double			 d;

	if ((v = yaml_get(map, key)) == NULL || yaml_is_null(v))
		return;
	if (v->kind != YAML_SCALAR)
		goto bad;
	errno = 0;
	d = strtod(v->str, &end);
	if (end == v->str || errno != 0)
		goto bad;
	if (units && strcmp(end, "mm") == 0)
		d *= PT_PER_MM;
	else if (units && strcmp(end, "cm") == 0)
		d *= 10 * PT_PER_MM;
	else if (units && strcmp(end, "in") == 0)
		d *= 72;
	else if (!(units && strcmp(end, "pt") == 0) && *end != '\0')
		goto bad;
	if (!(d > 0 && d < 1000))
		goto bad;
	*out = d;
	return;
bad:
	th_error(c, v, units ? "'%s' must be a length such as 12pt, 18mm "
	    "or 0.75in" : "'%s' must be a positive number", key);
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* "#rgb" or "#rrggbb". */
static int
parse_color(const char *s, struct rgb *out)
{
	int	v[6], i, n;

	if (*s++ != '#')
		return -1;
	n = (int)strlen(s);
	if (n != 3 && n != 6)
		return -1;
	for (i = 0; i < n; i++)
		if ((v[i] = hexval((unsigned char)s[i])) < 0)
			return -1;
	if (n == 3) {
		out->r = v[0] / 15.0;
		out->g = v[1] / 15.0;
		out->b = v[2] / 15.0;
	} else {
		out->r = (v[0] * 16 + v[1]) / 255.0;
		out->g = (v[2] * 16 + v[3]) / 255.0;
		out->b = (v[4] * 16 + v[5]) / 255.0;
	}
	return 0;
}

static void
th_color(struct thctx *c, const struct yaml_node *map, const char *key,
    struct rgb *out)
{
	const struct yaml_node	*v;

	if ((v = yaml_get(map, key)) == NULL || yaml_is_null(v))
		return;
	if (v->kind != YAML_SCALAR || parse_color(v->str, out) == -1)
		th_error(c, v, "'%s' must be a colour such as \"#0b4f5c\"",
		    key);
}

static void
th_fonts(struct thctx *c, struct theme *th, const struct yaml_node *v)
{
	static const char *const known[] = { "file", "weight" };
	static const char *const weights[] = {
		"thin", "light", "regular", "medium", "semibold", "bold",
		"extrabold", "black",
	};
	const struct yaml_node	*it, *f;
	struct font_file	*ff;
	size_t			 i, k;

	if (v->kind != YAML_SEQ) {
		th_error(c, v, "'%s' must be a list of font files", "fonts");
		return;
	}
	th->fonts = arena_alloc(c->a, (v->n + 1) * sizeof(*th->fonts));
	th->nfonts = 0;
	for (i = 0; i < v->n; i++) {
		it = v->items[i];
		ff = &th->fonts[th->nfonts];
		ff->path = NULL;
		ff->weight = NULL;
		if (it->kind == YAML_MAP) {
			yaml_warn_unknown(c->path, it,
			    known, nitems(known), "a font");
			th_str(c, it, "file", &ff->path);
			th_str(c, it, "weight", &ff->weight);
			if (ff->weight != NULL) {
				for (k = 0; k < nitems(weights); k++)
					if (strcmp(ff->weight, weights[k]) == 0)
						break;
				if (k == nitems(weights)) {
					th_error(c, yaml_get(it, "weight"),
					    "unknown font weight '%s' (thin, "
					    "light, regular, medium, semibold, "
					    "bold, extrabold, black)",
					    ff->weight);
					continue;
				}
			}
			f = yaml_get(it, "file");
		} else {
			f = it;
			if (it->kind == YAML_SCALAR)
				ff->path = it->str;
		}
		if (ff->path == NULL) {
			th_error(c, it, "a font needs a 'file' (an absolute "
			    "path)");
			continue;
		}
		if (ff->path[0] != '/') {
			th_error(c, f, "font file '%s' must be an absolute "
			    "path", ff->path);
			continue;
		}
		if (!is_file(ff->path)) {
			th_error(c, f, "font file '%s' not found", ff->path);
			continue;
		}
		th->nfonts++;
	}
}

static void
th_lang(struct thctx *c, struct lang_style *ls, const struct yaml_node *v)
{
	static const char *const known[] = {
		"font", "size", "leading", "heading_leading",
	};

	if (v->kind != YAML_MAP) {
		th_error(c, v, "a language's style must be a mapping such as "
		    "{font: Noto Sans, size: 10.5, leading: 1.45}");
		return;
	}
	yaml_warn_unknown(c->path, v,
	    known, nitems(known), "a language's style");
	ls->font_at = th_str(c, v, "font", &ls->font);
	th_len(c, v, "size", &ls->size, false);
	th_len(c, v, "leading", &ls->leading, false);
	th_len(c, v, "heading_leading", &ls->heading_leading, false);
}

static void
th_defaults(struct theme *th, struct arena *a)
{
	size_t	i;

	th->nfonts = nitems(default_fonts);
	th->fonts = arena_alloc(a, th->nfonts * sizeof(*th->fonts));
	for (i = 0; i < th->nfonts; i++)
		th->fonts[i].path = arena_printf(a, "%s%s", noto,
		    default_fonts[i]);
	th->fonts[7].weight = "bold";	/* NotoNastaliqUrdu-Bold */
	th->latin = "Noto Sans";
	th->mono = "Noto Sans Mono";
	th->margin[0] = 18 * PT_PER_MM;
	th->margin[1] = 12 * PT_PER_MM;
	th->margin[2] = 0.7 * 72;
	parse_color("#1b1b1b", &th->text);
	parse_color("#0b4f5c", &th->accent);
	parse_color("#5b5b5b", &th->muted);
	parse_color("#c4c4c4", &th->rule);
	parse_color("#f6f1e7", &th->box);
	parse_color("#b3261e", &th->sample);
	th->msg_page = "page-n-of-m";
	th->msg_helplines = "handout-helplines";
	th->msg_sample = "handout-sample";
	th->langs = arena_alloc(a, sizeof(*th->langs));
	th->nlangs = 1;
	th->langs[0].key = "default";
	th->langs[0].font = "Noto Sans";
	th->langs[0].size = 10.5;
	th->langs[0].leading = 1.45;
}

static int
th_load(struct pdf_ctx *ctx, const char *theme_dir)
{
	static const char *const known[] = {
		"fonts", "latin", "mono", "logo", "margins", "colors",
		"messages", "languages",
	};
	static const char *const sizes[] = { "a4", "a5", "letter" };
	static const char *const colors[] = {
		"text", "accent", "muted", "rule", "box", "sample",
	};
	static const char *const msgs[] = { "page", "helplines", "sample" };
	struct theme		*th = &ctx->th;
	struct thctx		 c;
	const struct yaml_node	*root, *v, *k;
	struct rgb		*cv[6];
	const char		**mv[3];
	struct lang_style	*ls;
	char			*text = NULL, *logo;
	size_t			 len, i, j;
	int			 rc = -1;

	th_defaults(th, ctx->arena);
	ctx->yaml_path = arena_printf(ctx->arena, "%s/handout.yaml",
	    theme_dir);
	c.path = ctx->yaml_path;
	c.a = ctx->arena;
	c.nerr = 0;
	th->logo = "assets/logo.svg";
	if (file_read(c.path, &text, &len) == -1) {
		if (errno != ENOENT) {
			diag_error(c.path, 0, 0, "cannot read: %s",
			    strerror(errno));
			goto out;
		}
		goto logo;
	}
	if ((root = yaml_parse(c.path, text, len, 0, ctx->arena)) == NULL)
		goto out;
	if (root->kind != YAML_MAP) {
		th_error(&c, root, "handout.yaml must be a mapping");
		goto out;
	}
	yaml_warn_unknown(c.path, root, known, nitems(known), "handout.yaml");
	if ((v = yaml_get(root, "fonts")) != NULL && !yaml_is_null(v))
		th_fonts(&c, th, v);
	th->latin_at = th_str(&c, root, "latin", &th->latin);
	th->mono_at = th_str(&c, root, "mono", &th->mono);
	th->logo_at = th_str(&c, root, "logo", &th->logo);
	if ((v = yaml_get(root, "margins")) != NULL && !yaml_is_null(v)) {
		if (v->kind != YAML_MAP)
			th_error(&c, v, "'%s' must map a page size to a "
			    "length (a4: 18mm)", "margins");
		else {
			yaml_warn_unknown(c.path, v,
			    sizes, nitems(sizes), "margins");
			for (i = 0; i < nitems(sizes); i++)
				th_len(&c, v, sizes[i], &th->margin[i], true);
		}
	}
	cv[0] = &th->text;
	cv[1] = &th->accent;
	cv[2] = &th->muted;
	cv[3] = &th->rule;
	cv[4] = &th->box;
	cv[5] = &th->sample;
	if ((v = yaml_get(root, "colors")) != NULL && !yaml_is_null(v)) {
		if (v->kind != YAML_MAP)
			th_error(&c, v, "'%s' must be a mapping", "colors");
		else {
			yaml_warn_unknown(c.path, v,
			    colors, nitems(colors), "colors");
			for (i = 0; i < nitems(colors); i++)
				th_color(&c, v, colors[i], cv[i]);
		}
	}
	mv[0] = &th->msg_page;
	mv[1] = &th->msg_helplines;
	mv[2] = &th->msg_sample;
	if ((v = yaml_get(root, "messages")) != NULL && !yaml_is_null(v)) {
		if (v->kind != YAML_MAP)
			th_error(&c, v, "'%s' must be a mapping", "messages");
		else {
			yaml_warn_unknown(c.path, v,
			    msgs, nitems(msgs), "messages");
			for (i = 0; i < nitems(msgs); i++)
				th_str(&c, v, msgs[i], mv[i]);
		}
	}
	if ((v = yaml_get(root, "languages")) != NULL && !yaml_is_null(v)) {
		if (v->kind != YAML_MAP)
			th_error(&c, v, "'%s' must map a language code (or "
			    "'default') to a style", "languages");
		else {
			th->langs = arena_alloc(ctx->arena, (v->n + 1) *
			    sizeof(*th->langs));
			th->langs[0].key = "default";
			th->langs[0].font = "Noto Sans";
			th->langs[0].size = 10.5;
			th->langs[0].leading = 1.45;
			th->nlangs = 1;
			for (i = 0; i < v->n; i++) {
				k = v->pairs[i].key;
				if (strcmp(k->str, "default") == 0)
					ls = &th->langs[0];
				else {
					ls = &th->langs[th->nlangs++];
					ls->key = k->str;
				}
				th_lang(&c, ls, v->pairs[i].value);
			}
			/* Unset values come from the default style. */
			for (j = 1; j < th->nlangs; j++) {
				ls = &th->langs[j];
				if (ls->font == NULL)
					ls->font = th->langs[0].font;
				if (ls->size == 0)
					ls->size = th->langs[0].size;
				if (ls->leading == 0)
					ls->leading = th->langs[0].leading;
			}
		}
	}
	if (c.nerr > 0)
		goto out;
logo:
	if (th->logo != NULL) {
		logo = path_join(theme_dir, th->logo);
		th->logo = arena_strdup(ctx->arena, logo);
		free(logo);
	}
	rc = 0;
out:
	free(text);
	return rc;
}

/* The style of a language: its code, its locale, the locale's language. */
static const struct lang_style *
lang_style(const struct theme *th, const struct lang *l)
{
	const char	*keys[3];
	size_t		 i, j, n;
	char		 base[16];

	keys[0] = l->code;
	keys[1] = l->locale;
	n = strcspn(l->locale, "-_");
	if (n >= sizeof(base))
		n = 0;
	memcpy(base, l->locale, n);
	base[n] = '\0';
	keys[2] = base;
	for (i = 0; i < nitems(keys); i++)
		for (j = 1; j < th->nlangs; j++)
			if (keys[i] != NULL && strcmp(th->langs[j].key,
			    keys[i]) == 0)
				return &th->langs[j];
	return &th->langs[0];
}

/*
 * Fonts: the fontconfig configuration awaaz writes.
 */

/*
 * The configuration: the folders of the font files, every file but the
 * listed ones rejected (so fontconfig sees exactly those), weights the
 * theme corrects, and the cache folder, which cache_dir names; fc_dir is
 * written in its place after the hash of the rest is known.
 */
static void
fc_conf(const struct theme *th, const char *cache, struct buf *b)
{
	char	*dir;
	size_t	 i, j;

	buf_adds(b, "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
	    "<!-- Written by awaaz from the theme's handout.yaml. -->\n"
	    "<fontconfig>\n");
	for (i = 0; i < th->nfonts; i++) {
		dir = path_dirname(th->fonts[i].path);
		for (j = 0; j < i; j++)
			if (strncmp(th->fonts[j].path, dir, strlen(dir)) == 0 &&
			    strchr(th->fonts[j].path + strlen(dir) + 1, '/') ==
			    NULL)
				break;
		if (j == i) {
			buf_adds(b, "  <dir>");
			buf_add_escaped(b, dir, true);
			buf_adds(b, "</dir>\n");
		}
		free(dir);
	}
	buf_adds(b, "  <selectfont>\n    <acceptfont>\n");
	for (i = 0; i < th->nfonts; i++) {
		buf_adds(b, "      <glob>");
		buf_add_escaped(b, th->fonts[i].path, true);
		buf_adds(b, "</glob>\n");
	}
	buf_adds(b, "    </acceptfont>\n    <rejectfont><glob>*</glob>"
	    "</rejectfont>\n  </selectfont>\n");
	for (i = 0; i < th->nfonts; i++) {
		if (th->fonts[i].weight == NULL)
			continue;
		buf_adds(b, "  <match target=\"scan\">\n"
		    "    <test name=\"file\"><string>");
		buf_add_escaped(b, th->fonts[i].path, true);
		buf_printf(b, "</string></test>\n"
		    "    <edit name=\"weight\" mode=\"assign\"><const>%s"
		    "</const></edit>\n  </match>\n", th->fonts[i].weight);
	}
	buf_adds(b, "  <cachedir>");
	buf_add_escaped(b, cache, true);
	buf_adds(b, "</cachedir>\n</fontconfig>\n");
}

/*
 * Writes cache_dir/fontconfig-HASH/fonts.conf (HASH: of the configuration,
 * so a changed font list never meets a stale cache) unless it is there,
 * through a temporary file: workers may write it at the same time.
 */
static int
fc_write(const struct theme *th, const char *cache_dir, char **conf_path)
{
	struct buf	 b, probe;
	char		 hex[HASH_HEX + 1];
	char		*dir = NULL, *path = NULL, *tmp = NULL, *old = NULL;
	size_t		 oldlen;
	int		 rc = -1;

	buf_init(&b);
	buf_init(&probe);
	fc_conf(th, "@CACHE@", &probe);
	hash_sha256_hex(probe.data, probe.len, hex);
	dir = xasprintf("%s/fontconfig-%s", cache_dir, hex);
	if (dir[0] != '/') {
		/* fontconfig wants absolute folders. */
		char	*cwd = getcwd(NULL, 0);

		if (cwd != NULL) {
			tmp = dir;
			dir = path_join(cwd, tmp);
			free(tmp);
			tmp = NULL;
			free(cwd);
		}
	}
	fc_conf(th, dir, &b);
	path = path_join(dir, "fonts.conf");
	if (mkdir_p(dir) == -1) {
		diag_error(dir, 0, 0, "cannot create the font cache: %s",
		    strerror(errno));
		goto out;
	}
	if (file_read(path, &old, &oldlen) == 0 && oldlen == b.len &&
	    memcmp(old, b.data, b.len) == 0) {
		rc = 0;
		goto out;
	}
	tmp = xasprintf("%s.%ld", path, (long)getpid());
	if (file_write(tmp, b.data, b.len) == -1 || rename(tmp, path) == -1) {
		diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	if (rc == 0) {
		*conf_path = path;
		path = NULL;
	}
	buf_release(&b);
	buf_release(&probe);
	free(old);
	free(tmp);
	free(path);
	free(dir);
	return rc;
}

/* Whether fontconfig has a face of this family. */
static bool
fc_has_family(FcConfig *fc, const char *family)
{
	FcPattern	*p;
	FcObjectSet	*os;
	FcFontSet	*fs;
	bool		 ok;

	p = FcPatternCreate();
	FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)family);
	os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
	fs = FcFontList(fc, p, os);
	ok = fs != NULL && fs->nfont > 0;
	if (fs != NULL)
		FcFontSetDestroy(fs);
	FcObjectSetDestroy(os);
	FcPatternDestroy(p);
	return ok;
}

static int
fc_check(struct pdf_ctx *ctx)
{
	const struct theme	*th = &ctx->th;
	const struct yaml_node	*at;
	const char		*fam;
	size_t			 i;
	int			 nerr = 0;

	for (i = 0; i < th->nlangs + 2; i++) {
		if (i == 0) {
			fam = th->latin;
			at = th->latin_at;
		} else if (i == 1) {
			fam = th->mono;
			at = th->mono_at;
		} else {
			fam = th->langs[i - 2].font;
			at = th->langs[i - 2].font_at;
		}
		if (fc_has_family(ctx->fc, fam))
			continue;
		diag_error(ctx->yaml_path, at != NULL ? at->line : 0,
		    at != NULL ? at->col : 0, "font '%s' is not in the "
		    "font files of the handouts", fam);
		nerr++;
	}
	return nerr ? -1 : 0;
}

static PangoContext *
pango_ctx(PangoFontMap *fm, bool rtl)
{
	PangoContext		*pc;
	cairo_font_options_t	*fo;

	pc = pango_font_map_create_context(fm);
	pango_cairo_context_set_resolution(pc, 72);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(pc, FALSE);
	pango_context_set_base_dir(pc, rtl ? PANGO_DIRECTION_RTL :
	    PANGO_DIRECTION_LTR);
	return pc;
}

/*
 * Images.
 */
struct membuf {
	const unsigned char	*p;
	size_t			 len, off;
};

static cairo_status_t
png_read(void *closure, unsigned char *data, unsigned int len)
{
	struct membuf	*m = closure;

	if (m->len - m->off < len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, m->p + m->off, len);
	m->off += len;
	return CAIRO_STATUS_SUCCESS;
}

/* Width, height and components from a JPEG's SOF segment. */
static int
jpeg_info(const unsigned char *p, size_t n, int *w, int *h)
{
	size_t	i = 2, seg;
	int	m;

	if (n < 4 || p[0] != 0xFF || p[1] != 0xD8)
		return -1;
	while (i < n) {
		if (p[i] != 0xFF)
			return -1;
		while (i < n && p[i] == 0xFF)
			i++;
		if (i >= n)
			return -1;
		m = p[i++];
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD8))
			continue;
		if (m == 0xD9 || m == 0xDA || i + 2 > n)
			return -1;
		seg = (size_t)p[i] << 8 | p[i + 1];
		if (seg < 2 || i + seg > n)
			return -1;
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 &&
		    m != 0xCC) {
			if (seg < 8)
				return -1;
			*h = p[i + 3] << 8 | p[i + 4];
			*w = p[i + 5] << 8 | p[i + 6];
			return *w > 0 && *h > 0 ? 0 : -1;
		}
		i += seg;
	}
	return -1;
}

static bool
looks_svg(const char *name, const char *data, size_t len)
{
	size_t	i;

	if (has_suffix(name, ".svg") || has_suffix(name, ".SVG"))
		return true;
	for (i = 0; i + 4 < len && i < 4096; i++)
		if (memcmp(data + i, "<svg", 4) == 0)
			return true;
	return false;
}

/*
 * Makes an image from the bytes of a file (name: its path, for SVG's
 * relative references and the kind).  NULL with *why set (static text)
 * when it cannot; *unsupported tells a known format awaaz does not print
 * from a broken file.
 */
static struct image *
image_new(const char *name, char *data, size_t len, const char **why,
    bool *unsupported)
{
	const unsigned char	*u = (const unsigned char *)data;
	struct image		*im;
	struct membuf		 mb;
	GInputStream		*in;
	GFile			*base;
	GError			*err = NULL;
	gdouble			 w, h;
	RsvgLength		 lw, lh;
	RsvgRectangle		 vb;
	gboolean		 has_w, has_h, has_vb;
	int			 iw, ih;
	char			*copy;

	*unsupported = false;
	im = xcalloc(1, sizeof(*im));
	if (len >= 8 && memcmp(u, "\x89PNG\r\n\x1a\n", 8) == 0) {
		im->kind = IMG_PNG;
		mb.p = u;
		mb.len = len;
		mb.off = 0;
		im->surf = cairo_image_surface_create_from_png_stream(png_read,
		    &mb);
		if (cairo_surface_status(im->surf) != CAIRO_STATUS_SUCCESS) {
			*why = "not a readable PNG file";
			goto bad;
		}
		im->w = cairo_image_surface_get_width(im->surf) * PT_PER_PX;
		im->h = cairo_image_surface_get_height(im->surf) * PT_PER_PX;
		return im;
	}
	if (len >= 3 && u[0] == 0xFF && u[1] == 0xD8 && u[2] == 0xFF) {
		im->kind = IMG_JPEG;
		if (jpeg_info(u, len, &iw, &ih) == -1) {
			*why = "not a readable JPEG file";
			goto bad;
		}
		if ((long)iw * ih > MAX_PIXELS) {
			*why = "more than 100 million pixels";
			goto bad;
		}
		/*
		 * The pixels are never drawn: the PDF gets the JPEG file.
		 * The surface's memory is zeroed on demand, so an untouched
		 * one costs little.
		 */
		im->surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, iw,
		    ih);
		copy = xmalloc(len);
		memcpy(copy, data, len);
		if (cairo_surface_status(im->surf) != CAIRO_STATUS_SUCCESS ||
		    cairo_surface_set_mime_data(im->surf, CAIRO_MIME_TYPE_JPEG,
		    (unsigned char *)copy, len, free, copy) !=
		    CAIRO_STATUS_SUCCESS) {
			*why = "cannot make a surface for it";
			goto bad;
		}
		im->w = iw * PT_PER_PX;
		im->h = ih * PT_PER_PX;
		return im;
	}
	if ((len >= 6 && memcmp(u, "GIF8", 4) == 0) || (len >= 12 &&
	    memcmp(u, "RIFF", 4) == 0 && memcmp(u + 8, "WEBP", 4) == 0)) {
		*unsupported = true;
		*why = u[0] == 'G' ? "GIF is not printed (PNG, JPEG, SVG)" :
		    "WebP is not printed (PNG, JPEG, SVG)";
		goto bad;
	}
	if (!looks_svg(name, data, len)) {
		*unsupported = true;
		*why = "not a PNG, JPEG or SVG file";
		goto bad;
	}
	im->kind = IMG_SVG;
	in = g_memory_input_stream_new_from_data(data, (gssize)len, NULL);
	base = g_file_new_for_path(name);
	im->svg = rsvg_handle_new_from_stream_sync(in, base,
	    RSVG_HANDLE_FLAGS_NONE, NULL, &err);
	g_object_unref(in);
	g_object_unref(base);
	if (im->svg == NULL) {
		g_error_free(err);
		*why = "not a readable SVG file";
		goto bad;
	}
	rsvg_handle_set_dpi(im->svg, 96);
	if (rsvg_handle_get_intrinsic_size_in_pixels(im->svg, &w, &h) &&
	    w > 0 && h > 0) {
		im->w = w * PT_PER_PX;
		im->h = h * PT_PER_PX;
	} else {
		rsvg_handle_get_intrinsic_dimensions(im->svg, &has_w, &lw,
		    &has_h, &lh, &has_vb, &vb);
		if (has_vb && vb.width > 0 && vb.height > 0) {
			im->w = vb.width * PT_PER_PX;
			im->h = vb.height * PT_PER_PX;
		} else {
			/* CSS's size for an image without one. */
			im->w = 300 * PT_PER_PX;
			im->h = 150 * PT_PER_PX;
		}
	}
	return im;
bad:
	image_free(im);
	return NULL;
}

/* Draws an image into the box (x, y, w, h). */
static void
image_draw(cairo_t *cr, const struct image *im, double x, double y,
    double w, double h)
{
	RsvgRectangle	vp;
	GError		*err = NULL;
	double		 sx, sy;

	cairo_save(cr);
	if (im->kind == IMG_SVG) {
		vp.x = x;
		vp.y = y;
		vp.width = w;
		vp.height = h;
		if (!rsvg_handle_render_document(im->svg, cr, &vp, &err))
			g_error_free(err);
	} else {
		sx = w / cairo_image_surface_get_width(im->surf);
		sy = h / cairo_image_surface_get_height(im->surf);
		cairo_translate(cr, x, y);
		cairo_scale(cr, sx, sy);
		cairo_set_source_surface(cr, im->surf, 0, 0);
		cairo_pattern_set_filter(cairo_get_source(cr),
		    CAIRO_FILTER_GOOD);
		cairo_paint(cr);
	}
	cairo_restore(cr);
}

/*
 * The worker's context.
 */
struct pdf_ctx *
pdf_ctx_new(const char *theme_dir, const char *cache_dir)
{
	struct pdf_ctx	*ctx;
	char		*conf = NULL, *data;
	const char	*why;
	size_t		 len;
	bool		 unsup;
	int		 rc = -1;

	ctx = xcalloc(1, sizeof(*ctx));
	ctx->arena = arena_new();
	if (th_load(ctx, theme_dir) == -1)
		goto out;
	if (fc_write(&ctx->th, cache_dir, &conf) == -1)
		goto out;
	ctx->fc = FcConfigCreate();
	if (!FcConfigParseAndLoad(ctx->fc, (const FcChar8 *)conf, FcTrue) ||
	    !FcConfigBuildFonts(ctx->fc)) {
		diag_error(conf, 0, 0, "fontconfig cannot load it");
		goto out;
	}
	if (fc_check(ctx) == -1)
		goto out;
	ctx->fontmap = pango_cairo_font_map_new_for_font_type(
	    CAIRO_FONT_TYPE_FT);
	pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(ctx->fontmap),
	    ctx->fc);
	/* librsvg lays out SVG text with the default font map: ours. */
	pango_cairo_font_map_set_default(PANGO_CAIRO_FONT_MAP(ctx->fontmap));
	ctx->pc[0] = pango_ctx(ctx->fontmap, false);
	ctx->pc[1] = pango_ctx(ctx->fontmap, true);
	/* The default logo may be missing; one handout.yaml names, not. */
	if (ctx->th.logo != NULL && file_read(ctx->th.logo, &data, &len) ==
	    0) {
		ctx->logo = image_new(ctx->th.logo, data, len, &why, &unsup);
		if (ctx->logo == NULL)
			diag_warning(ctx->th.logo, 0, 0, "the handouts' logo "
			    "is left out: %s", why);
		free(data);
	} else if (ctx->th.logo_at != NULL)
		diag_warning(ctx->yaml_path, ctx->th.logo_at->line,
		    ctx->th.logo_at->col, "logo '%s' not found: the handouts "
		    "have none", ctx->th.logo_at->str);
	rc = 0;
out:
	free(conf);
	if (rc == -1) {
		pdf_ctx_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

void
pdf_ctx_free(struct pdf_ctx *ctx)
{
	if (ctx == NULL)
		return;
	image_free(ctx->logo);
	if (ctx->pc[0] != NULL)
		g_object_unref(ctx->pc[0]);
	if (ctx->pc[1] != NULL)
		g_object_unref(ctx->pc[1]);
	if (ctx->fontmap != NULL) {
		pango_cairo_font_map_set_default(NULL);
		/*
		 * pango keeps a reference to the configuration until it is
		 * given another one.
		 */
		pango_fc_font_map_shutdown(PANGO_FC_FONT_MAP(ctx->fontmap));
		pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(ctx->fontmap),
		    NULL);
		g_object_unref(ctx->fontmap);
	}
	if (ctx->fc != NULL)
		FcConfigDestroy(ctx->fc);
	arena_free(ctx->arena);
	free(ctx);
}

void
pdf_cleanup(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}

/*
 * The page breaker.
 */
#define BREAK_EPS	0.01

int
pdf_break(const struct pdf_item *it, size_t n, double page_h, int *page)
{
	size_t	i = 0, j, b, k;
	double	y, need;
	int	pg = 0;

	while (i < n) {
		y = 0;
		for (j = i; j < n; j++) {
			need = it[j].h + (j == i ? it[j].head : it[j].space);
			if (j > i && y + need > page_h + BREAK_EPS)
				break;
			y += need;
		}
		if (j == n) {
			for (k = i; k < n; k++)
				page[k] = pg;
			break;
		}
		/* Back to the last place a break may go. */
		for (b = j; b > i + 1 && it[b - 1].keep; b--)
			continue;
		if (it[b - 1].keep)
			b = j;
		for (k = i; k < b; k++)
			page[k] = pg;
		pg++;
		i = b;
	}
	return pg + 1;
}

/*
 * Text: a paragraph's text with its styled ranges, then its PangoLayout.
 */
enum {
	SP_EM = 1 << 0,
	SP_STRONG = 1 << 1,
	SP_CODE = 1 << 2,
	SP_LINK = 1 << 3,
	SP_SUP = 1 << 4,
	SP_DEL = 1 << 5,
	SP_LTR = 1 << 6,	/* left to right whatever it holds */
	SP_LATIN = 1 << 7,	/* a Latin run (set by the layout) */
};

#define SPAN_OPEN	((size_t)-1)

struct span {
	size_t		 start, end;
	unsigned	 flags;
	const char	*href;		/* SP_LINK: as in the body tree */
	const char	*link;		/* cairo's link attributes, or NULL */
};

struct tb {
	struct buf	 text;
	struct span	*sp;
	size_t		 nsp, cap;
	bool		 space;		/* white space pending */
	bool		 pre;		/* white space kept */
};

static void
tb_init(struct tb *tb, bool pre)
{
	memset(tb, 0, sizeof(*tb));
	buf_init(&tb->text);
	tb->pre = pre;
}

static void
tb_release(struct tb *tb)
{
	buf_release(&tb->text);
	free(tb->sp);
}

static void
tb_flush_space(struct tb *tb)
{
	if (tb->space && tb->text.len > 0)
		buf_addc(&tb->text, ' ');
	tb->space = false;
}

static size_t
tb_open(struct tb *tb, unsigned flags, const char *href)
{
	struct span	*s;

	tb_flush_space(tb);
	if (tb->nsp == tb->cap) {
		tb->cap = tb->cap ? tb->cap * 2 : 8;
		tb->sp = xreallocarray(tb->sp, tb->cap, sizeof(*tb->sp));
	}
	s = &tb->sp[tb->nsp];
	s->start = tb->text.len;
	s->end = SPAN_OPEN;
	s->flags = flags;
	s->href = href;
	s->link = NULL;
	return tb->nsp++;
}

static void
tb_close(struct tb *tb, size_t i)
{
	tb->sp[i].end = tb->text.len;
}

/* Adds text, runs of white space as one space unless pre. */
static void
tb_add(struct tb *tb, const char *s, size_t len)
{
	size_t	i;

	if (tb->pre) {
		buf_add(&tb->text, s, len);
		return;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' ||
		    s[i] == '\r' || s[i] == '\f') {
			tb->space = true;
			continue;
		}
		tb_flush_space(tb);
		buf_addc(&tb->text, s[i]);
	}
}

static void
tb_adds(struct tb *tb, const char *s)
{
	tb_add(tb, s, strlen(s));
}

/* A line break (<br>): U+2028, which pango breaks at. */
static void
tb_break(struct tb *tb)
{
	tb->space = false;
	if (tb->text.len > 0)
		buf_adds(&tb->text, "\xe2\x80\xa8");
}

/*
 * Empties tb for the next paragraph, keeping the spans still open (a link
 * around an image) open from its start.
 */
static void
tb_restart(struct tb *tb)
{
	size_t	i, k = 0;

	for (i = 0; i < tb->nsp; i++)
		if (tb->sp[i].end == SPAN_OPEN) {
			tb->sp[k] = tb->sp[i];
			tb->sp[k].start = 0;
			k++;
		}
	tb->nsp = k;
	buf_reset(&tb->text);
	tb->space = false;
}

/* Trailing line breaks and spaces are dropped. */
static void
tb_trim(struct tb *tb)
{
	size_t	i;

	for (;;) {
		if (tb->text.len >= 3 && memcmp(tb->text.data + tb->text.len -
		    3, "\xe2\x80\xa8", 3) == 0)
			tb->text.len -= 3;
		else if (tb->pre && tb->text.len > 0 &&
		    tb->text.data[tb->text.len - 1] == '\n')
			tb->text.len--;
		else
			break;
	}
	if (tb->text.data != NULL)
		tb->text.data[tb->text.len] = '\0';
	for (i = 0; i < tb->nsp; i++) {
		if (tb->sp[i].end == SPAN_OPEN || tb->sp[i].end > tb->text.len)
			tb->sp[i].end = tb->text.len;
		if (tb->sp[i].start > tb->text.len)
			tb->sp[i].start = tb->text.len;
	}
}

/*
 * Bidi isolation.  Runs and groups are found on the text as built, then
 * the isolates are inserted and every span moved to match.
 */
struct iso {
	size_t	s, e;
	bool	rtl;		/* RLI, else LRI */
	bool	latin;		/* a Latin run: the Latin font */
};

struct isos {
	struct iso	*v;
	size_t		 n, cap;
};

static void
iso_add(struct isos *is, size_t s, size_t e, bool rtl, bool latin)
{
	if (e <= s)
		return;
	if (is->n == is->cap) {
		is->cap = is->cap ? is->cap * 2 : 8;
		is->v = xreallocarray(is->v, is->cap, sizeof(*is->v));
	}
	is->v[is->n].s = s;
	is->v[is->n].e = e;
	is->v[is->n].rtl = rtl;
	is->v[is->n].latin = latin;
	is->n++;
}

static gunichar
char_at(const char *t, size_t n, size_t i, size_t *clen)
{
	const char	*next;
	gunichar	 c;

	if (i >= n) {
		*clen = 0;
		return 0;
	}
	c = g_utf8_get_char_validated(t + i, (gssize)(n - i));
	if (c == (gunichar)-1 || c == (gunichar)-2) {
		*clen = 1;
		return 0xFFFD;
	}
	next = g_utf8_next_char(t + i);
	*clen = (size_t)(next - (t + i));
	return c;
}

static bool
is_latin(gunichar c)
{
	return g_unichar_get_script(c) == G_UNICODE_SCRIPT_LATIN;
}

static bool
is_rtl_letter(gunichar c)
{
	switch (g_unichar_get_script(c)) {
	case G_UNICODE_SCRIPT_ARABIC:
	case G_UNICODE_SCRIPT_HEBREW:
	case G_UNICODE_SCRIPT_SYRIAC:
	case G_UNICODE_SCRIPT_THAANA:
	case G_UNICODE_SCRIPT_NKO:
		return true;
	default:
		return false;
	}
}

static bool
is_digit(gunichar c)
{
	return (c >= '0' && c <= '9') || (c >= 0x660 && c <= 0x669) ||
	    (c >= 0x6F0 && c <= 0x6F9);
}

/* Characters inside a number: "0300 1234567", "+92-21-111", "1.5". */
static bool
is_digit_sep(gunichar c)
{
	return c == ' ' || c == '-' || c == '.' || c == ',' || c == '/' ||
	    c == ':' || c == 0xA0 || c == 0x66B || c == 0x66C ||
	    c == 0x2009 || c == 0x202F || c == 0x2010 || c == 0x2011;
}

/* Neutral characters a Latin run may hold: not of a script, not space. */
static bool
is_run_neutral(gunichar c)
{
	GUnicodeScript	sc;

	if (g_unichar_isspace(c) || c == 0x2028 ||
	    (c >= 0x2066 && c <= 0x2069) || (c >= 0x600 && c <= 0x6FF) ||
	    (c >= 0x750 && c <= 0x77F) || (c >= 0xFB50 && c <= 0xFDFF) ||
	    (c >= 0xFE70 && c <= 0xFEFF) || c == 0x964 || c == 0x965)
		return false;
	sc = g_unichar_get_script(c);
	return sc == G_UNICODE_SCRIPT_COMMON ||
	    sc == G_UNICODE_SCRIPT_INHERITED;
}

/* The end of the span of the kinds in mask holding offset i, or 0. */
static size_t
span_skip(const struct tb *tb, size_t i, unsigned mask)
{
	size_t	k;

	for (k = 0; k < tb->nsp; k++)
		if ((tb->sp[k].flags & mask) && tb->sp[k].start <= i &&
		    i < tb->sp[k].end)
			return tb->sp[k].end;
	return 0;
}

/*
 * The next Latin letter from t[i] when only spaces, digits and neutral
 * marks come before it, else (size_t)-1: "Emigration & Overseas" is one
 * run, "FIA، اور" is not.
 */
static size_t
latin_ahead(const struct tb *tb, size_t i)
{
	const char	*t = tb->text.data;
	size_t		 n = tb->text.len, clen;
	gunichar	 c;

	while (i < n && span_skip(tb, i, SP_CODE | SP_LTR) == 0) {
		c = char_at(t, n, i, &clen);
		if (is_latin(c))
			return i;
		if (c != ' ' && c != 0xA0 && !is_digit(c) &&
		    !is_run_neutral(c))
			break;
		i += clen;
	}
	return (size_t)-1;
}

/*
 * A Latin run from t[i] (a Latin letter): letters, digits, neutral marks
 * between them, spaces only before more of the run's kind and another
 * Latin letter; then trailing
 * sentence punctuation and unmatched closing brackets go back to the
 * surrounding text.  URLs stay whole ("https://x.org/ur/").
 */
static size_t
latin_run(const struct tb *tb, size_t i)
{
	const char	*t = tb->text.data;
	size_t		 n = tb->text.len, j = i, k, clen, end;
	gunichar	 c;
	int		 open;

	while (j < n) {
		if (span_skip(tb, j, SP_CODE | SP_LTR) != 0)
			break;
		c = char_at(t, n, j, &clen);
		if (is_latin(c) || is_digit(c) || is_run_neutral(c)) {
			j += clen;
			continue;
		}
		/* Past the whole stretch at once: linear in the text. */
		if ((c == ' ' || c == 0xA0) &&
		    (k = latin_ahead(tb, j + clen)) != (size_t)-1) {
			j = k;
			continue;
		}
		break;
	}
	end = j;
	for (;;) {
		if (end <= i)
			break;
		k = end - 1;
		while (k > i && ((unsigned char)t[k] & 0xC0) == 0x80)
			k--;
		c = char_at(t, n, k, &clen);
		if (c < 0x80 && strchr(".,;:!?'\"", (int)c) != NULL && c != 0) {
			end = k;
			continue;
		}
		if (c == 0x2019 || c == 0x201D || c == 0xBB) {
			end = k;
			continue;
		}
		if (c == ')' || c == ']') {
			open = 0;
			for (j = i; j < k; j++)
				if (t[j] == (c == ')' ? '(' : '['))
					open++;
				else if (t[j] == (char)c)
					open--;
			if (open <= 0) {
				end = k;
				continue;
			}
		}
		break;
	}
	return end;
}

/*
 * Finds what to isolate in right-to-left text: Latin runs, code and
 * SP_LTR spans, digit groups that hold a separator (a lone number needs
 * nothing).  In left-to-right text: runs of right-to-left letters.  Latin
 * runs are listed in both, for their font.
 */
static void
find_isos(const struct tb *tb, bool rtl, struct isos *is)
{
	const char	*t = tb->text.data;
	size_t		 n = tb->text.len, i = 0, j, e, clen, c2len, last;
	gunichar	 c, c2;
	bool		 sep;

	while (i < n) {
		if ((e = span_skip(tb, i, SP_CODE | SP_LTR)) != 0) {
			if (rtl)
				iso_add(is, i, e, false, false);
			i = e;
			continue;
		}
		c = char_at(t, n, i, &clen);
		if (is_latin(c)) {
			e = latin_run(tb, i);
			if (e <= i)
				e = i + clen;
			iso_add(is, i, e, false, true);
			i = e;
			continue;
		}
		if (rtl && (is_digit(c) || c == '+')) {
			j = i + clen;
			sep = c == '+';
			c2 = char_at(t, n, j, &c2len);
			if (c == '+' && !is_digit(c2)) {
				i = j;
				continue;
			}
			for (;;) {
				c2 = char_at(t, n, j, &c2len);
				if (c2len > 0 && is_digit(c2) &&
				    span_skip(tb, j, SP_CODE | SP_LTR) == 0) {
					j += c2len;
					continue;
				}
				if (c2len > 0 && is_digit_sep(c2)) {
					gunichar	 c3;
					size_t		 c3len;

					c3 = char_at(t, n, j + c2len, &c3len);
					if (c3len > 0 && is_digit(c3)) {
						sep = true;
						j += c2len;
						continue;
					}
				}
				break;
			}
			if (sep)
				iso_add(is, i, j, false, false);
			i = j;
			continue;
		}
		if (!rtl && is_rtl_letter(c)) {
			last = i + clen;
			for (j = last; j < n; j += c2len) {
				if (span_skip(tb, j, SP_CODE | SP_LTR) != 0)
					break;
				c2 = char_at(t, n, j, &c2len);
				if (is_rtl_letter(c2))
					last = j + c2len;
				else if (!is_run_neutral(c2) &&
				    !g_unichar_isspace(c2))
					break;
			}
			iso_add(is, i, last, true, false);
			i = last;
			continue;
		}
		i += clen;
	}
}

/* Offsets after the isolates: starts after those at the offset. */
static size_t
iso_map(const struct isos *is, size_t off, bool start, bool rtl_doc)
{
	size_t	i, add = 0;

	for (i = 0; i < is->n; i++) {
		if (!rtl_doc && !is->v[i].rtl)
			continue;
		if (is->v[i].s < off || (start && is->v[i].s == off))
			add += 3;
		if (is->v[i].e < off || (start && is->v[i].e == off))
			add += 3;
	}
	return off + add;
}

/*
 * Layouts.  A struct lay is a paragraph shaped and broken into lines, with
 * each line's place (points, from the layout's top) and the spans at
 * their final offsets.
 */
struct lline {
	double	x, w, top, h, base;
};

struct lay {
	PangoLayout	*pl;
	const char	*text;		/* pango's copy */
	struct span	*sp;
	size_t		 nsp;
	struct lline	*lines;
	int		 nlines;
	double		 size;		/* font size */
	double		 pitch;		/* line height */
	double		 base;		/* baseline below a line's top */
	double		 width;		/* laid out at */
	struct rgb	 color;
	struct lay	*next;		/* every layout of a render */
};

struct tstyle {
	const char	*family;	/* list, first choice first */
	double		 size;
	double		 leading;	/* line height / size */
	PangoWeight	 weight;
	bool		 rtl;		/* base direction */
	PangoAlignment	 align;
	bool		 pre;		/* code: left to right, wrap anywhere */
	struct rgb	 color;
};

struct render;
static struct lay	*lay_new(struct render *, struct tb *,
			    const struct tstyle *, double);

/*
 * Lines sit on a grid of the paragraph's line height, the baseline where
 * its first font puts it: pango makes a line taller when it holds a run
 * of another font (a Latin quote mark in Nastaliq), and a paragraph's
 * lines would no longer be evenly spaced.
 */
static void
lay_measure(struct lay *ly)
{
	PangoLayoutIter	*it;
	PangoRectangle	 log;
	int		 k = 0;

	ly->nlines = pango_layout_get_line_count(ly->pl);
	free(ly->lines);
	ly->lines = xcalloc((size_t)ly->nlines, sizeof(*ly->lines));
	it = pango_layout_get_iter(ly->pl);
	do {
		if (k >= ly->nlines)
			break;
		pango_layout_iter_get_line_extents(it, NULL, &log);
		ly->lines[k].x = log.x / (double)PANGO_SCALE;
		ly->lines[k].w = log.width / (double)PANGO_SCALE;
		ly->lines[k].top = k * ly->pitch;
		ly->lines[k].h = ly->pitch;
		ly->lines[k].base = k * ly->pitch + ly->base;
		k++;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	ly->nlines = k;
}

static void
lay_set_width(struct lay *ly, double width)
{
	ly->width = width;
	pango_layout_set_width(ly->pl, width < 0 ? -1 :
	    (int)(width * PANGO_SCALE));
	lay_measure(ly);
}

static double
lay_height(const struct lay *ly)
{
	if (ly == NULL || ly->nlines == 0)
		return 0;
	return ly->lines[ly->nlines - 1].top + ly->lines[ly->nlines - 1].h -
	    ly->lines[0].top;
}

/* The widest line (logical), in points. */
static double
lay_natural(const struct lay *ly)
{
	PangoRectangle	log;

	pango_layout_get_extents(ly->pl, NULL, &log);
	return log.width / (double)PANGO_SCALE;
}

static void
attr_add(PangoAttrList *al, PangoAttribute *a, size_t s, size_t e)
{
	a->start_index = (guint)s;
	a->end_index = (guint)e;
	pango_attr_list_insert(al, a);
}

/*
 * The flow: items, and the tags around them.
 */
struct tagop {
	const char	*name;		/* "P", "LI", ... */
	const char	*attrs;		/* or NULL */
	bool		 end;
};

/* A list marker, drawn before pre[at] of its item, in a box. */
struct mark {
	struct lay	*lay;
	double		 x, w;
	size_t		 at;
};

enum item_kind {
	IT_LINE,
	IT_IMAGE,
	IT_ROW,
	IT_BOX,
	IT_RULE,
};

struct cell {
	struct lay	*lay;
	double		 x, w;		/* the column */
	bool		 head;
};

struct row {
	struct cell	*cells;
	size_t		 ncells;
	double		 pad;
	bool		 head;
	bool		 last;		/* the table's last row */
};

enum piece_kind {
	PC_LAY,
	PC_QR,
	PC_FILL,
	PC_FRAME,
	PC_IMAGE,
};

/* Something drawn in a box, at x (page) and y (from the box's top). */
struct piece {
	enum piece_kind	 kind;
	double		 x, y, w, h;
	struct lay	*lay;
	QRcode		*qr;
	struct image	*img;
	struct rgb	 color;
	const char	*tag;		/* structure tag, or NULL */
	const char	*link;		/* link attributes, or NULL */
};

/* Fills are drawn first, under the rest. */
struct box {
	struct piece	*p;
	size_t		 n;
};

#define MAX_MARKS	4
#define MAX_BARS	4

struct item {
	struct pdf_item	 b;
	enum item_kind	 kind;
	double		 x, w;		/* the block: left edge, width */
	struct lay	*lay;		/* IT_LINE */
	int		 line;
	struct image	*img;		/* IT_IMAGE: drawn at x, w by ih */
	struct row	*row;		/* IT_ROW */
	struct row	*head;		/* IT_ROW: the table's header row */
	struct box	*box;		/* IT_BOX */
	bool		 code;		/* IT_LINE: on a code background */
	struct tagop	*pre, *post;
	size_t		 npre, npost;
	struct mark	 marks[MAX_MARKS];
	size_t		 nmarks;
	double		 bars[MAX_BARS];	/* block quote rules */
	size_t		 nbars;
	unsigned	 bar_gap;	/* bars over the gap above, by bit */
	const char	*dest;		/* a link destination here */
	int		 level;		/* bookmark level, 0: none */
	const char	*outline;	/* bookmark text */
};

struct render {
	struct pdf_ctx		*ctx;
	const struct pdf_page	*pg;
	const struct theme	*th;
	const struct lang_style	*ls;
	struct arena		*a;
	bool			 rtl;
	double			 pw, ph;	/* page */
	double			 cx, cw;	/* content: left, width */
	double			 ctop, ch;	/* content: top, height */
	double			 size;		/* body text */
	double			 hlead;		/* headings' leading */
	double			 margin;
	const char		*family;	/* body text, with fallbacks */
	const char		*latin;
	const char		*mono;
	const char		*marker;
	bool			 latin_differs;	/* from the body's font */
	struct lay		*lays;		/* every layout, to free */
	QRcode			*qr;

	/* Images, by document order of their <img>. */
	xmlNodePtr		*imgnodes;
	struct image		**imgs;
	size_t			 nimgs;

	/* The flow. */
	struct item		*items;
	size_t			 nitems, capitems;
	struct tagop		*pend;		/* tags the next item opens */
	size_t			 npend, cappend;
	struct mark		 marks[MAX_MARKS];
	size_t			 nmarks;
	const char		*pend_dest;
	double			 space;		/* before the next item */
	double			 space_cap;	/* after a heading */
	double			 bars[MAX_BARS];
	size_t			 nbars;
	unsigned		 bars_fresh;	/* quotes without items yet */
	struct strmap		 dests;		/* link destinations */
	int			 nerr;

	/* Drawing. */
	cairo_t			*cr;
	cairo_surface_t		*surf;
	struct tagop		*open;		/* tags open now */
	size_t			 nopen, capopen;
	int			 outline[8];	/* last bookmark by level */
	struct lay		*header;
	struct lay		*date;
	double			 foot_h;
};

/* The line height, and the baseline centred in it by the first font. */
static void
line_metrics(struct render *r, struct lay *ly,
    const PangoFontDescription *fd, const struct tstyle *ts)
{
	PangoFontMetrics	*m;
	PangoFont		*f;
	PangoContext		*pc = pango_layout_get_context(ly->pl);
	double			 asc, desc;

	asc = 0.8 * ts->size;
	desc = 0.2 * ts->size;
	if ((f = pango_context_load_font(pc, fd)) != NULL) {
		m = pango_font_get_metrics(f, pango_language_from_string(
		    r->pg->lang->locale));
		asc = pango_font_metrics_get_ascent(m) / (double)PANGO_SCALE;
		desc = pango_font_metrics_get_descent(m) /
		    (double)PANGO_SCALE;
		pango_font_metrics_unref(m);
		g_object_unref(f);
	}
	ly->pitch = ts->size * ts->leading;
	ly->base = (ly->pitch - (asc + desc)) / 2 + asc;
}

static struct lay *
lay_new(struct render *r, struct tb *tb, const struct tstyle *ts,
    double width)
{
	PangoFontDescription	*fd;
	PangoAttrList		*al;
	struct isos		 is;
	struct lay		*ly;
	struct buf		 t;
	struct span		*s;
	size_t			 i, prev, st, en;
	bool			 rtl = ts->rtl && !ts->pre;

	tb_trim(tb);
	if (tb->text.len == 0)
		return NULL;
	memset(&is, 0, sizeof(is));
	find_isos(tb, rtl, &is);

	buf_init(&t);
	prev = 0;
	for (i = 0; i < is.n; i++) {
		if (!rtl && !is.v[i].rtl)
			continue;
		buf_add(&t, tb->text.data + prev, is.v[i].s - prev);
		buf_adds(&t, is.v[i].rtl ? "\xe2\x81\xa7" : "\xe2\x81\xa6");
		buf_add(&t, tb->text.data + is.v[i].s, is.v[i].e - is.v[i].s);
		buf_adds(&t, "\xe2\x81\xa9");
		prev = is.v[i].e;
	}
	buf_add(&t, tb->text.data + prev, tb->text.len - prev);

	ly = xcalloc(1, sizeof(*ly));
	ly->next = r->lays;
	r->lays = ly;
	ly->size = ts->size;
	ly->color = ts->color;
	ly->pl = pango_layout_new(r->ctx->pc[ts->rtl && !ts->pre]);
	pango_layout_set_auto_dir(ly->pl, FALSE);
	pango_layout_set_text(ly->pl, t.data, (int)t.len);
	ly->text = pango_layout_get_text(ly->pl);
	fd = pango_font_description_new();
	pango_font_description_set_family(fd, ts->pre ? r->mono : ts->family);
	pango_font_description_set_absolute_size(fd, ts->size * PANGO_SCALE);
	pango_font_description_set_weight(fd, ts->weight);
	pango_layout_set_font_description(ly->pl, fd);
	line_metrics(r, ly, fd, ts);
	pango_font_description_free(fd);

	al = pango_attr_list_new();
	attr_add(al, pango_attr_language_new(pango_language_from_string(
	    r->pg->lang->locale)), 0, t.len);
	/* Latin runs in the Latin font, unless it is the text's own. */
	if (!ts->pre && r->latin_differs)
		for (i = 0; i < is.n; i++) {
			if (!is.v[i].latin)
				continue;
			st = iso_map(&is, is.v[i].s, true, rtl);
			en = iso_map(&is, is.v[i].e, false, rtl);
			attr_add(al, pango_attr_family_new(r->latin), st, en);
		}
	ly->sp = xcalloc(tb->nsp + 1, sizeof(*ly->sp));
	for (i = 0; i < tb->nsp; i++) {
		s = &ly->sp[ly->nsp];
		*s = tb->sp[i];
		s->start = iso_map(&is, s->start, true, rtl);
		s->end = iso_map(&is, s->end, false, rtl);
		if (s->end <= s->start)
			continue;
		ly->nsp++;
		if (s->flags & SP_EM)
			attr_add(al, pango_attr_style_new(PANGO_STYLE_ITALIC),
			    s->start, s->end);
		if (s->flags & SP_STRONG)
			attr_add(al, pango_attr_weight_new(PANGO_WEIGHT_BOLD),
			    s->start, s->end);
		if (s->flags & SP_CODE)
			attr_add(al, pango_attr_family_new(r->mono), s->start,
			    s->end);
		if (s->flags & (SP_CODE | SP_LINK))
			attr_add(al, pango_attr_insert_hyphens_new(FALSE),
			    s->start, s->end);
		/* Colour and strikethrough split pango's runs there. */
		if (s->flags & SP_LINK)
			attr_add(al, pango_attr_foreground_new(0, 0, 65535),
			    s->start, s->end);
		if (s->flags & SP_SUP)
			attr_add(al, pango_attr_scale_new(0.7), s->start,
			    s->end);
		if (s->flags & SP_DEL)
			attr_add(al, pango_attr_strikethrough_new(TRUE),
			    s->start, s->end);
	}
	pango_layout_set_attributes(ly->pl, al);
	pango_attr_list_unref(al);
	pango_layout_set_wrap(ly->pl, ts->pre ? PANGO_WRAP_CHAR :
	    PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(ly->pl, ts->pre ? PANGO_ALIGN_LEFT :
	    ts->align);
	lay_set_width(ly, width);
	buf_release(&t);
	free(is.v);
	return ly;
}

static void
lay_free_all(struct lay *ly)
{
	struct lay	*next;

	for (; ly != NULL; ly = next) {
		next = ly->next;
		g_object_unref(ly->pl);
		free(ly->sp);
		free(ly->lines);
		free(ly);
	}
}

/* The style of body text at a scale, start-aligned. */
static struct tstyle
style(const struct render *r, double scale)
{
	struct tstyle	ts;

	memset(&ts, 0, sizeof(ts));
	ts.family = r->family;
	ts.size = r->size * scale;
	ts.leading = r->ls->leading;
	ts.weight = PANGO_WEIGHT_NORMAL;
	ts.rtl = r->rtl;
	ts.align = r->rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
	ts.color = r->th->text;
	return ts;
}

/* A layout of plain text (furniture, markers). */
static struct lay *
lay_text(struct render *r, const char *s, const struct tstyle *ts,
    double width, unsigned flags)
{
	struct tb	 tb;
	struct lay	*ly;
	size_t		 k;

	tb_init(&tb, false);
	k = tb_open(&tb, flags, NULL);
	tb_adds(&tb, s);
	tb_close(&tb, k);
	ly = lay_new(r, &tb, ts, width);
	tb_release(&tb);
	return ly;
}

/*
 * Building the flow.
 */
struct bctx {
	double	ind;		/* indent from the start side */
	double	scale;		/* text size, 1 but in footnotes */
	int	depth;
};

static void	blocks(struct render *, xmlNodePtr, const struct bctx *);

static bool
is_el(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    xmlStrcmp(n->name, X(name)) == 0;
}

/* An attribute's value from the arena, or NULL. */
static const char *
attr(struct render *r, xmlNodePtr n, const char *name)
{
	xmlChar		*v;
	const char	*s;

	if ((v = xmlGetProp(n, X(name))) == NULL)
		return NULL;
	s = arena_strdup(r->a, (const char *)v);
	xmlFree(v);
	return s;
}

static bool
has_class(xmlNodePtr n, const char *cls)
{
	xmlChar	*v;
	bool	 ok;

	if ((v = xmlGetProp(n, X("class"))) == NULL)
		return false;
	ok = strcmp((const char *)v, cls) == 0;
	xmlFree(v);
	return ok;
}

/* The text of a subtree, white space folded, from the arena. */
static const char *
plain_text(struct render *r, xmlNodePtr n)
{
	xmlChar		*v;
	struct tb	 tb;
	const char	*s;

	tb_init(&tb, false);
	if ((v = xmlNodeGetContent(n)) != NULL) {
		tb_adds(&tb, (const char *)v);
		xmlFree(v);
	}
	s = arena_strdup(r->a, tb.text.data != NULL ? tb.text.data : "");
	tb_release(&tb);
	return s;
}

static void
block_box(const struct render *r, const struct bctx *bc, double *x,
    double *w)
{
	*w = r->cw - bc->ind;
	*x = r->rtl ? r->cx : r->cx + bc->ind;
}

static void
gap(struct render *r, double s)
{
	if (s > r->space)
		r->space = s;
}

static void
pend_begin(struct render *r, const char *name, const char *attrs)
{
	if (r->npend == r->cappend) {
		r->cappend = r->cappend ? r->cappend * 2 : 16;
		r->pend = xreallocarray(r->pend, r->cappend,
		    sizeof(*r->pend));
	}
	r->pend[r->npend].name = name;
	r->pend[r->npend].attrs = attrs;
	r->pend[r->npend].end = false;
	r->npend++;
}

/*
 * Ends a tag: after the last item, or, when no item came since it began,
 * by forgetting it (with the markers that came after it).
 */
static void
pend_end(struct render *r, const char *name)
{
	struct item	*it;
	size_t		 i, k;

	if (r->npend > 0 && strcmp(r->pend[r->npend - 1].name, name) == 0) {
		r->npend--;
		for (i = k = 0; i < r->nmarks; i++)
			if (r->marks[i].at <= r->npend)
				r->marks[k++] = r->marks[i];
		r->nmarks = k;
		return;
	}
	if (r->nitems == 0)
		return;
	it = &r->items[r->nitems - 1];
	it->post = arena_grow(r->a, it->post, it->npost, sizeof(*it->post));
	it->post[it->npost].name = name;
	it->post[it->npost].attrs = NULL;
	it->post[it->npost].end = true;
	it->npost++;
}

static struct item *
item_add(struct render *r, enum item_kind kind, double x, double w,
    double h)
{
	struct item	*it;

	if (r->nitems == r->capitems) {
		r->capitems = r->capitems ? r->capitems * 2 : 64;
		r->items = xreallocarray(r->items, r->capitems,
		    sizeof(*r->items));
	}
	it = &r->items[r->nitems++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->x = x;
	it->w = w;
	it->b.h = h;
	it->b.space = r->space < r->space_cap ? r->space : r->space_cap;
	r->space = 0;
	r->space_cap = HUGE_VAL;
	if (r->npend > 0) {
		it->pre = arena_alloc(r->a, r->npend * sizeof(*it->pre));
		memcpy(it->pre, r->pend, r->npend * sizeof(*it->pre));
		it->npre = r->npend;
		r->npend = 0;
	}
	memcpy(it->marks, r->marks, sizeof(it->marks));
	it->nmarks = r->nmarks;
	r->nmarks = 0;
	it->dest = r->pend_dest;
	r->pend_dest = NULL;
	memcpy(it->bars, r->bars, sizeof(it->bars));
	it->nbars = r->nbars;
	it->bar_gap = ~r->bars_fresh;
	r->bars_fresh = 0;
	return it;
}

/*
 * A paragraph's lines.  A break may follow line k (0-based) of n when two
 * lines at least stay on each side; never inside a heading, nor after it.
 * Returns the index of the first item, or -1 when there were no lines.
 */
static long
emit_lines(struct render *r, struct lay *ly, const struct bctx *bc,
    const char *tag, bool keep_all, bool code)
{
	struct item	*it;
	double		 x, w;
	long		 first;
	int		 k, n;

	if (ly == NULL || ly->nlines == 0)
		return -1;
	block_box(r, bc, &x, &w);
	if (tag != NULL)
		pend_begin(r, tag, NULL);
	first = (long)r->nitems;
	n = ly->nlines;
	for (k = 0; k < n; k++) {
		it = item_add(r, IT_LINE, x, w, ly->lines[k].h);
		it->lay = ly;
		it->line = k;
		it->code = code;
		it->b.keep = keep_all || (k < n - 1 &&
		    !(k >= 1 && n - k - 1 >= 2));
	}
	if (tag != NULL)
		pend_end(r, tag);
	return first;
}

static size_t
img_index(const struct render *r, xmlNodePtr n)
{
	size_t	i;

	for (i = 0; i < r->nimgs; i++)
		if (r->imgnodes[i] == n)
			return i;
	return (size_t)-1;
}

static void
image_item(struct render *r, xmlNodePtr n, const struct bctx *bc)
{
	struct image	*im;
	struct item	*it;
	double		 x, w, s, iw, ih;
	size_t		 k;

	if ((k = img_index(r, n)) == (size_t)-1 || (im = r->imgs[k]) == NULL)
		return;
	block_box(r, bc, &x, &w);
	s = 1;
	if (im->w * s > w)
		s = w / im->w;
	if (im->h * s > r->ch * 0.6)
		s = r->ch * 0.6 / im->h;
	iw = im->w * s;
	ih = im->h * s;
	gap(r, 0.6 * r->size);
	pend_begin(r, "Figure", NULL);
	it = item_add(r, IT_IMAGE, x + (w - iw) / 2, iw, ih);
	it->img = im;
	pend_end(r, "Figure");
	gap(r, 0.6 * r->size);
}

/*
 * Inline content: the sibling nodes from first up to stop (or the last),
 * into a paragraph; images in it end the text before them and come as
 * items of their own, except in cells and headings (alt), where their
 * alt text stands for them.
 */
struct ist {
	struct render		*r;
	const struct bctx	*bc;
	struct tb		 tb;
	struct tstyle		 ts;
	const char		*tag;
	bool			 alt_only;
	size_t			*stack;
	size_t			 nstack, capstack;
	int			 fnref;
};

#define NO_SPAN	((size_t)-2)

static void
ist_push(struct ist *st, size_t v)
{
	if (st->nstack == st->capstack) {
		st->capstack = st->capstack ? st->capstack * 2 : 16;
		st->stack = xreallocarray(st->stack, st->capstack,
		    sizeof(*st->stack));
	}
	st->stack[st->nstack++] = v;
}

static void
ist_flush(struct ist *st)
{
	struct lay	*ly;
	double		 x, w;

	block_box(st->r, st->bc, &x, &w);
	ly = lay_new(st->r, &st->tb, &st->ts, w);
	if (ly != NULL)
		emit_lines(st->r, ly, st->bc, st->tag, false, false);
	tb_restart(&st->tb);
}

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool
inl_enter(struct ist *st, xmlNodePtr n)
{
	const char	*name, *href, *alt;
	char		*num;
	unsigned	 fl = 0;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content == NULL)
			return false;
		if (st->fnref > 0 && all_digits((const char *)n->content) &&
		    (num = l10n_number(st->r->pg->l10n,
		    atof((const char *)n->content), NULL)) != NULL) {
			tb_adds(&st->tb, num);
			free(num);
		} else
			tb_adds(&st->tb, (const char *)n->content);
		return false;
	}
	if (n->type != XML_ELEMENT_NODE)
		return false;
	name = (const char *)n->name;
	if (strcmp(name, "img") == 0) {
		ist_push(st, NO_SPAN);
		if (st->alt_only) {
			if ((alt = attr(st->r, n, "alt")) != NULL)
				tb_adds(&st->tb, alt);
		} else {
			ist_flush(st);
			image_item(st->r, n, st->bc);
		}
		return false;
	}
	if (strcmp(name, "br") == 0) {
		ist_push(st, NO_SPAN);
		tb_break(&st->tb);
		return false;
	}
	if (strcmp(name, "a") == 0 && has_class(n, "footnote-backref")) {
		ist_push(st, NO_SPAN);
		return false;
	}
	if (strcmp(name, "em") == 0 || strcmp(name, "i") == 0)
		fl = SP_EM;
	else if (strcmp(name, "strong") == 0 || strcmp(name, "b") == 0)
		fl = SP_STRONG;
	else if (strcmp(name, "code") == 0 || strcmp(name, "kbd") == 0 ||
	    strcmp(name, "samp") == 0)
		fl = SP_CODE;
	else if (strcmp(name, "del") == 0 || strcmp(name, "s") == 0)
		fl = SP_DEL;
	else if (strcmp(name, "sup") == 0) {
		fl = SP_SUP;
		if (has_class(n, "footnote-ref"))
			st->fnref++;
	} else if (strcmp(name, "a") == 0 &&
	    (href = attr(st->r, n, "href")) != NULL) {
		ist_push(st, tb_open(&st->tb, SP_LINK, href));
		return true;
	}
	ist_push(st, fl != 0 ? tb_open(&st->tb, fl, NULL) : NO_SPAN);
	return true;
}

static void
inl_exit(struct ist *st, xmlNodePtr n)
{
	size_t	v;

	if (st->nstack == 0)
		return;
	v = st->stack[--st->nstack];
	if (v != NO_SPAN)
		tb_close(&st->tb, v);
	if (is_el(n, "sup") && has_class(n, "footnote-ref") && st->fnref > 0)
		st->fnref--;
}

/* Walks first..stop (stop excluded, NULL: to the last sibling). */
static void
inl_walk(struct ist *st, xmlNodePtr first, xmlNodePtr stop)
{
	xmlNodePtr	top, n;

	if (first == NULL || first == stop)
		return;
	top = first->parent;
	n = first;
	while (n != NULL) {
		if (inl_enter(st, n) && n->children != NULL) {
			n = n->children;
			continue;
		}
		for (;;) {
			if (n->type == XML_ELEMENT_NODE)
				inl_exit(st, n);
			if (n->parent == top) {
				n = n->next == stop ? NULL : n->next;
				break;
			}
			if (n->next != NULL) {
				n = n->next;
				break;
			}
			n = n->parent;
		}
	}
}

static void
ist_init(struct ist *st, struct render *r, const struct bctx *bc,
    const char *tag)
{
	memset(st, 0, sizeof(*st));
	st->r = r;
	st->bc = bc;
	st->tag = tag;
	tb_init(&st->tb, false);
	st->ts = style(r, bc->scale);
}

static void
ist_release(struct ist *st)
{
	tb_release(&st->tb);
	free(st->stack);
}

static void
paragraph(struct render *r, xmlNodePtr first, xmlNodePtr stop,
    const struct bctx *bc)
{
	struct ist	st;

	ist_init(&st, r, bc, "P");
	inl_walk(&st, first, stop);
	ist_flush(&st);
	ist_release(&st);
}

/* Heading sizes by level: the title is level 0. */
static const double heading_scale[] = { 1.9, 1.5, 1.3, 1.12, 1, 1, 1 };

static void
heading(struct render *r, xmlNodePtr n, int level, const struct bctx *bc)
{
	struct ist	 st;
	struct lay	*ly;
	const char	*id;
	double		 x, w;
	long		 first;
	static const char *const tags[] = {
		"H1", "H1", "H2", "H3", "H4", "H5", "H6",
	};

	ist_init(&st, r, bc, NULL);
	st.alt_only = true;
	st.ts.size = r->size * heading_scale[level] * bc->scale;
	st.ts.weight = PANGO_WEIGHT_BOLD;
	st.ts.leading = r->hlead;
	if (level <= 2)
		st.ts.color = r->th->accent;
	inl_walk(&st, n->children, NULL);
	block_box(r, bc, &x, &w);
	gap(r, 1.1 * r->size);
	if ((id = attr(r, n, "id")) != NULL) {
		r->pend_dest = id;
		strmap_put(&r->dests, id, (void *)id);
	}
	ly = lay_new(r, &st.tb, &st.ts, w);
	first = emit_lines(r, ly, bc, tags[level], true, false);
	if (first >= 0) {
		r->items[first].level = level < 2 ? 2 : level;
		r->items[first].outline = plain_text(r, n);
		r->space_cap = 0.35 * r->size;
	} else if (id != NULL && r->pend_dest == id)
		r->pend_dest = NULL;
	ist_release(&st);
}

static const char *const bullets[] = { "\xe2\x80\xa2", "\xe2\x97\xa6",
    "\xe2\x96\xaa" };

static void
list(struct render *r, xmlNodePtr n, const struct bctx *bc)
{
	struct bctx	 in = *bc;
	struct tstyle	 ts;
	struct lay	*ly;
	struct mark	*m;
	xmlNodePtr	 li;
	const char	*v, *id;
	char		*s, *num;
	double		 x, w, gutter;
	long		 k = 1;
	bool		 ordered = is_el(n, "ol");

	if (ordered && (v = attr(r, n, "start")) != NULL) {
		k = strtol(v, NULL, 10);
		if (k < 0 || k > 1000000000)
			k = 1;
	}
	gutter = 1.7 * r->size * bc->scale;
	if (in.ind + gutter < r->cw / 2)
		in.ind += gutter;
	gutter = in.ind - bc->ind;
	in.depth++;
	block_box(r, &in, &x, &w);
	ts = style(r, bc->scale);
	ts.family = r->marker;
	ts.align = r->rtl ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT;
	if (ordered)
		ts.color = r->th->muted;
	gap(r, (bc->depth > 0 ? 0.2 : 0.5) * r->size);
	pend_begin(r, "L", NULL);
	for (li = n->children; li != NULL; li = li->next) {
		if (!is_el(li, "li"))
			continue;
		if (ordered) {
			num = l10n_number(r->pg->l10n, (double)k++, NULL);
			s = xasprintf("%s.", num != NULL ? num : "?");
			free(num);
		} else
			s = xstrdup(bullets[bc->depth % nitems(bullets)]);
		ly = gutter > 0.3 * r->size ? lay_text(r, s, &ts,
		    gutter - 0.3 * r->size, 0) : NULL;
		free(s);
		gap(r, 0.2 * r->size);
		if ((id = attr(r, li, "id")) != NULL) {
			r->pend_dest = id;
			strmap_put(&r->dests, id, (void *)id);
		}
		pend_begin(r, "LI", NULL);
		if (ly != NULL && r->nmarks < MAX_MARKS) {
			m = &r->marks[r->nmarks++];
			m->lay = ly;
			m->w = gutter - 0.3 * r->size;
			m->x = r->rtl ? x + w + 0.3 * r->size : x - gutter;
			m->at = r->npend;
		}
		pend_begin(r, "LBody", NULL);
		blocks(r, li->children, &in);
		pend_end(r, "LBody");
		pend_end(r, "LI");
		if (r->pend_dest == id)
			r->pend_dest = NULL;
	}
	pend_end(r, "L");
	gap(r, (bc->depth > 0 ? 0.2 : 0.5) * r->size);
}

static void
quote(struct render *r, xmlNodePtr n, const struct bctx *bc)
{
	struct bctx	in = *bc;
	double		x, w;

	block_box(r, bc, &x, &w);
	gap(r, 0.6 * r->size);
	pend_begin(r, "BlockQuote", NULL);
	if (r->nbars < MAX_BARS) {
		r->bars[r->nbars] = r->rtl ? x + w - 0.25 * r->size :
		    x + 0.25 * r->size;
		r->bars_fresh |= 1u << r->nbars;
		r->nbars++;
	}
	if (in.ind + 1.3 * r->size < r->cw / 2)
		in.ind += 1.3 * r->size;
	in.depth++;
	blocks(r, n->children, &in);
	if (r->nbars > 0) {
		r->nbars--;
		r->bars_fresh &= ~(1u << r->nbars);
	}
	pend_end(r, "BlockQuote");
	gap(r, 0.6 * r->size);
}

#define CODE_PAD(r)	(0.5 * (r)->size)

static void
code_block(struct render *r, xmlNodePtr n, const struct bctx *bc)
{
	struct tb	 tb;
	struct tstyle	 ts;
	struct lay	*ly;
	xmlChar		*v;
	double		 x, w;

	tb_init(&tb, true);
	if ((v = xmlNodeGetContent(n)) != NULL) {
		tb_adds(&tb, (const char *)v);
		xmlFree(v);
	}
	ts = style(r, 0.88 * bc->scale);
	ts.pre = true;
	ts.leading = 1.4;
	ts.rtl = false;
	block_box(r, bc, &x, &w);
	gap(r, 0.6 * r->size);
	ly = lay_new(r, &tb, &ts, w - 2 * CODE_PAD(r));
	emit_lines(r, ly, bc, "Code", false, true);
	gap(r, 0.6 * r->size);
	tb_release(&tb);
}

/* A rule across the block, or frac of it on the start side. */
static void
rule(struct render *r, const struct bctx *bc, double frac)
{
	double	x, w;

	block_box(r, bc, &x, &w);
	if (frac < 1 && r->rtl)
		x += w * (1 - frac);
	w *= frac;
	gap(r, 0.8 * r->size);
	item_add(r, IT_RULE, x, w, 0.6);
	gap(r, 0.8 * r->size);
}

/*
 * Tables: one item per row, never split; the header row comes again at
 * the top of each page the table continues on; columns run from the
 * start side, so right to left in right-to-left languages.
 */
static PangoAlignment
cell_align(const struct render *r, xmlNodePtr c)
{
	xmlChar		*v;
	PangoAlignment	 a;
	bool		 end = false;

	a = r->rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
	if ((v = xmlGetProp(c, X("style"))) == NULL)
		return a;
	if (strstr((const char *)v, "center") != NULL)
		a = PANGO_ALIGN_CENTER;
	else if (strstr((const char *)v, "end") != NULL ||
	    strstr((const char *)v, "right") != NULL)
		end = true;
	xmlFree(v);
	if (end)
		a = r->rtl ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT;
	return a;
}

static void
table(struct render *r, xmlNodePtr t, const struct bctx *bc)
{
	xmlNodePtr	 sec, tr, c;
	struct row	**rows = NULL, *row, *head = NULL;
	struct ist	 st;
	struct item	*it;
	double		*nat = NULL, *min = NULL, *cw = NULL;
	double		 x, w, pad, snat = 0, smin = 0, h, cx, head_h = 0;
	size_t		 nrows = 0, ncols = 0, i, j;

	block_box(r, bc, &x, &w);
	pad = 0.4 * r->size * bc->scale;
	/* Rows: thead's, then tbody's (or rows straight in the table). */
	for (sec = t->children; sec != NULL; sec = sec->next) {
		if (!is_el(sec, "thead") && !is_el(sec, "tbody") &&
		    !is_el(sec, "tr"))
			continue;
		for (tr = is_el(sec, "tr") ? sec : sec->children; tr != NULL;
		    tr = is_el(sec, "tr") ? NULL : tr->next) {
			if (!is_el(tr, "tr"))
				continue;
			row = arena_alloc(r->a, sizeof(*row));
			row->pad = pad;
			row->head = is_el(sec, "thead");
			for (c = tr->children; c != NULL; c = c->next) {
				if (!is_el(c, "td") && !is_el(c, "th"))
					continue;
				row->cells = arena_grow(r->a, row->cells,
				    row->ncells, sizeof(*row->cells));
				row->cells[row->ncells].head = is_el(c, "th");
				ist_init(&st, r, bc, NULL);
				st.alt_only = true;
				st.ts.align = cell_align(r, c);
				if (is_el(c, "th"))
					st.ts.weight = PANGO_WEIGHT_BOLD;
				inl_walk(&st, c->children, NULL);
				row->cells[row->ncells].lay = lay_new(r,
				    &st.tb, &st.ts, -1);
				ist_release(&st);
				row->ncells++;
			}
			rows = xreallocarray(rows, nrows + 1, sizeof(*rows));
			rows[nrows++] = row;
			if (row->ncells > ncols)
				ncols = row->ncells;
		}
	}
	if (nrows == 0 || ncols == 0)
		goto out;
	/* Column widths: natural when they fit, else between min and it. */
	nat = xcalloc(ncols, sizeof(*nat));
	min = xcalloc(ncols, sizeof(*min));
	cw = xcalloc(ncols, sizeof(*cw));
	for (i = 0; i < nrows; i++)
		for (j = 0; j < rows[i]->ncells; j++) {
			struct lay	*ly = rows[i]->cells[j].lay;

			if (ly == NULL)
				continue;
			if (lay_natural(ly) > nat[j])
				nat[j] = lay_natural(ly);
			pango_layout_set_wrap(ly->pl, PANGO_WRAP_WORD);
			lay_set_width(ly, 1);
			if (lay_natural(ly) > min[j])
				min[j] = lay_natural(ly);
			pango_layout_set_wrap(ly->pl, PANGO_WRAP_WORD_CHAR);
		}
	for (j = 0; j < ncols; j++) {
		nat[j] += 2 * pad + 1;
		min[j] += 2 * pad + 1;
		snat += nat[j];
		smin += min[j];
	}
	for (j = 0; j < ncols; j++)
		if (snat <= w)
			cw[j] = nat[j] + (w - snat) * nat[j] / snat;
		else if (smin >= w || snat <= smin)
			cw[j] = w * min[j] / smin;
		else
			cw[j] = min[j] + (w - smin) * (nat[j] - min[j]) /
			    (snat - smin);
	gap(r, 0.7 * r->size);
	pend_begin(r, "Table", NULL);
	for (i = 0; i < nrows; i++) {
		row = rows[i];
		h = 0;
		cx = r->rtl ? x + w : x;
		for (j = 0; j < ncols; j++) {
			if (r->rtl)
				cx -= cw[j];
			if (j < row->ncells) {
				row->cells[j].x = cx;
				row->cells[j].w = cw[j];
				if (row->cells[j].lay != NULL) {
					lay_set_width(row->cells[j].lay,
					    cw[j] - 2 * pad > 1 ?
					    cw[j] - 2 * pad : 1);
					if (lay_height(row->cells[j].lay) > h)
						h = lay_height(
						    row->cells[j].lay);
				}
			}
			if (!r->rtl)
				cx += cw[j];
		}
		if (h == 0)
			h = r->size * r->ls->leading * bc->scale;
		row->last = i + 1 == nrows;
		pend_begin(r, "TR", NULL);
		it = item_add(r, IT_ROW, x, w, h + 2 * pad);
		it->row = row;
		if (row->head) {
			it->b.keep = true;
			head = row;
			head_h = it->b.h;
		} else if (head != NULL) {
			it->head = head;
			it->b.head = head_h;
		}
		pend_end(r, "TR");
	}
	pend_end(r, "Table");
	gap(r, 0.7 * r->size);
out:
	free(rows);
	free(nat);
	free(min);
	free(cw);
}

static void
footnotes(struct render *r, xmlNodePtr n, const struct bctx *bc)
{
	struct bctx	in = *bc;
	xmlNodePtr	c;

	in.scale = 0.85;
	gap(r, 1.2 * r->size);
	rule(r, bc, 0.3);
	for (c = n->children; c != NULL; c = c->next)
		if (is_el(c, "ol"))
			list(r, c, &in);
}

static bool
is_block(xmlNodePtr n)
{
	static const char *const names[] = {
		"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
		"blockquote", "pre", "hr", "table", "section", "div",
	};
	size_t	i;

	if (n->type != XML_ELEMENT_NODE)
		return false;
	for (i = 0; i < nitems(names); i++)
		if (xmlStrcmp(n->name, X(names[i])) == 0)
			return true;
	return false;
}

static bool
is_blank(xmlNodePtr n)
{
	const xmlChar	*c;

	if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
		return true;
	if (n->type != XML_TEXT_NODE)
		return false;
	for (c = n->content; c != NULL && *c != '\0'; c++)
		if (*c != ' ' && *c != '\n' && *c != '\t' && *c != '\r')
			return false;
	return true;
}

static void
block(struct render *r, xmlNodePtr n, const struct bctx *bc)
{
	const char	*name = (const char *)n->name;

	if (bc->depth > MAX_DEPTH) {
		/* Deeper than any handout: its text, as a paragraph. */
		gap(r, 0.6 * r->size);
		paragraph(r, n, n->next, bc);
		return;
	}
	if (strcmp(name, "p") == 0) {
		gap(r, 0.6 * r->size);
		paragraph(r, n->children, NULL, bc);
		gap(r, 0.6 * r->size);
	} else if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' &&
	    name[2] == '\0')
		heading(r, n, name[1] - '0', bc);
	else if (strcmp(name, "ul") == 0 || strcmp(name, "ol") == 0)
		list(r, n, bc);
	else if (strcmp(name, "blockquote") == 0)
		quote(r, n, bc);
	else if (strcmp(name, "pre") == 0)
		code_block(r, n, bc);
	else if (strcmp(name, "hr") == 0)
		rule(r, bc, 1);
	else if (strcmp(name, "table") == 0)
		table(r, n, bc);
	else if (strcmp(name, "section") == 0 && has_class(n, "footnotes"))
		footnotes(r, n, bc);
	else {
		struct bctx	in = *bc;

		in.depth++;
		blocks(r, n->children, &in);
	}
}

/* Block content: inline runs between blocks become paragraphs. */
static void
blocks(struct render *r, xmlNodePtr first, const struct bctx *bc)
{
	xmlNodePtr	n, run = NULL;

	for (n = first; n != NULL; n = n->next) {
		if (is_block(n)) {
			if (run != NULL)
				paragraph(r, run, n, bc);
			run = NULL;
			block(r, n, bc);
		} else if (run == NULL && !is_blank(n))
			run = n;
	}
	if (run != NULL)
		paragraph(r, run, NULL, bc);
}

/*
 * Boxes: the helplines and the QR code.
 */
static struct piece *
piece_add(struct render *r, struct box *b, enum piece_kind kind, double x,
    double y, double w, double h)
{
	struct piece	*p;

	b->p = arena_grow(r->a, b->p, b->n, sizeof(*b->p));
	p = &b->p[b->n++];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->x = x;
	p->y = y;
	p->w = w;
	p->h = h;
	return p;
}

/*
 * A URL as ASCII: bytes outside printable ASCII (an Urdu slug, a space)
 * percent-encoded, as links in a PDF and QR codes want them.  From the
 * arena.
 */
static const char *
url_ascii(struct render *r, const char *url)
{
	struct buf		 b;
	const unsigned char	*s;
	const char		*out;

	buf_init(&b);
	for (s = (const unsigned char *)url; *s != '\0'; s++)
		if (*s <= 0x20 || *s >= 0x7f)
			buf_printf(&b, "%%%02X", *s);
		else
			buf_addc(&b, (char)*s);
	out = arena_strdup(r->a, b.data != NULL ? b.data : "");
	buf_release(&b);
	return out;
}

/* cairo's link attributes for a URL: uri='...' with ' and \ escaped. */
static const char *
link_uri(struct render *r, const char *url)
{
	struct buf	 b;
	const char	*s;

	buf_init(&b);
	buf_adds(&b, "uri='");
	for (s = url_ascii(r, url); *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *s);
	}
	buf_addc(&b, '\'');
	s = arena_strdup(r->a, b.data);
	buf_release(&b);
	return s;
}

/*
 * A helpline's field in this language: the text of child name, or, when
 * it maps languages to texts, the one of this language's code (else the
 * first).  NULL when absent.
 */
static const char *
field(struct render *r, xmlNodePtr item, const char *name)
{
	xmlNodePtr	c, v, pick = NULL;

	for (c = item->children; c != NULL; c = c->next)
		if (is_el(c, name))
			break;
	if (c == NULL)
		return NULL;
	for (v = c->children; v != NULL; v = v->next)
		if (v->type == XML_ELEMENT_NODE) {
			if (pick == NULL || xmlStrcmp(v->name,
			    X(r->pg->lang->code)) == 0)
				pick = v;
		}
	return plain_text(r, pick != NULL ? pick : c);
}

/* Whether an entry is for this language (no "languages": for all). */
static bool
for_lang(struct render *r, xmlNodePtr item)
{
	xmlNodePtr	c, v;
	const char	*s;
	bool		 any = false;

	for (c = item->children; c != NULL; c = c->next)
		if (is_el(c, "languages"))
			break;
	if (c == NULL)
		return true;
	for (v = c->children; v != NULL; v = v->next)
		if (is_el(v, "item")) {
			any = true;
			s = plain_text(r, v);
			if (strcmp(s, r->pg->lang->code) == 0)
				return true;
		}
	if (!any)
		return strcmp(plain_text(r, c), r->pg->lang->code) == 0;
	return false;
}

static char *
message(struct render *r, const char *key, const struct l10n_arg *args,
    size_t nargs)
{
	if (key == NULL)
		return NULL;
	return l10n_format(r->pg->l10n, key, args, nargs, NULL);
}

static void
helplines(struct render *r)
{
	struct box	*b;
	struct piece	*p;
	struct tstyle	 ts, ps;
	struct tb	 tb;
	struct lay	*ly, *pill;
	struct item	*it;
	xmlNodePtr	 c;
	const char	*name, *number, *country, *sample;
	char		*title, *word;
	double		 pad, bar, inner, y, pw, ix;
	bool		 is_sample;
	size_t		 k, n = 0;

	if (r->pg->helplines == NULL)
		return;
	b = arena_alloc(r->a, sizeof(*b));
	pad = 0.7 * r->size;
	bar = 3;
	inner = r->cw - 2 * pad - bar;
	ix = r->rtl ? r->cx + pad : r->cx + bar + pad;
	y = pad;
	ts = style(r, 0.95);
	if ((title = message(r, r->th->msg_helplines, NULL, 0)) != NULL) {
		ts.weight = PANGO_WEIGHT_BOLD;
		ts.color = r->th->accent;
		if ((ly = lay_text(r, title, &ts, inner, 0)) != NULL) {
			p = piece_add(r, b, PC_LAY, ix, y, inner,
			    lay_height(ly));
			p->lay = ly;
			p->tag = "P";
			y += lay_height(ly) + 0.2 * r->size;
		}
		free(title);
		ts.weight = PANGO_WEIGHT_NORMAL;
		ts.color = r->th->text;
	}
	ps = style(r, 0.7);
	ps.weight = PANGO_WEIGHT_BOLD;
	ps.color = r->th->sample;
	ps.leading = 1.35;
	word = message(r, r->th->msg_sample, NULL, 0);
	for (c = r->pg->helplines->children; c != NULL; c = c->next) {
		if (!is_el(c, "item") || !for_lang(r, c))
			continue;
		name = field(r, c, "name");
		number = field(r, c, "number");
		country = field(r, c, "country");
		sample = field(r, c, "sample");
		is_sample = sample != NULL && (strcasecmp(sample, "true") ==
		    0 || strcasecmp(sample, "yes") == 0);
		if (name == NULL && number == NULL)
			continue;
		pill = NULL;
		pw = 0;
		if (is_sample && (pill = lay_text(r, word != NULL ? word :
		    "sample", &ps, -1, 0)) != NULL)
			pw = lay_natural(pill) + 0.8 * r->size;
		tb_init(&tb, false);
		if (name != NULL)
			tb_adds(&tb, name);
		if (number != NULL) {
			if (name != NULL)
				tb_adds(&tb, ": ");
			k = tb_open(&tb, SP_LTR | SP_STRONG, NULL);
			tb_adds(&tb, number);
			tb_close(&tb, k);
		}
		if (country != NULL && *country != '\0') {
			tb_adds(&tb, " \xe2\x80\x94 ");
			tb_adds(&tb, country);
		}
		ly = lay_new(r, &tb, &ts, inner - (pw > 0 ? pw + 0.5 *
		    r->size : 0));
		tb_release(&tb);
		if (ly == NULL)
			continue;
		p = piece_add(r, b, PC_LAY, r->rtl && pw > 0 ? ix + pw + 0.5 *
		    r->size : ix, y, ly->width, lay_height(ly));
		p->lay = ly;
		p->tag = "P";
		if (pill != NULL) {
			/* Beside the first line's end, on its baseline. */
			const struct lline	*l0 = &ly->lines[0];
			double			 px, py;

			px = r->rtl ? p->x + l0->x - 0.5 * r->size - pw :
			    p->x + l0->x + l0->w + 0.5 * r->size;
			py = y + l0->base - pill->lines[0].base;
			p = piece_add(r, b, PC_FRAME, px, py, pw,
			    lay_height(pill));
			p->color = r->th->sample;
			p = piece_add(r, b, PC_LAY, px + 0.4 * r->size, py,
			    pw - 0.8 * r->size, lay_height(pill));
			p->lay = pill;
		}
		y += lay_height(ly) + 0.15 * r->size;
		n++;
	}
	free(word);
	if (n == 0)
		return;
	y += pad;
	piece_add(r, b, PC_FILL, r->cx, 0, r->cw, y)->color = r->th->box;
	piece_add(r, b, PC_FILL, r->rtl ? r->cx + r->cw - bar : r->cx, 0,
	    bar, y)->color = r->th->accent;
	gap(r, 1.2 * r->size);
	pend_begin(r, "Sect", NULL);
	it = item_add(r, IT_BOX, r->cx, r->cw, y);
	it->box = b;
	pend_end(r, "Sect");
}

static void
qr_box(struct render *r)
{
	const char	*url = r->pg->url, *link;
	struct tstyle	 ts;
	struct lay	*ly;
	struct box	*b;
	struct piece	*p;
	struct item	*it;
	double		 mod, size, g, lw;

	if (url == NULL || *url == '\0')
		return;
	r->qr = QRcode_encodeString(url_ascii(r, url), 0, QR_ECLEVEL_M,
	    QR_MODE_8, 1);
	if (r->qr == NULL) {
		diag_warning(r->pg->src, 0, 0, "the handout has no QR code: "
		    "cannot encode '%s'", url);
		return;
	}
	mod = 72.0 / (r->qr->width + 8);
	if (mod < 1.4)
		mod = 1.4;
	if (mod > 2.4)
		mod = 2.4;
	size = mod * (r->qr->width + 8);
	g = 0.6 * r->size;
	lw = r->cw - size - g;
	ts = style(r, 0.8);
	ts.family = r->latin;
	ts.rtl = false;
	ts.align = r->rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
	ts.leading = 1.35;
	ts.color = r->th->muted;
	link = link_uri(r, url);
	b = arena_alloc(r->a, sizeof(*b));
	p = piece_add(r, b, PC_QR, r->rtl ? r->cx + r->cw - size : r->cx, 0,
	    size, size);
	p->qr = r->qr;
	p->tag = "Figure";
	p->link = link;
	if (lw > 20 && (ly = lay_text(r, url, &ts, lw, 0)) != NULL) {
		p = piece_add(r, b, PC_LAY, r->rtl ? r->cx : r->cx + size + g,
		    (size - lay_height(ly)) / 2, lw, lay_height(ly));
		p->lay = ly;
		p->tag = "P";
		p->link = link;
	}
	gap(r, 1.4 * r->size);
	it = item_add(r, IT_BOX, r->cx, r->cw, size);
	it->box = b;
}

static void
title_block(struct render *r)
{
	struct bctx	 bc;
	struct tstyle	 ts;
	struct lay	*ly;
	long		 first;

	memset(&bc, 0, sizeof(bc));
	bc.scale = 1;
	ts = style(r, heading_scale[0]);
	ts.weight = PANGO_WEIGHT_BOLD;
	ts.leading = r->hlead;
	ts.color = r->th->accent;
	if (r->pg->title != NULL && (ly = lay_text(r, r->pg->title, &ts,
	    r->cw, 0)) != NULL) {
		first = emit_lines(r, ly, &bc, "H1", true, false);
		r->items[first].level = 1;
		r->items[first].outline = r->pg->title;
		r->space_cap = 0.5 * r->size;
	}
	if (r->pg->summary != NULL && *r->pg->summary != '\0') {
		ts = style(r, 1.1);
		ts.color = r->th->muted;
		gap(r, 0.5 * r->size);
		emit_lines(r, lay_text(r, r->pg->summary, &ts, r->cw, 0), &bc,
		    "P", false, false);
	}
	gap(r, 1.0 * r->size);
}

static bool
has_scheme(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return false;
	while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' ||
	    *s == '.')
		s++;
	return *s == ':';
}

/* Link attributes for a destination, or NULL: not clickable on paper. */
static const char *
link_attrs(struct render *r, const char *href)
{
	static const char *const schemes[] = {
		"http:", "https:", "mailto:", "tel:", "sms:", "ftp:",
	};
	struct buf	 b;
	const char	*s;
	char		*u;
	size_t		 i;

	if (href[0] == '#') {
		if (strmap_get(&r->dests, href + 1) == NULL)
			return NULL;
		buf_init(&b);
		buf_adds(&b, "dest='");
		for (s = href + 1; *s != '\0'; s++) {
			if (*s == '\'' || *s == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, *s);
		}
		buf_addc(&b, '\'');
		s = arena_strdup(r->a, b.data);
		buf_release(&b);
		return s;
	}
	if (has_scheme(href)) {
		for (i = 0; i < nitems(schemes); i++)
			if (strncasecmp(href, schemes[i], strlen(schemes[i]))
			    == 0)
				return link_uri(r, href);
		return NULL;
	}
	if (has_prefix(href, "//")) {
		u = xasprintf("https:%s", href);
		s = link_uri(r, u);
		free(u);
		return s;
	}
	if (url_is_site_path(href) && r->pg->base_url != NULL &&
	    *r->pg->base_url != '\0') {
		u = xasprintf("%s%s", r->pg->base_url, href);
		s = link_uri(r, u);
		free(u);
		return s;
	}
	return NULL;
}

static void
resolve_links(struct render *r)
{
	struct lay	*ly;
	size_t		 i;

	for (ly = r->lays; ly != NULL; ly = ly->next)
		for (i = 0; i < ly->nsp; i++) {
			if (!(ly->sp[i].flags & SP_LINK))
				continue;
			ly->sp[i].link = link_attrs(r, ly->sp[i].href);
			if (ly->sp[i].link == NULL)
				ly->sp[i].flags &= ~SP_LINK;
		}
}

/*
 * Images, before the layout: every <img> of the body in document order,
 * read and checked, so that all the missing ones are reported at once.
 * The k-th pairs with md_scan's k-th image for its position.
 */
static void
image_pos(const struct render *r, size_t k, int *line, int *col,
    const char **dest)
{
	size_t	i, m = 0;

	*line = *col = 0;
	for (i = 0; r->pg->links != NULL && i < r->pg->nlinks; i++) {
		if (!r->pg->links[i].image)
			continue;
		if (m++ == k) {
			*line = r->pg->links[i].line;
			*col = r->pg->links[i].col;
			*dest = r->pg->links[i].dest;
			return;
		}
	}
}

static struct image *
image_data_url(const char *src, const char **why, bool *unsup)
{
	const char	*comma;
	guchar		*raw;
	gsize		 len;
	struct image	*im;

	*unsup = false;
	comma = strchr(src, ',');
	if (comma == NULL || comma - src < 7 ||
	    strncmp(comma - 7, ";base64", 7) != 0) {
		*why = "only base64 data URLs are read";
		return NULL;
	}
	raw = g_base64_decode(comma + 1, &len);
	im = image_new("data", (char *)raw, len, why, unsup);
	g_free(raw);
	return im;
}

/*
 * The file an image's src names (malloc'd; NULL when its path leaves the
 * site): site paths ("/images/x.svg") from root/static/, then
 * root/content/; other relative ones from the content file's folder.
 */
static char *
image_file(const struct pdf_page *pg, const char *src)
{
	char	*path, *dec, *dir, *joined, *norm = NULL, *file = NULL;

	path = xstrndup(src, strcspn(src, "?#"));
	if ((dec = g_uri_unescape_string(path, NULL)) != NULL) {
		free(path);
		path = xstrdup(dec);
		g_free(dec);
	}
	if (url_is_site_path(path)) {
		if ((norm = path_normalize(path + 1)) != NULL) {
			joined = xasprintf("static/%s", norm);
			file = path_join(pg->root, joined);
			free(joined);
			if (!is_file(file)) {
				free(file);
				joined = xasprintf("content/%s", norm);
				file = path_join(pg->root, joined);
				free(joined);
			}
		}
	} else {
		dir = path_dirname(pg->src);
		joined = path_join(dir, path);
		if ((norm = path_normalize(joined)) != NULL)
			file = path_join(pg->root, norm);
		free(dir);
		free(joined);
	}
	free(norm);
	free(path);
	return file;
}

static void
image_load(struct render *r, size_t k, const char *src)
{
	const char	*dest = src, *why = NULL;
	char		*file, *data;
	size_t		 len;
	bool		 unsup = false;
	int		 line, col;

	image_pos(r, k, &line, &col, &dest);
	if (has_prefix(src, "data:")) {
		if ((r->imgs[k] = image_data_url(src, &why, &unsup)) == NULL)
			diag_warning(r->pg->src, line, col, "image is left "
			    "out of the handout: %s", why);
		return;
	}
	if (has_scheme(src) || has_prefix(src, "//")) {
		diag_warning(r->pg->src, line, col, "remote image '%s' is "
		    "left out of the handout", dest);
		return;
	}
	file = image_file(r->pg, src);
	if (file == NULL || !is_file(file)) {
		/* As the site's check says it: reported once. */
		diag_error(r->pg->src, line, col, "image '%s' not found", dest);
		r->nerr++;
	} else if (file_read(file, &data, &len) == -1) {
		diag_error(r->pg->src, line, col, "cannot read image '%s': %s",
		    dest, strerror(errno));
		r->nerr++;
	} else {
		r->imgs[k] = image_new(file, data, len, &why, &unsup);
		if (r->imgs[k] == NULL && unsup)
			diag_warning(r->pg->src, line, col, "image '%s' is "
			    "left out of the handout: %s", dest, why);
		else if (r->imgs[k] == NULL) {
			diag_error(r->pg->src, line, col, "cannot read image "
			    "'%s': %s", dest, why);
			r->nerr++;
		}
		free(data);
	}
	free(file);
}

static void
images_load(struct render *r)
{
	xmlNodePtr	 n, body = r->pg->body;
	xmlChar		*src;
	size_t		 k;

	n = body != NULL ? body->children : NULL;
	while (n != NULL) {
		if (is_el(n, "img")) {
			r->imgnodes = xreallocarray(r->imgnodes, r->nimgs + 1,
			    sizeof(*r->imgnodes));
			r->imgnodes[r->nimgs++] = n;
		}
		if (n->type == XML_ELEMENT_NODE && n->children != NULL) {
			n = n->children;
			continue;
		}
		while (n != NULL && n->next == NULL) {
			n = n->parent;
			if (n == body)
				n = NULL;
		}
		if (n != NULL)
			n = n->next;
	}
	r->imgs = xcalloc(r->nimgs + 1, sizeof(*r->imgs));
	for (k = 0; k < r->nimgs; k++) {
		if ((src = xmlGetProp(r->imgnodes[k], X("src"))) == NULL)
			continue;
		image_load(r, k, (const char *)src);
		xmlFree(src);
	}
}

/*
 * Drawing.
 */
static void
set_color(cairo_t *cr, const struct rgb *c)
{
	cairo_set_source_rgb(cr, c->r, c->g, c->b);
}

/* The flags of the spans at offset off, and the innermost link. */
static unsigned
span_at(const struct lay *ly, size_t off, const char **link)
{
	unsigned	fl = 0;
	size_t		i;

	*link = NULL;
	for (i = 0; i < ly->nsp; i++)
		if (ly->sp[i].start <= off && off < ly->sp[i].end) {
			fl |= ly->sp[i].flags;
			if (ly->sp[i].flags & SP_LINK)
				*link = ly->sp[i].link;
		}
	return fl;
}

/*
 * Line k of a layout whose first line's top is at (x0, ytop - the line's
 * own offset): run by run, left to right as pango ordered them.
 */
static void
draw_line(struct render *r, const struct lay *ly, int k, double x0,
    double ytop)
{
	const struct lline	*ll = &ly->lines[k];
	PangoLayoutLine		*line;
	PangoGlyphItem		*run;
	GSList			*l;
	const char		*link;
	cairo_t			*cr = r->cr;
	double			 x, y, w, base, t;
	unsigned		 fl;

	line = pango_layout_get_line_readonly(ly->pl, k);
	x = x0 + ll->x;
	base = ytop + (ll->base - ll->top);
	for (l = line->runs; l != NULL; l = l->next) {
		run = l->data;
		w = pango_glyph_string_get_width(run->glyphs) /
		    (double)PANGO_SCALE;
		if (run->glyphs->num_glyphs == 0) {
			x += w;
			continue;
		}
		fl = span_at(ly, (size_t)run->item->offset, &link);
		y = base - ((fl & SP_SUP) ? 0.33 * ly->size : 0);
		if (link != NULL)
			cairo_tag_begin(cr, CAIRO_TAG_LINK, link);
		set_color(cr, link != NULL ? &r->th->accent : &ly->color);
		cairo_move_to(cr, x, y);
		pango_cairo_show_glyph_item(cr, ly->text, run);
		t = 0.06 * ly->size < 0.4 ? 0.4 : 0.06 * ly->size;
		/* Arabic script is not underlined: its letters go below. */
		if (link != NULL && !(fl & SP_SUP) &&
		    run->item->analysis.script != PANGO_SCRIPT_ARABIC) {
			cairo_rectangle(cr, x, y + 0.15 * ly->size, w, t);
			cairo_fill(cr);
		}
		if (fl & SP_DEL) {
			cairo_rectangle(cr, x, y - 0.3 * ly->size, w, t);
			cairo_fill(cr);
		}
		if (link != NULL)
			cairo_tag_end(cr, CAIRO_TAG_LINK);
		x += w;
	}
}

/* Every line of a layout, its top at (x, y). */
static void
draw_lay(struct render *r, const struct lay *ly, double x, double y)
{
	int	k;

	for (k = 0; k < ly->nlines; k++)
		draw_line(r, ly, k, x, y + ly->lines[k].top - ly->lines[0].top);
}

static void
tag_begin(struct render *r, const char *name, const char *attrs)
{
	if (r->nopen == r->capopen) {
		r->capopen = r->capopen ? r->capopen * 2 : 16;
		r->open = xreallocarray(r->open, r->capopen,
		    sizeof(*r->open));
	}
	r->open[r->nopen].name = name;
	r->open[r->nopen].attrs = attrs;
	r->open[r->nopen].end = false;
	r->nopen++;
	cairo_tag_begin(r->cr, name, attrs);
}

static void
tag_end(struct render *r)
{
	if (r->nopen == 0)
		return;
	r->nopen--;
	cairo_tag_end(r->cr, r->open[r->nopen].name);
}

/* Tags whose content is marked: those that hold no other tags. */
static bool
is_leaf_tag(const char *name)
{
	static const char *const parents[] = {
		"Document", "Sect", "L", "LI", "LBody", "Table", "TR",
		"BlockQuote",
	};
	size_t	i;

	for (i = 0; i < nitems(parents); i++)
		if (strcmp(name, parents[i]) == 0)
			return false;
	return true;
}

static void
hline(struct render *r, double x, double y, double w, double t,
    const struct rgb *c)
{
	set_color(r->cr, c);
	cairo_rectangle(r->cr, x, y - t / 2, w, t);
	cairo_fill(r->cr);
}

static void
draw_row(struct render *r, const struct row *row, double x, double y,
    double w, double h, bool tagged)
{
	const struct cell	*c;
	size_t			 i;

	if (row->head) {
		set_color(r->cr, &r->th->box);
		cairo_rectangle(r->cr, x, y, w, h);
		cairo_fill(r->cr);
	}
	for (i = 0; i < row->ncells; i++) {
		c = &row->cells[i];
		if (tagged)
			tag_begin(r, c->head ? "TH" : "TD", NULL);
		if (c->lay != NULL)
			draw_lay(r, c->lay, c->x + row->pad, y + row->pad);
		if (tagged)
			tag_end(r);
	}
	hline(r, x, y + h, w, row->head || row->last ? 0.8 : 0.4,
	    &r->th->rule);
	if (row->head)
		hline(r, x, y, w, 0.8, &r->th->rule);
}

/* Dark modules as rectangles, a row's runs merged; the quiet zone is 4. */
static void
draw_qr(struct render *r, const struct piece *p)
{
	const QRcode	*q = p->qr;
	double		 m = p->w / (q->width + 8);
	int		 x, y, x0;

	set_color(r->cr, &r->th->text);
	for (y = 0; y < q->width; y++)
		for (x = 0; x < q->width; ) {
			if (!(q->data[y * q->width + x] & 1)) {
				x++;
				continue;
			}
			for (x0 = x; x < q->width &&
			    (q->data[y * q->width + x] & 1); x++)
				continue;
			/* A hair of overlap: no seams between rows. */
			cairo_rectangle(r->cr, p->x + (4 + x0) * m,
			    p->y + (4 + y) * m, (x - x0) * m, m + 0.02);
		}
	cairo_fill(r->cr);
}

static void
draw_box(struct render *r, const struct box *b, double y)
{
	const struct piece	*p;
	size_t			 i;
	int			 pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < b->n; i++) {
			p = &b->p[i];
			if ((p->kind == PC_FILL) != (pass == 0))
				continue;
			if (p->tag != NULL)
				tag_begin(r, p->tag, NULL);
			if (p->link != NULL)
				cairo_tag_begin(r->cr, CAIRO_TAG_LINK, p->link);
			switch (p->kind) {
			case PC_FILL:
				set_color(r->cr, &p->color);
				cairo_rectangle(r->cr, p->x, y + p->y, p->w,
				    p->h);
				cairo_fill(r->cr);
				break;
			case PC_FRAME:
				set_color(r->cr, &p->color);
				cairo_set_line_width(r->cr, 0.8);
				cairo_rectangle(r->cr, p->x, y + p->y, p->w,
				    p->h);
				cairo_stroke(r->cr);
				break;
			case PC_LAY:
				draw_lay(r, p->lay, p->x, y + p->y);
				break;
			case PC_QR: {
				struct piece	q = *p;

				q.y += y;
				draw_qr(r, &q);
				break;
			}
			case PC_IMAGE:
				image_draw(r->cr, p->img, p->x, y + p->y, p->w,
				    p->h);
				break;
			}
			if (p->link != NULL)
				cairo_tag_end(r->cr, CAIRO_TAG_LINK);
			if (p->tag != NULL)
				tag_end(r);
		}
}

static void
draw_mark(struct render *r, const struct item *it, const struct mark *m,
    double y)
{
	double	ytop = y, base;

	if (m->lay == NULL || m->lay->nlines == 0)
		return;
	if (it->kind == IT_LINE) {
		base = y + it->lay->lines[it->line].base -
		    it->lay->lines[it->line].top;
		ytop = base - (m->lay->lines[0].base - m->lay->lines[0].top);
	}
	tag_begin(r, "Lbl", NULL);
	draw_line(r, m->lay, 0, m->x, ytop);
	tag_end(r);
}

static const char *
dest_attrs(struct render *r, const char *name, double x, double y)
{
	struct buf	 b;
	const char	*s;

	buf_init(&b);
	buf_adds(&b, "name='");
	for (s = name; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *s);
	}
	buf_printf(&b, "' x=%.2f y=%.2f", x, y);
	s = arena_strdup(r->a, b.data);
	buf_release(&b);
	return s;
}

static void
outline(struct render *r, const struct item *it, int page, double y)
{
	char	attrs[64];
	int	parent = CAIRO_PDF_OUTLINE_ROOT, l;

	for (l = it->level - 1; l >= 1; l--)
		if (r->outline[l] != 0) {
			parent = r->outline[l];
			break;
		}
	snprintf(attrs, sizeof(attrs), "page=%d pos=[%.2f %.2f]", page,
	    it->x, y);
	r->outline[it->level] = cairo_pdf_surface_add_outline(r->surf, parent,
	    it->outline, attrs, CAIRO_PDF_OUTLINE_FLAG_OPEN);
	for (l = it->level + 1; l < (int)nitems(r->outline); l++)
		r->outline[l] = 0;
}

static void
draw_item(struct render *r, const struct item *it, double y, double space,
    int page)
{
	const struct lay	*ly;
	double			 top;
	size_t			 i, k;

	for (i = 0; i <= it->npre; i++) {
		for (k = 0; k < it->nmarks; k++)
			if (it->marks[k].at == i)
				draw_mark(r, it, &it->marks[k], y);
		if (i < it->npre)
			tag_begin(r, it->pre[i].name, it->pre[i].attrs);
	}
	if (it->level > 0 && it->outline != NULL)
		outline(r, it, page, y);
	if (it->dest != NULL)
		cairo_tag_begin(r->cr, CAIRO_TAG_DEST, dest_attrs(r, it->dest,
		    it->x, y));
	switch (it->kind) {
	case IT_LINE:
		ly = it->lay;
		if (it->code) {
			set_color(r->cr, &r->th->box);
			cairo_rectangle(r->cr, it->x, y, it->w, it->b.h);
			cairo_fill(r->cr);
			draw_line(r, ly, it->line, it->x + CODE_PAD(r), y);
		} else
			draw_line(r, ly, it->line, it->x, y);
		break;
	case IT_IMAGE:
		image_draw(r->cr, it->img, it->x, y, it->w, it->b.h);
		break;
	case IT_ROW:
		draw_row(r, it->row, it->x, y, it->w, it->b.h, true);
		break;
	case IT_BOX:
		draw_box(r, it->box, y);
		break;
	case IT_RULE:
		hline(r, it->x, y + it->b.h / 2, it->w, it->b.h, &r->th->rule);
		break;
	}
	if (it->dest != NULL)
		cairo_tag_end(r->cr, CAIRO_TAG_DEST);
	for (k = 0; k < it->nbars; k++) {
		top = (it->bar_gap & (1u << k)) ? y - space : y;
		set_color(r->cr, &r->th->rule);
		cairo_rectangle(r->cr, it->bars[k] - 1, top, 2,
		    y + it->b.h - top);
		cairo_fill(r->cr);
	}
	for (i = 0; i < it->npost; i++)
		tag_end(r);
}

static char *
page_words(struct render *r, int n, int m)
{
	struct l10n_arg	 a[2];
	char		*s, *ns, *ms;

	memset(a, 0, sizeof(a));
	a[0].name = "n";
	a[0].is_number = true;
	a[0].num = n;
	a[1].name = "m";
	a[1].is_number = true;
	a[1].num = m;
	if ((s = message(r, r->th->msg_page, a, 2)) != NULL)
		return s;
	ns = l10n_number(r->pg->l10n, n, NULL);
	ms = l10n_number(r->pg->l10n, m, NULL);
	if (ns == NULL || ms == NULL)
		s = xasprintf("%d / %d", n, m);
	else
		s = xasprintf("%s / %s", ns, ms);
	free(ns);
	free(ms);
	return s;
}

static struct tstyle
foot_style(const struct render *r, bool end)
{
	struct tstyle	ts = style(r, 0.75);

	ts.color = r->th->muted;
	if (end)
		ts.align = r->rtl ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT;
	return ts;
}

#define LOGO_H	18.0

static void
draw_furniture(struct render *r, int page, int npages)
{
	struct tstyle	 ts;
	struct lay	*ly;
	char		*s;
	double		 lw = 0, y, fy, half = r->cw / 2;

	y = r->margin;
	if (r->ctx->logo != NULL) {
		lw = r->ctx->logo->w * LOGO_H / r->ctx->logo->h;
		if (lw > 4 * LOGO_H)
			lw = 4 * LOGO_H;
		image_draw(r->cr, r->ctx->logo, r->rtl ? r->cx + r->cw - lw :
		    r->cx, y, lw, LOGO_H);
	}
	if (r->header != NULL)
		draw_lay(r, r->header, r->rtl ? r->cx : r->cx + lw + 6,
		    y + (LOGO_H - lay_height(r->header)) / 2);
	hline(r, r->cx, r->ctop - 0.9 * r->size, r->cw, 0.6, &r->th->rule);

	fy = r->ph - r->margin - r->foot_h;
	hline(r, r->cx, fy - 3, r->cw, 0.6, &r->th->rule);
	if (r->date != NULL)
		draw_lay(r, r->date, r->rtl ? r->cx + half : r->cx, fy);
	s = page_words(r, page, npages);
	ts = foot_style(r, true);
	if ((ly = lay_text(r, s, &ts, half, 0)) != NULL)
		draw_lay(r, ly, r->rtl ? r->cx : r->cx + half, fy);
	free(s);
}

static cairo_status_t
pdf_write(void *closure, const unsigned char *data, unsigned int len)
{
	buf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

static int
draw(struct render *r, const int *pages, int npages, struct buf *pdf)
{
	const struct item	*it;
	cairo_status_t		 st;
	struct tm		 tm;
	time_t			 t;
	char			 date[32];
	double			 y, space;
	size_t			 i = 0, k;
	int			 p;

	r->surf = cairo_pdf_surface_create_for_stream(pdf_write, pdf, r->pw,
	    r->ph);
	if (r->pg->title != NULL)
		cairo_pdf_surface_set_metadata(r->surf,
		    CAIRO_PDF_METADATA_TITLE, r->pg->title);
	if (r->pg->site_title != NULL)
		cairo_pdf_surface_set_metadata(r->surf,
		    CAIRO_PDF_METADATA_AUTHOR, r->pg->site_title);
	cairo_pdf_surface_set_metadata(r->surf, CAIRO_PDF_METADATA_CREATOR,
	    "awaaz");
	/* Dates from the page; without one, none (cairo's is the clock). */
	date[0] = '\0';
	if (r->pg->has_date) {
		t = (time_t)r->pg->date;
		if (gmtime_r(&t, &tm) != NULL)
			strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	cairo_pdf_surface_set_metadata(r->surf,
	    CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(r->surf, CAIRO_PDF_METADATA_MOD_DATE,
	    date);
	r->cr = cairo_create(r->surf);
	for (p = 0; p < npages; p++) {
		/*
		 * Leaf tags (a paragraph going on) close at the page's end
		 * and open again after the furniture of the next.
		 */
		k = r->nopen;
		if (p > 0) {
			while (k > 0 && is_leaf_tag(r->open[k - 1].name)) {
				k--;
				cairo_tag_end(r->cr, r->open[k].name);
			}
			cairo_show_page(r->cr);
		}
		draw_furniture(r, p + 1, npages);
		if (p == 0) {
			tag_begin(r, "Document", NULL);
			k = r->nopen;
		}
		for (; k < r->nopen; k++)
			cairo_tag_begin(r->cr, r->open[k].name,
			    r->open[k].attrs);
		y = r->ctop;
		for (k = 0; i < r->nitems && pages[i] == p; i++, k++) {
			it = &r->items[i];
			space = k == 0 ? 0 : it->b.space;
			if (k == 0 && it->head != NULL && it->b.head > 0) {
				draw_row(r, it->head, it->x, y, it->w,
				    it->b.head, false);
				y += it->b.head;
			}
			y += space;
			draw_item(r, it, y, space, p + 1);
			y += it->b.h;
		}
	}
	while (r->nopen > 0)
		tag_end(r);
	cairo_destroy(r->cr);
	r->cr = NULL;
	cairo_surface_finish(r->surf);
	st = cairo_surface_status(r->surf);
	cairo_surface_destroy(r->surf);
	r->surf = NULL;
	if (st != CAIRO_STATUS_SUCCESS) {
		diag_error(r->pg->src, 0, 0, "cannot write the handout: %s",
		    cairo_status_to_string(st));
		return -1;
	}
	return 0;
}

static void
setup(struct render *r, size_t si)
{
	const struct theme	*th = r->th;
	const char		*font;
	struct tstyle		 ts;
	struct lay		*ly;
	char			*s;
	double			 hh;

	r->pw = page_sizes[si].w;
	r->ph = page_sizes[si].h;
	r->margin = th->margin[si];
	r->ls = lang_style(th, r->pg->lang);
	r->rtl = r->pg->lang->dir != NULL &&
	    strcmp(r->pg->lang->dir, "rtl") == 0;
	r->size = r->ls->size;
	r->hlead = r->ls->heading_leading;
	if (r->hlead == 0)
		r->hlead = r->ls->leading * 0.85 < 1.2 ? 1.2 :
		    r->ls->leading * 0.85;
	font = r->ls->font;
	r->latin_differs = strcmp(font, th->latin) != 0;
	if (r->latin_differs) {
		r->family = arena_printf(r->a, "%s,%s", font, th->latin);
		r->latin = arena_printf(r->a, "%s,%s", th->latin, font);
	} else
		r->family = r->latin = th->latin;
	r->mono = arena_printf(r->a, "%s,%s%s%s", th->mono, th->latin,
	    r->latin_differs ? "," : "", r->latin_differs ? font : "");
	r->marker = r->latin;
	r->cx = r->margin;
	r->cw = r->pw - 2 * r->margin;

	/* The header: logo and campaign name. */
	hh = LOGO_H;
	if (r->pg->site_title != NULL) {
		ts = style(r, 0.8);
		ts.weight = PANGO_WEIGHT_BOLD;
		ts.color = th->accent;
		r->header = lay_text(r, r->pg->site_title, &ts, r->cw -
		    (r->ctx->logo != NULL ? 4 * LOGO_H + 6 : 0), 0);
		if (r->header != NULL && lay_height(r->header) > hh)
			hh = lay_height(r->header);
	}
	r->ctop = r->margin + hh + 3 + 0.9 * r->size;
	/* The footer: date and page numbers. */
	ts = foot_style(r, false);
	r->foot_h = r->size * 0.75 * r->ls->leading;
	if (r->pg->has_date && (s = l10n_date(r->pg->l10n, r->pg->date,
	    "long")) != NULL) {
		r->date = lay_text(r, s, &ts, r->cw / 2, 0);
		free(s);
		if (r->date != NULL && lay_height(r->date) > r->foot_h)
			r->foot_h = lay_height(r->date);
	}
	s = page_words(r, 8, 8);
	ts = foot_style(r, true);
	if ((ly = lay_text(r, s, &ts, r->cw / 2, 0)) != NULL &&
	    lay_height(ly) > r->foot_h)
		r->foot_h = lay_height(ly);
	free(s);
	r->ch = r->ph - r->margin - r->foot_h - 3 - 0.8 * r->size - r->ctop;
}

int
pdf_render(struct pdf_ctx *ctx, const struct pdf_page *pg, struct buf *out)
{
	struct render	 r;
	struct pdf_item	*bi = NULL;
	struct bctx	 bc;
	struct buf	 pdf;
	int		*pages = NULL, npages;
	size_t		 si, i;
	int		 rc = -1;

	memset(&r, 0, sizeof(r));
	buf_init(&pdf);
	r.ctx = ctx;
	r.pg = pg;
	r.th = &ctx->th;
	r.a = arena_new();
	r.space_cap = HUGE_VAL;
	strmap_init(&r.dests);
	for (si = 0; si < nitems(page_sizes); si++)
		if (pg->size != NULL && strcasecmp(pg->size,
		    page_sizes[si].name) == 0)
			break;
	if (si == nitems(page_sizes)) {
		diag_error(pg->src, pg->size_line, pg->size_col, "unknown "
		    "handout size '%s' (a4, a5, letter)",
		    pg->size != NULL ? pg->size : "");
		goto out;
	}
	images_load(&r);
	if (r.nerr > 0)
		goto out;
	setup(&r, si);

	title_block(&r);
	memset(&bc, 0, sizeof(bc));
	bc.scale = 1;
	if (pg->body != NULL)
		blocks(&r, pg->body->children, &bc);
	helplines(&r);
	qr_box(&r);
	resolve_links(&r);

	bi = xcalloc(r.nitems + 1, sizeof(*bi));
	pages = xcalloc(r.nitems + 1, sizeof(*pages));
	for (i = 0; i < r.nitems; i++)
		bi[i] = r.items[i].b;
	npages = pdf_break(bi, r.nitems, r.ch, pages);
	if (draw(&r, pages, npages, &pdf) == -1)
		goto out;
	buf_add(out, pdf.data, pdf.len);
	rc = 0;
out:
	free(bi);
	free(pages);
	buf_release(&pdf);
	lay_free_all(r.lays);
	for (i = 0; i < r.nimgs; i++)
		image_free(r.imgs[i]);
	free(r.imgs);
	free(r.imgnodes);
	if (r.qr != NULL)
		QRcode_free(r.qr);
	free(r.items);
	free(r.pend);
	free(r.open);
	strmap_release(&r.dests);
	arena_free(r.a);
	return rc;
}

/*
 * Cache keys.  A handout's bytes follow from the libraries that draw it,
 * the theme's handout settings, logo and fonts, and the page as
 * pdf_render sees it: its fields, its body tree, the helplines and the
 * images the body names.
 */
char *
pdf_theme_key(const char *theme_dir)
{
	struct pdf_ctx	 ctx;
	struct stat	 sb;
	struct buf	 b;
	char		*text, *key = NULL;
	size_t		 len, i;

	memset(&ctx, 0, sizeof(ctx));
	ctx.arena = arena_new();
	if (th_load(&ctx, theme_dir) == -1)
		goto out;
	buf_init(&b);
	buf_printf(&b, "awaaz %s pango %s cairo %s harfbuzz %s rsvg %d.%d.%d "
	    "qrencode %s fontconfig %d\n", AWAAZ_VERSION,
	    pango_version_string(), cairo_version_string(),
	    hb_version_string(), LIBRSVG_MAJOR_VERSION,
	    LIBRSVG_MINOR_VERSION, LIBRSVG_MICRO_VERSION,
	    QRcode_APIVersionString(), FcGetVersion());
	if (file_read(ctx.yaml_path, &text, &len) == 0) {
		buf_add(&b, text, len);
		free(text);
	}
	buf_adds(&b, "\nlogo\n");
	if (ctx.th.logo != NULL && file_read(ctx.th.logo, &text, &len) == 0) {
		buf_add(&b, text, len);
		free(text);
	}
	/* Fonts change with their packages, not their names. */
	for (i = 0; i < ctx.th.nfonts; i++)
		if (stat(ctx.th.fonts[i].path, &sb) == 0)
			buf_printf(&b, "\nfont %s %lld %lld.%09ld",
			    ctx.th.fonts[i].path, (long long)sb.st_size,
			    (long long)sb.st_mtim.tv_sec,
			    sb.st_mtim.tv_nsec);
	key = xmalloc(HASH_HEX + 1);
	hash_sha256_hex(b.data, b.len, key);
	buf_release(&b);
out:
	arena_free(ctx.arena);
	return key;
}

/* The images of a tree, in document order: their src and bytes' hash. */
static void
key_images(struct buf *b, const struct pdf_page *pg, xmlNodePtr n)
{
	xmlChar	*src;
	char	*file, *data, hex[HASH_HEX + 1];
	size_t	 len;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrEqual(n->name, BAD_CAST "img") &&
		    (src = xmlGetProp(n, BAD_CAST "src")) != NULL) {
			hex[0] = '-';
			hex[1] = '\0';
			file = image_file(pg, (const char *)src);
			if (file != NULL && file_read(file, &data, &len) == 0) {
				hash_sha256_hex(data, len, hex);
				free(data);
			}
			buf_printf(b, "\nimg %s %s", (const char *)src, hex);
			free(file);
			xmlFree(src);
		}
		key_images(b, pg, n->children);
	}
}

/* A tree's serialisation; -1 when libxml2 runs out of memory. */
static int
key_tree(struct buf *b, xmlNodePtr n)
{
	xmlBufferPtr	 xb;

	if ((xb = xmlBufferCreate()) == NULL)
		return -1;
	for (; n != NULL; n = n->next)
		xmlNodeDump(xb, n->doc, n, 0, 0);
	buf_add(b, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return 0;
}

int
pdf_page_key(const struct pdf_page *pg, const char *inputs, char *out)
{
	struct buf	b;
	int		rc = -1;

#define S(x)	((x) != NULL ? (x) : "")
	buf_init(&b);
	buf_printf(&b, "%s\n%s\n%s\n%s\n%s\n%d %lld\n%s %s %s %s %s\n"
	    "%s\n%s\n%s\n", inputs, pg->src, pg->size, S(pg->title),
	    S(pg->summary), pg->has_date, (long long)pg->date,
	    pg->lang->code, pg->lang->locale, pg->lang->dir,
	    S(pg->lang->numbers), S(pg->lang->calendar), S(pg->url),
	    S(pg->base_url), S(pg->site_title));
#undef S
	if (key_tree(&b, pg->body->children) == -1)
		goto out;
	buf_adds(&b, "\nhelplines\n");
	if (pg->helplines != NULL && key_tree(&b, pg->helplines) == -1)
		goto out;
	key_images(&b, pg, pg->body->children);
	hash_sha256_hex(b.data, b.len, out);
	rc = 0;
out:
	buf_release(&b);
	return rc;
}
