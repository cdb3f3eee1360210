/*
 * summary2: a flat bitmap plus a second level with one bit per bitmap word
 * saying "this word has a free frame".  A search reads summary words until
 * one is not zero, so full bitmap words are skipped 64 at a time (4096
 * frames per summary word read).  Lowest free frame first.
 *
 * Layout: struct summary2, padded to a cache line; nwords bitmap words
 * (1 = used, padding bits past nframes set); nsum summary words (1 = the
 * bitmap word below has a 0 bit; padding bits past nwords clear).
 * Invariant: summary bit w == (words[w] != all ones), for every w, after
 * every call.  check verifies it and the free counter against the leaves.
 * Cost: O(n / 4096 + 1) per alloc, O(1) per free; memory 1 bit/frame + 1/64.
 */
#include "fa_bitmap.h"
#include "strategies.h"

struct summary2 {
    uint64_t pfn0, nframes, nwords, nsum, nfree;
    uint64_t summary_off; /* byte offset of the summary from the state */
};

static uint64_t header_bytes(void) { return fa_round_state(sizeof(struct summary2)); }

/* The arrays, found from the state's own address and an offset kept in it,
 * never from a stored pointer: a state moved with memcpy stays valid. */
static uint64_t *words_of(const struct summary2 *s) { return (uint64_t *)((char *)s + header_bytes()); }
static uint64_t *summary_of(const struct summary2 *s) { return (uint64_t *)((char *)s + s->summary_off); }

static size_t summary2_state_size(uint64_t nframes)
{
    if (nframes == 0 || nframes > FA_MAX_FRAMES)
        return 0;
    uint64_t nwords = fa_div_round_up(nframes, 64);
    return (size_t)(header_bytes() + (nwords + fa_div_round_up(nwords, 64)) * 8);
}

/* Recomputes the summary bits of the words holding bits [from, to). */
static void resummarise(struct summary2 *s, uint64_t from, uint64_t to)
{
    for (uint64_t w = from / 64; w <= (to - 1) / 64; w++) {
        uint64_t bit = UINT64_C(1) << (w % 64);
        if (words_of(s)[w] == FA_ALL_ONES)
            summary_of(s)[w / 64] &= ~bit;
        else
            summary_of(s)[w / 64] |= bit;
    }
}

static fa_err summary2_init(void *state, size_t bytes, uint64_t base, uint64_t nframes)
{
    fa_err e = fa_check_init(state, bytes, summary2_state_size(nframes), base, nframes);
    if (e != FA_OK)
        return e;
    struct summary2 *s = state;
    s->pfn0 = base >> FA_FRAME_SHIFT;
    s->nframes = nframes;
    s->nwords = fa_div_round_up(nframes, 64);
    s->nsum = fa_div_round_up(s->nwords, 64);
    s->nfree = nframes;
    s->summary_off = header_bytes() + s->nwords * 8;
    for (uint64_t i = 0; i < s->nwords + s->nsum; i++)
        words_of(s)[i] = 0;
    fa_bm_fill(words_of(s), nframes, s->nwords * 64, 1);
    resummarise(s, 0, nframes);
    return FA_OK;
}

/* First free bit in [from, to), or `to`: the rest of from's word, then the
 * summary (a set bit: a word with a free frame) finds the next word. */
static uint64_t next_word(const void *ctx, uint64_t w)
{
    const struct summary2 *s = ctx;
    return fa_bm_find_set(summary_of(s), w, s->nwords);
}
static uint64_t find_free(const void *ctx, uint64_t from, uint64_t to)
{
    return fa_bm_find_clear_with(words_of((const struct summary2 *)ctx), from, to, next_word, ctx);
}

static fa_err summary2_alloc(void *state, uint64_t *pa)
{
    struct summary2 *s = state;
    for (uint64_t k = 0; k < s->nsum; k++) {
        if (summary_of(s)[k] == 0)
            continue;
        uint64_t w = k * 64 + fa_ctz(summary_of(s)[k]);
        unsigned bit = fa_ctz(~words_of(s)[w]);
        words_of(s)[w] |= UINT64_C(1) << bit;
        if (words_of(s)[w] == FA_ALL_ONES)
            summary_of(s)[k] &= ~(UINT64_C(1) << (w % 64));
        s->nfree--;
        *pa = (s->pfn0 + w * 64 + bit) << FA_FRAME_SHIFT;
        return FA_OK;
    }
    return FA_ENOMEM;
}

static fa_err summary2_alloc_run(void *state, uint64_t count, unsigned align_order, uint64_t *pa)
{
    struct summary2 *s = state;
    if (count == 0 || align_order > FA_MAX_ALIGN_ORDER)
        return FA_EINVAL;
    uint64_t i = fa_bm_find_run(words_of(s), 0, s->nframes, count, s->pfn0, align_order, find_free, s);
    if (i >= s->nframes)
        return FA_ENOMEM;
    fa_bm_fill(words_of(s), i, i + count, 1);
    resummarise(s, i, i + count);
    s->nfree -= count;
    *pa = (s->pfn0 + i) << FA_FRAME_SHIFT;
    return FA_OK;
}

static fa_err summary2_free_run(void *state, uint64_t pa, uint64_t count)
{
    struct summary2 *s = state;
    uint64_t i;
    fa_err e = fa_locate(s->pfn0, s->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    if (fa_bm_find_clear(words_of(s), i, i + count) != i + count)
        return FA_EFREE;
    fa_bm_fill(words_of(s), i, i + count, 0);
    resummarise(s, i, i + count);
    s->nfree += count;
    return FA_OK;
}

static fa_err summary2_free(void *state, uint64_t pa) { return summary2_free_run(state, pa, 1); }

static fa_err summary2_reserve(void *state, uint64_t pa, uint64_t count)
{
    struct summary2 *s = state;
    uint64_t i;
    fa_err e = fa_locate(s->pfn0, s->nframes, pa, count, &i);
    if (e != FA_OK)
        return e;
    if (fa_bm_find_set(words_of(s), i, i + count) != i + count)
        return FA_EBUSY;
    fa_bm_fill(words_of(s), i, i + count, 1);
    resummarise(s, i, i + count);
    s->nfree -= count;
    return FA_OK;
}

static uint64_t summary2_free_frames(const void *state) { return ((const struct summary2 *)state)->nfree; }

static fa_err summary2_check(const void *state)
{
    const struct summary2 *s = state;
    if (!fa_bm_map_ok(words_of(s), s->nwords, s->nframes, s->nfree) || s->nsum != fa_div_round_up(s->nwords, 64) ||
        s->summary_off != header_bytes() + s->nwords * 8)
        return FA_EINVAL;
    for (uint64_t w = 0; w < s->nwords; w++)
        if (fa_bm_test(summary_of(s), w) != (words_of(s)[w] != FA_ALL_ONES))
            return FA_EINVAL;
    if (fa_bm_count_set(summary_of(s), s->nwords, s->nsum * 64) != 0)
        return FA_EINVAL;
    return FA_OK;
}

const struct fa_ops fa_summary2_ops = {
    .name = "summary2",
    .summary = "bitmap + 1 summary bit per word (has free): skips 4096 frames per read; O(n/4096 + 1), +1/64",
    .state_size = summary2_state_size,
    .init = summary2_init,
    .alloc = summary2_alloc,
    .free = summary2_free,
    .alloc_run = summary2_alloc_run,
    .free_run = summary2_free_run,
    .reserve = summary2_reserve,
    .free_frames = summary2_free_frames,
    .check = summary2_check,
};
