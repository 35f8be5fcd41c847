/*
 * fetch.c: HTTP transfers on libcurl's multi_socket API, driven by libev.
 *
 * The pattern of curl's docs/examples/evhiperfifo.c, with its pitfalls
 * fixed: timeouts are divided by 1000.0 (not in integers, which spins the
 * loop below a second); a 0 ms timeout arms a 0 s timer instead of calling
 * curl_multi_socket_action from inside libcurl; finished handles are
 * removed only after curl_multi_info_read, never inside a libcurl callback;
 * socket state stays alive until curl_multi_cleanup has returned.
 *
 * Every transfer: http and https only (redirects too), at most 5
 * redirects, connect and total timeouts and a low-speed limit, the decoded
 * body counted against a cap in the write callback (7.88's MAXFILESIZE only
 * acts on a size known up front), every encoding libcurl has, and no
 * connection to a private address unless allowed, checked on each resolved
 * address just before connect.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "gleanerd.h"

struct xfer;

struct fetcher {
	struct ev_loop *loop;
	CURLM          *multi;
	ev_timer        timer;
	int             running;
	int             active;
	struct xfer    *xfers; /* every transfer in flight (7.88 has no get_handles) */
};

struct sockinfo {
	ev_io           io;
	struct fetcher *f;
};

struct xfer {
	struct xfer       *next, *prev;
	struct fetcher    *f;
	CURL              *easy;
	struct curl_slist *hdrs;
	xfer_data_fn       data;
	xfer_done_fn       done;
	void              *ud;
	int64_t            max_body;
	int                allow_private;
	struct xfer_result r;
	struct timespec    start;
	/* Redirect hops seen by the header callback. */
	int                hops, all_permanent;
	char               errbuf[CURL_ERROR_SIZE];
};

/* ---------------------------------------------------------------- addresses */

static int
ip4_private(uint32_t a)
{
	return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
	       (a >> 20) == 0xAC1 ||              /* 172.16/12 */
	       (a >> 16) == 0xC0A8 ||             /* 192.168/16 */
	       (a >> 16) == 0xA9FE ||             /* 169.254/16 link-local */
	       (a >> 22) == (0x64400000u >> 22) || /* 100.64/10 carrier NAT */
	       (a >> 28) == 0xE ||                /* 224/4 multicast */
	       (a >> 28) == 0xF;                  /* 240/4 reserved, broadcast */
}

static int
ip6_private(const struct in6_addr *a)
{
	const uint8_t *b = a->s6_addr;

	if (IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LINKLOCAL(a) ||
	    IN6_IS_ADDR_SITELOCAL(a) || IN6_IS_ADDR_MULTICAST(a) || (b[0] & 0xFE) == 0xFC)
		return 1;
	if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a)) {
		uint32_t v4;

		memcpy(&v4, b + 12, 4);
		return ip4_private(ntohl(v4));
	}
	return 0;
}

/* The address is copied out, not read through a cast: a sockaddr_in
 * written into a sockaddr_storage and read back as a sockaddr is an
 * aliasing violation, and at -O2 GCC read the family as the memset's 0
 * (every address "private", every feed refused in the release build). */
int
addr_is_private(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in in;

		memcpy(&in, sa, sizeof(in));
		return ip4_private(ntohl(in.sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6 in6;

		memcpy(&in6, sa, sizeof(in6));
		return ip6_private(&in6.sin6_addr);
	}
	return 1; /* anything else (AF_UNIX...) is never a feed server */
}

static curl_socket_t
opensocket_cb(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct xfer *x = ud;

	if (purpose == CURLSOCKTYPE_IPCXN && !x->allow_private && addr_is_private(&a->addr)) {
		x->r.blocked_private = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* Runs after connect or reuse, before the request is sent: the address of
 * a reused connection is checked too (a redirect must not reach a private
 * address through a pooled connection another feed was allowed). */
static int
prereq_cb(void *ud, char *conn_primary_ip, char *conn_local_ip, int conn_primary_port,
	  int conn_local_port)
{
	struct xfer    *x = ud;
	struct in_addr  a4;
	struct in6_addr a6;
	int             priv;

	(void)conn_local_ip;
	(void)conn_primary_port;
	(void)conn_local_port;
	if (x->allow_private)
		return CURL_PREREQFUNC_OK;
	if (inet_pton(AF_INET, conn_primary_ip, &a4) == 1)
		priv = ip4_private(ntohl(a4.s_addr));
	else if (inet_pton(AF_INET6, conn_primary_ip, &a6) == 1)
		priv = ip6_private(&a6);
	else
		return CURL_PREREQFUNC_OK; /* a proxy or a name: opensocket_cb judged it */
	if (priv) {
		x->r.blocked_private = 1;
		return CURL_PREREQFUNC_ABORT;
	}
	return CURL_PREREQFUNC_OK;
}

/* ---------------------------------------------------------------- callbacks */

static size_t
write_cb(char *p, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t       len = size * n;

	if (x->max_body > 0 && x->r.bytes + (int64_t)len > x->max_body) {
		x->r.too_large = 1;
		return CURL_WRITEFUNC_ERROR;
	}
	if (x->r.bytes == 0 && x->r.content_type == NULL) {
		char *ct = NULL;

		if (curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
			x->r.content_type = strdup(ct);
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->r.http_status);
	}
	x->r.bytes += (int64_t)len;
	if (x->data && x->data(x->ud, &x->r, p, len) == -1)
		return CURL_WRITEFUNC_ERROR;
	return len;
}

/* Sees the status line of every hop: a redirect chain counts as a move
 * only when every hop in it was permanent. */
static size_t
header_cb(char *p, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t       len = size * n;

	if (len > 9 && !strncmp(p, "HTTP/", 5)) {
		const char *sp = memchr(p, ' ', len);
		long        code = sp ? strtol(sp + 1, NULL, 10) : 0;

		if (code >= 300 && code < 400 && code != 304) {
			x->hops++;
			if (code != 301 && code != 308)
				x->all_permanent = 0;
		}
	}
	return len;
}

static char *
last_header(CURL *e, const char *name)
{
	struct curl_header *h;

	if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || h->value == NULL)
		return NULL;
	return strdup(h->value);
}

/* Seconds from a Retry-After (delta or HTTP date), -1 if none or bad. */
static int64_t
retry_after(CURL *e)
{
	char   *v = last_header(e, "Retry-After");
	int64_t r = -1;
	char   *end;
	time_t  t;

	if (v == NULL)
		return -1;
	r = strtoll(v, &end, 10);
	if (end == v || *end != '\0' || r < 0) {
		r = -1;
		if ((t = curl_getdate(v, NULL)) != -1)
			r = t > time(NULL) ? (int64_t)(t - time(NULL)) : 0;
	}
	free(v);
	return r;
}

/* Cache-Control max-age, else Expires, in seconds from now; -1 if none. */
static int64_t
cache_lifetime(CURL *e)
{
	char   *v = last_header(e, "Cache-Control");
	int64_t r = -1;
	time_t  t;

	if (v) {
		const char *m = strcasestr(v, "max-age=");

		if (m)
			r = strtoll(m + 8, NULL, 10);
		if (strcasestr(v, "no-cache") || strcasestr(v, "no-store"))
			r = 0;
		free(v);
		if (r >= 0)
			return r;
	}
	if ((v = last_header(e, "Expires")) != NULL) {
		if ((t = curl_getdate(v, NULL)) != -1)
			r = t > time(NULL) ? (int64_t)(t - time(NULL)) : 0;
		free(v);
	}
	return r;
}

/* ---------------------------------------------------------------- the loop */

static void
xfer_finish(struct xfer *x, CURLcode code)
{
	struct fetcher  *f = x->f;
	struct timespec  now;
	char            *u = NULL, *ct = NULL;

	clock_gettime(CLOCK_MONOTONIC, &now);
	x->r.duration_ms = (now.tv_sec - x->start.tv_sec) * 1000 +
			   (now.tv_nsec - x->start.tv_nsec) / 1000000;
	x->r.code = code;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->r.http_status);
	if (curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &u) == CURLE_OK && u)
		x->r.final_url = strdup(u);
	if (x->r.content_type == NULL &&
	    curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
		x->r.content_type = strdup(ct);
	x->r.etag = last_header(x->easy, "ETag");
	x->r.last_modified = last_header(x->easy, "Last-Modified");
	x->r.retry_after = retry_after(x->easy);
	x->r.max_age = cache_lifetime(x->easy);
	if (x->hops > 0 && x->all_permanent && x->r.final_url)
		x->r.moved_to = strdup(x->r.final_url);
	if (code == CURLE_FILESIZE_EXCEEDED)
		x->r.too_large = 1; /* refused on Content-Length, before any byte */
	if (x->r.too_large)
		snprintf(x->r.error, sizeof(x->r.error), "body larger than the %lld-byte cap",
			 (long long)x->max_body);
	else if (x->r.blocked_private)
		snprintf(x->r.error, sizeof(x->r.error),
			 "refused to connect to a private address (allow_private_addresses is off)");
	else if (code != CURLE_OK)
		snprintf(x->r.error, sizeof(x->r.error), "%s", x->errbuf[0] ? x->errbuf
									: curl_easy_strerror(code));
	else if (x->r.http_status >= 400 || x->r.http_status < 200)
		snprintf(x->r.error, sizeof(x->r.error), "HTTP %ld", x->r.http_status);

	curl_multi_remove_handle(f->multi, x->easy);
	curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->hdrs);
	if (x->prev)
		x->prev->next = x->next;
	else
		f->xfers = x->next;
	if (x->next)
		x->next->prev = x->prev;
	f->active--;
	if (x->done)
		x->done(x->ud, &x->r);
	xfer_result_clear(&x->r);
	free(x);
}

/* Reaps finished transfers.  Runs from libev callbacks, after
 * curl_multi_socket_action has returned: never inside libcurl. */
static void
check_done(struct fetcher *f)
{
	CURLMsg *m;
	int      left;

	while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
		char    *priv = NULL; /* a char * of its own: no type-punned write */
		CURLcode code;

		if (m->msg != CURLMSG_DONE)
			continue;
		code = m->data.result; /* copied before the handle goes */
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		if (priv)
			xfer_finish((struct xfer *)(void *)priv, code);
	}
}

static void
io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sockinfo *si = w->data;
	struct fetcher  *f = si->f; /* si may be freed inside socket_action */
	int              action = (revents & EV_READ ? CURL_CSELECT_IN : 0) |
			  (revents & EV_WRITE ? CURL_CSELECT_OUT : 0);

	(void)loop;
	curl_multi_socket_action(f->multi, w->fd, action, &f->running);
	check_done(f);
}

static void
timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct fetcher *f = w->data;

	(void)loop;
	(void)revents;
	curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &f->running);
	check_done(f);
}

/* libcurl asks for a timer: -1 stops it; 0 means "soon", which is a 0 s
 * libev timer, not a direct call back into libcurl. */
static int
multi_timer_cb(CURLM *multi, long timeout_ms, void *ud)
{
	struct fetcher *f = ud;

	(void)multi;
	ev_timer_stop(f->loop, &f->timer);
	if (timeout_ms >= 0) {
		ev_timer_set(&f->timer, (double)timeout_ms / 1000.0, 0.);
		ev_timer_start(f->loop, &f->timer);
	}
	return 0;
}

static int
multi_sock_cb(CURL *e, curl_socket_t s, int what, void *ud, void *sockp)
{
	struct fetcher  *f = ud;
	struct sockinfo *si = sockp;
	int              kind;

	(void)e;
	if (what == CURL_POLL_REMOVE) {
		if (si) {
			ev_io_stop(f->loop, &si->io);
			free(si);
		}
		curl_multi_assign(f->multi, s, NULL);
		return 0;
	}
	kind = (what & CURL_POLL_IN ? EV_READ : 0) | (what & CURL_POLL_OUT ? EV_WRITE : 0);
	if (si == NULL) {
		if ((si = calloc(1, sizeof(*si))) == NULL)
			return -1;
		si->f = f;
		curl_multi_assign(f->multi, s, si);
	} else {
		ev_io_stop(f->loop, &si->io);
	}
	ev_io_init(&si->io, io_cb, s, kind);
	si->io.data = si;
	ev_io_start(f->loop, &si->io);
	return 0;
}

struct fetcher *
fetcher_new(struct ev_loop *loop, int max_connections, int max_host_connections)
{
	struct fetcher *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->loop = loop;
	if ((f->multi = curl_multi_init()) == NULL) {
		free(f);
		return NULL;
	}
	ev_timer_init(&f->timer, timer_cb, 0., 0.);
	f->timer.data = f;
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, multi_sock_cb);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, multi_timer_cb);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)max_connections);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)max_host_connections);
	curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	return f;
}

int
fetch_start(struct fetcher *f, const struct xfer_opts *o, xfer_data_fn data, xfer_done_fn done,
	    void *ud)
{
	struct xfer *x = calloc(1, sizeof(*x));
	CURL        *e;
	size_t       i;

	if (x == NULL || (e = curl_easy_init()) == NULL) {
		free(x);
		return -1;
	}
	x->f = f;
	x->easy = e;
	x->data = data;
	x->done = done;
	x->ud = ud;
	x->max_body = o->max_body;
	x->allow_private = o->allow_private;
	x->all_permanent = 1;
	x->r.retry_after = x->r.max_age = -1;
	clock_gettime(CLOCK_MONOTONIC, &x->start);

	curl_easy_setopt(e, CURLOPT_URL, o->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms > 0 ? o->connect_timeout_ms
										    : 10000L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 60000L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 64L); /* bytes/s ... */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 30L);  /* ... for 30 s */
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, opensocket_cb);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, x);
	curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, prereq_cb);
	curl_easy_setopt(e, CURLOPT_PREREQDATA, x);
	curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent ? o->user_agent
							    : "Gleaner/" GLEANER_VERSION);
	if (o->proxy)
		curl_easy_setopt(e, CURLOPT_PROXY, o->proxy);
	if (o->username) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, o->username);
		curl_easy_setopt(e, CURLOPT_PASSWORD, o->password ? o->password : "");
	}
	if (o->max_body > 0)
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
	if (o->last_modified) {
		time_t t = curl_getdate(o->last_modified, NULL);

		if (t != -1) {
			curl_easy_setopt(e, CURLOPT_TIMECONDITION, (long)CURL_TIMECOND_IFMODSINCE);
			curl_easy_setopt(e, CURLOPT_TIMEVALUE_LARGE, (curl_off_t)t);
		}
	}
	if (o->etag && *o->etag) {
		char h[1024];

		snprintf(h, sizeof(h), "If-None-Match: %s", o->etag);
		x->hdrs = curl_slist_append(x->hdrs, h);
	}
	if (o->accept) {
		char h[512];

		snprintf(h, sizeof(h), "Accept: %s", o->accept);
		x->hdrs = curl_slist_append(x->hdrs, h);
	} else {
		x->hdrs = curl_slist_append(x->hdrs, "Accept: application/atom+xml, application/rss+xml, "
						     "application/feed+json, application/xml;q=0.9, "
						     "text/xml;q=0.9, */*;q=0.8");
	}
	for (i = 0; i < o->nheaders; i++)
		x->hdrs = curl_slist_append(x->hdrs, o->headers[i]);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);

	if (curl_multi_add_handle(f->multi, e) != CURLM_OK) {
		curl_slist_free_all(x->hdrs);
		curl_easy_cleanup(e);
		free(x);
		return -1;
	}
	x->next = f->xfers;
	if (f->xfers)
		f->xfers->prev = x;
	f->xfers = x;
	f->active++;
	return 0;
}

int
fetcher_active(const struct fetcher *f)
{
	return f->active;
}

/* Ends every transfer now.  Each one's done callback runs (aborted set). */
void
fetcher_abort_all(struct fetcher *f)
{
	while (f->xfers) {
		f->xfers->r.aborted = 1;
		xfer_finish(f->xfers, CURLE_ABORTED_BY_CALLBACK);
	}
}

void
fetcher_free(struct fetcher *f)
{
	if (f == NULL)
		return;
	fetcher_abort_all(f);
	ev_timer_stop(f->loop, &f->timer);
	/* The socket callback may run during cleanup: f must still be valid. */
	curl_multi_cleanup(f->multi);
	free(f);
}

void
xfer_result_clear(struct xfer_result *r)
{
	free(r->etag);
	free(r->last_modified);
	free(r->content_type);
	free(r->final_url);
	free(r->moved_to);
	r->etag = r->last_modified = r->content_type = r->final_url = r->moved_to = NULL;
}
