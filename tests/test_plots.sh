#!/bin/sh
# plots/draw end to end: every figure from the sample results, and the
# refusals (truncated file, wrong schema, NaN, no gnuplot, no results file)
# each with a message naming the problem, a non-zero exit and no figures.
#
#   tests/test_plots.sh SOURCE_DIR
set -u
src=$(cd "${1:-$(dirname "$0")/..}" && pwd)
draw="$src/plots/draw"
sample="$src/tests/data/sample-results.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
fail() { printf 'FAIL: %s\n' "$*"; status=1; }
pass() { printf 'ok: %s\n' "$*"; }

# plots/'s own figures, and one size figure per pattern of the sample's
# catalog that a size does not fix (an input pattern's file does).
FIGURES="choose summary churn-occupancy latency-churn latency-worst runs frag metadata
$(python3 -c 'import json, sys; print(*("size-" + p["name"] for p in json.load(open(sys.argv[1]))["patterns"] if "input_key" not in p))' "$sample")"

png_ok() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
svg_ok() {
    python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
sys.exit(0 if root.tag.endswith("svg") and len(root) > 0 else 1)
PY
}

# Expect a refusal: non-zero exit, stderr containing each given text.
expect_refusal() {  # label outdir text... (command in $cmd)
    label=$1 dir=$2; shift 2
    if eval "$cmd" >"$work/out" 2>"$work/err"; then
        fail "$label: exit 0"; return
    fi
    for text in "$@"; do
        grep -qF -- "$text" "$work/err" || fail "$label: message lacks '$text': $(cat "$work/err")"
    done
    if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
        fail "$label: figures left in $dir: $(ls "$dir")"
    fi
    [ -z "$(ls -A "$work" | grep '^\.figures')" ] || fail "$label: temporary directory left behind"
    pass "$label: $(head -n 1 "$work/err")"
}

# 1. The sample draws every figure, as PNG and SVG, without a gnuplot warning.
if "$draw" "$sample" --out "$work/ok" >"$work/out" 2>"$work/err"; then
    [ ! -s "$work/err" ] || fail "sample: warnings on stderr: $(cat "$work/err")"
    for f in $FIGURES; do
        [ -s "$work/ok/$f.png" ] && png_ok "$work/ok/$f.png" || fail "sample: $f.png missing or not a PNG"
        [ -s "$work/ok/$f.svg" ] && svg_ok "$work/ok/$f.svg" || fail "sample: $f.svg missing or not SVG XML"
    done
    n=$(ls "$work/ok" | wc -l)
    [ "$n" -eq $(( $(echo $FIGURES | wc -w) * 2 )) ] || fail "sample: $n files, expected $(echo $FIGURES | wc -w) x 2: $(ls "$work/ok")"
    grep -q 'commit 0000000' "$work/ok/size-fill.svg" || fail "sample: no commit in the corner"
    grep -q 'TEST FIXTURE' "$work/ok/summary.svg" || fail "sample: no CPU model in the corner"
    # Every built-in strategy of the sample's catalog has its legend entry.
    for s in $(python3 -c 'import json, sys; print(*(s["name"] for s in json.load(open(sys.argv[1]))["strategies"] if "palette" in s))' "$sample"); do
        grep -q ">$s<" "$work/ok/size-worst.svg" || fail "sample: no legend entry for $s"
    done
    pass "sample: $n figures"
else
    fail "sample: draw failed: $(cat "$work/err")"
fi

# 2. A skipped cell is NaN in the data (a gap), never 0.
mkdir "$work/dat"
(cd "$work" && python3 -B "$src/plots/to_dat.py" "$sample" dat) || fail "to_dat.py failed on the sample"
# size-lifo columns: GiB, then median min max per strategy; simd is the 6th.
row=$(awk '$1 == 16 { print $17, $18, $19 }' "$work/dat/size-lifo.dat")
[ "$row" = "NaN NaN NaN" ] && pass "skipped lifo/simd/16 GiB is NaN" ||
    fail "skipped lifo/simd/16 GiB is '$row', expected NaN NaN NaN"

# 2b. The summary's baseline: nextfit by default, a real contender (at the
# largest size where it has the most patterns); --baseline picks another
# (linear: 1 GiB in the sample, as linear skips fill at 16 GiB); without
# nextfit and linear it falls back to freelist, saying so; a baseline the
# file cannot serve is refused with its name.
grep -q 'fig_title = "Cost relative to nextfit at 16 GiB' "$work/dat/summary.gp" &&
    pass "summary: nextfit at 16 GiB" || fail "summary: $(grep fig_title "$work/dat/summary.gp")"
mkdir "$work/dat3"
(cd "$work" && python3 -B "$src/plots/to_dat.py" "$sample" dat3 linear) || fail "to_dat.py failed with linear"
grep -q 'fig_title = "Cost relative to linear at 1 GiB' "$work/dat3/summary.gp" &&
    pass "summary: --baseline linear at 1 GiB" || fail "summary linear: $(grep fig_title "$work/dat3/summary.gp")"
python3 - "$sample" "$work/nolinear.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["results"] = [r for r in d["results"] if r["strategy"] not in ("linear", "nextfit")]
d["skipped"] = [r for r in d["skipped"] if r["strategy"] not in ("linear", "nextfit")]
json.dump(d, open(sys.argv[2], "w"))
PY
mkdir "$work/dat2"
(cd "$work" && python3 -B "$src/plots/to_dat.py" nolinear.json dat2) || fail "to_dat.py failed without linear"
grep -q 'relative to freelist (nextfit is not in this file)' "$work/dat2/summary.gp" &&
    pass "summary: freelist when nextfit and linear are absent" ||
    fail "summary without nextfit: $(grep fig_title "$work/dat2/summary.gp")"
if "$draw" "$sample" --out "$work/nobase" --baseline nosuch >/dev/null 2>"$work/err"; then
    fail "--baseline nosuch was accepted"
elif grep -q -- "--baseline nosuch: no measured cell" "$work/err" && [ ! -e "$work/nobase" ]; then
    pass "--baseline nosuch refused: $(cat "$work/err")"
else
    fail "--baseline nosuch: $(cat "$work/err")"
fi
# The metadata figure has allocators only: not the harness's stand-in.
if grep -q '"harness"' "$work/dat/metadata.gp" || grep -q 'harness' "$work/dat/metadata.dat"; then
    fail "metadata shows the harness: $(grep strats "$work/dat/metadata.gp")"
else
    pass "metadata: allocators only"
fi
# Every figure draw makes has its reading in plots/README.md.
for f in $FIGURES; do
    case $f in
        size-*) grep -qF '**`size-<pattern>`' "$src/plots/README.md" &&
                    grep -qF "\`${f#size-}\`" "$src/plots/README.md" ;;
        *) grep -qF "\`$f\`" "$src/plots/README.md" ;;
    esac || fail "plots/README.md has no reading of $f"
done

# 2b'. Colours and order follow the file's palette numbers (the library's
# order); a strategy without one (a plug-in) has no fixed slot.
python3 - "$src/plots" <<'PY' && pass "palette from the file" || fail "palette"
import sys
sys.path.insert(0, sys.argv[1])
from cells import palette_of
assert not any(palette_of({"strategies": [{"name": "x"}]})), "a strategy without palette got a slot"
p = palette_of({"strategies": [{"name": "tree", "palette": 1}, {"name": "mine"}, {"name": "ctz", "palette": 0}]})
assert p[:3] == ["ctz", "tree", None] and "mine" not in p, p
PY
grep -q '^KNOWN = "linear ctz nextfit summary2 tree simd freelist buddy - - - -"' "$work/dat/context.gp" ||
    fail "context.gp KNOWN: $(grep KNOWN "$work/dat/context.gp")"

# 2c. Any subset of a run draws: one pattern only (the summary has one
# group), and a file whose linear cells were all skipped (the summary falls
# back to a measured strategy, or is left out with one line saying why).
python3 - "$sample" "$work" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def subset(name, keep):
    e = dict(d)
    e["results"] = [r for r in d["results"] if keep(r)]
    e["skipped"] = [r for r in d["skipped"] if keep(r)]
    json.dump(e, open(f"{sys.argv[2]}/{name}.json", "w"))
subset("oneworst", lambda r: r["pattern"] == "worst" and r["frames"] <= 262144)
subset("linskipped", lambda r: r["pattern"] == "fill" and r["frames"] == 16777216 and r["strategy"] in ("linear", "tree"))
PY
for f in oneworst linskipped; do
    if "$draw" "$work/$f.json" --out "$work/sub-$f" >"$work/out" 2>"$work/err"; then
        pass "$f: $(cat "$work/out")"
    else
        fail "$f: draw failed: $(cat "$work/err")"
    fi
done
[ -s "$work/sub-oneworst/summary.png" ] || fail "oneworst: no summary figure"
grep -q "no summary figure" "$work/err" && [ -s "$work/sub-linskipped/metadata.png" ] ||
    fail "linskipped: want the metadata figure and a line saying why there is no summary: $(cat "$work/err")"

# 2d. The plots read through the one validator: a cell both in results and
# in skipped is refused, as tools/results_file.py refuses it.
python3 - "$sample" "$work/twice.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = d["results"][0]
d["skipped"].append({k: r[k] for k in ("name", "pattern", "strategy", "frames", "params")} | {"reason": "x"})
json.dump(d, open(sys.argv[2], "w"))
PY
cmd='"$draw" "$work/twice.json" --out "$work/tw"'
expect_refusal "cell in results and skipped" "$work/tw" "twice.json" "more than once"

# 2e. A full disk, made by a file size limit: gnuplot does not report the
# failed write, so draw checks each figure is whole; the data writer says
# so rather than a traceback; nothing lands in DIR either way.
for limit in 20000 300; do
    cmd='python3 -c "import resource, signal, subprocess, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, ($limit, $limit))
sys.exit(subprocess.call(sys.argv[1:], restore_signals=False))" "$draw" "$sample" --out "$work/full$limit"'
    if [ $limit = 300 ]; then want="cannot write the figure data"; else want="was cut short"; fi
    expect_refusal "file size limit $limit" "$work/full$limit" "$want"
    [ ! -e "$work/full$limit" ] || fail "file size limit $limit: made $work/full$limit"
done

# 2f. A strategy the colour table does not know (a plug-in) keeps its spare
# colour from file to file: it comes from its name, not its place.
if python3 - "$src/plots" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
from gp_out import spare_slots
alone = spare_slots(["mine", "ctz"], {"ctz"})["mine"]
assert spare_slots(["tree", "mine", "nextfit"], {"tree", "nextfit"})["mine"] == alone
both = spare_slots(["mine", "yours"], set())
assert len(set(both.values())) == 2 and all(1 <= v <= 6 for v in both.values()), both
PY
then pass "spare colours follow the name"; else fail "spare colours depend on the file"; fi

# 2g. A pattern's figure title and shown parameters come from the file's
# catalog where it gives them (a new pattern needs no list in plots/).
python3 - "$sample" "$work/catalog.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["patterns"]:
    if p["name"] == "fill":
        p["title"] = "TITLE FROM THE FILE"
    if p["name"] == "churn":
        p["figure_params"] = {"occupancy": 500}
        p.pop("figure_text", None)
json.dump(d, open(sys.argv[2], "w"))
PY
mkdir "$work/dat3"
(cd "$work" && python3 -B "$src/plots/to_dat.py" catalog.json dat3) || fail "to_dat.py failed on the catalog file"
grep -q "TITLE FROM THE FILE" "$work/dat3/size-fill.gp" && grep -q "churn (occupancy 50 %)" "$work/dat3/size-churn.gp" &&
    pass "titles and shown parameters from the catalog" ||
    fail "catalog not read: $(grep fig_title "$work/dat3/size-fill.gp" "$work/dat3/size-churn.gp")"

# 3. A truncated file: named, called truncated, nothing drawn.
head -c 20000 "$sample" >"$work/truncated.json"
cmd='"$draw" "$work/truncated.json" --out "$work/t"'
expect_refusal "truncated file" "$work/t" "truncated.json" "not valid JSON" "truncated"

# 4. Another schema.
sed 's|"framebench-results/2"|"framebench-results/3"|' "$sample" >"$work/schema3.json"
cmd='"$draw" "$work/schema3.json" --out "$work/s"'
expect_refusal "wrong schema" "$work/s" "schema3.json" "framebench-results/3" "expected 'framebench-results/2'"
# A file of the first schema: its churn timed the harness; say so.
sed 's|"framebench-results/2"|"framebench-results/1"|' "$sample" >"$work/schema1.json"
cmd='"$draw" "$work/schema1.json" --out "$work/s"'
expect_refusal "old schema" "$work/s" "schema1.json" "framebench-results/1" "Re-run framebench"
echo '[1, 2]' >"$work/list.json"
cmd='"$draw" "$work/list.json" --out "$work/s"'
expect_refusal "not a results object" "$work/s" "list.json" "no \"schema\" field"

# 5. NaN is not JSON, and a row without its median is not a result.
sed '0,/"median": [0-9.]*/s//"median": NaN/' "$sample" >"$work/nan.json"
cmd='"$draw" "$work/nan.json" --out "$work/n"'
expect_refusal "NaN in the file" "$work/n" "nan.json" "NaN"
python3 - "$sample" "$work/nomedian.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); del d["results"][3]["ns_per_op"]["median"]
json.dump(d, open(sys.argv[2], "w"))
PY
cmd='"$draw" "$work/nomedian.json" --out "$work/m"'
expect_refusal "row without median" "$work/m" "nomedian.json" "results[3]" "ns_per_op: missing 'median'"

# 6. A failed redraw leaves the figures already there untouched.
cp -r "$work/ok" "$work/keep"
(cd "$work/keep" && cksum * >"$work/before")
"$draw" "$work/truncated.json" --out "$work/keep" >/dev/null 2>&1 && fail "redraw over figures: exit 0"
(cd "$work/keep" && cksum * >"$work/after")
cmp -s "$work/before" "$work/after" && pass "failed redraw left old figures untouched" ||
    fail "failed redraw changed the figures in place"

# 6b. A redraw removes figures an earlier draw made that the new file no
# longer has (named in .figures), and no file draw did not make, even one
# named like a figure.
touch "$work/keep/size-gone.png" "$work/keep/size-mine.png" "$work/keep/notes.txt"
echo size-gone.png >>"$work/keep/.figures"
"$draw" "$sample" --out "$work/keep" >/dev/null 2>&1 || fail "redraw: draw failed"
[ ! -e "$work/keep/size-gone.png" ] && [ -e "$work/keep/size-mine.png" ] && [ -e "$work/keep/notes.txt" ] &&
    pass "redraw removed its own stale figure and kept files it did not make" ||
    fail "redraw: stale figure kept or another file removed: $(ls "$work/keep")"

# 7. No gnuplot on PATH: a message saying so and what to install.
mkdir "$work/bin"
for c in sh python3 dirname basename ls head mkdir mktemp rm mv cat sed grep printf; do
    p=$(command -v "$c") && ln -s "$p" "$work/bin/$c"
done
cmd='PATH="$work/bin" "$work/bin/sh" "$draw" "$sample" --out "$work/g"'
expect_refusal "no gnuplot" "$work/g" "gnuplot not found" "gnuplot-nox"

# 8. No results file given and no results/latest.json: refused; with one,
# the run it points at is drawn into plots/out, and plots/figures (the
# committed figures) is not touched.
mkdir -p "$work/tree/results/runs"
cp -r "$src/plots" "$work/tree/plots"
cp -r "$src/tools" "$work/tree/tools"
rm -rf "$work/tree/plots/figures" "$work/tree/plots/out"
cmd='"$work/tree/plots/draw"'
expect_refusal "no results file" "$work/tree/plots/out" "no results file given" "results/latest.json"
cp "$sample" "$work/tree/results/runs/run1.json"
ln -s runs/run1.json "$work/tree/results/latest.json"
if "$work/tree/plots/draw" >"$work/out" 2>&1 && [ -s "$work/tree/plots/out/summary.png" ] &&
        [ ! -e "$work/tree/plots/figures" ] && grep -q 'latest.json' "$work/out"; then
    pass "default: results/latest.json into plots/out"
else
    fail "default paths: $(cat "$work/out")"
fi

# 9. A file of threaded cells alone (the many-cores recipe) draws the
# scaling figure; one with no row at all is refused, saying so.
python3 - "$sample" "$work/threaded.json" "$work/none.json" <<'PY'
import copy, json, sys
d = json.load(open(sys.argv[1]))
row = {"pattern": "mt_bulk", "strategy": "lockfree", "frames": 16384, "thread_safe": True, "phase": "alloc",
       "ops_per_s": 1e8, "repetitions": 9}
d["results"], d["skipped"], d["benchmarks"], d["threaded"] = [], [], [], []
for t, ns in ((1, 10.0), (2, 11.0)):
    d["threaded"].append(dict(copy.deepcopy(row), name="mt_bulk/lockfree/frames:16384/threads:%d" % t,
                              params={"threads": t}, threads=t, ns_per_op={"median": ns, "min": ns, "max": ns},
                              thread_ns_per_op={"min": ns, "median": ns, "max": ns}, ops_per_s=t * 1e8 / ns * 10))
json.dump(d, open(sys.argv[2], "w"))
d["threaded"] = []
json.dump(d, open(sys.argv[3], "w"))
PY
"$src/plots/draw" "$work/threaded.json" --out "$work/thr" >"$work/out" 2>&1 && [ -s "$work/thr/scaling.png" ] &&
    pass "threaded rows alone: the scaling figure" || fail "threaded-only file: $(cat "$work/out")"
cmd='"$src/plots/draw" "$work/none.json" --out "$work/none"'
expect_refusal "no rows at all" "$work/none" "lists are empty"
# An empty --out is no directory (it drew into the current one).
cmd='(cd "$work" && "$src/plots/draw" "$sample" --out "")'
expect_refusal "empty --out" "$work/none" "--out needs a directory"

exit $status
