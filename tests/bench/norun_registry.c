/*
 * norun_registry.c: a registry standing in for allocators/registry.c in a
 * test build of framebench, holding a strategy without alloc_run/free_run
 * (as a free-list stack is) beside a real one, so the test can prove such a
 * strategy runs every pattern but `runs`, which it records as skipped.
 * It forwards to ctz for everything else.
 */
#include "frame_alloc.h"

extern const struct fa_ops fa_ctz_ops;

static size_t norun_state_size(uint64_t n) { return fa_ctz_ops.state_size(n); }
static fa_err norun_init(void *s, size_t b, uint64_t base, uint64_t n) { return fa_ctz_ops.init(s, b, base, n); }
static fa_err norun_alloc(void *s, uint64_t *pa) { return fa_ctz_ops.alloc(s, pa); }
static fa_err norun_free(void *s, uint64_t pa) { return fa_ctz_ops.free(s, pa); }
static fa_err norun_reserve(void *s, uint64_t pa, uint64_t c) { return fa_ctz_ops.reserve(s, pa, c); }
static uint64_t norun_free_frames(const void *s) { return fa_ctz_ops.free_frames(s); }
static fa_err norun_check(const void *s) { return fa_ctz_ops.check(s); }

static const struct fa_ops norun_ops = {
    .name = "norun",
    .summary = "test stand-in: ctz without alloc_run/free_run",
    .state_size = norun_state_size,
    .init = norun_init,
    .alloc = norun_alloc,
    .free = norun_free,
    .reserve = norun_reserve,
    .free_frames = norun_free_frames,
    .check = norun_check,
};

const struct fa_ops *const fa_strategies[] = {&fa_ctz_ops, &norun_ops, 0};

const struct fa_ops *fa_find(const char *name)
{
    for (const struct fa_ops *const *s = fa_strategies; *s; s++) {
        const char *a = (*s)->name, *b = name;
        while (*a && *a == *b)
            a++, b++;
        if (*a == *b)
            return *s;
    }
    return 0;
}

const char *fa_strerror(fa_err e) { return e == FA_OK ? "success" : "error"; }
