#!/usr/bin/env python3
"""The README's measured figures, generated from the committed reference
run (results/default.json), so that no number there drifts from the data.

Each generated part of README.md sits between
    <!-- generated: NAME -->  and  <!-- end generated -->
and is replaced by what NAME's function below writes.  update-reference.sh
runs this after a new reference; the tests run it with --check, which
exits 1 naming each part that differs.

Usage: scripts/readme_figures.py [--check] [--results FILE] [--readme FILE]
"""
import argparse
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
sys.path.insert(0, os.path.join(ROOT, "plots"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from cells import Data, size_text  # noqa: E402
from figure_data import choose_rows, times  # noqa: E402
from results_file import ResultsError, load  # noqa: E402

BLOCK = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(<!-- end generated -->)", re.S)


def pick(rows, key, best=min):
    """The one strategy of rows best on `key` (the faster typical cost breaks
    a tie); None if rows is empty."""
    have = [r for r in rows if r[key] is not None]
    if not have:
        return None
    top = best(r[key] for r in have)
    return min((r for r in have if r[key] == top), key=lambda r: r["typical"])["strategy"]


def many_cpus(d):
    """The thread-safe strategy with the most aggregate ops per second at
    the most threads the run had (geometric mean over the threaded patterns
    every such strategy ran), and that thread count; (None, 0) without."""
    rows = [r for r in d.threaded if r.get("thread_safe") and r.get("ops_per_s")]
    if not rows:
        return None, 0
    most = max(r["threads"] for r in rows)
    at = {(r["strategy"], r["pattern"]): r["ops_per_s"] for r in rows if r["threads"] == most}
    strats = {s for s, _ in at}
    pats = [p for p in {p for _, p in at} if all((s, p) in at for s in strats)]
    if most < 2 or not pats:
        return None, most

    def gm(s):
        return math.exp(sum(math.log(at[(s, p)]) for p in pats) / len(pats))
    return max(sorted(strats), key=gm), most


def choose(d):
    """The table under the choose figure: per strategy its typical and worst
    cost against the fastest strategy on each pattern, its metadata, the
    2 MiB blocks it leaves, and the need it is the pick for: one strategy
    per need, so that a tie on 1 bit per frame does not crown them all."""
    chosen = choose_rows(d)
    if chosen is None:
        return "(the reference run has no cells to compare)\n"
    frames, pats, frag_at, rows = chosen
    many, cpus = many_cpus(d)
    one_bit = [r for r in rows if r["bits"] <= 1.2]
    most_free = max((r["free_2m"] for r in rows if r["free_2m"] is not None), default=None)
    packs = [r for r in rows if most_free is not None and r["free_2m"] is not None and r["free_2m"] >= most_free - 0.01]
    picks = {}
    for need, s in (("speed, whatever the metadata", pick(rows, "typical")),
                    ("speed at about 1 bit per frame", pick(one_bit, "typical")),
                    ("the mildest worst case at about 1 bit per frame", pick(one_bit, "worst")),
                    ("2 MiB blocks (huge pages) left free, then speed", pick(packs, "typical")),
                    ("%d CPUs at once: the most ops per second (`scaling` figure)" % cpus, many)):
        if s:
            picks.setdefault(s, []).append(need)
    out = ["At %s, over %d patterns (%s), each strategy's median ns per op divided by the fastest strategy's "
           "on that pattern; 2 MiB blocks wholly free after `frag`%s:" % (
               size_text(frames), len(pats), ", ".join("`%s`" % p for p in pats),
               " at " + size_text(frag_at) if frag_at else ""),
           "",
           "| strategy | typical | worst pattern | bits per frame | 2 MiB blocks free | pick it if you need |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        missing = " (no `%s`)" % "`, `".join(r["missing"]) if r["missing"] else ""
        free = "%.0f %%" % (100 * r["free_2m"]) if r["free_2m"] is not None else "n/a"
        out.append("| `%s` | %s%s | `%s` %s | %.3g | %s | %s |" % (
            r["strategy"], times(r["typical"]), missing, r["worst_pattern"], times(r["worst"]), r["bits"], free,
            "; ".join(picks.get(r["strategy"], [])) or "-"))
    return "\n".join(out) + "\n"


PARTS = {"choose": choose}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if README.md differs from the data")
    ap.add_argument("--results", default=os.path.join(ROOT, "results", "default.json"))
    ap.add_argument("--readme", default=os.path.join(ROOT, "README.md"))
    a = ap.parse_args()
    try:
        d = Data(load(a.results))
    except (ResultsError, OSError, ValueError) as e:
        sys.exit("readme_figures: %s" % e)
    with open(a.readme) as f:
        text = f.read()
    stale, unknown = [], []

    def fill(m):
        name = m.group(2)
        if name not in PARTS:
            unknown.append(name)
            return m.group(0)
        new = PARTS[name](d)
        if new != m.group(3):
            stale.append(name)
        return m.group(1) + new + m.group(4)
    out = BLOCK.sub(fill, text)
    if unknown:
        sys.exit("readme_figures: %s: unknown generated part(s): %s" % (a.readme, ", ".join(unknown)))
    if a.check:
        if stale:
            sys.exit("readme_figures: %s differs from %s in: %s (run scripts/readme_figures.py)" % (
                a.readme, a.results, ", ".join(stale)))
        print("readme_figures: %s agrees with %s" % (os.path.basename(a.readme), os.path.basename(a.results)))
        return
    if stale:
        with open(a.readme + ".tmp", "w") as f:
            f.write(out)
        os.replace(a.readme + ".tmp", a.readme)
    print("readme_figures: %s" % ("rewrote " + ", ".join(stale) if stale else "nothing to change"))


if __name__ == "__main__":
    main()
