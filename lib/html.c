/*
 * html.c: web pages into libxml2 trees.
 *
 * libxml2 2.9 finds a <meta> charset by itself, but falls back to
 * ISO-8859-1 and ignores what the HTTP header said unless told; the order
 * here is the one browsers use (BOM, header, meta: WHATWG's BOM sniffing
 * comes before the transport's charset, so a BOM'd file on a server that
 * labels everything latin-1 still reads as UTF-8), then UTF-8 when the
 * bytes are valid UTF-8 (a page that declares nothing but is UTF-8 is far
 * more common today than one in windows-1252), then windows-1252.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "gleaner.h"

#define META_SCAN 4096 /* bytes searched for a <meta> charset, as WHATWG's prescan is 1024+ */

static pthread_once_t html_once = PTHREAD_ONCE_INIT;

static void
html_init(void)
{
	xmlInitParser();
}

/* libxml2 reports encoding errors through its generic handler even with
 * HTML_PARSE_NOERROR; a page's bad bytes are not the operator's concern. */
static void
html_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void
html_silent_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static int
iconv_knows(const char *name)
{
	struct charset_conv *cv = charset_conv_new(name);

	if (cv == NULL)
		return 0;
	charset_conv_free(cv);
	return 1;
}

/* Accepts a charset label; UTF-16 in a <meta> is UTF-8 per WHATWG (the
 * meta could not have been read if the page were UTF-16), ISO-8859-1 and
 * US-ASCII are windows-1252. */
static int
take_label(const char *s, size_t n, int from_meta, char *out, size_t outsz)
{
	char label[64], norm[64];

	if (n == 0 || n >= sizeof(label))
		return 0;
	memcpy(label, s, n);
	label[n] = '\0';
	if (charset_normalize(label, norm, sizeof(norm)) == NULL || !iconv_knows(norm))
		return 0;
	if (from_meta && !strncasecmp(norm, "UTF-16", 6))
		strlcpy_g(norm, "UTF-8", sizeof(norm));
	/* WHATWG reads these labels as windows-1252 in HTML (charset.c keeps
	 * them strict for XML feeds): pages so labelled use its quotes. */
	if (!strcmp(norm, "ISO-8859-1") || !strcmp(norm, "US-ASCII"))
		strlcpy_g(norm, "WINDOWS-1252", sizeof(norm));
	strlcpy_g(out, norm, outsz);
	return 1;
}

/* The value after "charset" at p (p just past the word): "=", optional
 * quotes and spaces, then a label. */
static int
charset_value(const char *p, const char *end, char *out, size_t outsz)
{
	const char *v;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p >= end || *p != '=')
		return 0;
	p++;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '"' ||
			   *p == '\''))
		p++;
	for (v = p; p < end && *p != '"' && *p != '\'' && *p != ';' && *p != '>' && *p != ' ' &&
		    *p != '/' && *p != '\t' && *p != '\n' && *p != '\r';
	     p++)
		;
	return take_label(v, (size_t)(p - v), 1, out, outsz);
}

/* Looks for charset= inside the <meta ...> tags of the first META_SCAN
 * bytes, skipping comments.  Covers <meta charset=X> and
 * <meta http-equiv=Content-Type content="text/html; charset=X">. */
static int
meta_charset(const char *data, size_t len, char *out, size_t outsz)
{
	const char *p = data, *end = data + (len < META_SCAN ? len : META_SCAN), *t;

	while (p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
			const char *c = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);

			if (c == NULL)
				return 0;
			p = c + 3;
			continue;
		}
		if (end - p < 6 || strncasecmp(p + 1, "meta", 4) ||
		    !(p[5] == ' ' || p[5] == '\t' || p[5] == '\n' || p[5] == '\r' || p[5] == '/')) {
			p++;
			continue;
		}
		for (t = p + 5; t < end && *t != '>'; t++)
			if (end - t > 7 && !strncasecmp(t, "charset", 7) &&
			    charset_value(t + 7, end, out, outsz))
				return 1;
		p = t;
	}
	return 0;
}

/* Valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). */
static int
valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t	 k;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			k = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			k = 2, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			k = 3, cp = c & 0x07;
		else
			return 0;
		/* A sequence cut by the end of a truncated page still counts. */
		if (i + k >= n) {
			size_t j;

			for (j = i + 1; j < n; j++)
				if ((s[j] & 0xC0) != 0x80)
					return 0;
			return 1;
		}
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return 0;
		i += k + 1;
	}
	return 1;
}

enum html_charset_src
html_charset(const char *data, size_t len, const char *http_charset, char *out, size_t outsz)
{
	const unsigned char *u = (const unsigned char *)data;

	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		strlcpy_g(out, "UTF-8", outsz);
		return HCS_BOM;
	}
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		strlcpy_g(out, u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", outsz);
		return HCS_BOM;
	}
	if (http_charset && take_label(http_charset, strlen(http_charset), 0, out, outsz))
		return HCS_HTTP;
	if (meta_charset(data, len, out, outsz))
		return HCS_META;
	if (valid_utf8(u, len)) {
		strlcpy_g(out, "UTF-8", outsz);
		return HCS_UTF8;
	}
	strlcpy_g(out, "WINDOWS-1252", outsz);
	return HCS_DEFAULT;
}

/* A second <html> start tag in a page (a template included twice) makes
 * libxml2 start a second root element after the first: everything after
 * it would be invisible to a walk from the root.  Its children join the
 * first root. */
static void
merge_roots(htmlDocPtr doc)
{
	xmlNode *root = xmlDocGetRootElement(doc), *n, *next, *c, *cn;

	for (n = root ? root->next : NULL; n; n = next) {
		next = n->next;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		xmlUnlinkNode(n);
		for (c = n->children; c; c = cn) {
			cn = c->next;
			xmlUnlinkNode(c);
			xmlAddChild(root, c);
		}
		xmlFreeNode(n);
	}
}

struct _xmlDoc *
html_parse(const char *data, size_t len, const char *http_charset, const char *url, char *err,
	   size_t errsz)
{
	char	  cs[64];
	htmlDocPtr doc;
	int	  opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
		   HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT | XML_PARSE_HUGE;

	pthread_once(&html_once, html_init);
	/* Per thread in libxml2, so set on every call. */
	xmlSetGenericErrorFunc(NULL, html_silent);
	xmlSetStructuredErrorFunc(NULL, html_silent_structured);
	if (len > HTML_MAX_BYTES)
		len = HTML_MAX_BYTES;
	if (len == 0) {
		snprintf(err, errsz, "empty page");
		return NULL;
	}
	html_charset(data, len, http_charset, cs, sizeof(cs));
	/* A BOM would be read as text once the encoding is forced. */
	if (!strcmp(cs, "UTF-8") && len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		data += 3, len -= 3;
	doc = htmlReadMemory(data, (int)len, url, cs, opts);
	if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
		if (doc)
			xmlFreeDoc(doc);
		snprintf(err, errsz, "not an HTML document (libxml2 built no tree)");
		return NULL;
	}
	merge_roots(doc);
	return doc;
}

void
html_free(struct _xmlDoc *doc)
{
	if (doc)
		xmlFreeDoc(doc);
}
