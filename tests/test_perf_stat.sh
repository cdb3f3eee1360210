#!/bin/sh
# tools/perf-stat on framebench-run arguments that print no result line
# (--help, a bad option): exit 2 with a message, never a traceback.
# Without perf (or where perf cannot run here): exit 2 naming that.
# Usage: test_perf_stat.sh SOURCE_DIR BUILD_DIR
set -u
src=$1 build=$2
fail() { echo "FAIL: $*"; exit 1; }
for args in "--help" "--bogus"; do
  "$src/tools/perf-stat" --build "$build" -- $args >/dev/null 2>/tmp/perf-stat-err.$$
  code=$?
  err=$(cat /tmp/perf-stat-err.$$); rm -f /tmp/perf-stat-err.$$
  [ "$code" = 2 ] || fail "-- $args: exit $code, want 2: $err"
  case $err in *Traceback*) fail "-- $args: a traceback: $err" ;; esac
  case $err in
    *"printed no result line"*|*"perf is not installed"*|*"perf stat failed"*) echo "ok: -- $args: $err" ;;
    *) fail "-- $args: no message saying why: $err" ;;
  esac
done
# --out that cannot take the line (a directory, nowhere): refused before the run, no traceback.
for out in /tmp /nonexistent/x.json; do
  "$src/tools/perf-stat" --build "$build" --out "$out" -- --strategy ctz --pattern fill >/dev/null 2>/tmp/perf-stat-err.$$
  code=$?
  err=$(cat /tmp/perf-stat-err.$$); rm -f /tmp/perf-stat-err.$$
  [ "$code" = 2 ] || fail "--out $out: exit $code, want 2: $err"
  case $err in *Traceback*) fail "--out $out: a traceback: $err" ;; *"--out"*) echo "ok: --out $out refused" ;;
    *) fail "--out $out: no message: $err" ;; esac
done
