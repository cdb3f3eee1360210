#!/usr/bin/env python3
"""frag writes its per-iteration series; the lowest-first strategies, written
apart, place every frame alike and so repeat one series exactly; a strategy
without alloc_run says it ran order 0 only; every share and index is in
[0, 1] and the row's figures are the series' last iteration."""
import json
import os
import subprocess
import sys
import tempfile

framebench = sys.argv[1]
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "frag.json")
    r = subprocess.run([framebench, "--matrix", "tiny", "--patterns", "frag", "--strategies",
                        "ctz,tree,summary2,nextfit,freelist", "--quiet", "--out", out],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    rows = {row["strategy"]: row for row in json.load(open(out))["results"]}

assert set(rows) == {"ctz", "tree", "summary2", "nextfit", "freelist"}, sorted(rows)
for name, row in rows.items():
    s = row["series"]
    assert s["iterations"] == 100, (name, s["iterations"])
    for key in ("free_2m_share", "unusable_index_3", "unusable_index_9"):
        assert all(0 <= v <= 1 for v in s[key]), (name, key)
        if key in row:
            assert row[key] == s[key][-1], (name, key, row[key], s[key][-1])
    assert s["failed_allocs"] == sorted(s["failed_allocs"]), (name, "failed count went down")
assert rows["ctz"]["series"] == rows["tree"]["series"] == rows["summary2"]["series"], \
    "lowest-first strategies placed frames differently"
assert rows["freelist"]["series"]["orders"].startswith("0 ("), rows["freelist"]["series"]["orders"]
assert rows["nextfit"]["series"] != rows["ctz"]["series"], "next-fit placed frames as lowest-first"
print("ok: frag series of", ", ".join(sorted(rows)))
