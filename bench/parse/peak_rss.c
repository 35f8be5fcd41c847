/*
 * peak_rss.c: run a command and report its peak resident set size and CPU
 * time, like /usr/bin/time -f '%M %U %S' but with a known output format.
 *
 *   peak_rss CMD [ARG...]
 *
 * The command's stdin is inherited and its stdout goes to /dev/null; the
 * report is this program's stdout, one line:
 *   peak_rss: maxrss_kb=... cpu_s=... wall_s=... rc=... launcher_kb=...
 *
 * Why not Python's wait4(): Linux carries the forking process's peak RSS over
 * into the child's ru_maxrss, so a child forked from Python starts at ~10 MB.
 * This launcher is small (about 1.3 MB; launcher_kb is its own peak, for
 * scale), so the figure is close to the command's own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage   ru, self;
	struct timespec t0, t1;
	pid_t           pid;
	int             status, rc;

	if (argc < 2) {
		fprintf(stderr, "usage: peak_rss CMD [ARG...]\n");
		return 2;
	}
	getrusage(RUSAGE_SELF, &self);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1) {
		perror("peak_rss: fork");
		return 2;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd == -1 || dup2(fd, 1) == -1)
			_exit(127);
		close(fd);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "peak_rss: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) == -1)
		if (errno != EINTR) {
			perror("peak_rss: wait4");
			return 2;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("peak_rss: maxrss_kb=%ld cpu_s=%.4f wall_s=%.4f rc=%d launcher_kb=%ld\n", ru.ru_maxrss,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, rc,
	       self.ru_maxrss);
	return rc;
}
