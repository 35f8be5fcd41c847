/*
 * gleanerd.h: the daemon's modules, prototypes grouped by file.
 */
#ifndef GLEANERD_H
#define GLEANERD_H

#include <curl/curl.h>
#include <ev.h>

#include "gleaner.h"

/* fetch.c: HTTP transfers on libcurl's multi_socket API, driven by libev. */
struct fetcher;
struct xfer_opts {
	const char *url;
	const char *etag, *last_modified;     /* conditional GET, may be NULL */
	const char *user_agent, *proxy, *username, *password;
	const char *accept;                   /* Accept header; NULL: feed types */
	char      **headers;                  /* "Name: value", may be NULL */
	size_t      nheaders;
	int64_t     max_body;                 /* bytes of decoded body */
	long        timeout_ms, connect_timeout_ms;
	int         allow_private;
};
struct xfer_result {
	CURLcode code;
	long     http_status;
	char     error[CURL_ERROR_SIZE + 64]; /* empty on success */
	char    *etag, *last_modified, *content_type, *final_url;
	char    *moved_to;    /* set when every redirect hop was permanent (301/308) */
	int64_t  retry_after; /* seconds, -1 if none */
	int64_t  max_age;     /* Cache-Control max-age or Expires, seconds, -1 if none */
	int64_t  bytes;
	int64_t  duration_ms;
	int      too_large, blocked_private, aborted;
};
/* Called with each piece of the decoded body (r->content_type is known by
 * then); return 0 to go on, -1 to abort. */
typedef int (*xfer_data_fn)(void *ud, const struct xfer_result *r, const char *, size_t);
/* Called once when the transfer ends, outside any libcurl callback. */
typedef void (*xfer_done_fn)(void *ud, struct xfer_result *);
struct fetcher *fetcher_new(struct ev_loop *, int max_connections, int max_host_connections);
int  fetch_start(struct fetcher *, const struct xfer_opts *, xfer_data_fn, xfer_done_fn, void *ud);
int  fetcher_active(const struct fetcher *);
/* Aborts every transfer (each done callback runs with aborted set). */
void fetcher_abort_all(struct fetcher *);
void fetcher_free(struct fetcher *);
void xfer_result_clear(struct xfer_result *);
/* Is this socket address loopback, private, link-local, ULA or multicast? */
int  addr_is_private(const struct sockaddr *);

/* sched.c: the poll queue (a heap on due time) and per-host state. */
#define HEAP_NONE ((size_t)-1)
struct feedstate;
struct host {
	char             *name;
	int               in_flight;
	int               listed;        /* in daemon->waithosts */
	double            not_before;    /* 429/503 Retry-After for the whole host */
	struct feedstate *wait_head, *wait_tail; /* due, waiting for a connection */
};
struct feedstate {
	int64_t      id;
	char        *url;
	struct host *host;
	double       due;                /* wall-clock seconds */
	size_t       heap_index;
	struct feedstate *wait_next;
	int          waiting, in_flight, removed;
	int          errors;             /* in a row */
	int64_t      interval;           /* the feed's own, 0: global */
	int64_t      last_interval;      /* what the last success chose */
	const struct config_feed *cf;    /* its config section, if any */
	int          full_text, allow_private;
	char        *etag, *last_modified;
};
struct sched {
	struct feedstate **heap;
	size_t             n, cap;
	struct host       *hosts;
};
struct host *sched_host(struct sched *, const char *name);
int  sched_put(struct sched *, struct feedstate *);
void sched_remove(struct sched *, struct feedstate *);
struct feedstate *sched_peek(const struct sched *);
int  sched_host_ready(struct sched *, const struct feedstate *, double now, int max_host);
void sched_free(struct sched *);

/* poll.c: one poll of one feed, from request to stored result. */
struct daemon {
	struct ev_loop   *loop;
	struct config    *cfg;
	struct store     *store;
	struct fetcher   *fetcher;
	struct sched      sched;
	struct feedstate **feeds;        /* every feed, by no particular order */
	size_t            nfeeds;
	struct host     **waithosts;     /* hosts with feeds waiting for a connection */
	size_t            nwaithosts;
	ev_timer          tick;          /* armed for the earliest due feed */
	ev_timer          index_timer;   /* indexes new items for search, shortly after */
	ev_timer          batch_timer;   /* commits the open batch of polls */
	struct feedstate **batch;        /* the feeds whose polls it holds */
	size_t            nbatch, batch_cap;
	int               batch_open;    /* a transaction is open for it */
	struct held      *held_head, *held_tail; /* finished polls waiting for the lock */
	size_t            nheld;
	int64_t           held_bytes;
	ev_timer          held_timer;    /* tries to store them again */
	ev_timer          watchdog;
	ev_signal         sigterm, sigint, sighup;
	ev_timer          shutdown_timer;
	int               once, stopping, in_flight, polled;
	int               art_in_flight;  /* article fetches (in_flight: feed polls) */
	int               articles;       /* article fetches started */
	struct artq      *artq;
	unsigned          seed;
	ev_io             ctl_listen;
	char             *ctl_path;
	struct ctl_conn  *ctl_conns;
};
void poll_init(struct daemon *);
void poll_start(struct daemon *, struct feedstate *);
/* Starts what is due and allowed, and arms the tick for the next one. */
void poll_dispatch(struct daemon *);
double daemon_now(const struct daemon *);
/* New items become searchable a few seconds after they are stored, many
 * feeds' worth at a time; flush indexes everything pending now (at exit). */
void poll_index_soon(struct daemon *);
void poll_index_flush(struct daemon *);
/* Polls are stored in batches: one transaction for the polls that end
 * within BATCH_DELAY, each poll a savepoint in it.  Commits the open batch
 * now (before exit, and before anything that must see it committed). */
void poll_batch_commit(struct daemon *);
/* Polls wait in memory while another process holds the write lock; full:
 * too many wait, start no new poll.  Flush stores them before exit,
 * waiting for the lock as glean does, and drops (logged) what it cannot. */
int  poll_held_full(const struct daemon *);
void poll_held_flush(struct daemon *);

/* article.c: the article queue (fetch, extract, store the linked pages). */
struct artq;
int  article_init(struct daemon *);
void article_free(struct daemon *);
/* Starts the article fetches that are due and allowed (after feed polls)
 * and arms the queue's timer.  Called by poll_dispatch. */
void article_dispatch(struct daemon *);
/* New items or a refetch: look in the database at the next dispatch. */
void article_kick(struct daemon *);
int  article_idle(const struct daemon *);   /* nothing queued, in flight or to load */
size_t article_queued(const struct daemon *);
/* Is an article of one of these feeds due now: to load, queued on a host
 * that is not paused, or in flight? */
int  article_busy(const struct daemon *, const int64_t *feeds, size_t n);

/* control.c: the control socket (status, reload, refresh). */
struct ctl_conn;
int  control_open(struct daemon *, const char *path);
void control_close(struct daemon *);
void control_poll_done(struct daemon *, const struct feedstate *, const char *error, int new_items);
/* Tells clients waiting on an article's refetch, or on the articles of
 * their refresh (feed_id: the item's feed that queued it): status NULL if
 * storing failed. */
void control_article_done(struct daemon *, int64_t id, int64_t kept, int64_t feed_id,
			  const char *status, const char *error);
/* After each article dispatch: refresh --wait clients whose articles are
 * all done get "done". */
void control_articles_progress(struct daemon *);

/* gleanerd.c */
int  daemon_load_feeds(struct daemon *);
/* Loads the configuration again; on error the running one stays (err says why). */
int  daemon_reload(struct daemon *, char *err, size_t errsz);

#endif
