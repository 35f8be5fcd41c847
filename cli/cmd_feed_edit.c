/*
 * cmd_feed_edit.c: the subscriptions.
 *   glean add URL [--title T] [--tag T]... [--interval D] [--no-full-text]
 *                 [--no-discover]
 *   glean rm FEED
 *   glean edit FEED [--title T] [--url U] [--tag T]... [--no-tags]
 *                   [--interval D] [--full-text | --no-full-text]
 * FEED is an id, a URL or an exact title.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static int
http_url(const char *u)
{
	return (!strncasecmp(u, "http://", 7) && u[7]) || (!strncasecmp(u, "https://", 8) && u[8]);
}

static void
add_usage(FILE *fp)
{
	fprintf(
	    fp,
	    "usage: glean add [--title TITLE] [--tag TAG]... [--interval D] [--no-full-text]\n"
	    "                 [--no-discover] URL\n"
	    "  URL is fetched once: a feed is added as given; a web page, as the first feed\n"
	    "  it names (<link rel=\"alternate\">)\n"
	    "  --title TITLE   show the feed under this title\n"
	    "  --tag TAG       file the feed under TAG (repeatable, or TAG1,TAG2)\n"
	    "  --interval D    poll every D (30s, 15m, 2h, 1d) instead of the default\n"
	    "  --no-full-text  do not fetch the article of each item\n"
	    "  --no-discover   add URL as given, without fetching it\n");
}

int
cmd_add(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"title", required_argument, NULL, 'T'},	{"tag", required_argument, NULL, 't'},
	    {"interval", required_argument, NULL, 'i'}, {"no-full-text", no_argument, NULL, 'N'},
	    {"no-discover", no_argument, NULL, 'D'},	{"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct store_feed f = {0};
	struct store	 *s = NULL;
	int64_t		  id;
	int		  c, rc, discover = 1;
	char		 *found = NULL;

	store_feed_clear(&f);
	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "T:t:i:NDh", opts, NULL)) != -1) {
		switch (c) {
		case 'T':
			f.user_title = optarg;
			break;
		case 't':
			if (cli_add_tags(&f.tags, &f.ntags, optarg) == -1) {
				cli_err("out of memory");
				return EXIT_DB;
			}
			break;
		case 'i':
			if (cli_parse_duration(optarg, &f.interval) == -1) {
				cli_err(
				    "add: --interval: '%s' is not a duration (30s, 15m, 2h, 1d)",
				    optarg);
				cli_free_tags(f.tags, f.ntags);
				return EXIT_USAGE;
			}
			break;
		case 'N':
			f.full_text = 0;
			break;
		case 'D':
			discover = 0;
			break;
		case 'h':
			add_usage(stdout);
			cli_free_tags(f.tags, f.ntags);
			return EXIT_OK;
		default:
			add_usage(stderr);
			cli_free_tags(f.tags, f.ntags);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || !http_url(argv[optind])) {
		if (optind == argc - 1)
			cli_err("add: '%s' is not an http or https URL", argv[optind]);
		else
			add_usage(stderr);
		cli_free_tags(f.tags, f.ntags);
		return EXIT_USAGE;
	}
	f.url = argv[optind];
	/* The database first: its errors need no network. */
	if ((rc = cli_open(&s, CLI_CREATE)) == EXIT_OK && discover &&
	    (rc = cli_discover(argv[optind], &found)) == EXIT_OK)
		f.url = found;
	if (rc != EXIT_OK && s != NULL) {
		store_close(s);
	} else if (rc == EXIT_OK) {
		CLI_RETRY(rc, store_feed_add(s, &f, &id));
		if (rc == 0)
			printf("added feed %lld: %s\n", (long long)id, f.url);
		else
			rc = cli_store_fail(s, rc);
		store_close(s);
		if (rc == 0) {
			char spec[32];

			/* A running gleanerd picks the feed up now; without one,
			 * the next start does. */
			snprintf(spec, sizeof(spec), "%lld", (long long)id);
			cli_notify_daemon(spec);
		}
	}
	cli_free_tags(f.tags, f.ntags);
	free(found);
	return rc;
}

/* Finds FEED; returns EXIT_OK or the exit status (reported). */
static int
find_feed(struct store *s, const char *spec, int64_t *id)
{
	int rc = store_feed_find(s, spec, id);

	return rc == 0 ? EXIT_OK : cli_store_fail(s, rc);
}

int
cmd_rm(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct store_feed f = {0};
	struct store	 *s;
	int64_t		  id;
	int		  c, rc;

	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: glean rm FEED\n  removes the feed (id, URL or exact title) "
			       "and its items\n");
			return EXIT_OK;
		}
		fprintf(stderr, "usage: glean rm FEED\n");
		return EXIT_USAGE;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: glean rm FEED\n");
		return EXIT_USAGE;
	}
	if ((rc = cli_open(&s, CLI_WRITE)) != EXIT_OK)
		return rc;
	if ((rc = find_feed(s, argv[optind], &id)) == EXIT_OK &&
	    (rc = store_feed_get(s, id, &f)) == 0) {
		CLI_RETRY(rc, store_feed_remove(s, id));
		if (rc == 0)
			printf("removed feed %lld (%s) and its %lld items\n", (long long)id,
			       f.user_title ? f.user_title
			       : f.title    ? f.title
					    : f.url,
			       (long long)f.total);
	}
	if (rc < 0)
		rc = cli_store_fail(s, rc);
	store_feed_clear(&f);
	store_close(s);
	return rc;
}

static void
edit_usage(FILE *fp)
{
	fprintf(
	    fp,
	    "usage: glean edit FEED [--title TITLE] [--url URL] [--tag TAG]... [--no-tags]\n"
	    "                       [--interval D] [--full-text | --no-full-text]\n"
	    "  --title TITLE   show the feed under this title ('' goes back to the feed's own)\n"
	    "  --url URL       the feed moved (validators and errors are reset)\n"
	    "  --tag TAG       the feed's tags become these (repeatable, or TAG1,TAG2)\n"
	    "  --no-tags       remove every tag\n"
	    "  --interval D    poll every D (30s, 15m, 2h, 1d; 'default': the global setting)\n"
	    "  --full-text     fetch the article of each item; --no-full-text: do not\n");
}

int
cmd_edit(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"title", required_argument, NULL, 'T'},
	    {"url", required_argument, NULL, 'u'},
	    {"tag", required_argument, NULL, 't'},
	    {"no-tags", no_argument, NULL, 'x'},
	    {"interval", required_argument, NULL, 'i'},
	    {"full-text", no_argument, NULL, 'F'},
	    {"no-full-text", no_argument, NULL, 'N'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct store_feed f = {0};
	struct store	 *s;
	int64_t		  id;
	int		  c, rc = EXIT_USAGE, set_tags = 0, changes = 0;

	store_feed_clear(&f);
	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "T:u:t:xi:FNh", opts, NULL)) != -1) {
		changes++;
		switch (c) {
		case 'T':
			f.user_title = optarg;
			break;
		case 'u':
			if (!http_url(optarg)) {
				cli_err("edit: --url: '%s' is not an http or https URL", optarg);
				goto out;
			}
			f.url = optarg;
			break;
		case 't':
			set_tags = 1;
			if (cli_add_tags(&f.tags, &f.ntags, optarg) == -1) {
				cli_err("out of memory");
				rc = EXIT_DB;
				goto out;
			}
			break;
		case 'x':
			set_tags = 1;
			break;
		case 'i':
			if (!strcmp(optarg, "default"))
				f.interval = 0;
			else if (cli_parse_duration(optarg, &f.interval) == -1) {
				cli_err(
				    "edit: --interval: '%s' is not a duration (30s, 15m, 2h, 1d)",
				    optarg);
				goto out;
			}
			break;
		case 'F':
			f.full_text = 1;
			break;
		case 'N':
			f.full_text = 0;
			break;
		case 'h':
			edit_usage(stdout);
			rc = EXIT_OK;
			goto out;
		default:
			edit_usage(stderr);
			goto out;
		}
	}
	if (optind != argc - 1 || changes == 0) {
		if (optind == argc - 1)
			cli_err("edit: nothing to change");
		edit_usage(stderr);
		goto out;
	}
	if ((rc = cli_open(&s, CLI_WRITE)) != EXIT_OK)
		goto out;
	if ((rc = find_feed(s, argv[optind], &id)) == EXIT_OK) {
		CLI_RETRY(rc, store_feed_update(s, id, &f, set_tags));
		if (rc == 0)
			printf("changed feed %lld\n", (long long)id);
		else
			rc = cli_store_fail(s, rc);
	}
	store_close(s);
out:
	cli_free_tags(f.tags, f.ntags);
	return rc;
}
