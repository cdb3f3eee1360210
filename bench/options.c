/* options.c: see options.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame_alloc.h"
#include "options.h"

int fb_opt_bad(const char *program, const char *what, const char *value, const char *hint)
{
    fprintf(stderr, "%s: bad %s '%s'%s%s\n", program, what, value ? value : "(missing)", hint ? ": " : "",
            hint ? hint : "");
    return 2;
}

int fb_opt_number(const char *s, double lo, double hi, int integer, double *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    double v = strtod(s, &end);
    if (*end != '\0' || !(v >= lo && v <= hi) || (integer && v != (double)(long long)v))
        return -1;
    *out = v;
    return 0;
}

int fb_opt_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || errno == ERANGE || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int fb_opt_frames(const char *s, uint64_t *frames)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno == ERANGE)
        return -1;
    unsigned shift = 0;
    if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    else if (*end == 'T' || *end == 't')
        shift = 40;
    else if (*end != '\0')
        return -1;
    if (shift && (end[1] != '\0' || v > (UINT64_MAX >> shift)))
        return -1;
    uint64_t f = shift ? (v << shift) >> FA_FRAME_SHIFT : v;
    if (f < 1024 || f > UINT32_MAX)
        return -1;
    *frames = f;
    return 0;
}

int fb_opt_split(char *s, const char **names, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(s, ",", &save); tok && n < max - 1; tok = strtok_r(NULL, ",", &save))
        names[n++] = tok;
    names[n] = NULL;
    return n;
}
