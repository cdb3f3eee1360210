/*
 * fuzz_input.h: turns arbitrary bytes into one differential run: a strategy,
 * a region and a sequence of operations, each applied to the strategy and the
 * model through differ.h, which checks they agree after every one.  Shared by the libFuzzer target and the plain
 * replay of the committed corpus and regressions, so an input that fails in
 * one fails the same way in the other.
 *
 * Layout (every read past the end yields zero bytes, so any input decodes):
 *   byte 0       strategy index in fa_strategies, modulo their number (a new
 *                strategy renumbers those after it: regenerate the corpus
 *                with make_corpus.sh and fix regression inputs' first byte)
 *   byte 1       region size: < 128 gives 1 + byte frames, otherwise two more
 *                bytes give 1 + (u16 % FUZZ_MAX_FRAMES)
 *   next byte    base: 0, 1 MiB, an odd frame (0x12345), or 0x7ff frames
 *   then         operations, an opcode byte and its arguments each (see
 *                fuzz_input.c), at most FUZZ_MAX_OPS of them.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* Three summary words of 64 x 64 frames and then some: every boundary. */
#define FUZZ_MAX_FRAMES (3u * 4096u + 77u)
#define FUZZ_MAX_OPS 512u

/* Runs the input, stopping at the first disagreement; 1 when strategy and
 * model agreed throughout, else 0 (differ has printed why to stderr). */
int fuzz_input_run(const uint8_t *data, size_t size);

#endif
