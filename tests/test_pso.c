/* test_pso.c - particle swarm optimisation.
 *
 * Each solver test states its problem, box, seed, budget and the accuracy
 * it must reach. Unless a test says otherwise the swarm runs with its
 * defaults: 40 particles, SPSO coefficients, global topology, clip, and the
 * default termination (no improvement over 1e-10 in 50 generations). The
 * sphere, Rosenbrock and Rastrigin problems are the library's models
 * (augur_model_sphere, augur_model_rosen, augur_model_rastrigin). */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "augur/plugin.h"

static void init_suite(void)
{
    gsl_set_error_handler_off();
}

TestSuite(pso, .init = init_suite);

/* Calls and calls outside [-1, 1]^n of sum (x_i - 2)^2, whose minimum
 * (2, ..., 2) lies outside the box, so the swarm presses on the corner
 * (1, ..., 1), where the constrained minimum is n. */
typedef struct tally {
    size_t calls, outside;
} tally;

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

static double counted_sphere(const double *x, size_t n, void *data)
{
    ((tally *)data)->calls++;
    return augur_model_sphere(x, n, NULL);
}

/* A pso solver in [lo, hi]^n with the given seed. */
static augur_solver *swarm(size_t n, double lo, double hi, uint64_t seed)
{
    augur_solver *s = augur_solver_create("pso", n);
    cr_assert_not_null(s);
    double lb[16], ub[16];
    for (size_t i = 0; i < n; i++) {
        lb[i] = lo;
        ub[i] = hi;
    }
    cr_assert_eq(augur_solver_set_bounds(s, lb, ub), AUGUR_OK);
    cr_assert_eq(augur_solver_set_seed(s, seed), AUGUR_OK);
    return s;
}

static void solve_ok(augur_solver *s, augur_cost cost, void *data)
{
    cr_assert_eq(augur_solve(s, cost, data, NULL), AUGUR_OK, "%s",
                 augur_solver_errmsg(s));
}

/* --- Convergence ------------------------------------------------------- */

/* Sphere 5-D in [-5, 5]^5, seed 1, budget 10,000 evaluations: f < 1e-10. */
Test(pso, sphere5_reaches_1e_10)
{
    augur_solver *s = swarm(5, -5, 5, 1);
    augur_solver_set_evaluation_limits(s, 0, 10000);
    solve_ok(s, augur_model_sphere, NULL);
    cr_assert(augur_solver_best_energy(s) < 1e-10, "f = %g",
              augur_solver_best_energy(s));
    cr_assert_leq(augur_solver_evaluations(s), 10000);
    augur_solver_destroy(s);
}

/* Rosenbrock 2-D in [-5, 5]^2, seed 1, budget 10,000 evaluations:
 * f < 1e-6 and x within 1e-3 of (1, 1). */
Test(pso, rosen2_reaches_1e_6)
{
    augur_solver *s = swarm(2, -5, 5, 1);
    augur_solver_set_evaluation_limits(s, 0, 10000);
    solve_ok(s, augur_model_rosen, NULL);
    cr_assert(augur_solver_best_energy(s) < 1e-6, "f = %g",
              augur_solver_best_energy(s));
    const double *x = augur_solver_best_solution(s);
    for (size_t i = 0; i < 2; i++)
        cr_assert(fabs(x[i] - 1) < 1e-3, "x[%zu] = %g", i, x[i]);
    augur_solver_destroy(s);
}

/* Rastrigin 2-D in [-5.12, 5.12]^2 (dozens of local minima), seed 2,
 * budget 10,000 evaluations: the global minimum, f < 1e-6, |x_i| < 1e-3. */
Test(pso, rastrigin2_finds_the_global_minimum)
{
    augur_solver *s = swarm(2, -5.12, 5.12, 2);
    augur_solver_set_evaluation_limits(s, 0, 10000);
    solve_ok(s, augur_model_rastrigin, NULL);
    cr_assert(augur_solver_best_energy(s) < 1e-6, "f = %g",
              augur_solver_best_energy(s));
    const double *x = augur_solver_best_solution(s);
    for (size_t i = 0; i < 2; i++)
        cr_assert(fabs(x[i]) < 1e-3, "x[%zu] = %g", i, x[i]);
    augur_solver_destroy(s);
}

/* Ring topology, sphere 10-D in [-5, 5]^10, seed 1, budget 20,000
 * evaluations: f < 1e-10. */
Test(pso, ring_topology_solves_sphere10)
{
    augur_solver *s = swarm(10, -5, 5, 1);
    cr_assert_eq(augur_solver_set_param_string(s, "topology", "ring"), AUGUR_OK);
    augur_solver_set_evaluation_limits(s, 0, 20000);
    solve_ok(s, augur_model_sphere, NULL);
    cr_assert(augur_solver_best_energy(s) < 1e-10, "f = %g",
              augur_solver_best_energy(s));
    augur_solver_destroy(s);
}

/* Sphere 3-D without bounds from x0 = (3, -2, 1), seed 4, budget 20,000
 * evaluations: the range comes from the initial spread; f < 1e-10. */
Test(pso, unbounded_run_from_an_initial_point)
{
    augur_solver *s = augur_solver_create("pso", 3);
    double x0[3] = {3, -2, 1};
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_seed(s, 4);
    augur_solver_set_evaluation_limits(s, 0, 20000);
    solve_ok(s, augur_model_sphere, NULL);
    cr_assert(augur_solver_best_energy(s) < 1e-10, "f = %g",
              augur_solver_best_energy(s));
    augur_solver_destroy(s);
}

/* --- Bounds ------------------------------------------------------------ */

/* sum (x_i - 2)^2 in [-1, 1]^3 under each supported policy, seed 3,
 * budget 12,000 evaluations: no call outside the box, f - 3 < 1e-8 and
 * every x_i within 1e-4 of 1. */
Test(pso, every_policy_stays_in_the_box_and_finds_the_corner)
{
    const char *policies[] = {"clip", "reflect", "periodic", "wall"};
    for (size_t p = 0; p < 4; p++) {
        const char *name = policies[p];
        augur_solver *s = swarm(3, -1, 1, 3);
        cr_assert_eq(augur_solver_set_param_string(s, "bound-policy", name), AUGUR_OK,
                     "%s", augur_solver_errmsg(s));
        augur_solver_set_evaluation_limits(s, 0, 12000);
        tally t = {0};
        solve_ok(s, outside_bowl, &t);
        cr_assert_eq(t.outside, 0, "%s: %zu coordinates outside", name,
                     t.outside);
        cr_assert_eq(t.calls, augur_solver_evaluations(s), "%s", name);
        double f = augur_solver_best_energy(s);
        cr_assert(f - 3 < 1e-8, "%s: f = %.12g", name, f);
        const double *x = augur_solver_best_solution(s);
        for (size_t i = 0; i < 3; i++)
            cr_assert(fabs(x[i] - 1) < 1e-4, "%s: x[%zu] = %g", name, i, x[i]);
        augur_solver_destroy(s);
    }
}

/* Under "wall" a particle outside is not evaluated: a generation counts at
 * most swarm-size evaluations, and the calls agree with the count. */
Test(pso, wall_lets_particles_fly_unevaluated)
{
    augur_solver *s = swarm(3, -1, 1, 5);
    augur_solver_set_param_string(s, "bound-policy", "wall");
    tally t = {0};
    cr_assert_eq(augur_solver_step(s, outside_bowl, &t), AUGUR_OK);
    cr_assert_eq(augur_solver_evaluations(s), 40);
    size_t before = 40, fewer = 0;
    for (int g = 0; g < 30; g++) {
        cr_assert_eq(augur_solver_step(s, NULL, NULL), AUGUR_OK);
        size_t added = augur_solver_evaluations(s) - before;
        cr_assert_leq(added, 40);
        fewer += added < 40;
        before = augur_solver_evaluations(s);
    }
    cr_assert_gt(fewer, 0, "the swarm never left the box");
    cr_assert_eq(t.calls, augur_solver_evaluations(s));
    cr_assert_eq(t.outside, 0);
    augur_solver_destroy(s);
}

/* --- Determinism and accounting --------------------------------------- */

/* Rastrigin 4-D in [-5.12, 5.12]^4, seed 99, ring, periodic, perturbation
 * 0.05, 200 generations: two runs agree bit for bit in history, best point
 * and counts. */
Test(pso, same_seed_is_bit_identical)
{
    double *hist[2], x[2][4], f[2];
    size_t len[2], evals[2];
    for (int r = 0; r < 2; r++) {
        augur_solver *s = swarm(4, -5.12, 5.12, 99);
        augur_solver_set_param_string(s, "topology", "ring");
        augur_solver_set_param_string(s, "bound-policy", "periodic");
        augur_solver_set_param(s, "perturbation", 0.05);
        augur_solver_set_evaluation_limits(s, 200, 0);
        /* the whole history from a monitor: the solver keeps only what its
         * condition reads */
        augur_monitor *gens = augur_monitor_history(0);
        augur_solver_add_generation_monitor(s, augur_monitor_ref(gens));
        solve_ok(s, augur_model_rastrigin, NULL);
        len[r] = augur_history_length(gens);
        hist[r] = malloc(len[r] * sizeof *hist[r]);
        for (size_t k = 0; k < len[r]; k++)
            hist[r][k] = augur_history_f(gens, k);
        augur_monitor_destroy(gens);
        memcpy(x[r], augur_solver_best_solution(s), sizeof x[r]);
        f[r] = augur_solver_best_energy(s);
        evals[r] = augur_solver_evaluations(s);
        augur_solver_destroy(s);
    }
    cr_assert_eq(len[0], 201);
    cr_assert_eq(len[0], len[1]);
    cr_assert(memcmp(hist[0], hist[1], len[0] * sizeof *hist[0]) == 0);
    cr_assert(memcmp(x[0], x[1], sizeof x[0]) == 0);
    cr_assert(memcmp(&f[0], &f[1], sizeof f[0]) == 0);
    cr_assert_eq(evals[0], evals[1]);
    free(hist[0]);
    free(hist[1]);
}

/* Sphere 3-D in [-5, 5]^3, seed 6, swarm 25, stepped by hand: generation
 * 0 costs 25 evaluations and each generation 25 more, 26 with the
 * perturbation on; the cost's own call count always equals the solver's. */
Test(pso, each_generation_evaluates_the_swarm_once)
{
    augur_solver *s = swarm(3, -5, 5, 6);
    cr_assert_eq(augur_solver_set_param(s, "swarm-size", 25), AUGUR_OK);
    tally t = {0};
    cr_assert_eq(augur_solver_step(s, counted_sphere, &t), AUGUR_OK);
    cr_assert_eq(augur_solver_evaluations(s), 25);
    for (size_t g = 1; g <= 5; g++) {
        cr_assert_eq(augur_solver_step(s, NULL, NULL), AUGUR_OK);
        cr_assert_eq(augur_solver_evaluations(s), 25 + 25 * g);
        cr_assert_eq(t.calls, augur_solver_evaluations(s));
    }
    cr_assert_eq(augur_solver_set_param(s, "perturbation", 0.1), AUGUR_OK);
    for (size_t g = 1; g <= 5; g++) {
        cr_assert_eq(augur_solver_step(s, NULL, NULL), AUGUR_OK);
        cr_assert_eq(augur_solver_evaluations(s), 150 + 26 * g);
        cr_assert_eq(t.calls, augur_solver_evaluations(s));
    }
    cr_assert_eq(augur_solver_generations(s), 10);
    augur_solver_destroy(s);
}

/* The population is the 40 personal bests; its best is the best point. */
Test(pso, population_is_the_personal_bests)
{
    augur_solver *s = swarm(2, -5, 5, 8);
    augur_solver_set_evaluation_limits(s, 20, 0);
    solve_ok(s, augur_model_sphere, NULL);
    size_t npop = 0;
    const double *pop = augur_solver_population(s, &npop);
    cr_assert_not_null(pop);
    cr_assert_eq(npop, 40);
    double lowest = INFINITY;
    for (size_t k = 0; k < npop; k++)
        lowest = fmin(lowest, augur_model_sphere(pop + 2 * k, 2, NULL));
    cr_assert_eq(lowest, augur_solver_best_energy(s));
    augur_solver_destroy(s);
}

/* Sphere 2-D in [-5, 5]^2, seed 1, no limits set: the default condition
 * ends the run, within the default generation limit 10 * 2 * 40. */
Test(pso, default_termination_is_no_improvement)
{
    augur_solver *s = swarm(2, -5, 5, 1);
    solve_ok(s, augur_model_sphere, NULL);
    cr_assert(strstr(augur_solver_termination_reason(s), "NoImprovement"),
              "%s", augur_solver_termination_reason(s));
    cr_assert_str_eq(augur_solver_termination_reason(s),
                     "NoImprovement(generations=50, tolerance=1e-10)");
    cr_assert_lt(augur_solver_generations(s), 800);
    augur_solver_destroy(s);
}

Test(pso, default_limits_scale_with_the_swarm)
{
    augur_solver *s = augur_solver_create("pso", 3);
    cr_assert_eq(augur_solver_max_generations(s), 10 * 3 * 40);
    cr_assert_eq(augur_solver_max_evaluations(s), 1000 * 3 * 40);
    augur_solver_set_param(s, "swarm-size", 20);
    cr_assert_eq(augur_solver_max_generations(s), 10 * 3 * 20);
    cr_assert_eq(augur_solver_max_evaluations(s), 1000 * 3 * 20);
    augur_solver_destroy(s);
}

/* --- Bad settings ------------------------------------------------------ */

static void rejects(augur_solver *s, const char *name, double value, int code)
{
    cr_assert_eq(augur_solver_set_param(s, name, value), code, "%s = %g", name,
                 value);
    cr_assert(strstr(augur_solver_errmsg(s), name), "%s: '%s'", name,
              augur_solver_errmsg(s));
}

Test(pso, bad_parameters_give_a_status_and_a_message)
{
    augur_solver *s = augur_solver_create("pso", 2);
    rejects(s, "swarm-size", 1, AUGUR_ERANGE);
    rejects(s, "swarm-size", 0, AUGUR_ERANGE);
    rejects(s, "swarm-size", 2.5, AUGUR_EINVAL);
    rejects(s, "inertia", -0.1, AUGUR_ERANGE);
    rejects(s, "cognitive", -1, AUGUR_ERANGE);
    rejects(s, "social", -1, AUGUR_ERANGE);
    rejects(s, "velocity-clamp", -0.5, AUGUR_ERANGE);
    rejects(s, "perturbation", -1, AUGUR_ERANGE);
    cr_assert_lt(augur_solver_set_param_string(s, "topology", "star"), 0);
    cr_assert(strstr(augur_solver_errmsg(s), "topology"), "%s",
              augur_solver_errmsg(s));
    cr_assert_lt(augur_solver_set_param_string(s, "bound-policy", "bounce"), 0);
    cr_assert(strstr(augur_solver_errmsg(s), "bound-policy"), "%s",
              augur_solver_errmsg(s));
    double v;
    cr_assert_eq(augur_solver_get_param(s, "swarm-size", &v), AUGUR_OK);
    cr_assert_eq(v, 40);
    cr_assert_eq(augur_solver_get_param(s, "inertia", &v), AUGUR_OK);
    cr_assert(fabs(v - 1 / (2 * log(2))) < 1e-15, "w = %.17g", v);
    augur_solver_destroy(s);
}

/* Neither bounds nor a starting point: the run cannot place the swarm. */
Test(pso, no_box_and_no_start_is_an_error)
{
    augur_solver *s = augur_solver_create("pso", 2);
    augur_solver_set_seed(s, 1);
    cr_assert_eq(augur_solve(s, augur_model_sphere, NULL, NULL), AUGUR_ESTATE);
    cr_assert(strstr(augur_solver_errmsg(s), "no starting point"), "%s",
              augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_evaluations(s), 0);
    augur_solver_destroy(s);
}

/* "redraw" is refused when the run starts, and when it is chosen between
 * generations, with a message that names the policies to use instead. */
Test(pso, redraw_policy_is_refused_with_a_message)
{
    augur_solver *s = swarm(2, -1, 1, 1);
    cr_assert_eq(augur_solver_set_param_string(s, "bound-policy", "redraw"), AUGUR_OK);
    tally t = {0};
    cr_assert_eq(augur_solve(s, counted_sphere, &t, NULL), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "'redraw' is not supported"), "%s",
              augur_solver_errmsg(s));
    cr_assert(strstr(augur_solver_errmsg(s), "clip"), "%s",
              augur_solver_errmsg(s));
    cr_assert_eq(t.calls, 0);
    /* a corrected setting lets the same solver run */
    augur_solver_set_param_string(s, "bound-policy", "reflect");
    cr_assert_eq(augur_solver_step(s, counted_sphere, &t), AUGUR_OK, "%s",
                 augur_solver_errmsg(s));
    cr_assert_eq(t.calls, 40);
    augur_solver_set_param_string(s, "bound-policy", "redraw");
    cr_assert_eq(augur_solver_step(s, NULL, NULL), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "redraw"), "%s",
              augur_solver_errmsg(s));
    cr_assert_eq(t.calls, 40);
    augur_solver_destroy(s);
}
