/*
 * main.c: framebench, the benchmark binary.  Parses the command line, builds
 * the matrix, lists or runs it through Google Benchmark, writes the results
 * file.  Exit status: 0 all cells fine, 1 a cell failed or the file could not
 * be written, 2 a bad command line.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unistd.h>

#include "cases.h"
#include "inputs.h"
#include "precision.h"
#include "results.h"
#include "strategies.h"
#include "threaded.h"

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
    "  --repetitions N             repetitions per cell at least (tiny 3, default 5, full 7);\n"
    "                              each starts from a state built afresh, in rounds over\n"
    "                              all cells\n"
    "  --max-repetitions N         at most (tiny 5, default 15, full 30)\n"
    "  --target PCT                repeat a cell until the 95 %% confidence interval of its\n"
    "                              median is within +-PCT %% (default 3; 0: just --repetitions)\n"
    "  --cell-cap S                or until it has taken S seconds in all (tiny 0.05,\n"
    "                              default 1, full 5)\n"
    "  --max-time S                or until the run has taken S seconds: then no round\n"
    "                              past the least repetitions starts (tiny 20, default 240,\n"
    "                              full 0: no limit); a cell it stops says so in its row\n"
    "  --min-time S                seconds per repetition (tiny 0.002, default 0.01, full 0.05)\n"
    "  --budget S                  skip a cell whose one cycle (a whole fill...) is\n"
    "                              estimated over S seconds (tiny 0.5, default 2, full 10)\n"
    "  --mem-cap-mib N             skip a cell whose buffers need more (default 4096)\n"
    "  --latency                   per-op latency tail for every pattern, not only\n"
    "                              churn and worst\n"
    "  --seed N                    random seed (default 1)\n"
    "  --threads a,b               thread counts of the threaded patterns (mt_*; default 1\n"
    "                              and every power of two up to the CPUs this process may\n"
    "                              use); more than the CPUs: skipped, with the reason\n";
/* Then the input patterns' options, from the patterns. */
static const char usage_tail[] =
    "  --out FILE                  results file (default: a new results/runs/<UTC time>-\n"
    "                              <commit>-<matrix>.json, and results/latest.json\n"
    "                              pointing at it; a run replaces no file it was not given)\n"
    "  --load PLUGIN.so            add the strategies of a plug-in library (frame_alloc.h:\n"
    "                              FA_PLUGIN); repeatable\n"
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
    for (const struct fb_pattern *const *p = fb_patterns; *p; p++) {
        if (!(*p)->input_key)
            continue;
        char opts[64];
        snprintf(opts, sizeof opts, "--%ss DIR, --%s FILE", (*p)->input_key, (*p)->input_key);
        printf("  %-26s  %s: every file in DIR,\n%30sor one FILE (default: %s)\n", opts, (*p)->input_what, "",
               (*p)->input_default);
    }
    fputs(usage_tail, stdout);
    for (const struct fb_pattern *const *p = fb_patterns; *p; p++)
        printf("  %-13s %s\n", (*p)->name, (*p)->one_op);
    puts("Threaded patterns (cells .../threads:T; thread-safe strategies, and nextfit at one thread):");
    for (const struct fb_tpattern *const *p = fb_tpatterns; *p; p++)
        printf("  %-13s %s\n", (*p)->name, (*p)->one_op);
    puts("Strategies:");
    for (const struct fa_ops *const *s = fb_strategies(); *s; s++)
        printf("  %-13s %s%s%s\n", (*s)->name, (*s)->summary, fb_strategy_origin(*s) ? " -- from " : "",
               fb_strategy_origin(*s) ? fb_strategy_origin(*s) : "");
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

/* The options' codes for getopt_long; the input patterns' options (--traces,
 * --trace, --maps, --map: from fb_pattern.input_key) come after OPT_INPUT. */
enum {
    OPT_MATRIX = 256, OPT_FULL, OPT_STRATEGIES, OPT_PATTERNS, OPT_SIZES, OPT_REPETITIONS, OPT_MAX_REPETITIONS, OPT_TARGET, OPT_CELL_CAP, OPT_MAX_TIME, OPT_MIN_TIME,
    OPT_BUDGET, OPT_MEM_CAP, OPT_LATENCY, OPT_SEED, OPT_OUT, OPT_LIST, OPT_QUIET, OPT_HELP, OPT_LOAD, OPT_THREADS, OPT_INPUT,
};
#define MAX_INPUTS 8

/* Whether a and b name one existing file, through links too. */
static int same_file(const char *a, const char *b)
{
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* One input pattern's files: the path, and whether it is a directory. */
struct input_opt {
    const struct fb_pattern *pattern;
    char file_opt[32], dir_opt[32];
    const char *path;
    int is_dir;
};

/* --benchmark_color=auto|true|false: -1 auto (colour only on a terminal). */
static int parse_color(const char *a, int *color)
{
    const char *c = a[17] == '=' ? a + 18 : "";
    if (strcmp(c, "true") == 0 || strcmp(c, "yes") == 0 || strcmp(c, "1") == 0)
        *color = 1;
    else if (strcmp(c, "false") == 0 || strcmp(c, "no") == 0 || strcmp(c, "0") == 0)
        *color = 0;
    else if (strcmp(c, "auto") == 0)
        *color = -1;
    else
        return bad("--benchmark_color", a, "want =auto, =true or =false");
    return 0;
}

int main(int argc, char **argv)
{
    /* `framebench | head` must not kill the run: the console is a view, the
     * results file the product.  A closed stdout is said at the end. */
    signal(SIGPIPE, SIG_IGN);
    const char *matrix = "default", *out = NULL;
    const char *strategies[MAX_LIST], *patterns[MAX_LIST];
    unsigned threads[MAX_LIST];
    int have_threads = 0;
    uint64_t sizes[MAX_LIST];
    int have_strategies = 0, have_patterns = 0, have_sizes = 0, list = 0, quiet = 0, latency = 0;
    int color = -1;
    int gb_list = 0; /* --benchmark_list_tests */
    double reps = 0, max_reps = 0, target = -1, cell_cap = 0, max_time = -1, min_time = 0, budget = 0, mem_cap_mib = 4096, seed = 1;
    char *gb_argv[MAX_LIST] = {argv[0]};
    int gb_argc = 1;

    /* Google Benchmark's own flags go to it; getopt sees the rest. */
    /* Held in a static until parsing ends: a refused option returns from
     * main anywhere in the parsing, and the list stays reachable, not
     * leaked. */
    static char **own;
    own = calloc((size_t)argc + 1, sizeof *own);
    int nown = 0;
    if (!own)
        return 1;
    own[nown++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            while (i < argc)
                own[nown++] = argv[i++];
            break;
        }
        if (strncmp(a, "--benchmark_", 12) != 0) {
            own[nown++] = argv[i];
        } else if (strncmp(a, "--benchmark_format", 18) == 0 || strncmp(a, "--benchmark_out", 15) == 0) {
            return bad("option", a, "framebench writes its own results file (--out) and one console line per "
                                    "cell; Google Benchmark's other output formats are not supported");
        } else if (strncmp(a, "--benchmark_repetitions", 23) == 0 || strncmp(a, "--benchmark_min_time", 20) == 0) {
            /* framebench sets both, and the results file records them. */
            return bad("option", a, "use --repetitions N or --min-time S (the results file records those)");
        } else if (strncmp(a, "--benchmark_color", 17) == 0) {
            if (parse_color(a, &color) != 0)
                return 2;
        } else {
            /* Google Benchmark lists its cases and runs none: a listing, not a run. */
            if (strcmp(a, "--benchmark_list_tests") == 0 || strcmp(a, "--benchmark_list_tests=true") == 0)
                gb_list = 1;
            if (gb_argc < MAX_LIST - 1)
                gb_argv[gb_argc++] = argv[i];
        }
    }

    static const struct option fixed[] = {
        {"matrix", required_argument, 0, OPT_MATRIX},
        {"full", no_argument, 0, OPT_FULL},
        {"strategies", required_argument, 0, OPT_STRATEGIES},
        {"patterns", required_argument, 0, OPT_PATTERNS},
        {"sizes", required_argument, 0, OPT_SIZES},
        {"repetitions", required_argument, 0, OPT_REPETITIONS},
        {"max-repetitions", required_argument, 0, OPT_MAX_REPETITIONS},
        {"target", required_argument, 0, OPT_TARGET},
        {"cell-cap", required_argument, 0, OPT_CELL_CAP},
        {"max-time", required_argument, 0, OPT_MAX_TIME},
        {"min-time", required_argument, 0, OPT_MIN_TIME},
        {"budget", required_argument, 0, OPT_BUDGET},
        {"mem-cap-mib", required_argument, 0, OPT_MEM_CAP},
        {"latency", no_argument, 0, OPT_LATENCY},
        {"seed", required_argument, 0, OPT_SEED},
        {"out", required_argument, 0, OPT_OUT},
        {"list", no_argument, 0, OPT_LIST},
        {"quiet", no_argument, 0, OPT_QUIET},
        {"help", no_argument, 0, OPT_HELP},
        {"load", required_argument, 0, OPT_LOAD},
        {"threads", required_argument, 0, OPT_THREADS},
    };
    enum { NFIXED = sizeof fixed / sizeof fixed[0] };
    struct option longopts[NFIXED + 2 * MAX_INPUTS + 1];
    memcpy(longopts, fixed, sizeof fixed);
    struct input_opt inputs_opt[MAX_INPUTS];
    int ninputs_opt = 0, nlong = NFIXED;
    for (const struct fb_pattern *const *p = fb_patterns; *p && ninputs_opt < MAX_INPUTS; p++) {
        if (!(*p)->input_key)
            continue;
        struct input_opt *io = &inputs_opt[ninputs_opt];
        io->pattern = *p;
        snprintf(io->file_opt, sizeof io->file_opt, "%s", (*p)->input_key);
        snprintf(io->dir_opt, sizeof io->dir_opt, "%ss", (*p)->input_key);
        io->path = NULL;
        longopts[nlong++] = (struct option){io->file_opt, required_argument, 0, OPT_INPUT + 2 * ninputs_opt};
        longopts[nlong++] = (struct option){io->dir_opt, required_argument, 0, OPT_INPUT + 2 * ninputs_opt + 1};
        ninputs_opt++;
    }
    longopts[nlong] = (struct option){0, 0, 0, 0};

    /* Plug-ins first, wherever --load stands: --strategies and --help name
     * their strategies too. */
    opterr = 0;
    optind = 1;
    int opt;
    static const char *loaded[MAX_LIST];
    int nloaded = 0;
    while ((opt = getopt_long(nown, own, ":h", longopts, NULL)) != -1)
        if (opt == OPT_LOAD) {
            if (nloaded < MAX_LIST)
                loaded[nloaded++] = optarg;
            char lerr[1024];
            if (fb_strategies_load(optarg, lerr, sizeof lerr) != 0) {
                fprintf(stderr, "framebench: %s\n", lerr);
                return 2;
            }
        }
    optind = 1;
    while ((opt = getopt_long(nown, own, ":h", longopts, NULL)) != -1) {
        const char *v = optarg;
        switch (opt) {
        case 'h':
        case OPT_HELP:
            print_help();
            return 0;
        case OPT_FULL: matrix = "full"; break;
        case OPT_LIST: list = 1; break;
        case OPT_QUIET: quiet = 1; break;
        case OPT_LATENCY: latency = 1; break;
        case OPT_LOAD: break; /* loaded above */
        case OPT_MATRIX:
            if (!fb_matrix_sizes(v))
                return bad("matrix", v, "want tiny, default or full");
            matrix = v;
            break;
        case OPT_STRATEGIES:
            have_strategies = split(optarg, strategies);
            for (int k = 0; k < have_strategies; k++)
                if (!fb_strategy_find(strategies[k]))
                    return bad("strategy", strategies[k], "see --help for the registered ones");
            if (!have_strategies)
                return bad("strategy list", v, "empty");
            break;
        case OPT_PATTERNS:
            have_patterns = split(optarg, patterns);
            for (int k = 0; k < have_patterns; k++)
                if (!fb_pattern_find(patterns[k]) && !fb_tpattern_find(patterns[k]))
                    return bad("pattern", patterns[k], "see --help for the patterns");
            if (!have_patterns)
                return bad("pattern list", v, "empty");
            break;
        case OPT_SIZES: {
            const char *names[MAX_LIST];
            have_sizes = split(optarg, names);
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
            break;
        }
        case OPT_THREADS: {
            const char *names[MAX_LIST];
            have_threads = split(optarg, names);
            for (int k = 0; k < have_threads; k++) {
                double t;
                if (parse_number(names[k], 1, FB_T_MAX_THREADS, &t) != 0 || t != (unsigned)t)
                    return bad("thread count", names[k], "want an integer from 1 to 64");
                threads[k] = (unsigned)t;
                for (int j = 0; j < k; j++)
                    if (threads[j] == threads[k])
                        return bad("thread count", names[k], "given twice");
            }
            if (!have_threads)
                return bad("thread list", v, "empty");
            threads[have_threads] = 0;
            break;
        }
        case OPT_REPETITIONS:
            if (parse_number(v, 1, FB_MAX_REPS, &reps) != 0 || reps != (int)reps)
                return bad("repetitions", v, "want an integer from 1 to 64");
            break;
        case OPT_MAX_REPETITIONS:
            if (parse_number(v, 1, FB_MAX_REPS, &max_reps) != 0 || max_reps != (int)max_reps)
                return bad("max-repetitions", v, "want an integer from 1 to 64");
            break;
        case OPT_TARGET:
            if (parse_number(v, 0, 100, &target) != 0)
                return bad("target", v, "want a percentage from 0 to 100, e.g. 3");
            break;
        case OPT_CELL_CAP:
            if (parse_number(v, 1e-3, 3600, &cell_cap) != 0)
                return bad("cell-cap", v, "want seconds, e.g. 1");
            break;
        case OPT_MAX_TIME:
            if (parse_number(v, 0, 1e6, &max_time) != 0)
                return bad("max-time", v, "want seconds, e.g. 150, or 0 for no limit");
            break;
        case OPT_MIN_TIME:
            if (parse_number(v, 1e-6, 3600, &min_time) != 0)
                return bad("min-time", v, "want seconds, e.g. 0.05");
            break;
        case OPT_BUDGET:
            if (parse_number(v, 1e-3, 1e6, &budget) != 0)
                return bad("budget", v, "want seconds, e.g. 2");
            break;
        case OPT_MEM_CAP:
            if (parse_number(v, 1, 1 << 30, &mem_cap_mib) != 0)
                return bad("mem-cap-mib", v, "want a number of MiB");
            break;
        case OPT_SEED:
            if (parse_number(v, 0, 9007199254740991.0, &seed) != 0 || seed != (double)(uint64_t)seed)
                return bad("seed", v, "want a non-negative integer");
            break;
        case OPT_OUT:
            if (v[0] == '-')
                return bad("--out", v, "want a file name, not an option (use ./-name for a file named so)");
            out = v;
            break;
        case ':':
            fprintf(stderr, "framebench: %s needs a value\n", own[optind - 1]);
            return 2;
        case '?':
            fprintf(stderr, "framebench: unknown option '%s' (try --help)\n", own[optind - 1]);
            return 2;
        default: /* an input pattern's --<key> FILE or --<key>s DIR */
            inputs_opt[(opt - OPT_INPUT) / 2].path = v;
            inputs_opt[(opt - OPT_INPUT) / 2].is_dir = (opt - OPT_INPUT) % 2;
            break;
        }
    }
    if (optind < nown) {
        fprintf(stderr, "framebench: unexpected argument '%s' (try --help)\n", own[optind]);
        return 2;
    }
    free(own);
    own = NULL;

    int tiny = strcmp(matrix, "tiny") == 0, full = strcmp(matrix, "full") == 0;
    uint64_t mo_small_max = 0;
    struct fb_matrix_opts mo = {
        .matrix = matrix,
        .strategies = have_strategies ? strategies : NULL,
        .patterns = have_patterns ? patterns : NULL,
        .sizes = have_sizes ? sizes : NULL,
        .variant_sizes = have_sizes ? NULL : fb_matrix_variant_sizes(matrix),
        .crosscheck_sizes = have_sizes ? NULL : fb_matrix_crosscheck_sizes(matrix),
        .small_patterns = have_sizes ? NULL : fb_matrix_small_patterns(matrix, &mo_small_max),
        .latency_all = latency,
        .cycle_budget_s = budget ? budget : tiny ? 0.5 : full ? 10 : 2,
        .mem_cap = (uint64_t)mem_cap_mib << 20,
        .seed = (uint64_t)seed,
        .threaded_sizes = have_sizes ? sizes : NULL,
        .threads = have_threads ? threads : NULL,
        .mt_strategies = fb_mt_strategies(),
    };
    mo.small_max_frames = mo_small_max;
    int most = max_reps ? (int)max_reps : tiny ? 5 : full ? 30 : 15;
    int least = reps ? (int)reps : tiny ? 3 : full ? 7 : 5;
    if (max_reps && !reps && least > most) /* --max-repetitions alone: at most that, as said */
        least = most;
    if (max_reps && reps && max_reps < reps) {
        fprintf(stderr, "framebench: bad max-repetitions '%g': fewer than --repetitions %g\n", max_reps, reps);
        return 2;
    }
    struct fb_run_opts ro = {
        .min_time = min_time ? min_time : tiny ? 0.002 : full ? 0.05 : 0.01,
        .min_reps = least,
        .max_reps = most < least ? least : most,
        .target_pct = target >= 0 ? target : 3,
        .cell_cap_s = cell_cap ? cell_cap : tiny ? 0.05 : full ? 5 : 1,
        .max_time_s = max_time >= 0 ? max_time : tiny ? 20 : full ? 0 : 240,
        .console = quiet ? FB_CONSOLE_QUIET
                   : (color < 0 ? isatty(STDOUT_FILENO) : color) ? FB_CONSOLE_COLOR : FB_CONSOLE_PLAIN,
        .seed = (uint64_t)seed,
        .cycle_budget_s = mo.cycle_budget_s,
    };
    struct fb_cell *cells;
    char err[1024];
    /* The input patterns' files, loaded before anything runs: a bad file
     * stops here, naming file and line, and no results file is written. */
    struct fb_inputs inputs = {0};
    const char **only = have_patterns ? patterns : NULL;
    int in_rc = 0;
    for (int k = 0; in_rc == 0 && k < ninputs_opt; k++) {
        const struct input_opt *io = &inputs_opt[k];
        int wanted = !only;
        for (const char **q = only; q && *q; q++)
            wanted |= strcmp(*q, io->pattern->name) == 0;
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
        in_rc = fb_inputs_add(&inputs, io->pattern, path, is_dir, err, sizeof err);
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
        fb_cells_free(cells, (size_t)n);
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
    /* No output over an input: a trace, a map or a plug-in named as --out
     * would be replaced by JSON at the end of the run. */
    const char *input = NULL;
    for (size_t i = 0; i < inputs.n && !input; i++)
        input = same_file(out, inputs.in[i].path) ? inputs.in[i].path : NULL;
    for (int i = 0; i < nloaded && !input; i++)
        input = same_file(out, loaded[i]) ? loaded[i] : NULL;
    if (input) {
        fprintf(stderr, "framebench: --out %s is an input of this run (%s): the results would replace it\n", out,
                input);
        fb_cells_free(cells, (size_t)n);
        fb_inputs_free(&inputs);
        return 2;
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
        fb_cells_free(cells, (size_t)n);
        fb_inputs_free(&inputs);
        return 2;
    }
    struct fb_run_info info = {
        .matrix = matrix,
        .repetitions = ro.min_reps,
        .max_repetitions = ro.max_reps,
        .target_pct = ro.target_pct,
        .cell_cap_s = ro.cell_cap_s,
        .max_time_s = ro.max_time_s,
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
        failed_cells += !cells[i].skip[0] && cells[i].reps.error[0];
        left_out += fb_cell_left_out(&cells[i]) != 0;
    }
    struct fb_missed missed = {.target_pct = ro.target_pct};
    for (long i = 0; i < n; i++)
        if (fb_cell_measured(&cells[i]))
            fb_missed_add(&missed, cells[i].name, cells[i].reps.ns, cells[i].reps.n);
    fb_missed_print(&missed); /* before the line that names the file: that one ends the run */
    /* The name written: a default one taken meanwhile gets "-2", ... */
    char out_path[4096];
    snprintf(out_path, sizeof out_path, "%s", out);
    if (gb_list && measured == 0 && failed_cells == 0) {
        /* The list went to stdout; there is nothing to write. */
    } else if (measured == 0 && failed_cells == 0) {
        /* A Google Benchmark filter that matched nothing:
         * nothing was measured, so nothing is written. */
        fprintf(stderr, "framebench: no cell was measured (%zu of %ld left out by the Google Benchmark "
                        "flags, %zu skipped by the cost model); %s not written\n",
                left_out, n, planned_skips, out);
        status = 2;
    } else if (fb_results_write(out_path, sizeof out_path, by_default, cells, (size_t)n, &info, err,
                                sizeof err) != 0) {
        fprintf(stderr, "framebench: %s\n", err);
        status = 1;
    } else {
        fprintf(stderr, "framebench: wrote %s: %zu cells measured, %zu skipped by the cost model or memory cap, "
                        "%zu failed, %zu left out by the Google Benchmark flags\n",
                out_path, measured, planned_skips, failed_cells, left_out);
        if (by_default && fb_results_point(FB_SOURCE_DIR "/results/latest.json", out_path, err, sizeof err) != 0) {
            fprintf(stderr, "framebench: %s\n", err);
            status = 1;
        }
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        fprintf(stderr, "framebench: standard output was closed or failed (%s); the run went on and its "
                        "results file is whole\n", strerror(errno));
    fb_cells_free(cells, (size_t)n);
    fb_inputs_free(&inputs);
    return status;
}
