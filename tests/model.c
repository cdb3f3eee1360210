#include "model.h"

#include <stdlib.h>
#include <string.h>

void model_init(struct model *m, uint64_t base, uint64_t nframes)
{
    m->pfn0 = base >> FA_FRAME_SHIFT;
    m->nframes = m->nfree = nframes;
    m->used = calloc(nframes, 1);
    if (!m->used)
        abort();
}

void model_destroy(struct model *m) { free(m->used); }

static fa_err locate(const struct model *m, uint64_t pa, uint64_t count, uint64_t *i)
{
    if (count == 0)
        return FA_EINVAL;
    if (pa % FA_FRAME_SIZE)
        return FA_EALIGN;
    uint64_t pfn = pa / FA_FRAME_SIZE;
    if (pfn < m->pfn0 || pfn - m->pfn0 >= m->nframes || count > m->nframes - (pfn - m->pfn0))
        return FA_ERANGE;
    *i = pfn - m->pfn0;
    return FA_OK;
}

fa_err model_free_run_err(const struct model *m, uint64_t pa, uint64_t count)
{
    uint64_t i;
    fa_err e = locate(m, pa, count, &i);
    if (e)
        return e;
    for (uint64_t k = i; k < i + count; k++)
        if (!m->used[k])
            return FA_EFREE;
    return FA_OK;
}

fa_err model_reserve_err(const struct model *m, uint64_t pa, uint64_t count)
{
    uint64_t i;
    fa_err e = locate(m, pa, count, &i);
    if (e)
        return e;
    for (uint64_t k = i; k < i + count; k++)
        if (m->used[k])
            return FA_EBUSY;
    return FA_OK;
}

int model_run_fits(const struct model *m, uint64_t pa, uint64_t count, unsigned order)
{
    uint64_t i;
    if (locate(m, pa, count, &i) != FA_OK || (pa / FA_FRAME_SIZE) % (UINT64_C(1) << order))
        return 0;
    for (uint64_t k = i; k < i + count; k++)
        if (m->used[k])
            return 0;
    return 1;
}

uint64_t model_first_fit(const struct model *m, uint64_t count, unsigned order)
{
    /* One pass over the free stretches [a, b): the first aligned start in a
     * stretch that leaves room for count frames wins.  O(n). */
    uint64_t step = UINT64_C(1) << order;
    for (uint64_t a = 0; a < m->nframes;) {
        if (m->used[a]) {
            a++;
            continue;
        }
        uint64_t b = a;
        while (b < m->nframes && !m->used[b])
            b++;
        uint64_t s = (m->pfn0 + a + step - 1) / step * step - m->pfn0;
        if (s < b && b - s >= count)
            return (m->pfn0 + s) * FA_FRAME_SIZE;
        a = b;
    }
    return UINT64_MAX;
}

void model_mark(struct model *m, uint64_t pa, uint64_t count, int used)
{
    uint64_t i = pa / FA_FRAME_SIZE - m->pfn0;
    memset(m->used + i, used, count);
    if (used)
        m->nfree -= count;
    else
        m->nfree += count;
}
