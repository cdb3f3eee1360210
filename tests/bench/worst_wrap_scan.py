"""worst_wrap is the worst case of a next-fit hint, shown by instruction
counts (callgrind), not a timer: on 16384 frames (256 words) nextfit's op
in worst_wrap runs well over one instruction per word of the map (a wrap),
while its op in worst (the lone frame at the far end, where its hint
already is) costs a small fraction of that.

usage: worst_wrap_scan.py FRAMEBENCH_RUN"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

fbrun = sys.argv[1]
if not shutil.which("valgrind"):
    print("FAIL: valgrind is not installed (scripts/deps.sh installs it)")
    sys.exit(1)
FRAMES, OPS = 16384, 200


def instructions_per_op(strategy, pattern):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        "--toggle-collect=fb_measured_ops", fbrun, "--strategy", strategy,
                        "--pattern", pattern, "--frames", str(FRAMES), "--ops", str(OPS)],
                       check=True, capture_output=True, text=True, timeout=300)
        with open(out) as f:
            m = re.search(r"^summary:\s+(\d+)", f.read(), re.M)
        assert m, "no summary line in the callgrind output"
        return int(m.group(1)) / OPS


words = FRAMES // 64
wrap, end = instructions_per_op("nextfit", "worst_wrap"), instructions_per_op("nextfit", "worst")
print(f"nextfit: worst_wrap {wrap:.0f} instructions per op, worst {end:.0f} ({words} words)")
assert wrap > 2 * words, f"worst_wrap costs nextfit {wrap:.0f} instructions per op: no wrap of {words} words"
assert wrap > 10 * end, f"worst_wrap ({wrap:.0f}) is not far above worst ({end:.0f}) for nextfit"
ctz = instructions_per_op("ctz", "worst_wrap")
assert ctz < wrap, f"ctz ({ctz:.0f}) should pay less than a wrap in worst_wrap ({wrap:.0f})"
print("ok: worst_wrap costs nextfit a wrap; worst does not")
