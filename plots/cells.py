"""The cells of a results file, indexed, and how to name them in a figure.

A cell is one (pattern, strategy, frames, params) point of the benchmark
matrix: a row of "results" or an entry of "skipped". Every figure asks the
same questions of them (which strategies, which parameter set, what was
skipped), so the answers live here once, in one order for all figures:
the built-in strategies in the library's order (the file's `palette`), then
the others.
"""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
FRAMES_PER_GIB = 1 << 18
def palette_size():
    """How many fixed colours style.gp has (its KCOLOR, their one home)."""
    with open(os.path.join(HERE, "style.gp")) as fp:
        m = re.search(r'^KCOLOR\s*=\s*"([^"]*)"', fp.read(), re.M)
    return len(m.group(1).split())


def palette_of(doc):
    """Built-in strategy names by palette slot (a list, None for a free slot):
    the file's `palette` numbers."""
    listed = doc.get("strategies") or []
    slots = [None] * palette_size()
    for s in listed:
        k = s.get("palette")
        if isinstance(k, int) and 0 <= k < len(slots):
            slots[k] = s["name"]
    return slots


def pkey(params):
    return tuple(sorted((k, str(v)) for k, v in params.items()))


def size_text(frames):
    b = frames * 4096
    for unit, scale in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20)):
        if b >= scale:
            return "%g %s" % (round(b / scale, 2), unit)
    return "%d KiB" % (b >> 10)


def bytes_text(b):
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if b >= scale:
            return "%.3g %s" % (b / scale, unit)
    return "%d B" % b


# Figure titles' words for a parameter set other than the one the catalog
# words (figure_text): the per-variant figures' titles.
FIGURE_TEXT = {("churn", "churn_recorded", "harness"): lambda d: "occupancy %g %%" % (int(d["occupancy"]) / 10),
               ("runs",): lambda d: "%s frames, %s %% fragmented" % (d["run"], d["frag"])}


def params_text(pattern, key):
    """The parameters `key` in words, for a file without figure_text (or a
    set other than its figure's): the fallback's, else keys and values."""
    d = dict(key)
    for pats, text in FIGURE_TEXT.items():
        if pattern in pats:
            try:
                return text(d)
            except (KeyError, ValueError):
                break
    if len(key) == 1 and key[0][0] in (pattern, "map", "trace"):
        return key[0][1]
    return ", ".join("%s %s" % kv for kv in key)


class Data:
    """The results file indexed by cell, with the orders every figure shares."""

    def __init__(self, doc, baseline=None):
        self.ctx = doc["context"]
        self.cells = {}
        self.skipped = [(s["pattern"], s["strategy"], s["frames"],
                         pkey(s.get("params", {}))) for s in doc.get("skipped", [])]
        for r in doc["results"]:
            key = (r["pattern"], r["strategy"], r["frames"], pkey(r.get("params", {})))
            if key in self.cells:
                raise ValueError("two results rows for %s" % r.get("name", key))
            if "fill_skipped" in r:   # boot without its fill: init alone is another op
                self.skipped.append(key)
                continue
            self.cells[key] = r
        # The threaded cells (files before them have none).
        self.threaded = [r for r in doc.get("threaded", []) if isinstance(r, dict)]
        self.palette = palette_of(doc)
        known = [s for s in self.palette if s]
        names = {k[1] for k in self.cells} | {k[1] for k in self.skipped}
        self.strategies = [s for s in known if s in names] + \
            sorted(names - set(known))
        catalog = doc.get("patterns") or []
        order = [p["name"] for p in catalog]
        pats = {k[0] for k in self.cells}
        self.patterns = [p for p in order if p in pats] + sorted(pats - set(order))
        # What one op is (a figure's title): the short text where there is
        # one, else the file's own; the parameters a one-per-pattern figure
        # shows, and their words.
        self.op = {p["name"]: p.get("title") or p["one_op"] for p in catalog}
        self.figure_params = {p["name"]: {k: str(v) for k, v in p["figure_params"].items()}
                              for p in catalog if isinstance(p.get("figure_params"), dict)}
        self.figure_text = {p["name"]: p["figure_text"] for p in catalog
                            if isinstance(p.get("figure_text"), str) and isinstance(p.get("figure_params"), dict)}
        # The rows not compared across strategies (a yardstick, a cross-check).
        self.not_relative = {p["name"] for p in catalog if p.get("yardstick_of") or p.get("crosscheck_of")}
        # The strategies that are allocators: a row on a pattern compared
        # across strategies (the harness's stand-in has none).
        self.allocators = [s for s in self.strategies
                           if any(k[1] == s and k[0] not in self.not_relative for k in self.cells)]
        self.baseline = baseline
        # Patterns whose input file fixes the size (trace, boot).
        self.input_patterns = {p["name"] for p in catalog if p.get("input_key")}

    def rows(self, pattern, key=None):
        return [r for k, r in self.cells.items()
                if k[0] == pattern and (key is None or k[3] == key)]

    def get(self, pattern, strategy, frames, key):
        return self.cells.get((pattern, strategy, frames, key))

    def listed(self, pattern):
        """Strategies with a row or a skipped cell for `pattern`."""
        have = {k[1] for k in self.cells if k[0] == pattern} | \
            {k[1] for k in self.skipped if k[0] == pattern}
        return [s for s in self.strategies if s in have]

    def present(self, rows):
        """Strategies with at least one row, in the fixed order."""
        have = {r["strategy"] for r in rows}
        return [s for s in self.strategies if s in have]

    def params_text(self, pattern, key):
        """params_text, with the file's words where key is the figure's set."""
        own = self.figure_text.get(pattern)
        if own and key == pkey(self.figure_params.get(pattern, {})):
            return own
        return params_text(pattern, key)

    def shown_params(self, pattern):
        """The parameter set a one-per-pattern figure shows."""
        rows = self.rows(pattern)
        counts = {}
        for r in rows:
            k = pkey(r.get("params", {}))
            counts[k] = counts.get(k, 0) + 1
        want = pkey(self.figure_params.get(pattern, {}))
        if want in counts:
            return want
        return min(counts, key=lambda k: (-counts[k], k))

    def skipped_note(self, cells, where, strats):
        """'; skipped: ctz at 16 GiB, 64 GiB; freelist everywhere' for the
        (pattern, frames, key) cells of one figure, or ''.

        `where(frames, key)` names a cell's place on the x axis; `strats`
        are the strategies the figure draws: any other skipped strategy
        has no line at all, and the title says so."""
        at = {}
        for p, s, f, k in self.skipped:
            if (p, f, k) in cells:
                at.setdefault(s, []).append(where(f, k))
        parts = ["%s %s" % (s, "at " + ", ".join(at[s]) if s in strats else "everywhere")
                 for s in self.strategies if s in at]
        return "; skipped: " + "; ".join(parts) if parts else ""

    def missed_note(self, cells, where, strats):
        """'\nimprecise (over +-3 %): tree at 64 GiB' for the drawn cells
        whose median missed the run's precision target (precision_met
        false), or ''.  Many are counted, not named: the title stays short."""
        at, count, drawn = {}, 0, 0
        for s in strats:
            for p, f, k in sorted(cells):
                r = self.get(p, s, f, k)
                drawn += r is not None
                if r and r.get("precision_met") is False:
                    at.setdefault(s, []).append(where(f, k))
                    count += 1
        if not count:
            return ""
        head = "\nimprecise (median over +-%g %%): " % self.ctx.get("precision_target_pct", 0)
        if count > 6:
            return head + "%d of the %d cells drawn (precision_met false in the results file)" % (count, drawn)
        return head + "; ".join("%s at %s" % (s, ", ".join(at[s])) for s in strats if s in at)
