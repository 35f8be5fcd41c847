/*
 * store_ingest.c: writing a parsed feed document into the database.
 *
 * Dedupe rules, in order, for each item of a document:
 *   1. The key: the item's identity (feed_item_ident: guid/id, else link,
 *      else a hash of its text), or its link key ("l:" + hash of the link)
 *      once the feed is keyed by link.
 *   2. A known key: the row is kept; if the content hash changed, its text
 *      is updated in place (read and starred state kept, no new unread).
 *   3. An unknown key with a tombstone: skipped (a deleted item never
 *      returns while the feed carries it).
 *   4. Otherwise a new item (keyed by its link key in a feed keyed by
 *      link); its link, normalized, names the article it shares with every
 *      other item pointing to the same page (a feed with full text off
 *      joins an article another feed fetches, but creates none).
 * A deleted item leaves a tombstone for its identity, and in a feed keyed
 * by link for its link key too.
 * A feed's guids are judged unreliable, and the feed switched to link keys
 * for good, when more than 5% of a document's items have an empty or
 * repeated guid, or when a refetch brings new guids for most known links.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define UNRELIABLE_PCT   5
#define TOMBSTONE_FORGET (30 * 86400) /* not seen in the feed for this long */
#define SUMMARY_CAP      (64u << 10)

/* The link key of link, whose normalized form is norm (NULL if it has
 * none: the link itself is hashed then). */
static char *
link_key(const char *link, const char *norm)
{
	const char *n = norm ? norm : link;
	char       *k;

	if (link == NULL || *link == '\0')
		return NULL;
	k = malloc(24);
	if (k)
		snprintf(k, 24, "l:%016llx", (unsigned long long)hash64(n, strlen(n) + 1, HASH64_SEED));
	return k;
}

/* The normalized form of an item's link, or NULL. */
static char *
link_norm(const char *link)
{
	return link && *link ? url_normalize(link) : NULL;
}

static char *
enclosures_json(const struct feed_item *it)
{
	struct buf b;
	size_t     i;

	if (it->nenclosures == 0)
		return NULL;
	buf_init(&b, 0);
	buf_addc(&b, '[');
	for (i = 0; i < it->nenclosures; i++) {
		const struct feed_enclosure *e = &it->enclosures[i];

		buf_adds(&b, i ? ",{\"url\":" : "{\"url\":");
		json_buf_string(&b, e->url);
		buf_adds(&b, ",\"type\":");
		json_buf_string(&b, e->type);
		if (e->length >= 0)
			buf_printf(&b, ",\"length\":%lld", (long long)e->length);
		else
			buf_adds(&b, ",\"length\":null");
		buf_printf(&b, ",\"media\":%s}", e->media == 1 ? "\"content\""
						 : e->media == 2 ? "\"thumbnail\"" : "null");
	}
	buf_addc(&b, ']');
	return buf_take(&b);
}

static char *
categories_json(const struct feed_item *it)
{
	struct buf b;
	size_t     i;

	if (it->ncategories == 0)
		return NULL;
	buf_init(&b, 0);
	buf_addc(&b, '[');
	for (i = 0; i < it->ncategories; i++) {
		if (i)
			buf_addc(&b, ',');
		json_buf_string(&b, it->categories[i]);
	}
	buf_addc(&b, ']');
	return buf_take(&b);
}

/* The summary as plain text, for lists and search; the content's if none. */
static char *
plain_summary(const struct feed_item *it)
{
	const char *s = it->summary ? it->summary : it->content;
	int         type = it->summary ? it->summary_type : it->content_type;
	char       *t;

	if (s == NULL)
		return NULL;
	t = type == TEXT_PLAIN ? text_collapse_ws(s, strlen(s)) : text_from_html(s, strlen(s));
	if (t && strlen(t) > SUMMARY_CAP) {
		size_t n = SUMMARY_CAP;

		while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
			n--;
		t[n] = '\0';
	}
	return t;
}

/* The article row for an item's normalized link: found, or added as
 * pending. */
static int
article_for(struct store *s, const char *norm, int full_text, int64_t now, int64_t *id)
{
	sqlite3_stmt *st;
	int           rc;

	*id = 0;
	if (norm == NULL)
		return 0;
	st = store_stmt(s, ST_ARTICLE_GET, "SELECT id FROM articles WHERE url = ?1");
	if (st == NULL)
		goto err;
	sqlite3_bind_text(st, 1, norm, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	if (!full_text)
		return 0; /* shares an article another feed fetches; makes none itself */
	st = store_stmt(s, ST_ARTICLE_INSERT,
			"INSERT INTO articles(url, status, next_attempt) VALUES (?1, ?2, ?3)");
	if (st == NULL)
		goto err;
	sqlite3_bind_text(st, 1, norm, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, "pending", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_reset(st);
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
fail:
	store_fail(s, "article");
	sqlite3_reset(st);
err:
	return STORE_ERR;
}

/* Finds an item row by key: 0 and *row set, 1 not found, <0 error. */
static int
find_item(struct store *s, int64_t feed_id, const char *ident, const char *lkey, int by_link,
	  int64_t *row, int64_t *hash)
{
	sqlite3_stmt *st;
	int           rc;

	if (by_link && lkey) {
		st = store_stmt(s, ST_ITEM_BY_LINK, "SELECT id, content_hash FROM items"
						    " WHERE feed_id = ?1 AND link_key = ?2 LIMIT 1");
		if (st == NULL)
			return STORE_ERR;
		sqlite3_bind_int64(st, 1, feed_id);
		sqlite3_bind_text(st, 2, lkey, -1, SQLITE_STATIC);
	} else {
		st = store_stmt(s, ST_ITEM_BY_IDENT, "SELECT id, content_hash FROM items"
						     " WHERE feed_id = ?1 AND ident = ?2");
		if (st == NULL)
			return STORE_ERR;
		sqlite3_bind_int64(st, 1, feed_id);
		sqlite3_bind_text(st, 2, ident, -1, SQLITE_STATIC);
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*row = sqlite3_column_int64(st, 0);
		*hash = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 1 : store_fail(s, "find item");
}

/* 1 if a tombstone holds this key (and marks it seen), 0 if not, <0 error. */
static int
tombstoned(struct store *s, int64_t feed_id, const char *key, int64_t now)
{
	sqlite3_stmt *st;
	int           rc;

	if (key == NULL)
		return 0;
	st = store_stmt(s, ST_TOMB_SEEN,
			"UPDATE tombstones SET last_seen = ?3 WHERE feed_id = ?1 AND ident = ?2");
	if (st == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "tombstone");
	return sqlite3_changes(s->db) > 0;
}

/* A date more than a day after the fetch is a wrong clock or a placeholder
 * (9999-12-31): stored as the fetch time, or retention by age and by count
 * (newest first) would keep the item for ever. */
static int64_t
sane_date(int64_t t, int64_t now)
{
	return t != DATE_NONE && t > now + 86400 ? now : t;
}

/* Binds an item's fields to the insert (from ?3) or update statement. */
static void
bind_item(sqlite3_stmt *st, const struct feed_item *it, const char *key, const char *lkey,
	  const char *summary, const char *encl, const char *cats, int64_t now)
{
	store_bind_text(st, 3, key);
	store_bind_text(st, 4, lkey);
	store_bind_text(st, 5, it->id);
	store_bind_text(st, 6, it->link);
	store_bind_text(st, 7, it->title);
	store_bind_text(st, 8, it->author);
	store_bind_time(st, 9, sane_date(it->published, now));
	store_bind_time(st, 10, sane_date(it->updated, now));
	store_bind_text(st, 11, summary);
	store_bind_text(st, 12, it->content);
	sqlite3_bind_int(st, 13, it->content_type);
	store_bind_text(st, 14, encl);
	store_bind_text(st, 15, cats);
	sqlite3_bind_int64(st, 16, (int64_t)it->content_hash);
}

/* has_tombs: the feed has tombstones. */
static int
ingest_item(struct store *s, int64_t feed_id, int by_link, int full_text, int has_tombs,
	    const struct feed_item *it, int64_t now, struct ingest_result *r)
{
	sqlite3_stmt *st;
	char         *norm = link_norm(it->link), *lkey = link_key(it->link, norm);
	char         *summary = NULL, *encl = NULL, *cats = NULL;
	int64_t       row = 0, hash = 0, article = 0;
	int           rc;

	rc = find_item(s, feed_id, it->ident, lkey, by_link, &row, &hash);
	if (rc < 0)
		goto out;
	if (rc == 0 && hash == (int64_t)it->content_hash) {
		st = store_stmt(s, ST_ITEM_SEEN, "UPDATE items SET last_seen = ?2 WHERE id = ?1");
		if (st == NULL) {
			rc = STORE_ERR;
			goto out;
		}
		sqlite3_bind_int64(st, 1, row);
		sqlite3_bind_int64(st, 2, now);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, "item seen");
		sqlite3_reset(st);
		r->unchanged++;
		goto out;
	}
	if (rc == 1 && has_tombs) {
		/* Unknown: a tombstone for its identity (or link key) keeps it out
		 * (has_tombs: the feed has tombstones; none are added while
		 * ingesting). */
		if ((rc = tombstoned(s, feed_id, it->ident, now)) == 0 && by_link)
			rc = tombstoned(s, feed_id, lkey, now);
		if (rc < 0)
			goto out;
		if (rc == 1) {
			r->tombstoned++;
			rc = 0;
			goto out;
		}
	}
	summary = plain_summary(it);
	encl = enclosures_json(it);
	cats = categories_json(it);
	if (row) {
		/* Known, and changed: update in place, read/starred untouched
		 * (the search index follows by the items_au trigger, or later
		 * for a row not indexed yet: see store_index.c). */
		st = store_stmt(s, ST_ITEM_UPDATE,
				"UPDATE items SET link_key = ?4, guid = ?5, url = ?6, title = ?7,"
				" author = ?8, published = ?9, updated = ?10, summary = ?11,"
				" content = ?12, content_type = ?13, enclosures = ?14,"
				" categories = ?15, content_hash = ?16, last_seen = ?2"
				" WHERE id = ?1");
		if (st == NULL) {
			rc = STORE_ERR;
			goto out;
		}
		sqlite3_bind_int64(st, 1, row);
		sqlite3_bind_int64(st, 2, now);
		bind_item(st, it, it->ident, lkey, summary, encl, cats, now);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, "item update");
		sqlite3_reset(st);
		r->updated++;
		goto out;
	}
	if ((rc = article_for(s, norm, full_text, now, &article)) < 0)
		goto out;
	st = store_stmt(s, ST_ITEM_INSERT,
			"INSERT INTO items(feed_id, ident, link_key, guid, url, title, author,"
			" published, updated, summary, content, content_type, enclosures,"
			" categories, content_hash, article_id, first_seen, last_seen)"
			" VALUES (?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
			" ?16, ?17, ?2, ?2)");
	if (st == NULL) {
		rc = STORE_ERR;
		goto out;
	}
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int64(st, 2, now);
	/* Keyed by link, a new row's identity is its link key: guids shared by
	 * items with different links must not make them collide. */
	bind_item(st, it, by_link && lkey ? lkey : it->ident, lkey, summary, encl, cats, now);
	if (article)
		sqlite3_bind_int64(st, 17, article);
	else
		sqlite3_bind_null(st, 17);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT || (rc & 0xFF) == SQLITE_CONSTRAINT) {
		/* In link mode, a new link whose identity is taken by another row:
		 * the same guid on another link.  Counted as a duplicate. */
		r->skipped++;
		rc = 0;
	} else if (rc != SQLITE_DONE) {
		rc = store_fail(s, "item insert");
	} else {
		r->new_items++;
		rc = 0;
	}
out:
	free(norm);
	free(lkey);
	free(summary);
	free(encl);
	free(cats);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Empty or repeated guids in more than UNRELIABLE_PCT% of the items. */
static int
guids_unreliable(const struct feed *f, char *why, size_t whysz)
{
	const char **ids;
	size_t       i, n = 0, empty = 0, dup = 0, withid = 0;

	if (f->nkept < 2)
		return 0;
	for (i = 0; i < f->nkept; i++)
		withid += f->items[i].id != NULL && f->items[i].id[0] != '\0';
	if (withid == 0)
		return 0; /* no guids at all: identities are links already */
	if ((ids = calloc(f->nkept, sizeof(*ids))) == NULL)
		return 0;
	for (i = 0; i < f->nkept; i++) {
		if (f->items[i].id == NULL || f->items[i].id[0] == '\0')
			empty++;
		else
			ids[n++] = f->items[i].id;
	}
	qsort(ids, n, sizeof(*ids), cmp_str);
	for (i = 1; i < n; i++)
		dup += strcmp(ids[i], ids[i - 1]) == 0;
	free(ids);
	if ((empty + dup) * 100 > UNRELIABLE_PCT * f->nkept) {
		snprintf(why, whysz, "%zu of %zu items with an empty or repeated guid", empty + dup,
			 f->nkept);
		return 1;
	}
	return 0;
}

/* Of the document's items whose link is known, how many came with a guid
 * the feed has not shown before: most of them means guids change on every
 * fetch. */
static int
guids_changing(struct store *s, int64_t feed_id, const struct feed *f, char *why, size_t whysz)
{
	size_t  i, known = 0, changed = 0;
	int64_t row, hash;

	for (i = 0; i < f->nkept; i++) {
		const struct feed_item *it = &f->items[i];
		char                   *norm, *lkey;

		if (it->ident[0] != 'g' || it->link == NULL || *it->link == '\0')
			continue;
		norm = link_norm(it->link);
		lkey = link_key(it->link, norm);
		free(norm);
		if (lkey == NULL)
			continue;
		if (find_item(s, feed_id, it->ident, lkey, 1, &row, &hash) == 0) {
			known++;
			changed += find_item(s, feed_id, it->ident, NULL, 0, &row, &hash) == 1;
		}
		free(lkey);
	}
	if (known >= 2 && changed * 2 > known) {
		snprintf(why, whysz, "guids changed on %zu of %zu known links in one fetch", changed,
			 known);
		return 1;
	}
	return 0;
}

int
store_ingest(struct store *s, int64_t feed_id, const struct feed *f, int64_t now,
	     struct ingest_result *r)
{
	sqlite3_stmt *st = NULL;
	char          why[160];
	int           rc, by_link = 0, full_text = 1, has_items = 0, has_tombs = 0;
	size_t        i;

	memset(r, 0, sizeof(*r));
	if ((rc = store_begin(s)) != 0)
		return rc;
	if ((st = store_stmt(s, ST_FEED_INFO, "SELECT key_mode = 'link', full_text,"
				      " EXISTS (SELECT 1 FROM items WHERE feed_id = ?1),"
				      " EXISTS (SELECT 1 FROM tombstones WHERE feed_id = ?1)"
				      " FROM feeds WHERE id = ?1")) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, feed_id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		if (rc == SQLITE_DONE) {
			snprintf(s->err, sizeof(s->err), "%s: no feed with id %lld", s->path,
				 (long long)feed_id);
			sqlite3_reset(st);
			store_rollback(s);
			return STORE_NOTFOUND;
		}
		goto fail;
	}
	by_link = sqlite3_column_int(st, 0);
	full_text = sqlite3_column_int(st, 1);
	has_items = sqlite3_column_int(st, 2);
	has_tombs = sqlite3_column_int(st, 3);
	sqlite3_reset(st);
	st = NULL;

	/* Guids cannot have changed on a feed without items yet. */
	if (!by_link && (guids_unreliable(f, why, sizeof(why)) ||
			 (has_items && guids_changing(s, feed_id, f, why, sizeof(why))))) {
		if ((st = store_stmt(s, ST_FEED_KEYSWITCH,
				     "UPDATE feeds SET key_mode = 'link', key_reason = ?2"
					      " WHERE id = ?1")) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, feed_id);
		sqlite3_bind_text(st, 2, why, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(st);
		st = NULL;
		by_link = 1;
		r->key_switched = 1;
	}
	for (i = 0; i < f->nkept; i++)
		if ((rc = ingest_item(s, feed_id, by_link, full_text, has_tombs, &f->items[i], now,
				      r)) < 0)
			goto out;
	/* New items are indexed for search later, many feeds at a time
	 * (store_index_pending). */

	if ((st = store_stmt(s, ST_FEED_DOC,
			       "UPDATE feeds SET title = coalesce(?2, title),"
			       " site_url = coalesce(?3, site_url), description = coalesce(?4, description),"
			       " ttl = ?5, skip_hours = ?6, skip_days = ?7, last_doc_at = ?8 WHERE id = ?1")) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, feed_id);
	store_bind_text(st, 2, f->title && *f->title ? f->title : NULL);
	store_bind_text(st, 3, f->link);
	store_bind_text(st, 4, f->description);
	if (f->ttl >= 0)
		sqlite3_bind_int(st, 5, f->ttl);
	sqlite3_bind_int64(st, 6, f->skip_hours);
	sqlite3_bind_int(st, 7, f->skip_days);
	sqlite3_bind_int64(st, 8, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_reset(st);
	st = NULL;
	/* Tombstones the feed has long stopped carrying are not needed. */
	if ((st = store_stmt(s, ST_TOMB_FORGET,
			     "DELETE FROM tombstones WHERE feed_id = ?1 AND last_seen < ?2")) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int64(st, 2, now - TOMBSTONE_FORGET);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_reset(st);
	return store_commit(s);
fail:
	rc = store_fail(s, "ingest");
out:
	sqlite3_reset(st);
	store_rollback(s);
	return rc;
}

/* Counts polls that end at the same permanent redirect target; moves the
 * feed once it has been seen STORE_MOVE_POLLS times in a row. */
static int
track_move(struct store *s, int64_t feed_id, const char *to, int *moved)
{
	sqlite3_stmt *st = NULL;

	if ((st = store_stmt(s, ST_MOVE_TRACK,
			       "UPDATE feeds SET moved_seen = CASE WHEN ?2 IS NOT NULL AND moved_to IS ?2"
			       " THEN moved_seen + 1 WHEN ?2 IS NOT NULL THEN 1 ELSE 0 END, moved_to = ?2"
			       " WHERE id = ?1")) == NULL)
		return store_fail(s, "redirect");
	sqlite3_bind_int64(st, 1, feed_id);
	store_bind_text(st, 2, to);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_reset(st);
	if (to == NULL)
		return 0;
	if ((st = store_stmt(s, ST_MOVE_APPLY,
			       "UPDATE OR IGNORE feeds SET url = moved_to, moved_to = NULL, moved_seen = 0"
			       " WHERE id = ?1 AND moved_seen >= ?2 AND NOT EXISTS"
			       " (SELECT 1 FROM feeds o WHERE o.url = feeds.moved_to)")) == NULL)
		return store_fail(s, "redirect");
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int(st, 2, STORE_MOVE_POLLS);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	*moved = sqlite3_changes(s->db) > 0;
	sqlite3_reset(st);
	return 0;
fail:
	sqlite3_reset(st);
	return store_fail(s, "redirect");
}

int
store_fetch_done(struct store *s, int64_t feed_id, int64_t now, const struct fetch_result *fr,
		 const struct ingest_result *ir, int *moved)
{
	sqlite3_stmt *st = NULL;
	int           rc, mv = 0;

	if (moved)
		*moved = 0;
	if ((rc = store_begin(s)) != 0)
		return rc;
	if ((rc = track_move(s, feed_id, fr->error ? NULL : fr->moved_to, &mv)) != 0) {
		store_rollback(s);
		return rc;
	}
	if (moved)
		*moved = mv;
	if (fr->error == NULL) {
		if ((st = store_stmt(s, ST_DONE_OK,
				       "UPDATE feeds SET last_poll = ?2, last_success = ?2,"
				       " last_status = ?3, last_error = NULL, error_count = 0,"
				       " etag = coalesce(?4, etag), last_modified = coalesce(?5, last_modified),"
				       " next_poll = ?6, disabled_reason = coalesce(?7, disabled_reason)"
				       " WHERE id = ?1")) == NULL)
			goto fail;
		store_bind_text(st, 4, fr->etag);
		store_bind_text(st, 5, fr->last_modified);
		store_bind_text(st, 7, fr->disable);
	} else {
		if ((st = store_stmt(s, ST_DONE_ERR,
				       "UPDATE feeds SET last_poll = ?2, last_status = ?3, last_error = ?4,"
				       " error_count = error_count + 1, next_poll = ?6,"
				       " disabled_reason = coalesce(?5, disabled_reason) WHERE id = ?1")) == NULL)
			goto fail;
		store_bind_text(st, 4, fr->error);
		store_bind_text(st, 5, fr->disable);
	}
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int64(st, 2, now);
	if (fr->http_status)
		sqlite3_bind_int(st, 3, fr->http_status);
	store_bind_time(st, 6, fr->next_poll);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_reset(st);
	if ((st = store_stmt(s, ST_LOG_ADD,
			       "INSERT INTO fetch_log(feed_id, at, http_status, error, new_items,"
			       " updated_items, bytes, duration_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int64(st, 2, now);
	if (fr->http_status)
		sqlite3_bind_int(st, 3, fr->http_status);
	store_bind_text(st, 4, fr->error);
	sqlite3_bind_int(st, 5, ir ? ir->new_items : 0);
	sqlite3_bind_int(st, 6, ir ? ir->updated : 0);
	sqlite3_bind_int64(st, 7, fr->bytes);
	sqlite3_bind_int64(st, 8, fr->duration_ms);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_reset(st);
	if ((st = store_stmt(s, ST_LOG_TRIM,
			       "DELETE FROM fetch_log WHERE feed_id = ?1 AND id NOT IN"
			       " (SELECT id FROM fetch_log WHERE feed_id = ?1 ORDER BY at DESC, id DESC"
			       "  LIMIT ?2)")) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int(st, 2, FETCH_LOG_KEEP);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_reset(st);
	return store_commit(s);
fail:
	rc = store_fail(s, "fetch result");
	sqlite3_reset(st);
	store_rollback(s);
	return rc;
}

/* Deletes the items in the temp table doomed, leaving tombstones. */
static int
bury(struct store *s, int64_t now, int64_t *deleted)
{
	sqlite3_stmt *st = NULL;

	/* The identity; and in a feed keyed by link, the link key it looks
	 * items up by (the row may predate the switch, with a guid identity). */
	if (sqlite3_prepare_v2(s->db,
			       "INSERT OR REPLACE INTO tombstones(feed_id, ident, deleted_at, last_seen)"
			       " SELECT feed_id, ident, ?1, ?1 FROM items WHERE id IN (SELECT id FROM doomed)"
			       " UNION SELECT i.feed_id, i.link_key, ?1, ?1 FROM items i"
			       "  JOIN feeds f ON f.id = i.feed_id WHERE i.id IN (SELECT id FROM doomed)"
			       "  AND i.link_key IS NOT NULL AND f.key_mode = 'link'",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "retention");
	sqlite3_bind_int64(st, 1, now);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return store_fail(s, "retention");
	}
	sqlite3_finalize(st);
	/* Articles that only doomed items point to go with them, but after
	 * the items: deleting an article first would fire the items' FTS
	 * triggers with its text already gone, and corrupt the index. */
	if (store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS doomed_articles(id INTEGER PRIMARY KEY);"
			  "DELETE FROM doomed_articles;"
			  "INSERT OR IGNORE INTO doomed_articles(id) SELECT article_id FROM items"
			  " WHERE id IN (SELECT id FROM doomed) AND article_id IS NOT NULL") != 0)
		return STORE_ERR;
	if (store_exec(s, "DELETE FROM items WHERE id IN (SELECT id FROM doomed)") != 0)
		return STORE_ERR;
	*deleted += sqlite3_changes(s->db);
	return store_exec(s, "DELETE FROM articles WHERE id IN (SELECT id FROM doomed_articles)"
			     " AND NOT EXISTS (SELECT 1 FROM items i WHERE i.article_id = articles.id);"
			     "DELETE FROM doomed; DELETE FROM doomed_articles");
}

/* Does any retention limit apply (to this feed, or to any feed)?  One
 * feed is looked up by id: "?1 = 0 OR id = ?1" scanned every feed for
 * every poll. */
static int
retention_applies(struct store *s, int64_t feed_id, int64_t max_age, int64_t max_items)
{
	sqlite3_stmt *st;
	int           yes = 1;

	st = feed_id ? store_stmt(s, ST_RETAIN_CHECK,
				  "SELECT EXISTS (SELECT 1 FROM feeds WHERE id = ?1"
				  " AND (coalesce(max_age, ?2) > 0 OR coalesce(max_items, ?3) > 0))")
		     : store_stmt(s, ST_RETAIN_CHECK_ALL,
				  "SELECT EXISTS (SELECT 1 FROM feeds WHERE ?1 = 0"
				  " AND (coalesce(max_age, ?2) > 0 OR coalesce(max_items, ?3) > 0))");
	if (st == NULL)
		return 1;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int64(st, 2, max_age);
	sqlite3_bind_int64(st, 3, max_items);
	if (sqlite3_step(st) == SQLITE_ROW)
		yes = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return yes;
}

int
store_retention(struct store *s, int64_t feed_id, int64_t now, int64_t max_age, int64_t max_items,
		int64_t *deleted)
{
	sqlite3_stmt *st = NULL;
	/* One feed: a plain "feed_id = ?1", which the indexes serve; "?1 = 0
	 * OR ..." would scan every item for every feed polled. */
	const char   *where = feed_id ? "i.feed_id = ?1" : "?1 = 0";
	char          sql[1024];
	int           rc;

	*deleted = 0;
	if (!retention_applies(s, feed_id, max_age, max_items))
		return 0; /* the common case: nothing configured, nothing to do */
	if ((rc = store_begin(s)) != 0)
		return rc;
	if (store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS doomed(id INTEGER PRIMARY KEY);"
			  "DELETE FROM doomed") != 0)
		goto out;
	/* Never: starred items, or items in the feed's current document. */
	snprintf(sql, sizeof(sql),
		 "INSERT OR IGNORE INTO doomed(id)"
		 " SELECT i.id FROM items i JOIN feeds f ON f.id = i.feed_id"
		 " WHERE %s AND NOT i.starred"
		 "  AND (f.last_doc_at IS NULL OR i.last_seen < f.last_doc_at)"
		 "  AND coalesce(f.max_age, ?3) > 0"
		 "  AND coalesce(i.published, i.first_seen) < ?2 - coalesce(f.max_age, ?3)", where);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, max_age);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	snprintf(sql, sizeof(sql),
		 "INSERT OR IGNORE INTO doomed(id)"
		 " SELECT id FROM (SELECT i.id, i.starred, i.last_seen, f.last_doc_at,"
		 "  row_number() OVER (PARTITION BY i.feed_id"
		 "   ORDER BY coalesce(i.published, i.first_seen) DESC, i.id DESC) AS n,"
		 "  coalesce(f.max_items, ?2) AS keep"
		 "  FROM items i JOIN feeds f ON f.id = i.feed_id"
		 "  WHERE %s AND coalesce(f.max_items, ?2) > 0)"
		 " WHERE n > keep AND NOT starred"
		 "  AND (last_doc_at IS NULL OR last_seen < last_doc_at)", where);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int64(st, 2, max_items);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = bury(s, now, deleted)) != 0)
		goto out;
	return store_commit(s);
fail:
	rc = store_fail(s, "retention");
out:
	sqlite3_finalize(st);
	store_rollback(s);
	return rc;
}

int
store_item_delete(struct store *s, int64_t item_id)
{
	sqlite3_stmt *st = NULL;
	int64_t       deleted = 0;
	int           rc;

	if ((rc = store_begin(s)) != 0)
		return rc;
	if (store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS doomed(id INTEGER PRIMARY KEY);"
			  "DELETE FROM doomed") != 0)
		goto out;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO doomed(id) SELECT id FROM items WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, item_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = bury(s, store_now(), &deleted)) != 0)
		goto out;
	if (deleted == 0) {
		store_rollback(s);
		snprintf(s->err, sizeof(s->err), "no item %lld", (long long)item_id);
		return STORE_NOTFOUND;
	}
	return store_commit(s);
fail:
	rc = store_fail(s, "delete item");
out:
	sqlite3_finalize(st);
	store_rollback(s);
	return rc;
}
