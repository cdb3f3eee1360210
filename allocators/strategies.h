/*
 * strategies.h: every strategy's operations table, declared once.  Each
 * strategy's file defines its own; registry.c lists them.  A kernel that
 * lifts one strategy includes this header (or declares that one table).
 */
#ifndef FA_STRATEGIES_H
#define FA_STRATEGIES_H

#include "frame_alloc_mt.h"

extern const struct fa_ops fa_linear_ops, fa_ctz_ops, fa_nextfit_ops, fa_summary2_ops, fa_tree_ops, fa_freelist_ops,
    fa_buddy_ops;
/* Thread-safe (frame_alloc_mt.h): each as many CPUs call it, and as one does. */
extern const struct fa_mt_ops fa_locked_nextfit_mt_ops, fa_pcp_mt_ops, fa_lockfree_mt_ops, fa_hugeaware_mt_ops;
extern const struct fa_ops fa_locked_nextfit_single_ops, fa_pcp_single_ops, fa_lockfree_single_ops,
    fa_hugeaware_single_ops;
/* Hosted only: its vector scan needs an OS that saves vector state. */
extern const struct fa_ops fa_simd_ops;

#endif /* FA_STRATEGIES_H */
