/*
 * test_tree.c: what the table-driven tests cannot reach in `tree`.  Their
 * regions fit one summary level; here the differ holds it to the model at two
 * levels, a far-apart free pattern is searched through four, long runs are
 * found past free whole words that do not fit, and check is shown to catch a
 * flip of any single bit of the leaves and summaries.
 */
#include "differ.h"

static const uint64_t odd_base = UINT64_C(0x12345) << FA_FRAME_SHIFT;

static uint64_t rnd(unsigned long long *seed, uint64_t bound) { return check_rand(seed) % bound; }

/* Random allocs, runs, frees and reserves, checked against the model after
 * each step, on a region with two summary levels. */
static void two_levels_against_model(const struct fa_ops *ops, uint64_t n, uint64_t base)
{
    static const uint64_t counts[] = {1, 2, 8, 64, 127, 128, 200, 512, 4096};
    struct differ d;
    unsigned long long seed = n ^ base;
    differ_open(&d, ops, traits_of(ops), base, n);
    /* Start from a fragmented half-full region so searches cross levels. */
    for (uint64_t i = 0; i < n; i += 1 + rnd(&seed, 3000))
        differ_reserve(&d, differ_addr(&d, i), 1 + rnd(&seed, i + 2000 < n ? 2000 : n - i));
    for (int s = 0; s < 600 && d.fails == 0; s++) {
        unsigned r = (unsigned)rnd(&seed, 10);
        if (r < 4)
            differ_alloc(&d);
        else if (r < 7)
            differ_alloc_run(&d, counts[rnd(&seed, sizeof counts / sizeof counts[0])], (unsigned)rnd(&seed, 12));
        else {
            uint64_t i = rnd(&seed, n);
            if (d.model.used[i])
                differ_free(&d, differ_addr(&d, i), 1);
        }
    }
    EXPECT(d.fails == 0, "tree n=%llu: disagreed with the model", (unsigned long long)n);
    differ_close(&d);
}

/* Four levels (64^4 + 1 frames): everything used but three frames far
 * apart; alloc finds them in order, then the region is full. */
static void far_frames_through_four_levels(const struct fa_ops *ops)
{
    struct fixture fx;
    uint64_t n = (UINT64_C(1) << 24) + 1, pa, want[] = {5, (UINT64_C(1) << 23) + 4097, n - 1};
    fixture_open(&fx, ops, odd_base, n);
    EXPECT(ops->reserve(fx.state, fx.base, n) == FA_OK, "reserve all");
    for (int k = 2; k >= 0; k--)
        EXPECT(ops->free(fx.state, fx.base + want[k] * FA_FRAME_SIZE) == FA_OK, "free frame %d", k);
    for (int k = 0; k < 3; k++)
        EXPECT(ops->alloc(fx.state, &pa) == FA_OK && pa == fx.base + want[k] * FA_FRAME_SIZE, "alloc %d gave %#llx", k,
               (unsigned long long)pa);
    EXPECT_REFUSED(&fx, ops->alloc(fx.state, &pa), FA_ENOMEM);
    EXPECT(ops->check(fx.state) == FA_OK, "check after far frames");
    fixture_close(&fx);
}

/* A region where every other 1024 frames hold 511 free frames across a
 * physical 2 MiB boundary, free whole words but no aligned 2 MiB run; the
 * only one is near the end.  Base 1 MiB: boundaries fall 256 frames into the
 * bitmap, on a word (the whole-word search); 1 MiB + 8 frames: off words
 * (the general long-run search). */
static void long_run_past_misfits(const struct fa_ops *ops, uint64_t base)
{
    struct fixture fx;
    uint64_t n = UINT64_C(1) << 20, pa, first = (512 - (base / FA_FRAME_SIZE) % 512) % 512;
    uint64_t only = n - 1024 + first;
    fixture_open(&fx, ops, base, n);
    EXPECT(ops->reserve(fx.state, fx.base, n) == FA_OK, "reserve all");
    for (uint64_t i = 0; i + 1024 <= n - 1024; i += 1024)
        EXPECT(ops->free_run(fx.state, fx.base + (i + 1) * FA_FRAME_SIZE, 511) == FA_OK, "free misfit");
    EXPECT_REFUSED(&fx, ops->alloc_run(fx.state, 512, 9, &pa), FA_ENOMEM);
    EXPECT(ops->free_run(fx.state, fx.base + only * FA_FRAME_SIZE, 512) == FA_OK, "free the fit");
    EXPECT(ops->alloc_run(fx.state, 512, 9, &pa) == FA_OK && pa == fx.base + only * FA_FRAME_SIZE,
           "base %#llx: 2 MiB run at %#llx", (unsigned long long)base, (unsigned long long)pa);
    EXPECT(ops->alloc_run(fx.state, 200, 0, &pa) == FA_OK && pa == fx.base + 1 * FA_FRAME_SIZE,
           "base %#llx: lowest 200-frame run at %#llx", (unsigned long long)base, (unsigned long long)pa);
    EXPECT(ops->check(fx.state) == FA_OK, "check after long runs");
    fixture_close(&fx);
}

/* Any one bit flipped past the header (leaves, padding, either tree) makes
 * check fail.  The header is three cache lines (see tree.c). */
static void check_catches_every_flip(const struct fa_ops *ops, uint64_t n)
{
    struct fixture fx;
    uint64_t pa;
    fixture_open(&fx, ops, odd_base, n);
    for (uint64_t k = 0; k < n / 3; k++)
        ops->alloc(fx.state, &pa);
    unsigned char *bytes = fx.state;
    unsigned long missed = 0;
    for (size_t b = 3 * FA_STATE_ALIGN; b < fx.bytes; b++)
        for (int bit = 0; bit < 8; bit++) {
            bytes[b] ^= (unsigned char)(1u << bit);
            missed += ops->check(fx.state) == FA_OK;
            bytes[b] ^= (unsigned char)(1u << bit);
        }
    EXPECT(missed == 0, "tree n=%llu: check missed %lu single-bit flips", (unsigned long long)n, missed);
    EXPECT(ops->check(fx.state) == FA_OK, "check after restoring");
    fixture_close(&fx);
}

/* Memory as the essay says: the bitmap plus about 2/63 for the two trees
 * plus a three-line header, from 1 frame up to FA_MAX_FRAMES (five levels). */
static void memory_cost(const struct fa_ops *ops)
{
    static const uint64_t sizes[] = {1, 4096, 4097, UINT64_C(1) << 24, FA_MAX_FRAMES - 1, FA_MAX_FRAMES};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint64_t n = sizes[i], leaves = (n + 63) / 64 * 8, bytes = ops->state_size(n);
        uint64_t trees = bytes - 3 * FA_STATE_ALIGN - leaves;
        EXPECT(bytes > 3 * FA_STATE_ALIGN + leaves && trees <= 2 * (leaves / 63 + 8 * 5),
               "tree n=%llu: %llu bytes of state, %llu of leaves", (unsigned long long)n, (unsigned long long)bytes,
               (unsigned long long)leaves);
    }
    EXPECT(ops->state_size(FA_MAX_FRAMES + 1) == 0, "tree: more than FA_MAX_FRAMES refused");
}

int main(void)
{
    const struct fa_ops *ops = fa_find("tree");
    EXPECT(ops != NULL, "tree is registered");
    if (!ops)
        return check_report();
    memory_cost(ops);
    two_levels_against_model(ops, 4096 * 64 + 1, odd_base);
    two_levels_against_model(ops, 4096 * 64 * 3 + 100, UINT64_C(1) << 20);
    far_frames_through_four_levels(ops);
    long_run_past_misfits(ops, UINT64_C(1) << 20);
    long_run_past_misfits(ops, (UINT64_C(1) << 20) + 8 * FA_FRAME_SIZE);
    check_catches_every_flip(ops, 4097);
    check_catches_every_flip(ops, 64 * 64 * 64 + 7);
    return check_report();
}
