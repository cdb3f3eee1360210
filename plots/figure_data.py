"""What each figure shows: one function per kind of figure.

Each picks its cells (which size, which parameter set), computes what is
drawn, and hands rows and variables to the Writer. A skipped or unmeasured
cell is NaN, never 0.
"""
import math
import sys

from cells import FRAMES_PER_GIB, pkey, size_text, bytes_text
from gp_out import gp_str, num, xtics

def bars(ns):
    """median, low, high of a row's ns_per_op: the bars are the median's
    confidence interval where the row states it (bench/precision.h), else
    the repetitions' min and max."""
    if "ci_low" in ns:
        return [num(ns.get("median")), num(ns.get("ci_low")), num(ns.get("ci_high"))]
    return [num(ns.get("median")), num(ns.get("min")), num(ns.get("max"))]


def bars_text(d):
    """What the points and bars are, for a figure's title."""
    least, most = d.ctx.get("repetitions", "?"), d.ctx.get("max_repetitions")
    if most is None:
        return "median of %s repetitions, bars min–max" % least
    reps = least if least == most else "%s–%s" % (least, most)
    return "median of %s repetitions, bars its 95 %% confidence interval" % reps


def size_figures(d, w):
    """Per pattern: ns per op against region size, one line per strategy;
    none where the run had one size (a point a line says nothing the
    summary does not)."""
    all_sizes = {k[2] for k in d.cells if k[0] not in d.input_patterns}
    if len(all_sizes) == 1:
        sys.stderr.write("plots: one region size (%s): no size figures; the summary and choose figures "
                         "compare the strategies\n" % size_text(next(iter(all_sizes))))
        return
    for pattern in d.patterns:
        key = d.shown_params(pattern)
        rows = d.rows(pattern, key)
        strats = d.present(rows)
        sizes = sorted({r["frames"] for r in rows})
        if pattern in d.input_patterns:   # trace, boot: the input fixes the size; the summary shows them
            continue
        lines = []
        for f in sizes:
            line = [repr(f / FRAMES_PER_GIB)]
            for s in strats:
                r = d.get(pattern, s, f, key)
                ns = r["ns_per_op"] if r else {}
                line += bars(ns)
            lines.append(line)
        what = d.params_text(pattern, key)
        gaps = d.skipped_note({(pattern, f, key) for f in sizes},
                              lambda f, k: size_text(f), strats)
        gaps += d.missed_note({(pattern, f, key) for f in sizes}, lambda f, k: size_text(f), strats)
        title = "%s%s: ns per op (one op = %s) vs region size\n" \
                "%s%s" % (
                    pattern, " (%s)" % what if what else "", d.op.get(pattern, "see results/README.md"),
                    bars_text(d), gaps)
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
            line += bars(ns)
        lines.append(line)
    gaps = d.skipped_note({("churn", frames, pkey({"occupancy": o})) for o in occs},
                          lambda f, k: "%g %%" % (int(dict(k)["occupancy"]) / 10), strats)
    gaps += d.missed_note({("churn", frames, pkey({"occupancy": o})) for o in occs},
                          lambda f, k: "%g %%" % (int(dict(k)["occupancy"]) / 10), strats)
    title = "churn at %s: ns per op (free a random used frame + alloc) vs occupancy\n" \
            "%s%s" % (size_text(frames), bars_text(d), gaps)
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
    """p50 / p99 / p99.9 bars per strategy for each pattern with a latency
    mode, the maximum of the kept samples as a mark; samples the host or an
    interrupt took are counted in the title, not drawn."""
    for pattern in d.patterns:
        key = d.shown_params(pattern)
        rows = [r for r in d.rows(pattern, key) if r.get("latency_ns")]
        if not rows:
            continue
        frames = max(r["frames"] for r in rows)
        strats = d.listed(pattern)
        lines, values, interrupted, samples = [], [], 0, 0
        for i, s in enumerate(strats, 1):
            r = d.get(pattern, s, frames, key) or {}
            lat = r.get("latency_ns") or {}
            vals = [lat.get(k) for k in ("p50", "p99", "p999", "max")]
            values += [v for v in vals if v]
            interrupted += r.get("latency_interrupted") or 0
            samples += (r.get("latency_samples") or 0) * (r.get("repetitions") or 0) if lat else 0
            lines.append([i] + [num(v) for v in vals])
        present = [s for s in strats if (d.get(pattern, s, frames, key) or {}).get("latency_ns")]
        what = d.params_text(pattern, key)
        of = " of %d" % samples if samples else ""
        title = "%s%s at %s: latency of one op (ns), p50 / p99 / p99.9 per strategy, max marked\n" \
                "%d%s samples taken by the host or an interrupt (> 20x p50 and > 10 us) counted apart" % (
                    pattern, " (%s)" % what if what else "", size_text(frames), interrupted, of)
        w.figure("latency.gp", "latency-" + pattern, "index p50 p99 p999 max", lines,
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
                     *bars(ns)]
        lines.append(line)
    # Where every strategy leaves the same 2 MiB runs (the pattern frees
    # the same frames for all), that panel compares nothing: the title
    # says the count once and the cost panel takes the width.
    left = {}
    for r in rows:
        if int(r["params"]["run"]) == run:
            left.setdefault(int(r["params"]["frag"]), set()).add(r.get("runs_2m_free"))
    alike = all(len(v) == 1 and None not in v for v in left.values())
    if alike:
        title = "runs at %s: the cost of %d-frame aligned runs\nafter fragmenting, every strategy leaves %s " \
                "of the region's %d 2 MiB runs free" % (
                    size_text(frames), run, ", ".join("%d at %d %%" % (next(iter(left[f])), f) for f in frags), slots)
    else:
        title = "runs at %s: 2 MiB runs left after fragmenting, and the cost of %d-frame aligned runs" \
            % (size_text(frames), run)
    w.figure("runs.gp", "runs", "index then per frag (%s): pct_2m_left count median min max"
             % " ".join(map(str, frags)), lines,
             {"strats": " ".join(strats), "fig_title": title, "run": run, "one_panel": int(alike),
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
    # The harness's stand-in (`none`) is no allocator: it has no metadata to show.
    strats = [s for s in d.allocators if s in best]
    if not strats:
        return
    values = [best[s]["meta_bytes_per_gib"] for s in strats]
    lines = [[i, num(b), gp_str(bytes_text(b))] for i, b in enumerate(values, 1)]
    sizes = sorted({size_text(best[s]["frames"]) for s in strats})
    title = "Metadata: bytes of allocator state per GiB managed (at %s)\n" \
            "1 bit per 4 KiB frame is 32 KiB per GiB" % ", ".join(sizes)
    # Power-of-two ticks with IEC names (gnuplot's %B would say "kiB").
    floor = max(2 ** math.floor(math.log2(max(min(values), 1) / 4)), 1)
    ticks, t = [], floor
    while t <= max(values) * 4:
        ticks.append((bytes_text(t), t))
        t *= 4
    w.figure("metadata.gp", "metadata", "index bytes_per_gib label", lines,
             {"strats": " ".join(strats), "fig_title": title, "floor": floor,
              "ytics_def": xtics(ticks),
              "xtics_def": xtics([("%s\n%.3g bit/frame" % (s, b * 8 / FRAMES_PER_GIB), i)
                                  for i, (s, b) in enumerate(zip(strats, values), 1)])})


# The summary's baseline when draw is given none: a real contender first;
# linear, the seed's strawman, stays on the figure as one of the strategies.
DEFAULT_BASELINES = ("nextfit", "linear", "freelist")


def summary_basis(d, quiet=False):
    """What the summary (and the choice figure) compare: (compared patterns,
    their shown params, the baseline, the size), or None with the reason
    said on stderr."""
    pats = [p for p in d.patterns if p not in d.not_relative]
    keys = {p: d.shown_params(p) for p in pats}
    # The baseline: the one asked for (draw --baseline), else a real
    # contender (nextfit), else linear, freelist or the first strategy, each
    # only where it has a measured cell on a pattern the figure shows.
    measured = [s for s in d.strategies if any(k[1] == s and k[0] in pats for k in d.cells)]
    if not measured:
        if not quiet:
            sys.stderr.write("plots: no summary figure: no measured cell on a pattern compared across "
                             "strategies\n")
        return None
    if d.baseline and d.baseline not in measured:
        raise ValueError("--baseline %s: no measured cell of that strategy on a compared pattern "
                         "(measured: %s)" % (d.baseline, ", ".join(measured)))
    base = d.baseline or next((b for b in DEFAULT_BASELINES if b in measured), measured[0])

    def covered(f):
        return sum(1 for p in pats if d.get(p, base, f, keys[p]))
    frames = max({k[2] for k in d.cells if k[1] == base and k[0] in pats}, key=lambda f: (covered(f), f))
    return pats, keys, base, frames


def cell_at(d, p, s, frames, key):
    """The cell of p at `frames`, or at the one size its input fixes."""
    sizes = {r["frames"] for r in d.rows(p, key)}
    f = next(iter(sizes)) if frames not in sizes and len(sizes) == 1 else frames
    return d.get(p, s, f, key), f


def summary_figure(d, w):
    """Each strategy's cost relative to a baseline on every pattern, one size."""
    basis = summary_basis(d)
    if basis is None:
        return
    pats, keys, base, frames = basis
    strats = [s for s in d.strategies if s != base and any(
        k[1] == s and k[0] in pats for k in d.cells)]
    if not strats:
        sys.stderr.write("plots: no summary figure: no strategy but %s to compare\n" % base)
        return
    lines, ticks = [], []
    for i, p in enumerate(pats, 1):
        f = frames
        sizes = {r["frames"] for r in d.rows(p, keys[p])}
        parts = [p, d.params_text(p, keys[p]).replace(", ", "\n")]
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
    wanted = d.baseline or DEFAULT_BASELINES[0]
    note = "" if base == wanted else " (%s is not in this file)" % wanted if wanted not in d.strategies \
        else " (%s has no measured cell here)" % wanted
    title = "Cost relative to %s%s at %s: median ns per op ÷ %s's, per pattern\n" \
            "below 1: faster than %s; above 1: slower" % (
                base, note, size_text(frames), base, base)
    w.figure("summary.gp", "summary", "index then ratio, skipped (0/1) per strategy: " + " ".join(strats),
             lines, {"strats": " ".join(strats), "fig_title": title, "base": base,
                     "npat": len(pats), "xtics_def": xtics(ticks),
                     "nskipped": sum(int(v) for l in lines for v in l[2::2]),
                     # whole decades, with 1 (the baseline) always inside
                     "ymin": 10 ** math.floor(math.log10(min(ratios)) - 0.3),
                     "ymax": 10 ** math.ceil(math.log10(max(ratios)) + 0.3)})


def frag_figure(d, w):
    """frag: free 2 MiB blocks (share of the possible) against iteration, one
    line per strategy, at the largest size with the most strategies."""
    rows = [r for r in d.rows("frag") if r.get("series")]
    if not rows:
        return
    count = {}
    for r in rows:
        count[r["frames"]] = count.get(r["frames"], 0) + 1
    frames = max(count, key=lambda f: (count[f], f))
    rows = [r for r in rows if r["frames"] == frames]
    strats = d.present(rows)
    by = {r["strategy"]: r["series"] for r in rows}
    n = max(s["iterations"] for s in by.values())
    # Strategies that place every frame alike draw one line, named for all
    # of them ("linear=ctz=tree"), in the first one's colour.
    groups = {}
    for st in strats:
        groups.setdefault(tuple(by[st]["free_2m_share"]), []).append(st)
    lines_of = list(groups.values())
    lines = []
    for i in range(n):
        line = [i + 1]
        for g in lines_of:
            v = by[g[0]]["free_2m_share"]
            line.append(num(100 * v[i]) if i < len(v) else "NaN")
        lines.append(line)
    order0 = [st for st in strats if not by[st]["orders"].startswith("0,")]
    note = "; %s: order 0 only (no alloc_run)" % ", ".join(order0) if order0 else ""
    orders = next((by[st]["orders"] for st in strats if st not in order0), "0")
    alike = any(len(g) > 1 for g in lines_of)
    title = "frag at %s: aligned 2 MiB blocks wholly free after each iteration\n" \
            "90 %% filled (orders %s), half freed at random, then each iteration frees and reallocates " \
            "10 %%%s%s" % (size_text(frames), orders, note,
                           "; strategies that place alike share a line (a=b)" if alike else "")
    w.figure("frag.gp", "frag", "iteration then % of 2 MiB blocks free per line: " +
             " ".join("=".join(g) for g in lines_of),
             lines, {"strats": " ".join(g[0] for g in lines_of), "labels": " ".join("=".join(g) for g in lines_of),
                     "fig_title": title, "niter": n, "blocks": frames // 512})


def times(x):
    """A ratio as a reader says it: 0.59x, 2.6x, 43x, 7720x."""
    return "%.2gx" % x if x < 100 else "%.0fx" % x


def choose_rows(d):
    """Which strategy, as numbers: (size, patterns compared, frag's size,
    rows) or None.  A row per allocator, cheapest first: its typical cost
    (the geometric mean over the summary's patterns of its ns per op over
    the fastest strategy's on that pattern), its worst pattern and ratio,
    the patterns it has no cell on, its metadata in bits per frame and the
    share of 2 MiB blocks left after frag.  Against the fastest per
    pattern, not one baseline: a baseline's own worst pattern would read 1x
    and discount every other strategy's mean."""
    basis = summary_basis(d, quiet=True)
    if basis is None:
        return None
    pats, keys, base, _ = basis
    # Its own size: where the most (pattern, strategy) pairs of the compared
    # patterns were measured (then the larger), so that few strategies'
    # means leave out the patterns the run skipped for them; pairs, not
    # cells, so that a size with every variant of a pattern does not win
    # for that alone.
    sized = [p for p in pats if p not in d.input_patterns]

    def measured_at(f):
        return len({(k[0], k[1]) for k in d.cells if k[0] in sized and k[2] == f})
    frames = max({k[2] for k in d.cells if k[1] == base and k[0] in pats},
                 key=lambda f: (measured_at(f), f))
    frag_share, frag_at = {}, None
    frag_rows = [r for r in d.rows("frag") if "free_2m_share" in r]
    if frag_rows:
        count = {}
        for r in frag_rows:
            count[r["frames"]] = count.get(r["frames"], 0) + 1
        frag_at = max(count, key=lambda f: (count[f], f))
        frag_share = {r["strategy"]: r["free_2m_share"] for r in frag_rows if r["frames"] == frag_at}
    cost = {(p, s): r["ns_per_op"]["median"] for p in pats for s in d.allocators
            for r in [cell_at(d, p, s, frames, keys[p])[0]] if r}
    best = {p: min(v for (q, _), v in cost.items() if q == p) for p in pats if any(q == p for q, _ in cost)}
    rows = []
    for s in d.allocators:
        ratios = [(cost[(p, s)] / best[p], p) for p in pats if (p, s) in cost]
        by_size = sorted((r["frames"] != frames, -r["frames"], r["meta_bytes_per_gib"]) for r in d.cells.values()
                         if r["strategy"] == s and r.get("meta_bytes_per_gib"))
        meta = by_size[0][2] if by_size else None   # at the figure's size, else the largest
        if ratios and meta:
            worst, wp = max(ratios)
            rows.append({"strategy": s, "typical": math.exp(sum(math.log(x) for x, _ in ratios) / len(ratios)),
                         "worst": worst, "worst_pattern": wp, "missing": [p for p in pats if (p, s) not in cost],
                         "bits": meta * 8 / FRAMES_PER_GIB, "free_2m": frag_share.get(s)})
    rows.sort(key=lambda r: (r["typical"], r["strategy"]))
    return frames, pats, frag_at, rows


def choose_figure(d, w):
    """Which strategy, on one page (choose_rows): per allocator its typical
    cost, a line out to its worst pattern's ratio, its metadata and its
    2 MiB blocks left after frag under its name, the marker filled by the
    latter."""
    chosen = choose_rows(d)
    if chosen is None or len(chosen[3]) < 2:
        return
    frames, pats, frag_at, rows = chosen
    lines, ticks, names = [], [], []
    for i, r in enumerate(rows, 1):
        gaps = "; not measured: %s" % ", ".join(r["missing"]) if r["missing"] else ""
        share = r["free_2m"]
        lines.append([i, num(r["typical"]), num(r["worst"]), num(100 * share if share is not None else None),
                      gp_str("typical %s; worst: %s, %s%s" % (times(r["typical"]), r["worst_pattern"],
                                                              times(r["worst"]), gaps))])
        ticks.append(("%s\n%.3g bit/frame, 2 MiB free %s" % (
            r["strategy"], r["bits"], "%.0f %%" % (100 * share) if share is not None else "n/a"), i))
        names.append(r["strategy"])
    title = "Which strategy at %s: its cost on %d patterns, each ÷ the fastest strategy's on that pattern\n" \
            "marker the geometric mean, line to its worst pattern; under its name its metadata and the " \
            "2 MiB blocks free after frag%s" % (size_text(frames), len(pats),
                                                 " at " + size_text(frag_at) if frag_at else "")
    values = [v for r in rows for v in (r["typical"], r["worst"])]
    w.figure("choose.gp", "choose", "rank geomean_ratio worst_ratio frag_2m_pct label", lines,
             {"strats": " ".join(names), "fig_title": title, "n": len(rows),
              "xmin": min(values) / 1.6,
              "xmax": 10 ** math.ceil(math.log10(max(values)) + 0.6),
              "ytics_def": xtics(ticks)})


def scaling_figure(d, w):
    """scaling: per threaded pattern, aggregate throughput (top) and each
    thread's ns per op (bottom) against threads, one line per strategy, at
    the size with the most threaded rows."""
    if not d.threaded:
        return
    count = {}
    for r in d.threaded:
        count[r["frames"]] = count.get(r["frames"], 0) + 1
    frames = max(count, key=lambda f: (count[f], f))
    rows = [r for r in d.threaded if r["frames"] == frames]
    pats = []
    for r in rows:
        if r["pattern"] not in pats:
            pats.append(r["pattern"])
    strats = [s for s in d.strategies if any(r["strategy"] == s for r in rows)]
    strats += sorted({r["strategy"] for r in rows} - set(strats))
    threads = sorted({r["threads"] for r in rows})
    if len(threads) < 2:   # one point a line: nothing scales, and gnuplot finds its ranges empty
        sys.stderr.write("plots: no scaling figure: the threaded cells ran at %d thread(s) alone\n" % threads[0])
        return
    by = {(r["pattern"], r["strategy"], r["threads"]): r for r in rows}
    lines = []
    for pi, pat in enumerate(pats):
        for t in threads:
            line = [pi, t]
            for st in strats:
                r = by.get((pat, st, t))
                line += [num(r["ops_per_s"] / 1e6), num(r["thread_ns_per_op"]["median"])] if r else ["NaN", "NaN"]
            lines.append(line)
    phases = {r["pattern"]: r.get("phase", "") for r in rows}
    # One y range per row, whole decades: panels side by side compare.
    mops = [r["ops_per_s"] / 1e6 for r in rows if r.get("ops_per_s")]
    ns = [r["thread_ns_per_op"]["median"] for r in rows if r.get("thread_ns_per_op", {}).get("median")]

    def decades(v):
        return (10 ** math.floor(math.log10(min(v))), 10 ** math.ceil(math.log10(max(v)))) if v else (1, 10)
    (mops_lo, mops_hi), (ns_lo, ns_hi) = decades(mops), decades(ns)
    title = "Many cores at %s: all threads' throughput and each thread's cost\n" \
            "threads pinned one per CPU (this machine: %s); nextfit: the unlocked one-thread yardstick" \
            % (size_text(frames), d.ctx.get("num_cpus", "?"))
    w.figure("scaling.gp", "scaling", "pattern_index threads then per strategy: Mops/s thread_ns (" +
             " ".join(strats) + ")", lines,
             {"strats": " ".join(strats), "pats": " ".join(pats), "fig_title": title,
              "phases": " ".join(phases[p].replace(" ", "_") for p in pats),
              "tmax": max(threads), "npat": len(pats), "mops_lo": mops_lo, "mops_hi": mops_hi,
              "ns_lo": ns_lo, "ns_hi": ns_hi})


# In figures.list order: the summary first, as a reader should see it.
FIGURES = (choose_figure, summary_figure, size_figures, churn_figure, latency_figures,
           runs_figure, frag_figure, scaling_figure, metadata_figure)
