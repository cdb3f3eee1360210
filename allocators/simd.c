/*
 * simd: the flat bitmap of `ctz`, but the search for a word with a free frame
 * reads many words per compare: 64 words (4096 frames, eight 64-byte loads
 * ANDed together) with AVX-512F, 16 with AVX2, one with the scalar fallback.
 * Lowest free frame first.  The path is chosen once, at init, from what the
 * CPU reports, and kept in the state as an enum (struct fa_flat's `variant`),
 * not a function pointer, so the state stays plain data that check can
 * verify.  The vector code is compiled per function with target attributes,
 * so the library needs no special flags and still runs on any x86-64.
 *
 * Hosted only: a kernel must save and restore vector registers around this
 * code (kernel_fpu_begin in Linux), so it is not in the freestanding set and
 * the registry lists it only in hosted builds (FA_HOSTED_STRATEGIES).
 *
 * Under valgrind the CPU reports no AVX-512 (valgrind cannot run it), so the
 * AVX2 path is chosen there: instruction counts measure that path.
 *
 * Everything but the search (free, reserve, counters, check) is fa_flat.c.
 * Cost: O(n / 4096) compares per alloc, bound by cache bandwidth (a 64 GiB
 * region's 2 MiB bitmap streams from L3 at ~100 GB/s here); 1 bit per frame.
 */
#include "simd.h"

#include "fa_flat.h"
#include "strategies.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SIMD_X86 1
#endif

/* First word in [w, n) that has a free frame; n if none. */
static uint64_t scan_scalar(const uint64_t *words, uint64_t w, uint64_t n)
{
    while (w < n && words[w] == FA_ALL_ONES)
        w++;
    return w;
}

#ifdef SIMD_X86
/* 16 words per test: AND four 256-bit loads, then one "all ones?" test. */
__attribute__((target("avx2"))) static uint64_t scan_avx2(const uint64_t *words, uint64_t w, uint64_t n)
{
    const __m256i ones = _mm256_set1_epi64x(-1);
    for (; w + 16 <= n; w += 16) {
        const __m256i *p = (const __m256i *)(words + w);
        __m256i all = _mm256_and_si256(_mm256_and_si256(_mm256_loadu_si256(p), _mm256_loadu_si256(p + 1)),
                                       _mm256_and_si256(_mm256_loadu_si256(p + 2), _mm256_loadu_si256(p + 3)));
        if (!_mm256_testc_si256(all, ones))
            break;
    }
    return scan_scalar(words, w, n);
}

/* AND of the 32 words at p: four 512-bit loads, one three-way ternary-logic
 * AND and one plain AND. */
__attribute__((target("avx512f"))) static inline __m512i and32_avx512(const uint64_t *p)
{
    __m512i three =
        _mm512_ternarylogic_epi64(_mm512_loadu_si512(p), _mm512_loadu_si512(p + 8), _mm512_loadu_si512(p + 16), 0x80);
    return _mm512_and_si512(three, _mm512_loadu_si512(p + 24));
}

/* 64 words per compare: eight loads in flight keep the scan at the cache's
 * bandwidth; then 8-word steps find the word, whose mask bit points at it. */
__attribute__((target("avx512f"))) static uint64_t scan_avx512(const uint64_t *words, uint64_t w, uint64_t n)
{
    const __m512i ones = _mm512_set1_epi64(-1);
    for (; w + 64 <= n; w += 64)
        if (_mm512_cmpneq_epu64_mask(_mm512_and_si512(and32_avx512(words + w), and32_avx512(words + w + 32)), ones))
            break;
    for (; w + 8 <= n; w += 8) {
        __mmask8 m = _mm512_cmpneq_epu64_mask(_mm512_loadu_si512(words + w), ones);
        if (m)
            return w + fa_ctz(m);
    }
    return scan_scalar(words, w, n);
}
#endif

enum fa_simd_path fa_simd_best_path(void)
{
#ifdef SIMD_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return FA_SIMD_AVX512;
    if (__builtin_cpu_supports("avx2"))
        return FA_SIMD_AVX2;
#endif
    return FA_SIMD_SCALAR;
}

int fa_simd_path_supported(enum fa_simd_path path)
{
    switch (path) {
    case FA_SIMD_SCALAR: return 1;
    case FA_SIMD_AVX2: return fa_simd_best_path() >= FA_SIMD_AVX2;
    case FA_SIMD_AVX512: return fa_simd_best_path() >= FA_SIMD_AVX512;
    }
    return 0;
}

/* The first word at or after w that has a free frame; f->nwords if none. */
static uint64_t scan(const struct fa_flat *f, uint64_t w)
{
    switch ((enum fa_simd_path)f->variant) {
#ifdef SIMD_X86
    case FA_SIMD_AVX512: return scan_avx512(fa_flat_words(f), w, f->nwords);
    case FA_SIMD_AVX2: return scan_avx2(fa_flat_words(f), w, f->nwords);
#else
    case FA_SIMD_AVX512:
    case FA_SIMD_AVX2:
#endif
    case FA_SIMD_SCALAR: break;
    }
    return scan_scalar(fa_flat_words(f), w, f->nwords);
}

fa_err fa_simd_init_path(void *state, size_t bytes, uint64_t base, uint64_t nframes, enum fa_simd_path path)
{
    if (!fa_simd_path_supported(path))
        return FA_ENOTSUP;
    fa_err e = fa_flat_init(state, bytes, base, nframes);
    if (e == FA_OK)
        ((struct fa_flat *)state)->variant = path;
    return e;
}

enum fa_simd_path fa_simd_path_of(const void *state)
{
    return (enum fa_simd_path)((const struct fa_flat *)state)->variant;
}

static fa_err simd_init(void *state, size_t bytes, uint64_t base, uint64_t nframes)
{
    return fa_simd_init_path(state, bytes, base, nframes, fa_simd_best_path());
}

static fa_err simd_alloc(void *state, uint64_t *pa)
{
    struct fa_flat *f = state;
    uint64_t w = scan(f, 0);
    if (w >= f->nwords)
        return FA_ENOMEM;
    *pa = fa_flat_take(f, w * 64 + fa_ctz(~fa_flat_words(f)[w]));
    return FA_OK;
}

/* First free frame in [from, to), or `to`: the rest of from's word, then the
 * vector scan; fa_bm_find_run steps with it. */
static uint64_t next_word(const void *ctx, uint64_t w) { return scan(ctx, w); }
static uint64_t find_free(const void *ctx, uint64_t from, uint64_t to)
{
    return fa_bm_find_clear_with(fa_flat_words((const struct fa_flat *)ctx), from, to, next_word, ctx);
}

static fa_err simd_alloc_run(void *state, uint64_t count, unsigned align_order, uint64_t *pa)
{
    struct fa_flat *f = state;
    return fa_flat_take_run_with(f, 0, f->nframes, count, align_order, find_free, pa);
}

/* fa_flat's invariants, and a path that is known and that this CPU runs. */
static fa_err simd_check(const void *state)
{
    const struct fa_flat *f = state;
    if (f->hint != 0 || !fa_simd_path_supported((enum fa_simd_path)f->variant))
        return FA_EINVAL;
    return fa_flat_check(state);
}

const struct fa_ops fa_simd_ops = {
    .name = "simd",
    .summary = "flat bitmap scanned 4096 frames per compare (AVX-512, AVX2 or scalar, chosen at init); "
               "hosted only; O(n/4096), 1 bit/frame",
    .state_size = fa_flat_state_size,
    .init = simd_init,
    .alloc = simd_alloc,
    .free = fa_flat_free,
    .alloc_run = simd_alloc_run,
    .free_run = fa_flat_free_run,
    .reserve = fa_flat_reserve,
    .free_frames = fa_flat_free_frames,
    .check = simd_check,
};
