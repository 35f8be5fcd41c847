/*
 * test_selector.c: selector_to_xpath(), judged by what the XPath selects
 * in a parsed page (the ids of the matched elements, in document order),
 * not by the text of the expression; and its error messages.
 */
#include "testutil.h"

#include <libxml/tree.h>
#include <libxml/xpath.h>

static const char page[] =
    "<!DOCTYPE html><html><head><title>t</title></head><BODY id=body>\n"
    "<DIV id=d1 class=\"post  main\">\n"
    "  <P id=p1 class=lead>one</P>\n"
    "  <p id=p2 class=\"leader x\">two</p>\n"
    "  <section id=s1><p id=p3 class=\"x lead\" data-kind=\"news item\">three</p></section>\n"
    "</DIV>\n"
    "<div id=d2 class=post-main>\n"
    "  <a id=a1 href=\"/doc.pdf\" title=\"it's &quot;q&quot;\">pdf</a>\n"
    "  <a id=a2 href=\"https://x.example/page.html\" rel=\"nofollow noopener\">ext</a>\n"
    "  <ul id=u1><li id=l1>a</li><li id=l2><ul id=u2><li id=l3>b</li></ul></li></ul>\n"
    "</div>\n"
    "<aside id=x1 class=\"2col\" DATA-Side=\"Left\">side</aside>\n"
    "</BODY></html>";

static xmlDoc *doc;

static int
setup(void **state)
{
	char err[128];

	doc = html_parse(page, sizeof(page) - 1, "UTF-8", "https://x.example/", err, sizeof(err));
	return doc ? 0 : -1;
}

static int
teardown(void **state)
{
	html_free(doc);
	return 0;
}

/* The ids the selector matches, space separated ("" for none). */
static char *
ids(const char *sel)
{
	char		   err[256];
	char		  *xp = selector_to_xpath(sel, err, sizeof(err));
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr  r;
	struct buf	   b;

	if (xp == NULL) {
		print_error("selector_to_xpath(\"%s\"): %s\n", sel, err);
		return NULL;
	}
	ctx = xmlXPathNewContext(doc);
	r = xmlXPathEvalExpression((const xmlChar *)xp, ctx);
	buf_init(&b, 0);
	buf_adds(&b, "");
	if (r == NULL || r->type != XPATH_NODESET)
		buf_adds(&b, "(not a node set)");
	else
		for (int i = 0; r->nodesetval && i < r->nodesetval->nodeNr; i++) {
			xmlChar *id = xmlGetProp(r->nodesetval->nodeTab[i], (const xmlChar *)"id");

			if (b.len)
				buf_addc(&b, ' ');
			buf_adds(&b, id ? (const char *)id : "?");
			xmlFree(id);
		}
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	free(xp);
	return buf_take(&b);
}

static void
match(const char *sel, const char *want)
{
	char *got = ids(sel);

	if (got == NULL || strcmp(got, want) != 0) {
		print_error("selector \"%s\" matched \"%s\", want \"%s\"\n", sel,
			    got ? got : "(error)", want);
		free(got);
		fail();
	}
	free(got);
}

static void
test_simple(void **state)
{
	match("p", "p1 p2 p3");
	match("P", "p1 p2 p3"); /* tag names are case-insensitive */
	match("section", "s1");
	match("#d2", "d2");
	match("div#d2", "d2");
	match("p#d2", "");
	match(".lead", "p1 p3"); /* a whole class word: not "leader" */
	match(".post", "d1");	 /* not "post-main" */
	match(".main", "d1");	 /* class lists with runs of spaces */
	match(".post-main", "d2");
	match("aside.\\32 col", "x1"); /* escaped leading digit */
	match(".2col", "x1");	       /* written the way sites do */
	match(".\\15 x", "");	       /* a control character: U+FFFD, which matches nothing */
	match("*.x", "p2 p3");
}

static void
test_compound(void **state)
{
	match("p.lead.x", "p3");
	match("div.post.main#d1", "d1");
	match("p.x[data-kind]", "p3");
	match("div.post#d2", "");
}

static void
test_attributes(void **state)
{
	match("[href]", "a1 a2");
	match("a[href=\"/doc.pdf\"]", "a1");
	match("a[href='/doc.pdf']", "a1");
	match("a[href^=https]", "a2");
	match("a[href$=\".pdf\"]", "a1");
	match("a[href$=\".html\"]", "a2");
	match("a[href*=\"x.example\"]", "a2");
	match("a[rel~=noopener]", "a2");
	match("a[rel~=noop]", "");
	match("p[data-kind~=\"news\"]", "p3");
	match("p[data-kind=\"news item\"]", "p3");
	match("a[title=\"it's \\\"q\\\"\"]", "a1"); /* both quote kinds in the value */
	match("aside[data-side=Left]", "x1");	    /* attribute names lower-cased */
	match("aside[data-side=left]", "");	    /* values are not */
	match("a[href^=\"\"]", "");		    /* empty: matches nothing, as in CSS */
	match("a[href$='']", "");
	match("a[href*=\"\"]", "");
	match("a[ href = \"/doc.pdf\" ]", "a1");
}

static void
test_combinators(void **state)
{
	match("div p", "p1 p2 p3");
	match("div > p", "p1 p2");
	match("div>p", "p1 p2");
	match("div  >  section > p", "p3");
	match("body > div .lead", "p1 p3");
	match("ul li", "l1 l2 l3");
	match("ul > li > ul > li", "l3");
	match("#d1 p, #d2 a", "p1 p2 p3 a1 a2");
	match("a, p.lead , section", "p1 s1 p3 a1 a2"); /* a union is in document order */
	match("  div.post-main   a[href$=pdf]  ", "a1");
}

static void
test_xpath_passthrough(void **state)
{
	match("//p[@class='lead']", "p1");
	match("(//p)[2]", "p2");
	match("//div[@id='d1']/p | //aside", "p1 p2 x1");
}

static void
err_is(const char *sel, const char *want)
{
	char  err[256] = "";
	char *xp = selector_to_xpath(sel, err, sizeof(err));

	if (xp != NULL || strcmp(err, want) != 0) {
		print_error("selector \"%s\": got %s \"%s\", want error \"%s\"\n", sel,
			    xp ? "xpath" : "error", xp ? xp : err, want);
		free(xp);
		fail();
	}
}

static void
test_errors(void **state)
{
	err_is("div..x", "selector 'div..x': unexpected '.' at 5");
	err_is("div.", "selector 'div.': unexpected end at 5");
	err_is("a:hover",
	       "selector 'a:hover': unexpected ':' at 2 (pseudo-classes are not supported)");
	err_is("h1 + p",
	       "selector 'h1 + p': unexpected '+' at 4 (sibling combinators are not supported)");
	err_is("h1 ~ p",
	       "selector 'h1 ~ p': unexpected '~' at 4 (sibling combinators are not supported)");
	err_is("div >", "selector 'div >': unexpected end at 6");
	err_is("> p", "selector '> p': unexpected '>' at 1");
	err_is("a,,b", "selector 'a,,b': unexpected ',' at 3");
	err_is("a,", "selector 'a,': unexpected end at 3");
	err_is("[x|=y]", "selector '[x|=y]': unexpected '|' at 3 (|= is not supported)");
	err_is("[x=y i]", "selector '[x=y i]': unexpected 'i' at 6 (expected ']'; attribute flags "
			  "are not supported)");
	err_is("[x=\"y]", "selector '[x=\"y]': unexpected end at 7 (unterminated string)");
	err_is("[x", "selector '[x': unexpected end at 3");
	err_is("1div", "selector '1div': not a valid element or attribute name at 1");
	err_is("a[href=/doc.pdf]", "selector 'a[href=/doc.pdf]': unexpected '/' at 8");
	err_is("", "selector '': empty");
	err_is("   ", "selector '   ': empty");
	err_is("p\x01", "selector 'p\x01': unexpected byte 0x01 at 2");
	err_is("[a=\"x\x01\"]", "selector '[a=\"x\x01\"]': unexpected byte 0x01 at 6");
	err_is("p.caf\xe9", "selector: invalid UTF-8 at 6");
	err_is("//div[@class", "xpath '//div[@class': Invalid predicate at 13");
	err_is("(//p", "xpath '(//p': Invalid expression at 5");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple),
	    cmocka_unit_test(test_compound),
	    cmocka_unit_test(test_attributes),
	    cmocka_unit_test(test_combinators),
	    cmocka_unit_test(test_xpath_passthrough),
	    cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
