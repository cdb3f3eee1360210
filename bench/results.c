/* results.c: see results.h. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "json.h"
#include "precision.h"
#include "results.h"
#include "strategy_list.h"
#include "threaded_cell.h"

int fb_cell_measured(const struct fb_cell *c) { return !c->skip[0] && !c->reps.error[0] && c->reps.n > 0; }

/* A figure over the repetitions: the median, the largest or the sum; NAN
 * (written as null) if the cell has no such figure. */
static double fig_median(const struct fb_cell *c, const char *name)
{
    const double *v = fb_reps_figure(&c->reps, name);
    return v ? fb_precision_of(v, c->reps.n).median : NAN;
}
static double fig_max(const struct fb_cell *c, const char *name)
{
    const double *v = fb_reps_figure(&c->reps, name);
    return v ? fb_precision_of(v, c->reps.n).max : NAN;
}
static double fig_sum(const struct fb_cell *c, const char *name)
{
    const double *v = fb_reps_figure(&c->reps, name);
    double sum = 0;
    for (size_t r = 0; v && r < c->reps.n; r++)
        sum += v[r];
    return v ? sum : NAN;
}

/* The figures the results file writes in blocks of their own, not as they
 * are reported (pattern.h's figures and the rest go as they are). */
static int is_framed(const char *name)
{
    return strncmp(name, "latency_", 8) == 0 || strcmp(name, "runs_2m_free") == 0;
}

static void write_identity(struct json_out *j, const struct fb_cell *c)
{
    fb_cell_identity(j, c->pattern, c->ops->name, c->nframes, &c->p, c->in);
}

static void write_checks(struct json_out *j, const struct fb_cell *cells, size_t n, const struct fb_cell *c);

/* A pattern's per-iteration series: {"iterations": n, "orders": ..., name: [n values]...}. */
static void write_series(struct json_out *j, const struct fb_series *s)
{
    json_key(j, "series");
    json_open(j, '{');
    json_kcount(j, "iterations", s->n);
    json_kstr(j, "orders", s->orders);
    for (size_t k = 0; k < s->nnames; k++) {
        json_key(j, s->name[k]);
        json_open(j, '[');
        for (size_t i = 0; i < s->n; i++)
            json_num_v(j, s->v[k][i]);
        json_close(j);
    }
    json_close(j);
}

void fb_write_ns_per_op(struct json_out *j, const double *v, size_t n, double target_pct)
{
    struct fb_precision p = fb_precision_of(v, n);
    json_key(j, "ns_per_op");
    json_open(j, '{');
    json_knum(j, "median", p.median);
    json_knum(j, "min", p.min);
    json_knum(j, "max", p.max);
    json_knum(j, "ci_low", p.lo);
    json_knum(j, "ci_high", p.hi);
    json_knum(j, "ci_level", p.level);
    json_close(j);
    json_knum(j, "precision_pct", p.half_pct);
    if (target_pct > 0) {
        json_kbool(j, "precision_met", p.half_pct <= target_pct);
        if (p.half_pct > target_pct) {
            char why[FB_NAME_LEN];
            fb_noise_why(v, n, target_pct, why, sizeof why);
            json_kstr(j, "noise", why);
        }
    }
}

static void write_result(struct json_out *j, const struct fb_cell *cells, size_t n, const struct fb_cell *c,
                         const struct fb_run_info *info)
{
    const struct fb_reps *reps = &c->reps;
    double budget_s = info->cycle_budget_s;
    struct fb_precision ns = fb_precision_of(reps->ns, reps->n);
    json_open(j, '{');
    write_identity(j, c);
    fb_write_ns_per_op(j, reps->ns, reps->n, info->target_pct);
    if (c->stopped_by)
        json_kstr(j, "stopped_by", c->stopped_by);
    json_knum(j, "ops_per_s", ns.median > 0 ? 1e9 / ns.median : NAN);
    json_knum(j, "meta_bytes_per_gib", (double)c->ops->state_size(c->nframes) * (262144.0 / (double)c->nframes));
    /* The pattern's own figures. */
    for (size_t k = 0; k < reps->nfig; k++)
        if (!is_framed(reps->fig_name[k]))
            json_kfigure(j, reps->fig_name[k], fb_precision_of(reps->fig[k], reps->n).median);
    if (c->cheap[0])
        json_kstr(j, "fill_skipped", c->cheap);
    /* The budget is an estimate's: where a cycle really took longer, the
     * row says by how much. */
    double cycle_s = fig_max(c, "cycle_seconds");
    if (budget_s > 0 && cycle_s > budget_s) {
        char why[160];
        snprintf(why, sizeof why, "one cycle took %.3g s, %.2gx the %g s budget (estimated %.3g s)", cycle_s,
                 cycle_s / budget_s, budget_s, c->est_op_ns * (double)c->cycle / 1e9);
        json_kstr(j, "over_budget", why);
    }
    if (fb_reps_figure(reps, "runs_2m_free"))
        json_kcount(j, "runs_2m_free", (unsigned long long)llround(fig_median(c, "runs_2m_free")));
    write_checks(j, cells, n, c);
    if (c->series.n)
        write_series(j, &c->series);
    if (fb_reps_figure(reps, "latency_p50_ns")) {
        double interrupted = fig_sum(c, "latency_interrupted");
        json_key(j, "latency_ns");
        json_open(j, '{');
        json_knum(j, "p50", fig_median(c, "latency_p50_ns"));
        json_knum(j, "p99", fig_median(c, "latency_p99_ns"));
        json_knum(j, "p999", fig_median(c, "latency_p999_ns"));
        json_knum(j, "max", fig_max(c, "latency_max_ns"));
        json_close(j);
        json_kcount(j, "latency_samples", c->latency_samples);
        json_kfigure(j, "latency_interrupted", interrupted);
        json_kfigure(j, "latency_preempted", fig_sum(c, "latency_preempted"));
        if (interrupted > 0)
            json_knum(j, "latency_interrupted_max_ns", fig_max(c, "latency_interrupted_max_ns"));
    }
    json_kcount(j, "repetitions", reps->n);
    /* Where the run's time went: setup, timed ops and checks of every
     * repetition, for whoever plans a matrix. */
    json_knum(j, "seconds", c->spent_s);
    json_close(j);
}

int fb_cell_left_out(const struct fb_cell *c) { return !c->skip[0] && !c->reps.error[0] && c->reps.n == 0; }

static void write_skipped(struct json_out *j, const struct fb_cell *c)
{
    char reason[2 * FB_NAME_LEN];
    if (c->skip[0])
        snprintf(reason, sizeof reason, "%s", c->skip);
    else
        snprintf(reason, sizeof reason, "failed: %s", c->reps.error);
    json_open(j, '{');
    write_identity(j, c);
    json_kstr(j, "reason", reason);
    json_close(j);
}

/* Google Benchmark-shaped rows, one per repetition, for tools that read its
 * format (its tools/compare.py). */
static void write_benchmarks(struct json_out *j, const struct fb_cell *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct fb_cell *c = &cells[i];
        for (size_t r = 0; fb_cell_measured(c) && r < c->reps.n; r++) {
            json_open(j, '{');
            json_kstr(j, "name", c->name);
            json_kstr(j, "run_name", c->name);
            json_kstr(j, "run_type", "iteration");
            json_kcount(j, "repetitions", c->reps.n);
            json_kcount(j, "repetition_index", r);
            json_kcount(j, "iterations", c->reps.iterations[r]);
            json_knum(j, "real_time", c->reps.ns[r]);
            /* framebench times the wall clock only (manual time); cpu_time
             * repeats it so that Google Benchmark's compare.py reads the rows. */
            json_knum(j, "cpu_time", c->reps.ns[r]);
            json_kstr(j, "time_unit", "ns");
            json_close(j);
        }
    }
}

static double median_ns(const struct fb_cell *c) { return fb_precision_of(c->reps.ns, c->reps.n).median; }

/* The measured cell of pattern `pt` with c's size and parameters, and with
 * c's strategy unless `any_strategy`; NULL if there is none. */
static const struct fb_cell *twin(const struct fb_cell *cells, size_t n, const struct fb_cell *c,
                                  const struct fb_pattern *pt, int any_strategy)
{
    for (size_t i = 0; i < n; i++) {
        const struct fb_cell *t = &cells[i];
        if (t->pattern == pt && t->nframes == c->nframes && memcmp(&t->p, &c->p, sizeof t->p) == 0 &&
            (any_strategy || t->ops == c->ops) && fb_cell_measured(t))
            return t;
    }
    return NULL;
}

/* A yardstick row (the harness) measuring this cell's pattern at its size
 * and parameters; a cross-check row (churn_recorded) of the same cell. */
static const struct fb_cell *yardstick_of(const struct fb_cell *cells, size_t n, const struct fb_cell *c)
{
    for (const struct fb_pattern *const *p = fb_patterns; *p; p++)
        if ((*p)->yardstick_of == c->pattern)
            return twin(cells, n, c, *p, 1);
    return NULL;
}
/* The cross-check rows (churn_recorded, churn_walk) of the same cell, in
 * pattern order: *k is where the search goes on. */
static const struct fb_cell *next_crosscheck(const struct fb_cell *cells, size_t n, const struct fb_cell *c, size_t *k)
{
    for (; fb_patterns[*k]; ++*k) {
        const struct fb_cell *x;
        if (fb_patterns[*k]->crosscheck_of == c->pattern && (x = twin(cells, n, c, fb_patterns[*k], 0))) {
            ++*k;
            return x;
        }
    }
    return NULL;
}

/* Per cell: the harness's share of it and each second method's ratio to it. */
static void write_checks(struct json_out *j, const struct fb_cell *cells, size_t n, const struct fb_cell *c)
{
    const struct fb_cell *h = yardstick_of(cells, n, c), *x;
    if (h) {
        json_knum(j, "harness_ns_per_op", median_ns(h));
        json_knum(j, "harness_share", median_ns(h) / median_ns(c));
    }
    size_t k = 0;
    int any = 0;
    while ((x = next_crosscheck(cells, n, c, &k))) {
        if (!any++) {
            json_key(j, "crosschecks");
            json_open(j, '[');
        }
        json_open(j, '{');
        json_kstr(j, "pattern", x->pattern->name);
        json_knum(j, "ns_per_op", median_ns(x));
        json_knum(j, "ratio", median_ns(x) / median_ns(c));
        json_close(j);
    }
    if (any)
        json_close(j);
}

/* The run's summary of the same: the harness's slowest row, its largest
 * share of the fastest strategy at any size and parameters, and the
 * largest disagreement between a cell and its cross-check. */
static void write_harness(struct json_out *j, const struct fb_cell *cells, size_t n)
{
    double worst = NAN, share = NAN, dev = NAN;
    for (size_t i = 0; i < n; i++) {
        const struct fb_cell *c = &cells[i];
        if (!fb_cell_measured(c))
            continue;
        if (c->pattern->yardstick_of) {
            double hns = median_ns(c), fastest = NAN;
            worst = isnan(worst) || hns > worst ? hns : worst;
            for (size_t k = 0; k < n; k++) {
                const struct fb_cell *t = &cells[k];
                if (t->pattern == c->pattern->yardstick_of && t->nframes == c->nframes &&
                    memcmp(&t->p, &c->p, sizeof t->p) == 0 && fb_cell_measured(t))
                    fastest = isnan(fastest) || median_ns(t) < fastest ? median_ns(t) : fastest;
            }
            if (!isnan(fastest) && (isnan(share) || hns / fastest > share))
                share = hns / fastest;
        }
        const struct fb_cell *x;
        size_t k = 0;
        while ((x = next_crosscheck(cells, n, c, &k))) {
            double d = fabs(median_ns(x) / median_ns(c) - 1);
            dev = isnan(dev) || d > dev ? d : dev;
        }
    }
    json_knum(j, "harness_ns_per_op", worst);
    json_knum(j, "harness_share_of_fastest", share);
    json_knum(j, "crosscheck_max_deviation", dev);
    size_t left_out = 0;
    for (size_t i = 0; i < n; i++)
        left_out += fb_cell_left_out(&cells[i]) != 0;
    /* Cells the user's Google Benchmark flags left out: counted, not listed
     * as skipped (the cost model did not skip them). */
    json_kcount(j, "cells_left_out", left_out);
}

int fb_results_probe(const char *path, char *err, size_t len)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, len, "cannot write %s: it is a directory", path);
        return -1;
    }
    char probe[4096];
    snprintf(probe, sizeof probe, "%s.probe.%ld", path, (long)getpid());
    FILE *f = fopen(probe, "w");
    if (!f) {
        snprintf(err, len, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    fclose(f);
    unlink(probe);
    return 0;
}

int fb_results_point(const char *link, const char *target, char *err, size_t len)
{
    char dir[4096], rel[4096], tmp[4200];
    snprintf(dir, sizeof dir, "%s", link);
    char *slash = strrchr(dir, '/');
    size_t dlen = slash ? (size_t)(slash - dir) : 0;
    if (slash)
        *slash = '\0';
    /* The target relative to the link's directory when it lies below it. */
    if (dlen && strncmp(target, dir, dlen) == 0 && target[dlen] == '/')
        snprintf(rel, sizeof rel, "%s", target + dlen + 1);
    else
        snprintf(rel, sizeof rel, "%s", target);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", link, (long)getpid());
    unlink(tmp);
    if (symlink(rel, tmp) != 0 || rename(tmp, link) != 0) {
        snprintf(err, len, "cannot point %s at %s: %s", link, target, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

static char g_tmp[4096];

/* Ctrl-C, a closed terminal or a kill while writing: remove the temporary
 * file, leave nothing behind.  (SIGKILL cannot be caught: its leftover is
 * named <file>.tmp.<pid>, which git ignores.) */
static void drop_tmp(int sig)
{
    unlink(g_tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Moves the written temporary file to `path`; with keep, never over an
 * existing file: link() fails where rename() would replace, so "-2", "-3",
 * ... go before ".json" until a name is free, and `path` says which. */
static int put_in_place(char *path, size_t cap, int keep)
{
    if (!keep)
        return rename(g_tmp, path);
    char stem[4096];
    size_t n = strlen(path);
    int json = n > 5 && strcmp(path + n - 5, ".json") == 0;
    snprintf(stem, sizeof stem, "%.*s", (int)(json ? n - 5 : n), path);
    for (int k = 1; k < 1000; k++) {
        if (k > 1)
            snprintf(path, cap, "%s-%d%s", stem, k, json ? ".json" : "");
        if (link(g_tmp, path) == 0)
            return unlink(g_tmp);
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

int fb_results_write(char *path, size_t path_cap, int keep, const struct fb_cell *cells, size_t n,
                     const struct fb_run_info *info, char *err, size_t len)
{
    snprintf(g_tmp, sizeof g_tmp, "%s.tmp.%ld", path, (long)getpid());
    void (*old_int)(int) = signal(SIGINT, drop_tmp);
    void (*old_term)(int) = signal(SIGTERM, drop_tmp);
    void (*old_hup)(int) = signal(SIGHUP, drop_tmp);
    FILE *f = fopen(g_tmp, "w");
    if (!f) {
        snprintf(err, len, "cannot write %s: %s", g_tmp, strerror(errno));
        signal(SIGINT, old_int);
        signal(SIGTERM, old_term);
        signal(SIGHUP, old_hup);
        return -1;
    }
    struct json_out j;
    json_start(&j, f, 2);
    json_open(&j, '{');
    json_kstr(&j, "schema", "framebench-results/2");
    json_key(&j, "context");
    json_open(&j, '{');
    fb_context_write(&j, info);
    write_harness(&j, cells, n);
    json_close(&j);
    fb_catalog_of_cells(&j, cells, n);
    json_key(&j, "results");
    json_open(&j, '[');
    for (size_t i = 0; i < n; i++)
        if (fb_cell_measured(&cells[i]) && !cells[i].pattern->threaded)
            write_result(&j, cells, n, &cells[i], info);
    json_close(&j);
    json_key(&j, "threaded");
    json_open(&j, '[');
    for (size_t i = 0; i < n; i++)
        if (fb_cell_measured(&cells[i]) && cells[i].pattern->threaded)
            fb_threaded_row(&j, cells, n, &cells[i], info->target_pct);
    json_close(&j);
    json_key(&j, "threaded_patterns");
    json_open(&j, '{');
    fb_catalog_threaded(&j);
    json_close(&j);
    json_key(&j, "skipped");
    json_open(&j, '[');
    for (size_t i = 0; i < n; i++)
        if (!fb_cell_measured(&cells[i]) && !fb_cell_left_out(&cells[i]))
            write_skipped(&j, &cells[i]);
    json_close(&j);
    json_key(&j, "benchmarks");
    json_open(&j, '[');
    write_benchmarks(&j, cells, n);
    json_close(&j);
    json_close(&j);
    int bad = ferror(f) | (fflush(f) != 0) | (fsync(fileno(f)) != 0);
    bad |= fclose(f) != 0;
    /* Test hook: hold the written temporary file open to a signal, so the
     * tests can prove an interrupt here leaves nothing behind. */
    const char *hold = getenv("FRAMEBENCH_TEST_HOLD_RESULTS");
    if (hold)
        sleep((unsigned)atoi(hold));
    if (bad || put_in_place(path, path_cap, keep) != 0) {
        snprintf(err, len, "cannot write %s: %s", path, strerror(errno));
        unlink(g_tmp);
        bad = 1;
    }
    signal(SIGINT, old_int);
    signal(SIGTERM, old_term);
    signal(SIGHUP, old_hup);
    return bad ? -1 : 0;
}
