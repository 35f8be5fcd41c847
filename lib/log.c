/*
 * log.c: logging to stderr.  With prefix on (the daemon under systemd),
 * each line starts with an sd-daemon priority ("<4>") that journald reads.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gleaner.h"

static const char *log_prog = "gleaner";
static int log_level = LOG_INFO_;
static int log_prefix;

void
log_init(const char *progname, int level, int prefix)
{
	log_prog = progname;
	log_level = level;
	log_prefix = prefix;
}

static void
vlog(int prio, const char *fmt, va_list ap, const char *err)
{
	if (prio > log_level)
		return;
	if (log_prefix)
		fprintf(stderr, "<%d>", prio);
	else
		fprintf(stderr, "%s: ", log_prog);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", err);
	fputc('\n', stderr);
}

void
log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(prio, fmt, ap, NULL);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING_, fmt, ap, NULL);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	const char *e = strerror(errno);
	va_list     ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING_, fmt, ap, e);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO_, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_DEBUG_, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	const char *e = strerror(errno);
	va_list     ap;

	va_start(ap, fmt);
	vlog(LOG_ERR_, fmt, ap, e);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR_, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
