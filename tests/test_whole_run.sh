#!/bin/sh
# tools/whole-run: a bad --runs (hyperfine hangs on 0) or an unknown option
# is refused before anything runs (exit 2, the value named).
# Usage: test_whole_run.sh SOURCE_DIR BUILD_DIR
set -u
src=$1 build=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
for args in "--runs 0" "--runs x" "--bogus"; do
  out=$(cd "$tmp" && timeout 20 "$src/tools/whole-run" --build "$build" $args --pattern fill 2>&1)
  code=$?
  [ "$code" = 2 ] || fail "$args: exit $code, want 2: $out"
  case $out in *"${args#--runs }"*|*"$args"*) ;; *) fail "$args: the message does not name it: $out" ;; esac
done
echo "ok: bad --runs and unknown options refused"
