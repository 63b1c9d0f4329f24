/* rosenbrock.c - minimise the 3-D Rosenbrock function with Nelder-Mead,
 * through augur's expanded interface: create a solver, attach monitors and
 * a termination condition, solve, and read the answer back.
 *
 *     ./rosenbrock            # verbose progress every 20 generations
 *
 * Prints the solution, its energy, the evaluations and generations used,
 * and why the run stopped. Exit status 0 on success. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "augur.h"

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

int main(void)
{
    const size_t n = 3;
    const double x0[3] = {0.8, 1.2, 0.7};
    const double lb[3] = {-5, -5, -5}, ub[3] = {5, 5, 5};

    augur_solver *s = augur_solver_create("nelder-mead", n);
    if (!s) {
        fprintf(stderr, "rosenbrock: cannot create the solver\n");
        return 1;
    }
    /* Progress to stdout every 20 generations; a history of every
     * generation kept in memory (we take a reference to read it after). */
    augur_monitor *history = augur_monitor_history(0);
    int rc = augur_solver_set_initial_point(s, x0);
    if (rc == AUGUR_OK)
        rc = augur_solver_set_bounds(s, lb, ub);
    if (rc == AUGUR_OK)
        rc = augur_solver_add_generation_monitor(s, augur_monitor_verbose(stdout, 20, 0));
    if (rc == AUGUR_OK)
        rc = augur_solver_add_generation_monitor(s, augur_monitor_ref(history));
    if (rc == AUGUR_OK)
        rc = augur_solver_set_evaluation_limits(s, 0, 10000);
    /* Stop when the simplex has collapsed, or after 30 generations without
     * a change of 1e-12, whichever comes first. */
    augur_termination *stop = augur_term_or(
        augur_term_candidate_relative_tolerance(1e-8, 1e-12),
        augur_term_change_over_generation(0, 30));
    if (rc == AUGUR_OK)
        rc = augur_solve(s, rosen, NULL, stop);
    else
        augur_term_destroy(stop);
    if (rc < 0) {
        fprintf(stderr, "rosenbrock: %s (%s)\n", augur_solver_errmsg(s),
                augur_strerror(rc));
        augur_solver_destroy(s);
        augur_monitor_destroy(history);
        return 1;
    }

    const double *x = augur_solver_best_solution(s);
    printf("solution:    [");
    for (size_t i = 0; i < n; i++)
        printf("%s%.10g", i ? ", " : "", x[i]);
    printf("]\n");
    printf("f:           %.6g\n", augur_solver_best_energy(s));
    printf("evaluations: %zu\n", augur_solver_evaluations(s));
    printf("generations: %zu\n", augur_solver_generations(s));
    printf("reason:      %s\n", augur_solver_termination_reason(s));
    printf("history:     %zu generation records\n", augur_history_length(history));

    int ok = augur_solver_best_energy(s) < 1e-8;
    augur_solver_destroy(s);
    augur_monitor_destroy(history);
    return ok ? 0 : 2;
}
