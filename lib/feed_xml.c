/*
 * feed_xml.c: RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 on expat.
 *
 * Namespaces are resolved here, not by expat: real feeds use prefixes they
 * never declare (dc:creator with no xmlns:dc), which expat's namespace mode
 * rejects.  A known URI maps to its module; an unknown URI is judged by the
 * prefix the document used, as feedparser does.  Elements are dispatched
 * from a table keyed on module and lower-cased local name.
 *
 * Structural errors (a mismatched or broken tag) do not end the parse: the
 * rest of expat's buffer is taken, the offending tag is dropped or closes
 * the open elements up to its match, and a fresh parser resumes there,
 * primed with the still-open elements.  Memory stays bounded: no tree, a
 * stack of open elements (capped) and one capture buffer.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed_int.h"

#define MAX_DEPTH   512   /* deeper elements are parsed but not tracked */
#define MAX_RESYNC  10000
#define FIELD_CAP   (st->field_cap)
#define CONTENT_CAP (st->content_cap)

enum ns {
	NS_CORE, NS_DC, NS_DCTERMS, NS_CONTENT, NS_MEDIA, NS_ITUNES, NS_RDF, NS_XHTML,
	NS_XML, NS_OTHER,
};

static const struct {
	const char *uri;
	enum ns     ns;
} ns_uris[] = {
	{"http://backend.userland.com/rss", NS_CORE},
	{"http://backend.userland.com/rss2", NS_CORE},
	{"http://blogs.law.harvard.edu/tech/rss", NS_CORE},
	{"http://purl.org/rss/1.0/", NS_CORE},
	{"http://my.netscape.com/rdf/simple/0.9/", NS_CORE},
	{"http://purl.org/atom/ns#", NS_CORE},
	{"http://www.w3.org/2005/Atom", NS_CORE},
	{"http://purl.org/rss/1.0/modules/rss091#", NS_CORE},
	{"http://purl.org/echo/", NS_CORE},
	{"http://purl.org/pie/", NS_CORE},
	{"http://purl.org/dc/elements/1.1/", NS_DC},
	{"http://purl.org/dc/elements/1.0/", NS_DC},
	{"http://purl.org/dc/terms/", NS_DCTERMS},
	{"http://purl.org/rss/1.0/modules/content/", NS_CONTENT},
	{"http://search.yahoo.com/mrss/", NS_MEDIA},
	{"http://search.yahoo.com/mrss", NS_MEDIA},
	{"http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES},
	{"http://www.itunes.com/DTDs/PodCast-1.0.dtd", NS_ITUNES},
	{"http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF},
	{"http://www.w3.org/1999/xhtml", NS_XHTML},
	{"http://www.w3.org/XML/1998/namespace", NS_XML},
};

/* Prefixes used without a declaration, or bound to an unknown URI. */
static const struct {
	const char *prefix;
	enum ns     ns;
} ns_prefixes[] = {
	{"atom", NS_CORE}, {"content", NS_CONTENT}, {"dc", NS_DC}, {"dcterms", NS_DCTERMS},
	{"itunes", NS_ITUNES}, {"media", NS_MEDIA}, {"rdf", NS_RDF}, {"xhtml", NS_XHTML},
	{"xml", NS_XML},
};

enum el {
	EL_NONE, EL_RSS, EL_RDF, EL_FEED, EL_CHANNEL, EL_ITEM, EL_IMAGE, EL_TEXTINPUT, EL_SOURCE,
	EL_AUTHOR, EL_NAME, EL_EMAIL, EL_TITLE, EL_LINK, EL_DESCRIPTION, EL_SUMMARY, EL_SUBTITLE,
	EL_CONTENT, EL_ENCODED, EL_BODY, EL_ID, EL_PUBLISHED, EL_UPDATED, EL_CATEGORY,
	EL_ENCLOSURE, EL_MEDIA_CONTENT, EL_MEDIA_THUMB, EL_COMMENTS, EL_LANGUAGE,
	EL_TTL, EL_GENERATOR, EL_URL, EL_LOGO, EL_ICON, EL_SKIPHOURS, EL_SKIPDAYS, EL_HOUR,
	EL_DAY, EL_ITUNES_IMAGE, EL_MEDIA_TITLE,
};

/* Sorted by (ns, name) for bsearch. */
static const struct eltab {
	enum ns     ns;
	const char *name;
	enum el     el;
} eltab[] = {
	{NS_CORE, "author", EL_AUTHOR},
	{NS_CORE, "category", EL_CATEGORY},
	{NS_CORE, "channel", EL_CHANNEL},
	{NS_CORE, "comments", EL_COMMENTS},
	{NS_CORE, "content", EL_CONTENT},
	{NS_CORE, "contributor", EL_NONE},
	{NS_CORE, "day", EL_DAY},
	{NS_CORE, "description", EL_DESCRIPTION},
	{NS_CORE, "email", EL_EMAIL},
	{NS_CORE, "enclosure", EL_ENCLOSURE},
	{NS_CORE, "entry", EL_ITEM},
	{NS_CORE, "feed", EL_FEED},
	{NS_CORE, "generator", EL_GENERATOR},
	{NS_CORE, "guid", EL_ID},
	{NS_CORE, "hour", EL_HOUR},
	{NS_CORE, "icon", EL_ICON},
	{NS_CORE, "id", EL_ID},
	{NS_CORE, "image", EL_IMAGE},
	{NS_CORE, "issued", EL_PUBLISHED},
	{NS_CORE, "item", EL_ITEM},
	{NS_CORE, "language", EL_LANGUAGE},
	{NS_CORE, "link", EL_LINK},
	{NS_CORE, "logo", EL_LOGO},
	{NS_CORE, "managingeditor", EL_NONE},
	{NS_CORE, "modified", EL_UPDATED},
	{NS_CORE, "name", EL_NAME},
	{NS_CORE, "pubdate", EL_PUBLISHED},
	{NS_CORE, "published", EL_PUBLISHED},
	{NS_CORE, "rss", EL_RSS},
	{NS_CORE, "skipdays", EL_SKIPDAYS},
	{NS_CORE, "skiphours", EL_SKIPHOURS},
	{NS_CORE, "source", EL_SOURCE},
	{NS_CORE, "subtitle", EL_SUBTITLE},
	{NS_CORE, "summary", EL_SUMMARY},
	{NS_CORE, "tagline", EL_SUBTITLE},
	{NS_CORE, "textinput", EL_TEXTINPUT},
	{NS_CORE, "title", EL_TITLE},
	{NS_CORE, "ttl", EL_TTL},
	{NS_CORE, "updated", EL_UPDATED},
	{NS_CORE, "url", EL_URL},
	{NS_DC, "author", EL_AUTHOR},
	{NS_DC, "creator", EL_AUTHOR},
	{NS_DC, "date", EL_UPDATED},
	{NS_DC, "language", EL_LANGUAGE},
	{NS_DC, "subject", EL_CATEGORY},
	{NS_DCTERMS, "issued", EL_PUBLISHED},
	{NS_DCTERMS, "modified", EL_UPDATED},
	{NS_CONTENT, "encoded", EL_ENCODED},
	{NS_MEDIA, "content", EL_MEDIA_CONTENT},
	{NS_MEDIA, "thumbnail", EL_MEDIA_THUMB},
	{NS_MEDIA, "title", EL_MEDIA_TITLE},
	{NS_ITUNES, "author", EL_AUTHOR},
	{NS_ITUNES, "image", EL_ITUNES_IMAGE},
	{NS_ITUNES, "summary", EL_SUMMARY},
	{NS_RDF, "rdf", EL_RDF},
	{NS_XHTML, "body", EL_BODY},
};

static int
eltab_cmp(const void *k, const void *e)
{
	const struct eltab *a = k, *b = e;

	if (a->ns != b->ns)
		return (int)a->ns - (int)b->ns;
	return strcmp(a->name, b->name);
}

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

static unsigned xml_line(struct xml_state *);

static const char *
attr(const XML_Char **atts, const char *name)
{
	for (; atts && atts[0]; atts += 2) {
		const char *colon = strchr(atts[0], ':');
		const char *local = colon ? colon + 1 : atts[0];

		/* Namespaced attributes (rdf:about, xml:base) are asked for by qname. */
		if (strchr(name, ':') ? !strcasecmp(atts[0], name) : (!colon && !strcasecmp(local, name)))
			return atts[1];
	}
	return NULL;
}


static enum ns
ns_of_uri(const char *uri, const char *prefix)
{
	size_t i;

	for (i = 0; i < sizeof(ns_uris) / sizeof(ns_uris[0]); i++)
		if (!strcmp(uri, ns_uris[i].uri))
			return ns_uris[i].ns;
	if (!strncasecmp(uri, "http://www.w3.org/2005/atom", 27))
		return NS_CORE;
	if (*prefix == '\0')
		return NS_CORE; /* an unknown default namespace: feedparser reads it as RSS */
	for (i = 0; i < sizeof(ns_prefixes) / sizeof(ns_prefixes[0]); i++)
		if (!strcmp(prefix, ns_prefixes[i].prefix))
			return ns_prefixes[i].ns;
	return NS_OTHER;
}

static const struct nsdecl *
ns_decl(struct xml_state *st, const char *prefix, size_t plen)
{
	size_t i = st->ndecls;

	while (i-- > 0)
		if (strlen(st->decls[i].prefix) == plen && !memcmp(st->decls[i].prefix, prefix, plen))
			return &st->decls[i];
	return NULL;
}

static const char *
ns_lookup(struct xml_state *st, const char *prefix, size_t plen)
{
	const struct nsdecl *d = ns_decl(st, prefix, plen);

	return d ? d->uri : NULL;
}

/* Module of a qname, and its local name. */
static enum ns
resolve(struct xml_state *st, const char *qname, const char **local)
{
	const char *colon = strchr(qname, ':');
	const char          *uri;
	const struct nsdecl *decl;
	char                 prefix[64];
	size_t               plen = colon ? (size_t)(colon - qname) : 0;

	*local = colon ? colon + 1 : qname;
	if (plen >= sizeof(prefix))
		return NS_OTHER;
	memcpy(prefix, qname, plen);
	prefix[plen] = '\0';
	for (size_t i = 0; i < plen; i++)
		prefix[i] = (char)tolower((unsigned char)prefix[i]);
	if (plen == 3 && !strcmp(prefix, "xml"))
		return NS_XML;
	decl = ns_decl(st, qname, plen);
	uri = decl ? decl->uri : NULL;
	if (uri == NULL) {
		size_t i;

		if (plen == 0)
			return NS_CORE;
		if (strcmp(prefix, "xmlns"))
			feed_set_bozo(st->p->feed, xml_line(st),
				      "undeclared namespace prefix '%s'", prefix);
		for (i = 0; i < sizeof(ns_prefixes) / sizeof(ns_prefixes[0]); i++)
			if (!strcmp(prefix, ns_prefixes[i].prefix))
				return ns_prefixes[i].ns;
		return NS_OTHER;
	}
	return decl->ns;
}

static enum el
lookup_el(enum ns ns, const char *local)
{
	char               lower[32];
	struct eltab       key = {0};
	const struct eltab *e;
	size_t             i;

	for (i = 0; i < sizeof(lower) - 1 && local[i]; i++)
		lower[i] = (char)tolower((unsigned char)local[i]);
	if (local[i])
		return EL_NONE;
	lower[i] = '\0';
	key.ns = ns;
	key.name = lower;
	e = bsearch(&key, eltab, sizeof(eltab) / sizeof(eltab[0]), sizeof(eltab[0]), eltab_cmp);
	return e ? e->el : EL_NONE;
}

/* ---------------------------------------------------------------- output */

/* Atom's type and Atom 0.3's mode attributes, as a text type. */
static int
text_type_of(const char *type, const char *mode, int dflt, int *b64)
{
	*b64 = mode && !strcasecmp(mode, "base64");
	if (type == NULL || *type == '\0')
		return mode && !strcasecmp(mode, "escaped") ? TEXT_HTML : dflt;
	if (!strcasecmp(type, "text") || !strcasecmp(type, "text/plain"))
		return TEXT_PLAIN;
	if (!strcasecmp(type, "html") || !strcasecmp(type, "text/html"))
		return TEXT_HTML;
	if (!strcasecmp(type, "xhtml") || !strcasecmp(type, "application/xhtml+xml"))
		return TEXT_XHTML;
	return strncasecmp(type, "text/", 5) ? dflt : TEXT_PLAIN;
}

static int
text_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
is_atom(const struct feed *f)
{
	return f->format == FEED_ATOM10 || f->format == FEED_ATOM03;
}

/* Plain text of a title: HTML-typed or HTML-looking text loses its markup. */
static char *
title_text(struct xml_state *st, const char *s, size_t n, int type)
{
	if (type != TEXT_PLAIN || (!is_atom(st->p->feed) && text_looks_like_html(s, n)))
		return text_from_html(s, n);
	return text_collapse_ws(s, n);
}

static void
set_url(char **dst, const char *base, const char *ref)
{
	char *u;

	if (ref == NULL)
		return;
	while (isspace((unsigned char)*ref))
		ref++;
	if (*ref == '\0')
		return;
	if ((u = url_resolve(base, ref)) != NULL) {
		free(*dst);
		*dst = u;
	}
}

/* The line in the document, across resyncs. */
static unsigned
xml_line(struct xml_state *st)
{
	return st->line_base + (unsigned)XML_GetCurrentLineNumber(st->xp) - 1;
}

static const char *
cur_base(struct xml_state *st)
{
	unsigned d = st->depth < st->cap ? st->depth : st->cap;

	return d ? st->stack[d - 1].base : st->p->opts.url;
}

static void
author_done(struct xml_state *st, const char *raw, int container)
{
	char *name = NULL, *email = NULL;

	if (!container) {
		author_split(raw, &name, &email);
		str_set(&st->author_str, raw);
		if (!st->detail_set && (name || email)) {
			st->detail_set = 1;
			free(st->detail_name);
			st->detail_name = name;
			name = NULL;
		}
		if (st->item) {
			free(st->item->author_email);
			st->item->author_email = email;
			email = NULL;
		}
	}
	free(name);
	free(email);
}

static void
capture_store(struct xml_state *st, struct capture *c)
{
	struct feed      *f = st->p->feed;
	struct feed_item *it = st->item;
	const char       *s = c->text.data ? c->text.data : "";
	size_t            n = c->text.len;
	char             *t;
	int64_t           when;

	switch (c->el) {
	case EL_TITLE:
	case EL_MEDIA_TITLE:
		t = title_text(st, s, n, c->type);
		if (it) {
			/* feedparser: a title nested deeper than the one already
			 * found (a product variant's, a media group's) does not
			 * replace it; media:title fills in but never blocks. */
			if (*t && (st->title_depth == -1 || (unsigned)st->title_depth > c->depth)) {
				free(it->title);
				it->title = t;
				t = NULL;
				if (c->el == EL_TITLE)
					st->title_depth = (int)c->depth;
			}
		} else if (c->el == EL_TITLE && st->in_feed && f->title == NULL) {
			f->title = t;
			t = NULL;
		}
		free(t);
		break;
	case EL_LINK:
		if (it) {
			set_url(&it->link, c->base, s);
		} else if (st->in_feed)
			set_url(&f->link, c->base, s);
		break;
	case EL_ID:
		if (!it && st->in_feed && f->link == NULL) {
			/* Atom: a feed without an alternate link is known by its id. */
			t = text_collapse_ws(s, n);
			if (*t)
				f->link = url_resolve(c->base, t);
			free(t);
		}
		if (it) {
			t = text_collapse_ws(s, n);
			if (*t) {
				free(it->id);
				it->id = st->guid_is_link ? url_resolve(c->base, t) : strdup(t);
				it->id_permalink = st->guid_is_link;
				if (st->guid_is_link && it->link == NULL && it->id)
					it->link = strdup(it->id);
			}
			free(t);
		}
		break;
	case EL_DESCRIPTION:
	case EL_SUMMARY:
		if (it) {
			if (c->type == TEXT_PLAIN && !is_atom(f) && text_looks_like_html(s, n))
				c->type = TEXT_HTML;
			free(it->summary);
			it->summary = buf_take(&c->text);
			it->summary_type = c->type;
		} else if (st->in_feed && f->description == NULL) {
			f->description = (c->type == TEXT_PLAIN) ? text_collapse_ws(s, n) : text_from_html(s, n);
		}
		break;
	case EL_SUBTITLE:
		if (!it && st->in_feed && f->description == NULL)
			f->description = (c->type == TEXT_PLAIN) ? text_collapse_ws(s, n) : text_from_html(s, n);
		break;
	case EL_CONTENT:
	case EL_ENCODED:
	case EL_BODY:
		if (it && it->content == NULL) {
			if (c->type == TEXT_PLAIN && !is_atom(f) && text_looks_like_html(s, n))
				c->type = TEXT_HTML;
			it->content = buf_take(&c->text);
			it->content_type = c->type;
		}
		break;
	case EL_PUBLISHED:
	case EL_UPDATED:
		if (it) {
			if (date_parse(s, n, &when) != 0)
				when = DATE_NONE;
			if (c->el == EL_PUBLISHED)
				it->published = when;
			else
				it->updated = when;
		}
		break;
	case EL_AUTHOR:
		if (it)
			author_done(st, s, 0);
		break;
	case EL_NAME:
		if (it && st->in_author) {
			st->detail_set = 1;
			t = text_collapse_ws(s, n);
			if (*t) {
				free(st->detail_name);
				st->detail_name = t;
			} else
				free(t);
		}
		break;
	case EL_EMAIL:
		if (it && st->in_author) {
			t = text_collapse_ws(s, n);
			st->detail_set = 1;
			if (*t) {
				free(it->author_email);
				it->author_email = t;
			} else
				free(t);
		}
		break;
	case EL_CATEGORY:
		if (it) {
			t = text_collapse_ws(s, n);
			if (*t)
				item_add_category(it, t);
			free(t);
		}
		break;
	case EL_COMMENTS:
		if (it)
			set_url(&it->comments, c->base, s);
		break;
	case EL_LANGUAGE:
		if (!it && f->language == NULL)
			f->language = text_collapse_ws(s, n);
		break;
	case EL_TTL:
		if (!it)
			f->ttl = (int)strtol(s, NULL, 10);
		break;
	case EL_GENERATOR:
		if (!it && f->generator == NULL)
			f->generator = text_collapse_ws(s, n);
		break;
	case EL_URL:
		if (!it && st->in_image)
			set_url(&f->image, c->base, s);
		break;
	case EL_LOGO:
		if (!it)
			set_url(&f->image, c->base, s);
		break;
	case EL_ICON:
		if (!it)
			set_url(&f->icon, c->base, s);
		break;
	case EL_HOUR:
		if (st->in_skiphours) {
			char *t2 = text_collapse_ws(s, n), *end = NULL;
			long  h = t2 && *t2 ? strtol(t2, &end, 10) : -1;

			/* Junk or an empty <hour> is not midnight. */
			if (end && *end == '\0' && h >= 0 && h <= 24)
				f->skip_hours |= 1u << (h % 24);
			free(t2);
		}
		break;
	case EL_DAY: {
		static const char *days[] = {"monday", "tuesday", "wednesday", "thursday",
					     "friday", "saturday", "sunday"};
		if (!st->in_skipdays)
			break;
		t = text_collapse_ws(s, n);
		for (int d = 0; d < 7; d++)
			if (!strcasecmp(t, days[d]))
				f->skip_days |= (uint8_t)(1u << d);
		free(t);
		break;
	}
	default:
		break;
	}
}

static void
capture_begin(struct xml_state *st, enum el el, int type, int b64, size_t cap)
{
	struct capture *c = &st->cap_;

	c->active = 1;
	c->el = el;
	c->depth = st->depth;
	c->type = type;
	c->base64 = b64;
	c->author_ok = 0;
	c->wrapper = 0;
	c->wrap_in = c->wrap_out = c->wrap_end = 0;
	buf_reset(&c->text);
	c->text.cap = cap;
	free(c->base);
	c->base = cur_base(st) ? strdup(cur_base(st)) : NULL;
}

/* Atom xhtml content is wrapped in a div that is not part of it: drop the
 * div when it holds everything (as feedparser does: two top-level divs
 * are both content). */
static void
unwrap_xhtml(struct capture *c)
{
	const char *d = c->text.data;
	size_t      k;

	if (c->wrapper != 2 || d == NULL || !text_is_blank(d + c->wrap_end, c->text.len - c->wrap_end))
		return;
	for (k = 0; k < c->wrap_in && (d[k] == ' ' || d[k] == '\t' || d[k] == '\r' || d[k] == '\n'); k++)
		;
	if (d[k] != '<')
		return;
	memmove(c->text.data, d + c->wrap_in, c->wrap_out - c->wrap_in);
	c->text.len = c->wrap_out - c->wrap_in;
	c->text.data[c->text.len] = '\0';
}

/* A field cut at its cap must still be valid UTF-8: back off to a boundary. */
static void
trim_partial_utf8(struct buf *b)
{
	size_t n = b->len, k = 0;

	while (n > 0 && k < 4 && ((unsigned char)b->data[n - 1] & 0xC0) == 0x80)
		n--, k++;
	if (n > 0 && (unsigned char)b->data[n - 1] >= 0xC0) {
		unsigned char lead = (unsigned char)b->data[n - 1];
		size_t        need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;

		if (k < need) {
			b->len = n - 1;
			b->data[b->len] = '\0';
		}
	}
}

static void
capture_end(struct xml_state *st)
{
	struct capture *c = &st->cap_;

	c->active = 0;
	if (c->text.truncated)
		trim_partial_utf8(&c->text);
	if (c->type == TEXT_XHTML)
		unwrap_xhtml(c);
	if (c->base64) {
		struct buf d;

		buf_init(&d, c->text.cap);
		base64_decode(&d, c->text.data ? c->text.data : "", c->text.len);
		buf_free(&c->text);
		c->text = d;
	}
	capture_store(st, c);
	buf_reset(&c->text);
}

/* Serializes markup inside a captured element (unescaped HTML, Atom xhtml). */
static void
serialize_start(struct xml_state *st, const char *qname, const XML_Char **atts)
{
	struct buf *b = &st->cap_.text;
	const char *colon = strchr(qname, ':');

	buf_addc(b, '<');
	buf_adds(b, colon ? colon + 1 : qname);
	for (; atts && atts[0]; atts += 2) {
		const char *v;

		if (!strncmp(atts[0], "xmlns", 5))
			continue;
		buf_addc(b, ' ');
		buf_adds(b, atts[0]);
		buf_adds(b, "=\"");
		for (v = atts[1]; *v; v++) {
			if (*v == '"')
				buf_adds(b, "&quot;");
			else if (*v == '&')
				buf_adds(b, "&amp;");
			else if (*v == '<')
				buf_adds(b, "&lt;");
			else
				buf_addc(b, *v);
		}
		buf_addc(b, '"');
	}
	buf_addc(b, '>');
}

/* ---------------------------------------------------------------- handlers */

static void
item_begin(struct xml_state *st)
{
	if (st->item)
		return;
	st->item = item_new();
	if (st->item == NULL)
		return;
	st->item->line = xml_line(st);
	st->item_depth = st->depth;
	st->detail_set = 0;
	st->guid_is_link = 0;
	st->title_depth = -1;
	st->has_content = 0;
	free(st->detail_name);
	free(st->author_str);
	st->detail_name = st->author_str = NULL;
}

static void
item_end(struct xml_state *st)
{
	struct feed_item *it = st->item;

	if (it == NULL)
		return;
	free(it->author);
	it->author = NULL;
	if (st->detail_name && *st->detail_name)
		it->author = strdup(st->detail_name);
	else if (st->author_str && *st->author_str)
		it->author = strdup(st->author_str);
	else if (it->author_email)
		it->author = strdup(it->author_email);
	st->item = NULL;
	item_emit(st->p, it);
}

static void
set_format_root(struct xml_state *st, enum el el, const char *qname, const XML_Char **atts)
{
	struct feed *f = st->p->feed;
	const char  *v;

	if (st->seen_root)
		return;
	st->seen_root = 1;
	if (el == EL_RSS) {
		v = attr(atts, "version");
		if (v == NULL)
			f->format = FEED_RSS;
		else if (!strcmp(v, "2.0") || !strcmp(v, "2") || !strncmp(v, "2.0", 3))
			f->format = FEED_RSS20;
		else if (!strcmp(v, "0.91"))
			f->format = FEED_RSS091;
		else if (!strcmp(v, "0.92"))
			f->format = FEED_RSS092;
		else if (!strcmp(v, "0.93"))
			f->format = FEED_RSS093;
		else if (!strcmp(v, "0.94"))
			f->format = FEED_RSS094;
		else
			f->format = FEED_RSS;
	} else if (el == EL_RDF) {
		const char *uri = ns_lookup(st, "", 0);

		f->format = uri && strstr(uri, "netscape.com/rdf/simple/0.9") ? FEED_RSS090 : FEED_RSS10;
	} else if (el == EL_FEED) {
		const char *colon = strchr(qname, ':');
		const char *uri = ns_lookup(st, qname, colon ? (size_t)(colon - qname) : 0);

		v = attr(atts, "version");
		if ((uri && !strcmp(uri, "http://purl.org/atom/ns#")) || (v && !strcmp(v, "0.3")))
			f->format = FEED_ATOM03;
		else
			f->format = FEED_ATOM10;
	}
}

static void
push_decls(struct xml_state *st, const XML_Char **atts, struct buf *replay)
{
	for (; atts && atts[0]; atts += 2) {
		const char *prefix;

		if (strncmp(atts[0], "xmlns", 5) || (atts[0][5] != '\0' && atts[0][5] != ':'))
			continue;
		prefix = atts[0][5] ? atts[0] + 6 : "";
		if (st->ndecls == st->capdecls) {
			size_t         nc = st->capdecls ? st->capdecls * 2 : 16;
			struct nsdecl *nd = realloc(st->decls, nc * sizeof(*nd));

			if (nd == NULL)
				return;
			st->decls = nd;
			st->capdecls = nc;
		}
		st->decls[st->ndecls].prefix = strdup(prefix);
		st->decls[st->ndecls].uri = strdup(atts[1]);
		st->decls[st->ndecls].depth = st->depth;
		st->decls[st->ndecls].ns = NS_OTHER;
		if (st->decls[st->ndecls].prefix && st->decls[st->ndecls].uri) {
			char lp[64];
			size_t k;

			for (k = 0; k < sizeof(lp) - 1 && prefix[k]; k++)
				lp[k] = (char)tolower((unsigned char)prefix[k]);
			lp[k] = '\0';
			st->decls[st->ndecls].ns = ns_of_uri(atts[1], lp);
		}
		if (st->decls[st->ndecls].prefix == NULL || st->decls[st->ndecls].uri == NULL) {
			free(st->decls[st->ndecls].prefix);
			free(st->decls[st->ndecls].uri);
			return;
		}
		st->ndecls++;
		buf_printf(replay, " %s=\"", atts[0]);
		for (const char *v = atts[1]; *v; v++) {
			if (*v == '"' || *v == '&' || *v == '<')
				buf_printf(replay, "&#%d;", *v);
			else
				buf_addc(replay, *v);
		}
		buf_addc(replay, '"');
	}
}

static void
pop_decls(struct xml_state *st)
{
	while (st->ndecls > 0 && st->decls[st->ndecls - 1].depth >= st->depth) {
		st->ndecls--;
		free(st->decls[st->ndecls].prefix);
		free(st->decls[st->ndecls].uri);
	}
}

static void
on_start_el(struct xml_state *st, const char *qname, const XML_Char **atts, enum el el,
	    enum ns ns)
{
	struct feed      *f = st->p->feed;
	struct feed_item *it = st->item;
	const char       *v;
	int               type, b64, atom;

	atom = is_atom(f);
	switch (el) {
	case EL_RSS:
	case EL_RDF:
	case EL_FEED:
		set_format_root(st, el, qname, atts);
		if (el == EL_FEED)
			st->in_feed = 1;
		break;
	case EL_CHANNEL:
		st->in_feed = 1;
		if (!st->seen_root) {
			st->seen_root = 1;
			f->format = FEED_RSS;
		}
		break;
	case EL_ITEM:
		if (st->in_source)
			break;
		item_begin(st);
		if (st->item && (v = attr(atts, "rdf:about")) != NULL && *v) {
			free(st->item->id);
			st->item->id = strdup(v);
		}
		break;
	case EL_IMAGE:
		if (it == NULL && attr(atts, "rdf:resource") == NULL)
			st->in_image++;
		else if (it == NULL)
			st->in_image++;
		break;
	case EL_TEXTINPUT:
		st->in_textinput++;
		break;
	case EL_SOURCE:
		if (it)
			st->in_source++;
		break;
	case EL_SKIPHOURS:
		st->in_skiphours = 1;
		break;
	case EL_SKIPDAYS:
		st->in_skipdays = 1;
		break;
	case EL_AUTHOR:
		if (st->in_image || st->in_textinput || st->in_source)
			break;
		st->in_author = 1;
		capture_begin(st, EL_AUTHOR, TEXT_PLAIN, 0, FIELD_CAP);
		st->cap_.author_ok = 1;
		break;
	case EL_TITLE:
	case EL_MEDIA_TITLE:
	case EL_DESCRIPTION:
	case EL_SUBTITLE:
	case EL_SUMMARY:
		if (el == EL_MEDIA_TITLE && !it)
			break;
		if (st->in_image || st->in_textinput || st->in_source)
			break;
		type = text_type_of(attr(atts, "type"), attr(atts, "mode"),
				    el == EL_DESCRIPTION && !atom ? TEXT_HTML : TEXT_PLAIN, &b64);
		if (it && (el == EL_DESCRIPTION || el == EL_SUMMARY) && it->summary && !st->has_content) {
			/* feedparser: a second summary, before any content, is the content. */
			st->has_content = 1;
			capture_begin(st, EL_CONTENT, text_type_of(attr(atts, "type"), attr(atts, "mode"),
								  TEXT_PLAIN, &b64), b64, CONTENT_CAP);
			break;
		}
		capture_begin(st, el, type, b64,
			      el == EL_TITLE || el == EL_MEDIA_TITLE ? FIELD_CAP : CONTENT_CAP);
		break;
	case EL_CONTENT:
		if (!it || st->in_source)
			break;
		st->has_content = 1;
		v = attr(atts, "src");
		if (v) {
			set_url(&it->content_src, cur_base(st), v);
			if (it->content == NULL) {
				it->content = strdup("");
				it->content_type = TEXT_PLAIN;
			}
			break;
		}
		type = text_type_of(attr(atts, "type"), attr(atts, "mode"), TEXT_PLAIN, &b64);
		capture_begin(st, el, type, b64, CONTENT_CAP);
		break;
	case EL_ENCODED:
		st->has_content = 1;
		if (it)
			capture_begin(st, el, TEXT_HTML, 0, CONTENT_CAP);
		break;
	case EL_BODY:
		if (it)
			capture_begin(st, el, TEXT_XHTML, 0, CONTENT_CAP);
		break;
	case EL_ID:
		if (!it && st->in_feed && !st->in_image && !st->in_textinput) {
			capture_begin(st, el, TEXT_PLAIN, 0, FIELD_CAP);
			break;
		}
		/* Only the entry's own id: media:content and others carry guids too. */
		if (!it || st->in_source || st->depth != st->item_depth + 1)
			break;
		v = attr(atts, "ispermalink");
		st->guid_is_link = v ? !strcmp(v, "true") : 1;
		capture_begin(st, el, TEXT_PLAIN, 0, FIELD_CAP);
		break;
	case EL_LINK:
		if (st->in_image || st->in_textinput || st->in_source)
			break;
		v = attr(atts, "href");
		if (v) {
			const char *rel = attr(atts, "rel");
			const char *ltype = attr(atts, "type");

			if (rel == NULL || *rel == '\0')
				rel = "alternate";
			if (it && !strcasecmp(rel, "enclosure")) {
				char *u = url_resolve(cur_base(st), v);

				if (u && *u) {
					const char *len = attr(atts, "length");

					item_add_enclosure(it, u, ltype, len ? strtoll(len, NULL, 10) : -1, 0);
				}
				free(u);
			} else if (!strcmp(rel, "alternate") &&
				   (ltype == NULL || !strcasecmp(ltype, "text/html") ||
				    !strcasecmp(ltype, "application/xhtml+xml"))) {
				if (it) {
					set_url(&it->link, cur_base(st), v);
				} else if (st->in_feed)
					set_url(&f->link, cur_base(st), v);
			} else if (!it && !strcasecmp(rel, "self")) {
				set_url(&f->self, cur_base(st), v);
			} else if (!it && !strcasecmp(rel, "hub")) {
				set_url(&f->hub, cur_base(st), v);
			}
			break;
		}
		if (ns == NS_CORE)
			capture_begin(st, el, TEXT_PLAIN, 0, FIELD_CAP);
		break;
	case EL_ENCLOSURE:
		if (it && (v = attr(atts, "url")) != NULL) {
			char *u = url_resolve(cur_base(st), v);
			const char *len = attr(atts, "length");

			if (u && *u)
				item_add_enclosure(it, u, attr(atts, "type"),
						   len ? strtoll(len, NULL, 10) : -1, 0);
			free(u);
		}
		break;
	case EL_MEDIA_CONTENT:
	case EL_MEDIA_THUMB:
		if (it && (v = attr(atts, "url")) != NULL) {
			char *u = url_resolve(cur_base(st), v);

			if (u && *u)
				item_add_enclosure(it, u, attr(atts, "type"), -1,
						   el == EL_MEDIA_CONTENT ? 1 : 2);
			free(u);
		}
		break;
	case EL_ITUNES_IMAGE:
		if (!it && f->image == NULL && (v = attr(atts, "href")) != NULL)
			set_url(&f->image, cur_base(st), v);
		break;
	case EL_CATEGORY:
		if (!it)
			break;
		if ((v = attr(atts, "term")) != NULL) {
			char *t = text_collapse_ws(v, strlen(v));

			if (*t)
				item_add_category(it, t);
			free(t);
			break;
		}
		capture_begin(st, el, TEXT_PLAIN, 0, FIELD_CAP);
		break;
	case EL_GENERATOR:
	case EL_LANGUAGE:
	case EL_TTL:
	case EL_URL:
	case EL_LOGO:
	case EL_ICON:
	case EL_HOUR:
	case EL_DAY:
	case EL_PUBLISHED:
	case EL_UPDATED:
	case EL_COMMENTS:
		capture_begin(st, el, TEXT_PLAIN, 0, FIELD_CAP);
		break;
	case EL_NAME:
	case EL_EMAIL:
		if (st->in_author)
			capture_begin(st, el, TEXT_PLAIN, 0, FIELD_CAP);
		break;
	default:
		break;
	}
}

static void
on_end_el(struct xml_state *st, enum el el)
{
	switch (el) {
	case EL_ITEM:
		if (st->item && st->depth == st->item_depth)
			item_end(st);
		break;
	case EL_FEED:
	case EL_CHANNEL:
		/* RSS 1.0 items follow the channel: stay "in the feed". */
		break;
	case EL_IMAGE:
		if (st->in_image)
			st->in_image--;
		break;
	case EL_TEXTINPUT:
		if (st->in_textinput)
			st->in_textinput--;
		break;
	case EL_SOURCE:
		if (st->in_source)
			st->in_source--;
		break;
	case EL_SKIPHOURS:
		st->in_skiphours = 0;
		break;
	case EL_SKIPDAYS:
		st->in_skipdays = 0;
		break;
	case EL_AUTHOR:
		if (st->author_container && st->item) {
			/* Atom-style container: its detail was set by <name>/<email>. */
			if (st->detail_name)
				str_set(&st->author_str, st->detail_name);
			else if (st->item->author_email)
				str_set(&st->author_str, st->item->author_email);
		}
		st->in_author = 0;
		st->author_container = 0;
		break;
	default:
		break;
	}
}

static void XMLCALL
start_cb(void *ud, const XML_Char *qname, const XML_Char **atts)
{
	struct xml_state *st = ud;
	struct capture   *c = &st->cap_;
	struct frame     *fr;
	struct buf        replay;
	const char       *local, *xb;
	enum ns           ns;
	enum el           el;

	if (st->replay) {
		st->replay--;
		return;
	}
	st->depth++;
	if (st->depth > MAX_DEPTH) {
		if (c->active && c->text.len < c->text.cap)
			serialize_start(st, qname, atts);
		return;
	}
	/* Frame: qname and namespace declarations (for a resync replay). */
	if (st->depth > st->cap) {
		unsigned      nc = st->cap ? st->cap * 2 : 32;
		struct frame *ns_ = realloc(st->stack, nc * sizeof(*ns_));

		if (ns_ == NULL) {
			st->depth--;
			return;
		}
		st->stack = ns_;
		st->cap = nc;
	}
	fr = &st->stack[st->depth - 1];
	fr->name_off = st->names.len;
	buf_adds(&st->names, qname);
	buf_addc(&st->names, '\0');
	fr->decl_off = st->names.len;
	buf_init(&replay, 0);
	push_decls(st, atts, &replay);
	buf_add(&st->names, replay.data ? replay.data : "", replay.len);
	buf_addc(&st->names, '\0');
	buf_free(&replay);

	/* xml:base */
	fr->base = st->depth > 1 ? st->stack[st->depth - 2].base : (char *)st->p->opts.url;
	fr->own_base = 0;
	if ((xb = attr(atts, "xml:base")) != NULL) {
		char *nb = url_resolve(fr->base, xb);

		if (nb) {
			fr->base = nb;
			fr->own_base = 1;
		}
	}

	ns = resolve(st, qname, &local);
	fr->el = EL_NONE;
	if (c->active) {
		/* An author element that holds <name>: a container after all. */
		if (c->author_ok && ns == NS_CORE &&
		    (lookup_el(ns, local) == EL_NAME || lookup_el(ns, local) == EL_EMAIL)) {
			c->active = 0;
			st->author_container = 1;
			buf_reset(&c->text);
		} else {
			serialize_start(st, qname, atts);
			if (c->type == TEXT_XHTML && st->depth == c->depth + 1 && c->wrapper == 0 &&
			    !strcasecmp(local, "div")) {
				c->wrapper = 1;
				c->wrap_in = c->text.len;
			} else if (st->depth == c->depth + 1) {
				c->wrapper = 3; /* another top-level element: no wrapper */
			}
			return;
		}
	}
	el = fr->el = lookup_el(ns, local);
	if (el == EL_NONE && ns == NS_CORE && !st->seen_root) {
		st->seen_root = 1; /* not a feed root: maybe HTML; keep looking for items */
	}
	on_start_el(st, qname, atts, el, ns);
}

static void XMLCALL
end_cb(void *ud, const XML_Char *qname)
{
	struct xml_state *st = ud;
	struct capture   *c = &st->cap_;
	struct frame     *fr;

	if (st->depth == 0)
		return;
	if (st->depth > MAX_DEPTH) {
		st->depth--;
		if (c->active) {
			const char *colon = strchr(qname, ':');

			buf_printf(&c->text, "</%s>", colon ? colon + 1 : qname);
		}
		return;
	}
	fr = &st->stack[st->depth - 1];
	if (c->active && st->depth > c->depth) {
		const char *colon = strchr(qname, ':');

		if (c->wrapper == 1 && st->depth == c->depth + 1)
			c->wrap_out = c->text.len;
		buf_printf(&c->text, "</%s>", colon ? colon + 1 : qname);
		if (c->wrapper == 1 && st->depth == c->depth + 1) {
			c->wrapper = 2;
			c->wrap_end = c->text.len;
		}
	} else {
		if (c->active && st->depth == c->depth)
			capture_end(st);
		on_end_el(st, fr->el);
	}
	if (fr->own_base)
		free(fr->base);
	st->names.len = fr->name_off;
	pop_decls(st);
	st->depth--;
}

static void XMLCALL
text_cb(void *ud, const XML_Char *s, int len)
{
	struct xml_state *st = ud;
	struct capture   *c = &st->cap_;

	if (!c->active || len <= 0)
		return;
	if (c->type == TEXT_XHTML && st->depth > c->depth) {
		int run = 0, i;

		for (i = 0; i < len; i++) {
			const char *esc = s[i] == '<' ? "&lt;" : s[i] == '&' ? "&amp;"
				       : s[i] == '>' ? "&gt;" : NULL;

			if (esc == NULL)
				continue;
			buf_add(&c->text, s + run, (size_t)(i - run));
			buf_adds(&c->text, esc);
			run = i + 1;
		}
		buf_add(&c->text, s + run, (size_t)(i - run));
		return;
	}
	buf_add(&c->text, s, (size_t)len);
}

/* Entities the DTD did not define and the repair pass let through. */
static void XMLCALL
skipped_cb(void *ud, const XML_Char *name, int is_param)
{
	struct xml_state *st = ud;

	if (!is_param && st->cap_.active)
		buf_printf(&st->cap_.text, "&%s;", name);
}

static XML_Parser
parser_create(struct xml_state *st)
{
	XML_Parser xp = XML_ParserCreate("UTF-8");

	if (xp == NULL)
		return NULL;
	XML_SetUserData(xp, st);
	XML_SetElementHandler(xp, start_cb, end_cb);
	XML_SetCharacterDataHandler(xp, text_cb);
	XML_SetSkippedEntityHandler(xp, skipped_cb);
	/* No external entities, ever: no handler is installed, and parameter
	 * entities are not parsed.  Expansion is capped by expat's defaults. */
	XML_SetParamEntityParsing(xp, XML_PARAM_ENTITY_PARSING_NEVER);
	XML_UseForeignDTD(xp, XML_TRUE);
	return xp;
}

struct xml_state *
xml_new(struct feed_parser *p)
{
	struct xml_state *st = calloc(1, sizeof(*st));

	if (st == NULL)
		return NULL;
	st->p = p;
	st->field_cap = p->opts.max_field ? p->opts.max_field : FEED_FIELD_CAP;
	st->content_cap = p->opts.max_field ? p->opts.max_field : FEED_CONTENT_CAP;
	st->line_base = 1 + p->in.prologue_lines;
	buf_init(&st->names, 0);
	buf_init(&st->cap_.text, CONTENT_CAP);
	if ((st->xp = parser_create(st)) == NULL) {
		free(st);
		return NULL;
	}
	return st;
}

/* Closes tracked elements down to (and including) depth d, as their end tags would. */
static void
close_to(struct xml_state *st, unsigned d)
{
	while (st->depth >= d && st->depth > 0) {
		unsigned k = st->depth > MAX_DEPTH ? 0 : st->depth;
		const char *q = k ? st->names.data + st->stack[k - 1].name_off : "x";

		end_cb(st, q);
	}
}

/*
 * After a fatal expat error: takes the unparsed rest, decides what to drop,
 * and starts a new parser primed with the open elements.  Returns the
 * status of parsing the rest.
 */
static enum XML_Status
resync(struct xml_state *st, int last)
{
	const char *ctx, *rest, *gt;
	int         off = 0, size = 0;
	size_t      n, skip;
	char       *copy;
	struct buf  prefix;
	enum XML_Status rc;
	unsigned    d, tracked;

	ctx = XML_GetInputContext(st->xp, &off, &size);
	if (ctx == NULL || off < 0 || size < off || ++st->resyncs > MAX_RESYNC) {
		st->dead = 1;
		return XML_STATUS_ERROR;
	}
	/* For a mismatched end tag expat points at the name, past "</". */
	if (off >= 2 && ctx[off - 1] == '/' && ctx[off - 2] == '<')
		off -= 2;
	rest = ctx + off;
	n = (size_t)(size - off);
	if (n == 0) {
		st->dead = 1; /* the document ends here: nothing to resume */
		return XML_STATUS_ERROR;
	}
	skip = 1;
	if (n >= 2 && rest[0] == '<' && rest[1] == '/') {
		/* A mismatched end tag closes up to its match, as HTML would. */
		size_t e = 2;

		while (e < n && rest[e] != '>' && !isspace((unsigned char)rest[e]))
			e++;
		for (d = st->depth < MAX_DEPTH ? st->depth : MAX_DEPTH; d > 0; d--) {
			const char *q = st->names.data + st->stack[d - 1].name_off;

			if (strlen(q) == e - 2 && !memcmp(q, rest + 2, e - 2))
				break;
		}
		if (d > 0)
			close_to(st, d);
		gt = memchr(rest, '>', n);
		skip = gt ? (size_t)(gt - rest) + 1 : n;
	} else {
		/* A broken tag: drop it to its '>' when one comes before the next '<'. */
		const char *lt = n > 1 ? memchr(rest + 1, '<', n - 1) : NULL;

		gt = memchr(rest, '>', n);
		if (gt && (lt == NULL || gt < lt))
			skip = (size_t)(gt - rest) + 1;
		else if (rest[0] != '<')
			skip = lt ? (size_t)(lt - rest) : n;
	}
	{
		unsigned line = xml_line(st);

		for (size_t k = 0; k < skip; k++)
			if (rest[k] == '\n')
				line++;
		st->line_base = line;
	}
	if ((copy = xstrndup(rest + skip, n - skip)) == NULL) {
		st->dead = 1;
		return XML_STATUS_ERROR;
	}
	XML_ParserFree(st->xp);
	if ((st->xp = parser_create(st)) == NULL) {
		free(copy);
		st->dead = 1;
		return XML_STATUS_ERROR;
	}
	/* Re-open what is still open, without telling the handlers again. */
	buf_init(&prefix, 0);
	tracked = st->depth < MAX_DEPTH ? st->depth : MAX_DEPTH;
	for (d = 0; d < tracked; d++) {
		const char *q = st->names.data + st->stack[d].name_off;
		const char *decl = st->names.data + st->stack[d].decl_off;

		buf_printf(&prefix, "<%s%s>", q, decl);
	}
	if (st->depth > MAX_DEPTH) {
		/* Untracked depth cannot be replayed: close it. */
		st->depth = MAX_DEPTH;
	}
	st->replay = tracked;
	rc = XML_Parse(st->xp, prefix.data ? prefix.data : "", (int)prefix.len, 0);
	buf_free(&prefix);
	if (rc == XML_STATUS_OK)
		rc = XML_Parse(st->xp, copy, (int)(n - skip), last);
	free(copy);
	return rc;
}

int
xml_feed(struct xml_state *st, const char *s, size_t n, int last)
{
	enum XML_Status rc;

	if (st->dead)
		return -1;
	while (n > 0 || last) {
		/* expat takes an int length. */
		int chunk = n > (1u << 30) ? (1 << 30) : (int)n;
		int fin = last && (size_t)chunk == n;

		rc = XML_Parse(st->xp, s, chunk, fin);
		while (rc == XML_STATUS_ERROR && !st->dead) {
			enum XML_Error e = XML_GetErrorCode(st->xp);

			if (!st->p->feed->bozo || st->p->feed->bozo_reason[0] == '\0')
				feed_set_bozo(st->p->feed, xml_line(st),
					      "%s", XML_ErrorString(e));
			else
				st->p->feed->bozo = 1;
			if (e == XML_ERROR_JUNK_AFTER_DOC_ELEMENT || e == XML_ERROR_NO_ELEMENTS ||
			    e == XML_ERROR_NO_MEMORY || e == XML_ERROR_AMPLIFICATION_LIMIT_BREACH ||
			    e == XML_ERROR_RECURSIVE_ENTITY_REF) {
				/* Junk after the root is the only one that comes
				 * after the whole document was read. */
				st->p->feed->incomplete = e != XML_ERROR_JUNK_AFTER_DOC_ELEMENT;
				st->dead = 1;
				break;
			}
			rc = resync(st, fin);
		}
		if (st->dead)
			return -1;
		s += chunk;
		n -= (size_t)chunk;
		if (fin)
			break;
	}
	return 0;
}

/* The document ended with an entry still open (cut short): keep what it has,
 * as a loose parser would. */
void
xml_finish(struct xml_state *st)
{
	/* Elements still open at the end: the document was cut short, whatever
	 * error expat gave for it (no element found, an unclosed token...). */
	if (st->depth > 0)
		st->p->feed->incomplete = 1;
	if (st->item) {
		if (st->cap_.active)
			capture_end(st);
		item_end(st);
	}
}

void
xml_free(struct xml_state *st)
{
	if (st == NULL)
		return;
	if (st->xp)
		XML_ParserFree(st->xp);
	while (st->depth > 0) {
		if (st->depth <= MAX_DEPTH && st->depth <= st->cap && st->stack[st->depth - 1].own_base)
			free(st->stack[st->depth - 1].base);
		st->depth--;
	}
	pop_decls(st);
	free(st->decls);
	free(st->stack);
	buf_free(&st->names);
	buf_free(&st->cap_.text);
	free(st->cap_.base);
	free(st->detail_name);
	free(st->author_str);
	if (st->item)
		feed_item_free(st->item);
	free(st);
}
