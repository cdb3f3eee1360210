/* churn_walk: churn's op with no random harness traffic, churn's second
 * cross-check.  The used list is shuffled off the clock, then walked in
 * order: op i frees the frame in entry i and allocates into it.  On the
 * clock the harness reads and writes one sequential list entry, which the
 * hardware prefetcher hides, so the allocator's state sees no traffic but
 * its own: what churn's staging must not change (work.h's fb_work_rewarm
 * says why it reads the state back after each batch).  The frees are random used frames, each
 * entry once per pass; each pass is reshuffled.  The picks differ from
 * churn's, so agreement is within noise, not to the op. */
#include "churn.h"

/* Fisher-Yates over the used list, from the cell's seed and pass. */
static void walk_shuffle(struct fb_work *w)
{
    uint64_t x = w->seed ^ UINT64_C(0x3a1c) ^ w->rnd_pos++;
    for (uint64_t i = w->list_len; i > 1; i--) {
        uint64_t j = fb_splitmix(&x) % i;
        uint32_t t = w->list[i - 1];
        w->list[i - 1] = w->list[j];
        w->list[j] = t;
    }
    w->pos = 0;
    fb_work_rewarm(w); /* the shuffle's traffic, undone as churn's staging's is */
}

static fa_err walk_prepare(struct fb_work *w)
{
    fa_err e = fb_work_occupy(w, w->p.v[0]);
    if (e == FA_OK && w->list_len)
        walk_shuffle(w);
    return e;
}

static uint64_t walk_avail(const struct fb_work *w) { return w->list_len ? w->list_len - w->pos : FB_UNLIMITED; }

static fa_err walk_reshuffle(struct fb_work *w)
{
    if (w->list_len)
        walk_shuffle(w);
    return FA_OK;
}

static void walk_ops(struct fb_work *w, uint64_t n)
{
    if (!w->list_len) {
        fb_churn_loop(w, n, w->ops->alloc, w->ops->free);
        return;
    }
    fa_err (*alloc)(void *, uint64_t *) = w->ops->alloc;
    fa_err (*release)(void *, uint64_t) = w->ops->free;
    void *st = w->state;
    uint32_t *entry = w->list + w->pos;
    fa_err e = FA_OK;
    uint64_t i = 0;
    for (; i < n; i++) {
        uint64_t pa;
        if ((e = release(st, fb_pa(w, entry[i]))) != FA_OK || (e = alloc(st, &pa)) != FA_OK)
            break;
        entry[i] = fb_index(w, pa);
    }
    w->pos += i;
    w->err = e;
}

extern const struct fb_pattern fb_churn_pattern;

const struct fb_pattern fb_churn_walk_pattern = {
    .name = "churn_walk",
    .one_op = "churn's op, frees taken from a shuffled used list walked in order: churn's cross-check "
              "with no random harness traffic",
    .title = "churn op, shuffled list walked in order",
    FB_CHURN_OCCUPANCIES,
    .cycle_ops = fb_cycle_none,
    .scan_share = 0.5,
    .scratch_frames = fb_churn_scratch,
    .prepare = walk_prepare,
    .avail = walk_avail,
    .ops = walk_ops,
    .reset = walk_reshuffle,
    .map_ok = 1,
    .crosscheck_of = &fb_churn_pattern,
};
