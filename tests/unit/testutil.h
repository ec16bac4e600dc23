/*
 * testutil.h: helpers shared by the unit tests (include after cmocka.h
 * and diag.h).
 */
#ifndef AWAAZ_TESTUTIL_H
#define AWAAZ_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>

/* What diag_flush prints, as a string the caller frees. */
static inline char *
flushed(void)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*fp;

	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	diag_flush(fp);
	fclose(fp);
	return text;
}

/* The diagnostics collected so far are exactly expect. */
static inline void
assert_diags(const char *expect)
{
	char	*got = flushed();

	assert_string_equal(got, expect);
	free(got);
}

#endif
