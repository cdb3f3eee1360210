#include "fuzz_input.h"

#include "diff_step.h"

/* The bytes not read yet; past the end every read is 0. */
struct reader {
    const uint8_t *p;
    size_t left;
};

static unsigned get8(struct reader *r)
{
    if (r->left == 0)
        return 0;
    r->left--;
    return *r->p++;
}

static unsigned get16(struct reader *r)
{
    unsigned hi = get8(r);
    return hi << 8 | get8(r);
}

static const uint64_t bases[] = {0, UINT64_C(1) << 20, UINT64_C(0x12345) << FA_FRAME_SHIFT,
                                 UINT64_C(0x7ff) << FA_FRAME_SHIFT};

/* Operations are chosen mostly from the model's state, so frees hit used
 * frames and reserves free ones often enough to reach deep states. */
enum fuzz_opcode {
    OP_ALLOC,
    OP_ALLOC_MANY,
    OP_ALLOC_RUN,
    OP_FREE_USED,
    OP_FREE_RUN_USED,
    OP_FREE_RUN_ANY,
    OP_RESERVE_FREE,
    OP_RESERVE_ANY,
    OP_DOUBLE_FREE,
    OP_BAD_ADDRESS,
    OP_COUNT
};

/* First frame at or after `from`, wrapping, whose state is `used`; `from`
 * itself when there is none. */
static uint64_t find_frame(const struct model *m, uint64_t from, int used)
{
    for (uint64_t k = 0; k < m->nframes; k++) {
        uint64_t i = (from + k) % m->nframes;
        if (m->used[i] == used)
            return i;
    }
    return from;
}

/* Frames from i on in i's state, at most max. */
static uint64_t same_run(const struct model *m, uint64_t i, uint64_t max)
{
    uint64_t n = 1;
    while (n < max && i + n < m->nframes && m->used[i + n] == m->used[i])
        n++;
    return n;
}

static uint64_t addr(const struct diff *d, uint64_t i) { return d->fx.base + i * FA_FRAME_SIZE; }

/* free, free_run or reserve of an address the contract must refuse. */
static struct diff_op bad_address(struct reader *r, const struct diff *d)
{
    static const enum diff_kind kinds[] = {DIFF_FREE, DIFF_FREE_RUN, DIFF_RESERVE};
    uint64_t n = d->m.nframes, page = FA_FRAME_SIZE;
    struct diff_op op = {.kind = kinds[get8(r) % 3], .count = 1};
    switch (get8(r) % 6) {
    case 0: op.pa = addr(d, get16(r) % n) + 1 + get16(r) % (page - 1); break;
    case 1: op.pa = d->fx.base ? d->fx.base - page : UINT64_MAX - (page - 1); break;
    case 2: op.pa = addr(d, n); break;
    case 3: op.pa = addr(d, n - 1), op.count = 2 + get8(r); break;
    case 4: op.pa = addr(d, get16(r) % n), op.count = UINT64_MAX - get8(r); break;
    default: op.pa = (UINT64_MAX - (page - 1)) - (uint64_t)get8(r) * page; break;
    }
    return op;
}

/* Decodes one operation and applies it (several for OP_ALLOC_MANY). */
static int step(struct reader *r, struct diff *d)
{
    const struct model *m = &d->m;
    uint64_t n = m->nframes, i;
    struct diff_op op = {.kind = DIFF_ALLOC};
    switch (get8(r) % OP_COUNT) {
    case OP_ALLOC: break;
    case OP_ALLOC_MANY:
        for (unsigned k = get8(r) % 64; k > 0; k--)
            if (!diff_apply(d, &op, NULL))
                return 0;
        break;
    case OP_ALLOC_RUN: {
        unsigned c = get8(r), o = get8(r) % 16;
        op.kind = DIFF_ALLOC_RUN;
        op.count = c < 224 ? 1 + c % 32 : get16(r); /* sometimes 0 or larger than the region */
        op.order = o < 14 ? o : FA_MAX_ALIGN_ORDER + (o - 14); /* 40 is legal, 41 is not */
        break;
    }
    case OP_FREE_USED:
        op.kind = DIFF_FREE;
        op.pa = addr(d, find_frame(m, get16(r) % n, 1));
        break;
    case OP_FREE_RUN_USED:
        i = find_frame(m, get16(r) % n, 1);
        op = (struct diff_op){.kind = DIFF_FREE_RUN, .pa = addr(d, i), .count = same_run(m, i, 1 + get8(r) % 64)};
        break;
    case OP_FREE_RUN_ANY:
        op.kind = DIFF_FREE_RUN;
        op.pa = addr(d, get16(r) % n);
        op.count = 1 + get8(r) % 64;
        break;
    case OP_RESERVE_FREE:
        i = find_frame(m, get16(r) % n, 0);
        op = (struct diff_op){.kind = DIFF_RESERVE, .pa = addr(d, i), .count = same_run(m, i, 1 + get8(r) % 64)};
        break;
    case OP_RESERVE_ANY:
        op.kind = DIFF_RESERVE;
        op.pa = addr(d, get16(r) % n);
        op.count = get8(r) % 65; /* 0 is refused with FA_EINVAL */
        break;
    case OP_DOUBLE_FREE:
        op.kind = DIFF_FREE;
        op.pa = addr(d, find_frame(m, get16(r) % n, 0));
        break;
    default: op = bad_address(r, d); break;
    }
    return diff_apply(d, &op, NULL);
}

static int count_strategies(void)
{
    int n = 0;
    while (fa_strategies[n])
        n++;
    return n;
}

int fuzz_input_run(const uint8_t *data, size_t size)
{
    struct reader r = {data, size};
    const struct fa_ops *ops = fa_strategies[get8(&r) % count_strategies()];
    unsigned size_byte = get8(&r);
    uint64_t nframes = size_byte < 128 ? 1 + size_byte : 1 + get16(&r) % FUZZ_MAX_FRAMES;
    uint64_t base = bases[get8(&r) % (sizeof bases / sizeof bases[0])];
    struct diff d;
    diff_open(&d, ops, base, nframes);
    int ok = 1;
    for (unsigned k = 0; ok && r.left > 0 && k < FUZZ_MAX_OPS; k++)
        ok = step(&r, &d);
    diff_close(&d);
    return ok;
}
