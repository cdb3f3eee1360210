/*
 * test_mt_stress: the concurrent suite (concurrent.c) on every thread-safe
 * strategy (fa_mt_strategies).
 *
 * usage: test_mt_stress [ops per thread]   (default 1000000)
 */
#include <stdio.h>
#include <stdlib.h>

#include "strategies.h"
#include "suites.h"

int main(int argc, char **argv)
{
    unsigned long n_ops = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    for (const struct fa_mt_ops *const *s = fa_mt_strategies; *s; s++) {
        concurrent_suite(*s, n_ops);
        printf("%s: %lu ops per thread\n", (*s)->name, n_ops);
    }
    return check_report();
}
