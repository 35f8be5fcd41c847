/*
 * config_int.h: private to the config reader (config*.c).  The API and
 * struct config are in gleaner.h; what the file means is in config.c.
 */
#ifndef CONFIG_INT_H
#define CONFIG_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gleaner.h"

#ifndef CONFIG_LINE_MAX
#define CONFIG_LINE_MAX 8192 /* longest line, in bytes */
#endif
#ifndef CONFIG_DURATION_MAX
#define CONFIG_DURATION_MAX (INT64_C(36500) * 86400) /* longest duration a key takes */
#endif

#define CONF_CLIP     60 /* bytes of a value quoted in a message */
#define CONF_KEYS_MAX 24 /* keys in the largest section */

#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))

enum sect { SEC_NONE, SEC_GLEANER, SEC_FEED, SEC_SITE, SEC_BAD };

struct cerr {
	unsigned line; /* 0: the file as a whole */
	size_t   seq;
	char    *msg;
};

/* One reading of one file. */
struct ctx {
	struct config *cf;
	const char    *path;     /* as given, for messages */
	char          *dir;      /* the file's directory: base of relative paths */
	FILE          *fp;
	char          *lbuf;     /* getline's */
	size_t         lbufsz;
	unsigned       line;     /* the line last handed to inih */
	int            pending;  /* it is a key line the handler has not seen yet */
	enum sect      sec;      /* the section being read */
	unsigned       seen[CONF_KEYS_MAX];  /* line each key of it was set on, or 0 */
	unsigned       gseen[CONF_KEYS_MAX]; /* the same for [gleaner], all of them */
	unsigned      *url_line; /* per feed: the line of its url */
	size_t         feedcap, sitecap;
	struct cerr   *errs;
	size_t         nerrs, errcap, nlost;
	int            nomem;
};

static inline int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static inline int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* How much of s a message quotes: at most CONF_CLIP bytes, cut on a UTF-8 boundary. */
static inline int
clip(const char *s)
{
	size_t n = strnlen(s, CONF_CLIP + 1);

	if (n <= CONF_CLIP)
		return (int)n;
	n = CONF_CLIP;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}
/* For "%.*s%s": the clipped value and "..." when it was cut. */
#define CLIP(s) clip(s), (s), (s)[clip(s)] ? "..." : ""

/* config.c: the reading, and the messages. */
/* Records a message for line (0: the file); out of memory sets c->nomem. */
void  conf_err(struct ctx *, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
char *conf_strdup(struct ctx *, const char *);
/* Replaces *dst with a copy of s. */
void  conf_setstr(struct ctx *, char **dst, const char *s);

/* config_key.c: the keys each section takes, and setting them. */
/* The names a section header may use, and each kind's label for messages. */
const char *conf_sect_kind(enum sect);
const char *conf_sect_label(enum sect);
/* The line key name was set on in a section of kind sec (per seen), or 0. */
unsigned conf_seen_line(const unsigned *seen, enum sect, const char *name);
/* inih's handler: one "key = value" line of the section being read.  The
 * fifth argument is Debian's libinih's (see INI_HANDLER_LINENO in config.c). */
int  conf_handler(void *arg, const char *section, const char *name, const char *value,
		  int lineno);

/* config_section.c: section headers, and the checks on whole sections. */
/* s: a trimmed line starting with '['; rewritten in place. */
void conf_section(struct ctx *, char *s);
/* Checks the section being read, and then what sections say together. */
void conf_finish(struct ctx *);

/* config_value.c: the values a key takes. */
/* Decimal digits only, no sign; -1 on anything else or overflow. */
int  conf_parse_count(const char *, int64_t *);
int  conf_parse_level(const char *, int *);
/* NULL if v is an http(s) URL with a host, else what is wrong with it. */
const char *conf_url_problem(const char *v);
/* NULL if v is what CURLOPT_PROXY takes, else what is wrong with it. */
const char *conf_proxy_problem(const char *v);
/* v made absolute against the file's directory. */
char *conf_path(struct ctx *, const char *v);
void  conf_tags(struct ctx *, struct config_feed *, const char *v);
void  conf_header(struct ctx *, struct config_feed *, const char *v);

#endif
