/*
 * diff_step.h: one operation applied to a strategy and to the byte-per-frame
 * model (model.h), and every check that the two agree.  The differential test
 * and the fuzzer both drive a strategy through this, so a disagreement means
 * the same thing wherever it is found:
 *  - the same error from both (the model knows the contract's error order);
 *  - frames a strategy hands out are free in the model and aligned as asked
 *    (for a buddy_runs strategy, to the block size it rounds up to), and the
 *    lowest fit when the traits promise lowest-first;
 *  - FA_ENOMEM from alloc_run only when the model confirms it: no free
 *    aligned run at all, or for buddy_runs no free naturally aligned block
 *    of 2^max(order, ceil(log2 count)) frames;
 *  - after every call free_frames equals the model's count and check passes;
 *  - a refused call leaves the state byte for byte as it was.
 */
#ifndef DIFF_STEP_H
#define DIFF_STEP_H

#include <stddef.h>
#include <stdint.h>

#include "fixture.h"
#include "model.h"
#include "traits.h"

struct diff {
    struct fixture fx; /* the strategy under test, with its snapshot */
    struct model m;    /* the reference */
    const struct traits *t;
};

enum diff_kind { DIFF_ALLOC, DIFF_ALLOC_RUN, DIFF_FREE, DIFF_FREE_RUN, DIFF_RESERVE };

struct diff_op {
    enum diff_kind kind;
    uint64_t pa;    /* free, free_run, reserve */
    uint64_t count; /* alloc_run, free_run, reserve */
    unsigned order; /* alloc_run */
};

/* Opens `ops` over [base, +nframes) beside a fresh model; exits if it has no
 * traits line or init fails (nothing to compare). */
void diff_open(struct diff *d, const struct fa_ops *ops, uint64_t base, uint64_t nframes);
void diff_close(struct diff *d);

/* Applies `op` to both and checks them as above.  1 when they agree, else 0
 * after printing what differed to stderr.  DIFF_ALLOC_RUN on a strategy
 * without alloc_run changes nothing and agrees.  On success of an
 * allocation, *pa (may be NULL) receives the address. */
int diff_apply(struct diff *d, const struct diff_op *op, uint64_t *pa);

/* "alloc_run(count=3, order=2)" and the like, into buf. */
void diff_describe(const struct diff_op *op, char *buf, size_t size);

#endif
