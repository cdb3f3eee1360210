/*
 * hintscan.c: an example plug-in strategy, written as a user of framebench
 * writes one: one file, frame_alloc.h only, freestanding C.
 *
 * A bitmap (1 = used) scanned word by word from a hint: the word where the
 * last alloc found a free frame.  No runs (alloc_run and free_run are NULL:
 * framebench skips the runs pattern for it, saying why).
 *
 *   cc -O2 -fPIC -shared -I ALLOCATORS -o hintscan.so hintscan.c
 *   framebench --load ./hintscan.so --strategies hintscan,nextfit --matrix tiny
 */
#include "frame_alloc.h"

struct hintscan {
    uint64_t pfn0, nframes, nwords, nfree, hint;
};

/* The header padded to a cache line, then the bitmap: found from the
 * state's own address, never stored, so the state can be moved. */
#define HEADER ((sizeof(struct hintscan) + FA_STATE_ALIGN - 1) / FA_STATE_ALIGN * FA_STATE_ALIGN)
static uint64_t *words(const struct hintscan *h) { return (uint64_t *)((char *)h + HEADER); }

static size_t hs_state_size(uint64_t nframes)
{
    if (nframes == 0 || nframes > FA_MAX_FRAMES)
        return 0;
    return HEADER + (nframes + 63) / 64 * 8;
}

static fa_err hs_init(void *state, size_t bytes, uint64_t base, uint64_t nframes)
{
    if (nframes == 0 || nframes > FA_MAX_FRAMES || base % FA_FRAME_SIZE != 0 ||
        (base >> FA_FRAME_SHIFT) > (UINT64_C(1) << (64 - FA_FRAME_SHIFT)) - nframes)
        return FA_EINVAL;
    if (bytes < hs_state_size(nframes) || (uintptr_t)state % FA_STATE_ALIGN != 0)
        return FA_ENOSPACE;
    struct hintscan *h = state;
    h->pfn0 = base >> FA_FRAME_SHIFT;
    h->nframes = nframes;
    h->nwords = (nframes + 63) / 64;
    h->nfree = nframes;
    h->hint = 0;
    uint64_t *w = words(h);
    for (uint64_t i = 0; i < h->nwords; i++)
        w[i] = 0;
    if (nframes % 64) /* padding bits past the region: never free */
        w[h->nwords - 1] = ~UINT64_C(0) << (nframes % 64);
    return FA_OK;
}

static fa_err hs_alloc(void *state, uint64_t *pa)
{
    struct hintscan *h = state;
    uint64_t *w = words(h);
    if (h->nfree == 0)
        return FA_ENOMEM;
    for (uint64_t k = 0, i = h->hint; k < h->nwords; k++, i = i + 1 == h->nwords ? 0 : i + 1) {
        if (w[i] != ~UINT64_C(0)) {
            unsigned bit = (unsigned)__builtin_ctzll(~w[i]);
            w[i] |= UINT64_C(1) << bit;
            h->nfree--;
            h->hint = i;
            *pa = (h->pfn0 + i * 64 + bit) << FA_FRAME_SHIFT;
            return FA_OK;
        }
    }
    return FA_ENOMEM; /* not reached: nfree said there was one */
}

/* The contract's checks, in its order: alignment, then the region. */
static fa_err locate(const struct hintscan *h, uint64_t pa, uint64_t count, uint64_t *index)
{
    if (count == 0)
        return FA_EINVAL;
    if (pa % FA_FRAME_SIZE != 0)
        return FA_EALIGN;
    uint64_t pfn = pa >> FA_FRAME_SHIFT;
    if (pfn < h->pfn0 || pfn - h->pfn0 >= h->nframes || count > h->nframes - (pfn - h->pfn0))
        return FA_ERANGE;
    *index = pfn - h->pfn0;
    return FA_OK;
}

static fa_err hs_free(void *state, uint64_t pa)
{
    struct hintscan *h = state;
    uint64_t i;
    fa_err e = locate(h, pa, 1, &i);
    if (e != FA_OK)
        return e;
    uint64_t bit = UINT64_C(1) << (i % 64);
    if (!(words(h)[i / 64] & bit))
        return FA_EFREE;
    words(h)[i / 64] &= ~bit;
    h->nfree++;
    return FA_OK;
}

static fa_err hs_reserve(void *state, uint64_t pa, uint64_t count)
{
    struct hintscan *h = state;
    uint64_t i;
    fa_err e = locate(h, pa, count, &i);
    if (e != FA_OK)
        return e;
    for (uint64_t k = i; k < i + count; k++) /* all free, or nothing changes */
        if (words(h)[k / 64] & (UINT64_C(1) << (k % 64)))
            return FA_EBUSY;
    for (uint64_t k = i; k < i + count; k++)
        words(h)[k / 64] |= UINT64_C(1) << (k % 64);
    h->nfree -= count;
    return FA_OK;
}

static uint64_t hs_free_frames(const void *state) { return ((const struct hintscan *)state)->nfree; }

static fa_err hs_check(const void *state)
{
    const struct hintscan *h = state;
    if (h->nwords != (h->nframes + 63) / 64 || h->hint >= h->nwords)
        return FA_EINVAL;
    unsigned tail = (unsigned)(h->nframes % 64);
    if (tail && (words(h)[h->nwords - 1] >> tail) != ~UINT64_C(0) >> tail)
        return FA_EINVAL; /* a padding bit is clear: a scan could return it */
    uint64_t used = 0;    /* set bits, one at a time: no libgcc popcount helper */
    for (uint64_t i = 0; i < h->nwords; i++)
        for (uint64_t x = words(h)[i]; x; x &= x - 1)
            used++;
    uint64_t padding = h->nwords * 64 - h->nframes;
    return used - padding + h->nfree == h->nframes ? FA_OK : FA_EINVAL;
}

static const struct fa_ops hintscan_ops = {
    .name = "hintscan",
    .summary = "example plug-in: bitmap scanned by words from the last hit; no runs",
    .state_size = hs_state_size,
    .init = hs_init,
    .alloc = hs_alloc,
    .free = hs_free,
    .reserve = hs_reserve,
    .free_frames = hs_free_frames,
    .check = hs_check,
};

FA_PLUGIN(&hintscan_ops);
