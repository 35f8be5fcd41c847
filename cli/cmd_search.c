/*
 * cmd_search.c: glean search [--limit N] [--json] QUERY...
 * FTS5 over title, summary and article text, best match first (bm25 with
 * the title weighted most).  The words of QUERY are joined with spaces;
 * FTS5 query syntax applies (phrases in quotes, AND/OR/NOT, prefix*,
 * title:word).  Exit 1 on no hit, 2 on a query FTS5 cannot read.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define SEARCH_LIMIT 20

struct search_out {
	FILE   *fp;
	int	json, bold;
	int64_t n;
};

/* The snippet with its \x02...\x03 highlights in bold, or in « ». */
static void
put_snippet(FILE *fp, const char *s, int bold)
{
	for (; s && *s; s++) {
		if (*s == '\x02')
			fputs(bold ? "\033[1m" : "«", fp);
		else if (*s == '\x03')
			fputs(bold ? "\033[0m" : "»", fp);
		else if (*s == '\n' || *s == '\t')
			fputc(' ', fp);
		else
			fputc(*s, fp);
	}
}

static int
on_hit(void *ud, const struct store_hit *h)
{
	struct search_out *o = ud;
	char		   when[32];

	if (o->json) {
		fprintf(o->fp,
			"%s{\"id\":%lld,\"feed_id\":%lld,\"feed_title\":", o->n ? ",\n" : "[\n",
			(long long)h->id, (long long)h->feed_id);
		json_put_string(o->fp, h->feed_title);
		fputs(",\"title\":", o->fp);
		json_put_string(o->fp, h->title);
		fputs(",\"url\":", o->fp);
		json_put_string(o->fp, h->url);
		fputs(",\"published\":", o->fp);
		cli_json_date(o->fp, h->published);
		fprintf(o->fp, ",\"rank\":%.6g,\"snippet\":", h->rank);
		json_put_string(o->fp, h->snippet);
		fputc('}', o->fp);
	} else {
		cli_datetime(h->published, when, sizeof(when));
		fprintf(o->fp, "%s%6lld  %s  ", o->n ? "\n" : "", (long long)h->id, when);
		cli_put_col(o->fp, h->feed_title, 20);
		fprintf(o->fp, "  %s\n        ", h->title && *h->title ? h->title : "(no title)");
		put_snippet(o->fp, h->snippet, o->bold);
		fputc('\n', o->fp);
	}
	o->n++;
	return ferror(o->fp) ? 1 : 0;
}

static void
search_usage(FILE *fp)
{
	fprintf(fp,
		"usage: glean search [--limit N] [--json] QUERY...\n"
		"  --limit N  at most N results (default %d; 0: all)\n"
		"  --json     a JSON array (snippet highlights as \\u0002...\\u0003)\n"
		"QUERY is FTS5 syntax: words, \"a phrase\", pre*, title:word, AND, OR, NOT.\n",
		SEARCH_LIMIT);
}

/* Items stored since the search index was last brought up to date
 * (gleanerd does it a few seconds after new items arrive) are not
 * searchable yet: index them first if this user may write the database,
 * else say how many the search cannot see. */
static void
index_first(struct store *s)
{
	struct store *w = NULL;
	char	      path[1024], wal[1100], err[2048];
	int64_t	      pending = 0, n;
	int	      rc = -1;

	if (store_index_lag(s, &pending) != 0 || pending == 0)
		return;
	if (cli_db_path(CLI_READ, path, sizeof(path)) == 0 && access(path, W_OK) == 0) {
		snprintf(wal, sizeof(wal), "%s-wal", path);
		if ((access(wal, F_OK) != 0 || access(wal, W_OK) == 0) &&
		    store_open(&w, path, 0, err, sizeof(err)) == STORE_OK) {
			CLI_RETRY(rc, store_index_all(w, &n));
			store_close(w);
		}
	}
	if (rc != 0)
		cli_err("note: the %lld newest items are not in the search index yet "
			"(gleanerd adds them within seconds)", (long long)pending);
}

int
cmd_search(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"limit", required_argument, NULL, 'n'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct search_out o = {0};
	struct store	 *s;
	struct buf	  q;
	int64_t		  limit = SEARCH_LIMIT;
	int		  c, i, rc;

	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "n:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (cli_parse_count(optarg, &limit) == -1) {
				cli_err("search: --limit: '%s' is not a count", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'j':
			o.json = 1;
			break;
		case 'h':
			search_usage(stdout);
			return EXIT_OK;
		default:
			search_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		search_usage(stderr);
		return EXIT_USAGE;
	}
	buf_init(&q, 0);
	for (i = optind; i < argc; i++) {
		if (i > optind)
			buf_addc(&q, ' ');
		buf_adds(&q, argv[i]);
	}
	if (q.data == NULL || strspn(q.data, " \t") == q.len) {
		cli_err("search: empty query");
		buf_free(&q);
		return EXIT_USAGE;
	}
	if ((rc = cli_open(&s, CLI_READ)) != EXIT_OK) {
		buf_free(&q);
		return rc;
	}
	index_first(s);
	o.fp = o.json ? stdout : cli_pager_begin();
	o.bold = !o.json && cli_color();
	if ((rc = store_search(s, q.data, limit, on_hit, &o)) != 0)
		rc = cli_store_fail(s, rc);
	else
		rc = o.n ? EXIT_OK : EXIT_NOMATCH;
	store_close(s);
	if (o.json && rc != EXIT_USAGE && rc != EXIT_DB)
		fputs(o.n ? "\n]\n" : "[]\n", o.fp);
	if (cli_pager_end(o.fp) != 0 && rc == EXIT_OK)
		rc = EXIT_NOMATCH;
	if (rc == EXIT_NOMATCH && o.n == 0 && !o.json)
		cli_err("nothing matches '%s'", q.data);
	buf_free(&q);
	return rc;
}
