/*
 * poll.c: one poll of one feed, from the request to the stored result, and
 * when to poll it next.
 *
 * The body streams into the feed parser as it arrives; the database is
 * written once the transfer is over.  Polls that end close together share
 * one transaction (a batch, each poll a savepoint in it), committed at most
 * BATCH_DELAY after it began, when BATCH_MAX polls are in it, or when no
 * transfer is left: one commit per poll wrote the same index pages to the
 * WAL again for every poll (about 37 pages a poll of 20 new items), which
 * was most of a cold cycle's time.  Whatever a server or a document does,
 * the outcome is a stored result and a next poll time: never an exit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "gleanerd.h"

#define BACKOFF_CAP (12 * 3600)
/* Seconds between new items and their indexing for search: long enough
 * that a burst of polls is indexed as one batch (one FTS5 segment), short
 * enough that a search soon finds them. */
#define INDEX_DELAY 2.0
#define INDEX_RETRY 30.0
/* A batch holds the write lock for at most this long (glean's marks wait
 * up to 5 s for it) and this many polls. */
#define BATCH_DELAY 0.2
#define BATCH_MAX   256

/* The first bytes of a body served as HTML are kept too: when it is not
 * a feed, the feed the page names (<link rel="alternate">) goes into the
 * error, so that `glean feeds` says which URL to use. */
#define PAGE_HINT_MAX (512 * 1024)

struct pollctx {
	struct daemon      *d;
	struct feedstate   *fs;
	struct feed_parser *p;
	struct buf          page; /* used when Content-Type says HTML */
	int                 page_on;
};

static int
html_type(const char *ct)
{
	return ct && (!strncasecmp(ct, "text/html", 9) || !strncasecmp(ct, "application/xhtml+xml", 21));
}

double
daemon_now(const struct daemon *d)
{
	struct timespec ts;

	(void)d;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Uniform in [1 - f, 1 + f]. */
static double
jitter(struct daemon *d, double f)
{
	return 1.0 - f + 2.0 * f * ((double)rand_r(&d->seed) / RAND_MAX);
}

static int
on_data(void *ud, const struct xfer_result *r, const char *data, size_t len)
{
	struct pollctx *c = ud;

	if (r->http_status != 200)
		return 0; /* an error page: read and dropped, under the cap */
	if (c->p == NULL) {
		struct feed_parser_opts o = {0};
		char                    cs[64];

		o.url = c->fs->url;
		o.keep_items = 1;
		if (r->content_type && charset_from_content_type(r->content_type, cs, sizeof(cs)) == 0)
			o.charset = cs;
		if ((c->p = feed_parser_new(&o)) == NULL)
			return -1;
		if (html_type(r->content_type)) {
			buf_init(&c->page, PAGE_HINT_MAX);
			c->page_on = 1;
		}
	}
	feed_parser_feed(c->p, data, len); /* a broken document keeps what it had */
	if (c->page_on && !c->page.truncated)
		(void)buf_add(&c->page, data, len); /* a hint only: cut at the cap */
	return 0;
}

/* How often a feed publishes: half the median gap between its newest
 * items, so that a new item waits at most about that long. */
static int64_t
publish_interval(const struct feed *f)
{
	int64_t t[32], gaps[31], x;
	size_t  n = 0, i, j;

	for (i = 0; i < f->nkept && n < 32; i++) {
		x = f->items[i].published != DATE_NONE ? f->items[i].published : f->items[i].updated;
		if (x != DATE_NONE)
			t[n++] = x;
	}
	if (n < 3)
		return 0;
	for (i = 1; i < n; i++) /* newest first */
		for (j = i; j > 0 && t[j] > t[j - 1]; j--)
			x = t[j], t[j] = t[j - 1], t[j - 1] = x;
	for (i = 0; i + 1 < n; i++)
		gaps[i] = t[i] - t[i + 1];
	for (i = 1; i + 1 < n; i++)
		for (j = i; j > 0 && gaps[j] < gaps[j - 1]; j--)
			x = gaps[j], gaps[j] = gaps[j - 1], gaps[j - 1] = x;
	return gaps[(n - 1) / 2] / 2;
}

/* Moves t out of the feed's skipHours/skipDays (UTC), at most a week on. */
static double
skip_window(double t, uint32_t hours, uint8_t days)
{
	int i;

	if (!hours && !days)
		return t;
	for (i = 0; i < 24 * 7; i++) {
		time_t    tt = (time_t)t;
		struct tm tm;
		int       wd;

		gmtime_r(&tt, &tm);
		wd = (tm.tm_wday + 6) % 7; /* Monday 0 */
		if (!(hours & (1u << tm.tm_hour)) && !(days & (1u << wd)))
			return t;
		t += 3600 - (tm.tm_min * 60 + tm.tm_sec);
	}
	return t;
}

/* The next poll after a success: the feed's interval (its own, else
 * adaptive from how often it publishes, else the global), never more often
 * than its ttl, Cache-Control/Expires or Retry-After allow. */
static double
next_success(struct daemon *d, struct feedstate *fs, const struct feed *f,
	     const struct xfer_result *r, double now)
{
	const struct config *cfg = d->cfg;
	int64_t              iv = fs->interval;
	double               t;

	if (iv <= 0) {
		int64_t pub = f ? publish_interval(f) : 0;

		iv = pub > 0 ? pub : (fs->last_interval > 0 ? fs->last_interval : cfg->interval);
		if (iv < cfg->min_interval)
			iv = cfg->min_interval;
		if (iv > cfg->max_interval)
			iv = cfg->max_interval;
	}
	if (f && f->ttl > 0 && (int64_t)f->ttl * 60 > iv)
		iv = (int64_t)f->ttl * 60;
	if (r->max_age > iv)
		iv = r->max_age > cfg->max_interval ? cfg->max_interval : r->max_age;
	if (r->retry_after > iv)
		iv = r->retry_after;
	fs->last_interval = iv;
	t = now + (double)iv * jitter(d, 0.05);
	if (r->retry_after > 0 && t < now + (double)r->retry_after)
		t = now + (double)r->retry_after; /* jitter never undercuts the server's word */
	return skip_window(t, f ? f->skip_hours : 0, f ? f->skip_days : 0);
}

/* After an error: exponential backoff with jitter, capped at 12 h. */
static double
next_error(struct daemon *d, struct feedstate *fs, const struct xfer_result *r, double now)
{
	/* From the interval, but never more than 10 minutes for the first
	 * retry: most errors (DNS, a reset, a 503) are gone by then. */
	double base = (double)(fs->interval > 0 ? fs->interval : d->cfg->interval);
	double wait;

	if (base > 600)
		base = 600;
	wait = base * pow(2.0, fs->errors > 16 ? 16 : fs->errors - 1);

	if (wait > BACKOFF_CAP)
		wait = BACKOFF_CAP;
	wait *= jitter(d, 0.1);
	if (r->retry_after > 0 && (double)r->retry_after > wait)
		wait = (double)r->retry_after;
	return now + wait;
}

static void
swap_str(char **dst, char *src)
{
	if (src == NULL)
		return;
	free(*dst);
	*dst = strdup(src);
}

/* Opens a batch if none is open: 0, or a store_err (STORE_BUSY: another
 * process holds the write lock). */
static int
batch_open(struct daemon *d)
{
	int rc;

	if (d->batch_open)
		return 0;
	if ((rc = store_begin(d->store)) != 0)
		return rc;
	d->batch_open = 1;
	d->nbatch = 0;
	ev_timer_set(&d->batch_timer, BATCH_DELAY, 0.);
	ev_timer_start(d->loop, &d->batch_timer);
	return 0;
}

/* Opens a batch if none is open; then adds fs to it.  If the batch cannot
 * begin, each poll commits alone (store_begin in poll_store). */
static void
batch_add(struct daemon *d, struct feedstate *fs)
{
	if (batch_open(d) != 0) {
		log_warnx("storing polls: %s", store_errmsg(d->store));
		return;
	}
	if (d->nbatch == d->batch_cap) {
		size_t             cap = d->batch_cap ? 2 * d->batch_cap : 64;
		struct feedstate **nb = realloc(d->batch, cap * sizeof(struct feedstate *));

		if (nb == NULL) {
			poll_batch_commit(d); /* no room to track it: commit what is there */
			batch_add(d, fs);
			return;
		}
		d->batch = nb;
		d->batch_cap = cap;
	}
	d->batch[d->nbatch++] = fs;
}

void
poll_batch_commit(struct daemon *d)
{
	size_t i;

	ev_timer_stop(d->loop, &d->batch_timer);
	if (!d->batch_open)
		return;
	d->batch_open = 0;
	if (store_commit(d->store) == 0)
		return;
	/* Nothing of these polls was kept: forget their validators, so that
	 * the next poll of each fetches the whole document again instead of
	 * a 304 for items never stored. */
	{
		const char *why = store_errmsg(d->store);

		log_warnx("storing %zu polls failed, nothing of them was kept: %s", d->nbatch, why);
		/* One line per feed, so that each one's trouble is in the log
		 * under its URL (glean feeds cannot show it: nothing was written). */
		for (i = 0; i < d->nbatch; i++)
			log_warnx("%s: poll not stored: %s", d->batch[i]->url, why);
	}
	for (i = 0; i < d->nbatch; i++) {
		free(d->batch[i]->etag);
		free(d->batch[i]->last_modified);
		d->batch[i]->etag = d->batch[i]->last_modified = NULL;
	}
	d->nbatch = 0;
}

static void
batch_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	poll_batch_commit(w->data);
}

/* Why a poll failed before anything is stored (msg), or 0 if it brought
 * something to store (or a 304). */
static int
poll_failed(const struct feed *f, const struct xfer_result *r, const char *hint, char *msg,
	    size_t msgsz)
{
	if (r->error[0]) {
		snprintf(msg, msgsz, "%s", r->error);
		return 1;
	}
	if (r->http_status == 304)
		return 0;
	if (f == NULL || f->not_a_feed) {
		snprintf(msg, msgsz, "not a feed (Content-Type %s): %s%s%s%s",
			 r->content_type ? r->content_type : "none",
			 f && f->bozo_reason[0] ? f->bozo_reason : "empty body",
			 hint ? "; the page names a feed: " : "", hint ? hint : "",
			 hint ? " (use that URL)" : "");
		return 1;
	}
	if (f->incomplete) {
		/* Storing the items read so far would be a partial update. */
		snprintf(msg, msgsz, "document not read to its end, nothing of it stored: %s",
			 f->bozo_reason);
		return 1;
	}
	return 0;
}

/*
 * Stores one poll's outcome: its items, the result and the next poll time
 * (each a savepoint in the open batch), then schedules the feed.  `now`
 * is when the transfer ended.
 */
static void
poll_store(struct daemon *d, struct feedstate *fs, struct feed *f, struct xfer_result *r,
	   const char *hint, double now)
{
	struct ingest_result ir = {0};
	struct fetch_result  out = {0};
	double               next;
	char                 msg[512];
	int                  moved = 0, failed, outer, stored, errors = fs->errors;

	out.http_status = (int)r->http_status;
	out.etag = r->etag;
	out.last_modified = r->last_modified;
	out.bytes = r->bytes;
	out.duration_ms = r->duration_ms;
	out.moved_to = r->moved_to;
	/* One savepoint for the poll, in the batch: items, outcome and
	 * retention (each step a savepoint inside it).  If it cannot begin,
	 * each step commits alone. */
	batch_add(d, fs);
	outer = store_begin(d->store) == 0;
	failed = poll_failed(f, r, hint, msg, sizeof(msg));
	if (!failed && r->http_status != 304 && f != NULL) { /* poll_failed: f is set */
		if (store_ingest(d->store, fs->id, f, (int64_t)now, &ir) != 0) {
			failed = 1;
			snprintf(msg, sizeof(msg), "storing failed: %s", store_errmsg(d->store));
		} else if (f->bozo) {
			log_msg(LOG_NOTICE_, "%s: repaired: %s", fs->url, f->bozo_reason);
		}
		if (!failed && ir.new_items > 0)
			poll_index_soon(d);
	}
	if (failed) {
		fs->errors++;
		out.error = msg;
		if (r->http_status == 410)
			out.disable = "410 Gone: the server says the feed was removed for good";
		next = next_error(d, fs, r, now);
		/* --once polls every feed whatever the backoff: only the stored
		 * next poll honours Retry-After there. */
		if ((r->http_status == 429 || r->http_status == 503) && r->retry_after > 0 && fs->host &&
		    !d->once)
			fs->host->not_before = now + (double)r->retry_after;
		log_warnx("%s: %s (%d in a row, next attempt in %.0f s)", fs->url, msg, fs->errors,
			  next - now);
	} else {
		fs->errors = 0;
		next = next_success(d, fs, r->http_status == 304 ? NULL : f, r, now);
		if (r->http_status == 304)
			log_debug("%s: not modified", fs->url);
		else
			log_info("%s: %d new, %d updated (%lld bytes)", fs->url, ir.new_items, ir.updated,
				 (long long)r->bytes);
	}
	out.next_poll = (int64_t)next;
	stored = store_fetch_done(d->store, fs->id, (int64_t)now, &out, failed ? NULL : &ir, &moved) == 0;
	if (!stored)
		log_warnx("%s: recording the poll failed: %s", fs->url, store_errmsg(d->store));
	if (moved) {
		log_info("%s: moved permanently to %s, the feed's URL is updated", fs->url, r->moved_to);
		swap_str(&fs->url, r->moved_to);
	}
	if (out.disable) {
		log_warnx("%s: disabled: %s", fs->url, out.disable);
		fs->removed = 1;
	}
	if (!failed && r->http_status == 200) {
		int64_t deleted = 0; /* the feed's own limits win; the global ones otherwise */

		if (store_retention(d->store, fs->id, (int64_t)now, d->cfg->max_age, d->cfg->max_items,
				    &deleted) != 0)
			log_warnx("%s: retention failed: %s", fs->url, store_errmsg(d->store));
	}
	if (outer && store_commit(d->store) != 0) {
		log_warnx("%s: storing the poll failed, nothing of it was kept: %s", fs->url,
			  store_errmsg(d->store));
		stored = 0;
	}
	if (!failed && !stored) {
		/* A disk full, a read-only or locked database: what the poll
		 * brought is not stored, so its ETag must not make the next
		 * request conditional (a 304 would lose the items), and the
		 * retry comes as after any error. */
		failed = 1;
		fs->errors = errors + 1;
		snprintf(msg, sizeof(msg), "storing failed: %s", store_errmsg(d->store));
		next = next_error(d, fs, r, now);
		log_warnx("%s: not stored, next attempt in %.0f s", fs->url, next - now);
	} else if (!failed) {
		swap_str(&fs->etag, r->etag);
		swap_str(&fs->last_modified, r->last_modified);
	}
	if (stored && !failed && ir.new_items > 0 && fs->full_text)
		article_kick(d);
	/* A held poll's feed may be in flight again, or waiting for its host:
	 * that newer poll schedules it. */
	if (!fs->in_flight && !fs->waiting) {
		fs->due = next;
		if (!d->once && !d->stopping && !fs->removed)
			sched_put(&d->sched, fs);
	}
	if (d->ctl_conns)
		poll_batch_commit(d); /* glean refresh --wait reads the result next */
	else if (d->nbatch >= BATCH_MAX)
		poll_batch_commit(d);
	control_poll_done(d, fs, failed ? msg : NULL, ir.new_items);
}

/*
 * Held polls.  When another process holds the database's write lock (a
 * `sqlite3` shell in a transaction, a backup), the daemon does not wait
 * for it on the event loop: it waits briefly (store_set_busy in
 * gleanerd.c), then keeps each finished poll in memory, in order, and
 * retries every HOLD_RETRY.  Transfers, timers and the control socket go
 * on, every feed is polled on time, and nothing half is stored.  Past
 * HOLD_MAX polls or HOLD_MAX_BYTES of documents no new poll starts until
 * the held ones are stored.
 */
#define HOLD_RETRY     0.25
#define HOLD_MAX       256
#define HOLD_MAX_BYTES ((int64_t)64 << 20)

struct held {
	struct held       *next;
	struct feedstate  *fs;
	struct feed       *f;
	struct xfer_result r; /* owns its strings */
	char              *hint;
	double             now;
};

int
poll_held_full(const struct daemon *d)
{
	return d->nheld >= HOLD_MAX || d->held_bytes >= HOLD_MAX_BYTES;
}

/* Takes f, hint and r's strings: 0, or -1 if there is no memory to hold it. */
static int
hold(struct daemon *d, struct feedstate *fs, struct feed *f, struct xfer_result *r, char *hint,
     double now)
{
	struct held *h = calloc(1, sizeof(*h));
	char         msg[512];

	if (h == NULL)
		return -1;
	h->fs = fs;
	h->f = f;
	h->r = *r;
	h->hint = hint;
	h->now = now;
	r->etag = r->last_modified = r->content_type = r->final_url = r->moved_to = NULL;
	if (d->held_tail)
		d->held_tail->next = h;
	else
		d->held_head = h;
	d->held_tail = h;
	d->nheld++;
	d->held_bytes += h->r.bytes > 0 ? h->r.bytes : 0;
	if (d->nheld == 1)
		log_warnx("the database is locked by another process: finished polls wait in memory"
			  " until it is free (%s)", store_errmsg(d->store));
	/* Polled on time meanwhile: the next poll as if this one was stored;
	 * storing it sets the real one. */
	if (!d->once && !d->stopping && !fs->removed) {
		fs->due = poll_failed(f, &h->r, hint, msg, sizeof(msg))
			      ? now + (double)(fs->interval > 0 ? fs->interval : d->cfg->interval)
			      : next_success(d, fs, h->r.http_status == 304 ? NULL : f, &h->r, now);
		sched_put(&d->sched, fs);
	}
	if (!ev_is_active(&d->held_timer)) {
		ev_timer_set(&d->held_timer, HOLD_RETRY, 0.);
		ev_timer_start(d->loop, &d->held_timer);
	}
	return 0;
}

static void
held_free(struct held *h)
{
	feed_free(h->f);
	xfer_result_clear(&h->r);
	free(h->hint);
	free(h);
}

/* Stores held polls, oldest first, while the lock can be had.  Returns how
 * many are left. */
static size_t
held_store(struct daemon *d)
{
	size_t done = 0;

	while (d->held_head) {
		struct held *h = d->held_head;

		if (batch_open(d) == STORE_BUSY)
			break;
		d->held_head = h->next;
		if (d->held_head == NULL)
			d->held_tail = NULL;
		d->nheld--;
		d->held_bytes -= h->r.bytes > 0 ? h->r.bytes : 0;
		if (h->fs->removed)
			log_debug("%s: removed while its poll waited; not stored", h->fs->url);
		else
			poll_store(d, h->fs, h->f, &h->r, h->hint, h->now);
		held_free(h);
		done++;
	}
	if (done)
		log_info("the database is free again: %zu waiting polls stored%s", done,
			 d->held_head ? ", more wait" : "");
	return d->nheld;
}

static void
held_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct daemon *d = w->data;

	(void)revents;
	if (held_store(d) > 0) {
		ev_timer_set(w, HOLD_RETRY, 0.);
		ev_timer_start(loop, w);
	} else if (d->in_flight == 0) {
		poll_batch_commit(d);
	}
	poll_dispatch(d);
}

void
poll_held_flush(struct daemon *d)
{
	ev_timer_stop(d->loop, &d->held_timer);
	if (d->held_head == NULL)
		return;
	store_set_busy(d->store, -1, 0); /* at exit, wait for the lock as long as glean would */
	held_store(d);
	while (d->held_head) {
		struct held *h = d->held_head;

		d->held_head = h->next;
		log_warnx("%s: poll not stored, the database stayed locked: %s", h->fs->url,
			  store_errmsg(d->store));
		held_free(h);
	}
	d->held_tail = NULL;
	d->nheld = 0;
	d->held_bytes = 0;
}

static void
on_done(void *ud, struct xfer_result *r)
{
	struct pollctx   *c = ud;
	struct daemon    *d = c->d;
	struct feedstate *fs = c->fs;
	struct feed      *f = NULL;
	char             *hint = NULL;
	double            now = daemon_now(d);

	d->in_flight--;
	fs->in_flight = 0;
	if (fs->host)
		fs->host->in_flight--;
	if (c->p) {
		f = feed_parser_finish(c->p);
		feed_parser_free(c->p);
	}
	if (r->aborted) {
		/* Shutdown: nothing half-done is stored; the schedule stands. */
		log_info("%s: transfer aborted at shutdown", fs->url);
		goto out;
	}
	if (c->page_on && f && f->not_a_feed && c->page.len > 0) {
		char **urls = NULL;
		size_t n = discover_feeds(c->page.data, c->page.len, NULL,
					  r->final_url ? r->final_url : fs->url, &urls);

		if (n > 0)
			hint = strdup(urls[0]);
		discover_free(urls, n);
	}
	/* Behind held polls, or the lock is taken: held, in order. */
	if ((d->held_head != NULL || batch_open(d) == STORE_BUSY) &&
	    hold(d, fs, f, r, hint, now) == 0) {
		f = NULL;
		hint = NULL;
		goto out;
	}
	poll_store(d, fs, f, r, hint, now);
out:
	feed_free(f);
	free(hint);
	buf_free(&c->page);
	free(c);
	poll_dispatch(d);
	if (d->in_flight == 0)
		poll_batch_commit(d); /* nothing more is coming soon */
}

void
poll_start(struct daemon *d, struct feedstate *fs)
{
	const struct config      *cfg = d->cfg;
	const struct config_feed *cf = fs->cf;
	struct xfer_opts          o = {0};
	struct pollctx           *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		fs->due = daemon_now(d) + 60;
		sched_put(&d->sched, fs);
		return;
	}
	c->d = d;
	c->fs = fs;
	o.url = fs->url;
	o.etag = fs->etag;
	o.last_modified = fs->last_modified;
	o.user_agent = cf && cf->user_agent ? cf->user_agent : cfg->user_agent;
	o.proxy = cf ? cf->proxy : NULL;
	if (cf && cf->username) {
		o.username = cf->username;
		o.password = cf->password;
	}
	o.headers = cf ? cf->headers : NULL;
	o.nheaders = cf ? cf->nheaders : 0;
	o.max_body = cfg->max_body;
	o.timeout_ms = (long)cfg->timeout * 1000;
	o.connect_timeout_ms = (long)cfg->connect_timeout * 1000;
	o.allow_private = fs->allow_private;
	if (fetch_start(d->fetcher, &o, on_data, on_done, c) == -1) {
		log_warnx("%s: cannot start a transfer", fs->url);
		free(c);
		fs->due = daemon_now(d) + 60;
		sched_put(&d->sched, fs);
		return;
	}
	fs->in_flight = 1;
	if (fs->host)
		fs->host->in_flight++;
	d->in_flight++;
	d->polled++;
}

static void
tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	poll_dispatch(w->data);
}

/* Starts a feed waiting for its host, if the host has room now. */
static int
start_waiting(struct daemon *d, struct host *h, double now)
{
	struct feedstate *fs = h->wait_head;

	if (fs == NULL || h->in_flight >= d->cfg->max_host_connections)
		return 0;
	if (h->not_before > now) {
		if (!d->once)
			return 0;
		/* --once does not sit out a Retry-After: it skips the host. */
		log_warnx("%s: not polled: the host asked to wait %.0f s more", fs->url,
			  h->not_before - now);
		h->wait_head = fs->wait_next;
		if (h->wait_head == NULL)
			h->wait_tail = NULL;
		fs->wait_next = NULL;
		fs->waiting = 0;
		return 1;
	}
	h->wait_head = fs->wait_next;
	if (h->wait_head == NULL)
		h->wait_tail = NULL;
	fs->wait_next = NULL;
	fs->waiting = 0;
	if (fs->removed)
		return 1;
	poll_start(d, fs);
	return 1;
}

/* A connection free under max_connections (feed polls and articles). */
static int
slot_free(const struct daemon *d)
{
	return d->in_flight + d->art_in_flight < d->cfg->max_connections;
}

void
poll_dispatch(struct daemon *d)
{
	double            now = daemon_now(d);
	struct feedstate *fs;
	size_t            i;

	if (d->stopping) {
		if (d->in_flight + d->art_in_flight == 0)
			ev_break(d->loop, EVBREAK_ALL);
		return;
	}
	/* Feeds that waited for a busy host first, in order. */
	for (i = 0; i < d->nwaithosts && slot_free(d);) {
		struct host *h = d->waithosts[i];

		while (slot_free(d) && start_waiting(d, h, now))
			;
		if (h->wait_head == NULL) {
			h->listed = 0;
			d->waithosts[i] = d->waithosts[--d->nwaithosts];
		} else {
			i++;
		}
	}
	while (slot_free(d) && !poll_held_full(d) && (fs = sched_peek(&d->sched)) != NULL &&
	       fs->due <= now) {
		sched_remove(&d->sched, fs);
		if (fs->removed)
			continue;
		if (fs->host && fs->host->not_before > now) {
			if (d->once) {
				log_warnx("%s: not polled: the host asked to wait %.0f s more", fs->url,
					  fs->host->not_before - now);
				continue;
			}
			fs->due = fs->host->not_before;
			sched_put(&d->sched, fs);
			continue;
		}
		if (!sched_host_ready(&d->sched, fs, now, d->cfg->max_host_connections)) {
			if (!fs->host->listed) {
				struct host **nw = realloc(d->waithosts, (d->nwaithosts + 1) * sizeof(*nw));

				if (nw == NULL) {
					fs->due = now + 1;
					sched_put(&d->sched, fs);
					break;
				}
				d->waithosts = nw;
				d->waithosts[d->nwaithosts++] = fs->host;
				fs->host->listed = 1;
			}
			fs->waiting = 1;
			if (fs->host->wait_tail)
				fs->host->wait_tail->wait_next = fs;
			else
				fs->host->wait_head = fs;
			fs->host->wait_tail = fs;
			continue;
		}
		poll_start(d, fs);
	}
	ev_timer_stop(d->loop, &d->tick);
	/* Articles take the connections feeds left; none while polls wait
	 * for the lock (their results could not be stored either). */
	if (d->held_head == NULL)
		article_dispatch(d);
	if (d->once && d->in_flight == 0 && sched_peek(&d->sched) == NULL && d->nwaithosts == 0 &&
	    d->held_head == NULL && article_idle(d)) {
		ev_break(d->loop, EVBREAK_ALL);
		return;
	}
	{
		/* Wake for the next due feed, or for a paused host with waiters. */
		double wake = -1;

		if ((fs = sched_peek(&d->sched)) != NULL && slot_free(d))
			wake = fs->due;
		for (i = 0; i < d->nwaithosts; i++)
			if (d->waithosts[i]->not_before > now &&
			    (wake < 0 || d->waithosts[i]->not_before < wake))
				wake = d->waithosts[i]->not_before;
		if (wake >= 0) {
			ev_timer_set(&d->tick, wake > now ? wake - now : 0., 0.);
			ev_timer_start(d->loop, &d->tick);
		}
	}
}

/* One batch per loop turn, so that transfers and the control socket are
 * served between batches; the next batch at once if more are pending. */
static void
index_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct daemon *d = w->data;
	int64_t        n = 0;
	int            rc;

	(void)revents;
	poll_batch_commit(d); /* the index gets its own transactions */
	rc = store_index_pending(d->store, STORE_INDEX_BATCH, &n);
	if (rc < 0) {
		log_warnx("search index: %s (next attempt in %.0f s)", store_errmsg(d->store),
			  INDEX_RETRY);
		ev_timer_set(w, INDEX_RETRY, 0.);
		ev_timer_start(loop, w);
		return;
	}
	if (n > 0)
		log_debug("search index: %lld new items indexed", (long long)n);
	if (rc == 1) {
		ev_timer_set(w, 0., 0.);
		ev_timer_start(loop, w);
	}
}

void
poll_index_soon(struct daemon *d)
{
	if (ev_is_active(&d->index_timer))
		return;
	ev_timer_set(&d->index_timer, INDEX_DELAY, 0.);
	ev_timer_start(d->loop, &d->index_timer);
}

void
poll_index_flush(struct daemon *d)
{
	int64_t n = 0;

	ev_timer_stop(d->loop, &d->index_timer);
	poll_batch_commit(d);
	if (store_index_all(d->store, &n) < 0)
		log_warnx("search index: %s (the next start indexes what is left)",
			  store_errmsg(d->store));
	else if (n > 0)
		log_debug("search index: %lld new items indexed", (long long)n);
}

void
poll_init(struct daemon *d)
{
	ev_timer_init(&d->tick, tick_cb, 0., 0.);
	d->tick.data = d;
	ev_timer_init(&d->index_timer, index_cb, 0., 0.);
	d->index_timer.data = d;
	ev_timer_init(&d->batch_timer, batch_cb, 0., 0.);
	d->batch_timer.data = d;
	ev_timer_init(&d->held_timer, held_cb, 0., 0.);
	d->held_timer.data = d;
	d->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
}
