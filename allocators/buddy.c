/*
 * buddy: a binary buddy allocator with one free list per order, the structure
 * Linux's page allocator is built on and what a kernel picks when it needs
 * contiguous, aligned runs as often as single frames.
 *
 * Structure.  A free block of order k is 2^k frames whose first physical
 * frame number is a multiple of 2^k (naturally aligned in physical frame
 * numbers, not in offsets from base) and which lies wholly inside the region.
 * Its buddy is the block of the same order whose frame number differs in bit
 * k only.  With an unaligned base or size the region's edges are simply
 * covered by smaller blocks.  Per frame the state keeps:
 *  - link[i]: next/prev frame index in its order's list, valid on the first
 *    frame (the head) of a free block, so unlinking a buddy is O(1);
 *  - order[i]: the order of the free block i heads, or NOT_HEAD;
 *  - one bit in `used` (1 = allocated), which makes the double-free and
 *    reserve-over-used checks exact for arbitrary ranges.
 * `nonempty` has bit k set while list k is not empty, so the smallest
 * sufficient order is one count-trailing-zeros away.
 *
 * Semantics.  alloc_run(count, align_order) takes a free block of order
 * k = max(align_order, ceil(log2 count)) (splitting a larger one if needed)
 * and, when count is not a power of two, frees the tail beyond count at once,
 * as Linux's alloc_pages_exact does: exactly count frames become used.  The
 * smallest sufficient order is used, and within an order the block freed
 * last goes out first (LIFO, cache-warm), not the lowest address.
 * FA_ENOMEM iff no free block of order >= k exists, which by the coalescing
 * invariant below means no free, naturally aligned 2^k frames exist: a run of
 * count free frames that straddles a 2^k boundary does not count.  free_run
 * and reserve take any range, not only earlier allocations: the range is cut
 * into maximal aligned blocks, which coalesce on free; reserve splits the
 * free blocks it cuts through and gives back the parts outside the range.
 *
 * Invariants (buddy_check verifies every one against the used bits):
 *  - every frame is either used or inside exactly one free block, and
 *    nfree counts the frames that are not used;
 *  - fully coalesced: no free block's buddy is a free block of the same
 *    order (every free is merged as far as it goes);
 *  - list k holds exactly the free blocks of order k, prev links agree with
 *    next links, and nonempty bit k == (list k is not empty).
 * Every refused call is decided before the first write, so it changes nothing.
 *
 * Cost.  alloc and alloc_run O(log n) (one split per order); free_run
 * O(count / 64 + blocks * log n); reserve O(count / 64 + blocks * log n), a
 * block found by trying each order at the frame; free_frames O(1); init and
 * check O(n).  Memory: 16 bytes of links + 1 byte of order + 1 bit per frame
 * (137 bits), about 4.3 MiB per GiB managed: 137 times a bitmap.
 *
 * Limits.  Orders up to 36 (FA_MAX_FRAMES); a request whose rounded size
 * exceeds the largest free block fails even when enough scattered frames are
 * free: the internal fragmentation of the power-of-two rounding is given back
 * (the tail), the external fragmentation is not.
 */
#include "fa_bitmap.h"
#include "strategies.h"

#define BUDDY_ORDERS 37 /* orders 0 .. 36; 2^36 frames is FA_MAX_FRAMES */
#define NIL UINT64_MAX
#define NOT_HEAD 0xffu

struct buddy_link {
    uint64_t next, prev; /* frame indexes, NIL at the ends */
};

struct buddy {
    uint64_t pfn0, nframes, nwords, nfree;
    uint64_t nonempty;            /* bit k: list k holds a block */
    uint64_t head[BUDDY_ORDERS];  /* first block of each order, or NIL */
    uint64_t order_off, used_off; /* byte offsets of two arrays from the state */
};

static uint64_t header_bytes(void) { return fa_round_state(sizeof(struct buddy)); }

/* The arrays after the header, found from the state's own address and
 * offsets kept in it, never from a stored pointer (a state moved with
 * memcpy stays valid): each frame's list links; the order of the free
 * block a frame heads, or NOT_HEAD; 1 bit per frame, 1 = allocated,
 * padding bits set.  The offsets are kept rather than recomputed from
 * nframes: that costs a load, as a pointer did, not a multiply-add. */
static struct buddy_link *link_of(const struct buddy *b) { return (struct buddy_link *)((char *)b + header_bytes()); }
static uint8_t *order_of(const struct buddy *b) { return (uint8_t *)b + b->order_off; }
static uint64_t *used_of(const struct buddy *b) { return (uint64_t *)((char *)b + b->used_off); }
static uint64_t order_offset(uint64_t nframes) { return header_bytes() + nframes * sizeof(struct buddy_link); }
static uint64_t used_offset(uint64_t nframes) { return order_offset(nframes) + fa_round_state(nframes); }

static size_t buddy_state_size(uint64_t nframes)
{
    if (nframes == 0 || nframes > FA_MAX_FRAMES)
        return 0;
    uint64_t bytes = header_bytes() + nframes * sizeof(struct buddy_link) + fa_round_state(nframes) +
                     fa_div_round_up(nframes, 64) * 8;
    return bytes > SIZE_MAX ? 0 : (size_t)bytes;
}

static uint64_t size_of(unsigned k) { return UINT64_C(1) << k; }

static unsigned floor_log2(uint64_t x) { return 63u - (unsigned)__builtin_clzll(x); }

/* Largest k such that frame i starts a naturally aligned 2^k block ending
 * at or before `end`; i < end. */
static unsigned largest_order(const struct buddy *b, uint64_t i, uint64_t end)
{
    uint64_t pfn = b->pfn0 + i;
    unsigned k = floor_log2(end - i);
    if (pfn != 0 && fa_ctz(pfn) < k)
        k = fa_ctz(pfn);
    return k;
}

/* Index of the buddy of block (i, k), or NIL when it lies outside the region. */
static uint64_t buddy_of(const struct buddy *b, uint64_t i, unsigned k)
{
    uint64_t pfn = (b->pfn0 + i) ^ size_of(k);
    if (pfn < b->pfn0 || pfn - b->pfn0 >= b->nframes || pfn - b->pfn0 + size_of(k) > b->nframes)
        return NIL;
    return pfn - b->pfn0;
}

static void list_add(struct buddy *b, uint64_t i, unsigned k)
{
    order_of(b)[i] = (uint8_t)k;
    link_of(b)[i].prev = NIL;
    link_of(b)[i].next = b->head[k];
    if (b->head[k] != NIL)
        link_of(b)[b->head[k]].prev = i;
    b->head[k] = i;
    b->nonempty |= size_of(k);
}

static void list_del(struct buddy *b, uint64_t i)
{
    unsigned k = order_of(b)[i];
    struct buddy_link l = link_of(b)[i];
    if (l.prev != NIL)
        link_of(b)[l.prev].next = l.next;
    else
        b->head[k] = l.next;
    if (l.next != NIL)
        link_of(b)[l.next].prev = l.prev;
    if (b->head[k] == NIL)
        b->nonempty &= ~size_of(k);
    order_of(b)[i] = NOT_HEAD;
}

/* Adds free block (i, k), merging it with its buddy as long as that is a
 * free block of the same order: this keeps the free blocks fully coalesced. */
static void insert_free(struct buddy *b, uint64_t i, unsigned k)
{
    while (k + 1 < BUDDY_ORDERS) {
        uint64_t bi = buddy_of(b, i, k);
        if (bi == NIL || order_of(b)[bi] != k)
            break;
        list_del(b, bi);
        if (bi < i)
            i = bi;
        k++;
    }
    list_add(b, i, k);
}

/* Puts frames [i, end) on the free lists as maximal aligned blocks.  The
 * used bits are the caller's business. */
static void release(struct buddy *b, uint64_t i, uint64_t end)
{
    while (i < end) {
        unsigned k = largest_order(b, i, end);
        insert_free(b, i, k);
        i += size_of(k);
    }
}

/* The head of the free block holding free frame i: try each order's aligned
 * start.  NIL only if the invariants are broken. */
static uint64_t block_of(const struct buddy *b, uint64_t i)
{
    uint64_t pfn = b->pfn0 + i;
    for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
        uint64_t start = pfn & ~(size_of(k) - 1);
        if (start < b->pfn0)
            break;
        if (order_of(b)[start - b->pfn0] == k)
            return start - b->pfn0;
    }
    return NIL;
}

static fa_err buddy_init(void *state, size_t bytes, uint64_t base, uint64_t nframes)
{
    fa_err e = fa_check_init(state, bytes, buddy_state_size(nframes), base, nframes);
    if (e != FA_OK)
        return e;
    struct buddy *b = state;
    b->pfn0 = base >> FA_FRAME_SHIFT;
    b->nframes = nframes;
    b->nwords = fa_div_round_up(nframes, 64);
    b->nfree = nframes;
    b->nonempty = 0;
    b->order_off = order_offset(nframes);
    b->used_off = used_offset(nframes);
    for (unsigned k = 0; k < BUDDY_ORDERS; k++)
        b->head[k] = NIL;
    for (uint64_t i = 0; i < nframes; i++)
        order_of(b)[i] = NOT_HEAD;
    for (uint64_t w = 0; w < b->nwords; w++)
        used_of(b)[w] = 0;
    fa_bm_fill(used_of(b), nframes, b->nwords * 64, 1);
    release(b, 0, nframes);
    return FA_OK;
}

static fa_err buddy_alloc_run(void *state, uint64_t count, unsigned align_order, uint64_t *pa)
{
    struct buddy *b = state;
    if (count == 0 || align_order > FA_MAX_ALIGN_ORDER)
        return FA_EINVAL;
    if (count > size_of(BUDDY_ORDERS - 1))
        return FA_ENOMEM;
    unsigned k = count == 1 ? 0 : floor_log2(count - 1) + 1;
    if (align_order > k)
        k = align_order;
    if (k >= BUDDY_ORDERS)
        return FA_ENOMEM;
    uint64_t fits = b->nonempty & ~(size_of(k) - 1);
    if (fits == 0)
        return FA_ENOMEM;
    unsigned j = fa_ctz(fits);
    uint64_t i = b->head[j];
    list_del(b, i);
    fa_bm_fill(used_of(b), i, i + count, 1);
    b->nfree -= count;
    release(b, i + count, i + size_of(j)); /* the split halves and the tail */
    *pa = (b->pfn0 + i) << FA_FRAME_SHIFT;
    return FA_OK;
}

static fa_err buddy_alloc(void *state, uint64_t *pa) { return buddy_alloc_run(state, 1, 0, pa); }

static fa_err buddy_free_run(void *state, uint64_t pa, uint64_t count)
{
    struct buddy *b = state;
    uint64_t i;
    fa_err e = fa_locate(b->pfn0, b->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    if (fa_bm_find_clear(used_of(b), i, i + count) != i + count)
        return FA_EFREE;
    fa_bm_fill(used_of(b), i, i + count, 0);
    b->nfree += count;
    release(b, i, i + count);
    return FA_OK;
}

static fa_err buddy_free(void *state, uint64_t pa) { return buddy_free_run(state, pa, 1); }

static fa_err buddy_reserve(void *state, uint64_t pa, uint64_t count)
{
    struct buddy *b = state;
    uint64_t i;
    fa_err e = fa_locate(b->pfn0, b->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    uint64_t end = i + count;
    if (fa_bm_find_set(used_of(b), i, end) != end)
        return FA_EBUSY;
    /* Take every free block the range touches; give back what lies outside
     * it (only the first and last block can stick out). */
    for (uint64_t p = i; p < end;) {
        uint64_t h = block_of(b, p);
        if (h == NIL)
            break;
        uint64_t block_end = h + size_of(order_of(b)[h]);
        list_del(b, h);
        release(b, h, i > h ? i : h);
        release(b, end < block_end ? end : block_end, block_end);
        p = block_end;
    }
    fa_bm_fill(used_of(b), i, end, 1);
    b->nfree -= count;
    return FA_OK;
}

static uint64_t buddy_free_frames(const void *state) { return ((const struct buddy *)state)->nfree; }

/* Every frame used or in exactly one well-formed, uncoalescible free block;
 * returns the number of free blocks, or NIL when that fails. */
static uint64_t check_blocks(const struct buddy *b)
{
    uint64_t blocks = 0, covered = 0;
    for (uint64_t i = 0; i < b->nframes;) {
        unsigned k = order_of(b)[i];
        if (k == NOT_HEAD) {
            if (!fa_bm_test(used_of(b), i))
                return NIL; /* a free frame outside every free block */
            i++;
            continue;
        }
        if (k >= BUDDY_ORDERS || (b->pfn0 + i) % size_of(k) != 0 || size_of(k) > b->nframes - i)
            return NIL;
        uint64_t end = i + size_of(k);
        if (fa_bm_find_set(used_of(b), i, end) != end)
            return NIL;
        for (uint64_t j = i + 1; j < end; j++)
            if (order_of(b)[j] != NOT_HEAD)
                return NIL;
        uint64_t bi = buddy_of(b, i, k);
        if (bi != NIL && order_of(b)[bi] == k)
            return NIL; /* not coalesced */
        blocks++;
        covered += size_of(k);
        i = end;
    }
    return covered == b->nfree ? blocks : NIL;
}

/* The lists hold exactly the heads check_blocks counted, each in its order. */
static int check_lists(const struct buddy *b, uint64_t blocks)
{
    uint64_t listed = 0;
    for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
        if (((b->nonempty >> k) & 1) != (b->head[k] != NIL))
            return 0;
        uint64_t prev = NIL;
        for (uint64_t i = b->head[k]; i != NIL; prev = i, i = link_of(b)[i].next) {
            if (i >= b->nframes || order_of(b)[i] != k || link_of(b)[i].prev != prev || ++listed > blocks)
                return 0;
        }
    }
    return (b->nonempty >> BUDDY_ORDERS) == 0 && listed == blocks;
}

static fa_err buddy_check(const void *state)
{
    const struct buddy *b = state;
    if (b->nframes == 0 || b->nframes > FA_MAX_FRAMES || b->order_off != order_offset(b->nframes) ||
        b->used_off != used_offset(b->nframes) || !fa_bm_map_ok(used_of(b), b->nwords, b->nframes, b->nfree))
        return FA_EINVAL;
    uint64_t blocks = check_blocks(b);
    if (blocks == NIL || !check_lists(b, blocks))
        return FA_EINVAL;
    return FA_OK;
}

const struct fa_ops fa_buddy_ops = {
    .name = "buddy",
    .summary = "binary buddy, per-order lists: alloc_run takes a free 2^max(order, ceil log2 count) block, "
               "frees the tail; ENOMEM = no such block; O(log n), ~17 B/frame",
    .state_size = buddy_state_size,
    .init = buddy_init,
    .alloc = buddy_alloc,
    .free = buddy_free,
    .alloc_run = buddy_alloc_run,
    .free_run = buddy_free_run,
    .reserve = buddy_reserve,
    .free_frames = buddy_free_frames,
    .check = buddy_check,
};
