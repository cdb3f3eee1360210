/*
 * traits.h: what the tests may expect of each strategy beyond the contract.
 * Every strategy in fa_strategies needs one line in traits.c; a strategy
 * without one fails the tests until it gets it.
 */
#ifndef TRAITS_H
#define TRAITS_H

#include "frame_alloc.h"

struct traits {
    const char *name;
    int lowest_first;      /* alloc returns the lowest free frame */
    int lowest_first_runs; /* alloc_run returns the lowest aligned fit */
    /* alloc_run serves count frames from a free block of 2^ceil(log2 count)
     * frames, naturally aligned (a buddy allocator): its FA_ENOMEM means no
     * such block is free, not that no run of count frames is. */
    int buddy_runs;
    /* the state holds pointers into itself (FA_TRAIT_FIXED_STATE): the
     * relocation suite does not apply */
    int fixed_state;
    unsigned max_run_order; /* runs of 2^max_run_order frames at most; 0: no limit */
};

/* The traits of `ops`, or NULL (and a message) when it has no line. */
const struct traits *traits_of(const struct fa_ops *ops);
/* The traits of `ops`, or for a strategy without a line (a plug-in) none
 * beyond the contract: what framebench-check holds any strategy to. */
const struct traits *traits_or_contract(const struct fa_ops *ops);
/* traits_or_contract with what a plug-in declares of itself (FA_TRAIT_*
 * bits, frame_alloc.h) added; the result lives until the next call. */
/* 1 when a run of count frames aligned to 2^order is beyond what `t`
 * serves at all (max_run_order): FA_ENOMEM is its answer. */
int traits_run_too_large(const struct traits *t, uint64_t count, unsigned order);
const struct traits *traits_declared(const struct fa_ops *ops, unsigned fa_traits, unsigned max_run_order);

#endif
