/*
 * fa_lock.h: a ticket spinlock for the thread-safe strategies (C11 atomics,
 * freestanding).  Tickets make it fair: CPUs take the lock in the order they
 * asked for it, so none starves under contention.  The lock's word
 * sits on one cache line, which every acquire moves to the acquiring CPU: that transfer
 * is the cost `locked` shows at two threads and more.  Like every spinlock
 * it assumes its holder runs: a kernel holds it with preemption off.  With
 * more threads than CPUs, a descheduled holder or next in line stalls every
 * waiter for a scheduler tick (a convoy); so the benchmarks and tests run
 * one thread per CPU.
 */
#ifndef FA_LOCK_H
#define FA_LOCK_H

#include <stdatomic.h>
#include <stdint.h>

/* One word: the ticket the next CPU to ask draws in the high half, the
 * ticket that holds the lock in the low half.  One word, so that unlock can
 * see and reset both at once (below). */
struct fa_ticket_lock {
    _Atomic uint64_t word;
};

#define FA_TICKET_NEXT (UINT64_C(1) << 32)

static inline void fa_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static inline void fa_lock_init(struct fa_ticket_lock *l) { atomic_init(&l->word, 0); }

static inline void fa_lock(struct fa_ticket_lock *l)
{
    uint32_t me = (uint32_t)(atomic_fetch_add_explicit(&l->word, FA_TICKET_NEXT, memory_order_relaxed) >> 32);
    while ((uint32_t)atomic_load_explicit(&l->word, memory_order_acquire) != me)
        fa_cpu_relax();
}

/* With nobody waiting, the word goes back to 0: an uncontended lock and
 * unlock leave the lock's bytes as they were, so a refused call leaves the
 * whole state byte for byte unchanged (frame_alloc.h).  Else the holder's
 * ticket moves on to the next. */
static inline void fa_unlock(struct fa_ticket_lock *l)
{
    uint64_t old = atomic_load_explicit(&l->word, memory_order_relaxed), new_;
    do {
        uint32_t owner = (uint32_t)old, next = (uint32_t)(old >> 32);
        new_ = next == owner + 1 ? 0 : (old & ~(uint64_t)UINT32_MAX) | (uint32_t)(owner + 1);
    } while (!atomic_compare_exchange_weak_explicit(&l->word, &old, new_, memory_order_release, memory_order_relaxed));
}

/* Quiescent check: nobody holds or waits for the lock. */
static inline int fa_lock_idle(const struct fa_ticket_lock *l)
{
    return atomic_load_explicit((_Atomic uint64_t *)&l->word, memory_order_relaxed) == 0;
}

#endif /* FA_LOCK_H */
