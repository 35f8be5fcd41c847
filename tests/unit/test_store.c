/*
 * test_store.c: writing to the store (lib/store_ingest.c): the dedupe rules
 * of the ingest, tombstones, shared articles, retention, fetch results and
 * the full-text index the triggers keep.
 *
 * Each test gets its own database in a fresh mkdtemp directory (removed
 * afterwards), written through the store API and checked with raw SQL on a
 * second connection: what is stored is what these rules are about.  Feeds
 * are added with raw SQL too, so that these tests do not depend on the
 * query half of the store (lib/store_query.c).
 *
 * Documents are small RSS 2.0 strings put through feed_parse(), so the
 * identities are the parser's (feed_item_ident).
 */
#include "store_int.h" /* STORE_APPLICATION_ID, store_schema_sql: the migration test */
#include "storetest.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define DAY      86400
#define T0       INT64_C(1700000000) /* 2023-11-14T22:13:20Z */

/* ------------------------------------------------------------------ helpers */

/* The string the query gives contains needle. */
#define assert_sql_contains(t, needle, ...)                                                     \
	do {                                                                                    \
		char *v_ = q_text((t), __VA_ARGS__);                                            \
		if (v_ == NULL || strstr(v_, (needle)) == NULL) {                               \
			print_error("%s gives \"%s\", expected it to contain \"%s\"\n",          \
				    #__VA_ARGS__, v_ ? v_ : "(null)", (needle));                \
			free(v_);                                                               \
			fail();                                                                 \
		}                                                                               \
		free(v_);                                                                       \
	} while (0)

static int64_t
add_feed(struct tdb *t, const char *url)
{
	sql_exec(t, "INSERT INTO feeds(url, added_at) VALUES (%Q, %lld)", url, (long long)T0);
	return sqlite3_last_insert_rowid(t->raw);
}

/* One item of a generated document.  guid NULL: no <guid>; "": an empty one. */
struct ti {
	const char *guid, *link, *title, *summary;
	int64_t     published; /* 0: none */
};

static char *
rss(const struct ti *v, size_t n)
{
	struct buf b;
	size_t     i;

	buf_init(&b, 0);
	buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
		     "<title>Test feed</title><link>https://example.org/</link>"
		     "<description>d</description>\n");
	for (i = 0; i < n; i++) {
		buf_adds(&b, "<item>");
		if (v[i].guid)
			buf_printf(&b, "<guid isPermaLink=\"false\">%s</guid>", v[i].guid);
		if (v[i].link)
			buf_printf(&b, "<link>%s</link>", v[i].link);
		if (v[i].title)
			buf_printf(&b, "<title>%s</title>", v[i].title);
		if (v[i].summary)
			buf_printf(&b, "<description><![CDATA[%s]]></description>", v[i].summary);
		if (v[i].published) {
			char d[21];

			date_format(v[i].published, d);
			buf_printf(&b, "<pubDate>%s</pubDate>", d);
		}
		buf_adds(&b, "</item>\n");
	}
	buf_adds(&b, "</channel></rss>\n");
	return buf_take(&b);
}

/* Parses and ingests the document; returns store_ingest's result code. */
static int
ingest(struct tdb *t, int64_t feed, const struct ti *v, size_t n, int64_t now,
       struct ingest_result *r)
{
	char        *doc = rss(v, n);
	struct feed *f = feed_parse(doc, strlen(doc), NULL);
	int          rc;

	assert_non_null(f);
	assert_int_equal(f->nkept, n);
	rc = store_ingest(t->s, feed, f, now, r);
	if (rc != 0)
		print_error("store_ingest: %s\n", store_errmsg(t->s));
	feed_free(f);
	free(doc);
	return rc;
}

#define INGEST_OK(t, feed, v, n, now, r) assert_int_equal(ingest((t), (feed), (v), (n), (now), (r)), 0)

/* n generated items: guid fmt_guid % i (NULL: none), link .../p/<i>. */
struct gen {
	struct ti it[64];
	char      guid[64][48], link[64][80], title[64][48], summary[64][64];
};

static void
gen_items(struct gen *g, size_t n, const char *guidfmt, const char *linkfmt)
{
	size_t i;

	assert_true(n <= 64);
	memset(g, 0, sizeof(*g));
	for (i = 0; i < n; i++) {
		if (guidfmt) {
			snprintf(g->guid[i], sizeof(g->guid[i]), guidfmt, (int)i);
			g->it[i].guid = g->guid[i];
		}
		snprintf(g->link[i], sizeof(g->link[i]), linkfmt ? linkfmt : "https://example.org/p/%d",
			 (int)i);
		snprintf(g->title[i], sizeof(g->title[i]), "Item number %d", (int)i);
		snprintf(g->summary[i], sizeof(g->summary[i]), "Summary of item %d", (int)i);
		g->it[i].link = g->link[i];
		g->it[i].title = g->title[i];
		g->it[i].summary = g->summary[i];
		g->it[i].published = T0 - (int64_t)i * 3600;
	}
}

static int64_t
count_items(struct tdb *t, int64_t feed)
{
	return q_int(t, "SELECT count(*) FROM items WHERE feed_id = %lld", (long long)feed);
}

static int64_t
item_by_guid(struct tdb *t, int64_t feed, const char *guid)
{
	return q_int(t, "SELECT id FROM items WHERE feed_id = %lld AND guid = %Q", (long long)feed,
		     guid);
}

static int64_t
item_by_url(struct tdb *t, int64_t feed, const char *url)
{
	return q_int(t, "SELECT id FROM items WHERE feed_id = %lld AND url = %Q", (long long)feed, url);
}

/* Rows of items_fts that MATCH q, into ids (sorted); returns how many. */
static int
fts(struct tdb *t, const char *q, int64_t *ids, int max)
{
	sqlite3_stmt *st;
	int           n = 0, rc;

	if (sqlite3_prepare_v2(t->raw, "SELECT rowid FROM items_fts WHERE items_fts MATCH ?1"
				       " ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		fail_msg("fts: %s", sqlite3_errmsg(t->raw));
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (n < max)
			ids[n++] = sqlite3_column_int64(st, 0);
		else
			n++;
	if (rc != SQLITE_DONE)
		fail_msg("fts %s: %s", q, sqlite3_errmsg(t->raw));
	sqlite3_finalize(st);
	return n;
}

static int
fts_count(struct tdb *t, const char *q)
{
	int64_t ids[64];

	return fts(t, q, ids, 64);
}

/* Brings the search index up to date, as gleanerd does shortly after
 * new items are stored (store_index.c). */
static void
index_all(struct tdb *t)
{
	int64_t n;

	if (store_index_all(t->s, &n) != 0)
		fail_msg("store_index_all: %s", store_errmsg(t->s));
}

static int64_t
index_lag(struct tdb *t)
{
	int64_t n = -1;

	assert_int_equal(store_index_lag(t->s, &n), 0);
	return n;
}

/* The index agrees with its content (the items and articles): FTS5's own check. */
static void
assert_fts_consistent(struct tdb *t)
{
	char *msg = NULL;

	if (sqlite3_exec(t->raw, "INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)",
			 NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("items_fts integrity-check: %s", msg ? msg : sqlite3_errmsg(t->raw));
	sqlite3_free(msg);
}

/* ------------------------------------------------------ same and updated items */

static const struct ti doc3[] = {
	{"g1", "https://example.org/1", "First post", "One", T0 - 3 * DAY},
	{"g2", "https://example.org/2", "Second post", "Two", T0 - 2 * DAY},
	{"g3", "https://example.org/3", "Third post", "Three", T0 - 1 * DAY},
};

/* The same document twice: nothing new the second time. */
static void
test_same_document_twice(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed");

	INGEST_OK(t, feed, doc3, NELEM(doc3), T0, &r);
	assert_int_equal(r.new_items, 3);
	assert_int_equal(r.unchanged, 0);
	assert_int_equal(r.key_switched, 0);
	INGEST_OK(t, feed, doc3, NELEM(doc3), T0 + 3600, &r);
	assert_int_equal(r.new_items, 0);
	assert_int_equal(r.updated, 0);
	assert_int_equal(r.unchanged, 3);
	assert_int_equal(count_items(t, feed), 3);
	/* Seen again: last_seen moves, first_seen stays. */
	assert_int_equal(q_int(t, "SELECT count(*) FROM items WHERE first_seen = %lld AND last_seen = %lld",
			       (long long)T0, (long long)(T0 + 3600)), 3);
	assert_int_equal(q_int(t, "SELECT last_doc_at FROM feeds WHERE id = %lld", (long long)feed),
			 T0 + 3600);
	assert_sql_str(t, "Test feed", "SELECT title FROM feeds WHERE id = %lld", (long long)feed);
	assert_sql_str(t, "guid", "SELECT key_mode FROM feeds WHERE id = %lld", (long long)feed);
}

/* An edited item (same guid, new title and summary) is updated in place. */
static void
test_updated_in_place(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed"), id;
	struct ti            edited[NELEM(doc3)];

	INGEST_OK(t, feed, doc3, NELEM(doc3), T0, &r);
	id = item_by_guid(t, feed, "g2");
	assert_true(id > 0);
	sql_exec(t, "UPDATE items SET read = 1, starred = 1 WHERE id = %lld", (long long)id);

	memcpy(edited, doc3, sizeof(edited));
	edited[1].title = "Second post (corrected)";
	edited[1].summary = "Two, with a correction";
	INGEST_OK(t, feed, edited, NELEM(edited), T0 + 3600, &r);
	assert_int_equal(r.new_items, 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(r.unchanged, 2);
	assert_int_equal(count_items(t, feed), 3);
	assert_int_equal(item_by_guid(t, feed, "g2"), id);
	assert_sql_str(t, "Second post (corrected)", "SELECT title FROM items WHERE id = %lld",
		       (long long)id);
	assert_sql_str(t, "Two, with a correction", "SELECT summary FROM items WHERE id = %lld",
		       (long long)id);
	assert_int_equal(q_int(t, "SELECT read FROM items WHERE id = %lld", (long long)id), 1);
	assert_int_equal(q_int(t, "SELECT starred FROM items WHERE id = %lld", (long long)id), 1);
	assert_int_equal(q_int(t, "SELECT first_seen FROM items WHERE id = %lld", (long long)id), T0);
	/* Still no unread item came back. */
	assert_int_equal(q_int(t, "SELECT count(*) FROM items WHERE read = 0"), 2);

	/* The edit is now the known state: the same document again is unchanged. */
	INGEST_OK(t, feed, edited, NELEM(edited), T0 + 7200, &r);
	assert_int_equal(r.updated, 0);
	assert_int_equal(r.unchanged, 3);
}

/* ------------------------------------------------------ unreliable guids */

/* 4 of 20 items share a guid (more than 5%): link keys, every item kept. */
static void
test_repeated_guids_switch(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed");
	struct gen           g;
	int                  i;

	gen_items(&g, 20, "guid-%d", NULL);
	for (i = 0; i < 4; i++)
		g.it[i].guid = "same-guid";
	INGEST_OK(t, feed, g.it, 20, T0, &r);
	assert_int_equal(r.key_switched, 1);
	assert_sql_str(t, "link", "SELECT key_mode FROM feeds WHERE id = %lld", (long long)feed);
	assert_sql_contains(t, "repeated", "SELECT key_reason FROM feeds WHERE id = %lld", (long long)feed);
	/* Regression (failed before 5417083): in link mode new rows took the
	 * guid identity, and UNIQUE(feed_id, ident) rejected the 2nd..4th
	 * items sharing the guid ("skipped"): items with distinct links were
	 * lost although the feed was switched to link keys for exactly this. */
	assert_int_equal(r.new_items, 20);
	assert_int_equal(r.skipped, 0);
	assert_int_equal(count_items(t, feed), 20);
	for (i = 0; i < 4; i++)
		assert_true(item_by_url(t, feed, g.link[i]) > 0);

	/* Refetch: nothing new, and no second switch. */
	INGEST_OK(t, feed, g.it, 20, T0 + 3600, &r);
	assert_int_equal(r.key_switched, 0);
	assert_int_equal(r.new_items, 0);
	assert_int_equal(count_items(t, feed), 20);
}

/* 2 of 20 items without a guid (one empty element, one absent). */
static void
test_empty_guids_switch(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed");
	struct gen           g;

	gen_items(&g, 20, "guid-%d", NULL);
	g.it[3].guid = "";
	g.it[7].guid = NULL;
	INGEST_OK(t, feed, g.it, 20, T0, &r);
	assert_int_equal(r.key_switched, 1);
	assert_sql_str(t, "link", "SELECT key_mode FROM feeds WHERE id = %lld", (long long)feed);
	assert_sql_contains(t, "empty", "SELECT key_reason FROM feeds WHERE id = %lld", (long long)feed);
	assert_int_equal(r.new_items, 20);
	assert_int_equal(count_items(t, feed), 20);
	INGEST_OK(t, feed, g.it, 20, T0 + 3600, &r);
	assert_int_equal(r.new_items, 0);
	assert_int_equal(r.unchanged, 20);
}

/* One shared pair and one empty guid in 60 items: at most 5%, no switch
 * (whether a pair counts as one repeat or two items). */
static void
test_few_bad_guids_no_switch(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed");
	struct gen           g;

	gen_items(&g, 60, "guid-%d", NULL);
	g.it[10].guid = "guid-11";
	g.it[20].guid = "";
	INGEST_OK(t, feed, g.it, 60, T0, &r);
	assert_int_equal(r.key_switched, 0);
	assert_sql_str(t, "guid", "SELECT key_mode FROM feeds WHERE id = %lld", (long long)feed);
	assert_int_equal(q_int(t, "SELECT key_reason IS NULL FROM feeds WHERE id = %lld",
			       (long long)feed), 1);
	/* Keyed by guid: the two items sharing guid-11 are one item. */
	assert_int_equal(count_items(t, feed), 59);
}

/* Guids that change on every fetch while the links stay the same. */
static void
test_changing_guids_switch(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed"), id3;
	struct gen           g;

	gen_items(&g, 10, "a-%d", NULL);
	INGEST_OK(t, feed, g.it, 10, T0, &r);
	assert_int_equal(r.new_items, 10);
	assert_int_equal(r.key_switched, 0);
	id3 = item_by_url(t, feed, g.link[3]);

	gen_items(&g, 10, "b-%d", NULL);
	INGEST_OK(t, feed, g.it, 10, T0 + 3600, &r);
	assert_int_equal(r.key_switched, 1);
	assert_int_equal(r.new_items, 0);
	assert_int_equal(count_items(t, feed), 10);
	assert_sql_str(t, "link", "SELECT key_mode FROM feeds WHERE id = %lld", (long long)feed);
	assert_sql_contains(t, "changed", "SELECT key_reason FROM feeds WHERE id = %lld", (long long)feed);

	/* And again, now keyed by link: no switch, nothing new. */
	gen_items(&g, 10, "c-%d", NULL);
	INGEST_OK(t, feed, g.it, 10, T0 + 7200, &r);
	assert_int_equal(r.key_switched, 0);
	assert_int_equal(r.new_items, 0);
	assert_int_equal(count_items(t, feed), 10);

	/* An edit is still an update in place (found by its link). */
	gen_items(&g, 10, "d-%d", NULL);
	g.it[3].title = "Item number 3, edited";
	INGEST_OK(t, feed, g.it, 10, T0 + 10800, &r);
	assert_int_equal(r.new_items, 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(item_by_url(t, feed, g.link[3]), id3);
	assert_sql_str(t, "Item number 3, edited", "SELECT title FROM items WHERE id = %lld",
		       (long long)id3);
}

/* An ordinary refetch (two new items on top, two old ones gone) keeps guids. */
static void
test_normal_refetch_no_switch(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed");
	struct gen           g;

	gen_items(&g, 12, "guid-%d", NULL);
	INGEST_OK(t, feed, g.it + 2, 10, T0, &r); /* items 2..11 */
	assert_int_equal(r.new_items, 10);
	INGEST_OK(t, feed, g.it, 10, T0 + 3600, &r); /* items 0..9 */
	assert_int_equal(r.key_switched, 0);
	assert_int_equal(r.new_items, 2);
	assert_int_equal(r.unchanged, 8);
	assert_int_equal(count_items(t, feed), 12);
	assert_sql_str(t, "guid", "SELECT key_mode FROM feeds WHERE id = %lld", (long long)feed);
}

/* -------------------------------------------------------------- tombstones */

static void
test_tombstone(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed"), id;
	int64_t              now = store_now();

	INGEST_OK(t, feed, doc3, NELEM(doc3), now, &r);
	id = item_by_guid(t, feed, "g2");
	assert_int_equal(store_item_delete(t->s, id), 0);
	assert_int_equal(count_items(t, feed), 2);
	assert_int_equal(q_int(t, "SELECT count(*) FROM tombstones WHERE feed_id = %lld",
			       (long long)feed), 1);
	assert_int_equal(store_item_delete(t->s, id), STORE_NOTFOUND);

	INGEST_OK(t, feed, doc3, NELEM(doc3), now + 3600, &r);
	assert_int_equal(r.new_items, 0);
	assert_int_equal(r.tombstoned, 1);
	assert_int_equal(r.unchanged, 2);
	assert_int_equal(count_items(t, feed), 2);
	assert_int_equal(item_by_guid(t, feed, "g2"), -1);
	/* A tombstone is per feed: another feed carrying the same guid gets it. */
	{
		int64_t other = add_feed(t, "https://example.net/feed");

		INGEST_OK(t, other, doc3, NELEM(doc3), now + 3600, &r);
		assert_int_equal(r.new_items, 3);
	}
}

/* In link mode (guids changing on every fetch), a deleted item stays deleted. */
static void
test_tombstone_link_mode(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed"), id;
	int64_t              now = store_now();
	struct gen           g;

	gen_items(&g, 10, "a-%d", NULL);
	INGEST_OK(t, feed, g.it, 10, now, &r);
	gen_items(&g, 10, "b-%d", NULL);
	INGEST_OK(t, feed, g.it, 10, now + 3600, &r);
	assert_int_equal(r.key_switched, 1);
	id = item_by_url(t, feed, g.link[4]);
	assert_true(id > 0);
	assert_int_equal(store_item_delete(t->s, id), 0);
	assert_int_equal(count_items(t, feed), 9);

	gen_items(&g, 10, "c-%d", NULL);
	INGEST_OK(t, feed, g.it, 10, now + 7200, &r);
	/* Regression (failed before 5417083): the tombstone held only the
	 * deleted row's ident (its old guid identity, from "b-4"); a link-mode
	 * refetch brings a new guid ("c-4") on the same link and looks the
	 * tombstone up by that guid's identity and by the link key, neither of
	 * which was stored, so the deleted item came back as a new unread
	 * item.  Tombstones now record the link key in a feed keyed by link. */
	assert_int_equal(r.new_items, 0);
	assert_int_equal(r.tombstoned, 1);
	assert_int_equal(count_items(t, feed), 9);
	assert_int_equal(item_by_url(t, feed, g.link[4]), -1);
}

/* A feed keyed by link from the start of an item's life: the tombstone by link works. */
static void
test_tombstone_link_mode_stable_guids(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed"), id;
	int64_t              now = store_now();
	struct gen           g;

	gen_items(&g, 20, NULL, NULL); /* no guids at all: identities are links */
	g.it[0].guid = "x";
	g.it[1].guid = "y";           /* 18 of 20 without guid: link mode */
	INGEST_OK(t, feed, g.it, 20, now, &r);
	assert_int_equal(r.key_switched, 1);
	id = item_by_url(t, feed, g.link[5]);
	assert_int_equal(store_item_delete(t->s, id), 0);
	INGEST_OK(t, feed, g.it, 20, now + 3600, &r);
	assert_int_equal(r.new_items, 0);
	assert_int_equal(r.tombstoned, 1);
	assert_int_equal(count_items(t, feed), 19);
}

/* Tombstones the feed has not carried for 30 days are forgotten. */
static void
test_tombstone_forgotten(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed");
	int64_t              now = store_now();
	const struct ti      without[] = {doc3[0], doc3[2]};

	INGEST_OK(t, feed, doc3, NELEM(doc3), now, &r);
	assert_int_equal(store_item_delete(t->s, item_by_guid(t, feed, "g2")), 0);
	/* Still carried on day 20: the tombstone is seen again. */
	INGEST_OK(t, feed, doc3, NELEM(doc3), now + 20 * DAY, &r);
	assert_int_equal(r.tombstoned, 1);
	assert_int_equal(q_int(t, "SELECT last_seen FROM tombstones WHERE feed_id = %lld",
			       (long long)feed), now + 20 * DAY);
	/* Gone from the feed; 25 days after it was last seen the tombstone stays. */
	INGEST_OK(t, feed, without, NELEM(without), now + 45 * DAY, &r);
	assert_int_equal(q_int(t, "SELECT count(*) FROM tombstones"), 1);
	/* 31 days: forgotten. */
	INGEST_OK(t, feed, without, NELEM(without), now + 51 * DAY, &r);
	assert_int_equal(q_int(t, "SELECT count(*) FROM tombstones"), 0);
	/* And the item, if the feed brings it back, is new again. */
	INGEST_OK(t, feed, doc3, NELEM(doc3), now + 52 * DAY, &r);
	assert_int_equal(r.new_items, 1);
	assert_int_equal(r.tombstoned, 0);
	assert_int_equal(count_items(t, feed), 3);
}

/* ---------------------------------------------------------- shared articles */

static int64_t
article_of(struct tdb *t, int64_t feed, const char *url)
{
	return q_int(t, "SELECT article_id FROM items WHERE feed_id = %lld AND url = %Q",
		     (long long)feed, url);
}

static void
test_shared_articles(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              a = add_feed(t, "https://a.example/feed");
	int64_t              b = add_feed(t, "https://b.example/feed");
	int64_t              c = add_feed(t, "https://c.example/feed");
	const char          *tracked = "https://Example.COM/story/1?utm_source=x&amp;utm_medium=y#comments";
	const char          *tracked_stored = "https://Example.COM/story/1?utm_source=x&utm_medium=y#comments";
	const struct ti      da[] = {
                {"a1", tracked, "Story one (via A)", "s", T0},
                {"a2", "https://example.com/story/1?page=2", "Story one, page 2", "s", T0},
        };
	const struct ti      db[] = {
                {"b1", "https://example.com/story/1", "Story one (via B)", "s", T0},
                {"b2", "https://example.com/story/2", "Story two", "s", T0},
        };
	const struct ti      dc[] = {
                {"c1", "https://example.com/story/1?fbclid=abc123", "Story one (via C)", "s", T0},
        };
	int64_t              art;

	INGEST_OK(t, a, da, NELEM(da), T0, &r);
	INGEST_OK(t, b, db, NELEM(db), T0, &r);
	INGEST_OK(t, c, dc, NELEM(dc), T0, &r);
	art = article_of(t, b, "https://example.com/story/1");
	assert_true(art > 0);
	/* The item keeps its own link; the article is keyed by the normalized one. */
	assert_int_equal(article_of(t, a, tracked_stored), art);
	assert_int_equal(article_of(t, c, "https://example.com/story/1?fbclid=abc123"), art);
	assert_sql_str(t, "https://example.com/story/1", "SELECT url FROM articles WHERE id = %lld",
		       (long long)art);
	/* Other pages, other rows. */
	assert_true(article_of(t, b, "https://example.com/story/2") > 0);
	assert_true(article_of(t, b, "https://example.com/story/2") != art);
	assert_true(article_of(t, a, "https://example.com/story/1?page=2") > 0);
	assert_true(article_of(t, a, "https://example.com/story/1?page=2") != art);
	assert_int_equal(q_int(t, "SELECT count(*) FROM articles"), 3);
	assert_int_equal(q_int(t, "SELECT count(*) FROM items WHERE article_id = %lld", (long long)art),
			 3);
	assert_sql_str(t, "pending", "SELECT status FROM articles WHERE id = %lld", (long long)art);
}

/* --------------------------------------------------------------- retention */

/* max_age: old items go, except starred ones and those in the current document. */
static void
test_retention_max_age(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed"), del = -1;
	const struct ti      doc1[] = {
                {"a1", "https://example.org/a1", "a1", "s", T0 - 100 * DAY},
                {"a2", "https://example.org/a2", "a2", "s", T0 - 90 * DAY},
                {"a3", "https://example.org/a3", "a3", "s", T0 - 80 * DAY},
                {"a4", "https://example.org/a4", "a4", "s", T0 - 1 * DAY},
        };
	const struct ti      doc2[] = {
                {"a1", "https://example.org/a1", "a1", "s", T0 - 100 * DAY}, /* still carried */
                {"a5", "https://example.org/a5", "a5", "s", T0},
        };
	char                *ident;

	INGEST_OK(t, feed, doc1, NELEM(doc1), T0, &r);
	sql_exec(t, "UPDATE items SET starred = 1 WHERE guid = 'a3'");
	INGEST_OK(t, feed, doc2, NELEM(doc2), T0 + 3600, &r);
	ident = q_text(t, "SELECT ident FROM items WHERE guid = 'a2'");
	assert_non_null(ident);

	assert_int_equal(store_retention(t->s, 0, T0 + 3600, 60 * DAY, 0, &del), 0);
	assert_int_equal(del, 1);
	assert_int_equal(count_items(t, feed), 4);
	assert_int_equal(item_by_guid(t, feed, "a2"), -1);
	assert_true(item_by_guid(t, feed, "a1") > 0); /* old but in the current document */
	assert_true(item_by_guid(t, feed, "a3") > 0); /* old but starred */
	assert_int_equal(q_int(t, "SELECT count(*) FROM tombstones WHERE feed_id = %lld AND ident = %Q",
			       (long long)feed, ident), 1);
	free(ident);
	/* No limit: nothing goes. */
	assert_int_equal(store_retention(t->s, 0, T0 + 3600, 0, 0, &del), 0);
	assert_int_equal(del, 0);
	/* The deleted one does not come back with an old document. */
	INGEST_OK(t, feed, doc1, NELEM(doc1), T0 + 7200, &r);
	assert_int_equal(r.new_items, 0);
	assert_int_equal(r.tombstoned, 1);
}

/* max_items: the newest N are kept (plus starred and current ones). */
static void
test_retention_max_items(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed"), del = -1;
	struct gen           g;

	gen_items(&g, 12, "guid-%d", NULL); /* item i published T0 - i hours */
	INGEST_OK(t, feed, g.it + 2, 10, T0, &r);
	sql_exec(t, "UPDATE items SET starred = 1 WHERE guid = 'guid-11'"); /* the oldest */
	INGEST_OK(t, feed, g.it, 2, T0 + 3600, &r);                          /* current: 0, 1 */
	assert_int_equal(count_items(t, feed), 12);

	assert_int_equal(store_retention(t->s, 0, T0 + 3600, 0, 5, &del), 0);
	/* Newest five: 0..4; 5..10 go, 11 is starred. */
	assert_int_equal(del, 6);
	assert_int_equal(count_items(t, feed), 6);
	assert_int_equal(q_int(t, "SELECT count(*) FROM items WHERE guid IN ('guid-0','guid-1',"
				  "'guid-2','guid-3','guid-4','guid-11')"), 6);
	assert_int_equal(q_int(t, "SELECT count(*) FROM tombstones"), 6);

	/* The current document is never trimmed, even below max_items. */
	assert_int_equal(store_retention(t->s, 0, T0 + 3600, 0, 1, &del), 0);
	assert_int_equal(q_int(t, "SELECT count(*) FROM items WHERE guid IN ('guid-0','guid-1','guid-11')"),
			 3);
	assert_int_equal(count_items(t, feed), 3);
}

/* The feed's own max_age / max_items win over the global ones. */
static void
test_retention_feed_overrides(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              a = add_feed(t, "https://a.example/feed");
	int64_t              b = add_feed(t, "https://b.example/feed");
	int64_t              c = add_feed(t, "https://c.example/feed"), del = -1;
	struct gen           g;
	int                  i;

	/* 20 items each, published T0 - i days, none in the current document. */
	gen_items(&g, 21, "guid-%d", NULL);
	for (i = 0; i < 21; i++)
		g.it[i].published = T0 - (int64_t)i * DAY;
	INGEST_OK(t, a, g.it + 1, 20, T0, &r);
	INGEST_OK(t, b, g.it + 1, 20, T0, &r);
	INGEST_OK(t, c, g.it + 1, 20, T0, &r);
	INGEST_OK(t, a, g.it, 1, T0 + 60, &r);
	INGEST_OK(t, b, g.it, 1, T0 + 60, &r);
	INGEST_OK(t, c, g.it, 1, T0 + 60, &r);

	sql_exec(t, "UPDATE feeds SET max_items = 3 WHERE id = %lld", (long long)a);
	sql_exec(t, "UPDATE feeds SET max_age = %d WHERE id = %lld", 5 * DAY + 3600, (long long)b);

	/* No global limits: only the feeds' own. */
	assert_int_equal(store_retention(t->s, 0, T0 + 60, 0, 0, &del), 0);
	assert_int_equal(count_items(t, a), 3);  /* items 0, 1, 2 */
	assert_int_equal(count_items(t, b), 6);  /* items 0..5 */
	assert_int_equal(count_items(t, c), 21); /* untouched */
	assert_int_equal(del, 18 + 15);

	/* Global limits (2 days, 2 items) against the feeds' own: each setting
	 * the feed has wins, the others come from the global ones. */
	sql_exec(t, "UPDATE feeds SET max_items = 10, max_age = %d WHERE id = %lld", 30 * DAY,
		 (long long)c);
	assert_int_equal(store_retention(t->s, 0, T0 + 60, 2 * DAY + 3600, 2, &del), 0);
	assert_int_equal(count_items(t, a), 3);  /* its 3 items; 0..2 are within 2 days */
	assert_int_equal(count_items(t, b), 2);  /* its 5 days, the global 2 items */
	assert_int_equal(count_items(t, c), 10); /* its 10 items and 30 days */
	assert_int_equal(del, 4 + 11);

	/* One feed only. */
	sql_exec(t, "UPDATE feeds SET max_items = 1 WHERE id IN (%lld, %lld)", (long long)a, (long long)c);
	assert_int_equal(store_retention(t->s, a, T0 + 60, 0, 0, &del), 0);
	assert_int_equal(del, 2);
	assert_int_equal(count_items(t, a), 1);
	assert_int_equal(count_items(t, c), 10);
}

/* Articles only the deleted items pointed to go; shared ones stay. */
static void
test_retention_articles(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              a = add_feed(t, "https://a.example/feed");
	int64_t              b = add_feed(t, "https://b.example/feed"), del = -1, own, shared;
	const struct ti      da[] = {
                {"a1", "https://example.com/own", "own", "s", T0 - 100 * DAY},
                {"a2", "https://example.com/shared", "shared", "s", T0 - 100 * DAY},
        };
	const struct ti      da2[] = {{"a3", "https://example.com/new", "new", "s", T0}};
	const struct ti      dbb[] = {{"b1", "https://example.com/shared?utm_source=b", "b", "s", T0}};

	INGEST_OK(t, a, da, NELEM(da), T0, &r);
	INGEST_OK(t, b, dbb, NELEM(dbb), T0, &r);
	INGEST_OK(t, a, da2, NELEM(da2), T0 + 60, &r);
	own = article_of(t, a, "https://example.com/own");
	shared = article_of(t, a, "https://example.com/shared");
	assert_true(own > 0 && shared > 0 && own != shared);
	assert_int_equal(article_of(t, b, "https://example.com/shared?utm_source=b"), shared);

	assert_int_equal(store_retention(t->s, a, T0 + 60, 30 * DAY, 0, &del), 0);
	assert_int_equal(del, 2);
	assert_int_equal(q_int(t, "SELECT count(*) FROM articles WHERE id = %lld", (long long)own), 0);
	assert_int_equal(q_int(t, "SELECT count(*) FROM articles WHERE id = %lld", (long long)shared), 1);
	assert_int_equal(article_of(t, b, "https://example.com/shared?utm_source=b"), shared);
	assert_int_equal(count_items(t, b), 1);
	assert_int_equal(q_int(t, "SELECT count(*) FROM tombstones WHERE feed_id = %lld", (long long)a), 2);
}

/* ------------------------------------------------------------ fetch results */

static void
test_fetch_done(void **state)
{
	struct tdb          *t = *state;
	int64_t              feed = add_feed(t, "https://example.org/feed");
	struct fetch_result  fr;
	struct ingest_result ir = {.new_items = 4, .updated = 1};
	int                  i;

	memset(&fr, 0, sizeof(fr));
	fr.http_status = 200;
	fr.etag = "\"abc\"";
	fr.last_modified = "Tue, 14 Nov 2023 22:13:20 GMT";
	fr.next_poll = T0 + 3600;
	fr.bytes = 1234;
	fr.duration_ms = 56;
	assert_int_equal(store_fetch_done(t->s, feed, T0, &fr, &ir, NULL), 0);
	assert_sql_str(t, "\"abc\"", "SELECT etag FROM feeds WHERE id = %lld", (long long)feed);
	assert_sql_str(t, "Tue, 14 Nov 2023 22:13:20 GMT", "SELECT last_modified FROM feeds WHERE id = %lld",
		       (long long)feed);
	assert_int_equal(q_int(t, "SELECT last_success FROM feeds WHERE id = %lld", (long long)feed), T0);
	assert_int_equal(q_int(t, "SELECT next_poll FROM feeds WHERE id = %lld", (long long)feed),
			 T0 + 3600);
	assert_int_equal(q_int(t, "SELECT new_items FROM fetch_log WHERE feed_id = %lld", (long long)feed),
			 4);

	/* Three failures in a row. */
	memset(&fr, 0, sizeof(fr));
	for (i = 1; i <= 3; i++) {
		fr.http_status = 503;
		fr.error = i == 3 ? "HTTP 503 Service Unavailable (third)" : "HTTP 503 Service Unavailable";
		fr.next_poll = T0 + i * 7200;
		assert_int_equal(store_fetch_done(t->s, feed, T0 + i * 3600, &fr, NULL, NULL), 0);
		assert_int_equal(q_int(t, "SELECT error_count FROM feeds WHERE id = %lld", (long long)feed), i);
	}
	assert_sql_str(t, "HTTP 503 Service Unavailable (third)", "SELECT last_error FROM feeds WHERE id = %lld",
		       (long long)feed);
	assert_int_equal(q_int(t, "SELECT last_status FROM feeds WHERE id = %lld", (long long)feed), 503);
	assert_int_equal(q_int(t, "SELECT last_success FROM feeds WHERE id = %lld", (long long)feed), T0);
	assert_int_equal(q_int(t, "SELECT last_poll FROM feeds WHERE id = %lld", (long long)feed),
			 T0 + 3 * 3600);
	/* The validators survive failures. */
	assert_sql_str(t, "\"abc\"", "SELECT etag FROM feeds WHERE id = %lld", (long long)feed);
	assert_int_equal(q_int(t, "SELECT count(*) FROM fetch_log WHERE feed_id = %lld AND error IS NOT NULL",
			       (long long)feed), 3);

	/* A success resets the count and takes the new validators. */
	memset(&fr, 0, sizeof(fr));
	fr.http_status = 200;
	fr.etag = "W/\"def\"";
	assert_int_equal(store_fetch_done(t->s, feed, T0 + 4 * 3600, &fr, NULL, NULL), 0);
	assert_int_equal(q_int(t, "SELECT error_count FROM feeds WHERE id = %lld", (long long)feed), 0);
	assert_int_equal(q_int(t, "SELECT last_error IS NULL FROM feeds WHERE id = %lld", (long long)feed), 1);
	assert_sql_str(t, "W/\"def\"", "SELECT etag FROM feeds WHERE id = %lld", (long long)feed);
	assert_int_equal(q_int(t, "SELECT last_success FROM feeds WHERE id = %lld", (long long)feed),
			 T0 + 4 * 3600);
	/* 304: no new validators given, the old ones stay. */
	memset(&fr, 0, sizeof(fr));
	fr.http_status = 304;
	assert_int_equal(store_fetch_done(t->s, feed, T0 + 5 * 3600, &fr, NULL, NULL), 0);
	assert_sql_str(t, "W/\"def\"", "SELECT etag FROM feeds WHERE id = %lld", (long long)feed);
	assert_sql_str(t, "Tue, 14 Nov 2023 22:13:20 GMT", "SELECT last_modified FROM feeds WHERE id = %lld",
		       (long long)feed);
}

static void
test_fetch_done_disable(void **state)
{
	struct tdb         *t = *state;
	int64_t             feed = add_feed(t, "https://example.org/feed");
	int64_t             other = add_feed(t, "https://example.org/other");
	struct fetch_result fr;

	memset(&fr, 0, sizeof(fr));
	fr.http_status = 410;
	fr.error = "HTTP 410 Gone";
	fr.disable = "the feed is gone (HTTP 410)";
	assert_int_equal(store_fetch_done(t->s, feed, T0, &fr, NULL, NULL), 0);
	assert_sql_str(t, "the feed is gone (HTTP 410)", "SELECT disabled_reason FROM feeds WHERE id = %lld",
		       (long long)feed);
	assert_int_equal(q_int(t, "SELECT error_count FROM feeds WHERE id = %lld", (long long)feed), 1);

	/* gleaner.h: "disable: non-NULL: disable the feed with this reason",
	 * whatever the outcome (e.g. a permanent redirect to a feed already
	 * subscribed). */
	memset(&fr, 0, sizeof(fr));
	fr.http_status = 200;
	fr.disable = "duplicate of https://example.org/feed";
	assert_int_equal(store_fetch_done(t->s, other, T0, &fr, NULL, NULL), 0);
	/* Regression (failed before 5417083): on success (error NULL)
	 * store_fetch_done ignored fr->disable. */
	assert_sql_str(t, "duplicate of https://example.org/feed",
		       "SELECT disabled_reason FROM feeds WHERE id = %lld", (long long)other);
}

static void
test_fetch_log_trimmed(void **state)
{
	struct tdb         *t = *state;
	int64_t             feed = add_feed(t, "https://example.org/feed");
	int64_t             other = add_feed(t, "https://example.org/other");
	struct fetch_result fr;
	int                 i;

	memset(&fr, 0, sizeof(fr));
	fr.http_status = 200;
	for (i = 0; i < 3; i++)
		assert_int_equal(store_fetch_done(t->s, other, T0 + i, &fr, NULL, NULL), 0);
	for (i = 0; i < 60; i++) {
		fr.error = i % 2 ? "timeout" : NULL;
		assert_int_equal(store_fetch_done(t->s, feed, T0 + i * 60, &fr, NULL, NULL), 0);
	}
	assert_int_equal(q_int(t, "SELECT count(*) FROM fetch_log WHERE feed_id = %lld", (long long)feed), 50);
	/* The newest 50 are kept. */
	assert_int_equal(q_int(t, "SELECT min(at) FROM fetch_log WHERE feed_id = %lld", (long long)feed),
			 T0 + 10 * 60);
	assert_int_equal(q_int(t, "SELECT max(at) FROM fetch_log WHERE feed_id = %lld", (long long)feed),
			 T0 + 59 * 60);
	/* Another feed's log is its own. */
	assert_int_equal(q_int(t, "SELECT count(*) FROM fetch_log WHERE feed_id = %lld", (long long)other), 3);
}

/* ----------------------------------------------------------- full-text index */

static void
test_fts_ingest(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed"), ids[8], i1, i2;
	const struct ti      doc[] = {
                {"f1", "https://example.org/f1", "Café society", "<p>The <b>quick</b> brown fox</p>", T0},
                {"f2", "https://example.org/f2", "Another title", "jumps over the lazy dog", T0},
        };

	INGEST_OK(t, feed, doc, NELEM(doc), T0, &r);
	index_all(t);
	i1 = item_by_guid(t, feed, "f1");
	i2 = item_by_guid(t, feed, "f2");
	assert_int_equal(fts(t, "cafe", ids, 8), 1);
	assert_int_equal(ids[0], i1);
	assert_int_equal(fts(t, "Café", ids, 8), 1);
	assert_int_equal(ids[0], i1);
	assert_int_equal(fts(t, "CAFE", ids, 8), 1);
	assert_int_equal(fts(t, "quick", ids, 8), 1); /* HTML summary, as text */
	assert_int_equal(ids[0], i1);
	assert_int_equal(fts(t, "title:society", ids, 8), 1);
	assert_int_equal(fts(t, "lazy", ids, 8), 1);
	assert_int_equal(ids[0], i2);
	assert_int_equal(fts(t, "summary:dog", ids, 8), 1);
	assert_int_equal(fts(t, "the", ids, 8), 2);
	assert_int_equal(fts_count(t, "b"), 0); /* markup is not indexed */
	assert_fts_consistent(t);
}

static void
test_fts_update(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed"), ids[8], i1;
	struct ti            doc[] = {
                {"f1", "https://example.org/f1", "Café society", "The quick brown fox", T0},
                {"f2", "https://example.org/f2", "Another title", "jumps over the lazy dog", T0},
        };

	INGEST_OK(t, feed, doc, NELEM(doc), T0, &r);
	index_all(t); /* the update below goes through the items_au trigger */
	i1 = item_by_guid(t, feed, "f1");
	doc[0].title = "Tea ceremony";
	doc[0].summary = "A slow green turtle";
	INGEST_OK(t, feed, doc, NELEM(doc), T0 + 60, &r);
	assert_int_equal(r.updated, 1);
	assert_int_equal(fts_count(t, "cafe"), 0);
	assert_int_equal(fts_count(t, "fox"), 0);
	assert_int_equal(fts_count(t, "society"), 0);
	assert_int_equal(fts(t, "turtle", ids, 8), 1);
	assert_int_equal(ids[0], i1);
	assert_int_equal(fts(t, "tea", ids, 8), 1);
	assert_int_equal(fts_count(t, "lazy"), 1);
	assert_fts_consistent(t);
}

/* One document listing the same item twice with different text: the row
 * is inserted, then updated in the same transaction, before it is
 * indexed; the index must hold the final text. */
static void
test_fts_duplicate_in_one_document(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed");
	struct ti            doc[] = {
                {"d1", "https://example.org/d1", "First wording", "an albatross", T0},
                {"d1", "https://example.org/d1", "Second wording", "a pelican", T0},
                {"d2", "https://example.org/d2", "Other", "a heron", T0},
        };

	INGEST_OK(t, feed, doc, NELEM(doc), T0, &r);
	assert_int_equal(r.new_items, 2);
	assert_int_equal(r.updated, 1);
	assert_int_equal(count_items(t, feed), 2);
	assert_fts_consistent(t);
	index_all(t);
	assert_int_equal(fts_count(t, "albatross"), 0);
	assert_int_equal(fts_count(t, "pelican"), 1);
	assert_int_equal(fts_count(t, "heron"), 1);
	assert_fts_consistent(t);
}

/* Article text (written by the extractor) is indexed for every item sharing it. */
static void
test_fts_article_text(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              a = add_feed(t, "https://a.example/feed");
	int64_t              b = add_feed(t, "https://b.example/feed"), ids[8], art, ia, ib;
	const struct ti      da[] = {{"x", "https://example.com/s?utm_source=a", "Headline A", "s", T0},
				     {"y", "https://example.com/other", "Other", "s", T0}};
	const struct ti      dbb[] = {{"x", "https://example.com/s#top", "Headline B", "s", T0}};

	INGEST_OK(t, a, da, NELEM(da), T0, &r);
	INGEST_OK(t, b, dbb, NELEM(dbb), T0, &r);
	index_all(t);
	ia = item_by_guid(t, a, "x");
	ib = item_by_guid(t, b, "x");
	art = article_of(t, a, "https://example.com/s?utm_source=a");
	assert_int_equal(article_of(t, b, "https://example.com/s#top"), art);

	sql_exec(t, "UPDATE articles SET text = 'A zebra crossing in the rain', status = 'done'"
		    " WHERE id = %lld", (long long)art);
	assert_int_equal(fts(t, "zebra", ids, 8), 2);
	assert_int_equal(ids[0], ia);
	assert_int_equal(ids[1], ib);
	assert_int_equal(fts(t, "article:rain", ids, 8), 2);
	assert_fts_consistent(t);

	sql_exec(t, "UPDATE articles SET text = 'Emperor penguins' WHERE id = %lld", (long long)art);
	assert_int_equal(fts_count(t, "zebra"), 0);
	assert_int_equal(fts(t, "penguins", ids, 8), 2);
	assert_fts_consistent(t);
}

/* After deletion nothing of the item matches, article text included. */
static void
test_fts_delete(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              a = add_feed(t, "https://a.example/feed");
	int64_t              b = add_feed(t, "https://b.example/feed"), ids[8], ia, ib, ic, art;
	const struct ti      da[] = {{"x", "https://example.com/s", "Walrus headline", "oyster", T0},
				     {"y", "https://example.com/own", "Narwhal headline", "tusk", T0}};
	const struct ti      dbb[] = {{"x", "https://example.com/s", "Walrus again", "oyster", T0}};

	INGEST_OK(t, a, da, NELEM(da), T0, &r);
	INGEST_OK(t, b, dbb, NELEM(dbb), T0, &r);
	index_all(t);
	ia = item_by_guid(t, a, "x");
	ic = item_by_guid(t, a, "y");
	ib = item_by_guid(t, b, "x");
	art = article_of(t, a, "https://example.com/s");
	sql_exec(t, "UPDATE articles SET text = 'penguin colony' WHERE id = %lld", (long long)art);
	sql_exec(t, "UPDATE articles SET text = 'unicorn horn' WHERE id = %lld",
		 (long long)article_of(t, a, "https://example.com/own"));
	assert_int_equal(fts_count(t, "penguin"), 2);

	/* One of the two sharing the article: the other still matches. */
	assert_int_equal(store_item_delete(t->s, ia), 0);
	assert_int_equal(fts(t, "penguin", ids, 8), 1);
	assert_int_equal(ids[0], ib);
	assert_int_equal(fts(t, "walrus", ids, 8), 1);
	assert_int_equal(ids[0], ib);
	assert_fts_consistent(t);

	/* The last item of an article with text: the article goes too.
	 * Regression (failed before 5417083): bury() deleted the article row
	 * first; ON DELETE SET NULL then fired items_au, whose FTS 'delete'
	 * read the old article text from articles, where the row was already
	 * gone, so the article's words stayed in the index under the deleted
	 * rowid (stale matches; integrity-check: "database disk image is
	 * malformed"). */
	assert_int_equal(store_item_delete(t->s, ic), 0);
	assert_int_equal(fts_count(t, "narwhal"), 0);
	assert_int_equal(fts_count(t, "tusk"), 0);
	assert_int_equal(fts_count(t, "unicorn"), 0);
	assert_fts_consistent(t);
	assert_int_equal(store_item_delete(t->s, ib), 0);
	assert_int_equal(fts_count(t, "walrus"), 0);
	assert_int_equal(fts_count(t, "oyster"), 0);
	assert_int_equal(fts_count(t, "penguin"), 0);
	assert_int_equal(q_int(t, "SELECT count(*) FROM articles"), 0);
	assert_fts_consistent(t);
}

/* Retention deleting an item with article text leaves nothing in the index. */
static void
test_fts_retention(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed"), del;
	const struct ti      d1[] = {{"old", "https://example.com/old", "Mammoth", "tundra", T0 - 400 * DAY}};
	const struct ti      d2[] = {{"new", "https://example.com/new", "Fresh", "news", T0}};

	INGEST_OK(t, feed, d1, NELEM(d1), T0, &r);
	INGEST_OK(t, feed, d2, NELEM(d2), T0 + 60, &r);
	index_all(t);
	sql_exec(t, "UPDATE articles SET text = 'glacier ice' WHERE url = 'https://example.com/old'");
	assert_int_equal(fts_count(t, "glacier"), 1);
	assert_int_equal(store_retention(t->s, feed, T0 + 60, 365 * DAY, 0, &del), 0);
	assert_int_equal(del, 1);
	assert_int_equal(fts_count(t, "mammoth"), 0);
	/* Regression (failed before 5417083): as in test_fts_delete. */
	assert_int_equal(fts_count(t, "glacier"), 0);
	assert_fts_consistent(t);
}

/* ------------------------------------------------- the deferred search index */

static int
count_hit(void *ud, const struct store_hit *h)
{
	(void)h;
	(*(int64_t *)ud)++;
	return 0;
}

/* Searches with store_search on connection s; returns the number of hits. */
static int64_t
search_n(struct store *s, const char *q)
{
	int64_t n = 0;

	if (store_search(s, q, 20, count_hit, &n) != 0)
		fail_msg("store_search %s: %s", q, store_errmsg(s));
	return n;
}

/* New items are indexed after their feed's transaction: a read-only
 * connection searches what is indexed; a writable one indexes what is
 * pending first. */
static void
test_fts_deferred(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	struct store        *ro;
	char                 err[512];
	int64_t              feed = add_feed(t, "https://example.org/feed"), ids[8];
	const struct ti      doc[] = {
                {"k1", "https://example.org/k1", "Kestrel sighting", "a kestrel over the field", T0},
                {"k2", "https://example.org/k2", "Owl", "barn owl at dusk", T0},
        };

	INGEST_OK(t, feed, doc, NELEM(doc), T0, &r);
	assert_int_equal(index_lag(t), 2);
	assert_int_equal(fts_count(t, "kestrel"), 0);
	assert_fts_consistent(t);
	assert_int_equal(store_open(&ro, t->path, STORE_RDONLY, err, sizeof(err)), STORE_OK);
	assert_int_equal(search_n(ro, "kestrel"), 0); /* read-only: cannot index */
	{
		int64_t lag = -1;

		assert_int_equal(store_index_lag(ro, &lag), 0);
		assert_int_equal(lag, 2);
	}
	assert_int_equal(search_n(t->s, "kestrel"), 1); /* writable: indexes first */
	assert_int_equal(index_lag(t), 0);
	assert_int_equal(search_n(ro, "owl"), 1);
	store_close(ro);
	assert_int_equal(fts(t, "owl", ids, 8), 1);
	assert_int_equal(ids[0], item_by_guid(t, feed, "k2"));
	assert_int_equal(q_int(t, "SELECT indexed FROM search_state"),
			 q_int(t, "SELECT max(id) FROM items"));
	assert_fts_consistent(t);
}

/* Updates and deletes of items not indexed yet leave the index alone (an
 * FTS5 'delete' for text never inserted would corrupt it), while the
 * triggers keep indexed items in step; indexing later takes the final text. */
static void
test_fts_unindexed_changes(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              feed = add_feed(t, "https://example.org/feed"), del;
	struct ti            doc[] = {
                {"o1", "https://example.org/o1", "Osprey", "a fish hawk", T0},
                {"o2", "https://example.org/o2", "Gannet", "diving seabird", T0},
                {"n1", "https://example.org/n1", "Nuthatch", "on the feeder", T0},
                {"n2", "https://example.org/n2", "Wren", "tiny and loud", T0},
                {"n3", "https://example.org/n3", "Robin", "red breast", T0},
                {"n4", "https://example.com/old", "Dodo", "long gone", T0 - 400 * DAY},
        };

	INGEST_OK(t, feed, doc, 2, T0, &r); /* o1, o2: indexed */
	index_all(t);
	INGEST_OK(t, feed, doc, NELEM(doc), T0 + 60, &r); /* n1..n4: not yet */
	assert_int_equal(r.new_items, 4);
	assert_int_equal(index_lag(t), 4);
	/* Changed text: o1 indexed (the trigger), n1 not (nothing to do). */
	doc[0].title = "Heron";
	doc[0].summary = "grey heron";
	doc[2].title = "Nightjar";
	doc[2].summary = "churring at night";
	INGEST_OK(t, feed, doc, NELEM(doc), T0 + 120, &r);
	assert_int_equal(r.updated, 2);
	assert_fts_consistent(t);
	assert_int_equal(fts_count(t, "heron"), 1);
	assert_int_equal(fts_count(t, "osprey"), 0);
	/* Article text for an unindexed item (n3) and an indexed one (o2). */
	sql_exec(t, "UPDATE articles SET text = 'eats berries' WHERE url = 'https://example.org/n3'");
	sql_exec(t, "UPDATE articles SET text = 'plunges into the sea' WHERE url = 'https://example.org/o2'");
	assert_fts_consistent(t);
	assert_int_equal(fts_count(t, "plunges"), 1);
	assert_int_equal(fts_count(t, "berries"), 0);
	/* Deleting an unindexed item (n2), by hand and by retention (n4). */
	assert_int_equal(store_item_delete(t->s, item_by_guid(t, feed, "n2")), 0);
	assert_fts_consistent(t);
	sql_exec(t, "UPDATE feeds SET last_doc_at = %lld WHERE id = %lld", (long long)(T0 + 600),
		 (long long)feed);
	assert_int_equal(store_retention(t->s, feed, T0 + 600, 365 * DAY, 0, &del), 0);
	assert_true(del >= 1);
	assert_int_equal(item_by_guid(t, feed, "n4"), -1);
	assert_fts_consistent(t);
	/* Indexed now: the final text of what is left, nothing of the rest. */
	index_all(t);
	assert_int_equal(index_lag(t), 0);
	assert_int_equal(fts_count(t, "nightjar"), 1);
	assert_int_equal(fts_count(t, "nuthatch"), 0);
	assert_int_equal(fts_count(t, "wren"), 0);
	assert_int_equal(fts_count(t, "dodo"), 0);
	assert_int_equal(fts_count(t, "berries"), 1);
	assert_int_equal(fts_count(t, "robin"), 1);
	assert_fts_consistent(t);
	/* And the triggers now act on the rows indexed late. */
	sql_exec(t, "UPDATE articles SET text = 'eats worms' WHERE url = 'https://example.org/n3'");
	assert_int_equal(fts_count(t, "berries"), 0);
	assert_int_equal(fts_count(t, "worms"), 1);
	assert_int_equal(store_item_delete(t->s, item_by_guid(t, feed, "n1")), 0);
	assert_int_equal(fts_count(t, "nightjar"), 0);
	assert_fts_consistent(t);
}

/* The high-water mark is stored: after a reopen, what was indexed stays
 * indexed and what was not is still pending. */
static void
test_fts_mark_survives_reopen(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	char                 err[512];
	int64_t              feed = add_feed(t, "https://example.org/feed"), mark;
	const struct ti      d1[] = {{"a", "https://example.org/a", "Alder", "tree by water", T0},
				     {"b", "https://example.org/b", "Birch", "white bark", T0}};
	const struct ti      d2[] = {{"c", "https://example.org/c", "Cedar", "fragrant wood", T0}};

	INGEST_OK(t, feed, d1, NELEM(d1), T0, &r);
	index_all(t);
	mark = q_int(t, "SELECT indexed FROM search_state");
	assert_int_equal(mark, item_by_guid(t, feed, "b"));
	INGEST_OK(t, feed, d2, NELEM(d2), T0 + 60, &r);
	store_close(t->s);
	assert_int_equal(store_open(&t->s, t->path, 0, err, sizeof(err)), STORE_OK);
	assert_int_equal(q_int(t, "SELECT indexed FROM search_state"), mark);
	assert_int_equal(index_lag(t), 1);
	assert_int_equal(fts_count(t, "birch"), 1);
	assert_int_equal(fts_count(t, "cedar"), 0);
	index_all(t);
	assert_int_equal(fts_count(t, "cedar"), 1);
	assert_int_equal(q_int(t, "SELECT indexed FROM search_state"), item_by_guid(t, feed, "c"));
	assert_fts_consistent(t);
}

/* SQLite gives a new row the largest rowid + 1, so deleting the newest
 * indexed item lets the next insert take its id, at or below the mark:
 * that row is indexed at once, or its later delete would corrupt the index. */
static void
test_fts_reused_rowid(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	int64_t              a = add_feed(t, "https://a.example/feed");
	int64_t              b = add_feed(t, "https://b.example/feed"), gone;
	struct ti            da[] = {{"x", "https://example.org/x", "Lynx", "forest cat", T0},
				     {"y", "https://example.org/y", "Marten", "tree climber", T0}};
	struct ti            dbb[] = {{"z", "https://example.org/z", "Beaver", "builds dams", T0}};

	INGEST_OK(t, a, da, NELEM(da), T0, &r);
	index_all(t);
	gone = q_int(t, "SELECT max(id) FROM items");
	assert_int_equal(store_item_delete(t->s, gone), 0);
	INGEST_OK(t, b, dbb, NELEM(dbb), T0 + 60, &r);
	assert_int_equal(item_by_guid(t, b, "z"), gone); /* the id again */
	assert_int_equal(index_lag(t), 0);
	assert_int_equal(fts_count(t, "beaver"), 1);
	assert_fts_consistent(t);
	dbb[0].summary = "fells trees";
	INGEST_OK(t, b, dbb, NELEM(dbb), T0 + 120, &r);
	assert_int_equal(r.updated, 1);
	assert_int_equal(fts_count(t, "dams"), 0);
	assert_int_equal(fts_count(t, "fells"), 1);
	assert_fts_consistent(t);
	assert_int_equal(store_item_delete(t->s, gone), 0);
	assert_int_equal(fts_count(t, "beaver"), 0);
	assert_fts_consistent(t);
}

/* store_index_pending indexes the oldest pending items, batch by batch. */
static void
test_fts_batches(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	struct gen           g;
	int64_t              feed = add_feed(t, "https://example.org/feed"), n = -1;

	gen_items(&g, 5, "g%d", NULL);
	INGEST_OK(t, feed, g.it, 5, T0, &r);
	assert_int_equal(store_index_pending(t->s, 2, &n), 1);
	assert_int_equal(n, 2);
	assert_int_equal(index_lag(t), 3);
	assert_int_equal(q_int(t, "SELECT indexed FROM search_state"), item_by_guid(t, feed, "g1"));
	assert_fts_consistent(t);
	assert_int_equal(store_index_pending(t->s, 2, &n), 1);
	assert_int_equal(n, 2);
	assert_int_equal(store_index_pending(t->s, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_index_pending(t->s, 2, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(index_lag(t), 0);
	assert_int_equal(fts_count(t, "item"), 5);
	assert_fts_consistent(t);
}

/* A database as schema version 1 left it (every item indexed by the feed
 * transactions) is upgraded in place: data kept, mark at its newest item,
 * the index still consistent and kept in step afterwards. */
static void
test_migrate_v1(void **state)
{
	struct tdb          *t = *state;
	struct ingest_result r;
	struct store        *s;
	sqlite3             *db;
	char                 path[320], err[512], *msg = NULL, *sql;
	const struct ti      doc[] = {{"n", "https://example.org/new", "Quokka", "smiling marsupial", T0}};
	int64_t              feed, x;

	snprintf(path, sizeof(path), "%s/v1.db", t->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sql = sqlite3_mprintf(
		"BEGIN; %s"
		"PRAGMA user_version = 1; PRAGMA application_id = %d;"
		"INSERT INTO feeds(id, url, added_at) VALUES (1, 'https://old.example/feed', %lld);"
		"INSERT INTO articles(id, url, status, text) VALUES (1, 'https://old.example/a', 'extracted',"
		" 'wombat burrows');"
		"INSERT INTO items(id, feed_id, ident, url, title, summary, content_hash, article_id,"
		" first_seen, last_seen) VALUES"
		" (1, 1, 'g:a', 'https://old.example/a', 'Platypus', 'lays eggs', 1, 1, %lld, %lld),"
		" (2, 1, 'g:b', 'https://old.example/b', 'Echidna', 'spiny anteater', 2, NULL, %lld, %lld);"
		"INSERT INTO items_fts(rowid, title, summary, article) SELECT i.id, i.title, i.summary,"
		" a.text FROM items i LEFT JOIN articles a ON a.id = i.article_id;"
		"COMMIT; PRAGMA journal_mode = WAL;",
		store_schema_sql(1), STORE_APPLICATION_ID, (long long)T0, (long long)T0, (long long)T0,
		(long long)T0, (long long)T0);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("building a v1 database: %s", msg ? msg : "?");
	sqlite3_free(sql);
	sqlite3_close(db);

	assert_int_equal(store_open(&s, path, 0, err, sizeof(err)), STORE_OK);
	/* Checked on the raw connection, pointed at the upgraded file. */
	sqlite3_close(t->raw);
	assert_int_equal(sqlite3_open(path, &t->raw), SQLITE_OK);
	assert_int_equal(q_int(t, "PRAGMA user_version"), store_schema_version());
	assert_int_equal(q_int(t, "SELECT indexed FROM search_state"), 2);
	assert_int_equal(q_int(t, "SELECT count(*) FROM items"), 2);
	assert_sql_str(t, "Echidna", "SELECT title FROM items WHERE id = 2");
	assert_sql_str(t, "wombat burrows", "SELECT text FROM articles WHERE id = 1");
	assert_int_equal(search_n(s, "wombat"), 1);
	assert_int_equal(search_n(s, "echidna"), 1);
	assert_fts_consistent(t);
	/* Working as version 2: new items wait for indexing; old ones follow
	 * their changes. */
	feed = 1;
	{
		char        *d = rss(doc, 1);
		struct feed *f = feed_parse(d, strlen(d), NULL);

		assert_int_equal(store_ingest(s, feed, f, T0 + 60, &r), 0);
		assert_int_equal(r.new_items, 1);
		feed_free(f);
		free(d);
	}
	assert_int_equal(fts_count(t, "quokka"), 0);
	assert_int_equal(search_n(s, "quokka"), 1);
	sqlite3_exec(t->raw, "UPDATE articles SET text = 'koala nap' WHERE id = 1", NULL, NULL, NULL);
	assert_int_equal(fts_count(t, "wombat"), 0);
	assert_int_equal(fts_count(t, "koala"), 1);
	assert_int_equal(store_item_delete(s, 2), 0);
	assert_int_equal(fts_count(t, "echidna"), 0);
	assert_fts_consistent(t);
	x = q_int(t, "SELECT count(*) FROM items");
	assert_int_equal(x, 2);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_document_twice, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_updated_in_place, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_repeated_guids_switch, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_empty_guids_switch, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_few_bad_guids_no_switch, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_changing_guids_switch, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_normal_refetch_no_switch, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_tombstone, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_tombstone_link_mode, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_tombstone_link_mode_stable_guids, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_tombstone_forgotten, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_shared_articles, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_retention_max_age, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_retention_max_items, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_retention_feed_overrides, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_retention_articles, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fetch_done, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fetch_done_disable, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fetch_log_trimmed, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fts_ingest, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fts_update, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fts_duplicate_in_one_document, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fts_article_text, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fts_delete, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fts_retention, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fts_deferred, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fts_unindexed_changes, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fts_mark_survives_reopen, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fts_reused_rowid, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_fts_batches, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(test_migrate_v1, tdb_setup, tdb_teardown),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
