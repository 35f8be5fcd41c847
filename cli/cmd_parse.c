/*
 * cmd_parse.c: glean parse [--url URL] [--charset CS] [--format json|summary] FILE|-
 * Prints the parse result as feedcmp/1 JSON (entries streamed as they
 * complete) or as a summary for people.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct parse_out {
	FILE *fp;
	int   first;
};

static int
on_item_json(void *ud, struct feed *f, struct feed_item *it)
{
	struct parse_out *o = ud;

	(void)f;
	feedjson_item(o->fp, it, o->first);
	o->first = 0;
	return 0; /* the parser frees it */
}

static void
parse_usage(FILE *fp)
{
	fprintf(fp, "usage: glean parse [--url URL] [--charset CHARSET] [--format json|summary] FILE|-\n"
		    "  --url URL          the feed's URL, the base for relative links\n"
		    "  --charset CHARSET  the charset from the HTTP Content-Type header\n"
		    "  --format FORMAT    json (feedcmp/1, the default) or summary\n");
}

int
cmd_parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{"url", required_argument, NULL, 'u'},
		{"charset", required_argument, NULL, 'c'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct feed_parser_opts po = {0};
	struct parse_out        out = {stdout, 1};
	struct feed_parser     *p;
	struct feed            *f;
	const char             *path, *format = "json";
	FILE                   *in;
	char                    chunk[65536];
	size_t                  n;
	int                     c, json, rc = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "u:c:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'u': po.url = optarg; break;
		case 'c': po.charset = optarg; break;
		case 'f': format = optarg; break;
		case 'h': parse_usage(stdout); return EXIT_OK;
		default: parse_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		parse_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(format, "json") && strcmp(format, "summary")) {
		fprintf(stderr, "glean parse: --format must be json or summary, not '%s'\n", format);
		return EXIT_USAGE;
	}
	json = !strcmp(format, "json");
	path = argv[optind];
	if (!strcmp(path, "-"))
		in = stdin;
	else if ((in = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "glean parse: %s: %s\n", path, strerror(errno));
		if (json)
			printf("{\"schema\":\"feedcmp/1\",\"bozo\":true,\"error\":\"cannot open file\","
			       "\"feed\":{},\"entries\":[]}\n");
		return EXIT_NOMATCH;
	}
	if (json) {
		po.on_item = on_item_json;
		po.ud = &out;
		feedjson_begin(stdout, path);
	}
	if ((p = feed_parser_new(&po)) == NULL) {
		fprintf(stderr, "glean parse: out of memory\n");
		return EXIT_NOMATCH;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		if (feed_parser_feed(p, chunk, n) == -1)
			break;
	if (ferror(in)) {
		fprintf(stderr, "glean parse: %s: read error: %s\n", path, strerror(errno));
		rc = EXIT_NOMATCH;
	}
	if (in != stdin)
		fclose(in);
	f = feed_parser_finish(p);
	feed_parser_free(p);
	if (f == NULL)
		return EXIT_NOMATCH;
	if (json)
		feedjson_end(stdout, f);
	else
		feed_print_summary(stdout, f);
	if (f->not_a_feed) {
		fprintf(stderr, "glean parse: %s: %s\n", path, f->bozo_reason);
		rc = EXIT_NOMATCH;
	} else if (f->bozo) {
		fprintf(stderr, "glean parse: %s: repaired: %s\n", path, f->bozo_reason);
	}
	feed_free(f);
	return rc;
}
