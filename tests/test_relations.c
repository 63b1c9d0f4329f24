/* test_relations.c - the pieces of constraints/ on their own: the built-in
 * mappings (what they do, their check and their text), the penalty kinds
 * with their numbers, the weight schedule, and/or and their ownership
 * (the asan preset's leak check is the judge there), and the written form:
 * the forms it reads and each kind of error with its message; and the
 * solver's side of ownership and of a failing callback. Solvers running
 * with constraints are in test_constraints.c, the written form of the
 * built-ins, groups and writing back in test_written.c. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <string.h>
#include "augur.h"
#include "relations_text.h"

/* --- Built-in mappings -------------------------------------------------- */

static void expect(const augur_constraints *c, const double *got, const double *want,
                   size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_assert(fabs(got[i] - want[i]) <= 1e-14, "x[%zu] = %.17g, want %.17g", i,
                  got[i], want[i]);
    cr_assert(augur_constraints_satisfied(c, got));
}

Test(builtins, each_maps_as_documented)
{
    augur_constraints *c = augur_constraints_create(4);
    cr_assert_eq(augur_constraints_add_integer(c, 0), AUGUR_OK);
    double values[3] = {2, -1, 0.5};
    cr_assert_eq(augur_constraints_add_discrete(c, 1, values, 3), AUGUR_OK);
    cr_assert_eq(augur_constraints_add_fixed(c, 2, 1.25), AUGUR_OK);
    cr_assert_eq(augur_constraints_add_ordering(c, 3, 0), AUGUR_OK);
    double x[4] = {2.6, 1.2, 9, 7};
    cr_assert_eq(augur_constraints_apply(c, x), 0);
    /* round 2.6 -> 3; nearest of {-1, 0.5, 2} to 1.2 -> 0.5; fixed; then
     * x3 <= x0 swaps 7 and 3. */
    expect(c, x, (double[]){7, 0.5, 1.25, 3}, 4);
    double tie[4] = {0, 1.25, 0, 0};  /* halfway between 0.5 and 2: the smaller */
    augur_constraints_apply(c, tie);
    cr_assert_eq(tie[1], 0.5);
    augur_constraints_destroy(c);
}

Test(builtins, projections_land_on_their_plane)
{
    augur_constraints *c = augur_constraints_create(3);
    augur_constraints_add_linear_equality(c, (double[]){1, 2, 2}, 3);
    double x[3] = {1, 1, 1};    /* a.x = 5: minus (2/9) a */
    augur_constraints_apply(c, x);
    expect(c, x, (double[]){1 - 2.0 / 9, 1 - 4.0 / 9, 1 - 4.0 / 9}, 3);
    augur_constraints_destroy(c);

    c = augur_constraints_create(3);
    augur_constraints_add_mean(c, 1);
    double y[3] = {0, 3, 9};
    augur_constraints_apply(c, y);
    expect(c, y, (double[]){-3, 0, 6}, 3);
    augur_constraints_destroy(c);

    /* mappings that undo each other: the check sees it */
    c = augur_constraints_create(3);
    augur_constraints_add_sum(c, 6);
    augur_constraints_add_mean(c, 1);
    double z[3] = {0, 3, 9};
    augur_constraints_apply(c, z);
    cr_assert_eq(augur_constraints_satisfied(c, z), 0);
    augur_constraints_destroy(c);
}

Test(builtins, spread_rescales_about_the_mean)
{
    augur_constraints *c = augur_constraints_create(5);
    augur_constraints_add_mean(c, 5);
    augur_constraints_add_spread(c, 5);
    double x[5] = {1, 2, 3, 4, 5};   /* mean 3, spread 4 -> shift 2, scale 5/4 */
    cr_assert_eq(augur_constraints_apply(c, x), 0);
    expect(c, x, (double[]){2.5, 3.75, 5, 6.25, 7.5}, 5);
    double flat[5] = {4, 4, 4, 4, 4};
    cr_assert_eq(augur_constraints_apply(c, flat), 1, "a flat point cannot be spread");
    augur_constraints_destroy(c);
}

Test(builtins, bad_arguments_are_refused_with_a_message)
{
    augur_constraints *c = augur_constraints_create(2);
    cr_assert_null(augur_constraints_create(0));
    cr_assert_eq(augur_constraints_add_integer(c, 2), AUGUR_EINVAL);
    cr_assert_str_eq(augur_constraints_errmsg(c), "integer: index 2 is outside x0..x1");
    cr_assert_eq(augur_constraints_add_fixed(c, 0, NAN), AUGUR_EINVAL);
    cr_assert_eq(augur_constraints_add_discrete(c, 0, NULL, 0), AUGUR_EINVAL);
    double zero[2] = {0, 0};
    cr_assert_eq(augur_constraints_add_linear_equality(c, zero, 1), AUGUR_EINVAL);
    cr_assert(strstr(augur_constraints_errmsg(c), "all 0"));
    cr_assert_eq(augur_constraints_add_spread(c, -1), AUGUR_EINVAL);
    cr_assert_eq(augur_constraints_add_ordering(c, 1, 1), AUGUR_EINVAL);
    cr_assert_eq(augur_constraints_add(c, NULL, NULL), AUGUR_EINVAL);
    cr_assert_eq(augur_constraints_count(c), 0);
    augur_constraints_destroy(c);
}

Test(builtins, each_writes_itself_as_text)
{
    augur_constraints *c = augur_constraints_create(3);
    augur_constraints_add_integer(c, 2);
    augur_constraints_add_discrete(c, 0, (double[]){2, 0.5, 1}, 3);
    augur_constraints_add_fixed(c, 1, 0.1);
    augur_constraints_add_linear_equality(c, (double[]){1, -2, 0}, 3);
    augur_constraints_add_sum(c, 5);
    augur_constraints_add_mean(c, 1e-300);
    augur_constraints_add_spread(c, 2.5);
    augur_constraints_add_ordering(c, 0, 2);
    static const char *const want[] = {
        "integer(x2)", "discrete(x0; 0.5, 1, 2)", "fixed(x1; 0.1)",
        "linear(1, -2, 0; 3)", "sum(5)", "mean(1e-300)", "spread(2.5)",
        "ordering(x0, x2)",
    };
    char buf[64];
    cr_assert_eq(augur_constraints_count(c), 8);
    for (size_t k = 0; k < 8; k++) {
        cr_assert_eq(augur_constraints_describe(c, k, buf, sizeof buf), AUGUR_OK);
        cr_assert_str_eq(buf, want[k]);
    }
    cr_assert_eq(augur_constraints_kind(c, 3), AUGUR_CONSTRAINT_LINEAR);
    cr_assert_eq(augur_constraints_describe(c, 8, buf, sizeof buf), AUGUR_ERANGE);
    augur_constraints_destroy(c);
}

/* --- On a solver -------------------------------------------------------- */

static int failing(double *x, size_t n, void *data)
{
    (void)x;
    (void)n;
    (void)data;
    return AUGUR_ERANGE;
}

Test(builtins, a_failing_callback_stops_the_run_with_its_status)
{
    augur_solver *s = augur_solver_create("nelder-mead", 2);
    double x0[2] = {0, 0};
    augur_constraints *c = augur_constraints_create(2);
    augur_constraints_add(c, failing, NULL);
    augur_solver_set_constraints(s, c);
    augur_solver_set_initial_point(s, x0);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_ERANGE);
    cr_assert(strstr(augur_solver_errmsg(s), "constraint 0 (a callback) failed"),
              "%s", augur_solver_errmsg(s));
    augur_solver_destroy(s);
}

Test(builtins, the_solver_owns_what_it_is_given)
{
    augur_solver *s = augur_solver_create("de", 3);
    cr_assert_eq(augur_solver_set_constraints(s, augur_constraints_create(2)),
                 AUGUR_EINVAL);
    cr_assert(strstr(augur_solver_errmsg(s), "constraints for 2 coordinates"));
    cr_assert_eq(augur_solver_set_constraints(NULL, augur_constraints_create(3)),
                 AUGUR_EINVAL);
    cr_assert_eq(augur_solver_set_penalty(NULL, augur_penalty_user(NULL, NULL)),
                 AUGUR_EINVAL);
    cr_assert_eq(augur_solver_set_constraints(s, augur_constraints_create(3)), AUGUR_OK);
    cr_assert_eq(augur_solver_set_constraints(s, augur_constraints_create(3)), AUGUR_OK);
    cr_assert_eq(augur_solver_set_constraints(s, NULL), AUGUR_OK);
    cr_assert_null(augur_solver_constraints(s));
    augur_solver_destroy(s);
}

/* --- Penalties ------------------------------------------------------------ */

static double minus_one(const double *x, size_t n, void *data)
{
    (void)n;
    (void)data;
    return x[0] - 1;            /* g <= 0, h == 0 at x0 = 1 */
}

static double fixed_value(const double *x, size_t n, size_t generation, void *data)
{
    (void)x;
    (void)n;
    return *(const double *)data + (double)generation;
}

static double value(augur_penalty *p, double x0, size_t generation)
{
    double v = augur_penalty_value(p, (double[]){x0}, 1, generation);
    augur_penalty_destroy(p);
    return v;
}

/* A relation penalty on g = x0 - 1 with the default weights, at x0. */
static double kind_at(augur_penalty_kind kind, double x0)
{
    return value(augur_penalty_relation(kind, minus_one, NULL, 0, 0), x0, 0);
}

/* k = 100, h = 1 (the defaults); g = x0 - 1 is 2 at x0 = 3, -1 at 0. */
Test(penalties, each_kind_at_satisfied_and_violated_points)
{
    cr_assert_eq(kind_at(AUGUR_PENALTY_QUADRATIC_INEQUALITY, 3), 800);
    cr_assert_eq(kind_at(AUGUR_PENALTY_QUADRATIC_INEQUALITY, 0), 0);
    cr_assert_eq(kind_at(AUGUR_PENALTY_LINEAR_INEQUALITY, 3), 400);
    cr_assert_eq(kind_at(AUGUR_PENALTY_LINEAR_INEQUALITY, 0), 0);
    cr_assert_eq(kind_at(AUGUR_PENALTY_QUADRATIC_EQUALITY, 3), 400);
    cr_assert_eq(kind_at(AUGUR_PENALTY_QUADRATIC_EQUALITY, 0), 100);
    cr_assert_eq(kind_at(AUGUR_PENALTY_QUADRATIC_EQUALITY, 1), 0);
    cr_assert_eq(kind_at(AUGUR_PENALTY_LINEAR_EQUALITY, 3), 200);
    cr_assert_eq(kind_at(AUGUR_PENALTY_LINEAR_EQUALITY, -1), 200);
    /* barrier -(0.5/100) log(-g): +inf on or past the wall, 0 at g = -1. */
    cr_assert(isinf(kind_at(AUGUR_PENALTY_BARRIER, 3)));
    cr_assert(isinf(kind_at(AUGUR_PENALTY_BARRIER, 1)));
    cr_assert_eq(kind_at(AUGUR_PENALTY_BARRIER, 0), 0);
    double b = kind_at(AUGUR_PENALTY_BARRIER, 1 - 2.718281828459045);
    cr_assert(fabs(b + 0.005) < 1e-15, "%.17g", b);
    /* the named constructors are the same penalties, in the enum's order */
    typedef augur_penalty *(*maker)(augur_relation_fn, void *, double, double);
    static const maker named[] = {
        augur_penalty_quadratic_inequality, augur_penalty_linear_inequality,
        augur_penalty_barrier, augur_penalty_quadratic_equality,
        augur_penalty_linear_equality,
    };
    for (int kind = 0; kind < 5; kind++) {
        double want = kind_at((augur_penalty_kind)kind, 0.5);
        cr_assert_eq(value(named[kind](minus_one, NULL, 0, 0), 0.5, 0), want);
    }
    double k = 3;
    cr_assert_eq(value(augur_penalty_user(fixed_value, &k), 0, 2), 5);
}

Test(penalties, weight_schedule_is_k_h_to_the_generation)
{
    augur_penalty *p = augur_penalty_quadratic_equality(minus_one, NULL, 100, 5);
    cr_assert_eq(augur_penalty_weight(p, 0), 100);
    cr_assert_eq(augur_penalty_weight(p, 3), 12500);
    cr_assert_eq(augur_penalty_value(p, (double[]){3}, 1, 2), 2500 * 4);
    /* a weight grown to +inf still costs nothing where the rule holds */
    cr_assert_eq(augur_penalty_value(p, (double[]){1}, 1, 100000), 0);
    augur_penalty_destroy(p);
    p = augur_penalty_linear_inequality(minus_one, NULL, 7, 0);
    cr_assert_eq(augur_penalty_weight(p, 40), 7, "h = 0 is 1: a constant weight");
    augur_penalty_destroy(p);
    cr_assert_null(augur_penalty_linear_inequality(minus_one, NULL, -1, 0));
    cr_assert_null(augur_penalty_linear_inequality(minus_one, NULL, 1, NAN));
    cr_assert_null(augur_penalty_linear_inequality(NULL, NULL, 1, 1));
    cr_assert_null(augur_penalty_relation((augur_penalty_kind)9, minus_one, NULL, 1, 1));
    cr_assert(isnan(augur_penalty_weight(NULL, 0)));
}

static double not_a_number(const double *x, size_t n, void *data)
{
    (void)x;
    (void)n;
    (void)data;
    return NAN;
}

Test(penalties, and_sums_or_takes_the_smaller_nan_is_violated)
{
    double k = 1;
    augur_penalty *a = augur_penalty_and(
        augur_penalty_linear_inequality(minus_one, NULL, 0, 0),
        augur_penalty_user(fixed_value, &k));
    cr_assert_eq(augur_penalty_value(a, (double[]){3}, 1, 0), 401);
    augur_penalty *o = augur_penalty_or(
        a, augur_penalty_quadratic_equality(minus_one, NULL, 0, 0));
    cr_assert_eq(augur_penalty_value(o, (double[]){3}, 1, 0), 400);
    cr_assert_eq(augur_penalty_value(o, (double[]){1}, 1, 0), 0);
    augur_penalty_destroy(o);
    augur_penalty *nan_g = augur_penalty_quadratic_inequality(not_a_number, NULL, 0, 0);
    cr_assert(isinf(value(nan_g, 0, 0)));
}

/* No leak with NULL children, however deep: the asan preset checks. */
Test(penalties, combinators_free_their_children_on_failure)
{
    cr_assert_null(augur_penalty_and(
        NULL, augur_penalty_linear_equality(minus_one, NULL, 0, 0)));
    cr_assert_null(augur_penalty_or(
        augur_penalty_linear_equality(minus_one, NULL, 0, 0), NULL));
    cr_assert_null(augur_penalty_and(
        augur_penalty_or(augur_penalty_barrier(minus_one, NULL, 0, 0),
                         augur_penalty_user(NULL, NULL)),
        augur_penalty_and(augur_penalty_barrier(minus_one, NULL, 0, 0),
                          augur_penalty_linear_inequality(minus_one, NULL, 0, 0))));
    augur_penalty_destroy(NULL);
}

/* --- The written form ---------------------------------------------------- */

static double at(const augur_penalty *p, const double *x, size_t n)
{
    return augur_penalty_value(p, x, n, 0);
}

Test(relations, inequalities_become_penalties)
{
    augur_constraints *c;
    augur_penalty *p;
    char err[256];
    cr_assert_eq(parse("x0 + x1 <= 5", 2, NULL, &c, &p, err), AUGUR_OK, "%s", err);
    cr_assert_null(c);
    cr_assert_eq(at(p, (double[]){3, 4}, 2), 2 * 100 * 4);
    cr_assert_eq(at(p, (double[]){1, 4}, 2), 0);
    augur_penalty_destroy(p);
    cr_assert_eq(parse("x0 >= 0.5*x3", 4, NULL, &c, &p, err), AUGUR_OK, "%s", err);
    cr_assert_eq(at(p, (double[]){1, 0, 0, 4}, 4), 200);     /* g = 2 - 1 */
    augur_penalty_destroy(p);
    augur_relation_options linear = {
        .inequality = AUGUR_PENALTY_LINEAR_INEQUALITY,
        .k = 10,
    };
    cr_assert_eq(parse("x0 > 1", 1, &linear, &c, &p, err), AUGUR_OK);
    cr_assert_eq(at(p, (double[]){-2}, 1), 60);      /* g = 1 - x0 = 3 */
    cr_assert_eq(at(p, (double[]){4}, 1), 0, "x0 > 1 holds at 4");
    cr_assert_eq(at(p, (double[]){0}, 1), 20);
    augur_penalty_destroy(p);
    augur_relation_options barrier = {.inequality = AUGUR_PENALTY_BARRIER};
    cr_assert_eq(parse("x0 < 1", 1, &barrier, &c, &p, err), AUGUR_OK);
    cr_assert(isinf(at(p, (double[]){1}, 1)));
    cr_assert_eq(at(p, (double[]){0}, 1), 0);
    augur_penalty_destroy(p);
}

Test(relations, equalities_become_mappings_or_penalties)
{
    augur_constraints *c;
    augur_penalty *p;
    char err[256], text[64];
    cr_assert_eq(parse("x2 == 2*x1", 3, NULL, &c, &p, err), AUGUR_OK, "%s", err);
    cr_assert_null(p);
    cr_assert_eq(augur_constraints_count(c), 1);
    cr_assert_eq(augur_constraints_kind(c, 0), AUGUR_CONSTRAINT_ASSIGN);
    augur_constraints_describe(c, 0, text, sizeof text);
    cr_assert_str_eq(text, "x2 == 2*x1");
    double x[3] = {1, 2, 0};
    augur_constraints_apply(c, x);
    cr_assert_eq(x[2], 4);
    cr_assert(augur_constraints_satisfied(c, x));
    augur_constraints_destroy(c);
    /* the left side uses itself on the right, or is not one variable:
     * quadratic equality penalties */
    cr_assert_eq(parse("x0 = x0/2 + 1; 2*x0 == 4", 1, NULL, &c, &p, err), AUGUR_OK,
                 "%s", err);
    cr_assert_null(c);
    cr_assert_eq(at(p, (double[]){2}, 1), 0);
    cr_assert_eq(at(p, (double[]){4}, 1), 100 + 1600);
    augur_penalty_destroy(p);
}

Test(relations, a_mixed_text_with_functions_and_blank_lines)
{
    augur_constraints *c;
    augur_penalty *p;
    char err[256];
    const char *text = "\n  x0 + x1 <= 5\n\nx2 == sqrt(abs(x1)) * pi;;  x0 >= -x3^2 ;\n";
    cr_assert_eq(parse(text, 4, NULL, &c, &p, err), AUGUR_OK, "%s", err);
    double x[4] = {3, 4, 0, 1};
    augur_constraints_apply(c, x);
    cr_assert(fabs(x[2] - 2 * 3.141592653589793) < 1e-15);
    cr_assert_eq(at(p, x, 4), 800);    /* x0 + x1 = 7; x0 >= -1 holds */
    augur_constraints_destroy(c);
    augur_penalty_destroy(p);
}

Test(relations, each_error_names_the_relation_and_the_column)
{
    refused("x0 + * x1 <= 5", 2, "relation 1 \"x0 + * x1 <= 5\", column 6: expected a "
            "number, a variable, '(' or '-', found '*'");
    refused("x0 + x9 <= 1", 3,
            "column 6: unknown variable 'x9' (the variables are x0..x2)");
    refused("x0 + x1", 2, "relation 1 \"x0 + x1\", column 1: no relation operator");
    refused("x0 <= 1; x1 +* 2 >= 0", 2, "relation 2 \"x1 +* 2 >= 0\", column 5");
    refused("x0 <= 1 <= 2", 1, "column 9: more than one relation operator");
    refused("  <= 5", 1, "column 1: the left side is empty");
    refused("x0 == ", 1, "the right side is empty");
    refused("x0, x1 <= 1", 2, "column 3: unexpected character ','");
    refused("|x0| <= 1", 1, "column 1: unexpected character '|'");
    refused("foo(x0) <= 1", 1, "unknown function 'foo'");
    refused("sin x0 <= 1", 1, "the function 'sin' needs its argument in parentheses");
    refused("(x0 + 1 <= 2", 1, "expected ')', found the end");
    refused("1e <= x0", 1, "malformed number");
    refused("2x0 <= 1", 1, "column 2: expected an operator, found 'x'");
    refused("x01 <= 1", 2, "unknown variable 'x01'");
    refused("y <= 1", 2, "unknown variable 'y'");
    refused(" ;\n ; ", 2, "the text has no relation");
}

/* libmatheval's scanner echoes characters it does not know to stdout;
 * they must be refused before they reach it. */
Test(relations, nothing_is_printed, .init = cr_redirect_stdout)
{
    augur_constraints *c;
    augur_penalty *p;
    char err[256];
    parse("x0 , x1 <= 1", 2, NULL, &c, &p, err);
    parse("|x0| % 2 <= 1 !", 2, NULL, &c, &p, err);
    fflush(stdout);
    cr_assert_stdout_eq_str("");
}

Test(relations, bad_options_and_arguments)
{
    augur_constraints *c;
    augur_penalty *p;
    char err[256];
    augur_relation_options eq = {.inequality = AUGUR_PENALTY_LINEAR_EQUALITY};
    cr_assert_eq(parse("x0 <= 1", 1, &eq, &c, &p, err), AUGUR_EINVAL);
    augur_relation_options neg = {.k = -1};
    cr_assert_eq(parse("x0 <= 1", 1, &neg, &c, &p, err), AUGUR_EINVAL);
    cr_assert_eq(parse(NULL, 1, NULL, &c, &p, err), AUGUR_EINVAL);
    cr_assert_eq(parse("x0 <= 1", 0, NULL, &c, &p, err), AUGUR_EINVAL);
    cr_assert_eq(augur_relations_parse("x0 <= 1", 1, NULL, NULL, &p, err, 256),
                 AUGUR_EINVAL);
}
