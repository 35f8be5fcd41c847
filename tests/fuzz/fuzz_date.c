/*
 * fuzz_date.c: libFuzzer harness for date_parse.
 * Any bytes must parse or fail without reading past len; a parsed date
 * must survive date_format and parse back to the same second, which
 * checks the calendar arithmetic against itself on every input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gleaner.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char    out[21], *copy;
	int64_t t, t2 = 0;

	/* A heap copy of exactly size bytes lets ASan catch a read past len. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	if (size)
		memcpy(copy, data, size);
	if (date_parse(copy, size, &t) == 0) {
		if (t == DATE_NONE)
			abort();
		date_format(t, out);
		if (strlen(out) != 20 || date_parse(out, 20, &t2) != 0 || t2 != t)
			abort();
	}
	free(copy);
	return 0;
}
