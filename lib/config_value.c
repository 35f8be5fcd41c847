/*
 * config_value.c: the values gleaner.conf's keys take (see config.c for the
 * file as a whole): numbers, durations, sizes, booleans, log levels, URLs
 * and proxies, paths, tags and headers.  Each parser leaves its result
 * alone on a bad value; the message is the caller's (conf_set), except for
 * tags and headers, which report their own.
 *
 * config_parse_duration: "30s", "15m", "2h", "1d", "1w", combined largest
 * unit first ("1h30m"); a plain number is seconds.  config_parse_size:
 * "512K", "16M", "1G", "1T" (either case, K = 1024), a plain number is
 * bytes.  config_parse_bool: yes/no, true/false, on/off, 1/0, any case.
 * All three return 0, or -1 (leaving the result alone) on junk, a sign or
 * overflow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_int.h"

/* Reads the decimal digits at *s into *n and moves *s past them: -1 when
 * there is no digit or the number does not fit. */
static int
digits(const char **s, int64_t *n)
{
	const char *p = *s;
	int64_t     v = 0;

	if (!is_digit(*p))
		return -1;
	for (; is_digit(*p); p++) {
		if (v > (INT64_MAX - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	*s = p;
	*n = v;
	return 0;
}

int
conf_parse_count(const char *s, int64_t *out)
{
	int64_t n;

	if (digits(&s, &n) == -1 || *s != '\0')
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
		if (digits(&s, &n) == -1)
			return -1;
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
	int64_t n;
	int     shift = 0;

	if (digits(&s, &n) == -1)
		return -1;
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

int
conf_parse_level(const char *s, int *v)
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

const char *
conf_url_problem(const char *v)
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

const char *
conf_proxy_problem(const char *v)
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

/* v if absolute, else v in the file's directory, leading "./" and "../"
 * taken off against that directory (exact, since realpath resolved it). */
char *
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
void
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
void
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
