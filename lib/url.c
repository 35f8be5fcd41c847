/*
 * url.c: resolving the links of a feed against its base.
 *
 * The work is done by libcurl's URL API, which follows RFC 3986 closely
 * and is already linked in.  Around it, the rules are feedparser's: an
 * absolute link is kept byte for byte (curl would lowercase the scheme,
 * add a "/" after a bare host and reject what it cannot parse), and a link
 * that cannot be resolved is returned as it was rather than dropped.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "gleaner.h"

static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Skips leading whitespace; *len is what is left without the trailing whitespace. */
static const char *
trim(const char *s, size_t *len)
{
	size_t n;

	while (is_ws((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_ws((unsigned char)s[n - 1]))
		n--;
	*len = n;
	return s;
}

/* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'. */
int
url_is_absolute(const char *s)
{
	if (s == NULL)
		return 0;
	while (is_ws((unsigned char)*s))
		s++;
	if (!is_alpha((unsigned char)*s))
		return 0;
	for (s++; *s != ':'; s++) {
		if (!is_alpha((unsigned char)*s) && !is_digit((unsigned char)*s) && *s != '+' &&
		    *s != '-' && *s != '.')
			return 0;
	}
	return 1;
}

/*
 * A copy of s without tabs and line breaks.  A relative link wrapped over
 * two lines is still one link: WHATWG's URL parser and urljoin() both drop
 * these characters, where curl would refuse the reference.
 */
static char *
strip_tab_nl(const char *s)
{
	char  *d;
	size_t i, n = 0;

	if ((d = malloc(strlen(s) + 1)) == NULL)
		return NULL;
	for (i = 0; s[i]; i++)
		if (s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			d[n++] = s[i];
	d[n] = '\0';
	return d;
}

/*
 * curl 7.88 resolves a fragment-only reference against the base's
 * directory ("#s" on http://a/b/c/d?q gives http://a/b/c/#s), where RFC 3986
 * 5.2.2 keeps the whole base and swaps the fragment.  So fragments are
 * joined here: the base as curl normalized it, minus its fragment, plus the
 * new one with spaces, controls and non-ASCII bytes escaped as curl escapes
 * them in other references.
 */
static char *
join_fragment(CURLU *h, const char *frag)
{
	static const char hex[] = "0123456789abcdef";
	struct buf        b;
	char             *base = NULL;
	const unsigned char *p;

	buf_init(&b, 0);
	if (curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_URL, &base, 0) != CURLUE_OK)
		goto err;
	if (buf_adds(&b, base) == -1)
		goto err;
	/* urljoin() drops an empty fragment, and so does feedparser. */
	if (*frag != '\0') {
		if (buf_addc(&b, '#') == -1)
			goto err;
		for (p = (const unsigned char *)frag; *p; p++) {
			if (*p <= 0x20 || *p >= 0x7F) {
				char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};

				if (buf_add(&b, e, 3) == -1)
					goto err;
			} else if (buf_addc(&b, (char)*p) == -1) {
				goto err;
			}
		}
	}
	curl_free(base);
	return buf_take(&b);
err:
	curl_free(base);
	buf_free(&b);
	return NULL;
}

/*
 * Returns ref resolved against base, malloc'd; NULL only for a NULL ref or
 * when memory runs out.  Whatever curl cannot make sense of (no base, a
 * base without a scheme, a tag: or urn: base, a reference with a control
 * character) comes back as the trimmed reference.
 */
char *
url_resolve(const char *base, const char *ref)
{
	const char *r, *bs;
	size_t      rlen, blen;
	char       *rcopy = NULL, *rclean = NULL, *bcopy = NULL, *res = NULL, *cres = NULL;
	CURLU      *h = NULL;

	if (ref == NULL)
		return NULL;
	r = trim(ref, &rlen);
	if (url_is_absolute(r) || base == NULL)
		return xstrndup(r, rlen);
	bs = trim(base, &blen);
	if (!url_is_absolute(bs))
		return xstrndup(r, rlen);
	/*
	 * RFC 3986 5.2.2 would drop the base's fragment here; urljoin() keeps
	 * the base whole, and feedparser's output is what we are compared with.
	 */
	if (rlen == 0)
		return xstrndup(bs, blen);

	if ((rcopy = xstrndup(r, rlen)) == NULL || (bcopy = xstrndup(bs, blen)) == NULL ||
	    (rclean = strip_tab_nl(rcopy)) == NULL || (h = curl_url()) == NULL)
		goto out;
	/* URLENCODE lets a base with a space in its path through, as %20. */
	if (curl_url_set(h, CURLUPART_URL, bcopy, CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE) !=
	    CURLUE_OK)
		goto unchanged;
	if (rclean[0] == '#') {
		if ((res = join_fragment(h, rclean + 1)) != NULL)
			goto out;
		goto unchanged;
	}
	if (curl_url_set(h, CURLUPART_URL, rclean, CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE) !=
		CURLUE_OK ||
	    curl_url_get(h, CURLUPART_URL, &cres, 0) != CURLUE_OK)
		goto unchanged;
	/* curl's memory goes back through curl_free(); callers use free(). */
	if ((res = strdup(cres)) != NULL)
		goto out;
unchanged:
	res = rcopy;
	rcopy = NULL;
out:
	curl_free(cres);
	curl_url_cleanup(h);
	free(bcopy);
	free(rclean);
	free(rcopy);
	return res;
}

/* Query parameters that only say where a click came from. */
static int
is_tracking_param(const char *p, size_t n)
{
	static const char *const names[] = {
		"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
		"igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
		"oly_anon_id", "oly_enc_id", "vero_id", "wickedid", "rb_clickid", "s_cid",
		"ncid", "cmpid", "guccounter", "guce_referrer", "guce_referrer_sig",
	};
	size_t i, k;

	for (k = 0; k < n && p[k] != '='; k++)
		;
	if (k >= 4 && !strncmp(p, "utm_", 4))
		return 1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == k && !strncmp(p, names[i], k))
			return 1;
	return 0;
}

char *
url_normalize(const char *ref)
{
	CURLU *h;
	char  *scheme = NULL, *host = NULL, *query = NULL, *out = NULL, *u = NULL;
	char  *p;
	size_t len;
	struct buf q;

	if (ref == NULL)
		return NULL;
	ref = trim(ref, &len);
	if ((u = xstrndup(ref, len)) == NULL || (h = curl_url()) == NULL) {
		free(u);
		return NULL;
	}
	buf_init(&q, 0);
	if (curl_url_set(h, CURLUPART_URL, u, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") && strcmp(scheme, "https")) ||
	    curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto done;
	for (p = host; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	curl_url_set(h, CURLUPART_HOST, host, 0);
	curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0);
	if (curl_url_get(h, CURLUPART_QUERY, &query, 0) == CURLUE_OK && query) {
		const char *a = query;

		while (*a) {
			const char *e = strchr(a, '&');
			size_t      n = e ? (size_t)(e - a) : strlen(a);

			if (n > 0 && !is_tracking_param(a, n)) {
				if (q.len)
					buf_addc(&q, '&');
				buf_add(&q, a, n);
			}
			a += n + (e != NULL);
		}
		curl_url_set(h, CURLUPART_QUERY, q.len ? q.data : NULL, 0);
	}
	if (curl_url_get(h, CURLUPART_URL, &p, CURLU_NO_DEFAULT_PORT) == CURLUE_OK) {
		out = strdup(p);
		curl_free(p);
	}
done:
	curl_free(scheme);
	curl_free(host);
	curl_free(query);
	curl_url_cleanup(h);
	buf_free(&q);
	free(u);
	return out;
}
