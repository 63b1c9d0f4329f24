/* test_termination_registry.c - the termination area's plumbing: every
 * constructor refuses bad values, parameters are set and read by name with
 * a message on error, the registry lists every type by name with mystic's
 * defaults, and a check without run information or one that fails silently
 * is reported as an error. The conditions themselves are in
 * test_termination_leaves.c and test_termination_combinators.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stddef.h>
#include <string.h>
#include "augur/status.h"
#include "augur/termination.h"
#include "term_info.h"

/* A type whose check fails without leaving a message. */
static int silent_fail_check(augur_termination *t, void *state,
                             const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)state, (void)info, (void)cap;
    strcpy(reason, "half-written");
    return AUGUR_EFAILED;
}

static const augur_term_type silent_fail_type = {
    .name = "silent-fail",
    .label = "SilentFail",
    .doc = "test double",
    .state_size = 0,
    .params = NULL,
    .max_children = 0,
    .check = silent_fail_check,
    .reset = NULL,
};

/* --- Arguments, parameters and the registry ------------------------------------ */

Test(arguments, constructors_refuse_bad_values)
{
    cr_assert_null(augur_term_vtr(-1, 0));
    cr_assert_null(augur_term_vtr(NAN, 0));
    cr_assert_null(augur_term_vtr(0.1, NAN));
    cr_assert_null(augur_term_change_over_generation(-1e-9, 30));
    cr_assert_null(augur_term_change_over_generation(0.1, 2000000000));
    cr_assert_null(augur_term_normalized_change_over_generation(-1, 10));
    cr_assert_null(augur_term_vtr_change_over_generation(-1, 1e-6, 30, 0));
    cr_assert_null(augur_term_vtr_change_over_generation(0.1, -1, 30, 0));
    cr_assert_null(augur_term_candidate_relative_tolerance(-1, 1));
    cr_assert_null(augur_term_candidate_relative_tolerance(1, -1));
    cr_assert_null(augur_term_solution_improvement(-1));
    cr_assert_null(augur_term_normalized_cost_target(0, -1, 30));
    cr_assert_null(augur_term_population_spread(-1));
    cr_assert_null(augur_term_gradient_norm_tolerance(-1, INFINITY));
    cr_assert_null(augur_term_gradient_norm_tolerance(1e-5, 0.5));
    cr_assert_null(augur_term_evaluation_limits(2000000000, 0));
    cr_assert_null(augur_term_time_limits(-1));
    cr_assert_null(augur_term_time_limits(NAN));
    cr_assert_null(augur_term_no_improvement(5, -1));
    cr_assert_null(augur_term_stopval(NAN));
    cr_assert_null(augur_term_ftol_abs(-1));
    cr_assert_null(augur_term_ftol_rel(-1));
    cr_assert_null(augur_term_xtol_abs(-1));
    cr_assert_null(augur_term_xtol_rel(-1));
}

Test(arguments, set_param_errors_keep_a_message)
{
    augur_termination *t = augur_term_create("vtr");
    cr_assert_eq(augur_term_set_param(t, "bogus", 1), AUGUR_ENOTFOUND);
    cr_assert_str_eq(augur_term_errmsg(t),
                     "vtr: no parameter named 'bogus' (it has: tolerance, target)");
    cr_assert_eq(augur_term_set_param(t, "tolerance", -1), AUGUR_ERANGE);
    cr_assert_str_eq(augur_term_errmsg(t),
                     "vtr: parameter 'tolerance' must be in [0, inf], not -1");
    cr_assert_eq(augur_term_set_param(t, "target", NAN), AUGUR_EINVAL);
    cr_assert_eq(param(t, "tolerance"), 0.005);
    cr_assert_eq(augur_term_set_param(t, "Tolerance", 0.25), AUGUR_OK);
    cr_assert_str_eq(augur_term_errmsg(t), "");
    cr_assert_eq(param(t, "tolerance"), 0.25);
    double v;
    cr_assert_eq(augur_term_get_param(t, "bogus", &v), AUGUR_ENOTFOUND);
    augur_term_destroy(t);

    augur_termination *c = augur_term_create("change-over-generation");
    cr_assert_eq(augur_term_set_param(c, "generations", 2.5), AUGUR_EINVAL);
    cr_assert_eq(augur_term_set_param(c, "generations", 1e9 + 1), AUGUR_ERANGE);
    cr_assert_eq(augur_term_set_param(c, "generations", 1e9), AUGUR_OK);
    augur_term_destroy(c);
}

Test(registry, names_labels_and_defaults)
{
    static const char *const names[] = {
        "vtr", "change-over-generation", "normalized-change-over-generation",
        "vtr-change-over-generation", "candidate-relative-tolerance",
        "solution-improvement", "normalized-cost-target", "population-spread",
        "gradient-norm-tolerance", "evaluation-limits", "time-limits",
        "no-improvement", "stopval", "ftol-abs", "ftol-rel", "xtol-abs",
        "xtol-rel", "tol-fun", "tol-x", "no-effect-axis", "no-effect-coord",
        "condition-cov", "stagnation", "tol-up-sigma", "or", "and", "not", "when"};
    const augur_term_type *const *types = augur_term_types();
    size_t count = 0;
    while (types[count])
        count++;
    cr_assert_eq(count, sizeof names / sizeof names[0]);
    for (size_t k = 0; k < count; k++) {
        cr_assert_str_eq(types[k]->name, names[k]);
        cr_assert_not_null(types[k]->label);
        cr_assert_eq(augur_term_type_find(names[k]), types[k]);
        augur_termination *t = augur_term_create(names[k]);
        cr_assert_not_null(t, "create(%s)", names[k]);
        cr_assert_eq(augur_term_get_type(t), types[k]);
        augur_term_destroy(t);
    }
    cr_assert_eq(augur_term_type_find("VTR"), types[0]);
    cr_assert_eq(augur_term_type_find("change_over_generation"), types[1]);
    cr_assert_null(augur_term_type_find("nope"));
    cr_assert_null(augur_term_create("nope"));
    cr_assert_null(augur_term_create(NULL));
}

Test(registry, mystic_defaults)
{
    augur_termination *t = augur_term_create("normalized-change-over-generation");
    cr_assert_eq(param(t, "tolerance"), 1e-4);
    cr_assert_eq(param(t, "generations"), 10);
    augur_term_destroy(t);
    t = augur_term_create("candidate-relative-tolerance");
    cr_assert_eq(param(t, "xtol"), 1e-4);
    cr_assert_eq(param(t, "ftol"), 1e-4);
    augur_term_destroy(t);
    t = augur_term_create("vtr-change-over-generation");
    cr_assert_eq(param(t, "ftol"), 0.005);
    cr_assert_eq(param(t, "gtol"), 1e-6);
    cr_assert_eq(param(t, "generations"), 30);
    cr_assert_eq(param(t, "target"), 0);
    augur_term_destroy(t);
    t = augur_term_create("solution-improvement");
    cr_assert_eq(param(t, "tolerance"), 1e-5);
    augur_term_destroy(t);
}

Test(base, check_needs_info_and_reports_silent_failures)
{
    augur_termination *t = augur_term_create("vtr");
    cr_assert_eq(augur_term_check(t, NULL), AUGUR_EINVAL);
    cr_assert_str_eq(augur_term_errmsg(t), "vtr: no run information");
    cr_assert_eq(augur_term_check(NULL, NULL), AUGUR_EINVAL);
    augur_term_destroy(t);
    augur_term_destroy(NULL);

    augur_termination *s = augur_term_create_type(&silent_fail_type);
    augur_info info = run_info(NULL, 0);
    cr_assert_eq(augur_term_check(s, &info), AUGUR_EFAILED);
    cr_assert_str_eq(augur_term_reason(s), "");
    cr_assert_str_eq(augur_term_errmsg(s), "silent-fail: check failed (status -9)");
    augur_term_destroy(s);
}
