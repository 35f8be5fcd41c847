/*
 * cmd_show.c: glean show ITEM [--format text|html|json] [--keep-unread]
 * The reader view: the site, the title, byline and date, the text, the
 * source URL last.  An extracted article gives all of these (the feed's
 * where the page had none) and its reader text as stored; otherwise the
 * item's own content, or summary, is shown.  Marks the item read unless
 * --keep-unread.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum { FMT_TEXT, FMT_HTML, FMT_JSON };

struct show {
	FILE	     *fp;
	int	      format, width, found, was_read;
	struct store *s;
	int	      db_error;
};

/* An extracted article, or NULL: what the reader view is made of. */
static const struct store_article *
extracted(const struct store_article *a)
{
	return a && a->status && !strcmp(a->status, "extracted") && a->text && *a->text ? a : NULL;
}

static const char *
nonempty(const char *a, const char *b)
{
	return a && *a ? a : b && *b ? b : NULL;
}

static void
byline(const struct store_item *it, const struct store_article *a, char *out, size_t outsz)
{
	char	    when[32] = "";
	const char *who = nonempty(a ? a->byline : NULL, it->author);
	int64_t	    t = a && a->published != DATE_NONE ? a->published
			: it->published != DATE_NONE   ? it->published
			: it->updated != DATE_NONE     ? it->updated
						       : DATE_NONE;

	if (t != DATE_NONE)
		cli_datetime(t, when, sizeof(when));
	snprintf(out, outsz, "%s%s%s", who ? who : "", who && *when ? " · " : "", when);
}

static const char *
source_url(const struct store_item *it, const struct store_article *a)
{
	return nonempty(a ? a->final_url : NULL, nonempty(it->url, it->article_url));
}

/* Why the item's own text is shown: its article is not extracted (yet). */
static void
article_note(FILE *fp, const struct store_article *raw)
{
	char when[32];

	if (raw == NULL || raw->status == NULL || !strcmp(raw->status, "extracted"))
		return;
	if (!strcmp(raw->status, "pending")) {
		fprintf(fp, "(the article has not been fetched yet)\n");
		return;
	}
	fprintf(fp, "(article not extracted: %s", raw->status);
	if (raw->error && *raw->error)
		fprintf(fp, ": %s", raw->error);
	if (raw->next_attempt != DATE_NONE) {
		cli_datetime(raw->next_attempt, when, sizeof(when));
		fprintf(fp, "; next attempt %s", when);
	}
	fprintf(fp, ")\n");
}

static void
show_text(const struct show *o, const struct store_item *it, const struct store_article *a,
	  const struct store_article *raw, const struct blocks *bl)
{
	const char *url = source_url(it, a);
	const char *site = nonempty(a ? a->site_name : NULL, it->feed_title);
	const char *title = nonempty(a ? a->title : NULL, it->title);
	char	    by[512];
	size_t	    i;
	int	    bold = cli_color(), sep = 0;

	if (site) {
		fprintf(o->fp, "%s\n", site);
		sep = 1;
	}
	if (title) {
		fprintf(o->fp, "%s%s%s%s\n", sep ? "\n" : "", bold ? "\033[1m" : "", title,
			bold ? "\033[0m" : "");
		sep = 1;
	}
	byline(it, a, by, sizeof(by));
	if (*by) {
		fprintf(o->fp, "%s%s\n", sep ? "\n" : "", by);
		sep = 1;
	}
	if (a) {
		if (sep)
			fputc('\n', o->fp);
		render_reader(o->fp, "", a->text, o->width);
		sep = 1;
	}
	for (i = 0; i < bl->n; i++) {
		const struct block *b = &bl->v[i];

		/* a list's items stay together */
		if (sep && !(b->kind == BLOCK_LI && i > 0 && bl->v[i - 1].kind == BLOCK_LI))
			fputc('\n', o->fp);
		switch (b->kind) {
		case BLOCK_H:
			fprintf(o->fp, "## ");
			cli_put_wrapped(o->fp, "", b->text, o->width ? o->width - 3 : 0);
			break;
		case BLOCK_LI:
			fprintf(o->fp, "- ");
			cli_put_wrapped(o->fp, "", b->text, o->width ? o->width - 2 : 0);
			break;
		case BLOCK_PRE:
			fprintf(o->fp, "%s\n", b->text);
			break;
		default:
			cli_put_wrapped(o->fp, "", b->text, o->width);
		}
		sep = 1;
	}
	if (a == NULL && raw && raw->status && strcmp(raw->status, "extracted") != 0) {
		if (sep)
			fputc('\n', o->fp);
		article_note(o->fp, raw);
		sep = 1;
	}
	if (url)
		fprintf(o->fp, "%s%s\n", sep ? "\n" : "", url);
}

static void
html_put(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '&':
			fputs("&amp;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		default:
			fputc(*s, fp);
		}
	}
}

/* Escaped blocks only: feed HTML is not passed through (no sanitizer yet). */
/* The article's sanitized HTML as stored; the item's own content only as
 * escaped text blocks. */
static void
show_html(const struct show *o, const struct store_item *it, const struct store_article *a,
	  const struct blocks *bl)
{
	const char *url = source_url(it, a);
	const char *site = nonempty(a ? a->site_name : NULL, it->feed_title);
	const char *title = nonempty(a ? a->title : NULL, it->title);
	char	    by[512];
	size_t	    i;
	int	    in_list = 0;

	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>", o->fp);
	html_put(o->fp, title);
	fputs("</title></head>\n<body><article>\n", o->fp);
	if (site) {
		fputs("<p class=\"site\">", o->fp);
		html_put(o->fp, site);
		fputs("</p>\n", o->fp);
	}
	if (title) {
		fputs("<h1>", o->fp);
		html_put(o->fp, title);
		fputs("</h1>\n", o->fp);
	}
	byline(it, a, by, sizeof(by));
	if (*by) {
		fputs("<p class=\"byline\">", o->fp);
		html_put(o->fp, by);
		fputs("</p>\n", o->fp);
	}
	if (a && a->html && *a->html) {
		fputs(a->html, o->fp);
		fputc('\n', o->fp);
	}
	for (i = 0; i < bl->n; i++) {
		const struct block	*b = &bl->v[i];
		static const char *const tag[] = {"p", "h2", "li", "pre"};

		if (b->kind == BLOCK_LI && !in_list)
			fputs("<ul>\n", o->fp);
		else if (b->kind != BLOCK_LI && in_list)
			fputs("</ul>\n", o->fp);
		in_list = b->kind == BLOCK_LI;
		fprintf(o->fp, "<%s>", tag[b->kind]);
		html_put(o->fp, b->text);
		fprintf(o->fp, "</%s>\n", tag[b->kind]);
	}
	if (in_list)
		fputs("</ul>\n", o->fp);
	if (url) {
		fputs("<p class=\"source\"><a href=\"", o->fp);
		html_put(o->fp, url);
		fputs("\">", o->fp);
		html_put(o->fp, url);
		fputs("</a></p>\n", o->fp);
	}
	fputs("</article></body></html>\n", o->fp);
}

static int
on_item(void *ud, const struct store_item *it)
{
	struct show		   *o = ud;
	struct blocks		    bl = {0};
	struct store_article	    art;
	const struct store_article *a = NULL;
	int			    rc;

	o->found = 1;
	o->was_read = it->read;
	memset(&art, 0, sizeof(art));
	if (it->article_id > 0) {
		rc = store_article_get(o->s, it->article_id, &art);
		if (rc == 0)
			a = &art;
		else if (rc != STORE_NOTFOUND) {
			o->db_error = rc;
			return 1;
		}
	}
	if (o->format == FMT_JSON) {
		item_json_article(o->fp, it, 1, a);
		fputc('\n', o->fp);
		store_article_clear(&art);
		return 0;
	}
	if (extracted(a) == NULL)
		render_item(&bl, it);
	if (o->format == FMT_HTML)
		show_html(o, it, extracted(a), &bl);
	else
		show_text(o, it, extracted(a), a, &bl);
	blocks_free(&bl);
	store_article_clear(&art);
	return 0;
}

static void
show_usage(FILE *fp)
{
	fprintf(fp, "usage: glean show [--format text|html|json] [--keep-unread] ITEM\n"
		    "  --format FORMAT  text (the default), html or json\n"
		    "  --keep-unread    do not mark the item read\n");
}

int
cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"keep-unread", no_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct item_filter flt = {0};
	struct show	   o = {0};
	struct store	  *s;
	int64_t		   changed;
	char		   path[1024];
	int		   c, rc, keep = 0;

	flt.since = DATE_NONE;
	flt.full = 1;
	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:kh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				o.format = FMT_TEXT;
			else if (!strcmp(optarg, "html"))
				o.format = FMT_HTML;
			else if (!strcmp(optarg, "json"))
				o.format = FMT_JSON;
			else {
				cli_err("show: --format must be text, html or json, not '%s'",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'k':
			keep = 1;
			break;
		case 'h':
			show_usage(stdout);
			return EXIT_OK;
		default:
			show_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || cli_parse_id(argv[optind], &flt.item_id) == -1) {
		if (optind == argc - 1)
			cli_err("show: '%s' is not an item id", argv[optind]);
		show_usage(stderr);
		return EXIT_USAGE;
	}
	/* Marking needs a writable database; reading does not (a person may
	 * read the system's database without the right to change it). */
	if (!keep && cli_db_path(CLI_WRITE, path, sizeof(path)) == 0 && access(path, F_OK) == 0 &&
	    access(path, W_OK) != 0) {
		cli_err("show: %s is read-only to you: the item will stay unread", path);
		keep = 1;
	}
	if ((rc = cli_open(&s, keep ? CLI_READ : CLI_WRITE)) != EXIT_OK)
		return rc;
	o.fp = o.format == FMT_TEXT ? cli_pager_begin() : stdout;
	o.width = o.format == FMT_TEXT && cli_terminal()
		      ? (cli_term_cols() < 80 ? cli_term_cols() : 80)
		      : 0;
	o.s = s;
	if ((rc = store_items(s, &flt, on_item, &o)) != 0 || (rc = o.db_error) != 0) {
		rc = cli_store_fail(s, rc);
	} else if (!o.found) {
		cli_err("no item %lld", (long long)flt.item_id);
		rc = EXIT_NOMATCH;
	} else if (!keep && !o.was_read) {
		CLI_RETRY(rc, store_mark(s, &flt, MARK_READ, &changed));
		if (rc != 0) {
			cli_err("show: not marked read: %s", store_errmsg(s));
			rc = EXIT_DB;
		}
	}
	store_close(s);
	if (cli_pager_end(o.fp) != 0 && rc == EXIT_OK)
		rc = EXIT_NOMATCH;
	return rc;
}
