/*
 * cli_discover.c: what `glean add URL` subscribes to.
 *
 * The URL is fetched once (as gleanerd would: http and https only, at most
 * 5 redirects, timeouts, a size cap).  A feed is subscribed to as given; a
 * web page, to the first feed it names (<link rel="alternate">, see
 * lib/discover.c), the way Miniflux's and FreshRSS's subscription finders
 * do.  A page that names none, or a 404/410, is refused with a message
 * that says how to add it anyway (--no-discover).  When the URL cannot be
 * checked (network, 5xx, timeouts) it is added as given with a warning:
 * gleanerd retries it and glean feeds shows the error.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DISCOVER_BODY_MAX (4 << 20) /* bytes of page read */

static size_t
on_body(char *data, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;

	if (buf_add(b, data, size * n) != 0 || b->truncated)
		return 0; /* out of memory, or the cap: stop here */
	return size * n;
}

/* The User-Agent of -c CONFIG, else the default one. */
static char *
user_agent(void)
{
	char           err[512];
	struct config *cfg;
	char          *ua = NULL;

	if (cli_g.config && (cfg = config_load(cli_g.config, err, sizeof(err))) != NULL) {
		ua = cfg->user_agent ? strdup(cfg->user_agent) : NULL;
		config_free(cfg);
	}
	return ua ? ua : strdup(GLEANER_USER_AGENT);
}

int
cli_discover(const char *url, char **feed_url)
{
	CURL              *h;
	struct curl_slist *hdr = NULL;
	struct buf         body;
	char               errbuf[CURL_ERROR_SIZE] = "", cs[64], *ua = user_agent(), *final = NULL;
	const char        *ct = NULL;
	long               status = 0;
	CURLcode           code;
	int                rc = EXIT_OK;

	*feed_url = NULL;
	buf_init(&body, DISCOVER_BODY_MAX);
	if ((h = curl_easy_init()) == NULL || ua == NULL) {
		cli_err("add: out of memory");
		rc = EXIT_DB;
		goto out;
	}
	hdr = curl_slist_append(hdr, "Accept: application/rss+xml, application/atom+xml, "
				     "application/feed+json, application/xml;q=0.9, text/html;q=0.8, "
				     "*/*;q=0.5");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	code = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
	{
		char *eff = NULL;

		curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff);
		final = strdup(eff ? eff : url);
	}
	if (code == CURLE_WRITE_ERROR && body.truncated)
		code = CURLE_OK; /* the first 4 MiB are enough to tell */
	if (code != CURLE_OK || status >= 500 || status == 0) {
		fprintf(stderr, "glean add: warning: %s could not be checked (%s); added as given\n",
			url, code != CURLE_OK ? (errbuf[0] ? errbuf : curl_easy_strerror(code))
					      : "server error");
		*feed_url = strdup(url);
		goto out;
	}
	if (status == 404 || status == 410) {
		cli_err("add: %s: HTTP %ld (check the URL, or add it anyway with --no-discover)", url,
			status);
		rc = EXIT_NOMATCH;
		goto out;
	}
	if (ct == NULL || charset_from_content_type(ct, cs, sizeof(cs)) != 0)
		cs[0] = '\0';
	if (status < 300) {
		struct feed_parser_opts o = {0};
		struct feed            *f;
		int                     is_feed;

		o.url = final;
		o.charset = cs[0] ? cs : NULL;
		f = feed_parse(body.data ? body.data : "", body.len, &o);
		is_feed = f && !f->not_a_feed;
		feed_free(f);
		if (is_feed) {
			*feed_url = strdup(url);
			goto out;
		}
	}
	{
		char  **urls = NULL;
		size_t  n = status < 300 && body.len ? discover_feeds(body.data, body.len,
								       cs[0] ? cs : NULL, final,
								       &urls)
						     : 0, i;

		if (n == 0) {
			if (status >= 300)
				cli_err("add: %s: HTTP %ld (add it anyway with --no-discover)", url, status);
			else
				cli_err("add: %s is not a feed, and names none (no <link rel=\"alternate\">"
					" of a feed type): add the feed's own URL, or this one with"
					" --no-discover", url);
			rc = EXIT_NOMATCH;
			goto out;
		}
		*feed_url = strdup(urls[0]);
		fprintf(stderr, "glean add: %s is a web page; its feed: %s\n", url, urls[0]);
		for (i = 1; i < n; i++)
			fprintf(stderr, "glean add: it also names: %s\n", urls[i]);
		discover_free(urls, n);
	}
out:
	if (rc == EXIT_OK && *feed_url == NULL) {
		cli_err("add: out of memory");
		rc = EXIT_DB;
	}
	curl_slist_free_all(hdr);
	if (h)
		curl_easy_cleanup(h);
	buf_free(&body);
	free(final);
	free(ua);
	return rc;
}
