/*
 * glean: the command-line reader of a Gleaner database, and the tool to see
 * what Gleaner makes of a feed.
 *
 * glean [--db PATH | -c CONFIG] COMMAND [OPTIONS] [ARGS]
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct cli_globals cli_g;

static const struct cli_cmd cmds[] = {
    {"feeds", cmd_feeds, "list the feeds and their health"},
    {"add", cmd_add, "subscribe to a feed"},
    {"rm", cmd_rm, "remove a feed and its items"},
    {"edit", cmd_edit, "change a feed's title, URL, tags or settings"},
    {"import", cmd_import, "add the feeds of an OPML file"},
    {"export", cmd_export, "print the feeds as OPML 2.0"},
    {"items", cmd_items, "list items (newest first)"},
    {"show", cmd_show, "read an item (and mark it read)"},
    {"refetch", cmd_refetch, "fetch an item's article again"},
    {"read", cmd_read, "mark items read"},
    {"unread", cmd_unread, "mark items unread"},
    {"star", cmd_star, "star items"},
    {"unstar", cmd_unstar, "unstar items"},
    {"search", cmd_search, "full-text search, best matches first"},
    {"stats", cmd_stats, "counts and sizes of the database"},
    {"refresh", cmd_refresh, "ask gleanerd to poll now (--wait for the results)"},
    {"status", cmd_status, "what gleanerd is doing"},
    {"reload", cmd_reload, "make gleanerd reload its configuration"},
    {"parse", cmd_parse, "parse a feed file and print what Gleaner reads in it"},
    {"ingest", cmd_ingest, "store a feed file into a feed (for tests and scripting)"},
    {"extract", cmd_extract, "extract the article of a saved web page"},
};

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: glean [--db PATH | -c CONFIG] COMMAND [OPTIONS] [ARGS]\n\n"
		    "  --db PATH    the database (else -c, $GLEANER_DB, the system's, your own)\n"
		    "  -c CONFIG    take the database from CONFIG's [gleaner] database =\n"
		    "\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(fp, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(fp, "\nglean COMMAND --help shows a command's options; see glean(1).\n");
}

/* The value of option opt at argv[*i] ("--db PATH", "--db=PATH", "-cFILE"). */
static const char *
optval(int argc, char **argv, int *i, const char *opt)
{
	size_t n = strlen(opt);

	if (*i >= argc || argv[*i] == NULL || strncmp(argv[*i], opt, n) != 0)
		return NULL;
	if (argv[*i][n] == '\0') {
		if (*i + 1 >= argc) {
			cli_err("option %s needs a value", opt);
			return "";
		}
		return argv[++*i];
	}
	if (argv[*i][n] == '=' && opt[1] == '-')
		return argv[*i] + n + 1;
	if (opt[1] != '-')
		return argv[*i] + n;
	return NULL;
}

int
main(int argc, char **argv)
{
	const char *v;
	size_t	    i;
	int	    a;

	log_init("glean", LOG_INFO_, 0);
	for (a = 1; a < argc && argv[a][0] == '-'; a++) {
		if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			usage(stdout);
			return EXIT_OK;
		}
		if (!strcmp(argv[a], "--version")) {
			printf("glean %s\n", GLEANER_VERSION);
			return EXIT_OK;
		}
		if ((v = optval(argc, argv, &a, "--db")) != NULL) {
			if (*v == '\0')
				return EXIT_USAGE;
			cli_g.db = v;
		} else if ((v = optval(argc, argv, &a, "-c")) != NULL ||
			   (v = optval(argc, argv, &a, "--config")) != NULL) {
			if (*v == '\0')
				return EXIT_USAGE;
			cli_g.config = v;
		} else {
			cli_err("unknown option '%s'", argv[a]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (a >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[a], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[a], cmds[i].name))
			return cmds[i].run(argc - a, argv + a);
	cli_err("unknown command '%s'", argv[a]);
	usage(stderr);
	return EXIT_USAGE;
}
