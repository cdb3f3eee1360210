"""Read and check a framebench results file (schema framebench-results/2).

The plots trust nothing they have not checked: a truncated file, a file of
another schema or a row without its median stops here with a message that
names the file and the fault, before any figure is drawn. Only the fields
results/README.md documents are read; the rest is informational.
"""
import json
import math

SCHEMA = "framebench-results/2"


class ResultsError(Exception):
    """A results file the plots cannot use; str() names file and fault."""


def _reject_constant(name):
    # json accepts NaN and Infinity by default; the schema forbids them.
    raise ValueError("non-JSON constant %s (the schema writes unmeasured "
                     "values as null or leaves them out)" % name)


def _number(value, where, positive=False):
    if value is None:
        raise ValueError("%s is missing" % where)
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value):
        raise ValueError("%s is %r, not a number" % (where, value))
    if positive and value <= 0:
        raise ValueError("%s is %r, expected > 0" % (where, value))
    return value


def _optional_number(row, key, where):
    """A number, or None where the schema allows absent/null."""
    if row.get(key) is None:
        return None
    return _number(row[key], "%s.%s" % (where, key))


def _check_cell(row, where):
    """The keys that place a row (or a skipped cell) in the matrix."""
    for key in ("pattern", "strategy"):
        if not isinstance(row.get(key), str) or not row[key]:
            raise ValueError("%s has no %r string" % (where, key))
        if any(c.isspace() or c in "'\"\\" for c in row[key]):
            raise ValueError("%s.%s %r has a space or quote" % (where, key, row[key]))
    frames = row.get("frames")
    if isinstance(frames, bool) or not isinstance(frames, int) or frames <= 0:
        raise ValueError("%s.frames is %r, expected a positive integer"
                         % (where, frames))
    params = row.get("params", {})
    if not isinstance(params, dict):
        raise ValueError("%s.params is not an object" % where)


def _check_result(row, where):
    _check_cell(row, where)
    ns = row.get("ns_per_op")
    if not isinstance(ns, dict):
        raise ValueError("%s has no ns_per_op object" % where)
    for key in ("median", "min", "max"):
        _number(ns.get(key), "%s.ns_per_op.%s" % (where, key), positive=True)
    if not ns["min"] <= ns["median"] <= ns["max"]:
        raise ValueError("%s.ns_per_op is not min <= median <= max: %r" % (where, ns))
    _optional_number(row, "meta_bytes_per_gib", where)
    _optional_number(row, "runs_2m_free", where)
    lat = row.get("latency_ns")
    if lat is not None:
        if not isinstance(lat, dict):
            raise ValueError("%s.latency_ns is not an object" % where)
        for key in ("p50", "p99", "max"):
            _number(lat.get(key), "%s.latency_ns.%s" % (where, key))


def _label(rows, i, name):
    row = rows[i]
    tag = row.get("name") if isinstance(row, dict) else None
    return "%s[%d]" % (name, i) + (" (%s)" % tag if isinstance(tag, str) else "")


def load(path):
    """The parsed document, or ResultsError naming `path` and the fault."""
    try:
        with open(path, "rb") as fp:
            raw = fp.read()
    except OSError as e:
        raise ResultsError("%s: cannot read: %s" % (path, e.strerror))
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as e:
        raise ResultsError("%s: not UTF-8 text: %s" % (path, e))
    except json.JSONDecodeError as e:
        hint = " (the file looks truncated)" if e.pos >= len(raw.rstrip()) else ""
        raise ResultsError("%s: not valid JSON at line %d column %d: %s%s"
                           % (path, e.lineno, e.colno, e.msg, hint))
    except ValueError as e:
        raise ResultsError("%s: not valid JSON: %s" % (path, e))
    if not isinstance(doc, dict) or "schema" not in doc:
        raise ResultsError("%s: no \"schema\" field: not a framebench results "
                           "file (expected schema %s)" % (path, SCHEMA))
    if doc["schema"] == "framebench-results/1":
        raise ResultsError("%s: schema is 'framebench-results/1', made before "
                           "churn's ops were staged off the clock; its churn "
                           "figures time the harness's own cache misses. "
                           "Re-run framebench (expected %r)" % (path, SCHEMA))
    if doc["schema"] != SCHEMA:
        raise ResultsError("%s: schema is %r, expected %r"
                           % (path, doc["schema"], SCHEMA))
    try:
        if not isinstance(doc.get("context"), dict):
            raise ValueError("no \"context\" object")
        for key, check in (("results", _check_result), ("skipped", _check_cell)):
            rows = doc.get(key, [] if key == "skipped" else None)
            if not isinstance(rows, list):
                raise ValueError("no %r list" % key)
            for i in range(len(rows)):
                if not isinstance(rows[i], dict):
                    raise ValueError("%s[%d] is not an object" % (key, i))
                check(rows[i], _label(rows, i, key))
        if not doc["results"]:
            raise ValueError("the \"results\" list is empty: nothing to plot")
    except ValueError as e:
        raise ResultsError("%s: %s" % (path, e))
    return doc
