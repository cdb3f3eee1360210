/* runner.c: see runner.h. */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "runner.h"
#include "timing.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define FB_HAVE_CALLGRIND 1
#endif
#endif

int fb_callgrind_markers;

__attribute__((noinline)) void fb_measured_ops(const struct fb_pattern *pt, struct fb_work *w, uint64_t n)
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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Context switches of this (single-threaded) process so far, voluntary or not. */
static long switches(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_nvcsw + ru.ru_nivcsw : 0;
}

int fb_latency_summarise(const double *ns, const unsigned char *switched, uint64_t n, struct fb_latency *out)
{
    memset(out, 0, sizeof *out);
    out->samples = n;
    if (n == 0)
        return 0;
    /* The median first (a gap cannot move it), then mark the gaps. */
    double *sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        return -1;
    memcpy(sorted, ns, n * sizeof *ns);
    qsort(sorted, n, sizeof *sorted, cmp_double);
    double limit = FB_GAP_TIMES_P50 * sorted[n / 2];
    limit = limit > FB_GAP_MIN_NS ? limit : FB_GAP_MIN_NS;
    uint64_t kept = 0;
    for (uint64_t i = 0; i < n; i++) {
        if (ns[i] > limit) {
            out->interrupted++;
            out->preempted += switched[i / FB_LATENCY_BLOCK] != 0;
            out->interrupted_max = ns[i] > out->interrupted_max ? ns[i] : out->interrupted_max;
        } else {
            sorted[kept++] = ns[i];
        }
    }
    qsort(sorted, kept, sizeof *sorted, cmp_double);
    if (kept) {
        out->p50 = sorted[kept / 2];
        out->p99 = sorted[kept - 1 - kept / 100];
        out->p999 = sorted[kept - 1 - kept / 1000];
        out->max = sorted[kept - 1];
    }
    free(sorted);
    return 0;
}

fa_err fb_sample_latency(const struct fb_pattern *pt, struct fb_work *w, uint64_t samples, struct fb_latency *out)
{
    double *ns = malloc((samples ? samples : 1) * sizeof *ns);
    unsigned char *switched = calloc(samples / FB_LATENCY_BLOCK + 1, 1);
    if (!ns || !switched) {
        free(ns);
        free(switched);
        return FA_ENOSPACE;
    }
    uint64_t overhead = fb_tick_overhead();
    double per_ns = fb_ticks_per_ns();
    long cs = switches();
    fa_err e = FA_OK;
    for (uint64_t i = 0; i < samples && e == FA_OK; i++) {
        if ((e = refill_if_done(pt, w)) != FA_OK)
            break;
        uint64_t t0 = fb_ticks_begin();
        pt->ops(w, 1);
        uint64_t t1 = fb_ticks_end();
        ns[i] = (double)(t1 - t0 > overhead ? t1 - t0 - overhead : 0) / per_ns;
        e = w->err;
        if ((i + 1) % FB_LATENCY_BLOCK == 0 || i + 1 == samples) {
            long now = switches();
            switched[i / FB_LATENCY_BLOCK] = now != cs;
            cs = now;
        }
    }
    if (e == FA_OK)
        e = refill_if_done(pt, w);
    if (e == FA_OK && fb_latency_summarise(ns, switched, samples, out) != 0)
        e = FA_ENOSPACE;
    free(ns);
    free(switched);
    return e;
}
