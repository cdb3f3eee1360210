/* context.h: where and how a run was made, for the results file. */
#ifndef FB_CONTEXT_H
#define FB_CONTEXT_H

#include <stdio.h>

#include "json.h"

struct fb_run_info {
    const char *matrix;
    int repetitions, max_repetitions; /* per cell: at least, at most */
    double target_pct, cell_cap_s;    /* cases.h: fb_run_opts */
    double max_time_s;
    double min_time, cycle_budget_s;
    unsigned long long mem_cap, seed;
    int latency_all;
};

/* Writes the members of "context" into the open object. */
void fb_context_write(struct json_out *j, const struct fb_run_info *info);

/* "<UTC time>-<short commit>[-dirty]-<matrix>": the name of a run's default
 * results file under results/runs/. */
void fb_run_stem(char *buf, size_t len, const char *matrix);

#endif
