/* test_models_ndim.c - the built-in models whose minimiser the library
 * computes for any dimension: Schwefel, Michalewicz and Paviani. Named
 * tests pin the reference numbers from mystic and the literature and
 * re-verify every constant the library hard-codes (with GSL's Brent method
 * and brute-force scans, independently of how the library got them). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_min.h>

#include "augur/model.h"
#include "augur/status.h"
#include "model_check.h"

TestSuite(models, .init = quiet_gsl);

/* --- Schwefel ------------------------------------------------------------ */

static double schwefel_1d(double x, void *p)
{
    (void)p;
    return augur_model_schwefel(&x, 1, NULL);
}

/* Brent's method on f over [lo, hi] from g, to the limit of its precision. */
static double brent_min(double (*f)(double, void *), void *params, double lo,
                        double g, double hi, double *fx)
{
    gsl_function fn = {.function = f, .params = params};
    gsl_min_fminimizer *s = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    cr_assert_not_null(s);
    cr_assert_eq(gsl_min_fminimizer_set(s, &fn, g, lo, hi), GSL_SUCCESS);
    for (int it = 0; it < 200; it++) {
        if (gsl_min_fminimizer_iterate(s) != GSL_SUCCESS)
            break;
        if (gsl_min_test_interval(gsl_min_fminimizer_x_lower(s),
                                  gsl_min_fminimizer_x_upper(s), 0.0,
                                  1e-13) == GSL_SUCCESS)
            break;
    }
    double x = gsl_min_fminimizer_x_minimum(s);
    *fx = gsl_min_fminimizer_f_minimum(s);
    gsl_min_fminimizer_free(s);
    return x;
}

Test(models, schwefel_anchor)
{
    const augur_model *m = must_find("schwefel");
    for (size_t k = 0; k < sizeof test_dims / sizeof test_dims[0]; k++) {
        size_t n = test_dims[k];
        double x[MAXN], f = min_of(m, n, x);
        cr_assert(fabs(f - -418.98288727243374 * (double)n) <= 1e-9 * (double)n,
                  "n=%zu: %.17g", n, f);
        for (size_t i = 0; i < n; i++)
            cr_assert(fabs(x[i] - 420.9687465) < 1e-6);
    }
}

/* The hard-coded minimiser is Brent's, to Brent's precision, and no worse. */
Test(models, schwefel_minimiser_verified)
{
    double x1[1], f1 = min_of(must_find("schwefel"), 1, x1), fb;
    double xb = brent_min(schwefel_1d, NULL, 400.0, 420.0, 440.0, &fb);
    cr_assert(fabs(xb - x1[0]) < 1e-6, "brent %.17g vs %.17g", xb, x1[0]);
    cr_assert_leq(f1, fb + 1e-13, "%.17g > brent %.17g", f1, fb);
    /* And it is the best coordinate value on the whole box. */
    for (int j = 0; j <= 100000; j++) {
        double x = -500.0 + 1000.0 * j / 100000.0;
        cr_assert_geq(schwefel_1d(x, NULL), f1 - 1e-12);
    }
}

/* --- Michalewicz --------------------------------------------------------- */

Test(models, michalewicz_anchor)
{
    const augur_model *m = must_find("michalewicz");
    double x[10];
    double f2 = min_of(m, 2, x);
    cr_assert(fabs(f2 - -1.8013034) < 1e-6, "%.17g", f2);
    cr_assert(fabs(x[0] - 2.20289811) < 1e-4 && fabs(x[1] - 1.57078059) < 1e-4,
              "(%.10g, %.10g)", x[0], x[1]);
    double f5 = min_of(m, 5, x);
    cr_assert(fabs(f5 - -4.687658) < 1e-5, "%.17g", f5);
    double f10 = min_of(m, 10, x);
    cr_assert(fabs(f10 - -9.66015) < 1e-5, "%.17g", f10);
}

/* Coordinate i's term, written out independently of the library. */
static double michal_ref_term(size_t i, double x)
{
    return -sin(x) * pow(sin((double)(i + 1) * x * x / PI), 20.0);
}

/* A brute-force scan of each coordinate (2e5 points) never beats the
 * library's per-coordinate minimum, and comes within the scan's resolution
 * of it: the hump search misses nothing. */
Test(models, michalewicz_matches_scan)
{
    const size_t n = 24;
    const augur_model *m = must_find("michalewicz");
    double x[MAXN];
    min_of(m, n, x);
    for (size_t i = 0; i < n; i++) {
        double mine = michal_ref_term(i, x[i]), scan = INFINITY;
        for (int j = 1; j < 200000; j++)
            scan = fmin(scan, michal_ref_term(i, PI * j / 200000.0));
        cr_assert_leq(mine, scan + 1e-13, "coord %zu: %.17g > scan %.17g", i,
                      mine, scan);
        cr_assert_geq(mine, scan - 1e-6, "coord %zu: %.17g << scan %.17g", i,
                      mine, scan);
    }
}

Test(models, michalewicz_large_n)
{
    const augur_model *m = must_find("michalewicz");
    static double x[400];
    double f;
    cr_assert_eq(augur_model_minimum(m, 400, &f, x), AUGUR_OK);
    cr_assert_eq(augur_model_michalewicz(x, 400, NULL), f);
    /* Every coordinate contributes between -1 and -0.8. */
    cr_assert(f > -400.0 && f < -0.8 * 400.0, "%.17g", f);
}

/* --- Paviani ------------------------------------------------------------- */

Test(models, paviani_anchor_table)
{
    static const struct {
        size_t n;
        double f, c;
    } table[] = {
        {.n = 1, .f = 2.133838, .c = 8.501586},
        {.n = 3, .f = 7.386004, .c = 8.589578},
        {.n = 5, .f = 9.730525, .c = 8.740743},
        {.n = 8, .f = -3.411859, .c = 9.086900},
        {.n = 10, .f = -45.778470, .c = 9.350241},
    };
    const augur_model *m = must_find("paviani");
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
        double x[MAXN], f = min_of(m, table[k].n, x);
        cr_assert(fabs(f - table[k].f) < 1e-5, "n=%zu: %.17g", table[k].n, f);
        for (size_t i = 0; i < table[k].n; i++)
            cr_assert(fabs(x[i] - table[k].c) < 1e-4, "n=%zu: c = %.10g",
                      table[k].n, x[i]);
    }
}

/* Values solved to 20 digits in extended precision for the symmetric form. */
Test(models, paviani_extended_precision)
{
    static const struct {
        size_t n;
        double f;
    } table[] = {
        {.n = 2, .f = 4.9815098232436037615},
        {.n = 4, .f = 9.1000801858782527692},
        {.n = 10, .f = -45.77846970744626875},
        {.n = 15, .f = -839.41285578274973715},
        {.n = 20, .f = -9549.8906177418129094},
        {.n = 25, .f = -98940.803968379415714},
    };
    const augur_model *m = must_find("paviani");
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
        double f = min_of(m, table[k].n, NULL);
        cr_assert(near(f, table[k].f, 1e-10), "n=%zu: %.17g", table[k].n, f);
    }
    /* Every supported n: found, consistent, inside the box. */
    for (size_t n = 1; n <= 25; n++) {
        double x[MAXN], lb[MAXN], ub[MAXN], f = min_of(m, n, x);
        augur_model_box(m, n, lb, ub);
        cr_assert_eq(augur_model_paviani(x, n, NULL), f, "n=%zu", n);
        cr_assert(x[0] > lb[0] && x[0] < ub[0], "n=%zu: c = %.17g", n, x[0]);
    }
    double f;
    cr_assert_eq(augur_model_minimum(m, 26, &f, NULL), AUGUR_EUNSUP);
}

Test(models, paviani_infinite_outside)
{
    double in[2] = {5.0, 5.0};
    cr_assert(isfinite(augur_model_paviani(in, 2, NULL)));
    static const double out[] = {2.0, 10.0, 1.0, 11.0, -3.0, NAN};
    for (size_t k = 0; k < sizeof out / sizeof out[0]; k++) {
        double x[2] = {5.0, out[k]};
        cr_assert(isinf(augur_model_paviani(x, 2, NULL)) &&
                      augur_model_paviani(x, 2, NULL) > 0,
                  "x1 = %g", out[k]);
    }
}

/* The symmetric minimiser is global in 2-D: a 600x600 grid of the box. */
Test(models, paviani_2d_grid)
{
    const augur_model *m = must_find("paviani");
    double f = min_of(m, 2, NULL), lb[2], ub[2];
    augur_model_box(m, 2, lb, ub);
    for (int i = 0; i <= 600; i++)
        for (int j = 0; j <= 600; j++) {
            double x[2] = {lb[0] + (ub[0] - lb[0]) * i / 600.0,
                           lb[1] + (ub[1] - lb[1]) * j / 600.0};
            cr_assert_geq(augur_model_paviani(x, 2, NULL), f - 1e-9);
        }
}
