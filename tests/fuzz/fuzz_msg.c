/*
 * fuzz_msg.c: an ICU MessageFormat pattern through l10n_add_message and
 * l10n_format.
 *
 * The first byte of the input picks one of four languages (English,
 * Arabic with its six plural forms, Urdu, Dari with the Persian
 * calendar), each opened on first use and without a fallback; the rest,
 * up to a NUL, is the pattern, as if it were a locale file's value at line
 * 3, column 9.  A pattern that compiles is formatted four times: with
 * numbers no page has (NaN, infinities, -0, 1e300; which argument gets
 * which depends on the input's length) to reach the conversions in
 * l10n_msg.cc, with numbers and strings where UI strings have them, with
 * every argument a string, and with none.  Beyond the sanitizers: a
 * failed add keeps the earlier message, a failed format says why
 * (l10n_error), results are valid UTF-8, and the error's position lies
 * inside the pattern as the file holds it.
 */
/* modules: l10n l10n_msg util diag */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz.h"
#include "l10n.h"
#include "util.h"

#define KEY	"fuzz"
#define LINE	3
#define COL	9

static const char *const locales[] = { "en", "ar-IQ", "ur-PK", "fa-AF" };
static struct l10n	*langs[nitems(locales)];

/* The argument names UI strings use, and "0" for ICU's numbered ones. */
static const char *const names[] = {
	"count", "n", "m", "name", "date", "audience", "label", "minutes",
	"kind", "generator", "0", "1",
};

static void
cleanup(void)
{
	size_t	i;

	for (i = 0; i < nitems(langs); i++)
		l10n_free(langs[i]);
	l10n_cleanup();
}

/*
 * Opens a language on its first use, so that replaying one input opens
 * only its own: ICU's process-wide caches differ with what was opened
 * before (a Persian calendar changes what a NaN date does).
 */
static struct l10n *
lang(size_t i)
{
	struct l10n_opts	 o;

	if (langs[i] != NULL)
		return langs[i];
	memset(&o, 0, sizeof(o));
	o.locale = locales[i];
	if (strcmp(locales[i], "fa-AF") == 0)
		o.calendar = "persian";
	if ((langs[i] = l10n_new(&o)) == NULL ||
	    l10n_add_message(langs[i], KEY, "earlier", "x.yaml", 1, 1) == -1)
		abort();
	diag_reset();
	return langs[i];
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	atexit(cleanup);
	return 0;
}

static void
format(struct l10n *l, const struct l10n_arg *args, size_t n)
{
	char	*s;
	size_t	 bad;
	bool	 fb;

	s = l10n_format(l, KEY, args, n, &fb);
	if (!fuzz_oracles()) {
		free(s);
		return;
	}
	if (fb)
		fuzz_fail("l10n_format", "fell back with the key present");
	if (s == NULL && l10n_error(l) == NULL)
		fuzz_fail("l10n_format", "failed without a reason");
	if (s != NULL && !utf8_valid(s, strlen(s), &bad))
		fuzz_fail("l10n_format", "result is not valid UTF-8");
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double	 odd[] = {
		NAN, INFINITY, -INFINITY, -0.0, 1e300, -1e300, 4.5e15, 0.5,
		-1, 9.3e18, -9.3e18, 1e-300,
	};
	struct l10n_arg		 args[nitems(names)];
	struct fuzz_file	 f;
	struct l10n		*l;
	char			*pattern;
	char			 strs[nitems(names)][32];
	size_t			 i, bad;
	int			 rc;

	if (size == 0)
		return 0;
	l = lang(data[0] % nitems(langs));
	pattern = fuzz_strndup(data + 1, size - 1);

	memset(&f, 0, sizeof(f));
	f.path = "locales/fuzz.yaml";
	f.text = pattern;
	f.len = strlen(pattern);
	f.line0 = LINE - 1;
	f.indent0 = f.indent = COL - 1;

	rc = l10n_add_message(l, KEY, pattern, f.path, LINE, COL);
	/*
	 * Patterns come from YAML, which refuses invalid UTF-8: such input
	 * runs under the sanitizers only.
	 */
	if (fuzz_oracles() && utf8_valid(f.text, f.len, &bad)) {
		if (rc == -1 && diag_count(DIAG_ERROR) == 0)
			fuzz_fail("l10n_add_message", "failed without an "
			    "error");
		if (rc == -1 && !l10n_has_message(l, KEY))
			fuzz_fail("l10n_add_message", "lost the earlier "
			    "message");
		fuzz_check_diags(&f, 1);
	}
	fuzz_end();
	if (rc == -1)
		goto out;

	/*
	 * Numbers no page has, first: a formatter's first use is the one
	 * that shows what a bad value does (ICU's calendars keep the fields
	 * of the last good date).
	 */
	memset(args, 0, sizeof(args));
	for (i = 0; i < nitems(names); i++) {
		args[i].name = names[i];
		args[i].is_number = true;
		args[i].num = odd[(i + size) % nitems(odd)];
	}
	format(l, args, nitems(args));

	/* As UI strings have them: numbers and words. */
	memset(args, 0, sizeof(args));
	for (i = 0; i < nitems(names); i++) {
		args[i].name = names[i];
		if (strcmp(names[i], "name") == 0 ||
		    strcmp(names[i], "label") == 0 ||
		    strcmp(names[i], "generator") == 0)
			args[i].str = "Amina «۲»";
		else if (strcmp(names[i], "audience") == 0 ||
		    strcmp(names[i], "kind") == 0)
			args[i].str = "journalists";
		else {
			args[i].is_number = true;
			args[i].num = strcmp(names[i], "date") == 0 ?
			    1706745600 : (double)i;
		}
	}
	format(l, args, nitems(args));

	/* Every argument a string, as XPath attributes give them. */
	for (i = 0; i < nitems(names); i++) {
		snprintf(strs[i], sizeof(strs[i]), i % 3 == 0 ? " %zu " :
		    i % 3 == 1 ? "%zu.5" : "x%zu", i);
		args[i].is_number = false;
		args[i].str = strs[i];
	}
	format(l, args, nitems(args));

	/* And nothing at all. */
	format(l, NULL, 0);
out:
	free(pattern);
	return 0;
}
