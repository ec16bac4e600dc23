/* modules: config yaml util diag */
/*
 * test_config.c: site.yaml in a temporary folder: defaults, languages,
 * audiences, base_url, the theme search, and every error reported at its
 * position before failing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "testutil.h"
#include "util.h"
#include "yaml.h"

static struct arena	*arena;
static char		*root;		/* a fresh site folder per test */
static char		*extra;		/* another theme folder */

static int
setup(void **state)
{
	char	tmpl[] = "/tmp/awaaz-test-config-XXXXXX";
	char	*themes;

	arena = arena_new();
	diag_reset();
	assert_non_null(mkdtemp(tmpl));
	root = xstrdup(tmpl);
	themes = path_join(root, "themes/default");
	assert_int_equal(mkdir_p(themes), 0);
	free(themes);
	extra = path_join(root, "shared/themes/plain");
	assert_int_equal(mkdir_p(extra), 0);
	free(extra);
	extra = path_join(root, "shared/themes");
	return 0;
}

static int
teardown(void **state)
{
	assert_int_equal(rm_rf(root), 0);
	free(root);
	free(extra);
	arena_free(arena);
	diag_reset();
	return 0;
}

/* Compares diagnostics, with "@" standing for root/site.yaml. */
static void
assert_cfg_diags(const char *expect)
{
	struct buf	 b;
	const char	*s;
	char		*got;

	buf_init(&b);
	buf_adds(&b, "");
	for (s = expect; *s != '\0'; s++)
		if (*s == '@')
			buf_printf(&b, "%s/site.yaml", root);
		else
			buf_addc(&b, *s);
	got = flushed();
	assert_string_equal(got, b.data);
	free(got);
	buf_release(&b);
}

static int
load(struct config *cfg, const char *yaml)
{
	const char *const	 dirs[] = { "/nonexistent", extra, NULL };
	char			*path;

	if (yaml != NULL) {
		path = path_join(root, "site.yaml");
		assert_int_equal(file_write(path, yaml, strlen(yaml)), 0);
		free(path);
	}
	return config_load(cfg, root, dirs, arena);
}

static void
test_missing(void **state)
{
	struct config	cfg;

	assert_int_equal(load(&cfg, NULL), -1);
	assert_cfg_diags("@: error: cannot read site.yaml: No such file or "
	    "directory\n");
}

static void
test_defaults(void **state)
{
	struct config	 cfg;
	char		*dir;

	assert_int_equal(load(&cfg, "title: Stay safe\nhelplines: [1, 2]\n"),
	    0);
	assert_string_equal(cfg.root, root);
	assert_string_equal(cfg.title, "Stay safe");
	assert_null(cfg.description);
	assert_string_equal(cfg.base_url, "");
	assert_string_equal(cfg.theme, "default");
	dir = path_join(root, "themes/default");
	assert_string_equal(cfg.theme_dir, dir);
	free(dir);
	assert_int_equal(cfg.nlangs, 1);
	assert_string_equal(cfg.langs[0].code, "en");
	assert_string_equal(cfg.langs[0].locale, "en");
	assert_null(cfg.langs[0].dir);
	assert_null(cfg.langs[0].name);
	assert_null(cfg.langs[0].numbers);
	assert_null(cfg.langs[0].date_patterns);
	assert_int_equal(cfg.naudiences, 3);
	assert_string_equal(cfg.audiences[0].name, "communities");
	assert_string_equal(cfg.audiences[0].label, "Communities");
	assert_string_equal(cfg.audiences[1].name, "journalists");
	assert_string_equal(cfg.audiences[2].label, "Schools");
	assert_int_equal(cfg.page_size, 10);
	/* Unknown keys reach templates through the map. */
	assert_int_equal(yaml_get(cfg.map, "helplines")->n, 2);
	assert_ptr_equal(config_lang(&cfg, "en"), &cfg.langs[0]);
	assert_null(config_lang(&cfg, "ur"));
	assert_int_equal(diag_count(DIAG_ERROR), 0);
}

static void
test_full(void **state)
{
	struct config	 cfg;
	const char	*s =
	    "title: \xd8\xa2\xd9\x88\xd8\xa7\xd8\xb2\n"
	    "description: A campaign\n"
	    "base_url: https://example.org/campaign//\n"
	    "theme: plain\n"
	    "page_size: 20\n"
	    "languages:\n"
	    "  - {code: ur, locale: ur-PK, dir: rtl, numbers: arab}\n"
	    "  - code: ps\n"
	    "    locale: ps-AF\n"
	    "    calendar: persian\n"
	    "    date_patterns: {long: \"d MMMM y\"}\n"
	    "  - fa-af\n"
	    "audiences:\n"
	    "  - {name: schools, label: Schulen}\n"
	    "  - name: parents\n";
	char		*dir;

	assert_int_equal(load(&cfg, s), 0);
	assert_string_equal(cfg.description, "A campaign");
	assert_string_equal(cfg.base_url, "https://example.org/campaign");
	assert_string_equal(cfg.theme, "plain");
	dir = path_join(extra, "plain");
	assert_string_equal(cfg.theme_dir, dir);
	free(dir);
	assert_int_equal(cfg.page_size, 20);
	assert_int_equal(cfg.nlangs, 3);
	assert_string_equal(cfg.langs[0].code, "ur");
	assert_string_equal(cfg.langs[0].locale, "ur-PK");
	assert_string_equal(cfg.langs[0].dir, "rtl");
	assert_string_equal(cfg.langs[0].numbers, "arab");
	assert_null(cfg.langs[0].name);
	assert_int_equal(cfg.langs[0].index, 0);
	assert_string_equal(cfg.langs[1].locale, "ps-AF");
	assert_string_equal(cfg.langs[1].calendar, "persian");
	assert_null(cfg.langs[1].dir);
	assert_non_null(cfg.langs[1].date_patterns);
	assert_string_equal(yaml_get(cfg.langs[1].date_patterns, "long")->str,
	    "d MMMM y");
	assert_int_equal(cfg.langs[1].index, 1);
	assert_string_equal(cfg.langs[2].code, "fa-af");
	assert_string_equal(cfg.langs[2].locale, "fa-af");
	assert_ptr_equal(config_lang(&cfg, "ps"), &cfg.langs[1]);
	assert_null(config_lang(&cfg, "en"));
	assert_int_equal(cfg.naudiences, 2);
	assert_string_equal(cfg.audiences[0].label, "Schulen");
	assert_string_equal(cfg.audiences[1].name, "parents");
	assert_string_equal(cfg.audiences[1].label, "parents");
	assert_int_equal(diag_count(DIAG_ERROR), 0);
}

static void
test_errors(void **state)
{
	struct config	 cfg;
	const char	*s =
	    "description: [a]\n"
	    "base_url: example.org\n"
	    "theme: nothere\n"
	    "page_size: 0\n"
	    "languages:\n"
	    "  - {code: EN}\n"
	    "  - {code: ur, dir: up, locle: ur-PK}\n"
	    "  - {locale: fa-AF}\n"
	    "  - {name: \xd8\xa7\xd8\xb1\xd8\xaf\xd9\x88, code: ur}\n"
	    "  - [x]\n"
	    "audiences:\n"
	    "  - {name: Schools}\n"
	    "  - kids\n"
	    "  - {name: kids}\n";

	assert_int_equal(load(&cfg, s), -1);
	assert_cfg_diags(
	    "@: error: site.yaml has no 'title'\n"
	    "@:1:14: error: 'description' must be a string\n"
	    "@:2:11: error: invalid base_url 'example.org': write the site's "
	    "address, starting with https:// or http://\n"
	    "@:3:8: error: theme 'nothere' not found\n"
	    "@:4:12: error: 'page_size' must be a positive integer\n"
	    "@:6:12: error: invalid language code 'EN': use lowercase "
	    "letters, digits and '-' (it names a folder and a URL segment)\n"
	    "@:7:21: error: unknown direction 'up' (ltr, rtl)\n"
	    "@:7:25: warning: unknown key 'locle' in language\n"
	    "@:8:5: error: language has no 'code'\n"
	    /* After the Urdu name: byte 28, character 24. */
	    "@:9:28: error: duplicate language code 'ur'\n"
	    "@:10:5: error: a language must be a mapping such as "
	    "{code: ur, locale: ur-PK}\n"
	    "@:12:12: error: invalid audience name 'Schools': use lowercase "
	    "letters, digits and '-' (it is a URL segment)\n"
	    "@:14:12: error: duplicate audience 'kids'\n");
	assert_int_equal(diag_count(DIAG_ERROR), 12);
}

static void
test_more_errors(void **state)
{
	struct config	 cfg;
	char		*themes;

	/* A theme by default that is nowhere has no position. */
	themes = path_join(root, "themes");
	assert_int_equal(rm_rf(themes), 0);
	free(themes);
	assert_int_equal(load(&cfg, "title: x\n"), -1);
	assert_cfg_diags("@: error: theme 'default' not found\n");

	assert_int_equal(load(&cfg, "- a\n"), -1);
	assert_cfg_diags("@:1:1: error: site.yaml must be a mapping of keys to "
	    "values\n");
	assert_int_equal(load(&cfg, "title: x\ntitle: y\n"), -1);
	assert_cfg_diags("@:2:1: error: duplicate key 'title'\n");
	assert_int_equal(load(&cfg, "title: {a: b}\ntheme: plain\n"
	    "languages: []\naudiences: x\nbase_url: 'https://'\n"), -1);
	assert_cfg_diags(
	    "@:1:8: error: 'title' must be a string\n"
	    "@:3:12: error: 'languages' must be a list of languages such as "
	    "{code: ur, locale: ur-PK}, the default first\n"
	    "@:4:12: error: 'audiences' must be a list such as "
	    "{name: schools, label: Schools}\n"
	    "@:5:11: error: invalid base_url 'https://': write the site's "
	    "address, starting with https:// or http://\n");
	assert_int_equal(load(&cfg, "title: x\ntheme: ../x\n"), -1);
	assert_cfg_diags("@:2:8: error: invalid theme '../x': a theme is a folder "
	    "name, without '/'\n");

	/* An empty base_url is relative mode; an empty list no audiences. */
	assert_int_equal(load(&cfg, "title: x\ntheme: plain\nbase_url: ''\n"
	    "audiences: []\nlanguages: [en]\n"), 0);
	assert_string_equal(cfg.base_url, "");
	assert_int_equal(cfg.naudiences, 0);
	assert_int_equal(load(&cfg, "title: x\ntheme: plain\n"
	    "base_url: http://localhost:1313/\n"), 0);
	assert_string_equal(cfg.base_url, "http://localhost:1313");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_missing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_more_errors, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
