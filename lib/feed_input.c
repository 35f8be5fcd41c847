/*
 * feed_input.c: the byte stream in front of expat.
 *
 * expat is strict and the web is not.  Every chunk passes through here
 * before expat sees it:
 *   1. sniff: the first bytes decide JSON or XML, and the charset (BOM, then
 *      the HTTP charset, then the XML declaration, then UTF-8);
 *   2. convert: anything that is not UTF-8 goes through iconv to UTF-8, so
 *      expat is always created for "UTF-8" (which overrides the declaration);
 *   3. repair: a streaming pass that fixes what expat would reject and a
 *      loose parser would accept: junk before the XML declaration, invalid
 *      UTF-8, control characters, bare '&', HTML named entities, a '<' that
 *      cannot start markup.  CDATA, comments and PIs are left alone.
 * The state is small and bounded, so memory stays flat however long the body.
 * Each repair is counted and the first one is reported with its line.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "feed_int.h"

#define SNIFF_MAX 2048 /* bytes held back to find the XML declaration */
#define CARRY_MAX 64   /* longest construct the repair pass looks ahead over */

enum { R_TEXT, R_TAG, R_TAG_DQ, R_TAG_SQ, R_COMMENT, R_CDATA, R_PI, R_DOCTYPE };

static void
note_repair(struct feed_input *in, const char *why)
{
	in->repairs++;
	if (in->first_repair == NULL) {
		in->first_repair = why;
		in->first_repair_line = in->line;
	}
}

/* Reads encoding="..." from an XML declaration at the start of s. */
static int
xmldecl_encoding(const char *s, size_t n, char *out, size_t outsz)
{
	const char *end, *p, *q;
	char        quote;

	if (n < 6 || memcmp(s, "<?xml", 5) != 0)
		return -1;
	if ((end = memmem(s, n, "?>", 2)) == NULL)
		return -1;
	if ((p = memmem(s, (size_t)(end - s), "encoding", 8)) == NULL)
		return -1;
	p += 8;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p >= end || *p++ != '=')
		return -1;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p >= end || (*p != '"' && *p != '\''))
		return -1;
	quote = *p++;
	for (q = p; q < end && *q != quote; q++)
		;
	if (q >= end || (size_t)(q - p) >= outsz)
		return -1;
	memcpy(out, p, (size_t)(q - p));
	out[q - p] = '\0';
	return 0;
}

/* BOMs and the UTF-16/32 patterns of "<?" from XML 1.0 appendix F. */
static const char *
sniff_unicode(const unsigned char *s, size_t n, size_t *bom)
{
	*bom = 0;
	if (n >= 4 && !memcmp(s, "\xFF\xFE\0\0", 4))
		return *bom = 4, "UTF-32LE";
	if (n >= 4 && !memcmp(s, "\0\0\xFE\xFF", 4))
		return *bom = 4, "UTF-32BE";
	if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		return *bom = 3, "UTF-8";
	if (n >= 2 && !memcmp(s, "\xFF\xFE", 2))
		return *bom = 2, "UTF-16LE";
	if (n >= 2 && !memcmp(s, "\xFE\xFF", 2))
		return *bom = 2, "UTF-16BE";
	if (n >= 4 && !memcmp(s, "<\0\0\0", 4))
		return "UTF-32LE";
	if (n >= 4 && !memcmp(s, "\0\0\0<", 4))
		return "UTF-32BE";
	if (n >= 4 && !memcmp(s, "<\0?\0", 4))
		return "UTF-16LE";
	if (n >= 4 && !memcmp(s, "\0<\0?", 4))
		return "UTF-16BE";
	return NULL;
}

/*
 * Decides the charset from the held-back head.  Precedence, as feedparser
 * documents it for application/xml: a BOM (the bytes cannot lie), then the
 * HTTP charset, then the XML declaration, then UTF-8.  A declared charset
 * that iconv does not know, or a declared UTF-16/32 in ASCII-compatible
 * bytes, falls back to UTF-8 and is reported.
 */
static void
sniff_decide(struct feed_input *in)
{
	const unsigned char *s = (const unsigned char *)in->head.data;
	size_t      n = in->head.len, bom, i;
	const char *uni;
	char        decl[64], norm[64];

	uni = sniff_unicode(s, n, &bom);
	in->skip = bom;
	if (uni != NULL) {
		strlcpy_g(in->charset, uni, sizeof(in->charset));
	} else if (in->http_charset[0] &&
		   charset_normalize(in->http_charset, norm, sizeof(norm)) != NULL) {
		strlcpy_g(in->charset, norm, sizeof(in->charset));
	} else {
		strlcpy_g(in->charset, "UTF-8", sizeof(in->charset));
		if (in->http_charset[0])
			note_repair(in, "unknown charset in Content-Type, read as UTF-8");
		/* The declaration may follow junk: look for it anywhere in the head. */
		for (i = 0; i + 5 <= n; i++) {
			if (s[i] == '<' && !memcmp(s + i, "<?xml", 5))
				break;
		}
		if (i + 5 <= n && xmldecl_encoding((const char *)s + i, n - i, decl, sizeof(decl)) == 0) {
			if (charset_normalize(decl, norm, sizeof(norm)) == NULL) {
				in->line = 1;
				note_repair(in, "unknown charset in the XML declaration, read as UTF-8");
			} else if (strncmp(norm, "UTF-16", 6) && strncmp(norm, "UTF-32", 6) &&
				   strncmp(norm, "UCS-2", 5) && strncmp(norm, "UCS-4", 5)) {
				strlcpy_g(in->charset, norm, sizeof(in->charset));
			} else {
				/* Declared UTF-16/32, but the bytes have no BOM and
				 * the ASCII pattern: the declaration is wrong. */
				in->line = 1;
				note_repair(in, "declared a 16/32-bit charset in 8-bit bytes, read as UTF-8");
			}
		}
	}
	if (strcmp(in->charset, "UTF-8") && strcmp(in->charset, "US-ASCII")) {
		in->conv = charset_conv_new(in->charset);
		if (in->conv == NULL) {
			note_repair(in, "charset not supported by iconv, read as UTF-8");
			strlcpy_g(in->charset, "UTF-8", sizeof(in->charset));
		}
	}
}

/* Finds the end of a JSON-or-XML decision: the first non-blank byte after a BOM. */
static int
sniff_kind(const char *s, size_t n)
{
	size_t i = 0;

	if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		i = 3;
	for (; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
			continue;
		return s[i] == '{' || s[i] == '[' ? INPUT_JSON : INPUT_XML;
	}
	return INPUT_UNDECIDED;
}

void
input_init(struct feed_input *in, const char *http_charset)
{
	memset(in, 0, sizeof(*in));
	buf_init(&in->head, 0);
	buf_init(&in->conv_out, 0);
	buf_init(&in->out, 0);
	in->state = R_TEXT;
	in->line = 1;
	in->prologue = 1;
	if (http_charset)
		strlcpy_g(in->http_charset, http_charset, sizeof(in->http_charset));
}

void
input_free(struct feed_input *in)
{
	buf_free(&in->head);
	buf_free(&in->conv_out);
	buf_free(&in->out);
	charset_conv_free(in->conv);
	in->conv = NULL;
	while (in->dtd_entities > 0)
		free(in->dtd_names[--in->dtd_entities]);
}

/* Length of a valid UTF-8 sequence at s (n bytes available), 0 if invalid,
 * -1 if it may be valid but is cut short. */
static int
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	int      len, i;

	if (c < 0xC2 || c > 0xF4)
		return 0;
	len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	for (i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return -1;
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	}
	if (c == 0xE0 && s[1] < 0xA0)
		return 0;
	if (c == 0xED && s[1] >= 0xA0) /* surrogates */
		return 0;
	if (c == 0xF0 && s[1] < 0x90)
		return 0;
	if (c == 0xF4 && s[1] >= 0x90)
		return 0;
	if (c == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF)) /* U+FFFE/F */
		return 0;
	return len;
}

static int
is_name_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c == ':' || c >= 0x80;
}

/* Is &...; at s a reference XML accepts as it is?  Returns its length,
 * 0 if not a complete reference, -1 if more bytes are needed. */
static int
xml_ref_len(const char *s, size_t n, int *numeric_bad)
{
	size_t i = 1;
	unsigned long cp = 0;

	*numeric_bad = 0;
	if (n < 2)
		return -1;
	if (s[1] == '#') {
		int hex = 0, digits = 0;

		i = 2;
		if (i < n && (s[i] == 'x' || s[i] == 'X'))
			hex = 1, i++;
		for (; i < n && digits < 10; i++, digits++) {
			unsigned char c = (unsigned char)s[i];

			if (hex && isxdigit(c))
				cp = cp * 16 + (unsigned long)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
			else if (!hex && isdigit(c))
				cp = cp * 10 + (unsigned long)(c - '0');
			else
				break;
		}
		if (i >= n)
			return -1;
		if (s[i] != ';' || digits == 0)
			return 0;
		if (cp > 0x10FFFF || (cp < 0x20 && cp != 9 && cp != 10 && cp != 13) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
			*numeric_bad = 1;
		return (int)i + 1;
	}
	for (; i < n && i < 40; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(isalnum(c) || ((c == '.' || c == '-' || c == '_') && i > 1)))
			break;
	}
	if (i >= n && i < 40)
		return -1;
	if (i == 1 || i >= n || s[i] != ';' || !isalpha((unsigned char)s[1]))
		return 0;
	return (int)i + 1;
}

static void
emit(struct feed_input *in, const char *p, size_t n)
{
	buf_add(&in->out, p, n);
}

static void
emit_cp1252(struct feed_input *in, unsigned char c)
{
	static const uint16_t c1[32] = {
		0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
		0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
		0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
		0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
	};

	buf_add_utf8(&in->out, c < 0xA0 ? c1[c - 0x80] : c);
}

/* Handles '&' at s.  Returns bytes consumed, or 0 if more input is needed. */
static size_t
repair_amp(struct feed_input *in, const char *s, size_t n, int last)
{
	int         bad, len = xml_ref_len(s, n, &bad);
	const char *exp;

	if (len < 0) {
		if (!last)
			return 0;
		len = 0;
	}
	if (len == 0) {
		note_repair(in, "bare '&' escaped");
		emit(in, "&amp;", 5);
		return 1;
	}
	if (s[1] == '#') {
		if (!bad) {
			emit(in, s, (size_t)len);
		} else {
			note_repair(in, "invalid character reference dropped");
		}
		return (size_t)len;
	}
	/* Named: the five of XML, one the DTD declared, or an HTML5 name. */
	if ((len == 5 && (!memcmp(s, "&lt;", 4) || !memcmp(s, "&gt;", 4))) ||
	    (len == 5 && !memcmp(s, "&amp;", 5)) || (len == 6 && (!memcmp(s, "&quot;", 6) ||
							       !memcmp(s, "&apos;", 6))) ||
	    (len == 4 && (!memcmp(s, "&lt;", 4) || !memcmp(s, "&gt;", 4)))) {
		emit(in, s, (size_t)len);
		return (size_t)len;
	}
	if (in->dtd_entities && dtd_has_entity(in, s + 1, (size_t)len - 2)) {
		emit(in, s, (size_t)len);
		return (size_t)len;
	}
	if ((exp = entity_lookup(s + 1, (size_t)len - 2)) != NULL) {
		note_repair(in, "HTML entity decoded");
		for (; *exp; exp++) {
			switch (*exp) {
			case '<': emit(in, "&lt;", 4); break;
			case '>': emit(in, "&gt;", 4); break;
			case '&': emit(in, "&amp;", 5); break;
			case '"': emit(in, "&quot;", 6); break;
			default: emit(in, exp, 1);
			}
		}
		return (size_t)len;
	}
	note_repair(in, "undefined entity kept as text");
	emit(in, "&amp;", 5);
	return 1;
}

/* Remembers names from <!ENTITY name ...> in the internal subset, so that
 * references to them are left for expat to expand (under its own limits). */
static void
dtd_scan(struct feed_input *in, const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	while ((p = memmem(p, (size_t)(end - p), "<!ENTITY", 8)) != NULL) {
		const char *q;

		p += 8;
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p < end && *p == '%')
			continue;
		for (q = p; q < end && !isspace((unsigned char)*q) && *q != '>'; q++)
			;
		if (q > p && q - p < 64 && in->dtd_entities < DTD_MAX_ENTITIES) {
			in->dtd_names[in->dtd_entities] = xstrndup(p, (size_t)(q - p));
			if (in->dtd_names[in->dtd_entities])
				in->dtd_entities++;
		}
		p = q;
	}
}

int
dtd_has_entity(const struct feed_input *in, const char *name, size_t len)
{
	unsigned i;

	for (i = 0; i < in->dtd_entities; i++)
		if (strlen(in->dtd_names[i]) == len && !memcmp(in->dtd_names[i], name, len))
			return 1;
	return 0;
}

/* Per state of the repair pass, the bytes that may need action: control
 * characters, newlines (line count) and non-ASCII (UTF-8 check) always,
 * plus that state's own delimiters.  Everything else is copied as is. */
#define ALWAYS                                                                            \
	[0x00 ... 0x08] = 1, ['\n'] = 1, [0x0B] = 1, [0x0C] = 1, [0x0E ... 0x1F] = 1,     \
	[0x80 ... 0xFF] = 1
static const unsigned char special[][256] = {
	[R_TEXT] = {ALWAYS, ['&'] = 1, ['<'] = 1, [']'] = 1},
	[R_TAG] = {ALWAYS, ['"'] = 1, ['\''] = 1, ['>'] = 1, ['<'] = 1},
	[R_TAG_DQ] = {ALWAYS, ['"'] = 1, ['&'] = 1, ['<'] = 1},
	[R_TAG_SQ] = {ALWAYS, ['\''] = 1, ['&'] = 1, ['<'] = 1},
	[R_COMMENT] = {ALWAYS, ['-'] = 1},
	[R_CDATA] = {ALWAYS, [']'] = 1},
	[R_PI] = {ALWAYS, ['?'] = 1},
	[R_DOCTYPE] = {ALWAYS, ['['] = 1, [']'] = 1, ['>'] = 1},
};
#undef ALWAYS

/*
 * The repair pass over UTF-8.  Consumes what it can of s and returns the
 * number of bytes consumed; the caller carries the rest (at most CARRY_MAX
 * bytes) into the next call.  Output goes to in->out.
 */
static size_t
repair_run(struct feed_input *in, const char *s, size_t n, int last)
{
	size_t i = 0, run = 0; /* run: start of pending verbatim bytes */

#define FLUSH() do { if (i > run) emit(in, s + run, i - run); } while (0)
#define NEED(k) do { if (i + (k) > n && !last) { FLUSH(); return i; } } while (0)

	while (i < n) {
		unsigned char c;

		/* Fast path: most bytes need nothing in this state. */
		{
			const unsigned char *sp = special[in->state];

			while (i < n && !sp[(unsigned char)s[i]])
				i++;
		}
		if (i >= n)
			break;
		c = (unsigned char)s[i];
		if (c >= 0x80) {
			int l = utf8_seq((const unsigned char *)s + i, n - i);

			if (l < 0 && !last) {
				FLUSH();
				return i;
			}
			if (l <= 0) {
				/* What feedparser does after UTF-8 fails: read it as
				 * windows-1252, here byte by byte, so that a mostly
				 * UTF-8 feed keeps its good parts. */
				FLUSH();
				note_repair(in, "invalid UTF-8 read as windows-1252");
				emit_cp1252(in, c);
				run = ++i;
				continue;
			}
			i += (size_t)l;
			continue;
		}
		if (c < 0x20 && c != '\t' && c != '\r') {
			if (c == '\n') {
				in->line++;
				i++;
				continue;
			}
			FLUSH();
			note_repair(in, "control character removed");
			run = ++i;
			continue;
		}
		switch (in->state) {
		case R_TEXT:
			if (c == '&') {
				size_t k;

				FLUSH();
				k = repair_amp(in, s + i, n - i, last);
				if (k == 0)
					return i;
				run = i += k;
				continue;
			}
			if (c == '<') {
				NEED(9);
				if (i + 1 < n && s[i + 1] == '!') {
					if (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
						in->state = R_COMMENT;
						i += 4;
						continue;
					}
					if (n - i >= 9 && !memcmp(s + i, "<![CDATA[", 9)) {
						in->state = R_CDATA;
						i += 9;
						continue;
					}
					if (n - i >= 9 && !strncasecmp(s + i, "<!DOCTYPE", 9) && in->prologue) {
						in->state = R_DOCTYPE;
						in->doctype_start = in->out.len + (i - run);
						i += 9;
						continue;
					}
				} else if (i + 1 < n && s[i + 1] == '?') {
					in->state = R_PI;
					i += 2;
					continue;
				} else if (i + 1 < n && (is_name_start((unsigned char)s[i + 1]) ||
							 s[i + 1] == '/')) {
					in->state = R_TAG;
					in->prologue = 0;
					i++;
					continue;
				}
				FLUSH();
				note_repair(in, "'<' that starts no markup escaped");
				emit(in, "&lt;", 4);
				run = ++i;
				continue;
			}
			if (c == ']' && i + 2 < n && s[i + 1] == ']' && s[i + 2] == '>') {
				/* "]]>" is not allowed in text. */
				FLUSH();
				emit(in, "]]&gt;", 6);
				run = i += 3;
				continue;
			}
			break;
		case R_TAG:
			if (c == '"')
				in->state = R_TAG_DQ;
			else if (c == '\'')
				in->state = R_TAG_SQ;
			else if (c == '>')
				in->state = R_TEXT;
			else if (c == '<') {
				/* A tag never closed: close it here rather than lose the rest. */
				FLUSH();
				note_repair(in, "unclosed tag closed");
				emit(in, ">", 1);
				in->state = R_TEXT;
				run = i;
				continue;
			}
			break;
		case R_TAG_DQ:
		case R_TAG_SQ:
			if ((c == '"' && in->state == R_TAG_DQ) || (c == '\'' && in->state == R_TAG_SQ)) {
				in->state = R_TAG;
			} else if (c == '&') {
				size_t k;

				FLUSH();
				k = repair_amp(in, s + i, n - i, last);
				if (k == 0)
					return i;
				run = i += k;
				continue;
			} else if (c == '<') {
				FLUSH();
				note_repair(in, "'<' in an attribute value escaped");
				emit(in, "&lt;", 4);
				run = ++i;
				continue;
			}
			break;
		case R_COMMENT:
			NEED(3);
			if (c == '-' && n - i >= 3 && !memcmp(s + i, "-->", 3)) {
				in->state = R_TEXT;
				i += 3;
				continue;
			}
			if (c == '-' && n - i >= 2 && s[i + 1] == '-') {
				/* "--" inside a comment is fatal to expat. */
				FLUSH();
				note_repair(in, "'--' inside a comment");
				emit(in, "- ", 2);
				run = ++i;
				continue;
			}
			break;
		case R_CDATA:
			NEED(3);
			if (c == ']' && n - i >= 3 && !memcmp(s + i, "]]>", 3)) {
				in->state = R_TEXT;
				i += 3;
				continue;
			}
			break;
		case R_PI:
			NEED(2);
			if (c == '?' && n - i >= 2 && s[i + 1] == '>') {
				in->state = R_TEXT;
				i += 2;
				continue;
			}
			break;
		case R_DOCTYPE:
			if (c == '[')
				in->doctype_subset++;
			else if (c == ']' && in->doctype_subset)
				in->doctype_subset--;
			else if (c == '>' && !in->doctype_subset) {
				i++;
				FLUSH();
				run = i;
				dtd_scan(in, in->out.data + in->doctype_start,
					 in->out.len - in->doctype_start);
				in->state = R_TEXT;
				continue;
			}
			break;
		}
		i++;
	}
	if (run == 0 && in->allow_direct) {
		/* Nothing to change in the whole chunk: let the caller parse
		 * the bytes where they are, without a copy. */
		in->direct = s;
		in->direct_len = i;
		return i;
	}
	FLUSH();
	return i;
#undef FLUSH
#undef NEED
}

/* Runs the repair pass over UTF-8 bytes, with the carry from the last call. */
static void
repair_feed(struct feed_input *in, const char *s, size_t n, int last)
{
	size_t used;

	if (in->carry_len) {
		/* Complete the carried construct with the head of the new bytes. */
		char   tmp[CARRY_MAX * 2];
		size_t take = n < CARRY_MAX ? n : CARRY_MAX, k;

		memcpy(tmp, in->carry, in->carry_len);
		memcpy(tmp + in->carry_len, s, take);
		k = in->carry_len + take;
		used = repair_run(in, tmp, k, last && take == n);
		if (used < in->carry_len) {
			/* Still not enough: only possible when the new bytes are few. */
			memmove(in->carry, tmp + used, k - used);
			in->carry_len = k - used;
			return;
		}
		used -= in->carry_len;
		in->carry_len = 0;
		s += used;
		n -= used;
	}
	in->allow_direct = in->out.len == 0;
	used = repair_run(in, s, n, last);
	in->allow_direct = 0;
	if (used < n) {
		if (in->direct) {
			/* A carry follows: the direct bytes must be copied after all. */
			emit(in, in->direct, in->direct_len);
			in->direct = NULL;
		}
		size_t rest = n - used;

		if (rest > CARRY_MAX) {
			/* Cannot happen by construction; never lose bytes if it does. */
			emit(in, s + used, rest);
			return;
		}
		memcpy(in->carry, s + used, rest);
		in->carry_len = rest;
	}
}

/* Drops what precedes the document: whitespace, comments or junk before the
 * XML declaration or, without one, before the first '<'. */
static size_t
prologue_skip(struct feed_input *in, const char *s, size_t n)
{
	size_t i;
	int    decl = 1;

	for (i = 0; i + 5 <= n; i++)
		if (s[i] == '<' && !memcmp(s + i, "<?xml", 5))
			break;
	if (i + 5 > n) {
		decl = 0;
		for (i = 0; i < n && s[i] != '<'; i++)
			;
		if (i == n)
			i = 0;
	}
	if (i > 0) {
		size_t k;

		for (k = 0; k < i; k++)
			if (!isspace((unsigned char)s[k]))
				break;
		/* Whitespace before the first element is harmless; before the
		 * XML declaration it is a well-formedness error, as feedparser
		 * reports it too. */
		if (k < i || memchr(s, '<', i) != NULL)
			note_repair(in, "content before the XML declaration dropped");
		else if (decl)
			note_repair(in, "whitespace before the XML declaration dropped");
		in->line = 1;
		for (k = 0; k < i; k++)
			if (s[k] == '\n')
				in->line++;
		in->prologue_lines = in->line - 1;
	}
	return i;
}

/* Converts (if needed) and repairs one chunk; the result is in in->out. */
static void
input_process(struct feed_input *in, const char *s, size_t n, int last)
{
	if (in->conv) {
		buf_reset(&in->conv_out);
		charset_conv_run(in->conv, s, n, &in->conv_out, last, &in->invalid_bytes);
		if (in->invalid_bytes && !in->noted_invalid) {
			in->noted_invalid = 1;
			note_repair(in, "bytes invalid in the document's charset replaced");
		}
		s = in->conv_out.data ? in->conv_out.data : "";
		n = in->conv_out.len;
	}
	if (in->first_utf8) {
		size_t k;

		in->first_utf8 = 0;
		if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
			s += 3, n -= 3;
		k = prologue_skip(in, s, n);
		s += k;
		n -= k;
	}
	repair_feed(in, s, n, last);
}

/*
 * Takes the next chunk.  While sniffing, bytes are held back (at most
 * SNIFF_MAX plus one chunk); once decided, what the caller should parse is
 * left in in->out: repaired UTF-8 for XML, the raw bytes for JSON.
 * Returns the input kind (INPUT_UNDECIDED while still sniffing).
 */
/* The bytes input_push() left for the parser: in place, or in in->out. */
const char *
input_data(const struct feed_input *in, size_t *len)
{
	if (in->direct) {
		*len = in->direct_len;
		return in->direct;
	}
	*len = in->out.len;
	return in->out.data ? in->out.data : "";
}

int
input_push(struct feed_input *in, const char *s, size_t n, int last)
{
	size_t skip;

	buf_reset(&in->out);
	in->direct = NULL;
	if (in->kind == INPUT_JSON) {
		emit(in, s, n);
		return in->kind;
	}
	if (in->kind == INPUT_XML) {
		input_process(in, s, n, last);
		return in->kind;
	}
	buf_add(&in->head, s, n);
	in->kind = sniff_kind(in->head.data ? in->head.data : "", in->head.len);
	if (in->kind != INPUT_JSON && !last && in->head.len < SNIFF_MAX &&
	    (in->head.data == NULL || memmem(in->head.data, in->head.len, "?>", 2) == NULL)) {
		in->kind = INPUT_UNDECIDED;
		return in->kind;
	}
	if (in->kind == INPUT_JSON) {
		emit(in, in->head.data, in->head.len);
	} else {
		in->kind = INPUT_XML;
		sniff_decide(in);
		in->first_utf8 = 1;
		skip = in->skip;
		if (in->head.len > skip)
			input_process(in, in->head.data + skip, in->head.len - skip, last);
		else
			input_process(in, "", 0, last);
		if (in->direct) {
			/* The held-back head is freed below: copy out of it. */
			emit(in, in->direct, in->direct_len);
			in->direct = NULL;
		}
	}
	buf_free(&in->head);
	return in->kind;
}
