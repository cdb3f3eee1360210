/* timing.c: cycle-counter calibration; see timing.h. */
#include "timing.h"

double fb_ticks_per_ns(void)
{
    static double cached;
    if (cached == 0) {
        /* 20 ms against the monotonic clock: under 0.1 % error at the
         * microsecond resolution the tails are reported in. */
        uint64_t n0 = fb_now_ns(), t0 = fb_ticks_begin(), n1;
        while ((n1 = fb_now_ns()) - n0 < 20000000u)
            ;
        uint64_t t1 = fb_ticks_end();
        cached = (double)(t1 - t0) / (double)(n1 - n0);
        if (cached <= 0)
            cached = 1;
    }
    return cached;
}

uint64_t fb_tick_overhead(void)
{
    static uint64_t cached = UINT64_MAX;
    if (cached == UINT64_MAX) {
        for (int i = 0; i < 10000; i++) {
            uint64_t t0 = fb_ticks_begin(), t1 = fb_ticks_end();
            if (t1 - t0 < cached)
                cached = t1 - t0;
        }
    }
    return cached;
}

const char *fb_tick_source(void)
{
#ifdef FB_HAVE_TSC
    return "rdtsc/rdtscp with lfence";
#else
    return "clock_gettime(CLOCK_MONOTONIC)";
#endif
}
