/* classic.c - the classic n-dimensional test functions: De Jong's suite
 * (sphere, rosen, step, quartic), Pohlheim's smooth bowls (ellipsoid,
 * powers), the cosine-modulated ones (rastrigin, ackley, griewangk) and
 * Corana's parabola with flat pockets.
 *
 * Every minimum here is known in closed form, at a point whose coordinates
 * are all equal, so most models state it as data in their table (min_x,
 * min_f; the box likewise as box_lo, box_hi) and the registry reports it;
 * step's value depends on n and keeps a small function. Where
 * floating point could leave a stray 1e-16 at the minimiser (ackley,
 * griewangk) the terms are grouped so the minimum evaluates to exactly 0:
 * tests and solvers compare against the reported value, and a minimum that
 * the cost cannot reach would be a trap. Formulas and domains follow mystic's
 * models; where we differ, docs/MODELS.md says how and why. Everything is a
 * pure function of its arguments, except quartic, whose noise comes from the
 * caller's GSL generator. */
#include <math.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "models_int.h"

/* --- sphere: sum x_i^2 -------------------------------------------------- */

double augur_model_sphere(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_sphere, x, n))
        return NAN;
    double f = 0.0;
    for (size_t i = 0; i < n; i++)
        f += x[i] * x[i];
    return f;
}

const augur_model augur__model_sphere = {
    .name = "sphere",
    .doc = "sum x_i^2 (De Jong 1)",
    .cost = augur_model_sphere,
    .min_dim = 1,
    .max_dim = 0,
    .default_dim = 3,
    .box_lo = -5.12,
    .box_hi = 5.12,
    .uniform_min = 1,
    .min_x = 0.0,
    .min_f = 0.0,
};

/* --- rosen: sum 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2 ------------------ */

double augur_model_rosen(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_rosen, x, n))
        return NAN;
    double f = 0.0;
    for (size_t i = 0; i + 1 < n; i++) {
        double a = x[i + 1] - x[i] * x[i];
        double b = 1.0 - x[i];
        f += 100.0 * a * a + b * b;
    }
    return f;
}

const augur_model augur__model_rosen = {
    .name = "rosen",
    .doc = "sum 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2 (Rosenbrock, De Jong 2)",
    .cost = augur_model_rosen,
    .min_dim = 2,
    .max_dim = 0,
    .default_dim = 2,
    .box_lo = -5.0,
    .box_hi = 5.0,
    .uniform_min = 1,
    .min_x = 1.0,
    .min_f = 0.0,
};

/* --- step: 30 + sum floor(x_i) inside [-5.12, 5.12] ---------------------- */

/* Outside the box a coordinate adds 30 times its distance to the edge, as
 * mystic's code does (its docstring says 30 (1 + distance)); either way no
 * outside point beats the lowest plateau. */
static double step_term(double x)
{
    if (fabs(x) <= 5.12)
        return floor(x);
    return x > 5.12 ? 30.0 * (x - 5.12) : 30.0 * (5.12 - x);
}

double augur_model_step(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_step, x, n))
        return NAN;
    double f = 30.0;
    for (size_t i = 0; i < n; i++)
        f += step_term(x[i]);
    return f;
}

/* The whole plateau [-5.12, -5)^n is minimal; we report its middle, which
 * is robust to rounding at either edge. */
static int step_minimum(size_t n, double *fmin, double *xmin)
{
    return augur__const_minimum(&augur__model_step, n, -5.06,
                                30.0 - 6.0 * (double)n, fmin, xmin);
}

const augur_model augur__model_step = {
    .name = "step",
    .doc = "30 + sum s(x_i), s = floor(x) in [-5.12,5.12], 30 (|x| - 5.12) outside (De Jong 3)",
    .cost = augur_model_step,
    .min_dim = 1,
    .max_dim = 0,
    .default_dim = 5,
    .box_lo = -5.12,
    .box_hi = 5.12,
    .minimum = step_minimum,
};

/* --- quartic: sum (i+1) x_i^4 + u_i, u_i ~ U[0,1) ------------------------ */

/* data is a gsl_rng * (or NULL for no noise): drawing from the caller's
 * seeded generator keeps runs reproducible, where mystic draws from Python's
 * global random module. A generator is not thread-safe, so threads must not
 * share one. */
double augur_model_quartic(const double *x, size_t n, void *data)
{
    if (!augur__model_cost_ok(&augur__model_quartic, x, n))
        return NAN;
    gsl_rng *rng = data;
    double f = 0.0;
    for (size_t i = 0; i < n; i++) {
        double x2 = x[i] * x[i];
        double u = rng ? gsl_rng_uniform(rng) : 0.0;
        f += (double)(i + 1) * x2 * x2 + u;
    }
    return f;
}

const augur_model augur__model_quartic = {
    .name = "quartic",
    .doc = "sum (i+1) x_i^4 + u_i, u_i ~ U[0,1) from data (a gsl_rng *; NULL: no noise) (De Jong 4)",
    .cost = augur_model_quartic,
    .min_dim = 1,
    .max_dim = 0,
    .default_dim = 30,
    .box_lo = -1.28,
    .box_hi = 1.28,
    /* The noise-free minimum: with noise the expected value at 0 is n/2 and any
     * single draw lies in [0, n). */
    .uniform_min = 1,
    .min_x = 0.0,
    .min_f = 0.0,
};

/* --- ellipsoid: sum_i (sum_{j<=i} x_j)^2 --------------------------------- */

double augur_model_ellipsoid(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_ellipsoid, x, n))
        return NAN;
    double f = 0.0, partial = 0.0;
    for (size_t i = 0; i < n; i++) {
        partial += x[i];
        f += partial * partial;
    }
    return f;
}

const augur_model augur__model_ellipsoid = {
    .name = "ellipsoid",
    .doc = "sum_i (sum_{j<=i} x_j)^2 (Pohlheim's rotated hyper-ellipsoid)",
    .cost = augur_model_ellipsoid,
    .min_dim = 1,
    .max_dim = 0,
    .default_dim = 2,
    .box_lo = -65.536,
    .box_hi = 65.536,
    .uniform_min = 1,
    .min_x = 0.0,
    .min_f = 0.0,
};

/* --- powers: sum |x_i|^(i+2) --------------------------------------------- */

double augur_model_powers(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_powers, x, n))
        return NAN;
    double f = 0.0;
    for (size_t i = 0; i < n; i++)
        f += pow(fabs(x[i]), (double)(i + 2));
    return f;
}

const augur_model augur__model_powers = {
    .name = "powers",
    .doc = "sum |x_i|^(i+2) (Pohlheim's sum of different powers)",
    .cost = augur_model_powers,
    .min_dim = 1,
    .max_dim = 0,
    .default_dim = 2,
    .box_lo = -1.0,
    .box_hi = 1.0,
    .uniform_min = 1,
    .min_x = 0.0,
    .min_f = 0.0,
};

/* --- rastrigin: 10 n + sum (x_i^2 - 10 cos(2 pi x_i)) -------------------- */

double augur_model_rastrigin(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_rastrigin, x, n))
        return NAN;
    double f = 10.0 * (double)n;
    for (size_t i = 0; i < n; i++)
        f += x[i] * x[i] - 10.0 * cos(2.0 * AUGUR__PI * x[i]);
    return f;
}

const augur_model augur__model_rastrigin = {
    .name = "rastrigin",
    .doc = "10 n + sum (x_i^2 - 10 cos(2 pi x_i)) (Rastrigin; Pohlheim)",
    .cost = augur_model_rastrigin,
    .min_dim = 1,
    .max_dim = 0,
    .default_dim = 2,
    .box_lo = -5.12,
    .box_hi = 5.12,
    .uniform_min = 1,
    .min_x = 0.0,
    .min_f = 0.0,
};

/* --- ackley -------------------------------------------------------------- */

/* -20 exp(-0.2 r) - exp(c) + 20 + e, with r the root mean square of x and c
 * the mean of cos(2 pi x_i). Written as 20 (1 - exp(-0.2 r)) + (e - exp(c))
 * with e computed by the same exp() call: at 0 both brackets are exactly 0,
 * where the textbook order leaves about 4e-16. */
double augur_model_ackley(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_ackley, x, n))
        return NAN;
    double sq = 0.0, cs = 0.0;
    for (size_t i = 0; i < n; i++) {
        sq += x[i] * x[i];
        cs += cos(2.0 * AUGUR__PI * x[i]);
    }
    double r = sqrt(sq / (double)n);
    double c = cs / (double)n;
    return 20.0 * (1.0 - exp(-0.2 * r)) + (exp(1.0) - exp(c));
}

const augur_model augur__model_ackley = {
    .name = "ackley",
    .doc = "-20 exp(-0.2 sqrt(mean x_i^2)) - exp(mean cos(2 pi x_i)) + 20 + e (Ackley's path)",
    .cost = augur_model_ackley,
    .min_dim = 1,
    .max_dim = 0,
    .default_dim = 2,
    .box_lo = -32.768,
    .box_hi = 32.768,
    .uniform_min = 1,
    .min_x = 0.0,
    .min_f = 0.0,
};

/* --- griewangk: sum x_i^2 / 4000 - prod cos(x_i / sqrt(i+1)) + 1 --------- */

/* Grouped as (1 - prod) + sum / 4000 so the minimum is exactly 0. */
double augur_model_griewangk(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_griewangk, x, n))
        return NAN;
    double sum = 0.0, prod = 1.0;
    for (size_t i = 0; i < n; i++) {
        sum += x[i] * x[i];
        prod *= cos(x[i] / sqrt((double)(i + 1)));
    }
    return (1.0 - prod) + sum / 4000.0;
}

const augur_model augur__model_griewangk = {
    .name = "griewangk",
    .doc = "sum x_i^2/4000 - prod cos(x_i/sqrt(i+1)) + 1 (Griewank; Storn & Price)",
    .cost = augur_model_griewangk,
    .min_dim = 1,
    .max_dim = 0,
    .default_dim = 10,
    .box_lo = -400.0,
    .box_hi = 400.0,
    .uniform_min = 1,
    .min_x = 0.0,
    .min_f = 0.0,
};

/* --- corana -------------------------------------------------------------- */

/* Weights of the four slots. A vector shorter than 4 fills the slots in the
 * order 0, 2, 3, 1 (mystic pads it that way), so a 2-D corana weighs its
 * coordinates 1 and 10, not 1 and 1000; a 4-vector keeps its own order. */
static const double corana_weight[4] = {1.0, 1000.0, 10.0, 100.0};
static const size_t corana_short_slot[4] = {0, 2, 3, 1};

static double sign_of(double v)
{
    return (double)((v > 0.0) - (v < 0.0));
}

/* Near a multiple z of 0.2 (within 0.05) the parabola is replaced by a flat
 * pocket of height 0.15 (z - 0.05 sign z)^2 d; the pocket at 0 is the flat
 * global minimum. The 0.49999 rounding offset is mystic's and is kept. */
static double corana_term(double x, double d)
{
    double z = floor(fabs(x / 0.2) + 0.49999) * sign_of(x) * 0.2;
    if (fabs(x - z) < 0.05) {
        double t = z - 0.05 * sign_of(z);
        return 0.15 * t * t * d;
    }
    return d * x * x;
}

double augur_model_corana(const double *x, size_t n, void *data)
{
    (void)data;
    if (!augur__model_cost_ok(&augur__model_corana, x, n))
        return NAN;
    double f = 0.0;
    for (size_t i = 0; i < n; i++) {
        size_t slot = n < 4 ? corana_short_slot[i] : i;
        f += corana_term(x[i], corana_weight[slot]);
    }
    return f;
}

const augur_model augur__model_corana = {
    .name = "corana",
    .doc = "sum d_j x_j^2 with flat pockets near multiples of 0.2, d = (1,1000,10,100) (Corana; Storn & Price)",
    .cost = augur_model_corana,
    .min_dim = 1,
    .max_dim = 4,
    .default_dim = 4,
    .box_lo = -1000.0,
    .box_hi = 1000.0,
    /* Every point with all |x_i| < 0.05 is minimal; we report the centre. */
    .uniform_min = 1,
    .min_x = 0.0,
    .min_f = 0.0,
};
