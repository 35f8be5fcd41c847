/*
 * render.c: an article tree as plain text.
 *
 * The walk is iterative (pages nest tens of thousands deep) and emits a
 * block at every block-level boundary, so that two blocks can never share
 * a line and words at a boundary never fuse ("end" + "Start" as one token
 * costs a reader a word and the benchmark metric up to seven shingles).
 * Inline elements add nothing between them: <b>T</b>he stays "The".
 */
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "extract_int.h"

#define RENDER_MAX (32u << 20) /* bytes of text out; the page cap keeps it far below */

enum kind { K_P, K_HEAD, K_LI, K_ROW, K_PRE, K_CAPTION };

struct render {
	struct buf *out;
	int	    mode;
	struct buf  cur;       /* the block being built, whitespace collapsed */
	int	    space;     /* a space is owed before the next word */
	int	    prev;      /* kind of the last block written, -1 before any */
	int	    quote;     /* blockquote depth */
	int	    list;      /* list depth */
	int	    li_open;   /* an <li> started and its marker is not yet written */
	int	    in_li;     /* blocks inside an <li> after its first */
	int	    pre;       /* inside <pre> */
	int	    caption;   /* inside figcaption */
	int	    heading;   /* inside h1-h6 */
	int	    row_cells; /* cells written in the current table row */
	int	    rows;      /* open <tr> elements */
	unsigned char row_simple[64]; /* per open <tr>: its cells share a line */
};

static const char *const skip_tags[] = {
    "applet", "audio",	 "button", "canvas", "datalist", "embed", "head",   "iframe",
    "input",  "map",	 "math",   "meta",   "noscript", "object", "option", "script",
    "select", "style",	 "svg",	   "template", "textarea", "title", "video",
};

static int
in_list(const char *name, const char *const *v, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int    c = strcmp(name, v[mid]);

		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static int
is_skipped(const xmlNode *n)
{
	return in_list((const char *)n->name, skip_tags, sizeof(skip_tags) / sizeof(*skip_tags));
}

/* Elements that end the line (extract_dom.c's list): everything else is
 * inline. */
static int
is_block(const xmlNode *n)
{
	return is_block_tag(n);
}

static int
is_heading(const xmlNode *n)
{
	const char *s = (const char *)n->name;

	return s[0] == 'h' && s[1] >= '1' && s[1] <= '6' && s[2] == '\0';
}

static int
name_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* Writes the prefix of every line of a block: quote marks, then either
 * the block's marker (first line) or its continuation indent. */
static void
line_prefix(struct render *r, const char *marker, int first)
{
	int i;

	if (r->mode == RENDER_BODY)
		return;
	for (i = 0; i < r->quote; i++)
		buf_adds(r->out, "> ");
	if (first)
		buf_adds(r->out, marker);
	else
		for (i = 0; marker[i]; i++)
			buf_addc(r->out, ' ');
}

static void
flush(struct render *r, enum kind k)
{
	const char *p, *e, *marker = "";
	char	    indent[64] = "";
	int	    first = 1, glued;

	/* Trailing spaces of the block go. */
	while (r->cur.len && r->cur.data[r->cur.len - 1] == ' ')
		r->cur.data[--r->cur.len] = '\0';
	r->space = 0;
	if (r->cur.len == 0)
		return;
	if (r->li_open || r->in_li) {
		int d = r->list > 1 ? r->list - 1 : 0, i;

		for (i = 0; i < d && i < 16; i++)
			strcat(indent, "  ");
		if (r->li_open)
			strcat(indent, "- ");
		else
			strcat(indent, "  ");
		k = K_LI;
	}
	if (k == K_HEAD)
		marker = "## ";
	else if (k == K_LI)
		marker = indent;
	/* List items and table rows follow each other line by line; other
	 * blocks get a blank line between them. */
	glued = (k == K_LI && r->prev == K_LI) || (k == K_ROW && r->prev == K_ROW);
	if (r->prev >= 0)
		buf_adds(r->out, glued ? "\n" : "\n\n");
	for (p = r->cur.data; p; p = e ? e + 1 : NULL) {
		e = strchr(p, '\n');
		if (!first)
			buf_addc(r->out, '\n');
		line_prefix(r, marker, first);
		buf_add(r->out, p, e ? (size_t)(e - p) : strlen(p));
		first = 0;
	}
	r->prev = k;
	if (r->li_open) {
		r->li_open = 0;
		r->in_li = 1;
	}
	buf_reset(&r->cur);
}

static enum kind
cur_kind(const struct render *r)
{
	if (r->pre)
		return K_PRE;
	if (r->heading)
		return K_HEAD;
	if (r->caption)
		return K_CAPTION;
	return K_P;
}

static void
add_text(struct render *r, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (r->pre) {
		buf_adds(&r->cur, s);
		return;
	}
	while (*p) {
		/* ASCII whitespace and U+00A0 collapse to one space. */
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
			r->space = 1;
			p++;
			continue;
		}
		if (p[0] == 0xC2 && p[1] == 0xA0) {
			r->space = 1;
			p += 2;
			continue;
		}
		if (r->space && r->cur.len && r->cur.data[r->cur.len - 1] != '\n')
			buf_addc(&r->cur, ' ');
		r->space = 0;
		buf_addc(&r->cur, (char)*p++);
	}
}

/* A table row whose cells hold no blocks is one line, cells joined by
 * " | "; otherwise its cells are blocks of their own (layout tables). */
static int
simple_row(const xmlNode *tr)
{
	const xmlNode *n = tr->children;

	while (n && n != tr) {
		if (n->type == XML_ELEMENT_NODE && n != tr && !name_is(n, "td") &&
		    !name_is(n, "th") && is_block(n))
			return 0;
		if (n->type == XML_ELEMENT_NODE && n->children && !is_skipped(n)) {
			n = n->children;
			continue;
		}
		while (n != tr && n->next == NULL)
			n = n->parent;
		if (n == tr)
			break;
		n = n->next;
	}
	return 1;
}

static int
top_row_simple(const struct render *r)
{
	return r->rows > 0 && r->rows <= (int)sizeof(r->row_simple) && r->row_simple[r->rows - 1];
}

static int
enter(struct render *r, const xmlNode *n)
{
	const char *name = (const char *)n->name;

	if (is_skipped(n))
		return 0;
	if (r->mode == RENDER_BODY && !strcmp(name, "figcaption"))
		return 0;
	if (!strcmp(name, "br")) {
		if (r->pre)
			buf_addc(&r->cur, '\n');
		else if (r->cur.len && r->cur.data[r->cur.len - 1] != '\n') {
			buf_addc(&r->cur, '\n');
			r->space = 0;
		}
		return 0;
	}
	if (!strcmp(name, "img")) {
		r->space = 1;
		return 0;
	}
	if (!is_block(n))
		return 1;
	if (!strcmp(name, "td") || !strcmp(name, "th")) {
		if (top_row_simple(r)) {
			if (r->row_cells++ > 0) {
				while (r->cur.len && r->cur.data[r->cur.len - 1] == ' ')
					r->cur.data[--r->cur.len] = '\0';
				buf_adds(&r->cur, " | ");
				r->space = 0;
			}
			return 1;
		}
	}
	flush(r, cur_kind(r));
	if (!strcmp(name, "tr")) {
		if (r->rows < (int)sizeof(r->row_simple))
			r->row_simple[r->rows] = (unsigned char)simple_row(n);
		r->rows++;
		r->row_cells = 0;
	} else if (!strcmp(name, "blockquote"))
		r->quote++;
	else if (!strcmp(name, "ul") || !strcmp(name, "ol") || !strcmp(name, "dir") ||
		 !strcmp(name, "menu"))
		r->list++;
	else if (!strcmp(name, "li")) {
		r->li_open = 1;
		r->in_li = 0;
	} else if (!strcmp(name, "pre"))
		r->pre++;
	else if (!strcmp(name, "figcaption"))
		r->caption++;
	else if (is_heading(n))
		r->heading++;
	return 1;
}

static void
leave(struct render *r, const xmlNode *n)
{
	const char *name = (const char *)n->name;

	if (!is_block(n))
		return;
	if ((!strcmp(name, "td") || !strcmp(name, "th")) && top_row_simple(r))
		return;
	if (!strcmp(name, "tr")) {
		int simple = top_row_simple(r);

		if (r->rows > 0)
			r->rows--;
		flush(r, simple ? K_ROW : cur_kind(r));
		return;
	}
	flush(r, cur_kind(r));
	if (!strcmp(name, "blockquote") && r->quote > 0)
		r->quote--;
	else if ((!strcmp(name, "ul") || !strcmp(name, "ol") || !strcmp(name, "dir") ||
		  !strcmp(name, "menu")) &&
		 r->list > 0)
		r->list--;
	else if (!strcmp(name, "li")) {
		r->li_open = 0;
		r->in_li = 0;
	} else if (!strcmp(name, "pre") && r->pre > 0)
		r->pre--;
	else if (!strcmp(name, "figcaption") && r->caption > 0)
		r->caption--;
	else if (is_heading(n) && r->heading > 0)
		r->heading--;
}

int
render_text(const struct _xmlNode *root, int mode, struct buf *out)
{
	struct render r;
	const xmlNode *n;

	memset(&r, 0, sizeof(r));
	r.out = out;
	r.mode = mode;
	r.prev = -1;
	buf_init(&r.cur, RENDER_MAX);
	if (root == NULL)
		return 0;
	n = root->children;
	while (n) {
		int descend = 0;

		if (n->type == XML_ELEMENT_NODE)
			descend = enter(&r, n) && n->children;
		else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			add_text(&r, (const char *)n->content);
		if (descend) {
			n = n->children;
			continue;
		}
		if (n->type == XML_ELEMENT_NODE && n->children == NULL && !is_skipped(n))
			leave(&r, n);
		while (n != root && n->next == NULL) {
			n = n->parent;
			if (n == root)
				break;
			leave(&r, n);
		}
		if (n == root)
			break;
		n = n->next;
	}
	flush(&r, cur_kind(&r));
	buf_free(&r.cur);
	return out->data == NULL && out->len ? -1 : 0;
}
