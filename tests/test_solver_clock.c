/* test_solver_clock.c - a solver reads the clock for its termination
 * conditions only when one of them reads info->elapsed: of the built-in
 * types only TimeLimits does, a combinator reads it when a member does,
 * and a program's own type is always given the time. The solver's own
 * elapsed time is kept either way. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>
#include "augur.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(clock, .init = quiet_gsl);

/* A condition that never fires and keeps what it was shown of the clock. */
typedef struct {
    double first, last;
    size_t checks, decreases;
} clock_seen;

static clock_seen seen;

static int spy_check(augur_termination *t, void *state, const augur_info *info,
                     char *reason, size_t cap)
{
    (void)t, (void)state, (void)reason, (void)cap;
    if (seen.checks++ == 0)
        seen.first = info->elapsed;
    else if (info->elapsed < seen.last)
        seen.decreases++;
    seen.last = info->elapsed;
    return 0;
}

static const augur_term_type own_spy = {
    .name = "spy", .label = "Spy", .doc = "test double", .check = spy_check,
};

/* Nelder-Mead on the 2-D sphere from (1, 1) for 50 generations. */
static void run_with(const augur_term_type *type)
{
    memset(&seen, 0, sizeof seen);
    augur_solver *s = augur_solver_create("nelder-mead", 2);
    double x0[2] = {1, 1};
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_evaluation_limits(s, 50, AUGUR_UNLIMITED);
    cr_assert_eq(augur_solve(s, augur_model_sphere, NULL, augur_term_create_type(type)),
                 AUGUR_OK, "%s", augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_generations(s), 50);
    cr_assert_gt(augur_solver_elapsed(s), 0);
    augur_solver_destroy(s);
    cr_assert_eq(seen.checks, 50);   /* the limit is tested first at 50 */
}

Test(clock, declarations_combine_like_any_member)
{
    const augur_term_type *const *types = augur_term_types();
    for (size_t k = 0; types[k]; k++) {
        augur_termination *t = augur_term_create_type(types[k]);
        cr_assert_not_null(t);
        cr_expect_eq(augur_term_reads_elapsed(t), !strcmp(types[k]->name, "time-limits"),
                     "%s", types[k]->name);
        augur_term_destroy(t);
    }
    augur_termination *t = augur_term_or(augur_term_vtr(0.005, 0),
                                         augur_term_not(augur_term_time_limits(60)));
    cr_assert_eq(augur_term_reads_elapsed(t), 1);
    augur_term_destroy(t);
    t = augur_term_and(augur_term_vtr(0.005, 0),
                       augur_term_candidate_relative_tolerance(1e-4, 1e-4));
    cr_assert_eq(augur_term_reads_elapsed(t), 0);
    augur_term_destroy(t);
    t = augur_term_when(augur_term_create_type(&own_spy));
    cr_assert_eq(augur_term_reads_elapsed(t), 1);
    augur_term_destroy(t);
}

Test(clock, a_programs_own_condition_is_given_the_time)
{
    run_with(&own_spy);
    cr_assert(seen.first >= 0, "elapsed %g", seen.first);
    cr_assert(isfinite(seen.last) && seen.last >= seen.first);
    cr_assert_eq(seen.decreases, 0);
}

/* A time limit of 0 s fires at the first test, after generation 0. */
Test(clock, a_time_limit_still_stops_the_run)
{
    augur_solver *s = augur_solver_create("nelder-mead", 2);
    double x0[2] = {1, 1};
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_solve(s, augur_model_sphere, NULL,
                             augur_term_or(augur_term_vtr(0, -1),
                                           augur_term_time_limits(0))), AUGUR_OK);
    cr_assert_eq(augur_solver_generations(s), 0);
    cr_assert_eq(augur_solver_evaluations(s), 1);
    cr_assert_str_eq(augur_solver_termination_reason(s), "TimeLimits(seconds=0)");
    augur_solver_destroy(s);
}
