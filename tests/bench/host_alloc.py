#!/usr/bin/env python3
"""A cell whose buffers the host cannot allocate says so, with the bytes,
not "state buffer too small or misaligned" (the allocator's own error).
The address space is capped at 1 GiB so the allocation fails for sure.

usage: host_alloc.py FRAMEBENCH_RUN"""
import os
import resource
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run  # noqa: E402

fbrun = sys.argv[1]


def cap():
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


# freelist keeps 16 bytes per frame: 2^28 frames want 4 GiB of state.
res = run([fbrun, "--strategy", "freelist", "--frames", str(1 << 28), "--pattern", "churn",
           "--param", "occupancy=500", "--ops", "10"], preexec_fn=cap)
assert res.returncode == 1, f"exit {res.returncode}: {res.stderr}"
assert "could not allocate" in res.stderr and "4294967" in res.stderr, res.stderr
assert "too small or misaligned" not in res.stderr, res.stderr
print("ok:", res.stderr.strip())
