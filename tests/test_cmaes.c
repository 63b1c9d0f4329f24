/* test_cmaes.c - the CMA-ES solver and Hansen's stopping tests.
 *
 * Each solver test states its problem, start, seed, budget and the
 * accuracy it must reach. Unless a test says otherwise a run starts at
 * x0 = 0 with sigma0 = 0.5, the default population 4 + floor(3 ln n) (6
 * for n = 2, 10 for n = 10), active full-covariance CMA-ES (the default),
 * and stops at f <= 1e-8 (StopVal) or the budget. The problems are the
 * library's models: sphere (sum x_i^2), rosen (Rosenbrock), ellipsoid
 * (augur's: sum over i of (x_1 + ... + x_i)^2, a rotated problem of
 * condition about n^2).
 *
 * Reference run: rosen, n = 10, seed 1: f = 8.242808e-09 after exactly
 * 3940 evaluations (394 generations of 10: generation 0 and 393 steps;
 * classic CMA-ES, active = 0: 6230). Over seeds 1-100 (to 1e-8 from x0 =
 * 0, sigma0 = 0.5, budget 20,000) classic succeeds 100 times, median 6060
 * evaluations, active 96 times, median 5110 (with GSL's normals, before
 * cmaes drew its own: 98, 6060 and 97, 5140).
 *
 * Rosenbrock-10 to 1e-8 from x0 = 0, sigma0 = 0.5, seeds 1-11, evaluations
 * sorted, with GSL's eigensolver and every generation decomposed: classic
 * 4920 5370 5390 5570 5590 [5750] 5760 5800 6050 6510 8040 (median 5750);
 * active 4430 4590 4730 5010 5030 [5070] 5100 5390 5400 6200 6270 (median
 * 5070). Hansen's published figures for the default population are about
 * 6000-8000 evaluations (to 1e-10, hence a little more than here). */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "augur/plugin.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(cmaes, .init = quiet_gsl);

enum { NMAX = 16 };

/* cmaes in n dimensions from x0 = 0, sigma0 0.5, seeded, with a budget. */
static augur_solver *cma(size_t n, uint64_t seed, size_t budget)
{
    augur_solver *s = augur_solver_create("cmaes", n);
    cr_assert_not_null(s);
    double x0[NMAX] = {0};
    cr_assert_eq(augur_solver_set_initial_point(s, x0), AUGUR_OK);
    cr_assert_eq(augur_solver_set_param(s, "sigma0", 0.5), AUGUR_OK);
    cr_assert_eq(augur_solver_set_seed(s, seed), AUGUR_OK);
    cr_assert_eq(augur_solver_set_evaluation_limits(s, 0, budget), AUGUR_OK);
    return s;
}

static void solve_ok(augur_solver *s, augur_cost cost, void *data,
                     augur_termination *t)
{
    cr_assert_eq(augur_solve(s, cost, data, t), AUGUR_OK, "%s",
                 augur_solver_errmsg(s));
}

/* Solve to f <= 1e-8 within the budget; returns the evaluations used. */
static size_t reach_1e_8(augur_solver *s, augur_cost cost, size_t budget)
{
    solve_ok(s, cost, NULL, augur_term_stopval(1e-8));
    double f = augur_solver_best_energy(s);
    cr_assert(f <= 1e-8, "f = %g after %zu evaluations (%s)", f,
              augur_solver_evaluations(s), augur_solver_termination_reason(s));
    cr_assert_leq(augur_solver_evaluations(s), budget);
    return augur_solver_evaluations(s);
}

/* --- Convergence ---------------------------------------------------------- */

Test(cmaes, reference_run_rosen10)
{
    augur_solver *s = cma(10, 1, 20000);
    size_t evals = reach_1e_8(s, augur_model_rosen, 20000);
    double f = augur_solver_best_energy(s);
    /* pinned with active CMA, the default since 2026-12-07 (without it:
     * 6230, 622 and 8.783656e-09; see classic_rosen10_and_ellipsoid10),
     * cmaes's own normals (solvers/ziggurat.c) and purecma's lazy
     * decomposition (every 2nd generation at n = 10) */
    cr_assert_eq(evals, 3940, "evaluations %zu", evals);
    cr_assert_eq(augur_solver_generations(s), 393);
    cr_assert(fabs(f - 8.242808e-09) < 1e-15, "f = %.7g", f);
    const double *x = augur_solver_best_solution(s);
    for (size_t i = 0; i < 10; i++)
        cr_assert(fabs(x[i] - 1) < 1e-3, "x[%zu] = %g", i, x[i]);
    augur_solver_destroy(s);
}

/* Sphere, n = 2 and 10, seed 1: 1e-8 within 500 and 2000 evaluations. */
Test(cmaes, sphere_2_and_10)
{
    augur_solver *s = cma(2, 1, 500);
    double x0[2] = {3, -2};
    augur_solver_set_initial_point(s, x0);
    reach_1e_8(s, augur_model_sphere, 500);
    augur_solver_destroy(s);
    s = cma(10, 1, 2000);
    double x10[10] = {3, -2, 1, 1, 1, 1, 1, 1, 1, 1};
    augur_solver_set_initial_point(s, x10);
    reach_1e_8(s, augur_model_sphere, 2000);
    augur_solver_destroy(s);
}

/* Rosenbrock, n = 2, seeds 1-5: 1e-8 within 1000 evaluations each. */
Test(cmaes, rosen2_every_seed)
{
    for (uint64_t seed = 1; seed <= 5; seed++) {
        augur_solver *s = cma(2, seed, 1000);
        reach_1e_8(s, augur_model_rosen, 1000);
        augur_solver_destroy(s);
    }
}

/* Ellipsoid, n = 2 and 10, seed 2: 1e-8 within 600 and 3000 evaluations. */
Test(cmaes, ellipsoid_2_and_10)
{
    augur_solver *s = cma(2, 2, 600);
    double x0[2] = {1, 1};
    augur_solver_set_initial_point(s, x0);
    reach_1e_8(s, augur_model_ellipsoid, 600);
    augur_solver_destroy(s);
    s = cma(10, 2, 3000);
    double x10[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    augur_solver_set_initial_point(s, x10);
    reach_1e_8(s, augur_model_ellipsoid, 3000);
    augur_solver_destroy(s);
}

/* The default termination (Hansen's tests) ends rosen-10, seed 1, at
 * TolFun (pycma's 1e-11) in generation 487 (4880 evaluations), f =
 * 2.9e-14, well inside the default budget. With the tutorial's 1e-12,
 * the default until 2026-12, it ends 18 generations later (505, 5060
 * evaluations, f = 3.3e-15): see tolfun_default_fires_a_decade_sooner.
 * (Pinned with active CMA, cmaes's own normals and C decomposed every
 * second generation at n = 10; classic CMA-ES ends at 712 and 725.) */
Test(cmaes, default_termination_stops_rosen10_at_tolfun)
{
    augur_solver *s = cma(10, 1, 0);
    cr_assert_eq(augur_solver_max_evaluations(s), 1000 * 10 * 10);
    solve_ok(s, augur_model_rosen, NULL, NULL);
    cr_assert(augur_solver_best_energy(s) < 1e-13, "f = %g",
              augur_solver_best_energy(s));
    cr_assert_str_eq(augur_solver_termination_reason(s), "TolFun(tolerance=1e-11)");
    cr_assert_eq(augur_solver_generations(s), 487);
    cr_assert_eq(augur_solver_evaluations(s), 4880);
    augur_solver_destroy(s);
}

/* TolFun made by name has pycma's default, 1e-11. On rosen-10, seed 1
 * (the run above), alone: it fires in generation 487, and the tutorial's
 * 1e-12 does not fire there but in generation 505. */
Test(cmaes, tolfun_default_fires_a_decade_sooner)
{
    augur_termination *t = augur_term_create("tol-fun");
    double tol = 0;
    cr_assert_eq(augur_term_get_param(t, "tolerance", &tol), AUGUR_OK);
    cr_assert_eq(tol, 1e-11);
    augur_solver *s = cma(10, 1, 0);
    solve_ok(s, augur_model_rosen, NULL, t);
    cr_assert_str_eq(augur_solver_termination_reason(s), "TolFun(tolerance=1e-11)");
    cr_assert_eq(augur_solver_generations(s), 487);
    augur_solver_destroy(s);
    s = cma(10, 1, 0);
    solve_ok(s, augur_model_rosen, NULL, augur_term_tol_fun(1e-12));
    cr_assert_str_eq(augur_solver_termination_reason(s), "TolFun(tolerance=1e-12)");
    cr_assert_eq(augur_solver_generations(s), 505);
    cr_assert_eq(augur_solver_evaluations(s), 5060);
    augur_solver_destroy(s);
}

/* TolFun's default at its edge, on a strategy state built by hand (n = 2,
 * lambda = 4, so the window is 10 + ceil(30 x 2 / 4) = 25 generations):
 * it fires when the window's best energies and the last generation span
 * 0.9e-11, and must not when they span 1.1e-11, nor with a span of 0 over
 * 24 generations (the window not yet full). */
static int tolfun_default_on(double span, size_t generations)
{
    double best[25], median[25], f[4], mean[2] = {0, 0};
    for (size_t k = 0; k < generations; k++)
        best[k] = median[k] = 1 + span * (double)k / 24;
    for (size_t k = 0; k < 4; k++)
        f[k] = 1 + span * (double)k / 3;
    augur_strategy g = {.n = 2, .generation = generations, .lambda = 4,
                        .sigma = 1e-6, .sigma0 = 1, .mean = mean, .f = f,
                        .gen_best = best, .gen_median = median,
                        .hist_len = generations};
    augur_info info;
    memset(&info, 0, sizeof info);
    info.n = 2;
    info.generation = generations;
    info.strategy = &g;
    augur_termination *t = augur_term_create("tol-fun");
    int rc = augur_term_check(t, &info);
    augur_term_destroy(t);
    cr_assert(rc == 0 || rc == 1, "check failed: %d", rc);
    return rc;
}

Test(cmaes, tolfun_default_fires_below_1e_11_only)
{
    cr_assert_eq(tolfun_default_on(0.9e-11, 25), 1);
    cr_assert_eq(tolfun_default_on(1.1e-11, 25), 0);
    cr_assert_eq(tolfun_default_on(0, 24), 0);
}

/* --- Variants ------------------------------------------------------------- */

/* Active CMA is the default; classic CMA-ES (active = 0) solves rosen-10
 * seed 1 within 7000 evaluations, and ellipsoid-10 seed 2 within 3000,
 * each to 1e-8. */
Test(cmaes, classic_rosen10_and_ellipsoid10)
{
    augur_solver *s = cma(10, 1, 7000);
    double active = 0;
    cr_assert_eq(augur_solver_get_param(s, "active", &active), AUGUR_OK);
    cr_assert_eq(active, 1);
    cr_assert_eq(augur_solver_set_param(s, "active", 0), AUGUR_OK);
    cr_assert_eq(reach_1e_8(s, augur_model_rosen, 7000), 6230);
    augur_solver_destroy(s);
    s = cma(10, 2, 3000);
    augur_solver_set_param(s, "active", 0);
    double x10[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    augur_solver_set_initial_point(s, x10);
    reach_1e_8(s, augur_model_ellipsoid, 3000);
    augur_solver_destroy(s);
}

/* An axis-parallel ellipsoid sum 10^(6 (i-1)/(n-1)) x_i^2 (condition 1e6),
 * the problem sep-CMA-ES is made for. */
static double axis_ellipsoid(const double *x, size_t n, void *data)
{
    (void)data;
    double f = 0;
    for (size_t i = 0; i < n; i++)
        f += pow(10, 6.0 * (double)i / (double)(n - 1)) * x[i] * x[i];
    return f;
}

/* Separable CMA-ES, n = 10, seed 3, from x0 = 1: the sphere within 1500
 * and the axis-parallel ellipsoid within 6000 evaluations, to 1e-8; full
 * CMA-ES needs more on the latter (it must learn 55 entries of C, not 10). */
Test(cmaes, separable_sphere10_and_axis_ellipsoid10)
{
    double x10[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    augur_solver *s = cma(10, 3, 1500);
    cr_assert_eq(augur_solver_set_param(s, "separable", 1), AUGUR_OK);
    augur_solver_set_initial_point(s, x10);
    reach_1e_8(s, augur_model_sphere, 1500);
    augur_solver_destroy(s);
    s = cma(10, 3, 6000);
    augur_solver_set_param(s, "separable", 1);
    augur_solver_set_initial_point(s, x10);
    size_t sep = reach_1e_8(s, axis_ellipsoid, 6000);
    augur_solver_destroy(s);
    s = cma(10, 3, 60000);
    augur_solver_set_initial_point(s, x10);
    size_t full = reach_1e_8(s, axis_ellipsoid, 60000);
    augur_solver_destroy(s);
    cr_assert_lt(sep, full, "separable %zu, full %zu", sep, full);
}

/* --- Bounds --------------------------------------------------------------- */

typedef struct tally {
    size_t calls, outside;
} tally;

/* sum (x_i - 2)^2 counted, and calls outside [-1, 1]^n counted apart. */
static double outside_bowl(const double *x, size_t n, void *data)
{
    tally *t = data;
    t->calls++;
    double f = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] >= -1 && x[i] <= 1))
            t->outside++;
        f += (x[i] - 2) * (x[i] - 2);
    }
    return f;
}

/* cmaes on [-1, 1]^3, seed 3, with a budget and a bound policy. */
static augur_solver *corner_solver(const char *policy, size_t budget)
{
    double lb[3] = {-1, -1, -1}, ub[3] = {1, 1, 1};
    augur_solver *s = augur_solver_create("cmaes", 3);
    cr_assert_not_null(s);
    cr_assert_eq(augur_solver_set_bounds(s, lb, ub), AUGUR_OK);
    cr_assert_eq(augur_solver_set_seed(s, 3), AUGUR_OK);
    cr_assert_eq(augur_solver_set_evaluation_limits(s, 0, budget), AUGUR_OK);
    cr_assert_eq(augur_solver_set_param_string(s, "bound-policy", policy), AUGUR_OK,
                 "%s", policy);
    return s;
}

/* sum (x_i - 2)^2 in [-1, 1]^3 (minimum n = 3 at the corner), seed 3,
 * budget 3000, default sigma0 (0.6: 0.3 of the width): every policy stays
 * in the box and ends within 1e-6 of f = 3. With active CMA (the default)
 * this needs a generation whose points the box redrew or repaired to skip
 * the negative update: with it, resample, reflect, clip and
 * resample-reflect stalled at f - 3 = 0.002, 0.41, 0.08 and 0.13. */
Test(cmaes, every_policy_stays_in_the_box)
{
    const char *policies[] = {"resample", "clip", "reflect", "transform",
                              "resample-reflect"};
    for (size_t p = 0; p < 5; p++) {
        augur_solver *s = corner_solver(policies[p], 3000);
        tally t = {0};
        solve_ok(s, outside_bowl, &t, augur_term_stopval(3 + 1e-6));
        cr_assert_eq(t.outside, 0, "%s: %zu calls outside", policies[p], t.outside);
        cr_assert_eq(t.calls, augur_solver_evaluations(s));
        cr_assert(augur_solver_best_energy(s) - 3 <= 1e-6, "%s: f = %.10g",
                  policies[p], augur_solver_best_energy(s));
        augur_solver_destroy(s);
    }
}

/* C's diagonal after the first update (generation 1), whatever the run. */
static double first_cdiag[3];

static int cdiag_check(augur_termination *t, void *state, const augur_info *info,
                       char *reason, size_t cap)
{
    (void)t, (void)state, (void)reason, (void)cap;
    if (info->strategy->generation == 1)
        memcpy(first_cdiag, info->strategy->c_diag, sizeof first_cdiag);
    return info->strategy->generation >= 1;
}

static const augur_term_type cdiag_spy = {.name = "cdiag-spy", .label = "CDiagSpy",
                                          .doc = "test", .check = cdiag_check};

/* One update of cmaes in [-1, 1]^3 from x0 with sigma0, active or not;
 * C's diagonal after it in out. */
static void first_update(const double *x0, double sigma0, int active, double *out)
{
    augur_solver *s = corner_solver("resample-reflect", 100);
    cr_assert_eq(augur_solver_set_initial_point(s, x0), AUGUR_OK);
    cr_assert_eq(augur_solver_set_param(s, "sigma0", sigma0), AUGUR_OK);
    cr_assert_eq(augur_solver_set_param(s, "active", active), AUGUR_OK);
    solve_ok(s, augur_model_sphere, NULL, augur_term_create_type(&cdiag_spy));
    memcpy(out, first_cdiag, sizeof first_cdiag);
    augur_solver_destroy(s);
}

/* Where active CMA's negative update applies: it is skipped only in a
 * generation that met the box while narrow (sd <= a tenth of the width,
 * here 0.2), and kept in a wide one that met it and in a narrow one
 * inside. The draws do not depend on "active", so C after the first
 * update is the same bit for bit with and without it exactly where the
 * update is skipped. */
Test(cmaes, active_update_skipped_only_narrow_at_the_box)
{
    double classic[3], active[3];
    double corner[3] = {1, 1, 1}, centre[3] = {0, 0, 0}, near_face[3] = {0.9, 0, 0};
    /* narrow at a corner: most points cross two or three faces */
    first_update(corner, 0.05, 0, classic);
    first_update(corner, 0.05, 1, active);
    cr_assert(!memcmp(classic, active, sizeof classic), "narrow at the box: %g %g",
              classic[0], active[0]);
    /* narrow inside: nothing reaches a face */
    first_update(centre, 0.05, 0, classic);
    first_update(centre, 0.05, 1, active);
    cr_assert(memcmp(classic, active, sizeof classic), "narrow inside");
    /* wide (sd 0.6) near a face: points are redrawn, the update stays */
    first_update(near_face, 0.6, 0, classic);
    first_update(near_face, 0.6, 1, active);
    cr_assert(memcmp(classic, active, sizeof classic), "wide at the box");
}

/* The points a run evaluates, in order, and for each generation whether
 * the distribution it was drawn from was wide (some coordinate's standard
 * deviation sigma sqrt(C_ii) above a tenth of the width 2). */
enum { TRACE_MAX = 3000, TRACE_GENS = 500 };
typedef struct trace {
    double x[TRACE_MAX][3];
    size_t calls;
    int wide[TRACE_GENS];
} trace;

static trace traces[2];
static trace *tracing;

static double traced_bowl(const double *x, size_t n, void *data)
{
    trace *t = data;
    if (t->calls < TRACE_MAX)
        memcpy(t->x[t->calls], x, n * sizeof *x);
    t->calls++;
    double f = 0;
    for (size_t i = 0; i < n; i++)
        f += (x[i] - 2) * (x[i] - 2);
    return f;
}

static int width_check(augur_termination *t, void *state, const augur_info *info,
                       char *reason, size_t cap)
{
    (void)t, (void)state, (void)reason, (void)cap;
    const augur_strategy *st = info->strategy;
    double sd = 0;
    for (size_t j = 0; j < st->n; j++)
        sd = fmax(sd, st->sigma * sqrt(st->c_diag[j]));
    if (st->generation < TRACE_GENS)
        tracing->wide[st->generation] = sd > 0.2;   /* for the next generation */
    return 0;
}

static const augur_term_type width_spy = {.name = "width-spy", .label = "WidthSpy",
                                          .doc = "test", .check = width_check};

/* The corner bowl above, seed 3, 1400 evaluations (200 generations of 7),
 * under "resample" and "resample-reflect": the two runs evaluate the same
 * points, bit for bit, through every generation drawn from a wide
 * distribution (generation 0 starts at sd 0.6), and part ways only once it
 * is narrow, where resample-reflect reflects instead of redrawing (here
 * both from generation 26 on); both stay in the box and reach f = 3 to
 * 1e-6. */
Test(cmaes, resample_reflect_resamples_while_wide)
{
    const char *policies[] = {"resample", "resample-reflect"};
    for (size_t p = 0; p < 2; p++) {
        augur_solver *s = corner_solver(policies[p], 1400);
        tracing = &traces[p];
        memset(tracing, 0, sizeof *tracing);
        tracing->wide[0] = 1;
        solve_ok(s, traced_bowl, tracing, augur_term_create_type(&width_spy));
        cr_assert_eq(tracing->calls, 1400, "%s", policies[p]);
        cr_assert(augur_solver_best_energy(s) - 3 <= 1e-6, "%s: f = %.10g",
                  policies[p], augur_solver_best_energy(s));
        augur_solver_destroy(s);
    }
    size_t first_narrow = 0, first_apart = 0;
    while (traces[1].wide[first_narrow])
        first_narrow++;
    while (first_apart < 1400 &&
           !memcmp(traces[0].x[first_apart], traces[1].x[first_apart], sizeof traces[0].x[0]))
        first_apart++;
    cr_assert_eq(first_narrow, 26, "first narrow generation %zu", first_narrow);
    cr_assert_eq(first_apart / 7, 26, "apart from generation %zu", first_apart / 7);
    for (size_t p = 0; p < 2; p++)
        for (size_t k = 0; k < 1400; k++)
            for (size_t i = 0; i < 3; i++)
                cr_assert(traces[p].x[k][i] >= -1 && traces[p].x[k][i] <= 1, "%s",
                          policies[p]);
}

/* --- The strategy state, as a third-party condition sees it -------------- */

typedef struct seen {
    double sigma0, sigma;
    size_t lambda, generation, calls;
} seen;

static seen last_seen;

static int spy_check(augur_termination *t, void *state, const augur_info *info,
                     char *reason, size_t cap)
{
    (void)t, (void)state, (void)reason, (void)cap;
    cr_assert_not_null(info->strategy);
    last_seen = (seen){info->strategy->sigma0, info->strategy->sigma,
                       info->strategy->lambda, info->strategy->generation,
                       last_seen.calls + 1};
    return info->generation >= 4;
}

static const augur_term_type spy = {.name = "spy", .label = "Spy",
                                    .doc = "test", .check = spy_check};

/* In [-2, 3] x [0, 10] the computed sigma0 is 0.3 x 10; the default
 * population for n = 2 is 6; the strategy counts generations from 1. */
Test(cmaes, strategy_state_and_computed_defaults)
{
    augur_solver *s = augur_solver_create("cmaes", 2);
    double lb[2] = {-2, 0}, ub[2] = {3, 10};
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_seed(s, 1);
    last_seen = (seen){0};
    solve_ok(s, augur_model_sphere, NULL, augur_term_create_type(&spy));
    cr_assert_eq(last_seen.sigma0, 3.0);
    cr_assert_eq(last_seen.lambda, 6);
    cr_assert_eq(last_seen.generation, 5);
    cr_assert_eq(last_seen.calls, 5);
    cr_assert_eq(augur_solver_evaluations(s), 30);
    double p;
    augur_solver_get_param(s, "population", &p);
    cr_assert_eq(p, 0, "the parameter keeps its computed-default 0");
    augur_solver_destroy(s);
}

/* --- The same run on every map -------------------------------------------- */

enum { DN = 5, DBUDGET = 3000 };

typedef struct outcome {
    double x[DN], f;
    size_t evaluations, generations, log_len;
    double log_f[DBUDGET + 100];
} outcome;

static void run_on(augur_map *map, outcome *out)
{
    augur_solver *s = cma(DN, 11, DBUDGET);
    augur_solver_set_param(s, "active", 1);
    augur_solver_set_map(s, map);
    augur_monitor *log = augur_monitor_history(0);
    augur_solver_add_evaluation_monitor(s, augur_monitor_ref(log));
    cr_assert_geq(augur_solve(s, augur_model_rosen, NULL, NULL), 0, "%s",
                  augur_solver_errmsg(s));
    memset(out, 0, sizeof *out);
    memcpy(out->x, augur_solver_best_solution(s), sizeof out->x);
    out->f = augur_solver_best_energy(s);
    out->evaluations = augur_solver_evaluations(s);
    out->generations = augur_solver_generations(s);
    out->log_len = augur_history_length(log);
    cr_assert_leq(out->log_len, DBUDGET + 100);
    for (size_t k = 0; k < out->log_len; k++)
        out->log_f[k] = augur_history_f(log, k);
    augur_solver_destroy(s);
    augur_monitor_destroy(log);
}

/* Active CMA-ES on rosen-5, seed 11, budget 3000, default termination:
 * serial, threads:2 and fork:2 give the same best x, f, counts and
 * evaluation log, bit for bit. */
Test(cmaes, bit_identical_on_serial_threads_and_fork)
{
    static outcome ref, got;
    run_on(NULL, &ref);
    cr_assert_gt(ref.evaluations, 100);
    const char *maps[] = {"serial", "threads", "fork"};
    for (size_t k = 0; k < 3; k++) {
        augur_map *map = augur_map_create(maps[k], 2);
        cr_assert_not_null(map, "%s", maps[k]);
        run_on(map, &got);
        cr_assert_eq(memcmp(ref.x, got.x, sizeof ref.x), 0, "%s: x", maps[k]);
        cr_assert_eq(ref.f, got.f, "%s: f", maps[k]);
        cr_assert_eq(ref.evaluations, got.evaluations, "%s", maps[k]);
        cr_assert_eq(ref.generations, got.generations, "%s", maps[k]);
        cr_assert_eq(ref.log_len, got.log_len, "%s", maps[k]);
        cr_assert_eq(memcmp(ref.log_f, got.log_f, ref.log_len * sizeof(double)), 0,
                     "%s: evaluation log", maps[k]);
        augur_map_destroy(map);
    }
}

/* --- Each stopping test fires for its reason ------------------------------ */

/* Run cmaes (n, seed, x0 = 0 unless given) on cost under one condition
 * alone, with a budget it must not reach; check the reason. */
static augur_solver *stop_case(size_t n, augur_cost cost, const double *x0,
                               augur_termination *t, const char *reason)
{
    augur_solver *s = cma(n, 5, 200000);
    if (x0)
        augur_solver_set_initial_point(s, x0);
    solve_ok(s, cost, NULL, t);
    cr_assert_str_eq(augur_solver_termination_reason(s), reason,
                     "after %zu evaluations", augur_solver_evaluations(s));
    cr_assert_lt(augur_solver_evaluations(s), 200000);
    return s;
}

static double flat(const double *x, size_t n, void *data)
{
    (void)x, (void)n, (void)data;
    return 1;
}

/* A flat cost: TolFun after 10 + ceil(30 * 4 / 8) = 25 generations. */
Test(cmaes, tolfun_fires_on_a_flat_cost)
{
    augur_solver *s = stop_case(4, flat, NULL, augur_term_tol_fun(1e-12),
                                "TolFun(tolerance=1e-12)");
    cr_assert_eq(augur_solver_generations(s), 24);
    augur_solver_destroy(s);
}

/* The sphere: sigma and C shrink until every standard deviation is below
 * 1e-9 sigma0. */
Test(cmaes, tolx_fires_on_the_sphere)
{
    augur_solver *s = stop_case(3, augur_model_sphere, NULL, augur_term_tol_x(1e-9),
                                "TolX(tolerance=1e-09)");
    cr_assert_lt(augur_solver_best_energy(s), 1e-16);
    augur_solver_destroy(s);
}

/* sum (x_i - 1000)^2 from 1000.5: the steps shrink below what the mean's
 * last bit can hold (1.1e-13 at 1000), and then an axis step changes
 * nothing; likewise a coordinate step. */
static double far_sphere(const double *x, size_t n, void *data)
{
    (void)data;
    double f = 0;
    for (size_t i = 0; i < n; i++)
        f += (x[i] - 1000) * (x[i] - 1000);
    return f;
}

Test(cmaes, no_effect_axis_and_coord_fire_at_the_mean_s_precision)
{
    double x0[3] = {1000.5, 1000.5, 1000.5};
    augur_solver *s = stop_case(3, far_sphere, x0, augur_term_no_effect_axis(0.1),
                                "NoEffectAxis(factor=0.1)");
    augur_solver_destroy(s);
    s = stop_case(3, far_sphere, x0, augur_term_no_effect_coord(0.2),
                  "NoEffectCoord(factor=0.2)");
    augur_solver_destroy(s);
}

/* x_0^2 + 1e6 x_1^2: C learns the condition 1e6 and passes a limit of 1e4. */
static double thin(const double *x, size_t n, void *data)
{
    (void)n, (void)data;
    return x[0] * x[0] + 1e6 * x[1] * x[1];
}

Test(cmaes, condition_cov_fires_on_an_ill_conditioned_bowl)
{
    double x0[2] = {1, 1};
    augur_solver *s = stop_case(2, thin, x0, augur_term_condition_cov(1e4),
                                "ConditionCov(limit=10000)");
    augur_solver_destroy(s);
}

/* A cost that is noise (a hash of x in [0, 1)): no generation improves on
 * the ones before, so Stagnation fires once its window (0.2 g + 120 + 30 *
 * 2 / 6, about 160 generations) is full. */
static double noise(const double *x, size_t n, void *data)
{
    (void)data;
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) {
        uint64_t b;
        memcpy(&b, &x[i], sizeof b);
        h = (h ^ b) * 1099511628211u;
        h ^= h >> 29;
    }
    return (double)(h >> 11) / 9007199254740992.0;
}

Test(cmaes, stagnation_fires_on_noise)
{
    augur_solver *s = stop_case(2, noise, NULL, augur_term_stagnation(0.3),
                                "Stagnation(share=0.3)");
    cr_assert_geq(augur_solver_generations(s), 150);
    augur_solver_destroy(s);
}

/* A linear cost: sigma grows without bound; with a limit of 1 the step
 * size soon outgrows the longest axis of C. */
static double slope(const double *x, size_t n, void *data)
{
    (void)n, (void)data;
    return x[0];
}

Test(cmaes, tol_up_sigma_fires_on_a_slope)
{
    augur_solver *s = stop_case(2, slope, NULL, augur_term_tol_up_sigma(1),
                                "TolUpSigma(limit=1)");
    augur_solver_destroy(s);
}

/* Every strategy leaf under a solver without a strategy state says so. */
Test(cmaes, strategy_leaves_refuse_other_solvers)
{
    const char *names[] = {"tol-fun", "tol-x", "no-effect-axis", "no-effect-coord",
                           "condition-cov", "stagnation", "tol-up-sigma"};
    for (size_t k = 0; k < 7; k++) {
        augur_solver *s = augur_solver_create("nelder-mead", 2);
        double x0[2] = {1, 1};
        augur_solver_set_initial_point(s, x0);
        int rc = augur_solve(s, augur_model_sphere, NULL, augur_term_create(names[k]));
        cr_assert_lt(rc, 0, "%s", names[k]);
        cr_assert(strstr(augur_solver_errmsg(s), "publishes none"), "%s: %s",
                  names[k], augur_solver_errmsg(s));
        augur_solver_destroy(s);
    }
}

/* --- Settings ------------------------------------------------------------- */

Test(cmaes, population_of_one_is_refused)
{
    augur_solver *s = cma(2, 1, 100);
    cr_assert_eq(augur_solver_set_param(s, "population", 1), AUGUR_OK);
    cr_assert_lt(augur_solve(s, augur_model_sphere, NULL, NULL), 0);
    cr_assert(strstr(augur_solver_errmsg(s), "population"), "%s",
              augur_solver_errmsg(s));
    augur_solver_destroy(s);
}

/* --- IPOP restarts -------------------------------------------------------- */

/* An ipop solver over cmaes in [-5.12, 5.12]^n, seeded, with a budget. */
static augur_solver *ipop(size_t n, uint64_t seed, size_t budget)
{
    augur_solver *s = augur_solver_create("ipop", n);
    cr_assert_not_null(s);
    double lb[NMAX], ub[NMAX];
    for (size_t i = 0; i < n; i++) {
        lb[i] = -5.12;
        ub[i] = 5.12;
    }
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_seed(s, seed);
    augur_solver_set_evaluation_limits(s, 0, budget);
    cr_assert_eq(augur_solver_set_nested(s, augur_solver_create("cmaes", n)), AUGUR_OK);
    return s;
}

/* Rastrigin-5 in [-5.12, 5.12]^5, seed 3, budget 20,000: IPOP's runs of
 * 8, 16 and 32 points end at 1.99, 2.98 and 1.8e-15, the global minimum,
 * after 7,840 evaluations in all (two more runs take the rest of the
 * budget). IPOP solves this on about half of the seeds (1-100: 54, active
 * CMA and cmaes's own normals; 45 classic); seeds 1 and 2, pinned here
 * before, now end at 9.5e-6 and 2.5e-4, in the global basin but short of
 * 1e-8 when the budget runs out. */
Test(cmaes, ipop_solves_rastrigin5)
{
    augur_solver *s = ipop(5, 3, 20000);
    solve_ok(s, augur_model_rastrigin, NULL, NULL);
    cr_assert(augur_solver_best_energy(s) < 1e-8, "f = %g",
              augur_solver_best_energy(s));
    cr_assert_leq(augur_solver_evaluations(s), 20000);
    size_t count = 0;
    const augur_inner_run *runs = augur_ensemble_runs(s, &count);
    cr_assert_geq(count, 2, "the first run should miss");
    cr_assert_gt(runs[0].f, 0.5, "first run f = %g", runs[0].f);
    size_t total = 0;
    for (size_t k = 0; k < count; k++) {
        size_t lambda = (size_t)8 << k;
        /* generation 0 samples too: generations + 1 of lambda */
        cr_assert_eq(runs[k].evaluations, lambda * (runs[k].generations + 1),
                     "run %zu: %zu evaluations in %zu generations", k,
                     runs[k].evaluations, runs[k].generations);
        total += runs[k].evaluations;
    }
    cr_assert_eq(total, augur_solver_evaluations(s));
    augur_solver_destroy(s);
}

/* A small budget (3000) ends the restarts: the runs share it. */
Test(cmaes, ipop_shares_one_budget)
{
    augur_solver *s = ipop(5, 1, 3000);
    solve_ok(s, augur_model_rastrigin, NULL, NULL);
    cr_assert_leq(augur_solver_evaluations(s), 3000);
    cr_assert(strstr(augur_solver_termination_reason(s), "budget spent"), "%s",
              augur_solver_termination_reason(s));
    augur_solver_destroy(s);
}

/* The same restarts on serial, threads:2 and fork:2. */
Test(cmaes, ipop_same_on_every_map)
{
    double ref_f = 0;
    size_t ref_evals = 0;
    const char *maps[] = {NULL, "threads", "fork"};
    for (size_t k = 0; k < 3; k++) {
        augur_solver *s = ipop(3, 2, 20000);
        augur_map *map = maps[k] ? augur_map_create(maps[k], 2) : NULL;
        augur_solver_set_map(s, map);
        solve_ok(s, augur_model_rastrigin, NULL, NULL);
        if (k == 0) {
            ref_f = augur_solver_best_energy(s);
            ref_evals = augur_solver_evaluations(s);
        }
        cr_assert_eq(augur_solver_best_energy(s), ref_f, "%s", maps[k]);
        cr_assert_eq(augur_solver_evaluations(s), ref_evals, "%s", maps[k]);
        augur_solver_destroy(s);
        augur_map_destroy(map);
    }
}
