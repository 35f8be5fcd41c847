#!/bin/sh
# Keeps, in git, the inputs of a fuzz run that reached new coverage: merges
# tests/fuzz/corpus-work/<name> (the run's corpus, outside git) into
# tests/fuzz/corpus/<name> with libFuzzer's -set_cover_merge=1: a greedy set
# cover, about the fewest inputs with all the features of the kept set and
# the run's (plain -merge=1 kept twice as many).  Inputs over KEEP_MAX bytes
# (8192) are left out, so that the kept corpora stay small; `make test`
# replays every kept input (tests/fuzz/replay.sh).
# usage: keep.sh HARNESS...   (build/fuzz/fuzz_NAME)
KEEP_MAX=${KEEP_MAX:-8192}
rc=0
for h in "$@"; do
	name=$(basename "$h" | sed 's/^fuzz_//')
	work=tests/fuzz/corpus-work/$name
	kept=tests/fuzz/corpus/$name
	[ -d "$work" ] || { echo "keep $name: no $work (run tests/fuzz/run.sh first)"; continue; }
	small=$(mktemp -d "${TMPDIR:-/tmp}/gleaner-keep.XXXXXX") || exit 1
	find "$work" -maxdepth 1 -type f -size -"$((KEEP_MAX + 1))"c -exec cp {} "$small"/ \;
	mkdir -p "$kept"
	before=$(find "$kept" -type f | wc -l)
	if ! "$h" -set_cover_merge=1 -max_len="$KEEP_MAX" -timeout=10 -rss_limit_mb=2048 "$kept" "$small" \
		>"$work.merge.log" 2>&1; then
		echo "keep $name: merge FAILED (see $work.merge.log)"
		tail -n 20 "$work.merge.log"
		rc=1
	fi
	rm -rf "$small"
	after=$(find "$kept" -type f | wc -l)
	echo "keep $name: $before -> $after inputs, $(du -sk "$kept" | cut -f1) KiB"
done
exit $rc
