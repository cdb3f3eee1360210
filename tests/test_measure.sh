#!/bin/sh
# The pull-request measurement end to end, on real builds: instruction counts
# repeat exactly (an A/A comparison exits 0 with identical counts), and a
# build whose ctz is deliberately slowed (FRAMEBENCH_TEST_SLOW_CTZ) is caught:
# tools/compare exits 1 and names ctz, not the untouched strategy.
# Usage: test_measure.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1 build=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Without valgrind: exit 2 (not comparable), never 1 (a regression).
mkdir "$tmp/bin"
set +e
PATH=$tmp/bin "$src/tools/measure" "$build" "$build" --out "$tmp/none" 2>"$tmp/err"
code=$?
set -e
[ "$code" = 2 ] && grep -q "valgrind is not installed" "$tmp/err" || fail "no valgrind: exit $code: $(cat "$tmp/err")"
echo "ok: without valgrind, exit 2 and says so"

# Too few wall-clock samples for the rank test to ever reject: refused.
set +e
"$src/tools/measure" "$build" "$build" --out "$tmp/few" --reps 3 2>"$tmp/err"
code=$?
set -e
[ "$code" = 2 ] && grep -q "want at least 4" "$tmp/err" && [ ! -e "$tmp/few" ] || fail "--reps 3: exit $code: $(cat "$tmp/err")"
echo "ok: --reps 3 refused"

echo "building a copy with a slowed ctz"
cmake -S "$src" -B "$tmp/slow" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFRAMEBENCH_TEST_SLOW_CTZ=50 \
  -DCMAKE_C_COMPILER="$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")" \
  -DCMAKE_CXX_COMPILER="$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")" >/dev/null
cmake --build "$tmp/slow" --target framebench framebench-run >/dev/null

only="--strategies ctz,summary2 --patterns fill,churn --no-wallclock"
"$src/tools/measure" "$build" "$build" --out "$tmp/aa" $only 2>/dev/null || fail "measure A/A"
python3 - "$tmp/aa/base.json" "$tmp/aa/head.json" <<'PY' || fail "A/A counts differ"
import json, sys
a, b = (json.load(open(p))["counts"] for p in sys.argv[1:])
assert a and a == b, (a, b)
print(f"ok: {len(a)} cells, instruction counts identical in two runs")
PY
"$src/tools/compare" "$tmp/aa/base.json" "$tmp/aa/head.json" >"$tmp/aa.md" || fail "A/A compare exit $?"
echo "ok: A/A compare exits 0"

"$src/tools/measure" "$build" "$tmp/slow" --out "$tmp/ab" $only 2>/dev/null || fail "measure A/B"
set +e
"$src/tools/compare" "$tmp/ab/base.json" "$tmp/ab/head.json" >"$tmp/ab.md"
code=$?
set -e
[ "$code" = 1 ] || { cat "$tmp/ab.md"; fail "slowed ctz: compare exit $code, want 1"; }
grep -q '^Regressed: .*`fill/ctz/' "$tmp/ab.md" || { cat "$tmp/ab.md"; fail "report does not name ctz"; }
if grep '^Regressed: ' "$tmp/ab.md" | grep -q summary2; then cat "$tmp/ab.md"; fail "summary2 wrongly flagged"; fi
echo "ok: slowed ctz caught, exit 1: $(grep '^Regressed: ' "$tmp/ab.md" | cut -c1-120)"
# tools/calibrate runs both of its experiments on the builds above and
# writes its table; the rates themselves are for the benchmark, not a test.
cal="--pairs 1 --slow-build $tmp/slow -- --matrix tiny --patterns fill,churn --strategies ctz,summary2 --repetitions 5"
"$src/tools/calibrate" "$build" --out "$tmp/cal" $cal >"$tmp/cal.out" 2>"$tmp/cal.err" \
  || fail "calibrate exit $?: $(cat "$tmp/cal.err")"
grep -q '^\*\*A/A: false FAIL in [01] of 1 (' "$tmp/cal/calibration.md" \
  && grep -q '^\*\*A/B (ctz slowed): caught in [01] of 1 (' "$tmp/cal/calibration.md" \
  && [ -s "$tmp/cal/aa-01-head.json" ] && [ -s "$tmp/cal/ab-01-head.json" ] \
  || { cat "$tmp/cal/calibration.md"; fail "calibrate wrote no table"; }
set +e
"$src/tools/calibrate" "$build" --out "$tmp/cal" $cal 2>"$tmp/err"
code=$?
set -e
[ "$code" = 2 ] && grep -q "not empty" "$tmp/err" || fail "calibrate into a used --out: exit $code"
echo "ok: calibrate ran A/A and A/B and wrote its table; refuses a used --out"
echo "5 passed, 0 failed"
