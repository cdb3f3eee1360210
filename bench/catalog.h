/*
 * catalog.h: what framebench knows, in JSON, from its registries alone: the
 * patterns with their parameters and roles, the strategies with their
 * traits, the matrices' sizes, the input files.  The results file carries
 * the part its cells use; `framebench --catalog` prints all of it, so that
 * the tests, the plots and the validator name no pattern, strategy or size
 * of their own (results/README.md, "catalog").
 */
#ifndef FB_CATALOG_H
#define FB_CATALOG_H

#include "inputs.h"
#include "json.h"
#include "matrix.h"

/* The "patterns" and "strategies" lists of the results file: those of
 * cells[0..n) (threaded patterns aside: "threaded_patterns"). */
void fb_catalog_of_cells(struct json_out *j, const struct fb_cell *cells, size_t n);

/* The threaded patterns' entries of the results file, as members of the
 * open object. */
void fb_catalog_threaded(struct json_out *j);

/* Everything, as one document (schema framebench-catalog/1); inputs: the
 * input files a default run reads. */
void fb_catalog_write(struct json_out *j, const struct fb_inputs *inputs);

#endif
