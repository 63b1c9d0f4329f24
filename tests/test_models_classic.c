/* test_models_classic.c - the classic test functions among the built-in
 * models (corana, step, quartic, sphere, rosen, ellipsoid, powers,
 * rastrigin, ackley, griewangk): corana's flat minimum and weight slots,
 * step's plateaus, quartic's seeded noise, the exact zero minima of the
 * smooth ones and Rosenbrock's values at known points. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>

#include "augur/model.h"
#include "augur/status.h"
#include "model_check.h"

TestSuite(models, .init = quiet_gsl);

/* --- Classic -------------------------------------------------------------- */

Test(models, corana_flat_minimum)
{
    const augur_model *m = must_find("corana");
    for (size_t n = 1; n <= 4; n++) {
        double x[4] = {0.04, -0.04, 0.049, -0.01};
        cr_assert_eq(augur_model_corana(x, n, NULL), 0.0, "n=%zu", n);
        x[n - 1] = 0.3;
        cr_assert_gt(augur_model_corana(x, n, NULL), 0.0, "n=%zu", n);
        double f;
        cr_assert_eq(augur_model_minimum(m, n, &f, NULL), AUGUR_OK);
        cr_assert_eq(f, 0.0);
    }
}

/* Short vectors fill the weight slots 1, 10, 100, 1000 in that order; a
 * 4-vector keeps mystic's d = (1, 1000, 10, 100). */
Test(models, corana_slot_order)
{
    double x2[2] = {0.0, 0.3}, x3[3] = {0.0, 0.0, 0.3};
    double x4[4] = {0.0, 0.3, 0.0, 0.0};
    cr_assert(fabs(augur_model_corana(x2, 2, NULL) - 10.0 * 0.09) < 1e-12);
    cr_assert(fabs(augur_model_corana(x3, 3, NULL) - 100.0 * 0.09) < 1e-12);
    cr_assert(fabs(augur_model_corana(x4, 4, NULL) - 1000.0 * 0.09) < 1e-9);
    /* A pocket at 0.2: 0.15 (0.2 - 0.05)^2 d. */
    double p[1] = {0.21};
    cr_assert(fabs(augur_model_corana(p, 1, NULL) - 0.15 * 0.15 * 0.15) < 1e-15);
}

Test(models, step_plateau)
{
    const augur_model *m = must_find("step");
    for (size_t k = 0; k < sizeof test_dims / sizeof test_dims[0]; k++) {
        size_t n = test_dims[k];
        double x[MAXN], f = min_of(m, n, x);
        cr_assert_eq(f, 30.0 - 6.0 * (double)n);
        cr_assert_eq(x[0], -5.06);
        for (size_t i = 0; i < n; i++)
            x[i] = i % 2 ? -5.12 : -5.0000001;
        cr_assert_eq(augur_model_step(x, n, NULL), f, "plateau edge");
        x[0] = -5.0;
        cr_assert_eq(augur_model_step(x, n, NULL), f + 1.0);
    }
    double out[1] = {6.0};
    cr_assert(fabs(augur_model_step(out, 1, NULL) - (30.0 + 30.0 * 0.88)) < 1e-12);
}

Test(models, quartic_noise)
{
    double x[30] = {0}, f;
    cr_assert_eq(augur_model_quartic(x, 30, NULL), 0.0);
    cr_assert_eq(augur_model_minimum(must_find("quartic"), 30, &f, NULL),
                 AUGUR_OK);
    cr_assert_eq(f, 0.0);
    gsl_rng *a = gsl_rng_alloc(gsl_rng_mt19937), *b = gsl_rng_alloc(gsl_rng_mt19937);
    cr_assert(a && b);
    gsl_rng_set(a, 7);
    gsl_rng_set(b, 7);
    double va = augur_model_quartic(x, 30, a), vb = augur_model_quartic(x, 30, b);
    cr_assert_eq(va, vb, "same seed, same noise");
    cr_assert(va > 0.0 && va < 30.0);
    cr_assert_neq(augur_model_quartic(x, 30, a), va, "fresh draws each call");
    gsl_rng_free(a);
    gsl_rng_free(b);
}

Test(models, smooth_minima_are_exact_zero)
{
    static const char *names[] = {"sphere", "rosen",     "ellipsoid",
                                  "powers", "rastrigin", "ackley",
                                  "griewangk"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        const augur_model *m = must_find(names[k]);
        double x[10], f = min_of(m, 10, x);
        cr_assert_eq(f, 0.0, "%s", names[k]);
        cr_assert_eq(m->cost(x, 10, NULL), 0.0, "%s", names[k]);
    }
}

Test(models, rosen_values)
{
    double x[3] = {0.0, 0.0, 0.0}, y[2] = {-1.0, 1.0};
    cr_assert_eq(augur_model_rosen(x, 3, NULL), 2.0);
    cr_assert_eq(augur_model_rosen(y, 2, NULL), 4.0);
}
