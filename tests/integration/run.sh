#!/bin/sh
# Integration tests of the glean binary given as $1 (a sanitizer build).
# Ends with "integration: N passed, N failed".
GLEAN=${1:?usage: run.sh GLEAN}
D=tests/data
SHARED=${GLEANER_SHARED:-../shared}
pass=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

ok()  { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "$2" ] && printf '     %s\n' "$2"; }
# check NAME CMD...: passes when CMD exits 0
check() { n=$1; shift; if "$@" >"$tmp/out" 2>"$tmp/err"; then ok "$n"; else bad "$n" "$(head -c 400 "$tmp/err")"; fi; }
json_ok() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"]=="feedcmp/1", d' "$1"; }

# --- glean parse: exit codes and output contract
"$GLEAN" parse "$D/rss20.xml" >"$tmp/o.json" 2>"$tmp/e"; rc=$?
if [ $rc -eq 0 ] && json_ok "$tmp/o.json"; then ok "parse rss20: exit 0, feedcmp/1 JSON"; else bad "parse rss20" "rc=$rc $(cat "$tmp/e")"; fi

check "parse rss20: entries, title, link, date, author, enclosure" python3 - "$tmp/o.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
e = d["entries"]
assert d["format"] == "rss20" and d["bozo"] is False, d
assert d["feed"]["title"] == "Gleaner test feed", d["feed"]
assert len(e) == 3, len(e)
assert e[0]["title"] == "First & best", e[0]
assert e[0]["link"] == "https://example.org/posts/1", e[0]
assert e[0]["published"] == "2024-03-01T10:00:00Z", e[0]
assert e[0]["author"] == "Jane Doe", e[0]
assert e[0]["enclosures"] == ["https://example.org/a.mp3"], e[0]
assert e[1]["id"] == "post-2" and e[1]["link"] is None, e[1]   # isPermaLink=false: no link
assert e[2]["link"] == "https://example.org/posts/3", e[2]     # guid stands in for the link
PY

"$GLEAN" parse "$D/not-a-feed.html" >"$tmp/o.json" 2>"$tmp/e"; rc=$?
if [ $rc -eq 1 ] && json_ok "$tmp/o.json" && grep -q "not a feed" "$tmp/e"; then
	ok "parse HTML page: exit 1, clear message, JSON still follows the contract"
else bad "parse HTML page" "rc=$rc $(cat "$tmp/e")"; fi

"$GLEAN" parse "$D/no-such-file.xml" >"$tmp/o.json" 2>"$tmp/e"; rc=$?
if [ $rc -eq 1 ] && json_ok "$tmp/o.json" && grep -q "no-such-file.xml" "$tmp/e"; then
	ok "parse missing file: exit 1, names the file"
else bad "parse missing file" "rc=$rc $(cat "$tmp/e")"; fi

"$GLEAN" parse --bogus "$D/rss20.xml" >/dev/null 2>&1; rc=$?
if [ $rc -eq 2 ]; then ok "parse unknown option: exit 2"; else bad "parse unknown option: exit $rc"; fi
"$GLEAN" nosuchcommand >/dev/null 2>&1; rc=$?
if [ $rc -eq 2 ]; then ok "unknown command: exit 2"; else bad "unknown command: exit $rc"; fi
check "parse --help" "$GLEAN" parse --help

"$GLEAN" parse - <"$D/rss20.xml" >"$tmp/stdin.json" 2>/dev/null
"$GLEAN" parse "$D/rss20.xml" >"$tmp/file.json" 2>/dev/null
if python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); assert a["entries"]==b["entries"]' "$tmp/stdin.json" "$tmp/file.json"; then
	ok "parse from stdin equals parse from file"; else bad "parse from stdin"; fi

"$GLEAN" parse --format summary "$D/rss20.xml" >"$tmp/s.txt" 2>&1
if grep -q "^Feed:     Gleaner test feed" "$tmp/s.txt" && grep -q "Entries:  3" "$tmp/s.txt"; then
	ok "parse --format summary"; else bad "parse --format summary" "$(head -5 "$tmp/s.txt")"; fi

"$GLEAN" parse --url https://example.org/feeds/main.xml "$D/relative.xml" >"$tmp/o.json" 2>/dev/null
check "parse --url resolves relative links" python3 -c '
import json,sys; e=json.load(open(sys.argv[1]))["entries"]
assert e[0]["link"]=="https://example.org/feeds/post/1", e[0]["link"]
assert e[1]["link"]=="https://example.org/base/post/2", e[1]["link"]' "$tmp/o.json"

"$GLEAN" parse --charset windows-1251 "$D/cp1251-undeclared.xml" >"$tmp/o.json" 2>/dev/null
check "parse --charset decodes an undeclared charset" python3 -c '
import json,sys; e=json.load(open(sys.argv[1]))["entries"]
assert e[0]["title"]=="Привет, мир", e[0]["title"]' "$tmp/o.json"

# --- the shared corpus against the reference parser
if [ -d "$SHARED/corpus/feeds" ] && [ -d "$SHARED/corpus/feeds-oracle" ]; then
	if python3 tests/integration/corpus_check.py "$GLEAN" "$SHARED" >"$tmp/c.txt" 2>&1; then
		ok "corpus: agreement with feedparser at or above the thresholds"
	else
		bad "corpus: agreement with feedparser below the thresholds"
	fi
	cat "$tmp/c.txt"
else
	echo "skip corpus: $SHARED/corpus/feeds not found (the shared folder is absent)"
fi

# --- a 5,000-feed OPML file through import and export: same feeds, titles and tags
python3 - "$tmp/big.opml" <<'PY'
import random, sys
from xml.sax.saxutils import quoteattr
r = random.Random(5000)
tags = ["news", "tech", "linux", "a&b", "c<d>", "Ünïcode", "x/y", "p,q", "science", "misc"]
feeds = {}
for i in range(5000):
    url = "https://feeds%d.example.org/path/%d.xml?q=%d&r=%s" % (i % 97, i, i, r.choice("abc"))
    title = r.choice(["Feed", "Blog «%d»" % i, "Tom & Jerry's", "<b>bold</b>", "日本語 %d" % i]) + " %d" % i
    feeds[url] = (title, sorted(set(r.sample(tags, r.randrange(0, 4)))))
by_tag = {}
out = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0"><head><title>t</title></head><body>']
for url, (title, ts) in feeds.items():
    line = '<outline type="rss" text=%s title=%s xmlUrl=%s/>' % (quoteattr(title), quoteattr(title), quoteattr(url))
    if not ts:
        out.append(line)
    for t in ts:
        by_tag.setdefault(t, []).append(line)
for t, lines in by_tag.items():
    out.append('<outline text=%s title=%s>' % (quoteattr(t), quoteattr(t)))
    out += lines
    out.append('</outline>')
out.append('</body></opml>')
open(sys.argv[1], "w").write("\n".join(out))
open(sys.argv[1] + ".expect", "w").write(repr(sorted((u, t, tuple(ts)) for u, (t, ts) in feeds.items())))
PY
if "$GLEAN" --db "$tmp/opml.db" import "$tmp/big.opml" >/dev/null 2>"$tmp/e" &&
   "$GLEAN" --db "$tmp/opml.db" export >"$tmp/back.opml" 2>>"$tmp/e" &&
   python3 - "$tmp/back.opml" "$tmp/big.opml.expect" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
got = {}
def walk(node, path):
    for o in node.findall("outline"):
        url = o.get("xmlUrl")
        if url:
            t, ts = got.setdefault(url, [o.get("title") or o.get("text"), set()])
            ts.update(path)
        else:
            walk(o, path + [o.get("title") or o.get("text")])
walk(root.find("body"), [])
have = sorted((u, t, tuple(sorted(ts))) for u, (t, ts) in got.items())
want = eval(open(sys.argv[2]).read())
assert len(have) == 5000, len(have)
assert have == want, [x for x in zip(have, want) if x[0] != x[1]][:3]
PY
then ok "OPML: 5,000 feeds imported and exported with the same feeds, titles and tags"
else bad "OPML 5,000-feed round trip" "$(head -c 600 "$tmp/e")"; fi

# --- the store through the CLI (its own counts add to ours)
sh tests/integration/cli_store.sh "$GLEAN" >"$tmp/cs.txt" 2>&1; rc=$?
grep -v '^ok ' "$tmp/cs.txt"
line=$(grep -E '^cli_store: [0-9]+ passed, [0-9]+ failed' "$tmp/cs.txt" | tail -n 1)
p=$(printf '%s' "$line" | sed -n 's/^cli_store: \([0-9]*\) passed.*/\1/p')
f=$(printf '%s' "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
if [ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ]; then bad "cli_store.sh exited $rc"; fi

# --- glean extract on saved pages (its own counts add to ours)
sh tests/integration/cli_extract.sh "$GLEAN" >"$tmp/ce.txt" 2>&1; rc=$?
grep -v '^ok ' "$tmp/ce.txt"
line=$(grep -E '^cli_extract: [0-9]+ passed, [0-9]+ failed' "$tmp/ce.txt" | tail -n 1)
p=$(printf '%s' "$line" | sed -n 's/^cli_extract: \([0-9]*\) passed.*/\1/p')
f=$(printf '%s' "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
if [ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ]; then bad "cli_extract.sh exited $rc"; fi

echo "integration: $pass passed, $fail failed"
[ $fail -eq 0 ]
