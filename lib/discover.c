/*
 * discover.c: the feeds a web page offers, for `glean add SITE`.
 *
 * A page names its feeds with <link rel="alternate" type="..." href="...">
 * (the RSS autodiscovery convention, and HTML's: rel is a set of
 * space-separated tokens, both attributes case-insensitive).  The types
 * taken are RSS, Atom, RDF and JSON Feed's; a type with parameters
 * ("application/rss+xml; charset=utf-8") counts.  Plain application/json
 * (JSON Feed 1.0's type) counts only for an href that says "feed":
 * WordPress names its REST API with rel="alternate" type="application/json".  Hrefs resolve against
 * <base href> (itself against the page's URL), else the page's URL; only
 * http and https results are kept, each once, in document order: the
 * site's main feed comes first on nearly every site (WordPress, Ghost,
 * Hugo, Blogger list it before the comments feed).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "gleaner.h"

#define DISCOVER_MAX 32 /* feeds kept from one page */

static const char *const feed_types[] = {
	"application/rss+xml", "application/atom+xml", "application/rdf+xml",
	"application/feed+json", "text/xml", "application/xml",
};

/* Is tok one of rel's space-separated tokens (any case)? */
static int
has_token(const char *rel, const char *tok)
{
	size_t n = strlen(tok);

	while (*rel) {
		size_t k;

		rel += strspn(rel, " \t\r\n\f");
		k = strcspn(rel, " \t\r\n\f");
		if (k == n && !strncasecmp(rel, tok, n))
			return 1;
		rel += k;
	}
	return 0;
}

static int
feed_type(const char *type, const char *href)
{
	size_t i, k;

	type += strspn(type, " \t");
	k = strcspn(type, " \t;");
	if (k == 16 && !strncasecmp(type, "application/json", 16))
		return strcasestr(href, "feed") != NULL;
	for (i = 0; i < sizeof(feed_types) / sizeof(feed_types[0]); i++)
		if (strlen(feed_types[i]) == k && !strncasecmp(type, feed_types[i], k))
			return 1;
	return 0;
}

/* An attribute's value, looked up in any case (libxml2's HTML parser
 * lower-cases names already; this also serves documents it did not). */
static char *
attr(xmlNode *n, const char *name)
{
	xmlAttr *a;

	for (a = n->properties; a; a = a->next)
		if (a->name && !strcasecmp((const char *)a->name, name))
			return (char *)xmlNodeGetContent((xmlNode *)a);
	return NULL;
}

static int
is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name && !strcasecmp((const char *)n->name, name);
}

/* The node after n in document order under root, NULL at the end: depth
 * first and iterative, since a page may nest deeply. */
static xmlNode *
walk_next(xmlNode *root, xmlNode *n)
{
	if (n->children && n->type == XML_ELEMENT_NODE)
		return n->children;
	while (n != root && n->next == NULL)
		n = n->parent;
	return n == root ? NULL : n->next;
}

/* The first <base href> of the page, resolved against the page's URL. */
static char *
base_of(xmlNode *root, const char *url)
{
	xmlNode *n = root;

	while (n) {
		if (is_el(n, "base")) {
			char *h = attr(n, "href");

			if (h && *h) {
				char *r = url_resolve(url, h);

				xmlFree(h);
				return r;
			}
			xmlFree(h);
		}
		n = walk_next(root, n);
	}
	return url ? strdup(url) : NULL;
}

static int
seen(char **urls, size_t n, const char *u)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(urls[i], u))
			return 1;
	return 0;
}

size_t
discover_feeds(const char *html, size_t len, const char *http_charset, const char *url,
	       char ***out)
{
	struct _xmlDoc *doc;
	xmlNode        *root, *n;
	char          **urls = NULL, *base = NULL, err[256];
	size_t          nurls = 0;

	*out = NULL;
	if ((doc = html_parse(html, len, http_charset, url, err, sizeof(err))) == NULL)
		return 0;
	if ((root = xmlDocGetRootElement(doc)) == NULL ||
	    (urls = calloc(DISCOVER_MAX, sizeof(*urls))) == NULL)
		goto out;
	base = base_of(root, url);
	n = root;
	while (n && nurls < DISCOVER_MAX) {
		if (is_el(n, "link")) {
			char *rel = attr(n, "rel"), *type = attr(n, "type"), *href = attr(n, "href");

			if (rel && type && href && *href && has_token(rel, "alternate") &&
			    feed_type(type, href)) {
				char *u = url_resolve(base, href);

				if (u && (!strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8)) &&
				    !seen(urls, nurls, u))
					urls[nurls++] = u;
				else
					free(u);
			}
			xmlFree(rel);
			xmlFree(type);
			xmlFree(href);
		}
		n = walk_next(root, n);
	}
out:
	free(base);
	html_free(doc);
	if (nurls == 0) {
		free(urls);
		return 0;
	}
	*out = urls;
	return nurls;
}

void
discover_free(char **urls, size_t n)
{
	size_t i;

	if (urls == NULL)
		return;
	for (i = 0; i < n; i++)
		free(urls[i]);
	free(urls);
}
