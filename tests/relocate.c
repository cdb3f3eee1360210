/*
 * relocate.c: the contract's relocation guarantee.  A state is only
 * bytes: copied with memcpy to another buffer it is a complete allocator,
 * and the two copies are independent.  For every strategy and several
 * sizes: build and use a state against the model, copy it, allocate from
 * the copy and prove the original did not change, then poison and free the
 * original and keep using the copy against the model (a stored pointer into
 * the old buffer reads the poison, and under AddressSanitizer is a
 * use-after-free).  Moved twice, so a copy of a copy works too.
 */
#include <stdlib.h>
#include <string.h>

#include "differ.h"
#include "suites.h"

static const uint64_t sizes[] = {1, 64, 65, 4097, 3 * 4096 + 77};
#define BASE (UINT64_C(1) << 20)
#define STEPS 3000

static uint64_t rnd(unsigned long long *seed, uint64_t bound) { return check_rand(seed) % bound; }

/* Random allocs, runs and frees, checked against the model after each. */
static void churn(struct differ *d, unsigned long long *seed)
{
    uint64_t n = d->fx.nframes;
    for (int s = 0; s < STEPS && d->fails == 0; s++) {
        unsigned r = (unsigned)rnd(seed, 100);
        if (r < 40) {
            differ_alloc(d);
        } else if (r < 50) {
            differ_alloc_run(d, 1 + rnd(seed, 16), (unsigned)rnd(seed, 4));
        } else {
            uint64_t i = rnd(seed, n);
            if (d->model.used[i])
                differ_free(d, differ_addr(d, i), 1);
        }
    }
}

/* Moves the differ's state to a new buffer; the old one is proved
 * untouched by a use of the new one, then poisoned and freed. */
static void move(struct differ *d)
{
    struct fixture *fx = &d->fx;
    void *copy = check_state_alloc(fx->bytes);
    memcpy(copy, fx->state, fx->bytes);
    unsigned char *image = malloc(fx->bytes);
    if (!image)
        exit(1);
    memcpy(image, fx->state, fx->bytes);
    void *old = fx->state;
    fx->state = copy;
    differ_alloc(d); /* from the copy: the original must not move */
    EXPECT(memcmp(old, image, fx->bytes) == 0, "%s n=%llu: an alloc from a copy changed the original", fx->ops->name,
           (unsigned long long)fx->nframes);
    memset(old, 0xa5, fx->bytes);
    check_state_free(old);
    free(image);
    EXPECT(fx->ops->check(fx->state) == FA_OK, "%s n=%llu: check() of the moved state failed", fx->ops->name,
           (unsigned long long)fx->nframes);
}

void relocate_suite(const struct fa_ops *ops, const struct traits *t)
{
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        unsigned long long seed = 7 + si;
        struct differ d;
        differ_open(&d, ops, t, BASE, sizes[si]);
        churn(&d, &seed);
        move(&d);
        churn(&d, &seed);
        move(&d);
        churn(&d, &seed);
        differ_close(&d);
    }
}
