/*
 * check_main.c: framebench-check, the contract suite against any strategy,
 * built-in or a plug-in's: the boundary and bad-input cases, the
 * differential run against the byte-per-frame model (ctest's seeds and
 * sizes), and the relocation test.  The ctest suite runs the very same code
 * (tests/suites.h) over the built-ins.  Exit 0 clean, 1 on any finding,
 * 2 on bad usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "strategies.h"
#include "suites.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(int status)
{
    fputs("usage: framebench-check [--load PLUGIN.so]... [--strategy NAME]... [--steps N] [--seed N]\n"
          "                        [--seconds S]\n"
          "Holds strategies to framebench's contract (frame_alloc.h): fills at every size\n"
          "boundary, bad input refused with the state unchanged, aligned runs, seeded random\n"
          "sequences against a byte-per-frame model (--steps per case, default 20000), and a\n"
          "state moved with memcpy.  Default: every strategy, plug-ins included.  --seconds S\n"
          "then goes on with fresh seeds for S seconds per strategy (a bounded random search).\n"
          "Each finding names the strategy, the region, the case's seed and the shortest call\n"
          "sequence found that shows it; exit 1 if there is any.\n",
          status ? stderr : stdout);
    return status;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"load", required_argument, 0, 'l'}, {"strategy", required_argument, 0, 's'},
        {"steps", required_argument, 0, 'n'}, {"seed", required_argument, 0, 'r'},
        {"seconds", required_argument, 0, 't'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *only[64];
    size_t nonly = 0;
    unsigned long steps = 20000;
    unsigned long long seed = 1;
    double seconds = 0;
    char err[1024], *end;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (opt) {
        case 'l':
            if (fb_strategies_load(optarg, err, sizeof err) != 0) {
                fprintf(stderr, "framebench-check: %s\n", err);
                return 2;
            }
            break;
        case 's':
            if (nonly == 64)
                return usage(2);
            only[nonly++] = optarg;
            break;
        case 'n':
            steps = strtoul(optarg, &end, 10);
            if (*end || !*optarg || steps == 0) {
                fprintf(stderr, "framebench-check: bad --steps '%s'\n", optarg);
                return 2;
            }
            break;
        case 'r':
            seed = strtoull(optarg, &end, 10);
            if (*end || !*optarg) {
                fprintf(stderr, "framebench-check: bad --seed '%s'\n", optarg);
                return 2;
            }
            break;
        case 't':
            seconds = strtod(optarg, &end);
            if (*end || !*optarg || !(seconds >= 0 && seconds <= 86400)) {
                fprintf(stderr, "framebench-check: bad --seconds '%s' (want 0 to 86400)\n", optarg);
                return 2;
            }
            break;
        case 'h': return usage(0);
        case ':': fprintf(stderr, "framebench-check: %s needs a value\n", argv[optind - 1]); return usage(2);
        default: fprintf(stderr, "framebench-check: unknown option '%s'\n", argv[optind - 1]); return usage(2);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "framebench-check: unexpected argument '%s'\n", argv[optind]);
        return usage(2);
    }
    for (size_t i = 0; i < nonly; i++)
        if (!fb_strategy_find(only[i])) {
            fprintf(stderr, "framebench-check: no strategy '%s' (load its library with --load first)\n", only[i]);
            return 2;
        }
    int dirty = 0;
    for (const struct fa_ops *const *s = fb_strategies(); *s; s++) {
        int wanted = nonly == 0;
        for (size_t i = 0; i < nonly; i++)
            wanted |= strcmp(only[i], (*s)->name) == 0;
        if (!wanted)
            continue;
        const struct traits *t = traits_or_contract(*s);
        unsigned long before = check_failed;
        contract_suite(*s, t);
        unsigned long contract = check_failed - before;
        differential_suite(*s, t, steps, seed);
        /* Fresh seeds until the time is up or something is found. */
        unsigned long long more = seed + 1;
        double t0 = now_s();
        while (seconds > 0 && now_s() - t0 < seconds && check_failed == before + contract)
            differential_suite(*s, t, steps / 4 + 1, more++);
        unsigned long differential = check_failed - before - contract;
        relocate_suite(*s, t);
        unsigned long relocate = check_failed - before - contract - differential;
        printf("%-12s contract %s, differential %s, relocation %s\n", (*s)->name,
               contract ? "FAILS" : "ok", differential ? "FAILS" : "ok", relocate ? "FAILS" : "ok");
        dirty |= check_failed != before;
    }
    printf("%lu checks passed, %lu failed\n", check_passed, check_failed);
    return dirty ? 1 : 0;
}
