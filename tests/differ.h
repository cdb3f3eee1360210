/*
 * differ.h: one strategy and the byte-per-frame model side by side.  Each
 * differ_* call applies one operation to both and EXPECTs they agree: the
 * same success or error, refused calls leave the state byte for byte as it
 * was, returned runs are free in the model and aligned, an FA_ENOMEM is true
 * (the model finds no fitting run), free_frames equal, check passes.  The
 * differential test drives it from a seeded generator; the fuzzer from its
 * input bytes.
 */
#ifndef DIFFER_H
#define DIFFER_H

#include "fixture.h"
#include "model.h"
#include "traits.h"

/* One call as the differ made it, for replaying a failing case. */
enum differ_kind { DIFFER_ALLOC, DIFFER_ALLOC_RUN, DIFFER_FREE, DIFFER_RESERVE };
struct differ_call {
    enum differ_kind kind;
    uint64_t a, b; /* alloc_run: count, order; free, reserve: pa, count */
};

struct differ {
    struct fixture fx;
    struct model model;
    const struct traits *traits;
    unsigned long step;  /* operations applied so far, for messages */
    unsigned long fails; /* disagreements seen */
    /* With log set (differ_record): every call, and how many had been made
     * when the first disagreement was seen (0: none yet). */
    struct differ_call *log;
    size_t nlog, cap;
    size_t first_fail;
};

void differ_open(struct differ *d, const struct fa_ops *ops, const struct traits *t, uint64_t base, uint64_t nframes);
void differ_close(struct differ *d);

void differ_alloc(struct differ *d);
void differ_alloc_run(struct differ *d, uint64_t count, unsigned align_order);
/* count == 1 goes through ops->free, larger counts through free_run. */
void differ_free(struct differ *d, uint64_t pa, uint64_t count);
void differ_reserve(struct differ *d, uint64_t pa, uint64_t count);

/* Keeps a log of the calls from now on (freed by differ_close). */
void differ_record(struct differ *d);
/* Makes `c` again: a replay of a logged call. */
void differ_apply(struct differ *d, const struct differ_call *c);
/* "free(0x101000)", "alloc_run(8, 3)"... for a finding's listing. */
void differ_call_text(const struct differ_call *c, char *buf, size_t len);

/* Address of frame index i of the region (i may lie outside it). */
static inline uint64_t differ_addr(const struct differ *d, uint64_t i) { return d->fx.base + i * FA_FRAME_SIZE; }

#endif
