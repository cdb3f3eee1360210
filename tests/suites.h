/*
 * suites.h: the contract tests as suites for one strategy, so that ctest
 * (test_contract, test_differential, test_relocate, test_mt_stress: every
 * built-in) and
 * framebench-check (any strategy, a plug-in's too) run the same code.  A
 * failure is an EXPECT (check.h): counted in check_failed, printed with the
 * strategy, the region and, for the differential suite, its case's seed.
 */
#ifndef SUITES_H
#define SUITES_H

#include "check.h"
#include "frame_alloc_mt.h"
#include "traits.h"

/* Sizes 1 .. 262144 at three bases: fills, bad input, runs, buffers. */
void contract_suite(const struct fa_ops *ops, const struct traits *t);
/* Seeded random sequences against the byte-per-frame model. */
void differential_suite(const struct fa_ops *ops, const struct traits *t, unsigned long steps,
                        unsigned long long seed0);
/* Copied with memcpy, used from the copy, the original freed. */
void relocate_suite(const struct fa_ops *ops, const struct traits *t);
/* A thread-safe strategy from one thread per CPU (2 to 8) at once: a fill
 * from every CPU, 2 MiB runs from all at once, n_ops random calls each with
 * remote frees, against an ownership table (concurrent.c). */
void concurrent_suite(const struct fa_mt_ops *ops, unsigned long n_ops);

#endif
