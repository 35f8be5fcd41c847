/*
 * text.c: HTML-to-text rules shared by the feed parser and the output.
 * Each rule reproduces one step of the reference on UTF-8 bytes:
 * feed_oracle.py's html_to_text() (three regex substitutions, then
 * html.unescape(), then " ".join(s.split())) and feedparser's
 * lookslikehtml().  Python works on code points, so wherever a rule looks
 * at "a character" we decode one; malformed UTF-8 goes through byte by
 * byte and is neither space nor word.  Every pass is linear: where a regex
 * would rescan the rest of the input from each candidate start (an
 * unclosed <script>, <!-- or <), the next terminator's position is cached.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gleaner.h"

/* From the generated entities.c; to be declared in gleaner.h. */
int entity_legacy(const char *name, size_t len);
int entity_html4(const char *name, size_t len);
int unicode_isword(uint32_t cp);

#define CP_BAD 0xFFFFFFFFu /* one byte of malformed UTF-8 */

/*
 * Decodes the code point at s[i] (i < n) into *cp and returns its length.
 * Strict, as Python's decoder: no overlongs, surrogates or values past
 * U+10FFFF; anything else is one CP_BAD byte.
 */
static size_t
u8_decode(const char *s, size_t n, size_t i, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s + i;
	size_t               avail = n - i, len, k;
	unsigned char        lo = 0x80, hi = 0xBF;
	uint32_t             c = p[0];

	*cp = CP_BAD;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
		c &= 0x07;
	} else
		return 1;
	if (avail < len || p[1] < lo || p[1] > hi)
		return 1;
	for (k = 1; k < len; k++) {
		if (k > 1 && (p[k] < 0x80 || p[k] > 0xBF))
			return 1;
		c = (c << 6) | (p[k] & 0x3F);
	}
	*cp = c;
	return len;
}

/* Python's str.isspace(), which is also re's \s for str patterns. */
static int
is_space(uint32_t c)
{
	if (c < 0x80)
		return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
	return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
	       c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

static int
is_word(uint32_t c)
{
	return c != CP_BAD && unicode_isword(c);
}

static int
ascii_lower(uint32_t c)
{
	return c >= 'A' && c <= 'Z' ? (int)(c + 32) : (int)c;
}

/* End of the run of \w characters starting at i. */
static size_t
word_end(const char *s, size_t n, size_t i)
{
	uint32_t c;
	size_t   l;

	while (i < n) {
		l = u8_decode(s, n, i, &c);
		if (!is_word(c))
			break;
		i += l;
	}
	return i;
}

/*
 * <script> and <style> elements: (?is)<(script|style)\b.*?</\1\s*>.
 *
 * Under re.IGNORECASE the pattern's letters also match U+017F (long s) for
 * 's' and U+0130/U+0131 (dotted/dotless I) for 'i', while the backreference
 * compares simple lowercase mappings, where U+0130 becomes 'i' but U+017F
 * and U+0131 stay themselves.  So the closing tag depends on which of these
 * the opening one used: script has 4 variants, style 2, and each keeps its
 * own cache of the next closing tag.
 */
struct close_cache {
	int    state; /* 0 nothing known, 1 close at [at, end), 2 none left */
	size_t at;
	size_t end;
};

#define NVARIANT 6

static const char *const rawnames[2] = {"script", "style"};

/* Matches the element name and \b after the '<' at s[i - 1]; fills low[]
 * and *variant.  Returns the end of the name or 0. */
static size_t
match_open(const char *s, size_t n, size_t i, int which, uint32_t *low, int *variant)
{
	const char *w = rawnames[which];
	uint32_t    c;
	size_t      k;

	*variant = which == 0 ? 0 : 4;
	for (k = 0; w[k] != '\0'; k++) {
		if (i >= n)
			return 0;
		i += u8_decode(s, n, i, &c);
		if (c < 0x80 && ascii_lower(c) == w[k])
			low[k] = (uint32_t)w[k];
		else if (w[k] == 's' && c == 0x17F) {
			low[k] = c;
			*variant += 1;
		} else if (w[k] == 'i' && c == 0x130)
			low[k] = 'i';
		else if (w[k] == 'i' && c == 0x131) {
			low[k] = c;
			*variant += 2;
		} else
			return 0;
	}
	/* \b: the name ends in a word character, so the next must not be one */
	if (i < n) {
		u8_decode(s, n, i, &c);
		if (is_word(c))
			return 0;
	}
	return i;
}

/* Matches </name\s*> at s[k]; returns its end or 0. */
static size_t
match_close(const char *s, size_t n, size_t k, const uint32_t *low, size_t nlow)
{
	uint32_t c;
	size_t   i = k + 2, j, l;

	if (k + 1 >= n || s[k] != '<' || s[k + 1] != '/')
		return 0;
	for (j = 0; j < nlow; j++) {
		if (i >= n)
			return 0;
		i += u8_decode(s, n, i, &c);
		if (low[j] < 0x80) {
			if (!((c < 0x80 && (uint32_t)ascii_lower(c) == low[j]) ||
			      (low[j] == 'i' && c == 0x130)))
				return 0;
		} else if (c != low[j])
			return 0;
	}
	while (i < n) {
		l = u8_decode(s, n, i, &c);
		if (!is_space(c))
			break;
		i += l;
	}
	return i < n && s[i] == '>' ? i + 1 : 0;
}

/*
 * First closing tag at or after q.  Queries for one variant come with
 * increasing q, so a cached answer at or after q is still the first one,
 * and "none" stays none: each byte is searched once per variant.
 */
static size_t
find_close(struct close_cache *cc, const char *s, size_t n, size_t q, const uint32_t *low,
	   size_t nlow)
{
	const char *p;
	size_t      k, e;

	if (cc->state == 2)
		return 0;
	if (cc->state == 1 && cc->at >= q)
		return cc->end;
	for (k = q; k < n; k++) {
		if ((p = memchr(s + k, '<', n - k)) == NULL)
			break;
		k = (size_t)(p - s);
		if ((e = match_close(s, n, k, low, nlow)) != 0) {
			cc->state = 1;
			cc->at = k;
			cc->end = e;
			return e;
		}
	}
	cc->state = 2;
	return 0;
}

static int
strip_script_style(struct buf *b, const char *s, size_t n)
{
	struct close_cache cc[NVARIANT] = {{0, 0, 0}};
	uint32_t           low[6];
	const char        *p;
	size_t             i = 0, k, q, e;
	int                which, v;

	while (i < n) {
		if ((p = memchr(s + i, '<', n - i)) == NULL)
			break;
		k = (size_t)(p - s);
		if (buf_add(b, s + i, k - i) == -1)
			return -1;
		e = 0;
		/* the alternation tries script, then style; their second
		 * letters differ, so at most one name matches */
		for (which = 0; which < 2; which++) {
			if ((q = match_open(s, n, k + 1, which, low, &v)) != 0) {
				e = find_close(&cc[v], s, n, q, low, strlen(rawnames[which]));
				break;
			}
		}
		if (e != 0) {
			i = e;
			continue;
		}
		if (buf_addc(b, '<') == -1)
			return -1;
		i = k + 1;
	}
	return buf_add(b, s + i, n - i);
}

/* (?s)<!--.*?-->: the "-->" may not overlap the "<!--". */
static int
strip_comments(struct buf *b, const char *s, size_t n)
{
	const char *p, *c;
	size_t      i = 0, k, close = 0;
	int         state = 0; /* 0 unknown, 1 "-->" at close, 2 none left */

	while (i < n) {
		if ((p = memchr(s + i, '<', n - i)) == NULL)
			break;
		k = (size_t)(p - s);
		if (buf_add(b, s + i, k - i) == -1)
			return -1;
		if (n - k >= 4 && memcmp(s + k, "<!--", 4) == 0 && state != 2) {
			if (state == 0 || close < k + 4) {
				c = memmem(s + k + 4, n - k - 4, "-->", 3);
				if (c == NULL)
					state = 2;
				else {
					state = 1;
					close = (size_t)(c - s);
				}
			}
			if (state == 1) {
				i = close + 3;
				continue;
			}
		}
		if (buf_addc(b, '<') == -1)
			return -1;
		i = k + 1;
	}
	return buf_add(b, s + i, n - i);
}

/* (?s)<[^>]*>: a '<' with no later '>' stays, and so does all after it. */
static int
strip_tags(struct buf *b, const char *s, size_t n)
{
	const char *p, *gt;
	size_t      i = 0, k;

	while (i < n) {
		if ((p = memchr(s + i, '<', n - i)) == NULL)
			break;
		k = (size_t)(p - s);
		if (buf_add(b, s + i, k - i) == -1)
			return -1;
		if ((gt = memchr(s + k + 1, '>', n - k - 1)) == NULL) {
			i = k;
			break;
		}
		i = (size_t)(gt - s) + 1;
	}
	return buf_add(b, s + i, n - i);
}

/* html.unescape()'s _invalid_charrefs for 0x80-0x9F: windows-1252, except
 * the five bytes it leaves undefined, which stay C1 controls. */
static const uint16_t cp1252[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

/* The value of a numeric reference, as html.unescape()'s _replace_charref.
 * num is saturated at 0x110000 by the caller. */
static int
add_charref(struct buf *b, uint32_t num)
{
	if (num == 0)
		return buf_add_utf8(b, 0xFFFD);
	if (num == 0x0D)
		return buf_addc(b, '\r');
	if (num >= 0x80 && num <= 0x9F)
		return buf_add_utf8(b, cp1252[num - 0x80]);
	if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF)
		return buf_add_utf8(b, 0xFFFD);
	/* _invalid_codepoints: dropped */
	if ((num >= 0x01 && num <= 0x08) || num == 0x0B || (num >= 0x0E && num <= 0x1F) ||
	    num == 0x7F || (num >= 0xFDD0 && num <= 0xFDEF) || (num & 0xFFFE) == 0xFFFE)
		return 0;
	return buf_add_utf8(b, num);
}

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Not allowed in a name by unescape()'s [^\t\n\f <&#;]{1,32}. */
static int
name_stop(char c)
{
	return c == '\t' || c == '\n' || c == '\f' || c == ' ' || c == '<' || c == '&' ||
	       c == '#' || c == ';';
}

static int
is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * Decodes the reference after the '&' at s[k - 1]; returns how many bytes
 * after the '&' it consumed, 0 if none matched (the '&' is then literal).
 * Follows html.unescape(): &#[0-9]+;? | &#[xX][0-9a-fA-F]+;? | a name of 1
 * to 32 code points and an optional ';'.
 */
static size_t
decode_ref(struct buf *b, const char *s, size_t n, size_t k, int *err)
{
	const char *v;
	uint32_t    num = 0, c;
	size_t      i = k, m, a, x;
	int         d;

	if (i < n && s[i] == '#') {
		i++;
		if (i < n && s[i] >= '0' && s[i] <= '9') {
			for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
				if ((num = num * 10 + (uint32_t)(s[i] - '0')) > 0x10FFFF)
					num = 0x110000;
		} else if (i + 1 < n && (s[i] == 'x' || s[i] == 'X') &&
			   hex_digit((unsigned char)s[i + 1]) >= 0) {
			for (i++; i < n && (d = hex_digit((unsigned char)s[i])) >= 0; i++)
				if ((num = num * 16 + (uint32_t)d) > 0x10FFFF)
					num = 0x110000;
		} else
			return 0;
		if (i < n && s[i] == ';')
			i++;
		*err = add_charref(b, num);
		return i - k;
	}
	/* the name: up to 32 code points */
	for (x = 0; x < 32 && i < n && !name_stop(s[i]); x++)
		i += u8_decode(s, n, i, &c);
	if (x == 0)
		return 0;
	m = i - k;
	if (i < n && s[i] == ';') {
		i++;
		if ((v = entity_lookup(s + k, m)) != NULL) {
			*err = buf_adds(b, v);
			return i - k;
		}
	}
	/* else the longest name valid without ';', 2 characters or more,
	 * followed by the rest verbatim; entity names are ASCII alnum */
	for (a = 0; a < m && is_alnum(s[k + a]); a++)
		;
	for (x = a; x >= 2; x--) {
		if (entity_legacy(s + k, x)) {
			if ((*err = buf_adds(b, entity_lookup(s + k, x))) == 0)
				*err = buf_add(b, s + k + x, i - k - x);
			return i - k;
		}
	}
	if ((*err = buf_addc(b, '&')) == 0)
		*err = buf_add(b, s + k, i - k);
	return i - k;
}

static int
decode_entities(struct buf *b, const char *s, size_t n)
{
	const char *p;
	size_t      i = 0, k, used;
	int         err = 0;

	while (i < n) {
		if ((p = memchr(s + i, '&', n - i)) == NULL)
			break;
		k = (size_t)(p - s);
		if (buf_add(b, s + i, k - i) == -1)
			return -1;
		if ((used = decode_ref(b, s, n, k + 1, &err)) == 0) {
			if (buf_addc(b, '&') == -1)
				return -1;
		} else if (err == -1)
			return -1;
		i = k + 1 + used;
	}
	return buf_add(b, s + i, n - i);
}

void
text_decode_entities(struct buf *b, const char *s, size_t len)
{
	if (len == 0)
		return;
	(void)decode_entities(b, s, len);
}

static int
collapse_ws(struct buf *b, const char *s, size_t n)
{
	uint32_t c;
	size_t   i = 0, l, run = 0;
	int      pending = 0;

	/* Runs of kept bytes are appended whole; ASCII needs no decoding. */
#define FLUSH_RUN() do { if (i > run && buf_add(b, s + run, i - run) == -1) return -1; } while (0)
	while (i < n) {
		unsigned char u = (unsigned char)s[i];

		if (u > 0x20 && u < 0x80) {
			if (pending) {
				if (b->len > 0 && buf_addc(b, ' ') == -1)
					return -1;
				pending = 0;
				run = i;
			}
			i++;
			continue;
		}
		l = u8_decode(s, n, i, &c);
		if (is_space(c)) {
			FLUSH_RUN();
			pending = 1;
			i += l;
			run = i;
			continue;
		}
		if (pending) {
			if (b->len > 0 && buf_addc(b, ' ') == -1)
				return -1;
			pending = 0;
			run = i;
		}
		if (c == 0) {
			/* the result is a C string: a NUL would cut it short, so
			 * it becomes U+FFFD, which keeps the length in code points
			 * that summary_len compares */
			FLUSH_RUN();
			if (buf_add_utf8(b, 0xFFFD) == -1)
				return -1;
			i += l;
			run = i;
			continue;
		}
		i += l;
	}
	if (!pending)
		FLUSH_RUN();
#undef FLUSH_RUN
	return 0;
}

/* " ".join(s.split()), except that NUL comes out as U+FFFD. */
char *
text_collapse_ws(const char *s, size_t len)
{
	struct buf b;

	buf_init(&b, 0);
	if (collapse_ws(&b, s, len) == -1) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

char *
text_from_html(const char *s, size_t len)
{
	struct buf a, b;
	char      *r = NULL;

	/* each pass reads the previous one's output, as the chained re.sub()
	 * calls do: "<scr<!-- -->ipt>" is a tag once the comment is gone */
	buf_init(&a, 0);
	buf_init(&b, 0);
	if (len == 0)
		return text_collapse_ws("", 0);
	if (memchr(s, '<', len) != NULL) {
		if (strip_script_style(&a, s, len) == -1 ||
		    strip_comments(&b, a.data, a.len) == -1)
			goto out;
		buf_reset(&a);
		if (strip_tags(&a, b.data, b.len) == -1)
			goto out;
		s = a.data;
		len = a.len;
	}
	buf_reset(&b);
	if (len > 0 && decode_entities(&b, s, len) == -1)
		goto out;
	r = text_collapse_ws(b.data ? b.data : "", b.len);
out:
	buf_free(&a);
	buf_free(&b);
	return r;
}

/* feedparser's _HTMLSanitizer.acceptable_elements, sorted for bsearch. */
static const char *const html_elements[] = {
	"a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "big",
	"blockquote", "br", "button", "canvas", "caption", "center", "cite", "code", "col",
	"colgroup", "command", "datagrid", "datalist", "dd", "del", "details", "dfn", "dialog",
	"dir", "div", "dl", "dt", "em", "event-source", "fieldset", "figcaption", "figure",
	"font", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img",
	"input", "ins", "kbd", "keygen", "label", "legend", "li", "m", "map", "menu", "meter",
	"multicol", "nav", "nextid", "noscript", "ol", "optgroup", "option", "output", "p", "pre",
	"progress", "q", "s", "samp", "section", "select", "small", "sound", "source", "spacer",
	"span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "textarea", "tfoot",
	"th", "thead", "time", "tr", "tt", "u", "ul", "var", "video",
};

static int
cmp_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/* t.lower() in acceptable_elements, for the \w+ run s[0..n).  Of the
 * non-ASCII characters only U+212A (Kelvin sign) lowercases to ASCII alone. */
static int
acceptable_element(const char *s, size_t n)
{
	char     name[16];
	uint32_t c;
	size_t   i = 0, j = 0;

	while (i < n) {
		if (j + 1 >= sizeof(name))
			return 0;
		i += u8_decode(s, n, i, &c);
		if (c == 0x212A)
			c = 'k';
		else if (c >= 0x80)
			return 0;
		name[j++] = (char)ascii_lower(c);
	}
	name[j] = '\0';
	return bsearch(name, html_elements, sizeof(html_elements) / sizeof(html_elements[0]),
		       sizeof(html_elements[0]), cmp_name) != NULL;
}

int
text_looks_like_html(const char *s, size_t len)
{
	size_t i, j, e;
	int    slash, hash, qualifies = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '<') {
			/* findall(r'</?(\w+)') and search(r'</(\w+)>') */
			j = i + 1;
			if ((slash = j < len && s[j] == '/'))
				j++;
			if ((e = word_end(s, len, j)) == j)
				continue;
			if (slash && e < len && s[e] == '>')
				qualifies = 1;
			if (!acceptable_element(s + j, e - j))
				return 0;
			i = e - 1;
		} else if (s[i] == '&') {
			/* search(r'&#?\w+;') and findall(r'&(\w+);') */
			j = i + 1;
			if ((hash = j < len && s[j] == '#'))
				j++;
			e = word_end(s, len, j);
			if (e == j || e >= len || s[e] != ';')
				continue;
			qualifies = 1;
			if (!hash && !entity_html4(s + j, e - j))
				return 0;
		}
	}
	return qualifies;
}

size_t
utf8_length(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}
