/* threaded_cell.c: see threaded_cell.h. */
#include <math.h>
#include <string.h>

#include "cases.h"
#include "executor.h"
#include "precision.h"
#include "results.h"
#include "threaded_cell.h"

static int open_rep(struct fb_cell *c, char err[GB_ERROR_LEN])
{
    (void)c, (void)err; /* each repetition builds its own state */
    return 0;
}

static double run(struct fb_cell *c, uint64_t n, char err[GB_ERROR_LEN])
{
    (void)n; /* one iteration: the executor's own loops are the ops */
    const struct fb_tpattern *pt = c->pattern->threaded;
    struct fb_tspec s = {.pt = pt, .mt = c->mt, .st = c->ops, .nframes = c->nframes, .threads = (unsigned)c->p.v[0]};
    if (fb_threaded_rep(&s, &c->live.trep, err, GB_ERROR_LEN) != 0)
        return -1;
    return c->live.trep.ns[pt->headline] * 1e-9;
}

static void finish(struct fb_cell *c, struct gb_finish *out)
{
    const struct fb_trep *r = &c->live.trep;
    const struct fb_tpattern *pt = c->pattern->threaded;
    out->counters[out->ncounters++] = (struct gb_counter){"ops_per_s", r->ops_per_s};
    out->counters[out->ncounters++] = (struct gb_counter){"thread_min_ns", r->thread_ns[0]};
    out->counters[out->ncounters++] = (struct gb_counter){"thread_median_ns", r->thread_ns[1]};
    out->counters[out->ncounters++] = (struct gb_counter){"thread_max_ns", r->thread_ns[2]};
    if (pt->nphases == 2)
        out->counters[out->ncounters++] = (struct gb_counter){"other_phase_ns", r->ns[1 - pt->headline]};
    if (pt->figure)
        out->counters[out->ncounters++] = (struct gb_counter){pt->figure_name, r->figure};
}

static void close_rep(struct fb_cell *c) { (void)c; }

const struct fb_executor fb_threaded_executor = {open_rep, run, finish, close_rep};

static double median_of(const struct fb_cell *c, const char *figure)
{
    const double *v = fb_reps_figure(&c->reps, figure);
    return v ? fb_precision_of(v, c->reps.n).median : NAN;
}

const struct fb_cell *fb_threaded_at_one(const struct fb_cell *cells, size_t n, const struct fb_cell *c)
{
    for (size_t i = 0; i < n; i++) {
        const struct fb_cell *t = &cells[i];
        if (t->pattern == c->pattern && t->ops == c->ops && t->nframes == c->nframes && t->p.v[0] == 1 && t->reps.n &&
            !t->reps.error[0] && !t->skip[0])
            return t;
    }
    return NULL;
}

/* The repetition whose headline is nearest the median: its threads'
 * least, median and most are the row's thread_ns_per_op. */
static size_t median_repetition(const struct fb_cell *c)
{
    double mid = fb_precision_of(c->reps.ns, c->reps.n).median;
    size_t at = 0;
    for (size_t r = 1; r < c->reps.n; r++)
        if (fabs(c->reps.ns[r] - mid) < fabs(c->reps.ns[at] - mid))
            at = r;
    return at;
}

static double scaling(const struct fb_cell *cells, size_t n, const struct fb_cell *c)
{
    const struct fb_cell *one = fb_threaded_at_one(cells, n, c);
    double ops = median_of(c, "ops_per_s"), ops1 = one ? median_of(one, "ops_per_s") : NAN;
    return ops1 > 0 ? ops / ops1 : NAN;
}

void fb_threaded_print_tail(FILE *f, const struct fb_cell *cells, size_t n, const struct fb_cell *c)
{
    size_t at = median_repetition(c);
    const double *lo = fb_reps_figure(&c->reps, "thread_min_ns"), *hi = fb_reps_figure(&c->reps, "thread_max_ns");
    if (lo && hi)
        fprintf(f, "  threads %.4g-%.4g", lo[at], hi[at]);
    fprintf(f, "  %.4g Mops/s", median_of(c, "ops_per_s") / 1e6);
    double x = scaling(cells, n, c);
    if (c->p.v[0] > 1 && x > 0)
        fprintf(f, "  x%.2f of 1 thread", x);
}

void fb_threaded_row(struct json_out *j, const struct fb_cell *cells, size_t n, const struct fb_cell *c,
                     double target_pct)
{
    const struct fb_tpattern *pt = c->pattern->threaded;
    size_t at = median_repetition(c);
    json_open(j, '{');
    fb_cell_identity(j, c->pattern, c->ops->name, c->nframes, &c->p, NULL);
    json_kcount(j, "threads", c->p.v[0]);
    json_kbool(j, "thread_safe", c->mt != NULL);
    json_kstr(j, "phase", pt->phase_names[pt->headline]);
    fb_write_ns_per_op(j, c->reps.ns, c->reps.n, target_pct);
    if (c->stopped_by)
        json_kstr(j, "stopped_by", c->stopped_by);
    json_key(j, "thread_ns_per_op");
    json_open(j, '{');
    static const char *const names[] = {"min", "median", "max"};
    static const char *const figures[] = {"thread_min_ns", "thread_median_ns", "thread_max_ns"};
    for (int k = 0; k < 3; k++) {
        const double *v = fb_reps_figure(&c->reps, figures[k]);
        json_kfigure(j, names[k], v ? v[at] : NAN);
    }
    json_close(j);
    json_kfigure(j, "ops_per_s", median_of(c, "ops_per_s"));
    double x = scaling(cells, n, c);
    if (x > 0)
        json_kfigure(j, "scaling", x);
    if (pt->nphases == 2) {
        json_key(j, "other_phase");
        json_open(j, '{');
        json_kstr(j, "phase", pt->phase_names[1 - pt->headline]);
        json_kfigure(j, "ns_per_op", median_of(c, "other_phase_ns"));
        json_close(j);
    }
    if (pt->figure)
        json_kfigure(j, pt->figure_name, median_of(c, pt->figure_name));
    json_kcount(j, "repetitions", c->reps.n);
    json_knum(j, "seconds", c->spent_s);
    json_close(j);
}
