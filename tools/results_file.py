#!/usr/bin/env python3
"""framebench results files (schema framebench-results/2, results/README.md):
the one reader and checker, and the one parser of cell names, for the tools,
the plots and the tests.

  load(path)        the checked document, or ResultsError naming file and fault
  validate(doc)     the list of problems (empty: the document follows the schema)
  parse_name(name)  "fill/ctz/frames:16384/run:8" -> ("fill", "ctz", 16384, {"run": "8"})

As a command: results_file.py RESULTS.json [--cells LIST]

LIST is the output of `framebench --list` for the same matrix: every cell in
it must be in `results` or in `skipped`, and no other cell may be.  Exits 0
when valid, 1 with one line per problem otherwise.
"""
import json
import math
import re
import sys

SCHEMA = "framebench-results/2"
NUMBER = (int, float)

CONTEXT = {
    "date": str, "git_commit": (str, type(None)), "git_dirty": bool, "compiler": str,
    "c_flags": str, "build_type": str, "cpu_model": str, "num_cpus": int, "kernel": str,
    "host_name": str, "matrix": str, "repetitions": int, "benchmark_library": str,
    "harness_ns_per_op": NUMBER + (type(None),),
    "harness_share_of_fastest": NUMBER + (type(None),),
    "crosscheck_max_deviation": NUMBER + (type(None),),
}
IDENTITY = {"name": str, "pattern": str, "strategy": str, "frames": int, "params": dict}
# Optional per-row counts of the trace pattern (non-negative integers).
COUNTS = ("failed", "unsupported", "skipped_frees")


class ResultsError(Exception):
    """A file that is no usable results file; str() names file and fault."""


def crosschecks(row):
    """A row's second-method checks: its `crosschecks` list, or the single
    `crosscheck` object of files written before there were two."""
    if isinstance(row.get("crosschecks"), list):
        return row["crosschecks"]
    return [row["crosscheck"]] if "crosscheck" in row else []


def _check_series(s, where, problems):
    """A pattern's per-iteration series (frag): `iterations` n, `orders`, and
    lists of n numbers."""
    if not (isinstance(s, dict) and _is(s.get("iterations"), int) and s["iterations"] > 0
            and isinstance(s.get("orders"), str)):
        problems.append(f"{where}: needs a positive integer `iterations` and a string `orders`")
        return
    for name, v in s.items():
        if name in ("iterations", "orders"):
            continue
        if not (isinstance(v, list) and len(v) == s["iterations"] and all(_is(x, NUMBER) for x in v)):
            problems.append(f"{where}.{name}: must be a list of {s['iterations']} numbers")


def _reject_constant(name):
    # json accepts NaN and Infinity by default; the schema forbids them.
    raise ValueError(f"not strict JSON: {name} (the schema writes unmeasured values as null or leaves them out)")


def _no_dupes(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError(f"duplicate key in object: {keys}")
    return dict(pairs)


def load_strict(path):
    """The document, refusing NaN, Infinity and duplicate keys (OSError,
    ValueError); no schema check."""
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_constant=_reject_constant, object_pairs_hook=_no_dupes)


def load(path):
    """The document, checked against the schema; or ResultsError naming
    `path` and the fault (unreadable, not UTF-8, not JSON or truncated, no
    schema or another one, a field the schema does not allow)."""
    try:
        with open(path, "rb") as fp:
            raw = fp.read()
    except OSError as e:
        raise ResultsError(f"{path}: cannot read: {e.strerror}")
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant, object_pairs_hook=_no_dupes)
    except UnicodeDecodeError as e:
        raise ResultsError(f"{path}: not UTF-8 text: {e}")
    except json.JSONDecodeError as e:
        hint = " (the file looks truncated)" if e.pos >= len(raw.rstrip()) else ""
        raise ResultsError(f"{path}: not valid JSON at line {e.lineno} column {e.colno}: {e.msg}{hint}")
    except ValueError as e:
        raise ResultsError(f"{path}: not valid JSON: {e}")
    if not isinstance(doc, dict) or "schema" not in doc:
        raise ResultsError(f'{path}: no "schema" field: not a framebench results file (expected schema {SCHEMA})')
    if doc["schema"] == "framebench-results/1":
        raise ResultsError(f"{path}: schema is 'framebench-results/1', made before churn's ops were staged "
                           f"off the clock; its churn figures time the harness's own cache misses. "
                           f"Re-run framebench (expected '{SCHEMA}')")
    if doc["schema"] != SCHEMA:
        raise ResultsError(f"{path}: schema is {doc['schema']!r}, expected '{SCHEMA}'")
    problems = validate(doc)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ResultsError(f"{path}: {problems[0]}{more}")
    return doc


def parse_name(name):
    """A cell name's parts: (pattern, strategy, frames, {key: value as text});
    ValueError if it is not <pattern>/<strategy>/frames:<N>[/<key>:<value>]..."""
    parts = str(name).split("/")
    if len(parts) < 3 or not parts[2].startswith("frames:") or not all(":" in p for p in parts[3:]):
        raise ValueError(f"'{name}' is not a cell name (<pattern>/<strategy>/frames:<N>[/<key>:<value>])")
    frames = parts[2].split(":", 1)[1]
    if not frames.isdigit():
        raise ValueError(f"'{name}': frames '{frames}' is not a number")
    return parts[0], parts[1], int(frames), dict(p.split(":", 1) for p in parts[3:])


def _is(v, t):
    # bool is an int in Python; a count or size must not be true/false.
    if t is int or t == NUMBER:
        return isinstance(v, t) and not isinstance(v, bool)
    if isinstance(t, tuple) and bool not in t:
        return isinstance(v, t) and not isinstance(v, bool)
    return isinstance(v, t)


def _fields(obj, spec, where, problems):
    if not isinstance(obj, dict):
        problems.append(f"{where}: not an object")
        return False
    for key, t in spec.items():
        if key not in obj:
            problems.append(f"{where}: missing '{key}'")
        elif not _is(obj[key], t):
            problems.append(f"{where}: '{key}' has the wrong type ({type(obj[key]).__name__})")
    return True


def _identity(row, where, problems, input_keys):
    if not _fields(row, IDENTITY, where, problems):
        return
    params = row.get("params", {})
    for key, v in params.items():
        # Input patterns name their file by its stem; every other parameter is an integer.
        want = str if input_keys.get(row.get("pattern")) == key else int
        if not _is(v, want) or (want is str and (not v or "/" in v or ":" in v)):
            problems.append(f"{where}: params['{key}'] must be {'a file stem' if want is str else 'an integer'}")
    parts = str(row.get("name", "")).split("/")
    want = [str(row.get("pattern")), str(row.get("strategy")), f"frames:{row.get('frames')}"]
    want += [f"{k}:{v}" for k, v in row.get("params", {}).items()]
    if parts != want:
        problems.append(f"{where}: name '{row.get('name')}' does not match its fields ({'/'.join(want)})")


def _precision(row, where, problems):
    """The median's confidence interval and the precision figures beside it
    (absent in files written before them)."""
    ns = row.get("ns_per_op")
    if not isinstance(ns, dict) or "ci_low" not in ns:
        return
    if not _fields(ns, {"ci_low": NUMBER, "ci_high": NUMBER, "ci_level": NUMBER}, where + ".ns_per_op", problems):
        return
    if all(_is(ns.get(k), NUMBER) for k in ("min", "median", "max")) and \
            not ns["min"] <= ns["ci_low"] <= ns["median"] <= ns["ci_high"] <= ns["max"]:
        problems.append(f"{where}: ns_per_op needs min <= ci_low <= median <= ci_high <= max")
    if not 0 <= ns["ci_level"] <= 1:
        problems.append(f"{where}: ns_per_op.ci_level must be in [0, 1]")
    if not (_is(row.get("precision_pct"), NUMBER) and row["precision_pct"] >= 0):
        problems.append(f"{where}: precision_pct must be a number >= 0")
    if "precision_met" in row and not isinstance(row["precision_met"], bool):
        problems.append(f"{where}: precision_met must be true or false")
    if row.get("precision_met") is False and not (isinstance(row.get("noise"), str) and row["noise"].strip()):
        problems.append(f"{where}: a cell that missed its precision target needs its noise")


# What ended a cell's repetitions short of its precision target (bench/cases.c).
STOPPED_BY = ("max_repetitions", "cell_cap", "max_time")


def _result(row, where, problems, input_keys):
    _identity(row, where, problems, input_keys)
    _precision(row, where, problems)
    spec = {"ns_per_op": dict, "ops_per_s": NUMBER, "meta_bytes_per_gib": NUMBER, "repetitions": int}
    if not _fields(row, spec, where, problems):
        return
    ns = row.get("ns_per_op")
    if isinstance(ns, dict):
        if _fields(ns, {"median": NUMBER, "min": NUMBER, "max": NUMBER}, where + ".ns_per_op", problems):
            lo, mid, hi = ns.get("min"), ns.get("median"), ns.get("max")
            if all(_is(x, NUMBER) for x in (lo, mid, hi)):
                if not 0 < lo <= mid <= hi:
                    problems.append(f"{where}: ns_per_op needs 0 < min <= median <= max")
                ops = row.get("ops_per_s")
                if _is(ops, NUMBER) and mid > 0 and not math.isclose(ops, 1e9 / mid, rel_tol=1e-6):
                    problems.append(f"{where}: ops_per_s is not 1e9 / ns_per_op.median")
    if _is(row.get("repetitions"), int) and row["repetitions"] < 1:
        problems.append(f"{where}: repetitions < 1")
    if "stopped_by" in row and row["stopped_by"] not in STOPPED_BY:
        problems.append(f"{where}: stopped_by must be one of {', '.join(STOPPED_BY)}")
    if "seconds" in row and not (_is(row["seconds"], NUMBER) and row["seconds"] >= 0):
        problems.append(f"{where}: seconds must be a number >= 0")
    if _is(row.get("meta_bytes_per_gib"), NUMBER) and row["meta_bytes_per_gib"] < 0:
        problems.append(f"{where}: meta_bytes_per_gib < 0")
    # An unmeasured value is absent or null (results/README.md).
    if row.get("runs_2m_free") is not None and not (_is(row["runs_2m_free"], int) and row["runs_2m_free"] >= 0):
        problems.append(f"{where}: runs_2m_free must be a non-negative integer")
    for key in COUNTS:
        if key in row and not (_is(row[key], int) and row[key] >= 0):
            problems.append(f"{where}: {key} must be a non-negative integer")
    if "peak_occupancy" in row and not (_is(row["peak_occupancy"], NUMBER) and 0 <= row["peak_occupancy"] <= 1):
        problems.append(f"{where}: peak_occupancy must be a number in [0, 1]")
    if "init_ns" in row and not (_is(row["init_ns"], NUMBER) and row["init_ns"] >= 0):
        problems.append(f"{where}: init_ns must be a non-negative number")
    if "fill_skipped" in row and not (isinstance(row["fill_skipped"], str) and row["fill_skipped"].strip()):
        problems.append(f"{where}: fill_skipped must be a non-empty reason")
    for key in ("harness_ns_per_op", "harness_share"):
        if key in row and not (_is(row[key], NUMBER) and row[key] >= 0):
            problems.append(f"{where}: {key} must be a non-negative number")
    if "crosschecks" in row and not (isinstance(row["crosschecks"], list) and row["crosschecks"]):
        problems.append(f"{where}: crosschecks must be a non-empty list")
    for i, x in enumerate(crosschecks(row)):
        at = f"{where}.crosschecks[{i}]"
        if _fields(x, {"pattern": str, "ns_per_op": NUMBER, "ratio": NUMBER}, at, problems):
            if _is(x.get("ratio"), NUMBER) and not x["ratio"] > 0:
                problems.append(f"{at}: ratio must be > 0")
    if "series" in row:
        _check_series(row["series"], where + ".series", problems)
    if row.get("pattern") == "trace":
        missing = [k for k in COUNTS + ("peak_occupancy",) if k not in row]
        if missing:
            problems.append(f"{where}: a trace row needs {missing}")
    if row.get("pattern") == "boot" and "init_ns" not in row:
        problems.append(f"{where}: a boot row needs init_ns")
    if "latency_ns" in row:
        lat = row["latency_ns"]
        keys = ("p50", "p99", "p999", "max")
        if _fields(lat, {k: NUMBER for k in keys}, where + ".latency_ns", problems):
            if all(_is(lat.get(k), NUMBER) for k in keys):
                if not 0 <= lat["p50"] <= lat["p99"] <= lat["p999"] <= lat["max"]:
                    problems.append(f"{where}: latency_ns needs 0 <= p50 <= p99 <= p999 <= max")
        for key in ("latency_interrupted", "latency_preempted"):
            if not (_is(row.get(key), int) and row[key] >= 0):
                problems.append(f"{where}: {key} must be a non-negative integer")


def _threaded(row, where, problems, input_keys):
    """A threaded cell's row (results/README.md, "threaded")."""
    _identity(row, where, problems, input_keys)
    _precision(row, where, problems)
    spec = {"ns_per_op": dict, "thread_ns_per_op": dict, "ops_per_s": NUMBER, "threads": int,
            "thread_safe": bool, "phase": str, "repetitions": int}
    if not _fields(row, spec, where, problems):
        return
    for key in ("ns_per_op", "thread_ns_per_op"):
        v = row.get(key)
        if isinstance(v, dict) and _fields(v, {"median": NUMBER, "min": NUMBER, "max": NUMBER}, f"{where}.{key}",
                                           problems):
            if all(_is(v.get(k), NUMBER) for k in ("min", "median", "max")) and \
                    not 0 < v["min"] <= v["median"] <= v["max"]:
                problems.append(f"{where}: {key} needs 0 < min <= median <= max")
    if _is(row.get("threads"), int) and row.get("params", {}).get("threads") != row["threads"]:
        problems.append(f"{where}: threads and params.threads differ")
    if _is(row.get("ops_per_s"), NUMBER) and not row["ops_per_s"] > 0:
        problems.append(f"{where}: ops_per_s must be > 0")
    if "scaling" in row and not (_is(row["scaling"], NUMBER) and row["scaling"] > 0):
        problems.append(f"{where}: scaling must be > 0")


def _catalog(doc, problems):
    """Checks the "patterns" and "strategies" lists (the file's catalog:
    everything else reads names, roles and order from it); returns the input
    patterns' keys."""
    if "patterns" not in doc and "strategies" not in doc:
        problems.append("patterns, strategies: missing: the file has no catalog (written by a framebench "
                        "older than its catalog; run it again)")
        return {}
    input_keys = {}
    spec = {"patterns": {"name": str, "one_op": str, "keys": list},
            "strategies": {"name": str, "summary": str}}
    for key, fields in spec.items():
        rows = doc.get(key)
        if not isinstance(rows, list):
            problems.append(f"{key}: missing or not a list")
            continue
        for i, row in enumerate(rows):
            if _fields(row, fields, f"{key}[{i}]", problems) and key == "patterns":
                if "input_key" in row and isinstance(row.get("name"), str):
                    input_keys[row["name"]] = row["input_key"]
            if key == "patterns" and isinstance(row, dict) and "figure_text" in row and \
                    not (isinstance(row["figure_text"], str) and row["figure_text"].strip()):
                problems.append(f"patterns[{i}].figure_text: must be a non-empty string")
            if key == "strategies" and isinstance(row, dict) and "palette" in row and \
                    not (_is(row["palette"], int) and row["palette"] >= 0):
                problems.append(f"strategies[{i}].palette: must be a non-negative integer (the library's order)")
    return input_keys


def validate(doc, cells=None):
    """A list of problems; empty when `doc` follows the schema.  `cells`: the
    names the matrix holds, each of which must be reported exactly once."""
    problems = []
    if not isinstance(doc, dict):
        return ["top level: not an object"]
    if doc.get("schema") != SCHEMA:
        problems.append(f"schema: want '{SCHEMA}', got {doc.get('schema')!r}")
    _fields(doc.get("context"), CONTEXT, "context", problems)
    input_keys = _catalog(doc, problems)
    names = []
    for key in ("results", "skipped"):
        rows = doc.get(key)
        if not isinstance(rows, list):
            problems.append(f"{key}: missing or not a list")
            continue
        for i, row in enumerate(rows):
            where = f"{key}[{i}]"
            if key == "results":
                _result(row, where, problems, input_keys)
                # The context says what was run: no row holds more repetitions
                # than the most it allowed (files before adaptive repetitions:
                # the one count they ran).
                ctx = doc.get("context") if isinstance(doc.get("context"), dict) else {}
                bound = "max_repetitions" if "max_repetitions" in ctx else "repetitions"
                most = ctx.get(bound)
                if isinstance(row, dict) and _is(most, int) and _is(row.get("repetitions"), int) \
                        and row["repetitions"] > most:
                    problems.append(f"{where}: {row['repetitions']} repetitions, but context.{bound} is {most}")
            else:
                _identity(row, where, problems, input_keys)
                if not (isinstance(row, dict) and isinstance(row.get("reason"), str) and row["reason"].strip()):
                    problems.append(f"{where}: a skipped cell needs a non-empty reason")
            if isinstance(row, dict):
                names.append(row.get("name"))
    # Files written before the threaded cells have no "threaded" list.
    threaded = doc.get("threaded", [])
    if not isinstance(threaded, list):
        problems.append("threaded: not a list")
        threaded = []
    for i, row in enumerate(threaded):
        _threaded(row, f"threaded[{i}]", problems, input_keys)
        if isinstance(row, dict):
            names.append(row.get("name"))
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        problems.append(f"cells reported more than once: {dupes[:5]}")
    if cells is not None:
        missing = sorted(set(cells) - set(names))
        extra = sorted(set(names) - set(cells))
        left_out = (doc.get("context") or {}).get("cells_left_out", 0) if isinstance(doc.get("context"), dict) else 0
        if missing and len(missing) != left_out:
            problems.append(f"{len(missing)} cells of the matrix missing, e.g. {missing[:5]}"
                            f"{f' ({left_out} counted as left out by the flags)' if left_out else ''}")
        if extra:
            problems.append(f"{len(extra)} cells not in the matrix, e.g. {extra[:5]}")
    return problems


def read_list(path):
    """Cell names from `framebench --list` output (run/skip TAB name ...)."""
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t")[1] for line in f if re.match(r"^(run|skip)\t", line)]


def main(argv):
    if len(argv) == 2 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--cells"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        doc = load_strict(argv[1])
    except (OSError, ValueError) as e:
        print(f"{argv[1]}: {e}")
        return 1
    problems = validate(doc, read_list(argv[3]) if len(argv) == 4 else None)
    for p in problems:
        print(f"{argv[1]}: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `results_file.py --help | head` ends quietly
    sys.exit(main(sys.argv))
