/*
 * extract_score.c: the two ways of finding the content.
 *  - find_by_class: the containers sites name for their article body
 *    (trafilatura's tiers of class and id names), with rs-trafilatura's
 *    rules for skipping matches in page furniture;
 *  - readability: Readability.js's bottom-up scoring of paragraphs, the
 *    top candidate, its climb and its siblings.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_int.h"

/* Case-insensitive substring test over class + " " + id. */
static int
classid_matches(const xmlNode *n, const char *const *pats, size_t cnt)
{
	char	    s[512];
	const char *c = attr(n, "class"), *id = attr(n, "id");
	size_t	    i;

	if (c == NULL && id == NULL)
		return 0;
	snprintf(s, sizeof(s), "%s %s", c ? c : "", id ? id : "");
	for (i = 0; s[i]; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	for (i = 0; i < cnt; i++)
		if (strstr(s, pats[i]))
			return 1;
	return 0;
}

#define N(a) (sizeof(a) / sizeof(*(a)))

static const char *const positive[] = {"article", "body", "content", "entry", "hentry", "h-entry",
				       "main", "page", "pagination", "post", "text", "blog", "story"};
static const char *const negative[] = {
    "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "footer", "gdpr",
    "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox",
    "sidebar", "skyscraper", "sponsor", "shopping", "tags"};

static int
weight_of(const char *v)
{
	char	    s[512];
	size_t	    i;
	int	    w = 0;

	if (v == NULL || *v == '\0')
		return 0;
	for (i = 0; v[i] && i + 3 < sizeof(s); i++)
		s[i + 1] = (char)tolower((unsigned char)v[i]);
	s[0] = ' ';
	s[i + 1] = ' ';
	s[i + 2] = '\0';
	/* Utility classes (overflow-hidden, overflow-x-hidden) say nothing
	 * about the role of an element. */
	{
		char *h;

		while ((h = strstr(s, "overflow-")) != NULL)
			while (*h && *h != ' ')
				*h++ = ' ';
	}
	for (i = 0; i < N(negative); i++)
		if (strstr(s, negative[i])) {
			w -= 25;
			break;
		}
	/* Readability's /^hid$| hid$| hid |^hid / */
	if (w == 0 && strstr(s, " hid "))
		w -= 25;
	for (i = 0; i < N(positive); i++)
		if (strstr(s, positive[i])) {
			w += 25;
			break;
		}
	return w;
}

double
class_weight(const xmlNode *n)
{
	return weight_of(attr(n, "class")) + weight_of(attr(n, "id"));
}

/* ---- trafilatura's tiers ---- */

static const char *const tier1[] = {
    " post text ", " post body ", " post entry ", " post content ", " postcontent ",
    " article text ", " articletext ", " entry content ", " article content ",
    " article body ", " articlebody ", " page content ", " text content ", " body text ",
    " art content ", " story body ", " story content ", " article main ", " main article ",
    " entry body ", " content article ", " article inner ", " post article ", " body content ",
    " rich text ", " richtext ", " article copy ", " body copy ", " article detail ",
    " news body ", " news text ", " single content ", " content body ", " blog post content ",
};
static const char *const tier3[] = {
    " post bodycopy ", " blog content ", " single post ", " main column ", " field body ",
    " fulltext ",
};
/* Single words count only as a whole class or id ("text", not
 * "text-align-left"). */
static const char *const tier3_whole[] = {"article", "post", "story", "text"};
static const char *const tier4[] = {" content main ", " main content "};
static const char *const tier4_whole[] = {"content", "entry"};

static int
whole_token(const xmlNode *n, const char *const *words, size_t cnt)
{
	const char *v[2] = {attr(n, "class"), attr(n, "id")};
	int	    k;

	for (k = 0; k < 2; k++) {
		const char *p = v[k], *e;

		while (p && *p) {
			size_t i, len;

			while (*p == ' ' || *p == '\t' || *p == '\n')
				p++;
			for (e = p; *e && *e != ' ' && *e != '\t' && *e != '\n'; e++)
				;
			len = (size_t)(e - p);
			for (i = 0; i < cnt; i++)
				if (strlen(words[i]) == len && !strncasecmp(p, words[i], len))
					return 1;
			p = e;
		}
	}
	return 0;
}

static int
words_match(const xmlNode *n, const char *const *pats, size_t cnt)
{
	char   w[520];
	size_t i;

	w[0] = ' ';
	class_words(n, w + 1, sizeof(w) - 1);
	for (i = 0; i < cnt; i++)
		if (strstr(w, pats[i]))
			return 1;
	return 0;
}

static const char *const furniture[] = {"aside", "footer", "header", "nav"};
static const char *const furniture_words[] = {
    "comment", "comments", "footer", "menu", "nav", "navigation", "related", "sidebar", "widget",
};

static int
in_furniture(const xmlNode *n, const xmlNode *stop)
{
	for (n = n->parent; n && n != stop && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (tag_in(n, furniture, N(furniture)) ||
		    class_has_word(n, furniture_words, N(furniture_words), 1))
			return 1;
	return 0;
}

static int
tier_of(const xmlNode *n)
{
	const char *ip = attr(n, "itemprop");

	if (ip && strstr(ip, "articleBody"))
		return 1;
	if (!(tag_is(n, "article") || tag_is(n, "div") || tag_is(n, "main") || tag_is(n, "section")))
		return 0;
	if (words_match(n, tier1, N(tier1)))
		return 1;
	if (tag_is(n, "article"))
		return 2;
	if (words_match(n, tier3, N(tier3)) || whole_token(n, tier3_whole, N(tier3_whole)) ||
	    (attr(n, "role") && !strcmp(attr(n, "role"), "article")))
		return 3;
	if (words_match(n, tier4, N(tier4)) || whole_token(n, tier4_whole, N(tier4_whole)))
		return 4;
	if (tag_is(n, "main"))
		return 5;
	return 0;
}

xmlNode *
find_by_class(struct xctx *x, xmlNode *body)
{
	xmlNode *best[6] = {NULL}, *n, *pick = NULL;
	int	 t;

	if (nstat_compute(x, body) < 0)
		return NULL;
	for (n = body; n; n = next_node(n, body, 1)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		t = tier_of(n);
		/* Enough paragraph text, or text in divs (div class="p") with few links. */
		if (t == 0 || best[t] ||
		    (ns(n)->ptext < 200 && (ns(n)->text < 400 || link_density(n) > 0.3)) ||
		    in_furniture(n, body))
			continue;
		best[t] = n;
	}
	for (t = 1; t <= 5 && pick == NULL; t++)
		pick = best[t];
	/* A short match inside a bigger body: its parent holds the rest. */
	if (pick && ns(pick)->text < 1000 && pick->parent && pick->parent != body &&
	    pick->parent->type == XML_ELEMENT_NODE && ns(pick->parent) &&
	    ns(pick->parent)->ptext >= 2 * ns(pick)->ptext && ns(pick->parent)->ptext >= 1000 &&
	    link_density(pick->parent) < 0.3)
		pick = pick->parent;
	nstat_drop(x, body);
	return pick;
}

/* ---- Readability ---- */

static const char *const unlikely[] = {
    "-ad-", "ai2html", "banner", "breadcrumbs", "combx", "comment", "community", "cover-wrap",
    "disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "related", "remark",
    "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor", "supplemental",
    "ad-break", "agegate", "pagination", "pager", "popup", "yom-remote"};
static const char *const maybe[] = {"and", "article", "body", "column", "content", "main",
				    "mathjax", "shadow"};
static const char *const divish_blocks[] = {"blockquote", "div", "dl", "img", "ol", "p",
					    "pre", "section", "table", "ul"};

static void
init_score(xmlNode *n, int flags)
{
	struct nstat *s = ns(n);
	const char   *t = (const char *)n->name;

	if (s->scored)
		return;
	s->scored = 1;
	if (!strcmp(t, "div"))
		s->score = 5;
	else if (!strcmp(t, "pre") || !strcmp(t, "td") || !strcmp(t, "blockquote"))
		s->score = 3;
	else if (!strcmp(t, "address") || !strcmp(t, "ol") || !strcmp(t, "ul") ||
		 !strcmp(t, "dl") || !strcmp(t, "dd") || !strcmp(t, "dt") || !strcmp(t, "li") ||
		 !strcmp(t, "form"))
		s->score = -3;
	else if (is_heading_tag(n) || !strcmp(t, "th"))
		s->score = -5;
	if (flags & RB_WEIGHT_CLASSES)
		s->score += class_weight(n);
}

static int
has_block_child(const xmlNode *n)
{
	for (n = n->children; n; n = n->next)
		if (tag_in(n, divish_blocks, N(divish_blocks)))
			return 1;
	return 0;
}

static int
scorable(const xmlNode *n)
{
	static const char *const tags[] = {"h2", "h3", "h4", "h5", "h6", "p", "pre", "section", "td"};

	if (tag_in(n, tags, N(tags)))
		return 1;
	/* A div with no block inside is a paragraph to Readability. */
	return tag_is(n, "div") && !has_block_child(n);
}

static int
element_children(const xmlNode *n)
{
	int k = 0;

	for (n = n->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			k++;
	return k;
}

static int
is_ancestor(const xmlNode *a, const xmlNode *n, int levels)
{
	for (n = n->parent; n && levels-- > 0; n = n->parent)
		if (n == a)
			return 1;
	return 0;
}

xmlNode *
readability(struct xctx *x, htmlDocPtr doc, int flags)
{
	/* The root, not <body>: see body_of() in extract.c. */
	xmlNode *body = xmlDocGetRootElement(doc), *n, *next, *top[5] = {NULL};
	xmlNode *div, *parent;
	double	 threshold;
	int	 i, ntop = 0;

	if (flags & RB_STRIP_UNLIKELY) {
		for (n = body->children; n; n = next) {
			if (n->type == XML_ELEMENT_NODE && !tag_is(n, "a") &&
			    classid_matches(n, unlikely, N(unlikely)) &&
			    !classid_matches(n, maybe, N(maybe))) {
				const xmlNode *a;
				int	       protected_ = 0;

				for (a = n->parent; a && a->type == XML_ELEMENT_NODE; a = a->parent)
					if (tag_is(a, "table") || tag_is(a, "code"))
						protected_ = 1;
				if (!protected_) {
					next = next_node(n, body, 0);
					remove_node(n);
					continue;
				}
			}
			next = next_node(n, body, 1);
		}
	}
	if (nstat_compute(x, body) < 0)
		return NULL;
	for (n = body; n; n = next_node(n, body, 1)) {
		const struct nstat *s;
		double		    score;
		xmlNode		   *a;
		int		    level;

		if (n->type != XML_ELEMENT_NODE || !scorable(n))
			continue;
		s = ns(n);
		if (s->text < 25)
			continue;
		score = 1 + s->commas + 1 + (s->text / 100 > 3 ? 3 : s->text / 100);
		for (a = n->parent, level = 0; a && a->type == XML_ELEMENT_NODE && level < 5;
		     a = a->parent, level++) {
			if (a->parent == NULL || a->parent->type != XML_ELEMENT_NODE)
				break;
			init_score(a, flags);
			ns(a)->score += score / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
		}
	}
	/* Final scores, with link density, and the best five. */
	for (n = body; n; n = next_node(n, body, 1)) {
		struct nstat *s;

		if (n->type != XML_ELEMENT_NODE || !(s = ns(n))->scored)
			continue;
		s->score *= 1 - link_density(n);
		for (i = 0; i < 5; i++)
			if (top[i] == NULL || s->score > ns(top[i])->score) {
				memmove(top + i + 1, top + i, (size_t)(4 - i) * sizeof(*top));
				top[i] = n;
				break;
			}
	}
	for (ntop = 0; ntop < 5 && top[ntop]; ntop++)
		;
	if (ntop == 0 || top[0] == body) {
		nstat_drop(x, body);
		return body;
	}
	/* Three runners-up of 3/4 the score sharing an ancestor of the best
	 * one: the content is that ancestor. */
	/* (Within 32 levels: on pages nested thousands deep a full search of
	 * every ancestor for every runner-up is quadratic.) */
	for (parent = top[0]->parent, i = 0; parent && parent != body && i < 32;
	     parent = parent->parent, i++) {
		int shared = 0, k;

		for (k = 1; k < ntop; k++)
			if (ns(top[k])->score >= 0.75 * ns(top[0])->score && is_ancestor(parent, top[k], 64))
				shared++;
		if (shared >= 3) {
			top[0] = parent;
			init_score(top[0], flags);
			break;
		}
	}
	{
		double last = ns(top[0])->score, limit = last / 3;

		for (parent = top[0]->parent; parent && parent != body; parent = parent->parent) {
			if (!ns(parent)->scored)
				continue;
			if (ns(parent)->score < limit)
				break;
			if (ns(parent)->score > last) {
				top[0] = parent;
				break;
			}
			last = ns(parent)->score;
		}
	}
	while (top[0]->parent && top[0]->parent != body && element_children(top[0]->parent) == 1)
		top[0] = top[0]->parent;
	init_score(top[0], flags);

	/* Siblings worth keeping join the content in a new <div>. */
	threshold = ns(top[0])->score * 0.2;
	if (threshold < 10)
		threshold = 10;
	div = xmlNewDocNode(doc, NULL, (const xmlChar *)"div", NULL);
	parent = top[0]->parent;
	for (n = parent->children; n; n = next) {
		int	    keep = n == top[0];
		const char *cls = attr(top[0], "class");

		next = n->next;
		if (!keep && n->type == XML_ELEMENT_NODE && ns(n)) {
			double bonus = 0;

			if (cls && *cls && attr(n, "class") && !strcmp(cls, attr(n, "class")))
				bonus = ns(top[0])->score * 0.2;
			if (ns(n)->scored && ns(n)->score + bonus >= threshold)
				keep = 1;
			else if (tag_is(n, "p")) {
				double ld = link_density(n);
				char  *t = node_text(n, 1 << 16);
				size_t len = t ? strlen(t) : 0;

				if (ns(n)->text > 80 && ld < 0.25)
					keep = 1;
				else if (ns(n)->text < 80 && ns(n)->text > 0 && ld == 0 && t &&
					 (strstr(t, ". ") || (len && t[len - 1] == '.')))
					keep = 1;
				free(t);
			}
		}
		if (keep) {
			xmlUnlinkNode(n);
			xmlAddChild(div, n);
		}
	}
	xmlAddChild(parent, div);
	nstat_drop(x, body);
	return div;
}
