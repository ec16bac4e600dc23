/*
 * config.h: the site configuration (site.yaml) and the theme's location.
 */
#ifndef AWAAZ_CONFIG_H
#define AWAAZ_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct yaml_node;

struct lang {
	const char	*code;		/* content folder, URL prefix: "ur" */
	const char	*locale;	/* ICU locale, lang attribute: "ur-PK" */
	const char	*dir;		/* "ltr" or "rtl" (override or ICU) */
	const char	*name;		/* native name (override or ICU) */
	/* Per-language overrides from site.yaml, NULL when absent. */
	const char	*numbers;	/* numbering system, e.g. "arab" */
	const char	*calendar;	/* e.g. "persian" */
	const struct yaml_node *date_patterns; /* map style -> pattern */
	size_t		 index;		/* position in site.yaml, 0 = default */
};

struct audience {
	const char	*name;		/* "communities" */
	const char	*label;		/* "Communities" (default language) */
};

struct config {
	const char	*root;		/* site folder */
	const char	*path;		/* root/site.yaml */
	const char	*title;
	const char	*description;	/* NULL when absent */
	const char	*base_url;	/* "" in relative mode; no trailing '/' */
	const char	*theme;		/* theme name, "default" */
	const char	*theme_dir;	/* resolved theme folder: first in
					   root/<themes_dir or "themes">/ */
	struct lang	*langs;
	size_t		 nlangs;
	struct audience	*audiences;
	size_t		 naudiences;
	long		 page_size;	/* list pagination, default 10 */
	long		 page_budget;	/* kB of HTML + CSS a page may weigh,
					   default 20 */
	const struct yaml_node *map;	/* the whole site.yaml, for $site */
};

/*
 * Loads root/site.yaml into cfg, everything from the arena.  theme_dirs is
 * a NULL-terminated list (or NULL) of folders searched for themes after
 * root/themes.  A language may be given as its code alone ("- ur"), an
 * audience as its name; unknown keys inside them get a warning.  Returns
 * 0, or -1 after printing every problem found.
 */
int	config_load(struct config *, const char *root,
	    const char *const *theme_dirs, struct arena *);

/* The language with this code, or NULL. */
const struct lang	*config_lang(const struct config *, const char *);

#endif
