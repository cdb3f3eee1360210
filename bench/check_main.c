/*
 * check_main.c: framebench-check, the contract suite against any strategy,
 * built-in or a plug-in's: the boundary and bad-input cases, the
 * differential run against the byte-per-frame model (ctest's seeds and
 * sizes), and the relocation test.  The ctest suite runs the very same code
 * (tests/suites.h) over the built-ins.  --fuzz adds a bounded libFuzzer
 * run (tests/fuzz/fuzz.sh) of each strategy compiled in.  Exit 0 clean, 1 on
 * any finding, 2 on bad usage.
 */
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_watch.h"
#include "options.h"
#include "strategy_list.h"
#include "suites.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The libFuzzer run of one strategy compiled in (a built-in or a source
 * plug-in, which the fuzz build compiles with coverage): tests/fuzz/fuzz.sh
 * in a build directory of its own.  0 clean, 1 a finding, 3 not run. */
static int fuzz_one(const struct fa_ops *s, double seconds)
{
    if (!fb_strategy_compiled_in(s) && fb_strategy_origin(s)) {
        printf("%-12s fuzz not run: a shared-library plug-in has no coverage instrumentation; "
               "compile it in with -DFRAMEBENCH_EXTRA_STRATEGIES=%s's source to fuzz it\n",
               s->name, s->name);
        return 3;
    }
    /* Every source plug-in this build has, so the fuzz build's strategies match. */
    char extra[4096] = "";
    size_t used = 0;
    for (const struct fa_ops *const *p = fb_strategies(); *p; p++)
        if (fb_strategy_compiled_in(*p) && !strstr(extra, fb_strategy_origin(*p)))
            used += (size_t)snprintf(extra + used, used < sizeof extra ? sizeof extra - used : 0, "%s%s",
                                     used ? ";" : "", fb_strategy_origin(*p));
    if (used >= sizeof extra) {
        printf("%-12s fuzz not run: the source plug-ins' paths are over %zu bytes\n", s->name, sizeof extra);
        return 3;
    }
    if (setenv("FUZZ_STRATEGY", s->name, 1) != 0 || setenv("FRAMEBENCH_EXTRA_STRATEGIES", extra, 1) != 0 ||
        setenv("FUZZ_BUILD_DIR", FB_BINARY_DIR "/fuzz-check", 1) != 0)
        return 3;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "sh '%s/tests/fuzz/fuzz.sh' %.0f >'%s/fuzz-check.log' 2>&1", FB_SOURCE_DIR,
             seconds < 1 ? 1 : seconds, FB_BINARY_DIR);
    fflush(stdout);
    int rc = system(cmd);
    rc = rc == -1 ? 3 : WIFEXITED(rc) ? WEXITSTATUS(rc) : 3;
    if (rc == 0)
        printf("%-12s fuzz ok (%.0f s)\n", s->name, seconds < 1 ? 1 : seconds);
    else if (rc == 1)
        printf("%-12s fuzz FAILS: the input is under %s/fuzz-check/crashes/; see %s/fuzz-check.log\n", s->name,
               FB_BINARY_DIR, FB_BINARY_DIR);
    else
        printf("%-12s fuzz not run: no libFuzzer build (clang and Debian's libclang-rt-dev); see "
               "%s/fuzz-check.log\n",
               s->name, FB_BINARY_DIR);
    return rc == 0 || rc == 1 ? rc : 3;
}

/* Where a strategy's suites are, for the parent to say where it crashed:
 * one line per stage on fd, then "counts PASSED FAILED". */
static void stage(int fd, const char *fmt, unsigned long long a)
{
    char line[96];
    int n = snprintf(line, sizeof line, fmt, a);
    if (fd >= 0 && n > 0 && write(fd, line, (size_t)n) < 0)
        return;
}

/* The three suites over one strategy and its results line; 1 on a finding. */
/* Calls per thread in the concurrent suite: a second or so. */
#define FB_CHECK_CONCURRENT_OPS 200000ul

static int check_one(const struct fa_ops *s, uint64_t steps, uint64_t seed, double seconds, int fd)
{
    /* By name: s may be the watched wrappers (check_watch.h). */
    struct fa_trait declared = fb_strategy_declared(fb_strategy_find(s->name));
    const struct traits *t = traits_declared(s, declared.traits, declared.max_run_order);
    unsigned long before = check_failed;
    stage(fd, "the contract suite\n", 0);
    contract_suite(s, t);
    unsigned long contract = check_failed - before;
    stage(fd, "the differential suite, seed %llu\n", seed);
    differential_suite(s, t, steps, seed);
    /* Fresh seeds until the time is up or something is found. */
    unsigned long long more = seed + 1;
    double t0 = now_s();
    while (seconds > 0 && now_s() - t0 < seconds && check_failed == before + contract) {
        stage(fd, "the differential suite, seed %llu\n", more);
        differential_suite(s, t, steps / 4 + 1, more++);
    }
    unsigned long differential = check_failed - before - contract;
    stage(fd, "the relocation suite\n", 0);
    if (!t->fixed_state)
        relocate_suite(s, t);
    unsigned long relocate = check_failed - before - contract - differential;
    /* Its thread-safe view, if it has one, from every CPU at once. */
    const struct fa_mt_ops *mt = NULL;
    for (const struct fa_mt_ops *const *m = fb_mt_strategies(); *m && !mt; m++)
        mt = strcmp((*m)->name, s->name) == 0 ? *m : NULL;
    if (mt) {
        stage(fd, "the concurrent suite\n", 0);
        fb_check_watch_forget();
        concurrent_suite(mt, FB_CHECK_CONCURRENT_OPS);
    }
    unsigned long concurrent = check_failed - before - contract - differential - relocate;
    printf("%-12s contract %s, differential %s, relocation %s%s%s\n", s->name, contract ? "FAILS" : "ok",
           differential ? "FAILS" : "ok",
           t->fixed_state ? "not run (it declares FA_TRAIT_FIXED_STATE: its state is used where init built it)"
           : relocate     ? "FAILS"
                          : "ok",
           mt ? ", concurrent " : "",
           !mt          ? ""
           : concurrent ? "FAILS"
                        : "ok");
    if (declared.traits & FA_TRAIT_BUDDY_RUNS)
        printf("%-12s declares FA_TRAIT_BUDDY_RUNS: its FA_ENOMEM from alloc_run was held to that\n", s->name);
    if (declared.max_run_order)
        printf("%-12s declares runs of 2^%u frames at most: FA_ENOMEM beyond was expected\n", s->name,
               declared.max_run_order);
    return check_failed != before;
}

/* check_one in a child process: a strategy that crashes or hangs is a
 * finding named with where it was, and the other strategies are checked.
 * The stages come up a pipe; silence for `watchdog` seconds ends it. */
static int check_isolated(const struct fa_ops *s, uint64_t steps, uint64_t seed, double seconds, double watchdog)
{
    int up[2];
    if (pipe(up) != 0)
        return check_one(s, steps, seed, seconds, -1);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        close(up[0]);
        int dirty = check_one(fb_check_watch(s, up[1]), steps, seed, seconds, up[1]);
        stage(up[1], "counts %llu", check_passed);
        stage(up[1], " %llu\n", check_failed);
        fflush(stdout);
        fflush(stderr);
        _exit(dirty);
    }
    close(up[1]);
    if (pid < 0) {
        close(up[0]);
        return check_one(s, steps, seed, seconds, -1);
    }
    char buf[4096], where[128] = "its setup", call[128] = "";
    size_t have = 0;
    int silent = 0, finished = 0;
    unsigned long passed = check_passed, failed = check_failed; /* the child's counts go on from these */
    for (;;) {
        struct pollfd pfd = {.fd = up[0], .events = POLLIN};
        int r = poll(&pfd, 1, (int)(watchdog * 1000));
        if (r == 0) {
            silent = 1;
            kill(pid, SIGKILL);
            break;
        }
        ssize_t k = r > 0 ? read(up[0], buf + have, sizeof buf - 1 - have) : 0;
        if (k <= 0)
            break;
        have += (size_t)k;
        buf[have] = '\0';
        char *nl;
        while ((nl = strchr(buf, '\n'))) {
            *nl = '\0';
            if (sscanf(buf, "counts %lu %lu", &passed, &failed) == 2)
                finished = 1;
            else if (strncmp(buf, "call ", 5) == 0)
                snprintf(call, sizeof call, "%.120s", buf + 5);
            else
                snprintf(where, sizeof where, "%.120s", buf);
            have -= (size_t)(nl + 1 - buf);
            memmove(buf, nl + 1, have + 1);
        }
    }
    close(up[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    /* No counts: it did not finish (under a sanitizer a crash is its
     * report and an exit status, not a signal). */
    if (silent || WIFSIGNALED(st) || !finished) {
        char how[64];
        snprintf(how, sizeof how, "ended (exit %d)", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        if (call[0])
            printf("%-12s %s in %s, in the call %s: a finding\n", s->name,
                   WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : how, where, call);
        else
            printf("%-12s %s in %s: a finding (run that suite alone, under a debugger, to see the call)\n", s->name,
                   silent            ? "stopped answering"
                   : WIFSIGNALED(st) ? strsignal(WTERMSIG(st))
                                     : how,
                   where);
        check_passed = passed, check_failed = failed + 1;
        return 1;
    }
    check_passed = passed, check_failed = failed;
    return WIFEXITED(st) ? WEXITSTATUS(st) != 0 : 1;
}

static int usage(int status)
{
    fputs("usage: framebench-check [--load PLUGIN.so]... [--strategy NAME]... [--steps N] [--seed N]\n"
          "                        [--seconds S] [--fuzz S] [--watchdog S]\n"
          "Holds strategies to framebench's contract (frame_alloc.h): fills at every size\n"
          "boundary, bad input refused with the state unchanged, aligned runs, seeded random\n"
          "sequences against a byte-per-frame model (--steps per case, default 20000), and a\n"
          "state moved with memcpy.  Default: every strategy, plug-ins included.  --seconds S\n"
          "then goes on with fresh seeds for S seconds per strategy (a bounded random search).\n"
          "--fuzz S fuzzes each strategy compiled in (built-in or -DFRAMEBENCH_EXTRA_STRATEGIES)\n"
          "with libFuzzer for S seconds (needs clang with libFuzzer; a plug-in library is not\n"
          "instrumented and is said so).\n"
          "Each finding names the strategy, the region, the case's seed and the shortest call\n"
          "sequence found that shows it; exit 1 if there is any.  Each strategy is checked in a\n"
          "process of its own: one that crashes, or is silent for --watchdog S (default 120),\n"
          "is a finding named with the suite (and seed) it was in.\n",
          status ? stderr : stdout);
    return status;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"load", required_argument, 0, 'l'},
        {"strategy", required_argument, 0, 's'},
        {"steps", required_argument, 0, 'n'},
        {"seed", required_argument, 0, 'r'},
        {"seconds", required_argument, 0, 't'},
        {"fuzz", required_argument, 0, 'f'},
        {"watchdog", required_argument, 0, 'w'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *only[64];
    size_t nonly = 0;
    uint64_t steps = 20000, seed = 1;
    double seconds = 0, fuzz = 0, watchdog = 120;
    char err[1024];
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
            if (fb_opt_u64(optarg, 1, ULONG_MAX, &steps) != 0)
                return fb_opt_bad("framebench-check", "--steps", optarg, "want a count of calls, 1 or more");
            break;
        case 'r':
            if (fb_opt_u64(optarg, 0, UINT64_MAX, &seed) != 0)
                return fb_opt_bad("framebench-check", "--seed", optarg, "want a non-negative integer");
            break;
        case 't':
            if (fb_opt_number(optarg, 0, 86400, 0, &seconds) != 0)
                return fb_opt_bad("framebench-check", "--seconds", optarg, "want 0 to 86400");
            break;
        case 'f':
            if (fb_opt_number(optarg, 0, 86400, 0, &fuzz) != 0 || fuzz <= 0)
                return fb_opt_bad("framebench-check", "--fuzz", optarg, "want seconds, over 0 up to 86400");
            break;
        case 'w':
            if (fb_opt_number(optarg, 1, 86400, 0, &watchdog) != 0)
                return fb_opt_bad("framebench-check", "--watchdog", optarg, "want seconds, e.g. 120");
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
            char known[2048];
            fb_strategy_names(known, sizeof known);
            fprintf(stderr, "framebench-check: no strategy '%s': %s\n", only[i], known);
            return 2;
        }
    int dirty = 0;
    for (const struct fa_ops *const *s = fb_strategies(); *s; s++) {
        int wanted = nonly == 0;
        for (size_t i = 0; i < nonly; i++)
            wanted |= strcmp(only[i], (*s)->name) == 0;
        if (!wanted)
            continue;
        dirty |= check_isolated(*s, steps, seed, seconds, watchdog) != 0;
        if (fuzz > 0)
            dirty |= fuzz_one(*s, fuzz) == 1;
    }
    printf("%lu checks passed, %lu failed\n", check_passed, check_failed);
    return dirty ? 1 : 0;
}
