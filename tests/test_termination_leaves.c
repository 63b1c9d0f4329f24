/* test_termination_leaves.c - every leaf condition of the termination area
 * at its boundary: mystic's (VTR, ChangeOverGeneration and its normalized
 * and VTR forms, CandidateRelativeTolerance, SolutionImprovement,
 * NormalizedCostTarget, PopulationSpread, GradientNormTolerance), the
 * limits, NoImprovement and NLopt's (stopval, ftol, xtol); mystic's quirks
 * (h[-0] is h[0], L <= g never fires) and each reason's exact text. The
 * registry and bad arguments are in test_termination_registry.c, the
 * combinators in test_termination_combinators.c.
 *
 * Each test builds its augur_info by hand from a scripted energy history
 * (and population, trial points or objective where the condition needs
 * them; see term_info.h), so a condition is judged on exactly the numbers
 * written here and no solver is involved. Numbers are chosen to be exact
 * in binary (0.25, 0.5, ...) so "<=" at the boundary is tested, not
 * rounding. */
#include <criterion/criterion.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "augur/status.h"
#include "augur/termination.h"
#include "term_info.h"

/* --- VTR ----------------------------------------------------------------- */

Test(vtr, fires_at_the_boundary)
{
    const double h[] = {4, 2, 1.5};
    augur_info info = run_info(h, 3);
    cr_assert_eq(fires_once(augur_term_vtr(0.5, 1), &info), 1);
    cr_assert_eq(fires_once(augur_term_vtr(0.5, 2), &info), 1);
    cr_assert_eq(fires_once(augur_term_vtr(0.25, 1), &info), 0);
    cr_assert_eq(fires_once(augur_term_vtr(0.5, 0.9375), &info), 0);
}

Test(vtr, default_reason_and_empty_history)
{
    const double h[] = {1, 0.25, 0.005};
    augur_info info = run_info(h, 3);
    augur_termination *t = augur_term_create("vtr");
    cr_assert_eq(fires(t, &info), 1);
    cr_assert_str_eq(augur_term_reason(t), "VTR(tolerance=0.005, target=0)");
    augur_info empty = run_info(NULL, 0);
    cr_assert_eq(fires(t, &empty), 0);
    augur_term_destroy(t);
}

/* Reasons reuse the text of numbers formatted lately (a few per thread):
 * more values than it holds, in turn and back again, each still reads as
 * its own shortest exact text, and 0 and -0 stay apart. */
Test(vtr, reasons_with_many_numbers_in_turn)
{
    const double targets[] = {0, -0.0, 0.1, 1e-300, 2.5, 1.0 / 3, -7, 1e21};
    const char *texts[] = {"0", "-0", "0.1", "1e-300", "2.5",
                           "0.3333333333333333", "-7", "1e+21"};
    const double h[] = {1};
    augur_info info = run_info(h, 1);
    for (int round = 0; round < 3; round++)
        for (size_t k = 0; k < sizeof targets / sizeof *targets; k++) {
            augur_termination *t = augur_term_vtr(INFINITY, targets[k]);
            cr_assert_eq(fires(t, &info), 1);
            char want[64];
            snprintf(want, sizeof want, "VTR(tolerance=inf, target=%s)", texts[k]);
            cr_assert_str_eq(augur_term_reason(t), want);
            augur_term_destroy(t);
        }
}

/* --- ChangeOverGeneration ------------------------------------------------- */

Test(change_over_generation, compares_g_records_back)
{
    /* g = 3: h[-3] is h[1]. */
    const double stalled[] = {10, 9, 9, 9};
    const double moving[] = {10, 9.5, 9, 9};
    augur_info a = run_info(stalled, 4), b = run_info(moving, 4);
    cr_assert_eq(fires_once(augur_term_change_over_generation(1e-6, 3), &a), 1);
    cr_assert_eq(fires_once(augur_term_change_over_generation(1e-6, 3), &b), 0);
    cr_assert_eq(fires_once(augur_term_change_over_generation(0.5, 3), &b), 1);
    cr_assert_eq(fires_once(augur_term_change_over_generation(0.25, 3), &b), 0);
}

Test(change_over_generation, needs_more_than_g_records)
{
    const double h[] = {9, 9, 9};
    augur_info info = run_info(h, 3);
    cr_assert_eq(fires_once(augur_term_change_over_generation(1, 3), &info), 0);
    cr_assert_eq(fires_once(augur_term_change_over_generation(1, 2), &info), 1);
}

Test(change_over_generation, g_zero_compares_with_the_first_record)
{
    /* Python's h[-0] is h[0]: the middle value is never looked at. */
    const double back[] = {3, 1, 3};
    const double down[] = {5, 4, 3};
    augur_info a = run_info(back, 3), b = run_info(down, 3);
    cr_assert_eq(fires_once(augur_term_change_over_generation(1e-6, 0), &a), 1);
    cr_assert_eq(fires_once(augur_term_change_over_generation(1e-6, 0), &b), 0);
    cr_assert_eq(fires_once(augur_term_change_over_generation(2, 0), &b), 1);
    augur_info one = run_info(down, 1);
    cr_assert_eq(fires_once(augur_term_change_over_generation(0, 0), &one), 1);
}

Test(change_over_generation, infinite_history_counts_as_unchanged)
{
    const double h[] = {INFINITY, INFINITY, INFINITY};
    augur_info info = run_info(h, 3);
    cr_assert_eq(fires_once(augur_term_change_over_generation(1e-6, 2), &info), 1);
    cr_assert_eq(fires_once(
        augur_term_normalized_change_over_generation(1e-4, 2), &info), 1);
}

/* --- NormalizedChangeOverGeneration --------------------------------------- */

Test(normalized_change_over_generation, relative_boundary)
{
    /* g = 2: h[-2] = 3, h[-1] = 1: 2 * 2 = 4 <= tol * 4 + 1e-20. */
    const double h[] = {7, 3, 1};
    augur_info info = run_info(h, 3);
    cr_assert_eq(fires_once(
        augur_term_normalized_change_over_generation(1, 2), &info), 1);
    cr_assert_eq(fires_once(
        augur_term_normalized_change_over_generation(0.9375, 2), &info), 0);
    cr_assert_eq(fires_once(
        augur_term_normalized_change_over_generation(1, 3), &info), 0);
    /* g = 0 compares 7 with 1: 12 <= tol * 8. */
    cr_assert_eq(fires_once(
        augur_term_normalized_change_over_generation(1.5, 0), &info), 1);
    cr_assert_eq(fires_once(
        augur_term_normalized_change_over_generation(1.25, 0), &info), 0);
}

Test(normalized_change_over_generation, zero_history_fires)
{
    fill_flat(0.0);
    augur_info info = run_info(flat, 11);
    cr_assert_eq(fires_once(
        augur_term_normalized_change_over_generation(0, 10), &info), 1);
    info = run_info(flat, 10);
    cr_assert_eq(fires_once(
        augur_term_normalized_change_over_generation(0, 10), &info), 0);
}

/* --- VTRChangeOverGeneration ---------------------------------------------- */

Test(vtr_change_over_generation, either_part_fires)
{
    const double near_target[] = {8, 4, 0.25};      /* VTR part only */
    const double stalled[] = {8, 5, 5, 5};          /* COG part only */
    const double neither[] = {8, 6, 5, 4};
    augur_info a = run_info(near_target, 3), b = run_info(stalled, 4),
               c = run_info(neither, 4);
    cr_assert_eq(fires_once(augur_term_vtr_change_over_generation(0.25, 1e-6, 2, 0),
                            &a), 1);
    cr_assert_eq(fires_once(augur_term_vtr_change_over_generation(0.125, 1e-6, 2, 0),
                            &a), 0);
    cr_assert_eq(fires_once(augur_term_vtr_change_over_generation(0.25, 1e-6, 2, 0),
                            &b), 1);
    cr_assert_eq(fires_once(augur_term_vtr_change_over_generation(0.25, 1e-6, 2, 0),
                            &c), 0);
    cr_assert_eq(fires_once(augur_term_vtr_change_over_generation(0.25, 1, 2, 0),
                            &c), 1);
}

Test(vtr_change_over_generation, default_reason)
{
    const double h[] = {0.001};
    augur_info info = run_info(h, 1);
    augur_termination *t = augur_term_create("vtr-change-over-generation");
    cr_assert_eq(fires(t, &info), 1);
    cr_assert_str_eq(augur_term_reason(t),
                     "VTRChangeOverGeneration(ftol=0.005, gtol=1e-06, "
                     "generations=30, target=0)");
    augur_term_destroy(t);
}

/* --- CandidateRelativeTolerance ------------------------------------------- */

Test(candidate_relative_tolerance, absolute_boundaries)
{
    augur_info info = population_info(crt_pop, crt_energy, 3, 2);
    cr_assert_eq(fires_once(augur_term_candidate_relative_tolerance(0.25, 0.25),
                            &info), 1);
    cr_assert_eq(fires_once(augur_term_candidate_relative_tolerance(0.125, 0.25),
                            &info), 0);
    cr_assert_eq(fires_once(augur_term_candidate_relative_tolerance(0.25, 0.125),
                            &info), 0);
    /* Only the members up to npop count. */
    augur_info two = population_info(crt_pop, crt_energy, 2, 2);
    cr_assert_eq(fires_once(augur_term_candidate_relative_tolerance(0.25, 0.25),
                            &two), 1);
}

Test(candidate_relative_tolerance, population_of_one_is_an_error)
{
    augur_info info = population_info(crt_pop, crt_energy, 1, 2);
    augur_termination *t = augur_term_create("candidate-relative-tolerance");
    cr_assert_eq(augur_term_check(t, &info), AUGUR_EINVAL);
    cr_assert_str_eq(augur_term_errmsg(t),
                     "CandidateRelativeTolerance needs a population of at least 2");
    cr_assert_str_eq(augur_term_reason(t), "");
    info = population_info(NULL, NULL, 3, 2);
    cr_assert_eq(augur_term_check(t, &info), AUGUR_EINVAL);
    augur_term_destroy(t);
}

/* --- SolutionImprovement --------------------------------------------------- */

Test(solution_improvement, worst_trial_decides)
{
    const double best[] = {1, 1};
    const double trial[] = {1.25, 1.25, 1, 0.75};   /* sums 0.5 and 0.25 */
    augur_info info = run_info(best, 1);
    info.n = 2;
    info.x = best;
    info.trial = trial;
    info.ntrial = 2;
    cr_assert_eq(fires_once(augur_term_solution_improvement(0.5), &info), 1);
    cr_assert_eq(fires_once(augur_term_solution_improvement(0.25), &info), 0);
    info.ntrial = 0;
    cr_assert_eq(fires_once(augur_term_solution_improvement(0.5), &info), 0);
}

/* --- NormalizedCostTarget --------------------------------------------------- */

Test(normalized_cost_target, with_fval)
{
    const double hit[] = {9, 2.5};
    const double miss[] = {9, 2.625};
    augur_info a = run_info(hit, 2), b = run_info(miss, 2);
    /* |h[-1] - 2| <= |0.25 * 2| */
    cr_assert_eq(fires_once(augur_term_normalized_cost_target(2, 0.25, 30), &a), 1);
    cr_assert_eq(fires_once(augur_term_normalized_cost_target(2, 0.25, 30), &b), 0);
    cr_assert_eq(fires_once(augur_term_normalized_cost_target(-2, 0.25, 30), &a), 0);
}

Test(normalized_cost_target, without_fval)
{
    const double stalled[] = {1, 2, 2, 2};
    const double fell[] = {1, 3, 2, 2};
    augur_info a = run_info(stalled, 4), b = run_info(fell, 4);
    cr_assert_eq(fires_once(augur_term_normalized_cost_target(NAN, 1e-6, 3), &a), 1);
    cr_assert_eq(fires_once(augur_term_normalized_cost_target(NAN, 1e-6, 3), &b), 0);
    cr_assert_eq(fires_once(augur_term_normalized_cost_target(NAN, 1e-6, 4), &a), 0);
    /* No fval and g == 0: mystic stops at once, even with no history. */
    augur_info empty = run_info(NULL, 0);
    cr_assert_eq(fires_once(augur_term_normalized_cost_target(NAN, 1e-6, 0),
                            &empty), 1);
}

Test(normalized_cost_target, no_fval_reads_back_as_inf)
{
    augur_termination *t = augur_term_normalized_cost_target(NAN, 1e-6, 30);
    cr_assert(isinf(param(t, "fval")) && param(t, "fval") > 0);
    const double h[] = {5};
    augur_info info = run_info(h, 1);
    cr_assert_eq(augur_term_set_param(t, "generations", 0), AUGUR_OK);
    cr_assert_eq(fires(t, &info), 1);
    cr_assert_str_eq(augur_term_reason(t),
                     "NormalizedCostTarget(fval=inf, tolerance=1e-06, "
                     "generations=0)");
    augur_term_destroy(t);
}

/* --- PopulationSpread ------------------------------------------------------- */

Test(population_spread, relative_to_member_zero)
{
    const double pop[] = {2, 4, 2.5, 3, 1.5, 5};
    const double wide[] = {2, 4, 2.5, 5.25};
    augur_info a = population_info(pop, NULL, 3, 2);
    augur_info b = population_info(wide, NULL, 2, 2);
    cr_assert_eq(fires_once(augur_term_population_spread(0.25), &a), 1);
    cr_assert_eq(fires_once(augur_term_population_spread(0.125), &a), 0);
    cr_assert_eq(fires_once(augur_term_population_spread(0.25), &b), 0);
}

Test(population_spread, zero_coordinate_needs_equality)
{
    const double same[] = {0, 4, 0, 4};
    const double tiny[] = {0, 4, 1e-300, 4};
    augur_info a = population_info(same, NULL, 2, 2);
    augur_info b = population_info(tiny, NULL, 2, 2);
    cr_assert_eq(fires_once(augur_term_population_spread(1e-6), &a), 1);
    cr_assert_eq(fires_once(augur_term_population_spread(1e-6), &b), 0);
    augur_info one = population_info(same, NULL, 1, 2);
    augur_termination *t = augur_term_population_spread(1e-6);
    cr_assert_eq(augur_term_check(t, &one), AUGUR_EINVAL);
    cr_assert_str_eq(augur_term_errmsg(t),
                     "PopulationSpread needs a population of at least 2");
    augur_term_destroy(t);
}

/* --- GradientNormTolerance --------------------------------------------------- */

static int objective_calls;

static double sphere(void *ctx, const double *x)
{
    (void)ctx;
    objective_calls++;
    return x[0] * x[0] + x[1] * x[1];
}

static augur_info gradient_info(const double *x)
{
    augur_info info = run_info(NULL, 0);
    info.n = 2;
    info.x = x;
    info.f = sphere(NULL, x);
    info.objective = sphere;
    objective_calls = 0;
    return info;
}

Test(gradient_norm_tolerance, quadratic_norms)
{
    /* The gradient of x^2 + y^2 at (3, 4) is (6, 8): 2-norm 10, 1-norm 14,
     * max-norm 8; forward differences are off by about 1e-7. */
    const double x[] = {3, 4};
    augur_info info = gradient_info(x);
    cr_assert_eq(fires_once(augur_term_gradient_norm_tolerance(10 + 1e-5, 2), &info), 1);
    cr_assert_eq(objective_calls, 3);
    cr_assert_eq(fires_once(augur_term_gradient_norm_tolerance(10 - 1e-5, 2), &info), 0);
    cr_assert_eq(fires_once(augur_term_gradient_norm_tolerance(14 + 1e-5, 1), &info), 1);
    cr_assert_eq(fires_once(augur_term_gradient_norm_tolerance(14 - 1e-5, 1), &info), 0);
    cr_assert_eq(fires_once(augur_term_gradient_norm_tolerance(8 + 1e-5, INFINITY),
                            &info), 1);
    cr_assert_eq(fires_once(augur_term_gradient_norm_tolerance(8 - 1e-5, INFINITY),
                            &info), 0);
    /* A large p must approach the max-norm, not overflow. */
    cr_assert_eq(fires_once(augur_term_gradient_norm_tolerance(8 + 1e-5, 4000),
                            &info), 1);
}

Test(gradient_norm_tolerance, flat_at_the_minimum)
{
    const double x[] = {0, 0};
    augur_info info = gradient_info(x);
    augur_termination *t = augur_term_create("gradient-norm-tolerance");
    cr_assert_eq(fires(t, &info), 1);
    cr_assert_str_eq(augur_term_reason(t),
                     "GradientNormTolerance(tolerance=1e-05, "
                     "norm=inf)");
    info.objective = NULL;
    cr_assert_eq(augur_term_check(t, &info), AUGUR_EINVAL);
    cr_assert_neq(strstr(augur_term_errmsg(t), "objective"), NULL);
    augur_term_destroy(t);
}

/* --- Limits ------------------------------------------------------------------ */

Test(evaluation_limits, either_count_and_zero_means_none)
{
    augur_info info = run_info(NULL, 0);
    augur_termination *t = augur_term_evaluation_limits(5, 100);
    info.generation = 4;
    info.evaluations = 99;
    cr_assert_eq(fires(t, &info), 0);
    info.generation = 5;
    cr_assert_eq(fires(t, &info), 1);
    cr_assert_str_eq(augur_term_reason(t),
                     "EvaluationLimits(generations=5, evaluations=100)");
    info.generation = 4;
    info.evaluations = 100;
    cr_assert_eq(fires(t, &info), 1);
    augur_term_destroy(t);
    info.generation = 1000000;
    info.evaluations = 1000000000;
    cr_assert_eq(fires_once(augur_term_evaluation_limits(0, 0), &info), 0);
}

Test(time_limits, elapsed_seconds)
{
    augur_info info = run_info(NULL, 0);
    augur_termination *t = augur_term_time_limits(10);
    info.elapsed = 9.999;
    cr_assert_eq(fires(t, &info), 0);
    info.elapsed = 10;
    cr_assert_eq(fires(t, &info), 1);
    cr_assert_str_eq(augur_term_reason(t), "TimeLimits(seconds=10)");
    augur_term_destroy(t);
    augur_termination *d = augur_term_create("time-limits");
    cr_assert_eq(param(d, "seconds"), 86400);
    augur_term_destroy(d);
}

/* --- NoImprovement ------------------------------------------------------------ */

Test(no_improvement, looks_exactly_g_records_back)
{
    const double stalled[] = {5, 4, 4, 4};
    const double slow[] = {5, 4, 3.5, 3.5};
    augur_info a = run_info(stalled, 4), b = run_info(slow, 4);
    cr_assert_eq(fires_once(augur_term_no_improvement(2, 0), &a), 1);
    cr_assert_eq(fires_once(augur_term_no_improvement(2, 0.25), &b), 0);
    cr_assert_eq(fires_once(augur_term_no_improvement(2, 0.5), &b), 1);
    /* Where mystic's h[-2] (= h[2]) would already call it stalled. */
    cr_assert_eq(fires_once(augur_term_change_over_generation(0, 2), &b), 1);
    augur_info short_run = run_info(stalled, 2);
    cr_assert_eq(fires_once(augur_term_no_improvement(2, 100), &short_run), 0);
    cr_assert_eq(fires_once(augur_term_no_improvement(0, 0), &short_run), 1);
}

/* --- NLopt's leaves ------------------------------------------------------------ */

Test(stopval, at_or_below)
{
    augur_info info = run_info(NULL, 0);
    info.f = 1;
    cr_assert_eq(fires_once(augur_term_stopval(1), &info), 1);
    info.f = 1.0000001;
    cr_assert_eq(fires_once(augur_term_stopval(1), &info), 0);
    info.f = -1e300;
    cr_assert_eq(fires_once(augur_term_create("stopval"), &info), 0);
}

Test(ftol, absolute_and_relative)
{
    const double x[] = {0};
    augur_info info = run_info(NULL, 0);
    info.n = 1;
    info.x = x;
    info.x_prev = x;
    info.f_prev = 2;
    info.f = 1.5;
    cr_assert_eq(fires_once(augur_term_ftol_abs(0.5), &info), 1);
    info.f = 1.25;
    cr_assert_eq(fires_once(augur_term_ftol_abs(0.5), &info), 0);
    info.f_prev = 2.5;
    info.f = 2;               /* 0.5 <= 0.25 * |2| */
    cr_assert_eq(fires_once(augur_term_ftol_rel(0.25), &info), 1);
    info.f_prev = 2.75;
    cr_assert_eq(fires_once(augur_term_ftol_rel(0.25), &info), 0);
}

Test(ftol, never_at_generation_zero_or_after_infinity)
{
    const double x[] = {0};
    augur_info info = run_info(NULL, 0);
    info.n = 1;
    info.x = x;
    info.f = 1;
    info.f_prev = 1;
    cr_assert_eq(fires_once(augur_term_ftol_abs(1), &info), 0);
    cr_assert_eq(fires_once(augur_term_ftol_rel(1), &info), 0);
    info.x_prev = x;
    cr_assert_eq(fires_once(augur_term_ftol_abs(0), &info), 1);
    info.f = INFINITY;
    info.f_prev = INFINITY;
    cr_assert_eq(fires_once(augur_term_ftol_abs(1), &info), 0);
}

Test(xtol, absolute_and_relative)
{
    const double x[] = {1.25, 2};
    const double near[] = {1, 2};
    const double far[] = {1, 2.5};
    augur_info info = run_info(NULL, 0);
    info.n = 2;
    info.x = x;
    cr_assert_eq(fires_once(augur_term_xtol_abs(1), &info), 0);  /* no x_prev */
    info.x_prev = near;
    cr_assert_eq(fires_once(augur_term_xtol_abs(0.25), &info), 1);
    info.x_prev = far;
    cr_assert_eq(fires_once(augur_term_xtol_abs(0.25), &info), 0);
    /* Moved 0.75 in all; size 3.25: 0.75 <= tol * 3.25. */
    cr_assert_eq(fires_once(augur_term_xtol_rel(0.25), &info), 1);
    cr_assert_eq(fires_once(augur_term_xtol_rel(0.125), &info), 0);
}
