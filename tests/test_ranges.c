/*
 * test_ranges.c: building a strategy from a firmware memory map.  The span
 * covers the usable ranges, holes and partial frames are reserved, and a fill
 * never hands out a frame outside a usable range; malformed maps are refused.
 */
#include "check.h"
#include "frame_alloc.h"

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)

/* A small PC-like map: low memory below the VGA hole, a range with ragged
 * ends, and memory above 1 MiB.  Whole frames: 0x1000-0x9f000 is 158 frames,
 * 0x100800-0x1ff800 holds frames 0x101..0x1fe, 254 frames, 0x200000-0x400000
 * is 512 frames (adjacent ranges are the reader's to merge: the frame
 * straddling 0x1ff800 is not wholly in either range, so it stays reserved). */
static const struct fa_range pc_map[] = {
    {0x1000, 0x9f000},
    {0x100800, 0x1ff800},
    {0x1ff800, MiB(4)},
};
#define PC_USABLE (158 + 254 + 512)

static int usable(uint64_t pa)
{
    for (size_t i = 0; i < sizeof pc_map / sizeof pc_map[0]; i++)
        if (pa >= pc_map[i].start && pa + FA_FRAME_SIZE <= pc_map[i].end)
            return 1;
    return 0;
}

static void span_rules(void)
{
    uint64_t base = 0, n = 0;
    EXPECT(fa_ranges_span(pc_map, 3, &base, &n) == FA_OK && base == 0x1000 && n == 0x400 - 1,
           "pc map span: base %#llx n %llu", (unsigned long long)base, (unsigned long long)n);
    const struct fa_range unsorted[] = {{MiB(2), MiB(3)}, {0, MiB(1)}};
    const struct fa_range overlapping[] = {{0, MiB(2)}, {MiB(1), MiB(3)}};
    const struct fa_range backwards[] = {{MiB(2), MiB(1)}};
    const struct fa_range slivers[] = {{0x10, 0x800}, {0x1100, 0x1f00}};
    EXPECT(fa_ranges_span(unsorted, 2, &base, &n) == FA_EINVAL, "unsorted ranges refused");
    EXPECT(fa_ranges_span(overlapping, 2, &base, &n) == FA_EINVAL, "overlapping ranges refused");
    EXPECT(fa_ranges_span(backwards, 1, &base, &n) == FA_EINVAL, "end before start refused");
    EXPECT(fa_ranges_span(slivers, 2, &base, &n) == FA_EINVAL, "no whole frame refused");
    EXPECT(fa_ranges_span(pc_map, 0, &base, &n) == FA_EINVAL, "empty map refused");
    const struct fa_range ragged[] = {{0x1800, 0x5800}};
    EXPECT(fa_ranges_span(ragged, 1, &base, &n) == FA_OK && base == 0x2000 && n == 3,
           "ragged range keeps frames 2..4: base %#llx n %llu", (unsigned long long)base, (unsigned long long)n);
}

static void build_and_fill(const struct fa_ops *ops)
{
    uint64_t base, n;
    fa_ranges_span(pc_map, 3, &base, &n);
    size_t bytes = ops->state_size(n);
    void *state = check_state_alloc(bytes);
    fa_err e = fa_init_ranges(ops, state, bytes, pc_map, 3);
    EXPECT(e == FA_OK, "%s: fa_init_ranges: %s", ops->name, fa_strerror(e));
    EXPECT(ops->free_frames(state) == PC_USABLE, "%s: %llu free frames, want %d", ops->name,
           (unsigned long long)ops->free_frames(state), PC_USABLE);
    uint64_t pa, got = 0, outside = 0;
    while (ops->alloc(state, &pa) == FA_OK) {
        got++;
        outside += !usable(pa);
    }
    EXPECT(got == PC_USABLE && outside == 0, "%s: fill gave %llu frames, %llu outside the map", ops->name,
           (unsigned long long)got, (unsigned long long)outside);
    EXPECT(ops->check(state) == FA_OK, "%s: check after fill", ops->name);
    EXPECT(fa_init_ranges(ops, state, bytes - 1, pc_map, 3) == FA_ENOSPACE, "%s: short buffer", ops->name);
    free(state);
}

int main(void)
{
    span_rules();
    for (const struct fa_ops *const *s = fa_strategies; *s; s++)
        build_and_fill(*s);
    return check_report();
}
