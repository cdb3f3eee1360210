/*
 * fuzz_target.c: the libFuzzer entry point.  A disagreement between strategy
 * and model aborts, so libFuzzer saves the input as a crash; tests/fuzz/fuzz.sh
 * then files it under tests/fuzz/regressions/ for fuzz_replay to rerun.
 */
#include <stdlib.h>

#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_input_run(data, size))
        abort();
    return 0;
}
