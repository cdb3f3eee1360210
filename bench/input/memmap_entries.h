/*
 * memmap_entries.h: the readers' common middle.  Each format's parser appends
 * raw entries (any order, any overlap, usable or not); fb_entries_finish
 * turns them into the usable ranges of struct fb_memmap.
 */
#ifndef FB_MEMMAP_ENTRIES_H
#define FB_MEMMAP_ENTRIES_H

#include "memmap_read.h"

struct fb_entry {
    uint64_t start, end; /* [start, end): already exclusive */
    int usable;
};

struct fb_entries {
    struct fb_entry *e;
    size_t n, cap;
};

/* 0, or -1 when out of memory. */
int fb_entries_add(struct fb_entries *list, uint64_t start, uint64_t end, int usable);

/* Fills out->ranges, count, entries, warnings, usable_frames; frees list.
 * -1 when out of memory. */
int fb_entries_finish(struct fb_entries *list, struct fb_memmap *out);

/* An inclusive end as exclusive.  An entry ending at the last byte of the
 * 64-bit space cannot say so in a uint64_t: it loses its last frame, which
 * only a made-up map would have. */
static inline uint64_t fb_exclusive_end(uint64_t inclusive)
{
    return inclusive == UINT64_MAX ? UINT64_MAX : inclusive + 1;
}

#endif
