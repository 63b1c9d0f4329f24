/* test_fit_formula.c - Criterion suite for formula fit models (fits/
 * fit_formula.c) and registered fit models (fits/fit_models.c):
 * predictions against values worked out by hand, the symbolic Jacobian
 * against central differences, every formula and name error with its
 * message, a fit that recovers known parameters, and a fit's cost
 * evaluated on a threads map giving the bits a serial loop gives. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>

#include "augur.h"
#include "augur/fit.h"
#include "augur/map.h"
#include "augur/status.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(fit_formula, .init = quiet_gsl);

#define DS_FORMULA "a * exp(-t / tau) * sin(w * t + phi) + c"
static const char *const ds_params[] = {"a", "tau", "w", "phi", "c"};
static const char *const ds_x[] = {"t"};
/* The damped sine's parameters (a, tau, w, phi, c). */
static const double ds_truth[] = {2.0, 3.0, 2.5, 0.4, 0.5};

static double damped_sine(const double *p, double t)
{
    return p[0] * exp(-t / p[1]) * sin(p[2] * t + p[3]) + p[4];
}

/* n points t = 0, 0.1, ..., y the damped sine at p plus a fixed
 * alternating +-noise (a sawtooth of period 5, so no two neighbours
 * agree), sigma = 0.05 when noise > 0. */
static augur_data *ds_data(size_t n, const double *p, double noise)
{
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y),
           *s = malloc(n * sizeof *s);
    cr_assert(x && y && s);
    for (size_t i = 0; i < n; i++) {
        x[i] = 0.1 * (double)i;
        double e = noise * ((double)(i % 5) - 2.0) / 2.0 * (i % 2 ? -1.0 : 1.0);
        y[i] = damped_sine(p, x[i]) + e;
        s[i] = 0.05;
    }
    augur_data *d = augur_data_create(n, 1, 1, x, y, noise > 0 ? s : NULL);
    free(x);
    free(y);
    free(s);
    cr_assert_not_null(d);
    return d;
}

static augur_fit *ds_fit(const augur_data *d)
{
    augur_fit *f = NULL;
    char err[256] = "";
    int rc = augur_fit_create_formula(DS_FORMULA, ds_params, 5, ds_x, d,
                                      AUGUR_METRIC_CHI_SQUARE, &f, err, sizeof err);
    cr_assert_eq(rc, AUGUR_OK, "%s", err);
    return f;
}

/* --- Predictions ---------------------------------------------------------- */

/* At p = (2, 3, 2.5, 0.4, 0.5), by hand:
 *   t = 0:   2 sin(0.4) + 0.5                     = 1.2788366846
 *   t = 1:   2 e^(-1/3) sin(2.9) + 0.5            = 0.8428592708
 * and the cost with y = 0 and unit sigma is the sum of their squares. */
Test(fit_formula, predicts_hand_values)
{
    double x[] = {0.0, 1.0}, y[] = {0.0, 0.0};
    augur_data *d = augur_data_create(2, 1, 1, x, y, NULL);
    augur_fit *f = ds_fit(d);
    double v0 = 2.0 * sin(0.4) + 0.5, v1 = 2.0 * exp(-1.0 / 3.0) * sin(2.9) + 0.5;
    cr_expect_float_eq(v0, 1.2788366846, 1e-9);
    cr_expect_float_eq(v1, 0.8428592708, 1e-9);
    double cost = augur_fit_cost(ds_truth, 5, f);
    cr_expect_float_eq(cost, v0 * v0 + v1 * v1, 1e-13 * cost);
    cr_expect_eq(augur_fit_nparams(f), 5);
    char name[16];
    cr_expect_eq(augur_fit_param_name(f, 2, name, sizeof name), AUGUR_OK);
    cr_expect_str_eq(name, "w");
    cr_expect_str_eq(augur_fit_get_model(f)->name, "formula");
    augur_fit_destroy(f);
    augur_data_destroy(d);
}

/* Two x columns by name: y = k * u + t^2 at (t, u) = (1, 2), (3, -1) with
 * k = 0.5 gives 2 and 8.5; with y = (2, 8) the sum of squares is 0.25. */
Test(fit_formula, several_x_columns)
{
    double x[] = {1.0, 2.0, 3.0, -1.0}, y[] = {2.0, 8.0};
    augur_data *d = augur_data_create(2, 2, 1, x, y, NULL);
    augur_fit *f = NULL;
    char err[256] = "";
    int rc = augur_fit_create_formula("k * u + t^2", (const char *[]){"k"}, 1,
                                      (const char *[]){"t", "u"}, d,
                                      AUGUR_METRIC_SUM_OF_SQUARES, &f, err, sizeof err);
    cr_assert_eq(rc, AUGUR_OK, "%s", err);
    cr_expect_float_eq(augur_fit_cost((double[]){0.5}, 1, f), 0.25, 1e-15);
    augur_fit_destroy(f);
    augur_data_destroy(d);
}

/* --- The Jacobian ---------------------------------------------------------- */

/* d yhat / d p by libmatheval's symbolic derivatives against central
 * differences (step 1e-6 relative) of the prediction, at 40 points of the
 * damped sine away from the truth: agreement to 1e-6 relative to the
 * column's largest entry (differences are good to about 1e-9 here). */
Test(fit_formula, jacobian_matches_central_differences)
{
    augur_data *d = ds_data(40, ds_truth, 0.0);
    augur_fit *f = ds_fit(d);
    const double p[] = {1.7, 2.6, 2.3, 0.7, -0.2};
    double jac[40 * 5];
    char err[256] = "";
    cr_assert_eq(augur_fit_jacobian(f, p, jac, err, sizeof err), AUGUR_OK, "%s", err);
    for (size_t j = 0; j < 5; j++) {
        double h = 1e-6 * fabs(p[j]), big = 0.0, worst = 0.0;
        double up[5], down[5];
        memcpy(up, p, sizeof up);
        memcpy(down, p, sizeof down);
        up[j] += h;
        down[j] -= h;
        for (size_t i = 0; i < 40; i++) {
            double t = augur_data_x(d)[i];
            double num = (damped_sine(up, t) - damped_sine(down, t)) / (2.0 * h);
            big = fmax(big, fabs(num));
            worst = fmax(worst, fabs(jac[i * 5 + j] - num));
        }
        cr_expect(worst <= 1e-6 * big, "column %zu: worst %g of %g", j, worst, big);
    }
    /* c's column is exactly 1 */
    cr_expect_eq(jac[7 * 5 + 4], 1.0);
    augur_fit_destroy(f);
    augur_data_destroy(d);
}

Test(fit_formula, builtin_models_have_no_jacobian)
{
    augur_data *d = ds_data(10, ds_truth, 0.0);
    augur_fit *f = NULL;
    char err[256] = "";
    cr_assert_eq(augur_fit_create("chirp", 0, d, AUGUR_METRIC_CHI_SQUARE, &f, err,
                                  sizeof err), AUGUR_OK);
    double jac[40];
    cr_expect_eq(augur_fit_jacobian(f, (double[]){1, 1, 1, 1}, jac, err, sizeof err),
                 AUGUR_EUNSUP);
    cr_expect_str_eq(err, "the fit model chirp has no analytic Jacobian");
    augur_fit_destroy(f);
    augur_data_destroy(d);
}

/* --- Errors ------------------------------------------------------------------ */

static void expect_error(const char *formula, const char *const *params, size_t np,
                         const char *want)
{
    augur_data *d = ds_data(5, ds_truth, 0.0);
    augur_fit *f = (augur_fit *)&f;
    char err[256] = "";
    int rc = augur_fit_create_formula(formula, params, np, ds_x, d,
                                      AUGUR_METRIC_CHI_SQUARE, &f, err, sizeof err);
    cr_expect_eq(rc, AUGUR_EINVAL, "%s: rc %d", formula, rc);
    cr_expect_null(f);
    cr_expect_str_eq(err, want);
    augur_data_destroy(d);
}

Test(fit_formula, unknown_variable_has_its_column)
{
    expect_error("a * exp(-t / taux) * sin(w * t + phi) + c", ds_params, 5,
                 "column 14: unknown variable 'taux' (the variables are a, tau, w, "
                 "phi, c, t)");
    expect_error("a * exp(-t / tau) * sinn(w * t + phi) + c", ds_params, 5,
                 "column 21: unknown function 'sinn' (the variables are a, tau, w, "
                 "phi, c, t)");
}

Test(fit_formula, syntax_errors_have_their_column)
{
    expect_error("a * exp(-t / tau) * sin(w * t + phi) + + c", ds_params, 5,
                 "column 40: expected a number, a variable, '(' or '-', found '+'");
    expect_error("a * (t + c", (const char *[]){"a", "c"}, 2,
                 "column 11: expected ')', found the end of the side");
    /* libmatheval's scanner would print '$'; the checker stops it first */
    expect_error("a * t $ c", (const char *[]){"a", "c"}, 2,
                 "column 7: unexpected character '$' (0x24)");
}

Test(fit_formula, empty_formula)
{
    expect_error("", ds_params, 5, "the formula is empty");
    expect_error("  \t ", ds_params, 5, "the formula is empty");
}

Test(fit_formula, bad_names)
{
    expect_error("a * t + c", (const char *[]){"a", "c", "a"}, 3,
                 "parameter 3: 'a' is also parameter 1");
    expect_error("a * t", (const char *[]){"a", "t"}, 2,
                 "x column 1: 't' is also parameter 2");
    expect_error("a * t", (const char *[]){"a", "2b"}, 2,
                 "parameter 2: '2b' is not a name (a letter or '_', then letters, "
                 "digits, '_')");
    expect_error("a * t", (const char *[]){"a", "pi"}, 2,
                 "parameter 2: 'pi' is a function or constant of the formula language");
    expect_error("a * t", (const char *[]){"a", "c"}, 2,
                 "parameter 2: 'c' does not appear in the formula");
}

/* --- Recovery ------------------------------------------------------------------- */

/* 100 points of the damped sine with a fixed +-0.05 sawtooth, sigma 0.05:
 * Nelder-Mead from (1.5, 2.5, 2.4, 0.3, 0.4), 4000 evaluations, then the
 * LM polish; every parameter within 3 of its reported standard errors of
 * the truth. A reference run: a = 2.0066 +- 0.026, tau = 2.989 +- 0.057,
 * w = 2.5012 +- 0.0064, phi = 0.3971 +- 0.014, c = 0.4997 +- 0.0051,
 * reduced chi-square 0.525. */
Test(fit_formula, recovers_a_damped_sine)
{
    augur_data *d = ds_data(100, ds_truth, 0.05);
    augur_fit *f = ds_fit(d);
    double p[5] = {1.5, 2.5, 2.4, 0.3, 0.4};
    char err[256] = "";
    augur_solver *s = NULL;
    cr_assert_eq(augur_solver_new(&s, "nelder-mead", 5, err, sizeof err), AUGUR_OK,
                 "%s", err);
    cr_assert_eq(augur_solver_set_initial_point(s, p), AUGUR_OK);
    cr_assert_eq(augur_solver_set_evaluation_limits(s, 0, 4000), AUGUR_OK);
    cr_assert_geq(augur_solve(s, augur_fit_cost, f, NULL), 0);
    memcpy(p, augur_solver_best_solution(s), sizeof p);
    cr_assert_eq(augur_fit_polish(f, p, NULL, NULL, err, sizeof err), AUGUR_OK, "%s",
                 err);
    double u[5];
    augur_fit_report r = {.uncertainty = u};
    cr_assert_eq(augur_fit_report_at(f, p, &r, err, sizeof err), AUGUR_OK, "%s", err);
    cr_expect_lt(r.reduced_chi_square, 1.5);
    for (size_t j = 0; j < 5; j++)
        cr_expect(fabs(p[j] - ds_truth[j]) <= 3.0 * u[j] && u[j] < 0.1,
                  "p%zu = %.6g +- %.3g, truth %g", j, p[j], u[j], ds_truth[j]);
    augur_solver_destroy(s);
    augur_fit_destroy(f);
    augur_data_destroy(d);
}

/* --- Threads -------------------------------------------------------------------- */

static augur_fit *shared_fit;

static int cost_task(const augur_task_call *call, const void *in, size_t in_len,
                     void *out, size_t out_len)
{
    (void)call;
    (void)out_len;
    double v = augur_fit_cost(in, in_len / sizeof(double), shared_fit);
    memcpy(out, &v, sizeof v);
    return AUGUR_OK;
}

/* 400 parameter vectors around the truth, their costs from a threads map
 * with 2 workers (chunks of 1, so the workers interleave) against a serial
 * loop: the same bits. */
Test(fit_formula, threads_map_gives_serial_bits)
{
    augur_data *d = ds_data(60, ds_truth, 0.05);
    shared_fit = ds_fit(d);
    enum { N = 400 };
    static double in[N][5], serial[N], threaded[N];
    for (size_t k = 0; k < N; k++) {
        for (size_t j = 0; j < 5; j++)
            in[k][j] = ds_truth[j] * (1.0 + 0.01 * (double)((k * 7 + j * 3) % 11));
        serial[k] = augur_fit_cost(in[k], 5, shared_fit);
    }
    cr_assert_eq(augur_task_register("test.fit_formula.cost", cost_task), AUGUR_OK);
    augur_map *m = augur_map_create("threads", 2);
    cr_assert_not_null(m);
    cr_assert_eq(augur_map_set_chunk(m, 1), AUGUR_OK);
    augur_map_job job = {.task = "test.fit_formula.cost", .ntasks = N, .in = in,
                         .in_len = sizeof in[0], .out = threaded,
                         .out_len = sizeof threaded[0]};
    cr_assert_eq(augur_map_run(m, &job), AUGUR_OK, "%s", augur_map_errmsg(m));
    cr_expect_eq(memcmp(serial, threaded, sizeof serial), 0);
    augur_map_destroy(m);
    augur_fit_destroy(shared_fit);
    augur_data_destroy(d);
}
