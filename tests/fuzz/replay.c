/*
 * replay.c: runs a fuzz harness's LLVMFuzzerTestOneInput once on each file
 * given (directories: each file in them), without libFuzzer.  Linked with a
 * harness and the sanitizer build of the library, it turns the kept fuzz
 * corpora into a regression test that needs no clang: an input that once
 * crashed a parser crashes this program again (ASan/UBSan abort), and
 * `make test` counts it as a failure.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The same cap as tests/fuzz/run.sh's -max_len: longer inputs were never
 * fuzzed, and the harnesses may assume the limit. */
#define MAX_LEN 262144

static long ran;

static int
replay_file(const char *path)
{
	FILE    *fp = fopen(path, "rb");
	uint8_t *buf;
	size_t   n;

	if (fp == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf = malloc(MAX_LEN ? MAX_LEN : 1);
	if (buf == NULL) {
		fclose(fp);
		fprintf(stderr, "replay: %s: out of memory\n", path);
		return -1;
	}
	n = fread(buf, 1, MAX_LEN, fp);
	fclose(fp);
	/* An exact-size copy, so that ASan sees a read past the input. */
	{
		uint8_t *in = malloc(n ? n : 1);

		if (in == NULL) {
			free(buf);
			return -1;
		}
		memcpy(in, buf, n);
		free(buf);
		LLVMFuzzerTestOneInput(in, n);
		free(in);
	}
	ran++;
	return 0;
}

static int
replay_path(const char *path)
{
	struct stat     st;
	DIR            *dir;
	struct dirent  *de;
	char            sub[4096];
	int             rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	if ((dir = opendir(path)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (stat(sub, &st) == 0 && S_ISREG(st.st_mode) && replay_file(sub) != 0)
			rc = -1;
	}
	closedir(dir);
	return rc;
}

int
main(int argc, char **argv)
{
	int i, rc = 0;

	for (i = 1; i < argc; i++)
		if (replay_path(argv[i]) != 0)
			rc = 1;
	printf("%s: %ld inputs replayed\n", argv[0], ran);
	return rc;
}
