/*
 * test_buddy.c: the buddy semantics the generic tests only imply, written out
 * on regions small enough to follow by hand: a run takes a 2^k block and
 * gives the tail back, FA_ENOMEM means "no free naturally aligned block" even
 * when a straddling run is free, blocks stay naturally aligned at an odd
 * base, ranges free and reserve across block edges, and frees coalesce all
 * the way up.
 */
#include <stdint.h>

#include "fixture.h"

#define FRAME(fx, i) ((fx)->base + (uint64_t)(i)*FA_FRAME_SIZE)

static void open_buddy(struct fixture *fx, uint64_t base, uint64_t nframes)
{
    fixture_open(fx, fa_find("buddy"), base, nframes);
}

static int ok_check(const struct fixture *fx) { return fx->ops->check(fx->state) == FA_OK; }

/* alloc_run(3) takes the 4-block at 0 and gives frame 3 back: the next
 * 4-run is the other half and the single frame is the old tail. */
static void tail_given_back(void)
{
    struct fixture fx;
    open_buddy(&fx, 0, 8);
    const struct fa_ops *ops = fx.ops;
    uint64_t a = 1, b = 1, c = 1;
    EXPECT(ops->alloc_run(fx.state, 3, 0, &a) == FA_OK && a == FRAME(&fx, 0), "3-run at %#llx", (unsigned long long)a);
    EXPECT(ops->free_frames(fx.state) == 5 && ok_check(&fx), "3 frames used, tail free");
    EXPECT(ops->alloc_run(fx.state, 4, 0, &b) == FA_OK && b == FRAME(&fx, 4), "4-run at %#llx", (unsigned long long)b);
    EXPECT(ops->alloc(fx.state, &c) == FA_OK && c == FRAME(&fx, 3), "the tail frame, got %#llx", (unsigned long long)c);
    EXPECT_REFUSED(&fx, ops->alloc(fx.state, &c), FA_ENOMEM);
    /* Free in an order that coalesces 3 into 0..3 only once 0..2 are back. */
    EXPECT(ops->free(fx.state, FRAME(&fx, 3)) == FA_OK && ops->free_run(fx.state, a, 3) == FA_OK &&
               ops->free_run(fx.state, b, 4) == FA_OK && ok_check(&fx),
           "frees");
    EXPECT(ops->alloc_run(fx.state, 8, 3, &a) == FA_OK && a == FRAME(&fx, 0), "coalesced to one 8-block");
    fixture_close(&fx);
}

/* Frames 3 and 4 free, the rest reserved: two contiguous free frames, but no
 * free aligned 2-block, so alloc_run(2) is FA_ENOMEM; alloc_run(1) works. */
static void straddling_run_is_no_block(void)
{
    struct fixture fx;
    open_buddy(&fx, 0, 8);
    const struct fa_ops *ops = fx.ops;
    EXPECT(ops->reserve(fx.state, FRAME(&fx, 0), 3) == FA_OK && ops->reserve(fx.state, FRAME(&fx, 5), 3) == FA_OK,
           "reserve around 3..4");
    EXPECT(ops->free_frames(fx.state) == 2 && ok_check(&fx), "two frames free");
    uint64_t pa;
    EXPECT_REFUSED(&fx, ops->alloc_run(fx.state, 2, 0, &pa), FA_ENOMEM);
    EXPECT(ops->alloc_run(fx.state, 1, 0, &pa) == FA_OK && (pa == FRAME(&fx, 3) || pa == FRAME(&fx, 4)),
           "a single frame still fits");
    fixture_close(&fx);
}

/* Base frame 0x12345, 11 frames (0x12345..0x1234f): blocks 0x12345 (1),
 * 0x12346 (2), 0x12348 (8).  An 8-aligned run exists once; a 16-aligned one
 * never; every run starts on its own block size. */
static void odd_base_blocks(void)
{
    struct fixture fx;
    open_buddy(&fx, UINT64_C(0x12345) << FA_FRAME_SHIFT, 11);
    const struct fa_ops *ops = fx.ops;
    uint64_t pa = 0;
    EXPECT_REFUSED(&fx, ops->alloc_run(fx.state, 1, 4, &pa), FA_ENOMEM);
    EXPECT(ops->alloc_run(fx.state, 5, 0, &pa) == FA_OK && pa >> FA_FRAME_SHIFT == 0x12348,
           "5 frames from the 8-block, got pfn %#llx", (unsigned long long)(pa >> FA_FRAME_SHIFT));
    EXPECT(ops->free_frames(fx.state) == 6 && ok_check(&fx), "tail of 3 given back");
    EXPECT_REFUSED(&fx, ops->alloc_run(fx.state, 1, 3, &pa), FA_ENOMEM);
    EXPECT(ops->alloc_run(fx.state, 2, 1, &pa) == FA_OK && (pa >> FA_FRAME_SHIFT) % 2 == 0, "a 2-block");
    EXPECT(ops->alloc_run(fx.state, 2, 0, &pa) == FA_OK && (pa >> FA_FRAME_SHIFT) % 2 == 0,
           "another 2-block (the tail's 0x1234e)");
    fixture_close(&fx);
}

/* Ranges need not match allocations: reserve splits blocks it cuts, free_run
 * of a range across block edges coalesces back to one block. */
static void ranges_across_blocks(void)
{
    struct fixture fx;
    open_buddy(&fx, 0, 64);
    const struct fa_ops *ops = fx.ops;
    uint64_t pa;
    EXPECT(ops->reserve(fx.state, FRAME(&fx, 5), 50) == FA_OK && ops->free_frames(fx.state) == 14 && ok_check(&fx),
           "reserve 5..54");
    /* Left free: blocks 0..3, 4, 55 and 56..63. */
    EXPECT(ops->alloc_run(fx.state, 8, 0, &pa) == FA_OK && pa == FRAME(&fx, 56), "8-block 56..63");
    EXPECT(ops->alloc_run(fx.state, 3, 0, &pa) == FA_OK && pa == FRAME(&fx, 0), "4-block 0..3 for 3");
    EXPECT(ops->free_frames(fx.state) == 3 && ok_check(&fx), "frames 3, 4 and 55 left");
    EXPECT_REFUSED(&fx, ops->alloc_run(fx.state, 2, 0, &pa), FA_ENOMEM); /* 3..4 straddles a 2-boundary */
    fixture_close(&fx);
    open_buddy(&fx, 0, 64);
    EXPECT(ops->reserve(fx.state, FRAME(&fx, 5), 50) == FA_OK, "reserve 5..54 again");
    EXPECT(ops->free_run(fx.state, FRAME(&fx, 5), 49) == FA_OK && ok_check(&fx), "free 5..53");
    EXPECT_REFUSED(&fx, ops->free_run(fx.state, FRAME(&fx, 53), 2), FA_EFREE);
    EXPECT(ops->free(fx.state, FRAME(&fx, 54)) == FA_OK, "free 54");
    EXPECT(ops->alloc_run(fx.state, 64, 0, &pa) == FA_OK && pa == FRAME(&fx, 0), "all 64 coalesced");
    fixture_close(&fx);
}

int main(void)
{
    if (!fa_find("buddy")) {
        fprintf(stderr, "no buddy strategy registered\n");
        return 1;
    }
    tail_given_back();
    straddling_run_is_no_block();
    odd_base_blocks();
    ranges_across_blocks();
    return check_report();
}
