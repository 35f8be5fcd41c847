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

/* glean.c: the global options, read before the subcommand. */
struct cli_globals {
	const char *db;	    /* --db PATH */
	const char *config; /* -c CONFIG */
};
extern struct cli_globals cli_g;

/* cli_util.c: the database, messages, arguments. */
enum { CLI_READ, CLI_WRITE, CLI_CREATE }; /* RDONLY; read-write; read-write, created */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Names the subcommand in getopt's messages ("glean: items: ..."). */
void cli_cmdname(char **argv);
/* The database path (global options, GLEANER_DB, the defaults). -1 on a
 * config error (reported). */
int cli_db_path(int mode, char *out, size_t outsz);
/* Opens the database; returns EXIT_OK or EXIT_DB/EXIT_USAGE (reported). */
int cli_open(struct store **, int mode);
/* Reports a store error and maps it to an exit status. */
int cli_store_fail(struct store *, int rc);
/* A write that found the database busy is tried again a few times. */
#define CLI_RETRY(rc, expr)                                                                        \
	do {                                                                                       \
		int cli_try_ = 0;                                                                  \
		while (((rc) = (expr)) == STORE_BUSY && ++cli_try_ < 5)                            \
			cli_busy_wait(cli_try_);                                                   \
	} while (0)
void cli_busy_wait(int attempt);
int  cli_parse_id(const char *, int64_t *);
int  cli_parse_count(const char *, int64_t *);	      /* N >= 0 */
int  cli_parse_duration(const char *, int64_t *secs); /* 30s, 15m, 2h, 1d, 1w */
int  cli_parse_since(const char *, int64_t *t);	      /* a date, or a duration ago */
/* Adds a tag (split on commas) to a growing list. -1 on ENOMEM. */
int  cli_add_tags(char ***tags, size_t *ntags, const char *arg);
void cli_free_tags(char **tags, size_t ntags);

/* cli_out.c: output for people and for scripts. */
int cli_color(void);	/* stdout is a terminal and NO_COLOR is not set */
int cli_terminal(void); /* stdout is a terminal */
/* Output that goes through the pager on a terminal: write to the returned
 * stream, then cli_pager_end() (after the database reads are over). */
FILE *cli_pager_begin(void);
int   cli_pager_end(FILE *);
void  cli_reltime(int64_t t, int64_t now, char *out, size_t outsz); /* "3 min ago" */
void  cli_datetime(int64_t t, char *out, size_t outsz);		    /* local, to the minute */
void  cli_date(int64_t t, char *out, size_t outsz);		    /* local day */
void  cli_duration(int64_t secs, char *out, size_t outsz);	    /* "15m", "2h" */
void  cli_json_date(FILE *, int64_t t);				    /* ISO 8601 UTC or null */
void  cli_json_int(FILE *, int64_t v, int known);			    /* v, or null if !known */
void  cli_json_raw(FILE *, const char *json, const char *dflt);	    /* stored JSON, or dflt */
/* Prints s padded or cut to width code points. */
void   cli_put_col(FILE *, const char *s, size_t width);
size_t cli_width(const char *s);
int    cli_term_cols(void); /* the terminal's width, 80 if unknown */
/* Prints one paragraph, wrapped at width code points (0: not wrapped). */
void cli_put_wrapped(FILE *, const char *indent, const char *s, int width);

/* cli_render.c: item text as blocks for the reader view. */
enum { BLOCK_P, BLOCK_H, BLOCK_LI, BLOCK_PRE };
struct block {
	int   kind;
	char *text;
};
struct blocks {
	struct block *v;
	size_t	      n;
};
/* HTML cut into blocks at block-level elements, each as text. */
void render_html(struct blocks *, const char *html);
/* Plain text cut into paragraphs at blank lines. */
void render_plain(struct blocks *, const char *text);
/* The item's own text as blocks: the content, else the summary. */
void render_item(struct blocks *, const struct store_item *);
/* An article's stored reader text, line by line as stored (every line
 * after indent); lines longer than width (0: no wrapping) wrapped under
 * their marker. */
void render_reader(FILE *, const char *indent, const char *text, int width);
void blocks_free(struct blocks *);

/* cmd_items.c */
/* One item as a JSON object (the keys are documented in glean(1)). */
void item_json(FILE *, const struct store_item *, int full);
/* The same with an "article" object (a may be NULL: none). */
void item_json_article(FILE *, const struct store_item *, int full, const struct store_article *);
int  cmd_items(int, char **);
/* cmd_show.c */
int cmd_show(int, char **);
/* cmd_refetch.c */
int cmd_refetch(int, char **);
/* cmd_feeds.c */
int cmd_feeds(int, char **);
/* cmd_feed_edit.c */
int cmd_add(int, char **);
int cmd_rm(int, char **);
int cmd_edit(int, char **);
/* cmd_marks.c */
int cmd_read(int, char **);
int cmd_unread(int, char **);
int cmd_star(int, char **);
int cmd_unstar(int, char **);
/* cmd_search.c */
int cmd_search(int, char **);
/* cmd_stats.c */
int cmd_stats(int, char **);
/* cmd_opml.c */
int cmd_import(int, char **);
int cmd_export(int, char **);
/* cmd_ingest.c */
int cmd_ingest(int, char **);
/* cmd_parse.c */
int cmd_parse(int, char **);
/* cmd_extract.c */
int cmd_extract(int, char **);

/* cmd_control.c: requests to a running gleanerd. */
int cmd_refresh(int, char **);
int cmd_status(int, char **);
int cmd_reload(int, char **);
void cli_notify_daemon(const char *feed);
/* Sends one request line to a running gleanerd (best effort, silent);
 * with wait, prints its reply lines until it closes.  0, or -1 when no
 * gleanerd answers. */
int  cli_daemon_request(const char *req, int wait);

/* cli_discover.c: the feed `glean add URL` subscribes to: URL itself when
 * it is a feed or cannot be checked (warned), else the first feed the page
 * names.  EXIT_OK with *feed_url set (free it), or an exit status
 * (reported: a 404/410, a page that names no feed). */
int cli_discover(const char *url, char **feed_url);

#endif
