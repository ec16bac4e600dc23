/*
 * util.h: memory, arenas, growable buffers, files and paths.
 *
 * Out of memory is fatal: the x* wrappers print one line and exit(3), so
 * callers never test for NULL from them.  An arena owns everything allocated
 * from it and is freed whole; a build keeps its long-lived data (page index,
 * configuration) in one arena and per-page scratch in another.
 */
#ifndef AWAAZ_UTIL_H
#define AWAAZ_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
/*
 * Room for item n in array v of *cap items of size bytes: the array
 * doubles when full, so appending one at a time costs linear time.
 */
void	*xgrow(void *v, size_t n, size_t *cap, size_t size);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Returns a malloc'd string; the caller frees it. */
char	*xasprintf(const char *, ...) PRINTF_LIKE(1, 2);

/*
 * Arena: bump allocation in chunks.  Memory from an arena is freed only by
 * arena_free (or arena_reset, which keeps the first chunk for reuse).
 */
struct arena;
struct arena	*arena_new(void);
void		 arena_free(struct arena *);
void		 arena_reset(struct arena *);
/* Moves everything src holds into dst (src's memory stays put) and frees
 * src. */
void		 arena_adopt(struct arena *dst, struct arena *src);
void		*arena_alloc(struct arena *, size_t);	/* zeroed, aligned */
char		*arena_strdup(struct arena *, const char *);
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_printf(struct arena *, const char *, ...)
		    PRINTF_LIKE(2, 3);
/* Grows an arena array: returns a copy with room for n+1 items. */
void		*arena_grow(struct arena *, void *, size_t n, size_t size);

/* Growable byte buffer; data is always NUL-terminated once anything added. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};
void	buf_init(struct buf *);
void	buf_release(struct buf *);
void	buf_reset(struct buf *);
void	buf_grow(struct buf *, size_t);
void	buf_add(struct buf *, const void *, size_t);
void	buf_adds(struct buf *, const char *);
void	buf_addc(struct buf *, char);
void	buf_printf(struct buf *, const char *, ...) PRINTF_LIKE(2, 3);
/* Appends s with & < > (and " with quotes) as XML/HTML references. */
void	buf_add_escaped(struct buf *, const char *, bool quotes);
/* Hands the data to the caller (who frees it) and empties the buffer. */
char	*buf_detach(struct buf *, size_t *);

/*
 * String map: open addressing, FNV-1a.  Keys are not copied and must
 * outlive the map; values are the caller's.
 */
struct strmap_ent {
	const char	*key;
	void		*val;
};
struct strmap {
	struct strmap_ent *v;
	size_t		 cap;
	size_t		 n;
};
void	 strmap_init(struct strmap *);
void	 strmap_release(struct strmap *);
void	*strmap_get(const struct strmap *, const char *);
/* Sets key to val, replacing a value already there. */
void	 strmap_put(struct strmap *, const char *, void *);

/*
 * Files.  file_read gives a malloc'd, NUL-terminated copy (the caller frees
 * it); all three return 0 or -1 with errno set and print nothing.
 */
int	file_read(const char *, char **, size_t *);
/* The same into b, whose memory is kept for the next file (b->len: the
 * file's length); on failure b is empty. */
int	file_read_buf(const char *, struct buf *);
int	file_write(const char *, const void *, size_t);
int	mkdir_p(const char *);
bool	is_dir(const char *);
bool	is_file(const char *);
/*
 * Entry names of a folder, sorted bytewise, without hidden files (".")
 * and editor leftovers ("~" and "#" names).  NULL with errno when the
 * folder cannot be read.  Free with names_free.
 */
char	**dir_list(const char *, size_t *);
void	  names_free(char **, size_t);
/* Removes a tree; returns 0 or -1 (errno set). */
int	rm_rf(const char *);
/* Copies one file, preserving nothing but the bytes. */
int	file_copy(const char *, const char *);

/* Paths: malloc'd results, the caller frees them. */
char	*path_join(const char *, const char *);
char	*path_dirname(const char *);
/*
 * Normalises a relative path: removes "." segments and folds "x/..".
 * Returns NULL when ".." climbs above the start.
 */
char	*path_normalize(const char *);
bool	 has_suffix(const char *, const char *);
bool	 has_prefix(const char *, const char *);

/*
 * UTF-8: returns true when s[0..len) is valid UTF-8; otherwise false and
 * *bad is the byte offset of the first invalid sequence.
 */
bool	utf8_valid(const char *, size_t, size_t *bad);
/* 1-based line and byte column of offset off in s. */
void	text_position(const char *, size_t off, int *line, int *col);
/* Byte column (1-based) of the nth character (0-based) on a line. */
int	utf8_byte_col(const char *line, int nchars);

#endif
