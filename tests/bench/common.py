"""Helpers the bench tests share."""
import os
import subprocess


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)


def strategies(framebench):
    """Registered strategy names, from the 'Strategies:' part of --help
    (which lists fa_strategies)."""
    out = run([framebench, "--help"]).stdout.splitlines()
    start = out.index("Strategies:") + 1
    return [line.split()[0] for line in out[start:] if line.startswith("  ")]


def plain_patterns_help(framebench):
    """The 'Patterns:' part of --help, the threaded ones left out."""
    text = run([framebench, "--help"]).stdout
    return text.split("Patterns:\n")[1].split("Threaded patterns")[0]


# The patterns and parameters results/README.md names (the harness row aside).
PATTERNS = {
    "fill": [""], "free_all": [""],
    "churn": [f"/occupancy:{o}" for o in (0, 500, 900, 990, 999)],
    "churn_recorded": [f"/occupancy:{o}" for o in (0, 500, 900, 990, 999)],
    "churn_walk": [f"/occupancy:{o}" for o in (0, 500, 900, 990, 999)],
    "checkerboard": [""], "worst": [""], "worst_wrap": [""], "lifo": [""],
    "runs": [f"/run:{r}/frag:{f}" for r in (2, 8, 512) for f in (0, 50)],
    "frag": [""],
}


# The input patterns' cells: one per committed input file and strategy, at
# the region the file fixes (bench/input/README.md has the figures).
INPUT_CELLS = {
    "trace": [("trace:gcc-build", 50688), ("trace:ftrace-sample", 16384)],
    "boot": [("map:e820-vm-6g", 6553600)],
}


# The threaded patterns (bench/threaded/): every thread-safe strategy at each
# thread count, and nextfit, the unlocked yardstick, at one thread.
THREADED = ["mt_bulk", "mt_repeat", "mt_remote", "mt_churn", "mt_2m"]
THREAD_SAFE = ["locked-nextfit", "pcp", "lockfree"]


def threaded_cells(strats, frames, threads):
    return {f"{p}/{s}/frames:{n}/threads:{t}" for p in THREADED for s in strats for n in frames for t in threads
            if s in THREAD_SAFE or (s == "nextfit" and t == 1)}


def default_threads():
    t, out = 1, []
    while t <= len(os.sched_getaffinity(0)):
        out.append(t)
        t *= 2
    return out


# The cross-checks of churn, which the default matrix runs at 1 GiB alone.
CROSSCHECKS = ("churn_recorded", "churn_walk")
# The parameters the size figures draw (results "figure_params"): the only
# ones the default matrix runs below its largest size.
FIGURE_PARAMS = {"churn": "/occupancy:900", "churn_recorded": "/occupancy:900", "churn_walk": "/occupancy:900",
                 "runs": "/run:512/frag:0"}


def expected_cells(strats, sizes, crosscheck_sizes=None, variant_sizes=None, frag_max=None):
    cells = {f"{pattern}/{s}/frames:{n}/{stem}"
             for pattern, files in INPUT_CELLS.items() for stem, n in files for s in strats}
    for n in sizes:
        every = variant_sizes is None or n in variant_sizes
        cells.update(f"harness/none/frames:{n}/occupancy:{o}" for o in (0, 500, 900, 990, 999) if every or o == 900)
        for pattern, params in PATTERNS.items():
            if pattern in CROSSCHECKS and crosscheck_sizes is not None and n not in crosscheck_sizes:
                continue
            if pattern == "frag" and frag_max is not None and n > frag_max:
                continue
            if not every and pattern in FIGURE_PARAMS:
                params = [FIGURE_PARAMS[pattern]]
            for s in strats:
                for p in params:
                    cells.add(f"{pattern}/{s}/frames:{n}{p}")
    return cells


def list_cells(framebench, *args):
    """(name -> 'run' or the skip reason) from --list."""
    res = run([framebench, "--list", *args])
    assert res.returncode == 0, res.stderr
    cells = {}
    for line in res.stdout.splitlines():
        kind, name, *reason = line.split("\t")
        assert name not in cells, f"cell listed twice: {name}"
        assert kind in ("run", "skip"), line
        assert kind == "run" or (reason and reason[0].strip()), f"skipped without a reason: {line}"
        cells[name] = "run" if kind == "run" else reason[0]
    return cells
