/*
 * test_opml.c: lib/opml.c, the OPML reader and writer.
 *
 * Fixtures in tests/data/opml/ imitate what Feedly, Inoreader, newsboat,
 * NetNewsWire, FreshRSS and Miniflux export, plus nested folders, name case
 * variants, sloppy entities and declared encodings; tests/data/opml/malformed/
 * holds documents that must be rejected whole, with the line named.  The
 * writer is checked against a golden document, by re-reading its output with
 * a bare expat parser, and by round trips of generated lists.
 */
#include <expat.h>
#include <stdio.h>

#include "testutil.h"

#define NELEM(a)  (sizeof(a) / sizeof((a)[0]))
#define FIXTURES  "tests/data/opml/"

/* ------------------------------------------------------------------ helpers */

#define assert_str(actual, expected) assert_str_((actual), (expected), #actual, __FILE__, __LINE__)

static void
assert_str_(const char *a, const char *e, const char *what, const char *file, int line)
{
	if (a == e || (a && e && strcmp(a, e) == 0))
		return;
	print_error("%s is \"%.300s\", expected \"%.300s\"\n", what, a ? a : "(null)", e ? e : "(null)");
	_fail(file, line);
}

static char *
load(const char *path, size_t *len)
{
	FILE  *fp = fopen(path, "rb");
	char  *p;
	long   n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	p[n] = '\0';
	*len = (size_t)n;
	return p;
}

static struct opml *
parse_file(const char *name, char *err, size_t errsz)
{
	size_t       len;
	char        *data = load(name, &len);
	struct opml *o = opml_parse(data, len, err, errsz);

	free(data);
	return o;
}

static struct opml *
parse_str(const char *s, char *err, size_t errsz)
{
	return opml_parse(s, strlen(s), err, errsz);
}

static const struct opml_feed *
find(const struct opml *o, const char *url)
{
	size_t i;

	for (i = 0; i < o->nfeeds; i++)
		if (strcmp(o->feeds[i].url, url) == 0)
			return &o->feeds[i];
	print_error("no feed %s\n", url);
	fail();
	return NULL;
}

/* The tags, in order, joined with '|'. */
static const char *
tags_of(const struct opml_feed *f)
{
	static char out[1024];
	size_t      i;

	out[0] = '\0';
	for (i = 0; i < f->ntags; i++) {
		if (i)
			strcat(out, "|");
		strcat(out, f->tags[i]);
	}
	return out;
}

/* A bare expat parse (no handlers): is the text well-formed? */
static int
well_formed(const char *s, size_t n)
{
	XML_Parser p = XML_ParserCreate(NULL);
	int        ok = XML_Parse(p, s, (int)n, 1) == XML_STATUS_OK;

	if (!ok)
		print_error("expat: line %lu: %s\n", (unsigned long)XML_GetCurrentLineNumber(p),
			    XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	return ok;
}

/* opml_write into memory; the text must be well-formed. */
static char *
write_mem(const struct opml *o, size_t *len)
{
	char  *buf = NULL;
	size_t n = 0;
	FILE  *fp = open_memstream(&buf, &n);

	assert_non_null(fp);
	assert_int_equal(opml_write(fp, o), 0);
	assert_int_equal(fclose(fp), 0);
	assert_true(well_formed(buf, n));
	if (len)
		*len = n;
	return buf;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_feed_url(const void *a, const void *b)
{
	return strcmp(((const struct opml_feed *)a)->url, ((const struct opml_feed *)b)->url);
}

/* Same feeds (by URL), titles, htmlUrls and tag sets; sorts both lists. */
static void
assert_same_lists(struct opml *a, struct opml *b)
{
	size_t i, j;

	assert_str(a->title, b->title);
	assert_int_equal(a->nfeeds, b->nfeeds);
	qsort(a->feeds, a->nfeeds, sizeof(*a->feeds), cmp_feed_url);
	qsort(b->feeds, b->nfeeds, sizeof(*b->feeds), cmp_feed_url);
	for (i = 0; i < a->nfeeds; i++) {
		struct opml_feed *x = &a->feeds[i], *y = &b->feeds[i];

		assert_str(x->url, y->url);
		assert_str(x->title, y->title);
		assert_str(x->html_url, y->html_url);
		assert_int_equal(x->ntags, y->ntags);
		if (x->ntags) {
			qsort(x->tags, x->ntags, sizeof(char *), cmp_str);
			qsort(y->tags, y->ntags, sizeof(char *), cmp_str);
		}
		for (j = 0; j < x->ntags; j++)
			assert_str(x->tags[j], y->tags[j]);
	}
}

/* ----------------------------------------------------- real-world exports */

static void
test_feedly(void **state)
{
	char         err[256];
	struct opml *o = parse_file(FIXTURES "feedly.opml", err, sizeof(err));
	const struct opml_feed *f;

	assert_non_null(o);
	assert_str(err, "");
	assert_str(o->title, "Alice subscriptions in feedly Cloud");
	assert_int_equal(o->nfeeds, 3); /* Ars Technica is listed twice */
	f = &o->feeds[0];
	assert_str(f->url, "https://feeds.arstechnica.com/arstechnica/index");
	assert_str(f->title, "Ars Technica"); /* the first title wins... */
	assert_str(f->html_url, "https://arstechnica.com"); /* ...and the first htmlUrl */
	assert_str(tags_of(f), "Tech|News");                /* tags united */
	f = &o->feeds[1];
	assert_str(f->url, "https://lwn.net/headlines/rss");
	assert_str(tags_of(f), "Tech");
	f = &o->feeds[2];
	assert_str(f->title, "BBC News - World");
	assert_str(f->html_url, "https://www.bbc.co.uk/news/");
	assert_str(tags_of(f), "News");
	opml_free(o);
}

static void
test_inoreader(void **state)
{
	char         err[256];
	struct opml *o = parse_file(FIXTURES "inoreader.opml", err, sizeof(err));

	assert_non_null(o);
	assert_str(o->title, "Subscriptions of Bob from Inoreader [https://www.inoreader.com]");
	assert_int_equal(o->nfeeds, 3);
	assert_str(tags_of(find(o, "https://jvns.ca/atom.xml")), "Blogs");
	assert_str(tags_of(find(o, "https://api.quantamagazine.org/feed/")), "Science & Nature");
	assert_int_equal(find(o, "https://xkcd.com/rss.xml")->ntags, 0);
	assert_str(find(o, "https://xkcd.com/rss.xml")->html_url, "https://xkcd.com/");
	opml_free(o);
}

static void
test_newsboat(void **state)
{
	char         err[256];
	struct opml *o = parse_file(FIXTURES "newsboat.opml", err, sizeof(err));
	const struct opml_feed *f;

	assert_non_null(o);
	assert_str(o->title, "newsboat - Exported Feeds");
	assert_int_equal(o->nfeeds, 3);
	f = find(o, "https://www.debian.org/News/news");
	assert_str(f->title, "Debian News"); /* title without text */
	assert_int_equal(f->ntags, 0);
	f = find(o, "https://blog.rust-lang.org/feed.xml");
	assert_str(tags_of(f), "programming|rust"); /* category, trimmed, empties dropped */
	f = find(o, "https://example.net/no-html.xml");
	assert_null(f->html_url);
	opml_free(o);
}

static void
test_netnewswire(void **state)
{
	char         err[256];
	struct opml *o = parse_file(FIXTURES "netnewswire.opml", err, sizeof(err));

	assert_non_null(o);
	assert_str(o->title, "Subscriptions-OnMyMac.opml");
	assert_int_equal(o->nfeeds, 2);
	assert_str(o->feeds[0].url, "https://daringfireball.net/feeds/main");
	assert_int_equal(o->feeds[0].ntags, 0);
	assert_str(o->feeds[1].url, "https://feedpress.me/sixcolors?type=xml&x=1");
	assert_str(tags_of(&o->feeds[1]), "Apple");
	opml_free(o);
}

static void
test_freshrss(void **state)
{
	char         err[256];
	struct opml *o = parse_file(FIXTURES "freshrss.opml", err, sizeof(err));
	const struct opml_feed *f;

	assert_non_null(o);
	assert_str(o->title, "FreshRSS");
	assert_int_equal(o->nfeeds, 2);
	f = find(o, "https://github.com/FreshRSS/FreshRSS/releases.atom");
	assert_str(f->title, "FreshRSS releases"); /* text without title */
	assert_str(tags_of(f), "Sans cat\303\251gorie");
	assert_str(tags_of(find(o, "https://www.phoronix.com/rss.php")), "Linux");
	opml_free(o);
}

static void
test_miniflux(void **state)
{
	char         err[256];
	struct opml *o = parse_file(FIXTURES "miniflux.opml", err, sizeof(err));

	assert_non_null(o);
	assert_str(o->title, "Miniflux");
	assert_int_equal(o->nfeeds, 1);
	assert_str(o->feeds[0].title, "Hacker News");
	assert_str(tags_of(&o->feeds[0]), "All");
	opml_free(o);
}

static void
test_nested(void **state)
{
	char         err[256];
	struct opml *o = parse_file(FIXTURES "nested.opml", err, sizeof(err));
	const struct opml_feed *f;

	assert_non_null(o);
	assert_str(err, "");
	assert_str(o->title, "Nested"); /* trimmed */
	/* The outline inside <head> and the ones without xmlUrl are not feeds. */
	assert_int_equal(o->nfeeds, 8);
	/* The folder path, outermost first; title preferred over text, trimmed. */
	assert_str(tags_of(find(o, "https://example.org/deep.xml")), "Top|Middle|Deep");
	/* URL trimmed; category entries appended, deduplicated against the path. */
	f = find(o, "https://example.org/middle.xml");
	assert_str(f->title, "Middle feed");
	assert_str(tags_of(f), "Top|Middle|Extra|Other");
	assert_str(tags_of(find(o, "https://example.org/top.xml")), "Top");
	/* Folders without a usable title add no tag. */
	assert_int_equal(find(o, "https://example.org/untitled.xml")->ntags, 0);
	assert_int_equal(find(o, "https://example.org/blank.xml")->ntags, 0);
	/* A feed is not a folder: its children are feeds with the same path. */
	assert_int_equal(find(o, "https://example.org/child.xml")->ntags, 0);
	assert_str(find(o, "https://example.org/parent.xml")->title, "Parent feed");
	/* Blank title and text: no title. */
	assert_null(find(o, "https://example.org/untitled-feed.xml")->title);
	/* Feed order is document order. */
	assert_str(o->feeds[0].url, "https://example.org/deep.xml");
	assert_str(o->feeds[7].url, "https://example.org/untitled-feed.xml");
	opml_free(o);
}

static void
test_case_variants(void **state)
{
	char         err[256];
	struct opml *o = parse_file(FIXTURES "case.opml", err, sizeof(err));
	const struct opml_feed *f;

	assert_non_null(o);
	assert_str(o->title, "Case");
	assert_int_equal(o->nfeeds, 4); /* type="link" with url= is not a feed */
	f = find(o, "https://example.org/lower.xml");
	assert_str(f->html_url, "https://example.org/lower");
	assert_str(tags_of(f), "Folder");
	f = find(o, "https://example.org/upper.xml");
	assert_str(f->title, "upper");
	assert_str(f->html_url, "https://example.org/upper");
	assert_str(find(o, "https://example.org/mixed.xml")->title, "mixed");
	assert_str(find(o, "https://example.org/notype.xml")->title, "no type");
	opml_free(o);
}

static void
test_sloppy_entities(void **state)
{
	char         err[256];
	struct opml *o = parse_file(FIXTURES "sloppy.opml", err, sizeof(err));
	const struct opml_feed *f;

	assert_non_null(o);
	/* The first repair, on line 3 (&nbsp; in the head title). */
	assert_str(err, "repaired: line 3: HTML entity decoded");
	assert_str(o->title, "Sloppy\302\240export");
	assert_int_equal(o->nfeeds, 5);
	f = find(o, "https://example.org/feed?a=1&b=2"); /* bare '&' in a URL */
	assert_str(f->title, "Tom & Jerry\302\240Blog");
	assert_str(f->html_url, "https://example.org/?x=1&y=2");
	assert_str(tags_of(f), "Caf\303\251s");
	/* A legacy name without ';' stays text (as in a URL query, "&copy=2"). */
	assert_str(find(o, "https://example.org/c.xml")->title, "Copyright &copy 2024");
	assert_str(find(o, "https://example.org/bell.xml")->title, "Bellhere");
	assert_str(find(o, "https://example.org/num.xml")->title, "Num \303\251\303\251 ok");
	/* A Latin-1 byte in a UTF-8 document, read as windows-1252. */
	f = find(o, "https://example.org/latin1.xml");
	assert_str(f->title, "Caf\303\251 latin1");
	assert_int_equal(f->ntags, 0);
	opml_free(o);
}

static void
test_repair_notes(void **state)
{
	static const struct {
		const char *doc, *note, *title;
	} cases[] = {
		{"<opml><body>\n<outline text='a & b' xmlUrl='u'/></body></opml>",
		 "repaired: line 2: bare '&' escaped", "a & b"},
		{"<opml><body>\n\n<outline text='a\001b' xmlUrl='u'/></body></opml>",
		 "repaired: line 3: control character removed", "ab"},
		{"<opml><body><outline text='\xe9t\xe9 \x80' xmlUrl='u'/></body></opml>",
		 "repaired: line 1: invalid UTF-8 read as windows-1252", "\303\251t\303\251 \342\202\254"},
		{"<opml><body><outline text='&hellip;&amp;&lt;&#38;&#x26;&bogus;' xmlUrl='u'/></body></opml>",
		 "repaired: line 1: HTML entity decoded", "\342\200\246&<&&&bogus;"},
		{"<opml><body><outline text='x&#;y' xmlUrl='u'/></body></opml>",
		 "repaired: line 1: bare '&' escaped", "x&#;y"},
		/* Declared Latin-1: bytes are not UTF-8 errors; the entity is still decoded. */
		{"<?xml version='1.0' encoding='iso-8859-1'?><opml><body><outline text='\xe9&nbsp;' "
		 "xmlUrl='u'/></body></opml>",
		 "repaired: line 1: HTML entity decoded", "\303\251\302\240"},
	};
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		char         err[256];
		struct opml *o = parse_str(cases[i].doc, err, sizeof(err));

		assert_non_null(o);
		assert_str(err, cases[i].note);
		assert_int_equal(o->nfeeds, 1);
		assert_str(o->feeds[0].title, cases[i].title);
		opml_free(o);
	}
}

static void
test_encodings(void **state)
{
	static const char ascii[] = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<opml><body><outline "
				    "text=\"x\" xmlUrl=\"https://example.org/16\"/></body></opml>";
	char         err[256], u16[2 * sizeof(ascii) + 2];
	struct opml *o;
	size_t       i;

	o = parse_file(FIXTURES "latin1.opml", err, sizeof(err));
	assert_non_null(o);
	assert_str(o->title, "D\303\251j\303\240 vu");
	assert_str(o->feeds[0].title, "\303\207a va");
	opml_free(o);
	/* Only expat's own encodings (UTF-8, UTF-16, ISO-8859-1, US-ASCII) are read. */
	assert_null(parse_file(FIXTURES "cp1252.opml", err, sizeof(err)));
	assert_str(err, "line 1: unknown encoding");
	/* UTF-16LE with a BOM */
	u16[0] = (char)0xFF, u16[1] = (char)0xFE;
	for (i = 0; i < sizeof(ascii) - 1; i++)
		u16[2 + 2 * i] = ascii[i], u16[3 + 2 * i] = 0;
	o = opml_parse(u16, 2 + 2 * (sizeof(ascii) - 1), err, sizeof(err));
	assert_non_null(o);
	assert_str(o->feeds[0].url, "https://example.org/16");
	opml_free(o);
	/* ...never misread. */
	o = parse_str("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><opml><body/></opml>", err, sizeof(err));
	assert_null(o);
	assert_str(err, "line 1: unknown encoding");
	/* UTF-8 BOM */
	o = parse_str("\357\273\277<opml><body><outline text='b' xmlUrl='u'/></body></opml>", err, sizeof(err));
	assert_non_null(o);
	assert_str(o->feeds[0].title, "b");
	opml_free(o);
}

static void
test_leading_whitespace(void **state)
{
	char         err[256];
	struct opml *o = parse_file(FIXTURES "leading-space.opml", err, sizeof(err));

	assert_non_null(o);
	assert_str(err, "repaired: line 1: whitespace before the XML declaration dropped");
	assert_null(o->title);
	assert_str(o->feeds[0].url, "https://example.org/lead.xml");
	opml_free(o);
	/* Lines are still counted from the top of the file. */
	o = parse_str("\n\n<?xml version='1.0'?>\n<opml><body>\n</opml>", err, sizeof(err));
	assert_null(o);
	assert_str(err, "line 5: mismatched tag");
}

static void
test_empty_body(void **state)
{
	char         err[256];
	struct opml *o = parse_str("<opml version='2.0'><head/><body/></opml>", err, sizeof(err));

	assert_non_null(o);
	assert_int_equal(o->nfeeds, 0);
	assert_null(o->feeds);
	assert_null(o->title);
	opml_free(o);
	opml_free(NULL);
}

/* --------------------------------------------------------------- malformed */

static void
test_malformed_files(void **state)
{
	static const struct {
		const char *file, *err;
	} cases[] = {
		{"mismatched.opml", "line 7: mismatched tag"},
		{"unclosed.opml", "line 5: the document ends with 2 unclosed elements"},
		{"rss-root.opml", "line 3: the root element is <rss>, not <opml>"},
		{"no-body.opml", "line 5: no <body> in <opml>"},
		{"html.opml", "line 2: the root element is <html>, not <opml>"},
		{"billion-laughs.opml", "line 3: entity declarations are not allowed (<!ENTITY lol>)"},
		{"xxe.opml", "line 4: entity declarations are not allowed (<!ENTITY xxe>)"},
		{"junk-after.opml", "line 5: junk after document element"},
		{"bad-attr.opml", "line 5: not well-formed (invalid token)"},
		{"empty.opml", "line 1: no element found"},
	};
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		char path[256], err[256];

		snprintf(path, sizeof(path), FIXTURES "malformed/%s", cases[i].file);
		strcpy(err, "unchanged");
		assert_null(parse_file(path, err, sizeof(err)));
		assert_str(err, cases[i].err);
	}
}

static void
test_malformed_inline(void **state)
{
	static const struct {
		const char *doc, *err;
	} cases[] = {
		{"<opml><body>\n<outline text='a' xmlUrl='u'>\n</body></opml>", "line 3: mismatched tag"},
		{"<opml>\n<body>\n<outline text='a' xmlUrl='u' text='b'/></body></opml>",
		 "line 3: duplicate attribute"},
		{"<opml><body><outline xmlUrl='u'/></body></opml>\n\n<x/>", "line 3: junk after document element"},
		{"", "line 1: no element found"},
		{"   \n", "line 2: no element found"},
		{"plain text", "line 1: syntax error"},
		{"<opml>\n<head/>\n</opml>", "line 3: no <body> in <opml>"},
		{"<opml>\n<head><body/></head>\n</opml>", "line 3: no <body> in <opml>"}, /* not opml's child */
		{"<feed xmlns='http://www.w3.org/2005/Atom'/>", "line 1: the root element is <feed>, not <opml>"},
		/* A repair does not hide a structural error after it. */
		{"<opml><body>\n<outline text='&nbsp;' xmlUrl='u'>\n</body></opml>", "line 3: mismatched tag"},
		{"<opml><body><outline text='&#0;' xmlUrl='u'/></body></opml>",
		 "line 1: reference to invalid character number"},
		{"<?xml version='1.0'?>\n<!DOCTYPE opml [\n<!ENTITY % p SYSTEM 'file:///etc/passwd'>\n%p;\n]>"
		 "<opml><body/></opml>",
		 "line 3: entity declarations are not allowed (<!ENTITY p>)"},
		/* Comment before the declaration: expat's rule stands. */
		{"<!-- x -->\n<?xml version='1.0'?><opml><body/></opml>",
		 "line 2: XML or text declaration not at start of entity"},
	};
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		char err[256];

		assert_null(parse_str(cases[i].doc, err, sizeof(err)));
		assert_str(err, cases[i].err);
	}
}

static void
test_external_dtd_not_loaded(void **state)
{
	/* An external DTD is named but never fetched; undefined entities in
	 * content are skipped rather than fatal once there is one. */
	char         err[256];
	struct opml *o = parse_str("<?xml version='1.0'?>\n<!DOCTYPE opml SYSTEM 'file:///etc/passwd'>\n"
				   "<opml><head><title>t</title></head><body>"
				   "<outline text='a' xmlUrl='u'/></body></opml>",
				   err, sizeof(err));

	assert_non_null(o);
	assert_str(o->title, "t");
	assert_int_equal(o->nfeeds, 1);
	opml_free(o);
}

static void
test_err_buffer(void **state)
{
	char         small[8];
	struct opml *o;

	assert_null(parse_str("<opml/>", NULL, 0)); /* no err wanted */
	assert_null(parse_str("<rss/>", small, sizeof(small)));
	assert_str(small, "line 1:"); /* cut, NUL-terminated */
	assert_null(opml_parse(NULL, 0, small, sizeof(small)));
	o = parse_str("<opml><body/></opml>", small, 0);
	assert_non_null(o);
	opml_free(o);
}

/* -------------------------------------------------------------------- caps */

static char *
many_feeds(size_t n, size_t *len)
{
	struct buf b;
	size_t     i;

	buf_init(&b, 0);
	buf_adds(&b, "<?xml version=\"1.0\"?>\n<opml version=\"2.0\">\n<body>\n");
	for (i = 0; i < n; i++)
		buf_printf(&b, "<outline xmlUrl=\"https://e.org/%zu\"/>\n", i);
	buf_adds(&b, "</body>\n</opml>\n");
	*len = b.len;
	return buf_take(&b);
}

static void
test_cap_feeds(void **state)
{
	char         err[256];
	size_t       len;
	char        *doc = many_feeds(OPML_MAX_FEEDS, &len);
	struct opml *o = opml_parse(doc, len, err, sizeof(err));

	assert_non_null(o);
	assert_int_equal(o->nfeeds, OPML_MAX_FEEDS);
	assert_str(o->feeds[OPML_MAX_FEEDS - 1].url, "https://e.org/99999");
	opml_free(o);
	free(doc);
	doc = many_feeds(OPML_MAX_FEEDS + 1, &len);
	assert_null(opml_parse(doc, len, err, sizeof(err)));
	assert_str(err, "line 100004: more than 100000 feeds");
	free(doc);
}

static void
test_cap_file(void **state)
{
	char   err[256];
	size_t len = (size_t)OPML_MAX_FILE + 1;
	char  *doc = malloc(len);

	assert_non_null(doc);
	memset(doc, ' ', len);
	memcpy(doc, "<opml><body/></opml>", 20);
	assert_null(opml_parse(doc, len, err, sizeof(err)));
	assert_str(err, "line 1: larger than 64 MiB");
	free(doc);
}

static char *
with_string(const char *fmt_head, size_t n, const char *fmt_tail)
{
	struct buf b;
	char      *s = malloc(n + 1);

	memset(s, 'x', n);
	s[n] = '\0';
	buf_init(&b, 0);
	buf_adds(&b, fmt_head);
	buf_adds(&b, s);
	buf_adds(&b, fmt_tail);
	free(s);
	return buf_take(&b);
}

static void
test_cap_strings(void **state)
{
	static const struct {
		const char *head, *tail, *err;
	} cases[] = {
		{"<opml><body>\n<outline xmlUrl='u' text='", "'/></body></opml>", "line 2: title longer than 65536 bytes"},
		{"<opml><body>\n\n<outline xmlUrl='", "'/></body></opml>", "line 3: xmlUrl longer than 65536 bytes"},
		{"<opml><body>\n<outline xmlUrl='u' htmlUrl='", "'/></body></opml>", "line 2: htmlUrl longer than 65536 bytes"},
		{"<opml><body>\n<outline text='", "'><outline xmlUrl='u'/></outline></body></opml>",
		 "line 2: folder title longer than 65536 bytes"},
		{"<opml><body>\n<outline xmlUrl='u' category='a,", "'/></body></opml>", "line 2: tag longer than 65536 bytes"},
		{"<opml><head>\n<title>", "</title>\n</head><body/></opml>", "line 2: head title longer than 65536 bytes"},
	};
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		char         err[256];
		char        *doc = with_string(cases[i].head, OPML_MAX_STR, cases[i].tail);
		struct opml *o = parse_str(doc, err, sizeof(err));

		assert_non_null(o); /* exactly at the cap */
		opml_free(o);
		free(doc);
		doc = with_string(cases[i].head, OPML_MAX_STR + 1, cases[i].tail);
		assert_null(parse_str(doc, err, sizeof(err)));
		assert_str(err, cases[i].err);
		free(doc);
	}
}

static void
test_cap_tags(void **state)
{
	char         err[256];
	struct buf   b;
	struct opml *o;
	size_t       i;

	buf_init(&b, 0);
	buf_adds(&b, "<opml><body>\n<outline xmlUrl='u' category='");
	for (i = 0; i < OPML_MAX_TAGS; i++)
		buf_printf(&b, "/t%zu,/t%zu", i, i); /* each twice: deduplicated */
	buf_adds(&b, "'/></body></opml>");
	o = opml_parse(b.data, b.len, err, sizeof(err));
	assert_non_null(o);
	assert_int_equal(o->feeds[0].ntags, OPML_MAX_TAGS);
	assert_str(o->feeds[0].tags[1023], "t1023");
	opml_free(o);
	b.len -= strlen("'/></body></opml>");
	buf_adds(&b, ",extra'/></body></opml>");
	assert_null(opml_parse(b.data, b.len, err, sizeof(err)));
	assert_str(err, "line 2: more than 1024 tags on one feed");
	buf_free(&b);
}

static void
test_cap_total(void **state)
{
	/* Four nested 60 KiB folder titles give every feed 240 KiB of tags:
	 * the 1,119th feed (line 6 + 1118) passes 256 MiB. */
	char       err[256];
	struct buf b;
	size_t     i;
	char      *t = malloc(60000 + 1);

	memset(t, 'y', 60000);
	t[60000] = '\0';
	buf_init(&b, 0);
	buf_adds(&b, "<opml><body>\n");
	for (i = 0; i < 4; i++)
		buf_printf(&b, "<outline text='%zu%s'>\n", i, t);
	for (i = 0; i < 1200; i++)
		buf_printf(&b, "<outline xmlUrl='u%zu'/>\n", i);
	for (i = 0; i < 4; i++)
		buf_adds(&b, "</outline>");
	buf_adds(&b, "</body></opml>");
	assert_null(opml_parse(b.data, b.len, err, sizeof(err)));
	assert_str(err, "line 1124: the list needs more than 256 MiB");
	buf_free(&b);
	free(t);
}

/* ------------------------------------------------------------------ writer */

static void
test_write_golden(void **state)
{
	char *tags_a[] = {"News", "Tech, Science", " "}, *tags_b[] = {"Tech, Science"},
	     *tags_c[] = {"a/b", "News", "a/b"};
	struct opml_feed feeds[] = {
		{"https://e.org/a", "A & <B>", "https://e.org/?x=1&y=\"2\"", tags_a, 3},
		{"https://e.org/b", NULL, NULL, tags_b, 1},
		{"  https://e.org/none  ", "  None  ", "", NULL, 0},
		{"https://e.org/c", "C\tD\nE", NULL, tags_c, 3},
		{"", "no URL: skipped", NULL, NULL, 0},
	};
	struct opml o = {"Mine & \"yours\"", feeds, NELEM(feeds)};
	static const char want[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<opml version=\"2.0\">\n"
		"  <head>\n"
		"    <title>Mine &amp; \"yours\"</title>\n"
		"  </head>\n"
		"  <body>\n"
		"    <outline type=\"rss\" text=\"None\" title=\"None\" xmlUrl=\"https://e.org/none\"/>\n"
		"    <outline text=\"News\" title=\"News\">\n"
		"      <outline type=\"rss\" text=\"A &amp; &lt;B&gt;\" title=\"A &amp; &lt;B&gt;\" "
		"xmlUrl=\"https://e.org/a\" htmlUrl=\"https://e.org/?x=1&amp;y=&quot;2&quot;\"/>\n"
		"      <outline type=\"rss\" text=\"C&#9;D&#10;E\" title=\"C&#9;D&#10;E\" xmlUrl=\"https://e.org/c\"/>\n"
		"    </outline>\n"
		"    <outline text=\"Tech, Science\" title=\"Tech, Science\">\n"
		"      <outline type=\"rss\" text=\"A &amp; &lt;B&gt;\" title=\"A &amp; &lt;B&gt;\" "
		"xmlUrl=\"https://e.org/a\" htmlUrl=\"https://e.org/?x=1&amp;y=&quot;2&quot;\"/>\n"
		"      <outline type=\"rss\" text=\"\" xmlUrl=\"https://e.org/b\"/>\n"
		"    </outline>\n"
		"    <outline text=\"a/b\" title=\"a/b\">\n"
		"      <outline type=\"rss\" text=\"C&#9;D&#10;E\" title=\"C&#9;D&#10;E\" xmlUrl=\"https://e.org/c\"/>\n"
		"    </outline>\n"
		"  </body>\n"
		"</opml>\n";
	char        *out = write_mem(&o, NULL);
	char         err[256];
	struct opml *back;

	assert_str(out, want);
	back = parse_str(out, err, sizeof(err));
	assert_non_null(back);
	assert_str(err, "");
	assert_int_equal(back->nfeeds, 4);
	assert_str(back->title, "Mine & \"yours\"");
	assert_str(tags_of(find(back, "https://e.org/a")), "News|Tech, Science");
	assert_str(tags_of(find(back, "https://e.org/c")), "News|a/b");
	assert_str(find(back, "https://e.org/c")->title, "C\tD\nE");
	assert_str(find(back, "https://e.org/a")->html_url, "https://e.org/?x=1&y=\"2\"");
	assert_null(find(back, "https://e.org/b")->title);
	opml_free(back);
	free(out);
}

static void
test_write_empty(void **state)
{
	struct opml o = {NULL, NULL, 0};
	char       *out = write_mem(&o, NULL);

	assert_str(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n"
			"  </head>\n  <body>\n  </body>\n</opml>\n");
	free(out);
}

static void
test_write_unrepresentable(void **state)
{
	/* C0 controls cannot be written in XML 1.0: dropped.  Invalid UTF-8 and
	 * U+FFFE become U+FFFD.  CR survives as a reference. */
	char *tags[] = {"t\001ag", "\xff"};
	struct opml_feed f = {"https://e.org/\x02x", "a\x1b" "b\xc3(\xef\xbf\xbe\r\n", NULL, tags, 2};
	struct opml      o = {"T\x7f\x01itle\r", &f, 1};
	char            *out = write_mem(&o, NULL);
	char             err[256];
	struct opml     *back = parse_str(out, err, sizeof(err));

	assert_non_null(back);
	assert_str(back->title, "T\x7fitle");
	assert_int_equal(back->nfeeds, 1);
	assert_str(back->feeds[0].url, "https://e.org/x");
	assert_str(back->feeds[0].title, "ab\357\277\275(\357\277\275");
	assert_str(tags_of(&back->feeds[0]), "tag|\357\277\275");
	opml_free(back);
	free(out);
}

static void
test_write_error(void **state)
{
	struct opml_feed f = {"https://e.org/", "t", NULL, NULL, 0};
	struct opml      o = {"t", &f, 1};
	FILE            *fp = fopen("/dev/full", "w");

	if (fp == NULL)
		skip();
	assert_int_equal(opml_write(fp, &o), -1);
	fclose(fp);
}

/* ------------------------------------------------------------- round trips */

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const pieces[] = {
	"News", "caf\303\251", "\346\227\245\346\234\254\350\252\236", "\360\237\230\200", "\"quoted\"",
	"'apos'", "&", "&amp;", "<b>", ">", "a < b", "Tom & Jerry", "\t", "line\nbreak", "%2C", ",",
	"/", "  ", "]]>", "&nbsp;", "\302\240", "x", "\r", "-->", "\xef\xbf\xbd", "\342\200\256rtl",
};
static const char *const tag_pool[] = {
	"News", "News/World", "Tech", "Tech/Linux/Kernel", "a,b", "a,b/c", "100%", "%2F", "%",
	"\303\234n\303\257c\303\266d\303\251", "Tom & Jerry", "<tag>", "\"q\"", "'s'", "/", ",",
	"..", "x y", "\360\237\223\260 Papers", "A\tB", "line\nfeed",
};

/* A random string of pieces, trimmed; NULL when empty. */
static char *
rnd_text(unsigned maxpieces)
{
	struct buf  b;
	unsigned    i, n = rnd(maxpieces + 1);
	const char *s;
	size_t      len;

	buf_init(&b, 0);
	for (i = 0; i < n; i++)
		buf_adds(&b, pieces[rnd(NELEM(pieces))]);
	s = b.data ? b.data : "";
	len = strlen(s);
	while (len && strchr(" \t\r\n", s[len - 1]))
		len--;
	while (len && strchr(" \t\r\n", *s))
		s++, len--;
	s = len ? xstrndup(s, len) : NULL;
	buf_free(&b);
	return (char *)s;
}

static void
test_roundtrip_5000(void **state)
{
	enum { N = 5000 };
	struct opml o = {NULL, calloc(N, sizeof(struct opml_feed)), N};
	struct opml *back, *again;
	char        *out, *out2, err[256];
	size_t       i, j, k, len, len2, ntagged = 0;

	assert_non_null(o.feeds);
	o.title = rnd_text(6);
	for (i = 0; i < N; i++) {
		struct opml_feed *f = &o.feeds[i];
		char             *q = rnd_text(3);
		struct buf        u;

		buf_init(&u, 0);
		buf_printf(&u, "https://example.org/%zu/feed?q=%s&n=\"%u\"", i, q ? q : "", rnd(1000));
		f->url = buf_take(&u);
		free(q);
		f->title = rnd_text(8);
		f->html_url = rnd(2) ? rnd_text(4) : NULL;
		f->ntags = rnd(4);
		f->tags = calloc(4, sizeof(char *));
		for (j = 0; j < f->ntags; j++) {
			const char *t;

			do { /* distinct tags */
				t = tag_pool[rnd(NELEM(tag_pool))];
				for (k = 0; k < j && strcmp(f->tags[k], t); k++)
					;
			} while (k < j);
			f->tags[j] = strdup(t);
		}
		ntagged += f->ntags > 0;
	}
	assert_true(ntagged > N / 2);
	out = write_mem(&o, &len);
	back = opml_parse(out, len, err, sizeof(err));
	assert_non_null(back);
	assert_str(err, ""); /* the writer's output needs no repair */
	/* Writing what was read gives the same outlines again (in folders the
	 * feeds follow the list's order, which reading changed). */
	out2 = write_mem(back, &len2);
	assert_int_equal(len, len2);
	again = opml_parse(out2, len2, err, sizeof(err));
	assert_non_null(again);
	assert_same_lists(&o, back);
	assert_same_lists(back, again);
	free(out);
	free(out2);
	opml_free(back);
	opml_free(again);
	for (i = 0; i < N; i++) {
		for (j = 0; j < o.feeds[i].ntags; j++)
			free(o.feeds[i].tags[j]);
		free(o.feeds[i].tags);
		free(o.feeds[i].url);
		free(o.feeds[i].title);
		free(o.feeds[i].html_url);
	}
	free(o.feeds);
	free(o.title);
}

/* Escapes a random text for an attribute value (the generator's own, simple one). */
static void
attr_esc(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\t': buf_adds(b, "&#9;"); break;
		case '\n': buf_adds(b, "&#10;"); break;
		case '\r': buf_adds(b, "&#13;"); break;
		default: buf_addc(b, *s);
		}
	}
}

static void
gen_folder(struct buf *b, unsigned depth, size_t *nfeed)
{
	unsigned i, n = 1 + rnd(6);

	for (i = 0; i < n; i++) {
		if (depth < 4 && rnd(4) == 0) {
			char *t = rnd_text(3);

			buf_adds(b, "<outline text=\"");
			attr_esc(b, t);
			buf_adds(b, "\">\n");
			free(t);
			gen_folder(b, depth + 1, nfeed);
			buf_adds(b, "</outline>\n");
		} else {
			char *t = rnd_text(5);

			/* every fifth URL repeats an earlier one, to exercise merging */
			buf_printf(b, "<outline type=\"rss\" text=\"");
			attr_esc(b, t);
			buf_printf(b, "\" xmlUrl=\"https://e.org/%zu\"", *nfeed && rnd(5) == 0 ? rnd((unsigned)*nfeed) : (*nfeed)++);
			if (rnd(4) == 0)
				buf_printf(b, " category=\"/%s,%s\"", tag_pool[rnd(5)], tag_pool[rnd(5)]);
			buf_adds(b, "/>\n");
			free(t);
		}
	}
}

static void
test_roundtrip_nested(void **state)
{
	struct buf   b;
	char        *out, err[256];
	size_t       len, nfeed = 0;
	struct opml *first, *second;
	int          round;

	for (round = 0; round < 20; round++) {
		buf_init(&b, 0);
		buf_adds(&b, "<?xml version=\"1.0\"?>\n<opml version=\"1.0\"><head><title>Gen</title></head><body>\n");
		while (nfeed < 300)
			gen_folder(&b, 0, &nfeed);
		buf_adds(&b, "</body></opml>\n");
		first = opml_parse(b.data, b.len, err, sizeof(err));
		assert_non_null(first);
		out = write_mem(first, &len);
		second = opml_parse(out, len, err, sizeof(err));
		assert_non_null(second);
		assert_same_lists(first, second);
		opml_free(first);
		opml_free(second);
		free(out);
		buf_free(&b);
		nfeed = 0;
	}
}

static void
test_roundtrip_special_tags(void **state)
{
	/* Tags that look like paths, lists or escapes come back exactly. */
	char *tags[] = {"a/b", "c,d", "/", ",", "%2C", "%", "a/b,c", "\303\251t\303\251"}, *slash[] = {"/"};
	struct opml_feed f[] = {
		{"https://e.org/1", "one", NULL, tags, NELEM(tags)},
		{"https://e.org/2", "two", NULL, slash, 1},
	};
	struct opml  o = {NULL, f, 2};
	char        *out = write_mem(&o, NULL), err[256];
	struct opml *back = parse_str(out, err, sizeof(err));

	assert_non_null(back);
	assert_int_equal(back->nfeeds, 2);
	assert_int_equal(find(back, "https://e.org/1")->ntags, NELEM(tags));
	assert_str(tags_of(find(back, "https://e.org/2")), "/");
	assert_same_lists(&o, back);
	opml_free(back);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feedly),
		cmocka_unit_test(test_inoreader),
		cmocka_unit_test(test_newsboat),
		cmocka_unit_test(test_netnewswire),
		cmocka_unit_test(test_freshrss),
		cmocka_unit_test(test_miniflux),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_case_variants),
		cmocka_unit_test(test_sloppy_entities),
		cmocka_unit_test(test_repair_notes),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_leading_whitespace),
		cmocka_unit_test(test_empty_body),
		cmocka_unit_test(test_malformed_files),
		cmocka_unit_test(test_malformed_inline),
		cmocka_unit_test(test_external_dtd_not_loaded),
		cmocka_unit_test(test_err_buffer),
		cmocka_unit_test(test_cap_feeds),
		cmocka_unit_test(test_cap_file),
		cmocka_unit_test(test_cap_strings),
		cmocka_unit_test(test_cap_tags),
		cmocka_unit_test(test_cap_total),
		cmocka_unit_test(test_write_golden),
		cmocka_unit_test(test_write_empty),
		cmocka_unit_test(test_write_unrepresentable),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_roundtrip_5000),
		cmocka_unit_test(test_roundtrip_nested),
		cmocka_unit_test(test_roundtrip_special_tags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
