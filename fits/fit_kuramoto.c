/* fit_kuramoto.c - the Kuramoto model of N coupled phase oscillators as a
 * fit model:
 *
 *     d theta_i / dt = omega_i + (K / N) sum_j sin(theta_j - theta_i)
 *
 * with parameters (omega_1 .. omega_N, K). The data are phases: x is the
 * time t (strictly increasing), y the N phases at that time, so N is the
 * data's ydim and the fit takes N + 1 parameters. The prediction starts
 * from the first row's phases (its residuals are therefore 0) and
 * integrates to every later time with GSL's Runge-Kutta-Prince-Dormand
 * (8, 9) stepper under an error tolerance of 1e-10, absolute and relative,
 * which keeps the integration error well below what finite differences of
 * the cost (report, polish) can resolve.
 *
 * GSL's error handler aborts by default and the library never touches it,
 * so nothing reaches GSL that would make it call the handler: the times are
 * checked when the fit is created, the first step is positive, every
 * parameter is finite, the right-hand side reports non-finite phases as
 * GSL_EBADFUNC (a status GSL returns, never raises), and a step count limit
 * turns a runaway integration into GSL_EMAXITER. Any status other than
 * success makes the prediction impossible (AUGUR_EFAILED), never an abort.
 * The coupling sum is computed in O(N) from sum sin(theta_j) and
 * sum cos(theta_j), since sin(a - b) = sin a cos b - cos a sin b. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>

#include "internal.h"
#include "fit_int.h"

#define ODE_EPS 1e-10             /* absolute and relative tolerance */
#define ODE_MAX_STEPS 200000      /* per interval between two rows */

typedef struct oscillators {
    size_t n;
    const double *omega;
    double coupling;              /* K / N */
} oscillators;

static int rhs(double t, const double theta[], double dtheta[], void *params)
{
    const oscillators *s = params;
    (void)t;
    double ssum = 0.0, csum = 0.0;
    for (size_t j = 0; j < s->n; j++) {
        ssum += sin(theta[j]);
        csum += cos(theta[j]);
    }
    for (size_t i = 0; i < s->n; i++) {
        dtheta[i] = s->omega[i] +
                    s->coupling * (cos(theta[i]) * ssum - sin(theta[i]) * csum);
        if (!isfinite(dtheta[i]))
            return GSL_EBADFUNC;  /* stops the integration, quietly */
    }
    return GSL_SUCCESS;
}

static int finite_params(const double *p, size_t np)
{
    for (size_t i = 0; i < np; i++)
        if (!isfinite(p[i]))
            return 0;
    return 1;
}

/* Integrate row by row; theta holds the state between rows. */
static int integrate(gsl_odeiv2_driver *drv, const augur_data *d, double *theta,
                     double *yhat)
{
    size_t n = d->ydim;
    double t = d->x[0];
    for (size_t row = 1; row < d->n; row++) {
        int status = gsl_odeiv2_driver_apply(drv, &t, d->x[row], theta);
        if (status != GSL_SUCCESS)
            return AUGUR_EFAILED;
        memcpy(yhat + row * n, theta, n * sizeof *theta);
    }
    return AUGUR_OK;
}

static int kuramoto_predict(const double *p, size_t np, const augur_data *d,
                            double *yhat)
{
    size_t n = d->ydim;
    if (np != n + 1 || !finite_params(p, np))
        return AUGUR_ERANGE;
    oscillators s = {.n = n, .omega = p, .coupling = p[n] / (double)n};
    gsl_odeiv2_system sys = {.function = rhs, .jacobian = NULL, .dimension = n,
                             .params = &s};
    double *theta = malloc(n * sizeof *theta);
    if (!theta)
        return AUGUR_ENOMEM;
    /* The first step: positive (GSL's rule) and no longer than the first
     * interval; the controller adapts it from there. */
    double h0 = fmin(1e-3, d->x[1] - d->x[0]);
    gsl_odeiv2_driver *drv = gsl_odeiv2_driver_alloc_y_new(
        &sys, gsl_odeiv2_step_rk8pd, h0, ODE_EPS, ODE_EPS);
    if (!drv) {
        free(theta);
        return AUGUR_ENOMEM;
    }
    gsl_odeiv2_driver_set_nmax(drv, ODE_MAX_STEPS);
    memcpy(theta, d->y, n * sizeof *theta);
    memcpy(yhat, d->y, n * sizeof *yhat);
    int rc = integrate(drv, d, theta, yhat);
    gsl_odeiv2_driver_free(drv);
    free(theta);
    return rc;
}

/* Enough rows, N + 1 parameters, and times that increase strictly (GSL
 * would raise an error, not return one, for a step against time). */
static int kuramoto_check(size_t np, const augur_data *d, char *err, size_t cap)
{
    if (d->n < 2)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "kuramoto needs at least 2 rows (start and one time)");
    if (np != d->ydim + 1)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "kuramoto takes N + 1 = %zu parameters (omega_1..omega_N, "
                               "K) for N = %zu phase columns, not %zu",
                               d->ydim + 1, d->ydim, np);
    for (size_t i = 1; i < d->n; i++)
        if (!(d->x[i] > d->x[i - 1]))
            return augur__fail_msg(err, cap, AUGUR_EINVAL,
                                   "kuramoto: times must increase strictly "
                                   "(row %zu: t = %g after %g)", i, d->x[i],
                                   d->x[i - 1]);
    return AUGUR_OK;
}

static void kuramoto_name(size_t i, size_t np, char *buf, size_t cap)
{
    if (i + 1 == np)
        snprintf(buf, cap, "K");
    else
        snprintf(buf, cap, "omega%zu", i + 1);
}

const augur_fit_model augur__fit_kuramoto = {
    .name = "kuramoto",
    .doc = "d theta_i/dt = omega_i + (K/N) sum_j sin(theta_j - theta_i), from "
           "the first row's phases; (omega_1..omega_N, K)",
    .nparams = 0,
    .size_rule = "N + 1 for N phase columns",
    .xdim = 1,
    .ydim = 0,
    .predict = kuramoto_predict,
    .check = kuramoto_check,
    .param_name = kuramoto_name,
};
