#include <stdlib.h>

#include "differ.h"

#define OPS(d) ((d)->fx.ops)

/* Reports a disagreement with the strategy, size, base and step. */
#define AGREE(d, cond, ...)                                                                                            \
    do {                                                                                                               \
        int ok_ = (cond);                                                                                              \
        EXPECT(ok_, __VA_ARGS__);                                                                                      \
        if (!ok_ && !(d)->first_fail)                                                                                  \
            (d)->first_fail = (d)->nlog ? (d)->nlog : 1;                                                               \
        if (!ok_ && (d)->fails++ < 5 && !check_quiet)                                                                  \
            fprintf(stderr, "  at %s n=%llu base=%#llx step %lu\n", OPS(d)->name, (unsigned long long)(d)->fx.nframes, \
                    (unsigned long long)(d)->fx.base, (d)->step);                                                      \
    } while (0)

void differ_open(struct differ *d, const struct fa_ops *ops, const struct traits *t, uint64_t base, uint64_t nframes)
{
    fixture_open(&d->fx, ops, base, nframes);
    model_init(&d->model, base, nframes);
    d->traits = t;
    d->step = d->fails = 0;
    d->log = NULL;
    d->nlog = d->cap = d->first_fail = 0;
}

void differ_close(struct differ *d)
{
    fixture_close(&d->fx);
    model_destroy(&d->model);
    free(d->log);
    d->log = NULL;
}

void differ_record(struct differ *d)
{
    d->cap = 1024;
    d->log = malloc(d->cap * sizeof *d->log);
    if (!d->log)
        exit(2);
}

static void note(struct differ *d, enum differ_kind kind, uint64_t a, uint64_t b)
{
    if (!d->log)
        return;
    if (d->nlog == d->cap) {
        struct differ_call *p = realloc(d->log, 2 * d->cap * sizeof *p);
        if (!p)
            exit(2);
        d->log = p, d->cap *= 2;
    }
    d->log[d->nlog++] = (struct differ_call){kind, a, b};
}

void differ_apply(struct differ *d, const struct differ_call *c)
{
    switch (c->kind) {
    case DIFFER_ALLOC: differ_alloc(d); break;
    case DIFFER_ALLOC_RUN: differ_alloc_run(d, c->a, (unsigned)c->b); break;
    case DIFFER_FREE: differ_free(d, c->a, c->b); break;
    case DIFFER_RESERVE: differ_reserve(d, c->a, c->b); break;
    }
}

void differ_call_text(const struct differ_call *c, char *buf, size_t len)
{
    switch (c->kind) {
    case DIFFER_ALLOC: snprintf(buf, len, "alloc()"); break;
    case DIFFER_ALLOC_RUN:
        snprintf(buf, len, "alloc_run(%llu, %llu)", (unsigned long long)c->a, (unsigned long long)c->b);
        break;
    case DIFFER_FREE:
        if (c->b == 1)
            snprintf(buf, len, "free(%#llx)", (unsigned long long)c->a);
        else
            snprintf(buf, len, "free_run(%#llx, %llu)", (unsigned long long)c->a, (unsigned long long)c->b);
        break;
    case DIFFER_RESERVE:
        snprintf(buf, len, "reserve(%#llx, %llu)", (unsigned long long)c->a, (unsigned long long)c->b);
        break;
    }
}

/* After every operation: the counters agree and the invariants hold. */
static void settle(struct differ *d)
{
    uint64_t got = OPS(d)->free_frames(d->fx.state);
    AGREE(d, got == d->model.nfree, "free_frames %llu, model %llu", (unsigned long long)got,
          (unsigned long long)d->model.nfree);
    AGREE(d, OPS(d)->check(d->fx.state) == FA_OK, "check fails");
    d->step++;
}

/* The run a buddy allocator must find: 2^k frames at 2^k alignment. */
static void buddy_shape(uint64_t *count, unsigned *order)
{
    unsigned k = 0;
    while ((UINT64_C(1) << k) < *count)
        k++;
    if (k > *order)
        *order = k;
    *count = UINT64_C(1) << *order;
}

/* Checks an alloc_run result against the model and records it there. */
static void judge_run(struct differ *d, fa_err e, uint64_t pa, uint64_t count, unsigned order)
{
    if (e == FA_OK) {
        AGREE(d, model_run_fits(&d->model, pa, count, order), "alloc_run(%llu, %u) gave %#llx: not a free aligned run",
              (unsigned long long)count, order, (unsigned long long)pa);
        if (d->traits->lowest_first_runs || (count == 1 && order == 0 && d->traits->lowest_first)) {
            uint64_t want = model_first_fit(&d->model, count, order);
            AGREE(d, pa == want, "alloc_run(%llu, %u) gave %#llx, lowest fit is %#llx", (unsigned long long)count,
                  order, (unsigned long long)pa, (unsigned long long)want);
        }
        if (d->traits->buddy_runs && count <= d->fx.nframes && order <= FA_MAX_ALIGN_ORDER) {
            uint64_t block = count;
            unsigned block_order = order;
            buddy_shape(&block, &block_order);
            AGREE(d, (pa / FA_FRAME_SIZE) % block == 0, "alloc_run(%llu, %u) gave %#llx: not on a 2^%u block",
                  (unsigned long long)count, order, (unsigned long long)pa, block_order);
        }
        if (model_run_fits(&d->model, pa, count, order))
            model_mark(&d->model, pa, count, 1);
        return;
    }
    uint64_t fit_count = count;
    unsigned fit_order = order;
    if (d->traits->buddy_runs && order <= FA_MAX_ALIGN_ORDER && count > 0 && count <= d->fx.nframes)
        buddy_shape(&fit_count, &fit_order);
    fa_err want = (count == 0 || order > FA_MAX_ALIGN_ORDER) ? FA_EINVAL : FA_ENOMEM;
    AGREE(d, e == want, "alloc_run(%llu, %u) gave '%s', want '%s'", (unsigned long long)count, order, fa_strerror(e),
          fa_strerror(want));
    if (want == FA_ENOMEM && !traits_run_too_large(d->traits, count, order))
        AGREE(d, model_first_fit(&d->model, fit_count, fit_order) == UINT64_MAX,
              "alloc_run(%llu, %u) said no memory, but a run fits", (unsigned long long)count, order);
    AGREE(d, fixture_unchanged(&d->fx), "a refused alloc_run changed the state");
}

void differ_alloc(struct differ *d)
{
    note(d, DIFFER_ALLOC, 0, 0);
    uint64_t pa = 0;
    fixture_snap(&d->fx);
    fa_err e = OPS(d)->alloc(d->fx.state, &pa); /* before judge_run reads pa */
    judge_run(d, e, pa, 1, 0);
    settle(d);
}

void differ_alloc_run(struct differ *d, uint64_t count, unsigned align_order)
{
    if (!OPS(d)->alloc_run)
        return;
    note(d, DIFFER_ALLOC_RUN, count, align_order);
    uint64_t pa = 0;
    fixture_snap(&d->fx);
    fa_err e = OPS(d)->alloc_run(d->fx.state, count, align_order, &pa);
    judge_run(d, e, pa, count, align_order);
    settle(d);
}

/* Applies a free or reserve whose outcome the model decides. */
static void mutate(struct differ *d, fa_err got, fa_err want, const char *what, uint64_t pa, uint64_t count, int used)
{
    AGREE(d, got == want, "%s(%#llx, %llu) gave '%s', want '%s'", what, (unsigned long long)pa,
          (unsigned long long)count, fa_strerror(got), fa_strerror(want));
    if (got == FA_OK && want == FA_OK)
        model_mark(&d->model, pa, count, used);
    if (got != FA_OK)
        AGREE(d, fixture_unchanged(&d->fx), "a refused %s changed the state", what);
    settle(d);
}

void differ_free(struct differ *d, uint64_t pa, uint64_t count)
{
    if (count > 1 && !OPS(d)->free_run) /* optional: then one frame */
        count = 1;
    note(d, DIFFER_FREE, pa, count);
    fa_err want = model_free_run_err(&d->model, pa, count);
    fixture_snap(&d->fx);
    if (count == 1)
        mutate(d, OPS(d)->free(d->fx.state, pa), want, "free", pa, 1, 0);
    else
        mutate(d, OPS(d)->free_run(d->fx.state, pa, count), want, "free_run", pa, count, 0);
}

void differ_reserve(struct differ *d, uint64_t pa, uint64_t count)
{
    note(d, DIFFER_RESERVE, pa, count);
    fa_err want = model_reserve_err(&d->model, pa, count);
    fixture_snap(&d->fx);
    mutate(d, OPS(d)->reserve(d->fx.state, pa, count), want, "reserve", pa, count, 1);
}
