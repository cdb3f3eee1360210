/*
 * options.h: the command-line values framebench, framebench-run and
 * framebench-check share: numbers with their range, region sizes, comma
 * lists, and one error format, "<program>: bad <what> '<value>': <hint>".
 */
#ifndef FB_OPTIONS_H
#define FB_OPTIONS_H

#include <stdint.h>

/* Prints the error on stderr and returns 2, the exit status of a bad
 * command line.  hint may be NULL. */
int fb_opt_bad(const char *program, const char *what, const char *value, const char *hint);

/* A number in plain decimal notation in [lo, hi], the whole string (no
 * hex, inf or nan); digits alone where `integer`.  0, or -1. */
int fb_opt_number(const char *s, double lo, double hi, int integer, double *out);

/* An unsigned decimal integer in [lo, hi], the whole string (no sign, no
 * rounding: every 64-bit value).  0, or -1. */
int fb_opt_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);

/* A region: a frame count ("16384") or a size ("64M", "1G", "64G", "1T"),
 * 1024 to 2^32-1 frames (patterns keep frames as 32-bit indices). */
int fb_opt_frames(const char *s, uint64_t *frames);
#define FB_OPT_FRAMES_HINT "want 1024..2^32-1 frames, or 64M, 1G, 16G, 64G, 1T"

/* Splits a comma list in place into names[0..max-1) (NULL-terminated);
 * the count, or -1 where an item is empty ("a,,b") or there are more than
 * max - 1. */
int fb_opt_split(char *s, const char **names, int max);

#endif
