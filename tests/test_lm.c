/* test_lm.c - augur_lm_fit (augur/lm.h) where GSL would abort or stop
 * early: a Jacobian that is zero everywhere LM can look, a plateau, and
 * the options (differences, geodesic acceleration, scaling). The NIST
 * problems from both starts are tests/test_lm_certified.c.
 *
 * The problem is NIST StRD's BoxBOD (Box, Hunter and Hunter 1978), y =
 * b1 (1 - exp(-b2 x)) on x = 1, 2, 3, 5, 7, 10, y = 109, 149, 149, 191,
 * 213, 224; certified b1 = 213.80940889, b2 = 0.54723748542, residual sum
 * of squares 1168.0088766. Every fit runs in a forked child (tests/forked.h)
 * with GSL's default error handler, which aborts: reaching it fails the
 * test instead of ending the suite. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "augur.h"
#include "augur/lm.h"
#include "forked.h"

static const double bod_x[6] = {1, 2, 3, 5, 7, 10};
static const double bod_y[6] = {109, 149, 149, 191, 213, 224};
static const double bod_b[2] = {2.1380940889E+02, 5.4723748542E-01};

static int boxbod(const double *p, size_t np, double *r, size_t n, void *data)
{
    (void)np;
    (void)data;
    for (size_t i = 0; i < n; i++)
        r[i] = p[0] * (1 - exp(-p[1] * bod_x[i])) - bod_y[i];
    return 0;
}

typedef struct lm_in {
    double p[2], lb[2], ub[2];
    int bounded;
    augur_lm_options opt;
} lm_in;

typedef struct lm_out {
    int rc;
    double p[2], cov[4];
    augur_lm_result res;
    char err[256];
} lm_out;

static void run_boxbod(const void *vin, void *vout)
{
    const lm_in *in = vin;
    lm_out *out = vout;
    memset(out, 0, sizeof *out);
    memcpy(out->p, in->p, sizeof out->p);
    out->res.covariance = out->cov;
    out->rc = augur_lm_fit(boxbod, NULL, 2, 6, out->p, in->bounded ? in->lb : NULL,
                           in->bounded ? in->ub : NULL, &in->opt, &out->res,
                           out->err, sizeof out->err);
    out->res.covariance = NULL;   /* a pointer into the child */
}

static lm_out fit_forked(const lm_in *in)
{
    lm_out out;
    char why[128];
    cr_assert(forked(run_boxbod, in, &out, sizeof out, why, sizeof why),
              "augur_lm_fit did not return: %s", why);
    return out;
}

/* The issue 17 crash: in [-99, 101]^2 from (101, 56.005), b1 is on its
 * upper bound with chi^2 pushing it out (held: its column zeroed) and
 * exp(-56 x) leaves b2's column exactly zero, so the whole Jacobian is
 * zero. GSL's LM then starts with mu = 0 and its QR solve aborts ("rank
 * must have 0 < rank <= N"). The fit must end instead, not converged,
 * saying why, with p still the start and the covariance all 0. */
Test(lm, zero_jacobian_ends_the_fit_with_a_reason)
{
    lm_in in = {.p = {101, 56.005}, .lb = {-99, -99}, .ub = {101, 101}, .bounded = 1};
    lm_out out = fit_forked(&in);
    cr_assert_eq(out.rc, AUGUR_OK, "%s", out.err);
    cr_assert_not(out.res.converged, "%s", out.res.reason);
    cr_assert(strstr(out.res.reason, "zero Jacobian"), "reason: %s", out.res.reason);
    cr_assert_eq(out.p[0], 101);
    cr_assert_eq(out.p[1], 56.005);
    for (size_t k = 0; k < 4; k++)
        cr_assert_eq(out.cov[k], 0, "cov[%zu] = %g", k, out.cov[k]);
}

/* Unbounded from NIST's Start 2 (100, 0.75) with the defaults: converged,
 * both parameters to 6 significant digits of the certified values. */
Test(lm, boxbod_from_start_2_reaches_the_certified_values)
{
    lm_in in = {.p = {100, 0.75}};
    lm_out out = fit_forked(&in);
    cr_assert_eq(out.rc, AUGUR_OK, "%s", out.err);
    cr_assert(out.res.converged, "%s", out.res.reason);
    for (size_t k = 0; k < 2; k++)
        cr_assert(fabs(out.p[k] - bod_b[k]) <= 1e-6 * fabs(bod_b[k]), "b%zu = %.12g",
                  k + 1, out.p[k]);
    cr_assert(fabs(out.res.chi2 - 1.1680088766E+03) <= 1e-8 * 1.1680088766E+03,
              "chi2 = %.12g", out.res.chi2);
}

/* NIST's Start 1 (1, 1) runs b2 up onto the plateau where exp(-b2 x) is 0
 * at every x: with More's scaling (the default) the fit stops there, and
 * says it did not converge because chi^2 is flat in b2 (measured: b1 =
 * 172.5, the mean of y). Levenberg's scaling (D = I) takes a path that
 * reaches the certified values (measured 9.0 digits). */
Test(lm, boxbod_start_1_plateau_is_not_called_converged)
{
    lm_in in = {.p = {1, 1}};
    lm_out out = fit_forked(&in);
    cr_assert_eq(out.rc, AUGUR_OK, "%s", out.err);
    cr_assert_not(out.res.converged, "%s", out.res.reason);
    cr_assert_str_eq(out.res.reason, "flat in 1 of 2 parameters");
    in.opt.scale = AUGUR_LM_SCALE_LEVENBERG;
    out = fit_forked(&in);
    cr_assert(out.res.converged, "%s", out.res.reason);
    for (size_t k = 0; k < 2; k++)
        cr_assert(fabs(out.p[k] - bod_b[k]) <= 1e-6 * fabs(bod_b[k]), "b%zu = %.12g",
                  k + 1, out.p[k]);
}

/* Every scaling, with and without geodesic acceleration, forward and
 * central differences, from Start 2: certified to 5 digits. */
Test(lm, options_all_reach_boxbod_from_start_2)
{
    for (int k = 0; k < 12; k++) {
        lm_in in = {.p = {100, 0.75},
                    .opt = {.scale = (augur_lm_scale)(1 + k % 3), .geodesic = k / 3 % 2,
                            .difference = k / 6 ? AUGUR_LM_FORWARD : AUGUR_LM_CENTRAL}};
        lm_out out = fit_forked(&in);
        cr_assert_eq(out.rc, AUGUR_OK, "%s", out.err);
        cr_assert(out.res.converged, "options %d: %s", k, out.res.reason);
        for (size_t j = 0; j < 2; j++)
            cr_assert(fabs(out.p[j] - bod_b[j]) <= 1e-5 * fabs(bod_b[j]),
                      "options %d: b%zu = %.12g", k, j + 1, out.p[j]);
    }
}

Test(lm, bad_options_are_refused)
{
    const augur_lm_options bad[] = {{.ftol = -1}, {.avmax = -1},
                                    {.difference = (augur_lm_difference)7},
                                    {.scale = (augur_lm_scale)9}};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        lm_in in = {.p = {100, 0.75}, .opt = bad[k]};
        lm_out out = fit_forked(&in);
        cr_assert_eq(out.rc, AUGUR_EINVAL, "options %zu: %s", k, out.err);
    }
}
