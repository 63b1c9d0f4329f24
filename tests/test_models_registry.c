/* test_models_registry.c - Criterion suite for the registry of built-in
 * models (models/) as a whole.
 *
 * One parameterized case per registered model checks, for every dimension
 * the model takes among 1..5, 9, 10 and 17: the box, that cost(xmin) equals
 * the reported minimum, that xmin lies in the box, and that none of 10^4 seeded
 * uniform points in the box beats the minimum (a sanity check that it is
 * global). Named tests then check the descriptors, lookup by name and
 * alias, and the argument errors. Each model's reference numbers are in
 * test_models_ndim.c, test_models_2d.c and test_models_classic.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <gsl/gsl_rng.h>

#include "augur/model.h"
#include "augur/status.h"
#include "model_check.h"

TestSuite(models, .init = quiet_gsl);

#define SAMPLES 10000

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

#define N_CASES 36

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
    {.name = "ill-ellipsoid"},
    {.name = "rot-ellipsoid"},
    {.name = "discus"},
    {.name = "bent-cigar"},
    {.name = "sharp-ridge"},
    {.name = "diff-powers"},
    {.name = "rot-rastrigin"},
    {.name = "weierstrass"},
    {.name = "schaffer-f7"},
    {.name = "katsuura"},
    {.name = "lunacek"},
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
