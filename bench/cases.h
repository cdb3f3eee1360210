/*
 * cases.h: turns matrix cells into Google Benchmark cases (through gbench.h)
 * and gathers each repetition's figures back into its cell.
 */
#ifndef FB_CASES_H
#define FB_CASES_H

#include "matrix.h"

struct fb_run_opts {
    double min_time;
    int repetitions;
    int console;  /* enum gb_console: nothing, plain lines or colour on stdout */
    uint64_t seed;
    double cycle_budget_s; /* a cell whose cycle took longer says so */
};

/* Runs every cell that is not skipped.  gb_argv holds Google Benchmark flags
 * (argv[0] first).  Returns the number of failed runs, -1 on bad flags. */
int fb_cases_run(struct fb_cell *cells, size_t n, const struct fb_run_opts *o, int gb_argc,
                 char **gb_argv);

#endif
