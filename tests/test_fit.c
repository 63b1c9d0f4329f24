/* test_fit.c - Criterion suite for the data and fit machinery (fits/
 * data.c, data_csv.c, fit.c, fit_report.c, fit_models.c, fit_kuramoto.c):
 * reading CSV files (names, indices, sigma, comments, header detection,
 * and every error with its file:line:column), data from arrays, each fit
 * model's prediction against values worked out by hand, the metrics, fit
 * creation errors and parameter names, the report's uncertainties against
 * the analytic least-squares ones for a straight line, NaN for a singular
 * curvature, and the example data files against their recipes. Fits that
 * recover parameters with solvers are in test_fit_recover.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>

#include "augur/fit.h"
#include "augur/status.h"
#include "fit_gen.h"

static char tmpdir[64];

static void setup(void)
{
    gsl_set_error_handler_off();
    strcpy(tmpdir, "/tmp/augur_fit_XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(fit, .init = setup, .fini = teardown);

/* A file in the test's directory holding text; returns its path. */
static const char *write_file(const char *name, const char *text)
{
    static char path[160];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

static int near(double a, double b, double tol)
{
    return fabs(a - b) <= tol * fmax(1.0, fabs(b));
}

/* --- CSV: what reads ------------------------------------------------------ */

Test(fit, csv_names_sigma_comments_and_whitespace)
{
    const char *path = write_file("a.csv", "# decay counts\n"
                                           "\n"
                                           "  # indented comment\n"
                                           "t, \"counts\" ,sigma,label\r\n"
                                           "15, 775, 27.8, first\r\n"
                                           "\n"
                                           "30,479,21.9,second\n"
                                           "# between rows\n"
                                           "45 ,380 , 19.5 ,third");
    augur_data *d = NULL;
    char err[256] = "";
    cr_assert_eq(augur_data_read_csv(path, "t", "counts", "sigma", &d, err, sizeof err),
                 AUGUR_OK, "%s", err);
    cr_assert_eq(augur_data_points(d), 3);
    cr_assert_eq(augur_data_xdim(d), 1);
    cr_assert_eq(augur_data_ydim(d), 1);
    cr_assert(augur_data_weighted(d));
    const double *x = augur_data_x(d), *y = augur_data_y(d), *s = augur_data_sigma(d);
    cr_assert(x[0] == 15 && x[1] == 30 && x[2] == 45);
    cr_assert(y[0] == 775 && y[1] == 479 && y[2] == 380);
    cr_assert(s[0] == 27.8 && s[1] == 21.9 && s[2] == 19.5);
    augur_data_destroy(d);
}

Test(fit, csv_indices_several_columns_and_unit_weights)
{
    const char *path = write_file("b.csv", "x,y,ux,uy,uz\n"
                                           "1,2,0.1,0.2,0.3\n"
                                           "3,4,0.4,0.5,0.6\n");
    augur_data *d = NULL;
    char err[256] = "";
    cr_assert_eq(augur_data_read_csv(path, "0,y", "ux, 3 ,4", NULL, &d, err, sizeof err),
                 AUGUR_OK, "%s", err);
    cr_assert_eq(augur_data_xdim(d), 2);
    cr_assert_eq(augur_data_ydim(d), 3);
    cr_assert_not(augur_data_weighted(d));
    const double *x = augur_data_x(d), *y = augur_data_y(d), *s = augur_data_sigma(d);
    cr_assert(x[0] == 1 && x[1] == 2 && x[2] == 3 && x[3] == 4);
    cr_assert(y[0] == 0.1 && y[2] == 0.3 && y[3] == 0.4 && y[5] == 0.6);
    for (int i = 0; i < 6; i++)
        cr_assert_eq(s[i], 1.0);
    augur_data_destroy(d);
}

/* No field of the first line is text, so it is data; columns by index. A
 * header whose names look like numbers is still found by name. */
Test(fit, csv_header_detection)
{
    const char *path = write_file("c.csv", "# no header\n1,10\n2,20\n");
    augur_data *d = NULL;
    char err[256] = "";
    cr_assert_eq(augur_data_read_csv(path, "0", "1", NULL, &d, err, sizeof err), AUGUR_OK,
                 "%s", err);
    cr_assert_eq(augur_data_points(d), 2);
    cr_assert_eq(augur_data_y(d)[1], 20);
    augur_data_destroy(d);
    path = write_file("d.csv", "t,1\n5,6\n7,8\n");
    cr_assert_eq(augur_data_read_csv(path, "t", "1", NULL, &d, err, sizeof err), AUGUR_OK,
                 "%s", err);
    cr_assert_eq(augur_data_points(d), 2, "the header is not a data row");
    cr_assert(augur_data_x(d)[0] == 5 && augur_data_y(d)[0] == 6);
    augur_data_destroy(d);
}

/* --- CSV: every error names file:line:column ------------------------------ */

typedef struct csv_error {
    const char *text, *x, *y, *sigma;
    int code;
    const char *where;            /* "line:column" */
    const char *message;
} csv_error;

static const csv_error csv_errors[] = {
    {"t,y\n1,2\n3,abc\n", "t", "y", NULL, AUGUR_EINVAL, "3:3",
     "'abc' is not a number (column 'y')"},
    {"t,y\n1,2\n3\n", "t", "y", NULL, AUGUR_EINVAL, "3:2", "1 field where the header has 2"},
    {"t,y\n1,2\n3,4,5\n", "t", "y", NULL, AUGUR_EINVAL, "3:6",
     "3 fields where the header has 2"},
    {"1,2\n3,4\n5\n", "0", "1", NULL, AUGUR_EINVAL, "3:2",
     "1 field where the first row has 2"},
    {"t,y\n1,2\n", "t", "z", NULL, AUGUR_ENOTFOUND, "1:1",
     "no column 'z' (the header has: t, y)"},
    {"1,2\n3,4\n", "t", "1", NULL, AUGUR_ENOTFOUND, "1:1",
     "no header line, so column 't' must be a 0-based index"},
    {"1,2\n", "0", "5", NULL, AUGUR_ERANGE, "1:1",
     "column 5 does not exist (2 columns, numbered from 0)"},
    {"t,y,s\n1,2,1\n1,2,0\n", "t", "y", "s", AUGUR_ERANGE, "3:5",
     "sigma must be positive, not 0"},
    {"t,y,s\n1,2,-3\n", "t", "y", "s", AUGUR_ERANGE, "2:5",
     "sigma must be positive, not -3"},
    {"t,y\n1,\n", "t", "y", NULL, AUGUR_EINVAL, "2:3", "empty field (column 'y')"},
    {"t,y\n1,inf\n", "t", "y", NULL, AUGUR_ERANGE, "2:3",
     "'inf' is not a finite number (column 'y')"},
    {"t,y\n1, nan\n", "t", "y", NULL, AUGUR_ERANGE, "2:4",
     "'nan' is not a finite number (column 'y')"},
    {"t,y\n1,1e999\n", "t", "y", NULL, AUGUR_ERANGE, "2:3",
     "'1e999' is not a finite number (column 'y')"},
    {"# only a comment\n\n", "t", "y", NULL, AUGUR_EINVAL, "3:1", "no data rows"},
    {"t,y\n# no rows\n", "t", "y", NULL, AUGUR_EINVAL, "3:1", "no data rows"},
    {"t,y,s\n1,2,3\n", "t", "y", "s,s", AUGUR_EINVAL, "1:1",
     "2 sigma columns for 1 y column"},
    {"t,y\n1,2\n", "t,,y", "y", NULL, AUGUR_EINVAL, "1:1", "x: bad column list \"t,,y\""},
    {"t,y\n1,2\n", "t", " ", NULL, AUGUR_EINVAL, "1:1", "y: bad column list \" \""},
};

Test(fit, csv_errors_name_file_line_and_column)
{
    for (size_t k = 0; k < sizeof csv_errors / sizeof csv_errors[0]; k++) {
        const csv_error *e = &csv_errors[k];
        char name[16], expect[384], err[256] = "";
        snprintf(name, sizeof name, "e%zu.csv", k);
        const char *path = write_file(name, e->text);
        snprintf(expect, sizeof expect, "%s:%s: %s", path, e->where, e->message);
        augur_data *d = (augur_data *)1;
        int rc = augur_data_read_csv(path, e->x, e->y, e->sigma, &d, err, sizeof err);
        cr_expect_eq(rc, e->code, "case %zu: %d (%s)", k, rc, err);
        cr_expect_str_eq(err, expect, "case %zu: \"%s\" != \"%s\"", k, err, expect);
        cr_expect_null(d, "case %zu: out is cleared", k);
    }
}

Test(fit, csv_missing_file_and_bad_arguments)
{
    augur_data *d = NULL;
    char err[256] = "", path[128];
    snprintf(path, sizeof path, "%s/nosuch.csv", tmpdir);
    cr_assert_eq(augur_data_read_csv(path, "t", "y", NULL, &d, err, sizeof err),
                 AUGUR_ENOTFOUND);
    char expect[256];
    snprintf(expect, sizeof expect, "%s: cannot open: No such file or directory", path);
    cr_assert_str_eq(err, expect);
    cr_assert_eq(augur_data_read_csv(path, NULL, "y", NULL, &d, err, sizeof err),
                 AUGUR_EINVAL);
    cr_assert_eq(augur_data_read_csv(NULL, "t", "y", NULL, &d, err, sizeof err),
                 AUGUR_EINVAL);
}

/* --- Data from arrays ----------------------------------------------------- */

Test(fit, data_from_arrays)
{
    double x[3] = {1, 2, 3}, y[3] = {4, 5, 6}, s[3] = {1, 0.5, 2};
    augur_data *d = augur_data_create(3, 1, 1, x, y, s);
    cr_assert_not_null(d);
    x[0] = 99;                    /* copied, not borrowed */
    cr_assert_eq(augur_data_x(d)[0], 1);
    cr_assert_eq(augur_data_sigma(d)[1], 0.5);
    cr_assert(augur_data_weighted(d));
    augur_data_destroy(d);
    s[1] = 0;
    cr_assert_null(augur_data_create(3, 1, 1, x, y, s), "sigma 0");
    s[1] = NAN;
    cr_assert_null(augur_data_create(3, 1, 1, x, y, s), "sigma NaN");
    y[2] = INFINITY;
    cr_assert_null(augur_data_create(3, 1, 1, x, y, NULL), "y inf");
    cr_assert_null(augur_data_create(0, 1, 1, x, y, NULL), "no points");
    cr_assert_null(augur_data_create(3, 0, 1, x, y, NULL), "no x");
    cr_assert_null(augur_data_create(3, 1, 1, NULL, y, NULL));
    cr_assert_eq(augur_data_points(NULL), 0);
    augur_data_destroy(NULL);
}

/* --- Fit models: predictions by hand -------------------------------------- */

/* yhat of model at p for 1-D points x (one y per point). */
static void predict1(const char *model, const double *p, size_t np, const double *x,
                     size_t n, double *yhat)
{
    double y[8] = {0};
    augur_data *d = augur_data_create(n, 1, 1, x, y, NULL);
    augur_fit *f = NULL;
    char err[256] = "";
    cr_assert_eq(augur_fit_create(model, np, d, AUGUR_METRIC_SUM_OF_SQUARES, &f, err,
                                  sizeof err),
                 AUGUR_OK, "%s: %s", model, err);
    const augur_fit_model *m = augur_fit_get_model(f);
    cr_assert_eq(m->predict(p, np, d, yhat), AUGUR_OK, "%s", model);
    augur_fit_destroy(f);
    augur_data_destroy(d);
}

Test(fit, predictions_by_hand)
{
    double yhat[2];
    predict1("polynomial", (double[]){2, -3, 1}, 3, (double[]){2, -1}, 2, yhat);
    cr_assert(yhat[0] == 3 && yhat[1] == 6, "2x^2 - 3x + 1: %g %g", yhat[0], yhat[1]);
    /* (1 + 2 + 3 + 4 (0.2/2pi) / (0.5^2 + 0.1^2)) / 2 at x = 1 */
    predict1("lorentzian", (double[]){1, 2, 3, 4, 0.5, 0.2, 2}, 7, (double[]){1}, 1, yhat);
    cr_assert(near(yhat[0], 3.244853758602916, 1e-15), "%.17g", yhat[0]);
    /* 0.5 + 2 e^-0.5 + e^-1.125 at x = 1.5 */
    predict1("gaussian-peaks", (double[]){0.5, 2, 1, 0.5, 1, 3, 1}, 7, (double[]){1.5}, 1,
             yhat);
    cr_assert(near(yhat[0], 2.0377137867836166, 1e-15), "%.17g", yhat[0]);
    /* 10 + 100 e^-0.3 + 1000 e^-2 at t = 60 */
    predict1("exponential-decays", (double[]){10, 100, 1000, 200, 30}, 5, (double[]){60},
             1, yhat);
    cr_assert(near(yhat[0], 219.41710530478449, 1e-15), "%.17g", yhat[0]);
    /* 2 sin(pi + 0.5) e^-0.25 at t = 1 */
    predict1("chirp", (double[]){2, 1, 0.5, 0.25}, 4, (double[]){1}, 1, yhat);
    cr_assert(near(yhat[0], -0.7467539697787665, 1e-15), "%.17g", yhat[0]);
}

/* dV = 4 pi / 3 makes the corrected constant 3 dV / (4 pi) exactly 1: a
 * station 4 east of a source at depth 3 (r = 5) moves (4, 0, -3) / 125.
 * mystic's 3 dV pi / 4 would give pi^2 times that. */
Test(fit, mogi_prediction_uses_the_corrected_constant)
{
    double x[4] = {4, 0, 0, -4}, y[6] = {0}, yhat[6];
    augur_data *d = augur_data_create(2, 2, 3, x, y, NULL);
    augur_fit *f = NULL;
    cr_assert_eq(augur_fit_create("mogi", 0, d, AUGUR_METRIC_CHI_SQUARE, &f, NULL, 0),
                 AUGUR_OK);
    double p[4] = {0, 0, 3, 4 * GEN_PI / 3};
    cr_assert_eq(augur_fit_get_model(f)->predict(p, 4, d, yhat), AUGUR_OK);
    const double want[6] = {0.032, 0, -0.024, 0, -0.032, -0.024};
    for (int i = 0; i < 6; i++)
        cr_assert(fabs(yhat[i] - want[i]) < 1e-16, "U[%d] = %.17g", i, yhat[i]);
    augur_fit_destroy(f);
    augur_data_destroy(d);
}

/* Two oscillators with equal omega: the sum of the phases grows as 2 omega
 * t and their difference phi obeys phi' = -K sin(phi), so tan(phi/2) =
 * tan(phi0/2) e^(-K t). With K = 0 the phases are theta0 + omega t. */
Test(fit, kuramoto_prediction_against_closed_forms)
{
    double t[5] = {0, 0.5, 1, 2, 4}, th[10] = {0.3, 2.0}, yhat[10];
    augur_data *d = augur_data_create(5, 1, 2, t, th, NULL);
    augur_fit *f = NULL;
    char err[256] = "";
    cr_assert_eq(augur_fit_create("kuramoto", 3, d, AUGUR_METRIC_SUM_OF_SQUARES, &f, err,
                                  sizeof err),
                 AUGUR_OK, "%s", err);
    double w = 1.3, K = 0.8, p[3] = {w, w, K};
    cr_assert_eq(augur_fit_get_model(f)->predict(p, 3, d, yhat), AUGUR_OK);
    double phi0 = 2.0 - 0.3, s0 = 2.3;
    for (int i = 0; i < 5; i++) {
        double phi = 2 * atan(tan(phi0 / 2) * exp(-K * t[i])), s = s0 + 2 * w * t[i];
        cr_assert(fabs(yhat[2 * i] - (s - phi) / 2) < 1e-8, "row %d: %.12g", i, yhat[2 * i]);
        cr_assert(fabs(yhat[2 * i + 1] - (s + phi) / 2) < 1e-8, "row %d", i);
    }
    double q[3] = {0.7, -1.1, 0};
    cr_assert_eq(augur_fit_get_model(f)->predict(q, 3, d, yhat), AUGUR_OK);
    for (int i = 0; i < 5; i++) {
        cr_assert(fabs(yhat[2 * i] - (0.3 + 0.7 * t[i])) < 1e-9);
        cr_assert(fabs(yhat[2 * i + 1] - (2.0 - 1.1 * t[i])) < 1e-9);
    }
    augur_fit_destroy(f);
    augur_data_destroy(d);
}

Test(fit, circle_cost)
{
    double x[3] = {0, 2, 1}, y[3] = {0, 0, 5};
    augur_data *d = augur_data_create(3, 1, 1, x, y, NULL);
    /* centre (1, 0), r = 1: (1, 5) is 5 away, so 1 + 1 + (5 - 1) */
    cr_assert_eq(augur_circle_cost((double[]){1, 0, 1}, 3, d), 6.0);
    cr_assert_eq(augur_circle_cost((double[]){1, 0, 5}, 3, d), 5.0, "all inside");
    cr_assert_eq(augur_circle_cost((double[]){1, 0, -2}, 3, d), 1998.0, "-999 r");
    cr_assert(isnan(augur_circle_cost((double[]){1, 0, 1}, 2, d)));
    cr_assert(isnan(augur_circle_cost((double[]){1, 0, 1}, 3, NULL)));
    augur_data_destroy(d);
}

/* --- Fits: creation, names, metrics --------------------------------------- */

typedef struct create_error {
    const char *model;
    size_t np;
    size_t xdim;
    const char *message;
} create_error;

Test(fit, create_errors_say_why)
{
    double x[6] = {0, 1, 2, 3, 4, 5}, y[6] = {0};
    augur_data *d1 = augur_data_create(6, 1, 1, x, y, NULL);
    augur_data *d2 = augur_data_create(3, 2, 1, x, y, NULL);
    const create_error cases[] = {
        {"nosuch", 3, 1, "no fit model 'nosuch'"},
        {"polynomial", 0, 1, "polynomial needs nparams (degree + 1 coefficients)"},
        {"lorentzian", 5, 1, "lorentzian takes 7 parameters, not 5"},
        {"gaussian-peaks", 6, 1,
         "gaussian-peaks takes 1 + 3 k parameters (k >= 1 peaks), not 6"},
        {"exponential-decays", 4, 1,
         "exponential-decays takes 1 + 2 k parameters (k >= 1 decays), not 4"},
        {"mogi", 0, 1, "mogi needs 2 x columns, the data have 1"},
        {"chirp", 0, 2, "chirp needs 1 x column, the data have 2"},
        {"kuramoto", 3, 1,
         "kuramoto takes N + 1 = 2 parameters (omega_1..omega_N, K) for N = 1 phase columns, "
         "not 3"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        augur_fit *f = (augur_fit *)1;
        char err[256] = "";
        int rc = augur_fit_create(cases[k].model, cases[k].np, cases[k].xdim == 1 ? d1 : d2,
                                  AUGUR_METRIC_CHI_SQUARE, &f, err, sizeof err);
        cr_expect_lt(rc, 0, "%s", cases[k].model);
        cr_expect_str_eq(err, cases[k].message);
        cr_expect_null(f);
    }
    double t[3] = {0, 1, 1}, th[3] = {0};
    augur_data *dt = augur_data_create(3, 1, 1, t, th, NULL);
    augur_fit *f = NULL;
    char err[256] = "";
    cr_assert_eq(augur_fit_create("kuramoto", 2, dt, AUGUR_METRIC_CHI_SQUARE, &f, err,
                                  sizeof err),
                 AUGUR_EINVAL);
    cr_assert_str_eq(err, "kuramoto: times must increase strictly (row 2: t = 1 after 1)");
    cr_assert_eq(augur_fit_create("polynomial", 2, d1, (augur_metric)7, &f, err, sizeof err),
                 AUGUR_EINVAL);
    augur_data_destroy(dt);
    augur_data_destroy(d1);
    augur_data_destroy(d2);
}

static void expect_names(const char *model, size_t np, const char *const *want)
{
    double x[8] = {0, 1, 2, 3, 4, 5, 6, 7}, y[24] = {0};
    size_t ydim = strcmp(model, "kuramoto") == 0 ? np - 1 : 1;
    augur_data *d = augur_data_create(8, 1, ydim, x, y, NULL);
    augur_fit *f = NULL;
    char err[256] = "", name[32];
    cr_assert_eq(augur_fit_create(model, np, d, AUGUR_METRIC_CHI_SQUARE, &f, err, sizeof err),
                 AUGUR_OK, "%s", err);
    for (size_t i = 0; i < np; i++) {
        cr_assert_eq(augur_fit_param_name(f, i, name, sizeof name), AUGUR_OK);
        cr_expect_str_eq(name, want[i], "%s parameter %zu", model, i);
    }
    cr_assert_eq(augur_fit_param_name(f, np, name, sizeof name), AUGUR_EINVAL);
    augur_fit_destroy(f);
    augur_data_destroy(d);
}

Test(fit, parameter_names)
{
    expect_names("polynomial", 3, (const char *[]){"p2", "p1", "p0"});
    expect_names("gaussian-peaks", 7, (const char *[]){"b", "A1", "c1", "w1", "A2", "c2", "w2"});
    expect_names("exponential-decays", 5, (const char *[]){"b", "A1", "A2", "tau1", "tau2"});
    expect_names("kuramoto", 4, (const char *[]){"omega1", "omega2", "omega3", "K"});
    expect_names("lorentzian", 7, (const char *[]){"a1", "a2", "a3", "A0", "E0", "G0", "n"});
    for (const augur_fit_model *const *m = augur_fit_models(); *m; m++) {
        cr_assert_eq(augur_fit_model_find((*m)->name), *m);
        cr_assert((*m)->doc && (*m)->predict, "%s", (*m)->name);
        cr_assert((*m)->nparams ? (*m)->param_names != NULL : (*m)->param_name != NULL,
                  "%s", (*m)->name);
    }
    cr_assert_eq(augur_fit_model_find("Exponential_Decays"),
                 augur_fit_model_find("exponential-decays"));
    cr_assert_str_eq(augur_metric_names[AUGUR_METRIC_ABSOLUTE], "absolute");
}

/* yhat = x + 1 against y = (1, 2, 5), sigma (1, 2, 0.5): residuals (0, 0, -2). */
Test(fit, metrics_by_hand)
{
    double x[3] = {0, 1, 2}, y[3] = {1, 2, 5}, s[3] = {1, 2, 0.5}, p[2] = {1, 1};
    augur_data *d = augur_data_create(3, 1, 1, x, y, s);
    const double want[3] = {16, 4, 2};
    for (int m = 0; m < 3; m++) {
        augur_fit *f = NULL;
        cr_assert_eq(augur_fit_create("polynomial", 2, d, (augur_metric)m, &f, NULL, 0),
                     AUGUR_OK);
        cr_assert_eq(augur_fit_cost(p, 2, f), want[m], "%s", augur_metric_names[m]);
        cr_assert(isnan(augur_fit_cost(p, 3, f)), "wrong n");
        cr_assert(isnan(augur_fit_cost(NULL, 2, f)));
        augur_fit_destroy(f);
    }
    augur_fit *f = NULL;
    cr_assert_eq(augur_fit_create("exponential-decays", 3, d, AUGUR_METRIC_CHI_SQUARE, &f,
                                  NULL, 0),
                 AUGUR_OK);
    cr_assert(isnan(augur_fit_cost((double[]){0, 1, -2}, 3, f)), "negative lifetime");
    cr_assert(isfinite(augur_fit_cost((double[]){0, 1, 2}, 3, f)));
    augur_fit_destroy(f);
    augur_data_destroy(d);
}
