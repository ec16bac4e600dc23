/*
 * l10n_msg.h: the C face of l10n_msg.cc, private to the l10n module.
 *
 * ICU's C API (umsg_*) formats numbered arguments only; UI strings name
 * theirs ("{count, plural, ...}"), which needs icu::MessageFormat.  These
 * three functions are all l10n.c sees of it; a struct l10n_msg is one
 * compiled pattern in one locale.
 */
#ifndef AWAAZ_L10N_MSG_H
#define AWAAZ_L10N_MSG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct l10n_arg;
struct l10n_msg;

/*
 * Compiles the UTF-8 pattern s[0..len) for ICU locale ID locid.  On a
 * malformed pattern returns NULL with *offset the UTF-16 offset of the
 * error from the pattern's start (-1 when unknown) and a readable reason
 * in reason[0..size).  Free the result with l10n_msg_free.
 */
struct l10n_msg	*l10n_msg_new(const char *locid, const char *s, size_t len,
		    int32_t *offset, char *reason, size_t size);
void		 l10n_msg_free(struct l10n_msg *);

/*
 * Formats with named arguments.  A string given where the pattern wants
 * a number (plural, number) is read as one; a number given to a select
 * becomes its shortest text; numbers given to date and time arguments are
 * epoch seconds.  Returns a malloc'd UTF-8 string the caller frees, or
 * NULL with *reason set when ICU cannot format (a word given to a
 * plural).
 */
char		*l10n_msg_format(const struct l10n_msg *,
		    const struct l10n_arg *, size_t, const char **reason);

#ifdef __cplusplus
}
#endif

#endif
