/*
 * cmd_feeds.c: glean feeds [--json]
 * Each feed with its health: unread count, last success, the last error and
 * how many in a row, next poll, why it is disabled, where it comes from
 * (db or config) and how its items are keyed (guid or link, and why).
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"

struct feeds_out {
	FILE   *fp;
	int	json, color;
	int64_t n, now;
};

static void
feed_json(FILE *fp, const struct store_feed *f)
{
	size_t i;

	fprintf(fp, "{\"id\":%lld,\"url\":", (long long)f->id);
	json_put_string(fp, f->url);
	fputs(",\"title\":", fp);
	json_put_string(fp, f->user_title ? f->user_title : f->title);
	fputs(",\"feed_title\":", fp);
	json_put_string(fp, f->title);
	fputs(",\"user_title\":", fp);
	json_put_string(fp, f->user_title);
	fputs(",\"site_url\":", fp);
	json_put_string(fp, f->site_url);
	fputs(",\"tags\":[", fp);
	for (i = 0; i < f->ntags; i++) {
		if (i)
			fputc(',', fp);
		json_put_string(fp, f->tags[i]);
	}
	fprintf(fp, "],\"unread\":%lld,\"total\":%lld,\"added_at\":", (long long)f->unread,
		(long long)f->total);
	cli_json_date(fp, f->added_at);
	fputs(",\"last_poll\":", fp);
	cli_json_date(fp, f->last_poll);
	fputs(",\"last_success\":", fp);
	cli_json_date(fp, f->last_success);
	fputs(",\"last_status\":", fp);
	cli_json_int(fp, f->last_status, f->last_status > 0);
	fputs(",\"last_error\":", fp);
	json_put_string(fp, f->last_error);
	fprintf(fp, ",\"error_count\":%d,\"next_poll\":", f->error_count);
	cli_json_date(fp, f->next_poll);
	fputs(",\"disabled_reason\":", fp);
	json_put_string(fp, f->disabled_reason);
	fputs(",\"source\":", fp);
	json_put_string(fp, f->source);
	fputs(",\"key_mode\":", fp);
	json_put_string(fp, f->key_mode);
	fputs(",\"key_reason\":", fp);
	json_put_string(fp, f->key_reason);
	fputs(",\"interval\":", fp);
	cli_json_int(fp, f->interval, f->interval > 0);
	fprintf(fp, ",\"full_text\":%s,\"max_age\":", f->full_text ? "true" : "false");
	cli_json_int(fp, f->max_age, f->max_age > 0);
	fputs(",\"max_items\":", fp);
	cli_json_int(fp, f->max_items, f->max_items > 0);
	fputc('}', fp);
}

#define INDENT "                                    " /* to the TITLE column */

static void
feed_human(const struct feeds_out *o, const struct store_feed *f)
{
	FILE	   *fp = o->fp;
	const char *title = f->user_title ? f->user_title : f->title;
	const char *red = o->color ? "\033[31m" : "", *off = o->color ? "\033[0m" : "";
	char	    ok[40], next[40], when[40], every[16];
	size_t	    i;

	cli_reltime(f->last_success, o->now, ok, sizeof(ok));
	if (f->disabled_reason)
		snprintf(next, sizeof(next), "disabled");
	else if (f->next_poll == DATE_NONE || f->next_poll <= o->now)
		snprintf(next, sizeof(next), "due");
	else
		cli_reltime(f->next_poll, o->now, next, sizeof(next));
	fprintf(fp, "%4lld %7lld  %-13s %-12s ", (long long)f->id, (long long)f->unread, ok, next);
	fprintf(fp, "%s\n", title && *title ? title : "(untitled)");
	fprintf(fp, INDENT "%s", f->url);
	if (f->ntags) {
		fputs("  [", fp);
		for (i = 0; i < f->ntags; i++)
			fprintf(fp, "%s%s", i ? ", " : "", f->tags[i]);
		fputc(']', fp);
	}
	if (f->interval > 0) {
		cli_duration(f->interval, every, sizeof(every));
		fprintf(fp, "  every %s", every);
	}
	if (!f->full_text)
		fputs("  no full text", fp);
	if (!strcmp(f->source, "config"))
		fputs("  (from the configuration)", fp);
	fputc('\n', fp);
	if (!strcmp(f->key_mode, "link"))
		fprintf(fp, INDENT "items keyed by link%s%s\n", f->key_reason ? ": " : "",
			f->key_reason ? f->key_reason : "");
	if (f->error_count > 0 || f->last_error) {
		cli_reltime(f->last_poll, o->now, when, sizeof(when));
		fprintf(fp, INDENT "%serror, %d in a row, last %s: %s%s\n", red, f->error_count,
			when, f->last_error ? f->last_error : "(no message)", off);
	}
	if (f->disabled_reason)
		fprintf(fp, INDENT "%sdisabled: %s%s\n", red, f->disabled_reason, off);
}

static int
on_feed(void *ud, const struct store_feed *f)
{
	struct feeds_out *o = ud;

	if (o->json) {
		fputs(o->n ? ",\n" : "[\n", o->fp);
		feed_json(o->fp, f);
	} else {
		if (o->n == 0)
			fprintf(o->fp, "  ID  UNREAD  LAST SUCCESS  NEXT POLL    TITLE\n");
		feed_human(o, f);
	}
	o->n++;
	return ferror(o->fp) ? 1 : 0;
}

static void
feeds_usage(FILE *fp)
{
	fprintf(fp, "usage: glean feeds [--json]\n"
		    "  --json  a JSON array of feeds (keys in glean(1))\n");
}

int
cmd_feeds(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct feeds_out o = {0};
	struct store	*s;
	int		 c, rc;

	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = 1;
			break;
		case 'h':
			feeds_usage(stdout);
			return EXIT_OK;
		default:
			feeds_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		feeds_usage(stderr);
		return EXIT_USAGE;
	}
	if ((rc = cli_open(&s, CLI_READ)) != EXIT_OK)
		return rc;
	o.fp = o.json ? stdout : cli_pager_begin();
	o.color = !o.json && cli_color();
	o.now = store_now();
	if ((rc = store_feeds(s, on_feed, &o)) != 0)
		rc = cli_store_fail(s, rc);
	store_close(s);
	if (o.json)
		fputs(o.n ? "\n]\n" : "[]\n", o.fp);
	else if (o.n == 0 && rc == 0)
		cli_err("no feeds yet: glean add URL subscribes to one");
	if (cli_pager_end(o.fp) != 0 && rc == EXIT_OK)
		rc = EXIT_NOMATCH;
	return rc;
}
