/* feedtest.h: feeds a parser test still holds, freed by the teardown when an
 * assertion ends the test early, so that a failing test reports its failure
 * and not leaks.  Included by the parser's unit tests. */
#ifndef FEEDTEST_H
#define FEEDTEST_H

#include "testutil.h"

static struct feed *live[64];
static size_t       nlive;

static struct feed *
track(struct feed *f)
{
	assert_non_null(f);
	if (nlive < sizeof(live) / sizeof(live[0]))
		live[nlive++] = f;
	return f;
}

static void
release(struct feed *f)
{
	size_t i;

	for (i = 0; i < nlive; i++)
		if (live[i] == f) {
			live[i] = live[--nlive];
			break;
		}
	feed_free(f);
}

static int
teardown(void **state)
{
	(void)state;
	while (nlive > 0)
		feed_free(live[--nlive]);
	return 0;
}

#endif
