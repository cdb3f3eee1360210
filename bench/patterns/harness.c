/* harness: the churn loop at 50 % occupancy against an allocator that does
 * nothing (alloc hands back the frame just freed).  Its ns per op is what the
 * harness itself costs: the random pick, the bookkeeping, two indirect calls.
 * It must stay well under the fastest strategy's per-op time. */
#include "churn.h"

struct null_state {
    uint64_t last; /* the frame the last free released */
};

static size_t null_state_size(uint64_t nframes) { return nframes ? sizeof(struct null_state) : 0; }
static fa_err null_init(void *state, size_t bytes, uint64_t base, uint64_t nframes)
{
    (void)bytes, (void)nframes;
    ((struct null_state *)state)->last = base;
    return FA_OK;
}
static fa_err null_alloc(void *state, uint64_t *pa)
{
    *pa = ((struct null_state *)state)->last;
    return FA_OK;
}
static fa_err null_free(void *state, uint64_t pa)
{
    ((struct null_state *)state)->last = pa;
    return FA_OK;
}
static fa_err null_reserve(void *state, uint64_t pa, uint64_t count)
{
    (void)state, (void)pa, (void)count;
    return FA_OK;
}
static uint64_t null_free_frames(const void *state) { (void)state; return 0; }
static fa_err null_check(const void *state) { (void)state; return FA_OK; }

/* Not in fa_strategies: it is no allocator, only the harness's yardstick. */
const struct fa_ops fb_null_ops = {
    .name = "none",
    .summary = "does nothing: measures the benchmark harness",
    .state_size = null_state_size,
    .init = null_init,
    .alloc = null_alloc,
    .free = null_free,
    .reserve = null_reserve,
    .free_frames = null_free_frames,
    .check = null_check,
};

static fa_err harness_prepare(struct fb_work *w)
{
    w->p.v[0] = 500;
    return fb_churn_prepare(w);
}

static uint64_t harness_scratch(uint64_t nframes, const struct fb_params *p)
{
    (void)p;
    return nframes;
}

const struct fb_pattern fb_harness_pattern = {
    .name = "harness",
    .one_op = "the churn loop at 50 % occupancy with an allocator that does nothing",
    .cycle_ops = fb_cycle_none,
    .scan_share = 0,
    .scratch_frames = harness_scratch,
    .prepare = harness_prepare,
    .avail = fb_avail_unlimited,
    .ops = fb_churn_ops,
    .reset = fb_reset_none,
};
