/* test_fit_recover.c - Criterion suite: fits that recover known parameters
 * with augur's solvers, every run seeded, every budget fixed.
 *
 * The pattern is the one docs/FITS.md recommends: differential evolution
 * over a box for the global search, augur_fit_polish (Levenberg-Marquardt)
 * to finish, augur_fit_report_at for the standard errors. With noisy data
 * the check is statistical - every parameter within 3 standard errors of
 * the truth - and the reduced chi-square near 1; with exact data it is
 * numerical. Each test logs what it recovered (criterion --verbose). The
 * data come from the recipes in fit_gen.h, which are also the files in
 * examples/data/. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>

#include "augur.h"
#include "augur/fit.h"
#include "fit_gen.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(fit_recover, .init = quiet_gsl);

#define MAXP 8

/* DE (best1bin, CR 0.9, F 0.8) for exactly gens generations of npop. */
static double de_fit(augur_fit *f, const double *lb, const double *ub, size_t npop,
                     size_t gens, uint64_t seed, double *best)
{
    size_t n = augur_fit_nparams(f);
    augur_solver *s = augur_solver_create("de", n);
    cr_assert_not_null(s);
    augur_solver_set_seed(s, seed);
    cr_assert_eq(augur_solver_set_bounds(s, lb, ub), AUGUR_OK);
    cr_assert_eq(augur_solver_set_param(s, "population-size", (double)npop), AUGUR_OK);
    augur_solver_set_evaluation_limits(s, gens, AUGUR_UNLIMITED);
    cr_assert_eq(augur_solve(s, augur_fit_cost, f, augur_term_evaluation_limits(gens, 0)),
                 AUGUR_OK, "%s", augur_solver_errmsg(s));
    memcpy(best, augur_solver_best_solution(s), n * sizeof *best);
    double e = augur_solver_best_energy(s);
    augur_solver_destroy(s);
    return e;
}

static void polish(augur_fit *f, double *p, const double *lb, const double *ub)
{
    char err[256] = "";
    cr_assert_eq(augur_fit_polish(f, p, lb, ub, err, sizeof err), AUGUR_OK, "%s", err);
}

static augur_fit_report report(augur_fit *f, const double *p, double *unc, const int *fixed)
{
    augur_fit_report r = {.uncertainty = unc, .fixed = fixed};
    char err[256] = "";
    cr_assert_eq(augur_fit_report_at(f, p, &r, err, sizeof err), AUGUR_OK, "%s", err);
    return r;
}

/* Log the answer and check every free parameter within 3 standard errors. */
static void within_3_se(augur_fit *f, const char *what, const double *p, const double *unc,
                        const double *truth, const augur_fit_report *r)
{
    char line[1024];
    int used = snprintf(line, sizeof line, "%s: chi2 %.4f, dof %zu, chi2_nu %.4f;", what,
                        r->cost, r->dof, r->reduced_chi_square);
    for (size_t i = 0; i < augur_fit_nparams(f); i++) {
        char name[32];
        augur_fit_param_name(f, i, name, sizeof name);
        used += snprintf(line + used, sizeof line - (size_t)used, " %s %.6g +- %.3g (%+.2f se)",
                         name, p[i], unc[i], unc[i] > 0 ? (p[i] - truth[i]) / unc[i] : 0.0);
        if (used >= (int)sizeof line)
            used = sizeof line - 1;
        if (unc[i] == 0)
            continue;             /* fixed */
        cr_expect(isfinite(unc[i]) && unc[i] > 0, "%s: %s has no uncertainty", what, name);
        cr_expect_leq(fabs(p[i] - truth[i]), 3 * unc[i], "%s: %s = %.10g, truth %.10g, se %.3g",
                      what, name, p[i], truth[i], unc[i]);
    }
    cr_log_info("%s", line);
    cr_expect(r->reduced_chi_square > 0.6 && r->reduced_chi_square < 1.6, "%s: chi2_nu %g",
              what, r->reduced_chi_square);
}

/* --- Polynomial: exact data ----------------------------------------------- */

/* 0.5 x^3 - 1.2 x^2 + 2 x + 3 at x = -2, -1.9, .., 2, no noise, unit weights:
 * DE gets close, polish lands on the coefficients. */
Test(fit_recover, polynomial_exact_data)
{
    const double truth[4] = {0.5, -1.2, 2.0, 3.0};
    double x[41], y[41];
    for (int i = 0; i < 41; i++) {
        x[i] = -2 + 0.1 * i;
        y[i] = ((truth[0] * x[i] + truth[1]) * x[i] + truth[2]) * x[i] + truth[3];
    }
    augur_data *d = augur_data_create(41, 1, 1, x, y, NULL);
    augur_fit *f = gen_fit_on(d, "polynomial", 4, AUGUR_METRIC_CHI_SQUARE);
    double lb[4] = {-10, -10, -10, -10}, ub[4] = {10, 10, 10, 10}, p[4], unc[4];
    double e = de_fit(f, lb, ub, 40, 100, 1, p);
    polish(f, p, lb, ub);
    for (int i = 0; i < 4; i++)
        cr_assert_lt(fabs(p[i] - truth[i]), 1e-8, "p[%d] = %.15g", i, p[i]);
    augur_fit_report r = report(f, p, unc, NULL);
    cr_assert_lt(r.cost, 1e-20);
    for (int i = 0; i < 4; i++)
        cr_assert_lt(unc[i], 1e-9, "exact data: the scatter is ~0, so are the errors");
    cr_log_info("polynomial: DE (40 x 100) %.3g, polished %.17g %.17g %.17g %.17g", e, p[0],
                p[1], p[2], p[3]);
    augur_fit_destroy(f);
    augur_data_destroy(d);
}

/* --- Gaussian peaks ------------------------------------------------------- */

/* Two peaks are interchangeable; the box on the centres keeps them apart
 * only loosely, so the answer is put in centre order before comparing. */
Test(fit_recover, gaussian_two_peaks)
{
    gen_fit gf = gen_fit_make(gen_peaks(), "gaussian-peaks", 7, AUGUR_METRIC_CHI_SQUARE);
    augur_fit *f = gf.f;
    double lb[7] = {-1, 0, 0, 0.05, 0, 0, 0.05}, ub[7] = {2, 5, 8, 2, 5, 8, 2};
    double p[7], unc[7];
    de_fit(f, lb, ub, 70, 300, 2, p);
    polish(f, p, lb, ub);
    if (p[2] > p[5])
        for (int k = 1; k <= 3; k++) {
            double t = p[k];
            p[k] = p[k + 3], p[k + 3] = t;
        }
    augur_fit_report r = report(f, p, unc, NULL);
    within_3_se(f, "gaussian-peaks", p, unc, PEAKS_TRUE, &r);
    gen_fit_free(&gf);
}

/* --- Lorentzian: n is a scale shared with the amplitudes ------------------ */

/* mystic's seven parameters are degenerate - multiplying a1, a2, a3, A0
 * and n by one factor changes nothing - so n is pinned to its true 1 by
 * the bounds (lb = ub), held fixed by the polish, and marked fixed for the
 * report. With n free, the curvature is singular and the report says so. */
Test(fit_recover, lorentzian_with_n_fixed)
{
    gen_fit gf = gen_fit_make(gen_lorentz(), "lorentzian", 0, AUGUR_METRIC_CHI_SQUARE);
    augur_fit *f = gf.f;
    double lb[7] = {-10, 0, -50, 0, 0, 0.01, 1}, ub[7] = {10, 100, 0, 100, 3, 1, 1};
    double p[7], unc[7];
    de_fit(f, lb, ub, 70, 600, 3, p);
    polish(f, p, lb, ub);
    cr_assert_eq(p[6], 1.0, "n stays pinned");
    augur_fit_report r = report(f, p, unc, (int[]){0, 0, 0, 0, 0, 0, 1});
    cr_assert_eq(r.dof, 151 - 6);
    within_3_se(f, "lorentzian", p, unc, LORENTZ_TRUE, &r);
    report(f, p, unc, NULL);
    for (int i = 0; i < 7; i++)
        cr_assert(isnan(unc[i]), "all seven free: singular, so %d is NaN (%g)", i, unc[i]);
    gen_fit_free(&gf);
}

/* --- Bevington & Robinson, chapter 8 -------------------------------------- */

/* The published table: DE over a wide box, then polish. The reference
 * answer and standard errors were computed outside the build in 40-digit
 * arithmetic (mpmath: exact derivatives, Newton's method to the optimum,
 * covariance 2 H^-1): chi2 66.0785235083489 at a = (10.1340974692,
 * 128.281139883, 957.770511177, 209.690782617, 34.2442851206), standard
 * errors (1.9985412, 22.946627, 50.528484, 34.225007, 2.7462472). LM's
 * Gauss-Newton errors, sqrt(diag inv(J'J)), are 5-9% smaller here: the
 * residuals' second-derivative term of the true curvature is not small. */
Test(fit_recover, br8_published_table)
{
    gen_fit gf = gen_fit_make(gen_br8(), "exponential-decays", 5, AUGUR_METRIC_CHI_SQUARE);
    augur_fit *f = gf.f;
    double lb[5] = {0, 0, 0, 50, 5}, ub[5] = {100, 1000, 5000, 1000, 100}, p[5], unc[5];
    de_fit(f, lb, ub, 50, 400, 4, p);
    polish(f, p, lb, ub);
    augur_fit_report r = report(f, p, unc, NULL);
    const double best[5] = {10.1340974692, 128.281139883, 957.770511177, 209.690782617,
                            34.2442851206};
    const double se[5] = {1.9985412, 22.946627, 50.528484, 34.225007, 2.7462472};
    for (int i = 0; i < 5; i++) {
        cr_expect_lt(fabs(p[i] - best[i]), 1e-6 * best[i], "a%d = %.10g", i + 1, p[i]);
        cr_expect_lt(fabs(unc[i] - se[i]), 1e-3 * se[i], "se(a%d) = %.8g", i + 1, unc[i]);
    }
    cr_expect_lt(fabs(r.cost - 66.0785235083489), 1e-9, "chi2 %.15g", r.cost);
    cr_expect_eq(r.dof, 54);
    cr_log_info("br8 (published): a1 %.5f +- %.5f, a2 %.4f +- %.4f, a3 %.3f +- %.3f, "
                "a4 %.4f +- %.4f, a5 %.5f +- %.5f; chi2 %.6f, dof %zu, chi2_nu %.5f",
                p[0], unc[0], p[1], unc[1], p[2], unc[2], p[3], unc[3], p[4], unc[4],
                r.cost, r.dof, r.reduced_chi_square);
    gen_fit_free(&gf);
}

/* Data drawn from the book's answer with Poisson noise (seed 8), so the
 * truth is known: recovered within 3 standard errors. */
Test(fit_recover, br8_generated_from_the_published_answer)
{
    const double truth[5] = {10.134098, 128.28114, 957.77051, 209.69078, 34.244285};
    gen_fit gf = gen_fit_make(gen_br8_poisson(truth, 8), "exponential-decays", 5,
                              AUGUR_METRIC_CHI_SQUARE);
    augur_fit *f = gf.f;
    double lb[5] = {0, 0, 0, 50, 5}, ub[5] = {100, 1000, 5000, 1000, 100}, p[5], unc[5];
    de_fit(f, lb, ub, 50, 400, 5, p);
    polish(f, p, lb, ub);
    augur_fit_report r = report(f, p, unc, NULL);
    within_3_se(f, "br8 (Poisson, seed 8)", p, unc, truth, &r);
    gen_fit_free(&gf);
}

/* A rough start (DE stopped after 10 generations) polished reaches the
 * same optimum as a converged search, to 1e-6. */
Test(fit_recover, polish_improves_a_rough_fit)
{
    gen_fit gf = gen_fit_make(gen_br8(), "exponential-decays", 5, AUGUR_METRIC_CHI_SQUARE);
    augur_fit *f = gf.f;
    double lb[5] = {0, 0, 0, 50, 5}, ub[5] = {100, 1000, 5000, 1000, 100}, rough[5];
    double good[5];
    double e_rough = de_fit(f, lb, ub, 50, 10, 6, rough);
    de_fit(f, lb, ub, 50, 400, 4, good);
    polish(f, good, lb, ub);
    double start[5];
    memcpy(start, rough, sizeof start);
    polish(f, rough, lb, ub);
    double e_polished = augur_fit_cost(rough, 5, f);
    cr_assert_gt(e_rough, e_polished + 1, "the rough fit was rough: %g", e_rough);
    for (int i = 0; i < 5; i++)
        cr_assert_lt(fabs(rough[i] - good[i]), 1e-6 * fabs(good[i]),
                     "a%d: %.12g from %.6g, optimum %.12g", i + 1, rough[i], start[i], good[i]);
    cr_log_info("polish: chi2 %.4f (DE, 10 generations) -> %.6f", e_rough, e_polished);
    gen_fit_free(&gf);
}

/* --- Mogi ----------------------------------------------------------------- */

Test(fit_recover, mogi_source_from_20_stations)
{
    gen_fit gf = gen_fit_make(gen_mogi(), "mogi", 0, AUGUR_METRIC_CHI_SQUARE);
    augur_fit *f = gf.f;
    double lb[4] = {1200, -540, 1, 0.001}, ub[4] = {1270, -460, 50, 10}, p[4], unc[4];
    de_fit(f, lb, ub, 40, 300, 7, p);
    polish(f, p, lb, ub);
    augur_fit_report r = report(f, p, unc, NULL);
    within_3_se(f, "mogi", p, unc, MOGI_TRUE, &r);
    gen_fit_free(&gf);
}

/* --- Chirp ---------------------------------------------------------------- */

/* The oscillation gives chi-square many local minima: LM alone from a
 * plain start stops in one of them; DE then LM finds the truth. */
Test(fit_recover, chirp_needs_a_global_search)
{
    gen_fit gf = gen_fit_make(gen_chirp(), "chirp", 0, AUGUR_METRIC_CHI_SQUARE);
    augur_fit *f = gf.f;
    double lb[4] = {0, 0, 0, 0}, ub[4] = {10, 10, 2 * GEN_PI, 10}, p[4], unc[4];
    double local[4] = {1, 1, 0, 1};
    polish(f, local, lb, ub);
    double e_local = augur_fit_cost(local, 4, f);
    de_fit(f, lb, ub, 40, 300, 9, p);
    polish(f, p, lb, ub);
    augur_fit_report r = report(f, p, unc, NULL);
    cr_expect_gt(e_local, 10 * r.cost, "LM alone: chi2 %g at (%g, %g, %g, %g)", e_local,
                 local[0], local[1], local[2], local[3]);
    cr_log_info("chirp: LM alone from (1, 1, 0, 1) ends at chi2 %.1f", e_local);
    within_3_se(f, "chirp", p, unc, CHIRP_TRUE, &r);
    gen_fit_free(&gf);
}

/* --- Kuramoto ------------------------------------------------------------- */

/* Noise-free phases (RK4, independent of the model's GSL integrator).
 * Start: each omega from the mean phase velocity, K = 0; LM does the rest. */
Test(fit_recover, kuramoto_three_oscillators)
{
    gen_fit gf = gen_fit_make(gen_kuramoto(), "kuramoto", 4, AUGUR_METRIC_SUM_OF_SQUARES);
    augur_fit *f = gf.f;
    const gen *g = &gf.g;
    double T = g->x[g->n - 1] - g->x[0], p[4], start[4];
    for (int i = 0; i < 3; i++)
        p[i] = (g->y[3 * (g->n - 1) + i] - g->y[i]) / T;
    p[3] = 0;
    memcpy(start, p, sizeof start);
    cr_assert_lt(augur_fit_cost(KURA_TRUE, 4, f), 1e-15, "the model reproduces the data");
    polish(f, p, NULL, NULL);
    for (int i = 0; i < 4; i++)
        cr_assert_lt(fabs(p[i] - KURA_TRUE[i]), 1e-4, "p[%d] = %.12g", i, p[i]);
    cr_log_info("kuramoto: start (%.4f, %.4f, %.4f, %.1f) -> omega (%.10f, %.10f, %.10f), "
                "K %.10f; sum of squares %.3g", start[0], start[1], start[2], start[3],
                p[0], p[1], p[2], p[3], augur_fit_cost(p, 4, f));
    gen_fit_free(&gf);
}

/* --- Chebyshev (model registry costs) ------------------------------------- */

Test(fit_recover, chebyshev_costs_vanish_at_t8_and_t16)
{
    const augur_model *m8 = augur_model_find("chebyshev8");
    const augur_model *m16 = augur_model_find("chebyshev16");
    cr_assert(m8 && m16);
    double t8[9] = {128, 0, -256, 0, 160, 0, -32, 0, 1}, f, x[17];
    double t16[17] = {32768, 0, -131072, 0, 212992, 0, -180224, 0, 84480,
                      0, -21504, 0, 2688, 0, -128, 0, 1};
    cr_assert_eq(m8->cost(t8, 9, NULL), 0.0);
    cr_assert_eq(m16->cost(t16, 17, NULL), 0.0);
    cr_assert_eq(augur_model_minimum(m8, 9, &f, x), AUGUR_OK);
    cr_assert(f == 0 && memcmp(x, t8, sizeof t8) == 0);
    cr_assert_eq(augur_model_minimum(m16, 17, &f, x), AUGUR_OK);
    cr_assert(f == 0 && memcmp(x, t16, sizeof t16) == 0);
    t8[8] = 1.5;                  /* shifted up: above 1 near x = +-1 */
    cr_assert_gt(m8->cost(t8, 9, NULL), 0.0);
    t8[8] = 1, t8[0] = 127;       /* too slow outside [-1, 1] */
    cr_assert_gt(m8->cost(t8, 9, NULL), 0.0);
    cr_assert(isnan(m8->cost(t8, 8, NULL)), "dimension 9 only");
}

/* mystic's example (test_ffit): NP = 10 (order + 1) = 90, best1exp, CR 1,
 * F 0.9, the population drawn from [-100, 100]^9, no bounds. Budget: 1000
 * generations (90,090 evaluations); it stops at the first generation whose
 * best is within 1e-7 of 0. The cost is 0 on a small set around T8 (its
 * constraints only bind on the 61 grid points), so DE lands on exact 0
 * near, not at, T8's coefficients. */
Test(fit_recover, de_solves_chebyshev8)
{
    const augur_model *m = augur_model_find("chebyshev8");
    augur_solver *s = augur_solver_create("de", 9);
    double lo[9], hi[9];
    for (int i = 0; i < 9; i++)
        lo[i] = -100, hi[i] = 100;
    augur_solver_set_seed(s, 10);
    cr_assert_eq(augur_solver_set_random_initial_points(s, lo, hi), AUGUR_OK);
    augur_solver_set_param(s, "population-size", 90);
    cr_assert_eq(augur_solver_set_param_string(s, "strategy", "best1exp"), AUGUR_OK);
    augur_solver_set_param(s, "cross-probability", 1.0);
    augur_solver_set_param(s, "scaling-factor", 0.9);
    augur_solver_set_evaluation_limits(s, 1000, AUGUR_UNLIMITED);
    cr_assert_eq(augur_solve(s, m->cost, NULL, augur_term_vtr(1e-7, 0)), AUGUR_OK);
    double f = augur_solver_best_energy(s);
    const double *b = augur_solver_best_solution(s);
    cr_assert_lt(f, 1e-6, "f = %g after %zu generations", f, augur_solver_generations(s));
    cr_log_info("chebyshev8: f = %g after %zu generations (%zu evaluations); "
                "%.3f %.3f %.3f %.3f %.3f %.3f %.3f %.3f %.3f", f,
                augur_solver_generations(s), augur_solver_evaluations(s), b[0], b[1], b[2],
                b[3], b[4], b[5], b[6], b[7], b[8]);
    augur_solver_destroy(s);
}

/* --- The minimal enclosing circle ----------------------------------------- */

static int holds(const double *c, const double *x, const double *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (hypot(x[i] - c[0], y[i] - c[1]) > c[2] * (1 + 1e-12))
            return 0;
    return 1;
}

/* The smallest enclosing circle passes through 2 points (a diameter) or 3
 * (their circumcircle): try them all. */
static void enclosing_circle(const double *x, const double *y, size_t n, double *best)
{
    best[2] = INFINITY;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double c[3] = {(x[i] + x[j]) / 2, (y[i] + y[j]) / 2,
                           hypot(x[i] - x[j], y[i] - y[j]) / 2};
            if (c[2] < best[2] && holds(c, x, y, n))
                memcpy(best, c, sizeof c);
            for (size_t k = j + 1; k < n; k++) {
                double bx = x[j] - x[i], by = y[j] - y[i], cx = x[k] - x[i], cy = y[k] - y[i];
                double dd = 2 * (bx * cy - by * cx);
                if (dd == 0)
                    continue;
                double ux = (cy * (bx * bx + by * by) - by * (cx * cx + cy * cy)) / dd;
                double uy = (bx * (cx * cx + cy * cy) - cx * (bx * bx + by * by)) / dd;
                double cc[3] = {x[i] + ux, y[i] + uy, hypot(ux, uy)};
                if (cc[2] < best[2] && holds(cc, x, y, n))
                    memcpy(best, cc, sizeof cc);
            }
        }
}

Test(fit_recover, circle_is_the_smallest_enclosing_circle)
{
    gen g = gen_circle();
    augur_data *d = gen_data(&g);
    double exact[3];
    enclosing_circle(g.x, g.y, g.n, exact);
    augur_solver *s = augur_solver_create("de", 3);
    double lb[3] = {0, 10, 0}, ub[3] = {20, 30, 10};
    augur_solver_set_seed(s, 11);
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_param(s, "population-size", 30);
    augur_solver_set_evaluation_limits(s, 500, AUGUR_UNLIMITED);
    cr_assert_eq(augur_solve(s, augur_circle_cost, d, augur_term_evaluation_limits(500, 0)),
                 AUGUR_OK);
    const double *c = augur_solver_best_solution(s);
    cr_assert_lt(fabs(augur_solver_best_energy(s) - exact[2]), 1e-6, "r %.10g vs %.10g",
                 augur_solver_best_energy(s), exact[2]);
    cr_assert_lt(hypot(c[0] - exact[0], c[1] - exact[1]), 1e-5, "centre (%.8g, %.8g) vs "
                 "(%.8g, %.8g)", c[0], c[1], exact[0], exact[1]);
    cr_log_info("circle: (%.6f, %.6f) r %.6f; exact (%.6f, %.6f) r %.6f; truth (10, 20) r 3",
                c[0], c[1], c[2], exact[0], exact[1], exact[2]);
    augur_solver_destroy(s);
    augur_data_destroy(d);
    gen_free(&g);
}
