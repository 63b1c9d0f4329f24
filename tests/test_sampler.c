/* test_sampler.c - starting-point samplers and bound-repair policies. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>
#include "augur.h"
#include "augur/plugin.h"
#include "augur/sampler.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(sampler, .init = quiet_gsl);

static gsl_rng *seeded(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    return r;
}

Test(sampler, every_kind_stays_in_the_box_and_repeats_for_a_seed)
{
    double lb[3] = {-5, 0, 100}, ub[3] = {5, 1e-3, 101};
    static double a[300 * 3], b[300 * 3];
    for (int kind = 0; kind < 4; kind++) {
        gsl_rng *r1 = seeded(9), *r2 = seeded(9);
        cr_assert_eq(augur_sample(kind, r1, 3, 300, lb, ub, a, NULL, 0), AUGUR_OK);
        cr_assert_eq(augur_sample(kind, r2, 3, 300, lb, ub, b, NULL, 0), AUGUR_OK);
        cr_assert_eq(memcmp(a, b, sizeof a), 0, "%s repeats", augur_sampler_names[kind]);
        for (size_t k = 0; k < 300; k++)
            for (size_t i = 0; i < 3; i++)
                cr_assert(a[k * 3 + i] >= lb[i] && a[k * 3 + i] <= ub[i]);
        gsl_rng_free(r1);
        gsl_rng_free(r2);
    }
}

Test(sampler, different_seeds_give_different_quasi_random_designs)
{
    double lb[2] = {0, 0}, ub[2] = {1, 1}, a[64 * 2], b[64 * 2];
    for (int kind = AUGUR_SAMPLER_HALTON; kind <= AUGUR_SAMPLER_SOBOL; kind++) {
        gsl_rng *r1 = seeded(1), *r2 = seeded(2);
        augur_sample(kind, r1, 2, 64, lb, ub, a, NULL, 0);
        augur_sample(kind, r2, 2, 64, lb, ub, b, NULL, 0);
        cr_assert_neq(memcmp(a, b, sizeof a), 0);
        gsl_rng_free(r1);
        gsl_rng_free(r2);
    }
}

/* Latin hypercube: on every axis each of the m strata holds one point. */
Test(sampler, latin_hypercube_fills_every_stratum_once)
{
    enum { M = 50, N = 4 };
    double lb[N] = {-1, -1, -1, -1}, ub[N] = {1, 1, 1, 1}, X[M * N];
    gsl_rng *r = seeded(3);
    cr_assert_eq(augur_sample(AUGUR_SAMPLER_LATIN_HYPERCUBE, r, N, M, lb, ub, X,
                              NULL, 0), AUGUR_OK);
    for (size_t i = 0; i < N; i++) {
        int count[M] = {0};
        for (size_t k = 0; k < M; k++) {
            int bin = (int)((X[k * N + i] + 1) / 2 * M);
            count[bin < M ? bin : M - 1]++;
        }
        for (size_t b = 0; b < M; b++)
            cr_assert_eq(count[b], 1, "axis %zu stratum %zu", i, b);
    }
    gsl_rng_free(r);
}

/* 256 points in a 16x16 grid of the unit square, seeds 1..20 (measured):
 * uniform crowds up to 6 points into a cell, Halton at most 3, Sobol 4. */
static int worst_cell(augur_sampler kind)
{
    double lb[2] = {0, 0}, ub[2] = {1, 1};
    static double X[256 * 2];
    int worst = 0;
    for (unsigned long seed = 1; seed <= 20; seed++) {
        gsl_rng *r = seeded(seed);
        augur_sample(kind, r, 2, 256, lb, ub, X, NULL, 0);
        int c[16][16] = {{0}};
        for (int k = 0; k < 256; k++)
            c[(int)(X[2 * k] * 16)][(int)(X[2 * k + 1] * 16)]++;
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 16; j++)
                worst = c[i][j] > worst ? c[i][j] : worst;
        gsl_rng_free(r);
    }
    return worst;
}

Test(sampler, quasi_random_designs_spread_more_evenly_than_uniform)
{
    int u = worst_cell(AUGUR_SAMPLER_UNIFORM);
    cr_assert_leq(worst_cell(AUGUR_SAMPLER_HALTON), 3);
    cr_assert_leq(worst_cell(AUGUR_SAMPLER_SOBOL), 4);
    cr_assert_geq(u, 5, "uniform clumps (measured 6)");
}

Test(sampler, bad_input_gives_a_message)
{
    char err[256] = "";
    double lb[41], ub[41], X[41];
    for (int i = 0; i < 41; i++) {
        lb[i] = 0;
        ub[i] = 1;
    }
    gsl_rng *r = seeded(1);
    cr_assert_eq(augur_sample(AUGUR_SAMPLER_SOBOL, r, 41, 1, lb, ub, X, err, sizeof err),
                 AUGUR_EINVAL);
    cr_assert(strstr(err, "40"), "%s", err);
    cr_assert_eq(augur_sample(AUGUR_SAMPLER_SOBOL, r, 40, 1, lb, ub, X, err, sizeof err),
                 AUGUR_OK);
    ub[3] = INFINITY;
    cr_assert_eq(augur_sample(AUGUR_SAMPLER_UNIFORM, r, 5, 1, lb, ub, X, err, sizeof err),
                 AUGUR_EINVAL);
    cr_assert(strstr(err, "index 3"), "%s", err);
    ub[3] = -1;
    cr_assert_eq(augur_sample(AUGUR_SAMPLER_UNIFORM, r, 5, 1, lb, ub, X, err, sizeof err),
                 AUGUR_EINVAL);
    cr_assert_eq(augur_sample(AUGUR_SAMPLER_UNIFORM, NULL, 5, 1, lb, ub, X, err, sizeof err),
                 AUGUR_EINVAL);
    cr_assert_eq(augur_sample(7, r, 1, 1, lb, ub, X, err, sizeof err), AUGUR_EINVAL);
    gsl_rng_free(r);
}

/* --- The solver's "sampler" parameter and initial points ---------------- */

Test(sampler, solver_initial_points_use_the_sampler_parameter)
{
    augur_solver *s = augur_solver_create("nelder-mead", 2);
    double lb[2] = {0, 10}, ub[2] = {1, 20}, X[10 * 2];
    augur_solver_set_random_initial_points(s, lb, ub);
    augur_solver_set_seed(s, 5);
    cr_assert_eq(augur_solver_set_param_string(s, "sampler", "latin-hypercube"), AUGUR_OK);
    cr_assert_eq(augur_solver_initial_points(s, X, 10, 0.05), AUGUR_OK);
    for (size_t i = 0; i < 2; i++) {
        int count[10] = {0};
        for (size_t k = 0; k < 10; k++)
            count[(int)((X[k * 2 + i] - lb[i]) / (ub[i] - lb[i]) * 10)]++;
        for (size_t b = 0; b < 10; b++)
            cr_assert_eq(count[b], 1);
    }
    cr_assert_eq(augur_solver_set_param_string(s, "sampler", "grid"), AUGUR_ERANGE);
    cr_assert(strstr(augur_solver_errmsg(s), "sobol"), "lists the choices: %s",
              augur_solver_errmsg(s));
    augur_solver_destroy(s);
}

Test(sampler, initial_cloud_around_x0_keeps_x0_first_and_stays_in_bounds)
{
    augur_solver *s = augur_solver_create("nelder-mead", 2);
    double x0[2] = {2, 0}, lb[2] = {1.95, -1}, ub[2] = {3, 1}, X[50 * 2];
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_seed(s, 1);
    cr_assert_eq(augur_solver_initial_points(s, X, 50, 0.05), AUGUR_OK);
    cr_assert_eq(X[0], 2);
    cr_assert_eq(X[1], 0);
    for (size_t k = 1; k < 50; k++) {
        cr_assert(X[2 * k] >= 1.95 && X[2 * k] <= 2.1, "%g", X[2 * k]);
        cr_assert(X[2 * k + 1] >= -0.05 && X[2 * k + 1] <= 0.05);
    }
    augur_solver_destroy(s);
}

/* --- Bound repair ---------------------------------------------------------- */

static augur_solver *boxed(void)
{
    augur_solver *s = augur_solver_create("nelder-mead", 3);
    double lb[3] = {0, -INFINITY, 0}, ub[3] = {10, 5, 10};
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_seed(s, 11);
    return s;
}

Test(sampler, repair_policies)
{
    augur_solver *s = boxed();
    struct {
        augur_bound_policy policy;
        double in[3], out[3];
    } cases[] = {
        {AUGUR_BOUNDS_CLIP, {-3, 7, 12}, {0, 5, 10}},
        {AUGUR_BOUNDS_REFLECT, {-3, 7, 12}, {3, 5, 8}},
        {AUGUR_BOUNDS_REFLECT, {-13, 0, 27}, {7, 0, 7}},   /* more than a width over */
        {AUGUR_BOUNDS_PERIODIC, {-3, 7, 12}, {7, 5, 2}},
        {AUGUR_BOUNDS_PERIODIC, {25, 1, 10}, {5, 1, 10}},
        {AUGUR_BOUNDS_WALL, {-3, 7, 12}, {-3, 7, 12}},
        {AUGUR_BOUNDS_REFLECT, {-INFINITY, 1, INFINITY}, {0, 1, 10}},
        {AUGUR_BOUNDS_PERIODIC, {INFINITY, 1, -INFINITY}, {10, 1, 0}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double x[3];
        memcpy(x, cases[c].in, sizeof x);
        augur_solver_repair(s, x, cases[c].policy);
        for (size_t i = 0; i < 3; i++)
            cr_assert(fabs(x[i] - cases[c].out[i]) < 1e-12, "case %zu [%zu]: %g != %g",
                      c, i, x[i], cases[c].out[i]);
    }
    augur_solver_destroy(s);
}

Test(sampler, redraw_lands_inside_and_leaves_good_coordinates)
{
    augur_solver *s = boxed();
    for (int k = 0; k < 200; k++) {
        double x[3] = {-3, 2, 12};
        augur_solver_repair(s, x, AUGUR_BOUNDS_REDRAW);
        cr_assert(x[0] >= 0 && x[0] <= 10);
        cr_assert_eq(x[1], 2);
        cr_assert(x[2] >= 0 && x[2] <= 10);
        cr_assert(augur_solver_in_bounds(s, x));
    }
    augur_solver_destroy(s);
}
