/*
 * store_index.c: the search index, written behind the feed transactions.
 *
 * store_ingest() adds items without indexing them; store_index_pending()
 * indexes what was added since, many feeds at a time, in one statement
 * per batch.  FTS5 then writes one segment per batch, not one per feed,
 * and the feed transactions no longer pay for tokenizing (about half of
 * their cost, BENCHMARKS.md).  Searches lag new items until the next
 * batch: gleanerd runs one a few seconds after new items arrive, at the
 * end of --once and on shutdown; store_search() on a writable connection
 * runs one first.
 *
 * search_state.indexed is the high-water mark (schema v2, store_schema.c):
 * items at or below it are in the index, items above it are not, and the
 * update and delete triggers touch the index only for the former.
 */
#include "store_int.h"

/* The high-water mark, in *mark. */
static int
index_mark(struct store *s, int64_t *mark)
{
	sqlite3_stmt *st = NULL;
	int           rc;

	*mark = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT indexed FROM search_state", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "search index");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*mark = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		snprintf(s->err, sizeof(s->err), "%s: search index: no search_state row", s->path);
	else
		store_fail(s, "search index");
	return STORE_ERR;
}

int
store_index_lag(struct store *s, int64_t *pending)
{
	sqlite3_stmt *st = NULL;
	int           rc;

	*pending = 0;
	/* A range of rowids: counted without reading the rows' text. */
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM items"
				      " WHERE id > (SELECT indexed FROM search_state)", -1, &st, NULL) !=
	    SQLITE_OK)
		return store_fail(s, "search index");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*pending = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, "search index");
}

/*
 * Indexes the oldest `batch` items not indexed yet (all of them if batch
 * <= 0) in one transaction (a savepoint inside the caller's), and moves
 * the mark past them.  *indexed gets how many.  Returns 1 if more remain,
 * 0 if none, or a store_err.
 */
int
store_index_pending(struct store *s, int64_t batch, int64_t *indexed)
{
	sqlite3_stmt *st = NULL;
	int64_t       from, to = 0;
	int           rc, more = 0;

	*indexed = 0;
	if ((rc = store_begin(s)) != 0)
		return rc;
	if ((rc = index_mark(s, &from)) != 0)
		goto out;
	/* The batch's last id: the batch-th one above the mark. */
	if (sqlite3_prepare_v2(s->db, "SELECT max(id) FROM (SELECT id FROM items WHERE id > ?1"
				      " ORDER BY id LIMIT ?2)", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, batch > 0 ? batch : -1);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto fail;
	if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		sqlite3_finalize(st);
		return store_commit(s); /* nothing pending */
	}
	to = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->db, "INSERT INTO items_fts(rowid, title, summary, article)"
				      " SELECT i.id, i.title, i.summary, a.text FROM items i"
				      " LEFT JOIN articles a ON a.id = i.article_id"
				      " WHERE i.id > ?1 AND i.id <= ?2", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	*indexed = sqlite3_changes(s->db);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->db, "UPDATE search_state SET indexed = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, to);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->db, "SELECT EXISTS (SELECT 1 FROM items WHERE id > ?1)", -1, &st,
			       NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, to);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto fail;
	more = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if ((rc = store_commit(s)) != 0)
		return rc;
	return more;
fail:
	rc = store_fail(s, "search index");
out:
	sqlite3_finalize(st);
	store_rollback(s);
	*indexed = 0;
	return rc;
}

int
store_index_all(struct store *s, int64_t *indexed)
{
	int64_t n;
	int     rc;

	*indexed = 0;
	do {
		rc = store_index_pending(s, STORE_INDEX_BATCH, &n);
		if (rc >= 0)
			*indexed += n;
	} while (rc == 1);
	return rc;
}
