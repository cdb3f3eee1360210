/* churn: at a fixed occupancy, free a random used frame and allocate one in
 * its place, so the occupancy never moves.  At occupancy 0 there is nothing
 * to free first: one op is an alloc and the free of that frame.
 * The picks are staged off the clock (churn.h says why); the harness row
 * (harness.c) runs the same loop without the allocator, churn_recorded.c
 * the independent method it must agree with. */
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "churn.h"

/* A store that does not bring its line into the caches, where there is one. */
static inline void fb_store_nt(uint32_t *p, uint32_t v)
{
#if defined(__SSE2__)
    _mm_stream_si32((int *)p, (int)v);
#else
    *p = v;
#endif
}

const struct fb_params fb_churn_variants[FB_CHURN_NVARIANTS] = {{{0}}, {{500}}, {{900}}, {{990}}, {{999}}};

fa_err fb_churn_prepare(struct fb_work *w)
{
    fa_err e = fb_work_occupy(w, w->p.v[0]);
    if (e != FA_OK || w->list_len == 0)
        return e;
    struct fb_stage *s = w->stage ? w->stage : (w->stage = malloc(sizeof *s));
    if (!s)
        return FA_ENOSPACE;
    s->nops = s->pos = s->nslots = 0;
    fb_work_warm(w);
    return FA_OK;
}

uint64_t fb_churn_scratch(uint64_t nframes, const struct fb_params *p) { return p->v[0] ? nframes : 0; }

uint64_t fb_churn_avail(const struct fb_work *w)
{
    const struct fb_stage *s = w->stage;
    return w->list_len ? s->nops - s->pos : FB_UNLIMITED;
}

void fb_churn_sync(const struct fb_work *w)
{
    const struct fb_stage *s = w->stage;
    for (uint32_t k = 0; s && k < s->nslots; k++)
        fb_store_nt(&w->list[s->pick[k]], fb_index(w, s->slot[k]));
}

/* The next batch: the same picks, in the same order, as the live loop draws
 * them (fb_pick from the same position); repeats of an index share a slot. */
fa_err fb_churn_stage(struct fb_work *w)
{
    struct fb_stage *s = w->stage;
    if (!w->list_len)
        return FA_OK;
    fb_churn_sync(w);
    memset(s->hkey, 0, sizeof s->hkey);
    s->nslots = 0;
    /* Non-temporal list traffic, as the write-back in fb_churn_sync: it must
     * not evict the allocator's state from L2 (2048 random list lines did,
     * and a 16 GiB ctz churn op then missed on a bitmap that fits L2). */
    uint64_t ahead = w->rnd_pos;
    for (unsigned k = 0; k < FB_STAGE_AHEAD; k++)
        __builtin_prefetch(&w->list[fb_pick(w->rnd, &ahead, w->list_len)], 0, 0);
    for (uint32_t i = 0; i < FB_STAGE_OPS; i++) {
        __builtin_prefetch(&w->list[fb_pick(w->rnd, &ahead, w->list_len)], 0, 0);
        uint32_t j = (uint32_t)fb_pick(w->rnd, &w->rnd_pos, w->list_len);
        uint32_t h = (j * UINT32_C(0x9e3779b1)) >> 20; /* 12 bits: FB_STAGE_HASH */
        while (s->hkey[h] && s->hkey[h] != j + 1)
            h = (h + 1) & (FB_STAGE_HASH - 1);
        if (!s->hkey[h]) {
            s->hkey[h] = j + 1;
            s->hslot[h] = (uint16_t)s->nslots;
            s->pick[s->nslots] = j;
            s->slot[s->nslots++] = fb_pa(w, w->list[j]);
        }
        s->seq[i] = s->hslot[h];
    }
    s->nops = FB_STAGE_OPS;
    s->pos = 0;
    fb_work_rewarm(w);
    fb_churn_warm(s);
    return FA_OK;
}

/* Staging also walked the off-clock tables, pushing the batch out of L1:
 * read it back so the timed loop finds it there, every batch alike (the
 * harness row replays one batch and must see the same). */
void fb_churn_warm(const struct fb_stage *s)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < FB_STAGE_OPS; i += 32)
        sum += s->seq[i];
    for (uint32_t i = 0; i < FB_STAGE_OPS; i += 8)
        sum += s->slot[i];
    __asm__ volatile("" : : "r"(sum));
}

void fb_churn_ops(struct fb_work *w, uint64_t n) { fb_churn_loop(w, n, w->ops->alloc, w->ops->free); }

uint64_t fb_churn_runs_2m_free(const struct fb_work *w)
{
    fb_churn_sync(w);
    return fb_count_2m_free(w, w->list, w->list_len, 0, 0, 0);
}

const struct fb_pattern fb_churn_pattern = {
    .name = "churn",
    .one_op = "one free of a random used frame plus one alloc, at a fixed occupancy",
    .title = "free of a random used frame + alloc",
    FB_CHURN_OCCUPANCIES,
    .latency_default = 1,
    .cycle_ops = fb_cycle_none,
    .scan_share = 0.5,
    .scratch_frames = fb_churn_scratch,
    .prepare = fb_churn_prepare,
    .avail = fb_churn_avail,
    .ops = fb_churn_ops,
    .reset = fb_churn_stage,
    .runs_2m_free = fb_churn_runs_2m_free,
    .map_ok = 1,
};
