/*
 * config_key.c: the keys each section of gleaner.conf takes (see config.c
 * for the file as a whole), and inih's handler, which sets them: a key is
 * looked up in its section's table, set at most once (header excepted), and
 * its value parsed by its type into the section's struct.  An unknown key
 * is reported with the section it belongs in or the key it is a typo of.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>

#include "config_int.h"

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

_Static_assert(NKEYS(gleaner_keys) <= CONF_KEYS_MAX, "CONF_KEYS_MAX");
_Static_assert(NKEYS(feed_keys) <= CONF_KEYS_MAX, "CONF_KEYS_MAX");

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

const char *
conf_sect_kind(enum sect s)
{
	return sects[s].kind;
}

const char *
conf_sect_label(enum sect s)
{
	return sects[s].label;
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
		if ((why = (k->type == K_URL ? conf_url_problem : conf_proxy_problem)(v)) != NULL)
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
					 : conf_parse_count(v, &n)) == -1) {
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
		if (conf_parse_level(v, &b) == -1)
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

unsigned
conf_seen_line(const unsigned *seen, enum sect s, const char *name)
{
	size_t i = key_find(sects[s].keys, sects[s].nkeys, name);

	return i == SIZE_MAX ? 0 : seen[i];
}

int
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
