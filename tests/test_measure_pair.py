#!/usr/bin/python3
"""tools/measure replaces its base.json/head.json pair both or neither: a
write that fails part way (a full disk, forced here) or a target it cannot
replace leaves the old pair as it was and no temporary file behind."""
import importlib.machinery
import json
import os
import tempfile
import types
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
loader = importlib.machinery.SourceFileLoader("measure", os.path.join(HERE, "..", "tools", "measure"))
measure = types.ModuleType(loader.name)
measure.__file__ = loader.path  # measure finds its sibling modules from its own path
loader.exec_module(measure)
DOCS = {"base": {"schema": "framebench-measure/1", "new": 1}, "head": {"schema": "framebench-measure/1", "new": 2}}


class PairTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.out = self.dir.name
        for side in ("base", "head"):
            with open(os.path.join(self.out, f"{side}.json"), "w") as f:
                f.write(f"old {side}\n")

    def tearDown(self):
        self.dir.cleanup()

    def old_pair_kept(self):
        for side in ("base", "head"):
            with open(os.path.join(self.out, f"{side}.json")) as f:
                self.assertEqual(f.read(), f"old {side}\n")
        self.assertEqual(sorted(os.listdir(self.out)), ["base.json", "head.json"])

    def test_both_written(self):
        measure.write_pair(self.out, DOCS)
        for side, doc in DOCS.items():
            with open(os.path.join(self.out, f"{side}.json")) as f:
                self.assertEqual(json.load(f), doc)
        self.assertEqual(sorted(os.listdir(self.out)), ["base.json", "head.json"])

    def test_full_disk_on_the_second_file_replaces_neither(self):
        real_dump, calls = json.dump, []

        def dump(doc, f, **kw):
            calls.append(1)
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
            return real_dump(doc, f, **kw)
        measure.json.dump = dump
        try:
            with self.assertRaises(measure.Failure) as cm:
                measure.write_pair(self.out, DOCS)
        finally:
            measure.json.dump = real_dump
        self.assertIn("No space left on device", str(cm.exception))
        self.old_pair_kept()

    def test_a_directory_in_the_way_replaces_neither(self):
        os.remove(os.path.join(self.out, "head.json"))
        os.mkdir(os.path.join(self.out, "head.json"))
        with self.assertRaises(measure.Failure):
            measure.write_pair(self.out, DOCS)
        with open(os.path.join(self.out, "base.json")) as f:
            self.assertEqual(f.read(), "old base\n")
        self.assertEqual(sorted(os.listdir(self.out)), ["base.json", "head.json"])


if __name__ == "__main__":
    unittest.main()
