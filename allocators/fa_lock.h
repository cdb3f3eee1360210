/*
 * fa_lock.h: a ticket spinlock for the thread-safe strategies (C11 atomics,
 * freestanding).  Tickets make it fair: CPUs take the lock in the order they
 * asked for it, so none starves under contention.  Both words share one
 * cache line, which every acquire moves to the acquiring CPU: that transfer
 * is the cost `locked` shows at two threads and more.
 */
#ifndef FA_LOCK_H
#define FA_LOCK_H

#include <stdatomic.h>
#include <stdint.h>

struct fa_ticket_lock {
    _Atomic uint32_t next;  /* the ticket the next CPU to ask draws */
    _Atomic uint32_t owner; /* the ticket that holds the lock */
};

static inline void fa_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static inline void fa_lock_init(struct fa_ticket_lock *l)
{
    atomic_init(&l->next, 0);
    atomic_init(&l->owner, 0);
}

static inline void fa_lock(struct fa_ticket_lock *l)
{
    uint32_t me = atomic_fetch_add_explicit(&l->next, 1, memory_order_relaxed);
    while (atomic_load_explicit(&l->owner, memory_order_acquire) != me)
        fa_cpu_relax();
}

/* With nobody waiting, both words go back to 0: an uncontended lock and
 * unlock leave the lock's bytes as they were, so a refused call leaves the
 * whole state byte for byte unchanged (frame_alloc.h).  A CPU that draws
 * ticket 0 after the reset waits for owner 0, which the store below (or,
 * for ticket 0's holder, the reset itself) gives it. */
static inline void fa_unlock(struct fa_ticket_lock *l)
{
    uint32_t me = atomic_load_explicit(&l->owner, memory_order_relaxed);
    uint32_t after = me + 1;
    if (atomic_compare_exchange_strong_explicit(&l->next, &after, 0, memory_order_release, memory_order_relaxed)) {
        if (me != 0)
            atomic_store_explicit(&l->owner, 0, memory_order_release);
        return;
    }
    atomic_store_explicit(&l->owner, me + 1, memory_order_release);
}

/* Quiescent check: nobody holds or waits for the lock. */
static inline int fa_lock_idle(const struct fa_ticket_lock *l)
{
    return atomic_load_explicit(&l->next, memory_order_relaxed) ==
           atomic_load_explicit(&l->owner, memory_order_relaxed);
}

#endif /* FA_LOCK_H */
