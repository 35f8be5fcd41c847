/*
 * config.c: gleaner.conf (see gleaner.conf(5)), read with inih.
 *
 * An INI file: [gleaner] for the daemon's own settings, one [feed "NAME"]
 * per feed, one [site "HOST"] per site whose articles need extraction
 * rules.  Every problem in the file is reported, not only the first, each
 * as "FILE:LINE: message", and a file with any problem is refused whole
 * (a reload with a bad file keeps the running config).
 *
 * inih reads its lines through conf_read(), which does what inih cannot:
 *  - counts the lines itself, so a message's line number is exact and does
 *    not depend on how the library was built;
 *  - parses section headers itself: inih cuts section names at 50 bytes,
 *    ignores text after ']', and never tells the handler about a section
 *    without keys or about a second section of the same name;
 *  - strips leading blanks, so an indented key is a key and never the
 *    continuation of the value above it (inih's multi-line values);
 *  - refuses control characters, NUL bytes, invalid UTF-8 and lines
 *    longer than CONFIG_LINE_MAX (inih would split those in two);
 *  - notices a line that never reached the handler (it has no '='), so
 *    that every malformed line is reported and not just inih's first.
 *
 * The declarations are in gleaner.h.  What they mean:
 *
 * config_load(path, err, errsz) reads the file.  On any problem it returns
 * NULL and writes every problem found to err, one "FILE:LINE: message" per
 * line (no newline after the last; "FILE: message" for the file as a
 * whole), as many whole lines as fit in errsz, sorted by line.  Unknown
 * sections and keys, bad values, a key set twice in a section, a feed
 * without url, two feeds with one URL (scheme and host compared without
 * case) or one name, two sites with one host are all problems.
 *
 * struct config: every field set, defaults as in gleaner.conf(5):
 *	database, control_socket  absolute when given relative (to the
 *	                          directory of the file, as named)
 *	interval, min_interval, max_interval, timeout, connect_timeout,
 *	article_host_delay, max_age: seconds (max_age 0: keep)
 *	max_body: bytes; max_items: per feed (0: keep)
 *	article_host_connections: article fetches at once per host (1)
 *	full_text, allow_private: 0 or 1; log_level: LOG_ERR_ .. LOG_DEBUG_
 *	user_agent: default "Gleaner/VERSION (+GLEANER_URL)"
 * struct config_feed: url (http or https) and name always set, title
 * defaults to name; tags trimmed, without empty ones or repeats; headers
 * "Name: value" (or "Name:", which makes libcurl drop that header), in
 * file order; user_agent, proxy, username, password NULL when not set;
 * interval, max_age, max_items 0 and full_text, allow_private -1 when not
 * set (the global setting applies); line: the section header's.
 * struct config_site: host lower-cased; content, remove NULL when not set.
 * No duration is above CONFIG_DURATION_MAX (100 years), so now plus any
 * of them cannot overflow.
 *
 * config_parse_duration: "30s", "15m", "2h", "1d", "1w", combined largest
 * unit first ("1h30m"); a plain number is seconds.  config_parse_size:
 * "512K", "16M", "1G", "1T" (either case, K = 1024), a plain number is
 * bytes.  config_parse_bool: yes/no, true/false, on/off, 1/0, any case.
 * All three return 0, or -1 (leaving the result alone) on junk, a sign or
 * overflow.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "gleaner.h"

#ifndef GLEANER_URL
#define GLEANER_URL "https://github.com/gleaner/gleaner" /* the project's home: in the User-Agent */
#endif
#ifndef CONFIG_LINE_MAX
#define CONFIG_LINE_MAX 8192 /* longest line, in bytes */
#endif
#ifndef CONFIG_DURATION_MAX
#define CONFIG_DURATION_MAX (INT64_C(36500) * 86400) /* longest duration a key takes */
#endif

/*
 * Debian 12's libinih (r55) is built with INI_HANDLER_LINENO=1: the library
 * passes the line number as a fifth argument (seen in its disassembly),
 * although ini.h defaults the macro to 0 and inih.pc does not set it.  The
 * handler's prototype follows the library.  The number is not used: the
 * reader counts lines itself.
 */
#define INI_HANDLER_LINENO 1
#include <ini.h>

#define CONF_MAX_ERRORS 100 /* messages kept; the rest are only counted */
#define CONF_CLIP       60  /* bytes of a value quoted in a message */
#define CONF_KEYS_MAX   24  /* keys in the largest section */

/* Debian's libinih reads the line length limit (and sizes its stack
 * buffer) at run time from ini_max_line; the default is 200 bytes. */
#define CONF_INI_LINE (CONFIG_LINE_MAX + 3) /* "\r\n" and the NUL */

#define DEF_DATABASE   "/var/lib/gleaner/gleaner.db"
#define DEF_SOCKET     "/run/gleaner/control.sock"
#define DEF_USER_AGENT "Gleaner/" GLEANER_VERSION " (+" GLEANER_URL ")"

enum ktype {
	K_STR,    /* any text */
	K_PATH,   /* a path, relative to the file's directory */
	K_SOCKET, /* a path that must fit a sockaddr_un */
	K_URL,    /* http or https */
	K_PROXY,  /* what CURLOPT_PROXY takes */
	K_USER,   /* a user name for basic auth: no ':' */
	K_DUR,    /* int64_t seconds in [min, max] */
	K_SIZE,   /* int64_t bytes in [min, max] */
	K_INT,    /* int in [min, max] */
	K_INT64,  /* int64_t in [min, max] */
	K_BOOL,   /* int 0 or 1 */
	K_LEVEL,  /* int log priority */
	K_TAGS,   /* config_feed tags */
	K_HEADER, /* config_feed headers (repeatable) */
	K_SELECTOR, /* a CSS selector or XPath (selector_to_xpath) */
};

struct key {
	const char *name;
	enum ktype  type;
	size_t      off; /* in the section's struct */
	int64_t     min, max;
};

#define G(f) offsetof(struct config, f)
#define F(f) offsetof(struct config_feed, f)
#define S(f) offsetof(struct config_site, f)
#define DMAX CONFIG_DURATION_MAX

static const struct key gleaner_keys[] = {
	{"database", K_PATH, G(database), 0, 0},
	{"control_socket", K_SOCKET, G(control_socket), 0, 0},
	{"interval", K_DUR, G(interval), 1, DMAX},
	{"min_interval", K_DUR, G(min_interval), 1, DMAX},
	{"max_interval", K_DUR, G(max_interval), 1, DMAX},
	{"timeout", K_DUR, G(timeout), 1, DMAX},
	{"connect_timeout", K_DUR, G(connect_timeout), 1, DMAX},
	{"max_body", K_SIZE, G(max_body), 1, INT64_MAX},
	{"max_connections", K_INT, G(max_connections), 1, 10000},
	{"max_host_connections", K_INT, G(max_host_connections), 1, 10000},
	{"full_text", K_BOOL, G(full_text), 0, 0},
	{"allow_private_addresses", K_BOOL, G(allow_private), 0, 0},
	{"max_age", K_DUR, G(max_age), 0, DMAX},
	{"max_items", K_INT64, G(max_items), 0, INT64_MAX},
	{"log_level", K_LEVEL, G(log_level), 0, 0},
	{"user_agent", K_STR, G(user_agent), 0, 0},
	{"article_host_delay", K_DUR, G(article_host_delay), 0, DMAX},
	{"article_host_connections", K_INT, G(article_host_connections), 1, 10000},
};

/* Per feed, 0 is refused where it would read as "the global setting". */
static const struct key feed_keys[] = {
	{"url", K_URL, F(url), 0, 0},
	{"title", K_STR, F(title), 0, 0},
	{"tags", K_TAGS, F(tags), 0, 0},
	{"interval", K_DUR, F(interval), 1, DMAX},
	{"full_text", K_BOOL, F(full_text), 0, 0},
	{"allow_private_addresses", K_BOOL, F(allow_private), 0, 0},
	{"user_agent", K_STR, F(user_agent), 0, 0},
	{"proxy", K_PROXY, F(proxy), 0, 0},
	{"username", K_USER, F(username), 0, 0},
	{"password", K_STR, F(password), 0, 0},
	{"header", K_HEADER, F(headers), 0, 0},
	{"max_age", K_DUR, F(max_age), 1, DMAX},
	{"max_items", K_INT64, F(max_items), 1, INT64_MAX},
};

static const struct key site_keys[] = {
	{"content", K_SELECTOR, S(content), 0, 0},
	{"remove", K_SELECTOR, S(remove), 0, 0},
};

#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))
_Static_assert(NKEYS(gleaner_keys) <= CONF_KEYS_MAX, "CONF_KEYS_MAX");
_Static_assert(NKEYS(feed_keys) <= CONF_KEYS_MAX, "CONF_KEYS_MAX");

enum sect { SEC_NONE, SEC_GLEANER, SEC_FEED, SEC_SITE, SEC_BAD };

struct sectdef {
	const char       *kind;
	const char       *label; /* for messages */
	const struct key *keys;
	size_t            nkeys;
};

static const struct sectdef sects[] = {
	[SEC_GLEANER] = {"gleaner", "[gleaner]", gleaner_keys, NKEYS(gleaner_keys)},
	[SEC_FEED] = {"feed", "[feed \"NAME\"]", feed_keys, NKEYS(feed_keys)},
	[SEC_SITE] = {"site", "[site \"HOST\"]", site_keys, NKEYS(site_keys)},
};

struct cerr {
	unsigned line; /* 0: the file as a whole */
	size_t   seq;
	char    *msg;
};

struct ctx {
	struct config *cf;
	const char    *path;     /* as given, for messages */
	char          *dir;      /* the file's directory: base of relative paths */
	FILE          *fp;
	char          *lbuf;     /* getline's */
	size_t         lbufsz;
	unsigned       line;     /* the line last handed to inih */
	int            pending;  /* it is a key line the handler has not seen yet */
	enum sect      sec;      /* the section being read */
	unsigned       seen[CONF_KEYS_MAX];  /* line each key of it was set on, or 0 */
	unsigned       gseen[CONF_KEYS_MAX]; /* the same for [gleaner], all of them */
	unsigned      *url_line; /* per feed: the line of its url */
	size_t         feedcap, sitecap;
	struct cerr   *errs;
	size_t         nerrs, errcap, nlost;
	int            nomem;
};

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* How much of s a message quotes: at most CONF_CLIP bytes, cut on a UTF-8 boundary. */
static int
clip(const char *s)
{
	size_t n = strnlen(s, CONF_CLIP + 1);

	if (n <= CONF_CLIP)
		return (int)n;
	n = CONF_CLIP;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}
#define CLIP(s) clip(s), (s), (s)[clip(s)] ? "..." : ""

static void conf_err(struct ctx *, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
conf_err(struct ctx *c, unsigned line, const char *fmt, ...)
{
	struct cerr *e;
	va_list      ap;
	char        *msg;
	int          r;

	if (c->nerrs == CONF_MAX_ERRORS) {
		c->nlost++;
		return;
	}
	if (c->nerrs == c->errcap) {
		size_t ncap = c->errcap ? c->errcap * 2 : 8;

		if ((e = reallocarray(c->errs, ncap, sizeof(*e))) == NULL) {
			c->nomem = 1;
			return;
		}
		c->errs = e;
		c->errcap = ncap;
	}
	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r == -1) {
		c->nomem = 1;
		return;
	}
	e = &c->errs[c->nerrs];
	e->line = line;
	e->seq = c->nerrs++;
	e->msg = msg;
}

static char *
conf_strdup(struct ctx *c, const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		c->nomem = 1;
	return p;
}

/* Replaces *dst with a copy of s. */
static void
conf_setstr(struct ctx *c, char **dst, const char *s)
{
	char *p;

	if ((p = conf_strdup(c, s)) == NULL)
		return;
	free(*dst);
	*dst = p;
}

static int
utf8_valid(const unsigned char *s, size_t len)
{
	size_t   i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xC2 && s[i] <= 0xDF) {
			n = 1;
			cp = s[i] & 0x1F;
		} else if (s[i] >= 0xE0 && s[i] <= 0xEF) {
			n = 2;
			cp = s[i] & 0x0F;
		} else if (s[i] >= 0xF0 && s[i] <= 0xF4) {
			n = 3;
			cp = s[i] & 0x07;
		} else {
			return 0;
		}
		if (n >= len - i)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Parsers of values. */

/* Decimal digits only, no sign; -1 on anything else or overflow. */
static int
parse_count(const char *s, int64_t *out)
{
	int64_t n = 0;

	if (!is_digit(*s))
		return -1;
	for (; is_digit(*s); s++) {
		if (n > (INT64_MAX - (*s - '0')) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	if (*s != '\0')
		return -1;
	*out = n;
	return 0;
}

int
config_parse_duration(const char *s, int64_t *secs)
{
	static const struct {
		char    c;
		int64_t mul;
	} units[] = {{'w', 604800}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
	size_t  next = 0, u; /* units must come largest first, each once */
	int64_t total = 0, n;

	if (!is_digit(*s))
		return -1;
	while (*s != '\0') {
		if (!is_digit(*s))
			return -1;
		for (n = 0; is_digit(*s); s++) {
			if (n > (INT64_MAX - (*s - '0')) / 10)
				return -1;
			n = n * 10 + (*s - '0');
		}
		if (*s == '\0') {
			if (next != 0) /* "1h30": a number after a unit needs its own */
				return -1;
			*secs = n;
			return 0;
		}
		for (u = next; u < NKEYS(units) && units[u].c != *s; u++)
			;
		if (u == NKEYS(units))
			return -1;
		if (n > INT64_MAX / units[u].mul)
			return -1;
		n *= units[u].mul;
		if (total > INT64_MAX - n)
			return -1;
		total += n;
		next = u + 1;
		s++;
	}
	*secs = total;
	return 0;
}

int
config_parse_size(const char *s, int64_t *bytes)
{
	int64_t n = 0;
	int     shift = 0;

	if (!is_digit(*s))
		return -1;
	for (; is_digit(*s); s++) {
		if (n > (INT64_MAX - (*s - '0')) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	switch (lower(*s)) {
	case '\0':
		break;
	case 'k':
		shift = 10;
		break;
	case 'm':
		shift = 20;
		break;
	case 'g':
		shift = 30;
		break;
	case 't':
		shift = 40;
		break;
	default:
		return -1;
	}
	if (shift && *++s != '\0')
		return -1;
	if (n > (INT64_MAX >> shift))
		return -1;
	*bytes = n << shift;
	return 0;
}

int
config_parse_bool(const char *s, int *v)
{
	static const char *yes[] = {"yes", "true", "on", "1"};
	static const char *no[] = {"no", "false", "off", "0"};
	size_t             i;

	for (i = 0; i < NKEYS(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*v = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*v = 0;
			return 0;
		}
	}
	return -1;
}

static int
parse_level(const char *s, int *v)
{
	static const struct {
		const char *name;
		int         level;
	} levels[] = {
	    {"error", LOG_ERR_}, {"warning", LOG_WARNING_}, {"notice", LOG_NOTICE_},
	    {"info", LOG_INFO_}, {"debug", LOG_DEBUG_},
	};
	size_t i;

	for (i = 0; i < NKEYS(levels); i++) {
		if (strcasecmp(s, levels[i].name) == 0) {
			*v = levels[i].level;
			return 0;
		}
	}
	return -1;
}

/* NULL if v is an http(s) URL with a host, else what is wrong with it. */
static const char *
url_problem(const char *v)
{
	const char *host;

	if (strncasecmp(v, "http://", 7) == 0)
		host = v + 7;
	else if (strncasecmp(v, "https://", 8) == 0)
		host = v + 8;
	else
		return "not an http or https URL";
	if (*host == '\0' || strchr("/?#@:", *host) != NULL)
		return "no host in URL";
	if (strpbrk(v, " \t") != NULL)
		return "space in URL (write it as %20)";
	return NULL;
}

static const char *
proxy_problem(const char *v)
{
	static const char *schemes[] = {"http", "https", "socks4", "socks4a", "socks5", "socks5h"};
	const char        *p;
	size_t             i, n;

	if (strpbrk(v, " \t") != NULL)
		return "space in proxy";
	if ((p = strstr(v, "://")) == NULL)
		return NULL; /* host[:port], taken as an HTTP proxy */
	n = (size_t)(p - v);
	for (i = 0; i < NKEYS(schemes); i++)
		if (strlen(schemes[i]) == n && strncasecmp(v, schemes[i], n) == 0)
			break;
	if (i == NKEYS(schemes))
		return "unknown proxy scheme (http, https, socks4, socks4a, socks5 or socks5h)";
	if (p[3] == '\0' || p[3] == '/')
		return "no host in proxy";
	return NULL;
}

/* Paths. */

/* The directory of the file at path, as named (a symbolic link to the
 * file is not followed), made absolute.  No trailing '/' unless it is "/". */
static char *
conf_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char       *dir, *real;

	if (slash == NULL)
		dir = strdup(".");
	else
		dir = xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (dir == NULL)
		return NULL;
	/* realpath fails only on what fopen just got through, or ENOMEM. */
	if ((real = realpath(dir, NULL)) == NULL)
		return dir;
	free(dir);
	return real;
}

/* v if absolute, else v in the file's directory, leading "./" and "../"
 * taken off against that directory (exact, since realpath resolved it). */
static char *
conf_path(struct ctx *c, const char *v)
{
	size_t dlen;
	char  *p;

	if (v[0] == '/')
		return conf_strdup(c, v);
	dlen = strlen(c->dir);
	while (c->dir[0] == '/') {
		if (v[0] == '.' && (v[1] == '/' || v[1] == '\0')) {
			v += 1;
		} else if (v[0] == '.' && v[1] == '.' && (v[2] == '/' || v[2] == '\0')) {
			v += 2;
			while (dlen > 1 && c->dir[dlen - 1] != '/')
				dlen--;
			if (dlen > 1)
				dlen--; /* the '/' before the last component */
		} else {
			break;
		}
		while (*v == '/')
			v++;
	}
	if (asprintf(&p, "%.*s%s%s", (int)dlen, c->dir,
		     *v == '\0' || (dlen == 1 && c->dir[0] == '/') ? "" : "/", v) == -1) {
		c->nomem = 1;
		return NULL;
	}
	return p;
}

/* Values that are lists. */

static int
push(struct ctx *c, char ***list, size_t *n, char *s)
{
	char **p;

	if (s == NULL)
		return -1;
	if ((p = reallocarray(*list, *n + 1, sizeof(**list))) == NULL) {
		free(s);
		c->nomem = 1;
		return -1;
	}
	*list = p;
	p[(*n)++] = s;
	return 0;
}

/* tags = a, b, c */
static void
conf_tags(struct ctx *c, struct config_feed *f, const char *v)
{
	const char *p = v, *e;
	size_t      len, i;

	while (*p != '\0') {
		while (is_blank(*p))
			p++;
		e = p + strcspn(p, ",");
		len = (size_t)(e - p);
		while (len > 0 && is_blank(p[len - 1]))
			len--;
		for (i = 0; i < f->ntags; i++)
			if (strlen(f->tags[i]) == len && memcmp(f->tags[i], p, len) == 0)
				break;
		if (len > 0 && i == f->ntags) {
			char *t = xstrndup(p, len);

			if (t == NULL)
				c->nomem = 1;
			if (push(c, &f->tags, &f->ntags, t) == -1)
				return;
		}
		p = *e == ',' ? e + 1 : e;
	}
	if (f->ntags == 0)
		conf_err(c, c->line, "tags: no tag in '%.*s%s'", CLIP(v));
}

/* RFC 9110 token characters. */
static int
is_tchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
	       (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* header = Name: value; kept as "Name: value", or "Name:" (which makes
 * libcurl drop a header it would send itself). */
static void
conf_header(struct ctx *c, struct config_feed *f, const char *v)
{
	const char *p, *val;
	char       *h;

	for (p = v; is_tchar(*p); p++)
		;
	if (p == v || *p != ':') {
		conf_err(c, c->line, "header: expected 'Name: value', got '%.*s%s'", CLIP(v));
		return;
	}
	for (val = p + 1; is_blank(*val); val++)
		;
	if (asprintf(&h, "%.*s:%s%s", (int)(p - v), v, *val ? " " : "", val) == -1) {
		c->nomem = 1;
		return;
	}
	push(c, &f->headers, &f->nheaders, h);
}

/* Keys. */

static size_t
key_find(const struct key *keys, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(keys[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

/* Levenshtein distance, ignoring case, for short names (else SIZE_MAX). */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev[33], cur[33], d;

	if (la > 32 || lb > 32)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			d = prev[j - 1] + (lower(a[i - 1]) != lower(b[j - 1]));
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

static void
conf_unknown(struct ctx *c, const char *name)
{
	const struct sectdef *sd = &sects[c->sec];
	const char           *sname = NULL;
	char                  in[96];
	size_t                i, n = strlen(name);
	int                   s;

	if (c->sec == SEC_FEED)
		sname = c->cf->feeds[c->cf->nfeeds - 1].name;
	else if (c->sec == SEC_SITE)
		sname = c->cf->sites[c->cf->nsites - 1].host;
	if (sname != NULL)
		snprintf(in, sizeof(in), "[%s \"%.*s%s\"]", sd->kind, CLIP(sname));
	else
		snprintf(in, sizeof(in), "[%s]", sd->kind);

	for (s = SEC_GLEANER; s <= SEC_SITE; s++) {
		if (s != (int)c->sec && key_find(sects[s].keys, sects[s].nkeys, name) != SIZE_MAX) {
			conf_err(c, c->line, "unknown key '%s' in %s: it goes in a %s section", name,
				 in, sects[s].label);
			return;
		}
	}
	for (i = 0; i < sd->nkeys; i++) {
		if (distance(name, sd->keys[i].name) <= (n < 6 ? 1 : 2) ||
		    (n >= 4 && strncasecmp(name, sd->keys[i].name, n) == 0)) {
			conf_err(c, c->line, "unknown key '%s' in %s (did you mean '%s'?)", name, in,
				 sd->keys[i].name);
			return;
		}
	}
	conf_err(c, c->line, "unknown key '%.*s%s' in %s", CLIP(name), in);
}

static void
conf_set(struct ctx *c, const struct key *k, void *base, const char *v)
{
	void       *field = (char *)base + k->off;
	const char *why;
	char       *s;
	int64_t     n;
	int         b;

	switch (k->type) {
	case K_STR:
		conf_setstr(c, (char **)field, v);
		break;
	case K_PATH:
	case K_SOCKET:
		if ((s = conf_path(c, v)) == NULL)
			break;
		if (k->type == K_SOCKET && strlen(s) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
			conf_err(c, c->line, "%s: path too long for a Unix socket (%zu bytes, at most %zu): %s",
				 k->name, strlen(s), sizeof(((struct sockaddr_un *)0)->sun_path) - 1, s);
			free(s);
			break;
		}
		free(*(char **)field);
		*(char **)field = s;
		break;
	case K_URL:
	case K_PROXY:
		if ((why = (k->type == K_URL ? url_problem : proxy_problem)(v)) != NULL)
			conf_err(c, c->line, "%s: %s: '%.*s%s'", k->name, why, CLIP(v));
		else
			conf_setstr(c, (char **)field, v);
		break;
	case K_SELECTOR: {
		/* Checked here so a typo is a line in the file, not a page
		 * later failing to extract; kept as written for display. */
		char  serr[512];
		char *xp = selector_to_xpath(v, serr, sizeof(serr));

		if (xp == NULL)
			conf_err(c, c->line, "%s: %s", k->name, serr);
		else
			conf_setstr(c, (char **)field, v);
		free(xp);
		break;
	}
	case K_USER:
		if (strchr(v, ':') != NULL)
			conf_err(c, c->line, "%s: a user name cannot contain ':'", k->name);
		else
			conf_setstr(c, (char **)field, v);
		break;
	case K_DUR:
	case K_SIZE:
	case K_INT:
	case K_INT64:
		if ((k->type == K_DUR ? config_parse_duration(v, &n)
		     : k->type == K_SIZE ? config_parse_size(v, &n)
					 : parse_count(v, &n)) == -1) {
			conf_err(c, c->line, "%s: not %s: '%.*s%s'", k->name,
				 k->type == K_DUR    ? "a duration (like 90s, 15m, 2h, 1d or 1h30m)"
				 : k->type == K_SIZE ? "a size (like 512K, 16M or 1G)"
						     : "a number",
				 CLIP(v));
		} else if (n < k->min) {
			conf_err(c, c->line, "%s: must be more than 0%s", k->name,
				 base == c->cf ? "" : " (leave it out to use the global setting)");
		} else if (n > k->max) {
			if (k->type == K_DUR)
				conf_err(c, c->line, "%s: too long (at most %lldd)", k->name,
					 (long long)(k->max / 86400));
			else
				conf_err(c, c->line, "%s: must be between %lld and %lld", k->name,
					 (long long)k->min, (long long)k->max);
		} else if (k->type == K_INT) {
			*(int *)field = (int)n;
		} else {
			*(int64_t *)field = n;
		}
		break;
	case K_BOOL:
		if (config_parse_bool(v, &b) == -1)
			conf_err(c, c->line, "%s: not yes or no: '%.*s%s'", k->name, CLIP(v));
		else
			*(int *)field = b;
		break;
	case K_LEVEL:
		if (parse_level(v, &b) == -1)
			conf_err(c, c->line,
				 "%s: not a level (error, warning, notice, info or debug): '%.*s%s'",
				 k->name, CLIP(v));
		else
			*(int *)field = b;
		break;
	case K_TAGS:
		conf_tags(c, base, v);
		break;
	case K_HEADER:
		conf_header(c, base, v);
		break;
	}
}

static unsigned
seen_line(const unsigned *seen, const struct key *keys, size_t n, const char *name)
{
	size_t i = key_find(keys, n, name);

	return i == SIZE_MAX ? 0 : seen[i];
}

/* Sections. */

/* Checks the section that ends here. */
static void
conf_section_end(struct ctx *c)
{
	struct config_feed *f;
	struct config_site *s;
	unsigned            l;

	if (c->sec == SEC_FEED) {
		f = &c->cf->feeds[c->cf->nfeeds - 1];
		if (c->url_line[c->cf->nfeeds - 1] == 0) /* a bad one was reported */
			conf_err(c, f->line, "[feed \"%.*s%s\"] has no url", CLIP(f->name));
		if (f->password != NULL && f->username == NULL) {
			l = seen_line(c->seen, feed_keys, NKEYS(feed_keys), "password");
			conf_err(c, l, "password without username");
		}
		if (f->title == NULL)
			f->title = conf_strdup(c, f->name);
	} else if (c->sec == SEC_SITE) {
		s = &c->cf->sites[c->cf->nsites - 1];
		/* A key set to a bad selector was reported on its own line. */
		if (s->content == NULL && s->remove == NULL &&
		    !seen_line(c->seen, site_keys, NKEYS(site_keys), "content") &&
		    !seen_line(c->seen, site_keys, NKEYS(site_keys), "remove"))
			conf_err(c, s->line, "[site \"%.*s%s\"] sets neither content nor remove",
				 CLIP(s->host));
	}
	c->sec = SEC_NONE;
}

static void
conf_feed_new(struct ctx *c, const char *name)
{
	struct config      *cf = c->cf;
	struct config_feed *f;
	unsigned           *u;

	if (cf->nfeeds == c->feedcap) {
		size_t ncap = c->feedcap ? c->feedcap * 2 : 16;

		if ((f = reallocarray(cf->feeds, ncap, sizeof(*f))) == NULL) {
			c->nomem = 1;
			return;
		}
		cf->feeds = f;
		if ((u = reallocarray(c->url_line, ncap, sizeof(*u))) == NULL) {
			c->nomem = 1;
			return;
		}
		c->url_line = u;
		c->feedcap = ncap;
	}
	f = &cf->feeds[cf->nfeeds];
	memset(f, 0, sizeof(*f));
	f->full_text = -1;
	f->allow_private = -1;
	f->line = c->line;
	if ((f->name = conf_strdup(c, name)) == NULL)
		return;
	c->url_line[cf->nfeeds++] = 0;
	c->sec = SEC_FEED;
}

static void
conf_site_new(struct ctx *c, const char *host)
{
	struct config      *cf = c->cf;
	struct config_site *s;
	const char         *p;
	char               *h, *q;

	for (p = host; *p; p++)
		if (!(is_digit(*p) || (lower(*p) >= 'a' && lower(*p) <= 'z') || *p == '.' ||
		      *p == '-' || *p == '_' || (unsigned char)*p >= 0x80))
			break;
	if (*p != '\0' || host[0] == '.' || p[-1] == '.') {
		conf_err(c, c->line, "[site \"%.*s%s\"]: not a host name (like example.com)",
			 CLIP(host));
		return;
	}
	if (cf->nsites == c->sitecap) {
		size_t ncap = c->sitecap ? c->sitecap * 2 : 8;

		if ((s = reallocarray(cf->sites, ncap, sizeof(*s))) == NULL) {
			c->nomem = 1;
			return;
		}
		cf->sites = s;
		c->sitecap = ncap;
	}
	if ((h = conf_strdup(c, host)) == NULL)
		return;
	for (q = h; *q; q++)
		*q = (char)lower(*q);
	s = &cf->sites[cf->nsites++];
	memset(s, 0, sizeof(*s));
	s->host = h;
	s->line = c->line;
	c->sec = SEC_SITE;
}

/*
 * A section header: [gleaner], [feed "NAME"], [site "HOST"].  The name is in
 * double quotes, where \" and \\ stand for " and \.  s is the line, trimmed;
 * it is rewritten in place.  Keys after a bad header are skipped unread.
 */
static void
conf_section(struct ctx *c, char *s)
{
	char  *p = s + 1, *kind, *name = NULL, *q;
	size_t klen;
	int    i;

	conf_section_end(c);
	c->sec = SEC_BAD;
	memset(c->seen, 0, sizeof(c->seen));
	while (is_blank(*p))
		p++;
	kind = p;
	while (lower(*p) >= 'a' && lower(*p) <= 'z')
		p++;
	klen = (size_t)(p - kind);
	while (is_blank(*p))
		p++;
	if (*p == '"') {
		name = q = ++p;
		for (; *p != '"'; p++) {
			if (*p == '\0') {
				conf_err(c, c->line, "section header: no closing '\"'");
				return;
			}
			if (*p == '\\') {
				if (p[1] != '"' && p[1] != '\\') {
					conf_err(c, c->line,
						 "section header: only \\\" and \\\\ may follow '\\'");
					return;
				}
				p++;
			}
			*q++ = *p;
		}
		*q = '\0'; /* q <= p: the closing quote is past what was written */
		p++;
		while (is_blank(*p))
			p++;
	}
	if (*p != ']') {
		if (klen > 0 && name == NULL && *p != '\0')
			conf_err(c, c->line, "section header: quote the name: [%.*s \"...\"]",
				 (int)klen, kind);
		else
			conf_err(c, c->line, "section header: no closing ']'");
		return;
	}
	for (p++; is_blank(*p); p++)
		;
	if (*p != '\0' && *p != ';' && *p != '#') {
		conf_err(c, c->line, "section header: text after ']'");
		return;
	}
	for (i = SEC_GLEANER; i <= SEC_SITE; i++)
		if (strlen(sects[i].kind) == klen && strncasecmp(kind, sects[i].kind, klen) == 0)
			break;
	if (i > SEC_SITE) {
		conf_err(c, c->line, "unknown section '%.*s' (gleaner, feed or site)",
			 klen ? (int)klen : clip(s), klen ? kind : s);
		return;
	}
	if (i == SEC_GLEANER) {
		if (name != NULL)
			conf_err(c, c->line, "[gleaner] takes no name");
		else
			c->sec = SEC_GLEANER;
		return;
	}
	if (name == NULL || *name == '\0') {
		conf_err(c, c->line, "%s section without a name: %s", sects[i].kind,
			 sects[i].label);
		return;
	}
	if (i == SEC_FEED)
		conf_feed_new(c, name);
	else
		conf_site_new(c, name);
}

/* The line handed to inih last was a key line and never reached the handler. */
static void
conf_unhandled(struct ctx *c)
{
	if (c->pending)
		conf_err(c, c->line, "expected 'key = value'");
	c->pending = 0;
}

/*
 * inih's reader (fgets-like): hands inih one whole line at a time, trimmed,
 * or an empty line for what it has dealt with itself (comments, section
 * headers, bad lines).  num is the size of inih's buffer: ini_max_line.
 */
static char *
conf_read(char *str, int num, void *arg)
{
	struct ctx *c = arg;
	ssize_t     n;
	size_t      len, i, max;
	char       *s;

	conf_unhandled(c);
	if (num < 3)
		return NULL;
	errno = 0;
	if ((n = getline(&c->lbuf, &c->lbufsz, c->fp)) == -1) {
		if (ferror(c->fp)) {
			if (errno == ENOMEM)
				c->nomem = 1;
			else
				conf_err(c, 0, "%s", strerror(errno ? errno : EIO));
		}
		return NULL;
	}
	c->line++;
	s = c->lbuf;
	len = (size_t)n;
	if (len > 0 && s[len - 1] == '\n')
		len--;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (c->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		len -= 3;
	}
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7F) {
			conf_err(c, c->line, "control character 0x%02X in line", ch);
			goto blank;
		}
	}
	if (!utf8_valid((unsigned char *)s, len)) {
		conf_err(c, c->line, "invalid UTF-8");
		goto blank;
	}
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	while (len > 0 && is_blank(*s)) {
		s++;
		len--;
	}
	s[len] = '\0';
	if (len == 0 || *s == ';' || *s == '#')
		goto blank;
	if (*s == '[') {
		conf_section(c, s);
		goto blank;
	}
	max = (size_t)num - 2 < CONFIG_LINE_MAX ? (size_t)num - 2 : CONFIG_LINE_MAX;
	if (len > max) {
		conf_err(c, c->line, "line too long (%zu bytes, at most %zu)", len, max);
		goto blank;
	}
	/* With its newline, as fgets would: inih in its heap mode reads on
	 * until it sees one. */
	memcpy(str, s, len);
	memcpy(str + len, "\n", 2);
	c->pending = 1;
	return str;
blank:
	memcpy(str, "\n", 2);
	return str;
}

static int
conf_handler(void *arg, const char *section, const char *name, const char *value, int lineno)
{
	struct ctx       *c = arg;
	const struct key *keys;
	unsigned         *seen;
	void             *base;
	size_t            nkeys, i;

	c->pending = 0;
	if (value == NULL)
		value = "";
	switch (c->sec) {
	case SEC_BAD:
		return 1;
	case SEC_NONE:
		conf_err(c, c->line, "'%.*s%s' is outside any section: put [gleaner] or "
				     "[feed \"NAME\"] above it", CLIP(name));
		return 1;
	case SEC_GLEANER:
		base = c->cf;
		seen = c->gseen;
		break;
	case SEC_FEED:
		base = &c->cf->feeds[c->cf->nfeeds - 1];
		seen = c->seen;
		break;
	case SEC_SITE:
	default:
		base = &c->cf->sites[c->cf->nsites - 1];
		seen = c->seen;
		break;
	}
	keys = sects[c->sec].keys;
	nkeys = sects[c->sec].nkeys;
	if (*name == '\0') {
		conf_err(c, c->line, "no key before '='");
		return 1;
	}
	if ((i = key_find(keys, nkeys, name)) == SIZE_MAX) {
		conf_unknown(c, name);
		return 1;
	}
	if (seen[i] != 0 && keys[i].type != K_HEADER) {
		conf_err(c, c->line, "%s set twice (first on line %u)", keys[i].name, seen[i]);
		return 1;
	}
	seen[i] = c->line;
	if (c->sec == SEC_FEED && keys[i].type == K_URL)
		c->url_line[c->cf->nfeeds - 1] = c->line;
	if (*value == '\0') {
		conf_err(c, c->line, "%s: no value", keys[i].name);
		return 1;
	}
	conf_set(c, &keys[i], base, value);
	return 1;
}

/* Checks across sections. */

struct dent {
	char       *key;  /* compared */
	const char *name; /* the section's name, for the message */
	size_t      idx;  /* order in the file */
	unsigned    line;
};

static int
dent_cmp(const void *a, const void *b)
{
	const struct dent *x = a, *y = b;
	int                r = strcmp(x->key, y->key);

	if (r != 0)
		return r;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The URL as compared for duplicates: scheme and host in lower case, "/"
 * for an empty path. */
static char *
url_key(struct ctx *c, const char *url)
{
	const char *p = strstr(url, "://");
	size_t      n = p ? (size_t)(p + 3 - url) + strcspn(p + 3, "/?#") : 0, i;
	char       *k;

	if (asprintf(&k, "%.*s%s%s", (int)n, url, url[n] == '/' ? "" : "/", url + n) == -1) {
		c->nomem = 1;
		return NULL;
	}
	for (i = 0; i < n; i++)
		k[i] = (char)lower(k[i]);
	return k;
}

/* Sorts d (n entries) and reports each entry whose key an earlier one has. */
static void
conf_dups(struct ctx *c, struct dent *d, size_t n, const char *what, const char *kind)
{
	size_t i, first = 0;

	qsort(d, n, sizeof(*d), dent_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(d[i].key, d[first].key) != 0) {
			first = i;
			continue;
		}
		conf_err(c, d[i].line, "%s already used by [%s \"%.*s%s\"] on line %u", what, kind,
			 CLIP(d[first].name), d[first].line);
	}
}

static void
conf_finish(struct ctx *c)
{
	struct config *cf = c->cf;
	struct dent   *d;
	size_t         i, n;
	unsigned       lmin, lmax;

	conf_section_end(c);

	lmin = seen_line(c->gseen, gleaner_keys, NKEYS(gleaner_keys), "min_interval");
	lmax = seen_line(c->gseen, gleaner_keys, NKEYS(gleaner_keys), "max_interval");
	if ((lmin || lmax) && cf->min_interval > cf->max_interval)
		conf_err(c, lmin > lmax ? lmin : lmax,
			 "min_interval (%llds) is longer than max_interval (%llds)",
			 (long long)cf->min_interval, (long long)cf->max_interval);

	n = cf->nfeeds > cf->nsites ? cf->nfeeds : cf->nsites;
	if (n < 2)
		return;
	if ((d = calloc(n, sizeof(*d))) == NULL) {
		c->nomem = 1;
		return;
	}
	for (i = n = 0; i < cf->nfeeds; i++) {
		if (cf->feeds[i].url == NULL)
			continue;
		d[n] = (struct dent){url_key(c, cf->feeds[i].url), cf->feeds[i].name, i,
				     c->url_line[i]};
		if (d[n++].key == NULL)
			break;
	}
	if (!c->nomem)
		conf_dups(c, d, n, "url", "feed");
	for (i = 0; i < n; i++)
		free(d[i].key);

	/* Names are the default titles, and glean finds feeds by title. */
	for (i = n = 0; i < cf->nfeeds; i++)
		d[n++] = (struct dent){cf->feeds[i].name, cf->feeds[i].name, i, cf->feeds[i].line};
	conf_dups(c, d, n, "name", "feed");

	for (i = n = 0; i < cf->nsites; i++)
		d[n++] = (struct dent){cf->sites[i].host, cf->sites[i].host, i, cf->sites[i].line};
	conf_dups(c, d, n, "host", "site");
	free(d);
}

static int
cerr_cmp(const void *a, const void *b)
{
	const struct cerr *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Writes the messages to err, sorted by line: as many whole lines as fit
 * with, when some do not, room left for a last line that counts them. */
static void
conf_report(struct ctx *c, char *err, size_t errsz)
{
	struct buf b;
	size_t     used = 0, i, left, room;

	if (errsz == 0)
		return;
	err[0] = '\0';
	if (c->nomem) {
		snprintf(err, errsz, "%s: out of memory", c->path);
		return;
	}
	qsort(c->errs, c->nerrs, sizeof(*c->errs), cerr_cmp);
	room = strlen(c->path) + sizeof("\n: and 18446744073709551615 more errors");
	buf_init(&b, 0);
	for (i = 0; i < c->nerrs; i++) {
		struct cerr *e = &c->errs[i];

		buf_reset(&b);
		if (e->line)
			buf_printf(&b, "%s%s:%u: %s", used ? "\n" : "", c->path, e->line, e->msg);
		else
			buf_printf(&b, "%s%s: %s", used ? "\n" : "", c->path, e->msg);
		if (b.data == NULL)
			break;
		left = c->nerrs - i - 1 + c->nlost; /* after this one */
		if (used + b.len + (left ? room : 0) >= errsz) {
			if (used == 0) /* not even one: cut it */
				strlcpy_g(err, b.data, errsz);
			break;
		}
		memcpy(err + used, b.data, b.len + 1);
		used += b.len;
	}
	left = c->nerrs - i + c->nlost;
	if (left > 0 && used > 0) {
		buf_reset(&b);
		buf_printf(&b, "\n%s: and %zu more error%s", c->path, left, left == 1 ? "" : "s");
		if (b.data != NULL && used + b.len < errsz)
			memcpy(err + used, b.data, b.len + 1);
	}
	buf_free(&b);
}

static int
conf_defaults(struct config *cf, const char *path)
{
	cf->interval = 30 * 60;
	cf->min_interval = 10 * 60;
	cf->max_interval = 24 * 3600;
	cf->timeout = 60;
	cf->connect_timeout = 10;
	cf->max_body = INT64_C(16) << 20;
	cf->max_connections = 32;
	cf->max_host_connections = 2;
	cf->full_text = 1;
	cf->allow_private = 0;
	cf->max_age = 0;
	cf->max_items = 0;
	cf->log_level = LOG_INFO_;
	cf->article_host_delay = 1;
	cf->article_host_connections = 1;
	if ((cf->path = strdup(path)) == NULL || (cf->database = strdup(DEF_DATABASE)) == NULL ||
	    (cf->control_socket = strdup(DEF_SOCKET)) == NULL ||
	    (cf->user_agent = strdup(DEF_USER_AGENT)) == NULL)
		return -1;
	return 0;
}

struct config *
config_load(const char *path, char *err, size_t errsz)
{
	struct ctx     c;
	struct config *cf;
	struct stat    st;
	size_t         i;
	int            saved, r;

	memset(&c, 0, sizeof(c));
	c.path = path;
	if (errsz > 0)
		err[0] = '\0';
	if ((cf = calloc(1, sizeof(*cf))) == NULL) {
		c.nomem = 1;
		goto err;
	}
	c.cf = cf;
	if (conf_defaults(cf, path) == -1) {
		c.nomem = 1;
		goto err;
	}
	if ((c.fp = fopen(path, "re")) == NULL) {
		conf_err(&c, 0, "%s", strerror(errno));
		goto err;
	}
	if (fstat(fileno(c.fp), &st) == -1) {
		conf_err(&c, 0, "%s", strerror(errno));
		goto err;
	}
	if (S_ISDIR(st.st_mode)) {
		conf_err(&c, 0, "%s", strerror(EISDIR));
		goto err;
	}
	if ((c.dir = conf_dir(path)) == NULL) {
		c.nomem = 1;
		goto err;
	}

	saved = ini_max_line;
	if (ini_max_line < CONF_INI_LINE)
		ini_max_line = CONF_INI_LINE;
	r = ini_parse_stream(conf_read, &c, conf_handler, &c);
	ini_max_line = saved;
	conf_unhandled(&c);
	if (r == -2)
		c.nomem = 1;
	else if (r != 0 && c.nerrs == 0 && c.nlost == 0)
		conf_err(&c, r > 0 ? (unsigned)r : 0, "syntax error");
	conf_finish(&c);

	if (c.nerrs == 0 && c.nlost == 0 && !c.nomem)
		goto out;
err:
	conf_report(&c, err, errsz);
	config_free(cf);
	cf = NULL;
out:
	if (c.fp != NULL)
		fclose(c.fp);
	for (i = 0; i < c.nerrs; i++)
		free(c.errs[i].msg);
	free(c.errs);
	free(c.lbuf);
	free(c.dir);
	free(c.url_line);
	return cf;
}

static void
free_list(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void
config_free(struct config *cf)
{
	size_t i;

	if (cf == NULL)
		return;
	for (i = 0; i < cf->nfeeds; i++) {
		struct config_feed *f = &cf->feeds[i];

		free(f->name);
		free(f->url);
		free(f->title);
		free_list(f->tags, f->ntags);
		free(f->user_agent);
		free(f->proxy);
		free(f->username);
		free(f->password);
		free_list(f->headers, f->nheaders);
	}
	free(cf->feeds);
	for (i = 0; i < cf->nsites; i++) {
		free(cf->sites[i].host);
		free(cf->sites[i].content);
		free(cf->sites[i].remove);
	}
	free(cf->sites);
	free(cf->path);
	free(cf->database);
	free(cf->control_socket);
	free(cf->user_agent);
	free(cf);
}
