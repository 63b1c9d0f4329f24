/* test_models.c - Criterion suite for the built-in models (models/).
 *
 * One parameterized case per registered model checks, for every dimension
 * the model takes among 1..5, 9, 10 and 17: the box, that cost(xmin) equals
 * the reported minimum, that xmin lies in the box, and that none of 10^4 seeded
 * uniform points in the box beats the minimum (a sanity check that it is
 * global). Named tests then pin the reference numbers from mystic and the
 * literature, re-verify every constant the library hard-codes (with GSL's
 * Brent and nmsimplex2 methods, independently of how the library got them),
 * and cover lookup and argument errors. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_rng.h>

#include "augur/model.h"
#include "augur/status.h"

#define MAXN 32
#define SAMPLES 10000
#define PI 3.14159265358979323846

/* GSL must report, not abort, if a test misuses it. */
static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(models, .init = quiet_gsl);

/* 9 and 17 are chebyshev8's and chebyshev16's only dimensions. */
static const size_t test_dims[] = {1, 2, 3, 4, 5, 9, 10, 17};

/* |a - b| within tol, relative for large |b| and absolute near 0. */
static int near(double a, double b, double tol)
{
    return fabs(a - b) <= tol * fmax(1.0, fabs(b));
}

static const augur_model *must_find(const char *name)
{
    const augur_model *m = augur_model_find(name);
    cr_assert_not_null(m, "model %s not registered", name);
    return m;
}

static double min_of(const augur_model *m, size_t n, double *xmin)
{
    double f = NAN;
    int rc = augur_model_minimum(m, n, &f, xmin);
    cr_assert_eq(rc, AUGUR_OK, "%s n=%zu: minimum -> %d", m->name, n, rc);
    return f;
}

/* --- Per model: every dimension it takes -------------------------------- */

/* No sample of the box may beat the minimum. */
static void check_sample(const augur_model *m, size_t n, const double *lb,
                         const double *ub, double fmin)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    cr_assert_not_null(rng);
    gsl_rng_set(rng, 1);
    double x[MAXN], tol = 1e-9 * fmax(1.0, fabs(fmin));
    for (int k = 0; k < SAMPLES; k++) {
        for (size_t i = 0; i < n; i++)
            x[i] = lb[i] + (ub[i] - lb[i]) * gsl_rng_uniform(rng);
        double v = m->cost(x, n, NULL);
        if (v < fmin - tol) {
            gsl_rng_free(rng);
            cr_assert_fail("%s n=%zu: sample %d has %.17g < minimum %.17g",
                           m->name, n, k, v, fmin);
        }
    }
    gsl_rng_free(rng);
}

static void check_dim(const augur_model *m, size_t n)
{
    double lb[MAXN], ub[MAXN], xmin[MAXN];
    cr_assert_eq(augur_model_box(m, n, lb, ub), AUGUR_OK);
    for (size_t i = 0; i < n; i++)
        cr_assert_lt(lb[i], ub[i], "%s n=%zu: empty box", m->name, n);
    double fmin = min_of(m, n, xmin);
    double f = m->cost(xmin, n, NULL);
    cr_assert(isfinite(f), "%s n=%zu: cost(xmin) = %g", m->name, n, f);
    cr_assert(near(f, fmin, 1e-9), "%s n=%zu: cost(xmin) %.17g != min %.17g",
              m->name, n, f, fmin);
    for (size_t i = 0; i < n; i++)
        cr_assert(xmin[i] >= lb[i] && xmin[i] <= ub[i],
                  "%s n=%zu: xmin[%zu] = %g outside [%g, %g]", m->name, n, i,
                  xmin[i], lb[i], ub[i]);
    check_sample(m, n, lb, ub, fmin);
}

struct model_case {
    char name[24];
};

#define N_CASES 25

static struct model_case model_cases[N_CASES] = {
    {.name = "sphere"},
    {.name = "rosen"},
    {.name = "step"},
    {.name = "quartic"},
    {.name = "shekel"},
    {.name = "corana"},
    {.name = "griewangk"},
    {.name = "zimmermann"},
    {.name = "fosc3d"},
    {.name = "nmin51"},
    {.name = "peaks"},
    {.name = "venkat91"},
    {.name = "schwefel"},
    {.name = "ellipsoid"},
    {.name = "rastrigin"},
    {.name = "powers"},
    {.name = "ackley"},
    {.name = "michalewicz"},
    {.name = "michal"},
    {.name = "branins"},
    {.name = "easom"},
    {.name = "goldstein"},
    {.name = "paviani"},
    {.name = "chebyshev8"},
    {.name = "chebyshev16"},
};

ParameterizedTestParameters(models, minimum_is_global)
{
    return cr_make_param_array(struct model_case, model_cases, N_CASES);
}

ParameterizedTest(struct model_case *c, models, minimum_is_global)
{
    const augur_model *m = must_find(c->name);
    size_t checked = 0;
    for (size_t k = 0; k < sizeof test_dims / sizeof test_dims[0]; k++) {
        if (augur_model_check_dim(m, test_dims[k]) != AUGUR_OK)
            continue;
        check_dim(m, test_dims[k]);
        checked++;
    }
    cr_assert_gt(checked, 0, "%s takes none of the test dimensions", m->name);
}

/* The parameter list above is the whole registry, so "every model" holds. */
Test(models, cases_cover_registry)
{
    size_t count = 0;
    for (const augur_model *const *m = augur_models(); *m; m++) {
        int listed = 0;
        for (size_t k = 0; k < N_CASES; k++)
            listed |= strcmp(model_cases[k].name, (*m)->name) == 0;
        cr_assert(listed, "%s is not in the test's case list", (*m)->name);
        count++;
    }
    cr_assert_eq(count, N_CASES);
}

/* --- The registry -------------------------------------------------------- */

Test(models, descriptors_are_complete)
{
    for (const augur_model *const *p = augur_models(); *p; p++) {
        const augur_model *m = *p;
        cr_assert(m->name && m->name[0]);
        cr_assert(m->doc && m->doc[0], "%s has no doc", m->name);
        cr_assert(m->cost, "%s", m->name);
        cr_assert(m->box || m->box_lo < m->box_hi, "%s has a box", m->name);
        cr_assert(m->minimum || m->uniform_min, "%s has a minimum", m->name);
        cr_assert_geq(m->min_dim, 1);
        cr_assert(m->max_dim == 0 || m->max_dim >= m->min_dim);
        cr_assert_eq(augur_model_check_dim(m, m->default_dim), AUGUR_OK,
                     "%s default_dim %zu", m->name, m->default_dim);
        double f;
        cr_assert_eq(augur_model_minimum(m, m->default_dim, &f, NULL),
                     AUGUR_OK, "%s default_dim minimum", m->name);
    }
}

Test(models, names_are_unique)
{
    for (const augur_model *const *a = augur_models(); *a; a++)
        for (const augur_model *const *b = a + 1; *b; b++)
            cr_assert_str_neq((*a)->name, (*b)->name);
}

Test(models, find_by_name)
{
    for (const augur_model *const *m = augur_models(); *m; m++)
        cr_assert_eq(augur_model_find((*m)->name), *m);
    cr_assert_str_eq(must_find("ROSEN")->name, "rosen");
    cr_assert_str_eq(must_find("Michalewicz")->name, "michalewicz");
    cr_assert_str_eq(must_find("Venkat91")->name, "venkat91");
    cr_assert_eq(augur_model_find("rosen")->cost, augur_model_rosen);
    cr_assert_eq(augur_model_find("sphere")->cost, augur_model_sphere);
}

Test(models, find_unknown_is_null)
{
    cr_assert_null(augur_model_find("nosuch"));
    cr_assert_null(augur_model_find(""));
    cr_assert_null(augur_model_find("rosen2"));
    cr_assert_null(augur_model_find(NULL));
}

Test(models, michal_is_an_alias)
{
    const augur_model *a = must_find("michal"), *b = must_find("michalewicz");
    cr_assert_neq(a, b);
    cr_assert_eq(a->cost, b->cost);
    double fa, fb, xa[5], xb[5];
    fa = min_of(a, 5, xa);
    fb = min_of(b, 5, xb);
    cr_assert_eq(fa, fb);
    cr_assert_arr_eq(xa, xb, sizeof xa);
}

/* --- Argument errors ----------------------------------------------------- */

Test(models, wrong_dimension_is_einval)
{
    double lb[8], ub[8], f, x[8];
    struct {
        const char *name;
        size_t n;
    } bad[] = {
        {.name = "rosen", .n = 1},  {.name = "shekel", .n = 3},
        {.name = "peaks", .n = 1},  {.name = "corana", .n = 5},
        {.name = "sphere", .n = 0}, {.name = "goldstein", .n = 4},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const augur_model *m = must_find(bad[k].name);
        cr_assert_eq(augur_model_check_dim(m, bad[k].n), AUGUR_EINVAL);
        cr_assert_eq(augur_model_box(m, bad[k].n, lb, ub), AUGUR_EINVAL);
        cr_assert_eq(augur_model_minimum(m, bad[k].n, &f, x), AUGUR_EINVAL);
        if (m->minimum)
            cr_assert_eq(m->minimum(bad[k].n, &f, x), AUGUR_EINVAL,
                         "%s raw callback", bad[k].name);
    }
    cr_assert_eq(augur_model_check_dim(must_find("corana"), 4), AUGUR_OK);
    cr_assert_eq(augur_model_check_dim(must_find("sphere"), 1000), AUGUR_OK);
}

Test(models, null_arguments_are_einval)
{
    const augur_model *m = must_find("sphere");
    double lb[2], ub[2], f;
    cr_assert_eq(augur_model_check_dim(NULL, 2), AUGUR_EINVAL);
    cr_assert_eq(augur_model_box(NULL, 2, lb, ub), AUGUR_EINVAL);
    cr_assert_eq(augur_model_box(m, 2, NULL, ub), AUGUR_EINVAL);
    cr_assert_eq(augur_model_box(m, 2, lb, NULL), AUGUR_EINVAL);
    cr_assert_eq(augur_model_minimum(NULL, 2, &f, NULL), AUGUR_EINVAL);
    cr_assert_eq(augur_model_minimum(m, 2, NULL, NULL), AUGUR_EINVAL);
    m = must_find("schwefel");   /* one whose minimum is a callback */
    cr_assert_eq(m->minimum(2, NULL, NULL), AUGUR_EINVAL);
}

Test(models, cost_rejects_bad_input_with_nan)
{
    double x[6] = {0};
    cr_assert(isnan(augur_model_rosen(x, 1, NULL)));
    cr_assert(isnan(augur_model_sphere(NULL, 2, NULL)));
    cr_assert(isnan(augur_model_shekel(x, 3, NULL)));
    cr_assert(isnan(augur_model_corana(x, 5, NULL)));
    cr_assert(isnan(augur_model_peaks(x, 1, NULL)));
    cr_assert(isnan(augur_model_paviani(x, 0, NULL)));
}

Test(models, minimum_without_xmin)
{
    for (const augur_model *const *p = augur_models(); *p; p++) {
        double x[MAXN], f1, f2;
        size_t n = (*p)->default_dim;
        cr_assert_eq(augur_model_minimum(*p, n, &f1, NULL), AUGUR_OK);
        cr_assert_eq(augur_model_minimum(*p, n, &f2, x), AUGUR_OK);
        cr_assert_eq(f1, f2, "%s", (*p)->name);
    }
}

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
