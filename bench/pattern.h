/*
 * pattern.h: the allocation patterns framebench times: what each is and the
 * calls the drivers make of it.
 *
 * A pattern is split so that only the allocator is ever on the clock:
 *   prepare  builds the starting map (untimed, once per cell);
 *   avail    says how many ops can run before the map must be restored;
 *   ops      the hot loop: exactly n ops, n <= avail, nothing else;
 *   reset    restores the starting map (untimed: a fill that reached full).
 * The timer (runner.c), the latency sampler and framebench-run drive every
 * pattern through these four, so each pattern is written once.
 * Patterns use the allocators only through frame_alloc.h, and keep their
 * state in a struct fb_work (work.h).
 */
#ifndef FB_PATTERN_H
#define FB_PATTERN_H

#include "threaded.h"
#include "work.h"

struct fb_pattern {
    const char *name;
    const char *one_op; /* what one op is, for --help and bench/README.md */
    const char *title;  /* the same, short, for a figure's title */
    const char *keys[FB_MAX_PARAMS];
    const struct fb_params *variants; /* NULL: one variant, no parameters */
    size_t nvariants;
    /* The variant a one-per-pattern figure shows (index into variants), and
     * for an input pattern the input file (its stem) it shows. */
    size_t figure_variant;
    const char *figure_input;
    /* That variant in words, for the figure's title ("occupancy 90 %");
     * NULL: its keys and values as they are. */
    const char *figure_text;
    int needs_runs;      /* uses alloc_run/free_run */
    int latency_default; /* per-op latency sampled in the default matrix */
    /* For the cost model: ops in one cycle (between resets; 1 if none; NULL
     * for an input pattern, whose input says) and the share of a whole-map
     * scan one op costs a search-from-the-start strategy. */
    uint64_t (*cycle_ops)(uint64_t nframes);
    double scan_share;
    /* The cost model probes one of the pattern's own ops too (matrix.c:
     * probe_own_ns), where the scan probe says nothing of its cost. */
    int probe_own_op;
    /* Scratch frames the pattern keeps (list_cap), for the memory cap. */
    uint64_t (*scratch_frames)(uint64_t nframes, const struct fb_params *p);
    fa_err (*prepare)(struct fb_work *w);
    uint64_t (*avail)(const struct fb_work *w);
    void (*ops)(struct fb_work *w, uint64_t n);
    fa_err (*reset)(struct fb_work *w);
    /* Optional: aligned 2 MiB runs still free, from the pattern's records. */
    uint64_t (*runs_2m_free)(const struct fb_work *w);
    /* Input patterns: cells are one per input file (key:stem) and strategy,
     * sized by the file.  load fills in->data, base, nframes, cycle_ops (0, or
     * -1 with "file:line: why" in err); unload frees in->data. */
    const char *input_key;
    int (*load)(struct fb_input *in, char *err, size_t len);
    void (*unload)(struct fb_input *in);
    /* The command lines: framebench takes --<key>s DIR and --<key> FILE,
     * framebench-run --<key> FILE; input_what says what they are for --help,
     * input_default is the file or directory under the source tree used when
     * neither is given. */
    const char *input_what;
    const char *input_default;
    /* framebench-run only: --ops must be whole cycles of the input (a trace
     * replay ends where every frame it allocated is freed). */
    int ops_whole_cycles;
    /* Optional: figures of the input itself, for framebench-run's line. */
    size_t (*input_figures)(const struct fb_input *in, struct fb_figure *out);
    /* Optional: figures of the last cycle (after ops, off the clock); the
     * count, at most FB_MAX_FIGURES.  An error in them fails the cell. */
    size_t (*figures)(const struct fb_work *w, struct fb_figure *out);
    /* Optional: per-iteration figures of the first cycle (frag), written as
     * the row's `series`; the count of iterations, 0 if none is done. */
    size_t (*series)(const struct fb_work *w, struct fb_series *out);
    /* Where the cost model puts a whole cycle over the budget, run its cheap
     * part (fb_work.cheap_cycle) instead of skipping the cell (boot: the init
     * without the fill); the row says why. */
    int cheap_when_over_budget;
    /* The pattern is correct on a region that starts from a memory map with
     * holes (fb_work.ranges): it lists only frames it allocated itself.
     * framebench-run --map starts it from an input that has ranges. */
    int map_ok;
    /* A yardstick row: the named pattern's timed loop with the allocator
     * left out.  It runs once per size and variant with `yardstick_ops`
     * (no strategy), and the results file puts its share beside each of
     * that pattern's cells of the same size and variant. */
    const struct fb_pattern *yardstick_of;
    const struct fa_ops *yardstick_ops;
    /* A second method for the named pattern's cells (another loop timing
     * the same ops: churn_recorded the same calls in the same order,
     * churn_walk its own picks): the results file records how far each
     * cell's figures agree. */
    const struct fb_pattern *crosscheck_of;
    /* A threaded pattern (threaded.h): its cells run on the threaded
     * executor, their one parameter the thread count, and none of the
     * calls above is made of it. */
    const struct fb_tpattern *threaded;
};

/* Every pattern, NULL-terminated; the harness row last. */
extern const struct fb_pattern *const fb_patterns[];
const struct fb_pattern *fb_pattern_find(const char *name);
extern const struct fb_pattern fb_harness_pattern;
extern const struct fb_pattern fb_worst_pattern; /* also the cost model's probe */
fa_err fb_worst_prepare(struct fb_work *w);      /* a full map but for its last frame */
/* The threaded patterns as cells of the one matrix (NULL-terminated): one
 * per fb_tpatterns entry, its key "threads". */
const struct fb_pattern *const *fb_threaded_patterns(void);
/* The pattern that reads inputs named `key` (trace, map); NULL if none. */
const struct fb_pattern *fb_pattern_for_input(const char *key);

#endif /* FB_PATTERN_H */
