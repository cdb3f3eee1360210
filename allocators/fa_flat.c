/*
 * fa_flat.c: the operations `linear`, `ctz` and `nextfit` share over one flat
 * bitmap (see fa_flat.h).  Invariants, verified by fa_flat_check:
 *  - nfree equals the number of 0 bits among the first nframes;
 *  - padding bits past nframes are 1;
 *  - hint < nwords.
 * Every mutation first proves its whole range valid, so a refused call
 * changes nothing.
 */
#include "fa_flat.h"

static uint64_t header_bytes(void) { return fa_round_state(sizeof(struct fa_flat)); }

size_t fa_flat_state_size(uint64_t nframes)
{
    if (nframes == 0 || nframes > FA_MAX_FRAMES)
        return 0;
    return (size_t)(header_bytes() + fa_div_round_up(nframes, 64) * 8);
}

fa_err fa_flat_init(void *state, size_t bytes, uint64_t base, uint64_t nframes)
{
    fa_err e = fa_check_init(state, bytes, fa_flat_state_size(nframes), base, nframes);
    if (e != FA_OK)
        return e;
    struct fa_flat *f = state;
    f->pfn0 = base >> FA_FRAME_SHIFT;
    f->nframes = nframes;
    f->nwords = fa_div_round_up(nframes, 64);
    f->nfree = nframes;
    f->hint = 0;
    f->variant = 0;
    for (uint64_t i = 0; i < f->nwords; i++)
        fa_flat_words(f)[i] = 0;
    fa_bm_fill(fa_flat_words(f), nframes, f->nwords * 64, 1);
    return FA_OK;
}

/* The word scan in the shape fa_bm_find_run takes; ctx is the fa_flat. */
static uint64_t find_free_in_words(const void *f, uint64_t i, uint64_t to)
{
    return fa_bm_find_clear(fa_flat_words((const struct fa_flat *)f), i, to);
}

fa_err fa_flat_take_run(struct fa_flat *f, uint64_t from, uint64_t to, uint64_t count, unsigned align_order,
                        uint64_t *pa)
{
    return fa_flat_take_run_with(f, from, to, count, align_order, find_free_in_words, pa);
}

fa_err fa_flat_take_run_with(struct fa_flat *f, uint64_t from, uint64_t to, uint64_t count, unsigned align_order,
                             uint64_t (*find_free)(const void *f, uint64_t i, uint64_t to), uint64_t *pa)
{
    if (count == 0 || align_order > FA_MAX_ALIGN_ORDER)
        return FA_EINVAL;
    uint64_t s = fa_bm_find_run(fa_flat_words(f), from, to, count, f->pfn0, align_order, find_free, f);
    if (s >= to)
        return FA_ENOMEM;
    fa_bm_fill(fa_flat_words(f), s, s + count, 1);
    f->nfree -= count;
    *pa = (f->pfn0 + s) << FA_FRAME_SHIFT;
    return FA_OK;
}

fa_err fa_flat_free_run(void *state, uint64_t pa, uint64_t count)
{
    struct fa_flat *f = state;
    uint64_t i;
    fa_err e = fa_locate(f->pfn0, f->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    if (fa_bm_find_clear(fa_flat_words(f), i, i + count) != i + count)
        return FA_EFREE;
    fa_bm_fill(fa_flat_words(f), i, i + count, 0);
    f->nfree += count;
    return FA_OK;
}

fa_err fa_flat_free(void *state, uint64_t pa) { return fa_flat_free_run(state, pa, 1); }

fa_err fa_flat_reserve(void *state, uint64_t pa, uint64_t count)
{
    struct fa_flat *f = state;
    uint64_t i;
    fa_err e = fa_locate(f->pfn0, f->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    if (fa_bm_find_set(fa_flat_words(f), i, i + count) != i + count)
        return FA_EBUSY;
    fa_bm_fill(fa_flat_words(f), i, i + count, 1);
    f->nfree -= count;
    return FA_OK;
}

uint64_t fa_flat_free_frames(const void *state) { return ((const struct fa_flat *)state)->nfree; }

fa_err fa_flat_check(const void *state)
{
    const struct fa_flat *f = state;
    if (!fa_bm_map_ok(fa_flat_words(f), f->nwords, f->nframes, f->nfree) || f->hint >= f->nwords)
        return FA_EINVAL;
    return FA_OK;
}

fa_err fa_flat_alloc_run(void *state, uint64_t count, unsigned align_order, uint64_t *pa)
{
    struct fa_flat *f = state;
    return fa_flat_take_run(f, 0, f->nframes, count, align_order, pa);
}
