/* test_solver_input.c - bad input to the abstract solver: unknown types
 * and dimensions, bad bounds, arrays and parameters, and a run without a
 * cost or a starting point each give a status and a message, never a
 * crash; a condition handed to a failing call is still freed (the suite
 * runs under AddressSanitizer). */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "nelder_mead.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(solver, .init = quiet_gsl);

/* --- Bad input: a status and a message, never a crash ------------------ */

Test(solver, bad_type_and_dimension)
{
    char err[256];
    augur_solver *s = NULL;
    cr_assert_null(augur_solver_create("no-such-solver", 2));
    cr_assert_eq(augur_solver_new(&s, "no-such-solver", 2, err, sizeof err),
                 AUGUR_ENOTFOUND);
    cr_assert(strstr(err, "no-such-solver"), "%s", err);
    cr_assert_null(augur_solver_create("nelder-mead", 0));
    cr_assert_eq(augur_solver_new(&s, "nelder-mead", 0, err, sizeof err), AUGUR_EINVAL);
    cr_assert(strstr(err, "dimension"), "%s", err);
    cr_assert_null(augur_solver_create(NULL, 2));
    cr_assert_null(s);
    augur_solver_destroy(NULL);
}

Test(solver, bad_bounds_and_arrays)
{
    augur_solver *s = nm(2);
    double lb[2] = {0, 2}, ub[2] = {1, 1}, x[2] = {0, NAN};
    cr_assert_eq(augur_solver_set_bounds(s, lb, ub), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "index 1"), "%s", augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_set_bounds(s, NULL, ub), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "NULL"));
    cr_assert_eq(augur_solver_set_initial_point(s, NULL), AUGUR_EINVAL);
    cr_assert_eq(augur_solver_set_initial_point(s, x), AUGUR_EINVAL);
    cr_assert_eq(augur_solver_set_random_initial_points(s, lb, ub), AUGUR_EINVAL);
    double inf[2] = {-INFINITY, 0}, one[2] = {1, 1};
    cr_assert_eq(augur_solver_set_random_initial_points(s, inf, one), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "finite"), "%s", augur_solver_errmsg(s));
    /* a good call clears the message */
    cr_assert_eq(augur_solver_set_bounds(s, inf, one), AUGUR_OK);
    cr_assert_str_eq(augur_solver_errmsg(s), "");
    augur_solver_destroy(s);
}

Test(solver, bad_parameters)
{
    augur_solver *s = nm(2);
    cr_assert_eq(augur_solver_set_param(s, "no-such", 1), AUGUR_ENOTFOUND);
    cr_assert(strstr(augur_solver_errmsg(s), "radius"), "lists the valid names: %s",
              augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_set_param(s, "radius", -1), AUGUR_ERANGE);
    cr_assert(strstr(augur_solver_errmsg(s), "radius"));
    cr_assert_eq(augur_solver_set_param(s, "adaptive", 0.5), AUGUR_EINVAL);
    cr_assert_eq(augur_solver_set_param(s, "radius", NAN), AUGUR_EINVAL);
    cr_assert_eq(augur_solver_set_param(s, NULL, 1), AUGUR_ENOTFOUND);
    double v = 0;
    cr_assert_eq(augur_solver_get_param(s, "radius", &v), AUGUR_OK);
    cr_assert_eq(v, 0.05);
    cr_assert_eq(augur_solver_set_param_string(s, "adaptive", "true"), AUGUR_OK);
    cr_assert_eq(augur_solver_get_param(s, "adaptive", &v), AUGUR_OK);
    cr_assert_eq(v, 1);
    cr_assert_eq(augur_solver_set_param_string(s, "radius", "big"), AUGUR_EINVAL);
    cr_assert_eq(augur_solver_set_param(s, "Maximize", 1), AUGUR_OK,
                 "names ignore case");
    augur_solver_destroy(s);
}

Test(solver, bad_run_setup)
{
    augur_solver *s = nm(2);
    double x0[2] = {0, 0};
    cr_assert_eq(augur_solve(s, NULL, NULL, NULL), AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "cost"));
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_ESTATE,
                 "no starting point");
    cr_assert(strstr(augur_solver_errmsg(s), "starting point"), "%s",
              augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_evaluations(s), 0);
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_solver_add_generation_monitor(s, NULL), AUGUR_EINVAL);
    cr_assert_null(augur_term_vtr(-1, 0), "a negative tolerance is refused");
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solve(NULL, augur_model_rosen, NULL, augur_term_vtr(1, 0)),
                 AUGUR_EINVAL, "the condition is freed (ASan checks)");
    augur_solver_destroy(s);
}

/* The starting point and the random box read back as set; setting one
 * clears the other, as the setters document. */
Test(solver, start_getters)
{
    augur_solver *s = augur_solver_create("nelder-mead", 2);
    const double *lb = NULL, *ub = NULL;
    cr_assert_null(augur_solver_start_point(s));
    cr_assert_eq(augur_solver_start_box(s, &lb, &ub), 0);
    cr_assert(lb == NULL && ub == NULL);
    double x0[2] = {1.5, -2}, lo[2] = {-1, -3}, hi[2] = {1, 3};
    cr_assert_eq(augur_solver_set_initial_point(s, x0), AUGUR_OK);
    const double *got = augur_solver_start_point(s);
    cr_assert(got && got[0] == 1.5 && got[1] == -2);
    cr_assert_eq(augur_solver_set_random_initial_points(s, lo, hi), AUGUR_OK);
    cr_assert_null(augur_solver_start_point(s));
    cr_assert_eq(augur_solver_start_box(s, &lb, &ub), 1);
    cr_assert(lb[0] == -1 && lb[1] == -3 && ub[0] == 1 && ub[1] == 3);
    cr_assert_null(augur_solver_start_point(NULL));
    cr_assert_eq(augur_solver_start_box(NULL, &lb, &ub), 0);
    augur_solver_destroy(s);
}
