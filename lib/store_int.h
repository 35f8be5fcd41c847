/*
 * store_int.h: private to the store (store*.c).  The API is in gleaner.h.
 */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <sqlite3.h>

#include "gleaner.h"

#define STORE_APPLICATION_ID 0x474c4e52 /* "GLNR" */
#define STORE_BUSY_MS        5000
#define FETCH_LOG_KEEP       50
#define STORE_CACHE_KB       "8192" /* a writer's page cache, KiB */

struct store {
	sqlite3 *db;
	char     path[1024];
	char     err[1536];
	int      rdonly;
	int      in_tx;  /* transaction depth: 1 a transaction, more savepoints in it */
	int      begin_tries; /* BEGIN IMMEDIATE attempts, each up to the busy timeout */
	int      opened; /* fully open: checks passed */
	/* Statements kept for the life of the connection (hot paths). */
	sqlite3_stmt *st[32];
	/* SAVEPOINT, RELEASE and ROLLBACK TO for the first nesting levels:
	 * gleanerd runs a few per poll. */
	sqlite3_stmt *sp[3][8];
};

/* Indexes into store->st. */
enum {
	ST_ITEM_BY_IDENT, ST_ITEM_BY_LINK, ST_ITEM_INSERT, ST_ITEM_UPDATE, ST_ITEM_SEEN,
	ST_TOMB_CHECK, ST_TOMB_SEEN, ST_ARTICLE_GET, ST_ARTICLE_INSERT,
	/* once per poll (store_ingest, store_fetch_done, store_retention) */
	ST_FEED_INFO, ST_FEED_KEYSWITCH, ST_FEED_DOC, ST_TOMB_FORGET, ST_MOVE_TRACK, ST_MOVE_APPLY,
	ST_DONE_OK, ST_DONE_ERR, ST_LOG_ADD, ST_LOG_TRIM, ST_RETAIN_CHECK, ST_RETAIN_CHECK_ALL,
	/* once per configured feed at gleanerd's start (sync_config_feeds) */
	ST_FEED_UPDATE, ST_FEED_UNTAG, ST_FEED_CONFIG_FIND, ST_FEED_CONFIG_MARK, ST__COUNT
};

/* store_schema.c */
int store_schema_version(void);
const char *store_schema_sql(int version);
int store_migrate(sqlite3 *, int rdonly, int *was, char *err, size_t errsz);

/* store.c */
sqlite3_stmt *store_stmt(struct store *, int which, const char *sql);
int  store_fail(struct store *, const char *what); /* records sqlite's message; returns -1 */
int  store_exec(struct store *, const char *sql);
void store_bind_text(sqlite3_stmt *, int, const char *);
void store_bind_time(sqlite3_stmt *, int, int64_t);   /* DATE_NONE binds NULL */
char *store_col_dup(sqlite3_stmt *, int);
int64_t store_col_time(sqlite3_stmt *, int);            /* NULL gives DATE_NONE */

#endif
