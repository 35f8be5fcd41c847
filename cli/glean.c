/*
 * glean: the command-line reader of a Gleaner database, and the tool to see
 * what Gleaner makes of a feed.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_cmd cmds[] = {
	{"parse", cmd_parse, "parse a feed file and print what Gleaner reads in it"},
};

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: glean COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(fp, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(fp, "\nglean COMMAND --help shows a command's options; see glean(1).\n");
}

int
main(int argc, char **argv)
{
	size_t i;

	log_init("glean", LOG_INFO_, 0);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("glean %s\n", GLEANER_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	fprintf(stderr, "glean: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
