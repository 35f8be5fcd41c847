/* storetest.h: the store tests' fixture.  Each test gets a fresh mkdtemp
 * directory (removed afterwards); tdb_setup creates a database in it with
 * the store API and opens a second, raw connection for set-up and checks,
 * with foreign keys on as on the store's own.  Included by test_store*.c.
 * The functions are static inline so that a test that uses only some of
 * them (test_store_open.c: the directory) is not warned about the rest. */
#ifndef STORETEST_H
#define STORETEST_H

#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

#include <sqlite3.h>

#include "testutil.h"

/* Makes a fresh directory $TMPDIR/gleaner-test-NAME.XXXXXX (/tmp without
 * TMPDIR), writes its path to dir and that of a database in it to db.
 * 0, or -1. */
static inline int
tmpdir_make(char *dir, size_t dirsz, char *db, size_t dbsz, const char *name)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, dirsz, "%s/gleaner-test-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(db, dbsz, "%s/gleaner.db", dir);
	return 0;
}

/* Removes dir and what is in it: files (a database, its -wal and -shm) and
 * empty directories. */
static inline void
tmpdir_remove(const char *dir)
{
	DIR           *d = opendir(dir);
	struct dirent *e;
	char           p[512];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (rmdir(p) == -1)
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

struct tdb {
	char          dir[256];
	char          path[300];
	struct store *s;
	sqlite3      *raw; /* a second connection, for setup and checks */
};

static inline int
tdb_setup(void **state)
{
	struct tdb *t = calloc(1, sizeof(*t));
	char        err[512];

	if (t == NULL)
		return -1;
	if (tmpdir_make(t->dir, sizeof(t->dir), t->path, sizeof(t->path), "store") == -1) {
		free(t);
		return -1;
	}
	if (store_open(&t->s, t->path, STORE_CREATE, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "store_open: %s\n", err);
		tmpdir_remove(t->dir);
		free(t);
		return -1;
	}
	if (sqlite3_open(t->path, &t->raw) != SQLITE_OK) {
		store_close(t->s);
		tmpdir_remove(t->dir);
		free(t);
		return -1;
	}
	sqlite3_busy_timeout(t->raw, 5000);
	sqlite3_exec(t->raw, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	*state = t;
	return 0;
}

static inline int
tdb_teardown(void **state)
{
	struct tdb *t = *state;

	sqlite3_close(t->raw);
	store_close(t->s);
	tmpdir_remove(t->dir);
	free(t);
	return 0;
}

/* Runs SQL (printf-style, sqlite3_mprintf: %Q quotes) on the raw connection. */
static inline void
sql_exec(struct tdb *t, const char *fmt, ...)
{
	va_list ap;
	char   *sql, *msg = NULL;

	va_start(ap, fmt);
	sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (sqlite3_exec(t->raw, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
	sqlite3_free(sql);
}

/* The first column of the first row as an integer (NULL: INT64_MIN, no row: -1). */
static inline int64_t
q_int(struct tdb *t, const char *fmt, ...)
{
	va_list       ap;
	char         *sql;
	sqlite3_stmt *st;
	int64_t       v = -1;
	int           rc;

	va_start(ap, fmt);
	sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(t->raw, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(t->raw));
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		v = sqlite3_column_type(st, 0) == SQLITE_NULL ? INT64_MIN : sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		fail_msg("%s: %s", sql, sqlite3_errmsg(t->raw));
	sqlite3_finalize(st);
	sqlite3_free(sql);
	return v;
}

/* The first column of the first row as a string (caller frees; NULL if none). */
static inline char *
q_text(struct tdb *t, const char *fmt, ...)
{
	va_list       ap;
	char         *sql, *v = NULL;
	sqlite3_stmt *st;

	va_start(ap, fmt);
	sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(t->raw, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(t->raw));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_free(sql);
	return v;
}

#define assert_sql_str(t, expected, ...)                                                        \
	do {                                                                                    \
		char *v_ = q_text((t), __VA_ARGS__);                                            \
		if (v_ == NULL || strcmp(v_, (expected)) != 0) {                                \
			print_error("%s gives \"%s\", expected \"%s\"\n", #__VA_ARGS__,         \
				    v_ ? v_ : "(null)", (expected));                            \
			free(v_);                                                               \
			fail();                                                                 \
		}                                                                               \
		free(v_);                                                                       \
	} while (0)

#endif
