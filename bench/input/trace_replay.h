/*
 * trace_replay.h: replay a page-allocation trace through a strategy.
 *
 * Two steps, so that a benchmark times only the allocator:
 *  - fb_replay_prepare (untimed) matches each free to the alloc that got its
 *    pfn, with a hash map, and turns the trace into a plan: an array of ops,
 *    each "alloc 2^k frames into slot s" or "free what slot s holds".  It also
 *    finds the peak of live frames and sizes the region from it.
 *  - fb_replay_run (timed) walks that array: no hashing, no parsing, one
 *    indirect call per op plus a store or a load of the slot's address.
 *
 * Matching rules (the trace's pfns are the traced kernel's, the strategy
 * chooses its own addresses; only the pairing carries over):
 *  - alloc of order k: alloc_run(2^k, k), or alloc() for k = 0 when the
 *    strategy has no alloc_run.  Order > 0 without alloc_run: unsupported.
 *  - free of pfn p: releases what the alloc that got p received, whole (a
 *    free of a different order, as split pages give, still releases the
 *    alloc's run).  A free of a pfn not live in the trace so far (allocated
 *    before recording began, or inside a split run) is skipped and counted.
 *  - alloc of a pfn that is still live: the kernel freed it without the free
 *    reaching the trace (events lost), so the plan frees the old allocation
 *    first; counted in implied_frees.
 */
#ifndef FB_TRACE_REPLAY_H
#define FB_TRACE_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "frame_alloc.h"
#include "region.h"
#include "trace_read.h"

/* Automatic sizing: headroom times the peak, rounded up to a multiple of
 * FB_REPLAY_ROUND frames (one 2 MiB run), at least FB_REPLAY_MIN_FRAMES. */
#define FB_REPLAY_HEADROOM 2u
#define FB_REPLAY_ROUND 512u
#define FB_REPLAY_MIN_FRAMES 16384u

struct fb_replay_op {
    uint32_t slot; /* index into the plan's addresses: one per alloc event */
    uint8_t free;  /* 0: alloc into slot, 1: release slot */
    uint8_t order; /* the alloc's order, for both */
};

struct fb_replay_plan {
    struct fb_replay_op *ops;
    size_t nops;
    uint64_t *addr; /* scratch for fb_replay_run, nslots entries */
    size_t nslots;
    uint64_t base;          /* region start; the caller may change it */
    uint64_t region_frames; /* region size in frames */
    /* What the trace held, found by prepare. */
    uint64_t events, allocs, frees; /* frees: trace frees matched to an alloc */
    uint64_t skipped_frees;         /* frees of pfns not live in the trace */
    uint64_t implied_frees;         /* re-allocs of a live pfn (see above) */
    uint64_t peak_live_frames;      /* most frames live at once */
};

/* Builds the plan.  region_frames == 0 sizes the region automatically (see
 * FB_REPLAY_HEADROOM); otherwise that size is used.  0, or -1 with a message
 * (out of memory, more than 2^32 allocs). */
int fb_replay_prepare(const struct fb_event *events, size_t n, uint64_t region_frames, struct fb_replay_plan *plan,
                      char *err, size_t errlen);
void fb_replay_plan_free(struct fb_replay_plan *plan);

/* fb_trace_read then fb_replay_prepare: the plan of the trace at `path`,
 * with `*trace_out` (if not NULL) receiving the reader's counts (its events
 * array is already freed and NULL). */
int fb_replay_load(const char *path, unsigned read_flags, uint64_t region_frames, struct fb_replay_plan *plan,
                   struct fb_trace *trace_out, char *err, size_t errlen);

/* ops->init over the plan's region: call before every run (untimed).
 * `state` holds ops->state_size(plan->region_frames) bytes, aligned. */
fa_err fb_replay_init(const struct fb_replay_plan *plan, const struct fa_ops *ops, void *state, size_t bytes);

struct fb_replay_result {
    uint64_t failed;        /* allocs the strategy refused (FA_ENOMEM...) */
    uint64_t unsupported;   /* order > 0 allocs with alloc_run NULL */
    uint64_t free_errors;   /* frees the strategy refused: a strategy bug */
    uint64_t dropped_frees; /* frees of slots whose alloc failed */
};

/* The timed part: walks the plan on a freshly initialised state.  Not
 * reentrant on one plan (it writes plan->addr). */
void fb_replay_run(struct fb_replay_plan *plan, const struct fa_ops *ops, void *state, struct fb_replay_result *result);

/* peak_live_frames / region_frames. */
double fb_replay_peak_occupancy(const struct fb_replay_plan *plan);

#endif
