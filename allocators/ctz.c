/*
 * ctz: scan words from the start and find the bit in the first word that is
 * not full with one count-trailing-zeros of its inverse.  Lowest free frame
 * first, like `linear`, but one instruction per word instead of up to 64
 * tests.  Cost: O(n / 64) per alloc; 1 bit per frame.
 */
#include "fa_flat.h"
#include "strategies.h"

static fa_err ctz_alloc(void *state, uint64_t *pa)
{
    struct fa_flat *f = state;
#ifdef FRAMEBENCH_TEST_SLOW_CTZ
    /* Test builds only: extra work per alloc, so the tests can prove that
     * tools/compare catches a regression.  Never set in a real build.  The
     * count is read, not folded in: a build with 0 has the same code as one
     * with 20 (tools/calibrate's A/B base and head differ in it alone). */
    static volatile unsigned slow_spins = FRAMEBENCH_TEST_SLOW_CTZ;
    for (volatile unsigned spin = 0; spin < slow_spins; spin++)
        ;
#endif
    for (uint64_t w = 0; w < f->nwords; w++) {
        uint64_t free_bits = ~fa_flat_words(f)[w];
        if (free_bits != 0) {
            *pa = fa_flat_take(f, w * 64 + fa_ctz(free_bits));
            return FA_OK;
        }
    }
    return FA_ENOMEM;
}

const struct fa_ops fa_ctz_ops = {
    .name = "ctz",
    .summary = "scan words from 0, count-trailing-zeros finds the bit; O(n/64), 1 bit/frame",
    .state_size = fa_flat_state_size,
    .init = fa_flat_init,
    .alloc = ctz_alloc,
    .free = fa_flat_free,
    .alloc_run = fa_flat_alloc_run,
    .free_run = fa_flat_free_run,
    .reserve = fa_flat_reserve,
    .free_frames = fa_flat_free_frames,
    .check = fa_flat_check,
};
