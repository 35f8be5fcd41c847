/*
 * parse_bench.c: parse throughput and peak memory of Gleaner's feed parser.
 *
 *   parse_bench [--repeat N] [--chunk BYTES] FILE_OR_DIR...
 *   parse_bench [--repeat N] [--chunk BYTES] --stream-file FILE
 *
 * The first form loads every file (directories recursively, MANIFEST.tsv and
 * *.md skipped) into memory, then parses each one N times with the streaming
 * API (feed_parser_new / feed_parser_feed in chunks / feed_parser_finish),
 * the way the daemon does with network reads.  Items go to a callback that
 * counts them and lets the parser free them (keep_items = 0), so nothing
 * accumulates.  Only the parse loop is timed: CPU time of the process
 * (CLOCK_PROCESS_CPUTIME_ID) and wall time (CLOCK_MONOTONIC).  MB is 10^6 bytes.
 *
 * The second form reads FILE from disk in chunks as it parses it (nothing is
 * preloaded), to show that the parser's memory does not grow with the feed.
 *
 * The last line is for scripts:
 *   parse_bench: bytes=... cpu_s=... mbps=... items=... maxrss_kb=... [more]
 * mbps is bytes / cpu_s over the whole loop; mbps_med and mbps_best are the
 * median and best of the N passes over the corpus.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gleaner.h"

#define DEFAULT_CHUNK 65536

struct file {
	char  *path;
	char  *data;
	size_t len;
};

static struct file *files;
static size_t       nfiles, capfiles;

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		fprintf(stderr, "parse_bench: out of memory\n");
		exit(2);
	}
	return p;
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

static double
now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int
skip_name(const char *name)
{
	size_t n = strlen(name);

	if (!strcmp(name, "MANIFEST.tsv"))
		return 1;
	return n >= 3 && !strcmp(name + n - 3, ".md");
}

static int
load_file(const char *path, struct file *f)
{
	struct stat st;
	size_t      got = 0;
	int         fd = open(path, O_RDONLY);

	if (fd == -1 || fstat(fd, &st) == -1) {
		fprintf(stderr, "parse_bench: %s: %s\n", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	f->path = xstrdup(path);
	f->len = (size_t)st.st_size;
	f->data = xmalloc(f->len);
	while (got < f->len) {
		ssize_t r = read(fd, f->data + got, f->len - got);

		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "parse_bench: %s: %s\n", path,
				r == 0 ? "file shrank while reading" : strerror(errno));
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds path (a file, or a directory walked in sorted order). */
static int
add_path(const char *path, int top)
{
	struct stat st;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "parse_bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR           *d = opendir(path);
		struct dirent *de;
		char         **names = NULL;
		size_t         n = 0, cap = 0, i;
		int            rc = 0;

		if (d == NULL) {
			fprintf(stderr, "parse_bench: %s: %s\n", path, strerror(errno));
			return -1;
		}
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' || skip_name(de->d_name))
				continue;
			if (n == cap) {
				char **nn;

				cap = cap ? cap * 2 : 64;
				if ((nn = realloc(names, cap * sizeof(*nn))) == NULL) {
					fprintf(stderr, "parse_bench: out of memory\n");
					exit(2);
				}
				names = nn;
			}
			names[n] = xmalloc(strlen(path) + strlen(de->d_name) + 2);
			sprintf(names[n], "%s/%s", path, de->d_name);
			n++;
		}
		closedir(d);
		qsort(names, n, sizeof(*names), cmp_name);
		for (i = 0; i < n; i++) {
			if (rc == 0 && add_path(names[i], 0) == -1)
				rc = -1;
			free(names[i]);
		}
		free(names);
		return rc;
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	if (!top) {
		const char *base = strrchr(path, '/');

		if (skip_name(base ? base + 1 : path))
			return 0;
	}
	if (nfiles == capfiles) {
		struct file *nf;

		capfiles = capfiles ? capfiles * 2 : 256;
		if ((nf = realloc(files, capfiles * sizeof(*nf))) == NULL) {
			fprintf(stderr, "parse_bench: out of memory\n");
			exit(2);
		}
		files = nf;
	}
	if (load_file(path, &files[nfiles]) == -1)
		return -1;
	nfiles++;
	return 0;
}

struct counts {
	unsigned long long items;
	unsigned long      docs, bozo, not_feed, stopped;
};

static int
on_item(void *ud, struct feed *f, struct feed_item *it)
{
	struct counts *c = ud;

	(void)f;
	(void)it;
	c->items++;
	return 0; /* the parser frees it (keep_items = 0) */
}

static struct feed_parser *
parser_new(struct counts *c)
{
	struct feed_parser_opts opts;
	struct feed_parser     *p;

	memset(&opts, 0, sizeof(opts));
	opts.on_item = on_item;
	opts.ud = c;
	opts.keep_items = 0;
	if ((p = feed_parser_new(&opts)) == NULL) {
		fprintf(stderr, "parse_bench: feed_parser_new failed\n");
		exit(2);
	}
	return p;
}

static void
parser_end(struct feed_parser *p, struct counts *c)
{
	struct feed *f = feed_parser_finish(p);

	feed_parser_free(p);
	c->docs++;
	if (f == NULL)
		return;
	c->bozo += f->bozo != 0;
	c->not_feed += f->not_a_feed != 0;
	feed_free(f);
}

static void
parse_buffer(const char *data, size_t len, size_t chunk, struct counts *c)
{
	struct feed_parser *p = parser_new(c);
	size_t              off = 0;

	while (off < len) {
		size_t n = len - off < chunk ? len - off : chunk;

		if (feed_parser_feed(p, data + off, n) == -1) {
			c->stopped++;
			break;
		}
		off += n;
	}
	parser_end(p, c);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: parse_bench [--repeat N] [--chunk BYTES] FILE_OR_DIR...\n"
		    "       parse_bench [--repeat N] [--chunk BYTES] --stream-file FILE\n"
		    "  --repeat N        parse everything N times (default 1)\n"
		    "  --chunk BYTES     bytes per feed_parser_feed call (default 65536; 0: whole file)\n"
		    "  --stream-file F   read F from disk in chunks while parsing (no preload)\n");
}

static int
stream_file(const char *path, size_t chunk, long repeat)
{
	struct counts c;
	char         *buf;
	unsigned long long bytes = 0;
	double        c0, w0, cpu, wall;
	long          rss0 = maxrss_kb(), r;

	if (chunk == 0)
		chunk = DEFAULT_CHUNK;
	memset(&c, 0, sizeof(c));
	buf = xmalloc(chunk);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	w0 = now(CLOCK_MONOTONIC);
	for (r = 0; r < repeat; r++) {
		struct feed_parser *p;
		int                 fd = open(path, O_RDONLY);
		ssize_t             n;

		if (fd == -1) {
			fprintf(stderr, "parse_bench: %s: %s\n", path, strerror(errno));
			return 2;
		}
		p = parser_new(&c);
		while ((n = read(fd, buf, chunk)) != 0) {
			if (n == -1) {
				if (errno == EINTR)
					continue;
				fprintf(stderr, "parse_bench: %s: %s\n", path, strerror(errno));
				return 2;
			}
			bytes += (unsigned long long)n;
			if (feed_parser_feed(p, buf, (size_t)n) == -1) {
				c.stopped++;
				break;
			}
		}
		close(fd);
		parser_end(p, &c);
	}
	cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
	wall = now(CLOCK_MONOTONIC) - w0;
	free(buf);
	printf("stream-file %s: %llu bytes x%ld in %zu-byte reads, %llu items, "
	       "bozo %lu, stopped %lu\n",
	       path, bytes / (unsigned long long)repeat, repeat, chunk, c.items, c.bozo, c.stopped);
	printf("  cpu %.3f s, wall %.3f s, %.1f MB/s (cpu); peak RSS %ld KiB (at start %ld KiB)\n",
	       cpu, wall, (double)bytes / 1e6 / cpu, maxrss_kb(), rss0);
	printf("parse_bench: bytes=%llu cpu_s=%.4f mbps=%.2f items=%llu maxrss_kb=%ld "
	       "wall_s=%.4f rss_start_kb=%ld mode=stream\n",
	       bytes, cpu, (double)bytes / 1e6 / cpu, c.items, maxrss_kb(), wall, rss0);
	return 0;
}

int
main(int argc, char **argv)
{
	const char        *stream = NULL;
	long               repeat = 1, r;
	size_t             chunk = DEFAULT_CHUNK, i;
	unsigned long long bytes1 = 0, bytes;
	struct counts      c;
	double            *pass, c0, w0, cpu, wall, med, best;
	long               rss_load;
	int                a;

	for (a = 1; a < argc; a++) {
		const char *s = argv[a];
		char       *end;

		if (!strcmp(s, "--repeat") && a + 1 < argc) {
			repeat = strtol(argv[++a], &end, 10);
			if (*end || repeat < 1) {
				fprintf(stderr, "parse_bench: bad --repeat '%s'\n", argv[a]);
				return 2;
			}
		} else if (!strcmp(s, "--chunk") && a + 1 < argc) {
			long v = strtol(argv[++a], &end, 10);

			if (*end || v < 0) {
				fprintf(stderr, "parse_bench: bad --chunk '%s'\n", argv[a]);
				return 2;
			}
			chunk = (size_t)v;
		} else if (!strcmp(s, "--stream-file") && a + 1 < argc) {
			stream = argv[++a];
		} else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(s, "--")) {
			a++;
			break;
		} else if (s[0] == '-' && s[1]) {
			usage(stderr);
			return 2;
		} else {
			break;
		}
	}
	if (stream) {
		if (a != argc) {
			usage(stderr);
			return 2;
		}
		return stream_file(stream, chunk, repeat);
	}
	if (a == argc) {
		usage(stderr);
		return 2;
	}
	for (; a < argc; a++)
		if (add_path(argv[a], 1) == -1)
			return 2;
	if (nfiles == 0) {
		fprintf(stderr, "parse_bench: no files\n");
		return 2;
	}
	for (i = 0; i < nfiles; i++)
		bytes1 += files[i].len;
	bytes = bytes1 * (unsigned long long)repeat;
	rss_load = maxrss_kb();

	memset(&c, 0, sizeof(c));
	pass = xmalloc((size_t)repeat * sizeof(*pass));
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	w0 = now(CLOCK_MONOTONIC);
	for (r = 0; r < repeat; r++) {
		double p0 = now(CLOCK_PROCESS_CPUTIME_ID);

		for (i = 0; i < nfiles; i++)
			parse_buffer(files[i].data, files[i].len, chunk ? chunk : files[i].len + 1, &c);
		pass[r] = now(CLOCK_PROCESS_CPUTIME_ID) - p0;
	}
	cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
	wall = now(CLOCK_MONOTONIC) - w0;
	qsort(pass, (size_t)repeat, sizeof(*pass), cmp_double);
	med = repeat % 2 ? pass[repeat / 2] : (pass[repeat / 2 - 1] + pass[repeat / 2]) / 2;
	best = pass[0];

	if (chunk)
		printf("files %zu, %llu bytes, x%ld = %llu bytes parsed in %zu-byte chunks\n", nfiles,
		       bytes1, repeat, bytes, chunk);
	else
		printf("files %zu, %llu bytes, x%ld = %llu bytes parsed, each file in one call\n",
		       nfiles, bytes1, repeat, bytes);
	printf("items %llu (%llu per pass); per pass: bozo %lu, not a feed %lu, stopped early %lu\n",
	       c.items, c.items / (unsigned long long)repeat, c.bozo / (unsigned long)repeat,
	       c.not_feed / (unsigned long)repeat, c.stopped / (unsigned long)repeat);
	printf("cpu %.3f s, wall %.3f s: %.1f MB/s (cpu), %.1f MB/s (wall)\n", cpu, wall,
	       (double)bytes / 1e6 / cpu, (double)bytes / 1e6 / wall);
	printf("per pass: median %.1f MB/s, best %.1f MB/s\n", (double)bytes1 / 1e6 / med,
	       (double)bytes1 / 1e6 / best);
	printf("peak RSS %ld KiB (%ld KiB after loading the files)\n", maxrss_kb(), rss_load);
	printf("parse_bench: bytes=%llu cpu_s=%.4f mbps=%.2f items=%llu maxrss_kb=%ld "
	       "files=%zu repeat=%ld wall_s=%.4f mbps_med=%.2f mbps_best=%.2f rss_loaded_kb=%ld\n",
	       bytes, cpu, (double)bytes / 1e6 / cpu, c.items, maxrss_kb(), nfiles, repeat, wall,
	       (double)bytes1 / 1e6 / med, (double)bytes1 / 1e6 / best, rss_load);

	free(pass);
	for (i = 0; i < nfiles; i++) {
		free(files[i].path);
		free(files[i].data);
	}
	free(files);
	return 0;
}
