/* test_solver_nelder_mead.c - Nelder-Mead as a solver: against scipy,
 * from random starts, adaptive, seeded runs that repeat, bounds that are
 * never left, NaN and infinite costs counted as the worst, and maximising.
 *
 * Each solver test states its problem, seed, budget and the accuracy it
 * must reach. The problem is the Rosenbrock function, augur_model_rosen
 * (sum 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2). The reference run is
 * scipy.optimize.fmin (scipy 1.10) on the 3-D Rosenbrock from the origin:
 * f = 1.16058e-09 after exactly 289 evaluations. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "box_probe.h"
#include "forked.h"
#include "nelder_mead.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(solver, .init = quiet_gsl);

/* --- Nelder-Mead against scipy ---------------------------------------- */

Test(solver, nelder_mead_matches_scipy_fmin_on_rosen3)
{
    augur_solver *s = nm(3);
    double x0[3] = {0, 0, 0};
    cr_assert_eq(augur_solver_set_initial_point(s, x0), AUGUR_OK);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK, "%s",
                 augur_solver_errmsg(s));
    double f = augur_solver_best_energy(s);
    cr_assert(fabs(f - 1.16058e-09) <= 1e-6 * 1.16058e-09 + 1e-15,
              "f = %.10g, scipy gives 1.16058e-09", f);
    cr_assert_eq(augur_solver_evaluations(s), 289);
    cr_assert_str_eq(augur_solver_termination_reason(s),
                     "CandidateRelativeTolerance(xtol=0.0001, ftol=0.0001)");
    const double *x = augur_solver_best_solution(s);
    for (size_t i = 0; i < 3; i++)
        cr_assert(fabs(x[i] - 1) < 1e-3, "x[%zu] = %g", i, x[i]);
    augur_solver_destroy(s);
}

Test(solver, nelder_mead_default_limits_are_200n)
{
    augur_solver *s = nm(4);
    cr_assert_eq(augur_solver_max_generations(s), 800);
    cr_assert_eq(augur_solver_max_evaluations(s), 800);
    augur_solver_destroy(s);
}

/* 20 random starts in [-5,5]^2 (seeds 1..20), budget 2000 evaluations,
 * adaptive off: every run must end within 1e-6 of the minimum. */
Test(solver, nelder_mead_random_starts_rosen2)
{
    double lb[2] = {-5, -5}, ub[2] = {5, 5};
    for (uint64_t seed = 1; seed <= 20; seed++) {
        augur_solver *s = nm(2);
        augur_solver_set_seed(s, seed);
        augur_solver_set_random_initial_points(s, lb, ub);
        augur_solver_set_evaluation_limits(s, 0, 2000);
        augur_termination *t = augur_term_candidate_relative_tolerance(1e-8, 1e-12);
        cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, t), AUGUR_OK);
        cr_assert(augur_solver_best_energy(s) < 1e-6, "seed %llu: f = %g",
                  (unsigned long long)seed, augur_solver_best_energy(s));
        augur_solver_destroy(s);
    }
}

/* Adaptive Nelder-Mead on the 10-D Rosenbrock from the origin, budget
 * 20,000 evaluations: f < 1e-6. (Classic coefficients stall here.) */
Test(solver, nelder_mead_adaptive_rosen10)
{
    augur_solver *s = nm(10);
    double x0[10] = {0};
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_solver_set_param(s, "adaptive", 1), AUGUR_OK);
    augur_solver_set_evaluation_limits(s, AUGUR_UNLIMITED, 20000);
    augur_termination *t = augur_term_candidate_relative_tolerance(1e-10, 1e-14);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, t), AUGUR_OK);
    cr_assert(augur_solver_best_energy(s) < 1e-6, "f = %g",
              augur_solver_best_energy(s));
    augur_solver_destroy(s);
}

Test(solver, same_seed_same_answer)
{
    double lb[3] = {-2, -2, -2}, ub[3] = {2, 2, 2};
    double f[2];
    size_t evals[2];
    double x[2][3];
    for (int k = 0; k < 2; k++) {
        augur_solver *s = nm(3);
        augur_solver_set_seed(s, 42);
        augur_solver_set_random_initial_points(s, lb, ub);
        cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
        f[k] = augur_solver_best_energy(s);
        evals[k] = augur_solver_evaluations(s);
        memcpy(x[k], augur_solver_best_solution(s), sizeof x[k]);
        cr_assert_eq(augur_solver_seed(s), 42);
        augur_solver_destroy(s);
    }
    cr_assert_eq(f[0], f[1]);
    cr_assert_eq(evals[0], evals[1]);
    cr_assert_eq(memcmp(x[0], x[1], sizeof x[0]), 0);
}

Test(solver, unseeded_run_records_its_seed_and_repeats)
{
    double lb[2] = {-2, -2}, ub[2] = {2, 2};
    augur_solver *s = nm(2);
    augur_solver_set_random_initial_points(s, lb, ub);
    augur_solve(s, augur_model_rosen, NULL, NULL);
    uint64_t seed = augur_solver_seed(s);
    augur_solver *r = nm(2);
    augur_solver_set_seed(r, seed);
    augur_solver_set_random_initial_points(r, lb, ub);
    augur_solve(r, augur_model_rosen, NULL, NULL);
    cr_assert_eq(augur_solver_best_energy(s), augur_solver_best_energy(r));
    cr_assert_eq(augur_solver_evaluations(s), augur_solver_evaluations(r));
    augur_solver_destroy(s);
    augur_solver_destroy(r);
}

/* The seed an unseeded run draws (one generation on the 1-D sphere). */
static uint64_t drawn_seed(void)
{
    augur_solver *s = nm(1);
    double x0 = 1;
    augur_solver_set_initial_point(s, &x0);
    augur_solver_set_evaluation_limits(s, 1, AUGUR_UNLIMITED);
    augur_solve(s, augur_model_sphere, NULL, NULL);
    uint64_t seed = augur_solver_seed(s);
    augur_solver_destroy(s);
    return seed;
}

static void draw_in_child(const void *in, void *out)
{
    (void)in;
    *(uint64_t *)out = drawn_seed();
}

/* The OS is asked once per process: a forked child must ask again, not
 * repeat the seeds its parent goes on to draw. */
Test(solver, unseeded_runs_draw_distinct_seeds_also_after_a_fork)
{
    uint64_t before = drawn_seed(), child = 0;
    char why[128];
    cr_assert(forked(draw_in_child, NULL, &child, sizeof child, why, sizeof why),
              "%s", why);
    uint64_t after = drawn_seed();
    cr_assert_neq(before, after);
    cr_assert_neq(child, after);
    cr_assert_neq(child, before);
}

/* --- Bounds -------------------------------------------------------------- */

/* 50 seeds, random starts in the box, CRT(1e-8, 1e-12), default limits.
 * The box holds the constrained minimum on the edge x1 = 0.2 at x0 =
 * 0.4538897347 (1-D Brent): f = 0.3018555166. Clipped Nelder-Mead can
 * collapse its simplex onto a bound and stall there (scipy's does too), so
 * the accuracy asserted is: at least 40 of 50 runs within 1e-6 of it, and
 * none worse than the value at the nearest corner, 0.5. The minimum (1, 1)
 * lies outside the box, so the search presses against the bounds; any call
 * outside the box (probed_rosen counts them) is a failure. */
Test(solver, cost_never_called_outside_bounds_over_50_seeds)
{
    double lb[2] = {-1.5, -0.5}, ub[2] = {0.5, 0.2};
    const double fmin = 0.3018555166;
    int reached = 0;
    for (uint64_t seed = 1; seed <= 50; seed++) {
        box_probe p = {.lb = lb, .ub = ub};
        augur_solver *s = nm(2);
        augur_solver_set_seed(s, seed);
        augur_solver_set_bounds(s, lb, ub);
        augur_solver_set_random_initial_points(s, lb, ub);
        cr_assert_eq(augur_solve(s, probed_rosen, &p,
                                 augur_term_candidate_relative_tolerance(1e-8, 1e-12)),
                     AUGUR_OK, "%s", augur_solver_errmsg(s));
        cr_assert_eq(p.outside, 0, "seed %llu: %zu calls outside the box",
                     (unsigned long long)seed, p.outside);
        cr_assert_eq(p.calls, augur_solver_evaluations(s));
        const double *x = augur_solver_best_solution(s);
        for (size_t i = 0; i < 2; i++)
            cr_assert(x[i] >= lb[i] && x[i] <= ub[i]);
        double f = augur_solver_best_energy(s);
        cr_assert(f >= fmin - 1e-9, "seed %llu: f = %.10g below the minimum",
                  (unsigned long long)seed, f);
        cr_assert(f <= 0.5 + 1e-12, "seed %llu: f = %.10g", (unsigned long long)seed, f);
        reached += f < fmin + 1e-6;
        augur_solver_destroy(s);
    }
    cr_assert_geq(reached, 40, "%d of 50 runs reached the constrained minimum", reached);
}

Test(solver, initial_point_outside_bounds_is_an_error)
{
    augur_solver *s = nm(2);
    double lb[2] = {0, 0}, ub[2] = {1, 1}, x0[2] = {0.5, 3};
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_EBOUNDS);
    cr_assert(strstr(augur_solver_errmsg(s), "x0[1] = 3"), "%s",
              augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_evaluations(s), 0);
    augur_solver_destroy(s);
}

Test(solver, pinned_coordinate_stays_put)
{
    augur_solver *s = nm(3);
    double lb[3] = {-5, 0.25, -5}, ub[3] = {5, 0.25, 5}, x0[3] = {0, 0.25, 0};
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_best_solution(s)[1], 0.25);
    augur_solver_destroy(s);
}

/* --- NaN and infinite costs, maximising -------------------------------- */

static double nan_right_half(const double *x, size_t n, void *data)
{
    (void)data;
    if (x[0] > 1.02)
        return NAN;
    return augur_model_rosen(x, n, NULL);
}

static double inf_right_half(const double *x, size_t n, void *data)
{
    (void)data;
    if (x[0] > 1.02)
        return INFINITY;
    return augur_model_rosen(x, n, NULL);
}

Test(solver, nan_and_inf_count_as_worst)
{
    augur_cost costs[2] = {nan_right_half, inf_right_half};
    for (int k = 0; k < 2; k++) {
        augur_solver *s = nm(2);
        double x0[2] = {1.0, 1.5};
        augur_solver_set_initial_point(s, x0);
        augur_monitor *evals = augur_monitor_history(0);
        augur_solver_add_evaluation_monitor(s, augur_monitor_ref(evals));
        cr_assert_eq(augur_solve(s, costs[k], NULL,
                                 augur_term_candidate_relative_tolerance(1e-8, 1e-12)),
                     AUGUR_OK);
        cr_assert(augur_solver_best_energy(s) < 1e-6, "f = %g",
                  augur_solver_best_energy(s));
        size_t worst = 0;
        for (size_t i = 0; i < augur_history_length(evals); i++)
            if (augur_history_f(evals, i) == INFINITY)
                worst++;
        cr_assert_gt(worst, 0, "the run should have met the NaN/inf region");
        augur_solver_destroy(s);
        augur_monitor_destroy(evals);
    }
}

static double hill(const double *x, size_t n, void *data)
{
    (void)n;
    (void)data;
    return 3 - (x[0] - 1) * (x[0] - 1) - (x[1] + 2) * (x[1] + 2);
}

Test(solver, maximize_finds_the_peak_and_reports_its_value)
{
    augur_solver *s = nm(2);
    double x0[2] = {0, 0};
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_solver_set_param(s, "maximize", 1), AUGUR_OK);
    augur_monitor *gens = augur_monitor_history(0);
    augur_solver_add_generation_monitor(s, augur_monitor_ref(gens));
    cr_assert_eq(augur_solve(s, hill, NULL,
                             augur_term_candidate_relative_tolerance(1e-7, 1e-12)),
                 AUGUR_OK);
    cr_assert(fabs(augur_solver_best_energy(s) - 3) < 1e-10);
    cr_assert(fabs(augur_solver_best_solution(s)[0] - 1) < 1e-5);
    cr_assert(fabs(augur_solver_best_solution(s)[1] + 2) < 1e-5);
    size_t last = augur_history_length(gens) - 1;
    cr_assert_eq(augur_history_f(gens, last), augur_solver_best_energy(s));
    augur_solver_destroy(s);
    augur_monitor_destroy(gens);
}
