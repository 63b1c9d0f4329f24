/* data.c - the data a fit is made to: rows of x and y with a sigma per y
 * value, built from arrays (here) or read from a CSV file (data_csv.c).
 *
 * Data are copied once into three row-major arrays and never change, so a
 * fit may read them from any number of threads. Without sigma every weight
 * is 1 and the data remember that they are unweighted, because the report
 * must then estimate the noise from the scatter (reduced chi-square)
 * instead of trusting the sigmas. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit_int.h"

/* --- Data from arrays ----------------------------------------------------- */

/* n * k without overflow, or 0. */
static size_t count_of(size_t n, size_t k)
{
    return (k != 0 && n > (size_t)-1 / sizeof(double) / k) ? 0 : n * k;
}

static int all_finite(const double *v, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

static int all_positive(const double *v, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!(v[i] > 0.0) || !isfinite(v[i]))
            return 0;
    return 1;
}

augur_data *augur__data_alloc(size_t npoints, size_t xdim, size_t ydim)
{
    size_t nx = count_of(npoints, xdim), ny = count_of(npoints, ydim);
    if (npoints == 0 || xdim == 0 || ydim == 0 || nx == 0 || ny == 0)
        return NULL;
    augur_data *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->n = npoints;
    d->xdim = xdim;
    d->ydim = ydim;
    d->x = malloc(nx * sizeof *d->x);
    d->y = malloc(ny * sizeof *d->y);
    d->sigma = malloc(ny * sizeof *d->sigma);
    if (!d->x || !d->y || !d->sigma) {
        augur_data_destroy(d);
        return NULL;
    }
    return d;
}

augur_data *augur_data_create(size_t npoints, size_t xdim, size_t ydim,
                              const double *x, const double *y,
                              const double *sigma)
{
    if (!x || !y)
        return NULL;
    if (!all_finite(x, count_of(npoints, xdim)) ||
        !all_finite(y, count_of(npoints, ydim)))
        return NULL;
    if (sigma && !all_positive(sigma, count_of(npoints, ydim)))
        return NULL;
    augur_data *d = augur__data_alloc(npoints, xdim, ydim);
    if (!d)
        return NULL;
    memcpy(d->x, x, npoints * xdim * sizeof *x);
    memcpy(d->y, y, npoints * ydim * sizeof *y);
    for (size_t i = 0; i < npoints * ydim; i++)
        d->sigma[i] = sigma ? sigma[i] : 1.0;
    d->weighted = sigma != NULL;
    return d;
}

void augur_data_destroy(augur_data *d)
{
    if (!d)
        return;
    free(d->x);
    free(d->y);
    free(d->sigma);
    free(d);
}

size_t augur_data_points(const augur_data *d) { return d ? d->n : 0; }
size_t augur_data_xdim(const augur_data *d) { return d ? d->xdim : 0; }
size_t augur_data_ydim(const augur_data *d) { return d ? d->ydim : 0; }
const double *augur_data_x(const augur_data *d) { return d ? d->x : NULL; }
const double *augur_data_y(const augur_data *d) { return d ? d->y : NULL; }
const double *augur_data_sigma(const augur_data *d) { return d ? d->sigma : NULL; }
int augur_data_weighted(const augur_data *d) { return d ? d->weighted : 0; }

