/* separable.c - the n-dimensional models whose minimum we find by
 * one-dimensional searches: schwefel, michalewicz (also listed as "michal")
 * and paviani.
 *
 * Each of these is a sum of one-coordinate terms (paviani plus a symmetric
 * product), so its global minimum for any n follows from 1-D minima:
 * - schwefel: every coordinate has the same minimiser; its value is a
 *   constant computed once to 25 digits and re-checked by the tests.
 * - michalewicz: coordinate i has its own minimiser, found on each call by
 *   Brent's method (GSL's gsl_min) over every hump of sin((i+1) x^2/pi)^20
 *   that could hold the minimum (see michal_coord for why that search is
 *   exhaustive), so the minimum is known for every n.
 * - paviani: the minimiser is symmetric (x_i = c), so a grid scan and
 *   Brent's method on the symmetric form give c for each n we support.
 * The searches run on the caller's stack with their own GSL workspace, so
 * concurrent calls are safe. Every reported minimum is summed term by term
 * in exactly the order the cost sums them, so cost(xmin) == fmin to the bit.
 * GSL reports a bad bracket through its global error handler (which aborts
 * by default), so every bracket is checked before GSL sees it. */
#include <math.h>
#include <stddef.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>

#include "models_int.h"

/* Brent's method on [lo, hi] from the interior guess g. Fails with
 * AUGUR_EFAILED unless f(g) is strictly below both ends, the condition GSL
 * would otherwise report through its error handler. Iterates until the
 * bracket is relatively tiny or 100 steps: the value converges long before
 * the point does, which is what a reported minimum needs. */
static int brent(gsl_min_fminimizer *s, gsl_function *fn, double lo, double g,
                 double hi, double *xbest, double *fbest)
{
    double flo = GSL_FN_EVAL(fn, lo);
    double fg = GSL_FN_EVAL(fn, g);
    double fhi = GSL_FN_EVAL(fn, hi);
    if (!(fg < flo && fg < fhi))
        return AUGUR_EFAILED;
    if (gsl_min_fminimizer_set_with_values(s, fn, g, fg, lo, flo, hi, fhi) !=
        GSL_SUCCESS)
        return AUGUR_EFAILED;
    for (int it = 0; it < 100; it++) {
        if (gsl_min_fminimizer_iterate(s) != GSL_SUCCESS)
            break;
        double a = gsl_min_fminimizer_x_lower(s);
        double b = gsl_min_fminimizer_x_upper(s);
        if (gsl_min_test_interval(a, b, 0.0, 1e-10) == GSL_SUCCESS)
            break;
    }
    *xbest = gsl_min_fminimizer_x_minimum(s);
    *fbest = gsl_min_fminimizer_f_minimum(s);
    return AUGUR_OK;
}

/* --- schwefel: sum -x_i sin(sqrt|x_i|) ----------------------------------- */

/* The per-coordinate minimiser on [-500, 500], the root of
 * sin(s) + (s/2) cos(s) = 0 with s = sqrt(x) near 20.5, solved to 25 digits
 * in extended precision. mystic quotes 420.9687465; its docstring's
 * -(N+1)*418.98... is wrong, the minimum is -418.98288727243370... * N. */
#define SCHWEFEL_XMIN 420.9687463599820273118444

static double schwefel_term(double x)
{
    return -x * sin(sqrt(fabs(x)));
}

double augur_model_schwefel(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_schwefel, x, n))
        return NAN;
    double f = 0.0;
    for (size_t i = 0; i < n; i++)
        f += schwefel_term(x[i]);
    return f;
}

/* Global within the box only: outside it the terms fall without bound. */
static int schwefel_minimum(size_t n, double *fmin, double *xmin)
{
    int rc = augur__model_min_args(&augur__model_schwefel, n, fmin);
    if (rc != AUGUR_OK)
        return rc;
    double f = 0.0;
    for (size_t i = 0; i < n; i++) {
        f += schwefel_term(SCHWEFEL_XMIN);
        if (xmin)
            xmin[i] = SCHWEFEL_XMIN;
    }
    *fmin = f;
    return AUGUR_OK;
}

const augur_model augur__model_schwefel = {
    .name = "schwefel",
    .doc = "sum -x_i sin(sqrt|x_i|) (Schwefel; Pohlheim)",
    .cost = augur_model_schwefel,
    .min_dim = 1,
    .max_dim = 0,
    .default_dim = 2,
    .box_lo = -500.0,
    .box_hi = 500.0,
    .minimum = schwefel_minimum,
};

/* --- michalewicz: -sum sin(x_i) sin((i+1) x_i^2 / pi)^20 ----------------- */

/* One coordinate's term; k = i + 1. The power is built by squaring, which
 * is exact for the even power and cheaper than pow(). */
static double michal_term(double x, double k)
{
    double s = sin(k * x * x / AUGUR__PI);
    double s2 = s * s, s4 = s2 * s2, s8 = s4 * s4, s10 = s8 * s2;
    return -sin(x) * (s10 * s10);
}

static double michal_fn(double x, void *params)
{
    return michal_term(x, *(const double *)params);
}

double augur_model_michalewicz(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_michalewicz, x, n))
        return NAN;
    double f = 0.0;
    for (size_t i = 0; i < n; i++)
        f += michal_term(x[i], (double)(i + 1));
    return f;
}

/* Search hump m of coordinate k: [pi sqrt(m/k), pi sqrt((m+1)/k)], between
 * two zeros of sin(k x^2/pi). Returns 0 without searching when even the
 * largest sin(x) on the hump cannot beat *fbest, 1 after a search, or a
 * negative status. */
static int michal_hump(gsl_min_fminimizer *s, double k, size_t m,
                       double *xbest, double *fbest)
{
    double lo = AUGUR__PI * sqrt((double)m / k);
    double hi = AUGUR__PI * sqrt((double)(m + 1) / k);
    double half = 0.5 * AUGUR__PI;
    double cap = (lo <= half && half <= hi) ? 1.0 : fmax(sin(lo), sin(hi));
    if (-cap >= *fbest)
        return 0;
    /* Where sin(k x^2/pi) = +-1: the term is negative there and 0 at the
     * hump's ends, so it brackets the hump's minimum. */
    double g = AUGUR__PI * sqrt(((double)m + 0.5) / k);
    gsl_function fn = {.function = michal_fn, .params = &k};
    double x, f;
    int rc = brent(s, &fn, lo, g, hi, &x, &f);
    if (rc != AUGUR_OK)
        return rc;
    if (f < *fbest) {
        *fbest = f;
        *xbest = x;
    }
    return 1;
}

/* The global minimum of one coordinate's term on [0, pi]. On each hump the
 * negated term is sin(x) times sin(k x^2/pi)^20, both log-concave there, so
 * the term has exactly one minimum per hump and Brent's method finds it. The
 * term is at least -sin(x), so walking outward from the hump that holds
 * pi/2 we can stop on each side at the first hump whose largest sin(x) is
 * no better than the best found: sin only falls further out. This is exact
 * for every k, where a fixed grid scan misses humps once k grows. */
static int michal_coord(gsl_min_fminimizer *s, double k, double *xbest,
                        double *fbest)
{
    size_t humps = (size_t)k;
    size_t mid = (size_t)(k / 4.0); /* pi sqrt(m/k) <= pi/2 iff m <= k/4 */
    if (mid >= humps)
        mid = humps - 1;
    *fbest = INFINITY;
    *xbest = 0.5 * AUGUR__PI;
    for (size_t m = mid + 1; m-- > 0;) {
        int rc = michal_hump(s, k, m, xbest, fbest);
        if (rc <= 0) {
            if (rc < 0)
                return rc;
            break;
        }
    }
    for (size_t m = mid + 1; m < humps; m++) {
        int rc = michal_hump(s, k, m, xbest, fbest);
        if (rc <= 0) {
            if (rc < 0)
                return rc;
            break;
        }
    }
    return AUGUR_OK;
}

static int michal_minimum_of(const augur_model *m, size_t n, double *fmin,
                             double *xmin)
{
    int rc = augur__model_min_args(m, n, fmin);
    if (rc != AUGUR_OK)
        return rc;
    gsl_min_fminimizer *s = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!s)
        return AUGUR_ENOMEM;
    double f = 0.0;
    for (size_t i = 0; i < n; i++) {
        double k = (double)(i + 1), x, fx;
        rc = michal_coord(s, k, &x, &fx);
        if (rc != AUGUR_OK)
            break;
        /* Re-evaluated through the cost's own term, summed in its order. */
        f += michal_term(x, k);
        if (xmin)
            xmin[i] = x;
    }
    gsl_min_fminimizer_free(s);
    if (rc == AUGUR_OK)
        *fmin = f;
    return rc;
}

static int michalewicz_minimum(size_t n, double *fmin, double *xmin)
{
    return michal_minimum_of(&augur__model_michalewicz, n, fmin, xmin);
}

static int michal_minimum(size_t n, double *fmin, double *xmin)
{
    return michal_minimum_of(&augur__model_michal, n, fmin, xmin);
}

const augur_model augur__model_michalewicz = {
    .name = "michalewicz",
    .doc = "-sum sin(x_i) sin((i+1) x_i^2/pi)^20 (Michalewicz; Pohlheim)",
    .cost = augur_model_michalewicz,
    .min_dim = 1,
    .max_dim = 0,
    .default_dim = 5,
    .box_lo = 0.0,
    .box_hi = AUGUR__PI,
    .minimum = michalewicz_minimum,
};

/* mystic's name for the same function. */
const augur_model augur__model_michal = {
    .name = "michal",
    .doc = "alias of michalewicz: -sum sin(x_i) sin((i+1) x_i^2/pi)^20",
    .cost = augur_model_michalewicz,
    .min_dim = 1,
    .max_dim = 0,
    .default_dim = 5,
    .box_lo = 0.0,
    .box_hi = AUGUR__PI,
    .minimum = michal_minimum,
};

/* --- paviani ------------------------------------------------------------- */

/* Largest n whose minimum we report. The symmetric minimiser c(n) crowds
 * against 10 as n grows (10 - c is 0.034 at n = 20, 0.0053 at 25, 7e-4 at
 * 30 and below double resolution by 100) and leaves the default box
 * [2.001, 9.999] just before n = 30. */
#define PAVIANI_MAX_MIN_DIM 25
/* Grid for the symmetric scan: step 0.002 on (2, 10). */
#define PAVIANI_GRID 4000

static double paviani_log_term(double x)
{
    double a = log(x - 2.0), b = log(10.0 - x);
    return a * a + b * b;
}

/* sum (ln(x_i - 2)^2 + ln(10 - x_i)^2) - (prod x_i)^0.2, +inf unless every
 * 2 < x_i < 10. The product is taken as exp(0.2 sum ln x_i): mystic's
 * direct product overflows once n passes about 300. */
double augur_model_paviani(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_paviani, x, n))
        return NAN;
    double f = 0.0, lsum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] > 2.0 && x[i] < 10.0))
            return INFINITY;
        f += paviani_log_term(x[i]);
        lsum += log(x[i]);
    }
    return f - exp(0.2 * lsum);
}

/* The cost at (c, ..., c) in closed form, for the 1-D search only. */
static double paviani_sym(double c, void *params)
{
    double n = *(const double *)params;
    return n * paviani_log_term(c) - exp(0.2 * n * log(c));
}

/* The symmetric minimiser: best grid point, then Brent between its two
 * neighbours. The symmetric form is not unimodal for every n, hence the
 * scan first. */
static int paviani_c(double n, double *c)
{
    double step = 8.0 / PAVIANI_GRID, best = INFINITY;
    size_t jbest = 0;
    for (size_t j = 1; j < PAVIANI_GRID; j++) {
        double v = paviani_sym(2.0 + step * (double)j, &n);
        if (v < best) {
            best = v;
            jbest = j;
        }
    }
    if (jbest < 2 || jbest > PAVIANI_GRID - 2)
        return AUGUR_EFAILED;
    gsl_min_fminimizer *s = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!s)
        return AUGUR_ENOMEM;
    gsl_function fn = {.function = paviani_sym, .params = &n};
    double f;
    int rc = brent(s, &fn, 2.0 + step * (double)(jbest - 1),
                   2.0 + step * (double)jbest, 2.0 + step * (double)(jbest + 1),
                   c, &f);
    gsl_min_fminimizer_free(s);
    return rc;
}

/* Known for 1 <= n <= PAVIANI_MAX_MIN_DIM (the anchor's table covers n = 1,
 * 3, 5, 8 and 10; the tests match it). The value is summed as the cost sums
 * it. */
static int paviani_minimum(size_t n, double *fmin, double *xmin)
{
    int rc = augur__model_min_args(&augur__model_paviani, n, fmin);
    if (rc != AUGUR_OK)
        return rc;
    if (n > PAVIANI_MAX_MIN_DIM)
        return AUGUR_EUNSUP;
    double c;
    rc = paviani_c((double)n, &c);
    if (rc != AUGUR_OK)
        return rc;
    double f = 0.0, lsum = 0.0;
    for (size_t i = 0; i < n; i++) {
        f += paviani_log_term(c);
        lsum += log(c);
        if (xmin)
            xmin[i] = c;
    }
    *fmin = f - exp(0.2 * lsum);
    return AUGUR_OK;
}

const augur_model augur__model_paviani = {
    .name = "paviani",
    .doc = "sum (ln(x_i-2)^2 + ln(10-x_i)^2) - (prod x_i)^0.2, +inf unless 2<x_i<10 (Paviani; Schittkowski)",
    .cost = augur_model_paviani,
    .min_dim = 1,
    .max_dim = 0,
    .default_dim = 10,
    .box_lo = 2.001,
    .box_hi = 9.999,
    .minimum = paviani_minimum,
};
