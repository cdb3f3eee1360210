/* checkerboard: from full, free every frame whose physical frame number is
 * even (off the clock), then allocate them back, one op per alloc. */
#include "pattern.h"

static fa_err checkerboard_reset(struct fb_work *w)
{
    uint64_t pfn0 = w->base >> FA_FRAME_SHIFT;
    w->pos = w->cycle_len = 0;
    for (uint64_t i = pfn0 % 2; i < w->nframes; i += 2, w->cycle_len++) {
        fa_err e = w->ops->free(w->state, fb_pa(w, i));
        if (e != FA_OK)
            return e;
    }
    return FA_OK;
}

static fa_err checkerboard_prepare(struct fb_work *w)
{
    fa_err e = fb_work_full(w);
    return e != FA_OK ? e : checkerboard_reset(w);
}

static uint64_t checkerboard_cycle(uint64_t nframes) { return nframes / 2; }

const struct fb_pattern fb_checkerboard_pattern = {
    .name = "checkerboard",
    .one_op = "one alloc back into a full map whose even frames were freed",
    .title = "alloc back into even-frames-free map",
    .cycle_ops = checkerboard_cycle,
    .scan_share = 0.5,
    .scratch_frames = fb_scratch_none,
    .prepare = checkerboard_prepare,
    .avail = fb_avail_cycle,
    .ops = fb_alloc_n,
    .reset = checkerboard_reset,
};
