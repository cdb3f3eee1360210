/*
 * differential.c: seeded random sequences of alloc, alloc_run, free,
 * free_run, reserve and bad calls, applied to every strategy and to the
 * byte-per-frame model (differ.c compares them after every step).  The
 * generator swings occupancy from empty to full and back, so every strategy
 * meets its full, empty and fragmented states, at sizes around each summary
 * boundary and at bases 0, 1 MiB and an odd frame.
 *
 */
#include <stdlib.h>
#include <string.h>

#include "differ.h"
#include "suites.h"

static const uint64_t sizes[] = {1, 2, 63, 64, 65, 127, 1000, 4095, 4096, 4097, 3 * 4096 + 77};
static const uint64_t bases[] = {0, UINT64_C(1) << 20, UINT64_C(0x12345) << FA_FRAME_SHIFT};
static const uint64_t run_counts[] = {1, 2, 3, 4, 7, 8, 16, 63, 64, 65, 100, 512};

static uint64_t rnd(unsigned long long *seed, uint64_t bound) { return check_rand(seed) % bound; }

/* A random frame index whose model state is `used`, or UINT64_MAX. */
static uint64_t pick(const struct differ *d, unsigned long long *seed, int used)
{
    uint64_t n = d->fx.nframes, start = rnd(seed, n);
    for (uint64_t k = 0; k < n; k++) {
        uint64_t i = (start + k) % n;
        if (d->model.used[i] == used)
            return i;
    }
    return UINT64_MAX;
}

/* Frees a run of used frames from a random used frame, 1 to 16 long. */
static void free_some(struct differ *d, unsigned long long *seed)
{
    uint64_t i = pick(d, seed, 1);
    if (i == UINT64_MAX)
        return;
    uint64_t want = 1 + rnd(seed, 16), len = 1;
    while (len < want && i + len < d->fx.nframes && d->model.used[i + len])
        len++;
    differ_free(d, differ_addr(d, i), len);
}

/* Calls that must be refused: double free, misaligned, outside, partly free. */
static void bad_call(struct differ *d, unsigned long long *seed)
{
    uint64_t n = d->fx.nframes;
    switch (rnd(seed, 7)) {
    case 0: {
        uint64_t i = pick(d, seed, 0);
        if (i != UINT64_MAX)
            differ_free(d, differ_addr(d, i), 1);
        break;
    }
    case 1: differ_free(d, differ_addr(d, rnd(seed, n)) + 1 + rnd(seed, FA_FRAME_SIZE - 1), 1); break;
    case 2: differ_free(d, differ_addr(d, n + rnd(seed, 3)), 1 + rnd(seed, 2)); break;
    case 3: differ_free(d, d->fx.base - FA_FRAME_SIZE * (1 + rnd(seed, 2)), 1); break;
    case 4: differ_free(d, differ_addr(d, rnd(seed, n)), 2 + rnd(seed, 64)); break; /* often partly free */
    case 5: differ_reserve(d, differ_addr(d, rnd(seed, n)), 0); break;
    default: differ_alloc_run(d, rnd(seed, 2) ? 0 : 1, rnd(seed, 2) ? 0 : FA_MAX_ALIGN_ORDER + 1 + rnd(seed, 20));
    }
}

/* Replays the first k of `calls` on a fresh state, quietly: 1 if the
 * strategy and the model disagree.  The counts of checks are left as they
 * were: a replay is a search, not a test. */
static int replay_fails(const struct fa_ops *ops, const struct traits *t, uint64_t n, uint64_t base,
                        const struct differ_call *calls, size_t k)
{
    unsigned long passed = check_passed, failed = check_failed;
    int quiet = check_quiet;
    check_quiet = 1;
    struct differ d;
    differ_open(&d, ops, t, base, n);
    for (size_t i = 0; i < k && d.fails == 0; i++)
        differ_apply(&d, &calls[i]);
    int fails = d.fails > 0;
    differ_close(&d);
    check_passed = passed, check_failed = failed, check_quiet = quiet;
    return fails;
}

/* A failing case's calls, up to the first disagreement, reduced by
 * removing chunks of ever smaller size while the rest still fails (delta
 * debugging): the short sequence a person can read.  Cases over
 * REDUCE_MAX calls are left at their seed. */
#define REDUCE_MAX 4000
#define REDUCE_REPLAYS 20000
static void report_reduced(const struct fa_ops *ops, const struct traits *t, uint64_t n, uint64_t base,
                           const struct differ *d)
{
    size_t len = d->first_fail;
    if (len == 0 || len > REDUCE_MAX || !d->log) {
        fprintf(stderr, "  (%zu calls to the first disagreement: not reduced)\n", len);
        return;
    }
    struct differ_call *calls = malloc(len * sizeof *calls);
    if (!calls)
        return;
    memcpy(calls, d->log, len * sizeof *calls);
    if (!replay_fails(ops, t, n, base, calls, len)) {
        fprintf(stderr, "  (the failure does not repeat from a fresh state: not reduced)\n");
        free(calls);
        return;
    }
    size_t replays = 0;
    for (size_t chunk = len / 2; chunk >= 1 && replays < REDUCE_REPLAYS; chunk /= 2) {
        for (size_t i = 0; i + chunk <= len && replays < REDUCE_REPLAYS;) {
            struct differ_call *trial = malloc(len * sizeof *trial);
            if (!trial)
                break;
            memcpy(trial, calls, i * sizeof *trial);
            memcpy(trial + i, calls + i + chunk, (len - i - chunk) * sizeof *trial);
            replays++;
            if (len - chunk > 0 && replay_fails(ops, t, n, base, trial, len - chunk)) {
                free(calls);
                calls = trial;
                len -= chunk;
            } else {
                free(trial);
                i += chunk;
            }
        }
    }
    fprintf(stderr, "  %zu call%s on a fresh %s state (n=%llu base=%#llx) reproduce%s it:\n", len, len == 1 ? "" : "s",
            ops->name, (unsigned long long)n, (unsigned long long)base, len == 1 ? "s" : "");
    for (size_t i = 0; i < len; i++) {
        char text[96];
        differ_call_text(&calls[i], text, sizeof text);
        fprintf(stderr, "    %s\n", text);
    }
    free(calls);
}

static void run_case(const struct fa_ops *ops, const struct traits *t, uint64_t n, uint64_t base, unsigned long steps,
                     unsigned long long seed)
{
    unsigned long before = check_failed;
    unsigned long long case_seed = seed;
    struct differ d;
    differ_open(&d, ops, t, base, n);
    differ_record(&d);
    int filling = 1;
    for (unsigned long s = 0; s < steps && d.fails == 0; s++) {
        uint64_t used = n - d.model.nfree;
        if (filling && used * 100 >= n * 97)
            filling = 0;
        else if (!filling && used * 100 <= n * 3)
            filling = 1;
        unsigned r = (unsigned)rnd(&seed, 100);
        unsigned grow = filling ? 70 : 25; /* percent of steps that allocate */
        if (r < grow / 2)
            differ_alloc(&d);
        else if (r < grow - 5)
            differ_alloc_run(&d, run_counts[rnd(&seed, sizeof run_counts / sizeof run_counts[0])],
                             (unsigned)rnd(&seed, 10));
        else if (r < grow)
            differ_reserve(&d, differ_addr(&d, rnd(&seed, n)), 1 + rnd(&seed, 8));
        else if (r < 92)
            free_some(&d, &seed);
        else
            bad_call(&d, &seed);
    }
    if (check_failed > before) {
        fprintf(stderr, "finding: %s n=%llu base=%#llx, the case of seed %llu, at step %lu\n", ops->name,
                (unsigned long long)n, (unsigned long long)base, case_seed, d.step);
        report_reduced(ops, t, n, base, &d);
    }
    differ_close(&d);
}

void differential_suite(const struct fa_ops *ops, const struct traits *t, unsigned long steps, unsigned long long seed0)
{
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (size_t bi = 0; bi < sizeof bases / sizeof bases[0]; bi++)
            for (unsigned long long k = 0; k < 2; k++)
                run_case(ops, t, sizes[si], bases[bi], steps, seed0 * 1000003 + si * 31 + bi * 7 + k);
}
