/* test_config.c - config-file driven runs and results files.
 *
 * Every class of mistake in a file is reported with the file name, the
 * line and what was expected, and a failed load writes nothing; every
 * .cfg file in examples/ loads, runs and reaches the answer its "# expect:" lines
 * state (the test reads them, so a new example is tested by being added);
 * a results file reproduces its run bit for bit, also when the first run
 * drew its seed from the OS; a cost in a shared library built for the
 * test (test_plugin_cost) is loaded by path; overrides change, create and
 * refuse settings as documented; formulas run through libmatheval. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <gsl/gsl_errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "augur.h"
#include "augur/config.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(config, .init = quiet_gsl);

/* --- Files ------------------------------------------------------------------- */

static char *temp_dir(void)
{
    char t[] = "/tmp/augur_config_XXXXXX";
    cr_assert_not_null(mkdtemp(t));
    return strdup(t);
}

static char *join(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

static char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = join(dir, name);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "%s", path);
    fputs(text, fp);
    fclose(fp);
    return path;
}

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void remove_dir(char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.') {
            char *p = join(dir, e->d_name);
            unlink(p);
            free(p);
        }
    if (d)
        closedir(d);
    rmdir(dir);
    free(dir);
}

/* --- Errors -------------------------------------------------------------------- */

/* Every bad file asks for a results file and a log next to it, so that
 * "nothing written" is tested too. */
#define HEAD                                                                      \
    "output = { results = \"out.cfg\"; };\n"                                     \
    "monitors = ( { type = \"logging\"; file = \"log.csv\"; } );\n"

/* Load text from dir/bad.cfg: it must fail with a message that starts
 * "dir/bad.cfg:<line>: " and holds `fragment`, and leave only the file. */
static void expect_error(const char *text, int line, const char *fragment)
{
    char *dir = temp_dir(), *path = write_file(dir, "bad.cfg", text);
    augur_job *j = NULL;
    char err[1024] = "", want[512];
    int rc = augur_job_load(path, NULL, &j, err, sizeof err);
    cr_assert_lt(rc, 0, "it loaded:\n%s", text);
    cr_assert_null(j);
    snprintf(want, sizeof want, "%s:%d: ", path, line);
    cr_expect(strncmp(err, want, strlen(want)) == 0, "'%s' does not start with '%s'", err,
              want);
    cr_expect(strstr(err, fragment) != NULL, "'%s' does not say '%s'", err, fragment);
    cr_expect_eq(entries(dir), 1, "a failed load wrote a file");
    free(path);
    remove_dir(dir);
}

Test(config, unknown_keys_name_the_nearest)
{
    expect_error(HEAD "problem = { model = \"rosen\"; dimension = 2; };\n"
                 "solver = { type = \"nelder-mead\";\n"
                 "  parametres = { radius = 0.1; }; };\n",
                 5, "did you mean 'parameters'");
    expect_error(HEAD "problem = { model = \"rosen\"; dimensoin = 2; };\n", 3,
                 "did you mean 'dimension'");
    expect_error(HEAD "problem = { model = \"rosen\"; };\nmonitor = ();\n", 4,
                 "did you mean 'monitors'");
    expect_error("problem = { model = \"rosen\"; };\n"
                 "monitors = ( { type = \"verbos\"; } );\n", 2,
                 "did you mean 'verbose'");
    expect_error(HEAD "problem = { model = \"rosen\"; };\n"
                 "solver = { type = \"nelder-mead\"; parameters = { radias = 0.1; }; };\n",
                 4, "did you mean 'radius'");
}

Test(config, wrong_types_and_ranges)
{
    expect_error(HEAD "problem = { model = \"rosen\"; };\n"
                 "solver = { type = \"nelder-mead\";\n"
                 "  parameters = { radius = \"big\"; }; };\n",
                 5, "expected a number");
    expect_error(HEAD "problem = { model = \"rosen\"; };\n"
                 "solver = { type = \"nelder-mead\";\n"
                 "  parameters = { radius = -1.0; }; };\n",
                 5, "'radius' must be in");
    expect_error(HEAD "problem = { model = 3; };\n", 3, "expected a string");
    expect_error(HEAD "problem = { model = \"rosen\"; dimension = 0; };\n", 3,
                 "dimension >= 1");
    expect_error("output = { results = \"out.cfg\"; };\n\n"
                 "problem = { model = \"rosen\"; };\n"
                 "monitors = ( { type = \"verbose\"; every = 0; } );\n", 4,
                 "'every' must be in");
    expect_error(HEAD "problem = { model = \"rosen\"; };\nseed = -4;\n", 4,
                 "whole number >= 0");
}

Test(config, vectors_and_bounds)
{
    expect_error(HEAD "problem = { model = \"rosen\"; dimension = 3; };\n"
                 "solver = { type = \"powell\";\n"
                 "  bounds = { lower = [ 0.0, 0.0 ]; upper = [ 1.0, 1.0, 1.0 ]; }; };\n",
                 5, "expected 3 numbers, got 2");
    expect_error(HEAD "problem = { model = \"rosen\"; dimension = 2; };\n"
                 "solver = { type = \"powell\";\n"
                 "  bounds = { lower = [ 1.0, 1.0 ]; upper = [ 0.0, 2.0 ]; }; };\n",
                 5, "lower bound 1 > upper bound 0");
    expect_error(HEAD "problem = { model = \"rosen\"; dimension = 2; };\n"
                 "solver = { type = \"powell\"; dimension = 3; };\n",
                 4, "expected the problem's dimension, 2");
}

Test(config, unknown_solvers_and_models)
{
    expect_error(HEAD "problem = { model = \"rosen\"; };\n"
                 "solver = { type = \"nelder-meed\"; };\n", 4,
                 "did you mean 'nelder-mead'");
    expect_error(HEAD "problem = { model = \"rosenbrock\"; };\n", 3,
                 "no model 'rosenbrock' (did you mean 'rosen'?)");
    expect_error(HEAD "problem = { model = \"branins\"; dimension = 3; };\n", 3,
                 "branins takes dimension 2 only");
    expect_error(HEAD "problem = { };\n", 3, "expected a model, formula, plugin or fit");
    expect_error(HEAD "problem = { model = \"rosen\";\n  formula = \"x0\"; };\n", 4,
                 "(model is given too, line 3)");
}

Test(config, formulas_that_do_not_parse)
{
    expect_error(HEAD "problem = { formula = \"(1 - x0\"; dimension = 1; };\n", 3,
                 "expected ')'");
    expect_error(HEAD "problem = {\n  formula = \"x0 + y\"; dimension = 1; };\n", 4,
                 "unknown variable 'y' (the variables are x0..x0)");
    expect_error(HEAD "problem = { formula = \"x0 + x2\"; dimension = 2; };\n", 3,
                 "unknown variable 'x2'");
    expect_error(HEAD "problem = { formula = \"x0 $ 2\"; dimension = 1; };\n", 3,
                 "unexpected character '$'");
    expect_error(HEAD "problem = { formula = \"x0\"; };\n", 3, "needs a dimension");
    expect_error(HEAD "problem = { formula = \"  \"; dimension = 1; };\n", 3,
                 "the formula is empty");
}

Test(config, plugins_that_do_not_load)
{
    expect_error(HEAD "problem = { plugin = {\n  path = \"./no-such-lib.so\";\n"
                 "  symbol = \"cost\"; }; dimension = 2; };\n", 4, "cannot load");
    char text[1024];
    snprintf(text, sizeof text, HEAD "problem = { plugin = { path = \"%s\";\n"
             "  symbol = \"no_such_symbol\"; }; dimension = 2; };\n", AUGUR_PLUGIN_PATH);
    expect_error(text, 4, "no symbol 'no_such_symbol'");
}

Test(config, fits_that_do_not_load)
{
    expect_error(HEAD "problem = { fit = { model = \"polynomial\"; parameters = 2;\n"
                 "  data = {\n    file = \"missing.csv\"; x = \"t\"; y = \"y\"; }; }; };\n",
                 5, "cannot open");
    expect_error(HEAD "problem = { fit = {\n  model = \"polynomal\"; }; };\n", 4,
                 "did you mean 'polynomial'");
    expect_error(HEAD "problem = { fit = { model = \"polynomial\"; metric = \"chi2\";\n"
                 "  data = { file = \"d.csv\"; }; }; };\n", 3, "no metric 'chi2'");
}

Test(config, syntax_errors_and_bad_profiles)
{
    expect_error(HEAD "problem = { model = = \"rosen\"; };\n", 3, "syntax error");
    expect_error("problem = { model = \"rosen\"; };\n"
                 "profile = { parameter = 2; };\n", 2,
                 "parameter 2: the problem has 2 (0 .. 1)");
    expect_error("problem = { model = \"rosen\"; };\n"
                 "profile = { from = 1.0;\n  to = -1.0; };\n", 2, "expected from < to");
    expect_error("problem = { formula = \"x0^2\"; dimension = 1; };\n"
                 "profile = { points = 5; };\n", 2, "needs from and to");
    expect_error("problem = { model = \"rosen\"; };\n"
                 "profile = { points = 1; };\n", 2, "'points' must be in");
    expect_error("problem = { model = \"rosen\"; };\n"
                 "profile = { pionts = 5; };\n", 2, "did you mean 'points'");
    expect_error(HEAD "problem = { model = \"rosen\"; };\nprofile = { };\n", 2,
                 "a profile scan runs no monitors");
    expect_error(HEAD "solver = { type = \"powell\"; };\n", 1, "needs a problem");
}

/* --- Runs ----------------------------------------------------------------------- */

static augur_job *load_text(const char *text, const char *const *overrides)
{
    augur_job *j = NULL;
    char err[1024] = "";
    int rc = augur_job_load_string(text, "test.cfg", overrides, &j, err, sizeof err);
    cr_assert_eq(rc, AUGUR_OK, "%s", err);
    return j;
}

static void run(augur_job *j)
{
    int rc = augur_job_run(j);
    cr_assert(rc >= 0, "%s", augur_job_errmsg(j));
}

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
                       "solver = { type = \"de\"; seed = 5; limits = { generations = 60; };\n"
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
    cr_expect(config_lookup_string(&c, "solver.type", &type) && !strcmp(type, "nelder-mead"));
    cr_expect(config_lookup_int(&c, "solver.dimension", &dim) && dim == 2);
    /* seeds past INT64_MAX are written as text (libconfig's are signed) */
    const config_setting_t *seed = config_lookup(&c, "solver.seed");
    cr_assert_not_null(seed, "the seed the run drew");
    uint64_t used = config_setting_type(seed) == CONFIG_TYPE_STRING
                        ? strtoull(config_setting_get_string(seed), NULL, 10)
                        : (uint64_t)config_setting_get_int64(seed);
    cr_expect_eq(used, augur_solver_seed(augur_job_solver(j)));
    cr_expect_not_null(config_lookup(&c, "solver.bounds.lower"), "the model's box");
    cr_expect_not_null(config_lookup(&c, "solver.parameters.radius"), "every parameter");
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
    cr_expect(strstr(out, "Generation 0 has ChiSquare") != NULL, "%s", out);
    free(out);
    cr_expect_eq(entries(dir), 3, "the config and two logs");
    augur_job_destroy(j);
    free(path);
    remove_dir(dir);
}

/* --- Examples ---------------------------------------------------------------------- */

/* A number from the results file (an integer, a float, or "inf"). */
static int number_at(config_t *c, const char *path, size_t i, int vector, double *v)
{
    const config_setting_t *s = config_lookup(c, path);
    if (s && vector)
        s = config_setting_get_elem(s, (unsigned)i);
    if (!s)
        return 0;
    if (config_setting_type(s) == CONFIG_TYPE_STRING) {
        *v = strtod(config_setting_get_string(s), NULL);
        return 1;
    }
    *v = config_setting_get_float(s);
    return 1;
}

/* "# expect: NAME < V", "NAME > V", "NAME = V +- T", "NAME = [a, b] +- T";
 * NAME is a setting under `results` ("f", "x", "fit.reduced_chi_square"). */
static void check_expect(const char *example, const char *line, config_t *c)
{
    char name[64], op[3], rest[512];
    cr_assert_eq(sscanf(line, " %63s %2s %511[^\n]", name, op, rest), 3,
                 "%s: cannot read '%s'", example, line);
    char path[96];
    snprintf(path, sizeof path, "results.%s", name);
    double v, want, tol = 0;
    if (op[0] == '<' || op[0] == '>') {
        want = strtod(rest, NULL);
        cr_assert(number_at(c, path, 0, 0, &v), "%s: no %s", example, path);
        cr_expect(op[0] == '<' ? v < want : v > want, "%s: %s = %.17g, not %s %s",
                  example, name, v, op, rest);
        return;
    }
    const char *pm = strstr(rest, "+-");
    cr_assert(op[0] == '=' && pm, "%s: cannot read '%s'", example, line);
    tol = strtod(pm + 2, NULL);
    int vector = rest[0] == '[';
    const char *p = rest + vector;
    for (size_t i = 0; p < pm; i++) {
        char *end;
        want = strtod(p, &end);
        if (end == p)
            break;
        cr_assert(number_at(c, path, i, vector, &v), "%s: no %s[%zu]", example, path, i);
        cr_expect(fabs(v - want) <= tol, "%s: %s[%zu] = %.10g, expected %.10g +- %g",
                  example, name, i, v, want, tol);
        p = end + strspn(end, " ,]");
    }
}

static void run_example(const char *dir, const char *file, const char *tmp)
{
    char *path = join(dir, file), *results = join(tmp, file);
    augur_job *j = NULL;
    char err[1024] = "";
    cr_assert_eq(augur_job_load(path, NULL, &j, err, sizeof err), AUGUR_OK, "%s", err);
    int rc = augur_job_run(j);
    cr_assert(rc >= 0, "%s: %s", file, augur_job_errmsg(j));
    cr_assert_eq(augur_job_write_results(j, results), AUGUR_OK, "%s: %s", file,
                 augur_job_errmsg(j));
    augur_job_destroy(j);
    config_t c;
    config_init(&c);
    config_set_auto_convert(&c, 1);
    cr_assert_eq(config_read_file(&c, results), CONFIG_TRUE, "%s: %s", results,
                 config_error_text(&c));
    FILE *fp = fopen(path, "r");
    char line[1024];
    int expects = 0;
    while (fp && fgets(line, sizeof line, fp)) {
        const char *e = strstr(line, "# expect:");
        if (e && e == line + strspn(line, " \t")) {
            check_expect(file, e + 9, &c);
            expects++;
        }
    }
    if (fp)
        fclose(fp);
    cr_expect_gt(expects, 0, "%s states no answer (# expect: ...)", file);
    config_destroy(&c);
    unlink(results);
    free(path);
    free(results);
}

Test(config, every_example_reaches_its_stated_answer, .timeout = 300)
{
    DIR *d = opendir(AUGUR_EXAMPLES_DIR);
    cr_assert_not_null(d);
    char *tmp = temp_dir();
    size_t count = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".cfg") == 0) {
            run_example(AUGUR_EXAMPLES_DIR, e->d_name, tmp);
            count++;
        }
    }
    closedir(d);
    cr_expect_geq(count, 8, "only %zu examples", count);
    remove_dir(tmp);
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
