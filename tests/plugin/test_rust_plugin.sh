#!/bin/sh
# The Rust example (examples/rust-plugin, a cdylib against the C ABI, no
# crates) builds with cargo, passes framebench-check and runs in a tiny
# matrix.  Without cargo it is skipped (exit 77), saying so.
# Usage: test_rust_plugin.sh SOURCE_DIR FRAMEBENCH FRAMEBENCH_CHECK
set -eu
src=$1 fb=$2 check=$3
if ! command -v cargo >/dev/null 2>&1; then
  echo "skipped: cargo is not installed (Debian packages cargo and rustc)"
  exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# A copy: cargo writes Cargo.lock beside Cargo.toml.
cp -r "$src/examples/rust-plugin" "$tmp/crate"
cargo build --release --offline --quiet --manifest-path "$tmp/crate/Cargo.toml" --target-dir "$tmp/target" \
  >"$tmp/log" 2>&1 || { cat "$tmp/log"; fail "cargo build"; }
lib=$tmp/target/release/librustscan.so
"$check" --load "$lib" --strategy rustscan --steps 2000 >"$tmp/check" 2>&1 || { tail -20 "$tmp/check"; fail "framebench-check"; }
grep -q "rustscan     contract ok, differential ok, relocation ok" "$tmp/check" || fail "$(cat "$tmp/check")"
"$fb" --load "$lib" --strategies rustscan,ctz --matrix tiny --patterns fill,churn --quiet --out "$tmp/r.json" \
  2>"$tmp/err" || fail "framebench: $(tail -5 "$tmp/err")"
grep -q '"churn/rustscan/frames:16384/occupancy:900"' "$tmp/r.json" || fail "no rustscan cell in the results"
echo "ok: the Rust plug-in builds, passes framebench-check and runs"
