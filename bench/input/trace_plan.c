/*
 * trace_plan.c: fb_replay_prepare, the untimed half of the replay.  One pass
 * over the events with an open-addressing map from trace pfn to the slot of
 * the alloc that got it; slots are never reused, so the map needs no
 * deletion: a slot's `live` flag says whether the pfn is still allocated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_replay.h"

#define NO_SLOT UINT32_MAX

struct pfn_map {
    uint64_t *pfn;
    uint32_t *slot; /* NO_SLOT: empty entry */
    size_t mask;
};

static int map_open(struct pfn_map *m, size_t keys)
{
    size_t cap = 16;
    while (cap < 2 * keys) /* load factor at most 1/2: short probes */
        cap *= 2;
    m->pfn = malloc(cap * sizeof *m->pfn);
    m->slot = malloc(cap * sizeof *m->slot);
    m->mask = cap - 1;
    if (!m->pfn || !m->slot)
        return -1;
    memset(m->slot, 0xff, cap * sizeof *m->slot);
    return 0;
}

static void map_close(struct pfn_map *m)
{
    free(m->pfn);
    free(m->slot);
}

/* The entry for pfn: its slot, or the empty entry where it would go. */
static size_t map_find(const struct pfn_map *m, uint64_t pfn)
{
    size_t i = (size_t)((pfn * UINT64_C(0x9e3779b97f4a7c15)) >> 20) & m->mask;
    while (m->slot[i] != NO_SLOT && m->pfn[i] != pfn)
        i = (i + 1) & m->mask;
    return i;
}

static uint64_t round_up(uint64_t x, uint64_t to) { return (x + to - 1) / to * to; }

static uint64_t auto_region(uint64_t peak)
{
    uint64_t n = round_up(peak * FB_REPLAY_HEADROOM, FB_REPLAY_ROUND);
    return n < FB_REPLAY_MIN_FRAMES ? FB_REPLAY_MIN_FRAMES : n;
}

/* Scratch of prepare: per slot, its order and whether the trace still holds it. */
struct slots {
    uint8_t *order, *live;
};

static void emit(struct fb_replay_plan *p, uint32_t slot, int is_free, uint8_t order)
{
    p->ops[p->nops++] = (struct fb_replay_op){.slot = slot, .free = (uint8_t)is_free, .order = order};
}

static void plan_events(struct fb_replay_plan *p, const struct fb_event *ev, size_t n, struct pfn_map *m,
                        struct slots *s)
{
    uint64_t live = 0;
    for (size_t i = 0; i < n; i++) {
        size_t e = map_find(m, ev[i].pfn);
        uint32_t old = m->slot[e];
        int old_live = old != NO_SLOT && s->live[old];
        if (old_live) { /* alloc of a live pfn, or its free: release old */
            emit(p, old, 1, s->order[old]);
            s->live[old] = 0;
            live -= UINT64_C(1) << s->order[old];
        }
        if (ev[i].kind == FB_EVENT_FREE) {
            p->frees += old_live;
            p->skipped_frees += !old_live;
            continue;
        }
        p->implied_frees += old_live;
        uint32_t slot = (uint32_t)p->nslots++;
        s->order[slot] = ev[i].order;
        s->live[slot] = 1;
        m->pfn[e] = ev[i].pfn;
        m->slot[e] = slot;
        emit(p, slot, 0, ev[i].order);
        live += UINT64_C(1) << ev[i].order;
        if (live > p->peak_live_frames)
            p->peak_live_frames = live;
    }
}

int fb_replay_prepare(const struct fb_event *events, size_t n, uint64_t region_frames, struct fb_replay_plan *plan,
                      char *err, size_t errlen)
{
    memset(plan, 0, sizeof *plan);
    size_t allocs = 0;
    for (size_t i = 0; i < n; i++)
        allocs += events[i].kind == FB_EVENT_ALLOC;
    if (allocs >= NO_SLOT) {
        snprintf(err, errlen, "trace has %zu allocations; the replay handles fewer than 2^32", allocs);
        return -1;
    }
    /* Without an alloc there is nothing to replay (frees of pages never seen
     * allocated are skipped): a cycle of no events would never end. */
    if (allocs == 0) {
        snprintf(err, errlen,
                 "no replayable event: %zu events read, none of them an allocation "
                 "(kmem:mm_page_alloc ... pfn=0x... order=N)",
                 n);
        return -1;
    }
    /* Each alloc emits at most two ops (an implied free and itself), each
     * free at most one. */
    plan->ops = malloc((n + allocs + 1) * sizeof *plan->ops);
    plan->addr = malloc((allocs + 1) * sizeof *plan->addr);
    struct slots s = {malloc(allocs + 1), malloc(allocs + 1)};
    struct pfn_map m = {0};
    int ok = plan->ops && plan->addr && s.order && s.live && map_open(&m, allocs) == 0;
    if (ok) {
        plan->events = n;
        plan->allocs = allocs;
        plan_events(plan, events, n, &m, &s);
        plan->base = FB_BASE;
        plan->region_frames = region_frames ? region_frames : auto_region(plan->peak_live_frames);
    }
    map_close(&m);
    free(s.order);
    free(s.live);
    if (!ok) {
        fb_replay_plan_free(plan);
        snprintf(err, errlen, "out of memory planning a replay of %zu events", n);
        return -1;
    }
    return 0;
}

void fb_replay_plan_free(struct fb_replay_plan *plan)
{
    free(plan->ops);
    free(plan->addr);
    memset(plan, 0, sizeof *plan);
}

double fb_replay_peak_occupancy(const struct fb_replay_plan *plan)
{
    return plan->region_frames ? (double)plan->peak_live_frames / (double)plan->region_frames : 0.0;
}

int fb_replay_load(const char *path, unsigned read_flags, uint64_t region_frames, struct fb_replay_plan *plan,
                   struct fb_trace *trace_out, char *err, size_t errlen)
{
    struct fb_trace t;
    memset(plan, 0, sizeof *plan);
    if (fb_trace_read(path, read_flags, &t, err, errlen) != 0)
        return -1;
    int rc = fb_replay_prepare(t.events, t.count, region_frames, plan, err, errlen);
    if (rc != 0 && strncmp(err, "no replayable", 13) == 0) { /* name the file */
        char why[512];
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, errlen, "%s: %s", path, why);
    }
    free(t.events);
    t.events = NULL;
    if (trace_out)
        *trace_out = t;
    return rc;
}
