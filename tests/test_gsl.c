/* test_gsl.c - GSL's multimin minimisers as augur solver types ("gsl:...")
 * and the Levenberg-Marquardt finish (augur_lm_fit).
 *
 * Solver tests: the 3-D Rosenbrock, minimum 0 at (1, 1, 1), from
 * x0 = (-1.2, 1, 1.5), in [-5, 5]^3 unless a test moves the box; seed 7
 * (only the base draws with it: the GSL types are deterministic). The cost
 * counts its calls and the calls outside the box, which must be none; the
 * counter must equal the calls. Measured with GSL 2.7.1:
 *
 *   type                budget   f <     measured, finished by
 *   nmsimplex2          default  1e-12   3.6e-16 at 447, GSL(test_size)
 *   nmsimplex2rand      default  1e-12   4.3e-17 at 493, GSL(test_size)
 *   nmsimplex           default  1e-12   7.7e-17 at 455, GSL(test_size)
 *   conjugate_fr         10000   1e-12   1.2e-15 at 2805, GSL(test_gradient)
 *   conjugate_pr         10000   1e-12   4.8e-15 at 3108, GSL(test_gradient)
 *   vector_bfgs2         10000   1e-10   1.6e-13 at 3630, GSL(test_gradient)
 *   vector_bfgs          10000   1e-12   5.0e-18 at 3122, GSL(test_gradient)
 *   steepest_descent     30000   1e-3    7.3e-05, the evaluation limit
 *                                        (zig-zags down the valley)
 *
 * ("default": 200 n generations and evaluations, as nelder-mead; the
 * gradient types use central differences, 2n evaluations a gradient.) A
 * generation's evaluations are never cut short, so a run may pass its
 * evaluation limit by the last generation's. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "augur/lm.h"
#include "counted_rosen.h"

static void setup(void)
{
    gsl_set_error_handler_off();
}

TestSuite(gsl, .init = setup);

static counted box(double lb, double ub)
{
    counted c = {.lb = lb, .ub = ub, .nan_above = INFINITY, .sign = 1,
                 .x0 = {-1.2, 1, 1.5}};
    for (size_t i = 0; i < 3; i++)
        c.x0[i] = fmin(fmax(c.x0[i], lb), ub);
    return c;
}

static augur_solver *make(const char *type, const counted *c, size_t budget)
{
    augur_solver *s = augur_solver_create(type, 3);
    cr_assert_not_null(s, "%s", type);
    double lb[3] = {c->lb, c->lb, c->lb}, ub[3] = {c->ub, c->ub, c->ub};
    cr_assert_eq(augur_solver_set_bounds(s, lb, ub), AUGUR_OK);
    cr_assert_eq(augur_solver_set_initial_point(s, c->x0), AUGUR_OK);
    cr_assert_eq(augur_solver_set_seed(s, 7), AUGUR_OK);
    if (budget)
        cr_assert_eq(augur_solver_set_evaluation_limits(s, AUGUR_UNLIMITED, budget),
                     AUGUR_OK);
    return s;
}

static void solve_ok(augur_solver *s, counted *c)
{
    cr_assert_eq(augur_solve(s, cost, c, NULL), AUGUR_OK, "%s: %s",
                 augur_solver_type_name(s), augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_evaluations(s), c->calls, "%s: %zu counted, %zu calls",
                 augur_solver_type_name(s), augur_solver_evaluations(s), c->calls);
    cr_assert_eq(c->outside, 0, "%s: the cost was called outside the box",
                 augur_solver_type_name(s));
}

/* --- Every type on Rosenbrock ------------------------------------------------ */

typedef struct row {
    const char *name;
    size_t budget;
    double tol;
    const char *reason;
} row;

static const row rows[] = {
    {"gsl:nmsimplex2", 0, 1e-12, "GSL(test_size: success)"},
    {"gsl:nmsimplex2rand", 0, 1e-12, "GSL(test_size: success)"},
    {"gsl:nmsimplex", 0, 1e-12, "GSL(test_size: success)"},
    {"gsl:conjugate_fr", 10000, 1e-12, "GSL(test_gradient: success)"},
    {"gsl:conjugate_pr", 10000, 1e-12, "GSL(test_gradient: success)"},
    {"gsl:vector_bfgs2", 10000, 1e-10, "GSL(test_gradient: success)"},
    {"gsl:vector_bfgs", 10000, 1e-12, "GSL(test_gradient: success)"},
    {"gsl:steepest_descent", 30000, 1e-3, "EvaluationLimits(evaluations=30000; generation 3787 cut short)"},
};

typedef struct tally {
    size_t gens, evals;
} tally;

static int count_records(const augur_record *r, void *data)
{
    tally *t = data;
    if (r->kind == AUGUR_RECORD_GENERATION)
        t->gens++;
    else
        t->evals++;
    return 0;
}

Test(gsl, every_type_reaches_the_rosenbrock_minimum)
{
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        const row *r = &rows[k];
        counted c = box(-5, 5);
        tally t = {0};
        augur_solver *s = make(r->name, &c, r->budget);
        augur_solver_add_generation_monitor(s, augur_monitor_callback(count_records, &t));
        augur_solver_add_evaluation_monitor(s, augur_monitor_callback(count_records, &t));
        solve_ok(s, &c);
        double f = augur_solver_best_energy(s);
        cr_assert(f < r->tol, "%s: f = %g after %zu evaluations (%s)", r->name, f,
                  augur_solver_evaluations(s), augur_solver_termination_reason(s));
        cr_assert_str_eq(augur_solver_termination_reason(s), r->reason, "%s: %s", r->name,
                         augur_solver_termination_reason(s));
        cr_assert_eq(t.evals, augur_solver_evaluations(s), "%s", r->name);
        cr_assert_eq(t.gens, augur_solver_generations(s) + 1, "%s", r->name);
        cr_assert_eq(c.at_x0, 1, "%s: GSL's set asked for x0 again", r->name);
        if (r->budget)
            cr_assert_leq(augur_solver_evaluations(s), r->budget + 50, "%s", r->name);
        augur_solver_destroy(s);
    }
}

/* Our condition stops the simplex before GSL's size test would. */
Test(gsl, our_termination_stops_gsl_first)
{
    counted c = box(-5, 5);
    augur_solver *s = make("gsl:nmsimplex2", &c, 0);
    cr_assert_eq(augur_solve(s, cost, &c, augur_term_vtr(1e-6, 0)), AUGUR_OK);
    cr_assert_eq(augur_solver_evaluations(s), c.calls);
    cr_assert_str_eq(augur_solver_termination_reason(s), "VTR(tolerance=1e-06, target=0)");
    cr_assert_lt(augur_solver_evaluations(s), 447);
    augur_solver_destroy(s);

    c = box(-5, 5);
    s = make("gsl:vector_bfgs2", &c, 10000);
    cr_assert_eq(augur_solve(s, cost, &c, augur_term_vtr(1e-6, 0)), AUGUR_OK);
    cr_assert_str_eq(augur_solver_termination_reason(s), "VTR(tolerance=1e-06, target=0)");
    cr_assert_lt(augur_solver_evaluations(s), 3630);
    augur_solver_destroy(s);
}

/* After GSL's test finished a run, another solve sets GSL up again from the
 * best point (known: not evaluated again) and finishes again. */
Test(gsl, a_later_solve_restarts_from_the_best_point)
{
    counted c = box(-5, 5);
    augur_solver *s = make("gsl:nmsimplex2", &c, 0);
    solve_ok(s, &c);
    size_t first = augur_solver_evaluations(s);
    memcpy(c.x0, augur_solver_best_solution(s), sizeof c.x0);
    c.at_x0 = 0;
    cr_assert_eq(augur_solver_set_evaluation_limits(s, 0, 5000), AUGUR_OK);
    solve_ok(s, &c);
    cr_assert_eq(c.at_x0, 0);
    cr_assert_gt(augur_solver_evaluations(s), first);
    cr_assert_str_eq(augur_solver_termination_reason(s), "GSL(test_size: success)");
    augur_solver_destroy(s);
}

/* --- Bounds ---------------------------------------------------------------- */

/* Boxes without the minimum: [-2, 0.5]^3 (constrained minimum 0.80690 at
 * (0.5, 0.25743, 0.06627)) and [0.2, 0.8]^3 (0.16830 at (0.8, 0.64356,
 * 0.41418)), x0 clipped into them. Every type, 10000 evaluations: the
 * cost is never called outside, the answer is
 * in the box, within 1e-3 of the constrained minimum (measured: all reach
 * it to 1e-4; nmsimplex2rand 0.80774). */
Test(gsl, bounds_are_never_violated)
{
    const double boxes[2][3] = {{-2, 0.5, 0.80690}, {0.2, 0.8, 0.16830}};
    for (size_t b = 0; b < 2; b++)
        for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
            counted c = box(boxes[b][0], boxes[b][1]);
            augur_solver *s = make(rows[k].name, &c, 10000);
            solve_ok(s, &c);
            const double *x = augur_solver_best_solution(s);
            for (size_t i = 0; i < 3; i++)
                cr_assert(x[i] >= c.lb && x[i] <= c.ub);
            double f = augur_solver_best_energy(s);
            cr_assert(f < boxes[b][2] + 1e-3, "%s in box %zu: f = %.6f (%s)",
                      rows[k].name, b, f, augur_solver_termination_reason(s));
            augur_solver_destroy(s);
        }
}

/* NaN where x[2] > 2: the simplex treats it as its wall, the gradient
 * methods as a plateau above everything seen; both still find (1, 1, 1). */
Test(gsl, nan_region_is_survived)
{
    const char *types[] = {"gsl:nmsimplex2", "gsl:nmsimplex2rand", "gsl:vector_bfgs2",
                           "gsl:conjugate_fr"};
    for (size_t k = 0; k < 4; k++) {
        counted c = box(-5, 5);
        c.nan_above = 2;
        augur_solver *s = make(types[k], &c, 10000);
        solve_ok(s, &c);
        cr_assert(augur_solver_best_energy(s) < 1e-10, "%s: f = %g", types[k],
                  augur_solver_best_energy(s));
        augur_solver_destroy(s);
    }
}

/* Maximise 10 - rosen: the maximum 10, reported in the user's sign. */
Test(gsl, maximize_flag)
{
    counted c = box(-5, 5);
    c.sign = -1;
    augur_solver *s = make("gsl:nmsimplex2", &c, 0);
    cr_assert_eq(augur_solver_set_param(s, "maximize", 1), AUGUR_OK);
    solve_ok(s, &c);
    cr_assert(fabs(augur_solver_best_energy(s) - 10) < 1e-12);
    augur_solver_destroy(s);
}

Test(gsl, parameters_are_checked_before_gsl_sees_them)
{
    augur_solver *s = augur_solver_create("gsl:vector_bfgs2", 3);
    cr_assert_eq(augur_solver_set_param(s, "line-tol", 1), AUGUR_ERANGE,
                 "tol >= 1 would loop for ever in steepest descent");
    cr_assert_eq(augur_solver_set_param(s, "gradient-tol", -1), AUGUR_ERANGE);
    cr_assert_eq(augur_solver_set_param(s, "line-step", 0), AUGUR_ERANGE);
    cr_assert_eq(augur_solver_set_param_string(s, "fd", "forward"), AUGUR_OK);
    cr_assert_eq(augur_solver_set_param(s, "size-tol", 1e-6), AUGUR_ENOTFOUND);
    augur_solver_destroy(s);
    s = augur_solver_create("gsl:nmsimplex2", 3);
    cr_assert_eq(augur_solver_set_param(s, "size-tol", -1), AUGUR_ERANGE);
    cr_assert_eq(augur_solver_set_param(s, "initial-step", 0), AUGUR_ERANGE);
    augur_solver_destroy(s);
}

/* Forward differences work too (n + 1 evaluations a gradient): BFGS2 still
 * reaches 1e-8 in 10000 evaluations. */
Test(gsl, forward_differences)
{
    counted c = box(-5, 5);
    augur_solver *s = make("gsl:vector_bfgs2", &c, 10000);
    cr_assert_eq(augur_solver_set_param_string(s, "fd", "forward"), AUGUR_OK);
    solve_ok(s, &c);
    cr_assert(augur_solver_best_energy(s) < 1e-8, "f = %g", augur_solver_best_energy(s));
    augur_solver_destroy(s);
}

/* --- Levenberg-Marquardt --------------------------------------------------- */

/* y = A exp(-t / tau) + B at t = 0, 0.25, ..., 9.75 (40 points), A = 5,
 * tau = 2, B = 1, plus Gaussian noise of sigma 0.1 from mt19937 with the
 * given seed. Residuals (model - y) / sigma, or unweighted. */
#define NPTS 40

typedef struct decay {
    double t[NPTS], y[NPTS], sigma;
    int weighted;
    double lb[3], ub[3];
    size_t calls, outside;
    double nan_below_tau;   /* residuals NaN where tau < this */
    int fail;               /* the residual function's return value */
} decay;

static const double truth[3] = {5, 2, 1};

static decay make_decay(unsigned long seed)
{
    decay d = {.sigma = 0.1, .weighted = 1, .lb = {-INFINITY, -INFINITY, -INFINITY},
               .ub = {INFINITY, INFINITY, INFINITY}, .nan_below_tau = -INFINITY};
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, seed);
    for (size_t i = 0; i < NPTS; i++) {
        d.t[i] = 0.25 * (double)i;
        d.y[i] = truth[0] * exp(-d.t[i] / truth[1]) + truth[2] +
                 gsl_ran_gaussian(g, d.sigma);
    }
    gsl_rng_free(g);
    return d;
}

static int residuals(const double *p, size_t np, double *r, size_t nr, void *data)
{
    decay *d = data;
    cr_assert_eq(np, 3);
    cr_assert_eq(nr, NPTS);
    d->calls++;
    for (size_t j = 0; j < 3; j++)
        d->outside += !(p[j] >= d->lb[j] && p[j] <= d->ub[j]);
    if (d->fail)
        return d->fail;
    for (size_t i = 0; i < nr; i++) {
        double m = p[0] * exp(-d->t[i] / p[1]) + p[2];
        r[i] = p[1] < d->nan_below_tau ? NAN
             : (m - d->y[i]) / (d->weighted ? d->sigma : 1);
    }
    return 0;
}

static augur_lm_result fit(decay *d, double *p, double *cov, const augur_lm_options *o,
                           int use_bounds)
{
    char err[256];
    augur_lm_result res = {.covariance = cov};
    int rc = augur_lm_fit(residuals, d, 3, NPTS, p, use_bounds ? d->lb : NULL,
                          use_bounds ? d->ub : NULL, o, &res, err, sizeof err);
    cr_assert_eq(rc, AUGUR_OK, "%s", err);
    cr_assert_eq(res.evaluations, d->calls);
    cr_assert_eq(d->outside, 0);
    return res;
}

static int positive_definite(const double *cov, size_t n)
{
    double a[9];
    memcpy(a, cov, n * n * sizeof *a);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (cov[i * n + j] != cov[j * n + i])
                return 0;
    gsl_matrix_view m = gsl_matrix_view_array(a, n, n);
    return gsl_linalg_cholesky_decomp1(&m.matrix) == GSL_SUCCESS;
}

/* Seed 1, start (1, 1, 0): converged ("small step"), A, tau, B within 3
 * standard errors (measured z = 0.37, -0.28, -0.09), chi^2 / dof near 1,
 * the covariance symmetric positive definite. */
Test(gsl, lm_recovers_an_exponential_decay)
{
    decay d = make_decay(1);
    double p[3] = {1, 1, 0}, cov[9];
    augur_lm_result res = fit(&d, p, cov, NULL, 0);
    cr_assert(res.converged, "%s", res.reason);
    cr_assert_eq(res.dof, NPTS - 3);
    cr_assert_gt(res.iterations, 0);
    cr_assert_gt(res.jacobians, 0);
    cr_assert(res.chi2 / (double)res.dof > 0.5 && res.chi2 / (double)res.dof < 1.6,
              "chi2/dof = %g", res.chi2 / (double)res.dof);
    for (size_t k = 0; k < 3; k++) {
        double se = sqrt(cov[k * 3 + k]);
        cr_assert(fabs(p[k] - truth[k]) < 3 * se, "p[%zu] = %g, truth %g, se %g", k,
                  p[k], truth[k], se);
        cr_assert(se > 0.005 && se < 0.2, "se[%zu] = %g", k, se);
    }
    cr_assert(positive_definite(cov, 3));
}

/* The standard errors are right: over seeds 1..50 the mean squared
 * z-score of each parameter is near 1 (measured over 300 seeds: 1.12,
 * 1.01, 1.05). */
Test(gsl, lm_standard_errors_are_calibrated)
{
    double z2[3] = {0};
    for (unsigned long seed = 1; seed <= 50; seed++) {
        decay d = make_decay(seed);
        double p[3] = {1, 1, 0}, cov[9];
        augur_lm_result res = fit(&d, p, cov, NULL, 0);
        cr_assert(res.converged, "seed %lu: %s", seed, res.reason);
        for (size_t k = 0; k < 3; k++)
            z2[k] += (p[k] - truth[k]) * (p[k] - truth[k]) / cov[k * 3 + k];
    }
    for (size_t k = 0; k < 3; k++)
        cr_assert(z2[k] / 50 > 0.5 && z2[k] / 50 < 1.7, "mean z^2[%zu] = %g", k,
                  z2[k] / 50);
}

/* Unit weights with scale_covariance: the covariance is inv(J^T J) chi^2 /
 * dof, i.e. the weighted fit's times its chi^2 / dof (to 1e-5; measured
 * 2e-7 over 300 seeds). */
Test(gsl, lm_scaled_covariance_for_unit_weights)
{
    decay d = make_decay(1);
    double p[3] = {1, 1, 0}, cov[9];
    augur_lm_result w = fit(&d, p, cov, NULL, 0);
    decay u = make_decay(1);
    u.weighted = 0;
    double q[3] = {1, 1, 0}, cov_u[9];
    augur_lm_options o = {.scale_covariance = 1};
    fit(&u, q, cov_u, &o, 0);
    for (size_t k = 0; k < 9; k++) {
        double want = cov[k] * w.chi2 / (double)w.dof;
        cr_assert(fabs(cov_u[k] - want) <= 1e-5 * fabs(want), "cov[%zu] %g vs %g", k,
                  cov_u[k], want);
    }
}

/* 0.1 <= tau <= 1.5 (the truth 2 is outside): from (1, 1, 0), from the
 * upper bound and from the lower one, forward and central differences, the
 * fit converges with tau on the upper bound at the same A and B (measured
 * 5.2400612, 1.1992461), the residuals are never computed outside, and
 * tau's row and column of the covariance are 0 (held fixed). */
Test(gsl, lm_keeps_bounds)
{
    const double starts[3][3] = {{1, 1, 0}, {1, 1.5, 0}, {1, 0.1, 0}};
    double first[3] = {0, 0, 0};
    for (size_t k = 0; k < 6; k++) {
        decay d = make_decay(1);
        d.lb[1] = 0.1;
        d.ub[1] = 1.5;
        double p[3], cov[9];
        memcpy(p, starts[k / 2], sizeof p);
        augur_lm_options o = {.difference = k % 2 ? AUGUR_LM_CENTRAL : AUGUR_LM_FORWARD};
        augur_lm_result res = fit(&d, p, cov, &o, 1);
        cr_assert(res.converged, "start %zu: %s", k / 2, res.reason);
        cr_assert_eq(p[1], 1.5);
        if (k == 0)
            memcpy(first, p, sizeof first);
        cr_assert(fabs(p[0] - first[0]) < 1e-6 && fabs(p[2] - first[2]) < 1e-6,
                  "start %zu: A = %.10g, B = %.10g", k / 2, p[0], p[2]);
        for (size_t j = 0; j < 3; j++)
            cr_assert(cov[1 * 3 + j] == 0 && cov[j * 3 + 1] == 0);
        cr_assert_gt(cov[0], 0);
        cr_assert_gt(cov[8], 0);
    }
}

/* NaN residuals where tau < 0.8 are a wall: the step into them is
 * rejected and the fit still converges (the start is outside that). */
Test(gsl, lm_survives_a_nan_region)
{
    decay d = make_decay(1);
    d.nan_below_tau = 0.8;
    double p[3] = {1, 1, 0}, cov[9];
    augur_lm_result res = fit(&d, p, cov, NULL, 0);
    cr_assert(res.converged, "%s", res.reason);
    cr_assert(fabs(p[1] - truth[1]) < 0.1, "tau = %g", p[1]);
}

Test(gsl, lm_rejects_bad_arguments_with_a_message)
{
    decay d = make_decay(1);
    double p[3] = {1, 1, 0}, lb[3] = {0, 0, 0}, ub[3] = {10, 0.5, 10};
    augur_lm_result res = {0};
    char err[256];
    cr_assert_eq(augur_lm_fit(residuals, &d, 3, 2, p, NULL, NULL, NULL, &res, err,
                              sizeof err), AUGUR_EINVAL);
    cr_assert(strstr(err, "nresiduals"), "%s", err);
    cr_assert_eq(augur_lm_fit(residuals, &d, 3, NPTS, p, lb, ub, NULL, &res, err,
                              sizeof err), AUGUR_EBOUNDS);
    cr_assert(strstr(err, "outside"), "%s", err);
    augur_lm_options bad = {.xtol = -1};
    cr_assert_eq(augur_lm_fit(residuals, &d, 3, NPTS, p, NULL, NULL, &bad, &res, err,
                              sizeof err), AUGUR_EINVAL);
    cr_assert_eq(d.calls, 0, "nothing evaluated for bad arguments");

    d.fail = 7;
    cr_assert_eq(augur_lm_fit(residuals, &d, 3, NPTS, p, NULL, NULL, NULL, &res, err,
                              sizeof err), AUGUR_EFAILED);
    cr_assert(strstr(err, "returned 7"), "%s", err);

    d.fail = 0;
    d.nan_below_tau = 10;   /* NaN at the start */
    cr_assert_eq(augur_lm_fit(residuals, &d, 3, NPTS, p, NULL, NULL, NULL, &res, err,
                              sizeof err), AUGUR_EFAILED);
    cr_assert(strstr(err, "not finite"), "%s", err);
}
