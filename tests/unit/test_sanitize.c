/*
 * test_sanitize.c: sanitize_html() and sanitize_node() against XSS
 * vectors, URL resolution, lazy images and the output cap.
 *
 * Every vector checks both sides: the dangerous part is gone ("-...")
 * and the legitimate content around it is still there ("+..."), so a
 * sanitizer that drops everything fails as surely as one that lets
 * everything through.
 */
#include "testutil.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#define BASE "https://example.org/news/story.html"

/* check(input, "+must be there", "-must not", ..., NULL); "=exact output". */
static void
check(const char *in, ...)
{
	char	   *out = sanitize_html(in, strlen(in), BASE);
	const char *want;
	va_list	    ap;
	int	    bad = 0;

	assert_non_null(out);
	va_start(ap, in);
	while ((want = va_arg(ap, const char *)) != NULL) {
		int has = strstr(out, want + 1) != NULL;

		if ((want[0] == '+' && !has) || (want[0] == '-' && has) ||
		    (want[0] == '=' && strcmp(out, want + 1) != 0)) {
			print_error("input:  %s\noutput: %s\nwanted: %s\n", in, out, want);
			bad = 1;
		}
	}
	va_end(ap);
	free(out);
	if (bad)
		fail();
}

static void
test_plain(void **state)
{
	check("hello <b>world</b>", "=hello <b>world</b>", NULL);
	check("<p>a &amp; b &lt; c &gt; d \"q\"</p>", "=<p>a &amp; b &lt; c &gt; d \"q\"</p>",
	      NULL);
	check("<h2>T</h2><ul><li>x<li>y</ul><pre>  a\n  b</pre>",
	      "=<h2>T</h2><ul><li>x</li><li>y</li></ul><pre>  a\n  b</pre>", NULL);
	check("<p>caf\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5</p>",
	      "=<p>caf\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5</p>", NULL);
	check("<table><caption>c</caption><tr><th scope=col>h</th><td colspan=2 "
	      "rowspan=x>d</td></tr></table>",
	      "+<caption>c</caption>", "+<th scope=\"col\">h</th>", "+<td colspan=\"2\">d</td>",
	      "-rowspan", NULL);
	check("", "=", NULL);
}

static void
test_script_style(void **state)
{
	check("<p>a<script>alert(1)</script>b</p>", "=<p>ab</p>", NULL);
	check("<p>a<SCRIPT SRC=//evil.js></SCRIPT>b</p>", "-script", "-evil", "+<p>ab</p>", NULL);
	check("<style>body{background:url(javascript:alert(1))}</style><p>ok</p>", "-style",
	      "-javascript", "=<p>ok</p>", NULL);
	check("<template><img src=x onerror=alert(1)></template><p>ok</p>", "-img", "-onerror",
	      "=<p>ok</p>", NULL);
	check("<object data=evil.swf><embed src=evil.swf></object><p>ok</p>", "-evil", "-object",
	      "-embed", "=<p>ok</p>", NULL);
}

static void
test_event_handlers(void **state)
{
	check("<img src=\"pic.jpg\" onerror=\"alert(1)\" onload=alert(2) alt=\"A\">", "-onerror",
	      "-onload", "-alert", "+src=\"https://example.org/news/pic.jpg\"", "+alt=\"A\"", NULL);
	check("<p onclick=\"alert(1)\" onmouseover=x>text</p>", "=<p>text</p>", NULL);
	check("<body onload=alert(1)><p>in body</p></body>", "-onload", "-alert", "=<p>in body</p>",
	      NULL);
	/* No space between attributes, the classic escape attempt. */
	check("<img src=\"x\" alt=\"a\"onerror=alert(1)>", "-onerror", "-alert", "+alt=\"a\"",
	      "+src=\"https://example.org/news/x\"", NULL);
	check("<img src=x onerror=alert(1)//>", "-onerror", "-alert", NULL);
}

static void
test_svg_math(void **state)
{
	check("<svg onload=alert(1)><circle r=1 /></svg><p>after</p>", "-svg", "-onload", "-alert",
	      "=<p>after</p>", NULL);
	check("<svg><script>alert(1)</script><a xlink:href=\"javascript:alert(2)\">x</a></svg>ok",
	      "-svg", "-alert", "-script", "=ok", NULL);
	check("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math><p>m</p>", "-math",
	      "-javascript", "=<p>m</p>", NULL);
}

static void
test_javascript_urls(void **state)
{
	static const char *const vec[] = {
	    "<a href=\"javascript:alert(1)\">link</a>",
	    "<a href=\"JAVASCRIPT:alert(1)\">link</a>",
	    "<a href=\"JaVaScRiPt:alert(1)\">link</a>",
	    "<a href=\"  javascript:alert(1)\">link</a>",
	    "<a href=\"\tjavascript:alert(1)\">link</a>",
	    "<a href=\"jav&#x09;ascript:alert(1)\">link</a>",
	    "<a href=\"jav&#9;ascript:alert(1)\">link</a>",
	    "<a href=\"jav&#x0A;ascript:alert(1)\">link</a>",
	    "<a href=\"jav&#x0D;ascript:alert(1)\">link</a>",
	    "<a "
	    "href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">link</"
	    "a>",
	    "<a href=\"&#1;javascript:alert(1)\">link</a>",
	    "<a href=\"javascript&#58;alert(1)\">link</a>",
	    "<a href=\"vbscript:msgbox(1)\">link</a>",
	    "<a href=\"VBScript:msgbox(1)\">link</a>",
	    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">link</a>",
	    "<a href=\" DATA:text/html,<script>alert(1)</script>\">link</a>",
	    "<a href=\"livescript:alert(1)\">link</a>",
	    "<a href=\"file:///etc/passwd\">link</a>",
	};

	for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++)
		check(vec[i], "=link", NULL);
	/* HTML5-only entities: libxml2 2.9 leaves them as text, and the
	 * output escapes their '&', so no browser decodes them either. */
	check("<a href=\"&#x6A;avascript&colon;alert(1)\">link</a>", "-href=\"javascript",
	      "-&colon;", "+&amp;colon;", "+>link</a>", NULL);
	check("<a href=\"java&Tab;script:alert(1)\">link</a>", "-href=\"java", "-&Tab;",
	      "+>link</a>", NULL);
	check("<a href=\"https://ok.example/x\">ok</a>",
	      "=<a href=\"https://ok.example/x\" rel=\"noopener noreferrer\">ok</a>", NULL);
	check("<a href=\"mailto:a@example.org\">mail</a>", "+href=\"mailto:a@example.org\"", NULL);
	check("<img src=\"javascript:alert(1)\" alt=x><p>p</p>", "-img", "-javascript", "=<p>p</p>",
	      NULL);
	check("<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\"><p>p</p>",
	      "-img", "-data:", "=<p>p</p>", NULL);
	check("<img src=\"x.png\" srcset=\"javascript:alert(1) 1x, y.png 2x\">", "-javascript",
	      "+srcset=\"https://example.org/news/y.png 2x\"", NULL);
	check("<blockquote cite=\"javascript:alert(1)\">q</blockquote>",
	      "=<blockquote>q</blockquote>", NULL);
	check("<video poster=\"javascript:alert(1)\" src=\"v.mp4\"></video>", "-javascript",
	      "+src=\"https://example.org/news/v.mp4\"", NULL);
}

static void
test_style_attr(void **state)
{
	check("<p style=\"width:expression(alert(1))\">css</p>", "=<p>css</p>", NULL);
	check("<div style=\"background:url('javascript:alert(1)')\" class=\"x\" id=\"y\">d</div>",
	      "=<div>d</div>", NULL);
	check("<p>a<link rel=stylesheet href=evil.css>b</p>", "-link", "-evil", "+ab", NULL);
}

static void
test_iframes(void **state)
{
	check("<iframe src=\"https://evil.example/embed/x\"></iframe><p>t</p>", "-iframe", "-evil",
	      "=<p>t</p>", NULL);
	check("<iframe src=\"javascript:alert(1)\"></iframe><p>t</p>", "-iframe", "=<p>t</p>",
	      NULL);
	check("<iframe srcdoc=\"<script>alert(1)</script>\"></iframe><p>t</p>", "-iframe",
	      "-script", "=<p>t</p>", NULL);
	/* A video host's other pages are not players. */
	check("<iframe src=\"https://www.youtube.com/redirect?q=evil\"></iframe>t", "-iframe", "=t",
	      NULL);
	check("<iframe src=\"//www.youtube.com/embed/abc?start=5\" width=560 height=315 "
	      "allowfullscreen onload=x srcdoc=y>fallback</iframe>",
	      "+src=\"https://www.youtube.com/embed/abc?start=5\"", "+sandbox=\"", "+width=\"560\"",
	      "+allowfullscreen", "-onload", "-srcdoc", "-fallback", NULL);
	check("<iframe src=\"http://player.vimeo.com/video/123\"></iframe>",
	      "+src=\"https://player.vimeo.com/video/123\"", "+sandbox", NULL);
}

static void
test_forms_meta_base(void **state)
{
	check("<form action=\"https://evil.example/steal\"><p>Text</p><input name=pw type=password>"
	      "<button "
	      "formaction=x>Go</button><select><option>o</select><textarea>t</textarea></form>",
	      "-form", "-evil", "-input", "-button", "-Go", "-select", "-textarea", "=<p>Text</p>",
	      NULL);
	check("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\"><p>x</p>",
	      "-meta", "-refresh", "-evil", "=<p>x</p>", NULL);
	/* <base> must not change how links resolve either. */
	check("<base href=\"https://evil.example/\"><a href=\"/x\">x</a>", "-base", "-evil",
	      "+href=\"https://example.org/x\"", NULL);
}

static void
test_attribute_breakout(void **state)
{
	check("<a href=\"x' onclick='alert(1)\">t</a>", "-' onclick", "- onclick=", "+>t</a>",
	      "+href=\"https://example.org/news/x'%20onclick='alert(1)\"", NULL);
	check("<a title='x\" onmouseover=\"alert(1)' href=/ok>t</a>", "-\" onmouseover",
	      "+title=\"x&quot; onmouseover=&quot;alert(1)\"", NULL);
	check("<img alt=\"\"><script>alert(1)</script>\" src=y.png>", "-<script", "-alert(1)</",
	      NULL);
	check("<p title=\"</p><script>alert(1)</script>\">t</p>",
	      "=<p title=\"&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">t</p>", NULL);
	check("<a href=\"/x\"title=\"t\"onclick=\"y\">l</a>", "-onclick", "+title=\"t\"", NULL);
}

static void
test_comments_cdata(void **state)
{
	check("a<!-- <img src=x onerror=alert(1)> -->b", "=ab", NULL);
	check("a<!--><img src=x onerror=alert(1)>-->b", "-onerror", "-alert", "+a", NULL);
	check("<p>a<![CDATA[<img src=x onerror=alert(1)>]]>b</p>", "-onerror", "-alert", "+a", "+b",
	      NULL);
	check("<!--[if IE]><script>alert(1)</script><![endif]--><p>c</p>", "-script", "-alert",
	      "=<p>c</p>", NULL);
	check("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript><p>ok</p>",
	      "-onerror", "-alert", "-noscript", "+<p>ok</p>", NULL);
	check("<?php system('x') ?><p>ok</p>", "-system", "-<?", "+<p>ok</p>", NULL);
}

static void
test_unknown_elements(void **state)
{
	check("<p>before <foo bar=1>inside</foo> after</p>", "=<p>before inside after</p>", NULL);
	check("<custom-el onclick=x><b>bold</b></custom-el>", "=<b>bold</b>", NULL);
	check("<font color=red>red</font>", "=red", NULL);
	check("<p>a<wbr>b<br>c</p><hr>", "=<p>a<wbr>b<br>c</p><hr>", NULL);
}

static void
test_urls(void **state)
{
	check("<a href=\"../x?a=1&amp;b=2#f\">l</a>",
	      "+href=\"https://example.org/x?a=1&amp;b=2#f\"", NULL);
	check("<a href=\"//cdn.example.net/p\">l</a>", "+href=\"https://cdn.example.net/p\"", NULL);
	check("<img src=\"img/a.jpg\">", "+src=\"https://example.org/news/img/a.jpg\"", NULL);
	check("<img src=\"a.jpg\" srcset=\"a-320.jpg 320w, /b-640.jpg 640w,c.jpg 2x\">",
	      "+srcset=\"https://example.org/news/a-320.jpg 320w, https://example.org/b-640.jpg "
	      "640w, "
	      "https://example.org/news/c.jpg 2x\"",
	      NULL);
	check("<img src=a.jpg srcset=\"b.jpg 2x onerror=alert(1)\">", "-onerror", "-srcset",
	      "+src=\"https://example.org/news/a.jpg\"", NULL);
	check("<q cite=\"/source\">q</q>", "=<q cite=\"https://example.org/source\">q</q>", NULL);
	/* An in-page anchor leads nowhere once the article is moved. */
	check("<a href=\"#fn1\">1</a>", "=1", NULL);

	/* Without a base, relative links stay relative; schemes are still checked. */
	char *o = sanitize_html("<a href=\"x/y\">r</a><a href=\"javascript:z\">j</a>", 46, NULL);

	assert_non_null(o);
	assert_string_equal(o, "<a href=\"x/y\" rel=\"noopener noreferrer\">r</a>j");
	free(o);
}

static void
test_lazy_images(void **state)
{
	check("<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" data-src=\"/i/real.jpg\" "
	      "alt=a>",
	      "+src=\"https://example.org/i/real.jpg\"", "-data:", "+alt=\"a\"", NULL);
	check("<img data-original=\"o.png\">", "+src=\"https://example.org/news/o.png\"", NULL);
	check("<img src=\"/img/blank.gif\" data-lazy-src=\"real.png\">",
	      "+src=\"https://example.org/news/real.png\"", "-blank", NULL);
	check("<img src=\"spacer.gif\" data-srcset=\"s.jpg 1x, l.jpg 2x\">",
	      "+srcset=\"https://example.org/news/s.jpg 1x, https://example.org/news/l.jpg 2x\"",
	      "-spacer", NULL);
	/* A real src wins over data-src. */
	check("<img src=\"real.jpg\" data-src=\"other.jpg\">",
	      "+src=\"https://example.org/news/real.jpg\"", "-other", NULL);
	check("<picture><source data-srcset=\"p.webp\" type=\"image/webp\"><img "
	      "data-src=\"p.jpg\"></picture>",
	      "=<picture><source srcset=\"https://example.org/news/p.webp\" type=\"image/webp\">"
	      "<img src=\"https://example.org/news/p.jpg\" loading=\"lazy\"></picture>",
	      NULL);
	check("<img data-src=\"javascript:alert(1)\"><p>p</p>", "-img", "-javascript", "=<p>p</p>",
	      NULL);
	/* An image with nothing to show is left out. */
	check("<p>a<img alt=\"nothing\">b</p>", "=<p>ab</p>", NULL);
}

static void
test_media(void **state)
{
	check("<video src=\"v.mp4\" autoplay onplay=x><source src=\"v.webm\" "
	      "type=\"video/webm\">fallback</video>",
	      "=<video src=\"https://example.org/news/v.mp4\" controls><source "
	      "src=\"https://example.org/news/v.webm\" type=\"video/webm\">fallback</video>",
	      NULL);
	check("<audio src=\"a.mp3\" controls></audio>",
	      "=<audio src=\"https://example.org/news/a.mp3\" controls></audio>", NULL);
}

/* sanitize_node() on a parsed page, into a buffer with a small cap: it
 * stops at a whole token and still closes what it opened. */
static void
test_node_cap(void **state)
{
	static const char page[] = "<html><body><div id=c><p>one <a href=/x>two</a></p>"
				   "<blockquote><p>three three three three</p></blockquote></div>"
				   "</body></html>";
	char		  err[128];
	xmlDoc		 *doc = html_parse(page, sizeof(page) - 1, NULL, BASE, err, sizeof(err));
	xmlNode		 *body, *div;
	struct buf	  b;
	size_t		  full;

	assert_non_null(doc);
	body = xmlDocGetRootElement(doc)->children;
	while (body && strcmp((const char *)body->name, "body"))
		body = body->next;
	assert_non_null(body);
	div = body->children;

	buf_init(&b, 0);
	assert_int_equal(sanitize_node(div, BASE, &b), 0);
	assert_string_equal(b.data, "<p>one <a href=\"https://example.org/x\" rel=\"noopener "
				    "noreferrer\">two</a></p><blockquote><p>three three three "
				    "three</p></blockquote>");
	assert_false(b.truncated);
	full = b.len;
	buf_free(&b);

	for (size_t cap = 1; cap < full; cap++) {
		buf_init(&b, cap);
		assert_int_equal(sanitize_node(div, BASE, &b), 0);
		assert_true(b.truncated);
		assert_true(b.len <= cap);
		/* Well nested: every <p> and <a> opened is closed. */
		if (b.data && strstr(b.data, "<p>"))
			assert_non_null(strstr(b.data, "</p>"));
		if (b.data && strstr(b.data, "<a "))
			assert_non_null(strstr(b.data, "</a>"));
		if (b.data && strstr(b.data, "<blockquote>"))
			assert_non_null(strstr(b.data, "</blockquote>"));
		buf_free(&b);
	}
	html_free(doc);
}

/* 100,000 nested elements: the walk must not recurse. */
static void
test_deep(void **state)
{
	const size_t depth = 100000;
	struct buf   in;
	char	    *out;

	buf_init(&in, 0);
	for (size_t i = 0; i < depth; i++)
		buf_adds(&in, i % 2 ? "<div>" : "<span>");
	buf_adds(&in, "deep");
	out = sanitize_html(in.data, in.len, BASE);
	assert_non_null(out);
	assert_non_null(strstr(out, "deep"));
	assert_non_null(strstr(out, "</div></span></div>"));
	free(out);
	buf_free(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain),
	    cmocka_unit_test(test_script_style),
	    cmocka_unit_test(test_event_handlers),
	    cmocka_unit_test(test_svg_math),
	    cmocka_unit_test(test_javascript_urls),
	    cmocka_unit_test(test_style_attr),
	    cmocka_unit_test(test_iframes),
	    cmocka_unit_test(test_forms_meta_base),
	    cmocka_unit_test(test_attribute_breakout),
	    cmocka_unit_test(test_comments_cdata),
	    cmocka_unit_test(test_unknown_elements),
	    cmocka_unit_test(test_urls),
	    cmocka_unit_test(test_lazy_images),
	    cmocka_unit_test(test_media),
	    cmocka_unit_test(test_node_cap),
	    cmocka_unit_test(test_deep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
