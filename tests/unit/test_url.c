/*
 * test_url.c: url_is_absolute() and url_resolve().
 *
 * Expected values follow RFC 3986 section 5.4 where curl does.  Python's
 * urllib.parse.urljoin() (what feedparser uses) was run on the same pairs;
 * where the answers differ it is noted beside the case:
 *   - curl adds the root path to a bare host: "//g" gives "http://g/"
 *     (urljoin: "http://g"), "?q" on "http://a" gives "http://a/?q"
 *     (urljoin: "http://a?q");
 *   - curl percent-encodes spaces and non-ASCII bytes in a relative
 *     reference, with lowercase hex: "a b" gives ".../a%20b", "é" gives
 *     ".../%c3%a9" (urljoin keeps both as they are);
 *   - "http:g" is absolute and kept verbatim, as RFC 3986 5.4.2 says for
 *     strict parsers (urljoin: "http://a/b/c/g", the backward-compatible
 *     reading);
 *   - "///c" is taken by curl as an empty host and gives "http://c/"
 *     (urljoin: "http://a/c"; RFC 3986: "http:///c");
 *   - curl 7.88 alone resolves "#s" against the base's directory; url.c
 *     joins fragments itself, which agrees with both urljoin and the RFC.
 * Absolute references never go through curl, so "HTTP://X.COM" stays as
 * written (curl would give "http://X.COM/").
 */
#include "testutil.h"

#include <curl/curl.h>

static void
check(const char *base, const char *ref, const char *want)
{
	char *got = url_resolve(base, ref);
	int   ok = want == NULL ? got == NULL : got != NULL && strcmp(got, want) == 0;

	if (!ok)
		print_error("url_resolve(\"%s\", \"%s\") = \"%s\", want \"%s\"\n",
			    base ? base : "(null)", ref ? ref : "(null)", got ? got : "(null)",
			    want ? want : "(null)");
	free(got);
	if (!ok)
		fail();
}

static void
test_is_absolute(void **state)
{
	assert_true(url_is_absolute("http://a/b"));
	assert_true(url_is_absolute("HTTPS://a"));
	assert_true(url_is_absolute("  \t\nhttp://a/b  "));
	assert_true(url_is_absolute("tag:example.com,2004:x"));
	assert_true(url_is_absolute("urn:isbn:0451450523"));
	assert_true(url_is_absolute("mailto:a@b"));
	assert_true(url_is_absolute("g:h"));
	assert_true(url_is_absolute("svn+ssh://h/r"));
	assert_true(url_is_absolute("a1.-+:x"));
	assert_true(url_is_absolute("x:"));
	assert_false(url_is_absolute(NULL));
	assert_false(url_is_absolute(""));
	assert_false(url_is_absolute("   "));
	assert_false(url_is_absolute("//host/path"));
	assert_false(url_is_absolute("/abs"));
	assert_false(url_is_absolute("../x"));
	assert_false(url_is_absolute("?q"));
	assert_false(url_is_absolute("#frag"));
	assert_false(url_is_absolute("g"));
	assert_false(url_is_absolute(":x"));
	assert_false(url_is_absolute("1http://a"));
	assert_false(url_is_absolute("-a:b"));
	assert_false(url_is_absolute("a b:c"));
	assert_false(url_is_absolute("a/b:c"));
	assert_false(url_is_absolute("a?b:c"));
	assert_false(url_is_absolute("\xC3\xA9:x"));
}

/* RFC 3986 5.4.1. */
static void
test_rfc3986_normal(void **state)
{
	static const char *b = "http://a/b/c/d;p?q";

	check(b, "g:h", "g:h");
	check(b, "g", "http://a/b/c/g");
	check(b, "./g", "http://a/b/c/g");
	check(b, "g/", "http://a/b/c/g/");
	check(b, "/g", "http://a/g");
	check(b, "//g", "http://g/"); /* RFC, urljoin: http://g */
	check(b, "?y", "http://a/b/c/d;p?y");
	check(b, "g?y", "http://a/b/c/g?y");
	check(b, "#s", "http://a/b/c/d;p?q#s");
	check(b, "g#s", "http://a/b/c/g#s");
	check(b, "g?y#s", "http://a/b/c/g?y#s");
	check(b, ";x", "http://a/b/c/;x");
	check(b, "g;x", "http://a/b/c/g;x");
	check(b, "g;x?y#s", "http://a/b/c/g;x?y#s");
	check(b, "", "http://a/b/c/d;p?q");
	check(b, ".", "http://a/b/c/");
	check(b, "./", "http://a/b/c/");
	check(b, "..", "http://a/b/");
	check(b, "../", "http://a/b/");
	check(b, "../g", "http://a/b/g");
	check(b, "../..", "http://a/");
	check(b, "../../", "http://a/");
	check(b, "../../g", "http://a/g");
}

/* RFC 3986 5.4.2. */
static void
test_rfc3986_abnormal(void **state)
{
	static const char *b = "http://a/b/c/d;p?q";

	check(b, "../../../g", "http://a/g");
	check(b, "../../../../g", "http://a/g");
	check(b, "/./g", "http://a/g");
	check(b, "/../g", "http://a/g");
	check(b, "g.", "http://a/b/c/g.");
	check(b, ".g", "http://a/b/c/.g");
	check(b, "g..", "http://a/b/c/g..");
	check(b, "..g", "http://a/b/c/..g");
	check(b, "./../g", "http://a/b/g");
	check(b, "./g/.", "http://a/b/c/g/");
	check(b, "g/./h", "http://a/b/c/g/h");
	check(b, "g/../h", "http://a/b/c/h");
	check(b, "g;x=1/./y", "http://a/b/c/g;x=1/y");
	check(b, "g;x=1/../y", "http://a/b/c/y");
	check(b, "g?y/./x", "http://a/b/c/g?y/./x");
	check(b, "g?y/../x", "http://a/b/c/g?y/../x");
	check(b, "g#s/./x", "http://a/b/c/g#s/./x");
	check(b, "g#s/../x", "http://a/b/c/g#s/../x");
	check(b, "http:g", "http:g"); /* strict; urljoin: http://a/b/c/g */
}

static void
test_fragments(void **state)
{
	check("http://a/b?q#f", "#s", "http://a/b?q#s");
	check("http://a/b#f", "#s", "http://a/b#s");
	check("http://a/b", "#s", "http://a/b#s");
	check("http://a?z#f", "#g", "http://a/?z#g"); /* urljoin: http://a?z#g */
	check("http://a/b?q#f", "#", "http://a/b?q"); /* urljoin drops the empty fragment too */
	check("http://a/b", "#a b", "http://a/b#a%20b"); /* urljoin: #a b */
	check("http://a/b", "#%20x", "http://a/b#%20x");
	check("http://a/b", "#\xC3\xA9", "http://a/b#%c3%a9");
	check("http://a/b", "#x#y", "http://a/b#x#y");
}

static void
test_bases(void **state)
{
	/* No base, or one that cannot be resolved against: the reference as is. */
	check(NULL, "x/y", "x/y");
	check(NULL, "  x/y\n", "x/y");
	check(NULL, "", "");
	check("", "x", "x");
	check("/rel/base", "x", "x");             /* urljoin: /rel/x */
	check("//h/p", "x", "x");                 /* urljoin: //h/x */
	check("tag:example.com,2004:x", "y", "y"); /* urljoin: y */
	check("urn:isbn:1", "y", "y");
	check("mailto:a@b", "y", "y");
	check("http:a/b", "c", "c");
	/* Empty reference: the base, whole. */
	check("http://a/b#f", "", "http://a/b#f");
	check("http://a/b#f", "  \t ", "http://a/b#f");
	check("  http://a/b  ", "", "http://a/b");
	/* curl normalizes the base it resolves against. */
	check("http://a", "x", "http://a/x");
	check("http://a", "?q", "http://a/?q"); /* urljoin: http://a?q */
	check("HTTP://A.COM/B", "c", "http://A.COM/c");
	check("http://a/./x/../b/", "c", "http://a/b/c");
	check("http://u:p@h:8080/a/b?x#y", "c", "http://u:p@h:8080/a/c");
	check("http://[::1]:80/a", "b", "http://[::1]:80/b");
	check("https://a/b/", "//c/d", "https://c/d");
	check("ftp://h/p/q", "x", "ftp://h/p/x");
	check("foo://h/p/q", "../x", "foo://h/x");
	check("file:///etc/x", "y", "file:///etc/y");
	check("http://a/b c/d", "e", "http://a/b%20c/e"); /* urljoin: http://a/b c/e */
	check("  http://a/b/c  ", "  d  ", "http://a/b/d");
}

static void
test_refs(void **state)
{
	static const char *b = "http://a/b/c/d";

	check(b, NULL, NULL);
	/* Absolute references come back verbatim, only trimmed. */
	check(b, "HTTP://X.COM", "HTTP://X.COM");
	check(b, " http://x/a/../b ", "http://x/a/../b");
	check(b, "mailto:a@b", "mailto:a@b");
	check(b, "tag:x,2004:y", "tag:x,2004:y");
	check(NULL, "http://x y", "http://x y");
	/* Protocol-relative, query and path forms. */
	check(b, "//h2/p", "http://h2/p");
	check("https://a/b", "//h2", "https://h2/");
	check(b, "?q=1&r=2", "http://a/b/c/d?q=1&r=2");
	check(b, "/abs", "http://a/abs");
	check(b, "../x", "http://a/b/x");
	check(b, "\n  ../x \t", "http://a/b/x");
	/* Spaces and non-ASCII are escaped by curl (urljoin keeps them). */
	check(b, "a b", "http://a/b/c/a%20b");
	check(b, "a%20b", "http://a/b/c/a%20b");
	check(b, "\xC3\xA9/?q=\xC3\xA4", "http://a/b/c/%c3%a9/?q=%c3%a4");
	/* A link wrapped over two lines is one link, as in urljoin. */
	check(b, "x/\r\ny", "http://a/b/c/x/y");
	check(b, "x/\n  y", "http://a/b/c/x/%20%20y");
	check(b, "g\tx", "http://a/b/c/gx");
	/* What curl refuses comes back unchanged. */
	check(b, "a\x01" "b", "a\x01" "b");
	check(b, "////c", "////c");        /* urljoin: http://a/c */
	check(b, "///c", "http://c/");     /* urljoin: http://a/c */
}

/* Hosts in Unicode stay in Unicode: curl is not asked for punycode. */
static void
test_idn(void **state)
{
	check("http://b\xC3\xBC" "cher.de/a/b", "c", "http://b\xC3\xBC" "cher.de/a/c");
	check("http://xn--bcher-kva.de/a/b", "c", "http://xn--bcher-kva.de/a/c");
	check("http://a/b", "//b\xC3\xBC" "cher.de/x", "http://b\xC3\xBC" "cher.de/x");
	check("http://a/b", "http://b\xC3\xBC" "cher.de", "http://b\xC3\xBC" "cher.de");
}

/* Long inputs are not a problem (curl's own limit is 8 MB). */
static void
test_long(void **state)
{
	size_t n = 100000;
	char  *ref = malloc(n + 1), *got;

	assert_non_null(ref);
	memset(ref, 'x', n);
	ref[n] = '\0';
	got = url_resolve("http://a/b/", ref);
	assert_non_null(got);
	assert_int_equal(strlen(got), n + strlen("http://a/b/"));
	assert_memory_equal(got, "http://a/b/xxx", 14);
	free(got);
	free(ref);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_absolute),
		cmocka_unit_test(test_rfc3986_normal),
		cmocka_unit_test(test_rfc3986_abnormal),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_bases),
		cmocka_unit_test(test_refs),
		cmocka_unit_test(test_idn),
		cmocka_unit_test(test_long),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests_name("url", tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
