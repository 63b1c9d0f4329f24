/* test_constraints.c - constraints and penalties attached to solvers.
 *
 * Solver tests state their problem, seed, budget and accuracy. The pain
 * points of mystic's issue tracker each have a test here showing they do
 * not happen: #148 (reported f differs from cost(reported x)), #153
 * (penalties and cost evaluated outside the bounds), #157 (points pushed
 * outside the box by constraints; here: pulled back or rejected, never
 * evaluated) and #159 (Powell from an out-of-bounds start gives inf and 0
 * evaluations). The Rosenbrock function is the library's augur_model_rosen.
 * Unit tests of the built-ins, penalties and the written form follow in
 * test_relations.c. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>
#include "augur.h"
#include "mean_spread.h"
#include "augur/plugin.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(constraints, .init = quiet_gsl);

static int inside(const double *x, size_t n, const double *lb, const double *ub)
{
    for (size_t i = 0; i < n; i++)
        if (!(x[i] >= lb[i] && x[i] <= ub[i]))
            return 0;
    return 1;
}

/* --- mystic's constraint case on every solver ------------------------- */

/* Solver types this test runs: every registered one but test doubles,
 * ensembles (Buckshot over each solver, with the constraints handed to
 * its inner runs, is in test_ensemble_constraints.c) and, of the library
 * wrappers, a few representatives. */
static int wanted(const char *name)
{
    static const char *const skipped[] = {"test-", "buckshot", "lattice", "sparsity",
                                          "ipop"};
    static const char *const wrapped[] = {"nlopt:LN_BOBYQA", "nlopt:LN_COBYLA",
                                          "gsl:nmsimplex2"};
    for (size_t k = 0; k < 5; k++)
        if (strncmp(name, skipped[k], strlen(skipped[k])) == 0)
            return 0;
    for (size_t k = 0; k < 3; k++)
        if (strcmp(name, wrapped[k]) == 0)
            return 1;
    return strchr(name, ':') == NULL;
}

/* Cost |sum(x) - 5| from x0 = (1,2,3,4,5) in [0,100]^5 with mean 5 and
 * spread 5 imposed; seed 1, at most 3000 evaluations. Every feasible point
 * has sum 25, so cost 20: the test is that the reported point is feasible
 * (mean and spread to 1e-12), in the box, and costs what is reported. */
Test(constraints, mystic_mean_and_spread_on_every_solver)
{
    const augur_solver_type *const *types = augur_solver_types();
    double x0[5] = {1, 2, 3, 4, 5}, lb[5], ub[5];
    size_t ran = 0;
    for (size_t i = 0; i < 5; i++) {
        lb[i] = 0;
        ub[i] = 100;
    }
    for (size_t t = 0; types[t]; t++) {
        if (!wanted(types[t]->name))
            continue;
        augur_solver *s = augur_solver_create(types[t]->name, 5);
        cr_assert_not_null(s, "%s", types[t]->name);
        augur_constraints *c = augur_constraints_create(5);
        augur_constraints_add_mean(c, 5);
        augur_constraints_add_spread(c, 5);
        cr_assert_eq(augur_solver_set_constraints(s, c), AUGUR_OK);
        augur_solver_set_bounds(s, lb, ub);
        augur_solver_set_initial_point(s, x0);
        augur_solver_set_seed(s, 1);
        augur_solver_set_evaluation_limits(s, 0, 3000);
        int rc = augur_solve(s, abs_sum5, NULL, NULL);
        cr_assert_geq(rc, 0, "%s: %s", types[t]->name, augur_solver_errmsg(s));
        const double *x = augur_solver_best_solution(s);
        double f = augur_solver_best_energy(s);
        cr_assert_not_null(x, "%s", types[t]->name);
        double mean, spread;
        mean_and_spread(x, 5, &mean, &spread);
        cr_assert(fabs(mean - 5) <= 1e-12, "%s: mean %.17g", types[t]->name, mean);
        cr_assert(fabs(spread - 5) <= 1e-12, "%s: spread %.17g", types[t]->name, spread);
        cr_assert(fabs(f - 20) <= 1e-6, "%s: f = %.17g", types[t]->name, f);
        cr_assert(inside(x, 5, lb, ub), "%s: outside the box", types[t]->name);
        cr_assert_eq(f, abs_sum5(x, 5, NULL), "%s: f %.17g, cost(x) %.17g",
                     types[t]->name, f, abs_sum5(x, 5, NULL));
        augur_solver_destroy(s);
        ran++;
    }
    cr_assert_geq(ran, 5, "nelder-mead, powell, de, de2 and pso at least");
}

/* --- Rosenbrock with a written inequality ------------------------------ */

/* mystic's example: 3-D Rosenbrock in [1e-4, 2e-4]^3 with x0 + x1 + x2 <=
 * 5e-4, from the written form as a linear inequality penalty (k = 100: an
 * exact penalty here, as its slope 200 exceeds the cost's gradient, about
 * 2, so the penalised minimum is feasible; the quadratic default leaves
 * DE 2e-7 outside). Minimum 1.999205 at (2e-4, 2e-4, 1e-4), where the
 * constraint is just active. Seed 3, random start in the box, at most
 * 20000 evaluations, default terminations but Nelder-Mead's (its default
 * CRT(1e-4, 1e-4) is coarser than this box). f within 5e-4 (mystic's
 * tolerance) and within 1e-7 of cost(2e-4, 2e-4, 1e-4), the sum at most
 * 5e-4 + 1e-12, x in the box. */
Test(constraints, rosenbrock_with_a_written_inequality)
{
    static const char *const solvers[] = {"nelder-mead", "powell", "de", "de2", "pso"};
    double lb[3] = {1e-4, 1e-4, 1e-4}, ub[3] = {2e-4, 2e-4, 2e-4};
    double fmin = augur_model_rosen((double[]){2e-4, 2e-4, 1e-4}, 3, NULL);
    augur_relation_options linear = {.inequality = AUGUR_PENALTY_LINEAR_INEQUALITY};
    for (size_t k = 0; k < 5; k++) {
        augur_constraints *c;
        augur_penalty *p;
        char err[256];
        cr_assert_eq(augur_relations_parse("x0 + x1 + x2 <= 5e-4", 3, &linear, &c, &p,
                                           err, sizeof err), AUGUR_OK, "%s", err);
        cr_assert_null(c);
        augur_solver *s = augur_solver_create(solvers[k], 3);
        augur_solver_set_penalty(s, p);
        augur_solver_set_bounds(s, lb, ub);
        augur_solver_set_random_initial_points(s, lb, ub);
        augur_solver_set_seed(s, 3);
        augur_solver_set_evaluation_limits(s, 0, 20000);
        augur_termination *t =
            k == 0 ? augur_term_candidate_relative_tolerance(1e-12, 1e-12) : NULL;
        cr_assert_geq(augur_solve(s, augur_model_rosen, NULL, t), 0, "%s: %s",
                      solvers[k], augur_solver_errmsg(s));
        const double *x = augur_solver_best_solution(s);
        double f = augur_solver_best_energy(s), sum = x[0] + x[1] + x[2];
        cr_assert(fabs(f - 1.999205) <= 5e-4, "%s: f = %.10g", solvers[k], f);
        cr_assert(fabs(f - fmin) <= 1e-7, "%s: f = %.10g", solvers[k], f);
        cr_assert(sum <= 5e-4 + 1e-12, "%s: sum %.17g", solvers[k], sum);
        cr_assert(inside(x, 3, lb, ub), "%s: outside the box", solvers[k]);
        augur_solver_destroy(s);
    }
}

/* --- An integer program -------------------------------------------------- */

static double near_integers(const double *x, size_t n, void *data)
{
    (void)n;
    (void)data;
    double a = x[0] - 2.4, b = x[1] + 1.6, c = x[2] - 0.7;
    return a * a + b * b + c * c;
}

/* min (x0-2.4)^2 + (x1+1.6)^2 + (x2-0.7)^2 over integers in [-5,5]^3: the
 * optimum (2,-2,1), f = 0.41. DE and PSO, seeds 1..3, 3000 evaluations;
 * the answer must be exact. */
Test(constraints, integer_program_de_and_pso)
{
    static const char *const solvers[] = {"de", "pso"};
    double lb[3] = {-5, -5, -5}, ub[3] = {5, 5, 5}, best[3] = {2, -2, 1};
    for (size_t k = 0; k < 2; k++)
        for (uint64_t seed = 1; seed <= 3; seed++) {
            augur_solver *s = augur_solver_create(solvers[k], 3);
            augur_constraints *c = augur_constraints_create(3);
            for (size_t i = 0; i < 3; i++)
                augur_constraints_add_integer(c, i);
            augur_solver_set_constraints(s, c);
            augur_solver_set_bounds(s, lb, ub);
            augur_solver_set_seed(s, seed);
            augur_solver_set_evaluation_limits(s, 0, 3000);
            cr_assert_geq(augur_solve(s, near_integers, NULL, NULL), 0, "%s",
                          augur_solver_errmsg(s));
            const double *x = augur_solver_best_solution(s);
            cr_assert_eq(memcmp(x, best, sizeof best), 0, "%s seed %d: (%g, %g, %g)",
                         solvers[k], (int)seed, x[0], x[1], x[2]);
            cr_assert_eq(augur_solver_best_energy(s), near_integers(best, 3, NULL));
            cr_assert(fabs(augur_solver_best_energy(s) - 0.41) < 1e-15);
            augur_solver_destroy(s);
        }
}

/* --- mystic#148: the reported f is what the reported x costs ----------- */

static double x0_minus(const double *x, size_t n, void *data)
{
    (void)n;
    return x[0] - *(const double *)data;
}

/* DE2, seed 5, 4000 evaluations: 3-D Rosenbrock in [0,2]^3 with sum(x) =
 * 2.5 (a mapping) and x0 <= 0.7 (a penalty). The reported f must equal
 * cost(x) + penalty(x) bit for bit, and x meet the mapping. */
Test(constraints, mystic148_reported_f_is_cost_of_reported_x)
{
    static const double limit = 0.7;
    double lb[3] = {0, 0, 0}, ub[3] = {2, 2, 2};
    augur_solver *s = augur_solver_create("de2", 3);
    augur_constraints *c = augur_constraints_create(3);
    augur_constraints_add_sum(c, 2.5);
    augur_solver_set_constraints(s, c);
    augur_solver_set_penalty(
        s, augur_penalty_quadratic_inequality(x0_minus, (void *)&limit, 0, 0));
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_seed(s, 5);
    augur_solver_set_evaluation_limits(s, 0, 4000);
    cr_assert_geq(augur_solve(s, augur_model_rosen, NULL, NULL), 0, "%s",
                  augur_solver_errmsg(s));
    const double *x = augur_solver_best_solution(s);
    double want = augur_model_rosen(x, 3, NULL) +
                  augur_penalty_value(augur_solver_penalty(s), x, 3, 0);
    cr_assert_eq(augur_solver_best_energy(s), want, "f %.17g, cost + penalty %.17g",
                 augur_solver_best_energy(s), want);
    cr_assert(augur_constraints_satisfied(augur_solver_constraints(s), x));
    cr_assert(inside(x, 3, lb, ub));
    augur_solver_destroy(s);
}

/* --- mystic#153 and #157: nothing is evaluated outside the box ---------- */

typedef struct watch {
    double lb[2], ub[2];
    size_t calls, outside;
} watch;

static watch seen;

static double watched_cost(const double *x, size_t n, void *data)
{
    (void)data;
    seen.calls++;
    seen.outside += !inside(x, n, seen.lb, seen.ub);
    return augur_model_rosen(x, n, NULL);
}

static double watched_penalty(const double *x, size_t n, size_t generation, void *data)
{
    (void)generation;
    (void)data;
    seen.outside += !inside(x, n, seen.lb, seen.ub);
    return x[0] > 0.8 ? 10 * (x[0] - 0.8) : 0;
}

/* Pushes x0 outward, often out of the box: clipping brings it back only
 * for some points. */
static int push_out(double *x, size_t n, void *data)
{
    (void)n;
    (void)data;
    x[0] = 1.6 * x[0] - 0.1;
    return 0;
}

/* Nelder-Mead, DE (bound policy wall, so trials leave the box), DE2, PSO
 * and Powell from (0, 0), seed 2, 1500 evaluations, on [-0.5, 1]^2 with
 * the mapping above (feasible for x0 in [-0.25, 0.6875]) and a user
 * penalty: neither the cost nor the penalty ever sees a point
 * outside the box, and the best point is inside. */
Test(constraints, mystic153_157_nothing_evaluated_outside_the_box)
{
    static const char *const solvers[] = {"nelder-mead", "de", "de2", "pso", "powell"};
    seen = (watch){.lb = {-0.5, -0.5}, .ub = {1, 1}};
    for (size_t k = 0; k < 5; k++) {
        augur_solver *s = augur_solver_create(solvers[k], 2);
        if (strcmp(solvers[k], "de") == 0)
            augur_solver_set_param_string(s, "bound-policy", "wall");
        augur_constraints *c = augur_constraints_create(2);
        augur_constraints_add(c, push_out, NULL);
        augur_solver_set_constraints(s, c);
        augur_solver_set_penalty(s, augur_penalty_user(watched_penalty, NULL));
        augur_solver_set_bounds(s, seen.lb, seen.ub);
        augur_solver_set_initial_point(s, (double[]){0, 0});
        augur_solver_set_seed(s, 2);
        augur_solver_set_evaluation_limits(s, 0, 1500);
        size_t before = seen.calls;
        cr_assert_geq(augur_solve(s, watched_cost, NULL, NULL), 0, "%s: %s",
                      solvers[k], augur_solver_errmsg(s));
        cr_assert_gt(seen.calls, before, "%s evaluated nothing", solvers[k]);
        cr_assert_eq(seen.outside, 0, "%s: %zu calls outside", solvers[k], seen.outside);
        cr_assert(inside(augur_solver_best_solution(s), 2, seen.lb, seen.ub));
        augur_solver_destroy(s);
    }
}

/* A test double that evaluates given points once, to see exactly what
 * the evaluation path does with each. */
static const double *probe_points;
static size_t probe_count;
static double probe_f[8];

static int probe_start(augur_solver *s, void *state)
{
    (void)state;
    for (size_t k = 0; k < probe_count; k++)
        probe_f[k] = augur_solver_evaluate(s, probe_points + 2 * k);
    augur_solver_finished(s, "probed");
    return AUGUR_OK;
}

static int probe_step(augur_solver *s, void *state)
{
    (void)s;
    (void)state;
    return AUGUR_OK;
}

static const augur_solver_type probe_type = {
    .name = "test-probe",
    .doc = "evaluates the points it is given, once",
    .state_size = 1,
    .start = probe_start,
    .step = probe_step,
};

static int after_then_order(double *x, size_t n, void *data)
{
    (void)n;
    (void)data;
    x[0] += 1;
    if (x[0] > x[1]) {            /* then x0 <= x1, by swapping */
        double t = x[0];
        x[0] = x[1];
        x[1] = t;
    }
    return 0;
}

/* In [0,10]^2, x0 += 1 then order: (9.5, 3) maps to (3, 10.5), outside;
 * clipped to (3, 10) it maps to (4, 10), inside: pulled back. (9.6, 9.8)
 * maps to (9.8, 10.6) and keeps leaving: rejected (+inf, uncounted).
 * (2, 5) maps to (3, 5) at once. */
Test(constraints, mystic157_pushed_outside_pulled_back_or_rejected)
{
    augur_solver_type_register(&probe_type);
    double pts[6] = {9.5, 3, 9.6, 9.8, 2, 5}, lb[2] = {0, 0}, ub[2] = {10, 10};
    probe_points = pts;
    probe_count = 3;
    seen = (watch){.lb = {0, 0}, .ub = {10, 10}};
    augur_solver *s = augur_solver_create("test-probe", 2);
    augur_constraints *c = augur_constraints_create(2);
    augur_constraints_add(c, after_then_order, NULL);
    augur_solver_set_constraints(s, c);
    augur_solver_set_bounds(s, lb, ub);
    augur_monitor *log = augur_monitor_history(0);
    augur_solver_add_evaluation_monitor(s, augur_monitor_ref(log));
    cr_assert_eq(augur_solve(s, watched_cost, NULL, NULL), AUGUR_OK, "%s",
                 augur_solver_errmsg(s));
    cr_assert_eq(seen.outside, 0);
    cr_assert_eq(augur_solver_evaluations(s), 2);
    cr_assert_eq(augur_history_length(log), 2);
    double a[2] = {4, 10}, b[2] = {3, 5};
    cr_assert_eq(memcmp(augur_history_x(log, 0), a, sizeof a), 0);
    cr_assert_eq(memcmp(augur_history_x(log, 1), b, sizeof b), 0);
    cr_assert_eq(probe_f[0], augur_model_rosen(a, 2, NULL));
    cr_assert(isinf(probe_f[1]) && probe_f[1] > 0);
    cr_assert_eq(probe_f[2], augur_model_rosen(b, 2, NULL));
    augur_solver_destroy(s);
    augur_monitor_destroy(log);
}

/* --- mystic#159: an out-of-bounds start is an error -------------------- */

Test(constraints, mystic159_powell_out_of_bounds_start_is_an_error)
{
    double lb[2] = {0, 0}, ub[2] = {1, 1}, x0[2] = {0.5, 3};
    augur_solver *s = augur_solver_create("powell", 2);
    augur_constraints *c = augur_constraints_create(2);
    augur_constraints_add_sum(c, 1);   /* constraints do not hide the error */
    augur_solver_set_constraints(s, c);
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_EBOUNDS);
    cr_assert(strstr(augur_solver_errmsg(s), "x0[1] = 3 is outside the bounds [0, 1]"),
              "%s", augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_evaluations(s), 0);
    cr_assert_null(augur_solver_best_solution(s));
    augur_solver_destroy(s);
}

/* --- Signs and maps ------------------------------------------------------ */

static double peak_at_2(const double *x, size_t n, void *data)
{
    (void)n;
    (void)data;
    return -(x[0] - 2) * (x[0] - 2) - x[1] * x[1];
}

/* Maximising with x0 <= 1 as a penalty (k = 100): the penalty makes a
 * point worse in either sense, so at (2, 0), where the cost is 0 and the
 * violation 1, the reported maximum is 0 - 2*100*1^2 = -200. */
Test(constraints, a_maximising_solver_subtracts_the_penalty)
{
    static const double one = 1;
    augur_solver_type_register(&probe_type);
    double pts[2] = {2, 0};
    probe_points = pts;
    probe_count = 1;
    augur_solver *s = augur_solver_create("test-probe", 2);
    augur_solver_set_param(s, "maximize", 1);
    augur_solver_set_penalty(
        s, augur_penalty_quadratic_inequality(x0_minus, (void *)&one, 0, 0));
    cr_assert_eq(augur_solve(s, peak_at_2, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_best_energy(s), -200);
    augur_solver_destroy(s);
}

typedef struct run {
    double x[4], f;
    size_t evaluations, generations;
    double hist[400];
} run;

static void constrained_de2(augur_map *map, run *out)
{
    double lb[4] = {-2, -2, -2, -2}, ub[4] = {2, 2, 2, 2};
    augur_constraints *c;
    augur_penalty *p;
    char err[256];
    cr_assert_eq(augur_relations_parse("x3 == x0 - x1\nx0 + x2 <= 1.5\nx1 >= -0.5", 4,
                                       NULL, &c, &p, err, sizeof err),
                 AUGUR_OK, "%s", err);
    augur_constraints_add_discrete(c, 2, (double[]){-1, 0, 0.5, 1}, 4);
    augur_solver *s = augur_solver_create("de2", 4);
    augur_solver_set_constraints(s, c);
    augur_solver_set_penalty(s, p);
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_seed(s, 11);
    augur_solver_set_evaluation_limits(s, 0, 3000);
    augur_solver_set_map(s, map);
    cr_assert_geq(augur_solve(s, augur_model_rosen, NULL, NULL), 0, "%s",
                  augur_solver_errmsg(s));
    memset(out, 0, sizeof *out);
    memcpy(out->x, augur_solver_best_solution(s), sizeof out->x);
    out->f = augur_solver_best_energy(s);
    out->evaluations = augur_solver_evaluations(s);
    out->generations = augur_solver_generations(s);
    size_t len;
    const double *h = augur_solver_energy_history(s, &len);
    cr_assert_leq(len, 400);
    memcpy(out->hist, h, len * sizeof *h);
    augur_solver_destroy(s);
}

/* DE2 with a mapping, a discrete set and penalties, seed 11, 3000
 * evaluations: the same bytes on no map, serial and threads(2). */
Test(constraints, constrained_de2_is_the_same_on_every_map)
{
    run none, serial, threads;
    constrained_de2(NULL, &none);
    augur_map *m = augur_map_create("serial", 1);
    constrained_de2(m, &serial);
    augur_map_destroy(m);
    cr_assert_eq(memcmp(&none, &serial, sizeof none), 0, "serial differs");
    int have_threads = 0;
    for (const char *const *t = augur_map_types(); *t; t++)
        have_threads |= strcmp(*t, "threads") == 0;
    if (!have_threads)
        return;
    m = augur_map_create("threads", 2);
    constrained_de2(m, &threads);
    augur_map_destroy(m);
    cr_assert_eq(memcmp(&none, &threads, sizeof none), 0, "threads differs");
    cr_assert_eq(none.x[3], none.x[0] - none.x[1]);
}
