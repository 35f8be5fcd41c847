/*
 * cmd_marks.c: glean read|unread|star|unstar
 *   (ITEM... | --feed FEED | --tag TAG | --all) [--before DATE]
 * Items named by id are marked in one transaction: all or none (exit 1 if
 * one of them does not exist).
 */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

static const char *const names[] = {
    [MARK_READ] = "read",
    [MARK_UNREAD] = "unread",
    [MARK_STAR] = "star",
    [MARK_UNSTAR] = "unstar",
};
static const char *const done[] = {
    [MARK_READ] = "marked read",
    [MARK_UNREAD] = "marked unread",
    [MARK_STAR] = "starred",
    [MARK_UNSTAR] = "unstarred",
};

static void
marks_usage(FILE *fp, int mark)
{
	fprintf(fp,
		"usage: glean %s ITEM... | --feed FEED | --tag TAG | --all [--before DATE]\n"
		"  ITEM...        items by id\n"
		"  --feed FEED    every item of a feed (id, URL or exact title)\n"
		"  --tag TAG      every item of the feeds with this tag\n"
		"  --all          every item\n"
		"  --before DATE  only those published (else first seen) before DATE\n"
		"                 (2024-03-01, 2024-03-01T10:00:00Z) or that long ago (7d, 12h)\n",
		names[mark]);
}

/* Marks the items named on the command line, in one transaction. */
static int
mark_items(struct store *s, char **ids, int n, int mark, int64_t *changed)
{
	struct item_filter flt = {0};
	int64_t		   one;
	int		   i, rc;

	flt.since = DATE_NONE;
	*changed = 0;
	if ((rc = store_begin(s)) != 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (cli_parse_id(ids[i], &flt.item_id) == -1)
			continue; /* checked before */
		if ((rc = store_mark(s, &flt, mark, &one)) != 0) {
			store_rollback(s);
			return rc;
		}
		*changed += one;
	}
	return store_commit(s);
}

static int
cmd_mark(int argc, char **argv, int mark)
{
	static const struct option opts[] = {
	    {"feed", required_argument, NULL, 'f'},
	    {"tag", required_argument, NULL, 't'},
	    {"all", no_argument, NULL, 'a'},
	    {"before", required_argument, NULL, 'b'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct item_filter flt = {0};
	struct store	  *s;
	const char	  *feed = NULL;
	int64_t		   changed = 0, id;
	int		   c, i, rc, all = 0;

	flt.since = DATE_NONE;
	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:t:ab:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			feed = optarg;
			break;
		case 't':
			flt.tag = optarg;
			break;
		case 'b':
			if (cli_parse_since(optarg, &flt.before) == -1 || flt.before == 0) {
				cli_err("%s: --before: '%s' is not a date or a duration", names[mark],
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'a':
			all = 1;
			break;
		case 'h':
			marks_usage(stdout, mark);
			return EXIT_OK;
		default:
			marks_usage(stderr, mark);
			return EXIT_USAGE;
		}
	}
	if ((feed != NULL) + (flt.tag != NULL) + all + (optind < argc) != 1 ||
	    (flt.before && optind < argc)) {
		marks_usage(stderr, mark);
		return EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		if (cli_parse_id(argv[i], &id) == -1) {
			cli_err("%s: '%s' is not an item id", names[mark], argv[i]);
			return EXIT_USAGE;
		}
	}
	if ((rc = cli_open(&s, CLI_WRITE)) != EXIT_OK)
		return rc;
	if (feed && (rc = store_feed_find(s, feed, &flt.feed_id)) != 0)
		goto fail;
	if (optind < argc)
		CLI_RETRY(rc, mark_items(s, argv + optind, argc - optind, mark, &changed));
	else
		CLI_RETRY(rc, store_mark(s, &flt, mark, &changed));
	if (rc != 0)
		goto fail;
	store_close(s);
	printf("%lld item%s %s\n", (long long)changed, changed == 1 ? "" : "s", done[mark]);
	return EXIT_OK;
fail:
	rc = cli_store_fail(s, rc);
	store_close(s);
	return rc;
}

int
cmd_read(int argc, char **argv)
{
	return cmd_mark(argc, argv, MARK_READ);
}

int
cmd_unread(int argc, char **argv)
{
	return cmd_mark(argc, argv, MARK_UNREAD);
}

int
cmd_star(int argc, char **argv)
{
	return cmd_mark(argc, argv, MARK_STAR);
}

int
cmd_unstar(int argc, char **argv)
{
	return cmd_mark(argc, argv, MARK_UNSTAR);
}
