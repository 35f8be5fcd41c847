/*
 * cli_render.c: an item's text as blocks (paragraphs, headings, list
 * items, preformatted text) for the reader view.
 *
 * An extracted article's reader text (lib/render.c) is printed as stored:
 * its blocks, markers ("## ", "- ", "> ") and line breaks are the
 * renderer's, and only a terminal gets long lines wrapped, under their
 * marker.  An item's own content (HTML from the feed) is cut into blocks
 * at block-level elements, each piece through text_from_html; script,
 * style and comments are dropped whole.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char *const block_tags[] = {
    "address", "article", "aside", "blockquote", "br",	   "caption", "dd",	 "details",
    "div",     "dl",	  "dt",	   "figcaption", "figure", "footer",  "form",	 "h1",
    "h2",      "h3",	  "h4",	   "h5",	 "h6",	   "header",  "hr",	 "li",
    "main",    "nav",	  "ol",	   "p",		 "pre",	   "section", "summary", "table",
    "tbody",   "td",	  "tfoot", "th",	 "thead",  "tr",      "ul",
};

static int
is_block(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(block_tags) / sizeof(block_tags[0]); i++)
		if (strlen(block_tags[i]) == n && !strncasecmp(block_tags[i], name, n))
			return 1;
	return 0;
}

static void
push(struct blocks *bl, int kind, char *text)
{
	struct block *v;

	if (text == NULL)
		return;
	if (text[0] == '\0' || (v = realloc(bl->v, (bl->n + 1) * sizeof(*v))) == NULL) {
		free(text);
		return;
	}
	bl->v = v;
	bl->v[bl->n].kind = kind;
	bl->v[bl->n].text = text;
	bl->n++;
}

/* Preformatted text: tags dropped, entities decoded, line breaks kept. */
static char *
pre_text(const char *s, size_t n)
{
	struct buf a, b;
	size_t	   i;
	int	   in_tag = 0;

	buf_init(&a, 0);
	buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		if (s[i] == '<')
			in_tag = 1;
		else if (s[i] == '>' && in_tag)
			in_tag = 0;
		else if (!in_tag)
			buf_addc(&a, s[i]);
	}
	text_decode_entities(&b, a.data ? a.data : "", a.len);
	buf_free(&a);
	while (b.len > 0 && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
		b.data[--b.len] = '\0';
	a.data = buf_take(&b);
	for (i = 0; a.data[i] == '\n'; i++)
		;
	memmove(a.data, a.data + i, strlen(a.data + i) + 1);
	return a.data;
}

static void
flush(struct blocks *bl, int kind, const char *s, size_t n)
{
	if (n == 0)
		return;
	push(bl, kind, kind == BLOCK_PRE ? pre_text(s, n) : text_from_html(s, n));
}

static int
name_char(char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}

/* End of the tag starting at s[i] == '<' (past '>'), quotes respected. */
static size_t
tag_end(const char *s, size_t n, size_t i)
{
	char q = 0;

	for (i++; i < n; i++) {
		if (q) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			q = s[i];
		} else if (s[i] == '>') {
			return i + 1;
		}
	}
	return n;
}

/* Past the closing tag of a raw-text element (script, style). */
static size_t
skip_raw(const char *s, size_t n, size_t i, const char *name)
{
	size_t len = strlen(name);

	for (; i + 2 + len <= n; i++)
		if (s[i] == '<' && s[i + 1] == '/' && !strncasecmp(s + i + 2, name, len))
			return tag_end(s, n, i);
	return n;
}

void
render_html(struct blocks *bl, const char *html)
{
	size_t n = strlen(html), i = 0, start = 0, name, nlen, end;
	int    kind = BLOCK_P, closing;

	while (i < n) {
		if (html[i] != '<') {
			i++;
			continue;
		}
		if (!strncmp(html + i, "<!--", 4)) {
			const char *e = strstr(html + i + 4, "-->");

			flush(bl, kind, html + start, i - start);
			i = start = e ? (size_t)(e - html) + 3 : n;
			continue;
		}
		closing = html[i + 1] == '/';
		name = i + 1 + closing;
		for (nlen = 0; name + nlen < n && name_char(html[name + nlen]); nlen++)
			;
		if (nlen == 0 || (html[name] >= '0' && html[name] <= '9')) {
			i++;
			continue;
		}
		end = tag_end(html, n, i);
		if (!closing && ((nlen == 6 && !strncasecmp(html + name, "script", 6)) ||
				 (nlen == 5 && !strncasecmp(html + name, "style", 5)))) {
			flush(bl, kind, html + start, i - start);
			i = start = skip_raw(html, n, end, nlen == 6 ? "script" : "style");
			continue;
		}
		if (!is_block(html + name, nlen)) {
			i = end;
			continue;
		}
		flush(bl, kind, html + start, i - start);
		if (closing)
			kind = BLOCK_P;
		else if ((html[name] | 0x20) == 'h' && nlen == 2 && html[name + 1] != 'r')
			kind = BLOCK_H;
		else if (nlen == 2 && !strncasecmp(html + name, "li", 2))
			kind = BLOCK_LI;
		else if (nlen == 3 && !strncasecmp(html + name, "pre", 3))
			kind = BLOCK_PRE;
		else if (kind != BLOCK_PRE)
			kind = BLOCK_P;
		i = start = end;
	}
	flush(bl, kind, html + start, n - start);
}

void
render_plain(struct blocks *bl, const char *text)
{
	const char *p = text, *q, *par = NULL;
	int	    blank;

	for (;;) {
		blank = 1;
		for (q = p; *q && *q != '\n'; q++)
			if (*q != ' ' && *q != '\t' && *q != '\r')
				blank = 0;
		if (!blank && par == NULL)
			par = p;
		if ((blank || *q == '\0') && par) {
			const char *end = blank ? p : q;

			push(bl, BLOCK_P, text_collapse_ws(par, (size_t)(end - par)));
			par = NULL;
		}
		if (*q == '\0')
			break;
		p = q + 1;
	}
}

void
render_item(struct blocks *bl, const struct store_item *it)
{
	if (it->content && *it->content && it->content_type != TEXT_PLAIN)
		render_html(bl, it->content);
	else if (it->content && *it->content)
		render_plain(bl, it->content);
	else if (it->summary)
		render_plain(bl, it->summary);
}

/* Length of the marker a reader-text line starts with: quote marks, then
 * an indented "- " or a "## "; *cont gets the indent of the lines it
 * wraps onto (quote marks kept, the marker as spaces). */
static size_t
line_marker(const char *s, struct buf *cont)
{
	size_t i = 0, j;

	while (s[i] == '>' && s[i + 1] == ' ')
		i += 2;
	buf_add(cont, s, i);
	j = i;
	while (s[j] == ' ')
		j++;
	if (s[j] == '-' && s[j + 1] == ' ')
		j += 2;
	else if (j == i && !strncmp(s + i, "## ", 3))
		j += 3;
	else
		j = i;
	for (; i < j; i++)
		buf_addc(cont, ' ');
	return j;
}

/* One line wrapped at width code points, marker first, continuation
 * lines under the text.  Words longer than a line are left whole. */
static void
put_line(FILE *fp, const char *indent, const char *line, size_t len, int width)
{
	struct buf  cont, text;
	size_t	    m, col, ind;
	const char *p, *w, *end;

	buf_init(&cont, 0);
	buf_init(&text, 0);
	buf_add(&text, line, len);
	if (text.data == NULL) {
		fprintf(fp, "%s\n", indent);
		return;
	}
	buf_adds(&cont, indent);
	m = line_marker(text.data, &cont);
	ind = cli_width(cont.data ? cont.data : "");
	fputs(indent, fp);
	fwrite(text.data, 1, m, fp);
	col = ind;
	/* A line that starts with blanks and no marker (preformatted text)
	 * keeps its spacing; so does one the width cannot hold. */
	if ((m == 0 && text.data[0] == ' ') || width <= 0 || (size_t)width <= ind + 10) {
		fprintf(fp, "%s\n", text.data + m);
		goto out;
	}
	end = text.data + text.len;
	for (p = text.data + m; p < end;) {
		size_t wlen = 0;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (w = p; *w && *w != ' '; w++)
			wlen += ((unsigned char)*w & 0xC0) != 0x80;
		if (col > ind && col + 1 + wlen > (size_t)width) {
			fprintf(fp, "\n%s", cont.data ? cont.data : "");
			col = ind;
		} else if (col > ind) {
			fputc(' ', fp);
			col++;
		}
		fwrite(p, 1, (size_t)(w - p), fp);
		col += wlen;
		p = w;
	}
	fputc('\n', fp);
out:
	buf_free(&cont);
	buf_free(&text);
}

void
render_reader(FILE *fp, const char *indent, const char *text, int width)
{
	const char *p = text, *nl;

	while (*p == '\n')
		p++;
	while (*p) {
		size_t len;

		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (!nl && len == 0)
			break;
		if (len == 0)
			fputc('\n', fp); /* the blank line between blocks */
		else
			put_line(fp, indent, p, len, width);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

void
blocks_free(struct blocks *bl)
{
	size_t i;

	for (i = 0; i < bl->n; i++)
		free(bl->v[i].text);
	free(bl->v);
	bl->v = NULL;
	bl->n = 0;
}
