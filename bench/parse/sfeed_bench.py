#!/usr/bin/python3
"""sfeed_bench.py: parse throughput of sfeed (Debian package sfeed) on the same
bytes as parse_bench, as one stream.

    /usr/bin/python3 bench/parse/sfeed_bench.py [--repeat N] [--sfeed PATH] FILE_OR_DIR...

The files (directories recursively, MANIFEST.tsv and *.md skipped, same order
as parse_bench) are concatenated into one file in a temporary directory; then
`sfeed < that_file > /dev/null` runs N times.  Each run's CPU time is the
child's user + sys time from wait4(), so Python's own start-up is not counted
(sfeed's is, but it is tiny next to 19 MB).  MB is 10^6 bytes.

sfeed is a different kind of parser: it reads the stream as one XML-ish
document with its own tolerant tokenizer, extracts only a few fields per item
(timestamp, title, link, content, content type, id, author, enclosure,
categories) and writes them as TSV; it does no charset conversion, no date
parsing beyond the timestamp, no HTML sanitising, no relative-URL resolution.
Items is the number of TSV lines it writes (counted in one extra,
untimed run).  The last line has the same format as parse_bench's:

    sfeed_bench: bytes=... cpu_s=... mbps=... items=... maxrss_kb=... [more]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from feedparser_bench import collect  # noqa: E402  (same file list and order)


def run(argv, stdin_path, stdout):
    with open(stdin_path, "rb") as fin:
        w0 = time.monotonic()
        p = subprocess.Popen(argv, stdin=fin, stdout=stdout)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - w0
        p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"sfeed_bench: {' '.join(argv)} exited with {p.returncode}")
    return ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss


def run_launched(launcher, argv, stdin_path):
    """Runs argv under peak_rss (its output goes to /dev/null there)."""
    with open(stdin_path, "rb") as fin:
        r = subprocess.run([launcher] + argv, stdin=fin, stdout=subprocess.PIPE, check=False)
    if r.returncode != 0:
        sys.exit(f"sfeed_bench: {' '.join(argv)} exited with {r.returncode}")
    kv = dict(f.split("=", 1) for f in r.stdout.decode().split()[1:])
    return float(kv["cpu_s"]), float(kv["wall_s"]), int(kv["maxrss_kb"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--sfeed", default=shutil.which("sfeed") or "/usr/bin/sfeed")
    ap.add_argument("--launcher", metavar="PEAK_RSS",
                    help="run sfeed under this peak_rss binary (bench/parse/peak_rss.c) for an "
                         "exact peak RSS; without it the RSS includes Python's ~10 MB, which "
                         "Linux carries over into a forked child's ru_maxrss")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    if a.repeat < 1:
        ap.error("--repeat must be at least 1")
    if not os.access(a.sfeed, os.X_OK):
        sys.exit(f"sfeed_bench: no sfeed at {a.sfeed} (apt-get install sfeed)")

    files = collect(a.paths)
    with tempfile.TemporaryDirectory(prefix="sfeed_bench.") as tmp:
        stream = os.path.join(tmp, "all-feeds.xml")
        with open(stream, "wb") as out:
            for f in files:
                with open(f, "rb") as fp:
                    shutil.copyfileobj(fp, out)
        bytes1 = os.path.getsize(stream)

        tsv = os.path.join(tmp, "out.tsv")
        with open(tsv, "wb") as out:
            run([a.sfeed], stream, out)
        with open(tsv, "rb") as fp:
            items1 = sum(1 for _ in fp)

        cpus, walls, rss = [], [], 0
        with open(os.devnull, "wb") as null:
            for _ in range(a.repeat):
                if a.launcher:
                    cpu, wall, m = run_launched(a.launcher, [a.sfeed], stream)
                else:
                    cpu, wall, m = run([a.sfeed], stream, null)
                cpus.append(cpu)
                walls.append(wall)
                rss = max(rss, m)

    total = bytes1 * a.repeat
    cpu, wall = sum(cpus), sum(walls)
    med, best = statistics.median(cpus), min(cpus)
    # getrusage has a 1 ms granularity at best; guard against a zero.
    med, best, cpu = max(med, 1e-6), max(best, 1e-6), max(cpu, 1e-6)
    print(f"sfeed: {len(files)} files concatenated = {bytes1} bytes, x{a.repeat} = {total} bytes")
    print(f"items {items1} per run (TSV lines)")
    print(f"cpu {cpu:.3f} s, wall {wall:.3f} s: {total / 1e6 / cpu:.1f} MB/s (cpu)")
    print(f"per run: median {bytes1 / 1e6 / med:.1f} MB/s, best {bytes1 / 1e6 / best:.1f} MB/s")
    print(f"peak RSS {rss} KiB" + ("" if a.launcher else " (upper bound: includes Python's"
                                                          " RSS at fork, see --launcher)"))
    print(f"sfeed_bench: bytes={total} cpu_s={cpu:.4f} mbps={total / 1e6 / cpu:.2f} "
          f"items={items1 * a.repeat} maxrss_kb={rss} files={len(files)} repeat={a.repeat} "
          f"wall_s={wall:.4f} mbps_med={bytes1 / 1e6 / med:.2f} "
          f"mbps_best={bytes1 / 1e6 / best:.2f}")


if __name__ == "__main__":
    main()
