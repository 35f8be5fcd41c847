/*
 * cli_util.c: finding and opening the database, messages, and the argument
 * types the subcommands share (ids, counts, durations, dates, tags).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define SYSTEM_DB "/var/lib/gleaner/gleaner.db"

void
cli_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("glean: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized): va_start above */
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_cmdname(char **argv)
{
	static char name[64];

	snprintf(name, sizeof(name), "glean: %s", argv[0]);
	argv[0] = name;
}

/* "~/x" is under $HOME. */
static void
expand_home(const char *p, char *out, size_t outsz)
{
	const char *home = getenv("HOME");

	if (p[0] == '~' && p[1] == '/' && home && *home)
		snprintf(out, outsz, "%s%s", home, p + 1);
	else
		strlcpy_g(out, p, outsz);
}

/* mkdir -p of the folders above path. */
static int
make_parents(const char *path)
{
	char  dir[1024];
	char *p;

	strlcpy_g(dir, path, sizeof(dir));
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(dir, 0700) == -1 && errno != EEXIST ? -1 : 0;
}

int
cli_db_path(int mode, char *out, size_t outsz)
{
	const char *env, *home;
	char	    base[1024];

	if (cli_g.db) {
		strlcpy_g(out, cli_g.db, outsz);
		return 0;
	}
	if (cli_g.config) {
		/* The daemon's own parser: the same defaults, the same relative
		 * paths, the same FILE:LINE errors. */
		char           err[4096];
		struct config *cfg = config_load(cli_g.config, err, sizeof(err));

		if (cfg == NULL) {
			fprintf(stderr, "%s%s", err, err[0] && err[strlen(err) - 1] != '\n' ? "\n" : "");
			return -1;
		}
		strlcpy_g(out, cfg->database, outsz);
		config_free(cfg);
		return 0;
	}
	if ((env = getenv("GLEANER_DB")) != NULL && *env) {
		expand_home(env, out, outsz);
		return 0;
	}
	if (access(SYSTEM_DB, R_OK) == 0) {
		strlcpy_g(out, SYSTEM_DB, outsz);
		return 0;
	}
	if ((env = getenv("XDG_DATA_HOME")) != NULL && env[0] == '/') {
		strlcpy_g(base, env, sizeof(base));
	} else if ((home = getenv("HOME")) != NULL && *home) {
		snprintf(base, sizeof(base), "%s/.local/share", home);
	} else {
		cli_err("no database: give --db PATH or set GLEANER_DB (HOME is not set)");
		return -1;
	}
	snprintf(out, outsz, "%s/gleaner/gleaner.db", base);
	if (mode == CLI_CREATE && make_parents(out) == -1) {
		cli_err("%s: cannot create its folder: %s", out, strerror(errno));
		return -1;
	}
	return 0;
}

int
cli_open(struct store **s, int mode)
{
	static const int flags[] = {
	    [CLI_READ] = STORE_RDONLY, [CLI_WRITE] = 0, [CLI_CREATE] = STORE_CREATE};
	char path[1024], err[2048];

	*s = NULL;
	if (cli_db_path(mode, path, sizeof(path)) == -1)
		return cli_g.config ? EXIT_USAGE : EXIT_DB;
	if (store_open(s, path, flags[mode], err, sizeof(err)) != STORE_OK) {
		if (strncmp(err, path, strlen(path)) == 0)
			cli_err("%s", err);
		else
			cli_err("%s: %s", path, err);
		return EXIT_DB;
	}
	return EXIT_OK;
}

int
cli_store_fail(struct store *s, int rc)
{
	cli_err("%s", store_errmsg(s));
	switch (rc) {
	case STORE_NOTFOUND:
	case STORE_EXISTS:
		return EXIT_NOMATCH;
	case STORE_INVALID:
		return EXIT_USAGE;
	default:
		return EXIT_DB;
	}
}

void
cli_busy_wait(int attempt)
{
	struct timespec ts = {0, 100000000L * attempt};

	nanosleep(&ts, NULL);
}

int
cli_parse_count(const char *s, int64_t *out)
{
	char	 *end;
	long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

int
cli_parse_id(const char *s, int64_t *out)
{
	return cli_parse_count(s, out) == 0 && *out > 0 ? 0 : -1;
}

int
cli_parse_duration(const char *s, int64_t *secs)
{
	char	 *end;
	long long v, unit = 1;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || v <= 0)
		return -1;
	switch (*end) {
	case '\0':
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	case 'w':
		unit = 7 * 86400;
		break;
	default:
		return -1;
	}
	if (*end && end[1] != '\0')
		return -1;
	if (v > INT64_MAX / unit / 2)
		return -1;
	*secs = v * unit;
	return 0;
}

int
cli_parse_since(const char *s, int64_t *t)
{
	int64_t d;

	if (cli_parse_duration(s, &d) == 0) {
		*t = store_now() - d;
		return 0;
	}
	return date_parse(s, strlen(s), t);
}

int
cli_add_tags(char ***tags, size_t *ntags, const char *arg)
{
	const char *p = arg, *e, *end;
	char	  **v;
	size_t	    i;

	while (*p) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		for (e = end; e > p && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (e > p) {
			for (i = 0; i < *ntags; i++)
				if (strlen((*tags)[i]) == (size_t)(e - p) &&
				    !strncmp((*tags)[i], p, e - p))
					break;
			if (i == *ntags) {
				if ((v = realloc(*tags, (*ntags + 1) * sizeof(*v))) == NULL)
					return -1;
				*tags = v;
				if ((v[*ntags] = xstrndup(p, (size_t)(e - p))) == NULL)
					return -1;
				(*ntags)++;
			}
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

void
cli_free_tags(char **tags, size_t ntags)
{
	size_t i;

	for (i = 0; i < ntags; i++)
		free(tags[i]);
	free(tags);
}
