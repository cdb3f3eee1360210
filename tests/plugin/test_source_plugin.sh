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
echo "ok: two source plug-ins built in, listed, run and named in the results"
