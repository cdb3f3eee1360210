/*
 * pcp: per-CPU caches of single frames in front of `nextfit` behind a
 * lock, as Linux's per-CPU pagesets sit in front of its zone lock.
 *
 * Each CPU keeps a LIFO stack of up to FA_PCP_HIGH free frames.  alloc pops
 * its own stack; an empty stack is refilled with FA_PCP_BATCH frames in one
 * lock hold.  free pushes onto the freeing CPU's stack (a remote free lands
 * in the freeing CPU's cache, as in Linux); a stack past FA_PCP_HIGH gives
 * FA_PCP_BATCH frames back in one lock hold.  So the lock is taken once per
 * FA_PCP_BATCH single-frame calls, not on every call.  Runs bypass the
 * caches and take the lock.  Each CPU refills from where its own last
 * refill ended, the CPUs starting apart, so that two CPUs' cached frames
 * (and their `held` bits) do not share cache lines.
 *
 * Who holds a frame: the `held` bitmap, one atomic bit per frame, set while
 * the frame is the caller's (allocated or reserved).  free clears it with one
 * atomic and-not, which is how a double free is refused at once even when
 * the frame sits in some CPU's cache, where the inner map calls it used.
 * That atomic is the price of frame_alloc.h's error rules; Linux's pcp checks
 * nothing without CONFIG_DEBUG_VM.
 *
 * Invariants (check): a frame is held => the inner map has it used; a frame
 * in a cache is not held and used in the inner map, and the caches hold
 * exactly as many frames as are used-but-not-held; free frames = nframes -
 * reserved - sum of the per-CPU net counts = inner free + cached.
 * FA_ENOMEM refuses more than frame_alloc.h says: an alloc (or run) fails
 * while free frames sit in other CPUs' caches (alloc_run first gives back
 * the calling CPU's own cache).  With one CPU it is exact.
 * Memory: nextfit's + 1 bit per frame + about 2 KiB per CPU.
 */
#include "fa_atomic_bitmap.h"
#include "fa_flat.h"
#include "fa_lock.h"
#include "frame_alloc_mt.h"
#include "strategies.h"

#define FA_PCP_HIGH 256u
#define FA_PCP_BATCH 64u

struct pcp {
    uint64_t pfn0, nframes, nwords, ncpus;
    uint64_t reserved; /* frames reserve() marked (quiescent only) */
    uint64_t lock_off, cpus_off, held_off, inner_off;
};

struct pcp_cpu {
    uint64_t count;
    _Atomic int64_t net;              /* frames this CPU handed out minus those it took back */
    uint64_t frames[FA_PCP_HIGH + 1]; /* frame indices; the top is the hottest */
    uint64_t hint;                    /* the inner map's word where this CPU's last refill ended */
};

#define CPU_BYTES fa_round_state(sizeof(struct pcp_cpu))

static struct fa_ticket_lock *pcp_lock(const struct pcp *p)
{
    return (struct fa_ticket_lock *)((char *)p + p->lock_off);
}
static struct pcp_cpu *pcp_cpu_of(const struct pcp *p, unsigned cpu)
{
    return (struct pcp_cpu *)((char *)p + p->cpus_off + cpu * CPU_BYTES);
}
static fa_aword *pcp_held(const struct pcp *p) { return (fa_aword *)((char *)p + p->held_off); }
static struct fa_flat *pcp_inner(const struct pcp *p) { return (struct fa_flat *)((char *)p + p->inner_off); }

static size_t pcp_state_size(uint64_t nframes, unsigned ncpus)
{
    size_t inner = fa_flat_state_size(nframes);
    if (inner == 0 || ncpus == 0 || ncpus > FA_MT_MAX_CPUS)
        return 0;
    return fa_round_state(sizeof(struct pcp)) + FA_STATE_ALIGN + ncpus * CPU_BYTES +
           fa_round_state(fa_div_round_up(nframes, 64) * 8) + inner;
}

static fa_err pcp_init(void *state, size_t bytes, uint64_t base, uint64_t nframes, unsigned ncpus)
{
    if (ncpus == 0 || ncpus > FA_MT_MAX_CPUS)
        return FA_EINVAL;
    fa_err e = fa_check_init(state, bytes, pcp_state_size(nframes, ncpus), base, nframes);
    if (e != FA_OK)
        return e;
    struct pcp *p = state;
    p->pfn0 = base >> FA_FRAME_SHIFT;
    p->nframes = nframes;
    p->nwords = fa_div_round_up(nframes, 64);
    p->ncpus = ncpus;
    p->reserved = 0;
    p->lock_off = fa_round_state(sizeof(struct pcp));
    p->cpus_off = p->lock_off + FA_STATE_ALIGN;
    p->held_off = p->cpus_off + ncpus * CPU_BYTES;
    p->inner_off = p->held_off + fa_round_state(p->nwords * 8);
    fa_lock_init(pcp_lock(p));
    for (unsigned c = 0; c < ncpus; c++) {
        pcp_cpu_of(p, c)->count = 0;
        pcp_cpu_of(p, c)->hint = c * p->nwords / ncpus;
        atomic_init(&pcp_cpu_of(p, c)->net, 0);
    }
    for (uint64_t w = 0; w < p->nwords; w++)
        atomic_init(&pcp_held(p)[w], 0);
    return fa_nextfit_ops.init(pcp_inner(p), bytes - p->inner_off, base, nframes);
}

static uint64_t pcp_addr(const struct pcp *p, uint64_t i) { return (p->pfn0 + i) << FA_FRAME_SHIFT; }

/* The owner is the only writer of its net count: a relaxed load and store,
 * no locked instruction; free_frames reads it from anywhere. */
static void pcp_count(struct pcp_cpu *c, int64_t d)
{
    atomic_store_explicit(&c->net, atomic_load_explicit(&c->net, memory_order_relaxed) + d, memory_order_relaxed);
}

static void pcp_hold(struct pcp *p, uint64_t i)
{
    atomic_fetch_or_explicit(&pcp_held(p)[i / 64], UINT64_C(1) << (i % 64), memory_order_relaxed);
}

/* With the lock held: gives `n` frames from the top of c's stack back. */
static void pcp_give_back(struct pcp *p, struct pcp_cpu *c, uint64_t n)
{
    for (; n > 0; n--)
        fa_nextfit_ops.free(pcp_inner(p), pcp_addr(p, c->frames[--c->count]));
}

static fa_err pcp_alloc(void *state, unsigned cpu, uint64_t *pa)
{
    struct pcp *p = state;
    struct pcp_cpu *c = pcp_cpu_of(p, cpu);
    if (c->count == 0) {
        uint64_t got;
        /* Each CPU refills from where its own last refill ended, CPUs apart
         * from the start: from one shared hint two CPUs' batches lay 64
         * frames apart, their `held` bits on one cache line, and every
         * alloc and free of one moved that line from the other CPU. */
        fa_lock(pcp_lock(p));
        struct fa_flat *in = pcp_inner(p);
        uint64_t runs_hint = in->hint; /* the inner map's own, for runs: kept */
        in->hint = c->hint;
        for (got = 0; got < FA_PCP_BATCH && fa_nextfit_ops.alloc(in, pa) == FA_OK; got++)
            c->frames[got] = (*pa >> FA_FRAME_SHIFT) - p->pfn0;
        if (got) /* a refused alloc changes nothing */
            c->hint = in->hint;
        in->hint = runs_hint;
        fa_unlock(pcp_lock(p));
        if (got == 0)
            return FA_ENOMEM;
        /* Reversed, so the lowest frame of the batch comes out first. */
        for (uint64_t a = 0, b = got - 1; a < b; a++, b--) {
            uint64_t t = c->frames[a];
            c->frames[a] = c->frames[b];
            c->frames[b] = t;
        }
        c->count = got;
    }
    uint64_t i = c->frames[--c->count];
    pcp_hold(p, i);
    pcp_count(c, 1);
    *pa = pcp_addr(p, i);
    return FA_OK;
}

static fa_err pcp_free(void *state, unsigned cpu, uint64_t pa)
{
    struct pcp *p = state;
    uint64_t i;
    fa_err e = fa_locate(p->pfn0, p->nframes, pa, 1, &i);
    if (e != FA_OK)
        return e;
    uint64_t bit = UINT64_C(1) << (i % 64);
    if (!(atomic_fetch_and_explicit(&pcp_held(p)[i / 64], ~bit, memory_order_relaxed) & bit))
        return FA_EFREE;
    struct pcp_cpu *c = pcp_cpu_of(p, cpu);
    c->frames[c->count++] = i;
    pcp_count(c, -1);
    if (c->count > FA_PCP_HIGH) {
        fa_lock(pcp_lock(p));
        pcp_give_back(p, c, FA_PCP_BATCH);
        fa_unlock(pcp_lock(p));
    }
    return FA_OK;
}

static fa_err pcp_alloc_run(void *state, unsigned cpu, uint64_t count, unsigned align_order, uint64_t *pa)
{
    struct pcp *p = state;
    if (count == 1 && align_order == 0)
        return pcp_alloc(state, cpu, pa);
    struct pcp_cpu *c = pcp_cpu_of(p, cpu);
    fa_lock(pcp_lock(p));
    fa_err e = fa_nextfit_ops.alloc_run(pcp_inner(p), count, align_order, pa);
    if (e == FA_ENOMEM && c->count > 0) {
        /* Its own cache back, then again; if that fails too, the cache is
         * taken back as it was (its array still holds the frames), so a
         * refused call changes nothing. */
        uint64_t had = c->count;
        pcp_give_back(p, c, had);
        e = fa_nextfit_ops.alloc_run(pcp_inner(p), count, align_order, pa);
        if (e != FA_OK) {
            for (; c->count < had; c->count++)
                fa_nextfit_ops.reserve(pcp_inner(p), pcp_addr(p, c->frames[c->count]), 1);
        }
    }
    fa_unlock(pcp_lock(p));
    if (e != FA_OK)
        return e;
    fa_abm_set(pcp_held(p), (*pa >> FA_FRAME_SHIFT) - p->pfn0, count);
    pcp_count(c, (int64_t)count);
    return FA_OK;
}

static fa_err pcp_free_run(void *state, unsigned cpu, uint64_t pa, uint64_t count)
{
    struct pcp *p = state;
    uint64_t i;
    fa_err e = fa_locate(p->pfn0, p->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    if (!fa_abm_flip_run(pcp_held(p), i, count, 0))
        return FA_EFREE;
    fa_lock(pcp_lock(p));
    e = fa_nextfit_ops.free_run(pcp_inner(p), pa, count);
    fa_unlock(pcp_lock(p));
    pcp_count(pcp_cpu_of(p, cpu), -(int64_t)count);
    return e;
}

/* Quiescent: frames cached anywhere are free, so every cache goes back to
 * the inner map before it reserves. */
static fa_err pcp_reserve(void *state, uint64_t pa, uint64_t count)
{
    struct pcp *p = state;
    uint64_t i;
    fa_err e = fa_locate(p->pfn0, p->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    if (fa_abm_any(pcp_held(p), i, count))
        return FA_EBUSY;
    for (unsigned c = 0; c < p->ncpus; c++)
        pcp_give_back(p, pcp_cpu_of(p, c), pcp_cpu_of(p, c)->count);
    e = fa_nextfit_ops.reserve(pcp_inner(p), pa, count);
    if (e != FA_OK)
        return e;
    for (uint64_t k = i; k < i + count; k++)
        pcp_hold(p, k);
    p->reserved += count;
    return FA_OK;
}

static uint64_t pcp_free_frames(const void *state)
{
    const struct pcp *p = state;
    int64_t out = (int64_t)p->reserved;
    for (unsigned c = 0; c < p->ncpus; c++)
        out += atomic_load_explicit(&pcp_cpu_of(p, c)->net, memory_order_relaxed);
    return p->nframes - (uint64_t)out;
}

static fa_err pcp_check(const void *state)
{
    const struct pcp *p = state;
    const struct fa_flat *in = pcp_inner(p);
    if (!fa_lock_idle(pcp_lock(p)) || fa_nextfit_ops.check(in) != FA_OK || in->nframes != p->nframes)
        return FA_EINVAL;
    const uint64_t *used = fa_flat_words(in);
    uint64_t cached = 0, used_not_held = 0;
    for (unsigned c = 0; c < p->ncpus; c++) {
        const struct pcp_cpu *pc = pcp_cpu_of(p, c);
        if (pc->count > FA_PCP_HIGH)
            return FA_EINVAL;
        for (uint64_t k = 0; k < pc->count; k++) {
            uint64_t i = pc->frames[k];
            if (i >= p->nframes || !fa_bm_test(used, i) || fa_abm_test(pcp_held(p), i))
                return FA_EINVAL;
        }
        cached += pc->count;
    }
    for (uint64_t w = 0; w < p->nwords; w++) {
        uint64_t h = fa_abm_load(pcp_held(p), w);
        uint64_t u = used[w];
        if (w == p->nwords - 1 && p->nframes % 64)
            u &= fa_word_mask(0, (unsigned)(p->nframes % 64));
        if (h & ~u)
            return FA_EINVAL;
        used_not_held += fa_popcount(u & ~h);
    }
    if (cached != used_not_held || pcp_free_frames(p) != in->nfree + cached)
        return FA_EINVAL;
    return FA_OK;
}

FA_MT_DEFINE(pcp, "pcp",
             "thread-safe: per-CPU LIFO caches (batch 64, high 256) before locked nextfit; remote frees go to "
             "the freeing CPU's cache; ENOMEM while frames sit in other CPUs' caches; +1 bit/frame, 2 KiB/CPU");
