#!/usr/bin/env python3
"""framebench-run prints one parseable JSON line with the documented fields,
for every pattern (that the same seed repeats the same work is proved by
the exact instruction counts of tests/test_measure.sh)."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import catalog, patterns, run  # noqa: E402

framebench_run, framebench = sys.argv[1], sys.argv[2]
FIELDS = {"strategy": str, "pattern": str, "frames": int, "ops": int, "seconds": float,
          "ns_per_op": float, "meta_bytes": int}


def one(*args):
    res = run([framebench_run, *args])
    assert res.returncode == 0, f"{args}: {res.stderr}"
    lines = res.stdout.splitlines()
    assert len(lines) == 1, f"{args}: want one line, got {lines}"
    doc = json.loads(lines[0], parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    for k, t in FIELDS.items():
        assert isinstance(doc.get(k), (int, float) if t is float else t), f"{args}: bad '{k}' in {doc}"
    return doc


cat = catalog(framebench)
strat = cat["strategies"][1]["name"]
for p in patterns(cat):
    if "input_key" in p:  # framebench_trace_* and input_patterns run those
        continue
    pattern, s = p["name"], p.get("strategy", strat)
    doc = one("--strategy", s, "--pattern", pattern, "--frames", "16384", "--ops", "20000")
    assert (doc["strategy"], doc["pattern"], doc["frames"], doc["ops"]) == (s, pattern, 16384, 20000), doc
    assert doc["seconds"] > 0 and doc["ns_per_op"] > 0, doc
doc = one("--strategy", strat, "--pattern", "runs", "--frames", "16384", "--ops", "1000",
          "--param", "run=512", "--param", "frag=50", "--seed", "7")
assert doc["name"] == f"runs/{strat}/frames:16384/run:512/frag:50", doc
print("ok")
