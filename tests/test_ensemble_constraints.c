/* test_ensemble_constraints.c - ensembles with constraints and penalties:
 * mystic's constraint case "for Buckshot over each solver" (every inner
 * run applies the ensemble's mean and spread, on every map backend alike),
 * a penalty applied once by the inner runs and never again when the
 * ensemble replays them, the inner solver's own rules winning over the
 * ensemble's, and the start failing with a message when the ensemble's
 * rules have no written form. The ensembles' other behaviour is in
 * test_ensemble.c, solvers with constraints in test_constraints.c. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "mean_spread.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(ensemble_rules, .init = quiet_gsl);

#define N 5
#define NPTS 4

/* x has mean 5 and spread 5 to 1e-12, lies in [0, 100]^5, and f is 20. */
static void feasible(const char *what, const double *x, double f)
{
    double mean, spread;
    mean_and_spread(x, N, &mean, &spread);
    cr_assert(fabs(mean - 5) <= 1e-12, "%s: mean %.17g", what, mean);
    cr_assert(fabs(spread - 5) <= 1e-12, "%s: spread %.17g", what, spread);
    for (size_t i = 0; i < N; i++)
        cr_assert(x[i] >= 0 && x[i] <= 100, "%s: x[%zu] = %g", what, i, x[i]);
    cr_assert(fabs(f - 20) <= 1e-6, "%s: f = %.17g", what, f);
}

/* What a Buckshot run leaves, to compare backends bit for bit. */
typedef struct outcome {
    size_t count, evaluations;
    double f, best[N];
    double ends[NPTS * N], fs[NPTS];
    size_t evals[NPTS];
} outcome;

static augur_solver *buckshot(const char *inner)
{
    augur_solver *s = augur_solver_create("buckshot", N);
    cr_assert_not_null(s);
    augur_solver_set_seed(s, 1);
    cr_assert_eq(augur_solver_set_param(s, "npts", NPTS), AUGUR_OK);
    augur_solver *in = augur_solver_create(inner, N);
    cr_assert_not_null(in, "%s", inner);
    cr_assert_eq(augur_solver_set_nested(s, in), AUGUR_OK);
    double lb[N], ub[N];
    for (size_t i = 0; i < N; i++) {
        lb[i] = 0;
        ub[i] = 100;
    }
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_evaluation_limits(s, 0, 3000);
    return s;
}

static void mean5_spread5(augur_solver *s)
{
    augur_constraints *c = augur_constraints_create(N);
    augur_constraints_add_mean(c, 5);
    augur_constraints_add_spread(c, 5);
    cr_assert_eq(augur_solver_set_constraints(s, c), AUGUR_OK);
}

/* mystic's case through Buckshot over `inner` on `map` (NULL: none); with
 * an evaluation monitor every replayed inner evaluation is checked too. */
static void mystic_case(const char *inner, augur_map *map, int monitor, outcome *out)
{
    augur_solver *s = buckshot(inner);
    mean5_spread5(s);
    augur_solver_set_map(s, map);
    augur_monitor *evals = augur_monitor_history(0);
    if (monitor)
        augur_solver_add_evaluation_monitor(s, augur_monitor_ref(evals));
    int rc = augur_solve(s, abs_sum5, NULL, NULL);
    cr_assert_eq(rc, AUGUR_OK, "%s: %s", inner, augur_solver_errmsg(s));
    memset(out, 0, sizeof *out);
    const augur_inner_run *runs = augur_ensemble_runs(s, &out->count);
    cr_assert_eq(out->count, NPTS, "%s", inner);
    for (size_t k = 0; k < out->count; k++) {
        feasible(inner, runs[k].end, runs[k].f);
        memcpy(out->ends + N * k, runs[k].end, sizeof(double) * N);
        out->fs[k] = runs[k].f;
        out->evals[k] = runs[k].evaluations;
    }
    out->f = augur_solver_best_energy(s);
    memcpy(out->best, augur_solver_best_solution(s), sizeof out->best);
    feasible(inner, out->best, out->f);
    cr_assert_eq(out->f, abs_sum5(out->best, N, NULL), "%s: no penalty, f = cost(x)",
                 inner);
    out->evaluations = augur_solver_evaluations(s);
    cr_assert_eq(augur_history_length(evals), monitor ? out->evaluations : 0);
    for (size_t j = 0; j < augur_history_length(evals); j++)
        feasible(inner, augur_history_x(evals, j), augur_history_f(evals, j));
    augur_monitor_destroy(evals);
    augur_solver_destroy(s);
}

static void same(const char *what, const outcome *a, const outcome *b)
{
    cr_assert_eq(a->count, b->count, "%s", what);
    cr_assert_eq(a->evaluations, b->evaluations, "%s: %zu vs %zu", what, a->evaluations,
                 b->evaluations);
    cr_assert(memcmp(&a->f, &b->f, sizeof a->f) == 0, "%s", what);
    cr_assert_eq(memcmp(a->best, b->best, sizeof a->best), 0, "%s", what);
    cr_assert_eq(memcmp(a->ends, b->ends, sizeof a->ends), 0, "%s", what);
    cr_assert_eq(memcmp(a->fs, b->fs, sizeof a->fs), 0, "%s", what);
    cr_assert_eq(memcmp(a->evals, b->evals, sizeof a->evals), 0, "%s", what);
}

/* The registered map types among threads and fork, with 2 workers. */
static size_t parallel_maps(augur_map **maps)
{
    size_t count = 0;
    for (const char *const *t = augur_map_types(); *t; t++)
        if (strcmp(*t, "threads") == 0 || strcmp(*t, "fork") == 0)
            maps[count++] = augur_map_create(*t, 2);
    return count;
}

/* mystic's "for Buckshot over each solver": cost |sum(x) - 5| from
 * random starts in [0,100]^5 with mean 5 and spread 5 imposed on the
 * ensemble, Buckshot (npts 4, seed 1) over each solver, 3000 evaluations
 * per inner run. Every feasible point costs 20; the test is that every
 * inner run's end, the best and every replayed evaluation meet the
 * constraints, in the box, and that threads and fork give the same runs
 * as no map, bit for bit. */
Test(ensemble_rules, mystic_mean_and_spread_buckshot_over_each_solver, .timeout = 300)
{
    static const char *const inners[] = {"nelder-mead", "powell", "de", "de2", "pso",
                                         "nlopt:LN_BOBYQA", "gsl:nmsimplex2"};
    augur_map *maps[2];
    size_t nmaps = parallel_maps(maps), ran = 0;
    cr_assert_geq(nmaps, 1, "threads at least");
    for (size_t i = 0; i < sizeof inners / sizeof inners[0]; i++) {
        if (!augur_solver_type_find(inners[i]))
            continue;             /* a wrapper this build does not have */
        outcome ref, got;
        mystic_case(inners[i], NULL, 0, &ref);
        mystic_case(inners[i], NULL, 1, &got);
        same(inners[i], &ref, &got);
        for (size_t m = 0; m < nmaps; m++) {
            mystic_case(inners[i], maps[m], 1, &got);
            same(augur_map_type_name(maps[m]), &ref, &got);
        }
        ran++;
    }
    for (size_t m = 0; m < nmaps; m++)
        augur_map_destroy(maps[m]);
    cr_assert_geq(ran, 5, "nelder-mead, powell, de, de2 and pso at least");
}

/* --- A penalty is applied once ------------------------------------------- */

static double sphere33(const double *x, size_t n, void *data)
{
    (void)n, (void)data;
    return (x[0] - 3) * (x[0] - 3) + (x[1] - 3) * (x[1] - 3);
}

/* (x0-3)^2 + (x1-3)^2 with x0 + x1 <= 4 as a quadratic penalty (k 100) on
 * the ensemble: the inner runs add it, the ensemble's replay and summary
 * do not add it again, so every f reported is cost(x) + penalty(x) bit
 * for bit - with and without evaluation monitors, on every backend. */
Test(ensemble_rules, a_penalty_is_applied_once)
{
    for (int monitor = 0; monitor < 2; monitor++) {
        augur_solver *s = augur_solver_create("buckshot", 2);
        augur_solver_set_seed(s, 3);
        augur_solver_set_param(s, "npts", 3);
        augur_solver_set_nested(s, augur_solver_create("nelder-mead", 2));
        double lb[2] = {-5, -5}, ub[2] = {5, 5};
        augur_solver_set_bounds(s, lb, ub);
        augur_solver_set_evaluation_limits(s, 0, 400);
        augur_constraints *none;
        augur_penalty *p;
        char err[256];
        cr_assert_eq(augur_relations_parse("x0 + x1 <= 4", 2, NULL, &none, &p, err,
                                           sizeof err), AUGUR_OK, "%s", err);
        augur_solver_set_penalty(s, p);
        augur_monitor *evals = augur_monitor_history(0);
        if (monitor)
            augur_solver_add_evaluation_monitor(s, augur_monitor_ref(evals));
        cr_assert_eq(augur_solve(s, sphere33, NULL, NULL), AUGUR_OK, "%s",
                     augur_solver_errmsg(s));
        const double *x = augur_solver_best_solution(s);
        double f = augur_solver_best_energy(s);
        double want = sphere33(x, 2, NULL) + augur_penalty_value(p, x, 2, 0);
        cr_assert(memcmp(&f, &want, sizeof f) == 0, "f %.17g, cost + penalty %.17g",
                  f, want);
        /* the penalised minimum: x0 = x1 = 3212/1604, where the penalty is > 0 */
        cr_assert(fabs(x[0] - 3212.0 / 1604) < 1e-3 && fabs(x[1] - 3212.0 / 1604) < 1e-3,
                  "(%g, %g)", x[0], x[1]);
        cr_assert_gt(augur_penalty_value(p, x, 2, 0), 1e-3);
        for (size_t j = 0; j < augur_history_length(evals); j++) {
            const double *y = augur_history_x(evals, j);
            double g = augur_history_f(evals, j);
            double w = sphere33(y, 2, NULL) + augur_penalty_value(p, y, 2, 0);
            cr_assert(memcmp(&g, &w, sizeof g) == 0, "evaluation %zu: %.17g vs %.17g",
                      j, g, w);
        }
        cr_assert_eq(augur_history_length(evals),
                     monitor ? augur_solver_evaluations(s) : 0);
        augur_monitor_destroy(evals);
        augur_solver_destroy(s);
    }
}

/* --- The inner solver's own rules, and rules with no written form -------- */

static int callback(double *x, size_t n, void *data)
{
    (void)x, (void)n, (void)data;
    return 0;
}

static double user_penalty(const double *x, size_t n, size_t gen, void *data)
{
    (void)x, (void)n, (void)gen, (void)data;
    return 1000;
}

/* The inner solver's own constraints and penalty win, as its own bounds
 * do: the ensemble's (here a callback and a user penalty, which could not
 * go down) are neither handed down nor checked. */
Test(ensemble_rules, the_inner_solvers_own_rules_win)
{
    augur_solver *s = buckshot("nelder-mead");
    augur_constraints *c = augur_constraints_create(N);
    augur_constraints_add(c, callback, NULL);
    augur_solver_set_constraints(s, c);
    augur_solver_set_penalty(s, augur_penalty_user(user_penalty, NULL));
    augur_solver *in = augur_solver_create("nelder-mead", N);
    mean5_spread5(in);
    augur_constraints *none;
    augur_penalty *p;
    char err[256];
    cr_assert_eq(augur_relations_parse("x0 <= 100", N, NULL, &none, &p, err, sizeof err),
                 AUGUR_OK);
    augur_solver_set_penalty(in, p);
    augur_solver_set_nested(s, in);
    cr_assert_eq(augur_solve(s, abs_sum5, NULL, NULL), AUGUR_OK, "%s",
                 augur_solver_errmsg(s));
    feasible("own rules", augur_solver_best_solution(s), augur_solver_best_energy(s));
    augur_solver_destroy(s);
}

static void refused(augur_solver *s, const char *message)
{
    cr_assert_eq(augur_solve(s, abs_sum5, NULL, NULL), AUGUR_EUNSUP);
    cr_assert(strstr(augur_solver_errmsg(s), message), "%s\nwant: %s",
              augur_solver_errmsg(s), message);
    cr_assert_eq(augur_solver_evaluations(s), 0, "nothing ran");
    augur_solver_destroy(s);
}

Test(ensemble_rules, rules_with_no_written_form_fail_the_start)
{
    augur_solver *s = buckshot("powell");
    augur_constraints *c = augur_constraints_create(N);
    augur_constraints_add(c, callback, NULL);
    augur_solver_set_constraints(s, c);
    refused(s, "buckshot: cannot hand its constraints or penalty to the nested runs, "
               "which take them as text: constraint 0 is a callback");

    s = buckshot("powell");
    augur_solver_set_penalty(s, augur_penalty_user(user_penalty, NULL));
    refused(s, "which take them as text: penalty: a user penalty");

    s = buckshot("powell");
    augur_solver *in = augur_solver_create("de", N);
    c = augur_constraints_create(N);
    augur_constraints_add(c, callback, NULL);
    augur_solver_set_constraints(in, c);
    augur_solver_set_nested(s, in);
    refused(s, "buckshot: nested solver: de: constraint 0 is a callback");
}
