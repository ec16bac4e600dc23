/*
 * new.h: "awaaz new": starts a page with complete front matter.
 */
#ifndef AWAAZ_NEW_H
#define AWAAZ_NEW_H

/* The command's entry point: returns the exit status. */
int	cmd_new(int, char **);

#endif
