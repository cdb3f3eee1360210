/*
 * fa_atomic_bitmap.h: a frame bitmap many CPUs change at once (set = used
 * or held), in C11 atomics.  Runs are taken or given back all or nothing:
 * word by word with compare-and-swap, undoing the words already changed when
 * one bit is found in the wrong state, so a refused call leaves every bit as
 * it was.  Relaxed order throughout: a bit says who owns a frame, and the
 * frame's memory is the owner's to order (a kernel's own barriers).
 */
#ifndef FA_ATOMIC_BITMAP_H
#define FA_ATOMIC_BITMAP_H

#include <stdatomic.h>

#include "fa_bitmap.h"

typedef _Atomic uint64_t fa_aword;

static inline uint64_t fa_abm_load(const fa_aword *w, uint64_t word)
{
    return atomic_load_explicit((fa_aword *)&w[word], memory_order_relaxed);
}

static inline int fa_abm_test(const fa_aword *w, uint64_t i) { return (int)((fa_abm_load(w, i / 64) >> (i % 64)) & 1); }

/* The part of [i, end) in i's word: its mask; *next is where the next word's
 * part starts. */
static inline uint64_t fa_abm_part(uint64_t i, uint64_t end, uint64_t *next)
{
    uint64_t w = i / 64, hi = end - w * 64 < 64 ? end - w * 64 : 64;
    *next = w * 64 + hi;
    return fa_word_mask((unsigned)(i % 64), (unsigned)hi);
}

/* Sets (set = 1) or clears bits [i, i + n), each word's part only if all its
 * bits are in the other state; 1 when every part changed, else 0 with every
 * part already changed undone. */
static inline int fa_abm_flip_run(fa_aword *w, uint64_t i, uint64_t n, int set)
{
    uint64_t k = i, next;
    for (; k < i + n; k = next) {
        uint64_t m = fa_abm_part(k, i + n, &next), old = fa_abm_load(w, k / 64);
        do {
            if ((set ? old & m : ~old & m) != 0)
                goto undo;
        } while (!atomic_compare_exchange_weak_explicit(&w[k / 64], &old, set ? old | m : old & ~m,
                                                        memory_order_relaxed, memory_order_relaxed));
    }
    return 1;
undo:
    for (uint64_t u = i; u < k; u = next) {
        uint64_t m = fa_abm_part(u, k, &next);
        if (set)
            atomic_fetch_and_explicit(&w[u / 64], ~m, memory_order_relaxed);
        else
            atomic_fetch_or_explicit(&w[u / 64], m, memory_order_relaxed);
    }
    return 0;
}

/* Sets bits [i, i + n) whatever they were (the caller owns them). */
static inline void fa_abm_set(fa_aword *w, uint64_t i, uint64_t n)
{
    for (uint64_t k = i, next; k < i + n; k = next)
        atomic_fetch_or_explicit(&w[k / 64], fa_abm_part(k, i + n, &next), memory_order_relaxed);
}

/* 1 if any bit of [i, i + n) is set. */
static inline int fa_abm_any(const fa_aword *w, uint64_t i, uint64_t n)
{
    for (uint64_t k = i, next; k < i + n; k = next)
        if (fa_abm_load(w, k / 64) & fa_abm_part(k, i + n, &next))
            return 1;
    return 0;
}

/* Sets one clear bit among words [first, end), searching from *word (any
 * value outside starts at first) and wrapping; the caller is owed one (it
 * took a count that never exceeds the clear bits), so the search ends.
 * Returns the bit's index; *word is where it was found. */
static inline uint64_t fa_abm_take_bit(fa_aword *w, uint64_t first, uint64_t end, uint64_t *word)
{
    uint64_t k = *word >= first && *word < end ? *word : first;
    for (;;) {
        uint64_t x = fa_abm_load(w, k);
        while (~x != 0) {
            uint64_t bit = UINT64_C(1) << fa_ctz(~x);
            if (atomic_compare_exchange_weak_explicit(&w[k], &x, x | bit, memory_order_relaxed, memory_order_relaxed)) {
                *word = k;
                return k * 64 + fa_ctz(bit);
            }
        }
        k = k + 1 < end ? k + 1 : first;
    }
}

/* The lowest s in [from, to - count] with (pfn0 + s) a multiple of 2^order
 * whose bits [s, s + count) all look clear (relaxed loads: a hint, to be
 * taken with fa_abm_flip_run); `to` if none.  Full words are skipped. */
static inline uint64_t fa_abm_find_run(const fa_aword *w, uint64_t from, uint64_t to, uint64_t count, uint64_t pfn0,
                                       unsigned order)
{
    uint64_t s = from;
    for (;;) {
        while (s < to && fa_abm_load(w, s / 64) == FA_ALL_ONES)
            s = (s / 64 + 1) * 64;
        if (s >= to)
            return to;
        s = fa_align_index(s, pfn0, order);
        if (s >= to || to - s < count)
            return to;
        uint64_t k = s, next;
        for (; k < s + count; k = next) {
            uint64_t used = fa_abm_load(w, k / 64) & fa_abm_part(k, s + count, &next);
            if (used) {
                k = (k / 64) * 64 + fa_ctz(used);
                break;
            }
        }
        if (k >= s + count)
            return s;
        s = k + 1;
    }
}

#endif /* FA_ATOMIC_BITMAP_H */
