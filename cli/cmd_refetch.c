/*
 * cmd_refetch.c: glean refetch [--wait] ITEM
 * Makes the article of ITEM due now (whatever its status and retry
 * schedule) and tells a running gleanerd, which fetches it at once.  With
 * --wait, returns when the result is stored and prints it.  Without a
 * running gleanerd the article is fetched when gleanerd next starts.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void
refetch_usage(FILE *fp)
{
	fprintf(fp, "usage: glean refetch [--wait] ITEM\n"
		    "  fetches the article ITEM links to again, now\n"
		    "  --wait  return when the result is stored, and print it\n");
}

int
cmd_refetch(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"wait", no_argument, NULL, 'w'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct store *s;
	int64_t	      item, article = 0;
	char	      req[64];
	int	      c, rc, wait = 0;

	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "wh", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			wait = 1;
			break;
		case 'h':
			refetch_usage(stdout);
			return EXIT_OK;
		default:
			refetch_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || cli_parse_id(argv[optind], &item) == -1) {
		if (optind == argc - 1)
			cli_err("refetch: '%s' is not an item id", argv[optind]);
		refetch_usage(stderr);
		return EXIT_USAGE;
	}
	if ((rc = cli_open(&s, CLI_WRITE)) != EXIT_OK)
		return rc;
	CLI_RETRY(rc, store_article_refetch(s, item, store_now(), &article));
	if (rc == STORE_NOTFOUND || rc == STORE_INVALID) {
		cli_err("refetch: %s", store_errmsg(s));
		store_close(s);
		return EXIT_NOMATCH;
	}
	if (rc != 0) {
		rc = cli_store_fail(s, rc);
		store_close(s);
		return rc;
	}
	store_close(s);
	snprintf(req, sizeof(req), "articles%s%lld", wait ? " --wait " : "",
		 wait ? (long long)article : 0LL);
	if (!wait)
		req[8] = '\0';
	if (cli_daemon_request(req, wait) != 0) {
		printf("article %lld is due now; gleanerd is not running, it will be fetched when "
		       "gleanerd starts\n",
		       (long long)article);
		return EXIT_OK;
	}
	if (!wait)
		printf("article %lld queued\n", (long long)article);
	return EXIT_OK;
}
