/* test_monitors.c - the monitors feed by hand: each test builds records
 * itself and checks exactly what a monitor kept, printed or wrote.
 *
 * No solver is involved, so a failure here points at the monitor, not at
 * the code driving it. The suite runs under AddressSanitizer with leak
 * detection, which is what the reference-counting and tee tests rely on to
 * catch a monitor freed twice or never. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "augur/monitor.h"
#include "augur/status.h"

/* --- Helpers ----------------------------------------------------------- */

static augur_record gen_record(size_t g, size_t evals, const double *x,
                               size_t n, double f)
{
    return (augur_record){ .kind = AUGUR_RECORD_GENERATION, .index = g,
                           .generation = g, .evaluations = evals, .n = n,
                           .x = x, .f = f, .id = 0 };
}

static augur_record eval_record(size_t e, size_t g, const double *x, size_t n,
                                double f)
{
    return (augur_record){ .kind = AUGUR_RECORD_EVALUATION, .index = e,
                           .generation = g, .evaluations = e + 1, .n = n,
                           .x = x, .f = f, .id = 0 };
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Everything in the file at path, NUL-terminated (caller frees). */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "cannot open %s", path);
    size_t cap = 256, len = 0;
    char *buf = malloc(cap);
    cr_assert_not_null(buf);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
        len += got;
        if (cap - len - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
            cr_assert_not_null(buf);
        }
    }
    buf[len] = '\0';
    fclose(fp);
    return buf;
}

/* A fresh, unique, absent file name in /tmp (the test removes it). */
static void temp_path(char *buf, size_t cap)
{
    snprintf(buf, cap, "/tmp/augur-test-monitors-XXXXXX");
    int fd = mkstemp(buf);
    cr_assert(fd >= 0);
    close(fd);
    unlink(buf);
}

/* Captures what a verbose monitor prints. */
typedef struct capture {
    char *text;
    size_t len;
    FILE *fp;
} capture;

static void capture_open(capture *c)
{
    c->text = NULL;
    c->len = 0;
    c->fp = open_memstream(&c->text, &c->len);
    cr_assert_not_null(c->fp);
}

static void capture_close(capture *c)
{
    fclose(c->fp);
}

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

/* --- Verbose ----------------------------------------------------------- */

Test(verbose, prints_generation_lines)
{
    capture c;
    capture_open(&c);
    augur_monitor *m = augur_monitor_verbose(c.fp, 1, 0);
    cr_assert_not_null(m);
    double x[2] = { 1, 2 };
    const double fs[3] = { 2.5, 0.1, 1.0 / 3.0 };
    cr_assert_eq(augur_monitor_start(m, 2), 0);
    for (size_t g = 0; g < 3; g++) {
        augur_record r = gen_record(g, 4 * (g + 1), x, 2, fs[g]);
        cr_assert_eq(augur_monitor_update(m, &r), 0);
    }
    cr_assert_eq(augur_monitor_finish(m), 0);
    augur_monitor_destroy(m);
    capture_close(&c);
    cr_assert_str_eq(c.text,
                     "Generation 0 has ChiSquare: 2.5\n"
                     "Generation 1 has ChiSquare: 0.1\n"
                     "Generation 2 has ChiSquare: 0.3333333333333333\n");
    free(c.text);
}

Test(verbose, every_three_prints_records_0_3_6)
{
    capture c;
    capture_open(&c);
    augur_monitor *m = augur_monitor_verbose(c.fp, 3, 0);
    double x = 0;
    for (size_t g = 0; g < 8; g++) {
        augur_record r = gen_record(g, g + 1, &x, 1, (double)g);
        cr_assert_eq(augur_monitor_update(m, &r), 0);
    }
    augur_monitor_destroy(m);
    capture_close(&c);
    cr_assert_str_eq(c.text,
                     "Generation 0 has ChiSquare: 0\n"
                     "Generation 3 has ChiSquare: 3\n"
                     "Generation 6 has ChiSquare: 6\n");
    free(c.text);
}

Test(verbose, id_prefix_point_and_evaluations)
{
    capture c;
    capture_open(&c);
    augur_monitor *m = augur_monitor_verbose(c.fp, 1, 1);
    double x[3] = { 1, -0.5, 1e-20 };
    augur_record r = gen_record(12, 40, x, 3, -2.0);
    r.id = 7;
    cr_assert_eq(augur_monitor_update(m, &r), 0);
    augur_record e = eval_record(40, 12, x, 2, 0.125);
    cr_assert_eq(augur_monitor_update(m, &e), 0);
    augur_record z = gen_record(13, 41, x, 0, 1.0);
    cr_assert_eq(augur_monitor_update(m, &z), 0);
    augur_monitor_destroy(m);
    capture_close(&c);
    cr_assert_str_eq(c.text,
                     "[id: 7] Generation 12 has ChiSquare: -2 at [1, -0.5, 1e-20]\n"
                     "Evaluation 40 has ChiSquare: 0.125 at [1, -0.5]\n"
                     "Generation 13 has ChiSquare: 1 at []\n");
    free(c.text);
}

Test(verbose, write_failure_is_eio)
{
    FILE *fp = fopen("/dev/full", "w");
    if (!fp)
        cr_skip_test("no /dev/full");
    augur_monitor *m = augur_monitor_verbose(fp, 1, 0);
    double x = 1;
    augur_record r = gen_record(0, 1, &x, 1, 1.0);
    cr_assert_eq(augur_monitor_update(m, &r), AUGUR_EIO);
    cr_assert_str_eq(augur_monitor_errmsg(m),
                     "verbose monitor: cannot write: No space left on device");
    augur_monitor_destroy(m);
    clearerr(fp);
    fclose(fp);
}

Test(verbose, bad_arguments_give_null)
{
    cr_assert_null(augur_monitor_verbose(NULL, 1, 0));
    cr_assert_null(augur_monitor_verbose(stderr, 0, 0));
}

/* --- Logging ----------------------------------------------------------- */

Test(logging, writes_exact_csv)
{
    char path[64];
    temp_path(path, sizeof path);
    augur_monitor *m = augur_monitor_logging(path, 1);
    cr_assert_not_null(m);
    const double xs[3][2] = {
        { 0.1, 1.0 / 3.0 }, { -0.0, 5e-324 }, { 1.7976931348623157e308, -2.5 }
    };
    const double fs[3] = { 2.0 / 7.0, -1e-300, 123456789.123456789 };
    cr_assert_eq(augur_monitor_start(m, 2), 0);
    for (size_t g = 0; g < 3; g++) {
        augur_record r = gen_record(g, 5 * (g + 1), xs[g], 2, fs[g]);
        cr_assert_eq(augur_monitor_update(m, &r), 0);
    }
    /* Flushed per line: readable while the monitor is still alive. */
    char *text = slurp(path);
    augur_monitor_destroy(m);

    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    cr_assert_str_eq(line, "generation,evaluations,f,x0,x1");
    for (size_t g = 0; g < 3; g++) {
        line = strtok_r(NULL, "\n", &save);
        cr_assert_not_null(line);
        char *end;
        cr_assert_eq(strtoull(line, &end, 10), g);
        cr_assert_eq(*end, ',');
        cr_assert_eq(strtoull(end + 1, &end, 10), 5 * (g + 1));
        cr_assert_eq(*end, ',');
        cr_assert(same_bits(strtod(end + 1, &end), fs[g]), "row %zu f", g);
        for (size_t j = 0; j < 2; j++) {
            cr_assert_eq(*end, ',');
            cr_assert(same_bits(strtod(end + 1, &end), xs[g][j]),
                      "row %zu x%zu", g, j);
        }
        cr_assert_eq(*end, '\0');
    }
    cr_assert_null(strtok_r(NULL, "\n", &save));
    free(text);
    unlink(path);
}

Test(logging, exact_text_for_simple_values)
{
    char path[64];
    temp_path(path, sizeof path);
    augur_monitor *m = augur_monitor_logging(path, 1);
    double x[3] = { 1, 2.5, -3 };
    augur_record r = gen_record(0, 4, x, 3, 0.5);
    cr_assert_eq(augur_monitor_update(m, &r), 0, "opens lazily without start");
    augur_record e = eval_record(4, 1, x, 3, 0.25);
    cr_assert_eq(augur_monitor_update(m, &e), 0);
    augur_monitor_destroy(m);
    char *text = slurp(path);
    cr_assert_str_eq(text, "generation,evaluations,f,x0,x1,x2\n"
                           "0,4,0.5,1,2.5,-3\n"
                           "1,5,0.25,1,2.5,-3\n");
    free(text);
    unlink(path);
}

Test(logging, second_start_appends)
{
    char path[64];
    temp_path(path, sizeof path);
    augur_monitor *m = augur_monitor_logging(path, 1);
    double x = 1;
    cr_assert_eq(augur_monitor_start(m, 1), 0);
    for (size_t g = 0; g < 2; g++) {
        augur_record r = gen_record(g, g + 1, &x, 1, (double)g);
        cr_assert_eq(augur_monitor_update(m, &r), 0);
    }
    cr_assert_eq(augur_monitor_finish(m), 0);
    cr_assert_eq(augur_monitor_start(m, 1), 0);
    for (size_t g = 2; g < 4; g++) {
        augur_record r = gen_record(g, g + 1, &x, 1, (double)g);
        cr_assert_eq(augur_monitor_update(m, &r), 0);
    }
    cr_assert_eq(augur_monitor_finish(m), 0);
    augur_monitor_destroy(m);
    char *text = slurp(path);
    cr_assert_str_eq(text, "generation,evaluations,f,x0\n"
                           "0,1,0,1\n1,2,1,1\n2,3,2,1\n3,4,3,1\n");
    free(text);
    unlink(path);
}

Test(logging, start_truncates_an_existing_file_once)
{
    char path[64];
    temp_path(path, sizeof path);
    FILE *old = fopen(path, "w");
    fputs("stale content\n", old);
    fclose(old);
    augur_monitor *m = augur_monitor_logging(path, 1);
    char *before = slurp(path);
    cr_assert_str_eq(before, "stale content\n", "nothing happens at creation");
    free(before);
    cr_assert_eq(augur_monitor_start(m, 0), 0);
    augur_record r = gen_record(0, 1, NULL, 0, 9.0);
    cr_assert_eq(augur_monitor_update(m, &r), 0);
    augur_monitor_destroy(m);
    char *text = slurp(path);
    cr_assert_str_eq(text, "generation,evaluations,f\n0,1,9\n");
    free(text);
    unlink(path);
}

Test(logging, every_two_logs_records_0_2_4)
{
    char path[64];
    temp_path(path, sizeof path);
    augur_monitor *m = augur_monitor_logging(path, 2);
    double x = 0.5;
    for (size_t g = 0; g < 5; g++) {
        augur_record r = gen_record(g, 3 * g, &x, 1, 10.0 + (double)g);
        cr_assert_eq(augur_monitor_update(m, &r), 0);
    }
    augur_monitor_destroy(m);
    char *text = slurp(path);
    cr_assert_str_eq(text, "generation,evaluations,f,x0\n"
                           "0,0,10,0.5\n2,6,12,0.5\n4,12,14,0.5\n");
    free(text);
    unlink(path);
}

Test(logging, unwritable_path_is_eio_naming_path)
{
    const char *path = "/nonexistent-dir/x.csv";
    augur_monitor *m = augur_monitor_logging(path, 1);
    cr_assert_not_null(m, "the path is only tried when the run starts");
    cr_assert_eq(augur_monitor_start(m, 2), AUGUR_EIO);
    char want[256];
    snprintf(want, sizeof want, "logging monitor: cannot open '%s': %s", path,
             strerror(ENOENT));
    cr_assert_str_eq(augur_monitor_errmsg(m), want);
    double x[2] = { 1, 2 };
    augur_record r = gen_record(0, 1, x, 2, 1.0);
    cr_assert_eq(augur_monitor_update(m, &r), AUGUR_EIO);
    cr_assert_str_eq(augur_monitor_errmsg(m), want);
    augur_monitor_destroy(m);
}

Test(logging, full_device_is_eio)
{
    FILE *probe = fopen("/dev/full", "w");
    if (!probe)
        cr_skip_test("no /dev/full");
    fclose(probe);
    augur_monitor *m = augur_monitor_logging("/dev/full", 1);
    cr_assert_eq(augur_monitor_start(m, 1), AUGUR_EIO);
    cr_assert_str_eq(augur_monitor_errmsg(m),
                     "logging monitor: cannot write '/dev/full': "
                     "No space left on device");
    augur_monitor_destroy(m);
}

Test(logging, dimension_must_match_header)
{
    char path[64];
    temp_path(path, sizeof path);
    augur_monitor *m = augur_monitor_logging(path, 1);
    cr_assert_eq(augur_monitor_start(m, 2), 0);
    double x[3] = { 1, 2, 3 };
    augur_record r = gen_record(0, 1, x, 3, 1.0);
    cr_assert_eq(augur_monitor_update(m, &r), AUGUR_EINVAL);
    cr_assert_not_null(strstr(augur_monitor_errmsg(m), path));
    cr_assert_eq(augur_monitor_start(m, 3), AUGUR_EINVAL);
    augur_monitor_destroy(m);
    char *text = slurp(path);
    cr_assert_str_eq(text, "generation,evaluations,f,x0,x1\n");
    free(text);
    unlink(path);
}

Test(logging, copies_the_path)
{
    char path[64];
    temp_path(path, sizeof path);
    char scratch[64];
    memcpy(scratch, path, sizeof scratch);
    augur_monitor *m = augur_monitor_logging(scratch, 1);
    memset(scratch, 'z', sizeof scratch - 1);
    cr_assert_eq(augur_monitor_start(m, 0), 0);
    augur_monitor_destroy(m);
    char *text = slurp(path);
    cr_assert_str_eq(text, "generation,evaluations,f\n");
    free(text);
    unlink(path);
}

Test(logging, bad_arguments_give_null)
{
    cr_assert_null(augur_monitor_logging(NULL, 1));
    cr_assert_null(augur_monitor_logging("", 1));
    cr_assert_null(augur_monitor_logging("/tmp/never-created.csv", 0));
    cr_assert_eq(access("/tmp/never-created.csv", F_OK), -1);
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
