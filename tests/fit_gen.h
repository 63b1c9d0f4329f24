/* fit_gen.h - the recipes behind the fit suites' data, shared by
 * tests/test_fit*.c.
 *
 * Each recipe is a model, its true parameters, a grid and a noise law
 * drawn from GSL's mt19937 with a fixed seed, one value per y in row
 * order. Two of them are also files in examples/data/ - line.csv and
 * circle.csv - which test_fit_report.c regenerates bit for bit and checks
 * (fit_report/example_files_match_their_recipes); run that test with
 * AUGUR_WRITE_FIT_DATA=<dir> to write them instead, each with its recipe
 * as its header comment. br8.csv there is not generated: it is Bevington
 * and Robinson's published table, typed in, and the same test checks it
 * against BR8_COUNTS. The other data files in examples/data/ belong to the
 * example configs (examples/data/generate.py makes them); the recovery
 * tests use the recipes below, in memory; most of them start from
 * gen_fit_make, a recipe's data with a fit on it, and end with gen_fit_free.
 * Everything here is static and marked unused, since each suite uses only
 * part of it. */
#ifndef AUGUR_TESTS_FIT_GEN_H
#define AUGUR_TESTS_FIT_GEN_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "augur/fit.h"
#include "augur/status.h"

#define GEN_PI 3.14159265358979323846
/* Each suite uses part of this file. */
#define GEN_STATIC static __attribute__((unused))

typedef struct gen {
    size_t n, xdim, ydim;
    double *x, *y, *s;            /* s NULL: unweighted */
    const char *xcols, *ycols, *scols;   /* CSV column names */
    const char *comment;          /* the file's header comment */
} gen;

GEN_STATIC gen gen_alloc(size_t n, size_t xdim, size_t ydim, int weighted)
{
    gen g = {.n = n, .xdim = xdim, .ydim = ydim};
    g.x = calloc(n * xdim, sizeof *g.x);
    g.y = calloc(n * ydim, sizeof *g.y);
    g.s = weighted ? calloc(n * ydim, sizeof *g.s) : NULL;
    return g;
}

GEN_STATIC void gen_free(gen *g)
{
    free(g->x);
    free(g->y);
    free(g->s);
}

GEN_STATIC augur_data *gen_data(const gen *g)
{
    return augur_data_create(g->n, g->xdim, g->ydim, g->x, g->y, g->s);
}

/* A fit of `model` with np parameters (0: the model's own count) on d, or
 * the test fails with the reason. */
GEN_STATIC augur_fit *gen_fit_on(augur_data *d, const char *model, size_t np,
                                 augur_metric metric)
{
    augur_fit *f = NULL;
    char err[256] = "";
    cr_assert_eq(augur_fit_create(model, np, d, metric, &f, err, sizeof err), AUGUR_OK,
                 "%s: %s", model, err);
    return f;
}

/* A recipe's points, as augur_data, with a fit on them: what most fit tests
 * start from. gen_fit_make takes the recipe over; gen_fit_free frees all
 * three. */
typedef struct gen_fit {
    gen g;
    augur_data *d;
    augur_fit *f;
} gen_fit;

GEN_STATIC gen_fit gen_fit_make(gen g, const char *model, size_t np, augur_metric metric)
{
    gen_fit gf = {.g = g, .d = gen_data(&g)};
    gf.f = gen_fit_on(gf.d, model, np, metric);
    return gf;
}

GEN_STATIC void gen_fit_free(gen_fit *gf)
{
    augur_fit_destroy(gf->f);
    augur_data_destroy(gf->d);
    gen_free(&gf->g);
}

GEN_STATIC gsl_rng *gen_rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    return r;
}

/* --- The true parameters -------------------------------------------------- */

GEN_STATIC const double LINE_TRUE[2] = {2.0, 1.0};                  /* slope, intercept */
GEN_STATIC const double PEAKS_TRUE[7] = {0.5, 3.0, 2.0, 0.5, 1.5, 5.0, 0.8};
GEN_STATIC const double LORENTZ_TRUE[7] = {1, 45, -10, 20, 1, 0.1, 1};   /* mystic's */
GEN_STATIC const double MOGI_TRUE[4] = {1234, -500, 10, 0.1};          /* mystic's */
GEN_STATIC const double CHIRP_TRUE[4] = {4, 4, GEN_PI / 2, 3};         /* the seed's */
GEN_STATIC const double KURA_TRUE[4] = {2.8, 1.9, 1.1, 1.5};           /* omegas, K */
GEN_STATIC const double KURA_START[3] = {0, GEN_PI, 0};
GEN_STATIC const double CIRCLE_TRUE[3] = {10, 20, 3};                  /* mystic's */

/* --- Recipes -------------------------------------------------------------- */

/* y = 2x + 1 at x = 0..19, sigma_i = 0.5 + 0.05 i, Gaussian noise. */
GEN_STATIC gen gen_line(void)
{
    gen g = gen_alloc(20, 1, 1, 1);
    gsl_rng *r = gen_rng(11);
    for (size_t i = 0; i < g.n; i++) {
        g.x[i] = (double)i;
        g.s[i] = 0.5 + 0.05 * (double)i;
        g.y[i] = LINE_TRUE[0] * g.x[i] + LINE_TRUE[1] + gsl_ran_gaussian(r, g.s[i]);
    }
    gsl_rng_free(r);
    g.xcols = "x", g.ycols = "y", g.scols = "sigma";
    g.comment = "# y = 2 x + 1 at x = 0..19; sigma_i = 0.5 + 0.05 i; noise\n"
                "# gsl_ran_gaussian(sigma_i) from GSL mt19937 seed 11, one per row.\n";
    return g;
}

GEN_STATIC gen gen_peaks(void)
{
    gen g = gen_alloc(161, 1, 1, 1);
    gsl_rng *r = gen_rng(2);
    const double *p = PEAKS_TRUE;
    for (size_t i = 0; i < g.n; i++) {
        double x = 0.05 * (double)i, v = p[0];
        for (int k = 0; k < 2; k++) {
            double z = (x - p[2 + 3 * k]) / p[3 + 3 * k];
            v += p[1 + 3 * k] * exp(-0.5 * z * z);
        }
        g.x[i] = x;
        g.s[i] = 0.05;
        g.y[i] = v + gsl_ran_gaussian(r, 0.05);
    }
    gsl_rng_free(r);
    g.xcols = "x", g.ycols = "y", g.scols = "sigma";
    g.comment = "# gaussian-peaks, (b, A1, c1, w1, A2, c2, w2) =\n"
                "# (0.5, 3, 2, 0.5, 1.5, 5, 0.8):\n"
                "# y = b + sum A exp(-(x - c)^2 / (2 w^2)) at x = 0, 0.05, .., 8; noise\n"
                "# gsl_ran_gaussian(0.05) from GSL mt19937 seed 2, one per row.\n";
    return g;
}

GEN_STATIC double lorentz_value(const double *p, double x)
{
    double dx = x - p[4], half = p[5] / 2;
    return (p[0] + p[1] * x + p[2] * x * x +
            p[3] * (p[5] / (2 * GEN_PI)) / (dx * dx + half * half)) / p[6];
}

GEN_STATIC gen gen_lorentz(void)
{
    gen g = gen_alloc(151, 1, 1, 1);
    gsl_rng *r = gen_rng(3);
    for (size_t i = 0; i < g.n; i++) {
        g.x[i] = 0.02 * (double)i;
        g.s[i] = 1.0;
        g.y[i] = lorentz_value(LORENTZ_TRUE, g.x[i]) + gsl_ran_gaussian(r, 1.0);
    }
    gsl_rng_free(r);
    g.xcols = "x", g.ycols = "y", g.scols = "sigma";
    g.comment = "# lorentzian, mystic's example target (a1, a2, a3, A0, E0, G0, n) =\n"
                "# (1, 45, -10, 20, 1, 0.1, 1) at x = 0, 0.02, .., 3; noise\n"
                "# gsl_ran_gaussian(1) from GSL mt19937 seed 3, one per row.\n";
    return g;
}

/* Mogi with the corrected constant c = 3 dV / (4 pi). */
GEN_STATIC void mogi_value(const double *p, double x, double y, double *u)
{
    double c = 3 * p[3] / (4 * GEN_PI);
    double dx = x - p[0], dy = y - p[1], dz = -p[2];
    double r3 = pow(dx * dx + dy * dy + dz * dz, 1.5);
    u[0] = c * dx / r3, u[1] = c * dy / r3, u[2] = c * dz / r3;
}

GEN_STATIC gen gen_mogi(void)
{
    gen g = gen_alloc(20, 2, 3, 1);
    gsl_rng *r = gen_rng(4);
    for (size_t i = 0; i < g.n; i++) {
        g.x[2 * i] = MOGI_TRUE[0] - 16 + 8 * (double)(i % 5);
        g.x[2 * i + 1] = MOGI_TRUE[1] - 12 + 8 * (double)(i / 5);
        double u[3];
        mogi_value(MOGI_TRUE, g.x[2 * i], g.x[2 * i + 1], u);
        for (int k = 0; k < 3; k++) {
            g.s[3 * i + k] = 2e-6;
            g.y[3 * i + k] = u[k] + gsl_ran_gaussian(r, 2e-6);
        }
    }
    gsl_rng_free(r);
    g.xcols = "x,y", g.ycols = "ux,uy,uz", g.scols = "sx,sy,sz";
    g.comment = "# mogi, mystic's example source (x0, y0, z0, dV) = (1234, -500, 10, 0.1),\n"
                "# with the corrected constant 3 dV / (4 pi); 20 stations on a 5 x 4 grid,\n"
                "# x = x0 - 16 + 8 (i mod 5), y = y0 - 12 + 8 floor(i / 5); noise\n"
                "# gsl_ran_gaussian(2e-6) from GSL mt19937 seed 4, per station ux, uy, uz.\n";
    return g;
}

/* The seed's chirp with its uniform noise U(-0.025, 0.025): sigma is that
 * law's standard deviation, 0.025 / sqrt(3). */
GEN_STATIC gen gen_chirp(void)
{
    gen g = gen_alloc(301, 1, 1, 1);
    gsl_rng *r = gen_rng(5);
    const double *p = CHIRP_TRUE;
    for (size_t i = 0; i < g.n; i++) {
        double t = 0.005 * (double)i, t2 = t * t;
        g.x[i] = t;
        g.s[i] = 0.025 / sqrt(3.0);
        g.y[i] = p[0] * t * sin(p[1] * GEN_PI * t2 + p[2]) * exp(-p[3] * t2) +
                 gsl_ran_flat(r, -0.025, 0.025);
    }
    gsl_rng_free(r);
    g.xcols = "t", g.ycols = "y", g.scols = "sigma";
    g.comment = "# chirp p1 t sin(p2 pi t^2 + p3) exp(-p4 t^2), (p1..p4) = (4, 4, pi/2, 3)\n"
                "# (= 4 t cos(4 pi t^2) exp(-3 t^2)) at t = 0, 0.005, .., 1.5; noise\n"
                "# gsl_ran_flat(-0.025, 0.025) from GSL mt19937 seed 5, one per row;\n"
                "# sigma = 0.025 / sqrt(3), the standard deviation of that noise.\n";
    return g;
}

/* Kuramoto phases by classical RK4 with h = 1e-3 (independent of the
 * library's GSL integrator; its error is ~1e-11 here). */
GEN_STATIC void kura_rhs(const double *w, double k, const double *th, double *d)
{
    for (int i = 0; i < 3; i++) {
        double s = 0;
        for (int j = 0; j < 3; j++)
            s += sin(th[j] - th[i]);
        d[i] = w[i] + k / 3 * s;
    }
}

GEN_STATIC void kura_rk4(const double *p, double *th, double t)
{
    const double h = 1e-3;
    for (long step = 0, steps = lround(t / h); step < steps; step++) {
        double k1[3], k2[3], k3[3], k4[3], tmp[3];
        kura_rhs(p, p[3], th, k1);
        for (int i = 0; i < 3; i++) tmp[i] = th[i] + h / 2 * k1[i];
        kura_rhs(p, p[3], tmp, k2);
        for (int i = 0; i < 3; i++) tmp[i] = th[i] + h / 2 * k2[i];
        kura_rhs(p, p[3], tmp, k3);
        for (int i = 0; i < 3; i++) tmp[i] = th[i] + h * k3[i];
        kura_rhs(p, p[3], tmp, k4);
        for (int i = 0; i < 3; i++)
            th[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    }
}

GEN_STATIC gen gen_kuramoto(void)
{
    gen g = gen_alloc(41, 1, 3, 0);
    double th[3];
    memcpy(th, KURA_START, sizeof th);
    for (size_t i = 0; i < g.n; i++) {
        g.x[i] = 0.25 * (double)i;
        if (i > 0)
            kura_rk4(KURA_TRUE, th, 0.25);
        memcpy(g.y + 3 * i, th, sizeof th);
    }
    g.xcols = "t", g.ycols = "theta1,theta2,theta3", g.scols = NULL;
    g.comment = "# kuramoto, 3 oscillators: omega = (2.8, 1.9, 1.1), K = 1.5, phases at\n"
                "# t = 0 (0, pi, 0); t = 0, 0.25, .., 10 by classical RK4 with h = 1e-3\n"
                "# (error ~1e-11); no noise.\n";
    return g;
}

/* 20 points uniform in the disc of centre (10, 20) and radius 3, by
 * rejection from the square around it. */
GEN_STATIC gen gen_circle(void)
{
    gen g = gen_alloc(20, 1, 1, 0);
    gsl_rng *r = gen_rng(9);
    const double *c = CIRCLE_TRUE;
    for (size_t i = 0; i < g.n;) {
        double u = gsl_ran_flat(r, -c[2], c[2]), v = gsl_ran_flat(r, -c[2], c[2]);
        if (u * u + v * v > c[2] * c[2])
            continue;
        g.x[i] = c[0] + u, g.y[i] = c[1] + v;
        i++;
    }
    gsl_rng_free(r);
    g.xcols = "x", g.ycols = "y", g.scols = NULL;
    g.comment = "# 20 points uniform in the disc of centre (10, 20) and radius 3 (mystic's\n"
                "# circle example): pairs (u, v) = gsl_ran_flat(-3, 3) twice from GSL\n"
                "# mt19937 seed 9, kept when u^2 + v^2 <= 9; point (10 + u, 20 + v).\n";
    return g;
}

/* Bevington and Robinson, ch. 8: counts at t = 15, 30, .., 885 s. */
GEN_STATIC const double BR8_COUNTS[59] = {
    775, 479, 380, 302, 185, 157, 137, 119, 110, 89, 74, 61, 66, 68, 48,
    54,  51,  46,  55,  29,  28,  37,  49,  26,  35, 29, 31, 24, 25, 35,
    24,  30,  26,  28,  21,  18,  20,  27,  17,  17, 14, 17, 24, 11, 22,
    17,  12,  10,  13,  16,  9,   9,   14,  21,  17, 13, 12, 18, 10};

GEN_STATIC gen gen_br8(void)
{
    gen g = gen_alloc(59, 1, 1, 1);
    for (size_t i = 0; i < g.n; i++) {
        g.x[i] = 15.0 * (double)(i + 1);
        g.y[i] = BR8_COUNTS[i];
        g.s[i] = sqrt(BR8_COUNTS[i]);
    }
    g.xcols = "t", g.ycols = "counts", g.scols = "sigma";
    return g;
}

/* Counts ~ Poisson(b + A1 e^(-t/tau1) + A2 e^(-t/tau2)) on BR8's times,
 * sigma = sqrt(counts) as Bevington and Robinson weight them. */
GEN_STATIC gen gen_br8_poisson(const double *p, unsigned long seed)
{
    gen g = gen_alloc(59, 1, 1, 1);
    gsl_rng *r = gen_rng(seed);
    for (size_t i = 0; i < g.n; i++) {
        double t = 15.0 * (double)(i + 1);
        double mu = p[0] + p[1] * exp(-t / p[3]) + p[2] * exp(-t / p[4]);
        g.x[i] = t;
        g.y[i] = (double)gsl_ran_poisson(r, mu);
        g.s[i] = sqrt(g.y[i] > 0 ? g.y[i] : 1.0);
    }
    gsl_rng_free(r);
    return g;
}

#endif
