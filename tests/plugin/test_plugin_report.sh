#!/bin/sh
# tools/plugin-report: one command from a plug-in to its check, run, figures
# and comparison; exit 1 (with everything still written) when the contract
# does not hold.
# Usage: test_plugin_report.sh SOURCE_DIR BUILD_DIR GOOD.so BROKEN.so
set -eu
src=$1 build=$2 good=$3 broken=$4
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$src/tools/plugin-report" "$good" --build "$build" --against nextfit --out "$tmp/good" 2>"$tmp/err" ||
  fail "good plug-in: exit $?: $(tail -5 "$tmp/err")"
for f in check.txt results.json compare.md figures/summary.png; do
  [ -s "$tmp/good/$f" ] || fail "no $f"
done
grep -q "hintscan     contract ok" "$tmp/good/check.txt" || fail "check: $(cat "$tmp/good/check.txt")"
grep -q '`hintscan` is .* than `nextfit` over all patterns\|`hintscan` is as fast as `nextfit` over all patterns' \
  "$tmp/good/compare.md" || fail "compare: $(head -12 "$tmp/good/compare.md")"
set +e
"$src/tools/plugin-report" "$broken" --build "$build" --against nextfit --out "$tmp/bad" 2>"$tmp/err"
code=$?
set -e
[ "$code" = 1 ] || fail "broken plug-in: exit $code, want 1: $(tail -5 "$tmp/err")"
grep -q "broken       contract FAILS" "$tmp/bad/check.txt" && [ -s "$tmp/bad/results.json" ] ||
  fail "broken plug-in: no finding or no results"
"$src/tools/plugin-report" --frobnicate 2>/dev/null && fail "a bad option was accepted"
echo "ok: one command gives the check, the run, the figures and the comparison"
