/*
 * fuzz_url.c: libFuzzer harness for url_resolve() and url_is_absolute().
 * The input is "base<NUL or newline>ref"; without a separator it is a
 * reference with no base.  A newline inside a feed's link is trimmed or
 * stripped by url_resolve, so splitting there loses no interesting input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gleaner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char  *base = NULL, *ref, *res;
	size_t i;

	for (i = 0; i < size && data[i] != '\0' && data[i] != '\n'; i++)
		;
	if (i < size) {
		base = xstrndup((const char *)data, i);
		ref = xstrndup((const char *)data + i + 1, size - i - 1);
	} else {
		ref = xstrndup((const char *)data, size);
	}
	if (ref == NULL || (i < size && base == NULL))
		goto out;
	/* A ref with a NUL past the split is cut there, like any C string. */
	res = url_resolve(base, ref);
	if (res == NULL)
		abort(); /* only a NULL ref or ENOMEM may give NULL */
	/* An absolute reference comes back as it was, minus surrounding blanks. */
	if (url_is_absolute(ref) && strstr(ref, res) == NULL)
		abort();
	/* With no usable base, so does a relative one. */
	if (!url_is_absolute(base) && strstr(ref, res) == NULL)
		abort();
	free(res);
out:
	free(base);
	free(ref);
	return 0;
}
