/*
 * results.h: writes the results file (schema framebench-results/2, see
 * results/README.md) from the cells of a run.  Written to a temporary name
 * and renamed, so an interrupted run leaves no half-written file.
 */
#ifndef FB_RESULTS_H
#define FB_RESULTS_H

#include "context.h"
#include "matrix.h"

/* 0 on success; -1 with a message in err.  keep: never replace a file (a default name taken within the same second):
 * the next free "<stem>-2.json", ... is written instead and left in path
 * (capacity path_cap). */
int fb_results_write(char *path, size_t path_cap, int keep, const struct fb_cell *cells, size_t n,
                     const struct fb_run_info *info, char *err, size_t len);

/* Before a run: 0 if `path` can be written (its directory exists and takes a
 * new file, and it is not a directory); -1 with "path: why" in err. */
int fb_results_probe(const char *path, char *err, size_t len);

/* Points the symbolic link `link` at `target` (by its name relative to the
 * link's directory), replacing any earlier link atomically.  0 or -1 with a
 * message in err. */
int fb_results_point(const char *link, const char *target, char *err, size_t len);

/* A row's "ns_per_op" {median, min, max, ci_low, ci_high, ci_level} from
 * the repetitions v[0..n), then its "precision_pct" and, against a target
 * (0: none), "precision_met" and where missed the "noise" it shows.  The
 * one writer of them, for every kind of row. */
struct json_out;
void fb_write_ns_per_op(struct json_out *j, const double *v, size_t n, double target_pct);

/* A cell that has figures to report (ran, did not fail). */
int fb_cell_measured(const struct fb_cell *c);
/* A cell the Google Benchmark flags (a filter) left out: neither skipped nor run. */
int fb_cell_left_out(const struct fb_cell *c);

#endif
