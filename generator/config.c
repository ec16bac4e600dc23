/*
 * config.c: reads site.yaml, the one configuration file of a site, fills
 * in defaults, and finds the theme.  Language codes and audience names
 * become folder names and URL segments, so they are held to a small
 * alphabet here; what only ICU can judge (locales, numbering systems,
 * calendars, date patterns) is passed on untouched, and a language's
 * direction and native name stay NULL unless site.yaml gives them, for
 * the build to ask ICU.  Unknown top-level keys are allowed: templates
 * see the whole file as $site.  Every problem is reported before failing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "util.h"
#include "yaml.h"

struct cfgctx {
	struct config	*cfg;
	struct arena	*arena;
	int		 nerr;
};

static const struct audience default_audiences[] = {
	{ "communities", "Communities" },
	{ "journalists", "Journalists" },
	{ "schools", "Schools" },
};

static void PRINTF_LIKE(3, 4)
cfg_error(struct cfgctx *c, const struct yaml_node *n, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vdiag(DIAG_ERROR, c->cfg->path, n ? n->line : 0, n ? n->col : 0,
	    fmt, ap);
	va_end(ap);
	c->nerr++;
}

static const char *
quote(const struct yaml_node *n, char *buf, size_t size)
{
	return yaml_excerpt(n->str, n->len, buf, size);
}

/*
 * A string value: NULL when absent or null, otherwise the scalar's text.
 * where names the map for messages ("in language").
 */
static const char *
get_str(struct cfgctx *c, const struct yaml_node *map, const char *key,
    const char *where)
{
	const struct yaml_node	*v;

	if ((v = yaml_get(map, key)) == NULL || yaml_is_null(v))
		return NULL;
	if (v->kind != YAML_SCALAR || strlen(v->str) != v->len) {
		cfg_error(c, v, "'%s'%s%s must be a string", key,
		    where ? " " : "", where ? where : "");
		return NULL;
	}
	return v->str;
}

/* Lowercase ASCII letters, digits and '-', not starting with '-'. */
static bool
is_name(const char *s)
{
	if (*s == '\0' || *s == '-')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return false;
	return true;
}

static void
read_date_patterns(struct cfgctx *c, struct lang *l,
    const struct yaml_node *v)
{
	size_t	i;

	if (v == NULL || yaml_is_null(v))
		return;
	if (v->kind != YAML_MAP) {
		cfg_error(c, v, "'date_patterns' must map a style to a "
		    "pattern (long: \"d MMMM y\")");
		return;
	}
	for (i = 0; i < v->n; i++)
		if (v->pairs[i].value->kind != YAML_SCALAR) {
			cfg_error(c, v->pairs[i].value,
			    "a date pattern must be a string");
			return;
		}
	l->date_patterns = v;
}

static void
read_lang(struct cfgctx *c, const struct yaml_node *item, struct lang *l)
{
	static const char *const known[] = {
		"code", "locale", "dir", "name", "numbers", "calendar",
		"date_patterns",
	};
	const struct yaml_node	*v, *codev;
	char			 buf[128];

	/* "- ur" is short for "- {code: ur}". */
	if (item->kind == YAML_SCALAR && !yaml_is_null(item)) {
		codev = item;
		l->code = item->str;
	} else if (item->kind != YAML_MAP) {
		cfg_error(c, item, "a language must be a mapping such as "
		    "{code: ur, locale: ur-PK}");
		return;
	} else {
		yaml_warn_unknown(c->cfg->path, item,
		    known, nitems(known), "language");
		codev = yaml_get(item, "code");
		l->code = get_str(c, item, "code", "in language");
		l->locale = get_str(c, item, "locale", "in language");
		l->dir = get_str(c, item, "dir", "in language");
		l->name = get_str(c, item, "name", "in language");
		l->numbers = get_str(c, item, "numbers", "in language");
		l->calendar = get_str(c, item, "calendar", "in language");
		read_date_patterns(c, l, yaml_get(item, "date_patterns"));
		if (codev == NULL || yaml_is_null(codev))
			cfg_error(c, item, "language has no 'code'");
		if (l->dir != NULL && strcmp(l->dir, "ltr") != 0 &&
		    strcmp(l->dir, "rtl") != 0) {
			v = yaml_get(item, "dir");
			cfg_error(c, v, "unknown direction '%s' (ltr, rtl)",
			    quote(v, buf, sizeof(buf)));
			l->dir = NULL;
		}
	}
	if (l->code != NULL && !is_name(l->code)) {
		cfg_error(c, codev, "invalid language code '%s': use "
		    "lowercase letters, digits and '-' (it names a folder "
		    "and a URL segment)", quote(codev, buf, sizeof(buf)));
		l->code = NULL;
	}
	if (l->locale == NULL)
		l->locale = l->code;
}

static void
read_langs(struct cfgctx *c, const struct yaml_node *root)
{
	struct config		*cfg = c->cfg;
	const struct yaml_node	*v, *item;
	char			 buf[128];
	size_t			 i, j;

	v = yaml_get(root, "languages");
	if (v == NULL || yaml_is_null(v)) {
		cfg->langs = arena_alloc(c->arena, sizeof(*cfg->langs));
		cfg->langs[0].code = "en";
		cfg->langs[0].locale = "en";
		cfg->nlangs = 1;
		return;
	}
	if (v->kind != YAML_SEQ || v->n == 0) {
		cfg_error(c, v, "'languages' must be a list of languages "
		    "such as {code: ur, locale: ur-PK}, the default first");
		return;
	}
	cfg->langs = arena_alloc(c->arena, v->n * sizeof(*cfg->langs));
	for (i = 0; i < v->n; i++) {
		item = v->items[i];
		cfg->langs[i].index = i;
		read_lang(c, item, &cfg->langs[i]);
		if (cfg->langs[i].code == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (cfg->langs[j].code != NULL &&
			    strcmp(cfg->langs[j].code,
			    cfg->langs[i].code) == 0)
				break;
		if (j < i) {
			if (item->kind == YAML_MAP)
				item = yaml_get(item, "code");
			cfg_error(c, item, "duplicate language code '%s'",
			    quote(item, buf, sizeof(buf)));
		}
	}
	cfg->nlangs = v->n;
}

static void
read_audiences(struct cfgctx *c, const struct yaml_node *root)
{
	static const char *const known[] = { "name", "label" };
	struct config		*cfg = c->cfg;
	struct audience		*au;
	const struct yaml_node	*v, *item, *namev;
	char			 buf[128];
	size_t			 i, j;

	v = yaml_get(root, "audiences");
	if (v == NULL || yaml_is_null(v)) {
		cfg->audiences = arena_alloc(c->arena,
		    sizeof(default_audiences));
		memcpy(cfg->audiences, default_audiences,
		    sizeof(default_audiences));
		cfg->naudiences = nitems(default_audiences);
		return;
	}
	if (v->kind != YAML_SEQ) {
		cfg_error(c, v, "'audiences' must be a list such as "
		    "{name: schools, label: Schools}");
		return;
	}
	cfg->audiences = arena_alloc(c->arena, (v->n ? v->n : 1) *
	    sizeof(*cfg->audiences));
	for (i = 0; i < v->n; i++) {
		item = v->items[i];
		au = &cfg->audiences[i];
		if (item->kind == YAML_SCALAR && !yaml_is_null(item)) {
			namev = item;
			au->name = item->str;
		} else if (item->kind != YAML_MAP) {
			cfg_error(c, item, "an audience must be a mapping "
			    "such as {name: schools, label: Schools}");
			continue;
		} else {
			yaml_warn_unknown(c->cfg->path, item,
			    known, nitems(known),
			    "audience");
			namev = yaml_get(item, "name");
			au->name = get_str(c, item, "name", "in audience");
			au->label = get_str(c, item, "label", "in audience");
			if (namev == NULL || yaml_is_null(namev))
				cfg_error(c, item, "audience has no 'name'");
		}
		if (au->name == NULL)
			continue;
		if (!is_name(au->name)) {
			cfg_error(c, namev, "invalid audience name '%s': use "
			    "lowercase letters, digits and '-' (it is a URL "
			    "segment)", quote(namev, buf, sizeof(buf)));
			au->name = NULL;
			continue;
		}
		if (au->label == NULL)
			au->label = au->name;
		for (j = 0; j < i; j++)
			if (cfg->audiences[j].name != NULL &&
			    strcmp(cfg->audiences[j].name, au->name) == 0) {
				cfg_error(c, namev, "duplicate audience '%s'",
				    quote(namev, buf, sizeof(buf)));
				break;
			}
	}
	cfg->naudiences = v->n;
}

static void
read_base_url(struct cfgctx *c, const struct yaml_node *root)
{
	const struct yaml_node	*v;
	const char		*s, *host;
	char			 buf[128];
	size_t			 len;

	c->cfg->base_url = "";
	if ((s = get_str(c, root, "base_url", NULL)) == NULL)
		return;
	v = yaml_get(root, "base_url");
	len = strlen(s);
	while (len > 0 && s[len - 1] == '/')
		len--;
	if (len == 0)
		return;
	host = has_prefix(s, "https://") ? s + 8 :
	    has_prefix(s, "http://") ? s + 7 : NULL;
	if (host == NULL || host >= s + len || *host == '/' ||
	    strpbrk(s, " \t\r\n\"'<>\\") != NULL) {
		cfg_error(c, v, "invalid base_url '%s': write the site's "
		    "address, starting with https:// or http://",
		    quote(v, buf, sizeof(buf)));
		return;
	}
	c->cfg->base_url = arena_strndup(c->arena, s, len);
}

static void
read_page_size(struct cfgctx *c, const struct yaml_node *root)
{
	const struct yaml_node	*v;
	long			 n;

	c->cfg->page_size = 10;
	if ((v = yaml_get(root, "page_size")) == NULL || yaml_is_null(v))
		return;
	if (yaml_int(v, &n) == -1 || n <= 0) {
		cfg_error(c, v, "'page_size' must be a positive integer");
		return;
	}
	c->cfg->page_size = n;
}

static void
read_page_budget(struct cfgctx *c, const struct yaml_node *root)
{
	const struct yaml_node	*v;
	long			 n;

	c->cfg->page_budget = 20;
	if ((v = yaml_get(root, "page_budget")) == NULL || yaml_is_null(v))
		return;
	if (yaml_int(v, &n) == -1 || n <= 0) {
		cfg_error(c, v, "'page_budget' must be a positive number of "
		    "kilobytes");
		return;
	}
	c->cfg->page_budget = n;
}

static void
find_theme(struct cfgctx *c, const struct yaml_node *root,
    const char *const *theme_dirs)
{
	struct config		*cfg = c->cfg;
	const struct yaml_node	*v;
	const char		*tdir;
	char			*dir, *themes, buf[128];
	size_t			 i;

	v = yaml_get(root, "theme");
	if ((cfg->theme = get_str(c, root, "theme", NULL)) == NULL) {
		if (v != NULL && !yaml_is_null(v))
			return;
		cfg->theme = "default";
		v = NULL;
	}
	if (*cfg->theme == '\0' || *cfg->theme == '.' ||
	    strchr(cfg->theme, '/') != NULL) {
		cfg_error(c, v, "invalid theme '%s': a theme is a folder "
		    "name, without '/'", quote(v, buf, sizeof(buf)));
		return;
	}
	/* themes_dir (Hugo's themesDir) is relative to the site folder. */
	if ((tdir = get_str(c, root, "themes_dir", NULL)) == NULL)
		tdir = "themes";
	themes = path_join(cfg->root, tdir);
	dir = path_join(themes, cfg->theme);
	free(themes);
	for (i = 0; !is_dir(dir) && theme_dirs != NULL &&
	    theme_dirs[i] != NULL; i++) {
		free(dir);
		dir = path_join(theme_dirs[i], cfg->theme);
	}
	if (is_dir(dir))
		cfg->theme_dir = arena_strdup(c->arena, dir);
	else if (v != NULL)
		cfg_error(c, v, "theme '%s' not found", quote(v, buf,
		    sizeof(buf)));
	else
		cfg_error(c, NULL, "theme '%s' not found", cfg->theme);
	free(dir);
}

int
config_load(struct config *cfg, const char *root,
    const char *const *theme_dirs, struct arena *a)
{
	struct cfgctx		 c;
	const struct yaml_node	*map, *v;
	char			*path, *text = NULL;
	size_t			 len;
	int			 rc = -1;

	memset(cfg, 0, sizeof(*cfg));
	memset(&c, 0, sizeof(c));
	c.cfg = cfg;
	c.arena = a;
	cfg->root = arena_strdup(a, root);
	path = path_join(root, "site.yaml");
	cfg->path = arena_strdup(a, path);
	free(path);

	if (file_read(cfg->path, &text, &len) == -1) {
		diag_error(cfg->path, 0, 0, "cannot read site.yaml: %s",
		    strerror(errno));
		goto out;
	}
	if ((map = yaml_parse(cfg->path, text, len, 0, a)) == NULL)
		goto out;
	if (map->kind != YAML_MAP) {
		cfg_error(&c, map, "site.yaml must be a mapping of keys to "
		    "values");
		goto out;
	}
	cfg->map = map;

	v = yaml_get(map, "title");
	if (v == NULL || yaml_is_null(v))
		cfg_error(&c, NULL, "site.yaml has no 'title'");
	cfg->title = get_str(&c, map, "title", NULL);
	cfg->description = get_str(&c, map, "description", NULL);
	read_base_url(&c, map);
	read_langs(&c, map);
	read_audiences(&c, map);
	read_page_size(&c, map);
	read_page_budget(&c, map);
	find_theme(&c, map, theme_dirs);
	if (c.nerr == 0)
		rc = 0;
out:
	free(text);
	return rc;
}

const struct lang *
config_lang(const struct config *cfg, const char *code)
{
	size_t	i;

	for (i = 0; i < cfg->nlangs; i++)
		if (cfg->langs[i].code != NULL &&
		    strcmp(cfg->langs[i].code, code) == 0)
			return &cfg->langs[i];
	return NULL;
}
