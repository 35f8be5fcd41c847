#!/usr/bin/env python3
"""Soak: the release gleanerd over 2,000 feeds on a short interval, with
faults mixed in, for some minutes; samples resident memory and open file
descriptors, and checks from the server's log that every healthy feed was
polled on time.

usage: soak.py GLEANERD GLEAN [SECONDS] [INTERVAL]
  (defaults 300 s and 30 s; $SOAK_FEEDS, default 2000)

Feeds: 80 % static (/feed/NAME: ETag, so mostly 304), 15 % with 10 new items
on every poll (/stream/NAME), 5 % faults always (reset, hang, slow drip,
gzip bomb, 40 MiB body, HTML, empty, bad chunked encoding, redirect loop,
truncated gzip, billion laughs, invalid UTF-8, churning guids), over four
loopback addresses (hosts).  Prints one line per sample and a summary.
"""
import os, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "faults"))
from lib import Suite, config, fd_count, glean_feeds, http_json, q, start_server, status_kb, tail  # noqa: E402

FAULTS = ["reset", "hang", "slow", "gzbomb", "big", "html", "empty", "badchunk", "loop", "gztrunc",
          "laughs", "badutf8", "churn"]


def main():
    gleanerd, glean = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    secs = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    iv = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    n = int(os.environ.get("SOAK_FEEDS", 2000))
    s = Suite("soak")
    try:
        run(s, gleanerd, glean, secs, iv, n)
    finally:
        s.finish()


def run(s, gleanerd, glean, secs, iv, n):
    addrs = ["127.0.0.%d" % i for i in range(1, 5)]
    srv, port, _ = start_server(s, addrs)
    feeds, kind = [], {}
    for i in range(n):
        host = addrs[i % len(addrs)]
        name = "s%04d" % i
        if i % 20 == 7:
            k = FAULTS[(i // 20) % len(FAULTS)]
            url = "http://%s:%d/f/%s/%s?always=1" % (host, port, k, name)
        elif i % 20 in (1, 5, 11):
            k, url = "stream", "http://%s:%d/stream/%s" % (host, port, name)
        else:
            k, url = "static", "http://%s:%d/feed/%s" % (host, port, name)
        kind[name] = k
        feeds.append((name, url, {"interval": "%ds" % iv}))
    conf, dbp = config(s, "soak", feeds, timeout="10s", connect_timeout="5s", max_body="4M",
                       max_connections="64", max_host_connections="16", log_level="warning")
    t0 = time.time()
    d = s.spawn([gleanerd, "-c", conf, "-f"], "soak")
    samples = []
    print("# %d feeds (%d static, %d with new items on every poll, %d faults), interval %d s, %d s" %
          (n, sum(k == "static" for k in kind.values()), sum(k == "stream" for k in kind.values()),
           sum(k not in ("static", "stream") for k in kind.values()), iv, secs))
    print("#   t(s)  VmRSS(kB)  fds  items   polls")
    while time.time() - t0 < secs and d.poll() is None:
        time.sleep(10)
        t = time.time() - t0
        rss, fds = status_kb(d.pid, "VmRSS"), fd_count(d.pid)
        items = q(dbp, "SELECT count(*) FROM items")[0][0]
        polls = q(dbp, "SELECT count(*) FROM fetch_log")[0][0]
        samples.append((t, rss, fds, items, polls))
        print("  %6.0f  %9s  %3s  %6d  %6d" % (t, rss, fds, items, polls))
        sys.stdout.flush()
    alive = d.poll() is None
    hwm = status_kb(d.pid, "VmHWM")
    log = http_json(port, "/_log")
    rc, _ = s.stop(d, 15)
    # On time: the gaps between two requests of one healthy feed.
    times = {}
    for e in log:
        p = e["path"].split("?")[0].split("/")
        if len(p) >= 3 and p[1] in ("feed", "stream"):
            times.setdefault(p[2], []).append(e["t"])
    late, gaps, short = [], [], []
    healthy = [nm for nm, k in kind.items() if k in ("static", "stream")]
    for nm in healthy:
        ts = times.get(nm, [])
        # The first poll: all 2,000 feeds due at once at start.
        if len(ts) < (secs - 60) // iv:
            short.append((nm, len(ts)))
        for a, b in zip(ts, ts[1:]):
            gaps.append(b - a)
            if b - a > iv * 1.05 + 5:
                late.append((nm, round(b - a, 1)))
    gaps.sort()
    warm = [x for x in samples if x[0] >= 60]
    print("# gleanerd %s, exit %s on SIGTERM" % ("ran throughout" if alive else "DIED: " + tail(d.errfile), rc))
    if warm:
        r0, r1 = warm[0][1], max(x[1] for x in warm)
        f0, f1 = min(x[2] for x in warm), max(x[2] for x in warm)
        print("# VmRSS after 60 s %d kB, highest after that %d kB (%+.1f %%); VmHWM %s kB" %
              (r0, r1, 100.0 * (r1 - r0) / r0, hwm))
        print("# open fds after 60 s: %d to %d" % (f0, f1))
    if gaps:
        print("# healthy feeds: %d, polls between %d gaps: median %.1f s, p99 %.1f s, max %.1f s;"
              " late (> %.1f s): %d; polled fewer than %d times: %d" %
              (len(healthy), len(gaps), gaps[len(gaps) // 2], gaps[int(len(gaps) * 0.99)], gaps[-1],
               iv * 1.05 + 5, len(late), (secs - 60) // iv, len(short)))
    if late[:5]:
        print("# late examples: %s" % late[:5])
    s.check("gleanerd ran throughout and exited 0 on SIGTERM", alive and rc == 0)
    if warm:
        s.check("resident memory flat after the first minute (within 10 %)", r1 <= r0 * 1.10,
                "%d -> %d kB" % (r0, r1))
        s.check("open file descriptors bounded (at most max_connections + 32)", f1 <= 64 + 32,
                "%d to %d" % (f0, f1))
    s.check("every healthy feed polled on time (no gap over interval + 5 % + 5 s)",
            gaps and not late and not short, "late %d, polled too rarely %d" % (len(late), len(short)))
    fs = glean_feeds(glean, dbp)
    errs = {}
    for nm, f in fs.items():
        if kind.get(nm) not in ("static", "stream") and f["last_error"]:
            errs[kind[nm]] = f["last_error"][:70]
    print("# fault feeds' errors: %s" % errs)


if __name__ == "__main__":
    sys.exit(main())
