/* test_termination_combinators.c - conditions made of conditions: Or, And,
 * Not and When over the leaves, as a truth table on flat and short
 * histories with the reasons' exact text; every member is asked and the
 * first member error propagates; a deep copy keeps parameters and members;
 * reset reaches every member; member limits and ownership.
 *
 * As in test_termination_leaves.c, each augur_info is built by hand (see
 * term_info.h) and no solver is involved. The suite runs under
 * AddressSanitizer, which also checks that combinators given a NULL member
 * free the others. */
#include <criterion/criterion.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "augur/status.h"
#include "augur/termination.h"
#include "term_info.h"

/* A third-party condition type: counts its checks and resets (each test
 * runs in its own process, so file-scope counters are private to it). */
static int counter_checks, counter_resets;

typedef struct {
    double fire;
} counter_state;

static const augur_param counter_params[] = {
    { .name = "fire", .kind = AUGUR_PARAM_BOOL, .def = 0, .min = 0, .max = 1,
      .offset = offsetof(counter_state, fire), .choices = NULL,
      .doc = "whether the check fires" },
    { .name = NULL }
};

static int counter_check(augur_termination *t, void *state,
                         const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)info, (void)reason, (void)cap;
    counter_checks++;
    return ((counter_state *)state)->fire != 0;
}

static void counter_reset(void *state)
{
    (void)state;
    counter_resets++;
}

static const augur_term_type counter_type = {
    .name = "counter",
    .label = "Counter",
    .doc = "test double",
    .state_size = sizeof(counter_state),
    .params = counter_params,
    .max_children = 0,
    .check = counter_check,
    .reset = counter_reset,
};

static augur_termination *counter(int fire)
{
    augur_termination *t = augur_term_create_type(&counter_type);
    cr_assert_not_null(t);
    cr_assert_eq(augur_term_set_param(t, "fire", fire), AUGUR_OK);
    return t;
}

/* --- Copy, reset, members -------------------------------------------------------- */

Test(copy, deep_with_parameters_and_members)
{
    augur_termination *t = augur_term_or(
        augur_term_vtr(0.25, 2),
        augur_term_not(augur_term_change_over_generation(0.125, 7)));
    cr_assert_not_null(t);
    augur_termination *c = augur_term_copy(t);
    augur_term_destroy(t);
    cr_assert_not_null(c);
    cr_assert_str_eq(augur_term_get_type(c)->name, "or");
    cr_assert_eq(augur_term_child_count(c), 2);
    augur_termination *v = augur_term_child(c, 0);
    cr_assert_eq(param(v, "tolerance"), 0.25);
    cr_assert_eq(param(v, "target"), 2);
    augur_termination *n = augur_term_child(c, 1);
    cr_assert_str_eq(augur_term_get_type(n)->name, "not");
    cr_assert_eq(augur_term_child_count(n), 1);
    augur_termination *g = augur_term_child(n, 0);
    cr_assert_eq(param(g, "tolerance"), 0.125);
    cr_assert_eq(param(g, "generations"), 7);
    cr_assert_null(augur_term_child(c, 2));
    char text[256];
    augur_term_describe(c, text, sizeof text);
    cr_assert_str_eq(text, "Or(VTR(tolerance=0.25, target=2), "
                           "Not(ChangeOverGeneration(tolerance=0.125, "
                           "generations=7)))");
    augur_term_destroy(c);
}

Test(reset, reaches_every_member)
{
    augur_termination *t = augur_term_and(counter(1), augur_term_not(counter(0)));
    cr_assert_not_null(t);
    augur_term_reset(t);
    cr_assert_eq(counter_resets, 2);
    augur_info info = run_info(NULL, 0);
    cr_assert_eq(fires(t, &info), 1);
    cr_assert_str_eq(augur_term_reason(t), "Counter(fire=1); Not(Counter(fire=0))");
    augur_term_reset(t);
    cr_assert_str_eq(augur_term_reason(t), "");
    augur_term_destroy(t);
}

Test(members, add_child_limits_and_ownership)
{
    augur_termination *leaf = augur_term_create("vtr");
    cr_assert_eq(augur_term_add_child(leaf, augur_term_create("vtr")), AUGUR_ERANGE);
    augur_termination *n = augur_term_create("not");
    cr_assert_eq(augur_term_add_child(n, augur_term_create("vtr")), AUGUR_OK);
    cr_assert_eq(augur_term_add_child(n, augur_term_create("vtr")), AUGUR_ERANGE);
    cr_assert_str_eq(augur_term_errmsg(n), "not takes at most 1 condition");
    cr_assert_eq(augur_term_add_child(n, NULL), AUGUR_EINVAL);
    cr_assert_eq(augur_term_add_child(NULL, augur_term_create("vtr")), AUGUR_EINVAL);
    augur_term_destroy(leaf);
    augur_term_destroy(n);

    augur_termination *empty = augur_term_create("or");
    augur_info info = run_info(NULL, 0);
    cr_assert_eq(augur_term_check(empty, &info), AUGUR_ESTATE);
    cr_assert_str_eq(augur_term_errmsg(empty), "Or has no conditions");
    augur_term_destroy(empty);
}

/* --- Combinators ------------------------------------------------------------------- */

static const char *const VTR_R = "VTR(tolerance=0.005, target=0)";
static const char *const COG_R = "ChangeOverGeneration(tolerance=1e-06, generations=30)";
static const char *const NCOG_R =
    "NormalizedChangeOverGeneration(tolerance=0.0001, generations=10)";

static augur_termination *vtr(void) { return augur_term_create("vtr"); }
static augur_termination *cog(void)
{
    return augur_term_create("change-over-generation");
}
static augur_termination *ncog(void)
{
    return augur_term_create("normalized-change-over-generation");
}

/* Check t on info, expect `want` and the reason `why`, then free t. */
static void expect(augur_termination *t, const augur_info *info, int want,
                   const char *why)
{
    cr_assert_eq(fires(t, info), want);
    cr_assert_str_eq(augur_term_reason(t), why);
    augur_term_destroy(t);
}

Test(combinators, flat_history_at_one)
{
    /* VTR false (|1 - 0| > 0.005); COG and NCOG true (40 records > g). */
    fill_flat(1.0);
    augur_info info = run_info(flat, FLAT_LEN);
    expect(vtr(), &info, 0, "");
    expect(cog(), &info, 1, COG_R);
    expect(ncog(), &info, 1, NCOG_R);
    expect(augur_term_or(vtr(), cog()), &info, 1, COG_R);
    expect(augur_term_and(vtr(), cog()), &info, 0, "");
    char both[512];
    snprintf(both, sizeof both, "%s; %s", COG_R, NCOG_R);
    expect(augur_term_and(cog(), ncog()), &info, 1, both);
    expect(augur_term_or(cog(), ncog()), &info, 1, both);
    expect(augur_term_when(vtr()), &info, 0, "");
    expect(augur_term_when(cog()), &info, 1, COG_R);
    expect(augur_term_not(vtr()), &info, 1, "Not(VTR(tolerance=0.005, target=0))");
    expect(augur_term_not(cog()), &info, 0, "");
    augur_termination *all[] = {vtr(), cog(), ncog()};
    expect(augur_term_and_n(all, 3), &info, 0, "");
    augur_termination *any[] = {vtr(), cog(), ncog()};
    expect(augur_term_or_n(any, 3), &info, 1, both);
}

Test(combinators, flat_history_at_zero)
{
    fill_flat(0.0);
    augur_info info = run_info(flat, FLAT_LEN);
    char all3[768];
    snprintf(all3, sizeof all3, "%s; %s; %s", VTR_R, COG_R, NCOG_R);
    augur_termination *all[] = {vtr(), cog(), ncog()};
    expect(augur_term_and_n(all, 3), &info, 1, all3);
    augur_termination *any[] = {vtr(), cog(), ncog()};
    expect(augur_term_or_n(any, 3), &info, 1, all3);
    expect(augur_term_when(augur_term_and(vtr(), ncog())), &info, 1,
           "VTR(tolerance=0.005, target=0); "
           "NormalizedChangeOverGeneration(tolerance=0.0001, generations=10)");
    expect(augur_term_not(augur_term_or(vtr(), cog())), &info, 0, "");
}

Test(combinators, short_history)
{
    /* Five records: VTR holds, COG and NCOG cannot (L <= g). */
    fill_flat(0.0);
    augur_info info = run_info(flat, 5);
    expect(cog(), &info, 0, "");
    expect(ncog(), &info, 0, "");
    expect(augur_term_or(vtr(), cog()), &info, 1, VTR_R);
    expect(augur_term_and(vtr(), cog()), &info, 0, "");
    expect(augur_term_and(vtr(), augur_term_not(ncog())), &info, 1,
           "VTR(tolerance=0.005, target=0); Not(NormalizedChangeOverGeneration("
           "tolerance=0.0001, generations=10))");
    expect(augur_term_when(ncog()), &info, 0, "");
    expect(augur_term_not(augur_term_or(cog(), ncog())), &info, 1,
           "Not(Or(ChangeOverGeneration(tolerance=1e-06, generations=30), "
           "NormalizedChangeOverGeneration(tolerance=0.0001, generations=10)))");
}

Test(combinators, every_member_is_asked)
{
    augur_info info = run_info(NULL, 0);
    augur_termination *any[] = {counter(1), counter(1), counter(0)};
    augur_termination *t = augur_term_or_n(any, 3);
    cr_assert_eq(fires(t, &info), 1);
    cr_assert_eq(counter_checks, 3);
    augur_term_destroy(t);
    counter_checks = 0;
    t = augur_term_and(counter(0), counter(1));
    cr_assert_eq(fires(t, &info), 0);
    cr_assert_eq(counter_checks, 2);
    augur_term_destroy(t);
}

Test(combinators, member_errors_propagate)
{
    fill_flat(0.0);
    augur_info info = population_info(crt_pop, crt_energy, 1, 2);
    info.energy_history = flat;
    info.history_len = FLAT_LEN;
    const char *msg = "CandidateRelativeTolerance needs a population of at least 2";
    augur_termination *t = augur_term_or(vtr(), augur_term_create(
                                             "candidate-relative-tolerance"));
    counter_checks = 0;
    cr_assert_eq(augur_term_check(t, &info), AUGUR_EINVAL);
    cr_assert_str_eq(augur_term_errmsg(t), msg);
    cr_assert_str_eq(augur_term_reason(t), "");
    augur_term_destroy(t);

    augur_termination *members[] = {
        augur_term_create("candidate-relative-tolerance"), counter(1),
        augur_term_create("population-spread")};
    t = augur_term_and_n(members, 3);
    cr_assert_eq(augur_term_check(t, &info), AUGUR_EINVAL);
    cr_assert_str_eq(augur_term_errmsg(t), msg);   /* the first error */
    cr_assert_eq(counter_checks, 1);               /* later members still asked */
    augur_term_destroy(t);

    t = augur_term_not(augur_term_create("candidate-relative-tolerance"));
    cr_assert_eq(augur_term_check(t, &info), AUGUR_EINVAL);
    cr_assert_str_eq(augur_term_errmsg(t), msg);
    augur_term_destroy(t);
    t = augur_term_when(augur_term_create("candidate-relative-tolerance"));
    cr_assert_eq(augur_term_check(t, &info), AUGUR_EINVAL);
    cr_assert_str_eq(augur_term_errmsg(t), msg);
    augur_term_destroy(t);
}

Test(combinators, null_member_frees_the_others)
{
    cr_assert_null(augur_term_or(augur_term_vtr(0.1, 0), NULL));
    cr_assert_null(augur_term_and(NULL, cog()));
    cr_assert_null(augur_term_not(NULL));
    cr_assert_null(augur_term_when(NULL));
    /* A failed nested constructor (negative tolerance) gives the NULL. */
    cr_assert_null(augur_term_or(augur_term_vtr(-1, 0),
                                 augur_term_not(augur_term_and(cog(), ncog()))));
    augur_termination *some[] = {vtr(), NULL, ncog()};
    cr_assert_null(augur_term_or_n(some, 3));
    augur_termination *more[] = {cog(), ncog(), NULL};
    cr_assert_null(augur_term_and_n(more, 3));
    cr_assert_null(augur_term_or_n(NULL, 0));
    augur_termination *none[] = {NULL};
    cr_assert_null(augur_term_and_n(none, 0));
}
