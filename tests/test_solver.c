/* test_solver.c - the abstract solver and Nelder-Mead.
 *
 * Each solver test states its problem, seed, budget and the accuracy it
 * must reach. The reference run is scipy.optimize.fmin (scipy 1.10) on the
 * 3-D Rosenbrock from the origin: f = 1.16058e-09 after exactly 289
 * evaluations. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "augur/plugin.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(solver, .init = quiet_gsl);

static double rosen(const double *x, size_t n, void *data)
{
    (void)data;
    double f = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
        f += 100 * a * a + b * b;
    }
    return f;
}

static augur_solver *nm(size_t n)
{
    augur_solver *s = augur_solver_create("nelder-mead", n);
    cr_assert_not_null(s);
    return s;
}

/* --- Nelder-Mead against scipy ---------------------------------------- */

Test(solver, nelder_mead_matches_scipy_fmin_on_rosen3)
{
    augur_solver *s = nm(3);
    double x0[3] = {0, 0, 0};
    cr_assert_eq(augur_solver_set_initial_point(s, x0), AUGUR_OK);
    cr_assert_eq(augur_solve(s, rosen, NULL, NULL), AUGUR_OK, "%s",
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
        cr_assert_eq(augur_solve(s, rosen, NULL, t), AUGUR_OK);
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
    cr_assert_eq(augur_solve(s, rosen, NULL, t), AUGUR_OK);
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
        cr_assert_eq(augur_solve(s, rosen, NULL, NULL), AUGUR_OK);
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
    augur_solve(s, rosen, NULL, NULL);
    uint64_t seed = augur_solver_seed(s);
    augur_solver *r = nm(2);
    augur_solver_set_seed(r, seed);
    augur_solver_set_random_initial_points(r, lb, ub);
    augur_solve(r, rosen, NULL, NULL);
    cr_assert_eq(augur_solver_best_energy(s), augur_solver_best_energy(r));
    cr_assert_eq(augur_solver_evaluations(s), augur_solver_evaluations(r));
    augur_solver_destroy(s);
    augur_solver_destroy(r);
}

/* --- Bounds -------------------------------------------------------------- */

typedef struct box_probe {
    const double *lb, *ub;
    size_t calls, outside;
} box_probe;

/* Rosenbrock whose minimum (1,1) lies outside the box, so the search
 * presses against the bounds; any call outside the box is a failure. */
static double probed_rosen(const double *x, size_t n, void *data)
{
    box_probe *p = data;
    p->calls++;
    for (size_t i = 0; i < n; i++)
        if (!(x[i] >= p->lb[i] && x[i] <= p->ub[i]))
            p->outside++;
    return rosen(x, n, NULL);
}

/* 50 seeds, random starts in the box, CRT(1e-8, 1e-12), default limits.
 * The box holds the constrained minimum on the edge x1 = 0.2 at x0 =
 * 0.4538897347 (1-D Brent): f = 0.3018555166. Clipped Nelder-Mead can
 * collapse its simplex onto a bound and stall there (scipy's does too), so
 * the accuracy asserted is: at least 40 of 50 runs within 1e-6 of it, and
 * none worse than the value at the nearest corner, 0.5. */
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
    cr_assert_eq(augur_solve(s, rosen, NULL, NULL), AUGUR_EBOUNDS);
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
    cr_assert_eq(augur_solve(s, rosen, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_best_solution(s)[1], 0.25);
    augur_solver_destroy(s);
}

/* --- Monitors see exactly what was evaluated -------------------------- */

typedef struct call_log {
    double x[4096][2];
    double f[4096];
    size_t count;
} call_log;

static double logged_rosen(const double *x, size_t n, void *data)
{
    call_log *log = data;
    double f = rosen(x, n, NULL);
    if (log->count < 4096) {
        memcpy(log->x[log->count], x, 2 * sizeof *x);
        log->f[log->count] = f;
    }
    log->count++;
    return f;
}

Test(solver, monitors_record_exactly_the_points_evaluated)
{
    call_log *log = calloc(1, sizeof *log);
    augur_solver *s = nm(2);
    double x0[2] = {-1.2, 1};
    augur_solver_set_initial_point(s, x0);
    augur_monitor *evals = augur_monitor_history(0);
    augur_monitor *gens = augur_monitor_history(0);
    augur_solver_add_evaluation_monitor(s, augur_monitor_ref(evals));
    augur_solver_add_generation_monitor(s, augur_monitor_ref(gens));
    cr_assert_eq(augur_solve(s, logged_rosen, log, NULL), AUGUR_OK);

    size_t ne = augur_solver_evaluations(s);
    cr_assert_eq(ne, log->count);
    cr_assert_eq(augur_history_length(evals), ne);
    for (size_t i = 0; i < ne; i++) {
        cr_assert_eq(memcmp(augur_history_x(evals, i), log->x[i], 2 * sizeof(double)), 0);
        cr_assert_eq(augur_history_f(evals, i), log->f[i]);
    }
    size_t ng = augur_solver_generations(s);
    cr_assert_eq(augur_history_length(gens), ng + 1);
    cr_assert_eq(augur_history_f(gens, ng), augur_solver_best_energy(s));
    cr_assert_eq(memcmp(augur_history_x(gens, ng), augur_solver_best_solution(s),
                        2 * sizeof(double)), 0);
    /* the best never gets worse from one record to the next */
    for (size_t g = 1; g <= ng; g++)
        cr_assert(augur_history_f(gens, g) <= augur_history_f(gens, g - 1));
    augur_solver_destroy(s);
    augur_monitor_destroy(evals);
    augur_monitor_destroy(gens);
    free(log);
}

/* --- Continuation ------------------------------------------------------ */

Test(solver, continuation_keeps_counts_and_history)
{
    augur_solver *s = nm(3);
    double x0[3] = {-1, 0.5, 2};
    augur_solver_set_initial_point(s, x0);
    augur_monitor *gens = augur_monitor_history(0);
    augur_monitor *evals = augur_monitor_history(0);
    augur_solver_add_generation_monitor(s, augur_monitor_ref(gens));
    augur_solver_add_evaluation_monitor(s, augur_monitor_ref(evals));

    augur_solver_set_evaluation_limits(s, 10, AUGUR_UNLIMITED);
    cr_assert_eq(augur_solve(s, rosen, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_generations(s), 10);
    cr_assert_str_eq(augur_solver_termination_reason(s),
                     "EvaluationLimits(generations=10)");
    size_t e1 = augur_solver_evaluations(s);
    double f1 = augur_solver_best_energy(s);

    /* Solving again with the same limit stops at once: nothing evaluated. */
    cr_assert_eq(augur_solve(s, NULL, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_evaluations(s), e1);

    augur_solver_set_evaluation_limits(s, 40, AUGUR_UNLIMITED);
    cr_assert_eq(augur_solve(s, NULL, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_generations(s), 40);
    cr_assert_gt(augur_solver_evaluations(s), e1);
    cr_assert_leq(augur_solver_best_energy(s), f1);
    cr_assert_eq(augur_history_length(gens), 41);
    cr_assert_eq(augur_history_length(evals), augur_solver_evaluations(s));

    /* The same 40 generations in one go give the same state, bit for bit. */
    augur_solver *r = nm(3);
    augur_solver_set_initial_point(r, x0);
    augur_solver_set_evaluation_limits(r, 40, AUGUR_UNLIMITED);
    augur_solve(r, rosen, NULL, NULL);
    cr_assert_eq(augur_solver_evaluations(r), augur_solver_evaluations(s));
    cr_assert_eq(augur_solver_best_energy(r), augur_solver_best_energy(s));

    /* A new termination with the same limits stops at once on the limit... */
    cr_assert_eq(augur_solve(s, NULL, NULL, augur_term_vtr(1e-3, 0)), AUGUR_OK);
    cr_assert_eq(augur_solver_generations(s), 40);
    cr_assert_str_eq(augur_solver_termination_reason(s),
                     "EvaluationLimits(generations=40)");
    /* ...and with the default limits back it goes on until the condition. */
    augur_solver_set_evaluation_limits(s, 0, 0);
    cr_assert_eq(augur_solve(s, NULL, NULL, NULL), AUGUR_OK);
    cr_assert_str_eq(augur_solver_termination_reason(s), "VTR(tolerance=0.001, target=0)");
    cr_assert_leq(augur_solver_best_energy(s), 1e-3);
    augur_solver_destroy(s);
    augur_solver_destroy(r);
    augur_monitor_destroy(gens);
    augur_monitor_destroy(evals);
}

Test(solver, evaluation_limit_is_named)
{
    augur_solver *s = nm(2);
    double x0[2] = {-1.2, 1};
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_evaluation_limits(s, AUGUR_UNLIMITED, 30);
    cr_assert_eq(augur_solve(s, rosen, NULL, NULL), AUGUR_OK);
    cr_assert_str_eq(augur_solver_termination_reason(s),
                     "EvaluationLimits(evaluations=30)");
    /* limits are checked between generations: at most n+1 over */
    cr_assert_geq(augur_solver_evaluations(s), 30);
    cr_assert_leq(augur_solver_evaluations(s), 33);
    augur_solver_destroy(s);
}

Test(solver, step_by_step_equals_solve)
{
    double x0[2] = {-1.2, 1};
    augur_solver *a = nm(2), *b = nm(2);
    augur_solver_set_initial_point(a, x0);
    augur_solver_set_initial_point(b, x0);
    augur_solve(a, rosen, NULL, NULL);
    while (augur_solver_terminated(b) == 0)
        cr_assert_eq(augur_solver_step(b, rosen, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_generations(a), augur_solver_generations(b));
    cr_assert_eq(augur_solver_evaluations(a), augur_solver_evaluations(b));
    cr_assert_eq(augur_solver_best_energy(a), augur_solver_best_energy(b));
    cr_assert_str_eq(augur_solver_termination_reason(a),
                     augur_solver_termination_reason(b));
    augur_solver_destroy(a);
    augur_solver_destroy(b);
}

/* --- NaN and infinite costs, maximising -------------------------------- */

static double nan_right_half(const double *x, size_t n, void *data)
{
    (void)data;
    if (x[0] > 1.02)
        return NAN;
    return rosen(x, n, NULL);
}

static double inf_right_half(const double *x, size_t n, void *data)
{
    (void)data;
    if (x[0] > 1.02)
        return INFINITY;
    return rosen(x, n, NULL);
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

/* --- Stop requests -------------------------------------------------------- */

static int stop_at_five(const augur_record *r, void *data)
{
    (void)data;
    return r->generation == 5;
}

Test(solver, callback_stop_is_reported)
{
    augur_solver *s = nm(2);
    double x0[2] = {-1.2, 1};
    augur_solver_set_initial_point(s, x0);
    augur_solver_add_generation_monitor(s, augur_monitor_callback(stop_at_five, NULL));
    cr_assert_eq(augur_solve(s, rosen, NULL, NULL), AUGUR_STOPPED);
    cr_assert_eq(augur_solver_generations(s), 5);
    cr_assert(strstr(augur_solver_termination_reason(s), "Callback"), "%s",
              augur_solver_termination_reason(s));
    /* and the run can be continued */
    cr_assert_eq(augur_solve(s, NULL, NULL, augur_term_vtr(1e-2, 0)), AUGUR_OK);
    cr_assert_gt(augur_solver_generations(s), 5);
    cr_assert_leq(augur_solver_best_energy(s), 1e-2);
    augur_solver_destroy(s);
}

typedef struct stopper {
    augur_solver *s;
    size_t calls, stop_at;
} stopper;

static double stopping_cost(const double *x, size_t n, void *data)
{
    stopper *st = data;
    if (++st->calls == st->stop_at)
        augur_solver_request_stop(st->s);
    return rosen(x, n, NULL);
}

Test(solver, request_stop_from_inside_the_cost)
{
    augur_solver *s = nm(2);
    double x0[2] = {-1.2, 1};
    augur_solver_set_initial_point(s, x0);
    stopper st = {.s = s, .stop_at = 20};
    cr_assert_eq(augur_solve(s, stopping_cost, &st, NULL), AUGUR_STOPPED);
    cr_assert_str_eq(augur_solver_termination_reason(s),
                     "SolverInterrupt(stop requested)");
    /* the generation in progress completes: at most n+1 more calls */
    cr_assert_geq(st.calls, 20);
    cr_assert_leq(st.calls, 23);
    augur_solver_destroy(s);
}

/* --- Bad input: a status and a message, never a crash ------------------ */

Test(solver, bad_type_and_dimension)
{
    char err[256];
    augur_solver *s = NULL;
    cr_assert_null(augur_solver_create("no-such-solver", 2));
    cr_assert_eq(augur_solver_new(&s, "no-such-solver", 2, err, sizeof err),
                 AUGUR_ENOTFOUND);
    cr_assert(strstr(err, "no-such-solver"), "%s", err);
    cr_assert_null(augur_solver_create("nelder-mead", 0));
    cr_assert_eq(augur_solver_new(&s, "nelder-mead", 0, err, sizeof err), AUGUR_EINVAL);
    cr_assert(strstr(err, "dimension"), "%s", err);
    cr_assert_null(augur_solver_create(NULL, 2));
    cr_assert_null(s);
    augur_solver_destroy(NULL);
}

Test(solver, bad_bounds_and_arrays)
{
    augur_solver *s = nm(2);
    double lb[2] = {0, 2}, ub[2] = {1, 1}, x[2] = {0, NAN};
    cr_assert_eq(augur_solver_set_bounds(s, lb, ub), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "index 1"), "%s", augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_set_bounds(s, NULL, ub), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "NULL"));
    cr_assert_eq(augur_solver_set_initial_point(s, NULL), AUGUR_EINVAL);
    cr_assert_eq(augur_solver_set_initial_point(s, x), AUGUR_EINVAL);
    cr_assert_eq(augur_solver_set_random_initial_points(s, lb, ub), AUGUR_EINVAL);
    double inf[2] = {-INFINITY, 0}, one[2] = {1, 1};
    cr_assert_eq(augur_solver_set_random_initial_points(s, inf, one), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "finite"), "%s", augur_solver_errmsg(s));
    /* a good call clears the message */
    cr_assert_eq(augur_solver_set_bounds(s, inf, one), AUGUR_OK);
    cr_assert_str_eq(augur_solver_errmsg(s), "");
    augur_solver_destroy(s);
}

Test(solver, bad_parameters)
{
    augur_solver *s = nm(2);
    cr_assert_eq(augur_solver_set_param(s, "no-such", 1), AUGUR_ENOTFOUND);
    cr_assert(strstr(augur_solver_errmsg(s), "radius"), "lists the valid names: %s",
              augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_set_param(s, "radius", -1), AUGUR_ERANGE);
    cr_assert(strstr(augur_solver_errmsg(s), "radius"));
    cr_assert_eq(augur_solver_set_param(s, "adaptive", 0.5), AUGUR_EINVAL);
    cr_assert_eq(augur_solver_set_param(s, "radius", NAN), AUGUR_EINVAL);
    cr_assert_eq(augur_solver_set_param(s, NULL, 1), AUGUR_ENOTFOUND);
    double v = 0;
    cr_assert_eq(augur_solver_get_param(s, "radius", &v), AUGUR_OK);
    cr_assert_eq(v, 0.05);
    cr_assert_eq(augur_solver_set_param_string(s, "adaptive", "true"), AUGUR_OK);
    cr_assert_eq(augur_solver_get_param(s, "adaptive", &v), AUGUR_OK);
    cr_assert_eq(v, 1);
    cr_assert_eq(augur_solver_set_param_string(s, "radius", "big"), AUGUR_EINVAL);
    cr_assert_eq(augur_solver_set_param(s, "Maximize", 1), AUGUR_OK,
                 "names ignore case");
    augur_solver_destroy(s);
}

Test(solver, bad_run_setup)
{
    augur_solver *s = nm(2);
    double x0[2] = {0, 0};
    cr_assert_eq(augur_solve(s, NULL, NULL, NULL), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "cost"));
    cr_assert_eq(augur_solve(s, rosen, NULL, NULL), AUGUR_ESTATE, "no starting point");
    cr_assert(strstr(augur_solver_errmsg(s), "starting point"), "%s",
              augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_evaluations(s), 0);
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_solver_add_generation_monitor(s, NULL), AUGUR_EINVAL);
    cr_assert_null(augur_term_vtr(-1, 0), "a negative tolerance is refused");
    cr_assert_eq(augur_solve(s, rosen, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solve(NULL, rosen, NULL, augur_term_vtr(1, 0)), AUGUR_EINVAL,
                 "the condition is freed (ASan checks)");
    augur_solver_destroy(s);
}

/* A plugin: a one-point random walk, to check the plugin route and that a
 * condition's error (CRT needs two members) reaches the caller. */
typedef struct walk_state {
    double step;
    double x[8], y[8];
} walk_state;

static const augur_param walk_params[] = {
    {.name = "step", .kind = AUGUR_PARAM_REAL, .def = 0.1, .min = 0, .max = 10,
     .offset = offsetof(walk_state, step), .doc = "walk step"},
    {.name = NULL},
};

static int walk_start(augur_solver *s, void *state)
{
    walk_state *w = state;
    int rc = augur_solver_initial_points(s, w->x, 1, 0);
    if (rc == AUGUR_OK)
        augur_solver_evaluate(s, w->x);
    return rc;
}

static int walk_step(augur_solver *s, void *state)
{
    walk_state *w = state;
    const double *best = augur_solver_best_solution(s);
    size_t n = augur_solver_dimension(s);
    for (size_t i = 0; i < n; i++)
        w->y[i] = best[i] + w->step * (2 * gsl_rng_uniform(augur_solver_rng(s)) - 1);
    augur_solver_clip(s, w->y);
    augur_solver_evaluate(s, w->y);
    return AUGUR_OK;
}

static const augur_solver_type walk_type = {
    .name = "test-walk", .doc = "random walk (test plugin)",
    .state_size = sizeof(walk_state), .params = walk_params,
    .generation_scale = 100, .evaluation_scale = 1000,
    .start = walk_start, .step = walk_step,
};

Test(solver, plugin_type_runs_and_condition_errors_reach_the_caller)
{
    int rc = augur_solver_type_register(&walk_type);
    cr_assert(rc == AUGUR_OK || rc == AUGUR_EINVAL);
    augur_solver *s = augur_solver_create("test-walk", 2);
    cr_assert_not_null(s);
    double x0[2] = {-1, 1};
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_seed(s, 7);
    /* no default condition: limits alone, 100 n generations */
    cr_assert_eq(augur_solve(s, rosen, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_generations(s), 200);
    cr_assert_eq(augur_solver_evaluations(s), 201);
    cr_assert_lt(augur_solver_best_energy(s), rosen(x0, 2, NULL));
    augur_solver_destroy(s);

    s = augur_solver_create("test-walk", 2);
    augur_solver_set_initial_point(s, x0);
    rc = augur_solve(s, rosen, NULL, augur_term_candidate_relative_tolerance(1e-4, 1e-4));
    cr_assert_eq(rc, AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "termination"), "%s",
              augur_solver_errmsg(s));
    augur_solver_destroy(s);
}

Test(solver, registry_lists_nelder_mead)
{
    const augur_solver_type *const *types = augur_solver_types();
    int found = 0;
    for (size_t i = 0; types[i]; i++)
        found |= strcmp(types[i]->name, "nelder-mead") == 0;
    cr_assert(found);
    cr_assert_not_null(augur_solver_type_find("Nelder_Mead"));
    cr_assert_eq(augur_solver_type_register(augur_solver_type_find("nelder-mead")),
                 AUGUR_EINVAL, "a taken name is refused");
}

/* A plugin that runs its own loop inside one step (as NLopt does): a
 * coordinate probe that checkpoints every 5 evaluations and declares
 * itself finished after 60. */
typedef struct loop_state {
    double x[4];
    size_t done;
} loop_state;

static int loop_start(augur_solver *s, void *state)
{
    loop_state *st = state;
    int rc = augur_solver_initial_points(s, st->x, 1, 0);
    if (rc == AUGUR_OK)
        augur_solver_evaluate(s, st->x);
    return rc;
}

static int loop_step(augur_solver *s, void *state)
{
    loop_state *st = state;
    size_t n = augur_solver_dimension(s);
    while (st->done < 60) {
        double y[4];
        memcpy(y, augur_solver_best_solution(s), n * sizeof *y);
        y[st->done % n] += st->done % 2 ? -0.01 : 0.01;
        augur_solver_evaluate(s, y);
        if (++st->done % 5 == 0) {
            int rc = augur_solver_checkpoint(s);
            if (rc != 0)
                return rc < 0 ? rc : AUGUR_OK;
        }
    }
    augur_solver_finished(s, "OwnLoop(60 probes done)");
    return AUGUR_OK;
}

static const augur_solver_type loop_type = {
    .name = "test-own-loop", .doc = "runs its own loop (test plugin)",
    .state_size = sizeof(loop_state), .generation_scale = 1000,
    .evaluation_scale = 1000, .start = loop_start, .step = loop_step,
};

Test(solver, own_loop_algorithms_checkpoint_and_finish)
{
    int rc = augur_solver_type_register(&loop_type);
    cr_assert(rc == AUGUR_OK || rc == AUGUR_EINVAL);
    double x0[2] = {-1, 1};

    /* A limit stops it at the checkpoint that crosses it. */
    augur_solver *s = augur_solver_create("test-own-loop", 2);
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_evaluation_limits(s, AUGUR_UNLIMITED, 23);
    augur_monitor *gens = augur_monitor_history(0);
    augur_solver_add_generation_monitor(s, augur_monitor_ref(gens));
    cr_assert_eq(augur_solve(s, rosen, NULL, NULL), AUGUR_OK);
    cr_assert_str_eq(augur_solver_termination_reason(s), "EvaluationLimits(evaluations=23)");
    cr_assert_eq(augur_solver_evaluations(s), 26, "1 + 5 probes x 5 checkpoints");
    cr_assert_eq(augur_solver_generations(s), 5, "one record per checkpoint, none extra");
    cr_assert_eq(augur_history_length(gens), 6);
    augur_solver_destroy(s);
    augur_monitor_destroy(gens);

    /* Left alone it finishes by its own criterion, reported as the reason. */
    s = augur_solver_create("test-own-loop", 2);
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_solve(s, rosen, NULL, NULL), AUGUR_OK);
    cr_assert_str_eq(augur_solver_termination_reason(s), "OwnLoop(60 probes done)");
    cr_assert_eq(augur_solver_evaluations(s), 61);
    cr_assert_eq(augur_solver_generations(s), 12);
    augur_solver_destroy(s);
}
