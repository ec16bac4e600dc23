/* modules: l10n l10n_msg util diag */
/*
 * test_l10n.c: what ICU 72 gives awaaz for the six languages of the
 * example campaign (en, ur-PK, ps-AF, fa-AF, ar-IQ, bn-BD): direction,
 * native name, dates in their calendars and digits, numbers, collation,
 * MessageFormat with named arguments and its error positions, NFC and
 * slugs.  The expected strings were printed from ICU 72 on Debian 12 and
 * read by eye before they were written here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "testutil.h"
#include "l10n.h"
#include "util.h"

/* 2024-02-01T00:00:00Z */
#define FEB1	((int64_t)1706745600)

static struct l10n *
open_l10n(const char *locale, const char *numbers, const char *calendar)
{
	struct l10n_opts	 o;
	struct l10n		*l;

	memset(&o, 0, sizeof(o));
	o.locale = locale;
	o.numbers = numbers;
	o.calendar = calendar;
	l = l10n_new(&o);
	assert_non_null(l);
	return l;
}

static void
check_date(struct l10n *l, int64_t t, const char *style, const char *expect)
{
	char	*s;

	s = l10n_date(l, t, style);
	assert_non_null(s);
	assert_string_equal(s, expect);
	free(s);
}

static void
check_number(struct l10n *l, double d, const char *style,
    const char *expect)
{
	char	*s;

	s = l10n_number(l, d, style);
	assert_non_null(s);
	assert_string_equal(s, expect);
	free(s);
}

static void
check_name(const char *locale, const char *expect)
{
	char	*s;

	s = l10n_locale_name(locale);
	assert_non_null(s);
	assert_string_equal(s, expect);
	free(s);
}

static void
check_slug(const char *in, const char *expect)
{
	char	*s;

	s = l10n_slug(in);
	assert_non_null(s);
	assert_string_equal(s, expect);
	free(s);
}

/* Formats key with one argument, numeric or not. */
static char *
fmt1(struct l10n *l, const char *key, const char *name, bool is_number,
    double num, const char *str, bool *fell_back)
{
	struct l10n_arg	a;

	memset(&a, 0, sizeof(a));
	a.name = name;
	a.is_number = is_number;
	a.num = num;
	a.str = str;
	return l10n_format(l, key, &a, 1, fell_back);
}

static void
check_fmt_num(struct l10n *l, const char *key, const char *name, double n,
    const char *expect)
{
	char	*s;
	bool	 fb = true;

	s = fmt1(l, key, name, true, n, NULL, &fb);
	assert_non_null(s);
	assert_string_equal(s, expect);
	assert_false(fb);
	free(s);
}

static void
check_fmt_str(struct l10n *l, const char *key, const char *name,
    const char *v, const char *expect)
{
	char	*s;

	s = fmt1(l, key, name, false, 0, v, NULL);
	assert_non_null(s);
	assert_string_equal(s, expect);
	free(s);
}

static void
test_dir(void **state)
{
	assert_string_equal(l10n_locale_dir("en"), "ltr");
	assert_string_equal(l10n_locale_dir("ur-PK"), "rtl");
	assert_string_equal(l10n_locale_dir("ps-AF"), "rtl");
	assert_string_equal(l10n_locale_dir("fa-AF"), "rtl");
	assert_string_equal(l10n_locale_dir("ar-IQ"), "rtl");
	assert_string_equal(l10n_locale_dir("bn-BD"), "ltr");
	assert_string_equal(l10n_locale_dir("ur"), "rtl");
	assert_string_equal(l10n_locale_dir("fa_AF"), "rtl");
	assert_string_equal(l10n_locale_dir(""), "ltr");
}

static void
test_name(void **state)
{
	check_name("en", "English");
	check_name("ur-PK", "اردو");
	check_name("ps-AF", "پښتو");
	check_name("fa-AF", "دری");
	check_name("fa", "فارسی");
	check_name("ar-IQ", "العربية");
	check_name("bn-BD", "বাংলা");
	/* ICU capitalises Spanish for menus itself, not Serbian. */
	check_name("es", "Español");
	/* CLDR's dialect names win over "language (Country)". */
	check_name("es-MX", "Español de México");
	check_name("sr-Latn", "Srpski");
	check_name("zh-Hant-TW", "繁體中文");
	/* CLDR has no Kwasio name for Kwasio: the English one. */
	check_name("nmg", "Kwasio");
	assert_null(l10n_locale_name("xx"));
	assert_null(l10n_locale_name(""));
}

static void
test_known(void **state)
{
	struct l10n_opts	o;

	assert_true(l10n_locale_known("en"));
	assert_true(l10n_locale_known("ur-PK"));
	assert_true(l10n_locale_known("ps-AF"));
	assert_true(l10n_locale_known("fa-AF"));
	assert_true(l10n_locale_known("ar-IQ"));
	assert_true(l10n_locale_known("bn-BD"));
	assert_false(l10n_locale_known("xx"));
	assert_false(l10n_locale_known("xx-PK"));
	assert_false(l10n_locale_known(""));
	assert_true(l10n_numbers_known("arabext"));
	assert_true(l10n_numbers_known("beng"));
	assert_false(l10n_numbers_known("klingon"));
	assert_true(l10n_calendar_known("persian"));
	assert_true(l10n_calendar_known("gregorian"));
	assert_true(l10n_calendar_known("gregory"));
	assert_false(l10n_calendar_known("lunar"));

	memset(&o, 0, sizeof(o));
	o.locale = "xx";
	assert_null(l10n_new(&o));
	o.locale = "ur-PK";
	o.numbers = "klingon";
	assert_null(l10n_new(&o));
	o.numbers = NULL;
	o.calendar = "lunar";
	assert_null(l10n_new(&o));
}

static void
test_dates(void **state)
{
	struct l10n	*l;

	l = open_l10n("en", NULL, NULL);
	check_date(l, FEB1, "full", "Thursday, February 1, 2024");
	check_date(l, FEB1, "long", "February 1, 2024");
	check_date(l, FEB1, "medium", "Feb 1, 2024");
	check_date(l, FEB1, "short", "2/1/24");
	check_date(l, FEB1, "yyyy-MM-dd", "2024-02-01");
	/* The second call comes from the cache. */
	check_date(l, FEB1, "long", "February 1, 2024");
	/* UTC, whatever the time zone: 23:59 is still the 1st. */
	check_date(l, FEB1 + 86399, "long", "February 1, 2024");
	check_date(l, FEB1 + 86399, "HH:mm", "23:59");
	l10n_free(l);

	/* Urdu: Gregorian with Latin digits (CLDR's default for ur-PK). */
	l = open_l10n("ur-PK", NULL, NULL);
	check_date(l, FEB1, "long", "1 فروری، 2024");
	check_date(l, FEB1, "medium", "1 فروری، 2024");
	check_date(l, FEB1, "short", "1/2/24");
	l10n_free(l);

	/* Dari: Solar Hijri, Persian digits, Afghan month names. */
	l = open_l10n("fa-AF", NULL, NULL);
	check_date(l, FEB1, "long", "۱۲ دلو ۱۴۰۲");
	check_date(l, FEB1, "medium", "۱۲ بهمن ۱۴۰۲");
	check_date(l, FEB1, "short", "۱۴۰۲/۱۱/۱۲");
	l10n_free(l);

	l = open_l10n("ar-IQ", NULL, NULL);
	check_date(l, FEB1, "long", "١ شباط ٢٠٢٤");
	check_date(l, FEB1, "medium", "٠١\u200f/٠٢\u200f/٢٠٢٤");
	check_date(l, FEB1, "short", "١\u200f/٢\u200f/٢٠٢٤");
	l10n_free(l);

	l = open_l10n("bn-BD", NULL, NULL);
	check_date(l, FEB1, "long", "১ ফেব্রুয়ারী, ২০২৪");
	check_date(l, FEB1, "medium", "১ ফেব, ২০২৪");
	check_date(l, FEB1, "short", "১/২/২৪");
	l10n_free(l);

	/* Pashto: ICU 72 writes the era "AP" in Latin letters. */
	l = open_l10n("ps-AF", NULL, NULL);
	check_date(l, FEB1, "long", "د AP ۱۴۰۲ د سلواغه ۱۲");
	check_date(l, FEB1, "medium", "AP ۱۴۰۲ سلواغه ۱۲");
	check_date(l, FEB1, "short", "AP ۱۴۰۲/۱۱/۱۲");
	l10n_free(l);
}

static void
test_date_overrides(void **state)
{
	static const char *const styles[] = { "long", "card" };
	static const char *const patterns[] = { "d MMMM y", "d MMM" };
	struct l10n_opts	 o;
	struct l10n		*l;
	char			*s;
	size_t			 i;

	memset(&o, 0, sizeof(o));
	o.locale = "ps-AF";
	o.pattern_styles = styles;
	o.patterns = patterns;
	o.npatterns = 2;
	l = l10n_new(&o);
	assert_non_null(l);
	s = l10n_date(l, FEB1, "long");
	assert_non_null(s);
	assert_string_equal(s, "۱۲ سلواغه ۱۴۰۲");
	for (i = 0; s[i] != '\0'; i++)
		assert_false((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z'));
	free(s);
	/* Other styles keep ICU's pattern; a site may name its own. */
	check_date(l, FEB1, "medium", "AP ۱۴۰۲ سلواغه ۱۲");
	check_date(l, FEB1, "card", "۱۲ سلواغه");
	l10n_free(l);

	/* Calendar and digits overrides. */
	l = open_l10n("ps-AF", NULL, "gregorian");
	check_date(l, FEB1, "d MMMM y", "۱ فبروري ۲۰۲۴");
	l10n_free(l);
	l = open_l10n("fa-AF", "latn", "gregory");
	check_date(l, FEB1, "long", "1 فبروری 2024");
	l10n_free(l);
	l = open_l10n("ar-IQ", "latn", NULL);
	check_date(l, FEB1, "long", "1 شباط 2024");
	l10n_free(l);
	l = open_l10n("ur-PK", "arabext", NULL);
	check_date(l, FEB1, "long", "۱ فروری، ۲۰۲۴");
	l10n_free(l);
	l = open_l10n("en", "beng", "persian");
	check_date(l, FEB1, "long", "Bahman ১২, ১৪০২ AP");
	l10n_free(l);
}

static void
test_numbers(void **state)
{
	static const struct {
		const char	*locale;
		const char	*dec, *integer, *percent;
	} cases[] = {
		{ "en", "1,234.5", "1,235", "25%" },
		{ "ur-PK", "1,234.5", "1,235", "25%" },
		{ "ps-AF", "۱٬۲۳۴٫۵", "۱٬۲۳۵", "۲۵٪" },
		{ "fa-AF", "۱٬۲۳۴٫۵", "۱٬۲۳۵", "۲۵٪" },
		{ "ar-IQ", "١٬٢٣٤٫٥", "١٬٢٣٥", "٢٥٪؜" },
		{ "bn-BD", "১,২৩৪.৫", "১,২৩৫", "২৫%" },
	};
	struct l10n	*l;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++) {
		l = open_l10n(cases[i].locale, NULL, NULL);
		check_number(l, 1234.5, NULL, cases[i].dec);
		check_number(l, 1234.5, "integer", cases[i].integer);
		check_number(l, 0.25, "percent", cases[i].percent);
		l10n_free(l);
	}
	l = open_l10n("en", NULL, NULL);
	check_number(l, 2.5, "integer", "3");
	check_number(l, 1234.5, "#,##0.00", "1,234.50");
	check_number(l, -7, NULL, "-7");
	assert_null(l10n_number(l, 1, "#.#.#"));
	assert_non_null(l10n_error(l));
	check_number(l, 1, NULL, "1");
	assert_null(l10n_error(l));
	l10n_free(l);
	l = open_l10n("ar-IQ", "latn", NULL);
	check_number(l, 1234.5, NULL, "1,234.5");
	l10n_free(l);
}

static void
test_collate(void **state)
{
	struct l10n	*l;

	l = open_l10n("en", NULL, NULL);
	/* Bytes would put "B" first. */
	assert_true(l10n_collate(l, "apple", "Banana") < 0);
	assert_true(l10n_collate(l, "éclair", "fig") < 0);
	assert_true(l10n_collate(l, "fig", "éclair") > 0);
	assert_int_equal(l10n_collate(l, "same", "same"), 0);
	l10n_free(l);

	/* Urdu: ب before پ before ت, whatever their code points. */
	l = open_l10n("ur-PK", NULL, NULL);
	assert_true(l10n_collate(l, "پانی", "تارا") < 0);
	assert_true(l10n_collate(l, "بات", "پانی") < 0);
	l10n_free(l);

	/* Bengali: vowels before consonants. */
	l = open_l10n("bn-BD", NULL, NULL);
	assert_true(l10n_collate(l, "আম", "কলা") < 0);
	l10n_free(l);
}

static void
test_messages(void **state)
{
	struct l10n	*en, *ar;
	struct l10n_arg	 args[2];
	char		*s;
	bool		 fb;

	en = open_l10n("en", NULL, NULL);
	ar = open_l10n("ar-IQ", NULL, NULL);
	diag_reset();
	assert_int_equal(l10n_add_message(en, "handouts",
	    "{count, plural, one {# handout} other {# handouts}}",
	    "locales/en.yaml", 2, 11), 0);
	assert_int_equal(l10n_add_message(en, "for",
	    "{audience, select, journalists {For the press} "
	    "other {For everyone}}", "locales/en.yaml", 3, 6), 0);
	assert_int_equal(l10n_add_message(en, "updated",
	    "Updated {date, date, long} by {name}", "locales/en.yaml", 4, 10),
	    0);
	assert_int_equal(l10n_add_message(en, "total", "Total: {n, number}",
	    "locales/en.yaml", 5, 8), 0);
	assert_int_equal(l10n_add_message(ar, "handouts",
	    "{count, plural, zero {لا كتيبات} one {كتيب واحد} two {كتيبان} "
	    "few {# كتيبات} many {# كتيبًا} other {# كتيب}}",
	    "locales/ar.yaml", 2, 11), 0);
	assert_int_equal(diag_count(DIAG_ERROR), 0);
	assert_true(l10n_has_message(en, "handouts"));
	assert_false(l10n_has_message(en, "nothing"));
	assert_false(l10n_has_message(ar, "for"));

	check_fmt_num(en, "handouts", "count", 0, "0 handouts");
	check_fmt_num(en, "handouts", "count", 1, "1 handout");
	check_fmt_num(en, "handouts", "count", 2, "2 handouts");
	check_fmt_num(en, "handouts", "count", 1234, "1,234 handouts");
	/* A numeric string (an XPath attribute) still picks the plural. */
	check_fmt_str(en, "handouts", "count", "1", "1 handout");
	check_fmt_str(en, "handouts", "count", " 7 ", "7 handouts");

	/* Arabic's six plural forms, in Arabic-Indic digits. */
	check_fmt_num(ar, "handouts", "count", 0, "لا كتيبات");
	check_fmt_num(ar, "handouts", "count", 1, "كتيب واحد");
	check_fmt_num(ar, "handouts", "count", 2, "كتيبان");
	check_fmt_num(ar, "handouts", "count", 3, "٣ كتيبات");
	check_fmt_num(ar, "handouts", "count", 11, "١١ كتيبًا");
	check_fmt_num(ar, "handouts", "count", 100, "١٠٠ كتيب");

	check_fmt_str(en, "for", "audience", "journalists", "For the press");
	check_fmt_str(en, "for", "audience", "schools", "For everyone");
	check_fmt_num(en, "for", "audience", 3, "For everyone");

	/* Dates in messages are epoch seconds, in UTC. */
	memset(args, 0, sizeof(args));
	args[0].name = "name";
	args[0].str = "Amina";
	args[1].name = "date";
	args[1].is_number = true;
	args[1].num = (double)(FEB1 + 86399);
	s = l10n_format(en, "updated", args, 2, &fb);
	assert_non_null(s);
	assert_string_equal(s, "Updated February 1, 2024 by Amina");
	assert_false(fb);
	free(s);
	/* A missing argument shows its name; nothing crashes. */
	s = l10n_format(en, "updated", args, 1, NULL);
	assert_non_null(s);
	assert_string_equal(s, "Updated {date} by Amina");
	free(s);

	/* Fallback: the default language's message, in its locale. */
	l10n_set_fallback(ar, en);
	fb = false;
	s = fmt1(ar, "total", "n", true, 1234.5, NULL, &fb);
	assert_non_null(s);
	assert_string_equal(s, "Total: 1,234.5");
	assert_true(fb);
	free(s);
	fb = true;
	s = fmt1(ar, "handouts", "count", true, 3, NULL, &fb);
	assert_non_null(s);
	assert_string_equal(s, "٣ كتيبات");
	assert_false(fb);
	free(s);
	fb = true;
	assert_null(fmt1(ar, "nothing", "n", true, 1, NULL, &fb));
	assert_false(fb);
	assert_null(l10n_error(ar));

	/* A word where a plural wants a number: NULL and a reason. */
	assert_null(fmt1(en, "handouts", "count", false, 0, "many", NULL));
	assert_non_null(l10n_error(en));

	/* A later add replaces the earlier (site over theme), also where
	 * the result was kept. */
	check_fmt_num(en, "total", "n", 5, "Total: 5");
	check_fmt_num(en, "total", "n", 5, "Total: 5");
	assert_int_equal(l10n_add_message(en, "total", "Sum {n}",
	    "site/locales/en.yaml", 1, 8), 0);
	check_fmt_num(en, "total", "n", 5, "Sum 5");

	/* Kept results tell a number from a word, and a fallback. */
	check_fmt_str(en, "for", "audience", "journalists", "For the press");
	check_fmt_str(en, "for", "audience", "journalists", "For the press");
	check_fmt_str(en, "for", "audience", "journalists\x1fx",
	    "For everyone");
	fb = false;
	s = fmt1(ar, "total", "n", true, 7, NULL, &fb);
	assert_string_equal(s, "Sum 7");
	assert_true(fb);
	free(s);
	fb = false;
	s = fmt1(ar, "total", "n", true, 7, NULL, &fb);
	assert_string_equal(s, "Sum 7");
	assert_true(fb);
	free(s);
	l10n_set_fallback(ar, NULL);
	assert_null(fmt1(ar, "total", "n", true, 7, NULL, &fb));

	l10n_free(ar);
	l10n_free(en);
}

/* Many messages: the table grows and keeps every key. */
static void
test_many_messages(void **state)
{
	struct l10n	*l;
	char		 key[32], want[32], *s;
	int		 i;

	l = open_l10n("en", NULL, NULL);
	for (i = 0; i < 500; i++) {
		snprintf(key, sizeof(key), "key-%d", i);
		snprintf(want, sizeof(want), "value %d", i);
		assert_int_equal(l10n_add_message(l, key, want, "x.yaml",
		    i + 1, 1), 0);
	}
	for (i = 0; i < 500; i++) {
		snprintf(key, sizeof(key), "key-%d", i);
		snprintf(want, sizeof(want), "value %d", i);
		s = l10n_format(l, key, NULL, 0, NULL);
		assert_non_null(s);
		assert_string_equal(s, want);
		free(s);
	}
	l10n_free(l);
}

static void
test_malformed(void **state)
{
	struct l10n	*l;

	l = open_l10n("en", NULL, NULL);
	diag_reset();
	assert_int_equal(l10n_add_message(l, "count",
	    "{count, plural, one {# handout}}", "en.yaml", 3, 8), -1);
	/* ICU's own offset: a syntax error at "foo}". */
	assert_int_equal(l10n_add_message(l, "syntax",
	    "ab {x, plural, other {a} foo}", "en.yaml", 4, 9), -1);
	/* Columns in bytes: "نام " is 7 bytes, the '{' is column 10+7. */
	assert_int_equal(l10n_add_message(l, "brace", "نام {نام", "ur.yaml",
	    5, 10), -1);
	/* Past a newline: the next line, the byte offset in it. */
	assert_int_equal(l10n_add_message(l, "lines",
	    "first line\nبخیر {x, nmber}", "fa.yaml", 6, 5), -1);
	assert_int_equal(l10n_add_message(l, "style",
	    "It's {x, number, #.#.#}", "en.yaml", 7, 9), -1);
	assert_int_equal(l10n_add_message(l, "nested",
	    "{a, select, x {b {c} other {d}}", "en.yaml", 8, 1), -1);
	assert_int_equal(diag_count(DIAG_ERROR), 6);
	assert_false(l10n_has_message(l, "count"));
	assert_diags(
	    "en.yaml:3:8: error: malformed message 'count': "
	    "no 'other' case in 'count'\n"
	    "en.yaml:4:34: error: malformed message 'syntax': syntax error\n"
	    "en.yaml:7:26: error: malformed message 'style': "
	    "bad number style in 'x'\n"
	    "en.yaml:8:13: error: malformed message 'nested': "
	    "syntax error\n"
	    "fa.yaml:7:18: error: malformed message 'lines': "
	    "unknown type 'nmber' of 'x'\n"
	    "ur.yaml:5:17: error: malformed message 'brace': "
	    "unclosed '{'\n");

	/* A failed add keeps the earlier message of that key. */
	assert_int_equal(l10n_add_message(l, "k", "good", "a.yaml", 1, 1), 0);
	assert_int_equal(l10n_add_message(l, "k", "{bad", "b.yaml", 1, 1), -1);
	check_fmt_num(l, "k", "n", 1, "good");
	diag_reset();
	l10n_free(l);
}

static void
test_nfc(void **state)
{
	static const char composed_e[] = "caf\xc3\xa9";		/* é */
	static const char decomposed_e[] = "cafe\xcc\x81";	/* e + U+0301 */
	/* Bengali o-kar: U+09C7 U+09BE composes to U+09CB. */
	static const char bn_dec[] = "\xe0\xa6\x95\xe0\xa7\x87\xe0\xa6\xbe";
	static const char bn_nfc[] = "\xe0\xa6\x95\xe0\xa7\x8b";
	/* Urdu: heh goal U+06C1 + hamza above U+0654 is U+06C2. */
	static const char ur_dec[] = "\xdb\x81\xd9\x94";
	static const char ur_nfc[] = "\xdb\x82";
	struct buf	 b;
	char		*s;
	int		 i;

	assert_true(l10n_is_nfc("", 0));
	assert_true(l10n_is_nfc("plain ascii", 11));
	assert_true(l10n_is_nfc(composed_e, strlen(composed_e)));
	assert_false(l10n_is_nfc(decomposed_e, strlen(decomposed_e)));
	assert_true(l10n_is_nfc(bn_nfc, strlen(bn_nfc)));
	assert_false(l10n_is_nfc(bn_dec, strlen(bn_dec)));
	assert_true(l10n_is_nfc("محفوظ ہجرت", strlen("محفوظ ہجرت")));
	assert_true(l10n_is_nfc("নিরাপদ অভিবাসন",
	    strlen("নিরাপদ অভিবাসন")));
	assert_false(l10n_is_nfc(ur_dec, strlen(ur_dec)));

	s = l10n_nfc(decomposed_e, strlen(decomposed_e));
	assert_string_equal(s, composed_e);
	free(s);
	s = l10n_nfc(bn_dec, strlen(bn_dec));
	assert_string_equal(s, bn_nfc);
	free(s);
	s = l10n_nfc(ur_dec, strlen(ur_dec));
	assert_string_equal(s, ur_nfc);
	free(s);
	/* Only len bytes are read. */
	s = l10n_nfc("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);

	/* Invalid bytes stay as they are; text around them is normalised. */
	s = l10n_nfc("\xff" "e\xcc\x81" "\xc3", 5);
	assert_memory_equal(s, "\xff\xc3\xa9\xc3", 5);
	assert_int_equal(s[4], '\0');
	free(s);
	assert_true(l10n_is_nfc("\xff\xfe" "abc", 5));

	/* Long text: the decomposed letter sits past several segments. */
	buf_init(&b);
	for (i = 0; i < 300; i++)
		buf_adds(&b, "اردو ");
	buf_adds(&b, decomposed_e);
	assert_false(l10n_is_nfc(b.data, b.len));
	s = l10n_nfc(b.data, b.len);
	assert_true(l10n_is_nfc(s, strlen(s)));
	assert_int_equal(strlen(s), b.len - 1);
	assert_true(has_suffix(s, composed_e));
	free(s);
	buf_release(&b);

	/* Marks without a boundary for longer than a segment. */
	buf_init(&b);
	buf_adds(&b, "a");
	for (i = 0; i < 400; i++)
		buf_adds(&b, "\xcc\x81");
	assert_true(l10n_is_nfc(b.data, b.len) == false);
	s = l10n_nfc(b.data, b.len);
	assert_true(l10n_is_nfc(s, strlen(s)));
	assert_memory_equal(s, "\xc3\xa1", 2);
	free(s);
	buf_release(&b);
}

static void
test_slug(void **state)
{
	check_slug("Safe migration", "safe-migration");
	check_slug("محفوظ ہجرت", "mhfwz-hjrt");
	check_slug("ٹھیک ہے", "thyk-he");
	check_slug("নিরাপদ অভিবাসন", "nirapada-abhibasana");
	check_slug("مهاجرت امن", "mhajrt-amn");
	check_slug("خوندي کډوال", "khwndy-kdwal");
	check_slug("الهجرة الآمنة", "alhjrt-alamnt");
	check_slug("Ça va — déjà vu!", "ca-va-deja-vu");
	check_slug("don't panic", "dont-panic");
	check_slug("  Hello,   World!! ", "hello-world");
	check_slug("Москва 2024", "moskva-2024");
	check_slug("", "");
	check_slug("---", "");
	check_slug("!!!", "");
}

/* Words as ICU's word breaks count them, fast path and dictionary path. */
static void
test_word_count(void **state)
{
	static const struct { const char *text; size_t n; } cases[] = {
		{ "Hello world, don't panic: 3.5 kg \u2014 1,000 people.", 8 },
		{ "اسمگلر اکثر ایسی نوکریوں کا وعدہ کرتے ہیں۔", 8 },
		{ "মানব পাচার একটি গুরুতর অপরাধ।", 5 },
		{ "می\u200cخواهد کار کند", 3 },
		{ "我们是学生", 3 },
		{ "", 0 },
		{ " -- | -- ", 0 },
	};
	struct l10n_opts	 o;
	struct l10n		*l;
	size_t			 i;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.locale = "en";
	l = l10n_new(&o);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(l10n_word_count(l, cases[i].text,
		    strlen(cases[i].text)), cases[i].n);
	l10n_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_word_count),
		cmocka_unit_test(test_dir),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_date_overrides),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_collate),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_many_messages),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_slug),
	};
	int	rc;

	/* Dates must not follow the builder's zone. */
	setenv("TZ", "Pacific/Kiritimati", 1);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	l10n_cleanup();
	return rc;
}
