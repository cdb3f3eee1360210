/*
 * tree: a bitmap under two trees of 64-ary summaries, after jemalloc's
 * bitmap tree, so every search costs O(log64 n) whatever the occupancy.
 *
 * Structure.  The leaves are the usual bitmap: one bit per frame, 1 = used,
 * the padding bits past nframes set.  Above them sit two summary trees of
 * the same shape.  In the "has free" tree, bit w of level 0 says leaf word w
 * holds a free frame; in the "all free" tree it says leaf word w is entirely
 * free.  In both, bit j of level k > 0 says word j of level k - 1 is not
 * zero, and levels are added until one word covers everything (the top).
 * A region of n frames has L = ceil(log64(n / 64)) levels, at least one:
 * 1 level up to 4096 frames, 3 at 64 GiB (16 Mi frames), 5 at FA_MAX_FRAMES.
 *
 * Searches.  The lowest free frame is a walk down the "has free" tree, one
 * count-trailing-zeros per level, then one in the leaf.  The first frame or
 * word at or after a position climbs from that position until a level has a
 * set bit to its right, then walks down (tree_next).  Runs, lowest first and
 * aligned in physical frame numbers, take one of three searches:
 *  - whole words: when leaf words start on 64-frame boundaries (pfn0 % 64
 *    == 0), a run of 64 to 4096 frames aligned to 64 or more is count / 64
 *    entirely free words on an aligned word, plus the low frames of the word
 *    after.  Level 0 of the "all free" tree is read a word (64 leaf words,
 *    4096 frames) at a time, all aligned starts in it tested at once with
 *    shifts; the tree skips the words with nothing entirely free.  A 2 MiB
 *    run never reads a leaf.
 *  - long runs (127 frames or more, any other case): such a run holds a
 *    whole free leaf word, so the "all free" tree gives the next entirely
 *    free word and the candidate extends back over the free top of the word
 *    before it; a check of the candidate's own leaves confirms it.  This is
 *    also the path when the base is not 64-frame aligned, where an entirely
 *    free word is not an aligned run.
 *  - short runs: fa_bm_find_run, stepping with a "has free" tree walk.
 *
 * Invariants, after every call (tree_check verifies each from the leaves):
 *  - has_free level 0 bit w == (leaf w != all ones); all_free level 0 bit w
 *    == (leaf w == 0); level k bit j == (word j of level k - 1 != 0);
 *  - summary bits past the last word they describe are 0; leaf padding is 1;
 *  - nfree is the number of 0 bits among the first nframes leaf bits;
 *  - the geometry (levels, their sizes and offsets) is that of nframes.
 * Every mutation proves its whole range valid first and only then writes the
 * leaves and the summaries above the leaf words it touched, so a refused call
 * changes nothing.
 *
 * Memory: the state holds offsets, not pointers, so it can be copied or
 * moved.  Leaves cost n / 8 bytes; each tree about 1/63 of that (64 leaf
 * words per level-0 word, 64 times fewer per level up), so 1 bit per frame
 * plus 2/63: about 2.1 MiB for 64 GiB.  Header: three cache lines.
 *
 * Costs: alloc O(L); free O(L), usually O(1): a change climbs only while a
 * summary word turns zero or non-zero.  alloc_run: whole words, O(L) per
 * level-0 word holding an entirely free word, at most n / 4096 of them; long
 * runs O(L + count / 64) per free stretch holding a whole free word; short
 * runs the same per free frame met.  free_run and reserve O(count / 64 + L);
 * check O(state size).  Limits: 1 to 2^36 frames (L <= 5).
 */
#include "fa_bitmap.h"
#include "strategies.h"

/* 2^36 frames = 2^30 leaf words: levels of 2^24, 2^18, 2^12, 2^6, 1 words. */
#define TREE_MAX_LEVELS 5
#define TREE_NONE UINT64_MAX
/* Any run this long holds a whole leaf word: 63 bits of one, then 64. */
#define TREE_LONG_RUN (2 * FA_WORD_BITS - 1)

struct tree {
    uint64_t pfn0, nframes, nwords, nfree;
    uint64_t nlevels;
    uint64_t level_words[TREE_MAX_LEVELS]; /* words in level k of either tree */
    uint64_t has_free[TREE_MAX_LEVELS];    /* offset of level k in map() */
    uint64_t all_free[TREE_MAX_LEVELS];
};

static uint64_t header_bytes(void) { return fa_round_state(sizeof(struct tree)); }

/* The leaves, then both trees: the one array every offset points into. */
static uint64_t *map_of(void *state) { return (uint64_t *)((char *)state + header_bytes()); }
static const uint64_t *cmap_of(const void *state) { return (const uint64_t *)((const char *)state + header_bytes()); }

/* Fills the geometry of a region of nframes (1 <= nframes <= 2^36) into g;
 * returns the words the map needs. */
static uint64_t tree_geometry(uint64_t nframes, struct tree *g)
{
    g->nframes = nframes;
    g->nwords = fa_div_round_up(nframes, 64);
    uint64_t n = g->nwords, total = 0;
    g->nlevels = 0;
    do {
        n = fa_div_round_up(n, 64);
        g->level_words[g->nlevels++] = n;
        total += n;
    } while (n > 1);
    for (uint64_t k = 0, off = g->nwords; k < g->nlevels; off += g->level_words[k++]) {
        g->has_free[k] = off;
        g->all_free[k] = off + total;
    }
    return g->nwords + 2 * total;
}

static size_t tree_state_size(uint64_t nframes)
{
    if (nframes == 0 || nframes > FA_MAX_FRAMES)
        return 0;
    struct tree g;
    return (size_t)(header_bytes() + tree_geometry(nframes, &g) * 8);
}

static void put_bit(uint64_t *words, uint64_t i, int on)
{
    uint64_t bit = UINT64_C(1) << (i % 64);
    if (on)
        words[i / 64] |= bit;
    else
        words[i / 64] &= ~bit;
}

/* Sets bit i of level 0 of a tree to `on` and carries the change up only as
 * far as a word turns zero or non-zero: the common alloc or free stops at
 * level 0 without a write. */
static void carry_up(const struct tree *t, uint64_t *map, const uint64_t *level, uint64_t i, int on)
{
    for (uint64_t k = 0; k < t->nlevels; k++, i /= 64) {
        uint64_t *word = &map[level[k] + i / 64], bit = UINT64_C(1) << (i % 64);
        if (((*word & bit) != 0) == on)
            return;
        int was_set = *word != 0;
        *word ^= bit;
        if ((*word != 0) == was_set)
            return;
        on = !was_set;
    }
}

/* Rewrites the summaries above leaf words [w0, w1]: one word by carrying,
 * a range level by level. */
static void refresh(const struct tree *t, uint64_t *map, uint64_t w0, uint64_t w1)
{
    if (w0 == w1) {
        carry_up(t, map, t->has_free, w0, map[w0] != FA_ALL_ONES);
        carry_up(t, map, t->all_free, w0, map[w0] == 0);
        return;
    }
    for (uint64_t w = w0; w <= w1; w++) {
        put_bit(map + t->has_free[0], w, map[w] != FA_ALL_ONES);
        put_bit(map + t->all_free[0], w, map[w] == 0);
    }
    for (uint64_t k = 1; k < t->nlevels; k++) {
        w0 /= 64, w1 /= 64;
        for (uint64_t j = w0; j <= w1; j++) {
            put_bit(map + t->has_free[k], j, map[t->has_free[k - 1] + j] != 0);
            put_bit(map + t->all_free[k], j, map[t->all_free[k - 1] + j] != 0);
        }
    }
}

static fa_err tree_init(void *state, size_t bytes, uint64_t base, uint64_t nframes)
{
    fa_err e = fa_check_init(state, bytes, tree_state_size(nframes), base, nframes);
    if (e != FA_OK)
        return e;
    struct tree *t = state;
    uint64_t words = tree_geometry(nframes, t);
    t->pfn0 = base >> FA_FRAME_SHIFT;
    t->nfree = nframes;
    uint64_t *map = map_of(state);
    for (uint64_t i = 0; i < words; i++)
        map[i] = 0;
    fa_bm_fill(map, nframes, t->nwords * 64, 1);
    refresh(t, map, 0, t->nwords - 1);
    return FA_OK;
}

/* Leaf word holding the lowest set level-0 bit of `level`; TREE_NONE if none. */
static uint64_t tree_first(const struct tree *t, const uint64_t *map, const uint64_t *level)
{
    uint64_t k = t->nlevels - 1;
    if (map[level[k]] == 0)
        return TREE_NONE;
    uint64_t i = 0;
    for (;;) {
        i = i * 64 + fa_ctz(map[level[k] + i]);
        if (k-- == 0)
            return i;
    }
}

/* Lowest set level-0 bit of `level` at index >= i; TREE_NONE if none.  Climbs
 * until a level has a set bit at or right of the position, then walks down. */
static uint64_t tree_next(const struct tree *t, const uint64_t *map, const uint64_t *level, uint64_t i)
{
    uint64_t k = 0, x;
    for (;;) {
        if (i / 64 >= t->level_words[k])
            return TREE_NONE;
        x = map[level[k] + i / 64] & (FA_ALL_ONES << (i % 64));
        if (x != 0)
            break;
        if (++k == t->nlevels)
            return TREE_NONE;
        i = i / 64 + 1;
    }
    i = i / 64 * 64 + fa_ctz(x);
    while (k-- > 0)
        i = i * 64 + fa_ctz(map[level[k] + i]);
    return i;
}

/* First free frame in [from, to), or `to`: fa_bm_find_run's find-free step;
 * the tree finds the next leaf word with a free frame (TREE_NONE: none). */
static uint64_t next_word(const void *ctx, uint64_t w)
{
    const struct tree *t = ctx;
    return tree_next(t, cmap_of(ctx), t->has_free, w);
}
static uint64_t find_free(const void *ctx, uint64_t from, uint64_t to)
{
    return fa_bm_find_clear_with(cmap_of(ctx), from, to, next_word, ctx);
}

/* Free frames at the top of a leaf word: where a stretch ending in it starts. */
static unsigned free_top(uint64_t word) { return word == 0 ? 64 : (unsigned)__builtin_clzll(word); }

/* Lowest aligned free run of count >= TREE_LONG_RUN frames; TREE_NONE if
 * none.  No run starts in [from, s) before each candidate s: a run starting
 * there would hold the whole free word found, so it would start in the free
 * stretch that leads into it, and s is that stretch's first aligned frame.
 * A candidate that meets a used frame moves `from` past it. */
static uint64_t find_long_run(const struct tree *t, const uint64_t *map, uint64_t count, unsigned order)
{
    uint64_t from = 0;
    for (;;) {
        uint64_t w = tree_next(t, map, t->all_free, fa_div_round_up(from, 64));
        if (w == TREE_NONE)
            return TREE_NONE;
        uint64_t s = w * 64 - (w > 0 ? free_top(map[w - 1]) : 0);
        s = fa_align_index(s > from ? s : from, t->pfn0, order);
        if (s >= t->nframes || t->nframes - s < count)
            return TREE_NONE;
        uint64_t used = fa_bm_find_set(map, s, s + count);
        if (used == s + count)
            return s;
        from = used + 1;
    }
}

/* Bit i (< 64) set when bits [i, i + q) of the 128-bit hi:lo are all set;
 * 1 <= q <= 64.  Doubles the run length covered, then closes the rest with
 * one overlapping step; bits past hi count as clear, which no span reaches. */
static uint64_t run_starts(uint64_t lo, uint64_t hi, unsigned q)
{
    unsigned len = 1;
    for (; 2 * len <= q; len *= 2) {
        lo &= (lo >> len) | (hi << (64 - len));
        hi &= hi >> len;
    }
    if (len < q)
        lo &= (lo >> (q - len)) | (hi << (64 - (q - len)));
    return lo;
}

/* Bits of level-0 word a (leaf words a*64 .. a*64+63) where a run may start:
 * leaf word s with (pfn0 / 64 + s) a multiple of 2^(order - 6). */
static uint64_t aligned_starts(const struct tree *t, uint64_t a, unsigned order)
{
    uint64_t c = fa_align_index(a * 64, t->pfn0 / 64, order - 6) - a * 64;
    if (c >= 64)
        return 0;
    unsigned step = order - 6;
    return step >= 6 ? UINT64_C(1) << c : (FA_ALL_ONES / ((UINT64_C(1) << (1u << step)) - 1)) << c;
}

/* Lowest run of 64 <= count <= 4096 frames aligned to 2^order >= 64 frames
 * when leaf words start on 64-frame boundaries (pfn0 % 64 == 0): such a run
 * is count / 64 whole free words on a word boundary, plus the low count % 64
 * frames of the word after.  The "all free" level 0 is read one word (64
 * leaf words) at a time, every aligned start in it tested at once; the tree
 * skips words with nothing entirely free.  Leaves are read only for the
 * partial tail.  TREE_NONE if none. */
static uint64_t find_word_run(const struct tree *t, const uint64_t *map, uint64_t count, unsigned order)
{
    const uint64_t *all_free = map + t->all_free[0];
    unsigned q = (unsigned)(count / 64), r = (unsigned)(count % 64);
    for (uint64_t from = 0;;) {
        uint64_t first = tree_next(t, map, t->all_free, from);
        if (first == TREE_NONE)
            return TREE_NONE;
        uint64_t a = first / 64;
        uint64_t next = a + 1 < t->level_words[0] ? all_free[a + 1] : 0;
        uint64_t starts = run_starts(all_free[a], next, q) & aligned_starts(t, a, order);
        for (; starts != 0; starts &= starts - 1) {
            uint64_t s = a * 64 + fa_ctz(starts);
            if (s * 64 >= t->nframes || t->nframes - s * 64 < count)
                return TREE_NONE;
            if (r == 0 || (map[s + q] & fa_word_mask(0, r)) == 0)
                return s * 64;
        }
        from = (a + 1) * 64;
    }
}

/* Marks frames [i, i + count) used or free; the caller proved they were not. */
static void mark(struct tree *t, uint64_t i, uint64_t count, int used)
{
    uint64_t *map = map_of(t);
    fa_bm_fill(map, i, i + count, used);
    refresh(t, map, i / 64, (i + count - 1) / 64);
    if (used)
        t->nfree -= count;
    else
        t->nfree += count;
}

static fa_err tree_alloc(void *state, uint64_t *pa)
{
    struct tree *t = state;
    uint64_t *map = map_of(state);
    uint64_t w = tree_first(t, map, t->has_free);
    if (w == TREE_NONE)
        return FA_ENOMEM;
    uint64_t old = map[w], i = w * 64 + fa_ctz(~old);
    map[w] = old | UINT64_C(1) << (i % 64);
    /* Summaries change only when the word fills up or stops being empty. */
    if (map[w] == FA_ALL_ONES)
        carry_up(t, map, t->has_free, w, 0);
    if (old == 0)
        carry_up(t, map, t->all_free, w, 0);
    t->nfree--;
    *pa = (t->pfn0 + i) << FA_FRAME_SHIFT;
    return FA_OK;
}

static fa_err tree_alloc_run(void *state, uint64_t count, unsigned align_order, uint64_t *pa)
{
    struct tree *t = state;
    if (count == 0 || align_order > FA_MAX_ALIGN_ORDER)
        return FA_EINVAL;
    if (count == 1 && align_order == 0)
        return tree_alloc(state, pa);
    const uint64_t *map = map_of(state);
    uint64_t i;
    if (t->pfn0 % 64 == 0 && align_order >= 6 && count >= 64 && count <= 4096)
        i = find_word_run(t, map, count, align_order);
    else if (count >= TREE_LONG_RUN)
        i = find_long_run(t, map, count, align_order);
    else
        i = fa_bm_find_run(map, 0, t->nframes, count, t->pfn0, align_order, find_free, t);
    if (i >= t->nframes)
        return FA_ENOMEM;
    mark(t, i, count, 1);
    *pa = (t->pfn0 + i) << FA_FRAME_SHIFT;
    return FA_OK;
}

static fa_err tree_free_run(void *state, uint64_t pa, uint64_t count)
{
    struct tree *t = state;
    uint64_t i;
    fa_err e = fa_locate(t->pfn0, t->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    if (fa_bm_find_clear(map_of(state), i, i + count) != i + count)
        return FA_EFREE;
    mark(t, i, count, 0);
    return FA_OK;
}

static fa_err tree_free(void *state, uint64_t pa) { return tree_free_run(state, pa, 1); }

static fa_err tree_reserve(void *state, uint64_t pa, uint64_t count)
{
    struct tree *t = state;
    uint64_t i;
    fa_err e = fa_locate(t->pfn0, t->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    if (fa_bm_find_set(map_of(state), i, i + count) != i + count)
        return FA_EBUSY;
    mark(t, i, count, 1);
    return FA_OK;
}

static uint64_t tree_free_frames(const void *state) { return ((const struct tree *)state)->nfree; }

/* Level k of a tree agrees with the level below (or the leaves) bit by bit,
 * and its bits past the last word below are 0. */
static int level_ok(const struct tree *t, const uint64_t *map, const uint64_t *level, uint64_t k)
{
    int all_free = level == t->all_free;
    uint64_t below = k == 0 ? t->nwords : t->level_words[k - 1];
    for (uint64_t j = 0; j < t->level_words[k] * 64; j++) {
        int want = 0;
        if (j < below && k == 0)
            want = all_free ? map[j] == 0 : map[j] != FA_ALL_ONES;
        else if (j < below)
            want = map[level[k - 1] + j] != 0;
        if (fa_bm_test(map + level[k], j) != want)
            return 0;
    }
    return 1;
}

static fa_err tree_check(const void *state)
{
    const struct tree *t = state;
    const uint64_t *map = cmap_of(state);
    struct tree g;
    if (t->nframes == 0 || t->nframes > FA_MAX_FRAMES)
        return FA_EINVAL;
    tree_geometry(t->nframes, &g);
    if (t->nwords != g.nwords || t->nlevels != g.nlevels)
        return FA_EINVAL;
    for (uint64_t k = 0; k < g.nlevels; k++)
        if (t->level_words[k] != g.level_words[k] || t->has_free[k] != g.has_free[k] || t->all_free[k] != g.all_free[k])
            return FA_EINVAL;
    if (!fa_bm_map_ok(map, t->nwords, t->nframes, t->nfree))
        return FA_EINVAL;
    for (uint64_t k = 0; k < t->nlevels; k++)
        if (!level_ok(t, map, t->has_free, k) || !level_ok(t, map, t->all_free, k))
            return FA_EINVAL;
    return FA_OK;
}

const struct fa_ops fa_tree_ops = {
    .name = "tree",
    .summary = "bitmap under 64-ary has-free and all-free summary trees (jemalloc style): "
               "O(log64 n) at any occupancy, long runs via whole free words; +2/63",
    .state_size = tree_state_size,
    .init = tree_init,
    .alloc = tree_alloc,
    .free = tree_free,
    .alloc_run = tree_alloc_run,
    .free_run = tree_free_run,
    .reserve = tree_reserve,
    .free_frames = tree_free_frames,
    .check = tree_check,
};
