#!/bin/sh
# ./run.sh on a fresh clone changes no tracked file: the results go to a new
# results/runs/ file with results/latest.json pointing at it, the figures to
# plots/out/, and its last line says where.  The clone is of the committed
# HEAD (uncommitted changes of the source tree are not in it).
# Usage: test_run_clean.sh SOURCE_DIR
set -eu
src=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
git -C "$src" rev-parse HEAD >/dev/null 2>&1 || { echo "FAIL: $src is not a git checkout"; exit 1; }
git clone -q "$src" "$tmp/c"
(cd "$tmp/c" && ./run.sh --matrix tiny >"$tmp/log" 2>&1) || { tail -20 "$tmp/log"; fail "run.sh exited non-zero"; }
changed=$(git -C "$tmp/c" status --porcelain)
[ -z "$changed" ] || fail "run.sh changed tracked or unignored files: $changed"
[ -L "$tmp/c/results/latest.json" ] || fail "no results/latest.json link"
target=$(readlink "$tmp/c/results/latest.json")
case "$target" in runs/*-tiny.json) ;; *) fail "latest.json points at '$target'" ;; esac
[ -s "$tmp/c/results/$target" ] || fail "results/$target is empty or missing"
[ -s "$tmp/c/plots/out/summary.png" ] || fail "no plots/out/summary.png"
tail -1 "$tmp/log" | grep -q "results in results/latest.json" || fail "last line: $(tail -1 "$tmp/log")"
echo "ok: ./run.sh --matrix tiny left git status clean; results/$target, figures in plots/out/"

# Three runs ending in the same second keep three files: a default name is
# never replaced ("-2", "-3" are added).
fb=$tmp/c/build/release/bench/framebench
before=$(ls "$tmp/c/results/runs" | wc -l)
for i in 1 2 3; do "$fb" --matrix tiny --patterns worst --strategies tree --quiet 2>"$tmp/w$i" & done
wait
after=$(ls "$tmp/c/results/runs" | wc -l)
[ "$after" -eq $((before + 3)) ] || fail "3 default runs left $((after - before)) new files: $(ls "$tmp/c/results/runs")"
echo "ok: three default runs at once left three results files"
