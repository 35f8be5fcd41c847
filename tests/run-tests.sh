#!/bin/sh
# Runs the unit-test binaries, then the integration suites, and ends with one
# line CI reads: "N passed, N failed" (counting individual tests).
# usage: run-tests.sh [--unit BIN...] [--integration GLEAN] [--suite SCRIPT[:ARG:ARG]...]
# A suite is a script ending with a line "NAME: N passed, N failed";
# --integration GLEAN is the suite tests/integration/run.sh:GLEAN.
pass=0; fail=0; failed_names=""

# tally NAME RC OUTPUT PASSED_SED FAILED_SED: adds one run's counts; a run
# that exited non-zero without a failure counted (a crash, a sanitizer
# abort) counts as one failure.
tally() {
	p=$(printf '%s\n' "$3" | sed -n "$4" | tail -n 1)
	f=$(printf '%s\n' "$3" | sed -n "$5" | tail -n 1)
	p=${p:-0}; f=${f:-0}
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	[ "$f" -ne 0 ] && failed_names="$failed_names $1"
	pass=$((pass + p)); fail=$((fail + f))
}

suite() {
	script=${1%%:*}
	args=$(printf '%s' "$1" | sed -n 's/^[^:]*://p' | tr ':' ' ')
	# shellcheck disable=SC2086
	out=$(bash "$script" $args 2>&1); rc=$?
	printf '%s\n' "$out"
	out=$(printf '%s\n' "$out" | grep -E '^[a-z_-]+: [0-9]+ passed, [0-9]+ failed')
	tally "$script" "$rc" "$out" 's/^[a-z_-]*: \([0-9]*\) passed.*/\1/p' 's/.* \([0-9]*\) failed.*/\1/p'
}

mode=""
for a in "$@"; do
	case "$a" in
	--unit | --integration | --suite) mode=${a#--}; continue ;;
	esac
	case "$mode" in
	unit)
		out=$("$a" 2>&1); rc=$?
		printf '%s\n' "$out"
		tally "$(basename "$a")" "$rc" "$out" 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' \
		    's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p'
		;;
	integration) suite "tests/integration/run.sh:$a" ;;
	suite) suite "$a" ;;
	esac
done
[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
