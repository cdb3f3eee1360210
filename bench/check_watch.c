/* check_watch.c: see check_watch.h. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "check_watch.h"

static const struct fa_ops *g_real;
static struct fa_ops g_watched;
static int g_fd = -1;
/* The call in flight: its name and up to two arguments, written before
 * each call (no formatting on the way: millions of calls). */
static const char *volatile g_name = "none yet";
static volatile uint64_t g_arg[2];
static volatile int g_nargs;

static void note(const char *name, int nargs, uint64_t a, uint64_t b)
{
    g_name = name, g_nargs = nargs, g_arg[0] = a, g_arg[1] = b;
}

/* Async-signal-safe: hex digits by hand into buf; its length. */
static size_t put_hex(char *buf, uint64_t v)
{
    char tmp[18];
    size_t n = 0, k = 0;
    do
        tmp[n++] = "0123456789abcdef"[v & 15];
    while (v >>= 4);
    buf[k++] = '0', buf[k++] = 'x';
    while (n)
        buf[k++] = tmp[--n];
    return k;
}

/* The same in decimal. */
static size_t put_dec(char *buf, uint64_t v)
{
    char tmp[20];
    size_t n = 0, k = 0;
    do
        tmp[n++] = (char)('0' + v % 10);
    while (v /= 10);
    while (n)
        buf[k++] = tmp[--n];
    return k;
}

void fb_check_watch_forget(void) { g_name = NULL; }

static void on_fault(int sig, siginfo_t *info, void *ctx)
{
    (void)ctx;
    if (!g_name) { /* not a watched call */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    char line[200];
    const char *name = g_name;
    size_t k = 0, n = strlen(name);
    memcpy(line + k, "call ", 5), k += 5;
    memcpy(line + k, name, n < 64 ? n : 64), k += n < 64 ? n : 64;
    line[k++] = '(';
    for (int i = 0; i < g_nargs; i++) {
        if (i)
            line[k++] = ',', line[k++] = ' ';
        k += put_hex(line + k, g_arg[i]);
    }
    line[k++] = ')';
    long past = check_state_past(info->si_addr);
    if (past >= 0) {
        static const char wrote[] = ", which wrote past the end of its state (at offset ";
        memcpy(line + k, wrote, sizeof wrote - 1), k += sizeof wrote - 1;
        k += put_dec(line + k, (uint64_t)past);
        memcpy(line + k, " after it)", 10), k += 10;
    }
    line[k++] = '\n';
    if (g_fd >= 0 && write(g_fd, line, k) < 0)
        k = 0;
    signal(sig, SIG_DFL);
    raise(sig);
}

static size_t w_state_size(uint64_t n)
{
    note("state_size", 1, n, 0);
    return g_real->state_size(n);
}
static fa_err w_init(void *s, size_t bytes, uint64_t base, uint64_t n)
{
    note("init", 2, base, n);
    return g_real->init(s, bytes, base, n);
}
static fa_err w_alloc(void *s, uint64_t *pa)
{
    note("alloc", 0, 0, 0);
    return g_real->alloc(s, pa);
}
static fa_err w_free(void *s, uint64_t pa)
{
    note("free", 1, pa, 0);
    return g_real->free(s, pa);
}
static fa_err w_alloc_run(void *s, uint64_t count, unsigned order, uint64_t *pa)
{
    note("alloc_run", 2, count, order);
    return g_real->alloc_run(s, count, order, pa);
}
static fa_err w_free_run(void *s, uint64_t pa, uint64_t count)
{
    note("free_run", 2, pa, count);
    return g_real->free_run(s, pa, count);
}
static fa_err w_reserve(void *s, uint64_t pa, uint64_t count)
{
    note("reserve", 2, pa, count);
    return g_real->reserve(s, pa, count);
}
static uint64_t w_free_frames(const void *s)
{
    note("free_frames", 0, 0, 0);
    return g_real->free_frames(s);
}
static fa_err w_check(const void *s)
{
    note("check", 0, 0, 0);
    return g_real->check(s);
}

const struct fa_ops *fb_check_watch(const struct fa_ops *ops, int fd)
{
    g_real = ops;
    g_fd = fd;
    g_watched = *ops;
    g_watched.state_size = w_state_size;
    g_watched.init = w_init;
    g_watched.alloc = w_alloc;
    g_watched.free = w_free;
    g_watched.alloc_run = ops->alloc_run ? w_alloc_run : NULL; /* optional members stay absent */
    g_watched.free_run = ops->free_run ? w_free_run : NULL;
    g_watched.reserve = w_reserve;
    g_watched.free_frames = w_free_frames;
    g_watched.check = w_check;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    return &g_watched;
}
