/*
 * store_query.c: the reading side of the store, and the small writes
 * people make (feeds added, edited and removed; read and starred marks).
 *
 * The listings are written for the indexes: unread items newest first walk
 * items_unread (read, first_seen DESC) and one feed's items walk
 * items_feed_time (feed_id, first_seen DESC), both in index order (ties in
 * first_seen by id ascending: a document's order), so that a LIMIT stops
 * the walk early.  Search leaves ORDER BY rank to FTS5, which sorts inside
 * the virtual table; snippets are then made only for the rows returned.
 *
 * Every write here joins the caller's transaction when one is open (an
 * import adds thousands of feeds in one), and otherwise runs in its own
 * BEGIN IMMEDIATE.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_int.h"

/* Column weights for bm25 (title, summary, article): a word in the title
 * counts most. */
#define RANK_WEIGHTS "5.0, 2.0, 1.0"

/* Search ranks at most the newest SEARCH_RANKED matches (more if the
 * limit asks for more, all with no limit): FTS5 computes bm25 for every
 * row it ranks, ~1 us each, too slow for a word in most items. */
#define SEARCH_RANKED 10000

/* Opens a transaction unless the caller has one: *own says which. */
static int
tx_begin(struct store *s, int *own)
{
	*own = !s->in_tx;
	return *own ? store_begin(s) : 0;
}

static int
tx_end(struct store *s, int own, int rc)
{
	if (!own)
		return rc;
	if (rc != 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

/* Runs a statement to completion and finalizes it. */
static int
step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, what);

	sqlite3_finalize(st);
	return rc;
}

/* The same for a statement kept by store_stmt: reset, not finalized. */
static int
step_reset(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, what);

	sqlite3_reset(st);
	return rc;
}

static sqlite3_stmt *
prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, "prepare");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* --- feeds */

void
store_feed_clear(struct store_feed *f)
{
	size_t i;

	free(f->url);
	free(f->title);
	free(f->site_url);
	free(f->description);
	free(f->user_title);
	for (i = 0; i < f->ntags; i++)
		free(f->tags[i]);
	free(f->tags);
	free(f->etag);
	free(f->last_modified);
	free(f->key_reason);
	free(f->last_error);
	free(f->disabled_reason);
	memset(f, 0, sizeof(*f));
	/* Nothing set: store_feed_update changes nothing, store_feed_add
	 * takes the defaults. */
	f->interval = -1;
	f->full_text = -1;
	f->max_age = -1;
	f->max_items = -1;
	f->added_at = f->last_poll = f->last_success = f->next_poll = DATE_NONE;
}

/* The total is counted on items_feed_time alone; the unread count needs
 * each item's row, so store_feeds counts them in one pass instead. */
#define FEED_COLS                                                                                  \
	"f.id, f.url, f.title, f.site_url, f.description, f.user_title, f.source, f.interval,"     \
	" f.full_text, f.etag, f.last_modified, f.key_mode, f.key_reason, f.added_at,"             \
	" f.last_poll, f.last_success, f.next_poll, f.last_status, f.last_error, f.error_count,"   \
	" f.disabled_reason, f.max_age, f.max_items,"                                              \
	" (SELECT count(*) FROM items WHERE feed_id = f.id)"
#define FEED_UNREAD " (SELECT count(*) FROM items WHERE feed_id = f.id AND read = 0)"

static int
feed_tags(struct store *s, sqlite3_stmt **tst, struct store_feed *f)
{
	char **tags;
	int    rc;

	if (*tst == NULL &&
	    (*tst = prepare(s, "SELECT tag FROM feed_tags WHERE feed_id = ?1 ORDER BY tag")) ==
		NULL)
		return STORE_ERR;
	sqlite3_reset(*tst);
	sqlite3_bind_int64(*tst, 1, f->id);
	while ((rc = sqlite3_step(*tst)) == SQLITE_ROW) {
		if ((tags = realloc(f->tags, (f->ntags + 1) * sizeof(*tags))) == NULL) {
			sqlite3_reset(*tst);
			snprintf(s->err, sizeof(s->err), "out of memory");
			return STORE_ERR;
		}
		f->tags = tags;
		f->tags[f->ntags++] = store_col_dup(*tst, 0);
	}
	sqlite3_reset(*tst);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "feed tags");
}

static int64_t
col_int_or(sqlite3_stmt *st, int i, int64_t dflt)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? dflt : sqlite3_column_int64(st, i);
}

static void
feed_from_row(sqlite3_stmt *st, struct store_feed *f)
{
	const unsigned char *v;

	store_feed_clear(f);
	f->id = sqlite3_column_int64(st, 0);
	f->url = store_col_dup(st, 1);
	f->title = store_col_dup(st, 2);
	f->site_url = store_col_dup(st, 3);
	f->description = store_col_dup(st, 4);
	f->user_title = store_col_dup(st, 5);
	v = sqlite3_column_text(st, 6);
	f->source = v && !strcmp((const char *)v, "config") ? "config" : "db";
	f->interval = col_int_or(st, 7, 0);
	f->full_text = sqlite3_column_int(st, 8) != 0;
	f->etag = store_col_dup(st, 9);
	f->last_modified = store_col_dup(st, 10);
	v = sqlite3_column_text(st, 11);
	f->key_mode = v && !strcmp((const char *)v, "link") ? "link" : "guid";
	f->key_reason = store_col_dup(st, 12);
	f->added_at = store_col_time(st, 13);
	f->last_poll = store_col_time(st, 14);
	f->last_success = store_col_time(st, 15);
	f->next_poll = store_col_time(st, 16);
	f->last_status = (int)col_int_or(st, 17, 0);
	f->last_error = store_col_dup(st, 18);
	f->error_count = sqlite3_column_int(st, 19);
	f->disabled_reason = store_col_dup(st, 20);
	f->max_age = col_int_or(st, 21, 0);
	f->max_items = col_int_or(st, 22, 0);
	f->total = sqlite3_column_int64(st, 23);
	f->unread = sqlite3_column_count(st) > 24 ? sqlite3_column_int64(st, 24) : 0;
}

int
store_feed_get(struct store *s, int64_t id, struct store_feed *f)
{
	sqlite3_stmt *st, *tst = NULL;
	int	      rc;

	memset(f, 0, sizeof(*f));
	store_feed_clear(f);
	if ((st = prepare(s, "SELECT " FEED_COLS "," FEED_UNREAD
			     " FROM feeds f WHERE f.id = ?1")) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		feed_from_row(st, f);
		rc = feed_tags(s, &tst, f);
	} else if (rc == SQLITE_DONE) {
		snprintf(s->err, sizeof(s->err), "no feed with id %lld", (long long)id);
		rc = STORE_NOTFOUND;
	} else {
		rc = store_fail(s, "feed");
	}
	sqlite3_finalize(st);
	sqlite3_finalize(tst);
	if (rc != 0)
		store_feed_clear(f);
	return rc;
}

/* Unread counts of every feed, sorted by feed id: one walk of the unread
 * part of items_unread rather than of every feed's items. */
struct unread_counts {
	int64_t (*v)[2];
	size_t n;
};

static int
unread_counts(struct store *s, struct unread_counts *u)
{
	sqlite3_stmt *st;
	void	     *p;
	size_t	      cap = 0;
	int	      rc;

	u->v = NULL;
	u->n = 0;
	if ((st = prepare(s, "SELECT feed_id, count(*) FROM items WHERE read = 0"
			     " GROUP BY feed_id ORDER BY feed_id")) == NULL)
		return STORE_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (u->n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((p = realloc(u->v, cap * sizeof(*u->v))) == NULL) {
				sqlite3_finalize(st);
				snprintf(s->err, sizeof(s->err), "out of memory");
				return STORE_ERR;
			}
			u->v = p;
		}
		u->v[u->n][0] = sqlite3_column_int64(st, 0);
		u->v[u->n][1] = sqlite3_column_int64(st, 1);
		u->n++;
	}
	rc = rc == SQLITE_DONE ? 0 : store_fail(s, "unread counts");
	sqlite3_finalize(st);
	if (rc != 0) {
		free(u->v);
		u->v = NULL;
	}
	return rc;
}

static int64_t
unread_of(const struct unread_counts *u, int64_t id)
{
	size_t lo = 0, hi = u->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (u->v[mid][0] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < u->n && u->v[lo][0] == id ? u->v[lo][1] : 0;
}

int
store_feeds(struct store *s, int (*cb)(void *, const struct store_feed *), void *ud)
{
	struct unread_counts u;
	sqlite3_stmt	    *st, *tst = NULL;
	struct store_feed    f;
	int		     rc;

	memset(&f, 0, sizeof(f));
	if ((rc = unread_counts(s, &u)) != 0)
		return rc;
	if ((st = prepare(s, "SELECT " FEED_COLS " FROM feeds f ORDER BY"
			     " coalesce(f.user_title, f.title, f.url) COLLATE NOCASE, f.id")) ==
	    NULL) {
		free(u.v);
		return STORE_ERR;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		feed_from_row(st, &f);
		f.unread = unread_of(&u, f.id);
		if ((rc = feed_tags(s, &tst, &f)) != 0 || cb(ud, &f) != 0)
			break;
	}
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		rc = 0;
	else if (rc > 0)
		rc = store_fail(s, "feeds");
	store_feed_clear(&f);
	sqlite3_finalize(st);
	sqlite3_finalize(tst);
	free(u.v);
	return rc;
}

/* Returns the id of the feed with this URL, 0 if none, <0 on error. */
static int64_t
feed_by_url(struct store *s, const char *url)
{
	sqlite3_stmt *st;
	int64_t	      id;
	int	      rc;

	if ((st = prepare(s, "SELECT id FROM feeds WHERE url = ?1")) == NULL)
		return STORE_ERR;
	store_bind_text(st, 1, url);
	rc = sqlite3_step(st);
	id = rc == SQLITE_ROW	 ? sqlite3_column_int64(st, 0)
	     : rc == SQLITE_DONE ? 0
				 : store_fail(s, "feed");
	sqlite3_finalize(st);
	return id;
}

static int
add_tags(struct store *s, int64_t id, char *const *tags, size_t ntags)
{
	sqlite3_stmt *st;
	size_t	      i;
	int	      rc = 0;

	if (ntags == 0)
		return 0;
	if ((st = prepare(s, "INSERT OR IGNORE INTO feed_tags(feed_id, tag) VALUES (?1, ?2)")) ==
	    NULL)
		return STORE_ERR;
	for (i = 0; i < ntags && rc == 0; i++) {
		if (tags[i] == NULL || tags[i][0] == '\0')
			continue;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, tags[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = store_fail(s, "feed tag");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Binds a setting where >0 is a value, 0 the global default (NULL). */
static void
bind_setting(sqlite3_stmt *st, int i, int64_t v)
{
	if (v > 0)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int
store_feed_add(struct store *s, const struct store_feed *f, int64_t *id)
{
	sqlite3_stmt *st;
	int64_t	      old;
	int	      own, rc;

	*id = 0;
	if (f->url == NULL || f->url[0] == '\0') {
		snprintf(s->err, sizeof(s->err), "a feed needs a URL");
		return STORE_INVALID;
	}
	if ((rc = tx_begin(s, &own)) != 0)
		return rc;
	if ((old = feed_by_url(s, f->url)) != 0) {
		if (old > 0) {
			*id = old;
			snprintf(s->err, sizeof(s->err), "%s: already there as feed %lld", f->url,
				 (long long)old);
		}
		return tx_end(s, own, old > 0 ? STORE_EXISTS : (int)old);
	}
	st = prepare(s, "INSERT INTO feeds(url, title, user_title, site_url, description, source,"
			" interval, full_text, max_age, max_items, added_at)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
	if (st == NULL)
		return tx_end(s, own, STORE_ERR);
	store_bind_text(st, 1, f->url);
	store_bind_text(st, 2, f->title && *f->title ? f->title : NULL);
	store_bind_text(st, 3, f->user_title && *f->user_title ? f->user_title : NULL);
	store_bind_text(st, 4, f->site_url && *f->site_url ? f->site_url : NULL);
	store_bind_text(st, 5, f->description);
	store_bind_text(st, 6, f->source && !strcmp(f->source, "config") ? "config" : "db");
	bind_setting(st, 7, f->interval);
	sqlite3_bind_int(st, 8, f->full_text != 0); /* <0 (unset): the default, on */
	bind_setting(st, 9, f->max_age);
	bind_setting(st, 10, f->max_items);
	sqlite3_bind_int64(st, 11,
			   f->added_at != DATE_NONE && f->added_at > 0 ? f->added_at : store_now());
	if ((rc = step_done(s, st, "add feed")) == 0) {
		*id = sqlite3_last_insert_rowid(s->db);
		rc = add_tags(s, *id, f->tags, f->ntags);
	}
	return tx_end(s, own, rc);
}

static int
all_digits(const char *p)
{
	if (*p == '\0')
		return 0;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

int
store_feed_find(struct store *s, const char *spec, int64_t *id)
{
	static const char *const sql[] = {
	    "SELECT id FROM feeds WHERE id = ?1",
	    "SELECT id FROM feeds WHERE url = ?1",
	    "SELECT id FROM feeds WHERE user_title = ?1 ORDER BY id",
	    "SELECT id FROM feeds WHERE title = ?1 AND user_title IS NULL ORDER BY id",
	};
	size_t i;
	int    rc, n;

	*id = 0;
	for (i = all_digits(spec) ? 0 : 1; i < sizeof(sql) / sizeof(sql[0]); i++) {
		sqlite3_stmt *st = prepare(s, sql[i]);

		if (st == NULL)
			return STORE_ERR;
		if (i == 0)
			sqlite3_bind_int64(st, 1, strtoll(spec, NULL, 10));
		else
			sqlite3_bind_text(st, 1, spec, -1, SQLITE_STATIC);
		for (n = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; n++)
			if (n == 0)
				*id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return store_fail(s, "find feed");
		if (n > 1) {
			snprintf(s->err, sizeof(s->err),
				 "%d feeds are titled '%s': name one by id or URL", n, spec);
			*id = 0;
			return STORE_INVALID;
		}
		if (n == 1)
			return 0;
	}
	snprintf(s->err, sizeof(s->err), "no feed '%s' (give its id, URL or exact title)", spec);
	return STORE_NOTFOUND;
}

int
store_feed_remove(struct store *s, int64_t id)
{
	sqlite3_stmt *st;
	int	      own, rc;

	if ((rc = tx_begin(s, &own)) != 0)
		return rc;
	/* The feed's articles are noted first and deleted after its items:
	 * deleting an article while an item still points to it would run
	 * items_au (by ON DELETE SET NULL) after the article text is gone,
	 * leaving that text in the search index. */
	if ((rc = store_exec(s,
			     "CREATE TEMP TABLE IF NOT EXISTS rm_articles(id INTEGER PRIMARY KEY);"
			     "DELETE FROM rm_articles")) != 0)
		return tx_end(s, own, rc);
	st = prepare(s, "INSERT OR IGNORE INTO rm_articles(id) SELECT article_id FROM items"
			" WHERE feed_id = ?1 AND article_id IS NOT NULL");
	if (st == NULL)
		return tx_end(s, own, STORE_ERR);
	sqlite3_bind_int64(st, 1, id);
	if ((rc = step_done(s, st, "remove feed")) != 0)
		return tx_end(s, own, rc);
	if ((st = prepare(s, "DELETE FROM feeds WHERE id = ?1")) == NULL)
		return tx_end(s, own, STORE_ERR);
	sqlite3_bind_int64(st, 1, id);
	if ((rc = step_done(s, st, "remove feed")) == 0 && sqlite3_changes(s->db) == 0) {
		snprintf(s->err, sizeof(s->err), "no feed with id %lld", (long long)id);
		rc = STORE_NOTFOUND;
	}
	/* Those no other feed's item points to go too. */
	if (rc == 0)
		rc = store_exec(
		    s, "DELETE FROM articles WHERE id IN (SELECT id FROM rm_articles)"
		       " AND NOT EXISTS (SELECT 1 FROM items WHERE article_id = articles.id);"
		       "DELETE FROM rm_articles");
	return tx_end(s, own, rc);
}

int
store_feed_update(struct store *s, int64_t id, const struct store_feed *f, int set_tags)
{
	sqlite3_stmt *st;
	int64_t	      other;
	int	      own, rc;

	if ((rc = tx_begin(s, &own)) != 0)
		return rc;
	if (f->url) {
		if (f->url[0] == '\0') {
			snprintf(s->err, sizeof(s->err), "a feed needs a URL");
			return tx_end(s, own, STORE_INVALID);
		}
		if ((other = feed_by_url(s, f->url)) < 0)
			return tx_end(s, own, (int)other);
		if (other > 0 && other != id) {
			snprintf(s->err, sizeof(s->err), "%s: already there as feed %lld", f->url,
				 (long long)other);
			return tx_end(s, own, STORE_EXISTS);
		}
	}
	/* A new URL starts afresh: no validators, no errors, polled soon.
	 * Kept prepared: gleanerd runs it for every configured feed at start. */
	st = store_stmt(
	    s, ST_FEED_UPDATE, "UPDATE feeds SET"
	       " etag = iif(?2 IS NOT NULL AND ?2 <> url, NULL, etag),"
	       " last_modified = iif(?2 IS NOT NULL AND ?2 <> url, NULL, last_modified),"
	       " last_error = iif(?2 IS NOT NULL AND ?2 <> url, NULL, last_error),"
	       " error_count = iif(?2 IS NOT NULL AND ?2 <> url, 0, error_count),"
	       " disabled_reason = iif(?2 IS NOT NULL AND ?2 <> url, NULL, disabled_reason),"
	       " next_poll = iif(?2 IS NOT NULL AND ?2 <> url, NULL, next_poll),"
	       " url = coalesce(?2, url),"
	       " user_title = CASE WHEN ?3 IS NULL THEN user_title WHEN ?3 = '' THEN NULL"
	       "  ELSE ?3 END,"
	       " interval = CASE WHEN ?4 < 0 THEN interval WHEN ?4 = 0 THEN NULL ELSE ?4 END,"
	       " full_text = CASE WHEN ?5 < 0 THEN full_text ELSE ?5 <> 0 END,"
	       " max_age = CASE WHEN ?6 < 0 THEN max_age WHEN ?6 = 0 THEN NULL ELSE ?6 END,"
	       " max_items = CASE WHEN ?7 < 0 THEN max_items WHEN ?7 = 0 THEN NULL ELSE ?7 END"
	       " WHERE id = ?1");
	if (st == NULL)
		return tx_end(s, own, STORE_ERR);
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, f->url);
	store_bind_text(st, 3, f->user_title);
	sqlite3_bind_int64(st, 4, f->interval);
	sqlite3_bind_int(st, 5, f->full_text);
	sqlite3_bind_int64(st, 6, f->max_age);
	sqlite3_bind_int64(st, 7, f->max_items);
	if ((rc = step_reset(s, st, "edit feed")) != 0)
		return tx_end(s, own, rc);
	if (sqlite3_changes(s->db) == 0) {
		snprintf(s->err, sizeof(s->err), "no feed with id %lld", (long long)id);
		return tx_end(s, own, STORE_NOTFOUND);
	}
	if (set_tags) {
		if ((st = store_stmt(s, ST_FEED_UNTAG, "DELETE FROM feed_tags WHERE feed_id = ?1")) ==
		    NULL)
			return tx_end(s, own, STORE_ERR);
		sqlite3_bind_int64(st, 1, id);
		if ((rc = step_reset(s, st, "edit feed")) == 0)
			rc = add_tags(s, id, f->tags, f->ntags);
	}
	return tx_end(s, own, rc);
}

/* --- items */

/* The WHERE clause of a filter over items i; parameters ?1 item, ?2 feed,
 * ?3 tag, ?4 since. */
static void
filter_sql(struct buf *b, const struct item_filter *f)
{
	buf_adds(b, " WHERE 1");
	if (f->item_id)
		buf_adds(b, " AND i.id = ?1");
	if (f->feed_id)
		buf_adds(b, " AND i.feed_id = ?2");
	if (f->tag)
		buf_adds(b, " AND i.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag = ?3)");
	if (f->unread)
		buf_adds(b, " AND i.read = 0");
	if (f->starred)
		buf_adds(b, " AND i.starred"); /* as items_starred's WHERE, so it applies */
	if (f->since != DATE_NONE)
		buf_adds(b, " AND (i.first_seen >= ?4 OR i.published >= ?4)");
	if (f->before)
		buf_adds(b, " AND coalesce(i.published, i.first_seen) < ?5");
}

static void
filter_bind(sqlite3_stmt *st, const struct item_filter *f)
{
	if (f->item_id)
		sqlite3_bind_int64(st, 1, f->item_id);
	if (f->feed_id)
		sqlite3_bind_int64(st, 2, f->feed_id);
	if (f->tag)
		sqlite3_bind_text(st, 3, f->tag, -1, SQLITE_STATIC);
	if (f->since != DATE_NONE)
		sqlite3_bind_int64(st, 4, f->since);
	if (f->before)
		sqlite3_bind_int64(st, 5, f->before);
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* One SELECT over items; extra narrows the filter (a read state). */
static void
item_select(struct buf *b, const struct item_filter *f, const char *extra)
{
	buf_printf(b,
		   "SELECT i.id, i.feed_id, f.url, coalesce(f.user_title, f.title), i.guid,"
		   " i.url, i.title, i.author, i.published, i.updated, i.first_seen, i.summary,"
		   " %s, i.content_type, %s, a.status, a.url, i.enclosures, i.categories,"
		   " i.read, i.starred, i.article_id"
		   " FROM items i JOIN feeds f ON f.id = i.feed_id"
		   " LEFT JOIN articles a ON a.id = i.article_id",
		   f->full ? "i.content" : "NULL", f->full ? "a.text" : "NULL");
	filter_sql(b, f);
	buf_adds(b, extra);
	buf_adds(b, f->order == ITEM_ORDER_OLDEST ? " ORDER BY i.first_seen ASC, i.id DESC"
						  : " ORDER BY i.first_seen DESC, i.id ASC");
	if (f->limit > 0)
		buf_printf(b, " LIMIT %lld", (long long)f->limit);
}

int
store_items(struct store *s, const struct item_filter	       *f,
	    int (*cb)(void *, const struct store_item *), void *ud)
{
	struct store_item it;
	struct buf	  b;
	sqlite3_stmt	 *st = NULL;
	int		  rc;

	buf_init(&b, 0);
	if (f->limit > 0 && !f->unread && !f->starred && !f->feed_id && !f->item_id) {
		/* The newest N of all items: the newest N of each read state,
		 * each walked in items_unread's order, merged.  (A plain ORDER
		 * BY would sort the whole table.) */
		buf_adds(&b, "SELECT * FROM (");
		item_select(&b, f, " AND i.read = 0");
		buf_adds(&b, ") UNION ALL SELECT * FROM (");
		item_select(&b, f, " AND i.read = 1");
		buf_printf(&b, ") ORDER BY 11 %s, 1 %s LIMIT %lld",
			   f->order == ITEM_ORDER_OLDEST ? "ASC" : "DESC",
			   f->order == ITEM_ORDER_OLDEST ? "DESC" : "ASC", (long long)f->limit);
	} else {
		item_select(&b, f, "");
	}
	if (b.data == NULL) {
		snprintf(s->err, sizeof(s->err), "out of memory");
		return STORE_ERR;
	}
	st = prepare(s, b.data);
	buf_free(&b);
	if (st == NULL)
		return STORE_ERR;
	filter_bind(st, f);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&it, 0, sizeof(it));
		it.id = sqlite3_column_int64(st, 0);
		it.feed_id = sqlite3_column_int64(st, 1);
		it.feed_url = col_text(st, 2);
		it.feed_title = col_text(st, 3);
		it.guid = col_text(st, 4);
		it.url = col_text(st, 5);
		it.title = col_text(st, 6);
		it.author = col_text(st, 7);
		it.published = store_col_time(st, 8);
		it.updated = store_col_time(st, 9);
		it.first_seen = store_col_time(st, 10);
		it.summary = col_text(st, 11);
		it.content = col_text(st, 12);
		it.content_type = sqlite3_column_int(st, 13);
		it.article_text = col_text(st, 14);
		it.article_status = col_text(st, 15);
		it.article_url = col_text(st, 16);
		it.enclosures = col_text(st, 17);
		it.categories = col_text(st, 18);
		it.read = sqlite3_column_int(st, 19) != 0;
		it.starred = sqlite3_column_int(st, 20) != 0;
		it.article_id = sqlite3_column_int64(st, 21);
		if (cb(ud, &it) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : store_fail(s, "items");
	sqlite3_finalize(st);
	return rc;
}

int
store_mark(struct store *s, const struct item_filter *f, int mark, int64_t *changed)
{
	static const char *const set[] = {
	    [MARK_READ] = "UPDATE items AS i SET read = 1",
	    [MARK_UNREAD] = "UPDATE items AS i SET read = 0",
	    [MARK_STAR] = "UPDATE items AS i SET starred = 1",
	    [MARK_UNSTAR] = "UPDATE items AS i SET starred = 0",
	};
	static const char *const only[] = {
	    [MARK_READ] = " AND i.read = 0",
	    [MARK_UNREAD] = " AND i.read <> 0",
	    [MARK_STAR] = " AND i.starred = 0",
	    [MARK_UNSTAR] = " AND i.starred <> 0",
	};
	sqlite3_stmt *st;
	struct buf    b;
	int	      own, rc;

	*changed = 0;
	if (mark < MARK_READ || mark > MARK_UNSTAR) {
		snprintf(s->err, sizeof(s->err), "unknown mark %d", mark);
		return STORE_INVALID;
	}
	if ((rc = tx_begin(s, &own)) != 0)
		return rc;
	if (f->item_id) {
		if ((st = prepare(s, "SELECT 1 FROM items WHERE id = ?1")) == NULL)
			return tx_end(s, own, STORE_ERR);
		sqlite3_bind_int64(st, 1, f->item_id);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc == SQLITE_DONE) {
			snprintf(s->err, sizeof(s->err), "no item %lld", (long long)f->item_id);
			return tx_end(s, own, STORE_NOTFOUND);
		}
		if (rc != SQLITE_ROW)
			return tx_end(s, own, store_fail(s, "mark"));
	}
	buf_init(&b, 0);
	buf_adds(&b, set[mark]);
	filter_sql(&b, f);
	buf_adds(&b, only[mark]);
	st = b.data ? prepare(s, b.data) : NULL;
	buf_free(&b);
	if (st == NULL)
		return tx_end(s, own, STORE_ERR);
	filter_bind(st, f);
	if ((rc = step_done(s, st, "mark")) == 0)
		*changed = sqlite3_changes(s->db);
	return tx_end(s, own, rc);
}

/* --- search */

/* An error in the query itself rather than in the database. */
static int
query_error(const char *msg)
{
	return !strncmp(msg, "fts5:", 5) || strstr(msg, "syntax error") != NULL ||
	       !strncmp(msg, "no such column", 14) || strstr(msg, "unterminated") != NULL ||
	       strstr(msg, "unknown special query") != NULL;
}

int
store_search(struct store *s, const char *query, int64_t limit,
	     int (*cb)(void *, const struct store_hit *), void *ud)
{
	struct store_hit h;
	sqlite3_stmt	*st;
	int		 rc;

	if (query == NULL || query[0] == '\0') {
		snprintf(s->err, sizeof(s->err), "empty search query");
		return STORE_INVALID;
	}
	/* What was stored since the last indexing, first.  If that fails
	 * (another writer holds the lock too long), the search still answers
	 * from what is indexed. */
	if (!s->rdonly) {
		int64_t n;

		(void)store_index_all(s, &n);
	}
	/* top: the newest ?3 matches in rowid order (FTS5 walks its doclists
	 * newest first and stops), ranked by bm25; best: the ?2 best of those.
	 * bm25's statistics are the whole table's, so the order among them is
	 * the order of a search that ranks everything.  Then snippet() runs
	 * for the returned rows only, by rowid. */
	st = prepare(s, "WITH top(id, r) AS (SELECT rowid, bm25(items_fts, " RANK_WEIGHTS ")"
			"  FROM items_fts WHERE items_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?3),"
			" best(id, r) AS (SELECT id, r FROM top ORDER BY r, id DESC LIMIT ?2)"
			" SELECT i.id, i.feed_id, i.title, i.url, coalesce(f.user_title, f.title),"
			" snippet(items_fts, -1, char(2), char(3), '…', 24), best.r, i.published"
			" FROM best JOIN items_fts ON items_fts.rowid = best.id"
			" JOIN items i ON i.id = best.id JOIN feeds f ON f.id = i.feed_id"
			" WHERE items_fts MATCH ?1"
			" ORDER BY best.r, best.id DESC");
	if (st == NULL)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
	sqlite3_bind_int64(st, 3, limit <= 0 ? -1 : limit > SEARCH_RANKED ? limit : SEARCH_RANKED);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&h, 0, sizeof(h));
		h.id = sqlite3_column_int64(st, 0);
		h.feed_id = sqlite3_column_int64(st, 1);
		h.title = col_text(st, 2);
		h.url = col_text(st, 3);
		h.feed_title = col_text(st, 4);
		h.snippet = col_text(st, 5);
		h.rank = sqlite3_column_double(st, 6);
		h.published = store_col_time(st, 7);
		if (cb(ud, &h) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc == SQLITE_DONE) {
		rc = 0;
	} else if (query_error(sqlite3_errmsg(s->db))) {
		snprintf(s->err, sizeof(s->err), "invalid search query '%s': %s", query,
			 sqlite3_errmsg(s->db));
		rc = STORE_INVALID;
	} else {
		rc = store_fail(s, "search");
	}
	sqlite3_finalize(st);
	return rc;
}

/* --- stats */

static int
count(struct store *s, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = prepare(s, sql);
	int	      rc;

	*out = 0;
	if (st == NULL)
		return STORE_ERR;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = store_col_time(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, "stats");
}

int
store_stats(struct store *s, struct store_stats *out)
{
	static const struct {
		const char *sql;
		size_t	    off;
	} q[] = {
#define Q(sql, field) {sql, offsetof(struct store_stats, field)}
	    Q("SELECT count(*) FROM feeds", feeds),
	    Q("SELECT count(*) FROM feeds WHERE error_count > 0", feeds_erroring),
	    Q("SELECT count(*) FROM feeds WHERE disabled_reason IS NOT NULL", feeds_disabled),
	    Q("SELECT count(*) FROM items", items),
	    Q("SELECT count(*) FROM items WHERE read = 0", unread),
	    Q("SELECT count(*) FROM items WHERE starred", starred),
	    Q("SELECT count(*) FROM tombstones", tombstones),
	    Q("SELECT count(*) FROM articles", articles),
	    Q("SELECT count(*) FROM articles WHERE status = 'extracted'", articles_extracted),
	    Q("SELECT count(*) FROM articles WHERE status = 'pending'", articles_pending),
	    Q("SELECT count(*) FROM articles WHERE status NOT IN ('pending', 'extracted')",
	      articles_failed),
	    Q("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size", db_bytes),
	    /* per read state, each a min/max over items_unread */
	    Q("SELECT min(t) FROM (SELECT min(first_seen) AS t FROM items WHERE read = 0"
	      " UNION ALL SELECT min(first_seen) FROM items WHERE read = 1)",
	      oldest_item),
	    Q("SELECT max(t) FROM (SELECT max(first_seen) AS t FROM items WHERE read = 0"
	      " UNION ALL SELECT max(first_seen) FROM items WHERE read = 1)",
	      newest_item),
#undef Q
	};
	struct stat sb;
	char	    wal[sizeof(s->path) + 8];
	size_t	    i;
	int	    rc;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		if ((rc = count(s, q[i].sql, (int64_t *)(void *)((char *)out + q[i].off))) != 0)
			return rc;
	snprintf(wal, sizeof(wal), "%s-wal", s->path);
	out->wal_bytes = stat(wal, &sb) == 0 ? (int64_t)sb.st_size : 0;
	return 0;
}
