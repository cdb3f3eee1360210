/*
 * line_reader.c: lines from a plain or gzip file through zlib (see the header
 * for why truncation needs care).
 */
#include "line_reader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

int fb_lines_open(struct fb_lines *r, const char *path, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    errno = 0;
    /* A directory opens, and its first read fails "Is a directory": say so
     * plainly (a subdirectory inside --traces DIR). */
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: a directory, not a file (an input directory holds its files directly)", path);
        return -1;
    }
    /* "-" is standard input (a dup, so closing the reader leaves fd 0 open). */
    int fd = strcmp(path, "-") == 0 ? dup(0) : -1;
    gzFile gz = fd >= 0 ? gzdopen(fd, "rb") : gzopen(path, "rb");
    if (!gz) {
        snprintf(err, errlen, "%s: cannot open: %s", path, errno ? strerror(errno) : "out of memory");
        return -1;
    }
    gzbuffer(gz, 128 * 1024); /* fewer read calls on traces of hundreds of MB */
    r->gz = gz;
    r->compressed = !gzdirect(gz);
    return 0;
}

/* Non-zero (and a message) when zlib has recorded an error on the stream. */
static int stream_failed(struct fb_lines *r, char *err, size_t errlen)
{
    int code;
    const char *msg = gzerror(r->gz, &code);
    if (code == Z_OK)
        return 0;
    if (code == Z_ERRNO)
        msg = strerror(errno);
    size_t n = strlen(r->path); /* zlib starts its message with the path */
    if (strncmp(msg, r->path, n) == 0 && strncmp(msg + n, ": ", 2) == 0)
        msg += n + 2;
    snprintf(err, errlen, "%s:%lu: %s%s", r->path, r->lineno + 1,
             r->compressed ? "gzip stream damaged or truncated: " : "read error: ", msg);
    return 1;
}

static int grow(struct fb_lines *r)
{
    size_t cap = r->cap ? r->cap * 2 : 256;
    char *p = realloc(r->line, cap);
    if (!p)
        return -1;
    r->line = p;
    r->cap = cap;
    return 0;
}

int fb_lines_next(struct fb_lines *r, char *err, size_t errlen)
{
    gzFile gz = r->gz;
    r->len = 0;
    int c, any = 0;
    while ((c = gzgetc(gz)) != -1) {
        any = 1;
        if (c == '\n')
            break;
        if (c == '\r') { /* CR LF, or a lone CR (old Mac files): one line end */
            int next = gzgetc(gz);
            if (next != '\n' && next != -1)
                gzungetc(next, gz);
            break;
        }
        /* A NUL is no text: refused here, so that it neither ends a line
         * early nor hides the rest (and /dev/zero does not spin forever). */
        if (c == '\0') {
            snprintf(err, errlen, "%s:%lu: a NUL byte at column %zu: not a text file", r->path, r->lineno + 1,
                     r->len + 1);
            return -1;
        }
        if (r->len + 1 >= FB_LINE_MAX) {
            snprintf(err, errlen, "%s:%lu: a line over %u bytes: not a text file", r->path, r->lineno + 1, FB_LINE_MAX);
            return -1;
        }
        if (r->len + 2 > r->cap && grow(r) != 0) {
            snprintf(err, errlen, "%s:%lu: out of memory", r->path, r->lineno + 1);
            return -1;
        }
        r->line[r->len++] = (char)c;
    }
    /* End of input, an error or a truncated stream: zlib tells which only
     * through its error state, checked before a last line without newline
     * is handed out. */
    if (stream_failed(r, err, errlen))
        return -1;
    if (!any)
        return 0;
    if (r->cap == 0 && grow(r) != 0) {
        snprintf(err, errlen, "%s:%lu: out of memory", r->path, r->lineno + 1);
        return -1;
    }
    r->line[r->len] = '\0';
    r->lineno++;
    return 1;
}

int fb_lines_close(struct fb_lines *r, char *err, size_t errlen)
{
    int rc = 0;
    if (r->gz) {
        int z = gzclose_r(r->gz);
        if (z != Z_OK) {
            if (err)
                snprintf(err, errlen, "%s: %s (zlib error %d)", r->path,
                         z == Z_BUF_ERROR ? "gzip stream truncated" : "gzip stream damaged", z);
            rc = -1;
        }
    }
    free(r->line);
    r->gz = NULL;
    r->line = NULL;
    r->cap = r->len = 0;
    return rc;
}

void fb_lines_error(const struct fb_lines *r, char *err, size_t errlen, const char *what)
{
    const char *text = r->line ? r->line : "";
    int shown = (int)(r->len > 120 ? 120 : r->len);
    snprintf(err, errlen, "%s:%lu: %s: \"%.*s\"%s", r->path, r->lineno, what, shown, text, r->len > 120 ? "..." : "");
}
