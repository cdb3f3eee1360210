/*
 * cases.h: runs the matrix's cells in rounds as Google Benchmark cases
 * (through gbench.h), each cell on its executor (the batched loop of
 * runner.h, or the threaded one: threaded_cell.h), and gathers each
 * repetition's figures back into its cell.
 */
#ifndef FB_CASES_H
#define FB_CASES_H

#include "isolate.h"
#include "matrix.h"

/* How the console shows the cells. */
enum fb_console {
    FB_CONSOLE_QUIET, /* nothing on stdout */
    FB_CONSOLE_PLAIN, /* one line per cell: median, its interval, repetitions */
    FB_CONSOLE_COLOR, /* the same with ANSI colour (a terminal) */
};

/* How long a cell is measured.  It runs at least min_reps repetitions (each
 * of at least min_time seconds), then more until the confidence interval of
 * its median is within +-target_pct (precision.h), it has run max_reps, or
 * it has taken cell_cap_s in all, its setups included.  target_pct 0: just
 * min_reps. */
struct fb_run_opts {
    double min_time;
    int min_reps, max_reps;
    double target_pct, cell_cap_s;
    double max_time_s; /* no round past min_reps starts after this; 0: none */
    enum fb_console console;
    uint64_t seed;
    double cycle_budget_s;   /* a cell whose cycle took longer says so */
    enum fb_isolate isolate; /* which cells run in a child process (isolate.h) */
    double watchdog_s;       /* an isolated cell's child silent this long is ended */
};

/* Runs every cell that is not skipped, one repetition per round.  gb_argv
 * holds Google Benchmark flags (argv[0] first).  Returns the number of
 * failed runs, -1 on bad flags. */
int fb_cases_run(struct fb_cell *cells, size_t n, const struct fb_run_opts *o, int gb_argc, char **gb_argv);

/* A cell's repetition begins (its progress line) and ends (its time):
 * for the executors. */
void fb_cell_begin(struct fb_cell *c);
void fb_cell_end(struct fb_cell *c);

#endif
