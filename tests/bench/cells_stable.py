#!/usr/bin/env python3
"""The same binary on the same machine makes the same cells: the cost
model's timed probes are kept beside the binary (<binary>.probes, keyed by
the binary and the CPU), so a cell near the budget is not run in one run and
skipped in the next.  A file for another binary is not used.

usage: cells_stable.py FRAMEBENCH"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import plain_patterns_help, run  # noqa: E402

# A copy of its own, so that its probe file is not the one the other tests
# running beside it read.
tmp = tempfile.mkdtemp()
framebench = shutil.copy2(sys.argv[1], os.path.join(tmp, "framebench"))
kept = framebench + ".probes"


# frag's cost-model probe runs the pattern's own prepare (a 90 % fill) at
# every size within the cheap estimate; at 16 and 64 GiB that is seconds,
# minutes under the sanitizers, so frag is listed at the small sizes only.
section = plain_patterns_help(framebench)
patterns = [line.split()[0] for line in section.splitlines() if line.strip()]
assert "churn" in patterns and "frag" in patterns, patterns
patterns.remove("frag")


def listing():
    res = run([framebench, "--list", "--patterns", ",".join(patterns)])
    assert res.returncode == 0, res.stderr
    small = run([framebench, "--list", "--patterns", "frag", "--sizes", "64M,1G"])
    assert small.returncode == 0, small.stderr
    return res.stdout + small.stdout
    assert res.returncode == 0, res.stderr
    return res.stdout


if os.path.exists(kept):
    os.unlink(kept)
first = listing()
assert os.path.exists(kept), f"no {kept} after a listing"
with open(kept) as f:
    key = f.readline()
assert key.startswith("framebench-probes/1 "), key
for _ in range(3):
    assert listing() == first, "the same binary listed other cells"
# A file made for another binary (its key differs) is probed afresh and replaced.
with open(kept, "w") as f:
    f.write("framebench-probes/1 1 2.000000000 another machine\nctz 16384 1e12\n")
listing()  # probed afresh: its cells only as stable as a new probe
with open(kept) as f:
    assert f.readline() == key and "1e12" not in f.read(), "a stale probe file was used or kept"
shutil.rmtree(tmp)
print(f"ok: {first.count(chr(10))} cells, the same in four listings")
