#!/bin/sh
# tests/store/run.sh: the store's concurrency acceptance test (issue 3): a
# writer ingesting 100,000 items in per-feed transactions while a reader
# lists and searches in a loop, under AddressSanitizer and UBSan.
# Ends with "store-concurrency: N passed, N failed".
#
# usage: sh tests/store/run.sh [ITEMS [FEEDS]]    (defaults 100000 500)
# Environment: CC (default cc).  Builds build/san/tests/store-concurrency
# against build/libgleaner-san.a; without lib/store_query.c in the library
# the reader runs the same SQL itself (-DNO_STORE_QUERY).
set -u

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 1

CC=${CC:-cc}
ITEMS=${1:-100000}
FEEDS=${2:-500}
PKGS="libcurl expat sqlite3 libxml-2.0 inih libsystemd"
BIN=build/san/tests/store-concurrency
SAN="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
WARN="-std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter"

result() {
	if [ "$1" = 0 ]; then echo "store-concurrency: 1 passed, 0 failed"; else echo "store-concurrency: 0 passed, 1 failed"; fi
	exit "$1"
}

if ! make -s build/libgleaner-san.a; then
	echo "run.sh: cannot build build/libgleaner-san.a"
	result 1
fi
query=""
nm build/libgleaner-san.a 2>/dev/null | grep -q ' T store_search$' || {
	query="-DNO_STORE_QUERY"
	echo "run.sh: no store_items/store_search in the library: the reader uses its own SQL"
}
mkdir -p "$(dirname "$BIN")"
# shellcheck disable=SC2046,SC2086
if ! "$CC" $WARN $SAN -D_GNU_SOURCE -Ilib $query $(pkg-config --cflags $PKGS) -o "$BIN" \
	tests/store/concurrency.c build/libgleaner-san.a $(pkg-config --libs $PKGS) -lm; then
	echo "run.sh: cannot build $BIN"
	result 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gleaner-concurrency.XXXXXX") || result 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS
start=$(date +%s)
timeout 300 "$BIN" "$tmp/gleaner.db" "$ITEMS" "$FEEDS"
rc=$?
echo "run.sh: $(($(date +%s) - start)) s in all"
[ "$rc" = 124 ] && echo "run.sh: timed out after 300 s"
result "$rc"
