/*
 * test_config.c: config_load() and the value parsers.
 *
 * Fixtures are in tests/data/config/; the other files are written to a
 * temporary directory, so that each error case is one small string and
 * its expected "FILE:LINE: message".
 */
#include "testutil.h"

#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#define DATA "tests/data/config/"

static char tmpdir[64];
static char tmppath[128]; /* tmpdir/t.conf: what load_str writes */

static int
setup(void **state)
{
	strlcpy_g(tmpdir, "/tmp/test_config.XXXXXX", sizeof(tmpdir));
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(tmppath, sizeof(tmppath), "%s/t.conf", tmpdir);
	return 0;
}

static int
teardown(void **state)
{
	unlink(tmppath);
	return rmdir(tmpdir);
}

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Loads text from tmppath. */
static struct config *
load_str(const char *text, char *err, size_t errsz)
{
	write_file(tmppath, text, strlen(text));
	return config_load(tmppath, err, errsz);
}

/* text must fail with exactly one message, "tmppath:line: msg". */
static void
check_error(const char *text, unsigned line, const char *msg)
{
	char           err[4096], want[1024];
	struct config *cf = load_str(text, err, sizeof(err));

	if (line)
		snprintf(want, sizeof(want), "%s:%u: %s", tmppath, line, msg);
	else
		snprintf(want, sizeof(want), "%s: %s", tmppath, msg);
	if (cf != NULL || strcmp(err, want) != 0) {
		print_error("config:\n%s\ngot:  %s\nwant: %s\n", text, cf ? "(loaded)" : err, want);
		config_free(cf);
		fail();
	}
}

/* text must load. */
static struct config *
load_ok(const char *text)
{
	char           err[4096];
	struct config *cf = load_str(text, err, sizeof(err));

	if (cf == NULL) {
		print_error("config:\n%s\nerror: %s\n", text, err);
		fail();
	}
	return cf;
}

static void
test_duration(void **state)
{
	static const struct {
		const char *s;
		int64_t     want; /* -1: refused */
	} t[] = {
	    {"0", 0},
	    {"30", 30},
	    {"007", 7},
	    {"30s", 30},
	    {"15m", 900},
	    {"2h", 7200},
	    {"1d", 86400},
	    {"1w", 604800},
	    {"1h30m", 5400},
	    {"1d2h3m4s", 93784},
	    {"2w1d", 1296000},
	    {"0h0s", 0},
	    {"9223372036854775807", INT64_MAX},
	    {"153722867280912930m", INT64_C(9223372036854775800)},
	    {"9223372036854775807s", INT64_MAX},
	    /* junk */
	    {"", -1},
	    {"-5", -1},
	    {"-5s", -1},
	    {"+5", -1},
	    {"5x", -1},
	    {"s", -1},
	    {"h1", -1},
	    {"1.5h", -1},
	    {" 5", -1},
	    {"5 ", -1},
	    {"1h 30m", -1},
	    {"5ms", -1},
	    {"1H", -1},  /* units are lower case: M could be months */
	    {"1M", -1},
	    {"1h30", -1}, /* a number after a unit needs its own */
	    {"30m1h", -1},/* largest unit first */
	    {"1m1m", -1},
	    {"1s1s", -1},
	    {"1y", -1},
	    {"0x10", -1},
	    {"1e3", -1},
	    /* overflow */
	    {"9223372036854775808", -1},
	    {"99999999999999999999999", -1},
	    {"153722867280912931m", -1},
	    {"106751991167301d", -1},
	    {"106751991167300d86400s", -1},
	    {"15250284452471w", INT64_C(9223372036854460800)},
	    {"15250284452472w", -1},
	};
	size_t  i;
	int64_t v;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		v = -42;
		if (t[i].want == -1) {
			if (config_parse_duration(t[i].s, &v) != -1 || v != -42) {
				print_error("config_parse_duration(\"%s\") accepted: %lld\n", t[i].s,
					    (long long)v);
				fail();
			}
		} else if (config_parse_duration(t[i].s, &v) != 0 || v != t[i].want) {
			print_error("config_parse_duration(\"%s\") = %lld, want %lld\n", t[i].s,
				    (long long)v, (long long)t[i].want);
			fail();
		}
	}
}

static void
test_size(void **state)
{
	static const struct {
		const char *s;
		int64_t     want;
	} t[] = {
	    {"0", 0},
	    {"1", 1},
	    {"512", 512},
	    {"512K", 524288},
	    {"512k", 524288},
	    {"16M", 16777216},
	    {"16m", 16777216},
	    {"1G", 1073741824},
	    {"1T", INT64_C(1099511627776)},
	    {"8388607T", INT64_C(8388607) << 40},
	    {"9223372036854775807", INT64_MAX},
	    {"", -1},
	    {"K", -1},
	    {"-1", -1},
	    {"+1", -1},
	    {"16MB", -1},
	    {"16MiB", -1},
	    {"16 M", -1},
	    {" 16M", -1},
	    {"1.5M", -1},
	    {"1P", -1},
	    {"1KK", -1},
	    {"8388608T", -1},
	    {"8796093022208G", -1},
	    {"9223372036854775808", -1},
	};
	size_t  i;
	int64_t v;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		v = -42;
		if (t[i].want == -1) {
			if (config_parse_size(t[i].s, &v) != -1 || v != -42) {
				print_error("config_parse_size(\"%s\") accepted: %lld\n", t[i].s,
					    (long long)v);
				fail();
			}
		} else if (config_parse_size(t[i].s, &v) != 0 || v != t[i].want) {
			print_error("config_parse_size(\"%s\") = %lld, want %lld\n", t[i].s,
				    (long long)v, (long long)t[i].want);
			fail();
		}
	}
}

static void
test_bool(void **state)
{
	static const struct {
		const char *s;
		int         want;
	} t[] = {
	    {"yes", 1}, {"YES", 1}, {"true", 1}, {"True", 1}, {"on", 1}, {"1", 1},
	    {"no", 0},  {"No", 0},  {"false", 0}, {"FALSE", 0}, {"off", 0}, {"0", 0},
	    {"", -1},   {"y", -1},  {"n", -1},    {"2", -1},    {"yes ", -1}, {"enabled", -1},
	    {"01", -1}, {"nope", -1}, {"onn", -1},
	};
	size_t i;
	int    v;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		v = -42;
		if (t[i].want == -1) {
			if (config_parse_bool(t[i].s, &v) != -1 || v != -42) {
				print_error("config_parse_bool(\"%s\") accepted\n", t[i].s);
				fail();
			}
		} else if (config_parse_bool(t[i].s, &v) != 0 || v != t[i].want) {
			print_error("config_parse_bool(\"%s\") = %d\n", t[i].s, v);
			fail();
		}
	}
}

static void
test_defaults(void **state)
{
	struct config *cf = load_ok("# nothing but a comment\n");

	assert_string_equal(cf->path, tmppath);
	assert_string_equal(cf->database, "/var/lib/gleaner/gleaner.db");
	assert_string_equal(cf->control_socket, "/run/gleaner/control.sock");
	assert_int_equal(cf->interval, 1800);
	assert_int_equal(cf->min_interval, 600);
	assert_int_equal(cf->max_interval, 86400);
	assert_int_equal(cf->timeout, 60);
	assert_int_equal(cf->connect_timeout, 10);
	assert_int_equal(cf->max_body, 16 * 1024 * 1024);
	assert_int_equal(cf->max_connections, 32);
	assert_int_equal(cf->max_host_connections, 2);
	assert_int_equal(cf->full_text, 1);
	assert_int_equal(cf->allow_private, 0);
	assert_int_equal(cf->max_age, 0);
	assert_int_equal(cf->max_items, 0);
	assert_int_equal(cf->log_level, LOG_INFO_);
	assert_string_equal(cf->user_agent, "Gleaner/" GLEANER_VERSION
					    " (+https://github.com/gleaner/gleaner)");
	assert_int_equal(cf->article_host_delay, 1);
	assert_int_equal(cf->article_host_connections, 1);
	assert_int_equal(cf->nfeeds, 0);
	assert_null(cf->feeds);
	assert_int_equal(cf->nsites, 0);
	config_free(cf);

	/* An empty file, and one with an empty [gleaner], are fine too. */
	config_free(load_ok(""));
	cf = load_ok("[gleaner]\n");
	assert_int_equal(cf->interval, 1800);
	config_free(cf);
	config_free(NULL);
}

static void
test_full(void **state)
{
	char                err[4096];
	struct config      *cf = config_load(DATA "full.conf", err, sizeof(err));
	struct config_feed *f;
	struct config_site *s;

	if (cf == NULL)
		print_error("%s\n", err);
	assert_non_null(cf);
	assert_string_equal(err, "");
	assert_string_equal(cf->path, DATA "full.conf");
	assert_string_equal(cf->database, "/srv/gleaner/db.sqlite");
	assert_string_equal(cf->control_socket, "/srv/gleaner/ctl.sock");
	assert_int_equal(cf->interval, 45 * 60);
	assert_int_equal(cf->min_interval, 5 * 60);
	assert_int_equal(cf->max_interval, 2 * 86400);
	assert_int_equal(cf->timeout, 90);
	assert_int_equal(cf->connect_timeout, 5);
	assert_int_equal(cf->max_body, 4 * 1024 * 1024);
	assert_int_equal(cf->max_connections, 64);
	assert_int_equal(cf->max_host_connections, 4);
	assert_int_equal(cf->full_text, 0);
	assert_int_equal(cf->allow_private, 1);
	assert_int_equal(cf->max_age, 90 * 86400);
	assert_int_equal(cf->max_items, 500);
	assert_int_equal(cf->log_level, LOG_DEBUG_);
	assert_string_equal(cf->user_agent, "TestAgent/1.0 (+https://example.net/)");
	assert_int_equal(cf->article_host_delay, 2);
	assert_int_equal(cf->article_host_connections, 3);

	assert_int_equal(cf->nfeeds, 2);
	f = &cf->feeds[0];
	assert_string_equal(f->name, "LWN");
	assert_string_equal(f->url, "https://lwn.net/headlines/rss");
	assert_string_equal(f->title, "LWN.net headlines");
	assert_int_equal(f->ntags, 3); /* trimmed, the repeated "linux" once */
	assert_string_equal(f->tags[0], "linux");
	assert_string_equal(f->tags[1], "news");
	assert_string_equal(f->tags[2], "kernel");
	assert_int_equal(f->interval, 3600);
	assert_int_equal(f->full_text, 1);
	assert_int_equal(f->allow_private, 0);
	assert_string_equal(f->user_agent, "Special/2.0");
	assert_string_equal(f->proxy, "socks5h://127.0.0.1:9050");
	assert_string_equal(f->username, "alice");
	assert_string_equal(f->password, "s3cret;not-a-comment");
	assert_int_equal(f->nheaders, 3);
	assert_string_equal(f->headers[0], "X-Api-Key: abc123");
	assert_string_equal(f->headers[1], "Accept-Language: en, fr;q=0.5");
	assert_string_equal(f->headers[2], "Accept:");
	assert_int_equal(f->max_age, 30 * 86400);
	assert_int_equal(f->max_items, 200);
	assert_int_equal(f->line, 22);

	/* Unset per-feed keys: the global setting. */
	f = &cf->feeds[1];
	assert_string_equal(f->name, "Minimal");
	assert_string_equal(f->title, "Minimal");
	assert_string_equal(f->url, "http://example.org/feed.xml");
	assert_int_equal(f->ntags, 0);
	assert_int_equal(f->interval, 0);
	assert_int_equal(f->full_text, -1);
	assert_int_equal(f->allow_private, -1);
	assert_null(f->user_agent);
	assert_null(f->proxy);
	assert_null(f->username);
	assert_null(f->password);
	assert_int_equal(f->nheaders, 0);
	assert_int_equal(f->max_age, 0);
	assert_int_equal(f->max_items, 0);
	assert_int_equal(f->line, 39);

	assert_int_equal(cf->nsites, 1);
	s = &cf->sites[0];
	assert_string_equal(s->host, "example.com");
	assert_string_equal(s->content, "article .post-body");
	assert_string_equal(s->remove, ".share, .related, aside");
	assert_int_equal(s->line, 42);
	config_free(cf);
}

/* Each kind of problem, alone, reported on its line. */
static void
test_errors(void **state)
{
	static const struct {
		const char *text;
		unsigned    line;
		const char *msg;
	} t[] = {
	    /* sections */
	    {"[gleaner]\n[feeds \"x\"]\nurl = y\n", 2, "unknown section 'feeds' (gleaner, feed or site)"},
	    {"[]\n", 1, "unknown section '[]' (gleaner, feed or site)"},
	    {"[gleaner \"x\"]\n", 1, "[gleaner] takes no name"},
	    {"\n[feed]\nurl = http://a/\n", 2, "feed section without a name: [feed \"NAME\"]"},
	    {"[feed \"\"]\nurl = http://a/\n", 1, "feed section without a name: [feed \"NAME\"]"},
	    {"[site]\n", 1, "site section without a name: [site \"HOST\"]"},
	    {"[feed LWN]\nurl = http://a/\n", 1, "section header: quote the name: [feed \"...\"]"},
	    {"[feed \"LWN]\n", 1, "section header: no closing '\"'"},
	    {"[feed \"LWN\"\nurl = http://a/\n", 1, "section header: no closing ']'"},
	    {"[gleaner\n", 1, "section header: no closing ']'"},
	    {"[feed \"LWN\"] x\nurl = http://a/\n", 1, "section header: text after ']'"},
	    {"[feed \"a\\nb\"]\n", 1, "section header: only \\\" and \\\\ may follow '\\'"},
	    {"[site \"http://example.com/\"]\ncontent = x\n", 1,
	     "[site \"http://example.com/\"]: not a host name (like example.com)"},
	    {"[site \"example.com.\"]\ncontent = x\n", 1,
	     "[site \"example.com.\"]: not a host name (like example.com)"},
	    {"[site \"example.com\"]\n", 1, "[site \"example.com\"] sets neither content nor remove"},
	    {"[site \"example.com\"]\ncontent = div..x\n", 2,
	     "content: selector 'div..x': unexpected '.' at 5"},
	    {"[site \"example.com\"]\ncontent = article\nremove = a:hover\n", 3,
	     "remove: selector 'a:hover': unexpected ':' at 2 (pseudo-classes are not supported)"},
	    {"[site \"example.com\"]\nremove = //div[@class\n", 2,
	     "remove: xpath '//div[@class': Invalid predicate at 13"},
	    /* lines */
	    {"interval = 1h\n", 1,
	     "'interval' is outside any section: put [gleaner] or [feed \"NAME\"] above it"},
	    {"[gleaner]\n\ninterval\n", 3, "expected 'key = value'"},
	    {"[gleaner]\n= 5\n", 2, "no key before '='"},
	    {"[gleaner]\ninterval =\n", 2, "interval: no value"},
	    {"[gleaner]\ninterval = ;comment\n", 2, "interval: no value"},
	    {"[gleaner]\ninterval = 1h\x01\n", 2, "control character 0x01 in line"},
	    {"[gleaner]\ninterval = 1h\rx\n", 2, "control character 0x0D in line"},
	    {"[gleaner]\n# caf\xe9\n", 2, "invalid UTF-8"},
	    {"[gleaner]\nuser_agent = \xc0\xaf\n", 2, "invalid UTF-8"},
	    {"[gleaner]\nuser_agent = \xed\xa0\x80\n", 2, "invalid UTF-8"},
	    /* keys */
	    {"[gleaner]\ncolour = blue\n", 2, "unknown key 'colour' in [gleaner]"},
	    {"[gleaner]\nintervall = 1h\n", 2,
	     "unknown key 'intervall' in [gleaner] (did you mean 'interval'?)"},
	    {"[gleaner]\nallow_private = yes\n", 2,
	     "unknown key 'allow_private' in [gleaner] (did you mean 'allow_private_addresses'?)"},
	    {"[gleaner]\nurl = http://a/\n", 2,
	     "unknown key 'url' in [gleaner]: it goes in a [feed \"NAME\"] section"},
	    {"[feed \"A\"]\nurl = http://a/\ndatabase = x.db\n", 3,
	     "unknown key 'database' in [feed \"A\"]: it goes in a [gleaner] section"},
	    {"[feed \"A\"]\nurl = http://a/\ncontent = main\n", 3,
	     "unknown key 'content' in [feed \"A\"]: it goes in a [site \"HOST\"] section"},
	    {"[gleaner]\ntimeout = 1s\n\ntimeout = 2s\n", 4, "timeout set twice (first on line 2)"},
	    {"[gleaner]\ntimeout = 1s\n[gleaner]\nTIMEOUT = 2s\n", 4,
	     "timeout set twice (first on line 2)"},
	    {"[feed \"A\"]\nurl = http://a/\nurl = http://b/\n", 3, "url set twice (first on line 2)"},
	    /* values */
	    {"[gleaner]\ninterval = 1 hour\n", 2,
	     "interval: not a duration (like 90s, 15m, 2h, 1d or 1h30m): '1 hour'"},
	    {"[gleaner]\ninterval = 0\n", 2, "interval: must be more than 0"},
	    {"[gleaner]\ntimeout = 36501d\n", 2, "timeout: too long (at most 36500d)"},
	    {"[gleaner]\nmax_body = 16 MB\n", 2,
	     "max_body: not a size (like 512K, 16M or 1G): '16 MB'"},
	    {"[gleaner]\nmax_body = 0\n", 2, "max_body: must be more than 0"},
	    {"[gleaner]\nmax_connections = many\n", 2, "max_connections: not a number: 'many'"},
	    {"[gleaner]\nmax_connections = -1\n", 2, "max_connections: not a number: '-1'"},
	    {"[gleaner]\nmax_connections = 0\n", 2, "max_connections: must be more than 0"},
	    {"[gleaner]\nmax_host_connections = 10001\n", 2,
	     "max_host_connections: must be between 1 and 10000"},
	    {"[gleaner]\nmax_connections = 99999999999999999999\n", 2,
	     "max_connections: not a number: '99999999999999999999'"},
	    {"[gleaner]\nfull_text = maybe\n", 2, "full_text: not yes or no: 'maybe'"},
	    {"[gleaner]\nlog_level = verbose\n", 2,
	     "log_level: not a level (error, warning, notice, info or debug): 'verbose'"},
	    {"[gleaner]\nmin_interval = 2d\n", 2,
	     "min_interval (172800s) is longer than max_interval (86400s)"},
	    {"[gleaner]\nmax_interval = 5m\n", 2,
	     "min_interval (600s) is longer than max_interval (300s)"},
	    /* feeds */
	    {"[feed \"A\"]\ntitle = x\n", 1, "[feed \"A\"] has no url"},
	    {"[feed \"A\"]\n", 1, "[feed \"A\"] has no url"},
	    {"[feed \"A\"]\nurl = ftp://a/\n", 2, "url: not an http or https URL: 'ftp://a/'"},
	    {"[feed \"A\"]\nurl = lwn.net/headlines/rss\n", 2,
	     "url: not an http or https URL: 'lwn.net/headlines/rss'"},
	    {"[feed \"A\"]\nurl = https:///x\n", 2, "url: no host in URL: 'https:///x'"},
	    {"[feed \"A\"]\nurl = https://a/b c\n", 2, "url: space in URL (write it as %20): 'https://a/b c'"},
	    {"[feed \"A\"]\nurl = http://a/\n[feed \"B\"]\n\nurl = http://A/\n", 5,
	     "url already used by [feed \"A\"] on line 2"},
	    {"[feed \"A\"]\nurl = http://a\n[feed \"B\"]\nurl = HTTP://a/\n", 4,
	     "url already used by [feed \"A\"] on line 2"},
	    {"[feed \"A\"]\nurl = http://a/1\n[feed \"A\"]\nurl = http://a/2\n", 3,
	     "name already used by [feed \"A\"] on line 1"},
	    {"[feed \"A\"]\nurl = http://a/\ninterval = 0\n", 3,
	     "interval: must be more than 0 (leave it out to use the global setting)"},
	    {"[feed \"A\"]\nurl = http://a/\nmax_items = 0\n", 3,
	     "max_items: must be more than 0 (leave it out to use the global setting)"},
	    {"[feed \"A\"]\nurl = http://a/\ntags = , ,\n", 3, "tags: no tag in ', ,'"},
	    {"[feed \"A\"]\nurl = http://a/\npassword = x\n", 3, "password without username"},
	    {"[feed \"A\"]\nurl = http://a/\nusername = a:b\n", 3,
	     "username: a user name cannot contain ':'"},
	    {"[feed \"A\"]\nurl = http://a/\nheader = X-Foo\n", 3,
	     "header: expected 'Name: value', got 'X-Foo'"},
	    {"[feed \"A\"]\nurl = http://a/\nheader = X Foo: 1\n", 3,
	     "header: expected 'Name: value', got 'X Foo: 1'"},
	    {"[feed \"A\"]\nurl = http://a/\nheader = : 1\n", 3,
	     "header: expected 'Name: value', got ': 1'"},
	    {"[feed \"A\"]\nurl = http://a/\nproxy = ftp://p:21\n", 3,
	     "proxy: unknown proxy scheme (http, https, socks4, socks4a, socks5 or socks5h): "
	     "'ftp://p:21'"},
	    {"[feed \"A\"]\nurl = http://a/\nproxy = socks5://\n", 3,
	     "proxy: no host in proxy: 'socks5://'"},
	    {"[site \"a.com\"]\ncontent = x\n[site \"A.com\"]\nremove = y\n", 3,
	     "host already used by [site \"a.com\"] on line 1"},
	    /* long values are clipped in messages, on a UTF-8 boundary */
	    {"[gleaner]\nfull_text = 01234567890123456789012345678901234567890123456789012345678"
	     "\xc3\xa9tail\n",
	     2, "full_text: not yes or no: '01234567890123456789012345678901234567890123456789012345678...'"},
	};
	char   text[256], msg[256], path[160];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		check_error(t[i].text, t[i].line, t[i].msg);

	/* sockaddr_un's sun_path holds 107 bytes and the NUL. */
	memset(path, 'a', sizeof(path));
	memcpy(path, "/run/", 5);
	memcpy(path + 102, ".sock", 6); /* 107 bytes */
	snprintf(text, sizeof(text), "[gleaner]\ncontrol_socket = %s\n", path);
	config_free(load_ok(text));
	memcpy(path + 102, "a.sock", 7); /* 108 */
	snprintf(text, sizeof(text), "[gleaner]\ncontrol_socket = %s\n", path);
	snprintf(msg, sizeof(msg),
		 "control_socket: path too long for a Unix socket (108 bytes, at most 107): %s", path);
	check_error(text, 2, msg);
}

/* Every problem in the file at once, sorted by line. */
static void
test_multiple_errors(void **state)
{
	char err[8192];

	assert_null(config_load(DATA "errors.conf", err, sizeof(err)));
	assert_string_equal(
	    err,
	    DATA "errors.conf:3: interval: not a duration (like 90s, 15m, 2h, 1d or 1h30m): 'soon'\n"
	    DATA "errors.conf:4: max_body: not a size (like 512K, 16M or 1G): '16 MB'\n"
	    DATA "errors.conf:5: unknown key 'colour' in [gleaner]\n"
	    DATA "errors.conf:7: timeout set twice (first on line 6)\n"
	    DATA "errors.conf:8: expected 'key = value'\n"
	    DATA "errors.conf:10: [feed \"No URL\"] has no url\n"
	    DATA "errors.conf:15: full_text: not yes or no: 'maybe'\n"
	    DATA "errors.conf:18: url already used by [feed \"A\"] on line 14\n"
	    DATA "errors.conf:19: unknown key 'intervall' in [feed \"B\"] (did you mean 'interval'?)\n"
	    DATA "errors.conf:20: unknown section 'feedz' (gleaner, feed or site)\n"
	    DATA "errors.conf:23: min_interval (172800s) is longer than max_interval (86400s)");
}

/* Only whole lines go into a small buffer, then a count of the rest. */
static void
test_error_buffer(void **state)
{
	char        err[300], big[8192], want[64];
	const char *first = DATA "errors.conf:3: interval: not a duration (like 90s, 15m, 2h, "
			    "1d or 1h30m): 'soon'\n";
	const char *p;
	size_t      i, n, lines;

	/* Whatever fits, the count of the others always fits after it. */
	for (n = 170; n <= sizeof(err); n += 13) {
		assert_null(config_load(DATA "errors.conf", err, n));
		assert_true(strlen(err) < n);
		assert_memory_equal(err, first, strlen(first));
		for (lines = 0, p = err; (p = strchr(p, '\n')) != NULL; p++)
			lines++;
		snprintf(want, sizeof(want), "\n%s: and %zu more errors", DATA "errors.conf",
			 11 - lines);
		assert_string_equal(strrchr(err, '\n'), want);
	}

	/* Too small for one line: the first line, cut. */
	assert_null(config_load(DATA "errors.conf", err, 20));
	assert_string_equal(err, "tests/data/config/e");
	/* No room at all is allowed. */
	assert_null(config_load(DATA "errors.conf", NULL, 0));

	/* Past 100 messages, the rest are counted. */
	{
		struct buf b;

		buf_init(&b, 0);
		buf_adds(&b, "[gleaner]\n");
		for (i = 0; i < 150; i++)
			buf_adds(&b, "nonsense\n");
		assert_null(load_str(b.data, big, sizeof(big)));
		buf_free(&b);
	}
	assert_non_null(strstr(big, ":101: expected 'key = value'\n"));
	assert_null(strstr(big, ":102:"));
	assert_non_null(strstr(big, ": and 50 more errors"));
}

static void
test_file_errors(void **state)
{
	char err[512];

	assert_null(config_load(DATA "no-such.conf", err, sizeof(err)));
	assert_string_equal(err, DATA "no-such.conf: No such file or directory");
	assert_null(config_load(DATA, err, sizeof(err)));
	assert_string_equal(err, DATA ": Is a directory");
}

static void
test_section_names(void **state)
{
	struct config *cf;
	char           name[200];

	cf = load_ok("[ feed   \"spaced\" ]\nurl = http://a/1\n"
		     "[FEED \"upper\"] ; a comment\nURL = http://a/2\n"
		     "[feed \"say \\\"hi\\\" \\\\o/\"] # another\nurl = http://a/3\n"
		     "[feed \"a ] b [ c\"]\nurl = http://a/4\n"
		     "[feed \"Caf\xc3\xa9 \xe2\x80\x94 ; # =\"]\nurl = http://a/5\n");
	assert_int_equal(cf->nfeeds, 5);
	assert_string_equal(cf->feeds[0].name, "spaced");
	assert_string_equal(cf->feeds[1].name, "upper");
	assert_string_equal(cf->feeds[1].url, "http://a/2");
	assert_string_equal(cf->feeds[2].name, "say \"hi\" \\o/");
	assert_string_equal(cf->feeds[3].name, "a ] b [ c");
	assert_string_equal(cf->feeds[4].name, "Caf\xc3\xa9 \xe2\x80\x94 ; # =");
	assert_string_equal(cf->feeds[4].title, cf->feeds[4].name);
	assert_int_equal(cf->feeds[0].line, 1);
	assert_int_equal(cf->feeds[4].line, 9);
	config_free(cf);

	/* inih would cut a section name at 50 bytes. */
	memset(name, 'n', 150);
	name[150] = '\0';
	{
		char text[400];

		snprintf(text, sizeof(text), "[feed \"%s\"]\nurl = http://a/\n", name);
		cf = load_ok(text);
	}
	assert_string_equal(cf->feeds[0].name, name);
	config_free(cf);

	/* A section without keys still counts; keys of a bad one are skipped. */
	check_error("[feed \"A\"]\n[feed \"B\"]\nurl = http://b/\n", 1, "[feed \"A\"] has no url");
	check_error("[bogus]\nwhatever = 1\n[gleaner]\ninterval = 1h\n", 1,
		    "unknown section 'bogus' (gleaner, feed or site)");
}

static void
test_headers(void **state)
{
	struct config *cf = load_ok("[feed \"A\"]\n"
				    "url = http://a/\n"
				    "header = X-One: 1\n"
				    "header = Authorization:Bearer abc.def/ghi==\n"
				    "header = X-Empty:   \n"
				    "header = Cookie: a=1; b=2\n"
				    "header = X-One: again\n"
				    "[feed \"B\"]\n"
				    "url = http://b/\n"
				    "header = X-Two: 2\n");

	assert_int_equal(cf->feeds[0].nheaders, 5);
	assert_string_equal(cf->feeds[0].headers[0], "X-One: 1");
	assert_string_equal(cf->feeds[0].headers[1], "Authorization: Bearer abc.def/ghi==");
	assert_string_equal(cf->feeds[0].headers[2], "X-Empty:");
	assert_string_equal(cf->feeds[0].headers[3], "Cookie: a=1; b=2");
	assert_string_equal(cf->feeds[0].headers[4], "X-One: again");
	assert_int_equal(cf->feeds[1].nheaders, 1);
	assert_string_equal(cf->feeds[1].headers[0], "X-Two: 2");
	config_free(cf);
}

static void
test_relative_paths(void **state)
{
	char           err[512], cwd[PATH_MAX], want[PATH_MAX + 64], text[PATH_MAX + 64];
	struct config *cf;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	cf = config_load(DATA "relative.conf", err, sizeof(err));
	if (cf == NULL)
		print_error("%s\n", err);
	assert_non_null(cf);
	snprintf(want, sizeof(want), "%s/tests/data/var/test.db", cwd);
	assert_string_equal(cf->database, want);
	snprintf(want, sizeof(want), "%s/tests/data/config/run/control.sock", cwd);
	assert_string_equal(cf->control_socket, want);
	config_free(cf);

	/* The same through "./" in the file's name. */
	cf = config_load("./" DATA "/relative.conf", err, sizeof(err));
	assert_non_null(cf);
	snprintf(want, sizeof(want), "%s/tests/data/var/test.db", cwd);
	assert_string_equal(cf->database, want);
	config_free(cf);

	cf = load_ok("[gleaner]\ndatabase = ./a.db\ncontrol_socket = /abs/c.sock\n");
	snprintf(want, sizeof(want), "%s/a.db", tmpdir);
	assert_string_equal(cf->database, want);
	assert_string_equal(cf->control_socket, "/abs/c.sock");
	config_free(cf);

	cf = load_ok("[gleaner]\ndatabase = .././/../x/../y.db\ncontrol_socket = d//s\n");
	assert_string_equal(cf->database, "/x/../y.db"); /* tmpdir is /tmp/...: up to / */
	snprintf(want, sizeof(want), "%s/d//s", tmpdir);
	assert_string_equal(cf->control_socket, want);
	config_free(cf);

	cf = load_ok("[gleaner]\ndatabase = ../../../../../../g.db\n");
	assert_string_equal(cf->database, "/g.db");
	config_free(cf);

	/* Relative to the file's directory, not to the working directory. */
	assert_int_equal(chdir("/"), 0);
	snprintf(text, sizeof(text), "%s/" DATA "relative.conf", cwd);
	cf = config_load(text, err, sizeof(err));
	assert_int_equal(chdir(cwd), 0);
	assert_non_null(cf);
	snprintf(want, sizeof(want), "%s/tests/data/var/test.db", cwd);
	assert_string_equal(cf->database, want);
	config_free(cf);

	/* A link to the file: its directory as named, not the link's target's. */
	snprintf(text, sizeof(text), "%s/link.conf", tmpdir);
	snprintf(want, sizeof(want), "%s/" DATA "relative.conf", cwd);
	assert_int_equal(symlink(want, text), 0);
	cf = config_load(text, err, sizeof(err));
	unlink(text);
	assert_non_null(cf);
	snprintf(want, sizeof(want), "%s/run/control.sock", tmpdir);
	assert_string_equal(cf->control_socket, want);
	config_free(cf);
}

/* What inih alone would get wrong, or what users write. */
static void
test_syntax(void **state)
{
	struct config *cf;

	/* Indented keys are keys, not continuations; CRLF; a BOM; comments. */
	cf = load_ok("\xEF\xBB\xBF[gleaner]\r\n"
		     "    interval = 2h\r\n"
		     "\ttimeout = 20s ; inline comment\r\n"
		     "; comment\r\n"
		     "  # indented comment\r\n"
		     "max_items: 7\r\n"
		     "user_agent = A#B ;C\r\n"
		     "[feed \"X\"]\r\n"
		     "   url = http://x/?a=1;b=2#frag\r\n"
		     "   title =   spaced   title   \r\n"
		     "   tags = one");
	assert_int_equal(cf->interval, 7200);
	assert_int_equal(cf->timeout, 20);
	assert_int_equal(cf->max_items, 7);
	assert_string_equal(cf->user_agent, "A#B");
	assert_string_equal(cf->feeds[0].url, "http://x/?a=1;b=2#frag");
	assert_string_equal(cf->feeds[0].title, "spaced   title");
	assert_int_equal(cf->feeds[0].ntags, 1);
	assert_string_equal(cf->feeds[0].tags[0], "one");
	config_free(cf);

	/* Keys and section kinds in any case. */
	cf = load_ok("[Gleaner]\nLog_Level = WARNING\nFull_Text = Off\n");
	assert_int_equal(cf->log_level, LOG_WARNING_);
	assert_int_equal(cf->full_text, 0);
	config_free(cf);

	/* An indented key after a key is a duplicate, not a continuation. */
	check_error("[gleaner]\ninterval = 1h\n  interval = 2h\n", 3,
		    "interval set twice (first on line 2)");
	/* A BOM counts only at the very start. */
	check_error("[gleaner]\n\xEF\xBB\xBFinterval = 1h\n", 2,
		    "unknown key '\xEF\xBB\xBFinterval' in [gleaner]");
	/* A NUL byte. */
	{
		char err[512], want[600];

		write_file(tmppath, "[gleaner]\ninter\0val = 1h\n", 25);
		assert_null(config_load(tmppath, err, sizeof(err)));
		snprintf(want, sizeof(want), "%s:2: control character 0x00 in line", tmppath);
		assert_string_equal(err, want);
	}
}

/* Lines up to CONFIG_LINE_MAX bytes, and line numbers right after a longer one. */
static void
test_long_lines(void **state)
{
	size_t         max = 8192; /* CONFIG_LINE_MAX */
	struct buf     b;
	struct config *cf;
	char           err[1024], want[1024];

	buf_init(&b, 0);
	buf_adds(&b, "[feed \"long\"]\nurl = http://a/");
	while (b.len - strlen("[feed \"long\"]\n") < max)
		buf_addc(&b, 'x');
	buf_adds(&b, "\n");
	cf = load_ok(b.data);
	assert_int_equal(strlen(cf->feeds[0].url), max - strlen("url = "));
	config_free(cf);

	buf_reset(&b);
	buf_adds(&b, "[gleaner]\nuser_agent = ");
	while (b.len - strlen("[gleaner]\n") < max + 1)
		buf_addc(&b, 'y');
	buf_adds(&b, "=z\ninterval = soon\n");
	assert_null(load_str(b.data, err, sizeof(err)));
	snprintf(want, sizeof(want),
		 "%s:2: line too long (8195 bytes, at most 8192)\n"
		 "%s:3: interval: not a duration (like 90s, 15m, 2h, 1d or 1h30m): 'soon'",
		 tmppath, tmppath);
	assert_string_equal(err, want);
	buf_free(&b);
}

/* Many feeds: the daemon's benchmark configures 10,000. */
static void
test_many_feeds(void **state)
{
	struct buf     b;
	struct config *cf;
	char           err[1024], want[1024];
	int            i;

	buf_init(&b, 0);
	for (i = 0; i < 10000; i++)
		buf_printf(&b, "[feed \"Feed %d\"]\nurl = http://127.0.0.1:8080/f/%d.xml\n", i, i);
	cf = load_ok(b.data);
	assert_int_equal(cf->nfeeds, 10000);
	assert_string_equal(cf->feeds[9999].url, "http://127.0.0.1:8080/f/9999.xml");
	assert_int_equal(cf->feeds[9999].line, 19999);
	config_free(cf);

	buf_printf(&b, "[feed \"Again\"]\nurl = http://127.0.0.1:8080/f/5000.xml\n");
	buf_printf(&b, "[feed \"Feed 7\"]\nurl = http://127.0.0.1:8080/f/x.xml\n");
	assert_null(load_str(b.data, err, sizeof(err)));
	snprintf(want, sizeof(want),
		 "%s:20002: url already used by [feed \"Feed 5000\"] on line 10002\n"
		 "%s:20003: name already used by [feed \"Feed 7\"] on line 15",
		 tmppath, tmppath);
	assert_string_equal(err, want);
	buf_free(&b);
}

/* The example that `make run` uses. */
static void
test_example_config(void **state)
{
	char           err[4096], cwd[PATH_MAX], want[PATH_MAX + 64];
	struct config *cf = config_load("config/gleaner.conf", err, sizeof(err));
	size_t         i;

	if (cf == NULL)
		print_error("%s\n", err);
	assert_non_null(cf);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(want, sizeof(want), "%s/var/gleaner.db", cwd);
	assert_string_equal(cf->database, want);
	snprintf(want, sizeof(want), "%s/var/control.sock", cwd);
	assert_string_equal(cf->control_socket, want);
	assert_int_equal(cf->interval, 1800);
	assert_true(cf->nfeeds >= 5);
	for (i = 0; i < cf->nfeeds; i++)
		assert_memory_equal(cf->feeds[i].url, "https://", 8);
	assert_string_equal(cf->feeds[0].url, "https://lwn.net/headlines/rss");
	config_free(cf);
}

/* The example in gleaner.conf(5) is a valid file. */
static void
test_man_example(void **state)
{
	FILE          *fp = fopen("man/gleaner.conf.5", "r");
	char           line[512];
	struct buf     b;
	struct config *cf;
	int            in = 0;

	assert_non_null(fp);
	buf_init(&b, 0);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strcmp(line, ".Sh EXAMPLES\n") == 0)
			in = 1;
		else if (in == 1 && strncmp(line, ".Bd -literal", 12) == 0)
			in = 2;
		else if (in == 2 && strcmp(line, ".Ed\n") == 0)
			break;
		else if (in == 2)
			buf_adds(&b, line);
	}
	fclose(fp);
	assert_non_null(b.data);
	cf = load_ok(b.data);
	assert_int_equal(cf->nfeeds, 2);
	assert_int_equal(cf->nsites, 1);
	assert_int_equal(cf->max_age, 90 * 86400);
	assert_int_equal(cf->log_level, LOG_NOTICE_);
	assert_string_equal(cf->feeds[1].headers[0], "X-Team: news");
	config_free(cf);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_duration),
	    cmocka_unit_test(test_size),
	    cmocka_unit_test(test_bool),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_full),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_multiple_errors),
	    cmocka_unit_test(test_error_buffer),
	    cmocka_unit_test(test_file_errors),
	    cmocka_unit_test(test_section_names),
	    cmocka_unit_test(test_headers),
	    cmocka_unit_test(test_relative_paths),
	    cmocka_unit_test(test_syntax),
	    cmocka_unit_test(test_long_lines),
	    cmocka_unit_test(test_many_feeds),
	    cmocka_unit_test(test_example_config),
	    cmocka_unit_test(test_man_example),
	};

	return cmocka_run_group_tests_name("config", tests, setup, teardown);
}
