#!/usr/bin/env python3
"""Ctrl-C in the middle of a run leaves no results file, whole or partial."""
import os
import signal
import subprocess
import sys
import tempfile

framebench = sys.argv[1]
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "r.json")
    # The default matrix runs for minutes: the signal lands mid-run.
    p = subprocess.Popen([framebench, "--quiet", "--out", out], stderr=subprocess.PIPE, text=True)
    for line in p.stderr:
        if line.startswith("[3/"):
            break
    p.send_signal(signal.SIGINT)
    p.stderr.close()
    rc = p.wait(timeout=60)
    assert rc != 0, "interrupted run exited 0"
    left = os.listdir(d)
    assert not left, f"interrupted run left files: {left}"
print("ok")
