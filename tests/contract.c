/*
 * contract.c: the contract suite for one strategy, at every size boundary
 * (1, 63, 64, 65, 1000, 4095, 4096, 4097 and 1 GiB of frames) and three
 * bases (0, 1 MiB, an odd frame): a fill returns exactly n distinct frames
 * then FA_ENOMEM, bad input is refused with the state unchanged, runs are
 * aligned in physical frame numbers, and undersized or misaligned state
 * buffers are refused with nothing written.
 */
#include <stdint.h>

#include "fixture.h"
#include "suites.h"

static const uint64_t sizes[] = {1, 63, 64, 65, 1000, 4095, 4096, 4097, 262144};
static const uint64_t bases[] = {0, UINT64_C(1) << 20, UINT64_C(0x12345) << FA_FRAME_SHIFT};

#define NAME(fx) (fx)->ops->name
#define N(fx) (unsigned long long)(fx)->nframes

/* Fill from empty: n distinct frames in the region (ascending and dense when
 * the strategy is lowest-first), then FA_ENOMEM. */
static void fill(struct fixture *fx, const struct traits *t)
{
    const struct fa_ops *ops = fx->ops;
    unsigned char *seen = calloc(fx->nframes, 1);
    uint64_t bad = 0;
    for (uint64_t k = 0; k < fx->nframes; k++) {
        uint64_t pa = 0;
        fa_err e = ops->alloc(fx->state, &pa);
        uint64_t i = (pa - fx->base) / FA_FRAME_SIZE;
        int ok = e == FA_OK && pa >= fx->base && i < fx->nframes && pa % FA_FRAME_SIZE == 0 && !seen[i] &&
                 (!t->lowest_first || i == k);
        if (!ok && bad++ < 3)
            EXPECT(ok, "%s n=%llu: alloc #%llu gave '%s' pa=%#llx", NAME(fx), N(fx), (unsigned long long)k,
                   fa_strerror(e), (unsigned long long)pa);
        if (ok)
            seen[i] = 1;
    }
    EXPECT(bad == 0, "%s n=%llu: %llu bad allocs in a fill", NAME(fx), N(fx), (unsigned long long)bad);
    EXPECT(ops->free_frames(fx->state) == 0, "%s n=%llu: full but free_frames=%llu", NAME(fx), N(fx),
           (unsigned long long)ops->free_frames(fx->state));
    uint64_t pa;
    EXPECT_REFUSED(fx, ops->alloc(fx->state, &pa), FA_ENOMEM);
    if (ops->alloc_run)
        EXPECT_REFUSED(fx, ops->alloc_run(fx->state, 1, 0, &pa), FA_ENOMEM);
    EXPECT(ops->check(fx->state) == FA_OK, "%s n=%llu: check after fill", NAME(fx), N(fx));
    free(seen);
}

/* On a full region: every kind of bad address is refused. */
static void bad_input_when_full(struct fixture *fx)
{
    const struct fa_ops *ops = fx->ops;
    uint64_t end = fx->base + fx->nframes * FA_FRAME_SIZE;
    EXPECT_REFUSED(fx, ops->free(fx->state, fx->base + 1), FA_EALIGN);
    EXPECT_REFUSED(fx, ops->free(fx->state, end - 8), FA_EALIGN);
    EXPECT_REFUSED(fx, ops->free(fx->state, end), FA_ERANGE);
    EXPECT_REFUSED(fx, ops->free(fx->state, UINT64_MAX & ~(uint64_t)(FA_FRAME_SIZE - 1)), FA_ERANGE);
    if (fx->base)
        EXPECT_REFUSED(fx, ops->free(fx->state, fx->base - FA_FRAME_SIZE), FA_ERANGE);
    if (ops->free_run) { /* optional: a strategy without runs has none */
        EXPECT_REFUSED(fx, ops->free_run(fx->state, fx->base, fx->nframes + 1), FA_ERANGE);
        EXPECT_REFUSED(fx, ops->free_run(fx->state, end - FA_FRAME_SIZE, 2), FA_ERANGE);
        EXPECT_REFUSED(fx, ops->free_run(fx->state, fx->base, UINT64_MAX), FA_ERANGE);
        EXPECT_REFUSED(fx, ops->free_run(fx->state, fx->base, 0), FA_EINVAL);
    }
    EXPECT_REFUSED(fx, ops->reserve(fx->state, fx->base, 1), FA_EBUSY);
    EXPECT_REFUSED(fx, ops->reserve(fx->state, end, 1), FA_ERANGE);
    EXPECT_REFUSED(fx, ops->reserve(fx->state, fx->base, 0), FA_EINVAL);
}

/* Frees every frame in a seeded random order, then double frees one. */
static void free_all_shuffled(struct fixture *fx, unsigned long long seed)
{
    const struct fa_ops *ops = fx->ops;
    uint64_t *order = malloc(fx->nframes * sizeof *order);
    for (uint64_t i = 0; i < fx->nframes; i++)
        order[i] = i;
    for (uint64_t i = fx->nframes; i > 1; i--) {
        uint64_t j = check_rand(&seed) % i, tmp = order[i - 1];
        order[i - 1] = order[j];
        order[j] = tmp;
    }
    uint64_t bad = 0;
    for (uint64_t i = 0; i < fx->nframes; i++)
        bad += ops->free(fx->state, fx->base + order[i] * FA_FRAME_SIZE) != FA_OK;
    EXPECT(bad == 0, "%s n=%llu: %llu frees of allocated frames failed", NAME(fx), N(fx), (unsigned long long)bad);
    EXPECT(ops->free_frames(fx->state) == fx->nframes, "%s n=%llu: empty but free_frames=%llu", NAME(fx), N(fx),
           (unsigned long long)ops->free_frames(fx->state));
    EXPECT_REFUSED(fx, ops->free(fx->state, fx->base + order[0] * FA_FRAME_SIZE), FA_EFREE);
    EXPECT(ops->check(fx->state) == FA_OK, "%s n=%llu: check after free all", NAME(fx), N(fx));
    free(order);
}

/* On an empty region: whether a buddy_runs strategy can serve count frames
 * at order `order`, i.e. whether a naturally aligned block of
 * 2^max(order, ceil(log2 count)) frames lies inside the region and the
 * strategy serves such a run at all (max_run_order). */
static int buddy_block_fits(const struct fixture *fx, const struct traits *t, uint64_t count, unsigned order)
{
    if (traits_run_too_large(t, count, order))
        return 0;
    unsigned k = order;
    while ((UINT64_C(1) << k) < count)
        k++;
    uint64_t size = UINT64_C(1) << k, pfn0 = fx->base / FA_FRAME_SIZE;
    uint64_t first = (pfn0 + size - 1) / size * size;
    return first - pfn0 < fx->nframes && size <= fx->nframes - (first - pfn0);
}

/* Frees frames [base, +n): one free_run, or frame by frame without one. */
static fa_err free_frames_from(struct fixture *fx, uint64_t n)
{
    if (fx->ops->free_run)
        return fx->ops->free_run(fx->state, fx->base, n);
    fa_err e = FA_OK;
    for (uint64_t i = 0; i < n && e == FA_OK; i++)
        e = fx->ops->free(fx->state, fx->base + i * FA_FRAME_SIZE);
    return e;
}

/* Whole-region runs and reserves; partial overlaps refused. */
static void whole_region(struct fixture *fx, const struct traits *t)
{
    const struct fa_ops *ops = fx->ops;
    uint64_t pa = 0, n = fx->nframes;
    EXPECT(ops->reserve(fx->state, fx->base, n) == FA_OK, "%s n=%llu: reserve all", NAME(fx), N(fx));
    EXPECT(ops->free_frames(fx->state) == 0, "%s n=%llu: reserved all", NAME(fx), N(fx));
    EXPECT(free_frames_from(fx, n) == FA_OK, "%s n=%llu: free_run all", NAME(fx), N(fx));
    if (ops->alloc_run && ((t->buddy_runs && !buddy_block_fits(fx, t, n, 0)) || traits_run_too_large(t, n, 0))) {
        EXPECT_REFUSED(fx, ops->alloc_run(fx->state, n, 0, &pa), FA_ENOMEM);
    } else if (ops->alloc_run) {
        EXPECT(ops->alloc_run(fx->state, n, 0, &pa) == FA_OK && pa == fx->base, "%s n=%llu: alloc_run(n)", NAME(fx),
               N(fx));
        EXPECT_REFUSED(fx, ops->alloc_run(fx->state, 1, 0, &pa), FA_ENOMEM);
        EXPECT(ops->free_run(fx->state, fx->base, n) == FA_OK, "%s n=%llu: free_run after alloc_run", NAME(fx), N(fx));
    }
    if (ops->alloc_run) {
        EXPECT_REFUSED(fx, ops->alloc_run(fx->state, n + 1, 0, &pa), FA_ENOMEM);
        EXPECT_REFUSED(fx, ops->alloc_run(fx->state, 0, 0, &pa), FA_EINVAL);
        EXPECT_REFUSED(fx, ops->alloc_run(fx->state, 1, FA_MAX_ALIGN_ORDER + 1, &pa), FA_EINVAL);
    }
    uint64_t mid = fx->base + n / 2 * FA_FRAME_SIZE;
    EXPECT(ops->reserve(fx->state, mid, 1) == FA_OK, "%s n=%llu: reserve middle", NAME(fx), N(fx));
    EXPECT_REFUSED(fx, ops->reserve(fx->state, fx->base, n), FA_EBUSY);
    if (n > 1 && ops->free_run)
        EXPECT_REFUSED(fx, ops->free_run(fx->state, fx->base, n), FA_EFREE);
    EXPECT(ops->free(fx->state, mid) == FA_OK, "%s n=%llu: free middle", NAME(fx), N(fx));
    EXPECT(ops->check(fx->state) == FA_OK, "%s n=%llu: check after whole-region runs", NAME(fx), N(fx));
}

/* On an empty region, alloc_run(1, k) starts on a physical 2^k boundary, or
 * is refused exactly when the region holds no such boundary (for buddy_runs:
 * no naturally aligned 2^k block). */
static void aligned_runs(struct fixture *fx, const struct traits *t)
{
    const struct fa_ops *ops = fx->ops;
    if (!ops->alloc_run)
        return;
    for (unsigned k = 0; k <= 12; k++) {
        uint64_t step = UINT64_C(1) << k, pfn0 = fx->base / FA_FRAME_SIZE;
        uint64_t first = (pfn0 + step - 1) / step * step - pfn0; /* index of the first boundary */
        uint64_t pa = 0;
        if (first >= fx->nframes || (t->buddy_runs && !buddy_block_fits(fx, t, 1, k)) ||
            traits_run_too_large(t, 1, k)) {
            EXPECT_REFUSED(fx, ops->alloc_run(fx->state, 1, k, &pa), FA_ENOMEM);
            continue;
        }
        fa_err e = ops->alloc_run(fx->state, 1, k, &pa);
        EXPECT(e == FA_OK && (pa / FA_FRAME_SIZE) % step == 0 && pa >= fx->base &&
                   (pa - fx->base) / FA_FRAME_SIZE < fx->nframes &&
                   (!t->lowest_first_runs || pa == fx->base + first * FA_FRAME_SIZE),
               "%s n=%llu base=%#llx: alloc_run(1, %u) gave '%s' pa=%#llx", NAME(fx), N(fx),
               (unsigned long long)fx->base, k, fa_strerror(e), (unsigned long long)pa);
        if (e == FA_OK)
            ops->free(fx->state, pa);
    }
}

static void undersized_and_misaligned(const struct fa_ops *ops, uint64_t n)
{
    size_t bytes = ops->state_size(n);
    /* A size every strategy must take: 0 here is the finding, and a byte
     * short of 0 would wrap to a buffer's worth the init then writes. */
    EXPECT(bytes > 0, "%s: state_size(%llu) is 0, a size it must take", ops->name, (unsigned long long)n);
    if (bytes == 0)
        return;
    unsigned char *buf = check_state_alloc(bytes + FA_STATE_ALIGN);
    memset(buf, 0xa5, bytes + FA_STATE_ALIGN);
    fa_err short_by_one = ops->init(buf, bytes - 1, 0, n);
    fa_err misaligned = ops->init(buf + 8, bytes, 0, n);
    int untouched = 1;
    for (size_t i = 0; i < bytes + FA_STATE_ALIGN; i++)
        untouched &= buf[i] == 0xa5;
    EXPECT(short_by_one == FA_ENOSPACE, "%s n=%llu: init one byte short gave '%s'", ops->name, (unsigned long long)n,
           fa_strerror(short_by_one));
    EXPECT(misaligned == FA_ENOSPACE, "%s n=%llu: misaligned init gave '%s'", ops->name, (unsigned long long)n,
           fa_strerror(misaligned));
    EXPECT(untouched, "%s n=%llu: a refused init wrote to the buffer", ops->name, (unsigned long long)n);
    EXPECT(ops->init(buf, bytes, 0, 0) == FA_EINVAL, "%s: init with 0 frames", ops->name);
    EXPECT(ops->init(buf, bytes, 100, n) == FA_EINVAL, "%s: init with an unaligned base", ops->name);
    EXPECT(ops->state_size(0) == 0 && ops->state_size(FA_MAX_FRAMES + 1) == 0, "%s: unsupported sizes", ops->name);
    check_state_free(buf);
}

void contract_suite(const struct fa_ops *ops, const struct traits *t)
{
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        undersized_and_misaligned(ops, sizes[si]);
        for (size_t bi = 0; bi < sizeof bases / sizeof bases[0]; bi++) {
            struct fixture fx;
            fixture_open(&fx, ops, bases[bi], sizes[si]);
            EXPECT(ops->check(fx.state) == FA_OK && ops->free_frames(fx.state) == sizes[si], "%s n=%llu: fresh state",
                   ops->name, (unsigned long long)sizes[si]);
            fill(&fx, t);
            bad_input_when_full(&fx);
            free_all_shuffled(&fx, si * 7 + bi);
            whole_region(&fx, t);
            aligned_runs(&fx, t);
            fixture_close(&fx);
        }
    }
}
