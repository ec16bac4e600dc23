/*
 * util.c: the small things every module needs: allocation that never
 * returns NULL, arenas for data that dies together, growable buffers, and
 * file and path helpers that report through errno, never by printing.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static void
oom(void)
{
	fputs("awaaz: out of memory\n", stderr);
	exit(3);
}

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n ? n : 1)) == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	return xrealloc(p, n * size);
}

void *
xgrow(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	*cap = n < 8 ? 16 : n * 2;
	return xreallocarray(v, *cap, size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		oom();
	va_end(ap);
	return p;
}

/*
 * Arena chunks are linked newest first; allocations larger than a chunk
 * get a chunk of their own.
 */
#define ARENA_CHUNK	(64 * 1024)
#define ARENA_ALIGN	16

struct chunk {
	struct chunk	*next;
	size_t		 size;
	size_t		 used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct chunk	*head;
};

struct arena *
arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void
arena_free(struct arena *a)
{
	struct chunk	*c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void
arena_reset(struct arena *a)
{
	struct chunk	*c, *next;

	if (a->head == NULL)
		return;
	for (c = a->head->next; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head->next = NULL;
	a->head->used = 0;
	memset(a->head->data, 0, a->head->size);
}

void
arena_adopt(struct arena *dst, struct arena *src)
{
	struct chunk	*last;

	if (src->head != NULL) {
		for (last = src->head; last->next != NULL; last = last->next)
			continue;
		if (dst->head == NULL)
			dst->head = src->head;
		else {
			/* dst's current chunk stays in front. */
			last->next = dst->head->next;
			dst->head->next = src->head;
		}
	}
	free(src);
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct chunk	*c;
	size_t		 size;
	void		*p;

	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	c = a->head;
	if (c == NULL || c->size - c->used < n) {
		size = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
		c = xcalloc(1, sizeof(*c) + size);
		c->size = size;
		if (size == ARENA_CHUNK || a->head == NULL) {
			c->next = a->head;
			a->head = c;
		} else {
			/* Keep the current chunk in front for small objects. */
			c->next = a->head->next;
			a->head->next = c;
		}
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p;

	p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*tmp, *p;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	p = arena_strndup(a, tmp, (size_t)n);
	free(tmp);
	return p;
}

void *
arena_grow(struct arena *a, void *old, size_t n, size_t size)
{
	void	*p;
	size_t	 cap;

	/*
	 * Capacity is implied: powers of two from 4.  Growing only when n
	 * reaches one keeps appends amortised without storing a capacity.
	 */
	if (n != 0 && n >= 4 && (n & (n - 1)) != 0)
		return old;
	if (n != 0 && n < 4)
		return old;
	cap = n == 0 ? 4 : n * 2;
	if (cap > SIZE_MAX / size)
		oom();
	p = arena_alloc(a, cap * size);
	if (n)
		memcpy(p, old, n * size);
	return p;
}

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_grow(struct buf *b, size_t n)
{
	size_t	cap;

	if (b->len + n + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_add_escaped(struct buf *b, const char *s, bool quotes)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, quotes ? "&quot;" : "\"");
			break;
		default:
			buf_addc(b, *s);
			break;
		}
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char	*p;

	if (b->data == NULL) {
		buf_grow(b, 0);
		b->data[0] = '\0';
	}
	p = b->data;
	if (len != NULL)
		*len = b->len;
	buf_init(b);
	return p;
}

void
strmap_init(struct strmap *m)
{
	m->v = NULL;
	m->cap = m->n = 0;
}

void
strmap_release(struct strmap *m)
{
	free(m->v);
	strmap_init(m);
}

static uint64_t
fnv1a(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static struct strmap_ent *
strmap_slot(const struct strmap *m, const char *key)
{
	size_t	i;

	for (i = fnv1a(key) & (m->cap - 1); m->v[i].key != NULL;
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->v[i].key, key) == 0)
			break;
	return &m->v[i];
}

void *
strmap_get(const struct strmap *m, const char *key)
{
	if (m->cap == 0)
		return NULL;
	return strmap_slot(m, key)->val;
}

void
strmap_put(struct strmap *m, const char *key, void *val)
{
	struct strmap_ent	*old, *e;
	size_t			 oldcap, i;

	if ((m->n + 1) * 2 > m->cap) {
		old = m->v;
		oldcap = m->cap;
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = xcalloc(m->cap, sizeof(*m->v));
		for (i = 0; i < oldcap; i++)
			if (old[i].key != NULL)
				*strmap_slot(m, old[i].key) = old[i];
		free(old);
	}
	e = strmap_slot(m, key);
	if (e->key == NULL) {
		e->key = key;
		m->n++;
	}
	e->val = val;
}

int
file_read_buf(const char *path, struct buf *b)
{
	struct stat	 st;
	char		 tmp[65536];
	ssize_t		 n;
	int		 fd, saved;

	buf_reset(b);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			close(fd);
			errno = EISDIR;
			return -1;
		}
		if (S_ISREG(st.st_mode))
			buf_grow(b, (size_t)st.st_size);
	}
	for (;;) {
		if (b->cap - b->len > 1) {
			n = read(fd, b->data + b->len, b->cap - b->len - 1);
		} else {
			n = read(fd, tmp, sizeof(tmp));
			if (n > 0)
				buf_add(b, tmp, (size_t)n);
			if (n > 0)
				continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			close(fd);
			buf_reset(b);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	close(fd);
	if (b->data == NULL)
		buf_grow(b, 0);
	b->data[b->len] = '\0';
	return 0;
}

int
file_read(const char *path, char **data, size_t *len)
{
	struct buf	 b;

	buf_init(&b);
	if (file_read_buf(path, &b) == -1) {
		buf_release(&b);
		return -1;
	}
	*data = buf_detach(&b, len);
	return 0;
}

int
file_write(const char *path, const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 n;
	int		 fd, saved;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		return -1;
	while (len > 0) {
		if ((n = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd);
}

int
mkdir_p(const char *path)
{
	char	*p, *s;
	int	 rc = 0;

	p = xstrdup(path);
	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST) {
			rc = -1;
			break;
		}
		if (c == '\0')
			break;
		*s = c;
	}
	if (rc == 0 && !is_dir(path)) {
		errno = ENOTDIR;
		rc = -1;
	}
	free(p);
	return rc;
}

bool
is_dir(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool
is_file(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
dir_list(const char *path, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	char		**v = NULL;
	size_t		 cap = 0;

	*n = 0;
	if ((d = opendir(path)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || de->d_name[0] == '#' ||
		    has_suffix(de->d_name, "~"))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), cmp_name);
	else if (v == NULL)
		v = xcalloc(1, sizeof(*v));
	return v;
}

void
names_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
rm_rf(const char *path)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		*sub;
	int		 rc = 0;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = path_join(path, de->d_name);
		if (rm_rf(sub) == -1)
			rc = -1;
		free(sub);
	}
	closedir(d);
	if (rc == 0 && rmdir(path) == -1)
		rc = -1;
	return rc;
}

int
file_copy(const char *from, const char *to)
{
	char	*data;
	size_t	 len;
	int	 rc;

	if (file_read(from, &data, &len) == -1)
		return -1;
	rc = file_write(to, data, len);
	free(data);
	return rc;
}

char *
path_join(const char *a, const char *b)
{
	size_t	la;

	/* "." joins to nothing, so paths print as "content/x.md". */
	if (a == NULL || *a == '\0' || strcmp(a, ".") == 0)
		return xstrdup(b);
	if (*b == '/')
		return xstrdup(b);
	la = strlen(a);
	if (a[la - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

char *
path_dirname(const char *p)
{
	const char	*s;

	if ((s = strrchr(p, '/')) == NULL)
		return xstrdup(".");
	if (s == p)
		return xstrdup("/");
	return xstrndup(p, (size_t)(s - p));
}

char *
path_normalize(const char *path)
{
	struct buf	 b;
	const char	*s, *e;
	size_t		 n, cut;
	bool		 abs = path[0] == '/';

	buf_init(&b);
	buf_grow(&b, strlen(path));
	if (abs)
		buf_addc(&b, '/');
	for (s = path; *s != '\0'; s = *e ? e + 1 : e) {
		if ((e = strchr(s, '/')) == NULL)
			e = s + strlen(s);
		n = (size_t)(e - s);
		if (n == 0 || (n == 1 && s[0] == '.'))
			continue;
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (b.len <= (abs ? 1u : 0u)) {
				buf_release(&b);
				return NULL;
			}
			cut = b.len - 1;
			while (cut > 0 && b.data[cut - 1] != '/')
				cut--;
			b.len = cut;
			b.data[b.len] = '\0';
			continue;
		}
		buf_add(&b, s, n);
		buf_addc(&b, '/');
	}
	if (b.len > (abs ? 1u : 0u) && !has_suffix(path, "/"))
		b.data[--b.len] = '\0';
	if (b.data == NULL)
		buf_grow(&b, 0);
	return buf_detach(&b, NULL);
}

bool
has_suffix(const char *s, const char *suffix)
{
	size_t	ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

bool
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
utf8_valid(const char *str, size_t len, size_t *bad)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, n, k;
	uint32_t		 cp, min;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			n = 1; cp = s[i] & 0x1f; min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 2; cp = s[i] & 0x0f; min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 3; cp = s[i] & 0x07; min = 0x10000;
		} else
			goto invalid;
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				goto invalid;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto invalid;
		i += n + 1;
	}
	return true;
invalid:
	if (bad != NULL)
		*bad = i;
	return false;
}

void
text_position(const char *s, size_t off, int *line, int *col)
{
	size_t	i, start = 0;
	int	l = 1;

	for (i = 0; i < off && s[i] != '\0'; i++)
		if (s[i] == '\n') {
			l++;
			start = i + 1;
		}
	*line = l;
	*col = (int)(off - start) + 1;
}

int
utf8_byte_col(const char *line, int nchars)
{
	const unsigned char	*s = (const unsigned char *)line;
	int			 i = 0;

	while (nchars > 0 && s[i] != '\0' && s[i] != '\n') {
		i++;
		while ((s[i] & 0xc0) == 0x80)
			i++;
		nchars--;
	}
	return i + 1;
}
