/*
 * opml.c: OPML 1.0/2.0 subscription lists, read with expat, written as OPML 2.0.
 *
 * Reading: an <outline> with a non-empty xmlUrl (any case) is a feed; one
 * without is a folder whose title (else text) tags every feed inside it; a
 * feed's category="/a/b,c" adds the tags a, b and c.  Strings are trimmed,
 * empty means absent; a URL seen again merges into the first (tags united,
 * first title and htmlUrl kept).  Malformed, giving NULL and "line N: why":
 * not well-formed even after the repair below, a root other than <opml>, no
 * <body> in it, an <!ENTITY> declaration, the OPML_MAX_* caps.  Skipped as
 * merely odd: outlines without xmlUrl or children, outlines outside <body>.
 * Repair (real exports need it): whitespace before <?xml is dropped, and if
 * expat fails, one pass turns HTML entities into character references,
 * escapes bare '&', drops control characters and reads invalid UTF-8 bytes
 * as windows-1252, keeping the lines, before a second and last parse.
 *
 * Writing: untagged feeds, then one folder per tag (sorted bytewise) with
 * every feed carrying it, so a feed with three tags is written three times
 * (as Feedly and Inoreader do) and reading merges it back.  Tags are only
 * folder titles: ',' and '/' in them need no escaping.
 */
#include <ctype.h>
#include <expat.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gleaner.h"



#define IS_WS(ch) ((ch) == ' ' || ((ch) >= '\t' && (ch) <= '\r'))

struct hent { uint64_t h; size_t owner, idx; }; /* owner SIZE_MAX: a URL; idx+1, 0 free */

struct ctx {
	/* per parse attempt, zeroed by parse_once up to line_base */
	XML_Parser   xp;
	struct opml *o;
	struct hent *tab;    /* URLs and each feed's tags, for dedupe */
	size_t       capfeeds, total, tabsz, tabn;
	struct buf   path;   /* titles of the open folders, each NUL-terminated */
	struct buf   frames; /* per open outline: path.len before it (a size_t) */
	struct buf   title;
	unsigned     depth, end_line;
	int          in_head, in_title, in_body, seen_body, failed, xml_error;
	/* per document */
	unsigned     line_base, note_line;
	const char  *note;   /* the first repair */
	char         msg[256];
};

static const char *
trimn(const char *s, size_t *n)
{
	while (*n && IS_WS(*s))
		s++, (*n)--;
	while (*n && IS_WS(s[*n - 1]))
		(*n)--;
	return s;
}

static const char *
trim(const char *s, size_t *n)
{
	*n = s ? strlen(s) : 0;
	return s ? trimn(s, n) : "";
}

static void __attribute__((format(printf, 3, 4)))
fail_at(struct ctx *c, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int     k;

	if (c->failed)
		return;
	c->failed = 1;
	k = snprintf(c->msg, sizeof(c->msg), "line %u: ", line);
	va_start(ap, fmt);
	vsnprintf(c->msg + k, sizeof(c->msg) - (size_t)k, fmt, ap);
	va_end(ap);
	XML_StopParser(c->xp, XML_FALSE);
}
#define fail(c, ...) \
	fail_at((c), (c)->line_base + (unsigned)XML_GetCurrentLineNumber((c)->xp) - 1, __VA_ARGS__)

static char *
dup_str(struct ctx *c, const char *s, size_t n, const char *what)
{
	char *p = NULL;

	if (n > OPML_MAX_STR)
		fail(c, "%s longer than %u bytes", what, OPML_MAX_STR);
	else if (n + 1 > OPML_MAX_TOTAL - c->total)
		fail(c, "the list needs more than %u MiB", OPML_MAX_TOTAL >> 20);
	else if ((p = xstrndup(s, n)) == NULL)
		fail(c, "out of memory");
	else
		c->total += n + 1;
	return p;
}

/* Looks (owner, s) up: its index, or SIZE_MAX when absent (then entered as
 * idx unless idx is SIZE_MAX).  Owner SIZE_MAX: URLs; else that feed's tags. */
static size_t
hfind(struct ctx *c, size_t owner, const char *s, size_t n, size_t idx)
{
	uint64_t     h = hash64(s, n, HASH64_SEED ^ ((uint64_t)owner * 0x9E3779B97F4A7C15ULL));
	size_t       i, j, m;
	struct hent *e, *nt;

	if ((c->tabn + 1) * 2 > c->tabsz) {
		if ((nt = calloc(m = c->tabsz ? c->tabsz * 2 : 1024, sizeof(*nt))) == NULL) {
			fail(c, "out of memory");
			return 0;
		}
		for (j = 0; j < c->tabsz; j++) {
			for (i = c->tab[j].h & (m - 1); c->tab[j].idx && nt[i].idx; i = (i + 1) & (m - 1))
				;
			if (c->tab[j].idx)
				nt[i] = c->tab[j];
		}
		free(c->tab);
		c->tab = nt;
		c->tabsz = m;
	}
	for (i = h & (c->tabsz - 1); (e = &c->tab[i])->idx; i = (i + 1) & (c->tabsz - 1)) {
		const char *k;

		if (e->h != h || e->owner != owner)
			continue;
		k = owner == SIZE_MAX ? c->o->feeds[e->idx - 1].url : c->o->feeds[owner].tags[e->idx - 1];
		if (strlen(k) == n && memcmp(k, s, n) == 0)
			return e->idx - 1;
	}
	if (idx != SIZE_MAX)
		*e = (struct hent){h, owner, idx + 1}, c->tabn++;
	return SIZE_MAX;
}

/* ---------------------------------------------------------------- reading */
static void
add_tag(struct ctx *c, size_t fi, const char *s, size_t n)
{
	struct opml_feed *f = &c->o->feeds[fi];
	char **nt;

	s = trimn(s, &n);
	if (n == 0 || c->failed || hfind(c, fi, s, n, SIZE_MAX) != SIZE_MAX || c->failed)
		return;
	if (f->ntags == OPML_MAX_TAGS) {
		fail(c, "more than %u tags on one feed", OPML_MAX_TAGS);
		return;
	}
	if (f->ntags == 0 || (f->ntags >= 4 && !(f->ntags & (f->ntags - 1)))) { /* 4, 8, 16... */
		if ((nt = realloc(f->tags, (f->ntags ? f->ntags * 2 : 4) * sizeof(*nt))) == NULL) {
			fail(c, "out of memory");
			return;
		}
		f->tags = nt;
	}
	if ((f->tags[f->ntags] = dup_str(c, s, n, "tag")) != NULL)
		hfind(c, fi, s, n, f->ntags++);
}

static void
outline(struct ctx *c, const XML_Char **atts)
{
	static const char *const names[] = {"xmlUrl", "htmlUrl", "title", "text", "category"};
	const char *a[5] = {NULL}, *url, *title, *html, *p;
	size_t      un, tn, hn, fi, i, saved = c->path.len;
	struct opml_feed *f;

	for (; atts[0]; atts += 2)
		for (i = 0; i < 5; i++)
			if (!a[i] && !strcasecmp(atts[0], names[i]))
				a[i] = atts[1];
	if (buf_add(&c->frames, &saved, sizeof(saved)) == -1)
		fail(c, "out of memory");
	if ((title = trim(a[2], &tn)), tn == 0)
		title = trim(a[3], &tn);
	if ((url = trim(a[0], &un)), un == 0) { /* a folder */
		if (tn > OPML_MAX_STR)
			fail(c, "folder title longer than %u bytes", OPML_MAX_STR);
		else if (tn && (buf_add(&c->path, title, tn) == -1 || buf_addc(&c->path, '\0') == -1))
			fail(c, "out of memory");
		return;
	}
	if ((fi = hfind(c, SIZE_MAX, url, un, SIZE_MAX)) == SIZE_MAX && !c->failed) { /* new */
		if ((fi = c->o->nfeeds) == OPML_MAX_FEEDS) {
			fail(c, "more than %u feeds", OPML_MAX_FEEDS);
		} else if (fi == c->capfeeds) {
			if ((f = realloc(c->o->feeds, (fi ? fi * 2 : 64) * sizeof(*f))) == NULL)
				fail(c, "out of memory");
			else
				c->o->feeds = f, c->capfeeds = fi ? fi * 2 : 64;
		}
		if (!c->failed) {
			f = memset(&c->o->feeds[fi], 0, sizeof(*f));
			if ((f->url = dup_str(c, url, un, "xmlUrl")) != NULL)
				hfind(c, SIZE_MAX, url, un, c->o->nfeeds++);
		}
	}
	if (c->failed)
		return;
	f = &c->o->feeds[fi];
	html = trim(a[1], &hn);
	if (tn && f->title == NULL)
		f->title = dup_str(c, title, tn, "title");
	if (hn && f->html_url == NULL)
		f->html_url = dup_str(c, html, hn, "htmlUrl");
	for (p = c->path.data; p && p < c->path.data + c->path.len; p += strlen(p) + 1)
		add_tag(c, fi, p, strlen(p));
	for (p = a[4]; p && !c->failed; p += un + 1) { /* "/a/b,c": ',' and '/' separate */
		add_tag(c, fi, p, un = strcspn(p, ",/"));
		if (p[un] == '\0')
			break;
	}
}

static void XMLCALL
start_el(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct ctx *c = ud;

	if (c->failed)
		return;
	if (++c->depth == 1 && strcasecmp(name, "opml") != 0) {
		fail(c, "the root element is <%.40s>, not <opml>", name);
	} else if (c->depth == 2) {
		c->in_head = !strcasecmp(name, "head");
		c->seen_body |= c->in_body = !strcasecmp(name, "body");
	} else if (c->depth == 3 && c->in_head && !strcasecmp(name, "title")) {
		c->in_title = 1;
		buf_reset(&c->title);
	} else if (c->in_body && !strcasecmp(name, "outline")) {
		outline(c, atts);
	}
}

static void XMLCALL
end_el(void *ud, const XML_Char *name)
{
	struct ctx *c = ud;
	const char *t;
	size_t      n;

	if (c->failed)
		return;
	if (c->depth == 3 && c->in_title) {
		c->in_title = 0;
		if (c->title.truncated)
			fail(c, "head title longer than %u bytes", OPML_MAX_STR);
		else if (c->o->title == NULL && (t = trim(c->title.data, &n), n))
			c->o->title = dup_str(c, t, n, "head title");
	} else if (c->depth >= 3 && c->in_body && !strcasecmp(name, "outline")) {
		c->frames.len -= sizeof(n);
		memcpy(&n, c->frames.data + c->frames.len, sizeof(n));
		c->path.len = n;
	} else if (c->depth == 2) {
		c->in_head = c->in_body = 0;
	} else if (c->depth == 1) {
		c->end_line = c->line_base + (unsigned)XML_GetCurrentLineNumber(c->xp) - 1;
	}
	c->depth--;
}

static void XMLCALL
chars(void *ud, const XML_Char *s, int len)
{
	struct ctx *c = ud;

	if (c->in_title && !c->failed && c->o->title == NULL)
		buf_add(&c->title, s, (size_t)len);
}

static void XMLCALL
entity_decl(void *ud, const XML_Char *name, int is_param, const XML_Char *value, int vlen,
	    const XML_Char *base, const XML_Char *sys, const XML_Char *pub, const XML_Char *notation)
{
	fail((struct ctx *)ud, "entity declarations are not allowed (<!ENTITY %.40s>)", name);
}

/* One parse; the result, or NULL with c->msg set. */
static struct opml *
parse_once(struct ctx *c, const char *s, size_t n)
{
	memset(c, 0, offsetof(struct ctx, line_base));
	buf_init(&c->path, 0);
	buf_init(&c->frames, 0);
	buf_init(&c->title, OPML_MAX_STR + 1);
	if ((c->o = calloc(1, sizeof(*c->o))) == NULL || (c->xp = XML_ParserCreate(NULL)) == NULL) {
		free(c->o);
		snprintf(c->msg, sizeof(c->msg), "line 1: out of memory");
		return NULL;
	}
	XML_SetUserData(c->xp, c);
	XML_SetElementHandler(c->xp, start_el, end_el);
	XML_SetCharacterDataHandler(c->xp, chars);
	XML_SetEntityDeclHandler(c->xp, entity_decl);
	/* No external entities, ever: no handler for them, no parameter entities. */
	XML_SetParamEntityParsing(c->xp, XML_PARAM_ENTITY_PARSING_NEVER);
	if (XML_Parse(c->xp, s, (int)n, 1) == XML_STATUS_ERROR && !c->failed) {
		enum XML_Error e = XML_GetErrorCode(c->xp);

		if (e == XML_ERROR_NO_ELEMENTS && c->depth > 0)
			fail(c, "the document ends with %u unclosed element%s", c->depth, c->depth > 1 ? "s" : "");
		else
			fail(c, "%s", XML_ErrorString(e));
		c->xml_error = e != XML_ERROR_NO_MEMORY;
	}
	if (!c->failed && !c->seen_body)
		fail_at(c, c->end_line, "no <body> in <opml>");
	XML_ParserFree(c->xp);
	free(c->tab);
	buf_free(&c->path);
	buf_free(&c->frames);
	buf_free(&c->title);
	if (!c->failed)
		return c->o;
	opml_free(c->o);
	return NULL;
}

/* ----------------------------------------------------------------- repair */
static size_t
u8dec(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c = s[0], min = c >= 0xF0 ? 0x10000 : c >= 0xE0 ? 0x800 : 0x80;
	size_t   k = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0, i;

	if (k == 1)
		return *cp = c, 1;
	if (k == 0 || n < k)
		return 0;
	for (c &= 0x7F >> k, i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return *cp = c, k;
}

static int
xml_char(uint32_t c)
{
	return c == 9 || c == 10 || c == 13 || (c >= 0x20 && c <= 0xD7FF) ||
	       (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static void
note(struct ctx *c, unsigned line, const char *why)
{
	if (c->note == NULL)
		c->note = why, c->note_line = line;
}

/* '&' at s: appends its repair to b and returns the bytes used. */
static size_t
repair_amp(struct ctx *c, unsigned line, const char *s, size_t n, struct buf *b)
{
	static const char *const xml5[] = {"lt", "gt", "amp", "quot", "apos"};
	size_t      i = 1, k;
	uint32_t    cp;
	const char *exp;

	if (n > 1 && s[1] == '#') { /* a character reference: expat judges its value */
		int x = n > 2 && (s[2] == 'x' || s[2] == 'X');

		for (i = 2 + (size_t)x; i < n && (x ? isxdigit : isdigit)((unsigned char)s[i]); i++)
			;
		if (i > 2 + (size_t)x && i < n && s[i] == ';')
			return buf_add(b, s, i + 1), i + 1;
		i = 0;
	}
	while (i < n && i < 40 && isalnum((unsigned char)s[i]))
		i++;
	if (i > 1 && i < n && s[i] == ';') {
		for (k = 0; k < 5; k++)
			if (i - 1 == strlen(xml5[k]) && !memcmp(s + 1, xml5[k], i - 1))
				return buf_add(b, s, i + 1), i + 1;
		if ((exp = entity_lookup(s + 1, i - 1)) != NULL) {
			note(c, line, "HTML entity decoded");
			for (; *exp && (k = u8dec(exp, strlen(exp), &cp)) > 0; exp += k)
				buf_printf(b, "&#x%X;", (unsigned)cp);
			return i + 1;
		}
	}
	note(c, line, "bare '&' escaped");
	return buf_adds(b, "&amp;"), 1;
}

/* One pass over an ASCII-compatible document; keeps every line break. */
static void
repair(struct ctx *c, const char *s, size_t n, int utf8, struct buf *b)
{
	static const uint16_t c1[32] = {
		0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
		0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
		0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
	};
	unsigned line = c->line_base;
	size_t   i = 0, k = 1;
	uint32_t cp;

	while (i < n) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '&') {
			i += repair_amp(c, line, s + i, n - i, b);
		} else if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
			note(c, line, "control character removed");
			i++;
		} else if (ch >= 0x80 && utf8 && (k = u8dec(s + i, n - i, &cp)) == 0) {
			note(c, line, "invalid UTF-8 read as windows-1252");
			buf_printf(b, "&#x%X;", ch < 0xA0 ? c1[ch - 0x80] : ch);
			i++;
		} else {
			k = ch >= 0x80 && utf8 ? k : 1;
			line += ch == '\n';
			buf_add(b, s + i, k);
			i += k;
		}
	}
}

/* Unless the XML declaration names another encoding, the bytes are UTF-8. */
static int
declared_utf8(const char *s, size_t n)
{
	const char *end = n >= 5 && !memcmp(s, "<?xml", 5) ? memmem(s, n < 512 ? n : 512, "?>", 2) : NULL;
	const char *e = end ? memmem(s, (size_t)(end - s), "encoding", 8) : NULL;

	if (e == NULL)
		return 1;
	for (e += 8; e < end && (IS_WS(*e) || *e == '=' || *e == '"' || *e == '\''); e++)
		;
	return (end - e >= 5 && !strncasecmp(e, "utf-8", 5)) || (end - e >= 4 && !strncasecmp(e, "utf8", 4));
}

struct opml *
opml_parse(const char *data, size_t len, char *err, size_t errsz)
{
	struct ctx   c = {.line_base = 1};
	struct opml *o = NULL;
	struct buf   b;
	size_t       i, bom;

	if (data == NULL)
		data = "", len = 0;
	bom = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
	for (i = bom; len <= OPML_MAX_FILE && i < len && IS_WS(data[i]); i++)
		c.line_base += data[i] == '\n';
	if (i > bom && len - i >= 5 && !memcmp(data + i, "<?xml", 5)) {
		data += i, len -= i, bom = 0;
		note(&c, 1, "whitespace before the XML declaration dropped");
	} else {
		c.line_base = 1;
	}
	if (len > OPML_MAX_FILE) {
		snprintf(c.msg, sizeof(c.msg), "line 1: larger than %u MiB", OPML_MAX_FILE >> 20);
	} else if ((o = parse_once(&c, data, len)) == NULL && c.xml_error && len >= 2 && data[0] &&
		   data[1] && (unsigned char)data[0] < 0xFE) {
		/* ASCII-compatible (not UTF-16): repair once and parse again. */
		buf_init(&b, 2 * (size_t)OPML_MAX_FILE);
		repair(&c, data, len, declared_utf8(data + bom, len - bom), &b);
		if (c.note && b.data && !b.truncated)
			o = parse_once(&c, b.data, b.len);
		buf_free(&b);
	}
	if (err && errsz && o == NULL)
		snprintf(err, errsz, "%s", c.msg);
	else if (err && errsz && c.note)
		snprintf(err, errsz, "repaired: line %u: %s", c.note_line, c.note);
	else if (err && errsz)
		err[0] = '\0';
	return o;
}

void
opml_free(struct opml *o)
{
	size_t i, j;

	for (i = 0; o && i < o->nfeeds; i++) {
		for (j = 0; j < o->feeds[i].ntags; j++)
			free(o->feeds[i].tags[j]);
		free(o->feeds[i].tags);
		free(o->feeds[i].url);
		free(o->feeds[i].title);
		free(o->feeds[i].html_url);
	}
	if (o)
		free(o->feeds), free(o->title), free(o);
}

/* ---------------------------------------------------------------- writing */
static void
put_esc(FILE *fp, const char *s, size_t n, int attr)
{
	size_t   i, k, run = 0; /* s[run, i) needs no escaping */
	uint32_t cp;

	for (i = 0; i < n; i += k ? k : 1) {
		if ((k = u8dec(s + i, n - i, &cp)) && xml_char(cp) && cp != '&' && cp != '<' &&
		    cp != '>' && cp != '\r' && !(attr && (cp == '"' || cp == '\t' || cp == '\n')))
			continue;
		fwrite(s + run, 1, i - run, fp);
		run = i + (k ? k : 1);
		if (k == 0 || (!xml_char(cp) && cp >= 0x20))
			fputs("\xEF\xBF\xBD", fp); /* bad UTF-8, U+FFFE, U+FFFF */
		else if (cp < 0x20 && xml_char(cp))
			fprintf(fp, "&#%u;", (unsigned)cp); /* other C0 controls are dropped */
		else if (cp >= 0x20)
			fputs(cp == '&' ? "&amp;" : cp == '<' ? "&lt;" : cp == '>' ? "&gt;" : "&quot;", fp);
	}
	fwrite(s + run, 1, n - run, fp);
}

static void
put_attr(FILE *fp, const char *name, const char *s)
{
	size_t n;

	s = trim(s, &n);
	fprintf(fp, " %s=\"", name);
	put_esc(fp, s, n, 1);
	fputc('"', fp);
}

/* A folder entry: (tag, feed); tag NULL for a feed without tags. */
struct wpair { const char *tag; size_t tlen, idx; };

static int
same_tag(const struct wpair *a, const struct wpair *b)
{
	return a->tag && b->tag && a->tlen == b->tlen && !memcmp(a->tag, b->tag, a->tlen);
}

static int
wcmp(const void *pa, const void *pb)
{
	const struct wpair *a = pa, *b = pb;
	int r = !a->tag != !b->tag ? (a->tag ? 1 : -1) : 0;

	if (r == 0 && a->tag && !same_tag(a, b))
		if ((r = memcmp(a->tag, b->tag, a->tlen < b->tlen ? a->tlen : b->tlen)) == 0)
			r = a->tlen < b->tlen ? -1 : 1;
	return r ? r : (a->idx > b->idx) - (a->idx < b->idx);
}

int
opml_write(FILE *fp, const struct opml *o)
{
	struct wpair *w;
	const char   *s;
	size_t        i, j, m = 0, n, first;

	for (i = 0; i < o->nfeeds; i++)
		m += o->feeds[i].ntags ? o->feeds[i].ntags : 1;
	if ((w = calloc(m ? m : 1, sizeof(*w))) == NULL)
		return -1;
	for (i = m = 0; i < o->nfeeds; i++) {
		if ((trim(o->feeds[i].url, &n), n) == 0)
			continue;
		for (j = 0, first = m; j < o->feeds[i].ntags; j++)
			if ((s = trim(o->feeds[i].tags[j], &n)), n)
				w[m++] = (struct wpair){s, n, i};
		if (m == first)
			w[m++] = (struct wpair){NULL, 0, i};
	}
	qsort(w, m, sizeof(*w), wcmp);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n", fp);
	if ((s = trim(o->title, &n)), n) {
		fputs("    <title>", fp);
		put_esc(fp, s, n, 0);
		fputs("</title>\n", fp);
	}
	fputs("  </head>\n  <body>\n", fp);
	for (i = 0; i < m; i++) {
		const struct opml_feed *f = &o->feeds[w[i].idx];

		if (i > 0 && same_tag(&w[i - 1], &w[i]) && w[i - 1].idx == w[i].idx)
			continue; /* a tag listed twice */
		if (w[i].tag && (i == 0 || !same_tag(&w[i - 1], &w[i]))) {
			fputs(i > 0 && w[i - 1].tag ? "    </outline>\n    <outline text=\"" : "    <outline text=\"", fp);
			put_esc(fp, w[i].tag, w[i].tlen, 1);
			fputs("\" title=\"", fp);
			put_esc(fp, w[i].tag, w[i].tlen, 1);
			fputs("\">\n", fp);
		}
		fprintf(fp, "%*s<outline type=\"rss\"", w[i].tag ? 6 : 4, "");
		put_attr(fp, "text", f->title);
		if ((trim(f->title, &n), n))
			put_attr(fp, "title", f->title);
		put_attr(fp, "xmlUrl", f->url);
		if ((trim(f->html_url, &n), n))
			put_attr(fp, "htmlUrl", f->html_url);
		fputs("/>\n", fp);
	}
	fputs(m > 0 && w[m - 1].tag ? "    </outline>\n  </body>\n</opml>\n" : "  </body>\n</opml>\n", fp);
	free(w);
	return fflush(fp) == EOF || ferror(fp) ? -1 : 0;
}
