/* churn.h: the churn loop, shared with the harness row. */
#ifndef FB_CHURN_H
#define FB_CHURN_H

#include "pattern.h"

fa_err fb_churn_prepare(struct fb_work *w);
uint64_t fb_churn_scratch(uint64_t nframes, const struct fb_params *p);
void fb_churn_ops(struct fb_work *w, uint64_t n);

/* The churn loop itself, written once.  churn passes the strategy's own
 * functions; the harness row passes inline stand-ins, which the compiler
 * inlines, so the harness times everything but the allocator calls. */
static inline __attribute__((always_inline)) void
fb_churn_loop(struct fb_work *w, uint64_t n, fa_err (*alloc)(void *, uint64_t *),
              fa_err (*release)(void *, uint64_t))
{
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
uint64_t fb_churn_runs_2m_free(const struct fb_work *w);

#endif
