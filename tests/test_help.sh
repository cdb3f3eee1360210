#!/bin/sh
# --help is harmless everywhere: every command a user may run prints its
# usage on stdout and exits 0 within seconds, building, running and
# writing nothing (the checkout's status and its ignored build outputs are
# as before).
# Usage: test_help.sh SOURCE_DIR [BINARY...]  (the binaries: full paths)
set -eu
src=$1
shift
cd "$src"
fail() { echo "FAIL: $*"; exit 1; }
before=$(git status --porcelain --ignored 2>/dev/null; ls -l --time-style=+%s results/latest.json 2>/dev/null || true)
n=0
for cmd in run.sh test.sh scripts/deps.sh scripts/update-reference.sh scripts/lint.sh scripts/doc_figures.py plots/draw tools/calibrate \
           tools/capture-trace tools/compare tools/layouts tools/measure tools/perf-stat tools/plugin-report \
           tools/pr tools/results_file.py tools/whole-run; do
  [ -x "$cmd" ] || fail "$cmd is not executable"
  out=$(timeout 20 "./$cmd" --help 2>&1) || fail "$cmd --help exited $?: $out"
  [ -n "$out" ] || fail "$cmd --help printed nothing"
  case $out in *sage*|*"$(basename "$cmd")"*) ;; *) fail "$cmd --help does not say how to use it: $out" ;; esac
  n=$((n + 1))
done
for bin in "$@"; do
  out=$(timeout 20 "$bin" --help 2>&1) || fail "$bin --help exited $?: $out"
  case $out in *sage*) ;; *) fail "$bin --help does not say how to use it: $out" ;; esac
  n=$((n + 1))
done
after=$(git status --porcelain --ignored 2>/dev/null; ls -l --time-style=+%s results/latest.json 2>/dev/null || true)
[ "$before" = "$after" ] || fail "a --help changed the checkout"
echo "ok: $n commands answer --help and change nothing"
