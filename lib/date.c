/*
 * date.c: feed dates to UTC seconds since the epoch.
 *
 * Two readers feed one validation step.  A string that starts with a
 * four-digit year goes to the ISO 8601 reader (W3CDTF, RFC 3339, basic
 * format, MSSQL-style blanks, year/month/day with slashes); anything else
 * goes to the word reader (RFC 822/1123/2822, asctime, date(1) and
 * JavaScript's Date.toString, with the mangling feeds add to them).
 *
 * Python's feedparser is the reference, but it ignores whatever follows
 * the zone, takes an unknown zone for UTC and fills missing fields from
 * the current date.  Here an unknown zone or trailing words make the date
 * absent instead: a wrong date sorts an item wrongly for good, an absent
 * one is merely absent.
 *
 * No locale, no local time zone: days_from_civil() is Howard Hinnant's
 * algorithm, exact for the whole proleptic Gregorian calendar.
 */
#include <stdint.h>
#include <string.h>

#include "gleaner.h"

#define DAY_SECS 86400
/* The range date_format can print: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z. */
#define T_MIN (-62135596800LL)
#define T_MAX 253402300799LL

/* Fields as read; finish() checks them all in one place. */
struct dt {
	int year, mon, day;
	int hour, min, sec;
	int off;      /* zone offset east of UTC, seconds */
	int has_time;
	int has_zone;
};

/* A cursor over bytes that are not NUL-terminated. */
struct sc {
	const char *p, *e;
};

enum { W_END, W_WORD, W_COMMENT, W_BAD };

static const char *const months[] = {
	"january", "february", "march",     "april",   "may",      "june",
	"july",    "august",   "september", "october", "november", "december",
};

static const char *const wdays[] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

/*
 * Zone abbreviations, minutes east of UTC: RFC 822's, feedparser's
 * additions (the generic US "ET", "PT"..., Atlantic, MET/MEST) and the
 * unambiguous ones feeds use.  IST, BST, SST and the like stand for
 * different offsets in different countries and are left out on purpose.
 */
static const struct {
	const char *name;
	int         min;
} zones[] = {
	{ "ut", 0 },      { "utc", 0 },     { "gmt", 0 },     { "z", 0 },       { "wet", 0 },
	{ "west", 60 },   { "cet", 60 },    { "cest", 120 },  { "met", 60 },    { "mest", 120 },
	{ "eet", 120 },   { "eest", 180 },  { "msk", 180 },   { "adt", -180 },  { "ast", -240 },
	{ "at", -240 },   { "edt", -240 },  { "est", -300 },  { "et", -300 },   { "cdt", -300 },
	{ "cst", -360 },  { "ct", -360 },   { "mdt", -360 },  { "mst", -420 },  { "mt", -420 },
	{ "pdt", -420 },  { "pst", -480 },  { "pt", -480 },   { "akdt", -480 }, { "akst", -540 },
	{ "hst", -600 },  { "jst", 540 },   { "kst", 540 },   { "hkt", 480 },   { "awst", 480 },
	{ "acst", 570 },  { "acdt", 630 },  { "aest", 600 },  { "aedt", 660 },  { "nzst", 720 },
	{ "nzdt", 780 },
};

/* Character classes by hand: <ctype.h> follows the locale. */
#define LC(c)	   ((c) >= 'A' && (c) <= 'Z' ? (c) + ('a' - 'A') : (c))
#define ISDIG(c)   ((c) >= '0' && (c) <= '9')
#define ISALPHA(c) (LC(c) >= 'a' && LC(c) <= 'z')
#define ISBLANK(c) ((c) == ' ' || ((c) >= '\t' && (c) <= '\r'))
/* Word separators: commas turn up anywhere ("Mon, 13 Feb, 2012", "Feb 16, 2023"). */
#define ISSEP(c)   (ISBLANK(c) || (c) == ',')

/* Case-insensitive comparison of p[0..n) with a lowercase literal. */
static int
eqi(const char *p, size_t n, const char *lit)
{
	size_t i;

	if (n != strlen(lit))
		return 0;
	for (i = 0; i < n; i++)
		if (LC(p[i]) != lit[i])
			return 0;
	return 1;
}

/*
 * Index of the name that p[0..n) abbreviates, or -1.  Any prefix of three
 * letters or more counts ("Sept", "Thurs", "Tues"), with an optional dot.
 */
static int
name_index(const char *p, size_t n, const char *const *tab, int ntab)
{
	size_t i;
	int    k;

	if (n > 0 && p[n - 1] == '.')
		n--;
	if (n < 3)
		return -1;
	for (k = 0; k < ntab; k++) {
		if (n > strlen(tab[k]))
			continue;
		for (i = 0; i < n; i++)
			if (LC(p[i]) != tab[k][i])
				break;
		if (i == n)
			return k;
	}
	return -1;
}

static int
eat(struct sc *s, int c)
{
	if (s->p < s->e && *s->p == c) {
		s->p++;
		return 1;
	}
	return 0;
}

/*
 * Reads a run of digits into *v and returns its length.  A run longer
 * than 8 digits is no field of a date; it returns 9 and *v is garbage
 * but bounded, so no caller can overflow.
 */
static int
run(struct sc *s, int *v)
{
	int n = 0;

	*v = 0;
	while (s->p < s->e && ISDIG(*s->p)) {
		if (n < 8)
			*v = *v * 10 + (*s->p - '0');
		else
			n = 8;
		n++;
		s->p++;
	}
	return n;
}

/* Fractional seconds: read, then truncated like every other parser does. */
static void
frac(struct sc *s)
{
	if (s->e - s->p >= 2 && (s->p[0] == '.' || s->p[0] == ',') && ISDIG(s->p[1])) {
		s->p++;
		while (s->p < s->e && ISDIG(*s->p))
			s->p++;
	}
}

/*
 * Next word: separators are skipped, a parenthesized RFC 2822 comment is
 * one word whatever it holds.  W_BAD is an unclosed comment (or one
 * nested absurdly deep: depth stays bounded on any input).
 */
static int
word(struct sc *s, struct sc *w)
{
	int depth = 0;

	while (s->p < s->e && ISSEP(*s->p))
		s->p++;
	w->p = s->p;
	if (s->p == s->e) {
		w->e = s->p;
		return W_END;
	}
	if (*s->p == '(') {
		do {
			if (*s->p == '(')
				depth++;
			else if (*s->p == ')')
				depth--;
			s->p++;
		} while (s->p < s->e && depth > 0 && depth < 16);
		w->e = s->p;
		return depth ? W_BAD : W_COMMENT;
	}
	while (s->p < s->e && !ISSEP(*s->p) && *s->p != '(')
		s->p++;
	w->e = s->p;
	return W_WORD;
}

/*
 * A zone: a name from the table, a military letter, +hh, +hhmm, +hh:mm,
 * or one of those after GMT/UTC/UT ("GMT+0100", JavaScript's style).
 */
static int
zone_word(const char *p, size_t n, int *off)
{
	struct sc s;
	int       sign, h, m = 0, k, c;
	size_t    i;

	/* "Etc/GMT" is fine, but Etc/GMT+5 means UTC-5 (POSIX signs): names only. */
	if (n > 4 && eqi(p, 4, "etc/")) {
		for (i = 4; i < n; i++)
			if (!ISALPHA(p[i]))
				return -1;
		p += 4;
		n -= 4;
	}
	if (n > 3 && (eqi(p, 3, "gmt") || eqi(p, 3, "utc")) && (p[3] == '+' || p[3] == '-')) {
		p += 3;
		n -= 3;
	} else if (n > 2 && eqi(p, 2, "ut") && (p[2] == '+' || p[2] == '-')) {
		p += 2;
		n -= 2;
	}
	if (n > 0 && (p[0] == '+' || p[0] == '-')) {
		sign = p[0] == '-' ? -1 : 1;
		s.p = p + 1;
		s.e = p + n;
		k = run(&s, &h);
		if (k == 4) {
			m = h % 100;
			h /= 100;
		} else if (k != 2) {
			return -1;
		} else if (eat(&s, ':')) {
			/* "+00:0" (seen in the wild) can only have been "+00:00":
			 * no zone is a few minutes off the hour.  "+05:3" could be
			 * :30 or :03 and is refused. */
			if (s.e - s.p == 1 && s.p[0] == '0')
				s.p++;
			else if (run(&s, &m) != 2)
				return -1;
		}
		if (s.p != s.e || h > 23 || m > 59)
			return -1;
		*off = sign * (h * 3600 + m * 60);
		return 0;
	}
	/* RFC 822's military zones, with its signs (A is -1, N is +1), as
	 * feedparser has them; J is local time, which says nothing. */
	if (n == 1 && ISALPHA(p[0])) {
		c = LC(p[0]);
		if (c == 'z')
			*off = 0;
		else if (c >= 'a' && c <= 'i')
			*off = -(c - 'a' + 1) * 3600;
		else if (c >= 'k' && c <= 'm')
			*off = -(c - 'a') * 3600;
		else if (c >= 'n' && c <= 'y')
			*off = (c - 'n' + 1) * 3600;
		else
			return -1;
		return 0;
	}
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (eqi(p, n, zones[i].name)) {
			*off = zones[i].min * 60;
			return 0;
		}
	return -1;
}

/* An am/pm marker: 1 applied, 0 not one, -1 one without a valid hour. */
static int
ampm(const char *p, size_t n, struct dt *d)
{
	int pm;

	if (eqi(p, n, "am") || eqi(p, n, "a.m."))
		pm = 0;
	else if (eqi(p, n, "pm") || eqi(p, n, "p.m."))
		pm = 12;
	else
		return 0;
	if (!d->has_time || d->hour < 1 || d->hour > 12)
		return -1;
	d->hour = d->hour % 12 + pm;
	return 1;
}

/* h[h]:m[m][:s[s][.fff]], or with hour_only a bare hh (ISO 8601 "T15Z"). */
static int
time_ext(struct sc *s, struct dt *d, int hour_only)
{
	int n;

	if ((n = run(s, &d->hour)) < 1 || n > 2)
		return -1;
	d->has_time = 1;
	if (!eat(s, ':'))
		return hour_only && n == 2 ? 0 : -1;
	if ((n = run(s, &d->min)) < 1 || n > 2)
		return -1;
	if (eat(s, ':')) {
		if ((n = run(s, &d->sec)) < 1 || n > 2)
			return -1;
		frac(s);
	}
	return 0;
}

/*
 * A zone name after a numeric offset ("-0700 MST", Go's time.String()):
 * a known name or an abbreviation in capitals.  The offset wins when they
 * disagree: software computes it, while the label is often a constant
 * ("-0400 EST" all summer).
 */
static int
zone_label(const struct sc *w)
{
	size_t n = (size_t)(w->e - w->p), i;
	int    o, caps = 1;

	if (n < 2 || n > 5)
		return 0;
	for (i = 0; i < n; i++) {
		if (!ISALPHA(w->p[i]))
			return 0;
		if (w->p[i] >= 'a')
			caps = 0;
	}
	return caps || zone_word(w->p, n, &o) == 0;
}

/*
 * What may follow the time: an am/pm marker, one zone, RFC 2822 comments
 * ("+0000 (UTC)").  asctime and date(1) put the year last, after the
 * zone if there is one.  Anything else: not the date we think it is.
 */
static int
tail(struct sc *s, struct dt *d, int year_last)
{
	struct sc w;
	int       r, k, numeric;

	r = word(s, &w);
	if (r == W_WORD && (k = ampm(w.p, (size_t)(w.e - w.p), d)) != 0) {
		if (k == -1)
			return -1;
		r = word(s, &w);
	}
	if (r == W_WORD && zone_word(w.p, (size_t)(w.e - w.p), &d->off) == 0) {
		d->has_zone = 1;
		numeric = memchr(w.p, '+', (size_t)(w.e - w.p)) != NULL ||
			  memchr(w.p, '-', (size_t)(w.e - w.p)) != NULL;
		r = word(s, &w);
		if (numeric && r == W_WORD && zone_label(&w))
			r = word(s, &w);
	}
	if (year_last) {
		if (r != W_WORD || run(&w, &d->year) != 4 || w.p != w.e)
			return -1;
		r = word(s, &w);
		if (r == W_WORD && !d->has_zone &&
		    zone_word(w.p, (size_t)(w.e - w.p), &d->off) == 0)
			r = word(s, &w);
	}
	while (r == W_COMMENT)
		r = word(s, &w);
	return r == W_END ? 0 : -1;
}

/* A day of the month: one or two digits, maybe "1st", "22nd". */
static int
day_word(struct sc w, int *day)
{
	int n;

	if ((n = run(&w, day)) < 1 || n > 2)
		return -1;
	if (w.p == w.e)
		return 0;
	if (eqi(w.p, (size_t)(w.e - w.p), "st") || eqi(w.p, (size_t)(w.e - w.p), "nd") ||
	    eqi(w.p, (size_t)(w.e - w.p), "rd") || eqi(w.p, (size_t)(w.e - w.p), "th"))
		return 0;
	return -1;
}

/*
 * A year in RFC 822 style.  Two digits follow RFC 2822 4.3 (00-49 are
 * 20xx, 50-99 19xx), not feedparser (00-89 are 20xx): "01 Jan 70" is an
 * epoch-zero date printed with %y, never 2070.  Three digits are years
 * since 1900 (RFC 2822 again; Java's getYear()).
 */
static int
year_word(struct sc w, int *year)
{
	int n = run(&w, year);

	if (w.p != w.e || n < 2 || n > 4)
		return -1;
	if (n == 2)
		*year += *year < 50 ? 2000 : 1900;
	else if (n == 3)
		*year += 1900;
	return 0;
}

/*
 * RFC 822 and friends, the weekday already gone:
 *	dd mon yyyy [time] ...		RFC 822, 1123, 2822
 *	mon dd yyyy [time] ...		"Thu Aug 30 2012 17:26:16 +0200"
 *	mon dd time [zone] yyyy		asctime, date(1)
 */
static int
parse_rfc(struct sc *s, struct dt *d)
{
	struct sc w, save;
	int       year_last = 0;

	if (word(s, &w) != W_WORD)
		return -1;
	if (day_word(w, &d->day) == 0) {
		if (word(s, &w) != W_WORD ||
		    (d->mon = name_index(w.p, (size_t)(w.e - w.p), months, 12) + 1) == 0)
			return -1;
		if (word(s, &w) != W_WORD || year_word(w, &d->year) == -1)
			return -1;
	} else if ((d->mon = name_index(w.p, (size_t)(w.e - w.p), months, 12) + 1) != 0) {
		if (word(s, &w) != W_WORD || day_word(w, &d->day) == -1)
			return -1;
		save = *s;
		if (word(s, &w) != W_WORD || year_word(w, &d->year) == -1) {
			*s = save;
			year_last = 1;
		}
	} else
		return -1;
	/* The time, with an am/pm maybe stuck on ("8:56pm"). */
	save = *s;
	if (word(s, &w) == W_WORD && memchr(w.p, ':', (size_t)(w.e - w.p)) != NULL) {
		if (time_ext(&w, d, 0) == -1 ||
		    (w.p != w.e && ampm(w.p, (size_t)(w.e - w.p), d) != 1))
			return -1;
	} else {
		if (year_last)
			return -1;
		*s = save;
	}
	return tail(s, d, year_last);
}

/*
 * ISO 8601 and its relatives: yyyy, yyyy-mm, yyyy-mm-dd, yyyymmdd,
 * yyyy/mm/dd; then T or blanks; then hh[:mm[:ss[.fff]]] or hhmm[ss]; then
 * a zone (none is UTC).  Google's "2003-012-31" has a month of three
 * digits; a lone "2003-012" is an ordinal date and refused.
 */
static int
parse_iso(struct sc *s, struct dt *d)
{
	struct sc save;
	int       n, v, sep;

	n = run(s, &v);
	if (n == 8) {
		d->year = v / 10000;
		d->mon = v / 100 % 100;
		d->day = v % 100;
	} else if (n == 4) {
		d->year = v;
		d->mon = d->day = 1;
		if (s->p == s->e)
			return 0;
		sep = (unsigned char)*s->p;
		if (sep != '-' && sep != '/')
			return -1;
		s->p++;
		if ((n = run(s, &d->mon)) < 1 || n > 3)
			return -1;
		if (s->p == s->e)
			return sep == '-' && n < 3 ? 0 : -1;
		if (!eat(s, sep) || (n = run(s, &d->day)) < 1 || n > 2)
			return -1;
	} else
		return -1;
	if (s->p == s->e)
		return 0;
	if (LC(*s->p) == 't')
		s->p++;
	else if (ISBLANK(*s->p))
		while (s->p < s->e && ISBLANK(*s->p))
			s->p++;
	else
		return -1;
	save = *s;
	n = run(s, &v);
	if (n == 4 || n == 6) {
		/* Basic format: 151018 */
		if (n == 6) {
			d->sec = v % 100;
			v /= 100;
			frac(s);
		}
		d->hour = v / 100;
		d->min = v % 100;
	} else {
		*s = save;
		if (time_ext(s, d, 1) == -1)
			return -1;
	}
	d->has_time = 1;
	return tail(s, d, 0);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/*
 * Range checks, then the arithmetic.  A leap second (:60) and ISO's
 * 24:00:00 roll over into the next minute or day, as feedparser has it.
 */
static int
finish(const struct dt *d, int64_t *out)
{
	static const unsigned char mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t t;

	if (d->year < 1 || d->year > 9999 || d->mon < 1 || d->mon > 12 || d->day < 1)
		return -1;
	if (d->day > mdays[d->mon - 1] + (d->mon == 2 && d->year % 4 == 0 &&
					    (d->year % 100 != 0 || d->year % 400 == 0)))
		return -1;
	if (d->hour > 24 || d->min > 59 || d->sec > 60 || (d->hour == 24 && (d->min || d->sec)))
		return -1;
	t = days_from_civil(d->year, d->mon, d->day) * DAY_SECS + d->hour * 3600 + d->min * 60 +
	    d->sec - d->off;
	if (t < T_MIN || t > T_MAX)
		return -1;
	*out = t;
	return 0;
}

int
date_parse(const char *s, size_t len, int64_t *out)
{
	struct sc   sc;
	struct dt   d;
	const char *q;
	int64_t     t;
	int         r;

	if (s == NULL)
		return -1;
	sc.p = s;
	sc.e = s + len;
	while (sc.p < sc.e && ISBLANK(*sc.p))
		sc.p++;
	while (sc.e > sc.p && ISBLANK(sc.e[-1]))
		sc.e--;
	/* A leading weekday adds nothing and is often wrong: skip it unread. */
	for (q = sc.p; q < sc.e && ISALPHA(*q); q++)
		;
	if (q < sc.e && *q == '.')
		q++;
	if (name_index(sc.p, (size_t)(q - sc.p), wdays, 7) != -1)
		for (sc.p = q; sc.p < sc.e && ISSEP(*sc.p); sc.p++)
			;
	memset(&d, 0, sizeof(d));
	for (q = sc.p; q < sc.e && ISDIG(*q); q++)
		;
	if (q - sc.p >= 4)
		r = parse_iso(&sc, &d);
	else
		r = parse_rfc(&sc, &d);
	if (r == -1 || finish(&d, &t) == -1)
		return -1;
	*out = t;
	return 0;
}

static void
put(char *p, int v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Times outside years 1..9999 are clamped: the output always fits 21 bytes. */
void
date_format(int64_t t, char out[21])
{
	int64_t days, secs;
	int     y, m, d;

	if (t < T_MIN)
		t = T_MIN;
	if (t > T_MAX)
		t = T_MAX;
	days = t / DAY_SECS;
	secs = t % DAY_SECS;
	if (secs < 0) {
		secs += DAY_SECS;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	memcpy(out, "0000-00-00T00:00:00Z", 21);
	put(out, y, 4);
	put(out + 5, m, 2);
	put(out + 8, d, 2);
	put(out + 11, (int)(secs / 3600), 2);
	put(out + 14, (int)(secs / 60 % 60), 2);
	put(out + 17, (int)(secs % 60), 2);
}
