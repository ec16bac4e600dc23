/* modules: css util */
/*
 * test_css.c: css_minify keeps what CSS means and drops the rest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "css.h"
#include "util.h"

static void
minified(const char *in, const char *want)
{
	struct buf	b;

	buf_init(&b);
	css_minify(in, strlen(in), &b);
	buf_addc(&b, '\0');
	assert_string_equal(b.data, want);
	buf_release(&b);
}

static void
test_rules(void **state)
{
	(void)state;
	minified("/* theme */\n:root {\n\t--brand: #0b4f5c;\n}\n\n"
	    "a,\nb > c {\n  color : red ;\n  margin: 0 auto;\n}\n",
	    ":root{--brand:#0b4f5c}a,b>c{color :red;margin:0 auto}");
	minified("@media (min-width: 40rem) and (max-width: 60rem) {\n"
	    "  .x { padding: 1rem; }\n}\n",
	    "@media (min-width:40rem) and (max-width:60rem){.x{padding:1rem}}");
	/* A descendant's pseudo-class keeps its space; calc its spaces. */
	minified("nav :focus { width: calc(100% - 2 * 1rem); }",
	    "nav :focus{width:calc(100% - 2 * 1rem)}");
	minified("p{a:b;;}", "p{a:b;}");
	minified("", "");
	minified("  /* only */  ", "");
}

static void
test_kept(void **state)
{
	(void)state;
	/* Strings and unquoted URLs as they are, comments inside too. */
	minified("a::before { content: \"  /* x */ ;  \\\" }\"; }",
	    "a::before{content:\"  /* x */ ;  \\\" }\"}");
	minified("b { background: url(img/a b.png) ; }",
	    "b{background:url(img/a b.png)}");
	minified("b { background: url( \"a.png\" ) ; }",
	    "b{background:url( \"a.png\" )}");
	minified("x { my-url(a  b) }", "x{my-url(a b)}");
	minified("/*! licence */\na { b: c }", "/*! licence */a{b:c}");
	/* Unclosed: the rest as it is. */
	minified("a { content: \"open", "a{content:\"open");
	minified("a { } /* open", "a{}");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
