#include "fixture.h"

void fixture_open(struct fixture *fx, const struct fa_ops *ops, uint64_t base, uint64_t nframes)
{
    fx->ops = ops;
    fx->base = base;
    fx->nframes = nframes;
    fx->bytes = ops->state_size(nframes);
    if (fx->bytes == 0) {
        fprintf(stderr, "%s: state_size(%llu) is 0\n", ops->name, (unsigned long long)nframes);
        exit(1);
    }
    fx->state = check_state_alloc(fx->bytes);
    fx->snapshot = malloc(fx->bytes);
    fa_err e = ops->init(fx->state, fx->bytes, base, nframes);
    if (!fx->snapshot || e != FA_OK) {
        fprintf(stderr, "%s: init(n=%llu, base=%#llx): %s\n", ops->name, (unsigned long long)nframes,
                (unsigned long long)base, fa_strerror(e));
        exit(1);
    }
}

void fixture_close(struct fixture *fx)
{
    check_state_free(fx->state);
    free(fx->snapshot);
}
