/* test_models_2d.c - the built-in two-dimensional landscapes (peaks,
 * fosc3d, nmin51, shekel, venkat91, goldstein, easom, branins, zimmermann):
 * every hard-coded minimiser is refined - GSL's nmsimplex2 started around
 * it finds nothing lower, and the smooth ones have a zero central-difference
 * gradient - and each minimum is pinned to the reference numbers from
 * mystic and the literature. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_multimin.h>

#include "augur/model.h"
#include "augur/status.h"
#include "model_check.h"

TestSuite(models, .init = quiet_gsl);

/* --- Refined 2-D minimisers ---------------------------------------------- */

static double simplex_f(const gsl_vector *v, void *params)
{
    const augur_model *m = *(const augur_model *const *)params;
    return m->cost(gsl_vector_const_ptr(v, 0), v->size, NULL);
}

/* nmsimplex2 from x0 with a small simplex, run to a tiny size: returns the
 * best value and point it finds. */
static double polish(const augur_model *m, const double *x0, size_t n,
                     double step, double *xout)
{
    gsl_multimin_function fn = {.f = simplex_f, .n = n, .params = &m};
    gsl_vector *x = gsl_vector_alloc(n), *ss = gsl_vector_alloc(n);
    gsl_multimin_fminimizer *s =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, n);
    cr_assert(x && ss && s);
    for (size_t i = 0; i < n; i++) {
        gsl_vector_set(x, i, x0[i]);
        gsl_vector_set(ss, i, step);
    }
    cr_assert_eq(gsl_multimin_fminimizer_set(s, &fn, x, ss), GSL_SUCCESS);
    for (int it = 0; it < 20000; it++) {
        if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
            break;
        if (gsl_multimin_fminimizer_size(s) < 1e-15)
            break;
    }
    double f = gsl_multimin_fminimizer_minimum(s);
    for (size_t i = 0; i < n; i++)
        xout[i] = gsl_vector_get(gsl_multimin_fminimizer_x(s), i);
    gsl_multimin_fminimizer_free(s);
    gsl_vector_free(ss);
    gsl_vector_free(x);
    return f;
}

/* For each hard-coded minimiser: a simplex started around it finds nothing
 * measurably lower and stays put. */
Test(models, refined_minimisers_are_stationary)
{
    static const char *names[] = {"peaks", "fosc3d", "nmin51", "shekel",
                                  "venkat91", "goldstein", "easom", "branins"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        const augur_model *m = must_find(names[k]);
        double x[2], xp[2], f = min_of(m, 2, x);
        double fp = polish(m, x, 2, 1e-3, xp);
        cr_assert_geq(fp, f - 1e-13 * fmax(1.0, fabs(f)),
                      "%s: simplex %.17g below %.17g", names[k], fp, f);
        cr_assert(fabs(xp[0] - x[0]) < 1e-6 && fabs(xp[1] - x[1]) < 1e-6,
                  "%s: simplex moved to (%.17g, %.17g)", names[k], xp[0],
                  xp[1]);
    }
}

/* The value test above cannot see a minimiser that is off by 1e-8 (the
 * value moves by 1e-15), so the smooth ones also get a central-difference
 * gradient, which moves linearly. Shekel's bottom is too flat (a sixth
 * power) for this to mean anything and is left to the value test. */
Test(models, smooth_minimisers_have_zero_gradient)
{
    static const char *names[] = {"peaks", "fosc3d", "nmin51", "venkat91",
                                  "goldstein", "easom", "branins"};
    const double h = 1e-6;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        const augur_model *m = must_find(names[k]);
        double x[2];
        min_of(m, 2, x);
        for (size_t i = 0; i < 2; i++) {
            double xp[2] = {x[0], x[1]}, xm[2] = {x[0], x[1]};
            xp[i] += h;
            xm[i] -= h;
            double g = (m->cost(xp, 2, NULL) - m->cost(xm, 2, NULL)) / (2 * h);
            cr_assert(fabs(g) < 2e-7, "%s: df/dx%zu = %g", names[k], i, g);
        }
    }
}

/* --- 2-D anchors --------------------------------------------------------- */

Test(models, peaks_anchor)
{
    double x[2], f = min_of(must_find("peaks"), 2, x);
    cr_assert(fabs(f - -6.551133332835841) < 1e-9, "%.17g", f);
    cr_assert(fabs(x[0] - 0.22827892) < 1e-8 && fabs(x[1] - -1.62553496) < 1e-8);
    /* The two local minima are higher. */
    double l1[2] = {-1.34739625, 0.20451886}, l2[2] = {0.29644556, 0.3201962};
    cr_assert_gt(augur_model_peaks(l1, 2, NULL), f + 1.0);
    cr_assert_gt(augur_model_peaks(l2, 2, NULL), f + 1.0);
}

Test(models, shekel_anchor)
{
    double x[2], f = min_of(must_find("shekel"), 2, x);
    cr_assert(fabs(f - 0.998004) < 1e-5, "%.17g", f);
    cr_assert(fabs(f - 0.99800383779445026) < 1e-12, "%.17g", f);
    cr_assert(fabs(x[0] + 32.0) < 0.05 && fabs(x[1] + 32.0) < 0.05);
    double corner[2] = {-32.0, -32.0};
    cr_assert_gt(augur_model_shekel(corner, 2, NULL), f);
    /* The textbook index: far from every hole the cost is 1/0.002 - a bit. */
    double far[2] = {1000.0, 1000.0};
    cr_assert(fabs(augur_model_shekel(far, 2, NULL) - 500.0) < 1e-6);
}

Test(models, landscape_anchors)
{
    double x[2];
    cr_assert(fabs(min_of(must_find("fosc3d"), 2, x) - -4.501069742528923) < 1e-9);
    cr_assert(fabs(x[0] - -0.215018) < 1e-6 && fabs(x[1] - 0.240356) < 1e-6);
    double f = min_of(must_find("nmin51"), 2, x);
    cr_assert(fabs(f - -3.306869) < 1e-6, "%.17g", f);
    cr_assert(fabs(f - -3.3068686474752372) < 1e-12, "%.17g", f);
    cr_assert(fabs(x[0] - -0.02440313) < 1e-7 && fabs(x[1] - 0.21061247) < 1e-7);
    f = min_of(must_find("venkat91"), 2, x);
    cr_assert(fabs(f - -19.668329370585823) < 1e-12, "%.17g", f);
    cr_assert(x[0] == 4.0 && x[1] == 4.0);
    f = min_of(must_find("easom"), 2, x);
    cr_assert_eq(f, -1.0);
    f = min_of(must_find("goldstein"), 2, x);
    cr_assert_eq(f, 3.0);
    cr_assert(x[0] == 0.0 && x[1] == -1.0);
}

Test(models, goldstein_locals_are_higher)
{
    double a[2] = {-0.6, -0.4}, b[2] = {1.8, 0.2};
    cr_assert(fabs(augur_model_goldstein(a, 2, NULL) - 30.0) < 1e-9);
    cr_assert(fabs(augur_model_goldstein(b, 2, NULL) - 84.0) < 1e-9);
}

Test(models, branins_three_minimisers)
{
    double x[2], f = min_of(must_find("branins"), 2, x);
    cr_assert(fabs(f - 0.397887) < 1e-6, "%.17g", f);
    cr_assert(fabs(f - 5.0 / (4.0 * PI)) < 1e-14, "%.17g", f);
    double a[2] = {-PI, 12.275}, b[2] = {3.0 * PI, 2.475};
    cr_assert(fabs(augur_model_branins(a, 2, NULL) - f) < 1e-12);
    cr_assert(fabs(augur_model_branins(b, 2, NULL) - f) < 1e-12);
}

Test(models, zimmermann_minimum_outside_mystic_box)
{
    const augur_model *m = must_find("zimmermann");
    double x[2], lb[2], ub[2], f = min_of(m, 2, x);
    cr_assert_eq(f, 0.0);
    cr_assert(x[0] == 7.0 && x[1] == 2.0);
    cr_assert_gt(x[0], 5.0); /* outside mystic's init box [0,5]^2 */
    augur_model_box(m, 2, lb, ub);
    cr_assert(lb[0] <= 7.0 && 7.0 <= ub[0]);
    /* The penalties: each violated constraint raises the cost. */
    double neg[2] = {-0.5, 2.0}, disc[2] = {7.5, 2.0}, prod[2] = {4.0, 4.0};
    cr_assert_eq(augur_model_zimmermann(neg, 2, NULL), 50.0);
    cr_assert(fabs(augur_model_zimmermann(disc, 2, NULL) - 425.0) < 1e-9);
    cr_assert_eq(augur_model_zimmermann(prod, 2, NULL), 200.0);
}
