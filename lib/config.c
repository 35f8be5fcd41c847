/*
 * config.c: gleaner.conf (see gleaner.conf(5)), read with inih.
 *
 * An INI file: [gleaner] for the daemon's own settings, one [feed "NAME"]
 * per feed, one [site "HOST"] per site whose articles need extraction
 * rules.  Every problem in the file is reported, not only the first, each
 * as "FILE:LINE: message", and a file with any problem is refused whole
 * (a reload with a bad file keeps the running config).
 *
 * inih reads its lines through conf_read(), which does what inih cannot:
 *  - counts the lines itself, so a message's line number is exact and does
 *    not depend on how the library was built;
 *  - parses section headers itself: inih cuts section names at 50 bytes,
 *    ignores text after ']', and never tells the handler about a section
 *    without keys or about a second section of the same name;
 *  - strips leading blanks, so an indented key is a key and never the
 *    continuation of the value above it (inih's multi-line values);
 *  - refuses control characters, NUL bytes, invalid UTF-8 and lines
 *    longer than CONFIG_LINE_MAX (inih would split those in two);
 *  - notices a line that never reached the handler (it has no '='), so
 *    that every malformed line is reported and not just inih's first.
 *
 * The declarations are in gleaner.h.  What they mean:
 *
 * config_load(path, err, errsz) reads the file.  On any problem it returns
 * NULL and writes every problem found to err, one "FILE:LINE: message" per
 * line (no newline after the last; "FILE: message" for the file as a
 * whole), as many whole lines as fit in errsz, sorted by line.  Unknown
 * sections and keys, bad values, a key set twice in a section, a feed
 * without url, two feeds with one URL (scheme and host compared without
 * case) or one name, two sites with one host are all problems.
 *
 * struct config: every field set, defaults as in gleaner.conf(5):
 *	database, control_socket  absolute when given relative (to the
 *	                          directory of the file, as named)
 *	interval, min_interval, max_interval, timeout, connect_timeout,
 *	article_host_delay, max_age: seconds (max_age 0: keep)
 *	max_body: bytes; max_items: per feed (0: keep)
 *	article_host_connections: article fetches at once per host (1)
 *	full_text, allow_private: 0 or 1; log_level: LOG_ERR_ .. LOG_DEBUG_
 *	user_agent: default "Gleaner/VERSION (+GLEANER_URL)"
 * struct config_feed: url (http or https) and name always set, title
 * defaults to name; tags trimmed, without empty ones or repeats; headers
 * "Name: value" (or "Name:", which makes libcurl drop that header), in
 * file order; user_agent, proxy, username, password NULL when not set;
 * interval, max_age, max_items 0 and full_text, allow_private -1 when not
 * set (the global setting applies); line: the section header's.
 * struct config_site: host lower-cased; content, remove NULL when not set.
 * No duration is above CONFIG_DURATION_MAX (100 years), so now plus any
 * of them cannot overflow.  config_parse_duration, config_parse_size and
 * config_parse_bool: see config_value.c.
 *
 * The reader is in four files: this one (the file, inih's reader, the
 * messages, load and free), config_key.c (the keys and inih's handler),
 * config_section.c (section headers, checks on sections) and
 * config_value.c (the values keys take); config_int.h is what they share.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config_int.h"

/*
 * Debian 12's libinih (r55) is built with INI_HANDLER_LINENO=1: the library
 * passes the line number as a fifth argument (seen in its disassembly),
 * although ini.h defaults the macro to 0 and inih.pc does not set it.  The
 * handler's prototype (conf_handler, config_key.c) follows the library.
 * The number is not used: the reader counts lines itself.
 */
#define INI_HANDLER_LINENO 1
#include <ini.h>

#define CONF_MAX_ERRORS 100 /* messages kept; the rest are only counted */

/* Debian's libinih reads the line length limit (and sizes its stack
 * buffer) at run time from ini_max_line; the default is 200 bytes. */
#define CONF_INI_LINE (CONFIG_LINE_MAX + 3) /* "\r\n" and the NUL */

#define DEF_DATABASE   "/var/lib/gleaner/gleaner.db"
#define DEF_SOCKET     "/run/gleaner/control.sock"
#define DEF_USER_AGENT GLEANER_USER_AGENT

void
conf_err(struct ctx *c, unsigned line, const char *fmt, ...)
{
	struct cerr *e;
	va_list      ap;
	char        *msg;
	int          r;

	if (c->nerrs == CONF_MAX_ERRORS) {
		c->nlost++;
		return;
	}
	if (c->nerrs == c->errcap) {
		size_t ncap = c->errcap ? c->errcap * 2 : 8;

		if ((e = reallocarray(c->errs, ncap, sizeof(*e))) == NULL) {
			c->nomem = 1;
			return;
		}
		c->errs = e;
		c->errcap = ncap;
	}
	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r == -1) {
		c->nomem = 1;
		return;
	}
	e = &c->errs[c->nerrs];
	e->line = line;
	e->seq = c->nerrs++;
	e->msg = msg;
}

char *
conf_strdup(struct ctx *c, const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		c->nomem = 1;
	return p;
}

void
conf_setstr(struct ctx *c, char **dst, const char *s)
{
	char *p;

	if ((p = conf_strdup(c, s)) == NULL)
		return;
	free(*dst);
	*dst = p;
}

static int
utf8_valid(const unsigned char *s, size_t len)
{
	size_t   i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xC2 && s[i] <= 0xDF) {
			n = 1;
			cp = s[i] & 0x1F;
		} else if (s[i] >= 0xE0 && s[i] <= 0xEF) {
			n = 2;
			cp = s[i] & 0x0F;
		} else if (s[i] >= 0xF0 && s[i] <= 0xF4) {
			n = 3;
			cp = s[i] & 0x07;
		} else {
			return 0;
		}
		if (n >= len - i)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* The directory of the file at path, as named (a symbolic link to the
 * file is not followed), made absolute.  No trailing '/' unless it is "/". */
static char *
conf_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char       *dir, *real;

	if (slash == NULL)
		dir = strdup(".");
	else
		dir = xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (dir == NULL)
		return NULL;
	/* realpath fails only on what fopen just got through, or ENOMEM. */
	if ((real = realpath(dir, NULL)) == NULL)
		return dir;
	free(dir);
	return real;
}

/* The line handed to inih last was a key line and never reached the handler. */
static void
conf_unhandled(struct ctx *c)
{
	if (c->pending)
		conf_err(c, c->line, "expected 'key = value'");
	c->pending = 0;
}

/*
 * inih's reader (fgets-like): hands inih one whole line at a time, trimmed,
 * or an empty line for what it has dealt with itself (comments, section
 * headers, bad lines).  num is the size of inih's buffer: ini_max_line.
 */
static char *
conf_read(char *str, int num, void *arg)
{
	struct ctx *c = arg;
	ssize_t     n;
	size_t      len, i, max;
	char       *s;

	conf_unhandled(c);
	if (num < 3)
		return NULL;
	errno = 0;
	if ((n = getline(&c->lbuf, &c->lbufsz, c->fp)) == -1) {
		if (ferror(c->fp)) {
			if (errno == ENOMEM)
				c->nomem = 1;
			else
				conf_err(c, 0, "%s", strerror(errno ? errno : EIO));
		}
		return NULL;
	}
	c->line++;
	s = c->lbuf;
	len = (size_t)n;
	if (len > 0 && s[len - 1] == '\n')
		len--;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (c->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		len -= 3;
	}
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7F) {
			conf_err(c, c->line, "control character 0x%02X in line", ch);
			goto blank;
		}
	}
	if (!utf8_valid((unsigned char *)s, len)) {
		conf_err(c, c->line, "invalid UTF-8");
		goto blank;
	}
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	while (len > 0 && is_blank(*s)) {
		s++;
		len--;
	}
	s[len] = '\0';
	if (len == 0 || *s == ';' || *s == '#')
		goto blank;
	if (*s == '[') {
		conf_section(c, s);
		goto blank;
	}
	max = (size_t)num - 2 < CONFIG_LINE_MAX ? (size_t)num - 2 : CONFIG_LINE_MAX;
	if (len > max) {
		conf_err(c, c->line, "line too long (%zu bytes, at most %zu)", len, max);
		goto blank;
	}
	/* With its newline, as fgets would: inih in its heap mode reads on
	 * until it sees one. */
	memcpy(str, s, len);
	memcpy(str + len, "\n", 2);
	c->pending = 1;
	return str;
blank:
	memcpy(str, "\n", 2);
	return str;
}


static int
cerr_cmp(const void *a, const void *b)
{
	const struct cerr *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Writes the messages to err, sorted by line: as many whole lines as fit
 * with, when some do not, room left for a last line that counts them. */
static void
conf_report(struct ctx *c, char *err, size_t errsz)
{
	struct buf b;
	size_t     used = 0, i, left, room;

	if (errsz == 0)
		return;
	err[0] = '\0';
	if (c->nomem) {
		snprintf(err, errsz, "%s: out of memory", c->path);
		return;
	}
	qsort(c->errs, c->nerrs, sizeof(*c->errs), cerr_cmp);
	room = strlen(c->path) + sizeof("\n: and 18446744073709551615 more errors");
	buf_init(&b, 0);
	for (i = 0; i < c->nerrs; i++) {
		struct cerr *e = &c->errs[i];

		buf_reset(&b);
		if (e->line)
			buf_printf(&b, "%s%s:%u: %s", used ? "\n" : "", c->path, e->line, e->msg);
		else
			buf_printf(&b, "%s%s: %s", used ? "\n" : "", c->path, e->msg);
		if (b.data == NULL)
			break;
		left = c->nerrs - i - 1 + c->nlost; /* after this one */
		if (used + b.len + (left ? room : 0) >= errsz) {
			if (used == 0) /* not even one: cut it */
				strlcpy_g(err, b.data, errsz);
			break;
		}
		memcpy(err + used, b.data, b.len + 1);
		used += b.len;
	}
	left = c->nerrs - i + c->nlost;
	if (left > 0 && used > 0) {
		buf_reset(&b);
		buf_printf(&b, "\n%s: and %zu more error%s", c->path, left, left == 1 ? "" : "s");
		if (b.data != NULL && used + b.len < errsz)
			memcpy(err + used, b.data, b.len + 1);
	}
	buf_free(&b);
}

static int
conf_defaults(struct config *cf, const char *path)
{
	cf->interval = 30 * 60;
	cf->min_interval = 10 * 60;
	cf->max_interval = 24 * 3600;
	cf->timeout = 60;
	cf->connect_timeout = 10;
	cf->max_body = INT64_C(16) << 20;
	cf->max_connections = 32;
	cf->max_host_connections = 2;
	cf->full_text = 1;
	cf->allow_private = 0;
	cf->max_age = 0;
	cf->max_items = 0;
	cf->log_level = LOG_INFO_;
	cf->article_host_delay = 1;
	cf->article_host_connections = 1;
	if ((cf->path = strdup(path)) == NULL || (cf->database = strdup(DEF_DATABASE)) == NULL ||
	    (cf->control_socket = strdup(DEF_SOCKET)) == NULL ||
	    (cf->user_agent = strdup(DEF_USER_AGENT)) == NULL)
		return -1;
	return 0;
}

struct config *
config_load(const char *path, char *err, size_t errsz)
{
	struct ctx     c;
	struct config *cf;
	struct stat    st;
	size_t         i;
	int            saved, r;

	memset(&c, 0, sizeof(c));
	c.path = path;
	if (errsz > 0)
		err[0] = '\0';
	if ((cf = calloc(1, sizeof(*cf))) == NULL) {
		c.nomem = 1;
		goto err;
	}
	c.cf = cf;
	if (conf_defaults(cf, path) == -1) {
		c.nomem = 1;
		goto err;
	}
	if ((c.fp = fopen(path, "re")) == NULL) {
		conf_err(&c, 0, "%s", strerror(errno));
		goto err;
	}
	if (fstat(fileno(c.fp), &st) == -1) {
		conf_err(&c, 0, "%s", strerror(errno));
		goto err;
	}
	if (S_ISDIR(st.st_mode)) {
		conf_err(&c, 0, "%s", strerror(EISDIR));
		goto err;
	}
	if ((c.dir = conf_dir(path)) == NULL) {
		c.nomem = 1;
		goto err;
	}

	saved = ini_max_line;
	if (ini_max_line < CONF_INI_LINE)
		ini_max_line = CONF_INI_LINE;
	r = ini_parse_stream(conf_read, &c, conf_handler, &c);
	ini_max_line = saved;
	conf_unhandled(&c);
	if (r == -2)
		c.nomem = 1;
	else if (r != 0 && c.nerrs == 0 && c.nlost == 0)
		conf_err(&c, r > 0 ? (unsigned)r : 0, "syntax error");
	conf_finish(&c);

	if (c.nerrs == 0 && c.nlost == 0 && !c.nomem)
		goto out;
err:
	conf_report(&c, err, errsz);
	config_free(cf);
	cf = NULL;
out:
	if (c.fp != NULL)
		fclose(c.fp);
	for (i = 0; i < c.nerrs; i++)
		free(c.errs[i].msg);
	free(c.errs);
	free(c.lbuf);
	free(c.dir);
	free(c.url_line);
	return cf;
}

static void
free_list(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void
config_free(struct config *cf)
{
	size_t i;

	if (cf == NULL)
		return;
	for (i = 0; i < cf->nfeeds; i++) {
		struct config_feed *f = &cf->feeds[i];

		free(f->name);
		free(f->url);
		free(f->title);
		free_list(f->tags, f->ntags);
		free(f->user_agent);
		free(f->proxy);
		free(f->username);
		free(f->password);
		free_list(f->headers, f->nheaders);
	}
	free(cf->feeds);
	for (i = 0; i < cf->nsites; i++) {
		free(cf->sites[i].host);
		free(cf->sites[i].content);
		free(cf->sites[i].remove);
	}
	free(cf->sites);
	free(cf->path);
	free(cf->database);
	free(cf->control_socket);
	free(cf->user_agent);
	free(cf);
}
