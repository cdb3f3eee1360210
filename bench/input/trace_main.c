/*
 * framebench-trace: what a trace or a memory map holds, before anyone
 * benchmarks with it.
 *
 *   framebench-trace trace [--skip-unknown] FILE   events, orders, peak live frames
 *                                                  (FILE "-": standard input)
 *   framebench-trace map FILE|DIR                  usable ranges and frames
 *
 * Exit status: 0 read fine, 1 the input is bad (message on stderr), 2 usage.
 */
#include <stdio.h>
#include <string.h>

#include "memmap_read.h"
#include "trace_read.h"
#include "trace_replay.h"

/* The usage: on stdout with exit 0 when asked for (--help), else on
 * stderr with exit 2. */
static int usage(int asked)
{
    fputs("usage: framebench-trace trace [--skip-unknown] FILE\n"
          "       framebench-trace map FILE|DIR\n"
          "FILE may be gzip'd; \"-\" reads standard input.\n"
          "trace: perf script or ftrace text of kmem:mm_page_alloc and kmem:mm_page_free.\n"
          "map: a boot log with BIOS-e820 lines, /proc/iomem, or /sys/firmware/memmap.\n",
          asked ? stdout : stderr);
    return asked ? 0 : 2;
}

static void print_orders(const struct fb_trace *t)
{
    unsigned long long hist[2][FB_TRACE_MAX_ORDER + 1] = {{0}};
    for (size_t i = 0; i < t->count; i++)
        hist[t->events[i].kind][t->events[i].order]++;
    printf("%-8s %12s %12s\n", "order", "allocs", "frees");
    for (unsigned o = 0; o <= FB_TRACE_MAX_ORDER; o++)
        if (hist[0][o] || hist[1][o])
            printf("%-8u %12llu %12llu\n", o, hist[0][o], hist[1][o]);
}

static int show_trace(const char *path, unsigned flags)
{
    char err[1024];
    struct fb_trace t;
    if (fb_trace_read(path, flags, &t, err, sizeof err) != 0) {
        fprintf(stderr, "framebench-trace: %s\n", err);
        return 1;
    }
    struct fb_replay_plan p;
    if (fb_replay_prepare(t.events, t.count, 0, &p, err, sizeof err) != 0) {
        fprintf(stderr, "framebench-trace: %s: %s\n", path, err);
        fb_trace_free(&t);
        return 1;
    }
    printf("trace            %s (%s)\n", path, t.compressed ? "gzip" : "plain");
    printf("lines            %zu (%zu comment, %zu skipped)\n", t.lines, t.comment_lines, t.skipped_lines);
    printf("events           %zu\n", t.count);
    printf("allocs           %llu (+%zu the kernel failed, not replayed)\n", (unsigned long long)p.allocs,
           t.failed_allocs);
    printf("frees            %llu matched, %llu skipped (pfn never allocated in the trace)\n",
           (unsigned long long)p.frees, (unsigned long long)p.skipped_frees);
    printf("implied frees    %llu (pfn allocated again while live: a free was not traced)\n",
           (unsigned long long)p.implied_frees);
    printf("peak live        %llu frames (%.1f MiB)\n", (unsigned long long)p.peak_live_frames,
           (double)p.peak_live_frames * FA_FRAME_SIZE / (1 << 20));
    printf("replay region    %llu frames, peak occupancy %.1f %%\n", (unsigned long long)p.region_frames,
           100.0 * fb_replay_peak_occupancy(&p));
    print_orders(&t);
    fb_replay_plan_free(&p);
    fb_trace_free(&t);
    return 0;
}

static int show_map(const char *path)
{
    char err[1024];
    struct fb_memmap m;
    if (fb_memmap_read(path, &m, err, sizeof err) != 0) {
        fprintf(stderr, "framebench-trace: %s\n", err);
        return 1;
    }
    printf("map              %s (%s)\n", path, fb_memmap_format_name(m.format));
    printf("entries          %zu (%zu out of order or overlapping)\n", m.entries, m.warnings);
    for (size_t i = 0; i < m.count; i++)
        printf("usable           [%#llx, %#llx) %llu frames\n", (unsigned long long)m.ranges[i].start,
               (unsigned long long)m.ranges[i].end, (unsigned long long)fb_ranges_whole_frames(&m.ranges[i], 1));
    printf("usable frames    %llu (%.2f GiB)\n", (unsigned long long)m.usable_frames,
           (double)m.usable_frames * FA_FRAME_SIZE / (1 << 30));
    fb_memmap_free(&m);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "trace") == 0)
        return show_trace(argv[2], 0);
    if (argc == 4 && strcmp(argv[1], "trace") == 0 && strcmp(argv[2], "--skip-unknown") == 0)
        return show_trace(argv[3], FB_TRACE_SKIP_UNKNOWN);
    if (argc == 3 && strcmp(argv[1], "map") == 0)
        return show_map(argv[2]);
    return usage(argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0));
}
