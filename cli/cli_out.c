/*
 * cli_out.c: output for people (pager, colour, times, columns, wrapping)
 * and the JSON pieces the subcommands share.
 *
 * Paged output is written to a temporary file first and handed to the
 * pager once the database reads are over: a person reading in less must
 * not hold a read transaction open (it would pin the WAL).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int
cli_terminal(void)
{
	return isatty(STDOUT_FILENO);
}

int
cli_color(void)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc && *nc)
		return 0;
	if (term && !strcmp(term, "dumb"))
		return 0;
	return cli_terminal();
}

static const char *
pager_cmd(void)
{
	const char *p = getenv("PAGER");

	if (p == NULL)
		return "less -FRX";
	if (*p == '\0' || !strcmp(p, "cat"))
		return NULL;
	return p;
}

FILE *
cli_pager_begin(void)
{
	FILE *tmp;

	if (!cli_terminal() || pager_cmd() == NULL)
		return stdout;
	if ((tmp = tmpfile()) == NULL)
		return stdout;
	return tmp;
}

int
cli_pager_end(FILE *fp)
{
	FILE  *p;
	char   chunk[65536];
	size_t n;
	int    rc = 0;

	if (fp == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cli_err("write error: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	rewind(fp);
	fflush(stdout);
	setenv("LESS", "FRX", 0);
	signal(SIGPIPE, SIG_IGN); /* quitting the pager early is no error */
	if ((p = popen(pager_cmd(), "w")) == NULL)
		p = stdout;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (fwrite(chunk, 1, n, p) != n)
			break;
	fclose(fp);
	if (p != stdout)
		rc = pclose(p) == -1 ? -1 : 0;
	else
		fflush(stdout);
	return rc;
}

static void
ago(int64_t d, char *out, size_t outsz, const char *pre, const char *post)
{
	if (d < 10 && *post)
		snprintf(out, outsz, "just now");
	else if (d < 60)
		snprintf(out, outsz, "%s%lld s%s", pre, (long long)d, post);
	else if (d < 3600)
		snprintf(out, outsz, "%s%lld min%s", pre, (long long)(d / 60), post);
	else if (d < 86400)
		snprintf(out, outsz, "%s%lld h%s", pre, (long long)(d / 3600), post);
	else
		snprintf(out, outsz, "%s%lld day%s%s", pre, (long long)(d / 86400),
			 d / 86400 == 1 ? "" : "s", post);
}

void
cli_reltime(int64_t t, int64_t now, char *out, size_t outsz)
{
	if (t == DATE_NONE)
		snprintf(out, outsz, "never");
	else if (now - t > 30 * 86400 || t - now > 30 * 86400)
		cli_date(t, out, outsz);
	else if (t <= now)
		ago(now - t, out, outsz, "", " ago");
	else
		ago(t - now, out, outsz, "in ", "");
}

void
cli_datetime(int64_t t, char *out, size_t outsz)
{
	struct tm tm;
	time_t	  tt = (time_t)t;

	if (t == DATE_NONE || localtime_r(&tt, &tm) == NULL ||
	    strftime(out, outsz, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(out, outsz, "-");
}

void
cli_date(int64_t t, char *out, size_t outsz)
{
	struct tm tm;
	time_t	  tt = (time_t)t;

	if (t == DATE_NONE || localtime_r(&tt, &tm) == NULL ||
	    strftime(out, outsz, "%Y-%m-%d", &tm) == 0)
		snprintf(out, outsz, "-");
}

void
cli_duration(int64_t secs, char *out, size_t outsz)
{
	if (secs <= 0)
		snprintf(out, outsz, "default");
	else if (secs % 86400 == 0)
		snprintf(out, outsz, "%lldd", (long long)(secs / 86400));
	else if (secs % 3600 == 0)
		snprintf(out, outsz, "%lldh", (long long)(secs / 3600));
	else if (secs % 60 == 0)
		snprintf(out, outsz, "%lldm", (long long)(secs / 60));
	else
		snprintf(out, outsz, "%llds", (long long)secs);
}

void
cli_json_date(FILE *fp, int64_t t)
{
	char d[21];

	if (t == DATE_NONE) {
		fputs("null", fp);
		return;
	}
	date_format(t, d);
	fprintf(fp, "\"%s\"", d);
}

void
cli_json_int(FILE *fp, int64_t v, int known)
{
	if (known)
		fprintf(fp, "%lld", (long long)v);
	else
		fputs("null", fp);
}

void
cli_json_raw(FILE *fp, const char *json, const char *dflt)
{
	fputs(json && *json ? json : dflt, fp);
}

size_t
cli_width(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Byte length of the first n code points of s. */
static size_t
cp_bytes(const char *s, size_t n)
{
	size_t i = 0;

	while (s[i] && n > 0) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		n--;
	}
	return i;
}

void
cli_put_col(FILE *fp, const char *s, size_t width)
{
	size_t w;

	if (s == NULL)
		s = "";
	w = cli_width(s);
	if (w > width && width > 0) {
		fwrite(s, 1, cp_bytes(s, width - 1), fp);
		fputs("…", fp);
		return;
	}
	fputs(s, fp);
	for (; w < width; w++)
		fputc(' ', fp);
}

int
cli_term_cols(void)
{
	struct winsize ws;
	const char    *c = getenv("COLUMNS");
	long	       n;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	n = c ? strtol(c, NULL, 10) : 0;
	if (n > 0 && n < 10000)
		return (int)n;
	return 80;
}

void
cli_put_wrapped(FILE *fp, const char *indent, const char *s, int width)
{
	size_t	    col, ind = cli_width(indent), wlen, wbytes;
	const char *p = s, *w;

	if (width <= 0 || (size_t)width <= ind + 10) {
		fprintf(fp, "%s%s\n", indent, s);
		return;
	}
	fputs(indent, fp);
	col = ind;
	while (*p) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (w = p; *w && *w != ' '; w++)
			;
		wbytes = (size_t)(w - p);
		wlen = 0;
		for (const char *q = p; q < w; q++)
			wlen += ((unsigned char)*q & 0xC0) != 0x80;
		if (col > ind && col + 1 + wlen > (size_t)width) {
			fprintf(fp, "\n%s", indent);
			col = ind;
		} else if (col > ind) {
			fputc(' ', fp);
			col++;
		}
		fwrite(p, 1, wbytes, fp);
		col += wlen;
		p = w;
	}
	fputc('\n', fp);
}
