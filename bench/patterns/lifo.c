/* lifo: allocate a batch of 32 frames, then free them newest first, as a
 * per-CPU page list does.  One op is one alloc or one free.  From empty. */
#include "pattern.h"

#define LIFO_BATCH 32u

static fa_err lifo_prepare(struct fb_work *w)
{
    w->pos = 0;
    return w->list_cap < LIFO_BATCH ? FA_ENOSPACE : fb_work_empty(w);
}

static void lifo_ops(struct fb_work *w, uint64_t n)
{
    fa_err (*alloc)(void *, uint64_t *) = w->ops->alloc;
    fa_err (*release)(void *, uint64_t) = w->ops->free;
    void *st = w->state;
    uint32_t *held = w->list;
    uint64_t pos = w->pos; /* 0..31 allocs, 32..63 frees in reverse */
    for (uint64_t i = 0; i < n; i++) {
        uint64_t pa;
        fa_err e;
        if (pos < LIFO_BATCH) {
            if ((e = alloc(st, &pa)) != FA_OK)
                goto fail;
            held[pos] = fb_index(w, pa);
        } else if ((e = release(st, fb_pa(w, held[2 * LIFO_BATCH - 1 - pos]))) != FA_OK) {
            goto fail;
        }
        pos = (pos + 1) % (2 * LIFO_BATCH);
        continue;
    fail:
        w->err = e;
        return;
    }
    w->pos = pos;
}

static uint64_t lifo_scratch(uint64_t nframes, const struct fb_params *p)
{
    (void)nframes, (void)p;
    return LIFO_BATCH;
}

const struct fb_pattern fb_lifo_pattern = {
    .name = "lifo",
    .one_op = "one alloc or free, in batches of 32 freed in reverse, from empty",
    .title = "alloc or free, batches of 32",
    .cycle_ops = fb_cycle_none,
    .scan_share = 0,
    .scratch_frames = lifo_scratch,
    .prepare = lifo_prepare,
    .avail = fb_avail_unlimited,
    .ops = lifo_ops,
    .reset = fb_reset_none,
    .map_ok = 1,
};
