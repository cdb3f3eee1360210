/* harness: the churn loop at 50 % occupancy with the allocator calls
 * replaced by inline stand-ins (alloc hands back the frame just freed).  Its
 * ns per op is what the harness itself costs: the random pick and the
 * bookkeeping, everything but the calls.  It must stay well under the
 * fastest strategy's per-op time.  fb_null_ops, the same stand-ins behind
 * fa_ops, lets framebench-run and the matrix treat the row like any other. */
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

/* The empty asm hides the frame's value from the optimiser, so the loop
 * still does the bookkeeping a real alloc's unknown result needs. */
static inline fa_err inline_alloc(void *state, uint64_t *pa)
{
    uint64_t v = ((struct null_state *)state)->last;
    __asm__("" : "+r"(v));
    *pa = v;
    return FA_OK;
}
static inline fa_err inline_free(void *state, uint64_t pa) { return null_free(state, pa); }

static void harness_ops(struct fb_work *w, uint64_t n) { fb_churn_loop(w, n, inline_alloc, inline_free); }

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
    .one_op = "the churn loop at 50 % occupancy without the allocator calls",
    .cycle_ops = fb_cycle_none,
    .scan_share = 0,
    .scratch_frames = harness_scratch,
    .prepare = harness_prepare,
    .avail = fb_avail_unlimited,
    .ops = harness_ops,
    .reset = fb_reset_none,
};
