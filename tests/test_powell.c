/* test_powell.c - Powell's direction-set solver.
 *
 * Each solver test states its problem, seed, budget and the accuracy it
 * must reach; the Rosenbrock function is the library's augur_model_rosen.
 * The reference run is scipy.optimize.fmin_powell (scipy 1.10) on the 3-D
 * Rosenbrock from the origin: f = 8.3e-23 after 885 evaluations. Ours
 * follows the same algorithm with GSL's Brent in the line searches, so
 * its path differs; it must do at least as well in no more evaluations. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "augur/plugin.h"
#include "box_probe.h"

static void setup(void)
{
    gsl_set_error_handler_off();
}

TestSuite(powell, .init = setup);

static augur_solver *powell(size_t n)
{
    augur_solver *s = augur_solver_create("powell", n);
    cr_assert_not_null(s);
    return s;
}

static void solve_ok(augur_solver *s, augur_cost cost, void *data)
{
    cr_assert_eq(augur_solve(s, cost, data, NULL), AUGUR_OK, "%s",
                 augur_solver_errmsg(s));
}

/* --- Against scipy ------------------------------------------------------- */

/* Rosenbrock 3-D from (0,0,0), defaults (xtol 1e-4, imax 500,
 * NormalizedChangeOverGeneration(1e-4, 2), 3000 evaluations; no random
 * numbers are drawn, so no seed): scipy reaches 8.3e-23 in 885 evaluations;
 * we must reach 1e-20 in no more. Measured: 5.2e-30 in 542 evaluations,
 * 13 generations; the exact count is asserted so a change is noticed. */
Test(powell, reference_rosen3_beats_scipy_fmin_powell)
{
    augur_solver *s = powell(3);
    double x0[3] = {0, 0, 0};
    augur_solver_set_initial_point(s, x0);
    solve_ok(s, augur_model_rosen, NULL);
    double f = augur_solver_best_energy(s);
    size_t evals = augur_solver_evaluations(s);
    cr_assert(f < 1e-20, "f = %g", f);
    cr_assert_leq(evals, 885);
    cr_assert_eq(evals, 542, "evaluations = %zu (measured 542)", evals);
    cr_assert_eq(augur_solver_generations(s), 13);
    cr_assert_str_eq(augur_solver_termination_reason(s),
                     "NormalizedChangeOverGeneration(tolerance=0.0001, "
                     "generations=2)");
    const double *x = augur_solver_best_solution(s);
    for (size_t i = 0; i < 3; i++)
        cr_assert(fabs(x[i] - 1) < 1e-10, "x[%zu] = %.17g", i, x[i]);
    augur_solver_destroy(s);
}

/* --- Robustness -------------------------------------------------------- */

/* Rosenbrock 2-D from 20 random starts in [-5,5]^2 (seeds 1..20), default
 * termination, budget 20,000 evaluations: every run reaches f < 1e-10. */
Test(powell, rosen2_from_random_starts)
{
    double lb[2] = {-5, -5}, ub[2] = {5, 5};
    for (uint64_t seed = 1; seed <= 20; seed++) {
        augur_solver *s = powell(2);
        augur_solver_set_random_initial_points(s, lb, ub);
        augur_solver_set_seed(s, seed);
        augur_solver_set_evaluation_limits(s, 0, 20000);
        solve_ok(s, augur_model_rosen, NULL);
        double f = augur_solver_best_energy(s);
        cr_assert(f < 1e-10, "seed %llu: f = %g after %zu evaluations",
                  (unsigned long long)seed, f, augur_solver_evaluations(s));
        augur_solver_destroy(s);
    }
}

/* Rosenbrock 10-D from the origin (deterministic, no seed), default
 * termination, budget 30,000 evaluations: f < 1e-8 (measured 2.7e-24 in
 * 6,508 evaluations). */
Test(powell, rosen10_from_origin)
{
    augur_solver *s = powell(10);
    double x0[10] = {0};
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_evaluation_limits(s, 0, 30000);
    solve_ok(s, augur_model_rosen, NULL);
    double f = augur_solver_best_energy(s);
    cr_assert(f < 1e-8, "f = %g after %zu evaluations", f,
              augur_solver_evaluations(s));
    cr_assert_leq(augur_solver_evaluations(s), 30000);
    augur_solver_destroy(s);
}

/* --- Bounds -------------------------------------------------------------- */

/* Rosenbrock 2-D in [-1.5,0.5] x [-0.5,0.2], random starts in the box
 * (seeds 1..20), default termination and limits: the constrained minimum
 * f = 0.3018555166 at (0.4538897347, 0.2) to 1e-8 in f and 1e-4 in x, and
 * the cost never sees a point outside the box. */
Test(powell, bounded_rosen2_never_leaves_the_box)
{
    for (uint64_t seed = 1; seed <= 20; seed++) {
        const double lb[2] = {-1.5, -0.5}, ub[2] = {0.5, 0.2};
        box_probe b = {.lb = lb, .ub = ub};
        augur_solver *s = powell(2);
        augur_solver_set_bounds(s, lb, ub);
        augur_solver_set_seed(s, seed);
        solve_ok(s, probed_rosen, &b);
        const double *x = augur_solver_best_solution(s);
        double f = augur_solver_best_energy(s);
        cr_assert_eq(b.outside, 0, "seed %llu: %zu calls outside the box",
                     (unsigned long long)seed, b.outside);
        cr_assert_eq(b.calls, augur_solver_evaluations(s));
        cr_assert(fabs(f - 0.3018555166) < 1e-8, "seed %llu: f = %.10g",
                  (unsigned long long)seed, f);
        cr_assert(fabs(x[0] - 0.4538897347) < 1e-4 && fabs(x[1] - 0.2) < 1e-4,
                  "seed %llu: x = (%.10g, %.10g)", (unsigned long long)seed,
                  x[0], x[1]);
        augur_solver_destroy(s);
    }
}

/* --- Direction sets -------------------------------------------------- */

/* Rosenbrock 3-D from the origin with a rotated set (deterministic),
 * default termination and limits (3,000 evaluations): f < 1e-12, on a path
 * of its own (measured 677 evaluations against the identity's 542). */
Test(powell, custom_direction_set)
{
    double dirs[9] = {1, 1, 0, 1, -1, 0, 0, 1, 1};
    augur_solver *s = powell(3);
    double x0[3] = {0, 0, 0};
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_powell_set_directions(s, dirs), AUGUR_OK, "%s",
                 augur_solver_errmsg(s));
    solve_ok(s, augur_model_rosen, NULL);
    cr_assert(augur_solver_best_energy(s) < 1e-12, "f = %g",
              augur_solver_best_energy(s));
    /* a different set takes a different path than the identity's 542 */
    cr_assert_neq(augur_solver_evaluations(s), 542);
    augur_solver_destroy(s);
}

Test(powell, singular_direction_sets_are_rejected)
{
    augur_solver *s = powell(3);
    double dependent[9] = {1, 2, 3, 0, 1, 0, 2, 5, 6};  /* row 2 = 2 row 0 + row 1 */
    double zero_row[9] = {1, 0, 0, 0, 0, 0, 0, 0, 1};
    double not_finite[9] = {1, 0, 0, 0, NAN, 0, 0, 0, 1};
    cr_assert_eq(augur_powell_set_directions(s, dependent), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "singular"), "%s",
              augur_solver_errmsg(s));
    cr_assert_eq(augur_powell_set_directions(s, zero_row), AUGUR_EINVAL);
    cr_assert_eq(augur_powell_set_directions(s, not_finite), AUGUR_EINVAL);
    cr_assert_eq(augur_powell_set_directions(s, NULL), AUGUR_EINVAL);
    cr_assert_eq(augur_powell_set_directions(NULL, dependent), AUGUR_EINVAL);
    augur_solver_destroy(s);
}

Test(powell, set_directions_on_another_solver_is_einval)
{
    augur_solver *s = augur_solver_create("nelder-mead", 2);
    cr_assert_not_null(s);
    double dirs[4] = {1, 0, 0, 1};
    cr_assert_eq(augur_powell_set_directions(s, dirs), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "nelder-mead"), "%s",
              augur_solver_errmsg(s));
    augur_solver_destroy(s);
}

/* A failed start (no starting point) must keep the set: the retry then
 * runs exactly as a solver given the set and x0 from the outset. */
Test(powell, direction_set_survives_a_failed_start)
{
    double dirs[9] = {1, 1, 0, 1, -1, 0, 0, 1, 1}, x0[3] = {0, 0, 0};
    augur_solver *a = powell(3), *b = powell(3);
    augur_powell_set_directions(a, dirs);
    cr_assert_eq(augur_solve(a, augur_model_rosen, NULL, NULL), AUGUR_ESTATE);
    augur_solver_set_initial_point(a, x0);
    solve_ok(a, augur_model_rosen, NULL);
    augur_powell_set_directions(b, dirs);
    augur_solver_set_initial_point(b, x0);
    solve_ok(b, augur_model_rosen, NULL);
    cr_assert_eq(augur_solver_evaluations(a), augur_solver_evaluations(b));
    cr_assert_eq(augur_solver_best_energy(a), augur_solver_best_energy(b));
    augur_solver_destroy(a);
    augur_solver_destroy(b);
}

/* --- Degenerate problems and conditions ---------------------------------- */

static double linear(const double *x, size_t n, void *data)
{
    (void)n, (void)data;
    return x[0];
}

/* f = x0, unbounded below, from (0,0) (deterministic), limit 5,000
 * evaluations: the run ends (no line search loops for ever) having gone
 * far downhill, at a finite point. */
Test(powell, unbounded_linear_cost_terminates)
{
    augur_solver *s = powell(2);
    double x0[2] = {0, 0};
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_evaluation_limits(s, 0, 5000);
    solve_ok(s, linear, NULL);
    cr_assert(augur_solver_best_energy(s) < -1e100, "f = %g",
              augur_solver_best_energy(s));
    cr_assert(isfinite(augur_solver_best_solution(s)[0]));
    augur_solver_destroy(s);
}

Test(powell, candidate_relative_tolerance_is_an_error)
{
    augur_solver *s = powell(2);
    double x0[2] = {0, 0};
    augur_solver_set_initial_point(s, x0);
    int rc = augur_solve(s, augur_model_rosen, NULL,
                         augur_term_candidate_relative_tolerance(1e-4, 1e-4));
    cr_assert_eq(rc, AUGUR_EINVAL, "rc = %d", rc);
    cr_assert(strstr(augur_solver_errmsg(s), "CandidateRelativeTolerance"), "%s",
              augur_solver_errmsg(s));
    augur_solver_destroy(s);
}

/* Rosenbrock 3-D from the origin (deterministic, default termination and
 * limits) with a history monitor: one record per generation plus
 * generation 0, the best is the last record, and the population is the
 * current point alone. */
Test(powell, generations_match_records)
{
    augur_solver *s = powell(3);
    double x0[3] = {0, 0, 0};
    augur_solver_set_initial_point(s, x0);
    augur_monitor *h = augur_monitor_history(0);
    augur_monitor_ref(h);
    cr_assert_eq(augur_solver_add_generation_monitor(s, h), AUGUR_OK);
    solve_ok(s, augur_model_rosen, NULL);
    size_t len = augur_history_length(h);
    cr_assert_eq(augur_solver_generations(s), len - 1);
    cr_assert_eq(augur_history_f(h, len - 1), augur_solver_best_energy(s));
    cr_assert_eq(memcmp(augur_history_x(h, len - 1),
                        augur_solver_best_solution(s), 3 * sizeof(double)), 0);
    size_t npop;
    cr_assert_not_null(augur_solver_population(s, &npop));
    cr_assert_eq(npop, 1);
    augur_solver_destroy(s);
    augur_monitor_destroy(h);
}

Test(powell, parameters_are_validated)
{
    augur_solver *s = powell(2);
    double v;
    cr_assert_eq(augur_solver_get_param(s, "xtol", &v), AUGUR_OK);
    cr_assert_eq(v, 1e-4);
    cr_assert_eq(augur_solver_get_param(s, "imax", &v), AUGUR_OK);
    cr_assert_eq(v, 500);
    cr_assert_eq(augur_solver_set_param(s, "imax", 0), AUGUR_ERANGE);
    cr_assert_eq(augur_solver_set_param(s, "xtol", -1), AUGUR_ERANGE);
    cr_assert_eq(augur_solver_max_evaluations(s), 2000);
    cr_assert_eq(augur_solver_max_generations(s), 2000);
    augur_solver_destroy(s);
}

static double level_pair(const double *x, size_t n, void *data)
{
    (void)n;
    (void)data;
    return (x[0] - 0.5) * (x[0] - 0.5);
}

/* From 0 the first two points of the line search, alpha 0 and 1, cost the
 * same (0.25): the search must still look between them. */
Test(powell, level_first_pair_still_searches)
{
    augur_solver *s = augur_solver_create("powell", 1);
    double x0[1] = {0};
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_solve(s, level_pair, NULL, NULL), AUGUR_OK);
    cr_assert_lt(augur_solver_best_energy(s), 1e-12, "f = %g", augur_solver_best_energy(s));
    cr_assert(fabs(augur_solver_best_solution(s)[0] - 0.5) < 1e-6);
    augur_solver_destroy(s);
}
