/*
 * sched.c: when each feed is polled next.
 *
 * Every feed has its due time in a binary heap; one libev timer is armed
 * for the earliest.  When it fires, due feeds start as long as the global
 * and per-host connection limits allow; the rest wait in the heap (due in
 * the past) and start as transfers finish.  Hosts can also be told to wait
 * (429/503 with Retry-After slow down every feed on that host).
 */
#include <stdlib.h>
#include <string.h>

#include "gleanerd.h"

#define HOST_SLOTS 4096 /* open addressing; grows never: hosts beyond are unlimited */

static unsigned
host_hash(const char *h)
{
	return (unsigned)hash64(h, strlen(h), HASH64_SEED);
}

struct host *
sched_host(struct sched *s, const char *name)
{
	unsigned i, start;

	if (s->hosts == NULL && (s->hosts = calloc(HOST_SLOTS, sizeof(*s->hosts))) == NULL)
		return NULL;
	start = host_hash(name) % HOST_SLOTS;
	for (i = start;;) {
		struct host *h = &s->hosts[i];

		if (h->name == NULL) {
			if ((h->name = strdup(name)) == NULL)
				return NULL;
			return h;
		}
		if (!strcmp(h->name, name))
			return h;
		i = (i + 1) % HOST_SLOTS;
		if (i == start)
			return NULL;
	}
}

static int
earlier(const struct feedstate *a, const struct feedstate *b)
{
	return a->due < b->due || (a->due == b->due && a->id < b->id);
}

static void
heap_swap(struct sched *s, size_t i, size_t j)
{
	struct feedstate *t = s->heap[i];

	s->heap[i] = s->heap[j];
	s->heap[j] = t;
	s->heap[i]->heap_index = i;
	s->heap[j]->heap_index = j;
}

static void
heap_up(struct sched *s, size_t i)
{
	while (i > 0 && earlier(s->heap[i], s->heap[(i - 1) / 2])) {
		heap_swap(s, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
heap_down(struct sched *s, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < s->n && earlier(s->heap[l], s->heap[m]))
			m = l;
		if (r < s->n && earlier(s->heap[r], s->heap[m]))
			m = r;
		if (m == i)
			return;
		heap_swap(s, i, m);
		i = m;
	}
}

/* Puts fs in the queue at its due time (or moves it there). */
int
sched_put(struct sched *s, struct feedstate *fs)
{
	if (fs->heap_index != HEAP_NONE) {
		heap_up(s, fs->heap_index);
		heap_down(s, fs->heap_index);
		return 0;
	}
	if (s->n == s->cap) {
		size_t             nc = s->cap ? s->cap * 2 : 256;
		struct feedstate **nh = realloc(s->heap, nc * sizeof(*nh));

		if (nh == NULL)
			return -1;
		s->heap = nh;
		s->cap = nc;
	}
	fs->heap_index = s->n;
	s->heap[s->n++] = fs;
	heap_up(s, fs->heap_index);
	return 0;
}

void
sched_remove(struct sched *s, struct feedstate *fs)
{
	size_t i = fs->heap_index;

	if (i == HEAP_NONE)
		return;
	s->n--;
	if (i != s->n) {
		heap_swap(s, i, s->n);
		heap_up(s, i);
		heap_down(s, i);
	}
	fs->heap_index = HEAP_NONE;
}

struct feedstate *
sched_peek(const struct sched *s)
{
	return s->n ? s->heap[0] : NULL;
}

/* Can a transfer to this feed's host start now? */
int
sched_host_ready(struct sched *s, const struct feedstate *fs, double now, int max_host)
{
	struct host *h = fs->host;

	return h == NULL || (h->in_flight < max_host && h->not_before <= now);
}

void
sched_free(struct sched *s)
{
	size_t i;

	if (s->hosts)
		for (i = 0; i < HOST_SLOTS; i++)
			free(s->hosts[i].name);
	free(s->hosts);
	free(s->heap);
	memset(s, 0, sizeof(*s));
}
