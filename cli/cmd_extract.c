/*
 * cmd_extract.c: glean extract [--url URL] [--charset CS] [--format text|html|json] FILE|-
 *                glean extract --batch OUTDIR [--urls TSV] [...] FILE...
 * Runs the daemon's article extractor on saved web pages.  The batch form
 * writes OUTDIR/<id>.txt (.html, .json) per page in one process, for the
 * extraction benchmark (bench/extract) and for scripts.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

enum { FMT_TEXT, FMT_HTML, FMT_JSON };
static const char *const fmt_ext[] = {"txt", "html", "json"};

struct url_entry {
	char *id, *url;
};

/* The batch's --urls table: ID<TAB>URL lines, sorted by id for bsearch. */
struct url_map {
	struct url_entry *v;
	size_t		  n;
};

struct extract_ctx {
	int		      fmt;
	const char	     *url;    /* --url: every page's, unless the map has one */
	const char	     *charset; /* --charset */
	struct url_map	      urls;
	struct article	      a;
	char		      err[256];
};

static void
extract_usage(FILE *fp)
{
	fprintf(fp,
		"usage: glean extract [--url URL] [--charset CHARSET] [--format text|html|json] FILE|-\n"
		"       glean extract --batch OUTDIR [--urls TSV] [--url URL] [--charset CHARSET]\n"
		"                     [--format text|html|json] FILE...\n"
		"  --url URL          the page's URL, the base for relative links\n"
		"  --charset CHARSET  the charset from the HTTP Content-Type header\n"
		"  --format FORMAT    text (the article body, the default), html (the\n"
		"                     sanitized article) or json (metadata, status, text, html)\n"
		"  --batch OUTDIR     extract every FILE in one process into OUTDIR/<id>.txt\n"
		"                     (.html, .json by format); <id> is the file's name without\n"
		"                     its extension, or its folder's name for .../<id>/source.html\n"
		"  --urls TSV         with --batch: lines of <id><TAB><url>, each page's URL\n"
		"exit status: 0 article found, 1 no article text or a page that cannot be read\n"
		"(--batch: in any page), 2 usage\n");
}

/* Reads path ("-": standard input) up to HTML_MAX_BYTES, where the HTML
 * parser would cut the page anyway.  0, or -1 after a message naming the file. */
static int
read_page(const char *path, struct buf *b)
{
	FILE  *in;
	char   chunk[65536];
	size_t n;
	int    rc = 0;

	buf_init(b, HTML_MAX_BYTES);
	if (!strcmp(path, "-"))
		in = stdin;
	else if ((in = fopen(path, "rb")) == NULL) {
		cli_err("extract: %s: %s", path, strerror(errno));
		return -1;
	}
	while (!b->truncated && (n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		if (buf_add(b, chunk, n) == -1) {
			cli_err("extract: %s: out of memory", path);
			rc = -1;
			break;
		}
	if (rc == 0 && ferror(in)) {
		cli_err("extract: %s: read error: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && b->truncated)
		cli_err("extract: %s: longer than %u MiB, read the first %u MiB only", path,
			HTML_MAX_BYTES >> 20, HTML_MAX_BYTES >> 20);
	if (in != stdin)
		fclose(in);
	if (rc == -1)
		buf_free(b);
	return rc;
}

/* A page's id as the benchmark's scorer names it: "x/<id>.html" -> <id>,
 * "x/<id>/source.html" -> <id> (Readability's test-pages layout). */
static void
page_id(const char *path, char *out, size_t outsz)
{
	const char *base = strrchr(path, '/'), *start, *dot;
	size_t	    n;

	base = base ? base + 1 : path;
	if (!strcmp(base, "source.html") && base - path >= 2) {
		for (start = base - 1; start > path && start[-1] != '/'; start--)
			;
		n = (size_t)(base - 1 - start);
		if (n > 0 && strncmp(start, ".", n) && strncmp(start, "..", n)) {
			snprintf(out, outsz, "%.*s", (int)n, start);
			return;
		}
	}
	dot = strrchr(base, '.');
	n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	snprintf(out, outsz, "%.*s", (int)n, base);
}

static int
url_cmp(const void *x, const void *y)
{
	return strcmp(((const struct url_entry *)x)->id, ((const struct url_entry *)y)->id);
}

static void
url_map_free(struct url_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].id);
		free(m->v[i].url);
	}
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

/* Loads ID<TAB>URL lines; blank lines and lines starting with '#' are
 * skipped.  0, or -1 after a message naming file:line. */
static int
url_map_load(struct url_map *m, const char *path)
{
	FILE	*fp;
	char	*line = NULL, *tab, *end;
	size_t	 cap = 0, alloc = 0, lineno = 0;
	ssize_t	 len;
	int	 rc = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		cli_err("extract: %s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if ((tab = strchr(line, '\t')) == NULL || tab == line || tab[1] == '\0') {
			cli_err("extract: %s:%zu: expected <id><TAB><url>", path, lineno);
			rc = -1;
			break;
		}
		*tab = '\0';
		if ((end = strchr(tab + 1, '\t')) != NULL) /* extra columns are ignored */
			*end = '\0';
		if (m->n == alloc) {
			size_t		  na = alloc ? alloc * 2 : 64;
			struct url_entry *v = realloc(m->v, na * sizeof(*v));

			if (v == NULL)
				goto oom;
			m->v = v;
			alloc = na;
		}
		m->v[m->n].id = strdup(line);
		m->v[m->n].url = strdup(tab + 1);
		m->n++;
		if (m->v[m->n - 1].id == NULL || m->v[m->n - 1].url == NULL)
			goto oom;
	}
	free(line);
	fclose(fp);
	if (rc == 0 && m->n > 1)
		qsort(m->v, m->n, sizeof(*m->v), url_cmp);
	return rc;
oom:
	cli_err("extract: %s: out of memory", path);
	free(line);
	fclose(fp);
	return -1;
}

static const char *
url_map_get(const struct url_map *m, const char *id)
{
	struct url_entry key = {(char *)id, NULL}, *e;

	if (m->n == 0)
		return NULL;
	e = bsearch(&key, m->v, m->n, sizeof(*m->v), url_cmp);
	return e ? e->url : NULL;
}

static void
put_text(FILE *fp, const char *s)
{
	size_t n;

	if (s == NULL || *s == '\0')
		return;
	n = strlen(s);
	fwrite(s, 1, n, fp);
	if (s[n - 1] != '\n')
		fputc('\n', fp);
}

/* One page's result as a JSON object (the keys are listed in glean(1)). */
static void
put_json(FILE *fp, const char *path, const char *url, int rc, const struct article *a,
	 const char *err)
{
	fputs("{\"file\":", fp);
	json_put_string(fp, path);
	fputs(",\"url\":", fp);
	json_put_string(fp, url);
	fprintf(fp, ",\"status\":\"%s\",\"error\":",
		rc == EXTRACT_OK ? "ok" : rc == EXTRACT_EMPTY ? "empty" : "error");
	json_put_string(fp, rc == EXTRACT_ERR ? err : NULL);
	fputs(",\"method\":", fp);
	json_put_string(fp, a->method);
	fputs(",\"title\":", fp);
	json_put_string(fp, a->title);
	fputs(",\"byline\":", fp);
	json_put_string(fp, a->byline);
	fputs(",\"site_name\":", fp);
	json_put_string(fp, a->site_name);
	fputs(",\"lang\":", fp);
	json_put_string(fp, a->lang);
	fputs(",\"excerpt\":", fp);
	json_put_string(fp, a->excerpt);
	fputs(",\"lead_image\":", fp);
	json_put_string(fp, a->lead_image);
	fputs(",\"canonical\":", fp);
	json_put_string(fp, a->canonical);
	fputs(",\"charset\":", fp);
	json_put_string(fp, a->charset);
	fputs(",\"published\":", fp);
	cli_json_date(fp, a->published);
	fprintf(fp, ",\"word_count\":%lld,\"text\":", (long long)a->word_count);
	json_put_string(fp, a->text);
	fputs(",\"body\":", fp);
	json_put_string(fp, a->body);
	fputs(",\"html\":", fp);
	json_put_string(fp, a->html);
	fputs("}\n", fp);
}

/* Extracts one page into ctx->a and writes it to fp in ctx->fmt.
 * Returns EXTRACT_OK, EXTRACT_EMPTY or EXTRACT_ERR (reported, naming path);
 * -2 when the file cannot be read (reported; nothing written). */
static int
extract_one(struct extract_ctx *ctx, const char *path, const char *url, FILE *fp)
{
	struct extract_opts eo = {0};
	struct buf	    page;
	int		    rc;

	if (read_page(path, &page) == -1)
		return -2;
	eo.url = url;
	eo.http_charset = ctx->charset;
	memset(&ctx->a, 0, sizeof(ctx->a));
	ctx->a.published = DATE_NONE;
	ctx->err[0] = '\0';
	rc = extract_article(page.data ? page.data : "", page.len, &eo, &ctx->a, ctx->err,
			     sizeof(ctx->err));
	buf_free(&page);
	if (rc == EXTRACT_ERR)
		cli_err("extract: %s: %s", path, ctx->err[0] ? ctx->err : "cannot be parsed");
	else if (rc == EXTRACT_EMPTY)
		cli_err("extract: %s: no article text found", path);
	switch (ctx->fmt) {
	case FMT_TEXT: put_text(fp, rc == EXTRACT_OK ? ctx->a.body : NULL); break;
	case FMT_HTML: put_text(fp, rc == EXTRACT_OK ? ctx->a.html : NULL); break;
	default: put_json(fp, path, url, rc, &ctx->a, ctx->err); break;
	}
	article_clear(&ctx->a);
	return rc;
}

struct page_name {
	char	    id[256];
	const char *file;
};

static int
page_name_cmp(const void *x, const void *y)
{
	const struct page_name *a = x, *b = y;

	return strcmp(a->id, b->id);
}

/* Two files that would write the same OUTDIR/<id> file (a/x.html and
 * b/x.html) are a usage error, found before anything is written.  0, or -1
 * after naming both (or on ENOMEM). */
static int
check_ids(int n, char **files)
{
	struct page_name *v;
	int		  i, rc = 0;

	if (n < 2)
		return 0;
	if ((v = calloc((size_t)n, sizeof(*v))) == NULL) {
		cli_err("extract: out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		page_id(files[i], v[i].id, sizeof(v[i].id));
		v[i].file = files[i];
	}
	qsort(v, (size_t)n, sizeof(*v), page_name_cmp);
	for (i = 1; i < n && rc == 0; i++)
		if (!strcmp(v[i - 1].id, v[i].id)) {
			cli_err("extract: %s and %s would both be written as '%s'", v[i - 1].file,
				v[i].file, v[i].id);
			rc = -1;
		}
	free(v);
	return rc;
}

/* Every page into outdir/<id>.<ext>.  An empty extraction or a parse error
 * still writes its (empty) file, as the benchmark's peers do, so that a
 * rerun never scores a stale result. */
static int
extract_batch(struct extract_ctx *ctx, const char *outdir, int n, char **files)
{
	char	    id[256], out[4096];
	const char *url;
	FILE	   *fp;
	int	    i, rc, ok = 0, empty = 0, failed = 0;

	if (mkdir(outdir, 0777) == -1 && errno != EEXIST) {
		cli_err("extract: %s: %s", outdir, strerror(errno));
		return EXIT_NOMATCH;
	}
	for (i = 0; i < n; i++) {
		if (!strcmp(files[i], "-")) {
			cli_err("extract: --batch reads files, not standard input");
			failed++;
			continue;
		}
		page_id(files[i], id, sizeof(id));
		if ((url = url_map_get(&ctx->urls, id)) == NULL)
			url = ctx->url;
		if ((size_t)snprintf(out, sizeof(out), "%s/%s.%s", outdir, id,
				     fmt_ext[ctx->fmt]) >= sizeof(out)) {
			cli_err("extract: %s: output path too long", files[i]);
			failed++;
			continue;
		}
		if ((fp = fopen(out, "w")) == NULL) {
			cli_err("extract: %s: %s", out, strerror(errno));
			failed++;
			continue;
		}
		rc = extract_one(ctx, files[i], url, fp);
		if (fclose(fp) == EOF) {
			cli_err("extract: %s: %s", out, strerror(errno));
			rc = -2;
		}
		if (rc == -2)
			remove(out);
		if (rc == EXTRACT_OK)
			ok++;
		else if (rc == EXTRACT_EMPTY)
			empty++;
		else
			failed++;
	}
	fprintf(stderr, "glean extract: %d pages: %d extracted, %d without article text, %d failed -> %s\n",
		n, ok, empty, failed, outdir);
	return ok == n ? EXIT_OK : EXIT_NOMATCH;
}

int
cmd_extract(int argc, char **argv)
{
	static const struct option opts[] = {
		{"url", required_argument, NULL, 'u'},
		{"charset", required_argument, NULL, 'c'},
		{"format", required_argument, NULL, 'f'},
		{"batch", required_argument, NULL, 'b'},
		{"urls", required_argument, NULL, 'U'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct extract_ctx ctx = {0};
	const char	  *format = "text", *batch = NULL, *urls = NULL;
	int		   c, rc;

	optind = 1;
	cli_cmdname(argv);
	while ((c = getopt_long(argc, argv, "u:c:f:b:U:h", opts, NULL)) != -1) {
		switch (c) {
		case 'u': ctx.url = optarg; break;
		case 'c': ctx.charset = optarg; break;
		case 'f': format = optarg; break;
		case 'b': batch = optarg; break;
		case 'U': urls = optarg; break;
		case 'h': extract_usage(stdout); return EXIT_OK;
		default: extract_usage(stderr); return EXIT_USAGE;
		}
	}
	if (!strcmp(format, "text"))
		ctx.fmt = FMT_TEXT;
	else if (!strcmp(format, "html"))
		ctx.fmt = FMT_HTML;
	else if (!strcmp(format, "json"))
		ctx.fmt = FMT_JSON;
	else {
		cli_err("extract: --format must be text, html or json, not '%s'", format);
		return EXIT_USAGE;
	}
	if (batch == NULL && (urls != NULL || optind != argc - 1)) {
		if (urls != NULL)
			cli_err("extract: --urls goes with --batch");
		extract_usage(stderr);
		return EXIT_USAGE;
	}
	if (batch != NULL && optind >= argc) {
		cli_err("extract: --batch needs at least one FILE");
		return EXIT_USAGE;
	}
	if (batch == NULL) {
		rc = extract_one(&ctx, argv[optind], ctx.url, stdout);
		if (fflush(stdout) == EOF) {
			cli_err("extract: standard output: %s", strerror(errno));
			return EXIT_NOMATCH;
		}
		return rc == EXTRACT_OK ? EXIT_OK : EXIT_NOMATCH;
	}
	if (urls != NULL && url_map_load(&ctx.urls, urls) == -1) {
		url_map_free(&ctx.urls);
		return EXIT_USAGE;
	}
	if (check_ids(argc - optind, argv + optind) == -1) {
		url_map_free(&ctx.urls);
		return EXIT_USAGE;
	}
	rc = extract_batch(&ctx, batch, argc - optind, argv + optind);
	url_map_free(&ctx.urls);
	return rc;
}
