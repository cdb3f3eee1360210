/*
 * fa_flat.h: the flat bitmap that `linear`, `ctz` and `nextfit` share.
 *
 * They differ only in how `alloc` searches; everything else (init, free,
 * runs, reserve, check) is the same one-bit-per-frame map, kept in fa_flat.c.
 * A kernel that takes one of those strategies takes this header, fa_flat.c,
 * fa_bitmap.h and frame_alloc.h with it.
 *
 * Layout of the state buffer: struct fa_flat, padded to a cache line, then
 * nwords words of bitmap.  No pointer is stored in the state.  Bits past nframes in the last word are set (used)
 * so that no scan ever returns them.
 */
#ifndef FA_FLAT_H
#define FA_FLAT_H

#include "fa_bitmap.h"

struct fa_flat {
    uint64_t pfn0;    /* physical frame number of bit 0 */
    uint64_t nframes; /* bits in use; the rest of the last word is padding */
    uint64_t nwords;
    uint64_t nfree;   /* frames whose bit is 0 */
    uint64_t hint;    /* nextfit: word where the last search ended; else 0 */
    uint64_t variant; /* simd: the scan path it chose at init; else 0 */
};

/* The bitmap, right after the header.  Found from the state's own address,
 * never stored: a state copied or moved with memcpy stays valid. */
static inline uint64_t *fa_flat_words(const struct fa_flat *f)
{
    return (uint64_t *)((char *)f + fa_round_state(sizeof(struct fa_flat)));
}

size_t fa_flat_state_size(uint64_t nframes);
fa_err fa_flat_init(void *state, size_t bytes, uint64_t base, uint64_t nframes);
fa_err fa_flat_free(void *state, uint64_t pa);
fa_err fa_flat_free_run(void *state, uint64_t pa, uint64_t count);
fa_err fa_flat_reserve(void *state, uint64_t pa, uint64_t count);
uint64_t fa_flat_free_frames(const void *state);
fa_err fa_flat_check(const void *state);
/* alloc_run for a strategy that searches from the start: the lowest aligned
 * free run in the whole map (linear, ctz). */
fa_err fa_flat_alloc_run(void *state, uint64_t count, unsigned align_order, uint64_t *pa);

/* Lowest aligned free run starting in [from, to); FA_ENOMEM if none.  On
 * success the run is taken and *pa set; on failure nothing changes. */
fa_err fa_flat_take_run(struct fa_flat *f, uint64_t from, uint64_t to, uint64_t count, unsigned align_order,
                        uint64_t *pa);

/* fa_flat_take_run with the free-frame search fa_bm_find_run steps with:
 * find_free(f, i, to) is the first free frame in [i, to), or `to`. */
fa_err fa_flat_take_run_with(struct fa_flat *f, uint64_t from, uint64_t to, uint64_t count, unsigned align_order,
                             uint64_t (*find_free)(const void *f, uint64_t i, uint64_t to), uint64_t *pa);

/* Marks frame `i` used and returns its address; the bit must be 0. */
static inline uint64_t fa_flat_take(struct fa_flat *f, uint64_t i)
{
    fa_flat_words(f)[i / 64] |= UINT64_C(1) << (i % 64);
    f->nfree--;
    return (f->pfn0 + i) << FA_FRAME_SHIFT;
}

#endif /* FA_FLAT_H */
