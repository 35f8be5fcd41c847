/*
 * gleanerd: polls feeds on a schedule and stores what they bring, and the
 * articles their items link to.
 *
 * gleanerd -c FILE [-f] [--once] [--check]
 *
 * Signals are libev watchers (ev_signal): handlers run in the loop, never
 * asynchronously.  SIGTERM/SIGINT: no new work, transfers finish or are
 * aborted within 5 s, results stored, exit 0.  SIGHUP: reload the config;
 * an invalid one is refused and the running one kept.
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <systemd/sd-daemon.h>

#include "gleanerd.h"

#define SHUTDOWN_GRACE 5.0
/* How long the running daemon's writes wait for another process's lock. */
#define DAEMON_BUSY_MS 100

static void
usage(void)
{
	fprintf(stderr, "usage: gleanerd -c FILE [-f] [--once] [--check]\n"
			"  -c, --config FILE  the configuration (gleaner.conf(5))\n"
			"  -f, --foreground   log without priority prefixes, for a terminal\n"
			"      --once         poll every enabled feed once, store, exit\n"
			"      --check        validate the configuration and exit\n");
	exit(2);
}

static char *
host_of(const char *url)
{
	CURLU *h = curl_url();
	char  *host = NULL, *out = NULL;

	if (h && curl_url_set(h, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(h, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		out = strdup(host);
		curl_free(host);
	}
	curl_url_cleanup(h);
	return out ? out : strdup("");
}

static const struct config_feed *
config_feed_for(const struct config *cfg, const char *url)
{
	size_t i;

	for (i = 0; i < cfg->nfeeds; i++)
		if (!strcmp(cfg->feeds[i].url, url))
			return &cfg->feeds[i];
	return NULL;
}

/* Makes the database's config-sourced feeds match the config: adds,
 * updates and removes.  Feeds added with glean are left alone. */
static int
sync_config_feeds(struct daemon *d)
{
	struct store_feed sf;
	size_t            i;
	int64_t           id;
	int               rc;

	/* One transaction for the whole sync: thousands of feeds, one commit. */
	if ((rc = store_begin(d->store)) != 0) {
		log_warnx("%s", store_errmsg(d->store));
		return -1;
	}
	for (i = 0; i < d->cfg->nfeeds; i++) {
		const struct config_feed *cf = &d->cfg->feeds[i];

		memset(&sf, 0, sizeof(sf));
		sf.url = cf->url;
		sf.user_title = cf->title ? cf->title : cf->name;
		sf.tags = cf->tags;
		sf.ntags = cf->ntags;
		sf.source = "config";
		sf.interval = cf->interval;
		sf.full_text = cf->full_text >= 0 ? cf->full_text : d->cfg->full_text;
		sf.max_age = cf->max_age;
		sf.max_items = cf->max_items;
		if (store_feed_config_find(d->store, cf->url, &id) == 0) {
			sf.url = NULL; /* a permanent redirect may have moved it: keep that */
			rc = store_feed_update(d->store, id, &sf, 1);
		} else {
			rc = store_feed_add(d->store, &sf, &id);
			if (rc == STORE_EXISTS) /* added with glean before: the config takes it over */
				rc = store_feed_update(d->store, id, &sf, 1);
		}
		if (rc == 0)
			rc = store_feed_config_mark(d->store, id, cf->url);
		if (rc != 0) {
			log_warnx("%s:%u: feed %s: %s", d->cfg->path, cf->line, cf->url,
				  store_errmsg(d->store));
			store_rollback(d->store);
			return -1;
		}
	}
	if (store_commit(d->store) != 0) {
		log_warnx("%s", store_errmsg(d->store));
		return -1;
	}
	return 0;
}

struct load_ctx {
	struct daemon *d;
	int            err;
	double         now;
};

/* d->feeds is kept sorted by id: a load of 10,000 feeds looks each one up. */
static size_t
state_pos(const struct daemon *d, int64_t id)
{
	size_t lo = 0, hi = d->nfeeds;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->feeds[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct feedstate *
find_state(struct daemon *d, int64_t id)
{
	size_t i = state_pos(d, id);

	return i < d->nfeeds && d->feeds[i]->id == id ? d->feeds[i] : NULL;
}

static int
load_one(void *ud, const struct store_feed *sf)
{
	struct load_ctx  *lc = ud;
	struct daemon    *d = lc->d;
	struct feedstate *fs;
	char             *host;

	char                     *curl = NULL;
	const struct config_feed *cf = NULL;

	if (!strcmp(sf->source, "config")) {
		curl = store_feed_config_url(d->store, sf->id);
		cf = config_feed_for(d->cfg, curl ? curl : sf->url);
		free(curl);
	}
	if (!strcmp(sf->source, "config") && cf == NULL) {
		/* Gone from the config: the feed goes too (reload). */
		if ((fs = find_state(d, sf->id)) != NULL)
			fs->removed = 1;
		store_feed_remove(d->store, sf->id);
		return 0;
	}
	if ((fs = find_state(d, sf->id)) == NULL) {
		struct feedstate **nf;

		if (sf->disabled_reason)
			return 0;
		if ((fs = calloc(1, sizeof(*fs))) == NULL ||
		    (nf = realloc(d->feeds, (d->nfeeds + 1) * sizeof(*nf))) == NULL) {
			free(fs);
			lc->err = 1;
			return 1;
		}
		d->feeds = nf;
		{
			size_t at = state_pos(d, sf->id);

			memmove(d->feeds + at + 1, d->feeds + at, (d->nfeeds - at) * sizeof(*nf));
			d->feeds[at] = fs;
			d->nfeeds++;
		}
		fs->id = sf->id;
		fs->heap_index = HEAP_NONE;
		fs->errors = sf->error_count;
		fs->etag = sf->etag ? strdup(sf->etag) : NULL;
		fs->last_modified = sf->last_modified ? strdup(sf->last_modified) : NULL;
		/* Never polled: now.  Overdue after a restart: spread over a
		 * short window, not all at once.  Else: when it was due. */
		if (d->once || sf->next_poll == DATE_NONE)
			fs->due = lc->now;
		else if ((double)sf->next_poll < lc->now)
			fs->due = lc->now + 60.0 * ((double)rand_r(&d->seed) / RAND_MAX);
		else
			fs->due = (double)sf->next_poll;
	}
	free(fs->url);
	fs->url = strdup(sf->url);
	fs->interval = sf->interval;
	fs->cf = cf;
	fs->full_text = sf->full_text;
	fs->allow_private = fs->cf && fs->cf->allow_private >= 0 ? fs->cf->allow_private
								  : d->cfg->allow_private;
	host = host_of(sf->url);
	fs->host = sched_host(&d->sched, host);
	free(host);
	if (sf->disabled_reason) {
		fs->removed = 1;
		sched_remove(&d->sched, fs);
	} else if (!fs->in_flight && !fs->waiting) {
		sched_put(&d->sched, fs);
	}
	return 0;
}

int
daemon_load_feeds(struct daemon *d)
{
	struct load_ctx lc = {d, 0, daemon_now(d)};

	if (store_feeds(d->store, load_one, &lc) != 0) {
		log_warnx("loading feeds: %s", store_errmsg(d->store));
		return -1;
	}
	return lc.err ? -1 : 0;
}

static void
stop(struct daemon *d)
{
	if (d->stopping)
		return;
	d->stopping = 1;
	ev_timer_stop(d->loop, &d->tick);
	if (d->in_flight + d->art_in_flight == 0) {
		ev_break(d->loop, EVBREAK_ALL);
		return;
	}
	log_info("stopping: waiting up to %.0f s for %d transfers", SHUTDOWN_GRACE,
		 d->in_flight + d->art_in_flight);
	ev_timer_start(d->loop, &d->shutdown_timer);
}

static void
shutdown_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct daemon *d = w->data;

	(void)revents;
	log_info("stopping: aborting %d transfers", d->in_flight + d->art_in_flight);
	fetcher_abort_all(d->fetcher);
	ev_break(loop, EVBREAK_ALL);
}

static void
sigterm_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	(void)loop;
	(void)revents;
	sd_notify(0, "STOPPING=1");
	stop(w->data);
}

int
daemon_reload(struct daemon *d, char *err, size_t errsz)
{
	struct config *ncfg, *old;

	if ((ncfg = config_load(d->cfg->path, err, errsz)) == NULL)
		return -1;
	old = d->cfg;
	d->cfg = ncfg;
	/* A reload is rare and asked for: it waits for the lock as glean does. */
	store_set_busy(d->store, -1, 0);
	if (sync_config_feeds(d) != 0 || daemon_load_feeds(d) != 0)
		log_warnx("reload: the feeds could not all be updated; see above");
	store_set_busy(d->store, DAEMON_BUSY_MS, 1);
	config_free(old);
	log_info("reloaded %s: %zu feeds", d->cfg->path, d->nfeeds);
	poll_dispatch(d);
	return 0;
}

static void
sighup_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *d = w->data;
	char           err[4096];

	(void)loop;
	(void)revents;
	sd_notify(0, "RELOADING=1");
	if (daemon_reload(d, err, sizeof(err)) != 0)
		log_warnx("reload refused, keeping the running configuration:\n%s", err);
	sd_notify(0, "READY=1");
}

static void
watchdog_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	sd_notify(0, "WATCHDOG=1");
}

static void
daemon_free(struct daemon *d)
{
	size_t i;

	control_close(d);
	d->stopping = 1; /* transfers aborted below start nothing new */
	fetcher_free(d->fetcher);
	article_free(d);
	for (i = 0; i < d->nfeeds; i++) {
		free(d->feeds[i]->url);
		free(d->feeds[i]->etag);
		free(d->feeds[i]->last_modified);
		free(d->feeds[i]);
	}
	free(d->feeds);
	free(d->batch);
	free(d->waithosts);
	sched_free(&d->sched);
	store_close(d->store);
	config_free(d->cfg);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"foreground", no_argument, NULL, 'f'},
		{"once", no_argument, NULL, 'o'},
		{"check", no_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct daemon d;
	const char   *path = NULL;
	char          err[4096];
	int           c, fg = 0, check = 0, rc = 0;
	uint64_t      wd_usec = 0;

	memset(&d, 0, sizeof(d));
	while ((c = getopt_long(argc, argv, "c:fh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'f': fg = 1; break;
		case 'o': d.once = 1; break;
		case 'k': check = 1; break;
		case 'V': printf("gleanerd %s\n", GLEANER_VERSION); return 0;
		default: usage();
		}
	}
	if (path == NULL || optind != argc)
		usage();
	/* journald reads "<N>" priorities; a terminal does not need them. */
	log_init("gleanerd", LOG_INFO_, !(fg && isatty(STDERR_FILENO)));
	if ((d.cfg = config_load(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s", err);
		if (err[0] && err[strlen(err) - 1] != '\n')
			fputc('\n', stderr);
		return 1;
	}
	if (check) {
		printf("%s: OK, %zu feeds\n", path, d.cfg->nfeeds);
		config_free(d.cfg);
		return 0;
	}
	log_init("gleanerd", d.cfg->log_level, !(fg && isatty(STDERR_FILENO)));
	signal(SIGPIPE, SIG_IGN);
	/* Past a file size limit (ulimit -f) a write fails with EFBIG, which
	 * SQLite reports and the poll retries; the default action would kill
	 * the daemon. */
	signal(SIGXFSZ, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("libcurl initialization failed");
	xmlInitParser();
	if (store_open(&d.store, d.cfg->database, STORE_CREATE, err, sizeof(err)) != 0)
		fatalx("%s", err);
	d.loop = ev_default_loop(EVFLAG_AUTO);
	poll_init(&d);
	if ((d.fetcher = fetcher_new(d.loop, d.cfg->max_connections, d.cfg->max_host_connections)) ==
	    NULL)
		fatalx("cannot set up libcurl's multi interface");
	if (article_init(&d) != 0)
		fatalx("out of memory");
	/* Signals first: a SIGTERM during a long start-up is kept for the
	 * loop, which then stops cleanly at once. */
	ev_signal_init(&d.sigterm, sigterm_cb, SIGTERM);
	ev_signal_init(&d.sigint, sigterm_cb, SIGINT);
	ev_signal_init(&d.sighup, sighup_cb, SIGHUP);
	d.sigterm.data = d.sigint.data = d.sighup.data = &d;
	ev_signal_start(d.loop, &d.sigterm);
	ev_signal_start(d.loop, &d.sigint);
	ev_signal_start(d.loop, &d.sighup);
	if (sync_config_feeds(&d) != 0 || daemon_load_feeds(&d) != 0)
		fatalx("cannot load the feeds");
	ev_timer_init(&d.shutdown_timer, shutdown_cb, SHUTDOWN_GRACE, 0.);
	d.shutdown_timer.data = &d;
	if (sd_watchdog_enabled(0, &wd_usec) > 0 && wd_usec > 0) {
		ev_timer_init(&d.watchdog, watchdog_cb, 0., (double)wd_usec / 2e6);
		ev_timer_again(d.loop, &d.watchdog);
	}
	if (!d.once && control_open(&d, d.cfg->control_socket) != 0)
		log_warnx("running without a control socket: glean refresh, status and reload "
			  "will not reach this gleanerd");
	log_info("started: %zu feeds, database %s", d.nfeeds, d.cfg->database);
	sd_notify(0, "READY=1");
	poll_index_soon(&d); /* anything a crash or glean left unindexed */
	poll_dispatch(&d);
	/* From here on a write waits at most briefly for another process's
	 * lock: polls are held (poll.c) rather than the loop put to sleep. */
	store_set_busy(d.store, DAEMON_BUSY_MS, 1);
	ev_run(d.loop, 0);
	poll_held_flush(&d);
	store_set_busy(d.store, -1, 0);
	poll_index_flush(&d); /* commits the last batch of polls first */
	if (d.once)
		log_info("polled %d feeds once, fetched %d articles", d.polled, d.articles);
	log_info("stopped");
	daemon_free(&d);
	xmlCleanupParser();
	curl_global_cleanup();
	return rc;
}
