#!/bin/sh
# tools/layouts builds variants that differ in code placement only: the
# allocator's functions sit at other addresses, and the instruction counts
# per op of four strategies of four kinds are identical in both
# (tools/measure A/A across the two builds).  Also: bad arguments are refused before anything builds.
# Usage: test_layouts.sh SOURCE_DIR
set -eu
src=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

for bad in "--variants 1" "--rounds 0" "--threshold nan" "--cmake-args -1"; do
  set +e
  # shellcheck disable=SC2086
  "$src/tools/layouts" $bad --out "$tmp/refused" 2>"$tmp/err"
  code=$?
  set -e
  [ "$code" = 2 ] || fail "$bad: exit $code"
  [ ! -e "$tmp/refused" ] || fail "$bad: made $tmp/refused"
done
echo "ok: bad arguments refused with exit 2, nothing built"

"$src/tools/layouts" --variants 2 --build-only --out "$tmp/l" 2>"$tmp/build.log" || { cat "$tmp/build.log"; fail "build"; }
a=$(nm "$tmp/l/build-0/bench/framebench-run" | awk '$3 == "ctz_alloc" {print $1}')
b=$(nm "$tmp/l/build-1/bench/framebench-run" | awk '$3 == "ctz_alloc" {print $1}')
[ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ] || fail "ctz_alloc at $a and $b: the layouts do not differ"
echo "ok: two layouts, ctz_alloc at 0x$a and 0x$b"

# Four strategies of four kinds (a flat scan, a tree, a buddy, a lock-free
# one): placement moves all code alike, and callgrind over every strategy
# was a minute of the test suite.
"$src/tools/measure" "$tmp/l/build-0" "$tmp/l/build-1" --out "$tmp/m" --no-wallclock \
  --patterns fill,churn,worst --strategies ctz,tree,buddy,lockfree 2>"$tmp/measure.log" ||
  { tail -5 "$tmp/measure.log"; fail "measure"; }
python3 - "$tmp/m/base.json" "$tmp/m/head.json" <<'PY' || fail "instruction counts differ between layouts"
import json, sys
a, b = (json.load(open(p))["counts"] for p in sys.argv[1:])
assert a and set(a) == set(b), (sorted(a), sorted(b))
diff = [n for n in a if a[n]["instructions"] != b[n]["instructions"]]
assert not diff, [(n, a[n]["instructions"], b[n]["instructions"]) for n in diff]
print(f"ok: {len(a)} cells, instruction counts identical in both layouts")
PY
