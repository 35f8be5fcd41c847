/*
 * hash.c: 64-bit FNV-1a.
 * Used for item identities and change detection, where the input is
 * ours to choose and speed matters more than resistance to collisions
 * crafted on purpose: never use it where an attacker gains by a clash.
 */
#include <stddef.h>
#include <stdint.h>

#include "gleaner.h"

#define FNV64_PRIME 0x100000001b3ULL

/*
 * The seed is the running state, not a key: hashing b with the result of
 * hashing a equals hashing a and b concatenated, so a record can be hashed
 * field by field without building it in memory.  Callers that must keep
 * "ab","c" apart from "a","bc" hash a separator between fields.
 */
uint64_t
hash64(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t             h = seed;

	while (n-- > 0) {
		h ^= *s++;
		h *= FNV64_PRIME;
	}
	return h;
}
