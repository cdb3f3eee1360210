#include "check.h"

#include <string.h>

#include "frame_alloc.h"

unsigned long check_passed, check_failed;
int check_quiet;

int check_report(void)
{
    printf("%lu passed, %lu failed\n", check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}

void *check_state_alloc(size_t bytes)
{
    size_t rounded = (bytes + FA_STATE_ALIGN - 1) / FA_STATE_ALIGN * FA_STATE_ALIGN;
    void *p = aligned_alloc(FA_STATE_ALIGN, rounded ? rounded : FA_STATE_ALIGN);
    if (!p) {
        fprintf(stderr, "out of memory allocating %zu bytes of state\n", bytes);
        exit(2);
    }
    memset(p, 0, rounded);
    return p;
}

unsigned long long check_rand(unsigned long long *seed)
{
    unsigned long long z = (*seed += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
