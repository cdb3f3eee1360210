/*
 * frame_alloc_mt.h: the contract of a thread-safe frame allocator, one that
 * many CPUs call at once on one state.
 *
 * It is frame_alloc.h's contract with the calling CPU added to every call
 * that may run concurrently, so that a strategy can keep per-CPU state (a
 * cache of frames, a reserved chunk of the map) and touch shared cache lines
 * rarely.  What frame_alloc.h says of addresses, runs, errors and their
 * order, caller-owned memory and relocatable state holds here unchanged.
 *
 * Concurrency rules:
 *  - `ncpus` is fixed at init (1 to FA_MT_MAX_CPUS).  Every concurrent call
 *    names a `cpu` below it, and no two calls name the same cpu at once (a
 *    kernel passes its CPU id with preemption off; a test pins one thread to
 *    each).  Any cpu may free any frame: a frame freed by another CPU than the
 *    one that allocated it is a remote free, and is legal.
 *  - alloc, free, alloc_run and free_run may run concurrently with each
 *    other on different cpus.  init, reserve and check need the state
 *    quiescent (no call in flight); a kernel reserves at boot, before SMP.
 *  - Under concurrency FA_ENOMEM means no free frame (or run) was found in
 *    one pass while others kept allocating and freeing; quiescent, it means
 *    what frame_alloc.h says, unless the summary says exactly what more the
 *    strategy refuses (pcp: frames in other CPUs' caches).
 *  - A refused call (double free, bad address, partly free run) leaves the
 *    state as it was, as in frame_alloc.h.
 *  - free_frames is exact when quiescent; while calls run it is some value
 *    the count passed through.  It costs O(ncpus).
 *
 * Freestanding: a strategy uses C11 <stdatomic.h> (a freestanding header)
 * on lock-free types only, so no libatomic is needed.
 */
#ifndef FRAME_ALLOC_MT_H
#define FRAME_ALLOC_MT_H

#include "frame_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most CPUs a state may be built for. */
#define FA_MT_MAX_CPUS 256u

/* A thread-safe strategy.  Members as in struct fa_ops, with `ncpus` at
 * init and the calling `cpu` on the calls that may run concurrently. */
struct fa_mt_ops {
    const char *name;
    const char *summary;
    /* 0: nframes or ncpus not supported. */
    size_t (*state_size)(uint64_t nframes, unsigned ncpus);
    fa_err (*init)(void *state, size_t bytes, uint64_t base, uint64_t nframes, unsigned ncpus);
    fa_err (*alloc)(void *state, unsigned cpu, uint64_t *pa);
    fa_err (*free)(void *state, unsigned cpu, uint64_t pa);
    fa_err (*alloc_run)(void *state, unsigned cpu, uint64_t count, unsigned align_order, uint64_t *pa);
    fa_err (*free_run)(void *state, unsigned cpu, uint64_t pa, uint64_t count);
    /* Quiescent only. */
    fa_err (*reserve)(void *state, uint64_t pa, uint64_t count);
    uint64_t (*free_frames)(const void *state);
    /* Quiescent only. */
    fa_err (*check)(const void *state);
};

/* Every thread-safe strategy built into this library; NULL-terminated. */
extern const struct fa_mt_ops *const fa_mt_strategies[];
const struct fa_mt_ops *fa_mt_find(const char *name);

/* Defines a strategy's two tables from its static functions id##_state_size,
 * id##_init, id##_alloc, id##_free, id##_alloc_run, id##_free_run,
 * id##_reserve, id##_free_frames and id##_check:
 *   fa_<id>_mt_ops      the thread-safe strategy;
 *   fa_<id>_single_ops  the same strategy called from one CPU only (ncpus 1,
 *                       cpu 0) as a struct fa_ops.  fa_strategies lists it,
 *                       so every single-threaded test and pattern holds the
 *                       strategy to frame_alloc.h as well.
 * FA_MT_DEFINE_NO_RUNS: the same for a strategy without alloc_run and
 * free_run (both NULL in both tables). */
#define FA_MT_DEFINE(id, NAME, SUMMARY)                                                                         \
    static fa_err id##_single_alloc_run(void *s, uint64_t c, unsigned o, uint64_t *pa)                          \
    {                                                                                                           \
        return id##_alloc_run(s, 0, c, o, pa);                                                                  \
    }                                                                                                           \
    static fa_err id##_single_free_run(void *s, uint64_t pa, uint64_t c) { return id##_free_run(s, 0, pa, c); } \
    FA_MT_TABLES_(id, NAME, SUMMARY, id##_alloc_run, id##_free_run, id##_single_alloc_run, id##_single_free_run)
#define FA_MT_DEFINE_NO_RUNS(id, NAME, SUMMARY) FA_MT_TABLES_(id, NAME, SUMMARY, 0, 0, 0, 0)

#define FA_MT_TABLES_(id, NAME, SUMMARY, MT_ALLOC_RUN, MT_FREE_RUN, ST_ALLOC_RUN, ST_FREE_RUN) \
    const struct fa_mt_ops fa_##id##_mt_ops = {                                                \
        .name = NAME,                                                                          \
        .summary = SUMMARY,                                                                    \
        .state_size = id##_state_size,                                                         \
        .init = id##_init,                                                                     \
        .alloc = id##_alloc,                                                                   \
        .free = id##_free,                                                                     \
        .alloc_run = MT_ALLOC_RUN,                                                             \
        .free_run = MT_FREE_RUN,                                                               \
        .reserve = id##_reserve,                                                               \
        .free_frames = id##_free_frames,                                                       \
        .check = id##_check,                                                                   \
    };                                                                                         \
    static size_t id##_single_size(uint64_t n) { return id##_state_size(n, 1); }               \
    static fa_err id##_single_init(void *s, size_t b, uint64_t base, uint64_t n)               \
    {                                                                                          \
        return id##_init(s, b, base, n, 1);                                                    \
    }                                                                                          \
    static fa_err id##_single_alloc(void *s, uint64_t *pa) { return id##_alloc(s, 0, pa); }    \
    static fa_err id##_single_free(void *s, uint64_t pa) { return id##_free(s, 0, pa); }       \
    const struct fa_ops fa_##id##_single_ops = {                                               \
        .name = NAME,                                                                          \
        .summary = SUMMARY,                                                                    \
        .state_size = id##_single_size,                                                        \
        .init = id##_single_init,                                                              \
        .alloc = id##_single_alloc,                                                            \
        .free = id##_single_free,                                                              \
        .alloc_run = ST_ALLOC_RUN,                                                             \
        .free_run = ST_FREE_RUN,                                                               \
        .reserve = id##_reserve,                                                               \
        .free_frames = id##_free_frames,                                                       \
        .check = id##_check,                                                                   \
    }

/* The thread-safe contract's version, as FA_CONTRACT_VERSION for fa_ops. */
#define FA_MT_CONTRACT_VERSION 1u

/* A plug-in's thread-safe strategies (framebench --load): beside its
 * FA_PLUGIN list, which names each one's single-CPU view, so that its
 * single-threaded cells and the figures know it by the same name:
 *
 *     FA_MT_DEFINE(mine, "mine", "...");   (or FA_MT_DEFINE_NO_RUNS)
 *     FA_PLUGIN(&fa_mine_single_ops);
 *     FA_MT_PLUGIN(&fa_mine_mt_ops);
 *
 * framebench runs the threaded cells for each. */
#define FA_MT_PLUGIN(...)                                           \
    extern const unsigned fa_plugin_mt_contract;                    \
    extern const struct fa_mt_ops *const fa_plugin_mt_strategies[]; \
    const unsigned fa_plugin_mt_contract = FA_MT_CONTRACT_VERSION;  \
    const struct fa_mt_ops *const fa_plugin_mt_strategies[] = {__VA_ARGS__, 0}

#ifdef __cplusplus
}
#endif

#endif /* FRAME_ALLOC_MT_H */
