/* trace: replay a real kernel page-allocation trace (bench/input) through the
 * strategy.  The plan is built once per file off the clock; a cycle is the
 * whole replay on a freshly initialised region (fb_replay_init, untimed) and
 * one op is one replayed event, so ns per op is the replay time / plan.nops.
 *
 * What the strategy refused is counted, never fatal (one odd request should
 * not hide the cost of the other hundred thousand): failed allocs, and
 * orders > 0 a strategy without alloc_run cannot serve.  A refused free is a
 * strategy bug and fails the cell. */
#include <stdio.h>
#include <stdlib.h>

#include "pattern.h"
#include "trace_replay.h"

/* w->figure slots: this cycle's counts, then the last whole cycle's. */
enum { NOW_FAILED, NOW_UNSUPPORTED, LAST_FAILED, LAST_UNSUPPORTED };

static int trace_load(struct fb_input *in, char *err, size_t len)
{
    struct fb_replay_plan *plan = calloc(1, sizeof *plan);
    if (!plan || fb_replay_load(in->path, 0, 0, plan, NULL, err, len) != 0) {
        if (!plan)
            snprintf(err, len, "%s: out of memory", in->path);
        free(plan);
        return -1;
    }
    in->data = plan;
    in->base = plan->base;
    in->nframes = plan->region_frames;
    in->cycle_ops = plan->nops;
    return 0;
}

static void trace_unload(struct fb_input *in)
{
    fb_replay_plan_free(in->data);
    free(in->data);
    in->data = NULL;
}

static fa_err trace_reset(struct fb_work *w)
{
    const struct fb_replay_plan *plan = w->in->data;
    w->pos = 0;
    w->cycle_len = plan->nops;
    w->figure[NOW_FAILED] = w->figure[NOW_UNSUPPORTED] = 0;
    return fb_replay_init(plan, w->ops, w->state, w->state_bytes);
}

/* Events [pos, pos + n) of the plan: a view of the plan's ops, so a batch
 * may end anywhere in the trace (the slots' addresses stay in the plan). */
static void trace_ops(struct fb_work *w, uint64_t n)
{
    struct fb_replay_plan part = *(const struct fb_replay_plan *)w->in->data;
    struct fb_replay_result r;
    part.ops += w->pos;
    part.nops = n;
    fb_replay_run(&part, w->ops, w->state, &r);
    w->pos += n;
    w->figure[NOW_FAILED] += (double)r.failed;
    w->figure[NOW_UNSUPPORTED] += (double)r.unsupported;
    if (w->pos == w->cycle_len) {
        w->figure[LAST_FAILED] = w->figure[NOW_FAILED];
        w->figure[LAST_UNSUPPORTED] = w->figure[NOW_UNSUPPORTED];
    }
    if (r.free_errors)
        w->err = FA_EFREE;
}

static size_t trace_figures(const struct fb_work *w, struct fb_figure *out)
{
    const struct fb_replay_plan *plan = w->in->data;
    out[0] = (struct fb_figure){"failed", w->figure[LAST_FAILED]};
    out[1] = (struct fb_figure){"unsupported", w->figure[LAST_UNSUPPORTED]};
    out[2] = (struct fb_figure){"skipped_frees", (double)plan->skipped_frees};
    out[3] = (struct fb_figure){"peak_occupancy", fb_replay_peak_occupancy(plan)};
    return 4;
}

const struct fb_pattern fb_trace_pattern = {
    .name = "trace",
    .one_op = "one replayed event of a real page-allocation trace (--traces DIR, --trace FILE)",
    .title = "replayed trace event",
    .scan_share = 0.5,
    .scratch_frames = fb_scratch_none,
    .prepare = trace_reset,
    .avail = fb_avail_cycle,
    .ops = trace_ops,
    .reset = trace_reset,
    .input_key = "trace",
    .figure_input = "gcc-build", /* the recorded trace, not the hand-written sample */
    .load = trace_load,
    .unload = trace_unload,
    .input_what = "traces the trace pattern replays",
    .input_default = "bench/data/traces",
    .ops_whole_cycles = 1,
    .figures = trace_figures,
};
