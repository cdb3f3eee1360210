/*
 * thread.h: one thread of a threaded repetition, as its pattern sees it: the
 * strategy to call with its cpu, the frames it holds, the sizes its loops
 * run to.  Private to bench/threaded/.
 */
#ifndef FB_THREAD_H
#define FB_THREAD_H

#include "threaded.h"

struct fb_tthread {
    const struct fb_tspec *spec;
    void *state;
    unsigned cpu;
    struct fb_tthread *all; /* every thread of the repetition, [0, spec->threads) */
    uint64_t *held;         /* addresses this thread holds (runs: their first frame) */
    uint64_t nheld, cap;
    uint64_t *given; /* frames another thread handed over (mt_remote) */
    uint64_t ngiven;
    uint64_t share; /* frames this thread's loops allocate */
    uint64_t steps; /* repeat and churn: ops in the timed loop */
    uint64_t seed;
    unsigned char *plan;    /* a pattern's per-op choices, drawn off the clock (mt_frag); its teardown frees it */
    char error[FB_T_ERROR]; /* non-empty: a call failed as it must not */
};

static inline fa_err t_alloc(struct fb_tthread *t, uint64_t *pa)
{
    const struct fb_tspec *c = t->spec;
    return c->mt ? c->mt->alloc(t->state, t->cpu, pa) : c->st->alloc(t->state, pa);
}
static inline fa_err t_free(struct fb_tthread *t, uint64_t pa)
{
    const struct fb_tspec *c = t->spec;
    return c->mt ? c->mt->free(t->state, t->cpu, pa) : c->st->free(t->state, pa);
}
static inline fa_err t_alloc_run(struct fb_tthread *t, uint64_t n, unsigned order, uint64_t *pa)
{
    const struct fb_tspec *c = t->spec;
    return c->mt ? c->mt->alloc_run(t->state, t->cpu, n, order, pa) : c->st->alloc_run(t->state, n, order, pa);
}
static inline fa_err t_free_run(struct fb_tthread *t, uint64_t pa, uint64_t n)
{
    const struct fb_tspec *c = t->spec;
    return c->mt ? c->mt->free_run(t->state, t->cpu, pa, n) : c->st->free_run(t->state, pa, n);
}

extern const struct fb_tpattern fb_mt_frag; /* frag.c */

/* Off the clock: the thread's list in a random order, so that a timed
 * sequential walk of it frees at random. */
void t_shuffle(struct fb_tthread *t);

/* Records the first failure of a call that must succeed. */
void t_fail(struct fb_tthread *t, const char *call, fa_err e);

#endif
