#!/usr/bin/python3
"""tools/compare on framebench results files: two runs cell by cell, and
strategies within one run, on small fixtures made here (not measurements)."""
import copy
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_case import COMPARE, CompareCase  # noqa: E402
CONTEXT = {"date": "2026-12-01T00:00:00+00:00", "git_commit": "abc", "git_dirty": False,
           "compiler": "GNU 12.2.0", "c_flags": "-O3", "build_type": "Release", "cpu_model": "Test CPU",
           "num_cpus": 2, "kernel": "Linux 6", "host_name": "h", "matrix": "tiny", "repetitions": 5,
           "benchmark_library": "Google Benchmark 1.7.1", "harness_ns_per_op": None,
           "harness_share_of_fastest": None, "crosscheck_max_deviation": None}
REPS = [0.97, 0.99, 1.0, 1.01, 1.03]  # each cell's repetitions, times its median


def fixture(scale=None):
    """fill and worst for ctz and tree at two sizes, five repetitions each;
    scale: strategy -> factor applied to its times."""
    scale = scale or {}
    results, bench = [], []
    base_ns = {"ctz": 10.0, "tree": 4.0}
    for strategy, ns in base_ns.items():
        for pattern, k in (("fill", 1.0), ("worst", 3.0)):
            for frames in (16384, 262144):
                name = f"{pattern}/{strategy}/frames:{frames}"
                m = ns * k * (frames / 16384) ** 0.1 * scale.get(strategy, 1.0)
                times = [m * f for f in REPS]
                results.append({"name": name, "pattern": pattern, "strategy": strategy, "frames": frames,
                                "params": {}, "ns_per_op": {"median": m, "min": min(times), "max": max(times)},
                                "ops_per_s": 1e9 / m, "meta_bytes_per_gib": 32768, "repetitions": 5})
                bench += [{"name": name, "run_name": name, "run_type": "iteration", "repetitions": 5,
                           "repetition_index": i, "iterations": 1000, "real_time": t, "time_unit": "ns"}
                          for i, t in enumerate(times)]
    return {"schema": "framebench-results/2", "context": copy.deepcopy(CONTEXT), "results": results,
            "skipped": [], "benchmarks": bench}


class CompareResultsTest(CompareCase):
    def run_compare(self, *args):
        p = subprocess.run([COMPARE, *args], capture_output=True, text=True)
        return p.returncode, p.stdout, p.stderr

    def test_identical_runs_exit_0(self):
        a = self.write("a.json", fixture())
        code, out, err = self.run_compare(a, a)
        self.assertEqual(code, 0, err)
        self.assertTrue(out.startswith("**framebench OK: 0 regressions, 0 improvements, 8 unchanged"), out)

    def test_one_strategy_doubled_exits_1_naming_its_cells(self):
        a, b = self.write("a.json", fixture()), self.write("b.json", fixture({"tree": 2.0}))
        code, out, _ = self.run_compare(a, b)
        self.assertEqual(code, 1, out)
        self.assertIn("4 regressions", out)
        regressed = out.split("Regressed: ", 1)[1].split("\n", 1)[0]
        self.assertIn("`fill/tree/frames:16384`", regressed)
        self.assertNotIn("ctz", regressed)
        self.assertIn("| tree | 4 | 2.000x |", out)

    def test_too_few_repetitions_says_so(self):
        doc = fixture({"tree": 2.0})
        doc["benchmarks"] = [b for b in doc["benchmarks"] if b["repetition_index"] < 3]
        a, b = self.write("a.json", fixture()), self.write("b.json", doc)
        code, out, _ = self.run_compare(a, b)
        self.assertEqual(code, 0, out)
        self.assertIn("too few repetitions (3 < 4) for a test", out)

    def test_other_cpu_exits_2_unless_forced(self):
        other = fixture()
        other["context"]["cpu_model"] = "Other CPU"
        a, b = self.write("a.json", fixture()), self.write("b.json", other)
        code, _, err = self.run_compare(a, b)
        self.assertEqual(code, 2)
        self.assertIn("different machine", err)
        code, _, err = self.run_compare(a, b, "--force")
        self.assertEqual(code, 0, err)

    def test_malformed_files_exit_2_without_traceback(self):
        a = self.write("a.json", fixture())
        for name, text in (("trunc.json", json.dumps(fixture())[:500]), ("list.json", "[1, 2]"),
                           ("nan.json", json.dumps(fixture()).replace('"median": 10.0', '"median": NaN', 1))):
            code, _, err = self.run_compare(a, self.write(name, text))
            self.assertEqual(code, 2, (name, err))
            self.assertNotIn("Traceback", err)

    def test_strategies_within_one_run(self):
        a = self.write("a.json", fixture())
        code, out, err = self.run_compare("--strategies", "ctz,tree", a)
        self.assertEqual(code, 0, err)
        self.assertIn("`tree` is 2.50x faster than `ctz` over all patterns (geometric mean of 4 cells", out)
        self.assertIn("`tree` is 2.50x faster than `ctz` on fill (geometric mean of 2 cells", out)
        code, _, err = self.run_compare("--strategies", "ctz,nosuch", a)
        self.assertEqual(code, 2)
        self.assertIn("nosuch", err)


if __name__ == "__main__":
    unittest.main()
