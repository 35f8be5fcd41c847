/*
 * feed_int.h: private to the feed parser (feed.c, feed_input.c, feed_xml*.c,
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

/*
 * feed_xml*.c: RSS and Atom on expat (see feed_xml.c), in four files that
 * share what follows:
 *   feed_xml.c          the expat glue: callbacks, the element stack, resync
 *   feed_xml_ns.c       namespaces, the element table, attributes
 *   feed_xml_elem.c     what an element does to the feed when it opens and closes
 *   feed_xml_capture.c  an element's text, captured and stored in the feed or item
 */
enum ns {
	NS_CORE, NS_DC, NS_DCTERMS, NS_CONTENT, NS_MEDIA, NS_ITUNES, NS_RDF, NS_XHTML,
	NS_XML, NS_OTHER,
};

enum el {
	EL_NONE, EL_RSS, EL_RDF, EL_FEED, EL_CHANNEL, EL_ITEM, EL_IMAGE, EL_TEXTINPUT, EL_SOURCE,
	EL_AUTHOR, EL_NAME, EL_EMAIL, EL_TITLE, EL_LINK, EL_DESCRIPTION, EL_SUMMARY, EL_SUBTITLE,
	EL_CONTENT, EL_ENCODED, EL_BODY, EL_ID, EL_PUBLISHED, EL_UPDATED, EL_CATEGORY,
	EL_ENCLOSURE, EL_MEDIA_CONTENT, EL_MEDIA_THUMB, EL_COMMENTS, EL_LANGUAGE,
	EL_TTL, EL_GENERATOR, EL_URL, EL_LOGO, EL_ICON, EL_SKIPHOURS, EL_SKIPDAYS, EL_HOUR,
	EL_DAY, EL_ITUNES_IMAGE, EL_MEDIA_TITLE,
};

struct nsdecl {
	char    *prefix; /* "" for the default namespace */
	char    *uri;
	unsigned depth;
	enum ns  ns;     /* what the URI (or, unknown, the prefix) means */
};

struct frame {
	size_t   name_off; /* qname in st->names */
	size_t   decl_off; /* xmlns attributes, for replay, in st->names */
	enum el  el;
	char    *base;     /* xml:base in effect (owned when own_base) */
	int      own_base;
};

struct capture {
	int        active;
	enum el    el;
	unsigned   depth;     /* depth of the captured element */
	int        type;      /* TEXT_PLAIN/HTML/XHTML */
	int        base64;
	int        author_ok; /* an author element that may turn out a container */
	int        wrapper;   /* 1 while the first top-level div of xhtml content is open, 2 after */
	size_t     wrap_in, wrap_out, wrap_end; /* offsets: after <div>, before and after </div> */
	struct buf text;
	char      *base;
};

struct xml_state {
	struct feed_parser *p;
	XML_Parser xp;
	struct frame *stack;
	unsigned depth;       /* open elements, tracked or not */
	unsigned cap;
	struct buf names;
	struct nsdecl *decls;
	size_t   ndecls, capdecls;
	unsigned replay;      /* start events still to ignore after a resync */
	size_t   field_cap, content_cap;
	unsigned line_base;   /* document line where the current expat parser's line 1 is */
	unsigned resyncs;
	int      dead;
	int      seen_root;
	int      in_feed, in_image, in_textinput, in_source, in_author, in_skiphours, in_skipdays;
	int      author_container;
	unsigned item_depth;
	struct feed_item *item;
	/* feedparser's author rules: the first author element that yields a name
	 * or an address fixes the detail; Atom <name> updates it. */
	int      detail_set;
	char    *detail_name;
	char    *author_str;
	int      guid_is_link;
	int      title_depth; /* depth of the entry's title so far, -1 none */
	int      has_content; /* a content element was seen in this entry */
	struct capture cap_;
};

/* The line in the document, across resyncs. */
static inline unsigned
xml_line(struct xml_state *st)
{
	return st->line_base + (unsigned)XML_GetCurrentLineNumber(st->xp) - 1;
}

/* The xml:base in effect, or the feed's own URL. */
static inline const char *
xml_cur_base(struct xml_state *st)
{
	unsigned d = st->depth < st->cap ? st->depth : st->cap;

	return d ? st->stack[d - 1].base : st->p->opts.url;
}

static inline int
xml_is_atom(const struct feed *f)
{
	return f->format == FEED_ATOM10 || f->format == FEED_ATOM03;
}

/* feed_xml_ns.c */
/* The value of attribute name, any case: one without a prefix, or for a qname
 * ("rdf:about", "xml:base") the attribute written so.  NULL when absent. */
const char *xml_attr(const XML_Char **atts, const char *name);
/* The URI bound to prefix (plen bytes, 0 for the default namespace), or NULL. */
const char *xml_ns_lookup(struct xml_state *, const char *prefix, size_t plen);
/* Module of a qname, and its local name. */
enum ns     xml_resolve(struct xml_state *, const char *qname, const char **local);
/* What a local name of a module is, EL_NONE when the parser does not read it. */
enum el     xml_lookup_el(enum ns, const char *local);
/* Declares the element's xmlns attributes at st->depth and writes them to
 * replay (for a resync); xml_pop_decls drops those at st->depth and deeper. */
void        xml_push_decls(struct xml_state *, const XML_Char **atts, struct buf *replay);
void        xml_pop_decls(struct xml_state *);

/* feed_xml_elem.c */
void xml_start_el(struct xml_state *, const char *qname, const XML_Char **atts, enum el,
		  enum ns);
void xml_end_el(struct xml_state *, enum el);
/* Emits the open item. */
void xml_item_end(struct xml_state *);

/* feed_xml_capture.c */
/* Starts taking the text of the element just opened, up to cap bytes. */
void xml_capture_begin(struct xml_state *, enum el, int type, int b64, size_t cap);
/* Its end tag: decodes the text and stores it in the feed or the item. */
void xml_capture_end(struct xml_state *);
/* Markup inside a captured element, written back as text. */
void xml_serialize_start(struct xml_state *, const char *qname, const XML_Char **atts);
/* Replaces *dst with ref resolved against base; a missing, blank or
 * unresolvable ref leaves it. */
void xml_set_url(char **dst, const char *base, const char *ref);

#endif
