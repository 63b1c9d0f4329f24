/* test_written.c - the one written form of constraints and penalties:
 * every built-in mapping reads back from its description (describe ->
 * parse -> describe gives the same text, numbers bit for bit), a set of
 * mappings writes itself as one text, penalty trees read from text write
 * themselves back with the options they were read with, or(...) and
 * and(...) groups, and each error with its message: bad forms with their
 * column, callbacks and user penalties with AUGUR_EUNSUP. The relations
 * themselves are in test_relations.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "relations_text.h"

static char *written(const augur_constraints *c)
{
    char *text = NULL;
    cr_assert_eq(augur_constraints_write(c, &text), AUGUR_OK, "%s",
                 augur_constraints_errmsg(c));
    return text;
}

/* --- Mappings ------------------------------------------------------------- */

/* Every built-in kind, with numbers that need 17 digits or an exponent. */
static augur_constraints *every_mapping(void)
{
    augur_constraints *c = augur_constraints_create(3);
    augur_constraints_add_integer(c, 2);
    augur_constraints_add_discrete(c, 0, (double[]){2, 0.1, -1.0 / 3, 5e-324}, 4);
    augur_constraints_add_fixed(c, 1, 0.30000000000000004);
    augur_constraints_add_linear_equality(c, (double[]){1, -2e100, 0}, 1.0 / 7);
    augur_constraints_add_sum(c, -5);
    augur_constraints_add_mean(c, 1e-300);
    augur_constraints_add_spread(c, 2.5);
    augur_constraints_add_ordering(c, 0, 2);
    cr_assert_eq(augur_constraints_count(c), 8);
    return c;
}

static void reads_back(const char *a)
{
    augur_constraints *r;
    augur_penalty *p;
    char b[256], err[256];
    cr_assert_eq(parse(a, 3, NULL, &r, &p, err), AUGUR_OK, "\"%s\": %s", a, err);
    cr_assert_null(p);
    cr_assert_eq(augur_constraints_count(r), 1);
    augur_constraints_describe(r, 0, b, sizeof b);
    cr_assert_str_eq(a, b);
    augur_constraints_destroy(r);
}

Test(written, each_mapping_reads_back_as_described)
{
    augur_constraints *c = every_mapping();
    char a[256];
    for (size_t k = 0; k < augur_constraints_count(c); k++) {
        cr_assert_eq(augur_constraints_describe(c, k, a, sizeof a), AUGUR_OK);
        reads_back(a);
    }
    reads_back("x2 == 2*x1 + sin(x0)");
    augur_constraints_destroy(c);
}

Test(written, a_set_writes_as_one_text_and_maps_the_same)
{
    augur_constraints *c = every_mapping(), *r;
    augur_penalty *p;
    char err[256];
    char *a = written(c);
    cr_assert(strstr(a, "integer(x2); discrete(x0; -0.3333333333333333, "
                        "4.94065645841247e-324, 0.1, 2); fixed(x1; 0.30000000000000004); "
                        "linear(1, -2e+100, 0; 0.14285714285714285); sum(-5); "
                        "mean(1e-300); spread(2.5); ordering(x0, x2)"), "%s", a);
    cr_assert_eq(parse(a, 3, NULL, &r, &p, err), AUGUR_OK, "%s", err);
    char *b = written(r);
    cr_assert_str_eq(a, b);
    /* the same mappings: the same point, bit for bit */
    double x[3] = {0.4, 7, -3}, y[3] = {0.4, 7, -3};
    cr_assert_eq(augur_constraints_apply(c, x), augur_constraints_apply(r, y));
    cr_assert_eq(memcmp(x, y, sizeof x), 0);
    free(a);
    free(b);
    augur_constraints_destroy(c);
    augur_constraints_destroy(r);
    /* written relations and forms in one text, in order */
    const char *text = "x1 == x0 / 2; mean(4); x2 == 2*x1 + sin(x0); integer(x0)";
    cr_assert_eq(parse(text, 3, NULL, &c, &p, err), AUGUR_OK, "%s", err);
    cr_assert_eq(augur_constraints_kind(c, 1), AUGUR_CONSTRAINT_MEAN);
    a = written(c);
    cr_assert_str_eq(a, text);
    free(a);
    augur_constraints_destroy(c);
}

Test(written, forms_take_free_spacing_and_lines)
{
    augur_constraints *c;
    augur_penalty *p;
    char err[256], buf[64];
    cr_assert_eq(parse("  discrete( x1 ;2,0.5 ,\n 1 )\n\nmean (5);fixed(x0;-1)", 2, NULL,
                       &c, &p, err), AUGUR_OK, "%s", err);
    cr_assert_eq(augur_constraints_count(c), 3);
    augur_constraints_describe(c, 0, buf, sizeof buf);
    cr_assert_str_eq(buf, "discrete(x1; 0.5, 1, 2)");
    augur_constraints_describe(c, 2, buf, sizeof buf);
    cr_assert_str_eq(buf, "fixed(x0; -1)");
    augur_constraints_destroy(c);
}

static int reject(double *x, size_t n, void *data)
{
    (void)x, (void)n, (void)data;
    return 1;
}

Test(written, a_callback_has_no_written_form)
{
    augur_constraints *c = augur_constraints_create(2);
    augur_constraints_add_mean(c, 1);
    augur_constraints_add(c, reject, NULL);
    char *text = (char *)1;
    cr_assert_eq(augur_constraints_write(c, &text), AUGUR_EUNSUP);
    cr_assert_null(text);
    cr_assert(strstr(augur_constraints_errmsg(c), "constraint 1 is a callback"), "%s",
              augur_constraints_errmsg(c));
    char buf[16];
    augur_constraints_describe(c, 1, buf, sizeof buf);
    cr_assert_str_eq(buf, "callback");
    cr_assert_eq(augur_constraints_write(NULL, &text), AUGUR_EINVAL);
    cr_assert_eq(augur_constraints_write(c, NULL), AUGUR_EINVAL);
    augur_constraints_destroy(c);
    /* describe truncates, but the written text is whole */
    c = augur_constraints_create(40);
    double a[40];
    for (int i = 0; i < 40; i++)
        a[i] = 1.0 / (i + 3);
    augur_constraints_add_linear_equality(c, a, 1);
    cr_assert_eq(augur_constraints_describe(c, 0, buf, sizeof buf), AUGUR_OK);
    cr_assert_eq(strlen(buf), sizeof buf - 1);
    char *whole = written(c);
    cr_assert_gt(strlen(whole), 600);
    cr_assert_eq(strncmp(whole, buf, strlen(buf)), 0);
    free(whole);
    augur_constraints_destroy(c);
}

Test(written, each_bad_form_is_named_with_its_column)
{
    refused("integer(x5)", 3, "relation 1 \"integer(x5)\", column 9: expected a "
            "variable x0..x2, found 'x5'");
    refused("mean(5); discrete(x0)", 2, "relation 2 \"discrete(x0)\", column 12: "
            "expected ';', found the closing ')'");
    refused("discrete(x0; )", 2, "column 14: expected a number");
    refused("fixed(x0; inf)", 2, "column 11: expected a number");
    refused("fixed(x0; 1e999)", 2, "column 11: 1e999 is not a finite number");
    refused("linear(1, 2; 3)", 3, "column 8: linear needs 3 coefficients (one per "
            "variable), found 2");
    refused("linear(0, 0; 3)", 2, "linear: the coefficients are all 0");
    refused("spread(-1)", 2, "column 1: spread: -1 is negative");
    refused("ordering(x1, x1)", 2, "says nothing");
    refused("mean(5) <= 3", 2, "column 9: unexpected text after mean(...)");
    refused("mean(5", 2, "expected ')', found the end");
    refused("mean(5, 6)", 2, "column 7: expected ')', found ','");
    refused("sum()", 2, "column 5: expected a number");
    refused("x0 + mean(5) <= 1", 2, "unknown function 'mean'");
}

/* --- Penalties -------------------------------------------------------------- */

static char *penalty_text(const augur_penalty *p, augur_relation_options *o)
{
    char *text = NULL;
    cr_assert_eq(augur_penalty_write(p, &text, o), AUGUR_OK, "%s",
                 augur_penalty_errmsg(p));
    return text;
}

/* Every kind through the options, groups nested both ways, an equality of
 * a lone variable inside a group (a penalty there, not a mapping). */
Test(written, penalties_write_back_with_their_options)
{
    const char *text = "x0 + x1 <= 5; x2 >= 2*x1; x0 - x2 == 1; "
                       "or(x0 <= 1; and(x1 >= 2; x2 == 3; x1 < x0); x2 == 2*x1)";
    augur_relation_options kinds[] = {
        {0},
        {.inequality = AUGUR_PENALTY_LINEAR_INEQUALITY,
         .equality = AUGUR_PENALTY_LINEAR_EQUALITY, .k = 7, .h = 1.5},
        {.inequality = AUGUR_PENALTY_BARRIER, .k = 0.1, .h = 5},
    };
    for (size_t k = 0; k < 3; k++) {
        augur_constraints *c;
        augur_penalty *p, *r;
        augur_relation_options o, o2;
        char err[256];
        cr_assert_eq(parse(text, 3, &kinds[k], &c, &p, err), AUGUR_OK, "%s", err);
        cr_assert_null(c, "every relation in a group is a penalty");
        char *a = penalty_text(p, &o);
        cr_assert_str_eq(a, text);
        cr_assert_eq(o.inequality, kinds[k].inequality);
        cr_assert_eq(o.equality, kinds[k].equality ? kinds[k].equality
                                                   : AUGUR_PENALTY_QUADRATIC_EQUALITY);
        cr_assert_eq(o.k, kinds[k].k ? kinds[k].k : AUGUR_PENALTY_K);
        cr_assert_eq(o.h, kinds[k].h ? kinds[k].h : 1);
        cr_assert_eq(parse(a, 3, &o, &c, &r, err), AUGUR_OK, "%s", err);
        char *b = penalty_text(r, &o2);
        cr_assert_str_eq(a, b);
        cr_assert(o.inequality == o2.inequality && o.equality == o2.equality &&
                  o.k == o2.k && o.h == o2.h);
        double pts[3][3] = {{0.5, 2.5, 0.2}, {3, -1, 4}, {0.9, 1, 2}};
        for (int i = 0; i < 3; i++)
            for (size_t gen = 0; gen < 3; gen++) {
                double u = augur_penalty_value(p, pts[i], 3, gen);
                double v = augur_penalty_value(r, pts[i], 3, gen);
                cr_assert(memcmp(&u, &v, sizeof u) == 0, "%g vs %g", u, v);
            }
        free(a);
        free(b);
        augur_penalty_destroy(p);
        augur_penalty_destroy(r);
    }
}

/* A top-level and(...) whose members include "x0 = 1" (a penalty inside
 * the group, a mapping in a plain list) is written as and(...), so that
 * it reads back as the same penalty: the fuzzer's
 * "and(x0 <= 1;0 <= 1;x0= 1 )" was written as a plain list that read back
 * as mappings. Without such a member the plain list stays. */
Test(written, a_group_holding_a_lone_assignment_keeps_its_and)
{
    augur_constraints *c, *c2;
    augur_penalty *p, *r;
    augur_relation_options o, o2;
    char err[256];
    cr_assert_eq(parse("and(x0 <= 1;0 <= 1;x0= 1 )", 1, NULL, &c, &p, err), AUGUR_OK,
                 "%s", err);
    cr_assert_null(c);
    char *a = penalty_text(p, &o);
    cr_assert_str_eq(a, "and(x0 <= 1; 0 <= 1; x0= 1)");
    cr_assert_eq(parse(a, 1, &o, &c2, &r, err), AUGUR_OK, "%s", err);
    cr_assert_null(c2, "the written penalty read back as mappings");
    char *b = penalty_text(r, &o2);
    cr_assert_str_eq(a, b);
    for (double x = -1; x <= 2; x += 0.5) {
        double u = augur_penalty_value(p, &x, 1, 0), v = augur_penalty_value(r, &x, 1, 0);
        cr_assert(memcmp(&u, &v, sizeof u) == 0, "x0 = %g: %g vs %g", x, u, v);
    }
    free(a);
    free(b);
    augur_penalty_destroy(p);
    augur_penalty_destroy(r);
    cr_assert_eq(parse("and(x0 <= 1; x0 - 1 == 0)", 1, NULL, &c, &p, err), AUGUR_OK);
    a = penalty_text(p, &o);
    cr_assert_str_eq(a, "x0 <= 1; x0 - 1 == 0");
    free(a);
    augur_penalty_destroy(p);
}

Test(written, or_takes_the_smaller_and_chains_are_written_flat)
{
    augur_constraints *c;
    augur_penalty *p, *q;
    augur_relation_options o;
    char err[256];
    cr_assert_eq(parse("or(x0 <= 1;\n x0 >= 3)", 1, NULL, &c, &p, err), AUGUR_OK, "%s",
                 err);
    cr_assert_eq(augur_penalty_value(p, (double[]){0}, 1, 0), 0);
    cr_assert_eq(augur_penalty_value(p, (double[]){3.5}, 1, 0), 0);
    cr_assert_eq(augur_penalty_value(p, (double[]){1.5}, 1, 0), 2 * 100 * 0.25);
    /* right-deep chains of one combinator come out as one group */
    cr_assert_eq(parse("x0 <= 2", 1, NULL, &c, &q, err), AUGUR_OK);
    p = augur_penalty_or(q, p);
    char *text = penalty_text(p, &o);
    cr_assert_str_eq(text, "or(x0 <= 2; x0 <= 1; x0 >= 3)");
    free(text);
    cr_assert_eq(parse("x0 >= -1", 1, NULL, &c, &q, err), AUGUR_OK);
    p = augur_penalty_and(q, p);
    text = penalty_text(p, &o);
    cr_assert_str_eq(text, "x0 >= -1; or(x0 <= 2; x0 <= 1; x0 >= 3)");
    free(text);
    augur_penalty_destroy(p);
}

static double g(const double *x, size_t n, void *data)
{
    (void)n, (void)data;
    return x[0];
}

static double user(const double *x, size_t n, size_t gen, void *data)
{
    (void)x, (void)n, (void)gen, (void)data;
    return 0;
}

static void unwritable(augur_penalty *p, const char *message)
{
    char *text = (char *)1;
    augur_relation_options o;
    cr_assert_eq(augur_penalty_write(p, &text, &o), AUGUR_EUNSUP);
    cr_assert_null(text);
    cr_assert(strstr(augur_penalty_errmsg(p), message), "%s\nwant: %s",
              augur_penalty_errmsg(p), message);
    augur_penalty_destroy(p);
}

static augur_penalty *read_one(const char *text, const augur_relation_options *opt)
{
    augur_constraints *c;
    augur_penalty *p;
    char err[256];
    cr_assert_eq(parse(text, 2, opt, &c, &p, err), AUGUR_OK, "%s", err);
    return p;
}

Test(written, what_the_text_cannot_say_is_eunsup)
{
    augur_relation_options k7 = {.k = 7}, linear = {
        .inequality = AUGUR_PENALTY_LINEAR_INEQUALITY};
    unwritable(augur_penalty_user(user, NULL), "a user penalty (augur_penalty_user)");
    unwritable(augur_penalty_and(read_one("x0 <= 1", NULL),
                                 augur_penalty_linear_equality(g, NULL, 0, 0)),
               "a linear equality penalty on a function");
    unwritable(augur_penalty_or(read_one("x0 <= 1", NULL), read_one("x1 <= 1", &k7)),
               "\"x1 <= 1\" has k = 7, h = 1 and \"x0 <= 1\" k = 100, h = 1");
    unwritable(augur_penalty_and(read_one("x0 <= 1", NULL), read_one("x1 <= 1", &linear)),
               "\"x1 <= 1\" is a linear inequality penalty and an earlier relation a "
               "quadratic inequality one");
    char *text;
    augur_relation_options o;
    cr_assert_eq(augur_penalty_write(NULL, &text, &o), AUGUR_EINVAL);
    augur_penalty *p = read_one("x0 <= 1", NULL);
    cr_assert_eq(augur_penalty_write(p, &text, NULL), AUGUR_EINVAL);
    cr_assert_eq(augur_penalty_write(p, NULL, &o), AUGUR_EINVAL);
    augur_penalty_destroy(p);
}

Test(written, each_bad_group_is_named_with_its_column)
{
    refused("or(x0 <= 1)", 2, "column 1: or(...) needs two or more members");
    refused("or(x0 <= 1; mean(5))", 2, "column 13: a mapping cannot be a member");
    refused("and(x0 <= 1; )", 2, "column 14: and(...) has an empty member");
    refused("or(x0 <= 1; x1 <= +)", 2, "relation 1 \"or(x0 <= 1; x1 <= +)\", column 19: "
            "expected a number, a variable, '(' or '-', found '+'");
    refused("or(x0 <= 1; x1 <= 2) x0", 2, "column 22: unexpected text after or(...)");
    refused("or(x0 <= 1; x1 <= 2", 2, "expected ')', found the end");
    refused("x0 <= 1; or(or(x0 <= 1); x1 <= 2)", 2, "relation 2");
    char deep[2048] = "";
    for (int k = 0; k < 100; k++)
        strcat(deep, "or(x0 <= 1; ");
    strcat(deep, "x1 <= 1");
    for (int k = 0; k < 100; k++)
        strcat(deep, ")");
    refused(deep, 2, "groups nested too deeply");
}

Test(written, bad_equality_option)
{
    augur_constraints *c;
    augur_penalty *p;
    char err[256];
    augur_relation_options bad = {.equality = AUGUR_PENALTY_BARRIER};
    cr_assert_eq(parse("x0 == 2*x0", 1, &bad, &c, &p, err), AUGUR_EINVAL);
    cr_assert(strstr(err, "equalities become quadratic or linear"), "%s", err);
}
