#!/bin/sh
# Proves the allocators are freestanding: each source compiles with
# -std=c11 -ffreestanding -fno-builtin -nostdlib, at -O0 and -O2, with the
# given compiler (and clang too when it is installed), and the objects
# reference no symbol outside the allocator files except memset and memcpy,
# which a compiler may emit for clearing loops and every kernel provides.
# Usage: freestanding.sh CC [-IDIR]... SOURCE...
set -eu
cc=$1; shift
incs=
while [ $# -gt 0 ]; do case $1 in -I*) incs="$incs $1"; shift ;; *) break ;; esac; done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
compilers=$cc
command -v clang >/dev/null 2>&1 && [ "$(basename "$cc")" != clang ] && compilers="$compilers clang"
status=0
for c in $compilers; do
  for opt in -O0 -O2; do
    objs=
    for src in "$@"; do
      obj=$tmp/$(basename "$src" .c)$opt.o
      "$c" -std=c11 -ffreestanding -fno-builtin -nostdlib -Wall -Wextra -Werror $opt $incs -c "$src" -o "$obj"
      objs="$objs $obj"
    done
    # Undefined symbols of the objects linked together: only memset/memcpy allowed.
    ld -r -o "$tmp/all.o" $objs
    bad=$(nm -u "$tmp/all.o" | awk '{print $NF}' | grep -vxE 'memset|memcpy' || true)
    if [ -n "$bad" ]; then
      echo "FAIL: $c $opt: the allocators reference outside symbols:" $bad
      status=1
    else
      echo "ok: $c $opt: $# sources, no outside symbols"
    fi
  done
done
exit $status
