#!/bin/sh
# The style checks of the test command: every tracked C and C++ file as
# .clang-format formats it (clang-format --dry-run -Werror; fix with
# clang-format -i FILE), and every tracked Python file, .py or a script with
# a python shebang, clean under pyflakes.
set -eu
case ${1:-} in
  -h|--help) echo "usage: scripts/lint.sh"; sed -n '2,5s/^# \{0,1\}//p' "$0"; exit 0 ;;
  "") ;;
  *) echo "lint.sh: takes no arguments; try --help" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
mkdir -p build
git ls-files -z '*.c' '*.h' '*.cc' | xargs -0 clang-format --dry-run -Werror
git ls-files | while read -r f; do
  case $f in
    *.py) echo "$f" ;;
    *) [ -f "$f" ] && head -c 64 "$f" | head -1 | grep -q '^#!.*python' && echo "$f" ;;
  esac
done > build/lint-python.txt || true
xargs pyflakes3 < build/lint-python.txt
echo "lint: $(git ls-files '*.c' '*.h' '*.cc' | wc -l) C/C++ files formatted, $(wc -l < build/lint-python.txt) Python files clean"
