/*
 * cli.h: glean's subcommands, prototypes grouped by file.
 * Exit status: 0 success, 1 nothing matched / not a feed, 2 usage, 3 database.
 */
#ifndef CLI_H
#define CLI_H

#include "gleaner.h"

enum { EXIT_OK = 0, EXIT_NOMATCH = 1, EXIT_USAGE = 2, EXIT_DB = 3 };

struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* cmd_parse.c */
int cmd_parse(int, char **);

#endif
