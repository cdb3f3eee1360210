#!/usr/bin/env python3
"""tools/measure --load counts a plug-in's own instructions (found from the
library's symbol table), not only libframe_alloc.a's.

usage: test_plugin_measure.py SOURCE_DIR BUILD_DIR HINTSCAN.so"""
import json
import os
import subprocess
import sys
import tempfile

src, build, plugin = sys.argv[1:4]
with tempfile.TemporaryDirectory() as d:
    res = subprocess.run([os.path.join(src, "tools", "measure"), build, build, "--load", plugin,
                          "--strategies", "hintscan", "--patterns", "fill,churn", "--no-wallclock", "--out", d],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    with open(os.path.join(d, "head.json")) as f:
        doc = json.load(f)
counts = doc["counts"]
assert counts and all(n.split("/")[1] == "hintscan" for n in counts), sorted(counts)
# A fill op of a word-scanning bitmap is tens of instructions, never zero.
fill = counts["fill/hintscan/frames:16384"]["instr_per_op"]
assert 5 < fill < 500, fill
assert doc["context"]["plugins"] == [os.path.abspath(plugin)], doc["context"]
print(f"ok: {len(counts)} plug-in cells counted, fill {fill:.1f} instructions per op")
