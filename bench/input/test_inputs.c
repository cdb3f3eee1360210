/*
 * test_inputs.c: the trace reader, the replay and the memory-map readers
 * against the committed real inputs (exact figures worked out by hand or by
 * an independent script, as each comment says) and against bad input made
 * on the spot.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "frame_alloc.h"
#include "memmap_read.h"
#include "trace_read.h"
#include "trace_replay.h"

#define DATA FB_INPUT_DATA
#define GCC_TRACE DATA "/traces/gcc-build.perf.txt.gz"

static char err[1024];

/* A temporary file holding `len` bytes of `text`; its path in a static
 * buffer (one at a time is enough). */
static const char *temp_file(const void *text, size_t len)
{
    static char path[64];
    snprintf(path, sizeof path, "fb-input-test-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
        perror("temp file");
        exit(2);
    }
    close(fd);
    return path;
}

static const char *temp_text(const char *text) { return temp_file(text, strlen(text)); }

static int contains(const char *haystack, const char *needle) { return strstr(haystack, needle) != NULL; }

/* ---- the real perf trace ------------------------------------------------ */

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
    EXPECT(t->lines == 98345 && t->comment_lines == 0 && t->skipped_lines == 0,
           "%zu lines, %zu comments, %zu skipped", t->lines, t->comment_lines, t->skipped_lines);
    EXPECT(t->failed_allocs == 0 && t->compressed == 1, "%zu failed, compressed %d",
           t->failed_allocs, t->compressed);
    for (unsigned o = 0; o < 6; o++) {
        EXPECT(hist[FB_EVENT_ALLOC][o] == alloc_orders[o], "order %u: %zu allocs", o,
               hist[FB_EVENT_ALLOC][o]);
        EXPECT(hist[FB_EVENT_FREE][o] == free_orders[o], "order %u: %zu frees", o,
               hist[FB_EVENT_FREE][o]);
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
    EXPECT(p->events == 98345 && p->allocs == 54872, "%llu events, %llu allocs",
           (unsigned long long)p->events, (unsigned long long)p->allocs);
    EXPECT(p->frees == 43221 && p->skipped_frees == 252 && p->implied_frees == 157,
           "frees %llu skipped %llu implied %llu", (unsigned long long)p->frees,
           (unsigned long long)p->skipped_frees, (unsigned long long)p->implied_frees);
    EXPECT(p->peak_live_frames == 25144, "peak %llu", (unsigned long long)p->peak_live_frames);
    EXPECT(p->region_frames == 50688, "region %llu", (unsigned long long)p->region_frames);
    EXPECT(p->nops == 54872 + 43221 + 157, "%zu ops", p->nops);
    EXPECT(p->nslots == 54872, "%zu slots", p->nslots);
}

static void *state_for(const struct fa_ops *ops, uint64_t nframes, size_t *bytes)
{
    *bytes = ops->state_size(nframes);
    return check_state_alloc(*bytes);
}

/* Every strategy replays the whole trace with no refused request; the frames
 * still allocated at the end are exactly the 13513 the trace leaves live. */
static void test_replay_every_strategy(struct fb_replay_plan *p)
{
    for (const struct fa_ops *const *s = fa_strategies; *s; s++) {
        const struct fa_ops *ops = *s;
        size_t bytes;
        void *state = state_for(ops, p->region_frames, &bytes);
        EXPECT(fb_replay_init(p, ops, state, bytes) == FA_OK, "%s: init", ops->name);
        struct fb_replay_result r;
        fb_replay_run(p, ops, state, &r);
        EXPECT(r.failed == 0 && r.unsupported == 0 && r.free_errors == 0 && r.dropped_frees == 0,
               "%s: failed %llu unsupported %llu free errors %llu dropped %llu", ops->name,
               (unsigned long long)r.failed, (unsigned long long)r.unsupported,
               (unsigned long long)r.free_errors, (unsigned long long)r.dropped_frees);
        EXPECT(ops->free_frames(state) == p->region_frames - 13513, "%s: %llu free", ops->name,
               (unsigned long long)ops->free_frames(state));
        EXPECT(ops->check(state) == FA_OK, "%s: check after replay", ops->name);
        free(state);
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
    EXPECT(r.failed > 0 && r.dropped_frees > 0 && r.free_errors == 0,
           "failed %llu dropped %llu free errors %llu", (unsigned long long)r.failed,
           (unsigned long long)r.dropped_frees, (unsigned long long)r.free_errors);
    EXPECT(ops->check(state) == FA_OK, "check after failures");
    free(state);
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
    free(state);
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
    EXPECT(fb_replay_peak_occupancy(&p) > 0.496 && fb_replay_peak_occupancy(&p) < 0.4961,
           "occupancy %f", fb_replay_peak_occupancy(&p));
    test_replay_every_strategy(&p);
    test_replay_without_runs(&p);
    test_replay_too_small(t.events, t.count);
    fb_replay_plan_free(&p);
    fb_trace_free(&t);
}

/* ---- trace text shapes and bad input ------------------------------------ */

/* ftrace-sample.txt: 12 header lines; allocs 0x104e6f/0, 0x11f940/2, a
 * failed one (page zero), 0x11f940/3; frees of both, one of 0x200000 never
 * allocated.  Live: 1, 5, 4, 0, 8: peak 8. */
static void test_ftrace_sample(void)
{
    struct fb_trace t;
    if (fb_trace_read(DATA "/traces/ftrace-sample.txt", 0, &t, err, sizeof err) != 0) {
        EXPECT(0, "%s", err);
        return;
    }
    EXPECT(t.count == 6 && t.comment_lines == 12 && t.failed_allocs == 1 && !t.compressed,
           "%zu events %zu comments %zu failed", t.count, t.comment_lines, t.failed_allocs);
    EXPECT(t.events[1].pfn == 0x11f940 && t.events[1].order == 2, "second event");
    EXPECT(t.events[5].kind == FB_EVENT_ALLOC && t.events[5].order == 3, "last event");
    struct fb_replay_plan p;
    struct fb_trace counts;
    EXPECT(fb_replay_load(DATA "/traces/ftrace-sample.txt", 0, 0, &p, &counts, err, sizeof err) == 0,
           "%s", err);
    EXPECT(counts.count == 6 && counts.events == NULL && counts.failed_allocs == 1, "load counts");
    EXPECT(p.frees == 2 && p.skipped_frees == 1 && p.peak_live_frames == 8 && p.region_frames == 16384,
           "frees %llu skipped %llu peak %llu region %llu", (unsigned long long)p.frees,
           (unsigned long long)p.skipped_frees, (unsigned long long)p.peak_live_frames,
           (unsigned long long)p.region_frames);
    fb_replay_plan_free(&p);
    fb_trace_free(&t);
}

static const char good_alloc[] =
    " cc1 7 [000] 1.000001: kmem:mm_page_alloc: page=0x1000 pfn=0x1000 order=1 migratetype=0 gfp_flags=GFP_KERNEL\n";

static void test_trace_shapes(void)
{
    /* Decimal pfn (kernels before 4.14), "(nil)" page, a comm with blanks. */
    const char *path = temp_text("x y 7 [000] 1.0: kmem:mm_page_alloc: page=0x10 pfn=4096 order=0 gfp_flags=X\n"
                                 "x 7 [000] 1.0: kmem:mm_page_alloc: page=(nil) pfn=0x0 order=3 gfp_flags=X\n"
                                 "x 7 [000] 1.0: mm_page_alloc: page=          (null) pfn=0x0 order=0\n"
                                 "\n   # a comment\n"
                                 "x 7 [000] 1.0:  kmem:mm_page_free: page=0x1000 pfn=0x1000 order=0\n"
                                 "kmem:mm_page_alloc: page=0x2 pfn=0x2 order=0\n");
    struct fb_trace t;
    EXPECT(fb_trace_read(path, 0, &t, err, sizeof err) == 0, "%s", err);
    EXPECT(t.count == 3 && t.events[2].pfn == 2 && t.events[0].pfn == 4096 && t.events[1].kind == FB_EVENT_FREE &&
               t.events[1].pfn == 4096 && t.failed_allocs == 2 && t.comment_lines == 2,
           "%zu events, %zu failed, %zu comments", t.count, t.failed_allocs, t.comment_lines);
    fb_trace_free(&t);
    unlink(path);
}

/* `text` must fail to read, with `path:line:` and `snippet` in the message. */
static void expect_trace_error(const char *text, unsigned flags, int line, const char *snippet)
{
    const char *path = temp_text(text);
    char where[128];
    snprintf(where, sizeof where, "%s:%d: ", path, line);
    struct fb_trace t;
    int rc = fb_trace_read(path, flags, &t, err, sizeof err);
    EXPECT(rc == -1 && contains(err, where) && contains(err, snippet), "rc %d, message \"%s\"", rc,
           rc ? err : "");
    EXPECT(t.events == NULL && t.count == 0, "no events after an error");
    unlink(path);
}

static void test_trace_errors(void)
{
    char text[1024];
    snprintf(text, sizeof text, "%s%s CPU:1 [LOST 12 EVENTS]\n%s", good_alloc, good_alloc, good_alloc);
    expect_trace_error(text, 0, 3, "CPU:1 [LOST 12 EVENTS]");
    snprintf(text, sizeof text, "%s x 1 [0] 1.0: kmem:mm_page_free_batched: page=0x1 pfn=0x1 order=0\n",
             good_alloc);
    expect_trace_error(text, 0, 2, "mm_page_free_batched");
    /* Damaged events are errors even in skip mode. */
    expect_trace_error("x 1 [0] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0xzz order=0\n",
                       FB_TRACE_SKIP_UNKNOWN, 1, "pfn=0xzz");
    expect_trace_error("x 1 [0] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0x1 order=21\n",
                       FB_TRACE_SKIP_UNKNOWN, 1, "order=21");
    expect_trace_error("x 1 [0] 1.0: kmem:mm_page_free: page=0x1 order=0\n", FB_TRACE_SKIP_UNKNOWN, 1,
                       "without pfn=");
    expect_trace_error("\n\nx 1 [0] 1.0: kmem:mm_page_free: page=(nil) pfn=(nil) order=0\n", 0, 3,
                       "null page");

    /* Skip mode counts what it skips. */
    snprintf(text, sizeof text, "junk\n%sCPU:0 [LOST 3 EVENTS]\n%s", good_alloc, good_alloc);
    const char *path = temp_text(text);
    struct fb_trace t;
    EXPECT(fb_trace_read(path, FB_TRACE_SKIP_UNKNOWN, &t, err, sizeof err) == 0, "%s", err);
    EXPECT(t.count == 2 && t.skipped_lines == 2 && t.lines == 4, "%zu events %zu skipped",
           t.count, t.skipped_lines);
    fb_trace_free(&t);
    unlink(path);

    EXPECT(fb_trace_read("no/such/trace.txt", 0, &t, err, sizeof err) == -1 &&
               contains(err, "no/such/trace.txt: cannot open"), "%s", err);
}

/* The first half of the gzip'd trace is a damaged file, not a shorter trace. */
static void test_truncated_gzip(void)
{
    FILE *f = fopen(GCC_TRACE, "rb");
    static unsigned char buf[1 << 20];
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    EXPECT(n > 800000, "read %zu bytes of the trace", n);
    const char *path = temp_file(buf, n / 2);
    struct fb_trace t;
    int rc = fb_trace_read(path, FB_TRACE_SKIP_UNKNOWN, &t, err, sizeof err);
    EXPECT(rc == -1 && contains(err, path) && contains(err, "gzip"), "rc %d: %s", rc, rc ? err : "");
    unlink(path);
}

/* ---- memory maps --------------------------------------------------------- */

/* The map must read as `format` with `frames` usable whole frames in `ranges`
 * ranges, and ctz built from it must have exactly that many free frames. */
static void expect_map(const char *path, enum fb_memmap_format format, uint64_t frames,
                       size_t ranges, size_t warnings)
{
    struct fb_memmap m;
    if (fb_memmap_read(path, &m, err, sizeof err) != 0) {
        EXPECT(0, "%s", err);
        return;
    }
    EXPECT(m.format == format && m.count == ranges && m.warnings == warnings,
           "%s: format %d, %zu ranges, %zu warnings", path, m.format, m.count, m.warnings);
    EXPECT(m.usable_frames == frames, "%s: %llu usable frames", path,
           (unsigned long long)m.usable_frames);
    const struct fa_ops *ctz = fa_find("ctz");
    uint64_t base, nframes;
    EXPECT(fa_ranges_span(m.ranges, m.count, &base, &nframes) == FA_OK, "%s: span", path);
    size_t bytes;
    void *state = state_for(ctz, nframes, &bytes);
    EXPECT(fa_init_ranges(ctz, state, bytes, m.ranges, m.count) == FA_OK, "%s: init", path);
    EXPECT(ctz->free_frames(state) == frames, "%s: ctz has %llu free frames", path,
           (unsigned long long)ctz->free_frames(state));
    EXPECT(ctz->check(state) == FA_OK, "%s: check", path);
    free(state);
    fb_memmap_free(&m);
}

static void test_committed_maps(void)
{
    /* e820-vm-6g.dmesg.txt (the name says 6g; it holds 24 GiB of RAM):
     *   [0, 0x9fbff]                -> [0, 0x9fc00): frames 0..0x9e       =     159
     *                                  (frame 0x9f is partial)
     *   [0x100000, 0xbfffffff]      -> 0xc0000 - 0x100 = 786432 - 256     =  786176
     *   [0x100000000, 0x63fffffff]  -> 0x640000 - 0x100000 = 0x540000     = 5505024
     *   total 159 + 786176 + 5505024                                      = 6291359 */
    expect_map(DATA "/maps/e820-vm-6g.dmesg.txt", FB_MEMMAP_E820, 6291359, 3, 0);
    /* iomem-sample.txt, top-level System RAM only:
     *   00001000-0009fbff  -> frames 1..0x9e = 0x9f - 1                   =     158
     *   00100000-bffdefff  -> 0xbffdf - 0x100 = 786399 - 256              =  786143
     *   100000000-23fffffff -> 0x240000 - 0x100000 = 0x140000             = 1310720
     *   total 158 + 786143 + 1310720                                      = 2097021 */
    expect_map(DATA "/maps/iomem-sample.txt", FB_MEMMAP_IOMEM, 2097021, 3, 0);
    /* sysfs-memmap-sample/0..10 (10 sorts before 2 as text: must not warn):
     *   0: 0x0-0x9fbff                   -> frames 0..0x9e                =     159
     *   3: 0x100000-0x7ffdffff           -> 0x7ffe0 - 0x100 = 524256 - 256 =  524000
     *   9: 0x100000000-0x17fffffff       -> 0x80000                       =  524288
     *  10: 0x180000000-0x1bfffffff       -> 0x40000, adjacent to 9: merged =  262144
     *   total 159 + 524000 + 524288 + 262144                              = 1310591 */
    expect_map(DATA "/maps/sysfs-memmap-sample", FB_MEMMAP_SYSFS, 1310591, 3, 0);
}

static void test_untidy_maps(void)
{
    /* Out of order (entry 2 before 1: one warning), overlapping usable
     * entries (one warning), a reserved hole inside usable RAM (overlap: one
     * warning; reserved wins).  Usable: [0x100000, 0x400000) minus
     * [0x200000, 0x201000) = 0x100 + 0x1ff frames = 256 + 511 = 767, plus
     * [0x1000000, 0x1000fff] = 1 frame: 768 in 3 ranges. */
    const char *path = temp_text("[    0.000000] Linux version 6.1.0 (a line the reader ignores)\n"
                                 "[    0.000000] BIOS-e820: [mem 0x0000000001000000-0x0000000001000fff] usable\n"
                                 "[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x00000000002fffff] usable\n"
                                 "[    0.000000] BIOS-e820: [mem 0x0000000000200000-0x00000000003fffff] usable\n"
                                 "[    0.000000] BIOS-e820: [mem 0x0000000000200000-0x0000000000200fff] reserved\n");
    struct fb_memmap m;
    EXPECT(fb_memmap_read(path, &m, err, sizeof err) == 0, "%s", err);
    EXPECT(m.usable_frames == 768 && m.count == 3 && m.warnings == 3 && m.entries == 4,
           "%llu frames, %zu ranges, %zu warnings", (unsigned long long)m.usable_frames, m.count,
           m.warnings);
    EXPECT(m.count == 3 && m.ranges[0].start == 0x100000 && m.ranges[0].end == 0x200000 &&
               m.ranges[1].start == 0x201000 && m.ranges[1].end == 0x400000,
           "ranges");
    fb_memmap_free(&m);
    unlink(path);

    /* Pre-3.7 boot log: exclusive ends.  [0, 0x9fc00) = 159 frames.  A
     * trailing blank must not hide the type. */
    path = temp_text(" BIOS-e820: 0000000000000000 - 000000000009fc00 (usable) \r\n"
                     " BIOS-e820: 000000000009fc00 - 00000000000a0000 (reserved)\n");
    EXPECT(fb_memmap_read(path, &m, err, sizeof err) == 0 && m.usable_frames == 159, "%s", err);
    fb_memmap_free(&m);
    unlink(path);

    /* An indented System RAM is a child, not top level: only 1 frame. */
    path = temp_text("00000000-00000fff : System RAM\n"
                     "00001000-00ffffff : PCI Bus\n"
                     "  00001000-00001fff : System RAM\n");
    EXPECT(fb_memmap_read(path, &m, err, sizeof err) == 0 && m.usable_frames == 1, "%s", err);
    fb_memmap_free(&m);
    unlink(path);
}

static void expect_map_error(const char *path, const char *snippet)
{
    struct fb_memmap m;
    int rc = fb_memmap_read(path, &m, err, sizeof err);
    EXPECT(rc == -1 && contains(err, snippet), "rc %d, \"%s\" wanted in \"%s\"", rc, snippet,
           rc ? err : "");
}

static void test_map_errors(void)
{
    char where[128];
    const char *path = temp_text("[0.0] BIOS-e820: [mem 0x0-0xfff] usable\n"
                                 "[0.0] BIOS-e820: [mem 0x1000-0xzz] usable\n");
    snprintf(where, sizeof where, "%s:2: ", path);
    expect_map_error(path, where);
    expect_map_error(path, "0x1000-0xzz");
    unlink(path);

    path = temp_text("00000000-00000fff : System RAM\nthis is no map\n");
    snprintf(where, sizeof where, "%s:2: ", path);
    expect_map_error(path, where);
    unlink(path);

    path = temp_text("00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n");
    expect_map_error(path, "read it as root");
    unlink(path);

    path = temp_text("[0.0] BIOS-e820: [mem 0x2000-0x1fff] usable\n");
    expect_map_error(path, "ends before it starts");
    unlink(path);

    path = temp_text("[0.0] BIOS-e820: [mem 0x0-0xfffff] reserved\n");
    expect_map_error(path, "none usable");
    unlink(path);

    /* sysfs: a bad start file is named with its line. */
    char dir[] = "fb-input-sysfs-XXXXXX";
    EXPECT(mkdtemp(dir) != NULL, "mkdtemp");
    char file[256];
    snprintf(file, sizeof file, "%s/0", dir);
    EXPECT(mkdir(file, 0700) == 0, "mkdir");
    const char *names[] = {"start", "end", "type"}, *values[] = {"0x1000\n", "12\n", "System RAM\n"};
    for (int i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s/0/%s", dir, names[i]);
        FILE *f = fopen(file, "w");
        if (f) {
            fputs(values[i], f);
            fclose(f);
        }
    }
    snprintf(where, sizeof where, "%s/0/end:1: ", dir);
    expect_map_error(dir, where);
    for (int i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s/0/%s", dir, names[i]);
        unlink(file);
    }
    snprintf(file, sizeof file, "%s/0", dir);
    rmdir(file);
    rmdir(dir);
}

int main(void)
{
    test_real_trace();
    test_ftrace_sample();
    test_trace_shapes();
    test_trace_errors();
    test_truncated_gzip();
    test_committed_maps();
    test_untidy_maps();
    test_map_errors();
    return check_report();
}
