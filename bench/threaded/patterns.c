/*
 * patterns.c (threaded): bulk, remote, repeat, churn and 2 MiB runs, as
 * LLFree's benchmarks and Linux's page_bench05_cross_cpu run them.  Each
 * timed loop is the calls and a sequential walk of the thread's own list:
 * no random read of the harness waits beside the allocator.
 */
#include <stdio.h>
#include <string.h>

#include "thread.h"

void t_shuffle(struct fb_tthread *t)
{
    for (uint64_t i = t->nheld; i > 1; i--) {
        t->seed ^= t->seed << 13, t->seed ^= t->seed >> 7, t->seed ^= t->seed << 17;
        uint64_t j = t->seed % i, x = t->held[i - 1];
        t->held[i - 1] = t->held[j];
        t->held[j] = x;
    }
}

void t_fail(struct fb_tthread *t, const char *call, fa_err e)
{
    if (!t->error[0])
        snprintf(t->error, sizeof t->error, "cpu %u: %s: %s", t->cpu, call, fa_strerror(e));
}

/* The thread's share, one frame a call; stops early at FA_ENOMEM (pcp:
 * frames in another CPU's cache), so the op count is what was done.  The
 * loop's own work is the store of each address, into a list of the
 * thread's (pre-touched): locals, so nothing is reloaded per op. */
static uint64_t alloc_share(struct fb_tthread *t)
{
    uint64_t *held = t->held, n = t->nheld, share = t->share;
    while (n < share) {
        fa_err e = t_alloc(t, &held[n]);
        if (e != FA_OK) {
            if (e != FA_ENOMEM)
                t_fail(t, "alloc", e);
            break;
        }
        n++;
    }
    return t->nheld = n;
}

static uint64_t free_all(struct fb_tthread *t, const uint64_t *list, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        fa_err e = t_free(t, list[i]);
        if (e != FA_OK)
            t_fail(t, "free", e);
    }
    return n;
}

static uint64_t free_own(struct fb_tthread *t)
{
    uint64_t n = free_all(t, t->held, t->nheld);
    t->nheld = 0;
    return n;
}

/* Off the clock, between the phases: the next thread's frames become this
 * thread's to free, copied into its own list, so the timed remote frees
 * read no line the other CPU wrote (that miss would be the harness's). */
static void take_next(struct fb_tthread *t)
{
    struct fb_tthread *next = &t->all[(t->cpu + 1) % t->spec->threads];
    memcpy(t->given, next->held, next->nheld * sizeof *t->given);
    t->ngiven = next->nheld;
    next->nheld = 0;
}

/* The next thread's frames: every free a remote one (at one thread, local). */
static uint64_t free_given(struct fb_tthread *t)
{
    uint64_t n = free_all(t, t->given, t->ngiven);
    t->ngiven = 0;
    return n;
}

static void none(struct fb_tthread *t) { (void)t; }
static void teardown_own(struct fb_tthread *t) { free_own(t); }

static uint64_t repeat(struct fb_tthread *t)
{
    uint64_t pa, steps = t->steps;
    for (uint64_t k = 0; k < steps; k++) {
        fa_err e = t_alloc(t, &pa);
        if (e == FA_OK)
            e = t_free(t, pa);
        if (e != FA_OK) {
            t_fail(t, "alloc or free", e);
            return k;
        }
    }
    return steps;
}

/* 90 % of the thread's share held, in a shuffled order the loop walks. */
static void churn_setup(struct fb_tthread *t)
{
    uint64_t want = t->share / 10 * 9;
    uint64_t keep = t->share;
    t->share = want;
    alloc_share(t);
    t->share = keep;
    t_shuffle(t);
}

static uint64_t churn(struct fb_tthread *t)
{
    uint64_t *held = t->held, n = t->nheld, steps = t->steps;
    if (n == 0)
        return 0;
    for (uint64_t k = 0, i = 0; k < steps; k++) {
        fa_err e = t_free(t, held[i]);
        if (e == FA_OK)
            e = t_alloc(t, &held[i]);
        if (e != FA_OK) {
            t_fail(t, "free or alloc", e);
            held[i] = held[--t->nheld]; /* the frame is not held */
            return k;
        }
        i = i + 1 < n ? i + 1 : 0;
    }
    return steps;
}

#define RUN_2M 512u

static uint64_t alloc_2m(struct fb_tthread *t)
{
    uint64_t *held = t->held, n = t->nheld, want = t->share / RUN_2M;
    while (n < want) {
        fa_err e = t_alloc_run(t, RUN_2M, 9, &held[n]);
        if (e != FA_OK) {
            if (e != FA_ENOMEM)
                t_fail(t, "alloc_run", e);
            break;
        }
        n++;
    }
    return t->nheld = n;
}

static uint64_t free_2m(struct fb_tthread *t)
{
    uint64_t n = t->nheld;
    for (uint64_t i = 0; i < n; i++) {
        fa_err e = t_free_run(t, t->held[i], RUN_2M);
        if (e != FA_OK)
            t_fail(t, "free_run", e);
    }
    t->nheld = 0;
    return n;
}

static const struct fb_tpattern bulk = {
    .name = "mt_bulk",
    .one_op = "each thread allocates its share of the region a frame at a time, then frees it (ns: alloc)",
    .title = "bulk alloc of each thread's share",
    .phase_names = {"alloc", "free"},
    .nphases = 2,
    .headline = 0,
    .setup = none,
    .phase = {alloc_share, free_own},
    .teardown = teardown_own,
};

static const struct fb_tpattern remote = {
    .name = "mt_remote",
    .one_op = "each thread allocates its share, then frees the next thread's frames (ns: the remote free)",
    .title = "remote free of another thread's frames",
    .phase_names = {"alloc", "remote free"},
    .nphases = 2,
    .headline = 1,
    .setup = none,
    .phase = {alloc_share, free_given},
    .between = take_next,
    .teardown = teardown_own,
};

static const struct fb_tpattern repeat_p = {
    .name = "mt_repeat",
    .one_op = "each thread allocates one frame and frees it, over and over, from an empty region",
    .title = "alloc + free of one frame",
    .phase_names = {"alloc+free", NULL},
    .nphases = 1,
    .headline = 0,
    .setup = none,
    .phase = {repeat, NULL},
    .teardown = teardown_own,
};

static const struct fb_tpattern churn_p = {
    .name = "mt_churn",
    .one_op = "at 90 % occupancy, each thread frees one of its frames and allocates one",
    .title = "churn at 90 % occupancy",
    .phase_names = {"free+alloc", NULL},
    .nphases = 1,
    .headline = 0,
    .setup = churn_setup,
    .phase = {churn, NULL},
    .teardown = teardown_own,
};

static const struct fb_tpattern runs_2m = {
    .name = "mt_2m",
    .one_op = "each thread allocates its share as aligned 2 MiB runs, then frees them (ns: one run's alloc)",
    .title = "2 MiB run alloc",
    .phase_names = {"alloc_run", "free_run"},
    .nphases = 2,
    .needs_runs = 1,
    .headline = 0,
    .setup = none,
    .phase = {alloc_2m, free_2m},
    .teardown = none,
};

const struct fb_tpattern *const fb_tpatterns[] = {&bulk, &repeat_p, &remote, &churn_p, &runs_2m, &fb_mt_frag, NULL};

const struct fb_tpattern *fb_tpattern_find(const char *name)
{
    for (const struct fb_tpattern *const *p = fb_tpatterns; *p; p++)
        if (strcmp((*p)->name, name) == 0)
            return *p;
    return NULL;
}
