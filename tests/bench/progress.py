#!/usr/bin/env python3
"""A cell that runs for more than a few seconds says so while it runs (a
progress line, not a timing), so a long cell is not mistaken for a hang;
and the console going into a pipe carries no ANSI colour."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run  # noqa: E402

framebench = sys.argv[1]
with tempfile.TemporaryDirectory() as d:
    # One repetition of 6 s: a cell's note comes after 5 s of one repetition
    # (each repetition is a round of its own), whatever the build's speed.
    res = run([framebench, "--patterns", "fill", "--strategies", "ctz", "--sizes", "64M", "--repetitions", "1",
               "--max-repetitions", "1", "--min-time", "6", "--out", os.path.join(d, "r.json")])
assert res.returncode == 0, res.stderr
still = [line for line in res.stderr.splitlines() if "still running" in line]
assert still, f"no 'still running' line in:\n{res.stderr}"
assert still[0].startswith("[1/1] fill/ctz/frames:16384: still running, "), still
assert "\x1b[" not in res.stdout + res.stderr, "ANSI escape in piped output"

# The cost model estimates free_all at 5 ns per op; buddy's real cycle at
# 1 GiB is several times a 2 ms budget: said on the console and in the row.
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "r.json")
    res = run([framebench, "--patterns", "free_all", "--strategies", "buddy", "--sizes", "1G",
               "--budget", "0.002", "--out", out])
    assert res.returncode == 0, res.stderr
    assert "over the 0.002 s budget" in res.stderr, res.stderr
    with open(out) as f:
        row = json.load(f)["results"][0]
assert row["cycle_seconds"] > 0.002 and "the 0.002 s budget" in row.get("over_budget", ""), row
print("ok")
