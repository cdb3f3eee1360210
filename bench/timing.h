/*
 * timing.h: the two clocks framebench uses.  clock_gettime(MONOTONIC) times
 * batches of ops (one read per batch, so its ~20 ns vanish); the cycle
 * counter times single ops for the latency tail, calibrated against
 * clock_gettime once, its own back-to-back cost measured and subtracted.
 */
#ifndef FB_TIMING_H
#define FB_TIMING_H

#include <stdint.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define FB_HAVE_TSC 1
#endif

static inline uint64_t fb_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* rdtsc after a fence at the start, rdtscp at the end: the op cannot leak
 * out of the measured window on either side. */
static inline uint64_t fb_ticks_begin(void)
{
#ifdef FB_HAVE_TSC
    _mm_lfence();
    return __rdtsc();
#else
    return fb_now_ns();
#endif
}

static inline uint64_t fb_ticks_end(void)
{
#ifdef FB_HAVE_TSC
    unsigned aux;
    uint64_t t = __rdtscp(&aux);
    _mm_lfence();
    return t;
#else
    return fb_now_ns();
#endif
}

/* Cycle-counter ticks per nanosecond (1 without a cycle counter). */
double fb_ticks_per_ns(void);
/* Ticks an empty begin/end pair reads (the smallest of many). */
uint64_t fb_tick_overhead(void);
/* Name of the per-op clock, for the results context. */
const char *fb_tick_source(void);

#endif /* FB_TIMING_H */
