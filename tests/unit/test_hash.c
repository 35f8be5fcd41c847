/* test_hash.c: hash64(), 64-bit FNV-1a, against the published test vectors. */
#include "testutil.h"

static void
test_vectors(void **state)
{
	/* From the FNV reference test suite (Landon Curt Noll). */
	assert_true(hash64("", 0, HASH64_SEED) == 0xcbf29ce484222325ULL);
	assert_true(hash64(NULL, 0, HASH64_SEED) == HASH64_SEED);
	assert_true(hash64("a", 1, HASH64_SEED) == 0xaf63dc4c8601ec8cULL);
	assert_true(hash64("foobar", 6, HASH64_SEED) == 0x85944171f73967e8ULL);
	/* Every byte value counts, NUL included. */
	assert_true(hash64("\0", 1, HASH64_SEED) == 0xaf63bd4c8601b7dfULL);
	assert_true(hash64("\xFF", 1, HASH64_SEED) != hash64("\x7F", 1, HASH64_SEED));
}

/* The seed is the running state: chained calls hash the concatenation. */
static void
test_chaining(void **state)
{
	uint64_t whole = hash64("foobar", 6, HASH64_SEED);
	uint64_t h;

	assert_true(hash64("bar", 3, hash64("foo", 3, HASH64_SEED)) == whole);
	h = HASH64_SEED;
	h = hash64("f", 1, h);
	h = hash64("", 0, h);
	h = hash64("ooba", 4, h);
	h = hash64("r", 1, h);
	assert_true(h == whole);
	/* Hence fields need a separator to stay apart. */
	assert_true(hash64("c", 1, hash64("ab", 2, HASH64_SEED)) ==
		    hash64("bc", 2, hash64("a", 1, HASH64_SEED)));
	assert_true(hash64("c", 1, hash64("\0", 1, hash64("ab", 2, HASH64_SEED))) !=
		    hash64("bc", 2, hash64("\0", 1, hash64("a", 1, HASH64_SEED))));
	/* Another seed, another hash. */
	assert_true(hash64("foobar", 6, 1) != whole);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_chaining),
	};

	return cmocka_run_group_tests_name("hash", tests, NULL, NULL);
}
