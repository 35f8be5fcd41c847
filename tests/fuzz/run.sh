#!/bin/sh
# Runs each libFuzzer harness for SECONDS, seeded from tests/fuzz/seed/<name>,
# the kept corpus tests/fuzz/corpus/<name> (see keep.sh) and, for the feed
# parser, the shared corpus.  New coverage goes to a work
# directory outside git; crashes are left as crash-* files and fail the run.
# usage: run.sh SECONDS HARNESS...
secs=${1:?}; shift
SHARED=${GLEANER_SHARED:-../shared}
rc=0
for h in "$@"; do
	name=$(basename "$h" | sed 's/^fuzz_//')
	work=tests/fuzz/corpus-work/$name
	mkdir -p "$work"
	seeds="tests/fuzz/seed/$name"
	[ -d "$seeds" ] || seeds=""
	[ -d "tests/fuzz/corpus/$name" ] && seeds="$seeds tests/fuzz/corpus/$name"
	extra=""
	if [ "$name" = feed ] && [ -d "$SHARED/corpus/feeds" ]; then extra="$SHARED/corpus/feeds"; fi
	dict=""
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	echo "fuzz $name: ${secs}s"
	if ! "$h" -max_total_time="$secs" -max_len=262144 -timeout=10 -rss_limit_mb=2048 \
		$dict -artifact_prefix=tests/fuzz/corpus-work/"$name"- "$work" $seeds $extra \
		>"tests/fuzz/corpus-work/$name.log" 2>&1; then
		echo "fuzz $name: FAILED (see tests/fuzz/corpus-work/$name.log)"
		tail -n 30 "tests/fuzz/corpus-work/$name.log"
		rc=1
	else
		tail -n 1 "tests/fuzz/corpus-work/$name.log"
	fi
done
exit $rc
