/*
 * model.h: the reference the differential tests hold every strategy to: one
 * byte per frame, every operation written the obvious way.  It knows the
 * contract's errors and their order, and which runs fit, but not where a
 * strategy chooses to put one.
 */
#ifndef MODEL_H
#define MODEL_H

#include <stdint.h>

#include "frame_alloc.h"

struct model {
    uint64_t pfn0, nframes, nfree;
    unsigned char *used; /* one byte per frame */
};

void model_init(struct model *m, uint64_t base, uint64_t nframes);
void model_destroy(struct model *m);

/* The error the contract requires for free_run / reserve of [pa, +count). */
fa_err model_free_run_err(const struct model *m, uint64_t pa, uint64_t count);
fa_err model_reserve_err(const struct model *m, uint64_t pa, uint64_t count);

/* Lowest aligned free run of `count` frames: its address, or UINT64_MAX. */
uint64_t model_first_fit(const struct model *m, uint64_t count, unsigned order);

/* 1 when [pa, +count) is inside the region, free and 2^order aligned. */
int model_run_fits(const struct model *m, uint64_t pa, uint64_t count, unsigned order);

void model_mark(struct model *m, uint64_t pa, uint64_t count, int used);

#endif
