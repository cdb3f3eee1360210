/*
 * concurrent.c: the concurrent suite (suites.h), a thread-safe strategy
 * under threads that allocate frames and runs, free their own and free
 * each other's (remote frees), all at once.
 *
 * An ownership table, one atomic byte per frame updated by exchange, catches
 * a frame handed out twice at the moment the second holder marks it.  After
 * the threads join: free_frames and check agree with the table, and once
 * everything is freed the map is whole again.  Before that, the contract's
 * concurrent parts quiescent: the cpu count is checked at init, a fill from
 * every CPU hands out every frame exactly once, remote frees are legal.  And
 * 2 MiB runs taken by every thread at once (mt_2m's phase, to exhaustion)
 * are aligned, disjoint and every aligned 2 MiB block of the region.
 * test_mt_stress runs it on every built-in thread-safe strategy (under
 * ThreadSanitizer too, ./test.sh); framebench-check on a plug-in's.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "suites.h"

/* One thread per CPU, as a kernel runs (2 to MAX_THREADS): a ticket lock's
 * holder or next in line descheduled stalls every waiter until its CPU
 * comes back (fa_lock.h), so more threads than CPUs makes `locked` crawl. */
#define MAX_THREADS 8
static unsigned THREADS;
#define NFRAMES (UINT64_C(1) << 16)
#define BASE (UINT64_C(1) << 20)
#define HELD_MAX 4096 /* runs a thread holds at once */
#define MAILBOX 64    /* slots through which runs pass to another thread */

/* A run as one word: its address with count - 1 in the low 12 bits. */
static uint64_t pack(uint64_t pa, uint64_t count) { return pa | (count - 1); }
static uint64_t run_pa(uint64_t r) { return r & ~(uint64_t)(FA_FRAME_SIZE - 1); }
static uint64_t run_count(uint64_t r) { return (r & (FA_FRAME_SIZE - 1)) + 1; }

struct worker;
struct shared {
    const struct fa_mt_ops *ops;
    void *state;
    unsigned long ops_per_thread;
    _Atomic unsigned char owner[NFRAMES]; /* 0 free, else thread + 1 */
    _Atomic uint64_t mailbox[MAILBOX];    /* 0 empty, else a packed run */
    _Atomic int failed;
    struct worker *workers; /* huge_runs: each frees the next one's runs */
};

struct worker {
    struct shared *sh;
    unsigned cpu;
    uint64_t seed;
    uint64_t held[HELD_MAX];
    size_t nheld;
};

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}

static void fail(struct shared *sh, const char *what, unsigned cpu, uint64_t pa, int e)
{
    if (atomic_exchange(&sh->failed, 1) == 0)
        fprintf(stderr, "FAIL %s: cpu %u, frame %#llx: %s (%s)\n", sh->ops->name, cpu, (unsigned long long)pa, what,
                e >= 0 ? fa_strerror((fa_err)e) : "");
}

/* Marks a run this thread now holds; a frame someone holds already is the
 * bug this test is for. */
static void mark(struct shared *sh, unsigned cpu, uint64_t pa, uint64_t count)
{
    uint64_t f0 = (pa - BASE) >> FA_FRAME_SHIFT;
    for (uint64_t f = f0; f < f0 + count; f++)
        if (atomic_exchange_explicit(&sh->owner[f], (unsigned char)(cpu + 1), memory_order_relaxed) != 0)
            fail(sh, "frame handed out twice", cpu, BASE + (f << FA_FRAME_SHIFT), -1);
}

/* Unmarks before the free: once freed, another CPU may be handed it. */
static void release(struct worker *w, uint64_t r)
{
    struct shared *sh = w->sh;
    uint64_t f0 = (run_pa(r) - BASE) >> FA_FRAME_SHIFT, n = run_count(r);
    for (uint64_t f = f0; f < f0 + n; f++)
        if (atomic_exchange_explicit(&sh->owner[f], 0, memory_order_relaxed) == 0)
            fail(sh, "freeing a frame nobody holds", w->cpu, BASE + (f << FA_FRAME_SHIFT), -1);
    fa_err e =
        n == 1 ? sh->ops->free(sh->state, w->cpu, run_pa(r)) : sh->ops->free_run(sh->state, w->cpu, run_pa(r), n);
    if (e != FA_OK)
        fail(sh, "free of a held frame refused", w->cpu, run_pa(r), e);
}

static void take(struct worker *w, uint64_t r)
{
    if (w->nheld == HELD_MAX)
        release(w, w->held[--w->nheld]);
    w->held[w->nheld++] = r;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;
    for (unsigned long k = 0; k < sh->ops_per_thread && !atomic_load(&sh->failed); k++) {
        uint64_t r = next_random(&w->seed), pa;
        unsigned what = (unsigned)(r % 16);
        if (what < 6) { /* one frame */
            fa_err e = sh->ops->alloc(sh->state, w->cpu, &pa);
            if (e == FA_OK) {
                mark(sh, w->cpu, pa, 1);
                take(w, pack(pa, 1));
            } else if (e != FA_ENOMEM)
                fail(sh, "alloc", w->cpu, 0, e);
        } else if (what < 8 && sh->ops->alloc_run) { /* a run: 2..16 frames, orders 0..4, now and then 2 MiB */
            uint64_t count = (r >> 8) % 64 == 0 ? 512 : 2 + (r >> 8) % 15;
            unsigned order = count == 512 ? 9 : (unsigned)((r >> 16) % 5);
            fa_err e = sh->ops->alloc_run(sh->state, w->cpu, count, order, &pa);
            if (e == FA_OK) {
                if (((pa >> FA_FRAME_SHIFT) & ((UINT64_C(1) << order) - 1)) != 0)
                    fail(sh, "run not aligned", w->cpu, pa, -1);
                mark(sh, w->cpu, pa, count);
                take(w, pack(pa, count));
            } else if (e != FA_ENOMEM)
                fail(sh, "alloc_run", w->cpu, 0, e);
        } else if (what < 13) { /* free one of ours */
            if (w->nheld) {
                size_t i = (size_t)((r >> 8) % w->nheld);
                uint64_t run = w->held[i];
                w->held[i] = w->held[--w->nheld];
                release(w, run);
            }
        } else if (w->nheld) { /* pass a run on; what comes back another CPU allocated */
            size_t i = (size_t)((r >> 8) % w->nheld);
            uint64_t got = atomic_exchange(&sh->mailbox[(r >> 24) % MAILBOX], w->held[i]);
            w->held[i] = w->held[--w->nheld];
            if (got)
                release(w, got); /* a remote free */
        }
    }
    return NULL;
}

static uint64_t held_frames(struct shared *sh)
{
    uint64_t n = 0;
    for (uint64_t f = 0; f < NFRAMES; f++)
        n += atomic_load(&sh->owner[f]) != 0;
    return n;
}

/* A fresh state of NFRAMES for THREADS cpus in sh, and its workers. */
static void open_state(struct shared *sh, struct worker *w, const struct fa_mt_ops *ops)
{
    memset(sh, 0, sizeof *sh);
    sh->ops = ops;
    sh->workers = w;
    size_t bytes = ops->state_size(NFRAMES, THREADS);
    sh->state = check_state_alloc(bytes);
    EXPECT(ops->init(sh->state, bytes, BASE, NFRAMES, THREADS) == FA_OK, "%s", ops->name);
    for (unsigned c = 0; c < THREADS; c++)
        w[c] = (struct worker){.sh = sh, .cpu = c, .seed = 0x9e3779b97f4a7c15ull * (c + 1)};
}

/* fn on every worker at once, a thread each; back when all are done. */
static void run_all(struct worker *w, void *(*fn)(void *))
{
    pthread_t t[MAX_THREADS];
    for (unsigned c = 0; c < THREADS; c++)
        EXPECT(pthread_create(&t[c], NULL, fn, &w[c]) == 0, "thread %u", c);
    for (unsigned c = 0; c < THREADS; c++)
        pthread_join(t[c], NULL);
}

static void stress(const struct fa_mt_ops *ops, unsigned long n_ops)
{
    static struct shared sh;
    static struct worker w[MAX_THREADS];
    open_state(&sh, w, ops);
    sh.ops_per_thread = n_ops;
    run_all(w, work);
    EXPECT(!atomic_load(&sh.failed), "%s: a thread failed (above)", ops->name);
    EXPECT(ops->check(sh.state) == FA_OK, "%s: check after the threads joined", ops->name);
    uint64_t held = held_frames(&sh);
    EXPECT(ops->free_frames(sh.state) == NFRAMES - held, "%s: free_frames %llu, the table says %llu", ops->name,
           (unsigned long long)ops->free_frames(sh.state), (unsigned long long)(NFRAMES - held));
    EXPECT(held > 0, "%s: the threads ended holding nothing: the test tested little", ops->name);
    for (unsigned c = 0; c < THREADS; c++)
        while (w[c].nheld)
            release(&w[c], w[c].held[--w[c].nheld]);
    for (unsigned m = 0; m < MAILBOX; m++)
        if (atomic_load(&sh.mailbox[m]))
            release(&w[m % THREADS], atomic_exchange(&sh.mailbox[m], 0));
    EXPECT(!atomic_load(&sh.failed) && held_frames(&sh) == 0, "%s: freeing what was held", ops->name);
    EXPECT(ops->check(sh.state) == FA_OK && ops->free_frames(sh.state) == NFRAMES,
           "%s: whole again after every free (free_frames %llu)", ops->name,
           (unsigned long long)ops->free_frames(sh.state));
    check_state_free(sh.state);
}

/* mt_2m's alloc phase to exhaustion: each thread takes aligned 2 MiB runs
 * until refused, marking each in the ownership table. */
static void *take_huge(void *arg)
{
    struct worker *w = arg;
    uint64_t pa;
    fa_err e;
    while (w->nheld < HELD_MAX && (e = w->sh->ops->alloc_run(w->sh->state, w->cpu, 512, 9, &pa)) == FA_OK) {
        if ((pa >> FA_FRAME_SHIFT) % 512 != 0)
            fail(w->sh, "2 MiB run not aligned", w->cpu, pa, -1);
        mark(w->sh, w->cpu, pa, 512);
        w->held[w->nheld++] = pack(pa, 512);
    }
    return NULL;
}

/* Each thread frees the next one's runs: remote frees, all at once. */
static void *free_next(void *arg)
{
    struct worker *w = arg, *next = w + 1 < w->sh->workers + THREADS ? w + 1 : w->sh->workers;
    for (size_t i = 0; i < next->nheld; i++)
        release(w, next->held[i]);
    return NULL;
}

static void huge_runs(const struct fa_mt_ops *ops)
{
    static struct shared sh;
    static struct worker w[MAX_THREADS];
    open_state(&sh, w, ops);
    run_all(w, take_huge);
    size_t runs = 0;
    for (unsigned c = 0; c < THREADS; c++)
        runs += w[c].nheld;
    /* BASE is 256 frames into a 2 MiB block: the region holds NFRAMES / 512 - 1 whole ones. */
    uint64_t pa, blocks = NFRAMES / 512 - 1;
    EXPECT(!atomic_load(&sh.failed) && runs == blocks, "%s: %u threads took %zu 2 MiB runs of %llu", ops->name, THREADS,
           runs, (unsigned long long)blocks);
    EXPECT(ops->alloc_run(sh.state, 0, 512, 9, &pa) == FA_ENOMEM, "%s: a 2 MiB run after all were taken", ops->name);
    EXPECT(ops->check(sh.state) == FA_OK, "%s: check with every 2 MiB block taken", ops->name);
    run_all(w, free_next);
    EXPECT(!atomic_load(&sh.failed) && ops->check(sh.state) == FA_OK && ops->free_frames(sh.state) == NFRAMES,
           "%s: whole again after the 2 MiB runs' remote frees", ops->name);
    check_state_free(sh.state);
}

/* Quiescent: cpu counts, a fill from every CPU in turn, remote frees. */
static void contract(const struct fa_mt_ops *ops)
{
    const uint64_t n = 5000;
    EXPECT(ops->state_size(n, 0) == 0 && ops->state_size(n, FA_MT_MAX_CPUS + 1) == 0,
           "%s: state_size takes only 1..FA_MT_MAX_CPUS cpus", ops->name);
    size_t bytes = ops->state_size(n, THREADS);
    void *s = check_state_alloc(bytes);
    EXPECT(ops->init(s, bytes, BASE, n, 0) == FA_EINVAL, "%s: init with 0 cpus", ops->name);
    EXPECT(ops->init(s, bytes, BASE, n, THREADS) == FA_OK, "%s", ops->name);
    static unsigned char seen[5000];
    memset(seen, 0, sizeof seen);
    uint64_t got = 0, pa;
    for (unsigned refused = 0; refused < THREADS && got <= n;) { /* more than n: frames given twice */
        refused = 0;
        for (unsigned c = 0; c < THREADS; c++) {
            if (ops->alloc(s, c, &pa) != FA_OK) {
                refused++;
                continue;
            }
            uint64_t f = (pa - BASE) >> FA_FRAME_SHIFT;
            EXPECT(pa >= BASE && f < n && !seen[f], "%s: fill gave %#llx", ops->name, (unsigned long long)pa);
            if (f < n)
                seen[f] = 1;
            got++;
        }
    }
    EXPECT(got == n && ops->free_frames(s) == 0, "%s: a fill from %u cpus gave %llu of %llu frames", ops->name, THREADS,
           (unsigned long long)got, (unsigned long long)n);
    EXPECT(ops->check(s) == FA_OK, "%s: check after the fill", ops->name);
    for (uint64_t f = 0; f < n; f++) /* each freed by the next CPU over */
        EXPECT(ops->free(s, (unsigned)(f + 1) % THREADS, BASE + (f << FA_FRAME_SHIFT)) == FA_OK, "%s: remote free",
               ops->name);
    EXPECT(ops->free(s, 1, BASE) == FA_EFREE, "%s: a double free after remote frees", ops->name);
    EXPECT(ops->free_frames(s) == n && ops->check(s) == FA_OK, "%s: whole after remote frees", ops->name);
    check_state_free(s);
}

void concurrent_suite(const struct fa_mt_ops *ops, unsigned long n_ops)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    THREADS = cpus < 2 ? 2 : cpus > MAX_THREADS ? MAX_THREADS : (unsigned)cpus;
    contract(ops);
    if (ops->alloc_run)
        huge_runs(ops);
    stress(ops, n_ops);
}
