/*
 * diag.h: diagnostics, collected and printed sorted.
 *
 * Every problem becomes "path:line:col: error: message" (or warning, note).
 * Messages are kept until diag_flush, which prints them sorted by path,
 * line, column and text, so the output does not depend on the order in
 * which workers found them.  A worker process serialises its diagnostics
 * with diag_dump and the parent takes them back with diag_load.
 *
 * line 0 means "no position" (prints "path: error: ..."), col 0 prints
 * "path:line: error: ...", a NULL path prints "awaaz: error: ...".
 */
#ifndef AWAAZ_DIAG_H
#define AWAAZ_DIAG_H

#include <stdio.h>

#include "util.h"

enum diag_level {
	DIAG_NOTE,
	DIAG_WARNING,
	DIAG_ERROR,
};

void	diag(enum diag_level, const char *path, int line, int col,
	    const char *fmt, ...) PRINTF_LIKE(5, 6);
void	vdiag(enum diag_level, const char *path, int line, int col,
	    const char *fmt, va_list);
#define diag_error(p, l, c, ...)	diag(DIAG_ERROR, p, l, c, __VA_ARGS__)
#define diag_warning(p, l, c, ...)	diag(DIAG_WARNING, p, l, c, __VA_ARGS__)
#define diag_note(p, l, c, ...)		diag(DIAG_NOTE, p, l, c, __VA_ARGS__)

/*
 * Puts a library's message in our style, in place: its first line only,
 * control bytes as '?', no trailing space or period, and a lowercase
 * first letter unless the first word is an acronym.
 */
void	diag_tidy(char *);

/* Whether fp is a terminal that wants colour (NO_COLOR unset). */
bool	diag_colour(FILE *);

/* Number of diagnostics of a level collected since the last diag_reset. */
int	diag_count(enum diag_level);
/* Least level printed by diag_flush (DIAG_NOTE by default). */
void	diag_set_min_level(enum diag_level);
/* Prints what was collected, sorted, and forgets it; counts stay. */
void	diag_flush(FILE *);
/* Forgets everything, counts included. */
void	diag_reset(void);
/* Serialise the collected diagnostics to a buffer, or add them back. */
void	diag_dump(struct buf *);
int	diag_load(const char *, size_t);

#endif
