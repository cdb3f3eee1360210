/* churn_calls: churn's staged loop and churn_recorded's replay make exactly
 * the allocator calls of the plain live loop (pick, free that used frame,
 * alloc into its place), in the same order, at every occupancy, on small
 * regions where picks repeat within a batch.  Each strategy is wrapped in
 * an fa_ops that logs every call made on the clock (inside pt->ops). */
#include <stdio.h>
#include <stdlib.h>

#include "churn.h"
#include "runner.h"

#define OPS 5000u /* more than two staged batches */

struct call {
    char kind; /* 'a' alloc, 'f' free */
    uint64_t pa;
};

static const struct fa_ops *inner;
static struct call *log_buf;
static size_t log_len, log_cap;
static int on_clock;

static void note(char kind, uint64_t pa)
{
    if (on_clock && log_len < log_cap)
        log_buf[log_len++] = (struct call){kind, pa};
}
static size_t w_size(uint64_t n) { return inner->state_size(n); }
static fa_err w_init(void *s, size_t b, uint64_t base, uint64_t n) { return inner->init(s, b, base, n); }
static fa_err w_alloc(void *s, uint64_t *pa)
{
    fa_err e = inner->alloc(s, pa);
    note('a', e == FA_OK ? *pa : ~0ull);
    return e;
}
static fa_err w_free(void *s, uint64_t pa)
{
    note('f', pa);
    return inner->free(s, pa);
}
static fa_err w_reserve(void *s, uint64_t pa, uint64_t n) { return inner->reserve(s, pa, n); }
static uint64_t w_free_frames(const void *s) { return inner->free_frames(s); }
static fa_err w_check(const void *s) { return inner->check(s); }
static const struct fa_ops logged = {
    .name = "logged",
    .summary = "logs calls",
    .state_size = w_size,
    .init = w_init,
    .alloc = w_alloc,
    .free = w_free,
    .reserve = w_reserve,
    .free_frames = w_free_frames,
    .check = w_check,
};

/* The reference: the live loop as churn was first written. */
static void live_ops(struct fb_work *w, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        uint64_t pa;
        if (w->list_len == 0) {
            if (w->ops->alloc(w->state, &pa) == FA_OK)
                w->ops->free(w->state, pa);
            continue;
        }
        uint64_t j = fb_pick(w->rnd, &w->rnd_pos, w->list_len);
        w->ops->free(w->state, fb_pa(w, w->list[j]));
        if (w->ops->alloc(w->state, &pa) == FA_OK)
            w->list[j] = fb_index(w, pa);
    }
}

/* The calls of OPS ops, driven in uneven chunks as the timer does. */
static size_t record(const struct fb_pattern *pt, void (*ops)(struct fb_work *, uint64_t), uint64_t frames,
                     const struct fb_params *p, struct call *out)
{
    struct fb_work w;
    struct fb_work_spec spec = {.pattern = pt, .ops = &logged, .nframes = frames, .p = *p, .seed = 7};
    if (fb_work_open(&w, &spec) != FA_OK || pt->prepare(&w) != FA_OK) {
        fprintf(stderr, "churn_calls: setup of %s failed\n", pt->name);
        exit(1);
    }
    log_buf = out, log_len = 0, log_cap = 4 * OPS;
    uint64_t done = 0, chunk = 1;
    while (done < OPS) {
        if (pt->avail(&w) == 0 && pt->reset(&w) != FA_OK) {
            fprintf(stderr, "churn_calls: %s reset failed: %s\n", pt->name, w.why);
            exit(1);
        }
        uint64_t k = pt->avail(&w);
        k = k < chunk ? k : chunk;
        k = k < OPS - done ? k : OPS - done;
        on_clock = 1;
        ops(&w, k);
        on_clock = 0;
        if (w.err != FA_OK) {
            fprintf(stderr, "churn_calls: %s ops failed\n", pt->name);
            exit(1);
        }
        done += k;
        chunk = chunk * 3 % 997 + 1;
    }
    if (w.ops->check(w.state) != FA_OK) {
        fprintf(stderr, "churn_calls: %s: check failed\n", pt->name);
        exit(1);
    }
    fb_work_close(&w);
    return log_len;
}

extern const struct fb_pattern fb_churn_pattern, fb_churn_recorded_pattern;

int main(void)
{
    static struct call want[4 * OPS], got[4 * OPS];
    const uint64_t sizes[] = {1024, 4096};
    int failed = 0, compared = 0;
    const struct fb_pattern *const pts[] = {&fb_churn_pattern, &fb_churn_recorded_pattern};
    /* The live loop draws its picks itself: nothing staged before it. */
    struct fb_pattern live = fb_churn_pattern;
    live.avail = fb_avail_unlimited;
    live.reset = fb_reset_none;
    for (const struct fa_ops *const *s = fa_strategies; *s; s++) {
        inner = *s;
        for (size_t z = 0; z < 2; z++)
            for (size_t v = 0; v < FB_CHURN_NVARIANTS; v++) {
                const struct fb_params *p = &fb_churn_variants[v];
                size_t nw = record(&live, live_ops, sizes[z], p, want);
                for (size_t k = 0; k < 2; k++) {
                    size_t ng = record(pts[k], pts[k]->ops, sizes[z], p, got);
                    compared++;
                    /* Field by field: the struct's padding is not compared. */
                    size_t i = 0;
                    while (i < nw && i < ng && got[i].kind == want[i].kind && got[i].pa == want[i].pa)
                        i++;
                    if (ng != nw || i != nw) {
                        printf("FAIL %s %s frames:%llu occupancy:%u: call %zu of %zu differs\n", pts[k]->name,
                               inner->name, (unsigned long long)sizes[z], p->v[0], i, nw);
                        failed++;
                    }
                }
            }
    }
    printf("%s: %d of %d call sequences match the live loop\n", failed ? "FAIL" : "ok", compared - failed, compared);
    return failed != 0;
}
