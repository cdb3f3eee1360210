/*
 * registry_mt.c: the list of thread-safe strategies and fa_mt_find (a file
 * of its own, so a program may list its own fa_strategies beside it).
 */
#include "strategies.h"

/* The same, as many CPUs call them; the locked baseline first. */
const struct fa_mt_ops *const fa_mt_strategies[] = {
    &fa_locked_nextfit_mt_ops, &fa_pcp_mt_ops, &fa_lockfree_mt_ops, &fa_hugeaware_mt_ops, 0,
};

static int same_name(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

const struct fa_mt_ops *fa_mt_find(const char *name)
{
    for (const struct fa_mt_ops *const *s = fa_mt_strategies; *s; s++)
        if (same_name((*s)->name, name))
            return *s;
    return 0;
}
