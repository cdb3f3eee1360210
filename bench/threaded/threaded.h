/*
 * threaded.h: framebench's threaded cells, several CPUs calling one
 * thread-safe strategy (frame_alloc_mt.h) at once.
 *
 * T threads, each pinned to its own CPU and calling with that cpu; a
 * barrier before and after every phase; only the timed phases on the clock,
 * and each thread times itself (clock_gettime around its own loop).  After
 * every repetition the region is whole again (free_frames, check): a cell
 * whose strategy lost or duplicated a frame fails.  These cells do not go
 * through Google Benchmark: its threads are neither pinned nor timed each by
 * itself.  Rows: results/README.md, "threaded".
 */
#ifndef FB_THREADED_H
#define FB_THREADED_H

#include <stddef.h>
#include <stdint.h>

#include "frame_alloc_mt.h"
struct json_out; /* bench/json.h */

#define FB_T_MAX_THREADS 64
#define FB_T_MAX_REPS 64
#define FB_T_NAME 160

struct fb_tthread; /* one thread's lists and clock (threaded.c) */

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
};
extern const struct fb_tpattern *const fb_tpatterns[];
const struct fb_tpattern *fb_tpattern_find(const char *name);

/* One cell: a pattern, a strategy (thread-safe; or a single-threaded one at
 * one thread, the unlocked yardstick), a size and a thread count. */
struct fb_tcell {
    char name[FB_T_NAME];
    const struct fb_tpattern *pt;
    const char *strategy;
    const struct fa_mt_ops *mt;
    const struct fa_ops *st;
    uint64_t nframes;
    unsigned threads;
    char skip[FB_T_NAME];
    char error[FB_T_NAME];
    size_t nreps;
    /* per repetition: the median thread's ns per op in each phase, and the
     * aggregate ops per second of the headline phase (all threads' ops over
     * the time from the first start to the last end) */
    double ns[2][FB_T_MAX_REPS];
    double ops_per_s[FB_T_MAX_REPS];
    /* per repetition: its threads' least, median and most headline ns per
     * op; and those of the repetition whose headline is the median */
    double thread_spread[FB_T_MAX_REPS][3];
    double thread_min, thread_median, thread_max;
};

struct fb_topts {
    const char **strategies; /* NULL: every thread-safe one, and nextfit */
    const struct fa_mt_ops *const *mt_strategies; /* NULL: fa_mt_strategies (a plug-in's join it) */
    const char **patterns;   /* NULL: every threaded pattern; names of others are ignored */
    const uint64_t *sizes;   /* 0-terminated; NULL: the matrix's */
    const char *matrix;
    /* Non-zero for the strategies the binary lists (a test binary may list
     * fewer than the library has); NULL: every one. */
    int (*registered)(const char *name);
    const unsigned *threads; /* 0-terminated; NULL: 1 and powers of two up to the CPUs */
    int repetitions;
    int console; /* 0 quiet, else one line per cell */
};

/* The CPUs this process may run on. */
unsigned fb_threaded_cpus(void);
/* Builds the cells (*out malloc'ed); -1 with a message in err. */
long fb_threaded_build(const struct fb_topts *o, struct fb_tcell **out, char *err, size_t len);
/* Runs the cells that are not skipped; the number that failed. */
size_t fb_threaded_run(struct fb_tcell *cells, size_t n, const struct fb_topts *o);

/* One round of fb_threaded_run (1 <= round <= o->repetitions): a repetition
 * of every cell not skipped or failed; its cells' lines after the last.
 * Returns the cells that failed in it.  framebench runs these rounds between
 * the other cells' rounds, so that both kinds sample the whole run. */
size_t fb_threaded_round(struct fb_tcell *cells, size_t n, const struct fb_topts *o, int round);
/* The headline over the cell's repetitions: median, min, max, and the
 * median aggregate ops per second. */
void fb_tcell_spread(const struct fb_tcell *c, double *med, double *lo, double *hi, double *ops);
/* The same cell at one thread (for the scaling ratio); NULL if not run. */
const struct fb_tcell *fb_tcell_at_one(const struct fb_tcell *cells, size_t n, const struct fb_tcell *c);
double fb_tmedian(const double *v, size_t n);
/* The "threaded" rows (each cell run) as members of the open results array;
 * target_pct: the run's precision target (0: none). */
void fb_threaded_write(struct json_out *j, const struct fb_tcell *cells, size_t n, double target_pct);
/* Their repetitions as members of the open "benchmarks" array: one row per
 * repetition, as the other cells', the headline ns per op as real_time. */
void fb_threaded_benchmarks(struct json_out *j, const struct fb_tcell *cells, size_t n);
/* The patterns' catalog entries as members of the open object. */
void fb_threaded_catalog(struct json_out *j);

#endif
