/* churn_recorded: churn's ops measured by a second, independent method.
 * Off the clock a batch of churn ops runs for real (the same picks from the
 * same position as churn's staging draws), recording the frame each op
 * frees and the frame its alloc returns; then the allocator state is put
 * back from a copy made before, to the same address (so this holds even for
 * a state that points into itself; the copy is never used as a state).  On
 * the clock the batch is replayed from those sequential arrays: free the
 * recorded frame, alloc into the next result slot.  The next recording
 * first checks the replay got exactly the recorded frames, so a strategy
 * that is not deterministic fails the cell instead of timing other work.
 * Where churn and churn_recorded disagree by more than the noise, one of
 * them is timing something other than the allocator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "churn.h"

#define REC_MIN 4096u
#define REC_MAX 65536u

struct rec {
    uint64_t n, pos, replayed;   /* ops recorded, replayed so far, replayed in all */
    uint64_t *addr, *got, *want; /* per op: frame freed, alloc'd on the clock, recorded */
    void *copy;                  /* the state before the batch */
};

/* Ops per batch: enough that the two state copies (off the clock) are
 * paid per many ops, few enough that the arrays stay near the cache. */
static uint64_t rec_ops(size_t state_bytes)
{
    uint64_t n = state_bytes / 256;
    return n < REC_MIN ? REC_MIN : n > REC_MAX ? REC_MAX : n;
}

static fa_err rec_prepare(struct fb_work *w)
{
    fa_err e = fb_work_occupy(w, w->p.v[0]);
    if (e != FA_OK || w->list_len == 0)
        return e;
    uint64_t n = rec_ops(w->state_bytes);
    size_t bytes = sizeof(struct rec) + 3 * n * sizeof(uint64_t) + FA_STATE_ALIGN + w->state_bytes;
    free(w->stage);
    struct rec *r = w->stage = fb_big_alloc(bytes);
    if (!r)
        return FA_ENOSPACE;
    r->addr = (uint64_t *)(r + 1);
    r->got = r->addr + n;
    r->want = r->got + n;
    uintptr_t end = (uintptr_t)(r->want + n);
    r->copy = (void *)((end + FA_STATE_ALIGN - 1) / FA_STATE_ALIGN * FA_STATE_ALIGN);
    r->n = r->pos = n; /* nothing recorded yet: the first reset records */
    r->replayed = 0;
    fb_work_warm(w); /* as churn's prepare: both start alike */
    return FA_OK;
}

static uint64_t rec_avail(const struct fb_work *w)
{
    const struct rec *r = w->stage;
    return w->list_len ? r->n - r->pos : FB_UNLIMITED;
}

/* Checks the batch just replayed, then records the next one. */
static fa_err rec_record(struct fb_work *w)
{
    struct rec *r = w->stage;
    if (!w->list_len)
        return FA_OK;
    if (r->replayed && memcmp(r->got, r->want, r->n * sizeof *r->got) != 0) {
        snprintf(w->why, sizeof w->why,
                 "the replay allocated other frames than its recording: "
                 "the strategy is not deterministic");
        return FA_EINVAL;
    }
    memcpy(r->copy, w->state, w->state_bytes);
    uint64_t ahead = w->rnd_pos; /* prefetch the list reads (off the clock: a shorter run) */
    for (unsigned k = 0; k < FB_STAGE_AHEAD; k++)
        __builtin_prefetch(&w->list[fb_pick(w->rnd, &ahead, w->list_len)]);
    for (uint64_t i = 0; i < r->n; i++) {
        __builtin_prefetch(&w->list[fb_pick(w->rnd, &ahead, w->list_len)]);
        uint64_t j = fb_pick(w->rnd, &w->rnd_pos, w->list_len);
        fa_err e;
        r->addr[i] = fb_pa(w, w->list[j]);
        if ((e = w->ops->free(w->state, r->addr[i])) != FA_OK || (e = w->ops->alloc(w->state, &r->want[i])) != FA_OK)
            return e;
        w->list[j] = fb_index(w, r->want[i]);
    }
    memcpy(w->state, r->copy, w->state_bytes);
    r->pos = 0;
    return FA_OK;
}

static void rec_ops_loop(struct fb_work *w, uint64_t n)
{
    if (!w->list_len) {
        fb_churn_loop(w, n, w->ops->alloc, w->ops->free);
        return;
    }
    fa_err (*alloc)(void *, uint64_t *) = w->ops->alloc;
    fa_err (*release)(void *, uint64_t) = w->ops->free;
    struct rec *r = w->stage;
    void *st = w->state;
    const uint64_t *addr = r->addr + r->pos;
    uint64_t *got = r->got + r->pos;
    fa_err e = FA_OK;
    uint64_t i = 0;
    for (; i < n; i++)
        if ((e = release(st, addr[i])) != FA_OK || (e = alloc(st, &got[i])) != FA_OK)
            break;
    r->pos += i;
    r->replayed += i;
    w->err = e;
}

extern const struct fb_pattern fb_churn_pattern;

const struct fb_pattern fb_churn_recorded_pattern = {
    .name = "churn_recorded",
    .one_op = "churn's op recorded off the clock, replayed from sequential arrays: churn's cross-check",
    .title = "churn op, recorded and replayed",
    FB_CHURN_OCCUPANCIES,
    .latency_default = 1, /* as churn: the same ops between repetitions */
    .cycle_ops = fb_cycle_none,
    .scan_share = 0.5,
    .scratch_frames = fb_churn_scratch,
    .prepare = rec_prepare,
    .avail = rec_avail,
    .ops = rec_ops_loop,
    .reset = rec_record,
    .map_ok = 1,
    .crosscheck_of = &fb_churn_pattern,
};
