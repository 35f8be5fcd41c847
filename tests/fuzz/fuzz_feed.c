/*
 * fuzz_feed.c: libFuzzer harness for the feed parser (XML and JSON Feed).
 * The first byte picks a chunk size and an HTTP charset, so the streaming
 * paths (sniffing across chunks, carries in the repair pass, iconv carries)
 * are exercised as well as the one-shot path.
 */
#include <stdint.h>
#include <stdlib.h>

#include "gleaner.h"

static const char *charsets[] = {NULL, "utf-8", "windows-1252", "koi8-r", "gb18030",
				 "shift_jis", "utf-16", "bogus"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_parser_opts opts = {0};
	struct feed_parser     *p;
	struct feed            *f;
	size_t                  chunk, off;

	if (size < 1)
		return 0;
	chunk = (size_t)(data[0] & 0x1F) + 1;
	if (data[0] & 0x20)
		chunk = size; /* one shot */
	opts.charset = charsets[(data[0] >> 5) & 7];
	opts.url = "https://example.org/feed/";
	data++;
	size--;
	if ((p = feed_parser_new(&opts)) == NULL)
		return 0;
	for (off = 0; off < size; off += chunk)
		if (feed_parser_feed(p, (const char *)data + off,
				     size - off < chunk ? size - off : chunk) == -1)
			break;
	f = feed_parser_finish(p);
	feed_parser_free(p);
	if (f) {
		for (size_t i = 0; i < f->nkept; i++)
			if (f->items[i].ident[0] == '\0')
				abort(); /* every item has an identity */
		feed_free(f);
	}
	return 0;
}
