#include "diff_step.h"

#include <stdio.h>

void diff_open(struct diff *d, const struct fa_ops *ops, uint64_t base, uint64_t nframes)
{
    d->t = traits_of(ops);
    if (!d->t)
        exit(1);
    fixture_open(&d->fx, ops, base, nframes);
    model_init(&d->m, base, nframes);
}

void diff_close(struct diff *d)
{
    fixture_close(&d->fx);
    model_destroy(&d->m);
}

void diff_describe(const struct diff_op *op, char *buf, size_t size)
{
    unsigned long long pa = op->pa, count = op->count;
    switch (op->kind) {
    case DIFF_ALLOC: snprintf(buf, size, "alloc()"); return;
    case DIFF_ALLOC_RUN: snprintf(buf, size, "alloc_run(count=%llu, order=%u)", count, op->order); return;
    case DIFF_FREE: snprintf(buf, size, "free(%#llx)", pa); return;
    case DIFF_FREE_RUN: snprintf(buf, size, "free_run(%#llx, %llu)", pa, count); return;
    case DIFF_RESERVE: snprintf(buf, size, "reserve(%#llx, %llu)", pa, count); return;
    }
    snprintf(buf, size, "unknown op %d", (int)op->kind);
}

/* The order a buddy_runs strategy rounds a run up to; 64 when no block that
 * large can exist. */
static unsigned buddy_order(uint64_t count, unsigned order)
{
    unsigned k = 0;
    while (k < 64 && (UINT64_C(1) << k) < count)
        k++;
    return k > order ? k : order;
}

/* Why the strategy's answer to alloc_run(count, order) disagrees with the
 * model, or NULL when it agrees (the model is not yet updated). */
static const char *judge_run(const struct diff *d, const struct diff_op *op, fa_err got, uint64_t pa)
{
    uint64_t count = op->kind == DIFF_ALLOC ? 1 : op->count;
    unsigned order = op->kind == DIFF_ALLOC ? 0 : op->order;
    const struct model *m = &d->m;
    if (count == 0 || order > FA_MAX_ALIGN_ORDER)
        return got == FA_EINVAL ? NULL : "want FA_EINVAL";
    unsigned k = d->t->buddy_runs ? buddy_order(count, order) : order;
    if (got == FA_ENOMEM) {
        if (count > m->nframes || k >= 64)
            return NULL;
        if (d->t->buddy_runs)
            return model_first_fit(m, UINT64_C(1) << k, k) == UINT64_MAX
                       ? NULL
                       : "FA_ENOMEM but the model has a free naturally aligned block";
        return model_first_fit(m, count, order) == UINT64_MAX ? NULL : "FA_ENOMEM but the model has a fit";
    }
    if (got != FA_OK)
        return "unexpected error";
    if (!model_run_fits(m, pa, count, order))
        return "run not free in the model, outside the region or misaligned";
    if (k < 64 && (pa / FA_FRAME_SIZE) % (UINT64_C(1) << k) != 0)
        return "run not aligned to its buddy block";
    if (op->kind == DIFF_ALLOC_RUN && d->t->lowest_first_runs && pa != model_first_fit(m, count, order))
        return "not the lowest fit";
    if (op->kind == DIFF_ALLOC && d->t->lowest_first && pa != model_first_fit(m, 1, 0))
        return "not the lowest free frame";
    return NULL;
}

static fa_err model_err(const struct model *m, const struct diff_op *op)
{
    switch (op->kind) {
    case DIFF_FREE: return model_free_run_err(m, op->pa, 1);
    case DIFF_FREE_RUN: return model_free_run_err(m, op->pa, op->count);
    case DIFF_RESERVE: return model_reserve_err(m, op->pa, op->count);
    default: return FA_OK;
    }
}

static fa_err call(const struct fa_ops *ops, void *s, const struct diff_op *op, uint64_t *pa)
{
    switch (op->kind) {
    case DIFF_ALLOC: return ops->alloc(s, pa);
    case DIFF_ALLOC_RUN: return ops->alloc_run(s, op->count, op->order, pa);
    case DIFF_FREE: return ops->free(s, op->pa);
    case DIFF_FREE_RUN: return ops->free_run(s, op->pa, op->count);
    case DIFF_RESERVE: return ops->reserve(s, op->pa, op->count);
    }
    return FA_ENOTSUP;
}

static int disagree(const struct diff *d, const struct diff_op *op, fa_err got, uint64_t pa, const char *why)
{
    char what[96];
    diff_describe(op, what, sizeof what);
    fprintf(stderr, "%s n=%llu base=%#llx: %s gave '%s' pa=%#llx: %s\n", d->fx.ops->name,
            (unsigned long long)d->fx.nframes, (unsigned long long)d->fx.base, what, fa_strerror(got),
            (unsigned long long)pa, why);
    return 0;
}

int diff_apply(struct diff *d, const struct diff_op *op, uint64_t *pa_out)
{
    const struct fa_ops *ops = d->fx.ops;
    if (op->kind == DIFF_ALLOC_RUN && !ops->alloc_run)
        return 1;
    uint64_t pa = UINT64_MAX;
    fixture_snap(&d->fx);
    fa_err got = call(ops, d->fx.state, op, &pa);

    const char *why = NULL;
    char want_msg[64];
    if (op->kind == DIFF_ALLOC || op->kind == DIFF_ALLOC_RUN) {
        why = judge_run(d, op, got, pa);
        if (!why && got == FA_OK)
            model_mark(&d->m, pa, op->kind == DIFF_ALLOC ? 1 : op->count, 1);
    } else {
        fa_err want = model_err(&d->m, op);
        if (got != want) {
            snprintf(want_msg, sizeof want_msg, "the model wants '%s'", fa_strerror(want));
            why = want_msg;
        } else if (got == FA_OK)
            model_mark(&d->m, op->pa, op->kind == DIFF_FREE ? 1 : op->count, op->kind == DIFF_RESERVE);
    }
    if (why)
        return disagree(d, op, got, pa, why);
    if (got != FA_OK && !fixture_unchanged(&d->fx))
        return disagree(d, op, got, pa, "refused but changed the state");
    if (ops->free_frames(d->fx.state) != d->m.nfree)
        return disagree(d, op, got, pa, "free_frames differs from the model");
    if (ops->check(d->fx.state) != FA_OK)
        return disagree(d, op, got, pa, "check fails after it");
    if (pa_out && got == FA_OK)
        *pa_out = pa;
    return 1;
}
