/*
 * adapter.c: LLFree (luhsra/llfree-c; Wrenger et al., "LLFree: Scalable and
 * Optionally-Persistent Page-Frame Allocation", USENIX ATC'23) as a
 * framebench plug-in, so that the published state of the art runs in the
 * same cells as framebench's own strategies.  Built against a checkout of
 * llfree-c, never a copy of it (peers/CMakeLists.txt).
 *
 * LLFree numbers its frames from 0 and aligns a run of 2^k frames to 2^k in
 * that numbering; framebench's contract aligns runs in physical frame
 * numbers.  So LLFree's frame 0 is the region's first frame rounded down to
 * LLFree's largest run (2^12 frames, 16 MiB), and the frames before the
 * region, and after it up to LLFree's smallest size (512 frames), are
 * allocated once at init and never handed out.
 *
 * What LLFree does not offer, and the adapter therefore declares
 * (FA_PLUGIN_TRAITS) rather than fakes:
 *  - its state holds pointers to its metadata (FA_TRAIT_FIXED_STATE);
 *  - a run of count frames is a block of 2^ceil(log2 count) frames,
 *    naturally aligned, with the tail given back (FA_TRAIT_BUDDY_RUNS); for
 *    a run over 2^12 frames, or aligned to more, it is FA_ENOMEM.
 *
 * The per-CPU reservations are LLFree's simple two-class setup: one class
 * for 4 KiB frames and small runs, one for 2 MiB runs and up, one slot of
 * each per CPU (llfree_classing_simple).
 */
#include <stdbool.h>

#include "frame_alloc_mt.h"
#include "llfree.h"

#define LLF_MAX_ORDER 12u                       /* LLFREE_MAX_ORDER: the largest run is 2^12 frames */
#define LLF_MIN_FRAMES 512u                     /* llfree_init refuses fewer frames */
#define LLF_PAD_MAX ((1u << LLF_MAX_ORDER) - 1) /* frames before the region at most */

struct llf {
    uint64_t zero;  /* physical frame number of LLFree's frame 0 */
    uint64_t first; /* the region's first frame, in LLFree's numbering */
    uint64_t nframes;
    uint64_t frames; /* LLFree's frames: the pads and the region */
    unsigned ncpus;
    size_t at_ll, at_local, at_trees, at_lower; /* offsets from the state's start */
};

static size_t up64(size_t x) { return (x + 63) / 64 * 64; }

static llfree_t *ll(void *state) { return (llfree_t *)((char *)state + ((struct llf *)state)->at_ll); }
static const llfree_t *cll(const void *state)
{
    return (const llfree_t *)((const char *)state + ((const struct llf *)state)->at_ll);
}

/* LLFree's frames for a region of n frames whose first frame lies `pad`
 * frames past a 2^12 boundary. */
static uint64_t ll_frames(uint64_t n, uint64_t pad)
{
    uint64_t f = pad + n;
    return f < LLF_MIN_FRAMES ? LLF_MIN_FRAMES : f;
}

/* The state's layout for `frames` LLFree frames; its size in bytes. */
static size_t layout(uint64_t frames, unsigned ncpus, struct llf *p)
{
    llfree_classing_t c = llfree_classing_simple(ncpus);
    llfree_meta_size_t m = llfree_metadata_size(&c, (size_t)frames);
    p->at_ll = up64(sizeof *p);
    p->at_local = p->at_ll + up64(m.llfree);
    p->at_trees = p->at_local + up64(m.local);
    p->at_lower = p->at_trees + up64(m.trees);
    return p->at_lower + up64(m.lower);
}

static size_t llf_state_size(uint64_t nframes, unsigned ncpus)
{
    if (nframes == 0 || nframes > FA_MAX_FRAMES || ncpus == 0 || ncpus > FA_MT_MAX_CPUS)
        return 0;
    struct llf p;
    return layout(ll_frames(nframes, LLF_PAD_MAX), ncpus, &p); /* the most any base needs */
}

static llfree_request_t req(const struct llf *p, unsigned order, unsigned cpu)
{
    return llfree_simple_request(p->ncpus, (uint8_t)order, cpu);
}

/* Gives the frames [f, f + n) (LLFree numbering, all allocated) back in
 * naturally aligned blocks, each as large as it can be. */
static bool put_blocks(struct llf *p, unsigned cpu, uint64_t f, uint64_t n)
{
    bool ok = true;
    while (n) {
        unsigned o = f ? (unsigned)__builtin_ctzll(f) : LLF_MAX_ORDER;
        while (o > LLF_MAX_ORDER || (UINT64_C(1) << o) > n)
            o--;
        ok &= llfree_is_ok(llfree_put(ll(p), frame_id(f), req(p, o, cpu)));
        f += UINT64_C(1) << o;
        n -= UINT64_C(1) << o;
    }
    return ok;
}

/* Takes the free frames [f, f + n) in naturally aligned blocks; on a busy
 * one gives back what it took.  Quiescent only (init, reserve).  Blocks of
 * 2 MiB at most: LLFree's get of a larger block that finds its second or a
 * later 2 MiB part busy undoes the wrong parts (lower.c, try_update_huge_n:
 * "Undo failed!") and leaves a part marked allocated. */
static fa_err take_blocks(struct llf *p, uint64_t f, uint64_t n)
{
    uint64_t done = 0;
    while (done < n) {
        uint64_t at = f + done;
        unsigned o = at ? (unsigned)__builtin_ctzll(at) : LLFREE_HUGE_ORDER;
        while (o > LLFREE_HUGE_ORDER || (UINT64_C(1) << o) > n - done)
            o--;
        llfree_request_t r = llreq((uint8_t)o, o >= LLFREE_HUGE_ORDER ? 1 : 0, ll_none());
        if (!llfree_is_ok(llfree_get(ll(p), frame_id_some(frame_id(at)), r))) {
            put_blocks(p, 0, f, done);
            return FA_EBUSY;
        }
        done += UINT64_C(1) << o;
    }
    return FA_OK;
}

static fa_err llf_init(void *state, size_t bytes, uint64_t base, uint64_t nframes, unsigned ncpus)
{
    size_t need = llf_state_size(nframes, ncpus);
    if (need == 0)
        return FA_EINVAL;
    if (bytes < need || (uintptr_t)state % FA_STATE_ALIGN)
        return FA_ENOSPACE;
    uint64_t pfn = base >> FA_FRAME_SHIFT;
    if (base % FA_FRAME_SIZE || nframes > (UINT64_C(1) << (64 - FA_FRAME_SHIFT)) - pfn)
        return FA_EINVAL;
    struct llf *p = state;
    p->zero = pfn & ~(uint64_t)LLF_PAD_MAX;
    p->first = pfn - p->zero;
    p->nframes = nframes;
    p->frames = ll_frames(nframes, p->first);
    p->ncpus = ncpus;
    layout(p->frames, ncpus, p);
    char *s = state;
    llfree_meta_t meta = {
        .local = (uint8_t *)s + p->at_local, .trees = (uint8_t *)s + p->at_trees, .lower = (uint8_t *)s + p->at_lower};
    llfree_classing_t c = llfree_classing_simple(ncpus);
    if (!llfree_is_ok(llfree_init(ll(p), (size_t)p->frames, LLFREE_INIT_FREE, meta, &c)))
        return FA_EINVAL;
    uint64_t end = p->first + nframes;
    if (take_blocks(p, 0, p->first) != FA_OK || take_blocks(p, end, p->frames - end) != FA_OK)
        return FA_EINVAL;
    return FA_OK;
}

/* A get's result: its frame, or FA_ENOMEM (the adapter has checked the
 * arguments; LLFree refuses a block larger than all its frames too). */
static fa_err from_ll(const struct llf *p, llfree_result_t r, uint64_t *pa)
{
    if (!llfree_is_ok(r))
        return FA_ENOMEM;
    *pa = (p->zero + r.frame.value) << FA_FRAME_SHIFT;
    return FA_OK;
}

static fa_err llf_alloc(void *state, unsigned cpu, uint64_t *pa)
{
    struct llf *p = state;
    return from_ll(p, llfree_get(ll(p), frame_id_none(), req(p, 0, cpu)), pa);
}

/* The region's frames [pa, pa + count) in LLFree's numbering, or the error
 * frame_alloc.h names, in its order. */
static fa_err frames_of(const struct llf *p, uint64_t pa, uint64_t count, uint64_t *f)
{
    if (count == 0)
        return FA_EINVAL;
    if (pa % FA_FRAME_SIZE)
        return FA_EALIGN;
    uint64_t pfn = pa >> FA_FRAME_SHIFT;
    if (pfn < p->zero + p->first || pfn - p->zero - p->first >= p->nframes ||
        count > p->nframes - (pfn - p->zero - p->first))
        return FA_ERANGE;
    *f = pfn - p->zero;
    return FA_OK;
}

static fa_err llf_free(void *state, unsigned cpu, uint64_t pa)
{
    struct llf *p = state;
    uint64_t f;
    fa_err e = frames_of(p, pa, 1, &f);
    if (e != FA_OK)
        return e;
    /* LLFree refuses a frame that is free, and changes nothing then. */
    return llfree_is_ok(llfree_put(ll(p), frame_id(f), req(p, 0, cpu))) ? FA_OK : FA_EFREE;
}

static unsigned ceil_log2(uint64_t x) { return x <= 1 ? 0 : 64u - (unsigned)__builtin_clzll(x - 1); }

static fa_err llf_alloc_run(void *state, unsigned cpu, uint64_t count, unsigned align_order, uint64_t *pa)
{
    struct llf *p = state;
    if (count == 0 || align_order > FA_MAX_ALIGN_ORDER)
        return FA_EINVAL;
    if (count > (UINT64_C(1) << LLF_MAX_ORDER) || align_order > LLF_MAX_ORDER)
        return FA_ENOMEM; /* no run LLFree can hand out */
    unsigned order = ceil_log2(count);
    if (order < align_order)
        order = align_order;
    fa_err e = from_ll(p, llfree_get(ll(p), frame_id_none(), req(p, order, cpu)), pa);
    if (e == FA_OK && count < (UINT64_C(1) << order))
        put_blocks(p, cpu, (*pa >> FA_FRAME_SHIFT) - p->zero + count, (UINT64_C(1) << order) - count);
    return e;
}

/* 1 when every frame of [f, f + n) is allocated. */
static int all_allocated(const struct llf *p, uint64_t f, uint64_t n)
{
    for (uint64_t i = f; i < f + n; i++)
        if (llfree_stats_at(cll(p), frame_id(i), 0).free_frames)
            return 0;
    return 1;
}

static fa_err llf_free_run(void *state, unsigned cpu, uint64_t pa, uint64_t count)
{
    struct llf *p = state;
    uint64_t f;
    fa_err e = frames_of(p, pa, count, &f);
    if (e != FA_OK)
        return e;
    /* The run as alloc_run handed it out: one put, which LLFree refuses
     * whole when a frame of it is free. */
    unsigned order = ceil_log2(count);
    if (count == UINT64_C(1) << order && order <= LLF_MAX_ORDER && f % count == 0 &&
        llfree_is_ok(llfree_put(ll(p), frame_id(f), req(p, order, cpu))))
        return FA_OK;
    /* Any other run (parts of runs, many runs at once): checked frame by
     * frame first, so that a refusal changes nothing, then given back one
     * frame at a time (a 2 MiB block freed in part is split by LLFree). */
    if (!all_allocated(p, f, count))
        return FA_EFREE;
    for (uint64_t i = f; i < f + count; i++)
        llfree_put(ll(p), frame_id(i), req(p, 0, cpu));
    return FA_OK;
}

/* 1 when every frame of [f, f + n) is free: whole 2 MiB parts by their
 * counter, the rest frame by frame. */
static int all_free(const struct llf *p, uint64_t f, uint64_t n)
{
    for (uint64_t i = f; i < f + n;) {
        if (i % LLFREE_CHILD_SIZE == 0 && f + n - i >= LLFREE_CHILD_SIZE) {
            if (!llfree_stats_at(cll(p), frame_id(i), LLFREE_HUGE_ORDER).free_huge)
                return 0;
            i += LLFREE_CHILD_SIZE;
        } else if (!llfree_stats_at(cll(p), frame_id(i++), 0).free_frames) {
            return 0;
        }
    }
    return 1;
}

static fa_err llf_reserve(void *state, uint64_t pa, uint64_t count)
{
    struct llf *p = state;
    uint64_t f;
    fa_err e = frames_of(p, pa, count, &f);
    if (e != FA_OK)
        return e;
    /* Checked first: taking and giving back would leave LLFree's trees in
     * another class than they were, and a refusal changes nothing. */
    return all_free(p, f, count) ? take_blocks(p, f, count) : FA_EBUSY;
}

static uint64_t llf_free_frames(const void *state)
{
    /* The trees' counters and the CPUs' reservations: exact when quiescent. */
    return llfree_tree_stats(cll(state)).free_frames;
}

/* The counters against the bitfields they summarise. */
static fa_err llf_check(const void *state)
{
    return llfree_tree_stats(cll(state)).free_frames == llfree_stats(cll(state)).free_frames ? FA_OK : FA_EINVAL;
}

FA_MT_DEFINE(llf, "llfree",
             "LLFree (USENIX ATC'23), the peer: lock-free per-CPU tree reservation, 2 MiB children with free "
             "counters and bitfields; runs are power-of-two blocks up to 2^12 frames; its state is not relocatable");
FA_PLUGIN(&fa_llf_single_ops);
FA_MT_PLUGIN(&fa_llf_mt_ops);
FA_PLUGIN_TRAITS({"llfree", FA_TRAIT_FIXED_STATE | FA_TRAIT_BUDDY_RUNS, LLF_MAX_ORDER});
