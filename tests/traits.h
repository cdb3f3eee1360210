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
};

/* The traits of `ops`, or NULL (and a message) when it has no line. */
const struct traits *traits_of(const struct fa_ops *ops);
/* The traits of `ops`, or for a strategy without a line (a plug-in) none
 * beyond the contract: what framebench-check holds any strategy to. */
const struct traits *traits_or_contract(const struct fa_ops *ops);

#endif
