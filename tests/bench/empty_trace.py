"""A trace with no replayable event (empty, comments only, frees only) is
refused when it is read, naming the file, by framebench (also inside
--traces DIR), framebench-run and framebench-trace; none of them hangs
(framebench used to spin on a cycle of 0 ops) or crashes (framebench-run
divided by the 0 events).  A subdirectory inside --traces DIR is refused
as a directory.

usage: empty_trace.py FRAMEBENCH FRAMEBENCH_RUN FRAMEBENCH_TRACE"""
import os
import subprocess
import sys
import tempfile

framebench, fbrun, fbtrace = sys.argv[1:4]
FILES = {"empty.txt": "", "comments.txt": "# a comment\n",
         "frees.txt": " cc1 1 [000] 1.0: kmem:mm_page_free: page=0x1 pfn=0x1 order=0\n"}
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "out.json")
    for name, text in FILES.items():
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write(text)
        for cmd, code in (([framebench, "--quiet", "--patterns", "trace", "--trace", path, "--strategies", "tree",
                            "--out", out], 2),
                          ([fbrun, "--strategy", "tree", "--trace", path, "--ops", "5"], 2),
                          ([fbtrace, "trace", path], 1)):
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            assert res.returncode == code, f"{cmd}: exit {res.returncode}, want {code}: {res.stderr[-300:]}"
            assert name in res.stderr and "no replayable event" in res.stderr, f"{cmd}: {res.stderr[-300:]}"
            assert not os.path.exists(out), f"{cmd} wrote {out}"
    res = subprocess.run([framebench, "--quiet", "--patterns", "trace", "--traces", tmp, "--out", out],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "no replayable event" in res.stderr, res.stderr[-300:]
    # A subdirectory inside --traces DIR is named as one, not "read error: Is a directory".
    good = os.path.join(tmp, "good")
    os.makedirs(os.path.join(good, "sub"))
    with open(os.path.join(good, "one.txt"), "w") as f:
        f.write(" cc1 1 [000] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0x1 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n")
    res = subprocess.run([framebench, "--quiet", "--patterns", "trace", "--traces", good, "--out", out],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "sub: a directory, not a file" in res.stderr, res.stderr[-300:]
    assert not os.path.exists(out), "wrote a results file"
print(f"ok: {len(FILES)} traces without a replayable event refused by all three tools, and in --traces DIR; "
      "a subdirectory named as one")
