/* gsl_lm.c - augur_lm_fit: a Levenberg-Marquardt finish for least-squares
 * fits (augur/lm.h), on GSL's gsl_multifit_nlinear trust-region driver
 * with the "lm" subproblem.
 *
 * We run the iterations ourselves (init, iterate, test) rather than GSL's
 * driver so that bounds can be kept by projection between iterations: the
 * residual callback evaluates the caller's function at the projection of
 * whatever point GSL asks for, the Jacobian callback's probes step inward
 * at a bound, and after an accepted step that left the box the point is
 * projected back and GSL is initialised again there. The Jacobian is ours
 * (forward or central differences) rather than GSL's, because GSL's always
 * probes forward, which at an upper bound would only see the projection's
 * flat wall. The last point's residuals are remembered, so the Jacobian at
 * a point whose residuals GSL just asked for costs n probes, not n + 1.
 * A caller's analytic Jacobian (options.jacobian) replaces the probes and
 * goes through the same treatment: asked for at the projection, entries
 * that are not finite zeroed, columns held at a bound zeroed, flat columns
 * counted.
 *
 * GSL's error handler aborts by default, and this is library code: sizes
 * (nresiduals >= nparams >= 1), tolerances and steps are checked before GSL
 * sees them; a residual that is not finite reaches GSL as a finite wall
 * (WALL), so GSL rejects the step instead of raising an error; the caller's
 * function giving up makes our callback return GSL_EBADFUNC, which GSL's
 * iterate passes back without calling the handler; and a Jacobian that is
 * zero altogether, on which GSL's LM would start with mu = 0 and its QR
 * solve call the handler, ends the fit before GSL iterates (zero_jacobian).
 *
 * Convergence is GSL's tests on the step and the gradient, or ours on the
 * relative reduction of chi^2 (GSL 2.7 compiles its own out); a test that
 * passes where a column of J is flat is a plateau, not a minimum, and is
 * reported as not converged. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include "augur/lm.h"
#include "internal.h"

#define WALL 1e150   /* squares of n of these stay finite */

typedef struct fit {
    augur_residual_fn f;
    void *data;
    augur_jacobian_fn jac;       /* the caller's Jacobian, or NULL */
    void *jac_data;
    double *jbuf;                /* n * p: what jac wrote */
    size_t p, n;
    const double *lb, *ub;       /* never NULL here: open sides are +-inf */
    int central;
    double h;                    /* relative difference step */
    double *pt, *probe, *memo_x, *prev;   /* p each */
    double *r0, *r1, *rm;                 /* n each */
    int memo;                    /* memo_x's residuals are in r0 */
    int memo_bad;                /* ... and some were not finite */
    int user_rc;                 /* what the caller's function returned */
    const char *gave_up;         /* ... which one: "residual", "Jacobian" */
    size_t flat;                 /* columns of the last Jacobian that the
                                    differences found zero (not held) */
    double *f_old, *J_old;       /* n and n * p: before the last step */
    double actual, predicted;    /* its relative reductions of chi^2 */
    int reduced;                 /* ... are known (a step was accepted) */
    size_t evaluations;
} fit;

/* --- Residuals and Jacobian --------------------------------------------- */

static void project(const fit *ft, const double *x, double *out)
{
    for (size_t j = 0; j < ft->p; j++)
        out[j] = fmin(fmax(x[j], ft->lb[j]), ft->ub[j]);
}

/* The caller's residuals at x (inside the box) into r, WALL for those
 * that are not finite (*bad says whether there were any); 0, or
 * GSL_EBADFUNC when the caller gave up. */
static int residuals(fit *ft, const double *x, double *r, int *bad)
{
    ft->evaluations++;
    int rc = ft->f(x, ft->p, r, ft->n, ft->data);
    if (rc != 0) {
        ft->user_rc = rc;
        ft->gave_up = "residual";
        return GSL_EBADFUNC;
    }
    *bad = 0;
    for (size_t i = 0; i < ft->n; i++)
        if (!isfinite(r[i])) {
            r[i] = WALL;
            *bad = 1;
        }
    return GSL_SUCCESS;
}

/* Residuals at the projection of v, remembered in r0. */
static int at_point(fit *ft, const gsl_vector *v)
{
    for (size_t j = 0; j < ft->p; j++)
        ft->probe[j] = gsl_vector_get(v, j);
    project(ft, ft->probe, ft->pt);
    if (ft->memo && memcmp(ft->pt, ft->memo_x, ft->p * sizeof *ft->pt) == 0)
        return GSL_SUCCESS;
    ft->memo = 0;
    int rc = residuals(ft, ft->pt, ft->r0, &ft->memo_bad);
    if (rc == GSL_SUCCESS) {
        memcpy(ft->memo_x, ft->pt, ft->p * sizeof *ft->pt);
        ft->memo = 1;
    }
    return rc;
}

static int lm_f(const gsl_vector *x, void *params, gsl_vector *out)
{
    fit *ft = params;
    int rc = at_point(ft, x);
    for (size_t i = 0; rc == GSL_SUCCESS && i < ft->n; i++)
        gsl_vector_set(out, i, ft->r0[i]);
    return rc;
}

/* A step on parameter j that keeps the probe inside: forward if it fits,
 * else backward, else towards the roomier side (0 when pinned). */
static double inward(const fit *ft, size_t j, double h)
{
    double x = ft->pt[j];
    if (x + h <= ft->ub[j])
        return h;
    if (x - h >= ft->lb[j])
        return -h;
    return ft->ub[j] - x >= x - ft->lb[j] ? ft->ub[j] - x : ft->lb[j] - x;
}

/* A parameter on a bound whose descent direction (-g_j) leaves the box
 * is held there: its column is zeroed, so the LM step leaves it alone and
 * GSL's gradient test sees it as settled (an active set, as projected
 * methods keep). */
static void hold_at_bound(fit *ft, size_t j, gsl_matrix *J)
{
    double x = ft->pt[j], g = 0;
    if (x != ft->lb[j] && x != ft->ub[j])
        return;
    for (size_t i = 0; i < ft->n; i++)
        g += ft->r0[i] * gsl_matrix_get(J, i, j);
    if ((x == ft->ub[j] && g < 0) || (x == ft->lb[j] && g > 0))
        for (size_t i = 0; i < ft->n; i++)
            gsl_matrix_set(J, i, j, 0);
}

/* Column j of the Jacobian at pt (residuals r0) into J. */
static int column(fit *ft, size_t j, gsl_matrix *J)
{
    double x = ft->pt[j];
    double h = ft->h * (x != 0 ? fabs(x) : 1.0);
    int both = ft->central && x + h <= ft->ub[j] && x - h >= ft->lb[j];
    double a = both ? x - h : x, b = both ? x + h : x + inward(ft, j, h);
    memcpy(ft->probe, ft->pt, ft->p * sizeof *ft->pt);
    int rc = GSL_SUCCESS, bad;
    if (both) {
        ft->probe[j] = a;
        rc = residuals(ft, ft->probe, ft->rm, &bad);
    }
    ft->probe[j] = b;
    if (rc == GSL_SUCCESS && b != a)
        rc = residuals(ft, ft->probe, ft->r1, &bad);
    const double *ra = both ? ft->rm : ft->r0;
    int zero = 1;
    for (size_t i = 0; rc == GSL_SUCCESS && i < ft->n; i++) {
        double d = b != a ? (ft->r1[i] - ra[i]) / (b - a) : 0;
        int wall = b != a && (ft->r1[i] == WALL || ra[i] == WALL);
        d = isfinite(d) && !wall ? d : 0;
        zero &= d == 0;
        gsl_matrix_set(J, i, j, d);
    }
    if (rc == GSL_SUCCESS) {
        ft->flat += zero;
        hold_at_bound(ft, j, J);
    }
    return rc;
}

/* 1 when column j of the caller's Jacobian is below what differences
 * resolve: a step of the difference size would move no residual by half
 * its rounding (differences would find the column exactly 0; a plateau
 * such as BoxBOD's b2 -> inf, where exp(-b2 x) leaves a column of 1e-23
 * against residuals of 10). */
static int negligible(const fit *ft, size_t j)
{
    double h = ft->h * (ft->pt[j] != 0 ? fabs(ft->pt[j]) : 1.0);
    for (size_t i = 0; i < ft->n; i++) {
        double d = ft->jbuf[i * ft->p + j];
        if (isfinite(d) && ft->r0[i] != WALL &&
            fabs(d) * h > 0.5 * DBL_EPSILON * fabs(ft->r0[i]))
            return 0;
    }
    return 1;
}

/* The caller's Jacobian at pt (residuals r0) into J, treated as column()
 * treats differences: entries that are not finite, or in a row whose
 * residual is the wall, are 0; a column too small for differences to see
 * is 0 (negligible) and, like any zero column, counted as flat; a
 * parameter on a bound is held there. */
static int analytic(fit *ft, gsl_matrix *J)
{
    int rc = ft->jac(ft->pt, ft->p, ft->jbuf, ft->n, ft->jac_data);
    if (rc != 0) {
        ft->user_rc = rc;
        ft->gave_up = "Jacobian";
        return GSL_EBADFUNC;
    }
    for (size_t j = 0; j < ft->p; j++) {
        int zero = 1, none = negligible(ft, j);
        for (size_t i = 0; i < ft->n; i++) {
            double d = ft->jbuf[i * ft->p + j];
            d = isfinite(d) && ft->r0[i] != WALL && !none ? d : 0;
            zero &= d == 0;
            gsl_matrix_set(J, i, j, d);
        }
        ft->flat += zero;
        hold_at_bound(ft, j, J);
    }
    return GSL_SUCCESS;
}

static int lm_df(const gsl_vector *x, void *params, gsl_matrix *J)
{
    fit *ft = params;
    int rc = at_point(ft, x);
    ft->flat = 0;
    if (rc == GSL_SUCCESS && ft->jac)
        return analytic(ft, J);
    for (size_t j = 0; rc == GSL_SUCCESS && j < ft->p; j++)
        rc = column(ft, j, J);   /* probes use r1 and rm: r0 stays pt's */
    return rc;
}

/* --- Arguments ------------------------------------------------------------ */

static int check_args(augur_residual_fn f, size_t np, size_t nr, const double *p,
                      const double *lb, const double *ub, augur_lm_result *res,
                      char *err, size_t cap)
{
    if (!f || !p || !res)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "lm: NULL residual function, parameters or result");
    if (np == 0 || nr < np)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "lm: need nresiduals >= "
                               "nparams >= 1 (got %zu residuals, %zu parameters)",
                               nr, np);
    for (size_t j = 0; j < np; j++) {
        double lo = lb ? lb[j] : -INFINITY, hi = ub ? ub[j] : INFINITY;
        if (!isfinite(p[j]) || isnan(lo) || isnan(hi) || lo > hi)
            return augur__fail_msg(err, cap, AUGUR_EINVAL, "lm: parameter %zu: "
                                   "start %g, bounds [%g, %g]", j, p[j], lo, hi);
        if (p[j] < lo || p[j] > hi)
            return augur__fail_msg(err, cap, AUGUR_EBOUNDS, "lm: start p[%zu] = %g "
                                   "is outside [%g, %g]", j, p[j], lo, hi);
    }
    return AUGUR_OK;
}

static int check_options(const augur_lm_options *o, char *err, size_t cap)
{
    if (!(o->xtol >= 0) || !(o->gtol >= 0) || !(o->ftol >= 0) ||
        !(o->fd_step >= 0 && o->fd_step < 1) || !(o->covar_epsrel >= 0) ||
        !(o->avmax >= 0))
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "lm: tolerances, avmax and "
                               "the difference step must be >= 0 (the step < 1)");
    if ((unsigned)o->difference > AUGUR_LM_FORWARD ||
        (unsigned)o->scale > AUGUR_LM_SCALE_MARQUARDT)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "lm: no difference %d or "
                               "scale %d", (int)o->difference, (int)o->scale);
    return AUGUR_OK;
}

static augur_lm_options resolved(const augur_lm_options *o)
{
    augur_lm_options r = o ? *o : (augur_lm_options){0};
    r.max_iterations = r.max_iterations ? r.max_iterations : 10000;
    r.xtol = r.xtol > 0 ? r.xtol : 1e-12;
    r.gtol = r.gtol > 0 ? r.gtol : 1e-12;
    r.ftol = r.ftol > 0 ? r.ftol : 1e-15;
    r.difference = r.difference ? r.difference : AUGUR_LM_CENTRAL;
    r.fd_step = r.fd_step > 0 ? r.fd_step
              : r.difference == AUGUR_LM_CENTRAL ? cbrt(DBL_EPSILON) : sqrt(DBL_EPSILON);
    r.avmax = r.avmax > 0 ? r.avmax : 0.75;
    r.scale = r.scale ? r.scale : AUGUR_LM_SCALE_MORE;
    r.covar_epsrel = r.covar_epsrel > 0 ? r.covar_epsrel : 1e-12;
    return r;
}

/* GSL's parameters for the options. */
static gsl_multifit_nlinear_parameters gsl_params(const augur_lm_options *o)
{
    gsl_multifit_nlinear_parameters params = gsl_multifit_nlinear_default_parameters();
    params.trs = o->geodesic ? gsl_multifit_nlinear_trs_lmaccel
                             : gsl_multifit_nlinear_trs_lm;
    params.avmax = o->avmax;
    params.scale = o->scale == AUGUR_LM_SCALE_LEVENBERG ? gsl_multifit_nlinear_scale_levenberg
                 : o->scale == AUGUR_LM_SCALE_MARQUARDT ? gsl_multifit_nlinear_scale_marquardt
                 : gsl_multifit_nlinear_scale_more;
    return params;
}

/* --- The iterations --------------------------------------------------------- */

static int gsl_status(fit *ft, int status, const char *what, char *err, size_t cap)
{
    if (ft->user_rc)
        return augur__fail_msg(err, cap, AUGUR_EFAILED, "lm: the %s "
                               "function returned %d", ft->gave_up, ft->user_rc);
    return augur__fail_msg(err, cap, AUGUR_EFAILED, "lm: GSL %s: %s", what,
                           gsl_strerror(status));
}

/* GSL's tests on the step and the gradient (its own ftol test is compiled
 * out in 2.7: 0 is passed), then ours on the relative reduction of chi^2
 * by the last accepted step. 1 with the reason written when one passes;
 * where some column of J was flat (chi^2 does not depend on that
 * parameter here: a plateau, as BoxBOD's b2 -> inf) the point is no
 * minimum and converged stays 0. */
static int converged(const fit *ft, gsl_multifit_nlinear_workspace *w,
                     const augur_lm_options *o, augur_lm_result *res)
{
    int info = 0;
    const char *why = NULL;
    if (gsl_multifit_nlinear_test(o->xtol, o->gtol, 0, &info, w) == GSL_SUCCESS)
        why = info == 1 ? "small step (xtol)" : "small gradient (gtol)";
    else if (ft->reduced && ft->actual <= o->ftol && ft->predicted <= o->ftol)
        why = "small reduction (ftol)";
    if (!why)
        return 0;
    res->converged = ft->flat == 0;
    if (ft->flat)
        snprintf(res->reason, sizeof res->reason, "flat in %zu of %zu parameters",
                 ft->flat, ft->p);
    else
        snprintf(res->reason, sizeof res->reason, "%s", why);
    return 1;
}

static double sum_squares(const gsl_vector *f)
{
    double s = 0;
    for (size_t i = 0; i < f->size; i++)
        s += gsl_vector_get(f, i) * gsl_vector_get(f, i);
    return s;
}

/* Before a step: the residuals and Jacobian it starts from. */
static void remember(fit *ft, gsl_multifit_nlinear_workspace *w)
{
    const gsl_vector *f = gsl_multifit_nlinear_residual(w);
    const gsl_matrix *J = gsl_multifit_nlinear_jac(w);
    for (size_t i = 0; i < ft->n; i++) {
        ft->f_old[i] = gsl_vector_get(f, i);
        for (size_t j = 0; j < ft->p; j++)
            ft->J_old[i * ft->p + j] = gsl_matrix_get(J, i, j);
    }
}

/* After an accepted step dx = x - prev: the relative reduction of chi^2
 * it achieved, and the one the linear model f + J dx predicted (MINPACK's
 * ftol test wants both small). */
static void reductions(fit *ft, gsl_multifit_nlinear_workspace *w)
{
    const gsl_vector *x = gsl_multifit_nlinear_position(w);
    double before = 0, model = 0;
    for (size_t i = 0; i < ft->n; i++) {
        double m = ft->f_old[i];
        for (size_t j = 0; j < ft->p; j++)
            m += ft->J_old[i * ft->p + j] * (gsl_vector_get(x, j) - ft->prev[j]);
        before += ft->f_old[i] * ft->f_old[i];
        model += m * m;
    }
    double after = sum_squares(gsl_multifit_nlinear_residual(w));
    ft->actual = before > 0 ? fabs(1 - after / before) : 0;
    ft->predicted = before > 0 ? fabs(1 - model / before) : 0;
    ft->reduced = 1;
}

/* After an accepted step: back into the box if it left it, GSL set up
 * again there. *blocked when the bounds undid the step entirely. */
static int keep_inside(fit *ft, gsl_multifit_nlinear_fdf *fdf,
                       gsl_multifit_nlinear_workspace *w, int *blocked)
{
    gsl_vector *x = gsl_multifit_nlinear_position(w);
    int moved = 0;
    for (size_t j = 0; j < ft->p; j++) {
        double v = gsl_vector_get(x, j), c = fmin(fmax(v, ft->lb[j]), ft->ub[j]);
        ft->pt[j] = c;
        moved |= c != v;
    }
    *blocked = moved && memcmp(ft->pt, ft->prev, ft->p * sizeof *ft->pt) == 0;
    if (!moved || *blocked)
        return GSL_SUCCESS;
    gsl_vector_view v = gsl_vector_view_array(ft->pt, ft->p);
    return gsl_multifit_nlinear_init(&v.vector, fdf, w);
}

/* A Jacobian that is zero everywhere gives LM nothing to go on, and GSL's
 * LM starts (and restarts, at every init) with mu proportional to the
 * largest diagonal entry of J^T J: 0 here, so its next iterate takes the
 * Gauss-Newton path, whose QR solve needs rank >= 1 and calls GSL's error
 * handler (an abort by default) when it is 0. So the fit ends at such a
 * point, before GSL iterates: converged when every parameter is held at a
 * bound that chi^2 pushes against, not converged when some parameter had
 * no effect on the residuals (chi^2 flat in it, to the differences). Any
 * other Jacobian reaches GSL finite (column() zeroes what is not) with a
 * nonzero mu, which GSL's regularised solve handles at any rank. */
static int zero_jacobian(const fit *ft, gsl_multifit_nlinear_workspace *w,
                         augur_lm_result *res)
{
    const gsl_matrix *J = gsl_multifit_nlinear_jac(w);
    for (size_t i = 0; i < ft->n; i++)
        for (size_t j = 0; j < ft->p; j++)
            if (gsl_matrix_get(J, i, j) != 0)
                return 0;
    res->converged = ft->flat == 0;
    if (ft->flat)
        snprintf(res->reason, sizeof res->reason, "zero Jacobian (chi^2 flat "
                 "in %zu of %zu parameters)", ft->flat, ft->p);
    else
        snprintf(res->reason, sizeof res->reason,
                 "zero Jacobian (all held at the bounds)");
    return 1;
}

static int iterate(fit *ft, gsl_multifit_nlinear_fdf *fdf,
                   gsl_multifit_nlinear_workspace *w, const augur_lm_options *o,
                   augur_lm_result *res, char *err, size_t cap)
{
    gsl_vector *x = gsl_multifit_nlinear_position(w);
    snprintf(res->reason, sizeof res->reason, "iteration limit");
    for (size_t k = 0; !zero_jacobian(ft, w, res); k++) {
        if (k > 0 && converged(ft, w, o, res))
            return AUGUR_OK;
        if (k == o->max_iterations)
            return AUGUR_OK;
        for (size_t j = 0; j < ft->p; j++)
            ft->prev[j] = gsl_vector_get(x, j);
        remember(ft, w);
        int status = gsl_multifit_nlinear_iterate(w);
        if (status == GSL_ENOPROG && !ft->user_rc) {
            /* No acceptable step in 15 tries: at the minimum already, or
             * stuck; GSL's test tells which. */
            if (!converged(ft, w, o, res))
                snprintf(res->reason, sizeof res->reason, "no progress");
            return AUGUR_OK;
        }
        if (status != GSL_SUCCESS)
            return gsl_status(ft, status, "iterate", err, cap);
        res->iterations++;
        reductions(ft, w);
        int blocked;
        status = keep_inside(ft, fdf, w, &blocked);
        if (status != GSL_SUCCESS)
            return gsl_status(ft, status, "init", err, cap);
        if (blocked) {
            snprintf(res->reason, sizeof res->reason, "blocked by the bounds");
            return AUGUR_OK;
        }
    }
    return AUGUR_OK;
}

static void covariance(const fit *ft, gsl_multifit_nlinear_workspace *w,
                       const augur_lm_options *o, augur_lm_result *res)
{
    if (!res->covariance)
        return;
    gsl_matrix_view c = gsl_matrix_view_array(res->covariance, ft->p, ft->p);
    gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), o->covar_epsrel,
                               &c.matrix);
    if (o->scale_covariance && res->dof > 0)
        gsl_matrix_scale(&c.matrix, res->chi2 / (double)res->dof);
}

static void report(fit *ft, gsl_multifit_nlinear_fdf *fdf,
                   gsl_multifit_nlinear_workspace *w, const augur_lm_options *o,
                   double *p, augur_lm_result *res)
{
    gsl_vector *x = gsl_multifit_nlinear_position(w);
    gsl_vector *r = gsl_multifit_nlinear_residual(w);
    /* GSL's x is outside only when the bounds blocked the last step; its
     * residuals and Jacobian are those of the projection. */
    for (size_t j = 0; j < ft->p; j++)
        p[j] = gsl_vector_get(x, j);
    project(ft, p, p);
    res->chi2 = sum_squares(r);
    res->dof = ft->n - ft->p;
    res->evaluations = ft->evaluations;
    res->jacobians = fdf->nevaldf;
    covariance(ft, w, o, res);
}

/* Bounds of n entries (open where not given) and the work vectors. */
static int allocate(fit *ft, const double *lb, const double *ub, double **block)
{
    size_t p = ft->p, n = ft->n;
    *block = malloc((6 * p + 4 * n + 2 * n * p) * sizeof **block);
    if (!*block)
        return AUGUR_ENOMEM;
    double *b = *block;
    double *lo = b, *hi = b + p;
    for (size_t j = 0; j < p; j++) {
        lo[j] = lb ? lb[j] : -INFINITY;
        hi[j] = ub ? ub[j] : INFINITY;
    }
    ft->lb = lo;
    ft->ub = hi;
    ft->pt = b + 2 * p;
    ft->probe = b + 3 * p;
    ft->memo_x = b + 4 * p;
    ft->prev = b + 5 * p;
    ft->r0 = b + 6 * p;
    ft->r1 = ft->r0 + n;
    ft->rm = ft->r1 + n;
    ft->f_old = ft->rm + n;
    ft->J_old = ft->f_old + n;
    ft->jbuf = ft->J_old + n * p;
    return AUGUR_OK;
}

int augur_lm_fit(augur_residual_fn f, void *data, size_t nparams,
                 size_t nresiduals, double *p, const double *lb,
                 const double *ub, const augur_lm_options *opt,
                 augur_lm_result *res, char *err, size_t cap)
{
    int rc = check_args(f, nparams, nresiduals, p, lb, ub, res, err, cap);
    augur_lm_options o = resolved(opt);
    if (rc == AUGUR_OK && opt)
        rc = check_options(opt, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    double *covar = res->covariance;
    *res = (augur_lm_result){.covariance = covar};
    fit ft = {.f = f, .data = data, .jac = o.jacobian, .jac_data = o.jacobian_data,
              .p = nparams, .n = nresiduals,
              .central = o.difference == AUGUR_LM_CENTRAL, .h = o.fd_step};
    double *block = NULL;
    gsl_multifit_nlinear_workspace *w = NULL;
    gsl_multifit_nlinear_parameters params = gsl_params(&o);
    if (allocate(&ft, lb, ub, &block) == AUGUR_OK)
        w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &params,
                                       nresiduals, nparams);
    if (!w) {
        free(block);
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "lm: out of memory");
    }
    gsl_multifit_nlinear_fdf fdf = {.f = lm_f, .df = lm_df, .fvv = NULL,
                                    .n = nresiduals, .p = nparams, .params = &ft};
    gsl_vector_view x0 = gsl_vector_view_array(p, nparams);
    int status = gsl_multifit_nlinear_init(&x0.vector, &fdf, w);
    if (status != GSL_SUCCESS)
        rc = gsl_status(&ft, status, "init", err, cap);
    else if (ft.memo_bad)   /* init's residuals: the start's */
        rc = augur__fail_msg(err, cap, AUGUR_EFAILED,
                             "lm: the residuals at the start are not finite");
    if (rc == AUGUR_OK)
        rc = iterate(&ft, &fdf, w, &o, res, err, cap);
    if (rc == AUGUR_OK)
        report(&ft, &fdf, w, &o, p, res);
    gsl_multifit_nlinear_free(w);
    free(block);
    return rc;
}
