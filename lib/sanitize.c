/*
 * sanitize.c: the HTML an article is stored and shown as.
 *
 * An allowlist serializer over a libxml2 tree: the output is written from
 * the tree, never patched from the source text, so quoting tricks in the
 * page cannot survive (every attribute is re-quoted and escaped, every
 * kept element is closed).  Elements outside the allowlist are unwrapped
 * (their text stays) or, for the ones whose content is code or controls,
 * dropped with everything inside.  URLs are cleaned the way a browser
 * reads them (tabs and newlines removed anywhere, control characters and
 * spaces trimmed at the ends), resolved against the page's URL, and kept
 * only for http, https (and mailto on links).
 *
 * The walk is iterative: libxml2 builds trees 200,000 elements deep with
 * XML_PARSE_HUGE, far past what the stack allows for recursion.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "gleaner.h"

/* What happens to an element: its tags and content both kept, content
 * without the tags, or neither. */
enum san_act { SAN_DROP, SAN_UNWRAP, SAN_KEEP };

/* Attribute kinds, checked differently. */
enum att_kind {
	AK_TEXT,   /* alt, title: any text */
	AK_NUM,	   /* width, colspan: digits */
	AK_LANG,   /* a language tag */
	AK_DIR,	   /* ltr, rtl, auto */
	AK_TOKEN,  /* type, datetime: printable, no spaces needed */
	AK_BOOL,   /* reversed, open, controls: written without a value */
	AK_LINK,   /* href: http, https, mailto */
	AK_MEDIA,  /* src, cite, poster: http, https */
	AK_SRCSET, /* srcset: candidates of http(s) URLs and descriptors */
};

struct att_rule {
	const char   *name;
	enum att_kind kind;
};

struct tag_rule {
	const char	      *name;
	int		       is_void;
	const struct att_rule *atts; /* besides the global ones; NULL-terminated */
};

static const struct att_rule at_none[] = {{NULL, AK_TEXT}};
static const struct att_rule at_a[] = {{"href", AK_LINK}, {"hreflang", AK_LANG}, {NULL, AK_TEXT}};
static const struct att_rule at_img[] = {
    {"src", AK_MEDIA}, {"srcset", AK_SRCSET}, {"sizes", AK_TEXT}, {"alt", AK_TEXT},
    {"width", AK_NUM}, {"height", AK_NUM},    {NULL, AK_TEXT}};
static const struct att_rule at_source[] = {
    {"src", AK_MEDIA},	{"srcset", AK_SRCSET}, {"sizes", AK_TEXT}, {"type", AK_TOKEN},
    {"media", AK_TEXT}, {"width", AK_NUM},     {"height", AK_NUM}, {NULL, AK_TEXT}};
static const struct att_rule at_media[] = {
    {"src", AK_MEDIA},	   {"poster", AK_MEDIA}, {"width", AK_NUM},  {"height", AK_NUM},
    {"controls", AK_BOOL}, {"loop", AK_BOOL},	 {"muted", AK_BOOL}, {NULL, AK_TEXT}};
static const struct att_rule at_cell[] = {{"colspan", AK_NUM}, {"rowspan", AK_NUM},
					  {"scope", AK_TOKEN}, {"headers", AK_TEXT},
					  {"abbr", AK_TEXT},   {NULL, AK_TEXT}};
static const struct att_rule at_col[] = {{"span", AK_NUM}, {NULL, AK_TEXT}};
static const struct att_rule at_ol[] = {
    {"start", AK_NUM}, {"reversed", AK_BOOL}, {"type", AK_TOKEN}, {NULL, AK_TEXT}};
static const struct att_rule at_ul[] = {{"type", AK_TOKEN}, {NULL, AK_TEXT}};
static const struct att_rule at_li[] = {{"value", AK_NUM}, {NULL, AK_TEXT}};
static const struct att_rule at_cite[] = {{"cite", AK_MEDIA}, {NULL, AK_TEXT}};
static const struct att_rule at_edit[] = {
    {"cite", AK_MEDIA}, {"datetime", AK_TOKEN}, {NULL, AK_TEXT}};
static const struct att_rule at_time[] = {{"datetime", AK_TOKEN}, {NULL, AK_TEXT}};
static const struct att_rule at_details[] = {{"open", AK_BOOL}, {NULL, AK_TEXT}};
static const struct att_rule at_iframe[] = {
    {"width", AK_NUM}, {"height", AK_NUM}, {"allowfullscreen", AK_BOOL}, {NULL, AK_TEXT}};
static const struct att_rule at_global[] = {
    {"title", AK_TEXT}, {"lang", AK_LANG}, {"dir", AK_DIR}, {NULL, AK_TEXT}};

/* Sorted by name for bsearch. */
static const struct tag_rule tags[] = {
    {"a", 0, at_a},	     {"abbr", 0, at_none},	 {"article", 0, at_none},
    {"audio", 0, at_media},  {"b", 0, at_none},		 {"bdi", 0, at_none},
    {"bdo", 0, at_none},     {"blockquote", 0, at_cite}, {"br", 1, at_none},
    {"caption", 0, at_none}, {"cite", 0, at_none},	 {"code", 0, at_none},
    {"col", 1, at_col},	     {"colgroup", 0, at_col},	 {"dd", 0, at_none},
    {"del", 0, at_edit},     {"details", 0, at_details}, {"dfn", 0, at_none},
    {"div", 0, at_none},     {"dl", 0, at_none},	 {"dt", 0, at_none},
    {"em", 0, at_none},	     {"figcaption", 0, at_none}, {"figure", 0, at_none},
    {"h1", 0, at_none},	     {"h2", 0, at_none},	 {"h3", 0, at_none},
    {"h4", 0, at_none},	     {"h5", 0, at_none},	 {"h6", 0, at_none},
    {"hr", 1, at_none},	     {"i", 0, at_none},		 {"iframe", 0, at_iframe},
    {"img", 1, at_img},	     {"ins", 0, at_edit},	 {"kbd", 0, at_none},
    {"li", 0, at_li},	     {"mark", 0, at_none},	 {"ol", 0, at_ol},
    {"p", 0, at_none},	     {"picture", 0, at_none},	 {"pre", 0, at_none},
    {"q", 0, at_cite},	     {"rp", 0, at_none},	 {"rt", 0, at_none},
    {"ruby", 0, at_none},    {"s", 0, at_none},		 {"samp", 0, at_none},
    {"section", 0, at_none}, {"small", 0, at_none},	 {"source", 1, at_source},
    {"span", 0, at_none},    {"strike", 0, at_none},	 {"strong", 0, at_none},
    {"sub", 0, at_none},     {"summary", 0, at_none},	 {"sup", 0, at_none},
    {"table", 0, at_none},   {"tbody", 0, at_none},	 {"td", 0, at_cell},
    {"tfoot", 0, at_none},   {"th", 0, at_cell},	 {"thead", 0, at_none},
    {"time", 0, at_time},    {"tr", 0, at_none},	 {"u", 0, at_none},
    {"ul", 0, at_ul},	     {"var", 0, at_none},	 {"video", 0, at_media},
    {"wbr", 1, at_none},
};

/* Dropped with their content: code, styles, plugins, form controls, and
 * foreign content (SVG and MathML carry their own script and event
 * attributes).  Everything else not in tags[] is unwrapped; a <form> too,
 * since whole pages (ASP.NET) sit inside one and its text is the article. */
static const char *const drop_whole[] = {
    "applet",	"area",	    "base",	"basefont", "button",	"canvas",   "datalist", "dialog",
    "embed",	"fieldset", "frame",	"frameset", "head",	"input",    "keygen",	"label",
    "link",	"map",	    "math",	"meta",	    "noembed",	"noframes", "noscript", "object",
    "optgroup", "option",   "output",	"param",    "progress", "script",   "select",	"style",
    "svg",	"template", "textarea", "title",    "track",	"xml",
};

/* Video and audio players allowed in an iframe: host, and the path the
 * player lives under (so a host's other pages cannot be framed). */
static const struct {
	const char *host, *path;
} frame_hosts[] = {
    {"www.youtube.com", "/embed/"},
    {"youtube.com", "/embed/"},
    {"www.youtube-nocookie.com", "/embed/"},
    {"youtube-nocookie.com", "/embed/"},
    {"player.vimeo.com", "/video/"},
    {"www.dailymotion.com", "/embed/"},
    {"geo.dailymotion.com", "/player"},
    {"player.twitch.tv", "/"},
    {"clips.twitch.tv", "/embed"},
    {"w.soundcloud.com", "/player"},
    {"open.spotify.com", "/embed"},
    {"bandcamp.com", "/EmbeddedPlayer"},
    {"embed.ted.com", "/talks/"},
    {"archive.org", "/embed/"},
    {"www.podbean.com", "/player"},
    {"player.simplecast.com", "/"},
    {"embed.podcasts.apple.com", "/"},
    {"peertube.tv", "/videos/embed/"},
};
#define FRAME_SANDBOX "allow-scripts allow-same-origin allow-popups allow-presentation"

/* Lazy-loading attributes, in order of preference. */
static const char *const lazy_src[] = {
    "data-src", "data-original",   "data-lazy-src",	"data-lazy",
    "data-url", "data-hi-res-src", "data-original-src", NULL};
static const char *const lazy_srcset[] = {"data-srcset", "data-lazy-srcset", "data-original-srcset",
					  NULL};

struct san {
	const char    *base;
	struct buf    *out;
	size_t	       cap;	/* out's cap (SIZE_MAX for none) */
	size_t	       reserve; /* bytes of closing tags owed for open elements */
	size_t	       safe;	/* out->len after the last whole token */
	int	       stop;	/* out of room: close what is open and end */
	int	       oom;
	unsigned char *stack; /* per open ancestor: 1 when its tags were written */
	size_t	       depth, stacksz;
};

static int
tag_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct tag_rule *)e)->name);
}

static int
str_cmp(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

static const struct tag_rule *
tag_find(const char *name)
{
	return bsearch(name, tags, sizeof(tags) / sizeof(tags[0]), sizeof(tags[0]), tag_cmp);
}

static int
is_drop_whole(const char *name)
{
	return bsearch(name, drop_whole, sizeof(drop_whole) / sizeof(drop_whole[0]),
		       sizeof(drop_whole[0]), str_cmp) != NULL;
}

/* HTML5's void elements: they never have content of their own. */
static int
is_void_name(const char *name)
{
	static const char *const v[] = {"area", "base",	 "br",	   "col",    "embed",
					"hr",	"img",	 "input",  "keygen", "link",
					"meta", "param", "source", "track",  "wbr"};

	return name && bsearch(name, v, sizeof(v) / sizeof(v[0]), sizeof(v[0]), str_cmp) != NULL;
}

static int
is_ascii_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_ascii_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* ---- output ---------------------------------------------------------- */

static void
put_escaped(struct san *s, const char *p, int attr)
{
	const char *run = p;

	for (; *p; p++) {
		const char *rep;

		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = attr ? "&quot;" : NULL;
			break;
		default:
			rep = NULL;
		}
		if (rep == NULL)
			continue;
		if (buf_add(s->out, run, (size_t)(p - run)) == -1 || buf_adds(s->out, rep) == -1)
			s->oom = 1;
		run = p + 1;
	}
	if (buf_add(s->out, run, (size_t)(p - run)) == -1)
		s->oom = 1;
}

static void
put(struct san *s, const char *str)
{
	if (buf_adds(s->out, str) == -1)
		s->oom = 1;
}

static void
put_attr(struct san *s, const char *name, const char *val)
{
	put(s, " ");
	put(s, name);
	if (val) {
		put(s, "=\"");
		put_escaped(s, val, 1);
		put(s, "\"");
	}
}

/* Ends a token: when it did not fit (with the closing tags still owed),
 * takes it back and stops the walk. */
static void
token_end(struct san *s, size_t owed)
{
	if (s->oom)
		return;
	if (s->out->truncated || s->out->len > s->cap || s->cap - s->out->len < s->reserve + owed) {
		s->out->len = s->safe;
		if (s->out->data)
			s->out->data[s->out->len] = '\0';
		s->out->truncated = 1;
		s->stop = 1;
		return;
	}
	s->reserve += owed;
	s->safe = s->out->len;
}

/* ---- URLs ------------------------------------------------------------ */

/* The URL a browser would read from an attribute value: ASCII tab and
 * newlines removed anywhere, C0 controls and spaces trimmed at both ends
 * (WHATWG URL parsing).  Malloc'd. */
static char *
url_clean(const char *v)
{
	size_t n = strlen(v), i, j = 0;
	char  *r;

	while (*v && (unsigned char)*v <= 0x20)
		v++, n--;
	while (n > 0 && (unsigned char)v[n - 1] <= 0x20)
		n--;
	if ((r = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (v[i] != '\t' && v[i] != '\n' && v[i] != '\r')
			r[j++] = v[i];
	r[j] = '\0';
	return r;
}

/* Length of the scheme of u (before ':'), or 0 when u has none. */
static size_t
url_scheme_len(const char *u)
{
	size_t i;

	if (!is_ascii_alpha((unsigned char)u[0]))
		return 0;
	for (i = 1; u[i]; i++) {
		unsigned char c = (unsigned char)u[i];

		if (c == ':')
			return i;
		if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c != '+' && c != '-' && c != '.')
			return 0;
	}
	return 0;
}

/* The absolute URL for an attribute value, or NULL when it is empty,
 * cannot be resolved or has a scheme other than http, https (and mailto
 * when mailto is set).  Without a base a relative URL is kept as it is:
 * having no scheme, it cannot run anything. */
static char *
url_safe(const char *base, const char *v, int mailto)
{
	char  *c, *r;
	size_t sl;

	if ((c = url_clean(v)) == NULL)
		return NULL;
	if (*c == '\0' || *c == '#') {
		/* An in-page anchor means nothing once the article is moved. */
		free(c);
		return NULL;
	}
	r = url_resolve(base, c);
	free(c);
	if (r == NULL)
		return NULL;
	sl = url_scheme_len(r);
	if (sl == 0 && (base == NULL || !url_is_absolute(base)) && strchr(r, ':') == NULL)
		return r;
	if ((sl == 4 && !strncasecmp(r, "http", 4)) || (sl == 5 && !strncasecmp(r, "https", 5)) ||
	    (mailto && sl == 6 && !strncasecmp(r, "mailto", 6)))
		return r;
	free(r);
	return NULL;
}

/* A srcset with each candidate's URL made safe and absolute and its
 * descriptor checked ("2x", "640w"); unsafe candidates are left out.
 * Parsed as HTML's srcset: a URL is a run of non-space characters (so a
 * data: URL's comma stays inside it) and loses trailing commas.  NULL
 * when no candidate is left. */
static char *
srcset_safe(const char *base, const char *v)
{
	struct buf  b;
	const char *p = v;

	buf_init(&b, 0);
	for (;;) {
		const char *u, *d;
		size_t	    ul, dl;
		char	   *raw, *abs;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
		       *p == ',')
			p++;
		if (*p == '\0')
			break;
		for (u = p; *p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\f';
		     p++)
			;
		ul = (size_t)(p - u);
		while (ul > 0 && u[ul - 1] == ',')
			ul--;
		d = p;
		dl = 0;
		/* "a.jpg, b.jpg 2x": a comma after the URL ends the candidate. */
		if (ul == (size_t)(p - u)) {
			while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
				p++;
			for (d = p; *p && *p != ','; p++)
				;
			dl = (size_t)(p - d);
			while (dl > 0 &&
			       (d[dl - 1] == ' ' || d[dl - 1] == '\t' || d[dl - 1] == '\n' ||
				d[dl - 1] == '\r' || d[dl - 1] == '\f'))
				dl--;
		}
		/* Descriptor: a number and one of w, x, h; nothing else survives. */
		if (dl > 0) {
			size_t i, digits = 0;

			for (i = 0; i + 1 < dl; i++) {
				if (is_ascii_digit((unsigned char)d[i]))
					digits++;
				else if (d[i] != '.')
					break;
			}
			if (i + 1 != dl || digits == 0 ||
			    (d[dl - 1] != 'w' && d[dl - 1] != 'x' && d[dl - 1] != 'h'))
				continue;
		}
		if ((raw = xstrndup(u, ul)) == NULL)
			continue;
		abs = url_safe(base, raw, 0);
		free(raw);
		if (abs == NULL || strpbrk(abs, " \t\n\r\f,") != NULL) {
			/* A space or comma inside would split the candidate anew. */
			free(abs);
			continue;
		}
		if (b.len)
			buf_adds(&b, ", ");
		buf_adds(&b, abs);
		if (dl) {
			buf_addc(&b, ' ');
			buf_add(&b, d, dl);
		}
		free(abs);
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* The iframe src when it is a known video or audio player, upgraded to
 * https; NULL otherwise. */
static char *
frame_src(const char *base, const char *v)
{
	char  *abs = url_safe(base, v, 0), *host = NULL, *path = NULL, *res = NULL;
	CURLU *u;

	if (abs == NULL)
		return NULL;
	if ((u = curl_url()) == NULL)
		goto err;
	if (curl_url_set(u, CURLUPART_URL, abs, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto err;
	for (size_t i = 0; i < sizeof(frame_hosts) / sizeof(frame_hosts[0]); i++) {
		if (strcasecmp(host, frame_hosts[i].host) ||
		    strncmp(path, frame_hosts[i].path, strlen(frame_hosts[i].path)))
			continue;
		if (curl_url_set(u, CURLUPART_SCHEME, "https", 0) == CURLUE_OK &&
		    curl_url_set(u, CURLUPART_PORT, NULL, 0) == CURLUE_OK &&
		    curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
		    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK) {
			char *t = NULL;

			if (curl_url_get(u, CURLUPART_URL, &t, 0) == CURLUE_OK) {
				res = strdup(t);
				curl_free(t);
			}
		}
		break;
	}
err:
	curl_free(host);
	curl_free(path);
	curl_url_cleanup(u);
	free(abs);
	return res;
}

/* ---- attributes -------------------------------------------------------- */

static char *
attr_get(const xmlNode *n, const char *name)
{
	xmlAttr *a = xmlHasProp(n, (const xmlChar *)name);

	if (a == NULL || a->type != XML_ATTRIBUTE_NODE)
		return NULL;
	return (char *)xmlNodeGetContent((xmlNode *)a);
}

/* A src lazy loaders put in place of the real one: a data: URI or a
 * spacer image. */
static int
is_placeholder(const char *v)
{
	static const char *const names[] = {
	    "blank.gif", "spacer.gif",	"pixel.gif", "1x1.gif",	 "transparent.gif", "placeholder.",
	    "lazy.",	 "loading.gif", "grey.gif",  "gray.gif", "empty.gif"};
	char *c = url_clean(v);
	int   r = 0;

	if (c == NULL)
		return 0;
	if (*c == '\0' || !strncasecmp(c, "data:", 5) || !strncasecmp(c, "about:", 6))
		r = 1;
	else {
		const char *slash = strrchr(c, '/');
		const char *file = slash ? slash + 1 : c;

		for (size_t i = 0; !r && i < sizeof(names) / sizeof(names[0]); i++)
			r = !strncasecmp(file, names[i], strlen(names[i]));
	}
	free(c);
	return r;
}

static char *
attr_first(const xmlNode *n, const char *const *names)
{
	for (; *names; names++) {
		char *v = attr_get(n, *names);

		if (v && *v && !is_placeholder(v))
			return v;
		xmlFree(v);
	}
	return NULL;
}

static int
value_ok(enum att_kind k, const char *v)
{
	size_t n = strlen(v);

	switch (k) {
	case AK_NUM:
		if (n == 0 || n > 9)
			return 0;
		for (size_t i = 0; i < n; i++)
			if (!is_ascii_digit((unsigned char)v[i]) && !(i == n - 1 && v[i] == '%') &&
			    !(i == 0 && v[i] == '-'))
				return 0;
		return 1;
	case AK_LANG:
		if (n == 0 || n > 35)
			return 0;
		for (size_t i = 0; i < n; i++)
			if (!is_ascii_alpha((unsigned char)v[i]) &&
			    !is_ascii_digit((unsigned char)v[i]) && v[i] != '-' && v[i] != '_')
				return 0;
		return 1;
	case AK_DIR:
		return !strcasecmp(v, "ltr") || !strcasecmp(v, "rtl") || !strcasecmp(v, "auto");
	case AK_TOKEN:
		if (n == 0 || n > 100)
			return 0;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] == 0x7f)
				return 0;
		return 1;
	default:
		return 1;
	}
}

/* Writes one allowed attribute of n, if present and valid. */
static void
put_rule_attr(struct san *s, const xmlNode *n, const struct att_rule *r)
{
	char *v = attr_get(n, r->name), *safe = NULL;

	if (v == NULL)
		return;
	switch (r->kind) {
	case AK_BOOL:
		put_attr(s, r->name, NULL);
		break;
	case AK_LINK:
	case AK_MEDIA:
		if ((safe = url_safe(s->base, v, r->kind == AK_LINK)) != NULL)
			put_attr(s, r->name, safe);
		break;
	case AK_SRCSET:
		if ((safe = srcset_safe(s->base, v)) != NULL)
			put_attr(s, r->name, safe);
		break;
	default:
		if (value_ok(r->kind, v))
			put_attr(s, r->name, v);
	}
	free(safe);
	xmlFree(v);
}

/* An image's or source's src and srcset, taken from the lazy-loading
 * attributes when the real ones are missing or placeholders.  Both NULL
 * when there is nothing to show. */
static void
media_urls(struct san *s, const xmlNode *n, char **src, char **srcset)
{
	char *v;

	*src = *srcset = NULL;
	v = attr_get(n, "src");
	if (v && !is_placeholder(v))
		*src = url_safe(s->base, v, 0);
	xmlFree(v);
	if (*src == NULL && (v = attr_first(n, lazy_src)) != NULL) {
		*src = url_safe(s->base, v, 0);
		xmlFree(v);
	}
	/* A srcset of placeholders alone comes out empty here. */
	if ((v = attr_get(n, "srcset")) != NULL)
		*srcset = srcset_safe(s->base, v);
	xmlFree(v);
	if (*srcset == NULL && (v = attr_first(n, lazy_srcset)) != NULL) {
		*srcset = srcset_safe(s->base, v);
		xmlFree(v);
	}
}

/* ---- elements --------------------------------------------------------- */

/* Decides what happens to element n and, when it is kept, writes its
 * start tag.  *leaf is set when the content must not be walked even if
 * the element is kept (iframe fallback text). */
static enum san_act
open_element(struct san *s, const xmlNode *n, int *leaf)
{
	const char	      *name = (const char *)n->name;
	const struct tag_rule *t;
	char		      *src = NULL, *srcset = NULL;

	*leaf = 0;
	if (name == NULL || is_drop_whole(name))
		return SAN_DROP;
	if ((t = tag_find(name)) == NULL)
		return SAN_UNWRAP;

	if (!strcmp(name, "iframe")) {
		char *v = attr_get(n, "src");

		if (v == NULL)
			v = attr_first(n, lazy_src);
		if (v)
			src = frame_src(s->base, v);
		xmlFree(v);
		if (src == NULL)
			return SAN_DROP;
		*leaf = 1;
	} else if (!strcmp(name, "img") || !strcmp(name, "source")) {
		media_urls(s, n, &src, &srcset);
		if (src == NULL && srcset == NULL)
			return SAN_DROP;
	} else if (!strcmp(name, "a")) {
		char *v = attr_get(n, "href");

		if (v)
			src = url_safe(s->base, v, 1);
		xmlFree(v);
		if (src == NULL)
			return SAN_UNWRAP; /* a link to nowhere is just its text */
	}

	put(s, "<");
	put(s, name);
	if (!strcmp(name, "a")) {
		put_attr(s, "href", src);
	} else if (!strcmp(name, "iframe")) {
		put_attr(s, "src", src);
	} else if (src || srcset) {
		if (src)
			put_attr(s, "src", src);
		if (srcset)
			put_attr(s, "srcset", srcset);
	}
	for (const struct att_rule *r = t->atts; r->name; r++) {
		/* Written above, or left out for an image whose src did not survive. */
		if ((src || srcset) && (!strcmp(r->name, "src") || !strcmp(r->name, "srcset") ||
					!strcmp(r->name, "href")))
			continue;
		put_rule_attr(s, n, r);
	}
	for (const struct att_rule *r = at_global; r->name; r++)
		put_rule_attr(s, n, r);
	if (!strcmp(name, "a")) {
		put_attr(s, "rel", "noopener noreferrer");
	} else if (!strcmp(name, "iframe")) {
		put_attr(s, "sandbox", FRAME_SANDBOX);
		put_attr(s, "loading", "lazy");
	} else if (!strcmp(name, "img")) {
		put_attr(s, "loading", "lazy");
	} else if (!strcmp(name, "video") || !strcmp(name, "audio")) {
		char *v = attr_get(n, "controls");

		if (v == NULL)
			put_attr(s, "controls", NULL); /* no autoplay, so a way to play */
		xmlFree(v);
	}
	put(s, ">");
	free(src);
	free(srcset);
	return SAN_KEEP;
}

static void
close_element(struct san *s, const xmlNode *n)
{
	put(s, "</");
	put(s, (const char *)n->name);
	put(s, ">");
}

static int
push(struct san *s, unsigned char kept)
{
	if (s->depth == s->stacksz) {
		size_t	       nsz = s->stacksz ? s->stacksz * 2 : 64;
		unsigned char *p = realloc(s->stack, nsz);

		if (p == NULL) {
			s->oom = 1;
			return -1;
		}
		s->stack = p;
		s->stacksz = nsz;
	}
	s->stack[s->depth++] = kept;
	return 0;
}

/* Leaves parent p of the subtree just finished: its end tag if written. */
static void
pop(struct san *s, const xmlNode *p)
{
	if (s->depth == 0)
		return;
	if (s->stack[--s->depth]) {
		size_t owed = strlen((const char *)p->name) + 3;

		close_element(s, p);
		s->reserve -= owed;
		if (!s->oom)
			s->safe = s->out->len;
	}
}

/* Handles node n; returns 1 when its children are to be walked. */
static int
enter(struct san *s, const xmlNode *n)
{
	const struct tag_rule *t;
	enum san_act	       act;
	int		       leaf;

	switch (n->type) {
	case XML_TEXT_NODE:
		if (n->content)
			put_escaped(s, (const char *)n->content, 0);
		token_end(s, 0);
		return 0;
	case XML_ELEMENT_NODE:
		break;
	default:
		return 0; /* comments, CDATA (script and style text), PIs, DTDs */
	}
	act = open_element(s, n, &leaf);
	/* libxml2's HTML 4 parser does not know source, track or wbr as
	 * void: what follows one becomes its children.  That text belongs
	 * after the element, so it is walked whatever happens to the tag. */
	if (act == SAN_DROP && !is_void_name((const char *)n->name))
		return 0;
	if (act != SAN_KEEP) {
		if (n->children == NULL)
			return 0;
		return push(s, 0) == 0;
	}
	t = tag_find((const char *)n->name);
	if (t->is_void) {
		token_end(s, 0);
		if (s->stop || n->children == NULL)
			return 0;
		return push(s, 0) == 0;
	}
	if (leaf || n->children == NULL) {
		close_element(s, n);
		token_end(s, 0);
		return 0;
	}
	token_end(s, strlen((const char *)n->name) + 3);
	if (s->stop)
		return 0;
	if (push(s, 1) == -1)
		return 0;
	return 1;
}

int
sanitize_node(const struct _xmlNode *root, const char *base_url, struct buf *out)
{
	struct san     s = {0};
	const xmlNode *n;

	if (root == NULL)
		return 0;
	s.base = base_url;
	s.out = out;
	s.cap = out->cap ? out->cap : SIZE_MAX;
	s.safe = out->len;
	n = root->children;
	while (n != NULL && !s.stop && !s.oom) {
		if (enter(&s, n) && n->children != NULL && !s.stop && !s.oom) {
			n = n->children;
			continue;
		}
		if (s.stop || s.oom)
			break;
		while (n->next == NULL && n->parent != NULL && n->parent != root) {
			n = n->parent;
			pop(&s, n);
		}
		if (n->parent == NULL)
			break;
		n = n->next;
	}
	/* Stopped early: the room reserved for the open elements' end tags
	 * is there, so the output stays well nested. */
	if (s.stop && !s.oom && n != NULL) {
		size_t cap = out->cap;

		out->cap = SIZE_MAX; /* only within what was reserved */
		for (n = n->parent; n != NULL && n != root && s.depth > 0; n = n->parent)
			pop(&s, n);
		out->cap = cap;
		out->truncated = 1;
	}
	free(s.stack);
	return s.oom ? -1 : 0;
}

/* A fragment parsed on its own gets an implied <p> around leading text;
 * parsed inside an open <body> it keeps its own structure. */
#define FRAGMENT_PREFIX "<!DOCTYPE html><html><body>"
#define SANITIZE_MAX_OUT (4u * HTML_MAX_BYTES)

char *
sanitize_html(const char *html, size_t len, const char *base_url)
{
	struct buf in, out;
	xmlDoc	  *doc;
	xmlNode	  *body = NULL;
	char	   err[128];
	int	   r;

	if (html == NULL || len == 0)
		return strdup("");
	buf_init(&in, HTML_MAX_BYTES);
	if (buf_adds(&in, FRAGMENT_PREFIX) == -1 || buf_add(&in, html, len) == -1) {
		buf_free(&in);
		return NULL;
	}
	doc = html_parse(in.data, in.len, "UTF-8", base_url, err, sizeof(err));
	buf_free(&in);
	if (doc == NULL)
		return strdup("");
	for (xmlNode *h = xmlDocGetRootElement(doc); h && body == NULL; h = h->next)
		for (xmlNode *c = h->type == XML_ELEMENT_NODE ? h->children : NULL; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "body")) {
				body = c;
				break;
			}
	buf_init(&out, SANITIZE_MAX_OUT);
	r = sanitize_node(body ? body : xmlDocGetRootElement(doc), base_url, &out);
	html_free(doc);
	if (r == -1) {
		buf_free(&out);
		return NULL;
	}
	return buf_take(&out);
}
