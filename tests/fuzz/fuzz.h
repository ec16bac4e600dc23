/*
 * fuzz.h: what the libFuzzer targets in tests/fuzz/ share.
 *
 * Besides "no crash, no leak", every target checks the diagnostics its
 * input produced against the rules of STYLE.md: a position lies inside the
 * file it names (1-based line, byte column at most one past the end of its
 * line), and a message is one line of valid UTF-8 that starts lowercase
 * (or with a name in capitals, "XPath") and has no final period.  A
 * broken rule aborts, so libFuzzer keeps the input as a crash.  fuzz_end()
 * then forgets the diagnostics (diag_reset), so nothing is printed and
 * nothing accumulates from one input to the next.
 *
 * Each oracle has a name (the diagnostic rules are "diag-text", one line
 * of UTF-8; "diag-case", lowercase without a period; "diag-pos", inside
 * the file; or "diag" for the three); FUZZ_SKIP in the environment,
 * "diag-case,scheme" or "all", turns the ones it names off, to keep
 * fuzzing past a known finding.  The sanitizers always run.
 */
#ifndef AWAAZ_FUZZ_H
#define AWAAZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

/* A file diagnostics may name: its text starts after line0 lines. */
struct fuzz_file {
	const char	*path;
	const char	*text;
	size_t		 len;
	int		 line0;
	/* Bytes before the text on its first line, and on the others. */
	int		 indent0, indent;
};

/*
 * Whether the oracle named name is on: FUZZ_SKIP in the environment lists
 * oracles to leave out, separated by commas, or "all".
 */
static inline bool
fuzz_oracle(const char *name)
{
	const char	*v, *p;
	size_t		 n = strlen(name);

	if ((v = getenv("FUZZ_SKIP")) == NULL)
		return true;
	if (strcmp(v, "all") == 0)
		return false;
	for (p = v; (p = strstr(p, name)) != NULL; p += n)
		if ((p == v || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return false;
	return true;
}

/* Whether any oracle runs at all. */
static inline bool
fuzz_oracles(void)
{
	return fuzz_oracle("all");
}

/* Prints why the input is wrong and aborts, so libFuzzer saves it. */
static inline void __attribute__((noreturn))
fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, detail);
	abort();
}

/*
 * Length in bytes of line n (1-based, counted from the file's first line)
 * of f, indent included, or -1 when the text has no such line.
 */
static inline long
fuzz_line_len(const struct fuzz_file *f, int n)
{
	const char	*p = f->text, *end = f->text + f->len, *nl;
	int		 i;

	if (n <= f->line0)
		return -1;
	for (i = f->line0 + 1; i < n; i++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return -1;
		p = nl + 1;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	return (nl != NULL ? nl - p : end - p) +
	    (n == f->line0 + 1 ? f->indent0 : f->indent);
}

/* One collected diagnostic, as diag_dump writes it. */
static inline void
fuzz_check_diag(const struct fuzz_file *files, size_t nfiles, int level,
    int line, int col, const char *path, const char *text)
{
	const struct fuzz_file	*f = NULL;
	const unsigned char	*s;
	char			 where[512];
	size_t			 i, n, bad;
	long			 len;

	snprintf(where, sizeof(where), "%s:%d:%d: %s: %s",
	    *path ? path : "awaaz", line, col,
	    level == DIAG_ERROR ? "error" : level == DIAG_WARNING ?
	    "warning" : "note", text);
	n = strlen(text);
	if (fuzz_oracle("diag-text")) {
		if (!utf8_valid(text, n, &bad))
			fuzz_fail("message is not valid UTF-8", where);
		for (s = (const unsigned char *)text; *s != '\0'; s++)
			if (*s < 0x20 || *s == 0x7f)
				fuzz_fail("control character in message",
				    where);
	}
	/* Names in capitals ("XPath", "TOML") may start a message. */
	if (fuzz_oracle("diag-case") && (n == 0 || (text[0] >= 'A' &&
	    text[0] <= 'Z' && text[1] >= 'a' && text[1] <= 'z') ||
	    text[n - 1] == '.'))
		fuzz_fail("message not lowercase or ends in a period", where);
	for (i = 0; i < nfiles; i++)
		if (strcmp(files[i].path, path) == 0)
			f = &files[i];
	if (f == NULL || line == 0 || !fuzz_oracle("diag-pos"))
		return;
	if (line < 0 || col < 0 || (len = fuzz_line_len(f, line)) < 0)
		fuzz_fail("line outside the file", where);
	if (col > len + 1)
		fuzz_fail("column past the end of its line", where);
}

/* Checks every diagnostic collected so far. */
static inline void
fuzz_check_diags(const struct fuzz_file *files, size_t nfiles)
{
	struct buf	 b;
	const char	*p, *end, *path, *text;
	int		 level, line, col;

	if (!fuzz_oracle("diag"))
		return;
	buf_init(&b);
	diag_dump(&b);
	if (b.data == NULL)
		return;
	for (p = b.data, end = b.data + b.len; p < end; ) {
		if (sscanf(p, "%d %d %d", &level, &line, &col) != 3)
			fuzz_fail("diag_dump", "unreadable record");
		p += strlen(p) + 1;
		path = p;
		p += strlen(p) + 1;
		text = p;
		p += strlen(p) + 1;
		fuzz_check_diag(files, nfiles, level, line, col, path, text);
	}
	buf_release(&b);
}

/* Forgets this input's diagnostics: nothing is printed. */
static inline void
fuzz_end(void)
{
	diag_reset();
}

/* A NUL-terminated, malloc'd copy of the input; the caller frees it. */
static inline char *
fuzz_strndup(const unsigned char *data, size_t size)
{
	char	*s;

	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
