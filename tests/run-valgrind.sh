#!/bin/sh
# make valgrind: memcheck over the release build (no sanitizers).
#  1. the unit tests (build/vg, built without sanitizers), each a run that
#     must end without a memcheck error or a definite/indirect leak;
#  2. glean parse on the fixtures (and on every 8th file of the shared corpus
#     when the cli suite, which parses all of it, is not run);
#  3. the integration suites with bin/glean and bin/gleanerd run under
#     memcheck through wrapper scripts (build/vg/bin): each suite's own
#     checks count as they do in `make test`, and every process log with an
#     error (read/write of freed or unowned memory, uninitialised values,
#     definite or indirect leaks, a crash) counts as one failure more.
# Ends with "valgrind: N passed, N failed".
#
# usage: run-valgrind.sh GLEAN GLEANERD UNIT_BIN...
# Environment: GLEANER_SHARED (default ../shared); GLEANER_TEST_SLOW (default
# 10): the suites multiply their time limits by it, since memcheck runs the
# daemon 20-50 times slower (the checks themselves are the same);
# VG_SUITES: the parts to run (default all: "unit cli daemon articles faults
# storage crash").  storage needs root for its tmpfs, as in make test (it
# skips with a message otherwise); crash runs CRASH_KILLS (here 5) rounds: a
# SIGKILLed memcheck process writes no leak report, so each killed daemon is
# checked only for the errors it logged before the kill (counted as "killed
# before their leak check"); the last daemon of the suite ends on SIGTERM.
# Left out: tests/store/run.sh, which builds and runs its own ASan binary.
GLEAN=${1:?usage: run-valgrind.sh GLEAN GLEANERD UNIT_BIN...}
GLEANERD=${2:?usage: run-valgrind.sh GLEAN GLEANERD UNIT_BIN...}
shift 2
SHARED=${GLEANER_SHARED:-../shared}
SUITES=${VG_SUITES:-unit cli daemon articles faults storage crash}
GLEANER_TEST_SLOW=${GLEANER_TEST_SLOW:-10}
GLEANER_TEST_VALGRIND=1
export GLEANER_TEST_SLOW GLEANER_TEST_VALGRIND
SUPP=$PWD/tests/valgrind.supp
VG="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --suppressions=$SUPP"
pass=0; fail=0; failed_names=""
t_start=$(date +%s)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gleaner-vg.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

# --- 1 and 2: single runs, judged by memcheck's exit status
run() {
	if $VG "$@" >/dev/null 2>"$tmp/vg.err"; then pass=$((pass + 1))
	elif [ $? -eq 99 ]; then fail=$((fail + 1)); failed_names="$failed_names $(basename "$1")"
		echo "FAIL (memcheck): $*"; head -n 40 "$tmp/vg.err"
	else pass=$((pass + 1)); fi  # a non-zero exit of its own is not a memory error
}
with_cli=no
case " $SUITES " in *" cli "*) with_cli=yes ;; esac
case " $SUITES " in *" unit "*)
	for t in "$@"; do run "$t"; done
	echo "# unit tests: $pass passed, $fail failed"
	for f in tests/data/*.xml tests/data/*.html tests/data/feeds/*; do
		[ -f "$f" ] && run "$GLEAN" parse "$f"
	done
	if [ "$with_cli" = yes ]; then
		echo "# glean parse on the shared corpus: every file, in the cli suite (corpus_check.py)"
	elif [ -d "$SHARED/corpus/feeds" ]; then
		# every 8th corpus file: the whole corpus takes minutes under memcheck
		find "$SHARED/corpus/feeds" -type f ! -name '*.md' ! -name MANIFEST.tsv | sort |
		    awk 'NR % 8 == 1' >"$tmp/files"
		while read -r f; do run "$GLEAN" parse "$f"; done <"$tmp/files"
	else
		echo "skip corpus: $SHARED/corpus/feeds not found"
	fi
	echo "# unit tests and glean parse: $pass passed, $fail failed ($(($(date +%s) - t_start)) s)"
	;;
esac

# --- 3: the integration suites with the release binaries under memcheck.
# No --error-exitcode: the suites check the programs' own exit statuses;
# memcheck's verdict is read from the logs.  Not --quiet: a log then ends
# with "ERROR SUMMARY", and one without it was killed (SIGKILL) before the
# leak check.
WRAP=$PWD/build/vg/bin
LOGS=$PWD/build/vg/logs
mkdir -p "$WRAP"
rm -rf "$LOGS"
abs() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
wrapper() {
	cat >"$WRAP/$1" <<EOF
#!/bin/sh
# Written by tests/run-valgrind.sh: $1 under memcheck, its log in \$GLEANER_VG_LOGS.
exec valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \\
    --suppressions=$SUPP --trace-children=no \\
    --log-file="\${GLEANER_VG_LOGS:-$LOGS}/$1.%p.log" $(abs "$2") "\$@"
EOF
	chmod +x "$WRAP/$1"
}
wrapper glean "$GLEAN"
wrapper gleanerd "$GLEANERD"

# vg_logs DIR: one failure per log with a memcheck error, each shown
vg_logs() {
	n_logs=0; n_bad=0; n_cut=0
	for l in "$1"/*.log; do
		[ -f "$l" ] || continue
		n_logs=$((n_logs + 1))
		grep -q 'ERROR SUMMARY' "$l" || n_cut=$((n_cut + 1))
		if grep -qE 'ERROR SUMMARY: [1-9]|Invalid (read|write|free)|Mismatched free|uninitialised|Source and destination overlap|are (definitely|indirectly) lost in loss record|Process terminating with default action of signal [0-9]+ \(SIG(SEGV|ABRT|BUS|FPE|ILL)\)' "$l"; then
			n_bad=$((n_bad + 1)); fail=$((fail + 1))
			failed_names="$failed_names $(basename "$l")"
			echo "FAIL (memcheck) $2: $(sed -n 's/^==[0-9]*== Command: //p' "$l" | head -n 1)"
			echo "     log: $l"
			grep -v -E '^==[0-9]+== (Memcheck|Copyright|Using Valgrind|Command|Parent PID)' "$l" |
			    sed -n '/Invalid\|uninitialised\|lost in loss record\|Mismatched\|overlap\|Process terminating/,+24p' |
			    head -n 60 | sed 's/^/     /'
		fi
	done
	echo "# $2 under memcheck: $n_logs process logs, $n_bad with errors, $n_cut killed before their leak check"
}

# suite NAME SCRIPT ARG...: runs it with the wrappers, tallies its checks and its logs
suite() {
	name=$1; shift
	t0=$(date +%s)
	GLEANER_VG_LOGS=$LOGS/$name; export GLEANER_VG_LOGS
	mkdir -p "$GLEANER_VG_LOGS"
	bash "$@" >"$tmp/out" 2>&1; rc=$?
	cat "$tmp/out"
	line=$(grep -E '^[a-z_-]+: [0-9]+ passed, [0-9]+ failed' "$tmp/out" | tail -n 1)
	p=$(printf '%s' "$line" | sed -n 's/^[a-z_-]*: \([0-9]*\) passed.*/\1/p')
	f=$(printf '%s' "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	p=${p:-0}; f=${f:-0}
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1  # died without counting its failure
	pass=$((pass + p)); fail=$((fail + f))
	[ "$f" -ne 0 ] && failed_names="$failed_names $1"
	vg_logs "$GLEANER_VG_LOGS" "$name"
	echo "# $name: $(($(date +%s) - t0)) s"
}

for s in $SUITES; do
	case $s in
	unit) ;;  # above
	# cli_store.sh and cli_extract.sh run inside run.sh (their counts add to its own)
	cli) suite cli tests/integration/run.sh "$WRAP/glean" ;;
	daemon) suite daemon tests/integration/daemon.sh "$WRAP/gleanerd" "$WRAP/glean" ;;
	articles) suite articles tests/integration/articles.sh "$WRAP/gleanerd" "$WRAP/glean" ;;
	# The release gleanerd of the fault suite's memory run is the wrapped one
	# too: the heavy documents go through memcheck (the bound is not checked).
	faults) suite faults tests/faults/run.sh "$WRAP/gleanerd" "$WRAP/glean" "$WRAP/gleanerd" ;;
	storage) suite storage tests/faults/storage.sh "$WRAP/gleanerd" "$WRAP/glean" ;;
	# 5 rounds: each takes 10-15 s under memcheck (20 in make test).
	crash) CRASH_KILLS=${CRASH_KILLS:-5}; export CRASH_KILLS
		suite crash tests/faults/crash.sh "$WRAP/gleanerd" "$WRAP/glean" ;;
	*) echo "run-valgrind.sh: unknown suite '$s'"; fail=$((fail + 1)) ;;
	esac
done

[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "# make valgrind: $(($(date +%s) - t_start)) s in all, GLEANER_TEST_SLOW=$GLEANER_TEST_SLOW; logs in $LOGS"
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
