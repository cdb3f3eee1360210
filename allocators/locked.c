/*
 * locked: a single-threaded strategy behind one ticket spinlock
 * (fa_lock.h), the thread-safe allocator every kernel starts with.
 *
 * Layout: the lock on a cache line of its own, then the inner strategy's
 * state, so the inner header does not share the lock's line.  Every call
 * takes the lock, so one CPU at a time works on the map; `cpu` is not used.
 * Cost: the inner strategy's, plus one atomic add and one store on the lock
 * line per call; at two CPUs and more that line moves between them on every
 * call and the lock serialises them: aggregate throughput falls as CPUs are
 * added.  Memory: the inner strategy's + 64 bytes.
 *
 * FA_LOCKED(id) instantiates it over `fa_<id>_ops` as fa_locked_<id>_mt_ops
 * and fa_locked_<id>_single_ops (frame_alloc_mt.h: FA_MT_DEFINE).
 */
#include "fa_bitmap.h"
#include "fa_lock.h"
#include "frame_alloc_mt.h"
#include "strategies.h"

#define LOCK_BYTES FA_STATE_ALIGN

static struct fa_ticket_lock *lock_of(const void *state) { return (struct fa_ticket_lock *)state; }
static void *inner_of(const void *state) { return (char *)state + LOCK_BYTES; }

static size_t locked_size(const struct fa_ops *in, uint64_t nframes, unsigned ncpus)
{
    size_t inner = in->state_size(nframes);
    return inner == 0 || ncpus == 0 || ncpus > FA_MT_MAX_CPUS ? 0 : inner + LOCK_BYTES;
}

static fa_err locked_init_with(const struct fa_ops *in, void *state, size_t bytes, uint64_t base, uint64_t nframes,
                               unsigned ncpus)
{
    if (ncpus == 0 || ncpus > FA_MT_MAX_CPUS)
        return FA_EINVAL;
    size_t need = locked_size(in, nframes, ncpus);
    if (need == 0)
        return FA_EINVAL;
    if (bytes < need || (uintptr_t)state % FA_STATE_ALIGN != 0)
        return FA_ENOSPACE;
    fa_err e = in->init(inner_of(state), bytes - LOCK_BYTES, base, nframes);
    if (e == FA_OK)
        fa_lock_init(lock_of(state));
    return e;
}

/* One call of the inner strategy with the lock held. */
#define LOCKED_CALL(state, call)   \
    do {                           \
        fa_lock(lock_of(state));   \
        fa_err e_ = (call);        \
        fa_unlock(lock_of(state)); \
        return e_;                 \
    } while (0)

static uint64_t locked_free_frames_with(const struct fa_ops *in, const void *state)
{
    fa_lock(lock_of(state));
    uint64_t n = in->free_frames(inner_of(state));
    fa_unlock(lock_of(state));
    return n;
}

static fa_err locked_check_with(const struct fa_ops *in, const void *state)
{
    return fa_lock_idle(lock_of(state)) ? in->check(inner_of(state)) : FA_EINVAL;
}

#define FA_LOCKED(id, NAME, SUMMARY)                                                                                \
    static size_t locked_##id##_state_size(uint64_t n, unsigned c) { return locked_size(&fa_##id##_ops, n, c); }    \
    static fa_err locked_##id##_init(void *s, size_t b, uint64_t base, uint64_t n, unsigned c)                      \
    {                                                                                                               \
        return locked_init_with(&fa_##id##_ops, s, b, base, n, c);                                                  \
    }                                                                                                               \
    static fa_err locked_##id##_alloc(void *s, unsigned cpu, uint64_t *pa)                                          \
    {                                                                                                               \
        (void)cpu;                                                                                                  \
        LOCKED_CALL(s, fa_##id##_ops.alloc(inner_of(s), pa));                                                       \
    }                                                                                                               \
    static fa_err locked_##id##_free(void *s, unsigned cpu, uint64_t pa)                                            \
    {                                                                                                               \
        (void)cpu;                                                                                                  \
        LOCKED_CALL(s, fa_##id##_ops.free(inner_of(s), pa));                                                        \
    }                                                                                                               \
    static fa_err locked_##id##_alloc_run(void *s, unsigned cpu, uint64_t c, unsigned o, uint64_t *pa)              \
    {                                                                                                               \
        (void)cpu;                                                                                                  \
        LOCKED_CALL(s, fa_##id##_ops.alloc_run(inner_of(s), c, o, pa));                                             \
    }                                                                                                               \
    static fa_err locked_##id##_free_run(void *s, unsigned cpu, uint64_t pa, uint64_t c)                            \
    {                                                                                                               \
        (void)cpu;                                                                                                  \
        LOCKED_CALL(s, fa_##id##_ops.free_run(inner_of(s), pa, c));                                                 \
    }                                                                                                               \
    static fa_err locked_##id##_reserve(void *s, uint64_t pa, uint64_t c)                                           \
    {                                                                                                               \
        return fa_##id##_ops.reserve(inner_of(s), pa, c);                                                           \
    }                                                                                                               \
    static uint64_t locked_##id##_free_frames(const void *s) { return locked_free_frames_with(&fa_##id##_ops, s); } \
    static fa_err locked_##id##_check(const void *s) { return locked_check_with(&fa_##id##_ops, s); }               \
    FA_MT_DEFINE(locked_##id, NAME, SUMMARY)

FA_LOCKED(nextfit, "locked-nextfit",
          "thread-safe: nextfit behind one ticket spinlock; CPUs serialise on the lock line, +64 bytes");
