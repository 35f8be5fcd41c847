/*
 * feed_xml_capture.c: the text of an element the parser reads (a title, a
 * summary, Atom xhtml content with its markup), captured up to its cap,
 * decoded (base64, the xhtml wrapper div, a UTF-8 sequence cut at the cap)
 * and stored in the feed or the open item by feedparser's rules.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed_int.h"

static int
text_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Plain text of a title: HTML-typed or HTML-looking text loses its markup. */
static char *
title_text(struct xml_state *st, const char *s, size_t n, int type)
{
	if (type != TEXT_PLAIN || (!xml_is_atom(st->p->feed) && text_looks_like_html(s, n)))
		return text_from_html(s, n);
	return text_collapse_ws(s, n);
}

void
xml_set_url(char **dst, const char *base, const char *ref)
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
			xml_set_url(&it->link, c->base, s);
		} else if (st->in_feed)
			xml_set_url(&f->link, c->base, s);
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
			if (c->type == TEXT_PLAIN && !xml_is_atom(f) && text_looks_like_html(s, n))
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
			if (c->type == TEXT_PLAIN && !xml_is_atom(f) && text_looks_like_html(s, n))
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
			xml_set_url(&it->comments, c->base, s);
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
			xml_set_url(&f->image, c->base, s);
		break;
	case EL_LOGO:
		if (!it)
			xml_set_url(&f->image, c->base, s);
		break;
	case EL_ICON:
		if (!it)
			xml_set_url(&f->icon, c->base, s);
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

void
xml_capture_begin(struct xml_state *st, enum el el, int type, int b64, size_t cap)
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
	c->base = xml_cur_base(st) ? strdup(xml_cur_base(st)) : NULL;
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

void
xml_capture_end(struct xml_state *st)
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
void
xml_serialize_start(struct xml_state *st, const char *qname, const XML_Char **atts)
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
