#!/bin/sh
# tools/plugin-report: one command from a plug-in to its check, run, figures
# and comparison, reached by the README's commands as written; exit 1 (with
# everything still written) when the contract does not hold.
# Usage: test_plugin_report.sh SOURCE_DIR BUILD_DIR GOOD.so BROKEN.so
# (GOOD.so: unused, the README builds its own from the example)
set -eu
src=$1 build=$2 good=$3 broken=$4
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# The README's plug-in commands, run as written (the clone at ~/framebench
# being this source tree; its build this test's): copy the example, rename
# it, compile it, one command.
sed -n '/^## Benchmark your own allocator/,/^## /p' "$src/README.md" |
  sed -n '/^```sh$/,/^```$/p' | grep -v '^```' | sed "s|~/framebench|$src|g" >"$tmp/readme.sh"
grep -q plugin-report "$tmp/readme.sh" || fail "no plug-in commands in the README: $(cat "$tmp/readme.sh")"
[ "$build" = "$src/build/release" ] || sed -i "s|tools/plugin-report mine.so|tools/plugin-report mine.so --build $build|" \
  "$tmp/readme.sh"
mkdir "$tmp/readme"
(cd "$tmp/readme" && sh -eu "$tmp/readme.sh") >"$tmp/out" 2>"$tmp/err" ||
  fail "the README's plug-in commands: exit $?: $(tail -5 "$tmp/err")"
for f in check.txt results.json compare.md figures/summary.png; do
  [ -s "$tmp/readme/plug-in-report/$f" ] || fail "no $f"
done
grep -q "mine         contract ok" "$tmp/readme/plug-in-report/check.txt" ||
  fail "check: $(cat "$tmp/readme/plug-in-report/check.txt")"
grep -q '`mine` is .* than `nextfit` over all patterns.*repetitions a cell; medians precise to' \
  "$tmp/readme/plug-in-report/compare.md" || fail "compare: $(head -12 "$tmp/readme/plug-in-report/compare.md")"
! grep -i "warning" "$tmp/err" || fail "warnings on the way"
set +e
"$src/tools/plugin-report" "$broken" --build "$build" --against nextfit --out "$tmp/bad" 2>"$tmp/err"
code=$?
set -e
[ "$code" = 1 ] || fail "broken plug-in: exit $code, want 1: $(tail -5 "$tmp/err")"
grep -q "broken       contract FAILS" "$tmp/bad/check.txt" && [ -s "$tmp/bad/results.json" ] ||
  fail "broken plug-in: no finding or no results"
"$src/tools/plugin-report" --frobnicate 2>/dev/null && fail "a bad option was accepted"
echo "ok: one command gives the check, the run, the figures and the comparison"
