/*
 * simd.h: what the `simd` strategy exports beyond its fa_ops: its scan paths,
 * so a test can run the same calls down each one and hold them to the same
 * answers.  Hosted only, like simd.c.
 */
#ifndef FA_SIMD_H
#define FA_SIMD_H

#include "frame_alloc.h"

/* How `simd` scans for a word with a free frame.  0 is no path, so a state
 * that init never wrote fails check. */
enum fa_simd_path {
    FA_SIMD_SCALAR = 1, /* one word per compare: any CPU */
    FA_SIMD_AVX2 = 2,   /* 16 words (1024 frames) per compare */
    FA_SIMD_AVX512 = 3, /* 64 words (4096 frames) per compare, AVX-512F */
};

/* The fastest path this CPU (and its OS) can run. */
enum fa_simd_path fa_simd_best_path(void);

/* 1 when this CPU can run `path`. */
int fa_simd_path_supported(enum fa_simd_path path);

/* The simd init, but with `path` chosen by the caller: FA_ENOTSUP (nothing
 * written) when this CPU cannot run it; otherwise as init. */
fa_err fa_simd_init_path(void *state, size_t bytes, uint64_t base, uint64_t nframes, enum fa_simd_path path);

/* The path a simd state was built with. */
enum fa_simd_path fa_simd_path_of(const void *state);

#endif
