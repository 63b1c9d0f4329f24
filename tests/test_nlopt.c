/* test_nlopt.c - NLopt's algorithms as augur solver types ("nlopt:<NAME>").
 *
 * The problem throughout: the 3-D Rosenbrock, sum 100 (x[i+1] - x[i]^2)^2
 * + (1 - x[i])^2, minimum 0 at (1, 1, 1), in the box [-5, 5]^3 from
 * x0 = (-1.2, 1, 1.5), seed 7 unless a test says otherwise. Every run also
 * checks that our evaluation counter equals the cost's own call count.
 *
 * Per-algorithm outcome (NLopt 2.7.1, Debian): budget = evaluation limit,
 * f = the best energy it must reach; "own" = NLopt stops on its own
 * criterion (xtol_rel 1e-10, ftol_rel 1e-14) first, at about that count.
 *
 *   algorithm                  budget   f <      measured
 *   LN_BOBYQA                    1000   1e-10    2e-22, own at 354
 *   LN_COBYLA                   30000   1e-3     3.6e-5 (linear models crawl
 *                                                along the valley; own at
 *                                                72778 with 1e-13)
 *   LN_NEWUOA                    1000   1e-10    3e-21, own at 314
 *   LN_NEWUOA_BOUND              1000   1e-8     7e-11, own at 271
 *   LN_NELDERMEAD                2000   1e-10    7e-21, own at 546
 *   LN_SBPLX                    30000   1e-8     5e-12 (slow from this x0;
 *                                                own at 41268)
 *   LN_PRAXIS                    1000   1e-10    6e-25, own at 396
 *   LN_AUGLAG(_EQ), AUGLAG(_EQ)  1000   1e-10    3e-15, own at 326 (local
 *                                                LN_BOBYQA; no constraints)
 *   GN_DIRECT                   30000   1e-10    7e-21 (unlocalised DIRECT
 *                                                is slow: 1e-2 at 3000)
 *   GN_DIRECT_L(_RAND)(_NOSCAL),
 *   GN_DIRECT_NOSCAL             3000   1e-10    6e-14
 *   GN_ORIG_DIRECT              30000   1e-10    7e-16, own at 18164
 *   GN_ORIG_DIRECT_L            10000   1e-10    7e-16, own at 3568
 *   GN_CRS2_LM                  10000   1e-10    2e-18, own at 4994
 *   GN_ISRES                    30000   1e-3     1.4e-5 (an evolution
 *                                                strategy: slow, stochastic)
 *   GN_ESCH                     30000   2        0.79: cannot. ESCH stalls in
 *                                                the curved valley (0.60 at
 *                                                100000; 0.1-0.5 over seeds
 *                                                1-3); only the valley is
 *                                                asked of it
 *   GN_MLSL(_LDS), G_MLSL(_LDS)  3000   1e-10    1e-16 (local LN_BOBYQA)
 *   GN_AGS, GD_STOGO(_RAND)         -   -        not compiled in Debian's
 *                                                NLopt: not listed, skipped
 * Gradient-based (central differences, 2n + 1 evaluations a gradient):
 *   LD_LBFGS, LD_VAR1, LD_VAR2,
 *   LD_TNEWTON(_...), LD_SLSQP   2000   1e-12    1e-16, own at 480-990
 *   LD_MMA, LD_CCSAQ,
 *   LD_AUGLAG(_EQ)             100000   1e-10    8e-14, own at 87000-93000
 *                                                (MMA's inner iterations)
 *   GD_MLSL(_LDS)              100000   1e-7     5.6e-8 (local LD_MMA; 8e-14
 *                                                when augur added xtol_rel
 *                                                1e-10 and ftol_rel 1e-14 to
 *                                                MLSL itself: global types
 *                                                now get only what the user
 *                                                sets, as in NLopt) */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <nlopt.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "augur/plugin.h"
#include "counted_rosen.h"

static void setup(void)
{
    gsl_set_error_handler_off();
}

TestSuite(nlopt, .init = setup);

/* The cost of counted_rosen.h from x0 = (-1.2, 1, 1.5), without a box to
 * watch (the tests here do not check the calls outside). */
static counted fresh(void)
{
    return (counted){.lb = -INFINITY, .ub = INFINITY, .nan_above = INFINITY,
                     .sign = 1, .x0 = {-1.2, 1, 1.5}};
}

static augur_solver *make(const char *type, const counted *c, uint64_t seed,
                          size_t budget)
{
    augur_solver *s = augur_solver_create(type, 3);
    cr_assert_not_null(s, "%s", type);
    double lb[3] = {-5, -5, -5}, ub[3] = {5, 5, 5};
    cr_assert_eq(augur_solver_set_bounds(s, lb, ub), AUGUR_OK);
    cr_assert_eq(augur_solver_set_initial_point(s, c->x0), AUGUR_OK);
    cr_assert_eq(augur_solver_set_seed(s, seed), AUGUR_OK);
    if (budget)
        cr_assert_eq(augur_solver_set_evaluation_limits(s, 0, budget), AUGUR_OK);
    return s;
}

static void solve_ok(augur_solver *s, counted *c)
{
    cr_assert_eq(augur_solve(s, cost, c, NULL), AUGUR_OK, "%s: %s",
                 augur_solver_type_name(s), augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_evaluations(s), c->calls,
                 "%s: %zu evaluations counted, %zu cost calls",
                 augur_solver_type_name(s), augur_solver_evaluations(s), c->calls);
}

/* --- Registry -------------------------------------------------------------- */

Test(nlopt, registry_lists_nlopt_and_gsl_types)
{
    const augur_solver_type *const *t = augur_solver_types();
    int bobyqa = 0, simplex = 0, builtin_first = 0;
    size_t nlopt = 0;
    for (size_t i = 0; t[i]; i++) {
        bobyqa |= strcmp(t[i]->name, "nlopt:LN_BOBYQA") == 0;
        simplex |= strcmp(t[i]->name, "gsl:nmsimplex2") == 0;
        nlopt += strncmp(t[i]->name, "nlopt:", 6) == 0;
        if (i == 0)
            builtin_first = strcmp(t[i]->name, "nelder-mead") == 0;
    }
    cr_assert(bobyqa && simplex && builtin_first);
    cr_assert_geq(nlopt, 40, "Debian's 2.7.1: 43 algorithms, 3 not compiled");
    cr_assert_eq(augur_solver_type_find("NLOPT:ln-bobyqa"),
                 augur_solver_type_find("nlopt:LN_BOBYQA"), "names match loosely");
    cr_assert_null(augur_solver_type_find("nlopt:LD_LBFGS_NOCEDAL"));
    cr_assert_null(augur_solver_type_find("nlopt:GN_AGS"), "not compiled here");
}

/* --- Every algorithm on Rosenbrock ------------------------------------------ */

typedef struct row {
    const char *name;
    size_t budget;
    double tol;
} row;

static const row rows[] = {
    {"LN_BOBYQA", 1000, 1e-10}, {"LN_COBYLA", 30000, 1e-3},
    {"LN_NEWUOA", 1000, 1e-10}, {"LN_NEWUOA_BOUND", 1000, 1e-8},
    {"LN_NELDERMEAD", 2000, 1e-10}, {"LN_SBPLX", 30000, 1e-8},
    {"LN_PRAXIS", 1000, 1e-10}, {"LN_AUGLAG", 1000, 1e-10},
    {"LN_AUGLAG_EQ", 1000, 1e-10}, {"AUGLAG", 1000, 1e-10},
    {"AUGLAG_EQ", 1000, 1e-10}, {"GN_DIRECT", 30000, 1e-10},
    {"GN_DIRECT_L", 3000, 1e-10}, {"GN_DIRECT_L_RAND", 3000, 1e-10},
    {"GN_DIRECT_NOSCAL", 3000, 1e-10}, {"GN_DIRECT_L_NOSCAL", 3000, 1e-10},
    {"GN_DIRECT_L_RAND_NOSCAL", 3000, 1e-10}, {"GN_ORIG_DIRECT", 30000, 1e-10},
    {"GN_ORIG_DIRECT_L", 10000, 1e-10}, {"GN_CRS2_LM", 10000, 1e-10},
    {"GN_ISRES", 30000, 1e-3}, {"GN_ESCH", 30000, 2},
    {"GN_MLSL", 3000, 1e-10}, {"GN_MLSL_LDS", 3000, 1e-10},
    {"G_MLSL", 3000, 1e-10}, {"G_MLSL_LDS", 3000, 1e-10},
    {"GN_AGS", 30000, 1e-6},
    {"LD_LBFGS", 2000, 1e-12}, {"LD_VAR1", 2000, 1e-12}, {"LD_VAR2", 2000, 1e-12},
    {"LD_TNEWTON", 2000, 1e-12}, {"LD_TNEWTON_RESTART", 2000, 1e-12},
    {"LD_TNEWTON_PRECOND", 2000, 1e-12},
    {"LD_TNEWTON_PRECOND_RESTART", 2000, 1e-12}, {"LD_SLSQP", 2000, 1e-12},
    {"LD_MMA", 100000, 1e-10}, {"LD_CCSAQ", 100000, 1e-10},
    {"LD_AUGLAG", 100000, 1e-10}, {"LD_AUGLAG_EQ", 100000, 1e-10},
    {"GD_MLSL", 100000, 1e-7}, {"GD_MLSL_LDS", 100000, 1e-7},
    {"GD_STOGO", 30000, 1e-6}, {"GD_STOGO_RAND", 30000, 1e-6},
};

static const row *row_of(const char *type)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strcmp(type + 6, rows[i].name) == 0)
            return &rows[i];
    return NULL;
}

static void run_row(const char *type, const row *r)
{
    counted c = fresh();
    augur_solver *s = make(type, &c, 7, r->budget);
    solve_ok(s, &c);
    double f = augur_solver_best_energy(s);
    cr_assert(f < r->tol, "%s: f = %g after %zu evaluations (%s), needs < %g",
              type, f, augur_solver_evaluations(s),
              augur_solver_termination_reason(s), r->tol);
    cr_assert_leq(augur_solver_evaluations(s), r->budget, "%s", type);
    const double *x = augur_solver_best_solution(s);
    for (size_t i = 0; i < 3 && r->tol <= 1e-8; i++)
        cr_assert(fabs(x[i] - 1) < 1e-3, "%s: x[%zu] = %g", type, i, x[i]);
    augur_solver_destroy(s);
}

/* Every registered nlopt: type has a row in the table above (so a new one
 * cannot go untested), and reaches its accuracy within its budget. */
Test(nlopt, every_type_reaches_the_rosenbrock_minimum, .timeout = 120)
{
    const augur_solver_type *const *t = augur_solver_types();
    size_t ran = 0;
    for (size_t i = 0; t[i]; i++) {
        if (strncmp(t[i]->name, "nlopt:", 6) != 0)
            continue;
        const row *r = row_of(t[i]->name);
        cr_assert_not_null(r, "%s has no row in the table", t[i]->name);
        run_row(t[i]->name, r);
        ran++;
    }
    cr_assert_geq(ran, 40);
}

/* --- Termination, records, limits ------------------------------------------ */

/* Left alone, BOBYQA stops on NLopt's xtol_rel after 354 evaluations and
 * says so; VTR(1e-6) stops it well before, with our reason. */
Test(nlopt, our_termination_stops_bobyqa_before_its_own_criteria)
{
    counted c = fresh();
    augur_solver *s = make("nlopt:LN_BOBYQA", &c, 7, 0);
    solve_ok(s, &c);
    cr_assert_str_eq(augur_solver_termination_reason(s), "NLopt(XTOL_REACHED)");
    size_t own = augur_solver_evaluations(s);
    cr_assert_eq(own, 354, "measured 354, got %zu", own);
    augur_solver_destroy(s);

    c = fresh();
    s = make("nlopt:LN_BOBYQA", &c, 7, 0);
    cr_assert_eq(augur_solve(s, cost, &c, augur_term_vtr(1e-6, 0)), AUGUR_OK);
    cr_assert_eq(augur_solver_evaluations(s), c.calls);
    cr_assert_str_eq(augur_solver_termination_reason(s),
                     "VTR(tolerance=1e-06, target=0)");
    cr_assert(augur_solver_best_energy(s) <= 1e-6);
    cr_assert_lt(augur_solver_evaluations(s), own);
    augur_solver_destroy(s);
}

typedef struct trace {
    size_t gens, evals;
    size_t at[1024];        /* evaluations at each generation record */
} trace;

static int on_record(const augur_record *r, void *data)
{
    trace *t = data;
    if (r->kind == AUGUR_RECORD_EVALUATION) {
        t->evals++;
    } else if (t->gens < 1024) {
        cr_assert_eq(r->generation, t->gens);
        t->at[t->gens++] = r->evaluations;
    }
    return 0;
}

/* BOBYQA to its own end with record-every k: generation 0 after x0, then a
 * record every k evaluations, and a last one for the remainder. */
static void check_records(size_t k, double param)
{
    counted c = fresh();
    trace t = {0};
    augur_solver *s = make("nlopt:LN_BOBYQA", &c, 7, 0);
    cr_assert_eq(augur_solver_set_param(s, "record-every", param), AUGUR_OK);
    augur_solver_add_generation_monitor(s, augur_monitor_callback(on_record, &t));
    augur_solver_add_evaluation_monitor(s, augur_monitor_callback(on_record, &t));
    solve_ok(s, &c);
    size_t e = augur_solver_evaluations(s);
    cr_assert_eq(t.evals, e, "every evaluation monitored");
    cr_assert_eq(t.gens, augur_solver_generations(s) + 1);
    cr_assert_eq(t.gens, 1 + (e - 1 + k - 1) / k, "k = %zu, %zu evaluations", k, e);
    for (size_t g = 0; g + 1 < t.gens; g++)
        cr_assert_eq(t.at[g], 1 + g * k, "record %zu at %zu evaluations", g, t.at[g]);
    cr_assert_eq(t.at[t.gens - 1], e);
    augur_solver_destroy(s);
}

Test(nlopt, generation_records_every_record_every_evaluations)
{
    check_records(4, 0);    /* the default: n + 1 */
    check_records(5, 5);
    check_records(1, 1);
}

/* The evaluation limit stops NLopt on the exact count, whatever k. */
Test(nlopt, evaluation_limit_is_exact)
{
    counted c = fresh();
    augur_solver *s = make("nlopt:LN_SBPLX", &c, 7, 101);
    cr_assert_eq(augur_solver_set_param(s, "record-every", 7), AUGUR_OK);
    solve_ok(s, &c);
    cr_assert_eq(augur_solver_evaluations(s), 101);
    cr_assert_str_eq(augur_solver_termination_reason(s),
                     "EvaluationLimits(evaluations=101)");
    /* 1 + 100 evaluations in records of 7: 14 full ones and the limit's */
    cr_assert_eq(augur_solver_generations(s), 15);
    augur_solver_destroy(s);
}

/* NLopt's first call asks for x0, known from generation 0: the cost sees
 * x0 once. A second solve after BOBYQA finished restarts from the best
 * point, whose energy is known too. */
Test(nlopt, start_point_is_not_evaluated_twice_and_a_later_solve_restarts)
{
    counted c = fresh();
    augur_solver *s = make("nlopt:LN_BOBYQA", &c, 7, 0);
    solve_ok(s, &c);
    cr_assert_eq(c.at_x0, 1);
    size_t first = augur_solver_evaluations(s);
    double f1 = augur_solver_best_energy(s);
    memcpy(c.x0, augur_solver_best_solution(s), sizeof c.x0);
    c.at_x0 = 0;
    solve_ok(s, &c);
    cr_assert_eq(c.at_x0, 0, "the best point is not evaluated again");
    cr_assert_gt(augur_solver_evaluations(s), first);
    cr_assert_leq(augur_solver_best_energy(s), f1);
    cr_assert_str_eq(augur_solver_termination_reason(s), "NLopt(XTOL_REACHED)");
    augur_solver_destroy(s);
}

/* --- Seeds, sign, NaN --------------------------------------------------- */

static void same_twice(const char *type, size_t budget)
{
    counted c1 = fresh(), c2 = fresh(), c3 = fresh();
    augur_solver *a = make(type, &c1, 42, budget), *b = make(type, &c2, 42, budget);
    augur_solver *d = make(type, &c3, 43, budget);
    solve_ok(a, &c1);
    solve_ok(b, &c2);
    solve_ok(d, &c3);
    size_t la, lb;
    const double *ha = augur_solver_energy_history(a, &la);
    const double *hb = augur_solver_energy_history(b, &lb);
    cr_assert_eq(la, lb, "%s", type);
    cr_assert_eq(memcmp(ha, hb, la * sizeof *ha), 0, "%s: histories differ", type);
    cr_assert_eq(memcmp(augur_solver_best_solution(a), augur_solver_best_solution(b),
                        3 * sizeof(double)), 0, "%s: answers differ", type);
    cr_assert_eq(augur_solver_evaluations(a), augur_solver_evaluations(b));
    cr_assert_neq(memcmp(augur_solver_best_solution(a), augur_solver_best_solution(d),
                         3 * sizeof(double)), 0, "%s: seed 43 gave seed 42's answer",
                  type);
    augur_solver_destroy(a);
    augur_solver_destroy(b);
    augur_solver_destroy(d);
}

/* Seeds 42 (twice) and 43, 2000 evaluations: the same seed gives the same
 * bits, another seed another answer. */
Test(nlopt, a_seed_gives_bit_identical_results)
{
    same_twice("nlopt:GN_CRS2_LM", 2000);
    same_twice("nlopt:GN_ISRES", 2000);
}

/* Maximise 10 - rosen with BOBYQA: the maximum 10 at (1, 1, 1), reported
 * in the user's sign. */
Test(nlopt, maximize_flag)
{
    counted c = fresh();
    c.sign = -1;
    augur_solver *s = make("nlopt:LN_BOBYQA", &c, 7, 1000);
    cr_assert_eq(augur_solver_set_param(s, "maximize", 1), AUGUR_OK);
    solve_ok(s, &c);
    cr_assert(fabs(augur_solver_best_energy(s) - 10) < 1e-10, "max = %.17g",
              augur_solver_best_energy(s));
    for (size_t i = 0; i < 3; i++)
        cr_assert(fabs(augur_solver_best_solution(s)[i] - 1) < 1e-4);
    augur_solver_destroy(s);
}

/* The cost is NaN where x[2] > 2 (the minimum is outside that region).
 * NaN is +inf on our path; NLopt gets the worst finite energy seen, which
 * keeps model methods working (with +inf BOBYQA stopped at f = 39 and
 * NEWUOA_BOUND never returned). Budget 30000 (CRS2: 10000), f < 1e-8, and
 * the NaN calls are counted like the others. */
Test(nlopt, nan_region_is_survived, .timeout = 60)
{
    const char *types[] = {"nlopt:LN_BOBYQA", "nlopt:LN_NEWUOA",
                           "nlopt:LN_NEWUOA_BOUND", "nlopt:LN_AUGLAG",
                           "nlopt:LN_NELDERMEAD", "nlopt:GN_CRS2_LM",
                           "nlopt:GN_DIRECT_L", "nlopt:GN_MLSL_LDS"};
    for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
        counted c = fresh();
        c.nan_above = 2;
        augur_solver *s = make(types[k], &c, 7, k == 5 ? 10000 : 30000);
        solve_ok(s, &c);
        cr_assert_gt(c.nans, 0, "%s never met the NaN region", types[k]);
        cr_assert(augur_solver_best_energy(s) < 1e-8, "%s: f = %g", types[k],
                  augur_solver_best_energy(s));
        cr_assert_leq(augur_solver_best_solution(s)[2], 2);
        augur_solver_destroy(s);
    }
}

/* --- Settings and errors -------------------------------------------------- */

Test(nlopt, global_algorithms_need_finite_bounds)
{
    counted c = fresh();
    augur_solver *s = augur_solver_create("nlopt:GN_CRS2_LM", 3);
    augur_solver_set_initial_point(s, c.x0);
    cr_assert_eq(augur_solve(s, cost, &c, NULL), AUGUR_EBOUNDS);
    cr_assert(strstr(augur_solver_errmsg(s), "finite bounds"), "%s",
              augur_solver_errmsg(s));
    cr_assert_eq(c.calls, 0);
    augur_solver_destroy(s);
}

/* A negative NLopt result is an error carrying NLopt's message: BOBYQA's
 * initial step (here twice the box) must fit between the bounds. */
Test(nlopt, nlopt_failures_are_errors_with_its_message)
{
    counted c = fresh();
    augur_solver *s = make("nlopt:LN_BOBYQA", &c, 7, 0);
    cr_assert_eq(augur_solver_set_param(s, "initial-step", 2), AUGUR_OK);
    cr_assert_eq(augur_solve(s, cost, &c, NULL), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "INVALID_ARGS"), "%s",
              augur_solver_errmsg(s));
    cr_assert(strstr(augur_solver_errmsg(s), "bounds"), "%s", augur_solver_errmsg(s));
    augur_solver_destroy(s);

    c = fresh();
    s = make("nlopt:GN_CRS2_LM", &c, 7, 0);
    cr_assert_eq(augur_solver_set_param(s, "population", 2), AUGUR_OK);
    cr_assert_eq(augur_solve(s, cost, &c, NULL), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "population"), "%s",
              augur_solver_errmsg(s));
    augur_solver_destroy(s);
}

/* Each type has the parameters that mean something to its algorithm. */
Test(nlopt, parameter_tables_follow_the_algorithm)
{
    augur_solver *s = augur_solver_create("nlopt:LN_BOBYQA", 3);
    cr_assert_eq(augur_solver_set_param(s, "magic-eps", 0.1), AUGUR_ENOTFOUND);
    cr_assert_eq(augur_solver_set_param(s, "population", 10), AUGUR_ENOTFOUND);
    cr_assert_eq(augur_solver_set_param(s, "initial-step", 0.1), AUGUR_OK);
    augur_solver_destroy(s);

    s = augur_solver_create("nlopt:GN_MLSL_LDS", 3);
    cr_assert_eq(augur_solver_set_param_string(s, "local", "ln-neldermead"), AUGUR_OK);
    cr_assert_eq(augur_solver_set_param_string(s, "local", "LD_LBFGS"), AUGUR_ERANGE);
    cr_assert_eq(augur_solver_set_param(s, "population", 20), AUGUR_OK);
    augur_solver_destroy(s);

    s = augur_solver_create("nlopt:GN_DIRECT_L", 3);
    cr_assert_eq(augur_solver_set_param(s, "magic-eps", 1e-4), AUGUR_OK);
    cr_assert_eq(augur_solver_set_param(s, "sigma-reltol", 0.1), AUGUR_ENOTFOUND);
    augur_solver_destroy(s);

    s = augur_solver_create("nlopt:LD_MMA", 3);
    cr_assert_eq(augur_solver_set_param(s, "inner-maxeval", 5), AUGUR_OK);
    cr_assert_eq(augur_solver_set_param_string(s, "fd", "forward"), AUGUR_OK);
    augur_solver_destroy(s);
}

/* NLopt's own parameters reach it: PRAXIS with t0_tol 0.1 (an absolute
 * tolerance) stops early by its own test, far from the minimum it reaches
 * with the default 0 (6e-25). MLSL with a Nelder-Mead local still finds
 * the minimum (budget 5000, f < 1e-10). */
Test(nlopt, algorithm_parameters_reach_nlopt)
{
    counted c = fresh();
    augur_solver *s = make("nlopt:LN_PRAXIS", &c, 7, 0);
    cr_assert_eq(augur_solver_set_param(s, "t0-tol", 0.1), AUGUR_OK);
    solve_ok(s, &c);
    cr_assert_gt(augur_solver_best_energy(s), 1e-6);
    cr_assert(strncmp(augur_solver_termination_reason(s), "NLopt(", 6) == 0);
    augur_solver_destroy(s);

    c = fresh();
    s = make("nlopt:GN_MLSL_LDS", &c, 7, 5000);
    cr_assert_eq(augur_solver_set_param_string(s, "local", "LN_NELDERMEAD"), AUGUR_OK);
    solve_ok(s, &c);
    cr_assert(augur_solver_best_energy(s) < 1e-10, "f = %g", augur_solver_best_energy(s));
    augur_solver_destroy(s);
}

/* The finite-difference gradient's probes are ordinary evaluations: a
 * stop from an evaluation monitor cuts a gradient short, and the count
 * still matches the cost's. */
static int stop_at_50(const augur_record *r, void *data)
{
    (void)data;
    return r->evaluations >= 50;
}

Test(nlopt, gradient_probes_are_counted_and_stoppable)
{
    counted c = fresh();
    augur_solver *s = make("nlopt:LD_LBFGS", &c, 7, 0);
    augur_solver_add_evaluation_monitor(s, augur_monitor_callback(stop_at_50, NULL));
    cr_assert_eq(augur_solve(s, cost, &c, NULL), AUGUR_STOPPED, "%s",
                 augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_evaluations(s), c.calls);
    /* the stop is seen at the next record: at most n + 1 more */
    cr_assert_leq(c.calls, 50 + 4);
    augur_solver_destroy(s);
}

/* Nesting: Buckshot of 8 BOBYQA runs (record-every 10, handed down with
 * the inner spec) on the model Rosenbrock in [-5, 5]^3, seed 7, 1000
 * evaluations a run: the best run reaches 1e-10, every run stops by
 * NLopt's own test or its limit, the evaluations add up, and the same
 * seed gives the same runs. */
static augur_solver *buckshot_of_bobyqa(void)
{
    augur_solver *s = augur_solver_create("buckshot", 3);
    cr_assert_not_null(s);
    augur_solver_set_seed(s, 7);
    cr_assert_eq(augur_solver_set_param(s, "npts", 8), AUGUR_OK);
    augur_solver *inner = augur_solver_create("nlopt:LN_BOBYQA", 3);
    cr_assert_eq(augur_solver_set_param(inner, "record-every", 10), AUGUR_OK);
    cr_assert_eq(augur_solver_set_nested(s, inner), AUGUR_OK, "%s",
                 augur_solver_errmsg(s));
    double lb[3] = {-5, -5, -5}, ub[3] = {5, 5, 5};
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_evaluation_limits(s, 0, 8 * 1000);   /* a total: 1000 a run */
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK, "%s",
                 augur_solver_errmsg(s));
    return s;
}

Test(nlopt, buckshot_of_bobyqa)
{
    augur_solver *a = buckshot_of_bobyqa(), *b = buckshot_of_bobyqa();
    cr_assert(augur_solver_best_energy(a) < 1e-10, "f = %g", augur_solver_best_energy(a));
    size_t na, nb, total = 0;
    const augur_inner_run *ra = augur_ensemble_runs(a, &na);
    const augur_inner_run *rb = augur_ensemble_runs(b, &nb);
    cr_assert_eq(na, 8);
    cr_assert_eq(nb, 8);
    for (size_t k = 0; k < na; k++) {
        total += ra[k].evaluations;
        cr_assert(strncmp(ra[k].reason, "NLopt(", 6) == 0 ||
                      strncmp(ra[k].reason, "EvaluationLimits", 16) == 0,
                  "run %zu: %s", k, ra[k].reason);
        cr_assert_eq(memcmp(ra[k].end, rb[k].end, 3 * sizeof(double)), 0);
        cr_assert_eq(ra[k].evaluations, rb[k].evaluations);
    }
    cr_assert_eq(augur_solver_evaluations(a), total);
    augur_solver_destroy(a);
    augur_solver_destroy(b);
}

/* --- Global algorithms as NLopt runs them --------------------------------- */

/* Griewangk's function, counting its calls and keeping the best of the
 * first `budget` (NLopt's CRS2 checks maxeval between its moves, so alone
 * it may make a call or two more than asked). */
typedef struct tally {
    size_t calls, budget;
    double best_f, best_x[2];
} tally;

static double griewangk(const double *x, size_t n, void *data)
{
    tally *t = data;
    double f = augur_model_griewangk(x, n, NULL);
    if (++t->calls <= t->budget && (t->calls == 1 || f < t->best_f)) {
        t->best_f = f;
        memcpy(t->best_x, x, sizeof t->best_x);
    }
    return f;
}

static double direct_cost(unsigned n, const double *x, double *grad, void *data)
{
    (void)grad;
    return griewangk(x, n, data);
}

/* GN_CRS2_LM on 2-D Griewangk in [-400, 400]^2 from (-300, 10), seed 1,
 * budget 2000: through augur it makes the same calls and finds the same
 * point as NLopt called directly with the same settings and the seed augur
 * gives it (the run generator's first draw: x0 is set, so generation 0
 * draws nothing). augur used to add xtol_rel 1e-10 and ftol_rel 1e-14,
 * which stopped it after 360 evaluations at f = 0.035; now, as NLopt
 * alone: 2000 evaluations, f = 6.1e-23. */
Test(nlopt, global_algorithms_run_as_nlopt_runs_them)
{
    double lb[2] = {-400, -400}, ub[2] = {400, 400}, x0[2] = {-300, 10};
    augur_solver *s = augur_solver_create("nlopt:GN_CRS2_LM", 2);
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_seed(s, 1);
    augur_solver_set_evaluation_limits(s, AUGUR_UNLIMITED, 2000);
    gsl_rng *copy = gsl_rng_clone(augur_solver_rng(s));
    unsigned long nlopt_seed = gsl_rng_get(copy);
    gsl_rng_free(copy);
    tally a = {.budget = 2000};
    cr_assert_eq(augur_solve(s, griewangk, &a, NULL), AUGUR_OK, "%s",
                 augur_solver_errmsg(s));
    double f_augur = augur_solver_best_energy(s);
    double x_augur[2];
    memcpy(x_augur, augur_solver_best_solution(s), sizeof x_augur);
    size_t e_augur = augur_solver_evaluations(s);
    augur_solver_destroy(s);

    tally d = {.budget = 2000};
    nlopt_opt o = nlopt_create(NLOPT_GN_CRS2_LM, 2);
    double x[2] = {-300, 10}, f;
    nlopt_set_lower_bounds(o, lb);
    nlopt_set_upper_bounds(o, ub);
    nlopt_set_min_objective(o, direct_cost, &d);
    nlopt_set_maxeval(o, 2000);
    nlopt_srand(nlopt_seed);
    cr_assert_geq(nlopt_optimize(o, x, &f), 0);
    nlopt_destroy(o);

    cr_assert_eq(e_augur, 2000, "%zu", e_augur);
    cr_assert_eq(a.calls, 2000);
    cr_assert_geq(d.calls, 2000, "%zu", d.calls);
    cr_assert_leq(d.calls, 2002, "%zu", d.calls);
    cr_assert_eq(f_augur, d.best_f, "augur %.17g, NLopt %.17g", f_augur, d.best_f);
    cr_assert_eq(memcmp(x_augur, d.best_x, sizeof x), 0);
    cr_assert_lt(f_augur, 1e-20, "%g", f_augur);
}
