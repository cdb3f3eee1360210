/*
 * main.c: framebench, the benchmark binary.  Parses the command line, builds
 * the matrix, lists or runs it through Google Benchmark, writes the results
 * file.  Exit status: 0 all cells fine, 1 a cell failed or the file could not
 * be written, 2 a bad command line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unistd.h>

#include "cases.h"
#include "gbench.h"
#include "inputs.h"
#include "results.h"

#define MAX_LIST 64

static const char usage[] =
    "usage: framebench [options] [--benchmark_* flags]\n"
    "Times every frame allocator strategy under allocation patterns and writes a\n"
    "results file (schema framebench-results/2, see results/README.md).\n"
    "\n"
    "  --matrix tiny|default|full  cells to run (default: default); --full = --matrix full\n"
    "                              tiny: 64 MiB only, seconds; default: 64 MiB..64 GiB,\n"
    "                              a few minutes; full: adds 1 TiB\n"
    "  --strategies a,b            only these strategies (default: every registered one)\n"
    "  --patterns p,q              only these patterns (default: all, harness included)\n"
    "  --sizes s,t                 region sizes: frame counts or 64M, 1G, 16G, 64G, 1T\n"
    "  --repetitions N             repetitions per cell (tiny 2, default 3, full 5)\n"
    "  --min-time S                seconds per repetition (tiny 0.002, default 0.05, full 0.1)\n"
    "  --budget S                  skip a cell whose one cycle (a whole fill...) is\n"
    "                              estimated over S seconds (tiny 0.5, default 2, full 10)\n"
    "  --mem-cap-mib N             skip a cell whose buffers need more (default 4096)\n"
    "  --latency                   per-op latency tail for every pattern, not only\n"
    "                              churn and worst\n"
    "  --seed N                    random seed (default 1)\n"
    "  --traces DIR, --trace FILE  traces the trace pattern replays: every file in\n"
    "                              DIR, or one FILE (default: bench/data/traces/)\n"
    "  --maps DIR, --map FILE      memory maps the boot pattern starts from (default:\n"
    "                              bench/data/maps/e820-vm-6g.dmesg.txt)\n"
    "  --out FILE                  results file (default: a new results/runs/<UTC time>-\n"
    "                              <commit>-<matrix>.json, and results/latest.json\n"
    "                              pointing at it; a run replaces no file it was not given)\n"
    "  --list                      print the cells, skipped ones with their reason, and exit\n"
    "  --quiet                     nothing on stdout (default: one line per cell, median\n"
    "                              and min-max; colour on a terminal, --benchmark_color=\n"
    "                              auto|true|false)\n"
    "  --help                      this text\n"
    "\n"
    "Cell names: <pattern>/<strategy>/frames:<N>[/<key>:<value>]; trace and boot end\n"
    "in /trace:<file stem> and /map:<file stem>, their frames fixed by the file\n"
    "Patterns:\n";

static void print_help(void)
{
    fputs(usage, stdout);
    for (const struct fb_pattern *const *p = fb_patterns; *p; p++)
        printf("  %-13s %s\n", (*p)->name, (*p)->one_op);
    puts("Strategies:");
    for (const struct fa_ops *const *s = fa_strategies; *s; s++)
        printf("  %-13s %s\n", (*s)->name, (*s)->summary);
}

static int bad(const char *what, const char *value, const char *hint)
{
    fprintf(stderr, "framebench: bad %s '%s'%s%s\n", what, value, hint ? ": " : "", hint ? hint : "");
    return 2;
}

/* Splits a comma list in place into names[] (NULL-terminated). */
static int split(char *s, const char **names)
{
    int n = 0;
    for (char *tok = strtok(s, ","); tok && n < MAX_LIST - 1; tok = strtok(NULL, ","))
        names[n++] = tok;
    names[n] = NULL;
    return n;
}

/* "16384", "64M", "1G", "64G", "1T": frames or a size in MiB/GiB/TiB. */
static int parse_size(const char *s, uint64_t *frames)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || s[0] == '-')
        return -1;
    uint64_t shift = 0;
    if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    else if (*end == 'T' || *end == 't')
        shift = 40;
    else if (*end != '\0')
        return -1;
    if (shift && end[1] != '\0')
        return -1;
    if (shift && v > (UINT64_MAX >> shift))
        return -1;
    uint64_t f = shift ? (v << shift) >> FA_FRAME_SHIFT : v;
    if (f < 1024 || f > UINT32_MAX) /* patterns keep frames as 32-bit indices */
        return -1;
    *frames = f;
    return 0;
}

static int parse_number(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    const char *matrix = "default", *out = NULL;
    /* Input pattern files: path and whether it is a directory of them. */
    const char *trace_path = FB_SOURCE_DIR "/bench/data/traces", *map_path =
        FB_SOURCE_DIR "/bench/data/maps/e820-vm-6g.dmesg.txt";
    int trace_dir = 1, map_dir = 0;
    const char *strategies[MAX_LIST], *patterns[MAX_LIST];
    uint64_t sizes[MAX_LIST];
    int have_strategies = 0, have_patterns = 0, have_sizes = 0, list = 0, quiet = 0, latency = 0;
    int color = -1; /* --benchmark_color: -1 auto (colour only on a terminal) */
    int gb_list = 0; /* --benchmark_list_tests */
    double reps = 0, min_time = 0, budget = 0, mem_cap_mib = 4096, seed = 1;
    char *gb_argv[MAX_LIST] = {argv[0]};
    int gb_argc = 1;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_help();
            return 0;
        } else if (strcmp(a, "--full") == 0) {
            matrix = "full", takes = 0;
        } else if (strcmp(a, "--list") == 0) {
            list = 1, takes = 0;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1, takes = 0;
        } else if (strcmp(a, "--latency") == 0) {
            latency = 1, takes = 0;
        } else if (strncmp(a, "--benchmark_format", 18) == 0 || strncmp(a, "--benchmark_out", 15) == 0) {
            return bad("option", a, "framebench writes its own results file (--out) and one console line per "
                                    "cell; Google Benchmark's other output formats are not supported");
        } else if (strncmp(a, "--benchmark_color", 17) == 0) {
            const char *c = a[17] == '=' ? a + 18 : "";
            if (strcmp(c, "true") == 0 || strcmp(c, "yes") == 0 || strcmp(c, "1") == 0)
                color = 1;
            else if (strcmp(c, "false") == 0 || strcmp(c, "no") == 0 || strcmp(c, "0") == 0)
                color = 0;
            else if (strcmp(c, "auto") == 0)
                color = -1;
            else
                return bad("--benchmark_color", a, "want =auto, =true or =false");
            takes = 0;
        } else if (strncmp(a, "--benchmark_", 12) == 0) {
            /* Google Benchmark lists its cases and runs none: a listing, not a run. */
            if (strcmp(a, "--benchmark_list_tests") == 0 || strcmp(a, "--benchmark_list_tests=true") == 0)
                gb_list = 1;
            if (gb_argc < MAX_LIST - 1)
                gb_argv[gb_argc++] = argv[i];
            takes = 0;
        } else if (!v && (strcmp(a, "--matrix") == 0 || strcmp(a, "--strategies") == 0 ||
                          strcmp(a, "--patterns") == 0 || strcmp(a, "--sizes") == 0 ||
                          strcmp(a, "--repetitions") == 0 || strcmp(a, "--min-time") == 0 ||
                          strcmp(a, "--budget") == 0 || strcmp(a, "--mem-cap-mib") == 0 ||
                          strcmp(a, "--seed") == 0 || strcmp(a, "--out") == 0 ||
                          strcmp(a, "--traces") == 0 || strcmp(a, "--trace") == 0 ||
                          strcmp(a, "--maps") == 0 || strcmp(a, "--map") == 0)) {
            fprintf(stderr, "framebench: %s needs a value\n", a);
            return 2;
        } else if (strcmp(a, "--matrix") == 0) {
            if (!fb_matrix_sizes(v))
                return bad("matrix", v, "want tiny, default or full");
            matrix = v;
        } else if (strcmp(a, "--strategies") == 0) {
            have_strategies = split(argv[i + 1], strategies);
            for (int k = 0; k < have_strategies; k++)
                if (!fa_find(strategies[k]))
                    return bad("strategy", strategies[k], "see --help for the registered ones");
            if (!have_strategies)
                return bad("strategy list", v, "empty");
        } else if (strcmp(a, "--patterns") == 0) {
            have_patterns = split(argv[i + 1], patterns);
            for (int k = 0; k < have_patterns; k++)
                if (!fb_pattern_find(patterns[k]))
                    return bad("pattern", patterns[k], "see --help for the patterns");
            if (!have_patterns)
                return bad("pattern list", v, "empty");
        } else if (strcmp(a, "--sizes") == 0) {
            const char *names[MAX_LIST];
            have_sizes = split(argv[i + 1], names);
            for (int k = 0; k < have_sizes; k++) {
                if (parse_size(names[k], &sizes[k]) != 0)
                    return bad("size", names[k], "want 1024..2^32-1 frames, or 64M, 1G, 16G, 64G, 1T");
                for (int j = 0; j < k; j++)
                    if (sizes[j] == sizes[k]) /* two cells of one name would collide */
                        return bad("size", names[k], "given twice");
            }
            if (!have_sizes)
                return bad("size list", v, "empty");
            sizes[have_sizes] = 0;
        } else if (strcmp(a, "--repetitions") == 0) {
            if (parse_number(v, 1, FB_MAX_REPS, &reps) != 0 || reps != (int)reps)
                return bad("repetitions", v, "want an integer from 1 to 64");
        } else if (strcmp(a, "--min-time") == 0) {
            if (parse_number(v, 1e-6, 3600, &min_time) != 0)
                return bad("min-time", v, "want seconds, e.g. 0.05");
        } else if (strcmp(a, "--budget") == 0) {
            if (parse_number(v, 1e-3, 1e6, &budget) != 0)
                return bad("budget", v, "want seconds, e.g. 2");
        } else if (strcmp(a, "--mem-cap-mib") == 0) {
            if (parse_number(v, 1, 1 << 30, &mem_cap_mib) != 0)
                return bad("mem-cap-mib", v, "want a number of MiB");
        } else if (strcmp(a, "--seed") == 0) {
            if (parse_number(v, 0, 9007199254740991.0, &seed) != 0 || seed != (double)(uint64_t)seed)
                return bad("seed", v, "want a non-negative integer");
        } else if (strcmp(a, "--out") == 0) {
            if (v[0] == '-')
                return bad("--out", v, "want a file name, not an option (use ./-name for a file named so)");
            out = v;
        } else if (strcmp(a, "--traces") == 0 || strcmp(a, "--trace") == 0) {
            trace_path = v, trace_dir = strcmp(a, "--traces") == 0;
        } else if (strcmp(a, "--maps") == 0 || strcmp(a, "--map") == 0) {
            map_path = v, map_dir = strcmp(a, "--maps") == 0;
        } else {
            fprintf(stderr, "framebench: unknown option '%s' (try --help)\n", a);
            return 2;
        }
        i += takes;
    }

    int tiny = strcmp(matrix, "tiny") == 0, full = strcmp(matrix, "full") == 0;
    struct fb_matrix_opts mo = {
        .matrix = matrix,
        .strategies = have_strategies ? strategies : NULL,
        .patterns = have_patterns ? patterns : NULL,
        .sizes = have_sizes ? sizes : NULL,
        .latency_all = latency,
        .cycle_budget_s = budget ? budget : tiny ? 0.5 : full ? 10 : 2,
        .mem_cap = (uint64_t)mem_cap_mib << 20,
        .seed = (uint64_t)seed,
    };
    struct fb_run_opts ro = {
        .min_time = min_time ? min_time : tiny ? 0.002 : full ? 0.1 : 0.05,
        .repetitions = reps ? (int)reps : tiny ? 2 : full ? 5 : 3,
        .console = quiet ? GB_CONSOLE_QUIET
                   : (color < 0 ? isatty(STDOUT_FILENO) : color) ? GB_CONSOLE_COLOR : GB_CONSOLE_PLAIN,
        .seed = (uint64_t)seed,
    };
    struct fb_cell *cells;
    char err[1024];
    /* The input patterns' files, loaded before anything runs: a bad file
     * stops here, naming file and line, and no results file is written. */
    struct fb_inputs inputs = {0};
    const char **only = have_patterns ? patterns : NULL;
    int in_rc = 0;
    for (int k = 0; in_rc == 0 && k < 2; k++) {
        const struct fb_pattern *pt = k ? &fb_boot_pattern : &fb_trace_pattern;
        int wanted = !only;
        for (const char **q = only; q && *q; q++)
            wanted |= strcmp(*q, pt->name) == 0;
        if (wanted)
            in_rc = fb_inputs_add(&inputs, pt, k ? map_path : trace_path, k ? map_dir : trace_dir, err,
                                  sizeof err);
    }
    if (in_rc != 0) {
        fprintf(stderr, "framebench: %s\n", err);
        fb_inputs_free(&inputs);
        return 2;
    }
    mo.inputs = inputs.in;
    mo.ninputs = inputs.n;
    long n = fb_matrix_build(&mo, &cells, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "framebench: %s\n", err);
        fb_inputs_free(&inputs);
        return 1;
    }
    if (list) {
        for (long i = 0; i < n; i++)
            if (cells[i].skip[0])
                printf("skip\t%s\t%s\n", cells[i].name, cells[i].skip);
            else if (cells[i].cheap[0])
                printf("run\t%s\tfill skipped: %s\n", cells[i].name, cells[i].cheap);
            else
                printf("run\t%s\n", cells[i].name);
        free(cells);
        fb_inputs_free(&inputs);
        return 0;
    }

    /* By default a new file under the git-ignored results/runs/ of the
     * source tree, and results/latest.json pointing at it: a run never
     * replaces a file the user did not name (the committed reference is
     * refreshed by scripts/update-reference.sh alone). */
    char default_out[4096], stem[128];
    int by_default = !out;
    if (by_default) {
        fb_run_stem(stem, sizeof stem, matrix);
        snprintf(default_out, sizeof default_out, "%s/results/runs/%s.json", FB_SOURCE_DIR, stem);
        if (mkdir(FB_SOURCE_DIR "/results/runs", 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "framebench: cannot create %s/results/runs: %s\n", FB_SOURCE_DIR, strerror(errno));
            free(cells);
            fb_inputs_free(&inputs);
            return 2;
        }
        out = default_out;
    }
    /* The results file's directory, checked before the first cell, not
     * after the whole run. */
    if (fb_results_probe(out, err, sizeof err) != 0) {
        fprintf(stderr, "framebench: %s\n", err);
        free(cells);
        fb_inputs_free(&inputs);
        return 2;
    }
    gb_argv[gb_argc] = NULL;
    int failed = fb_cases_run(cells, (size_t)n, &ro, gb_argc, gb_argv);
    if (failed < 0) {
        fprintf(stderr, "framebench: Google Benchmark refused its flags\n");
        free(cells);
        fb_inputs_free(&inputs);
        return 2;
    }
    struct fb_run_info info = {
        .matrix = matrix,
        .repetitions = ro.repetitions,
        .min_time = ro.min_time,
        .cycle_budget_s = mo.cycle_budget_s,
        .mem_cap = mo.mem_cap,
        .seed = mo.seed,
        .latency_all = latency,
    };
    int status = failed ? 1 : 0;
    size_t measured = 0, planned_skips = 0, failed_cells = 0;
    size_t left_out = 0;
    for (long i = 0; i < n; i++) {
        measured += fb_cell_measured(&cells[i]) != 0;
        planned_skips += cells[i].skip[0] != 0;
        failed_cells += !cells[i].skip[0] && cells[i].error[0];
        left_out += fb_cell_left_out(&cells[i]) != 0;
    }
    if (gb_list && measured == 0 && failed_cells == 0) {
        /* The list went to stdout; there is nothing to write. */
    } else if (measured == 0 && failed_cells == 0) {
        /* A Google Benchmark filter that matched nothing, zero repetitions:
         * nothing was measured, so nothing is written. */
        fprintf(stderr, "framebench: no cell was measured (%zu of %ld left out by the Google Benchmark "
                        "flags, %zu skipped by the cost model); %s not written\n",
                left_out, n, planned_skips, out);
        status = 2;
    } else if (fb_results_write(out, cells, (size_t)n, &info, err, sizeof err) != 0) {
        fprintf(stderr, "framebench: %s\n", err);
        status = 1;
    } else {
        fprintf(stderr, "framebench: wrote %s: %zu cells measured, %zu skipped by the cost model or memory cap, "
                        "%zu failed, %zu left out by the Google Benchmark flags\n",
                out, measured, planned_skips, failed_cells, left_out);
        if (by_default && fb_results_point(FB_SOURCE_DIR "/results/latest.json", out, err, sizeof err) != 0) {
            fprintf(stderr, "framebench: %s\n", err);
            status = 1;
        }
    }
    free(cells);
    fb_inputs_free(&inputs);
    return status;
}
