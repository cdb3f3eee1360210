/*
 * input_test.h: what the fb_input tests share: scratch files made on the spot
 * for bad input, and a state buffer sized for a strategy.
 */
#ifndef FB_INPUT_TEST_H
#define FB_INPUT_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "frame_alloc.h"

/* The committed inputs (bench/data), from CMake. */
#define DATA FB_INPUT_DATA
#define GCC_TRACE DATA "/traces/gcc-build.perf.txt.gz"

/* A temporary file in the working directory holding `len` bytes of `text`;
 * its path in a static buffer (one at a time is enough).  Exits on failure. */
const char *temp_file(const void *text, size_t len);
static inline const char *temp_text(const char *text) { return temp_file(text, strlen(text)); }

static inline int contains(const char *haystack, const char *needle) { return strstr(haystack, needle) != NULL; }

/* An aligned, zeroed state buffer of ops->state_size(nframes) bytes. */
void *state_for(const struct fa_ops *ops, uint64_t nframes, size_t *bytes);

#endif
