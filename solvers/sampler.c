/* sampler.c - starting points: uniform, Latin hypercube, Halton, Sobol.
 *
 * One place for every population solver, so a "sampler" setting means the
 * same thing everywhere. Quasi-random points come from GSL's gsl_qrng; each
 * coordinate is shifted by a uniform offset from the run's generator and
 * wrapped into [0, 1) (a Cranley-Patterson rotation): the low discrepancy
 * survives, the seed still decides the design, and Sobol's first point (the
 * origin, a corner of the box) is no longer special. GSL's dimension limits
 * are checked here, before GSL is called, because GSL's error handler would
 * otherwise abort the process. */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include "augur/sampler.h"
#include "internal.h"

const char *const augur_sampler_names[] = {
    "uniform", "latin-hypercube", "halton", "sobol", NULL,
};

static int check_box(size_t n, const double *lb, const double *ub,
                     char *err, size_t cap)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(lb[i]) || !isfinite(ub[i]) || lb[i] > ub[i])
            return augur__fail_msg(err, cap, AUGUR_EINVAL,
                                   "sampler: the box [%g, %g] at index %zu is "
                                   "not finite and ordered", lb[i], ub[i], i);
    return AUGUR_OK;
}

static void uniform(gsl_rng *rng, size_t n, size_t m, double *U)
{
    for (size_t k = 0; k < m * n; k++)
        U[k] = gsl_rng_uniform(rng);
}

/* Each axis cut into m strata; each stratum used once per axis. */
static int latin_hypercube(gsl_rng *rng, size_t n, size_t m, double *U)
{
    size_t *perm = malloc((m ? m : 1) * sizeof *perm);
    if (!perm)
        return AUGUR_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < m; k++)
            perm[k] = k;
        gsl_ran_shuffle(rng, perm, m, sizeof *perm);
        for (size_t k = 0; k < m; k++)
            U[k * n + i] = ((double)perm[k] + gsl_rng_uniform(rng)) / (double)m;
    }
    free(perm);
    return AUGUR_OK;
}

static int quasi_random(const gsl_qrng_type *type, gsl_rng *rng, size_t n,
                        size_t m, double *U)
{
    double *shift = malloc(n * sizeof *shift);
    gsl_qrng *q = shift ? gsl_qrng_alloc(type, (unsigned)n) : NULL;
    if (!q) {
        free(shift);
        return AUGUR_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        shift[i] = gsl_rng_uniform(rng);
    for (size_t k = 0; k < m; k++) {
        gsl_qrng_get(q, U + k * n);
        for (size_t i = 0; i < n; i++) {
            double v = U[k * n + i] + shift[i];
            U[k * n + i] = v >= 1 ? v - 1 : v;
        }
    }
    gsl_qrng_free(q);
    free(shift);
    return AUGUR_OK;
}

static int unit_sample(augur_sampler kind, gsl_rng *rng, size_t n, size_t m,
                       double *U, char *err, size_t cap)
{
    switch (kind) {
    case AUGUR_SAMPLER_UNIFORM:
        uniform(rng, n, m, U);
        return AUGUR_OK;
    case AUGUR_SAMPLER_LATIN_HYPERCUBE:
        return latin_hypercube(rng, n, m, U);
    case AUGUR_SAMPLER_HALTON:
        if (n > 1229)
            return augur__fail_msg(err, cap, AUGUR_EINVAL,
                                   "sampler: halton supports at most 1229 "
                                   "dimensions, not %zu", n);
        return quasi_random(gsl_qrng_halton, rng, n, m, U);
    case AUGUR_SAMPLER_SOBOL:
        if (n > 40)
            return augur__fail_msg(err, cap, AUGUR_EINVAL,
                                   "sampler: sobol supports at most 40 "
                                   "dimensions, not %zu", n);
        return quasi_random(gsl_qrng_sobol, rng, n, m, U);
    }
    return augur__fail_msg(err, cap, AUGUR_EINVAL, "sampler: unknown kind %d",
                           (int)kind);
}

int augur_sample(augur_sampler kind, gsl_rng *rng, size_t n, size_t m,
                 const double *lb, const double *ub, double *X, char *err,
                 size_t cap)
{
    if (!rng || !lb || !ub || !X)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "sampler: NULL argument");
    int rc = check_box(n, lb, ub, err, cap);
    if (rc == AUGUR_OK)
        rc = unit_sample(kind, rng, n, m, X, err, cap);
    if (rc == AUGUR_ENOMEM)
        return augur__fail_msg(err, cap, rc, "sampler: out of memory");
    if (rc != AUGUR_OK)
        return rc;
    for (size_t k = 0; k < m; k++)
        for (size_t i = 0; i < n; i++) {
            double *v = &X[k * n + i];
            *v = lb[i] + (ub[i] - lb[i]) * *v;
            if (*v > ub[i])   /* rounding at the top edge */
                *v = ub[i];
        }
    return AUGUR_OK;
}
