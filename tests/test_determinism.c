/* test_determinism.c - the same seed gives the same answer on every map
 * backend: best x, f, evaluations, generations and the whole evaluation
 * log, bit for bit, for DE2, PSO and CMA-ES (whose generations are
 * batches) and for DE (whose initial population is), on serial, threads
 * 1-4 and fork 1-4. The MPI backend runs the same comparison under mpirun
 * (test_maps_mpi). */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <string.h>
#include "augur.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(determinism, .init = quiet_gsl);

enum { N = 4, MAX_EVALS = 3000 };

typedef struct outcome {
    double x[N], f;
    size_t evaluations, generations;
    double log_f[MAX_EVALS + 200];
    double log_x0[MAX_EVALS + 200];
    size_t log_len;
} outcome;

static void solve_on(const char *solver, augur_map *map, outcome *out)
{
    const augur_model *m = augur_model_find("rastrigin");
    double lb[N], ub[N];
    augur_model_box(m, N, lb, ub);
    augur_solver *s = augur_solver_create(solver, N);
    augur_solver_set_seed(s, 7);
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_evaluation_limits(s, AUGUR_UNLIMITED, MAX_EVALS);
    augur_solver_set_map(s, map);
    augur_monitor *log = augur_monitor_history(0);
    augur_solver_add_evaluation_monitor(s, augur_monitor_ref(log));
    cr_assert_geq(augur_solve(s, m->cost, NULL, NULL), 0, "%s: %s", solver,
                  augur_solver_errmsg(s));
    memset(out, 0, sizeof *out);
    memcpy(out->x, augur_solver_best_solution(s), sizeof out->x);
    out->f = augur_solver_best_energy(s);
    out->evaluations = augur_solver_evaluations(s);
    out->generations = augur_solver_generations(s);
    out->log_len = augur_history_length(log);
    cr_assert_leq(out->log_len, MAX_EVALS + 200);
    for (size_t k = 0; k < out->log_len; k++) {
        out->log_f[k] = augur_history_f(log, k);
        out->log_x0[k] = augur_history_x(log, k)[0];
    }
    augur_solver_destroy(s);
    augur_monitor_destroy(log);
}

static void same(const outcome *a, const outcome *b, const char *what)
{
    cr_assert_eq(memcmp(a->x, b->x, sizeof a->x), 0, "%s: best x differs", what);
    cr_assert_eq(a->f, b->f, "%s: f %.17g vs %.17g", what, a->f, b->f);
    cr_assert_eq(a->evaluations, b->evaluations, "%s: evaluations", what);
    cr_assert_eq(a->generations, b->generations, "%s: generations", what);
    cr_assert_eq(a->log_len, b->log_len, "%s: log length", what);
    cr_assert_eq(memcmp(a->log_f, b->log_f, a->log_len * sizeof(double)), 0,
                 "%s: evaluation log (f) differs", what);
    cr_assert_eq(memcmp(a->log_x0, b->log_x0, a->log_len * sizeof(double)), 0,
                 "%s: evaluation log (x) differs", what);
}

static void every_backend(const char *solver)
{
    static outcome ref, got;
    solve_on(solver, NULL, &ref);
    cr_assert_gt(ref.evaluations, 0);
    int compared = 0;
    for (const char *const *t = augur_map_types(); *t; t++) {
        if (strcmp(*t, "mpi") == 0)
            continue;
        int most = strcmp(*t, "serial") == 0 ? 1 : 4;
        for (int w = 1; w <= most; w++)
            for (int sched = 0; sched < 2; sched++) {
                augur_map *map = augur_map_create(*t, w);
                cr_assert_not_null(map, "%s x%d", *t, w);
                augur_map_set_schedule(map, (augur_schedule)sched);
                solve_on(solver, map, &got);
                char what[96];
                snprintf(what, sizeof what, "%s on %s x%d schedule %d", solver, *t, w,
                         sched);
                same(&ref, &got, what);
                augur_map_destroy(map);
                compared++;
            }
    }
    cr_assert_geq(compared, 2);
}

Test(determinism, de2_same_on_every_backend)
{
    every_backend("de2");
}

Test(determinism, pso_same_on_every_backend)
{
    every_backend("pso");
}

Test(determinism, de_same_on_every_backend)
{
    every_backend("de");
}

Test(determinism, cmaes_same_on_every_backend)
{
    every_backend("cmaes");
}

/* A map's workers see the cost as it is when the solve starts. */
static double offset_cost(const double *x, size_t n, void *data)
{
    double f = *(const double *)data;
    for (size_t i = 0; i < n; i++)
        f += x[i] * x[i];
    return f;
}

Test(determinism, workers_see_the_data_of_the_current_solve)
{
    for (const char *const *t = augur_map_types(); *t; t++) {
        if (strcmp(*t, "mpi") == 0)
            continue;
        augur_map *map = augur_map_create(*t, 2);
        static double offset;
        double lb[2] = {-1, -1}, ub[2] = {1, 1};
        for (int round = 0; round < 2; round++) {
            offset = round ? 100 : 0;
            augur_solver *s = augur_solver_create("pso", 2);
            augur_solver_set_seed(s, 1);
            augur_solver_set_bounds(s, lb, ub);
            augur_solver_set_evaluation_limits(s, 5, AUGUR_UNLIMITED);
            augur_solver_set_map(s, map);
            cr_assert_geq(augur_solve(s, offset_cost, &offset, NULL), 0);
            cr_assert_geq(augur_solver_best_energy(s), offset, "%s round %d", *t, round);
            cr_assert_lt(augur_solver_best_energy(s), offset + 2, "%s round %d", *t, round);
            augur_solver_destroy(s);
        }
        augur_map_destroy(map);
    }
}
