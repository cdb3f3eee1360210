/* json.c: see json.h. */
#include <math.h>

#include "json.h"

void json_start(struct json_out *j, FILE *f, int pretty) { *j = (struct json_out){.f = f, .pretty = pretty}; }

static void indent(struct json_out *j, int depth)
{
    fputc('\n', j->f);
    for (int i = 0; i < depth; i++)
        fputs("  ", j->f);
}

/* Before any value or key: the comma and line break the position needs. */
static void sep(struct json_out *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth == 0)
        return;
    if (j->count[j->depth]++)
        fputs(j->depth <= j->pretty ? "," : ", ", j->f);
    if (j->depth <= j->pretty)
        indent(j, j->depth);
}

void json_open(struct json_out *j, char bracket)
{
    sep(j);
    fputc(bracket, j->f);
    if (j->depth < JSON_MAX_DEPTH)
        j->depth++;
    j->count[j->depth] = 0;
    j->close[j->depth] = bracket == '{' ? '}' : ']';
}

void json_close(struct json_out *j)
{
    if (j->depth == 0)
        return;
    if (j->count[j->depth] && j->depth <= j->pretty)
        indent(j, j->depth - 1);
    fputc(j->close[j->depth], j->f);
    if (--j->depth == 0)
        fputc('\n', j->f);
}

static void raw_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

void json_key(struct json_out *j, const char *key)
{
    sep(j);
    raw_str(j->f, key);
    fputs(": ", j->f);
    j->after_key = 1;
}

void json_str_v(struct json_out *j, const char *s)
{
    sep(j);
    raw_str(j->f, s);
}

void json_num_v(struct json_out *j, double x)
{
    sep(j);
    if (isfinite(x))
        fprintf(j->f, "%.10g", x);
    else
        fputs("null", j->f);
}

void json_count_v(struct json_out *j, unsigned long long n)
{
    sep(j);
    fprintf(j->f, "%llu", n);
}

void json_bool_v(struct json_out *j, int b)
{
    sep(j);
    fputs(b ? "true" : "false", j->f);
}

void json_null_v(struct json_out *j)
{
    sep(j);
    fputs("null", j->f);
}

void json_kstr(struct json_out *j, const char *key, const char *s) { json_key(j, key), json_str_v(j, s); }
void json_knum(struct json_out *j, const char *key, double x) { json_key(j, key), json_num_v(j, x); }
void json_kcount(struct json_out *j, const char *key, unsigned long long n) { json_key(j, key), json_count_v(j, n); }
void json_kbool(struct json_out *j, const char *key, int b) { json_key(j, key), json_bool_v(j, b); }

void json_kfigure(struct json_out *j, const char *key, double v)
{
    if (v >= 0 && v < 18446744073709551616.0 && v == (double)(unsigned long long)v)
        json_kcount(j, key, (unsigned long long)v);
    else
        json_knum(j, key, v);
}
