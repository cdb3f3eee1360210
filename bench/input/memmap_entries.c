/*
 * memmap_entries.c: raw map entries into usable ranges.  Sort, merge the
 * usable entries and the unusable ones separately, then cut the unusable out
 * of the usable (a reserved entry inside a usable one wins, as Linux's
 * e820__update_table does by type priority).
 */
#include "memmap_entries.h"

#include <stdlib.h>
#include <string.h>

int fb_entries_add(struct fb_entries *list, uint64_t start, uint64_t end, int usable)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 32;
        struct fb_entry *p = realloc(list->e, cap * sizeof *p);
        if (!p)
            return -1;
        list->e = p;
        list->cap = cap;
    }
    list->e[list->n++] = (struct fb_entry){start, end, usable};
    return 0;
}

static int by_start(const void *a, const void *b)
{
    const struct fb_entry *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* Sorted entries of one kind, overlapping or touching ones merged; in place
 * into out (which has room for all of them).  Returns how many. */
static size_t merge_kind(const struct fb_entries *list, int usable, struct fa_range *out)
{
    size_t k = 0;
    for (size_t i = 0; i < list->n; i++) {
        const struct fb_entry *e = &list->e[i];
        if (e->usable != usable || e->end <= e->start)
            continue;
        if (k > 0 && e->start <= out[k - 1].end) {
            if (e->end > out[k - 1].end)
                out[k - 1].end = e->end;
        } else {
            out[k++] = (struct fa_range){e->start, e->end};
        }
    }
    return k;
}

/* u minus r (both sorted, disjoint) into out; returns the count. */
static size_t subtract(const struct fa_range *u, size_t nu, const struct fa_range *r, size_t nr, struct fa_range *out)
{
    size_t k = 0, j = 0;
    for (size_t i = 0; i < nu; i++) {
        uint64_t at = u[i].start;
        while (j < nr && r[j].end <= at)
            j++;
        for (size_t x = j; x < nr && r[x].start < u[i].end; x++) {
            if (r[x].start > at)
                out[k++] = (struct fa_range){at, r[x].start};
            if (r[x].end > at)
                at = r[x].end;
        }
        if (at < u[i].end)
            out[k++] = (struct fa_range){at, u[i].end};
    }
    return k;
}

uint64_t fb_ranges_whole_frames(const struct fa_range *r, size_t n)
{
    uint64_t frames = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t first = r[i].start / FA_FRAME_SIZE + (r[i].start % FA_FRAME_SIZE != 0);
        uint64_t end = fa_range_end_frame(r[i].end);
        frames += end > first ? end - first : 0;
    }
    return frames;
}

int fb_entries_finish(struct fb_entries *list, struct fb_memmap *out)
{
    size_t warnings = 0;
    for (size_t i = 1; i < list->n; i++)
        warnings += list->e[i].start < list->e[i - 1].start;
    qsort(list->e, list->n, sizeof *list->e, by_start);
    uint64_t reach = 0;
    for (size_t i = 0; i < list->n; i++) {
        warnings += i > 0 && list->e[i].start < reach;
        if (list->e[i].end > reach)
            reach = list->e[i].end;
    }

    /* A cut can split one usable range in two per unusable one: n + 1 bound
     * for the result, as many for each merged list. */
    size_t room = list->n + 1;
    struct fa_range *usable = malloc(room * sizeof *usable);
    struct fa_range *unusable = malloc(room * sizeof *unusable);
    struct fa_range *result = malloc(2 * room * sizeof *result);
    int ok = usable && unusable && result;
    if (ok) {
        size_t nu = merge_kind(list, 1, usable), nr = merge_kind(list, 0, unusable);
        out->count = subtract(usable, nu, unusable, nr, result);
        out->ranges = result;
        out->entries = list->n;
        out->warnings = warnings;
        out->usable_frames = fb_ranges_whole_frames(result, out->count);
    } else {
        free(result);
    }
    free(usable);
    free(unusable);
    free(list->e);
    memset(list, 0, sizeof *list);
    return ok ? 0 : -1;
}
