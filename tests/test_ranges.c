/*
 * test_ranges.c: building a strategy from a firmware memory map.  The span
 * covers the usable ranges, holes and partial frames are reserved, and a fill
 * never hands out a frame outside a usable range; malformed maps are refused.
 */
#include <stdlib.h>

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
    check_state_free(state);
}

/* A region may end at the top of the address space: the last frame is
 * 0xfffffffffffff000.  A map whose usable range ends at 2^64 (written with
 * end UINT64_MAX) builds; every frame up to the top is handed out once and
 * freed; a run ends at the top. */
#define TOP_FRAME UINT64_C(0xfffffffffffff000)
static void top_of_memory(const struct fa_ops *ops)
{
    static const uint64_t sizes[] = {1, 64, 65, 4097};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        uint64_t n = sizes[si], base = TOP_FRAME - (n - 1) * FA_FRAME_SIZE;
        const struct fa_range top[] = {{base, UINT64_MAX}};
        uint64_t sb = 0, sn = 0;
        EXPECT(fa_ranges_span(top, 1, &sb, &sn) == FA_OK && sb == base && sn == n,
               "span of a range to 2^64: base %#llx n %llu, want %#llx %llu", (unsigned long long)sb,
               (unsigned long long)sn, (unsigned long long)base, (unsigned long long)n);
        size_t bytes = ops->state_size(n);
        void *state = check_state_alloc(bytes);
        fa_err e = fa_init_ranges(ops, state, bytes, top, 1);
        EXPECT(e == FA_OK && ops->free_frames(state) == n, "%s n=%llu at the top: init %s, %llu free", ops->name,
               (unsigned long long)n, fa_strerror(e), (unsigned long long)(e == FA_OK ? ops->free_frames(state) : 0));
        if (e != FA_OK) {
            check_state_free(state);
            continue;
        }
        uint64_t pa = 0, highest = 0, got = 0;
        while (ops->alloc(state, &pa) == FA_OK) {
            EXPECT(pa >= base && pa <= TOP_FRAME && pa % FA_FRAME_SIZE == 0, "%s: frame %#llx outside the top region",
                   ops->name, (unsigned long long)pa);
            highest = pa > highest ? pa : highest;
            got++;
        }
        EXPECT(got == n && highest == TOP_FRAME, "%s n=%llu: %llu frames, highest %#llx", ops->name,
               (unsigned long long)n, (unsigned long long)got, (unsigned long long)highest);
        EXPECT(ops->free(state, TOP_FRAME) == FA_OK && ops->free(state, TOP_FRAME) == FA_EFREE,
               "%s: the top frame frees once", ops->name);
        EXPECT(ops->free(state, TOP_FRAME + 1) == FA_EALIGN, "%s: a misaligned address near 2^64", ops->name);
        if (ops->alloc_run && n >= 64) {
            EXPECT(ops->free_run(state, TOP_FRAME - 63 * FA_FRAME_SIZE, 63) == FA_OK, "%s: free_run to the top",
                   ops->name);
            e = ops->alloc_run(state, 64, 6, &pa);
            EXPECT(e == FA_OK && pa == TOP_FRAME - 63 * FA_FRAME_SIZE,
                   "%s: the aligned run that ends at 2^64: %s %#llx", ops->name, fa_strerror(e),
                   (unsigned long long)pa);
        }
        EXPECT(ops->check(state) == FA_OK, "%s n=%llu at the top: check", ops->name, (unsigned long long)n);
        check_state_free(state);
    }
}

int main(void)
{
    span_rules();
    for (const struct fa_ops *const *s = fa_strategies; *s; s++) {
        build_and_fill(*s);
        top_of_memory(*s);
    }
    return check_report();
}
