#!/bin/sh
# Refreshes the committed reference run and the README's figures: the one
# command that writes results/default.json and plots/figures/.  Run it on a
# clean checkout of the commit the figures are to describe; arguments go to
# framebench.  Then update the README's figures from the new file and commit.
set -eu
for a in "$@"; do
  case $a in
    -h|--help)
      cat <<'EOF'
usage: scripts/update-reference.sh [FRAMEBENCH OPTIONS]

Builds in Release, runs framebench's default matrix into results/default.json
(the committed reference) and redraws plots/figures/ from it: both are
replaced. Run it on a quiet machine and a clean checkout of the commit the
figures describe, then bring the README's figures up to date and commit.
Options go to framebench (framebench --help); --out is refused.
EOF
      exit 0 ;;
    --out|--out=*)
      echo "update-reference: --out is refused: the reference is results/default.json" >&2
      exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
sh scripts/deps.sh
. scripts/peers.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release "$peers_cmake" >/dev/null
cmake --build build/release
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
  echo "update-reference: the checkout has uncommitted changes; the results file will say git_dirty" >&2
# shellcheck disable=SC2086 # peers_load is words
build/release/bench/framebench $peers_load --out results/default.json "$@"
plots/draw results/default.json --out plots/figures
python3 scripts/doc_figures.py
echo "update-reference: results/default.json, plots/figures/ and README.md's generated tables rewritten;" \
  "review the README's other figures"
