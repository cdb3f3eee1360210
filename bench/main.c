/*
 * main.c: framebench, the benchmark binary.  Reads the command line
 * (cli.h), plans the matrix, lists or runs it, writes the results file.
 * Exit status: 0 all cells fine, 1 a cell failed or the file could not be
 * written, 2 a bad command line or input.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases.h"
#include "catalog.h"
#include "cli.h"
#include "inputs.h"
#include "precision.h"
#include "results.h"
#include "strategy_list.h"

#define GO_ON (-1)

static enum fb_isolate isolate_mode(const struct fb_cli *c)
{
    if (!c->isolate || strcmp(c->isolate, "plugins") == 0)
        return FB_ISOLATE_PLUGINS;
    return strcmp(c->isolate, "all") == 0 ? FB_ISOLATE_ALL : FB_ISOLATE_NONE;
}

/* The matrix the command line asks for; a matrix's own defaults where it
 * is silent.  small_max: fb_matrix_small_patterns' size, kept by the caller. */
static struct fb_matrix_opts matrix_opts(struct fb_cli *c, uint64_t *small_max)
{
    int tiny = strcmp(c->matrix, "tiny") == 0, full = strcmp(c->matrix, "full") == 0, sized = c->nsizes > 0;
    struct fb_matrix_opts mo = {
        .matrix = c->matrix,
        .strategies = c->nstrategies ? c->strategies : NULL,
        .patterns = c->npatterns ? c->patterns : NULL,
        .sizes = sized ? c->sizes : NULL,
        .variant_sizes = sized ? NULL : fb_matrix_variant_sizes(c->matrix),
        .crosscheck_sizes = sized ? NULL : fb_matrix_crosscheck_sizes(c->matrix),
        .small_patterns = sized ? NULL : fb_matrix_small_patterns(c->matrix, small_max),
        .latency_all = c->latency,
        .cycle_budget_s = c->budget ? c->budget
                          : tiny    ? 0.5
                          : full    ? 10
                                    : 2,
        .mem_cap = (uint64_t)c->mem_cap_mib << 20,
        .seed = (uint64_t)c->seed,
        .threaded_sizes = sized ? c->sizes : NULL,
        .threads = c->nthreads ? c->threads : NULL,
        .mt_strategies = fb_mt_strategies(),
        .isolate = isolate_mode(c),
        .watchdog_s = c->watchdog ? c->watchdog : 60,
    };
    mo.small_max_frames = *small_max;
    return mo;
}

/* How long each cell is measured. */
static struct fb_run_opts run_opts(const struct fb_cli *c, double cycle_budget_s)
{
    int tiny = strcmp(c->matrix, "tiny") == 0, full = strcmp(c->matrix, "full") == 0;
    int most = c->max_reps ? (int)c->max_reps : tiny ? 5 : full ? 30 : 15;
    int least = c->reps ? (int)c->reps : tiny ? 3 : full ? 7 : 5;
    if (c->max_reps && !c->reps && least > most) /* --max-repetitions alone: at most that, as said */
        least = most;
    int color = c->color < 0 ? isatty(STDOUT_FILENO) : c->color;
    return (struct fb_run_opts){
        .min_time = c->min_time ? c->min_time
                    : tiny      ? 0.002
                    : full      ? 0.05
                                : 0.01,
        .min_reps = least,
        .max_reps = most < least ? least : most,
        .target_pct = c->target >= 0 ? c->target : 3,
        .cell_cap_s = c->cell_cap ? c->cell_cap
                      : tiny      ? 0.05
                      : full      ? 5
                                  : 1,
        .max_time_s = c->max_time >= 0 ? c->max_time
                      : tiny           ? 20
                      : full           ? 0
                                       : 240,
        .console = c->quiet ? FB_CONSOLE_QUIET
                   : color  ? FB_CONSOLE_COLOR
                            : FB_CONSOLE_PLAIN,
        .seed = (uint64_t)c->seed,
        .cycle_budget_s = cycle_budget_s,
        .isolate = isolate_mode(c),
        .watchdog_s = c->watchdog ? c->watchdog : 60,
    };
}

/* The input patterns' files, loaded before anything runs: a bad file stops
 * here, naming file and line, and no results file is written. */
static int load_inputs(const struct fb_cli *c, struct fb_inputs *inputs)
{
    char err[1024];
    for (int k = 0; k < c->ninputs; k++) {
        const struct fb_cli_input *io = &c->inputs[k];
        int wanted = c->npatterns == 0;
        for (int q = 0; q < c->npatterns; q++)
            wanted |= strcmp(c->patterns[q], io->pattern->name) == 0;
        if (!wanted && io->path) { /* a named input is read, or refused: never dropped unsaid */
            fprintf(stderr, "framebench: --%s%s %s given, but --patterns leaves out %s: add it, or drop the option\n",
                    io->pattern->input_key, io->is_dir ? "s" : "", io->path, io->pattern->name);
            return 2;
        }
        if (!wanted)
            continue;
        char path[4096];
        int is_dir = io->is_dir;
        if (io->path) {
            snprintf(path, sizeof path, "%s", io->path);
        } else {
            struct stat st;
            snprintf(path, sizeof path, "%s/%s", FB_SOURCE_DIR, io->pattern->input_default);
            is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
        }
        if (fb_inputs_add(inputs, io->pattern, path, is_dir, err, sizeof err) != 0) {
            fprintf(stderr, "framebench: %s\n", err);
            return 2;
        }
    }
    return GO_ON;
}

static void list_cells(const struct fb_cell *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cells[i].skip[0])
            printf("skip\t%s\t%s\n", cells[i].name, cells[i].skip);
        else if (cells[i].cheap[0])
            printf("run\t%s\tfill skipped: %s\n", cells[i].name, cells[i].cheap);
        else
            printf("run\t%s\n", cells[i].name);
}

/* Whether a and b name one existing file, through links too. */
static int same_file(const char *a, const char *b)
{
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* Where the results go, checked before the first cell, not after the whole
 * run.  By default a new file under the git-ignored results/runs/ of the
 * source tree, and results/latest.json pointing at it: a run never replaces
 * a file the user did not name (the committed reference is refreshed by
 * scripts/update-reference.sh alone).  No output over an input: a trace, a
 * map or a plug-in named as --out would be replaced by JSON. */
static int choose_out(const struct fb_cli *c, const struct fb_inputs *inputs, char *out, size_t cap)
{
    char err[1024];
    if (c->out) {
        snprintf(out, cap, "%s", c->out);
    } else {
        char stem[128];
        fb_run_stem(stem, sizeof stem, c->matrix);
        snprintf(out, cap, "%s/results/runs/%s.json", FB_SOURCE_DIR, stem);
        if (mkdir(FB_SOURCE_DIR "/results/runs", 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "framebench: cannot create %s/results/runs: %s\n", FB_SOURCE_DIR, strerror(errno));
            return 2;
        }
    }
    const char *input = NULL;
    for (size_t i = 0; i < inputs->n && !input; i++)
        input = same_file(out, inputs->in[i].path) ? inputs->in[i].path : NULL;
    for (int i = 0; i < c->nloaded && !input; i++)
        input = same_file(out, c->loaded[i]) ? c->loaded[i] : NULL;
    if (input) {
        fprintf(stderr, "framebench: --out %s is an input of this run (%s): the results would replace it\n", out,
                input);
        return 2;
    }
    if (fb_results_probe(out, err, sizeof err) != 0) {
        fprintf(stderr, "framebench: %s\n", err);
        return 2;
    }
    return GO_ON;
}

/* "16 skipped (9 over the cycle budget, 7 without alloc_run)". */
static void skipped_text(const struct fb_cell *cells, size_t n, char *buf, size_t len)
{
    size_t by[FB_SKIP_KINDS] = {0}, all = 0;
    for (size_t i = 0; i < n; i++)
        if (cells[i].skip[0])
            by[cells[i].skip_kind]++, all++;
    int k = snprintf(buf, len, "%zu skipped", all);
    const char *sep = " (";
    for (int kind = 1; kind < FB_SKIP_KINDS && k > 0 && (size_t)k < len; kind++)
        if (by[kind]) {
            k += snprintf(buf + k, len - (size_t)k, "%s%zu %s", sep, by[kind], fb_skip_kind_text[kind]);
            sep = ", ";
        }
    if (all && k > 0 && (size_t)k < len)
        snprintf(buf + k, len - (size_t)k, ")");
}

/* After the run: the cells that missed their target, then the results
 * file and the line naming it; the exit status. */
static int report(const struct fb_cli *c, const struct fb_cell *cells, size_t n, const struct fb_run_info *info,
                  char *out, size_t cap, int failed)
{
    size_t measured = 0, failed_cells = 0, left_out = 0;
    char skipped[256];
    skipped_text(cells, n, skipped, sizeof skipped);
    struct fb_missed missed = {.target_pct = info->target_pct};
    for (size_t i = 0; i < n; i++) {
        measured += fb_cell_measured(&cells[i]) != 0;
        failed_cells += !cells[i].skip[0] && cells[i].reps.error[0];
        left_out += fb_cell_left_out(&cells[i]) != 0;
        if (fb_cell_measured(&cells[i]))
            fb_missed_add(&missed, cells[i].name, cells[i].reps.ns, cells[i].reps.n);
    }
    fb_missed_print(&missed); /* before the line that names the file: that one ends the run */
    char err[1024];
    int status = failed ? 1 : 0;
    if (c->gb_list && measured == 0 && failed_cells == 0)
        return status; /* the list went to stdout; nothing to write */
    if (measured == 0 && failed_cells == 0) {
        /* A Google Benchmark filter that matched nothing: nothing was
         * measured, so nothing is written. */
        fprintf(stderr,
                "framebench: no cell was measured (%zu of %zu left out by the Google Benchmark "
                "flags, %s); %s not written\n",
                left_out, n, skipped, out);
        return 2;
    }
    /* The name written: a default one taken meanwhile gets "-2", ... */
    if (fb_results_write(out, cap, !c->out, cells, n, info, err, sizeof err) != 0) {
        fprintf(stderr, "framebench: %s\n", err);
        return 1;
    }
    fprintf(stderr,
            "framebench: wrote %s: %zu cells measured, %s, %zu failed, %zu left out by the Google Benchmark "
            "flags\n",
            out, measured, skipped, failed_cells, left_out);
    if (!c->quiet)
        fprintf(stderr,
                "framebench: next: plots/draw %s (its figures); tools/compare OTHER.json %s (against "
                "another run); tools/compare --strategies A,B %s (two strategies)\n",
                out, out, out);
    if (!c->out && fb_results_point(FB_SOURCE_DIR "/results/latest.json", out, err, sizeof err) != 0) {
        fprintf(stderr, "framebench: %s\n", err);
        status = 1;
    }
    return status;
}

/* Runs the planned cells and writes their file; the exit status. */
static int run(struct fb_cli *c, struct fb_cell *cells, size_t n, const struct fb_matrix_opts *mo,
               const struct fb_inputs *inputs)
{
    char out[4096];
    int rc = choose_out(c, inputs, out, sizeof out);
    if (rc != GO_ON)
        return rc;
    struct fb_run_opts ro = run_opts(c, mo->cycle_budget_s);
    int failed = fb_cases_run(cells, n, &ro, c->gb_argc, c->gb_argv);
    if (failed < 0) {
        fprintf(stderr, "framebench: Google Benchmark refused its flags\n");
        return 2;
    }
    struct fb_run_info info = {
        .matrix = c->matrix,
        .repetitions = ro.min_reps,
        .max_repetitions = ro.max_reps,
        .target_pct = ro.target_pct,
        .cell_cap_s = ro.cell_cap_s,
        .max_time_s = ro.max_time_s,
        .min_time = ro.min_time,
        .cycle_budget_s = mo->cycle_budget_s,
        .mem_cap = mo->mem_cap,
        .seed = mo->seed,
        .latency_all = c->latency,
    };
    return report(c, cells, n, &info, out, sizeof out, failed);
}

int main(int argc, char **argv)
{
    /* `framebench | head` must not kill the run: the console is a view, the
     * results file the product.  A closed stdout is said at the end. */
    signal(SIGPIPE, SIG_IGN);
    struct fb_cli c;
    int rc = fb_cli_parse(argc, argv, &c);
    if (rc != GO_ON)
        return rc;
    struct fb_inputs inputs = {0};
    struct fb_cell *cells = NULL;
    long n = 0;
    uint64_t small_max = 0;
    struct fb_matrix_opts mo = matrix_opts(&c, &small_max);
    char err[1024];
    rc = load_inputs(&c, &inputs);
    if (rc == GO_ON && c.catalog) {
        struct json_out j;
        json_start(&j, stdout, 2);
        fb_catalog_write(&j, &inputs);
        putchar('\n');
        rc = 0;
    }
    if (rc == GO_ON) {
        mo.inputs = inputs.in;
        mo.ninputs = inputs.n;
        n = fb_matrix_build(&mo, &cells, err, sizeof err);
        if (n < 0) {
            fprintf(stderr, "framebench: %s\n", err);
            rc = 1, n = 0;
        }
    }
    if (rc == GO_ON && c.list) {
        list_cells(cells, (size_t)n);
        rc = 0;
    }
    if (rc == GO_ON)
        rc = run(&c, cells, (size_t)n, &mo, &inputs);
    if (fflush(stdout) != 0 || ferror(stdout))
        fprintf(stderr,
                "framebench: standard output was closed or failed (%s); the run went on and its "
                "results file is whole\n",
                strerror(errno));
    fb_cells_free(cells, (size_t)n);
    fb_inputs_free(&inputs);
    return rc;
}
