/* test_solver_history.c - the energy history a solver keeps is bounded by
 * what its termination condition reads: each condition type declares its
 * window (augur_term_type's `history`), combinators the largest of their
 * members', and the base keeps at most twice that, however many
 * generations run. A condition that does not say keeps everything. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdint.h>
#include "augur.h"

/* solvers/run.c, internal: room the history holds */
size_t augur__solver_history_capacity(const augur_solver *s);

#if defined(__SANITIZE_ADDRESS__)
#define LONG_RUN 1000000u       /* 10^6 under AddressSanitizer */
#else
#define LONG_RUN 10000000u      /* 10^7 */
#endif

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(history, .init = quiet_gsl);

static double square(const double *x, size_t n, void *data)
{
    (void)n, (void)data;
    return x[0] * x[0];
}

/* change-over-generation over 30 generations, and a VTR that never fires
 * (so the run goes to its generation limit): window max(31, 1) = 31. */
static augur_termination *window_30(void)
{
    return augur_term_and(augur_term_change_over_generation(1e-6, 30),
                          augur_term_vtr(0, -INFINITY));
}

Test(history, windows_are_declared_and_combine_by_max)
{
    augur_termination *t = window_30();
    cr_assert_eq(augur_term_history(t), 31);
    augur_term_destroy(t);
    t = augur_term_or(augur_term_no_improvement(100, 0), augur_term_vtr(0.1, 0));
    cr_assert_eq(augur_term_history(t), 101);
    augur_term_destroy(t);
    t = augur_term_change_over_generation(1e-6, 0);   /* h[-0]: the first record */
    cr_assert_eq(augur_term_history(t), 1);
    augur_term_destroy(t);
}

Test(history, memory_is_flat_over_many_generations, .timeout = 300)
{
    augur_solver *s = augur_solver_create("nelder-mead", 1);
    double lb = -1, ub = 1, x0 = 0.5;
    augur_solver_set_bounds(s, &lb, &ub);
    augur_solver_set_initial_point(s, &x0);
    augur_solver_set_evaluation_limits(s, LONG_RUN, AUGUR_UNLIMITED);
    cr_assert_eq(augur_solve(s, square, NULL, window_30()), AUGUR_OK,
                 "%s", augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_generations(s), LONG_RUN);
    cr_assert_leq(augur__solver_history_capacity(s), 2 * 31);
    size_t len;
    augur_solver_energy_history(s, &len);
    cr_assert_geq(len, 31);
    cr_assert_leq(len, 62);
    augur_solver_destroy(s);
}

/* A third-party condition that does not declare its window: all kept. */
static int never(augur_termination *t, void *state, const augur_info *info,
                 char *reason, size_t cap)
{
    (void)t, (void)state, (void)reason, (void)cap;
    cr_assert_eq(info->history_len, info->generation + 1);
    cr_assert_eq(info->history_dropped, 0);
    return 0;
}

static const augur_term_type never_type = {
    .name = "never", .label = "Never", .doc = "never fires", .check = never,
};

Test(history, an_undeclared_window_keeps_every_record)
{
    augur_solver *s = augur_solver_create("nelder-mead", 1);
    double x0 = 0.5;
    augur_solver_set_initial_point(s, &x0);
    augur_solver_set_evaluation_limits(s, 1000, AUGUR_UNLIMITED);
    cr_assert_eq(augur_solve(s, square, NULL, augur_term_create_type(&never_type)),
                 AUGUR_OK);
    size_t len;
    augur_solver_energy_history(s, &len);
    cr_assert_eq(len, 1001);
    augur_solver_destroy(s);
}

/* The kept window reads the same as the whole history: the run stops at
 * the same generation with the window as mystic's h[-g] over all records. */
Test(history, the_window_gives_the_same_stop)
{
    augur_solver *s = augur_solver_create("nelder-mead", 2);
    double x0[2] = {-1.2, 1};
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL,
                             augur_term_change_over_generation(1e-6, 5)), AUGUR_OK);
    size_t gens = augur_solver_generations(s), len;
    const double *h = augur_solver_energy_history(s, &len);
    cr_assert_leq(len, 12);
    cr_assert(h[len - 5] - h[len - 1] <= 1e-6);  /* mystic's h[-5] */
    augur_solver_destroy(s);
    cr_assert_gt(gens, 5);
}
