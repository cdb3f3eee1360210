/*
 * executor.h: what runs a cell's repetition, behind its Google Benchmark
 * case: the batched loop of runner.h (cases.c) or the threaded executor
 * (threaded_cell.c).  cases.c calls them in this process, or isolate.c in a
 * child process, where a crash or a hang of the strategy costs that cell
 * alone.
 */
#ifndef FB_EXECUTOR_H
#define FB_EXECUTOR_H

#include "gbench.h"
#include "matrix.h"

struct fb_executor {
    /* Off the clock, before a repetition: the state built; 0, or -1 with err. */
    int (*open)(struct fb_cell *c, char err[GB_ERROR_LEN]);
    /* n ops (a batch); the seconds on the clock, or < 0 with err. */
    double (*run)(struct fb_cell *c, uint64_t n, char err[GB_ERROR_LEN]);
    /* Off the clock, after the repetition's batches: checks and figures. */
    void (*finish)(struct fb_cell *c, struct gb_finish *out);
    /* The state freed. */
    void (*close)(struct fb_cell *c);
};

extern const struct fb_executor fb_batched_executor, fb_threaded_executor;

#endif
