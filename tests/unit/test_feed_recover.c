/*
 * test_feed_recover.c: the feed parser on documents that are not what they
 * should be: encodings (BOMs, declarations, HTTP charsets, bad bytes), the
 * repair pass and the resync recovery (lib/feed_input.c, feed_xml.c), and
 * hostile input (entity expansion, external entities, depth, size).
 *
 * Non-UTF-8 bytes were produced with Python 3.11, e.g.
 *   python3 -c "print(repr('текст'.encode('koi8-r')))"
 * and are embedded as C escapes.  UTF-16/32 documents are encoded at run time
 * from UTF-8 by encode_utf() below.  Expected reasons are the parser's and
 * expat's own wording; lines are 1-based lines of the document.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "feedtest.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define MIB      ((size_t)1 << 20)

/* ------------------------------------------------------------------ helpers */

#define assert_str(actual, expected) \
	assert_str_((actual), (expected), #actual, __FILE__, __LINE__)

static void
assert_str_(const char *a, const char *e, const char *what, const char *file, int line)
{
	if (a == e || (a && e && strcmp(a, e) == 0))
		return;
	print_error("%s is \"%.200s\", expected \"%.200s\"\n", what, a ? a : "(null)",
		    e ? e : "(null)");
	_fail(file, line);
}

/* bozo_reason must name the fault (a substring of it). */
#define assert_reason(f, fragment) assert_reason_((f), (fragment), __FILE__, __LINE__)

static void
assert_reason_(const struct feed *f, const char *fragment, const char *file, int line)
{
	if (strstr(f->bozo_reason, fragment) != NULL)
		return;
	print_error("bozo_reason is \"%s\", expected it to mention \"%s\"\n", f->bozo_reason,
		    fragment);
	_fail(file, line);
}


static struct feed *
parse_opts(const char *s, size_t n, const char *charset, size_t max_field)
{
	struct feed_parser_opts o = {0};

	o.charset = charset;
	o.max_field = max_field;
	return track(feed_parse(s, n, &o));
}

static struct feed *
parse_n(const char *s, size_t n)
{
	return parse_opts(s, n, NULL, 0);
}

static struct feed *
parse(const char *s)
{
	return parse_n(s, strlen(s));
}

static struct feed_item *
item(struct feed *f, size_t i)
{
	if (i >= f->nkept)
		fail_msg("item %zu asked for, %zu kept", i, f->nkept);
	return &f->items[i];
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2
			: (*p & 0xF8) == 0xF0 ? 3 : -1;

		if (n < 0)
			return 0;
		for (p++; n > 0; n--, p++)
			if ((*p & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

/* UTF-8 to UTF-16 (unit 2) or UTF-32 (unit 4), either byte order, with or
 * without a BOM.  Caller frees. */
static char *
encode_utf(const char *utf8, int unit, int big, int bom, size_t *len)
{
	const unsigned char *p = (const unsigned char *)utf8;
	unsigned char       *out = malloc(strlen(utf8) * 8 + 8), *o = out;

	assert_non_null(out);
#define PUT(v)                                                              \
	do {                                                                \
		uint32_t v_ = (v);                                          \
		int      k_;                                                \
		for (k_ = 0; k_ < unit; k_++)                               \
			*o++ = (unsigned char)(v_ >> (8 * (big ? unit - 1 - k_ : k_))); \
	} while (0)
	if (bom)
		PUT(0xFEFF);
	while (*p) {
		uint32_t cp;

		if (*p < 0x80)
			cp = *p++;
		else if ((*p & 0xE0) == 0xC0)
			cp = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F), p += 2;
		else if ((*p & 0xF0) == 0xE0)
			cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F),
			p += 3;
		else
			cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
			     (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F),
			p += 4;
		if (unit == 2 && cp > 0xFFFF) {
			cp -= 0x10000;
			PUT(0xD800 | (cp >> 10));
			PUT(0xDC00 | (cp & 0x3FF));
		} else {
			PUT(cp);
		}
	}
#undef PUT
	*len = (size_t)(o - out);
	return (char *)out;
}

/* True if s occurs in any text field of the feed or its items. */
static int
feed_contains(const struct feed *f, const char *s)
{
	const char *ff[] = {f->title, f->link, f->description, f->language, f->generator,
			    f->image, f->icon, f->self, f->hub};
	size_t      i, k;

	for (i = 0; i < NELEM(ff); i++)
		if (ff[i] && strstr(ff[i], s))
			return 1;
	for (k = 0; k < f->nkept; k++) {
		const struct feed_item *it = &f->items[k];
		const char *fi[] = {it->id, it->link, it->title, it->author, it->author_email,
				    it->summary, it->content, it->content_src, it->comments};

		for (i = 0; i < NELEM(fi); i++)
			if (fi[i] && strstr(fi[i], s))
				return 1;
		for (i = 0; i < it->ncategories; i++)
			if (strstr(it->categories[i], s))
				return 1;
		for (i = 0; i < it->nenclosures; i++)
			if (strstr(it->enclosures[i].url, s))
				return 1;
	}
	return 0;
}

#define DECL "<?xml version=\"1.0\"?>\n"
#define RSSDOC(body) "<rss version=\"2.0\"><channel><title>T</title>" body "</channel></rss>"

/* ---------------------------------------------------------------- encodings */

static const char CAFE_DOC[] =
	"<?xml version=\"1.0\" encoding=\"%s\"?>\n"
	"<rss version=\"2.0\"><channel><title>caf\303\251 \342\202\254</title>"
	"<item><title>\320\242\320\265\320\272\321\201\321\202 \360\237\223\260</title></item>"
	"</channel></rss>";

struct bomcase {
	const char *decl;
	int         unit, big, bom;
	const char *encoding;
};

static const struct bomcase bom_cases[] = {
	{"utf-16", 2, 0, 1, "UTF-16LE"},
	{"utf-16", 2, 1, 1, "UTF-16BE"},
	{"utf-32", 4, 0, 1, "UTF-32LE"},
	{"utf-32", 4, 1, 1, "UTF-32BE"},
	/* no BOM: the "<?" pattern of XML 1.0 appendix F */
	{"utf-16", 2, 0, 0, "UTF-16LE"},
	{"utf-16", 2, 1, 0, "UTF-16BE"},
	{"utf-32", 4, 0, 0, "UTF-32LE"},
	/* a BOM with a declaration that disagrees: the bytes win */
	{"iso-8859-1", 2, 1, 1, "UTF-16BE"},
};

static void
test_encoding_utf16_32(void **state)
{
	const struct bomcase *c = *state;
	char                  doc[512];
	size_t                n;
	char                 *bytes;
	struct feed          *f;

	snprintf(doc, sizeof(doc), CAFE_DOC, c->decl);
	bytes = encode_utf(doc, c->unit, c->big, c->bom, &n);
	f = parse_n(bytes, n);
	free(bytes);
	assert_str(f->encoding, c->encoding);
	assert_false(f->bozo);
	assert_int_equal(f->format, FEED_RSS20);
	assert_str(f->title, "caf\303\251 \342\202\254");
	/* outside the BMP: a surrogate pair in UTF-16 */
	assert_str(item(f, 0)->title, "\320\242\320\265\320\272\321\201\321\202 \360\237\223\260");
	release(f);
}

static void
test_encoding_utf8_bom(void **state)
{
	/* a UTF-8 BOM, a declaration that says otherwise: the BOM wins */
	const char   doc[] = "\357\273\277<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n"
			     RSSDOC("<item><title>caf\303\251</title></item>");
	struct feed *f = parse_n(doc, sizeof(doc) - 1);

	(void)state;
	assert_str(f->encoding, "UTF-8");
	assert_false(f->bozo);
	assert_str(item(f, 0)->title, "caf\303\251");
	release(f);
}

struct declcase {
	const char *charset; /* in the declaration */
	const char *bytes;   /* the title, in that charset */
	const char *utf8;    /* the title, as it must come out */
	const char *encoding;
};

static const struct declcase decl_cases[] = {
	/* 'café “q” €' */
	{"windows-1252", "caf\351 \223q\224 \200",
	 "caf\303\251 \342\200\234q\342\200\235 \342\202\254", "WINDOWS-1252"},
	/* 'café ñ' */
	{"ISO-8859-1", "caf\351 \361", "caf\303\251 \303\261", "ISO-8859-1"},
	/* 'текст' */
	{"KOI8-R", "\324\305\313\323\324", "\321\202\320\265\320\272\321\201\321\202", "KOI8-R"},
	/* '中文': GB2312 is read as its superset GBK */
	{"gb2312", "\326\320\316\304", "\344\270\255\346\226\207", "GBK"},
	/* '中文' */
	{"big5", "\244\244\244\345", "\344\270\255\346\226\207", "BIG5"},
	/* '한국어': EUC-KR is read as its superset CP949 */
	{"euc-kr", "\307\321\261\271\276\356", "\355\225\234\352\265\255\354\226\264", "CP949"},
	/* '日本語': Shift_JIS is read as CP932 */
	{"Shift_JIS", "\223\372\226{\214\352", "\346\227\245\346\234\254\350\252\236", "CP932"},
	/* '日本語' */
	{"EUC-JP", "\306\374\313\334\270\354", "\346\227\245\346\234\254\350\252\236", "EUC-JP"},
};

static void
test_encoding_declared(void **state)
{
	const struct declcase *c = *state;
	char                   doc[512];
	struct feed           *f;

	snprintf(doc, sizeof(doc),
		 "<?xml version=\"1.0\" encoding=\"%s\"?>\n<rss version=\"2.0\"><channel>"
		 "<title>%s</title><item><title>x %s</title><link>http://e.example/</link></item>"
		 "</channel></rss>",
		 c->charset, c->bytes, c->bytes);
	f = parse(doc);
	assert_str(f->encoding, c->encoding);
	assert_false(f->bozo);
	assert_str(f->title, c->utf8);
	assert_int_equal(f->nkept, 1);
	assert_true(strncmp(item(f, 0)->title, "x ", 2) == 0);
	assert_str(item(f, 0)->title + 2, c->utf8);
	release(f);
}

/* The HTTP charset outranks the XML declaration. */
static void
test_encoding_http_charset_overrides_declaration(void **state)
{
	const char   doc[] = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n"
			     RSSDOC("<item><title>\324\305\313\323\324</title></item>");
	struct feed *f = parse_opts(doc, sizeof(doc) - 1, "koi8-r", 0);

	(void)state;
	assert_str(f->encoding, "KOI8-R");
	assert_false(f->bozo);
	assert_str(item(f, 0)->title, "\321\202\320\265\320\272\321\201\321\202");
	release(f);
}

/* A BOM outranks the HTTP charset (the bytes cannot lie). */
static void
test_encoding_bom_overrides_http_charset(void **state)
{
	const char   doc[] = "\357\273\277<?xml version=\"1.0\"?>\n"
			     RSSDOC("<item><title>caf\303\251</title></item>");
	struct feed *f = parse_opts(doc, sizeof(doc) - 1, "koi8-r", 0);
	char         *u16;
	size_t        n;

	(void)state;
	assert_str(f->encoding, "UTF-8");
	assert_false(f->bozo);
	assert_str(item(f, 0)->title, "caf\303\251");
	release(f);

	u16 = encode_utf(DECL RSSDOC("<item><title>caf\303\251</title></item>"), 2, 0, 1, &n);
	f = parse_opts(u16, n, "windows-1252", 0);
	free(u16);
	assert_str(f->encoding, "UTF-16LE");
	assert_str(item(f, 0)->title, "caf\303\251");
	release(f);
}

/* An HTTP charset nobody knows: reported, then the declaration decides. */
static void
test_encoding_unknown_http_charset(void **state)
{
	const char   doc[] = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n"
			     RSSDOC("<item><title>caf\351</title></item>");
	struct feed *f = parse_opts(doc, sizeof(doc) - 1, "x-no-such-charset", 0);

	(void)state;
	assert_true(f->bozo);
	assert_reason(f, "unknown charset in Content-Type");
	assert_str(f->encoding, "ISO-8859-1");
	assert_str(item(f, 0)->title, "caf\303\251");
	release(f);
}

/* feedparser: "document declared as bogus, but parsed as utf-8". */
static void
test_encoding_unknown_declared_charset(void **state)
{
	const char   doc[] = "<?xml version=\"1.0\" encoding=\"bogus\"?>\n"
			     RSSDOC("<item><title>caf\303\251</title></item>");
	struct feed *f = parse_n(doc, sizeof(doc) - 1);

	(void)state;
	assert_true(f->bozo);
	assert_reason(f, "unknown charset in the XML declaration");
	assert_int_equal(f->bozo_line, 1);
	assert_str(f->encoding, "UTF-8");
	assert_int_equal(f->nkept, 1);
	assert_str(item(f, 0)->title, "caf\303\251");
	release(f);
}

/* Bytes that are not UTF-8 in a UTF-8 document: read as windows-1252, the
 * valid UTF-8 around them kept. */
static void
test_encoding_invalid_utf8_as_cp1252(void **state)
{
	const char   doc[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\">\n"
			     "<channel>\n<title>caf\351 \223q\224 ok \303\251</title>\n"
			     "<item><title>fine \342\202\254</title></item></channel></rss>";
	struct feed *f = parse_n(doc, sizeof(doc) - 1);

	(void)state;
	assert_true(f->bozo);
	assert_reason(f, "invalid UTF-8 read as windows-1252");
	assert_int_equal(f->bozo_line, 4);
	assert_str(f->encoding, "UTF-8");
	assert_str(f->title, "caf\303\251 \342\200\234q\342\200\235 ok \303\251");
	assert_str(item(f, 0)->title, "fine \342\202\254");
	release(f);
}

/* Bytes invalid in a declared multibyte charset: U+FFFD, reported. */
static void
test_encoding_invalid_bytes_in_declared_charset(void **state)
{
	const char   doc[] = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n"
			     RSSDOC("<item><title>a\201 b</title></item>");
	struct feed *f = parse_n(doc, sizeof(doc) - 1);

	(void)state;
	assert_true(f->bozo);
	assert_reason(f, "invalid in the document's charset");
	assert_str(f->encoding, "CP932");
	assert_str(item(f, 0)->title, "a\357\277\275 b");
	release(f);
}

/* Regression (found by these tests, fixed): a declared UTF-16 (or UTF-32) in ASCII-compatible bytes is ignored
 * silently.  sniff_decide()'s own comment says it "falls back to UTF-8 and is
 * reported", and feedparser sets bozo for it; we report nothing.
 * Repro: <?xml version="1.0" encoding="utf-16"?>\n<rss version="2.0"><channel>
 *        <title>café</title></channel></rss>   (plain UTF-8 bytes): bozo 0 */
static void
test_encoding_declared_utf16_in_ascii_bytes_reported(void **state)
{
	const char   doc[] = "<?xml version=\"1.0\" encoding=\"utf-16\"?>\n"
			     RSSDOC("<item><title>caf\303\251</title></item>");
	struct feed *f = parse_n(doc, sizeof(doc) - 1);

	(void)state;
	assert_str(f->encoding, "UTF-8");
	assert_str(item(f, 0)->title, "caf\303\251"); /* read right... */
	assert_true(f->bozo);                          /* ...but said nothing */
	release(f);
}

static void
test_encoding_default_and_json(void **state)
{
	struct feed *f = parse(RSSDOC("<item><title>caf\303\251</title></item>"));

	(void)state;
	assert_str(f->encoding, "UTF-8"); /* no declaration, no BOM */
	assert_false(f->bozo);
	release(f);
	f = parse("{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"caf\303\251\","
		  "\"items\":[]}");
	assert_null(f->encoding);
	assert_str(f->title, "caf\303\251");
	release(f);
}

/* ----------------------------------------------------------------- recovery */

struct rcase {
	const char *doc;
	int         bozo;
	const char *reason; /* a fragment of bozo_reason */
	unsigned    line;
	const char *feed_title;
	size_t      nitems;
	const char *titles[3];
	const char *links[3];
};

static const struct rcase r_ws_before_decl = {
	"  \n<?xml version=\"1.0\"?>\n" RSSDOC("<item><title>one</title></item>"),
	1, "whitespace before the XML declaration", 1, "T", 1, {"one"}, {NULL}};

static const struct rcase r_comment_before_decl = {
	"<!-- generated -->\n<?xml version=\"1.0\"?>\n" RSSDOC("<item><title>one</title></item>"),
	1, "content before the XML declaration", 1, "T", 1, {"one"}, {NULL}};

/* Whitespace before the root is allowed when there is no declaration. */
static const struct rcase r_ws_before_root = {
	"\n\n   " RSSDOC("<item><title>one</title></item>"), 0, "", 0, "T", 1, {"one"}, {NULL}};

static const struct rcase r_html_entities_text = {
	DECL "<rss version=\"2.0\">\n<channel><title>a&nbsp;b</title>\n"
	"<item><title>caf&eacute; &hellip; it&rsquo;s</title></item></channel></rss>",
	1, "HTML entity decoded", 3,
	"a b", /* U+00A0 collapses to a space in plain text */
	1, {"caf\303\251 \342\200\246 it\342\200\231s"}, {NULL}};

static const struct rcase r_html_entities_attr = {
	DECL "<rss version=\"2.0\"><channel><title>T</title>\n\n"
	"<item><title>a</title><link>http://e.example/?q=1&amp;r=&eacute;t&eacute;</link>"
	"<enclosure url=\"http://e.example/&eacute;t&eacute;&hellip;.mp3\" type=\"audio/mpeg\"/>"
	"</item></channel></rss>",
	1, "HTML entity decoded", 4, "T", 1, {"a"},
	{"http://e.example/?q=1&r=\303\251t\303\251"}};

static const struct rcase r_bare_amp = {
	DECL "<rss version=\"2.0\">\n<channel>\n<title>Tom & Jerry</title>\n"
	"<item><title>Q&A</title><link>http://e.example/?a=1&b=2</link></item></channel></rss>",
	1, "bare '&'", 4, "Tom & Jerry", 1, {"Q&A"}, {"http://e.example/?a=1&b=2"}};

static const struct rcase r_undefined_entity = {
	DECL "<rss version=\"2.0\"><channel>\n\n<title>x &foo; y</title>"
	"<item><title>&notanentity; z</title></item></channel></rss>",
	1, "undefined entity kept as text", 4, "x &foo; y", 1, {"&notanentity; z"}, {NULL}};

static const struct rcase r_control_chars = {
	DECL "<rss version=\"2.0\"><channel>\n<title>a\001b\013c\037d\010e</title>"
	"<item><title>\033[1mbold</title></item></channel></rss>",
	1, "control character removed", 3, "abcde", 1, {"[1mbold"}, {NULL}};

static const struct rcase r_lt_no_markup = {
	DECL "<rss version=\"2.0\"><channel>\n\n<title>a < b</title>"
	"<item><title>1 < 2 and 3 > 2</title><link>http://e.example/1</link></item>"
	"<item><title>x <= y</title></item></channel></rss>",
	1, "'<' that starts no markup", 4, "a < b", 2, {"1 < 2 and 3 > 2", "x <= y"},
	{"http://e.example/1", NULL}};

/* Unescaped HTML in a description, a <p> never closed: </description>
 * closes it, and the entries after it are read. */
static const struct rcase r_mismatched_end_tag = {
	DECL "<rss version=\"2.0\"><channel><title>M</title>\n"
	"<item><title>One</title>\n"
	"<description><p>unclosed <b>para</description>\n"
	"<link>http://m.example/1</link></item>\n"
	"<item><title>Two</title><link>http://m.example/2</link></item>\n"
	"<item><title>Three</title></item>\n"
	"</channel></rss>",
	1, "mismatched tag", 4, "M", 3, {"One", "Two", "Three"},
	{"http://m.example/1", "http://m.example/2", NULL}};

/* An unquoted attribute: the tag is dropped, the rest is read. */
static const struct rcase r_broken_tag = {
	DECL "<rss version=\"2.0\"><channel><title>U</title>\n"
	"<item><title>One</title>\n"
	"<enclosure url=http://u.example/a.mp3 length=5/>\n"
	"<link>http://u.example/1</link></item>\n"
	"<item><title>Two</title><link>http://u.example/2</link></item>\n"
	"</channel></rss>",
	1, "not well-formed", 4, "U", 2, {"One", "Two"},
	{"http://u.example/1", "http://u.example/2"}};

/* Cut inside an end tag: the entries before are kept, and the open one
 * too, with what it had. */
static const struct rcase r_truncated = {
	DECL "<rss version=\"2.0\"><channel><title>T</title>\n"
	"<item><title>One</title><link>http://t.example/1</link></item>\n"
	"<item><title>Two</title><link>http://t.example/2</link></item>\n"
	"<item><title>Three</title><link>http://t.example/3</l",
	1, "unclosed token", 5, "T", 3, {"One", "Two", "Three"},
	{"http://t.example/1", "http://t.example/2", "http://t.example/3"}};

/* Cut inside a title: the open entry keeps the text so far. */
static const struct rcase r_truncated_in_text = {
	DECL "<rss version=\"2.0\"><channel><title>T</title>\n"
	"<item><title>One</title></item>\n"
	"<item><link>http://t.example/2</link><title>Tw",
	1, "no element found", 4, "T", 2, {"One", "Tw"}, {NULL, "http://t.example/2"}};

static const struct rcase r_double_dash_comment = {
	DECL "<rss version=\"2.0\"><channel><title>C</title>\n"
	"<!-- a -- b --- c -->\n<item><title>One</title></item></channel></rss>",
	1, "'--' inside a comment", 3, "C", 1, {"One"}, {NULL}};

/* Inside CDATA, & and < are text: nothing to repair, nothing decoded. */
static const struct rcase r_cdata_untouched = {
	DECL "<rss version=\"2.0\"><channel><title>C</title>\n"
	"<item><title><![CDATA[R&D <3]]></title></item></channel></rss>",
	0, "", 0, "C", 1, {"R&D <3"}, {NULL}};

/* The earliest fault is the one reported, whichever stage found it. */
static const struct rcase r_earliest_fault_repair_first = {
	DECL "<rss version=\"2.0\"><channel><title>a&nbsp;b</title>\n"
	"<item><title>One</title>\n<description><p>x</description></item>\n"
	"<item><title>Two</title></item></channel></rss>",
	1, "HTML entity decoded", 2, "a b", 2, {"One", "Two"}, {NULL}};

static const struct rcase r_earliest_fault_expat_first = {
	DECL "<rss version=\"2.0\"><channel><title>T</title>\n"
	"<item><title>One</title><description><p>x</description></item>\n"
	"\n<item><title>Two&nbsp;2</title></item></channel></rss>",
	1, "mismatched tag", 3, "T", 2, {"One", "Two 2"}, {NULL}};

static const struct rcase r_invalid_char_ref = {
	DECL "<rss version=\"2.0\"><channel>\n<title>a&#1;b&#x0;c&#65;&#xD800;</title>"
	"</channel></rss>",
	1, "invalid character reference dropped", 3, "abcA", 0, {NULL}, {NULL}};

/* An entity the internal DTD subset defines is expanded, not repaired. */
static const struct rcase r_dtd_entity = {
	DECL "<!DOCTYPE rss [<!ENTITY me \"Myself\">]>\n"
	RSSDOC("<item><title>&me; &amp; I</title></item>"),
	0, "", 0, "T", 1, {"Myself & I"}, {NULL}};

static void
test_recover(void **state)
{
	const struct rcase *c = *state;
	struct feed        *f = parse(c->doc);
	size_t              i;

	if (f->bozo != c->bozo)
		fail_msg("bozo %d, expected %d (reason \"%s\")", f->bozo, c->bozo, f->bozo_reason);
	if (c->bozo) {
		assert_reason(f, c->reason);
		assert_int_equal(f->bozo_line, c->line);
	} else {
		assert_string_equal(f->bozo_reason, "");
	}
	assert_false(f->not_a_feed);
	assert_str(f->title, c->feed_title);
	assert_int_equal(f->nitems, c->nitems);
	assert_int_equal(f->nkept, c->nitems);
	for (i = 0; i < c->nitems && i < NELEM(c->titles); i++) {
		assert_str(item(f, i)->title, c->titles[i]);
		assert_str(item(f, i)->link, c->links[i]);
	}
	release(f);
}

/* Entities in attribute values reach the enclosure URL decoded too. */
static void
test_recover_entity_in_enclosure_url(void **state)
{
	struct feed *f = parse(r_html_entities_attr.doc);

	(void)state;
	assert_int_equal(item(f, 0)->nenclosures, 1);
	assert_str(item(f, 0)->enclosures[0].url,
		   "http://e.example/\303\251t\303\251\342\200\246.mp3");
	release(f);
}

/* The unclosed <p> is kept, closed, in the summary of its own entry only. */
static void
test_recover_mismatched_keeps_summary(void **state)
{
	struct feed *f = parse(r_mismatched_end_tag.doc);

	(void)state;
	assert_str(item(f, 0)->summary, "<p>unclosed <b>para</b></p>");
	assert_int_equal(item(f, 0)->summary_type, TEXT_HTML);
	assert_null(item(f, 1)->summary);
	release(f);
}

/* Regression (found by these tests, fixed): after a resync (here a mismatched end tag on line 4) item->line counts
 * from the restart point, not the document: the second entry, on line 6, is
 * reported at line 3.  Also seen on feedjira/JustASummary.xml (entry at line
 * 379 reported as 4).
 * Repro: <?xml version="1.0"?>\n<rss version="2.0"><channel>\n
 *        <item><title>One</title>\n<description><p>open</description>\n</item>\n
 *        <item>\n<title>Two</title></item>\n</channel></rss> */
static void
test_recover_item_line_after_resync(void **state)
{
	struct feed *f = parse(DECL "<rss version=\"2.0\"><channel>\n"
				    "<item><title>One</title>\n"
				    "<description><p>open</description>\n"
				    "</item>\n"
				    "<item>\n"
				    "<title>Two</title></item>\n"
				    "</channel></rss>");

	(void)state;
	assert_int_equal(f->bozo_line, 4);
	assert_int_equal(f->nkept, 2);
	assert_int_equal(item(f, 0)->line, 3);
	assert_str(item(f, 1)->title, "Two");
	assert_int_equal(item(f, 1)->line, 6);
	release(f);
}

/* feed->incomplete: the document ended with elements open, or parsing
 * stopped for good before its end (gleanerd then stores nothing of it).
 * A document repaired to its end is complete. */
static void
test_incomplete(void **state)
{
	static const struct {
		const struct rcase *c;
		int                 incomplete;
	} cases[] = {
		{&r_mismatched_end_tag, 0}, {&r_broken_tag, 0}, {&r_bare_amp, 0},
		{&r_undefined_entity, 0},   {&r_lt_no_markup, 0}, {&r_dtd_entity, 0},
		{&r_truncated, 1},          {&r_truncated_in_text, 1},
	};
	static const struct {
		const char *doc;
		int         incomplete;
	} docs[] = {
		{DECL RSSDOC("<item><title>one</title></item>"), 0},
		{DECL RSSDOC("<item><title>one</title></item>") "<junk/>", 0},
		{DECL "<rss version=\"2.0\"><channel><title>T</title><item><title>one</title></item>", 1},
		{DECL "<rss version=\"2.0\"><channel><title>T</title><item><title>on", 1},
		{DECL "<rss version=\"2.0\"><channel><title>T</title><item><title><![CDATA[on", 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct feed *f = parse(cases[i].c->doc);

		if (f->incomplete != cases[i].incomplete)
			fail_msg("recovery case %zu: incomplete %d, expected %d (%s)", i, f->incomplete,
				 cases[i].incomplete, f->bozo_reason);
		release(f);
	}
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct feed *f = parse(docs[i].doc);

		if (f->incomplete != docs[i].incomplete)
			fail_msg("document %zu: incomplete %d, expected %d (%s)", i, f->incomplete,
				 docs[i].incomplete, f->bozo_reason);
		release(f);
	}
}

/* ----------------------------------------------------------------- security */

/* Ten levels of ten: 10^9 "lol"s if expanded.  expat's amplification limit
 * stops it: quick, small, reported. */
static void
test_security_billion_laughs(void **state)
{
	struct buf          doc;
	struct feed_parser *p;
	struct feed        *f;
	double              t0;
	int                 i, k, rc;

	(void)state;
	buf_init(&doc, 0);
	buf_adds(&doc, "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol0 \"lol\">\n");
	for (i = 1; i < 10; i++) {
		buf_printf(&doc, "<!ENTITY lol%d \"", i);
		for (k = 0; k < 10; k++)
			buf_printf(&doc, "&lol%d;", i - 1);
		buf_adds(&doc, "\">\n");
	}
	buf_adds(&doc, "]>\n<rss version=\"2.0\"><channel><title>&lol9;</title>"
		       "<item><title>after</title></item></channel></rss>");
	t0 = now();
	p = feed_parser_new(NULL);
	assert_non_null(p);
	rc = feed_parser_feed(p, doc.data, doc.len);
	f = track(feed_parser_finish(p));
	feed_parser_free(p);
	buf_free(&doc);
	assert_true(now() - t0 < 5.0);
	assert_int_equal(rc, -1); /* stopped for good */
	assert_true(f->bozo);
	assert_reason(f, "amplification");
	assert_true(f->incomplete);
	assert_true(f->title == NULL || strlen(f->title) < 64 * 1024);
	for (i = 0; i < (int)f->nkept; i++)
		assert_true(item(f, (size_t)i)->title == NULL ||
			    strlen(item(f, (size_t)i)->title) < 64 * 1024);
	release(f);
}

/* External entities are never read: neither a general entity to a file nor
 * a parameter entity to a file (which would define one). */
static void
test_security_external_file_entity(void **state)
{
	char         path[] = "/tmp/gleaner-xxe-XXXXXX";
	char         doc[2048];
	int          fd;
	struct feed *f;
	static const char secret[] = "<!ENTITY leak \"GLEANER-SECRET-7731\">\nGLEANER-SECRET-7731\n";

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, secret, sizeof(secret) - 1), (ssize_t)(sizeof(secret) - 1));
	close(fd);

	f = parse(DECL "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
		       RSSDOC("<item><title>x&xxe;y</title><description>&xxe;</description>"
			      "<link>http://e.example/&xxe;</link></item>"));
	assert_false(feed_contains(f, "root:"));
	assert_int_equal(f->nkept, 1);
	assert_str(item(f, 0)->title, "xy");
	release(f);

	snprintf(doc, sizeof(doc),
		 DECL "<!DOCTYPE rss [<!ENTITY sec SYSTEM \"file://%s\">"
		      "<!ENTITY %% pe SYSTEM \"file://%s\"> %%pe;]>\n"
		      RSSDOC("<item><title>a&sec;b</title><description>&leak;</description></item>"),
		 path, path);
	f = parse(doc);
	unlink(path);
	assert_false(feed_contains(f, "GLEANER-SECRET"));
	assert_int_equal(f->nkept, 1);
	assert_str(item(f, 0)->title, "ab");
	release(f);
}

/* A parameter entity pointing at an http URL: no connection is made.  A
 * listening socket on an ephemeral port would have a connection waiting in
 * its backlog if the parser had tried. */
static void
test_security_parameter_entity_http(void **state)
{
	struct sockaddr_in sa;
	socklen_t          sl = sizeof(sa);
	int                s, c, fl;
	char               doc[1024];
	struct feed       *f;

	(void)state;
	s = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(s, 8), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &sl), 0);

	snprintf(doc, sizeof(doc),
		 DECL "<!DOCTYPE rss [<!ENTITY ext SYSTEM \"http://127.0.0.1:%d/ext.txt\">"
		      "<!ENTITY %% pe SYSTEM \"http://127.0.0.1:%d/evil.dtd\"> %%pe;]>\n"
		      RSSDOC("<item><title>pe&ext;</title></item>"),
		 ntohs(sa.sin_port), ntohs(sa.sin_port));
	f = parse(doc);
	assert_int_equal(f->nkept, 1);
	assert_str(item(f, 0)->title, "pe");

	fl = fcntl(s, F_GETFL);
	assert_int_equal(fcntl(s, F_SETFL, fl | O_NONBLOCK), 0);
	c = accept(s, NULL, NULL);
	if (c >= 0)
		close(c);
	close(s);
	assert_true(c < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
	release(f);
}

/* 100,000 nested elements between two items, and as many inside one. */
static void
test_security_deep_nesting(void **state)
{
	const size_t depth = 100000;
	struct buf   doc;
	struct feed *f;
	size_t       i;
	double       t0;

	(void)state;
	buf_init(&doc, 0);
	buf_adds(&doc, DECL "<rss version=\"2.0\"><channel><title>deep</title>"
			    "<item><title>before</title></item>");
	for (i = 0; i < depth; i++)
		buf_adds(&doc, "<x>");
	buf_adds(&doc, "<item><title>buried</title></item>");
	for (i = 0; i < depth; i++)
		buf_adds(&doc, "</x>");
	buf_adds(&doc, "<item><title>inside</title><description>");
	for (i = 0; i < depth; i++)
		buf_adds(&doc, "<div>");
	buf_adds(&doc, "core");
	for (i = 0; i < depth; i++)
		buf_adds(&doc, "</div>");
	buf_adds(&doc, "</description></item><item><title>after</title></item></channel></rss>");
	assert_false(doc.truncated);

	t0 = now();
	f = parse_n(doc.data, doc.len);
	buf_free(&doc);
	assert_true(now() - t0 < 10.0);
	assert_false(f->bozo);
	assert_str(f->title, "deep");
	/* the items outside the nesting come out in order */
	assert_true(f->nkept >= 3);
	assert_str(item(f, 0)->title, "before");
	assert_str(item(f, f->nkept - 2)->title, "inside");
	assert_str(item(f, f->nkept - 1)->title, "after");
	assert_non_null(item(f, f->nkept - 2)->summary);
	assert_non_null(strstr(item(f, f->nkept - 2)->summary, "core"));
	assert_true(strlen(item(f, f->nkept - 2)->summary) <= 8 * MIB);
	release(f);
}

/* A 10 MB title is cut to the 1 MiB field cap; the parse goes on. */
static void
test_security_huge_title_capped(void **state)
{
	const size_t big = 10 * MIB;
	struct buf   doc;
	struct feed *f;

	(void)state;
	buf_init(&doc, 0);
	buf_adds(&doc, DECL "<rss version=\"2.0\"><channel><title>");
	for (size_t i = 0; i < big / 64; i++)
		buf_adds(&doc, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	buf_adds(&doc, "</title><item><title>");
	for (size_t i = 0; i < big / 64; i++)
		buf_adds(&doc, "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
	buf_adds(&doc, "</title><link>http://big.example/1</link></item>"
		       "<item><title>small</title></item></channel></rss>");
	f = parse_n(doc.data, doc.len);
	buf_free(&doc);
	assert_non_null(f->title);
	assert_true(strlen(f->title) <= MIB);
	assert_true(strlen(f->title) >= MIB / 2);
	assert_int_equal(f->title[0], 'A');
	assert_int_equal(f->nkept, 2);
	assert_true(strlen(item(f, 0)->title) <= MIB);
	assert_int_equal(item(f, 0)->title[0], 'B');
	assert_str(item(f, 0)->link, "http://big.example/1");
	assert_str(item(f, 1)->title, "small");
	release(f);
}

/* Regression (found by these tests, fixed): the field cap cuts bytes, not characters: a title of 4 Mi "€" (3
 * bytes each) is cut at exactly 1 MiB, in the middle of a character, and
 * the stored title ends in a lone 0xE2: invalid UTF-8 handed to the output
 * and the database.  (charset.c's out_add backs off to a boundary; the
 * capture buffer does not.)
 * Repro: <rss version="2.0"><channel><title> + "€" x 4194304 + </title>... */
static void
test_security_capped_title_valid_utf8(void **state)
{
	struct buf   doc;
	struct feed *f;

	(void)state;
	buf_init(&doc, 0);
	buf_adds(&doc, DECL "<rss version=\"2.0\"><channel><title>");
	for (size_t i = 0; i < (4 * MIB) / 8; i++)
		buf_adds(&doc, "\342\202\254\342\202\254\342\202\254\342\202\254"
			       "\342\202\254\342\202\254\342\202\254\342\202\254");
	buf_adds(&doc, "</title></channel></rss>");
	f = parse_n(doc.data, doc.len);
	buf_free(&doc);
	assert_non_null(f->title);
	assert_true(strlen(f->title) <= MIB);
	assert_true(utf8_valid(f->title));
	release(f);
}

/* Regression (found by these tests, fixed): feed_parser_opts.max_field ("cap for one text field", gleaner.h) is
 * never read: the XML back end always uses its built-in 1 MiB.
 * Repro: opts.max_field = 16; parse a feed whose title is 100 characters:
 * the title comes back whole. */
static void
test_security_max_field_option(void **state)
{
	char         doc[512], title[101];
	struct feed *f;

	(void)state;
	memset(title, 'z', 100);
	title[100] = '\0';
	snprintf(doc, sizeof(doc), DECL RSSDOC("<item><title>%s</title></item>"), title);
	f = parse_opts(doc, strlen(doc), NULL, 16);
	assert_int_equal(f->nkept, 1);
	assert_true(strlen(item(f, 0)->title) <= 16);
	release(f);
}

/* Regression (found by these tests, fixed): JSON Feed fields are not capped at all: a 5 MiB title (the body is
 * under the 16 MiB JSON cap) comes back whole, where the same title in XML
 * is cut to the 1 MiB field cap that gleaner.h documents.
 * Repro: {"version":"https://jsonfeed.org/version/1.1","title":"T" x 5 MiB,
 *         "items":[]} */
static void
test_security_json_field_capped(void **state)
{
	struct buf   doc;
	struct feed *f;

	(void)state;
	buf_init(&doc, 0);
	buf_adds(&doc, "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"");
	for (size_t i = 0; i < (5 * MIB) / 64; i++)
		buf_adds(&doc, "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT");
	buf_adds(&doc, "\",\"items\":[{\"id\":\"1\",\"title\":\"ok\"}]}");
	f = parse_n(doc.data, doc.len);
	buf_free(&doc);
	assert_int_equal(f->format, FEED_JSON11);
	assert_int_equal(f->nkept, 1);
	assert_non_null(f->title);
	assert_true(strlen(f->title) <= MIB);
	release(f);
}

/* A JSON body over opts.max_json is refused, not half-read. */
static void
test_security_json_body_cap(void **state)
{
	const char              doc[] = "{\"version\":\"https://jsonfeed.org/version/1.1\","
					"\"items\":[{\"id\":\"1\",\"title\":\"a fairly long title\"}]}";
	struct feed_parser_opts o = {0};
	struct feed            *f;

	(void)state;
	o.max_json = 32;
	f = track(feed_parse(doc, sizeof(doc) - 1, &o));
	assert_true(f->bozo);
	assert_reason(f, "JSON body larger than 32 bytes");
	assert_true(f->incomplete);
	assert_int_equal(f->nkept, 0);
	release(f);
}

static void
test_not_a_feed_html(void **state)
{
	struct feed *f = parse("<!DOCTYPE html>\n<html><head><title>Just a page</title></head>\n"
			       "<body><p>This is a web page, not a feed.</p>"
			       "<a href=\"/feed\">feed</a></body></html>");

	(void)state;
	assert_true(f->not_a_feed);
	assert_true(f->bozo);
	assert_reason(f, "not a feed");
	assert_int_equal(f->format, FEED_UNKNOWN);
	assert_int_equal(f->nitems, 0);
	assert_int_equal(f->nkept, 0);
	assert_null(f->title);
	release(f);
}

static void
test_not_a_feed_other(void **state)
{
	static const struct {
		const char *doc;
		const char *reason;
	} cases[] = {
		{"", "no element found"},
		{"   \n  ", "no element found"},
		{"[1, 2, 3]", "not a JSON Feed"},
		{"{\"version\": \"https://jsonfeed.org/version/1\", \"items\": [ ", "invalid JSON"},
		{"<note><to>you</to></note>", "not a feed"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		struct feed *f = parse(cases[i].doc);

		if (!f->not_a_feed || !f->bozo)
			fail_msg("case %zu: not_a_feed %d bozo %d", i, f->not_a_feed, f->bozo);
		assert_reason(f, cases[i].reason);
		assert_int_equal(f->nkept, 0);
		release(f);
	}
}

#define NAMED(name, fn, st) {name, fn, NULL, teardown, (void *)(st)}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		NAMED("encoding_bom_utf16le", test_encoding_utf16_32, &bom_cases[0]),
		NAMED("encoding_bom_utf16be", test_encoding_utf16_32, &bom_cases[1]),
		NAMED("encoding_bom_utf32le", test_encoding_utf16_32, &bom_cases[2]),
		NAMED("encoding_bom_utf32be", test_encoding_utf16_32, &bom_cases[3]),
		NAMED("encoding_nobom_utf16le", test_encoding_utf16_32, &bom_cases[4]),
		NAMED("encoding_nobom_utf16be", test_encoding_utf16_32, &bom_cases[5]),
		NAMED("encoding_nobom_utf32le", test_encoding_utf16_32, &bom_cases[6]),
		NAMED("encoding_bom_overrides_declaration", test_encoding_utf16_32, &bom_cases[7]),
		NAMED("encoding_bom_utf8", test_encoding_utf8_bom, NULL),
		NAMED("encoding_declared_windows1252", test_encoding_declared, &decl_cases[0]),
		NAMED("encoding_declared_iso8859_1", test_encoding_declared, &decl_cases[1]),
		NAMED("encoding_declared_koi8r", test_encoding_declared, &decl_cases[2]),
		NAMED("encoding_declared_gb2312", test_encoding_declared, &decl_cases[3]),
		NAMED("encoding_declared_big5", test_encoding_declared, &decl_cases[4]),
		NAMED("encoding_declared_euckr", test_encoding_declared, &decl_cases[5]),
		NAMED("encoding_declared_shift_jis", test_encoding_declared, &decl_cases[6]),
		NAMED("encoding_declared_eucjp", test_encoding_declared, &decl_cases[7]),
		NAMED("encoding_http_charset_overrides_declaration",
		      test_encoding_http_charset_overrides_declaration, NULL),
		NAMED("encoding_bom_overrides_http_charset", test_encoding_bom_overrides_http_charset,
		      NULL),
		NAMED("encoding_unknown_http_charset", test_encoding_unknown_http_charset, NULL),
		NAMED("encoding_unknown_declared_charset", test_encoding_unknown_declared_charset, NULL),
		NAMED("encoding_invalid_utf8_as_cp1252", test_encoding_invalid_utf8_as_cp1252, NULL),
		NAMED("encoding_invalid_bytes_in_declared_charset",
		      test_encoding_invalid_bytes_in_declared_charset, NULL),
		NAMED("encoding_declared_utf16_in_ascii_bytes_reported",
		      test_encoding_declared_utf16_in_ascii_bytes_reported, NULL),
		NAMED("encoding_default_and_json", test_encoding_default_and_json, NULL),

		NAMED("recover_whitespace_before_declaration", test_recover, &r_ws_before_decl),
		NAMED("recover_comment_before_declaration", test_recover, &r_comment_before_decl),
		NAMED("recover_whitespace_before_root_not_bozo", test_recover, &r_ws_before_root),
		NAMED("recover_html_entities_in_text", test_recover, &r_html_entities_text),
		NAMED("recover_html_entities_in_attributes", test_recover, &r_html_entities_attr),
		NAMED("recover_entity_in_enclosure_url", test_recover_entity_in_enclosure_url, NULL),
		NAMED("recover_bare_ampersand", test_recover, &r_bare_amp),
		NAMED("recover_undefined_entity_kept", test_recover, &r_undefined_entity),
		NAMED("recover_control_characters", test_recover, &r_control_chars),
		NAMED("recover_lt_starting_no_markup", test_recover, &r_lt_no_markup),
		NAMED("recover_mismatched_end_tag", test_recover, &r_mismatched_end_tag),
		NAMED("recover_mismatched_keeps_summary", test_recover_mismatched_keeps_summary, NULL),
		NAMED("recover_broken_tag", test_recover, &r_broken_tag),
		NAMED("recover_truncated_in_tag", test_recover, &r_truncated),
		NAMED("recover_truncated_in_text", test_recover, &r_truncated_in_text),
		NAMED("recover_double_dash_in_comment", test_recover, &r_double_dash_comment),
		NAMED("recover_cdata_untouched", test_recover, &r_cdata_untouched),
		NAMED("recover_earliest_fault_repair", test_recover, &r_earliest_fault_repair_first),
		NAMED("recover_earliest_fault_expat", test_recover, &r_earliest_fault_expat_first),
		NAMED("recover_invalid_char_reference", test_recover, &r_invalid_char_ref),
		NAMED("recover_dtd_entity_expanded", test_recover, &r_dtd_entity),
		NAMED("recover_item_line_after_resync", test_recover_item_line_after_resync, NULL),
		NAMED("incomplete_document", test_incomplete, NULL),

		NAMED("security_billion_laughs", test_security_billion_laughs, NULL),
		NAMED("security_external_file_entity", test_security_external_file_entity, NULL),
		NAMED("security_parameter_entity_http", test_security_parameter_entity_http, NULL),
		NAMED("security_deep_nesting", test_security_deep_nesting, NULL),
		NAMED("security_huge_title_capped", test_security_huge_title_capped, NULL),
		NAMED("security_capped_title_valid_utf8", test_security_capped_title_valid_utf8, NULL),
		NAMED("security_max_field_option", test_security_max_field_option, NULL),
		NAMED("security_json_field_capped", test_security_json_field_capped, NULL),
		NAMED("security_json_body_cap", test_security_json_body_cap, NULL),
		NAMED("not_a_feed_html", test_not_a_feed_html, NULL),
		NAMED("not_a_feed_other", test_not_a_feed_other, NULL),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
