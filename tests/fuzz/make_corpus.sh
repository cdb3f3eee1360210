#!/bin/sh
# Writes the seed corpus (tests/fuzz/corpus/) from the byte layout in
# fuzz_input.h: for each strategy a fill-and-free on a small region at an odd
# base, aligned runs and reserves across the summary boundaries of a
# 12365-frame region at 1 MiB, and every kind of bad address.  libFuzzer
# mutates from these; fuzz_replay reruns them in ctest.
# Usage: make_corpus.sh [DIR]   (rerun after changing the layout)
set -eu
dir=${1:-$(dirname "$0")/corpus}
mkdir -p "$dir"

# seed NAME BYTE...: the bytes, given in hex, into DIR/NAME.
seed() {
  out=$1; shift
  for b in "$@"; do printf "\\$(printf %03o "0x$b")"; done > "$dir/$out"
}

# Opcodes: 00 alloc, 01 alloc xN, 02 alloc_run, 03 free used, 04 free_run
# used, 05 free_run any, 06 reserve free, 07 reserve any, 08 double free,
# 09 bad address.
# fa_strategies in registry order: a seed's first byte is its index there.
names="linear ctz nextfit summary2 tree simd freelist buddy"
s=0
for strategy in $names; do
  st=$(printf %02x $s)
  # 65 frames at an odd frame: fill past full, free some, refuse bad frees.
  seed "$strategy-fill" $st 40 02  01 3f 01 3f 00  03 00 00 03 00 07 04 00 10 20  08 00 05 03 00 11  00 00 01 10
  # 12365 frames at 1 MiB: runs of 8 and 512, reserves and frees across words.
  seed "$strategy-runs" $st 80 30 4c 01  02 07 03  02 ff 09 02 00  02 0c 0b  07 10 00 20  06 20 00 3f \
    05 00 00 40  04 00 00 08  02 e0 0d 00 00  02 05 0e  02 05 0f  02 ff 00 30 4e  01 3f 03 0f ff
  # 200 frames at 0: every bad address kind on free, free_run and reserve.
  seed "$strategy-bad" $st c7 00 00  01 10  09 00 00 00 05 00 07  09 01 01  09 02 02  09 00 03 04 \
    09 01 04 00 02 09  09 02 05 03  07 00 c6 02  05 00 c6 02  07 00 00 00
  s=$((s + 1))
done
echo "$(ls "$dir" | wc -l) seeds in $dir"
