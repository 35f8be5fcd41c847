/*
 * fuzz_opml.c: libFuzzer harness for lib/opml.c.  Whatever opml_parse
 * accepts, opml_write must write as a document opml_parse accepts again with
 * the same feeds: URLs, titles, htmlUrls and tag sets.  The input is copied
 * to an exact-size buffer (not NUL-terminated), so ASan catches any read
 * past len.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gleaner.h"



int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_url(const void *a, const void *b)
{
	return strcmp(((const struct opml_feed *)a)->url, ((const struct opml_feed *)b)->url);
}

static int
same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Same feeds, titles, htmlUrls and tag sets (sorts both in place). */
static int
same_lists(struct opml *a, struct opml *b)
{
	size_t i, j;

	if (!same(a->title, b->title) || a->nfeeds != b->nfeeds)
		return 0;
	if (a->nfeeds == 0)
		return 1;
	qsort(a->feeds, a->nfeeds, sizeof(*a->feeds), cmp_url);
	qsort(b->feeds, b->nfeeds, sizeof(*b->feeds), cmp_url);
	for (i = 0; i < a->nfeeds; i++) {
		struct opml_feed *x = &a->feeds[i], *y = &b->feeds[i];

		if (!same(x->url, y->url) || !same(x->title, y->title) ||
		    !same(x->html_url, y->html_url) || x->ntags != y->ntags)
			return 0;
		if (x->ntags == 0)
			continue;
		qsort(x->tags, x->ntags, sizeof(char *), cmp_str);
		qsort(y->tags, y->ntags, sizeof(char *), cmp_str);
		for (j = 0; j < x->ntags; j++)
			if (strcmp(x->tags[j], y->tags[j]) != 0)
				return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char        *copy = malloc(size ? size : 1), *out = NULL, err[256], err2[256];
	size_t       outlen = 0;
	struct opml *o, *back;
	FILE        *fp;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	o = opml_parse(copy, size, err, sizeof(err));
	free(copy);
	if (o == NULL) {
		if (strncmp(err, "line ", 5) != 0) /* every error names a line */
			abort();
		return 0;
	}
	if ((fp = open_memstream(&out, &outlen)) == NULL)
		abort();
	if (opml_write(fp, o) != 0 || fclose(fp) != 0)
		abort();
	back = opml_parse(out, outlen, err2, sizeof(err2));
	if (back == NULL) {
		fprintf(stderr, "re-parse failed: %s\n%.*s\n", err2, (int)(outlen < 4000 ? outlen : 4000), out);
		abort();
	}
	if (err2[0] != '\0' || back->nfeeds != o->nfeeds || !same_lists(o, back)) {
		fprintf(stderr, "round trip differs (%zu vs %zu feeds) [%s]\n", o->nfeeds, back->nfeeds, err2);
		abort();
	}
	opml_free(back);
	opml_free(o);
	free(out);
	return 0;
}
