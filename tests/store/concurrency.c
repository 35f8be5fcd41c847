/*
 * concurrency.c: the store's concurrency acceptance test (issue 3).
 *
 * "Two processes, one writing 100,000 items in per-feed transactions and
 * one listing and searching in a loop, run together with no error and no
 * wait longer than the busy timeout."
 *
 * usage: concurrency DB [ITEMS [FEEDS]]   (defaults 100000 and 500)
 *
 * The parent creates DB with the feeds, then forks
 *  - the writer: store_open(0), then for each feed in turn a generated RSS
 *    document of ITEMS/FEEDS items, parsed with feed_parse() and written
 *    with store_ingest() (one BEGIN IMMEDIATE transaction per feed, as the
 *    daemon does) followed by store_fetch_done();
 *  - the reader: store_open(STORE_RDONLY), then until the writer is done,
 *    in a loop: the 50 newest unread items (store_items), a search
 *    (store_search) over words of different frequency, and every 50 rounds
 *    a close and reopen.  Built without the query half of the store
 *    (-DNO_STORE_QUERY), it runs the same SQL on its own read-only
 *    connection.
 * Each times every operation; any error, or any operation longer than the
 * busy timeout, fails it.  The parent then checks the database: ITEMS
 * items, the index consistent with them.  Exit status 0 on success.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gleaner.h"
#include "store_int.h" /* STORE_BUSY_MS */

static const char *const words[] = {
	"river", "mountain", "signal", "harvest", "lantern", "orbit", "meadow", "copper",
	"thunder", "garden", "market", "engine", "velvet", "quarry", "beacon", "glacier",
	"harbor", "prism", "falcon", "ember", "summit", "canyon", "tundra", "willow",
	"cobalt", "sparrow", "lagoon", "atlas", "ferry", "mosaic", "nectar", "pillar",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

/* Search terms: in every item, in about 1 in 32 words, in 1% of the items,
 * a prefix, a phrase, none at all. */
static const char *const queries[] = {
	"gleaner", "glacier", "zephyr", "harb*", "\"copper engine\"", "nosuchwordanywhere",
};
#define NQUERIES (sizeof(queries) / sizeof(queries[0]))

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* One feed's document: n items with title, link, guid, date, author and a
 * summary of about 200 characters. */
static void
make_doc(struct buf *b, int feed, int n, int64_t base)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(feed + 1) * 0x100000001b3ULL;
	int      i, w;

	buf_reset(b);
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
		      "<title>Feed %d</title><link>https://site%d.example/</link>"
		      "<description>Generated feed %d</description>\n", feed, feed, feed);
	for (i = 0; i < n; i++) {
		char date[21];
		int  idx = feed * n + i;

		date_format(base - (int64_t)i * 600, date);
		buf_printf(b, "<item><guid isPermaLink=\"false\">urn:feed%d:item%d</guid>"
			      "<link>https://site%d.example/posts/%d</link>"
			      "<title>Post %d of feed %d: %s %s</title><pubDate>%s</pubDate>"
			      "<author>writer%d@site%d.example (Writer %d)</author><description>",
			   feed, i, feed, i, i, feed, words[rnd(&seed) % NWORDS],
			   words[rnd(&seed) % NWORDS], date, i % 7, feed, i % 7);
		buf_adds(b, "gleaner");
		if (idx % 100 == 0)
			buf_adds(b, " zephyr");
		for (w = 0; w < 24; w++) {
			buf_addc(b, ' ');
			buf_adds(b, words[rnd(&seed) % NWORDS]);
		}
		buf_adds(b, ".</description></item>\n");
	}
	buf_adds(b, "</channel></rss>\n");
}

/* ------------------------------------------------------------------ writer */

static int
writer(const char *path, int nitems, int nfeeds, int64_t *feed_ids)
{
	struct store        *s;
	struct buf           doc;
	char                 err[1536];
	double               longest = 0, t0 = now_ms(), t;
	int                  per = nitems / nfeeds, f, total = 0;
	int64_t              base = store_now();

	if (store_open(&s, path, 0, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "writer: %s\n", err);
		return 1;
	}
	buf_init(&doc, 0);
	for (f = 0; f < nfeeds; f++) {
		struct ingest_result r;
		struct fetch_result  fr;
		struct feed         *feed;
		int                  n = per + (f < nitems % nfeeds);

		make_doc(&doc, f, n, base);
		if ((feed = feed_parse(doc.data, doc.len, NULL)) == NULL || (int)feed->nkept != n) {
			fprintf(stderr, "writer: feed %d: the generated document parsed badly\n", f);
			return 1;
		}
		t = now_ms();
		if (store_ingest(s, feed_ids[f], feed, base + f, &r) != 0) {
			fprintf(stderr, "writer: store_ingest: %s\n", store_errmsg(s));
			return 1;
		}
		t = now_ms() - t;
		if (t > longest)
			longest = t;
		feed_free(feed);
		if (r.new_items != n) {
			fprintf(stderr, "writer: feed %d: %d new items, expected %d\n", f, r.new_items, n);
			return 1;
		}
		total += r.new_items;
		memset(&fr, 0, sizeof(fr));
		fr.http_status = 200;
		fr.etag = "\"v1\"";
		fr.next_poll = base + 3600;
		fr.bytes = (int64_t)doc.len;
		t = now_ms();
		if (store_fetch_done(s, feed_ids[f], base + f, &fr, &r, NULL) != 0) {
			fprintf(stderr, "writer: store_fetch_done: %s\n", store_errmsg(s));
			return 1;
		}
		t = now_ms() - t;
		if (t > longest)
			longest = t;
	}
	buf_free(&doc);
	store_close(s);
	t = now_ms() - t0;
	printf("writer: %d items in %d feed transactions, %.1f s (%.0f items/s), longest "
	       "transaction %.1f ms\n", total, nfeeds, t / 1e3, total / (t / 1e3), longest);
	if (longest > STORE_BUSY_MS) {
		fprintf(stderr, "writer: a transaction took %.0f ms, more than the busy timeout (%d ms)\n",
			longest, STORE_BUSY_MS);
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ reader */

struct counts {
	int64_t rows;
	int64_t last_id;
};

#ifndef NO_STORE_QUERY
static int
on_item(void *ud, const struct store_item *it)
{
	struct counts *c = ud;

	if (it->title == NULL || it->url == NULL || it->feed_url == NULL)
		return -1;
	c->rows++;
	c->last_id = it->id;
	return 0;
}

static int
on_hit(void *ud, const struct store_hit *h)
{
	struct counts *c = ud;

	if (h->title == NULL || h->snippet == NULL)
		return -1;
	c->rows++;
	return 0;
}
#endif

/* The writer is done when the pipe's other end closes. */
static int
writer_done(int fd)
{
	char c;

	return read(fd, &c, 1) == 0;
}

static int
reader(const char *path, int done_fd)
{
	struct store *s = NULL;
	char          err[1536];
	double        longest_list = 0, longest_search = 0, longest_open = 0, t, t0 = now_ms();
	int64_t       rounds = 0, lists = 0, searches = 0, seen_max = 0, opens = 0;
#ifdef NO_STORE_QUERY
	sqlite3      *db = NULL;
#endif

	for (;;) {
		struct counts c = {0, 0};
		const char   *q = queries[rounds % NQUERIES];
		int           last = writer_done(done_fd), rc;

		if (rounds % 50 == 0) {
			/* One connection at a time in this process, as in glean:
			 * store_open() must not run while another connection to
			 * the file is open here (see test_open_keeps_other_locks
			 * in tests/unit/test_store_open.c). */
			store_close(s);
			s = NULL;
#ifdef NO_STORE_QUERY
			sqlite3_close(db);
			db = NULL;
#endif
			t = now_ms();
			if (store_open(&s, path, STORE_RDONLY, err, sizeof(err)) != STORE_OK) {
				fprintf(stderr, "reader: store_open: %s\n", err);
				return 1;
			}
#ifdef NO_STORE_QUERY
			/* The store connection only checks the file here; the
			 * queries run on a connection of their own. */
			store_close(s);
			s = NULL;
			if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
				fprintf(stderr, "reader: %s\n", sqlite3_errmsg(db));
				return 1;
			}
			sqlite3_busy_timeout(db, STORE_BUSY_MS);
#endif
			t = now_ms() - t;
			if (t > longest_open)
				longest_open = t;
			opens++;
		}

		/* glean items --unread --limit 50 */
		t = now_ms();
#ifndef NO_STORE_QUERY
		{
			struct item_filter f;

			memset(&f, 0, sizeof(f));
			f.unread = 1;
			f.limit = 50;
			f.since = DATE_NONE;
			rc = store_items(s, &f, on_item, &c);
			if (rc != 0)
				fprintf(stderr, "reader: store_items: %s\n", store_errmsg(s));
		}
#else
		{
			sqlite3_stmt *st;

			rc = sqlite3_prepare_v2(db, "SELECT i.id, i.title, i.url, f.url FROM items i"
						    " JOIN feeds f ON f.id = i.feed_id WHERE i.read = 0"
						    " ORDER BY i.first_seen DESC, i.id ASC LIMIT 50",
						-1, &st, NULL);
			while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
				c.rows++, rc = SQLITE_OK;
			rc = rc == SQLITE_DONE ? 0 : -1;
			if (rc != 0)
				fprintf(stderr, "reader: items: %s (%d)\n", sqlite3_errmsg(db), sqlite3_extended_errcode(db));
			sqlite3_finalize(st);
		}
#endif
		t = now_ms() - t;
		if (rc != 0)
			return 1;
		if (t > longest_list)
			longest_list = t;
		if (c.rows > 50 || (seen_max >= 50 && c.rows < 50)) {
			fprintf(stderr, "reader: the unread list had %lld rows\n", (long long)c.rows);
			return 1;
		}
		if (c.rows > seen_max)
			seen_max = c.rows;
		lists++;

		/* glean search WORD */
		c.rows = 0;
		t = now_ms();
#ifndef NO_STORE_QUERY
		rc = store_search(s, q, 20, on_hit, &c);
		if (rc != 0)
			fprintf(stderr, "reader: store_search %s: %s\n", q, store_errmsg(s));
#else
		{
			sqlite3_stmt *st;

			rc = sqlite3_prepare_v2(db, "SELECT i.id, snippet(items_fts, -1, char(2), char(3),"
						    " '...', 24) FROM items_fts JOIN items i ON"
						    " i.id = items_fts.rowid WHERE items_fts MATCH ?1"
						    " ORDER BY items_fts.rank LIMIT 20", -1, &st, NULL);
			if (rc == SQLITE_OK)
				sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
			while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
				c.rows++, rc = SQLITE_OK;
			rc = rc == SQLITE_DONE ? 0 : -1;
			if (rc != 0)
				fprintf(stderr, "reader: search %s: %s (%d)\n", q, sqlite3_errmsg(db), sqlite3_extended_errcode(db));
			sqlite3_finalize(st);
		}
#endif
		t = now_ms() - t;
		if (rc != 0)
			return 1;
		if (t > longest_search)
			longest_search = t;
		searches++;
		rounds++;
		if (last)
			break;
	}
	store_close(s);
#ifdef NO_STORE_QUERY
	sqlite3_close(db);
#endif
	t = now_ms() - t0;
	printf("reader: %lld lists and %lld searches in %.1f s (%lld opens), longest list %.1f ms,"
	       " longest search %.1f ms, longest open %.1f ms\n", (long long)lists,
	       (long long)searches, t / 1e3, (long long)opens, longest_list, longest_search,
	       longest_open);
	if (lists < 10) {
		fprintf(stderr, "reader: only %lld rounds: the reader did not run alongside the writer\n",
			(long long)lists);
		return 1;
	}
	if (longest_list > STORE_BUSY_MS || longest_search > STORE_BUSY_MS ||
	    longest_open > STORE_BUSY_MS) {
		fprintf(stderr, "reader: an operation took longer than the busy timeout (%d ms)\n",
			STORE_BUSY_MS);
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ parent */

static int
setup_db(const char *path, int nfeeds, int64_t *ids)
{
	struct store *s;
	sqlite3      *db;
	sqlite3_stmt *st;
	char          err[1536], url[128];
	int           f;

	if (store_open(&s, path, STORE_CREATE, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	store_close(s);
	/* Feeds through SQL: only the ingest's half of the store is under test. */
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO feeds(url, added_at) VALUES (?1, ?2)", -1, &st, NULL) !=
		    SQLITE_OK) {
		fprintf(stderr, "setup: %s\n", sqlite3_errmsg(db));
		return -1;
	}
	for (f = 0; f < nfeeds; f++) {
		snprintf(url, sizeof(url), "https://site%d.example/feed.xml", f);
		sqlite3_bind_text(st, 1, url, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, store_now());
		if (sqlite3_step(st) != SQLITE_DONE) {
			fprintf(stderr, "setup: %s\n", sqlite3_errmsg(db));
			return -1;
		}
		sqlite3_reset(st);
		ids[f] = sqlite3_last_insert_rowid(db);
	}
	sqlite3_finalize(st);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "setup: %s\n", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_close(db);
	return 0;
}

static int
check_db(const char *path, int nitems)
{
	sqlite3      *db;
	sqlite3_stmt *st;
	int64_t       n = -1;
	char         *msg = NULL;
	int           ok = 1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM items", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (n != nitems) {
		fprintf(stderr, "check: %lld items in the database, expected %d\n", (long long)n, nitems);
		ok = 0;
	}
	if (sqlite3_exec(db, "INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)",
			 NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "check: items_fts integrity-check: %s\n", msg ? msg : sqlite3_errmsg(db));
		ok = 0;
	}
	sqlite3_free(msg);
	sqlite3_close(db);
	return ok ? 0 : -1;
}

static int
status_ok(const char *who, int st)
{
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 1;
	if (WIFEXITED(st))
		fprintf(stderr, "%s: exit status %d\n", who, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		fprintf(stderr, "%s: killed by signal %d\n", who, WTERMSIG(st));
	return 0;
}

int
main(int argc, char **argv)
{
	const char *path;
	int         nitems = 100000, nfeeds = 500, fds[2], wst = 0, rst = 0, ok;
	int64_t    *ids;
	pid_t       w, r;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: concurrency DB [ITEMS [FEEDS]]\n");
		return 2;
	}
	path = argv[1];
	if (argc > 2)
		nitems = atoi(argv[2]);
	if (argc > 3)
		nfeeds = atoi(argv[3]);
	if (nitems <= 0 || nfeeds <= 0 || nfeeds > nitems) {
		fprintf(stderr, "concurrency: bad ITEMS or FEEDS\n");
		return 2;
	}
	if ((ids = calloc((size_t)nfeeds, sizeof(*ids))) == NULL || setup_db(path, nfeeds, ids) != 0)
		return 1;
	printf("concurrency: %s, %d items in %d feeds, busy timeout %d ms\n", path, nitems, nfeeds,
	       STORE_BUSY_MS);
	fflush(stdout);
	if (pipe(fds) == -1) {
		perror("pipe");
		return 1;
	}
	if ((r = fork()) == -1) {
		perror("fork");
		return 1;
	}
	if (r == 0) {
		close(fds[1]);
		free(ids);
		if (fcntl(fds[0], F_SETFL, O_NONBLOCK) == -1) {
			perror("fcntl");
			exit(1);
		}
		exit(reader(path, fds[0]));
	}
	if ((w = fork()) == -1) {
		perror("fork");
		kill(r, SIGTERM);
		return 1;
	}
	if (w == 0) {
		int rc;

		close(fds[0]);
		rc = writer(path, nitems, nfeeds, ids);
		free(ids);
		fflush(stdout);
		exit(rc); /* the pipe's write end closes here: the reader stops */
	}
	close(fds[0]);
	close(fds[1]);
	free(ids);
	if (waitpid(w, &wst, 0) == -1 || waitpid(r, &rst, 0) == -1) {
		perror("waitpid");
		return 1;
	}
	ok = status_ok("writer", wst);
	ok &= status_ok("reader", rst);
	if (ok && check_db(path, nitems) != 0)
		ok = 0;
	printf("concurrency: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
