#!/bin/sh
# Your own allocator under libFuzzer: the example plug-in and the broken one
# (it accepts a double free) compiled in as source plug-ins, each fuzzed
# alone.  The broken one must be caught, its crash filed in the fuzz build's
# crashes/ (not among framebench's regressions) and replayable; the example
# must come through clean.
# Usage: test_plugin_fuzz.sh SOURCE_DIR BROKEN.c
set -u
src=$1
broken=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
fail() { printf 'FAIL: %s\n' "$*"; status=1; }
export FUZZ_BUILD_DIR="$work/build"
export FRAMEBENCH_EXTRA_STRATEGIES="$src/examples/c-plugin/hintscan.c;$broken"
before=$(ls "$src/tests/fuzz/regressions" | wc -l)

FUZZ_STRATEGY=broken sh "$src/tests/fuzz/fuzz.sh" 20 >"$work/broken.log" 2>&1
rc=$?
crash=$(ls "$work/build/crashes" 2>/dev/null | head -1)
if [ "$rc" -ne 1 ] || [ -z "$crash" ]; then
    fail "broken: exit $rc, crashes: '$crash'"; tail -20 "$work/broken.log"
elif ! grep -q "gave 'success', want 'frame is not allocated'" "$work/broken.log"; then
    fail "broken: the finding does not name the double free"; tail -20 "$work/broken.log"
else
    printf 'ok: broken caught: %s\n' "$(grep -m1 "want 'frame is not allocated'" "$work/broken.log")"
fi
if [ -n "$crash" ] && FUZZ_STRATEGY=broken "$work/build/tests/fuzz/fuzz_replay" "$work/build/crashes/$crash" \
        >/dev/null 2>&1; then
    fail "the saved crash does not replay as a failure"
fi
[ "$(ls "$src/tests/fuzz/regressions" | wc -l)" -eq "$before" ] ||
    fail "a plug-in's crash went into framebench's own regressions"

FUZZ_STRATEGY=hintscan sh "$src/tests/fuzz/fuzz.sh" 5 >"$work/hintscan.log" 2>&1 &&
    grep -q "no failure in 5 s of hintscan" "$work/hintscan.log" &&
    echo "ok: hintscan clean for 5 s" || { fail "hintscan"; tail -20 "$work/hintscan.log"; }

FUZZ_STRATEGY=nosuch "$work/build/tests/fuzz/fuzz_replay" "$src/tests/fuzz/corpus" >"$work/nosuch.log" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q "FUZZ_STRATEGY=nosuch: no such strategy" "$work/nosuch.log" &&
    echo "ok: an unknown FUZZ_STRATEGY is refused by name" || fail "nosuch: exit $rc: $(cat "$work/nosuch.log")"
exit "$status"
