/* test_batch_cost.c - the batch-cost hook (augur_solve_batch): one call per
 * batch the algorithm asks for, the same accounting as the per-point path.
 *
 * Problem: the 3-D Rosenbrock model (augur_model_rosen), box [-5, 5]^3,
 * seed 7, 600 evaluations unless a test says otherwise. Each solver runs
 * twice, with the model as a per-point cost and with a batch cost calling
 * the model row by row; the runs must agree bit for bit: best point and
 * energy, counts, reason and the log of every evaluation (x and f, in
 * order). The batch cost also records the size of every call, so the
 * tests see that population solvers make one call per generation and that
 * no call passes the evaluation limit. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"

enum { N = 3, LOG_CAP = 4096, CALL_CAP = 4096 };

typedef struct evlog {
    size_t len;
    double x[LOG_CAP][N];
    double f[LOG_CAP];
} evlog;

typedef struct batches {
    size_t calls, rows;
    size_t m[CALL_CAP];
    size_t fail_at;               /* fail the call with this index + 1 (0: never) */
} batches;

static int log_evaluation(const augur_record *r, void *data)
{
    evlog *l = data;
    cr_assert_lt(l->len, LOG_CAP);
    memcpy(l->x[l->len], r->x, sizeof l->x[0]);
    l->f[l->len++] = r->f;
    return 0;
}

static int rosen_rows(const double *X, size_t m, size_t n, double *f, void *data)
{
    batches *b = data;
    cr_assert_eq(n, N);
    cr_assert_gt(m, 0);
    cr_assert_lt(b->calls, CALL_CAP);
    if (b->fail_at && b->calls + 1 == b->fail_at)
        return AUGUR_EFAILED;
    b->m[b->calls++] = m;
    b->rows += m;
    for (size_t k = 0; k < m; k++)
        f[k] = augur_model_rosen(X + k * n, n, NULL);
    return 0;
}

static augur_solver *make(const char *type, size_t max_evals, evlog *log)
{
    augur_solver *s = augur_solver_create(type, N);
    cr_assert_not_null(s);
    double lb[N] = {-5, -5, -5}, ub[N] = {5, 5, 5}, x0[N] = {-1.2, 1, 0.5};
    cr_assert_eq(augur_solver_set_bounds(s, lb, ub), AUGUR_OK);
    cr_assert_eq(augur_solver_set_initial_point(s, x0), AUGUR_OK);
    cr_assert_eq(augur_solver_set_seed(s, 7), AUGUR_OK);
    cr_assert_eq(augur_solver_set_evaluation_limits(s, AUGUR_UNLIMITED, max_evals),
                 AUGUR_OK);
    if (log)
        cr_assert_eq(augur_solver_add_evaluation_monitor(
                         s, augur_monitor_callback(log_evaluation, log)), AUGUR_OK);
    return s;
}

static double rosen(const double *x, size_t n, void *data)
{
    (void)data;
    return augur_model_rosen(x, n, NULL);
}

/* Run type both ways; the batch run's calls are left in *b. */
static void same_bits(const char *type, size_t max_evals, batches *b)
{
    evlog *la = calloc(1, sizeof *la), *lb = calloc(1, sizeof *lb);
    cr_assert(la && lb);
    augur_solver *a = make(type, max_evals, la), *c = make(type, max_evals, lb);
    cr_assert_geq(augur_solve(a, rosen, NULL, NULL), 0, "%s", augur_solver_errmsg(a));
    cr_assert_geq(augur_solve_batch(c, rosen_rows, b, NULL), 0, "%s",
                  augur_solver_errmsg(c));
    cr_assert_eq(augur_solver_evaluations(a), augur_solver_evaluations(c), "%s", type);
    cr_assert_eq(augur_solver_generations(a), augur_solver_generations(c), "%s", type);
    cr_assert_str_eq(augur_solver_termination_reason(a),
                     augur_solver_termination_reason(c));
    double fa = augur_solver_best_energy(a), fc = augur_solver_best_energy(c);
    cr_assert_eq(memcmp(&fa, &fc, sizeof fa), 0, "%s: %.17g vs %.17g", type, fa, fc);
    cr_assert_eq(memcmp(augur_solver_best_solution(a), augur_solver_best_solution(c),
                        N * sizeof(double)), 0, "%s", type);
    cr_assert_eq(la->len, lb->len);
    cr_assert_eq(la->len, augur_solver_evaluations(a));
    cr_assert_eq(memcmp(la->x, lb->x, la->len * sizeof la->x[0]), 0, "%s", type);
    cr_assert_eq(memcmp(la->f, lb->f, la->len * sizeof la->f[0]), 0, "%s", type);
    cr_assert_eq(b->rows, augur_solver_evaluations(c), "%s", type);
    augur_solver_destroy(a);
    augur_solver_destroy(c);
    free(la);
    free(lb);
}

/* Population solvers: one call per generation (generation 0 included), no
 * bigger than the population: de2's 30 (10 n), pso's 40, cmaes's 7
 * (4 + floor(3 ln 3)). */
static void whole_generations(const char *type, size_t npop)
{
    batches b = {0};
    same_bits(type, 600, &b);
    augur_solver *s = make(type, 600, NULL);
    cr_assert_geq(augur_solve_batch(s, rosen_rows, &(batches){0}, NULL), 0);
    size_t gens = augur_solver_generations(s);
    augur_solver_destroy(s);
    cr_assert_eq(b.calls, gens + 1, "%s: %zu calls for %zu generations", type,
                 b.calls, gens);
    size_t full = 0;
    for (size_t i = 0; i < b.calls; i++) {
        cr_assert_leq(b.m[i], npop, "%s: call %zu has %zu rows", type, i, b.m[i]);
        full += b.m[i] == npop;
    }
    /* every generation that the limit did not cut is whole (the box holds
     * this run's points: pso clips, de2 and cmaes keep them in) */
    cr_assert_geq(full, b.calls - 1, "%s: %zu of %zu calls whole", type, full, b.calls);
}

Test(batch_cost, de2_is_one_call_per_generation_with_the_same_bits)
{
    whole_generations("de2", 30);
}

Test(batch_cost, pso_is_one_call_per_generation_with_the_same_bits)
{
    whole_generations("pso", 40);
}

Test(batch_cost, cmaes_is_one_call_per_generation_with_the_same_bits)
{
    whole_generations("cmaes", 7);
}

Test(batch_cost, single_point_solvers_call_it_with_one_row)
{
    /* de (mystic's DifferentialEvolutionSolver) evaluates each trial, and
     * its first population, one point at a time */
    const char *types[] = {"nelder-mead", "powell", "de"};
    for (size_t t = 0; t < sizeof types / sizeof *types; t++) {
        batches b = {0};
        same_bits(types[t], 400, &b);
        cr_assert_gt(b.calls, 0);
        cr_assert_eq(b.calls, b.rows, "%s: a call had more than one row", types[t]);
    }
}

Test(batch_cost, the_evaluation_limit_cuts_the_last_batch)
{
    /* 95 = 3 whole generations of 30 and 5 rows of the fourth */
    batches b = {0};
    same_bits("de2", 95, &b);
    cr_assert_eq(b.rows, 95);
    cr_assert_eq(b.calls, 4);
    cr_assert_eq(b.m[3], 5);
    augur_solver *s = make("de2", 95, NULL);
    batches c = {0};
    cr_assert_eq(augur_solve_batch(s, rosen_rows, &c, NULL), AUGUR_OK);
    cr_assert_str_eq(augur_solver_termination_reason(s),
                     "EvaluationLimits(evaluations=95; generation 3 cut short)");
    augur_solver_destroy(s);
}

Test(batch_cost, a_failure_stops_the_run_and_is_not_counted)
{
    augur_solver *s = make("de2", 600, NULL);
    batches b = {.fail_at = 3};
    cr_assert_eq(augur_solve_batch(s, rosen_rows, &b, NULL), AUGUR_EFAILED);
    cr_assert_eq(augur_solver_evaluations(s), 60);   /* the two calls before */
    cr_assert(strstr(augur_solver_errmsg(s), "batch cost failed"), "%s",
              augur_solver_errmsg(s));
    augur_solver_destroy(s);
}

Test(batch_cost, only_the_serial_map_goes_with_it)
{
    augur_solver *s = make("de2", 300, NULL);
    augur_map *threads = augur_map_create("threads", 2);
    augur_map *serial = augur_map_create("serial", 1);
    cr_assert(threads && serial);
    cr_assert_eq(augur_solver_set_map(s, threads), AUGUR_OK);
    batches b = {0};
    cr_assert_eq(augur_solve_batch(s, rosen_rows, &b, NULL), AUGUR_EUNSUP);
    cr_assert(strstr(augur_solver_errmsg(s), "serial map only"), "%s",
              augur_solver_errmsg(s));
    cr_assert_eq(b.calls, 0);
    cr_assert_eq(augur_solver_set_map(s, serial), AUGUR_OK);
    cr_assert_eq(augur_solve_batch(s, rosen_rows, &b, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_set_map(s, threads), AUGUR_EUNSUP);
    augur_solver_destroy(s);

    /* the serial map changes nothing: the same calls as without a map */
    augur_solver *t = make("de2", 300, NULL);
    batches c = {0};
    cr_assert_eq(augur_solve_batch(t, rosen_rows, &c, NULL), AUGUR_OK);
    cr_assert_eq(b.calls, c.calls);
    cr_assert_eq(memcmp(b.m, c.m, c.calls * sizeof c.m[0]), 0);
    augur_solver_destroy(t);
    augur_map_destroy(threads);
    augur_map_destroy(serial);
}

Test(batch_cost, a_per_point_cost_replaces_it_and_null_reuses_it)
{
    augur_solver *s = make("de2", 120, NULL);
    batches b = {0};
    cr_assert_eq(augur_solver_set_batch_cost(s, rosen_rows, &b), AUGUR_OK);
    cr_assert_eq(augur_solver_step(s, NULL, NULL), AUGUR_OK);   /* generation 0 */
    cr_assert_eq(b.calls, 1);
    cr_assert_eq(augur_solver_step(s, rosen, NULL), AUGUR_OK);  /* per point now */
    cr_assert_eq(b.calls, 1);
    cr_assert_eq(augur_solver_evaluations(s), 60);
    cr_assert_eq(augur_solve_batch(s, NULL, NULL, NULL), AUGUR_EINVAL);
    augur_solver_destroy(s);
}
