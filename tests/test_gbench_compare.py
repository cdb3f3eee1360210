#!/usr/bin/python3
"""Google Benchmark's own tools/compare.py (Debian: libbenchmark-tools, which
scripts/deps.sh installs) reads a framebench results file as it is.

usage: test_gbench_compare.py FRAMEBENCH"""
import os
import subprocess
import sys
import tempfile

COMPARE_PY = "/usr/share/benchmark/compare.py"
framebench = sys.argv[1]
if not os.path.exists(COMPARE_PY):
    print(f"FAIL: {COMPARE_PY} is missing (Debian package libbenchmark-tools; scripts/deps.sh installs it)")
    sys.exit(1)
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "r.json")
    res = subprocess.run([framebench, "--matrix", "tiny", "--patterns", "worst", "--quiet", "--out", out],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-500:]
    res = subprocess.run(["/usr/bin/python3", COMPARE_PY, "benchmarks", out, out],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, f"compare.py exited {res.returncode}: {res.stderr[-800:]}"
    assert "worst/ctz/frames:16384" in res.stdout and "OVERALL_GEOMEAN" in res.stdout, res.stdout[-800:]
print("ok: Google Benchmark's compare.py reads a framebench results file")
