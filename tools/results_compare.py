"""Comparisons of framebench results files (schema framebench-results/2),
for tools/compare: two runs cell by cell, or strategies within one run.

Both speak in ratios of medians, with the range the repetitions allow (the
smallest and largest ratio of one side's min or max to the other's), and
geometric means per strategy or pattern and overall.  A Mann-Whitney U test
decides a two-run difference only where each side has enough repetitions
for the test to reject at all; a cell with fewer says so.
"""
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results_file  # noqa: E402

RESULTS_SCHEMA = results_file.SCHEMA


class Refused(Exception):
    """The file or files cannot be compared; the message says why (exit 2)."""


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
    """name -> {row fields, "samples": per-repetition ns per op}."""
    samples = {}
    for b in doc.get("benchmarks", []):
        if isinstance(b, dict) and isinstance(b.get("real_time"), (int, float)):
            samples.setdefault(b.get("name"), []).append(b["real_time"])
    out = {}
    for r in doc["results"]:
        out[r["name"]] = dict(r, samples=samples.get(r["name"], []))
    return out


def ratio_range(num, den):
    """(median ratio, lowest, highest) of num / den from their ns_per_op spreads."""
    n, d = num["ns_per_op"], den["ns_per_op"]
    return n["median"] / d["median"], n["min"] / d["max"], n["max"] / d["min"]


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def min_reps_for(alpha):
    """Fewest samples per side for which a two-sided Mann-Whitney U test can
    reject at alpha (its smallest p with n + n samples is 2 / C(2n, n))."""
    n = 1
    while 2 / math.comb(2 * n, n) >= alpha:
        n += 1
    return n


def compare_runs(base_path, head_path, threshold_pct, alpha, force):
    """Markdown report and exit code (0 no regression, 1 regression) of two runs."""
    from scipy.stats import mannwhitneyu  # here: a missing scipy is a refusal, not a crash

    base, head = load(base_path), load(head_path)
    for key in ("cpu_model",):
        b, h = base["context"].get(key), head["context"].get(key)
        if b != h and not force:
            raise Refused(f"different machine: {key} is {b!r} in {base_path}, {h!r} in {head_path} "
                          f"(--force compares them anyway)")
    bc, hc = cells(base), cells(head)
    common = sorted(set(bc) & set(hc))
    if not common:
        raise Refused(f"{base_path} and {head_path} have no measured cell in common")
    need = min_reps_for(alpha)
    rows, too_few = [], 0
    for name in common:
        b, h = bc[name], hc[name]
        r, lo, hi = ratio_range(h, b)
        bs, hs = b["samples"], h["samples"]
        if min(len(bs), len(hs)) < need:
            too_few += 1
            verdict, p = f"too few repetitions ({min(len(bs), len(hs))} < {need}) for a test", None
        else:
            p = mannwhitneyu(bs, hs, alternative="two-sided").pvalue
            moved = p < alpha and abs(r - 1) * 100 > threshold_pct
            verdict = ("regression" if r > 1 else "improvement") if moved else "unchanged"
        rows.append(dict(name=name, strategy=b["strategy"], ratio=r, lo=lo, hi=hi, p=p, verdict=verdict))
    regressions = [x for x in rows if x["verdict"] == "regression"]
    improvements = [x for x in rows if x["verdict"] == "improvement"]
    mark = "FAIL" if regressions else "OK"
    lines = [f"**framebench {mark}: {len(regressions)} regressions, {len(improvements)} improvements, "
             f"{len(rows) - len(regressions) - len(improvements) - too_few} unchanged, "
             f"{too_few} without a test (too few repetitions)**", ""]
    if regressions:
        lines += ["Regressed: " + ", ".join(f"`{x['name']}` ({x['ratio']:.3f}x)" for x in regressions), ""]
    only = sorted(set(bc) ^ set(hc))
    lines.append(f"Base `{base_path}` ({base['context'].get('git_commit') or '?'}), head `{head_path}` "
                 f"({head['context'].get('git_commit') or '?'}): {len(common)} cells in both"
                 f"{f', {len(only)} in one only (left out)' if only else ''}. Ratio = head / base median ns "
                 f"per op, range from the repetitions' min and max; a change counts when Mann-Whitney "
                 f"p < {alpha:g} ({need}+ repetitions a side) and it exceeds {threshold_pct:g} %.")
    lines.append("")
    lines += ["| strategy | cells | geometric mean head / base |", "|---|---:|---:|"]
    for s in sorted({x["strategy"] for x in rows}):
        mine = [x["ratio"] for x in rows if x["strategy"] == s]
        lines.append(f"| {s} | {len(mine)} | {geomean(mine):.3f}x |")
    lines.append(f"| all | {len(rows)} | {geomean([x['ratio'] for x in rows]):.3f}x |")
    lines += ["", "| cell | head / base | range | p | verdict |", "|---|---:|---|---:|---|"]
    for x in rows:
        p = "" if x["p"] is None else f"{x['p']:.3f}"
        lines.append(f"| `{x['name']}` | {x['ratio']:.3f}x | {x['lo']:.3f}–{x['hi']:.3f} | {p} | {x['verdict']} |")
    return "\n".join(lines), 1 if regressions else 0


def cell_key(row):
    return (row["pattern"], row["frames"], tuple(sorted((k, str(v)) for k, v in row["params"].items())))


def compare_strategies(path, names):
    """Markdown report of strategies against the first of `names` in one run."""
    doc = load(path)
    # A cross-check row repeats the cell it checks by another method: counted
    # once, as the cell itself (the file names them in each row's crosschecks).
    repeats = {x["pattern"] for r in doc["results"] for x in results_file.crosschecks(r)}
    by = {}
    for r in doc["results"]:
        if r["pattern"] not in repeats:
            by.setdefault(r["strategy"], {})[cell_key(r)] = r
    missing = [n for n in names if n not in by]
    if missing:
        raise Refused(f"{path}: no measured cell of strategy {', '.join(missing)} "
                      f"(it has {', '.join(sorted(by))})")
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
                           f"cells range {min(sel):.3g}x to {max(sel):.3g}x of `{ref}`'s time)")
    return "\n".join(lines + summary + [""] + tables)
