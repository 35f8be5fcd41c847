/*
 * cmd_items.c: glean items [--feed F] [--tag T] [--unread] [--starred]
 *              [--since DATE] [--before DATE] [--limit N] [--oldest]
 *              [--json | --jsonl] [--full]
 * Newest first (by when Gleaner first saw an item); every matching item
 * unless --limit.  Exit 1 when nothing matches.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OUT_HUMAN, OUT_JSON, OUT_JSONL };

static const char *const content_types[] = {"text", "html", "xhtml"};

void
item_json(FILE *fp, const struct store_item *it, int full)
{
	item_json_article(fp, it, full, NULL);
}

/* The stored article as a JSON object (glean(1), show --format json). */
static void
article_json(FILE *fp, const struct store_article *a)
{
	fprintf(fp, "{\"id\":%lld,\"url\":", (long long)a->id);
	json_put_string(fp, a->url);
	fputs(",\"final_url\":", fp);
	json_put_string(fp, a->final_url);
	fputs(",\"status\":", fp);
	json_put_string(fp, a->status);
	fputs(",\"http_status\":", fp);
	cli_json_int(fp, a->http_status, a->http_status != 0);
	fputs(",\"error\":", fp);
	json_put_string(fp, a->error);
	fprintf(fp, ",\"attempts\":%d,\"fetched_at\":", a->attempts);
	cli_json_date(fp, a->fetched_at);
	fputs(",\"next_attempt\":", fp);
	cli_json_date(fp, a->next_attempt);
	fputs(",\"title\":", fp);
	json_put_string(fp, a->title);
	fputs(",\"byline\":", fp);
	json_put_string(fp, a->byline);
	fputs(",\"site_name\":", fp);
	json_put_string(fp, a->site_name);
	fputs(",\"published\":", fp);
	cli_json_date(fp, a->published);
	fputs(",\"lang\":", fp);
	json_put_string(fp, a->lang);
	fputs(",\"excerpt\":", fp);
	json_put_string(fp, a->excerpt);
	fputs(",\"lead_image\":", fp);
	json_put_string(fp, a->lead_image);
	fputs(",\"word_count\":", fp);
	cli_json_int(fp, a->word_count, a->word_count != -1);
	fputs(",\"html\":", fp);
	json_put_string(fp, a->html);
	fputs(",\"text\":", fp);
	json_put_string(fp, a->text);
	fputc('}', fp);
}

void
item_json_article(FILE *fp, const struct store_item *it, int full, const struct store_article *a)
{
	fprintf(fp, "{\"id\":%lld,\"feed_id\":%lld,\"feed_url\":", (long long)it->id,
		(long long)it->feed_id);
	json_put_string(fp, it->feed_url);
	fputs(",\"feed_title\":", fp);
	json_put_string(fp, it->feed_title);
	fputs(",\"guid\":", fp);
	json_put_string(fp, it->guid);
	fputs(",\"url\":", fp);
	json_put_string(fp, it->url);
	fputs(",\"title\":", fp);
	json_put_string(fp, it->title);
	fputs(",\"author\":", fp);
	json_put_string(fp, it->author);
	fputs(",\"published\":", fp);
	cli_json_date(fp, it->published);
	fputs(",\"updated\":", fp);
	cli_json_date(fp, it->updated);
	fputs(",\"first_seen\":", fp);
	cli_json_date(fp, it->first_seen);
	fputs(",\"summary\":", fp);
	json_put_string(fp, it->summary);
	fputs(",\"content\":", fp);
	json_put_string(fp, full ? it->content : NULL);
	fputs(",\"content_type\":", fp);
	json_put_string(fp, full && it->content && it->content_type >= 0 && it->content_type <= 2
				? content_types[it->content_type]
				: NULL);
	fputs(",\"article_url\":", fp);
	json_put_string(fp, it->article_url);
	fputs(",\"article_status\":", fp);
	json_put_string(fp, it->article_status);
	fputs(",\"article_text\":", fp);
	json_put_string(fp,
			full && it->article_text && *it->article_text ? it->article_text : NULL);
	fputs(",\"enclosures\":", fp);
	cli_json_raw(fp, it->enclosures, "[]");
	fputs(",\"categories\":", fp);
	cli_json_raw(fp, it->categories, "[]");
	fprintf(fp, ",\"read\":%s,\"starred\":%s", it->read ? "true" : "false",
		it->starred ? "true" : "false");
	if (a) {
		fputs(",\"article\":", fp);
		article_json(fp, a);
	}
	fputc('}', fp);
}

struct items_out {
	FILE   *fp;
	int	format, full, width;
	int64_t n;
};

static int
on_item(void *ud, const struct store_item *it)
{
	struct items_out *o = ud;
	char		  when[32];
	struct blocks	  bl = {0};
	size_t		  i;

	switch (o->format) {
	case OUT_JSON:
		fputs(o->n ? ",\n" : "[\n", o->fp);
		item_json(o->fp, it, o->full);
		break;
	case OUT_JSONL:
		item_json(o->fp, it, o->full);
		fputc('\n', o->fp);
		break;
	default:
		cli_datetime(it->published != DATE_NONE ? it->published
			     : it->updated != DATE_NONE ? it->updated
							: it->first_seen,
			     when, sizeof(when));
		if (o->full && o->n)
			fputc('\n', o->fp);
		fprintf(o->fp, "%7lld %c%c %s  ", (long long)it->id, it->read ? ' ' : 'N',
			it->starred ? '*' : ' ', when);
		cli_put_col(o->fp, it->feed_title ? it->feed_title : it->feed_url, 20);
		fprintf(o->fp, "  %s\n", it->title && *it->title ? it->title : "(no title)");
		if (!o->full)
			break;
		if (it->url)
			fprintf(o->fp, "%12s%s\n", "", it->url);
		if (it->article_text && *it->article_text) {
			fputc('\n', o->fp);
			render_reader(o->fp, "            ", it->article_text, o->width);
			break;
		}
		render_item(&bl, it);
		for (i = 0; i < bl.n; i++) {
			fputc('\n', o->fp);
			cli_put_wrapped(o->fp, "            ", bl.v[i].text, o->width);
		}
		blocks_free(&bl);
	}
	o->n++;
	return ferror(o->fp) ? 1 : 0;
}

static void
items_usage(FILE *fp)
{
	fprintf(
	    fp,
	    "usage: glean items [--feed FEED] [--tag TAG] [--unread] [--starred]\n"
	    "                   [--since DATE] [--before DATE] [--limit N] [--oldest]\n"
	    "                   [--json | --jsonl] [--full]\n"
	    "  --feed FEED   one feed (id, URL or exact title)\n"
	    "  --tag TAG     the feeds with this tag\n"
	    "  --unread      unread items only\n"
	    "  --starred     starred items only\n"
	    "  --since DATE  first seen or published at or after DATE (2024-03-01,\n"
	    "                2024-03-01T10:00:00Z) or that long ago (30m, 2h, 7d)\n"
	    "  --before DATE published (else first seen) before DATE, or that long ago\n"
	    "  --limit N     at most N items (default: all)\n"
	    "  --oldest      oldest first\n"
	    "  --json        a JSON array; --jsonl: one JSON object per line\n"
	    "  --full        with the content and the article text\n");
}

int
cmd_items(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"feed", required_argument, NULL, 'f'},  {"tag", required_argument, NULL, 't'},
	    {"unread", no_argument, NULL, 'u'},	     {"starred", no_argument, NULL, 's'},
	    {"since", required_argument, NULL, 'S'}, {"limit", required_argument, NULL, 'n'},
	    {"oldest", no_argument, NULL, 'o'},	     {"json", no_argument, NULL, 'j'},
	    {"jsonl", no_argument, NULL, 'J'},	     {"full", no_argument, NULL, 'F'},
	    {"before", required_argument, NULL, 'b'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct item_filter flt = {0};
	struct items_out   o = {0};
	struct store	  *s;
	const char	  *feed = NULL;
	int		   c, rc, nformats = 0;

	flt.since = DATE_NONE;
	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:t:usS:b:n:ojJFh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			feed = optarg;
			break;
		case 't':
			flt.tag = optarg;
			break;
		case 'u':
			flt.unread = 1;
			break;
		case 's':
			flt.starred = 1;
			break;
		case 'S':
			if (cli_parse_since(optarg, &flt.since) == -1) {
				cli_err("items: --since: '%s' is not a date or a duration", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'b':
			if (cli_parse_since(optarg, &flt.before) == -1 || flt.before == 0) {
				cli_err("items: --before: '%s' is not a date or a duration", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'n':
			if (cli_parse_count(optarg, &flt.limit) == -1) {
				cli_err("items: --limit: '%s' is not a count", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o':
			flt.order = ITEM_ORDER_OLDEST;
			break;
		case 'j':
			o.format = OUT_JSON;
			nformats++;
			break;
		case 'J':
			o.format = OUT_JSONL;
			nformats++;
			break;
		case 'F':
			o.full = flt.full = 1;
			break;
		case 'h':
			items_usage(stdout);
			return EXIT_OK;
		default:
			items_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc || nformats > 1) {
		if (nformats > 1)
			cli_err("items: --json and --jsonl exclude each other");
		items_usage(stderr);
		return EXIT_USAGE;
	}
	if ((rc = cli_open(&s, CLI_READ)) != EXIT_OK)
		return rc;
	if (feed && (rc = store_feed_find(s, feed, &flt.feed_id)) != 0) {
		rc = cli_store_fail(s, rc);
		store_close(s);
		return rc;
	}
	o.fp = o.format == OUT_HUMAN ? cli_pager_begin() : stdout;
	o.width = o.format == OUT_HUMAN && cli_terminal()
		      ? (cli_term_cols() < 100 ? cli_term_cols() : 100)
		      : 0;
	rc = store_items(s, &flt, on_item, &o);
	if (rc != 0)
		rc = cli_store_fail(s, rc);
	else
		rc = o.n ? EXIT_OK : EXIT_NOMATCH;
	store_close(s);
	if (o.format == OUT_JSON)
		fputs(o.n ? "\n]\n" : "[]\n", o.fp);
	if (cli_pager_end(o.fp) != 0 && rc == EXIT_OK)
		rc = EXIT_NOMATCH;
	if (rc == EXIT_NOMATCH && o.n == 0 && o.format == OUT_HUMAN)
		cli_err("no matching items");
	return rc;
}
