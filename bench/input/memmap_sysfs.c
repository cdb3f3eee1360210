/*
 * memmap_sysfs.c: /sys/firmware/memmap, one numbered directory per firmware
 * entry holding start, end (inclusive, "0x..." hex) and type files.  Entries
 * are read in numeric order (0, 1, ..., 10), the firmware's order, so the
 * out-of-order warning means what it says; other names in the directory are
 * not entries and are ignored.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "line_reader.h"
#include "memmap_entries.h"

int fb_memmap_read_sysfs(const char *dir, struct fb_entries *list, char *err, size_t errlen);

/* An entry directory: its number (the order) and its name as it is on disk
 * ("007" is entry 7, read from 007/). */
struct entry_dir {
    unsigned long number;
    char name[24];
};

/* The first line of dir/entry/name into buf. */
static int read_field(const char *dir, const char *entry, const char *name, char *buf, size_t size, char *path,
                      size_t pathlen, char *err, size_t errlen)
{
    snprintf(path, pathlen, "%s/%s/%s", dir, entry, name);
    struct fb_lines r;
    if (fb_lines_open(&r, path, err, errlen) != 0)
        return -1;
    int rc = fb_lines_next(&r, err, errlen);
    if (rc == 0)
        snprintf(err, errlen, "%s:1: empty file", path);
    else if (rc == 1)
        snprintf(buf, size, "%s", r.line);
    fb_lines_close(&r, NULL, 0);
    return rc == 1 ? 0 : -1;
}

static int parse_address(const char *s, uint64_t *out)
{
    /* strtoull would take a sign, blanks or a second 0x: refuse them first. */
    if (strncmp(s, "0x", 2) != 0 || !isxdigit((unsigned char)s[2]) || (s[2] == '0' && (s[3] == 'x' || s[3] == 'X')))
        return -1;
    errno = 0;
    char *end;
    *out = strtoull(s + 2, &end, 16);
    return errno == 0 && *end == '\0' ? 0 : -1;
}

static int read_entry(const char *dir, const char *entry, struct fb_entries *list, char *err, size_t errlen)
{
    char start_s[64], end_s[64], type[128], path[4096];
    uint64_t start, last;
    if (read_field(dir, entry, "start", start_s, sizeof start_s, path, sizeof path, err, errlen))
        return -1;
    if (parse_address(start_s, &start) != 0) {
        snprintf(err, errlen, "%s:1: not a 0x hex address: \"%s\"", path, start_s);
        return -1;
    }
    if (read_field(dir, entry, "end", end_s, sizeof end_s, path, sizeof path, err, errlen))
        return -1;
    if (parse_address(end_s, &last) != 0 || last < start) {
        snprintf(err, errlen, "%s:1: not a 0x hex address at or above start %s: \"%s\"", path, start_s, end_s);
        return -1;
    }
    if (read_field(dir, entry, "type", type, sizeof type, path, sizeof path, err, errlen))
        return -1;
    if (fb_entries_add(list, start, fb_exclusive_end(last), strcmp(type, "System RAM") == 0)) {
        snprintf(err, errlen, "%s: out of memory", dir);
        return -1;
    }
    return 0;
}

static int by_number(const void *a, const void *b)
{
    unsigned long x = ((const struct entry_dir *)a)->number, y = ((const struct entry_dir *)b)->number;
    return (x > y) - (x < y);
}

/* Numeric names in dir, sorted by number; *n of them in a malloc'd array.
 * Two names of one number ("7" and "007") would leave the order unknown:
 * refused. */
static int entry_dirs(const char *dir, struct entry_dir **out, size_t *n, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: cannot open directory: %s", dir, strerror(errno));
        return -1;
    }
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        if (de->d_name[0] == '\0' || strspn(de->d_name, "0123456789") != strlen(de->d_name))
            continue;
        if (strlen(de->d_name) >= sizeof(*out)->name) {
            closedir(d);
            free(*out);
            snprintf(err, errlen, "%s/%s: an entry number of over %zu digits", dir, de->d_name, sizeof(*out)->name - 1);
            return -1;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            struct entry_dir *p = realloc(*out, cap * sizeof *p);
            if (!p) {
                closedir(d);
                free(*out);
                snprintf(err, errlen, "%s: out of memory", dir);
                return -1;
            }
            *out = p;
        }
        struct entry_dir *e = &(*out)[(*n)++];
        e->number = strtoul(de->d_name, NULL, 10);
        snprintf(e->name, sizeof e->name, "%s", de->d_name);
    }
    closedir(d);
    qsort(*out, *n, sizeof **out, by_number);
    for (size_t i = 1; i < *n; i++)
        if ((*out)[i].number == (*out)[i - 1].number) {
            snprintf(err, errlen, "%s: entries %s and %s are both number %lu", dir, (*out)[i - 1].name, (*out)[i].name,
                     (*out)[i].number);
            free(*out);
            return -1;
        }
    return 0;
}

int fb_memmap_read_sysfs(const char *dir, struct fb_entries *list, char *err, size_t errlen)
{
    struct entry_dir *entries;
    size_t n;
    if (entry_dirs(dir, &entries, &n, err, errlen) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = read_entry(dir, entries[i].name, list, err, errlen);
    free(entries);
    return rc;
}
