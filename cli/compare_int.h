/* compare_int.h - private to cli/: what `augur compare` keeps of its runs,
 * shared by the table (compare.c) and the picture (compare_plot.c). */
#ifndef AUGUR_COMPARE_INT_H
#define AUGUR_COMPARE_INT_H

#include <stddef.h>
#include "cli.h"

/* A run's best f after each generation, with the evaluations so far. */
typedef struct trajectory {
    double *evals, *f;
    size_t len, cap;
} trajectory;

typedef struct row {
    char type[128];
    double *f, *evals, *seconds;  /* one per finished run */
    trajectory *traj;             /* one per finished run */
    size_t runs;                  /* finished runs */
    size_t failed;                /* runs whose solve failed */
    int unusable;                 /* the file did not load for this type */
} row;

/* qsort's order on doubles. */
int compare_by_value(const void *a, const void *b);
/* The q-quantile of v[0..n) (sorted in place) by linear interpolation; NaN
 * for none. */
double compare_quantile(double *v, size_t n, double q);
/* --plot: each solver's median best f over seeds against evaluations, with
 * the band from the first to the third quartile, into path. */
int compare_draw(const char *path, const char *file, size_t seeds, const row *rows,
                 size_t count);

#endif
