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

/* feedjson.c: output of a parse result as feedcmp/1 JSON and as a summary. */
void json_put_string(FILE *, const char *s);
void feedjson_begin(FILE *, const char *file);
void feedjson_item(FILE *, const struct feed_item *, int first);
void feedjson_end(FILE *, const struct feed *);
void feed_print_summary(FILE *, const struct feed *);

#endif
