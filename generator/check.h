/*
 * check.h: what awaaz finds wrong in content beyond what parsing finds,
 * and the "awaaz check" command.
 */
#ifndef AWAAZ_CHECK_H
#define AWAAZ_CHECK_H

struct site;

/*
 * Checks every page that is not a fallback: images without a
 * description (error), headings that skip a level, titles and summaries
 * that are missing or too long (warnings).  Links, anchors and images are
 * checked where the render pass resolves them.  Returns the number of
 * errors.
 */
int	check_site(const struct site *);

/* "awaaz check": a build that writes nothing.  Returns the exit status. */
int	cmd_check(int, char **);

#endif
