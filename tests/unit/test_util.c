/* modules: util diag */
/*
 * test_util.c: arenas, buffers, paths, UTF-8 checks, string maps, and
 * diagnostics sorted the same whatever order they were found in.
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
#include "util.h"

static void
test_path_normalize(void **state)
{
	char	*p;

	(void)state;
	p = path_normalize("handouts/../news/./x.md");
	assert_string_equal(p, "news/x.md");
	free(p);
	p = path_normalize("a/b/../../c");
	assert_string_equal(p, "c");
	free(p);
	assert_null(path_normalize("../x"));
	assert_null(path_normalize("a/../../x"));
	p = path_normalize("/x//y/");
	assert_string_equal(p, "/x/y/");
	free(p);
}

static void
test_utf8(void **state)
{
	size_t	bad = 0;
	int	line, col;

	(void)state;
	assert_true(utf8_valid("اردو", strlen("اردو"), NULL));
	assert_false(utf8_valid("ab\xff", 3, &bad));
	assert_int_equal(bad, 2);
	/* Overlong and surrogate encodings are invalid. */
	assert_false(utf8_valid("\xc0\xaf", 2, &bad));
	assert_false(utf8_valid("\xed\xa0\x80", 3, &bad));
	/* A sequence cut short at the end of the text. */
	assert_false(utf8_valid("a\xe2\x82", 3, &bad));
	assert_int_equal(bad, 1);
	text_position("ab\nاx\xff", 6, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 4);
	assert_int_equal(utf8_byte_col("اردو x", 2), 5);
}

static void
test_arena_and_buf(void **state)
{
	struct arena	*a = arena_new(), *b2;
	struct buf	 b;
	const char	*s;
	int		*v = NULL;
	size_t		 n = 0, i;
	char		*big;

	(void)state;
	for (i = 0; i < 1000; i++) {
		v = arena_grow(a, v, n, sizeof(*v));
		v[n++] = (int)i;
	}
	for (i = 0; i < 1000; i++)
		assert_int_equal(v[i], (int)i);
	big = arena_alloc(a, 1 << 20);
	memset(big, 'x', 1 << 20);
	assert_string_equal(arena_printf(a, "%s-%d", "a", 7), "a-7");

	/* What an adopted arena held lives as long as its new owner. */
	b2 = arena_new();
	s = arena_strdup(b2, "kept");
	big = arena_alloc(b2, 1 << 20);
	memset(big, 'y', 1 << 20);
	arena_adopt(a, b2);
	assert_string_equal(arena_printf(a, "%s", "after"), "after");
	assert_string_equal(s, "kept");
	assert_int_equal(big[(1 << 20) - 1], 'y');
	arena_adopt(a, arena_new());
	arena_free(a);

	buf_init(&b);
	buf_adds(&b, "abc");
	buf_printf(&b, "%d", 42);
	buf_addc(&b, '!');
	assert_string_equal(b.data, "abc42!");
	assert_int_equal(b.len, 6);
	buf_release(&b);
}

static void
test_strmap(void **state)
{
	struct strmap	 m;
	char		 keys[500][8];
	int		 i;

	(void)state;
	strmap_init(&m);
	for (i = 0; i < 500; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		strmap_put(&m, keys[i], (void *)(intptr_t)(i + 1));
	}
	for (i = 0; i < 500; i++)
		assert_int_equal((intptr_t)strmap_get(&m, keys[i]), i + 1);
	assert_null(strmap_get(&m, "nope"));
	strmap_put(&m, keys[3], (void *)(intptr_t)99);
	assert_int_equal((intptr_t)strmap_get(&m, "k3"), 99);
	assert_int_equal(m.n, 500);
	strmap_release(&m);
}

static void
test_diag_sorted_and_dumped(void **state)
{
	struct buf	 b;
	char		*s;

	(void)state;
	diag_reset();
	diag_warning("b.md", 3, 1, "later file");
	diag_error("a.md", 10, 2, "second");
	diag_error("a.md", 2, 7, "first");
	diag_error(NULL, 0, 0, "no path");
	diag_note("a.md", 0, 0, "whole file");
	diag_error("a.md", 2, 7, "first");	/* a duplicate prints once */
	assert_int_equal(diag_count(DIAG_ERROR), 3);	/* said once */

	/* Through a worker's pipe and back. */
	buf_init(&b);
	diag_dump(&b);
	diag_reset();
	assert_int_equal(diag_load(b.data, b.len), 0);
	buf_release(&b);
	s = flushed();
	assert_string_equal(s,
	    "awaaz: error: no path\n"
	    "a.md: note: whole file\n"
	    "a.md:2:7: error: first\n"
	    "a.md:10:2: error: second\n"
	    "b.md:3:1: warning: later file\n");
	free(s);
	assert_int_equal(diag_load("garbage", 7), -1);
	diag_reset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_normalize),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_arena_and_buf),
		cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_diag_sorted_and_dumped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
