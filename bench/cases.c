/* cases.c: see cases.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases.h"
#include "executor.h"
#include "gbench.h"
#include "isolate.h"
#include "precision.h"
#include "strategy_list.h"
#include "threaded_cell.h"
#include "timing.h"

static uint64_t g_start_ns;
static uint64_t g_seed;
static double g_budget_s;
/* The run so far, for the progress line: every cell, the round under way,
 * and the repetitions each cell still needs at least. */
static struct fb_cell *g_cells;
static size_t g_ncells;
static int g_round, g_min_reps;
static const struct fb_run_opts *g_opts;
static double least_left(const struct fb_cell *now);

/* Progress goes to stderr: on a terminal one line redrawn in place (and
 * cleared before any other line), in a pipe or a file a line each. */
static int g_live_progress, g_progress_shown;

static void progress_clear(void)
{
    if (g_progress_shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        g_progress_shown = 0;
    }
}

static void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void progress(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (g_live_progress)
        fputs("\r\033[K", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (!g_live_progress)
        fputc('\n', stderr);
    fflush(stderr);
    g_progress_shown = g_live_progress;
}

/* A cell still going after FB_NOTE_AFTER_S gets a line every FB_NOTE_EVERY_S,
 * so a long trace replay or a 64 GiB latency pass is not mistaken for a hang.
 * Called between batches, off the clock. */
#define FB_NOTE_AFTER_S 5
#define FB_NOTE_EVERY_S 10
static void note_if_long(struct fb_cell *c)
{
    uint64_t now = fb_now_ns();
    if (now - c->live.started_ns < FB_NOTE_AFTER_S * 1000000000ull ||
        now - c->live.noted_ns < FB_NOTE_EVERY_S * 1000000000ull)
        return;
    c->live.noted_ns = now;
    progress("[%zu/%zu] %s: still running, %llus so far", c->index, c->total, c->name,
             (unsigned long long)((now - c->live.started_ns) / 1000000000u));
}

/* The least repetitions of a cell: the run's, or more where the cell
 * asks (a threaded cell). */
static size_t least_of(const struct fb_cell *c, int run_least)
{
    return (size_t)(c->least_reps > run_least ? c->least_reps : run_least);
}

static double elapsed_s(void) { return (double)(fb_now_ns() - g_start_ns) / 1e9; }

/* A guess of the seconds the run still needs: each cell's repetitions still
 * due at least, at what one of its repetitions took so far (a cell not yet
 * run: the mean of those that have); then the repetitions past the least.
 * Those are known once the least are in (what the cells short of their
 * target may still take); before, a run with --max-time is taken to use it
 * all, as a default run does. */
static double seconds_left(const struct fb_cell *now)
{
    double least = least_left(now);
    if (least < 0 || !g_opts || g_opts->target_pct <= 0)
        return least;
    double more = 0;
    for (size_t i = 0; i < g_ncells; i++) {
        const struct fb_cell *c = &g_cells[i];
        size_t most =
            (size_t)g_opts->max_reps > least_of(c, g_min_reps) ? (size_t)g_opts->max_reps : least_of(c, g_min_reps);
        if (c->done || !c->reps.n || c->reps.n < least_of(c, g_min_reps))
            continue;
        double per = c->spent_s / (double)c->reps.n;
        double by_reps = (double)(most - c->reps.n) * per, by_cap = g_opts->cell_cap_s - c->spent_s;
        more += by_reps < by_cap ? by_reps : by_cap > 0 ? by_cap : 0;
    }
    if (g_opts->max_time_s > 0) {
        double room = g_opts->max_time_s - elapsed_s() - least;
        room = room > 0 ? room : 0;
        more = g_round <= g_min_reps ? room : more < room ? more : room;
    }
    return least + more;
}

/* The seconds of the least repetitions still due. */
static double least_left(const struct fb_cell *now)
{
    double per = 0, known = 0;
    for (size_t i = 0; i < g_ncells; i++)
        if (g_cells[i].reps.n) {
            per += g_cells[i].spent_s / (double)g_cells[i].reps.n;
            known++;
        }
    if (!known)
        return -1;
    double left = 0;
    for (size_t i = 0; i < g_ncells; i++) {
        const struct fb_cell *c = &g_cells[i];
        if (c->skip[0] || c->done || c->reps.error[0])
            continue;
        /* this round's repetition of a cell still to come in it, at least */
        size_t least = least_of(c, g_min_reps);
        size_t due = least > c->reps.n ? least - c->reps.n : 0;
        if (!due && c->index >= now->index && c->round == g_round)
            due = 1;
        left += (double)due * (c->reps.n ? c->spent_s / (double)c->reps.n : per / known);
    }
    return left;
}

void fb_cell_begin(struct fb_cell *c)
{
    c->live.started_ns = fb_now_ns();
    c->live.noted_ns = 0;
    c->live.longest_batch_s = 0;
    uint64_t s = (c->live.started_ns - g_start_ns) / 1000000000u;
    char eta[48] = "", round[24] = "";
    double left = seconds_left(c);
    if (left >= 0)
        snprintf(eta, sizeof eta, ", ~%llum%02llus left", (unsigned long long)(left / 60),
                 (unsigned long long)left % 60);
    if (g_round > 1)
        snprintf(round, sizeof round, "round %d, ", g_round);
    progress("[%zu/%zu] %s (%s%llum%02llus elapsed%s)", c->index, c->total, c->name, round,
             (unsigned long long)(s / 60), (unsigned long long)(s % 60), eta);
}

void fb_cell_end(struct fb_cell *c) { c->spent_s += (double)(fb_now_ns() - c->live.started_ns) / 1e9; }

static int cell_open(struct fb_cell *c, char err[GB_ERROR_LEN])
{
    fa_err e = fb_work_open(&c->live.work, &(struct fb_work_spec){.pattern = c->pattern,
                                                                  .ops = c->ops,
                                                                  .nframes = c->nframes,
                                                                  .p = c->p,
                                                                  .seed = g_seed,
                                                                  .in = c->in,
                                                                  .cheap_cycle = c->cheap[0] != 0});
    c->live.open = 1;
    if (e == FA_OK)
        e = c->pattern->prepare(&c->live.work);
    if (e != FA_OK) {
        snprintf(err, GB_ERROR_LEN, "setup failed: %.140s", c->live.work.why[0] ? c->live.work.why : fa_strerror(e));
        return -1;
    }
    return 0;
}

static double cell_run(struct fb_cell *c, uint64_t n, char err[GB_ERROR_LEN])
{
    fa_err e;
    double ns = fb_run_ops(c->pattern, &c->live.work, n, &e);
    if (ns / 1e9 > c->live.longest_batch_s)
        c->live.longest_batch_s = ns / 1e9;
    note_if_long(c);
    if (ns < 0 && c->live.work.why[0])
        snprintf(err, GB_ERROR_LEN, "%.150s", c->live.work.why);
    else if (ns < 0)
        snprintf(err, GB_ERROR_LEN, "allocator returned '%s'", fa_strerror(e));
    return ns < 0 ? -1 : ns / 1e9;
}

/* The pattern's series, copied off the work (which the teardown closes). */
static int keep_series(struct fb_cell *c)
{
    struct fb_series s;
    free(c->series_buf);
    c->series_buf = NULL;
    c->series.n = 0;
    if (c->pattern->series(&c->live.work, &s) == 0)
        return 0;
    if (!(c->series_buf = malloc(s.n * s.nnames * sizeof *c->series_buf)))
        return -1;
    c->series = s;
    for (size_t i = 0; i < s.nnames; i++) {
        memcpy(c->series_buf + i * s.n, s.v[i], s.n * sizeof *c->series_buf);
        c->series.v[i] = c->series_buf + i * s.n;
    }
    return 0;
}

/* Off the clock: the latency tail, then check() over everything the run and
 * the sampler did, then the 2 MiB runs left. */
static void cell_finish(struct fb_cell *c, struct gb_finish *out)
{
    struct fb_work *w = &c->live.work;
    if (c->latency) {
        struct fb_latency lat;
        fa_err e = fb_sample_latency(c->pattern, w, c->latency_samples, &lat);
        if (e != FA_OK) {
            snprintf(out->error, sizeof out->error, "latency pass: allocator returned '%s'", fa_strerror(e));
            return;
        }
        out->counters[out->ncounters++] = (struct gb_counter){"latency_p50_ns", lat.p50};
        out->counters[out->ncounters++] = (struct gb_counter){"latency_p99_ns", lat.p99};
        out->counters[out->ncounters++] = (struct gb_counter){"latency_p999_ns", lat.p999};
        out->counters[out->ncounters++] = (struct gb_counter){"latency_max_ns", lat.max};
        out->counters[out->ncounters++] = (struct gb_counter){"latency_interrupted", (double)lat.interrupted};
        out->counters[out->ncounters++] = (struct gb_counter){"latency_preempted", (double)lat.preempted};
        out->counters[out->ncounters++] = (struct gb_counter){"latency_interrupted_max_ns", lat.interrupted_max};
    }
    fa_err e = c->ops->check(w->state);
    if (e != FA_OK) {
        snprintf(out->error, sizeof out->error, "check() failed after the run: %s", fa_strerror(e));
        return;
    }
    snprintf(out->label, sizeof out->label, "%s", c->latency ? "latency sampled" : "");
    if (c->pattern->figures) {
        struct fb_figure fig[FB_MAX_FIGURES];
        size_t k = c->pattern->figures(w, fig);
        for (size_t i = 0; i < k && out->ncounters < GB_MAX_COUNTERS; i++)
            out->counters[out->ncounters++] = (struct gb_counter){fig[i].name, fig[i].value};
    }
    if (c->pattern->series && keep_series(c) != 0) {
        snprintf(out->error, sizeof out->error, "the host could not keep the series");
        return;
    }
    if (c->pattern->runs_2m_free)
        out->counters[out->ncounters++] = (struct gb_counter){"runs_2m_free", (double)c->pattern->runs_2m_free(w)};
    /* A batch of a cycling pattern is one whole cycle: the budget the cost
     * model kept to is checked against what it really took. */
    if (c->cycle > 1 && !c->cheap[0] && out->ncounters < GB_MAX_COUNTERS) {
        out->counters[out->ncounters++] = (struct gb_counter){"cycle_seconds", c->live.longest_batch_s};
        if (g_budget_s > 0 && c->live.longest_batch_s > g_budget_s && !c->over_noted) {
            c->over_noted = 1;
            progress_clear();
            fprintf(stderr, "[%zu/%zu] %s: one cycle took %.3g s, over the %g s budget (estimated %.3g s)\n", c->index,
                    c->total, c->name, c->live.longest_batch_s, g_budget_s, c->est_op_ns * (double)c->cycle / 1e9);
        }
    }
}

static void cell_close(struct fb_cell *c)
{
    if (c->live.open)
        fb_work_close(&c->live.work);
    c->live.open = 0;
}

const struct fb_executor fb_batched_executor = {cell_open, cell_run, cell_finish, cell_close};

/* The Google Benchmark case's callbacks, for every cell: its progress and
 * its time here, its executor here or in a child process (isolate.h). */
static const struct fb_executor *executor_of(const struct fb_cell *c)
{
    return c->pattern->threaded ? &fb_threaded_executor : &fb_batched_executor;
}

static int case_setup(void *ctx, char err[GB_ERROR_LEN])
{
    struct fb_cell *c = ctx;
    fb_cell_begin(c);
    return c->isolated ? fb_isolated_open(c, executor_of(c), g_opts->watchdog_s, err) : executor_of(c)->open(c, err);
}

static double case_run(void *ctx, uint64_t n, char err[GB_ERROR_LEN])
{
    struct fb_cell *c = ctx;
    return c->isolated ? fb_isolated_run(c, n, err) : executor_of(c)->run(c, n, err);
}

static void case_finish(void *ctx, struct gb_finish *out)
{
    struct fb_cell *c = ctx;
    if (c->isolated)
        fb_isolated_finish(c, out);
    else
        executor_of(c)->finish(c, out);
}

static void case_teardown(void *ctx)
{
    struct fb_cell *c = ctx;
    if (c->isolated)
        fb_isolated_close(c);
    else
        executor_of(c)->close(c);
    fb_cell_end(c);
}

/* Figure `name` of repetition i.  The name is copied: Google Benchmark's
 * copy of it dies with the callback. */
static void keep_figure(struct fb_reps *reps, size_t i, const char *name, double v)
{
    size_t k = 0;
    while (k < reps->nfig && strcmp(reps->fig_name[k], name) != 0)
        k++;
    if (k == FB_CELL_FIGURES)
        return;
    if (k == reps->nfig)
        snprintf(reps->fig_name[reps->nfig++], sizeof reps->fig_name[0], "%s", name);
    reps->fig[k][i] = v;
}

/* One line per cell on stdout when its last repetition is in: the median,
 * its interval, and where it missed the target, why. */
static void print_cell(const struct fb_cell *c, const struct fb_run_opts *o)
{
    if (o->console == FB_CONSOLE_QUIET)
        return;
    progress_clear(); /* the cell's line where the progress line was */
    int color = o->console == FB_CONSOLE_COLOR;
    if (c->reps.error[0]) {
        printf("%s%-64s failed: %s%s\n", color ? "\033[31m" : "", c->name, c->reps.error, color ? "\033[0m" : "");
    } else {
        struct fb_precision p = fb_precision_of(c->reps.ns, c->reps.n);
        int missed = o->target_pct > 0 && p.half_pct > o->target_pct;
        printf("%s%-64s%s %s%12.4g ns%s  [%.4g-%.4g]  %s+-%.1f %%%s  %zu rep%s", color ? "\033[32m" : "", c->name,
               color ? "\033[0m" : "", color ? "\033[33m" : "", p.median, color ? "\033[0m" : "", p.lo, p.hi,
               missed && color ? "\033[31m" : "", p.half_pct, missed && color ? "\033[0m" : "", c->reps.n,
               c->reps.n == 1 ? "" : "s");
        if (c->pattern->threaded)
            fb_threaded_print_tail(stdout, g_cells, g_ncells, c);
        if (missed) {
            char why[FB_NAME_LEN];
            fb_noise_why(c->reps.ns, c->reps.n, o->target_pct, why, sizeof why);
            printf("  over +-%g %%: %s%s%s", o->target_pct, why, c->stopped_by ? "; stopped by " : "",
                   c->stopped_by ? c->stopped_by : "");
        }
        putchar('\n');
    }
    fflush(stdout);
}

/* After a round: is the cell done?  Failed, left out by the Google
 * Benchmark flags (it ran in no round), at its most repetitions, or past
 * its least with its median precise to the target or its time used up
 * (live_s: the time of the repetition under way, not yet in spent_s). */
static int cell_done(struct fb_cell *c, const struct fb_run_opts *o, double live_s)
{
    size_t n = c->reps.n;
    if (c->reps.error[0] || n == 0)
        return 1;
    if (n < least_of(c, o->min_reps))
        return 0;
    if (o->target_pct <= 0 || fb_precision_of(c->reps.ns, n).half_pct <= o->target_pct)
        return 1;
    if (n >= (size_t)o->max_reps)
        c->stopped_by = "max_repetitions";
    else if (c->spent_s + live_s >= o->cell_cap_s)
        c->stopped_by = "cell_cap";
    return c->stopped_by != NULL;
}

/* A repetition is in: kept, and the cell's line printed the moment it
 * needs no more, so that the console follows the run. */
static void collect(const struct gb_result *r, void *arg)
{
    const struct fb_run_opts *o = arg;
    struct fb_cell *c = r->c->ctx;
    struct fb_reps *reps = &c->reps;
    if (r->error) {
        snprintf(reps->error, sizeof reps->error, "%s", r->error);
    } else if (reps->n < FB_MAX_REPS) {
        size_t i = reps->n++;
        reps->ns[i] = r->ns_per_op;
        reps->iterations[i] = r->iterations;
        for (size_t k = 0; k < r->ncounters; k++)
            keep_figure(reps, i, r->counters[k].name, r->counters[k].value);
    }
    if ((c->done = cell_done(c, o, (double)(fb_now_ns() - c->live.started_ns) / 1e9)))
        print_cell(c, o);
}

/* The run's --max-time is up: every cell still short of its target keeps
 * what it has, and its row says what stopped it. */
static void stop_for_time(struct fb_cell *cells, size_t n, const struct fb_run_opts *o)
{
    for (size_t i = 0; i < n; i++)
        if (!cells[i].done) {
            cells[i].done = 1;
            cells[i].stopped_by = "max_time";
            print_cell(&cells[i], o);
        }
}

/* Ops per repetition for a cross-checked pair: the cost model's guess of
 * what fills the min time, in whole batches; both cells share the guess.
 * At least FB_PAIRED_MIN_OPS: the guess is a worst-case scan, and a slow
 * scanner would otherwise time a few hundred ops of a map just built. */
#define FB_PAIRED_MIN_OPS 8192.0
static uint64_t paired_iterations(const struct fb_cell *c, double min_time)
{
    double ops = min_time * 1e9 / (c->est_op_ns > 0 ? c->est_op_ns : 5);
    ops = ops < FB_PAIRED_MIN_OPS ? FB_PAIRED_MIN_OPS : ops;
    uint64_t batches = (uint64_t)(ops / (double)c->batch) + 1;
    return batches * c->batch;
}

/* Ops per repetition for a cell whose cycle is short next to its state (a
 * 7-event trace on 16384 frames): the clock counts the cycle's ops alone,
 * so reaching the min time would take 10^5 cycles, each re-initialising the
 * whole state off the clock, a second a repetition.  At most FB_MAX_CYCLES
 * whole cycles; 0 (Google Benchmark's own choice) for any other cell. */
#define FB_MAX_CYCLES 1000.0
static uint64_t capped_cycles(const struct fb_cell *c, double min_time)
{
    if (c->cycle <= 1 || c->est_op_ns <= 0 || c->cycle * 64 >= c->nframes)
        return 0;
    double cycles = min_time * 1e9 / (c->est_op_ns * (double)c->cycle);
    return cycles > FB_MAX_CYCLES ? (uint64_t)FB_MAX_CYCLES * c->cycle : 0;
}

/* A cell's case: a batch of `batch` ops a call of run; a threaded cell's
 * is one iteration, its executor's own loops the ops. */
static struct gb_case case_of(struct fb_cell *c, const struct fb_run_opts *o)
{
    int threaded = c->pattern->threaded != NULL;
    return (struct gb_case){
        .name = c->name,
        .ctx = c,
        .batch = threaded ? 1 : c->batch,
        .iterations = threaded    ? 1
                      : c->paired ? paired_iterations(c, o->min_time)
                                  : capped_cycles(c, o->min_time),
        .setup = case_setup,
        .run = case_run,
        .finish = case_finish,
        .teardown = case_teardown,
    };
}

/* The cases of round g_round in todo; their count.  Each cell not done
 * runs one repetition per round, its state built afresh, so that its
 * repetitions sample how the state lands in memory and what the machine
 * does over the whole run, not one moment and one placement.  Past the
 * least repetitions, with --max-time, a round takes the cells still short
 * of their target only as far as the time left holds them (by what a
 * repetition of each took so far), starting where the last such round
 * stopped (*next): the run ends within a repetition of its time, and no
 * cell is always first in line. */
static size_t pick_round(struct fb_cell *cells, struct gb_case *cases, size_t n, const struct fb_run_opts *o,
                         const struct gb_case **todo, size_t *next, int *limited)
{
    *limited = g_round > o->min_reps && o->max_time_s > 0;
    double room = *limited ? o->max_time_s - elapsed_s() : 0;
    size_t k = 0, start = *next;
    for (size_t j = 0; j < n; j++) {
        size_t i = *limited ? (start + j) % n : j;
        struct fb_cell *c = &cells[i];
        if (c->done)
            continue;
        /* A cell short of its own least repetitions (threaded: 9) runs
         * regardless, as in the rounds before. */
        if (*limited && c->reps.n >= least_of(c, o->min_reps)) {
            double rep_s = c->spent_s / (double)(c->reps.n ? c->reps.n : 1);
            if (rep_s > room)
                continue;
            room -= rep_s;
            *next = i + 1;
        }
        c->index = k + 1;
        c->round = g_round;
        c->round_reps = c->reps.n;
        todo[k++] = &cases[i];
    }
    for (size_t i = 0; i < k; i++)
        ((struct fb_cell *)todo[i]->ctx)->total = k;
    return k;
}

int fb_cases_run(struct fb_cell *cells, size_t n, const struct fb_run_opts *o, int gb_argc, char **gb_argv)
{
    const struct gb_case **todo = calloc(n ? n : 1, sizeof *todo);
    struct gb_case *cases = calloc(n ? n : 1, sizeof *cases);
    char min_time[64], one_rep[] = "--benchmark_repetitions=1";
    snprintf(min_time, sizeof min_time, "--benchmark_min_time=%g", o->min_time);
    /* Ours first, so a --benchmark_* flag on the command line overrides.
     * One repetition per gb_run: the rounds are the repetitions. */
    char **argv = calloc((size_t)gb_argc + 3, sizeof *argv);
    int failed = -1;
    if (!todo || !cases || !argv)
        goto out;
    argv[0] = gb_argv[0];
    argv[1] = min_time;
    argv[2] = one_rep;
    for (int i = 1; i < gb_argc; i++)
        argv[i + 2] = gb_argv[i];
    if (gb_init(gb_argc + 2, argv) != 0)
        goto out;
    g_start_ns = fb_now_ns();
    g_live_progress = isatty(STDERR_FILENO);
    g_seed = o->seed;
    g_budget_s = o->cycle_budget_s;
    g_cells = cells;
    g_ncells = n;
    g_min_reps = o->min_reps;
    g_opts = o;
    failed = 0;
    for (size_t i = 0; i < n; i++) {
        cells[i].done = cells[i].skip[0] != 0;
        cells[i].isolated = o->isolate == FB_ISOLATE_ALL ||
                            (o->isolate == FB_ISOLATE_PLUGINS && fb_strategy_origin(cells[i].ops) != NULL);
        cases[i] = case_of(&cells[i], o);
    }
    size_t next = 0;
    for (g_round = 1;; g_round++) {
        int limited;
        size_t k = pick_round(cells, cases, n, o, todo, &next, &limited);
        if (k == 0 && limited)
            stop_for_time(cells, n, o);
        if (k == 0)
            break;
        failed += gb_run(todo, k, collect, (void *)o);
        /* A cell that reported nothing in its round was left out by the
         * Google Benchmark flags (a filter, a listing): no more rounds. */
        for (size_t i = 0; i < k; i++) {
            struct fb_cell *c = todo[i]->ctx;
            c->done |= c->round_reps == c->reps.n && !c->reps.error[0];
        }
    }
    gb_shutdown();
    progress_clear();
out:
    free(argv);
    free(cases);
    free(todo);
    return failed;
}
