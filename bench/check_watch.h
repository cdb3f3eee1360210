/*
 * check_watch.h: framebench-check calls the strategy under check through
 * wrappers that remember the call in flight, so that a strategy that
 * faults (a write past its state lands on the guard page after every test
 * state, tests/check.h) is reported with the call that faulted, not only
 * the suite.
 */
#ifndef FB_CHECK_WATCH_H
#define FB_CHECK_WATCH_H

#include "frame_alloc.h"

/* `ops` behind the wrappers (same name and summary); on SIGSEGV or SIGBUS
 * "call NAME(ARGS)\n" goes to fd before the process dies of the signal.
 * One strategy per process: the wrappers keep it in a global. */
const struct fa_ops *fb_check_watch(const struct fa_ops *ops, int fd);
/* From here on a fault names no call: the calls that follow are not the
 * wrappers' (the concurrent suite calls the thread-safe view). */
void fb_check_watch_forget(void);

#endif
