/*
 * test_threaded_cells: the threaded executor (bench/threaded/) runs every
 * threaded pattern for every thread-safe strategy at one and two threads,
 * and nextfit (the unlocked yardstick) at one, with figures that make
 * sense; it fails a repetition whose region is not whole after it.
 * Labelled `threads`: ./test.sh runs it under ThreadSanitizer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strategies.h"
#include "threaded.h"

/* lockfree, but one frame short in its count: a lost frame. */
static uint64_t short_free_frames(const void *s) { return fa_lockfree_mt_ops.free_frames(s) - 1; }

static void run_twice(const struct fb_tspec *s, const char *name)
{
    for (int rep = 0; rep < 2; rep++) {
        struct fb_trep r;
        char err[FB_T_ERROR];
        int rc = fb_threaded_rep(s, &r, err, sizeof err);
        EXPECT(rc == 0, "%s/%s/threads:%u: %s", s->pt->name, name, s->threads, err);
        if (rc != 0)
            return;
        const double *t = r.thread_ns;
        EXPECT(r.ns[s->pt->headline] > 0 && r.ops_per_s > 0, "%s/%s/threads:%u: %g ns, %g ops/s", s->pt->name, name,
               s->threads, r.ns[s->pt->headline], r.ops_per_s);
        EXPECT(0 < t[0] && t[0] <= t[1] && t[1] <= t[2] && t[1] == r.ns[s->pt->headline],
               "%s/%s/threads:%u: threads %g %g %g", s->pt->name, name, s->threads, t[0], t[1], t[2]);
    }
}

int main(void)
{
    unsigned cpus = fb_threaded_cpus();
    for (const struct fb_tpattern *const *p = fb_tpatterns; *p; p++) {
        for (const struct fa_mt_ops *const *m = fa_mt_strategies; *m; m++)
            for (unsigned threads = 1; threads <= 2 && threads <= cpus; threads++) {
                if ((*p)->needs_runs && !(*m)->alloc_run)
                    continue;
                struct fb_tspec s = {.pt = *p, .mt = *m, .nframes = 16384, .threads = threads};
                run_twice(&s, (*m)->name);
            }
        struct fb_tspec yard = {.pt = *p, .st = &fa_nextfit_ops, .nframes = 16384, .threads = 1};
        run_twice(&yard, "nextfit");
    }
    /* A strategy that loses a frame fails its repetition. */
    struct fa_mt_ops lossy = fa_lockfree_mt_ops;
    lossy.free_frames = short_free_frames;
    struct fb_tspec bad = {.pt = fb_tpatterns[0], .mt = &lossy, .nframes = 16384, .threads = 1};
    struct fb_trep r;
    char err[FB_T_ERROR];
    EXPECT(fb_threaded_rep(&bad, &r, err, sizeof err) != 0 && strstr(err, "frames free"), "a lost frame: '%s'", err);
    /* More threads than the executor takes: refused, with the count. */
    struct fb_tspec many = {
        .pt = fb_tpatterns[0], .mt = fa_mt_strategies[0], .nframes = 16384, .threads = FB_T_MAX_THREADS + 1};
    EXPECT(fb_threaded_rep(&many, &r, err, sizeof err) != 0 && strstr(err, "65 threads"), "too many: '%s'", err);
    return check_report();
}
