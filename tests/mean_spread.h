/* mean_spread.h - mystic's constraint case "mean 5 and spread 5", shared by
 * test_constraints.c (on every solver) and test_ensemble_constraints.c
 * (buckshot over each solver): the cost |sum(x) - 5| and the mean and
 * spread (max - min) a reported point is checked for. Static and marked
 * unused, since each suite uses only part of it. */
#ifndef AUGUR_TESTS_MEAN_SPREAD_H
#define AUGUR_TESTS_MEAN_SPREAD_H

#include <math.h>
#include <stddef.h>

#define MEAN_SPREAD_STATIC static __attribute__((unused))

/* |sum(x) - 5|: every point with mean 5 over 5 coordinates costs 20. */
MEAN_SPREAD_STATIC double abs_sum5(const double *x, size_t n, void *data)
{
    (void)data;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return fabs(s - 5);
}

/* The mean and the spread (largest minus smallest) of x[0..n-1]. */
MEAN_SPREAD_STATIC void mean_and_spread(const double *x, size_t n, double *mean,
                                        double *spread)
{
    double s = 0, lo = x[0], hi = x[0];
    for (size_t i = 0; i < n; i++) {
        s += x[i];
        lo = fmin(lo, x[i]);
        hi = fmax(hi, x[i]);
    }
    *mean = s / (double)n;
    *spread = hi - lo;
}

#endif
