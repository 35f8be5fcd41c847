/*
 * test_text.c: lib/text.c against the reference it follows.
 * Expected values were produced by Python 3.11 (Debian 12's python3) running
 * feed_oracle.html_to_text(), " ".join(s.split()), html.unescape() and
 * feedparser's _FeedParserMixin.looks_like_html() on the same inputs.
 */
#include "testutil.h"

/* From the generated entities.c; to be declared in gleaner.h. */
int entity_legacy(const char *name, size_t len);
int entity_html4(const char *name, size_t len);
int unicode_isword(uint32_t cp);

struct tcase {
	const char *in;
	const char *out;
};

struct lcase {
	const char *in;
	int         want;
};

struct ucase {
	const char *in;
	size_t      len;
	size_t      want;
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct tcase from_html_cases[] = {
	/* empty */
	{"", ""},
	/* tags dropped, text kept */
	{"<p>Hello <b>world</b></p>", "Hello world"},
	/* a tag joins words */
	{"a<br/>b", "ab"},
	/* newline between blocks */
	{"<p>one</p>\012<p>two</p>", "one two"},
	/* script with content */
	{"x<script>var a = \042<b>\042;</script>y", "xy"},
	/* case-insensitive, space before > */
	{"x<SCRIPT type=\042text/javascript\042>1</ScRiPt >y", "xy"},
	/* style elements */
	{"x<style>p{}</style\012>y<style media=x>q</style>z", "xyz"},
	/* unclosed script: only the tag goes */
	{"a<script>b", "ab"},
	/* no \b after name */
	{"a<scripts>b</scripts>c", "abc"},
	/* - is a boundary */
	{"a<script-x>b</script-x>c</script>d", "ad"},
	/* close must match open name */
	{"a<script>b</style>c</script>d", "ad"},
	/* lazy: each element separately */
	{"a<script>1</script>b<script>2</script>c", "abc"},
	/* long s only closes with long s */
	{"a<\305\277cript>b</script>c</\305\277cript>d", "ad"},
	/* dotted I lowercases to i */
	{"a<scr\304\260pt>b</SCRIPT>c", "ac"},
	/* comment */
	{"a<!-- hidden <b> -->b", "ab"},
	/* --> may not overlap <!-- */
	{"a<!-->b-->c", "ac"},
	/* unclosed comment: a tag to the end */
	{"a<!-- unclosed b", "a<!-- unclosed b"},
	/* unclosed comment, no > */
	{"a<!-- x -- y", "a<!-- x -- y"},
	/* unclosed < stays */
	{"a <b", "a <b"},
	/* a < ... > span is a tag */
	{"1 < 2 and 3 > 2", "1 2"},
	/* script pass runs before comments */
	{"a<scr<!-- x -->ipt>b</script>c", "abc"},
	/* entities decoded after tags are gone */
	{"&lt;b&gt;bold&lt;/b&gt;", "<b>bold</b>"},
	/* decoded once */
	{"&amp;lt;", "&lt;"},
	/* legacy names without ; */
	{"caf&eacute; &copy 2024 &notit; &amp", "caf\303\251 \302\251 2024 \302\254it; &"},
	/* longest legacy prefix */
	{"&ampx &ltfoo; &nbspx", "&x <foo; x"},
	/* not references */
	{"&xyzzy; &; & &# &#x; &#xg;", "&xyzzy; &; & &# &#x; &#xg;"},
	/* numeric, ; optional */
	{"&#65;&#x42;&#X43;&#0068&#x45", "ABCDE"},
	/* 0, CR, C1 remapped via windows-1252 */
	{"&#0;|&#13;|&#x80;|&#150;|&#x81;", "\357\277\275| |\342\202\254|\342\200\223|\302\201"},
	/* invalid code points dropped */
	{"a&#1;b&#x7f;c&#xFFFE;d&#xfdd0;e", "abcde"},
	/* surrogate, too big */
	{"&#xD800;&#1114112;&#99999999999999999999;", "\357\277\275\357\277\275\357\277\275"},
	/* two-code-point expansions */
	{"&NotNestedGreaterGreater;&nGt;&fjlig;", "\342\252\242\314\270\342\211\253\342\203\222fj"},
	/* astral, quotes */
	{"&Kopf;&quot;&apos;&QUOT", "\360\235\225\202\042'\042"},
	/* nbsp is whitespace */
	{"x&nbsp;y&#160;z\302\240w", "x y z w"},
	/* Unicode whitespace collapsed, trimmed */
	{"  \011 a \342\200\203 b\343\200\200\342\200\250c\012 ", "a b c"},
	/* ZWSP, BOM are not whitespace */
	{"a\342\200\213b\357\273\277c", "a\342\200\213b\357\273\277c"},
	/* decoded whitespace collapses too */
	{"&#9;x&#10;y&#12;z&#32;", "x y z"},
	/* > inside an attribute ends the tag */
	{"<a href=\042x>y\042>link</a>", "y\042>link"},
	/* non-ASCII passes */
	{"\346\227\245\346\234\254<b>\350\252\236</b> \360\237\230\200", "\346\227\245\346\234\254\350\252\236 \360\237\230\200"},
};

static const struct tcase collapse_cases[] = {
	{"", ""},
	{"   ", ""},
	{" a  b ", "a b"},
	{"a\011\012\015\013\014b", "a b"},
	{"a\034\035\036\037b", "a b"},
	{"a\302\205b\302\240c\341\232\200d", "a b c d"},
	{"a\342\200\200\342\200\212b\342\200\250\342\200\251c\342\200\257\342\201\237\343\200\200d", "a b c d"},
	{"a\342\200\213b\341\240\216c", "a\342\200\213b\341\240\216c"},
	{"<b> x </b>", "<b> x </b>"},
	{"&nbsp; a", "&nbsp; a"},
};

static const struct tcase decode_cases[] = {
	{"a &amp; b", "a & b"},
	{"&lt;&gt;&quot;&apos;", "<>\042'"},
	{"&eacute;&Eacute;&eacute", "\303\251\303\211\303\251"},
	{"&notin;&not;&notit;&noti", "\342\210\211\302\254\302\254it;\302\254i"},
	{"&amp;amp;", "&amp;"},
	{"&#x1F600;&#128512;", "\360\237\230\200\360\237\230\200"},
	{"&#x80;&#x9f;&#x8d;", "\342\202\254\305\270\302\215"},
	{"&#0;&#xd;&#x0D;", "\357\277\275\015\015"},
	{"&#1;&#8;&#11;&#127;", ""},
	{"&#xDFFF;&#x110000;", "\357\277\275\357\277\275"},
	{"&&&#&#x&;", "&&&#&#x&;"},
	{"&a\303\251;", "&a\303\251;"},
	{"&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;", "&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;"},
	{"&ampamp&ampamp;", "&amp&amp;"},
	{"&frac12;&frac12&frac123", "\302\275\302\275\302\2753"},
	{"&#00065;&#x000041", "AA"},
	{"&AMP&amp&AMP;", "&&&"},
	{"no refs", "no refs"},
	{"&Ascr;&bne;", "\360\235\222\234=\342\203\245"},
	{"&lt\303\251", "<\303\251"},
};

static const struct lcase looks_cases[] = {
	{"plain text", 0},
	{"a <b>bold</b> word", 1},
	{"a &amp; b", 1},
	{"a &#8217; b", 1},
	{"<p>no close tag", 0},
	{"x</p>", 1},
	{"x</p >", 0},
	{"<script>x</script>", 0},
	{"<b>x</b><foo>", 0},
	{"<B>X</B>", 1},
	{"&amp; &foo;", 0},
	{"&apos;", 0},
	{"&hellip;", 1},
	{"&Kopf;", 0},
	{"<br/>&amp;", 1},
	{"</event-source>", 0},
	{"x &#x;", 1},
	{"<bloc\342\204\252quote>q</blockquote>", 1},
	{"<\342\204\252BD>x</kbd>", 1},
	{"<h1>t</h1>", 1},
	{"</\303\251>", 0},
	{"x & y < z", 0},
	{"<_a>x</a>", 0},
	{"&#xe9;", 1},
	{"<em>x</em> &amp", 1},
	{"a </ b>", 0},
};

static const struct ucase u8len_cases[] = {
	{"", 0, 0},
	{"abc", 3, 3},
	{"\303\251\346\227\245\360\237\230\200", 9, 3},
	{"\377\376", 2, 2},
	{"\200\200a", 3, 1},
	{"\303", 1, 1},
};

static void
check_str(const char *in, const char *got, const char *want)
{
	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("input \"%s\": got \"%s\", want \"%s\"", in, got ? got : "(null)", want);
}

static void
test_from_html(void **state)
{
	size_t i;
	char  *r;

	for (i = 0; i < NELEM(from_html_cases); i++) {
		r = text_from_html(from_html_cases[i].in, strlen(from_html_cases[i].in));
		check_str(from_html_cases[i].in, r, from_html_cases[i].out);
		free(r);
	}
}

static void
test_collapse_ws(void **state)
{
	size_t i;
	char  *r;

	for (i = 0; i < NELEM(collapse_cases); i++) {
		r = text_collapse_ws(collapse_cases[i].in, strlen(collapse_cases[i].in));
		check_str(collapse_cases[i].in, r, collapse_cases[i].out);
		free(r);
	}
}

static void
test_decode_entities(void **state)
{
	struct buf b;
	size_t     i;

	for (i = 0; i < NELEM(decode_cases); i++) {
		buf_init(&b, 0);
		buf_adds(&b, "[");
		text_decode_entities(&b, decode_cases[i].in, strlen(decode_cases[i].in));
		/* appends: what was in the buffer stays */
		assert_int_equal(b.data[0], '[');
		check_str(decode_cases[i].in, b.data + 1, decode_cases[i].out);
		assert_int_equal(b.len, 1 + strlen(decode_cases[i].out));
		buf_free(&b);
	}
}

static void
test_looks_like_html(void **state)
{
	size_t i;

	for (i = 0; i < NELEM(looks_cases); i++) {
		if (text_looks_like_html(looks_cases[i].in, strlen(looks_cases[i].in)) !=
		    looks_cases[i].want)
			fail_msg("input \"%s\": want %d", looks_cases[i].in, looks_cases[i].want);
	}
}

static void
test_utf8_length(void **state)
{
	size_t i;

	for (i = 0; i < NELEM(u8len_cases); i++)
		assert_int_equal(utf8_length(u8len_cases[i].in, u8len_cases[i].len),
				 u8len_cases[i].want);
}

/* A NUL cannot live in the returned C string; U+FFFD keeps the length. */
static void
test_nul(void **state)
{
	char *r;

	r = text_from_html("a\0<b>b</b>", 10);
	assert_string_equal(r, "a\357\277\275b");
	free(r);
	r = text_collapse_ws(" \0 ", 3);
	assert_string_equal(r, "\357\277\275");
	free(r);
}

/* Length is honoured: nothing past len is read, and a name or number cut
 * by len is decoded as what is there. */
static void
test_bounds(void **state)
{
	char *r;

	r = text_from_html("&amp;&lt;", 4);
	assert_string_equal(r, "&");
	free(r);
	r = text_from_html("&#6566", 4);
	assert_string_equal(r, "A");
	free(r);
	r = text_from_html("<b>x</b>", 2);
	assert_string_equal(r, "<b");
	free(r);
	r = text_collapse_ws("a\342\200\200", 3);
	assert_string_equal(r, "a\342\200");
	free(r);
}

/* Malformed UTF-8 passes through byte by byte. */
static void
test_invalid_utf8(void **state)
{
	static const char in[] = "\377<b>\300\257</b> \355\240\200 \342\200";
	char             *r;

	r = text_from_html(in, sizeof(in) - 1);
	assert_string_equal(r, "\377\300\257 \355\240\200 \342\200");
	free(r);
	assert_int_equal(text_looks_like_html("</\377>&\377;", 8), 0);
}

static void
test_entity_tables(void **state)
{
	assert_string_equal(entity_lookup("amp", 3), "&");
	assert_string_equal(entity_lookup("nbsp", 4), "\302\240");
	assert_string_equal(entity_lookup("CounterClockwiseContourIntegral", 31), "\342\210\263");
	assert_null(entity_lookup("am", 2));
	assert_null(entity_lookup("amp;", 4));
	assert_null(entity_lookup("", 0));
	assert_true(entity_legacy("eacute", 6));
	assert_true(entity_legacy("AMP", 3));
	assert_false(entity_legacy("hellip", 6));
	assert_true(entity_html4("hellip", 6));
	assert_false(entity_html4("apos", 4));
	assert_false(entity_html4("Kopf", 4));
	assert_true(unicode_isword('_'));
	assert_true(unicode_isword(0xE9));
	assert_true(unicode_isword(0x0661)); /* Arabic-Indic digit one */
	assert_false(unicode_isword(0x0300)); /* combining grave: Mn */
	assert_false(unicode_isword('-'));
}

/* Unclosed openers must not make the passes quadratic: 100k of each
 * finishes in well under a second when every scan is linear. */
static void
test_linear(void **state)
{
	static const char *units[] = {"<script", "<style>", "<!--", "<", "&amp", "</script "};
	size_t             i, k, ul, n = 100000;
	char              *s, *r;

	for (i = 0; i < NELEM(units); i++) {
		ul = strlen(units[i]);
		s = malloc(ul * n + 1);
		assert_non_null(s);
		for (k = 0; k < n; k++)
			memcpy(s + k * ul, units[i], ul);
		s[ul * n] = '\0';
		r = text_from_html(s, ul * n);
		assert_non_null(r);
		free(r);
		(void)text_looks_like_html(s, ul * n);
		free(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_html),
		cmocka_unit_test(test_collapse_ws),
		cmocka_unit_test(test_decode_entities),
		cmocka_unit_test(test_looks_like_html),
		cmocka_unit_test(test_utf8_length),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_entity_tables),
		cmocka_unit_test(test_linear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
