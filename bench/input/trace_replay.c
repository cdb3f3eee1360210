/*
 * trace_replay.c: fb_replay_run, the timed half: an array walk over the plan
 * that trace_plan.c built.  The rare paths (a refused alloc, a strategy
 * without runs) are counted, never fatal, so one odd op cannot hide the cost
 * of the other hundred thousand.
 */
#include "trace_replay.h"

/* An address no frame-aligned allocation returns: marks a failed slot. */
#define NO_ADDR UINT64_MAX

fa_err fb_replay_init(const struct fb_replay_plan *plan, const struct fa_ops *ops, void *state, size_t bytes)
{
    return ops->init(state, bytes, plan->base, plan->region_frames);
}

static fa_err alloc_order(const struct fa_ops *ops, void *state, unsigned order, uint64_t *pa)
{
    if (ops->alloc_run)
        return ops->alloc_run(state, UINT64_C(1) << order, order, pa);
    if (order == 0)
        return ops->alloc(state, pa);
    return FA_ENOTSUP;
}

static fa_err free_order(const struct fa_ops *ops, void *state, unsigned order, uint64_t pa)
{
    if (order == 0)
        return ops->free(state, pa);
    if (ops->free_run)
        return ops->free_run(state, pa, UINT64_C(1) << order);
    /* A run without free_run: frame by frame, all must succeed. */
    fa_err e = FA_OK;
    for (uint64_t i = 0; i < (UINT64_C(1) << order) && e == FA_OK; i++)
        e = ops->free(state, pa + i * FA_FRAME_SIZE);
    return e;
}

void fb_replay_run(struct fb_replay_plan *plan, const struct fa_ops *ops, void *state, struct fb_replay_result *r)
{
    *r = (struct fb_replay_result){0};
    uint64_t *addr = plan->addr;
    const struct fb_replay_op *op = plan->ops, *end = plan->ops + plan->nops;
    for (; op < end; op++) {
        if (!op->free) {
            fa_err e = alloc_order(ops, state, op->order, &addr[op->slot]);
            if (e != FA_OK) {
                addr[op->slot] = NO_ADDR;
                r->unsupported += e == FA_ENOTSUP;
                r->failed += e != FA_ENOTSUP;
            }
        } else if (addr[op->slot] == NO_ADDR) {
            r->dropped_frees++;
        } else if (free_order(ops, state, op->order, addr[op->slot]) != FA_OK) {
            r->free_errors++;
        }
    }
}
