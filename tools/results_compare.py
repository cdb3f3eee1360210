"""Comparisons of framebench results files (schema framebench-results/2),
for tools/compare: two runs cell by cell, or strategies within one run.

Both speak in ratios of medians.  Two runs: every cell with enough
repetitions on both sides is tested (Welch's t-test on the logarithms of its
repetitions), the tests corrected together for their number
(Benjamini-Hochberg), and a cell changed only where it is significant after
that, beyond --threshold, and beyond its own precision (the 95 % confidence
intervals of the two medians do not overlap).  A pair of runs in which no
cell can be tested gets no verdict, never "OK".
"""
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "plots"))
import results_file  # noqa: E402
from cells import size_text  # noqa: E402

RESULTS_SCHEMA = results_file.SCHEMA
# Fewest repetitions a side for a test: with fewer, the medians' intervals
# (order statistics) cover under 90 %, and a t-test on 4 samples is mostly
# its assumptions.  framebench's default matrix runs 5 or more.
MIN_TEST_REPS = 5
# Exit codes of tools/compare: no regression, a regression, the files
# cannot be compared, nothing in them could be tested.
EXIT_OK, EXIT_FAIL, EXIT_REFUSED, EXIT_NO_VERDICT = 0, 1, 2, 3


class Refused(Exception):
    """The file or files cannot be compared; the message says why (exit 2)."""


class NoVerdict(Exception):
    """The files compare, but no cell in them can be tested (exit 3)."""


def load(path):
    """A checked results file: refused with the reason when it is not one."""
    try:
        doc = results_file.load_strict(path)
    except OSError as e:
        raise Refused(f"{path}: cannot read: {e.strerror}")
    except ValueError as e:
        raise Refused(f"{path}: not a valid results file: {e}")
    problems = results_file.validate(doc)
    if problems:
        raise Refused(f"{path}: {problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    return doc


def is_results_file(path):
    """True when `path` parses as JSON whose schema is a framebench results schema."""
    try:
        doc = results_file.load_strict(path)
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and str(doc.get("schema", "")).startswith("framebench-results/")


def cells(doc):
    """name -> {row fields, "samples": per-repetition ns per op, "threaded": bool},
    the threaded rows beside the others: one kind of cell to compare."""
    samples = {}
    for b in doc.get("benchmarks", []):
        if isinstance(b, dict) and isinstance(b.get("real_time"), (int, float)):
            samples.setdefault(b.get("name"), []).append(b["real_time"])
    out = {}
    for key in ("results", "threaded"):
        for r in doc.get(key, []):
            out[r["name"]] = dict(r, samples=samples.get(r["name"], []), threaded=key == "threaded")
    return out


def median_interval(samples):
    """The 95 % confidence interval of the median by order statistics (as
    framebench's rows state it: bench/precision.h), min..max below 6."""
    s = sorted(samples)
    n = len(s)
    k = 1
    while k + 1 <= (n + 1) // 2 and 1 - 2 * _binom_cdf_half(n, k) >= 0.95:
        k += 1
    return s[k - 1], s[n - k]


def _binom_cdf_half(n, k):
    return sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n


def ratio_range(num, den):
    """(median ratio, lowest, highest) of num / den from their ns_per_op spreads."""
    n, d = num["ns_per_op"], den["ns_per_op"]
    return n["median"] / d["median"], n["min"] / d["max"], n["max"] / d["min"]


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def min_reps_for(alpha):
    """Fewest samples per side for which a two-sided Mann-Whitney U test can
    reject at alpha (its smallest p with n + n samples is 2 / C(2n, n));
    tools/measure sizes its interleaved runs by it."""
    n = 1
    while 2 / math.comb(2 * n, n) >= alpha:
        n += 1
    return n


def welch_p(a, b):
    """Two-sided p of Welch's t-test on the logarithms (a ratio is what
    changes; a log makes a 2x slower and a 2x faster cell alike)."""
    from scipy.stats import ttest_ind  # here: a missing scipy is a refusal, not a crash
    la, lb = [math.log(x) for x in a], [math.log(x) for x in b]
    if statistics.pvariance(la) == 0 and statistics.pvariance(lb) == 0:
        return 1.0 if statistics.mean(la) == statistics.mean(lb) else 0.0
    p = ttest_ind(la, lb, equal_var=False).pvalue
    return 1.0 if math.isnan(p) else float(p)


def benjamini_hochberg(pvalues, q):
    """Indexes of the p-values that are discoveries at false discovery rate q."""
    order = sorted(range(len(pvalues)), key=lambda i: pvalues[i])
    m, last = len(pvalues), 0
    for rank, i in enumerate(order, 1):
        if pvalues[i] <= rank * q / m:
            last = rank
    return set(order[:last])


def no_test_reason(rows, need):
    """Why the untested cells have no test, in one line."""
    few = [r for r in rows if r["verdict"] == "untested"]
    have = sorted({min(r["nb"], r["nh"]) for r in few})
    return (f"{len(few)} cells have fewer than {need} repetitions on a side (they have "
            f"{', '.join(map(str, have))}); run framebench with --repetitions {need} or more")


def judge(base_cells, head_cells, threshold_pct, alpha):
    """One row per cell in both runs, with its test and verdict."""
    rows = []
    for name in sorted(set(base_cells) & set(head_cells)):
        b, h = base_cells[name], head_cells[name]
        bs, hs = b["samples"], h["samples"]
        r, lo, hi = ratio_range(h, b)
        row = dict(name=name, strategy=b["strategy"], threaded=b["threaded"], ratio=r, lo=lo, hi=hi,
                   nb=len(bs), nh=len(hs), p=None, verdict="untested")
        if b["threaded"] and b.get("ops_per_s") and h.get("ops_per_s"):
            row["throughput"] = h["ops_per_s"] / b["ops_per_s"]
        if bool(b.get("fill_skipped")) != bool(h.get("fill_skipped")):
            # The cost model put boot's fill over the budget in one run only
            # (its probe moves between runs): init alone against init and fill.
            row["verdict"] = "not comparable"
            row["why"] = f"fill skipped in the {'base' if b.get('fill_skipped') else 'head'} run only"
        elif min(len(bs), len(hs)) >= MIN_TEST_REPS:
            row["p"] = welch_p(bs, hs)
            (bl, bh), (hl, hh) = median_interval(bs), median_interval(hs)
            row["apart"] = hl > bh or hh < bl  # beyond both medians' precision
            row["verdict"] = "unchanged"
        rows.append(row)
    tested = [x for x in rows if x["p"] is not None]
    found = benjamini_hochberg([x["p"] for x in tested], alpha)
    between_run_p(tested, base_cells)
    outliers = benjamini_hochberg([x["p_between"] for x in tested], alpha)
    for i, x in enumerate(tested):
        x["significant"] = i in found and i in outliers
        moved = x["ratio"] / x["kind_shift"]
        if x["significant"] and x["apart"] and abs(moved - 1) * 100 > threshold_pct:
            x["verdict"] = "regression" if moved > 1 else "improvement"
    return rows


def kind_of(cell):
    """Cells that move together between two runs of one binary: the
    single-threaded ones, the threaded ones at one thread, and those at
    more (on a machine with few CPUs, one descheduled thread stalls the
    others at a lock or a barrier)."""
    if not cell["threaded"]:
        return "single-threaded"
    return "one thread" if cell.get("threads") == 1 else "several threads"


MIN_KIND = 8  # fewer cells of a kind: their spread is taken from all cells
# Fewer strategies: one that changed is half the cells or more, and the
# median move is its own; no between-run test then.
MIN_STRATEGIES = 3


def between_run_p(tested, base_cells):
    """Per cell, p_between: the two-sided p that its move is one of its
    kind's moves between the two runs.

    A cell's repetitions see the noise within one run; two runs of one
    binary also differ as wholes (measured with tools/calibrate: the host
    slower for a minute, a 2-CPU guest losing a CPU to its host), and cells
    of a kind move together.  So each kind's moves are centred on their
    median (kind_shift) and scaled by 1.4826 times their median absolute
    deviation, a spread a few cells that really changed do not inflate; a
    cell changed only when it stands out of that (normal tails), as well
    as passing its own test."""
    by_kind, strategies = {}, {}
    for x in tested:
        x["kind"] = kind_of(base_cells[x["name"]])
        by_kind.setdefault(x["kind"], []).append(math.log(x["ratio"]))
        strategies.setdefault(x["kind"], set()).add(x["strategy"])
    every = [v for vs in by_kind.values() for v in vs]
    for x in tested:
        big = len(by_kind[x["kind"]]) >= MIN_KIND
        logs = by_kind[x["kind"]] if big else every
        if len(strategies[x["kind"]] if big else set().union(*strategies.values())) < MIN_STRATEGIES:
            # One strategy's change would be half the cells: no telling it
            # from the run's move.  Each cell's own test alone.
            x["kind_shift"], x["p_between"], x["kind_judged"] = 1.0, 0.0, False
            continue
        x["kind_judged"] = True
        mid = statistics.median(logs)
        scale = 1.4826 * statistics.median(abs(v - mid) for v in logs)
        x["kind_shift"] = math.exp(mid)
        z = abs(math.log(x["ratio"]) - mid) / max(scale, 1e-9)
        x["p_between"] = math.erfc(z / math.sqrt(2))


def cell_table(rows):
    out = ["| cell | head / base | range | p | verdict |", "|---|---:|---|---:|---|"]
    for x in rows:
        p = "" if x["p"] is None else f"{x['p']:.2g}"
        tp = f" (throughput {x['throughput']:.3f}x)" if "throughput" in x else ""
        out.append(f"| `{x['name']}` | {x['ratio']:.3f}x{tp} | {x['lo']:.3f}–{x['hi']:.3f} | {p} | "
                   f"{x['verdict']} |")
    return out


def by_size_of_change(rows):
    return sorted(rows, key=lambda x: -abs(math.log(x["ratio"])))


def run_shift(tested, threshold_pct):
    """A warning when the whole run moved, or None.  The repetitions of a
    cell sample its own noise within one run; a machine that is slower for a
    whole run (another load, the host) moves most cells one way together,
    which no per-cell test can tell from a change.  Seen here: same-binary
    pairs of tiny runs whose median cell moved 0.6x to 1.1x."""
    ratios = sorted(x["ratio"] for x in tested)
    mid = statistics.median(ratios)
    up = sum(r > 1 + threshold_pct / 100 for r in ratios)
    down = sum(r < 1 - threshold_pct / 100 for r in ratios)
    if abs(mid - 1) * 100 <= threshold_pct / 2 and max(up, down) * 4 < len(ratios):
        return None
    return (f"Warning: the whole run moved: the median cell is {mid:.3f}x, {up} cells moved up and {down} "
            f"down by more than {threshold_pct:g} % of {len(ratios)} tested. A machine slower or faster "
            f"for a whole run looks like this, and each cell was judged against its kind's move: a change "
            f"that moved every cell alike is not called. To tell, measure base and head interleaved "
            f"(tools/measure, or tools/pr) or judge by instruction counts.")


def judge_runs(base_path, head_path, threshold_pct, alpha, force):
    """(base, head, base cells, head cells, rows) of two runs, judged;
    Refused or NoVerdict when they cannot give a verdict.  A regression is
    a row whose verdict is "regression"."""
    base, head = load(base_path), load(head_path)
    for key in ("cpu_model",):
        b, h = base["context"].get(key), head["context"].get(key)
        if b != h and not force:
            raise Refused(f"different machine: {key} is {b!r} in {base_path}, {h!r} in {head_path} "
                          f"(--force compares them anyway)")
    bc, hc = cells(base), cells(head)
    rows = judge(bc, hc, threshold_pct, alpha)
    if not rows:
        raise Refused(f"{base_path} and {head_path} have no measured cell in common")
    if not any(x["p"] is not None for x in rows):
        raise NoVerdict(f"no cell of the {len(rows)} in both runs can be tested: {no_test_reason(rows, MIN_TEST_REPS)}")
    return base, head, bc, hc, rows


def kinds_text(tested):
    """'single-threaded moved 0.981x, one thread 1.002x, ...': each kind's
    centre, or that there was too few strategies to take one."""
    seen = {}
    for x in tested:
        seen.setdefault(x["kind"], x["kind_shift"] if x["kind_judged"] else None)
    parts = [f"{k} {'moved %.3fx' % v if v is not None else 'not judged: fewer than 3 strategies'}"
             for k, v in seen.items()]
    return "; ".join(parts)


def compare_runs(base_path, head_path, threshold_pct, alpha, force):
    """Markdown report and exit code of two runs (EXIT_OK, EXIT_FAIL or
    EXIT_NO_VERDICT)."""
    base, head, bc, hc, rows = judge_runs(base_path, head_path, threshold_pct, alpha, force)
    tested = [x for x in rows if x["p"] is not None]
    untested = [x for x in rows if x["verdict"] == "untested"]
    apart = [x for x in rows if x["verdict"] == "not comparable"]
    regressions = [x for x in rows if x["verdict"] == "regression"]
    improvements = [x for x in rows if x["verdict"] == "improvement"]
    unchanged = [x for x in rows if x["verdict"] == "unchanged"]
    raw = sum(x["p"] < alpha for x in tested)
    # A cell the base measured and the head failed (a crash, a check that
    # no longer holds) is never OK.
    broke = sorted((r["name"], r["reason"]) for r in head.get("skipped", [])
                   if r.get("name") in bc and str(r.get("reason", "")).startswith("failed"))
    mark = "FAIL" if regressions or broke else "OK"
    lines = [f"**framebench {mark}: {len(regressions)} regressions, "
             + (f"{len(broke)} failed in head, " if broke else "")
             + f"{len(improvements)} improvements, {len(unchanged)} unchanged"
             + (f", {len(untested)} untested (too few repetitions)" if untested else "")
             + (f", {len(apart)} not comparable (they timed different work)" if apart else "") + "**", ""]
    if regressions:
        lines += ["Regressed: " + ", ".join(f"`{x['name']}` ({x['ratio']:.3f}x)"
                                            for x in by_size_of_change(regressions)), ""]
    if broke:
        lines += ["Failed in head: " + "; ".join(f"`{n}` ({why})" for n, why in broke), ""]
    only = sorted(set(bc) ^ set(hc))
    lines.append(
        f"Base `{base_path}` ({base['context'].get('git_commit') or '?'}), head `{head_path}` "
        f"({head['context'].get('git_commit') or '?'}): {len(rows)} cells in both"
        f"{f', {len(only)} in one only (left out)' if only else ''}. Ratio = head / base median ns per op "
        f"(threaded cells: the median thread's), range from the repetitions' min and max. A cell changed "
        f"when Welch's t-test on the log of its repetitions is significant after a Benjamini-Hochberg "
        f"correction over the {len(tested)} cells tested (false discovery rate {alpha:g}; uncorrected, "
        f"{raw} would have p < {alpha:g}), its move also stands out of the moves of its kind of cell "
        f"({kinds_text(tested)}; corrected the same way), the change beyond its kind's move exceeds "
        f"{threshold_pct:g} %, and the 95 % confidence intervals of the two medians do not overlap. "
        f"Cells need {MIN_TEST_REPS}+ repetitions a side to be tested.")
    if untested:
        lines += ["", f"Untested: {no_test_reason(rows, MIN_TEST_REPS)}."]
    if apart:
        lines += ["", "Not comparable: " + "; ".join(f"`{x['name']}` ({x['why']})" for x in apart) + "."]
    shift = run_shift(tested, threshold_pct)
    if shift:
        lines += ["", shift]
    lines += ["", "| strategy | cells | geometric mean head / base |", "|---|---:|---:|"]
    alike = [x for x in rows if x["verdict"] != "not comparable"]
    for s in sorted({x["strategy"] for x in alike}):
        mine = [x["ratio"] for x in alike if x["strategy"] == s]
        lines.append(f"| {s} | {len(mine)} | {geomean(mine):.3f}x |")
    lines.append(f"| all | {len(alike)} | {geomean([x['ratio'] for x in alike]):.3f}x |")
    changed = by_size_of_change(regressions + improvements)
    if changed:
        lines += ["", "## Changed", ""] + cell_table(changed)
    for title, sel in ((f"{len(unchanged)} unchanged", unchanged), (f"{len(untested)} untested", untested)):
        if sel:
            lines += ["", f"<details><summary>{title}</summary>", ""] + cell_table(by_size_of_change(sel))
            lines += ["", "</details>"]
    return "\n".join(lines), EXIT_FAIL if regressions or broke else EXIT_OK


def cell_key(row):
    return (row["pattern"], row["frames"], tuple(sorted((k, str(v)) for k, v in row["params"].items())))


def measured_nothing(row):
    """Why a measured row cannot stand beside the others' (its ns per op is
    of another quantity), or None."""
    if row.get("fill_skipped"):
        return f"fill skipped: the row times the init alone ({row['fill_skipped']})"
    return None


def precision_text(rows):
    """How far the cells behind a ratio can be trusted: their sizes, their
    repetitions and how precise their medians are (results/README.md,
    precision_pct); a ratio nearer 1 than that is no difference."""
    prec = sorted(r["precision_pct"] for r in rows if isinstance(r.get("precision_pct"), (int, float)))
    reps = [r["repetitions"] for r in rows if isinstance(r.get("repetitions"), int)]
    sizes = sorted({r["frames"] for r in rows if isinstance(r.get("frames"), int)})
    text = "; at %s" % ", ".join(size_text(f) for f in sizes) if sizes else ""
    if reps:
        text += ", %d to %d repetitions a cell" % (min(reps), max(reps)) if min(reps) != max(reps) \
            else ", %d repetitions a cell" % reps[0]
    if prec:
        text += "; medians precise to +-%.1f %% (median cell; the least precise +-%.1f %%)" % (
            prec[len(prec) // 2], prec[-1])
    return text


def compare_strategies(path, names):
    """Markdown report of strategies against the first of `names` in one run."""
    doc = load(path)
    # A cross-check row repeats the cell it checks by another method: counted
    # once, as the cell itself (the file names them in each row's crosschecks).
    repeats = {x["pattern"] for r in doc["results"] for x in results_file.crosschecks(r)}
    by, left_out = {}, []
    for r in doc["results"] + doc.get("threaded", []):
        if r["pattern"] in repeats or r["strategy"] not in names:
            continue
        why = measured_nothing(r)
        if why:
            left_out.append((r["name"], why))
        else:
            by.setdefault(r["strategy"], {})[cell_key(r)] = r
    for r in doc.get("skipped", []):
        if r["strategy"] in names:
            left_out.append((r["name"], r["reason"]))
    missing = [n for n in names if n not in by]
    if missing:
        have = sorted({r["strategy"] for r in doc["results"] + doc.get("threaded", [])})
        raise Refused(f"{path}: no measured cell of strategy {', '.join(missing)} "
                      f"(it has {', '.join(have)})")
    ref = names[0]
    lines = [f"# Strategies against `{ref}` in `{path}`", "",
             "Ratio = the strategy's median ns per op / the reference's, cell by cell (below 1: faster); "
             "range from the repetitions' min and max; only cells both measured.", ""]
    summary, tables = [], []
    for other in names[1:]:
        keys = sorted(set(by[ref]) & set(by[other]))
        if not keys:
            summary.append(f"- `{other}` and `{ref}` have no cell in common")
            continue
        rows = [(k, *ratio_range(by[other][k], by[ref][k])) for k in keys]
        tables += [f"## {other} / {ref}", "", "| cell | ratio | range |", "|---|---:|---|"]
        tables += [f"| `{by[other][k]['name']}` | {r:.3f}x | {lo:.3f}–{hi:.3f} |" for k, r, lo, hi in rows]
        tables.append("")
        for pattern in sorted({k[0] for k in keys}) + [None]:
            sel = [r for k, r, _, _ in rows if pattern is None or k[0] == pattern]
            g = geomean(sel)
            where = f"on {pattern}" if pattern else "over all patterns"
            if abs(g - 1) < 0.005:
                how = f"as fast as `{ref}`"
            else:
                how = f"{1 / g:.2f}x faster than `{ref}`" if g < 1 else f"{g:.2f}x slower than `{ref}`"
            cells_text = f"{len(sel)} cell{'s' if len(sel) != 1 else ''}"
            summary.append(f"- `{other}` is {how} {where} (geometric mean of {cells_text}; "
                           f"cells range {min(sel):.3g}x to {max(sel):.3g}x of `{ref}`'s time)"
                           + ("" if pattern else precision_text([by[x][k] for x in (ref, other) for k in keys])))
    if left_out:
        tables += [f"## Left out: {len(left_out)} cells that measured nothing comparable", "",
                   "| cell | why |", "|---|---|"]
        tables += [f"| `{name}` | {why} |" for name, why in sorted(left_out)]
        summary.append(f"- left out: {len(left_out)} cells of these strategies that were skipped, failed or "
                       f"measured something else (listed at the end)")
    return "\n".join(lines + summary + [""] + tables)
