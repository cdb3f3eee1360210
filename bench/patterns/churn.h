/* churn.h: the churn loop, shared with the harness row. */
#ifndef FB_CHURN_H
#define FB_CHURN_H

#include "pattern.h"

fa_err fb_churn_prepare(struct fb_work *w);
uint64_t fb_churn_scratch(uint64_t nframes, const struct fb_params *p);
void fb_churn_ops(struct fb_work *w, uint64_t n);
uint64_t fb_churn_runs_2m_free(const struct fb_work *w);

#endif
