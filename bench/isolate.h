/*
 * isolate.h: a cell run in a child process.  framebench exists to run other
 * people's allocators; a plug-in that dereferences a bad pointer or loops
 * forever must fail its own cell, named with the signal or the silence, and
 * cost the run nothing else.  The child is forked when the cell's
 * repetition begins and runs the cell's executor (executor.h) on request:
 * open, each batch, finish, close.  It times the ops itself, so only the
 * requests' round trips (tens of microseconds a batch, off the clock) and
 * the fork (about a millisecond a repetition) are added, to the wall time
 * alone.  A child silent for the watchdog's time (for a batch, 100 times
 * its estimate if that is longer) is killed, and the strategy's later
 * cells are not run: each would hang as long.
 */
#ifndef FB_ISOLATE_H
#define FB_ISOLATE_H

#include "gbench.h"

struct fb_cell;
struct fb_executor;

/* Which cells run isolated. */
enum fb_isolate {
    FB_ISOLATE_NONE,
    FB_ISOLATE_PLUGINS, /* the default: cells of a strategy loaded or compiled in from a plug-in */
    FB_ISOLATE_ALL,
};

/* The executor's calls, in the cell's child; the same contracts, and a
 * crash or silence reported as the call's failure in err. */
int fb_isolated_open(struct fb_cell *c, const struct fb_executor *x, double watchdog_s, char err[GB_ERROR_LEN]);
double fb_isolated_run(struct fb_cell *c, uint64_t n, char err[GB_ERROR_LEN]);
void fb_isolated_finish(struct fb_cell *c, struct gb_finish *out);
void fb_isolated_close(struct fb_cell *c);

/* The cost model's probe of a plug-in's strategy, fn(arg), in a child
 * process: 0 with its value in *out, or -1 with *out 0 when it crashed or
 * was silent for timeout_s (said on stderr, naming `what`; a silent
 * strategy is recorded as hung, as by a cell). */
struct fa_ops;
int fb_isolated_probe(const struct fa_ops *ops, const char *what, double (*fn)(void *arg), void *arg, double timeout_s,
                      double *out);

#endif
