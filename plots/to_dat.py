#!/usr/bin/env python3
"""Turn one framebench results file into gnuplot data, one set per figure.

Usage: to_dat.py RESULTS.json OUTDIR

Writes into OUTDIR:
  context.gp     where the numbers come from (file, commit, CPU), for a corner
  figures.list   one line per figure: "<gnuplot script> <figure name>"
  NAME.dat       the figure's numbers; NaN marks a skipped or unmeasured cell
  NAME.gp        the figure's variables: data file, strategies, title, ticks

Decisions about *what* to show (which size, which parameter) live here, where
they can be tested; the .gp scripts in plots/ only decide how it looks. A
skipped cell is written as NaN, never 0: gnuplot breaks a line at NaN (it
would join a line across a "missing" value), so a skip shows as a gap.
"""
import math
import os
import re
import sys

from results_file import ResultsError, load

HERE = os.path.dirname(os.path.abspath(__file__))
FRAMES_PER_GIB = 1 << 18
PATTERN_ORDER = ["fill", "free_all", "churn", "checkerboard", "worst", "lifo",
                 "runs", "trace", "boot", "harness"]
# The parameter each per-pattern figure shows; others fall back to the most
# common parameter set in the file. The title always names what was chosen.
DEFAULT_PARAMS = {"churn": {"occupancy": "900"}, "runs": {"run": "512", "frag": "0"}}
OP = {"fill": "alloc from empty until full", "free_all": "free, random order",
      "churn": "free of a random used frame + alloc",
      "checkerboard": "alloc back into even-frames-free map",
      "worst": "alloc of the last free frame", "lifo": "alloc or free, batches of 32",
      "runs": "aligned alloc_run + free_run", "trace": "replayed trace event",
      "boot": "frame of init-from-map + fill", "harness": "harness without allocator"}
NOT_RELATIVE = {"harness"}   # the harness has no allocator to compare


def known_strategies():
    """The fixed strategy table's order, read from style.gp (its one home)."""
    with open(os.path.join(HERE, "style.gp")) as fp:
        m = re.search(r'^KNOWN\s*=\s*"([^"]*)"', fp.read(), re.M)
    return m.group(1).split()


def pkey(params):
    return tuple(sorted((k, str(v)) for k, v in params.items()))


def size_text(frames):
    b = frames * 4096
    for unit, scale in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20)):
        if b >= scale:
            return "%g %s" % (round(b / scale, 2), unit)
    return "%d KiB" % (b >> 10)


def bytes_text(b):
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if b >= scale:
            return "%.3g %s" % (b / scale, unit)
    return "%d B" % b


def params_text(pattern, key):
    d = dict(key)
    if pattern == "churn" and "occupancy" in d:
        return "occupancy %g %%" % (int(d["occupancy"]) / 10)
    if pattern == "runs" and {"run", "frag"} <= d.keys():
        return "%s frames, %s %% fragmented" % (d["run"], d["frag"])
    if len(key) == 1 and key[0][0] in (pattern, "map"):
        return key[0][1]
    return ", ".join("%s %s" % kv for kv in key)


def gp_str(s):
    """A gnuplot double-quoted string literal."""
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def num(v):
    return "NaN" if v is None else repr(float(v))


class Data:
    """The results file indexed by cell, with the orders every figure shares."""

    def __init__(self, doc):
        self.ctx = doc["context"]
        self.cells = {}
        for r in doc["results"]:
            key = (r["pattern"], r["strategy"], r["frames"], pkey(r.get("params", {})))
            if key in self.cells:
                raise ValueError("two results rows for %s" % r.get("name", key))
            self.cells[key] = r
        self.skipped = [(s["pattern"], s["strategy"], s["frames"],
                         pkey(s.get("params", {}))) for s in doc.get("skipped", [])]
        known = known_strategies()
        names = {k[1] for k in self.cells} | {k[1] for k in self.skipped}
        self.strategies = [s for s in known if s in names] + \
            sorted(names - set(known))
        pats = {k[0] for k in self.cells}
        self.patterns = [p for p in PATTERN_ORDER if p in pats] + \
            sorted(pats - set(PATTERN_ORDER))

    def rows(self, pattern, key=None):
        return [r for k, r in self.cells.items()
                if k[0] == pattern and (key is None or k[3] == key)]

    def get(self, pattern, strategy, frames, key):
        return self.cells.get((pattern, strategy, frames, key))

    def listed(self, pattern):
        """Strategies with a row or a skipped cell for `pattern`."""
        have = {k[1] for k in self.cells if k[0] == pattern} | \
            {k[1] for k in self.skipped if k[0] == pattern}
        return [s for s in self.strategies if s in have]

    def present(self, rows):
        """Strategies with at least one row, in the fixed order."""
        have = {r["strategy"] for r in rows}
        return [s for s in self.strategies if s in have]

    def shown_params(self, pattern):
        """The parameter set a one-per-pattern figure shows."""
        rows = self.rows(pattern)
        counts = {}
        for r in rows:
            k = pkey(r.get("params", {}))
            counts[k] = counts.get(k, 0) + 1
        want = pkey(DEFAULT_PARAMS.get(pattern, {}))
        if want in counts:
            return want
        return min(counts, key=lambda k: (-counts[k], k))

    def skipped_note(self, cells, where, strats):
        """'; skipped: ctz at 16 GiB, 64 GiB; freelist everywhere' for the
        (pattern, frames, key) cells of one figure, or ''.

        `where(frames, key)` names a cell's place on the x axis; `strats`
        are the strategies the figure draws: any other skipped strategy
        has no line at all, and the title says so."""
        at = {}
        for p, s, f, k in self.skipped:
            if (p, f, k) in cells:
                at.setdefault(s, []).append(where(f, k))
        parts = ["%s %s" % (s, "at " + ", ".join(at[s]) if s in strats else "everywhere")
                 for s in self.strategies if s in at]
        return "; skipped: " + "; ".join(parts) if parts else ""


class Writer:
    """Writes figure data and variables, and lists the figures."""

    def __init__(self, outdir):
        self.outdir = outdir
        self.figures = []

    def figure(self, script, name, header, lines, variables):
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        dat = os.path.join(self.outdir, safe + ".dat")
        with open(dat, "w") as fp:
            fp.write("# " + header + "\n")
            fp.writelines(" ".join(map(str, l)) + "\n" for l in lines)
        variables = dict(variables, datafile=os.path.relpath(dat))
        with open(os.path.join(self.outdir, safe + ".gp"), "w") as fp:
            for k, v in variables.items():
                fp.write("%s = %s\n" % (k, gp_str(v) if isinstance(v, str) else v))
        self.figures.append((script, safe))

    def finish(self, ctx, source, strategies):
        self.strategies = strategies
        commit = str(ctx.get("git_commit") or "unknown")[:7]
        if ctx.get("git_dirty"):
            commit += " (dirty)"
        corner = "%s · commit %s · %s" % (os.path.basename(source), commit,
                                          ctx.get("cpu_model") or "CPU unknown")
        with open(os.path.join(self.outdir, "context.gp"), "w") as fp:
            fp.write("corner = %s\n" % gp_str(corner))
            fp.write("all_strats = %s\n" % gp_str(" ".join(self.strategies)))
        with open(os.path.join(self.outdir, "figures.list"), "w") as fp:
            fp.writelines("%s %s\n" % f for f in self.figures)


def xtics(labels_at):
    """A `set xtics (...)` list; gnuplot reads tick labels as formats: % is %%."""
    return "(" + ", ".join("%s %r" % (gp_str(l.replace("%", "%%")), x)
                           for l, x in labels_at) + ")"


def size_figures(d, w):
    """Per pattern: ns per op against region size, one line per strategy."""
    for pattern in d.patterns:
        key = d.shown_params(pattern)
        rows = d.rows(pattern, key)
        strats = d.present(rows)
        sizes = sorted({r["frames"] for r in rows})
        lines = []
        for f in sizes:
            line = [repr(f / FRAMES_PER_GIB)]
            for s in strats:
                r = d.get(pattern, s, f, key)
                ns = r["ns_per_op"] if r else {}
                line += [num(ns.get("median")), num(ns.get("min")), num(ns.get("max"))]
            lines.append(line)
        what = params_text(pattern, key)
        gaps = d.skipped_note({(pattern, f, key) for f in sizes},
                              lambda f, k: size_text(f), strats)
        title = "%s%s: ns per op (one op = %s) vs region size\n" \
                "median of %s repetitions, bars min–max%s" % (
                    pattern, " (%s)" % what if what else "", OP.get(pattern, "see results/README.md"),
                    d.ctx.get("repetitions", "?"), gaps)
        w.figure("size.gp", "size-" + pattern, "GiB then median min max per strategy: "
                 + " ".join(strats), lines,
                 {"strats": " ".join(strats), "fig_title": title,
                  "xmin": sizes[0] / FRAMES_PER_GIB / 1.6,
                  "xmax": sizes[-1] / FRAMES_PER_GIB * 1.6,
                  "xtics_def": xtics([(size_text(f), f / FRAMES_PER_GIB) for f in sizes])})


def churn_figure(d, w):
    """churn: ns per op against occupancy at the largest size."""
    rows = [r for r in d.rows("churn") if "occupancy" in r.get("params", {})]
    if not rows:
        return
    frames = max(r["frames"] for r in rows)
    occs = sorted({int(r["params"]["occupancy"]) for r in rows if r["frames"] == frames})
    strats = d.present([r for r in rows if r["frames"] == frames])
    lines = []
    for i, occ in enumerate(occs, 1):
        line = [i]
        for s in strats:
            r = d.get("churn", s, frames, pkey({"occupancy": occ}))
            ns = r["ns_per_op"] if r else {}
            line += [num(ns.get("median")), num(ns.get("min")), num(ns.get("max"))]
        lines.append(line)
    gaps = d.skipped_note({("churn", frames, pkey({"occupancy": o})) for o in occs},
                          lambda f, k: "%g %%" % (int(dict(k)["occupancy"]) / 10), strats)
    title = "churn at %s: ns per op (free a random used frame + alloc) vs occupancy\n" \
            "median of %s repetitions, bars min–max%s" % (
                size_text(frames), d.ctx.get("repetitions", "?"), gaps)
    w.figure("occupancy.gp", "churn-occupancy", "index then median min max per strategy: "
             + " ".join(strats), lines,
             {"strats": " ".join(strats), "fig_title": title,
              "npoints": len(occs),
              "xtics_def": xtics([("%g %%" % (o / 10), i) for i, o in enumerate(occs, 1)])})


def category_xtics(d, pattern, strats, present):
    """Strategy names as x ticks; a strategy without data says why not."""
    skipped = {k[1] for k in d.skipped if k[0] == pattern}
    return xtics([(s if s in present else s + (
        "\n(skipped)" if s in skipped else "\n(not measured)"), i)
        for i, s in enumerate(strats, 1)])


def latency_figures(d, w):
    """p50 / p99 / max per strategy for each pattern with a latency mode."""
    for pattern in d.patterns:
        key = d.shown_params(pattern)
        rows = [r for r in d.rows(pattern, key) if r.get("latency_ns")]
        if not rows:
            continue
        frames = max(r["frames"] for r in rows)
        strats = d.listed(pattern)
        lines, values = [], []
        for i, s in enumerate(strats, 1):
            r = d.get(pattern, s, frames, key)
            lat = (r or {}).get("latency_ns") or {}
            vals = [lat.get(k) for k in ("p50", "p99", "max")]
            values += [v for v in vals if v]
            lines.append([i] + [num(v) for v in vals])
        present = [s for s in strats if (d.get(pattern, s, frames, key) or {}).get("latency_ns")]
        what = params_text(pattern, key)
        title = "%s%s at %s: latency of one op (ns), p50 / p99 / max per strategy\n" \
                "from the latency mode's per-op cycle counts" % (
                    pattern, " (%s)" % what if what else "", size_text(frames))
        w.figure("latency.gp", "latency-" + pattern, "index p50 p99 max", lines,
                 {"strats": " ".join(strats), "fig_title": title,
                  "floor": 10 ** math.floor(math.log10(min(values or [2]) / 2)),
                  "xtics_def": category_xtics(d, pattern, strats, present)})


def runs_figure(d, w):
    """runs: 2 MiB runs left after fragmentation, and what a big run costs."""
    rows = [r for r in d.rows("runs") if {"run", "frag"} <= r.get("params", {}).keys()]
    if not rows:
        return
    frames = max(r["frames"] for r in rows)
    rows = [r for r in rows if r["frames"] == frames]
    run = max(int(r["params"]["run"]) for r in rows)
    frags = sorted({int(r["params"]["frag"]) for r in rows})
    strats = d.listed("runs")
    slots = frames // 512
    lines, present = [], set()
    for i, s in enumerate(strats, 1):
        line = [i]
        for frag in frags:
            r = d.get("runs", s, frames, pkey({"run": run, "frag": frag})) or {}
            left = r.get("runs_2m_free")
            ns = r.get("ns_per_op", {})
            if r:
                present.add(s)
            line += [num(None if left is None else 100.0 * left / slots),
                     gp_str("n/a" if left is None else str(left)) if r else '""',
                     num(ns.get("median")), num(ns.get("min")), num(ns.get("max"))]
        lines.append(line)
    title = "runs at %s: 2 MiB runs left after fragmenting, and the cost of %d-frame aligned runs" \
        % (size_text(frames), run)
    w.figure("runs.gp", "runs", "index then per frag (%s): pct_2m_left count median min max"
             % " ".join(map(str, frags)), lines,
             {"strats": " ".join(strats), "fig_title": title, "run": run,
              "frags": " ".join(map(str, frags)), "slots": slots,
              "size_text": size_text(frames),
              "xtics_def": category_xtics(d, "runs", strats, present)})


def metadata_figure(d, w):
    """Metadata bytes per GiB managed, per strategy, at the largest size."""
    best = {}
    for r in d.cells.values():
        if r.get("meta_bytes_per_gib") is not None:
            s = r["strategy"]
            if s not in best or r["frames"] > best[s]["frames"]:
                best[s] = r
    if not best:
        return
    strats = [s for s in d.strategies if s in best]
    values = [best[s]["meta_bytes_per_gib"] for s in strats]
    lines = [[i, num(b), gp_str(bytes_text(b))] for i, b in enumerate(values, 1)]
    sizes = sorted({size_text(best[s]["frames"]) for s in strats})
    title = "Metadata: bytes of allocator state per GiB managed (at %s)\n" \
            "1 bit per 4 KiB frame is 32 KiB per GiB" % ", ".join(sizes)
    # Power-of-two ticks with IEC names (gnuplot's %B would say "kiB").
    floor = 2 ** math.floor(math.log2(max(min(values), 1) / 4))
    ticks, t = [], floor
    while t <= max(values) * 4:
        ticks.append((bytes_text(t), t))
        t *= 4
    w.figure("metadata.gp", "metadata", "index bytes_per_gib label", lines,
             {"strats": " ".join(strats), "fig_title": title, "floor": floor,
              "ytics_def": xtics(ticks),
              "xtics_def": xtics([("%s\n%.3g bit/frame" % (s, b * 8 / FRAMES_PER_GIB), i)
                                  for i, (s, b) in enumerate(zip(strats, values), 1)])})


def summary_figure(d, w):
    """Each strategy's cost relative to a baseline on every pattern, one size."""
    pats = [p for p in d.patterns if p not in NOT_RELATIVE]
    keys = {p: d.shown_params(p) for p in pats}
    base = next((b for b in ("linear", "freelist") if any(
        k[1] == b for k in d.cells)), d.strategies[0])

    def covered(f):
        return sum(1 for p in pats if d.get(p, base, f, keys[p]))
    frames = max({k[2] for k in d.cells if k[1] == base}, key=lambda f: (covered(f), f))
    strats = [s for s in d.strategies if s != base and any(
        k[1] == s and k[0] in pats for k in d.cells)]
    if not strats:
        sys.stderr.write("plots: no summary figure: no strategy but %s to compare\n" % base)
        return
    lines, ticks = [], []
    for i, p in enumerate(pats, 1):
        f = frames
        sizes = {r["frames"] for r in d.rows(p, keys[p])}
        parts = [p, params_text(p, keys[p]).replace(", ", "\n")]
        if f not in sizes and len(sizes) == 1:   # trace, boot: their input fixes the size
            f = next(iter(sizes))
            parts.append("at " + size_text(f))
        b = d.get(p, base, f, keys[p])
        if b is None:
            parts.append("(no %s)" % base)
        label = "\n".join(x for x in parts if x)
        if len(label) > 45:   # gnuplot cuts tick labels near 50 bytes
            label = "\n".join(x for x in parts[:1] + parts[2:] if x)
        line = [i]
        for s in strats:
            r = d.get(p, s, f, keys[p])
            line.append(num(r["ns_per_op"]["median"] / b["ns_per_op"]["median"]
                            if r and b else None))
            # 1 marks a cell the run skipped, so the figure can say so.
            line.append(1 if (p, s, f, keys[p]) in d.skipped else 0)
        lines.append(line)
        ticks.append((label, i))
    ratios = [float(v) for l in lines for v in l[1::2] if v != "NaN"] + [1.0]
    note = "" if base == "linear" else " (linear is not in this file)"
    title = "Cost relative to %s%s at %s: median ns per op ÷ %s's, per pattern\n" \
            "below 1: faster than %s; above 1: slower" % (
                base, note, size_text(frames), base, base)
    w.figure("summary.gp", "summary", "index then ratio, skipped (0/1) per strategy: " + " ".join(strats),
             lines, {"strats": " ".join(strats), "fig_title": title, "base": base,
                     "npat": len(pats), "xtics_def": xtics(ticks),
                     # whole decades, with 1 (the baseline) always inside
                     "ymin": 10 ** math.floor(math.log10(min(ratios)) - 0.3),
                     "ymax": 10 ** math.ceil(math.log10(max(ratios)) + 0.3)})


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: to_dat.py RESULTS.json OUTDIR\n")
        return 2
    path, outdir = argv[1], argv[2]
    try:
        d = Data(load(path))
    except ResultsError as e:
        sys.stderr.write("plots: %s\n" % e)
        return 1
    except ValueError as e:
        sys.stderr.write("plots: %s: %s\n" % (path, e))
        return 1
    w = Writer(outdir)
    for make in (summary_figure, size_figures, churn_figure, latency_figures,
                 runs_figure, metadata_figure):
        make(d, w)
    w.finish(d.ctx, path, d.strategies)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
