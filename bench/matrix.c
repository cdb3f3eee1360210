/* matrix.c: building the cells and deciding which to skip; see matrix.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isolate.h"
#include "matrix.h"
#include "probes.h"

#define FB_OWN_PROBE_OPS 16384u
#include "strategy_list.h"
#include "timing.h"

const char *const fb_skip_kind_text[FB_SKIP_KINDS] = {
    "",
    "over the cycle budget",
    "over the memory cap",
    "without alloc_run",
    "of a size the strategy does not take",
    "for want of CPUs",
};

static const uint64_t tiny_sizes[] = {16384, 0};
/* The default matrix fits a coffee break (about 5 minutes on 2 CPUs, each
 * cell repeated 5 times or more): the sizes that show a strategy's cost in
 * the caches, beyond L2 and at 64 GiB; 16 GiB and 1 TiB are in full. */
static const uint64_t default_sizes[] = {16384, 262144, 16777216, 0};
static const uint64_t full_sizes[] = {16384, 262144, 4194304, 16777216, 268435456, 0};
/* In the default matrix, every variant of a pattern (churn's occupancies,
 * runs' lengths and fragmentations) at the largest size, which the
 * per-variant figures draw; at the other sizes the variant the size figures
 * draw (figure_variant).  The cross-checks of churn at 1 GiB alone: at
 * 64 GiB they cost a third of the run, and what they check (that churn's
 * staged loop times the allocator, not itself) does not change with size. */
static const uint64_t default_variant_sizes[] = {16777216, 0};
static const uint64_t default_crosscheck_sizes[] = {262144, 0};
/* frag up to 1 GiB: at 64 GiB one repetition (the 90 % fill, then 100
 * iterations of 10 %) takes 10 s, a sixth of the default run, and its
 * figure draws 1 GiB, where every strategy runs it. */
static const char *const default_small_patterns[] = {"frag", NULL};
#define FB_DEFAULT_SMALL_MAX 262144

/* The threaded cells at one size: a repetition is one pass of each phase
 * over the region (the threads' shares), about a millisecond at 1 GiB; the
 * figure is per op, and the sizes above add time, not a different answer
 * about contention. */
static const uint64_t tiny_threaded_sizes[] = {16384, 0}, threaded_sizes[] = {262144, 0};

const uint64_t *fb_matrix_threaded_sizes(const char *matrix)
{
    return strcmp(matrix, "tiny") == 0 ? tiny_threaded_sizes : threaded_sizes;
}

const char *const *fb_matrix_small_patterns(const char *matrix, uint64_t *max_frames)
{
    *max_frames = FB_DEFAULT_SMALL_MAX;
    return strcmp(matrix, "default") == 0 ? default_small_patterns : NULL;
}

const uint64_t *fb_matrix_variant_sizes(const char *matrix)
{
    return strcmp(matrix, "default") == 0 ? default_variant_sizes : NULL;
}

const uint64_t *fb_matrix_crosscheck_sizes(const char *matrix)
{
    return strcmp(matrix, "default") == 0 ? default_crosscheck_sizes : NULL;
}

const uint64_t *fb_matrix_sizes(const char *matrix)
{
    if (strcmp(matrix, "tiny") == 0)
        return tiny_sizes;
    if (strcmp(matrix, "default") == 0)
        return default_sizes;
    if (strcmp(matrix, "full") == 0)
        return full_sizes;
    return NULL;
}

void fb_cell_name(char *buf, size_t len, const struct fb_pattern *pt, const char *strategy, uint64_t nframes,
                  const struct fb_params *p, const struct fb_input *in)
{
    int n = snprintf(buf, len, "%s/%s/frames:%llu", pt->name, strategy, (unsigned long long)nframes);
    for (int k = 0; k < FB_MAX_PARAMS && pt->keys[k] && n > 0 && (size_t)n < len; k++)
        n += snprintf(buf + n, len - (size_t)n, "/%s:%u", pt->keys[k], (unsigned)p->v[k]);
    if (pt->input_key && in && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, "/%s:%s", pt->input_key, in->stem);
}

void fb_cell_identity(struct json_out *j, const struct fb_pattern *pt, const char *strategy, uint64_t nframes,
                      const struct fb_params *p, const struct fb_input *in)
{
    char name[FB_NAME_LEN];
    fb_cell_name(name, sizeof name, pt, strategy, nframes, p, in);
    json_kstr(j, "name", name);
    json_kstr(j, "pattern", pt->name);
    json_kstr(j, "strategy", strategy);
    json_kcount(j, "frames", nframes);
    json_key(j, "params");
    json_open(j, '{');
    for (int k = 0; k < FB_MAX_PARAMS && pt->keys[k]; k++)
        json_kcount(j, pt->keys[k], p->v[k]);
    if (pt->input_key && in)
        json_kstr(j, pt->input_key, in->stem);
    json_close(j);
}

const double *fb_reps_figure(const struct fb_reps *r, const char *name)
{
    for (size_t k = 0; k < r->nfig; k++)
        if (strcmp(r->fig_name[k], name) == 0)
            return r->fig[k];
    return NULL;
}

static int at_size(const uint64_t *sizes, uint64_t nframes)
{
    if (!sizes)
        return 1;
    for (; *sizes; sizes++)
        if (*sizes == nframes)
            return 1;
    return 0;
}

static int listed(const char **names, const char *name)
{
    if (!names)
        return 1;
    for (; *names; names++)
        if (strcmp(*names, name) == 0)
            return 1;
    return 0;
}

/* The cost model's one measurement: ns of one `worst` op (the longest search)
 * for this strategy and size.  A strategy that searches from the start pays
 * about scan_share of it per op; one that does not is measured cheap here
 * and so is never skipped on cost.  0 when the probe cannot run. */
static double probe_worst_ns_here(const struct fa_ops *ops, uint64_t nframes, uint64_t seed)
{
    struct fb_work w;
    struct fb_work_spec spec = {.pattern = &fb_worst_pattern, .ops = ops, .nframes = nframes, .seed = seed};
    double best = 0;
    if (fb_work_open(&w, &spec) == FA_OK && fb_worst_pattern.prepare(&w) == FA_OK) {
        for (int i = 0; i < 3; i++) {
            fa_err e;
            double ns = fb_run_ops(&fb_worst_pattern, &w, 1, &e);
            if (ns < 0)
                break;
            if (best == 0 || ns < best)
                best = ns;
        }
    }
    fb_work_close(&w);
    return best;
}

/* ns of one of the pattern's own ops on this strategy and size, after its
 * real prepare: for a pattern whose cost no scan probe predicts (frag's ops
 * miss the caches at large sizes, 10-20x the estimate).  Run only where the
 * cheap estimate is within the budget, and kept with the probes under
 * "<pattern>/<strategy>".  0 when the probe cannot run. */
static double probe_own_ns_here(const struct fb_pattern *pt, const struct fa_ops *ops, uint64_t nframes, uint64_t seed)
{
    char key[96];
    snprintf(key, sizeof key, "%s/%s", pt->name, ops->name);
    double kept = fb_probes_get(key, nframes);
    if (kept > 0)
        return kept;
    struct fb_work w;
    struct fb_work_spec spec = {.pattern = pt, .ops = ops, .nframes = nframes, .seed = seed};
    double ns = 0;
    fa_err e = fb_work_open(&w, &spec);
    /* The first ops after the prepare find its traffic in the caches, not
     * the state: they run untimed, as a warm-up. */
    if (e == FA_OK && (e = pt->prepare(&w)) == FA_OK && fb_run_ops(pt, &w, FB_OWN_PROBE_OPS / 4, &e) >= 0) {
        double on_clock = fb_run_ops(pt, &w, FB_OWN_PROBE_OPS, &e);
        ns = on_clock > 0 ? on_clock / FB_OWN_PROBE_OPS : 0;
    }
    fb_work_close(&w);
    fb_probes_put(key, nframes, ns);
    return ns;
}

/* A probe's arguments, for running it in a child process. */
struct probe {
    const struct fb_pattern *pt; /* NULL: the worst-op probe */
    const struct fa_ops *ops;
    uint64_t nframes, seed;
};

static double probe_here(void *arg)
{
    const struct probe *p = arg;
    return p->pt ? probe_own_ns_here(p->pt, p->ops, p->nframes, p->seed)
                 : probe_worst_ns_here(p->ops, p->nframes, p->seed);
}

/* A probe runs the strategy's code: a plug-in's in a child process where
 * the run isolates it (isolate.h), so that its crash or hang costs its own
 * cells alone. */
static double run_probe(const struct fb_matrix_opts *o, struct probe p)
{
    int apart = o->isolate == FB_ISOLATE_ALL || (o->isolate == FB_ISOLATE_PLUGINS && fb_strategy_origin(p.ops));
    if (!apart)
        return probe_here(&p);
    char what[FB_NAME_LEN];
    snprintf(what, sizeof what, "the cost model's probe of %s at %llu frames", p.ops->name,
             (unsigned long long)p.nframes);
    double ns;
    fb_isolated_probe(p.ops, what, probe_here, &p, o->watchdog_s, &ns);
    return ns;
}

/* Whether pt is a listed cross-check of `of`. */
static int checks(const struct fb_matrix_opts *o, const struct fb_pattern *pt, const struct fb_pattern *of)
{
    return pt->crosscheck_of == of && listed(o->patterns, pt->name);
}

static double clamp(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

/* Decides skip, batch and latency samples for one cell. */
static void plan_cell(const struct fb_matrix_opts *o, struct fb_cell *c, double worst_ns)
{
    const struct fb_pattern *pt = c->pattern;
    if (pt->needs_runs && (!c->ops->alloc_run || !c->ops->free_run)) {
        c->skip_kind = FB_SKIP_NO_RUNS;
        snprintf(c->skip, sizeof c->skip, "strategy has no alloc_run/free_run");
        return;
    }
    uint64_t state = c->ops->state_size(c->nframes);
    uint64_t scratch = pt->scratch_frames(c->nframes, &c->p) * sizeof(uint32_t);
    if (state == 0) {
        c->skip_kind = FB_SKIP_SIZE;
        snprintf(c->skip, sizeof c->skip, "strategy does not support %llu frames", (unsigned long long)c->nframes);
        return;
    }
    if (state + scratch > o->mem_cap) {
        c->skip_kind = FB_SKIP_MEMORY;
        snprintf(c->skip, sizeof c->skip, "state %llu MiB + scratch %llu MiB over the %llu MiB memory cap",
                 (unsigned long long)(state >> 20), (unsigned long long)(scratch >> 20),
                 (unsigned long long)(o->mem_cap >> 20));
        return;
    }
    c->est_op_ns = 5 + worst_ns * pt->scan_share;
    uint64_t cycle = c->in ? c->in->cycle_ops : pt->cycle_ops(c->nframes);
    c->cycle = cycle;
    double cycle_s = c->est_op_ns * (double)cycle / 1e9;
    if (pt->probe_own_op && cycle > 1 && cycle_s <= o->cycle_budget_s) {
        double own = run_probe(o, (struct probe){pt, c->ops, c->nframes, o->seed});
        if (own > c->est_op_ns) {
            c->est_op_ns = own;
            cycle_s = own * (double)cycle / 1e9;
        }
    }
    if (cycle > 1 && cycle_s > o->cycle_budget_s) {
        c->skip_kind = pt->cheap_when_over_budget ? FB_SKIP_NONE : FB_SKIP_BUDGET;
        snprintf(pt->cheap_when_over_budget ? c->cheap : c->skip, sizeof c->skip,
                 "one cycle of %llu ops estimated at %.0f s (%.0f ns/op from a probe), over the %g s budget",
                 (unsigned long long)cycle, cycle_s, c->est_op_ns, o->cycle_budget_s);
        if (!pt->cheap_when_over_budget)
            return;
        c->est_op_ns = 5; /* the cheap part (an init) costs a few ns per op at most */
    }
    /* A cycle is one batch, so each batch measures whole fills; otherwise
     * about 200 us of ops per clock read. */
    c->batch = cycle > 1 ? cycle : (uint64_t)clamp(2e5 / c->est_op_ns, 1, 4096);
    c->latency = o->latency_all || pt->latency_default;
    for (const struct fb_pattern *const *q = fb_patterns; *q; q++)
        c->paired |= (*q)->crosscheck_of == pt;
    c->paired |= pt->crosscheck_of != NULL;
    c->latency_samples = (uint64_t)clamp(2e7 / c->est_op_ns, 200, 20000);
}

/* One cell; probes the strategy at that size first if *probe is still 0. */
static void add_cell(const struct fb_matrix_opts *o, struct fb_cell *c, const struct fb_pattern *pt,
                     const struct fa_ops *ops, uint64_t nframes, const struct fb_params *p, const struct fb_input *in,
                     double *probe)
{
    int harness = pt->yardstick_of != NULL;
    c->pattern = pt;
    c->ops = ops;
    c->nframes = nframes;
    c->in = in;
    if (p)
        c->p = *p;
    fb_cell_name(c->name, sizeof c->name, pt, ops->name, c->nframes, &c->p, in);
    uint64_t state = ops->state_size(c->nframes);
    if (*probe == 0 && !harness && state && state <= o->mem_cap) {
        /* A kept probe first: the same binary makes the same cells. */
        *probe = fb_probes_get(ops->name, c->nframes);
        if (*probe == 0) {
            *probe = run_probe(o, (struct probe){NULL, ops, c->nframes, o->seed});
            fb_probes_put(ops->name, c->nframes, *probe);
        }
    }
    plan_cell(o, c, harness ? 0 : *probe);
}

/* The least repetitions of a threaded cell: one is a single pass of each
 * phase, a millisecond or so, which one descheduling can double; 9, the
 * fewest whose 95 % interval of the median leaves out the extremes. */
#define FB_THREADED_LEAST_REPS 9

/* One threaded cell: skipped where its strategy cannot run the pattern,
 * the CPUs are too few, or its buffers are over the memory cap. */
static void add_threaded(const struct fb_matrix_opts *o, struct fb_cell *c, const struct fb_pattern *pt,
                         const struct fa_ops *ops, const struct fa_mt_ops *mt, uint64_t nframes, unsigned threads)
{
    unsigned cpus = fb_threaded_cpus();
    c->pattern = pt;
    c->ops = ops;
    c->mt = mt;
    c->nframes = nframes;
    c->p.v[0] = threads;
    c->cycle = c->batch = 1;
    c->least_reps = FB_THREADED_LEAST_REPS;
    fb_cell_name(c->name, sizeof c->name, pt, ops->name, nframes, &c->p, NULL);
    struct fb_tspec spec = {.pt = pt->threaded, .mt = mt, .st = ops, .nframes = nframes, .threads = threads};
    if (pt->needs_runs && mt && !mt->alloc_run) {
        c->skip_kind = FB_SKIP_NO_RUNS;
        snprintf(c->skip, sizeof c->skip, "%s has no alloc_run", ops->name);
    } else if (threads > cpus) {
        c->skip_kind = FB_SKIP_CPUS;
        snprintf(c->skip, sizeof c->skip, "%u threads need %u CPUs; this process may use %u", threads, threads, cpus);
    } else if (fb_threaded_bytes(&spec) > o->mem_cap) {
        c->skip_kind = FB_SKIP_MEMORY;
        snprintf(c->skip, sizeof c->skip, "state and lists %llu MiB over the %llu MiB memory cap",
                 (unsigned long long)(fb_threaded_bytes(&spec) >> 20), (unsigned long long)(o->mem_cap >> 20));
    }
}

const unsigned *fb_matrix_threads(void)
{
    static unsigned counts[16];
    size_t k = 0;
    for (unsigned t = 1; t <= fb_threaded_cpus() && k + 1 < 16; t *= 2)
        counts[k++] = t;
    counts[k] = 0;
    return counts;
}

/* The threaded cells: every thread-safe strategy at each thread count,
 * then the unlocked yardstick (nextfit, a single-threaded strategy) at one
 * thread, the cost of the calls with no lock.  A thread-safe strategy
 * joins only where the binary registers its single-threaded view of the
 * same name (fb_strategy_find), which names it.  cells has room. */
static size_t add_threaded_cells(const struct fb_matrix_opts *o, struct fb_cell *cells)
{
    const unsigned *threads = o->threads ? o->threads : fb_matrix_threads();
    const uint64_t *sizes = o->threaded_sizes ? o->threaded_sizes : fb_matrix_threaded_sizes(o->matrix);
    const struct fa_mt_ops *const *mts = o->mt_strategies ? o->mt_strategies : fb_mt_strategies();
    size_t n = 0;
    for (const struct fb_pattern *const *pt = fb_threaded_patterns(); *pt; pt++) {
        if (!listed(o->patterns, (*pt)->name))
            continue;
        size_t nmt = 0;
        while (mts[nmt])
            nmt++;
        for (size_t w = 0; w < nmt + 1; w++) {
            const struct fa_mt_ops *mt = w < nmt ? mts[w] : NULL;
            const struct fa_ops *ops = fb_strategy_find(mt ? mt->name : FB_THREADED_YARDSTICK);
            if (!ops || !listed(o->strategies, ops->name))
                continue;
            for (const uint64_t *z = sizes; *z; z++)
                for (const unsigned *t = threads; *t; t++)
                    if (mt || *t == 1) /* no lock: one thread only */
                        add_threaded(o, &cells[n++], *pt, ops, mt, *z, *t);
        }
    }
    return n;
}

/* How many cells add_threaded_cells may add at most. */
static size_t threaded_room(const struct fb_matrix_opts *o)
{
    size_t pts = 0, mts = 1, sizes = 0, threads = 0;
    for (const struct fb_pattern *const *pt = fb_threaded_patterns(); *pt; pt++)
        pts++;
    for (const struct fa_mt_ops *const *m = o->mt_strategies ? o->mt_strategies : fb_mt_strategies(); *m; m++)
        mts++;
    for (const uint64_t *z = o->threaded_sizes ? o->threaded_sizes : fb_matrix_threaded_sizes(o->matrix); *z; z++)
        sizes++;
    for (const unsigned *t = o->threads ? o->threads : fb_matrix_threads(); *t; t++)
        threads++;
    return pts * mts * sizes * threads;
}

long fb_matrix_build(const struct fb_matrix_opts *o, struct fb_cell **out, char *err, size_t len)
{
    const uint64_t *sizes = o->sizes ? o->sizes : fb_matrix_sizes(o->matrix);
    size_t nsizes = 0, nstrat = 0, cap = 1;
    while (sizes[nsizes])
        nsizes++;
    const struct fa_ops *const *strategies = fb_strategies();
    while (strategies[nstrat])
        nstrat++;
    for (const struct fb_pattern *const *pt = fb_patterns; *pt; pt++)
        cap += (*pt)->nvariants ? (*pt)->nvariants : 1;
    cap = cap * (nstrat + 1) * nsizes + o->ninputs * nstrat + threaded_room(o);
    struct fb_cell *cells = calloc(cap, sizeof *cells);
    double *worst = calloc(nstrat * nsizes + 1, sizeof *worst);
    if (!cells || !worst) {
        snprintf(err, len, "out of memory");
        free(cells);
        free(worst);
        return -1;
    }
    size_t n = 0;
    fb_probes_load();
    for (size_t z = 0; z < nsizes; z++) {
        for (const struct fb_pattern *const *ppt = fb_patterns; *ppt; ppt++) {
            const struct fb_pattern *pt = *ppt;
            /* A cross-check runs right after the cell it checks (below), so
             * the drift of a shared machine hits both alike. */
            if (!listed(o->patterns, pt->name) || pt->input_key ||
                (pt->crosscheck_of && listed(o->patterns, pt->crosscheck_of->name)))
                continue;
            if (o->small_patterns && listed((const char **)o->small_patterns, pt->name) &&
                sizes[z] > o->small_max_frames)
                continue;
            int harness = pt->yardstick_of != NULL;
            for (size_t s = 0; s < (harness ? 1 : nstrat); s++) {
                const struct fa_ops *ops = harness ? pt->yardstick_ops : strategies[s];
                if (!harness && !listed(o->strategies, ops->name))
                    continue;
                size_t nvar = pt->nvariants ? pt->nvariants : 1;
                double *probe = &worst[harness ? nstrat * nsizes : s * nsizes + z];
                for (size_t v = 0; v < nvar; v++) {
                    if (v != pt->figure_variant && !at_size(o->variant_sizes, sizes[z]))
                        continue;
                    const struct fb_params *p = pt->variants ? &pt->variants[v] : NULL;
                    add_cell(o, &cells[n++], pt, ops, sizes[z], p, NULL, probe);
                    for (const struct fb_pattern *const *c = fb_patterns; *c; c++)
                        if (checks(o, *c, pt) && at_size(o->crosscheck_sizes, sizes[z]))
                            add_cell(o, &cells[n++], *c, ops, sizes[z], p, NULL, probe);
                }
            }
        }
    }
    /* Input patterns: one cell per file and strategy, at the file's size. */
    for (size_t i = 0; i < o->ninputs; i++) {
        const struct fb_input *in = &o->inputs[i];
        if (!listed(o->patterns, in->pattern->name))
            continue;
        for (size_t s = 0; s < nstrat; s++) {
            double probe = 0;
            if (listed(o->strategies, strategies[s]->name))
                add_cell(o, &cells[n++], in->pattern, strategies[s], in->nframes, NULL, in, &probe);
        }
    }
    n += add_threaded_cells(o, cells + n);
    for (size_t i = 0; i < n; i++) {
        cells[i].index = i + 1;
        cells[i].total = n;
    }
    fb_probes_save();
    free(worst);
    *out = cells;
    return (long)n;
}

void fb_cells_free(struct fb_cell *cells, size_t n)
{
    for (size_t i = 0; cells && i < n; i++)
        free(cells[i].series_buf);
    free(cells);
}
