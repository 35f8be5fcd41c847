#!/bin/sh
# The kept fuzz inputs as a regression suite: each harness, linked with
# tests/fuzz/replay.c and the sanitizer build of the library, runs once on
# every file of tests/fuzz/seed/NAME and tests/fuzz/corpus/NAME.  A harness
# whose inputs all run without a sanitizer report passes.
# usage: replay.sh BIN...   (build/san/fuzz/replay_NAME)
pass=0; fail=0
for b in "$@"; do
	name=$(basename "$b" | sed 's/^replay_//')
	dirs=""
	for d in tests/fuzz/seed/"$name" tests/fuzz/corpus/"$name"; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	if [ -z "$dirs" ]; then
		echo "fuzz-replay $name: no kept inputs (tests/fuzz/seed/$name, tests/fuzz/corpus/$name)"
		fail=$((fail + 1))
		continue
	fi
	# shellcheck disable=SC2086
	if out=$("$b" $dirs 2>&1); then
		pass=$((pass + 1))
		echo "fuzz-replay $name: ok ($(printf '%s\n' "$out" | tail -n 1 | sed 's/.*: //'))"
	else
		fail=$((fail + 1))
		echo "FAIL fuzz-replay $name"
		printf '%s\n' "$out" | tail -n 40
	fi
done
echo "fuzz-replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
