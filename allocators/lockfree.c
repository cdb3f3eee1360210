/*
 * lockfree: a bitmap that many CPUs change with compare-and-swap, each CPU
 * working in a chunk of the map it has reserved, so that CPUs rarely touch
 * the same cache line.  LLFree (Wrenger et al., USENIX ATC'23) is the model;
 * this one is simpler: one level of chunks, no tree.
 *
 * Structure.  The map is cut into chunks of LF_CHUNK_FRAMES frames (4096:
 * 64 words, 8 cache lines of bitmap, 16 MiB of memory).  Each chunk has a
 * descriptor on a cache line of its own: `free`, the chunk's clear bits
 * that no alloc in flight has claimed yet, and `owner`, the CPU that has
 * reserved the chunk (cpu + 1; 0 none).  Each CPU's own line holds the
 * chunk it reserved and the word where its last search ended.
 *
 * alloc: take one from the reserved chunk's `free` (a compare-and-swap on a
 * line only this CPU uses, unless others free into its chunk), then set a
 * clear bit of the chunk with compare-and-swap, searching from the CPU's
 * word.  Taking the count first is what makes the search finish: a CPU
 * that took one is owed a clear bit, since `free` never exceeds the clear
 * bits.  When the chunk's count is 0 the CPU gives it up and reserves the
 * next chunk nobody holds that has free frames, searching from where it was;
 * when every such chunk is held, it takes a single frame from a chunk
 * another CPU holds; when no chunk has a free frame: FA_ENOMEM.
 * free: clear the bit (an atomic and-not: a bit already clear is a double
 * free, refused with nothing changed), then add one to the chunk's `free`.
 * A remote free costs two atomics on lines the owning CPU is using.
 * alloc_run: search the map, from where this CPU's last run ended and
 * wrapping, for an aligned clear run (relaxed loads), take
 * its frames from each chunk's `free`, then set its bits word by word with
 * compare-and-swap; if another CPU got a bit first, undo and search on.
 *
 * Invariants (check, quiescent): each chunk's `free` equals its clear bits;
 * a chunk's owner is the CPU whose reserved chunk it is; the bits past the
 * last frame are set; free frames = nframes - reserved - the per-CPU net
 * counts = the sum of the chunks' `free`.
 * Cost: alloc O(1) typical (two atomics on the CPU's own lines), O(n/4096)
 * to find a new chunk; runs O(n/64).  Memory: 1 bit per frame + 64 bytes per
 * chunk (1/512 bit per frame) + 64 bytes per CPU.
 */
#include "fa_atomic_bitmap.h"
#include "frame_alloc_mt.h"
#include "strategies.h"

#define LF_CHUNK_WORDS 64u
#define LF_CHUNK_FRAMES (LF_CHUNK_WORDS * 64u)
#define LF_NONE UINT64_MAX

struct lf {
    uint64_t pfn0, nframes, nwords, nchunks, ncpus;
    uint64_t reserved; /* frames reserve() marked (quiescent only) */
    uint64_t cpus_off, chunks_off, words_off;
};

struct lf_cpu {          /* written by its CPU only */
    uint64_t chunk;      /* the reserved chunk, or LF_NONE */
    uint64_t last;       /* where the next chunk search starts */
    uint64_t word;       /* the word where the last bit search ended */
    uint64_t run;        /* the frame where the last run search ended */
    _Atomic int64_t net; /* frames this CPU handed out minus those it took back */
};

struct lf_chunk {
    _Atomic uint32_t free;
    _Atomic uint32_t owner;
};

static struct lf_cpu *lf_cpu_of(const struct lf *l, uint64_t cpu)
{
    return (struct lf_cpu *)((char *)l + l->cpus_off + cpu * FA_STATE_ALIGN);
}
static struct lf_chunk *lf_chunk_of(const struct lf *l, uint64_t c)
{
    return (struct lf_chunk *)((char *)l + l->chunks_off + c * FA_STATE_ALIGN);
}
static fa_aword *lf_words(const struct lf *l) { return (fa_aword *)((char *)l + l->words_off); }

static size_t lockfree_state_size(uint64_t nframes, unsigned ncpus)
{
    if (nframes == 0 || nframes > FA_MAX_FRAMES || ncpus == 0 || ncpus > FA_MT_MAX_CPUS)
        return 0;
    return fa_round_state(sizeof(struct lf)) + (ncpus + fa_div_round_up(nframes, LF_CHUNK_FRAMES)) * FA_STATE_ALIGN +
           fa_round_state(fa_div_round_up(nframes, 64) * 8);
}

static uint64_t lf_chunk_frames(const struct lf *l, uint64_t c)
{
    uint64_t left = l->nframes - c * LF_CHUNK_FRAMES;
    return left < LF_CHUNK_FRAMES ? left : LF_CHUNK_FRAMES;
}

static fa_err lockfree_init(void *state, size_t bytes, uint64_t base, uint64_t nframes, unsigned ncpus)
{
    if (ncpus == 0 || ncpus > FA_MT_MAX_CPUS)
        return FA_EINVAL;
    fa_err e = fa_check_init(state, bytes, lockfree_state_size(nframes, ncpus), base, nframes);
    if (e != FA_OK)
        return e;
    struct lf *l = state;
    l->pfn0 = base >> FA_FRAME_SHIFT;
    l->nframes = nframes;
    l->nwords = fa_div_round_up(nframes, 64);
    l->nchunks = fa_div_round_up(nframes, LF_CHUNK_FRAMES);
    l->ncpus = ncpus;
    l->reserved = 0;
    l->cpus_off = fa_round_state(sizeof(struct lf));
    l->chunks_off = l->cpus_off + ncpus * FA_STATE_ALIGN;
    l->words_off = l->chunks_off + l->nchunks * FA_STATE_ALIGN;
    for (unsigned c = 0; c < ncpus; c++) {
        struct lf_cpu *pc = lf_cpu_of(l, c);
        pc->chunk = LF_NONE;
        pc->last = c * l->nchunks / ncpus; /* CPUs start apart */
        pc->word = 0;
        pc->run = c * nframes / ncpus; /* apart, as the chunks: two CPUs searching from one place race for each run */
        atomic_init(&pc->net, 0);
    }
    for (uint64_t c = 0; c < l->nchunks; c++) {
        atomic_init(&lf_chunk_of(l, c)->free, (uint32_t)lf_chunk_frames(l, c));
        atomic_init(&lf_chunk_of(l, c)->owner, 0);
    }
    for (uint64_t w = 0; w < l->nwords; w++)
        atomic_init(&lf_words(l)[w], 0);
    if (nframes % 64)
        atomic_init(&lf_words(l)[l->nwords - 1], ~fa_word_mask(0, (unsigned)(nframes % 64)));
    return FA_OK;
}

static uint64_t lf_addr(const struct lf *l, uint64_t i) { return (l->pfn0 + i) << FA_FRAME_SHIFT; }

/* The owner is the only writer of its net count: no locked instruction. */
static void lf_count(struct lf_cpu *pc, int64_t d)
{
    atomic_store_explicit(&pc->net, atomic_load_explicit(&pc->net, memory_order_relaxed) + d, memory_order_relaxed);
}

/* Takes n from a chunk's free count if it has n; 1 on success. */
static int lf_take_count(struct lf_chunk *ch, uint32_t n)
{
    uint32_t old = atomic_load_explicit(&ch->free, memory_order_relaxed);
    while (old >= n)
        if (atomic_compare_exchange_weak_explicit(&ch->free, &old, old - n, memory_order_relaxed, memory_order_relaxed))
            return 1;
    return 0;
}

/* Sets one clear bit of chunk c, searching from *word; the caller took a
 * count, so one is owed to it.  Returns the frame index. */
static uint64_t lf_take_bit(struct lf *l, uint64_t c, uint64_t *word)
{
    uint64_t first = c * LF_CHUNK_WORDS, end = first + LF_CHUNK_WORDS < l->nwords ? first + LF_CHUNK_WORDS : l->nwords;
    return fa_abm_take_bit(lf_words(l), first, end, word);
}

/* The next chunk from pc->last that nobody holds and that has a free frame,
 * now reserved for `cpu`; LF_NONE if there is none. */
static uint64_t lf_reserve_chunk(struct lf *l, unsigned cpu, const struct lf_cpu *pc)
{
    for (uint64_t k = 0; k < l->nchunks; k++) {
        uint64_t c = (pc->last + k) % l->nchunks;
        struct lf_chunk *ch = lf_chunk_of(l, c);
        uint32_t none = 0;
        if (atomic_load_explicit(&ch->owner, memory_order_relaxed) == 0 &&
            atomic_load_explicit(&ch->free, memory_order_relaxed) > 0 &&
            atomic_compare_exchange_strong_explicit(&ch->owner, &none, cpu + 1, memory_order_relaxed,
                                                    memory_order_relaxed))
            return c;
    }
    return LF_NONE;
}

/* A full chunk is given up only once another is reserved, so a refused
 * alloc leaves the state as it was. */
static fa_err lockfree_alloc(void *state, unsigned cpu, uint64_t *pa)
{
    struct lf *l = state;
    struct lf_cpu *pc = lf_cpu_of(l, cpu);
    while (pc->chunk == LF_NONE || !lf_take_count(lf_chunk_of(l, pc->chunk), 1)) {
        uint64_t next = lf_reserve_chunk(l, cpu, pc);
        if (next != LF_NONE) {
            if (pc->chunk != LF_NONE)
                atomic_store_explicit(&lf_chunk_of(l, pc->chunk)->owner, 0, memory_order_relaxed);
            pc->chunk = pc->last = next;
            continue;
        }
        /* Every chunk with a free frame is held: take one from any. */
        uint64_t c;
        for (c = 0; c < l->nchunks && !lf_take_count(lf_chunk_of(l, c), 1); c++)
            ;
        if (c == l->nchunks)
            return FA_ENOMEM;
        uint64_t word = c * LF_CHUNK_WORDS;
        *pa = lf_addr(l, lf_take_bit(l, c, &word));
        lf_count(pc, 1);
        return FA_OK;
    }
    *pa = lf_addr(l, lf_take_bit(l, pc->chunk, &pc->word));
    lf_count(pc, 1);
    return FA_OK;
}

/* Adds back (give) or takes (!give) the frames [i, i + n) count in each
 * chunk's free; taking is all or nothing.  1 on success. */
static int lf_counts(struct lf *l, uint64_t i, uint64_t n, int give)
{
    uint64_t k = i;
    while (k < i + n) {
        uint64_t c = k / LF_CHUNK_FRAMES, end = (c + 1) * LF_CHUNK_FRAMES < i + n ? (c + 1) * LF_CHUNK_FRAMES : i + n;
        if (give)
            atomic_fetch_add_explicit(&lf_chunk_of(l, c)->free, (uint32_t)(end - k), memory_order_relaxed);
        else if (!lf_take_count(lf_chunk_of(l, c), (uint32_t)(end - k))) {
            if (k > i)
                lf_counts(l, i, k - i, 1);
            return 0;
        }
        k = end;
    }
    return 1;
}

static fa_err lockfree_free(void *state, unsigned cpu, uint64_t pa)
{
    struct lf *l = state;
    uint64_t i;
    fa_err e = fa_locate(l->pfn0, l->nframes, pa, 1, &i);
    if (e != FA_OK)
        return e;
    uint64_t bit = UINT64_C(1) << (i % 64);
    if (!(atomic_fetch_and_explicit(&lf_words(l)[i / 64], ~bit, memory_order_relaxed) & bit))
        return FA_EFREE;
    atomic_fetch_add_explicit(&lf_chunk_of(l, i / LF_CHUNK_FRAMES)->free, 1, memory_order_relaxed);
    lf_count(lf_cpu_of(l, cpu), -1);
    return FA_OK;
}

/* The lowest aligned run start in [from, to) that looks clear; `to` if none. */
static uint64_t lf_find_run(const struct lf *l, uint64_t from, uint64_t to, uint64_t count, unsigned order)
{
    return fa_abm_find_run(lf_words(l), from, to, count, l->pfn0, order);
}

static fa_err lockfree_alloc_run(void *state, unsigned cpu, uint64_t count, unsigned align_order, uint64_t *pa)
{
    struct lf *l = state;
    if (count == 0 || align_order > FA_MAX_ALIGN_ORDER)
        return FA_EINVAL;
    if (count == 1 && align_order == 0)
        return lockfree_alloc(state, cpu, pa);
    if (count > l->nframes)
        return FA_ENOMEM;
    /* From where this CPU's last run ended, then from the start. */
    struct lf_cpu *pc = lf_cpu_of(l, cpu);
    uint64_t from = pc->run < l->nframes ? pc->run : 0;
    for (int lap = 0; lap < 2; lap++) {
        uint64_t to = lap == 0 ? l->nframes : from + count - 1 < l->nframes ? from + count - 1 : l->nframes;
        for (uint64_t s = lap == 0 ? from : 0; (s = lf_find_run(l, s, to, count, align_order)) < to; s++) {
            if (!lf_counts(l, s, count, 0))
                continue;
            if (!fa_abm_flip_run(lf_words(l), s, count, 1)) {
                lf_counts(l, s, count, 1);
                continue;
            }
            lf_count(pc, (int64_t)count);
            pc->run = s + count;
            *pa = lf_addr(l, s);
            return FA_OK;
        }
        if (from == 0)
            break;
    }
    return FA_ENOMEM;
}

static fa_err lockfree_free_run(void *state, unsigned cpu, uint64_t pa, uint64_t count)
{
    struct lf *l = state;
    uint64_t i;
    fa_err e = fa_locate(l->pfn0, l->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    if (!fa_abm_flip_run(lf_words(l), i, count, 0))
        return FA_EFREE;
    lf_counts(l, i, count, 1);
    lf_count(lf_cpu_of(l, cpu), -(int64_t)count);
    return FA_OK;
}

static fa_err lockfree_reserve(void *state, uint64_t pa, uint64_t count)
{
    struct lf *l = state;
    uint64_t i;
    fa_err e = fa_locate(l->pfn0, l->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    if (fa_abm_any(lf_words(l), i, count))
        return FA_EBUSY;
    fa_abm_set(lf_words(l), i, count);
    lf_counts(l, i, count, 0);
    l->reserved += count;
    return FA_OK;
}

static uint64_t lockfree_free_frames(const void *state)
{
    const struct lf *l = state;
    int64_t out = (int64_t)l->reserved;
    for (unsigned c = 0; c < l->ncpus; c++)
        out += atomic_load_explicit(&lf_cpu_of(l, c)->net, memory_order_relaxed);
    return l->nframes - (uint64_t)out;
}

static fa_err lockfree_check(const void *state)
{
    const struct lf *l = state;
    const fa_aword *words = lf_words(l);
    if (l->nframes % 64 &&
        (fa_abm_load(words, l->nwords - 1) | fa_word_mask(0, (unsigned)(l->nframes % 64))) != FA_ALL_ONES)
        return FA_EINVAL;
    uint64_t total = 0;
    for (uint64_t c = 0; c < l->nchunks; c++) {
        const struct lf_chunk *ch = lf_chunk_of(l, c);
        uint64_t first = c * LF_CHUNK_FRAMES, used = 0;
        for (uint64_t w = first / 64; w < l->nwords && w < first / 64 + LF_CHUNK_WORDS; w++)
            used += fa_popcount(fa_abm_load(words, w));
        if (c == l->nchunks - 1 && l->nframes % 64)
            used -= 64 - l->nframes % 64; /* the padding bits */
        uint32_t free = atomic_load_explicit((_Atomic uint32_t *)&ch->free, memory_order_relaxed);
        uint32_t owner = atomic_load_explicit((_Atomic uint32_t *)&ch->owner, memory_order_relaxed);
        if (free != lf_chunk_frames(l, c) - used || owner > l->ncpus ||
            (owner != 0 && lf_cpu_of(l, owner - 1)->chunk != c))
            return FA_EINVAL;
        total += free;
    }
    for (unsigned c = 0; c < l->ncpus; c++) {
        uint64_t own = lf_cpu_of(l, c)->chunk;
        if (own != LF_NONE &&
            (own >= l->nchunks ||
             atomic_load_explicit((_Atomic uint32_t *)&lf_chunk_of(l, own)->owner, memory_order_relaxed) != c + 1))
            return FA_EINVAL;
    }
    return total == lockfree_free_frames(l) ? FA_OK : FA_EINVAL;
}

FA_MT_DEFINE(lockfree, "lockfree",
             "thread-safe, lock-free: CAS on bitmap words, each CPU in a 4096-frame chunk it reserved, per-chunk "
             "free counts on own lines; O(1) typical; 1 bit/frame + 1/512");
