/*
 * serve.c: "awaaz serve", the preview campaign staff keep open while they
 * write.  It builds the site into a private folder, DIR/.awaaz-cache/
 * serve/public, never the public/ that gets uploaded, and serves it over
 * HTTP with libmicrohttpd.  inotify watches the site's sources; after a
 * change has settled (150 ms without another) the site is rebuilt and
 * every open page hears about it through Server-Sent Events and reloads.
 *
 * Some file systems never tell inotify about changes: network and shared
 * folders (NFS, SMB, a virtual machine's or WSL's 9p, FUSE), where the
 * editor runs on another machine.  There, with --poll, and when inotify
 * runs out of watches, serve looks at every source file's date and size
 * twice a second instead.  With inotify it still looks every two seconds,
 * and a change inotify did not report switches it to looking.
 *
 * The reload script is added to HTML responses as they are sent, never
 * written to a file, so what serve builds stays what build builds.  When
 * a build fails, the folder keeps the last site that built (the build
 * only swaps its output in on success), HTML requests get a page listing
 * the problems instead, and the next good build reloads the page back.
 *
 * Threads: the main thread watches and runs each build as a process of
 * its own ("awaaz build", exec'd: see run_build); libmicrohttpd answers
 * each connection on a thread of its own and touches only struct state,
 * under its lock, and the files it serves.  An event stream is a connection
 * that waits on the state's condition variable.  SIGINT and SIGTERM are
 * blocked in every thread and read by the main loop from a signalfd, so a
 * Ctrl-C during a build lets the build finish and then stops cleanly.
 */
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "build.h"
#include "cmd.h"
#include "config.h"
#include "diag.h"
#include "serve.h"
#include "util.h"

static const char usage_text[] =
"usage: awaaz serve [-C DIR] [--port N] [--bind ADDRESS] [--drafts] [--poll]\n"
"\n"
"Builds the site in DIR into a private folder (DIR/.awaaz-cache/serve,\n"
"not DIR/public) and serves it at http://ADDRESS:N/.  Every change to\n"
"content/, locales/, themes/, data/, static/ or site.yaml rebuilds the\n"
"site, and pages open in a browser reload by themselves.  When a build\n"
"fails, the browser shows the problems until they are fixed.  Ctrl-C\n"
"stops.\n"
"\n"
"  -C, --dir DIR       the site folder (default: the current folder)\n"
"  -p, --port N        the port (default: 8080; 0: any free port)\n"
"  -b, --bind ADDRESS  the address to listen on (default: 127.0.0.1, this\n"
"                      computer only; 0.0.0.0 lets other devices connect)\n"
"      --drafts        include pages with 'draft: true'\n"
"      --poll          look at the files twice a second instead of being\n"
"                      told of changes (for network and shared folders;\n"
"                      chosen by itself where changes are not reported)\n"
"  -h, --help          print this help\n";

#define EVENTS_URL	"/__awaaz/events"
#define SETTLE_MS	150	/* quiet after a change, then build */
#define SETTLE_MAX_MS	2000	/* build even if changes never stop */
#define POLL_MS		500	/* looking: how often */
#define RESCAN_MS	2000	/* with inotify: a look for missed changes */
#define KEEPALIVE_S	15	/* a comment on idle event streams */

/*
 * What the server threads share with the main thread.  errors is the
 * text of the last build's diagnostics when it failed (NULL when it
 * built); id names the last build, so that a page can tell whether it
 * is older than the site ("<start>-<count>": a restarted server never
 * repeats an id).
 */
struct state {
	pthread_mutex_t	 lock;
	pthread_cond_t	 changed;
	const char	*out;		/* the private output folder */
	char		 self[PATH_MAX]; /* this program, to run builds */
	char		*errors;	/* owned; NULL after a good build */
	char		 id[48];
	unsigned long	 builds;
	unsigned	 clients;	/* open event streams */
	bool		 stopping;
};

/* A folder being watched: inotify's descriptor and the absolute path. */
struct watch {
	int	 wd;
	char	*path;
};

/* A source file as a look at the files saw it. */
struct stamp {
	char		*path;		/* absolute; owned */
	struct timespec	 mtime, ctime;
	off_t		 size;
	ino_t		 ino;
};

/* Every source file, in the order of a walk (sorted folder by folder). */
struct scan {
	struct stamp	*v;
	size_t		 n, cap;
};

/*
 * What serve knows of the sources: inotify's watches (fd -1 when
 * looking instead), the last look at the files, and what changed.
 */
struct watcher {
	int		 fd;
	const char	*root;		/* the site folder, absolute */
	char		*theme;		/* the theme's folder; owned */
	struct watch	*v;
	size_t		 n;
	int		 root_wd;
	bool		 polling;	/* looking, not told */
	bool		 full;		/* ran out of watches */
	struct scan	 seen;
	char		*what;		/* what changed since the last
					   build, from root; owned */
};

/* The sources of a site, below its folder. */
static const char *const sources[] = {
	"content", "locales", "themes", "data", "static",
};

#define WATCH_MASK	(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | \
			 IN_MOVED_FROM | IN_MOVED_TO | IN_MODIFY | IN_ATTRIB | \
			 IN_DELETE_SELF | IN_MOVE_SELF)

/*
 * The reload script, added before </body>.  It opens the event stream,
 * which first says which build is current and then says so again after
 * every build; a page from another build reloads.  EventSource retries
 * by itself when the server restarts.
 */
static const char reload_fmt[] =
"<script>/* awaaz serve: reloads after each build */"
"(function(){var s=new EventSource(\"" EVENTS_URL "\");"
"s.addEventListener(\"build\",function(e){if(e.data!==\"%s\")"
"{s.close();location.reload();}});})();</script>\n";

static const struct {
	const char	*ext;
	const char	*type;
} mime_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".htm", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".xml", "application/xml" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".md", "text/plain; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" },
	{ ".webp", "image/webp" },
	{ ".avif", "image/avif" },
	{ ".ico", "image/x-icon" },
	{ ".pdf", "application/pdf" },
	{ ".woff2", "font/woff2" },
	{ ".woff", "font/woff" },
	{ ".ttf", "font/ttf" },
	{ ".otf", "font/otf" },
	{ ".mp3", "audio/mpeg" },
	{ ".ogg", "audio/ogg" },
	{ ".mp4", "video/mp4" },
	{ ".webm", "video/webm" },
	{ ".zip", "application/zip" },
	{ ".csv", "text/csv; charset=utf-8" },
	{ ".webmanifest", "application/manifest+json" },
};

static const char *
mime_type(const char *path)
{
	size_t	i, n = strlen(path), k;

	for (i = 0; i < nitems(mime_types); i++) {
		k = strlen(mime_types[i].ext);
		if (n >= k && strcasecmp(path + n - k, mime_types[i].ext) == 0)
			return mime_types[i].type;
	}
	return "application/octet-stream";
}

static bool
is_html_type(const char *type)
{
	return strncmp(type, "text/html", 9) == 0;
}

/* ---- Answering requests (libmicrohttpd's threads) ---- */

/*
 * Opens rel below the folder dirfd and nowhere else: openat2 refuses ".."
 * and symbolic links that lead out.  Kernels before 5.6 lack openat2;
 * there the file is opened and its real path checked against the folder.
 */
static int
open_beneath(int dirfd, const char *dir, const char *rel)
{
	struct open_how	 how;
	char		 proc[64], real[PATH_MAX];
	ssize_t		 n;
	size_t		 dn;
	int		 fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
	if (fd != -1 || errno != ENOSYS)
		return fd;
	if ((fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	dn = strlen(dir);
	if ((n = readlink(proc, real, sizeof(real) - 1)) == -1 ||
	    ((real[n] = '\0'), strncmp(real, dir, dn) != 0) ||
	    (real[dn] != '/' && real[dn] != '\0')) {
		close(fd);
		errno = EXDEV;
		return -1;
	}
	return fd;
}

static bool
bad_path_errno(int e)
{
	return e == EXDEV || e == ELOOP || e == EACCES || e == EPERM;
}

/*
 * Checks a decoded request path and turns it into one relative to the
 * folder ("en/x/"): returns 0, or the status to answer: 403 for ".."
 * (also when it came as %2e%2e), 404 for hidden names (the output's
 * marker, editors' files) and NUL bytes.  rel is malloc'd.
 */
static int
request_path(const char *url, size_t len, char **rel)
{
	struct buf	 b;
	const char	*s, *e, *end = url + len;
	size_t		 n;
	int		 status = 0;

	*rel = NULL;
	if (len == 0 || url[0] != '/' || memchr(url, '\0', len) != NULL)
		return 404;
	buf_init(&b);
	for (s = url; s < end; s = e) {
		while (s < end && *s == '/')
			s++;
		for (e = s; e < end && *e != '/'; e++)
			continue;
		n = (size_t)(e - s);
		if (n == 0)
			break;
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			status = 403;
			break;
		}
		if (s[0] == '.') {
			status = 404;
			break;
		}
		if (b.len > 0)
			buf_addc(&b, '/');
		buf_add(&b, s, n);
	}
	if (status != 0) {
		buf_release(&b);
		return status;
	}
	*rel = b.data != NULL ? buf_detach(&b, NULL) : xstrdup("");
	return 0;
}

/* Percent-encodes a path for a Location header.  The caller frees. */
static char *
url_encode(const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	struct buf		 b;
	unsigned char		 c;

	buf_init(&b);
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c) != NULL)
			buf_addc(&b, (char)c);
		else {
			buf_addc(&b, '%');
			buf_addc(&b, hex[c >> 4]);
			buf_addc(&b, hex[c & 15]);
		}
	}
	return b.data != NULL ? buf_detach(&b, NULL) : xstrdup("");
}

/* Inserts the reload script before the last </body>, or at the end. */
static void
inject(struct buf *b, const char *html, size_t len, const char *id)
{
	size_t	i, at = len;

	for (i = len; i >= 7; i--)
		if (strncasecmp(html + i - 7, "</body>", 7) == 0) {
			at = i - 7;
			break;
		}
	buf_add(b, html, at);
	buf_printf(b, reload_fmt, id);
	buf_add(b, html + at, len - at);
}

/*
 * The page shown for every HTML request while the site does not build:
 * the diagnostics, escaped, one line each, errors marked.
 */
static void
error_page(struct buf *b, const char *errors, const char *id)
{
	const char	*s, *nl;
	char		*line;

	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<title>The site did not build - awaaz</title>\n<style>\n"
	    "body{font:1rem/1.5 system-ui,sans-serif;margin:2rem auto;"
	    "max-width:60rem;padding:0 1rem;color:#222}\n"
	    "h1{color:#a00;font-size:1.5rem}\n"
	    "pre{background:#fff6f6;border:1px solid #e0b4b4;padding:1rem;"
	    "white-space:pre-wrap;overflow-wrap:anywhere}\n"
	    ".error{color:#a00;font-weight:bold}.warning{color:#850}\n"
	    "</style>\n</head>\n<body>\n<main>\n"
	    "<h1>The site did not build</h1>\n"
	    "<p>Fix the problems below and save the file: this page "
	    "reloads by itself when the site builds again. Each line "
	    "names the file, the line and the column.</p>\n"
	    "<pre id=\"awaaz-errors\" dir=\"ltr\">");
	for (s = errors; *s != '\0'; s = nl + (*nl != '\0')) {
		if ((nl = strchr(s, '\n')) == NULL)
			nl = s + strlen(s);
		line = xstrndup(s, (size_t)(nl - s));
		if (strstr(line, ": error: ") != NULL)
			buf_adds(b, "<span class=\"error\">");
		else if (strstr(line, ": warning: ") != NULL)
			buf_adds(b, "<span class=\"warning\">");
		else
			buf_adds(b, "<span>");
		buf_add_escaped(b, line, false);
		buf_adds(b, "</span>\n");
		free(line);
	}
	buf_adds(b, "</pre>\n<p><a href=\"?awaaz=last-good\">Show this "
	    "page as it was in the last site that built</a></p>\n"
	    "</main>\n");
	buf_printf(b, reload_fmt, id);
	buf_adds(b, "</body>\n</html>\n");
}

static enum MHD_Result
queue(struct MHD_Connection *conn, unsigned status, struct MHD_Response *r,
    const char *type)
{
	enum MHD_Result	ret;

	/* No response (libmicrohttpd out of memory): drop the connection. */
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
answer_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	struct MHD_Response	*r;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
	    MHD_RESPMEM_PERSISTENT);
	return queue(conn, status, r, "text/plain; charset=utf-8");
}

/* Sends buf's bytes (taking them) as HTML. */
static enum MHD_Result
answer_buf(struct MHD_Connection *conn, unsigned status, struct buf *b)
{
	struct MHD_Response	*r;
	size_t			 len;
	char			*data;

	data = buf_detach(b, &len);
	r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	return queue(conn, status, r, "text/html; charset=utf-8");
}

/* Sends an HTML file with the reload script added; fd is closed. */
static enum MHD_Result
answer_html(struct MHD_Connection *conn, unsigned status, int fd,
    const char *id)
{
	struct buf	 file, b;
	char		 tmp[16384];
	ssize_t		 n;
	enum MHD_Result	 ret;

	buf_init(&file);
	buf_init(&b);
	while ((n = read(fd, tmp, sizeof(tmp))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			buf_release(&file);
			return answer_text(conn, 500, "cannot read the file\n");
		}
		buf_add(&file, tmp, (size_t)n);
	}
	close(fd);
	inject(&b, file.data ? file.data : "", file.len, id);
	buf_release(&file);
	ret = answer_buf(conn, status, &b);
	return ret;
}

/*
 * The 404 page of the language the path starts with (/ur/... gives
 * ur/404.html), else the site's /404.html, else a line of text.
 */
static enum MHD_Result
answer_404(struct MHD_Connection *conn, int dirfd, const char *dir,
    const char *rel, const char *id)
{
	const char	*slash;
	char		*p;
	int		 fd = -1;

	if ((slash = strchr(rel, '/')) != NULL) {
		p = xasprintf("%.*s/404.html", (int)(slash - rel), rel);
		fd = open_beneath(dirfd, dir, p);
		free(p);
	}
	if (fd == -1)
		fd = open_beneath(dirfd, dir, "404.html");
	if (fd == -1)
		return answer_text(conn, 404, "not found\n");
	return answer_html(conn, 404, fd, id);
}

/*
 * Answers a file request from the private folder: index.html for a
 * folder (after a redirect to the path with a '/', so that the page's
 * relative links resolve), the language's 404 page for what is missing,
 * and the problems page for HTML while the site does not build.
 */
static enum MHD_Result
answer_file(struct state *st, struct MHD_Connection *conn, const char *url)
{
	struct stat	 sb;
	struct buf	 b;
	const char	*type, *q;
	char		*rel = NULL, *loc, *enc, *errors = NULL, id[48];
	int		 dirfd = -1, fd = -1, code;
	bool		 last_good;
	enum MHD_Result	 ret;

	pthread_mutex_lock(&st->lock);
	memcpy(id, st->id, sizeof(id));
	if (st->errors != NULL)
		errors = xstrdup(st->errors);
	pthread_mutex_unlock(&st->lock);
	q = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "awaaz");
	last_good = q != NULL && strcmp(q, "last-good") == 0;
	if (last_good) {
		free(errors);
		errors = NULL;
	}
	buf_init(&b);

	if ((code = request_path(url, strlen(url), &rel)) != 0) {
		ret = answer_text(conn, (unsigned)code, code == 403 ?
		    "forbidden\n" : "not found\n");
		goto out;
	}
	if ((dirfd = open(st->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		goto missing;
	fd = open_beneath(dirfd, st->out, *rel ? rel : ".");
	if (fd == -1 && bad_path_errno(errno)) {
		ret = answer_text(conn, 403, "forbidden\n");
		goto out;
	}
	if (fd == -1 || fstat(fd, &sb) == -1)
		goto missing;
	if (S_ISDIR(sb.st_mode)) {
		size_t n = strlen(url);

		close(fd);
		fd = -1;
		if (n == 0 || url[n - 1] != '/') {
			struct MHD_Response *r;

			enc = url_encode(rel);
			loc = xasprintf("/%s/%s", enc, last_good ?
			    "?awaaz=last-good" : "");
			free(enc);
			r = MHD_create_response_from_buffer(0, (void *)"",
			    MHD_RESPMEM_PERSISTENT);
			MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION,
			    loc);
			free(loc);
			ret = queue(conn, MHD_HTTP_FOUND, r,
			    "text/plain; charset=utf-8");
			goto out;
		}
		loc = *rel ? xasprintf("%s/index.html", rel) :
		    xstrdup("index.html");
		fd = open_beneath(dirfd, st->out, loc);
		free(loc);
		if (fd == -1 || fstat(fd, &sb) == -1)
			goto missing;
		type = "text/html; charset=utf-8";
	} else
		type = mime_type(rel);
	if (!S_ISREG(sb.st_mode))
		goto missing;
	if (is_html_type(type)) {
		if (errors != NULL)
			goto broken;
		ret = answer_html(conn, 200, fd, id);
		fd = -1;
		goto out;
	}
	{
		struct MHD_Response *r;

		/* The response closes fd, if there is one. */
		r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
		if (r == NULL)
			close(fd);
		fd = -1;
		ret = queue(conn, 200, r, type);
	}
	goto out;
missing:
	if (errors != NULL)
		goto broken;
	ret = answer_404(conn, dirfd, st->out, rel, id);
	goto out;
broken:
	error_page(&b, errors, id);
	ret = answer_buf(conn, 500, &b);
out:
	if (fd != -1)
		close(fd);
	if (dirfd != -1)
		close(dirfd);
	buf_release(&b);
	free(rel);
	free(errors);
	return ret;
}

/* An open event stream: the build it last announced. */
struct client {
	struct state	*st;
	unsigned long	 sent;
	bool		 hello;
};

/*
 * Writes the next event: the current build at once, then again after
 * each build; a comment every KEEPALIVE_S seconds finds closed pages.
 * Blocking here is allowed: each connection has its own thread.
 */
static ssize_t
events_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct client	*c = cls;
	struct state	*st = c->st;
	struct timespec	 until;
	ssize_t		 n;
	int		 r = 0;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += KEEPALIVE_S;
	pthread_mutex_lock(&st->lock);
	while (!st->stopping && c->hello && c->sent == st->builds &&
	    r != ETIMEDOUT)
		r = pthread_cond_timedwait(&st->changed, &st->lock, &until);
	if (st->stopping)
		n = MHD_CONTENT_READER_END_OF_STREAM;
	else if (!c->hello || c->sent != st->builds) {
		n = snprintf(out, max, "%sevent: build\ndata: %s\n\n",
		    c->hello ? "" : "retry: 1000\n", st->id);
		c->hello = true;
		c->sent = st->builds;
	} else
		n = snprintf(out, max, ": awaaz\n\n");
	pthread_mutex_unlock(&st->lock);
	if (n >= (ssize_t)max)
		n = MHD_CONTENT_READER_END_WITH_ERROR;
	return n;
}

static void
events_free(void *cls)
{
	struct client	*c = cls;

	pthread_mutex_lock(&c->st->lock);
	c->st->clients--;
	pthread_mutex_unlock(&c->st->lock);
	free(c);
}

static enum MHD_Result
answer_events(struct state *st, struct MHD_Connection *conn)
{
	struct MHD_Response	*r;
	struct client		*c;

	c = xcalloc(1, sizeof(*c));
	c->st = st;
	pthread_mutex_lock(&st->lock);
	st->clients++;
	pthread_mutex_unlock(&st->lock);
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024,
	    events_read, c, events_free);
	return queue(conn, 200, r, "text/event-stream");
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct state	*st = cls;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		struct MHD_Response *r;

		r = MHD_create_response_from_buffer(19,
		    (void *)"method not allowed\n", MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return queue(conn, MHD_HTTP_METHOD_NOT_ALLOWED, r,
		    "text/plain; charset=utf-8");
	}
	if (strcmp(url, EVENTS_URL) == 0)
		return answer_events(st, conn);
	return answer_file(st, conn, url);
}

/* ---- Watching the sources (main thread) ---- */

/* Adds a watch on dir and every folder below it, skipping hidden ones. */
static void
watch_tree(struct watcher *w, const char *dir)
{
	struct stat	 sb;
	char		**names, *sub;
	size_t		 i, n;
	int		 wd;

	if ((wd = inotify_add_watch(w->fd, dir, WATCH_MASK | IN_ONLYDIR |
	    IN_DONT_FOLLOW)) == -1) {
		if (errno == ENOSPC)
			w->full = true;
		return;
	}
	for (i = 0; i < w->n && w->v[i].wd != wd; i++)
		continue;
	if (i == w->n) {
		w->v = xreallocarray(w->v, w->n + 1, sizeof(*w->v));
		w->v[w->n].wd = wd;
		w->v[w->n++].path = xstrdup(dir);
	} else {
		free(w->v[i].path);
		w->v[i].path = xstrdup(dir);
	}
	if ((names = dir_list(dir, &n)) == NULL)
		return;
	for (i = 0; i < n; i++) {
		sub = path_join(dir, names[i]);
		if (lstat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
			watch_tree(w, sub);
		free(sub);
	}
	names_free(names, n);
}

/* Closes inotify and forgets every watch. */
static void
watches_drop(struct watcher *w)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		free(w->v[i].path);
	free(w->v);
	w->v = NULL;
	w->n = 0;
	if (w->fd != -1)
		close(w->fd);
	w->fd = -1;
}

/*
 * From now on, looks at the files instead of being told: inotify's
 * watches go, and why is said once.
 */
static void
watch_poll(struct watcher *w, const char *why)
{
	fprintf(stderr, "awaaz: note: %s: looking at the files every "
	    "%.1f s instead\n", why, POLL_MS / 1000.0);
	watches_drop(w);
	w->polling = true;
}

/*
 * Watches the site folder itself (for site.yaml and for source folders
 * made later), each source folder, and the theme wherever site.yaml finds
 * it (themes_dir may point outside the site, and an installed theme
 * lives elsewhere).  Adding a watch twice is harmless: inotify gives the
 * same descriptor back.  When looking instead, only the theme's folder
 * is wanted.
 */
static void
watch_sources(struct watcher *w)
{
	struct config	 cfg;
	struct arena	*a;
	char		*dir;
	size_t		 i;

	/* The build reports site.yaml's problems; only the theme is
	 * wanted here. */
	a = arena_new();
	free(w->theme);
	w->theme = NULL;
	if (config_load(&cfg, w->root, build_theme_dirs(), a) == 0 &&
	    cfg.theme_dir != NULL)
		w->theme = xstrdup(cfg.theme_dir);
	diag_reset();
	arena_free(a);
	if (w->polling)
		return;

	w->root_wd = inotify_add_watch(w->fd, w->root, WATCH_MASK |
	    IN_ONLYDIR);
	for (i = 0; i < nitems(sources); i++) {
		dir = path_join(w->root, sources[i]);
		if (is_dir(dir))
			watch_tree(w, dir);
		free(dir);
	}
	if (w->theme != NULL)
		watch_tree(w, w->theme);
	if (w->full)
		watch_poll(w, "inotify has too few watches for this site "
		    "(fs.inotify.max_user_watches)");
}

static void
watch_forget(struct watcher *w, int wd)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		if (w->v[i].wd == wd) {
			free(w->v[i].path);
			w->v[i] = w->v[--w->n];
			return;
		}
}

static const char *
watch_path(const struct watcher *w, int wd)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		if (w->v[i].wd == wd)
			return w->v[i].path;
	return NULL;
}

/* Names the build never reads: hidden files, editors' backups. */
static bool
ignored_name(const char *name)
{
	size_t	n = strlen(name);

	return name[0] == '.' || name[0] == '#' ||
	    (n > 0 && name[n - 1] == '~');
}

/* Reads what inotify has; true when something the build reads changed. */
static bool
watch_read(struct watcher *w)
{
	char				 buf[8192]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event	*ev;
	const char			*dir;
	char				*path;
	ssize_t				 n;
	size_t				 i, rl = strlen(w->root);
	bool				 changed = false, src;

	while ((n = read(w->fd, buf, sizeof(buf))) > 0)
		for (ev = (const void *)buf; (const char *)ev < buf + n;
		    ev = (const void *)((const char *)ev + sizeof(*ev) +
		    ev->len)) {
			if (ev->mask & IN_Q_OVERFLOW) {
				/* Events were lost: look again at it all. */
				watch_sources(w);
				changed = true;
				continue;
			}
			if (ev->mask & IN_IGNORED) {
				watch_forget(w, ev->wd);
				continue;
			}
			dir = ev->wd == w->root_wd ? w->root :
			    watch_path(w, ev->wd);
			if (ev->len == 0 || ignored_name(ev->name) ||
			    dir == NULL)
				continue;
			if (ev->wd == w->root_wd) {
				src = false;
				for (i = 0; i < nitems(sources); i++)
					if (strcmp(ev->name, sources[i]) == 0)
						src = true;
				if (!src && strcmp(ev->name, "site.yaml") != 0)
					continue;
			}
			path = path_join(dir, ev->name);
			if ((ev->mask & IN_ISDIR) &&
			    (ev->mask & (IN_CREATE | IN_MOVED_TO)))
				watch_tree(w, path);
			/* Editors write a temporary file and rename it
			 * over the page: name the last file written. */
			if (w->what == NULL || !(ev->mask & (IN_DELETE |
			    IN_MOVED_FROM))) {
				free(w->what);
				w->what = xstrdup(strncmp(path, w->root,
				    rl) == 0 && path[rl] == '/' ?
				    path + rl + 1 : path);
			}
			free(path);
			changed = true;
		}
	return changed;
}

/* ---- Looking at the files (main thread) ---- */

/*
 * Adds path and, for a folder, every file below it; symbolic links to
 * files count as their target, links to folders are not followed.
 */
static void
scan_add(struct scan *s, const char *path)
{
	struct stat	 sb;
	struct stamp	*t;
	char		**names, *sub;
	size_t		 i, n;

	if (lstat(path, &sb) == -1)
		return;
	if (S_ISDIR(sb.st_mode)) {
		if ((names = dir_list(path, &n)) == NULL)
			return;
		for (i = 0; i < n; i++) {
			sub = path_join(path, names[i]);
			scan_add(s, sub);
			free(sub);
		}
		names_free(names, n);
		return;
	}
	if (S_ISLNK(sb.st_mode) && stat(path, &sb) == -1)
		return;
	s->v = xgrow(s->v, s->n, &s->cap, sizeof(*s->v));
	t = &s->v[s->n++];
	t->path = xstrdup(path);
	t->mtime = sb.st_mtim;
	t->ctime = sb.st_ctim;
	t->size = sb.st_size;
	t->ino = sb.st_ino;
}

static void
scan_free(struct scan *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Every file the build reads: site.yaml, the sources, the theme. */
static void
scan_take(const struct watcher *w, struct scan *s)
{
	char	*p;
	size_t	 i, rl;

	memset(s, 0, sizeof(*s));
	p = path_join(w->root, "site.yaml");
	scan_add(s, p);
	free(p);
	for (i = 0; i < nitems(sources); i++) {
		p = path_join(w->root, sources[i]);
		scan_add(s, p);
		free(p);
	}
	/* A theme inside themes/ was just looked at. */
	p = path_join(w->root, "themes");
	rl = strlen(p);
	if (w->theme != NULL && !(strncmp(w->theme, p, rl) == 0 &&
	    w->theme[rl] == '/'))
		scan_add(s, w->theme);
	free(p);
}

static bool
same_stamp(const struct stamp *a, const struct stamp *b)
{
	return strcmp(a->path, b->path) == 0 &&
	    a->mtime.tv_sec == b->mtime.tv_sec &&
	    a->mtime.tv_nsec == b->mtime.tv_nsec &&
	    a->ctime.tv_sec == b->ctime.tv_sec &&
	    a->ctime.tv_nsec == b->ctime.tv_nsec &&
	    a->size == b->size && a->ino == b->ino;
}

/* The first file that differs between two looks, or NULL. */
static const char *
scan_diff(const struct scan *old, const struct scan *now)
{
	size_t	i;

	for (i = 0; i < old->n && i < now->n; i++)
		if (!same_stamp(&old->v[i], &now->v[i]))
			return now->v[i].path;
	if (i < now->n)
		return now->v[i].path;
	if (i < old->n)
		return old->v[i].path;
	return NULL;
}

/* Remembers the files as they are now, for the next look. */
static void
scan_refresh(struct watcher *w)
{
	scan_free(&w->seen);
	scan_take(w, &w->seen);
}

/*
 * Looks at the files; true when one changed since the last look.  With
 * inotify, a change it did not report means this file system does not
 * report changes: looking takes over.
 */
static bool
watch_scan(struct watcher *w)
{
	struct scan	 now;
	const char	*diff;
	char		*why;
	size_t		 rl = strlen(w->root);

	scan_take(w, &now);
	if ((diff = scan_diff(&w->seen, &now)) != NULL) {
		free(w->what);
		w->what = xstrdup(strncmp(diff, w->root, rl) == 0 &&
		    diff[rl] == '/' ? diff + rl + 1 : diff);
		/* inotify had it queued: not missed. */
		if (!w->polling && !watch_read(w)) {
			why = xasprintf("no change to '%s' was reported by "
			    "the file system", w->what);
			watch_poll(w, why);
			free(why);
		}
	}
	scan_free(&w->seen);
	w->seen = now;
	return diff != NULL;
}

static void
watch_release(struct watcher *w)
{
	watches_drop(w);
	free(w->what);
	free(w->theme);
	scan_free(&w->seen);
}

/* ---- Building (main thread) ---- */

/*
 * Runs "awaaz build" on the site into the private folder, as a process of
 * its own: this one has libmicrohttpd's threads, and a fork of a process
 * with threads may copy a lock another thread holds (the sanitizers'
 * allocator, stdio), which the build's own workers would then wait on for
 * ever.  An exec'd build starts clean.  Relative links (--base-url ""),
 * so the preview works under any host name the browser uses.  Its stderr
 * (diagnostics and summary) comes back in *text; its own process group,
 * so that a Ctrl-C in the terminal lets it finish.  Returns its exit
 * status, or -1 when it could not run (said in *text).
 */
static int
run_build(const char *self, const char *root, const char *out, bool drafts,
    char **text)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 at;
	sigset_t			 none, dflt;
	struct buf			 b;
	char				*argv[10], tmp[8192];
	ssize_t				 r;
	pid_t				 pid;
	int				 p[2], n = 0, status, rc = -1;

	argv[n++] = (char *)"awaaz";
	argv[n++] = (char *)"build";
	argv[n++] = (char *)"-C";
	argv[n++] = (char *)root;
	argv[n++] = (char *)"-o";
	argv[n++] = (char *)out;
	argv[n++] = (char *)"--base-url";
	argv[n++] = (char *)"";
	if (drafts)
		argv[n++] = (char *)"--drafts";
	argv[n] = NULL;
	buf_init(&b);
	if (pipe2(p, O_CLOEXEC) == -1) {
		buf_printf(&b, "awaaz: error: cannot build: %s\n",
		    strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDERR_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
	    O_WRONLY, 0);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGPIPE);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGTERM);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dflt);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	errno = posix_spawn(&pid, self, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(p[1]);
	if (errno != 0) {
		buf_printf(&b, "awaaz: error: cannot run '%s build': %s\n",
		    self, strerror(errno));
		close(p[0]);
		goto out;
	}
	while ((r = read(p[0], tmp, sizeof(tmp))) != 0) {
		if (r > 0)
			buf_add(&b, tmp, (size_t)r);
		else if (errno != EINTR)
			break;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		continue;
	if (WIFEXITED(status))
		rc = WEXITSTATUS(status);
	else
		buf_printf(&b, "awaaz: error: the build died of signal %d\n",
		    WTERMSIG(status));
out:
	buf_addc(&b, '\0');
	*text = b.data;
	return rc;
}

/*
 * One build; its diagnostics go to stderr as always and, when it failed,
 * to the browser.
 */
static void
rebuild(struct state *st, const char *root, bool drafts, const char *why)
{
	struct timespec	 t0, t1;
	char		*text;
	int		 status;
	unsigned	 clients;

	if (why != NULL)
		fprintf(stderr, "awaaz: %s changed: rebuilding\n", why);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = run_build(st->self, root, st->out, drafts, &text);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fputs(text, stderr);

	pthread_mutex_lock(&st->lock);
	free(st->errors);
	st->errors = NULL;
	if (status != 0) {
		st->errors = text;
		text = NULL;
	}
	st->builds++;
	snprintf(strchr(st->id, '-') + 1, sizeof(st->id) -
	    (size_t)(strchr(st->id, '-') + 1 - st->id), "%lu", st->builds);
	clients = st->clients;
	pthread_cond_broadcast(&st->changed);
	pthread_mutex_unlock(&st->lock);
	free(text);

	if (status != 0)
		fprintf(stderr, "awaaz: the site did not build: open pages "
		    "show the problems%s\n", st->builds > 1 ?
		    "; the last good site is kept" : "");
	else
		fprintf(stderr, "awaaz: ready in %.2f s%s\n",
		    (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		    clients == 0 ? "" : ", open pages reload");
}

/* ---- The command ---- */

/* A listening socket on addr:port, or -1 after saying why. */
static int
listen_on(const char *addr, int port, int *family, int *bound)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 sl;
	int			 fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sl = sizeof(*sin);
	} else {
		/* cmd_serve checked that it is one or the other. */
		inet_pton(AF_INET6, addr, &sin6->sin6_addr);
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*sin6);
	}
	*family = ss.ss_family;
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, sl) == -1 ||
	    listen(fd, 64) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) == -1) {
		fprintf(stderr, "awaaz: error: cannot listen on %s port %d: "
		    "%s%s\n", addr, port, strerror(errno), errno ==
		    EADDRINUSE ? " (choose another with --port)" : "");
		if (fd != -1)
			close(fd);
		return -1;
	}
	*bound = ntohs(ss.ss_family == AF_INET ? sin->sin_port :
	    sin6->sin6_port);
	return fd;
}

/*
 * The private folder and a lock on it, so that two previews of one site
 * never build into each other.  Returns the lock's descriptor or -1.
 */
static int
lock_cache(const char *root, char **out)
{
	char	*dir, *lock;
	int	 fd = -1;

	dir = path_join(root, ".awaaz-cache/serve");
	*out = path_join(dir, "public");
	lock = path_join(dir, "lock");
	if (mkdir_p(dir) == -1 ||
	    (fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		fprintf(stderr, "awaaz: error: cannot make '%s': %s\n", dir,
		    strerror(errno));
	} else if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		fprintf(stderr, "awaaz: error: another 'awaaz serve' is "
		    "previewing this site: stop it first\n");
		close(fd);
		fd = -1;
	}
	free(dir);
	free(lock);
	return fd;
}

static void
state_release(struct state *st)
{
	pthread_cond_destroy(&st->changed);
	pthread_mutex_destroy(&st->lock);
	free(st->errors);
}

/* Waits for changes and signals; returns when asked to stop. */
/* Milliseconds from a to b (negative when b is earlier). */
static long
ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 +
	    (b->tv_nsec - a->tv_nsec) / 1000000;
}

/*
 * Waits for changes and builds after them: with inotify once a change
 * has settled (SETTLE_MS without another), when looking once a look
 * finds nothing new, and either way at the latest SETTLE_MAX_MS after
 * the first change, so a file written without pause cannot hold the
 * preview back.
 */
static void
loop(struct state *st, struct watcher *w, int sigfd, const char *root,
    bool drafts)
{
	struct signalfd_siginfo	 si;
	struct pollfd		 pfd[2];
	struct timespec		 first, last, now;
	bool			 pending = false, changed;
	long			 timeout;
	int			 r;

	pfd[0].fd = sigfd;
	pfd[0].events = POLLIN;
	pfd[1].events = POLLIN;
	clock_gettime(CLOCK_MONOTONIC, &last);
	for (;;) {
		pfd[1].fd = w->polling ? -1 : w->fd;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (pending && !w->polling)
			timeout = SETTLE_MS;
		else
			timeout = (w->polling ? POLL_MS : RESCAN_MS) -
			    ms_between(&last, &now);
		if (pending && ms_between(&first, &now) >= SETTLE_MAX_MS)
			timeout = 0;
		if (timeout < 0)
			timeout = 0;
		if ((r = poll(pfd, 2, (int)timeout)) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "awaaz: error: %s\n", strerror(errno));
			return;
		}
		if (pfd[0].revents & POLLIN) {
			if (read(sigfd, &si, sizeof(si)) > 0)
				fprintf(stderr, "\nawaaz: stopping\n");
			return;
		}
		changed = false;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (pfd[1].revents & POLLIN)
			changed = watch_read(w);
		else if (r == 0 && (w->polling || !pending)) {
			changed = watch_scan(w);
			last = now;
		}
		if (changed && !pending) {
			pending = true;
			first = now;
		}
		if (!pending || (changed &&
		    ms_between(&first, &now) < SETTLE_MAX_MS) ||
		    (r > 0 && ms_between(&first, &now) < SETTLE_MAX_MS))
			continue;
		/* With inotify, the files as the build reads them are
		 * what the next look compares with. */
		if (!w->polling)
			scan_refresh(w);
		rebuild(st, root, drafts, w->what);
		free(w->what);
		w->what = NULL;
		pending = false;
		clock_gettime(CLOCK_MONOTONIC, &last);
		/* The theme may have moved with site.yaml. */
		watch_sources(w);
	}
}

/*
 * Whether the file system under root tells inotify about changes: network
 * and shared folders do not when the change is made on the other side
 * (the usual case: the editor runs there), and are looked at instead.
 */
static bool
reports_changes(const char *root)
{
	static const struct {
		unsigned long	 magic;
		const char	*name;
	} remote[] = {
		{ NFS_SUPER_MAGIC, "NFS" },
		{ SMB_SUPER_MAGIC, "SMB" },
		{ CIFS_SUPER_MAGIC, "SMB" },
		{ SMB2_SUPER_MAGIC, "SMB" },
		{ V9FS_MAGIC, "9p (a virtual machine's or WSL's shared "
		    "folder)" },
		{ FUSE_SUPER_MAGIC, "FUSE" },
		{ CEPH_SUPER_MAGIC, "Ceph" },
	};
	struct statfs	 sf;
	size_t		 i;

	if (statfs(root, &sf) == -1)
		return true;
	for (i = 0; i < nitems(remote); i++)
		if ((unsigned long)sf.f_type == remote[i].magic) {
			fprintf(stderr, "awaaz: note: '%s' is on %s, which "
			    "may not report changes: looking at the files "
			    "every %.1f s\n", root, remote[i].name,
			    POLL_MS / 1000.0);
			return false;
		}
	return true;
}

int
cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'C' },
		{ "port", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'b' },
		{ "drafts", no_argument, NULL, 'D' },
		{ "poll", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct state		 st;
	struct watcher		 w;
	struct MHD_Daemon	*d = NULL;
	struct in6_addr		 a6;
	pthread_condattr_t	 ca;
	sigset_t		 mask;
	const char		*dir = ".", *bind_addr = "127.0.0.1";
	char			*root = NULL, *out = NULL, *end, *yaml;
	long			 port = 8080;
	int			 ch, lockfd = -1, sigfd = -1, lfd, family;
	int			 bound, status = 2;
	ssize_t			 n;
	bool			 drafts = false, poll_files = false;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "C:p:b:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || port < 0 ||
			    port > 65535) {
				fprintf(stderr, "awaaz: error: --port takes a "
				    "number from 0 to 65535\n");
				return 2;
			}
			break;
		case 'b':
			if (inet_pton(AF_INET, optarg, &a6) != 1 &&
			    inet_pton(AF_INET6, optarg, &a6) != 1) {
				fprintf(stderr, "awaaz: error: --bind takes an "
				    "IP address, such as 127.0.0.1 or ::1, not "
				    "'%s'\n", optarg);
				return 2;
			}
			bind_addr = optarg;
			break;
		case 'D':
			drafts = true;
			break;
		case 'P':
			poll_files = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (cmd_no_operands(argc, argv, usage_text) != 0)
		return 2;

	memset(&st, 0, sizeof(st));
	memset(&w, 0, sizeof(w));
	w.fd = -1;
	pthread_mutex_init(&st.lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&st.changed, &ca);
	pthread_condattr_destroy(&ca);
	/* Any id differs from one a previous run of serve gave a page. */
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf(st.id, sizeof(st.id), "%lx%lx-0",
		    (unsigned long)ts.tv_sec, (unsigned long)ts.tv_nsec);
	}

	status = 1;
	/* Read now: valgrind and friends answer for the program they run. */
	if ((n = readlink("/proc/self/exe", st.self, sizeof(st.self) - 1)) <
	    0) {
		fprintf(stderr, "awaaz: error: cannot find this program: "
		    "%s\n", strerror(errno));
		goto out;
	}
	st.self[n] = '\0';
	if ((root = realpath(dir, NULL)) == NULL) {
		fprintf(stderr, "awaaz: error: cannot open site folder '%s': "
		    "%s\n", dir, strerror(errno));
		goto out;
	}
	/* Nothing is written into a folder that is not a site. */
	yaml = path_join(root, "site.yaml");
	if (!is_file(yaml)) {
		fprintf(stderr, "awaaz: error: '%s' has no site.yaml: run "
		    "awaaz serve in a site's folder, or name it with -C\n",
		    dir);
		free(yaml);
		goto out;
	}
	free(yaml);
	if ((lfd = listen_on(bind_addr, (int)port, &family, &bound)) == -1)
		goto out;
	if ((lockfd = lock_cache(root, &out)) == -1) {
		close(lfd);
		goto out;
	}
	st.out = out;

	/* Blocked here, so in every thread started from now on. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((sigfd = signalfd(-1, &mask, SFD_CLOEXEC)) == -1) {
		fprintf(stderr, "awaaz: error: %s\n", strerror(errno));
		close(lfd);
		goto out;
	}
	w.root = root;
	w.polling = poll_files || !reports_changes(root);
	if (!w.polling &&
	    (w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		yaml = xasprintf("inotify cannot watch: %s", strerror(errno));
		watch_poll(&w, yaml);
		free(yaml);
	}
	watch_sources(&w);
	scan_refresh(&w);

	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL |
	    (family == AF_INET6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL,
	    answer, &st,
	    MHD_OPTION_LISTEN_SOCKET, lfd,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "awaaz: error: cannot start the web server\n");
		close(lfd);
		goto out;
	}
	fprintf(stderr, "awaaz: building '%s' for preview\n", dir);
	rebuild(&st, root, drafts, NULL);
	fprintf(stderr, "awaaz: serving http://%s%s%s:%d/ (Ctrl-C stops)\n",
	    family == AF_INET6 ? "[" : "", bind_addr,
	    family == AF_INET6 ? "]" : "", bound);
	loop(&st, &w, sigfd, root, drafts);
	status = 0;
out:
	if (d != NULL) {
		/* Event streams end first, or stopping would wait on them. */
		pthread_mutex_lock(&st.lock);
		st.stopping = true;
		pthread_cond_broadcast(&st.changed);
		pthread_mutex_unlock(&st.lock);
		MHD_stop_daemon(d);
	}
	watch_release(&w);
	if (sigfd != -1)
		close(sigfd);
	if (lockfd != -1)
		close(lockfd);
	state_release(&st);
	free(root);
	free(out);
	return status;
}
