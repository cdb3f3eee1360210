#!/usr/bin/env python3
"""A thread-safe plug-in (examples/c-plugin/spinhint.c, FA_MT_PLUGIN) runs in
the threaded cells beside the built-ins; its mt_2m cells are skipped, saying
it has no alloc_run; the rows validate."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from common import catalog, run  # noqa: E402
import results_file  # noqa: E402

fb, plugin = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "r.json")
    res = run([fb, "--load", plugin, "--matrix", "tiny", "--strategies", "spinhint,lockfree",
               "--patterns", "mt_bulk,mt_remote,mt_2m", "--quiet", "--out", out])
    assert res.returncode == 0, res.stderr[-2000:]
    doc = results_file.load_strict(out)
    assert not results_file.validate(doc), results_file.validate(doc)
    rows = {r["name"]: r for r in doc["threaded"]}
    for t in catalog(fb)["threads"]:
        for p in ("mt_bulk", "mt_remote"):
            name = f"{p}/spinhint/frames:16384/threads:{t}"
            assert name in rows and rows[name]["thread_safe"], (name, sorted(rows))
    skipped = {s["name"]: s["reason"] for s in doc["skipped"]}
    assert "no alloc_run" in skipped.get("mt_2m/spinhint/frames:16384/threads:1", ""), skipped
    assert "mt_2m/lockfree/frames:16384/threads:1" in rows, sorted(rows)
print("ok: the thread-safe plug-in ran in the threaded cells")
