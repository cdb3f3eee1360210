/*
 * placement.h: where a repetition's buffers land.
 *
 * A cell's repetitions build its state afresh in rounds so that they sample
 * what a process cannot choose: how its buffers land in memory.  But an
 * allocator hands a freed buffer's address to the next request of its size,
 * so every repetition of a run got the same addresses, and the same cache
 * sets for its state, lists and scratch: a run sampled one placement, and
 * two runs of one binary differed by up to 1.5x with each run's own
 * repetitions within +-3 % (mt_2m/lockfree at one thread, 70 and 104 ns).
 * Each buffer therefore starts a random multiple of 64 bytes, up to
 * FB_PLACE_SPAN, past an aligned start (as Stabilizer randomises layout to
 * make performance statistics sound), drawn afresh for every buffer: a
 * run's repetitions sample placements, and its interval shows what they
 * move.
 */
#ifndef FB_PLACEMENT_H
#define FB_PLACEMENT_H

#include <stddef.h>

#define FB_PLACE_SPAN 65536 /* covers the set index of a 32-64 KiB L1 and most of an L2 */
#define FB_PLACE_HUGE (2u << 20)

/* bytes at a random 64-byte multiple past an `align`-aligned start (align a
 * power of two, 64 or more; FB_PLACE_HUGE or more also asks the kernel for
 * huge pages); NULL when the host has no memory.  The random offsets follow
 * a fixed sequence, the same in every run. */
void *fb_place_alloc(size_t bytes, size_t align);

/* Frees what fb_place_alloc returned (NULL: nothing). */
void fb_place_free(void *p);

#endif /* FB_PLACEMENT_H */
