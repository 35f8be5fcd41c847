/*
 * feed_int.h: private to the feed parser (feed.c, feed_input.c, feed_xml.c,
 * feed_json.c).  Everything public is in gleaner.h.
 */
#ifndef FEED_INT_H
#define FEED_INT_H

#include <expat.h>

#include "gleaner.h"

enum { INPUT_UNDECIDED = 0, INPUT_XML, INPUT_JSON };
#define FEED_FIELD_CAP   (1u << 20) /* a title, an id, a link... */
#define FEED_CONTENT_CAP (8u << 20) /* a summary or a content */
#define DTD_MAX_ENTITIES 64

/* feed_input.c: sniffing, charset conversion and the repair pass. */
struct feed_input {
	int         kind;
	struct buf  head;      /* held back while sniffing */
	struct buf  conv_out;  /* iconv output for this chunk */
	struct buf  out;       /* what to hand to the parser for this chunk */
	struct charset_conv *conv;
	char        http_charset[64];
	char        charset[64];
	size_t      skip;      /* BOM bytes */
	int         first_utf8;
	int         prologue;  /* no element seen yet */
	int         state;
	char        carry[128];
	size_t      carry_len;
	size_t      doctype_start;
	int         doctype_subset;
	char       *dtd_names[DTD_MAX_ENTITIES];
	unsigned    dtd_entities;
	unsigned    line;      /* line in the UTF-8 stream, for reports */
	unsigned    prologue_lines; /* lines dropped before the XML declaration */
	unsigned    repairs;
	const char *first_repair;
	unsigned    first_repair_line;
	unsigned    invalid_bytes;
	int         allow_direct;
	const char *direct;    /* the chunk itself, when the repair pass changed nothing */
	size_t      direct_len;
	int         noted_invalid;
};
void input_init(struct feed_input *, const char *http_charset);
int  input_push(struct feed_input *, const char *, size_t, int last);
const char *input_data(const struct feed_input *, size_t *len);
void input_free(struct feed_input *);
int  dtd_has_entity(const struct feed_input *, const char *, size_t);

/* feed_xml.c: expat handlers. */
struct xml_state;
struct xml_state *xml_new(struct feed_parser *);
/* Parses repaired UTF-8; recovers from structural errors by resyncing. */
int  xml_feed(struct xml_state *, const char *, size_t, int last);
void xml_finish(struct xml_state *);
void xml_free(struct xml_state *);

/* feed_json.c: JSON Feed through SQLite's JSON functions. */
int  json_feed_parse(struct feed_parser *, const char *, size_t);

/* feed.c: shared by the format back ends. */
struct feed_parser {
	struct feed_parser_opts opts;
	struct feed      *feed;
	struct feed_input in;
	struct xml_state *xml;
	struct buf        json;
	int               done;
};
struct feed_item *item_new(void);
void item_emit(struct feed_parser *, struct feed_item *);
void feed_set_bozo(struct feed *, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Replaces *dst with a copy of s (trimmed), or leaves it when s is empty. */
void str_set(char **dst, const char *s);
/* Like str_set, but cut to cap bytes at a UTF-8 boundary. */
void str_set_capped(char **dst, const char *s, size_t cap);
/* Splits "addr (Name)" / "Name <addr>" into a display name and an address. */
void author_split(const char *raw, char **name, char **email);
int  item_add_enclosure(struct feed_item *, const char *url, const char *type, int64_t len,
			int media);
void base64_decode(struct buf *, const char *, size_t);
int  item_add_category(struct feed_item *, const char *term);

#endif
