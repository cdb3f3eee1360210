#!/usr/bin/env python3
"""Ctrl-C in the middle of a run leaves no results file, whole or partial."""
import os
import signal
import subprocess
import sys
import tempfile
import time

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

    # Interrupted while the results file is being written: the temporary
    # file exists (the hook holds it), then the signal must remove it.
    # SIGHUP (a closed terminal) and SIGTERM as well as Ctrl-C.
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        env = dict(os.environ, FRAMEBENCH_TEST_HOLD_RESULTS="30")
        p = subprocess.Popen([framebench, "--quiet", "--matrix", "tiny", "--patterns", "worst", "--out", out],
                             stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 60
        while not os.listdir(d):
            assert time.monotonic() < deadline and p.poll() is None, "no temporary results file appeared"
            time.sleep(0.05)
        tmp = os.listdir(d)[0]
        # A dead run's temporary file is recognisable: <file>.tmp.<pid>.
        assert tmp == f"r.json.tmp.{p.pid}", tmp
        assert not os.path.exists(out), "the results file appeared before the rename"
        p.send_signal(sig)
        rc = p.wait(timeout=60)
        assert rc != 0, f"run interrupted by {sig.name} exited 0"
        left = os.listdir(d)
        assert not left, f"write interrupted by {sig.name} left files: {left}"

    # `framebench | head -1`: the reader leaves after one line; the run
    # goes on, writes its results file and says stdout was closed.
    # (0.05 s per repetition: lines still come after the reader left.)
    p = subprocess.Popen([framebench, "--matrix", "tiny", "--patterns", "worst", "--min-time", "0.05",
                          "--out", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read()
    rc = p.wait(timeout=120)
    assert rc == 0 and os.path.exists(out), f"a closed stdout stopped the run ({rc}): {err[-400:]}"
    assert "standard output was closed" in err, err[-400:]
    os.unlink(out)
print("ok")
