#!/usr/bin/python3
"""feedparser_bench.py: parse throughput of Python's feedparser (the reference
parser, Debian python3-feedparser) on the same files as parse_bench.

    /usr/bin/python3 bench/parse/feedparser_bench.py [--repeat N] FILE_OR_DIR...

Every file (directories recursively, MANIFEST.tsv and *.md skipped) is read
into memory as bytes first; then feedparser.parse(data) runs on each, N
times.  Only the parse loop is timed: CPU time of the process
(time.process_time) and wall time.  MB is 10^6 bytes.  feedparser's defaults
are kept (HTML sanitizing and relative-URI resolution on), as a user of it
gets them.  The last line has the same format as parse_bench's:

    feedparser_bench: bytes=... cpu_s=... mbps=... items=... maxrss_kb=... [more]
"""
import argparse
import os
import resource
import statistics
import sys
import time

import feedparser


def skip(name):
    return name == "MANIFEST.tsv" or name.endswith(".md")


def collect(paths):
    out = []
    for top in paths:
        if os.path.isdir(top):
            found = []
            for root, dirs, names in os.walk(top):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for n in names:
                    if not n.startswith(".") and not skip(n):
                        found.append(os.path.join(root, n))
            out.extend(sorted(found))
        else:
            out.append(top)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    if a.repeat < 1:
        ap.error("--repeat must be at least 1")

    datas = []
    for p in collect(a.paths):
        with open(p, "rb") as fp:
            datas.append(fp.read())
    if not datas:
        sys.exit("feedparser_bench: no files")
    bytes1 = sum(len(d) for d in datas)
    rss_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    items = bozo = 0
    passes = []
    c0, w0 = time.process_time(), time.monotonic()
    for _ in range(a.repeat):
        p0 = time.process_time()
        for d in datas:
            r = feedparser.parse(d)
            items += len(r.entries)
            bozo += bool(r.bozo)
        passes.append(time.process_time() - p0)
    cpu, wall = time.process_time() - c0, time.monotonic() - w0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    total = bytes1 * a.repeat
    med, best = statistics.median(passes), min(passes)
    print(f"feedparser {feedparser.__version__}: files {len(datas)}, {bytes1} bytes, "
          f"x{a.repeat} = {total} bytes parsed")
    print(f"items {items} ({items // a.repeat} per pass); bozo {bozo // a.repeat} per pass")
    print(f"cpu {cpu:.3f} s, wall {wall:.3f} s: {total / 1e6 / cpu:.2f} MB/s (cpu)")
    print(f"per pass: median {bytes1 / 1e6 / med:.2f} MB/s, best {bytes1 / 1e6 / best:.2f} MB/s")
    print(f"peak RSS {rss} KiB ({rss_load} KiB after loading the files)")
    print(f"feedparser_bench: bytes={total} cpu_s={cpu:.4f} mbps={total / 1e6 / cpu:.2f} "
          f"items={items} maxrss_kb={rss} files={len(datas)} repeat={a.repeat} "
          f"wall_s={wall:.4f} mbps_med={bytes1 / 1e6 / med:.2f} "
          f"mbps_best={bytes1 / 1e6 / best:.2f} rss_loaded_kb={rss_load}")


if __name__ == "__main__":
    main()
