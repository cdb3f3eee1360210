/*
 * line_reader.h: the input files of framebench (traces, memory maps) are text,
 * often gzip'd.  One reader serves both: zlib's gzopen reads a plain file
 * transparently and a gzip file (recognised by its magic bytes 1f 8b) through
 * inflate, so every reader handles both without a second code path.
 *
 * A gzip file cut short is an error, never a shorter input: zlib only says so
 * in its error state at end of file, so the reader checks that state before it
 * hands out a last line that has no newline, and again at close.
 */
#ifndef FB_LINE_READER_H
#define FB_LINE_READER_H

#include <stddef.h>

/* Longest line a reader takes: a trace or map line is under 200 bytes, so a
 * longer one is a file that is not text. */
#define FB_LINE_MAX 65536u

struct fb_lines {
    void *gz;         /* gzFile, opaque so callers need no zlib.h */
    const char *path; /* for messages; not copied */
    char *line;       /* the current line, newline stripped */
    size_t len, cap;
    unsigned long lineno; /* 1-based number of the current line */
    int compressed;       /* 1: gzip, 0: plain text */
};

/* Opens `path` ("-": standard input); -1 with a message in err when it
 * cannot be read. */
int fb_lines_open(struct fb_lines *r, const char *path, char *err, size_t errlen);

/* 1: r->line holds the next line (its end, LF, CR LF or a lone CR,
 * stripped); 0: end of input; -1 with "path:line: why" in err: a read
 * error, a truncated gzip, a NUL byte or a line over FB_LINE_MAX bytes. */
int fb_lines_next(struct fb_lines *r, char *err, size_t errlen);

/* Closes; -1 with a message when zlib reports the stream was damaged.  Safe
 * to call after an error; err may be NULL to ignore the verdict. */
int fb_lines_close(struct fb_lines *r, char *err, size_t errlen);

/* Formats "path:line: what: text" into err, quoting at most 120 characters of
 * the offending text so a binary file does not flood the terminal. */
void fb_lines_error(const struct fb_lines *r, char *err, size_t errlen, const char *what);

#endif
