#!/bin/sh
# framebench's main job: install what is missing, build in Release, run the
# default benchmark matrix, write a results file under results/, redraw the
# plots.  Arguments are passed to framebench (e.g. --full).
set -eu
cd "$(dirname "$0")"
sh scripts/deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release
if [ ! -x build/release/bench/framebench ]; then
  echo "run.sh: the benchmark binary is not built yet; running the tests' demonstration instead" >&2
  exec ctest --test-dir build/release --output-on-failure
fi
build/release/bench/framebench "$@"
plots/draw
