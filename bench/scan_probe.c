/*
 * scan_probe.c: a standalone probe of one strategy on one 16 Mi-frame (64 GiB)
 * scenario, for the scan-heavy cases the tree and simd strategies target.  Not
 * part of the benchmark binary; built by hand against the library:
 *
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iallocators bench/scan_probe.c \
 *      build/libframe_alloc.a -o scan_probe
 *   ./scan_probe STRATEGY SCENARIO [reps]      wall clock: median, min, max ns/op
 *   PROBE_COUNT=1 valgrind --tool=callgrind --collect-atstart=no \
 *      --toggle-collect=probe_ops ./scan_probe STRATEGY SCENARIO
 *                                              one batch: Ir / batch = Ir per op
 *   PROBE_SIMD_PATH=1|2|3                      simd on a forced scan path
 *
 * Scenarios (the batch is timed; undoing it is not):
 *   worst    all used but the last frame; op = alloc + free of it (batch 64)
 *   empty    0 % used; op = alloc (batch 4096)
 *   p999     99.9 % used, the free 0.1 % at random; op = alloc (batch 4096)
 *   run512   base 1 MiB, one used frame in half the 2 MiB blocks;
 *            op = alloc_run(512, 9) (batch 64)
 *   run512r  the same with a used frame in 99.9 % of the blocks (batch 16)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frame_alloc.h"
#include "simd.h"

#define N (UINT64_C(1) << 24)

static const struct fa_ops *ops;
static void *state;
static uint64_t base, pas[4096];
static unsigned long long seed = 42;

static uint64_t rnd(void)
{
    unsigned long long z = (seed += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int is(const char *sc, const char *name) { return strcmp(sc, name) == 0; }
static int is_run(const char *sc) { return strncmp(sc, "run512", 6) == 0; }

enum op { OP_ALLOC_FREE, OP_ALLOC, OP_RUN512 };

static enum op op_of(const char *sc) { return is(sc, "worst") ? OP_ALLOC_FREE : is_run(sc) ? OP_RUN512 : OP_ALLOC; }

/* The measured batch: the only code callgrind collects.  One loop per kind,
 * so the loop itself adds a compare and a call per op, nothing more. */
__attribute__((noinline)) void probe_ops(enum op op, unsigned k)
{
    fa_err e = FA_OK;
    unsigned i = 0;
    if (op == OP_ALLOC_FREE)
        for (; i < k && e == FA_OK; i++)
            if ((e = ops->alloc(state, &pas[0])) == FA_OK)
                e = ops->free(state, pas[0]);
    if (op == OP_ALLOC)
        for (; i < k && e == FA_OK; i++)
            e = ops->alloc(state, &pas[i]);
    if (op == OP_RUN512)
        for (; i < k && e == FA_OK; i++)
            e = ops->alloc_run(state, 512, 9, &pas[i]);
    if (e != FA_OK) {
        fprintf(stderr, "%s: op %u: %s\n", ops->name, i - 1, fa_strerror(e));
        exit(1);
    }
}

static void undo(const char *sc, unsigned k)
{
    for (unsigned i = 0; !is(sc, "worst") && i < k; i++)
        ops->free_run(state, pas[i], is_run(sc) ? 512 : 1);
}

/* Builds the scenario's occupancy; returns the batch size. */
static unsigned setup(const char *sc)
{
    if (is(sc, "worst"))
        return ops->reserve(state, base, N - 1), 64;
    if (is(sc, "p999")) {
        ops->reserve(state, base, N);
        for (uint64_t freed = 0; freed < N / 1000;)
            freed += ops->free(state, base + rnd() % N * FA_FRAME_SIZE) == FA_OK;
    }
    if (is_run(sc)) {
        unsigned used_per_mille = sc[6] ? 999 : 500;
        for (uint64_t b = 256; b + 512 <= N; b += 512) /* index 256 is the first 2 MiB boundary */
            if (rnd() % 1000 < used_per_mille)
                ops->reserve(state, base + (b + rnd() % 512) * FA_FRAME_SIZE, 1);
        return sc[6] ? 16 : 64;
    }
    return 4096;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3 || !(ops = fa_find(argv[1])) ||
        !(is(argv[2], "worst") || is(argv[2], "empty") || is(argv[2], "p999") || is(argv[2], "run512") ||
          is(argv[2], "run512r"))) {
        fprintf(stderr, "usage: scan_probe STRATEGY worst|empty|p999|run512|run512r [reps]\n");
        return 2;
    }
    const char *sc = argv[2], *path = getenv("PROBE_SIMD_PATH");
    int reps = argc > 3 ? atoi(argv[3]) : 21;
    base = is_run(sc) ? UINT64_C(1) << 20 : 0;
    size_t bytes = ops->state_size(N);
    state = aligned_alloc(FA_STATE_ALIGN, (bytes + FA_STATE_ALIGN - 1) / FA_STATE_ALIGN * FA_STATE_ALIGN);
    fa_err e = path && is(ops->name, "simd") ? fa_simd_init_path(state, bytes, base, N, atoi(path))
                                             : ops->init(state, bytes, base, N);
    if (!state || reps < 1 || e != FA_OK) {
        fprintf(stderr, "scan_probe: init: %s\n", fa_strerror(e));
        return 1;
    }
    unsigned k = setup(sc);
    if (getenv("PROBE_COUNT")) {
        probe_ops(op_of(sc), k);
        printf("%u ops\n", k);
        return 0;
    }
    double *ns = malloc(reps * sizeof *ns);
    probe_ops(op_of(sc), k); /* warm the caches */
    undo(sc, k);
    for (int r = 0; r < reps; r++) {
        double t0 = now_ns();
        probe_ops(op_of(sc), k);
        ns[r] = (now_ns() - t0) / k;
        undo(sc, k);
    }
    if (ops->check(state) != FA_OK)
        fprintf(stderr, "scan_probe: check failed\n");
    qsort(ns, reps, sizeof *ns, by_value);
    printf("%-9s %-8s ns/op median %9.1f  min %9.1f  max %9.1f  (%d reps x %u ops)\n", ops->name, sc,
           ns[reps / 2], ns[0], ns[reps - 1], reps, k);
    free(ns);
    free(state);
    return 0;
}
