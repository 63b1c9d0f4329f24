/* test_bipop.c - Criterion suite for BIPOP restarts (ipop with regime
 * bipop over cmaes, solvers/ipop.c) and the auto solver (solvers/auto.c).
 *
 * Problems from the model registry in their boxes, n = 10, budget 10^4 n
 * = 100,000 evaluations (the benchmark's), success f < 1e-8. The cost
 * counts its own calls (serial map), so "never over the budget" is checked
 * against the calls themselves, not the solver's count. Reference runs
 * (this build): bipop seed 1 reaches 1.2e-15 on rot-ellipsoid-10 and
 * 1.4e-15 on rosen-10; on rastrigin-10 seeds 1-5 it succeeds 4 times
 * (seed 3 ends at 0.995). auto (the first CMA-ES run, then IPOP-CMA-ES
 * and SHADE, then a BOBYQA polish) solves rosen-10 with only 6,000
 * evaluations on 8 of seeds 1-10 (9 before active CMA became cmaes's
 * default; the other two end in the local minimum; BIPOP + polish made 10/10; no polish
 * 0/10, Nelder-Mead 2/10) and rastrigin-10 on 10 of seeds 1-10 at 100,000
 * (IPOP + polish, before the portfolio: 7; BIPOP + polish: 5). */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>
#include "augur.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(bipop, .init = quiet_gsl);

typedef struct counted {
    const augur_model *m;
    size_t calls;
} counted;

static double cost(const double *x, size_t n, void *data)
{
    counted *c = data;
    c->calls++;
    return c->m->cost(x, n, NULL);
}

static augur_solver *make(const char *type, const char *model, size_t n,
                          uint64_t seed, size_t budget)
{
    augur_solver *s = augur_solver_create(type, n);
    cr_assert_not_null(s);
    double lb[20], ub[20];
    cr_assert_eq(augur_model_box(augur_model_find(model), n, lb, ub), AUGUR_OK);
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_seed(s, seed);
    augur_solver_set_evaluation_limits(s, 0, budget);
    if (strcmp(type, "ipop") == 0) {
        cr_assert_eq(augur_solver_set_param(s, "regime", 1), AUGUR_OK);
        cr_assert_eq(augur_solver_set_nested(s, augur_solver_create("cmaes", n)), AUGUR_OK);
    }
    return s;
}

/* Solve serially with a counting cost; returns the best f. shade (auto
 * only) switches the portfolio's SHADE member. */
static double run_n(const char *type, const char *model, size_t n, uint64_t seed,
                    size_t budget, int shade)
{
    counted c = {.m = augur_model_find(model)};
    augur_solver *s = make(type, model, n, seed, budget);
    if (strcmp(type, "auto") == 0)
        cr_assert_eq(augur_solver_set_param(s, "shade", shade), AUGUR_OK);
    cr_assert_eq(augur_solve(s, cost, &c, NULL), AUGUR_OK, "%s", augur_solver_errmsg(s));
    cr_assert_leq(c.calls, budget, "%s %s seed %lu: %zu calls", type, model,
                  (unsigned long)seed, c.calls);
    cr_assert_eq(c.calls, augur_solver_evaluations(s));
    double f = augur_solver_best_energy(s);
    augur_solver_destroy(s);
    return f;
}

static double run(const char *type, const char *model, uint64_t seed, size_t budget)
{
    return run_n(type, model, 10, seed, budget, 1);
}

Test(bipop, solves_rot_ellipsoid10_and_rosen10)
{
    cr_assert_lt(run("ipop", "rot-ellipsoid", 1, 100000), 1e-8);
    cr_assert_lt(run("ipop", "rosen", 1, 100000), 1e-8);
}

/* BIPOP solves Rastrigin-10 within 100,000 evaluations on about half of
 * the seeds: 101 of seeds 1-200 with active CMA and cmaes's own normals
 * (99 classic; 9 of seeds 1-20 with GSL's normals and eigensolver). Seeds
 * 1-10 give 5; this test once asked for 4 of seeds 1-5, which held only
 * on GSL's rounding. */
Test(bipop, rastrigin10_four_of_ten)
{
    int ok = 0;
    for (uint64_t seed = 1; seed <= 10; seed++)
        ok += run("ipop", "rastrigin", seed, 100000) < 1e-8;
    cr_assert_geq(ok, 4, "%d of 10", ok);
}

/* The runs follow the regime rule: a small run exactly when the small
 * regime has spent less; large populations 10, 20, 40, ...; small ones
 * between 10 and half the latest large one. */
Test(bipop, regimes_interleave_by_budget)
{
    counted c = {.m = augur_model_find("rastrigin")};
    augur_solver *s = make("ipop", "rastrigin", 10, 3, 100000);
    cr_assert_eq(augur_solve(s, cost, &c, NULL), AUGUR_OK);
    size_t count = 0, spent[2] = {0, 0}, large = 0, latest = 10;
    const augur_inner_run *runs = augur_ensemble_runs(s, &count);
    cr_assert_gt(count, 4);
    for (size_t k = 0; k < count; k++) {
        size_t lambda = runs[k].evaluations / (runs[k].generations + 1);
        int small = k > 0 && spent[1] < spent[0];
        if (!small) {
            cr_assert_eq(lambda, (size_t)10 << large, "run %zu: lambda %zu", k, lambda);
            latest = large ? lambda : 20;
            large++;
        } else {
            cr_assert(lambda >= 10 && lambda <= latest / 2, "run %zu: lambda %zu", k, lambda);
        }
        spent[small] += runs[k].evaluations;
    }
    cr_assert(strstr(augur_solver_termination_reason(s), "BIPOP("));
    augur_solver_destroy(s);
}

Test(bipop, needs_sigma_factor)
{
    augur_solver *s = make("ipop", "sphere", 3, 1, 1000);
    augur_solver_set_nested(s, augur_solver_create("de", 3));
    cr_assert_eq(augur_solve(s, augur_model_sphere, NULL, NULL), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "sigma-factor") ||
              strstr(augur_solver_errmsg(s), "population"), "%s", augur_solver_errmsg(s));
    augur_solver_destroy(s);
}

/* Small budgets end the run without passing them. */
Test(bipop, budgets_never_exceeded)
{
    size_t budgets[] = {50, 999, 3001, 12345};
    for (size_t k = 0; k < 4; k++) {
        run("ipop", "rastrigin", k + 1, budgets[k]);
        run("auto", "rosen", k + 1, budgets[k]);
    }
}

Test(bipop, auto_solves_three_problems)
{
    cr_assert_lt(run("auto", "rot-ellipsoid", 1, 100000), 1e-8);
    cr_assert_lt(run("auto", "rosen", 1, 100000), 1e-8);
    int ok = 0;
    for (uint64_t seed = 1; seed <= 10; seed++)
        ok += run("auto", "rastrigin", seed, 100000) < 1e-8;
    cr_assert_geq(ok, 9, "%d of 10", ok);
}

/* The polish finishes what the first run's share of a small budget
 * leaves: every seed of 1-10 reaches 1e-8 unless its first CMA-ES run
 * ended in Rosenbrock-10's local minimum (f = 3.99, near x_1 = -1; seeds 3
 * and 10; single cmaes runs from the box land there on 15 of seeds 1-200,
 * 14 without active CMA), which no polish leaves. */
Test(bipop, auto_polish_helps_rosen10_at_6000)
{
    int ok = 0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        double f = run("auto", "rosen", seed, 6000);
        ok += f < 1e-8;
        cr_assert(f < 1e-8 || fabs(f - 3.9866) < 1e-3, "seed %lu: f = %g",
                  (unsigned long)seed, f);
    }
    cr_assert_geq(ok, 8, "%d of 10", ok);
}

/* Serial, threads:2 and fork:2 give the same bits. */
Test(bipop, same_on_every_map)
{
    const char *types[] = {"ipop", "auto"};
    const char *maps[] = {NULL, "threads", "fork"};
    for (size_t t = 0; t < 2; t++) {
        double ref_f = 0, ref_x[5];
        size_t ref_e = 0;
        for (size_t k = 0; k < 3; k++) {
            augur_solver *s = make(types[t], "rastrigin", 5, 2, 20000);
            augur_map *map = maps[k] ? augur_map_create(maps[k], 2) : NULL;
            augur_solver_set_map(s, map);
            cr_assert_eq(augur_solve(s, augur_model_rastrigin, NULL, NULL), AUGUR_OK,
                         "%s", augur_solver_errmsg(s));
            if (k == 0) {
                ref_f = augur_solver_best_energy(s);
                ref_e = augur_solver_evaluations(s);
                memcpy(ref_x, augur_solver_best_solution(s), sizeof ref_x);
            }
            cr_assert_eq(augur_solver_best_energy(s), ref_f, "%s %s", types[t], maps[k]);
            cr_assert_eq(augur_solver_evaluations(s), ref_e, "%s %s", types[t], maps[k]);
            cr_assert_eq(memcmp(augur_solver_best_solution(s), ref_x, sizeof ref_x), 0);
            augur_solver_destroy(s);
            augur_map_destroy(map);
        }
    }
}

/* The portfolio (solvers/auto_portfolio.c) on the separable multimodal
 * cases where IPOP's restarts keep failing, at the benchmark's budget of
 * 10^4 n: Michalewicz 10-D (minimum -9.66015171564) and Schwefel 5-D
 * (-418.9828872724 n). Reference (this build): the portfolio solves
 * michalewicz-10 on all of seeds 1-10 and schwefel-5 on all of seeds
 * 1-10; with shade = 0 (IPOP alone, then the polish) fewer on both
 * (0 and 6 of 10 when this was written), which the test checks. */
Test(bipop, auto_portfolio_solves_michalewicz10_and_schwefel5)
{
    int ok[2][2] = {{0, 0}, {0, 0}};
    for (int shade = 0; shade < 2; shade++)
        for (uint64_t seed = 1; seed <= 10; seed++) {
            ok[shade][0] += run_n("auto", "michalewicz", 10, seed, 100000, shade) -
                                (-9.66015171564) < 1e-6;
            ok[shade][1] += run_n("auto", "schwefel", 5, seed, 50000, shade) -
                                (-418.9828872724 * 5) < 1e-6;
        }
    cr_assert_geq(ok[1][0], 9, "michalewicz-10: %d of 10", ok[1][0]);
    cr_assert_geq(ok[1][1], 9, "schwefel-5: %d of 10", ok[1][1]);
    cr_assert_lt(ok[0][0], ok[1][0], "IPOP alone %d, portfolio %d", ok[0][0], ok[1][0]);
    cr_assert_lt(ok[0][1], ok[1][1], "IPOP alone %d, portfolio %d", ok[0][1], ok[1][1]);
}

static int count_call(const augur_record *r, void *data)
{
    (void)r;
    (*(size_t *)data)++;
    return 0;
}

/* The portfolio's runs evaluate through the solver's map, one batch a
 * generation, and hand every call to its evaluation monitors: the same
 * bits, counts and monitor calls on serial, threads:2 and fork:2, with
 * both members run (michalewicz-5, 10,000 evaluations: the first CMA-ES
 * run ends well before). */
Test(bipop, auto_portfolio_same_on_every_map)
{
    const char *maps[] = {NULL, "threads", "fork"};
    double ref_f = 0, ref_x[5];
    size_t ref_e = 0;
    for (size_t k = 0; k < 3; k++) {
        counted c = {.m = augur_model_find("michalewicz")};
        size_t seen = 0;
        augur_solver *s = make("auto", "michalewicz", 5, 4, 10000);
        augur_map *map = maps[k] ? augur_map_create(maps[k], 2) : NULL;
        augur_solver_set_map(s, map);
        augur_solver_add_evaluation_monitor(s, augur_monitor_callback(count_call, &seen));
        cr_assert_eq(augur_solve(s, cost, &c, NULL), AUGUR_OK, "%s", augur_solver_errmsg(s));
        const char *why = augur_solver_termination_reason(s);
        cr_assert(strstr(why, "CMA-ES") && strstr(why, "SHADE") && !strstr(why, "SHADE 0 runs"),
                  "%s", why);
        cr_assert_eq(seen, augur_solver_evaluations(s), "%s: %zu seen", maps[k] ? maps[k] : "serial", seen);
        cr_assert_leq(seen, 10000);
        if (!maps[k])   /* a map's workers call the cost in their own copies */
            cr_assert_eq(c.calls, seen);
        if (k == 0) {
            ref_f = augur_solver_best_energy(s);
            ref_e = augur_solver_evaluations(s);
            memcpy(ref_x, augur_solver_best_solution(s), sizeof ref_x);
        }
        cr_assert_eq(augur_solver_best_energy(s), ref_f, "%s", maps[k]);
        cr_assert_eq(augur_solver_evaluations(s), ref_e, "%s", maps[k]);
        cr_assert_eq(memcmp(augur_solver_best_solution(s), ref_x, sizeof ref_x), 0);
        augur_solver_destroy(s);
        augur_map_destroy(map);
    }
}

/* shade with regime bipop is refused before anything runs. */
Test(bipop, auto_bipop_needs_shade_off)
{
    augur_solver *s = make("auto", "sphere", 3, 1, 3000);
    cr_assert_eq(augur_solver_set_param_string(s, "regime", "bipop"), AUGUR_OK);
    cr_assert_eq(augur_solver_check(s), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "shade = 0"), "%s", augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_set_param(s, "shade", 0), AUGUR_OK);
    cr_assert_eq(augur_solve(s, augur_model_sphere, NULL, NULL), AUGUR_OK, "%s",
                 augur_solver_errmsg(s));
    cr_assert_lt(augur_solver_best_energy(s), 1e-8);
    augur_solver_destroy(s);
}
