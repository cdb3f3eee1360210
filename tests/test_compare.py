#!/usr/bin/python3
"""tools/compare on measurement files written here: verdicts, exit codes and
the reasons it gives when two files cannot be compared."""
import copy
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_case import COMPARE, CompareCase  # noqa: E402

BASE = {
    "schema": "framebench-measure/1",
    "context": {"git_commit": "a" * 40, "git_dirty": False, "cpu_model": "Test CPU", "valgrind": "valgrind-3.19.0"},
    "counts": {
        "fill/ctz/frames:16384": {"ops": 4096, "instructions": 409600, "instr_per_op": 100.0},
        "worst/summary2/frames:16384": {"ops": 4096, "instructions": 204800, "instr_per_op": 50.0},
    },
    "wallclock": {
        "fill/ctz/frames:16384": {"ns_per_op": [10.0, 10.2, 9.9, 10.1, 10.0, 10.3, 9.8, 10.1],
                                  "noise_band_pct": 3.0},
    },
}


class CompareTest(CompareCase):
    def compare(self, base, head, *extra):
        p = subprocess.run([COMPARE, self.write("base.json", base), self.write("head.json", head), *extra],
                           capture_output=True, text=True)
        return p.returncode, p.stdout, p.stderr

    def test_identical_files_exit_0(self):
        code, out, _ = self.compare(BASE, BASE)
        self.assertEqual(code, 0, out)
        self.assertTrue(out.startswith("**framebench OK: 0 regressions, 0 improvements, 3 unchanged**"), out)

    def test_exact_regression_exits_1_and_names_the_cell(self):
        head = copy.deepcopy(BASE)
        head["counts"]["worst/summary2/frames:16384"]["instr_per_op"] = 53.0  # +6 %, +3 per op
        code, out, _ = self.compare(BASE, head)
        self.assertEqual(code, 1, out)
        self.assertIn("FAIL: 1 regressions", out)
        self.assertIn("`worst/summary2/frames:16384` (+6.00 %)", out)

    def test_absolute_threshold(self):
        # 99 -> 100 instructions is +1.01 % but one instruction: no regression;
        # 99 -> 120 is; --abs-threshold 0 restores the percent rule alone.
        base = copy.deepcopy(BASE)
        base["counts"]["fill/ctz/frames:16384"]["instr_per_op"] = 99.0
        head = copy.deepcopy(base)
        head["counts"]["fill/ctz/frames:16384"]["instr_per_op"] = 100.0
        code, out, _ = self.compare(base, head)
        self.assertEqual(code, 0, out)
        code, out, _ = self.compare(base, head, "--abs-threshold", "0")
        self.assertEqual(code, 1, out)
        head["counts"]["fill/ctz/frames:16384"]["instr_per_op"] = 120.0
        code, out, _ = self.compare(base, head)
        self.assertEqual(code, 1, out)
        self.assertIn("`fill/ctz/frames:16384`", out)

    def test_bad_thresholds_exit_2(self):
        for flag, value in (("--threshold", "nan"), ("--threshold", "inf"), ("--threshold", "-1"),
                            ("--abs-threshold", "nan"), ("--alpha", "nan")):
            code, _, err = self.compare(BASE, BASE, flag, value)
            self.assertEqual(code, 2, (flag, value))
            self.assertIn(flag, err)

    def test_change_within_threshold_is_unchanged(self):
        head = copy.deepcopy(BASE)
        head["counts"]["fill/ctz/frames:16384"]["instr_per_op"] = 100.9
        code, out, _ = self.compare(BASE, head)
        self.assertEqual(code, 0, out)
        code, out, _ = self.compare(BASE, head, "--threshold", "0.5", "--abs-threshold", "0.5")
        self.assertEqual(code, 1, out)

    def test_exact_and_statistical_tables_apart(self):
        code, out, _ = self.compare(BASE, BASE)
        exact, wall = out.index("## Exact: instructions per op"), out.index("## Statistical: wall-clock")
        self.assertLess(exact, wall)
        self.assertNotIn("| statistical", out[exact:wall])
        self.assertNotIn("| exact", out[wall:])

    def test_exact_improvement_exits_0(self):
        head = copy.deepcopy(BASE)
        head["counts"]["fill/ctz/frames:16384"]["instr_per_op"] = 80.0
        code, out, _ = self.compare(BASE, head)
        self.assertEqual(code, 0, out)
        self.assertIn("1 improvements", out)

    def test_wallclock_needs_test_and_band(self):
        head = copy.deepcopy(BASE)
        # 2 % slower, every sample: significant, but inside the 3 % noise band.
        head["wallclock"]["fill/ctz/frames:16384"]["ns_per_op"] = [
            x * 1.02 for x in BASE["wallclock"]["fill/ctz/frames:16384"]["ns_per_op"]]
        code, out, _ = self.compare(BASE, head, "--fail-on-wallclock")
        self.assertEqual(code, 0, out)
        # 30 % slower: beyond both; reported, and fails only when asked.
        head["wallclock"]["fill/ctz/frames:16384"]["ns_per_op"] = [
            x * 1.3 for x in BASE["wallclock"]["fill/ctz/frames:16384"]["ns_per_op"]]
        code, out, _ = self.compare(BASE, head)
        self.assertEqual(code, 0, out)
        self.assertIn("1 regressions", out)
        code, out, _ = self.compare(BASE, head, "--fail-on-wallclock")
        self.assertEqual(code, 1, out)

    def test_truncated_file_exits_2(self):
        text = json.dumps(BASE)
        code, _, err = self.compare(text[: len(text) // 2], BASE)
        self.assertEqual(code, 2)
        self.assertIn("base.json: not valid JSON (truncated?)", err)

    def test_other_schema_exits_2(self):
        other = dict(BASE, schema="framebench-results/1")
        code, _, err = self.compare(BASE, other)
        self.assertEqual(code, 2)
        self.assertIn("schema is 'framebench-results/1'", err)

    def test_other_machine_exits_2(self):
        other = copy.deepcopy(BASE)
        other["context"]["cpu_model"] = "Other CPU"
        code, _, err = self.compare(BASE, other)
        self.assertEqual(code, 2)
        self.assertIn("different machine: cpu_model", err)

    def test_missing_cell_exits_2(self):
        other = copy.deepcopy(BASE)
        del other["counts"]["worst/summary2/frames:16384"]
        code, _, err = self.compare(BASE, other)
        self.assertEqual(code, 2)
        self.assertIn("only in base: worst/summary2/frames:16384", err)

    def test_nan_exits_2(self):
        text = json.dumps(BASE).replace('"instr_per_op": 50.0', '"instr_per_op": NaN')
        code, _, err = self.compare(BASE, text)
        self.assertEqual(code, 2)
        self.assertIn("head.json: NaN is not a number", err)

    def test_cell_not_an_object_exits_2(self):
        other = copy.deepcopy(BASE)
        other["counts"]["fill/ctz/frames:16384"] = [100.0]
        code, _, err = self.compare(BASE, other)
        self.assertEqual(code, 2)
        self.assertIn("counts['fill/ctz/frames:16384'] has no positive instr_per_op", err)

    def test_cell_that_failed_to_measure_exits_2(self):
        other = copy.deepcopy(BASE)
        other["failed"] = {"worst/buddy/frames:16384": "valgrind exited 1"}
        code, _, err = self.compare(BASE, other)
        self.assertEqual(code, 2)
        self.assertIn("1 cells could not be measured, e.g. worst/buddy/frames:16384: valgrind exited 1", err)

    def test_hostile_fields_exit_2_or_read(self):
        # A null commit is read (shown as ?); a list where an object belongs,
        # or a number where a string does, is refused with exit 2: never a
        # traceback, never exit 1 (which CI reads as a regression).
        other = copy.deepcopy(BASE)
        other["context"]["git_commit"] = None
        code, out, err = self.compare(other, BASE)
        self.assertEqual(code, 0, err)
        self.assertIn("Base `?`", out)
        for key, value, want in (("failed", ["x"], "'failed' is not an object"),
                                 ("context", dict(BASE["context"], cpu_model=7), "context.cpu_model is 7")):
            other = copy.deepcopy(BASE)
            other[key] = value
            code, _, err = self.compare(other, BASE)
            self.assertEqual(code, 2, err)
            self.assertIn(want, err)
            self.assertNotIn("Traceback", err)

    def test_missing_file_exits_2(self):
        p = subprocess.run([COMPARE, "/nonexistent/base.json", self.write("h.json", BASE)],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("/nonexistent/base.json: cannot read", p.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=1)
