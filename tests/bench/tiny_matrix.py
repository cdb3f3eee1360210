#!/usr/bin/env python3
"""`framebench --matrix tiny` runs, and its results file validates against the
schema with every cell of the matrix in `results` or `skipped`."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from common import run  # noqa: E402
import results_file  # noqa: E402

framebench, out = sys.argv[1], sys.argv[2]
if os.path.exists(out):
    os.remove(out)
# The cost model times a probe: in an unoptimised, sanitized build it can put
# a 64 MiB cycle over tiny's 0.5 s budget, so the test gives it 2 s.
TINY = ["--matrix", "tiny", "--budget", "2"]
listing = run([framebench, *TINY, "--list"])
assert listing.returncode == 0, listing.stderr
res = run([framebench, *TINY, "--quiet", "--out", out])
assert res.returncode == 0, f"framebench failed ({res.returncode}):\n{res.stderr[-3000:]}"
assert "[1/" in res.stderr, "no progress lines on stderr"
cells = [line.split("\t")[1] for line in listing.stdout.splitlines()]
doc = results_file.load_strict(out)
problems = results_file.validate(doc, cells)
assert not problems, "\n".join(problems)
assert not [f for f in os.listdir(os.path.dirname(out) or ".") if ".tmp." in f], "temporary file left behind"
assert doc["context"]["matrix"] == "tiny"
assert any(r["pattern"] == "harness" for r in doc["results"]), "no harness row"
# Bitmap strategies run every pattern at 64 MiB: a tiny-matrix skip is a bug.
ran = {r["name"] for r in doc["results"]}
for s in doc["skipped"]:
    assert "alloc_run" in s["reason"] or "memory cap" in s["reason"], f"unexpected skip: {s}"
assert all("latency_ns" in r for r in doc["results"] if r["pattern"] in ("churn", "worst"))
assert all("runs_2m_free" in r for r in doc["results"] if r["pattern"] == "runs")
print(f"ok: {len(ran)} cells ran, {len(doc['skipped'])} skipped")
