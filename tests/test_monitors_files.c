/* test_monitors_files.c - the monitors that print or write: verbose (its
 * exact lines, every k-th record, the id prefix and the point, a failed
 * write) and logging (exact CSV that reads back bit for bit, lazy opening,
 * append on a second start, truncation once, every k-th record, unwritable
 * paths and full devices, dimension against the header, the path copied).
 *
 * Each test builds its records itself (monitor_records.h) and checks the
 * exact text printed to a memory stream or written to a fresh file in
 * /tmp, which it removes. No solver is involved. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "augur.h"
#include "augur/monitor.h"
#include "augur/status.h"
#include "monitor_records.h"

/* --- Helpers ----------------------------------------------------------- */

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
                     "Generation 0 has f: 2.5\n"
                     "Generation 1 has f: 0.1\n"
                     "Generation 2 has f: 0.3333333333333333\n");
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
                     "Generation 0 has f: 0\n"
                     "Generation 3 has f: 3\n"
                     "Generation 6 has f: 6\n");
    free(c.text);
}

Test(verbose, id_prefix_point_and_evaluations)
{
    capture c;
    capture_open(&c);
    augur_monitor *m = augur_monitor_verbose(c.fp, 1, 1);
    cr_assert_eq(augur_monitor_verbose_set_label(m, "ChiSquare"), AUGUR_OK);
    cr_assert_eq(augur_monitor_verbose_set_label(m, ""), AUGUR_EINVAL);
    cr_assert_eq(augur_monitor_verbose_set_label(m, "a label longer than thirty-one characters"),
                 AUGUR_EINVAL);
    augur_monitor *h = augur_monitor_history(0);
    cr_assert_eq(augur_monitor_verbose_set_label(h, "f"), AUGUR_EINVAL, "not verbose");
    augur_monitor_destroy(h);
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

/* every = 3 over records 0..4 logs 0 and 3; finish adds 4, the last, and
 * only once. */
Test(logging, finish_logs_the_last_record_every_skipped)
{
    char path[64];
    temp_path(path, sizeof path);
    augur_monitor *m = augur_monitor_logging(path, 3);
    double x = 0.25;
    cr_assert_eq(augur_monitor_start(m, 1), 0);
    for (size_t g = 0; g < 5; g++) {
        augur_record r = gen_record(g, 2 * g, &x, 1, 1.0 + (double)g);
        cr_assert_eq(augur_monitor_update(m, &r), 0);
    }
    cr_assert_eq(augur_monitor_finish(m), 0);
    cr_assert_eq(augur_monitor_finish(m), 0);
    augur_monitor_destroy(m);
    char *text = slurp(path);
    cr_assert_str_eq(text, "generation,evaluations,f,x0\n"
                           "0,0,1,0.25\n3,6,4,0.25\n4,8,5,0.25\n");
    free(text);
    unlink(path);
}

/* A real run: Nelder-Mead on the 2-D sphere from (1, 1), 7 generations
 * (limits), logged every 5th: rows for generations 0 and 5, then 7, the
 * generation of the answer, with the run's final evaluation count. */
Test(logging, a_run_logs_its_last_generation)
{
    char path[64];
    temp_path(path, sizeof path);
    augur_solver *s = augur_solver_create("nelder-mead", 2);
    double x0[2] = {1, 1};
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_evaluation_limits(s, 7, AUGUR_UNLIMITED);
    cr_assert_eq(augur_solver_add_generation_monitor(s, augur_monitor_logging(path, 5)), AUGUR_OK);
    cr_assert_geq(augur_solve(s, augur_model_sphere, NULL, NULL), 0, "%s",
                  augur_solver_errmsg(s));
    cr_assert_eq(augur_solver_generations(s), 7);
    char *text = slurp(path);
    size_t rows = 0;
    const char *lastrow = text;
    for (const char *p = text; *p; p++)
        if (*p == '\n' && p[1]) {
            rows++;
            lastrow = p + 1;
        }
    cr_assert_eq(rows, 3, "%s", text);
    char want[64];
    snprintf(want, sizeof want, "7,%zu,", augur_solver_evaluations(s));
    cr_assert(strncmp(lastrow, want, strlen(want)) == 0, "last row '%s', want '%s...'",
              lastrow, want);
    free(text);
    augur_solver_destroy(s);
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

/* A log is a regular file or a new name: a device is refused before it is
 * opened (docs/RELIABILITY.md), and stays a device. */
Test(logging, a_device_is_refused)
{
    struct stat st;
    if (stat("/dev/full", &st) != 0)
        cr_skip_test("no /dev/full");
    augur_monitor *m = augur_monitor_logging("/dev/full", 1);
    cr_assert_eq(augur_monitor_start(m, 1), AUGUR_EINVAL);
    cr_assert_str_eq(augur_monitor_errmsg(m),
                     "logging monitor: /dev/full is a character device: an output "
                     "must be a regular file or a new name");
    augur_monitor_destroy(m);
    cr_assert_eq(stat("/dev/full", &st), 0);
    cr_expect(S_ISCHR(st.st_mode));
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
