/*
 * extract.c: the article of a web page.
 *
 * The page is parsed once and cleaned of what is never content (scripts,
 * forms, navigation, hidden nodes).  Then two finders run, as trafilatura
 * does with its fallbacks: the containers sites name for their article
 * body, and Readability's paragraph scoring on a copy of the page.  Each
 * result is pruned, and trafilatura's length rules pick one: the named
 * container unless it is missing, short, or less than half of what the
 * scoring found.  JSON-LD articleBody replaces a DOM text that is much
 * shorter than it.  A per-site rule from the configuration overrides it all.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "extract_int.h"

#define MIN_LEN	      250 /* characters below which a result is suspect */
#define RETRY_LEN     500 /* Readability's DEFAULT_CHAR_THRESHOLD */
#define JSONLD_MIN    500

/* Readability's textSimilarity: the share of b's word characters whose
 * words also occur in a, above 0.75. */
int
title_similar(const char *a, const char *b)
{
	char	    wa[4096], wb[4096], *p, *save = NULL;
	size_t	    i, total = 0, shared = 0;

	if (a == NULL || b == NULL)
		return 0;
	snprintf(wa, sizeof(wa), " %s ", a);
	snprintf(wb, sizeof(wb), "%s", b);
	for (i = 0; wa[i]; i++)
		wa[i] = (unsigned char)wa[i] < 0x80 && !isalnum((unsigned char)wa[i]) ? ' '
											: (char)tolower((unsigned char)wa[i]);
	for (i = 0; wb[i]; i++)
		wb[i] = (unsigned char)wb[i] < 0x80 && !isalnum((unsigned char)wb[i]) ? ' '
											: (char)tolower((unsigned char)wb[i]);
	for (p = strtok_r(wb, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
		char   key[520];
		size_t n = strlen(p);

		total += n;
		snprintf(key, sizeof(key), " %s ", p);
		if (strstr(wa, key))
			shared += n;
	}
	return total > 0 && (double)shared / total > 0.75;
}

/* The whole document, not <body>: libxml2's HTML4 rules close <body>
 * early on some pages and hang the rest of the page under <html>. */
static xmlNode *
body_of(htmlDocPtr doc)
{
	return xmlDocGetRootElement(doc);
}

static size_t
body_len(xmlNode *root, char **text)
{
	struct buf b;

	buf_init(&b, 0);
	render_text(root, RENDER_BODY, &b);
	*text = buf_take(&b);
	return strlen(*text);
}

/* Removes every node the expression selects; returns -1 on a bad expression.
 * The nodes are freed after the node set: xmlXPathFreeObject() reads each
 * node's type. */
static int
xpath_remove(htmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr  res;
	xmlNode		 **doomed = NULL;
	int		   i, ndoomed = 0, rc = -1;

	if (ctx == NULL)
		return -1;
	res = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	if (res == NULL)
		goto err;
	if (res->type == XPATH_NODESET && res->nodesetval && res->nodesetval->nodeNr > 0) {
		if ((doomed = calloc((size_t)res->nodesetval->nodeNr, sizeof(xmlNode *))) == NULL)
			goto err;
		/* Unlink all first: a later node may sit inside an earlier one. */
		for (i = 0; i < res->nodesetval->nodeNr; i++) {
			xmlNode *n = res->nodesetval->nodeTab[i];

			if (n->type == XML_ELEMENT_NODE && n->parent)
				xmlUnlinkNode(n);
		}
		for (i = 0; i < res->nodesetval->nodeNr; i++) {
			xmlNode *n = res->nodesetval->nodeTab[i];

			if (n->type == XML_ELEMENT_NODE) {
				int inside = 0, j;

				/* Freed with an ancestor that matched as well. */
				for (j = 0; j < res->nodesetval->nodeNr && !inside; j++) {
					const xmlNode *a;

					for (a = n->parent; a; a = a->parent)
						if (a == res->nodesetval->nodeTab[j])
							inside = 1;
				}
				if (!inside)
					doomed[ndoomed++] = n;
			}
		}
	}
	rc = 0;
err:
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	for (i = 0; i < ndoomed; i++)
		xmlFreeNode(doomed[i]);
	free(doomed);
	return rc;
}

/* The nodes the content rule selects, gathered under one new <div>
 * (matches inside another match are taken with it). */
static xmlNode *
xpath_content(htmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr  res;
	xmlNode		  *div = NULL;
	int		   i, j;

	if (ctx == NULL)
		return NULL;
	if ((res = xmlXPathEvalExpression((const xmlChar *)expr, ctx)) != NULL &&
	    res->type == XPATH_NODESET && res->nodesetval && res->nodesetval->nodeNr > 0) {
		div = xmlNewDocNode(doc, NULL, (const xmlChar *)"div", NULL);
		for (i = 0; i < res->nodesetval->nodeNr; i++) {
			xmlNode *n = res->nodesetval->nodeTab[i];
			int	 inside = 0;

			if (n->type != XML_ELEMENT_NODE)
				continue;
			for (j = 0; j < res->nodesetval->nodeNr && !inside; j++) {
				const xmlNode *a;

				for (a = n->parent; a; a = a->parent)
					if (a == res->nodesetval->nodeTab[j])
						inside = 1;
			}
			/* Moved, not copied: libxml2 copies recursively. */
			if (!inside) {
				xmlUnlinkNode(n);
				xmlAddChild(div, n);
			}
		}
		xmlAddChild(body_of(doc), div);
	}
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	return div;
}

/* Depth of the tree, walked iteratively. */
static int
tree_depth(xmlNode *root)
{
	xmlNode *n = root;
	int	 d = 0, max = 0;

	while (n) {
		if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			if (++d > max)
				max = d;
			continue;
		}
		while (n != root && n->next == NULL) {
			n = n->parent;
			d--;
		}
		if (n == root)
			break;
		n = n->next;
	}
	return max;
}

#define COPY_MAX_DEPTH 2000 /* xmlCopyDoc recurses once per level */

/* A fresh copy of the cleaned page for one Readability attempt: a copy of
 * the tree, or for a very deep tree a second parse, since libxml2's copy
 * would overflow the stack. */
static htmlDocPtr
page_copy(struct xctx *x, htmlDocPtr clean, int deep, const char *data, size_t len,
	  const struct extract_opts *o)
{
	htmlDocPtr d;
	char	   err[128];

	if (!deep)
		return xmlCopyDoc(clean, 1);
	if ((d = html_parse(data, len, o ? o->http_charset : NULL, o ? o->url : NULL, err,
			    sizeof(err))) == NULL)
		return NULL;
	if (o && o->remove_xpath)
		xpath_remove(d, o->remove_xpath);
	preclean(x, xmlDocGetRootElement(d));
	return d;
}

static int64_t
count_words(const char *s)
{
	int64_t n = 0;
	int	in = 0;

	for (; *s; s++) {
		int w = (unsigned char)*s >= 0x80 || isalnum((unsigned char)*s);

		if (w && !in)
			n++;
		in = w;
	}
	return n;
}

static void
take(char **dst, char **src)
{
	*dst = *src;
	*src = NULL;
}

int
extract_article(const char *data, size_t len, const struct extract_opts *o, struct article *a,
		char *err, size_t errsz)
{
	struct xctx x;
	struct meta m;
	htmlDocPtr  copy0 = NULL, best_doc = NULL;
	xmlNode	   *body, *root = NULL, *cand;
	char	   *text_a = NULL, *text_b = NULL;
	size_t	    la = 0, lb = 0;
	int	    rc = EXTRACT_ERR, deep = 0;
	struct buf  b;
	static const int tries[] = {RB_STRIP_UNLIKELY | RB_WEIGHT_CLASSES | RB_CLEAN_COND,
				    RB_WEIGHT_CLASSES | RB_CLEAN_COND, RB_CLEAN_COND, 0};

	memset(a, 0, sizeof(*a));
	memset(&x, 0, sizeof(x));
	a->published = DATE_NONE;
	if ((x.doc = html_parse(data, len, o ? o->http_charset : NULL, o ? o->url : NULL, err,
				errsz)) == NULL)
		return EXTRACT_ERR;
	x.url = o ? o->url : NULL;
	/* html_parse told libxml2 the charset it chose; no second scan. */
	if (x.doc->encoding)
		a->charset = strdup((const char *)x.doc->encoding);
	meta_read(&x, &m);
	x.title = m.title;
	if (o && o->remove_xpath && xpath_remove(x.doc, o->remove_xpath) < 0) {
		snprintf(err, errsz, "site rule: bad remove expression: %s", o->remove_xpath);
		goto err;
	}
	body = body_of(x.doc);
	preclean(&x, body);

	if (o && o->content_xpath && (root = xpath_content(x.doc, o->content_xpath)) != NULL) {
		a->method = "site-rule";
		body_len(root, &text_a);
	} else {
		deep = tree_depth(body) > COPY_MAX_DEPTH;
		if (!deep && (copy0 = xmlCopyDoc(x.doc, 1)) == NULL) {
			snprintf(err, errsz, "out of memory");
			goto err;
		}
		if ((cand = find_by_class(&x, body)) != NULL) {
			prune(&x, cand, 1);
			la = body_len(cand, &text_a);
		}
		/* Readability on a copy, relaxing its rules while it finds too
		 * little, as Readability does; the longest attempt counts. */
		for (size_t i = 0; i < sizeof(tries) / sizeof(*tries); i++) {
			htmlDocPtr d = page_copy(&x, copy0, deep, data, len, o);
			xmlNode	  *rb;
			char	  *t = NULL;
			size_t	   l;

			if (d == NULL)
				break;
			if ((rb = readability(&x, d, tries[i])) == NULL) {
				xmlFreeDoc(d);
				break;
			}
			prune(&x, rb, tries[i] & RB_CLEAN_COND);
			l = body_len(rb, &t);
			if (best_doc == NULL || l > lb) {
				xmlFreeDoc(best_doc);
				free(text_b);
				best_doc = d;
				text_b = t;
				lb = l;
				/* The chosen div is the last child of its parent. */
				best_doc->_private = rb;
			} else {
				xmlFreeDoc(d);
				free(t);
			}
			if (lb >= RETRY_LEN || (cand && la >= RETRY_LEN))
				break;
		}
		if (cand && la >= MIN_LEN && !(lb > 2 * la)) {
			root = cand;
			a->method = "dom";
		} else if (best_doc) {
			root = best_doc->_private;
			a->method = "dom";
			free(text_a);
			text_a = text_b;
			text_b = NULL;
			la = lb;
		} else {
			root = cand;
			a->method = "dom";
		}
	}

	/* JSON-LD articleBody when the page's own text is much shorter. */
	if (m.jsonld_body && strlen(m.jsonld_body) >= JSONLD_MIN &&
	    (la < 200 || la * 2 < strlen(m.jsonld_body)) && a->method && strcmp(a->method, "site-rule")) {
		a->method = "json-ld";
		free(text_a);
		text_a = strdup(m.jsonld_body);
		a->text = strdup(m.jsonld_body);
		root = NULL;
	}
	if (root) {
		buf_init(&b, 0);
		render_text(root, RENDER_READER, &b);
		a->text = buf_take(&b);
		buf_init(&b, 0);
		if (sanitize_node(root, o ? o->url : NULL, &b) == 0)
			a->html = buf_take(&b);
		buf_free(&b);
	}
	a->body = text_a;
	text_a = NULL;
	take(&a->title, &m.title);
	take(&a->byline, &m.byline);
	take(&a->site_name, &m.site_name);
	take(&a->lang, &m.lang);
	take(&a->excerpt, &m.excerpt);
	take(&a->lead_image, &m.lead_image);
	if (m.canonical)
		take(&a->canonical, &m.canonical);
	else
		take(&a->canonical, &m.og_url);
	a->published = m.published;
	a->word_count = a->body ? count_words(a->body) : 0;
	rc = a->word_count > 0 ? EXTRACT_OK : EXTRACT_EMPTY;
err:
	x.title = NULL;
	meta_clear(&m);
	free(text_a);
	free(text_b);
	if (best_doc)
		best_doc->_private = NULL;
	xmlFreeDoc(best_doc);
	xmlFreeDoc(copy0);
	xmlFreeDoc(x.doc);
	nstat_drop(&x, NULL);
	return rc;
}

void
article_clear(struct article *a)
{
	if (a == NULL)
		return;
	free(a->title);
	free(a->byline);
	free(a->site_name);
	free(a->lang);
	free(a->excerpt);
	free(a->lead_image);
	free(a->canonical);
	free(a->charset);
	free(a->html);
	free(a->text);
	free(a->body);
	memset(a, 0, sizeof(*a));
	a->published = DATE_NONE;
}
