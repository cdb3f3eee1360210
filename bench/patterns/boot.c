/* boot: what a kernel pays at boot, from a real firmware memory map
 * (bench/input): initialise the strategy from the map (fa_init_ranges: init
 * over the span, reserve the holes), then fill every usable frame.  One
 * cycle is init plus fill, both timed; one op is one usable frame, so ns per
 * op is (init + fill) / usable frames.  The init alone is reported too
 * (init_ns): it is what every strategy pays, fill or not.
 *
 * A fill of millions of frames by a strategy that searches from the start is
 * quadratic; where the cost model puts that over the budget, the cycle is
 * the init alone (w->cheap_cycle) and the row says so (fill_skipped). */
#include <stdio.h>
#include <stdlib.h>

#include "memmap_read.h"
#include "pattern.h"
#include "timing.h"

enum { INIT_NS };

static int boot_load(struct fb_input *in, char *err, size_t len)
{
    struct fb_memmap *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, len, "%s: out of memory", in->path);
        return -1;
    }
    if (fb_memmap_read(in->path, m, err, len) != 0) {
        free(m);
        return -1;
    }
    fa_err e = fa_ranges_span(m->ranges, m->count, &in->base, &in->nframes);
    if (e != FA_OK || in->nframes > UINT32_MAX) {
        snprintf(err, len, "%s: %s", in->path, e != FA_OK ? "no usable frame in the map" : "span over 2^32 frames");
        fb_memmap_free(m);
        free(m);
        return -1;
    }
    in->data = m;
    in->cycle_ops = m->usable_frames;
    in->ranges = m->ranges;
    in->nranges = m->count;
    return 0;
}

static void boot_unload(struct fb_input *in)
{
    fb_memmap_free(in->data);
    free(in->data);
    in->data = NULL;
}

static fa_err boot_reset(struct fb_work *w)
{
    const struct fb_memmap *m = w->in->data;
    w->pos = 0;
    w->cycle_len = m->usable_frames;
    return FA_OK; /* the timed init starts each cycle */
}

/* Off the clock, once per cell: an init from the map must leave exactly the
 * usable frames free, or the timed init measures something else. */
static fa_err boot_prepare(struct fb_work *w)
{
    const struct fb_memmap *m = w->in->data;
    boot_reset(w);
    fa_err e = fa_init_ranges(w->ops, w->state, w->state_bytes, m->ranges, m->count);
    uint64_t got = e == FA_OK ? w->ops->free_frames(w->state) : 0;
    if (e == FA_OK && got != m->usable_frames) {
        snprintf(w->why, sizeof w->why, "map %.40s: free_frames %llu after init from it, %llu usable", w->in->stem,
                 (unsigned long long)got, (unsigned long long)m->usable_frames);
        e = FA_EINVAL;
    }
    return e;
}

static void boot_ops(struct fb_work *w, uint64_t n)
{
    if (w->pos == 0) {
        const struct fb_memmap *m = w->in->data;
        uint64_t t0 = fb_now_ns();
        fa_err e = fa_init_ranges(w->ops, w->state, w->state_bytes, m->ranges, m->count);
        w->figure[INIT_NS] = (double)(fb_now_ns() - t0);
        if (e != FA_OK) {
            w->err = e;
            return;
        }
    }
    if (w->cheap_cycle)
        w->pos += n;
    else
        fb_alloc_n(w, n);
}

static size_t boot_figures(const struct fb_work *w, struct fb_figure *out)
{
    out[0] = (struct fb_figure){"init_ns", w->figure[INIT_NS]};
    return 1;
}

static size_t boot_input_figures(const struct fb_input *in, struct fb_figure *out)
{
    const struct fb_memmap *m = in->data;
    out[0] = (struct fb_figure){"map_base", (double)in->base};
    out[1] = (struct fb_figure){"usable_frames", (double)m->usable_frames};
    return 2;
}

const struct fb_pattern fb_boot_pattern = {
    .name = "boot",
    .one_op = "one usable frame of init-from-map plus fill (--maps DIR, --map FILE)",
    .title = "frame of init-from-map + fill",
    .scan_share = 0.5,
    .scratch_frames = fb_scratch_none,
    .prepare = boot_prepare,
    .avail = fb_avail_cycle,
    .ops = boot_ops,
    .reset = boot_reset,
    .input_key = "map",
    .load = boot_load,
    .unload = boot_unload,
    .input_what = "memory maps the boot pattern starts from",
    .input_default = "bench/data/maps/e820-vm-6g.dmesg.txt",
    .input_figures = boot_input_figures,
    .figures = boot_figures,
    .cheap_when_over_budget = 1,
};
