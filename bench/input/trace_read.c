/*
 * trace_read.c: perf script and ftrace text into struct fb_event (the header
 * says exactly which lines are accepted).
 */
#include "trace_read.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "line_reader.h"

enum line_class { LINE_EVENT, LINE_COMMENT, LINE_OTHER, LINE_BAD_EVENT, LINE_NULL_ALLOC };

/* Where the event's fields start: the name must begin the line or follow a
 * blank or "kmem:" (perf script -F trace,event starts lines with it). */
static const char *find_event(const char *line, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(line, name); p; p = strstr(p + 1, name)) {
        int after_blank = p == line || p[-1] == ' ' || p[-1] == '\t';
        int after_kmem = p - line >= 5 && memcmp(p - 5, "kmem:", 5) == 0;
        if (after_blank || after_kmem)
            return p + n;
    }
    return NULL;
}

/* The value of field `name` ("pfn=") in the fields after the event name, with
 * blanks after '=' skipped (ftrace pads a null %p); NULL if absent. */
static const char *field(const char *fields, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = fields; (p = strstr(p, name)) != NULL; p += n) {
        if (p == fields || p[-1] == ' ' || p[-1] == '\t') {
            p += n;
            while (*p == ' ')
                p++;
            return p;
        }
    }
    return NULL;
}

static int value_ends(char c) { return c == '\0' || c == ' ' || c == '\t'; }

/* "(nil)" (glibc's %p), "(null)" (the kernel's), or hex zeros.  perf prints
 * page= as the pfn, so a real pfn 0 would read as null: no kernel hands out
 * frame 0 on x86, where it holds the real-mode IVT and BIOS data. */
static int is_null_value(const char *v)
{
    if (strncmp(v, "(nil)", 5) == 0 || strncmp(v, "(null)", 6) == 0)
        return 1;
    if (v[0] == '0' && v[1] == 'x')
        v += 2;
    const char *p = v;
    while (*p == '0')
        p++;
    return p > v && value_ends(*p);
}

/* An unsigned number filling the whole value; 0x means hex. */
static int parse_number(const char *v, uint64_t *out)
{
    int base = 10;
    if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
        base = 16;
        v += 2;
    }
    /* strtoull would take a sign, blanks or a second 0x: refuse them first. */
    if (!isxdigit((unsigned char)v[0]) || (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')))
        return -1;
    errno = 0;
    char *end;
    unsigned long long x = strtoull(v, &end, base);
    if (errno != 0 || !value_ends(*end))
        return -1;
    *out = x;
    return 0;
}

static enum line_class classify(const char *line, struct fb_event *ev, const char **why)
{
    const char *s = line;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '\0' || *s == '#')
        return LINE_COMMENT;

    const char *fields = find_event(s, "mm_page_alloc: ");
    ev->kind = FB_EVENT_ALLOC;
    if (!fields) {
        fields = find_event(s, "mm_page_free: ");
        ev->kind = FB_EVENT_FREE;
    }
    if (!fields) {
        *why = "not a kmem:mm_page_alloc or kmem:mm_page_free event";
        return LINE_OTHER;
    }

    const char *pfn = field(fields, "pfn="), *order = field(fields, "order=");
    const char *page = field(fields, "page=");
    if (!pfn || !order) {
        *why = pfn ? "event without order=" : "event without pfn=";
        return LINE_BAD_EVENT;
    }
    uint64_t o;
    if (parse_number(order, &o) != 0 || o > FB_TRACE_MAX_ORDER) {
        *why = "order= is not a number from 0 to 20";
        return LINE_BAD_EVENT;
    }
    ev->order = (uint8_t)o;
    int null_pfn = strncmp(pfn, "(nil)", 5) == 0 || strncmp(pfn, "(null)", 6) == 0;
    if (null_pfn || (page && is_null_value(page))) {
        *why = "free of a null page";
        return ev->kind == FB_EVENT_ALLOC ? LINE_NULL_ALLOC : LINE_BAD_EVENT;
    }
    /* pfn << 12 must still be an address. */
    if (parse_number(pfn, &ev->pfn) != 0 || ev->pfn >= (UINT64_C(1) << 52)) {
        *why = "pfn= is not a frame number (0x hex or decimal, below 2^52)";
        return LINE_BAD_EVENT;
    }
    return LINE_EVENT;
}

static int push(struct fb_trace *t, size_t *cap, const struct fb_event *ev)
{
    if (t->count == *cap) {
        size_t n = *cap ? *cap * 2 : 4096;
        struct fb_event *p = realloc(t->events, n * sizeof *p);
        if (!p)
            return -1;
        t->events = p;
        *cap = n;
    }
    t->events[t->count++] = *ev;
    return 0;
}

int fb_trace_read(const char *path, unsigned flags, struct fb_trace *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct fb_lines r;
    if (fb_lines_open(&r, path, err, errlen) != 0)
        return -1;
    out->compressed = r.compressed;
    size_t cap = 0;
    int rc;
    while ((rc = fb_lines_next(&r, err, errlen)) == 1) {
        struct fb_event ev = {0};
        const char *why = NULL;
        out->lines++;
        switch (classify(r.line, &ev, &why)) {
        case LINE_EVENT:
            if (push(out, &cap, &ev) != 0) {
                fb_lines_error(&r, err, errlen, "out of memory");
                rc = -1;
            }
            break;
        case LINE_COMMENT: out->comment_lines++; break;
        case LINE_NULL_ALLOC: out->failed_allocs++; break;
        case LINE_OTHER:
            if (flags & FB_TRACE_SKIP_UNKNOWN) {
                out->skipped_lines++;
                break;
            }
            /* fall through */
        case LINE_BAD_EVENT:
            fb_lines_error(&r, err, errlen, why);
            rc = -1;
            break;
        }
        if (rc == -1)
            break;
    }
    if (fb_lines_close(&r, rc == 0 ? err : NULL, errlen) != 0)
        rc = -1;
    if (rc != 0) {
        fb_trace_free(out);
        return -1;
    }
    return 0;
}

void fb_trace_free(struct fb_trace *t)
{
    free(t->events);
    memset(t, 0, sizeof *t);
}
