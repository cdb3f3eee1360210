#!/usr/bin/env python3
"""Bad command-line values exit non-zero with a message naming the value."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run  # noqa: E402

framebench, framebench_run = sys.argv[1], sys.argv[2]
bad = [
    ([framebench, "--matrix", "huge"], "huge"),
    ([framebench, "--strategies", "ctz,nosuch"], "nosuch"),
    ([framebench, "--patterns", "fill,nosuch"], "nosuch"),
    ([framebench, "--sizes", "12x"], "12x"),
    ([framebench, "--sizes", "64"], "64"),
    ([framebench, "--repetitions", "0"], "0"),
    ([framebench, "--repetitions", "two"], "two"),
    ([framebench, "--min-time", "-1"], "-1"),
    ([framebench, "--budget", "soon"], "soon"),
    ([framebench, "--max-time", "-1"], "-1"),
    ([framebench, "--cell-cap", "0"], "0"),
    ([framebench, "--seed", "x"], "x"),
    ([framebench, "--threads", "0"], "0"),
    ([framebench, "--threads", "1,two"], "two"),
    ([framebench, "--threads", "2,2"], "2"),
    ([framebench, "--threads", "65"], "65"),
    # One number parser: decimal where a number is meant, digits where an
    # integer is, no empty list item.
    ([framebench, "--threads", "0x10"], "0x10"),
    ([framebench, "--threads", "1,,2"], "1,,2"),
    ([framebench, "--strategies", "ctz,"], "ctz,"),
    ([framebench, "--repetitions", "0x10"], "0x10"),
    ([framebench, "--seed", "1e3"], "1e3"),
    ([framebench, "--min-time", "0x1p-10"], "0x1p-10"),
    ([framebench, "--min-time", "inf"], "inf"),
    ([framebench, "--mem-cap-mib", "1.5"], "1.5"),
    ([framebench, "--sizes", "-1G"], "-1G"),
    # A named input is read or refused, never dropped; one of --trace and --traces.
    ([framebench, "--patterns", "fill", "--trace", "/nonexistent"], "/nonexistent"),
    ([framebench, "--trace", "/nonexistent", "--traces", "/tmp"], "--traces"),
    ([framebench, "--bogus"], "--bogus"),
    ([framebench, "--out"], "--out"),
    ([framebench, "--benchmark_repetitions=100"], "--benchmark_repetitions=100"),
    ([framebench, "--benchmark_min_time=1"], "--benchmark_min_time=1"),
    ([framebench_run, "--strategy", "nosuch", "--pattern", "fill"], "nosuch"),
    ([framebench_run, "--strategy", "ctz", "--pattern", "nosuch"], "nosuch"),
    ([framebench_run, "--strategy", "ctz", "--pattern", "fill", "--ops", "0"], "0"),
    ([framebench_run, "--strategy", "ctz", "--pattern", "fill", "--frames", "10"], "10"),
    ([framebench_run, "--strategy", "ctz", "--pattern", "churn", "--param", "size=3"], "size=3"),
    ([framebench_run, "--strategy", "ctz", "--pattern", "fill", "--bogus", "1"], "--bogus"),
]
for cmd, value in bad:
    res = run(cmd)
    assert res.returncode != 0, f"{cmd} exited 0"
    assert value in res.stderr, f"{cmd}: message does not name '{value}': {res.stderr!r}"
# Refused before the first cell, nothing written: an option as --out's value,
# a directory that does not exist, a directory as the file; and a run in
# which nothing was measured (a filter that matches no cell).
import tempfile  # noqa: E402
with tempfile.TemporaryDirectory() as tmp:
    quick = [framebench, "--matrix", "tiny", "--patterns", "worst", "--quiet"]
    out = os.path.join(tmp, "r.json")
    refusals = [
        (quick + ["--out", "--quiet"], "--quiet"),
        (quick + ["--out", os.path.join(tmp, "nosuch", "r.json")], "nosuch"),
        (quick + ["--out", tmp], "is a directory"),
        (quick + ["--out", out, "--benchmark_filter=^nomatch$"], "no cell was measured"),
    ]
    for cmd, want in refusals:
        res = run(cmd)
        assert res.returncode == 2, f"{cmd}: exit {res.returncode}, want 2: {res.stderr[-300:]}"
        assert want in res.stderr, f"{cmd}: message does not say '{want}': {res.stderr[-300:]!r}"
        assert "[1/" not in res.stderr or "no cell" in want, f"{cmd}: ran cells before refusing"
        assert sorted(os.listdir(tmp)) == [], f"{cmd}: left {os.listdir(tmp)}"
    # Listing Google Benchmark's cases is a listing: exit 0, the names, no file.
    res = run(quick + ["--out", out, "--benchmark_list_tests=true"])
    assert res.returncode == 0 and "worst/ctz/frames:16384/manual_time" in res.stdout, res.stderr[-300:]
    assert sorted(os.listdir(tmp)) == [], f"--benchmark_list_tests: left {os.listdir(tmp)}"
    res = run(quick + ["--out", out])
    assert res.returncode == 0 and os.path.exists(out), res.stderr[-300:]
    assert "cells measured" in res.stderr.splitlines()[-1], res.stderr.splitlines()[-1]
    with open(out) as f:
        others = len(json.load(f)["results"]) - 1
    # Cells a filter leaves out are counted, not listed as skipped rows.
    res = run(quick + ["--out", out, "--benchmark_filter=^worst/ctz/"])
    assert res.returncode == 0 and f"{others} left out" in res.stderr.splitlines()[-1], res.stderr[-300:]
    with open(out) as f:
        doc = json.load(f)
    assert [r["name"] for r in doc["results"]] == ["worst/ctz/frames:16384"], doc["results"]
    assert doc["skipped"] == [] and doc["context"]["cells_left_out"] == others, (doc["skipped"], doc["context"])
    # The filter reaches the threaded cells as every other: matching none of
    # the whole matrix runs nothing and writes nothing; matching threaded
    # cells alone runs those, into the "threaded" rows.
    res = run([framebench, "--matrix", "tiny", "--quiet", "--out", out + ".none", "--benchmark_filter=^nomatch$"])
    assert res.returncode == 2 and "no cell was measured" in res.stderr and "[1/" not in res.stderr, \
        res.stderr[-300:]
    assert not os.path.exists(out + ".none"), "a filter that matched nothing wrote a file"
    res = run([framebench, "--matrix", "tiny", "--quiet", "--out", out, "--benchmark_filter=^mt_repeat/lockfree/"])
    assert res.returncode == 0, res.stderr[-300:]
    with open(out) as f:
        doc = json.load(f)
    got = sorted(r["name"] for r in doc["results"] + doc["threaded"])
    assert got and all(n.startswith("mt_repeat/lockfree/") for n in got), got
    # A run whose every cell is skipped writes nothing and says why, by kind.
    more = len(os.sched_getaffinity(0)) + 1
    res = run([framebench, "--threads", str(more), "--patterns", "mt_bulk", "--strategies", "lockfree", "--quiet",
               "--out", out + ".cpus"])
    assert res.returncode == 2 and "1 skipped (1 for want of CPUs)" in res.stderr, res.stderr[-300:]
    assert not os.path.exists(out + ".cpus") and "Failed to match" not in res.stderr, res.stderr[-300:]
    # A threaded cell whose thread did nothing fails, kept in skipped with
    # the reason; the run exits 1.
    res = run([framebench, "--sizes", "1024", "--patterns", "mt_2m", "--strategies", "lockfree", "--threads", "2",
               "--quiet", "--out", out])
    if more > 2:
        with open(out) as f:
            doc = json.load(f)
        reasons = [s["reason"] for s in doc["skipped"]]
        assert res.returncode == 1 and any("did no alloc_run" in r for r in reasons), (res.returncode, reasons)
    # The console: one line per cell, and no colour into a pipe unless asked.
    res = run([framebench, "--matrix", "tiny", "--patterns", "worst", "--out", out])
    lines = res.stdout.splitlines()
    assert res.returncode == 0 and len(lines) == others + 1 and all(" ns  [" in l for l in lines), res.stdout
    assert "\x1b[" not in res.stdout, "ANSI colour written into a pipe"
    res = run([framebench, "--matrix", "tiny", "--patterns", "worst", "--out", out, "--benchmark_color=true"])
    assert "\x1b[" in res.stdout, "--benchmark_color=true gave no colour"
    for cmd, want in (([framebench, "--benchmark_format=json"], "--benchmark_format=json"),
                      ([framebench, "--benchmark_out=x.json"], "--benchmark_out=x.json"),
                      ([framebench, "--benchmark_color=maybe"], "maybe")):
        res = run(cmd)
        assert res.returncode == 2 and want in res.stderr, (cmd, res.returncode, res.stderr)
bad += refusals
# An unknown strategy is answered with the ones there are.
for prog, opt in ((framebench, "--strategies"), (framebench_run, "--strategy")):
    res = run([prog, opt, "nosuch", "--pattern", "fill"] if prog == framebench_run else [prog, opt, "nosuch"])
    assert res.returncode == 2 and "the strategies are linear, ctz" in res.stderr, (prog, res.stderr)
for prog in (framebench, framebench_run):
    res = run([prog, "--help"])
    assert res.returncode == 0 and "usage:" in res.stdout, f"{prog} --help"
print(f"ok: {len(bad)} bad command lines refused")
