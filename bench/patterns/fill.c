/* fill: allocate from empty until full, one frame at a time.  The map is
 * emptied off the clock each time it is full, so one cycle is nframes ops. */
#include "pattern.h"

static fa_err fill_reset(struct fb_work *w)
{
    w->pos = 0;
    fa_err e = fb_work_empty(w);
    w->cycle_len = w->usable; /* a map's holes are never free */
    return e;
}

const struct fb_pattern fb_fill_pattern = {
    .name = "fill",
    .one_op = "one alloc, from empty until full",
    .title = "alloc from empty until full",
    .cycle_ops = fb_cycle_all,
    .scan_share = 0.5,
    .scratch_frames = fb_scratch_none,
    .prepare = fill_reset,
    .avail = fb_avail_cycle,
    .ops = fb_alloc_n,
    .reset = fill_reset,
    .map_ok = 1,
};
