/* modules: url util */
/*
 * test_url.c: links between site paths, relative (file://) and absolute.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include "url.h"

static void
check(const char *from, const char *to, const char *base, const char *want)
{
	char	*got = url_link(from, to, base);

	assert_string_equal(got, want);
	free(got);
}

static void
test_relative(void **state)
{
	(void)state;
	check("/en/handouts/x/", "/en/handouts/y/", "", "../y/index.html");
	check("/en/handouts/x/", "/en/", "", "../../index.html");
	check("/en/", "/en/handouts/", "", "handouts/index.html");
	check("/en/", "/en/", "", "index.html");
	check("/en/handouts/x/", "/assets/site.css", "",
	    "../../../assets/site.css");
	check("/", "/ur/", "", "ur/index.html");
	check("/404.html", "/en/", "", "en/index.html");
	check("/en/404.html", "/assets/a.css", "", "../assets/a.css");
	check("/en/x/", "/en/y/#part", "", "../y/index.html#part");
	check("/en/x/", "/en/x/#part", "", "index.html#part");
	check("/en/handouts/page/2/", "/en/handouts/", "",
	    "../../index.html");
	/* Common prefixes that are not whole segments do not count. */
	check("/en/hand/", "/en/handouts/", "", "../handouts/index.html");
	/* A first segment with ':' would read as a scheme: "./" first. */
	check("/en/x/", "/en/x/javascript:alert(1)", "",
	    "./javascript:alert(1)");
	check("/en/x/", "/en/x/data:text/html,x", "",
	    "./data:text/html,x");
	check("/", "/e:r/x/", "", "./e:r/x/index.html");
	check("/en/x/", "/en/y:z/", "", "../y:z/index.html");
}

static void
test_absolute(void **state)
{
	(void)state;
	check("/en/x/", "/en/y/", "https://example.org/c",
	    "https://example.org/c/en/y/");
	check("/en/x/", "/assets/a.css", "https://example.org",
	    "https://example.org/assets/a.css");
}

static void
test_site_path_and_file(void **state)
{
	char	*f;

	(void)state;
	assert_true(url_is_site_path("/en/"));
	assert_false(url_is_site_path("//cdn.example.org/x"));
	assert_false(url_is_site_path("en/"));
	assert_false(url_is_site_path("https://x"));
	f = url_file("/en/x/");
	assert_string_equal(f, "en/x/index.html");
	free(f);
	f = url_file("/");
	assert_string_equal(f, "index.html");
	free(f);
	f = url_file("/404.html");
	assert_string_equal(f, "404.html");
	free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_site_path_and_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
