/*
 * check.h: the few assertion helpers the C tests share.  A failed EXPECT
 * prints where and why and counts; tests keep going so one run shows every
 * broken case, then check_report() prints the tally ctest shows.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <stdlib.h>

extern unsigned long check_passed, check_failed;
/* Non-zero: count, print nothing (a reduction replaying a failing case). */
extern int check_quiet;

#define EXPECT(cond, ...)                                                           \
    do {                                                                            \
        if (cond) {                                                                 \
            check_passed++;                                                         \
        } else {                                                                    \
            check_failed++;                                                         \
            if (check_failed <= 50 && !check_quiet) {                               \
                fprintf(stderr, "%s:%d: expected %s: ", __FILE__, __LINE__, #cond); \
                fprintf(stderr, __VA_ARGS__);                                       \
                fputc('\n', stderr);                                                \
            }                                                                       \
        }                                                                           \
    } while (0)

/* Prints "N passed, N failed" and returns the process exit code. */
int check_report(void);

/* A zeroed state buffer of `bytes`, FA_STATE_ALIGN aligned, ending against
 * an inaccessible page (a write past the state faults); exits on OOM.
 * Given back with check_state_free. */
void *check_state_alloc(size_t bytes);
void check_state_free(void *state);
/* Where `addr` lies past the end of a live test state (bytes, from 0), or
 * -1 if it lies in no state's guard page.  Safe in a signal handler. */
long check_state_past(const void *addr);

/* splitmix64: a small seeded generator so every run replays exactly. */
unsigned long long check_rand(unsigned long long *seed);

#endif
