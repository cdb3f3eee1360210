#include "fuzz_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "differ.h"

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

/* A free, free_run or reserve of an address the contract must refuse. */
static void bad_address(struct reader *r, struct differ *d)
{
    uint64_t n = d->fx.nframes, page = FA_FRAME_SIZE, pa, count = 1;
    unsigned kind = get8(r) % 2;
    switch (get8(r) % 6) {
    case 0: pa = differ_addr(d, get16(r) % n) + 1 + get16(r) % (page - 1); break;
    case 1: pa = d->fx.base ? d->fx.base - page : UINT64_MAX - (page - 1); break;
    case 2: pa = differ_addr(d, n); break;
    case 3: pa = differ_addr(d, n - 1), count = 2 + get8(r); break;
    case 4: pa = differ_addr(d, get16(r) % n), count = UINT64_MAX - get8(r); break;
    default: pa = (UINT64_MAX - (page - 1)) - (uint64_t)get8(r) * page; break;
    }
    if (kind == 0)
        differ_free(d, pa, count);
    else
        differ_reserve(d, pa, count);
}

/* Decodes one operation and applies it (several for OP_ALLOC_MANY). */
static void step(struct reader *r, struct differ *d)
{
    const struct model *m = &d->model;
    uint64_t n = m->nframes, i;
    switch (get8(r) % OP_COUNT) {
    case OP_ALLOC: differ_alloc(d); break;
    case OP_ALLOC_MANY:
        for (unsigned k = get8(r) % 64; k > 0 && d->fails == 0; k--)
            differ_alloc(d);
        break;
    case OP_ALLOC_RUN: {
        unsigned c = get8(r), o = get8(r) % 16;
        uint64_t count = c < 224 ? 1 + c % 32 : get16(r); /* sometimes 0 or larger than the region */
        differ_alloc_run(d, count, o < 14 ? o : FA_MAX_ALIGN_ORDER + (o - 14)); /* 40 is legal, 41 not */
        break;
    }
    case OP_FREE_USED: differ_free(d, differ_addr(d, find_frame(m, get16(r) % n, 1)), 1); break;
    case OP_FREE_RUN_USED:
        i = find_frame(m, get16(r) % n, 1);
        differ_free(d, differ_addr(d, i), same_run(m, i, 1 + get8(r) % 64));
        break;
    case OP_FREE_RUN_ANY:
        i = get16(r) % n;
        differ_free(d, differ_addr(d, i), 1 + get8(r) % 64);
        break;
    case OP_RESERVE_FREE:
        i = find_frame(m, get16(r) % n, 0);
        differ_reserve(d, differ_addr(d, i), same_run(m, i, 1 + get8(r) % 64));
        break;
    case OP_RESERVE_ANY:
        i = get16(r) % n;
        differ_reserve(d, differ_addr(d, i), get8(r) % 65); /* 0 is refused with FA_EINVAL */
        break;
    case OP_DOUBLE_FREE: differ_free(d, differ_addr(d, find_frame(m, get16(r) % n, 0)), 1); break;
    default: bad_address(r, d); break;
    }
}

/* The source plug-ins compiled in (CMakeLists.txt generates the table). */
extern const struct fa_ops *const *const fa_extra_lists[];

/* The strategies an input's first byte picks from: the built-ins, then the
 * source plug-ins; or only the one FUZZ_STRATEGY names (its byte ignored). */
#define FUZZ_MAX_STRATEGIES 64
static const struct fa_ops *pool[FUZZ_MAX_STRATEGIES];
static size_t npool;

static void fill_pool(void)
{
    const char *only = getenv("FUZZ_STRATEGY");
    for (size_t i = 0; fa_strategies[i] && npool < FUZZ_MAX_STRATEGIES; i++)
        pool[npool++] = fa_strategies[i];
    for (size_t l = 0; fa_extra_lists[l]; l++)
        for (size_t i = 0; fa_extra_lists[l][i] && npool < FUZZ_MAX_STRATEGIES; i++)
            pool[npool++] = fa_extra_lists[l][i];
    if (!only || !*only)
        return;
    for (size_t i = 0; i < npool; i++)
        if (strcmp(pool[i]->name, only) == 0) {
            pool[0] = pool[i];
            npool = 1;
            return;
        }
    fprintf(stderr, "fuzz: FUZZ_STRATEGY=%s: no such strategy (there are:", only);
    for (size_t i = 0; i < npool; i++)
        fprintf(stderr, " %s", pool[i]->name);
    fprintf(stderr, ")\n");
    exit(2);
}

int fuzz_input_run(const uint8_t *data, size_t size)
{
    struct reader r = {data, size};
    if (!npool)
        fill_pool();
    const struct fa_ops *ops = pool[get8(&r) % npool];
    unsigned size_byte = get8(&r);
    uint64_t nframes = size_byte < 128 ? 1 + size_byte : 1 + get16(&r) % FUZZ_MAX_FRAMES;
    uint64_t base = bases[get8(&r) % (sizeof bases / sizeof bases[0])];
    /* A plug-in declares no traits: it is held to the contract alone. */
    const struct traits *t = traits_or_contract(ops);
    if (!t)
        return 0;
    struct differ d;
    differ_open(&d, ops, t, base, nframes);
    for (unsigned k = 0; d.fails == 0 && r.left > 0 && k < FUZZ_MAX_OPS; k++)
        step(&r, &d);
    int ok = d.fails == 0;
    differ_close(&d);
    return ok;
}
