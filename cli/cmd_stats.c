/*
 * cmd_stats.c: glean stats [--json]
 * Feeds (erroring, disabled), items (unread, starred), tombstones, articles
 * by status, the database and WAL sizes, the oldest and newest item.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void
size_str(int64_t n, char *out, size_t outsz)
{
	if (n >= 10LL << 30)
		snprintf(out, outsz, "%.1f GiB", (double)n / (1 << 30));
	else if (n >= 10LL << 20)
		snprintf(out, outsz, "%.1f MiB", (double)n / (1 << 20));
	else if (n >= 10LL << 10)
		snprintf(out, outsz, "%.1f KiB", (double)n / (1 << 10));
	else
		snprintf(out, outsz, "%lld bytes", (long long)n);
}

static void
stats_json(const struct store_stats *st)
{
	printf("{\"feeds\":%lld,\"feeds_erroring\":%lld,\"feeds_disabled\":%lld,"
	       "\"items\":%lld,\"unread\":%lld,\"starred\":%lld,\"tombstones\":%lld,"
	       "\"articles\":%lld,\"articles_extracted\":%lld,\"articles_pending\":%lld,"
	       "\"articles_failed\":%lld,\"db_bytes\":%lld,\"wal_bytes\":%lld,\"oldest_item\":",
	       (long long)st->feeds, (long long)st->feeds_erroring, (long long)st->feeds_disabled,
	       (long long)st->items, (long long)st->unread, (long long)st->starred,
	       (long long)st->tombstones, (long long)st->articles,
	       (long long)st->articles_extracted, (long long)st->articles_pending,
	       (long long)st->articles_failed, (long long)st->db_bytes, (long long)st->wal_bytes);
	cli_json_date(stdout, st->oldest_item);
	fputs(",\"newest_item\":", stdout);
	cli_json_date(stdout, st->newest_item);
	fputs("}\n", stdout);
}

static void
stats_human(const struct store_stats *st)
{
	char db[32], wal[32], oldest[32], newest[32];

	size_str(st->db_bytes, db, sizeof(db));
	size_str(st->wal_bytes, wal, sizeof(wal));
	cli_datetime(st->oldest_item, oldest, sizeof(oldest));
	cli_datetime(st->newest_item, newest, sizeof(newest));
	printf("feeds:       %lld (%lld erroring, %lld disabled)\n", (long long)st->feeds,
	       (long long)st->feeds_erroring, (long long)st->feeds_disabled);
	printf("items:       %lld (%lld unread, %lld starred)\n", (long long)st->items,
	       (long long)st->unread, (long long)st->starred);
	printf("tombstones:  %lld\n", (long long)st->tombstones);
	printf("articles:    %lld (%lld extracted, %lld pending, %lld failed, %lld other)\n",
	       (long long)st->articles, (long long)st->articles_extracted,
	       (long long)st->articles_pending, (long long)st->articles_failed,
	       (long long)(st->articles - st->articles_extracted - st->articles_pending -
			   st->articles_failed));
	printf("database:    %s (WAL %s)\n", db, wal);
	printf("first seen:  oldest %s, newest %s\n", oldest, newest);
}

int
cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct store_stats st;
	struct store	  *s;
	int		   c, rc, json = 0;

	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			printf("usage: glean stats [--json]\n");
			return EXIT_OK;
		default:
			fprintf(stderr, "usage: glean stats [--json]\n");
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: glean stats [--json]\n");
		return EXIT_USAGE;
	}
	if ((rc = cli_open(&s, CLI_READ)) != EXIT_OK)
		return rc;
	if ((rc = store_stats(s, &st)) != 0) {
		rc = cli_store_fail(s, rc);
		store_close(s);
		return rc;
	}
	store_close(s);
	if (json)
		stats_json(&st);
	else
		stats_human(&st);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_NOMATCH;
}
