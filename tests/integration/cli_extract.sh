#!/bin/sh
# glean extract against small saved pages in tests/data/extract: the article
# text and nothing around it, the JSON keys, the batch form, exit statuses and
# the messages that name the file.  Ends with "cli_extract: N passed, N failed".
GLEAN=${1:?usage: cli_extract.sh GLEAN}
D=tests/data/extract
pass=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

ok()  { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "$2" ] && printf '     %s\n' "$2"; }

# --- text: the article's paragraphs, not the menu, sidebar or footer
"$GLEAN" extract "$D/article.html" >"$tmp/a.txt" 2>"$tmp/e"; rc=$?
if [ $rc -eq 0 ] &&
   grep -q "After eleven years of silence, two restored gantry cranes" "$tmp/a.txt" &&
   grep -q "The council has promised to review the lease in five years." "$tmp/a.txt" &&
   ! grep -qi "Subscribe now\|Most read\|Ferry timetable\|All rights reserved" "$tmp/a.txt"; then
	ok "extract text: the article's paragraphs, without menu, sidebar and footer"
else bad "extract text" "rc=$rc $(head -c 300 "$tmp/e") | $(head -c 300 "$tmp/a.txt")"; fi

# The paragraphs keep their order and each is one block of its own.
if python3 - "$tmp/a.txt" <<'PY'
import sys
t = open(sys.argv[1], encoding="utf-8").read()
keys = ["After eleven years", "The cranes were built", "We did not want them",
        "The quay will handle", "Opponents of the project"]
pos = [t.find(k) for k in keys]
assert all(p >= 0 for p in pos) and pos == sorted(pos), pos
assert "coast.\nA" not in t and "sculpture" in t, t[:200]
PY
then ok "extract text: paragraphs in order"; else bad "extract text: paragraphs in order"; fi

"$GLEAN" extract - <"$D/article.html" >"$tmp/stdin.txt" 2>/dev/null
if cmp -s "$tmp/a.txt" "$tmp/stdin.txt"; then ok "extract from stdin equals extract from file"
else bad "extract from stdin"; fi

# --- json: metadata, status, text, html
"$GLEAN" extract --format json --url https://news.example.org/2024/05/harbour-cranes \
	"$D/article.html" >"$tmp/a.json" 2>"$tmp/e"; rc=$?
if [ $rc -eq 0 ] && python3 - "$tmp/a.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
keys = {"file", "url", "status", "error", "method", "title", "byline", "site_name", "lang",
        "excerpt", "lead_image", "canonical", "charset", "published", "word_count",
        "text", "body", "html"}
assert keys <= set(d), keys - set(d)
assert d["status"] == "ok" and d["error"] is None, d["status"]
assert d["url"] == "https://news.example.org/2024/05/harbour-cranes", d["url"]
assert "Harbour cranes return to the old port" in (d["title"] or ""), d["title"]
assert "gantry cranes" in d["body"] and "gantry cranes" in d["text"], d["body"][:100]
assert "<p>" in d["html"] and "Subscribe now" not in d["html"], d["html"][:200]
assert d["word_count"] > 100, d["word_count"]
assert d["charset"].lower() == "utf-8", d["charset"]
PY
then ok "extract --format json: keys, status, metadata, text and html"
else bad "extract --format json" "rc=$rc $(head -c 300 "$tmp/e")"; fi

"$GLEAN" extract --format html "$D/article.html" >"$tmp/a.html" 2>/dev/null
if grep -q "<p>" "$tmp/a.html" && grep -q "gantry cranes" "$tmp/a.html" &&
   ! grep -qi "<script\|<nav" "$tmp/a.html"; then ok "extract --format html: sanitized article HTML"
else bad "extract --format html" "$(head -c 300 "$tmp/a.html")"; fi

# --- nothing to extract: exit 1, a message naming the file, JSON says why
"$GLEAN" extract "$D/empty.html" >"$tmp/o" 2>"$tmp/e"; rc=$?
if [ $rc -eq 1 ] && grep -q "empty.html" "$tmp/e" && [ ! -s "$tmp/o" ]; then
	ok "extract of a page without article text: exit 1, names the file, prints nothing"
else bad "extract empty page" "rc=$rc $(cat "$tmp/e")"; fi
"$GLEAN" extract --format json "$D/empty.html" >"$tmp/o.json" 2>/dev/null; rc=$?
if [ $rc -eq 1 ] && python3 -c '
import json, sys; d = json.load(open(sys.argv[1]))
assert d["status"] in ("empty", "error"), d["status"]' "$tmp/o.json"; then
	ok "extract --format json of a page without article text: exit 1, status says so"
else bad "extract --format json, empty page" "rc=$rc"; fi

# --- files that cannot be read: exit 1 and the file named
"$GLEAN" extract "$D/no-such-page.html" >/dev/null 2>"$tmp/e"; rc=$?
if [ $rc -eq 1 ] && grep -q "no-such-page.html: No such file" "$tmp/e"; then
	ok "extract missing file: exit 1, names the file and why"
else bad "extract missing file" "rc=$rc $(cat "$tmp/e")"; fi
"$GLEAN" extract "$D" >/dev/null 2>"$tmp/e"; rc=$?
if [ $rc -eq 1 ] && grep -q "$D" "$tmp/e"; then ok "extract of a folder: exit 1, names it"
else bad "extract of a folder" "rc=$rc $(cat "$tmp/e")"; fi

# --- usage errors: exit 2
for args in "" "--format pdf $D/article.html" "--bogus $D/article.html" \
	"$D/article.html $D/empty.html" "--urls $tmp/u.tsv $D/article.html" "--batch $tmp/b"; do
	# shellcheck disable=SC2086
	"$GLEAN" extract $args >/dev/null 2>&1; rc=$?
	shown=$(printf '%s' "$args" | sed "s|$tmp|\$TMP|g")
	if [ $rc -eq 2 ]; then ok "extract usage error exits 2: '$shown'"
	else bad "extract usage error '$shown': exit $rc"; fi
done
if "$GLEAN" extract --help | grep -q -- "--batch OUTDIR"; then ok "extract --help documents --batch"
else bad "extract --help"; fi

# --- batch: one process, OUTDIR/<id>.txt, ids as the benchmark's scorer names them
printf '# id\turl\narticle\thttps://news.example.org/a\nstory\thttps://blog.example.net/tides\n' >"$tmp/u.tsv"
"$GLEAN" extract --batch "$tmp/out" --urls "$tmp/u.tsv" "$D/article.html" "$D/story/source.html" \
	"$D/empty.html" "$D/missing.html" >"$tmp/o" 2>"$tmp/e"; rc=$?
if [ $rc -eq 1 ] && cmp -s "$tmp/out/article.txt" "$tmp/a.txt" &&
   grep -q "Tide tables are printed a year ahead" "$tmp/out/story.txt" &&
   ! grep -q "Archive\|Terms of use" "$tmp/out/story.txt" &&
   [ -f "$tmp/out/empty.txt" ] && [ ! -s "$tmp/out/empty.txt" ] && [ ! -e "$tmp/out/missing.txt" ] &&
   grep -q "missing.html: No such file" "$tmp/e" && grep -q "4 pages: 2 extracted" "$tmp/e" &&
   [ ! -s "$tmp/o" ]; then
	ok "extract --batch: <id>.txt per page, folder name for source.html, failures named, exit 1"
else bad "extract --batch" "rc=$rc $(cd "$tmp/out" && echo *) $(head -c 400 "$tmp/e")"; fi

"$GLEAN" extract --batch "$tmp/json" --format json --urls "$tmp/u.tsv" --url https://default.example/ \
	"$D/article.html" "$D/story/source.html" >/dev/null 2>"$tmp/e"; rc=$?
if [ $rc -eq 0 ] && python3 - "$tmp/json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1] + "/article.json"))
s = json.load(open(sys.argv[1] + "/story.json"))
assert a["url"] == "https://news.example.org/a", a["url"]
assert s["url"] == "https://blog.example.net/tides", s["url"]
assert 'href="https://blog.example.net/moorings"' in s["html"], s["html"]
PY
then ok "extract --batch --urls: each page's URL from the TSV, links resolved against it"
else bad "extract --batch --urls" "rc=$rc $(head -c 300 "$tmp/e")"; fi

mkdir -p "$tmp/other" && cp "$D/article.html" "$tmp/other/article.html"
"$GLEAN" extract --batch "$tmp/dup" "$D/article.html" "$D/story/source.html" "$tmp/other/article.html" \
	>/dev/null 2>"$tmp/e"; rc=$?
if [ $rc -eq 2 ] && grep -q "article.html and .*article.html would both be written as 'article'" "$tmp/e" &&
   [ ! -e "$tmp/dup/story.txt" ]; then ok "extract --batch: two files with one id: exit 2 before writing, both named"
else bad "extract --batch duplicate ids" "rc=$rc $(cat "$tmp/e")"; fi

printf 'article https://no-tab.example/\n' >"$tmp/bad.tsv"
"$GLEAN" extract --batch "$tmp/x" --urls "$tmp/bad.tsv" "$D/article.html" >/dev/null 2>"$tmp/e"; rc=$?
if [ $rc -eq 2 ] && grep -q "bad.tsv:1:" "$tmp/e"; then ok "extract --urls with a bad line: exit 2, names file:line"
else bad "extract --urls bad line" "rc=$rc $(cat "$tmp/e")"; fi

echo "cli_extract: $pass passed, $fail failed"
[ $fail -eq 0 ]
