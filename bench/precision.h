/*
 * precision.h: how precise a cell's median is, from its repetitions alone,
 * and why it is not when it is not.
 *
 * The interval is the distribution-free one of order statistics: with n
 * repetitions sorted, [x(k), x(n+1-k)] holds the true median with
 * probability 1 - 2 P(Binomial(n, 1/2) < k), whatever the distribution.  k
 * is the largest that keeps that coverage at 95 % or more; below 6
 * repetitions no k does, and the interval is min..max with its own coverage
 * (93.75 % at 5, 87.5 % at 4), which the row states.  No bootstrap: with 5
 * to 15 samples it is less exact, and it would need a random source.
 */
#ifndef FB_PRECISION_H
#define FB_PRECISION_H

#include <stddef.h>

struct fb_precision {
    double median, min, max; /* of the repetitions */
    double lo, hi;           /* the median's confidence interval */
    double level;            /* the interval's exact coverage, 0..1 */
    double half_pct;         /* max(median - lo, hi - median) / median, in percent */
};

/* The precision of v[0..n) (n >= 1; v is not changed). */
struct fb_precision fb_precision_of(const double *v, size_t n);

/* Why repetitions v[0..n), in the order they ran, miss a target of
 * +-target_pct: a drift, two clusters, a few slow repetitions, or a plain
 * spread.  Writes a short phrase into buf. */
void fb_noise_why(const double *v, size_t n, double target_pct, char *buf, size_t len);

/* The cells of a run that missed the target, for the list at its end: how
 * many, and the least precise few by name with why. */
#define FB_MISSED_SHOWN 10
struct fb_missed {
    double target_pct;
    size_t n, of;
    size_t shown;
    struct {
        char name[160];
        double half_pct;
        char why[96];
    } worst[FB_MISSED_SHOWN];
};

/* Counts a cell with repetitions v[0..n) (n >= 1), kept when it missed. */
void fb_missed_add(struct fb_missed *m, const char *name, const double *v, size_t n);

/* "framebench: K of N cells missed the target ..." and the least precise,
 * on stderr; nothing when none missed or there is no target. */
void fb_missed_print(const struct fb_missed *m);

#endif /* FB_PRECISION_H */
