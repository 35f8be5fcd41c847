/*
 * fuzz_extract.c: libFuzzer harness for extract_article() and
 * discover_feeds() (glean add), both on web pages.  The first byte picks
 * the HTTP charset (or none) and whether a per-site rule is applied; the
 * rest is the page.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gleaner.h"

static const char *charsets[] = {NULL,	    "utf-8",  "windows-1252", "shift_jis",
				 "gb18030", "koi8-r", "utf-16",	      "bogus"};
static const char *rules[][2] = {
    {NULL, NULL},
    {"//article", "//aside | //*[contains(@class, 'share')]"},
    {"//div[contains(concat(' ', normalize-space(@class), ' '), ' post ')]", NULL},
    {"//*[@id='content']//p", "//figure"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct extract_opts o = {0};
	struct article	    a = {0};
	char		    err[256];
	int		    r;

	if (size < 1)
		return 0;
	o.http_charset = charsets[data[0] & 7];
	o.content_xpath = rules[(data[0] >> 3) & 3][0];
	o.remove_xpath = rules[(data[0] >> 3) & 3][1];
	o.url = (data[0] & 0x20) ? NULL : "https://news.example.com/2024/05/story.html";
	r = extract_article((const char *)data + 1, size - 1, &o, &a, err, sizeof(err));
	if (r == EXTRACT_OK && a.html == NULL)
		abort(); /* an article always has its HTML */
	article_clear(&a);
	if (data[0] & 0x40) {
		char **u = NULL;
		size_t n = discover_feeds((const char *)data + 1, size - 1, o.http_charset, o.url, &u), i;

		for (i = 0; i < n; i++)
			if (strncasecmp(u[i], "http://", 7) != 0 && strncasecmp(u[i], "https://", 8) != 0)
				abort(); /* only http(s) feeds are named */
		if ((n == 0) != (u == NULL))
			abort();
		discover_free(u, n);
	}
	return 0;
}
