/*
 * fuzz_url.c: url_link on two paths, the input's bytes up to its first
 * NUL (the page, "from") and after it (the target, "to"); without a NUL
 * the target is the page's home "/en/".  Each pair is linked relative and
 * under a base URL, and url_file and url_is_site_path run on both.
 *
 * Oracles, where the page is a site path: a relative link to a site path
 * is never read by a browser as absolute (a scheme, "//host" or "/") and,
 * when both paths are clean (no ".", ".." or empty segments, no '\' or
 * control characters), resolving it from the page's folder as RFC 3986
 * does gives the target back, with "index.html" after a final '/'.  A
 * link under a base URL is the base followed by the target.  Oracles
 * (fuzz.h): "scheme" (read as absolute) and "resolve" (leads elsewhere).
 */
/* modules: url util */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "url.h"
#include "util.h"

#define BASE	"https://example.org/campaign"

/* A site path with named segments only, nothing a browser rewrites. */
static bool
clean(const char *s)
{
	const char	*seg, *end;
	size_t		 n;

	if (!url_is_site_path(s))
		return false;
	for (end = s; *end != '\0'; end++)
		if ((unsigned char)*end <= ' ' || *end == '\\' ||
		    *end == 0x7f || *end == '%')
			return false;
	n = strcspn(s, "#?");
	for (seg = s + 1; seg < s + n; seg = end + 1) {
		end = memchr(seg, '/', (size_t)(s + n - seg));
		if (end == NULL)
			end = s + n;
		if (end == seg && end != s + n)
			return false;
		if ((end - seg == 1 && seg[0] == '.') ||
		    (end - seg == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (end == s + n)
			break;
	}
	return true;
}

/* Whether a browser reads link as absolute: scheme, "//" or "/". */
static bool
absolute(const char *link)
{
	const char	*p;

	if (link[0] == '/')
		return true;
	p = link + strcspn(link, ":/?#");
	if (*p != ':' || p == link)
		return false;
	/* RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	if (!((link[0] >= 'a' && link[0] <= 'z') ||
	    (link[0] >= 'A' && link[0] <= 'Z')))
		return false;
	for (p = link + 1; *p != ':'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' ||
		    *p == '.'))
			return false;
	return true;
}

/*
 * RFC 3986 section 5.2 for a relative-path reference, enough for what
 * url_link writes: the page's folder plus the link, dot segments removed.
 * Returns a malloc'd path.
 */
static char *
resolve(const char *from, const char *link)
{
	struct buf	 b;
	const char	*slash, *seg, *end, *lim;
	char		*out;

	buf_init(&b);
	slash = strrchr(from, '/');
	buf_add(&b, from, (size_t)(slash - from) + 1);
	lim = link + strcspn(link, "?#");
	for (seg = link; seg <= lim; seg = end + 1) {
		end = memchr(seg, '/', (size_t)(lim - seg));
		if (end == NULL)
			end = lim;
		if (end - seg == 2 && seg[0] == '.' && seg[1] == '.') {
			/* Up one folder; the root stays the root. */
			if (b.len > 1) {
				b.len--;
				while (b.len > 0 && b.data[b.len - 1] != '/')
					b.len--;
			}
		} else if (!(end - seg == 1 && seg[0] == '.'))
			buf_add(&b, seg, (size_t)(end - seg) +
			    (end < lim ? 1 : 0));
		if (end == lim)
			break;
	}
	buf_adds(&b, lim);
	out = buf_detach(&b, NULL);
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*in, *from, *to, *rel, *abs, *file, *back, *want;
	const char	*nul;
	char		 detail[512];
	size_t		 tlen;

	in = fuzz_strndup(data, size);
	from = in;
	nul = memchr(in, '\0', size);
	to = nul != NULL ? (char *)nul + 1 : "/en/";

	rel = url_link(from, to, "");
	abs = url_link(from, to, BASE);
	(void)url_is_site_path(from);
	(void)url_is_site_path(to);
	file = url_file(to);
	free(file);
	file = url_file(from);
	free(file);

	if (fuzz_oracles()) {
		snprintf(detail, sizeof(detail), "from '%s' to '%s' gives "
		    "'%s'", from, to, rel);
		if (strlen(abs) != strlen(BASE) + strlen(to) ||
		    strncmp(abs, BASE, strlen(BASE)) != 0 ||
		    strcmp(abs + strlen(BASE), to) != 0)
			fuzz_fail("link under a base URL", detail);
		if (fuzz_oracle("scheme") && url_is_site_path(from) &&
		    url_is_site_path(to) && absolute(rel))
			fuzz_fail("relative link read as absolute", detail);
		if (fuzz_oracle("resolve") && clean(from) && clean(to) &&
		    !absolute(rel)) {
			back = resolve(from, rel);
			tlen = strcspn(to, "#?");
			want = xasprintf("%.*s%s%s", (int)tlen, to,
			    to[tlen - 1] == '/' ? "index.html" : "",
			    to + tlen);
			if (strcmp(back, want) != 0) {
				snprintf(detail, sizeof(detail), "from '%s' "
				    "to '%s' gives '%s', which resolves to "
				    "'%s'", from, to, rel, back);
				fuzz_fail("relative link leads elsewhere",
				    detail);
			}
			free(want);
			free(back);
		}
	}
	free(rel);
	free(abs);
	free(in);
	return 0;
}
