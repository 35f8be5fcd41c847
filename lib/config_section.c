/*
 * config_section.c: gleaner.conf's section headers ([gleaner], [feed
 * "NAME"], [site "HOST"]), the checks made when a section ends (a feed
 * without url, a site without rules), and those across sections, made
 * once the whole file is read (two feeds with one URL or name, two sites
 * with one host, min_interval above max_interval).  See config.c.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_int.h"

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
			l = conf_seen_line(c->seen, SEC_FEED, "password");
			conf_err(c, l, "password without username");
		}
		if (f->title == NULL)
			f->title = conf_strdup(c, f->name);
	} else if (c->sec == SEC_SITE) {
		s = &c->cf->sites[c->cf->nsites - 1];
		/* A key set to a bad selector was reported on its own line. */
		if (s->content == NULL && s->remove == NULL &&
		    !conf_seen_line(c->seen, SEC_SITE, "content") &&
		    !conf_seen_line(c->seen, SEC_SITE, "remove"))
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
void
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
		if (strlen(conf_sect_kind(i)) == klen &&
		    strncasecmp(kind, conf_sect_kind(i), klen) == 0)
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
		conf_err(c, c->line, "%s section without a name: %s", conf_sect_kind(i),
			 conf_sect_label(i));
		return;
	}
	if (i == SEC_FEED)
		conf_feed_new(c, name);
	else
		conf_site_new(c, name);
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

void
conf_finish(struct ctx *c)
{
	struct config *cf = c->cf;
	struct dent   *d;
	size_t         i, n;
	unsigned       lmin, lmax;

	conf_section_end(c);

	lmin = conf_seen_line(c->gseen, SEC_GLEANER, "min_interval");
	lmax = conf_seen_line(c->gseen, SEC_GLEANER, "max_interval");
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
