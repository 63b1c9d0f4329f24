/* test_lm_certified.c - augur_lm_fit with its defaults on the NIST StRD
 * nonlinear regression problems (Statistical Reference Datasets, NIST
 * Information Technology Laboratory, 1999-2000; https://www.itl.nist.gov/
 * div898/strd/nls/nls_main.shtml), from both of NIST's published starts.
 *
 * Data, starts and certified values are read from NIST's own .dat files
 * in tests/data/nist/ (tests/nist_strd.h; see its README); nothing here
 * computes a certified value. All 26 one-predictor problems are here
 * (Nelson, with two predictors, is not): lower difficulty (Misra1a,
 * Chwirut1/2, Lanczos3, Gauss1/2, DanWood, Misra1b), average (Kirby2,
 * Hahn1, MGH17, Lanczos1/2, Gauss3, Misra1c/d, Roszman1, ENSO) and
 * higher (MGH09, Thurber, BoxBOD, Rat42, MGH10, Eckerle4, Rat43,
 * Bennett5).
 *
 * Each fit runs unbounded in a forked child with GSL's default error
 * handler (tests/forked.h), so an abort fails one test and not the suite.
 * A fit passes when it converged and every parameter has at least 4
 * correct significant digits: NIST's log relative error, -log10(|b - c| /
 * |c|), >= 4. Measured with GSL 2.7.1 (the defaults: central differences,
 * 10000 iterations, xtol = gtol = 1e-12, ftol = 1e-15, More scaling):
 * smallest LRE over the parameters, and iterations, from Start 1 / 2:
 *
 *   problem   digits S1 S2  iterations
 *   Misra1a    10.9   8.2     16     6
 *   Chwirut2    8.5   9.9     13     8
 *   Chwirut1    9.8   9.9     13     8
 *   Lanczos3    8.1   9.2     98    96
 *   Gauss1     10.6  10.6      6     6
 *   Gauss2      9.9  10.3      6     7
 *   DanWood    11.0  10.9      7     5
 *   Misra1b     9.4  10.4     12     7
 *   Kirby2      9.9   9.9     12    11
 *   Hahn1       8.6   9.4     23    21
 *   MGH17       8.8  10.7    567    26
 *   Lanczos1    9.1   8.8     94    91
 *   Lanczos2    8.0   8.0     93    90
 *   Gauss3     10.0   8.9      7     6
 *   Misra1c     9.2  10.7      7     8
 *   Misra1d     9.4  11.2      8     8
 *   Roszman1    9.2   9.3      9     7
 *   ENSO        6.8   6.9     34    35
 *   MGH09       7.6   8.0     77    15
 *   Thurber     8.2   8.0     37    27
 *   BoxBOD     -2.3   9.2      7    14
 *   Rat42       9.4   9.7     10     7
 *   MGH10       9.7   9.9   7627   143
 *   Eckerle4    9.8   9.8     32     9
 *   Rat43       8.2   8.9     18    10
 *   Bennett5    7.7   8.2    270   302
 *
 * The one fit LM alone does not solve is BoxBOD from Start 1 (1, 1): b2
 * runs onto the plateau where exp(-b2 x) is 0 at every x and the fit stops
 * at b1 = 172.5 (the mean of y), b2 = 114.8, reporting "flat in 1 of 2
 * parameters", not converged. That is asserted below as the documented
 * expectation; reaching the certified values from there is the work of a
 * multi-start strategy (issue 17), or of Levenberg scaling, which solves
 * it (tests/test_lm.c). MGH09 and MGH10, famous for failing from Start 1,
 * are solved: MGH10 takes 7627 iterations, which the old limit of 200 cut
 * short. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "augur.h"
#include "augur/lm.h"
#include "forked.h"
#include "nist_strd.h"

typedef struct cert_in {
    nist_problem pr;
    int start;              /* 0 or 1: NIST's Start 1 or 2 */
} cert_in;

typedef struct cert_out {
    int rc;
    double b[NIST_MAXP];
    augur_lm_result res;
    char err[256];
} cert_out;

static void run_fit(const void *vin, void *vout)
{
    const cert_in *in = vin;
    cert_out *out = vout;
    memset(out, 0, sizeof *out);
    memcpy(out->b, in->pr.start[in->start], sizeof out->b);
    out->rc = augur_lm_fit(nist_residuals, (void *)&in->pr, in->pr.np, in->pr.n, out->b,
                           NULL, NULL, NULL, &out->res, out->err, sizeof out->err);
}

/* The fit of name from start (0, 1) in a child; the smallest LRE over the
 * parameters into *digits. */
static cert_out fit(const char *name, int start, double *digits)
{
    static cert_in in;
    char why[256];
    cr_assert_eq(nist_load(AUGUR_NIST_DIR, name, &in.pr, why, sizeof why), 0, "%s", why);
    in.start = start;
    cert_out out;
    cr_assert(forked(run_fit, &in, &out, sizeof out, why, sizeof why),
              "%s from Start %d: augur_lm_fit did not return: %s", name, start + 1, why);
    cr_assert_eq(out.rc, AUGUR_OK, "%s from Start %d: %s", name, start + 1, out.err);
    *digits = nist_min_lre(out.b, &in.pr);
    return out;
}

static void certified(const char *name)
{
    for (int s = 0; s < 2; s++) {
        double digits;
        cert_out out = fit(name, s, &digits);
        cr_assert(out.res.converged, "%s from Start %d: not converged (%s)", name, s + 1,
                  out.res.reason);
        cr_assert(digits >= 4, "%s from Start %d: %.2f correct digits (%s, %zu "
                  "iterations)", name, s + 1, digits, out.res.reason, out.res.iterations);
    }
}

#define CERTIFIED(name) \
    Test(lm_certified, name) { certified(#name); }

CERTIFIED(Misra1a)
CERTIFIED(Chwirut2)
CERTIFIED(Chwirut1)
CERTIFIED(Lanczos3)
CERTIFIED(Gauss1)
CERTIFIED(Gauss2)
CERTIFIED(DanWood)
CERTIFIED(Misra1b)
CERTIFIED(Kirby2)
CERTIFIED(Hahn1)
CERTIFIED(MGH17)
CERTIFIED(Lanczos1)
CERTIFIED(Lanczos2)
CERTIFIED(Gauss3)
CERTIFIED(Misra1c)
CERTIFIED(Misra1d)
CERTIFIED(Roszman1)
CERTIFIED(ENSO)
CERTIFIED(MGH09)
CERTIFIED(Thurber)
CERTIFIED(Rat42)
CERTIFIED(MGH10)
CERTIFIED(Eckerle4)
CERTIFIED(Rat43)
CERTIFIED(Bennett5)

/* BoxBOD: Start 2 to the certified values; Start 1 the documented
 * exception above - not converged, on the plateau, saying so. Should LM
 * come to solve it, this test fails and the expectation should move. */
Test(lm_certified, BoxBOD)
{
    double digits;
    cert_out out = fit("BoxBOD", 1, &digits);
    cr_assert(out.res.converged, "BoxBOD from Start 2: %s", out.res.reason);
    cr_assert(digits >= 4, "BoxBOD from Start 2: %.2f digits", digits);
    out = fit("BoxBOD", 0, &digits);
    cr_assert_not(out.res.converged, "BoxBOD from Start 1: %s, %.2f digits",
                  out.res.reason, digits);
    cr_assert_str_eq(out.res.reason, "flat in 1 of 2 parameters");
    cr_assert_lt(digits, 4);
}

/* The reader found what the files say (spot checks against the NIST
 * pages): sizes, a start, a certified value, the residual sum of squares,
 * the first and last data rows. */
Test(lm_certified, reader_reads_the_files)
{
    static nist_problem pr;
    char why[256];
    cr_assert_eq(nist_load(AUGUR_NIST_DIR, "MGH09", &pr, why, sizeof why), 0, "%s", why);
    cr_assert_eq(pr.np, 4);
    cr_assert_eq(pr.n, 11);
    cr_assert_eq(pr.start[0][2], 41.5);
    cr_assert_eq(pr.start[1][2], 0.415);
    cr_assert_eq(pr.certified[0], 1.9280693458E-01);
    cr_assert_eq(pr.rss, 3.0750560385E-04);
    cr_assert_eq(pr.y[0], 1.957000E-01);
    cr_assert_eq(pr.x[0], 4.000000E+00);
    cr_assert_eq(pr.x[10], 6.250000E-02);
    for (size_t k = 0; k < NIST_NPROBLEMS; k++) {
        cr_assert_eq(nist_load(AUGUR_NIST_DIR, nist_models[k].name, &pr, why, sizeof why),
                     0, "%s", why);
        cr_assert(pr.np >= 2 && pr.n > pr.np && pr.rss > 0, "%s", pr.name);
    }
}
