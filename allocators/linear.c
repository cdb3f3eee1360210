/*
 * linear: the seed allocator, ported faithfully.  It is the baseline every
 * other strategy is measured against, so its search is deliberately left as
 * the seed wrote it: words from the start, skip a word only when it is
 * entirely used, then test that word's bits one by one.  Lowest free frame
 * first.  Cost: O(n / 64 + 64) per alloc; 1 bit per frame.
 *
 * Unlike the seed it checks its input (fa_flat.c): a bad or double free is
 * refused instead of writing out of bounds.  Runs, reserve and check come
 * from the shared flat bitmap.
 */
#include "fa_flat.h"
#include "strategies.h"

static fa_err linear_alloc(void *state, uint64_t *pa)
{
    struct fa_flat *f = state;
    for (uint64_t w = 0; w < f->nwords; w++) {
        if (fa_flat_words(f)[w] == FA_ALL_ONES)
            continue;
        for (unsigned bit = 0; bit < 64; bit++) {
            if ((fa_flat_words(f)[w] & (UINT64_C(1) << bit)) == 0) {
                *pa = fa_flat_take(f, w * 64 + bit);
                return FA_OK;
            }
        }
    }
    return FA_ENOMEM;
}

const struct fa_ops fa_linear_ops = {
    .name = "linear",
    .summary = "the seed: scan words from 0, skip full ones, then bit by bit; O(n/64 + 64), 1 bit/frame",
    .state_size = fa_flat_state_size,
    .init = fa_flat_init,
    .alloc = linear_alloc,
    .free = fa_flat_free,
    .alloc_run = fa_flat_alloc_run,
    .free_run = fa_flat_free_run,
    .reserve = fa_flat_reserve,
    .free_frames = fa_flat_free_frames,
    .check = fa_flat_check,
};
