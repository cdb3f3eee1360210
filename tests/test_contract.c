/*
 * test_contract.c: the contract suite (contract.c) for every strategy in
 * fa_strategies: a fill returns exactly n distinct frames then FA_ENOMEM,
 * bad input is refused with the state unchanged, runs are aligned in
 * physical frame numbers, undersized or misaligned buffers are refused.
 */
#include "suites.h"

int main(void)
{
    for (const struct fa_ops *const *s = fa_strategies; *s; s++) {
        const struct traits *t = traits_of(*s);
        EXPECT(t != NULL, "strategy %s has traits", (*s)->name);
        if (!t)
            continue;
        EXPECT(fa_find((*s)->name) == *s, "fa_find(%s)", (*s)->name);
        contract_suite(*s, t);
        printf("%-10s contract checked\n", (*s)->name);
    }
    EXPECT(fa_find("no-such-strategy") == NULL, "fa_find of an unknown name");
    EXPECT(fa_strerror((fa_err)99)[0] != '\0', "fa_strerror of an unknown code");
    return check_report();
}
