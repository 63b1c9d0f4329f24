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
#include <stdio.h>
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
    /* a generation that asked for more than was left says so */
    const char *why = augur_solver_termination_reason(s);
    if (made == 1000)
        cr_assert(strcmp(why, "EvaluationLimits(evaluations=1000)") == 0 ||
                      (strncmp(why, "EvaluationLimits(evaluations=1000; generation ", 46)
                           == 0 && strstr(why, " cut short)")),
                  "%s: %s", type, why);
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

/* --- Ensembles ------------------------------------------------------------------ */

typedef struct outcome {
    double x[4], f;
    size_t evaluations, generations, runs;
    char reason[256];
} outcome;

/* Issue 11's case: buckshot with a limit of 100 and 1000 batches made
 * 598,789 calls, each inner run holding the limit on its own. Now the
 * limit is the ensemble's total: 8 runs of Nelder-Mead share the 100
 * evaluations of the first batch (12 or 13 each, fixed before dispatch),
 * the batch is cut short, and the same bits come out on every map. */
static outcome ensemble_run(const char *type, const char *map)
{
    augur_solver *s = augur_solver_create(type, 4);
    cr_assert_not_null(s, "%s", type);
    double lb[4], ub[4];
    for (int i = 0; i < 4; i++)
        lb[i] = -5.12, ub[i] = 5.12;
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_seed(s, 3);
    cr_assert_eq(augur_solver_set_param(s, "npts", 8), AUGUR_OK);
    cr_assert_eq(augur_solver_set_param(s, "batches", 1000), AUGUR_OK);
    cr_assert_eq(augur_solver_set_nested(s, augur_solver_create("nelder-mead", 4)), AUGUR_OK);
    augur_solver_set_evaluation_limits(s, 0, 100);
    augur_map *m = map ? augur_map_create(map, 2) : NULL;
    if (m)
        cr_assert_eq(augur_solver_set_map(s, m), AUGUR_OK, "%s", augur_solver_errmsg(s));
    atomic_store(&calls, 0);
    cr_assert_eq(augur_solve(s, counted_rastrigin, NULL, NULL), AUGUR_OK, "%s: %s", type,
                 augur_solver_errmsg(s));
    outcome o = {.f = augur_solver_best_energy(s),
                 .evaluations = augur_solver_evaluations(s),
                 .generations = augur_solver_generations(s)};
    memcpy(o.x, augur_solver_best_solution(s), sizeof o.x);
    augur_ensemble_runs(s, &o.runs);
    snprintf(o.reason, sizeof o.reason, "%s", augur_solver_termination_reason(s));
    size_t made = map && strcmp(map, "fork") == 0 ? o.evaluations : atomic_load(&calls);
    cr_assert_leq(made, 100, "%s on %s: %zu calls", type, map ? map : "serial", made);
    cr_assert_eq(o.evaluations, made, "%s", type);
    augur_solver_destroy(s);
    augur_map_destroy(m);
    return o;
}

Test(budgets, an_ensembles_limit_is_its_total_on_every_map)
{
    cr_assert_eq(augur_cost_register("budgets.rastrigin", counted_rastrigin, NULL),
                 AUGUR_OK);
    const char *types[] = {"buckshot", "lattice", "sparsity"};
    for (size_t t = 0; t < 3; t++) {
        outcome serial = ensemble_run(types[t], NULL);
        cr_assert_eq(serial.evaluations, 100, "%s: %zu", types[t], serial.evaluations);
        cr_assert(strstr(serial.reason, "EvaluationLimits(evaluations=100; batch 0 cut "
                                        "short"), "%s: %s", types[t], serial.reason);
        const char *maps[] = {"threads", "fork"};
        for (size_t k = 0; k < 2; k++) {
            outcome o = ensemble_run(types[t], maps[k]);
            cr_assert(memcmp(o.x, serial.x, sizeof o.x) == 0 && o.f == serial.f,
                      "%s on %s: another answer", types[t], maps[k]);
            cr_assert_eq(o.evaluations, serial.evaluations, "%s on %s", types[t], maps[k]);
            cr_assert_eq(o.generations, serial.generations, "%s on %s", types[t], maps[k]);
            cr_assert_eq(o.runs, serial.runs, "%s on %s", types[t], maps[k]);
            cr_assert_str_eq(o.reason, serial.reason, "%s on %s", types[t], maps[k]);
        }
    }
}
