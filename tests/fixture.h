/*
 * fixture.h: one strategy's state in a buffer of exactly state_size bytes,
 * with a snapshot so a test can prove a refused call changed nothing.
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <stdint.h>
#include <string.h>

#include "check.h"
#include "frame_alloc.h"

struct fixture {
    const struct fa_ops *ops;
    void *state;
    unsigned char *snapshot;
    size_t bytes;
    uint64_t base, nframes;
};

/* Allocates and initialises; exits the test on failure (nothing to test). */
void fixture_open(struct fixture *fx, const struct fa_ops *ops, uint64_t base, uint64_t nframes);
void fixture_close(struct fixture *fx);

static inline void fixture_snap(struct fixture *fx) { memcpy(fx->snapshot, fx->state, fx->bytes); }
static inline int fixture_unchanged(const struct fixture *fx)
{
    return memcmp(fx->snapshot, fx->state, fx->bytes) == 0;
}

/* Runs `call`, which must return `want` and, being an error, leave the state
 * byte for byte as it was. */
#define EXPECT_REFUSED(fx, call, want)                                                                      \
    do {                                                                                                    \
        fixture_snap(fx);                                                                                   \
        fa_err got_ = (call);                                                                               \
        EXPECT(got_ == (want), "%s n=%llu base=%#llx: %s gave '%s', want '%s'", (fx)->ops->name,            \
               (unsigned long long)(fx)->nframes, (unsigned long long)(fx)->base, #call, fa_strerror(got_), \
               fa_strerror(want));                                                                          \
        EXPECT(fixture_unchanged(fx), "%s n=%llu: %s changed the state", (fx)->ops->name,                   \
               (unsigned long long)(fx)->nframes, #call);                                                   \
    } while (0)

#endif
