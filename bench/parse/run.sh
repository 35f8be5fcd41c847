#!/bin/sh
# bench/parse/run.sh: feed-parsing throughput and memory of Gleaner against
# Python's feedparser and sfeed (`make bench` runs it).  See BENCHMARKS.md.
#
# 1. Throughput on ../shared/corpus/feeds (434 real-world feeds, 19 MB):
#    - Gleaner: build/bench/parse_bench, files preloaded, streaming API in
#      64 KiB chunks, GLEANER_REPEAT passes; median pass.
#    - feedparser: bench/parse/feedparser_bench.py, files preloaded,
#      feedparser.parse(bytes) each, FEEDPARSER_REPEAT passes; median pass.
#    - sfeed: bench/parse/sfeed_bench.py, all files concatenated into one
#      stream, `sfeed < stream > /dev/null` SFEED_REPEAT times; median run.
#    MB/s is 10^6 bytes per CPU second.
# 2. Memory: generated RSS feeds of 5 MB and 50 MB (gen_big_feed.py), read
#    from disk in 64 KiB chunks by parse_bench --stream-file, by bin/glean parse
#    (if built), and for scale by sfeed and feedparser; peak RSS of each.
#
# Environment: CC, PYTHON (default /usr/bin/python3), CORPUS (default
# ../shared/corpus/feeds), GLEANER_REPEAT (20), FEEDPARSER_REPEAT (3),
# SFEED_REPEAT (10), BIG_SIZES ("5M 50M"), SKIP_FEEDPARSER_BIG=1 to skip
# feedparser on the big feeds (about 15 s).
set -u

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 1

CC=${CC:-cc}
PY=${PYTHON:-/usr/bin/python3}
CORPUS=${CORPUS:-../shared/corpus/feeds}
GLEANER_REPEAT=${GLEANER_REPEAT:-20}
FEEDPARSER_REPEAT=${FEEDPARSER_REPEAT:-3}
SFEED_REPEAT=${SFEED_REPEAT:-10}
BIG_SIZES=${BIG_SIZES:-5M 50M}
SKIP_FEEDPARSER_BIG=${SKIP_FEEDPARSER_BIG:-0}
OUT=build/bench

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gleaner-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*"; }
# field LINE KEY: the value of KEY=... in a summary line.
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }
# ratio A B: A / B with one decimal, or "n/a".
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.1f", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { if (k == "") print "n/a"; else printf "%.1f", k / 1024 }'; }
# show CMD...: print the command (temp paths shown as $TMP) and run it.
show() { say "\$ $*" | sed "s|$tmp|\$TMP|g"; "$@"; }
cmdtext() { say "$*" | sed "s|$tmp|\$TMP|g"; }

# ---- build ---------------------------------------------------------------
say "== build"
if ! make -s build/libgleaner.a; then
	say "run.sh: cannot build build/libgleaner.a (is lib/ mid-edit? retry in a few minutes)"
	exit 1
fi
mkdir -p "$OUT"
# shellcheck disable=SC2046
if ! "$CC" -std=c11 -Wall -Wextra -O2 -g -Ilib -D_GNU_SOURCE -o "$OUT/parse_bench" \
	bench/parse/parse_bench.c build/libgleaner.a $(pkg-config --libs libcurl expat sqlite3 libxml-2.0); then
	say "run.sh: cannot link parse_bench against build/libgleaner.a (lib/ mid-edit? retry later)"
	exit 1
fi
"$CC" -std=c11 -Wall -Wextra -O2 -D_GNU_SOURCE -o "$OUT/peak_rss" bench/parse/peak_rss.c || exit 1
LIBREV="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- lib 2>/dev/null || echo ' + uncommitted lib/ changes')"
say "built $OUT/parse_bench (-O2, build/libgleaner.a at $LIBREV)"

have_fp=0
"$PY" -c 'import feedparser' 2>/dev/null && have_fp=1
have_sfeed=0
command -v sfeed >/dev/null 2>&1 && have_sfeed=1

# ---- 1. throughput on the corpus -------------------------------------------
G_LINE='' F_LINE='' S_LINE=''
G_CMD="$OUT/parse_bench --repeat $GLEANER_REPEAT $CORPUS"
F_CMD="$PY bench/parse/feedparser_bench.py --repeat $FEEDPARSER_REPEAT $CORPUS"
S_CMD="$PY bench/parse/sfeed_bench.py --repeat $SFEED_REPEAT --launcher $OUT/peak_rss $CORPUS"
if [ ! -d "$CORPUS" ]; then
	say ""
	say "== corpus: SKIPPED: $CORPUS is absent (the shared test material lives in ../shared;"
	say "   set CORPUS=DIR to use other feeds).  Only the memory check runs."
else
	say ""
	say "== Gleaner (parse_bench) on $CORPUS"
	# shellcheck disable=SC2086
	show $G_CMD | tee "$tmp/g.log"
	G_LINE=$(grep '^parse_bench: ' "$tmp/g.log")

	say ""
	say "== feedparser on $CORPUS"
	if [ $have_fp = 1 ]; then
		# shellcheck disable=SC2086
		show $F_CMD | tee "$tmp/f.log"
		F_LINE=$(grep '^feedparser_bench: ' "$tmp/f.log")
	else
		say "SKIPPED: $PY cannot import feedparser (apt-get install python3-feedparser)"
	fi

	say ""
	say "== sfeed on $CORPUS (concatenated into one stream)"
	if [ $have_sfeed = 1 ]; then
		# shellcheck disable=SC2086
		show $S_CMD | tee "$tmp/s.log"
		S_LINE=$(grep '^sfeed_bench: ' "$tmp/s.log")
	else
		say "SKIPPED: no sfeed on PATH (apt-get install sfeed)"
	fi
fi

# ---- 2. memory on big generated feeds ------------------------------------
say ""
say "== memory: generated RSS 2.0 feeds ($BIG_SIZES)"
MEMROWS="$tmp/memrows"
: >"$MEMROWS"
for size in $BIG_SIZES; do
	big="$tmp/big-$size.xml"
	show "$PY" bench/parse/gen_big_feed.py "$size" "$big" || exit 1
	bytes=$(wc -c <"$big" | tr -d ' ')

	show "$OUT/parse_bench" --stream-file "$big" | tee "$tmp/m.log"
	l=$(grep '^parse_bench: ' "$tmp/m.log")
	printf '%s|parse_bench --stream-file|%s|%s|%s|%s|%s\n' "$size" "$bytes" \
		"$(field "$l" maxrss_kb)" "$(field "$l" mbps)" "$(field "$l" items)" \
		"$(field "$l" rss_start_kb)" >>"$MEMROWS"

	if [ -x bin/glean ]; then
		l=$(show "$OUT/peak_rss" bin/glean parse "$big")
		say "$l"
		printf '%s|glean parse (JSON to /dev/null)|%s|%s|%s|\n' "$size" "$bytes" "$(field "$l" maxrss_kb)" \
			"$(awk -v b="$bytes" -v c="$(field "$l" cpu_s)" 'BEGIN { printf "%.1f", b / 1e6 / c }')" >>"$MEMROWS"
	else
		say "bin/glean not built (make bin/glean): skipping glean parse"
	fi
	if [ $have_sfeed = 1 ]; then
		say "\$ $OUT/peak_rss sfeed < $big" | sed "s|$tmp|\$TMP|g"
		l=$("$OUT/peak_rss" sfeed <"$big")
		say "$l"
		printf '%s|sfeed|%s|%s|%s|\n' "$size" "$bytes" "$(field "$l" maxrss_kb)" \
			"$(awk -v b="$bytes" -v c="$(field "$l" cpu_s)" 'BEGIN { printf "%.1f", b / 1e6 / c }')" >>"$MEMROWS"
	fi
	if [ $have_fp = 1 ] && [ "$SKIP_FEEDPARSER_BIG" != 1 ]; then
		say "\$ $OUT/peak_rss $PY -c 'import sys, feedparser; feedparser.parse(sys.argv[1])' $big" |
			sed "s|$tmp|\$TMP|g"
		l=$("$OUT/peak_rss" "$PY" -c 'import sys, feedparser; feedparser.parse(sys.argv[1])' "$big")
		say "$l"
		printf '%s|feedparser.parse(path)|%s|%s|%s|\n' "$size" "$bytes" "$(field "$l" maxrss_kb)" \
			"$(awk -v b="$bytes" -v c="$(field "$l" cpu_s)" 'BEGIN { printf "%.2f", b / 1e6 / c }')" >>"$MEMROWS"
	fi
done

# ---- report --------------------------------------------------------------
gm=$(field "$G_LINE" mbps_med)
fm=$(field "$F_LINE" mbps_med)
sm=$(field "$S_LINE" mbps_med)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)

say ""
say "== results (Markdown)"
say ""
say "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPU(s), ${cpu:-unknown CPU}; $(uname -sr); Gleaner at $LIBREV."
say ""
if [ -n "$G_LINE" ]; then
	say "Throughput on \`$CORPUS\` ($(field "$G_LINE" files) files, $(awk -v b="$(field "$G_LINE" bytes)" -v r="$(field "$G_LINE" repeat)" 'BEGIN { printf "%.1f", b / r / 1e6 }') MB), MB = 10^6 bytes per CPU second:"
	say ""
	say "| parser | how | runs | MB/s median | MB/s best | items per run | peak RSS | Gleaner / this (median) |"
	say "|---|---|---:|---:|---:|---:|---:|---:|"
	say "| Gleaner (feed_parser_*) | each file, 64 KiB chunks, items discarded | $(field "$G_LINE" repeat) | $gm | $(field "$G_LINE" mbps_best) | $(( $(field "$G_LINE" items) / $(field "$G_LINE" repeat) )) | $(mb "$(field "$G_LINE" maxrss_kb)") MiB (corpus preloaded: $(mb "$(field "$G_LINE" rss_loaded_kb)")) | 1.0 |"
	[ -n "$F_LINE" ] && say "| feedparser $("$PY" -c 'import feedparser; print(feedparser.__version__)') | each file, \`feedparser.parse(bytes)\` | $(field "$F_LINE" repeat) | $fm | $(field "$F_LINE" mbps_best) | $(( $(field "$F_LINE" items) / $(field "$F_LINE" repeat) )) | $(mb "$(field "$F_LINE" maxrss_kb)") MiB (corpus preloaded: $(mb "$(field "$F_LINE" rss_loaded_kb)")) | **$(ratio "$gm" "$fm")x** |"
	[ -n "$S_LINE" ] && say "| sfeed $(dpkg-query -W -f='${Version}' sfeed 2>/dev/null) | all files as one stream on stdin, TSV to /dev/null | $(field "$S_LINE" repeat) | $sm | $(field "$S_LINE" mbps_best) | $(( $(field "$S_LINE" items) / $(field "$S_LINE" repeat) )) | $(mb "$(field "$S_LINE" maxrss_kb)") MiB | **$(ratio "$gm" "$sm")x** |"
	say ""
fi
say "Memory on generated RSS 2.0 feeds, read from disk in 64 KiB chunks (peak RSS of the whole process):"
say ""
say "| feed | program | bytes | peak RSS | MB/s (cpu) | items |"
say "|---|---|---:|---:|---:|---:|"
while IFS='|' read -r size prog bytes kb mbps items _; do
	say "| $size | $prog | $bytes | $(mb "$kb") MiB | $mbps | $items |"
done <"$MEMROWS"
say ""

# Targets (from the issue): >= 100 MB/s, >= 50x feedparser, flat memory on 50 MB.
say "Targets:"
if [ -n "$gm" ]; then
	say "- >= 100 MB/s: $gm MB/s median: $(awk -v g="$gm" 'BEGIN { print (g >= 100) ? "MET" : "MISSED" }')"
fi
if [ -n "$gm" ] && [ -n "$fm" ]; then
	say "- >= 50x feedparser: $(ratio "$gm" "$fm")x: $(awk -v g="$gm" -v f="$fm" 'BEGIN { print (g / f >= 50) ? "MET" : "MISSED" }')"
fi
first=$(grep 'parse_bench --stream-file' "$MEMROWS" | head -n 1)
last=$(grep 'parse_bench --stream-file' "$MEMROWS" | tail -n 1)
if [ -n "$first" ] && [ "$first" != "$last" ]; then
	k1=$(say "$first" | cut -d'|' -f4)
	k2=$(say "$last" | cut -d'|' -f4)
	k0=$(say "$last" | cut -d'|' -f7)
	say "- flat memory: parse_bench --stream-file peak $(mb "$k1") MiB on $(say "$first" | cut -d'|' -f1), $(mb "$k2") MiB on $(say "$last" | cut -d'|' -f1) (x$(awk -v a="$k2" -v b="$k1" 'BEGIN { printf "%.2f", a / b }'); the process is at $(mb "$k0") MiB before parsing, mostly shared libraries): $(awk -v a="$k2" -v b="$k1" 'BEGIN { print (a <= b * 1.25) ? "MET" : "MISSED" }')"
fi
say ""
say "Commands (\$TMP is a temporary directory):"
say ""
say '```sh'
[ -n "$G_LINE" ] && cmdtext "$G_CMD"
[ -n "$F_LINE" ] && cmdtext "$F_CMD"
[ -n "$S_LINE" ] && cmdtext "$S_CMD"
for size in $BIG_SIZES; do
	cmdtext "$PY bench/parse/gen_big_feed.py $size \$TMP/big-$size.xml"
	cmdtext "$OUT/parse_bench --stream-file \$TMP/big-$size.xml"
	[ -x bin/glean ] && cmdtext "$OUT/peak_rss bin/glean parse \$TMP/big-$size.xml"
	[ $have_sfeed = 1 ] && cmdtext "$OUT/peak_rss sfeed < \$TMP/big-$size.xml"
	[ $have_fp = 1 ] && [ "$SKIP_FEEDPARSER_BIG" != 1 ] &&
		cmdtext "$OUT/peak_rss $PY -c 'import sys, feedparser; feedparser.parse(sys.argv[1])' \$TMP/big-$size.xml"
done
say '```'
exit 0
