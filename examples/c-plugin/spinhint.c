/*
 * spinhint.c: an example thread-safe plug-in, written as a user of
 * framebench writes one: one file, frame_alloc_mt.h only, freestanding C
 * with C11 atomics.
 *
 * A bitmap (1 = used) behind one test-and-set spinlock; each CPU scans from
 * its own hint (on its own cache line), so CPUs start apart in the map.  No
 * runs: alloc_run and free_run are NULL, and framebench skips the runs
 * patterns for it, saying why.  FA_MT_DEFINE_NO_RUNS gives it both tables: the
 * thread-safe one (FA_MT_PLUGIN: the threaded cells) and its single-CPU view
 * (FA_PLUGIN: every other pattern, and framebench-check).
 *
 *   cc -O2 -fPIC -shared -I ALLOCATORS -o spinhint.so spinhint.c
 *   framebench --load ./spinhint.so --strategies spinhint,locked-nextfit,lockfree \
 *       --patterns mt_bulk,mt_repeat,mt_remote,mt_churn
 */
#include <stdatomic.h>

#include "frame_alloc_mt.h"

struct spinhint {
    _Atomic uint32_t lock; /* 0 free, 1 held */
    uint32_t ncpus;
    uint64_t pfn0, nframes, nwords;
    _Atomic uint64_t nfree; /* changed under the lock, read anywhere */
};

#define LINE FA_STATE_ALIGN
#define HEADER ((sizeof(struct spinhint) + LINE - 1) / LINE * LINE)
/* Per CPU a line holding its hint, then the bitmap; found from the state's
 * own address, so the state can be moved. */
static uint64_t *hint(const struct spinhint *s, unsigned cpu) { return (uint64_t *)((char *)s + HEADER + cpu * LINE); }
static uint64_t *bits(const struct spinhint *s) { return (uint64_t *)((char *)s + HEADER + s->ncpus * LINE); }

static void lock(struct spinhint *s)
{
    while (atomic_exchange_explicit(&s->lock, 1, memory_order_acquire))
        while (atomic_load_explicit(&s->lock, memory_order_relaxed))
            ;
}
static void unlock(struct spinhint *s) { atomic_store_explicit(&s->lock, 0, memory_order_release); }

static size_t spinhint_state_size(uint64_t nframes, unsigned ncpus)
{
    if (nframes == 0 || nframes > FA_MAX_FRAMES || ncpus == 0 || ncpus > FA_MT_MAX_CPUS)
        return 0;
    return HEADER + ncpus * LINE + (nframes + 63) / 64 * 8;
}

static fa_err spinhint_init(void *state, size_t bytes, uint64_t base, uint64_t nframes, unsigned ncpus)
{
    if (nframes == 0 || nframes > FA_MAX_FRAMES || ncpus == 0 || ncpus > FA_MT_MAX_CPUS || base % FA_FRAME_SIZE != 0 ||
        (base >> FA_FRAME_SHIFT) > (UINT64_C(1) << (64 - FA_FRAME_SHIFT)) - nframes)
        return FA_EINVAL;
    if (bytes < spinhint_state_size(nframes, ncpus) || (uintptr_t)state % FA_STATE_ALIGN != 0)
        return FA_ENOSPACE;
    struct spinhint *s = state;
    atomic_init(&s->lock, 0);
    s->ncpus = ncpus;
    s->pfn0 = base >> FA_FRAME_SHIFT;
    s->nframes = nframes;
    s->nwords = (nframes + 63) / 64;
    atomic_init(&s->nfree, nframes);
    for (unsigned c = 0; c < ncpus; c++)
        *hint(s, c) = c * s->nwords / ncpus; /* CPUs start apart */
    for (uint64_t i = 0; i < s->nwords; i++)
        bits(s)[i] = 0;
    if (nframes % 64) /* padding bits past the region: never free */
        bits(s)[s->nwords - 1] = ~UINT64_C(0) << (nframes % 64);
    return FA_OK;
}

static fa_err spinhint_alloc(void *state, unsigned cpu, uint64_t *pa)
{
    struct spinhint *s = state;
    uint64_t *w = bits(s), *h = hint(s, cpu);
    fa_err e = FA_ENOMEM;
    lock(s);
    for (uint64_t k = 0, i = *h; k < s->nwords; k++, i = i + 1 == s->nwords ? 0 : i + 1) {
        if (w[i] != ~UINT64_C(0)) {
            unsigned bit = (unsigned)__builtin_ctzll(~w[i]);
            w[i] |= UINT64_C(1) << bit;
            atomic_store_explicit(&s->nfree, atomic_load_explicit(&s->nfree, memory_order_relaxed) - 1,
                                  memory_order_relaxed);
            *h = i;
            *pa = (s->pfn0 + i * 64 + bit) << FA_FRAME_SHIFT;
            e = FA_OK;
            break;
        }
    }
    unlock(s);
    return e;
}

/* The contract's checks, in its order: alignment, then the region. */
static fa_err locate(const struct spinhint *s, uint64_t pa, uint64_t count, uint64_t *index)
{
    if (count == 0)
        return FA_EINVAL;
    if (pa % FA_FRAME_SIZE != 0)
        return FA_EALIGN;
    uint64_t pfn = pa >> FA_FRAME_SHIFT;
    if (pfn < s->pfn0 || pfn - s->pfn0 >= s->nframes || count > s->nframes - (pfn - s->pfn0))
        return FA_ERANGE;
    *index = pfn - s->pfn0;
    return FA_OK;
}

static fa_err spinhint_free(void *state, unsigned cpu, uint64_t pa)
{
    struct spinhint *s = state;
    uint64_t i;
    (void)cpu;
    fa_err e = locate(s, pa, 1, &i);
    if (e != FA_OK)
        return e;
    uint64_t bit = UINT64_C(1) << (i % 64);
    lock(s);
    if (bits(s)[i / 64] & bit) {
        bits(s)[i / 64] &= ~bit;
        atomic_store_explicit(&s->nfree, atomic_load_explicit(&s->nfree, memory_order_relaxed) + 1,
                              memory_order_relaxed);
    } else {
        e = FA_EFREE;
    }
    unlock(s);
    return e;
}

/* Quiescent (frame_alloc_mt.h): no lock. */
static fa_err spinhint_reserve(void *state, uint64_t pa, uint64_t count)
{
    struct spinhint *s = state;
    uint64_t i;
    fa_err e = locate(s, pa, count, &i);
    if (e != FA_OK)
        return e;
    for (uint64_t k = i; k < i + count; k++) /* all free, or nothing changes */
        if (bits(s)[k / 64] & (UINT64_C(1) << (k % 64)))
            return FA_EBUSY;
    for (uint64_t k = i; k < i + count; k++)
        bits(s)[k / 64] |= UINT64_C(1) << (k % 64);
    atomic_store_explicit(&s->nfree, atomic_load_explicit(&s->nfree, memory_order_relaxed) - count,
                          memory_order_relaxed);
    return FA_OK;
}

static uint64_t spinhint_free_frames(const void *state)
{
    return atomic_load_explicit(&((struct spinhint *)state)->nfree, memory_order_relaxed);
}

static fa_err spinhint_check(const void *state)
{
    const struct spinhint *s = state;
    if (s->nwords != (s->nframes + 63) / 64 || atomic_load_explicit((_Atomic uint32_t *)&s->lock, memory_order_relaxed))
        return FA_EINVAL;
    for (unsigned c = 0; c < s->ncpus; c++)
        if (*hint(s, c) >= s->nwords)
            return FA_EINVAL;
    unsigned tail = (unsigned)(s->nframes % 64);
    if (tail && (bits(s)[s->nwords - 1] >> tail) != ~UINT64_C(0) >> tail)
        return FA_EINVAL; /* a padding bit is clear: a scan could return it */
    uint64_t used = 0;    /* set bits, one at a time: no libgcc popcount helper */
    for (uint64_t i = 0; i < s->nwords; i++)
        for (uint64_t x = bits(s)[i]; x; x &= x - 1)
            used++;
    return used - (s->nwords * 64 - s->nframes) + spinhint_free_frames(s) == s->nframes ? FA_OK : FA_EINVAL;
}

FA_MT_DEFINE_NO_RUNS(
    spinhint, "spinhint",
    "example thread-safe plug-in: bitmap behind a test-and-set spinlock, a scan hint per CPU; no runs");
FA_PLUGIN(&fa_spinhint_single_ops);
FA_MT_PLUGIN(&fa_spinhint_mt_ops);
