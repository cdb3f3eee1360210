/*
 * probes.h: the cost model's probe timings, kept beside the binary, so that
 * the same binary on the same machine always makes the same cells (a timed
 * probe on a shared machine varies by 2x between runs, and a cell near the
 * budget was run in one run and skipped in the next).  The file is keyed by
 * the binary (size and modification time) and the CPU model: a rebuild or
 * another machine probes afresh.  Written to a temporary name and renamed.
 */
#ifndef FB_PROBES_H
#define FB_PROBES_H

#include <stdint.h>

/* Reads the kept probes (none if the file is missing, stale or damaged). */
void fb_probes_load(void);
/* The kept ns of the probe (strategy, frames); 0 if none is kept. */
double fb_probes_get(const char *strategy, uint64_t nframes);
/* Keeps a new probe; fb_probes_save writes them out. */
void fb_probes_put(const char *strategy, uint64_t nframes, double ns);
/* Writes the file if a probe was added; silent when it cannot (the cells
 * are then only as stable as the probes). */
void fb_probes_save(void);

#endif
