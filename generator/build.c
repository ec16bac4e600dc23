/*
 * build.c: "awaaz build", from site.yaml to the swapped-in output folder.
 *
 * Stages run in DESIGN.md's order: configuration and UI strings, theme
 * templates, the scan pass, the site graph, the data documents, then the
 * render pass.  Every stage that can still run does, so one build reports
 * every problem; nothing is written to the output unless all were clean.
 *
 * The render pass runs on worker processes forked after everything shared
 * is built: cmark-gfm, libxml2's compiled XPath and ICU's formatters are
 * not safe to share between threads, and processes share the page index
 * copy-on-write for free.  Worker k renders jobs k, k+n, k+2n, ... and
 * sends its diagnostics back through a pipe; each page's bytes depend on
 * the page alone, never on n or on the clock.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <time.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "build.h"
#include "check.h"
#include "config.h"
#include "css.h"
#include "data.h"
#include "diag.h"
#include "hash.h"
#include "html.h"
#include "l10n.h"
#include "output.h"
#include "pdf.h"
#include "site.h"
#include "sitemap.h"
#include "tpl.h"
#include "url.h"
#include "util.h"
#include "yaml.h"

/* Stage timings, printed with -v. */
enum stage { ST_LOAD, ST_SCAN, ST_GRAPH, ST_DATA, ST_COPY, ST_RENDER,
    ST_SWAP, ST_MAX };
static const char *const stage_names[ST_MAX] = {
	"load", "scan", "graph", "data", "copy", "render", "swap",
};

/* Where handouts are kept between builds, by key (inside the site). */
#define HANDOUT_CACHE	".awaaz-cache/handouts"

/*
 * What the workers have done so far, in memory they share with the
 * parent (an anonymous shared mapping made before they fork): the
 * progress line and the summary read it.  Relaxed atomic adds.
 */
struct tally {
	size_t	pages;
	size_t	handouts;	/* laid out */
	size_t	cached;		/* copied from the cache */
};

struct build {
	int			 cwd;		/* where we started, to return */
	double			 start;		/* clock at the start */
	time_t			 wall_start;	/* the same, for file dates */
	struct tally		*tally;		/* shared; never NULL while
						   rendering */
	struct tally		 own_tally;	/* when sharing failed */
	FILE			*tty;		/* progress goes here, or
						   NULL */
	double			 drawn;		/* progress last drawn */
	int			 workers;
	const char		**pdf_inputs;	/* per language: the cache key
						   of all but the page, or
						   NULL: no cache */
	struct pdf_ctx		*pdf;		/* this process's, made on the
						   first handout */
	bool			 pdf_tried;
	size_t			 css_bytes;	/* the theme's stylesheets */
	double			 times[ST_MAX];
	double			 t0;
	const struct build_opts	*opts;
	struct config		 cfg;
	struct arena		*arena;
	struct l10n		**l10ns;
	struct tpl_set		*tpl;
	struct site		 site;
	struct data		*data;
	struct output		 out;
};

/*
 * Where themes are found after the site's themes/: beside the executable
 * (./awaaz in a source tree, or build/obj/awaaz there), in share/awaaz
 * beside its bin/ (an installed awaaz, wherever PREFIX put it), and in the
 * folder chosen at build time.
 */
const char *const *
build_theme_dirs(void)
{
	static const char *const rel[] = {
		"themes", "../../themes", "../share/awaaz/themes",
	};
	static char		 found[3][PATH_MAX + 32];
	static const char	*dirs[5];
	char			 exe[PATH_MAX], *slash;
	ssize_t			 n;
	size_t			 i, k = 0;

	if (dirs[0] != NULL)
		return dirs;
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		for (i = 0; i < nitems(rel); i++) {
			snprintf(found[k], sizeof(found[k]), "%s/%s", exe,
			    rel[i]);
			if (is_dir(found[k])) {
				dirs[k] = found[k];
				k++;
			}
		}
	}
	dirs[k++] = AWAAZ_DATADIR "/themes";
	dirs[k] = NULL;
	return dirs;
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Charges the time since the last mark to a stage. */
static void
mark(struct build *c, enum stage st)
{
	double	t = now();

	c->times[st] += t - c->t0;
	c->t0 = t;
}

/* Fills direction and native names from ICU and opens each language. */
static int
open_languages(struct build *c)
{
	struct config		*cfg = &c->cfg;
	struct lang		*l;
	struct l10n_opts	 lo;
	const char		**styles = NULL, **pats = NULL;
	size_t			 i, k;
	int			 nerr = 0;

	c->l10ns = arena_alloc(c->arena, cfg->nlangs * sizeof(*c->l10ns));
	for (i = 0; i < cfg->nlangs; i++) {
		l = &cfg->langs[i];
		if (!l10n_locale_known(l->locale)) {
			diag_error("site.yaml", 0, 0, "unknown locale '%s' for "
			    "language '%s'", l->locale, l->code);
			nerr++;
			continue;
		}
		if (l->dir == NULL)
			l->dir = l10n_locale_dir(l->locale);
		if (l->name == NULL) {
			char *name = l10n_locale_name(l->locale);
			l->name = arena_strdup(c->arena, name);
			free(name);
		}
		memset(&lo, 0, sizeof(lo));
		lo.locale = l->locale;
		lo.numbers = l->numbers;
		lo.calendar = l->calendar;
		if (l->date_patterns != NULL &&
		    l->date_patterns->kind == YAML_MAP) {
			k = l->date_patterns->n;
			styles = arena_alloc(c->arena, (k + 1) * sizeof(char *));
			pats = arena_alloc(c->arena, (k + 1) * sizeof(char *));
			for (k = 0; k < l->date_patterns->n; k++) {
				styles[k] = l->date_patterns->pairs[k].key->str;
				pats[k] = l->date_patterns->pairs[k].value->str;
			}
			lo.pattern_styles = styles;
			lo.patterns = pats;
			lo.npatterns = k;
		}
		if (l->numbers != NULL && !l10n_numbers_known(l->numbers)) {
			diag_error("site.yaml", 0, 0, "unknown numbering system "
			    "'%s' for language '%s'", l->numbers, l->code);
			nerr++;
			continue;
		}
		if (l->calendar != NULL && !l10n_calendar_known(l->calendar)) {
			diag_error("site.yaml", 0, 0, "unknown calendar '%s' "
			    "for language '%s'", l->calendar, l->code);
			nerr++;
			continue;
		}
		if ((c->l10ns[i] = l10n_new(&lo)) == NULL) {
			diag_error("site.yaml", 0, 0, "ICU cannot open locale "
			    "'%s'", l->locale);
			nerr++;
			continue;
		}
		if (i > 0 && c->l10ns[0] != NULL)
			l10n_set_fallback(c->l10ns[i], c->l10ns[0]);
	}
	return nerr ? -1 : 0;
}

/* UI strings: the theme's locales/<code>.yaml, then the site's over it. */
static int
load_strings(struct build *c, const char *dir, const char *shown_dir)
{
	const struct yaml_node	*y, *v;
	char			*path, *shown, *text;
	size_t			 i, k, len;
	int			 nerr = 0;

	for (i = 0; i < c->cfg.nlangs; i++) {
		if (c->l10ns[i] == NULL)
			continue;
		path = xasprintf("%s/%s.yaml", dir, c->cfg.langs[i].code);
		shown = xasprintf("%s/%s.yaml", shown_dir,
		    c->cfg.langs[i].code);
		if (file_read(path, &text, &len) == -1) {
			free(path);
			free(shown);
			continue;
		}
		if ((y = yaml_parse(shown, text, len, 0, c->arena)) == NULL)
			nerr++;
		else if (y->kind != YAML_MAP) {
			diag_error(shown, y->line, y->col, "UI strings must be "
			    "a map of keys to messages");
			nerr++;
		} else
			for (k = 0; k < y->n; k++) {
				v = y->pairs[k].value;
				if (v->kind != YAML_SCALAR) {
					diag_error(shown, v->line, v->col,
					    "message '%s' must be a string",
					    y->pairs[k].key->str);
					nerr++;
				} else if (l10n_add_message(c->l10ns[i],
				    y->pairs[k].key->str, v->str, shown,
				    v->line, v->col) == -1)
					nerr++;
			}
		free(text);
		free(path);
		free(shown);
	}
	return nerr ? -1 : 0;
}

/* Which template renders a job (docs/templates.md, "Lookup"). */
static const char *
template_for(struct build *c, const struct job *j, char *tmp, size_t size)
{
	const char	*kind;

	switch (j->kind) {
	case PAGE_HOME:
		return "home.html";
	case PAGE_SECTION:
		kind = "section";
		break;
	case PAGE_PAGE:
		kind = "page";
		break;
	case PAGE_AUDIENCE:
	case PAGE_TAG:
		return "taxonomy.html";
	case PAGE_404:
		return "404.html";
	case PAGE_ROOT:
		return "root.html";
	case PAGE_DOWNLOADS:
		return tpl_has(c->tpl, "downloads.html") ? "downloads.html" :
		    "taxonomy.html";
	default:
		return NULL;
	}
	if (j->section != NULL) {
		snprintf(tmp, size, "%s/%s.html", j->section->name, kind);
		if (tpl_has(c->tpl, tmp))
			return tmp;
	}
	if (j->page != NULL && j->page->fm.layout.s != NULL) {
		snprintf(tmp, size, "%s.html", j->page->fm.layout.s);
		return tmp;
	}
	snprintf(tmp, size, "%s.html", kind);
	return tmp;
}

/* Every template a build needs exists, and so does every layout named. */
static int
check_templates(struct build *c)
{
	static const char *const needed[] = {
		"home.html", "section.html", "page.html", "taxonomy.html",
		"404.html", "root.html",
	};
	struct page	*p;
	char		*tmp;
	size_t		 i;
	int		 nerr = 0;

	for (i = 0; i < nitems(needed); i++)
		if (!tpl_has(c->tpl, needed[i])) {
			diag_error(c->cfg.theme_dir, 0, 0, "missing template "
			    "'templates/%s'", needed[i]);
			nerr++;
		}
	for (i = 0; i < c->site.npages; i++) {
		p = c->site.pages[i];
		if (p->fm.layout.s == NULL)
			continue;
		tmp = xasprintf("%s.html", p->fm.layout.s);
		if (!tpl_has(c->tpl, tmp)) {
			diag_error(p->src, p->fm.layout.pos.line,
			    p->fm.layout.pos.col, "no template '%s' for "
			    "layout '%s'", tmp, p->fm.layout.s);
			nerr++;
		}
		free(tmp);
	}
	return nerr ? -1 : 0;
}

/* A redirect page for a Hugo alias: works without JavaScript. */
static int
render_alias(struct build *c, const struct job *j, struct buf *b)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 html, head, n, body, p;
	char		*link, *content;
	int		 rc;

	link = url_link(j->url, j->target, c->cfg.base_url);
	content = xasprintf("0; url=%s", link);
	doc = xmlNewDoc(BAD_CAST "1.0");
	html = xmlNewDocNode(doc, NULL, BAD_CAST "html", NULL);
	xmlDocSetRootElement(doc, html);
	xmlNewProp(html, BAD_CAST "lang", BAD_CAST j->page->lang->locale);
	head = xmlNewChild(html, NULL, BAD_CAST "head", NULL);
	n = xmlNewChild(head, NULL, BAD_CAST "meta", NULL);
	xmlNewProp(n, BAD_CAST "charset", BAD_CAST "utf-8");
	xmlNewTextChild(head, NULL, BAD_CAST "title", BAD_CAST j->page->title);
	if (*c->cfg.base_url != '\0') {
		n = xmlNewChild(head, NULL, BAD_CAST "link", NULL);
		xmlNewProp(n, BAD_CAST "rel", BAD_CAST "canonical");
		xmlNewProp(n, BAD_CAST "href", BAD_CAST j->target);
	}
	n = xmlNewChild(head, NULL, BAD_CAST "meta", NULL);
	xmlNewProp(n, BAD_CAST "name", BAD_CAST "robots");
	xmlNewProp(n, BAD_CAST "content", BAD_CAST "noindex");
	n = xmlNewChild(head, NULL, BAD_CAST "meta", NULL);
	xmlNewProp(n, BAD_CAST "http-equiv", BAD_CAST "refresh");
	xmlNewProp(n, BAD_CAST "content", BAD_CAST content);
	body = xmlNewChild(html, NULL, BAD_CAST "body", NULL);
	p = xmlNewChild(body, NULL, BAD_CAST "p", NULL);
	n = xmlNewTextChild(p, NULL, BAD_CAST "a", BAD_CAST j->page->title);
	xmlNewProp(n, BAD_CAST "href", BAD_CAST j->target);
	html_write(b, doc, j->url, c->cfg.base_url);
	xmlFreeDoc(doc);
	free(content);
	free(link);
	rc = 0;
	return rc;
}

static xmlNodePtr
child(xmlNodePtr n, const char *name)
{
	for (n = n->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrEqual(n->name, BAD_CAST name))
			return n;
	return NULL;
}

/*
 * A handout from the cache: a whole PDF (its header and end), which then
 * counts as used today for the pruning after the build.  -1: not there.
 */
static int
cache_get(const char *path, struct buf *pb)
{
	char	*data;
	size_t	 len;
	int	 rc = -1;

	if (file_read(path, &data, &len) == -1)
		return -1;
	if (len > 16 && memcmp(data, "%PDF-", 5) == 0 &&
	    memmem(data + len - 16, 16, "%%EOF", 5) != NULL) {
		buf_add(pb, data, len);
		utimensat(AT_FDCWD, path, NULL, 0);
		rc = 0;
	}
	free(data);
	return rc;
}

/* Diagnostics of every level so far in this process. */
static int
diags(void)
{
	return diag_count(DIAG_ERROR) + diag_count(DIAG_WARNING) +
	    diag_count(DIAG_NOTE);
}

/* Keeps a handout; a cache that cannot be written only costs time. */
static void
cache_put(const char *path, const struct buf *pb)
{
	char	*tmp;

	mkdir_p(HANDOUT_CACHE);
	tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	if (file_write(tmp, pb->data, pb->len) == -1 || rename(tmp, path) == -1)
		unlink(tmp);
	free(tmp);
}

/*
 * A handout's PDF, laid out from the same body tree as the page, in the
 * same worker and before the HTML, so the page can say how big it is
 * ($page/pdf/@kb).  Fallback pages offer their original's PDF.  An
 * unchanged handout (the same key: see pdf_page_key) is copied from the
 * cache; one laid out without a single diagnostic is kept there, so that
 * a copy never hides a warning.
 */
static int
render_pdf(struct build *c, const struct job *j, xmlDocPtr doc,
    struct buf *pb, struct arena *scratch)
{
	const struct page	*p = j->page;
	struct l10n_arg		 title = { "title", false, 0, c->cfg.title };
	struct pdf_page		 pg;
	xmlNodePtr		 root, pdf;
	char			*url, *file, kb[32], key[HASH_HEX + 1];
	char			*cached = NULL, *name;
	int			 rc = -1, before;

	if (c->opts->no_pdf || j->kind != PAGE_PAGE || p == NULL ||
	    p->fm.handout.s == NULL || p->fallback)
		return 0;
	root = xmlDocGetRootElement(doc);
	memset(&pg, 0, sizeof(pg));
	pg.src = p->src;
	pg.size = p->fm.handout.s;
	pg.size_line = p->fm.handout.pos.line;
	pg.size_col = p->fm.handout.pos.col;
	pg.title = p->title;
	pg.summary = p->summary;
	pg.has_date = p->fm.has_date;
	pg.date = p->fm.date.epoch;
	pg.lang = p->lang;
	pg.l10n = c->l10ns[p->lang->index];
	if (*c->cfg.base_url != '\0') {
		pg.url = arena_printf(scratch, "%s%s", c->cfg.base_url, p->url);
		pg.base_url = c->cfg.base_url;
	}
	/* The campaign's name in this language, as the pages' header. */
	name = l10n_format(pg.l10n, "site-title", &title, 1, NULL);
	pg.site_title = name != NULL ? arena_strdup(scratch, name) :
	    c->cfg.title;
	free(name);
	pg.root = ".";
	pg.body = child(root, "body");
	pg.helplines = data_helplines(c->data);
	pg.links = p->scan.links;
	pg.nlinks = p->scan.nlinks;
	buf_reset(pb);
	if (c->pdf_inputs != NULL && c->pdf_inputs[p->lang->index] != NULL &&
	    pdf_page_key(&pg, c->pdf_inputs[p->lang->index], key) == 0) {
		cached = xasprintf(HANDOUT_CACHE "/%s.pdf", key);
		if (cache_get(cached, pb) == 0) {
			__atomic_fetch_add(&c->tally->cached, 1,
			    __ATOMIC_RELAXED);
			goto write;
		}
	}
	before = diags();
	if (!c->pdf_tried) {
		/* Per process: pango's font map must not cross a fork. */
		c->pdf_tried = true;
		mkdir_p(".awaaz-cache");
		c->pdf = pdf_ctx_new(c->cfg.theme_dir, ".awaaz-cache");
	}
	if (c->pdf == NULL || pdf_render(c->pdf, &pg, pb) == -1)
		goto out;
	__atomic_fetch_add(&c->tally->handouts, 1, __ATOMIC_RELAXED);
	if (cached != NULL && before == diags())
		cache_put(cached, pb);
write:
	rc = 0;
	if (!c->opts->check) {
		url = site_pdf_url(p);
		file = url_file(url);
		rc = output_write(&c->out, file, pb->data, pb->len);
		free(file);
		free(url);
	}
	if ((pdf = child(root, "pdf")) != NULL) {
		snprintf(kb, sizeof(kb), "%zu", (pb->len + 1023) / 1024);
		xmlSetProp(pdf, BAD_CAST "kb", BAD_CAST kb);
	}
out:
	free(cached);
	return rc;
}

/*
 * Pages must stay light for readers on slow, paid mobile data: HTML and
 * the theme's CSS together within site.yaml's page_budget (kB).
 */
static void
weigh(struct build *c, const struct job *j, size_t html)
{
	size_t	total = html + c->css_bytes;

	/* A finding for "awaaz check"; a build has no business with it. */
	if (!c->opts->check || total <= (size_t)c->cfg.page_budget * 1024)
		return;
	diag_warning(j->page != NULL ? j->page->src : j->url, 0, 0,
	    "'%s' weighs %zu kB with its CSS: over the page budget of "
	    "%ld kB", j->url, (total + 1023) / 1024, c->cfg.page_budget);
}

/* Adds a file's bytes, or a mark that it is missing, to a key. */
static void
key_file(struct buf *b, const char *path)
{
	char	*data;
	size_t	 len;

	buf_printf(b, "\n%s\n", path);
	if (file_read(path, &data, &len) == 0) {
		buf_add(b, data, len);
		free(data);
	} else
		buf_adds(b, "(none)");
}

/*
 * What each language's handouts depend on besides the page itself: the
 * theme's handout key, site.yaml (the languages' digits, calendars and
 * date patterns, the title), and the UI strings of the language and of
 * the default one it falls back to.  Left NULL (no cache) when the theme
 * has a problem, so that rendering reports it.
 */
static void
pdf_inputs(struct build *c)
{
	struct buf	 b;
	const char	*code[2];
	char		*theme, *f, hex[HASH_HEX + 1];
	size_t		 k, i, n;

	for (k = 0, n = 0; k < c->cfg.nlangs; k++)
		n += c->site.langs[k].nhandouts;
	if (c->opts->no_pdf || n == 0 ||
	    (theme = pdf_theme_key(c->cfg.theme_dir)) == NULL)
		return;
	c->pdf_inputs = arena_alloc(c->arena, c->cfg.nlangs *
	    sizeof(*c->pdf_inputs));
	for (k = 0; k < c->cfg.nlangs; k++) {
		buf_init(&b);
		buf_adds(&b, theme);
		key_file(&b, "site.yaml");
		code[0] = c->cfg.langs[k].code;
		code[1] = c->cfg.langs[0].code;
		for (i = 0; i < 2; i++) {
			f = xasprintf("%s/locales/%s.yaml", c->cfg.theme_dir,
			    code[i]);
			key_file(&b, f);
			free(f);
			f = xasprintf("locales/%s.yaml", code[i]);
			key_file(&b, f);
			free(f);
		}
		hash_sha256_hex(b.data, b.len, hex);
		c->pdf_inputs[k] = arena_strdup(c->arena, hex);
		buf_release(&b);
	}
	free(theme);
}

/*
 * After a build: handouts the build neither copied nor made (older than
 * its start, with two seconds for coarse file dates) go.
 */
static void
prune_cache(struct build *c)
{
	struct stat	 sb;
	char		**names, *path;
	size_t		 i, n;

	if (c->pdf_inputs == NULL ||
	    (names = dir_list(HANDOUT_CACHE, &n)) == NULL)
		return;
	for (i = 0; i < n; i++) {
		path = path_join(HANDOUT_CACHE, names[i]);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    sb.st_mtime < c->wall_start - 2)
			unlink(path);
		free(path);
	}
	names_free(names, n);
}

/*
 * The theme's stylesheets (the .css files of assets/), minified: sizes
 * them (returns the total, which every page loads) and, when write,
 * writes them over the copies in the output.  Returns (size_t)-1 when one
 * cannot be written.
 */
static size_t
theme_css(struct build *c, bool write)
{
	struct buf	 b;
	char		*dir, **names, *path, *data, *rel;
	size_t		 n, i, len, total = 0;

	dir = path_join(c->cfg.theme_dir, "assets");
	buf_init(&b);
	if ((names = dir_list(dir, &n)) != NULL) {
		for (i = 0; i < n; i++) {
			if (!has_suffix(names[i], ".css"))
				continue;
			path = path_join(dir, names[i]);
			if (file_read(path, &data, &len) == 0) {
				buf_reset(&b);
				css_minify(data, len, &b);
				total += b.len;
				free(data);
				rel = path_join("assets", names[i]);
				if (write && output_write(&c->out, rel, b.data,
				    b.len) == -1)
					total = (size_t)-1;
				free(rel);
			}
			free(path);
			if (total == (size_t)-1)
				break;
		}
		names_free(names, n);
	}
	buf_release(&b);
	free(dir);
	return total;
}

static int
render_job(struct build *c, const struct job *j, struct buf *b,
    struct arena *scratch)
{
	struct tpl_var	 vars[4];
	struct tpl_env	 env;
	xmlDocPtr	 page = NULL, out = NULL;
	const char	*name;
	char		 tmp[PATH_MAX], *file;
	int		 rc = -1;

	buf_reset(b);
	if (j->kind == PAGE_ALIAS) {
		if (render_alias(c, j, b) == -1)
			return -1;
		goto write;
	}
	if ((page = data_page(c->data, j, scratch)) == NULL)
		goto out;
	if (render_pdf(c, j, page, b, scratch) == -1)
		goto out;
	buf_reset(b);
	name = template_for(c, j, tmp, sizeof(tmp));
	vars[0].name = "site";
	vars[0].node = data_site(c->data);
	vars[1].name = "lang";
	vars[1].node = data_lang(c->data, j->sl->lang->index);
	vars[2].name = "page";
	vars[2].node = xmlDocGetRootElement(page);
	vars[3].name = "section";
	vars[3].node = data_section(c->data, j->section);
	memset(&env, 0, sizeof(env));
	env.vars = vars;
	env.nvars = nitems(vars);
	env.l10n = c->l10ns[j->sl->lang->index];
	env.lang = j->sl->lang->code;
	env.page_path = j->page ? j->page->src : j->url;
	if ((out = tpl_render(c->tpl, name, &env)) == NULL)
		goto out;
	/*
	 * A server shows a 404 page at the address that was not found, at
	 * any depth: its links start at the site root.
	 */
	html_write(b, out, j->kind == PAGE_404 ? NULL : j->url,
	    c->cfg.base_url);
	weigh(c, j, b->len);
write:
	if (c->opts->check) {
		rc = 0;
		goto out;
	}
	file = url_file(j->url);
	rc = output_write(&c->out, file, b->data, b->len);
	free(file);
out:
	if (out != NULL)
		xmlFreeDoc(out);
	if (page != NULL)
		xmlFreeDoc(page);
	return rc;
}

/*
 * On a terminal, one line that says what the build is doing: pages and
 * handouts done so far and the time, redrawn at most five times a second
 * (always when force), and cleared by progress_clear.  Never in a pipe or
 * a file.
 */
static void
progress(struct build *c, bool force)
{
	size_t	h;

	if (c->tty == NULL || (!force && now() - c->drawn < 0.2))
		return;
	c->drawn = now();
	h = __atomic_load_n(&c->tally->handouts, __ATOMIC_RELAXED) +
	    __atomic_load_n(&c->tally->cached, __ATOMIC_RELAXED);
	fprintf(c->tty, "\r\033[Kawaaz: rendering: %zu of %zu pages, %zu "
	    "handout%s, on %d worker%s, %.1f s",
	    __atomic_load_n(&c->tally->pages, __ATOMIC_RELAXED),
	    c->site.njobs, h, h == 1 ? "" : "s", c->workers,
	    c->workers == 1 ? "" : "s", c->drawn - c->start);
	fflush(c->tty);
}

static void
progress_clear(struct build *c)
{
	if (c->tty != NULL)
		fputs("\r\033[K", c->tty);
}

/* Renders jobs k, k+n, ...; returns the number that failed. */
static int
render_share(struct build *c, size_t k, size_t n)
{
	struct arena	*scratch;
	struct buf	 b;
	size_t		 i;
	int		 nerr = 0;

	scratch = arena_new();
	buf_init(&b);
	for (i = k; i < c->site.njobs; i += n) {
		if (render_job(c, &c->site.jobs[i], &b, scratch) == -1)
			nerr++;
		arena_reset(scratch);
		__atomic_fetch_add(&c->tally->pages, 1, __ATOMIC_RELAXED);
		if (n == 1)
			progress(c, false);
	}
	buf_release(&b);
	arena_free(scratch);
	if (c->pdf != NULL)
		pdf_ctx_free(c->pdf);
	c->pdf = NULL;
	c->pdf_tried = false;
	return nerr;
}

/*
 * The last line: pages per language, handouts, warnings; the time only
 * on a terminal, so that output in files and tests never depends on it.
 */
static void
summary(struct build *c, FILE *out, size_t pages, const char *shown)
{
	size_t	i, k, n, handouts = 0;
	int	w = diag_count(DIAG_WARNING);

	fprintf(out, "awaaz: built %zu pages in %zu language%s (", pages,
	    c->cfg.nlangs, c->cfg.nlangs == 1 ? "" : "s");
	for (k = 0; k < c->cfg.nlangs; k++) {
		for (i = 0, n = 0; i < c->site.njobs; i++)
			if (c->site.jobs[i].sl != NULL &&
			    c->site.jobs[i].sl->lang->index == k)
				n++;
		fprintf(out, "%s%s %zu", k ? ", " : "", c->cfg.langs[k].code,
		    n);
	}
	if (!c->opts->no_pdf)
		for (i = 0; i < c->site.npages; i++)
			if (c->site.pages[i]->fm.handout.s != NULL &&
			    !c->site.pages[i]->fallback &&
			    c->site.pages[i]->kind == PAGE_PAGE)
				handouts++;
	fprintf(out, "), %zu handout%s", handouts, handouts == 1 ? "" : "s");
	if (c->tally->cached > 0)
		fprintf(out, " (%zu unchanged)", c->tally->cached);
	fprintf(out, ", %d warning%s into '%s'", w, w == 1 ? "" : "s",
	    shown);
	if (isatty(fileno(out)))
		fprintf(out, " in %.2f s", now() - c->start);
	fputc('\n', out);
}

static int
cores(void)
{
	long	n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/*
 * Forks n workers; collects their diagnostics.  Returns the number of
 * workers that failed or died.
 */
static int
render_all(struct build *c, int n)
{
	struct pollfd	*pfd;
	struct buf	*in;
	pid_t		*pid;
	char		 tmp[65536];
	ssize_t		 r;
	int		 fds[2], k, open_fds, status, nerr = 0, before;

	if (n <= 1)
		return render_share(c, 0, 1) ? 1 : 0;
	pfd = xcalloc((size_t)n, sizeof(*pfd));
	in = xcalloc((size_t)n, sizeof(*in));
	pid = xcalloc((size_t)n, sizeof(*pid));
	fflush(stdout);
	fflush(stderr);
	for (k = 0; k < n; k++) {
		if (pipe(fds) == -1 || (pid[k] = fork()) == -1) {
			diag_error(NULL, 0, 0, "cannot start a worker: %s",
			    strerror(errno));
			nerr++;
			pfd[k].fd = -1;
			continue;
		}
		if (pid[k] == 0) {
			struct buf	 out;
			const char	*p;
			size_t		 left;
			int		 failed;

			close(fds[0]);
			diag_reset();
			failed = render_share(c, (size_t)k, (size_t)n);
			buf_init(&out);
			diag_dump(&out);
			for (p = out.data, left = out.len; left > 0; ) {
				if ((r = write(fds[1], p, left)) < 0) {
					if (errno == EINTR)
						continue;
					_exit(2);
				}
				p += r;
				left -= (size_t)r;
			}
			/* Tidy, so leak checkers see only real leaks. */
			buf_release(&out);
			free(pfd);
			free(in);
			free(pid);
			diag_reset();
			l10n_cleanup();
			pdf_cleanup();
			_exit(failed ? 1 : 0);
		}
		close(fds[1]);
		pfd[k].fd = fds[0];
		pfd[k].events = POLLIN;
	}
	/* Read every pipe to its end, so no worker blocks on a full pipe. */
	for (open_fds = 0, k = 0; k < n; k++)
		if (pfd[k].fd != -1)
			open_fds++;
	while (open_fds > 0) {
		if (poll(pfd, (nfds_t)n, c->tty != NULL ? 200 : -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		progress(c, false);
		for (k = 0; k < n; k++) {
			if (pfd[k].fd == -1 || pfd[k].revents == 0)
				continue;
			r = read(pfd[k].fd, tmp, sizeof(tmp));
			if (r > 0) {
				buf_add(&in[k], tmp, (size_t)r);
				continue;
			}
			if (r < 0 && errno == EINTR)
				continue;
			close(pfd[k].fd);
			pfd[k].fd = -1;
			open_fds--;
		}
	}
	for (k = 0; k < n; k++) {
		if (pid[k] <= 0)
			continue;
		while (waitpid(pid[k], &status, 0) == -1 && errno == EINTR)
			continue;
		before = diag_count(DIAG_ERROR);
		if (diag_load(in[k].data ? in[k].data : "", in[k].len) == -1) {
			diag_error(NULL, 0, 0, "worker %d sent garbled "
			    "diagnostics", k + 1);
			nerr++;
		}
		if (WIFSIGNALED(status)) {
			diag_error(NULL, 0, 0, "worker %d died of signal %d",
			    k + 1, WTERMSIG(status));
			nerr++;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			/* A failed page always says why; if not, we do. */
			if (diag_count(DIAG_ERROR) == before)
				diag_error(NULL, 0, 0, "worker %d failed with "
				    "status %d", k + 1, WIFEXITED(status) ?
				    WEXITSTATUS(status) : -1);
			nerr++;
		}
		buf_release(&in[k]);
	}
	free(pfd);
	free(in);
	free(pid);
	return nerr;
}

/*
 * sitemap.xml and hreflang need absolute URLs: without a base URL they
 * are left out, and a note says so.
 */
static int
write_sitemap(struct build *c)
{
	struct buf	b;
	int		rc = 0;

	buf_init(&b);
	if (sitemap_write(&b, &c->site) == 0)
		rc = output_write(&c->out, "sitemap.xml", b.data, b.len);
	else
		diag_note("site.yaml", 0, 0, "no base_url: sitemap.xml, "
		    "canonical and hreflang links are left out");
	buf_release(&b);
	return rc;
}

static int
copy_files(struct build *c)
{
	char	*from;
	size_t	 i;
	int	 rc = 0;

	from = path_join(c->cfg.theme_dir, "assets");
	if (output_copy_tree(&c->out, from, "assets") == -1 ||
	    theme_css(c, true) == (size_t)-1)
		rc = -1;
	free(from);
	from = path_join(c->cfg.root, "static");
	if (output_copy_tree(&c->out, from, "") == -1)
		rc = -1;
	free(from);
	for (i = 0; i < c->site.nres; i++) {
		char *src = path_join(c->cfg.root, c->site.res_src[i]);
		char *file = url_file(c->site.res_url[i]);

		if (output_copy_file(&c->out, src, file) == -1)
			rc = -1;
		free(src);
		free(file);
	}
	return rc;
}

/*
 * The loading stages every command shares, from site.yaml to the site
 * graph; with render, also the UI strings and templates a build needs.
 * Runs inside the site folder, so every path it prints is relative to it
 * ("content/en/x.md").  Returns 0, or -1 after reporting every problem.
 */
static int
load(struct build *c, const struct build_opts *o, bool render)
{
	char	*dir;
	int	 nerr = 0;

	c->opts = o;
	c->t0 = c->start = now();
	c->wall_start = time(NULL);
	c->arena = arena_new();
	c->cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (chdir(o->root) == -1) {
		diag_error(NULL, 0, 0, "cannot open site folder '%s': %s",
		    o->root, strerror(errno));
		return -1;
	}
	if (config_load(&c->cfg, ".", build_theme_dirs(), c->arena) == -1)
		return -1;
	if (o->base_url != NULL) {
		size_t n = strlen(o->base_url);

		while (n > 0 && o->base_url[n - 1] == '/')
			n--;
		c->cfg.base_url = arena_strndup(c->arena, o->base_url, n);
	}
	if (open_languages(c) == -1)
		return -1;
	if (render) {
		dir = path_join(c->cfg.theme_dir, "locales");
		if (load_strings(c, dir, dir) == -1)
			nerr++;
		free(dir);
		if (load_strings(c, "locales", "locales") == -1)
			nerr++;
		dir = path_join(c->cfg.theme_dir, "templates");
		if ((c->tpl = tpl_load(dir)) == NULL)
			nerr++;
		free(dir);
	}
	mark(c, ST_LOAD);
	if (site_scan(&c->site, &c->cfg, c->l10ns, o->drafts,
	    o->jobs > 0 ? o->jobs : cores(), c->arena) == -1)
		nerr++;
	mark(c, ST_SCAN);
	if (site_resolve(&c->site) == -1)
		nerr++;
	if (c->tpl != NULL && check_templates(c) == -1)
		nerr++;
	if (render && check_site(&c->site) > 0)
		nerr++;
	mark(c, ST_GRAPH);
	return nerr ? -1 : 0;
}

/*
 * Returns to the starting folder, lets go of the output and frees the
 * memory; when the process is about to exit (build_run), all but the data
 * documents: freeing a big site's node by node took 0.6 s at 15,000 pages,
 * for memory the system takes back at once.  They are kept reachable
 * (left_at_exit), so leak checkers do not count them as lost.
 */
static void
release(struct build *c, bool exiting)
{
	/* volatile: a store the compiler may not drop as unused. */
	static struct data *volatile	 left_at_exit;
	size_t				 i;

	if (c->cwd > 0) {
		if (fchdir(c->cwd) == -1)
			diag_error(NULL, 0, 0, "cannot return to the folder "
			    "awaaz started in: %s", strerror(errno));
		close(c->cwd);
		c->cwd = -1;
	}

	output_release(&c->out);
	if (c->tally != NULL && c->tally != &c->own_tally)
		munmap(c->tally, sizeof(*c->tally));
	c->tally = NULL;
	if (exiting) {
		left_at_exit = c->data;
		(void)left_at_exit;
	} else
		data_free(c->data);
	if (c->tpl != NULL)
		tpl_free(c->tpl);
	if (c->l10ns != NULL)
		for (i = 0; i < c->cfg.nlangs; i++)
			if (c->l10ns[i] != NULL)
				l10n_free(c->l10ns[i]);
	strmap_release(&c->site.by_rel);
	strmap_release(&c->site.by_url);
	free(c->site.pages);
	free(c->site.jobs);
	free(c->site.res_src);
	free(c->site.res_url);
	arena_free(c->arena);
}

struct build *
build_open(const struct build_opts *o)
{
	struct build	*c;

	c = xcalloc(1, sizeof(*c));
	if (load(c, o, false) == -1) {
		build_close(c);
		return NULL;
	}
	return c;
}

const struct site *
build_site(const struct build *c)
{
	return &c->site;
}

void
build_close(struct build *c)
{
	if (c == NULL)
		return;
	release(c, false);
	free(c);
}

int
build_run(const struct build_opts *o)
{
	struct build	 c;
	FILE		*out = o->diag_out ? o->diag_out : stderr;
	char		*out_dir = NULL, *shown = NULL;
	int		 jobs = 0, status = 1, nerr;
	size_t		 i;

	memset(&c, 0, sizeof(c));
	c.tally = mmap(NULL, sizeof(*c.tally), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c.tally == MAP_FAILED)
		c.tally = &c.own_tally;		/* no live counts: -j1 */
	if (o->verbosity >= 0 && isatty(fileno(out)))
		c.tty = out;
	diag_set_min_level(o->verbosity < 0 ? DIAG_ERROR :
	    o->verbosity > 0 ? DIAG_NOTE : DIAG_WARNING);

	/* The output folder is named from where the user stands. */
	shown = o->out ? xstrdup(o->out) : path_join(o->root, "public");
	if (o->out != NULL && o->out[0] != '/') {
		char *cwd = getcwd(NULL, 0);

		out_dir = path_join(cwd ? cwd : ".", o->out);
		free(cwd);
	} else
		out_dir = xstrdup(o->out ? o->out : "public");
	/*
	 * Content errors stop a build; "awaaz check" goes on to the render
	 * pass whenever it can, to report what only rendering finds.
	 */
	if (load(&c, o, true) == -1 &&
	    !(o->check && c.tpl != NULL && c.site.njobs > 0))
		goto done;
	if ((c.data = data_new(&c.site)) == NULL)
		goto done;
	mark(&c, ST_DATA);
	c.css_bytes = theme_css(&c, false);
	pdf_inputs(&c);
	jobs = o->jobs > 0 ? o->jobs : cores();
	if (jobs > (int)c.site.njobs)
		jobs = (int)c.site.njobs;
	if (c.tally == &c.own_tally)
		jobs = 1;
	c.workers = jobs;
	if (o->check) {
		progress(&c, true);
		render_all(&c, jobs);
		progress_clear(&c);
		status = 0;	/* errors make it 1 below */
		goto done;
	}
	if (output_begin(&c.out, ".", out_dir, shown) == -1)
		goto done;
	if (copy_files(&c) == -1) {
		output_abort(&c.out);
		goto done;
	}
	mark(&c, ST_COPY);
	progress(&c, true);
	nerr = render_all(&c, jobs);
	progress(&c, true);		/* the final counts, in passing */
	progress_clear(&c);
	if (nerr > 0 || diag_count(DIAG_ERROR) > 0) {
		output_abort(&c.out);
		goto done;
	}
	if (write_sitemap(&c) == -1) {
		output_abort(&c.out);
		goto done;
	}
	mark(&c, ST_RENDER);
	if (output_commit(&c.out) == -1)
		goto done;
	prune_cache(&c);
	mark(&c, ST_SWAP);
	status = 0;
	if (o->verbosity >= 0) {
		size_t pages = 0;

		for (i = 0; i < c.site.njobs; i++)
			if (c.site.jobs[i].kind != PAGE_ALIAS)
				pages++;
		diag_flush(out);
		summary(&c, out, pages, shown);
		if (o->verbosity > 0) {
			fputs("awaaz: seconds:", out);
			for (i = 0; i < ST_MAX; i++)
				fprintf(out, " %s %.3f", stage_names[i],
				    c.times[i]);
			fprintf(out, " (%d workers)\n", jobs);
		}
	}
done:
	diag_flush(out);
	if (diag_count(DIAG_ERROR) > 0)
		status = 1;
	release(&c, true);
	free(out_dir);
	free(shown);
	return status;
}
