/* modules: fm yaml util diag */
/*
 * test_fm.c: splitting front matter from the body, the known keys and
 * their type errors (all reported, each at its value), dates and epochs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "testutil.h"
#include "fm.h"
#include "util.h"
#include "yaml.h"

static struct arena	*arena;

static int
setup(void **state)
{
	arena = arena_new();
	diag_reset();
	return 0;
}

static int
teardown(void **state)
{
	arena_free(arena);
	diag_reset();
	return 0;
}

static int
parse(struct fm *fm, const char *s)
{
	return fm_parse(fm, "p.md", s, strlen(s), arena);
}

static void
test_no_front_matter(void **state)
{
	struct fm	fm;

	assert_int_equal(parse(&fm, "# Title\n\nText.\n"), 0);
	assert_null(fm.map);
	assert_null(fm.title.s);
	assert_int_equal(fm.body_off, 0);
	assert_int_equal(fm.body_line0, 0);
	/* A thematic break that is not on the first line. */
	assert_int_equal(parse(&fm, "Text\n---\n"), 0);
	assert_null(fm.map);
	assert_int_equal(parse(&fm, ""), 0);
	assert_int_equal(parse(&fm, "{{< youtube x >}}\n"), 0);
	assert_int_equal(diag_count(DIAG_ERROR), 0);
}

static void
test_all_keys(void **state)
{
	struct fm	 fm;
	const char	*s =
	    "---\n"
	    "title: Know the signs\n"
	    "date: 2024-02-01\n"
	    "draft: yes\n"
	    "weight: -3\n"
	    "slug: know-the-signs\n"
	    "summary: 'Short: text'\n"
	    "tags: [work, \xd8\xa7\xd8\xb1\xd8\xaf\xd9\x88]\n"
	    "audience: schools\n"
	    "translationKey: signs\n"
	    "aliases:\n"
	    "  - /old/signs/\n"
	    "  - /signs.html\n"
	    "layout: handout\n"
	    "handout: A5\n"
	    "translatedFrom: en\n"
	    "helpline: 1234\n"
	    "---\n"
	    "Body\n";

	assert_int_equal(parse(&fm, s), 0);
	assert_string_equal(fm.title.s, "Know the signs");
	assert_int_equal(fm.title.pos.line, 2);
	assert_int_equal(fm.title.pos.col, 8);
	assert_true(fm.has_date);
	assert_int_equal(fm.date_pos.line, 3);
	assert_int_equal(fm.date_pos.col, 7);
	assert_string_equal(fm.date.iso, "2024-02-01");
	assert_true(fm.draft);
	assert_int_equal(fm.weight, -3);
	assert_string_equal(fm.slug.s, "know-the-signs");
	assert_string_equal(fm.summary.s, "Short: text");
	assert_int_equal(fm.tags.n, 2);
	assert_string_equal(fm.tags.v[0].s, "work");
	assert_string_equal(fm.tags.v[1].s, "\xd8\xa7\xd8\xb1\xd8\xaf\xd9\x88");
	assert_int_equal(fm.tags.v[1].pos.line, 8);
	assert_int_equal(fm.tags.v[1].pos.col, 14);
	assert_int_equal(fm.audience.n, 1);
	assert_string_equal(fm.audience.v[0].s, "schools");
	assert_string_equal(fm.translation_key.s, "signs");
	assert_int_equal(fm.aliases.n, 2);
	assert_string_equal(fm.aliases.v[1].s, "/signs.html");
	assert_int_equal(fm.aliases.v[1].pos.line, 13);
	assert_int_equal(fm.aliases.v[1].pos.col, 5);
	assert_string_equal(fm.layout.s, "handout");
	assert_string_equal(fm.handout.s, "a5");
	assert_string_equal(fm.translated_from.s, "en");
	assert_non_null(fm.map);
	assert_string_equal(yaml_get(fm.map, "helpline")->str, "1234");
	assert_int_equal(fm.body_line0, 18);
	assert_string_equal(s + fm.body_off, "Body\n");
	assert_int_equal(diag_count(DIAG_ERROR), 0);

	assert_true(fm_is_known_key("title"));
	assert_true(fm_is_known_key("translationKey"));
	assert_true(fm_is_known_key("TranslationKey"));
	assert_false(fm_is_known_key("helpline"));
	assert_false(fm_is_known_key("description"));
}

static void
test_delimiters(void **state)
{
	struct fm	 fm;
	const char	*s;

	/* BOM, CRLF, and "..." as the closing line. */
	s = "\xef\xbb\xbf---\r\ntitle: x\r\n...\r\nBody\r\n";
	assert_int_equal(parse(&fm, s), 0);
	assert_string_equal(fm.title.s, "x");
	assert_int_equal(fm.body_line0, 3);
	assert_string_equal(s + fm.body_off, "Body\r\n");
	/* Empty front matter, and a body that is empty. */
	s = "---\n---\n";
	assert_int_equal(parse(&fm, s), 0);
	assert_non_null(fm.map);
	assert_int_equal(fm.map->n, 0);
	assert_int_equal(fm.body_off, strlen(s));
	assert_int_equal(fm.body_line0, 2);
	s = "---\ntitle: x\n---";
	assert_int_equal(parse(&fm, s), 0);
	assert_int_equal(fm.body_off, strlen(s));
	assert_int_equal(fm.body_line0, 3);
	/* "----" is not a delimiter; the YAML text is lines 2-3. */
	s = "---\ntitle: x\nx: ----\n---\n";
	assert_int_equal(parse(&fm, s), 0);
	assert_int_equal(fm.body_line0, 4);
	assert_int_equal(diag_count(DIAG_ERROR), 0);
}

static void
test_unsupported(void **state)
{
	struct fm	fm;

	assert_int_equal(parse(&fm, "+++\ntitle = 'x'\n+++\n"), -1);
	assert_diags("p.md:1:1: error: TOML front matter is not supported; "
	    "write YAML between '---' lines\n");
	assert_int_equal(parse(&fm, "{\"title\": \"x\"}\n"), -1);
	assert_diags("p.md:1:1: error: JSON front matter is not supported; "
	    "write YAML between '---' lines\n");
	assert_int_equal(parse(&fm, "---\ntitle: x\n\nBody\n"), -1);
	assert_diags("p.md:1:1: error: front matter has no closing '---'\n");
	assert_int_equal(parse(&fm, "---"), -1);
	assert_diags("p.md:1:1: error: front matter has no closing '---'\n");
	assert_int_equal(parse(&fm, "---\n- a\n- b\n---\n"), -1);
	assert_diags("p.md:2:1: error: front matter must be a YAML mapping "
	    "('key: value' lines)\n");
	/* YAML errors come with file positions (line 1 is the "---"). */
	assert_int_equal(parse(&fm, "---\ntitle: a\ntitle: b\n---\n"), -1);
	assert_diags("p.md:3:1: error: duplicate key 'title'\n");
	assert_int_equal(parse(&fm, "---\nTitle: a\ntitle: b\n---\n"), -1);
	assert_diags("p.md:3:1: error: duplicate key 'title' (also given as "
	    "'Title')\n");
}

static void
test_dates_in_front_matter(void **state)
{
	struct fm	fm;

	assert_int_equal(parse(&fm, "---\ndate: 2024-02-30\n---\n"), -1);
	assert_diags("p.md:2:7: error: invalid date '2024-02-30'\n");
	assert_int_equal(parse(&fm, "---\ndate: 2023-02-29\n---\n"), -1);
	assert_diags("p.md:2:7: error: invalid date '2023-02-29'\n");
	assert_int_equal(parse(&fm, "---\ndate: 2024-02-29\n---\n"), 0);
	assert_true(fm.has_date);
	assert_int_equal(fm.date.epoch, 1709164800);
	assert_int_equal(parse(&fm,
	    "---\ndate: \"2024-02-01 10:00:00 +05:00\"\n---\n"), 0);
	assert_string_equal(fm.date.iso, "2024-02-01T10:00:00+05:00");
	assert_int_equal(fm.date.epoch, 1706763600);
	assert_int_equal(parse(&fm, "---\ndate: [2024]\n---\n"), -1);
	assert_diags("p.md:2:7: error: 'date' must be a date such as "
	    "2024-02-01\n");
	/* A null date is no date. */
	assert_int_equal(parse(&fm, "---\ndate:\n---\n"), 0);
	assert_false(fm.has_date);
}

static void
test_type_errors(void **state)
{
	struct fm	 fm;
	const char	*s =
	    "---\n"
	    "title: [a]\n"
	    "draft: maybe\n"
	    "weight: 1.5\n"
	    "slug: a/b\n"
	    "summary: {x: 1}\n"
	    "tags: [\xd8\xa7\xd8\xb1\xd8\xaf\xd9\x88, {a: b}]\n"
	    "audience: {a: b}\n"
	    "aliases: [old, /a/../b, /ok/]\n"
	    "layout: ../x\n"
	    "handout: a3\n"
	    "translatedFrom: [en]\n"
	    "date: 2024-13-01\n"
	    "other: [anything, {goes: here}]\n"
	    "---\n";

	assert_int_equal(parse(&fm, s), -1);
	assert_diags(
	    "p.md:2:8: error: 'title' must be a string\n"
	    "p.md:3:8: error: 'draft' must be true or false\n"
	    "p.md:4:9: error: 'weight' must be an integer\n"
	    "p.md:5:7: error: invalid slug 'a/b': a slug is one URL segment, "
	    "without '/' or spaces\n"
	    "p.md:6:10: error: 'summary' must be a string\n"
	    /* After Urdu text: byte 18, character 14. */
	    "p.md:7:18: error: each item of 'tags' must be a string\n"
	    "p.md:8:11: error: 'audience' must be a string or a list of "
	    "strings\n"
	    "p.md:9:11: error: alias 'old' must start with '/'\n"
	    "p.md:9:16: error: invalid alias '/a/../b': '.', '..', '//', '\\' "
	    "and spaces are not allowed\n"
	    "p.md:10:9: error: invalid layout '../x': a layout is a template "
	    "name, without '/'\n"
	    "p.md:11:10: error: unknown handout size 'a3' (a4, a5, letter)\n"
	    "p.md:12:17: error: 'translatedFrom' must be a string\n"
	    "p.md:13:7: error: invalid date '2024-13-01'\n");
	assert_int_equal(diag_count(DIAG_ERROR), 13);
}

static void
test_values(void **state)
{
	struct fm	fm;

	/* One tag as a string; null items dropped; numbers as text. */
	assert_int_equal(parse(&fm, "---\ntitle: 1984\ntags: news\n"
	    "audience: [schools, ~, journalists]\nweight: 0\n---\n"), 0);
	assert_string_equal(fm.title.s, "1984");
	assert_int_equal(fm.tags.n, 1);
	assert_string_equal(fm.tags.v[0].s, "news");
	assert_int_equal(fm.tags.v[0].pos.line, 3);
	assert_int_equal(fm.tags.v[0].pos.col, 7);
	assert_int_equal(fm.audience.n, 2);
	assert_string_equal(fm.audience.v[1].s, "journalists");
	assert_false(fm.draft);
	assert_null(fm.handout.s);

	assert_int_equal(parse(&fm, "---\nslug: '..'\n---\n"), -1);
	assert_diags("p.md:2:7: error: invalid slug '..': a slug is one URL "
	    "segment, without '/' or spaces\n");
	assert_int_equal(parse(&fm, "---\nslug: 'a b'\n---\n"), -1);
	assert_diags("p.md:2:7: error: invalid slug 'a b': a slug is one URL "
	    "segment, without '/' or spaces\n");
	assert_int_equal(parse(&fm, "---\nslug: \"a\\nb\"\n---\n"), -1);
	assert_diags("p.md:2:7: error: invalid slug 'a?b': a slug is one URL "
	    "segment, without '/' or spaces\n");
	assert_int_equal(parse(&fm, "---\nslug: ''\n---\n"), -1);
	assert_int_equal(parse(&fm, "---\naliases: //evil\n---\n"), -1);
	assert_int_equal(parse(&fm, "---\naliases: /a/./b\n---\n"), -1);
	assert_int_equal(parse(&fm, "---\naliases: /a\\b\n---\n"), -1);
	assert_int_equal(diag_count(DIAG_ERROR), 7);
	assert_diags(
	    "p.md:2:7: error: invalid slug '': a slug is one URL segment, "
	    "without '/' or spaces\n"
	    "p.md:2:10: error: invalid alias '//evil': '.', '..', '//', '\\' "
	    "and spaces are not allowed\n"
	    "p.md:2:10: error: invalid alias '/a/./b': '.', '..', '//', '\\' "
	    "and spaces are not allowed\n"
	    "p.md:2:10: error: invalid alias '/a\\b': '.', '..', '//', '\\' "
	    "and spaces are not allowed\n");
	assert_int_equal(parse(&fm, "---\naliases: /a/b.html\nslug: "
	    "\xd8\xa7\xd8\xb1\xd8\xaf\xd9\x88\n---\n"), 0);
}

static void
test_date_parse(void **state)
{
	struct fm_date	d;

	assert_int_equal(fm_date_parse("1970-01-01", &d), 0);
	assert_int_equal(d.epoch, 0);
	assert_false(d.has_time);
	assert_int_equal(fm_date_parse("1969-12-31", &d), 0);
	assert_int_equal(d.epoch, -86400);
	assert_int_equal(fm_date_parse("2024-02-01", &d), 0);
	assert_int_equal(d.epoch, 1706745600);
	assert_int_equal(d.year, 2024);
	assert_int_equal(d.month, 2);
	assert_int_equal(d.day, 1);
	assert_int_equal(fm_date_parse("2024-02-01T10:00:00Z", &d), 0);
	assert_true(d.has_time);
	assert_int_equal(d.hour, 10);
	assert_int_equal(d.tz_min, 0);
	assert_int_equal(d.epoch, 1706781600);
	assert_string_equal(d.iso, "2024-02-01T10:00:00Z");
	assert_int_equal(fm_date_parse("2024-02-01T10:00:00+05:00", &d), 0);
	assert_int_equal(d.tz_min, 300);
	assert_int_equal(d.epoch, 1706763600);
	assert_int_equal(fm_date_parse("2024-02-01 10:00:00 +05:00", &d), 0);
	assert_int_equal(d.epoch, 1706763600);
	assert_string_equal(d.iso, "2024-02-01T10:00:00+05:00");
	assert_int_equal(fm_date_parse("2024-02-01t10:00:00.123-03:30", &d),
	    0);
	assert_int_equal(d.tz_min, -210);
	assert_int_equal(d.epoch, 1706794200);
	assert_string_equal(d.iso, "2024-02-01T10:00:00-03:30");
	/* No zone is UTC, as YAML says. */
	assert_int_equal(fm_date_parse("2024-02-01T10:00:00", &d), 0);
	assert_int_equal(d.epoch, 1706781600);
	assert_int_equal(fm_date_parse("2024-02-01 1:02:03 +0545", &d), 0);
	assert_int_equal(d.tz_min, 345);
	assert_int_equal(d.epoch, 1706745600 + 3723 - 345 * 60);
	assert_int_equal(fm_date_parse("2000-02-29", &d), 0);
	assert_int_equal(d.epoch, 951782400);
	assert_int_equal(fm_date_parse("2038-01-19T03:14:08Z", &d), 0);
	assert_int_equal(d.epoch, 2147483648LL);

	assert_int_equal(fm_date_parse("2024-02-30", &d), -1);
	assert_int_equal(fm_date_parse("2023-02-29", &d), -1);
	assert_int_equal(fm_date_parse("1900-02-29", &d), -1);
	assert_int_equal(fm_date_parse("2024-04-31", &d), -1);
	assert_int_equal(fm_date_parse("2024-13-01", &d), -1);
	assert_int_equal(fm_date_parse("2024-00-10", &d), -1);
	assert_int_equal(fm_date_parse("2024-01-00", &d), -1);
	assert_int_equal(fm_date_parse("24-01-01", &d), -1);
	assert_int_equal(fm_date_parse("2024-01-01T24:00:00", &d), -1);
	assert_int_equal(fm_date_parse("2024-01-01T10:60:00", &d), -1);
	assert_int_equal(fm_date_parse("2024-01-01T10:00:60", &d), -1);
	assert_int_equal(fm_date_parse("2024-01-01T10:00:00+25:00", &d), -1);
	assert_int_equal(fm_date_parse("2024-01-01T10:00:00 UTC", &d), -1);
	assert_int_equal(fm_date_parse("2024-01-01 ", &d), -1);
	assert_int_equal(fm_date_parse("2024-01-01x", &d), -1);
	assert_int_equal(fm_date_parse("", &d), -1);
	assert_int_equal(fm_date_parse("yesterday", &d), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_front_matter, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_all_keys, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_delimiters, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unsupported, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dates_in_front_matter,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_type_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_values, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_date_parse, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
