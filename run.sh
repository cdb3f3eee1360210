#!/bin/sh
# framebench's main job: install what is missing, build in Release, run the
# default benchmark matrix into a new results/runs/ file (results/latest.json
# points at it), draw its figures into plots/out/.  Both are git-ignored: a
# run changes no tracked file (scripts/update-reference.sh refreshes the
# committed reference).  Arguments are passed to framebench (e.g. --full).
# Where scripts/peers.sh finds a checkout of LLFree, the peer runs too.
set -eu
for a in "$@"; do
  case $a in
    -h|--help)
      echo "usage: ./run.sh [FRAMEBENCH OPTIONS]"
      sed -n '2,7s/^# \{0,1\}//p' "$0"
      echo "Options go to framebench (build/release/bench/framebench --help lists them), --out aside."
      exit 0 ;;
  esac
done
cd "$(dirname "$0")"
sh scripts/deps.sh
. scripts/peers.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release "$peers_cmake" >/dev/null
cmake --build build/release
if [ ! -x build/release/bench/framebench ]; then
  echo "run.sh: the benchmark binary is not built yet; running the tests' demonstration instead" >&2
  exec ctest --test-dir build/release --output-on-failure
fi
case " $* " in
  *" --out "*|*" --out="*)
    echo "run.sh: give --out to build/release/bench/framebench itself; run.sh writes results/runs/" >&2
    exit 2 ;;
esac
# shellcheck disable=SC2086 # peers_load is words
build/release/bench/framebench $peers_load "$@"
plots/draw results/latest.json --out plots/out
echo "run.sh: results in results/latest.json -> $(readlink results/latest.json); figures in plots/out/"
