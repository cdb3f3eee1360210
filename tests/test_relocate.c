/*
 * test_relocate.c: the relocation suite (relocate.c) for every strategy in
 * fa_strategies: a state copied with memcpy is a complete, independent
 * allocator.
 */
#include "suites.h"

int main(void)
{
    for (const struct fa_ops *const *s = fa_strategies; *s; s++) {
        const struct traits *t = traits_of(*s);
        EXPECT(t != NULL, "strategy %s has traits", (*s)->name);
        if (!t)
            continue;
        unsigned long before = check_failed;
        relocate_suite(*s, t);
        printf("%-10s %s\n", (*s)->name, check_failed == before ? "works when moved" : "BREAKS WHEN MOVED");
    }
    return check_report();
}
