/* test_models_bbob.c - Criterion suite for the BBOB landscapes
 * (models/bbob.c): ill-ellipsoid, rot-ellipsoid, discus, bent-cigar,
 * sharp-ridge, diff-powers, rot-rastrigin, weierstrass, schaffer-f7,
 * katsuura, lunacek.
 *
 * For n in 2, 3, 5, 10, 20 and 40: the reported minimum is exactly 0, the
 * cost at the reported minimiser is exactly 0, the minimiser is the
 * documented point (3.5 sin(i + 1); lunacek +-1.25) inside [-5, 5]^n, and
 * the minimum is a minimum: each coordinate moved by +-1e-3 and 200
 * seeded points within 1e-2 of it cost more. The reference values at the
 * origin for n = 10 pin the fixed instance (the rotations come from GSL's
 * mt19937 with fixed seeds), and eight threads building the rotations of
 * a fresh n at once get the same values as one thread. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>

#include "augur/model.h"
#include "augur/status.h"
#include "model_check.h"

TestSuite(bbob, .init = quiet_gsl);

static const char *const names[] = {
    "ill-ellipsoid", "rot-ellipsoid", "discus", "bent-cigar",
    "sharp-ridge", "diff-powers", "rot-rastrigin", "weierstrass",
    "schaffer-f7", "katsuura", "lunacek",
};
#define NMODELS (sizeof names / sizeof names[0])

/* cost at the origin, n = 10 (a reference run of this file) */
static const double at_origin[NMODELS] = {
    4503592.8480912084, 3311119.1947305575, 30833917.300877541,
    103726444.11813985, 1280.1639138411658, 21.3395642167558,
    360.07051542296193, 49.413169359305172, 16.055299016877463,
    17.180542865721591, 132.17822600478522,
};

static const size_t dims[] = {2, 3, 5, 10, 20, 40};

static void check_minimum(const augur_model *m, size_t n, gsl_rng *rng)
{
    double fmin = NAN, xmin[40], lb[40], ub[40], y[40];
    cr_assert_eq(augur_model_minimum(m, n, &fmin, xmin), AUGUR_OK);
    cr_assert_eq(augur_model_box(m, n, lb, ub), AUGUR_OK);
    cr_assert_eq(fmin, 0.0, "%s n=%zu: minimum %g", m->name, n, fmin);
    cr_assert_eq(m->cost(xmin, n, NULL), 0.0, "%s n=%zu", m->name, n);
    int lun = strcmp(m->name, "lunacek") == 0;
    for (size_t i = 0; i < n; i++) {
        double want = lun ? (i % 2 ? -1.25 : 1.25) : 3.5 * sin((double)i + 1);
        cr_assert_eq(xmin[i], want, "%s n=%zu: x*[%zu]", m->name, n, i);
        cr_assert(lb[i] == -5 && ub[i] == 5 && fabs(xmin[i]) < 5);
    }
    for (size_t i = 0; i < 2 * n; i++) {
        memcpy(y, xmin, n * sizeof *y);
        y[i / 2] += i % 2 ? 1e-3 : -1e-3;
        double f = m->cost(y, n, NULL);
        cr_assert_gt(f, 0.0, "%s n=%zu: step %zu gives %g", m->name, n, i, f);
    }
    for (int k = 0; k < 200; k++) {
        for (size_t i = 0; i < n; i++)
            y[i] = xmin[i] + 1e-2 * (2 * gsl_rng_uniform(rng) - 1);
        double f = m->cost(y, n, NULL);
        cr_assert_gt(f, 0.0, "%s n=%zu: sample %d gives %g", m->name, n, k, f);
    }
}

Test(bbob, minimum_is_exact_and_local)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 7);
    for (size_t k = 0; k < NMODELS; k++)
        for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++)
            check_minimum(must_find(names[k]), dims[d], rng);
    gsl_rng_free(rng);
}

Test(bbob, dimensions_and_reference_values)
{
    double x[10] = {0};
    for (size_t k = 0; k < NMODELS; k++) {
        const augur_model *m = must_find(names[k]);
        cr_assert_eq(augur_model_check_dim(m, 1), AUGUR_EINVAL);
        cr_assert_eq(augur_model_check_dim(m, 41), AUGUR_EINVAL);
        cr_assert_eq(m->default_dim, 10);
        cr_assert(isnan(m->cost(x, 1, NULL)));
        double f = m->cost(x, 10, NULL);
        cr_assert(near(f, at_origin[k], 1e-12), "%s: f(0) = %.17g, want %.17g",
                  m->name, f, at_origin[k]);
    }
}

/* Outside the box the penalised ones rise: lunacek by 1e4 f_pen. */
Test(bbob, penalty_outside_the_box)
{
    const augur_model *m = must_find("lunacek");
    double x[2] = {1.25, -1.25}, y[2] = {6.25, -1.25};
    cr_assert_eq(m->cost(x, 2, NULL), 0.0);
    cr_assert_gt(m->cost(y, 2, NULL), 1e4);
}

/* n = 13 is used by no other test here, so its rotations are built by
 * whichever thread comes first while the others wait for them. */
#define NTHREADS 8
static double thread_f[NTHREADS][NMODELS];

static void *eval_all(void *arg)
{
    size_t t = (size_t)(uintptr_t)arg;
    double x[13];
    for (size_t i = 0; i < 13; i++)
        x[i] = 0.1 * (double)i - 0.6;
    for (size_t k = 0; k < NMODELS; k++)
        thread_f[t][k] = augur_model_find(names[k])->cost(x, 13, NULL);
    return NULL;
}

Test(bbob, threads_build_the_same_rotations)
{
    pthread_t th[NTHREADS];
    for (size_t t = 0; t < NTHREADS; t++)
        cr_assert_eq(pthread_create(&th[t], NULL, eval_all, (void *)(uintptr_t)t), 0);
    for (size_t t = 0; t < NTHREADS; t++)
        pthread_join(th[t], NULL);
    for (size_t t = 1; t < NTHREADS; t++)
        for (size_t k = 0; k < NMODELS; k++)
            cr_assert_eq(thread_f[t][k], thread_f[0][k], "%s thread %zu", names[k], t);
    for (size_t k = 0; k < NMODELS; k++)
        cr_assert(isfinite(thread_f[0][k]) && thread_f[0][k] > 0);
}
