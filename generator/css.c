/*
 * css.c: stylesheets without comments and needless whitespace.  One pass
 * over the bytes; a space is held back until the next byte shows whether
 * CSS needs it.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "css.h"
#include "util.h"

/* Bytes next to which whitespace never matters. */
static bool
tight(char c)
{
	return c != '\0' && strchr("{};,>", c) != NULL;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The last byte written, or NUL. */
static char
last(const struct buf *out, size_t start)
{
	return out->len > start ? out->data[out->len - 1] : '\0';
}

/* Copies a string or url(...) from s[i], quote q (')' for url), whole. */
static size_t
copy_until(const char *s, size_t len, size_t i, char q, struct buf *out)
{
	size_t	j = i + 1;

	while (j < len && s[j] != q) {
		if (s[j] == '\\' && j + 1 < len)
			j++;
		j++;
	}
	if (j < len)
		j++;
	buf_add(out, s + i, j - i);
	return j;
}

/* Whether s[i] starts url( with an unquoted address, kept whole. */
static bool
unquoted_url(const char *s, size_t len, size_t i)
{
	unsigned char	p = i > 0 ? (unsigned char)s[i - 1] : ' ';
	size_t		j;

	/* Not the end of a longer name ("my-url(", "nourl("). */
	if (i + 4 > len || strncasecmp(s + i, "url(", 4) != 0 ||
	    p == '-' || p == '_' || isalnum(p) || p >= 0x80)
		return false;
	for (j = i + 4; j < len && is_space(s[j]); j++)
		continue;
	return j < len && s[j] != '"' && s[j] != '\'';
}

void
css_minify(const char *s, size_t len, struct buf *out)
{
	size_t	i = 0, start = out->len, e;
	bool	space = false;
	char	c;

	while (i < len) {
		c = s[i];
		if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			e = i + 2;
			while (e + 1 < len && !(s[e] == '*' && s[e + 1] == '/'))
				e++;
			e = e + 1 < len ? e + 2 : len;
			if (i + 2 < len && s[i + 2] == '!') {
				if (space && last(out, start) != '\0')
					buf_addc(out, ' ');
				buf_add(out, s + i, e - i);
				space = false;
			} else
				space = space || last(out, start) != '\0';
			i = e;
			continue;
		}
		if (is_space(c)) {
			space = true;
			i++;
			continue;
		}
		if (c == '}' && last(out, start) == ';')
			out->len--;
		if (space) {
			c = last(out, start);
			if (c != '\0' && !tight(c) && c != ':' &&
			    !tight(s[i]) && !(c == '/' &&
			    out->len - start >= 2 &&
			    out->data[out->len - 2] == '*'))
				buf_addc(out, ' ');
			space = false;
		}
		if (s[i] == '"' || s[i] == '\'') {
			i = copy_until(s, len, i, s[i], out);
			continue;
		}
		if (unquoted_url(s, len, i)) {
			buf_add(out, s + i, 3);
			i = copy_until(s, len, i + 3, ')', out);
			continue;
		}
		buf_addc(out, s[i++]);
	}
}
