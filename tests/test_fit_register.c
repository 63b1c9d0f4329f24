/* test_fit_register.c - Criterion suite for fit models a program adds
 * (augur_fit_model_register, fits/fit_models.c) and for formula fits read
 * from config files (config/problem_fit.c): duplicates and bad descriptors
 * refused, a registered model found by name by the C API and by a config
 * file and fitted there with the built-ins' report; a formula fit from a
 * config file, and its errors at file:line with the formula's column. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>

#include "augur.h"
#include "augur/config.h"
#include "augur/fit.h"
#include "augur/status.h"
#include "config_files.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(fit_register, .init = quiet_gsl);

/* --- A model to register: y = a + b x ------------------------------------ */

static const char *const line_names[] = {"a", "b", NULL};

static int line_predict(const double *p, size_t np, const augur_data *d, double *yhat)
{
    (void)np;
    const double *x = augur_data_x(d);
    for (size_t i = 0; i < augur_data_points(d); i++)
        yhat[i] = p[0] + p[1] * x[i];
    return AUGUR_OK;
}

static const augur_fit_model test_line = {
    .name = "test-line", .doc = "a + b x", .nparams = 2, .param_names = line_names,
    .xdim = 1, .ydim = 1, .predict = line_predict};

/* --- Registration ----------------------------------------------------------- */

Test(fit_register, registers_once_and_refuses_clashes)
{
    const augur_fit_model *const *before = augur_fit_models();
    size_t nbefore = 0;
    while (before[nbefore])
        nbefore++;
    cr_assert_eq(augur_fit_model_register(&test_line), AUGUR_OK);
    cr_expect_eq(augur_fit_model_register(&test_line), AUGUR_OK, "again: a no-op");
    cr_expect_eq(augur_fit_model_find("Test_Line"), &test_line);
    /* another descriptor under a taken name, a built-in's included */
    augur_fit_model other = test_line;
    cr_expect_eq(augur_fit_model_register(&other), AUGUR_EINVAL);
    other.name = "TEST_LINE";
    cr_expect_eq(augur_fit_model_register(&other), AUGUR_EINVAL);
    other.name = "chirp";
    cr_expect_eq(augur_fit_model_register(&other), AUGUR_EINVAL);
    cr_expect_neq(augur_fit_model_find("chirp"), &other);
    /* descriptors that cannot work */
    other.name = "no-prediction";
    other.predict = NULL;
    cr_expect_eq(augur_fit_model_register(&other), AUGUR_EINVAL);
    other = test_line;
    other.name = "no-names";
    other.param_names = NULL;
    cr_expect_eq(augur_fit_model_register(&other), AUGUR_EINVAL);
    cr_expect_eq(augur_fit_model_register(NULL), AUGUR_EINVAL);
    /* the list: built-ins then the registered one; an old list unchanged */
    const augur_fit_model *const *after = augur_fit_models();
    size_t nafter = 0;
    while (after[nafter])
        nafter++;
    cr_expect_eq(nafter, nbefore + 1);
    cr_expect_eq(after[nafter - 1], &test_line);
    cr_expect_null(before[nbefore]);
}

/* y = 1 + 2 x exactly at x = 0..4: the fit has chi-square 0 at (1, 2). */
Test(fit_register, registered_model_fits_like_a_builtin)
{
    cr_assert_eq(augur_fit_model_register(&test_line), AUGUR_OK);
    double x[] = {0, 1, 2, 3, 4}, y[] = {1, 3, 5, 7, 9};
    augur_data *d = augur_data_create(5, 1, 1, x, y, NULL);
    augur_fit *f = NULL;
    char err[256] = "";
    cr_assert_eq(augur_fit_create("test-line", 0, d, AUGUR_METRIC_CHI_SQUARE, &f, err,
                                  sizeof err), AUGUR_OK, "%s", err);
    cr_expect_eq(augur_fit_cost((double[]){1, 2}, 2, f), 0.0);
    cr_expect_eq(augur_fit_cost((double[]){1, 1}, 2, f), 0 + 1 + 4 + 9 + 16);
    char name[8];
    cr_expect_eq(augur_fit_param_name(f, 1, name, sizeof name), AUGUR_OK);
    cr_expect_str_eq(name, "b");
    augur_fit_destroy(f);
    augur_data_destroy(d);
}

/* --- From config files ------------------------------------------------------- */

/* y = 1 + 2 x + (+-0.1 alternating) at x = 0..9, sigma 0.1. */
static char *line_dir(void)
{
    char *dir = temp_dir(), text[1024] = "# test data\nx,y,sigma\n";
    for (int i = 0; i < 10; i++) {
        char row[64];
        snprintf(row, sizeof row, "%d,%.17g,0.1\n", i, 1.0 + 2.0 * i + (i % 2 ? 0.1 : -0.1));
        strcat(text, row);
    }
    free(write_file(dir, "line.csv", text));
    return dir;
}

static augur_job *load_in(const char *dir, const char *cfg, char *err, size_t cap)
{
    char *path = write_file(dir, "fit.cfg", cfg);
    augur_job *j = NULL;
    int rc = augur_job_load(path, NULL, &j, err, cap);
    free(path);
    return rc == AUGUR_OK ? j : NULL;
}

/* The answer against least squares' closed form on the ten points (equal
 * sigmas, so weights do not matter): b = 2.0060606..., a = 0.9727272...;
 * Nelder-Mead then the polish reach it to 1e-7. */
static void expect_line_answer(augur_job *j)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < 10; i++) {
        double y = 1.0 + 2.0 * i + (i % 2 ? 0.1 : -0.1);
        sx += i;
        sy += y;
        sxx += (double)i * i;
        sxy += i * y;
    }
    double b = (10 * sxy - sx * sy) / (10 * sxx - sx * sx), a = (sy - b * sx) / 10;
    const double *x = NULL;
    size_t n = 0;
    double f = NAN;
    cr_assert_eq(augur_job_answer(j, &x, &n, &f), AUGUR_OK);
    cr_assert_eq(n, 2);
    cr_expect_float_eq(x[0], a, 1e-7);
    cr_expect_float_eq(x[1], b, 1e-7);
}

#define LINE_SOLVER                                                              \
    "solver = { type = \"nelder-mead\"; limits = { evaluations = 2000; };\n"     \
    "  bounds = { lower = [ -10.0, -10.0 ]; upper = [ 10.0, 10.0 ]; }; };\n"      \
    "seed = 1;\n"

Test(fit_register, config_finds_a_registered_model)
{
    cr_assert_eq(augur_fit_model_register(&test_line), AUGUR_OK);
    char *dir = line_dir(), err[512] = "";
    augur_job *j = load_in(dir, "problem = { fit = { model = \"test-line\";\n"
                                "  data = { file = \"line.csv\"; x = \"x\"; y = \"y\";\n"
                                "           sigma = \"sigma\"; }; polish = true; }; };\n"
                                LINE_SOLVER, err, sizeof err);
    cr_assert_not_null(j, "%s", err);
    cr_assert_eq(augur_job_run(j), AUGUR_OK, "%s", augur_job_errmsg(j));
    expect_line_answer(j);
    augur_job_destroy(j);
    remove_dir(dir);
}

Test(fit_register, config_reads_a_formula)
{
    char *dir = line_dir(), err[512] = "";
    augur_job *j = load_in(dir, "problem = { fit = { formula = \"a + b * x\";\n"
                                "  parameters = [ \"a\", \"b\" ];\n"
                                "  data = { file = \"line.csv\"; x = \"x\"; y = \"y\";\n"
                                "           sigma = \"sigma\"; }; polish = true; }; };\n"
                                LINE_SOLVER, err, sizeof err);
    cr_assert_not_null(j, "%s", err);
    cr_assert_eq(augur_job_run(j), AUGUR_OK, "%s", augur_job_errmsg(j));
    expect_line_answer(j);
    augur_job_destroy(j);
    remove_dir(dir);
}

/* The formula on line 2, the parameters on line 3, data.x on line 4. */
static void expect_formula_error(const char *formula, const char *params,
                                 const char *x, const char *want)
{
    char *dir = line_dir(), err[512] = "", cfg[1024], full[768];
    snprintf(cfg, sizeof cfg, "problem = { fit = {\n  formula = \"%s\";\n"
             "  parameters = %s;\n  data = { file = \"line.csv\"; x = \"%s\"; "
             "y = \"y\"; };\n}; };\n" LINE_SOLVER, formula, params, x);
    augur_job *j = load_in(dir, cfg, err, sizeof err);
    cr_expect_null(j);
    snprintf(full, sizeof full, "%s/fit.cfg:%s", dir, want);
    cr_expect_str_eq(err, full);
    augur_job_destroy(j);
    remove_dir(dir);
}

Test(fit_register, formula_errors_name_file_line_and_column)
{
    expect_formula_error("a * exp(-x / taux) + c", "[\"a\", \"tau\", \"c\"]", "x",
                         "2: problem.fit.formula: column 14: unknown variable 'taux' "
                         "(the variables are a, tau, c, x)");
    expect_formula_error("a * (x + c", "[\"a\", \"c\"]", "x",
                         "2: problem.fit.formula: column 11: expected ')', found the "
                         "end of the side");
    expect_formula_error(" ", "[\"a\"]", "x",
                         "2: problem.fit.formula: the formula is empty");
    expect_formula_error("a * x + b", "[\"a\", \"b\", \"a\"]", "x",
                         "3: problem.fit.parameters.[2]: parameter 3: 'a' is also "
                         "parameter 1");
    expect_formula_error("a * x", "[\"a\", \"x\"]", "x",
                         "4: problem.fit.data.x: x column 1: 'x' is also parameter 2");
    expect_formula_error("a * x", "2", "x",
                         "3: problem.fit.parameters: a formula needs its parameters "
                         "by name (parameters = [ \"a\", \"tau\" ];)");
}
