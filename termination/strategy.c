/* strategy.c - termination conditions that judge a search distribution:
 * Hansen's stopping tests for CMA-ES (tutorial arXiv:1604.00772, appendix
 * B.3; defaults as there and in his codes): TolFun, TolX, NoEffectAxis,
 * NoEffectCoord, ConditionCov, Stagnation and TolUpSigma. TolFun's default
 * is pycma's 1e-11 (the tutorial calls its 1e-12 "a conservative first
 * guess"): a run stuck in a local basin ends a decade of f sooner, which
 * a restart scheme (ipop) pays for on every run that fails.
 *
 * They read only the augur_strategy a solver hands over in augur_info
 * (info.h): step size, the axes and lengths of C, the paths, the mean and
 * the per-generation energies. They are a family of their own, apart from
 * population.c and history.c, because they need that state: a solver
 * without it (anything but cmaes today) makes them fail with a message
 * saying so, rather than never fire. D below is the square roots of C's
 * eigenvalues (the axis lengths), sigma the step size, m the mean. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "augur/termination.h"
#include "internal.h"
#include "termination_int.h"

/* The strategy state, or a failure naming the condition. */
static int need_strategy(augur_termination *t, const augur_info *info,
                         const char *label, const augur_strategy **out)
{
    *out = info->strategy;
    if (!info->strategy)
        return augur_term_fail(t, AUGUR_EINVAL, "%s judges a search "
                               "distribution, and this solver publishes none "
                               "(use it with cmaes)", label);
    if (info->strategy->n != info->n)
        return augur_term_fail(t, AUGUR_EINVAL, "%s: the strategy has %zu "
                               "dimensions, the run %zu", label,
                               info->strategy->n, info->n);
    return AUGUR_OK;
}

static double max_axis(const augur_strategy *g)
{
    double d = 0;
    for (size_t k = 0; k < g->n; k++)
        d = fmax(d, g->axis_len[k]);
    return d;
}

/* --- TolFun ------------------------------------------------------------- */

static const augur_param tolfun_params[] = {
    PARAM_TOL("tolerance", tol_state, tolerance, 1e-11,
              "largest range of recent best energies and the last generation's"),
    PARAM_END
};

/* The range of the best energies of the last 10 + ceil(30 n / lambda)
 * generations and of every energy of the last one is at most tolerance. */
static int tolfun_check(augur_termination *t, void *state,
                        const augur_info *info, char *reason, size_t cap)
{
    (void)reason, (void)cap;
    const augur_strategy *g;
    int rc = need_strategy(t, info, "TolFun", &g);
    if (rc < 0)
        return rc;
    size_t window = 10 + (size_t)ceil(30.0 * (double)g->n / (double)g->lambda);
    if (g->hist_len < window)
        return 0;
    double lo = g->f[0], hi = g->f[g->lambda - 1];
    for (size_t k = g->hist_len - window; k < g->hist_len; k++) {
        lo = fmin(lo, g->gen_best[k]);
        hi = fmax(hi, g->gen_best[k]);
    }
    /* inf - inf is NaN: a generation with points outside never counts */
    return hi - lo <= ((const tol_state *)state)->tolerance;
}

const augur_term_type augur__term_type_tol_fun = {
    .name = "tol-fun",
    .label = "TolFun",
    .doc = "CMA-ES: recent best energies and the last generation's span at "
           "most tolerance",
    .state_size = sizeof(tol_state),
    .params = tolfun_params,
    .check = tolfun_check,
    .history = augur__term_last_only,
};

/* --- TolX --------------------------------------------------------------- */

static const augur_param tolx_params[] = {
    PARAM_TOL("tolerance", tol_state, tolerance, 1e-12,
              "largest sigma sqrt(C_ii) and sigma |pc_i|, relative to sigma0"),
    PARAM_END
};

static int tolx_check(augur_termination *t, void *state,
                      const augur_info *info, char *reason, size_t cap)
{
    (void)reason, (void)cap;
    const augur_strategy *g;
    int rc = need_strategy(t, info, "TolX", &g);
    if (rc < 0)
        return rc;
    double tol = ((const tol_state *)state)->tolerance * g->sigma0;
    for (size_t i = 0; i < g->n; i++)
        if (!(g->sigma * sqrt(g->c_diag[i]) < tol &&
              g->sigma * fabs(g->pc[i]) < tol))
            return 0;
    return 1;
}

const augur_term_type augur__term_type_tol_x = {
    .name = "tol-x",
    .label = "TolX",
    .doc = "CMA-ES: every coordinate's standard deviation and sigma pc below "
           "tolerance x sigma0",
    .state_size = sizeof(tol_state),
    .params = tolx_params,
    .check = tolx_check,
    .history = augur__term_last_only,
};

/* --- NoEffectAxis and NoEffectCoord --------------------------------------- */

typedef struct {
    double factor;
} factor_state;

static const augur_param nea_params[] = {
    PARAM_TOL("factor", factor_state, factor, 0.1,
              "fraction of a standard deviation added along an axis"),
    PARAM_END
};

/* Adding factor sigma D_k b_k to m changes no coordinate of m, for the
 * axis k = generation mod n (one axis a generation, as Hansen's codes). */
static int nea_check(augur_termination *t, void *state,
                     const augur_info *info, char *reason, size_t cap)
{
    (void)reason, (void)cap;
    const augur_strategy *g;
    int rc = need_strategy(t, info, "NoEffectAxis", &g);
    if (rc < 0)
        return rc;
    size_t k = g->generation % g->n;
    double a = ((const factor_state *)state)->factor * g->sigma * g->axis_len[k];
    const double *b = g->axes + k * g->n;
    for (size_t j = 0; j < g->n; j++)
        if (g->mean[j] + a * b[j] != g->mean[j])
            return 0;
    return 1;
}

const augur_term_type augur__term_type_no_effect_axis = {
    .name = "no-effect-axis",
    .label = "NoEffectAxis",
    .doc = "CMA-ES: a step of factor standard deviations along a principal "
           "axis leaves the mean unchanged",
    .state_size = sizeof(factor_state),
    .params = nea_params,
    .check = nea_check,
    .history = augur__term_last_only,
};

static const augur_param nec_params[] = {
    PARAM_TOL("factor", factor_state, factor, 0.2,
              "fraction of a coordinate's standard deviation added to it"),
    PARAM_END
};

static int nec_check(augur_termination *t, void *state,
                     const augur_info *info, char *reason, size_t cap)
{
    (void)reason, (void)cap;
    const augur_strategy *g;
    int rc = need_strategy(t, info, "NoEffectCoord", &g);
    if (rc < 0)
        return rc;
    double f = ((const factor_state *)state)->factor;
    for (size_t i = 0; i < g->n; i++)
        if (g->mean[i] + f * g->sigma * sqrt(g->c_diag[i]) == g->mean[i])
            return 1;
    return 0;
}

const augur_term_type augur__term_type_no_effect_coord = {
    .name = "no-effect-coord",
    .label = "NoEffectCoord",
    .doc = "CMA-ES: adding factor standard deviations to some coordinate of "
           "the mean leaves it unchanged",
    .state_size = sizeof(factor_state),
    .params = nec_params,
    .check = nec_check,
    .history = augur__term_last_only,
};

/* --- ConditionCov and TolUpSigma ----------------------------------------- */

typedef struct {
    double limit;
} limit_state;

static const augur_param cc_params[] = {
    PARAM_TOL("limit", limit_state, limit, 1e14,
              "largest condition number of C (max D^2 / min D^2)"),
    PARAM_END
};

static int cc_check(augur_termination *t, void *state,
                    const augur_info *info, char *reason, size_t cap)
{
    (void)reason, (void)cap;
    const augur_strategy *g;
    int rc = need_strategy(t, info, "ConditionCov", &g);
    if (rc < 0)
        return rc;
    double lo = INFINITY, hi = max_axis(g);
    for (size_t k = 0; k < g->n; k++)
        lo = fmin(lo, g->axis_len[k]);
    double ratio = hi / lo;   /* inf when an axis has collapsed */
    return ratio * ratio > ((const limit_state *)state)->limit;
}

const augur_term_type augur__term_type_condition_cov = {
    .name = "condition-cov",
    .label = "ConditionCov",
    .doc = "CMA-ES: the condition number of C exceeds limit",
    .state_size = sizeof(limit_state),
    .params = cc_params,
    .check = cc_check,
    .history = augur__term_last_only,
};

static const augur_param tus_params[] = {
    PARAM_TOL("limit", limit_state, limit, 1e20,
              "largest sigma / sigma0 per unit of the longest axis max D"),
    PARAM_END
};

static int tus_check(augur_termination *t, void *state,
                     const augur_info *info, char *reason, size_t cap)
{
    (void)reason, (void)cap;
    const augur_strategy *g;
    int rc = need_strategy(t, info, "TolUpSigma", &g);
    if (rc < 0)
        return rc;
    return g->sigma / g->sigma0 > ((const limit_state *)state)->limit * max_axis(g);
}

const augur_term_type augur__term_type_tol_up_sigma = {
    .name = "tol-up-sigma",
    .label = "TolUpSigma",
    .doc = "CMA-ES: sigma / sigma0 exceeds limit x max D (sigma grows while "
           "C shrinks: creeping)",
    .state_size = sizeof(limit_state),
    .params = tus_params,
    .check = tus_check,
    .history = augur__term_last_only,
};

/* --- Stagnation --------------------------------------------------------- */

typedef struct {
    double share;
} stag_state;

static const augur_param stag_params[] = {
    PARAM_REAL("share", stag_state, share, 0.3, 1e-9, 0.5,
               "share of the window compared at each end"),
    PARAM_END
};

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, size_t m, double *scratch)
{
    memcpy(scratch, v, m * sizeof *v);
    qsort(scratch, m, sizeof *scratch, by_value);
    return m % 2 ? scratch[m / 2] : 0.5 * (scratch[m / 2 - 1] + scratch[m / 2]);
}

/* Not better at the end: the median of the newest share of h is not below
 * that of the oldest share. */
static int stalled(const double *h, size_t len, size_t k, double *scratch)
{
    return !(median(h + len - k, k, scratch) < median(h, k, scratch));
}

/* Over a window of the last min(20000, ceil(0.2 g + 120 + 30 n / lambda))
 * generations, neither the best nor the median energies have improved:
 * the median of the newest 30% is no better than that of the oldest 30%. */
static int stag_check(augur_termination *t, void *state,
                      const augur_info *info, char *reason, size_t cap)
{
    (void)reason, (void)cap;
    const augur_strategy *g;
    int rc = need_strategy(t, info, "Stagnation", &g);
    if (rc < 0)
        return rc;
    double want = ceil(0.2 * (double)g->generation + 120 +
                       30.0 * (double)g->n / (double)g->lambda);
    size_t window = (size_t)fmin(want, 20000);
    if (g->hist_len < window)
        return 0;
    size_t k = (size_t)ceil(((const stag_state *)state)->share * (double)window);
    double *scratch = malloc(k * sizeof *scratch);
    if (!scratch)
        return augur_term_fail(t, AUGUR_ENOMEM, "Stagnation: out of memory");
    size_t off = g->hist_len - window;
    int stop = stalled(g->gen_best + off, window, k, scratch) &&
               stalled(g->gen_median + off, window, k, scratch);
    free(scratch);
    return stop;
}

const augur_term_type augur__term_type_stagnation = {
    .name = "stagnation",
    .label = "Stagnation",
    .doc = "CMA-ES: neither the best nor the median energy per generation "
           "improved over a long window",
    .state_size = sizeof(stag_state),
    .params = stag_params,
    .check = stag_check,
    .history = augur__term_last_only,
};

/* --- Constructors ------------------------------------------------------- */

augur_termination *augur_term_tol_fun(double tolerance)
{
    return BUILD(augur__term_type_tol_fun, {"tolerance", tolerance});
}

augur_termination *augur_term_tol_x(double tolerance)
{
    return BUILD(augur__term_type_tol_x, {"tolerance", tolerance});
}

augur_termination *augur_term_no_effect_axis(double factor)
{
    return BUILD(augur__term_type_no_effect_axis, {"factor", factor});
}

augur_termination *augur_term_no_effect_coord(double factor)
{
    return BUILD(augur__term_type_no_effect_coord, {"factor", factor});
}

augur_termination *augur_term_condition_cov(double limit)
{
    return BUILD(augur__term_type_condition_cov, {"limit", limit});
}

augur_termination *augur_term_stagnation(double share)
{
    return BUILD(augur__term_type_stagnation, {"share", share});
}

augur_termination *augur_term_tol_up_sigma(double limit)
{
    return BUILD(augur__term_type_tol_up_sigma, {"limit", limit});
}
