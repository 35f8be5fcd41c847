/*
 * cmd_opml.c: glean import FILE.opml, glean export
 * Import is all or nothing: one transaction; a malformed file imports
 * nothing.  Feeds already there are kept, with the file's tags added to
 * theirs.  Folders (and categories) are tags; a feed's outline title
 * becomes its title until the feed names itself.  Export writes OPML 2.0,
 * one folder per tag, which import reads back to the same feeds, titles
 * and tags.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct import_count {
	int added, known, retagged;
};

/* A feed already there: the file's tags are added to its own. */
static int
merge_tags(struct store *s, int64_t id, const struct opml_feed *of, struct import_count *n)
{
	struct store_feed f, upd;
	size_t		  i, before;
	int		  rc;

	if ((rc = store_feed_get(s, id, &f)) != 0)
		return rc;
	before = f.ntags;
	for (i = 0; i < of->ntags; i++)
		if (cli_add_tags(&f.tags, &f.ntags, of->tags[i]) == -1) {
			store_feed_clear(&f);
			return STORE_ERR;
		}
	rc = 0;
	if (f.ntags != before) {
		memset(&upd, 0, sizeof(upd));
		store_feed_clear(&upd);
		upd.tags = f.tags;
		upd.ntags = f.ntags;
		rc = store_feed_update(s, id, &upd, 1);
		n->retagged++;
	}
	store_feed_clear(&f);
	return rc;
}

static int
import_all(struct store *s, const struct opml *o, struct import_count *n)
{
	struct store_feed f;
	int64_t		  id;
	size_t		  i;
	int		  rc;

	memset(n, 0, sizeof(*n));
	if ((rc = store_begin(s)) != 0)
		return rc;
	for (i = 0; i < o->nfeeds && rc == 0; i++) {
		const struct opml_feed *of = &o->feeds[i];

		memset(&f, 0, sizeof(f));
		store_feed_clear(&f);
		f.url = of->url;
		f.title = of->title;
		f.site_url = of->html_url;
		f.tags = of->tags;
		f.ntags = of->ntags;
		rc = store_feed_add(s, &f, &id);
		if (rc == 0) {
			n->added++;
		} else if (rc == STORE_EXISTS) {
			n->known++;
			rc = merge_tags(s, id, of, n);
		}
	}
	if (rc != 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

static int
read_file(const char *path, struct buf *b)
{
	FILE  *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char   chunk[65536];
	size_t n;
	int    rc = 0;

	if (fp == NULL) {
		cli_err("import: %s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_add(b, chunk, n) == -1 || b->truncated)
			break;
	if (ferror(fp) || b->truncated) {
		cli_err("import: %s: %s", path, b->truncated ? "too large" : strerror(errno));
		rc = -1;
	}
	if (fp != stdin)
		fclose(fp);
	return rc;
}

int
cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct import_count n;
	struct store	   *s;
	struct opml	   *o;
	struct buf	    b;
	char		    err[512] = "";
	int		    c, rc;

	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: glean import FILE.opml\n  adds the feeds of an OPML file "
			       "(folders become tags); feeds already there get its tags too\n");
			return EXIT_OK;
		}
		fprintf(stderr, "usage: glean import FILE.opml\n");
		return EXIT_USAGE;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: glean import FILE.opml\n");
		return EXIT_USAGE;
	}
	buf_init(&b, OPML_MAX_FILE + 1); /* one byte more tells "too large" apart */
	if (read_file(argv[optind], &b) == -1) {
		buf_free(&b);
		return EXIT_NOMATCH;
	}
	o = opml_parse(b.data ? b.data : "", b.len, err, sizeof(err));
	buf_free(&b);
	if (o == NULL) {
		cli_err("import: %s: %s; nothing was imported", argv[optind], err);
		return EXIT_NOMATCH;
	}
	if (*err)
		cli_err("import: %s: %s", argv[optind], err);
	if ((rc = cli_open(&s, CLI_CREATE)) == EXIT_OK) {
		CLI_RETRY(rc, import_all(s, o, &n));
		if (rc == 0)
			printf("imported %s: %d feeds added, %d already there (%d with new tags)\n",
			       argv[optind], n.added, n.known, n.retagged);
		else
			rc = cli_store_fail(s, rc);
		store_close(s);
	}
	opml_free(o);
	return rc;
}

struct export
{
	struct opml o;
	size_t	    cap;
	int	    failed;
};

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int
on_feed(void *ud, const struct store_feed *f)
{
	struct export	 *e = ud;
	struct opml_feed *of, *v;
	size_t		  i;

	if (e->o.nfeeds == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 64;
		if ((v = realloc(e->o.feeds, e->cap * sizeof(*v))) == NULL)
			return e->failed = 1;
		e->o.feeds = v;
	}
	of = &e->o.feeds[e->o.nfeeds++];
	memset(of, 0, sizeof(*of));
	of->url = dup_or_null(f->url);
	of->title = dup_or_null(f->user_title ? f->user_title : f->title);
	of->html_url = dup_or_null(f->site_url);
	if (f->ntags && (of->tags = calloc(f->ntags, sizeof(char *))) == NULL)
		return e->failed = 1;
	for (i = 0; i < f->ntags; i++)
		of->tags[of->ntags++] = dup_or_null(f->tags[i]);
	return 0;
}

static void
export_free(struct export *e)
{
	size_t i, j;

	for (i = 0; i < e->o.nfeeds; i++) {
		struct opml_feed *of = &e->o.feeds[i];

		free(of->url);
		free(of->title);
		free(of->html_url);
		for (j = 0; j < of->ntags; j++)
			free(of->tags[j]);
		free(of->tags);
	}
	free(e->o.feeds);
}

int
cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct export e;
	struct store *s;
	int	      c, rc;

	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: glean export\n  prints the feeds as OPML 2.0 (a folder per "
			       "tag)\n");
			return EXIT_OK;
		}
		fprintf(stderr, "usage: glean export\n");
		return EXIT_USAGE;
	}
	if (optind != argc) {
		fprintf(stderr, "usage: glean export\n");
		return EXIT_USAGE;
	}
	if ((rc = cli_open(&s, CLI_READ)) != EXIT_OK)
		return rc;
	memset(&e, 0, sizeof(e));
	e.o.title = "Gleaner feeds";
	if ((rc = store_feeds(s, on_feed, &e)) != 0)
		rc = cli_store_fail(s, rc);
	store_close(s);
	if (rc == 0 && e.failed) {
		cli_err("export: out of memory");
		rc = EXIT_DB;
	}
	if (rc == 0 && opml_write(stdout, &e.o) != 0) {
		cli_err("export: write error: %s", strerror(errno));
		rc = EXIT_NOMATCH;
	}
	export_free(&e);
	return rc;
}
