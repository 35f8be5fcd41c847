/*
 * fuzz_text.c: libFuzzer harness for lib/text.c.  The input is used as is,
 * not NUL-terminated, so ASan catches any read past len.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gleaner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf  b;
	char       *r, *c;

	r = text_from_html(s, size);
	c = text_collapse_ws(s, size);
	(void)text_looks_like_html(s, size);
	(void)utf8_length(s, size);
	buf_init(&b, 0);
	text_decode_entities(&b, s, size);
	if (r != NULL) {
		/* the text is already collapsed: collapsing again changes nothing */
		char *rr = text_collapse_ws(r, strlen(r));

		if (rr != NULL && strcmp(r, rr) != 0)
			abort();
		free(rr);
	}
	free(r);
	free(c);
	buf_free(&b);
	return 0;
}
