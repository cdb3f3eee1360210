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
    fb_churn_loop(w, n, w->ops->alloc, w->ops->free);
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
    .map_ok = 1,
};
