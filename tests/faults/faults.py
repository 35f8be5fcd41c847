#!/usr/bin/env python3
"""The fault suite: gleanerd against every fault of tests/faults/faultd.py.

usage: faults.py GLEANERD GLEAN [GLEANERD_RELEASE]

1. One sanitizer-built gleanerd polls every fault at once (feeds every 2 s,
   timeout 3 s), beside four control feeds on another address.  Each fault
   feed first gets a good document (3 items), then the fault on every poll.
   Checked per fault through `glean feeds --json` and the database: the
   error glean shows, nothing of the fault stored, the good items kept; and
   for all: the daemon keeps running, the control feeds keep their 2 s
   rhythm, SIGTERM with transfers in flight, no sanitizer report.
2. The release gleanerd (third argument) over the heavy documents at once
   (gzip bomb, 40 MiB bodies, 100,000 items, 100,000 nested elements, a 10 MB
   title, billion laughs): its peak resident memory (VmHWM) has a bound.
3. 100,000 items in one feed under the sanitizers (gleanerd --once).
About 45 s.  VERBOSE=1 prints every check's values, KEEP=1 keeps the files.
GLEANER_TEST_SLOW=N multiplies the time limits (and gleanerd's timeouts) by N
(make valgrind); under
valgrind (GLEANER_TEST_VALGRIND=1) the memory bound of part 2 is not checked,
since the resident memory measured would be valgrind's.
"""
import os, re, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import (SLOW, VALGRIND, Suite, alive, config, fd_count, glean_feeds, http_json, q,
                 sanitizer_report, start_server, status_kb, tail, until, public_addr)

# Faults whose every poll must fail: the words the error must contain.
FAILING = [
    ("slow", ["timed out"]),
    ("reset", ["reset"]),
    ("hang", ["timed out"]),
    ("gztrunc", ["not read to its end", "no element found"]),
    ("gzbomb", ["larger than", "12582912"]),
    ("badchunk", ["chunked"]),
    ("big", ["larger than", "12582912"]),
    ("bigcl", ["larger than", "12582912"]),
    ("loop", ["redirects"]),
    ("tofile", ["file", "not supported or disabled"]),
    ("toftp", ["ftp", "not supported or disabled"]),
    ("html", ["not a feed"]),
    ("empty", ["not a feed", "empty body"]),
    ("errpage", ["not a feed"]),
    ("laughs", ["not read to its end", "amplification"]),
]
# Documents that are hostile or odd but valid feeds: stored, no error.
ACCEPTED = ["wrongct", "xxe", "deep", "bigtitle", "badutf8", "churn", "dupguid", "future"]
# Slower faults: a longer interval keeps the 2-core machine free.
INTERVAL = {"big": "4s", "bigcl": "4s", "gzbomb": "4s", "bigtitle": "4s", "deep": "4s"}
CTL = ["ctl1", "ctl2", "ctl3", "ctl4"]
CTL_INTERVAL = 2.0


def guids(dbp, feed):
    return sorted(g.decode() for (g,) in q(dbp, "SELECT i.guid FROM items i JOIN feeds f ON"
                                              " f.id = i.feed_id WHERE f.user_title = ?", (feed,)))


def feed_text(dbp, feed):
    rows = q(dbp, "SELECT i.guid, i.url, i.title, i.summary, i.content FROM items i JOIN feeds f"
                  " ON f.id = i.feed_id WHERE f.user_title = ?", (feed,))
    rows += q(dbp, "SELECT title, description, site_url, last_error, '' FROM feeds WHERE user_title = ?",
              (feed,))
    return [v for r in rows for v in r if v is not None]


def main():
    gleanerd, glean = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    release = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else None
    s = Suite("faults")
    try:
        run(s, gleanerd, glean, release)
    finally:
        rc = s.finish()
    return rc


def run(s, gleanerd, glean, release):
    t = s.tmp
    # TLS: a certificate made now, that no CA signed.
    cert, key = os.path.join(t, "cert.pem"), os.path.join(t, "key.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                        "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                        "subjectAltName=IP:127.0.0.1"], capture_output=True, text=True)
    tls = r.returncode == 0
    if not tls:
        s.note("openssl failed (%s): no TLS test" % r.stderr.strip()[:200])
    secret = os.path.join(t, "secret.txt")
    with open(secret, "w") as f:
        f.write("TOPSECRET-MARKER\n")
    local_feed = os.path.join(t, "local.xml")
    with open(local_feed, "w") as f:
        f.write('<?xml version="1.0"?><rss version="2.0"><channel><title>file</title>'
                "<item><title>FILE-ITEM</title><guid>file-item</guid></item></channel></rss>\n")
    pub = public_addr()
    addrs = ["127.0.0.1", "127.0.0.2"] + ([pub] if pub else [])
    srv, port, tport = start_server(s, addrs, (["--tls", cert + "," + key] if tls else []) +
                                    ["--secret", secret])
    # The control feeds have a server process of their own: the fault
    # server's work (gzip bombs, 40 MiB bodies) must not delay their answers.
    csrv, cport, _ = start_server(s, ["127.0.0.2"], name="ctld")
    h1, h2 = "http://127.0.0.1:%d" % port, "http://127.0.0.2:%d" % cport

    # ============================================================ 1. every fault at once
    feeds = []
    for kind, _ in FAILING + [(k, None) for k in ACCEPTED]:
        url = "%s/f/%s/%s" % (h1, kind, kind) + ("?file=" + local_feed if kind == "tofile" else "")
        feeds.append((kind, url, {"interval": INTERVAL.get(kind, "2s")}))
    for c in CTL:
        feeds.append((c, "%s/feed/%s" % (h2, c), {"interval": "2s"}))
    if tls:
        feeds.append(("tls", "https://127.0.0.1:%d/feed/tls" % tport, {}))
    feeds.append(("nxdomain", "http://gleaner-fault.invalid:%d/feed/nx" % port, {}))
    # A port nothing listens on: bound, then closed.
    import socket
    so = socket.socket()
    so.bind(("127.0.0.1", 0))
    closed_port = so.getsockname()[1]
    so.close()
    feeds.append(("refused", "http://127.0.0.1:%d/feed/refused" % closed_port, {}))
    feeds.append(("pdirect", "%s/feed/pdirect" % h1, {"allow_private_addresses": "no"}))
    if pub:
        feeds.append(("predir", "http://%s:%d/toprivate?to=%s/feed/predir" % (pub, port, h1),
                      {"allow_private_addresses": "no"}))
    else:
        s.note("no local address outside gleanerd's private ranges (GLEANER_TEST_PUBLIC_ADDR):"
               " the redirect to a private address is not tested")
    # timeout 3 s (times SLOW: under memcheck a 12 MiB body takes longer
    # than 3 s to read, and would time out before reaching the cap).
    conf, dbp = config(s, "main", feeds, timeout="%ds" % (3 * SLOW))
    t0 = time.time()
    d = s.spawn([gleanerd, "-c", conf, "-f"], "main")
    hwm = []

    def sample():
        v = status_kb(d.pid, "VmHWM")
        if v:
            hwm.append(v)

    def fault_polls_done():
        sample()
        cnt = http_json(port, "/_fstate")["count"]
        for kind, _ in FAILING + [(k, None) for k in ACCEPTED]:
            path = [p for p in cnt if p.startswith("/f/%s/" % kind)]
            if not path or cnt[path[0]] < 3:
                return False
        f = glean_feeds(glean, dbp)
        return all(f[k]["error_count"] >= 2 for k, _ in FAILING)

    done = until(45, fault_polls_done, 0.5)
    elapsed = time.time() - t0
    s.check("every fault polled at least three times (one good, two faults) within %d s" % (45 * SLOW),
            done,
            "after %.0f s: requests %s" % (elapsed, http_json(port, "/_fstate")["count"]))
    s.check("gleanerd keeps running through every fault", alive(d), tail(d.errfile))
    fs = glean_feeds(glean, dbp)
    log = http_json(port, "/_log")
    fst = http_json(port, "/_fstate")

    for kind, words in FAILING:
        f = fs.get(kind, {})
        err = (f.get("last_error") or "")
        g = guids(dbp, kind)
        good = ["%s-%d" % (kind, i) for i in range(3)]
        s.check("%s: glean feeds shows the error (%s), counted, nothing of the fault stored, the"
                " good items kept" % (kind, " + ".join(words)),
                all(w.lower() in err.lower() for w in words) and f.get("error_count", 0) >= 2 and
                g == good and f.get("last_success") is not None,
                "last_error=%r error_count=%s last_success=%s guids=%s" %
                (err, f.get("error_count"), f.get("last_success"), g[:8]))

    # Transfers that stall: abandoned at the timeout (3 s times SLOW), not held open.
    for kind in ("slow", "hang"):
        ents = [e for e in log if e["path"].startswith("/f/%s/" % kind)][1:]
        durs = [round(e["t_done"] - e["t"], 1) for e in ents if e.get("done")]
        s.check("%s: each stalled transfer is dropped at the %d s timeout" % (kind, 3 * SLOW),
                len(durs) >= 2 and all(2.5 * SLOW <= x <= 6 * SLOW for x in durs),
                "durations of the fault requests (s): %s of %d" % (durs, len(ents)))
    s.check("file:// redirect: the local file was not read",
            not any(b"FILE-ITEM" in v for v in feed_text(dbp, "tofile")) and
            q(dbp, "SELECT count(*) FROM items WHERE guid = 'file-item'")[0][0] == 0)

    # Accepted documents.
    def ok_feed(kind):
        f = fs.get(kind, {})
        return f.get("last_error") is None and f.get("error_count") == 0, \
            "last_error=%r error_count=%s" % (f.get("last_error"), f.get("error_count"))

    ok, det = ok_feed("wrongct")
    g = guids(dbp, "wrongct")
    s.check("wrong Content-Type (application/octet-stream) on a valid feed: parsed and stored",
            ok and g == sorted(["wrongct-%d" % i for i in range(3)] + ["wrongct-new-%d" % i for i in range(3)]),
            det + " guids=%s" % g)
    ok, det = ok_feed("xxe")
    texts = [v for tb, cols in (("items", "guid, url, title, summary, content, author"),
                                ("feeds", "title, description, last_error"))
             for r in q(dbp, "SELECT %s FROM %s" % (cols, tb)) for v in r if isinstance(v, bytes)]
    probe = [e for e in log if "xxe-probe" in e["path"]]
    s.check("external entities: not loaded (no file read, no request made), the items stored",
            ok and not any(b"TOPSECRET" in v or b"LEAKED" in v for v in texts) and not probe and
            {"xxe-x-0", "xxe-x-1"} <= set(guids(dbp, "xxe")),
            det + " requests for /xxe-probe: %d; guids %s" % (len(probe), guids(dbp, "xxe")))
    ok, det = ok_feed("deep")
    s.check("100,000 nested elements: the items around them stored",
            ok and {"deep-new-0", "deep-new-1"} <= set(guids(dbp, "deep")), det + " %s" % guids(dbp, "deep"))
    ok, det = ok_feed("bigtitle")
    tl = q(dbp, "SELECT length(CAST(title AS BLOB)) FROM items WHERE guid = 'bigtitle-new-0'")
    s.check("a 10 MB title: stored cut to the field cap (1 MiB), the next item stored",
            ok and tl and 0 < tl[0][0] <= (1 << 20) and "bigtitle-new-1" in guids(dbp, "bigtitle"),
            det + " stored title length %s" % tl)
    ok, det = ok_feed("badutf8")
    bad = []
    for v in feed_text(dbp, "badutf8"):
        try:
            v.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(v[:40])
    titles = [r[0].decode("utf-8", "replace") for r in
              q(dbp, "SELECT title FROM items WHERE guid LIKE 'badutf8-u-%'")]
    s.check("invalid UTF-8 everywhere: items stored, every stored string valid UTF-8",
            ok and len(titles) == 3 and not bad and all(x.startswith("tcaf\u00e9") for x in titles),
            det + " titles %s; invalid strings %s" % (titles, bad))
    ok, det = ok_feed("churn")
    polls = fst["count"].get("/f/churn/churn", 0)
    s.check("guids that change on every poll: no new items (the feed is keyed by link)",
            ok and polls >= 3 and fs["churn"]["total"] == 3 and fs["churn"].get("key_mode") == "link",
            det + " polls %d total %s key_mode %s (%s)" % (polls, fs["churn"]["total"],
                                                          fs["churn"].get("key_mode"),
                                                          fs["churn"].get("key_reason")))
    ok, det = ok_feed("dupguid")
    idents = q(dbp, "SELECT count(*), count(DISTINCT ident) FROM items i JOIN feeds f ON f.id ="
                    " i.feed_id WHERE f.user_title = 'dupguid'")[0]
    polls = fst["count"].get("/f/dupguid/dupguid", 0)
    s.check("one guid repeated in a document: each item once, no duplicate over repeated polls",
            ok and polls >= 3 and idents[0] == idents[1] == 8,
            det + " polls %d items %d distinct %d (3 good + 5 repeated guid)" % (polls, *idents))
    ok, det = ok_feed("future")
    dates = q(dbp, "SELECT published, updated, first_seen FROM items WHERE guid LIKE 'future-new-%'")
    s.check("dates in the far future: stored no later than a day after the fetch",
            ok and len(dates) == 2 and all(r[0] is not None and r[0] <= r[2] + 86400 for r in dates),
            det + " (published, updated, first_seen): %s" % dates)

    # Connections that never become HTTP.
    if tls:
        f = fs.get("tls", {})
        reached = [e for e in log if e["path"] == "/feed/tls"]
        s.check("TLS certificate that does not verify: a certificate error, no request sent",
                "certificate" in (f.get("last_error") or "").lower() and f.get("total") == 0 and
                not reached and fst["tls_fail"] >= 1 and fst["tls_ok"] == 0,
                "last_error=%r; handshakes failed %d, completed %d; requests %d" %
                (f.get("last_error"), fst["tls_fail"], fst["tls_ok"], len(reached)))
        r = subprocess.run(["curl", "-sS", "--max-time", "10", "--cacert", cert,
                            "https://127.0.0.1:%d/feed/tls" % tport], capture_output=True, text=True)
        s.check("TLS: the same server answers a client that trusts its certificate (curl --cacert)",
                r.returncode == 0 and "<rss" in r.stdout, r.stderr.strip()[:300])
    f = fs.get("nxdomain", {})
    s.check("a host that does not resolve: error says so",
            "resolve" in (f.get("last_error") or "").lower() and f.get("error_count", 0) >= 1,
            "last_error=%r" % f.get("last_error"))
    f = fs.get("refused", {})
    s.check("a refused connection: error says so",
            "connect" in (f.get("last_error") or "").lower() and f.get("error_count", 0) >= 1,
            "last_error=%r" % f.get("last_error"))
    for name in ["pdirect"] + (["predir"] if pub else []):
        f = fs.get(name, {})
        reached = [e for e in log if e["path"] == "/feed/%s" % name]
        s.check("private address refused (%s): error says so, no request reached it" % name,
                "private address" in (f.get("last_error") or "") and not reached and f.get("total") == 0,
                "last_error=%r requests %d" % (f.get("last_error"), len(reached)))

    # glean feeds (text) shows every failing feed's error.
    r = subprocess.run([glean, "--db", dbp, "feeds"], capture_output=True, text=True)
    lines = r.stdout.lower().splitlines()
    missing = []
    for k, w in FAILING:
        at = [i for i, l in enumerate(lines) if "/f/%s/%s" % (k, k) in l]
        if not at or not any(w[0].lower() in l and "error" in l for l in lines[at[0] + 1:at[0] + 3]):
            missing.append(k)
    s.check("glean feeds (text) shows an error line for every failing feed", r.returncode == 0 and
            not missing, "missing: %s" % missing)

    # The control feeds kept their rhythm while all this went on.
    gaps = {}
    clog = http_json(cport, "/_log", "127.0.0.2")
    for c in CTL:
        ts = [e["t"] for e in clog if e["path"] == "/feed/%s" % c]
        gaps[c] = [round(b - a, 2) for a, b in zip(ts, ts[1:])]
    worst = max((g for v in gaps.values() for g in v), default=99)
    enough = all(len(v) >= int(elapsed / (CTL_INTERVAL * SLOW)) - 3 for v in gaps.values())
    s.check("other feeds polled on time: control feeds (every 2 s) never waited more than %.1f s"
            % (CTL_INTERVAL * 1.05 + 1.5 * SLOW),
            worst <= CTL_INTERVAL * 1.05 + 1.5 * SLOW and enough,
            "gaps over %.0f s: %s" % (elapsed, gaps))
    s.note("sanitizer gleanerd VmHWM during the fault run: %s kB (ASan's quarantine and shadow"
           " included; the release build is measured below)" % (max(hwm) if hwm else "?"))

    # SIGTERM with /slow and /hang in flight.
    until(10, lambda: any(e["path"].startswith("/f/hang/") and not e["done"]
                          for e in http_json(port, "/_log")))
    before = q(dbp, "SELECT count(*) FROM items")[0][0]
    rc, secs = s.stop(d, 15)
    s.check("SIGTERM with transfers in flight: exits 0 within %d s" % (6 * SLOW),
            rc == 0 and secs < 6 * SLOW,
            "rc=%s after %.1f s; %s" % (rc, secs, tail(d.errfile, 3)))
    integ = q(dbp, "PRAGMA integrity_check")
    after = q(dbp, "SELECT count(*) FROM items")[0][0]
    s.check("after the fault run: database intact, nothing lost at shutdown",
            integ == [(b"ok",)] and after == before, "integrity %s, items %d -> %d" % (integ, before, after))
    rep = sanitizer_report(d.errfile)
    s.check("fault run: no sanitizer report", not rep, rep)

    # ============================================================ 2. memory, release build
    heavy = ["gzbomb", "big", "bigcl", "many", "deep", "bigtitle", "laughs", "badutf8", "gztrunc"]
    if release and os.access(release, os.X_OK):
        feeds = [("m" + k, "%s/f/%s/m%s?always=1" % (h1, k, k), {"interval": "1h"}) for k in heavy]
        feeds.append(("mctl", "%s/feed/mctl" % h2, {"interval": "1s"}))
        # The -O2 build once judged every address private (an aliasing
        # bug the -O1 sanitizer build did not have): a public one, private off.
        if pub:
            feeds.append(("mpub", "http://%s:%d/feed/mpub" % (pub, port),
                          {"interval": "1h", "allow_private_addresses": "no"}))
        # A long timeout: this run measures memory, and the one Python
        # server takes a while to push 40 MiB bodies and a bomb at once.
        conf, mdb = config(s, "mem", feeds, timeout="%ds" % (60 * SLOW))
        m = s.spawn([release, "-c", conf, "-f"], "mem")

        def outcome():
            fs = glean_feeds(glean, mdb)
            return len(fs) == len(feeds) and all(
                f["last_error"] or f["total"] for k, f in fs.items() if k != "mctl")
        done = until(90, outcome, 0.3)
        time.sleep(1.5)
        peak, fds = status_kb(m.pid, "VmHWM"), fd_count(m.pid)
        mf = glean_feeds(glean, mdb)
        if VALGRIND:
            s.check("the heavy documents at once (a gzip bomb of 4 GiB, 40 MiB bodies, 100,000"
                    " items...): all polled, the daemon alive (under valgrind: memory not bounded)",
                    done and alive(m),
                    "polled: %s" % {k: (f["total"], f["last_error"]) for k, f in mf.items()})
        else:
            s.check("memory bounded: the heavy documents at once (a gzip bomb of 4 GiB, 40 MiB"
                    " bodies, 100,000 items...) peak under 160 MB resident",
                    done and peak is not None and peak < 160 * 1024 and alive(m),
                    "VmHWM %s kB, polled: %s" %
                    (peak, {k: (f["total"], f["last_error"]) for k, f in mf.items()}))
        s.check("release run: 100,000 items stored, the bomb and the big bodies refused",
                mf["mmany"]["total"] == 100000 and all("larger than" in (mf[k]["last_error"] or "")
                                                       for k in ("mgzbomb", "mbig", "mbigcl")),
                {k: (f["total"], f["last_error"]) for k, f in mf.items()})
        if pub:
            s.check("release run: a feed on a public address (%s) is fetched with"
                    " allow_private_addresses = no" % pub,
                    mf["mpub"]["total"] > 0 and mf["mpub"]["last_error"] is None,
                    "total %s last_error %r" % (mf["mpub"]["total"], mf["mpub"]["last_error"]))
        ts = [e["t"] for e in http_json(cport, "/_log", "127.0.0.2") if e["path"] == "/feed/mctl"]
        g = [round(b - a, 2) for a, b in zip(ts, ts[1:])]
        s.note("release gleanerd: VmHWM %s kB, %s fds open; control feed (1 s) gaps %s" % (peak, fds, g))
        rc, _ = s.stop(m)
        s.check("release run: SIGTERM exits 0", rc == 0, tail(m.errfile, 3))
    else:
        s.note("no release gleanerd given (third argument): the memory bound is not checked")

    # ============================================================ 3. 100,000 items under the sanitizers
    conf, odb = config(s, "many", [("many", "%s/f/many/once?always=1" % h1, {})],
                       timeout="%ds" % (60 * SLOW))
    t1 = time.time()
    o = s.spawn([gleanerd, "-c", conf, "-f", "--once"], "many")
    try:
        rc = o.wait(120 * SLOW)
    except subprocess.TimeoutExpired:
        o.kill()
        rc = o.wait()
    n = q(odb, "SELECT count(*) FROM items")[0][0]
    rep = sanitizer_report(o.errfile)
    s.check("100,000 items in one feed: stored once each under the sanitizers, no report",
            rc == 0 and n == 100000 and not rep and
            q(odb, "SELECT count(DISTINCT ident) FROM items")[0][0] == 100000,
            "rc=%s items %d in %.1f s %s" % (rc, n, time.time() - t1, rep))

    rc, _ = s.stop(srv, 5)
    rc2, _ = s.stop(csrv, 5)
    s.check("faultd.py exits 0 on SIGTERM", rc == 0 and rc2 == 0, tail(srv.errfile) + tail(csrv.errfile))


if __name__ == "__main__":
    sys.exit(main())
