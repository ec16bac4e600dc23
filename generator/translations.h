/*
 * translations.h: "awaaz translations": what is translated, missing and
 * outdated in each language, and recording that a translation is up to
 * date (--mark).
 */
#ifndef AWAAZ_TRANSLATIONS_H
#define AWAAZ_TRANSLATIONS_H

/* The command's entry point: returns the exit status. */
int	cmd_translations(int, char **);

#endif
