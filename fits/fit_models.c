/* fit_models.c - the built-in fit models and their table: polynomial,
 * lorentzian, gaussian-peaks, exponential-decays, mogi and chirp (kuramoto
 * lives in fit_kuramoto.c), plus mystic's minimal enclosing circle, which
 * is a cost on a point set rather than a fit.
 *
 * Each model predicts every y of the data from the parameters at once, so
 * pointwise formulas and an ODE integrated over time share one signature.
 * A prediction that is impossible at p (a zero width, a non-positive
 * lifetime, a source sitting on a station) returns AUGUR_ERANGE rather than
 * an infinity, so the fit's cost is NaN there and a solver treats the point
 * as +inf. Formulas follow mystic's models (mystic/models), with one fix:
 * Mogi's constant is 3 dV / (4 pi), where mystic's code computes 3 dV pi / 4
 * through operator precedence (docs/FITS.md). The built-in table is read-only;
 * augur_fit_model_register adds models after it (thread-safe, a name once
 * taken stays taken), and lookup, which ignores case and treats '_' as
 * '-', sees both alike. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "fit_int.h"

/* --- Shared checks and names ---------------------------------------------- */

/* np = fixed + per * k for some k >= 1 (peaks, decays); what names a unit. */
static int check_groups(size_t np, size_t fixed, size_t per, const char *model,
                        const char *what, char *err, size_t cap)
{
    if (np > fixed && (np - fixed) % per == 0)
        return AUGUR_OK;
    return augur__fail_msg(err, cap, AUGUR_EINVAL,
                           "%s takes %zu + %zu k parameters (k >= 1 %s), not %zu",
                           model, fixed, per, what, np);
}

/* --- polynomial: p_{np-1} x^{np-1} + ... + p_0, highest power first ------- */

static int polynomial_predict(const double *p, size_t np, const augur_data *d,
                              double *yhat)
{
    for (size_t i = 0; i < d->n; i++) {
        double x = d->x[i], v = 0.0;
        for (size_t k = 0; k < np; k++)
            v = v * x + p[k];     /* Horner: p[0] multiplies the top power */
        yhat[i] = v;
    }
    return AUGUR_OK;
}

static int polynomial_check(size_t np, const augur_data *d, char *err, size_t cap)
{
    (void)d;
    if (np >= 1)
        return AUGUR_OK;
    return augur__fail_msg(err, cap, AUGUR_EINVAL,
                           "polynomial takes degree + 1 >= 1 coefficients");
}

static void polynomial_name(size_t i, size_t np, char *buf, size_t cap)
{
    snprintf(buf, cap, "p%zu", np - 1 - i);   /* p_k multiplies x^k */
}

const augur_fit_model augur__fit_polynomial = {
    .name = "polynomial",
    .doc = "p[0] x^(n-1) + p[1] x^(n-2) + ... + p[n-1] (highest power first)",
    .nparams = 0,
    .size_rule = "degree + 1 coefficients",
    .xdim = 1,
    .ydim = 1,
    .predict = polynomial_predict,
    .check = polynomial_check,
    .param_name = polynomial_name,
};

/* --- lorentzian: a peak on a quadratic background, over n ----------------- */

static const char *const lorentzian_names[] = {"a1", "a2", "a3", "A0", "E0",
                                               "G0", "n",  NULL};

static int lorentzian_predict(const double *p, size_t np, const augur_data *d,
                              double *yhat)
{
    (void)np;
    double a1 = p[0], a2 = p[1], a3 = p[2], A0 = p[3], E0 = p[4], G0 = p[5];
    double n = p[6], half = G0 / 2.0;
    if (n == 0.0)
        return AUGUR_ERANGE;
    for (size_t i = 0; i < d->n; i++) {
        double x = d->x[i], dx = x - E0, den = dx * dx + half * half;
        if (den == 0.0)
            return AUGUR_ERANGE;
        double peak = A0 * (G0 / (2.0 * AUGUR__PI)) / den;
        yhat[i] = (a1 + a2 * x + a3 * x * x + peak) / n;
    }
    return AUGUR_OK;
}

const augur_fit_model augur__fit_lorentzian = {
    .name = "lorentzian",
    .doc = "[a1 + a2 x + a3 x^2 + A0 (G0 / 2pi) / ((x - E0)^2 + (G0/2)^2)] / n",
    .nparams = 7,
    .param_names = lorentzian_names,
    .xdim = 1,
    .ydim = 1,
    .predict = lorentzian_predict,
};

/* --- gaussian-peaks: b + sum_k A_k exp(-(x - c_k)^2 / (2 w_k^2)) ---------- */

static int gaussian_predict(const double *p, size_t np, const augur_data *d,
                            double *yhat)
{
    size_t k = (np - 1) / 3;
    for (size_t j = 0; j < k; j++)
        if (p[3 * j + 3] == 0.0)
            return AUGUR_ERANGE;
    for (size_t i = 0; i < d->n; i++) {
        double x = d->x[i], v = p[0];
        for (size_t j = 0; j < k; j++) {
            const double *g = p + 1 + 3 * j;        /* amplitude, centre, width */
            double z = (x - g[1]) / g[2];
            v += g[0] * exp(-0.5 * z * z);
        }
        yhat[i] = v;
    }
    return AUGUR_OK;
}

static int gaussian_check(size_t np, const augur_data *d, char *err, size_t cap)
{
    (void)d;
    return check_groups(np, 1, 3, "gaussian-peaks", "peaks", err, cap);
}

static void gaussian_name(size_t i, size_t np, char *buf, size_t cap)
{
    static const char *const role[] = {"A", "c", "w"};
    (void)np;
    if (i == 0)
        snprintf(buf, cap, "b");
    else
        snprintf(buf, cap, "%s%zu", role[(i - 1) % 3], (i - 1) / 3 + 1);
}

const augur_fit_model augur__fit_gaussian_peaks = {
    .name = "gaussian-peaks",
    .doc = "b + sum_k A_k exp(-(x - c_k)^2 / (2 w_k^2)); (b, A1, c1, w1, A2, ...)",
    .nparams = 0,
    .size_rule = "1 + 3 k for k peaks",
    .xdim = 1,
    .ydim = 1,
    .predict = gaussian_predict,
    .check = gaussian_check,
    .param_name = gaussian_name,
};

/* --- exponential-decays: b + sum_k A_k exp(-t / tau_k) -------------------- */

/* Parameters (b, A_1..A_k, tau_1..tau_k): for k = 2 this is Bevington and
 * Robinson's a1 + a2 exp(-t/a4) + a3 exp(-t/a5) in their own order. */
static int decays_predict(const double *p, size_t np, const augur_data *d,
                          double *yhat)
{
    size_t k = (np - 1) / 2;
    const double *amp = p + 1, *tau = p + 1 + k;
    for (size_t j = 0; j < k; j++)
        if (!(tau[j] > 0.0))
            return AUGUR_ERANGE;  /* lifetimes are positive */
    for (size_t i = 0; i < d->n; i++) {
        double t = d->x[i], v = p[0];
        for (size_t j = 0; j < k; j++)
            v += amp[j] * exp(-t / tau[j]);
        yhat[i] = v;
    }
    return AUGUR_OK;
}

static int decays_check(size_t np, const augur_data *d, char *err, size_t cap)
{
    (void)d;
    return check_groups(np, 1, 2, "exponential-decays", "decays", err, cap);
}

static void decays_name(size_t i, size_t np, char *buf, size_t cap)
{
    size_t k = (np - 1) / 2;
    if (i == 0)
        snprintf(buf, cap, "b");
    else if (i <= k)
        snprintf(buf, cap, "A%zu", i);
    else
        snprintf(buf, cap, "tau%zu", i - k);
}

const augur_fit_model augur__fit_exponential_decays = {
    .name = "exponential-decays",
    .doc = "b + sum_k A_k exp(-t / tau_k); (b, A1..Ak, tau1..tauk); k = 2 is "
           "Bevington-Robinson's a1 + a2 e^(-t/a4) + a3 e^(-t/a5)",
    .nparams = 0,
    .size_rule = "1 + 2 k for k decays",
    .xdim = 1,
    .ydim = 1,
    .predict = decays_predict,
    .check = decays_check,
    .param_name = decays_name,
};

/* --- mogi: a point pressure source in an elastic half-space --------------- */

static const char *const mogi_names[] = {"x0", "y0", "z0", "dV", NULL};

/* Station (x, y) -> displacement (Ux, Uy, Uz) = c (dx, dy, dz) / r^3 with
 * dz = -z0 (mystic's sign convention) and c = 3 dV / (4 pi), the constant
 * of Mogi's solution for a Poisson solid, (1 - nu) dV / pi with nu = 1/4. */
static int mogi_predict(const double *p, size_t np, const augur_data *d,
                        double *yhat)
{
    (void)np;
    double c = 3.0 * p[3] / (4.0 * AUGUR__PI);
    for (size_t i = 0; i < d->n; i++) {
        double dx = d->x[2 * i] - p[0], dy = d->x[2 * i + 1] - p[1], dz = -p[2];
        double r2 = dx * dx + dy * dy + dz * dz;
        if (r2 == 0.0)
            return AUGUR_ERANGE;
        double s = c / (r2 * sqrt(r2));
        yhat[3 * i] = s * dx;
        yhat[3 * i + 1] = s * dy;
        yhat[3 * i + 2] = s * dz;
    }
    return AUGUR_OK;
}

const augur_fit_model augur__fit_mogi = {
    .name = "mogi",
    .doc = "U = 3 dV / (4 pi) (x - x0, y - y0, -z0) / r^3 at stations (x, y)",
    .nparams = 4,
    .param_names = mogi_names,
    .xdim = 2,
    .ydim = 3,
    .predict = mogi_predict,
};

/* --- chirp: p1 t sin(p2 pi t^2 + p3) exp(-p4 t^2) ------------------------- */

static const char *const chirp_names[] = {"p1", "p2", "p3", "p4", NULL};

static int chirp_predict(const double *p, size_t np, const augur_data *d,
                         double *yhat)
{
    (void)np;
    for (size_t i = 0; i < d->n; i++) {
        double t = d->x[i], t2 = t * t;
        yhat[i] = p[0] * t * sin(p[1] * AUGUR__PI * t2 + p[2]) * exp(-p[3] * t2);
    }
    return AUGUR_OK;
}

const augur_fit_model augur__fit_chirp = {
    .name = "chirp",
    .doc = "p1 t sin(p2 pi t^2 + p3) exp(-p4 t^2)",
    .nparams = 4,
    .param_names = chirp_names,
    .xdim = 1,
    .ydim = 1,
    .predict = chirp_predict,
};

/* --- The table and registration ----------------------------------------- */

static const augur_fit_model *const builtins[] = {
    &augur__fit_polynomial,         &augur__fit_lorentzian,
    &augur__fit_gaussian_peaks,     &augur__fit_exponential_decays,
    &augur__fit_mogi,               &augur__fit_chirp,
    &augur__fit_kuramoto,
};

#define BUILTINS AUGUR__ARRAY_SIZE(builtins)
#define MAX_REGISTERED 32

/* Generation k is the list with the first k registered models, written
 * whole before `current` moves to it and never changed after, so a list
 * augur_fit_models returned stays as it was while registration goes on.
 * (A little static room instead of copies that would need freeing.) */
static const augur_fit_model *lists[MAX_REGISTERED + 1][BUILTINS + MAX_REGISTERED + 1];
static size_t current;            /* registered so far; under lock */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void first_list(void)
{
    for (size_t k = 0; k < BUILTINS; k++)
        lists[0][k] = builtins[k];
}

const augur_fit_model *const *augur_fit_models(void)
{
    pthread_once(&once, first_list);
    pthread_mutex_lock(&lock);
    const augur_fit_model *const *l = lists[current];
    pthread_mutex_unlock(&lock);
    return l;
}

const augur_fit_model *augur_fit_model_find(const char *name)
{
    if (!name)
        return NULL;
    for (const augur_fit_model *const *m = augur_fit_models(); *m; m++)
        if (augur__name_eq((*m)->name, name))
            return *m;
    return NULL;
}

static int usable(const augur_fit_model *m)
{
    return m && m->name && m->name[0] && (m->predict || m->predict_with) &&
           (m->nparams == 0 || m->param_names || m->param_name);
}

int augur_fit_model_register(const augur_fit_model *m)
{
    if (!usable(m))
        return AUGUR_EINVAL;
    pthread_once(&once, first_list);
    pthread_mutex_lock(&lock);
    const augur_fit_model **l = (const augur_fit_model **)lists[current];
    int rc = AUGUR_OK, again = 0;
    for (size_t k = 0; l[k] && rc == AUGUR_OK && !again; k++)
        if (augur__name_eq(l[k]->name, m->name)) {
            again = l[k] == m;    /* the same model again: a no-op */
            rc = again ? AUGUR_OK : AUGUR_EINVAL;
        }
    if (rc == AUGUR_OK && !again && current == MAX_REGISTERED)
        rc = AUGUR_ENOMEM;
    if (rc == AUGUR_OK && !again) {
        size_t n = BUILTINS + current;
        memcpy(lists[current + 1], l, n * sizeof *l);
        lists[current + 1][n] = m;
        current++;
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

/* --- circle: mystic's minimal enclosing circle ---------------------------- */

/* r plus 1 + (d - r) for every point outside: leaving any point out costs
 * at least 1 + the largest distance from the centre, which is never below
 * the enclosing radius, so the minimum is exactly the smallest circle that
 * holds every point. mystic's -999 r for r < 0 keeps solvers out. */
double augur_circle_cost(const double *p, size_t n, void *data)
{
    const augur_data *d = data;
    if (!p || n != 3 || !d || d->xdim != 1 || d->ydim != 1)
        return NAN;
    double r = p[2];
    if (r < 0.0)
        return -999.0 * r;
    double f = r;
    for (size_t i = 0; i < d->n; i++) {
        double dist = hypot(d->x[i] - p[0], d->y[i] - p[1]);
        if (dist > r)
            f += 1.0 + dist - r;
    }
    return f;
}
