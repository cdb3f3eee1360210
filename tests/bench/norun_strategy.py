#!/usr/bin/env python3
"""A strategy with alloc_run == NULL (framebench built over a test registry):
every pattern runs except `runs`, whose cells are skipped with the reason;
the results file still validates with every cell present."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from common import catalog, expected_cells, list_cells, run  # noqa: E402
import results_file  # noqa: E402

framebench = sys.argv[1]
# A wide budget: the cost model's probe is slow in a sanitized build.
TINY = ["--matrix", "tiny", "--budget", "2"]
cells = list_cells(framebench, *TINY)
assert set(cells) == expected_cells(catalog(framebench), ["ctz", "norun"], [16384]), "cell list differs"
for name, state in cells.items():
    pattern, strategy = name.split("/")[:2]
    if strategy == "norun" and pattern == "runs":
        assert "alloc_run" in state, f"{name}: want skipped for alloc_run, got {state!r}"
    else:
        assert state == "run", f"{name}: want run, got {state!r}"
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "r.json")
    res = run([framebench, *TINY, "--quiet", "--out", out])
    assert res.returncode == 0, res.stderr[-2000:]
    doc = results_file.load_strict(out)
    problems = results_file.validate(doc, list(cells))
    assert not problems, "\n".join(problems)
    skipped = {s["name"] for s in doc["skipped"]}
    assert skipped == {n for n in cells if n.startswith("runs/norun/")}, skipped
    # The trace's orders > 0 are unsupported without alloc_run: counted, never failed.
    gcc = {r["strategy"]: r for r in doc["results"] if r["name"].endswith("/trace:gcc-build")}
    assert gcc["norun"]["unsupported"] == 275 and gcc["norun"]["failed"] == 0, gcc["norun"]
    assert gcc["ctz"]["unsupported"] == 0, gcc["ctz"]
print("ok")
