#!/bin/sh
# framebench's test command.  Installs what is missing, then:
#   0. the style: clang-format and pyflakes (scripts/lint.sh);
#   1. gcc, Release: the whole ctest suite (with the LLFree peer where
#      scripts/peers.sh finds a checkout of it);
#   2. a bounded libFuzzer run of every strategy against the model
#      (FRAMEBENCH_FUZZ_SECONDS, default 60; 0 skips it), crashes filed in
#      tests/fuzz/regressions/;
#   3. clang, Debug, AddressSanitizer + UndefinedBehaviorSanitizer: the whole
#      ctest suite again;
#   4. clang, ThreadSanitizer: the threaded tests (ctest -L threads).
set -eu
case ${1:-} in
  -h|--help) echo "usage: ./test.sh"; sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
  "") ;;
  *) echo "test.sh: takes no arguments (FRAMEBENCH_FUZZ_SECONDS sets the fuzzing time); try --help" >&2; exit 2 ;;
esac
cd "$(dirname "$0")"
sh scripts/deps.sh
. scripts/peers.sh

echo "== style"
mkdir -p build
sh scripts/lint.sh

echo "== gcc, Release"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ \
  "$peers_cmake" >/dev/null
cmake --build build/release
ctest --test-dir build/release --output-on-failure -j2

fuzz_seconds=${FRAMEBENCH_FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" -gt 0 ]; then
  echo "== libFuzzer, $fuzz_seconds s"
  tests/fuzz/fuzz.sh "$fuzz_seconds" > build/fuzz.log 2>&1 || { tail -40 build/fuzz.log; exit 1; }
  tail -1 build/fuzz.log
fi

echo "== clang, Debug, AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build/sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFRAMEBENCH_SANITIZE=ON \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ "$peers_cmake" >/dev/null
cmake --build build/sanitize
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/sanitize --output-on-failure -j2

echo "== clang, ThreadSanitizer: the threaded tests"
cmake -S . -B build/tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFRAMEBENCH_TSAN=ON -DFRAMEBENCH_BENCH=OFF \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build build/tsan --target test_mt_stress test_threaded_cells
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build/tsan --output-on-failure -L threads
