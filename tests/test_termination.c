/* test_termination.c - the termination area: every leaf at its boundary,
 * mystic's quirks (h[-0] is h[0], L <= g never fires), the reasons' exact
 * text, bad arguments, the registry, copy and reset, and the combinators'
 * truth table.
 *
 * Each test builds its augur_info by hand from a scripted energy history
 * (and population, trial points or objective where the condition needs
 * them), so a condition is judged on exactly the numbers written here and
 * no solver is involved. Numbers are chosen to be exact in binary (0.25,
 * 0.5, ...) so "<=" at the boundary is tested, not rounding. The suite runs
 * under AddressSanitizer, which also checks that combinators given a NULL
 * member free the others. */
#include <criterion/criterion.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "augur/status.h"
#include "augur/termination.h"

/* --- Helpers ------------------------------------------------------------- */

/* A run whose best energies were h[0..len-1]: generation len-1, f last. */
static augur_info run_info(const double *h, size_t len)
{
    augur_info info;
    memset(&info, 0, sizeof info);
    info.energy_history = h;
    info.history_len = len;
    info.generation = len ? len - 1 : 0;
    info.f = len ? h[len - 1] : INFINITY;
    return info;
}

/* 1 stop / 0 continue for a condition that must not fail. */
static int fires(augur_termination *t, const augur_info *info)
{
    cr_assert_not_null(t);
    int rc = augur_term_check(t, info);
    cr_assert(rc == 0 || rc == 1, "check failed: %d (%s)", rc,
              augur_term_errmsg(t));
    if (rc == 0)
        cr_assert_str_eq(augur_term_reason(t), "");
    return rc;
}

/* The same for a throw-away condition. */
static int fires_once(augur_termination *t, const augur_info *info)
{
    int rc = fires(t, info);
    augur_term_destroy(t);
    return rc;
}

static double param(const augur_termination *t, const char *name)
{
    double v = NAN;
    cr_assert_eq(augur_term_get_param(t, name, &v), AUGUR_OK, "no '%s'", name);
    return v;
}

#define FLAT_LEN 40
static double flat[FLAT_LEN];

static void fill_flat(double value)
{
    for (size_t k = 0; k < FLAT_LEN; k++)
        flat[k] = value;
}

/* A third-party condition type: counts its checks and resets (each test
 * runs in its own process, so file-scope counters are private to it). */
static int counter_checks, counter_resets;

typedef struct {
    double fire;
} counter_state;

static const augur_param counter_params[] = {
    { .name = "fire", .kind = AUGUR_PARAM_BOOL, .def = 0, .min = 0, .max = 1,
      .offset = offsetof(counter_state, fire), .choices = NULL,
      .doc = "whether the check fires" },
    { .name = NULL }
};

static int counter_check(augur_termination *t, void *state,
                         const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)info, (void)reason, (void)cap;
    counter_checks++;
    return ((counter_state *)state)->fire != 0;
}

static void counter_reset(void *state)
{
    (void)state;
    counter_resets++;
}

static const augur_term_type counter_type = {
    .name = "counter",
    .label = "Counter",
    .doc = "test double",
    .state_size = sizeof(counter_state),
    .params = counter_params,
    .max_children = 0,
    .check = counter_check,
    .reset = counter_reset,
};

static augur_termination *counter(int fire)
{
    augur_termination *t = augur_term_create_type(&counter_type);
    cr_assert_not_null(t);
    cr_assert_eq(augur_term_set_param(t, "fire", fire), AUGUR_OK);
    return t;
}

/* A type whose check fails without leaving a message. */
static int silent_fail_check(augur_termination *t, void *state,
                             const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)state, (void)info, (void)cap;
    strcpy(reason, "half-written");
    return AUGUR_EFAILED;
}

static const augur_term_type silent_fail_type = {
    .name = "silent-fail",
    .label = "SilentFail",
    .doc = "test double",
    .state_size = 0,
    .params = NULL,
    .max_children = 0,
    .check = silent_fail_check,
    .reset = NULL,
};

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

static const double crt_pop[] = {1, 1, 1.25, 1, 1, 0.75};
static const double crt_energy[] = {0, 0.25, -0.25};

static augur_info population_info(const double *pop, const double *energy,
                                  size_t npop, size_t n)
{
    static const double h[] = {1};
    augur_info info = run_info(h, 1);
    info.n = n;
    info.x = pop;
    info.population = pop;
    info.population_energy = energy;
    info.npop = npop;
    return info;
}

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

/* --- Arguments, parameters and the registry ------------------------------------ */

Test(arguments, constructors_refuse_bad_values)
{
    cr_assert_null(augur_term_vtr(-1, 0));
    cr_assert_null(augur_term_vtr(NAN, 0));
    cr_assert_null(augur_term_vtr(0.1, NAN));
    cr_assert_null(augur_term_change_over_generation(-1e-9, 30));
    cr_assert_null(augur_term_change_over_generation(0.1, 2000000000));
    cr_assert_null(augur_term_normalized_change_over_generation(-1, 10));
    cr_assert_null(augur_term_vtr_change_over_generation(-1, 1e-6, 30, 0));
    cr_assert_null(augur_term_vtr_change_over_generation(0.1, -1, 30, 0));
    cr_assert_null(augur_term_candidate_relative_tolerance(-1, 1));
    cr_assert_null(augur_term_candidate_relative_tolerance(1, -1));
    cr_assert_null(augur_term_solution_improvement(-1));
    cr_assert_null(augur_term_normalized_cost_target(0, -1, 30));
    cr_assert_null(augur_term_population_spread(-1));
    cr_assert_null(augur_term_gradient_norm_tolerance(-1, INFINITY));
    cr_assert_null(augur_term_gradient_norm_tolerance(1e-5, 0.5));
    cr_assert_null(augur_term_evaluation_limits(2000000000, 0));
    cr_assert_null(augur_term_time_limits(-1));
    cr_assert_null(augur_term_time_limits(NAN));
    cr_assert_null(augur_term_no_improvement(5, -1));
    cr_assert_null(augur_term_stopval(NAN));
    cr_assert_null(augur_term_ftol_abs(-1));
    cr_assert_null(augur_term_ftol_rel(-1));
    cr_assert_null(augur_term_xtol_abs(-1));
    cr_assert_null(augur_term_xtol_rel(-1));
}

Test(arguments, set_param_errors_keep_a_message)
{
    augur_termination *t = augur_term_create("vtr");
    cr_assert_eq(augur_term_set_param(t, "bogus", 1), AUGUR_ENOTFOUND);
    cr_assert_str_eq(augur_term_errmsg(t),
                     "vtr: no parameter named 'bogus' (it has: tolerance, target)");
    cr_assert_eq(augur_term_set_param(t, "tolerance", -1), AUGUR_ERANGE);
    cr_assert_str_eq(augur_term_errmsg(t),
                     "vtr: parameter 'tolerance' must be in [0, inf], not -1");
    cr_assert_eq(augur_term_set_param(t, "target", NAN), AUGUR_EINVAL);
    cr_assert_eq(param(t, "tolerance"), 0.005);
    cr_assert_eq(augur_term_set_param(t, "Tolerance", 0.25), AUGUR_OK);
    cr_assert_str_eq(augur_term_errmsg(t), "");
    cr_assert_eq(param(t, "tolerance"), 0.25);
    double v;
    cr_assert_eq(augur_term_get_param(t, "bogus", &v), AUGUR_ENOTFOUND);
    augur_term_destroy(t);

    augur_termination *c = augur_term_create("change-over-generation");
    cr_assert_eq(augur_term_set_param(c, "generations", 2.5), AUGUR_EINVAL);
    cr_assert_eq(augur_term_set_param(c, "generations", 1e9 + 1), AUGUR_ERANGE);
    cr_assert_eq(augur_term_set_param(c, "generations", 1e9), AUGUR_OK);
    augur_term_destroy(c);
}

Test(registry, names_labels_and_defaults)
{
    static const char *const names[] = {
        "vtr", "change-over-generation", "normalized-change-over-generation",
        "vtr-change-over-generation", "candidate-relative-tolerance",
        "solution-improvement", "normalized-cost-target", "population-spread",
        "gradient-norm-tolerance", "evaluation-limits", "time-limits",
        "no-improvement", "stopval", "ftol-abs", "ftol-rel", "xtol-abs",
        "xtol-rel", "or", "and", "not", "when"};
    const augur_term_type *const *types = augur_term_types();
    size_t count = 0;
    while (types[count])
        count++;
    cr_assert_eq(count, sizeof names / sizeof names[0]);
    for (size_t k = 0; k < count; k++) {
        cr_assert_str_eq(types[k]->name, names[k]);
        cr_assert_not_null(types[k]->label);
        cr_assert_eq(augur_term_type_find(names[k]), types[k]);
        augur_termination *t = augur_term_create(names[k]);
        cr_assert_not_null(t, "create(%s)", names[k]);
        cr_assert_eq(augur_term_get_type(t), types[k]);
        augur_term_destroy(t);
    }
    cr_assert_eq(augur_term_type_find("VTR"), types[0]);
    cr_assert_eq(augur_term_type_find("change_over_generation"), types[1]);
    cr_assert_null(augur_term_type_find("nope"));
    cr_assert_null(augur_term_create("nope"));
    cr_assert_null(augur_term_create(NULL));
}

Test(registry, mystic_defaults)
{
    augur_termination *t = augur_term_create("normalized-change-over-generation");
    cr_assert_eq(param(t, "tolerance"), 1e-4);
    cr_assert_eq(param(t, "generations"), 10);
    augur_term_destroy(t);
    t = augur_term_create("candidate-relative-tolerance");
    cr_assert_eq(param(t, "xtol"), 1e-4);
    cr_assert_eq(param(t, "ftol"), 1e-4);
    augur_term_destroy(t);
    t = augur_term_create("vtr-change-over-generation");
    cr_assert_eq(param(t, "ftol"), 0.005);
    cr_assert_eq(param(t, "gtol"), 1e-6);
    cr_assert_eq(param(t, "generations"), 30);
    cr_assert_eq(param(t, "target"), 0);
    augur_term_destroy(t);
    t = augur_term_create("solution-improvement");
    cr_assert_eq(param(t, "tolerance"), 1e-5);
    augur_term_destroy(t);
}

Test(base, check_needs_info_and_reports_silent_failures)
{
    augur_termination *t = augur_term_create("vtr");
    cr_assert_eq(augur_term_check(t, NULL), AUGUR_EINVAL);
    cr_assert_str_eq(augur_term_errmsg(t), "vtr: no run information");
    cr_assert_eq(augur_term_check(NULL, NULL), AUGUR_EINVAL);
    augur_term_destroy(t);
    augur_term_destroy(NULL);

    augur_termination *s = augur_term_create_type(&silent_fail_type);
    augur_info info = run_info(NULL, 0);
    cr_assert_eq(augur_term_check(s, &info), AUGUR_EFAILED);
    cr_assert_str_eq(augur_term_reason(s), "");
    cr_assert_str_eq(augur_term_errmsg(s), "silent-fail: check failed (status -9)");
    augur_term_destroy(s);
}

/* --- Copy, reset, members -------------------------------------------------------- */

Test(copy, deep_with_parameters_and_members)
{
    augur_termination *t = augur_term_or(
        augur_term_vtr(0.25, 2),
        augur_term_not(augur_term_change_over_generation(0.125, 7)));
    cr_assert_not_null(t);
    augur_termination *c = augur_term_copy(t);
    augur_term_destroy(t);
    cr_assert_not_null(c);
    cr_assert_str_eq(augur_term_get_type(c)->name, "or");
    cr_assert_eq(augur_term_child_count(c), 2);
    augur_termination *v = augur_term_child(c, 0);
    cr_assert_eq(param(v, "tolerance"), 0.25);
    cr_assert_eq(param(v, "target"), 2);
    augur_termination *n = augur_term_child(c, 1);
    cr_assert_str_eq(augur_term_get_type(n)->name, "not");
    cr_assert_eq(augur_term_child_count(n), 1);
    augur_termination *g = augur_term_child(n, 0);
    cr_assert_eq(param(g, "tolerance"), 0.125);
    cr_assert_eq(param(g, "generations"), 7);
    cr_assert_null(augur_term_child(c, 2));
    char text[256];
    augur_term_describe(c, text, sizeof text);
    cr_assert_str_eq(text, "Or(VTR(tolerance=0.25, target=2), "
                           "Not(ChangeOverGeneration(tolerance=0.125, "
                           "generations=7)))");
    augur_term_destroy(c);
}

Test(reset, reaches_every_member)
{
    augur_termination *t = augur_term_and(counter(1), augur_term_not(counter(0)));
    cr_assert_not_null(t);
    augur_term_reset(t);
    cr_assert_eq(counter_resets, 2);
    augur_info info = run_info(NULL, 0);
    cr_assert_eq(fires(t, &info), 1);
    cr_assert_str_eq(augur_term_reason(t), "Counter(fire=1); Not(Counter(fire=0))");
    augur_term_reset(t);
    cr_assert_str_eq(augur_term_reason(t), "");
    augur_term_destroy(t);
}

Test(members, add_child_limits_and_ownership)
{
    augur_termination *leaf = augur_term_create("vtr");
    cr_assert_eq(augur_term_add_child(leaf, augur_term_create("vtr")), AUGUR_ERANGE);
    augur_termination *n = augur_term_create("not");
    cr_assert_eq(augur_term_add_child(n, augur_term_create("vtr")), AUGUR_OK);
    cr_assert_eq(augur_term_add_child(n, augur_term_create("vtr")), AUGUR_ERANGE);
    cr_assert_str_eq(augur_term_errmsg(n), "not takes at most 1 condition");
    cr_assert_eq(augur_term_add_child(n, NULL), AUGUR_EINVAL);
    cr_assert_eq(augur_term_add_child(NULL, augur_term_create("vtr")), AUGUR_EINVAL);
    augur_term_destroy(leaf);
    augur_term_destroy(n);

    augur_termination *empty = augur_term_create("or");
    augur_info info = run_info(NULL, 0);
    cr_assert_eq(augur_term_check(empty, &info), AUGUR_ESTATE);
    cr_assert_str_eq(augur_term_errmsg(empty), "Or has no conditions");
    augur_term_destroy(empty);
}

/* --- Combinators ------------------------------------------------------------------- */

static const char *const VTR_R = "VTR(tolerance=0.005, target=0)";
static const char *const COG_R = "ChangeOverGeneration(tolerance=1e-06, generations=30)";
static const char *const NCOG_R =
    "NormalizedChangeOverGeneration(tolerance=0.0001, generations=10)";

static augur_termination *vtr(void) { return augur_term_create("vtr"); }
static augur_termination *cog(void)
{
    return augur_term_create("change-over-generation");
}
static augur_termination *ncog(void)
{
    return augur_term_create("normalized-change-over-generation");
}

/* Check t on info, expect `want` and the reason `why`, then free t. */
static void expect(augur_termination *t, const augur_info *info, int want,
                   const char *why)
{
    cr_assert_eq(fires(t, info), want);
    cr_assert_str_eq(augur_term_reason(t), why);
    augur_term_destroy(t);
}

Test(combinators, flat_history_at_one)
{
    /* VTR false (|1 - 0| > 0.005); COG and NCOG true (40 records > g). */
    fill_flat(1.0);
    augur_info info = run_info(flat, FLAT_LEN);
    expect(vtr(), &info, 0, "");
    expect(cog(), &info, 1, COG_R);
    expect(ncog(), &info, 1, NCOG_R);
    expect(augur_term_or(vtr(), cog()), &info, 1, COG_R);
    expect(augur_term_and(vtr(), cog()), &info, 0, "");
    char both[512];
    snprintf(both, sizeof both, "%s; %s", COG_R, NCOG_R);
    expect(augur_term_and(cog(), ncog()), &info, 1, both);
    expect(augur_term_or(cog(), ncog()), &info, 1, both);
    expect(augur_term_when(vtr()), &info, 0, "");
    expect(augur_term_when(cog()), &info, 1, COG_R);
    expect(augur_term_not(vtr()), &info, 1, "Not(VTR(tolerance=0.005, target=0))");
    expect(augur_term_not(cog()), &info, 0, "");
    augur_termination *all[] = {vtr(), cog(), ncog()};
    expect(augur_term_and_n(all, 3), &info, 0, "");
    augur_termination *any[] = {vtr(), cog(), ncog()};
    expect(augur_term_or_n(any, 3), &info, 1, both);
}

Test(combinators, flat_history_at_zero)
{
    fill_flat(0.0);
    augur_info info = run_info(flat, FLAT_LEN);
    char all3[768];
    snprintf(all3, sizeof all3, "%s; %s; %s", VTR_R, COG_R, NCOG_R);
    augur_termination *all[] = {vtr(), cog(), ncog()};
    expect(augur_term_and_n(all, 3), &info, 1, all3);
    augur_termination *any[] = {vtr(), cog(), ncog()};
    expect(augur_term_or_n(any, 3), &info, 1, all3);
    expect(augur_term_when(augur_term_and(vtr(), ncog())), &info, 1,
           "VTR(tolerance=0.005, target=0); "
           "NormalizedChangeOverGeneration(tolerance=0.0001, generations=10)");
    expect(augur_term_not(augur_term_or(vtr(), cog())), &info, 0, "");
}

Test(combinators, short_history)
{
    /* Five records: VTR holds, COG and NCOG cannot (L <= g). */
    fill_flat(0.0);
    augur_info info = run_info(flat, 5);
    expect(cog(), &info, 0, "");
    expect(ncog(), &info, 0, "");
    expect(augur_term_or(vtr(), cog()), &info, 1, VTR_R);
    expect(augur_term_and(vtr(), cog()), &info, 0, "");
    expect(augur_term_and(vtr(), augur_term_not(ncog())), &info, 1,
           "VTR(tolerance=0.005, target=0); Not(NormalizedChangeOverGeneration("
           "tolerance=0.0001, generations=10))");
    expect(augur_term_when(ncog()), &info, 0, "");
    expect(augur_term_not(augur_term_or(cog(), ncog())), &info, 1,
           "Not(Or(ChangeOverGeneration(tolerance=1e-06, generations=30), "
           "NormalizedChangeOverGeneration(tolerance=0.0001, generations=10)))");
}

Test(combinators, every_member_is_asked)
{
    augur_info info = run_info(NULL, 0);
    augur_termination *any[] = {counter(1), counter(1), counter(0)};
    augur_termination *t = augur_term_or_n(any, 3);
    cr_assert_eq(fires(t, &info), 1);
    cr_assert_eq(counter_checks, 3);
    augur_term_destroy(t);
    counter_checks = 0;
    t = augur_term_and(counter(0), counter(1));
    cr_assert_eq(fires(t, &info), 0);
    cr_assert_eq(counter_checks, 2);
    augur_term_destroy(t);
}

Test(combinators, member_errors_propagate)
{
    fill_flat(0.0);
    augur_info info = population_info(crt_pop, crt_energy, 1, 2);
    info.energy_history = flat;
    info.history_len = FLAT_LEN;
    const char *msg = "CandidateRelativeTolerance needs a population of at least 2";
    augur_termination *t = augur_term_or(vtr(), augur_term_create(
                                             "candidate-relative-tolerance"));
    counter_checks = 0;
    cr_assert_eq(augur_term_check(t, &info), AUGUR_EINVAL);
    cr_assert_str_eq(augur_term_errmsg(t), msg);
    cr_assert_str_eq(augur_term_reason(t), "");
    augur_term_destroy(t);

    augur_termination *members[] = {
        augur_term_create("candidate-relative-tolerance"), counter(1),
        augur_term_create("population-spread")};
    t = augur_term_and_n(members, 3);
    cr_assert_eq(augur_term_check(t, &info), AUGUR_EINVAL);
    cr_assert_str_eq(augur_term_errmsg(t), msg);   /* the first error */
    cr_assert_eq(counter_checks, 1);               /* later members still asked */
    augur_term_destroy(t);

    t = augur_term_not(augur_term_create("candidate-relative-tolerance"));
    cr_assert_eq(augur_term_check(t, &info), AUGUR_EINVAL);
    cr_assert_str_eq(augur_term_errmsg(t), msg);
    augur_term_destroy(t);
    t = augur_term_when(augur_term_create("candidate-relative-tolerance"));
    cr_assert_eq(augur_term_check(t, &info), AUGUR_EINVAL);
    cr_assert_str_eq(augur_term_errmsg(t), msg);
    augur_term_destroy(t);
}

Test(combinators, null_member_frees_the_others)
{
    cr_assert_null(augur_term_or(augur_term_vtr(0.1, 0), NULL));
    cr_assert_null(augur_term_and(NULL, cog()));
    cr_assert_null(augur_term_not(NULL));
    cr_assert_null(augur_term_when(NULL));
    /* A failed nested constructor (negative tolerance) gives the NULL. */
    cr_assert_null(augur_term_or(augur_term_vtr(-1, 0),
                                 augur_term_not(augur_term_and(cog(), ncog()))));
    augur_termination *some[] = {vtr(), NULL, ncog()};
    cr_assert_null(augur_term_or_n(some, 3));
    augur_termination *more[] = {cog(), ncog(), NULL};
    cr_assert_null(augur_term_and_n(more, 3));
    cr_assert_null(augur_term_or_n(NULL, 0));
    augur_termination *none[] = {NULL};
    cr_assert_null(augur_term_and_n(none, 0));
}
