/*
 * fa_bitmap.h: the bit tricks every bitmap strategy shares, as short inline
 * helpers (one scan generates the "find set" and "find clear" family, as
 * Linux's lib/find_bit.c does), so no strategy carries its own copy of a loop.
 * The names say what a bit is, not what it means: in a frame map a set bit
 * is a used frame, in a summary a set bit may be a word with free frames.
 *
 * Representation: an array of 64-bit words; bit i of the map is bit (i % 64)
 * of word i / 64.  Ranges are half open, [from, to).
 * Freestanding: only compiler builtins that lower to single instructions.
 */
#ifndef FA_BITMAP_H
#define FA_BITMAP_H

#include <stdint.h>

#include "frame_alloc.h"

#define FA_WORD_BITS 64u
#define FA_ALL_ONES (~UINT64_C(0))

static inline uint64_t fa_div_round_up(uint64_t x, uint64_t d) { return x / d + (x % d != 0); }

/* Index of the lowest set bit; x != 0. */
static inline unsigned fa_ctz(uint64_t x) { return (unsigned)__builtin_ctzll(x); }

/* Set bits; a SWAR count so no libgcc helper is needed without POPCNT. */
static inline unsigned fa_popcount(uint64_t x)
{
    x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
    return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* Bits [lo, hi) of a word set; 0 <= lo < hi <= 64. */
static inline uint64_t fa_word_mask(unsigned lo, unsigned hi)
{
    return (FA_ALL_ONES >> (FA_WORD_BITS - (hi - lo))) << lo;
}

static inline int fa_bm_test(const uint64_t *w, uint64_t i) { return (int)((w[i / 64] >> (i % 64)) & 1u); }

/* First i in [from, to) whose bit, xor'ed with `flip` (0 or all ones), is 1;
 * `to` if there is none. */
static inline uint64_t fa_bm_find(const uint64_t *w, uint64_t from, uint64_t to, uint64_t flip)
{
    if (from >= to)
        return to;
    uint64_t i = from / 64, last = (to - 1) / 64;
    uint64_t x = (w[i] ^ flip) & (FA_ALL_ONES << (from % 64));
    while (x == 0) {
        if (++i > last)
            return to;
        x = w[i] ^ flip;
    }
    uint64_t found = i * 64 + fa_ctz(x);
    return found < to ? found : to;
}

static inline uint64_t fa_bm_find_set(const uint64_t *w, uint64_t from, uint64_t to)
{
    return fa_bm_find(w, from, to, 0);
}

static inline uint64_t fa_bm_find_clear(const uint64_t *w, uint64_t from, uint64_t to)
{
    return fa_bm_find(w, from, to, FA_ALL_ONES);
}

/* Sets (set != 0) or clears bits [from, to). */
static inline void fa_bm_fill(uint64_t *w, uint64_t from, uint64_t to, int set)
{
    while (from < to) {
        unsigned lo = (unsigned)(from % 64);
        unsigned hi = (to - from >= 64 - lo) ? 64 : lo + (unsigned)(to - from);
        uint64_t m = fa_word_mask(lo, hi);
        if (set)
            w[from / 64] |= m;
        else
            w[from / 64] &= ~m;
        from += hi - lo;
    }
}

/* Set bits in [from, to). */
static inline uint64_t fa_bm_count_set(const uint64_t *w, uint64_t from, uint64_t to)
{
    uint64_t n = 0;
    while (from < to) {
        unsigned lo = (unsigned)(from % 64);
        unsigned hi = (to - from >= 64 - lo) ? 64 : lo + (unsigned)(to - from);
        n += fa_popcount(w[from / 64] & fa_word_mask(lo, hi));
        from += hi - lo;
    }
    return n;
}

/* Smallest i >= from with (pfn0 + i) a multiple of 2^order. */
static inline uint64_t fa_align_index(uint64_t from, uint64_t pfn0, unsigned order)
{
    uint64_t mask = (UINT64_C(1) << order) - 1;
    return ((pfn0 + from + mask) & ~mask) - pfn0;
}

/* In a frame map (set = used): the lowest start s in [from, to - count]
 * with (pfn0 + s) a multiple of 2^order and bits [s, s + count) all clear;
 * `to` if there is none.
 * `find_free(ctx, i, to)` returns the first free frame in [i, to) (or `to`):
 * a flat strategy passes a word scan, a summarised one a faster search.
 * Each miss restarts past the used bit it met, so the cost is one free-bit
 * search plus O(count / 64) words per candidate. */
static inline uint64_t fa_bm_find_run(const uint64_t *w, uint64_t from, uint64_t to, uint64_t count, uint64_t pfn0,
                                      unsigned order, uint64_t (*find_free)(const void *ctx, uint64_t i, uint64_t to),
                                      const void *ctx)
{
    uint64_t s = from;
    for (;;) {
        s = find_free(ctx, s, to);
        if (s >= to)
            return to;
        s = fa_align_index(s, pfn0, order);
        if (s >= to || to - s < count)
            return to;
        uint64_t used = fa_bm_find_set(w, s, s + count);
        if (used == s + count)
            return s;
        s = used + 1;
    }
}

/* First clear bit in [from, to) of a frame map, or `to`: the rest of
 * from's word, then `next_word(ctx, w)`, a strategy's faster search for the
 * first word at or after w with a clear bit (any value past the map if
 * none: its summary, its tree, its vector scan).  fa_bm_find_run steps
 * with it; inlined, the call through next_word is a direct one. */
static inline uint64_t fa_bm_find_clear_with(const uint64_t *words, uint64_t from, uint64_t to,
                                             uint64_t (*next_word)(const void *ctx, uint64_t w), const void *ctx)
{
    if (from >= to)
        return to;
    uint64_t w = from / 64;
    uint64_t x = ~words[w] & (FA_ALL_ONES << (from % 64));
    if (x == 0) {
        w = next_word(ctx, w + 1);
        if (w > (to - 1) / 64)
            return to;
        x = ~words[w];
    }
    uint64_t i = w * 64 + fa_ctz(x);
    return i < to ? i : to;
}

/* check()'s test of a frame map (set = used), shared by every bitmap
 * strategy: nwords words for nframes frames, the padding bits past nframes
 * set (so no scan returns them), and exactly nfree frames clear. */
static inline int fa_bm_map_ok(const uint64_t *words, uint64_t nwords, uint64_t nframes, uint64_t nfree)
{
    return nwords == fa_div_round_up(nframes, 64) &&
           fa_bm_count_set(words, nframes, nwords * 64) == nwords * 64 - nframes &&
           nframes - fa_bm_count_set(words, 0, nframes) == nfree;
}

/* Checks shared by every strategy: count and order in range, `pa` a frame
 * address, [pa, pa + count frames) inside the region that starts at frame
 * `pfn0` and holds `nframes`.  On FA_OK, *index is pa's frame offset. */
static inline fa_err fa_locate(uint64_t pfn0, uint64_t nframes, uint64_t pa, uint64_t count, uint64_t *index)
{
    if (count == 0)
        return FA_EINVAL;
    if (pa % FA_FRAME_SIZE != 0)
        return FA_EALIGN;
    uint64_t pfn = pa >> FA_FRAME_SHIFT;
    if (pfn < pfn0 || pfn - pfn0 >= nframes || count > nframes - (pfn - pfn0))
        return FA_ERANGE;
    *index = pfn - pfn0;
    return FA_OK;
}

/* Frames in the 64-bit address space: a region may end at its top, 2^64. */
#define FA_TOP_PFN (UINT64_C(1) << (64 - FA_FRAME_SHIFT))

/* The init-time checks shared by every strategy. */
static inline fa_err fa_check_init(const void *state, size_t bytes, size_t need, uint64_t base, uint64_t nframes)
{
    if (nframes == 0 || nframes > FA_MAX_FRAMES || base % FA_FRAME_SIZE != 0 ||
        (base >> FA_FRAME_SHIFT) > FA_TOP_PFN - nframes)
        return FA_EINVAL;
    if (bytes < need || (uintptr_t)state % FA_STATE_ALIGN != 0)
        return FA_ENOSPACE;
    return FA_OK;
}

/* `bytes` rounded up to whole cache lines, so arrays that follow stay aligned. */
static inline uint64_t fa_round_state(uint64_t bytes)
{
    return fa_div_round_up(bytes, FA_STATE_ALIGN) * FA_STATE_ALIGN;
}

#endif /* FA_BITMAP_H */
