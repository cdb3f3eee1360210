/*
 * test_differential.c: the differential suite (differential.c) for every
 * strategy in fa_strategies, against the byte-per-frame model.
 *
 * Usage: test_differential [steps-per-case] [seed]
 */
#include <stdlib.h>

#include "suites.h"

int main(int argc, char **argv)
{
    unsigned long steps = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
    unsigned long long seed0 = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
    for (const struct fa_ops *const *s = fa_strategies; *s; s++) {
        const struct traits *t = traits_of(*s);
        EXPECT(t != NULL, "strategy %s has traits", (*s)->name);
        if (!t)
            continue;
        unsigned long before = check_failed;
        differential_suite(*s, t, steps, seed0);
        printf("%-10s %s\n", (*s)->name, check_failed == before ? "agrees with the model" : "DISAGREES");
    }
    return check_report();
}
