/* test_solver_loop.c - the abstract solver's run loop, driven by
 * Nelder-Mead on the Rosenbrock function (augur_model_rosen): monitors see
 * exactly the points evaluated, a run continues with its counts and
 * history, limits are named in the reason, stepping equals solving, and a
 * stop asked for by a callback or from inside the cost is reported and
 * can be continued. Each test states its start and its limits. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "nelder_mead.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(solver, .init = quiet_gsl);

/* --- Monitors see exactly what was evaluated -------------------------- */

typedef struct call_log {
    double x[4096][2];
    double f[4096];
    size_t count;
} call_log;

static double logged_rosen(const double *x, size_t n, void *data)
{
    call_log *log = data;
    double f = augur_model_rosen(x, n, NULL);
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
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
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
    augur_solve(r, augur_model_rosen, NULL, NULL);
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
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
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
    augur_solve(a, augur_model_rosen, NULL, NULL);
    while (augur_solver_terminated(b) == 0)
        cr_assert_eq(augur_solver_step(b, augur_model_rosen, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_generations(a), augur_solver_generations(b));
    cr_assert_eq(augur_solver_evaluations(a), augur_solver_evaluations(b));
    cr_assert_eq(augur_solver_best_energy(a), augur_solver_best_energy(b));
    cr_assert_str_eq(augur_solver_termination_reason(a),
                     augur_solver_termination_reason(b));
    augur_solver_destroy(a);
    augur_solver_destroy(b);
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
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_STOPPED);
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
    return augur_model_rosen(x, n, NULL);
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
