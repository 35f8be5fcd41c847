/*
 * fuzz_sanitize.c: libFuzzer harness for sanitize_html().  The first byte
 * picks the base URL (or none).  Besides the sanitizers' own checks, the
 * output is read back as tags and every one must pass the allowlist: no
 * element or attribute outside it, no URL with another scheme.  A '<' in
 * the output that is not one of the serializer's own tags is a failure,
 * since text '<' is always escaped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gleaner.h"

static const char *bases[] = {"https://example.org/a/b.html", NULL, "http://h/", "mailto:x@y"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
starts(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) >= n && !strncasecmp(p, s, n);
}

/* One URL in an attribute value: of scheme http(s) (or mailto for href)
 * when there is a base; otherwise anything without a scheme too.
 * ("https:/x" is kept as written: odd, but still https.) */
static void
check_url(const char *v, const char *end, int has_base, int is_href)
{
	const char *c;

	if (starts(v, end, "http:") || starts(v, end, "https:") ||
	    (is_href && starts(v, end, "mailto:")))
		return;
	if (has_base)
		abort();
	for (c = v; c < end && *c != '/' && *c != '?' && *c != '#'; c++)
		if (*c == ':')
			abort();
}

static void
check_output(const char *o, int has_base)
{
	static const char *const bad_tags[] = {
	    "script",	"style", "svg",	 "math", "form",     "input",	 "object", "embed",
	    "noscript", "meta",	 "base", "link", "template", "textarea", "button"};

	for (const char *p = strchr(o, '<'); p; p = strchr(p + 1, '<')) {
		const char *e = strchr(p, '>'), *a;

		if (e == NULL)
			abort(); /* a '<' that opens nothing */
		if (p[1] == '/')
			continue;
		for (size_t i = 0; i < sizeof(bad_tags) / sizeof(bad_tags[0]); i++) {
			size_t n = strlen(bad_tags[i]);

			if (!strncmp(p + 1, bad_tags[i], n) && (p[1 + n] == ' ' || p[1 + n] == '>'))
				abort();
		}
		/* Attributes: name="value" with the value escaped, so no '"'
		 * or '<' inside and the tag ends at the first '>'. */
		for (a = strchr(p, ' '); a && a < e; a = strchr(a + 1, ' ')) {
			const char *name = a + 1, *eq = name, *v, *ve;

			while (eq < e && *eq != '=' && *eq != ' ' && *eq != '>')
				eq++;
			if ((eq - name >= 2 && !strncasecmp(name, "on", 2)) ||
			    (eq - name == 5 && !strncasecmp(name, "style", 5)) ||
			    (eq - name == 6 && !strncasecmp(name, "srcdoc", 6)))
				abort();
			if (*eq != '=')
				continue;
			if (eq[1] != '"' || (ve = strchr(eq + 2, '"')) == NULL || ve > e)
				abort();
			v = eq + 2;
			if (memchr(v, '<', (size_t)(ve - v)) || memchr(v, '>', (size_t)(ve - v)))
				abort();
			if ((eq - name == 4 && (!strncmp(name, "href", 4))) ||
			    (eq - name == 3 && !strncmp(name, "src", 3)) ||
			    (eq - name == 4 && !strncmp(name, "cite", 4)) ||
			    (eq - name == 6 && !strncmp(name, "poster", 6)))
				check_url(v, ve, has_base, name[0] == 'h');
			a = ve;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *base;
	char	   *out;

	if (size < 1)
		return 0;
	base = bases[data[0] & 3];
	out = sanitize_html((const char *)data + 1, size - 1, base);
	if (out) {
		check_output(out, base != NULL && strncmp(base, "mailto", 6));
		free(out);
	}
	return 0;
}
