#!/bin/sh
# A source plug-in: two of the user's files compiled into framebench with
# -DFRAMEBENCH_EXTRA_STRATEGIES, no framebench file edited.  Both are
# listed, run, named "source plug-in" with their file in the results, and
# their functions are in libframe_alloc.a (so tools/measure counts them).
# Usage: test_source_plugin.sh SOURCE_DIR
set -eu
src=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
for n in a b; do
  sed "s/\"hintscan\"/\"src$n\"/" "$src/examples/c-plugin/hintscan.c" >"$tmp/$n.c"
done
cmake -S "$src" -B "$tmp/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DFRAMEBENCH_EXTRA_STRATEGIES="$tmp/a.c;$tmp/b.c" >"$tmp/log" 2>&1 || { cat "$tmp/log"; fail "configure"; }
cmake --build "$tmp/build" --target framebench >>"$tmp/log" 2>&1 || { tail -30 "$tmp/log"; fail "build"; }
fb=$tmp/build/bench/framebench
"$fb" --help | grep -q "^  srca .* -- from $tmp/a.c" || fail "srca not listed: $("$fb" --help | tail -12)"
"$fb" --help | grep -q "^  srcb " || fail "srcb not listed"
"$fb" --matrix tiny --strategies srca,srcb,ctz --patterns fill,churn --quiet --out "$tmp/r.json" 2>"$tmp/err" ||
  fail "run: $(tail -5 "$tmp/err")"
python3 - "$tmp/r.json" "$tmp" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
origin = {s["name"]: (s["origin"], s.get("source")) for s in d["strategies"]}
assert origin["srca"] == ("source plug-in", sys.argv[2] + "/a.c"), origin
assert origin["srcb"][0] == "source plug-in" and origin["ctz"] == ("built-in", None), origin
assert any(r["strategy"] == "srcb" for r in d["results"]), "srcb did not run"
PY
nm "$tmp/build/libframe_alloc.a" | grep -q " t hs_alloc" || fail "the plug-in's functions are not in libframe_alloc.a"
# Compiled in, a plug-in can be fuzzed: framebench-check --fuzz runs the
# instrumented libFuzzer build (or says why it cannot).
cmake --build "$tmp/build" --target framebench-check >>"$tmp/log" 2>&1 || { tail -30 "$tmp/log"; fail "build check"; }
"$tmp/build/bench/framebench-check" --strategy srca --steps 200 --fuzz 3 >"$tmp/fuzz" 2>&1 ||
  fail "check --fuzz: $(tail -5 "$tmp/fuzz")"
grep -q "^srca         fuzz ok (3 s)" "$tmp/fuzz" || grep -q "^srca         fuzz not run: no libFuzzer build" "$tmp/fuzz" ||
  fail "check --fuzz: $(cat "$tmp/fuzz")"
echo "ok: two source plug-ins built in, listed, run, named in the results; $(grep -o 'srca *fuzz [a-z ]*' "$tmp/fuzz")"
