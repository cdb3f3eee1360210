/*
 * freelist: a stack of free frame numbers, the O(1) speed limit that every
 * bitmap strategy is measured against.
 *
 * Structure.  Two arrays of nframes 64-bit words follow the header:
 *  - stack[0 .. nfree): the frame indexes (offsets from pfn0) of the free
 *    frames; alloc pops stack[nfree - 1], free pushes.  Slots at and above
 *    nfree hold stale values that nothing reads.
 *  - where[i]: the slot of frame i in the stack while it is free, FL_USED
 *    while it is allocated.  This is what makes the bad-input checks exact
 *    and O(1): a double free sees where[i] != FL_USED, and reserve can take
 *    an arbitrary free frame out of the middle of the stack by moving the
 *    top entry into its slot.
 * init pushes the frames highest first, so a fresh region hands out frames
 * in ascending order; after frees the order is last-freed-first (LIFO), which
 * keeps recently used, cache-warm frames in circulation.
 *
 * Invariants (freelist_check verifies every one):
 *  - nfree <= nframes;
 *  - for every slot k < nfree: stack[k] < nframes and where[stack[k]] == k;
 *  - for every frame i: where[i] == FL_USED or stack[where[i]] == i with
 *    where[i] < nfree; so the stack holds each free frame exactly once and
 *    no used one.
 *
 * Cost.  alloc and free O(1); free_run and reserve O(count); free_frames
 * O(1); init and check O(n).  Memory: 128 bits per frame (64 for the stack
 * slot, 64 for the position), 4 MiB per GiB managed: 128 times a bitmap.
 *
 * Limits.  No alloc_run (NULL): a stack knows nothing of adjacency, so finding
 * count contiguous, aligned free frames would mean scanning every frame.  A
 * kernel that needs huge pages pairs a stack with another strategy.
 * Every refused call is decided before the first write, so it changes nothing.
 */
#include "fa_bitmap.h"
#include "strategies.h"

#define FL_USED UINT64_MAX

struct freelist {
    uint64_t pfn0, nframes, nfree;
    uint64_t where_off; /* byte offset of where[] from the state */
};

static uint64_t header_bytes(void) { return fa_round_state(sizeof(struct freelist)); }

/* The two arrays after the header, found from the state's own address
 * (never stored, so a state moved with memcpy stays valid): the stack of
 * free frame indexes (the top is stack[nfree - 1]), and where each free
 * frame sits in it (or FL_USED). */
static uint64_t *stack_of(const struct freelist *f) { return (uint64_t *)((char *)f + header_bytes()); }
static uint64_t *where_of(const struct freelist *f) { return (uint64_t *)((char *)f + f->where_off); }

static size_t freelist_state_size(uint64_t nframes)
{
    if (nframes == 0 || nframes > FA_MAX_FRAMES || nframes > (SIZE_MAX - header_bytes()) / 16)
        return 0;
    return (size_t)(header_bytes() + nframes * 16);
}

static fa_err freelist_init(void *state, size_t bytes, uint64_t base, uint64_t nframes)
{
    fa_err e = fa_check_init(state, bytes, freelist_state_size(nframes), base, nframes);
    if (e != FA_OK)
        return e;
    struct freelist *f = state;
    f->pfn0 = base >> FA_FRAME_SHIFT;
    f->nframes = nframes;
    f->nfree = nframes;
    f->where_off = header_bytes() + nframes * 8;
    for (uint64_t i = 0; i < nframes; i++) {
        stack_of(f)[nframes - 1 - i] = i;
        where_of(f)[i] = nframes - 1 - i;
    }
    return FA_OK;
}

static void push(struct freelist *f, uint64_t i)
{
    where_of(f)[i] = f->nfree;
    stack_of(f)[f->nfree++] = i;
}

/* Takes free frame i out of the stack: the top entry fills its slot. */
static void take(struct freelist *f, uint64_t i)
{
    uint64_t slot = where_of(f)[i], top = stack_of(f)[--f->nfree];
    stack_of(f)[slot] = top;
    where_of(f)[top] = slot;
    where_of(f)[i] = FL_USED;
}

static fa_err freelist_alloc(void *state, uint64_t *pa)
{
    struct freelist *f = state;
    if (f->nfree == 0)
        return FA_ENOMEM;
    uint64_t i = stack_of(f)[--f->nfree];
    where_of(f)[i] = FL_USED;
    *pa = (f->pfn0 + i) << FA_FRAME_SHIFT;
    return FA_OK;
}

static fa_err freelist_free_run(void *state, uint64_t pa, uint64_t count)
{
    struct freelist *f = state;
    uint64_t i;
    fa_err e = fa_locate(f->pfn0, f->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    for (uint64_t k = i; k < i + count; k++)
        if (where_of(f)[k] != FL_USED)
            return FA_EFREE;
    for (uint64_t k = i; k < i + count; k++)
        push(f, k);
    return FA_OK;
}

static fa_err freelist_free(void *state, uint64_t pa) { return freelist_free_run(state, pa, 1); }

static fa_err freelist_reserve(void *state, uint64_t pa, uint64_t count)
{
    struct freelist *f = state;
    uint64_t i;
    fa_err e = fa_locate(f->pfn0, f->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    for (uint64_t k = i; k < i + count; k++)
        if (where_of(f)[k] == FL_USED)
            return FA_EBUSY;
    for (uint64_t k = i; k < i + count; k++)
        take(f, k);
    return FA_OK;
}

static uint64_t freelist_free_frames(const void *state) { return ((const struct freelist *)state)->nfree; }

static fa_err freelist_check(const void *state)
{
    const struct freelist *f = state;
    if (f->nfree > f->nframes || f->where_off != header_bytes() + f->nframes * 8)
        return FA_EINVAL;
    for (uint64_t k = 0; k < f->nfree; k++)
        if (stack_of(f)[k] >= f->nframes || where_of(f)[stack_of(f)[k]] != k)
            return FA_EINVAL;
    uint64_t free_seen = 0;
    for (uint64_t i = 0; i < f->nframes; i++) {
        if (where_of(f)[i] == FL_USED)
            continue;
        if (where_of(f)[i] >= f->nfree || stack_of(f)[where_of(f)[i]] != i)
            return FA_EINVAL;
        free_seen++;
    }
    return free_seen == f->nfree ? FA_OK : FA_EINVAL;
}

const struct fa_ops fa_freelist_ops = {
    .name = "freelist",
    .summary = "stack of free frame numbers + slot index per frame: O(1) alloc/free, no alloc_run, 128 bits/frame",
    .state_size = freelist_state_size,
    .init = freelist_init,
    .alloc = freelist_alloc,
    .free = freelist_free,
    .alloc_run = 0,
    .free_run = freelist_free_run,
    .reserve = freelist_reserve,
    .free_frames = freelist_free_frames,
    .check = freelist_check,
};
