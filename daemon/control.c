/*
 * control.c: the control socket, a Unix stream socket (mode 0660, the
 * service's group) that glean talks to.
 *
 * The protocol is lines of text.  A client sends one request line:
 *   status                 the daemon's state, then "ok"
 *   reload                 reload the configuration; "ok ..." or "error: ..."
 *   refresh [FEED]         poll now every enabled feed, or FEED (id or URL);
 *                          "ok N feeds" at once
 *   refresh --wait [FEED]  the same, then one "polled ..." or "failed ..."
 *                          line per feed as it finishes; then, if those
 *                          polls brought new items of feeds with full
 *                          text, one "article ID STATUS[: error]" line per
 *                          article fetched for them, until none of their
 *                          articles is due (one whose host asked to wait,
 *                          or whose retry comes later, is not waited for);
 *                          then "done"
 *   articles               look for due articles now (after glean refetch);
 *                          "ok N queued"
 *   articles --wait ID     the same, then "article ID STATUS[: error]" when
 *                          article ID is stored, then "done"
 * Replies are short and written as they come; a slow or gone client is
 * dropped, never waited for.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "gleanerd.h"

#define CTL_LINE_MAX 1024

struct ctl_conn {
	ev_io            io;
	struct daemon   *d;
	struct ctl_conn *next;
	char             buf[CTL_LINE_MAX];
	size_t           len;
	int64_t         *wait; /* feed ids still to report, for refresh --wait */
	size_t           nwait;
	int64_t         *art_feeds; /* then: the feeds whose new articles it waits for */
	size_t           nart_feeds;
	int              art_phase;
	int              waiting;
	int64_t          art_wait; /* the article of articles --wait */
};

static void
conn_close(struct daemon *d, struct ctl_conn *c)
{
	struct ctl_conn **pp;

	for (pp = &d->ctl_conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	ev_io_stop(d->loop, &c->io);
	close(c->io.fd);
	free(c->wait);
	free(c->art_feeds);
	free(c);
}

static void
conn_printf(struct ctl_conn *c, const char *fmt, ...)
{
	char    line[1024];
	va_list ap;
	int     n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* Short lines on a local socket: a client that cannot take them
	 * loses them (MSG_DONTWAIT), the daemon never blocks. */
	(void)send(c->io.fd, line, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static int
cmp_due(const void *a, const void *b)
{
	const struct feedstate *x = *(struct feedstate *const *)a, *y = *(struct feedstate *const *)b;

	return x->due < y->due ? -1 : x->due > y->due;
}

static void
do_status(struct daemon *d, struct ctl_conn *c)
{
	struct feedstate **v;
	size_t             i, n = d->sched.n, waiting = 0;
	char               when[21];

	for (i = 0; i < d->nfeeds; i++)
		waiting += d->feeds[i]->waiting;
	conn_printf(c, "feeds %zu", d->nfeeds);
	conn_printf(c, "in_flight %d", d->in_flight);
	conn_printf(c, "waiting_for_host %zu", waiting);
	conn_printf(c, "queued %zu", n);
	conn_printf(c, "articles_in_flight %d", d->art_in_flight);
	conn_printf(c, "articles_queued %zu", article_queued(d));
	conn_printf(c, "polls_waiting_for_lock %zu", d->nheld);
	if ((v = malloc((n ? n : 1) * sizeof(*v))) != NULL) {
		memcpy(v, d->sched.heap, n * sizeof(*v));
		qsort(v, n, sizeof(*v), cmp_due);
		for (i = 0; i < n && i < 10; i++) {
			date_format((int64_t)v[i]->due, when);
			conn_printf(c, "next %s %s", when, v[i]->url);
		}
		free(v);
	}
	for (i = 0; i < d->nfeeds; i++)
		if (d->feeds[i]->in_flight)
			conn_printf(c, "polling %s", d->feeds[i]->url);
	conn_printf(c, "ok");
}

/* Makes fs due now; returns 1 if it will be polled (0 if disabled). */
static int
refresh_one(struct daemon *d, struct feedstate *fs, double now)
{
	if (fs->removed)
		return 0;
	if (fs->in_flight || fs->waiting)
		return 1; /* its poll is under way already */
	fs->due = now;
	sched_put(&d->sched, fs);
	return 1;
}

static void
do_refresh(struct daemon *d, struct ctl_conn *c, char *args)
{
	double  now = daemon_now(d);
	int     wait = 0;
	size_t  i, n = 0;
	char   *spec = NULL, *tok;
	int64_t id = 0;

	while ((tok = strsep(&args, " ")) != NULL) {
		if (*tok == '\0')
			continue;
		if (!strcmp(tok, "--wait"))
			wait = 1;
		else
			spec = tok;
	}
	/* Feeds added with glean since the last load are picked up here. */
	if (daemon_load_feeds(d) != 0)
		log_warnx("refresh: the feed list could not be reloaded from the database");
	if (spec && store_feed_find(d->store, spec, &id) != 0) {
		conn_printf(c, "error: no feed %s", spec);
		return;
	}
	if (wait && ((c->wait = calloc(d->nfeeds ? d->nfeeds : 1, sizeof(*c->wait))) == NULL ||
		     (c->art_feeds = calloc(d->nfeeds ? d->nfeeds : 1, sizeof(*c->art_feeds))) ==
			     NULL)) {
		conn_printf(c, "error: out of memory");
		return;
	}
	for (i = 0; i < d->nfeeds; i++) {
		struct feedstate *fs = d->feeds[i];

		if (spec && fs->id != id)
			continue;
		if (refresh_one(d, fs, now)) {
			n++;
			if (wait)
				c->wait[c->nwait++] = fs->id;
		}
	}
	if (spec && n == 0) {
		conn_printf(c, "error: %s is disabled or not polled", spec);
		return;
	}
	conn_printf(c, "ok %zu feeds", n);
	if (wait && n > 0)
		c->waiting = 1;
	poll_dispatch(d);
}

static void
do_articles(struct daemon *d, struct ctl_conn *c, char *args)
{
	char   *tok, *end;
	int64_t id = 0;
	int     wait = 0;

	while ((tok = strsep(&args, " ")) != NULL) {
		if (*tok == '\0')
			continue;
		if (!strcmp(tok, "--wait")) {
			wait = 1;
			continue;
		}
		id = strtoll(tok, &end, 10);
		if (*end != '\0' || id <= 0) {
			conn_printf(c, "error: '%.40s' is not an article id", tok);
			return;
		}
	}
	if (wait && id == 0) {
		conn_printf(c, "error: articles --wait needs an article id");
		return;
	}
	article_kick(d);
	poll_dispatch(d);
	conn_printf(c, "ok %zu queued", article_queued(d));
	if (wait) {
		c->art_wait = id;
		c->waiting = 1;
	}
}

static int
handle(struct daemon *d, struct ctl_conn *c, char *line)
{
	char err[4096];

	if (!strcmp(line, "status")) {
		do_status(d, c);
	} else if (!strcmp(line, "reload")) {
		if (daemon_reload(d, err, sizeof(err)) == 0)
			conn_printf(c, "ok reloaded %s: %zu feeds", d->cfg->path, d->nfeeds);
		else
			conn_printf(c, "error: reload refused, the running configuration is kept:\n%s", err);
	} else if (!strncmp(line, "refresh", 7) && (line[7] == '\0' || line[7] == ' ')) {
		do_refresh(d, c, line + 7);
	} else if (!strncmp(line, "articles", 8) && (line[8] == '\0' || line[8] == ' ')) {
		do_articles(d, c, line + 8);
	} else {
		conn_printf(c, "error: unknown request '%.60s' (status, reload, refresh [--wait] "
			       "[FEED], articles [--wait ID])", line);
	}
	return c->waiting; /* keep the connection for the progress lines */
}

static void
conn_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_conn *c = w->data;
	struct daemon   *d = c->d;
	ssize_t          n;
	char            *nl;

	(void)loop;
	(void)revents;
	n = read(w->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	if (n <= 0) {
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		conn_close(d, c);
		return;
	}
	if (c->waiting)
		return; /* nothing more is expected from a waiting client */
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	if ((nl = strchr(c->buf, '\n')) == NULL) {
		if (c->len >= sizeof(c->buf) - 1) {
			conn_printf(c, "error: request too long");
			conn_close(d, c);
		}
		return;
	}
	*nl = '\0';
	if (nl > c->buf && nl[-1] == '\r')
		nl[-1] = '\0';
	if (!handle(d, c, c->buf))
		conn_close(d, c);
}

static void
accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct daemon   *d = w->data;
	struct ctl_conn *c;
	int              fd;

	(void)revents;
	if ((fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1)
		return;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	c->d = d;
	c->next = d->ctl_conns;
	d->ctl_conns = c;
	ev_io_init(&c->io, conn_cb, fd, EV_READ);
	c->io.data = c;
	ev_io_start(loop, &c->io);
}

/* Tells clients waiting on a refresh that fs's poll ended. */
/* A refresh --wait client whose polls are all reported: done, or on to
 * waiting for the articles they brought. */
static void
polls_reported(struct daemon *d, struct ctl_conn *c)
{
	if (c->nart_feeds > 0) {
		c->art_phase = 1;
		article_kick(d); /* the new items' articles, at the next dispatch */
		return;
	}
	conn_printf(c, "done");
	conn_close(d, c);
}

void
control_poll_done(struct daemon *d, const struct feedstate *fs, const char *error, int new_items)
{
	struct ctl_conn *c, *next;
	size_t           i;

	for (c = d->ctl_conns; c; c = next) {
		next = c->next;
		if (!c->waiting || c->art_phase)
			continue;
		for (i = 0; i < c->nwait && c->wait[i] != fs->id; i++)
			;
		if (i == c->nwait)
			continue;
		c->wait[i] = c->wait[--c->nwait];
		if (error)
			conn_printf(c, "failed %s: %s", fs->url, error);
		else
			conn_printf(c, "polled %s: %d new", fs->url, new_items);
		if (!error && new_items > 0 && fs->full_text && c->art_feeds)
			c->art_feeds[c->nart_feeds++] = fs->id;
		if (c->nwait == 0)
			polls_reported(d, c);
	}
}

static int
art_feed_of(const struct ctl_conn *c, int64_t feed_id)
{
	size_t i;

	for (i = 0; i < c->nart_feeds; i++)
		if (c->art_feeds[i] == feed_id)
			return 1;
	return 0;
}

void
control_articles_progress(struct daemon *d)
{
	struct ctl_conn *c, *next;

	for (c = d->ctl_conns; c; c = next) {
		next = c->next;
		if (c->art_phase && !article_busy(d, c->art_feeds, c->nart_feeds)) {
			conn_printf(c, "done");
			conn_close(d, c);
		}
	}
}

/* "article ID STATUS[: error]", or that storing it failed. */
static void
article_line(struct ctl_conn *c, int64_t id, int64_t kept, const char *status, const char *error)
{
	if (status == NULL)
		conn_printf(c, "failed article %lld: storing failed: %s", (long long)id,
			    error ? error : "");
	else
		conn_printf(c, "article %lld %s%s%s", (long long)kept, status, error ? ": " : "",
			    error ? error : "");
}

void
control_article_done(struct daemon *d, int64_t id, int64_t kept, int64_t feed_id,
		     const char *status, const char *error)
{
	struct ctl_conn *c, *next;

	for (c = d->ctl_conns; c; c = next) {
		next = c->next;
		if (c->art_phase && art_feed_of(c, feed_id)) {
			/* "done" when none is left: control_articles_progress */
			article_line(c, id, kept, status, error);
			continue;
		}
		if (!c->waiting || c->art_wait == 0 || (c->art_wait != id && c->art_wait != kept))
			continue;
		article_line(c, id, kept, status, error);
		conn_printf(c, "done");
		conn_close(d, c);
	}
}

int
control_open(struct daemon *d, const char *path)
{
	struct sockaddr_un sun;
	int                fd;

	if (path == NULL || *path == '\0')
		return 0;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("%s: control socket path too long", path);
		return -1;
	}
	strlcpy_g(sun.sun_path, path, sizeof(sun.sun_path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("control socket");
		return -1;
	}
	unlink(path); /* a stale socket from a previous run */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 || chmod(path, 0660) == -1 ||
	    listen(fd, 16) == -1) {
		log_warn("%s", path);
		close(fd);
		return -1;
	}
	ev_io_init(&d->ctl_listen, accept_cb, fd, EV_READ);
	d->ctl_listen.data = d;
	ev_io_start(d->loop, &d->ctl_listen);
	d->ctl_path = strdup(path);
	return 0;
}

void
control_close(struct daemon *d)
{
	while (d->ctl_conns) {
		if (d->ctl_conns->waiting)
			conn_printf(d->ctl_conns, "error: gleanerd is stopping");
		conn_close(d, d->ctl_conns);
	}
	if (d->ctl_path) {
		ev_io_stop(d->loop, &d->ctl_listen);
		close(d->ctl_listen.fd);
		unlink(d->ctl_path);
		free(d->ctl_path);
		d->ctl_path = NULL;
	}
}
