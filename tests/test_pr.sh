#!/bin/sh
# tools/pr hands its thresholds to tools/compare and its other options to
# tools/measure, and refuses a bad one before it builds anything.
# Usage: test_pr.sh SOURCE_DIR
set -eu
src=$1
cd "$src"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

tools/pr --base HEAD --out "$tmp/pr" --dry-run --reps 6 --threshold 5 --abs-threshold 3 \
  --fail-on-wallclock -- --strategies tree >"$tmp/plan" || fail "dry run exited $?"
grep -q "^tools/compare .* --threshold 5 --abs-threshold 3 --fail-on-wallclock$" "$tmp/plan" ||
  fail "compare options not passed: $(cat "$tmp/plan")"
grep -q "^tools/measure .* --reps 6 .* --strategies tree$" "$tmp/plan" ||
  fail "measure options not passed: $(cat "$tmp/plan")"
[ ! -e "$tmp/pr" ] || fail "a dry run made $tmp/pr"
echo "ok: options reach compare and measure"

refused() { # WHAT ARGS...
  what=$1; shift
  set +e
  tools/pr --base HEAD --out "$tmp/pr" "$@" 2>"$tmp/err" >/dev/null
  code=$?
  set -e
  [ "$code" = 2 ] && grep -q "$what" "$tmp/err" && [ ! -e "$tmp/pr" ] ||
    fail "$*: exit $code, want 2 naming '$what', nothing written: $(cat "$tmp/err")"
  echo "ok: $* refused"
}
refused "'nan' is not a finite number" --threshold nan
refused "'-1' is not a finite number" --abs-threshold -1
refused "want at least 4" --reps 3
refused "unknown bogus" -- --patterns bogus
refused "unknown option '--frobnicate'" --frobnicate
