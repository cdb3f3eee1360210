/* pattern_list.c: every pattern, in presentation order; the cross-check and the
 * harness rows last. */
#include <string.h>

#include "pattern.h"

/* The one line a new pattern adds: X(name) for its fb_<name>_pattern, in
 * presentation order. */
#define FB_PATTERN_LIST \
    X(fill)             \
    X(free_all)         \
    X(churn)            \
    X(checkerboard)     \
    X(worst)            \
    X(worst_wrap)       \
    X(lifo)             \
    X(runs)             \
    X(frag)             \
    X(trace)            \
    X(boot)             \
    X(churn_recorded)   \
    X(churn_walk)       \
    X(harness)

#define X(name) extern const struct fb_pattern fb_##name##_pattern;
FB_PATTERN_LIST
#undef X

const struct fb_pattern *const fb_patterns[] = {
#define X(name) &fb_##name##_pattern,
    FB_PATTERN_LIST
#undef X
    0,
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
