#!/usr/bin/env python3
"""framebench-check holds a plug-in to the contract: the example passes
(exit 0); one that accepts a double free is caught (exit 1) with a finding
naming the strategy, the region and the call; bad usage exits 2.

usage: test_plugin_check.py FRAMEBENCH_CHECK HINTSCAN.so BROKEN.so"""
import subprocess
import sys

check, good, broken = sys.argv[1:4]


def run(*args):
    return subprocess.run([check, *args], capture_output=True, text=True, timeout=600)


res = run("--load", good, "--strategy", "hintscan", "--steps", "2000")
assert res.returncode == 0, res.stdout + res.stderr[-2000:]
assert "hintscan     contract ok, differential ok, relocation ok" in res.stdout, res.stdout
res = run("--load", broken, "--strategy", "broken", "--steps", "2000")
assert res.returncode == 1, (res.returncode, res.stdout)
assert "broken       contract FAILS" in res.stdout, res.stdout
assert "broken n=1 base=0: ops->free(" in res.stderr and "want 'frame is not allocated'" in res.stderr, \
    res.stderr[:2000]
# The differential finding, reduced to the one call that shows it.
assert "1 call on a fresh broken state (n=1 base=0) reproduces it:\n    free(0)\n" in res.stderr, res.stderr[-3000:]
# A bounded random search beyond the fixed seeds: finds nothing in the good one.
res = run("--load", good, "--strategy", "hintscan", "--steps", "400", "--seconds", "1")
assert res.returncode == 0, res.stdout + res.stderr[-2000:]
# A library is not instrumented: --fuzz says so and is no finding.
res = run("--load", good, "--strategy", "hintscan", "--steps", "400", "--fuzz", "1")
assert res.returncode == 0 and "hintscan     fuzz not run: a shared-library plug-in" in res.stdout, res.stdout
for args, want in ((["--strategy", "nosuch"], "no strategy 'nosuch'"), (["--steps", "0"], "bad --steps '0'"),
                   (["--seconds", "-1"], "bad --seconds '-1'"), (["--fuzz", "0"], "bad --fuzz '0'"),
                   (["--steps", "-1"], "bad --steps '-1'"), (["--seed", "-1"], "bad --seed '-1'"),
                   (["--steps", "99999999999999999999"], "bad --steps '99999999999999999999'"),
                   (["--fuzz", "0x1p-2"], "bad --fuzz '0x1p-2'"),
                   (["--load", "/nonexistent.so"], "/nonexistent.so: cannot load"), (["--frobnicate"], "--frobnicate")):
    res = run(*args)
    assert res.returncode == 2 and want in res.stderr, (args, res.returncode, res.stderr)
print("ok: the example passes, the broken plug-in is caught, bad usage refused")
