/*
 * gleaner.h: the core library (lib/), prototypes grouped by file.
 * No event loop here: the daemon and the CLI both link this.
 */
#ifndef GLEANER_H
#define GLEANER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifndef GLEANER_VERSION
#define GLEANER_VERSION "0.0.0"
#endif

#define DATE_NONE INT64_MIN /* absent or unparseable date */

#ifndef GLEANER_URL
#define GLEANER_URL "https://github.com/gleaner/gleaner" /* the project's home: in the User-Agent */
#endif
/* The default User-Agent (gleaner.conf's user_agent). */
#define GLEANER_USER_AGENT "Gleaner/" GLEANER_VERSION " (+" GLEANER_URL ")"

/* buf.c: growable byte buffer with a hard cap (untrusted input never grows unbounded). */
struct buf {
	char  *data; /* always NUL-terminated when non-NULL */
	size_t len;
	size_t size;
	size_t cap;       /* maximum len; 0 means SIZE_MAX */
	int    truncated; /* an append was cut at the cap */
};
void   buf_init(struct buf *, size_t cap);
int    buf_add(struct buf *, const void *, size_t); /* -1 on ENOMEM; cut at cap (returns 0) */
int    buf_addc(struct buf *, char);
int    buf_adds(struct buf *, const char *);
int    buf_printf(struct buf *, const char *, ...) __attribute__((format(printf, 2, 3)));
int    buf_add_utf8(struct buf *, uint32_t cp);
void   buf_reset(struct buf *);
char  *buf_take(struct buf *); /* hands the string over (never NULL: "" if empty); buf is reset */
void   buf_free(struct buf *);
char  *xstrndup(const char *, size_t);
size_t strlcpy_g(char *dst, const char *src, size_t size);

/* log.c: stderr logging with sd-daemon priority prefixes; fatal() exits. */
enum { LOG_ERR_ = 3, LOG_WARNING_ = 4, LOG_NOTICE_ = 5, LOG_INFO_ = 6, LOG_DEBUG_ = 7 };
void log_init(const char *progname, int level, int prefix);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));  /* appends strerror(errno) */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* date.c: feed dates to UTC seconds since the epoch.
 * Accepts RFC 822/1123/2822 and their wild variants, RFC 3339, W3CDTF and
 * ISO 8601 forms, asctime.  Returns 0 and sets *out, or -1 (and leaves *out
 * alone) when the string is not a date it can read with certainty. */
int  date_parse(const char *s, size_t len, int64_t *out);
/* Formats t as YYYY-MM-DDTHH:MM:SSZ into out (at least 21 bytes). */
void date_format(int64_t t, char out[21]);

/* entities.c: the HTML5 named character references (generated table).
 * name excludes '&' and ';'.  Returns the UTF-8 expansion or NULL. */
const char *entity_lookup(const char *name, size_t len);
int entity_legacy(const char *name, size_t len); /* valid without ';' ("amp", "eacute") */
int entity_html4(const char *name, size_t len);  /* one of HTML 4's 252 names */
int unicode_isword(uint32_t cp);                 /* Python re's \w, for feedparser's rules */

/* text.c: HTML-to-text rules shared by the feed parser and the output. */
/* TEXT(): drop script/style elements and comments, drop tags, decode
 * entities (HTML5 names and numeric), collapse Unicode whitespace. */
char  *text_from_html(const char *s, size_t len);
/* Collapse every run of Unicode whitespace (incl. U+00A0) to one space, trim. */
char  *text_collapse_ws(const char *s, size_t len);
/* feedparser's lookslikehtml(): a close tag or entity, and only known tags/entities. */
int    text_looks_like_html(const char *s, size_t len);
/* Decode HTML entities in place-free fashion into b (numeric and HTML5 named). */
void   text_decode_entities(struct buf *b, const char *s, size_t len);
/* The value of a hexadecimal digit (any case), -1 for anything else. */
int    hex_digit(int c);
size_t utf8_length(const char *s, size_t len); /* code points */

/* url.c: URL resolution on libcurl's URL API. */
/* Resolves ref against base (either may be NULL).  An absolute ref is
 * returned unchanged; a relative one without a usable base is returned as is. */
char *url_resolve(const char *base, const char *ref);
int   url_is_absolute(const char *s);

/* charset.c: encoding detection and conversion to UTF-8. */
struct charset_conv;
/* Normalized charset name ("UTF-8", "WINDOWS-1252"...) for an alias, or NULL. */
const char *charset_normalize(const char *name, char *out, size_t outsz);
/* Charset named by a Content-Type header value's charset= parameter, or NULL. */
int  charset_from_content_type(const char *ct, char *out, size_t outsz);
struct charset_conv *charset_conv_new(const char *from);  /* NULL if iconv lacks it */
/* Converts in; appends UTF-8 to out.  Keeps an incomplete trailing sequence
 * for the next call; invalid bytes become U+FFFD.  last=1 flushes. */
int  charset_conv_run(struct charset_conv *, const char *in, size_t len, struct buf *out, int last,
		      unsigned *ninvalid);
void charset_conv_free(struct charset_conv *);

/* hash.c: 64-bit word-at-a-time hash for identities and change detection (not security). */
uint64_t hash64(const void *, size_t, uint64_t seed);
#define HASH64_SEED 0xcbf29ce484222325ULL /* any fixed value; this one is historical */

/* feed.c / feed_xml.c / feed_json.c / feed_repair.c: the feed parser. */
enum feed_format {
	FEED_UNKNOWN = 0,
	FEED_RSS090,
	FEED_RSS091,
	FEED_RSS092,
	FEED_RSS093,
	FEED_RSS094,
	FEED_RSS20,
	FEED_RSS,  /* rss without version */
	FEED_RSS10,
	FEED_ATOM03,
	FEED_ATOM10,
	FEED_JSON10,
	FEED_JSON11,
};
enum text_type { TEXT_PLAIN = 0, TEXT_HTML, TEXT_XHTML };

struct feed_enclosure {
	char   *url;
	char   *type;   /* MIME type or NULL */
	int64_t length; /* bytes, -1 unknown */
	int     media;  /* 1 media:content, 2 media:thumbnail; 0 a real enclosure */
};

struct feed_item {
	char   *id;           /* guid / atom:id / rdf:about / JSON id, NULL if none */
	int     id_permalink; /* RSS guid isPermaLink (default true) */
	char   *link;         /* resolved */
	char   *title;        /* plain text */
	int64_t published;    /* DATE_NONE if absent */
	int64_t updated;
	char   *author;       /* display name */
	char   *author_email;
	char   *summary;      /* as found (HTML or text, see summary_type) */
	int     summary_type;
	char   *content;
	int     content_type;
	char   *content_src;  /* Atom out-of-line content */
	char  **categories;
	size_t  ncategories;
	struct feed_enclosure *enclosures;
	size_t  nenclosures;
	char   *comments;
	/* Identity for dedupe and a hash of what a reader sees (see feed_item_ident). */
	char    ident[40];
	uint64_t content_hash;
	unsigned line; /* line where the entry started */
};

struct feed {
	enum feed_format format;
	char   *title; /* plain text */
	char   *link;
	char   *description;
	char   *language;
	char   *generator;
	char   *image;
	char   *icon;
	char   *self;  /* atom:link rel=self */
	char   *hub;   /* rel=hub (WebSub) */
	int     ttl;   /* minutes, -1 if none */
	uint32_t skip_hours; /* bit n: skip hour n (UTC) */
	uint8_t  skip_days;  /* bit 0 Monday .. bit 6 Sunday */
	char   *encoding; /* the charset the document was read in */

	int      bozo;         /* the document had to be repaired or was cut short */
	char     bozo_reason[256];
	unsigned bozo_line;
	int      not_a_feed;   /* nothing that looks like a feed was found */
	int      incomplete;   /* parsing stopped before the document's end (cut
				* short, or an entity expansion refused): its items
				* are not the whole feed */
	size_t   nitems;       /* items seen (also those handed to a callback) */

	struct feed_item *items; /* kept only when no item callback is set */
	size_t   nkept, capkept;
};

/* Called for each completed item.  Return 1 to take ownership of it (call
 * feed_item_free later), 0 to let the parser keep it (or free it when the
 * parser keeps nothing, see feed_parser_opts.keep_items). */
typedef int (*feed_item_cb)(void *ud, struct feed *, struct feed_item *);

struct feed_parser_opts {
	const char *url;        /* document URL: base for relative links (may be NULL) */
	const char *charset;    /* from the HTTP Content-Type (may be NULL) */
	feed_item_cb on_item;   /* may be NULL */
	void        *ud;
	int          keep_items; /* keep items in feed->items (default when on_item is NULL) */
	size_t       max_field;  /* cap for one text field (default 1 MiB, content 8 MiB) */
	size_t       max_json;   /* cap for a JSON Feed body (default 16 MiB) */
};

struct feed_parser;
struct feed_parser *feed_parser_new(const struct feed_parser_opts *);
/* Feeds one chunk of the body as it arrives.  Returns 0, or -1 when parsing
 * has stopped for good (the feed so far stays valid; see feed->bozo_reason). */
int   feed_parser_feed(struct feed_parser *, const char *chunk, size_t len);
/* Ends the document and hands the feed over (caller frees with feed_free). */
struct feed *feed_parser_finish(struct feed_parser *);
void  feed_parser_free(struct feed_parser *);
/* Whole-buffer convenience wrapper. */
struct feed *feed_parse(const char *data, size_t len, const struct feed_parser_opts *);
void  feed_free(struct feed *);
void  feed_item_free(struct feed_item *);
const char *feed_format_name(enum feed_format);
/* Sets it->ident and it->content_hash.  Identity: "g:" + hash of the guid or
 * id, else "l:" + hash of the link, else "h:" + hash of title, dates and
 * content.  content_hash covers title, link, dates, author, summary,
 * content and enclosures: when it changes, the item was updated. */
void  feed_item_ident(struct feed_item *);

/* url.c (continued): the key under which an article is stored once for all
 * the items that point to it: no fragment, no utm_* or other tracking
 * parameters, scheme and host lower-cased.  NULL if ref is not http(s). */
char *url_normalize(const char *ref);

/* store.c, store_schema.c, store_ingest.c, store_query.c: the SQLite database.
 * WAL mode, synchronous=NORMAL, foreign keys, a busy timeout; one
 * BEGIN IMMEDIATE transaction per feed update.  Every function returns 0 on
 * success or a negative store_err (message in store_errmsg()). */
enum store_err {
	STORE_OK = 0, STORE_ERR = -1, STORE_NOTFOUND = -2, STORE_EXISTS = -3, STORE_BUSY = -4,
	STORE_INVALID = -5,
};
enum { STORE_RDONLY = 1, STORE_CREATE = 2 };
struct store;
/* Opens (and with STORE_CREATE creates or migrates) the database at path.
 * A file that is not a Gleaner database, is corrupt or is from a newer
 * Gleaner is refused with a message in err and left byte-for-byte alone. */
int  store_open(struct store **, const char *path, int flags, char *err, size_t errsz);
void store_close(struct store *);
const char *store_errmsg(const struct store *);
int  store_begin(struct store *);    /* BEGIN IMMEDIATE, waiting out a busy database */
/* How long a write waits for another process's write lock: ms for each of
 * `tries` BEGINs (STORE_BUSY when all fail); ms < 0 restores the default
 * (5 s, 3 tries).  gleanerd waits briefly and holds its results instead,
 * so that the event loop never sleeps on a lock. */
void store_set_busy(struct store *, int ms, int tries);
int  store_commit(struct store *);
void store_rollback(struct store *);
int64_t store_now(void);             /* seconds since the epoch */

struct store_feed {
	int64_t id;
	char   *url, *title, *site_url, *description;
	char   *user_title;            /* set by the user; shown instead of title */
	char  **tags;
	size_t  ntags;
	const char *source;            /* "db" or "config" */
	int64_t interval;              /* seconds, 0: the global default */
	int     full_text;
	char   *etag, *last_modified;
	const char *key_mode;          /* "guid" or "link" */
	char   *key_reason;
	int64_t added_at, last_poll, last_success, next_poll; /* DATE_NONE if never */
	int     last_status;
	char   *last_error;
	int     error_count;
	char   *disabled_reason;
	int64_t max_age, max_items;    /* 0: the global setting */
	int64_t unread, total;
};
void store_feed_clear(struct store_feed *);
/* Adds a feed.  STORE_EXISTS if the URL is already there (its id in *id). */
int  store_feed_add(struct store *, const struct store_feed *, int64_t *id);
/* Finds a feed by id, URL or exact title (user title first). */
int  store_feed_find(struct store *, const char *spec, int64_t *id);
int  store_feed_get(struct store *, int64_t id, struct store_feed *);
/* Calls cb for each feed, ordered by title; cb returning non-zero stops. */
int  store_feeds(struct store *, int (*cb)(void *, const struct store_feed *), void *);
int  store_feed_remove(struct store *, int64_t id);
/* Changes what f sets: url (non-NULL), user_title (non-NULL, "" clears),
 * interval (>= 0), full_text (>= 0), tags (when set_tags), max_age and
 * max_items (>= 0). */
int  store_feed_update(struct store *, int64_t id, const struct store_feed *f, int set_tags);

/* A feed from the configuration keeps the URL the configuration gives it,
 * whatever a permanent redirect made of its URL since. */
int  store_feed_config_find(struct store *, const char *config_url, int64_t *id);
int  store_feed_config_mark(struct store *, int64_t id, const char *config_url);
char *store_feed_config_url(struct store *, int64_t id); /* malloc'd, NULL if none */

/* Ingest: one parsed document into its feed, in one transaction.
 *  - items are keyed per feed by their identity (feed_item_ident), or by
 *    link when the feed's guids are unreliable: empty or repeated in more
 *    than 5% of a document's items, or new guids on known links in a
 *    refetch; the switch is recorded with its reason;
 *  - a known item whose content hash changed is updated in place, keeping
 *    its read and starred state;
 *  - an identity with a tombstone is skipped;
 *  - each item's link, normalized, is an article shared across feeds;
 *  - retention runs for the feed afterwards (see store_retention). */
struct ingest_result {
	int new_items, updated, unchanged, tombstoned, skipped;
	int key_switched;              /* the feed was switched to link keys now */
};
int  store_ingest(struct store *, int64_t feed_id, const struct feed *, int64_t now,
		  struct ingest_result *);
/* Records a poll's outcome: on success (error NULL) the validators and
 * last_success; on error the message and error_count + 1.  A fetch-log row
 * is added and the log trimmed.  A permanent redirect seen on
 * STORE_MOVE_POLLS polls in a row to the same URL becomes the feed's URL
 * (*moved set; not when another feed already has that URL). */
struct fetch_result {
	int         http_status;
	const char *error;             /* NULL on success */
	const char *etag, *last_modified;
	int64_t     next_poll;
	int64_t     bytes, duration_ms;
	const char *disable;           /* non-NULL: disable the feed with this reason */
	const char *moved_to;          /* every redirect was permanent, to here */
};
#define STORE_MOVE_POLLS 2 /* polls in a row a permanent redirect must be seen */
int  store_fetch_done(struct store *, int64_t feed_id, int64_t now, const struct fetch_result *,
		      const struct ingest_result *, int *moved);

/* Deletes what retention allows: items older than max_age seconds and
 * beyond the newest max_items, per feed (the feed's own settings win over
 * these; 0 means no limit), except starred items and items present in the
 * feed's current document.  Deleted items leave tombstones. */
int  store_retention(struct store *, int64_t feed_id /* 0: all */, int64_t now, int64_t max_age,
		     int64_t max_items, int64_t *deleted);
/* Deletes one item, leaving a tombstone. */
int  store_item_delete(struct store *, int64_t item_id);

struct store_item {
	int64_t id, feed_id;
	const char *feed_url, *feed_title;
	const char *guid, *url, *title, *author;
	int64_t published, updated, first_seen;
	const char *summary, *content;
	int     content_type;
	const char *article_text, *article_status, *article_url;
	int64_t article_id;            /* 0 if none */
	const char *enclosures, *categories; /* JSON arrays */
	int     read, starred;
};
enum { ITEM_ORDER_NEWEST = 0, ITEM_ORDER_OLDEST };
struct item_filter {
	int64_t item_id;               /* 0: any */
	int64_t feed_id;               /* 0: any */
	const char *tag;               /* NULL: any */
	int     unread, starred;       /* 1: only those */
	int64_t since;                 /* DATE_NONE: any; else first seen or published at or after */
	int64_t before;                /* 0: any; else published (else first seen) before */
	int64_t limit;                 /* 0: no limit */
	int     order;
	int     full;                  /* fetch content and article text too */
};
/* Calls cb for each matching item (pointers valid during the call only). */
int  store_items(struct store *, const struct item_filter *,
		 int (*cb)(void *, const struct store_item *), void *);
enum { MARK_READ, MARK_UNREAD, MARK_STAR, MARK_UNSTAR };
int  store_mark(struct store *, const struct item_filter *, int mark, int64_t *changed);

struct store_hit {
	int64_t id, feed_id;
	const char *title, *url, *feed_title, *snippet; /* snippet: matches in \x02...\x03 */
	double  rank;                  /* bm25, lower is better */
	int64_t published;
};
/* Ranked full-text search.  On a writable connection, items not indexed
 * yet are indexed first (store_index_all); a read-only one searches what
 * is indexed (store_index_lag tells how much is not). */
int  store_search(struct store *, const char *query, int64_t limit,
		  int (*cb)(void *, const struct store_hit *), void *);

/* store_index.c: the search index, written after the feed transactions.
 * New items become searchable when indexed: store_index_pending indexes
 * the oldest `batch` not indexed yet (all if batch <= 0) in one
 * transaction and returns 1 if more remain, 0 if none, or a store_err;
 * store_index_all does batches of STORE_INDEX_BATCH until none remain. */
#define STORE_INDEX_BATCH 10000
int  store_index_pending(struct store *, int64_t batch, int64_t *indexed);
int  store_index_all(struct store *, int64_t *indexed);
int  store_index_lag(struct store *, int64_t *pending); /* items not indexed yet */

struct store_stats {
	int64_t feeds, feeds_erroring, feeds_disabled;
	int64_t items, unread, starred, tombstones;
	int64_t articles, articles_extracted, articles_pending, articles_failed;
	int64_t db_bytes, wal_bytes;
	int64_t oldest_item, newest_item;
};
int  store_stats(struct store *, struct store_stats *);

/* store_article.c: the article queue and its results.
 * An article is due when its status is pending or a retryable failure,
 * its next_attempt has come, and an item of a feed with full text on
 * points to it.  Statuses: pending, extracted, http_error (http_status
 * set), not_html, too_large, timeout, empty (nothing extracted), error
 * (network, refused address, unreadable page). */
enum article_status {
	ART_PENDING = 0, ART_EXTRACTED, ART_HTTP_ERROR, ART_NOT_HTML, ART_TOO_LARGE, ART_TIMEOUT,
	ART_EMPTY, ART_ERROR,
};
const char *article_status_name(int status);
int  article_status_parse(const char *name); /* -1 if unknown */
struct store_article_job {
	int64_t     id;                /* the article */
	const char *url;               /* normalized: what is fetched */
	int64_t     feed_id;           /* the feed of its newest item with full text on */
	const char *feed_url;
	int         attempts;          /* fetches so far */
};
/* Calls cb for the articles due at now, newest item first, at most limit
 * (0: no limit).  *next (may be NULL) gets the earliest next_attempt after
 * now of the others, DATE_NONE if none. */
int  store_articles_due(struct store *, int64_t now, int64_t limit,
			int (*cb)(void *, const struct store_article_job *), void *, int64_t *next);
/* The outcome of one fetch. */
struct article_fetch {
	int         status;            /* ART_* */
	int         http_status;       /* 0 if no response */
	const char *error;             /* why it failed, NULL on success */
	const char *final_url;         /* after redirects, may be NULL */
	int64_t     retry_after;       /* seconds the server asked to wait, -1 if none */
	int         permanent;         /* do not retry (a refused address) */
	const struct article *a;       /* ART_EXTRACTED or ART_EMPTY: what was found, else NULL */
};
/* Seconds until the next attempt after a fetch with this outcome, the
 * attempts counted including it; -1: never again by itself.
 *  - extracted, not_html, too_large, empty, a refused address: never (the
 *    same page gives the same result; glean refetch forces one);
 *  - timeout, network errors, HTTP 5xx, 408, 429: 10 min doubling to
 *    24 h, Retry-After if longer, given up after ARTICLE_MAX_ATTEMPTS;
 *  - other 4xx: a day later, given up after ARTICLE_MAX_4XX attempts. */
#define ARTICLE_MAX_ATTEMPTS 10
#define ARTICLE_MAX_4XX      3
int64_t store_article_backoff(const struct article_fetch *, int attempts);
/* Stores the outcome of fetching article id, in one transaction.  Its
 * final URL and the page's canonical URL (normalized) are its aliases:
 * when one is another article's URL or alias, the items move to that
 * article, which takes this result unless it is extracted already, and
 * this row is dropped.  *kept (may be NULL) gets the article that holds
 * the result.  STORE_NOTFOUND if the article is gone (its items were
 * deleted meanwhile). */
int  store_article_done(struct store *, int64_t id, int64_t now, const struct article_fetch *,
			int64_t *kept);
/* An article whose URL is the alias of one extracted already joins it
 * before any fetch: items moved, the row dropped, *into set (0 if not). */
int  store_article_joined(struct store *, int64_t id, int64_t *into);
/* Makes the article of an item due now (added if its link has none yet).
 * STORE_NOTFOUND: no such item; STORE_INVALID: the item has no http(s)
 * link, or no feed with full text on points to it (err says which). */
int  store_article_refetch(struct store *, int64_t item_id, int64_t now, int64_t *article_id);
struct store_article {
	int64_t id;
	char   *url, *final_url, *status, *error;
	int     http_status, attempts;
	char   *title, *byline, *site_name, *lang, *excerpt, *lead_image, *html, *text;
	int64_t published, word_count, fetched_at, next_attempt; /* DATE_NONE / -1 if unknown */
};
int  store_article_get(struct store *, int64_t id, struct store_article *);
void store_article_clear(struct store_article *);

/* opml.c: OPML subscription lists (import/export, no database). */
#define OPML_MAX_FILE  (64u << 20)  /* bytes of one document */
#define OPML_MAX_FEEDS 100000u
#define OPML_MAX_STR   (64u << 10)  /* bytes of one URL, title or tag */
#define OPML_MAX_TAGS  1024u        /* tags of one feed */
#define OPML_MAX_TOTAL (256u << 20) /* bytes of all strings in one result */
struct opml_feed {
	char  *url;      /* xmlUrl (outlines without one are folders) */
	char  *title;    /* title, else text; NULL if neither */
	char  *html_url; /* htmlUrl, may be NULL */
	char **tags;     /* enclosing folders outermost first, then category entries; deduped */
	size_t ntags;
};
struct opml {
	char *title; /* head/title, may be NULL */
	struct opml_feed *feeds;
	size_t nfeeds;
};
/* Parses a whole document.  NULL with "line N: why" in err on error (all or
 * nothing); on success err is "" or "repaired: line N: what" (first repair). */
struct opml *opml_parse(const char *data, size_t len, char *err, size_t errsz);
void opml_free(struct opml *);
/* Writes indented OPML 2.0 in UTF-8 that opml_parse reads back as the same
 * feeds, titles and tag sets (one folder per tag: a feed with three tags is
 * written three times, as Feedly and Inoreader do).  0, or -1 on a write error. */
int  opml_write(FILE *, const struct opml *);

/* config.c: gleaner.conf, parsed with inih. */
struct config_feed {
	char   *name;                  /* the section's quoted name: [feed "LWN"] */
	char   *url;
	char   *title;                 /* defaults to name */
	char  **tags;
	size_t  ntags;
	int64_t interval;              /* seconds, 0: global */
	int     full_text;             /* -1: global */
	int     allow_private;         /* -1: global */
	char   *user_agent, *proxy, *username, *password;
	char  **headers;               /* "Name: value" */
	size_t  nheaders;
	int64_t max_age, max_items;    /* 0: global */
	unsigned line;
};
struct config_site {
	char    *host, *content, *remove;
	unsigned line;
};
struct config {
	char   *path;
	char   *database, *control_socket;
	int64_t interval, min_interval, max_interval, timeout, connect_timeout;
	int64_t max_body;
	int     max_connections, max_host_connections;
	int     full_text, allow_private;
	int64_t max_age, max_items;
	int     log_level;
	char   *user_agent;
	int64_t article_host_delay;
	int     article_host_connections;
	struct config_feed *feeds;
	size_t  nfeeds;
	struct config_site *sites;
	size_t  nsites;
};
/* Parses path; NULL on error, with every problem as "FILE:LINE: message" lines in err. */
struct config *config_load(const char *path, char *err, size_t errsz);
void config_free(struct config *);
int  config_parse_duration(const char *, int64_t *secs);
int  config_parse_size(const char *, int64_t *bytes);
int  config_parse_bool(const char *, int *);

/* html.c: web pages, parsed with libxml2's HTML parser (HTML_PARSE_RECOVER,
 * NONET, no errors or warnings, XML_PARSE_HUGE: without it libxml2 drops
 * everything below depth 256).  xmlInitParser() runs once, on first use. */
struct _xmlDoc;
struct _xmlNode;
#define HTML_MAX_BYTES (16u << 20) /* a page longer than this is cut here */
enum html_charset_src { HCS_HTTP, HCS_BOM, HCS_META, HCS_UTF8, HCS_DEFAULT };
/* The charset a page is read in, in this order: a BOM, the HTTP header's
 * (when iconv knows it), <meta charset> or http-equiv Content-Type in the
 * first 4 KiB, UTF-8 when the bytes are valid UTF-8, else windows-1252.
 * Writes the normalized name to out and returns where it came from. */
enum html_charset_src html_charset(const char *data, size_t len, const char *http_charset,
				   char *out, size_t outsz);
/* Parses a page in that charset; url becomes the document's URL.  NULL only
 * when libxml2 cannot build a tree at all (err says why). */
struct _xmlDoc *html_parse(const char *data, size_t len, const char *http_charset,
			   const char *url, char *err, size_t errsz);
void html_free(struct _xmlDoc *);

/* discover.c: the feeds a web page names with <link rel="alternate">
 * (RSS, Atom, RDF, JSON Feed types), resolved against <base href> or url,
 * http(s) only, each once, in document order.  Returns how many; *urls
 * (NULL when none) is freed with discover_free. */
size_t discover_feeds(const char *html, size_t len, const char *http_charset, const char *url,
		      char ***urls);
void   discover_free(char **urls, size_t n);

/* selector.c: per-site rules.  A CSS selector subset (type, *, .class,
 * #id, [attr], [attr=v], [attr~=v], [attr^=v], [attr$=v], [attr*=v],
 * descendant and child combinators, comma lists) as an XPath 1.0
 * expression; a rule starting with '/' or '(' is XPath already and is
 * returned as is after a syntax check.  NULL with the reason in err. */
char *selector_to_xpath(const char *sel, char *err, size_t errsz);

/* sanitize.c: the HTML an article is stored and shown as.  Writes the
 * children of root as HTML with an allowlist of tags and attributes: no
 * script, style, event handlers, forms, javascript: or data: URLs;
 * iframes only from an allowlist of video hosts; relative href, src and
 * srcset resolved against base_url.  0, or -1 on allocation failure. */
int   sanitize_node(const struct _xmlNode *root, const char *base_url, struct buf *out);
/* The same for a string of HTML (an item's content from a feed). */
char *sanitize_html(const char *html, size_t len, const char *base_url);

/* render.c: the plain text of an article tree.  Blocks are separated by a
 * blank line and never share a line; headings are "## ", list items "- ",
 * quotes "> ", preformatted text kept as is.  RENDER_BODY gives
 * schema.org's articleBody: no markers, no captions, no figure credits. */
enum { RENDER_READER = 0, RENDER_BODY = 1 };
int   render_text(const struct _xmlNode *root, int mode, struct buf *out);

/* extract.c, extract_*.c: the article of a web page, readability-style.
 * Structured data (JSON-LD, OpenGraph, meta) first for metadata and as a
 * fallback body; a content finder scoring paragraphs and containers; then
 * cleaning inside the chosen content.  A per-site rule (XPath, from
 * selector_to_xpath) replaces the content finder where it matches. */
struct extract_opts {
	const char *url;               /* the final URL: base of relative links */
	const char *http_charset;      /* the Content-Type charset, or NULL */
	const char *content_xpath;     /* per-site rule, or NULL */
	const char *remove_xpath;      /* per-site rule, or NULL */
};
struct article {
	char   *title, *byline, *site_name, *lang, *excerpt, *lead_image;
	char   *canonical;             /* <link rel=canonical> or og:url, absolute */
	char   *charset;               /* the charset the page was read in */
	int64_t published;             /* DATE_NONE if unknown */
	int64_t word_count;
	char   *html;                  /* sanitized article HTML */
	char   *text;                  /* reader text (render_text RENDER_READER) */
	char   *body;                  /* articleBody text (RENDER_BODY) */
	const char *method;            /* "site-rule", "dom", "json-ld" */
};
enum { EXTRACT_OK = 0, EXTRACT_EMPTY = 1, EXTRACT_ERR = -1 };
/* EXTRACT_OK with every field it found; EXTRACT_EMPTY when the page has
 * metadata but no article text (a is filled as far as it goes);
 * EXTRACT_ERR when the page cannot be parsed (err says why). */
int   extract_article(const char *data, size_t len, const struct extract_opts *,
		      struct article *a, char *err, size_t errsz);
void  article_clear(struct article *);

/* feedjson.c: output of a parse result as feedcmp/1 JSON and as a summary. */
void json_put_string(FILE *, const char *s);
void json_buf_string(struct buf *, const char *s);
void feedjson_begin(FILE *, const char *file);
void feedjson_item(FILE *, const struct feed_item *, int first);
void feedjson_end(FILE *, const struct feed *);
void feed_print_summary(FILE *, const struct feed *);

#endif
