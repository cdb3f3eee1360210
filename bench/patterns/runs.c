/* runs: aligned contiguous runs of 2, 8 or 512 frames (512 = a 2 MiB huge
 * page).  A set of held runs is kept; one op frees a random held run and
 * allocates a new one aligned to its size.
 *
 * frag is huge-page fragmentation: that percentage of the whole 2 MiB blocks
 * hold one used frame at a random offset, so a 512-frame run must skip them
 * while small runs still fit almost everywhere.  After the pattern the
 * harness counts the aligned 2 MiB runs still free from its own records of
 * what is allocated (runs_2m_free). */
#include "pattern.h"

#define RUNS_MAX_HELD 64u

static const struct fb_params runs_variants[] = {
    {{2, 0}}, {{2, 50}}, {{8, 0}}, {{8, 50}}, {{512, 0}}, {{512, 50}},
};

static unsigned run_order(uint64_t run) { return (unsigned)__builtin_ctzll(run); }

static uint64_t held_runs(uint64_t nframes, uint64_t run)
{
    uint64_t h = nframes / run / 16;
    return h < 1 ? 1 : h > RUNS_MAX_HELD ? RUNS_MAX_HELD : h;
}

static uint64_t runs_scratch(uint64_t nframes, const struct fb_params *p)
{
    (void)p;
    return nframes / 512 + 2 + RUNS_MAX_HELD;
}

static fa_err runs_prepare(struct fb_work *w)
{
    uint64_t run = w->p.v[0], frag = w->p.v[1], x = w->seed;
    uint64_t pfn0 = w->base >> FA_FRAME_SHIFT;
    fa_err e = fb_work_empty(w);
    w->list_len = 0;
    for (uint64_t b = (pfn0 + 511) / 512; e == FA_OK && b < (pfn0 + w->nframes) / 512; b++) {
        if (fb_splitmix(&x) % 100 >= frag)
            continue;
        uint64_t index = b * 512 + fb_splitmix(&x) % 512 - pfn0;
        e = w->ops->reserve(w->state, fb_pa(w, index), 1);
        w->list[w->list_len++] = (uint32_t)index;
    }
    uint32_t *held = w->list + w->list_len;
    for (uint64_t h = 0; e == FA_OK && h < held_runs(w->nframes, run); h++) {
        uint64_t pa;
        e = w->ops->alloc_run(w->state, run, run_order(run), &pa);
        held[h] = fb_index(w, pa);
    }
    return e;
}

static void runs_ops(struct fb_work *w, uint64_t n)
{
    fa_err (*alloc_run)(void *, uint64_t, unsigned, uint64_t *) = w->ops->alloc_run;
    fa_err (*free_run)(void *, uint64_t, uint64_t) = w->ops->free_run;
    void *st = w->state;
    uint32_t *held = w->list + w->list_len;
    const uint32_t *rnd = w->rnd;
    uint64_t run = w->p.v[0], nheld = held_runs(w->nframes, run), pos = w->rnd_pos;
    unsigned order = run_order(run);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t j = fb_pick(rnd, &pos, nheld), pa;
        fa_err e;
        if ((e = free_run(st, fb_pa(w, held[j]), run)) != FA_OK || (e = alloc_run(st, run, order, &pa)) != FA_OK) {
            w->err = e;
            break;
        }
        held[j] = fb_index(w, pa);
    }
    w->rnd_pos = pos;
}

static uint64_t runs_2m_free(const struct fb_work *w)
{
    return fb_count_2m_free(w, w->list, w->list_len, w->list + w->list_len, held_runs(w->nframes, w->p.v[0]),
                            w->p.v[0]);
}

const struct fb_pattern fb_runs_pattern = {
    .name = "runs",
    .one_op = "one alloc_run + free_run of an aligned run",
    .title = "aligned alloc_run + free_run",
    .keys = {"run", "frag"},
    .variants = runs_variants,
    .figure_variant = 4,
    .figure_text = "512 frames, 0 % fragmented",
    .nvariants = sizeof runs_variants / sizeof runs_variants[0],
    .needs_runs = 1,
    .cycle_ops = fb_cycle_none,
    .scan_share = 0.5,
    .scratch_frames = runs_scratch,
    .prepare = runs_prepare,
    .avail = fb_avail_unlimited,
    .ops = runs_ops,
    .reset = fb_reset_none,
    .runs_2m_free = runs_2m_free,
};
