#!/usr/bin/python3
"""tools/compare on framebench results files: two runs cell by cell, and
strategies within one run, on small fixtures made here (not measurements)."""
import copy
import json
import os
import random
import subprocess
import sys
import math
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
    catalog = {"patterns": [{"name": p, "one_op": f"one {p} op (fixture)", "keys": []} for p in ("fill", "worst")],
               "strategies": [{"name": s, "summary": f"{s} (fixture)"} for s in base_ns]}
    return {"schema": "framebench-results/2", "context": copy.deepcopy(CONTEXT), **catalog, "results": results,
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

    def test_too_few_repetitions_is_no_verdict(self):
        doc = fixture({"tree": 2.0})
        doc["benchmarks"] = [b for b in doc["benchmarks"] if b["repetition_index"] < 3]
        a, b = self.write("a.json", fixture()), self.write("b.json", doc)
        code, out, _ = self.run_compare(a, b)
        self.assertEqual(code, 3, out)
        self.assertTrue(out.startswith("**framebench NO VERDICT: no cell of the 8 in both runs can be tested"), out)
        self.assertIn("fewer than 5 repetitions on a side (they have 3)", out)
        self.assertNotIn("OK", out)

    def test_some_cells_untested_are_counted_apart(self):
        doc = fixture()
        doc["benchmarks"] = [b for b in doc["benchmarks"]
                             if b["repetition_index"] < 3 or not b["name"].startswith("fill/")]
        a, b = self.write("a.json", fixture()), self.write("b.json", doc)
        code, out, _ = self.run_compare(a, b)
        self.assertEqual(code, 0, out)
        self.assertTrue(out.startswith("**framebench OK: 0 regressions, 0 improvements, 4 unchanged, "
                                       "4 untested (too few repetitions)**"), out)

    def noise_pair(self, cells=200, seed=7):
        """Two runs of `cells` cells whose repetitions are all drawn from one
        distribution (+-4 %, lognormal): a pure A/A pair."""
        rnd = random.Random(seed)
        docs = []
        for _ in range(2):
            results, bench = [], []
            for i in range(cells):
                name = f"fill/ctz/frames:{16384 + 512 * i}"
                times = [10.0 * math.exp(rnd.gauss(0, 0.04)) for _ in range(5)]
                s = sorted(times)
                results.append({"name": name, "pattern": "fill", "strategy": "ctz", "frames": 16384 + 512 * i,
                                "params": {}, "ns_per_op": {"median": s[2], "min": s[0], "max": s[4]},
                                "ops_per_s": 1e9 / s[2], "meta_bytes_per_gib": 32768, "repetitions": 5})
                bench += [{"name": name, "real_time": t, "repetition_index": k} for k, t in enumerate(times)]
            doc = fixture()
            doc["results"], doc["benchmarks"] = results, bench
            docs.append(doc)
        return self.write("n1.json", docs[0]), self.write("n2.json", docs[1])

    def runs_of_many(self, shift=1.0, changed=None, factor=1.0, seed=3):
        """Two runs of 12 strategies x 20 cells, repetitions +-2 % lognormal
        each; every head cell times `shift` (a machine slower for that whole
        run), and strategy `changed`'s cells times `factor` as well."""
        rnd = random.Random(seed)
        docs = []
        for side in ("base", "head"):
            results, bench = [], []
            for k in range(12):
                strategy = f"s{k}"
                for i in range(20):
                    name = f"fill/{strategy}/frames:{16384 + 512 * i}"
                    m = (5.0 + k) * (shift * (factor if strategy == changed else 1.0) if side == "head" else 1.0)
                    times = sorted(m * math.exp(rnd.gauss(0, 0.02)) for _ in range(5))
                    results.append({"name": name, "pattern": "fill", "strategy": strategy,
                                    "frames": 16384 + 512 * i, "params": {},
                                    "ns_per_op": {"median": times[2], "min": times[0], "max": times[4]},
                                    "ops_per_s": 1e9 / times[2], "meta_bytes_per_gib": 32768, "repetitions": 5})
                    bench += [{"name": name, "real_time": t, "repetition_index": j} for j, t in enumerate(times)]
            doc = fixture()
            doc["results"], doc["benchmarks"] = results, bench
            docs.append(self.write(f"{side}.json", doc))
        return docs

    def test_a_whole_run_moved_is_no_regression(self):
        # Seen with tools/calibrate: one run of a pair 10-30 % slower in most
        # cells.  Each cell's own test calls them all; against the run's own
        # move none stands out.
        # (--threshold 10: 240 cells of +-2 % noise each put one or two past
        # 5 % by themselves, as a real run does; this is about the move.)
        code, out, _ = self.run_compare(*self.runs_of_many(shift=1.25), "--threshold", "10")
        self.assertEqual(code, 0, out[:2000])
        self.assertIn("the whole run moved", out)

    def test_one_strategy_of_many_changed_stands_out_of_the_runs_move(self):
        code, out, _ = self.run_compare(*self.runs_of_many(shift=1.25, changed="s3", factor=1.5), "--threshold", "10")
        self.assertEqual(code, 1, out[:2000])
        regressed = out.split("Regressed: ", 1)[1].split("\n", 1)[0]
        self.assertEqual(regressed.count("`fill/s3/"), 20, regressed)
        self.assertEqual(regressed.count("`"), 40, regressed)  # s3's 20 cells alone

    def test_pure_noise_does_not_fail_after_correction(self):
        a, b = self.noise_pair()
        code, out, _ = self.run_compare(a, b, "--threshold", "0")
        self.assertEqual(code, 0, out[:2000])
        # The uncorrected test would have called some of them (the report
        # says how many): the correction is what keeps the verdict.
        raw = int(out.split("uncorrected, ", 1)[1].split(" would", 1)[0])
        self.assertGreater(raw, 0, out[:2000])
        self.assertIn("0 regressions, 0 improvements, 200 unchanged", out)

    def test_one_cell_doubled_fails_naming_it_alone(self):
        a, b = self.noise_pair()
        with open(b) as f:
            doc = json.load(f)
        target = "fill/ctz/frames:16384"
        for row in doc["results"]:
            if row["name"] == target:
                row["ns_per_op"] = {k: 2 * v for k, v in row["ns_per_op"].items()}
                row["ops_per_s"] /= 2
        for bench in doc["benchmarks"]:
            if bench["name"] == target:
                bench["real_time"] *= 2
        b = self.write("n2.json", doc)
        code, out, _ = self.run_compare(a, b)
        self.assertEqual(code, 1, out[:2000])
        regressed = out.split("Regressed: ", 1)[1].split("\n", 1)[0]
        self.assertTrue(regressed.startswith(f"`{target}` (2."), regressed)
        self.assertEqual(regressed.count("`"), 2, regressed)  # that cell alone
        # Rows sorted by the size of the change: the doubled one first.
        changed = out.split("## Changed", 1)[1]
        self.assertIn(target, changed.split("\n")[4])

    def test_a_row_timed_differently_is_not_compared(self):
        # boot's fill put over the budget in one run only: init alone against
        # init and fill, thousands of times apart, is no regression.
        base, head = fixture(), fixture()
        for row in head["results"]:
            if row["name"] == "worst/ctz/frames:262144":
                row["fill_skipped"] = "over the budget"
        for b in head["benchmarks"]:
            if b["name"] == "worst/ctz/frames:262144":
                b["real_time"] *= 5000
        code, out, err = self.run_compare(self.write("a.json", base), self.write("b.json", head))
        self.assertEqual(code, 0, out + err)
        self.assertIn("1 not comparable", out)
        self.assertIn("`worst/ctz/frames:262144` (fill skipped in the head run only)", out)
        self.assertNotIn("5000", out)

    def test_threaded_rows_are_compared(self):
        def threaded(doc, ns):
            doc["threaded"] = []
            for t in (1, 2):
                name = f"mt_bulk/lockfree/frames:262144/threads:{t}"
                times = [ns * t * f for f in REPS]
                doc["threaded"].append({"name": name, "pattern": "mt_bulk", "strategy": "lockfree",
                                        "frames": 262144, "params": {"threads": t}, "threads": t,
                                        "thread_safe": True, "phase": "alloc",
                                        "ns_per_op": {"median": ns * t, "min": min(times), "max": max(times)},
                                        "thread_ns_per_op": {"median": ns * t, "min": ns * t, "max": ns * t},
                                        "ops_per_s": 1e9 * t / (ns * t), "repetitions": 5})
                doc["benchmarks"] += [{"name": name, "real_time": x, "repetition_index": i}
                                      for i, x in enumerate(times)]
            return doc
        a = self.write("a.json", threaded(fixture(), 10.0))
        b = self.write("b.json", threaded(fixture(), 30.0))
        code, out, _ = self.run_compare(a, b)
        self.assertEqual(code, 1, out)
        self.assertIn("2 regressions", out)
        self.assertIn("`mt_bulk/lockfree/frames:262144/threads:2` (3.000x)", out)
        self.assertIn("(throughput 0.333x)", out)

    def test_out_never_replaces_an_input(self):
        a, b = self.write("a.json", fixture()), self.write("b.json", fixture())
        with open(a) as f:
            before = f.read()
        for args in (("--out", a, a, b), ("--out", b, a, b), ("--out", a, "--strategies", "ctz,tree", a)):
            code, _, err = self.run_compare(*args)
            self.assertEqual(code, 2, err)
            self.assertIn("is an input", err)
        with open(a) as f:
            self.assertEqual(f.read(), before)

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

    def test_a_report_file_that_cannot_be_written_is_refused_first(self):
        a = self.write("a.json", fixture())
        for out, want in ((self.dir.name, "is a directory"), ("/nonexistent/x.md", "not a writable directory"),
                          ("", "is empty")):
            code, out_text, err = self.run_compare("--out", out, "--strategies", "ctz,tree", a)
            self.assertEqual(code, 2, err)
            self.assertIn(want, err)
            self.assertNotIn("Traceback", err)
            self.assertEqual(out_text, "", "compared before refusing the report's file")

    def test_a_cell_failed_in_head_is_never_ok(self):
        head = fixture()
        row = head["results"].pop(0)
        head["benchmarks"] = [b for b in head["benchmarks"] if b["name"] != row["name"]]
        head["skipped"].append({k: row[k] for k in ("name", "pattern", "strategy", "frames", "params")} |
                               {"reason": "failed: the strategy crashed: Segmentation fault (signal 11)"})
        a, b = self.write("a.json", fixture()), self.write("b.json", head)
        code, out, err = self.run_compare(a, b)
        self.assertEqual(code, 1, out + err)
        self.assertIn("FAIL: 0 regressions, 1 failed in head", out)
        self.assertIn(f"Failed in head: `{row['name']}` (failed: the strategy crashed", out)

    def test_strategies_within_one_run(self):
        a = self.write("a.json", fixture())
        code, out, err = self.run_compare("--strategies", "ctz,tree", a)
        self.assertEqual(code, 0, err)
        self.assertIn("`tree` is 2.50x faster than `ctz` over all patterns (geometric mean of 4 cells", out)
        self.assertIn("`tree` is 2.50x faster than `ctz` on fill (geometric mean of 2 cells", out)
        code, _, err = self.run_compare("--strategies", "ctz,nosuch", a)
        self.assertEqual(code, 2)
        self.assertIn("nosuch", err)

    def test_strategies_leave_out_cells_that_measured_nothing(self):
        doc = fixture()
        for row in doc["results"]:
            if row["name"] == "worst/ctz/frames:262144":
                row["fill_skipped"] = "over the budget"
                row["ns_per_op"] = {"median": 0.01, "min": 0.01, "max": 0.01}
                row["ops_per_s"] = 1e11
        doc["skipped"] = [{"name": "fill/tree/frames:1048576", "pattern": "fill", "strategy": "tree",
                           "frames": 1048576, "params": {}, "reason": "failed: check() failed"}]
        code, out, err = self.run_compare("--strategies", "ctz,tree", self.write("a.json", doc))
        self.assertEqual(code, 0, err)
        self.assertIn("geometric mean of 3 cells", out)
        self.assertIn("| `worst/ctz/frames:262144` | fill skipped", out)
        self.assertIn("| `fill/tree/frames:1048576` | failed: check() failed |", out)


if __name__ == "__main__":
    unittest.main()
