/* frag: fragmentation over time, after LLFree's frag benchmark.  Off the
 * clock the region is filled to 90 % with a mix of orders (FRAG_MIX), then
 * half of the allocations are freed at random.  Then FRAG_ITERS iterations,
 * each freeing a random FRAG_SHARE of the live allocations and allocating as
 * many again from the same mix; one op is one such free plus one alloc, on
 * the clock.  After each iteration, off the clock, the pattern counts from
 * its own records the aligned 2 MiB blocks wholly free and Linux's unusable
 * free space index for orders 3 and 9 (U_j = (F - S_j 2^j) / F: F free
 * frames, S_j aligned free blocks of 2^j frames): the row's `series`.  One
 * cycle is the whole experiment; each cycle starts from a new fill with the
 * same seed, so a deterministic strategy repeats it exactly.
 *
 * A strategy without alloc_run runs the order-0 part only (the same share of
 * frames in single frames); its series says so (`orders`).  A failed alloc
 * (no aligned run left) is counted, not an error: its slot stays empty until
 * a later iteration picks it.  The count of free 2 MiB blocks is checked
 * once against the strategy's own (allocator_agrees). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

#define FRAG_ITERS 100
#define FRAG_FILL 900  /* permille of the frames allocated before half is freed */
#define FRAG_SHARE 100 /* permille of the live allocations freed and redone per iteration */

/* Allocations per 10000 by order: the committed gcc-build trace's mix of
 * orders 0-5 (54597 : 65 : 85 : 62 : 42 : 21), plus 10 of order 9 for the
 * huge pages that trace has none of; a third of the frames go to them. */
static const struct {
    unsigned order, per10k;
} frag_mix[] = {{0, 9940}, {1, 12}, {2, 15}, {3, 11}, {4, 8}, {5, 4}, {9, 10}};
#define FRAG_MIX_N (sizeof frag_mix / sizeof frag_mix[0])

/* A slot packs a frame index (below 2^28: every size in the matrix) and its
 * order; FRAG_EMPTY is a slot whose alloc failed. */
#define FRAG_IDX_MASK ((UINT32_C(1) << 28) - 1)
#define FRAG_EMPTY UINT32_MAX
static uint32_t pack(uint64_t index, unsigned order) { return (uint32_t)index | (uint32_t)order << 28; }
static unsigned order_of(uint32_t v) { return v >> 28; }

struct frag {
    uint32_t *slot, *perm; /* the live allocations; a permutation of slot numbers */
    uint32_t *old, *new;   /* this iteration's ops, on the clock: freed, then the
                                order to allocate in, then what the alloc got */
    uint64_t *used;        /* the harness's own bitmap of used frames */
    uint64_t nslots, nops, pos, iter, cycle, failed, x;
    int runs;      /* the strategy has alloc_run */
    uint64_t done; /* iterations recorded in the series (first cycle) */
    double share_2m[FRAG_ITERS], unusable3[FRAG_ITERS], unusable9[FRAG_ITERS];
    double failed_at[FRAG_ITERS];
    double handed_2m; /* the share of blocks the strategy hands out at the end; < 0: not asked */
};

static uint64_t max_slots(uint64_t nframes) { return nframes * FRAG_FILL / 1000 + 1; }
static uint64_t max_ops(uint64_t nframes) { return max_slots(nframes) * FRAG_SHARE / 1000 + 1; }
static uint64_t used_words(uint64_t nframes) { return (nframes + 63) / 64; }

/* uint32 words of scratch: slot, perm, old, new, and the bitmap. */
static uint64_t frag_scratch(uint64_t nframes, const struct fb_params *p)
{
    (void)p;
    return 2 * max_slots(nframes) + 2 * max_ops(nframes) + 2 * used_words(nframes) + 2;
}

static uint64_t frag_cycle(uint64_t nframes) { return FRAG_ITERS * (max_slots(nframes) / 2 * FRAG_SHARE / 1000 + 1); }

static unsigned draw_order(struct frag *f)
{
    if (!f->runs)
        return 0;
    uint64_t r = fb_splitmix(&f->x) % 10000, acc = 0;
    for (size_t i = 0; i < FRAG_MIX_N; i++)
        if (r < (acc += frag_mix[i].per10k))
            return frag_mix[i].order;
    return 0;
}

static void mark(struct frag *f, uint32_t v, int set)
{
    if (v == FRAG_EMPTY)
        return;
    uint64_t i = v & FRAG_IDX_MASK, end = i + (UINT64_C(1) << order_of(v));
    for (; i < end; i++)
        f->used[i / 64] =
            set ? f->used[i / 64] | UINT64_C(1) << (i % 64) : f->used[i / 64] & ~(UINT64_C(1) << (i % 64));
}

static fa_err frag_alloc(const struct fb_work *w, unsigned order, uint32_t *out)
{
    uint64_t pa;
    fa_err e = order ? w->ops->alloc_run(w->state, UINT64_C(1) << order, order, &pa) : w->ops->alloc(w->state, &pa);
    *out = e == FA_OK ? pack(fb_index(w, pa), order) : FRAG_EMPTY;
    return e;
}

static fa_err frag_free(const struct fb_work *w, uint32_t v)
{
    if (v == FRAG_EMPTY)
        return FA_OK;
    uint64_t pa = fb_pa(w, v & FRAG_IDX_MASK);
    return order_of(v) ? w->ops->free_run(w->state, pa, UINT64_C(1) << order_of(v)) : w->ops->free(w->state, pa);
}

/* Off the clock: the next iteration's frees, a random FRAG_SHARE of the
 * slots (a partial Fisher-Yates over perm), and the orders to allocate. */
static void stage(struct fb_work *w, struct frag *f)
{
    uint64_t k = f->nops;
    for (uint64_t i = 0; i < k; i++) {
        uint64_t j = i + fb_splitmix(&f->x) % (f->nslots - i);
        uint32_t t = f->perm[i];
        f->perm[i] = f->perm[j];
        f->perm[j] = t;
        f->old[i] = f->slot[f->perm[i]];
        f->new[i] = draw_order(f);
    }
    f->pos = 0;
    fb_work_rewarm(w);
}

/* A new cycle: fill, free half, stage the first iteration. */
static fa_err frag_start(struct fb_work *w)
{
    struct frag *f = w->stage;
    fa_err e = fb_work_empty(w);
    if (e != FA_OK)
        return e;
    f->x = w->seed ^ UINT64_C(0xf4a9);
    f->nslots = f->iter = f->failed = 0;
    memset(f->used, 0, used_words(w->nframes) * sizeof *f->used);
    uint64_t target = w->nframes * FRAG_FILL / 1000, frames = 0;
    for (unsigned misses = 0; frames < target && misses < 64 && f->nslots < max_slots(w->nframes);) {
        unsigned order = draw_order(f);
        uint32_t v;
        if ((e = frag_alloc(w, order, &v)) == FA_ENOMEM) {
            misses++;
            continue;
        }
        if (e != FA_OK)
            return e;
        mark(f, v, 1);
        f->slot[f->nslots++] = v;
        frames += UINT64_C(1) << order;
    }
    uint64_t kept = 0;
    for (uint64_t i = 0; i < f->nslots; i++) {
        if (fb_splitmix(&f->x) & 1) {
            mark(f, f->slot[i], 0);
            if ((e = frag_free(w, f->slot[i])) != FA_OK)
                return e;
        } else {
            f->slot[kept++] = f->slot[i];
        }
    }
    f->nslots = kept;
    if (kept == 0) { /* no op to run: the timer would wait for one forever */
        snprintf(w->why, sizeof w->why, "%llu frames are too few for frag: no allocation is left after the fill",
                 (unsigned long long)w->nframes);
        return FA_EINVAL;
    }
    for (uint64_t i = 0; i < kept; i++)
        f->perm[i] = (uint32_t)i;
    f->nops = kept * FRAG_SHARE / 1000;
    f->nops = f->nops ? f->nops : 1;
    stage(w, f);
    return FA_OK;
}

static fa_err frag_prepare(struct fb_work *w)
{
    uint32_t *scratch = w->list;
    struct frag *f = w->stage ? w->stage : (w->stage = calloc(1, sizeof *f));
    if (!f)
        return FA_ENOSPACE;
    memset(f, 0, sizeof *f);
    f->handed_2m = -1;
    f->runs = w->ops->alloc_run && w->ops->free_run;
    f->used = (uint64_t *)scratch; /* first: the list is 8-byte aligned */
    scratch += 2 * used_words(w->nframes);
    f->slot = scratch, scratch += max_slots(w->nframes);
    f->perm = scratch, scratch += max_slots(w->nframes);
    f->old = scratch, scratch += max_ops(w->nframes);
    f->new = scratch;
    return frag_start(w);
}

static uint64_t frag_avail(const struct fb_work *w)
{
    const struct frag *f = w->stage;
    return f->nops - f->pos;
}

/* Blocks of 2^order frames wholly free, aligned as the allocator aligns
 * them: by physical frame number (the region starts at FB_BASE, 256 frames
 * in, so a 2 MiB block starts half-way into the region's first 512); and how
 * many such blocks the region holds, in *possible. */
static uint64_t free_blocks(const struct frag *f, const struct fb_work *w, unsigned order, uint64_t *possible)
{
    uint64_t size = UINT64_C(1) << order, pfn0 = w->base >> FA_FRAME_SHIFT, n = 0, all = 0;
    for (uint64_t i = (size - pfn0 % size) % size; i + size <= w->nframes; i += size, all++) {
        uint64_t any = 0;
        if (size >= 64 && i % 64 == 0)
            for (uint64_t k = i / 64; k < (i + size) / 64; k++)
                any |= f->used[k];
        else
            for (uint64_t k = i; k < i + size; k++)
                any |= f->used[k / 64] >> (k % 64) & 1;
        n += any == 0;
    }
    *possible = all;
    return n;
}

/* A second count of the free 2 MiB blocks, by the allocator itself: how
 * many aligned 512-frame runs it still hands out (into f->handed_2m, a
 * share of `blocks`), after which its state is put back from a copy, at the
 * same address (so this holds for a state that points into itself,
 * FA_TRAIT_FIXED_STATE).  Once per cell, at the series' end, where the
 * state is small enough to copy cheaply.  Fewer than the harness counts is
 * the strategy's own limit (LLFree keeps some for its CPUs' reservations),
 * recorded; more is a bug on one side: -1 with the why. */
static int allocator_agrees(struct fb_work *w, struct frag *f, uint64_t s9, uint64_t blocks)
{
    if (w->state_bytes > FB_REWARM_MAX)
        return 0;
    void *aside = malloc(w->state_bytes);
    if (!aside)
        return 0;
    memcpy(aside, w->state, w->state_bytes);
    uint64_t got = 0, pa;
    while (got <= s9 && w->ops->alloc_run(w->state, 512, 9, &pa) == FA_OK)
        got++;
    memcpy(w->state, aside, w->state_bytes);
    free(aside);
    f->handed_2m = blocks ? (double)got / (double)blocks : 0;
    if (got <= s9)
        return 0;
    snprintf(w->why, sizeof w->why, "the harness counts %llu free 2 MiB blocks, the strategy hands out more",
             (unsigned long long)s9);
    return -1;
}

/* The iteration's count, then the next iteration or a new cycle. */
static fa_err frag_next(struct fb_work *w)
{
    struct frag *f = w->stage;
    uint64_t nfree = 0, blocks3, blocks9;
    for (uint64_t k = 0; k < f->nops; k++) {
        mark(f, f->old[k], 0);
        mark(f, f->new[k], 1);
        f->slot[f->perm[k]] = f->new[k];
    }
    for (uint64_t i = 0; i < used_words(w->nframes); i++) {
        uint64_t u = f->used[i];
        if (i == used_words(w->nframes) - 1 && w->nframes % 64)
            u |= ~UINT64_C(0) << (w->nframes % 64); /* past the region: not free */
        nfree += 64 - (uint64_t)__builtin_popcountll(u);
    }
    uint64_t s3 = free_blocks(f, w, 3, &blocks3), s9 = free_blocks(f, w, 9, &blocks9);
    /* The harness's records and the allocator must agree on what is free. */
    uint64_t says = w->ops->free_frames(w->state);
    if (says != nfree) {
        snprintf(w->why, sizeof w->why,
                 "after iteration %llu the strategy reports %llu free frames, "
                 "its allocations leave %llu",
                 (unsigned long long)f->iter, (unsigned long long)says, (unsigned long long)nfree);
        return FA_EINVAL;
    }
    if (f->cycle == 0 && f->iter < FRAG_ITERS) {
        f->share_2m[f->iter] = blocks9 ? (double)s9 / (double)blocks9 : 0;
        f->unusable3[f->iter] = nfree ? (double)(nfree - s3 * 8) / (double)nfree : 0;
        f->unusable9[f->iter] = nfree ? (double)(nfree - s9 * 512) / (double)nfree : 0;
        f->failed_at[f->iter] = (double)f->failed;
        f->done = f->iter + 1;
        if (f->iter == FRAG_ITERS - 1 && f->runs && allocator_agrees(w, f, s9, blocks9) != 0)
            return FA_EINVAL;
    }
    if (++f->iter < FRAG_ITERS) {
        stage(w, f);
        return FA_OK;
    }
    f->cycle++;
    return frag_start(w);
}

static void frag_ops(struct fb_work *w, uint64_t n)
{
    struct frag *f = w->stage;
    const uint32_t *old = f->old + f->pos;
    uint32_t *new = f->new + f->pos;
    fa_err e = FA_OK;
    uint64_t i = 0;
    for (; i < n; i++) {
        if ((e = frag_free(w, old[i])) != FA_OK)
            break;
        if ((e = frag_alloc(w, new[i], &new[i])) == FA_ENOMEM)
            f->failed++, e = FA_OK;
        else if (e != FA_OK)
            break;
    }
    f->pos += i;
    w->err = e;
}

/* The series' last iteration, as the row's figures. */
static size_t frag_figures(const struct fb_work *w, struct fb_figure *out)
{
    const struct frag *f = w->stage;
    if (!f || !f->done)
        return 0;
    uint64_t last = f->done - 1;
    out[0] = (struct fb_figure){"free_2m_share", f->share_2m[last]};
    out[1] = (struct fb_figure){"unusable_index_9", f->unusable9[last]};
    out[2] = (struct fb_figure){"failed_allocs", f->failed_at[last]};
    if (f->handed_2m < 0)
        return 3;
    out[3] = (struct fb_figure){"free_2m_handed_share", f->handed_2m};
    return 4;
}

static size_t frag_series(const struct fb_work *w, struct fb_series *out)
{
    const struct frag *f = w->stage;
    if (!f || !f->done)
        return 0;
    *out = (struct fb_series){
        .n = f->done,
        .name = {"free_2m_share", "unusable_index_3", "unusable_index_9", "failed_allocs"},
        .v = {f->share_2m, f->unusable3, f->unusable9, f->failed_at},
        .nnames = 4,
        .orders = f->runs ? "0,1,2,3,4,5,9" : "0 (no alloc_run)",
    };
    return out->n;
}

const struct fb_pattern fb_frag_pattern = {
    .name = "frag",
    .one_op = "one free of a random live allocation plus one alloc from the order mix, "
              "100 iterations of 10 % after a 90 % fill freed by half",
    .title = "fragmentation over time: free + alloc of mixed orders",
    .cycle_ops = frag_cycle,
    /* Measured: a frag op costs a scan from the start 0.16-0.2 of a whole
     * `worst` scan (linear, ctz at 64 MiB and 1 GiB; summary2 0.29 at
     * 16 GiB): the lowest hole climbs as the low frames pack. */
    .scan_share = 0.2,
    .probe_own_op = 1,
    .scratch_frames = frag_scratch,
    .prepare = frag_prepare,
    .avail = frag_avail,
    .ops = frag_ops,
    .reset = frag_next,
    .figures = frag_figures,
    .series = frag_series,
};
