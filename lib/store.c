/*
 * store.c: opening the database, transactions, and the helpers the other
 * store files share.
 *
 * One writer (the daemon) and any number of readers (glean) at once: WAL
 * mode, so readers never block the writer nor the writer the readers; a
 * busy timeout for the moments two writers meet (glean's marks).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_int.h"

int64_t
store_now(void)
{
	return (int64_t)time(NULL);
}

const char *
store_errmsg(const struct store *s)
{
	return s->err;
}

int
store_fail(struct store *s, const char *what)
{
	int code = sqlite3_extended_errcode(s->db);

	snprintf(s->err, sizeof(s->err), "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
	if ((code & 0xFF) == SQLITE_BUSY || (code & 0xFF) == SQLITE_LOCKED)
		return STORE_BUSY;
	return STORE_ERR;
}

int
store_exec(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof(s->err), "%s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return (sqlite3_errcode(s->db) & 0xFF) == SQLITE_BUSY ? STORE_BUSY : STORE_ERR;
	}
	return 0;
}

/* A statement kept for the connection's life: prepared once, reset after
 * each use by the caller (an unreset statement pins the WAL). */
sqlite3_stmt *
store_stmt(struct store *s, int which, const char *sql)
{
	if (s->st[which] == NULL &&
	    sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st[which], NULL) !=
		    SQLITE_OK) {
		store_fail(s, "prepare");
		return NULL;
	}
	sqlite3_reset(s->st[which]);
	sqlite3_clear_bindings(s->st[which]);
	return s->st[which];
}

void
store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void
store_bind_time(sqlite3_stmt *st, int i, int64_t t)
{
	if (t == DATE_NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, t);
}

char *
store_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return v ? strdup((const char *)v) : NULL;
}

int64_t
store_col_time(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? DATE_NONE : sqlite3_column_int64(st, i);
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Reads the first bytes of the file through SQLite's own VFS, not with
 * open()/close(): closing any descriptor of a file drops every POSIX lock
 * the process holds on it, which would pull the locks from under another
 * connection of this process.  The unix VFS knows and defers the close.
 */
static int
read_header(const char *path, unsigned char *hdr, size_t *n)
{
	sqlite3_vfs  *vfs = sqlite3_vfs_find(NULL);
	sqlite3_file *f;
	char         *full;
	int           oflags = 0, rc;

	if (vfs == NULL || (full = sqlite3_malloc(vfs->mxPathname + 1)) == NULL)
		return -1;
	if (vfs->xFullPathname(vfs, path, vfs->mxPathname + 1, full) != SQLITE_OK ||
	    (f = sqlite3_malloc(vfs->szOsFile)) == NULL) {
		sqlite3_free(full);
		return -1;
	}
	memset(f, 0, (size_t)vfs->szOsFile);
	if (vfs->xOpen(vfs, full, f, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB, &oflags) != SQLITE_OK) {
		sqlite3_free(f);
		sqlite3_free(full);
		return -1;
	}
	rc = f->pMethods->xRead(f, hdr, 100, 0);
	*n = rc == SQLITE_OK ? 100 : 0; /* a short read zero-fills: "not SQLite" below */
	f->pMethods->xClose(f);
	sqlite3_free(f);
	sqlite3_free(full);
	return rc == SQLITE_OK || rc == SQLITE_IOERR_SHORT_READ ? 0 : -1;
}

/*
 * Reads the 100-byte database header before SQLite opens the file, so that
 * a file that is not ours (not SQLite, another application's database, a
 * newer Gleaner's) is refused without SQLite creating -wal or -shm files
 * beside it.  Returns 1 if the file does not exist, 0 to go on, -1 refused.
 */
static int
check_header(const char *path, char *err, size_t errsz)
{
	unsigned char hdr[100];
	size_t        n = 0;
	struct stat   sb;
	uint32_t      appid, version, cookie;

	if (stat(path, &sb) == -1)
		return errno == ENOENT ? 1 : (snprintf(err, errsz, "%s: %s", path, strerror(errno)), -1);
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file", path);
		return -1;
	}
	if (sb.st_size == 0)
		return 0;
	if (read_header(path, hdr, &n) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno ? errno : EIO));
		return -1;
	}
	if (n < sizeof(hdr) || memcmp(hdr, "SQLite format 3", 16) != 0) {
		snprintf(err, errsz, "%s: not an SQLite database (corrupt, or another kind of file); "
				     "it was left untouched", path);
		return -1;
	}
	{
		/* Sanity of the header itself: page size, payload fractions. */
		unsigned ps = (unsigned)hdr[16] << 8 | hdr[17];

		if (!(ps == 1 || (ps >= 512 && (ps & (ps - 1)) == 0)) || hdr[21] != 64 ||
		    hdr[22] != 32 || hdr[23] != 32 || (hdr[18] != 1 && hdr[18] != 2)) {
			snprintf(err, errsz, "%s: corrupt database (its header is damaged); it was left "
					     "untouched", path);
			return -1;
		}
	}
	cookie = be32(hdr + 40);
	version = be32(hdr + 60);
	appid = be32(hdr + 68);
	/* Another application's: a schema that was never ours.  In rollback
	 * mode SQLite can tell an emptied database apart without writing; in
	 * WAL mode reading would create -shm, so the header decides. */
	if (appid != STORE_APPLICATION_ID && appid != 0) {
		snprintf(err, errsz, "%s: not a Gleaner database (another application's SQLite file); "
				     "it was left untouched", path);
		return -1;
	}
	if (appid == 0 && cookie != 0 && hdr[18] == 2) {
		snprintf(err, errsz, "%s: not a Gleaner database (an SQLite file in WAL mode with a "
				     "schema of its own); it was left untouched", path);
		return -1;
	}
	if (appid == STORE_APPLICATION_ID && version > (uint32_t)store_schema_version()) {
		snprintf(err, errsz, "%s: database schema version %u is newer than this Gleaner (%d): "
				     "upgrade Gleaner; the database was left untouched",
			 path, version, store_schema_version());
		return -1;
	}
	return 0;
}

/* Removes the -wal and -shm files a refused open created (an empty WAL
 * means nothing was written), so a refused file is left as it was found. */
static void
undo_side_files(const char *path, int had_wal, int had_shm)
{
	char        p[1100];
	struct stat sb;

	snprintf(p, sizeof(p), "%s-wal", path);
	if (!had_wal && stat(p, &sb) == 0 && sb.st_size == 0)
		unlink(p);
	else if (!had_wal)
		return; /* something was written: keep it, SQLite needs it */
	snprintf(p, sizeof(p), "%s-shm", path);
	if (!had_shm)
		unlink(p);
}

static int
side_exists(const char *path, const char *suffix)
{
	char        p[1100];
	struct stat sb;

	snprintf(p, sizeof(p), "%s%s", path, suffix);
	return stat(p, &sb) == 0;
}

int
store_open(struct store **out, const char *path, int flags, char *err, size_t errsz)
{
	struct store *s;
	int           oflags, was, missing, had_wal, had_shm;
	char          msg[512];

	*out = NULL;
	if ((missing = check_header(path, err, errsz)) == -1)
		return STORE_ERR;
	if (missing && !(flags & STORE_CREATE)) {
		snprintf(err, errsz, "%s: no database there (gleanerd or 'glean add' creates it)", path);
		return STORE_NOTFOUND;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return STORE_ERR;
	}
	had_wal = side_exists(path, "-wal");
	had_shm = side_exists(path, "-shm");
	strlcpy_g(s->path, path, sizeof(s->path));
	s->rdonly = (flags & STORE_RDONLY) != 0;
	oflags = s->rdonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (flags & STORE_CREATE)
		oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
		goto err;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	s->begin_tries = 3;
	/* Check what the file is before anything writes to it. */
	if (store_migrate(s->db, s->rdonly, &was, msg, sizeof(msg)) == -1) {
		if (strstr(msg, "not a database") || strstr(msg, "malformed"))
			snprintf(err, errsz, "%s: corrupt database (%s); it was left untouched", path,
				 sqlite3_errmsg(s->db));
		else
			snprintf(err, errsz, "%s: %s", path, msg);
		goto err;
	}
	if (!s->rdonly && store_exec(s, "PRAGMA journal_mode = WAL") != 0) {
		snprintf(err, errsz, "%s", s->err);
		goto err;
	}
	if (!s->rdonly) {
		/* Keep -wal and -shm after the writer closes: a reader that may
		 * not create files in the database's folder (the service's
		 * state directory) needs them to exist. */
		int persist = 1;

		sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
		/* A writer's page cache holds what a batch of polls dirties
		 * (gleanerd commits many polls at once) and the upper levels of
		 * the indexes they write to; at SQLite's default of 2 MB the
		 * pages were read again from the file and the WAL, over and
		 * over (a cold poll of 5,000 feeds: 1.4 million preads; 86,000
		 * at 8 MB, 63,000 at 16 MB).  Allocated as used. */
		if (store_exec(s, "PRAGMA cache_size = -" STORE_CACHE_KB) != 0) {
			snprintf(err, errsz, "%s", s->err);
			goto err;
		}
	}
	if (store_exec(s, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
			  "PRAGMA temp_store = MEMORY; PRAGMA journal_size_limit = 4194304") != 0) {
		snprintf(err, errsz, "%s", s->err);
		goto err;
	}
	s->opened = 1;
	*out = s;
	return STORE_OK;
err:
	store_close(s);
	undo_side_files(path, had_wal, had_shm);
	return STORE_ERR;
}

void
store_close(struct store *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < sizeof(s->st) / sizeof(s->st[0]); i++)
		sqlite3_finalize(s->st[i]);
	for (i = 0; i < 3 * 8; i++)
		sqlite3_finalize(s->sp[i / 8][i % 8]); /* sp[3][8] */
	if (s->db) {
		if (!s->rdonly && s->opened) /* never on a refused file */
			sqlite3_exec(s->db, "PRAGMA optimize", NULL, NULL, NULL);
		sqlite3_close_v2(s->db);
	}
	free(s);
}

enum { SP_BEGIN, SP_RELEASE, SP_ROLLBACK };

/* Runs SAVEPOINT, RELEASE or ROLLBACK TO for savepoint tx<n>, prepared
 * once per connection for the first levels (sqlite3_exec would compile
 * it every time). */
static int
savepoint(struct store *s, int kind, int n)
{
	static const char *const fmt[] = {"SAVEPOINT tx%d", "RELEASE tx%d", "ROLLBACK TO tx%d"};
	char                     sql[32];
	sqlite3_stmt            *st;
	int                      rc;

	snprintf(sql, sizeof(sql), fmt[kind], n);
	if (n < 0 || n >= 8)
		return store_exec(s, sql);
	if ((st = s->sp[kind][n]) == NULL) {
		if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->sp[kind][n],
				       NULL) != SQLITE_OK)
			return store_fail(s, "savepoint");
		st = s->sp[kind][n];
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "savepoint");
}

/* BEGIN IMMEDIATE takes the write lock up front: a deferred transaction
 * that upgrades later can get SQLITE_BUSY without the busy handler.
 * Transactions nest: inside one, begin/commit/rollback are a savepoint, so
 * the daemon can store a poll's items, outcome and retention in one
 * commit while each step still undoes only itself on error. */
void
store_set_busy(struct store *s, int ms, int tries)
{
	sqlite3_busy_timeout(s->db, ms < 0 ? STORE_BUSY_MS : ms);
	s->begin_tries = ms < 0 ? 3 : (tries > 0 ? tries : 1);
}

int
store_begin(struct store *s)
{
	int rc = STORE_BUSY, tries;

	if (s->in_tx > 0) {
		if ((rc = savepoint(s, SP_BEGIN, s->in_tx)) == 0)
			s->in_tx++;
		return rc;
	}
	for (tries = 0; tries < s->begin_tries; tries++) {
		if ((rc = store_exec(s, "BEGIN IMMEDIATE")) == 0) {
			s->in_tx = 1;
			return 0;
		}
		if (rc != STORE_BUSY)
			break;
	}
	return rc;
}

int
store_commit(struct store *s)
{
	int rc;

	if (s->in_tx > 1) {
		if ((rc = savepoint(s, SP_RELEASE, s->in_tx - 1)) != 0)
			store_rollback(s);
		else
			s->in_tx--;
		return rc;
	}
	rc = store_exec(s, "COMMIT");
	if (rc != 0)
		store_rollback(s);
	s->in_tx = 0;
	return rc;
}

void
store_rollback(struct store *s)
{
	if (s->in_tx > 1) {
		char why[sizeof(s->err)]; /* the error that led here, not the undoing's */

		memcpy(why, s->err, sizeof(why));
		if (savepoint(s, SP_ROLLBACK, s->in_tx - 1) == 0)
			savepoint(s, SP_RELEASE, s->in_tx - 1);
		memcpy(s->err, why, sizeof(why));
		s->in_tx--;
		return;
	}
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
}

/* Feeds from the configuration remember the URL the configuration gives
 * them (in settings.config_url), so that a feed a permanent redirect moved
 * is still the configuration's feed, not a stranger to remove. */
int
store_feed_config_find(struct store *s, const char *config_url, int64_t *id)
{
	sqlite3_stmt *st = NULL;
	int           rc;

	/* Both halves use an index: feeds_config_url (the same expression,
	 * the same WHERE) and url's UNIQUE index. */
	if ((st = store_stmt(s, ST_FEED_CONFIG_FIND,
			     "SELECT id FROM feeds WHERE settings IS NOT NULL AND"
			     " json_extract(settings, '$.config_url') = ?1"
			     " UNION ALL SELECT id FROM feeds WHERE url = ?1 LIMIT 1")) == NULL)
		return store_fail(s, "find feed");
	sqlite3_bind_text(st, 1, config_url, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? STORE_NOTFOUND : store_fail(s, "find feed");
}

int
store_feed_config_mark(struct store *s, int64_t id, const char *config_url)
{
	sqlite3_stmt *st = NULL;
	int           rc;

	if ((st = store_stmt(s, ST_FEED_CONFIG_MARK,
			     "UPDATE feeds SET settings = json_set(coalesce(settings, '{}'),"
			     " '$.config_url', ?2) WHERE id = ?1")) == NULL)
		return store_fail(s, "feed settings");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, config_url, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, "feed settings");
	sqlite3_reset(st);
	return rc;
}

char *
store_feed_config_url(struct store *s, int64_t id)
{
	sqlite3_stmt *st = NULL;
	char         *u = NULL;

	if (sqlite3_prepare_v2(s->db, "SELECT json_extract(settings, '$.config_url') FROM feeds"
				      " WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		u = store_col_dup(st, 0);
	sqlite3_finalize(st);
	return u;
}
