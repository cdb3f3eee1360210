/* churn: at a fixed occupancy, free a random used frame and allocate one in
 * its place, so the occupancy never moves.  At occupancy 0 there is nothing
 * to free first: one op is an alloc and the free of that frame.
 * The harness row (harness.c) runs this same loop against an allocator that
 * does nothing, to measure the loop's own cost. */
#include "churn.h"

static const struct fb_params churn_variants[] = {{{0}}, {{500}}, {{900}}, {{990}}, {{999}}};

fa_err fb_churn_prepare(struct fb_work *w)
{
    return fb_work_occupy(w, w->p.v[0]);
}

uint64_t fb_churn_scratch(uint64_t nframes, const struct fb_params *p)
{
    return p->v[0] ? nframes : 0;
}

void fb_churn_ops(struct fb_work *w, uint64_t n)
{
    fa_err (*alloc)(void *, uint64_t *) = w->ops->alloc;
    fa_err (*release)(void *, uint64_t) = w->ops->free;
    void *st = w->state;
    uint32_t *used = w->list;
    const uint32_t *rnd = w->rnd;
    uint64_t nused = w->list_len, base = w->base, pos = w->rnd_pos;
    fa_err e = FA_OK;
    for (uint64_t i = 0; i < n && e == FA_OK; i++) {
        uint64_t pa;
        if (nused) {
            uint64_t j = fb_pick(rnd, &pos, nused);
            if ((e = release(st, base + ((uint64_t)used[j] << FA_FRAME_SHIFT))) == FA_OK &&
                (e = alloc(st, &pa)) == FA_OK)
                used[j] = (uint32_t)((pa - base) >> FA_FRAME_SHIFT);
        } else if ((e = alloc(st, &pa)) == FA_OK) {
            e = release(st, pa);
        }
    }
    w->rnd_pos = pos;
    w->err = e;
}

uint64_t fb_churn_runs_2m_free(const struct fb_work *w)
{
    return fb_count_2m_free(w, w->list, w->list_len, 0, 0, 0);
}

const struct fb_pattern fb_churn_pattern = {
    .name = "churn",
    .one_op = "one free of a random used frame plus one alloc, at a fixed occupancy",
    .keys = {"occupancy"},
    .variants = churn_variants,
    .nvariants = sizeof churn_variants / sizeof churn_variants[0],
    .latency_default = 1,
    .cycle_ops = fb_cycle_none,
    .scan_share = 0.5,
    .scratch_frames = fb_churn_scratch,
    .prepare = fb_churn_prepare,
    .avail = fb_avail_unlimited,
    .ops = fb_churn_ops,
    .reset = fb_reset_none,
    .runs_2m_free = fb_churn_runs_2m_free,
};
