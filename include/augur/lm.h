/* augur/lm.h - a Levenberg-Marquardt finish for least-squares fits.
 *
 * augur_lm_fit minimises chi^2 = sum_i r_i(p)^2 from a starting point (the
 * best point of a global search, say) with GSL's trust-region
 * Levenberg-Marquardt (gsl_multifit_nlinear, trust region "lm"), a
 * finite-difference Jacobian or the caller's analytic one, and optional
 * box bounds. It returns the
 * answer, chi^2, its counts, and the covariance matrix inv(J^T J) at the
 * answer, so a fit can report uncertainties:
 *
 *     double cov[3 * 3];
 *     augur_lm_result res = {.covariance = cov};
 *     char err[256];
 *     if (augur_lm_fit(resid, &data, 3, ndata, p, NULL, NULL, NULL, &res,
 *                      err, sizeof err) < 0)
 *         fprintf(stderr, "%s\n", err);
 *     sigma_k = sqrt(cov[k * 3 + k]);
 *
 * Write the residuals as (model - y) / sigma and inv(J^T J) is the
 * covariance of the parameters; with unit weights set scale_covariance
 * and it is scaled by chi^2 / dof, the usual estimate of the noise.
 *
 * Bounds are kept by projection: the residuals are only ever computed at
 * points inside the box (a trial step outside is evaluated at its
 * projection, f(P(p))), the Jacobian's difference probes step inward at a
 * bound, and when an accepted step has left the box the point is projected
 * back and the trust region restarts there (residuals and Jacobian
 * recomputed). A parameter on a bound that chi^2 would push further out is
 * held there (its Jacobian column is zeroed: an active set), so the fit
 * converges with it on the bound; its row and column of the covariance are
 * then 0 (fixed), and the others' are conditional on it. An analytic
 * Jacobian (options.jacobian) is asked for only at points inside the box
 * and is held at the bounds the same way. Should the bounds
 * still block a step entirely, the fit stops with "blocked by the bounds".
 *
 * GSL's error handler aborts by default, and augur_lm_fit never touches
 * it: every argument is checked before GSL sees it, residuals that are not
 * finite reach GSL as a large finite wall (1e150) so that the step that
 * produced them is rejected, Jacobian entries that are not finite
 * (differenced or analytic) reach it as 0, and a Jacobian that is zero altogether (every parameter held at a
 * bound or without effect; GSL's QR solve would abort on it) ends the fit
 * there with the reason "zero Jacobian (...)". */
#ifndef AUGUR_LM_H
#define AUGUR_LM_H

#include <stddef.h>
#include "augur/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fill r[0..nresiduals) at the parameters p[0..nparams); return 0, or a
 * non-zero value to abandon the fit (augur_lm_fit then returns
 * AUGUR_EFAILED). data is the caller's. */
typedef int (*augur_residual_fn)(const double *p, size_t nparams, double *r,
                                 size_t nresiduals, void *data);

/* An analytic Jacobian: fill jac (nresiduals x nparams, row-major) with
 * d r_i / d p_j at p (inside the bounds); return 0, or a non-zero value
 * to abandon the fit (augur_lm_fit then returns AUGUR_EFAILED). data is
 * the caller's (augur_lm_options.jacobian_data). */
typedef int (*augur_jacobian_fn)(const double *p, size_t nparams, double *jac,
                                 size_t nresiduals, void *data);

/* How the Jacobian is differenced: central (2 evaluations a column,
 * errors O(h^2): the default, as it is what lets ill-conditioned fits reach
 * the digits the data hold) or forward (1 a column, O(h)). */
typedef enum augur_lm_difference {
    AUGUR_LM_DIFFERENCE_DEFAULT = 0,    /* central */
    AUGUR_LM_CENTRAL,
    AUGUR_LM_FORWARD
} augur_lm_difference;

/* GSL's scaling of the trust region, D in ||D dx|| <= delta: More's
 * (the running maximum of each column norm of J; the default, invariant to
 * the parameters' units), Levenberg's (the identity) or Marquardt's (the
 * column norms at the current point). */
typedef enum augur_lm_scale {
    AUGUR_LM_SCALE_DEFAULT = 0,         /* More */
    AUGUR_LM_SCALE_MORE,
    AUGUR_LM_SCALE_LEVENBERG,
    AUGUR_LM_SCALE_MARQUARDT
} augur_lm_scale;

/* Zero (or NULL options) asks for the default of each field. The fit has
 * converged when one of the three tests passes after an accepted step:
 * the step (xtol), the gradient (gtol), or the relative reduction of chi^2
 * (ftol: both the reduction the step achieved and the one the linear model
 * predicted for it, MINPACK's test). */
typedef struct augur_lm_options {
    size_t max_iterations;  /* trust-region iterations; default 10000 */
    double xtol;            /* GSL's test on the step, |dx_i| <= xtol (|x_i| +
                               xtol); default 1e-12 */
    double gtol;            /* on the gradient, ||g .* max(x, 1)||_inf <= gtol
                               max(chi^2 / 2, 1); default 1e-12 */
    double ftol;            /* on the relative reduction of chi^2 by a step,
                               actual and predicted; default 1e-15 */
    augur_lm_difference difference;     /* default central */
    double fd_step;         /* relative difference step; default sqrt(eps)
                               forward, cbrt(eps) central */
    int geodesic;           /* 1: geodesic acceleration (GSL's "lmaccel"
                               trust region: a second-order correction along
                               the step from a second directional
                               derivative, differenced); default off */
    double avmax;           /* geodesic: largest accepted ratio
                               |acceleration| / |velocity|; default 0.75 */
    augur_lm_scale scale;   /* default More */
    int scale_covariance;   /* 1: multiply the covariance by chi^2 / dof */
    double covar_epsrel;    /* rank tolerance of the covariance; default 1e-12 */
    /* The Jacobian of the residuals, used instead of differences when set
     * (difference then does nothing); NULL: differences. A Jacobian costs
     * no residual evaluations. A column that moves no residual by half its
     * rounding over a step of fd_step is zero, as differences would find
     * it (a plateau: "flat"). */
    augur_jacobian_fn jacobian;
    void *jacobian_data;    /* handed to jacobian; the caller's */
} augur_lm_options;

typedef struct augur_lm_result {
    /* In: NULL, or nparams * nparams doubles (row-major) for the
     * covariance; the caller owns them. */
    double *covariance;
    /* Out. */
    double chi2;            /* sum of squared residuals at the answer */
    size_t dof;             /* nresiduals - nparams */
    size_t iterations;      /* accepted trust-region iterations */
    size_t evaluations;     /* residual vectors computed (difference
                               probes too; an analytic Jacobian adds none) */
    size_t jacobians;       /* Jacobians computed, differenced or analytic */
    int converged;          /* 1 when a test passed (see reason) */
    char reason[128];       /* converged: "small step (xtol)", "small
                               gradient (gtol)", "small reduction (ftol)",
                               "zero Jacobian (all held at the bounds)";
                               not: "iteration limit", "no progress",
                               "blocked by the bounds", "zero Jacobian
                               (chi^2 flat in k of n parameters)", "flat
                               in k of n parameters" (a test passed where
                               some parameter has no effect: a plateau,
                               not a minimum) */
} augur_lm_result;

/* Fit p (in: the start, out: the answer; inside [lb, ub] when given) to
 * nresiduals >= nparams >= 1 residuals. lb and ub may be NULL (unbounded)
 * and hold -INFINITY / INFINITY where a side is open. Returns AUGUR_OK when
 * a point was reached (converged or not: see res->converged and
 * res->reason), or a negative status with a message in err (cap bytes):
 * AUGUR_EINVAL for bad arguments, AUGUR_EBOUNDS for a start outside the
 * bounds, AUGUR_EFAILED when the residual or Jacobian function gave up or
 * the residuals at the start are not finite, AUGUR_ENOMEM. */
AUGUR_EXTERN int augur_lm_fit(augur_residual_fn f, void *data, size_t nparams,
                              size_t nresiduals, double *p, const double *lb,
                              const double *ub, const augur_lm_options *opt,
                              augur_lm_result *res, char *err, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
