#!/bin/sh
# Refreshes the committed reference run and the README's figures: the one
# command that writes results/default.json and plots/figures/.  Run it on a
# clean checkout of the commit the figures are to describe; arguments go to
# framebench.  Then update the README's figures from the new file and commit.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
  echo "update-reference: the checkout has uncommitted changes; the results file will say git_dirty" >&2
build/release/bench/framebench --out results/default.json "$@"
plots/draw results/default.json --out plots/figures
echo "update-reference: results/default.json and plots/figures/ rewritten; review the README's figures"
