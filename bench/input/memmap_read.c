/*
 * memmap_read.c: the boot-log (e820) and /proc/iomem readers, and the entry
 * point that recognises the format.  The sysfs directory reader is in
 * memmap_sysfs.c.
 */
#include "memmap_read.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "line_reader.h"
#include "memmap_entries.h"

int fb_memmap_read_sysfs(const char *dir, struct fb_entries *list, char *err, size_t errlen);

/* Hex digits (an optional 0x first) at *p, advancing *p past them. */
static int take_hex(const char **p, uint64_t *out)
{
    const char *s = *p;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    /* strtoull would take a sign, blanks or a second 0x: refuse them first. */
    if (!isxdigit((unsigned char)s[0]) || (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')))
        return -1;
    errno = 0;
    char *end;
    unsigned long long x = strtoull(s, &end, 16);
    if (errno != 0)
        return -1;
    *out = x;
    *p = end;
    return 0;
}

static int take(const char **p, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*p, lit, n) != 0)
        return -1;
    *p += n;
    return 0;
}

static void skip_blanks(const char **p)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
}

/* One "BIOS-e820:" line, either kernel's shape; *why on failure. */
static int parse_e820(const char *s, uint64_t *start, uint64_t *end, int *usable, const char **why)
{
    uint64_t last;
    skip_blanks(&s);
    if (take(&s, "[mem ") == 0) { /* since 3.7: inclusive end */
        if (take_hex(&s, start) || take(&s, "-") || take_hex(&s, &last) || take(&s, "]")) {
            *why = "expected \"BIOS-e820: [mem 0xSTART-0xEND] TYPE\"";
            return -1;
        }
        *end = fb_exclusive_end(last);
        skip_blanks(&s);
        *usable = strcmp(s, "usable") == 0;
    } else { /* before 3.7: "START - END (type)", end exclusive */
        if (take_hex(&s, start) || take(&s, " - ") || take_hex(&s, end) || take(&s, " (")) {
            *why = "expected \"BIOS-e820: [mem 0xSTART-0xEND] TYPE\"";
            return -1;
        }
        *usable = strcmp(s, "usable)") == 0;
        last = *end - 1;
    }
    if (*end < *start || last < *start) {
        *why = "range ends before it starts";
        return -1;
    }
    if (*s == '\0') {
        *why = "range without a type";
        return -1;
    }
    return 0;
}

/* One /proc/iomem line "  start-end : name"; *depth is the indent. */
static int parse_iomem(const char *s, uint64_t *start, uint64_t *end, int *usable, int *depth, const char **why)
{
    uint64_t last;
    const char *line = s;
    skip_blanks(&s);
    *depth = (int)(s - line);
    if (take_hex(&s, start) || take(&s, "-") || take_hex(&s, &last) || take(&s, " : ") || !*s) {
        *why = "not a /proc/iomem line \"START-END : NAME\" (and no BIOS-e820 line in the file)";
        return -1;
    }
    if (last < *start) {
        *why = "range ends before it starts";
        return -1;
    }
    *end = fb_exclusive_end(last);
    *usable = strcmp(s, "System RAM") == 0;
    return 0;
}

/* Whether any line of the file mentions BIOS-e820 (then it is a boot log). */
static int has_e820(const char *path, int *found, char *err, size_t errlen)
{
    struct fb_lines r;
    if (fb_lines_open(&r, path, err, errlen) != 0)
        return -1;
    int rc;
    *found = 0;
    while (!*found && (rc = fb_lines_next(&r, err, errlen)) == 1)
        *found = strstr(r.line, "BIOS-e820:") != NULL;
    /* Stopped early: damage further on is the second pass's to report. */
    int closed = fb_lines_close(&r, *found || rc != 0 ? NULL : err, errlen);
    return *found || (rc == 0 && closed == 0) ? 0 : -1;
}

static int read_lines(const char *path, enum fb_memmap_format f, struct fb_entries *list, char *err, size_t errlen)
{
    struct fb_lines r;
    if (fb_lines_open(&r, path, err, errlen) != 0)
        return -1;
    int rc;
    int all_zero = 1;
    while ((rc = fb_lines_next(&r, err, errlen)) == 1) {
        /* Trailing blanks must not turn "usable" into an unknown type. */
        while (r.len > 0 && (r.line[r.len - 1] == ' ' || r.line[r.len - 1] == '\t'))
            r.line[--r.len] = '\0';
        const char *why = NULL, *s = r.line;
        uint64_t start, end;
        int usable, depth = 0, bad;
        if (f == FB_MEMMAP_E820) {
            if (!(s = strstr(r.line, "BIOS-e820:")))
                continue; /* any other boot-log line */
            bad = parse_e820(s + strlen("BIOS-e820:"), &start, &end, &usable, &why);
        } else {
            if (strspn(s, " \t") == strlen(s))
                continue;
            bad = parse_iomem(s, &start, &end, &usable, &depth, &why);
            all_zero &= !bad && start == 0 && end == 1;
        }
        if (bad) {
            fb_lines_error(&r, err, errlen, why);
            rc = -1;
            break;
        }
        if (depth == 0 && fb_entries_add(list, start, end, usable) != 0) {
            fb_lines_error(&r, err, errlen, "out of memory");
            rc = -1;
            break;
        }
    }
    if (fb_lines_close(&r, rc == 0 ? err : NULL, errlen) != 0)
        rc = -1;
    if (rc == 0 && f == FB_MEMMAP_IOMEM && all_zero && list->n > 0) {
        snprintf(err, errlen,
                 "%s: every address is 0: the kernel hides /proc/iomem addresses "
                 "from unprivileged readers; read it as root",
                 path);
        rc = -1;
    }
    return rc;
}

int fb_memmap_read(const char *path, struct fb_memmap *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct fb_entries list = {0};
    struct stat st;
    int rc, e820 = 0;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        out->format = FB_MEMMAP_SYSFS;
        rc = fb_memmap_read_sysfs(path, &list, err, errlen);
    } else if ((rc = has_e820(path, &e820, err, errlen)) == 0) {
        out->format = e820 ? FB_MEMMAP_E820 : FB_MEMMAP_IOMEM;
        rc = read_lines(path, out->format, &list, err, errlen);
    }
    if (rc == 0 && list.n == 0) {
        snprintf(err, errlen, "%s: no memory map entries", path);
        rc = -1;
    }
    enum fb_memmap_format format = out->format;
    if (rc == 0 && fb_entries_finish(&list, out) != 0) {
        snprintf(err, errlen, "%s: out of memory", path);
        rc = -1;
    }
    out->format = format;
    if (rc == 0 && out->count == 0) {
        snprintf(err, errlen, "%s: %zu entries, none usable", path, out->entries);
        rc = -1;
    }
    if (rc != 0) {
        free(list.e);
        fb_memmap_free(out);
    }
    return rc;
}

void fb_memmap_free(struct fb_memmap *m)
{
    free(m->ranges);
    memset(m, 0, sizeof *m);
}

const char *fb_memmap_format_name(enum fb_memmap_format f)
{
    switch (f) {
    case FB_MEMMAP_E820: return "e820 boot log";
    case FB_MEMMAP_SYSFS: return "/sys/firmware/memmap";
    case FB_MEMMAP_IOMEM: return "/proc/iomem";
    }
    return "unknown";
}
