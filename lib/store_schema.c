/*
 * store_schema.c: the database schema and its migrations.
 *
 * A Gleaner database is recognized by PRAGMA application_id; the schema
 * version is PRAGMA user_version.  Migration N takes version N-1 to N, in
 * one transaction.  A database from a newer Gleaner is refused, and a file
 * that is not ours is never written to.
 */
#include "store_int.h"

/* Version 1. */
static const char schema_v1[] =
	/* Feeds: the subscription, its HTTP validators, schedule and health. */
	"CREATE TABLE feeds ("
	" id INTEGER PRIMARY KEY,"
	" url TEXT NOT NULL UNIQUE,"
	" title TEXT,"                 /* as the feed names itself */
	" user_title TEXT,"            /* as the user named it: wins */
	" site_url TEXT,"
	" description TEXT,"
	" source TEXT NOT NULL DEFAULT 'db' CHECK (source IN ('db','config')),"
	" interval INTEGER,"           /* seconds; NULL: the global default */
	" full_text INTEGER NOT NULL DEFAULT 1,"
	" settings TEXT,"              /* JSON: headers, auth, user_agent, proxy... */
	" etag TEXT, last_modified TEXT,"
	" key_mode TEXT NOT NULL DEFAULT 'guid' CHECK (key_mode IN ('guid','link')),"
	" key_reason TEXT,"            /* why the feed is keyed by link */
	" added_at INTEGER NOT NULL,"
	" last_poll INTEGER, last_success INTEGER, last_status INTEGER, last_error TEXT,"
	" error_count INTEGER NOT NULL DEFAULT 0,"
	" next_poll INTEGER,"
	" disabled_reason TEXT,"
	" ttl INTEGER, skip_hours INTEGER NOT NULL DEFAULT 0, skip_days INTEGER NOT NULL DEFAULT 0,"
	" max_age INTEGER, max_items INTEGER,"   /* retention overrides */
	" last_doc_at INTEGER,"        /* when the current document was ingested */
	" moved_to TEXT, moved_seen INTEGER NOT NULL DEFAULT 0" /* a 301/308 target, polls in a row */
	");"
	"CREATE INDEX feeds_config_url ON feeds(json_extract(settings, '$.config_url'))"
	" WHERE settings IS NOT NULL;"
	"CREATE TABLE feed_tags ("
	" feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	" tag TEXT NOT NULL,"
	" PRIMARY KEY (feed_id, tag)) WITHOUT ROWID;"
	"CREATE INDEX feed_tags_tag ON feed_tags(tag);"

	/* Article bodies, one per normalized URL, shared by every item that
	 * points to it. */
	"CREATE TABLE articles ("
	" id INTEGER PRIMARY KEY,"
	" url TEXT NOT NULL UNIQUE,"   /* normalized: no fragment, no tracking parameters */
	" final_url TEXT,"
	" status TEXT NOT NULL DEFAULT 'pending',"
	" http_status INTEGER,"
	" title TEXT, byline TEXT, site_name TEXT, published INTEGER, lang TEXT,"
	" excerpt TEXT, lead_image TEXT, word_count INTEGER,"
	" html TEXT, text TEXT,"
	" attempts INTEGER NOT NULL DEFAULT 0, next_attempt INTEGER, fetched_at INTEGER, error TEXT"
	");"
	"CREATE INDEX articles_pending ON articles(status, next_attempt);"

	/* Items, unique per feed by their identity (see store_ingest.c). */
	"CREATE TABLE items ("
	" id INTEGER PRIMARY KEY,"
	" feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	" ident TEXT NOT NULL,"        /* the parser's identity: g:, l: or h: */
	" link_key TEXT,"              /* l: identity, used when the feed is keyed by link */
	" guid TEXT, url TEXT, title TEXT, author TEXT,"
	" published INTEGER, updated INTEGER,"
	" summary TEXT,"               /* plain text */
	" content TEXT, content_type INTEGER NOT NULL DEFAULT 0,"
	" enclosures TEXT, categories TEXT," /* JSON arrays */
	" content_hash INTEGER NOT NULL,"
	" article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,"
	" first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
	" read INTEGER NOT NULL DEFAULT 0, starred INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE (feed_id, ident));"
	"CREATE INDEX items_feed_link ON items(feed_id, link_key);"
	"CREATE INDEX items_unread ON items(read, first_seen DESC);"
	"CREATE INDEX items_feed_time ON items(feed_id, first_seen DESC);"
	"CREATE INDEX items_article ON items(article_id);"
	"CREATE INDEX items_starred ON items(starred) WHERE starred;"
	"CREATE INDEX items_feed_unread ON items(feed_id) WHERE read = 0;"

	/* A deleted item leaves its identity, so that it never returns while
	 * the feed still carries it. */
	"CREATE TABLE tombstones ("
	" feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	" ident TEXT NOT NULL,"
	" deleted_at INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
	" PRIMARY KEY (feed_id, ident)) WITHOUT ROWID;"

	/* Fetch history, the last FETCH_LOG_KEEP per feed. */
	"CREATE TABLE fetch_log ("
	" id INTEGER PRIMARY KEY,"
	" feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	" at INTEGER NOT NULL, http_status INTEGER, error TEXT,"
	" new_items INTEGER, updated_items INTEGER, bytes INTEGER, duration_ms INTEGER);"
	"CREATE INDEX fetch_log_feed ON fetch_log(feed_id, at);"

	/* Full-text search over title, summary and article text.  External
	 * content (the view), kept in step by store_ingest() and the triggers
	 * below, so that snippets and highlights can read the text without a
	 * second copy. */
	"CREATE VIEW items_fts_src AS"
	" SELECT i.id AS id, i.title AS title, i.summary AS summary, a.text AS article"
	" FROM items i LEFT JOIN articles a ON a.id = i.article_id;"
	"CREATE VIRTUAL TABLE items_fts USING fts5(title, summary, article,"
	" content='items_fts_src', content_rowid='id',"
	" tokenize='unicode61 remove_diacritics 2');"
	/* FTS5 merges segments 8 at a time rather than 4: less rewriting of
	 * the index as feeds add a segment each (+19% ingest at 200,000
	 * items), a few more segments for a search to read. */
	"INSERT INTO items_fts(items_fts, rank) VALUES ('automerge', 8);"
	/* No insert trigger: store_ingest() indexes a feed's new items with
	 * one statement at the end of its transaction (a trigger made FTS5
	 * write its index one row at a time).  Version 2 replaces this. */
	"CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN"
	" INSERT INTO items_fts(items_fts, rowid, title, summary, article) VALUES ('delete',"
	"  old.id, old.title, old.summary, (SELECT text FROM articles WHERE id = old.article_id));"
	" END;"
	"CREATE TRIGGER items_au AFTER UPDATE OF title, summary, article_id ON items BEGIN"
	" INSERT INTO items_fts(items_fts, rowid, title, summary, article) VALUES ('delete',"
	"  old.id, old.title, old.summary, (SELECT text FROM articles WHERE id = old.article_id));"
	" INSERT INTO items_fts(rowid, title, summary, article) VALUES (new.id, new.title,"
	"  new.summary, (SELECT text FROM articles WHERE id = new.article_id));"
	" END;"
	"CREATE TRIGGER articles_au AFTER UPDATE OF text ON articles BEGIN"
	" INSERT INTO items_fts(items_fts, rowid, title, summary, article)"
	"  SELECT 'delete', id, title, summary, old.text FROM items WHERE article_id = old.id;"
	" INSERT INTO items_fts(rowid, title, summary, article)"
	"  SELECT id, title, summary, new.text FROM items WHERE article_id = new.id;"
	" END;"
	/* An article row going away: its items' article_id becomes NULL by the
	 * foreign key, which fires items_au. */
	;

/*
 * Version 2: the search index is written outside the feed transactions.
 * store_ingest() no longer indexes the rows it adds; store_index_pending()
 * indexes them later, in batches of many feeds (one FTS5 segment for a
 * batch instead of one per feed: most of what a feed transaction cost).
 * search_state.indexed is the high-water mark: every item with an id at
 * or below it is in items_fts, none above it is.  The update and delete
 * triggers touch the index only for rows at or below the mark: an FTS5
 * 'delete' for text never inserted corrupts an external-content index.
 * An insert at or below the mark (SQLite reuses the largest rowid once
 * that row is deleted) is indexed at once by items_ai_reused, so the
 * invariant holds for any writer.  The content view FTS5 reads (for
 * snippets, 'rebuild' and 'integrity-check') shows only the indexed rows.
 * A v1 database is fully indexed: its mark starts at its largest id.
 */
static const char schema_v2[] =
	"CREATE TABLE search_state ("
	" id INTEGER PRIMARY KEY CHECK (id = 1),"
	" indexed INTEGER NOT NULL);" /* items.id at or below: in items_fts */
	"INSERT INTO search_state(id, indexed) SELECT 1, coalesce(max(id), 0) FROM items;"
	/* A batch's terms are gathered in memory up to 4 MiB (default 1)
	 * before FTS5 writes them out as a segment: fewer, larger segments
	 * to merge (-15 to -25% CPU indexing batches of 10,000 items). */
	"INSERT INTO items_fts(items_fts, rank) VALUES ('hashsize', 4194304);"
	/* The content FTS5 sees is what is indexed: its integrity-check and
	 * 'rebuild' then agree with the index while items wait. */
	"DROP VIEW items_fts_src;"
	"CREATE VIEW items_fts_src AS"
	" SELECT i.id AS id, i.title AS title, i.summary AS summary, a.text AS article"
	" FROM items i LEFT JOIN articles a ON a.id = i.article_id"
	" WHERE i.id <= (SELECT indexed FROM search_state);"
	"DROP TRIGGER items_ad;"
	"DROP TRIGGER items_au;"
	"DROP TRIGGER articles_au;"
	"CREATE TRIGGER items_ai_reused AFTER INSERT ON items"
	" WHEN new.id <= (SELECT indexed FROM search_state) BEGIN"
	" INSERT INTO items_fts(rowid, title, summary, article) VALUES (new.id, new.title,"
	"  new.summary, (SELECT text FROM articles WHERE id = new.article_id));"
	" END;"
	"CREATE TRIGGER items_ad AFTER DELETE ON items"
	" WHEN old.id <= (SELECT indexed FROM search_state) BEGIN"
	" INSERT INTO items_fts(items_fts, rowid, title, summary, article) VALUES ('delete',"
	"  old.id, old.title, old.summary, (SELECT text FROM articles WHERE id = old.article_id));"
	" END;"
	"CREATE TRIGGER items_au AFTER UPDATE OF title, summary, article_id ON items"
	" WHEN old.id <= (SELECT indexed FROM search_state) BEGIN"
	" INSERT INTO items_fts(items_fts, rowid, title, summary, article) VALUES ('delete',"
	"  old.id, old.title, old.summary, (SELECT text FROM articles WHERE id = old.article_id));"
	" INSERT INTO items_fts(rowid, title, summary, article) VALUES (new.id, new.title,"
	"  new.summary, (SELECT text FROM articles WHERE id = new.article_id));"
	" END;"
	"CREATE TRIGGER articles_au AFTER UPDATE OF text ON articles BEGIN"
	" INSERT INTO items_fts(items_fts, rowid, title, summary, article)"
	"  SELECT 'delete', id, title, summary, old.text FROM items WHERE article_id = old.id"
	"  AND id <= (SELECT indexed FROM search_state);"
	" INSERT INTO items_fts(rowid, title, summary, article)"
	"  SELECT id, title, summary, new.text FROM items WHERE article_id = new.id"
	"  AND id <= (SELECT indexed FROM search_state);"
	" END;";

/* v3: the article queue looks an article up by its final or canonical URL
 * (store_article.c) on every fetch; without an index that was a scan of
 * the articles table. */
static const char schema_v3[] = "CREATE INDEX articles_final_url ON articles(final_url);";

static const char *const migrations[] = {
	schema_v1,
	schema_v2,
	schema_v3,
};

#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

int
store_schema_version(void)
{
	return SCHEMA_VERSION;
}

/* The SQL of migration `version` (1: the first schema), NULL if none: for
 * tests that build a database as an older Gleaner left it. */
const char *
store_schema_sql(int version)
{
	return version >= 1 && version <= SCHEMA_VERSION ? migrations[version - 1] : NULL;
}

/*
 * Brings the schema of db up to date.  *was gets the version found.
 * Returns 0, or -1 with a message in err.  Never writes to a database that
 * is not Gleaner's or is newer.
 */
int
store_migrate(sqlite3 *db, int rdonly, int *was, char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	int           appid = 0, ver = 0, ntables = 0, i;
	char         *msg = NULL;

	if (sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		goto sqlerr;
	appid = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		goto sqlerr;
	ver = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		goto sqlerr;
	ntables = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	*was = ver;

	if (appid != STORE_APPLICATION_ID && (appid != 0 || ntables != 0)) {
		snprintf(err, errsz, "not a Gleaner database (application_id %d, %d schema objects); "
				     "it was left untouched", appid, ntables);
		return -1;
	}
	if (ver > SCHEMA_VERSION) {
		snprintf(err, errsz, "database schema version %d is newer than this Gleaner (%d): "
				     "upgrade Gleaner; the database was left untouched", ver, SCHEMA_VERSION);
		return -1;
	}
	if (ver == SCHEMA_VERSION)
		return 0;
	if (rdonly) {
		snprintf(err, errsz, ver == 0 ? "not a Gleaner database yet (empty); run gleanerd or "
						"'glean add' to create it"
					      : "database schema version %d needs an upgrade to %d, "
						"which a read-only open cannot do", ver, SCHEMA_VERSION);
		return -1;
	}
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK)
		goto execerr;
	for (i = ver; i < SCHEMA_VERSION; i++) {
		char pragma[96];

		if (sqlite3_exec(db, migrations[i], NULL, NULL, &msg) != SQLITE_OK)
			goto rollback;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d; PRAGMA application_id = %d",
			 i + 1, STORE_APPLICATION_ID);
		if (sqlite3_exec(db, pragma, NULL, NULL, &msg) != SQLITE_OK)
			goto rollback;
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK)
		goto rollback;
	return 0;
rollback:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
execerr:
	snprintf(err, errsz, "schema migration from version %d failed: %s", ver,
		 msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
sqlerr:
	snprintf(err, errsz, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return -1;
}
