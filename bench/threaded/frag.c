/*
 * frag.c (threaded): mt_frag, the `frag` experiment with every thread at
 * once, LLFree's headline claim made checkable: do 2 MiB blocks survive when
 * many CPUs allocate and free mixed orders concurrently?
 *
 * Each thread, off the clock, fills its share of the region to 90 % with
 * its own order mix (draw_order), then frees half at random.  The timed
 * phase: each op frees one of the thread's allocations and allocates one
 * from its mix in its place (a refused allocation leaves the place empty,
 * to be allocated next time).  As in every threaded loop, the clock sees
 * the calls and a sequential walk: the list is shuffled and each op's order
 * drawn beforehand, off the clock, so that no random read or draw of the
 * harness sits beside the allocator.  Afterwards, with every thread stopped, the first thread
 * counts from all threads' lists the aligned 2 MiB blocks of the region
 * that no allocation touches: the row's free_2m_share.
 */
#include <stdlib.h>

#include "thread.h"

#define FRAG_FILL 90  /* percent of the share filled before the half is freed */
#define FRAG_ROUNDS 4 /* timed ops per live allocation */
#define EMPTY UINT64_MAX

/* An allocation as one word: its address with its order in the low bits. */
static uint64_t pack(uint64_t pa, unsigned order) { return pa | order; }
static uint64_t pa_of(uint64_t v) { return v & ~(uint64_t)(FA_FRAME_SIZE - 1); }
static unsigned order_of(uint64_t v) { return (unsigned)(v & (FA_FRAME_SIZE - 1)); }

static uint64_t next(struct fb_tthread *t)
{
    t->seed ^= t->seed << 13, t->seed ^= t->seed >> 7, t->seed ^= t->seed << 17;
    return t->seed;
}

/* The thread's order mix, per 10 000: even CPUs `frag`'s (after LLFree's
 * frag benchmark: almost all single frames, a few small runs, 0.1 % 2 MiB
 * runs); odd CPUs fifteen times as many 2 MiB runs, as a CPU running a
 * workload with huge pages beside one that runs without. */
static unsigned draw_order(struct fb_tthread *t)
{
    static const unsigned orders[] = {0, 1, 2, 3, 4, 5, 9};
    static const unsigned small[] = {9940, 12, 15, 11, 8, 4, 10}, huge[] = {9800, 12, 15, 11, 8, 4, 150};
    const unsigned *mix = t->cpu % 2 ? huge : small;
    unsigned x = (unsigned)(next(t) % 10000);
    for (unsigned k = 0;; k++)
        if (x < mix[k] || k == 6)
            return orders[k];
        else
            x -= mix[k];
}

static fa_err take(struct fb_tthread *t, unsigned order, uint64_t *v)
{
    uint64_t pa;
    fa_err e = order ? t_alloc_run(t, UINT64_C(1) << order, order, &pa) : t_alloc(t, &pa);
    *v = e == FA_OK ? pack(pa, order) : EMPTY;
    return e;
}

static void give(struct fb_tthread *t, uint64_t v)
{
    fa_err e = order_of(v) ? t_free_run(t, pa_of(v), UINT64_C(1) << order_of(v)) : t_free(t, pa_of(v));
    if (e != FA_OK)
        t_fail(t, "free", e);
}

/* Fill to FRAG_FILL % of the share, then free every other allocation. */
static void frag_setup(struct fb_tthread *t)
{
    uint64_t frames = 0, n = 0, want = t->share * FRAG_FILL / 100;
    while (frames < want && n < t->cap) {
        unsigned order = draw_order(t);
        fa_err e = take(t, order, &t->held[n]);
        if (e == FA_OK)
            frames += UINT64_C(1) << order, n++;
        else if (e != FA_ENOMEM)
            t_fail(t, "alloc", e);
        else if (order == 0)
            break; /* not even a frame */
    }
    for (uint64_t i = 0; i < n; i += 2)
        give(t, t->held[i]), t->held[i] = EMPTY;
    t->nheld = n;
    t_shuffle(t);
    t->plan = malloc(n * FRAG_ROUNDS + 1);
    for (uint64_t k = 0; t->plan && k < n * FRAG_ROUNDS; k++)
        t->plan[k] = (unsigned char)draw_order(t);
    if (!t->plan)
        t_fail(t, "the op plan (out of memory)", FA_ENOMEM);
}

static uint64_t frag_phase(struct fb_tthread *t)
{
    uint64_t *held = t->held, n = t->nheld, ops = n * FRAG_ROUNDS;
    const unsigned char *plan = t->plan;
    if (n == 0 || !plan)
        return 0;
    for (uint64_t k = 0, i = 0; k < ops; k++, i = i + 1 < n ? i + 1 : 0) {
        if (held[i] != EMPTY)
            give(t, held[i]);
        fa_err e = take(t, plan[k], &held[i]);
        if (e != FA_OK && e != FA_ENOMEM) {
            t_fail(t, "alloc", e);
            return k;
        }
    }
    return ops;
}

static void frag_teardown(struct fb_tthread *t)
{
    free(t->plan);
    t->plan = NULL;
    for (uint64_t i = 0; i < t->nheld; i++)
        if (t->held[i] != EMPTY)
            give(t, t->held[i]);
    t->nheld = 0;
}

/* The aligned 2 MiB blocks of the region no thread's allocation touches,
 * as a share of all aligned 2 MiB blocks in it. */
static double free_2m_share(struct fb_tthread *all, unsigned threads)
{
    uint64_t nframes = all[0].spec->nframes, pfn0 = FB_T_BASE >> FA_FRAME_SHIFT;
    uint64_t first = (pfn0 + 511) / 512, end = (pfn0 + nframes) / 512; /* block numbers */
    if (end <= first)
        return 0;
    unsigned char *used = calloc(end - first, 1);
    if (!used)
        return -1;
    for (unsigned k = 0; k < threads; k++)
        for (uint64_t i = 0; i < all[k].nheld; i++) {
            uint64_t v = all[k].held[i];
            if (v == EMPTY)
                continue;
            uint64_t lo = pa_of(v) >> FA_FRAME_SHIFT, hi = lo + (UINT64_C(1) << order_of(v));
            for (uint64_t b = lo / 512; b * 512 < hi; b++)
                if (b >= first && b < end)
                    used[b - first] = 1;
        }
    uint64_t free_blocks = 0;
    for (uint64_t b = 0; b < end - first; b++)
        free_blocks += !used[b];
    free(used);
    return (double)free_blocks / (double)(end - first);
}

const struct fb_tpattern fb_mt_frag = {
    .name = "mt_frag",
    .one_op = "at about 45 % occupancy, each thread frees one of its allocations and allocates one of its own "
              "order mix (orders 0-5 and 9); afterwards the share of 2 MiB blocks wholly free",
    .title = "concurrent fragmentation: free + alloc of mixed orders",
    .phase_names = {"free+alloc", NULL},
    .nphases = 1,
    .headline = 0,
    .needs_runs = 1,
    .setup = frag_setup,
    .phase = {frag_phase, NULL},
    .teardown = frag_teardown,
    .figure = free_2m_share,
    .figure_name = "free_2m_share",
};
