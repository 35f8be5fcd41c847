#!/usr/bin/env python3
"""Runs ../shared/bench/feed_compare.py over the shared feed corpus with
`glean parse` and asserts the acceptance thresholds:
  * >= 99% agreement with the oracle (feedparser) on entry counts, ids,
    links, titles, dates, authors and enclosures, over entries where the
    oracle has a value;
  * on every file the oracle marks bozo, at least as many entries.
usage: corpus_check.py GLEAN SHARED_DIR"""
import json
import os
import subprocess
import sys
import tempfile

THRESH = {"entry_counts": 0.99, "ids": 0.99, "links": 0.99, "titles": 0.99,
          "published": 0.99, "updated": 0.99, "date_any": 0.99, "authors": 0.99,
          "enclosures": 0.99}


def main():
    glean, shared = sys.argv[1], sys.argv[2]
    corpus = os.path.join(shared, "corpus", "feeds")
    oracle = os.path.join(shared, "corpus", "feeds-oracle")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cmp.json")
        cmd = [sys.executable, os.path.join(shared, "bench", "feed_compare.py"),
               "--oracle", oracle, "--corpus", corpus,
               "--other-cmd", glean + " parse {}", "--json-out", out, "--details", "5"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        print(r.stdout)
        if r.returncode != 0:
            print(r.stderr)
            return 1
        fields = json.load(open(out))["fields"]
    failed = 0
    for k, t in THRESH.items():
        rate = fields[k]["oracle_set"]
        status = "ok" if rate is not None and rate >= t else "BELOW"
        failed += status != "ok"
        print("%-13s oracle-set %.4f (need %.2f) %s" % (k, rate or 0, t, status))
    # Bozo files: never fewer entries than feedparser's loose parser.
    fewer = []
    for dirpath, _, files in os.walk(oracle):
        for fn in files:
            o = json.load(open(os.path.join(dirpath, fn)))
            if not o.get("bozo"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, fn), oracle)[:-5]
            p = subprocess.run([glean, "parse", os.path.join(corpus, rel)], capture_output=True)
            try:
                n = len(json.loads(p.stdout.decode("utf-8", "replace"))["entries"])
            except Exception:
                n = -1
            if n < len(o["entries"]):
                fewer.append((rel, len(o["entries"]), n))
    for rel, a, b in fewer:
        print("bozo file with fewer entries: %s oracle %d glean %d" % (rel, a, b))
    print("bozo files with fewer entries than the oracle: %d" % len(fewer))
    return 1 if failed or fewer else 0


if __name__ == "__main__":
    sys.exit(main())
