/*
 * test_replay.c: the committed perf trace (98 345 events of a parallel gcc
 * build) read, planned and replayed through every strategy.  Expected figures
 * come from grep/uniq counts and an independent Python replay of the same
 * matching rules, as each comment says.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input_test.h"
#include "trace_read.h"
#include "trace_replay.h"

static char err[1024];

/* Counted with zcat | grep -o 'kmem:...order=N' | sort | uniq -c:
 * allocs by order 54597 65 85 62 42 21 (sum 54872), frees 43468 1 3 1 (sum
 * 43473), 98345 lines, every one an event. */
static void test_real_trace_counts(const struct fb_trace *t)
{
    static const size_t alloc_orders[] = {54597, 65, 85, 62, 42, 21};
    static const size_t free_orders[] = {43468, 1, 3, 1, 0, 0};
    size_t hist[2][FB_TRACE_MAX_ORDER + 1] = {{0}};
    for (size_t i = 0; i < t->count; i++)
        hist[t->events[i].kind][t->events[i].order]++;
    EXPECT(t->count == 98345, "%zu events", t->count);
    EXPECT(t->lines == 98345 && t->comment_lines == 0 && t->skipped_lines == 0, "%zu lines, %zu comments, %zu skipped",
           t->lines, t->comment_lines, t->skipped_lines);
    EXPECT(t->failed_allocs == 0 && t->compressed == 1, "%zu failed, compressed %d", t->failed_allocs, t->compressed);
    for (unsigned o = 0; o < 6; o++) {
        EXPECT(hist[FB_EVENT_ALLOC][o] == alloc_orders[o], "order %u: %zu allocs", o, hist[FB_EVENT_ALLOC][o]);
        EXPECT(hist[FB_EVENT_FREE][o] == free_orders[o], "order %u: %zu frees", o, hist[FB_EVENT_FREE][o]);
    }
    EXPECT(t->events[0].kind == FB_EVENT_ALLOC && t->events[0].pfn == 0x104e6f && t->events[0].order == 0,
           "first event pfn %#llx", (unsigned long long)t->events[0].pfn);
    EXPECT(t->events[t->count - 1].kind == FB_EVENT_FREE && t->events[t->count - 1].pfn == 0x10a962,
           "last event pfn %#llx", (unsigned long long)t->events[t->count - 1].pfn);
}

/* From an independent Python replay of the same matching rules: 43221 frees
 * match a live alloc, 252 free a pfn never seen allocated, 157 allocs hit a
 * pfn still live (implied free), peak 25144 live frames, 13513 frames live
 * at the end.  Region: 2 * 25144 = 50288, up to a multiple of 512 = 50688. */
static void test_real_trace_plan(const struct fb_replay_plan *p)
{
    EXPECT(p->events == 98345 && p->allocs == 54872, "%llu events, %llu allocs", (unsigned long long)p->events,
           (unsigned long long)p->allocs);
    EXPECT(p->frees == 43221 && p->skipped_frees == 252 && p->implied_frees == 157,
           "frees %llu skipped %llu implied %llu", (unsigned long long)p->frees, (unsigned long long)p->skipped_frees,
           (unsigned long long)p->implied_frees);
    EXPECT(p->peak_live_frames == 25144, "peak %llu", (unsigned long long)p->peak_live_frames);
    EXPECT(p->region_frames == 50688, "region %llu", (unsigned long long)p->region_frames);
    EXPECT(p->nops == 54872 + 43221 + 157, "%zu ops", p->nops);
    EXPECT(p->nslots == 54872, "%zu slots", p->nslots);
}

/* Every strategy replays the whole trace with no refused request; the frames
 * still allocated at the end are exactly the 13513 the trace leaves live.
 * A strategy without alloc_run cannot serve the 275 allocs of order > 0
 * (65 + 85 + 62 + 42 + 21); by the independent Python replay, 4 frees pair
 * with those and 2290 of the 13513 frames live at the end are theirs. */
static void test_replay_every_strategy(struct fb_replay_plan *p)
{
    for (const struct fa_ops *const *s = fa_strategies; *s; s++) {
        const struct fa_ops *ops = *s;
        int runs = ops->alloc_run != NULL;
        uint64_t unsupported = runs ? 0 : 275, dropped = runs ? 0 : 4, live = runs ? 13513 : 13513 - 2290;
        size_t bytes;
        void *state = state_for(ops, p->region_frames, &bytes);
        EXPECT(fb_replay_init(p, ops, state, bytes) == FA_OK, "%s: init", ops->name);
        struct fb_replay_result r;
        fb_replay_run(p, ops, state, &r);
        EXPECT(r.failed == 0 && r.unsupported == unsupported && r.free_errors == 0 && r.dropped_frees == dropped,
               "%s: failed %llu unsupported %llu free errors %llu dropped %llu", ops->name,
               (unsigned long long)r.failed, (unsigned long long)r.unsupported, (unsigned long long)r.free_errors,
               (unsigned long long)r.dropped_frees);
        EXPECT(ops->free_frames(state) == p->region_frames - live, "%s: %llu free", ops->name,
               (unsigned long long)ops->free_frames(state));
        EXPECT(ops->check(state) == FA_OK, "%s: check after replay", ops->name);
        check_state_free(state);
    }
}

/* A region smaller than the peak (16384 < 25144) must make requests fail,
 * be counted, and leave the state consistent. */
static void test_replay_too_small(const struct fb_event *ev, size_t n)
{
    struct fb_replay_plan p;
    EXPECT(fb_replay_prepare(ev, n, 16384, &p, err, sizeof err) == 0, "%s", err);
    const struct fa_ops *ops = fa_find("ctz");
    size_t bytes;
    void *state = state_for(ops, p.region_frames, &bytes);
    EXPECT(fb_replay_init(&p, ops, state, bytes) == FA_OK, "init");
    struct fb_replay_result r;
    fb_replay_run(&p, ops, state, &r);
    EXPECT(r.failed > 0 && r.dropped_frees > 0 && r.free_errors == 0, "failed %llu dropped %llu free errors %llu",
           (unsigned long long)r.failed, (unsigned long long)r.dropped_frees, (unsigned long long)r.free_errors);
    EXPECT(ops->check(state) == FA_OK, "check after failures");
    check_state_free(state);
    fb_replay_plan_free(&p);
}

/* Without alloc_run, the 275 allocs of order 1 to 5 (65+85+62+42+21) are
 * unsupported and the 4 releases of such allocs are dropped. */
static void test_replay_without_runs(struct fb_replay_plan *p)
{
    struct fa_ops single = *fa_find("ctz");
    single.alloc_run = NULL;
    single.free_run = NULL;
    size_t bytes;
    void *state = state_for(&single, p->region_frames, &bytes);
    EXPECT(fb_replay_init(p, &single, state, bytes) == FA_OK, "init");
    struct fb_replay_result r;
    fb_replay_run(p, &single, state, &r);
    EXPECT(r.unsupported == 275 && r.dropped_frees == 4 && r.failed == 0 && r.free_errors == 0,
           "unsupported %llu dropped %llu failed %llu", (unsigned long long)r.unsupported,
           (unsigned long long)r.dropped_frees, (unsigned long long)r.failed);
    EXPECT(single.check(state) == FA_OK, "check");
    check_state_free(state);
}

static void test_real_trace(void)
{
    struct fb_trace t;
    if (fb_trace_read(GCC_TRACE, 0, &t, err, sizeof err) != 0) {
        EXPECT(0, "%s", err);
        return;
    }
    test_real_trace_counts(&t);
    struct fb_replay_plan p;
    EXPECT(fb_replay_prepare(t.events, t.count, 0, &p, err, sizeof err) == 0, "%s", err);
    test_real_trace_plan(&p);
    EXPECT(fb_replay_peak_occupancy(&p) > 0.496 && fb_replay_peak_occupancy(&p) < 0.4961, "occupancy %f",
           fb_replay_peak_occupancy(&p));
    test_replay_every_strategy(&p);
    test_replay_without_runs(&p);
    test_replay_too_small(t.events, t.count);
    fb_replay_plan_free(&p);
    fb_trace_free(&t);
}

int main(void)
{
    test_real_trace();
    return check_report();
}
