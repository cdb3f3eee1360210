/*
 * gbench.h: Google Benchmark for C callers.
 *
 * Google Benchmark has no C API; gbench.cc is the one C++ file that wraps it.
 * A case is a name plus C callbacks over a context.  The timed loop calls
 * `run` once per batch of ops, so the C/C++ boundary is crossed per batch,
 * never per op, and `run` reports the seconds it spent in the code under test
 * (manual time): setup and refills inside a batch stay off the clock.
 */
#ifndef GBENCH_H
#define GBENCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GB_MAX_COUNTERS 16
#define GB_ERROR_LEN 160

struct gb_counter {
    const char *name; /* a string literal: it outlives the run */
    double value;
};

/* What `finish` hands back after each run of a case. */
struct gb_finish {
    struct gb_counter counters[GB_MAX_COUNTERS];
    size_t ncounters;
    char error[GB_ERROR_LEN]; /* non-empty: the run failed (e.g. check()) */
    char label[GB_ERROR_LEN]; /* non-empty: shown beside the run in the table */
};

struct gb_case {
    const char *name;
    void *ctx;
    uint64_t batch;      /* ops per call of `run`; the iteration count is a multiple */
    uint64_t iterations; /* 0: Google Benchmark grows them to the min time; else
                            exactly these per repetition (a multiple of batch) */
    /* Untimed, before the first run of this case; 0 on success, else fills err. */
    int (*setup)(void *ctx, char err[GB_ERROR_LEN]);
    /* Exactly n ops; returns the seconds spent timing them, < 0 on failure. */
    double (*run)(void *ctx, uint64_t n, char err[GB_ERROR_LEN]);
    /* Untimed, after each run's timed loop: checks and extra counters. */
    void (*finish)(void *ctx, struct gb_finish *out);
    /* Untimed, once when the next case starts or everything ends. */
    void (*teardown)(void *ctx);
};

/* One reported run (a repetition) of a case. */
struct gb_result {
    const struct gb_case *c;
    int64_t repetition;
    uint64_t iterations;
    double ns_per_op;
    const char *error; /* NULL unless the run failed */
    const struct gb_counter *counters;
    size_t ncounters;
};

typedef void (*gb_on_result)(const struct gb_result *r, void *arg);

/* Reads Google Benchmark's flags (argv[0] is the program name); -1 if it
 * refuses one.  Once, before the first gb_run. */
int gb_init(int argc, char **argv);

/* Runs one repetition of each of cases[0..n) in order (a case its flags
 * filter out does not run), each set up before and torn down after it, and
 * calls `on_result` for each.  framebench repeats in rounds of these, so
 * that a cell's repetitions each start from a state built afresh and are
 * spread over the run.  Returns the number of failed runs. */
int gb_run(const struct gb_case *const *cases, size_t n, gb_on_result on_result, void *arg);

/* After the last gb_run. */
void gb_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif /* GBENCH_H */
