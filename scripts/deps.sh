#!/bin/sh
# Installs the Debian packages framebench needs that are missing, and nothing
# else.  Sourced by run.sh and test.sh; safe to run on its own.
set -eu

case ${1:-} in
  -h|--help)
    echo "usage: sh scripts/deps.sh"
    echo "Installs the Debian packages framebench needs that are missing (apt-get, with sudo"
    echo "when not root), and nothing else; run.sh and test.sh call it first."
    exit 0 ;;
  "") ;;
  *) echo "deps.sh: unexpected argument '$1' (try --help)" >&2; exit 2 ;;
esac

FRAMEBENCH_PACKAGES="cmake ninja-build gcc g++ clang libclang-rt-dev binutils python3
libbenchmark-dev libbenchmark-tools zlib1g-dev gnuplot-nox hyperfine valgrind linux-perf python3-scipy
clang-format python3-pyflakes"

missing=
for p in $FRAMEBENCH_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done

if [ -n "$missing" ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "framebench: missing packages:$missing (and no apt-get to install them: install them by hand)" >&2
    exit 1
  fi
  sudo=
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "framebench: need root or sudo to install:$missing" >&2; exit 1; }
    sudo=sudo
  fi
  echo "framebench: installing$missing" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2
fi
