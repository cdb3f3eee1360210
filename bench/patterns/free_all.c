/* free_all: free every frame of a full map in one random order (the same
 * permutation each cycle); the map is refilled off the clock. */
#include "pattern.h"

static fa_err free_all_reset(struct fb_work *w)
{
    w->pos = 0;
    return fb_work_full(w);
}

static fa_err free_all_prepare(struct fb_work *w)
{
    if (w->list_cap < w->nframes)
        return FA_ENOSPACE;
    uint64_t x = w->seed;
    for (uint64_t i = 0; i < w->nframes; i++)
        w->list[i] = (uint32_t)i;
    for (uint64_t i = w->nframes - 1; i > 0; i--) { /* Fisher-Yates */
        uint64_t j = fb_splitmix(&x) % (i + 1);
        uint32_t t = w->list[i];
        w->list[i] = w->list[j];
        w->list[j] = t;
    }
    w->list_len = w->cycle_len = w->nframes;
    return free_all_reset(w);
}

static void free_all_ops(struct fb_work *w, uint64_t n)
{
    fa_err (*release)(void *, uint64_t) = w->ops->free;
    void *st = w->state;
    const uint32_t *order = w->list + w->pos;
    for (uint64_t i = 0; i < n; i++) {
        fa_err e = release(st, fb_pa(w, order[i]));
        if (e != FA_OK) {
            w->err = e;
            return;
        }
    }
    w->pos += n;
}

const struct fb_pattern fb_free_all_pattern = {
    .name = "free_all",
    .one_op = "one free, random order, from full",
    .title = "free, random order",
    .cycle_ops = fb_cycle_all,
    .scan_share = 0,
    .scratch_frames = fb_scratch_all,
    .prepare = free_all_prepare,
    .avail = fb_avail_cycle,
    .ops = free_all_ops,
    .reset = free_all_reset,
};
