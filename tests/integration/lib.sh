# lib.sh: what the bash suites that run gleanerd against httpd.py share
# (daemon.sh, articles.sh).  Sourced once they have set SUITE (their name, as
# in their last line "SUITE: N passed, N failed"): reads their arguments
# GLEANERD GLEAN, makes $tmp, removed at exit with every process listed in
# $pids, and defines the checks.
# shellcheck shell=bash

GLEANERD=${1:?usage: $SUITE.sh GLEANERD GLEAN}
GLEAN=${2:?usage: $SUITE.sh GLEANERD GLEAN}
case $GLEANERD in /*) ;; *) GLEANERD=$PWD/$GLEANERD ;; esac
case $GLEAN in /*) ;; *) GLEAN=$PWD/$GLEAN ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON:-python3}
# GLEANER_TEST_SLOW=N (default 1) multiplies the time limits, for gleanerd
# under valgrind (make valgrind); what is checked stays the same.
SLOW=${GLEANER_TEST_SLOW:-1}
case $SLOW in '' | *[!0-9]* | 0) SLOW=1 ;; esac
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

pass=0 fail=0 pids="" run_note=""
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gleaner-$SUITE.XXXXXX") || exit 1
cleanup() {
	trap '' INT TERM HUP
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	sleep 0.2
	for p in $pids; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ok/bad NAME [DETAIL]: a check's result; a failure shows DETAIL (VERBOSE=1:
# a success too) and run_note, what went wrong around the check, if set.
ok()  { pass=$((pass + 1)); echo "ok   $1"; [ -n "${VERBOSE:-}" ] && [ -n "${2:-}" ] && printf '     %s\n' "$2"; return 0; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '     %s\n' "$2" | head -n 20
	[ -n "$run_note" ] && printf '     (%s)\n' "$run_note"; return 0; }
# expect NAME DETAIL CMD...: ok when CMD succeeds
expect() { local _n=$1 _d=$2; shift 2; if "$@"; then ok "$_n" "$_d"; else bad "$_n" "$_d"; fi; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
alive() { local st=""; [ -r "/proc/$1/stat" ] && read -r _ _ st _ <"/proc/$1/stat"; [ -n "$st" ] && [ "$st" != Z ]; }
# until_ok SECONDS CMD...: polls CMD every 0.1 s (for SECONDS times SLOW)
until_ok() { local end=$(($(now_ms) + $1 * 1000 * SLOW)); shift
	while ! "$@"; do [ "$(now_ms)" -ge "$end" ] && return 1; sleep 0.1; done; }
sq() { sqlite3 -cmd '.timeout 5000' "$@" 2>&1; }
contains() { case $1 in *"$2"*) return 0 ;; esac; return 1; }
icontains() { contains "$(printf '%s' "$1" | tr A-Z a-z)" "$(printf '%s' "$2" | tr A-Z a-z)"; }
ge() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -ge "$2" ] 2>/dev/null; }
le() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -le "$2" ] 2>/dev/null; }
lt() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -lt "$2" ] 2>/dev/null; }
sanitizer_clean() { ! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$@"; }

# public_addr: GLEANER_TEST_PUBLIC_ADDR ("none": no address), or the first
# local IPv4 address gleanerd does not count as private; "" when there is none.
public_addr() {
	if [ -n "${GLEANER_TEST_PUBLIC_ADDR:-}" ]; then
		[ "$GLEANER_TEST_PUBLIC_ADDR" = none ] || printf '%s' "$GLEANER_TEST_PUBLIC_ADDR"
		return 0
	fi
	hostname -I 2>/dev/null | "$PY" -c '
import ipaddress, sys
nets = [ipaddress.ip_network(n) for n in ("0.0.0.0/8", "10.0.0.0/8", "127.0.0.0/8",
        "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "224.0.0.0/4",
        "240.0.0.0/4")]  # addr_is_private() in daemon/fetch.c
for a in sys.stdin.read().split():
    try:
        ip = ipaddress.ip_address(a)
    except ValueError:
        continue
    if ip.version == 4 and not any(ip in n for n in nets):
        print(a)
        break
'
}

# start_httpd ADDRS [ARG...]: httpd.py in the background on ADDRS (a comma
# list); sets HTTPD and PORT, or ends the suite when the server does not start.
start_httpd() {
	local addrs=$1; shift
	"$PY" "$HERE/httpd.py" --addr "$addrs" "$@" >"$tmp/httpd.out" 2>"$tmp/httpd.err" &
	HTTPD=$!; pids="$pids $HTTPD"
	until_ok 10 test -s "$tmp/httpd.out" || { echo "FAIL httpd.py did not start: $(cat "$tmp/httpd.err")"; echo "$SUITE: 0 passed, 1 failed"; exit 1; }
	PORT=$(head -n 1 "$tmp/httpd.out")
}
# getlog: the server's request log, to $tmp/log.json
getlog() { curl -s --max-time 10 "http://127.0.0.1:$PORT/_log" >"$tmp/log.json"; }
