/* test_config_results.c - results files: one reproduces its run bit for
 * bit, also when the first run drew its seed from the OS, when it is
 * written away from its input, and for a profile scan; it holds the
 * resolved input and the answer (read back with libconfig); a failed write
 * leaves nothing. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "augur.h"
#include "augur/config.h"
#include "config_files.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(config, .init = quiet_gsl);

/* --- Results files ------------------------------------------------------------------ */

typedef struct outcome {
    double *x;
    double f;
    size_t n, evaluations;
    uint64_t seed;
} outcome;

static outcome run_and_write(augur_job *j, const char *results)
{
    run(j);
    const double *x;
    outcome o = {0};
    cr_assert_eq(augur_job_answer(j, &x, &o.n, &o.f), AUGUR_OK);
    o.x = malloc(o.n * sizeof *o.x);
    memcpy(o.x, x, o.n * sizeof *o.x);
    o.evaluations = augur_solver_evaluations(augur_job_solver(j));
    o.seed = augur_solver_seed(augur_job_solver(j));
    cr_assert_eq(augur_job_write_results(j, results), AUGUR_OK, "%s",
                 augur_job_errmsg(j));
    return o;
}

/* Run text, write its results, load them, run again: the same bits. */
static void reproduces(const char *text)
{
    char *dir = temp_dir(), *path = write_file(dir, "job.cfg", text);
    char *first = join(dir, "first.results.cfg"), *second = join(dir, "second.cfg");
    augur_job *j = NULL;
    char err[1024] = "";
    cr_assert_eq(augur_job_load(path, NULL, &j, err, sizeof err), AUGUR_OK, "%s", err);
    outcome a = run_and_write(j, first);
    augur_job_destroy(j);
    cr_assert_eq(augur_job_load(first, NULL, &j, err, sizeof err), AUGUR_OK, "%s", err);
    outcome b = run_and_write(j, second);
    augur_job_destroy(j);
    cr_expect_eq(a.n, b.n);
    cr_expect_eq(memcmp(a.x, b.x, a.n * sizeof *a.x), 0, "x differs:\n%s", text);
    cr_expect_eq(memcmp(&a.f, &b.f, sizeof a.f), 0, "f: %.17g vs %.17g", a.f, b.f);
    cr_expect_eq(a.evaluations, b.evaluations);
    cr_expect_eq(a.seed, b.seed);
    free(a.x);
    free(b.x);
    free(path);
    free(first);
    free(second);
    remove_dir(dir);
}

Test(config, results_reproduce_the_run_bit_for_bit)
{
    /* no seed: the first run draws one, and the results file keeps it */
    reproduces("problem = { model = \"rastrigin\"; dimension = 3; };\n"
               "solver = { type = \"de\"; limits = { generations = 40; }; };\n");
    reproduces("problem = { model = \"rosen\"; dimension = 3; };\nseed = 11;\n"
               "solver = { type = \"nelder-mead\"; };\n");
    reproduces("problem = { model = \"peaks\"; };\n"
               "solver = { type = \"buckshot\"; parameters = { npts = 4; };\n"
               "  nested = { type = \"powell\"; }; };\n"
               "map = { type = \"threads\"; workers = 2; };\n");
    reproduces("problem = { formula = \"(x0 - 0.5)^2 + x1^2\"; dimension = 2; };\n"
               "solver = { type = \"pso\"; limits = { generations = 30; };\n"
               "  bounds = { lower = [ -1.0, -1.0 ]; upper = [ 1.0, 1.0 ]; }; };\n");
}

/* A results file written away from its input: the data path is made
 * absolute, so the file still loads, and it reproduces the fit. */
Test(config, results_elsewhere_keep_their_paths)
{
    char *dir = temp_dir(), *first = join(dir, "fit.results.cfg");
    char *second = join(dir, "again.cfg");
    augur_job *j = NULL;
    char err[1024] = "";
    const char *example = AUGUR_EXAMPLES_DIR "/fit-polynomial.cfg";
    cr_assert_eq(augur_job_load(example, NULL, &j, err, sizeof err), AUGUR_OK, "%s", err);
    outcome a = run_and_write(j, first);
    augur_job_destroy(j);
    cr_assert_eq(augur_job_load(first, NULL, &j, err, sizeof err), AUGUR_OK, "%s", err);
    outcome b = run_and_write(j, second);
    augur_job_destroy(j);
    cr_expect_eq(memcmp(a.x, b.x, a.n * sizeof *a.x), 0);
    cr_expect_eq(memcmp(&a.f, &b.f, sizeof a.f), 0);
    cr_expect_eq(a.evaluations, b.evaluations);
    free(a.x);
    free(b.x);
    free(first);
    free(second);
    remove_dir(dir);
}

Test(config, profile_scans)
{
    /* the profile of a bowl over x0: p(v) = (v - 1)^2, the others free */
    const char *text = "problem = { formula = \"(x0 - 1)^2 + (x1 + 2)^2 + x2^2\";\n"
                       "            dimension = 3; };\n"
                       "solver = { type = \"powell\";\n"
                       "  bounds = { lower = [ -3.0, -3.0, -3.0 ]; "
                       "upper = [ 3.0, 3.0, 3.0 ]; };\n"
                       "  initial = { point = [ 0.0, 0.0, 0.0 ]; }; };\n"
                       "profile = { parameter = 0; points = 7; bins = 2; };\n"
                       "map = { type = \"threads\"; workers = 2; };\n";
    augur_job *j = load_text(text, NULL);
    run(j);
    const double *x;
    size_t n;
    double f;
    cr_assert_eq(augur_job_answer(j, &x, &n, &f), AUGUR_OK);
    cr_expect_eq(x[0], 1.0, "the grid value 1 is the best: x0 = %g", x[0]);
    cr_expect_lt(f, 1e-10);
    augur_job_destroy(j);
    reproduces(text);
}

Test(config, results_files_hold_the_resolved_input_and_the_answer)
{
    char *dir = temp_dir(), *results = join(dir, "r.cfg");
    augur_job *j = load_text("problem = { model = \"sphere\"; dimension = 2; };\n"
                             "output = { results = \"r.cfg\"; };\n"
                             "monitors = ( { type = \"history\"; } );\n", NULL);
    cr_expect_str_eq(augur_job_results_path(j), "r.cfg");
    cr_expect_eq(augur_job_write_results(j, results), AUGUR_ESTATE);
    free(run_and_write(j, results).x);
    config_t c;
    config_init(&c);
    cr_assert_eq(config_read_file(&c, results), CONFIG_TRUE, "%s:%d: %s", results,
                 config_error_line(&c), config_error_text(&c));
    const char *type = NULL, *reason = NULL, *version = NULL;
    long long every = 0, evaluations = 0;
    int dim = 0;
    cr_expect(config_lookup_string(&c, "solver.type", &type) && !strcmp(type, "auto"));
    cr_expect(config_lookup_int(&c, "solver.dimension", &dim) && dim == 2);
    /* seeds past INT64_MAX are written as text (libconfig's are signed) */
    const config_setting_t *seed = config_lookup(&c, "solver.seed");
    cr_assert_not_null(seed, "the seed the run drew");
    uint64_t used = config_setting_type(seed) == CONFIG_TYPE_STRING
                        ? strtoull(config_setting_get_string(seed), NULL, 10)
                        : (uint64_t)config_setting_get_int64(seed);
    cr_expect_eq(used, augur_solver_seed(augur_job_solver(j)));
    cr_expect_not_null(config_lookup(&c, "solver.bounds.lower"), "the model's box");
    cr_expect_not_null(config_lookup(&c, "solver.parameters.polish-radius"),
                      "every parameter");
    cr_expect(config_lookup_int64(&c, "monitors.[0].every", &every) || 1);
    cr_expect_not_null(config_lookup(&c, "monitors.[0].cap"));
    cr_expect(config_lookup_int64(&c, "results.evaluations", &evaluations) &&
              (size_t)evaluations == augur_solver_evaluations(augur_job_solver(j)));
    cr_expect(config_lookup_string(&c, "results.reason", &reason) && reason[0]);
    cr_expect(config_lookup_string(&c, "results.version", &version) &&
              !strcmp(version, augur_version()));
    cr_expect_not_null(config_lookup(&c, "results.x"));
    cr_expect_not_null(config_lookup(&c, "results.seconds"));
    config_destroy(&c);
    cr_expect_eq(entries(dir), 1, "the temporary file is gone");
    augur_job_destroy(j);
    free(results);
    remove_dir(dir);
}

Test(config, a_failed_write_leaves_nothing)
{
    augur_job *j = load_text("problem = { model = \"sphere\"; dimension = 2; };\n", NULL);
    run(j);
    cr_expect_eq(augur_job_write_results(j, "/nonexistent-dir/r.cfg"), AUGUR_EIO);
    cr_expect(strstr(augur_job_errmsg(j), "/nonexistent-dir/r.cfg") != NULL, "%s",
              augur_job_errmsg(j));
    cr_expect_eq(augur_job_run(j), AUGUR_ESTATE, "a job runs once");
    augur_job_destroy(j);
}
