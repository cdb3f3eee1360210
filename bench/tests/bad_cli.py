#!/usr/bin/env python3
"""Bad command-line values exit non-zero with a message naming the value."""
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
    ([framebench, "--seed", "x"], "x"),
    ([framebench, "--bogus"], "--bogus"),
    ([framebench, "--out"], "--out"),
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
for prog in (framebench, framebench_run):
    res = run([prog, "--help"])
    assert res.returncode == 0 and "usage:" in res.stdout, f"{prog} --help"
print(f"ok: {len(bad)} bad command lines refused")
