#!/bin/bash
# Integration tests of gleanerd's article fetching against the test server
# (tests/integration/httpd.py serving tests/data/articles), checked through
# glean (show, items --json, search, refetch) and the database with sqlite3.
#
# usage: tests/integration/articles.sh GLEANERD GLEAN
# Prints "ok NAME" / "FAIL NAME" per check, ends with
# "articles: N passed, N failed" and exits non-zero on failure.
#
#  1. gleanerd --once over a feed whose items link to: a page (and its print
#     edition, the same article by <link rel=canonical>), a page that 404s,
#     one that never answers, an image, a page over max_body, a page with
#     nothing to extract, a page on another private address, a redirect
#     from a public address to a private one; and a feed with full text
#     off.  Each outcome is stored with its status and retry time.
#  2. spacing: article_host_delay between two fetches from one host, and one
#     at a time with article_host_connections = 1; a [site] rule.
#  3. gleanerd as a daemon: a failed article whose retry came due is fetched
#     at start (charset from <meta http-equiv> only); glean refetch --wait.
# Needs bash, python3, sqlite3 and curl; about 15 s.  VERBOSE=1 shows every
# check's values.  GLEANER_TEST_SLOW=N (default 1) multiplies every time limit
# by N, for gleanerd under valgrind (make valgrind); the checks stay the same.
set -u
GLEANERD=${1:?usage: articles.sh GLEANERD GLEAN}
GLEAN=${2:?usage: articles.sh GLEANERD GLEAN}
case $GLEANERD in /*) ;; *) GLEANERD=$PWD/$GLEANERD ;; esac
case $GLEAN in /*) ;; *) GLEAN=$PWD/$GLEAN ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON:-python3}
SLOW=${GLEANER_TEST_SLOW:-1}
case $SLOW in '' | *[!0-9]* | 0) SLOW=1 ;; esac
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export NO_COLOR=1

pass=0 fail=0 pids=""
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gleaner-articles.XXXXXX") || exit 1
cleanup() {
	trap '' INT TERM HUP
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	sleep 0.2
	for p in $pids; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

ok()  { pass=$((pass + 1)); echo "ok   $1"; [ -n "${VERBOSE:-}" ] && [ -n "${2:-}" ] && printf '     %s\n' "$2"; return 0; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '     %s\n' "$2" | head -n 20; return 0; }
expect() { local _n=$1 _d=$2; shift 2; if "$@"; then ok "$_n" "$_d"; else bad "$_n" "$_d"; fi; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
alive() { local st=""; [ -r "/proc/$1/stat" ] && read -r _ _ st _ <"/proc/$1/stat"; [ -n "$st" ] && [ "$st" != Z ]; }
until_ok() { local end=$(($(now_ms) + $1 * 1000 * SLOW)); shift
	while ! "$@"; do [ "$(now_ms)" -ge "$end" ] && return 1; sleep 0.1; done; }
sq() { sqlite3 -cmd '.timeout 5000' "$@" 2>&1; }
contains() { case $1 in *"$2"*) return 0 ;; esac; return 1; }
ge() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -ge "$2" ] 2>/dev/null; }
le() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -le "$2" ] 2>/dev/null; }
sanitizer_clean() { ! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$@"; }

cat >"$tmp/t.py" <<'PY'
import ipaddress, json, sys
if sys.argv[1] == "public":  # a local address gleanerd does not count as private
    nets = [ipaddress.ip_network(n) for n in ("0.0.0.0/8", "10.0.0.0/8", "127.0.0.0/8",
            "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "224.0.0.0/4",
            "240.0.0.0/4")]  # addr_is_private() in daemon/fetch.c
    for a in sys.stdin.read().split():
        try:
            ip = ipaddress.ip_address(a)
        except ValueError:
            continue
        if ip.version == 4 and not any(ip in n for n in nets):
            print(a)
            break
elif sys.argv[1] == "reqs":  # reqs LOG PATH [SERVER]: requests for exactly PATH
    ents = [e for e in json.load(open(sys.argv[2])) if e["path"] == sys.argv[3]
            and (len(sys.argv) < 5 or e["server"] == sys.argv[4])]
    print(len(ents))
elif sys.argv[1] == "header":  # header LOG PATH NAME: of the first request for PATH
    for e in json.load(open(sys.argv[2])):
        if e["path"] == sys.argv[3]:
            print({k.lower(): v for k, v in e["headers"].items()}.get(sys.argv[4].lower(), ""))
            break
elif sys.argv[1] == "spacing":  # spacing LOG PREFIX: min gap between starts, overlaps
    ents = sorted((e for e in json.load(open(sys.argv[2])) if e["path"].startswith(sys.argv[3])
                   and "feed" not in e["path"]), key=lambda e: e["t"])
    gaps = [b["t"] - a["t"] for a, b in zip(ents, ents[1:])]
    overlap = sum(1 for a, b in zip(ents, ents[1:]) if b["t"] < a.get("t_done", a["t"]))
    print("%d %.3f %d" % (len(ents), min(gaps) if gaps else -1, overlap))
elif sys.argv[1] == "items":  # items JSON: id status per line
    for i in json.load(open(sys.argv[2])):
        print(i["id"], i["article_status"] or "none", i["title"])
PY
getlog() { curl -s --max-time 10 "http://127.0.0.1:$PORT/_log" >"$tmp/log.json"; }
reqs() { "$PY" "$tmp/t.py" reqs "$tmp/log.json" "$@"; }
# Items by their guid's last segment (the parser resolves guids against the feed).
art() { sq "$DB" "SELECT a.$2 FROM items i JOIN articles a ON a.id = i.article_id WHERE i.guid LIKE '%/$1'"; }
item_id() { sq "$DB" "SELECT id FROM items WHERE guid LIKE '%/$1'"; }

PUB=${GLEANER_TEST_PUBLIC_ADDR:-$(hostname -I 2>/dev/null | "$PY" "$tmp/t.py" public)}
[ "$PUB" = none ] && PUB=""
"$PY" "$HERE/httpd.py" --addr "127.0.0.1,127.0.0.2${PUB:+,$PUB}" >"$tmp/httpd.out" 2>"$tmp/httpd.err" &
HTTPD=$!; pids="$pids $HTTPD"
until_ok 10 test -s "$tmp/httpd.out" || { echo "FAIL httpd.py did not start: $(cat "$tmp/httpd.err")"; echo "articles: 0 passed, 1 failed"; exit 1; }
PORT=$(head -n 1 "$tmp/httpd.out")
H1=http://127.0.0.1:$PORT
# The feeds' item links, as stored (the feed fills in its own host).
G=$H1/pages

# config NAME DELAY: a configuration; private addresses are off globally,
# on for the feeds (and so for article pages on the feeds' own host).
config() {
	cat <<EOF
[gleaner]
database = $tmp/$1.db
control_socket = $tmp/$1.sock
timeout = 3s
connect_timeout = 2s
max_body = 64K
article_host_delay = $2
article_host_connections = 1
allow_private_addresses = no
log_level = info
EOF
}

# ========================================================= 1. --once
C=$tmp/once.conf DB=$tmp/once.db
{
	config once 0
	printf '\n[feed "Gazette"]\nurl = %s/feed.xml%s\nallow_private_addresses = yes\n' "$G" "${PUB:+?pub=$PUB}"
	printf '\n[feed "Headlines"]\nurl = %s/feed-nofull.xml\nallow_private_addresses = yes\nfull_text = no\n' "$G"
} >"$C"
t0=$(now_ms)
timeout -k 5 $((60 * SLOW)) "$GLEANERD" -c "$C" -f --once >"$tmp/once.out" 2>"$tmp/once.err"; rc=$?
secs=$((($(now_ms) - t0) / 1000))
expect "--once polls, fetches the articles, stores them and exits 0" \
	"rc=$rc in $secs s: $(tail -n 4 "$tmp/once.err")" \
	eval '[ "$rc" -eq 0 ] && grep -q "fetched [0-9]* articles" "$tmp/once.err"'
expect "--once waits for the article that never answers, up to the timeout (3 s)" \
	"hang status '$(art hang status)', rc=$rc in $secs s" \
	eval '[ "$(art hang status)" = timeout ] && le "$secs" $((30 * SLOW))'
getlog

# The article: its paragraphs, markers and metadata, not the page's chrome.
"$GLEAN" --db "$DB" show --keep-unread "$(item_id story)" >"$tmp/show.txt" 2>&1; rc=$?
show=$(cat "$tmp/show.txt")
expect "glean show prints the extracted article's paragraphs" "rc=$rc: $(head -c 600 "$tmp/show.txt")" \
	eval '[ "$rc" -eq 0 ] && contains "$show" "For more than a century, the keepers of Skerryvore" &&
		contains "$show" "The light was automated in 1994"'
expect "glean show leaves out navigation, sidebar and footer" "$(head -c 300 "$tmp/show.txt")" \
	eval '! contains "$show" NavigationLink && ! contains "$show" SidebarPopular && ! contains "$show" FooterCopyright'
expect "glean show: heading, list items and quote with their markers, one per line" \
	"$(grep -nE '^(## |- |> )' "$tmp/show.txt")" \
	eval 'grep -qxF -e "## Life on the rock" "$tmp/show.txt" &&
		grep -qxF -e "- Wicks were trimmed at dusk and again at midnight." "$tmp/show.txt" &&
		grep -qxF -e "- The lens was polished every morning with a soft chamois." "$tmp/show.txt" &&
		grep -q "^> We never once let the light go out" "$tmp/show.txt"'
expect "glean show: blocks apart, a blank line between paragraphs" \
	"$(grep -n "Skerryvore lived\|The tower was" "$tmp/show.txt")" \
	eval '! grep -q "winter gale.*The tower" "$tmp/show.txt" &&
		grep -A1 "winter gale\.$" "$tmp/show.txt" | tail -n 1 | grep -qx ""'
expect "glean show: site, title, byline and date first, the source URL last" \
	"$(head -n 5 "$tmp/show.txt" | tr '\n' '|') ... $(tail -n 1 "$tmp/show.txt")" \
	eval '[ "$(head -n 1 "$tmp/show.txt")" = "Coastal Gazette" ] &&
		grep -q "^The Lighthouse Keepers of Skerryvore$" "$tmp/show.txt" &&
		grep -q "^Morag Campbell · 2024-01-01" "$tmp/show.txt" &&
		[ "$(tail -n 1 "$tmp/show.txt")" = "$G/story.html" ]'

# On a terminal (a pty 50 columns wide, no pager): wrapped under the markers.
if command -v script >/dev/null 2>&1; then
	script -qec "stty cols 50 rows 100; PAGER= '$GLEAN' --db '$DB' show --keep-unread $(item_id story)" /dev/null 2>&1 |
		tr -d '\r' >"$tmp/tty.txt"
	wide=$(grep -v '^http' "$tmp/tty.txt" | awk 'length($0) > 50' | head -n 2)
	expect "glean show on a terminal wraps at its width, under list and quote markers" \
		"lines over 50: '$wide'; $(grep -A1 '^- Wicks' "$tmp/tty.txt" | tr '\n' '|') $(grep -A1 '^> We never' "$tmp/tty.txt" | tr '\n' '|')" \
		eval '[ -z "$wide" ] && grep -A1 "^- Wicks" "$tmp/tty.txt" | tail -n 1 | grep -q "^  [a-z]" &&
			grep -A1 "^> We never" "$tmp/tty.txt" | tail -n 1 | grep -q "^> [a-z]" &&
			grep -q "^## Life on the rock$" "$tmp/tty.txt"'
else
	echo "# skipped: glean show on a terminal (no script(1))"
fi
"$GLEAN" --db "$DB" show --keep-unread "$(item_id flaky)" >"$tmp/show404.txt" 2>&1
expect "glean show of an item whose article failed: its own text and why" "$(cat "$tmp/show404.txt")" \
	eval 'grep -q "^A page that 404s until fixed.$" "$tmp/show404.txt" &&
		grep -q "article not extracted: http_error: HTTP 404; next attempt" "$tmp/show404.txt"'

# Two items, one article (the print edition's canonical URL is the story's).
a1=$(art print id)
a2=$(art story id)
n=$(sq "$DB" "SELECT count(*) FROM articles WHERE url LIKE '%/story%.html' AND url NOT LIKE '%?%'")
expect "two items whose pages are one article (canonical): one row, fetched once" \
	"article ids $a1 $a2, rows $n; requests: story-print $(reqs /pages/story-print.html), story $(reqs /pages/story.html)" \
	eval '[ -n "$a1" ] && [ "$a1" = "$a2" ] && [ "$n" = 1 ] &&
		[ "$(reqs /pages/story-print.html)" = 1 ] && [ "$(reqs /pages/story.html)" = 0 ]'
"$GLEAN" --db "$DB" show --keep-unread "$(item_id print)" >"$tmp/show1.txt" 2>&1
expect "glean show of the other item prints the same article" "$(head -c 300 "$tmp/show1.txt")" \
	eval 'grep -q "^## Life on the rock$" "$tmp/show1.txt"'
expect "article fetches ask for HTML" "Accept: $("$PY" "$tmp/t.py" header "$tmp/log.json" /pages/story-print.html Accept)" \
	eval 'contains "$("$PY" "$tmp/t.py" header "$tmp/log.json" /pages/story-print.html Accept)" text/html'

now=$(date +%s)
na=$(art flaky next_attempt)
expect "a 404 page: the item stays, status http_error 404, retried in a day" \
	"status '$(art flaky status)' http '$(art flaky http_status)' error '$(art flaky error)' next in $((na - now)) s; item $(item_id flaky)" \
	eval '[ "$(art flaky status)" = http_error ] && [ "$(art flaky http_status)" = 404 ] &&
		[ -n "$(item_id flaky)" ] && ge "$((na - now))" 80000 && le "$((na - now))" 86400'
na=$(art hang next_attempt)
expect "a page that never answers: status timeout, retried in 10 minutes" \
	"status '$(art hang status)' error '$(art hang error)' next in $((na - now)) s" \
	eval '[ "$(art hang status)" = timeout ] && ge "$((na - now))" 500 && le "$((na - now))" 600'
expect "an image: status not_html, not retried" \
	"status '$(art photo status)' error '$(art photo error)' next '$(art photo next_attempt)'" \
	eval '[ "$(art photo status)" = not_html ] && contains "$(art photo error)" image/png && [ -z "$(art photo next_attempt)" ]'
expect "a page over max_body: status too_large" "status '$(art huge status)' error '$(art huge error)'" \
	eval '[ "$(art huge status)" = too_large ]'
expect "a page without an article: status empty" "status '$(art gallery status)' error '$(art gallery error)'" \
	eval '[ "$(art gallery status)" = empty ]'
expect "a page on another private address is refused, no request made" \
	"status '$(art priv status)' error '$(art priv error)'; requests on 127.0.0.2: $(reqs '/pages/story.html?host=2' 127.0.0.2)" \
	eval '[ "$(art priv status)" = error ] && contains "$(art priv error)" "private address" &&
		[ "$(reqs "/pages/story.html?host=2" 127.0.0.2)" = 0 ]'
if [ -n "$PUB" ]; then
	expect "a redirect from a public address ($PUB) to a private one is refused" \
		"status '$(art pubredir status)' error '$(art pubredir error)'; /toprivate $(reqs "/toprivate?to=$G/story.html%3Fvia%3Dpub"), target $(reqs /pages/story.html?via=pub)" \
		eval '[ "$(art pubredir status)" = error ] && contains "$(art pubredir error)" "private address" &&
			[ "$(reqs /pages/story.html?via=pub)" = 0 ]'
else
	echo "# skipped: a redirect to a private address (no local address outside the private ranges; set GLEANER_TEST_PUBLIC_ADDR)"
fi
expect "a feed with full text off: no article made, its page not fetched" \
	"item '$(item_id h1)' article '$(art h1 id)', requests $(reqs /pages/story.html?nofull=1)" \
	eval '[ -n "$(item_id h1)" ] && [ -z "$(art h1 id)" ] && [ "$(reqs /pages/story.html?nofull=1)" = 0 ]'

"$GLEAN" --db "$DB" items --json >"$tmp/items.json" 2>&1
st=$("$PY" "$tmp/t.py" items "$tmp/items.json" 2>&1 | sort -n | awk '{print $2}' | tr '\n' ' ')
expect "glean items --json gives each item's article_status" "$st" \
	eval 'contains "$st" "extracted extracted http_error timeout not_html too_large empty error"'
"$GLEAN" --db "$DB" show --format json --keep-unread "$(item_id story)" >"$tmp/show.json" 2>&1
js=$("$PY" -c 'import json,sys; a=json.load(open(sys.argv[1]))["article"]; print(a["status"], a["http_status"], a["byline"], a["site_name"], a["word_count"] > 100, a["published"])' "$tmp/show.json" 2>&1)
expect "glean show --format json: the article's fields and status" "$js" \
	[ "$js" = "extracted 200 Morag Campbell Coastal Gazette True 2024-01-01T09:30:00Z" ]
s=$("$GLEAN" --db "$DB" search paraffin 2>&1)
expect "search finds both items by a word only their article has" "$s" \
	eval 'contains "$s" "Skerryvore (print edition)" && contains "$s" "The Lighthouse Keepers of Skerryvore"'
expect "the full-text index is consistent" "$(sq "$DB" "INSERT INTO items_fts(items_fts) VALUES('integrity-check')")" \
	eval '[ -z "$(sq "$DB" "INSERT INTO items_fts(items_fts) VALUES('"'integrity-check'"')")" ]'
expect "no sanitizer report from --once" "$(grep -m 3 -E 'Sanitizer|runtime error' "$tmp/once.err")" \
	sanitizer_clean "$tmp/once.err"

# ========================================================= 2. spacing
curl -s "$H1/_reset_log" >/dev/null
C2=$tmp/polite.conf DB2=$tmp/polite.db
{
	config polite 1s
	printf '\n[feed "Gazette"]\nurl = %s/feed.xml\nallow_private_addresses = yes\n' "$G"
	printf '\n[site "127.0.0.1"]\nremove = blockquote\n'
} >"$C2"
timeout -k 5 $((60 * SLOW)) "$GLEANERD" -c "$C2" -f --once >"$tmp/polite.out" 2>"$tmp/polite.err"; rc=$?
getlog
# Article pages under /pages/ (the feed left out).  gleanerd counts the
# delay from its own start of the fetch; the server sees the request after
# the connect and send, which vary by more than 50 ms only when gleanerd is
# slowed (memcheck): the margin is 0.05 s times SLOW.
read -r arts gap overlaps <<<"$("$PY" "$tmp/t.py" spacing "$tmp/log.json" "/pages/")"
expect "article_host_delay = 1s: fetches from one host start at least 1 s apart, one at a time" \
	"rc=$rc; $arts article requests, smallest gap between starts $gap s, overlaps $overlaps" \
	eval '[ "$rc" -eq 0 ] && ge "$arts" 4 && "$PY" -c "import sys; sys.exit(not float(sys.argv[1]) >= 1 - 0.05 * int(sys.argv[2]))" "$gap" "$SLOW" && [ "$overlaps" = 0 ]'

t2=$(sq "$DB2" "SELECT a.text FROM items i JOIN articles a ON a.id = i.article_id WHERE i.guid LIKE '%/story'")
expect "a [site] rule (remove = blockquote) is applied to that host's pages" \
	"quote in the first run: $(contains "$show" "We never once" && echo yes || echo no); in this one: $(contains "$t2" "We never once" && echo yes || echo no); $(grep -m 1 'site' "$tmp/polite.err")" \
	eval 'contains "$t2" "The light was automated" && ! contains "$t2" "We never once" && contains "$show" "We never once"'
expect "no sanitizer report from the second --once" "$(grep -m 3 -E 'Sanitizer|runtime error' "$tmp/polite.err")" \
	sanitizer_clean "$tmp/polite.err"

# ========================================================= 3. daemon
# A day passes for the 404 page, which is fixed meanwhile: the daemon
# fetches it at start.
curl -s "$H1/_fix" >/dev/null
curl -s "$H1/_reset_log" >/dev/null
sq "$DB" "UPDATE articles SET next_attempt = strftime('%s','now') - 1 WHERE id = $(art flaky id)" >/dev/null
"$GLEANERD" -c "$C" -f >"$tmp/daemon.out" 2>"$tmp/daemon.err" &
D=$!; pids="$pids $D"
until_ok 15 eval '[ "$(art flaky status)" = extracted ]'
"$GLEAN" --db "$DB" show --keep-unread "$(item_id flaky)" >"$tmp/show3.txt" 2>&1
expect "a failed article is fetched again when its retry comes (daemon)" \
	"status '$(art flaky status)' attempts '$(art flaky attempts)'; $(grep -m 2 latin1 "$tmp/daemon.err")" \
	eval '[ "$(art flaky status)" = extracted ] && [ "$(art flaky attempts)" = 2 ]'
expect "charset from <meta http-equiv> when the header has none (ISO-8859-1)" \
	"$(grep -m 2 -i caf "$tmp/show3.txt")" \
	eval 'grep -q "crème brûlée" "$tmp/show3.txt" && grep -q "^Café society$" "$tmp/show3.txt"'

until_ok 10 test -S "$tmp/once.sock"
out=$("$GLEAN" -c "$C" refetch --wait "$(item_id story)" 2>&1); rc=$?
getlog
expect "glean refetch --wait: the article is fetched now and its status printed" \
	"rc=$rc: $out; requests for story.html: $(reqs /pages/story.html)" \
	eval '[ "$rc" -eq 0 ] && contains "$out" extracted && [ "$(reqs /pages/story.html)" = 1 ]'
out=$("$GLEAN" -c "$C" refetch "$(item_id h1)" 2>&1); rc=$?
expect "glean refetch of an item whose feed has full text off says so (exit 1)" "rc=$rc: $out" \
	eval '[ "$rc" -eq 1 ] && contains "$out" "full text off"'
out=$("$GLEAN" -c "$C" refetch 99999 2>&1); rc=$?
expect "glean refetch of no such item (exit 1)" "rc=$rc: $out" \
	eval '[ "$rc" -eq 1 ] && contains "$out" "no item 99999"'
st=$("$GLEAN" -c "$C" status 2>&1)
expect "glean status shows the article queue" "$st" eval 'contains "$st" articles_queued'
kill -TERM "$D"; until_ok 10 eval '! alive '"$D"; wait "$D"; rc=$?
pids=$(printf ' %s' $pids | sed "s/ $D\b//g")
expect "gleanerd stops on SIGTERM, exit 0, no sanitizer report" "rc=$rc $(grep -m 3 -E 'Sanitizer|runtime error' "$tmp/daemon.err")" \
	eval '[ "$rc" -eq 0 ] && sanitizer_clean "$tmp/daemon.err"'

kill -TERM "$HTTPD"; wait "$HTTPD" 2>/dev/null
pids=$(printf ' %s' $pids | sed "s/ $HTTPD\b//g")
echo "articles: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
