/* catalog.c: see catalog.h. */
#include <stdlib.h>

#include "catalog.h"
#include "strategy_list.h"

/* One pattern; `all` adds what only the full catalog carries (its
 * variants, whether it is threaded, needs runs, which strategy it runs as
 * a yardstick). */
static void pattern_entry(struct json_out *j, const struct fb_pattern *p, int all)
{
    json_open(j, '{');
    json_kstr(j, "name", p->name);
    json_kstr(j, "one_op", p->one_op);
    if (p->title)
        json_kstr(j, "title", p->title);
    json_key(j, "keys");
    json_open(j, '[');
    for (int k = 0; k < FB_MAX_PARAMS && p->keys[k]; k++)
        json_str_v(j, p->keys[k]);
    json_close(j);
    if (p->input_key)
        json_kstr(j, "input_key", p->input_key);
    /* What a one-per-pattern figure shows of it. */
    if (p->variants || (p->input_key && p->figure_input)) {
        json_key(j, "figure_params");
        json_open(j, '{');
        for (int k = 0; p->variants && k < FB_MAX_PARAMS && p->keys[k]; k++)
            json_kcount(j, p->keys[k], p->variants[p->figure_variant].v[k]);
        if (p->input_key && p->figure_input)
            json_kstr(j, p->input_key, p->figure_input);
        json_close(j);
    }
    if (p->figure_text)
        json_kstr(j, "figure_text", p->figure_text);
    if (p->yardstick_of)
        json_kstr(j, "yardstick_of", p->yardstick_of->name);
    if (p->crosscheck_of)
        json_kstr(j, "crosscheck_of", p->crosscheck_of->name);
    if (all) {
        json_key(j, "variants");
        json_open(j, '[');
        for (size_t v = 0; v < p->nvariants; v++) {
            json_open(j, '{');
            for (int k = 0; k < FB_MAX_PARAMS && p->keys[k]; k++)
                json_kcount(j, p->keys[k], p->variants[v].v[k]);
            json_close(j);
        }
        json_close(j);
        json_kbool(j, "threaded", p->threaded != NULL);
        json_kbool(j, "needs_runs", p->needs_runs);
        if (p->yardstick_ops)
            json_kstr(j, "strategy", p->yardstick_ops->name);
    }
    json_close(j);
}

/* Whether a thread-safe view of the strategy is registered. */
static int thread_safe(const struct fa_ops *ops)
{
    for (const struct fa_mt_ops *const *m = fb_mt_strategies(); *m; m++)
        if (fb_strategy_find((*m)->name) == ops)
            return 1;
    return 0;
}

static void strategy_entry(struct json_out *j, const struct fa_ops *ops, int all)
{
    json_open(j, '{');
    json_kstr(j, "name", ops->name);
    json_kstr(j, "summary", ops->summary);
    /* Where it came from: a plug-in names its library and that file's
     * checksum, so a result says which build of it was measured. */
    const char *origin = fb_strategy_origin(ops);
    int compiled_in = fb_strategy_compiled_in(ops);
    json_kstr(j, "origin", !origin ? "built-in" : compiled_in ? "source plug-in" : "plug-in");
    /* A built-in's place in the library's list (allocators/), which the
     * plots key its colour and order on: no name list outside it. */
    for (size_t k = 0; !origin && fa_strategies[k]; k++)
        if (fa_strategies[k] == ops)
            json_kcount(j, "palette", k);
    if (origin) {
        char sum[24];
        snprintf(sum, sizeof sum, "%016llx", fb_strategy_checksum(ops));
        json_kstr(j, compiled_in ? "source" : "library", origin);
        json_kstr(j, compiled_in ? "source_fnv1a64" : "library_fnv1a64", sum);
    }
    if (all) {
        json_kbool(j, "thread_safe", thread_safe(ops));
        json_kbool(j, "runs", ops->alloc_run && ops->free_run);
    }
    json_close(j);
}

static int has_pattern(const struct fb_cell *cells, size_t n, const struct fb_pattern *pt)
{
    for (size_t i = 0; i < n; i++)
        if (cells[i].pattern == pt)
            return 1;
    return 0;
}

/* The strategies of the run, each once, in the order cells name them. */
static size_t strategies_of(const struct fb_cell *cells, size_t n, const struct fa_ops **out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < k && out[j] != cells[i].ops)
            j++;
        if (j == k)
            out[k++] = cells[i].ops;
    }
    return k;
}

void fb_catalog_of_cells(struct json_out *j, const struct fb_cell *cells, size_t n)
{
    json_key(j, "patterns");
    json_open(j, '[');
    for (const struct fb_pattern *const *p = fb_patterns; *p; p++)
        if (has_pattern(cells, n, *p))
            pattern_entry(j, *p, 0);
    json_close(j);
    const struct fa_ops **ops = malloc((n ? n : 1) * sizeof *ops);
    size_t nops = ops ? strategies_of(cells, n, ops) : 0;
    json_key(j, "strategies");
    json_open(j, '[');
    for (size_t i = 0; i < nops; i++)
        strategy_entry(j, ops[i], 0);
    json_close(j);
    free(ops);
}

void fb_catalog_threaded(struct json_out *j)
{
    for (const struct fb_tpattern *const *p = fb_tpatterns; *p; p++) {
        json_key(j, (*p)->name);
        json_open(j, '{');
        json_kstr(j, "one_op", (*p)->one_op);
        json_kstr(j, "title", (*p)->title);
        json_kstr(j, "phase", (*p)->phase_names[(*p)->headline]);
        json_close(j);
    }
}

static void sizes_key(struct json_out *j, const char *key, const uint64_t *sizes)
{
    json_key(j, key);
    if (!sizes) {
        json_null_v(j);
        return;
    }
    json_open(j, '[');
    for (; *sizes; sizes++)
        json_count_v(j, *sizes);
    json_close(j);
}

/* A matrix's sizes; null where it runs every variant or cross-check at each. */
static void matrix_entry(struct json_out *j, const char *name)
{
    uint64_t small_max = 0;
    const char *const *small = fb_matrix_small_patterns(name, &small_max);
    json_key(j, name);
    json_open(j, '{');
    sizes_key(j, "sizes", fb_matrix_sizes(name));
    sizes_key(j, "variant_sizes", fb_matrix_variant_sizes(name));
    sizes_key(j, "crosscheck_sizes", fb_matrix_crosscheck_sizes(name));
    json_key(j, "small_patterns");
    json_open(j, '[');
    for (; small && *small; small++)
        json_str_v(j, *small);
    json_close(j);
    json_kcount(j, "small_max_frames", small_max);
    sizes_key(j, "threaded_sizes", fb_matrix_threaded_sizes(name));
    json_close(j);
}

void fb_catalog_write(struct json_out *j, const struct fb_inputs *inputs)
{
    json_open(j, '{');
    json_kstr(j, "schema", "framebench-catalog/1");
    json_key(j, "patterns");
    json_open(j, '[');
    for (const struct fb_pattern *const *p = fb_patterns; *p; p++)
        pattern_entry(j, *p, 1);
    for (const struct fb_pattern *const *p = fb_threaded_patterns(); *p; p++)
        pattern_entry(j, *p, 1);
    json_close(j);
    json_key(j, "strategies");
    json_open(j, '[');
    for (const struct fa_ops *const *s = fb_strategies(); *s; s++)
        strategy_entry(j, *s, 1);
    json_close(j);
    json_kstr(j, "threaded_yardstick", FB_THREADED_YARDSTICK);
    json_key(j, "threads");
    json_open(j, '[');
    for (const unsigned *t = fb_matrix_threads(); *t; t++)
        json_count_v(j, *t);
    json_close(j);
    json_key(j, "matrices");
    json_open(j, '{');
    static const char *const matrices[] = {"tiny", "default", "full"};
    for (size_t m = 0; m < sizeof matrices / sizeof matrices[0]; m++)
        matrix_entry(j, matrices[m]);
    json_close(j);
    json_key(j, "inputs");
    json_open(j, '[');
    for (size_t i = 0; i < inputs->n; i++) {
        json_open(j, '{');
        json_kstr(j, "pattern", inputs->in[i].pattern->name);
        json_kstr(j, "stem", inputs->in[i].stem);
        json_kcount(j, "frames", inputs->in[i].nframes);
        json_close(j);
    }
    json_close(j);
    json_close(j);
}
