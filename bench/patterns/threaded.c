/*
 * threaded.c: the threaded patterns (bench/threaded/) as patterns of the one
 * matrix.  Each is a pattern whose one parameter is the thread count, so that
 * its cells are named, planned, filtered, repeated and written as every
 * other: mt_bulk/lockfree/frames:262144/threads:2.
 */
#include <stddef.h>

#include "pattern.h"

#define MAX_THREADED 16

const struct fb_pattern *const *fb_threaded_patterns(void)
{
    static struct fb_pattern shells[MAX_THREADED];
    static const struct fb_pattern *list[MAX_THREADED + 1];
    if (list[0])
        return list;
    size_t n = 0;
    for (const struct fb_tpattern *const *t = fb_tpatterns; *t && n < MAX_THREADED; t++, n++) {
        shells[n] = (struct fb_pattern){
            .name = (*t)->name,
            .one_op = (*t)->one_op,
            .title = (*t)->title,
            .keys = {"threads"},
            .needs_runs = (*t)->needs_runs,
            .threaded = *t,
        };
        list[n] = &shells[n];
    }
    list[n] = NULL;
    return list;
}
