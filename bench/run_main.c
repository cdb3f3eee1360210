/*
 * run_main.c: framebench-run, the single-run driver.  One strategy, one
 * pattern, one size, a fixed number of ops from a fixed seed, so that
 * instruction counts under callgrind repeat exactly:
 *
 *   valgrind --tool=callgrind --toggle-collect=fb_measured_ops \
 *       framebench-run --strategy ctz --pattern churn --frames 262144 --ops 100000
 *
 * counts only the measured segments (the pattern's op loop and the allocator
 * calls in it); with --callgrind-markers it also brackets them with
 * CALLGRIND_START/STOP_INSTRUMENTATION for `--instr-atstart=no`.  Setup and
 * resets are outside both.  Prints one JSON line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inputs.h"
#include "json.h"
#include "matrix.h"
#include "options.h"
#include "strategy_list.h"
#include "timing.h"

static int usage(int status)
{
    fputs("usage: framebench-run --strategy NAME --pattern NAME [--frames N] [--ops N]\n"
          "                      [--seed N] [--param key=value]... [--callgrind-markers]\n"
          "                      [--trace FILE] [--map FILE] [--latency N] [--load PLUGIN.so]...\n"
          "Runs N ops (default 100000) of one pattern on a region of N frames\n"
          "(default 262144 = 1 GiB) and prints one JSON line:\n"
          "{\"strategy\",\"pattern\",\"frames\",\"ops\",\"seconds\",\"ns_per_op\",\"meta_bytes\",...}\n"
          "Parameters default to the pattern's first variant (churn occupancy:0,\n"
          "runs run:2 frag:0).  The harness pattern takes --strategy none.\n"
          "--trace FILE replays FILE (pattern trace; --ops defaults to its events and\n"
          "must be a multiple of them).  --map FILE starts from that memory map instead\n"
          "of one flat region (frames = its span; holes are used frames): pattern boot,\n"
          "or fill, churn, lifo; the others assume a flat region and refuse it.\n"
          "--latency N then times N single ops and adds latency_ns {p50,p99,p999,max}\n"
          "and the samples the host or an interrupt took (latency_interrupted, of them\n"
          "latency_preempted: the process was switched out).\n"
          "--load PLUGIN.so adds the strategies of a plug-in library (frame_alloc.h: FA_PLUGIN).\n",
          status ? stderr : stdout);
    return status;
}

static int bad(const char *what, const char *value) { return fb_opt_bad("framebench-run", what, value, NULL); }

static int parse_u64(const char *s, uint64_t *out) { return fb_opt_u64(s, 0, UINT64_MAX, out); }

/* The patterns are written for their listed variants only (a run of 0
 * frames, or one not a power of two, is no run the pattern can align). */
static int is_variant(const struct fb_pattern *pt, const struct fb_params *p)
{
    for (size_t i = 0; i < pt->nvariants; i++)
        if (memcmp(&pt->variants[i], p, sizeof *p) == 0)
            return 1;
    return 0;
}

/* key=value for one of the pattern's keys. */
static int set_param(const struct fb_pattern *pt, struct fb_params *p, const char *kv)
{
    const char *eq = strchr(kv, '=');
    uint64_t v;
    if (!eq || parse_u64(eq + 1, &v) != 0 || v > UINT32_MAX)
        return -1;
    for (int k = 0; k < FB_MAX_PARAMS && pt->keys[k]; k++)
        if (strlen(pt->keys[k]) == (size_t)(eq - kv) && strncmp(pt->keys[k], kv, (size_t)(eq - kv)) == 0) {
            p->v[k] = (uint32_t)v;
            return 0;
        }
    return -1;
}

static void print_figures(struct json_out *j, const struct fb_figure *fig, size_t n)
{
    for (size_t k = 0; k < n; k++)
        json_kfigure(j, fig[k].name, fig[k].value);
}

enum {
    OPT_STRATEGY = 256,
    OPT_PATTERN,
    OPT_FRAMES,
    OPT_OPS,
    OPT_SEED,
    OPT_PARAM,
    OPT_MARKERS,
    OPT_LATENCY,
    OPT_HELP,
    OPT_LOAD,
    OPT_INPUT
};
#define MAX_INPUTS 8

/* What the command line asked. */
struct args {
    const char *strategy, *pattern;
    int have_ops, have_frames;
    const char *params[16];
    int nparams;
    uint64_t frames, ops, seed, latency;
    const struct fb_pattern *input_of[MAX_INPUTS];
    const struct fb_pattern *owner; /* the pattern whose input was given */
    const char *input;
};

/* One option: -1 to go on, else the exit status. */
static int one_option(int opt, const char *v, struct args *a, char **argv)
{
    switch (opt) {
    case 'h':
    case OPT_HELP: return usage(0);
    case OPT_MARKERS: fb_callgrind_markers = 1; return -1;
    case OPT_STRATEGY: a->strategy = v; return -1;
    case OPT_PATTERN: a->pattern = v; return -1;
    case OPT_FRAMES:
        a->have_frames = 1;
        return fb_opt_frames(v, &a->frames) == 0 ? -1 : fb_opt_bad("framebench-run", "--frames", v, FB_OPT_FRAMES_HINT);
    case OPT_OPS: a->have_ops = 1; return fb_opt_u64(v, 1, UINT64_MAX, &a->ops) == 0 ? -1 : bad("--ops", v);
    case OPT_LATENCY:
        return fb_opt_u64(v, 1, 100000000, &a->latency) == 0 ? -1 : bad("--latency (want 1..100000000 samples)", v);
    case OPT_SEED: return parse_u64(v, &a->seed) == 0 ? -1 : bad("--seed", v);
    case OPT_LOAD: {
        char err[1024];
        if (fb_strategies_load(v, err, sizeof err) == 0)
            return -1;
        fprintf(stderr, "framebench-run: %s\n", err);
        return 2;
    }
    case OPT_PARAM:
        if (a->nparams == 16)
            return bad("--param (at most 16)", v);
        a->params[a->nparams++] = v;
        return -1;
    case ':': fprintf(stderr, "framebench-run: %s needs a value\n", argv[optind - 1]); return usage(2);
    case '?': fprintf(stderr, "framebench-run: unknown option '%s'\n", argv[optind - 1]); return usage(2);
    default:
        if (a->owner && a->owner != a->input_of[opt - OPT_INPUT])
            return bad("input (each fixes its own region; give one)", v);
        a->owner = a->input_of[opt - OPT_INPUT], a->input = v;
        return -1;
    }
}

/* The options, and the input patterns' --<key> FILE (--trace, --map: from
 * the patterns; at most one is given).  -1 to go on, else the exit status. */
static int read_args(int argc, char **argv, struct args *a)
{
    static const struct option fixed[] = {
        {"strategy", required_argument, 0, OPT_STRATEGY},
        {"pattern", required_argument, 0, OPT_PATTERN},
        {"frames", required_argument, 0, OPT_FRAMES},
        {"ops", required_argument, 0, OPT_OPS},
        {"seed", required_argument, 0, OPT_SEED},
        {"param", required_argument, 0, OPT_PARAM},
        {"callgrind-markers", no_argument, 0, OPT_MARKERS},
        {"latency", required_argument, 0, OPT_LATENCY},
        {"help", no_argument, 0, OPT_HELP},
        {"load", required_argument, 0, OPT_LOAD},
    };
    enum { NFIXED = sizeof fixed / sizeof fixed[0] };
    struct option longopts[NFIXED + MAX_INPUTS + 1];
    memcpy(longopts, fixed, sizeof fixed);
    int nlong = NFIXED, ninput = 0;
    for (const struct fb_pattern *const *q = fb_patterns; *q && ninput < MAX_INPUTS; q++)
        if ((*q)->input_key) {
            a->input_of[ninput] = *q;
            longopts[nlong++] = (struct option){(*q)->input_key, required_argument, 0, OPT_INPUT + ninput};
            ninput++;
        }
    longopts[nlong] = (struct option){0, 0, 0, 0};
    opterr = 0;
    int opt, rc = -1;
    while (rc < 0 && (opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1)
        rc = one_option(opt, optarg, a, argv);
    if (rc < 0 && optind < argc) {
        fprintf(stderr, "framebench-run: unexpected argument '%s'\n", argv[optind]);
        rc = usage(2);
    }
    return rc;
}

/* The pattern, the strategy and the parameters the arguments name, each
 * checked against the others.  -1 to go on, else the exit status. */
static int resolve(struct args *a, const struct fb_pattern **ppt, const struct fa_ops **pfa, struct fb_params *p)
{
    const struct fb_pattern *owner = a->owner;
    const char *pattern = a->pattern ? a->pattern : owner ? owner->name : NULL;
    const struct fb_pattern *pt = *ppt = pattern ? fb_pattern_find(pattern) : NULL;
    if (!pt)
        return bad("--pattern", pattern);
    if (pt->input_key && owner != pt) {
        fprintf(stderr, "framebench-run: pattern %s needs --%s FILE\n", pt->name, pt->input_key);
        return 2;
    }
    if (owner && owner != pt && !pt->map_ok) {
        fprintf(stderr,
                "framebench-run: pattern %s does not take --%s (it assumes one flat region; "
                "a memory map can start fill, churn, lifo)\n",
                pt->name, owner->input_key);
        return 2;
    }
    if (owner && a->have_frames) {
        fprintf(stderr, "framebench-run: --frames is fixed by the %s file\n", owner->input_key);
        return 2;
    }
    const char *strategy = a->strategy;
    const struct fa_ops *fa = *pfa = pt->yardstick_ops ? pt->yardstick_ops
                                     : strategy        ? fb_strategy_find(strategy)
                                                       : NULL;
    if (!fa || (pt->yardstick_ops && strategy && strcmp(strategy, pt->yardstick_ops->name) != 0)) {
        char known[2048];
        fb_strategy_names(known, sizeof known);
        return fb_opt_bad("framebench-run", "--strategy", strategy, known);
    }
    if (pt->needs_runs && (!fa->alloc_run || !fa->free_run)) {
        fprintf(stderr, "framebench-run: %s has no alloc_run/free_run for pattern %s\n", fa->name, pt->name);
        return 2;
    }
    *p = pt->variants ? pt->variants[0] : (struct fb_params){{0}};
    for (int k = 0; k < a->nparams; k++)
        if (set_param(pt, p, a->params[k]) != 0)
            return bad("--param", a->params[k]);
    if (pt->variants && !is_variant(pt, p)) {
        fprintf(stderr, "framebench-run: --param values are not one of %s's variants (see framebench --list)\n",
                pt->name);
        return 2;
    }
    return -1;
}

/* A trace or a map: loaded off the clock; it fixes the region (and a
 * trace's ops, unless given).  -1 to go on, else the exit status. */
static int load_input(struct args *a, const struct fb_pattern *pt, struct fb_inputs *inputs)
{
    char err[1024];
    if (!a->owner)
        return -1;
    if (fb_inputs_add(inputs, a->owner, a->input, 0, err, sizeof err) != 0) {
        fprintf(stderr, "framebench-run: %s\n", err);
        return 2;
    }
    const struct fb_input *in = &inputs->in[0];
    a->frames = in->nframes;
    if (!a->have_ops && pt->input_key)
        a->ops = in->cycle_ops;
    if (pt->ops_whole_cycles && a->ops % in->cycle_ops != 0) {
        fprintf(stderr, "framebench-run: --ops %llu is not a multiple of the %s's %llu events\n",
                (unsigned long long)a->ops, a->owner->input_key, (unsigned long long)in->cycle_ops);
        return 2;
    }
    if (!pt->input_key && !in->ranges) {
        fprintf(stderr, "framebench-run: --%s %s is no memory map pattern %s can start from\n", a->owner->input_key,
                a->input, pt->name);
        return 2;
    }
    return -1;
}

/* The measurement: what the one line reports. */
struct measured {
    double ns, setup_s;
    struct fb_latency lat;
};

/* Builds the state, runs the ops on the clock, samples the latency, checks
 * the state; 0, or 1 with the failure said. */
static int measure(const struct args *a, const struct fb_pattern *pt, const struct fa_ops *fa,
                   const struct fb_params *p, const struct fb_input *in, struct fb_work *w, struct measured *m)
{
    uint64_t t0 = fb_now_ns();
    fa_err e = fb_work_open(w, &(struct fb_work_spec){.pattern = pt,
                                                      .ops = fa,
                                                      .nframes = a->frames,
                                                      .p = *p,
                                                      .seed = a->seed,
                                                      .in = pt->input_key ? in : NULL,
                                                      .map = pt->input_key ? NULL : in});
    if (e == FA_OK)
        e = pt->prepare(w);
    m->setup_s = (double)(fb_now_ns() - t0) / 1e9;
    m->ns = e == FA_OK ? fb_run_ops(pt, w, a->ops, &e) : -1;
    if (m->ns >= 0 && a->latency)
        fprintf(stderr, "framebench-run: sampling the latency of %llu single ops\n", (unsigned long long)a->latency);
    if (m->ns >= 0 && a->latency && (e = fb_sample_latency(pt, w, a->latency, &m->lat)) != FA_OK)
        m->ns = -1;
    if (e == FA_OK && fa->check(w->state) != FA_OK)
        e = FA_EINVAL, m->ns = -1;
    if (m->ns >= 0)
        return 0;
    fprintf(stderr, "framebench-run: %s/%s failed: %s\n", pt->name, fa->name, w->why[0] ? w->why : fa_strerror(e));
    return 1;
}

/* The one JSON line. */
static void print_line(const struct args *a, const struct fb_pattern *pt, const struct fa_ops *fa,
                       const struct fb_params *p, const struct fb_input *in, const struct fb_work *w,
                       const struct measured *m)
{
    struct json_out j;
    json_start(&j, stdout, 0);
    json_open(&j, '{');
    fb_cell_identity(&j, pt, fa->name, a->frames, p, pt->input_key ? in : NULL);
    json_kcount(&j, "ops", a->ops);
    json_kcount(&j, "seed", a->seed);
    json_knum(&j, "seconds", m->ns / 1e9);
    json_knum(&j, "ns_per_op", m->ns / (double)a->ops);
    json_kcount(&j, "meta_bytes", fa->state_size(a->frames));
    json_knum(&j, "setup_seconds", m->setup_s);
    /* The input's file and figures (the map's base and usable frames), then
     * the pattern's own (the replay's counts). */
    struct fb_figure fig[FB_MAX_FIGURES];
    if (in) {
        json_kstr(&j, a->owner->input_key, in->path);
        if (a->owner->input_figures)
            print_figures(&j, fig, a->owner->input_figures(in, fig));
    }
    if (in && pt->figures)
        print_figures(&j, fig, pt->figures(w, fig));
    if (a->latency) {
        json_key(&j, "latency_ns");
        json_open(&j, '{');
        json_knum(&j, "p50", m->lat.p50);
        json_knum(&j, "p99", m->lat.p99);
        json_knum(&j, "p999", m->lat.p999);
        json_knum(&j, "max", m->lat.max);
        json_close(&j);
        json_kcount(&j, "latency_samples", m->lat.samples);
        json_kcount(&j, "latency_interrupted", m->lat.interrupted);
        json_kcount(&j, "latency_preempted", m->lat.preempted);
        json_knum(&j, "latency_interrupted_max_ns", m->lat.interrupted_max);
    }
    json_close(&j);
}

int main(int argc, char **argv)
{
    struct args a = {.frames = 262144, .ops = 100000, .seed = 1};
    const struct fb_pattern *pt = NULL;
    const struct fa_ops *fa = NULL;
    struct fb_params p;
    int rc = read_args(argc, argv, &a);
    if (rc < 0)
        rc = resolve(&a, &pt, &fa, &p);
    if (rc >= 0)
        return rc;
    struct fb_inputs inputs = {0};
    rc = load_input(&a, pt, &inputs);
    if (rc < 0) {
        const struct fb_input *in = a.owner ? &inputs.in[0] : NULL;
        struct fb_work w;
        struct measured m = {0};
        rc = measure(&a, pt, fa, &p, in, &w, &m);
        if (rc == 0)
            print_line(&a, pt, fa, &p, in, &w, &m);
        fb_work_close(&w);
    }
    fb_inputs_free(&inputs);
    return rc;
}
