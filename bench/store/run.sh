#!/bin/sh
# bench/store/run.sh: the store benchmark of issue 3.  See BENCHMARKS.md,
# "Store (bench/store)".
#
# 1. Ingest: FEEDS feeds (2000) of PER items (500), 1,000,000 items of
#    realistic size, one store_ingest() transaction per feed (then
#    store_fetch_done(), as the daemon does); items/s counts the time in
#    store_ingest only (document generation and parsing are timed apart).
# 2. Size: database bytes per item after a full WAL checkpoint.
# 3. Queries, median of RUNS (20) runs, on the warm database:
#    - bin/glean --db DB items --unread --limit 50   (target < 20 ms)
#    - bin/glean --db DB search WORD                 (target < 50 ms)
#      for five words from "the" (in nearly every item) to a rare one;
#    timed as whole processes (fork, exec, open, query, output to
#    /dev/null), then the same store_items()/store_search() calls
#    in-process, and EXPLAIN QUERY PLAN of both.  Without a bin/glean that
#    has these commands, only the in-process timings are given.
#    A run slower than 1 s is repeated 5 times, not RUNS.
#
# Search indexing runs after the feed transactions, every INDEX_EVERY (20)
# feeds and at the end (as gleanerd does a few seconds after new items):
# timed apart, and the rate with it included is reported too.
#
# Environment: CC, FEEDS (2000), PER (500), RUNS (20), INDEX_EVERY, TMPDIR (the database
# goes there, about 1.3 GB, and is deleted at the end), KEEP_DB=1 to keep it.
set -u

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 1

CC=${CC:-cc}
FEEDS=${FEEDS:-2000}
PER=${PER:-500}
RUNS=${RUNS:-20}
INDEX_EVERY=${INDEX_EVERY:-20}
KEEP_DB=${KEEP_DB:-0}
PKGS="libcurl expat sqlite3 libxml-2.0 inih libsystemd"
OUT=build/bench
B=$OUT/store_bench

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gleaner-store-bench.XXXXXX") || exit 1
if [ "$KEEP_DB" = 1 ]; then trap 'echo "kept $tmp"' EXIT; else trap 'rm -rf "$tmp"' EXIT; fi
trap 'exit 130' INT TERM
DB=$tmp/gleaner.db

say() { printf '%s\n' "$*"; }
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }
show() { say "\$ $*" | sed "s|$tmp|\$TMP|g"; "$@"; }
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { if (v == "") print "n/a"; else if ((op == "<" && v + 0 < t + 0) || (op == ">=" && v + 0 >= t + 0)) print "MET"; else print "MISSED" }'; }

# ---- build ---------------------------------------------------------------
say "== build"
if ! make -s build/libgleaner.a; then
	say "run.sh: cannot build build/libgleaner.a (lib/ mid-edit? retry later)"
	exit 1
fi
mkdir -p "$OUT"
# shellcheck disable=SC2046,SC2086
"$CC" -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -O2 -g -D_GNU_SOURCE -Ilib $(pkg-config --cflags $PKGS) -o "$B" \
	bench/store/store_bench.c build/libgleaner.a $(pkg-config --libs $PKGS) -lm || exit 1
have_cli=0
if make -s bin/glean >/dev/null 2>&1 && bin/glean items --help >/dev/null 2>&1 &&
	bin/glean search --help >/dev/null 2>&1; then
	have_cli=1
else
	say "bin/glean has no items/search commands (or does not build): in-process timings only"
fi
LIBREV="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- lib cli 2>/dev/null || echo ' + uncommitted lib/ and cli/ changes')"
say "built $B (-O2, build/libgleaner.a at $LIBREV)"

# ---- 1, 2: ingest and size -----------------------------------------------
say ""
say "== ingest: $FEEDS feeds x $PER items"
if ! show "$B" ingest "$DB" --feeds "$FEEDS" --per "$PER" --index-every "$INDEX_EVERY" >"$tmp/ingest.log"; then
	cat "$tmp/ingest.log"
	exit 1
fi
cat "$tmp/ingest.log"
ING=$(grep '^store_bench: ingest ' "$tmp/ingest.log")
SIZE=$(grep '^store_bench: size ' "$tmp/ingest.log")
IDX=$(grep '^store_bench: index ' "$tmp/ingest.log")
[ -n "$ING" ] || exit 1
WORDS=$(sed -n 's/^store_bench: word rank=[0-9]* word=\([a-z]*\) .*/\1/p' "$tmp/ingest.log" | tr '\n' ' ')

# ---- 3: queries ------------------------------------------------------------
say ""
say "== query plans"
show "$B" explain "$DB" "$(printf '%s' "$WORDS" | cut -d' ' -f3)"

CLIROWS=$tmp/clirows
: >"$CLIROWS"
# spawn_row LABEL TARGET CMD...: times CMD; adds a row "LABEL|median|runs|TARGET".
spawn_row() {
	label=$1 tgt=$2
	shift 2
	out=$(show "$B" spawn --runs "$RUNS" -- "$@" 2>&1)
	say "$out"
	l=$(printf '%s\n' "$out" | grep '^store_bench: spawn')
	m=$(field "$l" median_ms)
	case $tgt in
	"") v="-" ;;
	*) v="< $tgt ms: $(verdict "$m" "$tgt" '<')" ;;
	esac
	printf '%s|%s|%s|%s\n' "$label" "$m" "$(field "$l" runs)" "$v" >>"$CLIROWS"
}
if [ $have_cli = 1 ]; then
	say ""
	say "== bin/glean, whole processes ($RUNS runs each, output to /dev/null)"
	spawn_row "glean --version (process start, for scale)" "" bin/glean --version
	spawn_row "glean items --unread --limit 50" 20 bin/glean --db "$DB" items --unread --limit 50
	for w in $WORDS; do
		spawn_row "glean search $w" 50 bin/glean --db "$DB" search "$w"
	done
fi
say ""
say "== in-process: store_items / store_search on one read-only connection"
# shellcheck disable=SC2086
show "$B" query "$DB" --runs "$RUNS" --limit 20 $WORDS >"$tmp/query.log"
cat "$tmp/query.log"

# ---- report ----------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
say ""
say "== results (Markdown)"
say ""
say "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPU(s), ${cpu:-unknown CPU}; $(uname -sr); SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1); Gleaner at $LIBREV; database in ${TMPDIR:-/tmp}."
say ""
say "| measure | result | target | |"
say "|---|---:|---|---|"
r=$(field "$ING" items_per_s)
say "| ingest, $(field "$ING" items) items in $(field "$ING" feeds) per-feed transactions (time in store_ingest) | $r items/s ($(field "$ING" ingest_s) s; CPU: $(field "$ING" items_per_cpu_s) items/s) | >= 50,000 items/s | $(verdict "$r" 50000 '>=') |"
say "| slowest single feed transaction | $(field "$ING" slowest_tx_ms) ms | | |"
if [ -n "$IDX" ]; then
	say "| search indexing after the transactions, every $(field "$IDX" every_feeds) feeds | $(field "$IDX" indexed) items in $(field "$IDX" index_s) s (CPU $(field "$IDX" index_cpu_s) s); slowest batch $(field "$IDX" slowest_batch_ms) ms | | |"
	say "| ingest and indexing together | $(field "$IDX" with_index_items_per_s) items/s (CPU: $(field "$IDX" with_index_items_per_cpu_s) items/s) | | |"
fi
say "| end to end (generate, parse, ingest, fetch_done) | $(field "$ING" end_to_end_items_per_s) items/s ($(field "$ING" wall_s) s) | | |"
say "| database size after checkpoint | $(field "$SIZE" db_bytes) bytes, **$(field "$SIZE" bytes_per_item) bytes per item** | | |"
while IFS='|' read -r what med runs tgt; do
	case $tgt in
	-) say "| \`$what\`, median of $runs | $med ms | | |" ;;
	*) say "| \`$what\`, median of $runs | $med ms | ${tgt%%:*} | ${tgt#*: } |" ;;
	esac
done <"$CLIROWS"
grep '^store_bench: store_items ' "$tmp/query.log" | while read -r l; do
	say "| in-process store_items (unread, limit 50), median of $(field "$l" runs) | $(field "$l" median_ms) ms | | |"
done
grep '^store_bench: store_search ' "$tmp/query.log" | while read -r l; do
	w=$(field "$l" word)
	say "| in-process store_search $w (limit 20; $(sed -n "s/^store_bench: word rank=\([0-9]*\) word=$w matches=\([0-9]*\).*/rank \1, \2 matching items/p" "$tmp/ingest.log")), median of $(field "$l" runs) | $(field "$l" median_ms) ms | | |"
done
say ""
exit 0
