#!/bin/sh
# bench/extract/run.sh: article-extraction quality and speed of Gleaner beside
# Readability.js and readability-lxml, all on the same pages in the same run
# (`make bench-extract` runs it).  See BENCHMARKS.md.
#
# For each set of ../shared/corpus (wcxb-dev: 197 news and blog pages with
# human-reviewed articleBody; readability-test-pages: Mozilla's 130 test
# pages, truth = the visible text of expected.html), each system reads every
# page in ONE process and writes OUT/<set>/<system>/<id>.txt:
#   gleaner           bin/glean extract --batch DIR --urls TSV FILE...
#   readability.js    ../shared/bench/readability_js_extract.js (jsdom)
#   readability-lxml  ../shared/bench/readability_lxml_extract.py
#   baseline          extract_eval.py baseline: all visible text (for scale)
# Each run is timed by build/bench/peak_rss (wall, CPU = user + system, peak
# RSS of the process); RUNS runs taking turns, median wall and CPU, highest
# peak RSS.  The speed targets are judged on CPU time: on a shared 2-core
# machine the wall clock of a single-threaded program swings with the load
# (printed before and after), while Node spreads its GC over both cores.
# Then ../shared/bench/extract_eval.py scores every system (F1, precision,
# recall: the standard metric of the public article-extraction benchmark).
#
# usage: sh bench/extract/run.sh [--only SYSTEM[,SYSTEM...]]
#   --only gleaner   Gleaner alone (quick scoring while working on lib/extract*.c);
#                    the peers' scores and times of the last full run are shown
#                    beside it, marked as from an earlier run
#   --only peers     readability.js, readability-lxml and baseline
# Environment: SETS ("wcxb-dev readability-test-pages"), RUNS (3),
# DETAILS=N (Gleaner's N worst pages per set, by per-page F1, with P/R and
# Readability.js's score on the same page), SHARED (../shared),
# OUT (build/bench/extract, kept: outputs, logs, per-page CSVs),
# PYTHON (/usr/bin/python3: Debian's python3-readability lives there),
# NODE_MODULES_DIR (${XDG_CACHE_HOME:-$HOME/.cache}/gleaner-bench/node).
#
# Installs what it lacks: Debian python3-readability python3-html-text
# (and nodejs npm) with apt-get, and the npm packages @mozilla/readability
# and jsdom at pinned versions into NODE_MODULES_DIR, outside the repository.
set -u

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 1

SHARED=${SHARED:-../shared}
SETS=${SETS:-wcxb-dev readability-test-pages}
RUNS=${RUNS:-3}
DETAILS=${DETAILS:-0}
OUT=${OUT:-build/bench/extract}
PY=${PYTHON:-/usr/bin/python3}
NODE_DIR=${NODE_MODULES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gleaner-bench/node}
READABILITY_VERSION=0.6.0
# jsdom 27 wants Node ^20.19 or >= 22.12; Debian 12's own nodejs is 18.
JSDOM_VERSION_NEW=27.4.0
JSDOM_VERSION_OLD=26.1.0
BENCH_DEB_PKGS="python3-readability python3-html-text"
EVAL=$SHARED/bench/extract_eval.py

ONLY=all
while [ $# -gt 0 ]; do
	case $1 in
	--only) ONLY=${2:?--only needs a value}; shift 2 ;;
	--only=*) ONLY=${1#--only=}; shift ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed -e '/^set -u/d' -e 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
case $ONLY in
all) SYSTEMS="gleaner readability.js readability-lxml baseline" ;;
peers) SYSTEMS="readability.js readability-lxml baseline" ;;
*) SYSTEMS=$(printf '%s' "$ONLY" | tr ',' ' ') ;;
esac
for s in $SYSTEMS; do
	case $s in
	gleaner | readability.js | readability-lxml | baseline) ;;
	*) echo "run.sh: unknown system '$s' (gleaner, readability.js, readability-lxml, baseline, peers)" >&2
	   exit 2 ;;
	esac
done
case $RUNS in '' | *[!0-9]* | 0) echo "run.sh: RUNS must be a positive number" >&2; exit 2 ;; esac
want() { case " $SYSTEMS " in *" $1 "*) return 0 ;; esac; return 1; }
say() { printf '%s\n' "$*"; }

if [ ! -f "$EVAL" ] || [ ! -d "$SHARED/corpus" ]; then
	say "== SKIPPED: $SHARED is absent (the shared corpora and extract_eval.py live in ../shared;"
	say "   set SHARED=DIR to point elsewhere).  Nothing to measure."
	exit 0
fi

# ---- what the peers need ---------------------------------------------------
apt_install() {
	SUDO=
	[ "$(id -u)" = 0 ] || SUDO=sudo
	say "installing Debian packages: $*"
	$SUDO apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
}
# node_version_ok: Node is at least 20.19 (what jsdom 27 asks for).
node_version_ok() {
	node -e 'const [a, b] = process.versions.node.split(".").map(Number);
		process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null
}
pkg_version() { node -p "require('$NODE_DIR/node_modules/$1/package.json').version" 2>/dev/null; }

if want readability-lxml; then
	if ! "$PY" -c 'import readability, html_text' 2>/dev/null; then
		# shellcheck disable=SC2086
		apt_install $BENCH_DEB_PKGS ||
			{ say "run.sh: cannot install $BENCH_DEB_PKGS"; exit 1; }
	fi
fi
if want readability.js; then
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		apt_install nodejs npm || { say "run.sh: cannot install nodejs npm"; exit 1; }
	fi
	if node_version_ok; then JSDOM_VERSION=$JSDOM_VERSION_NEW; else JSDOM_VERSION=$JSDOM_VERSION_OLD; fi
	if [ "$(pkg_version @mozilla/readability)" != "$READABILITY_VERSION" ] ||
		[ "$(pkg_version jsdom)" != "$JSDOM_VERSION" ]; then
		say "installing npm @mozilla/readability@$READABILITY_VERSION jsdom@$JSDOM_VERSION into $NODE_DIR"
		if ! mkdir -p "$NODE_DIR" ||
			! (cd "$NODE_DIR" && npm install --no-audit --no-fund --save-exact --loglevel=error \
				"@mozilla/readability@$READABILITY_VERSION" "jsdom@$JSDOM_VERSION"); then
			say "run.sh: npm install failed"
			exit 1
		fi
	fi
fi

# ---- Gleaner and the timer -------------------------------------------------
mkdir -p build/bench "$OUT" || exit 1
cc -std=c11 -Wall -Wextra -O2 -D_GNU_SOURCE -o build/bench/peak_rss bench/parse/peak_rss.c || exit 1
REV="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- lib cli 2>/dev/null ||
	echo ' + uncommitted changes')"
if want gleaner; then
	if ! make -s bin/glean; then
		say "run.sh: cannot build bin/glean (lib/ mid-edit? retry in a few minutes)"
		exit 1
	fi
	if ! bin/glean extract --help >/dev/null 2>&1; then
		say "run.sh: bin/glean has no 'extract' command"
		exit 1
	fi
fi

versions() {
	say "gleaner $REV (bin/glean, -O2)"
	want readability.js && say "readability.js @mozilla/readability $(pkg_version @mozilla/readability), jsdom $(pkg_version jsdom), node $(node --version)"
	want readability-lxml && say "readability-lxml $(dpkg-query -W -f='${Version}' python3-readability 2>/dev/null), html-text $(dpkg-query -W -f='${Version}' python3-html-text 2>/dev/null), $("$PY" --version 2>&1)"
	want baseline && say "baseline extract_eval.py baseline (all visible text, html.parser)"
}
versions >"$OUT/versions.new"

# ---- one set ------------------------------------------------------------------
# run_system SET SYSTEM INDIR FILES_LIST URLS OUTDIR: one timed run; appends
# "system wall cpu rss_kb rc" to $OUT/SET/times.tsv.
run_system() {
	set_=$1 sys=$2 indir=$3 list=$4 urls=$5 dir=$6
	log="$OUT/$set_/$sys.log"
	rm -rf "$dir"
	case $sys in
	gleaner)
		# shellcheck disable=SC2046
		line=$(build/bench/peak_rss bin/glean extract --batch "$dir" ${urls:+--urls "$urls"} \
			$(cat "$list") 2>"$log") ;;
	readability.js)
		line=$(RDB_MODULES="$NODE_DIR/node_modules" build/bench/peak_rss node \
			"$SHARED/bench/readability_js_extract.js" "$indir" "$dir" 2>"$log") ;;
	readability-lxml)
		line=$(build/bench/peak_rss "$PY" "$SHARED/bench/readability_lxml_extract.py" \
			"$indir" "$dir" 2>"$log") ;;
	baseline)
		line=$(build/bench/peak_rss "$PY" "$EVAL" baseline --html-dir "$indir" --out "$dir" 2>"$log") ;;
	esac
	case $sys in
	gleaner) shown="bin/glean extract --batch $dir${urls:+ --urls $urls} \$(cat $list)" ;;
	readability.js) shown="RDB_MODULES=$NODE_DIR/node_modules node $SHARED/bench/readability_js_extract.js $indir $dir" ;;
	readability-lxml) shown="$PY $SHARED/bench/readability_lxml_extract.py $indir $dir" ;;
	baseline) shown="$PY $EVAL baseline --html-dir $indir --out $dir" ;;
	esac
	say "build/bench/peak_rss $shown" >"$OUT/$set_/cmd-$sys"
	field() { say "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
	printf '%s\t%s\t%s\t%s\t%s\n' "$sys" "$(field wall_s)" "$(field cpu_s)" "$(field maxrss_kb)" \
		"$(field rc)" >>"$OUT/$set_/times.tsv"
	printf '   %-17s wall %6.2f s  cpu %6.2f s  peak %7.1f MiB  rc %s  | %s\n' "$sys" "$(field wall_s)" \
		"$(field cpu_s)" "$(awk -v k="$(field maxrss_kb)" 'BEGIN { print k / 1024 }')" "$(field rc)" \
		"$(tail -n 1 "$log" | cut -c 1-110)"
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
SCORED=
for set in $SETS; do
	d=$SHARED/corpus/$set
	say ""
	case $set in
	wcxb-dev) indir=$d/html gt=$d/ground-truth.json ;;
	readability-test-pages) indir=$d gt=$d ;;
	*) say "== $set: SKIPPED: unknown set (wcxb-dev, readability-test-pages)"; continue ;;
	esac
	if [ ! -e "$gt" ] || [ ! -d "$indir" ]; then
		say "== $set: SKIPPED: $d is absent"
		continue
	fi
	mkdir -p "$OUT/$set" || exit 1
	list=$OUT/$set/files.txt urls=
	if [ "$set" = wcxb-dev ]; then
		find "$indir" -maxdepth 1 -name '*.html' | sort >"$list"
		urls=$OUT/$set/urls.tsv
		"$PY" -c 'import json, sys
for k, v in sorted(json.load(open(sys.argv[1], encoding="utf-8")).items()):
    if v.get("url"): print(k + "\t" + v["url"])' "$gt" >"$urls" || exit 1
	else
		find "$indir" -mindepth 2 -maxdepth 2 -name source.html | sort >"$list"
	fi
	say "== $set: $(wc -l <"$list" | tr -d ' ') pages, $RUNS run(s) per system"
	# A partial run (--only) keeps the other systems' rows from the last run.
	if [ -f "$OUT/$set/times.tsv" ]; then
		for s in $SYSTEMS; do
			awk -F'\t' -v s="$s" '$1 != s' "$OUT/$set/times.tsv" >"$OUT/$set/times.tmp"
			mv "$OUT/$set/times.tmp" "$OUT/$set/times.tsv"
		done
	fi
	# Runs take turns (each system once, then again) so that the load of a
	# shared machine falls on every system alike.
	r=1
	while [ $r -le "$RUNS" ]; do
		for s in $SYSTEMS; do
			run_system "$set" "$s" "$indir" "$list" "$urls" "$OUT/$set/$s" || exit 1
		done
		r=$((r + 1))
	done
	for s in $SYSTEMS; do
		date -u '+%Y-%m-%d %H:%M UTC' >"$OUT/$set/when-$s"
	done
	specs=
	for s in gleaner readability.js readability-lxml baseline; do
		[ -d "$OUT/$set/$s" ] && specs="$specs $s=$OUT/$set/$s"
	done
	say "   scoring with extract_eval.py (standard metric, 1000 bootstrap resamples)"
	# shellcheck disable=SC2086
	"$PY" "$EVAL" eval --gt "$gt" --json "$OUT/$set/scores.json" --per-page "$OUT/$set/per-page" \
		$specs >"$OUT/$set/eval.txt" || { cat "$OUT/$set/eval.txt"; exit 1; }
	say "$PY $EVAL eval --gt $gt --json $OUT/$set/scores.json --per-page $OUT/$set/per-page$specs" \
		>"$OUT/$set/cmd-eval"
	SCORED="$SCORED $set"
done

# Versions of this run's systems, kept beside the earlier run's others.
touch "$OUT/versions.txt"
for s in gleaner readability.js readability-lxml baseline; do
	if want "$s"; then grep "^$s " "$OUT/versions.new"; else grep "^$s " "$OUT/versions.txt"; fi
done >"$OUT/versions.tmp"
mv "$OUT/versions.tmp" "$OUT/versions.txt"
rm -f "$OUT/versions.new"

[ -n "$SCORED" ] || exit 0
say ""
say "== results (Markdown)"
say ""
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
say "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPU(s), ${cpu:-unknown CPU}; $(uname -sr); load average ${LOAD0:-?} before, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) after."
say ""
# shellcheck disable=SC2086
"$PY" bench/extract/report.py --out "$OUT" --ran "$SYSTEMS" --details "$DETAILS" $SCORED
say "Commands (each timed run; then the scoring):"
say ""
say '```sh'
for set in $SCORED; do
	for s in gleaner readability.js readability-lxml baseline; do
		[ -f "$OUT/$set/cmd-$s" ] && cat "$OUT/$set/cmd-$s"
	done
	cat "$OUT/$set/cmd-eval"
done
say '```'
