/* harness: the churn loop, at every occupancy churn runs, with the allocator
 * calls replaced by inline stand-ins that do nothing.  Its ns per op is what
 * the harness itself costs on the clock: reading the staged op and its slot,
 * and the loop.  The staging (churn.h) is off the clock for both rows alike.
 * fb_null_ops, stand-ins behind fa_ops, lets framebench-run and the matrix
 * treat the row like any other. */
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
static uint64_t null_free_frames(const void *state)
{
    (void)state;
    return 0;
}
static fa_err null_check(const void *state)
{
    (void)state;
    return FA_OK;
}

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

/* The stand-ins do no work of their own: free takes the frame in a
 * register (the harness had to load it), alloc claims to write its result
 * (a real alloc's store is the allocator's work, not the harness's).  The
 * empty asm keeps the compiler from dropping either. */
static inline fa_err inline_alloc(void *state, uint64_t *pa)
{
    (void)state;
    __asm__ volatile("" : "=m"(*pa));
    return FA_OK;
}
static inline fa_err inline_free(void *state, uint64_t pa)
{
    (void)state;
    __asm__ volatile("" : : "r"(pa));
    return FA_OK;
}

static void harness_ops(struct fb_work *w, uint64_t n) { fb_churn_loop(w, n, inline_alloc, inline_free); }

/* Without an allocator the slots never change, so one staged batch is
 * replayed again and again, warmed into L1 as churn warms each new batch:
 * the timed loop reads the same data from the same cache level as churn's,
 * and the row does not spend its run drawing picks that change nothing. */
static fa_err harness_rewind(struct fb_work *w)
{
    struct fb_stage *s = w->stage;
    if (!w->list_len || s->nops == 0)
        return fb_churn_stage(w);
    s->pos = 0;
    fb_churn_warm(s);
    return FA_OK;
}

extern const struct fb_pattern fb_churn_pattern;

const struct fb_pattern fb_harness_pattern = {
    .name = "harness",
    .one_op = "the churn loop (staged ops, every occupancy) without the allocator calls",
    .title = "harness without allocator",
    FB_CHURN_OCCUPANCIES,
    .cycle_ops = fb_cycle_none,
    .scan_share = 0,
    .scratch_frames = fb_churn_scratch,
    .prepare = fb_churn_prepare,
    .avail = fb_churn_avail,
    .ops = harness_ops,
    .reset = harness_rewind,
    .yardstick_of = &fb_churn_pattern,
    .yardstick_ops = &fb_null_ops,
};
