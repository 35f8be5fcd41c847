/*
 * feed_xml_elem.c: what an RSS or Atom element does when it opens and
 * closes (see feed_xml.c): the format from the root, items begun and
 * emitted, the sections (image, source, author...) whose elements mean
 * something else, links and enclosures from attributes, and which
 * elements' text is captured (feed_xml_capture.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed_int.h"

#define FIELD_CAP   (st->field_cap)
#define CONTENT_CAP (st->content_cap)

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

void
xml_item_end(struct xml_state *st)
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
		v = xml_attr(atts, "version");
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
		const char *uri = xml_ns_lookup(st, "", 0);

		f->format = uri && strstr(uri, "netscape.com/rdf/simple/0.9") ? FEED_RSS090 : FEED_RSS10;
	} else if (el == EL_FEED) {
		const char *colon = strchr(qname, ':');
		const char *uri = xml_ns_lookup(st, qname, colon ? (size_t)(colon - qname) : 0);

		v = xml_attr(atts, "version");
		if ((uri && !strcmp(uri, "http://purl.org/atom/ns#")) || (v && !strcmp(v, "0.3")))
			f->format = FEED_ATOM03;
		else
			f->format = FEED_ATOM10;
	}
}

void
xml_start_el(struct xml_state *st, const char *qname, const XML_Char **atts, enum el el,
	     enum ns ns)
{
	struct feed      *f = st->p->feed;
	struct feed_item *it = st->item;
	const char       *v;
	int               type, b64, atom;

	atom = xml_is_atom(f);
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
		if (st->item && (v = xml_attr(atts, "rdf:about")) != NULL && *v) {
			free(st->item->id);
			st->item->id = strdup(v);
		}
		break;
	case EL_IMAGE:
		if (it == NULL && xml_attr(atts, "rdf:resource") == NULL)
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
		xml_capture_begin(st, EL_AUTHOR, TEXT_PLAIN, 0, FIELD_CAP);
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
		type = text_type_of(xml_attr(atts, "type"), xml_attr(atts, "mode"),
				    el == EL_DESCRIPTION && !atom ? TEXT_HTML : TEXT_PLAIN, &b64);
		if (it && (el == EL_DESCRIPTION || el == EL_SUMMARY) && it->summary && !st->has_content) {
			/* feedparser: a second summary, before any content, is the content. */
			st->has_content = 1;
			xml_capture_begin(st, EL_CONTENT, text_type_of(xml_attr(atts, "type"), xml_attr(atts, "mode"),
								  TEXT_PLAIN, &b64), b64, CONTENT_CAP);
			break;
		}
		xml_capture_begin(st, el, type, b64,
			      el == EL_TITLE || el == EL_MEDIA_TITLE ? FIELD_CAP : CONTENT_CAP);
		break;
	case EL_CONTENT:
		if (!it || st->in_source)
			break;
		st->has_content = 1;
		v = xml_attr(atts, "src");
		if (v) {
			xml_set_url(&it->content_src, xml_cur_base(st), v);
			if (it->content == NULL) {
				it->content = strdup("");
				it->content_type = TEXT_PLAIN;
			}
			break;
		}
		type = text_type_of(xml_attr(atts, "type"), xml_attr(atts, "mode"), TEXT_PLAIN, &b64);
		xml_capture_begin(st, el, type, b64, CONTENT_CAP);
		break;
	case EL_ENCODED:
		st->has_content = 1;
		if (it)
			xml_capture_begin(st, el, TEXT_HTML, 0, CONTENT_CAP);
		break;
	case EL_BODY:
		if (it)
			xml_capture_begin(st, el, TEXT_XHTML, 0, CONTENT_CAP);
		break;
	case EL_ID:
		if (!it && st->in_feed && !st->in_image && !st->in_textinput) {
			xml_capture_begin(st, el, TEXT_PLAIN, 0, FIELD_CAP);
			break;
		}
		/* Only the entry's own id: media:content and others carry guids too. */
		if (!it || st->in_source || st->depth != st->item_depth + 1)
			break;
		v = xml_attr(atts, "ispermalink");
		st->guid_is_link = v ? !strcmp(v, "true") : 1;
		xml_capture_begin(st, el, TEXT_PLAIN, 0, FIELD_CAP);
		break;
	case EL_LINK:
		if (st->in_image || st->in_textinput || st->in_source)
			break;
		v = xml_attr(atts, "href");
		if (v) {
			const char *rel = xml_attr(atts, "rel");
			const char *ltype = xml_attr(atts, "type");

			if (rel == NULL || *rel == '\0')
				rel = "alternate";
			if (it && !strcasecmp(rel, "enclosure")) {
				char *u = url_resolve(xml_cur_base(st), v);

				if (u && *u) {
					const char *len = xml_attr(atts, "length");

					item_add_enclosure(it, u, ltype, len ? strtoll(len, NULL, 10) : -1, 0);
				}
				free(u);
			} else if (!strcmp(rel, "alternate") &&
				   (ltype == NULL || !strcasecmp(ltype, "text/html") ||
				    !strcasecmp(ltype, "application/xhtml+xml"))) {
				if (it) {
					xml_set_url(&it->link, xml_cur_base(st), v);
				} else if (st->in_feed)
					xml_set_url(&f->link, xml_cur_base(st), v);
			} else if (!it && !strcasecmp(rel, "self")) {
				xml_set_url(&f->self, xml_cur_base(st), v);
			} else if (!it && !strcasecmp(rel, "hub")) {
				xml_set_url(&f->hub, xml_cur_base(st), v);
			}
			break;
		}
		if (ns == NS_CORE)
			xml_capture_begin(st, el, TEXT_PLAIN, 0, FIELD_CAP);
		break;
	case EL_ENCLOSURE:
		if (it && (v = xml_attr(atts, "url")) != NULL) {
			char *u = url_resolve(xml_cur_base(st), v);
			const char *len = xml_attr(atts, "length");

			if (u && *u)
				item_add_enclosure(it, u, xml_attr(atts, "type"),
						   len ? strtoll(len, NULL, 10) : -1, 0);
			free(u);
		}
		break;
	case EL_MEDIA_CONTENT:
	case EL_MEDIA_THUMB:
		if (it && (v = xml_attr(atts, "url")) != NULL) {
			char *u = url_resolve(xml_cur_base(st), v);

			if (u && *u)
				item_add_enclosure(it, u, xml_attr(atts, "type"), -1,
						   el == EL_MEDIA_CONTENT ? 1 : 2);
			free(u);
		}
		break;
	case EL_ITUNES_IMAGE:
		if (!it && f->image == NULL && (v = xml_attr(atts, "href")) != NULL)
			xml_set_url(&f->image, xml_cur_base(st), v);
		break;
	case EL_CATEGORY:
		if (!it)
			break;
		if ((v = xml_attr(atts, "term")) != NULL) {
			char *t = text_collapse_ws(v, strlen(v));

			if (*t)
				item_add_category(it, t);
			free(t);
			break;
		}
		xml_capture_begin(st, el, TEXT_PLAIN, 0, FIELD_CAP);
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
		xml_capture_begin(st, el, TEXT_PLAIN, 0, FIELD_CAP);
		break;
	case EL_NAME:
	case EL_EMAIL:
		if (st->in_author)
			xml_capture_begin(st, el, TEXT_PLAIN, 0, FIELD_CAP);
		break;
	default:
		break;
	}
}

void
xml_end_el(struct xml_state *st, enum el el)
{
	switch (el) {
	case EL_ITEM:
		if (st->item && st->depth == st->item_depth)
			xml_item_end(st);
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
