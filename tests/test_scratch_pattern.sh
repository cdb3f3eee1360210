#!/bin/sh
# A new pattern is one file and one line (CONTRIBUTING.md, "Adding a
# pattern"): in a copy of the tree, a scratch pattern with two variants is
# added as bench/patterns/scratch.c and its X(scratch) in the registry, and
# nothing else.  The copy builds; its framebench --catalog lists it; the
# cell-list and framebench-run tests (which take the patterns from the
# catalog) pass; a run of it validates; and the figures draw it without a
# warning.
# Usage: test_scratch_pattern.sh SOURCE_DIR
set -eu
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir "$work/src"
(cd "$src" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf -) | tar -xf - -C "$work/src"
cat >"$work/src/bench/patterns/scratch.c" <<'C'
/* scratch: a test's pattern, allocate `batch` frames, free them in order. */
#include "pattern.h"

static const struct fb_params scratch_variants[] = {{{1}}, {{4}}};

static fa_err scratch_prepare(struct fb_work *w)
{
    w->pos = 0;
    return fb_work_empty(w);
}

static void scratch_ops(struct fb_work *w, uint64_t n)
{
    uint64_t batch = w->p.v[0], pos = w->pos;
    for (uint64_t i = 0; i < n; i++, pos = (pos + 1) % (2 * batch)) {
        uint64_t pa;
        fa_err e = pos < batch ? w->ops->alloc(w->state, &pa) : w->ops->free(w->state, fb_pa(w, w->list[pos - batch]));
        if (e != FA_OK) {
            w->err = e;
            return;
        }
        if (pos < batch)
            w->list[pos] = fb_index(w, pa);
    }
    w->pos = pos;
}

static uint64_t scratch_frames(uint64_t nframes, const struct fb_params *p)
{
    (void)nframes;
    return p->v[0];
}

const struct fb_pattern fb_scratch_pattern = {
    .name = "scratch",
    .one_op = "one alloc or free, in batches freed in order (a test's pattern)",
    .title = "scratch alloc or free",
    .keys = {"batch"},
    .variants = scratch_variants,
    .nvariants = 2,
    .cycle_ops = fb_cycle_none,
    .scratch_frames = scratch_frames,
    .prepare = scratch_prepare,
    .avail = fb_avail_unlimited,
    .ops = scratch_ops,
    .reset = fb_reset_none,
};
C
sed -i '/^ *X(lifo) *\\$/a\    X(scratch) \\' "$work/src/bench/patterns/pattern_list.c"
grep -q 'X(scratch)' "$work/src/bench/patterns/pattern_list.c" || fail "the registry line was not added"

b=$work/src/build
cmake -S "$work/src" -B "$b" -G Ninja -DCMAKE_BUILD_TYPE=Release >"$work/log" 2>&1 &&
    cmake --build "$b" --target framebench framebench-run >>"$work/log" 2>&1 ||
    { tail -30 "$work/log"; fail "the copy with a scratch pattern does not build"; }
fb=$b/bench/framebench
"$fb" --catalog | python3 -c '
import json, sys
p = {p["name"]: p for p in json.load(sys.stdin)["patterns"]}["scratch"]
assert p["keys"] == ["batch"] and p["variants"] == [{"batch": 1}, {"batch": 4}], p' ||
    fail "the catalog does not list the scratch pattern with its variants"
python3 "$work/src/tests/bench/cells_complete.py" "$fb" >"$work/cells" 2>&1 ||
    { cat "$work/cells"; fail "cell lists with the scratch pattern"; }
grep -q '^run	scratch/ctz/frames:16384/batch:4$' <<EOF2 || fail "no scratch cell in --list"
$("$fb" --matrix tiny --list)
EOF2
python3 "$work/src/tests/bench/run_output.py" "$b/bench/framebench-run" "$fb" >"$work/run" 2>&1 ||
    { cat "$work/run"; fail "framebench-run on the scratch pattern"; }
"$fb" --matrix tiny --sizes 64M,1G --patterns scratch,fill --strategies ctz,tree --quiet --out "$work/r.json" 2>"$work/err" ||
    { tail -5 "$work/err"; fail "a tiny run of the scratch pattern"; }
python3 "$work/src/tools/results_file.py" "$work/r.json" || fail "its results file does not validate"
"$work/src/plots/draw" "$work/r.json" --out "$work/figs" >"$work/draw" 2>"$work/draw.err" ||
    { cat "$work/draw.err"; fail "the figures of a run with the scratch pattern"; }
[ -s "$work/figs/size-scratch.png" ] || fail "no size-scratch figure: $(ls "$work/figs" | tr '\n' ' ')"
! grep -i "warning" "$work/draw.err" || fail "gnuplot warned drawing the scratch pattern"
echo "ok: a scratch pattern is one file and one line: built, listed, run, validated, drawn"
