/*
 * matrix.h: the cells framebench runs (pattern x strategy x size x
 * parameters), with the cost model and memory cap that decide which cells are
 * skipped.  A skipped cell keeps its name and reason: nothing is dropped.
 */
#ifndef FB_MATRIX_H
#define FB_MATRIX_H

#include "isolate.h"
#include "json.h"
#include "pattern.h"
#include "runner.h"

#define FB_NAME_LEN 160
#define FB_MAX_REPS 64

/* Why the plan skipped a cell, counted apart at the end of a run. */
enum fb_skip_kind {
    FB_SKIP_NONE,
    FB_SKIP_BUDGET,  /* one cycle estimated over the cycle budget */
    FB_SKIP_MEMORY,  /* buffers over the memory cap */
    FB_SKIP_NO_RUNS, /* the pattern needs alloc_run, the strategy has none */
    FB_SKIP_SIZE,    /* the strategy does not support the region */
    FB_SKIP_CPUS,    /* more threads than this process may use CPUs */
    FB_SKIP_KINDS
};
/* "over the cycle budget", ...: for the line that counts them. */
extern const char *const fb_skip_kind_text[FB_SKIP_KINDS];

/* A cell while it runs (cases.c). */
struct fb_cell_live {
    struct fb_work work;
    int open;
    uint64_t started_ns, noted_ns; /* when setup began, and the last progress line */
    double longest_batch_s;        /* the slowest batch: one whole cycle where cycle > 1 */
    struct fb_trep trep;           /* a threaded cell's last repetition */
    /* An isolated cell's child process (isolate.h): its pid (0: none) and
     * the pipes to and from it. */
    int child, to_child, from_child;
};

/* What a cell's repetitions reported: per repetition its time and every
 * figure beside it by name (the latency tail, the 2 MiB runs left, the
 * pattern's own).  The figures travel as Google Benchmark counters from
 * cell_finish to the reporter and are kept here: Google Benchmark re-runs a
 * case to pick its iteration count, and only the reported runs count. */
#define FB_CELL_FIGURES 16
struct fb_reps {
    size_t n;
    double ns[FB_MAX_REPS];
    uint64_t iterations[FB_MAX_REPS];
    size_t nfig;
    char fig_name[FB_CELL_FIGURES][32];
    double fig[FB_CELL_FIGURES][FB_MAX_REPS];
    char error[FB_NAME_LEN]; /* non-empty: a run failed */
};

/* One figure over the repetitions (n values); NULL if none reported it. */
const double *fb_reps_figure(const struct fb_reps *r, const char *name);

/* One cell: the plan the matrix made (name ... total), its live state and
 * its repetitions. */
struct fb_cell {
    char name[FB_NAME_LEN];
    const struct fb_pattern *pattern;
    const struct fa_ops *ops;
    uint64_t nframes;
    struct fb_params p;
    const struct fb_input *in;   /* input patterns: the file, which fixes nframes */
    char skip[FB_NAME_LEN];      /* non-empty: not run, and why */
    enum fb_skip_kind skip_kind; /* and why, as a kind */
    char cheap[FB_NAME_LEN];     /* non-empty: runs only the cheap part of a cycle
                                (boot without the fill), and why */
    int latency;                 /* sample the per-op tail after each run */
    double est_op_ns;            /* the cost model's guess, for batch sizes */
    uint64_t cycle;              /* ops in one cycle (1: the pattern never resets) */
    uint64_t batch, latency_samples;
    /* A cell and its cross-check run the very same ops: a fixed count per
     * repetition for both (cases.c), so that a state that changes as it ages
     * (buddy's lists fragment for millions of ops) is seen alike. */
    int paired;
    size_t index, total; /* position in its round, for progress lines */
    /* Across the rounds (cases.c): the last round it ran in, its wall time
     * in all (setups included), whether it needs no more rounds, and
     * whether the over-budget line was printed. */
    int round;
    size_t round_reps; /* its repetitions when the round began */
    double spent_s;
    int done, over_noted;
    /* What ended its repetitions short of the precision target, or NULL:
     * "max_repetitions", "cell_cap", "max_time" (the row's stopped_by). */
    const char *stopped_by;
    /* A threaded cell (pattern->threaded): the thread-safe strategy, NULL
     * for the unlocked yardstick (ops alone, at one thread); p.v[0] is the
     * thread count. */
    const struct fa_mt_ops *mt;
    /* Its least repetitions where more than the run's (0: the run's). */
    int least_reps;
    /* Run in a child process (isolate.h), so that a crash or a hang of its
     * strategy fails this cell alone. */
    int isolated;
    struct fb_cell_live live;
    struct fb_reps reps;
    /* The pattern's series (frag), copied off the work at the last finish:
     * series.v[i] points into series_buf. */
    struct fb_series series;
    double *series_buf;
};

/* Frees cells[0..n) and what their runs kept. */
void fb_cells_free(struct fb_cell *cells, size_t n);

struct fb_matrix_opts {
    const char *matrix;                /* tiny, default, full */
    const char **strategies;           /* NULL-terminated; NULL: every registered one */
    const char **patterns;             /* NULL-terminated; NULL: every pattern */
    const uint64_t *sizes;             /* 0-terminated frame counts; NULL: the matrix's */
    const uint64_t *variant_sizes;     /* where every variant runs, elsewhere the figure's; NULL: every size */
    const uint64_t *crosscheck_sizes;  /* the cross-checks' sizes; NULL: every size */
    const char *const *small_patterns; /* run at small_max_frames and below only; NULL: none */
    uint64_t small_max_frames;
    int latency_all;       /* --latency: sample the tail for every pattern */
    double cycle_budget_s; /* skip a cell whose one cycle is estimated longer */
    uint64_t mem_cap;      /* skip a cell whose buffers need more bytes */
    uint64_t seed;
    const struct fb_input *inputs; /* the input patterns' files (trace, boot) */
    size_t ninputs;
    /* The threaded cells: their sizes (0-terminated; NULL: the matrix's),
     * thread counts (0-terminated; NULL: 1 and powers of two up to the
     * CPUs) and thread-safe strategies (NULL-terminated, plug-ins'
     * included). */
    const uint64_t *threaded_sizes;
    const unsigned *threads;
    const struct fa_mt_ops *const *mt_strategies;
    /* Which strategies' probes run in a child process, and how long one
     * may be silent (isolate.h). */
    enum fb_isolate isolate;
    double watchdog_s;
};

/* The sizes (frame counts, 0-terminated) of a named matrix; NULL if unknown. */
const uint64_t *fb_matrix_sizes(const char *matrix);

/* The sizes at which a matrix runs every variant of a pattern, elsewhere
 * the one its figures draw (0-terminated); NULL: at each of its sizes. */
const uint64_t *fb_matrix_variant_sizes(const char *matrix);

/* The patterns a matrix runs at *max_frames and below only (NULL-terminated;
 * NULL: none). */
const char *const *fb_matrix_small_patterns(const char *matrix, uint64_t *max_frames);

/* The unlocked yardstick of the threaded cells: a single-threaded strategy
 * at one thread, the cost of the calls with no lock. */
#define FB_THREADED_YARDSTICK "nextfit"

/* The default thread counts: 1 and every power of two up to the CPUs this
 * process may use (0-terminated). */
const unsigned *fb_matrix_threads(void);

/* The sizes of a matrix's threaded cells (0-terminated). */
const uint64_t *fb_matrix_threaded_sizes(const char *matrix);

/* The sizes at which a matrix runs the cross-checks (0-terminated); NULL:
 * at each of its sizes. */
const uint64_t *fb_matrix_crosscheck_sizes(const char *matrix);

/* Builds every cell; probes strategies for the cost model.  Returns the
 * number of cells (*out malloc'ed) or -1 with a message in err. */
long fb_matrix_build(const struct fb_matrix_opts *o, struct fb_cell **out, char *err, size_t len);

/* Appends "/<key>:<value>" parts for the cell's parameters to buf, and for
 * an input pattern "/<input_key>:<file stem>" (in may be NULL otherwise). */
void fb_cell_name(char *buf, size_t len, const struct fb_pattern *pt, const char *strategy, uint64_t nframes,
                  const struct fb_params *p, const struct fb_input *in);

/* The cell's identity as members of the open JSON object: name, pattern,
 * strategy, frames, params (the keys, and an input pattern's file stem).
 * The one writer of it, for the results file and framebench-run's line. */
void fb_cell_identity(struct json_out *j, const struct fb_pattern *pt, const char *strategy, uint64_t nframes,
                      const struct fb_params *p, const struct fb_input *in);

extern const struct fa_ops fb_null_ops;

#endif /* FB_MATRIX_H */
