#!/bin/sh
# Builds the libFuzzer target with clang and fuzzes for a bounded time from
# the committed corpus and regressions, for CI (about 60-90 s) or by hand.
# New interesting inputs go to a scratch directory, so the committed corpus
# only changes on purpose (make_corpus.sh).  A crash, leak or timeout input is
# copied into tests/fuzz/regressions/, where fuzz_replay reruns it in every
# ctest from then on; the script then exits non-zero.
# Usage: tests/fuzz/fuzz.sh SECONDS
# Environment: CLANG (default clang), FUZZ_BUILD_DIR (default build/fuzz);
# FRAMEBENCH_EXTRA_STRATEGIES (your strategies' sources, a.c;b.c, compiled in
# and instrumented like the built-ins) and FUZZ_STRATEGY (fuzz that one
# strategy only), to fuzz your own allocator:
#   FRAMEBENCH_EXTRA_STRATEGIES=$PWD/mine.c FUZZ_STRATEGY=mine tests/fuzz/fuzz.sh 60
# A crash of a strategy of yours is saved under FUZZ_BUILD_DIR/crashes/, not
# among framebench's own regressions.
set -eu
secs=${1:?usage: fuzz.sh SECONDS}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build/fuzz}
regressions=$root/tests/fuzz/regressions
# framebench's own regressions are for its own strategies.
[ -z "${FRAMEBENCH_EXTRA_STRATEGIES:-}" ] || regressions=$build/crashes
mkdir -p "$regressions"

extra=${FRAMEBENCH_EXTRA_STRATEGIES:-}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER="${CLANG:-clang}" \
  -DFRAMEBENCH_BENCH=OFF -DFRAMEBENCH_EXTRA_STRATEGIES="$extra" >/dev/null ||
  { echo "fuzz: cannot configure a clang build in $build (is ${CLANG:-clang} installed?)"; exit 3; }
# 3: no fuzzer to run (no clang with libFuzzer), not a finding.
ninja -C "$build" fuzz_frame_alloc fuzz_replay ||
  { echo "fuzz: cannot build the libFuzzer target (needs clang and Debian's libclang-rt-dev)"; exit 3; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
status=0
"$build/tests/fuzz/fuzz_frame_alloc" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$root/tests/fuzz/corpus" "$regressions" || status=$?

for f in "$work"/artifacts/*; do
  [ -e "$f" ] || continue
  cp "$f" "$regressions/"
  echo "fuzz: saved $regressions/$(basename "$f")"
  echo "fuzz: replay it with ${FUZZ_STRATEGY:+FUZZ_STRATEGY=$FUZZ_STRATEGY }$build/tests/fuzz/fuzz_replay $regressions/$(basename "$f")"
  [ "$status" -ne 0 ] || status=1
done
# Any failure is 1 (libFuzzer's own code, 77, would read as "skipped" to ctest).
[ "$status" -eq 0 ] && echo "fuzz: no failure in $secs s${FUZZ_STRATEGY:+ of $FUZZ_STRATEGY}" || status=1
exit "$status"
