/* test_hash.c: hash64(), the identity and change-detection hash. */
#include "testutil.h"

/* Stored identities must not change between versions or machines: these
 * values pin the function (a change here is a database migration). */
static void
test_stable(void **state)
{
	assert_true(hash64("", 0, HASH64_SEED) == 0xf9376fe90135a10eULL);
	assert_true(hash64("https://example.org/posts/1", 27, HASH64_SEED) == 0xb0081bd4b3fb210bULL);
	assert_true(hash64(NULL, 0, HASH64_SEED) == hash64("", 0, HASH64_SEED));
}

/* Every bit of every byte counts, at every position and length. */
static void
test_every_bit(void **state)
{
	unsigned char buf[40];
	size_t        len, i;
	int           bit;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 37 + 11);
	for (len = 1; len <= sizeof(buf); len++) {
		uint64_t base = hash64(buf, len, HASH64_SEED);

		for (i = 0; i < len; i++)
			for (bit = 0; bit < 8; bit++) {
				buf[i] ^= (unsigned char)(1u << bit);
				assert_true(hash64(buf, len, HASH64_SEED) != base);
				buf[i] ^= (unsigned char)(1u << bit);
			}
	}
}

/* Trailing NULs and lengths are not confused; seeds give other hashes. */
static void
test_lengths_and_seeds(void **state)
{
	assert_true(hash64("a", 1, HASH64_SEED) != hash64("a\0", 2, HASH64_SEED));
	assert_true(hash64("abcdefgh", 8, HASH64_SEED) != hash64("abcdefgh\0", 9, HASH64_SEED));
	assert_true(hash64("foobar", 6, 1) != hash64("foobar", 6, HASH64_SEED));
	/* Fields hashed with their NUL stay apart. */
	assert_true(hash64("c", 2, hash64("ab", 3, HASH64_SEED)) !=
		    hash64("bc", 3, hash64("a", 2, HASH64_SEED)));
}

/* No collisions among 200,000 similar short strings (URL-like). */
static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
test_no_collisions(void **state)
{
	enum { N = 200000 };
	uint64_t *h = malloc(N * sizeof(*h));
	char      s[64];
	size_t    i;

	assert_non_null(h);
	for (i = 0; i < N; i++) {
		int n = snprintf(s, sizeof(s), "https://example.org/p/%zu", i);

		h[i] = hash64(s, (size_t)n, HASH64_SEED);
	}
	qsort(h, N, sizeof(*h), cmp_u64);
	for (i = 1; i < N; i++)
		assert_true(h[i] != h[i - 1]);
	free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stable),
		cmocka_unit_test(test_every_bit),
		cmocka_unit_test(test_lengths_and_seeds),
		cmocka_unit_test(test_no_collisions),
	};

	return cmocka_run_group_tests_name("hash", tests, NULL, NULL);
}
