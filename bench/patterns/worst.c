/* worst: a full map but for its last frame; one op allocates that frame (the
 * longest search a scan from the start can make) and frees it again. */
#include "pattern.h"

fa_err fb_worst_prepare(struct fb_work *w)
{
    fa_err e = fb_work_full(w);
    return e != FA_OK ? e : w->ops->free(w->state, fb_pa(w, w->nframes - 1));
}

static void worst_ops(struct fb_work *w, uint64_t n)
{
    fa_err (*alloc)(void *, uint64_t *) = w->ops->alloc;
    fa_err (*release)(void *, uint64_t) = w->ops->free;
    void *st = w->state;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t pa;
        fa_err e;
        if ((e = alloc(st, &pa)) != FA_OK || (e = release(st, pa)) != FA_OK) {
            w->err = e;
            return;
        }
    }
}

const struct fb_pattern fb_worst_pattern = {
    .name = "worst",
    .one_op = "one alloc (and its free) of the last free frame of a full map",
    .title = "alloc of the last free frame, worst for scans from 0",
    .latency_default = 1,
    .cycle_ops = fb_cycle_none,
    .scan_share = 1.0,
    .scratch_frames = fb_scratch_none,
    .prepare = fb_worst_prepare,
    .avail = fb_avail_unlimited,
    .ops = worst_ops,
    .reset = fb_reset_none,
};
