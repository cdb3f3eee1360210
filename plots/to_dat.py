#!/usr/bin/env python3
"""Turn one framebench results file into gnuplot data, one set per figure.

Usage: to_dat.py RESULTS.json OUTDIR

Writes into OUTDIR:
  context.gp     where the numbers come from (file, commit, CPU), for a corner
  figures.list   one line per figure: "<gnuplot script> <figure name>"
  NAME.dat       the figure's numbers; NaN marks a skipped or unmeasured cell
  NAME.gp        the figure's variables: data file, strategies, title, ticks

tools/results_file.py checks the file (the one reader of the schema);
cells.py indexes it; figure_data.py
decides *what* each figure shows (which size, which parameter), where it can
be tested; gp_out.py writes it. The .gp scripts only decide how it looks.
A skipped cell is written as NaN, never 0: gnuplot breaks a line at NaN (it
would join a line across a "missing" value), so a skip shows as a gap.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from cells import Data  # noqa: E402
from figure_data import FIGURES  # noqa: E402
from gp_out import Writer  # noqa: E402
from results_file import ResultsError, load  # noqa: E402


def main(argv):
    if len(argv) not in (3, 4):
        sys.stderr.write("usage: to_dat.py RESULTS.json OUTDIR [BASELINE]\n")
        return 2
    path, outdir = argv[1], argv[2]
    baseline = argv[3] if len(argv) == 4 and argv[3] else None
    try:
        doc = load(path)
        if not doc["results"] and not doc.get("threaded"):
            raise ResultsError('%s: the "results" and "threaded" lists are empty: nothing to plot' % path)
        d = Data(doc, baseline)
    except ResultsError as e:
        sys.stderr.write("plots: %s\n" % e)
        return 1
    except ValueError as e:
        sys.stderr.write("plots: %s: %s\n" % (path, e))
        return 1
    try:
        w = Writer(outdir)
        for make in FIGURES:
            make(d, w)
        w.finish(d.ctx, path, d.strategies, d.palette)
    except ValueError as e:  # a baseline the file cannot serve
        sys.stderr.write("plots: %s: %s\n" % (path, e))
        return 1
    except OSError as e:  # a full disk, a size limit: say so, no traceback
        sys.stderr.write("plots: cannot write the figure data in %s: %s\n" % (outdir, e.strerror or e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
