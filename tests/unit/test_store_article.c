/*
 * test_store_article.c: the article queue and fetch results
 * (lib/store_article.c): which articles are due and in what order, the
 * retry schedule, stored fields, the dedupe of articles by final and
 * canonical URL (items moved, the row dropped, the full-text index kept
 * in step), and refetch.
 *
 * Each test gets its own database in a fresh mkdtemp directory; items come
 * in through feed_parse() and store_ingest() as in the daemon, results go
 * in through the API, and checks are raw SQL on a second connection.
 */
#include "storetest.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define DAY 86400
#define T0 INT64_C(1700000000)

/* The full-text index agrees with its content (the view). */
static void
assert_fts_ok(struct tdb *t)
{
	char *msg = NULL;

	if (sqlite3_exec(t->raw, "INSERT INTO items_fts(items_fts) VALUES('integrity-check')", NULL,
			 NULL, &msg) != SQLITE_OK)
		fail_msg("FTS integrity-check: %s", msg ? msg : sqlite3_errmsg(t->raw));
	sqlite3_free(msg);
}

static int64_t
add_feed(struct tdb *t, const char *url, int full_text)
{
	sql_exec(t, "INSERT INTO feeds(url, added_at, full_text) VALUES (%Q, %lld, %d)", url,
		 (long long)T0, full_text);
	return sqlite3_last_insert_rowid(t->raw);
}

/* Ingests items (link, title, published) into feed as an RSS document. */
static void
ingest(struct tdb *t, int64_t feed, const char *const (*v)[2], const int64_t *pub, size_t n)
{
	struct ingest_result r;
	struct buf	     b;
	struct feed	    *f;
	size_t		     i;
	char		     d[21];
	int64_t		     indexed = 0;

	buf_init(&b, 0);
	buf_adds(&b,
		 "<rss version=\"2.0\"><channel><title>T</title><link>https://example.org/</link>");
	for (i = 0; i < n; i++) {
		date_format(pub[i], d);
		buf_printf(&b,
			   "<item><guid>%s</guid><link>%s</link><title>%s</title>"
			   "<description>summary of %s</description><pubDate>%s</pubDate></item>",
			   v[i][0], v[i][0], v[i][1], v[i][1], d);
	}
	buf_adds(&b, "</channel></rss>");
	f = feed_parse(b.data, b.len, NULL);
	assert_non_null(f);
	assert_int_equal(f->nkept, n);
	if (store_ingest(t->s, feed, f, T0, &r) != 0)
		fail_msg("store_ingest: %s", store_errmsg(t->s));
	/* Searchable, as the daemon makes new items seconds later. */
	if (store_index_all(t->s, &indexed) != 0)
		fail_msg("store_index_all: %s", store_errmsg(t->s));
	feed_free(f);
	buf_free(&b);
}

static int64_t
article_url_id(struct tdb *t, const char *url)
{
	return q_int(t, "SELECT id FROM articles WHERE url = %Q", url);
}

struct due {
	int64_t id[16];
	char	url[16][128];
	int64_t feed[16];
	size_t	n;
};

static int
on_due(void *ud, const struct store_article_job *j)
{
	struct due *d = ud;

	if (d->n < 16) {
		d->id[d->n] = j->id;
		d->feed[d->n] = j->feed_id;
		snprintf(d->url[d->n], sizeof(d->url[0]), "%s", j->url);
		d->n++;
	}
	return 0;
}

static void
fill_article(struct article *a, const char *title, const char *text, const char *canonical)
{
	memset(a, 0, sizeof(*a));
	a->title = (char *)title;
	a->text = (char *)text;
	a->html = (char *)"<p>html</p>";
	a->byline = (char *)"Ada Writer";
	a->site_name = (char *)"Example News";
	a->canonical = (char *)canonical;
	a->published = T0 - 3600;
	a->word_count = 42;
}

/* ------------------------------------------------------------------ tests */

/* Due: pending rows of full-text feeds, newest item first; not those of
 * a feed with full text off, not those waiting for a later attempt. */
static void
test_due_order(void **state)
{
	struct tdb	 *t = *state;
	int64_t		  on = add_feed(t, "https://a.example/feed", 1);
	int64_t		  off = add_feed(t, "https://b.example/feed", 1);
	const char *const va[][2] = {{"https://example.com/old", "old"},
				     {"https://example.com/new", "new"},
				     {"https://example.com/mid", "mid"}};
	const int64_t	  pa[] = {T0 - 3 * DAY, T0 - DAY, T0 - 2 * DAY};
	const char *const vb[][2] = {{"https://example.net/x", "x"}};
	const int64_t	  pb[] = {T0};
	struct due	  d = {0};
	int64_t		  next = 0;

	ingest(t, on, va, pa, NELEM(va));
	ingest(t, off, vb, pb, NELEM(vb));
	sql_exec(t, "UPDATE feeds SET full_text = 0 WHERE id = %lld", (long long)off);
	sql_exec(t, "UPDATE articles SET next_attempt = %lld WHERE url = 'https://example.com/mid'",
		 (long long)(T0 + 600));
	assert_int_equal(store_articles_due(t->s, T0, 0, on_due, &d, &next), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.url[0], "https://example.com/new");
	assert_string_equal(d.url[1], "https://example.com/old");
	assert_int_equal(d.feed[0], on);
	assert_int_equal(next, T0 + 600);
	/* The limit, and the waiting one once its time comes. */
	memset(&d, 0, sizeof(d));
	assert_int_equal(store_articles_due(t->s, T0 + 600, 1, on_due, &d, &next), 0);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.url[0], "https://example.com/new");
	assert_int_equal(next, DATE_NONE);
}

static void
test_backoff(void **state)
{
	struct article_fetch r = {.retry_after = -1};

	(void)state;
	r.status = ART_EXTRACTED;
	assert_int_equal(store_article_backoff(&r, 1), -1);
	r.status = ART_NOT_HTML;
	assert_int_equal(store_article_backoff(&r, 1), -1);
	r.status = ART_TOO_LARGE;
	assert_int_equal(store_article_backoff(&r, 1), -1);
	r.status = ART_EMPTY;
	assert_int_equal(store_article_backoff(&r, 1), -1);
	r.status = ART_TIMEOUT;
	assert_int_equal(store_article_backoff(&r, 1), 600);
	assert_int_equal(store_article_backoff(&r, 2), 1200);
	assert_int_equal(store_article_backoff(&r, 3), 2400);
	assert_int_equal(store_article_backoff(&r, 7), 600 * 64);
	assert_int_equal(store_article_backoff(&r, 9), DAY); /* 600 * 256 is above the cap */
	assert_int_equal(store_article_backoff(&r, ARTICLE_MAX_ATTEMPTS), -1);
	r.status = ART_HTTP_ERROR;
	r.http_status = 503;
	assert_int_equal(store_article_backoff(&r, 1), 600);
	r.retry_after = 5000;
	assert_int_equal(store_article_backoff(&r, 1), 5000);
	r.retry_after = -1;
	r.http_status = 429;
	assert_int_equal(store_article_backoff(&r, 2), 1200);
	r.http_status = 404;
	assert_int_equal(store_article_backoff(&r, 1), DAY);
	assert_int_equal(store_article_backoff(&r, ARTICLE_MAX_4XX - 1), DAY);
	assert_int_equal(store_article_backoff(&r, ARTICLE_MAX_4XX), -1);
	r.status = ART_ERROR;
	r.http_status = 0;
	assert_int_equal(store_article_backoff(&r, 1), 600);
	r.permanent = 1;
	assert_int_equal(store_article_backoff(&r, 1), -1);
}

/* An extracted article: fields stored, no next attempt, the text found by
 * search through its item; a later failed refetch keeps the text. */
static void
test_done_extracted(void **state)
{
	struct tdb	    *t = *state;
	int64_t		     feed = add_feed(t, "https://a.example/feed", 1), id, kept = 0;
	const char *const    v[][2] = {{"https://example.com/story", "Story"}};
	const int64_t	     p[] = {T0};
	struct article	     a;
	struct article_fetch r = {.status = ART_EXTRACTED, .http_status = 200, .retry_after = -1};
	struct due	     d = {0};

	ingest(t, feed, v, p, 1);
	id = article_url_id(t, "https://example.com/story");
	fill_article(&a, "The story", "First paragraph about zeppelins.\n\nSecond.", NULL);
	r.a = &a;
	r.final_url = "https://example.com/story?utm_source=rss";
	assert_int_equal(store_article_done(t->s, id, T0 + 5, &r, &kept), 0);
	assert_int_equal(kept, id);
	assert_sql_str(t, "extracted", "SELECT status FROM articles WHERE id = %lld",
		       (long long)id);
	assert_sql_str(t, "The story", "SELECT title FROM articles WHERE id = %lld", (long long)id);
	assert_sql_str(t, "Ada Writer", "SELECT byline FROM articles WHERE id = %lld",
		       (long long)id);
	assert_sql_str(t, "https://example.com/story",
		       "SELECT final_url FROM articles WHERE id = %lld", (long long)id);
	assert_int_equal(
	    q_int(t, "SELECT next_attempt FROM articles WHERE id = %lld", (long long)id),
	    INT64_MIN);
	assert_int_equal(q_int(t, "SELECT attempts FROM articles WHERE id = %lld", (long long)id),
			 1);
	assert_int_equal(q_int(t, "SELECT fetched_at FROM articles WHERE id = %lld", (long long)id),
			 T0 + 5);
	assert_int_equal(q_int(t, "SELECT word_count FROM articles WHERE id = %lld", (long long)id),
			 42);
	assert_int_equal(
	    q_int(t, "SELECT count(*) FROM items_fts WHERE items_fts MATCH 'zeppelins'"), 1);
	assert_fts_ok(t);
	assert_int_equal(store_articles_due(t->s, T0 + 10 * DAY, 0, on_due, &d, NULL), 0);
	assert_int_equal(d.n, 0);

	/* Refetch, then a 500: the text stays, the status says what happened. */
	{
		int64_t		     item = q_int(t, "SELECT id FROM items"), aid = 0;
		struct article_fetch e = {.status = ART_HTTP_ERROR,
					  .http_status = 500,
					  .error = "HTTP 500",
					  .retry_after = -1};

		assert_int_equal(store_article_refetch(t->s, item, T0 + 100, &aid), 0);
		assert_int_equal(aid, id);
		assert_sql_str(t, "pending", "SELECT status FROM articles WHERE id = %lld",
			       (long long)id);
		assert_int_equal(store_article_done(t->s, id, T0 + 200, &e, NULL), 0);
		assert_sql_str(t, "http_error", "SELECT status FROM articles WHERE id = %lld",
			       (long long)id);
		assert_int_equal(
		    q_int(t, "SELECT http_status FROM articles WHERE id = %lld", (long long)id),
		    500);
		assert_int_equal(
		    q_int(t, "SELECT next_attempt FROM articles WHERE id = %lld", (long long)id),
		    T0 + 200 + 600);
		assert_sql_str(t, "First paragraph about zeppelins.\n\nSecond.",
			       "SELECT text FROM articles WHERE id = %lld", (long long)id);
	}
	assert_fts_ok(t);
}

/* A 404: http_error with the status, retried a day later, then given up. */
static void
test_done_404(void **state)
{
	struct tdb	    *t = *state;
	int64_t		     feed = add_feed(t, "https://a.example/feed", 1), id;
	const char *const    v[][2] = {{"https://example.com/gone", "Gone"}};
	const int64_t	     p[] = {T0};
	struct article_fetch r = {
	    .status = ART_HTTP_ERROR, .http_status = 404, .error = "HTTP 404", .retry_after = -1};
	int i;

	ingest(t, feed, v, p, 1);
	id = article_url_id(t, "https://example.com/gone");
	assert_int_equal(store_article_done(t->s, id, T0, &r, NULL), 0);
	assert_sql_str(t, "http_error", "SELECT status FROM articles WHERE id = %lld",
		       (long long)id);
	assert_int_equal(
	    q_int(t, "SELECT http_status FROM articles WHERE id = %lld", (long long)id), 404);
	assert_sql_str(t, "HTTP 404", "SELECT error FROM articles WHERE id = %lld", (long long)id);
	assert_int_equal(
	    q_int(t, "SELECT next_attempt FROM articles WHERE id = %lld", (long long)id), T0 + DAY);
	/* The item is still there, with its article's status. */
	assert_sql_str(t, "http_error",
		       "SELECT a.status FROM items i JOIN articles a"
		       " ON a.id = i.article_id");
	for (i = 1; i < ARTICLE_MAX_4XX; i++)
		assert_int_equal(store_article_done(t->s, id, T0 + i * DAY, &r, NULL), 0);
	assert_int_equal(
	    q_int(t, "SELECT next_attempt FROM articles WHERE id = %lld", (long long)id),
	    INT64_MIN);
	assert_int_equal(q_int(t, "SELECT attempts FROM articles WHERE id = %lld", (long long)id),
			 ARTICLE_MAX_4XX);
	/* A gone article: STORE_NOTFOUND, nothing else changes. */
	assert_int_equal(store_article_done(t->s, id + 100, T0, &r, NULL), STORE_NOTFOUND);
}

/* Two items, two URLs, one page (by its canonical URL): stored once. */
static void
test_dedupe_canonical(void **state)
{
	struct tdb	    *t = *state;
	int64_t		     f1 = add_feed(t, "https://a.example/feed", 1);
	int64_t		     f2 = add_feed(t, "https://b.example/feed", 1);
	const char *const    v1[][2] = {{"https://example.com/print/7", "Seven (print)"}};
	const char *const    v2[][2] = {{"https://example.com/news/7", "Seven"}};
	const int64_t	     p[] = {T0};
	int64_t		     print, news, kept = 0;
	struct article	     a;
	struct article_fetch r = {.status = ART_EXTRACTED, .http_status = 200, .retry_after = -1};
	struct due	     d = {0};

	ingest(t, f1, v1, p, 1);
	ingest(t, f2, v2, p, 1);
	print = article_url_id(t, "https://example.com/print/7");
	news = article_url_id(t, "https://example.com/news/7");
	assert_true(print > 0 && news > 0 && print != news);
	fill_article(&a, "Seven", "Text of the seventh story with aardvarks.",
		     "https://example.com/news/7#top");
	r.a = &a;
	r.final_url = "https://example.com/print/7";
	assert_int_equal(store_article_done(t->s, print, T0, &r, &kept), 0);
	assert_int_equal(kept, news);
	assert_int_equal(q_int(t, "SELECT count(*) FROM articles"), 1);
	assert_int_equal(q_int(t, "SELECT count(DISTINCT article_id) FROM items"), 1);
	assert_int_equal(
	    q_int(t, "SELECT article_id FROM items WHERE feed_id = %lld", (long long)f1), news);
	assert_sql_str(t, "extracted", "SELECT status FROM articles WHERE id = %lld",
		       (long long)news);
	assert_int_equal(
	    q_int(t, "SELECT count(*) FROM items_fts WHERE items_fts MATCH 'aardvarks'"), 2);
	assert_fts_ok(t);
	/* Nothing left to fetch: the news row was filled by the print page. */
	assert_int_equal(store_articles_due(t->s, T0 + 1, 0, on_due, &d, NULL), 0);
	assert_int_equal(d.n, 0);
}

/* A fetch whose redirect lands on an article stored already adds
 * nothing: the stored text stays, the duplicate row goes. */
static void
test_dedupe_final_url_keeps_stored(void **state)
{
	struct tdb	    *t = *state;
	int64_t		     feed = add_feed(t, "https://a.example/feed", 1), first, second, kept;
	const char *const    v[][2] = {{"https://example.com/a", "A"},
				       {"https://short.example/x", "X"}};
	const int64_t	     p[] = {T0, T0 - 1};
	struct article	     a, b;
	struct article_fetch r = {.status = ART_EXTRACTED, .http_status = 200, .retry_after = -1};

	ingest(t, feed, v, p, 2);
	first = article_url_id(t, "https://example.com/a");
	second = article_url_id(t, "https://short.example/x");
	fill_article(&a, "A", "Original text about walruses.", NULL);
	r.a = &a;
	r.final_url = "https://example.com/a";
	assert_int_equal(store_article_done(t->s, first, T0, &r, &kept), 0);
	fill_article(&b, "A again", "Other text about narwhals.", NULL);
	r.a = &b;
	r.final_url = "https://example.com/a?utm_campaign=z";
	assert_int_equal(store_article_done(t->s, second, T0 + 1, &r, &kept), 0);
	assert_int_equal(kept, first);
	assert_int_equal(q_int(t, "SELECT count(*) FROM articles"), 1);
	assert_sql_str(t, "Original text about walruses.", "SELECT text FROM articles");
	assert_int_equal(
	    q_int(t, "SELECT count(*) FROM items WHERE article_id = %lld", (long long)first), 2);
	assert_int_equal(
	    q_int(t, "SELECT count(*) FROM items_fts WHERE items_fts MATCH 'walruses'"), 2);
	assert_int_equal(
	    q_int(t, "SELECT count(*) FROM items_fts WHERE items_fts MATCH 'narwhals'"), 0);
	assert_fts_ok(t);
}

/* A canonical URL that is the site's home page is not believed. */
static void
test_canonical_site_root_ignored(void **state)
{
	struct tdb	 *t = *state;
	int64_t		  feed = add_feed(t, "https://a.example/feed", 1), x, y, kept;
	const char *const v[][2] = {{"https://example.com/x", "X"}, {"https://example.com/y", "Y"}};
	const int64_t	  p[] = {T0, T0};
	struct article	  a;
	struct article_fetch r = {.status = ART_EXTRACTED, .http_status = 200, .retry_after = -1};

	ingest(t, feed, v, p, 2);
	x = article_url_id(t, "https://example.com/x");
	y = article_url_id(t, "https://example.com/y");
	fill_article(&a, "X", "x text", "https://example.com/");
	r.a = &a;
	r.final_url = "https://example.com/x";
	assert_int_equal(store_article_done(t->s, x, T0, &r, &kept), 0);
	assert_int_equal(kept, x);
	fill_article(&a, "Y", "y text", "https://example.com/");
	r.final_url = "https://example.com/y";
	assert_int_equal(store_article_done(t->s, y, T0, &r, &kept), 0);
	assert_int_equal(kept, y);
	assert_int_equal(q_int(t, "SELECT count(*) FROM articles"), 2);
}

/* An item linking to an extracted article's canonical URL joins it
 * without a fetch. */
static void
test_joined_before_fetch(void **state)
{
	struct tdb	    *t = *state;
	int64_t		     feed = add_feed(t, "https://a.example/feed", 1), a1, a2, into = -1;
	const char *const    v1[][2] = {{"https://example.com/amp/9", "Nine"}};
	const char *const    v2[][2] = {{"https://example.com/9", "Nine"}};
	const int64_t	     p[] = {T0};
	struct article	     a;
	struct article_fetch r = {.status = ART_EXTRACTED, .http_status = 200, .retry_after = -1};

	ingest(t, feed, v1, p, 1);
	a1 = article_url_id(t, "https://example.com/amp/9");
	fill_article(&a, "Nine", "nine text", "https://example.com/9");
	r.a = &a;
	r.final_url = "https://example.com/amp/9";
	assert_int_equal(store_article_done(t->s, a1, T0, &r, NULL), 0);
	assert_sql_str(t, "https://example.com/9", "SELECT final_url FROM articles WHERE id = %lld",
		       (long long)a1);
	ingest(t, feed, v2, p, 1);
	a2 = article_url_id(t, "https://example.com/9");
	assert_true(a2 > 0 && a2 != a1);
	assert_int_equal(store_article_joined(t->s, a2, &into), 0);
	assert_int_equal(into, a1);
	assert_int_equal(q_int(t, "SELECT count(*) FROM articles"), 1);
	assert_int_equal(
	    q_int(t, "SELECT count(*) FROM items WHERE article_id = %lld", (long long)a1), 2);
	assert_fts_ok(t);
	/* One that is nobody's alias stays. */
	assert_int_equal(store_article_joined(t->s, a1, &into), 0);
	assert_int_equal(into, 0);
}

/* refetch: unknown item, item of a feed with full text off, an item whose
 * feed now has full text on but no article yet. */
static void
test_refetch(void **state)
{
	struct tdb	 *t = *state;
	int64_t		  feed = add_feed(t, "https://a.example/feed", 0), item, aid = 0;
	const char *const v[][2] = {{"https://example.com/later", "Later"}};
	const int64_t	  p[] = {T0};
	struct due	  d = {0};

	ingest(t, feed, v, p, 1);
	item = q_int(t, "SELECT id FROM items");
	assert_int_equal(q_int(t, "SELECT count(*) FROM articles"), 0);
	assert_int_equal(store_article_refetch(t->s, item + 50, T0, &aid), STORE_NOTFOUND);
	assert_int_equal(store_article_refetch(t->s, item, T0, &aid), STORE_INVALID);
	assert_non_null(strstr(store_errmsg(t->s), "full text off"));
	sql_exec(t, "UPDATE feeds SET full_text = 1");
	assert_int_equal(store_article_refetch(t->s, item, T0, &aid), 0);
	assert_true(aid > 0);
	assert_int_equal(q_int(t, "SELECT article_id FROM items WHERE id = %lld", (long long)item),
			 aid);
	assert_int_equal(store_articles_due(t->s, T0, 0, on_due, &d, NULL), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.id[0], aid);
	assert_fts_ok(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_due_order, tdb_setup, tdb_teardown),
	    cmocka_unit_test(test_backoff),
	    cmocka_unit_test_setup_teardown(test_done_extracted, tdb_setup, tdb_teardown),
	    cmocka_unit_test_setup_teardown(test_done_404, tdb_setup, tdb_teardown),
	    cmocka_unit_test_setup_teardown(test_dedupe_canonical, tdb_setup, tdb_teardown),
	    cmocka_unit_test_setup_teardown(test_dedupe_final_url_keeps_stored, tdb_setup, tdb_teardown),
	    cmocka_unit_test_setup_teardown(test_canonical_site_root_ignored, tdb_setup, tdb_teardown),
	    cmocka_unit_test_setup_teardown(test_joined_before_fetch, tdb_setup, tdb_teardown),
	    cmocka_unit_test_setup_teardown(test_refetch, tdb_setup, tdb_teardown),
	};

	return cmocka_run_group_tests_name("store_article", tests, NULL, NULL);
}
