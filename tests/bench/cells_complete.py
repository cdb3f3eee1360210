#!/usr/bin/env python3
"""Every registered strategy x every pattern x parameters x size is a cell of
each matrix (run or skipped with a reason): a cell that disappears fails.
What is registered comes from framebench --catalog, not from a list here."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import catalog, expected_cells, list_cells, matrix_cells, patterns, threaded_cells  # noqa: E402

framebench = sys.argv[1]
cat = catalog(framebench)
strats = [s["name"] for s in cat["strategies"]]
assert len(strats) >= 4 and len(patterns(cat)) >= 4 and patterns(cat, threaded=True), \
    f"too little in the catalog: {strats}"
for matrix in cat["matrices"]:
    got = list_cells(framebench, "--matrix", matrix)
    want = matrix_cells(cat, strats, matrix)
    missing, extra = sorted(want - set(got)), sorted(set(got) - want)
    assert not missing, f"{matrix}: cells missing: {missing[:10]}"
    assert not extra, f"{matrix}: unexpected cells: {extra[:10]}"
# Filters narrow the matrix and nothing else.
got = list_cells(framebench, "--matrix", "tiny", "--strategies", strats[0], "--patterns", "churn,runs")
assert set(got) == {c for c in expected_cells(cat, [strats[0]], [16384]) if c.split("/")[0] in ("churn", "runs")}
print(f"ok: {len(strats)} strategies, every cell listed")
# A memory cap skips cells (with the reason) but never drops one.
got = list_cells(framebench, "--sizes", "1G", "--mem-cap-mib", "1")
assert set(got) == expected_cells(cat, strats, [262144]) | threaded_cells(cat, strats, [262144]), \
    "memory cap dropped cells"
capped = [n for n, s in got.items() if "memory cap" in s]
# A cell is capped for its pattern's scratch (churn and its cross-checks, free_all, frag, harness, boot; a
# threaded cell's per-thread lists, 8 bytes a frame: 2 MiB here) or for
# its strategy's state alone (freelist and buddy keep ~16 bytes per frame: 4 MiB
# here); such a strategy has every 1 GiB cell capped or skipped for another
# reason (trace cells keep the trace's own size).
threaded = {p["name"] for p in patterns(cat, threaded=True)}
scratch_patterns = {"churn", "churn_recorded", "churn_walk", "free_all", "frag", "harness", "boot"} | threaded
assert all("memory cap" in s for n, s in got.items() if n.split("/")[0] in threaded and "/frames:262144" in n
           and "CPUs" not in s and "no alloc_run" not in s), "the memory cap does not reach the threaded cells"
big_state = {n.split("/")[1] for n in capped if n.split("/")[0] not in scratch_patterns}
assert capped and strats[0] not in big_state, capped
for n, s in got.items():
    if n.split("/")[1] in big_state and "/frames:262144" in n:
        assert "memory cap" in s or "no alloc_run" in s, (n, s)
print(f"ok: memory cap skips {len(capped)} cells, keeps them listed")
