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

/*
 * Facts about a locale (a BCP 47 tag, "fa-AF", or an ICU ID) from ICU:
 * "ltr"/"rtl" (a static string), and the native name without the country
 * unless the country makes a dialect ("fa-AF" is "دری"), its first letter
 * in title case (the English name for the few languages CLDR does not
 * name in themselves); NULL when ICU has no name at all.
 */
const char	*l10n_locale_dir(const char *locale);
char		*l10n_locale_name(const char *locale);
/* true when ICU knows the locale's language. */
bool		 l10n_locale_known(const char *locale);
/* true when ICU knows the numbering system ("arabext") or calendar. */
bool		 l10n_numbers_known(const char *);
bool		 l10n_calendar_known(const char *);

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

/*
 * Opens one language's services; NULL when ICU does not know the locale's
 * language, the numbering system or the calendar (the l10n_*_known
 * functions say which).  Prints nothing.  A pattern style may be any name:
 * l10n_date looks it up before ICU's own styles.  The first call makes UTC
 * ICU's default time zone.
 */
struct l10n	*l10n_new(const struct l10n_opts *);
void		 l10n_free(struct l10n *);
/* Messages missing here are looked up in fallback (the default language). */
void		 l10n_set_fallback(struct l10n *, struct l10n *);

/*
 * Adds a UI string in ICU MessageFormat.  A malformed pattern is an error
 * printed at path:line:col (col of the value; ICU's offset is added, as
 * bytes; past a newline in the pattern, line grows and col is the value's
 * col plus the byte offset in that line) with ICU's reason, and -1
 * returned, the earlier message of that key kept.  A later add of the same
 * key replaces the earlier one (site locales over the theme's).
 */
int	l10n_add_message(struct l10n *, const char *key, const char *pattern,
	    const char *path, int line, int col);
/* Whether this language (not its fallback) has the message. */
bool	l10n_has_message(const struct l10n *, const char *key);

struct l10n_arg {
	const char	*name;
	bool		 is_number;
	double		 num;
	const char	*str;
};

/*
 * Formats message key with named arguments.  *fell_back (fell_back may be
 * NULL) is set when the key came from the fallback language, which is then
 * formatted in the fallback's locale.  A numeric string given to a plural
 * or number argument is read as a number, a number given to a select as
 * its text, and numbers given to date or time arguments are epoch
 * seconds.  Returns NULL when neither has the key, or when ICU cannot
 * format the arguments (a word given to a plural): then l10n_error says
 * why.
 */
char	*l10n_format(struct l10n *, const char *key,
	    const struct l10n_arg *, size_t nargs, bool *fell_back);

/*
 * Dates: epoch seconds (UTC midnight for dates without time), style
 * "long", "medium", "short", "full" (the site's pattern for that name
 * first) or an ICU pattern ("d MMMM y"); in the locale's calendar and
 * digits.  Formatted in UTC so bytes never depend on TZ.  NULL when ICU
 * refuses the pattern (l10n_error says why).
 */
char	*l10n_date(struct l10n *, int64_t epoch, const char *style);
/*
 * Numbers in the locale's digits; style NULL, "integer" (rounded half up),
 * "percent" (0.25 is 25%) or an ICU decimal pattern ("#,##0.0").  NULL when
 * ICU refuses the pattern.
 */
char	*l10n_number(struct l10n *, double, const char *style);
/*
 * Why the last l10n_format, l10n_date or l10n_number on this l10n
 * returned NULL, as static text; NULL after a success or a missing key.
 */
const char *l10n_error(const struct l10n *);

/*
 * Collation: <0, 0, >0 by the language's collator; texts the collator
 * finds equal are ordered by their bytes, so sorting is deterministic.
 */
int	 l10n_collate(struct l10n *, const char *, const char *);

/* Words in s[0..len) by the language's word-break rules (ICU). */
size_t	 l10n_word_count(struct l10n *, const char *, size_t);

/*
 * NFC of s[0..len) (malloc'd), and the same test, which allocates nothing
 * for ordinary text.  Invalid UTF-8 bytes are kept as they are.
 */
char	*l10n_nfc(const char *, size_t);
bool	 l10n_is_nfc(const char *, size_t);
/*
 * An ASCII URL slug from any script (ICU transliteration to Latin, then
 * ASCII, lower case): [a-z0-9] runs joined by '-', "" when none is left.
 */
char	*l10n_slug(const char *);

/*
 * Frees ICU's process-wide data (and the slug transliterator) at exit,
 * after every l10n_free, so leak checkers see a clean exit.
 */
void	 l10n_cleanup(void);

#endif
