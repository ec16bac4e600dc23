/*
 * build.h: "awaaz build": the whole pipeline, load to swap.
 */
#ifndef AWAAZ_BUILD_H
#define AWAAZ_BUILD_H

#include <stdbool.h>
#include <stdio.h>

struct build_opts {
	const char	*root;		/* site folder ("." by default) */
	const char	*out;		/* output folder; NULL: root/public */
	const char	*base_url;	/* NULL: site.yaml's base_url */
	bool		 drafts;
	bool		 no_pdf;
	int		 jobs;		/* workers; 0: one per core */
	int		 verbosity;	/* -1 quiet, 0 normal, 1 verbose */
	FILE		*diag_out;	/* diagnostics and summary; NULL:
					   stderr */
	bool		 check;		/* render everything, write nothing
					   ("awaaz check") */
};

/*
 * Runs a build; returns the exit status (0 ok, 1 content errors).  The
 * process is to exit after it: the site's memory is left to the system.
 */
int	build_run(const struct build_opts *);

/*
 * For commands that read a site without writing output: loads site.yaml
 * and the languages, scans the content and makes the site graph (from
 * inside the site folder: paths are relative to it).  NULL after
 * reporting the problems.  Free with build_close.
 */
struct build;
struct site;
struct build		*build_open(const struct build_opts *);
const struct site	*build_site(const struct build *);
void			 build_close(struct build *);

/* Folders searched for themes after the site's own themes/: the source
 * tree's (beside the executable) and the installed one.  NULL-ended. */
const char *const *build_theme_dirs(void);

#endif
