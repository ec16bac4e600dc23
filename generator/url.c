/*
 * url.c: links between site paths.  A relative link climbs from the page's
 * folder to the longest common folder, then descends; folders are named
 * with index.html so the site works without a web server.
 */
#include <string.h>

#include "url.h"
#include "util.h"

bool
url_is_site_path(const char *s)
{
	return s[0] == '/' && s[1] != '/';
}

char *
url_file(const char *path)
{
	while (*path == '/')
		path++;
	if (*path == '\0' || has_suffix(path, "/"))
		return xasprintf("%sindex.html", path);
	return xstrdup(path);
}

char *
url_link(const char *from, const char *to, const char *base_url)
{
	struct buf	 b;
	const char	*frag, *p, *fdir_end;
	size_t		 tlen, common, i;

	if (base_url != NULL && *base_url != '\0')
		return xasprintf("%s%s", base_url, to);
	if (from == NULL)
		return xstrdup(to);

	/* The path part of to, and what follows it (#frag or ?query). */
	frag = to + strcspn(to, "#?");
	tlen = (size_t)(frag - to);

	/* The folder of from: up to and including its last '/'. */
	fdir_end = strrchr(from, '/');
	fdir_end = fdir_end == NULL ? from : fdir_end + 1;

	/* Longest common prefix ending in '/'. */
	common = 0;
	for (i = 0; from + i < fdir_end && i < tlen && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;

	buf_init(&b);
	for (p = from + common; p < fdir_end; p++)
		if (*p == '/')
			buf_adds(&b, "../");
	/*
	 * A relative link whose first segment holds ':' would be read as a
	 * scheme ("javascript:..."): RFC 3986 4.2 says to start it "./".
	 */
	if (b.len == 0 && memchr(to + common, ':', strcspn(to + common, "/") <
	    tlen - common ? strcspn(to + common, "/") : tlen - common) != NULL)
		buf_adds(&b, "./");
	buf_add(&b, to + common, tlen - common);
	if (b.len == 0 || b.data[b.len - 1] == '/')
		buf_adds(&b, "index.html");
	buf_adds(&b, frag);
	return buf_detach(&b, NULL);
}
