/*
 * runner.h: drives a pattern: timed ops with resets off the clock, and the
 * per-op latency sampler.  framebench and framebench-run both use it.
 */
#ifndef FB_RUNNER_H
#define FB_RUNNER_H

#include "pattern.h"

/* Set by framebench-run: callgrind instrumentation markers around each
 * measured segment (no-ops outside valgrind). */
extern int fb_callgrind_markers;

/* Exactly n ops of the pattern; only the allocator's work between resets is
 * on the clock.  Returns the nanoseconds on the clock, or -1 with *err set
 * (an allocator error in the ops or in a reset). */
double fb_run_ops(const struct fb_pattern *pt, struct fb_work *w, uint64_t n, fa_err *err);

/* The measured segment: pt->ops(w, n) and nothing else.  Never inlined, so
 * `valgrind --tool=callgrind --toggle-collect=fb_measured_ops` counts exactly
 * the allocator's work and the loop around it. */
void fb_measured_ops(const struct fb_pattern *pt, struct fb_work *w, uint64_t n);

struct fb_latency {
    double p50, p99, max; /* ns, cycle-counter overhead subtracted */
    uint64_t samples;
};

/* Times `samples` single ops with the cycle counter. */
fa_err fb_sample_latency(const struct fb_pattern *pt, struct fb_work *w, uint64_t samples,
                         struct fb_latency *out);

#endif /* FB_RUNNER_H */
