#!/bin/sh
# make valgrind: the unit tests (built without sanitizers) and glean parse on
# the fixtures and the shared corpus under memcheck; any error or leak fails.
# usage: run-valgrind.sh GLEAN UNIT_BIN...
GLEAN=$1; shift
SHARED=${GLEANER_SHARED:-../shared}
VG="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --suppressions=tests/valgrind.supp"
pass=0; fail=0
run() {
	if $VG "$@" >/dev/null 2>/tmp/gleaner-vg.$$; then pass=$((pass + 1))
	elif [ $? -eq 99 ]; then fail=$((fail + 1)); echo "FAIL (memcheck): $*"; head -n 40 /tmp/gleaner-vg.$$
	else pass=$((pass + 1)); fi  # a non-zero exit of its own is not a memory error
}
for t in "$@"; do run "$t"; done
for f in tests/data/*.xml tests/data/*.html tests/data/feeds/*; do [ -f "$f" ] && run "$GLEAN" parse "$f"; done
if [ -d "$SHARED/corpus/feeds" ]; then
	# every 8th corpus file: the whole corpus takes minutes under memcheck
	find "$SHARED/corpus/feeds" -type f ! -name '*.md' ! -name MANIFEST.tsv | sort | awk 'NR % 8 == 1' |
	while read -r f; do echo "$f"; done >/tmp/gleaner-vg-files.$$
	while read -r f; do run "$GLEAN" parse "$f"; done </tmp/gleaner-vg-files.$$
	rm -f /tmp/gleaner-vg-files.$$
else
	echo "skip corpus: $SHARED/corpus/feeds not found"
fi
rm -f /tmp/gleaner-vg.$$
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
