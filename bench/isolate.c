/* isolate.c: see isolate.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "executor.h"
#include "isolate.h"
#include "timing.h"

enum request { REQ_RUN, REQ_FINISH, REQ_CLOSE };

struct req {
    int what;
    uint64_t n;
};

struct reply {
    int ok;
    double seconds;
    char err[GB_ERROR_LEN];
};

/* The strategies whose child stopped answering, and where: their later
 * cells are not run (each would cost the watchdog's time again). */
#define MAX_HUNG 64
static const struct fa_ops *g_hung[MAX_HUNG];
static char g_hung_in[MAX_HUNG][FB_NAME_LEN];
static size_t g_nhung;

/* Where the strategy stopped answering, or NULL if it has not. */
static const char *hung_in(const struct fa_ops *ops)
{
    for (size_t i = 0; i < g_nhung; i++)
        if (g_hung[i] == ops)
            return g_hung_in[i];
    return NULL;
}

static void record_hung(const struct fa_ops *ops, const char *where)
{
    if (g_nhung < MAX_HUNG) {
        g_hung[g_nhung] = ops;
        snprintf(g_hung_in[g_nhung++], FB_NAME_LEN, "%s", where);
    }
}

static int write_full(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t k = write(fd, p, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k, len -= (size_t)k;
    }
    return 0;
}

static double now_s(void) { return (double)fb_now_ns() * 1e-9; }

/* 0; -1 at end of file or an error; -2 when nothing came for timeout_s. */
static int read_full(int fd, void *buf, size_t len, double timeout_s)
{
    char *p = buf;
    double until = now_s() + timeout_s;
    while (len) {
        double left = until - now_s();
        if (left <= 0)
            return -2;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int r = poll(&pfd, 1, left > 3600 ? 3600000 : (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            continue;
        ssize_t k = read(fd, p, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k, len -= (size_t)k;
    }
    return 0;
}

/* The child: the executor's calls on request, until close or the end of
 * the pipe.  Its replies are whole messages. */
static void child_loop(struct fb_cell *c, const struct fb_executor *x, int in, int out)
{
    struct reply r = {0};
    r.ok = x->open(c, r.err) == 0;
    if (write_full(out, &r, sizeof r) != 0 || !r.ok)
        return;
    struct req q;
    while (read_full(in, &q, sizeof q, 1e9) == 0) {
        memset(&r, 0, sizeof r);
        if (q.what == REQ_RUN) {
            r.seconds = x->run(c, q.n, r.err);
            r.ok = r.seconds >= 0;
            if (write_full(out, &r, sizeof r) != 0)
                return;
        } else if (q.what == REQ_FINISH) {
            /* The counters' names are string literals of this program or
             * of a library loaded before the fork: the same addresses in
             * the parent.  The series' values are copied after it. */
            struct gb_finish f = {0};
            x->finish(c, &f);
            struct fb_series s = c->series;
            int bad = write_full(out, &f, sizeof f) || write_full(out, &s, sizeof s);
            for (size_t k = 0; k < s.nnames && s.n && !bad; k++)
                bad = write_full(out, s.v[k], s.n * sizeof *s.v[k]);
            if (bad)
                return;
        } else {
            x->close(c);
            write_full(out, &r, sizeof r);
            return;
        }
    }
}

/* How the child ended, for the cell's error; the child reaped. */
static void ended(struct fb_cell *c, const char *during, int timed_out, double waited_s, char err[GB_ERROR_LEN])
{
    int st = 0;
    if (timed_out)
        kill(c->live.child, SIGKILL);
    waitpid(c->live.child, &st, 0);
    close(c->live.to_child);
    close(c->live.from_child);
    c->live.child = 0;
    if (timed_out) {
        snprintf(err, GB_ERROR_LEN,
                 "%s: no answer in %.3g s, killed (the strategy hangs?); its later cells are not run", during,
                 waited_s);
        record_hung(c->ops, c->name);
    } else if (WIFSIGNALED(st)) {
        snprintf(err, GB_ERROR_LEN, "%s: the strategy crashed: %s (signal %d)", during, strsignal(WTERMSIG(st)),
                 WTERMSIG(st));
    } else {
        /* Under a sanitizer a crash is its report and an exit status. */
        snprintf(err, GB_ERROR_LEN,
                 "%s: the strategy crashed: its process ended mid-request (exit %d; a "
                 "sanitizer's report, if any, is on stderr)",
                 during, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    }
}

static double g_watchdog_s = 60;

int fb_isolated_open(struct fb_cell *c, const struct fb_executor *x, double watchdog_s, char err[GB_ERROR_LEN])
{
    g_watchdog_s = watchdog_s;
    const char *where = hung_in(c->ops);
    if (where) {
        snprintf(err, GB_ERROR_LEN, "not run: %s stopped answering in %.100s", c->ops->name, where);
        return -1;
    }
    int down[2], up[2];
    if (pipe(down) != 0 || pipe(up) != 0) {
        snprintf(err, GB_ERROR_LEN, "cannot make the cell's pipes: %s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, GB_ERROR_LEN, "cannot start the cell's process: %s", strerror(errno));
        close(down[0]), close(down[1]), close(up[0]), close(up[1]);
        return -1;
    }
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        child_loop(c, x, down[0], up[1]);
        _exit(0); /* no atexit handler of the parent's runs twice */
    }
    close(down[0]);
    close(up[1]);
    c->live.child = pid;
    c->live.to_child = down[1];
    c->live.from_child = up[0];
    struct reply r;
    int got = read_full(c->live.from_child, &r, sizeof r, g_watchdog_s);
    if (got != 0) {
        ended(c, "setup", got == -2, g_watchdog_s, err);
        return -1;
    }
    if (!r.ok) {
        snprintf(err, GB_ERROR_LEN, "%s", r.err);
        return -1;
    }
    return 0;
}

double fb_isolated_run(struct fb_cell *c, uint64_t n, char err[GB_ERROR_LEN])
{
    if (!c->live.child) {
        snprintf(err, GB_ERROR_LEN, "the cell's process is gone");
        return -1;
    }
    struct req q = {REQ_RUN, n};
    struct reply r;
    double est = 100 * c->est_op_ns * (double)n * 1e-9, wait = est > g_watchdog_s ? est : g_watchdog_s;
    int got = write_full(c->live.to_child, &q, sizeof q) ? -1 : read_full(c->live.from_child, &r, sizeof r, wait);
    if (got != 0) {
        ended(c, "a timed batch", got == -2, wait, err);
        return -1;
    }
    if (!r.ok)
        snprintf(err, GB_ERROR_LEN, "%s", r.err);
    return r.ok ? r.seconds : -1;
}

void fb_isolated_finish(struct fb_cell *c, struct gb_finish *out)
{
    struct req q = {REQ_FINISH, 0};
    struct fb_series s;
    int got = !c->live.child || write_full(c->live.to_child, &q, sizeof q)
                  ? -1
                  : read_full(c->live.from_child, out, sizeof *out, g_watchdog_s);
    if (got == 0)
        got = read_full(c->live.from_child, &s, sizeof s, g_watchdog_s);
    if (got == 0 && s.n && s.nnames) {
        double *buf = malloc(s.n * s.nnames * sizeof *buf);
        for (size_t k = 0; k < s.nnames && got == 0; k++) {
            got = buf ? read_full(c->live.from_child, buf + k * s.n, s.n * sizeof *buf, g_watchdog_s) : -1;
            s.v[k] = buf + k * s.n;
        }
        free(c->series_buf);
        c->series_buf = got == 0 ? buf : NULL;
        c->series = got == 0 ? s : (struct fb_series){0};
        if (got != 0)
            free(buf);
    }
    if (got != 0 && c->live.child) {
        memset(out, 0, sizeof *out);
        ended(c, "the checks after the repetition", got == -2, g_watchdog_s, out->error);
    } else if (got != 0) {
        snprintf(out->error, sizeof out->error, "the cell's process is gone");
    }
}

void fb_isolated_close(struct fb_cell *c)
{
    if (!c->live.child)
        return;
    struct req q = {REQ_CLOSE, 0};
    struct reply r;
    char err[GB_ERROR_LEN];
    int got =
        write_full(c->live.to_child, &q, sizeof q) ? -1 : read_full(c->live.from_child, &r, sizeof r, g_watchdog_s);
    ended(c, "close", got == -2, g_watchdog_s, err);
}

int fb_isolated_probe(const struct fa_ops *ops, const char *what, double (*fn)(void *arg), void *arg, double timeout_s,
                      double *out)
{
    *out = 0;
    int up[2];
    if (hung_in(ops) || pipe(up) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(up[0]), close(up[1]);
        return -1;
    }
    if (pid == 0) {
        close(up[0]);
        double v = fn(arg);
        write_full(up[1], &v, sizeof v);
        _exit(0);
    }
    close(up[1]);
    int got = read_full(up[0], out, sizeof *out, timeout_s), st = 0;
    if (got == -2)
        kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    close(up[0]);
    if (got == 0)
        return 0;
    *out = 0;
    if (got == -2)
        record_hung(ops, what);
    fprintf(stderr, "framebench: %s: %s\n", what,
            got == -2         ? "no answer, killed (the strategy hangs?)"
            : WIFSIGNALED(st) ? strsignal(WTERMSIG(st))
                              : "the probe's process failed");
    return -1;
}
