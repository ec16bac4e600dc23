/*
 * l10n.h: everything language, through ICU.
 *
 * The only module that sees ICU (its one C++ file, l10n_msg.cc, wraps
 * icu::MessageFormat for named arguments).  A struct l10n holds one
 * language's formatters, collator and messages; awaaz's workers are
 * processes, so each has its own after fork.  Results are malloc'd UTF-8
 * strings the caller frees, unless said otherwise.
 */
#ifndef AWAAZ_L10N_H
#define AWAAZ_L10N_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct l10n;

/* Facts about a locale from ICU: "ltr"/"rtl" and the native name. */
const char	*l10n_locale_dir(const char *locale);	/* static string */
char		*l10n_locale_name(const char *locale);	/* dialect names */
/* true when ICU knows the locale's language. */
bool		 l10n_locale_known(const char *locale);

struct l10n_opts {
	const char	*locale;	/* "fa-AF" */
	const char	*numbers;	/* numbering system override or NULL */
	const char	*calendar;	/* calendar override or NULL */
	/* Date pattern overrides by style ("long", "medium", "short"), or
	   NULL; parallel arrays of n entries. */
	const char	*const *pattern_styles;
	const char	*const *patterns;
	size_t		 npatterns;
};

/* Opens one language's services; NULL when ICU refuses the locale. */
struct l10n	*l10n_new(const struct l10n_opts *);
void		 l10n_free(struct l10n *);
/* Messages missing here are looked up in fallback (the default language). */
void		 l10n_set_fallback(struct l10n *, struct l10n *);

/*
 * Adds a UI string in ICU MessageFormat.  A malformed pattern is an error
 * printed at path:line:col (col of the value; ICU's offset is added) with
 * ICU's reason, and -1 returned.  A later add of the same key replaces the
 * earlier one (site locales over the theme's).
 */
int	l10n_add_message(struct l10n *, const char *key, const char *pattern,
	    const char *path, int line, int col);
bool	l10n_has_message(const struct l10n *, const char *key);

struct l10n_arg {
	const char	*name;
	bool		 is_number;
	double		 num;
	const char	*str;
};

/*
 * Formats message key with named arguments.  *fell_back is set when the
 * key came from the fallback language.  Returns NULL when neither has it.
 */
char	*l10n_format(struct l10n *, const char *key,
	    const struct l10n_arg *, size_t nargs, bool *fell_back);

/*
 * Dates: epoch seconds (UTC midnight for dates without time), style
 * "long", "medium", "short", "full" or an ICU pattern; in the locale's
 * calendar and digits.  Formatted in UTC so bytes never depend on TZ.
 */
char	*l10n_date(struct l10n *, int64_t epoch, const char *style);
/* Numbers in the locale's digits; style NULL, "integer" or "percent". */
char	*l10n_number(struct l10n *, double, const char *style);

/* Collation: <0, 0, >0 by the language's collator. */
int	 l10n_collate(struct l10n *, const char *, const char *);

/* NFC of s[0..len) (malloc'd), and the same test without allocating. */
char	*l10n_nfc(const char *, size_t);
bool	 l10n_is_nfc(const char *, size_t);
/* An ASCII URL slug from any script (ICU transliteration), "" if none. */
char	*l10n_slug(const char *);

#endif
