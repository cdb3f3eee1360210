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

/* Plain decimal notation only: digits, one point, an exponent.  strtod
 * alone would take "0x10", "inf", "nan" and "0x1p-10". */
static int decimal(const char *s, int integer)
{
    if (!s || !*s)
        return 0;
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    size_t digits = strspn(p, "0123456789");
    p += digits;
    if (integer)
        return digits > 0 && *p == '\0';
    if (*p == '.') {
        size_t more = strspn(++p, "0123456789");
        p += more;
        digits += more;
    }
    if (digits && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        size_t exp = strspn(p, "0123456789");
        if (!exp)
            return 0;
        p += exp;
    }
    return digits > 0 && *p == '\0';
}

int fb_opt_number(const char *s, double lo, double hi, int integer, double *out)
{
    if (!decimal(s, integer))
        return -1;
    char *end;
    double v = strtod(s, &end);
    if (*end != '\0' || !(v >= lo && v <= hi))
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
    for (char *item = s; item;) {
        if (n == max - 1)
            return -1; /* more items than names holds */
        char *comma = strchr(item, ',');
        if (comma)
            *comma = '\0';
        if (!*item)
            return -1; /* "a,,b", ",a", "a,": an empty item */
        names[n++] = item;
        item = comma ? comma + 1 : NULL;
    }
    names[n] = NULL;
    return n;
}
