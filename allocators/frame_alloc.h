/*
 * frame_alloc.h: the contract every framebench frame allocator keeps.
 *
 * A frame allocator hands out 4 KiB frames of physical memory from one
 * region [base, base + nframes * FA_FRAME_SIZE).  Every strategy is one
 * `const struct fa_ops` in its own file; `fa_strategies[]` lists them.
 *
 * Freestanding: nothing here or in a strategy file calls libc.  The compiler
 * may emit a call to memset for a clearing loop; every kernel provides it.
 * The caller owns all memory: it asks `state_size(n)` how many bytes the state
 * needs and passes a buffer of at least that size, aligned to FA_STATE_ALIGN.
 * A state is position independent: it holds no pointer, only offsets from
 * its own start, so its bytes copied (memcpy) to another FA_STATE_ALIGN
 * aligned buffer are a complete allocator, independent of the original.  A
 * kernel may build its allocator early and move it to its final mapping.
 * (A plug-in may declare that it does not: FA_PLUGIN_TRAITS below.)
 *
 * Semantics every strategy keeps (tests/ holds each to them):
 *  - Addresses are physical byte addresses.  After `init` every frame is free.
 *    A region may end at the top of the address space: base + nframes
 *    frames up to 2^64 (so base + size itself need not fit in 64 bits).
 *  - Runs are aligned in physical frame numbers, not in offsets from `base`:
 *    a region at 1 MiB has its first 2 MiB boundary 256 frames in.
 *  - Bad input never corrupts state.  A call that returns an error leaves the
 *    state byte for byte as it was (so `check` still passes and `free_frames`
 *    is unchanged).  The checks cost a compare or two and stay on.
 *  - Errors are reported in this order: FA_EINVAL (bad count or order),
 *    FA_EALIGN (address not frame aligned), FA_ERANGE (any frame outside the
 *    region), then FA_EFREE / FA_EBUSY / FA_ENOMEM.
 *  - Not thread-safe: the caller serialises calls on one state.
 */
#ifndef FRAME_ALLOC_H
#define FRAME_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FA_FRAME_SHIFT 12
#define FA_FRAME_SIZE 4096u
#define FA_STATE_ALIGN 64 /* state buffers are cache-line aligned */

/* Largest region any strategy accepts: 2^36 frames (256 TiB). */
#define FA_MAX_FRAMES (UINT64_C(1) << 36)
/* Largest align_order accepted by alloc_run: 2^40 frames (4 PiB). */
#define FA_MAX_ALIGN_ORDER 40u

typedef enum fa_err {
    FA_OK = 0,
    FA_ENOMEM,   /* no free frame, or no free run that fits            */
    FA_EINVAL,   /* bad argument: zero count, align order too large... */
    FA_ERANGE,   /* address (or part of a run) outside the region      */
    FA_EALIGN,   /* address not frame aligned                          */
    FA_EFREE,    /* freeing a frame that is not allocated              */
    FA_EBUSY,    /* reserving a frame that is already in use           */
    FA_ENOSPACE, /* state buffer too small or misaligned               */
    FA_ENOTSUP,  /* operation not provided by this strategy            */
} fa_err;

/* A short constant description of `e`; "unknown error" for values not above. */
const char *fa_strerror(fa_err e);

/* A strategy.  Members marked optional may be NULL where the strategy truly
 * cannot provide the operation; callers test for NULL.  `state` is always a
 * buffer that `init` accepted. */
struct fa_ops {
    /* Stable id used on the command line, in results and in plots. */
    const char *name;
    /* One line: the idea and its cost. */
    const char *summary;
    /* Bytes of state for a region of `nframes` frames; 0 when that size is
     * not supported (nframes == 0 or > FA_MAX_FRAMES).  O(1). */
    size_t (*state_size)(uint64_t nframes);
    /* Builds an empty allocator over [base, base + nframes * 4096) in `state`.
     * FA_ENOSPACE: bytes < state_size(nframes) or state not FA_STATE_ALIGN
     * aligned; nothing is written.  FA_EINVAL: nframes == 0 or too large,
     * base not frame aligned, or the region wraps the address space.
     * Cost: O(state_size). */
    fa_err (*init)(void *state, size_t bytes, uint64_t base, uint64_t nframes);
    /* One frame; same as alloc_run(state, 1, 0, pa).  FA_ENOMEM when full. */
    fa_err (*alloc)(void *state, uint64_t *pa);
    /* Releases one frame.  FA_EALIGN, FA_ERANGE, FA_EFREE (not allocated). */
    fa_err (*free)(void *state, uint64_t pa);
    /* Optional.  `count` contiguous frames whose first physical frame number
     * is a multiple of 2^align_order.  FA_EINVAL: count == 0 or align_order >
     * FA_MAX_ALIGN_ORDER (a strategy may refuse more: see its summary).
     * FA_ENOMEM: no such free run exists. */
    fa_err (*alloc_run)(void *state, uint64_t count, unsigned align_order, uint64_t *pa);
    /* Releases `count` frames from `pa`, all of which must be allocated
     * (FA_EFREE otherwise, with nothing released).  FA_EINVAL, FA_EALIGN,
     * FA_ERANGE as above.  Runs need not match earlier allocations. */
    fa_err (*free_run)(void *state, uint64_t pa, uint64_t count);
    /* Marks `count` free frames from `pa` as used (firmware, kernel image).
     * FA_EBUSY if any is already used, with nothing reserved. */
    fa_err (*reserve)(void *state, uint64_t pa, uint64_t count);
    /* Number of free frames.  O(1). */
    uint64_t (*free_frames)(const void *state);
    /* FA_OK when every summary, hint and counter agrees with the frames'
     * true state; FA_EINVAL otherwise.  May be slow: O(state_size). */
    fa_err (*check)(const void *state);
};

/* Every strategy built into this library; NULL-terminated. */
extern const struct fa_ops *const fa_strategies[];

/* The contract's version: it changes whenever struct fa_ops or the
 * semantics above change, so a strategy built against another one is
 * refused rather than called wrongly. */
#define FA_CONTRACT_VERSION 1u

/* A plug-in: a shared library of your own strategies that framebench loads
 * with --load PATH.so, without being rebuilt.  In one of its files:
 *
 *     #include "frame_alloc.h"
 *     static const struct fa_ops my_ops = { .name = "mine", ... };
 *     FA_PLUGIN(&my_ops);
 *
 * FA_PLUGIN exports the contract version the file was built against and the
 * NULL-terminated list of its strategies.  The same file can instead be
 * compiled into framebench (cmake -DFRAMEBENCH_EXTRA_STRATEGIES=mine.c). */
#define FA_PLUGIN(...)                                        \
    extern const unsigned fa_plugin_contract;                 \
    extern const struct fa_ops *const fa_plugin_strategies[]; \
    const unsigned fa_plugin_contract = FA_CONTRACT_VERSION;  \
    const struct fa_ops *const fa_plugin_strategies[] = {__VA_ARGS__, 0}

/* What a plug-in strategy declares of itself where it keeps less than the
 * contract above, so that framebench-check holds it to what it does promise
 * and says what it does not.  A peer's adapter (an allocator written for a
 * kernel of its own) is the usual case.  Beside FA_PLUGIN:
 *
 *     FA_PLUGIN_TRAITS({"mine", FA_TRAIT_FIXED_STATE, 0});
 *
 * A strategy without a line keeps the whole contract.  framebench's own
 * patterns need neither promise: a state they set aside is put back at the
 * address it came from. */
#define FA_TRAIT_FIXED_STATE 1u /* the state holds pointers into itself: it is an allocator only where init built it */
#define FA_TRAIT_BUDDY_RUNS \
    2u /* alloc_run serves a free block of 2^ceil(log2 count) frames, naturally aligned:
                                   its FA_ENOMEM means no such block is free, not that no run of count frames is */
#define FA_TRAITS_KNOWN 3u
struct fa_trait {
    const char *name;
    unsigned traits;        /* FA_TRAIT_* */
    unsigned max_run_order; /* runs of 2^max_run_order frames at most (FA_ENOMEM beyond); 0: no limit */
};
#define FA_PLUGIN_TRAITS(...)                        \
    extern const struct fa_trait fa_plugin_traits[]; \
    const struct fa_trait fa_plugin_traits[] = {__VA_ARGS__, {0, 0, 0}}

/* The strategy named `name`, or NULL. */
const struct fa_ops *fa_find(const char *name);

/* A range of usable physical memory, as a firmware memory map reports it:
 * bytes [start, end), end exclusive.  An end of UINT64_MAX stands for 2^64,
 * the top of the address space, which a range may reach (a region's last
 * frame may be 0xfffffffffffff000). */
struct fa_range {
    uint64_t start;
    uint64_t end;
};

/* The frame number just past the last whole frame below `end` (2^52 for
 * the top of the address space). */
static inline uint64_t fa_range_end_frame(uint64_t end)
{
    return end == UINT64_MAX ? UINT64_C(1) << (64 - FA_FRAME_SHIFT) : end >> FA_FRAME_SHIFT;
}

/* The region that covers `ranges` (sorted by start, not overlapping): from the
 * first whole frame of the first range with one to the end of the last whole
 * frame of the last such range.  Ranges holding no whole frame are ignored.
 * FA_EINVAL: ranges unsorted, overlapping, empty-ended (end < start), or none
 * holds a whole frame. */
fa_err fa_ranges_span(const struct fa_range *ranges, size_t n, uint64_t *base, uint64_t *nframes);

/* Initialises `ops` over the span of `ranges` and reserves every frame that is
 * not wholly inside one of them (holes, partial frames at range ends).
 * Errors as fa_ranges_span and ops->init; on error the state is unusable. */
fa_err fa_init_ranges(const struct fa_ops *ops, void *state, size_t bytes, const struct fa_range *ranges, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* FRAME_ALLOC_H */
