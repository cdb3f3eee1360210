/* precision.c: see precision.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precision.h"

#define FB_PRECISION_MAX 256 /* repetitions looked at; more are not kept */

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static size_t sorted_copy(const double *v, size_t n, double *s)
{
    n = n > FB_PRECISION_MAX ? FB_PRECISION_MAX : n;
    memcpy(s, v, n * sizeof *v);
    qsort(s, n, sizeof *s, by_value);
    return n;
}

static double median_sorted(const double *s, size_t n) { return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; }

/* P(Binomial(n, 1/2) <= k), summed in logs: n may be in the hundreds. */
static double binom_cdf_half(size_t n, size_t k)
{
    double sum = 0;
    for (size_t i = 0; i <= k; i++)
        sum += exp(lgamma((double)n + 1) - lgamma((double)i + 1) - lgamma((double)(n - i) + 1) - (double)n * log(2));
    return sum;
}

struct fb_precision fb_precision_of(const double *v, size_t n)
{
    double s[FB_PRECISION_MAX];
    n = sorted_copy(v, n, s);
    struct fb_precision p = {.median = median_sorted(s, n), .min = s[0], .max = s[n - 1]};
    /* The largest k (1-based) whose interval still covers 95 %; k = 1 when
     * none does. */
    size_t k = 1;
    while (k + 1 <= (n + 1) / 2 && 1 - 2 * binom_cdf_half(n, k) >= 0.95)
        k++;
    p.lo = s[k - 1];
    p.hi = s[n - k];
    p.level = n > 1 ? 1 - 2 * binom_cdf_half(n, k - 1) : 0;
    double half = fmax(p.median - p.lo, p.hi - p.median);
    p.half_pct = p.median > 0 ? half / p.median * 100 : 0;
    return p;
}

/* Kendall's tau between the order the repetitions ran in and their values. */
static double trend(const double *v, size_t n)
{
    long agree = 0, pairs = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            agree += v[j] > v[i] ? 1 : v[j] < v[i] ? -1 : 0;
            pairs++;
        }
    return pairs ? (double)agree / (double)pairs : 0;
}

void fb_noise_why(const double *v, size_t n, double target_pct, char *buf, size_t len)
{
    double s[FB_PRECISION_MAX];
    n = sorted_copy(v, n, s);
    double m = median_sorted(s, n), t = target_pct / 100;
    double tau = trend(v, n);
    if (n >= 5 && fabs(tau) >= 0.6) {
        double first[FB_PRECISION_MAX], last[FB_PRECISION_MAX];
        size_t h = n / 2;
        size_t a = sorted_copy(v, h, first), b = sorted_copy(v + n - h, h, last);
        double change = median_sorted(last, b) / median_sorted(first, a) - 1;
        snprintf(buf, len, "a drift: the later repetitions %.0f %% %s (Kendall tau %.2f)", fabs(change) * 100,
                 change > 0 ? "slower" : "faster", tau);
        return;
    }
    /* A few repetitions far above the rest: the host or an interrupt took
     * part of them. */
    size_t slow = 0;
    while (slow < n && s[n - 1 - slow] > m * (1 + 3 * t))
        slow++;
    if (slow && slow * 3 <= n && s[n - 1 - slow] <= m * (1 + t)) {
        snprintf(buf, len, "%zu of %zu repetitions slow (up to +%.0f %%): interrupted or descheduled", slow, n,
                 (s[n - 1] / m - 1) * 100);
        return;
    }
    /* Two clusters: a gap wider than either side's own spread. */
    size_t at = 0;
    double gap = 0;
    for (size_t i = 1; n >= 4 && i + 2 < n; i++)
        if (s[i + 1] - s[i] > gap)
            gap = s[i + 1] - s[i], at = i;
    if (at && gap > s[at] - s[0] && gap > s[n - 1] - s[at + 1] && gap > m * t) {
        snprintf(buf, len, "two clusters, %.4g-%.4g and %.4g-%.4g ns (%zu and %zu repetitions)", s[0], s[at], s[at + 1],
                 s[n - 1], at + 1, n - at - 1);
        return;
    }
    struct fb_precision p = fb_precision_of(v, n);
    snprintf(buf, len, "a spread of +-%.1f %% with no trend", p.half_pct);
}

void fb_missed_add(struct fb_missed *m, const char *name, const double *v, size_t n)
{
    m->of++;
    double half = fb_precision_of(v, n).half_pct;
    if (m->target_pct <= 0 || half <= m->target_pct)
        return;
    m->n++;
    /* The shown few stay sorted, least precise first. */
    size_t at = m->shown;
    while (at > 0 && m->worst[at - 1].half_pct < half)
        at--;
    if (at == FB_MISSED_SHOWN)
        return;
    size_t keep = m->shown < FB_MISSED_SHOWN ? m->shown : FB_MISSED_SHOWN - 1;
    memmove(&m->worst[at + 1], &m->worst[at], (keep - at) * sizeof m->worst[0]);
    snprintf(m->worst[at].name, sizeof m->worst[at].name, "%s", name);
    m->worst[at].half_pct = half;
    fb_noise_why(v, n, m->target_pct, m->worst[at].why, sizeof m->worst[at].why);
    if (m->shown < FB_MISSED_SHOWN)
        m->shown++;
}

void fb_missed_print(const struct fb_missed *m)
{
    if (m->n == 0)
        return;
    fprintf(stderr,
            "framebench: %zu of %zu cells missed the +-%g %% target (their rows: precision_met false, and "
            "noise says why; --cell-cap or --max-repetitions give them more time)%s\n",
            m->n, m->of, m->target_pct, m->n > m->shown ? "; the least precise:" : ":");
    for (size_t i = 0; i < m->shown; i++)
        fprintf(stderr, "  %-64s +-%.1f %%  %s\n", m->worst[i].name, m->worst[i].half_pct, m->worst[i].why);
}
