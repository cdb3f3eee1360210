/*
 * nextfit: `ctz`, but each search starts at the word where the previous one
 * ended (the hint) and wraps round at the end of the map.  Frees do not move
 * the hint, so after a fill the search walks forward over words it has not
 * just filled instead of rescanning the full prefix.  Frames do not come
 * lowest first.
 *
 * Invariant: hint < nwords.  The hint is only a starting point: a free frame
 * below it is found after the wrap.  A failed search leaves it unchanged.
 * Cost: O(1) typical, O(n / 64) when nearly full; 1 bit per frame + 8 bytes.
 */
#include "fa_flat.h"
#include "strategies.h"

static int take_in_word(struct fa_flat *f, uint64_t w, uint64_t *pa)
{
    uint64_t free_bits = ~fa_flat_words(f)[w];
    if (free_bits == 0)
        return 0;
    f->hint = w;
    *pa = fa_flat_take(f, w * 64 + fa_ctz(free_bits));
    return 1;
}

static fa_err nextfit_alloc(void *state, uint64_t *pa)
{
    struct fa_flat *f = state;
    for (uint64_t w = f->hint; w < f->nwords; w++)
        if (take_in_word(f, w, pa))
            return FA_OK;
    for (uint64_t w = 0; w < f->hint; w++)
        if (take_in_word(f, w, pa))
            return FA_OK;
    return FA_ENOMEM;
}

static fa_err nextfit_alloc_run(void *state, uint64_t count, unsigned align_order, uint64_t *pa)
{
    struct fa_flat *f = state;
    fa_err e = fa_flat_take_run(f, f->hint * 64, f->nframes, count, align_order, pa);
    if (e == FA_ENOMEM && f->hint != 0)
        e = fa_flat_take_run(f, 0, f->nframes, count, align_order, pa);
    if (e == FA_OK)
        f->hint = (((*pa >> FA_FRAME_SHIFT) - f->pfn0) + count - 1) / 64;
    return e;
}

const struct fa_ops fa_nextfit_ops = {
    .name = "nextfit",
    .summary = "ctz from a hint where the last search ended, wrapping; O(1) typical, 1 bit/frame + hint",
    .state_size = fa_flat_state_size,
    .init = fa_flat_init,
    .alloc = nextfit_alloc,
    .free = fa_flat_free,
    .alloc_run = nextfit_alloc_run,
    .free_run = fa_flat_free_run,
    .reserve = fa_flat_reserve,
    .free_frames = fa_flat_free_frames,
    .check = fa_flat_check,
};
