"""Writing what gnuplot reads: string literals, numbers, data and variables."""
import os
import re
import zlib

SPARE_SLOTS = 6  # the spare colours and markers in style.gp


def spare_slots(names, known):
    """A spare colour slot (1..SPARE_SLOTS) for each name style.gp does not
    know, from a checksum of the name: a plug-in keeps its colour from file
    to file, whatever else the file holds.  Two names on one slot: the later
    (by name) takes the next free one."""
    slots, used = {}, set()
    for name in sorted(n for n in names if n not in known):
        slot = zlib.crc32(name.encode()) % SPARE_SLOTS
        for _ in range(SPARE_SLOTS):
            if slot not in used:
                break
            slot = (slot + 1) % SPARE_SLOTS
        used.add(slot)
        slots[name] = slot + 1
    return slots

def gp_str(s):
    """A gnuplot double-quoted string literal."""
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


# A title line longer than this is cut at the figure's edges (1000 px at
# 11 pt, the narrowest figure): wrap it at a "; ", ", " or space.
TITLE_WIDTH = 100


def wrap_title(title):
    out = []
    for line in title.split("\n"):
        while len(line) > TITLE_WIDTH:
            cut = max(line.rfind(sep, 0, TITLE_WIDTH) for sep in ("; ", ", ", " "))
            if cut <= 0:
                break
            sep_len = 2 if line[cut:cut + 2] in ("; ", ", ") else 1
            out.append(line[:cut + (1 if sep_len == 2 else 0)])
            line = line[cut + sep_len:]
        out.append(line)
    return "\n".join(out)


def num(v):
    return "NaN" if v is None else repr(float(v))


def xtics(labels_at):
    """A `set xtics (...)` list; gnuplot reads tick labels as formats: % is %%."""
    return "(" + ", ".join("%s %r" % (gp_str(l.replace("%", "%%")), x)
                           for l, x in labels_at) + ")"


class Writer:
    """Writes figure data and variables, and lists the figures."""

    def __init__(self, outdir):
        self.outdir = outdir
        self.figures = []

    def figure(self, script, name, header, lines, variables):
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        dat = os.path.join(self.outdir, safe + ".dat")
        with open(dat, "w") as fp:
            fp.write("# " + header + "\n")
            fp.writelines(" ".join(map(str, l)) + "\n" for l in lines)
        variables = dict(variables, datafile=os.path.relpath(dat))
        if "fig_title" in variables:
            variables["fig_title"] = wrap_title(variables["fig_title"])
        with open(os.path.join(self.outdir, safe + ".gp"), "w") as fp:
            for k, v in variables.items():
                fp.write("%s = %s\n" % (k, gp_str(v) if isinstance(v, str) else v))
        self.figures.append((script, safe))

    def finish(self, ctx, source, strategies, palette=()):
        """palette: the built-in names by colour slot (None: a free slot)."""
        self.strategies = strategies
        spare = spare_slots(strategies, {s for s in palette if s})
        commit = str(ctx.get("git_commit") or "unknown")[:7]
        if ctx.get("git_dirty"):
            commit += " (dirty)"
        corner = "%s · commit %s · %s" % (os.path.basename(source), commit,
                                          ctx.get("cpu_model") or "CPU unknown")
        with open(os.path.join(self.outdir, "context.gp"), "w") as fp:
            fp.write("corner = %s\n" % gp_str(corner))
            fp.write("all_strats = %s\n" % gp_str(" ".join(self.strategies)))
            fp.write("KNOWN = %s\n" % gp_str(" ".join(s or "-" for s in palette)))
            fp.write("spare_strats = %s\n" % gp_str(" ".join(spare)))
            fp.write("spare_slots = %s\n" % gp_str(" ".join(str(v) for v in spare.values())))
        with open(os.path.join(self.outdir, "figures.list"), "w") as fp:
            fp.writelines("%s %s\n" % f for f in self.figures)
