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
    /* ns, cycle-counter overhead subtracted, over the samples that were not
     * interrupted. */
    double p50, p99, p999, max;
    uint64_t samples;
    /* Samples far beyond the rest (over FB_GAP_MIN_NS and FB_GAP_TIMES_P50
     * times the median): the host or an interrupt took the CPU mid-op.
     * `preempted` of them fell in a block of samples during which the
     * thread was switched out (getrusage context switches). */
    uint64_t interrupted, preempted;
    double interrupted_max; /* ns; 0 when none */
};
#define FB_GAP_MIN_NS 10000.0
#define FB_GAP_TIMES_P50 20.0
#define FB_LATENCY_BLOCK 64 /* samples between two context-switch reads */

/* Times `samples` single ops with the cycle counter. */
fa_err fb_sample_latency(const struct fb_pattern *pt, struct fb_work *w, uint64_t samples, struct fb_latency *out);

/* Summarises n samples (ns): `switched[i / FB_LATENCY_BLOCK]` says whether
 * the process was switched out during that block.  -1: out of memory. */
int fb_latency_summarise(const double *ns, const unsigned char *switched, uint64_t n, struct fb_latency *out);

#endif /* FB_RUNNER_H */
