/* modules: yaml util diag */
/*
 * test_yaml.c: the YAML tree, its positions (lines offset by line0, byte
 * columns after multibyte text), libfyaml's errors re-issued as ours, and
 * the scalar readers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "testutil.h"
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

static struct yaml_node *
parse(const char *s, int line0)
{
	return yaml_parse("f.yaml", s, strlen(s), line0, arena);
}

static void
test_positions(void **state)
{
	struct yaml_node	*r;
	const struct yaml_node	*t, *v;

	r = parse("title: x\nt: {\xd8\xa7 \xd8\xa8: 1, k: v}\nl:\n  - a\n", 0);
	assert_non_null(r);
	assert_int_equal(r->kind, YAML_MAP);
	assert_int_equal(r->n, 3);
	assert_int_equal(r->pairs[0].key->line, 1);
	assert_int_equal(r->pairs[0].key->col, 1);
	v = r->pairs[0].value;
	assert_int_equal(v->line, 1);
	assert_int_equal(v->col, 8);
	t = yaml_get(r, "t");
	assert_non_null(t);
	assert_int_equal(t->kind, YAML_MAP);
	assert_int_equal(t->line, 2);
	assert_int_equal(t->col, 4);
	/* "t: {" is 4 bytes, the Urdu key 5, ": 1, " 5: 'k' is byte 15
	   (character 12). */
	assert_int_equal(t->pairs[1].key->line, 2);
	assert_int_equal(t->pairs[1].key->col, 15);
	assert_string_equal(t->pairs[1].key->str, "k");
	assert_int_equal(t->pairs[1].value->col, 18);
	assert_string_equal(t->pairs[0].key->str, "\xd8\xa7 \xd8\xa8");
	v = yaml_get(r, "l");
	assert_int_equal(v->kind, YAML_SEQ);
	assert_int_equal(v->n, 1);
	assert_int_equal(v->items[0]->line, 4);
	assert_int_equal(v->items[0]->col, 5);
	assert_int_equal(diag_count(DIAG_ERROR), 0);
}

static void
test_line0(void **state)
{
	struct yaml_node	*r;

	r = parse("a: 1\r\nb: 2\r\n", 5);
	assert_non_null(r);
	assert_int_equal(r->pairs[1].key->line, 7);
	assert_int_equal(r->pairs[1].key->col, 1);
	assert_int_equal(r->pairs[1].value->col, 4);
	/* Quoted scalars start at their quote, anchored ones after it. */
	r = parse("a: 'x'\nb: \"\xd8\xa7\"\nc: &n \"y\"\nd: !!str 'z'\n", 0);
	assert_non_null(r);
	assert_int_equal(r->pairs[0].value->col, 4);
	assert_int_equal(r->pairs[1].value->col, 4);
	assert_int_equal(r->pairs[2].value->col, 7);
	assert_int_equal(r->pairs[3].value->col, 10);
}

static void
test_scalars(void **state)
{
	struct yaml_node	*r;
	const struct yaml_node	*v;

	r = parse("a: plain\nb: 'single'\nc: \"d\\0e\\u0627\"\nd: |\n"
	    "  lit\n  eral\ne: !!str 12\n", 0);
	assert_non_null(r);
	v = yaml_get(r, "a");
	assert_true(v->plain);
	assert_string_equal(v->str, "plain");
	v = yaml_get(r, "b");
	assert_false(v->plain);
	assert_string_equal(v->str, "single");
	v = yaml_get(r, "c");
	assert_false(v->plain);
	assert_int_equal(v->len, 5);
	assert_memory_equal(v->str, "d\0e\xd8\xa7", 6);
	v = yaml_get(r, "d");
	assert_string_equal(v->str, "lit\neral\n");
	v = yaml_get(r, "e");
	assert_false(v->plain);
	assert_string_equal(v->str, "12");
	assert_null(yaml_get(r, "z"));
	assert_null(yaml_get(v, "a"));
	assert_null(yaml_get(NULL, "a"));
}

static void
test_empty(void **state)
{
	struct yaml_node	*r;

	r = parse("", 0);
	assert_non_null(r);
	assert_int_equal(r->kind, YAML_MAP);
	assert_int_equal(r->n, 0);
	r = parse("# only a comment\n", 3);
	assert_non_null(r);
	assert_int_equal(r->kind, YAML_MAP);
	assert_int_equal(r->n, 0);
	assert_int_equal(r->line, 4);
	r = parse("---\n", 0);
	assert_non_null(r);
	assert_int_equal(r->kind, YAML_MAP);
	/* An explicit null is not empty. */
	r = parse("~\n", 0);
	assert_non_null(r);
	assert_int_equal(r->kind, YAML_SCALAR);
	assert_int_equal(diag_count(DIAG_ERROR), 0);
}

static void
test_duplicate_key(void **state)
{
	assert_null(parse("title: a\nb: 1\ntitle: c\n", 1));
	assert_diags("f.yaml:4:1: error: duplicate key 'title'\n");
	/* In a flow mapping after Urdu text, and a third time. */
	assert_null(parse("m: {\xd8\xa7: 1, \xd8\xa7: 2, \xd8\xa7: 3}\n", 0));
	assert_diags("f.yaml:1:12: error: duplicate key '\xd8\xa7'\n"
	    "f.yaml:1:19: error: duplicate key '\xd8\xa7'\n");
	/* Every map is checked, nested ones too. */
	assert_null(parse("a:\n  x: 1\n  x: 2\nb: {y: 1, y: 2}\n", 0));
	assert_diags("f.yaml:3:3: error: duplicate key 'x'\n"
	    "f.yaml:4:11: error: duplicate key 'y'\n");
}

static void
test_malformed(void **state)
{
	assert_null(parse("a: b: c\n", 0));
	assert_diags("f.yaml:1:5: error: invalid nested block mapping on "
	    "the same line\n");
	assert_null(parse("a:\n\t- b\n", 2));
	assert_diags("f.yaml:4:1: error: tab character may not be used as "
	    "indentation\n");
	/* libfyaml points after the quote, at the 8th character: byte 12. */
	assert_null(parse("\xd8\xa7\xd8\xb1\xd8\xaf\xd9\x88: \"abc\n", 0));
	assert_diags("f.yaml:1:12: error: double-quoted scalar without "
	    "closing quote\n");
	/* At the bracket never closed, not where libfyaml gave up. */
	assert_null(parse("a: [1, 2\n", 0));
	assert_diags("f.yaml:1:4: error: '[' is never closed: close it with "
	    "']', or put text that starts with '[' in quotes\n");
	assert_null(parse("t: \"[x\" # [y\nb: [1, [2], {c: d}\ne: f\n", 0));
	assert_diags("f.yaml:2:4: error: '[' is never closed: close it with "
	    "']', or put text that starts with '[' in quotes\n");
	assert_null(parse("a: b [c\nm: {x: [1]\n", 0));
	assert_diags("f.yaml:2:4: error: '{' is never closed: close it with "
	    "'}', or put text that starts with '{' in quotes\n");
	assert_null(parse("a: 1\nb: \xff\n", 0));
	assert_diags("f.yaml:2:4: error: invalid UTF-8\n");
}

static void
test_multi_document(void **state)
{
	assert_null(parse("a: 1\n---\nb: 2\n", 0));
	assert_diags("f.yaml:2:1: error: only one YAML document is allowed "
	    "here\n");
	assert_null(parse("a: 1\n...\nb: 2\n", 0));
	assert_diags("f.yaml:3:1: error: only one YAML document is allowed "
	    "here\n");
	assert_non_null(parse("---\na: 1\n...\n", 0));
	assert_int_equal(diag_count(DIAG_ERROR), 2);
}

static void
test_aliases(void **state)
{
	struct yaml_node	*r;
	const struct yaml_node	*a, *b;
	struct buf		 s;
	int			 i, j;

	r = parse("a: &x [1, 2]\nb: *x\nc: &s one\nd: *s\n", 0);
	assert_non_null(r);
	a = yaml_get(r, "a");
	b = yaml_get(r, "b");
	assert_ptr_equal(a, b);
	assert_int_equal(b->line, 1);
	assert_string_equal(yaml_get(r, "d")->str, "one");

	assert_null(parse("a: *nope\n", 0));
	assert_diags("f.yaml:1:4: error: unknown alias '*nope'\n");
	/* An anchor cannot be used inside itself. */
	assert_null(parse("a: &r [*r]\n", 0));
	assert_diags("f.yaml:1:8: error: unknown alias '*r'\n");
	assert_null(parse("base: &b {x: 1}\nc:\n  <<: *b\n", 0));
	assert_diags("f.yaml:3:3: error: merge keys ('<<') are not "
	    "supported; write the keys out\n");

	/*
	 * Billion laughs: 10 levels of 10 aliases.  Level n weighs
	 * 1 + 10 * (level n - 1): the 8th alias of l4 (11111 nodes each)
	 * takes the count past 100000.
	 */
	buf_init(&s);
	buf_adds(&s, "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (i = 1; i < 10; i++) {
		buf_printf(&s, "l%d: &l%d [", i, i);
		for (j = 0; j < 10; j++)
			buf_printf(&s, "%s*l%d", j ? ", " : "", i - 1);
		buf_adds(&s, "]\n");
	}
	assert_null(parse(s.data, 0));
	assert_diags("f.yaml:5:45: error: aliases expand to more than "
	    "100000 nodes\n");
	buf_release(&s);
}

static void
test_keys_and_tags(void **state)
{
	struct buf	s;
	int		i;

	assert_null(parse("? [1, 2]\n: x\n", 0));
	assert_diags("f.yaml:1:3: error: a mapping key must be a scalar, "
	    "not a sequence\n");
	assert_null(parse("a: !foo x\nb: !!binary aGk=\n", 0));
	assert_diags("f.yaml:1:4: error: unsupported tag '!foo'\n"
	    "f.yaml:2:4: error: unsupported tag "
	    "'tag:yaml.org,2002:binary'\n");
	buf_init(&s);
	for (i = 0; i < 200; i++)
		buf_addc(&s, '[');
	for (i = 0; i < 200; i++)
		buf_addc(&s, ']');
	assert_null(parse(s.data, 0));
	assert_diags("f.yaml:1:129: error: nesting deeper than 128 levels\n");
	buf_release(&s);
}

static void
test_readers(void **state)
{
	struct yaml_node	*r;
	bool			 b;
	long			 n;
	char			 buf[64];

	r = parse("n1: \nn2: ~\nn3: null\nn4: NULL\nq: 'null'\n"
	    "t1: yes\nt2: True\nt3: ON\nf1: no\nf2: off\nqb: 'true'\n"
	    "x: maybe\ni1: 42\ni2: -7\ni3: +3\ni4: '3'\ni5: 3.5\n"
	    "i6: 99999999999999999999\n"
	    "i7: -9223372036854775808\ni8: 9223372036854775808\ni9: +\n"
	    "l: [a]\n", 0);
	if (r == NULL)
		fail_msg("%s", flushed());
	assert_true(yaml_is_null(yaml_get(r, "n1")));
	assert_true(yaml_is_null(yaml_get(r, "n2")));
	assert_true(yaml_is_null(yaml_get(r, "n3")));
	assert_true(yaml_is_null(yaml_get(r, "n4")));
	assert_false(yaml_is_null(yaml_get(r, "q")));
	assert_false(yaml_is_null(yaml_get(r, "l")));
	assert_false(yaml_is_null(NULL));

	assert_int_equal(yaml_bool(yaml_get(r, "t1"), &b), 0);
	assert_true(b);
	assert_int_equal(yaml_bool(yaml_get(r, "t2"), &b), 0);
	assert_true(b);
	assert_int_equal(yaml_bool(yaml_get(r, "t3"), &b), 0);
	assert_true(b);
	assert_int_equal(yaml_bool(yaml_get(r, "f1"), &b), 0);
	assert_false(b);
	assert_int_equal(yaml_bool(yaml_get(r, "f2"), &b), 0);
	assert_false(b);
	assert_int_equal(yaml_bool(yaml_get(r, "qb"), &b), -1);
	assert_int_equal(yaml_bool(yaml_get(r, "x"), &b), -1);
	assert_int_equal(yaml_bool(yaml_get(r, "l"), &b), -1);

	assert_int_equal(yaml_int(yaml_get(r, "i1"), &n), 0);
	assert_int_equal(n, 42);
	assert_int_equal(yaml_int(yaml_get(r, "i2"), &n), 0);
	assert_int_equal(n, -7);
	assert_int_equal(yaml_int(yaml_get(r, "i3"), &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(yaml_int(yaml_get(r, "i4"), &n), -1);
	assert_int_equal(yaml_int(yaml_get(r, "i5"), &n), -1);
	assert_int_equal(yaml_int(yaml_get(r, "i6"), &n), -1);
	assert_int_equal(yaml_int(yaml_get(r, "i7"), &n), 0);
	assert_true(n == LONG_MIN);
	assert_int_equal(yaml_int(yaml_get(r, "i8"), &n), -1);
	assert_int_equal(yaml_int(yaml_get(r, "i9"), &n), -1);
	assert_int_equal(yaml_int(yaml_get(r, "n1"), &n), -1);

	assert_string_equal(yaml_excerpt("a\nb", 3, buf, sizeof(buf)),
	    "a?b");
	assert_string_equal(yaml_excerpt("abcdefghijk", 11, buf, 12),
	    "abcdefghijk");
	assert_string_equal(yaml_excerpt("abcdefghijkl", 12, buf, 12),
	    "abcdefgh...");
	/* Never cut inside a character. */
	assert_string_equal(yaml_excerpt("\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7",
	    8, buf, 9), "\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7");
	assert_string_equal(yaml_excerpt("\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7",
	    8, buf, 8), "\xd8\xa7\xd8\xa7...");
	assert_int_equal(diag_count(DIAG_ERROR), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_positions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_line0, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scalars, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multi_document, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_aliases, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_keys_and_tags, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_readers, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
