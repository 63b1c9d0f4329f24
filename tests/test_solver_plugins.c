/* test_solver_plugins.c - solver types from outside the library: a
 * registered plugin (a one-point random walk) runs on the Rosenbrock
 * function (augur_model_rosen) with its own default limits and passes a
 * condition's error back to the caller; the registry lists the built-in
 * types and refuses a taken name; an algorithm that runs its own loop
 * inside one step (as NLopt does) checkpoints and finishes by its own
 * criterion. Seeds and limits are stated in each test. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "augur/plugin.h"
#include "nelder_mead.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(solver, .init = quiet_gsl);

/* A plugin: a one-point random walk, to check the plugin route and that a
 * condition's error (CRT needs two members) reaches the caller. */
typedef struct walk_state {
    double step;
    double x[8], y[8];
} walk_state;

static const augur_param walk_params[] = {
    {.name = "step", .kind = AUGUR_PARAM_REAL, .def = 0.1, .min = 0, .max = 10,
     .offset = offsetof(walk_state, step), .doc = "walk step"},
    {.name = NULL},
};

static int walk_start(augur_solver *s, void *state)
{
    walk_state *w = state;
    int rc = augur_solver_initial_points(s, w->x, 1, 0);
    if (rc == AUGUR_OK)
        augur_solver_evaluate(s, w->x);
    return rc;
}

static int walk_step(augur_solver *s, void *state)
{
    walk_state *w = state;
    const double *best = augur_solver_best_solution(s);
    size_t n = augur_solver_dimension(s);
    for (size_t i = 0; i < n; i++)
        w->y[i] = best[i] + w->step * (2 * gsl_rng_uniform(augur_solver_rng(s)) - 1);
    augur_solver_clip(s, w->y);
    augur_solver_evaluate(s, w->y);
    return AUGUR_OK;
}

static const augur_solver_type walk_type = {
    .name = "test-walk", .doc = "random walk (test plugin)",
    .state_size = sizeof(walk_state), .params = walk_params,
    .generation_scale = 100, .evaluation_scale = 1000,
    .start = walk_start, .step = walk_step,
};

Test(solver, plugin_type_runs_and_condition_errors_reach_the_caller)
{
    int rc = augur_solver_type_register(&walk_type);
    cr_assert(rc == AUGUR_OK || rc == AUGUR_EINVAL);
    augur_solver *s = augur_solver_create("test-walk", 2);
    cr_assert_not_null(s);
    double x0[2] = {-1, 1};
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_seed(s, 7);
    /* no default condition: limits alone, 100 n generations */
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_generations(s), 200);
    cr_assert_eq(augur_solver_evaluations(s), 201);
    cr_assert_lt(augur_solver_best_energy(s), augur_model_rosen(x0, 2, NULL));
    augur_solver_destroy(s);

    s = augur_solver_create("test-walk", 2);
    augur_solver_set_initial_point(s, x0);
    rc = augur_solve(s, augur_model_rosen, NULL,
                     augur_term_candidate_relative_tolerance(1e-4, 1e-4));
    cr_assert_eq(rc, AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "termination"), "%s",
              augur_solver_errmsg(s));
    augur_solver_destroy(s);
}

Test(solver, registry_lists_nelder_mead)
{
    const augur_solver_type *const *types = augur_solver_types();
    int found = 0;
    for (size_t i = 0; types[i]; i++)
        found |= strcmp(types[i]->name, "nelder-mead") == 0;
    cr_assert(found);
    cr_assert_not_null(augur_solver_type_find("Nelder_Mead"));
    cr_assert_eq(augur_solver_type_register(augur_solver_type_find("nelder-mead")),
                 AUGUR_EINVAL, "a taken name is refused");
}

/* A plugin that runs its own loop inside one step (as NLopt does): a
 * coordinate probe that checkpoints every 5 evaluations and declares
 * itself finished after 60. */
typedef struct loop_state {
    double x[4];
    size_t done;
} loop_state;

static int loop_start(augur_solver *s, void *state)
{
    loop_state *st = state;
    int rc = augur_solver_initial_points(s, st->x, 1, 0);
    if (rc == AUGUR_OK)
        augur_solver_evaluate(s, st->x);
    return rc;
}

static int loop_step(augur_solver *s, void *state)
{
    loop_state *st = state;
    size_t n = augur_solver_dimension(s);
    while (st->done < 60) {
        double y[4];
        memcpy(y, augur_solver_best_solution(s), n * sizeof *y);
        y[st->done % n] += st->done % 2 ? -0.01 : 0.01;
        augur_solver_evaluate(s, y);
        if (++st->done % 5 == 0) {
            int rc = augur_solver_checkpoint(s);
            if (rc != 0)
                return rc < 0 ? rc : AUGUR_OK;
        }
    }
    augur_solver_finished(s, "OwnLoop(60 probes done)");
    return AUGUR_OK;
}

static const augur_solver_type loop_type = {
    .name = "test-own-loop", .doc = "runs its own loop (test plugin)",
    .state_size = sizeof(loop_state), .generation_scale = 1000,
    .evaluation_scale = 1000, .start = loop_start, .step = loop_step,
};

Test(solver, own_loop_algorithms_checkpoint_and_finish)
{
    int rc = augur_solver_type_register(&loop_type);
    cr_assert(rc == AUGUR_OK || rc == AUGUR_EINVAL);
    double x0[2] = {-1, 1};

    /* A limit stops it at the checkpoint that crosses it. */
    augur_solver *s = augur_solver_create("test-own-loop", 2);
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_evaluation_limits(s, AUGUR_UNLIMITED, 23);
    augur_monitor *gens = augur_monitor_history(0);
    augur_solver_add_generation_monitor(s, augur_monitor_ref(gens));
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    cr_assert_str_eq(augur_solver_termination_reason(s),
                     "EvaluationLimits(evaluations=23; generation 5 cut short)");
    /* 1 + 5 probes x 5 checkpoints asked for 26; the limit is a hard cap:
     * the last 3 probes are not evaluated */
    cr_assert_eq(augur_solver_evaluations(s), 23, "the cap");
    cr_assert_eq(augur_solver_generations(s), 5, "one record per checkpoint, none extra");
    cr_assert_eq(augur_history_length(gens), 6);
    augur_solver_destroy(s);
    augur_monitor_destroy(gens);

    /* Left alone it finishes by its own criterion, reported as the reason. */
    s = augur_solver_create("test-own-loop", 2);
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    cr_assert_str_eq(augur_solver_termination_reason(s), "OwnLoop(60 probes done)");
    cr_assert_eq(augur_solver_evaluations(s), 61);
    cr_assert_eq(augur_solver_generations(s), 12);
    augur_solver_destroy(s);
}
