/* chebyshev.c - Storn and Price's polynomial-fitting problems as costs over
 * the coefficients (highest power first): find the polynomial of degree N
 * that stays inside [-1, 1] on [-1, 1] and rises at least as fast as the
 * Chebyshev polynomial T_N outside it. T_N is the answer, with cost 0.
 *
 * The cost is mystic's chebyshevNcost with M = 61: the polynomial p is
 * evaluated at 61 equally spaced points of [-1, 1], and each value outside
 * [-1, 1] adds (1 - p)^2. mystic writes that one expression for both sides,
 * so a value just below -1 costs about 4 while one just above 1 costs about
 * 0; we keep it, since the problem is defined by mystic's cost and T_N
 * reaches -1 only between the grid points (docs/MODELS.md). Then at x = 1.2
 * and at x = -1.2, p(x) < T_N(x) adds (p(x) - T_N(x))^2.
 *
 * The grid points are computed as (2i - (M-1)) / (M-1) rather than by
 * accumulating 2/(M-1), so x = -1, 0 and 1 are exact: T_N is exactly 1
 * there (integer arithmetic in Horner's rule), every other grid value is
 * at least 0.0014 inside the band, and the cost at T_N is exactly 0.
 * chebyshev8 takes 9 coefficients, chebyshev16 takes 17; the box is wide
 * enough to hold T_N's largest coefficient twice over. */
#include <math.h>
#include <stddef.h>

#include "models_int.h"

#define GRID 61                   /* mystic's M */
#define OUTER 1.2                 /* where p must outgrow T_N */

static const double t8[9] = {128, 0, -256, 0, 160, 0, -32, 0, 1};
static const double t16[17] = {32768, 0, -131072, 0, 212992, 0, -180224, 0, 84480,
                               0, -21504, 0, 2688, 0, -128, 0, 1};

static double horner(const double *c, size_t n, double x)
{
    double v = 0.0;
    for (size_t k = 0; k < n; k++)
        v = v * x + c[k];
    return v;
}

/* Below the target at x costs the square of the shortfall. */
static double shortfall(const double *p, const double *t, size_t n, double x)
{
    double d = horner(p, n, x) - horner(t, n, x);
    return d < 0.0 ? d * d : 0.0;
}

static double chebyshev_cost(const double *p, const double *t, size_t n)
{
    double f = 0.0;
    for (int i = 0; i < GRID; i++) {
        double x = (double)(2 * i - (GRID - 1)) / (double)(GRID - 1);
        double v = horner(p, n, x);
        if (v < -1.0 || v > 1.0)
            f += (1.0 - v) * (1.0 - v);     /* mystic's expression, both sides */
    }
    return f + shortfall(p, t, n, OUTER) + shortfall(p, t, n, -OUTER);
}

/* --- chebyshev8 ------------------------------------------------------------- */

static double chebyshev8(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_chebyshev8, x, n))
        return NAN;
    return chebyshev_cost(x, t8, n);
}

static int chebyshev8_minimum(size_t n, double *fmin, double *xmin)
{
    return augur__point_minimum(&augur__model_chebyshev8, n, t8, fmin, xmin);
}

const augur_model augur__model_chebyshev8 = {
    .name = "chebyshev8",
    .doc = "Storn-Price polynomial fit (mystic's chebyshev8cost, M = 61): "
           "0 at T8's coefficients, highest power first",
    .cost = chebyshev8,
    .min_dim = 9,
    .max_dim = 9,
    .default_dim = 9,
    .box_lo = -512.0,
    .box_hi = 512.0,
    .minimum = chebyshev8_minimum,
};

/* --- chebyshev16 ------------------------------------------------------------ */

static double chebyshev16(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_chebyshev16, x, n))
        return NAN;
    return chebyshev_cost(x, t16, n);
}

static int chebyshev16_minimum(size_t n, double *fmin, double *xmin)
{
    return augur__point_minimum(&augur__model_chebyshev16, n, t16, fmin, xmin);
}

const augur_model augur__model_chebyshev16 = {
    .name = "chebyshev16",
    .doc = "Storn-Price polynomial fit (mystic's chebyshev16cost, M = 61): "
           "0 at T16's coefficients, highest power first",
    .cost = chebyshev16,
    .min_dim = 17,
    .max_dim = 17,
    .default_dim = 17,
    .box_lo = -524288.0,
    .box_hi = 524288.0,
    .minimum = chebyshev16_minimum,
};
