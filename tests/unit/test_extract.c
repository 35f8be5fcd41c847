/* test_extract.c: the article extractor (lib/extract*.c) and the text
 * rendering rules (lib/render.c). */
#include <libxml/HTMLparser.h>

#include "testutil.h"
#include "../../lib/extract_int.h"

static char *
render(const char *html, int mode)
{
	char	   err[128];
	htmlDocPtr doc = html_parse(html, strlen(html), "utf-8", NULL, err, sizeof(err));
	xmlNode	  *root;
	struct buf b;

	assert_non_null(doc);
	root = xmlDocGetRootElement(doc);
	buf_init(&b, 0);
	assert_int_equal(render_text(root, mode, &b), 0);
	xmlFreeDoc(doc);
	return buf_take(&b);
}

#define assert_render(html, mode, want)                                                            \
	do {                                                                                       \
		char *got_ = render(html, mode);                                                   \
		assert_string_equal(got_, want);                                                   \
		free(got_);                                                                        \
	} while (0)

/* The aggregator fault in ../shared/examples: two headings on one line. */
static void
test_render_headings_never_glued(void **state)
{
	assert_render("<h2>Trump pleads</h2><h2>What could</h2>", RENDER_READER,
		      "## Trump pleads\n\n## What could");
	assert_render("<div><h3>One</h3>text<h3>Two</h3></div>", RENDER_READER,
		      "## One\n\ntext\n\n## Two");
}

static void
test_render_blocks(void **state)
{
	/* Words at a block boundary never fuse; inline ones never split. */
	assert_render("<p>the end</p><p>Start here</p>", RENDER_BODY, "the end\n\nStart here");
	assert_render("<div>end<div>Start</div></div>", RENDER_BODY, "end\n\nStart");
	assert_render("<p><b>T</b>he <i>word</i>s</p>", RENDER_BODY, "The words");
	assert_render("<p>line one<br>line two</p>", RENDER_BODY, "line one\nline two");
	assert_render("<p>  lots \n\t of   space&nbsp;here </p>", RENDER_BODY, "lots of space here");
}

static void
test_render_markers(void **state)
{
	assert_render("<ul><li>one</li><li>two</li></ul><p>after</p>", RENDER_READER,
		      "- one\n- two\n\nafter");
	assert_render("<ul><li>a<ul><li>b</li></ul></li></ul>", RENDER_READER, "- a\n  - b");
	assert_render("<blockquote><p>said this</p><p>and that</p></blockquote>", RENDER_READER,
		      "> said this\n\n> and that");
	assert_render("<figure><img src=x><figcaption>A caption</figcaption></figure><p>Text</p>",
		      RENDER_READER, "A caption\n\nText");
	assert_render("<pre>a  b\n  c</pre>", RENDER_READER, "a  b\n  c");
	assert_render("<table><tr><th>k</th><td>v</td></tr><tr><td>1</td><td>2</td></tr></table>",
		      RENDER_READER, "k | v\n1 | 2");
	/* articleBody: no markers, no captions. */
	assert_render("<h2>Head</h2><ul><li>one</li></ul><blockquote>q</blockquote>"
		      "<figure><figcaption>cap</figcaption></figure>",
		      RENDER_BODY, "Head\n\none\n\nq");
	/* Script, style and forms say nothing. */
	assert_render("<p>a<script>x=1</script><style>p{}</style>b</p><select><option>o</select>",
		      RENDER_BODY, "ab");
}

static void
test_class_words(void **state)
{
	static const char *const words[] = {"related", "share"};
	htmlDocPtr doc;
	xmlNode	  *n;
	char	   err[64];
	const char *html = "<div class='post-related_list'></div><div class='relatedPosts'></div>"
			   "<div class='unrelated'></div><div id='share'></div>";
	int	   want[] = {1, 1, 0, 1}, i = 0;

	doc = html_parse(html, strlen(html), "utf-8", NULL, err, sizeof(err));
	assert_non_null(doc);
	for (n = xmlDocGetRootElement(doc); n; n = next_node(n, xmlDocGetRootElement(doc), 1))
		if (tag_is(n, "div"))
			assert_int_equal(class_has_word(n, words, 2, 1), want[i++]);
	assert_int_equal(i, 4);
	xmlFreeDoc(doc);
}

static void
test_title_similar(void **state)
{
	assert_true(title_similar("Rust 2.0 is out: what changes", "Rust 2.0 is out"));
	assert_false(title_similar("Rust 2.0 is out", "Related stories"));
	assert_false(title_similar(NULL, "x"));
}

static const char PARA[] =
    "<p>The council met on Tuesday to discuss the new budget, which includes funding for "
    "schools, roads, and the library, and which the mayor called a turning point for the "
    "town, its residents, and its businesses.</p>";

static int
extract(const char *html, const struct extract_opts *o, struct article *a)
{
	char err[256];

	return extract_article(html, strlen(html), o, a, err, sizeof(err));
}

/* Navigation, share bars, related links, promos and comments go; the
 * paragraphs, a subheading and a quote stay; metadata comes from JSON-LD. */
static void
test_extract_page(void **state)
{
	struct buf  page;
	struct article a;
	struct extract_opts o = {.url = "https://news.example/a/1"};
	int i;

	buf_init(&page, 0);
	buf_adds(&page,
		 "<html lang=en><head><title>Budget passes | Town News</title>"
		 "<link rel=canonical href='/a/budget'>"
		 "<meta property='og:site_name' content='Town News'>"
		 "<script type='application/ld+json'>{\"@context\":\"https://schema.org\","
		 "\"@type\":\"NewsArticle\",\"headline\":\"Budget passes\",\"author\":"
		 "[{\"@type\":\"Person\",\"name\":\"Ann Lee\"}],\"datePublished\":"
		 "\"2025-03-04T10:00:00Z\"}</script></head><body>"
		 "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
		 "<div class='site-menu'><a href=/x>Sports</a><a href=/y>Weather</a></div>"
		 "<article><h1>Budget passes</h1><div class='byline'>By Ann Lee</div>"
		 "<div class='article-body'>");
	for (i = 0; i < 4; i++)
		buf_adds(&page, PARA);
	buf_adds(&page, "<h2>What comes next</h2>");
	buf_adds(&page, PARA);
	buf_adds(&page, "<blockquote><p>We did it together, said the mayor.</p></blockquote>"
			"<div class='share-bar'><a href='#'>Facebook</a> <a href='#'>Twitter</a></div>"
			"<p>Advertisement</p>");
	buf_adds(&page, PARA);
	buf_adds(&page, "</div><div class='related-stories'><h3>Related</h3><ul>"
			"<li><a href='/1'>Other story one</a></li><li><a href='/2'>Other story two</a></li>"
			"</ul></div></article><div id='comments'><p>First! Great article, everyone "
			"should read it, really, truly, honestly.</p></div>"
			"<footer>Copyright Town News</footer></body></html>");
	assert_int_equal(extract(page.data, &o, &a), EXTRACT_OK);
	assert_non_null(strstr(a.body, "turning point for the town"));
	assert_non_null(strstr(a.body, "What comes next"));
	assert_non_null(strstr(a.body, "We did it together"));
	assert_null(strstr(a.body, "Sports"));
	assert_null(strstr(a.body, "Home"));
	assert_null(strstr(a.body, "Facebook"));
	assert_null(strstr(a.body, "Other story"));
	assert_null(strstr(a.body, "First!"));
	assert_null(strstr(a.body, "Copyright"));
	assert_null(strstr(a.body, "Advertisement"));
	assert_null(strstr(a.body, "By Ann Lee"));
	assert_null(strstr(a.body, "Budget passes"));
	/* The reader text marks the heading and the quote. */
	assert_non_null(strstr(a.text, "\n\n## What comes next\n\n"));
	assert_non_null(strstr(a.text, "> We did it together"));
	assert_string_equal(a.title, "Budget passes");
	assert_string_equal(a.byline, "Ann Lee");
	assert_string_equal(a.site_name, "Town News");
	assert_string_equal(a.lang, "en");
	assert_string_equal(a.canonical, "https://news.example/a/budget");
	assert_true(a.published == 1741082400);
	assert_true(a.word_count > 150);
	assert_non_null(a.html);
	assert_null(strstr(a.html, "<script"));
	article_clear(&a);
	buf_free(&page);
}

/* A teaser page whose JSON-LD carries the whole text. */
static void
test_extract_jsonld_body(void **state)
{
	struct buf  page, body;
	struct article a;
	int i;

	buf_init(&body, 0);
	for (i = 0; i < 12; i++)
		buf_adds(&body, "Sentence number of the full story goes on here. ");
	buf_init(&page, 0);
	buf_printf(&page,
		   "<html><head><script type='application/ld+json'>{\"@graph\":[{\"@type\":"
		   "\"WebPage\"},{\"@type\":\"Article\",\"headline\":\"H\",\"articleBody\":\"%s\"}]}"
		   "</script></head><body><p>Short teaser only.</p></body></html>",
		   body.data);
	assert_int_equal(extract(page.data, NULL, &a), EXTRACT_OK);
	assert_string_equal(a.method, "json-ld");
	assert_non_null(strstr(a.body, "Sentence number of the full story"));
	article_clear(&a);
	buf_free(&page);
	buf_free(&body);
}

/* A per-site rule picks the content and removes what it names. */
static void
test_extract_site_rule(void **state)
{
	struct extract_opts o = {.url = "https://x.example/",
				 .content_xpath = "//div[@id='story']",
				 .remove_xpath = "//div[@class='promo']"};
	struct article a;
	const char *html = "<body><div id=story><p>Kept text of the story.</p>"
			   "<div class=promo>Buy now</div></div><div id=other><p>Other text that is "
			   "long enough to win a heuristic, with commas, many, many, many, of them.</p>"
			   "</div></body>";

	assert_int_equal(extract(html, &o, &a), EXTRACT_OK);
	assert_string_equal(a.method, "site-rule");
	assert_string_equal(a.body, "Kept text of the story.");
	article_clear(&a);

	/* Matches inside matches.  Under valgrind (make valgrind) this test
	 * also caught the nodes being freed before libxml2's node set, which
	 * reads them (in libxml2, out of ASan's sight). */
	html = "<body><div id=story><p>Kept text of the story.</p><div class=promo>Buy "
	       "<div class=promo>now <div class=promo>or never</div></div></div>"
	       "<div class=promo>Again</div></div></body>";
	assert_int_equal(extract(html, &o, &a), EXTRACT_OK);
	assert_string_equal(a.body, "Kept text of the story.");
	article_clear(&a);
}

/* Content after a second <html> tag, and below depth 256, is found. */
static void
test_extract_odd_trees(void **state)
{
	struct buf  page;
	struct article a;
	int i;

	buf_init(&page, 0);
	buf_adds(&page, "<html><body><header>Site</header></body></html><html><div class=content>");
	for (i = 0; i < 5; i++)
		buf_adds(&page, PARA);
	buf_adds(&page, "</div></html>");
	assert_int_equal(extract(page.data, NULL, &a), EXTRACT_OK);
	assert_non_null(strstr(a.body, "turning point"));
	article_clear(&a);

	/* Headings in a row with an empty one between (found by fuzz_extract:
	 * the first was marked for removal twice, a double free). */
	buf_reset(&page);
	buf_adds(&page, "<div class=entry><h2>One</h2><h2><img></h2><h2>Two</h2><h2>Three</h2>");
	for (i = 0; i < 5; i++)
		buf_adds(&page, PARA);
	buf_adds(&page, "<h2>Four</h2><h2><b></b></h2><h2>Five</h2></div>");
	assert_int_equal(extract(page.data, NULL, &a), EXTRACT_OK);
	assert_non_null(strstr(a.body, "turning point"));
	assert_null(strstr(a.body, "Five"));
	article_clear(&a);

	buf_reset(&page);
	for (i = 0; i < 100000; i++)
		buf_adds(&page, "<div>");
	buf_adds(&page, PARA);
	assert_int_equal(extract(page.data, NULL, &a), EXTRACT_OK);
	assert_non_null(strstr(a.body, "turning point"));
	article_clear(&a);
	buf_free(&page);
}

static void
test_extract_empty(void **state)
{
	struct article a;
	char	       err[128];

	assert_int_equal(extract("<html><head><title>T</title></head><body><nav>x</nav></body>",
				 NULL, &a),
			 EXTRACT_EMPTY);
	assert_string_equal(a.title, "T");
	article_clear(&a);
	assert_int_equal(extract_article("", 0, NULL, &a, err, sizeof(err)), EXTRACT_ERR);
	assert_true(err[0] != '\0');
	article_clear(&a);
	article_clear(NULL);
}

/* The shared Readability test pages: every page extracts without error,
 * and each expected text's first paragraph is found in at least 90% of
 * them (a regression check, not the quality benchmark: bench/extract). */
static void
test_extract_corpus(void **state)
{
	const char *dir = SHARED_DIR "/corpus/readability-test-pages";
	FILE	   *ls;
	char	    cmd[512], name[256];
	int	    pages = 0, found = 0;

	snprintf(cmd, sizeof(cmd), "ls %s 2>/dev/null", dir);
	if ((ls = popen(cmd, "r")) == NULL)
		skip();
	while (fgets(name, sizeof(name), ls)) {
		char	       path[600], *src = NULL, *exp = NULL, *p, *q, probe[41];
		size_t	       n;
		FILE	      *f;
		struct article a;
		char	       err[128];

		name[strcspn(name, "\n")] = '\0';
		snprintf(path, sizeof(path), "%s/%s/source.html", dir, name);
		if ((f = fopen(path, "rb")) == NULL)
			continue;
		src = malloc(8 << 20);
		n = fread(src, 1, (8 << 20) - 1, f);
		fclose(f);
		src[n] = '\0';
		snprintf(path, sizeof(path), "%s/%s/expected.html", dir, name);
		if ((f = fopen(path, "rb")) != NULL) {
			exp = calloc(1, 1 << 20);
			if (fread(exp, 1, (1 << 20) - 1, f) == 0) { /* empty file */ }
			fclose(f);
		}
		assert_true(extract_article(src, n, NULL, &a, err, sizeof(err)) >= 0);
		pages++;
		/* 40 characters of the first <p> of the expected text. */
		if (exp && (p = strstr(exp, "<p>")) != NULL) {
			p += 3;
			while (*p == ' ' || *p == '\n')
				p++;
			for (q = p, n = 0; *q && *q != '<' && *q != '&' && n < 40; q++)
				probe[n++] = *q;
			probe[n] = '\0';
			if (n < 40 || strchr(probe, '\n') || (a.body && strstr(a.body, probe)))
				found++;
		} else
			found++;
		article_clear(&a);
		free(src);
		free(exp);
	}
	pclose(ls);
	if (pages == 0) {
		print_message("skipped: %s is absent\n", dir);
		skip();
	}
	print_message("readability pages: %d of %d start as expected\n", found, pages);
	assert_true(found * 10 >= pages * 9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_render_headings_never_glued),
	    cmocka_unit_test(test_render_blocks),
	    cmocka_unit_test(test_render_markers),
	    cmocka_unit_test(test_class_words),
	    cmocka_unit_test(test_title_similar),
	    cmocka_unit_test(test_extract_page),
	    cmocka_unit_test(test_extract_jsonld_body),
	    cmocka_unit_test(test_extract_site_rule),
	    cmocka_unit_test(test_extract_odd_trees),
	    cmocka_unit_test(test_extract_empty),
	    cmocka_unit_test(test_extract_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
