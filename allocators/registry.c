/*
 * registry.c: the list of strategies, fa_find and fa_strerror.  A kernel that
 * lifts one strategy leaves this file behind and names that strategy's ops.
 */
#include "strategies.h"

/* Order is presentation order in tables and plots: the seed first. */
const struct fa_ops *const fa_strategies[] = {
    &fa_linear_ops,
    &fa_ctz_ops,
    &fa_nextfit_ops,
    &fa_summary2_ops,
    &fa_tree_ops,
#ifdef FA_HOSTED_STRATEGIES /* need the OS to save vector state: not in a kernel */
    &fa_simd_ops,
#endif
    &fa_freelist_ops,
    &fa_buddy_ops,
    /* The thread-safe strategies, called from one CPU (frame_alloc_mt.h). */
    &fa_locked_nextfit_single_ops,
    &fa_pcp_single_ops,
    &fa_lockfree_single_ops,
    &fa_hugeaware_single_ops,
    0,
};

static int same_name(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

const struct fa_ops *fa_find(const char *name)
{
    for (const struct fa_ops *const *s = fa_strategies; *s; s++)
        if (same_name((*s)->name, name))
            return *s;
    return 0;
}

const char *fa_strerror(fa_err e)
{
    switch (e) {
    case FA_OK: return "success";
    case FA_ENOMEM: return "no free frame or fitting run";
    case FA_EINVAL: return "invalid argument";
    case FA_ERANGE: return "address outside the region";
    case FA_EALIGN: return "address not frame aligned";
    case FA_EFREE: return "frame is not allocated";
    case FA_EBUSY: return "frame is already in use";
    case FA_ENOSPACE: return "state buffer too small or misaligned";
    case FA_ENOTSUP: return "operation not supported by this strategy";
    }
    return "unknown error";
}
