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
 *
 * This file is the expat glue: the callbacks, the element stack and the
 * resync.  Namespaces and the element table are in feed_xml_ns.c, what
 * each element means in feed_xml_elem.c, the capture of an element's text
 * in feed_xml_capture.c; their shared state is in feed_int.h.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed_int.h"

#define MAX_DEPTH   512   /* deeper elements are parsed but not tracked */
#define MAX_RESYNC  10000

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
			xml_serialize_start(st, qname, atts);
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
	xml_push_decls(st, atts, &replay);
	buf_add(&st->names, replay.data ? replay.data : "", replay.len);
	buf_addc(&st->names, '\0');
	buf_free(&replay);

	/* xml:base */
	fr->base = st->depth > 1 ? st->stack[st->depth - 2].base : (char *)st->p->opts.url;
	fr->own_base = 0;
	if ((xb = xml_attr(atts, "xml:base")) != NULL) {
		char *nb = url_resolve(fr->base, xb);

		if (nb) {
			fr->base = nb;
			fr->own_base = 1;
		}
	}

	ns = xml_resolve(st, qname, &local);
	fr->el = EL_NONE;
	if (c->active) {
		/* An author element that holds <name>: a container after all. */
		if (c->author_ok && ns == NS_CORE &&
		    (xml_lookup_el(ns, local) == EL_NAME || xml_lookup_el(ns, local) == EL_EMAIL)) {
			c->active = 0;
			st->author_container = 1;
			buf_reset(&c->text);
		} else {
			xml_serialize_start(st, qname, atts);
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
	el = fr->el = xml_lookup_el(ns, local);
	if (el == EL_NONE && ns == NS_CORE && !st->seen_root) {
		st->seen_root = 1; /* not a feed root: maybe HTML; keep looking for items */
	}
	xml_start_el(st, qname, atts, el, ns);
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
			xml_capture_end(st);
		xml_end_el(st, fr->el);
	}
	if (fr->own_base)
		free(fr->base);
	st->names.len = fr->name_off;
	xml_pop_decls(st);
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
	buf_init(&st->cap_.text, st->content_cap);
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
			xml_capture_end(st);
		xml_item_end(st);
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
	xml_pop_decls(st);
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
