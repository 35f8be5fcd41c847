/*
 * feed_xml_ns.c: names in RSS and Atom (see feed_xml.c): the namespaces
 * in scope and the module each stands for, the element table keyed on
 * module and lower-cased local name, and attribute lookup.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed_int.h"

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

const char *
xml_attr(const XML_Char **atts, const char *name)
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

const char *
xml_ns_lookup(struct xml_state *st, const char *prefix, size_t plen)
{
	const struct nsdecl *d = ns_decl(st, prefix, plen);

	return d ? d->uri : NULL;
}

/* Module of a qname, and its local name. */
enum ns
xml_resolve(struct xml_state *st, const char *qname, const char **local)
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

enum el
xml_lookup_el(enum ns ns, const char *local)
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

void
xml_push_decls(struct xml_state *st, const XML_Char **atts, struct buf *replay)
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

void
xml_pop_decls(struct xml_state *st)
{
	while (st->ndecls > 0 && st->decls[st->ndecls - 1].depth >= st->depth) {
		st->ndecls--;
		free(st->decls[st->ndecls].prefix);
		free(st->decls[st->ndecls].uri);
	}
}
