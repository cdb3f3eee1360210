/*
 * threaded_cell.h: what is particular to a threaded cell in the one engine
 * (matrix.h's cells whose pattern->threaded is set): its Google Benchmark
 * case, which hands the threaded executor's figure over as manual time, the
 * tail of its console line, and its row in the results file's "threaded"
 * list (results/README.md).  Planning, repetitions, precision, progress and
 * the skipped list are every cell's.
 */
#ifndef FB_THREADED_CELL_H
#define FB_THREADED_CELL_H

#include <stdio.h>

#include "gbench.h"
#include "json.h"
#include "matrix.h"

/* The case of a threaded cell: one iteration a repetition, the headline
 * phase's median-thread ns per op as its time; the other figures as
 * counters (ops_per_s, thread_min_ns, thread_median_ns, thread_max_ns,
 * other_phase_ns). */
void fb_threaded_case(struct fb_cell *c, struct gb_case *out);

/* The same cell at one thread (for the scaling ratio); NULL if not measured. */
const struct fb_cell *fb_threaded_at_one(const struct fb_cell *cells, size_t n, const struct fb_cell *c);

/* "  threads 51-53  38.1 Mops/s  x1.84 of 1 thread" after the cell's line. */
void fb_threaded_print_tail(FILE *f, const struct fb_cell *cells, size_t n, const struct fb_cell *c);

/* Its row, as a member of the open "threaded" array. */
void fb_threaded_row(struct json_out *j, const struct fb_cell *cells, size_t n, const struct fb_cell *c,
                     double target_pct);

#endif
