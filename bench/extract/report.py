#!/usr/bin/env python3
"""The tables of bench/extract/run.sh, in Markdown, from what it left in OUT:

  OUT/<set>/scores.json       extract_eval.py eval --json (F1, P, R per system)
  OUT/<set>/times.tsv         system, wall s, CPU s, peak RSS KiB, exit status (one row a run)
  OUT/<set>/when-<system>     when that system last ran
  OUT/<set>/per-page/<system>.csv   per-page scores (for --details)
  OUT/versions.txt            "<system> <version text>" lines

usage: report.py --out OUT [--ran "gleaner ..."] [--details N] SET...
Systems not in --ran were timed in an earlier run: their rows say so, and
speed ratios against them are marked with '*'.
"""
import argparse
import csv
import json
import os
import statistics
import sys

SYSTEMS = ["gleaner", "readability.js", "readability-lxml", "baseline"]
LABEL = {"gleaner": "Gleaner", "readability.js": "Readability.js",
         "readability-lxml": "readability-lxml", "baseline": "all visible text (baseline)"}
PAGES_PATH = {"wcxb-dev": "html/{id}.html", "readability-test-pages": "{id}/source.html"}
F1_TARGET = {"wcxb-dev": 0.95, "readability-test-pages": 0.95}
SPEED_TARGET = {"readability.js": 30.0, "readability-lxml": 3.0}


def read_times(path):
    rows = {}
    if not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 5 or not p[1]:
                continue
            rows.setdefault(p[0], []).append((float(p[1]), float(p[2]), int(p[3]), p[4]))
    out = {}
    for s, r in rows.items():
        out[s] = {"runs": len(r), "wall": statistics.median(x[0] for x in r),
                  "cpu": statistics.median(x[1] for x in r),
                  "rss": max(x[2] for x in r), "rc": sorted({x[3] for x in r})}
    return out


def read_when(d, s):
    try:
        with open(os.path.join(d, "when-" + s), encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return "?"


def ratio(a, b):
    return b / a if a and a > 0 else None


def fmt_ratio(x, earlier):
    if x is None:
        return "n/a"
    return f"{x:.1f}x" + ("*" if earlier else "")


def one_set(out, name, ran, details):
    d = os.path.join(out, name)
    with open(os.path.join(d, "scores.json"), encoding="utf-8") as f:
        scores = json.load(f)
    times = read_times(os.path.join(d, "times.tsv"))
    systems = [s for s in SYSTEMS if s in scores]
    pages = max((scores[s]["pages"] for s in systems), default=0)
    earlier = {s: s not in ran for s in systems}
    g = times.get("gleaner")
    print(f"**{name}** ({pages} pages; F1/precision/recall: standard metric, "
          f"± = bootstrap std; wall and CPU: median of the runs, whole set in one process)")
    print()
    print("| system | F1 | precision | recall | empty | runs | wall s | CPU s | peak RSS MiB "
          "| Gleaner faster (wall) | (CPU) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in systems:
        m, t = scores[s], times.get(s)
        label = LABEL[s] + (f" (run {read_when(d, s)})" if earlier[s] else "")
        cols = [f"{m['f1']:.3f} ± {m['f1_std']:.3f}", f"{m['precision']:.3f}",
                f"{m['recall']:.3f}", str(m["empty"])]
        if t:
            bad_rc = [rc for rc in t["rc"] if rc not in ("0", "1")]
            cols += [str(t["runs"]), f"{t['wall']:.2f}", f"{t['cpu']:.2f}",
                     f"{t['rss'] / 1024:.1f}" + (f" (exit {','.join(bad_rc)})" if bad_rc else "")]
            if g and s != "gleaner":
                e = earlier[s] or earlier.get("gleaner", False)
                cols += [fmt_ratio(ratio(g["wall"], t["wall"]), e),
                         fmt_ratio(ratio(g["cpu"], t["cpu"]), e)]
            else:
                cols += ["", ""]
        else:
            cols += ["", "", "", "", "", ""]
        print(f"| {label} | " + " | ".join(cols) + " |")
    if any(earlier.values()):
        print()
        print("\\* timed in an earlier run of bench/extract/run.sh, not side by side with this one.")
    print()
    targets = []
    if "gleaner" in scores:
        f1, want = scores["gleaner"]["f1"], F1_TARGET.get(name)
        if want is not None:
            targets.append((f"{name}: F1 >= {want:.2f}", f"{f1:.3f}", f1 >= want))
        if g:
            for s, want in SPEED_TARGET.items():
                t = times.get(s)
                if not t:
                    continue
                rw, rc = ratio(g["wall"], t["wall"]), ratio(g["cpu"], t["cpu"])
                mark = "*" if earlier[s] or earlier["gleaner"] else ""
                targets.append((f"{name}: >= {want:.0f}x faster than {LABEL[s]} (CPU time)",
                                f"{rc:.1f}x CPU{mark} (wall clock: {rw:.1f}x{mark})",
                                rc >= want))
    if details and "gleaner" in scores:
        worst(d, name, details)
    return targets


def read_per_page(d, s):
    path = os.path.join(d, "per-page", s + ".csv")
    if not os.path.isfile(path):
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def num(x):
    return float(x) if x not in ("", None) else None


def worst(d, name, n):
    g = read_per_page(d, "gleaner")
    js = read_per_page(d, "readability.js")
    rows = sorted(g.values(), key=lambda r: (num(r["f1"]) or 0.0, r["id"]))[:n]
    print(f"Gleaner's {len(rows)} worst pages on {name} (per-page F1 of the shingles; "
          f"P/R = precision/recall; tokens = words in truth / in Gleaner's text):")
    print()
    print("| page | F1 | P | R | tokens true/Gleaner | Readability.js F1 | Gleaner's text |")
    print("|---|---:|---:|---:|---:|---:|---|")
    pat = PAGES_PATH.get(name, "{id}")
    for r in rows:
        p, rc, f1 = num(r["precision"]), num(r["recall"]), num(r["f1"])
        j = js.get(r["id"])
        jf = f"{num(j['f1']):.3f}" if j and num(j["f1"]) is not None else ""
        print(f"| {pat.format(id=r['id'])} | {f1:.3f} | "
              f"{'-' if p is None else f'{p:.3f}'} | {'-' if rc is None else f'{rc:.3f}'} | "
              f"{r['true_tokens']}/{r['pred_tokens']} | {jf} | "
              f"{os.path.join(d, 'gleaner', r['id'] + '.txt')} |")
    print()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--ran", default=" ".join(SYSTEMS))
    ap.add_argument("--details", type=int, default=0)
    ap.add_argument("sets", nargs="+")
    a = ap.parse_args()
    ran = set(a.ran.split())
    try:
        with open(os.path.join(a.out, "versions.txt"), encoding="utf-8") as f:
            vers = [ln.strip() for ln in f if ln.strip()]
    except OSError:
        vers = []
    for v in vers:
        s, _, text = v.partition(" ")
        print(f"- {LABEL.get(s, s)}: {text}")
    if vers:
        print()
    targets = []
    for s in a.sets:
        targets += one_set(a.out, s, ran, a.details)
    if targets:
        print("| target | measured | |")
        print("|---|---|---|")
        for what, got, ok in targets:
            print(f"| {what} | {got} | {'met' if ok else 'MISSED'} |")
        print()


if __name__ == "__main__":
    sys.exit(main())
