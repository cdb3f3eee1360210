/* work.c: a cell's working state and the map shapes patterns start from. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pattern.h"
#include "placement.h"

uint64_t fb_splitmix(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* glibc raises its mmap threshold to the largest block freed, so after one
 * big cell every later one got reused heap pages, already faulted as 4 KiB
 * pages the advice cannot change: the 64 GiB churn cells at the end of a
 * run timed page walks (tree at 99.9 %: 53 ns after freelist's cells, 34 ns
 * in a fresh process).  A fixed threshold gives every big buffer fresh
 * memory, advised before its first touch. */
static void fix_mmap_threshold(void)
{
    static int fixed;
    if (!fixed)
        fixed = mallopt(M_MMAP_THRESHOLD, (int)FB_HUGE_PAGE) || 1;
}

/* Buffers of 2 MiB and more are 2 MiB aligned and asked to be backed by
 * huge pages, as a kernel's direct map backs its allocator's state with
 * large pages: with 4 KiB pages a random touch of a 64 GiB map's state
 * would also time a page walk no kernel pays.  Smaller ones: cache-line
 * aligned. */
void *fb_big_alloc(size_t bytes)
{
    fix_mmap_threshold();
    if (bytes < FB_HUGE_PAGE)
        return aligned_alloc(FA_STATE_ALIGN, (bytes + FA_STATE_ALIGN - 1) / FA_STATE_ALIGN * FA_STATE_ALIGN);
    size_t rounded = (bytes + FB_HUGE_PAGE - 1) / FB_HUGE_PAGE * FB_HUGE_PAGE;
    void *p = aligned_alloc(FB_HUGE_PAGE, rounded);
#ifdef MADV_HUGEPAGE
    if (p)
        madvise(p, rounded, MADV_HUGEPAGE); /* advice only: no THP, no harm */
#endif
    return p;
}

/* The state, the pattern's list and its random numbers, as fb_big_alloc's
 * but placed afresh for every repetition (placement.h); fb_place_free
 * frees them. */
static void *work_alloc(size_t bytes)
{
    fix_mmap_threshold();
    return fb_place_alloc(bytes, bytes >= FB_HUGE_PAGE ? FB_HUGE_PAGE : FA_STATE_ALIGN);
}

fa_err fb_work_open(struct fb_work *w, const struct fb_work_spec *spec)
{
    const struct fb_input *from = spec->in ? spec->in : spec->map;
    memset(w, 0, sizeof *w);
    w->ops = spec->ops;
    w->base = from ? from->base : FB_BASE;
    w->nframes = from ? from->nframes : spec->nframes;
    w->seed = spec->seed;
    w->p = spec->p;
    w->in = spec->in;
    w->cheap_cycle = spec->cheap_cycle;
    if (spec->map) {
        w->ranges = spec->map->ranges;
        w->nranges = spec->map->nranges;
    }
    size_t need = w->ops->state_size(w->nframes);
    if (need == 0)
        return FA_EINVAL;
    w->state_bytes = (need + FA_STATE_ALIGN - 1) / FA_STATE_ALIGN * FA_STATE_ALIGN;
    w->state = work_alloc(w->state_bytes);
    w->list_cap = spec->pattern->scratch_frames(w->nframes, &w->p);
    w->list = work_alloc((w->list_cap ? w->list_cap : 1) * sizeof *w->list);
    w->rnd = work_alloc(FB_RND_LEN * sizeof *w->rnd);
    if (!w->state || !w->list || !w->rnd) {
        /* The host's failure, not the allocator's: FA_ENOSPACE alone would
         * read "state buffer too small or misaligned". */
        size_t list_bytes = (w->list_cap ? w->list_cap : 1) * sizeof *w->list;
        snprintf(w->why, sizeof w->why,
                 "the host could not allocate %zu bytes (%s state %zu, pattern list %zu) for %llu frames: "
                 "use fewer frames",
                 w->state_bytes + list_bytes, w->ops->name, w->state_bytes, list_bytes, (unsigned long long)w->nframes);
        return FA_ENOSPACE;
    }
    uint64_t x = spec->seed;
    for (uint32_t i = 0; i < FB_RND_LEN; i++)
        w->rnd[i] = (uint32_t)(fb_splitmix(&x) >> 32);
    return fb_work_empty(w);
}

void fb_work_close(struct fb_work *w)
{
    fb_place_free(w->state);
    fb_place_free(w->list);
    fb_place_free(w->rnd);
    free(w->stage);
    memset(w, 0, sizeof *w);
}

/* Range i's whole frames as indices [*first, *end) from w->base; 0 if none. */
static int range_frames(const struct fb_work *w, size_t i, uint64_t *first, uint64_t *end)
{
    uint64_t lo = (w->ranges[i].start + FA_FRAME_SIZE - 1) >> FA_FRAME_SHIFT;
    uint64_t hi = fa_range_end_frame(w->ranges[i].end), pfn0 = w->base >> FA_FRAME_SHIFT;
    if (hi <= lo || hi <= pfn0)
        return 0;
    *first = (lo > pfn0 ? lo : pfn0) - pfn0;
    *end = hi - pfn0;
    return 1;
}

fa_err fb_work_empty(struct fb_work *w)
{
    w->usable = w->nframes;
    if (w->ranges) {
        w->usable = 0;
        for (size_t i = 0; i < w->nranges; i++) {
            uint64_t first, end;
            if (range_frames(w, i, &first, &end))
                w->usable += end - first;
        }
        return fa_init_ranges(w->ops, w->state, w->state_bytes, w->ranges, w->nranges);
    }
    return w->ops->init(w->state, w->state_bytes, w->base, w->nframes);
}

void fb_work_warm(const struct fb_work *w)
{
    const volatile unsigned char *p = w->state;
    unsigned sum = 0;
    for (size_t i = 0; i < w->state_bytes; i += 64)
        sum += p[i];
    (void)sum;
}

void fb_work_rewarm(const struct fb_work *w)
{
    if (w->state_bytes <= FB_REWARM_MAX)
        fb_work_warm(w);
}

/* With a map the holes are already used: only the usable ranges are reserved. */
fa_err fb_work_full(struct fb_work *w)
{
    if (!w->ranges)
        return w->ops->reserve(w->state, w->base, w->nframes);
    fa_err e = FA_OK;
    for (size_t i = 0; e == FA_OK && i < w->nranges; i++) {
        uint64_t first, end;
        if (range_frames(w, i, &first, &end))
            e = w->ops->reserve(w->state, fb_pa(w, first), end - first);
    }
    return e;
}

/* Reserve everything, then free the frames that stay free: every strategy
 * frees in O(1) or O(log n), where building by alloc would cost a linear
 * scanner O(n^2) before the first timed op. */
fa_err fb_work_occupy(struct fb_work *w, unsigned permille)
{
    w->list_len = 0;
    fa_err e = fb_work_empty(w);
    if (e != FA_OK || permille == 0)
        return e;
    if (w->list_cap < w->nframes)
        return FA_ENOSPACE;
    if ((e = fb_work_full(w)) != FA_OK)
        return e;
    uint64_t x = w->seed ^ UINT64_C(0x5eed);
    /* A flat region is one range; holes of a map are never listed or freed. */
    size_t nranges = w->ranges ? w->nranges : 1;
    for (size_t r = 0; r < nranges; r++) {
        uint64_t first = 0, end = w->nframes;
        if (w->ranges && !range_frames(w, r, &first, &end))
            continue;
        for (uint64_t i = first; i < end; i++) {
            if (fb_splitmix(&x) % 1000 < permille)
                w->list[w->list_len++] = (uint32_t)i;
            else if ((e = w->ops->free(w->state, fb_pa(w, i))) != FA_OK)
                return e;
        }
    }
    return FA_OK;
}

uint64_t fb_count_2m_free(const struct fb_work *w, const uint32_t *used, uint64_t n, const uint32_t *runs,
                          uint64_t nruns, uint64_t run_len)
{
    const uint64_t per = 512;
    uint64_t pfn0 = w->base >> FA_FRAME_SHIFT, end = pfn0 + w->nframes;
    uint64_t first = (pfn0 + per - 1) / per, last = end / per; /* whole blocks [first, last) */
    if (last <= first)
        return 0;
    unsigned char *hit = calloc(last - first, 1);
    if (!hit)
        return 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t b = (pfn0 + used[i]) / per;
        if (b >= first && b < last)
            hit[b - first] = 1;
    }
    for (uint64_t r = 0; r < nruns; r++)
        for (uint64_t b = (pfn0 + runs[r]) / per; b <= (pfn0 + runs[r] + run_len - 1) / per; b++)
            if (b >= first && b < last)
                hit[b - first] = 1;
    uint64_t free_blocks = 0;
    for (uint64_t b = 0; b < last - first; b++)
        free_blocks += !hit[b];
    free(hit);
    return free_blocks;
}

uint64_t fb_cycle_none(uint64_t nframes)
{
    (void)nframes;
    return 1;
}
uint64_t fb_cycle_all(uint64_t nframes) { return nframes; }
uint64_t fb_scratch_none(uint64_t nframes, const struct fb_params *p)
{
    (void)nframes, (void)p;
    return 0;
}
uint64_t fb_scratch_all(uint64_t nframes, const struct fb_params *p)
{
    (void)p;
    return nframes;
}
uint64_t fb_avail_unlimited(const struct fb_work *w)
{
    (void)w;
    return FB_UNLIMITED;
}
uint64_t fb_avail_cycle(const struct fb_work *w) { return w->cycle_len - w->pos; }
fa_err fb_reset_none(struct fb_work *w)
{
    (void)w;
    return FA_OK;
}

void fb_alloc_n(struct fb_work *w, uint64_t n)
{
    fa_err (*alloc)(void *, uint64_t *) = w->ops->alloc;
    void *st = w->state;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t pa;
        fa_err e = alloc(st, &pa);
        if (e != FA_OK) {
            w->err = e;
            return;
        }
    }
    w->pos += n;
}
