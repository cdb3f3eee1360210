#!/usr/bin/env python3
"""A user's allocator as a plug-in library, with no framebench file edited:
framebench --load lists it and runs it in a tiny matrix (its results name
the library and its checksum), framebench-run runs it, the plots give it a
line, compare puts it against a built-in; and each malformed plug-in is
refused (exit 2) with a message naming the library and the fault.

usage: test_plugin.py SOURCE_DIR FRAMEBENCH FRAMEBENCH_RUN HINTSCAN.so BAD.so..."""
import json
import os
import subprocess
import sys
import tempfile

src, fb, fbrun, plugin = sys.argv[1:5]
bad = sys.argv[5:]
sys.path.insert(0, os.path.join(src, "tools"))
import results_file  # noqa: E402


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


res = run([fb, "--load", plugin, "--help"])
assert res.returncode == 0 and "hintscan      example plug-in" in res.stdout and plugin in res.stdout, res.stdout
# --load after --strategies: plug-ins are loaded first wherever --load stands.
res = run([fb, "--strategies", "hintscan", "--load", plugin, "--matrix", "tiny", "--list"])
assert res.returncode == 0 and "run\tfill/hintscan/frames:16384" in res.stdout, res.stderr
assert "skip\truns/hintscan/frames:16384/run:2/frag:0\tstrategy has no alloc_run/free_run" in res.stdout, res.stdout

with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "r.json")
    res = run([fb, "--load", plugin, "--matrix", "tiny", "--strategies", "hintscan,nextfit",
               "--patterns", "fill,churn,worst,runs", "--quiet", "--out", out])
    assert res.returncode == 0, res.stderr[-2000:]
    doc = results_file.load(out)
    mine = [s for s in doc["strategies"] if s["name"] == "hintscan"]
    assert mine and mine[0]["origin"] == "plug-in" and mine[0]["library"] == plugin, doc["strategies"]
    assert len(mine[0]["library_fnv1a64"]) == 16, mine
    assert [s["origin"] for s in doc["strategies"] if s["name"] == "nextfit"] == ["built-in"], doc["strategies"]
    ran = {r["name"] for r in doc["results"]}
    assert "churn/hintscan/frames:16384/occupancy:900" in ran, sorted(ran)
    # Its own colour and a legend entry in the figures.
    res = run([os.path.join(src, "plots", "draw"), out, "--out", os.path.join(d, "fig")])
    assert res.returncode == 0, res.stderr
    with open(os.path.join(d, "fig", "summary.svg")) as f:
        assert ">hintscan<" in f.read(), "no legend entry for the plug-in"
    assert "one region size (64 MiB): no size figures" in res.stderr, res.stderr
    # Against a built-in, within the run.
    res = run([os.path.join(src, "tools", "compare"), "--strategies", "nextfit,hintscan", out])
    assert res.returncode == 0 and "hintscan" in res.stdout, res.stdout + res.stderr

res = run([fbrun, "--load", plugin, "--strategy", "hintscan", "--pattern", "churn", "--frames", "16384",
           "--ops", "10000"])
assert res.returncode == 0 and json.loads(res.stdout)["strategy"] == "hintscan", res.stderr

want = {"clash": "strategy ctz: the name is taken by a built-in strategy",
        "no_symbol": "no fa_plugin_contract symbol",
        "null_member": "strategy bad: check is NULL",
        "version": "built against contract version 2, framebench has 1",
        "dash_name": "name '-dash' is not 1 to 32 of [A-Za-z0-9_-], not starting with '-'",
        "mt_orphan": "thread-safe strategy orphan: its single-CPU view is not in this library's FA_PLUGIN list",
        "mt_version": "thread-safe strategies built against contract version 2, framebench has 1",
        "traits_name": "fa_plugin_traits names 'ctz', which is not one of its strategies",
        "traits_bits": "fa_plugin_traits gives bad the bits 0x80, which this framebench does not know"}
for lib in bad:
    kind = os.path.basename(lib)[len("plugin_bad_"):-len(".so")]
    for cmd in ([fb, "--load", lib, "--list"], [fbrun, "--load", lib, "--strategy", "bad", "--pattern", "fill"]):
        res = run(cmd)
        assert res.returncode == 2 and lib in res.stderr and want[kind] in res.stderr, (kind, res.returncode, res.stderr)
res = run([fb, "--load", plugin, "--load", plugin, "--list"])
assert res.returncode == 2 and "hintscan: the name is taken by " + plugin in res.stderr, res.stderr
res = run([fb, "--load", "/nonexistent/x.so", "--list"])
assert res.returncode == 2 and "/nonexistent/x.so: cannot load" in res.stderr, res.stderr
print(f"ok: the plug-in ran, plotted and compared; {len(bad) + 2} bad loads refused")
