#include "traits.h"

#include <stdio.h>
#include <string.h>

static const struct traits table[] = {
    /* name     lowest_first  lowest_first_runs  buddy_runs */
    {"linear", 1, 1, 0, 0, 0},   {"ctz", 1, 1, 0, 0, 0},      {"nextfit", 0, 0, 0, 0, 0},
    {"summary2", 1, 1, 0, 0, 0}, {"tree", 1, 1, 0, 0, 0},     {"simd", 1, 1, 0, 0, 0},
    {"freelist", 0, 0, 0, 0, 0}, {"buddy", 0, 0, 1, 0, 0},    {"locked-nextfit", 0, 0, 0, 0, 0},
    {"pcp", 0, 0, 0, 0, 0},      {"lockfree", 0, 0, 0, 0, 0}, {"hugeaware", 0, 0, 0, 0, 0},
};

const struct traits *traits_of(const struct fa_ops *ops)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].name, ops->name) == 0)
            return &table[i];
    fprintf(stderr, "strategy '%s' has no line in tests/traits.c\n", ops->name);
    return NULL;
}

const struct traits *traits_or_contract(const struct fa_ops *ops)
{
    static struct traits none = {"", 0, 0, 0, 0, 0};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].name, ops->name) == 0)
            return &table[i];
    none.name = ops->name;
    return &none;
}

const struct traits *traits_declared(const struct fa_ops *ops, unsigned fa_traits, unsigned max_run_order)
{
    static struct traits t;
    t = *traits_or_contract(ops);
    t.buddy_runs |= (fa_traits & FA_TRAIT_BUDDY_RUNS) != 0;
    t.fixed_state |= (fa_traits & FA_TRAIT_FIXED_STATE) != 0;
    t.max_run_order = max_run_order;
    return &t;
}

int traits_run_too_large(const struct traits *t, uint64_t count, unsigned order)
{
    if (!t->max_run_order)
        return 0;
    return order > t->max_run_order || count > UINT64_C(1) << t->max_run_order;
}
