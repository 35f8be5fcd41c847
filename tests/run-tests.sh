#!/bin/sh
# Runs the unit-test binaries, then the integration tests, and ends with one
# line CI reads: "N passed, N failed" (counting individual tests).
# usage: run-tests.sh [--unit BIN...] [--integration GLEAN] [--suite SCRIPT[:ARG:ARG]...]
# A suite is a shell script ending with a line "NAME: N passed, N failed".
pass=0; fail=0; failed_names=""
add() { pass=$((pass + $1)); fail=$((fail + $2)); }

mode=""
for a in "$@"; do
	case "$a" in
	--unit) mode=unit; continue ;;
	--integration) mode=integration; continue ;;
	--suite) mode=suite; continue ;;
	esac
	if [ "$mode" = suite ]; then
		script=${a%%:*}
		args=$(printf '%s' "$a" | sed -n 's/^[^:]*://p' | tr ':' ' ')
		# shellcheck disable=SC2086
		out=$(bash "$script" $args 2>&1); rc=$?
		printf '%s\n' "$out"
		line=$(printf '%s\n' "$out" | grep -E '^[a-z_-]+: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
		p=$(printf '%s' "$line" | sed -n 's/^[a-z_-]*: \([0-9]*\) passed.*/\1/p')
		f=$(printf '%s' "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
		p=${p:-0}; f=${f:-0}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
		[ "$f" -ne 0 ] && failed_names="$failed_names $script"
		add "$p" "$f"
		continue
	fi
	if [ "$mode" = unit ]; then
		out=$("$a" 2>&1); rc=$?
		printf '%s\n' "$out"
		p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
		f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
		p=${p:-0}; f=${f:-0}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi  # crashed or sanitizer abort
		[ "$f" -ne 0 ] && failed_names="$failed_names $(basename "$a")"
		add "$p" "$f"
	elif [ "$mode" = integration ]; then
		out=$(sh tests/integration/run.sh "$a" 2>&1); rc=$?
		printf '%s\n' "$out"
		line=$(printf '%s\n' "$out" | grep -E '^integration: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
		p=$(printf '%s' "$line" | sed -n 's/^integration: \([0-9]*\) passed.*/\1/p')
		f=$(printf '%s' "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
		p=${p:-0}; f=${f:-0}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
		[ "$f" -ne 0 ] && failed_names="$failed_names integration"
		add "$p" "$f"
	fi
done
[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
