/*
 * store_article.c: the article queue (what the daemon fetches next), the
 * results of those fetches, and the dedupe of articles by their aliases.
 *
 * One row per normalized URL (store_ingest.c adds them for new items of
 * feeds with full text on).  A fetch can show that two rows are one page:
 * the redirect target or the page's canonical URL (<link rel=canonical>,
 * else og:url) of one is the URL or alias of the other.  The rows are then
 * merged: items move to the older row, which keeps an extracted body it
 * has or takes the new result, and the newer row goes.  final_url holds
 * the alias (canonical, else the URL after redirects, normalized), so a
 * later item linking to it joins the article without a fetch.
 *
 * The full-text index follows by the schema's triggers: a changed article
 * text re-indexes its items (articles_au), a moved item is re-indexed
 * with its new article (items_au); the dropped row has no items left when
 * it goes, so nothing in the index refers to it.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define RETRY_FIRST (10 * 60)
#define RETRY_CAP (24 * 3600)
#define RETRY_4XX (24 * 3600)
#define DUE_STATUSES "('pending', 'http_error', 'timeout', 'error')"

static const char *const status_names[] = {
    [ART_PENDING] = "pending",	 [ART_EXTRACTED] = "extracted", [ART_HTTP_ERROR] = "http_error",
    [ART_NOT_HTML] = "not_html", [ART_TOO_LARGE] = "too_large", [ART_TIMEOUT] = "timeout",
    [ART_EMPTY] = "empty",	 [ART_ERROR] = "error",
};

const char *
article_status_name(int status)
{
	if (status < 0 || status >= (int)(sizeof(status_names) / sizeof(status_names[0])))
		return "error";
	return status_names[status];
}

int
article_status_parse(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (!strcmp(name, status_names[i]))
			return (int)i;
	return -1;
}

static sqlite3_stmt *
prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, "articles");
		return NULL;
	}
	return st;
}

/* Runs a statement with one or two integer parameters to its end. */
static int
run2(struct store *s, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st = prepare(s, sql);
	int	      rc;

	if (st == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, b);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, "articles");
	sqlite3_finalize(st);
	return rc;
}

int
store_articles_due(struct store *s, int64_t now, int64_t limit,
		   int (*cb)(void *, const struct store_article_job *), void *ud, int64_t *next)
{
	/* The newest item's feed comes with max() (SQLite takes bare columns
	 * from the row that gave the maximum). */
	sqlite3_stmt *st;
	int	      rc;

	if (next)
		*next = DATE_NONE;
	st = prepare(s, "SELECT a.id, a.url, a.attempts, f.id, f.url,"
			" max(coalesce(i.published, i.first_seen)) AS t"
			" FROM articles a JOIN items i ON i.article_id = a.id"
			" JOIN feeds f ON f.id = i.feed_id AND f.full_text"
			" WHERE a.status IN " DUE_STATUSES " AND a.next_attempt <= ?1"
			" GROUP BY a.id ORDER BY t DESC, a.id LIMIT ?2");
	if (st == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_article_job j;

		j.id = sqlite3_column_int64(st, 0);
		j.url = (const char *)sqlite3_column_text(st, 1);
		j.attempts = sqlite3_column_int(st, 2);
		j.feed_id = sqlite3_column_int64(st, 3);
		j.feed_url = (const char *)sqlite3_column_text(st, 4);
		if (cb(ud, &j) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : store_fail(s, "due articles");
	sqlite3_finalize(st);
	if (rc != 0 || next == NULL)
		return rc;
	st = prepare(s, "SELECT min(a.next_attempt) FROM articles a"
			" WHERE a.status IN " DUE_STATUSES " AND a.next_attempt > ?1"
			" AND EXISTS (SELECT 1 FROM items i JOIN feeds f ON f.id = i.feed_id"
			" WHERE i.article_id = a.id AND f.full_text)");
	if (st == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, now);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*next = store_col_time(st, 0);
		rc = 0;
	} else {
		rc = store_fail(s, "due articles");
	}
	sqlite3_finalize(st);
	return rc;
}

int64_t
store_article_backoff(const struct article_fetch *r, int attempts)
{
	int64_t wait;
	int	h = r->http_status;

	switch (r->status) {
	case ART_HTTP_ERROR:
		if (h >= 500 || h == 408 || h == 429)
			break;
		/* Gone or forbidden: seldom worth asking again, but a page
		 * published before its link sometimes answers 404 at first. */
		return attempts < ARTICLE_MAX_4XX ? RETRY_4XX : -1;
	case ART_TIMEOUT:
		break;
	case ART_ERROR:
		if (r->permanent)
			return -1;
		break;
	default:
		return -1;
	}
	if (attempts >= ARTICLE_MAX_ATTEMPTS)
		return -1;
	wait = RETRY_FIRST;
	while (--attempts > 0 && wait < RETRY_CAP)
		wait *= 2;
	if (wait > RETRY_CAP)
		wait = RETRY_CAP;
	if (r->retry_after > wait)
		wait = r->retry_after > 7 * 86400 ? 7 * 86400 : r->retry_after;
	return wait;
}

/* Another article whose URL or alias is one of keys: 0 and *other set, 1
 * if none. */
static int
find_alias(struct store *s, int64_t id, char *const keys[2], int64_t *other)
{
	sqlite3_stmt *st;
	int	      rc, i;

	/* url is UNIQUE and final_url indexed (schema v3): two index lookups. */
	st = prepare(s, "SELECT id FROM articles WHERE id <> ?1 AND (url IN (?2, ?3)"
			" OR final_url IN (?2, ?3)) ORDER BY url IN (?2, ?3) DESC, id LIMIT 1");
	if (st == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	for (i = 0; i < 2; i++)
		store_bind_text(st, 2 + i, keys[i] ? keys[i] : keys[0]);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*other = sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? 1 : store_fail(s, "article aliases");
	}
	sqlite3_finalize(st);
	return rc;
}

static void
bind_opt_int(sqlite3_stmt *st, int i, int64_t v, int64_t none)
{
	if (v == none)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

/* The path of an absolute URL ("" if none). */
static const char *
url_path(const char *u)
{
	const char *p = strstr(u, "://");

	if (p == NULL)
		return "";
	p = strchr(p + 3, '/');
	return p ? p : "";
}

/* Is canonical the root of its site while the page is not?  Some sites
 * name their home page as every page's canonical URL: taken at its word,
 * that would merge all their articles into one. */
static int
site_root(const char *canonical, const char *page)
{
	const char *p = url_path(canonical);

	if (*p != '\0' && strcmp(p, "/") != 0 && p[1] != '?')
		return 0;
	p = page ? url_path(page) : "";
	return *p != '\0' && strcmp(p, "/") != 0;
}

/* Writes a fetch's outcome into row id. */
static int
write_result(struct store *s, int64_t id, int64_t now, const struct article_fetch *r,
	     const char *alias, int attempts)
{
	const struct article *a = r->a;
	sqlite3_stmt	     *st;
	int64_t		      wait = store_article_backoff(r, attempts);
	int		      rc;

	/* A failure keeps the text of an earlier success (a refetch that
	 * failed must not lose what a reader had). */
	st = prepare(s, "UPDATE articles SET status = ?2, http_status = ?3, error = ?4,"
			" final_url = coalesce(?5, final_url), attempts = ?6, next_attempt = ?7,"
			" fetched_at = ?8,"
			" title = CASE WHEN ?9 THEN ?10 ELSE title END,"
			" byline = CASE WHEN ?9 THEN ?11 ELSE byline END,"
			" site_name = CASE WHEN ?9 THEN ?12 ELSE site_name END,"
			" published = CASE WHEN ?9 THEN ?13 ELSE published END,"
			" lang = CASE WHEN ?9 THEN ?14 ELSE lang END,"
			" excerpt = CASE WHEN ?9 THEN ?15 ELSE excerpt END,"
			" lead_image = CASE WHEN ?9 THEN ?16 ELSE lead_image END,"
			" word_count = CASE WHEN ?9 THEN ?17 ELSE word_count END,"
			" html = CASE WHEN ?9 THEN ?18 ELSE html END,"
			" text = CASE WHEN ?9 THEN ?19 ELSE text END"
			" WHERE id = ?1");
	if (st == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, article_status_name(r->status), -1, SQLITE_STATIC);
	bind_opt_int(st, 3, r->http_status, 0);
	store_bind_text(st, 4, r->error);
	store_bind_text(st, 5, alias);
	sqlite3_bind_int(st, 6, attempts);
	if (wait >= 0)
		sqlite3_bind_int64(st, 7, now + wait);
	sqlite3_bind_int64(st, 8, now);
	/* Only an extracted page replaces what is stored. */
	sqlite3_bind_int(st, 9, a != NULL && r->status == ART_EXTRACTED);
	if (a && r->status == ART_EXTRACTED) {
		store_bind_text(st, 10, a->title);
		store_bind_text(st, 11, a->byline);
		store_bind_text(st, 12, a->site_name);
		store_bind_time(st, 13, a->published);
		store_bind_text(st, 14, a->lang);
		store_bind_text(st, 15, a->excerpt);
		store_bind_text(st, 16, a->lead_image);
		bind_opt_int(st, 17, a->word_count, -1);
		store_bind_text(st, 18, a->html);
		store_bind_text(st, 19, a->text);
	}
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, "article result");
	sqlite3_finalize(st);
	return rc;
}

/* Status and attempts of row id: 0, or STORE_NOTFOUND. */
static int
row_state(struct store *s, int64_t id, int *status, int *attempts)
{
	sqlite3_stmt *st = prepare(s, "SELECT status, attempts FROM articles WHERE id = ?1");
	int	      rc;

	if (st == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*status = article_status_parse((const char *)sqlite3_column_text(st, 0));
		*attempts = sqlite3_column_int(st, 1);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		snprintf(s->err, sizeof(s->err), "%s: no article %lld", s->path, (long long)id);
		rc = STORE_NOTFOUND;
	} else {
		rc = store_fail(s, "article");
	}
	sqlite3_finalize(st);
	return rc;
}

int
store_article_done(struct store *s, int64_t id, int64_t now, const struct article_fetch *r,
		   int64_t *kept)
{
	char   *keys[2] = {NULL, NULL}, *alias;
	int64_t other = 0, into = id;
	int	rc, status = 0, attempts = 0, ostatus = 0, oattempts = 0;

	if (kept)
		*kept = id;
	if ((rc = store_begin(s)) != 0)
		return rc;
	if ((rc = row_state(s, id, &status, &attempts)) != 0)
		goto err;
	if (r->a && r->a->canonical && !site_root(r->a->canonical, r->final_url))
		keys[0] = url_normalize(r->a->canonical);
	if (r->final_url)
		keys[1] = url_normalize(r->final_url);
	if (keys[0] == NULL) {
		keys[0] = keys[1];
		keys[1] = NULL;
	}
	alias = keys[0];
	if (keys[0] && (rc = find_alias(s, id, keys, &other)) < 0)
		goto err;
	if (keys[0] && rc == 0) {
		/* Items first (re-indexed with the other's text by items_au),
		 * then the row, which no item points to any more. */
		if ((rc = run2(s, "UPDATE items SET article_id = ?2 WHERE article_id = ?1", id,
			       other)) != 0 ||
		    (rc = run2(s, "DELETE FROM articles WHERE id = ?1", id, 0)) != 0 ||
		    (rc = row_state(s, other, &ostatus, &oattempts)) != 0)
			goto err;
		into = other;
		if (ostatus == ART_EXTRACTED) {
			/* The article is stored already: this fetch adds nothing. */
			goto done;
		}
		attempts = oattempts;
	}
	/* The alias is kept only when no other row has it (a row with it
	 * would have been found above). */
	rc = write_result(s, into, now, r, alias, attempts + 1);
	if (rc != 0)
		goto err;
done:
	if ((rc = store_commit(s)) != 0)
		goto out;
	if (kept)
		*kept = into;
	goto out;
err:
	store_rollback(s);
out:
	free(keys[0]);
	free(keys[1]);
	return rc;
}

int
store_article_joined(struct store *s, int64_t id, int64_t *into)
{
	sqlite3_stmt *st;
	int64_t	      other = 0;
	int	      rc;

	*into = 0;
	st = prepare(s, "SELECT b.id FROM articles a JOIN articles b ON b.final_url = a.url"
			" AND b.id <> a.id AND b.status = 'extracted' WHERE a.id = ?1 LIMIT 1");
	if (st == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		other = sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(s, "article aliases");
	sqlite3_finalize(st);
	if (rc != 0 || other == 0)
		return rc;
	if ((rc = store_begin(s)) != 0)
		return rc;
	if ((rc = run2(s, "UPDATE items SET article_id = ?2 WHERE article_id = ?1", id, other)) !=
		0 ||
	    (rc = run2(s, "DELETE FROM articles WHERE id = ?1", id, 0)) != 0) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s)) == 0)
		*into = other;
	return rc;
}

int
store_article_refetch(struct store *s, int64_t item_id, int64_t now, int64_t *article_id)
{
	sqlite3_stmt *st;
	char	     *norm = NULL, *link = NULL;
	int64_t	      aid = 0;
	int	      rc, full = 0;

	if ((rc = store_begin(s)) != 0)
		return rc;
	st = prepare(s, "SELECT i.url, i.article_id, (SELECT count(*) FROM items j JOIN feeds f"
			" ON f.id = j.feed_id WHERE f.full_text AND (j.id = i.id OR"
			" (i.article_id IS NOT NULL AND j.article_id = i.article_id)))"
			" FROM items i WHERE i.id = ?1");
	if (st == NULL) {
		rc = STORE_ERR;
		goto err;
	}
	sqlite3_bind_int64(st, 1, item_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		link = store_col_dup(st, 0);
		aid = sqlite3_column_int64(st, 1);
		full = sqlite3_column_int(st, 2) > 0;
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		snprintf(s->err, sizeof(s->err), "no item %lld", (long long)item_id);
		rc = STORE_NOTFOUND;
	} else {
		rc = store_fail(s, "item");
	}
	sqlite3_finalize(st);
	if (rc != 0)
		goto err;
	if (!full) {
		snprintf(s->err, sizeof(s->err),
			 "item %lld: its feed has full text off (glean edit FEED --full-text)",
			 (long long)item_id);
		rc = STORE_INVALID;
		goto err;
	}
	if (aid == 0) {
		if (link == NULL || (norm = url_normalize(link)) == NULL) {
			snprintf(s->err, sizeof(s->err), "item %lld has no http(s) link to fetch",
				 (long long)item_id);
			rc = STORE_INVALID;
			goto err;
		}
		st = prepare(s, "INSERT INTO articles(url, status, next_attempt) VALUES (?1,"
				" 'pending', ?2) ON CONFLICT(url) DO UPDATE SET url = url"
				" RETURNING id");
		if (st == NULL) {
			rc = STORE_ERR;
			goto err;
		}
		sqlite3_bind_text(st, 1, norm, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now);
		if (sqlite3_step(st) == SQLITE_ROW)
			aid = sqlite3_column_int64(st, 0);
		else
			rc = store_fail(s, "article");
		sqlite3_finalize(st);
		if (rc != 0 || (rc = run2(s, "UPDATE items SET article_id = ?2 WHERE id = ?1",
					  item_id, aid)) != 0)
			goto err;
	}
	/* attempts start again: a forced fetch gets a full retry schedule. */
	if ((rc = run2(s,
		       "UPDATE articles SET status = 'pending', next_attempt = ?2, attempts = 0"
		       " WHERE id = ?1",
		       aid, now)) != 0)
		goto err;
	free(link);
	free(norm);
	if (article_id)
		*article_id = aid;
	return store_commit(s);
err:
	store_rollback(s);
	free(link);
	free(norm);
	return rc;
}

int
store_article_get(struct store *s, int64_t id, struct store_article *a)
{
	sqlite3_stmt *st;
	int	      rc;

	memset(a, 0, sizeof(*a));
	st = prepare(s, "SELECT id, url, final_url, status, error, http_status, attempts, title,"
			" byline, site_name, lang, excerpt, lead_image, html, text, published,"
			" word_count, fetched_at, next_attempt FROM articles WHERE id = ?1");
	if (st == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		a->id = sqlite3_column_int64(st, 0);
		a->url = store_col_dup(st, 1);
		a->final_url = store_col_dup(st, 2);
		a->status = store_col_dup(st, 3);
		a->error = store_col_dup(st, 4);
		a->http_status = sqlite3_column_int(st, 5);
		a->attempts = sqlite3_column_int(st, 6);
		a->title = store_col_dup(st, 7);
		a->byline = store_col_dup(st, 8);
		a->site_name = store_col_dup(st, 9);
		a->lang = store_col_dup(st, 10);
		a->excerpt = store_col_dup(st, 11);
		a->lead_image = store_col_dup(st, 12);
		a->html = store_col_dup(st, 13);
		a->text = store_col_dup(st, 14);
		a->published = store_col_time(st, 15);
		a->word_count =
		    sqlite3_column_type(st, 16) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 16);
		a->fetched_at = store_col_time(st, 17);
		a->next_attempt = store_col_time(st, 18);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		snprintf(s->err, sizeof(s->err), "no article %lld", (long long)id);
		rc = STORE_NOTFOUND;
	} else {
		rc = store_fail(s, "article");
	}
	sqlite3_finalize(st);
	return rc;
}

void
store_article_clear(struct store_article *a)
{
	if (a == NULL)
		return;
	free(a->url);
	free(a->final_url);
	free(a->status);
	free(a->error);
	free(a->title);
	free(a->byline);
	free(a->site_name);
	free(a->lang);
	free(a->excerpt);
	free(a->lead_image);
	free(a->html);
	free(a->text);
	memset(a, 0, sizeof(*a));
}
