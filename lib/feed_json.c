/*
 * feed_json.c: JSON Feed 1.0 and 1.1, read with SQLite's JSON functions
 * (an in-memory database; no JSON parser of our own).  The body is held
 * whole, under the parser's JSON cap, since JSON cannot be read in pieces
 * by SQLite.
 */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "feed_int.h"

static const char *q_feed =
	"SELECT json_extract(?1,'$.version'), json_extract(?1,'$.title'),"
	" json_extract(?1,'$.home_page_url'), json_extract(?1,'$.feed_url'),"
	" json_extract(?1,'$.description'), json_extract(?1,'$.icon'),"
	" json_extract(?1,'$.favicon'), json_extract(?1,'$.language'),"
	" json_extract(?1,'$.hubs[0].url'), json_type(?1,'$.items')";

static const char *q_items =
	"SELECT CASE json_type(value,'$.id') WHEN 'text' THEN value->>'$.id' ELSE value->'$.id' END,"
	" json_extract(value,'$.url'),"
	" json_extract(value,'$.external_url'), json_extract(value,'$.title'),"
	" json_extract(value,'$.content_html'), json_extract(value,'$.content_text'),"
	" json_extract(value,'$.summary'), json_extract(value,'$.date_published'),"
	" json_extract(value,'$.date_modified'),"
	" coalesce(json_extract(value,'$.authors[0].name'), json_extract(value,'$.author.name')),"
	" json_extract(value,'$.image'), json_quote(json_extract(value,'$.tags')),"
	" json_quote(json_extract(value,'$.attachments')), key"
	" FROM json_each(?1,'$.items') WHERE type = 'object'";

static const char *q_tags =
	"SELECT value FROM json_each(?1) WHERE type = 'text'";

static const char *q_att =
	"SELECT json_extract(value,'$.url'), json_extract(value,'$.mime_type'),"
	" json_extract(value,'$.size_in_bytes') FROM json_each(?1) WHERE type = 'object'";

static const char *
col(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

static void
json_item_lists(sqlite3 *db, struct feed_item *it, const char *tags, const char *att,
		const char *base)
{
	sqlite3_stmt *s = NULL;

	if (tags && *tags == '[' && sqlite3_prepare_v2(db, q_tags, -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, tags, -1, SQLITE_STATIC);
		while (sqlite3_step(s) == SQLITE_ROW)
			if (col(s, 0) && *col(s, 0))
				item_add_category(it, col(s, 0));
		sqlite3_finalize(s);
		s = NULL;
	}
	if (att && *att == '[' && sqlite3_prepare_v2(db, q_att, -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, att, -1, SQLITE_STATIC);
		while (sqlite3_step(s) == SQLITE_ROW) {
			char *u;

			if (col(s, 0) == NULL || *col(s, 0) == '\0')
				continue;
			if ((u = url_resolve(base, col(s, 0))) != NULL)
				item_add_enclosure(it, u, col(s, 1),
						   sqlite3_column_type(s, 2) == SQLITE_NULL
							   ? -1 : sqlite3_column_int64(s, 2), 0);
			free(u);
		}
		sqlite3_finalize(s);
	}
}

static int64_t
json_date(const char *s)
{
	int64_t t;

	return s && date_parse(s, strlen(s), &t) == 0 ? t : DATE_NONE;
}

int
json_feed_parse(struct feed_parser *p, const char *data, size_t len)
{
	struct feed  *f = p->feed;
	sqlite3      *db = NULL;
	sqlite3_stmt *s = NULL;
	const char   *v, *base;
	int           rc = -1;
	size_t        fcap = p->opts.max_field ? p->opts.max_field : FEED_FIELD_CAP;
	size_t        ccap = p->opts.max_field ? p->opts.max_field : FEED_CONTENT_CAP;

	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) !=
	    SQLITE_OK)
		goto err;
	if (sqlite3_prepare_v2(db, q_feed, -1, &s, NULL) != SQLITE_OK)
		goto err;
	sqlite3_bind_text(s, 1, data, (int)len, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		feed_set_bozo(f, 0, "invalid JSON: %s", sqlite3_errmsg(db));
		goto err;
	}
	v = col(s, 0);
	if (v == NULL || strstr(v, "jsonfeed.org/version/") == NULL) {
		if (sqlite3_column_type(s, 9) == SQLITE_NULL) {
			feed_set_bozo(f, 0, "JSON document is not a JSON Feed (no version, no items)");
			goto err;
		}
		feed_set_bozo(f, 0, "JSON Feed without a jsonfeed.org version");
	}
	f->format = v && strstr(v, "/1.1") ? FEED_JSON11 : FEED_JSON10;
	str_set_capped(&f->title, col(s, 1), fcap);
	str_set(&f->link, col(s, 2));
	str_set(&f->self, col(s, 3));
	str_set_capped(&f->description, col(s, 4), ccap);
	str_set(&f->image, col(s, 5));
	str_set(&f->icon, col(s, 6));
	str_set(&f->language, col(s, 7));
	str_set(&f->hub, col(s, 8));
	sqlite3_finalize(s);
	s = NULL;

	base = f->self ? f->self : p->opts.url;
	if (sqlite3_prepare_v2(db, q_items, -1, &s, NULL) != SQLITE_OK)
		goto err;
	sqlite3_bind_text(s, 1, data, (int)len, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct feed_item *it = item_new();
		char             *t;

		if (it == NULL)
			goto err;
		/* A numeric id keeps its JSON text: 2^64-range ids must not
		 * round to the same double. */
		str_set_capped(&it->id, col(s, 0), fcap);
		it->id_permalink = 0;
		if ((v = col(s, 1)) != NULL && *v)
			it->link = url_resolve(base, v);
		else if ((v = col(s, 2)) != NULL && *v)
			it->link = url_resolve(base, v);
		if ((v = col(s, 3)) != NULL && (t = text_collapse_ws(v, strlen(v))) != NULL) {
			str_set_capped(&it->title, t, fcap);
			free(t);
		}
		if ((v = col(s, 4)) != NULL) {
			str_set_capped(&it->content, v, ccap);
			it->content_type = TEXT_HTML;
		} else if ((v = col(s, 5)) != NULL) {
			str_set_capped(&it->content, v, ccap);
			it->content_type = TEXT_PLAIN;
		}
		if ((v = col(s, 6)) != NULL) {
			str_set_capped(&it->summary, v, ccap);
			it->summary_type = TEXT_PLAIN;
		}
		it->published = json_date(col(s, 7));
		it->updated = json_date(col(s, 8));
		str_set_capped(&it->author, col(s, 9), fcap);
		if ((v = col(s, 10)) != NULL && *v)
			item_add_enclosure(it, v, NULL, -1, 2);
		json_item_lists(db, it, col(s, 11), col(s, 12), base);
		item_emit(p, it);
	}
	rc = 0;
err:
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc;
}
