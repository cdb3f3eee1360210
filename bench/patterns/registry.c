/* registry.c: every pattern, in presentation order; the cross-check and the
 * harness rows last. */
#include <string.h>

#include "pattern.h"

extern const struct fb_pattern fb_fill_pattern, fb_free_all_pattern, fb_churn_pattern,
    fb_checkerboard_pattern, fb_worst_pattern, fb_worst_wrap_pattern, fb_lifo_pattern, fb_runs_pattern, fb_trace_pattern, fb_boot_pattern,
    fb_churn_recorded_pattern;

const struct fb_pattern *const fb_patterns[] = {
    &fb_fill_pattern, &fb_free_all_pattern, &fb_churn_pattern, &fb_checkerboard_pattern,
    &fb_worst_pattern, &fb_worst_wrap_pattern, &fb_lifo_pattern, &fb_runs_pattern, &fb_trace_pattern,
    &fb_boot_pattern, &fb_churn_recorded_pattern, &fb_harness_pattern, 0,
};

const struct fb_pattern *fb_pattern_find(const char *name)
{
    for (const struct fb_pattern *const *p = fb_patterns; *p; p++)
        if (strcmp((*p)->name, name) == 0)
            return *p;
    return 0;
}

const struct fb_pattern *fb_pattern_for_input(const char *key)
{
    for (const struct fb_pattern *const *p = fb_patterns; *p; p++)
        if ((*p)->input_key && strcmp((*p)->input_key, key) == 0)
            return *p;
    return 0;
}
