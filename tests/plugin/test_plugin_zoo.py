#!/usr/bin/env python3
"""The zoo.  A strategy that crashes and one that hangs, loaded beside two built-ins:
the run goes on, the built-ins' cells are measured, each plug-in's cells
fail with the signal or the silence named (the hanging one waited for
once, its other cells not run), the results file is written and the exit
status is 1.  One always full, one that refuses every region and one with
no state size: their cells fail or are skipped each with its own reason,
and framebench-check names the fault.  One that writes past its state:
framebench-check names the call that did (the page after a test state is
inaccessible).  A thread-safe one right as CPU 0 and wrong as CPU 1:
caught by framebench-check's concurrent suite."""
import json
import os
import subprocess
import sys
import tempfile
import time

src, build, crash, hang, enomem, init, size0, overrun, cpu1 = sys.argv[1:10]
report = sys.argv[10:] == ["report"]
fb, check = os.path.join(build, "bench", "framebench"), os.path.join(build, "bench", "framebench-check")
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "r.json")
    t0 = time.monotonic()
    res = subprocess.run([fb, "--load", crash, "--load", hang, "--strategies", "ctz,tree,zoo_crash,zoo_hang",
                          "--patterns", "fill,churn", "--matrix", "tiny", "--watchdog", "2", "--quiet", "--out", out],
                         capture_output=True, text=True, timeout=300)
    took = time.monotonic() - t0
    assert res.returncode == 1, (res.returncode, res.stderr[-2000:])
    doc = json.load(open(out))
    measured = {r["strategy"] for r in doc["results"]}
    assert measured == {"ctz", "tree"}, measured
    why = {s["name"]: s["reason"] for s in doc["skipped"]}
    crashed = {n: w for n, w in why.items() if "/zoo_crash/" in n}
    hung = {n: w for n, w in why.items() if "/zoo_hang/" in n}
    # "crashed: Segmentation fault"; under AddressSanitizer its report and an exit status.
    assert crashed and all("the strategy crashed" in w for w in crashed.values()), crashed
    assert len(hung) == len(crashed), (hung, crashed)
    # The hang is met once (in the cost model's probe, or in a cell); every
    # cell of the strategy says where, none waits again.
    assert all("no answer in 2 s" in w or "not run: zoo_hang stopped answering in" in w for w in hung.values()), hung
    assert "zoo_hang at 16384 frames: no answer, killed" in res.stderr, res.stderr[-2000:]
    # The plug-ins are named in the file, with their libraries.
    libs = {s["name"]: s.get("library") for s in doc["strategies"]}
    assert libs.get("zoo_crash") == crash and libs.get("zoo_hang") == hang, libs
    # One watchdog's wait, not one per cell.
    assert took < 60, f"the run took {took:.0f} s"
# Always full, refusing every region, no state size: each cell says which.
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "r.json")
    res = subprocess.run([fb, "--load", enomem, "--load", init, "--load", size0, "--strategies",
                          "ctz,zoo_enomem,zoo_init,zoo_size0", "--patterns", "fill,churn", "--matrix", "tiny",
                          "--quiet", "--out", out], capture_output=True, text=True, timeout=300)
    assert res.returncode == 1, (res.returncode, res.stderr[-2000:])
    doc = json.load(open(out))
    assert {r["strategy"] for r in doc["results"]} == {"ctz"}, [r["name"] for r in doc["results"]]
    want = {"zoo_enomem": "failed: allocator returned 'no free frame", "zoo_init": "failed: setup failed: invalid",
            "zoo_size0": "strategy does not support 16384 frames"}
    for s in doc["skipped"]:
        assert want[s["strategy"]] in s["reason"], s
    assert {s["strategy"] for s in doc["skipped"]} == set(want), doc["skipped"]
    assert "(6 of a size the strategy does not take)" in res.stderr, res.stderr[-500:]
for lib, name, finding in ((enomem, "zoo_enomem", "contract FAILS"), (init, "zoo_init", "init(n=1, base=0)"),
                           (size0, "zoo_size0", "state_size(1) is 0")):
    res = subprocess.run([check, "--load", lib, "--strategy", name, "--steps", "500"], capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 1 and finding in res.stdout + res.stderr, (name, res.returncode, res.stdout[-800:])
res = subprocess.run([check, "--load", overrun, "--strategy", "zoo_overrun", "--steps", "500"], capture_output=True,
                     text=True, timeout=300)
assert res.returncode == 1 and "in the call alloc(), which wrote past the end of its state" in res.stdout, (
    res.returncode, res.stdout[-800:], res.stderr[-800:])
res = subprocess.run([check, "--load", cpu1, "--strategy", "zoo_cpu1", "--steps", "500"], capture_output=True,
                     text=True, timeout=300)
line = [ln for ln in res.stdout.splitlines() if ln.startswith("zoo_cpu1 ")]
assert res.returncode == 1 and line and "contract ok" in line[0] and "concurrent FAILS" in line[0], \
    (res.returncode, res.stdout[-800:], res.stderr[-800:])
# framebench-check: each strategy in a process of its own; the crash and
# the silence are findings naming the suite, and the strategy after the
# crash is still checked.  (No built-in here: a 2 s watchdog is short for
# its suites under a sanitizer.)
res = subprocess.run([check, "--load", crash, "--load", hang, "--strategy", "zoo_crash", "--strategy", "zoo_hang",
                      "--watchdog", "2", "--steps", "2000"], capture_output=True, text=True, timeout=300)
lines = {line.split()[0]: line for line in res.stdout.splitlines() if line.strip()}
assert res.returncode == 1, (res.returncode, res.stdout, res.stderr[-500:])
# The call in flight is named, unless AddressSanitizer's own fault handler
# took the signal (its report, then an exit status).
assert ("in the contract suite, in the call alloc(): a finding" in lines["zoo_crash"] or
        "ended (exit 1) in the contract suite" in lines["zoo_crash"]) and "answering" not in lines["zoo_crash"], \
    res.stdout
assert "stopped answering in the contract suite" in lines["zoo_hang"], res.stdout
# plugin-report: the crash fails its own cells; the report is whole and says so.
if report:
    with tempfile.TemporaryDirectory() as d:
        res = subprocess.run([os.path.join(src, "tools", "plugin-report"), crash, "--build", build, "--against",
                              "nextfit", "--out", os.path.join(d, "r")], capture_output=True, text=True, timeout=300)
        assert res.returncode == 1, (res.returncode, res.stderr[-1000:])
        for f in ("check.txt", "results.json", "compare.md", "figures"):
            assert os.path.exists(os.path.join(d, "r", f)), (f, res.stderr[-1000:])
        assert "some cells failed" in res.stderr, res.stderr[-1000:]
else:
    print("plugin-report's part: not in a sanitized build (it runs a whole tiny matrix)")
print(f"ok: {len(crashed)} cells crashed, {len(hung)} hung or not run, the built-ins measured, in {took:.0f} s")
