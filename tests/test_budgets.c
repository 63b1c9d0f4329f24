/* test_budgets.c - the evaluation limit is a hard cap on calls of the
 * user's cost (docs/RELIABILITY.md, "Budgets").
 *
 * Each solver minimises the 4-D Rastrigin function in [-5.12, 5.12]^4 (it
 * does not converge within the budget), seed 3, limit 1000 evaluations and
 * no other condition; the cost counts its own calls. Before the cap: de
 * made 1020 calls, powell 1039. Now every solver makes at most 1000, the
 * counter equals the calls, and the reason names the limit. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <stdatomic.h>
#include <string.h>
#include "augur.h"

static void setup(void)
{
    gsl_set_error_handler_off();
}

TestSuite(budgets, .init = setup, .timeout = 60);

static atomic_size_t calls;

static double counted_rastrigin(const double *x, size_t n, void *data)
{
    (void)data;
    atomic_fetch_add(&calls, 1);
    return augur_model_rastrigin(x, n, NULL);
}

static void capped(const char *type, const char *map)
{
    augur_solver *s = augur_solver_create(type, 4);
    cr_assert_not_null(s, "%s", type);
    double lb[4], ub[4], x0[4] = {3, -2, 4, 1};
    for (int i = 0; i < 4; i++)
        lb[i] = -5.12, ub[i] = 5.12;
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_seed(s, 3);
    augur_solver_set_evaluation_limits(s, AUGUR_UNLIMITED, 1000);
    augur_map *m = map ? augur_map_create(map, 2) : NULL;
    if (m)
        cr_assert_eq(augur_solver_set_map(s, m), AUGUR_OK, "%s", augur_solver_errmsg(s));
    atomic_store(&calls, 0);
    cr_assert_eq(augur_solve(s, counted_rastrigin, NULL,
                             augur_term_vtr(0, -1)),   /* never holds */
                 AUGUR_OK, "%s: %s", type, augur_solver_errmsg(s));
    /* fork workers count in their own memory: there the solver's count,
     * which equals the calls everywhere else */
    size_t made = map && strcmp(map, "fork") == 0 ? augur_solver_evaluations(s)
                                                  : atomic_load(&calls);
    cr_assert_leq(made, 1000, "%s%s%s: %zu calls", type, map ? " on " : "",
                  map ? map : "", made);
    cr_assert_eq(augur_solver_evaluations(s), made, "%s", type);
    /* a local method may finish on its own before (gsl:vector_bfgs2 does) */
    if (made == 1000)
        cr_assert_str_eq(augur_solver_termination_reason(s),
                         "EvaluationLimits(evaluations=1000)", "%s", type);
    augur_solver_destroy(s);
    augur_map_destroy(m);
}

Test(budgets, every_solver_holds_the_evaluation_limit)
{
    static const char *const types[] = {
        "de", "de2", "pso", "nelder-mead", "powell", "gsl:nmsimplex2",
        "gsl:vector_bfgs2", "nlopt:LN_BOBYQA", "nlopt:GN_CRS2_LM", "nlopt:LD_LBFGS",
    };
    for (size_t k = 0; k < sizeof types / sizeof types[0]; k++)
        capped(types[k], NULL);
}

Test(budgets, a_batch_on_a_map_is_cut_at_the_limit)
{
    capped("de2", "threads");
    capped("de2", "fork");
    capped("pso", "fork");
}
