/*
 * work.h: the working state one cell (pattern x strategy x size x
 * parameters) runs on, its one constructor, and the helpers patterns share
 * to build the maps they start from (work.c).
 */
#ifndef FB_WORK_H
#define FB_WORK_H

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
    char stem[64];          /* the file name up to its first '.': the name part */
    void *data;             /* the pattern's loaded form (replay plan, memory map) */
    uint64_t base, nframes; /* the region the input spans */
    uint64_t cycle_ops;     /* ops in one cycle: replayed events, usable frames */
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

/* Named series of n values each (frag's per-iteration counts); the arrays
 * belong to the pattern's work. */
#define FB_MAX_SERIES 4
struct fb_series {
    size_t n, nnames;
    const char *name[FB_MAX_SERIES]; /* string literals; the results field names */
    const double *v[FB_MAX_SERIES];
    const char *orders; /* the allocation orders the cell used */
};

/* One cell's state.  Frames are kept as 32-bit indices from `base`: every
 * size in the matrix (up to 2^28 frames) fits, at half the memory. */
struct fb_work {
    const struct fa_ops *ops;
    void *state;
    size_t state_bytes;
    uint64_t base, nframes;
    struct fb_params p;
    uint32_t *list; /* the pattern's frames: used ones, or an order */
    uint64_t list_len;
    uint64_t list_cap;
    uint64_t cycle_len; /* ops in one cycle of a pattern that resets (fill...) */
    uint32_t *rnd;      /* FB_RND_LEN random words */
    uint64_t rnd_pos;
    uint64_t pos; /* progress through the current cycle */
    uint64_t seed;
    fa_err err;                /* first allocator error seen in ops(); the cell fails */
    const struct fb_input *in; /* input patterns (trace, boot) */
    void *stage;               /* one malloc'ed block a pattern keeps off the clock (churn's
                    staged ops, churn.h); freed with the work */
    /* A memory map the region starts from instead of one flat free region
     * (framebench-run --map): holes are used frames, never listed or freed. */
    const struct fa_range *ranges;
    size_t nranges;
    uint64_t usable;               /* free frames after fb_work_empty */
    int cheap_cycle;               /* the cost model found a whole cycle over budget: do only
                         the cheap part (boot: init without the fill) */
    double figure[FB_MAX_FIGURES]; /* the pattern's own running figures */
    char why[160];                 /* with err: the pattern's own account, if it has one */
};

/* --- helpers shared by the patterns (work.c) --- */

static inline uint64_t fb_pa(const struct fb_work *w, uint64_t index) { return w->base + (index << FA_FRAME_SHIFT); }
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
    uint64_t nframes; /* with `in` or `map`: the file's, this is ignored */
    struct fb_params p;
    uint64_t seed;
    const struct fb_input *in;  /* an input pattern's file (trace, boot) */
    const struct fb_input *map; /* a memory map a map_ok pattern starts from
                                    (framebench-run --map): its ranges */
    int cheap_cycle;            /* fb_work.cheap_cycle */
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
/* After a pattern's off-clock staging: the staging's random traffic over its
 * own lists (churn: two lines per op of a list of up to 64 MiB) pushes the
 * allocator's state out of the caches between batches, traffic no allocator
 * of its own would see.  At 64 GiB tree's churn read 49 to 124 ns per op
 * where a loop with no random harness traffic (churn_walk.c) and
 * churn_recorded read 26 to 37 ns.  So the state is read back, as that loop
 * finds it, where it is at most FB_REWARM_MAX bytes: above that it cannot
 * stay cached anyway (2 MiB of L2 per core, 32 MiB of shared L3 on the
 * reference machine), and the read-back would cost many times a batch. */
#define FB_REWARM_MAX (8u << 20)
void fb_work_rewarm(const struct fb_work *w);
/* Makes every frame used (one reserve of the whole region). */
fa_err fb_work_full(struct fb_work *w);
/* From empty: about permille/1000 of the frames used, chosen at random; the
 * used ones listed in w->list. */
fa_err fb_work_occupy(struct fb_work *w, unsigned permille);
/* Aligned 2 MiB runs wholly in the region none of whose frames is in
 * `used` (n indices) or in the `nruns` runs of `run_len` frames at `runs`. */
uint64_t fb_count_2m_free(const struct fb_work *w, const uint32_t *used, uint64_t n, const uint32_t *runs,
                          uint64_t nruns, uint64_t run_len);
uint64_t fb_splitmix(uint64_t *x);
/* n allocs, nothing else (the hot loop of fill, checkerboard and boot);
 * the first error stops it in w->err.  Advances w->pos by n. */
void fb_alloc_n(struct fb_work *w, uint64_t n);

/* Small pieces several patterns share. */
uint64_t fb_cycle_none(uint64_t nframes); /* no reset: 1 */
uint64_t fb_cycle_all(uint64_t nframes);  /* one op per frame */
uint64_t fb_scratch_none(uint64_t nframes, const struct fb_params *p);
uint64_t fb_scratch_all(uint64_t nframes, const struct fb_params *p);
uint64_t fb_avail_unlimited(const struct fb_work *w);
uint64_t fb_avail_cycle(const struct fb_work *w); /* cycle_len - pos */
fa_err fb_reset_none(struct fb_work *w);

#endif /* FB_WORK_H */
