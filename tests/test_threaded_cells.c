/*
 * test_threaded_cells: the threaded cells' runner (bench/threaded/) runs
 * every pattern for every thread-safe strategy at one and two threads with
 * figures that make sense, and fails a cell whose region is not whole after
 * a repetition.  Labelled `threads`: ./test.sh runs it under ThreadSanitizer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strategies.h"
#include "threaded.h"

/* lockfree, but one frame short in its count: a lost frame. */
static uint64_t short_free_frames(const void *s) { return fa_lockfree_mt_ops.free_frames(s) - 1; }

int main(void)
{
    static const uint64_t sizes[] = {16384, 0};
    static const unsigned threads[] = {1, 2, 0};
    struct fb_topts o = {.sizes = sizes, .matrix = "tiny", .threads = threads, .repetitions = 2};
    struct fb_tcell *cells;
    char err[256];
    long n = fb_threaded_build(&o, &cells, err, sizeof err);
    EXPECT(n > 0, "build: %s", err);
    size_t failed = fb_threaded_run(cells, (size_t)n, &o);
    EXPECT(failed == 0, "%zu cells failed", failed);
    unsigned cpus = fb_threaded_cpus();
    for (long i = 0; i < n; i++) {
        const struct fb_tcell *c = &cells[i];
        if (c->threads > cpus) {
            EXPECT(c->skip[0] != 0, "%s: more threads than CPUs, not skipped", c->name);
            continue;
        }
        EXPECT(!c->error[0] && c->nreps == 2, "%s: %s", c->name, c->error);
        double med, lo, hi, ops;
        fb_tcell_spread(c, &med, &lo, &hi, &ops);
        EXPECT(0 < lo && lo <= med && med <= hi && ops > 0, "%s: ns %g [%g-%g], %g ops/s", c->name, med, lo, hi,
               ops);
        EXPECT(0 < c->thread_min && c->thread_min <= c->thread_median && c->thread_median <= c->thread_max,
               "%s: threads %g %g %g", c->name, c->thread_min, c->thread_median, c->thread_max);
        EXPECT(c->mt || c->threads == 1, "%s: a single-threaded strategy at %u threads", c->name, c->threads);
    }
    /* A strategy that loses a frame fails its cell. */
    struct fa_mt_ops lossy = fa_lockfree_mt_ops;
    lossy.free_frames = short_free_frames;
    struct fb_tcell bad = *cells;
    bad.mt = &lossy;
    bad.st = NULL;
    bad.error[0] = 0;
    bad.nreps = 0;
    EXPECT(fb_threaded_run(&bad, 1, &o) == 1 && strstr(bad.error, "frames free"), "a lost frame: '%s'", bad.error);
    free(cells);
    return check_report();
}
