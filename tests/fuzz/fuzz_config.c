/*
 * fuzz_config.c: libFuzzer harness for config_load() and the value parsers.
 * The input is the whole file, written to a memfd and read back through
 * /proc/self/fd, so config_load goes through fopen like it does for real.
 * Checks what the contract promises: a loaded config is complete and in
 * range, a refused one comes with messages naming the file.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gleaner.h"

#ifndef CONFIG_DURATION_MAX
#define CONFIG_DURATION_MAX (INT64_C(36500) * 86400)
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int  fd = -1;
static char path[64];

static void
check_config(const struct config *cf)
{
	size_t i, j;

	if (cf->database == NULL || cf->control_socket == NULL || cf->user_agent == NULL ||
	    cf->path == NULL || strcmp(cf->path, path) != 0)
		abort();
	if (cf->interval < 1 || cf->min_interval < 1 || cf->max_interval < cf->min_interval ||
	    cf->max_interval > CONFIG_DURATION_MAX || cf->timeout < 1 || cf->connect_timeout < 1 ||
	    cf->max_age < 0 || cf->max_age > CONFIG_DURATION_MAX || cf->max_items < 0 ||
	    cf->max_body < 1 || cf->max_connections < 1 || cf->max_host_connections < 1 ||
	    (cf->full_text != 0 && cf->full_text != 1) ||
	    (cf->allow_private != 0 && cf->allow_private != 1) || cf->log_level < LOG_ERR_ ||
	    cf->log_level > LOG_DEBUG_ || cf->article_host_delay < 0)
		abort();
	for (i = 0; i < cf->nfeeds; i++) {
		const struct config_feed *f = &cf->feeds[i];

		if (f->name == NULL || *f->name == '\0' || f->url == NULL || f->title == NULL ||
		    f->line == 0 || (f->password != NULL && f->username == NULL))
			abort();
		if (strncasecmp(f->url, "http://", 7) != 0 && strncasecmp(f->url, "https://", 8) != 0)
			abort();
		if (f->interval < 0 || f->max_age < 0 || f->max_items < 0 || f->full_text < -1 ||
		    f->full_text > 1 || f->allow_private < -1 || f->allow_private > 1)
			abort();
		for (j = 0; j < f->ntags; j++)
			if (*f->tags[j] == '\0' || strchr(f->tags[j], ',') != NULL)
				abort();
		for (j = 0; j < f->nheaders; j++)
			if (strchr(f->headers[j], ':') == NULL || strpbrk(f->headers[j], "\r\n"))
				abort();
		for (j = 0; j < i; j++)
			if (strcmp(cf->feeds[j].name, f->name) == 0)
				abort();
	}
	for (i = 0; i < cf->nsites; i++)
		if (cf->sites[i].host == NULL ||
		    (cf->sites[i].content == NULL && cf->sites[i].remove == NULL))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char           err[2048], *s;
	struct config *cf;
	int64_t        n;
	int            b;

	if (fd == -1) {
		if ((fd = memfd_create("fuzz_config", 0)) == -1)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) == -1 || (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();

	memset(err, 'x', sizeof(err));
	cf = config_load(path, err, sizeof(err));
	if (memchr(err, '\0', sizeof(err)) == NULL)
		abort();
	if (cf != NULL) {
		if (err[0] != '\0')
			abort();
		check_config(cf);
		config_free(cf);
	} else if (strncmp(err, path, strlen(path)) != 0) {
		abort();
	}

	/* The value parsers on the same bytes, as one string. */
	if ((s = xstrndup((const char *)data, size)) == NULL)
		return 0;
	if (config_parse_duration(s, &n) == 0 && n < 0)
		abort();
	if (config_parse_size(s, &n) == 0 && n < 0)
		abort();
	if (config_parse_bool(s, &b) == 0 && b != 0 && b != 1)
		abort();
	free(s);
	return 0;
}
