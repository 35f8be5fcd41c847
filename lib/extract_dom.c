/*
 * extract_dom.c: tree helpers for the extractor: tag and class tests,
 * document-order walks, text measures, per-element figures.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "extract_int.h"

int
tag_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
tag_in(const xmlNode *n, const char *const *sorted, size_t cnt)
{
	const char *name;

	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return 0;
	name = (const char *)n->name;
	return bsearch(&name, sorted, cnt, sizeof(*sorted), cmp_str) != NULL;
}

int
is_heading_tag(const xmlNode *n)
{
	const char *s;

	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return 0;
	s = (const char *)n->name;
	return s[0] == 'h' && s[1] >= '1' && s[1] <= '6' && s[2] == '\0';
}

static const char *const block_tags[] = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
    "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "html", "legend", "li", "main",
    "menu", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
};

int
is_block_tag(const xmlNode *n)
{
	return tag_in(n, block_tags, sizeof(block_tags) / sizeof(*block_tags));
}

const char *
attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (a = n->properties; a; a = a->next)
		if (!strcasecmp((const char *)a->name, name))
			return a->children && a->children->content ? (const char *)a->children->content
								   : "";
	return NULL;
}

/* Appends the sub-words of s: split on anything not a letter or digit and
 * between a lower-case letter and an upper-case one ("relatedPosts"). */
static size_t
add_words(const char *s, char *out, size_t len, size_t outsz)
{
	int prev_lower = 0;

	for (; s && *s && len + 2 < outsz; s++) {
		unsigned char c = (unsigned char)*s;

		if (!isalnum(c)) {
			if (len && out[len - 1] != ' ')
				out[len++] = ' ';
			prev_lower = 0;
			continue;
		}
		if (isupper(c) && prev_lower && len && out[len - 1] != ' ')
			out[len++] = ' ';
		prev_lower = islower(c) || isdigit(c);
		out[len++] = (char)tolower(c);
	}
	if (len && out[len - 1] != ' ' && len + 1 < outsz)
		out[len++] = ' ';
	out[len] = '\0';
	return len;
}

void
class_words(const xmlNode *n, char *out, size_t outsz)
{
	size_t len = 0;

	out[0] = '\0';
	len = add_words(attr(n, "class"), out, len, outsz);
	add_words(attr(n, "id"), out, len, outsz);
}

int
class_has_word(const xmlNode *n, const char *const *words, size_t cnt, int id_too)
{
	char	    buf[512], *w, *sp;
	size_t	    len = 0;

	buf[0] = '\0';
	len = add_words(attr(n, "class"), buf, len, sizeof(buf));
	if (id_too) {
		size_t before = len, nwords = 0, i;

		len = add_words(attr(n, "id"), buf, len, sizeof(buf));
		/* An id of five words or more is a heading's anchor
		 * ("sharing-with-multiple-developers"), not a role. */
		for (i = before; i < len; i++)
			nwords += buf[i] == ' ';
		if (nwords >= 5) {
			buf[before] = '\0';
			len = before;
		}
	}
	for (w = buf; *w; w = sp + 1) {
		const char *key = w;

		if ((sp = strchr(w, ' ')) == NULL)
			break;
		*sp = '\0';
		if (bsearch(&key, words, cnt, sizeof(*words), cmp_str))
			return 1;
	}
	return 0;
}

xmlNode *
next_node(xmlNode *n, const xmlNode *root, int descend)
{
	if (descend && n->children && n->type == XML_ELEMENT_NODE)
		return n->children;
	while (n && n != root && n->next == NULL)
		n = n->parent;
	if (n == NULL || n == root)
		return NULL;
	return n->next;
}

void
remove_node(xmlNode *n)
{
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

/* Replaces n by its children. */
void
unwrap_node(xmlNode *n)
{
	xmlNode *c, *next;

	for (c = n->children; c; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
		xmlAddPrevSibling(n, c);
	}
	remove_node(n);
}

static unsigned
count_chars(const char *s, unsigned *commas, int *ws_pending)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned	     n = 0;

	for (; *p; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || *p == '\f') {
			*ws_pending = 1;
			continue;
		}
		if ((*p & 0xC0) == 0x80)
			continue;
		if (*ws_pending)
			n++;
		*ws_pending = 0;
		n++;
		if (commas) {
			if (*p == ',')
				(*commas)++;
			/* U+FF0C, U+060C, U+FE50, U+3001 */
			else if ((p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x8C) ||
				 (p[0] == 0xD8 && p[1] == 0x8C) ||
				 (p[0] == 0xEF && p[1] == 0xB9 && p[2] == 0x90) ||
				 (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x81))
				(*commas)++;
		}
	}
	return n;
}

unsigned
text_chars(const xmlNode *root)
{
	const xmlNode *n;
	unsigned       total = 0;
	int	       ws = 0;

	if (root->type == XML_TEXT_NODE)
		return count_chars((const char *)root->content, NULL, &ws);
	for (n = root->children; n; n = next_node((xmlNode *)n, root, 1))
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			total += count_chars((const char *)n->content, NULL, &ws);
	return total;
}

char *
node_text(const xmlNode *root, size_t max)
{
	struct buf     b;
	const xmlNode *n;
	int	       space = 0;

	buf_init(&b, max);
	for (n = root->type == XML_TEXT_NODE ? root : root->children; n;
	     n = n == root ? NULL : next_node((xmlNode *)n, root, 1)) {
		const unsigned char *p;

		if (n->type == XML_ELEMENT_NODE && is_block_tag(n))
			space = 1;
		if (n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE)
			continue;
		for (p = n->content; p && *p; p++) {
			if (isspace(*p)) {
				space = 1;
				continue;
			}
			if (space && b.len)
				buf_addc(&b, ' ');
			space = 0;
			buf_addc(&b, (char)*p);
		}
	}
	return buf_take(&b);
}

static const char *const p_like[] = {"blockquote", "li", "p", "pre"};

int
nstat_compute(struct xctx *x, xmlNode *root)
{
	xmlNode **order = NULL;
	size_t	  cnt = 0, cap = 0, i;
	xmlNode	 *n;

	nstat_drop(x, root);
	for (n = root; n; n = next_node(n, root, 1)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (cnt == cap) {
			xmlNode **v;

			cap = cap ? cap * 2 : 1024;
			if ((v = realloc(order, cap * sizeof(*v))) == NULL) {
				free(order);
				return -1;
			}
			order = v;
		}
		order[cnt++] = n;
	}
	if ((x->stats = calloc(cnt ? cnt : 1, sizeof(*x->stats))) == NULL) {
		free(order);
		return -1;
	}
	x->nstats = cnt;
	for (i = 0; i < cnt; i++)
		order[i]->_private = &x->stats[i];
	/* Reverse document order: every descendant is done before its element. */
	for (i = cnt; i-- > 0;) {
		xmlNode	     *e = order[i], *c;
		struct nstat *s = ns(e);
		int	      ws = 0;

		for (c = e->children; c; c = c->next)
			if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
				s->text += count_chars((const char *)c->content, &s->commas, &ws);
		if (tag_is(e, "a") && attr(e, "href")) {
			const char *h = attr(e, "href");

			s->link = h[0] == '#' ? (unsigned)(s->text * 0.3) : s->text;
			if (h[0] == '#')
				s->hlink = s->text;
			s->a++;
		}
		if (tag_in(e, p_like, sizeof(p_like) / sizeof(*p_like)))
			s->ptext = s->text;
		if (tag_is(e, "p"))
			s->p++;
		else if (tag_is(e, "img"))
			s->img++;
		else if (tag_is(e, "li"))
			s->li++;
		else if (tag_is(e, "input") || tag_is(e, "select") || tag_is(e, "textarea"))
			s->input++;
		else if (tag_is(e, "embed") || tag_is(e, "object") || tag_is(e, "iframe"))
			s->embed++;
		else if (is_heading_tag(e)) {
			s->heading++;
			s->htext = s->text;
		}
		if (e != root && e->parent && e->parent->type == XML_ELEMENT_NODE &&
		    e->parent->_private) {
			struct nstat *p = ns(e->parent);

			p->text += s->text;
			p->link += s->link;
			p->hlink += s->hlink;
			p->commas += s->commas;
			p->ptext += s->ptext;
			p->p += s->p;
			p->img += s->img;
			p->li += s->li;
			p->input += s->input;
			p->embed += s->embed;
			p->heading += s->heading;
			p->htext += s->htext;
			p->a += s->a;
		}
	}
	free(order);
	return 0;
}

/* Forgets the figures.  Elements keep a stale _private pointer until the
 * next nstat_compute overwrites it: nothing reads it in between. */
void
nstat_drop(struct xctx *x, xmlNode *root)
{
	(void)root;
	free(x->stats);
	x->stats = NULL;
	x->nstats = 0;
}

double
link_density(const xmlNode *n)
{
	const struct nstat *s = ns(n);

	if (s == NULL || s->text == 0)
		return 0;
	return (double)s->link / s->text;
}
