#!/usr/bin/env python3
"""Crash safety: gleanerd killed with SIGKILL at random moments of heavy
ingest, again and again.

usage: crash.py GLEANERD GLEAN [KILLS]   (KILLS: default 20, or $CRASH_KILLS)

40 feeds (/stream/NAME of faultd.py: 10 new items on every request) polled
every second.  Each round: start gleanerd, `glean refresh` (every feed due
at once), let it ingest for a random 0.5 to
2.5 s, list every item with `glean items --json`, SIGKILL the daemon at
once.  Then, before the next start: PRAGMA integrity_check ok, the search
index's own integrity-check ok, no item twice, every item glean had listed
still there.  After each restart: `glean status` shows every feed scheduled
(queued, waiting or in flight) and new polls are stored (the schedule
resumes).  A last start ends with SIGTERM, exit 0, no sanitizer report.
Seed: $CRASH_SEED (printed).  About 60 s for 20 kills.
"""
import os, random, sqlite3, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import Suite, alive, config, glean_items, q, sanitizer_report, start_server, tail, until

NFEEDS = 40


def check_db(dbp):
    """integrity, FTS integrity, duplicates: (ok, detail). Opens read-write:
    the WAL recovery a crashed writer leaves is part of what is tested."""
    c = sqlite3.connect(dbp, timeout=30)
    try:
        integ = c.execute("PRAGMA integrity_check").fetchall()
        try:
            c.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')")
            fts = "ok"
        except sqlite3.Error as e:
            fts = str(e)
        dups = c.execute("SELECT feed_id, ident, count(*) FROM items GROUP BY feed_id, ident"
                         " HAVING count(*) > 1 LIMIT 3").fetchall()
        # fetch_log keeps each feed's last 50 polls: its row count stops
        # growing (40 feeds: 2,000 rows), its largest id does not.
        polls = c.execute("SELECT coalesce(max(id), 0) FROM fetch_log").fetchone()[0]
        items = c.execute("SELECT count(*) FROM items").fetchone()[0]
    finally:
        c.close()
    ok = integ == [("ok",)] and fts == "ok" and not dups
    return ok, "integrity %s; fts %s; duplicates %s" % (integ[:3], fts, dups), polls, items


def status(glean, conf):
    r = subprocess.run([glean, "-c", conf, "status"], capture_output=True, text=True, timeout=20)
    kv = {}
    for line in r.stdout.splitlines():
        p = line.split(None, 1)
        if len(p) == 2 and p[1].isdigit():
            kv[p[0]] = int(p[1])
    return kv, r.stdout + r.stderr


def main():
    gleanerd, glean = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    kills = int(sys.argv[3]) if len(sys.argv) > 3 else int(os.environ.get("CRASH_KILLS", 20))
    s = Suite("crash")
    try:
        run(s, gleanerd, glean, kills)
    finally:
        rc = s.finish()
    return rc


def run(s, gleanerd, glean, kills):
    seed = int(os.environ.get("CRASH_SEED", int(time.time())))
    rnd = random.Random(seed)
    s.note("seed %d (CRASH_SEED=%d reproduces the kill times), %d kills" % (seed, seed, kills))
    srv, port, _ = start_server(s, ["127.0.0.1"])
    feeds = [("s%02d" % i, "http://127.0.0.1:%d/stream/s%02d" % (port, i), {"interval": "1s"})
             for i in range(NFEEDS)]
    conf, dbp = config(s, "crash", feeds, max_host_connections="16")
    bad = []       # (round, what) of every failed round
    listed_total = polls_before = 0
    resumed_fail = []
    t_start = time.time()
    for k in range(kills):
        d = s.spawn([gleanerd, "-c", conf, "-f"], "crash%02d" % k)
        started = time.time()
        # The schedule resumes: every feed scheduled, and new polls stored.
        st = until(15, lambda: (lambda kv: kv if kv[0].get("feeds") == NFEEDS else None)(status(glean, conf)))
        kv, text = st if st else ({}, "no answer")
        sched = kv.get("queued", 0) + kv.get("in_flight", 0) + kv.get("waiting_for_host", 0)
        grew = until(20, lambda: q(dbp, "SELECT coalesce(max(id), 0) FROM fetch_log")[0][0] > polls_before)
        if sched != NFEEDS or not grew:
            resumed_fail.append((k, sched, bool(grew), text[:200]))
        # Overdue feeds are spread over a minute after a start; glean
        # refresh makes them all due now, for a heavy ingest to kill.
        subprocess.run([glean, "-c", conf, "refresh"], capture_output=True, timeout=20)
        time.sleep(rnd.uniform(0.5, 2.5))
        try:
            listed = {(i["feed_url"], i["guid"]) for i in glean_items(glean, dbp)}
        except (ValueError, subprocess.TimeoutExpired) as e:
            listed = set()
            bad.append((k, "glean items failed: %s" % e))
        d.kill()  # SIGKILL, at once after the listing
        d.wait()
        rep = sanitizer_report(d.errfile)
        if rep:
            bad.append((k, "sanitizer before the kill: " + rep))
        ok, detail, polls_before, nitems = check_db(dbp)
        if not ok:
            bad.append((k, detail))
        now = {(u.decode(), g.decode()) for u, g in
               q(dbp, "SELECT f.url, i.guid FROM items i JOIN feeds f ON f.id = i.feed_id")}
        lost = listed - now
        if lost:
            bad.append((k, "lost %d of %d listed items, e.g. %s" % (len(lost), len(listed), sorted(lost)[:2])))
        listed_total += len(listed)
        print("# round %2d: killed after %.1f s; %d items listed, %d stored, %d polls stored" %
              (k + 1, time.time() - started, len(listed), nitems, polls_before))
        sys.stdout.flush()
    s.check("%d SIGKILLs during ingest: integrity_check and the search index ok, no item twice,"
            " every item glean listed before a kill still there after it" % kills,
            not bad and polls_before > 0, "failed rounds: %s" % bad[:5])
    s.check("after each restart the schedule resumes: every feed scheduled, new polls stored",
            not resumed_fail, "rounds: %s" % resumed_fail[:3])
    d = s.spawn([gleanerd, "-c", conf, "-f"], "final")
    grew = until(20, lambda: q(dbp, "SELECT coalesce(max(id), 0) FROM fetch_log")[0][0] > polls_before)
    rc, secs = s.stop(d, 10)
    rep = sanitizer_report(d.errfile)
    s.check("a last start after the kills: polls stored, SIGTERM exits 0, no sanitizer report",
            bool(grew) and rc == 0 and not rep, "rc=%s polls grew %s %s %s" % (rc, grew, rep, tail(d.errfile, 3)))
    ok, detail, polls, nitems = check_db(dbp)
    s.check("the database after it all: intact", ok, detail)
    s.note("%d kills in %.0f s: %d items and %d polls stored in all; %d item listings checked" %
           (kills, time.time() - t_start, nitems, polls, listed_total))
    s.stop(srv, 5)


if __name__ == "__main__":
    sys.exit(main())
