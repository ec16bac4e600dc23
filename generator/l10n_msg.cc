/*
 * l10n_msg.cc: ICU MessageFormat with named arguments, the one C++ file.
 *
 * UI strings name their arguments ("{count, plural, one {# handout} other
 * {# handouts}}"), and only icu::MessageFormat::format(names, values, ...)
 * formats those; this file wraps it behind the C interface in l10n_msg.h
 * and nothing else.  At compile time it also notes which kind of value
 * each argument wants, so that a number given to a select, or a numeric
 * string given to a plural, still formats: template values come from
 * XPath, where "3" and 3 are easily confused.
 */
#include <cmath>
#include <new>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/fmtable.h>
#include <unicode/locid.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/parseerr.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

extern "C" {
#include "util.h"
}
#include "l10n.h"
#include "l10n_msg.h"

enum arg_kind {
	ARG_ANY,	/* {name}: anything */
	ARG_NUMBER,	/* plural, selectordinal, choice, number, spellout */
	ARG_DATE,	/* date, time: epoch seconds from the caller */
	ARG_STRING,	/* select */
};

struct arg_info {
	char		*name;		/* UTF-8, malloc'd */
	enum arg_kind	 kind;
};

struct l10n_msg {
	icu::MessageFormat	*fmt;	/* owned */
	struct arg_info		*args;	/* owned, with their names */
	size_t			 nargs;
};

/* A malloc'd UTF-8 copy of s (the caller frees it). */
static char *
to_utf8(const icu::UnicodeString &s)
{
	UErrorCode	 st = U_ZERO_ERROR;
	int32_t		 n = 0;
	char		*p;

	u_strToUTF8WithSub(NULL, 0, &n, s.getBuffer(), s.length(), 0xfffd,
	    NULL, &st);
	p = static_cast<char *>(xmalloc((size_t)n + 1));
	st = U_ZERO_ERROR;
	u_strToUTF8WithSub(p, n + 1, NULL, s.getBuffer(), s.length(), 0xfffd,
	    NULL, &st);
	p[n] = '\0';
	return p;
}

/* ICU's error codes, as a translator would want to read them. */
static const char *
reason_text(UErrorCode st)
{
	switch (st) {
	case U_UNMATCHED_BRACES:
		return "unclosed '{'";
	case U_PATTERN_SYNTAX_ERROR:
		return "syntax error";
	case U_DEFAULT_KEYWORD_MISSING:
		return "plural or select without an 'other' case";
	case U_DUPLICATE_KEYWORD:
		return "the same case twice in a plural or select";
	case U_UNDEFINED_KEYWORD:
		return "unknown plural case";
	case U_ARGUMENT_TYPE_MISMATCH:
		return "argument used with two types";
	case U_ILLEGAL_ARGUMENT_ERROR:
		return "an argument of the wrong kind (a word where a number "
		    "is wanted?)";
	case U_INDEX_OUTOFBOUNDS_ERROR:
		return "argument name too long or nesting too deep";
	case U_MEMORY_ALLOCATION_ERROR:
		return "out of memory";
	default:
		return u_errorName(st);
	}
}

static bool
is_start(UMessagePatternPartType t)
{
	return t == UMSGPAT_PART_TYPE_ARG_START ||
	    t == UMSGPAT_PART_TYPE_MSG_START;
}

static bool
is_limit(UMessagePatternPartType t)
{
	return t == UMSGPAT_PART_TYPE_ARG_LIMIT ||
	    t == UMSGPAT_PART_TYPE_MSG_LIMIT;
}

/*
 * ICU gives offset 0 for an unclosed brace and a missing 'other', so we
 * look for the place ourselves: a failed parse keeps the parts it made,
 * and the innermost start without its limit is the '{' still open (or,
 * with want_choice, the plural or select that lacks its 'other').
 * Returns the UTF-16 offset, and the argument's name in *name (malloc'd,
 * the caller frees it; NULL for a nested message's brace), or -1.
 */
static int32_t
open_brace(const icu::UnicodeString &pattern, bool want_choice, char **name)
{
	UErrorCode		 st = U_ZERO_ERROR;
	icu::MessagePattern	 mp(pattern, NULL, st);
	UMessagePatternPartType	 t;
	UMessagePatternArgType	 at;
	int32_t			 i, pending = 0;

	for (i = mp.countParts() - 1; i >= 0; i--) {
		const icu::MessagePattern::Part &p = mp.getPart(i);

		t = p.getType();
		if (is_limit(t)) {
			pending++;
			continue;
		}
		if (!is_start(t))
			continue;
		if (pending > 0) {
			pending--;
			continue;
		}
		/* The whole message is not a brace. */
		if (t == UMSGPAT_PART_TYPE_MSG_START && p.getValue() == 0)
			continue;
		at = p.getArgType();
		if (want_choice && (t != UMSGPAT_PART_TYPE_ARG_START ||
		    (at != UMSGPAT_ARG_TYPE_PLURAL &&
		    at != UMSGPAT_ARG_TYPE_SELECT &&
		    at != UMSGPAT_ARG_TYPE_SELECTORDINAL)))
			continue;
		if (t == UMSGPAT_PART_TYPE_ARG_START && i + 1 < mp.countParts())
			/* A copy: the substring aliases mp's text. */
			*name = to_utf8(mp.getSubstring(mp.getPart(i + 1)));
		return p.getIndex();
	}
	return -1;
}

/* Where the style of the simple argument at part i starts, or the '{'. */
static int32_t
style_index(const icu::MessagePattern &mp, int32_t i)
{
	const icu::UnicodeString	&s = mp.getPatternString();
	int32_t				 k;

	if (i + 3 >= mp.countParts() ||
	    mp.getPart(i + 3).getType() != UMSGPAT_PART_TYPE_ARG_STYLE)
		return mp.getPart(i).getIndex();
	k = mp.getPart(i + 3).getIndex();
	while (k < s.length() && u_isWhitespace(s.charAt(k)))
		k++;
	return k;
}

static const char *const simple_types[] = {
	"number", "date", "time", "spellout", "ordinal", "duration",
};

/*
 * The pattern parsed but ICU refused one of its formats ("{n, nmber}",
 * "{n, number, #.#.#}"): compiles each simple argument alone to find
 * which, and says why in reason.  Returns its UTF-16 offset or -1.
 */
static int32_t
bad_format(const icu::UnicodeString &pattern, const icu::Locale &loc,
    char *reason, size_t size)
{
	UErrorCode		 st = U_ZERO_ERROR;
	icu::MessagePattern	 mp(pattern, NULL, st);
	icu::UnicodeString	 arg;
	UParseError		 pe;
	int32_t			 i, n, lim;
	size_t			 k;
	char			*name, *type;
	bool			 known;

	if (U_FAILURE(st))
		return -1;
	n = mp.countParts();
	for (i = 0; i + 2 < n; i++) {
		const icu::MessagePattern::Part &p = mp.getPart(i);

		if (p.getType() != UMSGPAT_PART_TYPE_ARG_START ||
		    p.getArgType() != UMSGPAT_ARG_TYPE_SIMPLE)
			continue;
		const icu::MessagePattern::Part &tp = mp.getPart(i + 2);
		name = to_utf8(mp.getSubstring(mp.getPart(i + 1)));
		type = to_utf8(mp.getSubstring(tp));
		known = false;
		for (k = 0; k < sizeof(simple_types) / sizeof(*simple_types);
		    k++)
			known = known || strcmp(type, simple_types[k]) == 0;
		if (!known) {
			snprintf(reason, size, "unknown type '%s' of '%s'",
			    type, name);
			free(name);
			free(type);
			return tp.getIndex();
		}
		lim = mp.getLimitPartIndex(i);
		arg = pattern.tempSubStringBetween(p.getIndex(),
		    mp.getPart(lim).getLimit());
		st = U_ZERO_ERROR;
		icu::MessageFormat trial(arg, loc, pe, st);
		if (U_FAILURE(st)) {
			snprintf(reason, size, "bad %s style in '%s'", type,
			    name);
			free(name);
			free(type);
			return style_index(mp, i);
		}
		free(name);
		free(type);
	}
	return -1;
}

static enum arg_kind
kind_of(const icu::MessagePattern &mp, int32_t start)
{
	icu::UnicodeString	type;

	switch (mp.getPart(start).getArgType()) {
	case UMSGPAT_ARG_TYPE_CHOICE:
	case UMSGPAT_ARG_TYPE_PLURAL:
	case UMSGPAT_ARG_TYPE_SELECTORDINAL:
		return ARG_NUMBER;
	case UMSGPAT_ARG_TYPE_SELECT:
		return ARG_STRING;
	case UMSGPAT_ARG_TYPE_SIMPLE:
		/* ARG_START, ARG_NAME, ARG_TYPE. */
		type = mp.getSubstring(mp.getPart(start + 2));
		if (type == UNICODE_STRING_SIMPLE("date") ||
		    type == UNICODE_STRING_SIMPLE("time"))
			return ARG_DATE;
		return ARG_NUMBER;
	default:
		return ARG_ANY;
	}
}

/* Notes each argument's kind (the first use wins). */
static void
note_args(struct l10n_msg *m, const icu::UnicodeString &pattern)
{
	UErrorCode		 st = U_ZERO_ERROR;
	icu::MessagePattern	 mp(pattern, NULL, st);
	char			*name;
	size_t			 i;
	int32_t			 p, n;
	bool			 seen;

	if (U_FAILURE(st))
		return;
	n = mp.countParts();
	for (p = 0; p + 1 < n; p++) {
		if (mp.getPart(p).getType() != UMSGPAT_PART_TYPE_ARG_START)
			continue;
		name = to_utf8(mp.getSubstring(mp.getPart(p + 1)));
		seen = false;
		for (i = 0; i < m->nargs && !seen; i++)
			seen = strcmp(m->args[i].name, name) == 0;
		if (seen) {
			free(name);
			continue;
		}
		m->args = static_cast<struct arg_info *>(xreallocarray(m->args,
		    m->nargs + 1, sizeof(*m->args)));
		m->args[m->nargs].name = name;
		m->args[m->nargs].kind = kind_of(mp, p);
		m->nargs++;
	}
}

/* Explains a failed compile: sets *offset and reason. */
static void
explain(UErrorCode st, const UParseError &pe,
    const icu::UnicodeString &pattern, const icu::Locale &loc,
    int32_t *offset, char *reason, size_t size)
{
	char	*name = NULL;

	snprintf(reason, size, "%s", reason_text(st));
	*offset = -1;
	switch (st) {
	case U_UNMATCHED_BRACES:
		*offset = open_brace(pattern, false, &name);
		break;
	case U_DEFAULT_KEYWORD_MISSING:
		*offset = open_brace(pattern, true, &name);
		if (name != NULL)
			snprintf(reason, size, "no 'other' case in '%s'",
			    name);
		break;
	case U_PATTERN_SYNTAX_ERROR:
	case U_INDEX_OUTOFBOUNDS_ERROR:
		/* ICU may point at the space before the culprit. */
		*offset = pe.offset;
		while (*offset >= 0 && *offset < pattern.length() &&
		    u_isWhitespace(pattern.charAt(*offset)))
			(*offset)++;
		break;
	default:
		/* Not from the parser: a format ICU would not make. */
		snprintf(reason, size, "%s", u_errorName(st));
		*offset = bad_format(pattern, loc, reason, size);
		break;
	}
	free(name);
}

struct l10n_msg *
l10n_msg_new(const char *locid, const char *s, size_t len, int32_t *offset,
    char *reason, size_t size)
{
	UErrorCode		 st = U_ZERO_ERROR;
	UParseError		 pe;
	icu::UnicodeString	 pattern;
	icu::Locale		 loc(locid);
	icu::MessageFormat	*fmt;
	struct l10n_msg		*m;

	pattern = icu::UnicodeString::fromUTF8(icu::StringPiece(s,
	    (int32_t)len));
	memset(&pe, 0, sizeof(pe));
	fmt = new icu::MessageFormat(pattern, loc, pe, st);
	if (fmt == NULL)
		st = U_MEMORY_ALLOCATION_ERROR;
	if (U_FAILURE(st)) {
		delete fmt;
		explain(st, pe, pattern, loc, offset, reason, size);
		return NULL;
	}
	m = static_cast<struct l10n_msg *>(xcalloc(1, sizeof(*m)));
	m->fmt = fmt;
	note_args(m, pattern);
	return m;
}

void
l10n_msg_free(struct l10n_msg *m)
{
	size_t	i;

	if (m == NULL)
		return;
	delete m->fmt;
	for (i = 0; i < m->nargs; i++)
		free(m->args[i].name);
	free(m->args);
	free(m);
}

static enum arg_kind
arg_kind(const struct l10n_msg *m, const char *name)
{
	size_t	i;

	for (i = 0; i < m->nargs; i++)
		if (strcmp(m->args[i].name, name) == 0)
			return m->args[i].kind;
	return ARG_ANY;
}

/* Reads the whole of s as a number; false when it is not one. */
static bool
read_number(const char *s, double *d)
{
	char	*end;

	if (s == NULL)
		return false;
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s == '\0' || strchr("+-.0123456789", *s) == NULL)
		return false;
	*d = strtod(s, &end);
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	return end != s && *end == '\0';
}

/*
 * A date argument ICU can format: finite and within a few hundred
 * thousand years.  NaN (a page without a date) or infinity made ICU
 * compute negative fields and, with some patterns, read out of bounds.
 */
static bool
date_ok(double secs)
{
	return std::isfinite(secs) && secs > -1e13 && secs < 1e13;
}

/* Builds, in place, the Formattable the pattern wants for one argument. */
static void
make_value(icu::Formattable *v, const struct l10n_arg *a, enum arg_kind k)
{
	char	 text[64];
	double	 d;

	if (a->is_number) {
		d = a->num;
		if (k == ARG_DATE && date_ok(d))
			new (v) icu::Formattable(d * 1000.0,
			    icu::Formattable::kIsDate);
		else if (k == ARG_DATE)
			/* Not a date: ICU refuses a string, with a reason. */
			new (v) icu::Formattable(icu::UnicodeString());
		else if (k == ARG_STRING) {
			snprintf(text, sizeof(text), "%.15g", d);
			new (v) icu::Formattable(
			    icu::UnicodeString::fromUTF8(text));
		} else
			new (v) icu::Formattable(d);
		return;
	}
	if (k == ARG_NUMBER && read_number(a->str, &d))
		new (v) icu::Formattable(d);
	else if (k == ARG_DATE && read_number(a->str, &d) && date_ok(d))
		new (v) icu::Formattable(d * 1000.0, icu::Formattable::kIsDate);
	else
		new (v) icu::Formattable(icu::UnicodeString::fromUTF8(
		    a->str == NULL ? "" : a->str));
}

char *
l10n_msg_format(const struct l10n_msg *m, const struct l10n_arg *args,
    size_t nargs, const char **reason)
{
	UErrorCode		 st = U_ZERO_ERROR;
	icu::UnicodeString	 out;
	icu::UnicodeString	*names = NULL;
	icu::Formattable	*vals = NULL;
	char			*res = NULL;
	size_t			 i;

	/*
	 * Raw memory from xcalloc (out of memory is fatal there) and
	 * placement new, so that no C++ exception can cross into C.
	 */
	if (nargs > 0) {
		names = static_cast<icu::UnicodeString *>(xcalloc(nargs,
		    sizeof(*names)));
		vals = static_cast<icu::Formattable *>(xcalloc(nargs,
		    sizeof(*vals)));
	}
	for (i = 0; i < nargs; i++) {
		new (&names[i]) icu::UnicodeString(
		    icu::UnicodeString::fromUTF8(args[i].name));
		make_value(&vals[i], &args[i], arg_kind(m, args[i].name));
	}
	m->fmt->format(names, vals, (int32_t)nargs, out, st);
	if (U_SUCCESS(st))
		res = to_utf8(out);
	else
		*reason = reason_text(st);
	for (i = 0; i < nargs; i++) {
		names[i].~UnicodeString();
		vals[i].~Formattable();
	}
	free(names);
	free(vals);
	return res;
}
