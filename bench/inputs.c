/* inputs.c: see inputs.h. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inputs.h"

/* The file name up to its first '.': "gcc-build.perf.txt.gz" is gcc-build. */
static void stem_of(const char *path, char *stem, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strcspn(base, ".");
    if (n >= len)
        n = len - 1;
    memcpy(stem, base, n);
    stem[n] = '\0';
}

static int add_one(struct fb_inputs *list, const struct fb_pattern *pt, const char *path, char *err, size_t len)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 8;
        struct fb_input *in = realloc(list->in, cap * sizeof *in);
        if (!in) {
            snprintf(err, len, "out of memory");
            return -1;
        }
        list->in = in, list->cap = cap;
    }
    struct fb_input *in = &list->in[list->n];
    memset(in, 0, sizeof *in);
    in->pattern = pt;
    snprintf(in->path, sizeof in->path, "%s", path);
    stem_of(path, in->stem, sizeof in->stem);
    if (!in->stem[0] || strchr(in->stem, ':')) {
        snprintf(err, len, "%s: the file name must start with a name without ':' (it names the cells)", path);
        return -1;
    }
    for (size_t i = 0; i < list->n; i++)
        if (list->in[i].pattern == pt && strcmp(list->in[i].stem, in->stem) == 0) {
            snprintf(err, len, "%s and %s: same name '%s' for two %s inputs", list->in[i].path, path, in->stem,
                     pt->name);
            return -1;
        }
    if (pt->load(in, err, len) != 0)
        return -1;
    list->n++;
    return 0;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int fb_inputs_add(struct fb_inputs *list, const struct fb_pattern *pt, const char *path, int is_dir, char *err,
                  size_t len)
{
    if (!is_dir)
        return add_one(list, pt, path, err, len);
    DIR *d = opendir(path);
    if (!d) {
        snprintf(err, len, "%s: cannot read the directory", path);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **more = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof *names);
            rc = more ? 0 : -1;
            names = more ? more : names;
        }
        if (rc == 0 && !(names[n++] = strdup(e->d_name)))
            rc = -1;
    }
    closedir(d);
    if (rc != 0)
        snprintf(err, len, "out of memory");
    else if (n == 0)
        snprintf(err, len, "%s: no input files in the directory", path), rc = -1;
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, names[i]);
        if (rc == 0)
            rc = add_one(list, pt, full, err, len);
        free(names[i]);
    }
    free(names);
    return rc;
}

void fb_inputs_free(struct fb_inputs *list)
{
    for (size_t i = 0; i < list->n; i++)
        list->in[i].pattern->unload(&list->in[i]);
    free(list->in);
    memset(list, 0, sizeof *list);
}
