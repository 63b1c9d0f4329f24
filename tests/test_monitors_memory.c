/* test_monitors_memory.c - the monitors that keep or pass on records in
 * memory, fed by hand: the base type (hooks forwarded, state calloc'd,
 * reference counting, NULL arguments, silent failures given a message), the
 * null monitor, the history (in order, copies, rings, growth, dimension
 * checks), the callback and its stop, and the tee (both members fed, errors
 * over stops, nesting). The monitors that print or write files are in
 * test_monitors_files.c.
 *
 * Each test builds its records itself (monitor_records.h) and checks
 * exactly what a monitor kept. No solver is involved, so a failure here
 * points at the monitor, not at the code driving it. The suite runs under
 * AddressSanitizer with leak detection, which is what the
 * reference-counting and tee tests rely on to catch a monitor freed twice
 * or never. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur/monitor.h"
#include "augur/status.h"
#include "monitor_records.h"

/* A user-defined monitor type that counts its hooks and its frees. */
static int probe_frees, probe_starts, probe_updates, probe_finishes;

typedef struct probe_state {
    int zeroed_on_create;
    size_t last_n;
} probe_state;

static int probe_start(augur_monitor *m, void *state, size_t n)
{
    (void)m;
    ((probe_state *)state)->last_n = n;
    probe_starts++;
    return 0;
}

static int probe_update(augur_monitor *m, void *state, const augur_record *r)
{
    (void)m;
    (void)state;
    (void)r;
    probe_updates++;
    return 0;
}

static int probe_finish(augur_monitor *m, void *state)
{
    (void)m;
    (void)state;
    probe_finishes++;
    return 0;
}

static void probe_free(void *state)
{
    (void)state;
    probe_frees++;
}

static const augur_monitor_type probe_type = {
    .name = "probe",
    .doc = "Counts its hooks (tests only).",
    .state_size = sizeof(probe_state),
    .start = probe_start,
    .update = probe_update,
    .finish = probe_finish,
    .free = probe_free,
};

/* A user type whose update fails without writing a message. */
static int silent_update(augur_monitor *m, void *state, const augur_record *r)
{
    (void)m;
    (void)state;
    return r->f < 0 ? AUGUR_EFAILED : 0;
}

static const augur_monitor_type silent_type = {
    .name = "silent",
    .doc = "Fails on negative f without a message (tests only).",
    .update = silent_update,
};

/* --- Base -------------------------------------------------------------- */

Test(base, create_callocs_state_and_reports_type)
{
    augur_monitor *m = augur_monitor_create(&probe_type);
    cr_assert_not_null(m);
    cr_assert_eq(augur_monitor_get_type(m), &probe_type);
    probe_state *s = augur_monitor_state(m);
    cr_assert_not_null(s);
    cr_assert_eq(s->zeroed_on_create, 0);
    cr_assert_eq(s->last_n, 0);
    cr_assert_str_empty(augur_monitor_errmsg(m));
    augur_monitor_destroy(m);
    cr_assert_eq(probe_frees, 1);
    cr_assert_null(augur_monitor_create(NULL));
}

Test(base, hooks_are_forwarded)
{
    augur_monitor *m = augur_monitor_create(&probe_type);
    double x[2] = { 1, 2 };
    augur_record r = gen_record(0, 1, x, 2, 3.0);
    cr_assert_eq(augur_monitor_start(m, 2), 0);
    cr_assert_eq(augur_monitor_update(m, &r), 0);
    cr_assert_eq(augur_monitor_update(m, &r), 0);
    cr_assert_eq(augur_monitor_finish(m), 0);
    cr_assert_eq(probe_starts, 1);
    cr_assert_eq(probe_updates, 2);
    cr_assert_eq(probe_finishes, 1);
    cr_assert_eq(((probe_state *)augur_monitor_state(m))->last_n, 2);
    augur_monitor_destroy(m);
}

Test(base, refcount_frees_once_with_last_reference)
{
    augur_monitor *m = augur_monitor_create(&probe_type);
    cr_assert_eq(augur_monitor_ref(m), m);
    cr_assert_eq(augur_monitor_ref(m), m);
    augur_monitor_destroy(m);
    augur_monitor_destroy(m);
    cr_assert_eq(probe_frees, 0);
    /* Still usable while a reference remains. */
    cr_assert_eq(augur_monitor_start(m, 1), 0);
    augur_monitor_destroy(m);
    cr_assert_eq(probe_frees, 1);
}

Test(base, null_monitor_and_record_are_invalid)
{
    augur_monitor_destroy(NULL);
    cr_assert_null(augur_monitor_ref(NULL));
    cr_assert_null(augur_monitor_state(NULL));
    cr_assert_null(augur_monitor_get_type(NULL));
    cr_assert_str_empty(augur_monitor_errmsg(NULL));
    double x = 1;
    augur_record r = gen_record(0, 1, &x, 1, 1.0);
    cr_assert_eq(augur_monitor_start(NULL, 1), AUGUR_EINVAL);
    cr_assert_eq(augur_monitor_update(NULL, &r), AUGUR_EINVAL);
    cr_assert_eq(augur_monitor_finish(NULL), AUGUR_EINVAL);

    augur_monitor *m = augur_monitor_history(0);
    cr_assert_eq(augur_monitor_update(m, NULL), AUGUR_EINVAL);
    cr_assert_not_null(strstr(augur_monitor_errmsg(m), "NULL record"));
    augur_record nox = gen_record(0, 1, NULL, 3, 1.0);
    cr_assert_eq(augur_monitor_update(m, &nox), AUGUR_EINVAL);
    cr_assert_not_null(strstr(augur_monitor_errmsg(m), "dimension 3"));
    cr_assert_eq(augur_history_total(m), 0);
    augur_monitor_destroy(m);
}

Test(base, silent_failure_gets_message_which_outlives_success)
{
    augur_monitor *m = augur_monitor_create(&silent_type);
    cr_assert_null(augur_monitor_state(m));
    augur_record bad = gen_record(0, 1, NULL, 0, -1.0);
    augur_record good = gen_record(1, 2, NULL, 0, 1.0);
    cr_assert_eq(augur_monitor_start(m, 0), 0);
    cr_assert_eq(augur_monitor_update(m, &bad), AUGUR_EFAILED);
    cr_assert_str_eq(augur_monitor_errmsg(m),
                     "silent monitor: update failed: operation failed");
    cr_assert_eq(augur_monitor_update(m, &good), 0);
    cr_assert_str_eq(augur_monitor_errmsg(m),
                     "silent monitor: update failed: operation failed");
    cr_assert_eq(augur_monitor_finish(m), 0);
    augur_monitor_destroy(m);
}

Test(base, null_monitor_accepts_everything)
{
    augur_monitor *m = augur_monitor_null();
    cr_assert_not_null(m);
    cr_assert_str_eq(augur_monitor_get_type(m)->name, "null");
    double x[2] = { 1, 2 };
    augur_record r = gen_record(0, 1, x, 2, 0.5);
    cr_assert_eq(augur_monitor_start(m, 2), 0);
    cr_assert_eq(augur_monitor_update(m, &r), 0);
    cr_assert_eq(augur_monitor_finish(m), 0);
    cr_assert_eq(augur_history_length(m), 0);
    augur_monitor_destroy(m);
}

/* --- History ----------------------------------------------------------- */

Test(history, keeps_every_record_in_order)
{
    augur_monitor *m = augur_monitor_history(0);
    cr_assert_eq(augur_monitor_start(m, 2), 0);
    for (size_t g = 0; g < 5; g++) {
        double x[2] = { (double)g, -0.1 * (double)g };
        augur_record r = gen_record(g, 10 * (g + 1), x, 2, 1.0 / (double)(g + 1));
        cr_assert_eq(augur_monitor_update(m, &r), 0);
    }
    cr_assert_eq(augur_history_length(m), 5);
    cr_assert_eq(augur_history_total(m), 5);
    cr_assert_eq(augur_history_dimension(m), 2);
    for (size_t i = 0; i < 5; i++) {
        const double *x = augur_history_x(m, i);
        cr_assert_not_null(x);
        cr_assert(same_bits(x[0], (double)i));
        cr_assert(same_bits(x[1], -0.1 * (double)i));
        cr_assert(same_bits(augur_history_f(m, i), 1.0 / (double)(i + 1)));
        cr_assert_eq(augur_history_index(m, i), i);
    }
    augur_monitor_destroy(m);
}

Test(history, copies_the_point)
{
    augur_monitor *m = augur_monitor_history(0);
    double x[3] = { 1.5, 2.5, 3.5 };
    augur_record r = gen_record(0, 1, x, 3, 7.0);
    cr_assert_eq(augur_monitor_update(m, &r), 0);
    x[0] = x[1] = x[2] = -99;
    const double *kept = augur_history_x(m, 0);
    cr_assert_neq(kept, x);
    cr_assert_eq(kept[0], 1.5);
    cr_assert_eq(kept[1], 2.5);
    cr_assert_eq(kept[2], 3.5);
    cr_assert_eq(augur_history_dimension(m), 3, "n comes from the first record");
    augur_monitor_destroy(m);
}

Test(history, ring_keeps_newest_cap)
{
    augur_monitor *m = augur_monitor_history(3);
    for (size_t e = 0; e < 7; e++) {
        double x = 100.0 + (double)e;
        augur_record r = eval_record(e, e / 2, &x, 1, (double)e * 0.25);
        cr_assert_eq(augur_monitor_update(m, &r), 0);
        cr_assert_eq(augur_history_length(m), e + 1 < 3 ? e + 1 : 3);
    }
    cr_assert_eq(augur_history_total(m), 7);
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(augur_history_index(m, i), 4 + i);
        cr_assert_eq(augur_history_x(m, i)[0], 104.0 + (double)i);
        cr_assert_eq(augur_history_f(m, i), (double)(4 + i) * 0.25);
    }
    cr_assert_null(augur_history_x(m, 3));
    augur_monitor_destroy(m);
}

Test(history, ring_of_one)
{
    augur_monitor *m = augur_monitor_history(1);
    for (size_t g = 0; g < 4; g++) {
        double x[2] = { (double)g, (double)(g * g) };
        augur_record r = gen_record(g, g + 1, x, 2, -(double)g);
        cr_assert_eq(augur_monitor_update(m, &r), 0);
    }
    cr_assert_eq(augur_history_length(m), 1);
    cr_assert_eq(augur_history_total(m), 4);
    cr_assert_eq(augur_history_index(m, 0), 3);
    cr_assert_eq(augur_history_x(m, 0)[1], 9.0);
    cr_assert_eq(augur_history_f(m, 0), -3.0);
    augur_monitor_destroy(m);
}

Test(history, unbounded_grows_across_many_records)
{
    augur_monitor *m = augur_monitor_history(0);
    const size_t count = 5000;
    for (size_t e = 0; e < count; e++) {
        double x[3] = { (double)e, (double)e + 0.5, -(double)e };
        augur_record r = eval_record(e, 0, x, 3, sqrt((double)e));
        cr_assert_eq(augur_monitor_update(m, &r), 0);
    }
    cr_assert_eq(augur_history_length(m), count);
    cr_assert_eq(augur_history_total(m), count);
    for (size_t i = 0; i < count; i += 97) {
        cr_assert_eq(augur_history_index(m, i), i);
        cr_assert_eq(augur_history_x(m, i)[1], (double)i + 0.5);
        cr_assert(same_bits(augur_history_f(m, i), sqrt((double)i)));
    }
    augur_monitor_destroy(m);
}

Test(history, out_of_range_and_wrong_type)
{
    augur_monitor *m = augur_monitor_history(0);
    cr_assert_null(augur_history_x(m, 0));
    cr_assert(isnan(augur_history_f(m, 0)));
    cr_assert_eq(augur_history_index(m, 0), 0);
    double x = 2;
    augur_record r = gen_record(5, 9, &x, 1, 4.0);
    cr_assert_eq(augur_monitor_update(m, &r), 0);
    cr_assert_eq(augur_history_index(m, 0), 5);
    cr_assert_null(augur_history_x(m, 1));
    cr_assert(isnan(augur_history_f(m, 1)));
    cr_assert_eq(augur_history_index(m, 1), 0);

    augur_monitor *other = augur_monitor_create(&probe_type);
    cr_assert_eq(augur_monitor_update(other, &r), 0);
    cr_assert_eq(augur_history_length(other), 0);
    cr_assert_eq(augur_history_total(other), 0);
    cr_assert_eq(augur_history_dimension(other), 0);
    cr_assert_null(augur_history_x(other, 0));
    cr_assert(isnan(augur_history_f(other, 0)));
    cr_assert_eq(augur_history_length(NULL), 0);
    cr_assert_null(augur_history_x(NULL, 0));
    augur_monitor_destroy(other);
    augur_monitor_destroy(m);
}

Test(history, refuses_a_second_dimension)
{
    augur_monitor *m = augur_monitor_history(0);
    cr_assert_eq(augur_monitor_start(m, 3), 0);
    cr_assert_eq(augur_history_dimension(m), 3);
    double x[3] = { 1, 2, 3 };
    augur_record r2 = gen_record(0, 1, x, 2, 1.0);
    cr_assert_eq(augur_monitor_update(m, &r2), 0,
                 "nothing kept yet, so start's n may still change");
    cr_assert_eq(augur_history_dimension(m), 2);
    augur_record r3 = gen_record(1, 2, x, 3, 1.0);
    cr_assert_eq(augur_monitor_update(m, &r3), AUGUR_EINVAL);
    cr_assert_str_eq(augur_monitor_errmsg(m),
                     "history monitor: dimension 3, but the records kept "
                     "have dimension 2");
    cr_assert_eq(augur_monitor_start(m, 3), AUGUR_EINVAL);
    cr_assert_eq(augur_monitor_start(m, 2), 0, "a continuation of the same n");
    cr_assert_eq(augur_history_length(m), 1);
    cr_assert_eq(augur_history_total(m), 1);
    augur_monitor_destroy(m);
}

/* --- Callback ---------------------------------------------------------- */

typedef struct seen {
    size_t calls;
    size_t stop_at;
    double last_f;
} seen;

static int watch(const augur_record *r, void *data)
{
    seen *s = data;
    s->calls++;
    s->last_f = r->f;
    return r->index >= s->stop_at;
}

Test(callback, passes_records_and_data_then_stops)
{
    seen s = { .calls = 0, .stop_at = 2, .last_f = 0 };
    augur_monitor *m = augur_monitor_callback(watch, &s);
    cr_assert_not_null(m);
    double x = 0;
    for (size_t g = 0; g < 2; g++) {
        augur_record r = gen_record(g, g + 1, &x, 1, 0.5 * (double)g);
        cr_assert_eq(augur_monitor_update(m, &r), 0);
    }
    augur_record r = gen_record(2, 3, &x, 1, 8.0);
    cr_assert_eq(augur_monitor_update(m, &r), AUGUR_STOPPED);
    cr_assert_eq(s.calls, 3);
    cr_assert_eq(s.last_f, 8.0);
    cr_assert_str_empty(augur_monitor_errmsg(m), "a stop is not a failure");
    augur_monitor_destroy(m);
}

Test(callback, null_fn_gives_null)
{
    cr_assert_null(augur_monitor_callback(NULL, NULL));
}

/* --- Tee --------------------------------------------------------------- */

Test(tee, feeds_both_members)
{
    augur_monitor *h = augur_monitor_history(0);
    augur_monitor *p = augur_monitor_create(&probe_type);
    augur_monitor *t = augur_monitor_tee(augur_monitor_ref(h), p);
    cr_assert_not_null(t);
    double x[2] = { 3, 4 };
    cr_assert_eq(augur_monitor_start(t, 2), 0);
    for (size_t g = 0; g < 3; g++) {
        augur_record r = gen_record(g, g + 1, x, 2, (double)g);
        cr_assert_eq(augur_monitor_update(t, &r), 0);
    }
    cr_assert_eq(augur_monitor_finish(t), 0);
    cr_assert_eq(augur_history_total(h), 3);
    cr_assert_eq(augur_history_f(h, 2), 2.0);
    cr_assert_eq(probe_starts, 1);
    cr_assert_eq(probe_updates, 3);
    cr_assert_eq(probe_finishes, 1);
    augur_monitor_destroy(t);
    cr_assert_eq(probe_frees, 1, "the tee frees its members");
    cr_assert_eq(augur_history_total(h), 3, "our own reference survives");
    augur_monitor_destroy(h);
}

Test(tee, null_member_destroys_the_other)
{
    cr_assert_null(augur_monitor_tee(augur_monitor_create(&probe_type), NULL));
    cr_assert_eq(probe_frees, 1);
    cr_assert_null(augur_monitor_tee(NULL, augur_monitor_create(&probe_type)));
    cr_assert_eq(probe_frees, 2);
    cr_assert_null(augur_monitor_tee(NULL, NULL));
}

static int always_stop(const augur_record *r, void *data)
{
    (void)r;
    (*(size_t *)data)++;
    return 1;
}

Test(tee, error_wins_over_stop_and_both_are_fed)
{
    size_t calls = 0;
    augur_monitor *stop = augur_monitor_callback(always_stop, &calls);
    augur_monitor *log = augur_monitor_logging("/nonexistent-dir/x.csv", 1);
    augur_monitor *t = augur_monitor_tee(stop, log);
    double x = 1;
    augur_record r = gen_record(0, 1, &x, 1, 1.0);
    cr_assert_eq(augur_monitor_update(t, &r), AUGUR_EIO);
    cr_assert_eq(calls, 1);
    cr_assert_not_null(strstr(augur_monitor_errmsg(t), "/nonexistent-dir/x.csv"));
    augur_monitor_destroy(t);
}

Test(tee, stop_from_second_member_is_reported)
{
    size_t calls = 0;
    augur_monitor *h = augur_monitor_history(0);
    augur_monitor *t = augur_monitor_tee(augur_monitor_ref(h),
                                         augur_monitor_callback(always_stop, &calls));
    double x = 1;
    augur_record r = gen_record(0, 1, &x, 1, 1.0);
    cr_assert_eq(augur_monitor_update(t, &r), AUGUR_STOPPED);
    cr_assert_eq(augur_history_total(h), 1);
    cr_assert_eq(calls, 1);
    augur_monitor_destroy(t);
    augur_monitor_destroy(h);
}

Test(tee, nested_tees_reach_every_leaf)
{
    augur_monitor *h1 = augur_monitor_history(0);
    augur_monitor *h2 = augur_monitor_history(2);
    augur_monitor *t = augur_monitor_tee(
        augur_monitor_tee(augur_monitor_ref(h1), augur_monitor_null()),
        augur_monitor_ref(h2));
    double x = 1;
    for (size_t g = 0; g < 4; g++) {
        augur_record r = gen_record(g, g + 1, &x, 1, (double)g);
        cr_assert_eq(augur_monitor_update(t, &r), 0);
    }
    augur_monitor_destroy(t);
    cr_assert_eq(augur_history_length(h1), 4);
    cr_assert_eq(augur_history_length(h2), 2);
    cr_assert_eq(augur_history_index(h2, 0), 2);
    augur_monitor_destroy(h1);
    augur_monitor_destroy(h2);
}
