"""Helpers the bench tests share."""
import json
import subprocess


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)


def strategies(framebench):
    """Registered strategy names, in the library's order."""
    return [s["name"] for s in catalog(framebench)["strategies"]]


def plain_patterns_help(framebench):
    """The 'Patterns:' part of --help, the threaded ones left out."""
    text = run([framebench, "--help"]).stdout
    return text.split("Patterns:\n")[1].split("Threaded patterns")[0]


def catalog(framebench):
    """What the binary knows (framebench --catalog): the one source of the
    patterns, their parameters and roles, the strategies, the matrices'
    sizes and the input files, so that no test keeps a list of its own."""
    res = run([framebench, "--catalog"])
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def patterns(cat, threaded=False):
    """The catalog's patterns (dicts): the threaded ones, or the others."""
    return [p for p in cat["patterns"] if p["threaded"] == threaded]


def cell_name(p, strategy, frames, params):
    return f"{p['name']}/{strategy}/frames:{frames}" + "".join(f"/{k}:{params[k]}" for k in p["keys"])


def expected_cells(cat, strats, sizes, matrix=None):
    """The single-threaded cells for strategies strats at sizes: every
    pattern, parameter set and input file; a matrix (its catalog entry)
    narrows where variants, cross-checks and small patterns run."""
    m = cat["matrices"][matrix] if matrix else None
    by_name = {p["name"]: p for p in cat["patterns"]}
    cells = {f"{i['pattern']}/{s}/frames:{i['frames']}/{by_name[i['pattern']]['input_key']}:{i['stem']}"
             for i in cat["inputs"] for s in strats}
    for n in sizes:
        every = m is None or m["variant_sizes"] is None or n in m["variant_sizes"]
        for p in patterns(cat):
            if "input_key" in p:
                continue
            if m and p.get("crosscheck_of") and m["crosscheck_sizes"] is not None and n not in m["crosscheck_sizes"]:
                continue
            if m and p["name"] in m["small_patterns"] and n > m["small_max_frames"]:
                continue
            variants = p["variants"] or [{}]
            if not every and "figure_params" in p:
                variants = [p["figure_params"]]
            for s in [p["strategy"]] if "strategy" in p else strats:
                cells.update(cell_name(p, s, n, v) for v in variants)
    return cells


def threaded_cells(cat, strats, frames, threads=None):
    """The threaded cells: every thread-safe strategy at each thread count
    (the catalog's by default), the yardstick at one thread."""
    safe = {s["name"] for s in cat["strategies"] if s["thread_safe"]}
    return {cell_name(p, s, n, {"threads": t}) for p in patterns(cat, threaded=True) for s in strats
            for n in frames for t in threads or cat["threads"]
            if s in safe or (s == cat["threaded_yardstick"] and t == 1)}


def matrix_cells(cat, strats, matrix):
    """Every cell of a named matrix."""
    m = cat["matrices"][matrix]
    return expected_cells(cat, strats, m["sizes"], matrix) | threaded_cells(cat, strats, m["threaded_sizes"])


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
