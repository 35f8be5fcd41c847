#!/bin/sh
# bench/poll/run.sh: polling benchmark (issue 4, Acceptance, bench/poll).
#
#   sh bench/poll/run.sh            # N=5000 feeds, with newsboat (~6 min)
#   N=500 NEWSBOAT=0 sh bench/poll/run.sh
#
# nginx (Debian package, run here as an unprivileged config on 127.0.0.1)
# serves N static RSS 2.0 feeds of 20 items (~21 KB each, from
# gen_feeds.py, deterministic).  Measured, in one run:
#   floor     curl --parallel --parallel-max 32 fetching all N into files,
#             then sfeed parsing them concatenated as one stream
#   Gleaner   gleanerd --once cold (empty database), then warm (all 304):
#             wall time, CPU time (user + sys, as for the floor) and peak
#             RSS (/usr/bin/time); after cold, how many items are not in
#             the search index (gleanerd indexes them all before exiting)
#   newsboat  newsboat -x reload, reload-threads 32, cold then warm
#             (skipped with NEWSBOAT=0; a run over NB_TIMEOUT s is stopped)
#   idle      gleanerd (no --once) with IDLE_N feeds configured, all stored
#             and scheduled in the future: VmRSS ~IDLE_WAIT s after start
# Knobs: N (5000), IDLE_N (10000), PORT (18480), NEWSBOAT (1),
# NB_TIMEOUT (300), FLOOR_RUNS (3, median), IDLE_WAIT (5), SETTLE_MAX (600), KEEP=1 keeps the
# temp dir.  Needs: nginx, curl, sfeed, time (and newsboat); apt-get them.
set -eu

N=${N:-5000}
IDLE_N=${IDLE_N:-10000}
PORT=${PORT:-18480}
NEWSBOAT=${NEWSBOAT:-1}
NB_TIMEOUT=${NB_TIMEOUT:-300}
FLOOR_RUNS=${FLOOR_RUNS:-3}
IDLE_WAIT=${IDLE_WAIT:-5}
KEEP=${KEEP:-0}

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
GLEANERD=$top/bin/gleanerd
GLEAN=$top/bin/glean
NGINX=${NGINX:-/usr/sbin/nginx}
TIME=/usr/bin/time

need() { command -v "$1" >/dev/null 2>&1 || { echo "run.sh: $1 is missing ($2)" >&2; exit 1; }; }
need "$NGINX" "apt-get install nginx"
need curl "apt-get install curl"
need sfeed "apt-get install sfeed"
need "$TIME" "apt-get install time"
[ "$NEWSBOAT" = 0 ] || need newsboat "apt-get install newsboat, or NEWSBOAT=0"
[ -x "$GLEANERD" ] && [ -x "$GLEAN" ] || (cd "$top" && make bin/gleanerd bin/glean)

T=$(mktemp -d /tmp/gleaner-poll.XXXXXX)
chmod 755 "$T"          # nginx workers may run as another user
NGINX_PID=
DAEMON_PID=
cleanup() {
	[ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null
	if [ -f "$T/nginx/nginx.pid" ]; then
		kill "$(cat "$T/nginx/nginx.pid")" 2>/dev/null || true
		sleep 0.5
	fi
	if [ "$KEEP" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "== $*" >&2; }

# --- feeds and nginx ---------------------------------------------------------
log "generating $N feeds"
python3 "$here/gen_feeds.py" "$N" "$T/www" >&2
chmod -R a+rX "$T/www"
BYTES=$(cat "$T"/www/*.xml | wc -c)

mkdir -p "$T/nginx/tmp"
cat > "$T/nginx/nginx.conf" <<EOC
worker_processes 2;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    etag on;
    tcp_nopush on;
    types { application/rss+xml xml; }
    default_type application/octet-stream;
    client_body_temp_path $T/nginx/tmp/body;
    proxy_temp_path $T/nginx/tmp/proxy;
    fastcgi_temp_path $T/nginx/tmp/fastcgi;
    uwsgi_temp_path $T/nginx/tmp/uwsgi;
    scgi_temp_path $T/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$PORT;
        root $T/www;
    }
}
EOC
"$NGINX" -c "$T/nginx/nginx.conf" -p "$T/nginx" -e "$T/nginx/error.log"
sleep 0.5
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/f0.xml" || { echo "nginx does not answer" >&2; exit 1; }

# --- the floor: curl --parallel + sfeed -------------------------------------
i=0
: > "$T/curl.cfg"
while [ $i -lt "$N" ]; do
	printf 'url = "http://127.0.0.1:%s/f%d.xml"\noutput = "%s/dl/f%d.xml"\n' "$PORT" $i "$T" $i >> "$T/curl.cfg"
	i=$((i + 1))
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$T/floor_fetch"; : > "$T/floor_parse"; : > "$T/floor_fetch_cpu"; : > "$T/floor_parse_cpu"
r=0
while [ $r -lt "$FLOOR_RUNS" ]; do
	rm -rf "$T/dl"; mkdir -p "$T/dl"
	log "floor run $((r + 1)): curl --parallel --parallel-max 32"
	$TIME -f '%e %U %S' -o "$T/t" curl -s --no-progress-meter --parallel --parallel-max 32 -K "$T/curl.cfg" 2> "$T/curl.err"
	tail -n 1 "$T/t" | awk '{print $1}' >> "$T/floor_fetch"
	tail -n 1 "$T/t" | awk '{print $2 + $3}' >> "$T/floor_fetch_cpu"
	[ "$(ls "$T/dl" | wc -l)" -eq "$N" ] || { echo "curl fetched $(ls "$T/dl" | wc -l) of $N" >&2; exit 1; }
	cat "$T"/dl/*.xml > "$T/all.xml"
	log "floor run $((r + 1)): sfeed < all.xml"
	$TIME -f '%e %U %S' -o "$T/t" sh -c "sfeed < '$T/all.xml' > '$T/all.tsv'"
	tail -n 1 "$T/t" | awk '{print $1}' >> "$T/floor_parse"
	tail -n 1 "$T/t" | awk '{print $2 + $3}' >> "$T/floor_parse_cpu"
	r=$((r + 1))
done
SFEED_ITEMS=$(wc -l < "$T/all.tsv")
FETCH=$(median < "$T/floor_fetch")
PARSE=$(median < "$T/floor_parse")
FLOOR=$(echo "$FETCH $PARSE" | awk '{printf "%.2f", $1 + $2}')
# CPU time (user + sys) too: on a shared machine it moves less than wall time.
FETCH_CPU=$(median < "$T/floor_fetch_cpu")
PARSE_CPU=$(median < "$T/floor_parse_cpu")
FLOOR_CPU=$(echo "$FETCH_CPU $PARSE_CPU" | awk '{printf "%.2f", $1 + $2}')
rm -rf "$T/dl" "$T/all.xml" "$T/all.tsv"

# --- Gleaner ----------------------------------------------------------------
write_conf() {   # write_conf FILE NFEEDS: feeds beyond N reuse the files with ?copy=
	{
		printf '[gleaner]\ndatabase = %s/gleaner.db\ncontrol_socket = %s/control.sock\n' "$T" "$T"
		printf 'max_connections = 32\nmax_host_connections = 32\n'
		printf 'allow_private_addresses = yes\nfull_text = no\nlog_level = warning\n'
		awk -v n="$2" -v N="$N" -v port="$PORT" 'BEGIN {
			for (i = 0; i < n; i++) {
				if (i < N) u = sprintf("http://127.0.0.1:%s/f%d.xml", port, i)
				else u = sprintf("http://127.0.0.1:%s/f%d.xml?copy=%d", port, i % N, i)
				printf "\n[feed \"f%d\"]\nurl = %s\n", i, u
			}
		}'
	} > "$1"
}
write_conf "$T/gleaner.conf" "$N"
"$GLEANERD" -c "$T/gleaner.conf" --check >&2

run_gleaner() {  # run_gleaner NAME: prints "wall peakKB"
	log "gleanerd --once ($1)"
	$TIME -f '%e %M %x %U %S' -o "$T/t.$1" "$GLEANERD" -c "$T/gleaner.conf" -f --once 2> "$T/gleanerd.$1.log" || true
	tail -n 1 "$T/t.$1" | awk '{printf "%s %s %s %.2f\n", $1, $2, $3, $4 + $5}' 
}
set -- $(run_gleaner cold); G_COLD=$1; G_COLD_RSS=$2; G_COLD_RC=$3; G_COLD_CPU=$4
STATS_COLD=$("$GLEAN" --db "$T/gleaner.db" stats 2>&1 || true)
# Items gleanerd left out of the search index (it indexes them before exit).
UNINDEXED=$(sqlite3 "$T/gleaner.db" "SELECT count(*) FROM items WHERE id > (SELECT indexed FROM search_state)" 2>/dev/null || echo '?')
set -- $(run_gleaner warm); G_WARM=$1; G_WARM_RSS=$2; G_WARM_RC=$3; G_WARM_CPU=$4
STATS_WARM=$("$GLEAN" --db "$T/gleaner.db" stats 2>&1 || true)
items_of() { echo "$1" | awk 'tolower($1) == "items" || tolower($1) == "items:" { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9,]+$/) { gsub(",", "", $i); print $i; exit } }'; }
ITEMS_COLD=$(items_of "$STATS_COLD")
ITEMS_WARM=$(items_of "$STATS_WARM")

# --- newsboat ---------------------------------------------------------------
NB_COLD=skipped; NB_WARM=skipped
if [ "$NEWSBOAT" != 0 ]; then
	mkdir -p "$T/nbhome"
	awk -v n="$N" -v port="$PORT" 'BEGIN { for (i = 0; i < n; i++) printf "http://127.0.0.1:%s/f%d.xml\n", port, i }' > "$T/urls"
	printf 'reload-threads 32\n' > "$T/newsboat.conf"
	run_nb() {
		log "newsboat -x reload ($1, stopped after $NB_TIMEOUT s)"
		HOME=$T/nbhome XDG_CONFIG_HOME=$T/nbhome XDG_DATA_HOME=$T/nbhome \
		$TIME -f '%e %M %x' -o "$T/nb.$1" timeout "$NB_TIMEOUT" \
			newsboat -x reload -u "$T/urls" -c "$T/newsboat.cache" -C "$T/newsboat.conf" \
			> "$T/newsboat.$1.log" 2>&1 || true
		set -- $(tail -n 1 "$T/nb.$1")
		if [ "${3:-}" = 124 ]; then echo "> $NB_TIMEOUT"; else echo "$1"; fi
	}
	NB_COLD=$(run_nb cold)
	NB_WARM=$(run_nb warm)
fi

# --- idle RSS with IDLE_N feeds ---------------------------------------------
write_conf "$T/gleaner.conf" "$IDLE_N"
set -- $(run_gleaner idle-once); G_IDLE_ONCE=$1; G_IDLE_ONCE_RSS=$2
log "gleanerd with $IDLE_N feeds, idle"
"$GLEANERD" -c "$T/gleaner.conf" -f 2> "$T/gleanerd.idle.log" &
DAEMON_PID=$!
# Startup (open the database, sync the config's feeds, load and schedule
# them) is over when the daemon uses under 5% of a CPU for a second.
cpu() { awk '{print $14 + $15}' "/proc/$DAEMON_PID/stat"; }
t0=$(date +%s); c0=$(cpu); SETTLE=
while [ $(( $(date +%s) - t0 )) -lt "${SETTLE_MAX:-600}" ]; do
	sleep 1; c1=$(cpu)
	if [ $((c1 - c0)) -lt 5 ]; then SETTLE=$(( $(date +%s) - t0 )); break; fi
	c0=$c1
done
[ -n "$SETTLE" ] || SETTLE="> ${SETTLE_MAX:-600}"
sleep "$IDLE_WAIT"
IDLE_RSS=$(awk '/^VmRSS/ {print $2}' "/proc/$DAEMON_PID/status")
IDLE_HWM=$(awk '/^VmHWM/ {print $2}' "/proc/$DAEMON_PID/status")
IDLE_CPU=$(awk '{print $14 + $15}' "/proc/$DAEMON_PID/stat")
sleep 5
IDLE_RSS2=$(awk '/^VmRSS/ {print $2}' "/proc/$DAEMON_PID/status")
IDLE_CPU2=$(awk '{print $14 + $15}' "/proc/$DAEMON_PID/stat")
kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" && IDLE_RC=0 || IDLE_RC=$?
DAEMON_PID=
STATS_IDLE=$("$GLEAN" --db "$T/gleaner.db" stats 2>&1 || true)

# --- report -----------------------------------------------------------------
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1fx", a / b; else print "n/a" }'; }
yesno() { if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi; }
NBNUM() { case "$1" in [0-9]*) echo "$1";; *) echo "$1" | tr -cd '0-9.';; esac; }
nbratio() { case "$1" in [0-9]*) ratio "$1" "$2";; '>'*) echo "> $(ratio "$(NBNUM "$1")" "$2")";; *) echo n/a;; esac; }
cat <<EOR

Polling benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
$N feeds x 20 items, $(awk -v b="$BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }'), nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'), curl $(curl -V | awk 'NR==1 {print $2}'), newsboat $(newsboat -v 2>/dev/null | awk 'NR==1 {print $2}' || echo -)

| Run | Wall (s) | Peak RSS (MB) | Notes |
|---|---:|---:|---|
| floor: curl --parallel-max 32 | $FETCH | | median of $FLOOR_RUNS ($(tr '\n' ' ' < "$T/floor_fetch")) |
| floor: sfeed, one stream | $PARSE | | median of $FLOOR_RUNS ($(tr '\n' ' ' < "$T/floor_parse")); $SFEED_ITEMS items |
| floor total | $FLOOR | | CPU (user + sys) $FLOOR_CPU s: curl $FETCH_CPU, sfeed $PARSE_CPU |
| Gleaner cold (--once) | $G_COLD | $(mb "$G_COLD_RSS") | exit $G_COLD_RC; CPU $G_COLD_CPU s; stats: ${ITEMS_COLD:-?} items, $UNINDEXED not in the search index |
| Gleaner warm (--once, all 304) | $G_WARM | $(mb "$G_WARM_RSS") | exit $G_WARM_RC; CPU $G_WARM_CPU s; stats: ${ITEMS_WARM:-?} items |
| newsboat cold (-x reload) | $NB_COLD | | reload-threads 32 |
| newsboat warm | $NB_WARM | | |
| Gleaner --once with $IDLE_N feeds ($N new URLs) | $G_IDLE_ONCE | $(mb "$G_IDLE_ONCE_RSS") | |
| Gleaner idle, $IDLE_N feeds | | $(mb "$IDLE_RSS") VmRSS | startup busy for $SETTLE s, measured $IDLE_WAIT s after; then $(mb "$IDLE_RSS2") 5 s later; VmHWM $(mb "$IDLE_HWM"); $((IDLE_CPU2 - IDLE_CPU)) ticks CPU in 5 s; SIGTERM exit $IDLE_RC |

Ratios: Gleaner cold / floor = $(ratio "$G_COLD" "$FLOOR") (CPU time: $(ratio "$G_COLD_CPU" "$FLOOR_CPU")); newsboat / Gleaner cold = $(nbratio "$NB_COLD" "$G_COLD"), warm = $(nbratio "$NB_WARM" "$G_WARM")

| Target | Measured | |
|---|---|---|
| cold within 3x the floor ($(awk -v f="$FLOOR" 'BEGIN { printf "%.2f", 3 * f }') s) | $G_COLD s | $(yesno "$G_COLD <= 3 * $FLOOR") |
| warm under 1 s | $G_WARM s | $(yesno "$G_WARM < 1") |
| peak RSS under 64 MB | $(mb "$G_COLD_RSS") / $(mb "$G_WARM_RSS") MB | $(yesno "$G_COLD_RSS < 65536 && $G_WARM_RSS < 65536") |
| idle RSS, $IDLE_N feeds, under 40 MB | $(mb "$IDLE_RSS") MB | $(yesno "$IDLE_RSS < 40960") |
| items after cold = N x 20 | ${ITEMS_COLD:-?} | $(yesno "${ITEMS_COLD:-0} == $N * 20") |
EOR
if [ -s "$T/gleanerd.cold.log" ]; then echo; echo "gleanerd cold stderr (last 5 lines):"; tail -n 5 "$T/gleanerd.cold.log"; fi
echo; echo "glean stats after cold:"; echo "$STATS_COLD"
