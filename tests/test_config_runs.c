/* test_config_runs.c - config-driven runs: a cost in a shared library
 * built for the test (test_plugin_cost) is loaded by path; formulas run
 * through libmatheval, on a threads map too; overrides change, create and
 * refuse settings as documented; monitors write where they are told; the
 * monitor kinds and the reference are complete. Each run states its
 * problem, solver, seed and the accuracy it must reach. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
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

Test(config, a_plugin_cost_is_loaded_by_path)
{
    char text[1024];
    snprintf(text, sizeof text,
             "problem = { plugin = { path = \"%s\"; symbol = \"cost\"; }; dimension = 4; };\n"
             "solver = { type = \"nelder-mead\"; seed = 3;\n"
             "  initial = { point = [ 0.0, 0.0, 0.0, 0.0 ]; }; };\n", AUGUR_PLUGIN_PATH);
    augur_job *j = load_text(text, NULL);
    run(j);
    const double *x;
    size_t n;
    double f;
    cr_assert_eq(augur_job_answer(j, &x, &n, &f), AUGUR_OK);
    cr_assert_eq(n, 4);
    cr_expect_lt(f, 1e-8);
    for (size_t i = 0; i < n; i++)
        cr_expect(fabs(x[i] - (double)(i + 1)) < 1e-4, "x%zu = %g", i, x[i]);
    augur_job_destroy(j);
}

Test(config, formulas_run_through_libmatheval)
{
    augur_job *j = load_text("problem = { formula = \"(1-x0)^2 + 100*(x1-x0^2)^2\";\n"
                             "            dimension = 2; };\n"
                             "solver = { type = \"nelder-mead\"; seed = 1;\n"
                             "  initial = { point = [ -1.2, 1.0 ]; }; };\n", NULL);
    run(j);
    const double *x;
    size_t n;
    double f;
    cr_assert_eq(augur_job_answer(j, &x, &n, &f), AUGUR_OK);
    cr_expect_lt(f, 1e-8);
    cr_expect(fabs(x[0] - 1) < 1e-4 && fabs(x[1] - 1) < 1e-4, "x = %g, %g", x[0], x[1]);
    augur_job_destroy(j);
    /* the same formula on a threads map: the evaluator's own lock keeps
     * the evaluations apart, and the answer is the serial one */
    const char *text = "problem = { formula = \"x0^2 + (x1 - 2)^2 + abs(x2)\";\n"
                       "            dimension = 3; };\n"
                       "solver = { type = \"de2\"; seed = 5; limits = { generations = 60; };\n"
                       "  bounds = { lower = [ -4.0, -4.0, -4.0 ]; "
                       "upper = [ 4.0, 4.0, 4.0 ]; }; };\n";
    augur_job *serial = load_text(text, NULL);
    const char *threads[] = {"map.type=threads", "map.workers=2", NULL};
    augur_job *pool = load_text(text, threads);
    run(serial);
    run(pool);
    const double *xs, *xt;
    double fs, ft;
    augur_job_answer(serial, &xs, &n, &fs);
    augur_job_answer(pool, &xt, &n, &ft);
    cr_expect_eq(memcmp(xs, xt, n * sizeof *xs), 0);
    cr_expect_eq(memcmp(&fs, &ft, sizeof fs), 0);
    augur_job_destroy(serial);
    augur_job_destroy(pool);
}

Test(config, overrides_change_create_and_refuse)
{
    const char *text = "problem = { model = \"rosen\"; dimension = 2; };\n"
                       "solver = { type = \"nelder-mead\";\n"
                       "  parameters = { radius = 0.05; }; };\n"
                       "monitors = ( { type = \"history\"; cap = 4; } );\n";
    const char *ok[] = {"solver.parameters.radius=0.25", "seed=7",
                        "solver.limits.evaluations=50", "monitors.[0].cap=9",
                        "problem.dimension = 3", NULL};
    augur_job *j = load_text(text, ok);
    augur_solver *s = augur_job_solver(j);
    double v;
    cr_expect_eq(augur_solver_get_param(s, "radius", &v), AUGUR_OK);
    cr_expect_eq(v, 0.25);
    cr_expect_eq(augur_solver_seed(s), 7);
    cr_expect_eq(augur_solver_max_evaluations(s), 50);
    cr_expect_eq(augur_solver_dimension(s), 3);
    augur_job_destroy(j);

    const struct {
        const char *override, *fragment;
    } bad[] = {
        {"solver.parameters.radius=abc", "expected a number, got 'abc'"},
        {"solver.type=true", "no solver type 'true'"},
        {"monitors.[3].cap=1", "no entry [3]"},
        {"solver.parameters=1", "holds settings"},
        {"problem.model.x=1", "is a value, not a group"},
        {"solver.parameters.radias=0.1", "did you mean 'radius'"},
        {"radius", "expected path=value"},
        {"seed=-3", "whole number >= 0"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *one[] = {bad[i].override, NULL};
        augur_job *none = NULL;
        char err[1024] = "";
        int rc = augur_job_load_string(text, "o.cfg", one, &none, err, sizeof err);
        cr_expect_lt(rc, 0, "%s was taken", bad[i].override);
        cr_expect_null(none);
        cr_expect(strncmp(err, "o.cfg:", 6) == 0 && strstr(err, bad[i].fragment),
                  "%s: '%s' does not say '%s'", bad[i].override, err, bad[i].fragment);
    }
}

Test(config, monitors_write_where_they_are_told)
{
    char *dir = temp_dir();
    char *path = write_file(dir, "m.cfg",
                            "problem = { model = \"sphere\"; dimension = 2; };\n"
                            "seed = 2;\n"
                            "monitors = ( { type = \"logging\"; file = \"log.csv\"; },\n"
                            "  { type = \"verbose\"; every = 5; x = true; },\n"
                            "  { type = \"logging\"; file = \"evals.csv\";\n"
                            "    records = \"evaluations\"; } );\n");
    augur_job *j = NULL;
    char err[1024] = "", *out = NULL;
    size_t len = 0;
    cr_assert_eq(augur_job_load(path, NULL, &j, err, sizeof err), AUGUR_OK, "%s", err);
    FILE *stream = open_memstream(&out, &len);
    augur_job_set_stream(j, stream);
    run(j);
    fclose(stream);
    cr_expect(strstr(out, "Generation 0 has f: ") != NULL, "%s", out);
    free(out);
    cr_expect_eq(entries(dir), 3, "the config and two logs");
    augur_job_destroy(j);
    free(path);
    remove_dir(dir);
}

Test(config, monitor_kinds_and_the_reference)
{
    cr_expect_not_null(augur_monitor_kind_find("verbose"));
    cr_expect_not_null(augur_monitor_kind_find("Logging"));
    cr_expect_null(augur_monitor_kind_find("nope"));
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    cr_assert_eq(augur_config_reference(fp), AUGUR_OK);
    fclose(fp);
    cr_expect(strstr(text, "#### `nelder-mead`") && strstr(text, "#### `logging`") &&
              strstr(text, "`rosen`"), "the reference misses a section");
    free(text);
}

/* A fit with polish = true says in its summary how the polish ended:
 * examples/fit-exponential-decays.cfg (DE, then LM with its defaults)
 * converges (measured: "small step (xtol), 4 iterations"). */
Test(config, the_summary_says_whether_the_polish_converged)
{
    augur_job *j = NULL;
    char err[1024] = "", *out = NULL;
    size_t len = 0;
    cr_assert_eq(augur_job_load(AUGUR_EXAMPLES_DIR "/fit-exponential-decays.cfg", NULL,
                                &j, err, sizeof err), AUGUR_OK, "%s", err);
    cr_assert_eq(augur_job_run(j), AUGUR_OK, "%s", augur_job_errmsg(j));
    FILE *stream = open_memstream(&out, &len);
    cr_assert_eq(augur_job_print_summary(j, stream), AUGUR_OK);
    fclose(stream);
    cr_expect(strstr(out, "polish:      converged: ") != NULL, "%s", out);
    free(out);
    augur_job_destroy(j);
}

/* A config that names no solver type runs "auto" (CMA-ES, IPOP and SHADE, then a
 * polish); a fit with no solver group keeps the fit strategy instead. */
Test(config, no_solver_type_means_auto)
{
    augur_job *j = load_text("problem = { model = \"rosen\"; dimension = 3; };\n"
                             "seed = 4;\n", NULL);
    cr_assert_str_eq(augur_solver_type_name(augur_job_solver(j)), "auto");
    run(j);
    const double *x;
    size_t n;
    double f;
    cr_assert_eq(augur_job_answer(j, &x, &n, &f), AUGUR_OK);
    cr_expect_lt(f, 1e-6);
    augur_job_destroy(j);
    /* a solver group without a type is auto as well */
    j = load_text("problem = { model = \"sphere\"; dimension = 2; };\n"
                  "solver = { seed = 2; };\n", NULL);
    cr_assert_str_eq(augur_solver_type_name(augur_job_solver(j)), "auto");
    augur_job_destroy(j);
    /* a named type is kept */
    j = load_text("problem = { model = \"sphere\"; dimension = 2; };\n"
                  "solver = { type = \"powell\"; };\n", NULL);
    cr_assert_str_eq(augur_solver_type_name(augur_job_solver(j)), "powell");
    augur_job_destroy(j);
}
