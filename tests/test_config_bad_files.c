/* test_config_bad_files.c - config files that must not load: every class of
 * mistake in a file (unknown keys with the nearest name, wrong types and
 * ranges, vectors and bounds, unknown solvers and models, formulas that do
 * not parse, plugins and fits that do not load, syntax errors and bad
 * profiles) is reported with the file name, the line and what was
 * expected, and a failed load writes nothing. */
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

/* Names from scipy.optimize and mystic get augur's name for the same
 * thing, wherever it is looked up. */
Test(config, scipy_and_mystic_names_get_hints)
{
#define PROB HEAD "problem = { model = \"rosen\"; dimension = 2; };\n"
    expect_error(PROB "solver = { type = \"differential-evolution\"; };\n", 4,
                 "did you mean 'de2'");
    expect_error(PROB "solver = { type = \"de\"; parameters = { popsize = 20; }; };\n",
                 4, "did you mean 'population-size'");
    expect_error(PROB "solver = { type = \"pso\"; parameters = { npop = 20; }; };\n",
                 4, "did you mean 'swarm-size'");
    expect_error(PROB "solver = { type = \"cmaes\"; parameters = { popsize = 20; }; };\n",
                 4, "did you mean 'population'");
    expect_error(PROB "solver = { type = \"nelder-mead\";\n"
                 "  limits = { maxiter = 100; }; };\n",
                 5, "did you mean 'generations'");
    expect_error(PROB "solver = { type = \"nelder-mead\";\n"
                 "  limits = { maxfun = 100; }; };\n",
                 5, "did you mean 'evaluations'");
    expect_error(PROB "solver = { type = \"nelder-mead\"; maxiter = 100; };\n", 4,
                 "did you mean 'limits'");
    expect_error(PROB "solver = { type = \"nelder-mead\";\n"
                 "  termination = { type = \"ftol\"; }; };\n",
                 5, "did you mean 'candidate-relative-tolerance'");
#undef PROB
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
                 "from 1 to 1048576");
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

/* --- What the run's start refuses (issue 11, item 6) ------------------------- */

/* `augur check` and `augur run` load the same way, so a file whose run
 * would fail at its start fails to load, at the solver group's line (the
 * problem's when there is none). Before: each of these loaded. */
Test(config, what_the_start_refuses_the_load_refuses)
{
    expect_error(HEAD "problem = { model = \"rosen\"; dimension = 2; };\n"
                 "solver = { type = \"nelder-mead\";\n"
                 "  bounds = { lower = [0.0, 0.0]; upper = [1.0, 1.0]; };\n"
                 "  initial = { point = [3.0, 0.5]; }; };\n",
                 4, "x0[0] = 3 is outside the bounds [0, 1]");
    expect_error(HEAD "problem = { model = \"rosen\"; dimension = 2; };\n"
                 "solver = { type = \"de\"; parameters = { population-size = 1; }; };\n",
                 4, "population-size 1 is too small for best1bin");
    expect_error(HEAD "problem = { formula = \"x0*x0 + x1*x1\"; dimension = 2; };\n"
                 "solver = { type = \"powell\"; };\n",
                 4, "no starting point");
    expect_error(HEAD "problem = { formula = \"x0*x0 + x1*x1\"; dimension = 2; };\n",
                 3, "auto: needs finite bounds");
    expect_error(HEAD "problem = { model = \"rosen\"; dimension = 2; };\n"
                 "solver = { type = \"nelder-mead\";\n"
                 "  initial = { lower = [50.0, 50.0]; upper = [60.0, 60.0]; }; };\n",
                 4, "the random initial box [50, 60] misses the bounds");
    expect_error(HEAD "problem = { model = \"rosen\"; dimension = 2; };\n"
                 "solver = { type = \"cmaes\"; parameters = { population = 1; }; };\n",
                 4, "a population of 1 cannot be ranked");
    expect_error(HEAD "problem = { model = \"rosen\"; dimension = 2; };\n"
                 "solver = { type = \"pso\"; parameters = { bound-policy = \"redraw\"; }; };\n",
                 4, "bounds policy 'redraw' is not supported");
    expect_error(HEAD "problem = { formula = \"x0*x0 + x1*x1\"; dimension = 2; };\n"
                 "solver = { type = \"buckshot\";\n"
                 "  initial = { point = [1.0, 1.0]; }; nested = { type = \"powell\"; }; };\n",
                 4, "buckshot: starting points need a box");
    expect_error(HEAD "problem = { model = \"rosen\"; dimension = 2; };\n"
                 "solver = { type = \"buckshot\";\n"
                 "  nested = { type = \"de\"; parameters = { population-size = 2; }; }; };\n",
                 4, "buckshot: nested solver: de: population-size 2 is too small");
    expect_error(HEAD "problem = { formula = \"x0*x0 + x1*x1\"; dimension = 2; };\n"
                 "solver = { type = \"auto\"; initial = { point = [1.0, 1.0]; }; };\n",
                 4, "auto: needs finite bounds");
}
