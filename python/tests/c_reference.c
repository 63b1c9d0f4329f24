/* c_reference.c - the runs the Python tests repeat, through the C API:
 * one line per solver with its counts and, as hex floats (%a, which
 * Python's float.fromhex reads), the answer, so the tests can demand the
 * same bits. The cost is the built-in Rosenbrock model, 3-D. */
#include <stdio.h>
#include "augur.h"

static int run(const char *type, int start_at_origin)
{
    const double lb[3] = {-5, -5, -5}, ub[3] = {5, 5, 5}, x0[3] = {0, 0, 0};
    augur_solver *s = augur_solver_create(type, 3);
    if (!s)
        return 1;
    augur_solver_set_seed(s, 7);
    augur_solver_set_bounds(s, lb, ub);
    if (start_at_origin)
        augur_solver_set_initial_point(s, x0);
    else
        augur_solver_set_random_initial_points(s, lb, ub);
    augur_solver_set_evaluation_limits(s, 0, 3000);
    int rc = augur_solve(s, augur_model_rosen, NULL, NULL);
    if (rc < 0) {
        fprintf(stderr, "%s: %s\n", type, augur_solver_errmsg(s));
        augur_solver_destroy(s);
        return 1;
    }
    const double *x = augur_solver_best_solution(s);
    printf("%s %d %zu %zu %a %a %a %a %s\n", type, start_at_origin,
           augur_solver_evaluations(s), augur_solver_generations(s),
           augur_solver_best_energy(s), x[0], x[1], x[2],
           augur_solver_termination_reason(s));
    augur_solver_destroy(s);
    return 0;
}

int main(void)
{
    int bad = 0;
    bad |= run("nelder-mead", 1);
    bad |= run("powell", 1);
    bad |= run("de", 0);
    bad |= run("de2", 0);
    bad |= run("cmaes", 0);
    bad |= run("pso", 0);
    bad |= run("nlopt:LN_BOBYQA", 1);
    bad |= run("gsl:nmsimplex2", 1);
    return bad;
}
