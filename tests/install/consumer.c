/* consumer.c - a program outside augur's source tree, built against an
 * installed augur (scripts/test-install.sh builds it four ways: pkg-config
 * and CMake, shared and static). It minimises Rosenbrock's function in 3
 * dimensions with Nelder-Mead and exits 0 only when the answer is the known
 * minimum (1, 1, 1), f = 0. */
#include <math.h>
#include <stdio.h>
#include <augur.h>

static double rosenbrock(const double *x, size_t n, void *data)
{
    (void)data;
    double f = 0;
    for (size_t i = 0; i + 1 < n; i++)
        f += 100 * pow(x[i + 1] - x[i] * x[i], 2) + pow(1 - x[i], 2);
    return f;
}

int main(void)
{
    augur_solver *s = augur_solver_create("nelder-mead", 3);
    if (!s) {
        fprintf(stderr, "consumer: cannot create the solver\n");
        return 1;
    }
    const double x0[3] = {-1.2, 1, 0.5};
    int rc = augur_solver_set_initial_point(s, x0);
    if (rc == AUGUR_OK)
        rc = augur_solve(s, rosenbrock, NULL,
                         augur_term_or(augur_term_vtr(1e-12, 0),
                                       augur_term_evaluation_limits(0, 20000)));
    if (rc < 0) {
        fprintf(stderr, "consumer: %s\n", augur_solver_errmsg(s));
        augur_solver_destroy(s);
        return 1;
    }
    const double *x = augur_solver_best_solution(s);
    double f = augur_solver_best_energy(s);
    int ok = f < 1e-8;
    for (int i = 0; i < 3; i++)
        ok = ok && fabs(x[i] - 1) < 1e-3;
    printf("consumer: augur %s, x = (%.6f, %.6f, %.6f), f = %.3g, %zu evaluations: %s\n",
           augur_version(), x[0], x[1], x[2], f, augur_solver_evaluations(s),
           ok ? "ok" : "WRONG");
    augur_solver_destroy(s);
    return ok ? 0 : 1;
}
