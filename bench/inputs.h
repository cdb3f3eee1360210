/*
 * inputs.h: the real input files of the input patterns (trace, boot), found
 * on the command line or in bench/data and loaded once, before any cell is
 * listed or run: a bad file stops framebench before it writes anything.
 */
#ifndef FB_INPUTS_H
#define FB_INPUTS_H

#include "pattern.h"

struct fb_inputs {
    struct fb_input *in;
    size_t n, cap;
};

/* Loads `path` for pattern pt: one file (or sysfs-style map directory) when
 * is_dir is 0, else every entry of the directory not starting with '.', in
 * name order.  0, or -1 with "file:line: why" in err.  Two inputs of one
 * pattern with the same stem are an error: names would clash. */
int fb_inputs_add(struct fb_inputs *list, const struct fb_pattern *pt, const char *path, int is_dir, char *err,
                  size_t len);

void fb_inputs_free(struct fb_inputs *list);

#endif
