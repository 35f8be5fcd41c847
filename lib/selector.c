/*
 * selector.c: per-site rules, from a CSS selector subset to XPath 1.0.
 *
 * Users write rules the way they read a page in a browser's inspector, so
 * CSS is the common case; XPath is there for what CSS cannot say.  The
 * subset: type selectors and *, .class, #id, [attr], [attr=v], [attr~=v],
 * [attr^=v], [attr$=v], [attr*=v], the descendant (space) and child (>)
 * combinators, and comma lists.  libxml2's HTML parser lower-cases element
 * and attribute names, so names are lower-cased here; values are matched
 * as written, as CSS does.  Anything else is an error naming the
 * position (1-based, in bytes), never a silently different match.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>
#include <libxml/xmlerror.h>
#include <libxml/globals.h>

#include "gleaner.h"

#define SELECTOR_MAX 4096 /* longer rules are not selectors anyone writes */

struct sel {
	const char *src; /* the whole selector, for messages */
	const char *p;	 /* current position */
	struct buf  out;
	char	   *err;
	size_t	    errsz;
	int	    failed;
};

/* "unexpected 'c' at N", with a hint after it when there is one. */
static int
sel_fail(struct sel *s, const char *hint)
{
	size_t pos = (size_t)(s->p - s->src) + 1;
	char   what[32];

	if (s->failed)
		return -1;
	s->failed = 1;
	if (*s->p == '\0')
		snprintf(what, sizeof(what), "unexpected end");
	else if ((unsigned char)*s->p < 0x20 || (unsigned char)*s->p >= 0x7f)
		snprintf(what, sizeof(what), "unexpected byte 0x%02x", (unsigned char)*s->p);
	else
		snprintf(what, sizeof(what), "unexpected '%c'", *s->p);
	snprintf(s->err, s->errsz, "selector '%s': %s at %zu%s%s%s", s->src, what, pos,
		 hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
	return -1;
}

/* An error that is not about one character: msg at the position at. */
static int
sel_fail_at(struct sel *s, const char *at, const char *msg)
{
	if (s->failed)
		return -1;
	s->failed = 1;
	snprintf(s->err, s->errsz, "selector '%s': %s at %zu", s->src, msg,
		 (size_t)(at - s->src) + 1);
	return -1;
}

static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int
is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c >= 0x80;
}

/* A CSS escape after the backslash at s->p: up to six hex digits and an
 * optional space, or any other character as itself. */
static int
sel_escape(struct sel *s, struct buf *b)
{
	uint32_t cp = 0;
	int	 n = 0, h;

	s->p++; /* the backslash */
	if (*s->p == '\0' || *s->p == '\n')
		return sel_fail(s, "after a backslash");
	while (n < 6 && (h = hex_digit((unsigned char)*s->p)) >= 0) {
		cp = cp * 16 + (uint32_t)h;
		s->p++, n++;
	}
	if (n == 0) {
		if ((unsigned char)*s->p < 0x20)
			return sel_fail(s, NULL);
		buf_addc(b, *s->p++);
		return 0;
	}
	if (is_ws((unsigned char)*s->p))
		s->p++;
	/* XPath takes only XML characters: no C0 controls, surrogates, U+FFFE. */
	if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
		cp = 0xFFFD;
	return buf_add_utf8(b, cp);
}

/* An identifier (class, id, attribute or element name, unquoted value).
 * Lenient about a leading digit, which real sites' class names have. */
static int
sel_ident(struct sel *s, struct buf *b, int lower)
{
	const char *start = s->p;

	buf_reset(b);
	while (*s->p) {
		unsigned char c = (unsigned char)*s->p;

		if (c == '\\') {
			if (sel_escape(s, b) == -1)
				return -1;
		} else if (is_name_char(c)) {
			buf_addc(b, (char)(lower && c >= 'A' && c <= 'Z' ? c + 32 : c));
			s->p++;
		} else
			break;
	}
	if (s->p == start)
		return sel_fail(s, NULL);
	if (b->data == NULL)
		buf_adds(b, "");
	return 0;
}

/* An element or attribute name: an identifier that is also an XPath
 * name (ASCII letters, digits, '-', '_', not starting with a digit or '-'). */
static int
sel_name(struct sel *s, struct buf *b)
{
	const char *start = s->p;

	if (sel_ident(s, b, 1) == -1)
		return -1;
	for (const char *c = b->data; *c; c++) {
		unsigned char u = (unsigned char)*c;

		if (!((u >= 'a' && u <= 'z') || u == '_' ||
		      (c != b->data && ((u >= '0' && u <= '9') || u == '-'))))
			return sel_fail_at(s, start, "not a valid element or attribute name");
	}
	return 0;
}

/* A quoted string value, with CSS escapes. */
static int
sel_string(struct sel *s, struct buf *b)
{
	char q = *s->p++;

	buf_reset(b);
	buf_adds(b, "");
	while (*s->p && *s->p != q) {
		if (*s->p == '\\') {
			if (s->p[1] == '\n') {
				s->p += 2;
				continue;
			}
			if (sel_escape(s, b) == -1)
				return -1;
		} else if ((unsigned char)*s->p < 0x20 && *s->p != '\t') {
			return sel_fail(s, NULL);
		} else
			buf_addc(b, *s->p++);
	}
	if (*s->p != q)
		return sel_fail(s, "unterminated string");
	s->p++;
	return 0;
}

/* v as an XPath 1.0 literal, which has no escapes: quotes of the other
 * kind, or concat() around the pieces when v has both. */
static void
xpath_literal(struct buf *o, const char *v)
{
	if (strchr(v, '\'') == NULL) {
		buf_printf(o, "'%s'", v);
	} else if (strchr(v, '"') == NULL) {
		buf_printf(o, "\"%s\"", v);
	} else {
		buf_adds(o, "concat(");
		for (const char *p = v; *p;) {
			size_t n = strcspn(p, "'");

			if (p != v)
				buf_addc(o, ',');
			if (n) {
				buf_printf(o, "'%.*s'", (int)n, p);
				p += n;
			} else {
				n = strspn(p, "'");
				buf_printf(o, "\"%.*s\"", (int)n, p);
				p += n;
			}
		}
		buf_adds(o, ")");
	}
}

/* The whitespace-separated word test CSS uses for class and ~=. */
static void
xpath_word(struct buf *o, const char *attr, const char *v)
{
	struct buf w;

	buf_init(&w, 0);
	buf_printf(&w, " %s ", v);
	buf_printf(o, "[contains(concat(' ', normalize-space(@%s), ' '), ", attr);
	xpath_literal(o, w.data);
	buf_adds(o, ")]");
	buf_free(&w);
}

/* [attr op value] at s->p ('['). */
static int
sel_attrib(struct sel *s, struct buf *name, struct buf *val)
{
	char op;

	s->p++;
	while (is_ws((unsigned char)*s->p))
		s->p++;
	if (sel_name(s, name) == -1)
		return -1;
	while (is_ws((unsigned char)*s->p))
		s->p++;
	if (*s->p == ']') {
		s->p++;
		buf_printf(&s->out, "[@%s]", name->data);
		return 0;
	}
	op = *s->p;
	if (op == '=')
		s->p++;
	else if ((op == '~' || op == '^' || op == '$' || op == '*') && s->p[1] == '=')
		s->p += 2;
	else
		return sel_fail(s, op == '|' ? "|= is not supported" : NULL);
	while (is_ws((unsigned char)*s->p))
		s->p++;
	if (*s->p == '"' || *s->p == '\'') {
		if (sel_string(s, val) == -1)
			return -1;
	} else if (sel_ident(s, val, 0) == -1)
		return -1;
	while (is_ws((unsigned char)*s->p))
		s->p++;
	if (*s->p != ']')
		return sel_fail(s,
				*s->p ? "expected ']'; attribute flags are not supported" : NULL);
	s->p++;

	/* CSS: ~=, ^=, $= and *= with an empty value (or ~= with a space
	 * in it) match nothing. */
	if (op != '=' && (val->data[0] == '\0' || (op == '~' && strpbrk(val->data, " \t\n\r\f")))) {
		buf_adds(&s->out, "[false()]");
		return 0;
	}
	switch (op) {
	case '=':
		buf_printf(&s->out, "[@%s=", name->data);
		xpath_literal(&s->out, val->data);
		buf_adds(&s->out, "]");
		break;
	case '~':
		xpath_word(&s->out, name->data, val->data);
		break;
	case '^':
		buf_printf(&s->out, "[starts-with(@%s, ", name->data);
		xpath_literal(&s->out, val->data);
		buf_adds(&s->out, ")]");
		break;
	case '*':
		buf_printf(&s->out, "[contains(@%s, ", name->data);
		xpath_literal(&s->out, val->data);
		buf_adds(&s->out, ")]");
		break;
	default: /* '$': XPath 1.0 has no ends-with() */
		buf_printf(&s->out, "[substring(@%s, string-length(@%s) - string-length(",
			   name->data, name->data);
		xpath_literal(&s->out, val->data);
		buf_adds(&s->out, ") + 1) = ");
		xpath_literal(&s->out, val->data);
		buf_adds(&s->out, "]");
	}
	return 0;
}

/* One compound selector: optional type or *, then .class, #id, [attr]. */
static int
sel_compound(struct sel *s, struct buf *name, struct buf *val)
{
	int parts = 0;

	if (*s->p == '*') {
		s->p++;
		buf_adds(&s->out, "*");
		parts++;
	} else if (is_name_char((unsigned char)*s->p) || *s->p == '\\') {
		if (sel_name(s, name) == -1)
			return -1;
		buf_adds(&s->out, name->data);
		parts++;
	} else
		buf_adds(&s->out, "*");
	for (;;) {
		if (*s->p == '.' || *s->p == '#') {
			char k = *s->p++;

			if (sel_ident(s, name, 0) == -1)
				return -1;
			if (k == '.')
				xpath_word(&s->out, "class", name->data);
			else {
				buf_adds(&s->out, "[@id=");
				xpath_literal(&s->out, name->data);
				buf_adds(&s->out, "]");
			}
		} else if (*s->p == '[') {
			if (sel_attrib(s, name, val) == -1)
				return -1;
		} else if (*s->p == ':') {
			return sel_fail(s, "pseudo-classes are not supported");
		} else
			break;
		parts++;
	}
	if (parts == 0)
		return sel_fail(s, NULL);
	return 0;
}

/* selector-list := complex (',' complex)*; complex := compound
 * (combinator compound)*. */
static int
sel_list(struct sel *s)
{
	struct buf name, val;
	int	   r = -1;

	buf_init(&name, SELECTOR_MAX * 4);
	buf_init(&val, SELECTOR_MAX * 4);
	for (;;) {
		while (is_ws((unsigned char)*s->p))
			s->p++;
		buf_adds(&s->out, "//");
		for (;;) {
			int ws = 0;

			if (sel_compound(s, &name, &val) == -1)
				goto err;
			while (is_ws((unsigned char)*s->p))
				s->p++, ws = 1;
			if (*s->p == '>') {
				s->p++;
				while (is_ws((unsigned char)*s->p))
					s->p++;
				buf_adds(&s->out, "/");
			} else if (*s->p == '\0' || *s->p == ',') {
				break;
			} else if (*s->p == '+' || *s->p == '~') {
				sel_fail(s, "sibling combinators are not supported");
				goto err;
			} else if (ws) {
				buf_adds(&s->out, "//");
			} else {
				sel_fail(s, NULL);
				goto err;
			}
		}
		if (*s->p == '\0')
			break;
		s->p++; /* ',' */
		buf_adds(&s->out, " | ");
	}
	r = 0;
err:
	buf_free(&name);
	buf_free(&val);
	return r;
}

struct xpath_err {
	char msg[160];
	int  pos;
	int  seen;
};

static void
xpath_error(void *ctx, const xmlError *e)
{
	struct xpath_err *xe = ctx;
	size_t		  n;

	if (xe->seen++)
		return;
	strlcpy_g(xe->msg, e->message ? e->message : "invalid expression", sizeof(xe->msg));
	n = strlen(xe->msg);
	while (n > 0 && (xe->msg[n - 1] == '\n' || xe->msg[n - 1] == ' '))
		xe->msg[--n] = '\0';
	xe->pos = e->int1 + 1;
}

/* Compiles expr to check it; on failure writes libxml2's reason and the
 * position.  libxml2 reports XPath errors only through the thread's
 * structured error handler, so it is swapped for the call. */
static int
xpath_check(const char *expr, char *msg, size_t msgsz)
{
	xmlStructuredErrorFunc old = xmlStructuredError;
	void		      *oldctx = xmlStructuredErrorContext;
	struct xpath_err       xe = {{0}, 0, 0};
	xmlXPathCompExprPtr    c;

	xmlSetStructuredErrorFunc(&xe, (xmlStructuredErrorFunc)xpath_error);
	c = xmlXPathCompile((const xmlChar *)expr);
	xmlSetStructuredErrorFunc(oldctx, old);
	if (c == NULL) {
		if (xe.seen)
			snprintf(msg, msgsz, "%s at %d", xe.msg, xe.pos);
		else
			snprintf(msg, msgsz, "invalid expression");
		return -1;
	}
	xmlXPathFreeCompExpr(c);
	return 0;
}

/* The first byte of s that is not part of valid UTF-8, or NULL. */
static const char *
utf8_invalid_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		size_t	 k, j;
		uint32_t cp;

		if (*u < 0x80) {
			u++;
			continue;
		}
		if (*u >= 0xC2 && *u <= 0xDF)
			k = 1, cp = *u & 0x1F;
		else if (*u >= 0xE0 && *u <= 0xEF)
			k = 2, cp = *u & 0x0F;
		else if (*u >= 0xF0 && *u <= 0xF4)
			k = 3, cp = *u & 0x07;
		else
			return (const char *)u;
		for (j = 1; j <= k; j++) {
			if ((u[j] & 0xC0) != 0x80)
				return (const char *)u;
			cp = cp << 6 | (u[j] & 0x3F);
		}
		if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || cp == 0xFFFE || cp == 0xFFFF)
			return (const char *)u;
		u += k + 1;
	}
	return NULL;
}

char *
selector_to_xpath(const char *sel, char *err, size_t errsz)
{
	struct sel  s = {0};
	const char *p = sel, *bad;
	char	    msg[256];

	if (sel == NULL)
		sel = p = "";
	while (is_ws((unsigned char)*p))
		p++;
	if (*p == '\0') {
		snprintf(err, errsz, "selector '%s': empty", sel);
		return NULL;
	}
	if (strlen(sel) > SELECTOR_MAX) {
		snprintf(err, errsz, "selector '%.40s...': longer than %d bytes", sel,
			 SELECTOR_MAX);
		return NULL;
	}
	if (*p == '/' || *p == '(') {
		if (xpath_check(p, msg, sizeof(msg)) == -1) {
			snprintf(err, errsz, "xpath '%s': %s", sel, msg);
			return NULL;
		}
		return strdup(p);
	}
	s.src = sel;
	if ((bad = utf8_invalid_at(sel)) != NULL) {
		snprintf(err, errsz, "selector: invalid UTF-8 at %zu", (size_t)(bad - sel) + 1);
		return NULL;
	}
	s.p = p;
	s.err = err;
	s.errsz = errsz;
	buf_init(&s.out, 0);
	if (sel_list(&s) == -1) {
		buf_free(&s.out);
		return NULL;
	}
	/* What this file writes must compile; if it does not, that is a bug
	 * here, reported rather than handed on. */
	if (xpath_check(s.out.data, msg, sizeof(msg)) == -1) {
		snprintf(err, errsz, "selector '%s': internal translation error (%s)", sel, msg);
		buf_free(&s.out);
		return NULL;
	}
	return buf_take(&s.out);
}
