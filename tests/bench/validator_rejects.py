#!/usr/bin/env python3
"""The validator accepts a minimal valid file and rejects each kind of break."""
import copy
import json
import os
import subprocess
import sys
import tempfile

validator = sys.argv[1]
GOOD = {
    "schema": "framebench-results/2",
    "context": {"date": "2026-11-26T21:40:00+00:00", "git_commit": "abc", "git_dirty": False,
                "compiler": "GNU 12.2.0", "c_flags": "-O3", "build_type": "Release",
                "cpu_model": "x", "num_cpus": 2, "kernel": "Linux 6", "host_name": "h",
                "matrix": "tiny", "repetitions": 3, "benchmark_library": "Google Benchmark 1.7.1",
                "harness_ns_per_op": 0.9, "harness_share_of_fastest": 0.1, "crosscheck_max_deviation": 0.05},
    "patterns": [{"name": "churn", "one_op": "x", "keys": ["occupancy"]},
                 {"name": "trace", "one_op": "x", "keys": [], "input_key": "trace"},
                 {"name": "boot", "one_op": "x", "keys": [], "input_key": "map"},
                 {"name": "frag", "one_op": "x", "keys": []}, {"name": "fill", "one_op": "x", "keys": []}],
    "strategies": [{"name": "ctz", "summary": "s"}, {"name": "linear", "summary": "s"}],
    "results": [{"name": "churn/ctz/frames:16384/occupancy:500", "pattern": "churn", "strategy": "ctz",
                 "frames": 16384, "params": {"occupancy": 500},
                 "ns_per_op": {"median": 20.0, "min": 19.0, "max": 23.0}, "ops_per_s": 5e7,
                 "meta_bytes_per_gib": 32832, "runs_2m_free": 4,
                 "crosschecks": [{"pattern": "churn_recorded", "ns_per_op": 21.0, "ratio": 1.05},
                                 {"pattern": "churn_walk", "ns_per_op": 19.0, "ratio": 0.95}],
                 "latency_ns": {"p50": 20, "p99": 61, "p999": 90, "max": 5230},
                 "latency_interrupted": 0, "latency_preempted": 0, "repetitions": 3},
                {"name": "trace/ctz/frames:50688/trace:gcc-build", "pattern": "trace", "strategy": "ctz",
                 "frames": 50688, "params": {"trace": "gcc-build"},
                 "ns_per_op": {"median": 50.0, "min": 49.0, "max": 51.0}, "ops_per_s": 2e7,
                 "meta_bytes_per_gib": 33098.99, "failed": 0, "unsupported": 0, "skipped_frees": 252,
                 "peak_occupancy": 0.496, "repetitions": 2},
                {"name": "boot/ctz/frames:6553600/map:e820-vm-6g", "pattern": "boot", "strategy": "ctz",
                 "frames": 6553600, "params": {"map": "e820-vm-6g"},
                 "ns_per_op": {"median": 0.005, "min": 0.004, "max": 0.006}, "ops_per_s": 2e11,
                 "meta_bytes_per_gib": 32770.56, "init_ns": 30000, "fill_skipped": "over the budget",
                 "repetitions": 2},
                {"name": "frag/ctz/frames:16384", "pattern": "frag", "strategy": "ctz",
                 "frames": 16384, "params": {},
                 "ns_per_op": {"median": 25.0, "min": 24.0, "max": 26.0}, "ops_per_s": 4e7,
                 "meta_bytes_per_gib": 32832, "free_2m_share": 0.5, "unusable_index_9": 0.1, "failed_allocs": 1,
                 "series": {"iterations": 2, "orders": "0,9", "free_2m_share": [0.1, 0.5],
                            "unusable_index_9": [0.8, 0.1]},
                 "repetitions": 3}],
    "skipped": [{"name": "boot/linear/frames:6553600/map:e820-vm-6g", "pattern": "boot", "strategy": "linear",
                 "frames": 6553600, "params": {"map": "e820-vm-6g"}, "reason": "memory cap"},
                {"name": "fill/linear/frames:16777216", "pattern": "fill", "strategy": "linear",
                 "frames": 16777216, "params": {}, "reason": "too slow"}],
}


def check(doc, raw=None):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        f.write(raw if raw is not None else json.dumps(doc))
    try:
        return subprocess.run([sys.executable, validator, f.name], capture_output=True, text=True).returncode
    finally:
        os.unlink(f.name)


assert check(GOOD) == 0, "valid document refused"
breaks = {
    "NaN": lambda d: d["results"][0]["ns_per_op"].update(median=float("nan")),
    "wrong schema": lambda d: d.update(schema="framebench-results/0"),
    "missing context field": lambda d: d["context"].pop("git_dirty"),
    "min above median": lambda d: d["results"][0]["ns_per_op"].update(min=21.0),
    "ops_per_s off": lambda d: d["results"][0].update(ops_per_s=1.0),
    "name disagrees": lambda d: d["results"][0].update(frames=262144),
    "duplicate cell": lambda d: d["skipped"].append(copy.deepcopy(d["skipped"][0])),
    "more repetitions than run": lambda d: d["results"][0].update(repetitions=64),
    "in results and skipped": lambda d: d["skipped"].append(dict(copy.deepcopy(d["results"][0]), reason="x")),
    "patterns not a list": lambda d: d.update(patterns={}, strategies=[]),
    "no catalog": lambda d: (d.pop("patterns"), d.pop("strategies")),
    "empty reason": lambda d: d["skipped"][0].update(reason=" "),
    "frames a string": lambda d: d["results"][0].update(frames="16384"),
    "latency out of order": lambda d: d["results"][0]["latency_ns"].update(p50=100),
    "trace stem an integer": lambda d: d["results"][1].update(params={"trace": 7}),
    "churn param a string": lambda d: d["results"][0].update(params={"occupancy": "500"}),
    "trace row without failed": lambda d: d["results"][1].pop("failed"),
    "negative unsupported": lambda d: d["results"][1].update(unsupported=-1),
    "failed a fraction": lambda d: d["results"][1].update(failed=0.5),
    "peak occupancy over 1": lambda d: d["results"][1].update(peak_occupancy=1.5),
    "boot row without init_ns": lambda d: d["results"][2].pop("init_ns"),
    "empty fill_skipped": lambda d: d["results"][2].update(fill_skipped=""),
    "crosschecks empty": lambda d: d["results"][0].update(crosschecks=[]),
    "crosscheck ratio 0": lambda d: d["results"][0]["crosschecks"][1].update(ratio=0),
    "crosscheck without pattern": lambda d: d["results"][0]["crosschecks"][0].pop("pattern"),
    "series too short": lambda d: d["results"][3]["series"].update(free_2m_share=[0.1]),
    "series without iterations": lambda d: d["results"][3]["series"].pop("iterations"),
    "series value a string": lambda d: d["results"][3]["series"].update(unusable_index_9=["a", 0.1]),
    "figure_text empty": lambda d: d.update(patterns=[{"name": "churn", "one_op": "x", "keys": ["occupancy"],
                                                       "figure_text": ""}], strategies=[]),
    "palette negative": lambda d: d.update(patterns=[], strategies=[{"name": "ctz", "summary": "s", "palette": -1}]),
    "map stem with a slash": lambda d: d["skipped"][0].update(params={"map": "a/b"}),
}
for what, brk in breaks.items():
    doc = copy.deepcopy(GOOD)
    brk(doc)
    assert check(doc) == 1, f"validator accepted: {what}"
assert check(None, raw=json.dumps(GOOD)[:-5]) == 1, "validator accepted truncated JSON"
print(f"ok: {len(breaks) + 1} broken documents refused")
