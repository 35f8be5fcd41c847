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
export NO_COLOR=1
SUITE=articles
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

cat >"$tmp/t.py" <<'PY'
import json, sys
if sys.argv[1] == "reqs":  # reqs LOG PATH [SERVER]: requests for exactly PATH
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
elif sys.argv[1] == "between":  # between LOG PREFIX T0 T1: requests started in [T0, T1)
    print(sum(1 for e in json.load(open(sys.argv[2])) if e["path"].startswith(sys.argv[3])
              and float(sys.argv[4]) <= e["t"] < float(sys.argv[5])))
elif sys.argv[1] == "items":  # items JSON: id status per line
    for i in json.load(open(sys.argv[2])):
        print(i["id"], i["article_status"] or "none", i["title"])
PY
reqs() { "$PY" "$tmp/t.py" reqs "$tmp/log.json" "$@"; }
# Items by their guid's last segment (the parser resolves guids against the feed).
art() { sq "$DB" "SELECT a.$2 FROM items i JOIN articles a ON a.id = i.article_id WHERE i.guid LIKE '%/$1'"; }
item_id() { sq "$DB" "SELECT id FROM items WHERE guid LIKE '%/$1'"; }

PUB=$(public_addr)
start_httpd "127.0.0.1,127.0.0.2${PUB:+,$PUB}"
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
sj=$("$GLEAN" -c "$C" status --json 2>&1)
expect "glean status --json: one object, counts as numbers, next polls as an array" "$sj" \
	eval 'printf "%s" "$sj" | "$PY" -c "import json, sys; o = json.load(sys.stdin); assert isinstance(o[\"feeds\"], int) and o[\"feeds\"] >= 1 and isinstance(o[\"articles_queued\"], int) and isinstance(o[\"polls_waiting_for_lock\"], int) and isinstance(o[\"polling\"], list) and o[\"next\"] and all(n[\"url\"].startswith(\"http\") and n[\"at\"].endswith(\"Z\") for n in o[\"next\"])"'
kill -TERM "$D"; until_ok 10 eval '! alive '"$D"; wait "$D"; rc=$?
pids=$(printf ' %s' $pids | sed "s/ $D\b//g")
expect "gleanerd stops on SIGTERM, exit 0, no sanitizer report" "rc=$rc $(grep -m 3 -E 'Sanitizer|runtime error' "$tmp/daemon.err")" \
	eval '[ "$rc" -eq 0 ] && sanitizer_clean "$tmp/daemon.err"'

# ========================================================= 4. a host that says 429
# The newest item's page answers 429 with Retry-After: 30; the older
# item's page is on the same host.  The daemon waits out the host; --once
# leaves the page pending instead of waiting.
C=$tmp/rl.conf DB=$tmp/rl.db
{
	config rl 0
	printf '\n[feed "Busy"]\nurl = %s/feed-429.xml\nallow_private_addresses = yes\n' "$G"
} >"$C"
curl -s --max-time 10 "$H1/_reset_log" >/dev/null
"$GLEANERD" -c "$C" -f >"$tmp/rl.out" 2>"$tmp/rl.err" &
D=$!; pids="$pids $D"
until_ok 15 eval '[ -n "$(art lim status)" ] && [ "$(art lim status)" != pending ]'
sleep 3
getlog
expect "429 on an article page: the host's other article waits (Retry-After 30 s)" \
	"429 page: $(art lim status) (HTTP $(art lim http_status)); requests for the other page: $(reqs /pages/story.html?after429=1); $(grep -m 2 -E '429|wait' "$tmp/rl.err")" \
	eval '[ "$(art lim http_status)" = 429 ] && [ "$(reqs /pages/story.html?after429=1)" = 0 ] && grep -q "HTTP 429: article fetches from 127.0.0.1 wait 30 s" "$tmp/rl.err"'
expect "429 on an article page: the article is retried after the Retry-After, not before" \
	"next_attempt - fetched_at = $(sq "$DB" "SELECT a.next_attempt - a.fetched_at FROM items i JOIN articles a ON a.id = i.article_id WHERE i.guid LIKE '%/lim'")" \
	eval 'ge "$(sq "$DB" "SELECT a.next_attempt - a.fetched_at FROM items i JOIN articles a ON a.id = i.article_id WHERE i.guid LIKE '"'%/lim'"'")" 30'
kill -TERM "$D"; until_ok 10 eval '! alive '"$D"; wait "$D"; rc=$?
pids=$(printf ' %s' $pids | sed "s/ $D\b//g")
expect "429 run: SIGTERM exits 0, no sanitizer report" "rc=$rc" \
	eval '[ "$rc" -eq 0 ] && sanitizer_clean "$tmp/rl.err"'
rm -f "$tmp/rl.db" "$tmp/rl.db-wal" "$tmp/rl.db-shm"
t0=$(now_ms)
timeout -k 5 60 "$GLEANERD" -c "$C" -f --once >"$tmp/rl1.out" 2>"$tmp/rl1.err"; rc=$?
t1=$(now_ms)
expect "429 with --once: the host's other article is left pending, --once does not wait 30 s" \
	"rc=$rc in $((t1 - t0)) ms; other page: $(art after status); $(grep -m 2 -E 'not fetched|429' "$tmp/rl1.err")" \
	eval '[ "$rc" -eq 0 ] && [ $((t1 - t0)) -lt 20000 ] && [ "$(art after status)" = pending ] && grep -q "articles not fetched: the host asked to wait" "$tmp/rl1.err"'

# ========================================================= 5. refresh --wait and articles
# A running daemon, a feed it has not polled yet (added with glean --db, no
# notice to the daemon): glean refresh --wait returns when the feed's new
# items and their articles are stored.
C=$tmp/rw.conf DB=$tmp/rw.db
{
	config rw 0
	printf 'allow_private_addresses = yes\n'
} | sed '/^allow_private_addresses = no$/d' >"$C"
"$GLEANERD" -c "$C" -f >"$tmp/rw.out" 2>"$tmp/rw.err" &
D=$!; pids="$pids $D"
until_ok 10 test -S "$tmp/rw.sock"
GLEANER_SOCKET=$tmp/none.sock "$GLEAN" --db "$DB" add "$G/feed-refresh.xml" >/dev/null 2>&1
# On another host: a 429 pauses its own host's articles only.
GLEANER_SOCKET=$tmp/none.sock "$GLEAN" --db "$DB" add "http://127.0.0.2:$PORT/pages/feed-429.xml?rw=1" >/dev/null 2>&1
t0=$(now_ms)
out=$("$GLEAN" -c "$C" refresh --wait 2>&1); rc=$?
t1=$(now_ms)
st1=$(art r1 status) st2=$(art r2 status)
expect "refresh --wait: returns once the new items' articles are stored (show has them at once)" \
	"rc=$rc in $((t1 - t0)) ms; r1 $st1, r2 $st2; output: $(printf '%s' "$out" | tr '\n' '|')" \
	eval '[ "$rc" -eq 0 ] && [ "$st1" = extracted ] && [ "$st2" = extracted ]'
expect "refresh --wait: one line per article, after the feeds' lines" \
	"$(printf '%s' "$out" | tr '\n' '|')" \
	eval '[ "$(printf "%s\n" "$out" | grep -c "^article [0-9]* extracted$")" -ge 2 ] &&
	      [ "$(printf "%s\n" "$out" | grep -n "^article" | head -n 1 | cut -d: -f1)" -gt "$(printf "%s\n" "$out" | grep -n "new$" | tail -n 1 | cut -d: -f1)" ]'
expect "refresh --wait: an article whose host asked to wait (429, 30 s) is not waited for" \
	"$((t1 - t0)) ms; after: $(art after status)" eval '[ $((t1 - t0)) -lt 20000 ]'
kill -TERM "$D"; until_ok 10 eval '! alive '"$D"; wait "$D"; rc=$?
pids=$(printf ' %s' $pids | sed "s/ $D\b//g")
expect "refresh run: SIGTERM exits 0, no sanitizer report" "rc=$rc" \
	eval '[ "$rc" -eq 0 ] && sanitizer_clean "$tmp/rw.err"'

# ========================================================= 6. a write lock held by another process
# Ten article pages on one host, 1 s apart.  While another process holds
# the write lock for 6 s, an article that cannot be stored pauses the
# article queue (5 s) instead of fetching page after page for nothing.
C=$tmp/lk.conf DB=$tmp/lk.db
{
	config lk 1
	printf '\n[feed "Many"]\nurl = %s/feed-many.xml\nallow_private_addresses = yes\n' "$G"
} >"$C"
"$GLEANERD" -c "$C" -f >"$tmp/lk.out" 2>"$tmp/lk.err" &
D=$!; pids="$pids $D"
until_ok 15 eval '[ "$(sq "$DB" "SELECT count(*) FROM articles WHERE status <> '"'pending'"'")" -ge 2 ] 2>/dev/null'
at_lock=$(sq "$DB" "SELECT status || ' ' || count(*) FROM articles GROUP BY status" | tr '\n' ' ')
t_lock=$(date +%s.%N)
"$PY" -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
c.execute("BEGIN IMMEDIATE"); time.sleep(6); c.execute("ROLLBACK")' "$DB"
t_free=$(date +%s.%N)
until_ok 30 eval '[ "$(sq "$DB" "SELECT count(*) FROM articles WHERE status = '"'pending'"'")" = 0 ]'
getlog
during=$("$PY" "$tmp/t.py" between "$tmp/log.json" /pages/latin1.htm?many= "$t_lock" "$t_free")
expect "a write lock held 6 s: the article queue pauses instead of fetching a page a second for nothing" \
	"articles when the lock was taken: $at_lock; page fetches started during it: $during; $(grep -c 'storing the article failed' "$tmp/lk.err") store failures" \
	eval 'le "$during" 3'
expect "a write lock held 6 s: every article stored once it is let go" \
	"pending: $(sq "$DB" "SELECT count(*) FROM articles WHERE status = 'pending'"); $(tail -n 2 "$tmp/lk.err")" \
	eval '[ "$(sq "$DB" "SELECT count(*) FROM articles WHERE status = '"'pending'"'")" = 0 ]'
kill -TERM "$D"; until_ok 10 eval '! alive '"$D"; wait "$D"; rc=$?
pids=$(printf ' %s' $pids | sed "s/ $D\b//g")
expect "lock run: SIGTERM exits 0, no sanitizer report" "rc=$rc" \
	eval '[ "$rc" -eq 0 ] && sanitizer_clean "$tmp/lk.err"'

# ========================================================= 7. glean add: feed discovery
A=$tmp/add.db
feedurls() { sq "$A" "SELECT url FROM feeds ORDER BY id" | tr '\n' ' '; }
out=$(GLEANER_SOCKET=$tmp/none.sock "$GLEAN" --db "$A" add "$G/home.html" 2>&1); rc=$?
expect "glean add on a web page subscribes to the first feed it names (<link rel=alternate>, <base href>)" \
	"rc=$rc: $out; feeds: $(feedurls)" \
	eval '[ "$rc" -eq 0 ] && [ "$(feedurls)" = "$G/feed.xml " ] && contains "$out" "its feed: $G/feed.xml" &&
	      contains "$out" "also names: $G/feed-nofull.xml" && ! contains "$out" wp-json'
out=$(GLEANER_SOCKET=$tmp/none.sock "$GLEAN" --db "$A" add "$G/feed-nofull.xml" 2>&1); rc=$?
expect "glean add on a feed subscribes to it as given" "rc=$rc: $out" \
	eval '[ "$rc" -eq 0 ] && [ "$(feedurls)" = "$G/feed.xml $G/feed-nofull.xml " ] && ! contains "$out" "web page"'
out=$(GLEANER_SOCKET=$tmp/none.sock "$GLEAN" --db "$A" add "$G/story.html?nofeed=1" 2>&1); rc=$?
expect "glean add on a page that names no feed: exit 1, says so, adds nothing" "rc=$rc: $out" \
	eval '[ "$rc" -eq 1 ] && contains "$out" "names none" && contains "$out" --no-discover && [ "$(sq "$A" "SELECT count(*) FROM feeds")" = 2 ]'
out=$(GLEANER_SOCKET=$tmp/none.sock "$GLEAN" --db "$A" add --no-discover "$G/story.html?nofeed=1" 2>&1); rc=$?
expect "glean add --no-discover adds the URL as given, unfetched" "rc=$rc: $out" \
	eval '[ "$rc" -eq 0 ] && [ "$(sq "$A" "SELECT count(*) FROM feeds")" = 3 ]'
out=$(GLEANER_SOCKET=$tmp/none.sock "$GLEAN" --db "$A" add "$G/no-such-feed.xml" 2>&1); rc=$?
expect "glean add on a 404: exit 1, HTTP 404 named, nothing added" "rc=$rc: $out" \
	eval '[ "$rc" -eq 1 ] && contains "$out" "HTTP 404" && [ "$(sq "$A" "SELECT count(*) FROM feeds")" = 3 ]'
out=$(GLEANER_SOCKET=$tmp/none.sock "$GLEAN" --db "$A" add "http://127.0.0.1:1/feed.xml" 2>&1); rc=$?
expect "glean add when the URL cannot be reached: added as given, with a warning" "rc=$rc: $out" \
	eval '[ "$rc" -eq 0 ] && contains "$out" "could not be checked" && [ "$(sq "$A" "SELECT count(*) FROM feeds")" = 4 ]'

# A configured feed URL that is a web page: the error names the page's feed.
C=$tmp/pg.conf DB=$tmp/pg.db
{
	config pg 0
	printf '\n[feed "Site"]\nurl = %s/home.html\nallow_private_addresses = yes\n' "$G"
} >"$C"
timeout -k 5 $((60 * SLOW)) "$GLEANERD" -c "$C" -f --once >"$tmp/pg.out" 2>"$tmp/pg.err"; rc=$?
err=$("$GLEAN" --db "$DB" feeds --json 2>&1 | "$PY" -c 'import json, sys; print(json.load(sys.stdin)[0]["last_error"])')
expect "a feed URL that is a web page: the error names the feed the page names" "rc=$rc: $err" \
	eval '[ "$rc" -eq 0 ] && contains "$err" "not a feed" && contains "$err" "the page names a feed: $G/feed.xml"'

kill -TERM "$HTTPD"; wait "$HTTPD" 2>/dev/null
pids=$(printf ' %s' $pids | sed "s/ $HTTPD\b//g")
echo "articles: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
