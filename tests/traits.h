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
};

/* The traits of `ops`, or NULL (and a message) when it has no line. */
const struct traits *traits_of(const struct fa_ops *ops);

#endif
