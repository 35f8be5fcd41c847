/*
 * extract_clean.c: what goes before the content is looked for (preclean,
 * on the whole page) and what goes inside the chosen content (prune).
 *
 * Pruning follows the lessons in EXTRACTION-NOTES.md: class and id are
 * matched as whole sub-words, only below the content root, and only on
 * elements that are short or mostly links, because naive substring rules
 * over all ancestors delete real text; a pass that would remove more than
 * 6/7 of the text is not applied at all.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_int.h"

static const char *const drop_tags[] = {
    "applet", "area", "audio", "button", "canvas", "datalist", "dialog", "embed",
    "frame", "frameset", "head", "iframe", "input", "label", "link", "map", "marquee",
    "math", "menu", "meta", "nav", "noscript", "object", "optgroup", "option",
    "output", "param", "progress", "script", "select", "source", "style", "svg",
    "template", "textarea", "title", "track", "video",
};

static const char *const hide_roles[] = {
    "alert", "alertdialog", "banner", "complementary", "contentinfo", "dialog", "menu", "menubar",
    "navigation", "search",
};

static int
has_ancestor(const xmlNode *n, const char *tag, const xmlNode *stop)
{
	for (n = n->parent; n && n != stop && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (tag_is(n, tag))
			return 1;
	return 0;
}

/* The same within a few levels: a full walk per element is quadratic on
 * pages nested thousands deep. */
static int
near_ancestor(const xmlNode *n, const char *tag, int levels)
{
	for (n = n->parent; n && levels-- > 0 && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (tag_is(n, tag))
			return 1;
	return 0;
}

static int
style_hidden(const char *style)
{
	char	    s[256];
	size_t	    i, k = 0;

	for (i = 0; style[i] && k + 1 < sizeof(s); i++)
		if (style[i] != ' ' && style[i] != '\t' && style[i] != '\n')
			s[k++] = (char)(style[i] >= 'A' && style[i] <= 'Z' ? style[i] + 32 : style[i]);
	s[k] = '\0';
	return strstr(s, "display:none") != NULL || strstr(s, "visibility:hidden") != NULL;
}

static int
is_hidden(const xmlNode *n)
{
	const char *v;

	if (attr(n, "hidden"))
		return 1;
	if ((v = attr(n, "aria-hidden")) && !strcasecmp(v, "true")) {
		const char *c = attr(n, "class");

		return !(c && strstr(c, "fallback-image"));
	}
	if ((v = attr(n, "style")) && style_hidden(v))
		return 1;
	if ((v = attr(n, "role")) &&
	    tag_in(&(xmlNode){.type = XML_ELEMENT_NODE, .name = (const xmlChar *)v}, hide_roles,
		   sizeof(hide_roles) / sizeof(*hide_roles)))
		return 1;
	return 0;
}

/* The closed panel of an accordion or a tab: hidden until a click, but
 * part of the article (FAQ answers, review sections). */
static int
collapsible(const xmlNode *n)
{
	static const char *const marks[] = {"accordion", "collaps", "expand", "faq", "tabpanel",
					    "tab-content", "tab-pane", "toggle"};
	const xmlAttr *a;
	size_t	       i, k;

	for (a = n->properties; a; a = a->next) {
		char	    v[256];
		const char *s = a->children && a->children->content ? (const char *)a->children->content : "";

		if (strcmp((const char *)a->name, "class") && strcmp((const char *)a->name, "id") &&
		    strcmp((const char *)a->name, "role") && strncmp((const char *)a->name, "data-", 5))
			continue;
		for (k = 0; s[k] && k + 1 < sizeof(v); k++)
			v[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]);
		v[k] = '\0';
		for (i = 0; i < sizeof(marks) / sizeof(*marks); i++)
			if (strstr(v, marks[i]))
				return 1;
	}
	return 0;
}

void
preclean(struct xctx *x, xmlNode *root)
{
	xmlNode *n, *next;
	unsigned page_p, total;

	if (nstat_compute(x, root) < 0)
		return;
	total = ns(root)->text;
	for (n = root->children; n; n = next) {
		int drop = 0;

		if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
			drop = 1;
		else if (n->type == XML_ELEMENT_NODE && ns(n)) {
			/* A button inside a heading is an accordion's title. */
			if (tag_in(n, drop_tags, sizeof(drop_tags) / sizeof(*drop_tags)) &&
			    !(tag_is(n, "button") && is_heading_tag(n->parent)))
				drop = 1;
			/* Hidden, except React's streamed Suspense boundaries
			 * (<div hidden id="S:0">, moved into place by a script). */
			else if (is_hidden(n) && !(attr(n, "id") && !strncmp(attr(n, "id"), "S:", 2)) &&
				 !collapsible(n))
				drop = 1;
			else if (tag_is(n, "aside") && !has_ancestor(n, "article", root))
				drop = 1;
			else if ((tag_is(n, "header") || tag_is(n, "footer")) &&
				 !has_ancestor(n, "article", root) && !has_ancestor(n, "main", root))
				drop = 1;
			/* A <time> label, not a date inside a sentence. */
			else if (tag_is(n, "time") && !has_ancestor(n, "p", root))
				drop = 1;
			/* Never most of the page: an unclosed <aside> or <nav>,
			 * or content hidden until a script shows it, holds the
			 * article too. */
			if (drop && ns(n)->text * 2 > total && !tag_is(n, "script") &&
			    !tag_is(n, "style") && !tag_is(n, "head") && !tag_is(n, "template"))
				drop = 0;
		}
		if (drop) {
			next = next_node(n, root, 0);
			remove_node(n);
		} else
			next = next_node(n, root, 1);
	}
	/* Some pages wrap everything in one <form>: drop forms only when
	 * they hold less than half of the page's paragraph text. */
	if (nstat_compute(x, root) < 0)
		return;
	page_p = ns(root)->ptext;
	for (n = root->children; n; n = next) {
		if (tag_is(n, "form") || tag_is(n, "fieldset")) {
			if (ns(n)->ptext * 2 < page_p || ns(n)->ptext == 0) {
				next = next_node(n, root, 0);
				remove_node(n);
				continue;
			}
		}
		next = next_node(n, root, 1);
	}
	nstat_drop(x, root);
}

/* Sub-words of class and id that mark boilerplate (sorted). */
static const char *const boiler_words[] = {
    "ad", "ads", "adsense", "advert", "advertisement", "advertising", "agegate", "alsoread",
    "author", "authors", "banner", "bio", "breadcrumb", "breadcrumbs", "btn", "button",
    "byline", "caption", "captions", "comment", "commentlist", "comments", "consent", "cookie",
    "cookies", "copyright", "credit", "credits", "crumb", "crumbs", "cta", "dateline", "dfp",
    "disclaimer", "disqus", "donate", "footer", "footnotes_placeholder", "gdpr", "login",
    "masthead", "menu", "modal", "mostread", "nav", "navbar", "navigation", "newsletter",
    "outbrain", "pager", "pagination", "paywall", "popular", "popup", "print", "promo",
    "promotion", "pullquote", "rating", "reactions", "readmore", "recirc", "recommend",
    "recommendations", "recommended", "related", "share", "sharebar", "sharing", "sidebar",
    "signup", "skip", "social", "sponsor", "sponsored", "subscribe", "subscription", "taboola",
    "tagcloud", "tags", "timestamp", "toolbar", "tools", "trending",
};

/* Short-only words: metadata labels, removed when under 200 characters. */
static const char *const meta_words[] = {
    "date", "dek", "eyebrow", "info", "kicker", "label", "meta", "published", "tag", "time",
    "updated",
};

struct removal {
	xmlNode **v;
	size_t	  n, cap;
	unsigned  chars;
};

static void
mark(struct removal *r, xmlNode *n)
{
	if (r->n == r->cap) {
		xmlNode **v;
		size_t	  cap = r->cap ? r->cap * 2 : 64;

		if ((v = realloc(r->v, cap * sizeof(*v))) == NULL)
			return;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = n;
	r->chars += ns(n)->text;
}

/* Removes what was marked unless that is more than 6/7 of the text. */
static size_t
apply(struct xctx *x, xmlNode *root, struct removal *r)
{
	size_t	 i, done = 0;
	unsigned total = ns(root)->text;

	if (total == 0 || (double)r->chars <= total * 6.0 / 7.0)
		for (i = 0; i < r->n; i++, done++)
			remove_node(r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
	nstat_compute(x, root);
	return done;
}

/* Readability's _markDataTables. */
static int
is_data_table(const xmlNode *t)
{
	const xmlNode *n;
	unsigned       rows = 0, cols = 0, cells = 0;
	const char    *role = attr(t, "role");

	if (role && !strcasecmp(role, "presentation"))
		return 0;
	if (attr(t, "summary"))
		return 1;
	for (n = t->children; n; n = next_node((xmlNode *)n, t, 1)) {
		if (tag_is(n, "table") && n != t)
			return 0;
		if (tag_is(n, "caption") || tag_is(n, "thead") || tag_is(n, "th") ||
		    tag_is(n, "colgroup") || tag_is(n, "col") || tag_is(n, "tfoot"))
			return 1;
		if (tag_is(n, "tr")) {
			rows++;
			cells = 0;
		} else if (tag_is(n, "td") && ++cells > cols)
			cols = cells;
	}
	if (rows == 1 || cols == 1)
		return 0;
	return rows >= 10 || cols > 4 || rows * cols > 10;
}

static int
last_element(const xmlNode *n)
{
	for (n = n->next; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && ns(n) && ns(n)->text)
			return 0;
	return 1;
}

/* The next element sibling is a paragraph of some length. */
static int
next_para(const xmlNode *n)
{
	for (n = n->next; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return tag_is(n, "p") && ns(n) && ns(n)->text >= 100;
	return 0;
}

/* Readability's _cleanConditionally, on the figures of nstat. */
static int
clean_conditionally(const xmlNode *n, double weight)
{
	const struct nstat *s = ns(n);
	double		    ld = link_density(n);
	int		    is_list;

	if (tag_is(n, "table") && is_data_table(n))
		return 0;
	if (weight < 0)
		return 1;
	if (s->commas >= 10)
		return 0;
	is_list = tag_is(n, "ul") || tag_is(n, "ol") ||
		  (s->text && (double)s->ptext >= 0.9 * s->text && s->li > 0);
	if (!is_list && s->li > s->p + 100)
		return 1;
	/* A list whose items are sentences with a link or two (release
	 * notes, sources), not a list of links. */
	if (is_list && s->li && (s->text - s->link) / s->li >= 20 && ld < 0.6)
		return 0;
	if (s->input > s->p / 3)
		return 1;
	if (s->text < 25 && (s->img == 0 || s->img > 2) && s->text > 0 &&
	    (double)s->htext < 0.9 * s->text && !near_ancestor(n, "figure", 8))
		return 1;
	if (weight < 25 && ld > 0.2)
		return 1;
	if (weight >= 25 && ld > 0.5)
		return 1;
	return 0;
}

/* Lines that are boilerplate whatever their markup. */
static int
boiler_line(const char *t, size_t len)
{
	static const char *const exact[] = {
	    "advertisement", "advertising", "ad", "comments", "comment", "continue reading",
	    "copy link", "email", "facebook", "flipboard", "linkedin", "loading", "loading...",
	    "pinterest", "print", "read more", "read next", "reddit", "related", "related articles",
	    "related stories", "related posts", "share", "share this", "share this article",
	    "share on facebook", "share on twitter", "sign up", "sponsored", "subscribe",
	    "subscribe now", "tweet", "twitter", "whatsapp", "x", "more", "see more", "show more",
	    "back to top", "top", "follow", "save", "listen", "download",
	    "in this article", "table of contents", "contents", "on this page", "jump to",
	    "book a demo", "request a demo", "get a demo", "get started", "learn more",
	    "contact us", "get a quote", "buy now", "shop now", "try it free", "start free trial",
	    "sign up now", "apply now", "join now", "register now",
	};
	static const char *const prefix[] = {
	    "photo:", "photo by", "photograph:", "photos:", "image:", "image credit", "image by",
	    "credit:", "source:", "illustration:", "video:", "watch:", "listen:", "updated:",
	    "published:", "posted:", "last updated", "last modified", "getty images",
	    "read more:", "also read:", "see also:", "related:", "more:", "read also:",
	    "follow us", "sign up for", "subscribe to", "click here", "skip to", "share this",
	    "listen to this article", "this article was", "(ap photo", "ap photo", "afp photo",
	    "reuters/", "copyright ©", "© ", "all rights reserved", "advertisement",
	    "posted by", "written by", "reviewed by", "fact checked by", "edited by",
	    "reading time", "see more", "article sources", "sources:", "tags:", "filed under",
	    "categories:", "category:", "share:", "share on", "http://", "https://", "www.",
	    "updated on", "last updated on", "originally published",
	};
	char   low[128];
	size_t i;

	if (len >= sizeof(low))
		return 0;
	for (i = 0; i < len; i++)
		low[i] = (char)(t[i] >= 'A' && t[i] <= 'Z' ? t[i] + 32 : t[i]);
	low[len] = '\0';
	while (len && (low[len - 1] == ' ' || low[len - 1] == ':'))
		low[--len] = '\0';
	for (i = 0; i < sizeof(exact) / sizeof(*exact); i++)
		if (!strcmp(low, exact[i]))
			return 1;
	for (i = 0; i < sizeof(prefix) / sizeof(*prefix); i++)
		if (!strncmp(low, prefix[i], strlen(prefix[i])))
			return 1;
	/* "By Jane Doe", "By Jane Doe and John Roe" */
	if (len < 50 && !strncmp(low, "by ", 3) && t[len - 1] != '.')
		return 1;
	/* A date alone: "March 3, 2024", "2024-03-03". */
	if (len < 40) {
		int64_t when;

		if (date_parse(t, len, &when) == 0)
			return 1;
	}
	/* "3 min read", "5 MIN. READ", "4 minute read" */
	if (len < 30 && (strstr(low, "min read") || strstr(low, "min. read") ||
			 strstr(low, "minute read") || strstr(low, "minutes read")))
		return 1;
	/* digits and "comments" */
	if (len < 20 && strstr(low, "comment"))
		return 1;
	return 0;
}

/* "If you buy through our links we may earn a commission." */
static int
disclosure(const char *t)
{
	if (!strncasecmp(t, "disclaimer", 10) || !strncasecmp(t, "disclosure:", 11) ||
	    !strncasecmp(t, "editorial disclosure", 20) || !strncasecmp(t, "medical disclaimer", 18))
		return 1;
	return strcasestr(t, "commission") &&
	       (strcasestr(t, "affiliate") || strcasestr(t, "may earn") || strcasestr(t, "we earn") ||
		strcasestr(t, "i earn") || strcasestr(t, "earn a"));
}

static const char *const boiler_headings[] = {
    "about the author", "advertisement", "comments", "follow us", "join the conversation",
    "latest", "latest news", "leave a comment", "leave a reply", "more from", "more on",
    "more stories", "most popular", "most read", "newsletter", "popular", "read more",
    "read next", "recent posts", "recommended", "related", "related articles", "related content",
    "related posts", "related stories", "share", "share this", "share this article", "sign up",
    "subscribe", "tags", "topics", "trending", "you may also like", "you might also like",
    "what to read next", "further reading", "more from this author", "also read",
    "in this article", "table of contents", "contents", "on this page", "jump to",
    "in this post", "in this guide", "skip to",
};

static int
boiler_heading(const char *t)
{
	char   low[96];
	size_t i, len = strlen(t);

	if (len >= sizeof(low))
		return 0;
	for (i = 0; i <= len; i++)
		low[i] = (char)(t[i] >= 'A' && t[i] <= 'Z' ? t[i] + 32 : t[i]);
	while (len && (low[len - 1] == ':' || low[len - 1] == ' '))
		low[--len] = '\0';
	for (i = 0; i < sizeof(boiler_headings) / sizeof(*boiler_headings); i++) {
		size_t k = strlen(boiler_headings[i]);

		if (k <= len && !strncmp(low, boiler_headings[i], k) &&
		    (low[k] == '\0' || low[k] == ' ' || low[k] == ':'))
			return 1;
	}
	return 0;
}

static const char *const lineish[] = {"div", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
				      "li", "p", "section", "span", "strong"};
static const char *const containers[] = {"div", "dl", "ol", "section", "table", "ul"};
static const char *const headline_phrases[] = {" entry title ", " post title ", " article title ",
					       " page title ", " story title ", " headline "};

static int
headline_class(const xmlNode *n)
{
	char   w[520];
	size_t i;

	w[0] = ' ';
	class_words(n, w + 1, sizeof(w) - 1);
	for (i = 0; i < sizeof(headline_phrases) / sizeof(*headline_phrases); i++)
		if (strstr(w, headline_phrases[i]))
			return 1;
	return 0;
}

/* An element whose text is all in one child element: the child is
 * looked at instead (reading the text of every wrapper of a page nested
 * thousands deep is quadratic). */
static int
wrapper(const xmlNode *n)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && ns(c) && ns(c)->text == ns(n)->text)
			return ns(c)->text > 0 && tag_in(c, lineish, sizeof(lineish) / sizeof(*lineish));
	return 0;
}

void
prune(struct xctx *x, xmlNode *root, int strict)
{
	struct removal r = {0};
	xmlNode	      *n, *next;
	unsigned       total;

	if (nstat_compute(x, root) < 0)
		return;
	/* 1. Class and id sub-words. */
	total = ns(root)->text;
	for (n = root->children; n; n = next) {
		if (n->type == XML_ELEMENT_NODE && ns(n)) {
			const struct nstat *s = ns(n);
			int		    boiler = class_has_word(n, boiler_words,
							  sizeof(boiler_words) / sizeof(*boiler_words), 1);
			int		    metaw = !boiler && s->text < 200 &&
				     class_has_word(n, meta_words, sizeof(meta_words) / sizeof(*meta_words), 1);

			if ((boiler && (s->text * 2 < total || link_density(n) > 0.5) &&
			     !(s->ptext > 0 && has_ancestor(n, "blockquote", root))) ||
			    metaw) {
				mark(&r, n);
				next = next_node(n, root, 0);
				continue;
			}
		}
		next = next_node(n, root, 1);
	}
	apply(x, root, &r);

	/* 2. Link-dense and short containers (trafilatura's link test and
	 * Readability's conditional cleaning). */
	for (n = root->children; n; n = next) {
		if (n->type == XML_ELEMENT_NODE && ns(n)) {
			const struct nstat *s = ns(n);
			double		    ld = link_density(n);
			int		    drop = 0;

			/* Code is never cleaned (nor is anything inside it). */
			if (tag_is(n, "pre") || tag_is(n, "code")) {
				next = next_node(n, root, 0);
				continue;
			}
			/* A table of contents: a list of in-page links. */
			if ((tag_is(n, "ul") || tag_is(n, "ol")) && s->li >= 2 &&
			    s->hlink * 10 >= s->text * 8)
				drop = 1;
			else if (tag_is(n, "p"))
				drop = ld > 0.8 && (s->text < 30 || (s->text < 60 && last_element(n)));
			/* A one-item list of one link between paragraphs is the
			 * title of a listicle's entry, not navigation. */
			else if ((tag_is(n, "ul") || tag_is(n, "ol")) && s->li == 1 && s->text < 120 &&
				 next_para(n))
				drop = 0;
			else if (tag_in(n, containers, sizeof(containers) / sizeof(*containers))) {
				drop = (ld > 0.8 && (s->text < 100 || (s->text < 300 && last_element(n)))) ||
				       (strict && clean_conditionally(n, class_weight(n)));
			}
			if (drop) {
				mark(&r, n);
				next = next_node(n, root, 0);
				continue;
			}
		}
		next = next_node(n, root, 1);
	}
	apply(x, root, &r);

	/* 3. Headings: the title and h1s, headline classes, boilerplate ones. */
	for (n = root->children; n; n = next) {
		next = next_node(n, root, 1);
		if (!is_heading_tag(n))
			continue;
		{
			char *t = node_text(n, 4096);
			int   drop = (t && boiler_heading(t)) ||
				   (x->title && t && title_similar(t, x->title)) ||
				   headline_class(n) ||
				   (attr(n, "itemprop") && !strcasecmp(attr(n, "itemprop"), "headline")) ||
				   class_weight(n) < 0;

			free(t);
			if (drop) {
				mark(&r, n);
				next = next_node(n, root, 0);
			}
		}
	}
	apply(x, root, &r);

	/* 4. Short boilerplate lines; blocks repeated verbatim (pull quotes). */
	{
		uint64_t *seen = NULL;
		size_t	  nseen = 0, cap = 0;

		for (n = root->children; n; n = next) {
			next = next_node(n, root, 1);
			if (n->type != XML_ELEMENT_NODE || ns(n) == NULL)
				continue;
			if (tag_in(n, lineish, sizeof(lineish) / sizeof(*lineish)) && ns(n)->text < 2048 &&
			    !wrapper(n)) {
				char *t = node_text(n, 4096);

				/* Short boilerplate, or a bare URL of any length. */
				if (t && *t &&
				    ((ns(n)->text < 120 && boiler_line(t, strlen(t))) ||
				     (ns(n)->text < 400 && disclosure(t)) ||
				     ((!strncmp(t, "http://", 7) || !strncmp(t, "https://", 8)) &&
				      !strchr(t, ' ')))) {
					mark(&r, n);
					next = next_node(n, root, 0);
				}
				free(t);
				continue;
			}
			if ((tag_is(n, "p") || tag_is(n, "blockquote")) && ns(n)->text >= 60) {
				char	*t = node_text(n, 1 << 20);
				uint64_t h = t ? hash64(t, strlen(t), HASH64_SEED) : 0;
				size_t	 i;
				int	 dup = 0;

				free(t);
				for (i = 0; i < nseen; i++)
					if (seen[i] == h)
						dup = 1;
				/* Only a quote repeating a paragraph (a pull quote):
				 * pages do repeat whole paragraphs on purpose. */
				if (dup && tag_is(n, "blockquote")) {
					mark(&r, n);
					next = next_node(n, root, 0);
				} else if (nseen < 4096) {
					if (nseen == cap) {
						uint64_t *v = realloc(seen, (cap ? cap * 2 : 64) * sizeof(*v));

						if (v) {
							seen = v;
							cap = cap ? cap * 2 : 64;
						}
					}
					if (nseen < cap)
						seen[nseen++] = h;
				}
			}
		}
		free(seen);
	}
	apply(x, root, &r);

	/* 5. Trailing headings, and a heading followed straight by another
	 * of the same or a higher rank: what they introduced is gone. */
	for (int round = 0; round < 64; round++) {
		xmlNode *last = NULL, *prev_h = NULL;
		int	 removed = 0;

		for (n = root->children; n; n = next) {
			next = next_node(n, root, 1);
			if (n->type != XML_ELEMENT_NODE || ns(n) == NULL)
				continue;
			if (is_heading_tag(n)) {
				if (prev_h && ns(prev_h)->text && n->name[1] <= prev_h->name[1]) {
					mark(&r, prev_h);
					removed = 1;
					prev_h = NULL; /* marked once only */
				}
				if (ns(n)->text)
					prev_h = n;
				last = n;
				next = next_node(n, root, 0);
			} else if ((n->children == NULL || tag_is(n, "p") || tag_is(n, "li")) &&
				   ns(n)->text) {
				prev_h = NULL;
				last = n;
				next = next_node(n, root, 0);
			} else if (n->type == XML_ELEMENT_NODE && ns(n)->text) {
				/* A text child directly under a container. */
				const xmlNode *c;

				for (c = n->children; c; c = c->next)
					if (c->type == XML_TEXT_NODE && text_chars(c) > 1) {
						prev_h = NULL;
						last = n;
					}
			}
		}
		if (last && is_heading_tag(last)) {
			size_t i;
			int    dup = 0;

			for (i = 0; i < r.n; i++)
				dup |= r.v[i] == last;
			if (!dup) {
				mark(&r, last);
				removed = 1;
			}
		}
		if (!removed) {
			free(r.v);
			memset(&r, 0, sizeof(r));
			break;
		}
		if (apply(x, root, &r) == 0)
			break;
	}
	nstat_drop(x, root);
}
