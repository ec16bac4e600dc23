/*
 * output.h: the output folder, replaced whole or not at all.
 *
 * A build writes into a staging folder beside the output ("public" gets
 * ".public.staging") and, only when it succeeded, swaps it in with one
 * rename(2) exchange, so a failed build leaves the previous site exactly
 * as it was.  awaaz refuses an output folder that is the site folder,
 * contains it, lies inside its sources, or is a non-empty folder it did
 * not make (it leaves the marker file OUTPUT_MARKER in folders it makes).
 */
#ifndef AWAAZ_OUTPUT_H
#define AWAAZ_OUTPUT_H

#include <stddef.h>

#define OUTPUT_MARKER	".awaaz-output"

struct output {
	char	*dir;		/* the output folder, absolute */
	char	*staging;	/* its staging sibling, absolute */
	char	*shown;		/* the folder as the user named it */
};

/*
 * Checks dir and makes a fresh staging folder; shown is how messages name
 * the folder.  0 or -1 (diagnosed).
 */
int	output_begin(struct output *, const char *root, const char *dir,
	    const char *shown);
/* Swaps the staging folder in.  0 or -1 (diagnosed). */
int	output_commit(struct output *);
/* Drops the staging folder; the output stays as it was. */
void	output_abort(struct output *);
void	output_release(struct output *);

/* Writes rel ("en/x/index.html") under the staging folder. 0 or -1. */
int	output_write(const struct output *, const char *rel, const void *,
	    size_t);
/* Copies a folder's files (recursively) to rel under staging. */
int	output_copy_tree(const struct output *, const char *from,
	    const char *rel);
/* Copies one file to rel under staging. */
int	output_copy_file(const struct output *, const char *from,
	    const char *rel);

#endif
