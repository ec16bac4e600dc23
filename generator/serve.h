/*
 * serve.h: "awaaz serve": a preview server that rebuilds on every change
 * and reloads the pages open in the browser.
 */
#ifndef AWAAZ_SERVE_H
#define AWAAZ_SERVE_H

/* The command's entry point: returns the exit status. */
int	cmd_serve(int, char **);

#endif
