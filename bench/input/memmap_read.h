/*
 * memmap_read.h: a firmware memory map as the sorted, disjoint, exclusive-end
 * usable ranges fa_init_ranges takes.
 *
 * Three sources, recognised by content (a directory is sysfs):
 *  - the kernel's boot log: "BIOS-e820: [mem 0x...-0x...] usable" (end
 *    inclusive).  Other log lines are ignored, so a whole dmesg works; kernels
 *    before 3.7 wrote "BIOS-e820: 0000...0000 - 0000...fc00 (usable)" with an
 *    exclusive end, accepted too.  Only the firmware's map is read: later
 *    "e820: update" lines are not applied.
 *  - /sys/firmware/memmap: numbered directories each with start, end
 *    (inclusive) and type files; type "System RAM" is usable.
 *  - /proc/iomem: "start-end : name", end inclusive; top-level lines (no
 *    indent) named "System RAM" are usable; indented lines are children
 *    (kernel code, ...) and are ignored.  Read as non-root, every address is
 *    zero: that is an error saying so.
 *
 * Firmware maps are not always tidy: an entry out of address order or
 * overlapping another is accepted and counted in `warnings`.  Where a usable
 * entry overlaps an unusable one the unusable one wins, as in the kernel's
 * e820 sanitizer.  Adjacent usable entries merge silently.  A malformed line
 * is an error naming file, line and text.
 */
#ifndef FB_MEMMAP_READ_H
#define FB_MEMMAP_READ_H

#include <stddef.h>
#include <stdint.h>

#include "frame_alloc.h"

enum fb_memmap_format { FB_MEMMAP_E820, FB_MEMMAP_SYSFS, FB_MEMMAP_IOMEM };

struct fb_memmap {
    struct fa_range *ranges; /* usable, sorted, disjoint, end exclusive */
    size_t count;
    enum fb_memmap_format format;
    size_t entries;         /* entries read, usable or not */
    size_t warnings;        /* entries out of order or overlapping */
    uint64_t usable_frames; /* whole 4 KiB frames inside the ranges */
};

/* Reads `path` (file, plain or gzip, or sysfs-style directory).  0, or -1
 * with "file:line: why: text" in err. */
int fb_memmap_read(const char *path, struct fb_memmap *out, char *err, size_t errlen);

void fb_memmap_free(struct fb_memmap *m);

const char *fb_memmap_format_name(enum fb_memmap_format f);

/* Whole frames inside ranges: partial frames at either end do not count,
 * exactly as fa_init_ranges reserves them. */
uint64_t fb_ranges_whole_frames(const struct fa_range *r, size_t n);

#endif
