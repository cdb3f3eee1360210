/*
 * hugeaware: a lock-free bitmap allocator that keeps 2 MiB blocks whole.
 *
 * Why.  A kernel wants two things of its frame allocator at once: 4 KiB
 * frames from many CPUs without the CPUs meeting on a cache line, and whole
 * 2 MiB blocks for huge pages long after boot.  `lockfree` has the first
 * (each CPU in a chunk of its own) and not the second: its CPUs take the
 * next chunk with a free frame, so after churn every 2 MiB block holds a
 * frame or two; and its 2 MiB runs are found by scanning the bitmap, where
 * two CPUs meet.  LLFree (Wrenger et al., USENIX ATC'23) has both, from a
 * tree of 16 MiB areas over 2 MiB "children" with free counters, per-CPU
 * reservations and huge and small allocations kept in different areas.
 * Linux gets the second from pageblock migratetypes: small allocations are
 * steered into 2 MiB blocks already broken.  hugeaware takes the principle
 * of both, in one level:
 *
 *  - The unit of reservation is the 2 MiB block (512 frames, whose bitmap is
 *    one cache line), aligned in physical frame numbers.  Each block has a
 *    descriptor, one 64-bit word: its free count and its owner (the CPU
 *    that reserved it, cpu + 1; 0 none).  A CPU takes 4 KiB frames from the
 *    block it owns: one compare-and-swap on the descriptor for the count,
 *    one on a bitmap word for the bit (the count first: a CPU that took one
 *    is owed a clear bit, so its bit search ends).
 *  - When its block is used up, a CPU reserves the next block that is
 *    partly used and owned by nobody (searching a window of descriptors
 *    from where it last was), and only when there is none a whole block.
 *    Small runs go the same way.  So broken blocks fill up and whole ones
 *    stay whole: the huge-page awareness.
 *  - Whole blocks are found through hints: one bit per block, "probably
 *    whole and unowned", 64 blocks (128 MiB) to a word on a cache line of its
 *    own, so CPUs searching different parts of memory do not meet.  A free
 *    that makes a block whole sets its bit; a claim clears it.  A hint may be
 *    stale either way; the descriptor decides, and when the hints show
 *    nothing the descriptors are scanned.
 *  - A 2 MiB run is a whole block claimed from the hints: one compare-and-
 *    swap on its descriptor (512 free, no owner, to 0) and 8 stores to its
 *    bitmap line, which nobody else touches then.  Other runs (more than a
 *    block, or aligned to more) are searched in the bitmap, their counts
 *    taken block by block, their bits set word by word, undone on a race.
 *
 * Invariants (check, quiescent): the bits before the region's first frame
 * in its block and after its last are set; each descriptor's free count is
 * its block's clear bits; a block owned by a CPU is that CPU's block; free
 * frames = nframes - reserved - the CPUs' net counts = the sum of the free
 * counts.
 * Cost: alloc and free O(1) typical (two atomics on lines of the calling
 * CPU's block); reserving a block O(64) descriptors, O(n/512) when memory is
 * nearly full; a 2 MiB run O(1) typical; other runs O(n/64).
 * Memory: 1 bit per frame + 8 bytes per block (1/8 bit per frame) + two
 * lines of hints per 64 blocks + 64 bytes per CPU: about 1.17 bits per
 * frame at 1 GiB (framebench's meta_bytes_per_gib).
 */
#include "fa_atomic_bitmap.h"
#include "frame_alloc_mt.h"
#include "strategies.h"

#define HA_BLOCK 512u                   /* frames per 2 MiB block */
#define HA_BLOCK_WORDS (HA_BLOCK / 64u) /* its bitmap: one cache line */
#define HA_AREA 64u                     /* blocks per hint word */
#define HA_ENOUGH 8u                    /* free frames that make a partly used block worth reserving */
#define HA_MORE 2u                      /* areas searched for such a block past one with fewer */
#define HA_NONE UINT64_MAX
#define HA_D(free, owner) ((uint64_t)(free) | (uint64_t)(owner) << 32)
#define HA_FREE(d) ((uint32_t)(d))
#define HA_OWNER(d) ((uint32_t)((d) >> 32))
#define HA_WHOLE 0   /* hint: whole, owned by nobody */
#define HA_PARTIAL 1 /* hint: partly used, owned by nobody */
#define HA_KINDS 2

struct ha {
    uint64_t pfn0, nframes, reserved;
    uint64_t lead;    /* frames of the first block before the region */
    uint64_t nblocks; /* blocks covering [pfn0 - lead, pfn0 + nframes) */
    uint64_t nareas, ncpus;
    uint64_t cpus_off, hints_off, descs_off, words_off;
};

struct ha_cpu {          /* written by its CPU only */
    uint64_t block;      /* the block it owns, or HA_NONE */
    uint64_t home;       /* where its searches start while there is something there: CPUs apart */
    uint64_t seen[2];    /* where its last search for a whole, a partly used block succeeded */
    uint64_t cursor;     /* where its next search for a partly used block starts */
    uint64_t word;       /* where its last bit search ended */
    uint64_t run;        /* where its last bitmap run search ended (bit index) */
    _Atomic int64_t net; /* frames it handed out minus those it took back */
};

static struct ha_cpu *ha_cpu_of(const struct ha *h, uint64_t cpu)
{
    return (struct ha_cpu *)((char *)h + h->cpus_off + cpu * FA_STATE_ALIGN);
}
/* An area's hint word of one kind, HA_WHOLE or HA_PARTIAL, each on a line
 * of its own: a CPU's search for partly used blocks does not meet the other
 * CPUs' whole-block claims. */
static fa_aword *ha_hint(const struct ha *h, uint64_t area, int kind)
{
    return (fa_aword *)((char *)h + h->hints_off + ((uint64_t)kind * h->nareas + area) * FA_STATE_ALIGN);
}

static _Atomic uint64_t *ha_desc(const struct ha *h, uint64_t b)
{
    return (_Atomic uint64_t *)((char *)h + h->descs_off) + b;
}
static fa_aword *ha_words(const struct ha *h) { return (fa_aword *)((char *)h + h->words_off); }

static uint64_t ha_load(const _Atomic uint64_t *a) { return atomic_load_explicit(a, memory_order_relaxed); }
static int ha_cas(_Atomic uint64_t *a, uint64_t *old, uint64_t new)
{
    return atomic_compare_exchange_weak_explicit(a, old, new, memory_order_relaxed, memory_order_relaxed);
}

/* i, one lap of n at most past the end, wrapped into [0, n): no division. */
static inline uint64_t ha_wrap(uint64_t i, uint64_t n) { return i < n ? i : i - n; }

/* Blocks for a region of n frames whose first frame is `lead` into its block. */
static uint64_t ha_blocks_for(uint64_t n, uint64_t lead) { return fa_div_round_up(lead + n, HA_BLOCK); }

static size_t hugeaware_state_size(uint64_t nframes, unsigned ncpus)
{
    if (nframes == 0 || nframes > FA_MAX_FRAMES || ncpus == 0 || ncpus > FA_MT_MAX_CPUS)
        return 0;
    uint64_t nb = ha_blocks_for(nframes, HA_BLOCK - 1), na = fa_div_round_up(nb, HA_AREA); /* the most any base needs */
    return fa_round_state(sizeof(struct ha)) + (ncpus + HA_KINDS * na) * FA_STATE_ALIGN + fa_round_state(nb * 8) +
           nb * HA_BLOCK_WORDS * 8;
}

/* The region's frames in block b. */
static uint64_t ha_block_frames(const struct ha *h, uint64_t b)
{
    uint64_t lo = b * HA_BLOCK, hi = lo + HA_BLOCK, first = h->lead, end = h->lead + h->nframes;
    lo = lo > first ? lo : first;
    hi = hi < end ? hi : end;
    return hi - lo;
}

/* The hint a descriptor calls for: HA_WHOLE, HA_PARTIAL (an edge block,
 * never whole, counts as partly used), or HA_KINDS for none (owned, full). */
static int ha_kind(uint64_t d)
{
    return HA_OWNER(d) ? HA_KINDS : HA_FREE(d) == HA_BLOCK ? HA_WHOLE : HA_FREE(d) > 0 ? HA_PARTIAL : HA_KINDS;
}

/* After block b's descriptor went from `old` to `new`: its hint bits.  Two
 * changes at once may leave a bit stale either way; searches check the
 * descriptor and clear what they find stale, and fall back to scanning. */
static void ha_note_change(const struct ha *h, uint64_t b, int was, int is)
{
    uint64_t bit = UINT64_C(1) << (b % HA_AREA);
    if (was != HA_KINDS)
        atomic_fetch_and_explicit(ha_hint(h, b / HA_AREA, was), ~bit, memory_order_relaxed);
    if (is != HA_KINDS)
        atomic_fetch_or_explicit(ha_hint(h, b / HA_AREA, is), bit, memory_order_relaxed);
}
static inline void ha_note(const struct ha *h, uint64_t b, uint64_t old, uint64_t new)
{
    int was = ha_kind(old), is = ha_kind(new);
    if (was != is)
        ha_note_change(h, b, was, is);
}

static fa_err hugeaware_init(void *state, size_t bytes, uint64_t base, uint64_t nframes, unsigned ncpus)
{
    if (ncpus == 0 || ncpus > FA_MT_MAX_CPUS)
        return FA_EINVAL;
    fa_err e = fa_check_init(state, bytes, hugeaware_state_size(nframes, ncpus), base, nframes);
    if (e != FA_OK)
        return e;
    struct ha *h = state;
    h->pfn0 = base >> FA_FRAME_SHIFT;
    h->nframes = nframes;
    h->reserved = 0;
    h->lead = h->pfn0 % HA_BLOCK;
    h->nblocks = ha_blocks_for(nframes, h->lead);
    h->nareas = fa_div_round_up(h->nblocks, HA_AREA);
    h->ncpus = ncpus;
    h->cpus_off = fa_round_state(sizeof(struct ha));
    h->hints_off = h->cpus_off + ncpus * FA_STATE_ALIGN;
    h->descs_off = h->hints_off + HA_KINDS * h->nareas * FA_STATE_ALIGN;
    h->words_off = h->descs_off + fa_round_state(h->nblocks * 8);
    for (unsigned c = 0; c < ncpus; c++) {
        struct ha_cpu *pc = ha_cpu_of(h, c);
        pc->block = HA_NONE;
        pc->home = pc->cursor = pc->seen[HA_WHOLE] = pc->seen[HA_PARTIAL] = c * h->nblocks / ncpus;
        pc->word = 0;
        pc->run = pc->cursor * HA_BLOCK;
        atomic_init(&pc->net, 0);
    }
    for (uint64_t a = 0; a < h->nareas; a++)
        for (int k = 0; k < HA_KINDS; k++)
            atomic_init(ha_hint(h, a, k), 0);
    fa_aword *words = ha_words(h);
    uint64_t end = h->lead + nframes;
    for (uint64_t w = 0; w < h->nblocks * HA_BLOCK_WORDS; w++) {
        uint64_t lo = w * 64, pad = 0; /* the bits outside the region are set */
        if (lo < h->lead)
            pad |= fa_word_mask(0, (unsigned)(h->lead - lo < 64 ? h->lead - lo : 64));
        if (lo + 64 > end)
            pad |= fa_word_mask(end > lo ? (unsigned)(end - lo) : 0, 64);
        atomic_init(&words[w], pad);
    }
    for (uint64_t b = 0; b < h->nblocks; b++) {
        uint64_t f = ha_block_frames(h, b);
        atomic_init(ha_desc(h, b), HA_D(f, 0));
        ha_note(h, b, HA_D(0, 0), HA_D(f, 0));
    }
    return FA_OK;
}

/* fa_locate, as a bit index (the region starts `lead` bits into the map). */
static fa_err ha_locate(const struct ha *h, uint64_t pa, uint64_t count, uint64_t *bit)
{
    fa_err e = fa_locate(h->pfn0, h->nframes, pa, count, bit);
    if (e == FA_OK)
        *bit += h->lead;
    return e;
}

static uint64_t ha_addr(const struct ha *h, uint64_t bit) { return (h->pfn0 - h->lead + bit) << FA_FRAME_SHIFT; }

/* The owner is the only writer of its net count: no locked instruction. */
static void ha_count(struct ha_cpu *pc, int64_t d)
{
    atomic_store_explicit(&pc->net, atomic_load_explicit(&pc->net, memory_order_relaxed) + d, memory_order_relaxed);
}

/* Sets one clear bit of block b, searching from *word; the caller took a
 * count, so one is owed to it.  Returns the bit index. */
static uint64_t ha_take_bit(struct ha *h, uint64_t b, uint64_t *word)
{
    return fa_abm_take_bit(ha_words(h), b * HA_BLOCK_WORDS, (b + 1) * HA_BLOCK_WORDS, word);
}

/* Takes n from block b's free count, whoever owns it, if it has n; 1 on
 * success.  A whole block taken from loses its hint. */
static int ha_take_count(struct ha *h, uint64_t b, uint32_t n)
{
    _Atomic uint64_t *d = ha_desc(h, b);
    uint64_t old = ha_load(d);
    while (HA_FREE(old) >= n)
        if (ha_cas(d, &old, old - n)) {
            ha_note(h, b, old, old - n);
            return 1;
        }
    return 0;
}

/* Gives n back to block b's free count. */
static void ha_give_count(struct ha *h, uint64_t b, uint32_t n)
{
    uint64_t old = atomic_fetch_add_explicit(ha_desc(h, b), n, memory_order_relaxed);
    ha_note(h, b, old, old + n);
}

/* Makes block b cpu's if nobody owns it and `want` says it is the kind
 * sought; 1 on success. */
static int ha_own(struct ha *h, uint64_t b, unsigned cpu, int (*want)(const struct ha *, uint64_t, uint64_t))
{
    _Atomic uint64_t *d = ha_desc(h, b);
    uint64_t old = ha_load(d);
    while (HA_OWNER(old) == 0 && want(h, b, old))
        if (ha_cas(d, &old, HA_D(HA_FREE(old), cpu + 1))) {
            ha_note(h, b, old, HA_D(HA_FREE(old), cpu + 1));
            return 1;
        }
    return 0;
}

/* Partly used: some free, not whole (an edge block, never whole, counts). */
static int ha_partial(const struct ha *h, uint64_t b, uint64_t d)
{
    (void)h;
    (void)b;
    return HA_FREE(d) > 0 && HA_FREE(d) < HA_BLOCK;
}
static int ha_whole(const struct ha *h, uint64_t b, uint64_t d)
{
    (void)h;
    (void)b;
    return HA_FREE(d) == HA_BLOCK;
}
static int ha_any_free(const struct ha *h, uint64_t b, uint64_t d)
{
    (void)h;
    (void)b;
    return HA_FREE(d) > 0;
}

/* Where cpu's search for a block of `kind` starts: its home area while
 * that has one (CPUs stay apart), else where its last such search
 * succeeded (not over the areas it emptied, again and again). */
static uint64_t ha_start(const struct ha *h, const struct ha_cpu *pc, int kind)
{
    return fa_abm_load(ha_hint(h, pc->home / HA_AREA, kind), 0) ? pc->home : pc->seen[kind];
}

/* The next block from cpu's start (ha_start) with a hint of `kind`, claimed
 * by `claim` (1 on success); stale hints met are cleared.  HA_NONE if
 * none. */
static uint64_t ha_from_hints(struct ha *h, struct ha_cpu *pc, int kind, int (*claim)(struct ha *, uint64_t, void *),
                              void *ctx)
{
    uint64_t a0 = ha_start(h, pc, kind) / HA_AREA;
    for (uint64_t k = 0; k < h->nareas; k++) {
        uint64_t a = ha_wrap(a0 + k, h->nareas);
        uint64_t x = fa_abm_load(ha_hint(h, a, kind), 0);
        while (x) {
            uint64_t b = a * HA_AREA + fa_ctz(x);
            x &= x - 1;
            if (claim(h, b, ctx))
                return pc->seen[kind] = b;
            if (ha_kind(ha_load(ha_desc(h, b))) != kind)
                atomic_fetch_and_explicit(ha_hint(h, a, kind), ~(UINT64_C(1) << (b % HA_AREA)), memory_order_relaxed);
        }
    }
    return HA_NONE;
}

/* The first partly used block from cpu's start (ha_start), HA_NONE if none;
 * *poor when it has fewer than HA_ENOUGH free frames. */
static uint64_t ha_find_partial(struct ha *h, struct ha_cpu *pc, int *poor)
{
    uint64_t a0 = ha_start(h, pc, HA_PARTIAL) / HA_AREA;
    for (uint64_t k = 0; k < h->nareas; k++) {
        uint64_t a = ha_wrap(a0 + k, h->nareas), x = fa_abm_load(ha_hint(h, a, HA_PARTIAL), 0);
        for (; x; x &= x - 1) {
            uint64_t b = a * HA_AREA + fa_ctz(x), d = ha_load(ha_desc(h, b));
            if (ha_kind(d) == HA_PARTIAL) {
                *poor = HA_FREE(d) < HA_ENOUGH;
                return pc->seen[HA_PARTIAL] = b;
            }
            atomic_fetch_and_explicit(ha_hint(h, a, HA_PARTIAL), ~(x & -x), memory_order_relaxed);
        }
    }
    return HA_NONE;
}

static int ha_own_whole(struct ha *h, uint64_t b, void *cpu) { return ha_own(h, b, *(unsigned *)cpu, ha_whole); }

/* A block for cpu to take frames from, now its own: partly used first,
 * then whole (both searched from its home, so that CPUs stay apart), then
 * any with a free frame; HA_NONE when every block with one is owned.  A
 * partly used block with few free frames is not reserved: *one is set to
 * it, and the caller takes a frame from it. */
static uint64_t ha_reserve(struct ha *h, unsigned cpu, struct ha_cpu *pc, uint64_t *one)
{
    int poor = 0;
    uint64_t b = ha_find_partial(h, pc, &poor);
    *one = HA_NONE;
    if (b != HA_NONE && poor) {
        *one = b;
        return HA_NONE;
    }
    if (b != HA_NONE && !ha_own(h, b, cpu, ha_partial))
        b = HA_NONE;
    if (b == HA_NONE)
        b = ha_from_hints(h, pc, HA_WHOLE, ha_own_whole, &cpu);
    for (uint64_t k = 0; b == HA_NONE && k < h->nblocks; k++)
        if (ha_own(h, ha_wrap(pc->cursor + k, h->nblocks), cpu, ha_any_free))
            b = ha_wrap(pc->cursor + k, h->nblocks);
    return b;
}

/* Gives up cpu's block, if it still has it, with its free count. */
static void ha_release(struct ha *h, unsigned cpu, struct ha_cpu *pc)
{
    uint64_t b = pc->block;
    pc->block = HA_NONE;
    if (b == HA_NONE)
        return;
    _Atomic uint64_t *d = ha_desc(h, b);
    uint64_t old = ha_load(d);
    while (HA_OWNER(old) == cpu + 1)
        if (ha_cas(d, &old, HA_D(HA_FREE(old), 0))) {
            ha_note(h, b, old, HA_D(HA_FREE(old), 0));
            return;
        }
}

/* Takes one count from cpu's own block; 0 when it has none left or was
 * taken from it (a whole block claimed for a run). */
static int ha_take_own(struct ha *h, unsigned cpu, uint64_t b, uint32_t n)
{
    _Atomic uint64_t *d = ha_desc(h, b);
    uint64_t old = ha_load(d);
    while (HA_OWNER(old) == cpu + 1 && HA_FREE(old) >= n)
        if (ha_cas(d, &old, old - n))
            return 1;
    return 0;
}

/* Makes b, just reserved, cpu's block instead of the one it had. */
static void ha_switch(struct ha *h, unsigned cpu, struct ha_cpu *pc, uint64_t b)
{
    if (pc->block != b)
        ha_release(h, cpu, pc);
    pc->block = pc->cursor = b;
}

/* A used-up block is given up only once another is reserved, so a refused
 * alloc leaves the state as it was. */
static fa_err hugeaware_alloc(void *state, unsigned cpu, uint64_t *pa)
{
    struct ha *h = state;
    struct ha_cpu *pc = ha_cpu_of(h, cpu);
    for (;;) {
        if (pc->block != HA_NONE && ha_take_own(h, cpu, pc->block, 1)) {
            *pa = ha_addr(h, ha_take_bit(h, pc->block, &pc->word));
            ha_count(pc, 1);
            return FA_OK;
        }
        uint64_t one, b = ha_reserve(h, cpu, pc, &one);
        if (one != HA_NONE) { /* a frame from a nearly full block, not reserved */
            uint64_t word = one * HA_BLOCK_WORDS;
            if (!ha_take_count(h, one, 1))
                continue;
            *pa = ha_addr(h, ha_take_bit(h, one, &word));
            ha_count(pc, 1);
            return FA_OK;
        }
        if (b == HA_NONE)
            break;
        ha_switch(h, cpu, pc, b);
    }
    /* Every block with a free frame is owned: take one from any. */
    for (uint64_t k = 0; k < h->nblocks; k++) {
        uint64_t b = ha_wrap(pc->cursor + k, h->nblocks), word = b * HA_BLOCK_WORDS;
        if (ha_take_count(h, b, 1)) {
            *pa = ha_addr(h, ha_take_bit(h, b, &word));
            ha_count(pc, 1);
            return FA_OK;
        }
    }
    return FA_ENOMEM;
}

/* Adds back (give) or takes (!give) the counts of bits [i, i + n) block by
 * block; taking is all or nothing.  1 on success. */
static int ha_counts(struct ha *h, uint64_t i, uint64_t n, int give)
{
    for (uint64_t k = i; k < i + n;) {
        uint64_t b = k / HA_BLOCK, end = (b + 1) * HA_BLOCK < i + n ? (b + 1) * HA_BLOCK : i + n;
        if (give)
            ha_give_count(h, b, (uint32_t)(end - k));
        else if (!ha_take_count(h, b, (uint32_t)(end - k))) {
            if (k > i)
                ha_counts(h, i, k - i, 1);
            return 0;
        }
        k = end;
    }
    return 1;
}

static fa_err hugeaware_free(void *state, unsigned cpu, uint64_t pa)
{
    struct ha *h = state;
    uint64_t i;
    fa_err e = ha_locate(h, pa, 1, &i);
    if (e != FA_OK)
        return e;
    uint64_t bit = UINT64_C(1) << (i % 64);
    if (!(atomic_fetch_and_explicit(&ha_words(h)[i / 64], ~bit, memory_order_relaxed) & bit))
        return FA_EFREE;
    ha_give_count(h, i / HA_BLOCK, 1);
    ha_count(ha_cpu_of(h, cpu), -1);
    return FA_OK;
}

/* The lowest bit index s in [from, to - count], aligned to 2^order in
 * physical frames, whose bits [s, s + count) look clear; `to` if none. */
static uint64_t ha_find_run(const struct ha *h, uint64_t from, uint64_t to, uint64_t count, unsigned order)
{
    return fa_abm_find_run(ha_words(h), from, to, count, h->pfn0 - h->lead, order);
}

/* Takes an aligned run of count frames in [from, to) (bit indices): counts
 * first, then bits; 1 with its first bit in *at. */
static int ha_take_run(struct ha *h, uint64_t from, uint64_t to, uint64_t count, unsigned order, uint64_t *at)
{
    for (uint64_t s = from; (s = ha_find_run(h, s, to, count, order)) < to; s++) {
        if (!ha_counts(h, s, count, 0))
            continue;
        if (!fa_abm_flip_run(ha_words(h), s, count, 1)) {
            ha_counts(h, s, count, 1);
            continue;
        }
        *at = s;
        return 1;
    }
    return 0;
}

static int ha_claim_whole(struct ha *h, uint64_t b, void *unused)
{
    (void)unused;
    uint64_t old = HA_D(HA_BLOCK, 0);
    if (!atomic_compare_exchange_strong_explicit(ha_desc(h, b), &old, HA_D(0, 0), memory_order_relaxed,
                                                 memory_order_relaxed))
        return 0;
    ha_note(h, b, HA_D(HA_BLOCK, 0), HA_D(0, 0));
    return 1;
}

/* A whole block as one run: claimed from the hints, else from the
 * descriptors (a whole block a CPU owns but has not used is taken from it);
 * its bits are all clear and nobody else sets them now.  HA_NONE if none. */
static uint64_t ha_whole_block(struct ha *h, struct ha_cpu *pc)
{
    uint64_t b = ha_from_hints(h, pc, HA_WHOLE, ha_claim_whole, 0);
    for (uint64_t k = 0; b == HA_NONE && k < h->nblocks; k++) {
        uint64_t c = ha_wrap(pc->home + k, h->nblocks);
        _Atomic uint64_t *d = ha_desc(h, c);
        uint64_t old = ha_load(d);
        while (HA_FREE(old) == HA_BLOCK)
            if (ha_cas(d, &old, HA_D(0, 0))) {
                ha_note(h, c, old, HA_D(0, 0));
                b = c;
                break;
            }
    }
    if (b == HA_NONE)
        return b;
    for (unsigned w = 0; w < HA_BLOCK_WORDS; w++)
        atomic_store_explicit(&ha_words(h)[b * HA_BLOCK_WORDS + w], FA_ALL_ONES, memory_order_relaxed);
    return b;
}

/* Sets the bits of an aligned run of count frames in block b, whose count
 * the caller took; 1 with its first bit in *at. */
static int ha_run_in(struct ha *h, uint64_t b, uint64_t count, unsigned order, uint64_t *at)
{
    uint64_t lo = b * HA_BLOCK, s = lo;
    for (; (s = ha_find_run(h, s, lo + HA_BLOCK, count, order)) < lo + HA_BLOCK; s++)
        if (fa_abm_flip_run(ha_words(h), s, count, 1)) {
            *at = s;
            return 1;
        }
    return 0;
}

struct ha_want {
    uint64_t count;
    unsigned order;
    uint64_t at;
};

/* The run `want` in partly used block b, if it fits there (not owning b):
 * looked for in the bitmap first, so a block where it does not fit costs
 * no atomic. */
static int ha_run_in_partial(struct ha *h, uint64_t b, void *want)
{
    struct ha_want *w = want;
    uint64_t d = ha_load(ha_desc(h, b)), lo = b * HA_BLOCK;
    if (!ha_partial(h, b, d) || HA_FREE(d) < w->count ||
        ha_find_run(h, lo, lo + HA_BLOCK, w->count, w->order) == lo + HA_BLOCK ||
        !ha_take_count(h, b, (uint32_t)w->count))
        return 0;
    if (ha_run_in(h, b, w->count, w->order, &w->at))
        return 1;
    ha_give_count(h, b, (uint32_t)w->count);
    return 0;
}

/* A run of count < 512 frames: in cpu's own block, else in a partly used
 * block near it, and only then in a whole block, which becomes cpu's.  A
 * block where it does not fit keeps its count, so a refusal changes
 * nothing. */
static int ha_small_run(struct ha *h, unsigned cpu, struct ha_cpu *pc, uint64_t count, unsigned order, uint64_t *at)
{
    uint32_t c = (uint32_t)count;
    if (pc->block != HA_NONE && ha_take_own(h, cpu, pc->block, c)) {
        if (ha_run_in(h, pc->block, count, order, at))
            return 1;
        ha_give_count(h, pc->block, c);
    }
    struct ha_want want = {count, order, 0};
    if (ha_from_hints(h, pc, HA_PARTIAL, ha_run_in_partial, &want) != HA_NONE) {
        *at = want.at;
        return 1;
    }
    uint64_t b = ha_from_hints(h, pc, HA_WHOLE, ha_own_whole, &cpu);
    if (b == HA_NONE)
        return 0;
    ha_switch(h, cpu, pc, b);
    return ha_take_own(h, cpu, b, c) && (ha_run_in(h, b, count, order, at) || (ha_give_count(h, b, c), 0));
}

static fa_err hugeaware_alloc_run(void *state, unsigned cpu, uint64_t count, unsigned align_order, uint64_t *pa)
{
    struct ha *h = state;
    if (count == 0 || align_order > FA_MAX_ALIGN_ORDER)
        return FA_EINVAL;
    if (count == 1 && align_order == 0)
        return hugeaware_alloc(state, cpu, pa);
    if (count > h->nframes)
        return FA_ENOMEM;
    struct ha_cpu *pc = ha_cpu_of(h, cpu);
    uint64_t at, total = h->nblocks * HA_BLOCK, b = HA_NONE;
    if (count == HA_BLOCK && align_order <= 9 && (b = ha_whole_block(h, pc)) != HA_NONE) {
        at = b * HA_BLOCK;
    } else if (count == HA_BLOCK && align_order == 9) {
        return FA_ENOMEM; /* an aligned 2 MiB run is a whole block, and none is */
    } else if (!(count < HA_BLOCK && align_order <= 9 && ha_small_run(h, cpu, pc, count, align_order, &at))) {
        /* From where this CPU's last run ended, then from the start. */
        uint64_t from = pc->run < total ? pc->run : 0;
        if (!ha_take_run(h, from, total, count, align_order, &at) &&
            !(from && ha_take_run(h, 0, from + count - 1 < total ? from + count - 1 : total, count, align_order, &at)))
            return FA_ENOMEM;
        pc->run = at + count;
    }
    ha_count(pc, (int64_t)count);
    *pa = ha_addr(h, at);
    return FA_OK;
}

static fa_err hugeaware_free_run(void *state, unsigned cpu, uint64_t pa, uint64_t count)
{
    struct ha *h = state;
    uint64_t i;
    fa_err e = ha_locate(h, pa, count, &i);
    if (e != FA_OK)
        return e;
    if (!fa_abm_flip_run(ha_words(h), i, count, 0))
        return FA_EFREE;
    ha_counts(h, i, count, 1);
    ha_count(ha_cpu_of(h, cpu), -(int64_t)count);
    return FA_OK;
}

static fa_err hugeaware_reserve(void *state, uint64_t pa, uint64_t count)
{
    struct ha *h = state;
    uint64_t i;
    fa_err e = ha_locate(h, pa, count, &i);
    if (e != FA_OK)
        return e;
    if (fa_abm_any(ha_words(h), i, count))
        return FA_EBUSY;
    fa_abm_set(ha_words(h), i, count);
    ha_counts(h, i, count, 0);
    h->reserved += count;
    return FA_OK;
}

static uint64_t hugeaware_free_frames(const void *state)
{
    const struct ha *h = state;
    int64_t out = (int64_t)h->reserved;
    for (unsigned c = 0; c < h->ncpus; c++)
        out += atomic_load_explicit(&ha_cpu_of(h, c)->net, memory_order_relaxed);
    return h->nframes - (uint64_t)out;
}

static fa_err hugeaware_check(const void *state)
{
    const struct ha *h = state;
    const fa_aword *words = ha_words(h);
    uint64_t end = h->lead + h->nframes, total = 0;
    for (uint64_t b = 0; b < h->nblocks; b++) {
        uint64_t lo = b * HA_BLOCK, used = 0;
        for (uint64_t w = lo / 64; w < lo / 64 + HA_BLOCK_WORDS; w++)
            used += fa_popcount(fa_abm_load(words, w));
        for (uint64_t k = lo; (b == 0 || b == h->nblocks - 1) && k < lo + HA_BLOCK; k++)
            if (k < h->lead || k >= end) { /* a bit outside the region */
                if (!fa_abm_test(words, k))
                    return FA_EINVAL;
                used--;
            }
        uint64_t d = ha_load(ha_desc(h, b));
        if (HA_FREE(d) != ha_block_frames(h, b) - used || HA_OWNER(d) > h->ncpus ||
            (HA_OWNER(d) && ha_cpu_of(h, HA_OWNER(d) - 1)->block != b))
            return FA_EINVAL;
        total += HA_FREE(d);
    }
    return total == hugeaware_free_frames(h) ? FA_OK : FA_EINVAL;
}

FA_MT_DEFINE(hugeaware, "hugeaware",
             "thread-safe, lock-free, huge-page aware: each CPU takes frames from a 2 MiB block it owns, partly "
             "used blocks before whole ones; 2 MiB runs are whole blocks found by hints; ~1.17 bits/frame");
