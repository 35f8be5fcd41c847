/*
 * cmd_control.c: glean refresh [FEED] [--wait], glean status, glean reload:
 * requests to a running gleanerd over its control socket (see
 * daemon/control.c for the protocol).  Reading with glean never needs the
 * daemon; these three do.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_SOCKET "/run/gleaner/control.sock"

/* The socket: --socket, then -c CONFIG's control_socket, then
 * $GLEANER_SOCKET, then the system service's. */
static int
socket_path(const char *opt, char *out, size_t outsz)
{
	const char *env = getenv("GLEANER_SOCKET");

	if (opt) {
		strlcpy_g(out, opt, outsz);
		return 0;
	}
	if (cli_g.config) {
		char           err[4096];
		struct config *cfg = config_load(cli_g.config, err, sizeof(err));

		if (cfg == NULL) {
			fprintf(stderr, "%s", err);
			return -1;
		}
		strlcpy_g(out, cfg->control_socket, outsz);
		config_free(cfg);
		return 0;
	}
	strlcpy_g(out, env && *env ? env : DEFAULT_SOCKET, outsz);
	return 0;
}

/* Sends one request and hands each reply line to the caller's printer.
 * Returns EXIT_OK, or EXIT_NOMATCH when gleanerd says error or a feed
 * failed, or EXIT_DB when gleanerd cannot be reached. */
/* glean status --json: the daemon's "KEY N" lines as numbers, "next
 * WHEN URL" and "polling URL" lines as arrays. */
struct status_json {
	FILE  *obj, *next, *polling;
	char  *objb, *nextb, *pollingb;
	size_t objn, nextn, pollingn;
};

static int
status_json_begin(struct status_json *j)
{
	memset(j, 0, sizeof(*j));
	j->obj = open_memstream(&j->objb, &j->objn);
	j->next = open_memstream(&j->nextb, &j->nextn);
	j->polling = open_memstream(&j->pollingb, &j->pollingn);
	return j->obj && j->next && j->polling ? 0 : -1;
}

static void
status_json_line(struct status_json *j, const char *line)
{
	const char *sp = strchr(line, ' ');
	char       *end;
	long long   v;

	if (sp == NULL)
		return;
	if (!strncmp(line, "next ", 5)) {
		const char *url = strchr(sp + 1, ' ');

		if (url == NULL)
			return;
		fprintf(j->next, "%s{\"at\":\"%.*s\",\"url\":", ftell(j->next) ? "," : "",
			(int)(url - sp - 1), sp + 1);
		json_put_string(j->next, url + 1);
		fputc('}', j->next);
	} else if (!strncmp(line, "polling ", 8)) {
		if (ftell(j->polling))
			fputc(',', j->polling);
		json_put_string(j->polling, sp + 1);
	} else if ((v = strtoll(sp + 1, &end, 10), *end == '\0' && end != sp + 1)) {
		fprintf(j->obj, "%s\"%.*s\":%lld", ftell(j->obj) ? "," : "", (int)(sp - line), line, v);
	}
}

static void
status_json_end(struct status_json *j, int print)
{
	if (j->obj)
		fclose(j->obj);
	if (j->next)
		fclose(j->next);
	if (j->polling)
		fclose(j->polling);
	if (print && j->objb && j->nextb && j->pollingb)
		printf("{%s%s\"next\":[%s],\"polling\":[%s]}\n", j->objb, j->objn ? "," : "",
		       j->nextb, j->pollingb);
	free(j->objb);
	free(j->nextb);
	free(j->pollingb);
}

static int
request(const char *path, const char *req, int progress, int json)
{
	struct status_json sj;
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	FILE              *fp;
	char               line[4096];
	int                fd, rc = EXIT_OK, total = 0, seen = 0, arts = 0;
	int                tty = progress && cli_terminal();

	if (strlen(path) >= sizeof(sun.sun_path)) {
		cli_err("%s: socket path too long", path);
		return EXIT_USAGE;
	}
	strlcpy_g(sun.sun_path, path, sizeof(sun.sun_path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		cli_err("cannot reach gleanerd at %s: %s (is it running? -c or --socket name "
			"another socket)", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return EXIT_DB;
	}
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req) || write(fd, "\n", 1) != 1 ||
	    (fp = fdopen(fd, "r")) == NULL) {
		cli_err("%s: %s", path, strerror(errno));
		close(fd);
		return EXIT_DB;
	}
	if (json && status_json_begin(&sj) != 0) {
		status_json_end(&sj, 0);
		fclose(fp);
		cli_err("out of memory");
		return EXIT_DB;
	}
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "error:", 6)) {
			cli_err("gleanerd: %s", line + 7);
			rc = EXIT_NOMATCH;
		} else if (!strcmp(line, "ok") || !strcmp(line, "done")) {
			continue;
		} else if (json) {
			status_json_line(&sj, line);
		} else if (!strncmp(line, "ok ", 3)) {
			total = atoi(line + 3);
			if (!progress || total == 0)
				printf("%s\n", line + 3);
		} else if (!strncmp(line, "failed article ", 15)) {
			/* refresh --wait: an article fetched but not stored */
			cli_err("%s", line + 7);
			rc = EXIT_NOMATCH;
		} else if (!strncmp(line, "failed ", 7)) {
			seen++;
			if (tty)
				fprintf(stderr, "\r\033[K");
			cli_err("%s", line + 7);
			rc = EXIT_NOMATCH;
		} else if (!strncmp(line, "article ", 8)) {
			/* refresh --wait: the polls are done, their articles follow */
			if (tty && seen && !arts)
				fprintf(stderr, "\r\033[K%d feeds polled\n", seen);
			arts++;
			printf("%s\n", line);
			fflush(stdout);
		} else if (!strncmp(line, "polled ", 7)) {
			seen++;
			if (tty)
				fprintf(stderr, "\r\033[K[%d/%d] %.*s", seen, total, cli_term_cols() - 12,
					line + 7);
			else
				printf("%s\n", line + 7);
		} else {
			printf("%s\n", line);
		}
	}
	if (tty && seen && !arts)
		fprintf(stderr, "\r\033[K%d feeds polled\n", seen);
	if (json)
		status_json_end(&sj, rc == EXIT_OK);
	fclose(fp);
	return rc;
}

static int
control_cmd(int argc, char **argv, const char *verb)
{
	static const struct option opts[] = {
		{"socket", required_argument, NULL, 's'},
		{"wait", no_argument, NULL, 'w'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *sock = NULL;
	char        path[512], req[1024];
	int         c, wait = 0, json = 0, refresh = !strcmp(verb, "refresh");
	int         status = !strcmp(verb, "status");

	cli_cmdname(argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:wjh", opts, NULL)) != -1) {
		switch (c) {
		case 's': sock = optarg; break;
		case 'j':
			if (!status)
				goto usage;
			json = 1;
			break;
		case 'w':
			if (!refresh)
				goto usage;
			wait = 1;
			break;
		case 'h':
			printf("usage: glean %s%s [--socket PATH]\n", verb,
			       refresh ? " [FEED] [--wait]" : status ? " [--json]" : "");
			printf(refresh ? "  asks gleanerd to poll every enabled feed, or FEED, now;\n"
					 "  --wait prints each result and returns when all are stored, with\n"
					 "         the articles of the new items (those due now)\n"
			       : status ? "  what gleanerd is doing: transfers, queue, next polls;\n"
					  "  --json: one object, the counts as numbers, next and polling as arrays\n"
							 : "  makes gleanerd reload its configuration\n");
			return EXIT_OK;
		default: goto usage;
		}
	}
	if (argc - optind > (refresh ? 1 : 0))
		goto usage;
	if (socket_path(sock, path, sizeof(path)) == -1)
		return EXIT_USAGE;
	snprintf(req, sizeof(req), "%s%s%s%s", verb, wait ? " --wait" : "",
		 refresh && optind < argc ? " " : "", refresh && optind < argc ? argv[optind] : "");
	if (strchr(req, '\n')) {
		cli_err("%s: a feed name cannot hold a newline", verb);
		return EXIT_USAGE;
	}
	return request(path, req, wait, json);
usage:
	fprintf(stderr, "usage: glean %s%s [--socket PATH]\n", verb,
		refresh ? " [FEED] [--wait]" : status ? " [--json]" : "");
	return EXIT_USAGE;
}

int
cli_daemon_request(const char *req, int wait)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	char               path[512];
	int                fd, rc = -1;
	const char        *env = getenv("GLEANER_SOCKET");

	if (cli_g.config) {
		if (socket_path(NULL, path, sizeof(path)) == -1)
			return -1;
	} else {
		strlcpy_g(path, env && *env ? env : DEFAULT_SOCKET, sizeof(path));
	}
	if (strlen(path) >= sizeof(sun.sun_path))
		return -1;
	strlcpy_g(sun.sun_path, path, sizeof(sun.sun_path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 &&
	    write(fd, req, strlen(req)) == (ssize_t)strlen(req) && write(fd, "\n", 1) == 1) {
		FILE *fp;
		char  line[1024];

		rc = 0;
		if (!wait) {
			(void)read(fd, line, sizeof(line)); /* "ok ..." */
		} else if ((fp = fdopen(fd, "r")) != NULL) {
			while (fgets(line, sizeof(line), fp))
				if (strncmp(line, "ok", 2) != 0 && strcmp(line, "done\n") != 0)
					fputs(line, stdout);
			fclose(fp);
			return 0;
		}
	}
	close(fd);
	return rc;
}

/* Best effort, silent: asks a running gleanerd (if any, at the usual
 * socket) to load and poll FEED now. */
void
cli_notify_daemon(const char *feed)
{
	char req[128];

	snprintf(req, sizeof(req), "refresh %s", feed);
	(void)cli_daemon_request(req, 0);
}

int
cmd_refresh(int argc, char **argv)
{
	return control_cmd(argc, argv, "refresh");
}

int
cmd_status(int argc, char **argv)
{
	return control_cmd(argc, argv, "status");
}

int
cmd_reload(int argc, char **argv)
{
	return control_cmd(argc, argv, "reload");
}
