/*
 * churn.h: the churn loop, shared with the harness row; churn_recorded.c
 * measures the same ops by another method.
 *
 * Why the ops are staged.  A churn op frees a random frame of the used list
 * and puts the frame it allocates in its place.  Read on the clock, that
 * random entry of a list of up to 64 MiB misses to DRAM, and the free that
 * needs its value waits for the miss: at 16 GiB the live loop spent most of
 * its 30 to 200 ns per op in that one read of the harness's.  So the picks
 * are drawn off the clock, FB_STAGE_OPS at a time (churn's reset): each
 * distinct picked entry gets a slot holding its frame, and op i frees the
 * frame in slot seq[i] and allocates into that same slot.  On the clock the
 * loop reads seq sequentially and a slot table that stays in L1; the calls
 * and their order are exactly those of the live loop (tests/churn_calls.c
 * compares them).  Off the clock the slots are written back to the used
 * list before the next batch is drawn.
 */
#ifndef FB_CHURN_H
#define FB_CHURN_H

#include "pattern.h"

#define FB_STAGE_OPS 2048u  /* ops per staged batch: 12 KiB on the clock */
#define FB_STAGE_HASH 4096u /* dedup table while staging; a power of two */

struct fb_stage {
    /* Touched on the clock. */
    uint64_t slot[FB_STAGE_OPS]; /* the frame (address) a slot holds */
    uint16_t seq[FB_STAGE_OPS];  /* op i frees slot seq[i], allocs into it */
    /* Off the clock only. */
    uint32_t pick[FB_STAGE_OPS];  /* the used-list index slot k came from */
    uint32_t hkey[FB_STAGE_HASH]; /* picked index + 1; 0 = empty */
    uint16_t hslot[FB_STAGE_HASH];
    uint32_t nops, pos, nslots;
};

/* Off the clock, the staging (and churn_recorded's recording) read the
 * used-list entries of their picks, misses at large sizes: they prefetch
 * this many picks ahead. */
#define FB_STAGE_AHEAD 16u

fa_err fb_churn_prepare(struct fb_work *w);
uint64_t fb_churn_scratch(uint64_t nframes, const struct fb_params *p);
uint64_t fb_churn_avail(const struct fb_work *w);
fa_err fb_churn_stage(struct fb_work *w);
void fb_churn_warm(const struct fb_stage *s);
/* Writes the slots back into the used list (idempotent; off the clock). */
void fb_churn_sync(const struct fb_work *w);
void fb_churn_ops(struct fb_work *w, uint64_t n);
uint64_t fb_churn_runs_2m_free(const struct fb_work *w);
#define FB_CHURN_NVARIANTS 5
extern const struct fb_params fb_churn_variants[FB_CHURN_NVARIANTS];
/* The occupancies churn, its cross-checks and the harness row share, and
 * the one their figures show: one place for all four. */
#define FB_CHURN_OCCUPANCIES                                                                                    \
    .keys = {"occupancy"}, .variants = fb_churn_variants, .nvariants = FB_CHURN_NVARIANTS, .figure_variant = 2, \
    .figure_text = "occupancy 90 %"

/* The timed loop, written once.  churn passes the strategy's own functions;
 * the harness row passes inline stand-ins, so it times exactly this loop's
 * own work.  At occupancy 0 there is nothing to free first: one op is an
 * alloc and the free of that frame, with no harness data at all. */
static inline __attribute__((always_inline)) void
fb_churn_loop(struct fb_work *w, uint64_t n, fa_err (*alloc)(void *, uint64_t *), fa_err (*release)(void *, uint64_t))
{
    void *st = w->state;
    fa_err e = FA_OK;
    if (w->list_len == 0) {
        for (uint64_t i = 0; i < n && e == FA_OK; i++) {
            uint64_t pa;
            if ((e = alloc(st, &pa)) == FA_OK)
                e = release(st, pa);
        }
        w->err = e;
        return;
    }
    struct fb_stage *s = (struct fb_stage *)w->stage;
    uint64_t *slot = s->slot;
    const uint16_t *seq = s->seq + s->pos;
    uint64_t i = 0;
    for (; i < n; i++) {
        uint64_t *f = &slot[seq[i]];
        if ((e = release(st, *f)) != FA_OK || (e = alloc(st, f)) != FA_OK)
            break;
    }
    s->pos += (uint32_t)i;
    w->err = e;
}

#endif
