/*
 * extract_meta.c: an article's metadata from JSON-LD, OpenGraph and
 * <meta>, read before anything is removed from the page.
 *
 * JSON-LD goes through SQLite's JSON functions on an in-memory connection
 * (no JSON parser of our own).  Precedence follows Readability: JSON-LD,
 * then meta properties, then <title> cut at its site-name separator.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "extract_int.h"

#define META_MAX_STR  (64u << 10)
#define JSONLD_MAX    (4u << 20) /* bytes of one <script type=application/ld+json> */

static void
set(char **dst, const char *v)
{
	char *s;

	if (*dst || v == NULL)
		return;
	s = text_collapse_ws(v, strnlen(v, META_MAX_STR));
	if (s && *s)
		*dst = s;
	else
		free(s);
}

static const char ARTICLE_TYPES[] =
    "('Article','NewsArticle','BlogPosting','Report','ScholarlyArticle','TechArticle',"
    "'AnalysisNewsArticle','OpinionNewsArticle','ReportageNewsArticle','ReviewNewsArticle',"
    "'BackgroundNewsArticle','LiveBlogPosting','SocialMediaPosting','DiscussionForumPosting',"
    "'SatiricalArticle','AdvertiserContentArticle','MedicalScholarlyArticle','Recipe','Review',"
    "'HowTo','Blog','Posting')";

/* One query over the script text: the first Article-like object anywhere
 * in it (arrays and @graph included) and the fields wanted from it. */
static const char JSONLD_SQL[] =
    "WITH o AS (SELECT t.value AS v FROM json_tree(?1) t WHERE t.type = 'object' AND"
    " (json_extract(t.value, '$.\"@type\"') IN %s OR"
    "  (json_type(t.value, '$.\"@type\"') = 'array' AND EXISTS (SELECT 1 FROM"
    "   json_each(t.value, '$.\"@type\"') e WHERE e.value IN %s)))"
    " ORDER BY t.id LIMIT 1)"
    "SELECT json_extract(v, '$.headline'), json_extract(v, '$.name'),"
    " json_extract(v, '$.articleBody'), json_extract(v, '$.datePublished'),"
    " (SELECT group_concat(n, ', ') FROM (SELECT CASE WHEN a.type = 'text' THEN a.value"
    "   ELSE json_extract(a.value, '$.name') END AS n FROM json_each(json_extract(v, '$.author')) a"
    "   UNION ALL SELECT json_extract(v, '$.author') WHERE json_type(v, '$.author') = 'text'"
    "   UNION ALL SELECT json_extract(v, '$.author.name') WHERE json_type(v, '$.author') = 'object')"
    "   WHERE n IS NOT NULL AND n <> ''),"
    " json_extract(v, '$.publisher.name'), json_extract(v, '$.description'),"
    " CASE json_type(v, '$.image') WHEN 'text' THEN json_extract(v, '$.image')"
    "  WHEN 'object' THEN json_extract(v, '$.image.url')"
    "  WHEN 'array' THEN coalesce(json_extract(v, '$.image[0].url'), json_extract(v, '$.image[0]'))"
    "  END, json_extract(v, '$.dateModified')"
    " FROM o WHERE json_valid(?1)";

struct jsonld {
	sqlite3	     *db;
	sqlite3_stmt *st;
};

static void
jsonld_one(struct jsonld *j, const char *json, struct meta *m)
{
	const char *t;
	char	   *body;

	if (j->db == NULL) {
		char *sql;

		if (sqlite3_open_v2(":memory:", &j->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
			return;
		sql = sqlite3_mprintf(JSONLD_SQL, ARTICLE_TYPES, ARTICLE_TYPES);
		if (sql == NULL || sqlite3_prepare_v2(j->db, sql, -1, &j->st, NULL) != SQLITE_OK) {
			sqlite3_free(sql);
			return;
		}
		sqlite3_free(sql);
	}
	if (j->st == NULL)
		return;
	sqlite3_bind_text(j->st, 1, json, -1, SQLITE_STATIC);
	if (sqlite3_step(j->st) == SQLITE_ROW) {
		int64_t when;

		/* Readability takes headline or name; headline is the article's. */
		set(&m->title, (const char *)sqlite3_column_text(j->st, 0));
		set(&m->title, (const char *)sqlite3_column_text(j->st, 1));
		if ((t = (const char *)sqlite3_column_text(j->st, 2)) && m->jsonld_body == NULL &&
		    (body = text_from_html(t, strlen(t))) != NULL) {
			if (*body)
				m->jsonld_body = body;
			else
				free(body);
		}
		if ((t = (const char *)sqlite3_column_text(j->st, 3)) && m->published == DATE_NONE &&
		    date_parse(t, strlen(t), &when) == 0)
			m->published = when;
		set(&m->byline, (const char *)sqlite3_column_text(j->st, 4));
		set(&m->site_name, (const char *)sqlite3_column_text(j->st, 5));
		set(&m->excerpt, (const char *)sqlite3_column_text(j->st, 6));
		set(&m->lead_image, (const char *)sqlite3_column_text(j->st, 7));
	}
	sqlite3_reset(j->st);
	sqlite3_clear_bindings(j->st);
}

/* <meta> names and properties, by precedence within each field. */
static void
meta_tag(const xmlNode *n, struct meta *m, struct meta *low)
{
	const char *k = attr(n, "property"), *v = attr(n, "content");
	char	    key[64];
	size_t	    i;

	if (k == NULL)
		k = attr(n, "name");
	if (k == NULL)
		k = attr(n, "itemprop");
	if (k == NULL || v == NULL)
		return;
	for (i = 0; k[i] && i + 1 < sizeof(key); i++)
		key[i] = (char)(k[i] >= 'A' && k[i] <= 'Z' ? k[i] + 32 : k[i]);
	key[i] = '\0';
	if (!strcmp(key, "og:title") || !strcmp(key, "twitter:title") ||
	    !strcmp(key, "dc.title") || !strcmp(key, "parsely-title"))
		set(&m->title, v);
	else if (!strcmp(key, "og:site_name"))
		set(&m->site_name, v);
	else if (!strcmp(key, "author") || !strcmp(key, "article:author") ||
		 !strcmp(key, "dc.creator") || !strcmp(key, "parsely-author") ||
		 !strcmp(key, "sailthru.author") || !strcmp(key, "byl")) {
		/* article:author is often a profile URL, not a name. */
		if (strncasecmp(v, "http", 4))
			set(&m->byline, v);
	} else if (!strcmp(key, "og:description") || !strcmp(key, "twitter:description"))
		set(&m->excerpt, v);
	else if (!strcmp(key, "description"))
		set(&low->excerpt, v);
	else if (!strcmp(key, "og:image") || !strcmp(key, "twitter:image") ||
		 !strcmp(key, "twitter:image:src"))
		set(&m->lead_image, v);
	else if (!strcmp(key, "og:url"))
		set(&m->og_url, v);
	else if (!strcmp(key, "article:published_time") || !strcmp(key, "datepublished") ||
		 !strcmp(key, "parsely-pub-date") || !strcmp(key, "dc.date") ||
		 !strcmp(key, "date") || !strcmp(key, "publishdate") ||
		 !strcmp(key, "sailthru.date") || !strcmp(key, "dcterms.created")) {
		int64_t t;

		if (m->published == DATE_NONE && date_parse(v, strlen(v), &t) == 0)
			m->published = t;
	}
}

/* <title> without its site name: cut at the last " | ", " - ", " – ",
 * " — ", " / ", " » " or " :: " when what is left has 3 words or more. */
static char *
title_from_tag(const char *t)
{
	static const char *const seps[] = {" | ", " - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ",
					   " / ", " \xc2\xbb ", " :: "};
	const char *best = NULL;
	size_t	    i;

	for (i = 0; i < sizeof(seps) / sizeof(*seps); i++) {
		const char *p = t, *q;

		while ((q = strstr(p, seps[i])) != NULL) {
			if (best == NULL || q > best)
				best = q;
			p = q + 1;
		}
	}
	if (best) {
		size_t words = 1;
		const char *p;

		for (p = t; p < best; p++)
			if (*p == ' ')
				words++;
		if (words >= 3)
			return xstrndup(t, (size_t)(best - t));
	}
	return strdup(t);
}

static char *
resolve(const struct xctx *x, const char *ref)
{
	if (ref == NULL || *ref == '\0')
		return NULL;
	return x->url ? url_resolve(x->url, ref) : strdup(ref);
}

void
meta_read(struct xctx *x, struct meta *m)
{
	struct meta   low;
	struct jsonld j = {NULL, NULL};
	xmlNode	     *root = xmlDocGetRootElement(x->doc), *n;
	char	     *title_tag = NULL, *s;

	memset(m, 0, sizeof(*m));
	memset(&low, 0, sizeof(low));
	m->published = low.published = DATE_NONE;
	if (root == NULL)
		return;
	if ((s = (char *)attr(root, "lang")) != NULL || (s = (char *)attr(root, "xml:lang")))
		set(&m->lang, s);
	for (n = root; n; n = next_node(n, root, 1)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (tag_is(n, "meta"))
			meta_tag(n, m, &low);
		else if (tag_is(n, "title") && title_tag == NULL)
			title_tag = node_text(n, META_MAX_STR);
		else if (tag_is(n, "link") && attr(n, "rel") && attr(n, "href") &&
			 !strcasecmp(attr(n, "rel"), "canonical") && m->canonical == NULL)
			m->canonical = resolve(x, attr(n, "href"));
		else if (tag_is(n, "script") && attr(n, "type") &&
			 !strcasecmp(attr(n, "type"), "application/ld+json") && n->children &&
			 n->children->content && strlen((char *)n->children->content) < JSONLD_MAX) {
			struct meta jm;

			memset(&jm, 0, sizeof(jm));
			jm.published = DATE_NONE;
			jsonld_one(&j, (const char *)n->children->content, &jm);
			/* JSON-LD wins over meta: move what it found in front. */
			if (jm.title && m->title == NULL) { m->title = jm.title; jm.title = NULL; }
			else if (jm.title) { free(m->title); m->title = jm.title; jm.title = NULL; }
			if (jm.byline) { free(m->byline); m->byline = jm.byline; jm.byline = NULL; }
			if (jm.site_name) { free(m->site_name); m->site_name = jm.site_name; jm.site_name = NULL; }
			if (jm.jsonld_body && !m->jsonld_body) { m->jsonld_body = jm.jsonld_body; jm.jsonld_body = NULL; }
			if (jm.published != DATE_NONE) m->published = jm.published;
			set(&m->excerpt, jm.excerpt);
			set(&m->lead_image, jm.lead_image);
			meta_clear(&jm);
		}
	}
	if (m->title == NULL && title_tag)
		m->title = title_from_tag(title_tag);
	free(title_tag);
	if (m->excerpt == NULL) {
		m->excerpt = low.excerpt;
		low.excerpt = NULL;
	}
	if (m->lead_image && (s = resolve(x, m->lead_image)) != NULL) {
		free(m->lead_image);
		m->lead_image = s;
	}
	if (m->og_url && (s = resolve(x, m->og_url)) != NULL) {
		free(m->og_url);
		m->og_url = s;
	}
	meta_clear(&low);
	sqlite3_finalize(j.st);
	sqlite3_close(j.db);
}

void
meta_clear(struct meta *m)
{
	free(m->title);
	free(m->byline);
	free(m->site_name);
	free(m->lang);
	free(m->excerpt);
	free(m->lead_image);
	free(m->canonical);
	free(m->og_url);
	free(m->jsonld_body);
	memset(m, 0, sizeof(*m));
	m->published = DATE_NONE;
}
