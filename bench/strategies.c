/* strategies.c (bench): see strategies.h. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strategies.h"

#define FB_MAX_STRATEGIES 64

struct loaded {
    const struct fa_ops *ops;
    const char *path; /* NULL: built in */
    unsigned long long checksum;
};

static struct loaded g_all[FB_MAX_STRATEGIES];
static const struct fa_ops *g_list[FB_MAX_STRATEGIES + 1];
static size_t g_n;

static void init_builtins(void)
{
    if (g_n)
        return;
    for (const struct fa_ops *const *s = fa_strategies; *s && g_n < FB_MAX_STRATEGIES; s++) {
        g_all[g_n] = (struct loaded){*s, NULL, 0};
        g_list[g_n++] = *s;
    }
    g_list[g_n] = NULL;
}

const struct fa_ops *const *fb_strategies(void)
{
    init_builtins();
    return g_list;
}

const struct fa_ops *fb_strategy_find(const char *name)
{
    init_builtins();
    for (size_t i = 0; i < g_n; i++)
        if (strcmp(g_list[i]->name, name) == 0)
            return g_list[i];
    return NULL;
}

static const struct loaded *entry(const struct fa_ops *ops)
{
    init_builtins();
    for (size_t i = 0; i < g_n; i++)
        if (g_all[i].ops == ops)
            return &g_all[i];
    return NULL;
}

const char *fb_strategy_origin(const struct fa_ops *ops)
{
    const struct loaded *e = entry(ops);
    return e ? e->path : NULL;
}

unsigned long long fb_strategy_checksum(const struct fa_ops *ops)
{
    const struct loaded *e = entry(ops);
    return e ? e->checksum : 0;
}

static unsigned long long file_checksum(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned long long h = 0xcbf29ce484222325ull;
    int c;
    while (f && (c = getc(f)) != EOF)
        h = (h ^ (unsigned char)c) * 0x100000001b3ull;
    if (f)
        fclose(f);
    return h;
}

/* A name that works on a command line, in a cell name and a file name. */
static int good_name(const char *s)
{
    if (!s || !*s || strlen(s) > 32)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              *s == '-'))
            return 0;
    return 1;
}

/* The first required member that is NULL, or NULL. */
static const char *missing_member(const struct fa_ops *o)
{
    if (!o->summary)
        return "summary";
    if (!o->state_size)
        return "state_size";
    if (!o->init)
        return "init";
    if (!o->alloc)
        return "alloc";
    if (!o->free)
        return "free";
    if (!o->reserve)
        return "reserve";
    if (!o->free_frames)
        return "free_frames";
    if (!o->check)
        return "check";
    if (!o->alloc_run != !o->free_run)
        return o->alloc_run ? "free_run (alloc_run is set: both or neither)"
                            : "alloc_run (free_run is set: both or neither)";
    return NULL;
}

/* The entry among the first n named `name`, or NULL. */
static const struct loaded *taken(const char *name, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(g_all[i].ops->name, name) == 0)
            return &g_all[i];
    return NULL;
}

int fb_strategies_load(const char *path, char *err, size_t len)
{
    init_builtins();
    /* dlopen searches the library path for a bare name: a plug-in is a file. */
    char file[4096];
    snprintf(file, sizeof file, "%s%s", strchr(path, '/') ? "" : "./", path);
    void *lib = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(err, len, "%s: cannot load: %s", path, dlerror());
        return -1;
    }
    const unsigned *version = dlsym(lib, "fa_plugin_contract");
    const struct fa_ops *const *list = dlsym(lib, "fa_plugin_strategies");
    const char *why = NULL;
    char buf[256];
    if (!version || !list) {
        why = !version ? "no fa_plugin_contract symbol (declare the strategies with FA_PLUGIN, frame_alloc.h)"
                       : "no fa_plugin_strategies symbol (declare the strategies with FA_PLUGIN, frame_alloc.h)";
    } else if (*version != FA_CONTRACT_VERSION) {
        snprintf(buf, sizeof buf, "built against contract version %u, framebench has %u: rebuild it", *version,
                 FA_CONTRACT_VERSION);
        why = buf;
    } else if (!list[0]) {
        why = "fa_plugin_strategies lists no strategy";
    }
    size_t added = 0;
    for (size_t i = 0; !why && list[i]; i++) {
        const struct fa_ops *o = list[i];
        const char *m = missing_member(o);
        if (!good_name(o->name)) {
            snprintf(buf, sizeof buf, "strategy %zu: name '%s' is not 1 to 32 of [A-Za-z0-9_-]", i + 1,
                     o->name ? o->name : "(null)");
            why = buf;
        } else if (m) {
            snprintf(buf, sizeof buf, "strategy %s: %s is NULL", o->name, m);
            why = buf;
        } else if (taken(o->name, g_n + added) || strcmp(o->name, "none") == 0) {
            const struct loaded *t = taken(o->name, g_n + added);
            snprintf(buf, sizeof buf, "strategy %s: the name is taken by %s", o->name,
                     !t ? "the harness row" : t->path ? t->path : "a built-in strategy");
            why = buf;
        } else if (g_n + added >= FB_MAX_STRATEGIES) {
            why = "too many strategies";
        } else {
            g_all[g_n + added] = (struct loaded){o, path, 0};
            g_list[g_n + added] = o;
            added++;
        }
    }
    if (why) {
        snprintf(err, len, "%s: %s", path, why);
        dlclose(lib);
        return -1;
    }
    unsigned long long sum = file_checksum(file);
    for (size_t i = 0; i < added; i++)
        g_all[g_n + i].checksum = sum;
    g_n += added;
    g_list[g_n] = NULL;
    return 0; /* the library stays loaded for the life of the process */
}
