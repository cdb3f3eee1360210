/*
 * runner.c (threaded): the cells, their threads and their rows.
 *
 * A repetition: the runner builds the state afresh (init, off the clock)
 * and meets the threads at a barrier; each thread: setup, then per phase
 * [spin barrier, its clock, the phase, its clock], a spin barrier,
 * teardown; a barrier again, and the runner checks that the region is
 * whole (free_frames == nframes, check) before the next one.
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../placement.h"
#include "../precision.h"
#include "strategies.h"
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

static int listed(const char **names, const char *name)
{
    if (!names)
        return 1;
    for (; *names; names++)
        if (strcmp(*names, name) == 0)
            return 1;
    return 0;
}

/* A strategy of the threaded cells: thread-safe (mt), or a yardstick (st). */
struct who {
    const char *name;
    const struct fa_mt_ops *mt;
    const struct fa_ops *st;
};
#define MAX_STRATEGIES 32

/* The yardstick: a single-threaded strategy at one thread, no lock. */
static const struct fa_ops *const yardsticks[] = {&fa_nextfit_ops, NULL};

long fb_threaded_build(const struct fb_topts *o, struct fb_tcell **out, char *err, size_t len)
{
    static const uint64_t tiny[] = {16384, 0}, normal[] = {262144, 0};
    const uint64_t *sizes = o->sizes ? o->sizes : strcmp(o->matrix, "tiny") == 0 ? tiny : normal;
    unsigned cpus = fb_threaded_cpus(), deflt[16], k = 0;
    for (unsigned t = 1; t <= cpus && k < 15; t *= 2)
        deflt[k++] = t;
    deflt[k] = 0;
    const unsigned *threads = o->threads ? o->threads : deflt;
    size_t cap = 64, n = 0;
    struct fb_tcell *cells = calloc(cap, sizeof *cells);
    if (!cells) {
        snprintf(err, len, "out of memory");
        return -1;
    }
    /* The strategies: every thread-safe one, then the yardsticks. */
    struct who who[MAX_STRATEGIES];
    size_t nwho = 0;
    for (const struct fa_mt_ops *const *m = o->mt_strategies ? o->mt_strategies : fa_mt_strategies;
         *m && nwho < MAX_STRATEGIES; m++)
        who[nwho++] = (struct who){(*m)->name, *m, NULL};
    for (const struct fa_ops *const *y = yardsticks; *y && nwho < MAX_STRATEGIES; y++)
        who[nwho++] = (struct who){(*y)->name, NULL, *y};
    for (const struct fb_tpattern *const *p = fb_tpatterns; *p; p++) {
        if (!listed(o->patterns, (*p)->name))
            continue;
        for (size_t w = 0; w < nwho; w++) {
            const char *name = who[w].name;
            const struct fa_mt_ops *mt = who[w].mt;
            const struct fa_ops *st = who[w].st;
            if (!listed(o->strategies, name) || (o->registered && !o->registered(name)))
                continue;
            for (const uint64_t *z = sizes; *z; z++)
                for (const unsigned *t = threads; *t; t++) {
                    if (!mt && *t != 1)
                        continue; /* no lock: one thread only */
                    if (n == cap) {
                        struct fb_tcell *more = realloc(cells, 2 * cap * sizeof *cells);
                        if (!more) {
                            free(cells);
                            snprintf(err, len, "out of memory");
                            return -1;
                        }
                        memset(more + cap, 0, cap * sizeof *cells);
                        cells = more, cap *= 2;
                    }
                    struct fb_tcell *c = &cells[n++];
                    c->pt = *p;
                    c->strategy = name;
                    c->mt = mt;
                    c->st = st;
                    c->nframes = *z;
                    c->threads = *t;
                    snprintf(c->name, sizeof c->name, "%s/%s/frames:%llu/threads:%u", (*p)->name, name,
                             (unsigned long long)*z, *t);
                    if ((*p)->needs_runs && mt && !mt->alloc_run)
                        snprintf(c->skip, sizeof c->skip, "%s has no alloc_run", name);
                    else if (*t > cpus)
                        snprintf(c->skip, sizeof c->skip, "%u threads need %u CPUs; this process may use %u", *t,
                                 *t, cpus);
                    else if (*t > FB_T_MAX_THREADS)
                        snprintf(c->skip, sizeof c->skip, "more than %d threads", FB_T_MAX_THREADS);
                }
        }
    }
    *out = cells;
    return (long)n;
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
    struct fb_tcell *cell;
    void *state;
    size_t bytes;
    int reps;
    pthread_mutex_t gate; /* the threads wait here until all are started */
    pthread_cond_t opened;
    int open;
    pthread_barrier_t bar; /* the runner and the threads: a repetition's start and end */
    struct spin_barrier spin; /* the threads alone: around the timed phases */
    struct fb_tthread th[FB_T_MAX_THREADS];
    struct timespec t0[2][FB_T_MAX_THREADS], t1[2][FB_T_MAX_THREADS];
    uint64_t ops[2][FB_T_MAX_THREADS];
};

static double ns_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1e9 + (double)(b->tv_nsec - a->tv_nsec);
}

static void *thread_main(void *arg)
{
    struct fb_tthread *t = arg;
    struct shared *sh = (struct shared *)((char *)(t - t->cpu) - offsetof(struct shared, th));
    const struct fb_tpattern *pt = sh->cell->pt;
    pthread_mutex_lock(&sh->gate);
    while (!sh->open)
        pthread_cond_wait(&sh->opened, &sh->gate);
    pthread_mutex_unlock(&sh->gate);
    for (int r = 0; r < sh->reps; r++) {
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
        pt->teardown(t);
        pthread_barrier_wait(&sh->bar); /* the runner checks the state */
    }
    return NULL;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double fb_tmedian(const double *v, size_t n)
{
    double s[FB_T_MAX_REPS > FB_T_MAX_THREADS ? FB_T_MAX_REPS : FB_T_MAX_THREADS];
    memcpy(s, v, n * sizeof *v);
    qsort(s, n, sizeof *s, by_value);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* One repetition's figures, from the threads' clocks. */
static void figures(struct shared *sh, int r, double *thread_ns)
{
    struct fb_tcell *c = sh->cell;
    for (int ph = 0; ph < c->pt->nphases; ph++) {
        double per[FB_T_MAX_THREADS];
        uint64_t total = 0;
        double first = 0, last = 0;
        for (unsigned k = 0; k < c->threads; k++) {
            double d = ns_between(&sh->t0[ph][0], &sh->t0[ph][k]);
            double e = ns_between(&sh->t0[ph][0], &sh->t1[ph][k]);
            first = k == 0 || d < first ? d : first;
            last = k == 0 || e > last ? e : last;
            uint64_t ops = sh->ops[ph][k];
            per[k] = ops ? ns_between(&sh->t0[ph][k], &sh->t1[ph][k]) / (double)ops : 0;
            total += ops;
            if (ph == c->pt->headline)
                thread_ns[k] = per[k];
        }
        c->ns[ph][r] = fb_tmedian(per, c->threads);
        if (ph == c->pt->headline)
            c->ops_per_s[r] = last > first ? (double)total / ((last - first) * 1e-9) : 0;
    }
}

static fa_err init_state(struct shared *sh)
{
    struct fb_tcell *c = sh->cell;
    return c->mt ? c->mt->init(sh->state, sh->bytes, UINT64_C(1) << 20, c->nframes, c->threads)
                 : c->st->init(sh->state, sh->bytes, UINT64_C(1) << 20, c->nframes);
}

/* Starts the cell's threads pinned one to a CPU; the number started.  They
 * wait at the gate until the runner has them all (or gives up: reps 0). */
static unsigned start_threads(struct shared *sh, pthread_t *tid)
{
    struct fb_tcell *c = sh->cell;
    unsigned started = 0;
    pthread_mutex_lock(&sh->gate);
    for (; started < c->threads; started++) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(nth_cpu(started), &one);
        pthread_attr_setaffinity_np(&attr, sizeof one, &one);
        int e = pthread_create(&tid[started], &attr, thread_main, &sh->th[started]);
        pthread_attr_destroy(&attr);
        if (e != 0) {
            snprintf(c->error, sizeof c->error, "cannot start thread %u: %s", started, strerror(e));
            sh->reps = 0;
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

/* The least, median and most of the threads' headline ns per op in the
 * repetition whose headline is the median of the cell's. */
static void median_repetition(struct fb_tcell *c)
{
    const double *h = c->ns[c->pt->headline];
    double mid = fb_tmedian(h, c->nreps);
    size_t at = 0;
    for (size_t r = 1; r < c->nreps; r++)
        if (fabs(h[r] - mid) < fabs(h[at] - mid))
            at = r;
    c->thread_min = c->thread_spread[at][0];
    c->thread_median = c->thread_spread[at][1];
    c->thread_max = c->thread_spread[at][2];
}

/* Every repetition runs whatever failed (the threads' errors stay with
 * them), so no thread is left waiting at a barrier; the first error fails
 * the cell.  Repetitions add to those the cell has from earlier rounds. */
static void run_reps(struct shared *sh)
{
    struct fb_tcell *c = sh->cell;
    for (int k = 0; k < sh->reps; k++) {
        int r = (int)c->nreps;
        fa_err e = k == 0 ? FA_OK : init_state(sh);
        if (e != FA_OK && !c->error[0])
            snprintf(c->error, sizeof c->error, "init: %s", fa_strerror(e));
        pthread_barrier_wait(&sh->bar); /* the threads run the repetition */
        pthread_barrier_wait(&sh->bar);
        double thread_ns[FB_T_MAX_THREADS];
        figures(sh, r, thread_ns);
        c->nreps = (size_t)r + 1;
        for (unsigned k = 0; k < c->threads && !c->error[0]; k++)
            if (sh->th[k].error[0])
                snprintf(c->error, sizeof c->error, "%s", sh->th[k].error);
        uint64_t freed = c->mt ? c->mt->free_frames(sh->state) : c->st->free_frames(sh->state);
        fa_err chk = c->mt ? c->mt->check(sh->state) : c->st->check(sh->state);
        if (!c->error[0] && (freed != c->nframes || chk != FA_OK))
            snprintf(c->error, sizeof c->error,
                     "after repetition %d: %llu of %llu frames free, check: %s", r + 1, (unsigned long long)freed,
                     (unsigned long long)c->nframes, fa_strerror(chk));
        double *spread = c->thread_spread[r];
        spread[0] = spread[2] = thread_ns[0];
        for (unsigned t = 1; t < c->threads; t++) {
            spread[0] = thread_ns[t] < spread[0] ? thread_ns[t] : spread[0];
            spread[2] = thread_ns[t] > spread[2] ? thread_ns[t] : spread[2];
        }
        spread[1] = fb_tmedian(thread_ns, c->threads);
    }
    if (c->nreps)
        median_repetition(c);
}

static int run_cell(struct fb_tcell *c, int reps)
{
    struct shared *sh = calloc(1, sizeof *sh);
    if (!sh)
        return snprintf(c->error, sizeof c->error, "out of memory"), -1;
    sh->cell = c;
    sh->reps = reps;
    pthread_mutex_init(&sh->gate, NULL);
    pthread_cond_init(&sh->opened, NULL);
    sh->bytes = c->mt ? c->mt->state_size(c->nframes, c->threads) : c->st->state_size(c->nframes);
    /* Placed afresh for each repetition (placement.h), as the other cells' */
    sh->state = sh->bytes ? fb_place_alloc((sh->bytes + 63) / 64 * 64, FA_STATE_ALIGN) : NULL;
    int ok = sh->state != NULL;
    uint64_t share = c->nframes / c->threads;
    for (unsigned k = 0; ok && k < c->threads; k++) {
        struct fb_tthread *t = &sh->th[k];
        *t = (struct fb_tthread){.cell = c, .state = sh->state, .cpu = k, .all = sh->th, .share = share,
                                 .cap = share, .steps = c->nframes < 65536 ? 1u << 14 : 1u << 20,
                                 .seed = 0x9e3779b97f4a7c15ull * (k + 1)};
        t->held = fb_place_alloc(share * sizeof *t->held, 64);
        t->given = c->pt->between ? fb_place_alloc(share * sizeof *t->given, 64) : NULL;
        ok = t->held != NULL && (t->given != NULL || !c->pt->between);
        if (ok) { /* touched now: a first touch's page fault is no op's cost */
            memset(t->held, 0, share * sizeof *t->held);
            if (t->given)
                memset(t->given, 0, share * sizeof *t->given);
        }
    }
    if (!ok)
        snprintf(c->error, sizeof c->error, "out of memory for a region of %llu frames",
                 (unsigned long long)c->nframes);
    fa_err e = ok ? init_state(sh) : FA_OK;
    if (e != FA_OK) {
        snprintf(c->error, sizeof c->error, "init: %s", fa_strerror(e));
        ok = 0;
    }
    if (ok) {
        pthread_t tid[FB_T_MAX_THREADS];
        unsigned started = start_threads(sh, tid);
        run_reps(sh);
        for (unsigned k = 0; k < started; k++)
            pthread_join(tid[k], NULL);
        pthread_barrier_destroy(&sh->bar);
    }
    for (unsigned k = 0; k < c->threads; k++) {
        fb_place_free(sh->th[k].held);
        fb_place_free(sh->th[k].given);
    }
    fb_place_free(sh->state);
    pthread_mutex_destroy(&sh->gate);
    pthread_cond_destroy(&sh->opened);
    free(sh);
    return c->error[0] ? -1 : 0;
}

void fb_tcell_spread(const struct fb_tcell *c, double *med, double *lo, double *hi, double *ops)
{
    const double *h = c->ns[c->pt->headline];
    *med = fb_tmedian(h, c->nreps);
    *lo = *hi = h[0];
    for (size_t r = 1; r < c->nreps; r++) {
        *lo = h[r] < *lo ? h[r] : *lo;
        *hi = h[r] > *hi ? h[r] : *hi;
    }
    *ops = fb_tmedian(c->ops_per_s, c->nreps);
}

const struct fb_tcell *fb_tcell_at_one(const struct fb_tcell *cells, size_t n, const struct fb_tcell *c)
{
    for (size_t i = 0; i < n; i++)
        if (cells[i].threads == 1 && cells[i].pt == c->pt && cells[i].nframes == c->nframes &&
            strcmp(cells[i].strategy, c->strategy) == 0 && cells[i].nreps && !cells[i].error[0])
            return &cells[i];
    return NULL;
}

/* The cell's console line, once its last repetition is in. */
static void print_tcell(const struct fb_tcell *cells, size_t n, const struct fb_tcell *c)
{
    double med, lo, hi, ops;
    fb_tcell_spread(c, &med, &lo, &hi, &ops);
    const struct fb_tcell *one = fb_tcell_at_one(cells, n, c);
    double one_med, one_lo, one_hi, one_ops = 0;
    if (one)
        fb_tcell_spread(one, &one_med, &one_lo, &one_hi, &one_ops);
    struct fb_precision p = fb_precision_of(c->ns[c->pt->headline], c->nreps);
    printf("%-62s %8.4g ns  [%.4g-%.4g]  +-%.1f %%  %zu reps  threads %.4g-%.4g  %.4g Mops/s", c->name, med, p.lo,
           p.hi, p.half_pct, c->nreps, c->thread_min, c->thread_max, ops / 1e6);
    if (one && c->threads > 1 && one_ops > 0)
        printf("  x%.2f of 1 thread", ops / one_ops);
    putchar('\n');
    fflush(stdout);
}

/* In rounds, as the other cells (cases.c): each round runs one repetition
 * of every cell, its state and threads set up afresh, so that a cell's
 * repetitions sample the whole run (a 2-CPU machine that lends one CPU to
 * something else for a while), not one stretch of it. */
size_t fb_threaded_round(struct fb_tcell *cells, size_t n, const struct fb_topts *o, int round)
{
    size_t failed = 0, todo = 0, at = 0;
    for (size_t i = 0; i < n; i++)
        todo += !cells[i].skip[0];
    for (size_t i = 0; i < n; i++) {
        struct fb_tcell *c = &cells[i];
        if (c->skip[0])
            continue;
        at++;
        if (c->error[0])
            continue;
        fprintf(stderr, "[%zu/%zu] %s (threaded round %d of %d)\n", at, todo, c->name, round, o->repetitions);
        if (run_cell(c, 1) != 0) {
            failed++;
            fprintf(stderr, "framebench: %s failed: %s\n", c->name, c->error);
        } else if (o->console && round == o->repetitions) {
            print_tcell(cells, n, c);
        }
    }
    return failed;
}

size_t fb_threaded_run(struct fb_tcell *cells, size_t n, const struct fb_topts *o)
{
    size_t failed = 0;
    for (int round = 1; round <= o->repetitions; round++)
        failed += fb_threaded_round(cells, n, o, round);
    return failed;
}

