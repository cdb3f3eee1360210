/* runner.c: see runner.h. */
#include <stdlib.h>

#include "runner.h"
#include "timing.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define FB_HAVE_CALLGRIND 1
#endif
#endif

int fb_callgrind_markers;

__attribute__((noinline)) void fb_measured_ops(const struct fb_pattern *pt, struct fb_work *w,
                                               uint64_t n)
{
#ifdef FB_HAVE_CALLGRIND
    if (fb_callgrind_markers)
        CALLGRIND_START_INSTRUMENTATION;
#endif
    pt->ops(w, n);
#ifdef FB_HAVE_CALLGRIND
    if (fb_callgrind_markers)
        CALLGRIND_STOP_INSTRUMENTATION;
#endif
}

static fa_err refill_if_done(const struct fb_pattern *pt, struct fb_work *w)
{
    return pt->avail(w) == 0 ? pt->reset(w) : FA_OK;
}

double fb_run_ops(const struct fb_pattern *pt, struct fb_work *w, uint64_t n, fa_err *err)
{
    uint64_t on_clock = 0;
    while (n > 0) {
        if ((*err = refill_if_done(pt, w)) != FA_OK)
            return -1;
        uint64_t k = pt->avail(w);
        if (k > n)
            k = n;
        uint64_t t0 = fb_now_ns();
        fb_measured_ops(pt, w, k);
        on_clock += fb_now_ns() - t0;
        if ((*err = w->err) != FA_OK)
            return -1;
        n -= k;
    }
    *err = refill_if_done(pt, w);
    return *err == FA_OK ? (double)on_clock : -1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

fa_err fb_sample_latency(const struct fb_pattern *pt, struct fb_work *w, uint64_t samples,
                         struct fb_latency *out)
{
    uint64_t *ticks = malloc((samples ? samples : 1) * sizeof *ticks);
    if (!ticks)
        return FA_ENOSPACE;
    uint64_t overhead = fb_tick_overhead();
    fa_err e = FA_OK;
    for (uint64_t i = 0; i < samples && e == FA_OK; i++) {
        if ((e = refill_if_done(pt, w)) != FA_OK)
            break;
        uint64_t t0 = fb_ticks_begin();
        pt->ops(w, 1);
        uint64_t t1 = fb_ticks_end();
        ticks[i] = t1 - t0 > overhead ? t1 - t0 - overhead : 0;
        e = w->err;
    }
    if (e == FA_OK)
        e = refill_if_done(pt, w);
    if (e == FA_OK && samples > 0) {
        qsort(ticks, samples, sizeof *ticks, cmp_u64);
        double per_ns = fb_ticks_per_ns();
        out->p50 = (double)ticks[samples / 2] / per_ns;
        out->p99 = (double)ticks[samples - 1 - samples / 100] / per_ns;
        out->max = (double)ticks[samples - 1] / per_ns;
        out->samples = samples;
    }
    free(ticks);
    return e;
}
