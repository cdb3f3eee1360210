/*
 * ranges.c: build any strategy's state from a firmware memory map.  The
 * region spans the usable ranges; frames in the holes between them, and
 * frames only partly inside a range, are reserved.  The ranges must come
 * sorted and disjoint (the host-side map readers sort and merge them), so
 * this needs no memory of its own and costs one reserve per hole.
 */
#include "fa_bitmap.h"

/* Whole frames of r: [*first, *end) in frame numbers; 0 if none.  An end of
 * UINT64_MAX is the top of the address space (frame_alloc.h: fa_range). */
static int whole_frames(const struct fa_range *r, uint64_t *first, uint64_t *end)
{
    *first = fa_div_round_up(r->start, FA_FRAME_SIZE);
    *end = fa_range_end_frame(r->end);
    return *first < *end;
}

fa_err fa_ranges_span(const struct fa_range *ranges, size_t n, uint64_t *base, uint64_t *nframes)
{
    uint64_t lo = 0, hi = 0;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (ranges[i].end < ranges[i].start)
            return FA_EINVAL;
        if (i > 0 && ranges[i].start < ranges[i - 1].end)
            return FA_EINVAL;
        uint64_t first, end;
        if (!whole_frames(&ranges[i], &first, &end))
            continue;
        if (!any)
            lo = first;
        hi = end;
        any = 1;
    }
    if (!any)
        return FA_EINVAL;
    *base = lo << FA_FRAME_SHIFT;
    *nframes = hi - lo;
    return FA_OK;
}

fa_err fa_init_ranges(const struct fa_ops *ops, void *state, size_t bytes, const struct fa_range *ranges, size_t n)
{
    uint64_t base, nframes;
    fa_err e = fa_ranges_span(ranges, n, &base, &nframes);
    if (e == FA_OK)
        e = ops->init(state, bytes, base, nframes);
    uint64_t covered = base >> FA_FRAME_SHIFT; /* frames below this are settled */
    for (size_t i = 0; e == FA_OK && i < n; i++) {
        uint64_t first, end;
        if (!whole_frames(&ranges[i], &first, &end))
            continue;
        if (first > covered)
            e = ops->reserve(state, covered << FA_FRAME_SHIFT, first - covered);
        covered = end;
    }
    return e;
}
