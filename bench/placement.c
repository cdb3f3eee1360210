/* placement.c: see placement.h. */
#define _DEFAULT_SOURCE /* madvise */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "placement.h"

/* The offset sits in the 64 bytes before the buffer: there always are 64,
 * since the offset is one 64-byte step or more. */
void *fb_place_alloc(size_t bytes, size_t align)
{
    static uint64_t x = 0x2545f4914f6cdd1dull;
    x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64: a fixed sequence */
    size_t off = 64 * (1 + (size_t)(x % (FB_PLACE_SPAN / 64)));
    size_t total = (off + bytes + align - 1) / align * align;
    char *base = aligned_alloc(align, total);
    if (!base)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (align >= FB_PLACE_HUGE)
        madvise(base, total, MADV_HUGEPAGE); /* advice only: no THP, no harm */
#endif
    char *p = base + off;
    ((size_t *)p)[-1] = off;
    return p;
}

void fb_place_free(void *p)
{
    if (p)
        free((char *)p - ((size_t *)p)[-1]);
}
