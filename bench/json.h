/* json.h: the few strict-JSON writing helpers the results file needs. */
#ifndef FB_JSON_H
#define FB_JSON_H

#include <stdio.h>

/* A string with every character JSON requires escaped. */
void json_str(FILE *f, const char *s);
/* A number; NaN and infinities (not JSON) become null. */
void json_num(FILE *f, double x);

#endif
