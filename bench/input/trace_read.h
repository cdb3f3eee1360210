/*
 * trace_read.h: a kernel page-allocation trace as an array of events.
 *
 * Input is the text of either tool, plain or gzip'd, read as it is:
 *
 *   perf script (after perf record -e kmem:mm_page_alloc -e kmem:mm_page_free):
 *     cc1 11269 [001]  1241.597696: kmem:mm_page_alloc: page=0x15f54c pfn=0x15f54c order=0 migratetype=1 gfp_flags=...
 *     cc1 11269 [001]  1241.597991:  kmem:mm_page_free: page=0x103b5c pfn=0x103b5c order=0
 *   ftrace (/sys/kernel/tracing/trace with events/kmem/mm_page_{alloc,free} on):
 *     cc1-11269   [001] d..1.  1241.597696: mm_page_alloc: page=00000000c0ffee11 pfn=0x15f54c order=0 ...
 *
 * Which lines are accepted, precisely:
 *  - An event line holds "mm_page_alloc: " or "mm_page_free: ", preceded by a
 *    blank or by "kmem:", followed by fields name=value among which pfn= and
 *    order=.  Fields before the event name (task, pid, CPU, flags, time) are
 *    not parsed: task names may contain blanks.  pfn is hex with 0x (kernels
 *    since 4.14 print it so) or decimal without (older kernels).  An alloc
 *    whose page= is null ("(nil)", "(null)", zeros) or whose pfn= is "(nil)"
 *    or "(null)" is an allocation the kernel failed (it traces those too):
 *    counted in `failed_allocs`, not an event.  A null free is an error.
 *  - Blank lines and lines whose first non-blank character is '#' are the
 *    headers both tools may write (ftrace always, perf script --header):
 *    counted in `comment_lines`, otherwise ignored.
 *  - Anything else is an error naming file, line and text: other events
 *    (mm_page_free_batched would double-count frees, the kernel reports those
 *    pages through mm_page_free too), ftrace's "[LOST n EVENTS]" markers (the
 *    trace has holes), garbage.  With FB_TRACE_SKIP_UNKNOWN such lines are
 *    counted in `skipped_lines` instead.  An event line whose pfn or order is
 *    unreadable is an error even then: the trace itself is damaged.
 */
#ifndef FB_TRACE_READ_H
#define FB_TRACE_READ_H

#include <stddef.h>
#include <stdint.h>

enum fb_event_kind { FB_EVENT_ALLOC, FB_EVENT_FREE };

/* Largest order accepted; Linux's MAX_ORDER is 10 to 13 depending on the
 * architecture, so a larger one means a damaged line. */
#define FB_TRACE_MAX_ORDER 20u

struct fb_event {
    uint64_t pfn;  /* physical frame number as the traced kernel saw it */
    uint8_t kind;  /* enum fb_event_kind */
    uint8_t order; /* 2^order frames */
};

struct fb_trace {
    struct fb_event *events; /* in trace order */
    size_t count;
    size_t lines;         /* lines read */
    size_t comment_lines; /* blank or '#' lines */
    size_t skipped_lines; /* non-event lines, FB_TRACE_SKIP_UNKNOWN only */
    size_t failed_allocs; /* allocs the kernel failed: null page */
    int compressed;       /* the file was gzip'd */
};

/* Count lines that are no event instead of failing on the first one. */
#define FB_TRACE_SKIP_UNKNOWN 1u

/* Reads `path` into *out.  0 on success; -1 with "file:line: why: text" in
 * err (out is then empty).  Free with fb_trace_free. */
int fb_trace_read(const char *path, unsigned flags, struct fb_trace *out, char *err, size_t errlen);

void fb_trace_free(struct fb_trace *t);

#endif
