/*
 * test_trace_read.c: the trace reader on both tools' text shapes and on bad
 * input made on the spot: every error names file, line and text; skip mode
 * counts; a truncated gzip is an error, not a shorter trace.
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
    EXPECT(fb_replay_load(DATA "/traces/ftrace-sample.txt", 0, 0, &p, &counts, err, sizeof err) == 0, "%s", err);
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
    EXPECT(rc == -1 && contains(err, where) && contains(err, snippet), "rc %d, message \"%s\"", rc, rc ? err : "");
    EXPECT(t.events == NULL && t.count == 0, "no events after an error");
    unlink(path);
}

static void test_trace_errors(void)
{
    char text[1024];
    snprintf(text, sizeof text, "%s%s CPU:1 [LOST 12 EVENTS]\n%s", good_alloc, good_alloc, good_alloc);
    expect_trace_error(text, 0, 3, "CPU:1 [LOST 12 EVENTS]");
    snprintf(text, sizeof text, "%s x 1 [0] 1.0: kmem:mm_page_free_batched: page=0x1 pfn=0x1 order=0\n", good_alloc);
    expect_trace_error(text, 0, 2, "mm_page_free_batched");
    /* Damaged events are errors even in skip mode. */
    expect_trace_error("x 1 [0] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0xzz order=0\n", FB_TRACE_SKIP_UNKNOWN, 1,
                       "pfn=0xzz");
    expect_trace_error("x 1 [0] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0x0x10 order=0\n", FB_TRACE_SKIP_UNKNOWN, 1,
                       "pfn=0x0x10");
    expect_trace_error("x 1 [0] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0x1 order=21\n", FB_TRACE_SKIP_UNKNOWN, 1,
                       "order=21");
    expect_trace_error("x 1 [0] 1.0: kmem:mm_page_free: page=0x1 order=0\n", FB_TRACE_SKIP_UNKNOWN, 1, "without pfn=");
    expect_trace_error("\n\nx 1 [0] 1.0: kmem:mm_page_free: page=(nil) pfn=(nil) order=0\n", 0, 3, "null page");

    /* Skip mode counts what it skips. */
    snprintf(text, sizeof text, "junk\n%sCPU:0 [LOST 3 EVENTS]\n%s", good_alloc, good_alloc);
    const char *path = temp_text(text);
    struct fb_trace t;
    EXPECT(fb_trace_read(path, FB_TRACE_SKIP_UNKNOWN, &t, err, sizeof err) == 0, "%s", err);
    EXPECT(t.count == 2 && t.skipped_lines == 2 && t.lines == 4, "%zu events %zu skipped", t.count, t.skipped_lines);
    fb_trace_free(&t);
    unlink(path);

    EXPECT(fb_trace_read("no/such/trace.txt", 0, &t, err, sizeof err) == -1 &&
               contains(err, "no/such/trace.txt: cannot open"),
           "%s", err);
}

/* Files that are not text, or not text with LF: a lone CR ends a line (two
 * events, not one); a NUL byte is refused where it is, with its line (it
 * neither joins two lines nor shifts the numbers of later ones); a file of
 * NULs, or one unbroken line of a megabyte, is refused at line 1. */
static void test_not_text(void)
{
    const char *cr = "x 1 [0] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0x1 order=0\r"
                     "x 1 [0] 1.0: kmem:mm_page_alloc: page=0x2 pfn=0x2 order=0\r";
    const char *path = temp_text(cr);
    struct fb_trace t;
    EXPECT(fb_trace_read(path, 0, &t, err, sizeof err) == 0 && t.count == 2, "CR endings: %s, %zu events", err,
           t.count);
    fb_trace_free(&t);
    unlink(path);

    char text[512];
    int n = snprintf(text, sizeof text, "%s%s", good_alloc, good_alloc);
    text[strlen(good_alloc) + 5] = '\0'; /* a NUL inside line 2 */
    path = temp_file(text, (size_t)n);
    char where[128];
    snprintf(where, sizeof where, "%s:2: a NUL byte", path);
    EXPECT(fb_trace_read(path, 0, &t, err, sizeof err) == -1 && contains(err, where), "NUL in line 2: %s", err);
    unlink(path);

    size_t big = 1 << 20;
    char *zeros = calloc(big, 1), *xs = malloc(big);
    if (!zeros || !xs)
        exit(1);
    memset(xs, 'x', big);
    const char *bufs[] = {zeros, xs}, *why[] = {"a NUL byte", "a line over"};
    for (int k = 0; k < 2; k++) {
        path = temp_file(bufs[k], big);
        snprintf(where, sizeof where, "%s:1: %s", path, why[k]);
        EXPECT(fb_trace_read(path, 0, &t, err, sizeof err) == -1 && contains(err, where), "%s: %s", why[k], err);
        unlink(path);
    }
    free(zeros);
    free(xs);
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

/* Mangled copies of a good line (bytes replaced, the line cut short) are
 * either read as an event or refused with file:line; never a crash, never an
 * error without a place (the sanitizer build checks the memory side). */
static void test_mangled_lines(void)
{
    unsigned long long seed = 7;
    size_t len = strlen(good_alloc), accepted = 0, refused = 0;
    static const char alphabet[] = "0x9fz=: ()#\t\n-";
    for (int round = 0; round < 500; round++) {
        char line[256];
        memcpy(line, good_alloc, len + 1);
        for (int k = 0; k < 3; k++)
            line[check_rand(&seed) % (len - 1)] = alphabet[check_rand(&seed) % (sizeof alphabet - 1)];
        if (round % 5 == 0)
            line[check_rand(&seed) % len] = '\0';
        const char *path = temp_text(line);
        struct fb_trace t;
        if (fb_trace_read(path, 0, &t, err, sizeof err) == 0) {
            accepted++;
            fb_trace_free(&t);
        } else {
            refused++;
            /* A mangled byte may be a newline: the error is then on line 2. */
            char line1[96], line2[96];
            snprintf(line1, sizeof line1, "%s:1: ", path);
            snprintf(line2, sizeof line2, "%s:2: ", path);
            EXPECT(contains(err, line1) || contains(err, line2), "message without place: %s", err);
        }
        unlink(path);
    }
    EXPECT(accepted > 0 && refused > 0, "%zu accepted, %zu refused", accepted, refused);
}

/* "-" is standard input, so perf script can pipe straight in. */
static void test_stdin(void)
{
    const char *path = temp_text(good_alloc);
    FILE *saved = freopen(path, "r", stdin);
    struct fb_trace t;
    EXPECT(saved && fb_trace_read("-", 0, &t, err, sizeof err) == 0 && t.count == 1, "%s", err);
    fb_trace_free(&t);
    unlink(path);
}

int main(void)
{
    test_ftrace_sample();
    test_trace_shapes();
    test_trace_errors();
    test_not_text();
    test_truncated_gzip();
    test_mangled_lines();
    test_stdin();
    return check_report();
}
