/* rows.c (threaded): the cells' rows and catalog in the results file. */
#include "json.h"
#include "results.h"
#include "threaded.h"

void fb_threaded_write(struct json_out *j, const struct fb_tcell *cells, size_t n, double target_pct)
{
    for (size_t i = 0; i < n; i++) {
        const struct fb_tcell *c = &cells[i];
        if (c->skip[0] || c->error[0] || c->nreps == 0)
            continue;
        double med, lo, hi, ops;
        fb_tcell_spread(c, &med, &lo, &hi, &ops);
        json_open(j, '{');
        json_kstr(j, "name", c->name);
        json_kstr(j, "pattern", c->pt->name);
        json_kstr(j, "strategy", c->strategy);
        json_kcount(j, "frames", c->nframes);
        json_key(j, "params");
        json_open(j, '{');
        json_kcount(j, "threads", c->threads);
        json_close(j);
        json_kcount(j, "threads", c->threads);
        json_kbool(j, "thread_safe", c->mt != NULL);
        json_kstr(j, "phase", c->pt->phase_names[c->pt->headline]);
        fb_write_ns_per_op(j, c->ns[c->pt->headline], c->nreps, target_pct);
        json_key(j, "thread_ns_per_op");
        json_open(j, '{');
        json_kfigure(j, "min", c->thread_min);
        json_kfigure(j, "median", c->thread_median);
        json_kfigure(j, "max", c->thread_max);
        json_close(j);
        json_kfigure(j, "ops_per_s", ops);
        const struct fb_tcell *one = fb_tcell_at_one(cells, n, c);
        if (one) {
            double m1, l1, h1, ops1;
            fb_tcell_spread(one, &m1, &l1, &h1, &ops1);
            if (ops1 > 0)
                json_kfigure(j, "scaling", ops / ops1);
        }
        if (c->pt->nphases == 2) {
            int other = 1 - c->pt->headline;
            json_key(j, "other_phase");
            json_open(j, '{');
            json_kstr(j, "phase", c->pt->phase_names[other]);
            json_kfigure(j, "ns_per_op", fb_tmedian(c->ns[other], c->nreps));
            json_close(j);
        }
        json_kcount(j, "repetitions", c->nreps);
        json_close(j);
    }
}

void fb_threaded_catalog(struct json_out *j)
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

void fb_threaded_benchmarks(struct json_out *j, const struct fb_tcell *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct fb_tcell *c = &cells[i];
        for (size_t r = 0; !c->skip[0] && !c->error[0] && r < c->nreps; r++) {
            json_open(j, '{');
            json_kstr(j, "name", c->name);
            json_kstr(j, "run_name", c->name);
            json_kstr(j, "run_type", "iteration");
            json_kcount(j, "repetitions", c->nreps);
            json_kcount(j, "repetition_index", r);
            json_kcount(j, "iterations", 1);
            json_kfigure(j, "real_time", c->ns[c->pt->headline][r]);
            json_kfigure(j, "cpu_time", c->ns[c->pt->headline][r]);
            json_kstr(j, "time_unit", "ns");
            json_kfigure(j, "ops_per_s", c->ops_per_s[r]);
            json_close(j);
        }
    }
}
