/* worst_wrap: the worst case of a next-fit hint.  A full map but for one
 * frame; one op allocates that frame and frees the frame one word (64
 * frames) before it, so the lone free frame steps backwards, always just
 * behind where the last search ended.  A search that starts from a hint
 * runs to the end of the map, wraps and scans back up to it: a whole map
 * per op.  A search from the start finds it after the frames before it, on
 * average half a map (worst is that strategy's worst).  It starts at the
 * last frame and returns there after reaching the first word. */
#include "pattern.h"

static void worst_wrap_ops(struct fb_work *w, uint64_t n)
{
    fa_err (*alloc)(void *, uint64_t *) = w->ops->alloc;
    fa_err (*release)(void *, uint64_t) = w->ops->free;
    void *st = w->state;
    uint64_t base = w->base, last = w->nframes - 1;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t pa, index;
        fa_err e;
        if ((e = alloc(st, &pa)) != FA_OK)
            goto fail;
        index = (pa - base) >> FA_FRAME_SHIFT;
        if ((e = release(st, base + ((index >= 64 ? index - 64 : last) << FA_FRAME_SHIFT))) != FA_OK)
            goto fail;
        continue;
    fail:
        w->err = e;
        return;
    }
}

const struct fb_pattern fb_worst_wrap_pattern = {
    .name = "worst_wrap",
    .one_op = "one alloc of the lone free frame, then free the frame a word behind it: a hint wraps",
    .title = "alloc just behind the hint, worst for next-fit",
    .latency_default = 1,
    .cycle_ops = fb_cycle_none,
    .scan_share = 0.5,
    .scratch_frames = fb_scratch_none,
    .prepare = fb_worst_prepare, /* worst's start: full but for the last frame */
    .avail = fb_avail_unlimited,
    .ops = worst_wrap_ops,
    .reset = fb_reset_none,
};
