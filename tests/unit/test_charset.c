/*
 * test_charset.c: charset names, Content-Type parsing and streaming
 * conversion to UTF-8.  Byte strings were made with Python's codecs, for
 * example 'текст'.encode('koi8-r'); each sample is converted whole, split
 * at every pair of offsets, and byte by byte, and must come out the same.
 */
#include <stdio.h>
#include <unistd.h>

#include "testutil.h"

struct sample {
	const char *label;
	const char *in;
	size_t      len;
	const char *utf8;
};

static const struct sample samples[] = {
	{"windows-1251", /* Привет, мир! Ёё № */
	 "\xCF\xF0\xE8\xE2\xE5\xF2\x2C\x20\xEC\xE8\xF0\x21\x20\xA8\xB8\x20\xB9", 17,
	 "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82\x2C\x20\xD0\xBC\xD0\xB8\xD1\x80\x21\x20\xD0\x81\xD1\x91\x20\xE2\x84\x96"},
	{"windows-1252", /* café – “quotes” € ™ Œ */
	 "\x63\x61\x66\xE9\x20\x96\x20\x93\x71\x75\x6F\x74\x65\x73\x94\x20\x80\x20\x99\x20\x8C", 21,
	 "\x63\x61\x66\xC3\xA9\x20\xE2\x80\x93\x20\xE2\x80\x9C\x71\x75\x6F\x74\x65\x73\xE2\x80\x9D\x20\xE2\x82\xAC\x20\xE2\x84\xA2\x20\xC5\x92"},
	{"KOI8-R", /* Текст: съешь ещё, Ёж */
	 "\xF4\xC5\xCB\xD3\xD4\x3A\x20\xD3\xDF\xC5\xDB\xD8\x20\xC5\xDD\xA3\x2C\x20\xB3\xD6", 20,
	 "\xD0\xA2\xD0\xB5\xD0\xBA\xD1\x81\xD1\x82\x3A\x20\xD1\x81\xD1\x8A\xD0\xB5\xD1\x88\xD1\x8C\x20\xD0\xB5\xD1\x89\xD1\x91\x2C\x20\xD0\x81\xD0\xB6"},
	{"ISO-8859-2", /* Zażółć gęślą jaźń */
	 "\x5A\x61\xBF\xF3\xB3\xE6\x20\x67\xEA\xB6\x6C\xB1\x20\x6A\x61\xBC\xF1", 17,
	 "\x5A\x61\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87\x20\x67\xC4\x99\xC5\x9B\x6C\xC4\x85\x20\x6A\x61\xC5\xBA\xC5\x84"},
	{"ISO-8859-15", /* €uro œuvre Ÿ Š ž */
	 "\xA4\x75\x72\x6F\x20\xBD\x75\x76\x72\x65\x20\xBE\x20\xA6\x20\xB8", 16,
	 "\xE2\x82\xAC\x75\x72\x6F\x20\xC5\x93\x75\x76\x72\x65\x20\xC5\xB8\x20\xC5\xA0\x20\xC5\xBE"},
	{"GB2312", /* 中文测试，简体。 */
	 "\xD6\xD0\xCE\xC4\xB2\xE2\xCA\xD4\xA3\xAC\xBC\xF2\xCC\xE5\xA1\xA3", 16,
	 "\xE4\xB8\xAD\xE6\x96\x87\xE6\xB5\x8B\xE8\xAF\x95\xEF\xBC\x8C\xE7\xAE\x80\xE4\xBD\x93\xE3\x80\x82"},
	{"GBK", /* 镕鍀 繁體 中文 */
	 "\xE9\x46\xE5\x75\x20\xB7\xB1\xF3\x77\x20\xD6\xD0\xCE\xC4", 14,
	 "\xE9\x95\x95\xE9\x8D\x80\x20\xE7\xB9\x81\xE9\xAB\x94\x20\xE4\xB8\xAD\xE6\x96\x87"},
	{"GB18030", /* 中文 ɐ € 😀 ŀ */
	 "\xD6\xD0\xCE\xC4\x20\x81\x30\xAB\x37\x20\xA2\xE3\x20\x94\x39\xFC\x36\x20\x81\x30\x91\x38", 22,
	 "\xE4\xB8\xAD\xE6\x96\x87\x20\xC9\x90\x20\xE2\x82\xAC\x20\xF0\x9F\x98\x80\x20\xC5\x80"},
	{"Big5", /* 繁體中文測試，臺灣 */
	 "\xC1\x63\xC5\xE9\xA4\xA4\xA4\xE5\xB4\xFA\xB8\xD5\xA1\x41\xBB\x4F\xC6\x57", 18,
	 "\xE7\xB9\x81\xE9\xAB\x94\xE4\xB8\xAD\xE6\x96\x87\xE6\xB8\xAC\xE8\xA9\xA6\xEF\xBC\x8C\xE8\x87\xBA\xE7\x81\xA3"},
	{"EUC-KR", /* 한국어 테스트 */
	 "\xC7\xD1\xB1\xB9\xBE\xEE\x20\xC5\xD7\xBD\xBA\xC6\xAE", 13,
	 "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4\x20\xED\x85\x8C\xEC\x8A\xA4\xED\x8A\xB8"},
	{"EUC-KR", /* 똠방각하 (UHC) */
	 "\x8C\x63\xB9\xE6\xB0\xA2\xC7\xCF\x20\x28\x55\x48\x43\x29", 14,
	 "\xEB\x98\xA0\xEB\xB0\xA9\xEA\xB0\x81\xED\x95\x98\x20\x28\x55\x48\x43\x29"},
	{"Shift_JIS", /* 日本語テキスト、ｶﾀｶﾅ！ */
	 "\x93\xFA\x96\x7B\x8C\xEA\x83\x65\x83\x4C\x83\x58\x83\x67\x81\x41\xB6\xC0\xB6\xC5\x81\x49", 22,
	 "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3\x83\x88\xE3\x80\x81\xEF\xBD\xB6\xEF\xBE\x80\xEF\xBD\xB6\xEF\xBE\x85\xEF\xBC\x81"},
	{"Shift_JIS", /* ①ⅰ髙 (CP932) */
	 "\x87\x40\xEE\xEF\xEE\xE0\x20\x28\x43\x50\x39\x33\x32\x29", 14,
	 "\xE2\x91\xA0\xE2\x85\xB0\xE9\xAB\x99\x20\x28\x43\x50\x39\x33\x32\x29"},
	{"EUC-JP", /* 日本語テキスト、ｶﾀｶﾅ */
	 "\xC6\xFC\xCB\xDC\xB8\xEC\xA5\xC6\xA5\xAD\xA5\xB9\xA5\xC8\xA1\xA2\x8E\xB6\x8E\xC0\x8E\xB6\x8E\xC5", 24,
	 "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3\x83\x88\xE3\x80\x81\xEF\xBD\xB6\xEF\xBE\x80\xEF\xBD\xB6\xEF\xBE\x85"},
	{"ISO-2022-JP", /* 日本語 text カナ */
	 "\x1B\x24\x42\x46\x7C\x4B\x5C\x38\x6C\x1B\x28\x42\x20\x74\x65\x78\x74\x20\x1B\x24\x42\x25\x2B\x25\x4A\x1B\x28\x42", 28,
	 "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\x20\x74\x65\x78\x74\x20\xE3\x82\xAB\xE3\x83\x8A"},
	{"UTF-16LE", /* Añ€😀<x/> */
	 "\x41\x00\xF1\x00\xAC\x20\x3D\xD8\x00\xDE\x3C\x00\x78\x00\x2F\x00\x3E\x00", 18,
	 "\x41\xC3\xB1\xE2\x82\xAC\xF0\x9F\x98\x80\x3C\x78\x2F\x3E"},
	{"UTF-16BE", /* Añ€😀<x/> */
	 "\x00\x41\x00\xF1\x20\xAC\xD8\x3D\xDE\x00\x00\x3C\x00\x78\x00\x2F\x00\x3E", 18,
	 "\x41\xC3\xB1\xE2\x82\xAC\xF0\x9F\x98\x80\x3C\x78\x2F\x3E"},
	{"UTF-32LE", /* Añ€😀 */
	 "\x41\x00\x00\x00\xF1\x00\x00\x00\xAC\x20\x00\x00\x00\xF6\x01\x00", 16,
	 "\x41\xC3\xB1\xE2\x82\xAC\xF0\x9F\x98\x80"},
	{"UTF-32BE", /* Añ€😀 */
	 "\x00\x00\x00\x41\x00\x00\x00\xF1\x00\x00\x20\xAC\x00\x01\xF6\x00", 16,
	 "\x41\xC3\xB1\xE2\x82\xAC\xF0\x9F\x98\x80"},
	{"UTF-8", /* Añ€😀 ✓ */
	 "\x41\xC3\xB1\xE2\x82\xAC\xF0\x9F\x98\x80\x20\xE2\x9C\x93", 14,
	 "\x41\xC3\xB1\xE2\x82\xAC\xF0\x9F\x98\x80\x20\xE2\x9C\x93"},
};
#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

/* Converts in, split into chunks at cuts[0..ncuts), the last call with last=1. */
static char *
conv_cuts(const char *label, const char *in, size_t len, const size_t *cuts, size_t ncuts,
	  unsigned *ninvalid)
{
	struct charset_conv *c;
	struct buf           out;
	size_t               i, from = 0;

	c = charset_conv_new(label);
	assert_non_null(c);
	buf_init(&out, 0);
	for (i = 0; i < ncuts; i++) {
		assert_true(cuts[i] >= from && cuts[i] <= len);
		assert_int_equal(charset_conv_run(c, in + from, cuts[i] - from, &out, 0, ninvalid), 0);
		from = cuts[i];
	}
	assert_int_equal(charset_conv_run(c, in + from, len - from, &out, 1, ninvalid), 0);
	charset_conv_free(c);
	return buf_take(&out);
}

static char *
conv(const char *label, const char *in, size_t len, unsigned *ninvalid)
{
	return conv_cuts(label, in, len, NULL, 0, ninvalid);
}

static void
assert_conv(const char *label, const char *in, size_t len, const char *want, unsigned want_invalid)
{
	unsigned n = 0;
	char    *got = conv(label, in, len, &n);

	assert_string_equal(got, want);
	assert_int_equal(n, want_invalid);
	free(got);
}

static void
test_samples_whole(void **state)
{
	size_t i;

	for (i = 0; i < NSAMPLES; i++) {
		unsigned n = 0;
		char    *got = conv(samples[i].label, samples[i].in, samples[i].len, &n);

		if (strcmp(got, samples[i].utf8) != 0 || n != 0)
			fail_msg("%s: got \"%s\" (%u invalid), want \"%s\"", samples[i].label, got, n,
				 samples[i].utf8);
		free(got);
	}
}

/* Every multibyte sequence gets split at every offset, twice over. */
static void
test_samples_split_everywhere(void **state)
{
	size_t i, a, b, cuts[2];

	for (i = 0; i < NSAMPLES; i++) {
		for (a = 0; a <= samples[i].len; a++) {
			for (b = a; b <= samples[i].len; b++) {
				unsigned n = 0;
				char    *got;

				cuts[0] = a;
				cuts[1] = b;
				got = conv_cuts(samples[i].label, samples[i].in, samples[i].len, cuts, 2,
						&n);
				if (strcmp(got, samples[i].utf8) != 0 || n != 0)
					fail_msg("%s split at %zu,%zu: got \"%s\" (%u invalid)",
						 samples[i].label, a, b, got, n);
				free(got);
			}
		}
	}
}

static void
test_samples_bytewise(void **state)
{
	size_t i, k, cuts[64];

	for (i = 0; i < NSAMPLES; i++) {
		unsigned n = 0;
		char    *got;

		assert_true(samples[i].len <= 64);
		for (k = 0; k < samples[i].len; k++)
			cuts[k] = k;
		got = conv_cuts(samples[i].label, samples[i].in, samples[i].len, cuts,
				samples[i].len, &n);
		if (strcmp(got, samples[i].utf8) != 0 || n != 0)
			fail_msg("%s byte by byte: got \"%s\"", samples[i].label, got);
		free(got);
	}
}

/* "Añ€" and a surrogate pair, in each byte order, with and without a BOM. */
static void
test_utf16_32_bom(void **state)
{
	static const char want[] = "A\xC3\xB1\xE2\x82\xAC\xF0\x9F\x98\x80";

	/* A BOM is dropped for the explicit orders too, where iconv would emit it. */
	assert_conv("UTF-16LE", "\xFF\xFE" "A\x00\xF1\x00\xAC\x20\x3D\xD8\x00\xDE", 12, want, 0);
	assert_conv("UTF-16LE", "A\x00\xF1\x00\xAC\x20\x3D\xD8\x00\xDE", 10, want, 0);
	assert_conv("UTF-16BE", "\xFE\xFF" "\x00" "A\x00\xF1\x20\xAC\xD8\x3D\xDE\x00", 12, want, 0);
	assert_conv("UTF-16BE", "\x00" "A\x00\xF1\x20\xAC\xD8\x3D\xDE\x00", 10, want, 0);
	/* "UTF-16": the BOM decides, else where the zero byte of 'A' is. */
	assert_conv("utf-16", "\xFF\xFE" "A\x00\xF1\x00\xAC\x20\x3D\xD8\x00\xDE", 12, want, 0);
	assert_conv("utf-16", "\xFE\xFF" "\x00" "A\x00\xF1\x20\xAC\xD8\x3D\xDE\x00", 12, want, 0);
	assert_conv("utf-16", "\x00" "A\x00\xF1\x20\xAC\xD8\x3D\xDE\x00", 10, want, 0);
	assert_conv("utf-16", "A\x00\xF1\x00\xAC\x20\x3D\xD8\x00\xDE", 10, want, 0);
	/* Nothing to go on: big-endian, as RFC 2781 says (glibc alone would use the host's). */
	assert_conv("UTF-16", "\x4E\x2D", 2, "\xE4\xB8\xAD", 0);
	assert_conv("UCS-2", "\xFF\xFE" "A\x00\xF1\x00", 6, "A\xC3\xB1", 0);
	assert_conv("UCS-2", "\x00" "A\x00\xF1", 4, "A\xC3\xB1", 0);

	assert_conv("UTF-32LE", "\xFF\xFE\x00\x00" "A\x00\x00\x00\x00\xF6\x01\x00", 12,
		    "A\xF0\x9F\x98\x80", 0);
	assert_conv("UTF-32BE", "\x00\x00\xFE\xFF" "\x00\x00\x00" "A\x00\x01\xF6\x00", 12,
		    "A\xF0\x9F\x98\x80", 0);
	assert_conv("UTF-32", "\xFF\xFE\x00\x00" "A\x00\x00\x00\x00\xF6\x01\x00", 12,
		    "A\xF0\x9F\x98\x80", 0);
	assert_conv("UTF-32", "\x00\x00\xFE\xFF" "\x00\x00\x00" "A\x00\x01\xF6\x00", 12,
		    "A\xF0\x9F\x98\x80", 0);
	assert_conv("UTF-32", "\x00\x00\x00" "A\x00\x01\xF6\x00", 8, "A\xF0\x9F\x98\x80", 0);
	assert_conv("UTF-32", "A\x00\x00\x00\x00\xF6\x01\x00", 8, "A\xF0\x9F\x98\x80", 0);
	/* Not ASCII first: the order that gives a code point wins. */
	assert_conv("UTF-32", "\x00\xF6\x01\x00" "A\x00\x00\x00", 8, "\xF0\x9F\x98\x80" "A", 0);
	assert_conv("UTF-32", "\x00\x01\xF6\x00\x00\x00\x00" "A", 8, "\xF0\x9F\x98\x80" "A", 0);
	assert_conv("UCS-4", "\x00\x00\x00" "A", 4, "A", 0);
	assert_conv("UCS-4LE", "A\x00\x00\x00", 4, "A", 0);
	/* Past U+10FFFF: glibc's UCS-4 alone would write a 6-byte "UTF-8" sequence. */
	assert_conv("UCS-4", "\x15\xFF\xFF\xFF" "\x00\x00\x00" "A", 8, "\xEF\xBF\xBD" "A", 1);
	assert_conv("10646-1:1993", "\x7F\xFF\xFF\xFF", 4, "\xEF\xBF\xBD", 1);

	/* Only a BOM at the very start is one; U+FEFF later is text. */
	assert_conv("UTF-16LE", "A\x00\xFF\xFE" "B\x00", 6, "A\xEF\xBB\xBF" "B", 0);
	assert_conv("UTF-16LE", "\xFF\xFE\xFF\xFE", 4, "\xEF\xBB\xBF", 0);
	/* The UTF-8 BOM goes the same way. */
	assert_conv("UTF-8", "\xEF\xBB\xBF" "ab", 5, "ab", 0);
}

/* Shift_JIS is read as CP932, as browsers do; glibc's SHIFT_JIS would give "a¥b‾". */
static void
test_shift_jis_ascii(void **state)
{
	assert_conv("Shift_JIS", "a\\b~", 4, "a\\b~", 0);
	assert_conv("x-sjis", "http://a/~b\\", 13, "http://a/~b\\", 0);
}

/* After last=1 the converter starts a new stream: BOM and byte order again. */
static void
test_reuse_after_last(void **state)
{
	struct charset_conv *c = charset_conv_new("UTF-16");
	struct buf           out;

	assert_non_null(c);
	buf_init(&out, 0);
	assert_int_equal(charset_conv_run(c, "\xFF\xFE" "A\x00", 4, &out, 1, NULL), 0);
	assert_int_equal(charset_conv_run(c, "\xFE\xFF\x00" "B", 4, &out, 1, NULL), 0);
	assert_int_equal(charset_conv_run(c, "\x00" "C", 2, &out, 1, NULL), 0);
	assert_string_equal(out.data, "ABC");
	buf_free(&out);
	charset_conv_free(c);
}

static void
test_invalid(void **state)
{
	/* One U+FFFD per bad byte, and the byte after is read afresh. */
	assert_conv("UTF-8", "a\xFF" "b", 3, "a\xEF\xBF\xBD" "b", 1);
	assert_conv("UTF-8", "\xFF\xFE\xFD", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3);
	assert_conv("UTF-8", "\xE4\xB8" "x", 3, "\xEF\xBF\xBD\xEF\xBF\xBD" "x", 2);
	assert_conv("UTF-8", "\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3);
	assert_conv("UTF-8", "\xC0\x80", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 2);
	/* glibc reads these as characters past U+10FFFF; they must not come out. */
	assert_conv("UTF-8", "a\xF4\x90\x80\x80" "b", 6, "a\xEF\xBF\xBD" "b", 1);
	assert_conv("UTF-8", "\xF8\x88\x80\x80\x80\xFD\xBF\xBF\xBF\xBF\xBF\xF4\x8F\xBF\xBF", 15,
		    "\xEF\xBF\xBD\xEF\xBF\xBD\xF4\x8F\xBF\xBF", 2);
	assert_conv("ISO-IR-193", "\xFB\x9A\x9A\x9A\x9A", 5, "\xEF\xBF\xBD", 1);
	/* The same in the middle of longer output (scanned eight bytes at a time). */
	assert_conv("UTF-8", "0123456789abcdef\xF4\x90\x80\x80xyz\xF4\x8F\xBF\xBF" "0123456789", 37,
		    "0123456789abcdef\xEF\xBF\xBDxyz\xF4\x8F\xBF\xBF" "0123456789", 1);
	assert_conv("UTF-8", "01234567\xF0\x9F\x98\x80" "01234567\xF7\xBF\xBF\xBF", 24,
		    "01234567\xF0\x9F\x98\x80" "01234567\xEF\xBF\xBD", 1);
	assert_conv("windows-1252", "x\x81y", 3, "x\xEF\xBF\xBDy", 1);
	assert_conv("us-ascii", "a\xE9" "b", 3, "a\xEF\xBF\xBD" "b", 1);
	/* A lead byte with a bad trail byte: the trail byte is kept (it is ASCII). */
	assert_conv("Shift_JIS", "\x81 A", 3, "\xEF\xBF\xBD A", 1);
	assert_conv("euc-kr", "\xB0<", 2, "\xEF\xBF\xBD<", 1);
	assert_conv("gbk", "\xD6<\xD6\xD0", 4, "\xEF\xBF\xBD<\xE4\xB8\xAD", 1);
	/* UTF-16/32: a whole code unit goes, so the rest stays aligned. */
	assert_conv("UTF-16LE", "\x00\xDC" "A\x00", 4, "\xEF\xBF\xBD" "A", 1);
	assert_conv("UTF-16LE", "\x00\xD8" "A\x00", 4, "\xEF\xBF\xBD" "A", 1);
	assert_conv("UTF-16BE", "\xD8\x00\x00" "A\xDC\x00\x00" "B", 8,
		    "\xEF\xBF\xBD" "A\xEF\xBF\xBD" "B", 2);
	assert_conv("UTF-32LE", "\x00\x00\x11\x00" "A\x00\x00\x00", 8, "\xEF\xBF\xBD" "A", 1);
	assert_conv("UTF-32BE", "\x00\x00\xD8\x00\x00\x00\x00" "A", 8, "\xEF\xBF\xBD" "A", 1);
	/* A NULL counter is allowed. */
	{
		char *got = conv("UTF-8", "a\xFF", 2, NULL);

		assert_string_equal(got, "a\xEF\xBF\xBD");
		free(got);
	}
}

/* Invalid bytes split across calls give the same result as in one call. */
static void
test_invalid_split(void **state)
{
	static const struct {
		const char *label, *in;
		size_t      len;
	} cases[] = {
		{"UTF-8", "a\xE4\xB8" "b\xF0\x9F\x98\xFF" "c\xE4", 11},
		{"UTF-16LE", "A\x00\x00\xDC\x00\xD8" "B\x00\x3D\xD8\x00\xDE" "C", 13},
		{"Shift_JIS", "\x93\xFA\x81 \x96{\x8C\xEA\x82", 10},
		{"GB18030", "\x81\x30\xAB" "x\x94\x39\xFC\x36\x81\x30", 10},
		{"ISO-2022-JP", "\x1B$BF|K\\\x7F!\x1B(Bx\x1B$", 14},
	};
	size_t i, a, b, cuts[2];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned want_n = 0;
		char    *want = conv(cases[i].label, cases[i].in, cases[i].len, &want_n);

		assert_true(want_n > 0);
		for (a = 0; a <= cases[i].len; a++) {
			for (b = a; b <= cases[i].len; b++) {
				unsigned n = 0;
				char    *got;

				cuts[0] = a;
				cuts[1] = b;
				got = conv_cuts(cases[i].label, cases[i].in, cases[i].len, cuts, 2, &n);
				if (strcmp(got, want) != 0 || n != want_n)
					fail_msg("%s split at %zu,%zu: \"%s\" (%u) vs \"%s\" (%u)",
						 cases[i].label, a, b, got, n, want, want_n);
				free(got);
			}
		}
		free(want);
	}
}

static void
test_truncated_last(void **state)
{
	struct charset_conv *c;
	struct buf           out;
	unsigned             n = 0;

	assert_conv("UTF-8", "ab\xE4\xB8", 4, "ab\xEF\xBF\xBD", 1);
	assert_conv("gbk", "x\xD6", 2, "x\xEF\xBF\xBD", 1);
	assert_conv("UTF-16LE", "A\x00" "B", 3, "A\xEF\xBF\xBD", 1);
	assert_conv("UTF-16LE", "A\x00\x3D\xD8", 4, "A\xEF\xBF\xBD", 1);
	assert_conv("UTF-32BE", "\x00\x00", 2, "\xEF\xBF\xBD", 1);
	assert_conv("UTF-16", "\xFF", 1, "\xEF\xBF\xBD", 1);

	/* Held back until the next call; replaced only when the stream ends. */
	c = charset_conv_new("UTF-8");
	assert_non_null(c);
	buf_init(&out, 0);
	assert_int_equal(charset_conv_run(c, "ab\xE4", 3, &out, 0, &n), 0);
	assert_string_equal(out.data, "ab");
	assert_int_equal(charset_conv_run(c, "\xB8", 1, &out, 0, &n), 0);
	assert_string_equal(out.data, "ab");
	assert_int_equal(n, 0);
	assert_int_equal(charset_conv_run(c, NULL, 0, &out, 1, &n), 0);
	assert_string_equal(out.data, "ab\xEF\xBF\xBD");
	assert_int_equal(n, 1);
	buf_free(&out);
	charset_conv_free(c);
}

/* The cap cuts between characters, never inside one. */
static void
test_cap(void **state)
{
	struct charset_conv *c = charset_conv_new("koi8-r");
	struct buf           out;

	assert_non_null(c);
	buf_init(&out, 5);
	assert_int_equal(charset_conv_run(c, "\xD4\xC5\xCB\xD3\xD4", 5, &out, 1, NULL), 0);
	assert_int_equal(out.len, 4);
	assert_string_equal(out.data, "\xD1\x82\xD0\xB5");
	assert_true(out.truncated);
	buf_free(&out);
	charset_conv_free(c);

	c = charset_conv_new("latin1");
	assert_non_null(c);
	buf_init(&out, 3);
	assert_int_equal(charset_conv_run(c, "ab\xE9", 3, &out, 0, NULL), 0);
	assert_string_equal(out.data, "ab");
	assert_true(out.truncated);
	/* Room for one more byte, but not after a gap. */
	assert_int_equal(charset_conv_run(c, "c", 1, &out, 1, NULL), 0);
	assert_string_equal(out.data, "ab");
	buf_free(&out);
	charset_conv_free(c);
}

/* More than one output block, in odd-sized chunks, against one call. */
static void
test_large(void **state)
{
	static const char unit[] = "\xD6\xD0\xCE\xC4 abc \x81\x30\xAB\x37 "; /* GB18030 */
	static const char want[] = "\xE4\xB8\xAD\xE6\x96\x87 abc \xC9\x90 ";
	size_t               n = 40000, ulen = sizeof(unit) - 1, wlen = sizeof(want) - 1, i, off, step;
	char                *in = malloc(n * ulen);
	struct charset_conv *c;
	struct buf           out;
	unsigned             bad = 0;

	assert_non_null(in);
	for (i = 0; i < n; i++)
		memcpy(in + i * ulen, unit, ulen);
	c = charset_conv_new("gb18030");
	assert_non_null(c);
	buf_init(&out, 0);
	for (off = 0, step = 1; off < n * ulen; off += step, step = step * 7 % 9973 + 1) {
		if (step > n * ulen - off)
			step = n * ulen - off;
		assert_int_equal(charset_conv_run(c, in + off, step, &out, 0, &bad), 0);
	}
	assert_int_equal(charset_conv_run(c, "", 0, &out, 1, &bad), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(out.len, n * wlen);
	for (i = 0; i < n; i++)
		assert_memory_equal(out.data + i * wlen, want, wlen);
	buf_free(&out);
	charset_conv_free(c);
	free(in);
}

static void
test_unknown(void **state)
{
	char out[64];

	assert_null(charset_conv_new("x-bogus-charset"));
	assert_null(charset_conv_new("bogus"));
	assert_null(charset_conv_new(""));
	assert_null(charset_conv_new(NULL));
	assert_null(charset_conv_new("x-user-defined"));
	/* iconv takes these, but they are not a document's charset. */
	assert_null(charset_conv_new("UTF-8//IGNORE"));
	assert_null(charset_conv_new("utf-8//TRANSLIT"));
	assert_null(charset_conv_new("WCHAR_T"));
	assert_null(charset_conv_new("char"));
	assert_null(charset_normalize("", out, sizeof(out)));
	assert_null(charset_normalize("  ", out, sizeof(out)));
	assert_null(charset_normalize("\"\"", out, sizeof(out)));
	assert_null(charset_normalize("utf 8", out, sizeof(out)));
	assert_null(charset_normalize("iso-8859-12", out, sizeof(out)));
	assert_null(charset_normalize("OSF00010104", out, sizeof(out)));
	assert_null(charset_normalize(NULL, out, sizeof(out)));
	/* Too long for any label, and too long for out. */
	assert_null(charset_normalize(
	    "utf-8-utf-8-utf-8-utf-8-utf-8-utf-8-utf-8-utf-8-utf-8-utf-8-utf-8-utf-8", out,
	    sizeof(out)));
	assert_null(charset_normalize("windows-1252", out, 8));
	charset_conv_free(NULL);
}

static void
test_normalize(void **state)
{
	static const char *const cases[][2] = {
		{"utf-8", "UTF-8"},
		{"UTF8", "UTF-8"},
		{" \"utf-8\" ", "UTF-8"},
		{"'UTF-8'", "UTF-8"},
		{"unicode-1-1-utf-8", "UTF-8"},
		{"us-ascii", "US-ASCII"},
		{"ASCII", "US-ASCII"},
		{"ANSI_X3.4-1968", "US-ASCII"},
		{"iso_646.irv:1991", "US-ASCII"},
		{"latin1", "ISO-8859-1"},
		{"ISO-8859-1", "ISO-8859-1"},
		{"iso8859-1", "ISO-8859-1"},
		{"ISO_8859-1:1987", "ISO-8859-1"},
		{"l1", "ISO-8859-1"},
		{"iso-8859-2", "ISO-8859-2"},
		{"latin2", "ISO-8859-2"},
		{"iso-8859-11", "ISO-8859-11"},
		{"ISO-8859-15", "ISO-8859-15"},
		{"latin9", "ISO-8859-15"},
		{"iso_8859-16", "ISO-8859-16"},
		{"iso-8859-8-i", "ISO-8859-8"},
		{"cyrillic", "ISO-8859-5"},
		{"windows-1250", "WINDOWS-1250"},
		{"Windows-1251", "WINDOWS-1251"},
		{"cp1252", "WINDOWS-1252"},
		{"x-cp1252", "WINDOWS-1252"},
		{"windows-1258", "WINDOWS-1258"},
		{"windows-874", "WINDOWS-874"},
		{"koi8-r", "KOI8-R"},
		{"KOI8_R", "KOI8-R"},
		{"koi8-u", "KOI8-U"},
		{"gb2312", "GBK"},
		{"GBK", "GBK"},
		{"x-gbk", "GBK"},
		{"gb18030", "GB18030"},
		{"big5", "BIG5"},
		{"Big5-HKSCS", "BIG5-HKSCS"},
		{"euc-kr", "CP949"},
		{"ks_c_5601-1987", "CP949"},
		{"shift_jis", "CP932"},
		{"Shift-JIS", "CP932"},
		{"x-sjis", "CP932"},
		{"windows-31j", "CP932"},
		{"euc-jp", "EUC-JP"},
		{"iso-2022-jp", "ISO-2022-JP"},
		{"utf-16", "UTF-16"},
		{"utf-16le", "UTF-16LE"},
		{"UTF-16BE", "UTF-16BE"},
		{"utf-32", "UTF-32"},
		{"utf_32le", "UTF-32LE"},
		{"UTF-32BE", "UTF-32BE"},
		{"ucs-2", "UCS-2"},
		{"ucs-4", "UCS-4"},
		{"ISO-10646", "UCS-4"},
		{"10646-1:1993", "UCS-4"},
		{"tis-620", "TIS-620"},
		{"macintosh", "MACINTOSH"},
		{"x-mac-roman", "MACINTOSH"},
		{"ibm866", "IBM866"},
		{"utf-7", "UTF-7"},
		/* Not in the table: passed to iconv as is, uppercased. */
		{"cp437", "CP437"},
		{"iso-ir-100", "ISO-8859-1"},
		{"euc-jisx0213", "EUC-JISX0213"},
	};
	char   out[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *r = charset_normalize(cases[i][0], out, sizeof(out));

		if (r == NULL)
			fail_msg("normalize(\"%s\"): NULL, want %s", cases[i][0], cases[i][1]);
		if (r != out || strcmp(out, cases[i][1]) != 0)
			fail_msg("normalize(\"%s\"): %s, want %s", cases[i][0], out, cases[i][1]);
	}
	/* The exact fit. */
	assert_non_null(charset_normalize("utf-8", out, 6));
	assert_null(charset_normalize("utf-8", out, 5));
}

static void
test_content_type(void **state)
{
	static const char *const ok[][2] = {
		{"text/xml; charset=utf-8", "utf-8"},
		{"text/xml;charset=UTF-8", "UTF-8"},
		{"application/rss+xml; charset=\"windows-1251\"", "windows-1251"},
		{"text/xml; CHARSET=koi8-r; format=flowed", "koi8-r"},
		{"text/xml; format=flowed; Charset = ISO-8859-1 ", "ISO-8859-1"},
		{"text/xml; a=\"x;charset=wrong\"; charset=gbk", "gbk"},
		{"text/xml; a=\"x\\\";charset=wrong\"; charset=gbk", "gbk"},
		{"text/xml; charset=\"\\\"big5\\\"\"", "\"big5\""},
		{"text/xml; charset='utf-8'", "utf-8"},
		{"text/xml; charset=\" utf-8 \"", "utf-8"},
		{"text/xml;; charset=utf-8;", "utf-8"},
		{"text/xml; charset=utf-8; charset=latin1", "utf-8"},
		{"text/xml; charset=; charset=latin1", "latin1"},
		{"text/xml; foo; charset=euc-jp", "euc-jp"},
		{"text/xml; xcharset=a; charset=b", "b"},
	};
	static const char *const bad[] = {
		"text/xml",
		"",
		"text/xml;",
		"text/xml; charset",
		"text/xml; charset=",
		"text/xml; charset=\"\"",
		"text/xml; foo=bar",
		"text/xml; mycharset=utf-8",
		"charset=utf-8",
		"text/xml; a=\"; charset=utf-8\"",
	};
	char   out[32];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(out, 'X', sizeof(out));
		if (charset_from_content_type(ok[i][0], out, sizeof(out)) != 0)
			fail_msg("content-type \"%s\": -1, want %s", ok[i][0], ok[i][1]);
		if (strcmp(out, ok[i][1]) != 0)
			fail_msg("content-type \"%s\": %s, want %s", ok[i][0], out, ok[i][1]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(out, "unchanged");
		if (charset_from_content_type(bad[i], out, sizeof(out)) != -1)
			fail_msg("content-type \"%s\": found %s", bad[i], out);
		assert_string_equal(out, "unchanged");
	}
	assert_int_equal(charset_from_content_type(NULL, out, sizeof(out)), -1);
	assert_int_equal(charset_from_content_type("text/xml; charset=windows-1252", out, 12), -1);
	assert_int_equal(charset_from_content_type("text/xml; charset=windows-1252", out, 13), 0);
	assert_string_equal(out, "windows-1252");
}

static char *
slurp(const char *path, size_t *len)
{
	FILE  *f = fopen(path, "rb");
	char  *p = NULL;
	long   n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)n + 1)) != NULL) {
		*len = fread(p, 1, (size_t)n, f);
		if (*len != (size_t)n) {
			free(p);
			p = NULL;
		}
	}
	fclose(f);
	return p;
}

/* Real feeds from the shared corpus; lengths are those of Python's decoding. */
static void
test_corpus_files(void **state)
{
	static const struct {
		const char *file, *label;
		size_t      utf8len;
		const char *has;
	} files[] = {
		{"netnewswire/kc0011.rss", "gb2312", 31467,
		 "\xE6\x8A\x95\xE8\xB5\x84\xE8\xB5\x84\xE8\xAE\xAF\xE7\xBD\x91\xE4\xBA\xA4\xE6\x98"
		 "\x93\xE5\x9C\xA8\xE7\xBA\xBF"},
		{"miniflux/encoding/testdata/koi8r.xml", "KOI8-R", 1189,
		 "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xBC\xD0\xB5\xD1\x80 RSS "
		 "\xD0\xBB\xD0\xB5\xD0\xBD\xD1\x82\xD1\x8B"},
		{"node-feedparser/iconv.xml", "windows-1251", 26605,
		 "\xD0\x9D\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x81\xD1\x82\xD0\xB8 "
		 "\xD0\x9E\xD1\x80\xD0\xB5\xD0\xBD\xD0\xB1\xD1\x83\xD1\x80\xD0\xB3\xD0\xB0"},
		{"rss-parser/latin2.rss", "ISO-8859-2", 811, "Przyk\xC5\x82" "adowe newsy z polski"},
		{"feedparser-conformance/encoding/euc-kr.xml", "euc-kr", 254,
		 "<title>\xEB\x85\x84</title>"},
		{"feedparser-conformance/encoding/big5.xml", "big5", 174, "encoding=\"big5\""},
		{"feedparser-conformance/encoding/utf-16le-bom.xml", "UTF-16", 234,
		 "encoding=\"utf-16\""},
		{"feedparser-conformance/encoding/utf-16le.xml", "UTF-16", 227, "encoding=\"utf-16le\""},
		{"feedparser-conformance/encoding/u16.xml", "UTF-16", 175, "encoding=\"u16\""},
		{"feedparser-conformance/encoding/utf-16be.xml", "UTF-16BE", 224,
		 "encoding=\"utf-16be\""},
		{"feedparser-conformance/encoding/utf-32be-bom.xml", "UTF-32", 231,
		 "encoding=\"utf-32\""},
		{"feedparser-conformance/encoding/utf-32le.xml", "UTF-32", 227, "encoding=\"utf-32le\""},
		{"feedparser-conformance/encoding/utf_32.xml", "UTF-32", 184, "encoding=\"utf_32\""},
	};
	char   path[512];
	size_t i, k, len = 0, cuts[4096], ncuts;

	if (access(SHARED_DIR "/corpus/feeds", R_OK) != 0) {
		print_message("skipping: " SHARED_DIR "/corpus/feeds is not there\n");
		skip();
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		unsigned n = 0;
		char    *in, *whole, *chunked;

		snprintf(path, sizeof(path), SHARED_DIR "/corpus/feeds/%s", files[i].file);
		if ((in = slurp(path, &len)) == NULL)
			fail_msg("cannot read %s", path);
		whole = conv(files[i].label, in, len, &n);
		if (n != 0 || strlen(whole) != files[i].utf8len || !strstr(whole, files[i].has) ||
		    strncmp(whole, "<?xml", 5) != 0)
			fail_msg("%s: %zu bytes, %u invalid, want %zu", files[i].file, strlen(whole), n,
				 files[i].utf8len);
		/* Chunks of 1..13 bytes, as a slow network hands them over. */
		for (k = 0, ncuts = 0; ncuts < sizeof(cuts) / sizeof(cuts[0]); ncuts++) {
			k += 1 + (ncuts * 5 + 3) % 13;
			if (k >= len)
				break;
			cuts[ncuts] = k;
		}
		chunked = conv_cuts(files[i].label, in, len, cuts, ncuts, &n);
		if (strcmp(whole, chunked) != 0 || n != 0)
			fail_msg("%s: chunked conversion differs", files[i].file);
		free(chunked);
		free(whole);
		free(in);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples_whole),
		cmocka_unit_test(test_samples_split_everywhere),
		cmocka_unit_test(test_samples_bytewise),
		cmocka_unit_test(test_utf16_32_bom),
		cmocka_unit_test(test_shift_jis_ascii),
		cmocka_unit_test(test_reuse_after_last),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_invalid_split),
		cmocka_unit_test(test_truncated_last),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_corpus_files),
	};

	return cmocka_run_group_tests_name("charset", tests, NULL, NULL);
}
