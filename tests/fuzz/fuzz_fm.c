/*
 * fuzz_fm.c: fm_parse on a whole content file, and fm_date_parse.
 *
 * The input is the file (fm_parse wants it NUL-terminated, as file_read
 * gives it).  Beyond the sanitizers, it checks what fm.h promises: the
 * body offset and the lines before it agree with the text, positions of
 * the keys read lie inside the file, the handout size is one of three,
 * and slugs, aliases and layouts name no path outside the site.  The
 * input, up to its first newline, is also given to fm_date_parse, whose
 * successes must be real dates whose "iso" parses back to the same time.
 */
/* modules: fm yaml util diag */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "fm.h"
#include "fuzz.h"
#include "util.h"

static void
check_pos(const struct fuzz_file *f, const struct fm_pos *p, const char *key)
{
	long	len;

	if (p->line == 0)
		return;
	if ((len = fuzz_line_len(f, p->line)) < 0 || p->col < 1 ||
	    p->col > len + 1)
		fuzz_fail("position outside the file", key);
}

static void
check_str(const struct fuzz_file *f, const struct fm_str *s, const char *key)
{
	if (s->s == NULL && s->pos.line != 0)
		fuzz_fail("absent value with a position", key);
	check_pos(f, &s->pos, key);
}

/* No "..", no absolute path, no backslash escape out of the site. */
static void
check_path(const struct fm_str *s, const char *key)
{
	const char	*p;

	if (s->s == NULL)
		return;
	for (p = s->s; (p = strstr(p, "..")) != NULL; p++)
		if ((p == s->s || p[-1] == '/') && (p[2] == '\0' ||
		    p[2] == '/'))
			fuzz_fail("'..' segment accepted", key);
	if (strchr(s->s, '\\') != NULL)
		fuzz_fail("backslash accepted in a path", key);
}

static int
days_in(int y, int m)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static void
check_date(const struct fm_date *d, const char *src)
{
	struct fm_date	 again;

	if (d->month < 1 || d->month > 12 || d->day < 1 ||
	    d->day > days_in(d->year, d->month) || d->hour < 0 ||
	    d->hour > 23 || d->min < 0 || d->min > 59 || d->sec < 0 ||
	    d->sec > 59 || d->tz_min <= -24 * 60 || d->tz_min >= 24 * 60)
		fuzz_fail("impossible date accepted", src);
	if (!d->has_time && (d->hour != 0 || d->min != 0 || d->sec != 0 ||
	    d->tz_min != 0))
		fuzz_fail("time fields without a time", src);
	if (fm_date_parse(d->iso, &again) != 0)
		fuzz_fail("iso does not parse back", d->iso);
	if (again.epoch != d->epoch || strcmp(again.iso, d->iso) != 0)
		fuzz_fail("iso parses back to another time", d->iso);
}

static void
check_fm(const struct fuzz_file *f, const struct fm *fm)
{
	const struct fm_list	*lists[] = { &fm->tags, &fm->audience,
				    &fm->aliases };
	size_t			 i, j, nl;

	if (fm->body_off > f->len)
		fuzz_fail("body_off", "past the end of the file");
	for (i = 0, nl = 0; i < fm->body_off; i++)
		if (f->text[i] == '\n')
			nl++;
	/* A closing line without a newline ends the file: body is empty. */
	if ((size_t)fm->body_line0 != nl && !(fm->body_off == f->len &&
	    (size_t)fm->body_line0 == nl + 1))
		fuzz_fail("body_line0", "is not the lines before the body");
	check_str(f, &fm->title, "title");
	check_str(f, &fm->slug, "slug");
	check_str(f, &fm->summary, "summary");
	check_str(f, &fm->translation_key, "translationKey");
	check_str(f, &fm->layout, "layout");
	check_str(f, &fm->handout, "handout");
	check_str(f, &fm->translated_from, "translatedFrom");
	check_path(&fm->slug, "slug");
	check_path(&fm->layout, "layout");
	if (fm->slug.s != NULL && strchr(fm->slug.s, '/') != NULL)
		fuzz_fail("slug with a '/' accepted", fm->slug.s);
	for (i = 0; i < nitems(lists); i++)
		for (j = 0; j < lists[i]->n; j++) {
			if (lists[i]->v[j].s == NULL)
				fuzz_fail("NULL string in a list", "list");
			check_pos(f, &lists[i]->v[j].pos, "list item");
		}
	for (j = 0; j < fm->aliases.n; j++)
		check_path(&fm->aliases.v[j], "aliases");
	if (fm->handout.s != NULL && strcmp(fm->handout.s, "a4") != 0 &&
	    strcmp(fm->handout.s, "a5") != 0 &&
	    strcmp(fm->handout.s, "letter") != 0)
		fuzz_fail("handout size not a4, a5 or letter", fm->handout.s);
	if (fm->has_date) {
		check_pos(f, &fm->date_pos, "date");
		check_date(&fm->date, "date");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a;
	struct fm		 fm;
	struct fm_date		 d;
	struct fuzz_file	 f;
	char			*text, *nl;
	int			 rc;

	a = arena_new();
	text = fuzz_strndup(data, size);
	memset(&f, 0, sizeof(f));
	f.path = "content/en/fuzz.md";
	f.text = text;
	f.len = size;
	rc = fm_parse(&fm, f.path, text, size, a);
	if (fuzz_oracles()) {
		if (rc == -1 && diag_count(DIAG_ERROR) == 0)
			fuzz_fail("fm_parse", "failed without an error");
		if (rc == 0 && diag_count(DIAG_ERROR) != 0)
			fuzz_fail("fm_parse", "errors but success");
		if (rc == 0)
			check_fm(&f, &fm);
		fuzz_check_diags(&f, 1);
	}
	fuzz_end();

	/* The first line alone, as a date. */
	if ((nl = strchr(text, '\n')) != NULL)
		*nl = '\0';
	if (fm_date_parse(text, &d) == 0 && fuzz_oracles())
		check_date(&d, text);
	free(text);
	arena_free(a);
	return 0;
}
