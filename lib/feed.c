/*
 * feed.c: the feed parser's public face.  Bytes go in as they arrive
 * (feed_parser_feed), through feed_input.c's sniffing and repair, to the XML
 * or JSON back end; items come out as they complete, to a callback or into
 * feed->items.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "feed_int.h"

#define JSON_CAP_DEFAULT (16u << 20)

struct feed_item *
item_new(void)
{
	struct feed_item *it = calloc(1, sizeof(*it));

	if (it == NULL)
		return NULL;
	it->published = it->updated = DATE_NONE;
	it->id_permalink = 1;
	return it;
}

static void
item_clear(struct feed_item *it)
{
	size_t i;

	free(it->id);
	free(it->link);
	free(it->title);
	free(it->author);
	free(it->author_email);
	free(it->summary);
	free(it->content);
	free(it->content_src);
	free(it->comments);
	for (i = 0; i < it->ncategories; i++)
		free(it->categories[i]);
	free(it->categories);
	for (i = 0; i < it->nenclosures; i++) {
		free(it->enclosures[i].url);
		free(it->enclosures[i].type);
	}
	free(it->enclosures);
}

void
feed_item_free(struct feed_item *it)
{
	if (it == NULL)
		return;
	item_clear(it);
	free(it);
}

/* Moves *it into the kept array (the struct itself is copied, then freed). */
static void
feed_keep(struct feed *f, struct feed_item *it)
{
	if (f->nkept == f->capkept) {
		size_t            nc = f->capkept ? f->capkept * 2 : 16;
		struct feed_item *n = realloc(f->items, nc * sizeof(*n));

		if (n == NULL) {
			feed_item_free(it);
			return;
		}
		f->items = n;
		f->capkept = nc;
	}
	f->items[f->nkept++] = *it;
	free(it);
}

void
item_emit(struct feed_parser *p, struct feed_item *it)
{
	p->feed->nitems++;
	feed_item_ident(it);
	if (p->opts.on_item && p->opts.on_item(p->opts.ud, p->feed, it))
		return;
	if (p->opts.keep_items || p->opts.on_item == NULL)
		feed_keep(p->feed, it);
	else
		feed_item_free(it);
}

void
feed_set_bozo(struct feed *f, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int     n = 0;

	f->bozo = 1;
	if (f->bozo_reason[0])
		return; /* the first cause is the one worth reporting */
	f->bozo_line = line;
	if (line)
		n = snprintf(f->bozo_reason, sizeof(f->bozo_reason), "line %u: ", line);
	if (n < 0 || (size_t)n >= sizeof(f->bozo_reason))
		return;
	va_start(ap, fmt);
	vsnprintf(f->bozo_reason + n, sizeof(f->bozo_reason) - (size_t)n, fmt, ap);
	va_end(ap);
}

void
str_set(char **dst, const char *s)
{
	size_t n;

	if (s == NULL)
		return;
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return;
	free(*dst);
	*dst = xstrndup(s, n);
}

void
str_set_capped(char **dst, const char *s, size_t cap)
{
	char  *t;
	size_t n;

	if (s == NULL)
		return;
	n = strlen(s);
	if (n <= cap) {
		str_set(dst, s);
		return;
	}
	while (cap > 0 && ((unsigned char)s[cap] & 0xC0) == 0x80)
		cap--; /* s[cap] starts the first byte left out: not mid-character */
	if ((t = xstrndup(s, cap)) == NULL)
		return;
	str_set(dst, t);
	free(t);
}

static int
is_local_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.' || c == '+';
}

/* An e-mail address in s, as feedparser's pattern finds it.  Returns its
 * start and sets *len, or NULL. */
static const char *
find_email(const char *s, size_t *len)
{
	const char *at;

	for (at = strchr(s, '@'); at; at = strchr(at + 1, '@')) {
		const char *b = at, *e = at + 1, *tld = NULL;

		while (b > s && is_local_char((unsigned char)b[-1]))
			b--;
		if (b == at)
			continue;
		/* (label.)+ then 2-4 letters or 1-3 digits */
		for (;;) {
			const char *l = e;

			while (isalnum((unsigned char)*e) || *e == '-')
				e++;
			if (e > l && *e == '.' && (isalnum((unsigned char)e[1]) || e[1] == '-')) {
				tld = ++e;
				continue;
			}
			e = l;
			break;
		}
		if (tld == NULL)
			continue;
		{
			size_t k = 0;

			while (k < 4 && isalpha((unsigned char)e[k]))
				k++;
			if (k < 2) {
				k = 0;
				while (k < 3 && isdigit((unsigned char)e[k]))
					k++;
				if (k == 0)
					continue;
			}
			e += k;
		}
		*len = (size_t)(e - b);
		return b;
	}
	return NULL;
}

static void
str_remove_all(char *s, const char *what)
{
	size_t n = strlen(what);
	char  *p;

	while ((p = strstr(s, what)) != NULL)
		memmove(p, p + n, strlen(p + n) + 1);
}

void
author_split(const char *raw, char **name, char **email)
{
	const char *e;
	size_t      elen, n;
	char       *a, *p;

	*name = *email = NULL;
	if (raw == NULL)
		return;
	if ((a = text_collapse_ws(raw, strlen(raw))) == NULL)
		return;
	if ((e = find_email(a, &elen)) != NULL) {
		*email = xstrndup(e, elen);
		memmove((char *)e, e + elen, strlen(e + elen) + 1);
		str_remove_all(a, "()");
		str_remove_all(a, "<>");
		p = a;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '(')
			p++;
		n = strlen(p);
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		if (n > 0 && p[n - 1] == ')')
			n--;
		memmove(a, p, n);
		a[n] = '\0';
	}
	str_set(name, a);
	free(a);
}

int
item_add_enclosure(struct feed_item *it, const char *url, const char *type, int64_t len, int media)
{
	struct feed_enclosure *e;
	size_t                 i;

	for (i = 0; i < it->nenclosures; i++)
		if (it->enclosures[i].media == media && !strcmp(it->enclosures[i].url, url))
			return 0;
	if (it->nenclosures >= 256)
		return 0;
	e = realloc(it->enclosures, (it->nenclosures + 1) * sizeof(*e));
	if (e == NULL)
		return -1;
	it->enclosures = e;
	e = &e[it->nenclosures];
	e->url = strdup(url);
	e->type = type && *type ? strdup(type) : NULL;
	e->length = len >= 0 ? len : -1;
	e->media = media;
	if (e->url == NULL)
		return -1;
	it->nenclosures++;
	return 0;
}

int
item_add_category(struct feed_item *it, const char *term)
{
	char **c;
	size_t i;

	for (i = 0; i < it->ncategories; i++)
		if (!strcmp(it->categories[i], term))
			return 0;
	if (it->ncategories >= 256)
		return 0;
	if ((c = realloc(it->categories, (it->ncategories + 1) * sizeof(*c))) == NULL)
		return -1;
	it->categories = c;
	if ((c[it->ncategories] = strdup(term)) == NULL)
		return -1;
	it->ncategories++;
	return 0;
}

/* Atom 0.3 mode="base64".  Stops at the first byte outside the alphabet
 * (other than whitespace and padding). */
void
base64_decode(struct buf *out, const char *s, size_t n)
{
	uint32_t acc = 0;
	int      bits = 0;
	size_t   i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int           v;

		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else if (c == '=' || isspace(c))
			continue;
		else
			break;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(out, (char)((acc >> bits) & 0xFF));
		}
	}
}

static void
hash_str(uint64_t *h, const char *s)
{
	*h = hash64(s ? s : "", s ? strlen(s) + 1 : 1, *h);
}

void
feed_item_ident(struct feed_item *it)
{
	uint64_t h = HASH64_SEED, c = HASH64_SEED;
	char     kind;
	size_t   i;

	if (it->id && *it->id) {
		kind = 'g';
		hash_str(&h, it->id);
	} else if (it->link && *it->link) {
		kind = 'l';
		hash_str(&h, it->link);
	} else {
		kind = 'h';
		hash_str(&h, it->title);
		h = hash64(&it->published, sizeof(it->published), h);
		h = hash64(&it->updated, sizeof(it->updated), h);
		hash_str(&h, it->summary);
		hash_str(&h, it->content);
	}
	snprintf(it->ident, sizeof(it->ident), "%c:%016llx", kind, (unsigned long long)h);

	hash_str(&c, it->title);
	hash_str(&c, it->link);
	c = hash64(&it->published, sizeof(it->published), c);
	c = hash64(&it->updated, sizeof(it->updated), c);
	hash_str(&c, it->author);
	hash_str(&c, it->summary);
	hash_str(&c, it->content);
	for (i = 0; i < it->nenclosures; i++)
		hash_str(&c, it->enclosures[i].url);
	it->content_hash = c;
}

const char *
feed_format_name(enum feed_format f)
{
	static const char *names[] = {
		[FEED_UNKNOWN] = "", [FEED_RSS090] = "rss090", [FEED_RSS091] = "rss091",
		[FEED_RSS092] = "rss092", [FEED_RSS093] = "rss093", [FEED_RSS094] = "rss094",
		[FEED_RSS20] = "rss20", [FEED_RSS] = "rss", [FEED_RSS10] = "rss10",
		[FEED_ATOM03] = "atom03", [FEED_ATOM10] = "atom10", [FEED_JSON10] = "json1",
		[FEED_JSON11] = "json11",
	};

	return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "";
}

struct feed_parser *
feed_parser_new(const struct feed_parser_opts *opts)
{
	struct feed_parser *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	if (opts)
		p->opts = *opts;
	if ((p->feed = calloc(1, sizeof(*p->feed))) == NULL)
		goto err;
	p->feed->ttl = -1;
	input_init(&p->in, p->opts.charset);
	buf_init(&p->json, p->opts.max_json ? p->opts.max_json : JSON_CAP_DEFAULT);
	return p;
err:
	free(p);
	return NULL;
}

static int
parser_consume(struct feed_parser *p, const char *s, size_t n, int last)
{
	int         kind = input_push(&p->in, s, n, last);
	const char *d;
	size_t      dlen;

	if (kind == INPUT_UNDECIDED)
		return 0;
	d = input_data(&p->in, &dlen);
	if (kind == INPUT_JSON) {
		buf_add(&p->json, d, dlen);
		return 0;
	}
	if (p->xml == NULL && (p->xml = xml_new(p)) == NULL) {
		feed_set_bozo(p->feed, 0, "out of memory");
		return -1;
	}
	return xml_feed(p->xml, d, dlen, last);
}

int
feed_parser_feed(struct feed_parser *p, const char *chunk, size_t len)
{
	if (p->done)
		return -1;
	if (len == 0)
		return 0;
	if (parser_consume(p, chunk, len, 0) == -1) {
		p->done = 1;
		return -1;
	}
	return 0;
}

struct feed *
feed_parser_finish(struct feed_parser *p)
{
	struct feed *f;

	if (!p->done) {
		parser_consume(p, "", 0, 1);
		p->done = 1;
	}
	if (p->xml)
		xml_finish(p->xml);
	if (p->in.kind == INPUT_JSON) {
		if (p->json.truncated) {
			feed_set_bozo(p->feed, 0, "JSON body larger than %zu bytes", p->json.cap);
			p->feed->incomplete = 1;
		}
		else
			json_feed_parse(p, p->json.data ? p->json.data : "", p->json.len);
	}
	f = p->feed;
	if (p->in.repairs && f->bozo_reason[0] && p->in.first_repair_line < f->bozo_line)
		f->bozo_reason[0] = '\0'; /* report the earliest fault */
	/* The first repair only: how many there were depends on how far a
	 * broken document was read, which depends on how it was chunked. */
	if (p->in.repairs)
		feed_set_bozo(f, p->in.first_repair_line, "%s", p->in.first_repair);
	if (p->in.charset[0])
		f->encoding = strdup(p->in.charset);
	if (f->format == FEED_UNKNOWN && f->nitems == 0) {
		f->not_a_feed = 1;
		if (!f->bozo_reason[0])
			feed_set_bozo(f, 0, "not a feed: no RSS, Atom or JSON Feed document found");
	}
	p->feed = NULL;
	return f;
}

void
feed_parser_free(struct feed_parser *p)
{
	if (p == NULL)
		return;
	xml_free(p->xml);
	input_free(&p->in);
	buf_free(&p->json);
	feed_free(p->feed);
	free(p);
}

struct feed *
feed_parse(const char *data, size_t len, const struct feed_parser_opts *opts)
{
	struct feed_parser *p = feed_parser_new(opts);
	struct feed        *f;

	if (p == NULL)
		return NULL;
	feed_parser_feed(p, data, len);
	f = feed_parser_finish(p);
	feed_parser_free(p);
	return f;
}

void
feed_free(struct feed *f)
{
	size_t i;

	if (f == NULL)
		return;
	free(f->title);
	free(f->link);
	free(f->description);
	free(f->language);
	free(f->generator);
	free(f->image);
	free(f->icon);
	free(f->self);
	free(f->hub);
	free(f->encoding);
	for (i = 0; i < f->nkept; i++)
		item_clear(&f->items[i]);
	free(f->items);
	free(f);
}
