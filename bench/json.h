/* json.h: framebench's one JSON writer.  It places the commas and the
 * indentation itself, so no caller writes a separator by hand:
 *
 *   struct json_out j;
 *   json_start(&j, f, 1);          members of the top object one per line
 *   json_open(&j, '{');
 *   json_key(&j, "schema"); json_str_v(&j, "framebench-results/2");
 *   json_key(&j, "results"); json_open(&j, '[');  ...  json_close(&j);
 *   json_close(&j);
 *
 * Strict JSON only: strings are escaped, NaN and infinities become null. */
#ifndef FB_JSON_H
#define FB_JSON_H

#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_out {
    FILE *f;
    int depth;
    int pretty;                         /* the members of containers this deep or less go one per line */
    int after_key;                      /* a key was written: the next value takes no separator */
    unsigned count[JSON_MAX_DEPTH + 1]; /* members so far, per open container */
    char close[JSON_MAX_DEPTH + 1];
};

void json_start(struct json_out *j, FILE *f, int pretty);
void json_open(struct json_out *j, char bracket); /* '{' or '[' as a value */
void json_close(struct json_out *j);              /* the innermost one */
void json_key(struct json_out *j, const char *key);
void json_str_v(struct json_out *j, const char *s);
void json_num_v(struct json_out *j, double x); /* %.10g */
void json_count_v(struct json_out *j, unsigned long long n);
void json_bool_v(struct json_out *j, int b);
void json_null_v(struct json_out *j);

/* key and value in one call. */
void json_kstr(struct json_out *j, const char *key, const char *s);
void json_knum(struct json_out *j, const char *key, double x);
void json_kcount(struct json_out *j, const char *key, unsigned long long n);
void json_kbool(struct json_out *j, const char *key, int b);
/* A measured figure: a whole number below 2^64 as an exact integer (a count,
 * an address), anything else as json_num_v. */
void json_kfigure(struct json_out *j, const char *key, double v);

#endif
