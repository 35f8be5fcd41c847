/*
 * charset.c: charset names and streaming conversion to UTF-8 (glibc iconv).
 *
 * Feeds declare their charset in the Content-Type header and in the XML
 * declaration, with every spelling the web has invented.  Names are mapped
 * to one canonical iconv name each, preferring the superset a browser
 * decodes with (GBK for GB2312, CP949 for EUC-KR, CP932 for Shift_JIS):
 * real documents use the extra characters, and glibc's plain SHIFT_JIS
 * would even read the backslash and the tilde as a yen sign and an
 * overline, breaking URLs.
 *
 * The WHATWG Encoding Standard also reads "iso-8859-1" and "us-ascii" as
 * windows-1252.  That rule is for HTML; feeds are XML, where a declared
 * ISO-8859-1 means ISO-8859-1 (expat and feedparser read it so too), so it
 * is not applied here: bytes 0x80-0x9F come out as the C1 controls.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gleaner.h"

#define LABEL_MAX 64    /* no real charset label is longer */
#define CARRY_MAX 16    /* longest incomplete sequence kept between calls */
#define OBUF_SIZE 16384 /* iconv output block */

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

/*
 * Label to iconv name.  Keys are compacted labels: lowercase letters and
 * digits only, so "UTF_8", "utf-8" and "utf8" all find "utf8".  Where the
 * preferred name may be missing from a glibc build, alt is tried next.
 * ISO-8859-n and windows-125n are recognised by compact_generic() instead.
 */
static const struct alias {
	const char *key;
	const char *name;
	const char *alt;
} aliases[] = {
	{"utf8", "UTF-8", NULL},
	{"unicode11utf8", "UTF-8", NULL},
	{"unicode20utf8", "UTF-8", NULL},
	{"xunicode20utf8", "UTF-8", NULL},
	{"isoir193", "UTF-8", NULL},

	{"usascii", "US-ASCII", NULL},
	{"ascii", "US-ASCII", NULL},
	{"us", "US-ASCII", NULL},
	{"ansix341968", "US-ASCII", NULL},
	{"ansix341986", "US-ASCII", NULL},
	{"iso646us", "US-ASCII", NULL},
	{"iso646irv", "US-ASCII", NULL},
	{"isoir6", "US-ASCII", NULL},
	{"ibm367", "US-ASCII", NULL},
	{"cp367", "US-ASCII", NULL},
	{"csascii", "US-ASCII", NULL},

	{"latin1", "ISO-8859-1", NULL},
	{"l1", "ISO-8859-1", NULL},
	{"isoir100", "ISO-8859-1", NULL},
	{"ibm819", "ISO-8859-1", NULL},
	{"cp819", "ISO-8859-1", NULL},
	{"csisolatin1", "ISO-8859-1", NULL},
	{"latin2", "ISO-8859-2", NULL},
	{"l2", "ISO-8859-2", NULL},
	{"isoir101", "ISO-8859-2", NULL},
	{"csisolatin2", "ISO-8859-2", NULL},
	{"latin3", "ISO-8859-3", NULL},
	{"l3", "ISO-8859-3", NULL},
	{"isoir109", "ISO-8859-3", NULL},
	{"csisolatin3", "ISO-8859-3", NULL},
	{"latin4", "ISO-8859-4", NULL},
	{"l4", "ISO-8859-4", NULL},
	{"isoir110", "ISO-8859-4", NULL},
	{"csisolatin4", "ISO-8859-4", NULL},
	{"cyrillic", "ISO-8859-5", NULL},
	{"isoir144", "ISO-8859-5", NULL},
	{"csisolatincyrillic", "ISO-8859-5", NULL},
	{"arabic", "ISO-8859-6", NULL},
	{"iso88596e", "ISO-8859-6", NULL},
	{"iso88596i", "ISO-8859-6", NULL},
	{"isoir127", "ISO-8859-6", NULL},
	{"asmo708", "ISO-8859-6", NULL},
	{"ecma114", "ISO-8859-6", NULL},
	{"csisolatinarabic", "ISO-8859-6", NULL},
	{"greek", "ISO-8859-7", NULL},
	{"greek8", "ISO-8859-7", NULL},
	{"isoir126", "ISO-8859-7", NULL},
	{"elot928", "ISO-8859-7", NULL},
	{"ecma118", "ISO-8859-7", NULL},
	{"csisolatingreek", "ISO-8859-7", NULL},
	{"hebrew", "ISO-8859-8", NULL},
	/* -i (logical order) and -e only tell how to display the same bytes. */
	{"iso88598i", "ISO-8859-8", NULL},
	{"iso88598e", "ISO-8859-8", NULL},
	{"isoir138", "ISO-8859-8", NULL},
	{"csisolatinhebrew", "ISO-8859-8", NULL},
	{"latin5", "ISO-8859-9", NULL},
	{"l5", "ISO-8859-9", NULL},
	{"isoir148", "ISO-8859-9", NULL},
	{"csisolatin5", "ISO-8859-9", NULL},
	{"latin6", "ISO-8859-10", NULL},
	{"l6", "ISO-8859-10", NULL},
	{"isoir157", "ISO-8859-10", NULL},
	{"csisolatin6", "ISO-8859-10", NULL},
	{"latin7", "ISO-8859-13", NULL},
	{"l7", "ISO-8859-13", NULL},
	{"latin8", "ISO-8859-14", NULL},
	{"l8", "ISO-8859-14", NULL},
	{"latin9", "ISO-8859-15", NULL},
	{"l9", "ISO-8859-15", NULL},
	{"latin0", "ISO-8859-15", NULL},
	{"csisolatin9", "ISO-8859-15", NULL},
	{"latin10", "ISO-8859-16", NULL},
	{"l10", "ISO-8859-16", NULL},

	{"koi8r", "KOI8-R", NULL},
	{"koi8", "KOI8-R", NULL},
	{"koi", "KOI8-R", NULL},
	{"cskoi8r", "KOI8-R", NULL},
	{"koi8u", "KOI8-U", NULL},
	{"ibm866", "IBM866", NULL},
	{"cp866", "IBM866", NULL},
	{"866", "IBM866", NULL},
	{"csibm866", "IBM866", NULL},
	{"macintosh", "MACINTOSH", NULL},
	{"mac", "MACINTOSH", NULL},
	{"macroman", "MACINTOSH", NULL},
	{"xmacroman", "MACINTOSH", NULL},
	{"csmacintosh", "MACINTOSH", NULL},
	{"xmaccyrillic", "MAC-CYRILLIC", NULL},
	{"maccyrillic", "MAC-CYRILLIC", NULL},
	{"xmacukrainian", "MAC-CYRILLIC", NULL},
	{"tis620", "TIS-620", NULL},
	{"windows874", "WINDOWS-874", "CP874"},
	{"cp874", "WINDOWS-874", "CP874"},
	{"xcp874", "WINDOWS-874", "CP874"},
	{"dos874", "WINDOWS-874", "CP874"},

	/* GB2312 documents use GBK characters freely: decode them as GBK. */
	{"gb2312", "GBK", "GB18030"},
	{"gb231280", "GBK", "GB18030"},
	{"csgb2312", "GBK", "GB18030"},
	{"csiso58gb231280", "GBK", "GB18030"},
	{"isoir58", "GBK", "GB18030"},
	{"chinese", "GBK", "GB18030"},
	{"euccn", "GBK", "GB18030"},
	{"xeuccn", "GBK", "GB18030"},
	{"gbk", "GBK", "GB18030"},
	{"xgbk", "GBK", "GB18030"},
	{"cp936", "GBK", "GB18030"},
	{"ms936", "GBK", "GB18030"},
	{"windows936", "GBK", "GB18030"},
	{"gb18030", "GB18030", NULL},
	/*
	 * WHATWG decodes every big5 label as Big5-HKSCS, but glibc's HKSCS
	 * decoder holds back characters that may combine: plain BIG5 is kept,
	 * and HKSCS only for documents that ask for it.
	 */
	{"big5", "BIG5", NULL},
	{"csbig5", "BIG5", NULL},
	{"cnbig5", "BIG5", NULL},
	{"xxbig5", "BIG5", NULL},
	{"cp950", "CP950", "BIG5"},
	{"big5hkscs", "BIG5-HKSCS", NULL},
	{"euctw", "EUC-TW", NULL},

	/* Korean sites label Unified Hangul Code (CP949) as EUC-KR. */
	{"euckr", "CP949", "EUC-KR"},
	{"cseuckr", "CP949", "EUC-KR"},
	{"ksc56011987", "CP949", "EUC-KR"},
	{"ksc56011989", "CP949", "EUC-KR"},
	{"ksc5601", "CP949", "EUC-KR"},
	{"csksc56011987", "CP949", "EUC-KR"},
	{"isoir149", "CP949", "EUC-KR"},
	{"korean", "CP949", "EUC-KR"},
	{"cp949", "CP949", "EUC-KR"},
	{"uhc", "CP949", "EUC-KR"},
	{"windows949", "CP949", "EUC-KR"},
	{"xwindows949", "CP949", "EUC-KR"},
	{"ms949", "CP949", "EUC-KR"},
	{"iso2022kr", "ISO-2022-KR", NULL},
	{"csiso2022kr", "ISO-2022-KR", NULL},

	/* Shift_JIS as Windows writes it, with the NEC and IBM extensions. */
	{"shiftjis", "CP932", "SHIFT_JIS"},
	{"sjis", "CP932", "SHIFT_JIS"},
	{"xsjis", "CP932", "SHIFT_JIS"},
	{"mskanji", "CP932", "SHIFT_JIS"},
	{"csshiftjis", "CP932", "SHIFT_JIS"},
	{"windows31j", "CP932", "SHIFT_JIS"},
	{"cswindows31j", "CP932", "SHIFT_JIS"},
	{"cp932", "CP932", "SHIFT_JIS"},
	{"ms932", "CP932", "SHIFT_JIS"},
	{"xmscp932", "CP932", "SHIFT_JIS"},
	{"eucjp", "EUC-JP", NULL},
	{"xeucjp", "EUC-JP", NULL},
	{"cseucpkdfmtjapanese", "EUC-JP", NULL},
	{"iso2022jp", "ISO-2022-JP", NULL},
	{"csiso2022jp", "ISO-2022-JP", NULL},

	{"utf16", "UTF-16", NULL},
	{"unicode", "UTF-16", NULL},
	{"csunicode", "UTF-16", NULL},
	{"utf16le", "UTF-16LE", NULL},
	{"unicodefeff", "UTF-16LE", NULL},
	{"unicodelittle", "UTF-16LE", NULL},
	{"utf16be", "UTF-16BE", NULL},
	{"unicodefffe", "UTF-16BE", NULL},
	{"unicodebig", "UTF-16BE", NULL},
	{"utf32", "UTF-32", NULL},
	{"utf32le", "UTF-32LE", NULL},
	{"utf32be", "UTF-32BE", NULL},
	{"ucs2", "UCS-2", NULL},
	{"iso10646ucs2", "UCS-2", NULL},
	{"ucs2le", "UCS-2LE", NULL},
	{"ucs2be", "UCS-2BE", NULL},
	{"ucs4", "UCS-4", NULL},
	{"iso10646ucs4", "UCS-4", NULL},
	{"iso10646", "UCS-4", NULL},
	{"106461", "UCS-4", NULL},
	{"csucs4", "UCS-4", NULL},
	{"ucs4le", "UCS-4LE", NULL},
	{"ucs4be", "UCS-4BE", NULL},
	{"utf7", "UTF-7", NULL},
};

/*
 * Names iconv accepts that are not charsets of a document: "" and CHAR
 * mean the locale's, WCHAR_T the C library's wide characters.
 */
static const char *const refused[] = {"", "CHAR", "WCHAR_T", "INTERNAL"};

struct charset_conv {
	iconv_t cd;
	char    name[LABEL_MAX + 8]; /* what iconv opens: UCS-4 becomes UTF-32 */
	int     unit;                /* code unit: an invalid one is skipped whole */
	int     sniff;               /* UTF-16/32 without a byte order in the name */
	int     sniffing;            /* ... and this stream's first unit not seen yet */
	int     start;               /* nothing emitted yet: a U+FEFF here is a BOM */
	char    carry[CARRY_MAX];    /* incomplete sequence from the last call */
	size_t  ncarry;
};

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Whether iconv can convert from name to UTF-8. */
static int
iconv_has(const char *name)
{
	iconv_t cd;
	size_t  i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (strcmp(name, refused[i]) == 0)
			return 0;
	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return 0;
	iconv_close(cd);
	return 1;
}

/* Parses decimal digits making up all of s into *n (small values only). */
static int
all_digits(const char *s, int *n)
{
	*n = 0;
	if (*s == '\0')
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || *n > 10000)
			return 0;
		*n = *n * 10 + (*s - '0');
	}
	return 1;
}

/* ISO-8859-n and the windows-125n family, from a compacted label. */
static int
compact_generic(const char *key, char *out, size_t outsz)
{
	static const char *const win[] = {"windows", "xcp", "cp", "win", "ms"};
	size_t i, n;
	int    num;

	if (strncmp(key, "iso8859", 7) == 0 && all_digits(key + 7, &num) && num >= 1 &&
	    num <= 16 && num != 12) {
		snprintf(out, outsz, "ISO-8859-%d", num);
		return 0;
	}
	for (i = 0; i < sizeof(win) / sizeof(win[0]); i++) {
		n = strlen(win[i]);
		if (strncmp(key, win[i], n) == 0 && all_digits(key + n, &num) && num >= 1250 &&
		    num <= 1258) {
			snprintf(out, outsz, "WINDOWS-%d", num);
			return 0;
		}
	}
	return -1;
}

/*
 * Canonical iconv name for a declared charset, written to out, or NULL when
 * the label is unknown to iconv or too long for out.  Labels are taken
 * case-insensitively, trimmed of whitespace and quotes.  A label not in the
 * table is tried as is, uppercased, if it is made of the characters iconv
 * names use: a '/' would let a document choose iconv's error handling.
 */
const char *
charset_normalize(const char *name, char *out, size_t outsz)
{
	char        label[LABEL_MAX], key[LABEL_MAX] = {0}, gen[32];
	const char *s, *e, *pick = NULL;
	size_t      i, n, k;

	if (name == NULL || out == NULL || outsz == 0)
		return NULL;
	s = name;
	e = name + strlen(name);
	while (s < e && (is_ws((unsigned char)*s) || *s == '"' || *s == '\''))
		s++;
	while (e > s && (is_ws((unsigned char)e[-1]) || e[-1] == '"' || e[-1] == '\''))
		e--;
	n = (size_t)(e - s);
	if (n == 0 || n >= sizeof(label))
		return NULL;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (!is_alnum(c) && c != '-' && c != '_' && c != '.' && c != ':' && c != '+')
			return NULL;
		label[i] = (char)upper(c);
	}
	label[n] = '\0';

	/* The key stops at ':': "ISO_8859-1:1987" is ISO-8859-1, not -11987. */
	for (i = k = 0; i < n && label[i] != ':'; i++)
		if (is_alnum((unsigned char)label[i]))
			key[k++] = (char)lower((unsigned char)label[i]);
	key[k] = '\0';

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcmp(key, aliases[i].key) != 0)
			continue;
		if (iconv_has(aliases[i].name))
			pick = aliases[i].name;
		else if (aliases[i].alt != NULL && iconv_has(aliases[i].alt))
			pick = aliases[i].alt;
		else
			return NULL;
		break;
	}
	if (pick == NULL && compact_generic(key, gen, sizeof(gen)) == 0) {
		if (!iconv_has(gen))
			return NULL;
		pick = gen;
	}
	if (pick == NULL) {
		/* glibc's OSF registry names for its UCS-2/4 internals: no document's. */
		if (strncmp(key, "osf", 3) == 0 || !iconv_has(label))
			return NULL;
		pick = label;
	}
	if (strlen(pick) >= outsz)
		return NULL;
	memcpy(out, pick, strlen(pick) + 1);
	return out;
}

/* Compares the ASCII strings a (n bytes) and b, ignoring case. */
static int
ascii_ieq(const char *a, size_t n, const char *b)
{
	size_t i;

	for (i = 0; i < n; i++, b++)
		if (*b == '\0' || lower((unsigned char)a[i]) != lower((unsigned char)*b))
			return 0;
	return *b == '\0';
}

/*
 * Copies a parameter value to out, without its quotes and backslashes, and
 * trimmed: charset=" utf-8 " and charset='utf-8' are both seen in the wild.
 */
static int
copy_value(const char *v, size_t n, int quoted, char *out, size_t outsz)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		if (quoted && v[i] == '\\' && i + 1 < n)
			i++;
		else if (!quoted && v[i] == '\'')
			continue;
		if (len == 0 && is_ws((unsigned char)v[i]))
			continue;
		if (len + 1 >= outsz)
			return -1;
		out[len++] = v[i];
	}
	while (len > 0 && is_ws((unsigned char)out[len - 1]))
		len--;
	out[len] = '\0';
	return len > 0 ? 0 : -1;
}

/*
 * Reads the charset parameter of a Content-Type value (RFC 9110 8.3.1):
 * "text/xml; q=1; charset=\"utf-8\"".  Parameters are split on ';' outside
 * quoted strings, so a ';' inside another parameter's quotes cannot start
 * a false charset.  The first charset parameter with a value wins; out is
 * left alone when there is none.
 */
int
charset_from_content_type(const char *ct, char *out, size_t outsz)
{
	const char *p, *nm, *v;
	size_t      nlen;
	int         quoted;
	char        tmp[LABEL_MAX];

	if (ct == NULL || out == NULL || outsz == 0)
		return -1;
	if ((p = strchr(ct, ';')) == NULL)
		return -1;
	while (*p == ';') {
		p++;
		while (is_ws((unsigned char)*p) || *p == ';')
			p++;
		nm = p;
		while (*p && *p != '=' && *p != ';' && !is_ws((unsigned char)*p))
			p++;
		nlen = (size_t)(p - nm);
		while (is_ws((unsigned char)*p))
			p++;
		if (*p != '=') {
			while (*p && *p != ';')
				p++;
			continue;
		}
		p++;
		while (is_ws((unsigned char)*p))
			p++;
		if ((quoted = *p == '"')) {
			for (v = ++p; *p && *p != '"'; p++)
				if (*p == '\\' && p[1] != '\0')
					p++;
		} else {
			for (v = p; *p && *p != ';' && !is_ws((unsigned char)*p); p++)
				;
		}
		if (ascii_ieq(nm, nlen, "charset") && p > v) {
			if (copy_value(v, (size_t)(p - v), quoted, tmp, sizeof(tmp)) == -1 ||
			    strlen(tmp) >= outsz)
				return -1;
			memcpy(out, tmp, strlen(tmp) + 1);
			return 0;
		}
		while (*p && *p != ';')
			p++;
	}
	return -1;
}

/* Opens the converter for an explicit byte order of a UTF-16/32 family name. */
static int
conv_open_order(struct charset_conv *c, int big)
{
	char    name[sizeof(c->name) + 2];
	iconv_t cd;

	snprintf(name, sizeof(name), "%s%s", c->name, big ? "BE" : "LE");
	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return -1;
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	c->cd = cd;
	return 0;
}

/*
 * Without a byte order in the name, glibc reads UTF-16 and UTF-32 in the
 * host's order when there is no BOM, UCS-4 big-endian, and UCS-2 never
 * consumes a BOM.  The order is chosen here instead, the same on every
 * host: by the BOM, else by where the zero bytes of the first character
 * fall, else big-endian as RFC 2781 says.  The BOM is then decoded as
 * U+FEFF and dropped by emit().
 */
static int
conv_pick_order(struct charset_conv *c)
{
	const unsigned char *u = (const unsigned char *)c->carry;
	int                  big = 1;

	if (c->unit == 2 && c->ncarry >= 2) {
		if (u[0] == 0xFF && u[1] == 0xFE)
			big = 0;
		else if (u[0] != 0 && u[1] == 0)
			big = 0;
	} else if (c->unit == 4 && c->ncarry >= 4) {
		/* FF FE 00 00 is the BOM; else which order gives at most U+10FFFF. */
		if (u[0] != 0 || u[1] > 0x10)
			big = !(u[3] == 0 && u[2] <= 0x10);
	}
	return conv_open_order(c, big);
}

struct charset_conv *
charset_conv_new(const char *from)
{
	struct charset_conv *c;
	char                 name[LABEL_MAX];
	const char          *n;

	if (charset_normalize(from, name, sizeof(name)) == NULL)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->cd = (iconv_t)-1;
	/*
	 * glibc's UCS-4 decoder passes values up to 0x7FFFFFFF on to the UTF-8
	 * encoder, which writes them as 5- and 6-byte sequences: read UCS-4 as
	 * UTF-32, which refuses anything past U+10FFFF and surrogates.
	 */
	if (strncmp(name, "UCS-4", 5) == 0)
		snprintf(c->name, sizeof(c->name), "UTF-32%s", name + 5);
	else
		memcpy(c->name, name, sizeof(name));
	n = c->name;
	if (!strncmp(n, "UTF-16", 6) || !strncmp(n, "UCS-2", 5))
		c->unit = 2;
	else if (!strncmp(n, "UTF-32", 6))
		c->unit = 4;
	else
		c->unit = 1;
	c->sniff = !strcmp(n, "UTF-16") || !strcmp(n, "UTF-32") || !strcmp(n, "UCS-2");
	c->sniffing = c->sniff;
	c->start = 1;
	if (c->sniff) {
		/* Both orders must be there: the stream decides which is used. */
		if (conv_open_order(c, 0) == -1 || conv_open_order(c, 1) == -1)
			goto err;
	} else if ((c->cd = iconv_open("UTF-8", n)) == (iconv_t)-1) {
		goto err;
	}
	return c;
err:
	charset_conv_free(c);
	return NULL;
}

void
charset_conv_free(struct charset_conv *c)
{
	if (c == NULL)
		return;
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	free(c);
}

/*
 * Appends to out without cutting a UTF-8 sequence when the cap is reached:
 * half a character at the end would be one more thing to repair.  Once
 * cut, out takes nothing more, or a short character could slip in after
 * the gap.
 */
static int
out_add(struct buf *out, const char *p, size_t n)
{
	size_t room = out->cap - out->len;

	if (out->truncated)
		return 0;
	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
			n--;
		out->truncated = 1;
	}
	return buf_add(out, p, n);
}

/* Appends converted text; a U+FEFF that opens the stream is its BOM. */
static int
emit(struct charset_conv *c, struct buf *out, const char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (c->start) {
		c->start = 0;
		if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
			p += 3;
			n -= 3;
		}
	}
	return out_add(out, p, n);
}

static int
replace(struct charset_conv *c, struct buf *out, unsigned *ninvalid)
{
	if (ninvalid != NULL)
		(*ninvalid)++;
	return emit(c, out, REPLACEMENT, 3);
}

/*
 * Whether any byte is 0xF4 or above, eight at a time: with its top bit
 * masked off, such a byte plus 0x0C reaches 0x80 without carrying into
 * its neighbour.  Usually none is, and this runs on every output block.
 */
static int
has_f4(const char *p, size_t n)
{
	uint64_t w, acc = 0;
	size_t   i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		acc |= ((w & 0x7F7F7F7F7F7F7F7FULL) + 0x0C0C0C0C0C0C0C0CULL) & w;
	}
	for (; i < n; i++)
		if ((unsigned char)p[i] >= 0xF4)
			return 1;
	return (acc & 0x8080808080808080ULL) != 0;
}

/*
 * glibc's UTF-8 decoder (also under aliases such as ISO-IR-193) takes the
 * old 5- and 6-byte forms and values past U+10FFFF, and its UTF-8 encoder
 * writes them back out.  Such a character is replaced here, so that what
 * leaves is always valid UTF-8.  All else iconv writes is well-formed, so
 * a lead byte tells the length.
 */
static int
emit_checked(struct charset_conv *c, struct buf *out, const char *p, size_t n,
	     unsigned *ninvalid)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t               i, from = 0, len;

	if (!has_f4(p, n))
		return emit(c, out, p, n);
	for (i = 0; i < n; i++) {
		if (u[i] < 0xF4 || (u[i] == 0xF4 && i + 1 < n && u[i + 1] < 0x90))
			continue;
		len = u[i] < 0xF8 ? 4 : u[i] < 0xFC ? 5 : 6;
		if (len > n - i)
			len = n - i;
		if (emit(c, out, p + from, i - from) == -1 || replace(c, out, ninvalid) == -1)
			return -1;
		i += len - 1;
		from = i + 1;
	}
	return emit(c, out, p + from, n - from);
}

/*
 * Converts as much of *in as iconv takes, in OBUF_SIZE blocks.  Returns 0
 * when all was converted, EILSEQ or EINVAL where it stopped (*in points
 * there), or -1 on an out-of-memory or unexpected iconv error.
 */
static int
convert(struct charset_conv *c, char **in, size_t *left, struct buf *out, unsigned *ninvalid)
{
	char   obuf[OBUF_SIZE], *op;
	size_t oleft, r;
	int    e;

	for (;;) {
		op = obuf;
		oleft = sizeof(obuf);
		r = iconv(c->cd, in, left, &op, &oleft);
		e = errno;
		if (emit_checked(c, out, obuf, (size_t)(op - obuf), ninvalid) == -1)
			return -1;
		if (r != (size_t)-1)
			return 0;
		if (e == E2BIG)
			continue;
		if (e == EILSEQ || e == EINVAL)
			return e;
		errno = e;
		return -1;
	}
}

/*
 * Feeds the bytes held back by the last call, followed by as much new input
 * as fits the window, until the held-back part is converted or dropped.
 * Whatever iconv stops at beyond that point is left for run's main loop,
 * which meets it again at the same place in the input itself.
 */
static int
drain_carry(struct charset_conv *c, const char **in, size_t *len, struct buf *out,
	    unsigned *ninvalid)
{
	char   win[CARRY_MAX * 2], *wp;
	size_t take, n, wleft, used, skip;
	int    r;

	while (c->ncarry > 0) {
		take = *len < sizeof(win) - c->ncarry ? *len : sizeof(win) - c->ncarry;
		memcpy(win, c->carry, c->ncarry);
		if (take > 0)
			memcpy(win + c->ncarry, *in, take);
		n = c->ncarry + take;
		wp = win;
		wleft = n;
		if ((r = convert(c, &wp, &wleft, out, ninvalid)) == -1)
			return -1;
		used = n - wleft;
		if (used >= c->ncarry) {
			*in += used - c->ncarry;
			*len -= used - c->ncarry;
			c->ncarry = 0;
			break;
		}
		if (r == EINVAL && take == *len && wleft <= CARRY_MAX) {
			/* Still incomplete, and all the input is in: wait for more. */
			memcpy(c->carry, wp, wleft);
			c->ncarry = wleft;
			*in += take;
			*len = 0;
			break;
		}
		/* Invalid, or "incomplete" past any real sequence length. */
		if (replace(c, out, ninvalid) == -1)
			return -1;
		skip = used + ((size_t)c->unit < wleft ? (size_t)c->unit : wleft);
		if (skip >= c->ncarry) {
			*in += skip - c->ncarry;
			*len -= skip - c->ncarry;
			c->ncarry = 0;
		} else {
			memmove(c->carry, c->carry + skip, c->ncarry - skip);
			c->ncarry -= skip;
		}
	}
	return 0;
}

/* Ends a stream: flushes what iconv holds back and readies c for the next one. */
static int
finish(struct charset_conv *c, struct buf *out, unsigned *ninvalid)
{
	char   obuf[64], *op = obuf;
	size_t oleft = sizeof(obuf);

	if (c->ncarry > 0) {
		c->ncarry = 0;
		if (replace(c, out, ninvalid) == -1)
			return -1;
	}
	/* Decoders such as BIG5-HKSCS keep a character back to see if the next combines. */
	if (iconv(c->cd, NULL, NULL, &op, &oleft) != (size_t)-1 &&
	    emit_checked(c, out, obuf, (size_t)(op - obuf), ninvalid) == -1)
		return -1;
	iconv(c->cd, NULL, NULL, NULL, NULL);
	c->start = 1;
	c->sniffing = c->sniff;
	return 0;
}

/*
 * Converts len bytes of in, appending UTF-8 to out.  An incomplete
 * sequence at the end is kept for the next call (or replaced when last is
 * set); each invalid code unit becomes U+FFFD and is counted in *ninvalid.
 * iconv is called on whole blocks and only steps unit by unit around errors.
 */
int
charset_conv_run(struct charset_conv *c, const char *in, size_t len, struct buf *out, int last,
		 unsigned *ninvalid)
{
	char  *ip;
	size_t ileft, take, skip;
	int    r;

	if (c == NULL || out == NULL)
		return -1;
	/* No arithmetic on a null pointer, even of zero. */
	if (in == NULL) {
		in = "";
		len = 0;
	}
	if (c->sniffing) {
		take = (size_t)c->unit - c->ncarry;
		if (take > len)
			take = len;
		memcpy(c->carry + c->ncarry, in, take);
		c->ncarry += take;
		in += take;
		len -= take;
		if (c->ncarry < (size_t)c->unit && !last)
			return 0;
		if (conv_pick_order(c) == -1)
			return -1;
		c->sniffing = 0;
	}
	if (drain_carry(c, &in, &len, out, ninvalid) == -1)
		return -1;
	while (len > 0) {
		/* iconv(3) takes char ** for input it never writes. */
		ip = (char *)in;
		ileft = len;
		if ((r = convert(c, &ip, &ileft, out, ninvalid)) == -1)
			return -1;
		in = ip;
		len = ileft;
		if (r == 0)
			break;
		if (r == EINVAL && len <= CARRY_MAX) {
			memcpy(c->carry, in, len);
			c->ncarry = len;
			break;
		}
		if (replace(c, out, ninvalid) == -1)
			return -1;
		skip = (size_t)c->unit < len ? (size_t)c->unit : len;
		in += skip;
		len -= skip;
	}
	if (last)
		return finish(c, out, ninvalid);
	return 0;
}
