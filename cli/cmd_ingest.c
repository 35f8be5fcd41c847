/*
 * cmd_ingest.c: glean ingest [--now DATE] [--error MSG [--disable REASON]] FEED_URL [FILE|-]
 * For tests and scripting, until (and besides) the daemon: parses FILE as
 * the document fetched from FEED_URL and stores it into that feed (added
 * if needed), then records a successful poll.  With --error, records a
 * failed poll instead.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define INGEST_MAX (256u << 20)

static int
read_all(const char *path, struct buf *b)
{
	FILE  *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char   chunk[65536];
	size_t n;

	if (fp == NULL) {
		cli_err("ingest: %s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_add(b, chunk, n) == -1)
			break;
	if (ferror(fp) || b->truncated) {
		cli_err("ingest: %s: %s", path, b->truncated ? "too large" : strerror(errno));
		if (fp != stdin)
			fclose(fp);
		return -1;
	}
	if (fp != stdin)
		fclose(fp);
	return 0;
}

static void
ingest_usage(FILE *fp)
{
	fprintf(
	    fp,
	    "usage: glean ingest [--now DATE] [--error MSG [--disable REASON]] FEED_URL [FILE|-]\n"
	    "  for tests and scripting: stores FILE as the document fetched from FEED_URL\n"
	    "  (the feed is added if needed) and records a successful poll\n"
	    "  --now DATE        the time of the poll (a date, or seconds since the epoch)\n"
	    "  --error MSG       record a failed poll with this message instead (no FILE)\n"
	    "  --disable REASON  with --error: disable the feed for this reason\n");
}

static int
parse_now(const char *s, int64_t *t)
{
	int64_t v;

	if (cli_parse_count(s, &v) == 0) {
		*t = v;
		return 0;
	}
	return date_parse(s, strlen(s), t);
}

static int
ingest_file(struct store *s, int64_t id, const char *url, const char *path, int64_t now)
{
	struct feed_parser_opts po = {0};
	struct ingest_result	r;
	struct fetch_result	fr = {0};
	struct feed	       *f;
	struct buf		b;
	int			rc;

	buf_init(&b, INGEST_MAX);
	if (read_all(path, &b) == -1) {
		buf_free(&b);
		return EXIT_NOMATCH;
	}
	po.url = url;
	po.keep_items = 1;
	f = feed_parse(b.data ? b.data : "", b.len, &po);
	buf_free(&b);
	if (f == NULL || f->not_a_feed) {
		cli_err("ingest: %s: %s", path, f ? f->bozo_reason : "out of memory");
		feed_free(f);
		return EXIT_NOMATCH;
	}
	CLI_RETRY(rc, store_ingest(s, id, f, now, &r));
	if (rc == 0) {
		fr.http_status = 200;
		fr.next_poll = now + 3600;
		CLI_RETRY(rc, store_fetch_done(s, id, now, &fr, &r, NULL));
	}
	if (rc == 0 && r.new_items > 0) {
		int64_t n; /* searchable at once, as after gleanerd --once */

		CLI_RETRY(rc, store_index_all(s, &n));
	}
	if (rc == 0)
		printf("feed %lld: %d new, %d updated, %d unchanged, %d tombstoned, %d skipped%s\n",
		       (long long)id, r.new_items, r.updated, r.unchanged, r.tombstoned, r.skipped,
		       r.key_switched ? "; keyed by link from now on" : "");
	feed_free(f);
	return rc == 0 ? EXIT_OK : cli_store_fail(s, rc);
}

int
cmd_ingest(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"now", required_argument, NULL, 'n'},
	    {"error", required_argument, NULL, 'e'},
	    {"disable", required_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct store_feed   nf = {0};
	struct fetch_result fr = {0};
	struct store	   *s;
	char		   *url;
	const char	   *error = NULL, *disable = NULL;
	int64_t		    now = store_now(), id;
	int		    c, rc;

	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "n:e:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_now(optarg, &now) == -1) {
				cli_err("ingest: --now: '%s' is not a date", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'e':
			error = optarg;
			break;
		case 'd':
			disable = optarg;
			break;
		case 'h':
			ingest_usage(stdout);
			return EXIT_OK;
		default:
			ingest_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != (error ? 1 : 2) || (disable && !error)) {
		ingest_usage(stderr);
		return EXIT_USAGE;
	}
	url = argv[optind];
	if ((rc = cli_open(&s, CLI_CREATE)) != EXIT_OK)
		return rc;
	store_feed_clear(&nf);
	nf.url = url;
	CLI_RETRY(rc, store_feed_add(s, &nf, &id));
	if (rc != 0 && rc != STORE_EXISTS) {
		rc = cli_store_fail(s, rc);
	} else if (error) {
		fr.error = error;
		fr.disable = disable;
		fr.next_poll = now + 3600;
		CLI_RETRY(rc, store_fetch_done(s, id, now, &fr, NULL, NULL));
		rc = rc == 0 ? EXIT_OK : cli_store_fail(s, rc);
	} else {
		rc = ingest_file(s, id, url, argv[optind + 1], now);
	}
	store_close(s);
	return rc;
}
