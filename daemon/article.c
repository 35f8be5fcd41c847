/*
 * article.c: the article queue.  For each new item of a feed with full
 * text on, the page it links to is fetched, its article extracted and
 * stored (lib/store_article.c keeps the queue in the database: what is
 * due, retries, dedupe).
 *
 * Article fetches share the fetcher and the global connection limit with
 * feed polls, and come second: they start only in slots no due feed is
 * waiting for.  Per host, at most article_host_connections at once and
 * article_host_delay between two starts.  A page must be text/html or
 * application/xhtml+xml, within max_body, reached within the timeout, and
 * on a public address unless private ones are allowed (globally, or by the
 * item's feed for pages on that feed's own host).
 *
 * The queue in memory holds at most ARTQ_MAX jobs, loaded from the
 * database when it runs low, when a poll brings new items, on refetch,
 * and when the next retry comes due.  Extraction runs on the loop (a page
 * takes milliseconds); its result is written in one short transaction.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gleanerd.h"

#define ARTQ_MAX 512  /* jobs held in memory */
#define ARTQ_LOW 64   /* load more below this */
#define ARTQ_IDLE 300 /* seconds between looks at the database when nothing is due */
/* A 429 without Retry-After pauses the host this long; no server's word
 * pauses it longer than ARTQ_PAUSE_MAX. */
#define ARTQ_PAUSE     60
/* After an article could not be stored because another process holds the
 * write lock, no article starts for this long: the page is fetched again
 * later, not over and over while the lock lasts. */
#define ARTQ_LOCK_WAIT 5.0
#define ARTQ_PAUSE_MAX (24 * 3600)

struct arthost;

struct artjob {
	int64_t		id, feed_id;
	char	       *url;
	char	       *feed_url;
	int		attempts;
	struct arthost *host;
	struct artjob  *next; /* in the host's queue, or in flight */
	struct artq    *q;
	struct buf	body;
	int		not_html;
	char		ctype[128];
};

struct arthost {
	char	       *name;
	int		in_flight;
	double		next_start; /* article_host_delay after the last start */
	double		not_before; /* the server asked to wait (429, 503 Retry-After) */
	struct artjob  *head, *tail;
	struct arthost *next;
};

struct artq {
	struct daemon  *d;
	struct arthost *hosts;
	struct artjob  *flying; /* in flight */
	size_t		queued;
	int		in_flight;
	int		need_load;
	int		more;	  /* the last load left due articles behind */
	double		lock_wait; /* no start before: the database was locked */
	double		next_due; /* the next retry in the database, 0 if none */
	double		last_load;
	ev_timer	timer;
};

static char *
host_of(const char *url)
{
	CURLU *h = curl_url();
	char  *host = NULL, *out = NULL;

	if (h && curl_url_set(h, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(h, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		out = strdup(host);
		curl_free(host);
	}
	curl_url_cleanup(h);
	return out ? out : strdup("");
}

static struct arthost *
host_get(struct artq *q, const char *name)
{
	struct arthost *h;

	for (h = q->hosts; h; h = h->next)
		if (!strcmp(h->name, name))
			return h;
	if ((h = calloc(1, sizeof(*h))) == NULL || (h->name = strdup(name)) == NULL) {
		free(h);
		return NULL;
	}
	h->next = q->hosts;
	q->hosts = h;
	return h;
}

/* Hosts with nothing queued, nothing in flight and no spacing left to
 * keep go, so that the list stays as short as the work in hand. */
static void
hosts_prune(struct artq *q, double now)
{
	struct arthost **pp = &q->hosts, *h;

	while ((h = *pp) != NULL) {
		if (h->head == NULL && h->in_flight == 0 && h->next_start <= now) {
			*pp = h->next;
			free(h->name);
			free(h);
		} else {
			pp = &h->next;
		}
	}
}

static void
job_free(struct artjob *j)
{
	if (j == NULL)
		return;
	free(j->url);
	free(j->feed_url);
	buf_free(&j->body);
	free(j);
}

/* A 429 (with or without Retry-After) or a 503 with Retry-After pauses
 * every article fetch from that host, as feeds do for their hosts; the
 * article itself is retried after the wait too (store_article_done). */
static void
host_slow_down(struct arthost *h, const struct xfer_result *r, double now, const char *url)
{
	double pause;

	if (r->http_status == 429)
		pause = r->retry_after > 0 ? (double)r->retry_after : ARTQ_PAUSE;
	else if (r->http_status == 503 && r->retry_after > 0)
		pause = (double)r->retry_after;
	else
		return;
	if (pause > ARTQ_PAUSE_MAX)
		pause = ARTQ_PAUSE_MAX;
	if (h->not_before < now + pause)
		h->not_before = now + pause;
	if (h->next_start < h->not_before)
		h->next_start = h->not_before;
	log_warnx("%s: HTTP %ld: article fetches from %s wait %.0f s", url, r->http_status, h->name,
		  pause);
}

/* --once does not sit out a host's pause: its queued articles stay
 * pending in the database for a later run. */
static void
host_skip(struct artq *q, struct arthost *h, double now)
{
	struct artjob *j;
	int	       n = 0;

	while ((j = h->head) != NULL) {
		h->head = j->next;
		q->queued--;
		job_free(j);
		n++;
	}
	h->tail = NULL;
	log_warnx("%s: %d articles not fetched: the host asked to wait %.0f s more", h->name, n,
		  h->not_before - now);
}

static int
job_known(const struct artq *q, int64_t id)
{
	const struct arthost *h;
	const struct artjob  *j;

	for (j = q->flying; j; j = j->next)
		if (j->id == id)
			return 1;
	for (h = q->hosts; h; h = h->next)
		for (j = h->head; j; j = j->next)
			if (j->id == id)
				return 1;
	return 0;
}

/* Takes a queued job out (another fetch made it pointless). */
static void
job_drop(struct artq *q, int64_t id)
{
	struct arthost *h;
	struct artjob **pp, *j;

	for (h = q->hosts; h; h = h->next)
		for (pp = &h->head; (j = *pp) != NULL; pp = &j->next)
			if (j->id == id) {
				*pp = j->next;
				if (h->tail == j) {
					struct artjob *t = h->head;

					while (t && t->next)
						t = t->next;
					h->tail = t;
				}
				q->queued--;
				job_free(j);
				return;
			}
}

struct loadctx {
	struct artq *q;
	int	     added, seen, full;
};

static int
load_one(void *ud, const struct store_article_job *sj)
{
	struct loadctx *lc = ud;
	struct artq    *q = lc->q;
	struct artjob  *j;
	char	       *hn;

	lc->seen++;
	if (q->queued >= ARTQ_MAX) {
		lc->full = 1;
		return 1;
	}
	if (job_known(q, sj->id))
		return 0;
	if ((j = calloc(1, sizeof(*j))) == NULL || (j->url = strdup(sj->url)) == NULL ||
	    (hn = host_of(sj->url)) == NULL) {
		job_free(j);
		lc->full = 1;
		return 1;
	}
	j->feed_url = sj->feed_url ? strdup(sj->feed_url) : NULL;
	j->id = sj->id;
	j->feed_id = sj->feed_id;
	j->attempts = sj->attempts;
	j->q = q;
	j->host = host_get(q, hn);
	free(hn);
	if (j->host == NULL) {
		job_free(j);
		lc->full = 1;
		return 1;
	}
	if (j->host->tail)
		j->host->tail->next = j;
	else
		j->host->head = j;
	j->host->tail = j;
	q->queued++;
	lc->added++;
	return 0;
}

/* Reads what is due from the database into the queue. */
static void
load(struct artq *q, double now)
{
	struct loadctx lc = {q, 0, 0, 0};
	int64_t	       next = DATE_NONE;

	q->need_load = 0;
	q->more = 0;
	q->last_load = now;
	if (store_articles_due(q->d->store, (int64_t)now, ARTQ_MAX, load_one, &lc, &next) != 0) {
		log_warnx("article queue: %s", store_errmsg(q->d->store));
		q->next_due = now + 60; /* try again in a minute */
		return;
	}
	/* Cut short or at the limit: more are due than the queue took. */
	q->more = lc.full || lc.seen >= ARTQ_MAX;
	q->next_due = next == DATE_NONE ? 0 : (double)next;
	if (lc.added)
		log_debug("article queue: %d loaded, %zu queued", lc.added, q->queued);
}

/* ------------------------------------------------------------ one fetch */

static int
is_html_type(const char *ct)
{
	size_t n = strcspn(ct, ";");

	while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	return (n == 9 && !strncasecmp(ct, "text/html", 9)) ||
	       (n == 21 && !strncasecmp(ct, "application/xhtml+xml", 21));
}

static int
on_data(void *ud, const struct xfer_result *r, const char *data, size_t len)
{
	struct artjob *j = ud;

	if (r->http_status < 200 || r->http_status >= 300)
		return 0; /* an error page: read and dropped, under the cap */
	if (j->body.len == 0 && r->content_type && !is_html_type(r->content_type)) {
		j->not_html = 1;
		snprintf(j->ctype, sizeof(j->ctype), "%s", r->content_type);
		return -1;
	}
	return buf_add(&j->body, data, len);
}

/* The [site "HOST"] section for host: the host itself or a parent
 * domain of it (a rule for example.com covers www.example.com), the
 * longest that matches. */
static const struct config_site *
site_for(const struct config *cfg, const char *host)
{
	const struct config_site *best = NULL;
	size_t			  i, hl = strlen(host), bl = 0;

	for (i = 0; i < cfg->nsites; i++) {
		const char *s = cfg->sites[i].host;
		size_t	    sl = strlen(s);

		if (sl > bl && (!strcasecmp(host, s) || (hl > sl && host[hl - sl - 1] == '.' &&
							 !strcasecmp(host + hl - sl, s)))) {
			best = &cfg->sites[i];
			bl = sl;
		}
	}
	return best;
}

static char *
site_xpath(const struct config *cfg, const struct config_site *site, const char *sel,
	   const char *what)
{
	char  err[256];
	char *x;

	if (sel == NULL)
		return NULL;
	if ((x = selector_to_xpath(sel, err, sizeof(err))) == NULL)
		log_warnx("%s:%u: [site \"%s\"] %s: %s; the rule is ignored", cfg->path, site->line,
			  site->host, what, err);
	return x;
}

/* Extracts the article of a 2xx page into f. */
static void
extract(struct artq *q, struct artjob *j, const struct xfer_result *r, struct article *a,
	struct article_fetch *f, char *err, size_t errsz)
{
	const struct config_site *site;
	struct extract_opts	  o = {0};
	char			  cs[64], *host, *content = NULL, *remove = NULL;
	int			  rc;

	o.url = r->final_url ? r->final_url : j->url;
	if (r->content_type && charset_from_content_type(r->content_type, cs, sizeof(cs)) == 0)
		o.http_charset = cs;
	host = host_of(o.url);
	if (host && (site = site_for(q->d->cfg, host)) != NULL) {
		o.content_xpath = content = site_xpath(q->d->cfg, site, site->content, "content");
		o.remove_xpath = remove = site_xpath(q->d->cfg, site, site->remove, "remove");
	}
	free(host);
	err[0] = '\0';
	rc = extract_article(j->body.data ? j->body.data : "", j->body.len, &o, a, err, errsz);
	free(content);
	free(remove);
	f->a = a;
	if (rc == EXTRACT_OK) {
		f->status = ART_EXTRACTED;
	} else if (rc == EXTRACT_EMPTY) {
		f->status = ART_EMPTY;
		f->error = "no article text found in the page";
	} else {
		f->status = ART_ERROR;
		f->permanent = 1;
		if (!err[0])
			snprintf(err, errsz, "the page cannot be parsed");
		f->error = err;
		f->a = NULL;
	}
}

static void
on_done(void *ud, struct xfer_result *r)
{
	struct artjob	    *j = ud;
	struct artq	    *q = j->q;
	struct daemon	    *d = q->d;
	struct article	     a;
	struct article_fetch f = {0};
	char		     err[512] = "";
	double		     now = daemon_now(d);
	int64_t		     kept = j->id;
	int		     rc;

	memset(&a, 0, sizeof(a));
	{
		struct artjob **pp;

		for (pp = &q->flying; *pp && *pp != j; pp = &(*pp)->next)
			;
		if (*pp)
			*pp = j->next;
	}
	q->in_flight--;
	d->art_in_flight--;
	j->host->in_flight--;
	if (r->aborted) {
		log_info("%s: article fetch aborted at shutdown", j->url);
		goto out;
	}
	host_slow_down(j->host, r, now, j->url);
	f.http_status = (int)r->http_status;
	f.final_url = r->final_url;
	f.retry_after = r->retry_after;
	if (j->not_html) {
		f.status = ART_NOT_HTML;
		snprintf(err, sizeof(err), "not an HTML page (Content-Type %s)", j->ctype);
	} else if (r->blocked_private) {
		f.status = ART_ERROR;
		f.permanent = 1;
		snprintf(err, sizeof(err), "%s", r->error);
	} else if (r->http_status >= 400) {
		/* Whatever became of its body (a large error page, cut short). */
		f.status = ART_HTTP_ERROR;
		snprintf(err, sizeof(err), "HTTP %ld", r->http_status);
	} else if (r->too_large || j->body.truncated) {
		f.status = ART_TOO_LARGE;
		snprintf(err, sizeof(err), "%s",
			 r->error[0] ? r->error : "page larger than max_body");
	} else if (r->code == CURLE_OPERATION_TIMEDOUT) {
		f.status = ART_TIMEOUT;
		snprintf(err, sizeof(err), "%s", r->error);
	} else if (r->code != CURLE_OK) {
		f.status = ART_ERROR;
		snprintf(err, sizeof(err), "%s",
			 r->error[0] ? r->error : curl_easy_strerror(r->code));
	} else if (r->http_status < 200 || r->http_status >= 300) {
		f.status = ART_HTTP_ERROR;
		snprintf(err, sizeof(err), "HTTP %ld", r->http_status);
	} else {
		extract(q, j, r, &a, &f, err, sizeof(err));
	}
	if (f.error == NULL && err[0])
		f.error = err;
	rc = store_article_done(d->store, j->id, (int64_t)now, &f, &kept);
	if (rc == STORE_NOTFOUND) {
		log_debug("%s: the article's items are gone; result dropped", j->url);
	} else if (rc != 0) {
		log_warnx("%s: storing the article failed: %s", j->url, store_errmsg(d->store));
		if (rc == STORE_BUSY) {
			/* Fetched again after the wait: it is still due. */
			q->lock_wait = now + ARTQ_LOCK_WAIT;
			q->need_load = 1;
		}
	} else if (f.status == ART_EXTRACTED) {
		log_info("%s: article extracted (%lld words)%s", j->url, (long long)a.word_count,
			 kept != j->id ? "; the same page as another item's, stored once" : "");
	} else {
		log_warnx("%s: article %s: %s", j->url, article_status_name(f.status),
			  f.error ? f.error : "");
	}
	if (rc == 0 && kept != j->id)
		job_drop(q, kept); /* its page was this one: no second fetch */
	if (d->ctl_conns)
		poll_batch_commit(d); /* a glean refetch --wait reads the result next */
	control_article_done(d, j->id, kept, j->feed_id, rc == 0 ? article_status_name(f.status) : NULL,
			     rc == 0 ? f.error : store_errmsg(d->store));
out:
	article_clear(&a);
	job_free(j);
	poll_dispatch(d); /* feeds first, then articles */
}

/* May pages of this job reach private addresses?  Globally allowed, or
 * allowed by the item's feed for pages on the feed's own host. */
static int
job_allow_private(const struct daemon *d, const struct artjob *j)
{
	char  *fh;
	size_t i;
	int    allow = 0;

	if (d->cfg->allow_private)
		return 1;
	for (i = 0; i < d->nfeeds && d->feeds[i]->id != j->feed_id; i++)
		;
	if (i == d->nfeeds || !d->feeds[i]->allow_private || j->feed_url == NULL)
		return 0;
	fh = host_of(j->feed_url);
	allow = fh && *fh && !strcasecmp(fh, j->host->name);
	free(fh);
	return allow;
}

static const struct config_feed *
job_config_feed(const struct daemon *d, const struct artjob *j)
{
	size_t i;

	for (i = 0; i < d->nfeeds; i++)
		if (d->feeds[i]->id == j->feed_id)
			return d->feeds[i]->cf;
	return NULL;
}

/* 1 if started, 0 if the job ended without a fetch, -1 on failure. */
static int
start(struct artq *q, struct artjob *j, double now)
{
	struct daemon		 *d = q->d;
	const struct config_feed *cf = job_config_feed(d, j);
	struct xfer_opts	  o = {0};
	int64_t			  into = 0;

	if (store_article_joined(d->store, j->id, &into) == 0 && into) {
		log_info("%s: joins an article stored already", j->url);
		control_article_done(d, j->id, into, j->feed_id, "extracted", NULL);
		job_free(j);
		return 0;
	}
	buf_init(&j->body, d->cfg->max_body > 0 ? (size_t)d->cfg->max_body : 0);
	o.url = j->url;
	o.accept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1";
	o.user_agent = cf && cf->user_agent ? cf->user_agent : d->cfg->user_agent;
	o.proxy = cf ? cf->proxy : NULL;
	o.max_body = d->cfg->max_body;
	o.timeout_ms = (long)d->cfg->timeout * 1000;
	o.connect_timeout_ms = (long)d->cfg->connect_timeout * 1000;
	o.allow_private = job_allow_private(d, j);
	if (fetch_start(d->fetcher, &o, on_data, on_done, j) == -1) {
		log_warnx("%s: cannot start an article fetch", j->url);
		return -1;
	}
	j->next = q->flying;
	q->flying = j;
	j->host->in_flight++;
	j->host->next_start = now + (double)d->cfg->article_host_delay;
	q->in_flight++;
	d->art_in_flight++;
	d->articles++;
	return 1;
}

static void
timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct artq *q = w->data;

	(void)loop;
	(void)revents;
	double now = daemon_now(q->d);

	/* A retry came due, or a while passed (glean refetch without a
	 * running daemon's notice, rows another process made due). */
	if ((q->next_due > 0 && q->next_due <= now) || now - q->last_load >= ARTQ_IDLE)
		q->need_load = 1;
	poll_dispatch(q->d);
}

/* Are feeds waiting for a free connection?  Then they go first. */
static int
feeds_waiting(const struct daemon *d, double now)
{
	const struct feedstate *fs = sched_peek(&d->sched);

	return fs && fs->due <= now;
}

void
article_dispatch(struct daemon *d)
{
	struct artq    *q = d->artq;
	struct arthost *h;
	double		now = daemon_now(d), wake = -1;
	int		started;

	if (q == NULL || d->stopping)
		return;
	ev_timer_stop(d->loop, &q->timer);
	if (q->need_load ||
	    (q->queued < ARTQ_LOW && (q->more || (q->next_due > 0 && q->next_due <= now))))
		load(q, now);
	if (q->lock_wait > now)
		wake = q->lock_wait;
	/* Round robin over hosts: one start per host per pass. */
	do {
		if (q->lock_wait > now)
			break;
		started = 0;
		for (h = q->hosts; h; h = h->next) {
			struct artjob *j = h->head;

			if (j == NULL || h->in_flight >= d->cfg->article_host_connections)
				continue;
			if (d->once && h->not_before > now) {
				host_skip(q, h, now);
				continue;
			}
			if (h->next_start > now) {
				if (wake < 0 || h->next_start < wake)
					wake = h->next_start;
				continue;
			}
			if (d->in_flight + d->art_in_flight >= d->cfg->max_connections ||
			    feeds_waiting(d, now))
				goto full;
			h->head = j->next;
			if (h->head == NULL)
				h->tail = NULL;
			j->next = NULL;
			q->queued--;
			if (start(q, j, now) == -1)
				job_free(j); /* left pending in the database for a later load */
			else
				started++;
		}
	} while (started);
full:
	hosts_prune(q, now);
	/* More are due than the last load took: the next load comes when a
	 * fetch ends, or in a second if none is under way. */
	if (q->more && q->queued < ARTQ_LOW) {
		double soon = now + (q->in_flight ? 1.0 : 0.0);

		if (wake < 0 || soon < wake)
			wake = soon;
	}
	/* --once fetches what is due now, not the retries of later. */
	if (!d->once) {
		double due = q->next_due > 0 ? q->next_due : now + ARTQ_IDLE;

		if (wake < 0 || due < wake)
			wake = due;
	}
	if (wake >= 0) {
		ev_timer_set(&q->timer, wake > now ? wake - now : 0., 0.);
		ev_timer_start(d->loop, &q->timer);
	}
	control_articles_progress(d);
}

void
article_kick(struct daemon *d)
{
	if (d->artq)
		d->artq->need_load = 1;
}

int
article_busy(const struct daemon *d, const int64_t *feeds, size_t n)
{
	const struct artq    *q = d->artq;
	const struct arthost *h;
	const struct artjob  *j;
	double		      now = daemon_now(d);
	size_t		      i;

	if (q == NULL)
		return 0;
	/* Not loaded yet: the database may hold due articles of these feeds. */
	if (q->need_load || q->more)
		return 1;
	for (j = q->flying; j; j = j->next)
		for (i = 0; i < n; i++)
			if (j->feed_id == feeds[i])
				return 1;
	for (h = q->hosts; h; h = h->next) {
		if (h->not_before > now)
			continue; /* its server asked to wait: not now */
		for (j = h->head; j; j = j->next)
			for (i = 0; i < n; i++)
				if (j->feed_id == feeds[i])
					return 1;
	}
	return 0;
}

int
article_idle(const struct daemon *d)
{
	const struct artq *q = d->artq;

	return q == NULL || (q->in_flight == 0 && q->queued == 0 && !q->need_load && !q->more);
}

size_t
article_queued(const struct daemon *d)
{
	return d->artq ? d->artq->queued : 0;
}

int
article_init(struct daemon *d)
{
	struct artq *q = calloc(1, sizeof(*q));

	if (q == NULL)
		return -1;
	q->d = d;
	q->need_load = 1;
	ev_timer_init(&q->timer, timer_cb, 0., 0.);
	q->timer.data = q;
	d->artq = q;
	return 0;
}

void
article_free(struct daemon *d)
{
	struct artq    *q = d->artq;
	struct arthost *h;
	struct artjob  *j;

	if (q == NULL)
		return;
	ev_timer_stop(d->loop, &q->timer);
	while ((j = q->flying) != NULL) { /* fetcher_free aborted them first */
		q->flying = j->next;
		job_free(j);
	}
	while ((h = q->hosts) != NULL) {
		q->hosts = h->next;
		while ((j = h->head) != NULL) {
			h->head = j->next;
			job_free(j);
		}
		free(h->name);
		free(h);
	}
	free(q);
	d->artq = NULL;
}
