/* region.h: where every region framebench builds starts, the flat ones of
 * the matrix and a trace's replay region alike: 1 MiB, as the seed's (the
 * first megabyte is what a PC's firmware keeps).  Alignment of runs is in
 * physical frame numbers, so any frame-aligned base would do. */
#ifndef FB_REGION_H
#define FB_REGION_H

#include <stdint.h>

#define FB_BASE (UINT64_C(1) << 20)

#endif
