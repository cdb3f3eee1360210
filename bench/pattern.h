/*
 * pattern.h: the allocation patterns framebench times, and the working state
 * one cell (pattern x strategy x size x parameters) runs on.
 *
 * A pattern is split so that only the allocator is ever on the clock:
 *   prepare  builds the starting map (untimed, once per cell);
 *   avail    says how many ops can run before the map must be restored;
 *   ops      the hot loop: exactly n ops, n <= avail, nothing else;
 *   reset    restores the starting map (untimed: a fill that reached full).
 * The timer (runner.c), the latency sampler and framebench-run drive every
 * pattern through these four, so each pattern is written once.
 * Patterns use the allocators only through frame_alloc.h.
 */
#ifndef FB_PATTERN_H
#define FB_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "frame_alloc.h"
#include "region.h"

#define FB_MAX_PARAMS 2
#define FB_RND_LEN 65536u /* random words, pre-generated; a power of two */
#define FB_UNLIMITED UINT64_MAX

struct fb_params {
    uint32_t v[FB_MAX_PARAMS]; /* in the order of the pattern's keys */
};

/* A real input file (trace, memory map) a pattern runs from, loaded once off
 * the clock and shared by every strategy's cell.  Its region size is fixed by
 * the file, not by the matrix. */
struct fb_pattern;
struct fb_input {
    const struct fb_pattern *pattern; /* the pattern that reads it */
    char path[4096];
    char stem[64];       /* the file name up to its first '.': the name part */
    void *data;          /* the pattern's loaded form (replay plan, memory map) */
    uint64_t base, nframes; /* the region the input spans */
    uint64_t cycle_ops;  /* ops in one cycle: replayed events, usable frames */
    /* A memory map input: the usable ranges, which other patterns that are
     * map_ok may start from too (NULL for other inputs). */
    const struct fa_range *ranges;
    size_t nranges;
};

/* A figure a pattern reports beside its time (failed requests...). */
struct fb_figure {
    const char *name; /* a string literal; the results field name */
    double value;
};
#define FB_MAX_FIGURES 4

/* One cell's state.  Frames are kept as 32-bit indices from `base`: every
 * size in the matrix (up to 2^28 frames) fits, at half the memory. */
struct fb_work {
    const struct fa_ops *ops;
    void *state;
    size_t state_bytes;
    uint64_t base, nframes;
    struct fb_params p;
    uint32_t *list;   /* the pattern's frames: used ones, or an order */
    uint64_t list_len;
    uint64_t list_cap;
    uint64_t aux;     /* ops in a cycle (fill...), or runs held (runs) */
    uint32_t *rnd;    /* FB_RND_LEN random words */
    uint64_t rnd_pos;
    uint64_t pos;     /* progress through the current cycle */
    uint64_t seed;
    fa_err err;       /* first allocator error seen in ops(); the cell fails */
    const struct fb_input *in; /* input patterns (trace, boot) */
    void *stage; /* one malloc'ed block a pattern keeps off the clock (churn's
                    staged ops, churn.h); freed with the work */
    /* A memory map the region starts from instead of one flat free region
     * (framebench-run --map): holes are used frames, never listed or freed. */
    const struct fa_range *ranges;
    size_t nranges;
    uint64_t usable;  /* free frames after fb_work_empty */
    int cheap_cycle;  /* the cost model found a whole cycle over budget: do only
                         the cheap part (boot: init without the fill) */
    double figure[FB_MAX_FIGURES]; /* the pattern's own running figures */
    char why[160];    /* with err: the pattern's own account, if it has one */
};

struct fb_pattern {
    const char *name;
    const char *one_op; /* what one op is, for --help and bench/README.md */
    const char *keys[FB_MAX_PARAMS];
    const struct fb_params *variants; /* NULL: one variant, no parameters */
    size_t nvariants;
    int needs_runs;      /* uses alloc_run/free_run */
    int latency_default; /* per-op latency sampled in the default matrix */
    /* For the cost model: ops in one cycle (between resets; 1 if none; NULL
     * for an input pattern, whose input says) and the share of a whole-map
     * scan one op costs a search-from-the-start strategy. */
    uint64_t (*cycle_ops)(uint64_t nframes);
    double scan_share;
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
    /* A second method for the named pattern's cells (the same calls in the
     * same order by another loop): the results file records how far each
     * cell's two figures agree. */
    const struct fb_pattern *crosscheck_of;
};

/* Every pattern, NULL-terminated; the harness row last. */
extern const struct fb_pattern *const fb_patterns[];
const struct fb_pattern *fb_pattern_find(const char *name);
extern const struct fb_pattern fb_harness_pattern;
extern const struct fb_pattern fb_worst_pattern; /* also the cost model's probe */
fa_err fb_worst_prepare(struct fb_work *w); /* a full map but for its last frame */
/* The pattern that reads inputs named `key` (trace, map); NULL if none. */
const struct fb_pattern *fb_pattern_for_input(const char *key);

/* --- helpers shared by the patterns (work.c) --- */

static inline uint64_t fb_pa(const struct fb_work *w, uint64_t index)
{
    return w->base + (index << FA_FRAME_SHIFT);
}
static inline uint32_t fb_index(const struct fb_work *w, uint64_t pa)
{
    return (uint32_t)((pa - w->base) >> FA_FRAME_SHIFT);
}
/* A uniform pick in [0, n) from the random table: a multiply, no divide.
 * Hot loops keep the table and position in locals: the allocator is called
 * through a pointer, so anything left in *w would be reloaded every op.
 * One table word alone would repeat the same FB_RND_LEN picks forever, so a
 * churn of 16 Mi used frames would only ever touch 65 536 of them: each word
 * is xor'ed with a rotated second word that changes every FB_RND_LEN picks,
 * so every pass picks a fresh set and the sequence repeats after 2^32 picks.
 * Two L1 loads, a rotate, a multiply. */
static inline uint64_t fb_pick(const uint32_t *rnd, uint64_t *pos, uint64_t n)
{
    uint64_t p = (*pos)++;
    uint32_t key = rnd[(p / FB_RND_LEN) & (FB_RND_LEN - 1)];
    uint32_t r = rnd[p & (FB_RND_LEN - 1)] ^ ((key << 16) | (key >> 16));
    return ((uint64_t)r * n) >> 32;
}

#define FB_HUGE_PAGE ((size_t)2 << 20)
/* A buffer for a cell's state or lists; free() releases it. */
void *fb_big_alloc(size_t bytes);
/* What a cell's work is built from: everything fb_work_open needs, so no
 * caller sets a field of fb_work after it. */
struct fb_work_spec {
    const struct fb_pattern *pattern; /* its scratch_frames sizes the list */
    const struct fa_ops *ops;
    uint64_t nframes;            /* with `in` or `map`: the file's, this is ignored */
    struct fb_params p;
    uint64_t seed;
    const struct fb_input *in;   /* an input pattern's file (trace, boot) */
    const struct fb_input *map;  /* a memory map a map_ok pattern starts from
                                    (framebench-run --map): its ranges */
    int cheap_cycle;             /* fb_work.cheap_cycle */
};
/* Allocates state, list and the random table, and builds the empty map the
 * cell starts from: one flat region at FB_BASE, or the input's region (a
 * map's usable ranges).  On an error the work is still safe to close. */
fa_err fb_work_open(struct fb_work *w, const struct fb_work_spec *spec);
void fb_work_close(struct fb_work *w);
/* Empties the map: every frame free, or with ranges every usable frame. */
fa_err fb_work_empty(struct fb_work *w);
/* Reads the whole state once, so that timing starts from a state in the
 * caches as far as it fits, as a running kernel's allocator is, and not
 * from the cold lines a setup left behind. */
void fb_work_warm(const struct fb_work *w);
/* Makes every frame used (one reserve of the whole region). */
fa_err fb_work_full(struct fb_work *w);
/* From empty: about permille/1000 of the frames used, chosen at random; the
 * used ones listed in w->list. */
fa_err fb_work_occupy(struct fb_work *w, unsigned permille);
/* Aligned 2 MiB runs wholly in the region none of whose frames is in
 * `used` (n indices) or in the `nruns` runs of `run_len` frames at `runs`. */
uint64_t fb_count_2m_free(const struct fb_work *w, const uint32_t *used, uint64_t n,
                          const uint32_t *runs, uint64_t nruns, uint64_t run_len);
uint64_t fb_splitmix(uint64_t *x);
/* n allocs, nothing else (the hot loop of fill, checkerboard and boot);
 * the first error stops it in w->err.  Advances w->pos by n. */
void fb_alloc_n(struct fb_work *w, uint64_t n);

/* Small pieces several patterns share. */
uint64_t fb_cycle_none(uint64_t nframes);            /* no reset: 1 */
uint64_t fb_cycle_all(uint64_t nframes);             /* one op per frame */
uint64_t fb_scratch_none(uint64_t nframes, const struct fb_params *p);
uint64_t fb_scratch_all(uint64_t nframes, const struct fb_params *p);
uint64_t fb_avail_unlimited(const struct fb_work *w);
uint64_t fb_avail_cycle(const struct fb_work *w);    /* aux - pos */
fa_err fb_reset_none(struct fb_work *w);

#endif /* FB_PATTERN_H */
