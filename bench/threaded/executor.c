/*
 * executor.c: one repetition of a threaded cell (threaded.h).
 *
 * The state is built (init, off the clock) and the threads meet at a
 * barrier; each thread: setup, then per phase [spin barrier, its clock, the
 * phase, its clock], a spin barrier, teardown; a barrier again, and the
 * region is checked whole (free_frames == nframes, check).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../placement.h"
#include "thread.h"

unsigned fb_threaded_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    return (unsigned)CPU_COUNT(&set);
}

/* The k-th CPU this process may run on. */
static int nth_cpu(unsigned k)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return -1;
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &set) && k-- == 0)
            return c;
    return -1;
}

/* The threads meet here before and after each timed phase, spinning: a
 * futex barrier wakes its sleepers one by one, tens of microseconds apart,
 * which a 1 ms phase would count as poor scaling.  One thread per CPU, so
 * the spinning takes no CPU a thread needs. */
struct spin_barrier {
    _Atomic unsigned count, generation;
    unsigned parties;
};

static void spin_wait(struct spin_barrier *b)
{
    unsigned gen = atomic_load_explicit(&b->generation, memory_order_acquire);
    if (atomic_fetch_add_explicit(&b->count, 1, memory_order_acq_rel) + 1 == b->parties) {
        atomic_store_explicit(&b->count, 0, memory_order_relaxed);
        atomic_store_explicit(&b->generation, gen + 1, memory_order_release);
        return;
    }
    while (atomic_load_explicit(&b->generation, memory_order_acquire) == gen)
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#else
        ;
#endif
}

struct shared {
    const struct fb_tspec *spec;
    void *state;
    size_t bytes;
    int go;               /* 0: the threads leave without running (a thread did not start) */
    pthread_mutex_t gate; /* the threads wait here until all are started */
    pthread_cond_t opened;
    int open;
    pthread_barrier_t bar;    /* the executor and the threads: the repetition's start and end */
    struct spin_barrier spin; /* the threads alone: around the timed phases */
    struct fb_tthread th[FB_T_MAX_THREADS];
    struct timespec t0[2][FB_T_MAX_THREADS], t1[2][FB_T_MAX_THREADS];
    uint64_t ops[2][FB_T_MAX_THREADS];
    double figure; /* the pattern's figure, from the first thread */
};

static double ns_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1e9 + (double)(b->tv_nsec - a->tv_nsec);
}

static void *thread_main(void *arg)
{
    struct fb_tthread *t = arg;
    struct shared *sh = (struct shared *)((char *)(t - t->cpu) - offsetof(struct shared, th));
    const struct fb_tpattern *pt = sh->spec->pt;
    pthread_mutex_lock(&sh->gate);
    while (!sh->open)
        pthread_cond_wait(&sh->opened, &sh->gate);
    pthread_mutex_unlock(&sh->gate);
    if (!sh->go)
        return NULL;
    pthread_barrier_wait(&sh->bar); /* the state is built */
    pt->setup(t);
    for (int ph = 0; ph < pt->nphases; ph++) {
        if (ph == 1 && pt->between) {
            spin_wait(&sh->spin);
            pt->between(t);
        }
        spin_wait(&sh->spin);
        clock_gettime(CLOCK_MONOTONIC, &sh->t0[ph][t->cpu]);
        sh->ops[ph][t->cpu] = pt->phase[ph](t);
        clock_gettime(CLOCK_MONOTONIC, &sh->t1[ph][t->cpu]);
    }
    spin_wait(&sh->spin);
    if (pt->figure) { /* the first thread looks while the others wait */
        if (t->cpu == 0)
            sh->figure = pt->figure(sh->th, sh->spec->threads);
        spin_wait(&sh->spin);
    }
    pt->teardown(t);
    pthread_barrier_wait(&sh->bar); /* the executor checks the state */
    return NULL;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, size_t n)
{
    double s[FB_T_MAX_THREADS];
    memcpy(s, v, n * sizeof *v);
    qsort(s, n, sizeof *s, by_value);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* The repetition's figures, from the threads' clocks. */
static void figures(const struct shared *sh, struct fb_trep *out)
{
    const struct fb_tspec *s = sh->spec;
    for (int ph = 0; ph < s->pt->nphases; ph++) {
        double per[FB_T_MAX_THREADS];
        uint64_t total = 0;
        double first = 0, last = 0;
        for (unsigned k = 0; k < s->threads; k++) {
            double d = ns_between(&sh->t0[ph][0], &sh->t0[ph][k]);
            double e = ns_between(&sh->t0[ph][0], &sh->t1[ph][k]);
            first = k == 0 || d < first ? d : first;
            last = k == 0 || e > last ? e : last;
            uint64_t ops = sh->ops[ph][k];
            per[k] = ops ? ns_between(&sh->t0[ph][k], &sh->t1[ph][k]) / (double)ops : 0;
            total += ops;
        }
        out->ns[ph] = median(per, s->threads);
        if (ph != s->pt->headline)
            continue;
        out->ops_per_s = last > first ? (double)total / ((last - first) * 1e-9) : 0;
        out->thread_ns[0] = out->thread_ns[2] = per[0];
        for (unsigned k = 1; k < s->threads; k++) {
            out->thread_ns[0] = per[k] < out->thread_ns[0] ? per[k] : out->thread_ns[0];
            out->thread_ns[2] = per[k] > out->thread_ns[2] ? per[k] : out->thread_ns[2];
        }
        out->thread_ns[1] = out->ns[ph];
    }
}

/* Starts the threads pinned one to a CPU; the number started.  They wait
 * at the gate until all are started (or leave: go 0). */
static unsigned start_threads(struct shared *sh, pthread_t *tid, char *err, size_t len)
{
    unsigned started = 0;
    pthread_mutex_lock(&sh->gate);
    sh->go = 1;
    for (; started < sh->spec->threads; started++) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(nth_cpu(started), &one);
        pthread_attr_setaffinity_np(&attr, sizeof one, &one);
        int e = pthread_create(&tid[started], &attr, thread_main, &sh->th[started]);
        pthread_attr_destroy(&attr);
        if (e != 0) {
            snprintf(err, len, "cannot start thread %u: %s", started, strerror(e));
            sh->go = 0;
            break;
        }
    }
    pthread_barrier_init(&sh->bar, NULL, started + 1);
    sh->spin.parties = started;
    sh->open = 1;
    pthread_cond_broadcast(&sh->opened);
    pthread_mutex_unlock(&sh->gate);
    return started;
}

/* The threads' lists, placed afresh each repetition (placement.h) and
 * touched now: a first touch's page fault is no op's cost. */
static int give_lists(struct shared *sh)
{
    const struct fb_tspec *s = sh->spec;
    uint64_t share = s->nframes / s->threads;
    for (unsigned k = 0; k < s->threads; k++) {
        struct fb_tthread *t = &sh->th[k];
        *t = (struct fb_tthread){.spec = s,
                                 .state = sh->state,
                                 .cpu = k,
                                 .all = sh->th,
                                 .share = share,
                                 .cap = share,
                                 .steps = s->nframes < 65536 ? 1u << 14 : 1u << 20,
                                 .seed = 0x9e3779b97f4a7c15ull * (k + 1)};
        t->held = fb_place_alloc(share * sizeof *t->held, 64);
        t->given = s->pt->between ? fb_place_alloc(share * sizeof *t->given, 64) : NULL;
        if (!t->held || (s->pt->between && !t->given))
            return -1;
        memset(t->held, 0, share * sizeof *t->held);
        if (t->given)
            memset(t->given, 0, share * sizeof *t->given);
    }
    return 0;
}

static size_t state_bytes(const struct fb_tspec *s)
{
    return s->mt ? s->mt->state_size(s->nframes, s->threads) : s->st->state_size(s->nframes);
}

uint64_t fb_threaded_bytes(const struct fb_tspec *s)
{
    uint64_t lists = s->pt->between ? 2 : 1;
    return state_bytes(s) + lists * s->nframes * sizeof(uint64_t);
}

/* The repetition proper; the first error goes to err.  Every thread runs
 * whatever failed (its error stays with it), so none is left waiting at a
 * barrier. */
static void run(struct shared *sh, struct fb_trep *out, char *err, size_t len)
{
    const struct fb_tspec *s = sh->spec;
    fa_err e = s->mt ? s->mt->init(sh->state, sh->bytes, FB_T_BASE, s->nframes, s->threads)
                     : s->st->init(sh->state, sh->bytes, FB_T_BASE, s->nframes);
    if (e != FA_OK) {
        snprintf(err, len, "init: %s", fa_strerror(e));
        return;
    }
    pthread_t tid[FB_T_MAX_THREADS];
    unsigned started = start_threads(sh, tid, err, len);
    if (sh->go) {
        pthread_barrier_wait(&sh->bar); /* the threads run the repetition */
        pthread_barrier_wait(&sh->bar);
    }
    for (unsigned k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    pthread_barrier_destroy(&sh->bar);
    if (!sh->go)
        return;
    figures(sh, out);
    out->figure = sh->figure;
    for (unsigned k = 0; k < s->threads && !err[0]; k++)
        if (sh->th[k].error[0])
            snprintf(err, len, "%s", sh->th[k].error);
    /* A thread that did nothing would put 0 ns per op into the median: the
     * repetition measured less than it says, so it fails. */
    for (int ph = 0; ph < s->pt->nphases && !err[0]; ph++)
        for (unsigned k = 0; k < s->threads && !err[0]; k++)
            if (sh->ops[ph][k] == 0)
                snprintf(err, len,
                         "cpu %u did no %s: its first call found nothing (ENOMEM); %llu frames may be too few "
                         "for %u threads, or the strategy hands out nothing",
                         k, s->pt->phase_names[ph], (unsigned long long)s->nframes, s->threads);
    uint64_t freed = s->mt ? s->mt->free_frames(sh->state) : s->st->free_frames(sh->state);
    fa_err chk = s->mt ? s->mt->check(sh->state) : s->st->check(sh->state);
    if (!err[0] && (freed != s->nframes || chk != FA_OK))
        snprintf(err, len, "after the repetition: %llu of %llu frames free, check: %s", (unsigned long long)freed,
                 (unsigned long long)s->nframes, fa_strerror(chk));
}

int fb_threaded_rep(const struct fb_tspec *s, struct fb_trep *out, char *err, size_t len)
{
    err[0] = '\0';
    memset(out, 0, sizeof *out);
    if (s->threads < 1 || s->threads > FB_T_MAX_THREADS) {
        snprintf(err, len, "%u threads: want 1 to %d", s->threads, FB_T_MAX_THREADS);
        return -1;
    }
    struct shared *sh = calloc(1, sizeof *sh);
    if (!sh) {
        snprintf(err, len, "out of memory");
        return -1;
    }
    sh->spec = s;
    pthread_mutex_init(&sh->gate, NULL);
    pthread_cond_init(&sh->opened, NULL);
    sh->bytes = state_bytes(s);
    /* Placed afresh for each repetition (placement.h), as the other cells' */
    sh->state = sh->bytes ? fb_place_alloc((sh->bytes + 63) / 64 * 64, FA_STATE_ALIGN) : NULL;
    if (!sh->state || give_lists(sh) != 0)
        snprintf(err, len, "out of memory for a region of %llu frames", (unsigned long long)s->nframes);
    else
        run(sh, out, err, len);
    for (unsigned k = 0; k < s->threads; k++) {
        fb_place_free(sh->th[k].held);
        fb_place_free(sh->th[k].given);
    }
    fb_place_free(sh->state);
    pthread_mutex_destroy(&sh->gate);
    pthread_cond_destroy(&sh->opened);
    free(sh);
    return err[0] ? -1 : 0;
}
