#!/usr/bin/env python3
"""The input patterns end to end: trace and boot rows for every strategy in
the tiny matrix (run, or skipped with a reason) that validate; the committed
trace replayed through framebench-run with no failed request (and nothing
unsupported where the strategy has alloc_run); churn from the real e820 map;
a malformed trace and a missing map refused naming the file, with no results
file written.

usage: input_patterns.py FRAMEBENCH FRAMEBENCH_RUN DATA_DIR"""
import atexit
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from common import list_cells, run, strategies  # noqa: E402
import results_file  # noqa: E402

framebench, fbrun, data = sys.argv[1:4]
TRACE = os.path.join(data, "traces", "gcc-build.perf.txt.gz")
MAP = os.path.join(data, "maps", "e820-vm-6g.dmesg.txt")
strats = strategies(framebench)
work = tempfile.mkdtemp()
atexit.register(shutil.rmtree, work, True)

# 1. The tiny matrix's trace and boot cells: every strategy, and they validate.
cells = list_cells(framebench, "--matrix", "tiny", "--patterns", "trace,boot")
out = os.path.join(work, "tb.json")
res = run([framebench, "--matrix", "tiny", "--patterns", "trace,boot", "--quiet", "--out", out])
assert res.returncode == 0, res.stderr[-3000:]
doc = results_file.load_strict(out)
problems = results_file.validate(doc, list(cells))
assert not problems, "\n".join(problems)
rows = {r["name"]: r for r in doc["results"]}
for s in strats:
    for name in (f"trace/{s}/frames:50688/trace:gcc-build", f"boot/{s}/frames:6553600/map:e820-vm-6g"):
        assert name in rows or name in {x["name"] for x in doc["skipped"]}, f"no row for {name}"
for name, r in rows.items():
    if r["pattern"] == "trace" and "gcc-build" in name:
        assert r["failed"] == 0 and r["skipped_frees"] == 252, f"{name}: {r}"
        assert abs(r["peak_occupancy"] - 25144 / 50688) < 1e-9, f"{name}: {r['peak_occupancy']}"
    if r["pattern"] == "boot":
        assert r["init_ns"] > 0, f"{name}: no init time"
print(f"ok: {len(rows)} trace/boot rows, {len(doc['skipped'])} skipped, valid")

# 2. The committed trace through framebench-run: nothing failed; strategies
# with alloc_run (their runs cells run) serve every order.
runs_ok = {n.split("/")[1] for n, st in list_cells(framebench, "--matrix", "tiny", "--patterns", "runs").items()
           if st == "run"}
for s in strats:
    res = run([fbrun, "--strategy", s, "--trace", TRACE])
    assert res.returncode == 0, f"{s}: {res.stderr}"
    line = json.loads(res.stdout)
    assert line["name"] == f"trace/{s}/frames:50688/trace:gcc-build", line["name"]
    assert line["ops"] == 98250 and line["failed"] == 0, f"{s}: {line}"
    assert s not in runs_ok or line["unsupported"] == 0, f"{s}: {line['unsupported']} unsupported"
print(f"ok: the trace replays with 0 failed for {len(strats)} strategies")

# 3. churn (and fill) from the real map: holes stay used, the counts add up.
for s in strats:
    res = run([fbrun, "--strategy", s, "--map", MAP, "--pattern", "churn", "--param", "occupancy=500",
               "--ops", "20000"])
    assert res.returncode == 0, f"{s}: {res.stderr}"
    line = json.loads(res.stdout)
    assert line["frames"] == 6553600 and line["usable_frames"] == 6291359, line
res = run([fbrun, "--strategy", "tree", "--map", MAP, "--pattern", "fill", "--ops", "6291359"])
assert res.returncode == 0, f"fill of every usable frame of the map: {res.stderr}"
res = run([fbrun, "--strategy", "tree", "--map", MAP, "--pattern", "fill", "--ops", "6291360"])
assert res.returncode == 0, "a fill cycle refills: one op past the usable frames starts a new one"
res = run([fbrun, "--strategy", "tree", "--map", MAP, "--pattern", "worst"])
assert res.returncode == 2 and "memory map" in res.stderr, res.stderr
for args, want in ((["--trace", TRACE, "--pattern", "churn"], "is no memory map pattern churn can start from"),
                   (["--pattern", "boot"], "needs --map FILE"),
                   (["--map", MAP, "--pattern", "churn", "--frames", "16384"], "fixed by the map"),
                   (["--trace", TRACE, "--ops", "1000"], "not a multiple of the trace's 98250 events")):
    res = run([fbrun, "--strategy", "ctz", *args])
    assert res.returncode == 2 and want in res.stderr, f"{args}: {res.returncode} {res.stderr}"
print("ok: churn and fill start from the e820 map; worst refuses it")

# 4. Bad inputs: named with file:line, exit non-zero, no results file.
bad = os.path.join(work, "bad.txt")
with open(bad, "w") as f:
    f.write("cc1 1 [001] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0x1 order=0 migratetype=1\n")
    f.write("this is not a trace line\n")
for args, want in (([ "--patterns", "trace", "--trace", bad], f"{bad}:2:"),
                   (["--patterns", "boot", "--map", os.path.join(work, "no-such-map.txt")], "no-such-map.txt")):
    out = os.path.join(work, "never.json")
    res = run([framebench, "--matrix", "tiny", "--quiet", "--out", out, *args])
    assert res.returncode != 0, f"{args}: exit 0"
    assert want in res.stderr, f"{args}: message lacks {want!r}: {res.stderr}"
    assert not os.path.exists(out), f"{args}: results file written"
    print(f"ok: refused: {res.stderr.strip()}")
