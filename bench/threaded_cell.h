/*
 * threaded_cell.h: what is particular to a threaded cell in the one engine
 * (matrix.h's cells whose pattern->threaded is set): its executor
 * (executor.h: one repetition, the headline phase's median-thread ns per op
 * as its time; ops_per_s, thread_min_ns, thread_median_ns, thread_max_ns and
 * other_phase_ns as counters), the tail of its console line, and its row in the results file's "threaded"
 * list (results/README.md).  Planning, repetitions, precision, progress and
 * the skipped list are every cell's.
 */
#ifndef FB_THREADED_CELL_H
#define FB_THREADED_CELL_H

#include <stdio.h>

#include "gbench.h"
#include "json.h"
#include "matrix.h"

/* The same cell at one thread (for the scaling ratio); NULL if not measured. */
const struct fb_cell *fb_threaded_at_one(const struct fb_cell *cells, size_t n, const struct fb_cell *c);

/* "  threads 51-53  38.1 Mops/s  x1.84 of 1 thread" after the cell's line. */
void fb_threaded_print_tail(FILE *f, const struct fb_cell *cells, size_t n, const struct fb_cell *c);

/* Its row, as a member of the open "threaded" array. */
void fb_threaded_row(struct json_out *j, const struct fb_cell *cells, size_t n, const struct fb_cell *c,
                     double target_pct);

#endif
