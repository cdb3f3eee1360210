#!/usr/bin/env python3
"""The adaptive repetitions stop for the reason they should, and the row and
the end of the run say which.  The targets choose the case, not the machine:
+-100 % is met by any cell (it stops at its least repetitions), +-0.0001 % by
none (it stops at --max-repetitions, at its --cell-cap, or at the run's
--max-time, whichever comes first)."""
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from results_compare import median_interval  # noqa: E402  (the interval the rows state)

framebench = sys.argv[1]
CELLS = ["--matrix", "tiny", "--patterns", "fill,churn", "--strategies", "ctz,tree"]


def rows(*args):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "r.json")
        res = run([framebench, *CELLS, "--quiet", "--out", out, *args])
        assert res.returncode == 0, res.stderr
        with open(out) as f:
            doc = json.load(f)
    assert doc["results"], doc
    return doc, res.stderr


def half_pct(samples):
    """The row's precision_pct, recomputed (bench/precision.h)."""
    lo, hi = median_interval(samples)
    mid = statistics.median(samples)
    return max(mid - lo, hi - mid) / mid * 100


# +-100 %: a cell stops at the first repetition count from 4 on at which
# its median is that precise, or at 9 (a slow machine can make a cell miss
# even that: a repetition 9x the others was seen under AddressSanitizer).
doc, err = rows("--target", "100", "--repetitions", "4", "--max-repetitions", "9", "--cell-cap", "100")
samples = {}
for b in doc["benchmarks"]:
    samples.setdefault(b["name"], []).append((b["repetition_index"], b["real_time"]))
at_least = 0
for r in doc["results"]:
    v = [t for _, t in sorted(samples[r["name"]])]
    n = r["repetitions"]
    assert len(v) == n and r["seconds"] > 0, r
    if r["precision_met"]:
        assert "stopped_by" not in r and half_pct(v) <= 100, r
        assert n == 4 or half_pct(v[:-1]) > 100, f"{r['name']} went on past its target: {v}"
        at_least += n == 4
    else:
        assert n == 9 and r["stopped_by"] == "max_repetitions", r
assert at_least, doc["results"]
print(f"ok: +-100 %: each of {len(doc['results'])} cells stopped once precise ({at_least} at their least 4)")

doc, err = rows("--target", "0.0001", "--repetitions", "3", "--max-repetitions", "6", "--cell-cap", "100")
for r in doc["results"]:
    assert r["repetitions"] == 6 and r["precision_met"] is False and r["stopped_by"] == "max_repetitions", r
    assert r["noise"], r
assert f"{len(doc['results'])} of {len(doc['results'])} cells missed the +-0.0001 % target" in err, err
print("ok: +-0.0001 %: every cell stops at --max-repetitions 6, says so, and is listed at the end")

doc, err = rows("--target", "0.0001", "--repetitions", "3", "--max-repetitions", "60", "--cell-cap", "0.001")
for r in doc["results"]:
    assert r["repetitions"] == 3 and r["stopped_by"] == "cell_cap", r
print("ok: a 1 ms --cell-cap stops every cell at its least repetitions")

doc, err = rows("--target", "0.0001", "--repetitions", "3", "--max-repetitions", "60", "--cell-cap", "100",
                "--max-time", "0.001")
for r in doc["results"]:
    assert r["repetitions"] == 3 and r["stopped_by"] == "max_time", r
assert doc["context"]["max_time_s"] == 0.001, doc["context"]
print("ok: a 1 ms --max-time starts no round past the least repetitions")
