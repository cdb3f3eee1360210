/*
 * test_simd_paths.c: `simd` gives the same answers down every scan path this
 * CPU runs (scalar, AVX2, AVX-512): a lone free frame in every word position
 * is found on each, and seeded random sequences give the same results and the
 * same bitmap.  Sizes put the free words in the vector blocks, in the 8-word
 * steps after them and in the scalar tail.  Also: check rejects a path that
 * is unknown or not this CPU's, and a refused init writes nothing.
 */
#include "fa_flat.h"
#include "fixture.h"
#include "simd.h"

static const uint64_t sizes[] = {1, 64 * 8 + 1, 64 * 23 + 3, 64 * 32 * 5 + 64 * 9 + 17, 64 * 32 * 40 + 1};
static const enum fa_simd_path paths[] = {FA_SIMD_SCALAR, FA_SIMD_AVX2, FA_SIMD_AVX512};
#define NPATHS (sizeof paths / sizeof paths[0])

static const struct fa_ops *simd;

static void *open_path(enum fa_simd_path p, uint64_t base, uint64_t n)
{
    size_t bytes = simd->state_size(n);
    void *state = check_state_alloc(bytes);
    fa_err e = fa_simd_init_path(state, bytes, base, n, p);
    EXPECT(e == FA_OK && fa_simd_path_of(state) == p, "init on path %d: %s", p, fa_strerror(e));
    return state;
}

/* Everything used but frame k: every path allocates exactly k. */
static void lone_frame_everywhere(enum fa_simd_path p, uint64_t n)
{
    void *state = open_path(p, UINT64_C(1) << 20, n);
    uint64_t base = UINT64_C(1) << 20, pa, bad = 0;
    simd->reserve(state, base, n);
    for (uint64_t w = 0; w * 64 < n; w++) {
        uint64_t k = w * 64 + (w * 7) % 64;
        if (k >= n)
            k = n - 1;
        simd->free(state, base + k * FA_FRAME_SIZE);
        bad += simd->alloc(state, &pa) != FA_OK || pa != base + k * FA_FRAME_SIZE;
        simd->free(state, base + k * FA_FRAME_SIZE);
        bad += simd->alloc_run(state, 1, 0, &pa) != FA_OK || pa != base + k * FA_FRAME_SIZE;
    }
    EXPECT(bad == 0, "path %d n=%llu: %llu lone frames missed", p, (unsigned long long)n, (unsigned long long)bad);
    EXPECT(simd->alloc(state, &pa) == FA_ENOMEM && simd->check(state) == FA_OK, "path %d: full at the end", p);
    check_state_free(state);
}

/* One seeded sequence on every runnable path at once: same results, same map. */
static void paths_agree(uint64_t n, unsigned long long seed)
{
    void *state[NPATHS] = {0};
    uint64_t base = UINT64_C(0x12345) << FA_FRAME_SHIFT;
    for (size_t p = 0; p < NPATHS; p++)
        if (fa_simd_path_supported(paths[p]))
            state[p] = open_path(paths[p], base, n);
    unsigned long differ = 0;
    for (int step = 0; step < 4000; step++) {
        unsigned long long r = check_rand(&seed);
        uint64_t got[NPATHS] = {0}, pa;
        for (size_t p = 0; p < NPATHS; p++) {
            if (!state[p])
                continue;
            fa_err e;
            if (r % 4 == 0)
                e = simd->free(state[p], base + (r >> 8) % n * FA_FRAME_SIZE);
            else if (r % 4 == 1)
                e = simd->alloc_run(state[p], 1 + (r >> 8) % 100, (unsigned)(r >> 20) % 10, &pa);
            else
                e = simd->alloc(state[p], &pa);
            got[p] = e == FA_OK && r % 4 != 0 ? pa : e;
        }
        for (size_t p = 1; p < NPATHS; p++)
            if (state[p])
                differ += got[p] != got[0];
    }
    const struct fa_flat *f0 = state[0];
    for (size_t p = 1; p < NPATHS; p++) {
        if (!state[p])
            continue;
        const struct fa_flat *f = state[p];
        differ += f->nfree != f0->nfree || memcmp(fa_flat_words(f), fa_flat_words(f0), f->nwords * 8) != 0;
        EXPECT(simd->check(state[p]) == FA_OK, "n=%llu path %d: check", (unsigned long long)n, paths[p]);
    }
    EXPECT(differ == 0, "n=%llu: paths disagreed %lu times", (unsigned long long)n, differ);
    for (size_t p = 0; p < NPATHS; p++)
        check_state_free(state[p]);
}

/* check holds the stored path to the known ones this CPU runs; a refused
 * init leaves the buffer alone. */
static void path_is_checked(void)
{
    struct fixture fx;
    fixture_open(&fx, simd, 0, 1000);
    struct fa_flat *f = fx.state;
    EXPECT(f->variant == (uint64_t)fa_simd_best_path(), "init picks the best path");
    uint64_t kept = f->variant;
    f->variant = 0;
    EXPECT(simd->check(fx.state) == FA_EINVAL, "check accepts no path");
    f->variant = 99;
    EXPECT(simd->check(fx.state) == FA_EINVAL, "check accepts path 99");
    for (size_t p = 0; p < NPATHS; p++) {
        f->variant = paths[p];
        EXPECT((simd->check(fx.state) == FA_OK) == fa_simd_path_supported(paths[p]), "check of path %d", paths[p]);
    }
    f->variant = kept;
    fixture_snap(&fx);
    EXPECT(fa_simd_init_path(fx.state, fx.bytes, 0, 1000, (enum fa_simd_path)0) == FA_ENOTSUP, "init on no path");
    EXPECT(fixture_unchanged(&fx), "a refused init wrote to the state");
    fixture_close(&fx);
}

int main(void)
{
    simd = fa_find("simd");
    EXPECT(simd != NULL, "simd is registered");
    if (!simd)
        return check_report();
    for (size_t p = 0; p < NPATHS; p++) {
        int runs = fa_simd_path_supported(paths[p]);
        printf("path %d: %s\n", paths[p], runs ? "tested" : "not on this CPU, skipped");
        for (size_t s = 0; runs && s < sizeof sizes / sizeof sizes[0]; s++)
            lone_frame_everywhere(paths[p], sizes[s]);
    }
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        paths_agree(sizes[s], s + 1);
    path_is_checked();
    return check_report();
}
