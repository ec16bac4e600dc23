/*
 * diag.c: collects diagnostics and prints them sorted by position, so that
 * a build reports every problem it found, in the same order whatever the
 * number of workers.  Counts survive diag_flush so the caller can decide
 * the exit status after printing.  Diagnostics may come from several
 * threads at once (the scan pass); printing happens on one.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

struct msg {
	enum diag_level	 level;
	char		*path;
	int		 line;
	int		 col;
	char		*text;
	size_t		 seq;
};

static struct msg	*msgs;
static size_t		 nmsgs, capmsgs, seq;
/* What has been said, so a finding made twice (by two workers, or on a
 * page and its fallbacks) is collected and counted once. */
static struct strmap	 said;
static int		 counts[3];
static enum diag_level	 min_level = DIAG_NOTE;
static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;

static void
add(enum diag_level level, const char *path, int line, int col, char *text)
{
	struct msg	*m;
	char		*key;

	key = xasprintf("%d|%s|%d|%d|%s", (int)level, path ? path : "", line,
	    col, text);
	pthread_mutex_lock(&lock);
	if (strmap_get(&said, key) != NULL) {
		pthread_mutex_unlock(&lock);
		free(key);
		free(text);
		return;
	}
	strmap_put(&said, key, key);
	if (nmsgs == capmsgs) {
		capmsgs = capmsgs ? capmsgs * 2 : 16;
		msgs = xreallocarray(msgs, capmsgs, sizeof(*msgs));
	}
	m = &msgs[nmsgs++];
	m->level = level;
	m->path = path == NULL ? NULL : xstrdup(path);
	m->line = line < 0 ? 0 : line;
	m->col = col < 0 ? 0 : col;
	m->text = text;
	m->seq = seq++;
	counts[level]++;
	pthread_mutex_unlock(&lock);
}

void
vdiag(enum diag_level level, const char *path, int line, int col,
    const char *fmt, va_list ap)
{
	char	*text;

	if (vasprintf(&text, fmt, ap) < 0)
		text = xstrdup(fmt);
	add(level, path, line, col, text);
}

void
diag(enum diag_level level, const char *path, int line, int col,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vdiag(level, path, line, col, fmt, ap);
	va_end(ap);
}

int
diag_count(enum diag_level level)
{
	return counts[level];
}

void
diag_set_min_level(enum diag_level level)
{
	min_level = level;
}

/* Diagnostics without a path come first, then by path, line, column. */
static int
cmp(const void *a, const void *b)
{
	const struct msg	*x = a, *y = b;
	int			 c;

	if (x->path == NULL || y->path == NULL) {
		if (x->path != y->path)
			return x->path == NULL ? -1 : 1;
	} else if ((c = strcmp(x->path, y->path)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	return strcmp(x->text, y->text);
}

static void
clear(void)
{
	size_t	i;

	for (i = 0; i < nmsgs; i++) {
		free(msgs[i].path);
		free(msgs[i].text);
	}
	nmsgs = 0;
}

static void
forget(void)
{
	size_t	i;

	for (i = 0; i < said.cap; i++)
		free((char *)said.v[i].key);
	strmap_release(&said);
}

static const char *const level_names[] = { "note", "warning", "error" };
/* As gcc colours them: on a terminal only, and never with NO_COLOR. */
static const char *const level_colours[] = {
	"\033[1;36m", "\033[1;35m", "\033[1;31m",
};

bool
diag_colour(FILE *fp)
{
	const char	*nc = getenv("NO_COLOR");
	int		 fd = fp == NULL ? -1 : fileno(fp);

	return fd >= 0 && isatty(fd) && (nc == NULL || *nc == '\0');
}

void
diag_flush(FILE *fp)
{
	struct msg	*m;
	size_t		 i;
	bool		 colour = diag_colour(fp);

	if (nmsgs > 0)
		qsort(msgs, nmsgs, sizeof(*msgs), cmp);
	for (i = 0; i < nmsgs; i++) {
		m = &msgs[i];
		if (m->level < min_level)
			continue;
		if (m->path == NULL)
			fputs("awaaz", fp);
		else if (m->line == 0)
			fputs(m->path, fp);
		else if (m->col == 0)
			fprintf(fp, "%s:%d", m->path, m->line);
		else
			fprintf(fp, "%s:%d:%d", m->path, m->line, m->col);
		if (colour)
			fprintf(fp, ": %s%s:\033[0m %s\n",
			    level_colours[m->level], level_names[m->level],
			    m->text);
		else
			fprintf(fp, ": %s: %s\n", level_names[m->level],
			    m->text);
	}
	fflush(fp);
	clear();
	forget();
}

void
diag_reset(void)
{
	clear();
	forget();
	memset(counts, 0, sizeof(counts));
}

/*
 * The dump format is one record per diagnostic: level, line, column, then
 * path and text, each NUL-terminated; an empty path stands for NULL.
 */
void
diag_dump(struct buf *b)
{
	struct msg	*m;
	size_t		 i;

	for (i = 0; i < nmsgs; i++) {
		m = &msgs[i];
		buf_printf(b, "%d %d %d", (int)m->level, m->line, m->col);
		buf_addc(b, '\0');
		buf_add(b, m->path ? m->path : "", m->path ?
		    strlen(m->path) + 1 : 1);
		buf_add(b, m->text, strlen(m->text) + 1);
	}
}

int
diag_load(const char *p, size_t len)
{
	const char	*end = p + len, *path, *text;
	int		 level, line, col;

	while (p < end) {
		if (sscanf(p, "%d %d %d", &level, &line, &col) != 3 ||
		    level < DIAG_NOTE || level > DIAG_ERROR)
			return -1;
		p += strlen(p) + 1;
		if (p >= end)
			return -1;
		path = p;
		p += strlen(p) + 1;
		if (p >= end)
			return -1;
		text = p;
		p += strlen(p) + 1;
		add((enum diag_level)level, *path ? path : NULL, line, col,
		    xstrdup(text));
	}
	return 0;
}

void
diag_tidy(char *msg)
{
	unsigned char	*s = (unsigned char *)msg;
	size_t		 n;

	msg[strcspn(msg, "\n")] = '\0';
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s == 0x7f)
			*s = '?';
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == ' ' || msg[n - 1] == '.'))
		msg[--n] = '\0';
	if (msg[0] >= 'A' && msg[0] <= 'Z' &&
	    !(msg[1] >= 'A' && msg[1] <= 'Z'))
		msg[0] += 'a' - 'A';
}
