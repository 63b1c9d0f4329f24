/* test_fit_report.c - Criterion suite for the fit report and the example
 * data: standard errors from the curvature of chi-square against the
 * analytic least-squares ones for a straight line (with sigmas and with
 * unit weights), NaN for a singular curvature, fixed parameters, the
 * report's errors, polish arguments, GSL's abort handler never reached,
 * and our files in examples/data/ (line.csv, circle.csv, br8.csv) against
 * the recipes in fit_gen.h (or, with AUGUR_WRITE_FIT_DATA=<dir>, writing
 * the first two). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>

#include "augur/fit.h"
#include "augur/status.h"
#include "fit_gen.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(fit_report, .init = quiet_gsl);

static double rel(double a, double b)
{
    return fabs(a - b) / fabs(b);
}

/* --- A straight line: the analytic answer --------------------------------- */

typedef struct line_ls {
    double a, b;                  /* slope, intercept */
    double var_a, var_b, cov_ab;  /* with the sigmas as given */
    double chi2;
} line_ls;

/* Weighted least squares for y = a x + b (Bevington & Robinson ch. 6). */
static line_ls line_fit(const double *x, const double *y, const double *s, size_t n)
{
    double S = 0, Sx = 0, Sxx = 0, Sy = 0, Sxy = 0;
    for (size_t i = 0; i < n; i++) {
        double w = s ? 1 / (s[i] * s[i]) : 1;
        S += w, Sx += w * x[i], Sxx += w * x[i] * x[i];
        Sy += w * y[i], Sxy += w * x[i] * y[i];
    }
    double det = S * Sxx - Sx * Sx;
    line_ls r = {.a = (S * Sxy - Sx * Sy) / det, .b = (Sxx * Sy - Sx * Sxy) / det,
                 .var_a = S / det, .var_b = Sxx / det, .cov_ab = -Sx / det};
    for (size_t i = 0; i < n; i++) {
        double e = (y[i] - r.a * x[i] - r.b) / (s ? s[i] : 1);
        r.chi2 += e * e;
    }
    return r;
}

/* A straight line, y = a x + b, fitted by chi-square. */
static augur_fit *line(augur_data *d)
{
    return gen_fit_on(d, "polynomial", 2, AUGUR_METRIC_CHI_SQUARE);
}

static gen_fit line_data(void)
{
    return gen_fit_make(gen_line(), "polynomial", 2, AUGUR_METRIC_CHI_SQUARE);
}

Test(fit_report, line_with_sigmas_matches_least_squares)
{
    gen_fit gf = line_data();
    augur_fit *f = gf.f;
    const gen *g = &gf.g;
    line_ls ls = line_fit(g->x, g->y, g->s, g->n);
    double p[2] = {ls.a, ls.b}, unc[2], cov[4];
    augur_fit_report r = {.uncertainty = unc, .covariance = cov};
    char err[256] = "";
    cr_assert_eq(augur_fit_report_at(f, p, &r, err, sizeof err), AUGUR_OK, "%s", err);
    cr_assert_eq(r.dof, 18);
    cr_assert(rel(r.cost, ls.chi2) < 1e-12);
    cr_assert(rel(r.reduced_chi_square, ls.chi2 / 18) < 1e-12);
    cr_assert(rel(unc[0], sqrt(ls.var_a)) < 1e-6, "slope %.12g vs %.12g", unc[0],
              sqrt(ls.var_a));
    cr_assert(rel(unc[1], sqrt(ls.var_b)) < 1e-6, "intercept %.12g vs %.12g", unc[1],
              sqrt(ls.var_b));
    cr_assert(rel(cov[1], ls.cov_ab) < 1e-6 && cov[1] == cov[2], "%.12g vs %.12g", cov[1],
              ls.cov_ab);
    cr_log_info("line: slope %.6f +- %.6f (analytic %.6f), intercept %.6f +- %.6f "
                "(analytic %.6f), chi2_nu %.4f", p[0], unc[0], sqrt(ls.var_a), p[1],
                unc[1], sqrt(ls.var_b), r.reduced_chi_square);
    gen_fit_free(&gf);
}

/* Unit weights: the noise is estimated, s^2 = chi2 / (n - 2). */
Test(fit_report, line_without_sigmas_scales_by_reduced_chi_square)
{
    gen g = gen_line();
    augur_data *d = augur_data_create(g.n, 1, 1, g.x, g.y, NULL);
    augur_fit *f = line(d);
    line_ls ls = line_fit(g.x, g.y, NULL, g.n);
    double p[2] = {ls.a, ls.b}, unc[2], s2 = ls.chi2 / (double)(g.n - 2);
    augur_fit_report r = {.uncertainty = unc};
    cr_assert_eq(augur_fit_report_at(f, p, &r, NULL, 0), AUGUR_OK);
    cr_assert(rel(r.reduced_chi_square, s2) < 1e-12);
    cr_assert(rel(unc[0], sqrt(s2 * ls.var_a)) < 1e-6, "%.12g vs %.12g", unc[0],
              sqrt(s2 * ls.var_a));
    cr_assert(rel(unc[1], sqrt(s2 * ls.var_b)) < 1e-6);
    augur_fit_destroy(f);
    augur_data_destroy(d);
    gen_free(&g);
}

/* Every x the same: slope and intercept only ever appear as a x0 + b, so
 * the curvature is singular and nothing may be reported as known. */
Test(fit_report, singular_curvature_gives_nan)
{
    double x[5] = {2, 2, 2, 2, 2}, y[5] = {1, 1.2, 0.9, 1.1, 1}, s[5] = {1, 1, 1, 1, 1};
    augur_data *d = augur_data_create(5, 1, 1, x, y, s);
    augur_fit *f = line(d);
    double p[2] = {0.25, 0.54}, unc[2], cov[4];
    augur_fit_report r = {.uncertainty = unc, .covariance = cov};
    cr_assert_eq(augur_fit_report_at(f, p, &r, NULL, 0), AUGUR_OK);
    cr_assert(isfinite(r.cost) && r.dof == 3);
    for (int i = 0; i < 2; i++)
        cr_assert(isnan(unc[i]), "uncertainty %d = %g", i, unc[i]);
    for (int i = 0; i < 4; i++)
        cr_assert(isnan(cov[i]));
    augur_fit_destroy(f);
    augur_data_destroy(d);
}

/* Holding the slope fixed leaves the intercept's conditional error,
 * 1 / sqrt(sum w), and one more degree of freedom. */
Test(fit_report, fixed_parameters)
{
    gen_fit gf = line_data();
    augur_fit *f = gf.f;
    const gen *g = &gf.g;
    line_ls ls = line_fit(g->x, g->y, g->s, g->n);
    double p[2] = {ls.a, ls.b}, unc[2], cov[4], S = 0;
    for (size_t i = 0; i < g->n; i++)
        S += 1 / (g->s[i] * g->s[i]);
    augur_fit_report r = {.uncertainty = unc, .covariance = cov, .fixed = (int[]){1, 0}};
    cr_assert_eq(augur_fit_report_at(f, p, &r, NULL, 0), AUGUR_OK);
    cr_assert_eq(r.dof, 19);
    cr_assert_eq(unc[0], 0.0);
    cr_assert(cov[0] == 0 && cov[1] == 0 && cov[2] == 0);
    cr_assert(rel(unc[1], 1 / sqrt(S)) < 1e-6, "%.12g vs %.12g", unc[1], 1 / sqrt(S));
    gen_fit_free(&gf);
}

Test(fit_report, errors)
{
    gen_fit gf = gen_fit_make(gen_line(), "exponential-decays", 3, AUGUR_METRIC_ABSOLUTE);
    augur_fit *f = gf.f;
    augur_fit_report r = {0};
    char err[256] = "";
    double p[3] = {1, 1, -1};
    cr_assert_eq(augur_fit_report_at(f, p, &r, err, sizeof err), AUGUR_EFAILED);
    cr_assert_str_eq(err, "exponential-decays cannot predict at this point "
                          "(value out of range)");
    cr_assert_eq(augur_fit_report_at(f, NULL, &r, err, sizeof err), AUGUR_EINVAL);
    p[2] = 10;
    cr_assert_eq(augur_fit_polish(f, p, NULL, NULL, err, sizeof err), AUGUR_EUNSUP);
    cr_assert_str_eq(err, "polish is least squares: not for the absolute metric");
    gen_fit_free(&gf);
}

/* Polish solves a linear fit outright, leaves pinned coordinates alone,
 * and keeps the start when the bounds forbid a better point. */
Test(fit_report, polish_line)
{
    gen_fit gf = line_data();
    augur_fit *f = gf.f;
    const gen *g = &gf.g;
    line_ls ls = line_fit(g->x, g->y, g->s, g->n);
    double p[2] = {0, 0};
    char err[256] = "";
    cr_assert_eq(augur_fit_polish(f, p, NULL, NULL, err, sizeof err), AUGUR_OK, "%s", err);
    cr_assert(rel(p[0], ls.a) < 1e-9 && rel(p[1], ls.b) < 1e-9, "%.15g %.15g", p[0], p[1]);
    double q[2] = {2.5, 0}, lb[2] = {2.5, -10}, ub[2] = {2.5, 10};
    cr_assert_eq(augur_fit_polish(f, q, lb, ub, err, sizeof err), AUGUR_OK, "%s", err);
    cr_assert_eq(q[0], 2.5, "pinned");
    double S = 0, Sr = 0;         /* the best intercept for slope 2.5 */
    for (size_t i = 0; i < g->n; i++) {
        double w = 1 / (g->s[i] * g->s[i]);
        S += w, Sr += w * (g->y[i] - 2.5 * g->x[i]);
    }
    cr_assert(rel(q[1], Sr / S) < 1e-9, "%.15g vs %.15g", q[1], Sr / S);
    gen_fit_free(&gf);
}

/* With GSL's default handler (abort) back in place, the ODE and linear
 * algebra paths must still only return: extreme parameters give a huge or
 * impossible prediction, a singular curvature gives NaN. */
Test(fit_report, gsl_error_handler_never_fires)
{
    gsl_set_error_handler(NULL);
    double t[4] = {0, 1, 2, 30}, th[8] = {0, 1};
    augur_data *d = augur_data_create(4, 1, 2, t, th, NULL);
    augur_fit *f = NULL;
    cr_assert_eq(augur_fit_create("kuramoto", 3, d, AUGUR_METRIC_SUM_OF_SQUARES, &f, NULL, 0),
                 AUGUR_OK);
    const double bad[][3] = {{1e300, 1, 0}, {1, 1, 1e308}, {1e9, -1e9, 0}, {NAN, 1, 1}};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        double v = augur_fit_cost(bad[k], 3, f);   /* NaN, or huge */
        cr_assert(!(v < 1e6), "case %zu: %g", k, v);
    }
    augur_fit_destroy(f);
    augur_data_destroy(d);
    double x[4] = {1, 1, 1, 1}, y[4] = {0, 1, 2, 1}, s[4] = {1, 1, 1, 1};
    d = augur_data_create(4, 1, 1, x, y, s);
    cr_assert_eq(augur_fit_create("polynomial", 3, d, AUGUR_METRIC_CHI_SQUARE, &f, NULL, 0),
                 AUGUR_OK);
    double unc[3], cov[9];
    augur_fit_report r = {.uncertainty = unc, .covariance = cov};
    cr_assert_eq(augur_fit_report_at(f, (double[]){0, 0, 1}, &r, NULL, 0), AUGUR_OK);
    cr_assert(isnan(unc[0]) && isnan(unc[1]) && isnan(unc[2]));
    augur_fit_destroy(f);
    augur_data_destroy(d);
}

/* --- examples/data against the recipes ------------------------------------ */

/* examples/data/ holds our line.csv, circle.csv and br8.csv next to the
 * example configs' own files (made by its generate.py), which this test
 * leaves alone: it writes only files that have a recipe comment. */

static void data_dir(char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", __FILE__);
    char *slash = strrchr(buf, '/');
    cr_assert_not_null(slash, "__FILE__ is not a path: %s", __FILE__);
    snprintf(slash, cap - (size_t)(slash - buf), "/../examples/data");
}

static void write_csv(const char *dir, const char *name, const gen *g)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "%s", path);
    fputs(g->comment, fp);
    fprintf(fp, "%s,%s%s%s\n", g->xcols, g->ycols, g->scols ? "," : "",
            g->scols ? g->scols : "");
    for (size_t i = 0; i < g->n; i++) {
        for (size_t k = 0; k < g->xdim; k++)
            fprintf(fp, "%s%.17g", k ? "," : "", g->x[i * g->xdim + k]);
        for (size_t k = 0; k < g->ydim; k++)
            fprintf(fp, ",%.17g", g->y[i * g->ydim + k]);
        for (size_t k = 0; g->s && k < g->ydim; k++)
            fprintf(fp, ",%.17g", g->s[i * g->ydim + k]);
        fputc('\n', fp);
    }
    fclose(fp);
}

static void same(const double *a, const double *b, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(a[i], b[i], "%s[%zu]: file %.17g, recipe %.17g", what, i, a[i], b[i]);
}

static void check_csv(const char *dir, const char *name, const gen *g)
{
    char path[1024], err[512] = "";
    cr_assert_lt((size_t)snprintf(path, sizeof path, "%s/%s", dir, name), sizeof path);
    augur_data *d = NULL;
    cr_assert_eq(augur_data_read_csv(path, g->xcols, g->ycols, g->scols, &d, err, sizeof err),
                 AUGUR_OK, "%s", err);
    cr_assert_eq(augur_data_points(d), g->n, "%s", name);
    cr_assert_eq(augur_data_xdim(d), g->xdim);
    cr_assert_eq(augur_data_ydim(d), g->ydim);
    same(augur_data_x(d), g->x, g->n * g->xdim, name);
    same(augur_data_y(d), g->y, g->n * g->ydim, name);
    if (g->s)
        same(augur_data_sigma(d), g->s, g->n * g->ydim, name);
    augur_data_destroy(d);
}

Test(fit_report, example_files_match_their_recipes)
{
    const char *out = getenv("AUGUR_WRITE_FIT_DATA");
    char dir[512];
    data_dir(dir, sizeof dir);
    struct {
        const char *name;
        gen (*make)(void);
    } files[] = {
        {"line.csv", gen_line}, {"circle.csv", gen_circle}, {"br8.csv", gen_br8},
    };
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        gen g = files[k].make();
        if (out && g.comment)
            write_csv(out, files[k].name, &g);
        else
            check_csv(dir, files[k].name, &g);  /* br8.csv is typed, never written */
        gen_free(&g);
    }
}
