/*
 * l10n.c: one language's ICU services, and the locale facts config needs.
 *
 * A struct l10n holds an ICU locale ID with the site's numbering system
 * and calendar as keywords ("fa_AF@calendar=persian;numbers=arabext"), and
 * opens ICU objects only when first asked, then keeps them: date formats by
 * style or pattern, number formats by style, one collator, and the
 * compiled UI messages in a hash table.  Everything is formatted in UTC so
 * that output bytes never depend on the builder's time zone; the first
 * l10n_new also makes UTC ICU's default zone, which is what date arguments
 * inside messages use.  Messages themselves go through l10n_msg.cc, the
 * project's only C++, because only icu::MessageFormat takes named
 * arguments.  The slug transliterator is process-wide: workers are forked
 * processes, so each has its own copy of it.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/ucal.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/uclean.h>
#include <unicode/ucol.h>
#include <unicode/udat.h>
#include <unicode/uldnames.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/unum.h>
#include <unicode/unumsys.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utext.h>
#include <unicode/utrans.h>

#include "diag.h"
#include "l10n.h"
#include "l10n_msg.h"
#include "util.h"

/* One cached formatter, by the style or pattern it was asked for. */
struct fmt_ent {
	char		*key;		/* owned */
	void		*fmt;		/* UDateFormat or UNumberFormat */
};

struct msg_slot {
	char		*key;		/* owned; NULL for an empty slot */
	struct l10n_msg	*msg;		/* owned */
};

struct l10n {
	char		 id[ULOC_FULLNAME_CAPACITY];
	struct l10n	*fallback;	/* not owned */
	const char	*err;		/* static text: why the last call
					   failed, or NULL */
	char		**pstyles;	/* date pattern overrides, owned */
	char		**patterns;
	size_t		 npatterns;
	struct fmt_ent	*dates;
	size_t		 ndates;
	struct fmt_ent	*nums;
	size_t		 nnums;
	UCollator	*coll;
	bool		 coll_tried;
	UBreakIterator	*words;		/* word breaks, opened on first use */
	bool		 words_tried;
	struct msg_slot	*msgs;		/* open addressing, power of 2 */
	size_t		 nmsgs;
	size_t		 capmsgs;
	struct strmap	 memo;		/* formatted results (see memo_get) */
};

/*
 * A formatted string, kept: a site's pages ask for the same few strings,
 * dates and numbers thousands of times ("Page 2", "For: communities", one
 * date per page and again on every list that shows it), and ICU's
 * formatters are slow beside a lookup.  Keys name the call and every
 * argument; results depend on nothing else (the formatters are fixed once
 * opened, and everything is in UTC), except on the language's messages:
 * adding one forgets them all, and a result taken from the fallback
 * language is not kept.  Not for two threads at once, as ICU's formatters
 * are not.
 */
struct memo {
	char	*val;
	char	 key[];
};

#define MEMO_MAX	16384		/* entries per language, then no more */
#define MEMO_SEP	'\x1f'		/* between a key's parts */

/* Forgets every kept result: a message changed. */
static void
memo_clear(struct l10n *l)
{
	size_t	i;

	for (i = 0; i < l->memo.cap; i++)
		if (l->memo.v[i].key != NULL) {
			free(((struct memo *)l->memo.v[i].val)->val);
			free(l->memo.v[i].val);
		}
	strmap_release(&l->memo);
	strmap_init(&l->memo);
}

static UTransliterator	*slug_tr;
static bool		 slug_tried;
static bool		 utc_set;	/* ICU's default zone is UTC */

/*
 * Any-Latin leaves the letters of Urdu and Pashto that Arabic lacks as
 * they are (ہ, ے, ٹ, ډ, ښ, ...), and the slug would lose them: these rules
 * spell them in Latin first.
 */
static const char slug_rules[] =
	"ٹ > t; ڈ > d; ڑ > r; ں > n; ھ > h; ہ > h; ۂ > h; ۃ > t;"
	"ے > e; ۓ > e;"
	"ټ > t; ځ > dz; څ > ts; ډ > d; ړ > r; ږ > zh; ښ > sh; ګ > g;"
	"ڼ > n; ۍ > ay; ې > e;"
	":: Any-Latin; :: Latin-ASCII; :: Lower;";

/*
 * The ICU locale ID ("fa_AF") for a BCP 47 tag ("fa-AF"); an ICU ID
 * ("fa_AF@calendar=persian") is taken as it is.  Returns 0 or -1.
 */
static int
locale_id(const char *tag, char *id, size_t size)
{
	UErrorCode	 st = U_ZERO_ERROR;
	int32_t		 parsed = 0, n;

	if (tag == NULL || *tag == '\0')
		return -1;
	n = uloc_forLanguageTag(tag, id, (int32_t)size, &parsed, &st);
	if (U_FAILURE(st) || n >= (int32_t)size ||
	    (size_t)parsed != strlen(tag)) {
		st = U_ZERO_ERROR;
		n = uloc_canonicalize(tag, id, (int32_t)size, &st);
		if (U_FAILURE(st) || n >= (int32_t)size)
			return -1;
	}
	return id[0] == '\0' ? -1 : 0;
}

/* A malloc'd UTF-8 copy of u[0..n) (the caller frees it). */
static char *
u16_to_utf8(const UChar *u, int32_t n)
{
	UErrorCode	 st = U_ZERO_ERROR;
	int32_t		 len = 0;
	char		*s;

	u_strToUTF8WithSub(NULL, 0, &len, u, n, 0xfffd, NULL, &st);
	s = xmalloc((size_t)len + 1);
	st = U_ZERO_ERROR;
	u_strToUTF8WithSub(s, len + 1, NULL, u, n, 0xfffd, NULL, &st);
	s[len] = '\0';
	return s;
}

/*
 * A malloc'd UTF-16 copy of s[0..len), invalid bytes as U+FFFD, with its
 * length in *n (the caller frees it).
 */
static UChar *
utf8_to_u16(const char *s, size_t len, int32_t *n)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UChar		*u;

	*n = 0;
	u_strFromUTF8WithSub(NULL, 0, n, s, (int32_t)len, 0xfffd, NULL, &st);
	u = xreallocarray(NULL, (size_t)*n + 1, sizeof(*u));
	st = U_ZERO_ERROR;
	u_strFromUTF8WithSub(u, *n + 1, NULL, s, (int32_t)len, 0xfffd, NULL,
	    &st);
	u[*n] = 0;
	return u;
}

const char *
l10n_locale_dir(const char *locale)
{
	UErrorCode	st = U_ZERO_ERROR;
	char		id[ULOC_FULLNAME_CAPACITY];

	if (locale_id(locale, id, sizeof(id)) == -1)
		return "ltr";
	if (uloc_getCharacterOrientation(id, &st) == ULOC_LAYOUT_RTL &&
	    U_SUCCESS(st))
		return "rtl";
	return "ltr";
}

bool
l10n_locale_known(const char *locale)
{
	UErrorCode	 st = U_ZERO_ERROR;
	char		 id[ULOC_FULLNAME_CAPACITY], lang[ULOC_LANG_CAPACITY];
	const char	*av;
	size_t		 n;
	int32_t		 i, count;

	if (locale_id(locale, id, sizeof(id)) == -1)
		return false;
	uloc_getLanguage(id, lang, sizeof(lang), &st);
	if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING ||
	    lang[0] == '\0')
		return false;
	n = strlen(lang);
	count = uloc_countAvailable();
	for (i = 0; i < count; i++) {
		av = uloc_getAvailable(i);
		if (strncmp(av, lang, n) == 0 &&
		    (av[n] == '\0' || av[n] == '_'))
			return true;
	}
	return false;
}

/*
 * The display name of locale code in display locale disp, or NULL when
 * ICU has none (NO_SUBSTITUTE: ICU would otherwise echo the code).
 */
static char *
display_name(const char *disp, UDisplayContext dialect, const char *code,
    bool lang_only)
{
	UDisplayContext		 ctx[3];
	ULocaleDisplayNames	*ldn;
	UErrorCode		 st = U_ZERO_ERROR;
	UChar			 u[256];
	int32_t			 n;
	char			*res = NULL;

	ctx[0] = dialect;
	ctx[1] = UDISPCTX_CAPITALIZATION_FOR_UI_LIST_OR_MENU;
	ctx[2] = UDISPCTX_NO_SUBSTITUTE;
	ldn = uldn_openForContext(disp, ctx, 3, &st);
	if (U_FAILURE(st))
		return NULL;
	if (lang_only)
		n = uldn_languageDisplayName(ldn, code, u, nitems(u), &st);
	else
		n = uldn_localeDisplayName(ldn, code, u, nitems(u), &st);
	if (U_SUCCESS(st) && st != U_STRING_NOT_TERMINATED_WARNING && n > 0)
		res = u16_to_utf8(u, n);
	uldn_close(ldn);
	return res;
}

/*
 * CLDR's dialect name for code (lang_Region or lang_Script), malloc'd, or
 * NULL when it has none: then the dialect name would be the standard
 * "lang (Region)".
 */
static char *
dialect_name(const char *disp, const char *code)
{
	char	*d, *s;

	d = display_name(disp, UDISPCTX_DIALECT_NAMES, code, false);
	s = display_name(disp, UDISPCTX_STANDARD_NAMES, code, false);
	if (d != NULL && s != NULL && strcmp(d, s) == 0) {
		free(d);
		d = NULL;
	}
	free(s);
	return d;
}

/*
 * A language chooser lists names as a menu does: ICU capitalises them
 * where CLDR says so, but not for every language ("srpski"), so a lower
 * case first letter becomes title case.  Scripts without case are left
 * as they are.
 */
static void
title_first(char **name)
{
	char		*s = *name, *t;
	int32_t		 i = 0, j = 0, len;
	UChar32		 c, tc;

	len = (int32_t)strlen(s);
	U8_NEXT(s, i, len, c);
	if (c < 0 || !u_islower(c) || (tc = u_totitle(c)) == c)
		return;
	t = xmalloc((size_t)len + U8_MAX_LENGTH + 1);
	U8_APPEND_UNSAFE(t, j, tc);
	memcpy(t + j, s + i, (size_t)(len - i) + 1);
	free(s);
	*name = t;
}

char *
l10n_locale_name(const char *locale)
{
	UErrorCode	 st = U_ZERO_ERROR;
	char		 id[ULOC_FULLNAME_CAPACITY];
	char		 base[ULOC_FULLNAME_CAPACITY];
	char		 lang[ULOC_LANG_CAPACITY], script[ULOC_SCRIPT_CAPACITY];
	char		 region[ULOC_COUNTRY_CAPACITY], code[64];
	char		*name = NULL;

	if (locale_id(locale, id, sizeof(id)) == -1)
		return NULL;
	uloc_getBaseName(id, base, sizeof(base), &st);
	uloc_getLanguage(id, lang, sizeof(lang), &st);
	uloc_getScript(id, script, sizeof(script), &st);
	uloc_getCountry(id, region, sizeof(region), &st);
	if (U_FAILURE(st) || lang[0] == '\0')
		return NULL;

	/*
	 * The name without the country, unless the country makes a dialect
	 * of its own name (fa_AF is "دری", Dari, not "فارسی (افغانستان)").
	 */
	if (region[0] != '\0') {
		snprintf(code, sizeof(code), "%s_%s", lang, region);
		name = dialect_name(base, code);
	}
	if (name == NULL && script[0] != '\0') {
		snprintf(code, sizeof(code), "%s_%s", lang, script);
		name = dialect_name(base, code);
	}
	if (name == NULL)
		name = display_name(base, UDISPCTX_DIALECT_NAMES, lang, true);
	/* A few languages lack their own name in CLDR (nmg, Kwasio). */
	if (name == NULL)
		name = display_name("en", UDISPCTX_DIALECT_NAMES, lang, true);
	if (name != NULL)
		title_first(&name);
	return name;
}

bool
l10n_numbers_known(const char *name)
{
	UErrorCode		 st = U_ZERO_ERROR;
	UNumberingSystem	*ns;

	if (name == NULL || *name == '\0')
		return false;
	ns = unumsys_openByName(name, &st);
	if (ns == NULL || U_FAILURE(st))
		return false;
	unumsys_close(ns);
	return true;
}

/* ICU's name for a calendar, BCP 47's accepted too ("gregory"). */
static const char *
calendar_name(const char *name)
{
	const char	*legacy;

	legacy = uloc_toLegacyType("calendar", name);
	return legacy == NULL ? name : legacy;
}

bool
l10n_calendar_known(const char *name)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UEnumeration	*e;
	const char	*k;
	bool		 found = false;

	if (name == NULL || *name == '\0')
		return false;
	name = calendar_name(name);
	e = ucal_getKeywordValuesForLocale("calendar", "und", false, &st);
	if (U_FAILURE(st))
		return false;
	while (!found && (k = uenum_next(e, NULL, &st)) != NULL &&
	    U_SUCCESS(st))
		found = strcmp(k, name) == 0;
	uenum_close(e);
	return found;
}

struct l10n *
l10n_new(const struct l10n_opts *o)
{
	UErrorCode	 st = U_ZERO_ERROR;
	struct l10n	*l;
	size_t		 i;

	if (!utc_set) {
		ucal_setDefaultTimeZone(u"UTC", &st);
		utc_set = true;
		st = U_ZERO_ERROR;
	}
	if (!l10n_locale_known(o->locale))
		return NULL;
	if (o->numbers != NULL && !l10n_numbers_known(o->numbers))
		return NULL;
	if (o->calendar != NULL && !l10n_calendar_known(o->calendar))
		return NULL;

	l = xcalloc(1, sizeof(*l));
	if (locale_id(o->locale, l->id, sizeof(l->id)) == -1)
		goto fail;
	if (o->numbers != NULL)
		uloc_setKeywordValue("numbers", o->numbers, l->id,
		    sizeof(l->id), &st);
	if (o->calendar != NULL)
		uloc_setKeywordValue("calendar", calendar_name(o->calendar),
		    l->id, sizeof(l->id), &st);
	if (U_FAILURE(st))
		goto fail;
	if (o->npatterns > 0) {
		l->pstyles = xreallocarray(NULL, o->npatterns,
		    sizeof(*l->pstyles));
		l->patterns = xreallocarray(NULL, o->npatterns,
		    sizeof(*l->patterns));
	}
	for (i = 0; i < o->npatterns; i++) {
		l->pstyles[i] = xstrdup(o->pattern_styles[i]);
		l->patterns[i] = xstrdup(o->patterns[i]);
		l->npatterns++;
	}
	return l;
fail:
	l10n_free(l);
	return NULL;
}

void
l10n_free(struct l10n *l)
{
	size_t	i;

	if (l == NULL)
		return;
	for (i = 0; i < l->npatterns; i++) {
		free(l->pstyles[i]);
		free(l->patterns[i]);
	}
	free(l->pstyles);
	free(l->patterns);
	for (i = 0; i < l->ndates; i++) {
		free(l->dates[i].key);
		udat_close(l->dates[i].fmt);
	}
	free(l->dates);
	for (i = 0; i < l->nnums; i++) {
		free(l->nums[i].key);
		unum_close(l->nums[i].fmt);
	}
	free(l->nums);
	if (l->coll != NULL)
		ucol_close(l->coll);
	if (l->words != NULL)
		ubrk_close(l->words);
	for (i = 0; i < l->capmsgs; i++) {
		free(l->msgs[i].key);
		l10n_msg_free(l->msgs[i].msg);
	}
	free(l->msgs);
	memo_clear(l);
	free(l);
}

void
l10n_set_fallback(struct l10n *l, struct l10n *fallback)
{
	l->fallback = fallback == l ? NULL : fallback;
}

const char *
l10n_error(const struct l10n *l)
{
	return l->err;
}

/* Messages: a hash table of compiled patterns by key. */

static size_t
hash(const char *s)
{
	size_t	h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct msg_slot *
msg_slot(const struct l10n *l, const char *key)
{
	size_t	i;

	if (l->capmsgs == 0)
		return NULL;
	i = hash(key) & (l->capmsgs - 1);
	while (l->msgs[i].key != NULL) {
		if (strcmp(l->msgs[i].key, key) == 0)
			break;
		i = (i + 1) & (l->capmsgs - 1);
	}
	return &l->msgs[i];
}

static void
msg_grow(struct l10n *l)
{
	struct msg_slot	*old = l->msgs, *s;
	size_t		 oldcap = l->capmsgs, i;

	l->capmsgs = oldcap ? oldcap * 2 : 64;
	l->msgs = xcalloc(l->capmsgs, sizeof(*l->msgs));
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		s = msg_slot(l, old[i].key);
		*s = old[i];
	}
	free(old);
}

/*
 * Where ICU's error is: u16 UTF-16 units into pattern s, as a byte offset
 * from the start of its line, and the number of lines before it.
 */
static void
error_position(const char *s, int32_t u16, int *dline, int *dcol)
{
	int32_t	 i = 0, units = 0, len, line_start = 0;
	UChar32	 c;

	len = (int32_t)strlen(s);
	*dline = 0;
	while (i < len && units < u16) {
		if (s[i] == '\n') {
			(*dline)++;
			line_start = i + 1;
		}
		U8_NEXT(s, i, len, c);
		units += c >= 0x10000 ? 2 : 1;
	}
	*dcol = i - line_start;
}

int
l10n_add_message(struct l10n *l, const char *key, const char *pattern,
    const char *path, int line, int col)
{
	struct l10n_msg	*m;
	struct msg_slot	*s;
	char		 reason[256];
	int32_t		 off = -1;
	int		 dline = 0, dcol = 0, rc = -1;

	memo_clear(l);
	m = l10n_msg_new(l->id, pattern, strlen(pattern), &off, reason,
	    sizeof(reason));
	if (m == NULL) {
		if (off >= 0)
			error_position(pattern, off, &dline, &dcol);
		if (col > 0)
			col += dcol;
		diag_error(path, line + dline, col,
		    "malformed message '%s': %s", key, reason);
		goto out;
	}
	if ((l->nmsgs + 1) * 2 > l->capmsgs)
		msg_grow(l);
	s = msg_slot(l, key);
	if (s->key == NULL) {
		s->key = xstrdup(key);
		l->nmsgs++;
	} else
		l10n_msg_free(s->msg);
	s->msg = m;
	rc = 0;
out:
	return rc;
}

bool
l10n_has_message(const struct l10n *l, const char *key)
{
	struct msg_slot	*s;

	s = msg_slot(l, key);
	return s != NULL && s->key != NULL;
}

/* Appends a part of a memo key; false when it holds the separator. */
static bool
memo_part(struct buf *b, const char *part)
{
	if (strchr(part, MEMO_SEP) != NULL)
		return false;
	buf_addc(b, MEMO_SEP);
	buf_adds(b, part);
	return true;
}

/* A copy of what key gave before, or NULL. */
static char *
memo_get(struct l10n *l, const struct buf *key)
{
	struct memo	*m;

	if (key->len == 0 || (m = strmap_get(&l->memo, key->data)) == NULL)
		return NULL;
	return xstrdup(m->val);
}

static void
memo_put(struct l10n *l, const struct buf *key, const char *val)
{
	struct memo	*m;

	if (key->len == 0 || val == NULL || l->memo.n >= MEMO_MAX)
		return;
	m = xmalloc(sizeof(*m) + key->len + 1);
	memcpy(m->key, key->data, key->len + 1);
	m->val = xstrdup(val);
	strmap_put(&l->memo, m->key, m);
}

/* The memo key of a date or number (kind "d", "n") in a style. */
static void
memo_key_value(struct buf *b, const char *kind, const char *style,
    const char *value)
{
	buf_init(b);
	buf_adds(b, kind);
	if (!memo_part(b, style ? style : "") || !memo_part(b, value))
		buf_reset(b);
}

/* The memo key of a message and its arguments; empty: not to be kept. */
static void
memo_key_msg(struct buf *b, const char *key, const struct l10n_arg *args,
    size_t nargs)
{
	char	 num[40];
	size_t	 i;
	bool	 ok;

	buf_adds(b, "t");
	ok = memo_part(b, key);
	for (i = 0; ok && i < nargs; i++) {
		ok = memo_part(b, args[i].name);
		if (args[i].is_number) {
			/* "#" numbers, "=" strings: 2 is not "2". */
			snprintf(num, sizeof(num), "#%.17g", args[i].num);
			memo_part(b, num);
		} else if (ok && (ok = memo_part(b, "=")))
			ok = memo_part(b, args[i].str ? args[i].str : "");
	}
	if (!ok)
		buf_reset(b);
}

char *
l10n_format(struct l10n *l, const char *key, const struct l10n_arg *args,
    size_t nargs, bool *fell_back)
{
	struct msg_slot	*s;
	struct buf	 mk;
	const char	*reason = NULL;
	char		*res;
	bool		 fb = false;

	l->err = NULL;
	buf_init(&mk);
	memo_key_msg(&mk, key, args, nargs);
	if ((res = memo_get(l, &mk)) != NULL) {
		if (fell_back != NULL)
			*fell_back = false;
		buf_release(&mk);
		return res;
	}
	s = msg_slot(l, key);
	if ((s == NULL || s->key == NULL) && l->fallback != NULL) {
		s = msg_slot(l->fallback, key);
		fb = true;
	}
	if (fell_back != NULL)
		*fell_back = false;
	if (s == NULL || s->key == NULL) {
		buf_release(&mk);
		return NULL;
	}
	if (fell_back != NULL)
		*fell_back = fb;
	/* The fallback's message was compiled in the fallback's locale. */
	if ((res = l10n_msg_format(s->msg, args, nargs, &reason)) == NULL)
		l->err = reason;
	/* Only its own messages: the fallback's may change after. */
	if (!fb)
		memo_put(l, &mk, res);
	buf_release(&mk);
	return res;
}

/* Dates and numbers. */

static const struct {
	const char		*name;
	UDateFormatStyle	 style;
} date_styles[] = {
	{ "full", UDAT_FULL },
	{ "long", UDAT_LONG },
	{ "medium", UDAT_MEDIUM },
	{ "short", UDAT_SHORT },
};

static void *
cache_find(const struct fmt_ent *c, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(c[i].key, key) == 0)
			return c[i].fmt;
	return NULL;
}

static void
cache_add(struct fmt_ent **c, size_t *n, const char *key, void *fmt)
{
	*c = xreallocarray(*c, *n + 1, sizeof(**c));
	(*c)[*n].key = xstrdup(key);
	(*c)[*n].fmt = fmt;
	(*n)++;
}

/*
 * The date format for style: the site's pattern for that style name, else
 * ICU's style, else style read as an ICU pattern.  NULL when ICU refuses.
 */
static UDateFormat *
date_format(struct l10n *l, const char *style)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UDateFormat	*df;
	const char	*pattern = NULL;
	UChar		*u;
	int32_t		 n;
	size_t		 i;

	if ((df = cache_find(l->dates, l->ndates, style)) != NULL)
		return df;
	for (i = 0; i < l->npatterns && pattern == NULL; i++)
		if (strcmp(l->pstyles[i], style) == 0)
			pattern = l->patterns[i];
	for (i = 0; i < nitems(date_styles) && pattern == NULL; i++)
		if (strcmp(date_styles[i].name, style) == 0)
			break;
	if (pattern == NULL && i < nitems(date_styles))
		df = udat_open(UDAT_NONE, date_styles[i].style, l->id,
		    u"UTC", -1, NULL, 0, &st);
	else {
		if (pattern == NULL)
			pattern = style;
		u = utf8_to_u16(pattern, strlen(pattern), &n);
		df = udat_open(UDAT_PATTERN, UDAT_PATTERN, l->id, u"UTC", -1,
		    u, n, &st);
		free(u);
	}
	if (U_FAILURE(st)) {
		if (df != NULL)
			udat_close(df);
		return NULL;
	}
	cache_add(&l->dates, &l->ndates, style, df);
	return df;
}

static char *
date_uncached(struct l10n *l, int64_t epoch, const char *style)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UDateFormat	*df;
	UChar		 u[256], *big;
	int32_t		 n;
	char		*res;

	if ((df = date_format(l, style)) == NULL) {
		l->err = "invalid date style or pattern";
		return NULL;
	}
	n = udat_format(df, (UDate)epoch * 1000.0, u, nitems(u), NULL, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR) {
		big = xreallocarray(NULL, (size_t)n + 1, sizeof(*big));
		st = U_ZERO_ERROR;
		n = udat_format(df, (UDate)epoch * 1000.0, big, n + 1, NULL,
		    &st);
		res = U_SUCCESS(st) ? u16_to_utf8(big, n) : NULL;
		free(big);
	} else
		res = U_SUCCESS(st) ? u16_to_utf8(u, n) : NULL;
	if (res == NULL)
		l->err = u_errorName(st);
	return res;
}

char *
l10n_date(struct l10n *l, int64_t epoch, const char *style)
{
	char		*res, num[32];
	struct buf	 mk;

	l->err = NULL;
	snprintf(num, sizeof(num), "%lld", (long long)epoch);
	memo_key_value(&mk, "d", style, num);
	if ((res = memo_get(l, &mk)) == NULL) {
		res = date_uncached(l, epoch, style);
		memo_put(l, &mk, res);
	}
	buf_release(&mk);
	return res;
}

/* The number format for style (NULL, "integer", "percent", a pattern). */
static UNumberFormat *
number_format(struct l10n *l, const char *style)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UNumberFormat	*nf;
	UParseError	 pe;
	UChar		*u;
	int32_t		 n;

	if (style == NULL)
		style = "";
	if ((nf = cache_find(l->nums, l->nnums, style)) != NULL)
		return nf;
	if (strcmp(style, "") == 0)
		nf = unum_open(UNUM_DECIMAL, NULL, 0, l->id, NULL, &st);
	else if (strcmp(style, "integer") == 0) {
		nf = unum_open(UNUM_DECIMAL, NULL, 0, l->id, NULL, &st);
		if (U_SUCCESS(st)) {
			unum_setAttribute(nf, UNUM_MAX_FRACTION_DIGITS, 0);
			unum_setAttribute(nf, UNUM_ROUNDING_MODE,
			    UNUM_ROUND_HALFUP);
		}
	} else if (strcmp(style, "percent") == 0)
		nf = unum_open(UNUM_PERCENT, NULL, 0, l->id, NULL, &st);
	else {
		u = utf8_to_u16(style, strlen(style), &n);
		nf = unum_open(UNUM_PATTERN_DECIMAL, u, n, l->id, &pe, &st);
		free(u);
	}
	if (U_FAILURE(st)) {
		if (nf != NULL)
			unum_close(nf);
		return NULL;
	}
	cache_add(&l->nums, &l->nnums, style, nf);
	return nf;
}

static char *
number_uncached(struct l10n *l, double d, const char *style)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UNumberFormat	*nf;
	UChar		 u[128];
	int32_t		 n;

	if ((nf = number_format(l, style)) == NULL) {
		l->err = "invalid number style or pattern";
		return NULL;
	}
	n = unum_formatDouble(nf, d, u, nitems(u), NULL, &st);
	if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING) {
		l->err = u_errorName(st);
		return NULL;
	}
	return u16_to_utf8(u, n);
}

char *
l10n_number(struct l10n *l, double d, const char *style)
{
	char		*res, num[40];
	struct buf	 mk;

	l->err = NULL;
	snprintf(num, sizeof(num), "%.17g", d);
	memo_key_value(&mk, "n", style, num);
	if ((res = memo_get(l, &mk)) == NULL) {
		res = number_uncached(l, d, style);
		memo_put(l, &mk, res);
	}
	buf_release(&mk);
	return res;
}

int
l10n_collate(struct l10n *l, const char *a, const char *b)
{
	UErrorCode	st = U_ZERO_ERROR;
	int		r;

	if (l->coll == NULL && !l->coll_tried) {
		l->coll_tried = true;
		l->coll = ucol_open(l->id, &st);
		if (U_FAILURE(st)) {
			if (l->coll != NULL)
				ucol_close(l->coll);
			l->coll = NULL;
		}
		st = U_ZERO_ERROR;
	}
	/* Without a collator, bytes still give one order for every run. */
	if (l->coll == NULL)
		return strcmp(a, b);
	r = ucol_strcollUTF8(l->coll, a, -1, b, -1, &st);
	if (U_FAILURE(st))
		return strcmp(a, b);
	/* Equal by the collator, distinct texts: bytes decide, stably. */
	return r != UCOL_EQUAL ? (int)r : strcmp(a, b);
}

/*
 * NFC.  Most text is NFC already, and most of it is Latin or below
 * U+0300, which cannot be anything else, so the test comes first and
 * allocates nothing: the text goes through ICU's quick check in segments
 * of a stack buffer, cut where ICU says normalisation cannot reach across.
 * Invalid UTF-8 is kept as it is, and cuts segments too.
 */

#define NFC_SEG		256	/* UTF-16 units in a segment buffer */
#define NFC_FLUSH	192	/* cut at the next boundary after this */

static bool
seg_is_nfc(const UNormalizer2 *nfc, const UChar *u, int32_t n)
{
	UErrorCode	st = U_ZERO_ERROR;
	bool		ok;

	if (n == 0)
		return true;
	ok = unorm2_isNormalized(nfc, u, n, &st);
	return U_FAILURE(st) || ok;
}

/* NFC test of the whole of s[0..len) with one heap conversion. */
static bool
is_nfc_heap(const UNormalizer2 *nfc, const char *s, size_t len)
{
	UChar	*u;
	int32_t	 n;
	bool	 ok;

	u = utf8_to_u16(s, len, &n);
	ok = seg_is_nfc(nfc, u, n);
	free(u);
	return ok;
}

bool
l10n_is_nfc(const char *s, size_t len)
{
	const UNormalizer2	*nfc;
	UErrorCode		 st = U_ZERO_ERROR;
	UChar			 seg[NFC_SEG];
	int32_t			 i = 0, n = 0, slen;
	size_t			 k;
	UChar32			 c;

	/* Lead bytes below 0xcc encode only code points below U+0300. */
	for (k = 0; k < len; k++)
		if ((unsigned char)s[k] >= 0xcc)
			break;
	if (k == len)
		return true;
	nfc = unorm2_getNFCInstance(&st);
	if (U_FAILURE(st) || len > INT32_MAX / 2)
		return true;
	slen = (int32_t)len;
	while (i < slen) {
		U8_NEXT(s, i, slen, c);
		if (c < 0 || (n >= NFC_FLUSH &&
		    unorm2_hasBoundaryBefore(nfc, c))) {
			if (!seg_is_nfc(nfc, seg, n))
				return false;
			n = 0;
			if (c < 0)
				continue;
		}
		if (n + 2 > NFC_SEG)
			/* No boundary for 64 units: rare, check it whole. */
			return is_nfc_heap(nfc, s, len);
		U16_APPEND_UNSAFE(seg, n, c);
	}
	return seg_is_nfc(nfc, seg, n);
}

/* Appends the NFC of the valid UTF-8 s[0..len) to b. */
static void
nfc_run(struct buf *b, const UNormalizer2 *nfc, const char *s, size_t len)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UChar		*u, *out;
	int32_t		 n, m;
	char		*t;

	if (len == 0)
		return;
	u = utf8_to_u16(s, len, &n);
	m = unorm2_normalize(nfc, u, n, NULL, 0, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st)) {
		buf_add(b, s, len);
		free(u);
		return;
	}
	out = xreallocarray(NULL, (size_t)m + 1, sizeof(*out));
	st = U_ZERO_ERROR;
	m = unorm2_normalize(nfc, u, n, out, m + 1, &st);
	if (U_FAILURE(st))
		buf_add(b, s, len);
	else {
		t = u16_to_utf8(out, m);
		buf_adds(b, t);
		free(t);
	}
	free(out);
	free(u);
}

char *
l10n_nfc(const char *s, size_t len)
{
	const UNormalizer2	*nfc;
	UErrorCode		 st = U_ZERO_ERROR;
	struct buf		 b;
	int32_t			 i = 0, prev, run = 0, slen;
	UChar32			 c;

	if (l10n_is_nfc(s, len))
		return xstrndup(s, len);
	nfc = unorm2_getNFCInstance(&st);
	if (U_FAILURE(st))
		return xstrndup(s, len);
	slen = (int32_t)len;
	buf_init(&b);
	buf_grow(&b, len + 1);
	while (i < slen) {
		prev = i;
		U8_NEXT(s, i, slen, c);
		if (c >= 0)
			continue;
		nfc_run(&b, nfc, s + run, (size_t)(prev - run));
		buf_add(&b, s + prev, (size_t)(i - prev));
		run = i;
	}
	nfc_run(&b, nfc, s + run, (size_t)(slen - run));
	return buf_detach(&b, NULL);
}

/* Slugs. */

static UTransliterator *
slug_transliterator(void)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UParseError	 pe;
	UChar		*rules;
	int32_t		 n;

	if (slug_tried)
		return slug_tr;
	slug_tried = true;
	rules = utf8_to_u16(slug_rules, strlen(slug_rules), &n);
	slug_tr = utrans_openU(u"awaaz-slug", -1, UTRANS_FORWARD, rules, n,
	    &pe, &st);
	free(rules);
	if (U_FAILURE(st)) {
		if (slug_tr != NULL)
			utrans_close(slug_tr);
		slug_tr = NULL;
	}
	return slug_tr;
}

/*
 * Keeps [a-z0-9] of the transliterated text; any run of anything else is
 * one '-', none at either end.  Apostrophes vanish without a break, so
 * "don't" is "dont" and Arabic's ʿayn does not split a word.
 */
static char *
slug_ascii(const UChar *u, int32_t n)
{
	struct buf	b;
	int32_t		i;
	bool		gap = false;
	UChar		c;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		c = u[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (gap && b.len > 0)
				buf_addc(&b, '-');
			gap = false;
			buf_addc(&b, (char)c);
		} else if (c == '\'' || c == 0x2019 || c == 0x02bc ||
		    c == 0x02bb || c == 0x02be || c == 0x02bf)
			continue;
		else
			gap = true;
	}
	/* buf_detach leaves an empty buffer's byte unset. */
	if (b.len == 0) {
		buf_release(&b);
		return xstrdup("");
	}
	return buf_detach(&b, NULL);
}

char *
l10n_slug(const char *s)
{
	UTransliterator	*tr;
	UErrorCode	 st;
	UChar		*u = NULL;
	int32_t		 n, len, cap, lim;
	char		*res;

	tr = slug_transliterator();
	u = utf8_to_u16(s, strlen(s), &n);
	if (tr != NULL) {
		/* The Latin is often longer than the source: grow and retry. */
		for (cap = n * 4 + 16;; cap *= 2) {
			u = xreallocarray(u, (size_t)cap, sizeof(*u));
			len = n;
			lim = n;
			st = U_ZERO_ERROR;
			utrans_transUChars(tr, u, &len, cap, 0, &lim, &st);
			if (st != U_BUFFER_OVERFLOW_ERROR)
				break;
			free(u);
			u = utf8_to_u16(s, strlen(s), &n);
		}
		if (U_SUCCESS(st))
			n = len;
	}
	res = slug_ascii(u, n);
	free(u);
	return res;
}

void
l10n_cleanup(void)
{
	if (slug_tr != NULL)
		utrans_close(slug_tr);
	slug_tr = NULL;
	slug_tried = false;
	utc_set = false;
	u_cleanup();
}

/*
 * Scripts written without spaces between words: only ICU's dictionary
 * word breaks can count them.
 */
static bool
needs_dictionary(UChar32 c)
{
	UErrorCode	err = U_ZERO_ERROR;

	switch (uscript_getScript(c, &err)) {
	case USCRIPT_HAN:
	case USCRIPT_HIRAGANA:
	case USCRIPT_KATAKANA:
	case USCRIPT_THAI:
	case USCRIPT_LAO:
	case USCRIPT_KHMER:
	case USCRIPT_MYANMAR:
	case USCRIPT_TIBETAN:
		return true;
	default:
		return false;
	}
}

enum { WC_UNKNOWN, WC_WORD, WC_OTHER, WC_DICTIONARY };

/*
 * What a character is to word counting: part of a word (letters, digits,
 * marks, joiners, the apostrophe), not, or of a script only a dictionary
 * splits.  Asked of ICU once per character of the Basic Multilingual
 * Plane, then remembered: a long Urdu body asks about a few dozen letters
 * many thousand times.
 */
static int
word_class(UChar32 c)
{
	/* Threads of the scan pass share it: each byte is written whole,
	 * and always with the same value. */
	static uint8_t	 bmp[0x10000];
	int8_t		 t;
	int		 k;

	if (c <= 0xffff && (k = __atomic_load_n(&bmp[c],
	    __ATOMIC_RELAXED)) != WC_UNKNOWN)
		return k;
	if (needs_dictionary(c))
		k = WC_DICTIONARY;
	else {
		t = u_charType(c);
		k = u_isalnum(c) || t == U_NON_SPACING_MARK ||
		    t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK ||
		    c == 0x200c || c == 0x200d || c == 0x2019 ? WC_WORD :
		    WC_OTHER;
	}
	if (c <= 0xffff)
		__atomic_store_n(&bmp[c], (uint8_t)k, __ATOMIC_RELAXED);
	return k;
}

static size_t
break_count(struct l10n *l, const char *s, size_t len)
{
	UErrorCode	 err = U_ZERO_ERROR;
	UText		*ut;
	size_t		 n = 0;
	int32_t		 b;

	if (!l->words_tried) {
		l->words_tried = true;
		l->words = ubrk_open(UBRK_WORD, l->id, NULL, 0, &err);
		if (U_FAILURE(err))
			l->words = NULL;
		err = U_ZERO_ERROR;
	}
	if (l->words == NULL)
		return 0;
	ut = utext_openUTF8(NULL, s, (int64_t)len, &err);
	if (U_FAILURE(err))
		return 0;
	ubrk_setUText(l->words, ut, &err);
	if (U_SUCCESS(err))
		for (b = ubrk_first(l->words); (b = ubrk_next(l->words)) !=
		    UBRK_DONE; )
			if (ubrk_getRuleStatus(l->words) >= UBRK_WORD_NONE_LIMIT)
				n++;
	/* The iterator keeps a pointer to the text: let go of it. */
	ubrk_setText(l->words, NULL, 0, &err);
	utext_close(ut);
	return n;
}

/* A language's word break iterator serves one thread at a time. */
static size_t
count_with_breaks(struct l10n *l, const char *s, size_t len)
{
	static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
	size_t			 n;

	pthread_mutex_lock(&lock);
	n = break_count(l, s, len);
	pthread_mutex_unlock(&lock);
	return n;
}

/*
 * Words by the language's rules.  In scripts that separate words with
 * spaces, ICU's word breaks count exactly the runs of letters, marks and
 * digits (an apostrophe or a joiner inside a word does not end it), so
 * those are counted directly with ICU's character properties, many
 * times faster than the break iterator; text in a script written without
 * spaces (Thai, Chinese, ...) goes to ICU's dictionary word breaks.
 */
size_t
l10n_word_count(struct l10n *l, const char *str, size_t len)
{
	const uint8_t	*s = (const uint8_t *)str;
	size_t		 n = 0;
	int32_t		 i = 0, ilen;
	UChar32		 c;
	bool		 in_word = false, alnum;
	int		 k;

	if (len > INT32_MAX)
		return 0;
	ilen = (int32_t)len;
	while (i < ilen) {
		U8_NEXT(s, i, ilen, c);
		if (c < 0x80) {
			alnum = (c >= 'a' && c <= 'z') ||
			    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
			if (!alnum && in_word && (c == '\'' || c == '.' ||
			    c == ',') && i < ilen && (s[i] >= 0x80 ||
			    isalnum(s[i])))
				continue;	/* don't, 3.5, 1,000 */
		} else if (c < 0) {
			alnum = false;
		} else {
			if ((k = word_class(c)) == WC_DICTIONARY)
				return count_with_breaks(l, str, len);
			alnum = k == WC_WORD;
		}
		if (alnum && !in_word)
			n++;
		in_word = alnum;
	}
	return n;
}
