#!/usr/bin/env python3
"""No run writes its results over one of its inputs: a trace, a memory map or
a plug-in library named as --out (directly or through a link) is refused
before the first cell, and the file is unchanged."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run  # noqa: E402

framebench, data, plugin = sys.argv[1], sys.argv[2], sys.argv[3]
with tempfile.TemporaryDirectory() as d:
    trace = shutil.copy(os.path.join(data, "traces", "ftrace-sample.txt"), d)
    lib = shutil.copy(plugin, d)
    link = os.path.join(d, "link.json")
    os.symlink(trace, link)
    cases = [(["--patterns", "trace", "--trace", trace, "--out", trace], trace),
             (["--patterns", "trace", "--trace", trace, "--out", link], trace),
             (["--load", lib, "--patterns", "worst", "--out", lib], lib)]
    for args, victim in cases:
        with open(victim, "rb") as f:
            before = f.read()
        res = run([framebench, "--matrix", "tiny", *args])
        assert res.returncode == 2, (args, res.returncode, res.stderr)
        assert "is an input of this run" in res.stderr and victim in res.stderr, res.stderr
        with open(victim, "rb") as f:
            assert f.read() == before, f"{victim} changed"
print(f"ok: {len(cases)} runs refused to write over their inputs, which are unchanged")
