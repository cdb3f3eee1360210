/* cli.c: see cli.h. */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "matrix.h"
#include "options.h"
#include "strategy_list.h"

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
    "  --target PCT                repeat a cell until the 95 % confidence interval of its\n"
    "                              median is within +-PCT % (default 3; 0: just --repetitions)\n"
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
    "  --isolate plugins|all|none  run these cells each in a child process, so that a\n"
    "                              strategy's crash or hang fails its own cells alone\n"
    "                              (default: plugins, the cells of a plug-in's strategy)\n"
    "  --watchdog S                an isolated cell silent this long is ended, and its\n"
    "                              strategy's later cells are not run (default 60)\n"
    "  --list                      print the cells, skipped ones with their reason, and exit\n"
    "  --catalog                   print what framebench knows (JSON: the patterns, their\n"
    "                              parameters and roles, the strategies, the matrices'\n"
    "                              sizes, the input files) and exit\n"
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
    for (const struct fb_pattern *const *p = fb_threaded_patterns(); *p; p++)
        printf("  %-13s %s\n", (*p)->name, (*p)->one_op);
    puts("Strategies:");
    for (const struct fa_ops *const *s = fb_strategies(); *s; s++)
        printf("  %-13s %s%s%s\n", (*s)->name, (*s)->summary, fb_strategy_origin(*s) ? " -- from " : "",
               fb_strategy_origin(*s) ? fb_strategy_origin(*s) : "");
}

static int bad(const char *what, const char *value, const char *hint)
{
    return fb_opt_bad("framebench", what, value, hint);
}

/* The options' codes for getopt_long; the input patterns' options (--traces,
 * --trace, --maps, --map: from fb_pattern.input_key) come after OPT_INPUT. */
enum {
    OPT_MATRIX = 256,
    OPT_FULL,
    OPT_STRATEGIES,
    OPT_PATTERNS,
    OPT_SIZES,
    OPT_REPETITIONS,
    OPT_MAX_REPETITIONS,
    OPT_TARGET,
    OPT_CELL_CAP,
    OPT_MAX_TIME,
    OPT_MIN_TIME,
    OPT_BUDGET,
    OPT_MEM_CAP,
    OPT_LATENCY,
    OPT_SEED,
    OPT_OUT,
    OPT_LIST,
    OPT_CATALOG,
    OPT_QUIET,
    OPT_HELP,
    OPT_LOAD,
    OPT_THREADS,
    OPT_ISOLATE,
    OPT_WATCHDOG,
    OPT_INPUT,
};

/* The options whose value is one number: its range and what to say when
 * it is out of it. */
static const struct number_opt {
    int code;
    const char *what;
    double lo, hi;
    int integer;
    const char *hint;
    size_t at; /* offsetof the double in struct fb_cli */
} numbers[] = {
    {OPT_REPETITIONS, "repetitions", 1, FB_MAX_REPS, 1, "want an integer from 1 to 64", offsetof(struct fb_cli, reps)},
    {OPT_MAX_REPETITIONS, "max-repetitions", 1, FB_MAX_REPS, 1, "want an integer from 1 to 64",
     offsetof(struct fb_cli, max_reps)},
    {OPT_TARGET, "target", 0, 100, 0, "want a percentage from 0 to 100, e.g. 3", offsetof(struct fb_cli, target)},
    {OPT_CELL_CAP, "cell-cap", 1e-3, 3600, 0, "want seconds, e.g. 1", offsetof(struct fb_cli, cell_cap)},
    {OPT_MAX_TIME, "max-time", 0, 1e6, 0, "want seconds, e.g. 150, or 0 for no limit",
     offsetof(struct fb_cli, max_time)},
    {OPT_MIN_TIME, "min-time", 1e-6, 3600, 0, "want seconds, e.g. 0.05", offsetof(struct fb_cli, min_time)},
    {OPT_BUDGET, "budget", 1e-3, 1e6, 0, "want seconds, e.g. 2", offsetof(struct fb_cli, budget)},
    {OPT_MEM_CAP, "mem-cap-mib", 1, 1 << 30, 1, "want a whole number of MiB", offsetof(struct fb_cli, mem_cap_mib)},
    {OPT_SEED, "seed", 0, 9007199254740991.0, 1, "want a non-negative integer", offsetof(struct fb_cli, seed)},
    {OPT_WATCHDOG, "watchdog", 1, 86400, 0, "want seconds, e.g. 60", offsetof(struct fb_cli, watchdog)},
};

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
    {"catalog", no_argument, 0, OPT_CATALOG},
    {"quiet", no_argument, 0, OPT_QUIET},
    {"help", no_argument, 0, OPT_HELP},
    {"load", required_argument, 0, OPT_LOAD},
    {"threads", required_argument, 0, OPT_THREADS},
    {"isolate", required_argument, 0, OPT_ISOLATE},
    {"watchdog", required_argument, 0, OPT_WATCHDOG},
};
enum { NFIXED = sizeof fixed / sizeof fixed[0] };

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

/* Google Benchmark's flags to c->gb_argv, the rest to own (argv[0] first):
 * -1, or the exit status of a flag framebench refuses. */
static int split_flags(int argc, char **argv, struct fb_cli *c, char **own, int *nown)
{
    own[(*nown)++] = argv[0];
    c->gb_argv[c->gb_argc++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            while (i < argc)
                own[(*nown)++] = argv[i++];
            break;
        }
        if (strncmp(a, "--benchmark_", 12) != 0) {
            own[(*nown)++] = argv[i];
        } else if (strncmp(a, "--benchmark_format", 18) == 0 || strncmp(a, "--benchmark_out", 15) == 0) {
            return bad("option", a,
                       "framebench writes its own results file (--out) and one console line per "
                       "cell; Google Benchmark's other output formats are not supported");
        } else if (strncmp(a, "--benchmark_repetitions", 23) == 0 || strncmp(a, "--benchmark_min_time", 20) == 0) {
            /* framebench sets both, and the results file records them. */
            return bad("option", a, "use --repetitions N or --min-time S (the results file records those)");
        } else if (strncmp(a, "--benchmark_color", 17) == 0) {
            if (parse_color(a, &c->color) != 0)
                return 2;
        } else {
            /* Google Benchmark lists its cases and runs none: a listing, not a run. */
            if (strcmp(a, "--benchmark_list_tests") == 0 || strcmp(a, "--benchmark_list_tests=true") == 0)
                c->gb_list = 1;
            if (c->gb_argc < FB_CLI_LIST - 1)
                c->gb_argv[c->gb_argc++] = argv[i];
        }
    }
    c->gb_argv[c->gb_argc] = NULL;
    return -1;
}

/* The option table: the fixed options, then each input pattern's two. */
static void input_options(struct fb_cli *c, struct option *longopts)
{
    int nlong = NFIXED;
    memcpy(longopts, fixed, sizeof fixed);
    for (const struct fb_pattern *const *p = fb_patterns; *p && c->ninputs < FB_CLI_INPUTS; p++) {
        if (!(*p)->input_key)
            continue;
        struct fb_cli_input *io = &c->inputs[c->ninputs];
        io->pattern = *p;
        snprintf(io->file_opt, sizeof io->file_opt, "%s", (*p)->input_key);
        snprintf(io->dir_opt, sizeof io->dir_opt, "%ss", (*p)->input_key);
        longopts[nlong++] = (struct option){io->file_opt, required_argument, 0, OPT_INPUT + 2 * c->ninputs};
        longopts[nlong++] = (struct option){io->dir_opt, required_argument, 0, OPT_INPUT + 2 * c->ninputs + 1};
        c->ninputs++;
    }
    longopts[nlong] = (struct option){0, 0, 0, 0};
}

/* Plug-ins first, wherever --load stands: --strategies and --help name
 * their strategies too. */
static int load_plugins(struct fb_cli *c, int nown, char **own, const struct option *longopts)
{
    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(nown, own, ":h", longopts, NULL)) != -1) {
        if (opt != OPT_LOAD)
            continue;
        if (c->nloaded < FB_CLI_LIST)
            c->loaded[c->nloaded++] = optarg;
        char err[1024];
        if (fb_strategies_load(optarg, err, sizeof err) != 0) {
            fprintf(stderr, "framebench: %s\n", err);
            return 2;
        }
    }
    return -1;
}

/* --strategies, --patterns: names each of which must be known. */
static int names_option(int opt, char *v, struct fb_cli *c)
{
    int strategies = opt == OPT_STRATEGIES;
    const char **names = strategies ? c->strategies : c->patterns;
    char list[FB_NAME_LEN];
    snprintf(list, sizeof list, "%s", v);
    int n = fb_opt_split(v, names, FB_CLI_LIST);
    if (n < 0)
        return bad(strategies ? "strategy list" : "pattern list", list, "an empty name, or more than 63");
    char known[2048];
    for (int k = 0; k < n; k++)
        if (strategies ? !fb_strategy_find(names[k]) : !fb_pattern_find(names[k]) && !fb_tpattern_find(names[k])) {
            if (strategies)
                fb_strategy_names(known, sizeof known);
            return bad(strategies ? "strategy" : "pattern", names[k],
                       strategies ? known : "see --help for the patterns");
        }
    if (!n)
        return bad(strategies ? "strategy list" : "pattern list", list, "empty");
    *(strategies ? &c->nstrategies : &c->npatterns) = n;
    return -1;
}

/* --sizes, --threads: values each given once, 0-terminated. */
static int values_option(int opt, char *v, struct fb_cli *c)
{
    int sizes = opt == OPT_SIZES;
    const char *names[FB_CLI_LIST];
    char list[FB_NAME_LEN];
    snprintf(list, sizeof list, "%s", v);
    int n = fb_opt_split(v, names, FB_CLI_LIST);
    if (n < 0)
        return bad(sizes ? "size list" : "thread list", list, "an empty item, or more than 63");
    for (int k = 0; k < n; k++) {
        uint64_t x;
        if (sizes ? fb_opt_frames(names[k], &x) != 0 : fb_opt_u64(names[k], 1, FB_T_MAX_THREADS, &x) != 0)
            return bad(sizes ? "size" : "thread count", names[k],
                       sizes ? FB_OPT_FRAMES_HINT : "want an integer from 1 to 64");
        for (int j = 0; j < k; j++)
            if (sizes ? c->sizes[j] == x : c->threads[j] == x) /* two cells of one name would collide */
                return bad(sizes ? "size" : "thread count", names[k], "given twice");
        if (sizes)
            c->sizes[k] = x;
        else
            c->threads[k] = (unsigned)x;
    }
    if (!n)
        return bad(sizes ? "size list" : "thread list", list, "empty");
    if (sizes)
        c->sizes[c->nsizes = n] = 0;
    else
        c->threads[c->nthreads = n] = 0;
    return -1;
}

/* One option: -1 to go on, else the exit status. */
static int one_option(int opt, char *v, struct fb_cli *c, char **own)
{
    for (size_t k = 0; k < sizeof numbers / sizeof numbers[0]; k++)
        if (numbers[k].code == opt) {
            const struct number_opt *n = &numbers[k];
            if (fb_opt_number(v, n->lo, n->hi, n->integer, (double *)((char *)c + n->at)) != 0)
                return bad(n->what, v, n->hint);
            return -1;
        }
    switch (opt) {
    case 'h':
    case OPT_HELP: print_help(); return 0;
    case OPT_FULL: c->matrix = "full"; return -1;
    case OPT_LIST: c->list = 1; return -1;
    case OPT_CATALOG: c->catalog = 1; return -1;
    case OPT_QUIET: c->quiet = 1; return -1;
    case OPT_LATENCY: c->latency = 1; return -1;
    case OPT_LOAD: return -1; /* loaded before */
    case OPT_MATRIX:
        if (!fb_matrix_sizes(v))
            return bad("matrix", v, "want tiny, default or full");
        c->matrix = v;
        return -1;
    case OPT_ISOLATE:
        if (strcmp(v, "plugins") != 0 && strcmp(v, "all") != 0 && strcmp(v, "none") != 0)
            return bad("isolate", v, "want plugins, all or none");
        c->isolate = v;
        return -1;
    case OPT_STRATEGIES:
    case OPT_PATTERNS: return names_option(opt, v, c);
    case OPT_SIZES:
    case OPT_THREADS: return values_option(opt, v, c);
    case OPT_OUT:
        if (v[0] == '-')
            return bad("--out", v, "want a file name, not an option (use ./-name for a file named so)");
        c->out = v;
        return -1;
    case ':': fprintf(stderr, "framebench: %s needs a value\n", own[optind - 1]); return 2;
    case '?': fprintf(stderr, "framebench: unknown option '%s' (try --help)\n", own[optind - 1]); return 2;
    default: { /* an input pattern's --<key> FILE or --<key>s DIR: one of them, once */
        struct fb_cli_input *io = &c->inputs[(opt - OPT_INPUT) / 2];
        if (io->path) {
            fprintf(stderr, "framebench: --%s and --%s: give one of them, once (a FILE or a DIR)\n", io->file_opt,
                    io->dir_opt);
            return 2;
        }
        io->path = v;
        io->is_dir = (opt - OPT_INPUT) % 2;
        return -1;
    }
    }
}

/* The options after the plug-ins: -1 to go on, else the exit status. */
static int read_options(struct fb_cli *c, int nown, char **own, const struct option *longopts)
{
    int opt, rc = -1;
    optind = 1;
    while (rc < 0 && (opt = getopt_long(nown, own, ":h", longopts, NULL)) != -1)
        rc = one_option(opt, optarg, c, own);
    if (rc < 0 && optind < nown) {
        fprintf(stderr, "framebench: unexpected argument '%s' (try --help)\n", own[optind]);
        rc = 2;
    }
    if (rc < 0 && c->max_reps && c->reps && c->max_reps < c->reps) {
        fprintf(stderr, "framebench: bad max-repetitions '%g': fewer than --repetitions %g\n", c->max_reps, c->reps);
        rc = 2;
    }
    return rc;
}

int fb_cli_parse(int argc, char **argv, struct fb_cli *c)
{
    *c =
        (struct fb_cli){.matrix = "default", .color = -1, .target = -1, .max_time = -1, .mem_cap_mib = 4096, .seed = 1};
    char **own = calloc((size_t)argc + 1, sizeof *own);
    struct option longopts[NFIXED + 2 * FB_CLI_INPUTS + 1];
    int nown = 0, rc = own ? -1 : 1;
    if (rc < 0)
        rc = split_flags(argc, argv, c, own, &nown);
    if (rc < 0) {
        input_options(c, longopts);
        rc = load_plugins(c, nown, own, longopts);
    }
    if (rc < 0)
        rc = read_options(c, nown, own, longopts);
    free(own);
    return rc;
}
