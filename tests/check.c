#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, sysconf */
#include "check.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "frame_alloc.h"

unsigned long check_passed, check_failed;
int check_quiet;

int check_report(void)
{
    printf("%lu passed, %lu failed\n", check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}

/* A state buffer ends flush against a page nobody may touch, so that a
 * strategy writing past its state_size faults at the very call that did
 * (framebench-check names it), instead of corrupting the heap and aborting
 * far away.  The live buffers are listed for check_state_free. */
struct guarded {
    void *state, *base;
    size_t len;
    struct guarded *next;
};
static struct guarded *g_guarded;

void *check_state_alloc(size_t bytes)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t rounded = (bytes + FA_STATE_ALIGN - 1) / FA_STATE_ALIGN * FA_STATE_ALIGN;
    rounded = rounded ? rounded : FA_STATE_ALIGN;
    size_t len = (rounded + page - 1) / page * page + page;
    struct guarded *g = malloc(sizeof *g);
    void *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!g || base == MAP_FAILED || mprotect((char *)base + len - page, page, PROT_NONE) != 0) {
        fprintf(stderr, "out of memory allocating %zu bytes of state\n", bytes);
        exit(2);
    }
    *g = (struct guarded){(char *)base + len - page - rounded, base, len, g_guarded};
    g_guarded = g;
    return g->state; /* zeroed: fresh anonymous pages */
}

long check_state_past(const void *addr)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (const struct guarded *g = g_guarded; g; g = g->next) {
        const char *guard = (const char *)g->base + g->len - page;
        if ((const char *)addr >= guard && (const char *)addr < guard + page)
            return (long)((const char *)addr - guard);
    }
    return -1;
}

void check_state_free(void *state)
{
    for (struct guarded **p = &g_guarded; *p; p = &(*p)->next)
        if ((*p)->state == state) {
            struct guarded *g = *p;
            *p = g->next;
            munmap(g->base, g->len);
            free(g);
            return;
        }
}

unsigned long long check_rand(unsigned long long *seed)
{
    unsigned long long z = (*seed += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
