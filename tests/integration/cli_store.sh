#!/bin/sh
# The glean CLI against a real database: feeds, items, show, marks, search,
# OPML round trip, exit statuses, colour.  Run from the top of the tree:
#   sh tests/integration/cli_store.sh GLEAN
# Ends with "cli_store: N passed, N failed"; exits non-zero on a failure.
GLEAN=${1:?usage: cli_store.sh GLEAN}
case $GLEAN in /*) ;; *) GLEAN=$(pwd)/$GLEAN ;; esac
D=tests/data/store
pass=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
DB=$tmp/g.db
export TZ=UTC PAGER=cat
unset NO_COLOR GLEANER_DB XDG_DATA_HOME
export HOME="$tmp/home"   # never the user's own database

ok()  { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "$2" ] && printf '     %s\n' "$2"; return 0; }
g()   { "$GLEAN" --db "$DB" "$@"; }
# run CMD...: stdout in $tmp/out, stderr in $tmp/err, status in $rc
run() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
# status NAME WANT CMD...: passes when CMD exits WANT
status() { n=$1; want=$2; shift 2; run "$@"
	if [ "$rc" -eq "$want" ]; then ok "$n"; else bad "$n" "exit $rc, want $want: $(head -c 300 "$tmp/err")"; fi; }
# py NAME SCRIPT [ARGS]: passes when the Python script (stdin: $tmp/out) exits 0
py() { n=$1; s=$2; shift 2
	if python3 -c "$s" "$@" <"$tmp/out" 2>"$tmp/pyerr"; then ok "$n"; else bad "$n" "$(tail -n 3 "$tmp/pyerr")"; fi; }
has_sqlite3() { command -v sqlite3 >/dev/null 2>&1; }

# --- a database is created by the first write, never by a read
status "feeds before any database: exit 3" 3 g feeds
if grep -q "no database" "$tmp/err" && [ ! -e "$DB" ]; then ok "  ... says so, creates nothing"
else bad "  ... says so, creates nothing" "$(cat "$tmp/err")"; fi

# --- add, ingest, feeds
status "add with title, tags, interval" 0 g add --no-discover --title News --tag news --tag tech,daily \
	--interval 2h https://example.org/news.xml
status "add the same URL again: exit 1" 1 g add --no-discover https://example.org/news.xml
grep -q "already there" "$tmp/err" && ok "  ... says it is already there" || bad "  ... says it is already there" "$(cat "$tmp/err")"
status "add a non-URL: exit 2" 2 g add not-a-url
status "add --interval junk: exit 2" 2 g add --no-discover --interval soon https://example.org/x.xml
status "ingest news.xml" 0 g ingest --now 2024-03-05T10:00:00Z https://example.org/news.xml $D/news.xml
grep -q "3 new" "$tmp/out" && ok "  ... 3 new items" || bad "  ... 3 new items" "$(cat "$tmp/out")"
status "ingest other.xml into a new feed" 0 g ingest --now 2024-03-06T10:00:00Z https://example.org/other.xml $D/other.xml
status "ingest a failed poll" 0 g ingest --now 2024-03-06T11:00:00Z --error "HTTP 503: Service Unavailable" https://example.org/broken.xml
status "ingest a second failure that disables" 0 g ingest --now 2024-03-06T12:00:00Z --error "HTTP 410: Gone" --disable "gone (HTTP 410)" https://example.org/broken.xml
status "ingest a file that is not a feed: exit 1" 1 g ingest https://example.org/news.xml tests/data/not-a-feed.html

run g feeds --json
py "feeds --json: keys and values" '
import json, sys
fs = json.load(sys.stdin)
keys = {"id","url","title","tags","unread","total","last_success","last_error","error_count",
        "next_poll","disabled_reason","source","key_mode","key_reason","site_url","interval"}
for f in fs:
    assert keys <= set(f), keys - set(f)
by = {f["url"]: f for f in fs}
n = by["https://example.org/news.xml"]
assert n["title"] == "News" and n["feed_title"] == "Example News", n
assert n["tags"] == ["daily", "news", "tech"], n["tags"]
assert (n["unread"], n["total"], n["interval"]) == (3, 3, 7200), n
assert n["last_success"] == "2024-03-05T10:00:00Z" and n["next_poll"] == "2024-03-05T11:00:00Z", n
assert n["error_count"] == 0 and n["last_error"] is None and n["disabled_reason"] is None, n
assert (n["source"], n["key_mode"], n["key_reason"]) == ("db", "guid", None), n
assert n["site_url"] == "https://example.org/", n
b = by["https://example.org/broken.xml"]
assert b["error_count"] == 2 and b["last_error"] == "HTTP 410: Gone", b
assert b["disabled_reason"] == "gone (HTTP 410)" and b["last_success"] is None, b
assert b["title"] is None and b["tags"] == [] and b["interval"] is None, b
o = by["https://example.org/other.xml"]
assert o["title"] == "Other Planet" and o["unread"] == 1, o
names = [(f["title"] or f["url"]).lower() for f in fs]
assert names == sorted(names), names   # by title (the URL when untitled)
'
run g feeds
if [ $rc -eq 0 ] && grep -q "TITLE" "$tmp/out" && grep -q "2 in a row" "$tmp/out" && grep -q "disabled: gone" "$tmp/out" \
	&& grep -q "\[daily, news, tech\]" "$tmp/out" && ! grep -q "$(printf '\033')" "$tmp/out"; then
	ok "feeds: columns, errors, tags, no colour into a pipe"
else bad "feeds: columns, errors, tags, no colour into a pipe" "$(cat "$tmp/out")"; fi

# --- colour only on a terminal, never with NO_COLOR (script(1) gives a terminal)
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
	script -qec "'$GLEAN' --db '$DB' feeds" /dev/null >"$tmp/tty" 2>&1
	if grep -q "$(printf '\033')\[31m" "$tmp/tty"; then ok "feeds on a terminal: errors in red"
	else bad "feeds on a terminal: errors in red" "$(head -5 "$tmp/tty")"; fi
	NO_COLOR=1 script -qec "'$GLEAN' --db '$DB' feeds" /dev/null >"$tmp/tty" 2>&1
	if grep -q "2 in a row" "$tmp/tty" && ! grep -q "$(printf '\033')\[" "$tmp/tty"; then ok "feeds on a terminal with NO_COLOR: no escapes"
	else bad "feeds on a terminal with NO_COLOR: no escapes" "$(head -5 "$tmp/tty")"; fi
else
	echo "skip colour: script(1) cannot run here"
fi

# --- items
status "items: exit 0" 0 g items
[ "$(wc -l <"$tmp/out")" -eq 4 ] && ok "  ... one line per item (4)" || bad "  ... one line per item (4)" "$(cat "$tmp/out")"
head -n 1 "$tmp/out" | grep -q "Planet links" && ok "  ... newest first" || bad "  ... newest first" "$(cat "$tmp/out")"
run g items --oldest --limit 1
# the first batch reversed: its last item in document order comes first
grep -q "Notes without a link" "$tmp/out" && [ "$(wc -l <"$tmp/out")" -eq 1 ] && ok "items --oldest --limit 1" || bad "items --oldest --limit 1" "$(cat "$tmp/out")"

run g items --json
py "items --json: an array with the documented keys and types" '
import json, re, sys
items = json.load(sys.stdin)
assert len(items) == 4, len(items)
keys = {"id","feed_id","feed_url","feed_title","guid","url","title","author","published","updated",
        "first_seen","summary","content","content_type","article_url","article_status","article_text",
        "enclosures","categories","read","starred"}
iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
for it in items:
    assert set(it) == keys, set(it) ^ keys
    assert isinstance(it["read"], bool) and isinstance(it["starred"], bool), it
    assert isinstance(it["enclosures"], list) and isinstance(it["categories"], list), it
    for k in ("published", "updated", "first_seen"):
        assert it[k] is None or iso.match(it[k]), (k, it[k])
    assert it["content"] is None and it["article_text"] is None, it   # only with --full
by = {it["title"]: it for it in items}
r = by["Gleaner ships a reader"]
assert r["guid"] == "news-1" and r["url"] == "https://example.org/news/reader?utm_source=rss#top", r
assert r["author"] == "Ada Writer" and r["published"] == "2024-03-04T09:00:00Z", r
assert r["first_seen"] == "2024-03-05T10:00:00Z" and r["categories"] == ["software"], r
assert r["feed_url"] == "https://example.org/news.xml" and r["article_status"] == "pending", r
w = by["Weather for the week"]
assert w["enclosures"][0]["url"] == "https://example.org/media/weather.mp3", w
assert w["enclosures"][0]["length"] == 4096, w
n = by["Notes without a link"]
assert n["url"] is None and n["article_url"] is None and n["updated"] is None, n
p = by["Planet links to the reader release"]
assert p["guid"] == "urn:uuid:other-1" and p["published"] is None and p["updated"] == "2024-03-05T12:00:00Z", p
assert p["article_url"] == r["article_url"] == "https://example.org/news/reader", p   # one article
'
run g items --jsonl --full
py "items --jsonl --full: one object per line, with content and article_text" '
import json, sys
lines = sys.stdin.read().splitlines()
assert len(lines) == 4, len(lines)
for l in lines:
    it = json.loads(l)
    assert "article_text" in it and "content" in it, it
r = [json.loads(l) for l in lines if "ships" in l][0]
assert r["content"].startswith("<p>The first paragraph") and r["content_type"] == "html", r
'
run g items --feed News
[ $rc -eq 0 ] && [ "$(wc -l <"$tmp/out")" -eq 3 ] && ok "items --feed TITLE" || bad "items --feed TITLE" "rc=$rc $(cat "$tmp/out")"
run g items --feed https://example.org/other.xml --jsonl
[ $rc -eq 0 ] && [ "$(wc -l <"$tmp/out")" -eq 1 ] && ok "items --feed URL" || bad "items --feed URL" "rc=$rc $(cat "$tmp/out")"
status "items --feed that does not exist: exit 1" 1 g items --feed "No such feed"
run g items --tag daily --jsonl
py "items --tag: the tagged feeds only" '
import json, sys
its = [json.loads(l) for l in sys.stdin]
assert len(its) == 3 and {i["feed_url"] for i in its} == {"https://example.org/news.xml"}, its
'
status "items --tag with no items: exit 1" 1 g items --tag nosuchtag
status "items --since in the future: exit 1" 1 g items --since 2099-01-01
run g items --since 2024-03-06 --jsonl
[ "$(wc -l <"$tmp/out")" -eq 1 ] && ok "items --since DATE" || bad "items --since DATE" "$(cat "$tmp/out")"
run g items --json --since 2099-01-01
[ $rc -eq 1 ] && [ "$(cat "$tmp/out")" = "[]" ] && ok "items --json with no match: [] and exit 1" || bad "items --json with no match" "rc=$rc $(cat "$tmp/out")"
status "items --limit junk: exit 2" 2 g items --limit many
status "items --json --jsonl: exit 2" 2 g items --json --jsonl
status "items with an argument: exit 2" 2 g items extra

ID=$(g items --jsonl | python3 -c 'import json,sys
for l in sys.stdin:
    it = json.loads(l)
    if it["title"] == "Gleaner ships a reader": print(it["id"])')
WID=$(g items --jsonl | python3 -c 'import json,sys
for l in sys.stdin:
    it = json.loads(l)
    if it["title"] == "Weather for the week": print(it["id"])')
PID=$(g items --jsonl --feed https://example.org/other.xml | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])')

# --- show: the reader view
status "show ITEM" 0 g show "$ID"
py "show: site, title, byline, paragraphs apart, source URL last" '
import sys
t = sys.stdin.read()
lines = t.rstrip("\n").split("\n")
assert lines[0] == "News" and lines[1] == "" and lines[2] == "Gleaner ships a reader", lines[:3]
assert lines[4] == "Ada Writer · 2024-03-04 09:00", lines[4]
assert "The first paragraph tells what happened.\n\nThe second paragraph has bold words & an entity." in t, t
assert "## What comes next" in t and "- one thing\n- another thing" in t, t
assert "never shown" not in t and "<" not in t, t
assert lines[-1] == "https://example.org/news/reader?utm_source=rss#top" and lines[-2] == "", lines[-2:]
'
run g items --unread --jsonl
grep -q "\"id\":$ID," "$tmp/out" && bad "show marks the item read" || ok "show marks the item read"
status "show --keep-unread" 0 g show --keep-unread "$WID"
run g items --unread --jsonl
grep -q "\"id\":$WID," "$tmp/out" && ok "  ... leaves it unread" || bad "  ... leaves it unread"
status "show --format json" 0 g show --keep-unread --format json "$WID"
py "  ... one JSON object, with the content keys" '
import json, sys
it = json.load(sys.stdin)
assert it["title"] == "Weather for the week" and "article_text" in it and it["read"] is False, it
'
status "show --format html" 0 g show --keep-unread --format html "$ID"
grep -q "<h1>Gleaner ships a reader</h1>" "$tmp/out" && grep -q "bold words &amp; an entity" "$tmp/out" \
	&& ok "  ... escaped HTML with the title" || bad "  ... escaped HTML with the title" "$(head -5 "$tmp/out")"
status "show a missing item: exit 1" 1 g show 9999
status "show a non-number: exit 2" 2 g show abc
status "show --format junk: exit 2" 2 g show --format pdf "$ID"

# --- marks
read_state() { g items --jsonl | python3 -c 'import json,sys
for l in sys.stdin:
    it = json.loads(l)
    if it["id"] == int(sys.argv[1]): print("%s %s" % (str(it["read"]).lower(), str(it["starred"]).lower()))' "$1"; }
status "unread ITEM" 0 g unread "$ID"
[ "$(read_state "$ID")" = "false false" ] && ok "  ... it is unread" || bad "  ... it is unread" "$(read_state "$ID")"
status "read ITEM" 0 g read "$ID"
[ "$(read_state "$ID")" = "true false" ] && ok "  ... it is read" || bad "  ... it is read" "$(read_state "$ID")"
status "star ITEM" 0 g star "$ID"
run g items --starred --jsonl
[ "$(wc -l <"$tmp/out")" -eq 1 ] && grep -q "\"id\":$ID," "$tmp/out" && ok "  ... items --starred lists it" || bad "  ... items --starred lists it" "$(cat "$tmp/out")"
status "unstar ITEM" 0 g unstar "$ID"
status "  ... items --starred: exit 1" 1 g items --starred
status "read ITEM and a missing one: exit 1" 1 g read "$WID" 9999
[ "$(read_state "$WID")" = "false false" ] && ok "  ... all or nothing: nothing marked" || bad "  ... all or nothing" "$(read_state "$WID")"
status "read --feed FEED" 0 g read --feed News
grep -q "2 items marked read" "$tmp/out" && ok "  ... counts what changed" || bad "  ... counts what changed" "$(cat "$tmp/out")"
run g items --unread --jsonl
[ "$(wc -l <"$tmp/out")" -eq 1 ] && ok "  ... only the other feed's item is unread" || bad "  ... only the other feed unread" "$(cat "$tmp/out")"
status "unread --all" 0 g unread --all
run g items --unread --jsonl
[ "$(wc -l <"$tmp/out")" -eq 4 ] && ok "  ... every item unread" || bad "  ... every item unread" "$(cat "$tmp/out")"
status "read --tag TAG" 0 g read --tag news
grep -q "^3 items marked read" "$tmp/out" && ok "  ... the tagged feed's 3 items" || bad "  ... the tagged feed's 3 items" "$(cat "$tmp/out")"
status "read --all --before a date before every item" 0 g read --all --before 2000-01-01
grep -q "^0 items marked read" "$tmp/out" && ok "  ... marks none" || bad "  ... marks none" "$(cat "$tmp/out")"
status "items --before a later date" 0 g items --before 2100-01-01 --jsonl
[ "$(wc -l <"$tmp/out")" -eq 4 ] && ok "  ... lists all 4" || bad "  ... lists all 4" "$(cat "$tmp/out")"
run g items --jsonl
cp "$tmp/out" "$tmp/all.jsonl"
T=$(python3 -c 'import json,sys
ts = sorted(json.loads(l)["published"] for l in sys.stdin if json.loads(l)["published"])
print(ts[-1])' <"$tmp/all.jsonl")
g read --all >/dev/null
status "unread --all --before the newest item's date" 0 g unread --all --before "$T"
run g items --unread --jsonl
py "  ... exactly the items published before it are unread" '
import json, sys
unread = {json.loads(l)["id"] for l in sys.stdin}
older = {i["id"] for i in map(json.loads, open(sys.argv[2])) if i["published"] and i["published"] < sys.argv[1]}
assert unread == older and 0 < len(older) < 4, (unread, older)
' "$T" "$tmp/all.jsonl"
status "read ITEM --before: exit 2" 2 g read --before 7d "$ID"
status "items --before junk: exit 2" 2 g items --before soon
g unread --all >/dev/null
status "read --feed missing: exit 1" 1 g read --feed "No such feed"
status "read with nothing named: exit 2" 2 g read
status "read --all and an item: exit 2" 2 g read --all "$ID"
status "star a non-number: exit 2" 2 g star abc

# --- an updated item is updated in place, keeping its state
g read "$ID" >/dev/null
status "ingest a changed item" 0 g ingest --now 2024-03-07T10:00:00Z https://example.org/news.xml $D/news-updated.xml
grep -q "0 new, 1 updated" "$tmp/out" && ok "  ... 1 updated, 0 new" || bad "  ... 1 updated, 0 new" "$(cat "$tmp/out")"
run g items --jsonl --full
py "  ... same item, new text, still read" '
import json, sys
its = [json.loads(l) for l in sys.stdin]
assert len(its) == 4, len(its)
r = [i for i in its if i["id"] == int(sys.argv[1])][0]
assert "corrected" in r["content"] and r["read"] is True, r
' "$ID"

# --- search (with a filler feed, so that bm25 can tell rare words from common ones)
g ingest --now 2024-03-01T00:00:00Z https://filler.example/feed.xml $D/filler.xml >/dev/null
status "search a word: exit 0" 0 g search weather
py "  ... the title match ranks first, highlighted in plain markers" '
import sys
t = sys.stdin.read()
assert t.index("Weather for the week") < t.index("Garden diary"), t
assert "«weather»" in t and "«Weather»" in t and "\x1b" not in t, t
'
status "search --json" 0 g search --json weather
py "  ... ranked array with raw \\u0002..\\u0003 highlights" '
import json, sys
hits = json.load(sys.stdin)
assert [h["title"] for h in hits] == ["Weather for the week", "Garden diary"], hits
assert {"id","feed_id","feed_title","title","url","published","rank","snippet"} <= set(hits[0]), hits[0]
assert hits[0]["rank"] < hits[1]["rank"] < 0, hits
assert hits[1]["snippet"] == "The \x02weather\x03 was kind to the garden this week.", hits[1]
'
status "search a phrase" 0 g search --json '"short note about candles"'
py "  ... one hit" 'import json,sys; h = json.load(sys.stdin); assert [x["title"] for x in h] == ["Notes on candles"], h'
g rm https://filler.example/feed.xml >/dev/null
status "search --limit 1" 0 g search --limit 1 --json reader
py "  ... one hit" 'import json,sys; assert len(json.load(sys.stdin)) == 1'
status "search with no hit: exit 1" 1 g search --json zzyzx
[ "$(cat "$tmp/out")" = "[]" ] && ok "  ... --json prints []" || bad "  ... --json prints []" "$(cat "$tmp/out")"
status "search with an FTS syntax error: exit 2" 2 g search '"unterminated'
grep -q "invalid search query" "$tmp/err" && ok "  ... says the query is invalid" || bad "  ... says the query is invalid" "$(cat "$tmp/err")"
status "search with no query: exit 2" 2 g search
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
	script -qec "'$GLEAN' --db '$DB' search tomatoes" /dev/null >"$tmp/tty" 2>&1
	grep -q "$(printf '\033')\[1mtomatoes" "$tmp/tty" && ok "search on a terminal: highlights in bold" || bad "search on a terminal: bold" "$(cat "$tmp/tty")"
fi

# --- an article shared by two items: both show its text (the extractor's part, written by hand)
if has_sqlite3; then
	sqlite3 "$DB" "UPDATE articles SET status = 'extracted', text = 'Extracted body about marmalade.

Second extracted paragraph.' WHERE url = 'https://example.org/news/reader'"
	run g items --jsonl --full
	py "items --full: every item sharing the article shows its text" '
import json, sys
its = [json.loads(l) for l in sys.stdin]
shared = [i for i in its if i["article_url"] == "https://example.org/news/reader"]
assert len(shared) == 2, shared
assert all(i["article_text"].startswith("Extracted body about marmalade.") for i in shared), shared
assert all(i["article_status"] == "extracted" for i in shared), shared
'
	status "show prefers the article text" 0 g show --keep-unread "$PID"
	grep -q "^Extracted body about marmalade.$" "$tmp/out" && grep -q "^Second extracted paragraph.$" "$tmp/out" \
		&& ok "  ... its paragraphs" || bad "  ... its paragraphs" "$(cat "$tmp/out")"
	run g search --json marmalade
	py "search finds article text, for both items" 'import json,sys; assert len(json.load(sys.stdin)) == 2'
else
	echo "skip shared article text: no sqlite3"
fi

# --- stats
status "stats --json" 0 g stats --json
py "  ... counts" '
import json, sys
s = json.load(sys.stdin)
assert (s["feeds"], s["feeds_erroring"], s["feeds_disabled"]) == (3, 1, 1), s
assert (s["items"], s["starred"], s["tombstones"]) == (4, 0, 0), s
assert s["articles"] == 2 and s["db_bytes"] > 0, s
assert s["oldest_item"] == "2024-03-05T10:00:00Z" and s["newest_item"] == "2024-03-06T10:00:00Z", s
'
status "stats" 0 g stats

# --- OPML: export, import into a new database, the same feeds back
status "export" 0 g export
cp "$tmp/out" "$tmp/export.opml"
py "  ... OPML 2.0 with every feed" '
import sys, xml.etree.ElementTree as ET
r = ET.fromstring(sys.stdin.read())
assert r.tag == "opml" and r.get("version") == "2.0", r.attrib
urls = {o.get("xmlUrl") for o in r.iter("outline") if o.get("xmlUrl")}
assert urls == {"https://example.org/news.xml", "https://example.org/other.xml", "https://example.org/broken.xml"}, urls
'
status "import the export into a new database" 0 "$GLEAN" --db "$tmp/copy.db" import "$tmp/export.opml"
grep -q "3 feeds added" "$tmp/out" && ok "  ... 3 feeds added" || bad "  ... 3 feeds added" "$(cat "$tmp/out")"
g feeds --json >"$tmp/a.json"; "$GLEAN" --db "$tmp/copy.db" feeds --json >"$tmp/b.json"
if python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
f = lambda fs: sorted((x["url"], x["title"], x["tags"], x["site_url"]) for x in fs)
assert f(a) == f(b), (f(a), f(b))' "$tmp/a.json" "$tmp/b.json" 2>"$tmp/pyerr"; then
	ok "  ... same URLs, titles, tags and site URLs"; else bad "  ... same feeds back" "$(tail -3 "$tmp/pyerr")"; fi
"$GLEAN" --db "$tmp/copy.db" export >"$tmp/export2.opml"
cmp -s "$tmp/export.opml" "$tmp/export2.opml" && ok "  ... and the same OPML out" || bad "  ... and the same OPML out"
status "import it again" 0 "$GLEAN" --db "$tmp/copy.db" import "$tmp/export.opml"
grep -q "0 feeds added, 3 already there" "$tmp/out" && ok "  ... adds nothing" || bad "  ... adds nothing" "$(cat "$tmp/out")"
status "import merges tags into a feed already there" 0 g import $D/extra.opml
g feeds --json >"$tmp/out"
py "  ... 1 added, tags merged" '
import json, sys
by = {f["url"]: f for f in json.load(sys.stdin)}
assert by["https://example.org/other.xml"]["tags"] == ["Imported"], by["https://example.org/other.xml"]
assert by["https://example.org/other.xml"]["title"] == "Other Planet", by["https://example.org/other.xml"]
assert by["https://fresh.example/feed.xml"]["title"] == "Fresh Feed", by
assert by["https://fresh.example/feed.xml"]["site_url"] == "https://fresh.example/", by
'
g feeds --json >"$tmp/before.json"
for f in tests/data/opml/malformed/*.opml; do
	[ -e "$f" ] || continue
	run g import "$f"
	if [ $rc -eq 1 ] && grep -q "line [0-9]" "$tmp/err" && grep -q "nothing was imported" "$tmp/err"; then
		ok "import malformed $(basename "$f"): exit 1, names the line"
	else bad "import malformed $(basename "$f")" "rc=$rc $(cat "$tmp/err")"; fi
done
g feeds --json >"$tmp/after.json"
cmp -s "$tmp/before.json" "$tmp/after.json" && ok "  ... the database is unchanged" || bad "  ... the database is unchanged"
printf '<?xml version="1.0"?>\n<opml version="2.0"><body>\n<outline xmlUrl="https://a.example/1"/>\n<outline xmlUrl="https://a.example/2">\n</body></opml>\n' >"$tmp/broken.opml"
status "import a file broken after its first feeds: exit 1" 1 g import "$tmp/broken.opml"
run g feeds --json
grep -q "a.example" "$tmp/out" && bad "  ... imports nothing" || ok "  ... imports nothing"
status "import a missing file: exit 1" 1 g import "$tmp/nope.opml"

# --- edit and rm
status "edit --title --no-tags --interval default" 0 g edit News --title "Renamed" --no-tags --interval default
g feeds --json >"$tmp/out"
py "  ... applied" '
import json, sys
n = {f["url"]: f for f in json.load(sys.stdin)}["https://example.org/news.xml"]
assert n["title"] == "Renamed" and n["tags"] == [] and n["interval"] is None, n
'
status "edit --title \"\": back to the feed's own title" 0 g edit Renamed --title ""
g feeds --json >"$tmp/out"
py "  ... Example News" 'import json,sys; assert "Example News" in [f["title"] for f in json.load(sys.stdin)]'
status "edit with nothing to change: exit 2" 2 g edit "Example News"
status "edit a missing feed: exit 1" 1 g edit "No such feed" --title x
status "edit --url to another feed's URL: exit 1" 1 g edit "Example News" --url https://example.org/other.xml
status "rm FEED" 0 g rm https://example.org/news.xml
grep -q "and its 3 items" "$tmp/out" && ok "  ... with its items" || bad "  ... with its items" "$(cat "$tmp/out")"
status "  ... its items are gone" 1 g items --feed https://example.org/news.xml
status "rm it again: exit 1" 1 g rm https://example.org/news.xml
if has_sqlite3; then
	fts_ok() { sqlite3 "$DB" "INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)" 2>&1; }
	out=$(fts_ok) && ok "  ... the search index stays consistent" || bad "  ... the search index stays consistent" "$out"
	run g search --json marmalade
	py "  ... the shared article stays for the other feed's item" '
import json, sys
assert [h["title"] for h in json.load(sys.stdin)] == ["Planet links to the reader release"]'
	status "rm the last item's feed" 0 g rm "Other Planet"
	out=$(fts_ok) && ok "  ... its article text leaves the index" || bad "  ... its article text leaves the index" "$out"
	status "  ... search finds nothing" 1 g search marmalade
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM articles")" = 0 ] && ok "  ... no article left" || bad "  ... no article left"
fi
status "rm with no feed: exit 2" 2 g rm

# --- database errors: exit 3, the file byte for byte unchanged
printf 'just some text\nnot a database\n' >"$tmp/text.db"; cp "$tmp/text.db" "$tmp/text.orig"
for c in feeds items stats "add --no-discover https://example.org/t.xml" "read --all" "import $D/extra.opml"; do
	# shellcheck disable=SC2086
	run "$GLEAN" --db "$tmp/text.db" $c
	[ $rc -eq 3 ] && ok "text file as database, $c: exit 3" || bad "text file as database, $c" "rc=$rc $(cat "$tmp/err")"
done
cmp -s "$tmp/text.db" "$tmp/text.orig" && [ ! -e "$tmp/text.db-wal" ] && ok "  ... the text file is unchanged" || bad "  ... the text file is unchanged"
if has_sqlite3; then
	sqlite3 "$tmp/foreign.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1)"; cp "$tmp/foreign.db" "$tmp/foreign.orig"
	status "another program's SQLite file: exit 3" 3 "$GLEAN" --db "$tmp/foreign.db" add --no-discover https://example.org/f.xml
	grep -q "not a Gleaner database" "$tmp/err" && cmp -s "$tmp/foreign.db" "$tmp/foreign.orig" \
		&& ok "  ... says so, file unchanged" || bad "  ... says so, file unchanged" "$(cat "$tmp/err")"
	"$GLEAN" --db "$tmp/newer.db" add --no-discover https://example.org/n.xml >/dev/null
	sqlite3 "$tmp/newer.db" "PRAGMA user_version = 999"; cp "$tmp/newer.db" "$tmp/newer.orig"
	status "a database from a newer Gleaner: exit 3" 3 "$GLEAN" --db "$tmp/newer.db" read --all
	grep -q "newer" "$tmp/err" && cmp -s "$tmp/newer.db" "$tmp/newer.orig" \
		&& ok "  ... says so, file unchanged" || bad "  ... says so, file unchanged" "$(cat "$tmp/err")"
fi

# --- where the database is: --db, -c CONFIG, GLEANER_DB, the XDG default
mkdir -p "$tmp/etc"
printf '[gleaner]\n# comment\ndatabase = ../g.db\n' >"$tmp/etc/gleaner.conf"
run "$GLEAN" -c "$tmp/etc/gleaner.conf" feeds --json
g feeds --json >"$tmp/want.json"
cmp -s "$tmp/out" "$tmp/want.json" && ok "-c CONFIG: database relative to the file" || bad "-c CONFIG" "rc=$rc $(cat "$tmp/err")"
run env GLEANER_DB="$DB" "$GLEAN" feeds --json
cmp -s "$tmp/out" "$tmp/want.json" && ok "GLEANER_DB" || bad "GLEANER_DB" "rc=$rc $(cat "$tmp/err")"
status "-c a missing file: exit 2" 2 "$GLEAN" -c "$tmp/nope.conf" feeds
if [ ! -r /var/lib/gleaner/gleaner.db ]; then
	status "the XDG default for a write" 0 env XDG_DATA_HOME="$tmp/xdg" "$GLEAN" add --no-discover https://example.org/x.xml
	[ -f "$tmp/xdg/gleaner/gleaner.db" ] && ok "  ... \$XDG_DATA_HOME/gleaner/gleaner.db, folder created" || bad "  ... XDG path"
	status "the HOME default for a read" 3 "$GLEAN" feeds
	grep -q "$tmp/home/.local/share/gleaner/gleaner.db" "$tmp/err" && ok "  ... ~/.local/share/gleaner/gleaner.db" || bad "  ... HOME path" "$(cat "$tmp/err")"
fi

# --- usage
status "unknown command: exit 2" 2 "$GLEAN" frobnicate
status "unknown global option: exit 2" 2 "$GLEAN" --frob feeds
status "--db without a value: exit 2" 2 "$GLEAN" --db
status "unknown option of a command: exit 2" 2 g items --frob
grep -q "^glean: items: " "$tmp/err" && ok "  ... message prefixed glean:" || bad "  ... message prefixed glean:" "$(cat "$tmp/err")"
for c in feeds add rm edit import export items show read unread star unstar search stats ingest parse; do
	run "$GLEAN" "$c" --help
	if [ $rc -eq 0 ] && grep -q "^usage: glean $c" "$tmp/out"; then ok "$c --help"; else bad "$c --help" "rc=$rc $(head -2 "$tmp/out")"; fi
done
run "$GLEAN" --help
grep -q "for tests and scripting" "$tmp/out" && ok "--help lists ingest as for tests and scripting" || bad "--help lists ingest"
status "parse still works" 0 "$GLEAN" parse tests/data/rss20.xml

echo "cli_store: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
