/*
 * fm.c: splits a content file into YAML front matter and Markdown body,
 * and reads the keys awaaz knows into struct fm.  Key names follow Hugo
 * (title, date, draft, weight, slug, summary, tags, translationKey,
 * aliases, layout) and, as in Hugo, are matched without regard to case so
 * that Hugo content moves over; ours are audience, handout and
 * translatedFrom.  Every problem in a file's front matter is reported
 * before giving up on it, each at the position of the value at fault.
 *
 * Values that become parts of output paths (slug, aliases, layout) are
 * checked here so that no front matter can name a file outside the site.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "fm.h"
#include "util.h"
#include "yaml.h"

enum fm_key {
	FM_TITLE,
	FM_DATE,
	FM_DRAFT,
	FM_WEIGHT,
	FM_SLUG,
	FM_SUMMARY,
	FM_TAGS,
	FM_AUDIENCE,
	FM_TRANSLATION_KEY,
	FM_ALIASES,
	FM_LAYOUT,
	FM_HANDOUT,
	FM_TRANSLATED_FROM,
	FM_NKEYS,
};

static const char *const fm_keys[FM_NKEYS] = {
	"title", "date", "draft", "weight", "slug", "summary", "tags",
	"audience", "translationKey", "aliases", "layout", "handout",
	"translatedFrom",
};

static const char *const fm_handouts[] = { "a4", "a5", "letter" };

struct fmctx {
	struct fm		*fm;
	const char		*path;
	struct arena		*arena;
	const struct yaml_node	*seen[FM_NKEYS];
	int			 nerr;
};

static void PRINTF_LIKE(3, 4)
fm_error(struct fmctx *c, const struct yaml_node *n, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vdiag(DIAG_ERROR, c->path, n->line, n->col, fmt, ap);
	va_end(ap);
	c->nerr++;
}

static int
key_index(const char *key)
{
	int	i;

	for (i = 0; i < FM_NKEYS; i++)
		if (strcasecmp(key, fm_keys[i]) == 0)
			return i;
	return -1;
}

bool
fm_is_known_key(const char *key)
{
	return key_index(key) != -1;
}

static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	/* Howard Hinnant's algorithm: proleptic Gregorian, no libc. */
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Reads exactly n digits (or 1..n when min is smaller) into *v. */
static int
digits(const char **sp, int min, int max, int *v)
{
	const char	*s = *sp;
	int		 n = 0, x = 0, rc = -1;

	while (n < max && s[n] >= '0' && s[n] <= '9') {
		x = x * 10 + (s[n] - '0');
		n++;
	}
	if (n < min)
		goto out;
	*v = x;
	*sp = s + n;
	rc = 0;
out:
	return rc;
}

int
fm_date_parse(const char *s, struct fm_date *d)
{
	int	tzh = 0, tzm = 0, tza, sign, n, rc = -1;

	memset(d, 0, sizeof(*d));
	if (digits(&s, 4, 4, &d->year) == -1 || *s++ != '-' ||
	    digits(&s, 1, 2, &d->month) == -1 || *s++ != '-' ||
	    digits(&s, 1, 2, &d->day) == -1)
		goto out;
	if (d->month < 1 || d->month > 12 || d->day < 1 ||
	    d->day > days_in_month(d->year, d->month))
		goto out;
	if (*s == 'T' || *s == 't' || *s == ' ' || *s == '\t') {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == 'T' || *s == 't')
			s++;
		if (digits(&s, 1, 2, &d->hour) == -1 || *s++ != ':' ||
		    digits(&s, 2, 2, &d->min) == -1)
			goto out;
		if (*s == ':') {
			s++;
			if (digits(&s, 2, 2, &d->sec) == -1)
				goto out;
			/* YAML allows a fraction; page dates drop it. */
			if (*s == '.') {
				s++;
				if (*s < '0' || *s > '9')
					goto out;
				while (*s >= '0' && *s <= '9')
					s++;
			}
		}
		if (d->hour > 23 || d->min > 59 || d->sec > 59)
			goto out;
		d->has_time = true;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == 'Z' || *s == 'z')
			s++;
		else if (*s == '+' || *s == '-') {
			sign = *s++ == '-' ? -1 : 1;
			if (digits(&s, 1, 2, &tzh) == -1)
				goto out;
			if (*s == ':')
				s++;
			if (*s >= '0' && *s <= '9' &&
			    digits(&s, 2, 2, &tzm) == -1)
				goto out;
			if (tzh > 23 || tzm > 59)
				goto out;
			d->tz_min = sign * (tzh * 60 + tzm);
		}
	}
	if (*s != '\0')
		goto out;
	d->epoch = days_from_civil(d->year, d->month, d->day) * 86400 +
	    d->hour * 3600 + d->min * 60 + d->sec - (int64_t)d->tz_min * 60;
	/* The remainders only tell the compiler the widths. */
	tza = d->tz_min < 0 ? -d->tz_min : d->tz_min;
	n = snprintf(d->iso, sizeof(d->iso), "%04d-%02d-%02d",
	    d->year % 10000, d->month % 100, d->day % 100);
	if (d->has_time)
		n += snprintf(d->iso + n, sizeof(d->iso) - n,
		    "T%02d:%02d:%02d", d->hour % 100, d->min % 100,
		    d->sec % 100);
	if (d->has_time && d->tz_min == 0)
		snprintf(d->iso + n, sizeof(d->iso) - n, "Z");
	else if (d->has_time)
		snprintf(d->iso + n, sizeof(d->iso) - n, "%c%02d:%02d",
		    d->tz_min < 0 ? '-' : '+', tza / 60 % 100, tza % 60);
	rc = 0;
out:
	return rc;
}

static const char *
quote(const struct yaml_node *n, char *buf, size_t size)
{
	return yaml_excerpt(n->str, n->len, buf, size);
}

/* A scalar as a string; null leaves the key absent. */
static int
get_str(struct fmctx *c, const struct yaml_node *key,
    const struct yaml_node *v, struct fm_str *out)
{
	char	buf[128];

	if (yaml_is_null(v))
		return 0;
	if (v->kind != YAML_SCALAR) {
		fm_error(c, v, "'%s' must be a string", quote(key, buf,
		    sizeof(buf)));
		return -1;
	}
	out->s = v->str;
	out->pos.line = v->line;
	out->pos.col = v->col;
	return 0;
}

/* One string or a list of strings; null items are skipped. */
static int
get_list(struct fmctx *c, const struct yaml_node *key,
    const struct yaml_node *v, struct fm_list *out)
{
	const struct yaml_node	*it;
	char			 buf[128];
	size_t			 i, n;
	int			 rc = 0;

	if (yaml_is_null(v))
		return 0;
	if (v->kind == YAML_MAP) {
		fm_error(c, v, "'%s' must be a string or a list of strings",
		    quote(key, buf, sizeof(buf)));
		return -1;
	}
	n = v->kind == YAML_SCALAR ? 1 : v->n;
	out->v = arena_alloc(c->arena, n * sizeof(*out->v));
	out->n = 0;
	for (i = 0; i < n; i++) {
		it = v->kind == YAML_SCALAR ? v : v->items[i];
		if (yaml_is_null(it))
			continue;
		if (it->kind != YAML_SCALAR) {
			fm_error(c, it, "each item of '%s' must be a string",
			    quote(key, buf, sizeof(buf)));
			rc = -1;
			continue;
		}
		out->v[out->n].s = it->str;
		out->v[out->n].pos.line = it->line;
		out->v[out->n].pos.col = it->col;
		out->n++;
	}
	return rc;
}

static bool
has_space_or_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return true;
	return false;
}

static void
check_slug(struct fmctx *c, const struct yaml_node *v)
{
	const char	*s = c->fm->slug.s;
	char		 buf[128];

	if (s == NULL)
		return;
	if (*s == '\0' || strchr(s, '/') != NULL ||
	    strchr(s, '\\') != NULL || has_space_or_control(s) ||
	    strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		fm_error(c, v, "invalid slug '%s': a slug is one URL segment, "
		    "without '/' or spaces", quote(v, buf, sizeof(buf)));
}

/*
 * An alias becomes a file in the output: a site path whose segments each
 * name something (a final '/' names the folder's index.html).
 */
static bool
alias_ok(const char *s)
{
	const char	*seg, *end;
	size_t		 len;

	if (strchr(s, '\\') != NULL || has_space_or_control(s))
		return false;
	for (seg = s + 1; *seg != '\0'; seg = end + 1) {
		if ((end = strchr(seg, '/')) == NULL)
			end = seg + strlen(seg);
		len = (size_t)(end - seg);
		if (len == 0 || (len == 1 && seg[0] == '.') ||
		    (len == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (*end == '\0')
			break;
	}
	return true;
}

static void
check_aliases(struct fmctx *c, const struct yaml_node *v)
{
	const struct yaml_node	*n;
	char			 buf[128];
	size_t			 i, count;

	count = v->kind == YAML_SCALAR ? 1 : v->n;
	for (i = 0; i < count; i++) {
		n = v->kind == YAML_SCALAR ? v : v->items[i];
		if (n->kind != YAML_SCALAR || yaml_is_null(n))
			continue;
		if (n->str[0] != '/')
			fm_error(c, n, "alias '%s' must start with '/'",
			    quote(n, buf, sizeof(buf)));
		else if (!alias_ok(n->str))
			fm_error(c, n, "invalid alias '%s': '.', '..', '//', "
			    "'\\' and spaces are not allowed", quote(n, buf,
			    sizeof(buf)));
	}
}

static void
check_layout(struct fmctx *c, const struct yaml_node *v)
{
	const char	*s = c->fm->layout.s;
	char		 buf[128];

	if (s == NULL)
		return;
	if (*s == '\0' || *s == '.' || strchr(s, '/') != NULL ||
	    strchr(s, '\\') != NULL || has_space_or_control(s))
		fm_error(c, v, "invalid layout '%s': a layout is a template "
		    "name, without '/'", quote(v, buf, sizeof(buf)));
}

static void
check_handout(struct fmctx *c, const struct yaml_node *v)
{
	char	buf[128];
	size_t	i;

	if (c->fm->handout.s == NULL)
		return;
	for (i = 0; i < nitems(fm_handouts); i++)
		if (strcasecmp(c->fm->handout.s, fm_handouts[i]) == 0) {
			c->fm->handout.s = fm_handouts[i];
			return;
		}
	fm_error(c, v, "unknown handout size '%s' (a4, a5, letter)",
	    quote(v, buf, sizeof(buf)));
	c->fm->handout.s = NULL;
}

static void
read_date(struct fmctx *c, const struct yaml_node *key,
    const struct yaml_node *v)
{
	char	buf[128];

	if (yaml_is_null(v))
		return;
	if (v->kind != YAML_SCALAR) {
		fm_error(c, v, "'%s' must be a date such as 2024-02-01",
		    quote(key, buf, sizeof(buf)));
		return;
	}
	if (strlen(v->str) != v->len ||
	    fm_date_parse(v->str, &c->fm->date) == -1) {
		fm_error(c, v, "invalid date '%s'", quote(v, buf,
		    sizeof(buf)));
		return;
	}
	c->fm->has_date = true;
	c->fm->date_pos.line = v->line;
	c->fm->date_pos.col = v->col;
}

static void
read_key(struct fmctx *c, int k, const struct yaml_node *key,
    const struct yaml_node *v)
{
	struct fm	*fm = c->fm;
	char		 buf[128];

	switch (k) {
	case FM_TITLE:
		get_str(c, key, v, &fm->title);
		break;
	case FM_DATE:
		read_date(c, key, v);
		break;
	case FM_DRAFT:
		if (!yaml_is_null(v) && yaml_bool(v, &fm->draft) == -1)
			fm_error(c, v, "'%s' must be true or false",
			    quote(key, buf, sizeof(buf)));
		break;
	case FM_WEIGHT:
		if (!yaml_is_null(v) && yaml_int(v, &fm->weight) == -1)
			fm_error(c, v, "'%s' must be an integer",
			    quote(key, buf, sizeof(buf)));
		break;
	case FM_SLUG:
		if (get_str(c, key, v, &fm->slug) == 0)
			check_slug(c, v);
		break;
	case FM_SUMMARY:
		get_str(c, key, v, &fm->summary);
		break;
	case FM_TAGS:
		get_list(c, key, v, &fm->tags);
		break;
	case FM_AUDIENCE:
		get_list(c, key, v, &fm->audience);
		break;
	case FM_TRANSLATION_KEY:
		get_str(c, key, v, &fm->translation_key);
		break;
	case FM_ALIASES:
		if (get_list(c, key, v, &fm->aliases) == 0)
			check_aliases(c, v);
		break;
	case FM_LAYOUT:
		if (get_str(c, key, v, &fm->layout) == 0)
			check_layout(c, v);
		break;
	case FM_HANDOUT:
		if (get_str(c, key, v, &fm->handout) == 0)
			check_handout(c, v);
		break;
	case FM_TRANSLATED_FROM:
		get_str(c, key, v, &fm->translated_from);
		break;
	}
}

/*
 * A delimiter line: mark, then optional blanks, then the end of the line
 * or of the text.  *next is the offset of the line that follows.
 */
static bool
is_delim(const char *text, size_t len, size_t off, const char *mark,
    size_t *next)
{
	size_t	n = strlen(mark);

	if (len - off < n || memcmp(text + off, mark, n) != 0)
		return false;
	off += n;
	while (off < len && (text[off] == ' ' || text[off] == '\t'))
		off++;
	if (off < len && text[off] == '\r')
		off++;
	if (off < len && text[off] != '\n')
		return false;
	*next = off < len ? off + 1 : off;
	return true;
}

int
fm_parse(struct fm *fm, const char *path, const char *text, size_t len,
    struct arena *a)
{
	struct fmctx		 c;
	const struct yaml_node	*map, *key;
	const char		*eol;
	char			 buf[128], buf2[128];
	size_t			 off = 0, start, next;
	size_t			 i;
	int			 k, line = 1, rc = -1;
	bool			 closed = false;

	memset(fm, 0, sizeof(*fm));
	memset(&c, 0, sizeof(c));
	c.fm = fm;
	c.path = path;
	c.arena = a;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	if (is_delim(text, len, off, "+++", &next)) {
		diag_error(path, 1, 1, "TOML front matter is not supported; "
		    "write YAML between '---' lines");
		goto out;
	}
	/* "{{" opens a shortcode or a template tag, not JSON. */
	if (off < len && text[off] == '{' &&
	    (off + 1 == len || (text[off + 1] != '{' &&
	    text[off + 1] != '%'))) {
		diag_error(path, 1, 1, "JSON front matter is not supported; "
		    "write YAML between '---' lines");
		goto out;
	}
	if (!is_delim(text, len, off, "---", &start)) {
		/* No front matter: the whole file is the body. */
		rc = 0;
		goto out;
	}

	/* The closing line: the next "---" or "..." line. */
	for (off = start; off < len; off = (size_t)(eol - text) + 1) {
		line++;
		if (is_delim(text, len, off, "---", &next) ||
		    is_delim(text, len, off, "...", &next)) {
			closed = true;
			break;
		}
		if ((eol = memchr(text + off, '\n', len - off)) == NULL)
			break;
	}
	if (!closed) {
		diag_error(path, 1, 1, "front matter has no closing '---'");
		goto out;
	}
	fm->body_off = next;
	fm->body_line0 = line;

	if ((map = yaml_parse(path, text + start, off - start, 1, a)) == NULL)
		goto out;
	if (map->kind != YAML_MAP) {
		diag_error(path, map->line, map->col, "front matter must be "
		    "a YAML mapping ('key: value' lines)");
		goto out;
	}
	fm->map = map;
	for (i = 0; i < map->n; i++) {
		key = map->pairs[i].key;
		if (strlen(key->str) != key->len ||
		    (k = key_index(key->str)) == -1)
			continue;
		if (c.seen[k] != NULL) {
			/* Exact repeats were caught by yaml_parse. */
			fm_error(&c, key, "duplicate key '%s' (also given as "
			    "'%s')", quote(key, buf, sizeof(buf)),
			    quote(c.seen[k], buf2, sizeof(buf2)));
			continue;
		}
		c.seen[k] = key;
		read_key(&c, k, key, map->pairs[i].value);
	}
	if (c.nerr == 0)
		rc = 0;
out:
	return rc;
}
