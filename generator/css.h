/*
 * css.h: the theme's stylesheets, made small for the wire.
 *
 * Readers on slow, paid mobile data pay for every byte of CSS on every
 * first visit, and theme authors deserve comments and indentation in
 * what they edit.  css_minify keeps the meaning and drops the rest:
 * comments, and whitespace where CSS never needs it.
 */
#ifndef AWAAZ_CSS_H
#define AWAAZ_CSS_H

#include <stddef.h>

struct buf;

/*
 * Appends css[0..len) to out without comments (but for licence comments,
 * whose text starts with '!') and with whitespace cut to one space, and
 * to none around '{', '}', ';', ',' and '>' and after ':'; the ';' before
 * '}' goes too.  Strings, unquoted url(...) and the spaces calc() needs
 * are kept as they are.  An unclosed comment or string ends the input as
 * it is.
 */
void	css_minify(const char *css, size_t len, struct buf *out);

#endif
