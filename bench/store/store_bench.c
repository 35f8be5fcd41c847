/*
 * store_bench.c: the store benchmark of issue 3 (see BENCHMARKS.md, "Store").
 *
 *   store_bench ingest DB [--feeds N] [--per N]
 *       Creates DB with N feeds (default 2000) and ingests a generated RSS
 *       document of --per items (default 500) into each, one store_ingest()
 *       (one BEGIN IMMEDIATE transaction) per feed, then store_fetch_done()
 *       as the daemon does.  Items are of realistic size: a title of about
 *       60 characters, an HTML summary of about 300, a link, a guid, a
 *       pubDate, an author; their words follow Zipf's law over 50,000 words,
 *       so that search words of every frequency exist.  Reports the time in
 *       store_ingest alone (generation and parsing are timed apart), then
 *       checkpoints the WAL and reports the file size per item, and the
 *       search words with how many items each matches.
 *       Items are indexed for search after their feed transactions, as the
 *       daemon does (store_index_all, lib/store_index.c): every
 *       --index-every feeds (default 20: 10,000 items) and at the end,
 *       timed apart; the rate with that time included is reported too.
 *   store_bench query DB [--runs N] [--limit N] [WORD...]
 *       In-process timings (median of N, default 20) on one read-only
 *       connection: store_items() for the 50 newest unread items, and
 *       store_search() for each WORD (first --limit hits, default 20).
 *   store_bench spawn [--runs N] -- CMD [ARG...]
 *       Runs CMD N times (stdout to /dev/null) and reports the median,
 *       fastest and slowest wall time, as a person or script would see it.
 *   store_bench explain DB [WORD]
 *       EXPLAIN QUERY PLAN of the listing and search queries.
 *
 * Every result is one line "store_bench: KEY=VALUE ..." for run.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gleaner.h"

#define VOCAB      50000
#define ZIPF_S     1.0
/* Zipf ranks of the search words: from "the" to a word in a few hundred items. */
static const int word_ranks[] = {1, 30, 300, 3000, 30000};
#define NRANKS (sizeof(word_ranks) / sizeof(word_ranks[0]))

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Slow operations are not repeated 20 times: after a run this long, at
 * most SLOW_RUNS runs (the count is reported). */
#define SLOW_MS   1000.0
#define SLOW_RUNS 5

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ------------------------------------------------------------ generation */

static uint64_t rng = 0x243f6a8885a308d3ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
rnd01(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* Word number i (0-based rank - 1): two to four syllables, unique. */
static void
word(int i, char *out)
{
	static const char syl[20][3] = {"ka", "lo", "mi", "ne", "ru", "sa", "te", "vi", "do", "pe",
					"ga", "ho", "ji", "fu", "be", "zo", "wa", "xi", "qu", "ly"};
	char     tmp[16];
	int      n = 0, k;
	unsigned v = (unsigned)i + 20;

	while (v) {
		tmp[n++] = (char)(v % 20);
		v /= 20;
	}
	for (k = n - 1; k >= 0; k--) {
		memcpy(out, syl[(int)tmp[k]], 2);
		out += 2;
	}
	*out = '\0';
}

static char   (*vocab)[12];
static double *cdf;

static void
vocab_init(void)
{
	double sum = 0;
	int    i;

	vocab = malloc(VOCAB * sizeof(*vocab));
	cdf = malloc(VOCAB * sizeof(*cdf));
	if (vocab == NULL || cdf == NULL) {
		perror("malloc");
		exit(1);
	}
	for (i = 0; i < VOCAB; i++) {
		word(i, vocab[i]);
		sum += 1.0 / pow(i + 1, ZIPF_S);
		cdf[i] = sum;
	}
	for (i = 0; i < VOCAB; i++)
		cdf[i] /= sum;
}

static const char *
zipf_word(void)
{
	double u = rnd01();
	int    lo = 0, hi = VOCAB - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return vocab[lo];
}

static const char *const first_names[] = {"Ada", "Brian", "Chloé", "Dmitri", "Emeka", "Fatima",
					  "Grace", "Hiro", "Ines", "Jonas", "Keiko", "Luis"};
static const char *const last_names[] = {"Lovelace", "Kernighan", "Dubois", "Petrov", "Okafor",
					 "Haddad", "Hopper", "Tanaka", "García", "Berg"};

/* Appends words until about len characters; the slug gets the first few. */
static void
add_words(struct buf *b, size_t len, char *slug, size_t slugsz)
{
	size_t start = b->len, n = 0;

	while (b->len - start < len) {
		const char *w = zipf_word();

		if (b->len > start)
			buf_addc(b, ' ');
		buf_adds(b, w);
		if (slug && n < 4) {
			size_t sl = strlen(slug);

			snprintf(slug + sl, slugsz - sl, "%s%s", sl ? "-" : "", w);
		}
		n++;
	}
}

static void
rfc822(int64_t t, char *out, size_t sz)
{
	time_t    tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, sz, "%a, %d %b %Y %H:%M:%S +0000", &tm);
}

static void
make_doc(struct buf *b, int feed, int n, int64_t base)
{
	int i;

	buf_reset(b);
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>"
		      "<title>Site %d news</title><link>https://www.site%d.example/</link>"
		      "<description>Everything from site %d</description><language>en</language>\n",
		   feed, feed, feed);
	for (i = 0; i < n; i++) {
		char    date[40], slug[96] = "";
		int64_t t = base - (int64_t)i * 3600 - feed * 7;
		size_t  mark;

		rfc822(t, date, sizeof(date));
		buf_adds(b, "<item><title>");
		mark = b->len;
		add_words(b, 56, slug, sizeof(slug));
		b->data[mark] = (char)(b->data[mark] - 'a' + 'A');
		buf_printf(b, "</title><link>https://www.site%d.example/%s/%s-%d.html</link>"
			      "<guid isPermaLink=\"false\">tag:site%d.example,2024:post-%d</guid>"
			      "<pubDate>%s</pubDate><dc:creator>%s %s</dc:creator>"
			      "<description><![CDATA[<p>", feed, "2024/11", slug, i, feed, i, date,
			   first_names[rnd() % 12], last_names[rnd() % 10]);
		add_words(b, 290, NULL, 0);
		buf_adds(b, ".</p>]]></description></item>\n");
	}
	buf_adds(b, "</channel></rss>\n");
}

/* ---------------------------------------------------------------- ingest */

static int
raw_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "store_bench: %s: %s\n", sql, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int64_t
raw_int(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	int64_t       v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "store_bench: %s: %s\n", sql, sqlite3_errmsg(db));
		return -1;
	}
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
cmd_ingest(const char *path, int nfeeds, int per, int index_every)
{
	struct store *s;
	sqlite3      *db;
	sqlite3_stmt *st;
	struct buf    doc;
	char          err[1536], url[96];
	double        t_gen = 0, t_parse = 0, t_ingest = 0, t_done = 0, t, slowest = 0, t_all;
	double        c_ingest = 0, c, t_index = 0, c_index = 0, slowest_index = 0;
	int64_t       nindexed = 0, nbatch;
	int64_t      *ids, base = store_now(), total = 0, xml = 0;
	struct stat   sb;
	int           f;
	size_t        k;

	unlink(path);
	vocab_init();
	if ((ids = calloc((size_t)nfeeds, sizeof(*ids))) == NULL)
		return 1;
	if (store_open(&s, path, STORE_CREATE, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "store_bench: %s\n", err);
		return 1;
	}
	/* The feeds, with SQL: not what is measured. */
	if (sqlite3_open(path, &db) != SQLITE_OK || raw_exec(db, "BEGIN") ||
	    sqlite3_prepare_v2(db, "INSERT INTO feeds(url, added_at) VALUES (?1, ?2)", -1, &st, NULL)) {
		fprintf(stderr, "store_bench: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	for (f = 0; f < nfeeds; f++) {
		snprintf(url, sizeof(url), "https://www.site%d.example/feed.xml", f);
		sqlite3_bind_text(st, 1, url, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, base);
		if (sqlite3_step(st) != SQLITE_DONE)
			return 1;
		sqlite3_reset(st);
		ids[f] = sqlite3_last_insert_rowid(db);
	}
	sqlite3_finalize(st);
	if (raw_exec(db, "COMMIT"))
		return 1;

	buf_init(&doc, 0);
	t_all = now_s();
	for (f = 0; f < nfeeds; f++) {
		struct ingest_result r;
		struct fetch_result  fr;
		struct feed         *feed;

		t = now_s();
		make_doc(&doc, f, per, base);
		t_gen += now_s() - t;
		xml += (int64_t)doc.len;
		t = now_s();
		feed = feed_parse(doc.data, doc.len, NULL);
		t_parse += now_s() - t;
		if (feed == NULL || (int)feed->nkept != per) {
			fprintf(stderr, "store_bench: feed %d: generated document parsed badly\n", f);
			return 1;
		}
		c = cpu_s();
		t = now_s();
		if (store_ingest(s, ids[f], feed, base + f, &r) != 0) {
			fprintf(stderr, "store_bench: store_ingest: %s\n", store_errmsg(s));
			return 1;
		}
		t = now_s() - t;
		c_ingest += cpu_s() - c;
		t_ingest += t;
		if (t > slowest)
			slowest = t;
		total += r.new_items;
		feed_free(feed);
		memset(&fr, 0, sizeof(fr));
		fr.http_status = 200;
		fr.etag = "\"abc\"";
		fr.next_poll = base + 3600;
		fr.bytes = (int64_t)doc.len;
		t = now_s();
		if (store_fetch_done(s, ids[f], base + f, &fr, &r, NULL) != 0) {
			fprintf(stderr, "store_bench: store_fetch_done: %s\n", store_errmsg(s));
			return 1;
		}
		t_done += now_s() - t;
		if (f + 1 == nfeeds || (index_every > 0 && (f + 1) % index_every == 0)) {
			c = cpu_s();
			t = now_s();
			if (store_index_all(s, &nbatch) != 0) {
				fprintf(stderr, "store_bench: store_index_all: %s\n", store_errmsg(s));
				return 1;
			}
			t = now_s() - t;
			c_index += cpu_s() - c;
			t_index += t;
			if (t > slowest_index)
				slowest_index = t;
			nindexed += nbatch;
		}
		if ((f + 1) % 200 == 0) {
			fprintf(stderr, "  %d feeds, %lld items, %.0f items/s in store_ingest\n", f + 1,
				(long long)total, (double)total / t_ingest);
		}
	}
	t_all = now_s() - t_all;
	buf_free(&doc);
	store_close(s);
	printf("store_bench: ingest items=%lld feeds=%d per_feed=%d xml_bytes=%lld "
	       "ingest_s=%.2f items_per_s=%.0f ingest_cpu_s=%.2f items_per_cpu_s=%.0f "
	       "slowest_tx_ms=%.1f fetch_done_s=%.2f gen_s=%.2f parse_s=%.2f wall_s=%.2f "
	       "end_to_end_items_per_s=%.0f\n",
	       (long long)total, nfeeds, per, (long long)xml, t_ingest, (double)total / t_ingest,
	       c_ingest, (double)total / c_ingest, slowest * 1e3, t_done, t_gen, t_parse, t_all,
	       (double)total / t_all);
	printf("store_bench: index indexed=%lld every_feeds=%d index_s=%.2f index_cpu_s=%.2f "
	       "slowest_batch_ms=%.1f with_index_items_per_s=%.0f with_index_items_per_cpu_s=%.0f\n",
	       (long long)nindexed, index_every, t_index, c_index, slowest_index * 1e3,
	       (double)total / (t_ingest + t_index), (double)total / (c_ingest + c_index));

	/* Size: after a full checkpoint, the WAL truncated. */
	if (raw_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)"))
		return 1;
	if (stat(path, &sb) != 0)
		return 1;
	printf("store_bench: size db_bytes=%lld bytes_per_item=%.0f items=%lld articles=%lld "
	       "page_size=%lld freelist=%lld\n",
	       (long long)sb.st_size, (double)sb.st_size / (double)total,
	       (long long)raw_int(db, "SELECT count(*) FROM items", NULL),
	       (long long)raw_int(db, "SELECT count(*) FROM articles", NULL),
	       (long long)raw_int(db, "PRAGMA page_size", NULL),
	       (long long)raw_int(db, "PRAGMA freelist_count", NULL));
	for (k = 0; k < NRANKS; k++)
		printf("store_bench: word rank=%d word=%s matches=%lld\n", word_ranks[k],
		       vocab[word_ranks[k] - 1],
		       (long long)raw_int(db, "SELECT count(*) FROM items_fts WHERE items_fts MATCH ?1",
					  vocab[word_ranks[k] - 1]));
	sqlite3_close(db);
	free(ids);
	free(vocab);
	free(cdf);
	return 0;
}

/* ----------------------------------------------------------------- query */

static int
count_cb_item(void *ud, const struct store_item *it)
{
	(*(int64_t *)ud)++;
	return 0;
}

static int
count_cb_hit(void *ud, const struct store_hit *h)
{
	(*(int64_t *)ud)++;
	return 0;
}

static int
cmd_query(const char *path, int runs, int64_t limit, char **qwords, int nwords)
{
	struct store      *s;
	struct item_filter f;
	char               err[1536];
	double            *v = calloc((size_t)runs, sizeof(double)), t, med;
	int64_t            n = 0;
	int                i, w;

	if (v == NULL)
		return 1;
	t = now_s();
	if (store_open(&s, path, STORE_RDONLY, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "store_bench: %s\n", err);
		return 1;
	}
	printf("store_bench: open ms=%.2f\n", (now_s() - t) * 1e3);
	memset(&f, 0, sizeof(f));
	f.unread = 1;
	f.limit = 50;
	f.since = DATE_NONE;
	for (i = 0; i < runs; i++) {
		n = 0;
		t = now_s();
		if (store_items(s, &f, count_cb_item, &n) != 0) {
			fprintf(stderr, "store_bench: store_items: %s\n", store_errmsg(s));
			return 1;
		}
		v[i] = (now_s() - t) * 1e3;
		if (v[i] > SLOW_MS && i + 1 >= SLOW_RUNS) {
			i++;
			break;
		}
	}
	med = median(v, i);
	printf("store_bench: store_items unread limit=50 rows=%lld runs=%d median_ms=%.3f min_ms=%.3f"
	       " max_ms=%.3f\n", (long long)n, i, med, v[0], v[i - 1]);
	for (w = 0; w < nwords; w++) {
		for (i = 0; i < runs; i++) {
			n = 0;
			t = now_s();
			if (store_search(s, qwords[w], limit, count_cb_hit, &n) != 0) {
				fprintf(stderr, "store_bench: store_search: %s\n", store_errmsg(s));
				return 1;
			}
			v[i] = (now_s() - t) * 1e3;
			if (v[i] > SLOW_MS && i + 1 >= SLOW_RUNS) {
				i++;
				break;
			}
		}
		med = median(v, i);
		printf("store_bench: store_search word=%s limit=%lld rows=%lld runs=%d median_ms=%.3f"
		       " min_ms=%.3f max_ms=%.3f\n", qwords[w], (long long)limit, (long long)n, i, med,
		       v[0], v[i - 1]);
	}
	store_close(s);
	free(v);
	return 0;
}

/* ----------------------------------------------------------------- spawn */

static int
cmd_spawn(int runs, char **argv)
{
	double *v = calloc((size_t)runs, sizeof(double)), t;
	char    errf[] = "/tmp/store_bench_err.XXXXXX";
	int     i, st, efd = mkstemp(errf), bad = 0;

	if (v == NULL || efd == -1)
		return 1;
	unlink(errf);
	for (i = 0; i < runs; i++) {
		pid_t pid;

		t = now_s();
		if ((pid = fork()) == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			if (ftruncate(efd, 0) == 0)
				lseek(efd, 0, SEEK_SET);
			dup2(efd, 2);
			execvp(argv[0], argv);
			_exit(127);
		}
		if (pid == -1 || waitpid(pid, &st, 0) == -1)
			return 1;
		v[i] = (now_s() - t) * 1e3;
		if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) {
			char   msg[512];
			ssize_t n = pread(efd, msg, sizeof(msg) - 1, 0);

			msg[n > 0 ? n : 0] = '\0';
			fprintf(stderr, "store_bench: %s exited with %d: %s\n", argv[0],
				WIFEXITED(st) ? WEXITSTATUS(st) : -1, msg);
			bad = 1;
			break;
		}
		if (v[i] > SLOW_MS && i + 1 >= SLOW_RUNS) {
			i++;
			break;
		}
	}
	close(efd);
	if (bad)
		return 1;
	runs = i;
	t = median(v, runs);
	printf("store_bench: spawn runs=%d median_ms=%.2f min_ms=%.2f max_ms=%.2f rc=%d\n", runs, t,
	       v[0], v[runs - 1], WEXITSTATUS(st));
	free(v);
	return 0;
}

/* --------------------------------------------------------------- explain */

static void
explain(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	char         *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);

	printf("-- %s\n", sql);
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) {
		printf("   (%s)\n", sqlite3_errmsg(db));
	} else {
		if (arg)
			sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			printf("   %d %d %s\n", sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
			       sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
	}
	sqlite3_free(q);
}

static int
cmd_explain(const char *path, const char *w)
{
	sqlite3 *db;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return 1;
	explain(db, "SELECT i.id FROM items i JOIN feeds f ON f.id = i.feed_id LEFT JOIN articles a"
		    " ON a.id = i.article_id WHERE 1 AND i.read = 0 ORDER BY i.first_seen DESC, i.id ASC"
		    " LIMIT 50", NULL);
	/* store_search's query (lib/store_query.c), limit 20 */
	explain(db, "WITH top(id, r) AS (SELECT rowid, bm25(items_fts, 5.0, 2.0, 1.0) FROM items_fts"
		    " WHERE items_fts MATCH ?1 ORDER BY rowid DESC LIMIT 10000),"
		    " best(id, r) AS (SELECT id, r FROM top ORDER BY r, id DESC LIMIT 20)"
		    " SELECT i.id, snippet(items_fts, -1, char(2), char(3), '...', 24), best.r FROM best"
		    " JOIN items_fts ON items_fts.rowid = best.id JOIN items i ON i.id = best.id"
		    " JOIN feeds f ON f.id = i.feed_id WHERE items_fts MATCH ?1"
		    " ORDER BY best.r, best.id DESC", w ? w : "x");
	sqlite3_close(db);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: store_bench ingest DB [--feeds N] [--per N] [--index-every FEEDS]\n"
			"       store_bench query DB [--runs N] [--limit N] [WORD...]\n"
			"       store_bench spawn [--runs N] -- CMD [ARG...]\n"
			"       store_bench explain DB [WORD]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int     runs = 20, nfeeds = 2000, per = 500, index_every = 20, i;
	int64_t limit = 20;

	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "ingest") && argc >= 3) {
		for (i = 3; i + 1 < argc; i += 2)
			if (!strcmp(argv[i], "--feeds"))
				nfeeds = atoi(argv[i + 1]);
			else if (!strcmp(argv[i], "--per"))
				per = atoi(argv[i + 1]);
			else if (!strcmp(argv[i], "--index-every"))
				index_every = atoi(argv[i + 1]);
			else
				usage();
		return cmd_ingest(argv[2], nfeeds, per, index_every);
	}
	if (!strcmp(argv[1], "query") && argc >= 3) {
		for (i = 3; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2)
			if (!strcmp(argv[i], "--runs"))
				runs = atoi(argv[i + 1]);
			else if (!strcmp(argv[i], "--limit"))
				limit = atoll(argv[i + 1]);
			else
				usage();
		return cmd_query(argv[2], runs > 0 ? runs : 1, limit, argv + i, argc - i);
	}
	if (!strcmp(argv[1], "spawn")) {
		for (i = 2; i < argc && strcmp(argv[i], "--"); i += 2)
			if (!strcmp(argv[i], "--runs") && i + 1 < argc)
				runs = atoi(argv[i + 1]);
			else
				usage();
		if (i + 1 >= argc)
			usage();
		return cmd_spawn(runs > 0 ? runs : 1, argv + i + 1);
	}
	if (!strcmp(argv[1], "explain") && argc >= 3)
		return cmd_explain(argv[2], argc > 3 ? argv[3] : NULL);
	usage();
	return 2;
}
