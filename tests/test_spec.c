/* test_spec.c - specs: spec -> object -> spec gives the same text for every
 * solver type and every termination condition, and for constraints and
 * penalties of every kind, numbers come back bit for bit, a solver with a
 * callback constraint or a user penalty cannot be written, and a
 * malformed spec is an error naming the setting's path. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "augur/plugin.h"
#include "augur/spec.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(spec, .init = quiet_gsl);

/* A value of p other than its default, inside its range. */
static double other_value(const augur_param *p)
{
    if (p->kind == AUGUR_PARAM_BOOL)
        return p->def != 0 ? 0 : 1;
    if (p->kind == AUGUR_PARAM_CHOICE) {
        size_t k = 0;
        while (p->choices[k])
            k++;
        return (double)(k - 1) != p->def ? (double)(k - 1) : 0;
    }
    double v;
    if (isfinite(p->min) && isfinite(p->max))
        v = p->min + (p->max - p->min) * 0.3183098861837907;
    else if (p->def != 0 && isfinite(p->def))
        v = p->def * 1.3183098861837907;
    else
        v = (isfinite(p->min) ? p->min : 0) + 0.3183098861837907;
    v = fmin(fmax(v, p->min), p->max);
    if (p->kind == AUGUR_PARAM_INT) {
        v = floor(v);
        if (v < p->min)
            v = ceil(p->min);
    }
    return v;
}

static void set_all_params(augur_solver *s, const augur_param *table)
{
    for (size_t k = 0; table && table[k].name; k++)
        cr_assert_eq(augur_solver_set_param(s, table[k].name, other_value(&table[k])),
                     AUGUR_OK, "%s.%s: %s", augur_solver_type_name(s), table[k].name,
                     augur_solver_errmsg(s));
}

static augur_termination *every_condition(void)
{
    augur_termination *all = augur_term_create("or");
    for (const augur_term_type *const *t = augur_term_types(); *t; t++) {
        if ((*t)->max_children)
            continue;
        augur_termination *leaf = augur_term_create((*t)->name);
        for (size_t k = 0; (*t)->params && (*t)->params[k].name; k++)
            cr_assert_eq(augur_term_set_param(leaf, (*t)->params[k].name,
                                              other_value(&(*t)->params[k])),
                         AUGUR_OK, "%s.%s", (*t)->name, (*t)->params[k].name);
        cr_assert_eq(augur_term_add_child(all, leaf), AUGUR_OK);
    }
    augur_termination *tail = augur_term_and(augur_term_not(augur_term_vtr(1e-3, 0.1)),
                                             augur_term_when(augur_term_stopval(-1e300)));
    cr_assert_eq(augur_term_add_child(all, tail), AUGUR_OK);
    return all;
}

/* Constraints of every built-in kind, a written relation among them, in
 * 3 dimensions. */
static const char every_mapping[] =
    "integer(x2); discrete(x0; -0.3333333333333333, 0.1, 2); "
    "fixed(x1; 0.30000000000000004); linear(1, -2, 0; 0.14285714285714285); "
    "sum(-5); mean(1e-300); spread(2.5); ordering(x0, x2); x2 == 2*x1 + sin(x0)";
/* Penalties: inequalities, equalities and both groups. */
static const char some_penalties[] =
    "x0 + x1 <= 5; x2 >= 2*x1; x0 - x2 == 1; "
    "or(x0 <= 1; and(x1 >= 2; x2 == 3); x2 == 2*x1)";

static void set_rules(augur_solver *s, const augur_relation_options *opt)
{
    augur_constraints *c, *none;
    augur_penalty *p, *nothing;
    char err[256];
    cr_assert_eq(augur_relations_parse(every_mapping, 3, NULL, &c, &nothing, err,
                                       sizeof err), AUGUR_OK, "%s", err);
    cr_assert_eq(augur_relations_parse(some_penalties, 3, opt, &none, &p, err,
                                       sizeof err), AUGUR_OK, "%s", err);
    cr_assert_eq(augur_solver_set_constraints(s, c), AUGUR_OK);
    cr_assert_eq(augur_solver_set_penalty(s, p), AUGUR_OK);
}

static augur_solver *configured(const char *type, size_t n)
{
    augur_solver *s = augur_solver_create(type, n);
    cr_assert_not_null(s, "%s", type);
    set_all_params(s, augur_solver_get_type(s)->params);
    set_all_params(s, augur_solver_base_params());
    double lb[3] = {-5, -INFINITY, 0.1}, ub[3] = {5, 2.5, 0.30000000000000004};
    double x0[3] = {1.0 / 3, -1e-300, 0.2};
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_seed(s, UINT64_C(18446744073709551557));
    augur_solver_set_evaluation_limits(s, 1234, AUGUR_UNLIMITED);
    augur_solver_set_termination(s, every_condition());
    augur_relation_options linear = {.inequality = AUGUR_PENALTY_LINEAR_INEQUALITY,
                                     .equality = AUGUR_PENALTY_LINEAR_EQUALITY,
                                     .k = 0.1, .h = 1.0000000000000002};
    set_rules(s, &linear);
    return s;
}

static char *spec_of(const augur_solver *s)
{
    char *text = NULL;
    cr_assert_eq(augur_solver_write_spec(s, &text), AUGUR_OK);
    return text;
}

Test(spec, every_solver_type_round_trips)
{
    int count = 0;
    for (const augur_solver_type *const *t = augur_solver_types(); *t; t++) {
        if (strncmp((*t)->name, "test-", 5) == 0)
            continue;
        augur_solver *s = configured((*t)->name, 3);
        augur_solver_set_nested(s, configured("nelder-mead", 3));
        char *a = spec_of(s), err[256] = "";
        augur_solver *r = NULL;
        cr_assert_eq(augur_solver_read_spec(a, &r, err, sizeof err), AUGUR_OK,
                     "%s: %s\n%s", (*t)->name, err, a);
        char *b = spec_of(r);
        cr_assert_str_eq(a, b, "%s does not round-trip", (*t)->name);
        for (size_t k = 0; (*t)->params && (*t)->params[k].name; k++) {
            double u, v;
            augur_solver_get_param(s, (*t)->params[k].name, &u);
            augur_solver_get_param(r, (*t)->params[k].name, &v);
            cr_assert(memcmp(&u, &v, sizeof u) == 0, "%s.%s", (*t)->name,
                      (*t)->params[k].name);
        }
        cr_assert_eq(augur_solver_seed(r), UINT64_C(18446744073709551557));
        cr_assert_eq(augur_solver_max_generations(r), 1234);
        cr_assert_eq(augur_solver_max_evaluations(r), AUGUR_UNLIMITED);
        cr_assert_not_null(augur_solver_nested(r));
        free(a);
        free(b);
        augur_solver_destroy(s);
        augur_solver_destroy(r);
        count++;
    }
    cr_assert_geq(count, 5);
}

/* Every penalty kind: each inequality kind with each equality kind, with
 * the mappings of every kind, byte for byte; the rebuilt solver maps and
 * penalises exactly as the original. */
Test(spec, constraints_and_penalties_of_every_kind_round_trip)
{
    const augur_penalty_kind ineq[3] = {AUGUR_PENALTY_QUADRATIC_INEQUALITY,
                                        AUGUR_PENALTY_LINEAR_INEQUALITY,
                                        AUGUR_PENALTY_BARRIER};
    const augur_penalty_kind eq[2] = {AUGUR_PENALTY_QUADRATIC_EQUALITY,
                                      AUGUR_PENALTY_LINEAR_EQUALITY};
    const char *ineq_names[3] = {"quadratic", "linear", "barrier"};
    const char *eq_names[2] = {"quadratic", "linear"};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++) {
            augur_solver *s = augur_solver_create("de2", 3);
            augur_relation_options o = {.inequality = ineq[i], .equality = eq[j],
                                        .k = 1.0 / 3, .h = 5};
            set_rules(s, &o);
            char *a = spec_of(s), err[256], want[512];
            snprintf(want, sizeof want, "penalty = {\n  relations = \"%s\";\n  "
                     "inequality = \"%s\";\n  equality = \"%s\";\n  "
                     "k = 0.3333333333333333;\n  h = 5.0;\n};\n", some_penalties,
                     ineq_names[i], eq_names[j]);
            cr_assert(strstr(a, want), "%s\nlacks\n%s", a, want);
            cr_assert(strstr(a, "\nconstraints = \"integer(x2); discrete(x0; "), "%s", a);
            augur_solver *r = NULL;
            cr_assert_eq(augur_solver_read_spec(a, &r, err, sizeof err), AUGUR_OK,
                         "%s\n%s", err, a);
            char *b = spec_of(r);
            cr_assert_str_eq(a, b);
            double x[3] = {0.7, -1.2, 0.4}, y[3] = {0.7, -1.2, 0.4};
            augur_constraints_apply(augur_solver_constraints(s), x);
            augur_constraints_apply(augur_solver_constraints(r), y);
            cr_assert_eq(memcmp(x, y, sizeof x), 0);
            double u = augur_penalty_value(augur_solver_penalty(s), x, 3, 2);
            double v = augur_penalty_value(augur_solver_penalty(r), y, 3, 2);
            cr_assert(memcmp(&u, &v, sizeof u) == 0, "%g vs %g", u, v);
            free(a);
            free(b);
            augur_solver_destroy(s);
            augur_solver_destroy(r);
        }
}

static int callback(double *x, size_t n, void *data)
{
    (void)x, (void)n, (void)data;
    return 0;
}

static double user_penalty(const double *x, size_t n, size_t gen, void *data)
{
    (void)x, (void)n, (void)gen, (void)data;
    return 0;
}

Test(spec, callbacks_and_user_penalties_cannot_be_written)
{
    augur_solver *s = augur_solver_create("nelder-mead", 2);
    augur_constraints *c = augur_constraints_create(2);
    augur_constraints_add_mean(c, 1);
    augur_constraints_add(c, callback, NULL);
    augur_solver_set_constraints(s, c);
    char *text = (char *)1;
    cr_assert_eq(augur_solver_write_spec(s, &text), AUGUR_EUNSUP);
    cr_assert_null(text);
    cr_assert(strstr(augur_solver_errmsg(s), "nelder-mead: constraint 1 is a callback"),
              "%s", augur_solver_errmsg(s));
    augur_solver_set_constraints(s, NULL);
    augur_solver_set_penalty(s, augur_penalty_user(user_penalty, NULL));
    cr_assert_eq(augur_solver_write_spec(s, &text), AUGUR_EUNSUP);
    cr_assert(strstr(augur_solver_errmsg(s), "nelder-mead: penalty: a user penalty"),
              "%s", augur_solver_errmsg(s));
    augur_solver *e = augur_solver_create("buckshot", 2);
    augur_solver_set_nested(e, s);
    cr_assert_eq(augur_solver_write_spec(e, &text), AUGUR_EUNSUP);
    cr_assert(strstr(augur_solver_errmsg(e), "buckshot: nested solver: nelder-mead: "
                                             "penalty: a user penalty"),
              "%s", augur_solver_errmsg(e));
    augur_solver_destroy(e);
}

Test(spec, every_termination_condition_round_trips)
{
    augur_termination *t = every_condition();
    char *a = NULL, *b = NULL, err[256] = "";
    cr_assert_eq(augur_term_write_spec(t, &a), AUGUR_OK);
    augur_termination *r = NULL;
    cr_assert_eq(augur_term_read_spec(a, &r, err, sizeof err), AUGUR_OK, "%s\n%s", err, a);
    cr_assert_eq(augur_term_write_spec(r, &b), AUGUR_OK);
    cr_assert_str_eq(a, b);
    size_t leaves = 0;
    for (const augur_term_type *const *k = augur_term_types(); *k; k++)
        leaves += (*k)->max_children == 0;
    cr_assert_eq(augur_term_child_count(r), leaves + 1);
    free(a);
    free(b);
    augur_term_destroy(t);
    augur_term_destroy(r);
}

Test(spec, a_read_spec_solves_like_the_original)
{
    augur_solver *s = augur_solver_create("de2", 2);
    double lb[2] = {-5, -5}, ub[2] = {5, 5};
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_seed(s, 99);
    augur_solver_set_param_string(s, "strategy", "rand1bin");
    augur_solver_set_evaluation_limits(s, 0, 2000);
    char *text = spec_of(s), err[256];
    augur_solver *r = NULL;
    cr_assert_eq(augur_solver_read_spec(text, &r, err, sizeof err), AUGUR_OK, "%s", err);
    cr_assert_eq(augur_solve(s, augur_model_rosen, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solve(r, augur_model_rosen, NULL, NULL), AUGUR_OK);
    cr_assert_eq(augur_solver_best_energy(s), augur_solver_best_energy(r));
    cr_assert_eq(augur_solver_evaluations(s), augur_solver_evaluations(r));
    free(text);
    augur_solver_destroy(s);
    augur_solver_destroy(r);
}

Test(spec, written_for_people)
{
    augur_solver *s = augur_solver_create("nelder-mead", 2);
    double x0[2] = {0.1, 2};
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_termination(s, augur_term_vtr(0.005, 0));
    char *text = spec_of(s);
    cr_assert(strstr(text, "type = \"nelder-mead\";\ndimension = 2;\n"), "%s", text);
    cr_assert(strstr(text, "  radius = 0.05;\n"), "%s", text);
    cr_assert(strstr(text, "  adaptive = false;\n"), "%s", text);
    cr_assert(strstr(text, "  sampler = \"uniform\";\n"), "%s", text);
    cr_assert(strstr(text, "  point = [ 0.1, 2.0 ];\n"), "%s", text);
    cr_assert(strstr(text, "termination = {\n  type = \"vtr\";\n  tolerance = 0.005;\n"
                           "  target = 0.0;\n};\n"), "%s", text);
    cr_assert_null(strstr(text, "seed"), "no seed was set");
    free(text);
    augur_solver_destroy(s);
}

typedef struct bad {
    const char *text, *expect;
    int status;
} bad;

Test(spec, malformed_specs_name_the_setting)
{
    const bad cases[] = {
        {"type = \"nelder-mead\"; dimension = 2;\nparameters = { radus = 0.1; };",
         "parameters.radus (line 2): unknown parameter 'radus' (did you mean 'radius'?)",
         AUGUR_ENOTFOUND},
        {"type = \"nelder-med\"; dimension = 2;", "did you mean 'nelder-mead'", AUGUR_ENOTFOUND},
        {"type = \"de\"; dimension = 2;\nbounds = { lower = [0.0, 0.0];\n upper = [1.0]; };",
         "bounds.upper (line 3): expected 2 numbers, got 1", AUGUR_EINVAL},
        {"type = \"de\"; dimension = 2;\nbounds = { lower = [0.0, 2.0]; upper = [1.0, 1.0]; };",
         "lower bound 2 > upper bound 1 at index 1", AUGUR_EINVAL},
        {"type = \"pso\"; dimension = 2;\ntermination = { type = \"or\"; members = (\n"
         "  { type = \"vtr\"; tolerance = -1.0; } ); };",
         "termination.members.[0].tolerance (line 3)", AUGUR_ERANGE},
        {"type = \"pso\"; dimension = 2;\ntermination = { type = \"vtrr\"; };",
         "did you mean 'vtr'", AUGUR_ENOTFOUND},
        {"type = \"pso\"; dimension = 2; parameters = { topology = \"star\"; };",
         "no choice 'star'", AUGUR_ERANGE},
        {"type = \"pso\"; dimension = 2; parameters = { swarm-size = \"many\"; };",
         "parameters.swarm-size (line 1): expected a number", AUGUR_EINVAL},
        {"type = \"pso\";", "needs a dimension", AUGUR_EINVAL},
        {"type = \"pso\"; dimension = 2; limts = { generations = 5; };",
         "unknown setting 'limts' (did you mean 'limits'?)", AUGUR_ENOTFOUND},
        {"type = \"pso\"; dimension = 2; limits = { generations = -5; };",
         "limits.generations (line 1): expected a whole number", AUGUR_EINVAL},
        {"type = \"pso\";\ndimension = ;", "spec (line 2)", AUGUR_EINVAL},
        {"type = \"pso\"; dimension = 2; nested = { type = \"powell\"; dimension = 3; };",
         "dimension 3, not 2", AUGUR_EINVAL},
        {"type = \"pso\"; dimension = 2;\nconstraints = \"mean(5); x0 <= 1\";",
         "constraints (line 2): relation 2 \"x0 <= 1\", column 1: this is a penalty "
         "(an inequality), and only mappings are allowed here", AUGUR_EINVAL},
        {"type = \"pso\"; dimension = 2;\nconstraints = \"mean(5); spread(-1)\";",
         "constraints (line 2): relation 2 \"spread(-1)\", column 1: spread: -1 is "
         "negative", AUGUR_EINVAL},
        {"type = \"pso\"; dimension = 2; constraints = \"or(x0 <= 1; x1 <= 1)\";",
         "this is a penalty (a group of relations), and only mappings", AUGUR_EINVAL},
        {"type = \"pso\"; dimension = 2; constraints = 5;",
         "constraints (line 1): expected a string", AUGUR_EINVAL},
        {"type = \"pso\"; dimension = 2; constraints = \"linear(1; 2)\";",
         "column 8: linear needs 2 coefficients", AUGUR_EINVAL},
        {"type = \"pso\"; dimension = 2;\npenalty = { relations = \"x1 == 2*x0\"; };",
         "penalty.relations (line 2): relation 1 \"x1 == 2*x0\", column 1: this is a "
         "mapping", AUGUR_EINVAL},
        {"type = \"pso\"; dimension = 2; penalty = { relations = \"mean(1)\"; };",
         "this is a mapping, and only penalties are allowed here", AUGUR_EINVAL},
        {"type = \"pso\"; dimension = 2;\npenalty = { relatons = \"x0 <= 1\"; };",
         "penalty.relatons (line 2): unknown setting 'relatons' (did you mean "
         "'relations'?)", AUGUR_ENOTFOUND},
        {"type = \"pso\"; dimension = 2; penalty = { k = 3.0; };",
         "penalty (line 1): a penalty needs its relations", AUGUR_EINVAL},
        {"type = \"pso\"; dimension = 2;\npenalty = { relations = \"x0 <= 1\";\n"
         "inequality = \"quadratik\"; };",
         "penalty.inequality (line 3): no kind 'quadratik' (did you mean 'quadratic'?)",
         AUGUR_ERANGE},
        {"type = \"pso\"; dimension = 2; penalty = { relations = \"x0 <= 1\"; "
         "equality = \"barrier\"; };", "penalty.equality (line 1): no kind 'barrier'",
         AUGUR_ERANGE},
        {"type = \"pso\"; dimension = 2; penalty = { relations = \"x0 <= 1\"; "
         "k = -1.0; };", "penalty.k (line 1): expected a finite number >= 0",
         AUGUR_ERANGE},
        {"type = \"pso\"; dimension = 2; penalty = { relations = \"x0 <= 1\"; "
         "h = \"inf\"; };", "penalty.h (line 1): expected a finite number >= 0",
         AUGUR_ERANGE},
        {"type = \"pso\"; dimension = 2; penalty = \"x0 <= 1\";",
         "penalty (line 1): expected a group", AUGUR_EINVAL},
        {"type = \"pso\"; dimension = 2; penalty = { relations = \"x0 <= x7\"; };",
         "penalty.relations (line 1): relation 1 \"x0 <= x7\", column 7: unknown "
         "variable 'x7'", AUGUR_EINVAL},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char err[256] = "";
        augur_solver *s = (augur_solver *)1;
        int rc = augur_solver_read_spec(cases[k].text, &s, err, sizeof err);
        cr_assert_eq(rc, cases[k].status, "case %zu: status %d (%s)", k, rc, err);
        cr_assert_null(s, "case %zu leaves no solver", k);
        cr_assert(strstr(err, cases[k].expect), "case %zu: '%s' lacks '%s'", k, err,
                  cases[k].expect);
    }
}
