#!/usr/bin/env python3
"""Storage faults: a full disk, a file size limit, a read-only database, a
long reader and a writer holding the lock, against a running gleanerd.

usage: storage.py GLEANERD GLEAN

The database lives on a small tmpfs mounted here (needs root; skipped with
a message otherwise).  Two feeds (/grow/g1, /grow/g2 of faultd.py: ten new
items per generation, ETag per generation) are polled every second; the test
moves them to a new generation while a fault is on, then removes the fault.
After each: the daemon still runs, the error was logged naming the feed,
the new generation is stored by itself once the cause is gone (proving the
next request was not a conditional one answered 304), nothing listed before
is lost, no duplicates, PRAGMA integrity_check ok.  About 40 s.
"""
import os, re, sqlite3, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import (Suite, alive, config, glean_feeds, glean_items, http_get, http_json, q, sanitizer_report,
                 start_server, tail, until)

FEEDS = ["g1", "g2"]


def main():
    gleanerd, glean = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    s = Suite("storage")
    try:
        run(s, gleanerd, glean)
    finally:
        rc = s.finish()
    return rc


def gen_stored(dbp, gen):
    n = q(dbp, "SELECT count(*) FROM items WHERE guid LIKE 'g_-g%d-%%'" % gen)[0][0]
    return n == 10 * len(FEEDS)


def consistent(s, dbp, glean, listed, what):
    integ = q(dbp, "PRAGMA integrity_check")
    dups = q(dbp, "SELECT feed_id, ident, count(*) FROM items GROUP BY feed_id, ident HAVING count(*) > 1")
    now = {(i["feed_url"], i["guid"]) for i in glean_items(glean, dbp)}
    lost = listed - now
    s.check("%s: integrity_check ok, no duplicates, nothing glean listed before is lost" % what,
            integ == [(b"ok",)] and not dups and not lost,
            "integrity %s; duplicates %s; lost %d of %d: %s" % (integ, dups[:3], len(lost), len(listed),
                                                                 sorted(lost)[:3]))
    return now


def run(s, gleanerd, glean):
    mnt = os.path.join(s.tmp, "mnt")
    os.mkdir(mnt)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt], capture_output=True,
                       text=True)
    if r.returncode != 0:
        s.note("cannot mount a tmpfs (%s): the storage faults are skipped (run as root)" %
               r.stderr.strip()[:200])
        return
    s.cleanups.append(lambda: subprocess.run(["umount", "-l", mnt]))
    srv, port, _ = start_server(s, ["127.0.0.1"])
    h = "http://127.0.0.1:%d" % port
    csrv, cport, _ = start_server(s, ["127.0.0.2"], name="ctld")
    feeds = [(f, "%s/grow/%s" % (h, f), {"interval": "1s"}) for f in FEEDS]
    feeds.append(("ctl", "http://127.0.0.2:%d/feed/ctl" % cport, {"interval": "1s"}))
    conf, _ = config(s, "st", feeds, database=os.path.join(mnt, "st.db"), max_interval="1h")
    dbp = os.path.join(mnt, "st.db")
    d = s.spawn([gleanerd, "-c", conf, "-f"], "st")
    s.check("generation 0 stored", until(20, lambda: gen_stored(dbp, 0)), tail(d.errfile))
    listed = {(i["feed_url"], i["guid"]) for i in glean_items(glean, dbp)}

    def bump():
        for f in FEEDS:
            http_get(port, "/_bump/" + f)

    def logged(pattern, since):
        text = open(d.errfile, errors="replace").read()[since:]
        return re.search(pattern, text, re.I)

    # ------------------------------------------------ 1. the disk fills up
    mark = os.path.getsize(d.errfile)
    filler = os.path.join(mnt, "filler")
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    try:
        with open(filler, "ab") as f:  # the last bytes of the last page
            while True:
                f.write(b"\0" * 512)
                f.flush()
    except OSError:
        pass
    bump()  # generation 1: new items that need room
    m = until(15, lambda: logged(r"/grow/g[12]: .*(full|disk)", mark))
    s.check("disk full: the error is logged naming the feed, the daemon keeps running",
            m is not None and alive(d), (m.group(0) if m else tail(d.errfile, 4)))
    time.sleep(2)  # more failed polls while full
    full_ok = not gen_stored(dbp, 1)
    os.unlink(filler)
    ok = until(30, lambda: gen_stored(dbp, 1))
    fs = glean_feeds(glean, dbp)
    s.check("disk full: once there is room again the new items are stored by themselves",
            ok and full_ok and all(fs[f]["error_count"] == 0 for f in FEEDS),
            "stored while full: %s; after: %s; %s" % (not full_ok, ok,
                                                     {f: fs[f]["last_error"] for f in FEEDS}))
    listed = consistent(s, dbp, glean, listed, "disk full")

    # ------------------------------------------------ 2. a file size limit (ulimit -f) at run time
    size = max(os.path.getsize(dbp), os.path.getsize(dbp + "-wal"))
    mark = os.path.getsize(d.errfile)
    r = subprocess.run(["prlimit", "--pid", str(d.pid), "--fsize=%d:unlimited" % max(size, 4096)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        s.note("prlimit failed (%s): the file size limit is not tested" % r.stderr.strip()[:200])
    else:
        bump()  # generation 2
        m = until(15, lambda: logged(r"/grow/g[12]: .*(disk|full|I/O|large)", mark))
        s.check("file size limit: the daemon survives (SIGXFSZ ignored), the error is logged",
                m is not None and alive(d), (m.group(0) if m else "") + " " + tail(d.errfile, 3))
        subprocess.run(["prlimit", "--pid", str(d.pid), "--fsize=unlimited:unlimited"])
        ok = until(30, lambda: gen_stored(dbp, 2))
        s.check("file size limit lifted: the new items are stored by themselves", ok,
                tail(d.errfile, 4))
        listed = consistent(s, dbp, glean, listed, "file size limit")

    # ------------------------------------------------ 3. a long reader
    hold = sqlite3.connect(dbp, timeout=10)
    hold.execute("BEGIN")
    seen = hold.execute("SELECT count(*) FROM items").fetchone()[0]
    t0 = time.time()
    bump()  # generation 3
    ok = until(10, lambda: gen_stored(dbp, 3))
    took = time.time() - t0
    still = hold.execute("SELECT count(*) FROM items").fetchone()[0]
    hold.rollback()
    hold.close()
    s.check("a reader holding a transaction: the daemon stores on, the reader keeps its snapshot",
            ok and still == seen, "stored after %.1f s; reader saw %d then %d" % (took, seen, still))
    listed = consistent(s, dbp, glean, listed, "long reader")

    # ------------------------------------------------ 4. a writer holding the lock
    mark_lock = os.path.getsize(d.errfile)
    lock = sqlite3.connect(dbp, timeout=10, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    t_lock = time.time()
    bump()  # generation 4
    time.sleep(4)
    st = subprocess.run([glean, "-c", conf, "status"], capture_output=True, text=True, timeout=10)
    held = re.search(r"^polls_waiting_for_lock (\d+)$", st.stdout, re.M)
    time.sleep(3)  # 7 s in all: longer than glean's busy timeout (5 s)
    during = gen_stored(dbp, 4)
    lock.execute("ROLLBACK")
    lock.close()
    t_free = time.time()
    ok = until(30, lambda: gen_stored(dbp, 4))
    s.check("a writer holding the lock for 7 s: nothing half stored, the items stored once it"
            " lets go, the daemon keeps running", not during and ok and alive(d),
            "stored during %s, after %s; %s" % (during, ok, tail(d.errfile, 3)))
    listed = consistent(s, dbp, glean, listed, "writer lock")
    ts = [e["t"] for e in http_json(cport, "/_log", "127.0.0.2") if e["path"] == "/feed/ctl"]
    gaps = [round(b - a, 1) for a, b in zip(ts, ts[1:]) if b >= t_lock and a <= t_free]
    s.note("control feed gaps while the lock was held: %s s" % gaps)
    s.check("a writer holding the lock does not stall the other feeds (control feed every 1 s"
            " waits at most 3 s; the polls wait in memory, not the event loop)",
            gaps and max(gaps) <= 3.0, "control feed gaps while the lock was held: %s s" % gaps)
    s.check("a writer holding the lock: glean status counts the polls waiting for it",
            held is not None and int(held.group(1)) >= 1, st.stdout + st.stderr)
    s.check("a writer holding the lock: the daemon says the database is locked and that the"
            " waiting polls were stored once it was free",
            logged(r"database is locked by another process", mark_lock) is not None and
            logged(r"database is free again: \d+ waiting polls stored", mark_lock) is not None,
            tail(d.errfile, 5))

    # ------------------------------------------------ 5. a read-only database at start
    rc, _ = s.stop(d, 10)
    s.check("storage run: SIGTERM exits 0, no sanitizer report",
            rc == 0 and not sanitizer_report(d.errfile), sanitizer_report(d.errfile) or tail(d.errfile))
    before = q(dbp, "SELECT count(*) FROM items")[0][0]
    r = subprocess.run(["mount", "-o", "remount,ro", mnt], capture_output=True, text=True)
    if r.returncode != 0:
        s.note("remount read-only failed (%s): not tested" % r.stderr.strip()[:200])
        return
    ro = s.spawn([gleanerd, "-c", conf, "-f"], "ro")
    try:
        rc = ro.wait(20)
    except subprocess.TimeoutExpired:
        rc = None
    err = tail(ro.errfile, 3)
    s.check("read-only database: gleanerd says so, naming the file, and exits non-zero (systemd"
            " restarts it)", rc not in (None, 0) and "st.db" in err and
            re.search(r"read-?only", err, re.I) is not None, "rc=%s: %s" % (rc, err))
    if rc is None:
        s.stop(ro)
    subprocess.run(["mount", "-o", "remount,rw", mnt])
    after = q(dbp, "SELECT count(*) FROM items")[0][0]
    bump()  # generation 5
    d2 = s.spawn([gleanerd, "-c", conf, "-f"], "st2")
    # Overdue feeds are spread over the first minute after a start: wait
    # for the first one.
    ok = until(60, lambda: q(dbp, "SELECT count(*) FROM items WHERE guid LIKE 'g_-g5-%'")[0][0] >= 10)
    s.check("read-only database: nothing lost, and once writable the next start stores again",
            before == after and ok, "items %d -> %d; generation 5 stored: %s; %s" %
            (before, after, ok, tail(d2.errfile, 3)))
    consistent(s, dbp, glean, listed, "read-only")
    rc, _ = s.stop(d2, 10)
    s.check("restarted run: SIGTERM exits 0, no sanitizer report",
            rc == 0 and not sanitizer_report(d2.errfile), sanitizer_report(d2.errfile) or tail(d2.errfile))
    s.stop(srv, 5)
    s.stop(csrv, 5)


if __name__ == "__main__":
    sys.exit(main())
