/*
 * test_html.c: html_charset() and html_parse() on pages in the charsets
 * the web still serves.  Each page is written here in UTF-8 and encoded
 * with iconv, so the bytes are what a server in that charset sends; the
 * test parses them and compares the text of one element with the UTF-8
 * it started from.  The texts use characters where the candidate
 * charsets disagree (windows-1252's 0x80-0x9F, the euro sign in
 * ISO-8859-15), so a page read in the wrong charset cannot pass.
 */
#include "testutil.h"

#include <errno.h>
#include <iconv.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>

#define URL "https://example.org/page.html"

/* s (UTF-8) in charset to, as malloc'd bytes in b; prefix bytes first. */
static void
encode(const char *to, const char *s, const char *prefix, size_t prefixlen, struct buf *b)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	char	out[16384], *in = (char *)s, *op = out;
	size_t	inl = strlen(s), outl = sizeof(out);

	assert_true(cd != (iconv_t)-1);
	assert_true(iconv(cd, &in, &inl, &op, &outl) != (size_t)-1);
	iconv_close(cd);
	buf_init(b, 0);
	buf_add(b, prefix, prefixlen);
	buf_add(b, out, sizeof(out) - outl);
}

/* The text of the element with id "t", as UTF-8 (malloc'd). */
static char *
text_of(xmlDoc *doc)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr  r = xmlXPathEvalExpression((const xmlChar *)"//*[@id='t']", ctx);
	char		  *s = NULL;

	if (r && r->nodesetval && r->nodesetval->nodeNr == 1) {
		xmlChar *c = xmlNodeGetContent(r->nodesetval->nodeTab[0]);

		s = strdup((const char *)c);
		xmlFree(c);
	}
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	return s;
}

/*
 * One page: head (ASCII, may hold a <meta>) and text are put in a page,
 * encoded in enc with the given prefix (a BOM), parsed with http as the
 * HTTP charset.  The detected charset must be want_cs from want_src and
 * the element's text must be text again.
 */
static void
page(const char *enc, const char *prefix, size_t prefixlen, const char *http, const char *head,
     const char *text, const char *want_cs, enum html_charset_src want_src)
{
	char		      src[8192], cs[64], err[128], *got;
	struct buf	      b;
	xmlDoc		     *doc;
	enum html_charset_src hs;

	snprintf(src, sizeof(src),
		 "<!DOCTYPE html>\n<html><head>%s<title>Test</title></head>\n<body><article>"
		 "<h1>Heading</h1><p id=\"t\">%s</p><p>More text.</p></article></body></html>\n",
		 head, text);
	encode(enc, src, prefix, prefixlen, &b);

	hs = html_charset(b.data, b.len, http, cs, sizeof(cs));
	if (strcmp(cs, want_cs) != 0 || hs != want_src) {
		print_error(
		    "%s page, http %s, head %s: charset %s (source %d), want %s (source %d)\n", enc,
		    http ? http : "-", head, cs, hs, want_cs, want_src);
		buf_free(&b);
		fail();
	}
	doc = html_parse(b.data, b.len, http, URL, err, sizeof(err));
	buf_free(&b);
	assert_non_null(doc);
	got = text_of(doc);
	html_free(doc);
	if (got == NULL || strcmp(got, text) != 0) {
		print_error("%s page, http %s, head %s: text \"%s\", want \"%s\"\n", enc,
			    http ? http : "-", head, got ? got : "(none)", text);
		free(got);
		fail();
	}
	free(got);
}

#define CP1252_TEXT                                                                                \
	"Caf\xc3\xa9 \xe2\x80\x93 \xe2\x80\x9cquoted\xe2\x80\x9d costs \xe2\x82\xac"               \
	"5 \xe2\x80\xa6"
#define LATIN1_TEXT                                                                                \
	"Gr\xc3\xbc\xc3\x9f"                                                                       \
	"e, se\xc3\xb1or, \xc2\xbf\x71u\xc3\xa9? \xc2\xa9 1999"
#define LATIN9_TEXT "\xc5\x92uvre \xe2\x82\xac 12, \xc5\xa0koda \xc5\xbd"
#define SJIS_TEXT                                                                                  \
	"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3" \
	"\x83\x88\xe3\x80\x82\xe6\x9d\xb1\xe4\xba\xac"
#define GB_TEXT                                                                                    \
	"\xe4\xb8\xad\xe6\x96\x87\xe7\xbd\x91\xe9\xa1\xb5\xef\xbc\x8c\xe6\x96\xb0\xe9\x97\xbb\xe6" \
	"\x8a\xa5\xe9\x81\x93"
#define KOI8_TEXT                                                                                  \
	"\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, \xd0\xbc\xd0\xb8\xd1\x80! "             \
	"\xd0\x81\xd0\xbb\xd0\xba\xd0\xb0"

static void
test_meta_charset(void **state)
{
	page("WINDOWS-1252", "", 0, NULL, "<meta charset=\"windows-1252\">", CP1252_TEXT,
	     "WINDOWS-1252", HCS_META);
	page("ISO-8859-15", "", 0, NULL, "<meta charset=iso-8859-15>", LATIN9_TEXT, "ISO-8859-15",
	     HCS_META);
	page("SHIFT_JIS", "", 0, NULL, "<meta charset=\"Shift_JIS\">", SJIS_TEXT, "CP932",
	     HCS_META);
	page("GBK", "", 0, NULL, "<meta charset='gb2312'>", GB_TEXT, "GBK", HCS_META);
	page("UTF-8", "", 0, NULL, "<meta charset=\"utf-8\">", SJIS_TEXT, "UTF-8", HCS_META);
}

static void
test_http_equiv(void **state)
{
	page("ISO-8859-1", "", 0, NULL,
	     "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">",
	     LATIN1_TEXT, "WINDOWS-1252", HCS_META);
	page("EUC-JP", "", 0, NULL,
	     "<META HTTP-EQUIV=\"content-type\" CONTENT=\"text/html;charset=euc-jp\">", SJIS_TEXT,
	     "EUC-JP", HCS_META);
	page("KOI8-R", "", 0, NULL,
	     "<meta content=\"text/html; charset=koi8-r\" http-equiv=\"Content-Type\" />",
	     KOI8_TEXT, "KOI8-R", HCS_META);
	/* ISO-8859-1 and US-ASCII labels mean windows-1252 in HTML (WHATWG
	 * Encoding Standard): pages so labelled use its quotes and dashes. */
	page("WINDOWS-1252", "", 0, NULL,
	     "<meta http-equiv=Content-Type content=\"text/html; charset=iso-8859-1\">",
	     CP1252_TEXT, "WINDOWS-1252", HCS_META);
	page("WINDOWS-1252", "", 0, NULL, "<meta charset=us-ascii>", CP1252_TEXT, "WINDOWS-1252",
	     HCS_META);
	/* Only a charset attribute, or content with http-equiv, declares:
	 * not a description that talks about charsets. */
	page("UTF-8", "", 0, NULL,
	     "<meta name=\"description\" content=\"Setting charset=koi8-r in Apache\">", SJIS_TEXT,
	     "UTF-8", HCS_UTF8);
	page("WINDOWS-1252", "", 0, NULL,
	     "<meta content=\"text/html; charset=koi8-r\"><meta http-equiv=\"Content-Type\" "
	     "content=\"text/html; charset=windows-1252\">",
	     CP1252_TEXT, "WINDOWS-1252", HCS_META);
	/* A '>' inside a quoted value does not end the tag. */
	page("KOI8-R", "", 0, NULL, "<meta name=\"x\" content=\"a > b\" charset=\"koi8-r\">",
	     KOI8_TEXT, "KOI8-R", HCS_META);
	/* A comment mentioning a charset is not a declaration. */
	page("WINDOWS-1252", "", 0, NULL,
	     "<!-- <meta charset=\"koi8-r\"> --><meta http-equiv=Content-Type "
	     "content=\"text/html; charset=windows-1252\">",
	     CP1252_TEXT, "WINDOWS-1252", HCS_META);
}

static void
test_http_header(void **state)
{
	page("KOI8-R", "", 0, "koi8-r", "", KOI8_TEXT, "KOI8-R", HCS_HTTP);
	page("SHIFT_JIS", "", 0, "Shift_JIS", "", SJIS_TEXT, "CP932", HCS_HTTP);
	/* The header wins over a <meta> that says something else. */
	page("KOI8-R", "", 0, "KOI8-R", "<meta charset=\"windows-1252\">", KOI8_TEXT, "KOI8-R",
	     HCS_HTTP);
	page("UTF-8", "", 0, "utf-8", "<meta charset=\"windows-1252\">", CP1252_TEXT, "UTF-8",
	     HCS_HTTP);
	page("GBK", "", 0, "gbk",
	     "<meta http-equiv=Content-Type content=\"text/html; charset=utf-8\">", GB_TEXT, "GBK",
	     HCS_HTTP);
	page("WINDOWS-1252", "", 0, "ISO-8859-1", "", CP1252_TEXT, "WINDOWS-1252", HCS_HTTP);
	/* A label iconv does not know is ignored; the meta decides. */
	page("EUC-JP", "", 0, "x-no-such-charset", "<meta charset=euc-jp>", SJIS_TEXT, "EUC-JP",
	     HCS_META);
}

static void
test_bom(void **state)
{
	page("UTF-8", "\xef\xbb\xbf", 3, NULL, "", SJIS_TEXT, "UTF-8", HCS_BOM);
	/* The BOM wins over a <meta>. */
	page("UTF-8", "\xef\xbb\xbf", 3, NULL, "<meta charset=windows-1252>", CP1252_TEXT, "UTF-8",
	     HCS_BOM);
	/* ... and over the HTTP header, as in browsers (WHATWG BOM sniffing). */
	page("UTF-8", "\xef\xbb\xbf", 3, "iso-8859-1", "", CP1252_TEXT, "UTF-8", HCS_BOM);
	page("UTF-16BE", "\xfe\xff", 2, "utf-8", "", SJIS_TEXT, "UTF-16BE", HCS_BOM);
	page("UTF-16LE", "\xff\xfe", 2, NULL, "<meta charset=utf-16>", GB_TEXT, "UTF-16LE",
	     HCS_BOM);
	page("UTF-16BE", "\xfe\xff", 2, NULL, "", KOI8_TEXT, "UTF-16BE", HCS_BOM);
}

static void
test_undeclared(void **state)
{
	page("UTF-8", "", 0, NULL, "", CP1252_TEXT, "UTF-8", HCS_UTF8);
	page("UTF-8", "", 0, NULL, "", GB_TEXT, "UTF-8", HCS_UTF8);
	page("WINDOWS-1252", "", 0, NULL, "", CP1252_TEXT, "WINDOWS-1252", HCS_DEFAULT);
	page("WINDOWS-1252", "", 0, NULL, "", LATIN1_TEXT, "WINDOWS-1252", HCS_DEFAULT);
	/* "utf-16" in a <meta> of a page that could be read as ASCII is UTF-8. */
	page("UTF-8", "", 0, NULL, "<meta charset=utf-16>", SJIS_TEXT, "UTF-8", HCS_META);
}

static void
test_errors(void **state)
{
	char err[128] = "";

	assert_null(html_parse("", 0, NULL, URL, err, sizeof(err)));
	assert_string_equal(err, "empty page");
}

/* discover_feeds: the feeds a page names, for glean add SITE. */
static size_t
discover(const char *page, const char *url, char ***urls)
{
	return discover_feeds(page, strlen(page), NULL, url, urls);
}

static void
test_discover(void **state)
{
	char  **u = NULL;
	size_t  n;

	(void)state;
	/* rel is a token list in any case; type may carry parameters; hrefs
	 * resolve against the page; a feed named twice counts once; other
	 * alternates (a translation, a stylesheet) do not count. */
	n = discover("<html><head>"
		     "<link rel=stylesheet href=/s.css>"
		     "<link rel=\"Alternate Feed\" TYPE=\"application/RSS+xml; charset=utf-8\" href=\"/feed/\">"
		     "<link rel=alternate hreflang=fr href=/fr/>"
		     "<link rel=alternate type=application/atom+xml href=\"comments/feed\">"
		     "<link rel=alternate type=application/rss+xml href=\"https://example.org/feed/\">"
		     "</head><body></body></html>",
		     "https://example.org/blog/post.html", &u);
	assert_int_equal(n, 2);
	assert_string_equal(u[0], "https://example.org/feed/");
	assert_string_equal(u[1], "https://example.org/blog/comments/feed");
	discover_free(u, n);

	/* <base href> wins over the page's URL, and is itself relative to it. */
	n = discover("<head><base href=\"/b/\"><link rel=alternate type=application/feed+json"
		     " href=\"feed.json\"></head>", "https://example.org/x/y", &u);
	assert_int_equal(n, 1);
	assert_string_equal(u[0], "https://example.org/b/feed.json");
	discover_free(u, n);

	/* Plain application/json only when the href says feed: WordPress's
	 * REST API link is not a feed.  No http(s): not kept. */
	n = discover("<link rel=alternate type=application/json href=/wp-json/wp/v2/pages/7>"
		     "<link rel=alternate type=application/json href=/feed.json>"
		     "<link rel=alternate type=application/rss+xml href=\"javascript:alert(1)\">"
		     "<link rel=alternate type=application/rss+xml href=\"ftp://example.org/f.xml\">",
		     "https://example.org/", &u);
	assert_int_equal(n, 1);
	assert_string_equal(u[0], "https://example.org/feed.json");
	discover_free(u, n);

	/* None: NULL, and freeing NULL is a no-op. */
	n = discover("<p>no feeds here</p>", "https://example.org/", &u);
	assert_int_equal(n, 0);
	assert_null(u);
	discover_free(u, n);
	assert_int_equal(discover_feeds("", 0, NULL, "https://example.org/", &u), 0);
	assert_null(u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_meta_charset), cmocka_unit_test(test_http_equiv),
	    cmocka_unit_test(test_http_header),	 cmocka_unit_test(test_bom),
	    cmocka_unit_test(test_undeclared),	 cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_discover),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
