/* bbob.c - landscapes of the BBOB noiseless testbed (Hansen, Finck, Ros
 * and Auger, "Real-Parameter Black-Box Optimization Benchmarking 2009:
 * Noiseless Functions Definitions"): the ill-conditioned ones CMA-ES is
 * made for (separable and rotated ellipsoid, discus, bent cigar, sharp
 * ridge, different powers), rotated Rastrigin, and the weakly structured
 * multimodal ones (Weierstrass, Schaffer F7, Katsuura, Lunacek
 * bi-Rastrigin).
 *
 * The formulas, transformations (T_osz, T_asy, Lambda) and penalties are
 * BBOB's; what differs is the instance: f* = 0 (no f_opt added), and the
 * optimum sits at one documented point x*_i = 3.5 sin(i + 1) (Lunacek:
 * 1.25 with signs +, -, +, ...) instead of a random one, so the reported
 * minimum is the cost at x*, exactly 0. The two orthogonal matrices R and
 * Q of each dimension are drawn once from GSL's mt19937 with a fixed seed
 * per (matrix, n) - a matrix of standard normals, orthonormalised row by
 * row by Gram-Schmidt, as BBOB does with its own generator - and cached
 * for the life of the process: the first caller for an n builds them under
 * a mutex and publishes them with a release store, later callers read them
 * with an acquire load, so every thread sees the same matrices and costs
 * stay pure functions of x. Dimensions 2 to 40; box [-5, 5]^n. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "models_int.h"

#define BBOB_MAXN 40

/* --- The fixed instance: x*, R and Q ------------------------------------- */

static double xstar(size_t i)
{
    return 3.5 * sin((double)i + 1.0);
}

static _Atomic(double *) rotations[2][BBOB_MAXN + 1];
static pthread_mutex_t rotations_lock = PTHREAD_MUTEX_INITIALIZER;

/* Rows of normals from a fixed seed, made orthonormal by (modified)
 * Gram-Schmidt; a row that comes out degenerate is drawn again. */
static double *make_rotation(size_t n, unsigned long seed)
{
    double *m = malloc(n * n * sizeof *m);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!m || !rng) {
        free(m);
        gsl_rng_free(rng);
        return NULL;
    }
    gsl_rng_set(rng, seed);
    for (size_t i = 0; i < n; i++) {
        double *r = m + i * n, len = 0;
        while (len < 1e-8) {
            for (size_t j = 0; j < n; j++)
                r[j] = gsl_ran_gaussian(rng, 1.0);
            for (size_t k = 0; k < i; k++) {
                double dot = 0;
                for (size_t j = 0; j < n; j++)
                    dot += r[j] * m[k * n + j];
                for (size_t j = 0; j < n; j++)
                    r[j] -= dot * m[k * n + j];
            }
            len = 0;
            for (size_t j = 0; j < n; j++)
                len += r[j] * r[j];
            len = sqrt(len);
        }
        for (size_t j = 0; j < n; j++)
            r[j] /= len;
    }
    gsl_rng_free(rng);
    return m;
}

/* R (which = 0) or Q (which = 1) for dimension n; NULL when out of memory. */
static const double *rotation(int which, size_t n)
{
    double *m = atomic_load_explicit(&rotations[which][n], memory_order_acquire);
    if (m)
        return m;
    pthread_mutex_lock(&rotations_lock);
    m = atomic_load_explicit(&rotations[which][n], memory_order_relaxed);
    if (!m) {
        m = make_rotation(n, 20090u + 1000u * (unsigned long)which + (unsigned long)n);
        atomic_store_explicit(&rotations[which][n], m, memory_order_release);
    }
    pthread_mutex_unlock(&rotations_lock);
    return m;
}

/* --- BBOB's transformations ---------------------------------------------- */

/* y = M x (M n x n, row-major); y and x must differ. */
static void rotate(const double *M, const double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (size_t j = 0; j < n; j++)
            s += M[i * n + j] * x[j];
        y[i] = s;
    }
}

static double t_osz1(double x)
{
    if (x == 0)
        return 0;
    double h = log(fabs(x));
    double c1 = x > 0 ? 10 : 5.5, c2 = x > 0 ? 7.9 : 3.1;
    return (x > 0 ? 1 : -1) * exp(h + 0.049 * (sin(c1 * h) + sin(c2 * h)));
}

static void t_osz(double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = t_osz1(x[i]);
}

static void t_asy(double *x, size_t n, double beta)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] > 0)
            x[i] = pow(x[i], 1 + beta * (double)i / (double)(n - 1) * sqrt(x[i]));
}

/* x_i *= alpha^(i / (2 (n - 1))): BBOB's Lambda^alpha. */
static void lambda(double *x, size_t n, double alpha)
{
    for (size_t i = 0; i < n; i++)
        x[i] *= pow(alpha, 0.5 * (double)i / (double)(n - 1));
}

static double f_pen(const double *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(x[i]) - 5;
        if (d > 0)
            s += d * d;
    }
    return s;
}

/* z = x - x*, then z = R z when rotated; 0 when R is missing. */
static int shifted(const double *x, size_t n, int rotated, double *z)
{
    double t[BBOB_MAXN];
    for (size_t i = 0; i < n; i++)
        t[i] = x[i] - xstar(i);
    const double *R = rotated ? rotation(0, n) : NULL;
    if (rotated && !R)
        return 0;
    for (size_t i = 0; i < n; i++)
        z[i] = t[i];
    if (rotated)
        rotate(R, t, z, n);
    return 1;
}

/* --- The ill-conditioned ones -------------------------------------------- */

static double ellipsoid_sum(const double *z, size_t n)
{
    double f = 0;
    for (size_t i = 0; i < n; i++)
        f += pow(10, 6 * (double)i / (double)(n - 1)) * z[i] * z[i];
    return f;
}

/* f2: z = T_osz(x - x*), sum 10^(6 i/(n-1)) z_i^2 (condition 1e6). */
static double cost_ill_ellipsoid(const double *x, size_t n, void *data);
/* f10: the same with z = T_osz(R (x - x*)). */
static double cost_rot_ellipsoid(const double *x, size_t n, void *data);

static double ellipsoid_of(const augur_model *m, const double *x, size_t n, int rot)
{
    double z[BBOB_MAXN];
    if (!augur__model_cost_ok(m, x, n) || !shifted(x, n, rot, z))
        return NAN;
    t_osz(z, n);
    return ellipsoid_sum(z, n);
}

/* f11: z = T_osz(R (x - x*)), 1e6 z_0^2 + sum_{i>0} z_i^2. */
static double cost_discus(const double *x, size_t n, void *data);
/* f12: z = R T_asy^0.5(R (x - x*)), z_0^2 + 1e6 sum_{i>0} z_i^2. */
static double cost_bent_cigar(const double *x, size_t n, void *data);
/* f13: z = Q Lambda^10 R (x - x*), z_0^2 + 100 sqrt(sum_{i>0} z_i^2). */
static double cost_sharp_ridge(const double *x, size_t n, void *data);
/* f14: z = R (x - x*), sqrt(sum |z_i|^(2 + 4 i/(n-1))). */
static double cost_diff_powers(const double *x, size_t n, void *data);

/* --- Rastrigin and the weakly structured ones ---------------------------- */

/* f15: z = R Lambda^10 Q T_asy^0.2(T_osz(R (x - x*))),
 * 10 sum (1 - cos(2 pi z_i)) + sum z_i^2. */
static double cost_rot_rastrigin(const double *x, size_t n, void *data);
/* f16: z = R Lambda^(1/100) Q T_osz(R (x - x*)),
 * 10 (mean_i (w(z_i) - w(0)))^3 + 10/n f_pen(x),
 * w(z) = sum_{k<12} 2^-k cos(2 pi 3^k (z + 1/2)). */
static double cost_weierstrass(const double *x, size_t n, void *data);
/* f17: z = Lambda^10 T_asy^0.5(R (x - x*)), s_i = sqrt(z_i^2 + z_{i+1}^2),
 * (mean_{i<n-1} sqrt(s_i) (1 + sin^2(50 s_i^0.2)))^2 + 10 f_pen(x). */
static double cost_schaffer(const double *x, size_t n, void *data);
/* f23: z = Q Lambda^100 R (x - x*), 10/n^2 prod (1 + (i+1) sum_{j=1..32}
 * |2^j z_i - [2^j z_i]| 2^-j)^(10/n^1.2) - 10/n^2 + f_pen(x). */
static double cost_katsuura(const double *x, size_t n, void *data);
/* f24: see lunacek_sum. */
static double cost_lunacek(const double *x, size_t n, void *data);

/* --- Descriptors ---------------------------------------------------------- */

static int bbob_minimum(const augur_model *m, size_t n, double *fmin, double *xmin)
{
    double xs[BBOB_MAXN];
    int rc = augur__model_min_args(m, n, fmin);
    if (rc != AUGUR_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        xs[i] = m->cost == cost_lunacek ? (i % 2 ? -1.25 : 1.25) : xstar(i);
    return augur__point_minimum(m, n, xs, fmin, xmin);
}

#define BBOB_MODEL(var, nm, fn, text)                                          \
    static int var##_minimum(size_t n, double *fmin, double *xmin)            \
    {                                                                          \
        return bbob_minimum(&augur__model_##var, n, fmin, xmin);               \
    }                                                                          \
    const augur_model augur__model_##var = {                                   \
        .name = nm, .doc = text, .cost = fn, .min_dim = 2,                     \
        .max_dim = BBOB_MAXN, .default_dim = 10, .box_lo = -5.0,               \
        .box_hi = 5.0, .minimum = var##_minimum,                               \
    }

BBOB_MODEL(ill_ellipsoid, "ill-ellipsoid", cost_ill_ellipsoid,
           "sum 10^(6i/(n-1)) z_i^2, z = T_osz(x - x*) (BBOB f2, condition 1e6)");
BBOB_MODEL(rot_ellipsoid, "rot-ellipsoid", cost_rot_ellipsoid,
           "ill-ellipsoid with z = T_osz(R (x - x*)) (BBOB f10)");
BBOB_MODEL(discus, "discus", cost_discus,
           "1e6 z_0^2 + sum_{i>0} z_i^2, z = T_osz(R (x - x*)) (BBOB f11)");
BBOB_MODEL(bent_cigar, "bent-cigar", cost_bent_cigar,
           "z_0^2 + 1e6 sum_{i>0} z_i^2, z = R T_asy^0.5(R (x - x*)) (BBOB f12)");
BBOB_MODEL(sharp_ridge, "sharp-ridge", cost_sharp_ridge,
           "z_0^2 + 100 sqrt(sum_{i>0} z_i^2), z = Q Lambda^10 R (x - x*) (BBOB f13)");
BBOB_MODEL(diff_powers, "diff-powers", cost_diff_powers,
           "sqrt(sum |z_i|^(2+4i/(n-1))), z = R (x - x*) (BBOB f14)");
BBOB_MODEL(rot_rastrigin, "rot-rastrigin", cost_rot_rastrigin,
           "10 sum (1 - cos 2 pi z_i) + |z|^2, z = R L^10 Q T_asy^0.2(T_osz(R (x - x*))) (BBOB f15)");
BBOB_MODEL(weierstrass, "weierstrass", cost_weierstrass,
           "10 (mean w(z_i) - w(0))^3 + 10/n f_pen, z = R L^0.01 Q T_osz(R (x - x*)) (BBOB f16)");
BBOB_MODEL(schaffer_f7, "schaffer-f7", cost_schaffer,
           "(mean sqrt(s_i)(1 + sin^2(50 s_i^0.2)))^2 + 10 f_pen, s_i = |(z_i, z_i+1)| (BBOB f17)");
BBOB_MODEL(katsuura, "katsuura", cost_katsuura,
           "10/n^2 prod (1 + (i+1) sum_j |2^j z_i - [2^j z_i]| 2^-j)^(10/n^1.2) - 10/n^2 + f_pen (BBOB f23)");
BBOB_MODEL(lunacek, "lunacek", cost_lunacek,
           "min(|xh - 2.5|^2, n + s |xh - mu1|^2) + 10 sum (1 - cos 2 pi z_i) + 1e4 f_pen (BBOB f24)");

/* --- The costs ------------------------------------------------------------ */

static double cost_ill_ellipsoid(const double *x, size_t n, void *data)
{
    (void)data;
    return ellipsoid_of(&augur__model_ill_ellipsoid, x, n, 0);
}

static double cost_rot_ellipsoid(const double *x, size_t n, void *data)
{
    (void)data;
    return ellipsoid_of(&augur__model_rot_ellipsoid, x, n, 1);
}

static double cost_discus(const double *x, size_t n, void *data)
{
    (void)data;
    double z[BBOB_MAXN];
    if (!augur__model_cost_ok(&augur__model_discus, x, n) || !shifted(x, n, 1, z))
        return NAN;
    t_osz(z, n);
    double f = 0;
    for (size_t i = 1; i < n; i++)
        f += z[i] * z[i];
    return 1e6 * z[0] * z[0] + f;
}

static double cost_bent_cigar(const double *x, size_t n, void *data)
{
    (void)data;
    double t[BBOB_MAXN], z[BBOB_MAXN];
    if (!augur__model_cost_ok(&augur__model_bent_cigar, x, n) || !shifted(x, n, 1, t))
        return NAN;
    t_asy(t, n, 0.5);
    rotate(rotation(0, n), t, z, n);
    double f = 0;
    for (size_t i = 1; i < n; i++)
        f += z[i] * z[i];
    return z[0] * z[0] + 1e6 * f;
}

static double cost_sharp_ridge(const double *x, size_t n, void *data)
{
    (void)data;
    double t[BBOB_MAXN], z[BBOB_MAXN];
    const double *Q = rotation(1, n);
    if (!augur__model_cost_ok(&augur__model_sharp_ridge, x, n) || !Q ||
        !shifted(x, n, 1, t))
        return NAN;
    lambda(t, n, 10);
    rotate(Q, t, z, n);
    double f = 0;
    for (size_t i = 1; i < n; i++)
        f += z[i] * z[i];
    return z[0] * z[0] + 100 * sqrt(f);
}

static double cost_diff_powers(const double *x, size_t n, void *data)
{
    (void)data;
    double z[BBOB_MAXN];
    if (!augur__model_cost_ok(&augur__model_diff_powers, x, n) || !shifted(x, n, 1, z))
        return NAN;
    double f = 0;
    for (size_t i = 0; i < n; i++)
        f += pow(fabs(z[i]), 2 + 4 * (double)i / (double)(n - 1));
    return sqrt(f);
}

/* u = R Lambda^alpha Q u (in place, through t). */
static void rlq(double *u, size_t n, double alpha)
{
    double t[BBOB_MAXN];
    rotate(rotation(1, n), u, t, n);
    lambda(t, n, alpha);
    rotate(rotation(0, n), t, u, n);
}

static double cost_rot_rastrigin(const double *x, size_t n, void *data)
{
    (void)data;
    double z[BBOB_MAXN];
    if (!augur__model_cost_ok(&augur__model_rot_rastrigin, x, n) ||
        !rotation(1, n) || !shifted(x, n, 1, z))
        return NAN;
    t_osz(z, n);
    t_asy(z, n, 0.2);
    rlq(z, n, 10);
    double f = 0;
    for (size_t i = 0; i < n; i++)
        f += 10 * (1 - cos(2 * AUGUR__PI * z[i])) + z[i] * z[i];
    return f;
}

static double weier_w(double z)
{
    double w = 0, a = 1, b = 1;
    for (int k = 0; k < 12; k++, a *= 0.5, b *= 3)
        w += a * cos(2 * AUGUR__PI * b * (z + 0.5));
    return w;
}

static double cost_weierstrass(const double *x, size_t n, void *data)
{
    (void)data;
    double z[BBOB_MAXN];
    if (!augur__model_cost_ok(&augur__model_weierstrass, x, n) ||
        !rotation(1, n) || !shifted(x, n, 1, z))
        return NAN;
    t_osz(z, n);
    rlq(z, n, 0.01);
    double w0 = weier_w(0), s = 0;
    for (size_t i = 0; i < n; i++)
        s += weier_w(z[i]) - w0;
    s /= (double)n;
    return 10 * s * s * s + 10 / (double)n * f_pen(x, n);
}

static double cost_schaffer(const double *x, size_t n, void *data)
{
    (void)data;
    double z[BBOB_MAXN];
    if (!augur__model_cost_ok(&augur__model_schaffer_f7, x, n) || !shifted(x, n, 1, z))
        return NAN;
    t_asy(z, n, 0.5);
    lambda(z, n, 10);
    double f = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double s = sqrt(z[i] * z[i] + z[i + 1] * z[i + 1]);
        double q = sin(50 * pow(s, 0.2));
        f += sqrt(s) * (1 + q * q);
    }
    f /= (double)(n - 1);
    return f * f + 10 * f_pen(x, n);
}

static double cost_katsuura(const double *x, size_t n, void *data)
{
    (void)data;
    double t[BBOB_MAXN], z[BBOB_MAXN];
    const double *Q = rotation(1, n);
    if (!augur__model_cost_ok(&augur__model_katsuura, x, n) || !Q ||
        !shifted(x, n, 1, t))
        return NAN;
    lambda(t, n, 100);
    rotate(Q, t, z, n);
    double nn = (double)n, e = 10 / pow(nn, 1.2), prod = 1;
    for (size_t i = 0; i < n; i++) {
        double s = 0, p = 1;
        for (int j = 1; j <= 32; j++) {
            p *= 2;
            s += fabs(p * z[i] - nearbyint(p * z[i])) / p;
        }
        prod *= pow(1 + (double)(i + 1) * s, e);
    }
    return 10 / (nn * nn) * (prod - 1) + f_pen(x, n);
}

/* xh = 2 sigma x (sigma = +1, -1, +1, ...), so the optimum xh = mu0 = 2.5
 * is x* = 1.25 sigma; d = 1, s = 1 - 1/(2 sqrt(n + 20) - 8.2),
 * mu1 = -sqrt((mu0^2 - d)/s); z = Q Lambda^100 R (xh - mu0). */
static double cost_lunacek(const double *x, size_t n, void *data)
{
    (void)data;
    double t[BBOB_MAXN], z[BBOB_MAXN];
    const double *R = rotation(0, n), *Q = rotation(1, n);
    if (!augur__model_cost_ok(&augur__model_lunacek, x, n) || !R || !Q)
        return NAN;
    double mu0 = 2.5, nn = (double)n, s = 1 - 1 / (2 * sqrt(nn + 20) - 8.2);
    double mu1 = -sqrt((mu0 * mu0 - 1) / s), a = 0, b = 0;
    for (size_t i = 0; i < n; i++) {
        double xh = 2 * (i % 2 ? -1 : 1) * x[i];
        a += (xh - mu0) * (xh - mu0);
        b += (xh - mu1) * (xh - mu1);
        t[i] = xh - mu0;
    }
    rotate(R, t, z, n);
    lambda(z, n, 100);
    rotate(Q, z, t, n);
    double c = 0;
    for (size_t i = 0; i < n; i++)
        c += 1 - cos(2 * AUGUR__PI * t[i]);
    return fmin(a, nn + s * b) + 10 * c + 1e4 * f_pen(x, n);
}
