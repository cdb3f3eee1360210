/*
 * threaded.h: the threaded executor, several CPUs calling one thread-safe
 * strategy (frame_alloc_mt.h) at once.  framebench plans, repeats, prints
 * and writes these cells as every other (matrix.c, cases.c); this is what
 * runs one repetition of one.
 *
 * T threads, each pinned to its own CPU and calling with that cpu; a
 * barrier before and after every phase; only the timed phases on the clock,
 * and each thread times itself (clock_gettime around its own loop).  After
 * the repetition the region must be whole again (free_frames, check): a
 * strategy that lost or duplicated a frame fails it.  Google Benchmark's
 * own threads are neither pinned nor timed each by itself, so framebench
 * hands it the figure this executor measured (manual time).  No Google
 * Benchmark here: the ThreadSanitizer build tests this library alone.
 */
#ifndef FB_THREADED_H
#define FB_THREADED_H

#include <stddef.h>
#include <stdint.h>

#include "frame_alloc_mt.h"

#define FB_T_MAX_THREADS 64
#define FB_T_ERROR 160
/* Where every threaded repetition's region starts: 1 MiB, so that a 2 MiB
 * block boundary lies 256 frames in, as a real memory map's does. */
#define FB_T_BASE (UINT64_C(1) << 20)

struct fb_tthread; /* one thread's lists and clock (thread.h) */

/* A threaded pattern: up to two timed phases, each a loop of the thread's
 * own; `headline` is the phase the row's ns_per_op is (the other is kept as
 * a figure).  `setup` and `teardown` run per thread off the clock;
 * teardown leaves every frame the thread holds freed. */
struct fb_tpattern {
    const char *name;
    const char *one_op;
    const char *title;
    const char *phase_names[2];
    int nphases, headline;
    int needs_runs; /* calls alloc_run and free_run */
    void (*setup)(struct fb_tthread *t);
    uint64_t (*phase[2])(struct fb_tthread *t); /* returns ops done */
    /* Optional: off the clock after the first phase, once every thread has
     * finished it (mt_remote: take over the next thread's frames). */
    void (*between)(struct fb_tthread *t);
    void (*teardown)(struct fb_tthread *t);
    /* Optional: a figure of the state after the last phase, off the clock,
     * once every thread has finished it and before any tears down (mt_frag:
     * the share of 2 MiB blocks wholly free), computed by the first thread
     * from all threads' lists; the row's `figure_name`. */
    double (*figure)(struct fb_tthread *all, unsigned threads);
    const char *figure_name;
};
extern const struct fb_tpattern *const fb_tpatterns[];
const struct fb_tpattern *fb_tpattern_find(const char *name);

/* What one repetition runs: a pattern, a strategy (thread-safe, or a
 * single-threaded one at one thread: the unlocked yardstick), a region of
 * nframes and a thread count. */
struct fb_tspec {
    const struct fb_tpattern *pt;
    const struct fa_mt_ops *mt;
    const struct fa_ops *st; /* when mt is NULL */
    uint64_t nframes;
    unsigned threads;
};

/* What it measured: per phase the median thread's ns per op; the
 * aggregate ops per second of the headline phase (all threads' ops over the
 * time from the first start to the last end); the least, median and most
 * of the threads' headline ns per op. */
struct fb_trep {
    double ns[2];
    double ops_per_s;
    double thread_ns[3];
    double figure; /* the pattern's `figure`, if it has one */
};

/* The CPUs this process may run on. */
unsigned fb_threaded_cpus(void);
/* The bytes a repetition allocates: the state and every thread's lists. */
uint64_t fb_threaded_bytes(const struct fb_tspec *s);
/* One repetition, its state and threads set up afresh: 0, or -1 with why
 * in err (a call that failed, a region not whole after it). */
int fb_threaded_rep(const struct fb_tspec *s, struct fb_trep *out, char *err, size_t len);

#endif
