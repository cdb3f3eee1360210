#!/usr/bin/env python3
"""The measured figures of the README and docs/, generated from the
committed reference run (results/default.json), so that no number there
drifts from the data.

Each generated part of a document sits between
    <!-- generated: NAME -->  and  <!-- end generated -->
and is replaced by what NAME's function below writes.  update-reference.sh
runs this after a new reference; the tests run it with --check, which
exits 1 naming each part that differs.

Usage: scripts/doc_figures.py [--check] [--results FILE] [--doc FILE]...
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
from figure_data import cell_at, choose_rows, summary_basis, times  # noqa: E402
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


def huge_many_cpus(d, rows):
    """Of the thread-safe strategies that leave the most 2 MiB blocks free
    after `frag`, the one with the most `mt_2m` ops per second at the most
    threads; None without threaded cells."""
    most = max((r["threads"] for r in d.threaded), default=0)
    ops = {r["strategy"]: r["ops_per_s"] for r in d.threaded if r["pattern"] == "mt_2m" and r["threads"] == most
           and r.get("thread_safe") and r.get("ops_per_s")}
    free = {r["strategy"]: r["free_2m"] for r in rows if r["strategy"] in ops and r["free_2m"] is not None}
    if most < 2 or not free:
        return None
    top = max(free.values())
    return max((s for s in free if free[s] >= top - 0.01), key=lambda s: ops[s])


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
                    ("%d CPUs at once: the most ops per second (`scaling` figure)" % cpus, many),
                    ("2 MiB runs from %d CPUs at once, 2 MiB blocks left free" % cpus, huge_many_cpus(d, rows))):
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


def ns_text(ns):
    """ns per op as a reader says it: 3.1 ns, 48 ns, 2.1 µs, 136 µs."""
    if ns is None:
        return "-"
    if ns >= 1e6:
        return "%.3g ms" % (ns / 1e6)
    if ns >= 1e3:
        return "%.3g µs" % (ns / 1e3)
    return "%.3g ns" % ns


def cell(d, pattern, strategy, frames, params=None):
    key = tuple(sorted((k, str(v)) for k, v in (params or {}).items()))
    return d.get(pattern, strategy, frames, key)


def median(r):
    return r["ns_per_op"]["median"] if r else None


def context(d):
    """What the reference run is: where, how, how precise."""
    c = d.ctx
    rows = list(d.cells.values()) + d.threaded
    prec = sorted(r["precision_pct"] for r in rows if isinstance(r.get("precision_pct"), (int, float)))
    missed = sum(1 for r in rows if r.get("precision_met") is False)
    secs = sum(r.get("seconds", 0) for r in rows)
    reps = sorted(r["repetitions"] for r in rows)
    out = ["The committed reference run, `results/default.json`: written by `scripts/update-reference.sh` at "
           "commit %s on %s, %s (%s CPUs), %s %s, code aligned `%s`; the %s matrix: %d cells measured (%d of "
           "them threaded), %d skipped with their reasons." % (
               (c.get("git_commit") or "?")[:7], (c.get("date") or "?")[:10], c.get("cpu_model", "?"),
               c.get("num_cpus", "?"), c.get("compiler", "?"), c.get("c_flags", ""),
               c.get("code_alignment", "none"), c.get("matrix", "?"), len(rows), len(d.threaded),
               len(d.skipped))]
    if prec:
        out.append("Each cell repeated %d to %d times%s; the median cell's median is precise to +-%.1f %%, "
                   "%d cells missed the target (their rows say why), and the cells took %.0f s in all." % (
                       reps[0], reps[-1], " until precise to +-%g %%" % c["precision_target_pct"]
                       if c.get("precision_target_pct") else "", prec[len(prec) // 2], missed, secs))
    else:
        out.append("Each cell repeated %d to %d times; the file states no precision (it predates "
                   "framebench's precision rows)." % (reps[0], reps[-1]))
    return " ".join(out) + "\n"


def summary(d):
    """Per pattern at the summary's size: the fastest strategy, nextfit,
    and the slowest, each against the fastest."""
    basis = summary_basis(d, quiet=True)
    if basis is None:
        return "(no summary)\n"
    pats, keys, base, frames = basis
    out = ["At %s (an input pattern at its file's size), ns per op:" % size_text(frames), "",
           "| pattern | fastest | `%s` | slowest |" % base, "|---|---|---|---|"]
    for p in pats:
        rows = []
        for s in d.allocators:
            r, _ = cell_at(d, p, s, frames, keys[p])
            if r:
                rows.append((median(r), s))
        if not rows:
            continue
        rows.sort()
        best = rows[0][0]
        b = [ns for ns, s in rows if s == base]
        out.append("| `%s` | `%s` %s | %s | `%s` %s |" % (
            p, rows[0][1], ns_text(best), "%s (%s)" % (ns_text(b[0]), times(b[0] / best)) if b else "-",
            rows[-1][1], times(rows[-1][0] / best)))
    return "\n".join(out) + "\n"


def by_size(d, pattern):
    """One pattern's ns per op, strategies by sizes."""
    sizes = sorted({k[2] for k in d.cells if k[0] == pattern})
    strats = [s for s in d.allocators if any(k[0] == pattern and k[1] == s for k in d.cells)]
    out = ["| `%s` | %s |" % (pattern, " | ".join(size_text(f) for f in sizes)),
           "|---|" + "---|" * len(sizes)]
    for s in strats:
        vals = []
        for f in sizes:
            r = cell(d, pattern, s, f)
            vals.append(ns_text(median(r)) if r else "skipped" if (pattern, s, f, ()) in d.skipped else "-")
        out.append("| `%s` | %s |" % (s, " | ".join(vals)))
    return out


def worst(d):
    return "\n".join(by_size(d, "worst") + [""] + by_size(d, "worst_wrap")) + "\n"


def churn(d):
    """churn against occupancy at the size that has every occupancy."""
    rows = d.rows("churn")
    if not rows:
        return "(no churn cells)\n"
    occ = {}
    for r in rows:
        occ.setdefault(r["frames"], set()).add(r["params"]["occupancy"])
    frames = max(occ, key=lambda f: (len(occ[f]), f))
    levels = sorted(occ[frames])
    out = ["At %s, ns per op by occupancy:" % size_text(frames), "",
           "| strategy | %s |" % " | ".join("%g %%" % (o / 10) for o in levels), "|---|" + "---|" * len(levels)]
    for s in d.allocators:
        vals = [median(cell(d, "churn", s, frames, {"occupancy": o})) for o in levels]
        if any(v is not None for v in vals):
            out.append("| `%s` | %s |" % (s, " | ".join(ns_text(v) for v in vals)))
    return "\n".join(out) + "\n"


def frag(d):
    """frag: the 2 MiB blocks wholly free over the iterations."""
    rows = [r for r in d.rows("frag") if r.get("series")]
    if not rows:
        return "(no frag cells)\n"
    count = {}
    for r in rows:
        count[r["frames"]] = count.get(r["frames"], 0) + 1
    frames = max(count, key=lambda f: (count[f], f))
    out = ["At %s, the share of aligned 2 MiB blocks wholly free:" % size_text(frames), "",
           "| strategy | after iteration 1 | lowest | last | failed 2 MiB allocs |", "|---|---|---|---|---|"]
    for s in d.allocators:
        r = cell(d, "frag", s, frames)
        if r and r.get("series"):
            v = r["series"]["free_2m_share"]
            out.append("| `%s` | %.0f %% | %.1f %% | %.0f %% | %s |" % (
                s, 100 * v[0], 100 * min(v), 100 * v[-1], r.get("failed_allocs", "-")))
    return "\n".join(out) + "\n"


def threads(d):
    """The threaded cells: per pattern and strategy, ns per op and thread at
    one thread and at the most, and the aggregate scaling."""
    rows = d.threaded
    if not rows:
        return "(no threaded cells)\n"
    most = max(r["threads"] for r in rows)
    frames = max({r["frames"] for r in rows}, key=lambda f: sum(r["frames"] == f for r in rows))
    at = {(r["pattern"], r["strategy"], r["threads"]): r for r in rows if r["frames"] == frames}
    pats = []
    for r in rows:
        if r["pattern"] not in pats:
            pats.append(r["pattern"])
    strats = [s for s in d.strategies if any(k[1] == s for k in at)]
    out = ["At %s: the median thread's ns per op at 1 and %d threads (+- the precision of the median), "
           "and all threads' ops per second at %d over 1:" % (size_text(frames), most, most), "",
           "| pattern | strategy | 1 thread | %d threads | scaling |" % most, "|---|---|---|---|---|"]
    for p in pats:
        for s in strats:
            one, many = at.get((p, s, 1)), at.get((p, s, most))
            if not one and not many:
                continue

            def text(r):
                if not r:
                    return "-"
                prec = r.get("precision_pct")
                return ns_text(median(r)) + (" +-%.0f %%" % prec if isinstance(prec, (int, float)) else "")
            out.append("| `%s` | `%s` | %s | %s | %s |" % (
                p, s, text(one), text(many) if most > 1 else "-",
                times(many["scaling"]) if many and most > 1 and many.get("scaling") else "-"))
    return "\n".join(out) + "\n"


def goals(d):
    """The many-cores goals, each measured in the reference run."""
    at = {(r["pattern"], r["strategy"], r["threads"]): r for r in d.threaded}
    most = max((r["threads"] for r in d.threaded), default=1)

    def ns(p, s, t):
        r = at.get((p, s, t))
        return median(r) if r else None

    rows = []
    v = ns("mt_bulk", "lockfree", 1)
    rows.append(("`lockfree` `mt_bulk` alloc at most 20 ns per frame, one thread", ns_text(v),
                 v is not None and v <= 20))
    r = at.get(("mt_bulk", "lockfree", most))
    sc = r.get("scaling") if r else None
    rows.append(("`lockfree` `mt_bulk` at %d threads at least 1.8x its one-thread throughput" % most,
                 times(sc) if sc else "-", sc is not None and sc >= 1.8))
    for p in ("mt_bulk", "mt_repeat"):
        a, b = ns(p, "pcp", 1), ns(p, "nextfit", 1)
        x = a / b if a and b else None
        rows.append(("`pcp` within 1.5x of unlocked `nextfit` at one thread, `%s`" % p,
                     "%s / %s = %s" % (ns_text(a), ns_text(b), times(x)) if x else "-", x is not None and x <= 1.5))
    a, b = ns("mt_remote", "pcp", most), ns("mt_remote", "locked-nextfit", most)
    rows.append(("`pcp` cheaper than `locked-nextfit` per remote free at %d threads" % most,
                 "%s against %s" % (ns_text(a), ns_text(b)) if a and b else "-", a is not None and b is not None
                 and a < b))
    out = ["| goal | measured | met |", "|---|---|---|"]
    out += ["| %s | %s | %s |" % (g, m, "yes" if ok else "no") for g, m, ok in rows]
    return "\n".join(out) + "\n"


def goals_single(d):
    """The single-threaded goals, each measured in the reference run."""
    rows = []

    def ratio(p1, s1, p2, s2, frames, params=None):
        a, b = median(cell(d, p1, s1, frames, params)), median(cell(d, p2, s2, frames, params))
        return (a / b, a, b) if a and b else (None, a, b)

    def row(goal, r, ok, fmt="%s / %s = %s"):
        x, a, b = r
        rows.append((goal, fmt % (ns_text(a), ns_text(b), times(x)) if x else "not in this run", ok(x) if x else None))

    row("`nextfit` at least 50x faster than `linear` on `fill` at 1 GiB",
        ratio("fill", "linear", "fill", "nextfit", 262144), lambda x: x >= 50)
    row("`summary2` at least 20x faster than `ctz` on `worst` at 64 GiB",
        ratio("worst", "ctz", "worst", "summary2", 16777216), lambda x: x >= 20)
    row("`simd` at least 3x faster than `ctz` on `worst` at 64 GiB",
        ratio("worst", "ctz", "worst", "simd", 16777216), lambda x: x >= 3)
    best = min(((median(cell(d, "churn", s, 262144, {"occupancy": 500})), s) for s in d.allocators
                if s != "freelist" and cell(d, "churn", s, 262144, {"occupancy": 500})), default=(None, None))
    fl = median(cell(d, "churn", "freelist", 262144, {"occupancy": 500}))
    x = best[0] / fl if best[0] and fl else None
    rows.append(("the best bitmap strategy's `churn` at 50 % within 2x of `freelist`, 1 GiB",
                 "`%s` %s / %s = %s" % (best[1], ns_text(best[0]), ns_text(fl), times(x)) if x else "not in this run",
                 x <= 2 if x else None))
    row("`tree`'s `churn` at 99.9 % at most 3x its cost at 0 %, 64 GiB",
        (lambda a, b: (a / b if a and b else None, a, b))(median(cell(d, "churn", "tree", 16777216, {"occupancy": 999})),
                                                          median(cell(d, "churn", "tree", 16777216, {"occupancy": 0}))),
        lambda x: x <= 3)
    share = d.ctx.get("harness_share_of_fastest")
    rows.append(("the harness under 10 % of the fastest strategy's time, every size and occupancy",
                 "at most %.1f %%" % (100 * share) if share else "not in this run", share < 0.1 if share else None))
    checks = [x["ratio"] for r in d.cells.values() for x in r.get("crosschecks", [])]
    near = sum(1 for v in checks if 0.8 <= v <= 1.25)
    rows.append(("the two other methods agree with `churn` within 20 % on every churn cell",
                 "%d of %d cross-checks within (%.2fx to %.2fx)" % (near, len(checks), min(checks), max(checks))
                 if checks else "not in this run", near == len(checks) if checks else None))
    out = ["| goal | measured | met |", "|---|---|---|"]
    out += ["| %s | %s | %s |" % (g, m, "-" if ok is None else "yes" if ok else "no") for g, m, ok in rows]
    return "\n".join(out) + "\n"


PEER, OURS = "llfree", "hugeaware"
SMALL = ("mt_bulk", "mt_repeat", "mt_remote", "mt_churn")


def threaded_at(d):
    """The threaded rows at the size most of them ran: ({(pattern, strategy,
    threads): row}, that size, the most threads)."""
    rows = d.threaded
    frames = max({r["frames"] for r in rows}, key=lambda f: sum(r["frames"] == f for r in rows))
    most = max(r["threads"] for r in rows)
    return {(r["pattern"], r["strategy"], r["threads"]): r for r in rows if r["frames"] == frames}, frames, most


def peer(d):
    """LLFree beside framebench's thread-safe strategies: per threaded
    pattern, the median thread's ns per op at one thread and at the most,
    with the scaling."""
    if not d.threaded or not any(r["strategy"] == PEER for r in d.threaded):
        return "(LLFree was not in this run: scripts/peers.sh finds no checkout of it)\n"
    at, frames, most = threaded_at(d)
    one, many = ("lockfree", PEER, OURS), ("lockfree", PEER, OURS, "pcp")
    out = ["At %s: the median thread's ns per op, and at %d threads all threads' ops per second over one "
           "thread's (scaling):" % (size_text(frames), most), "",
           "| pattern | " + " | ".join("`%s` 1 thr" % s for s in one) + " | " +
           " | ".join("`%s` %d thr (scaling)" % (s, most) for s in many) + " |",
           "|---" * (1 + len(one) + len(many)) + "|"]
    pats = [p for p in SMALL + ("mt_2m", "mt_frag") if any(k[0] == p for k in at)]
    for p in pats:
        def ns(s, t):
            r = at.get((p, s, t))
            return ns_text(median(r)) if r else "-"

        def sc(s):
            r = at.get((p, s, most))
            return "%s (%s)" % (ns(s, most), times(r["scaling"])) if r and r.get("scaling") else ns(s, most)
        out.append("| `%s` | %s | %s |" % (p, " | ".join(ns(s, 1) for s in one), " | ".join(sc(s) for s in many)))
    shares = ["`%s` %.1f %%" % (s, 100 * at[("mt_frag", s, most)]["free_2m_share"]) for s in many
              if "free_2m_share" in at.get(("mt_frag", s, most), {})]
    if shares:
        out += ["", "2 MiB blocks wholly free after `mt_frag` at %d threads (%d threads fragmenting at once, "
                "each with its own order mix): %s." % (most, most, ", ".join(shares))]
    return "\n".join(out) + "\n"


def peer_goals(d):
    """hugeaware's goals against LLFree, each measured in the reference run."""
    if not d.threaded or not any(r["strategy"] == PEER for r in d.threaded):
        return "(LLFree was not in this run)\n"
    at, frames, most = threaded_at(d)
    rows = []

    def ops(p, s, t):
        r = at.get((p, s, t))
        return r.get("ops_per_s") if r else None
    a, b = ops("mt_2m", OURS, most), ops("mt_2m", PEER, most)
    rows.append(("`mt_2m` at %d threads: throughput at least LLFree's" % most,
                 "%.3g against %.3g Mops/s (%s)" % (a / 1e6, b / 1e6, times(a / b)) if a and b else "-",
                 a is not None and b is not None and a >= b))
    scal = [(at[(p, OURS, most)].get("scaling"), p) for p in SMALL + ("mt_2m",) if (p, OURS, most) in at]
    scal = [(x, p) for x, p in scal if x]
    low = min(scal) if scal else None
    rows.append(("scaling at least 1.8x on every threaded pattern", "lowest %s (`%s`)" % (times(low[0]), low[1])
                 if low else "-", low is not None and low[0] >= 1.8))
    shares = {}
    for s in (OURS, PEER, "buddy"):
        r = cell(d, "frag", s, 262144)
        if r and "free_2m_share" in r:
            shares[s] = min(r["free_2m_share"], r.get("free_2m_handed_share", 1))
    if OURS in shares:
        rivals = {s: v for s, v in shares.items() if s != OURS}
        rows.append(("after `frag` at 1 GiB: 2 MiB blocks wholly free (and handed out) at least the better of "
                     "`buddy` and LLFree", "%.0f %% against %s" % (100 * shares[OURS], ", ".join(
                         "`%s` %.0f %%" % (s, 100 * v) for s, v in sorted(rivals.items()))),
                     all(shares[OURS] >= v for v in rivals.values()) and len(rivals) == 2))
    ratios = [(ops(p, OURS, t) / ops(p, PEER, t), p, t) for p in SMALL for t in sorted({1, most})
              if ops(p, OURS, t) and ops(p, PEER, t)]
    low = min(ratios) if ratios else None
    rows.append(("4 KiB frames: at least 2x LLFree's throughput on `%s`, at 1 and %d threads" % (
        "`, `".join(SMALL), most), "lowest %s (`%s`, %d thr)" % (times(low[0]), low[1], low[2]) if low else "-",
        low is not None and low[0] >= 2 and len(ratios) == 2 * len(SMALL)))
    meta = [r.get("meta_bytes_per_gib") for r in d.cells.values() if r["strategy"] == OURS and
            r["frames"] == 262144 and r.get("meta_bytes_per_gib")]
    bits = max(meta) * 8 / 262144 if meta else None
    rows.append(("metadata at most 1.2 bits per frame, at 1 GiB", "%.3f" % bits if bits else "-",
                 bits is not None and bits <= 1.2))
    worst = None
    for r in d.cells.values():
        if r["strategy"] != OURS or r["frames"] not in (262144, 4194304) or r["pattern"] in d.not_relative:
            continue
        best = min((median(o) for o in d.cells.values() if o["pattern"] == r["pattern"] and o["frames"] ==
                    r["frames"] and o.get("params") == r.get("params") and o["strategy"] in d.allocators
                    and median(o)), default=None)
        if best and median(r):
            x = median(r) / best
            worst = max(worst or (0, ""), (x, r["name"]))
    rows.append(("stretch: its single-CPU view within 2x of the fastest strategy in every single-threaded cell "
                 "at 1 GiB and 16 GiB", "worst %s (`%s`)" % (times(worst[0]), worst[1]) if worst else "-",
                 worst is not None and worst[0] <= 2))
    out = ["| goal | measured | met |", "|---|---|---|"]
    out += ["| %s | %s | %s |" % (g, m, "yes" if ok else "no") for g, m, ok in rows]
    return "\n".join(out) + "\n"


PARTS = {"peer": peer, "peer_goals": peer_goals, "choose": choose, "context": context, "summary": summary, "worst": worst, "churn": churn, "frag": frag,
         "threads": threads, "goals": goals, "goals_single": goals_single}
# The documents with generated parts, from the source tree's root.
DOCUMENTS = ("README.md", "docs/results.md", "docs/many-cores.md")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a document differs from the data")
    ap.add_argument("--results", default=os.path.join(ROOT, "results", "default.json"))
    ap.add_argument("--doc", action="append", help="a document to fill (default: %s)" % ", ".join(DOCUMENTS))
    a = ap.parse_args()
    try:
        d = Data(load(a.results))
    except (ResultsError, OSError, ValueError) as e:
        sys.exit("doc_figures: %s" % e)
    stale_all = []
    for doc in a.doc or [os.path.join(ROOT, p) for p in DOCUMENTS]:
        with open(doc) as f:
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
            sys.exit("doc_figures: %s: unknown generated part(s): %s" % (doc, ", ".join(unknown)))
        stale_all += ["%s: %s" % (os.path.relpath(doc, ROOT), ", ".join(stale))] if stale else []
        if stale and not a.check:
            with open(doc + ".tmp", "w") as f:
                f.write(out)
            os.replace(doc + ".tmp", doc)
    if a.check and stale_all:
        sys.exit("doc_figures: differ from %s: %s (run scripts/doc_figures.py)" % (a.results, "; ".join(stale_all)))
    print("doc_figures: %s" % ("agree with " + os.path.basename(a.results) if a.check
                               else "rewrote " + "; ".join(stale_all) if stale_all else "nothing to change"))


if __name__ == "__main__":
    main()
