/*
 * cli.h: framebench's command line, read into one struct: its own options
 * (getopt), the input patterns' (--<key> FILE, --<key>s DIR, from the
 * patterns), plug-ins loaded first wherever --load stands, and Google
 * Benchmark's flags set aside for it.  Refused values exit 2 naming the
 * value (options.h).
 */
#ifndef FB_CLI_H
#define FB_CLI_H

#include <stdint.h>

#include "pattern.h"

#define FB_CLI_LIST 64
#define FB_CLI_INPUTS 8

/* One input pattern's option: the path given (NULL: its default), and
 * whether that is a directory (--<key>s). */
struct fb_cli_input {
    const struct fb_pattern *pattern;
    char file_opt[32], dir_opt[32];
    const char *path;
    int is_dir;
};

/* What the command line asked; 0, -1 or NULL where it did not (a count
 * of 0: the list was not given). */
struct fb_cli {
    const char *matrix, *out;
    const char *strategies[FB_CLI_LIST], *patterns[FB_CLI_LIST];
    int nstrategies, npatterns;
    uint64_t sizes[FB_CLI_LIST]; /* 0-terminated */
    int nsizes;
    unsigned threads[FB_CLI_LIST]; /* 0-terminated */
    int nthreads;
    int list, catalog, quiet, latency;
    int color;   /* --benchmark_color: -1 auto, 0, 1 */
    int gb_list; /* --benchmark_list_tests: a listing, not a run */
    double reps, max_reps, target, cell_cap, max_time, min_time, budget, mem_cap_mib, seed, watchdog;
    const char *isolate;        /* plugins, all, none; NULL: plugins */
    char *gb_argv[FB_CLI_LIST]; /* Google Benchmark's flags, argv[0] first, NULL-terminated */
    int gb_argc;
    struct fb_cli_input inputs[FB_CLI_INPUTS];
    int ninputs;
    const char *loaded[FB_CLI_LIST]; /* the plug-ins, as given */
    int nloaded;
};

/* Reads argv into c; -1 to go on, else the exit status (0 after --help,
 * 2 after a bad command line, which is said on stderr). */
int fb_cli_parse(int argc, char **argv, struct fb_cli *c);

#endif
