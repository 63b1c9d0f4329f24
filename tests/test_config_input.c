/* test_config_input.c - hostile numbers and files (docs/RELIABILITY.md,
 * "Bad input"): sizes past the caps or past what a size_t holds, integers
 * that an int cast would wrap, through a config file, --set overrides and
 * the API. Each must fail fast with the setting and its line, allocating
 * nothing in proportion to the number given. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include "augur.h"
#include "augur/config.h"
#include "config_files.h"

static void setup(void)
{
    gsl_set_error_handler_off();
    /* 2 GB of address space: a load that allocated in proportion to a
     * dimension of 10^9 (7.8 GB) would fail here with ENOMEM, not ERANGE.
     * AddressSanitizer reserves terabytes of shadow, so not under it. */
#if !defined(__SANITIZE_ADDRESS__)
    struct rlimit r = {.rlim_cur = (rlim_t)2 << 30, .rlim_max = (rlim_t)2 << 30};
    setrlimit(RLIMIT_AS, &r);
#endif
}

TestSuite(input, .init = setup);

/* 2^61 + 1: times sizeof(double) it wraps to 8 bytes. */
#define HUGE_N "2305843009213693953"

/* Load text with overrides: it must fail with rc, a message that starts
 * "file:line: " (line 0: just "file: ") and holds fragment. */
static void expect_refused(const char *text, const char *const *sets, int rc_want,
                           int line, const char *fragment)
{
    char *dir = temp_dir(), *path = write_file(dir, "bad.cfg", text);
    augur_job *j = NULL;
    char err[1024] = "", want[512];
    int rc = augur_job_load(path, sets, &j, err, sizeof err);
    cr_assert_eq(rc, rc_want, "rc %d (%s) for:\n%s", rc, err, text);
    cr_assert_null(j);
    if (line)
        snprintf(want, sizeof want, "%s:%d: ", path, line);
    else
        snprintf(want, sizeof want, "%s: ", path);
    cr_expect(strncmp(err, want, strlen(want)) == 0, "'%s' does not start with '%s'", err,
              want);
    cr_expect(strstr(err, fragment) != NULL, "'%s' does not say '%s'", err, fragment);
    free(path);
    remove_dir(dir);
}

Test(input, a_dimension_past_size_t_is_refused_with_its_line)
{
    expect_refused("problem = { model = \"sphere\";\n  dimension = " HUGE_N "L; };\n", NULL,
                   AUGUR_ERANGE, 2, "from 1 to 1048576");
    expect_refused("problem = { formula = \"x0*x0\";\n  dimension = " HUGE_N "L; };\n", NULL,
                   AUGUR_ERANGE, 2, "problem.dimension");
    expect_refused("problem = { model = \"sphere\"; dimension = 2; };\n"
                   "solver = { type = \"nelder-mead\";\n  dimension = " HUGE_N "L; };\n",
                   NULL, AUGUR_ERANGE, 3, "from 1 to 1048576");
}

Test(input, fit_parameters_past_the_cap_are_refused)
{
    char text[1024];
    snprintf(text, sizeof text,
             "problem = { fit = { model = \"polynomial\";\n  parameters = " HUGE_N "L;\n"
             "  data = { file = \"%s/data/polynomial.csv\"; x = \"x\"; y = \"y\"; }; }; };\n",
             AUGUR_EXAMPLES_DIR);
    expect_refused(text, NULL, AUGUR_ERANGE, 2, "problem.fit.parameters");
}

Test(input, a_dimension_of_a_billion_fails_fast_without_allocating)
{
    /* under the 2 GB limit of setup(), allocating 7.8 GB would give ENOMEM */
    expect_refused("problem = { model = \"sphere\";\n  dimension = 1000000000; };\n", NULL,
                   AUGUR_ERANGE, 2, "1000000000 is out of range");
}

Test(input, a_set_override_is_range_checked)
{
    const char *sets[] = {"problem.dimension=" HUGE_N, NULL};
    expect_refused("problem = { model = \"sphere\"; dimension = 3; };\n", sets,
                   AUGUR_ERANGE, 0, "problem.dimension: " HUGE_N " is out of range");
}

Test(input, workers_past_an_int_are_refused_not_wrapped)
{
    /* 4294967298 = 2^32 + 2: an int cast made it 2 workers */
    expect_refused("problem = { model = \"sphere\"; dimension = 2; };\n"
                   "map = { type = \"threads\";\n  workers = 4294967298L; };\n",
                   NULL, AUGUR_ERANGE, 3, "map.workers: 4294967298 is out of range");
    expect_refused("problem = { model = \"sphere\"; dimension = 2; };\n"
                   "solver = { type = \"de2\"; bounds = { lower = [-1.0, -1.0];"
                   " upper = [1.0, 1.0]; };\n"
                   "  map = { type = \"fork\"; workers = 4294967298L; }; };\n",
                   NULL, AUGUR_ERANGE, 3, "4294967298 is out of range");
    const char *sets[] = {"map.workers=4294967298", NULL};
    expect_refused("problem = { model = \"sphere\"; dimension = 2; };\n"
                   "map = { type = \"threads\"; workers = 2; };\n",
                   sets, AUGUR_ERANGE, 0, "map.workers: 4294967298 is out of range");
}

Test(input, the_api_refuses_a_dimension_past_the_cap)
{
    size_t huge = ((size_t)1 << 61) + 1;
    cr_expect_null(augur_solver_create("nelder-mead", huge));
    cr_expect_null(augur_solver_create("de", AUGUR_MAX_DIMENSION + 1));
    augur_solver *s = NULL;
    char err[256] = "";
    cr_expect_eq(augur_solver_new(&s, "pso", huge, err, sizeof err), AUGUR_ERANGE);
    cr_expect(strstr(err, "AUGUR_MAX_DIMENSION") != NULL, "%s", err);
    cr_expect_null(s);
    s = augur_solver_create("nelder-mead", AUGUR_MAX_DIMENSION);
    cr_expect_not_null(s, "the cap itself is allowed");
    augur_solver_destroy(s);
    cr_expect_null(augur_map_create("threads", AUGUR_MAX_WORKERS + 1));
    augur_map *m = augur_map_create("serial", AUGUR_MAX_WORKERS);
    cr_expect_not_null(m);
    augur_map_destroy(m);
}

Test(input, the_results_writer_refuses_a_fifo)
{
    char *dir = temp_dir(), *fifo = join(dir, "results.fifo");
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    augur_job *j = NULL;
    char err[512] = "";
    cr_assert_eq(augur_job_load_string("problem = { model = \"sphere\"; dimension = 2; };\n",
                                       "t.cfg", NULL, &j, err, sizeof err), AUGUR_OK, "%s", err);
    cr_assert_eq(augur_job_run(j), AUGUR_OK, "%s", augur_job_errmsg(j));
    cr_expect_eq(augur_job_write_results(j, fifo), AUGUR_EINVAL);
    cr_expect(strstr(augur_job_errmsg(j), "is a FIFO"), "%s", augur_job_errmsg(j));
    cr_expect_eq(augur_job_check_output(j, fifo), AUGUR_EINVAL);
    cr_expect_eq(augur_job_check_output(j, ""), AUGUR_EINVAL);
    struct stat st;
    cr_assert_eq(lstat(fifo, &st), 0);
    cr_expect(S_ISFIFO(st.st_mode));
    augur_job_destroy(j);
    free(fifo);
    remove_dir(dir);
}
