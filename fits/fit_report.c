/* fit_report.c - the report at a fit's answer: the metric, the degrees of
 * freedom, the reduced chi-square, and standard errors from the curvature
 * of chi-square.
 *
 * Near its minimum chi^2(p) ~ chi^2_min + (p - p*)' H (p - p*) / 2, and the
 * covariance of the parameters is 2 H^-1 (Bevington & Robinson ch. 8);
 * with unit weights the noise is unknown and the covariance is scaled by
 * the reduced chi-square, its usual estimate. H comes from central
 * differences of chi^2 itself, not from a Jacobian, so the report needs
 * nothing of a model but its predictions and works at any point a solver
 * returns.
 *
 * The steps are what make finite-difference curvature trustworthy. A step
 * fixed in the parameter's units is wrong for some model (Mogi's dV ~ 0.1
 * next to x0 ~ 1000), and a purely relative one fails for a parameter that
 * sits near 0. So each step is set from the parameter's own statistical
 * scale: a first probe of 1e-4 |p_i| (1e-4 when p_i is 0) measures the
 * diagonal curvature D_i, which says how far p_i may move before chi^2
 * rises by one reduced chi-square (s_i = sqrt(2 chi2_nu / D_i), or
 * sqrt(2 / D_i) with sigmas); the step is then s_i / 10. Chi^2 then
 * changes by about 1% of its noise scale per step - far above rounding,
 * well inside the quadratic region. Where that cannot be had (zero
 * residuals, no curvature) the probe's step is kept.
 *
 * The inverse goes through GSL's LU decomposition of H scaled to a unit
 * diagonal, so that conditioning is judged without the units. A curvature
 * that is not finite, not positive on the diagonal, not positive definite,
 * or whose smallest eigenvalue (GSL's symmetric eigensolver, on a copy) is
 * below 1e-9 of the largest - beyond what differences good to about 1e-10
 * can tell from singular - gives NaN standard errors and covariance, never
 * a number that looks meaningful. GSL's eigen and LU calls raise errors
 * only for non-square or exactly singular matrices, which the checks rule
 * out before the calls. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_permutation.h>

#include "internal.h"
#include "fit_int.h"

#define PROBE_REL 1e-4            /* first step, relative to |p_i| */
#define STEP_OF_SCALE 0.1         /* final step, in statistical scales */
#define STEP_FLOOR 1e-6          /* smallest step, relative to |p_i| */
#define COND_TOL 1e-9             /* smallest / largest eigenvalue of scaled H */

typedef struct curvature {
    const augur_fit *f;
    const double *p;
    double *pt;                   /* the probed point */
    double *yhat;
    size_t *idx;                  /* free parameters */
    size_t k;
    double f0;                    /* chi^2 at p */
    double scale;                 /* chi^2 per degree of freedom that a
                                     standard error should add (1 with sigmas) */
} curvature;

/* --- chi^2 at displaced points -------------------------------------------- */

/* chi^2 at p + a e_i + b e_j (free indices), NaN where it cannot predict. */
static double chi2_at(curvature *c, size_t i, double a, size_t j, double b)
{
    memcpy(c->pt, c->p, c->f->np * sizeof *c->pt);
    c->pt[c->idx[i]] += a;
    c->pt[c->idx[j]] += b;
    if (augur__fit_predict(c->f, c->pt, c->yhat) != AUGUR_OK)
        return NAN;
    return augur__fit_chi2(c->f, c->yhat);
}

static double second_difference(curvature *c, size_t i, double h)
{
    double up = chi2_at(c, i, h, i, 0.0), down = chi2_at(c, i, -h, i, 0.0);
    return (up - 2.0 * c->f0 + down) / (h * h);
}

/* h rounded so that p + h - p == h exactly: the difference quotient then
 * divides by the step that was actually taken. */
static double exact_step(double p, double h)
{
    volatile double t = p + h;
    return t - p;
}

static double choose_step(curvature *c, size_t i)
{
    double p = c->p[c->idx[i]];
    double probe = exact_step(p, p != 0.0 ? PROBE_REL * fabs(p) : PROBE_REL);
    double d = second_difference(c, i, probe);
    if (!(d > 0.0) || !isfinite(d) || !(c->scale > 0.0) || !isfinite(c->scale))
        return probe;
    double h = exact_step(p, fmax(STEP_OF_SCALE * sqrt(2.0 * c->scale / d),
                                  STEP_FLOOR * fabs(p)));
    if (h == 0.0 || !isfinite(second_difference(c, i, h)))
        return probe;             /* the scale step leaves the model's domain */
    return h;
}

/* H over the free parameters (k x k, row-major). */
static void hessian(curvature *c, const double *h, double *H)
{
    size_t k = c->k;
    for (size_t i = 0; i < k; i++) {
        H[i * k + i] = second_difference(c, i, h[i]);
        for (size_t j = 0; j < i; j++) {
            double pp = chi2_at(c, i, h[i], j, h[j]);
            double pm = chi2_at(c, i, h[i], j, -h[j]);
            double mp = chi2_at(c, i, -h[i], j, h[j]);
            double mm = chi2_at(c, i, -h[i], j, -h[j]);
            H[i * k + j] = H[j * k + i] = (pp - pm - mp + mm) / (4.0 * h[i] * h[j]);
        }
    }
}

/* --- Inverting the curvature ---------------------------------------------- */

/* S = D^-1/2 H D^-1/2 (unit diagonal) into H, D^-1/2 into dscale; 0 when a
 * diagonal entry is not positive or anything is not finite. */
static int scale_unit_diagonal(double *H, double *dscale, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        double d = H[i * k + i];
        if (!(d > 0.0) || !isfinite(d))
            return 0;
        dscale[i] = 1.0 / sqrt(d);
    }
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            H[i * k + j] *= dscale[i] * dscale[j];
            if (!isfinite(H[i * k + j]))
                return 0;
        }
    return 1;
}

/* S positive definite and well enough conditioned to be told from
 * singular: its eigenvalues (of a copy; GSL's symmetric solver never
 * raises an error for a square matrix) all above COND_TOL of the largest. */
static int positive_definite(const double *S, double *scratch, size_t k)
{
    memcpy(scratch, S, k * k * sizeof *scratch);
    double *eval = scratch + k * k;
    gsl_eigen_symm_workspace *ws = gsl_eigen_symm_alloc(k);
    if (!ws)
        return 0;
    gsl_matrix_view a = gsl_matrix_view_array(scratch, k, k);
    gsl_vector_view e = gsl_vector_view_array(eval, k);
    int rc = gsl_eigen_symm(&a.matrix, &e.vector, ws);
    gsl_eigen_symm_free(ws);
    if (rc != GSL_SUCCESS)
        return 0;
    double lo = INFINITY, hi = 0.0;
    for (size_t i = 0; i < k; i++) {
        if (!isfinite(eval[i]))
            return 0;
        lo = fmin(lo, eval[i]);
        hi = fmax(hi, eval[i]);
    }
    return hi > 0.0 && lo > COND_TOL * hi;
}

/* inv = H^-1 (k x k) through scaled LU; 0 when H is singular or not a
 * positive curvature. H is overwritten; scratch holds k * k + k. */
static int invert(double *H, double *inv, double *dscale, double *scratch,
                  size_t *perm, size_t k)
{
    if (!scale_unit_diagonal(H, dscale, k) || !positive_definite(H, scratch, k))
        return 0;
    gsl_matrix_view a = gsl_matrix_view_array(H, k, k);
    gsl_matrix_view ai = gsl_matrix_view_array(inv, k, k);
    gsl_permutation pv = {.size = k, .data = perm};
    int signum;
    if (gsl_linalg_LU_decomp(&a.matrix, &pv, &signum) != GSL_SUCCESS)
        return 0;
    if (gsl_linalg_LU_invert(&a.matrix, &pv, &ai.matrix) != GSL_SUCCESS)
        return 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            inv[i * k + j] *= dscale[i] * dscale[j];
    return 1;
}

/* --- Filling the report --------------------------------------------------- */

/* cov (free k x k) into the report's np-sized arrays, 0 for fixed ones. */
static void store(augur_fit_report *r, const curvature *c, const double *cov, int ok)
{
    size_t np = c->f->np, k = c->k;
    if (r->uncertainty)
        for (size_t i = 0; i < np; i++)
            r->uncertainty[i] = 0.0;
    if (r->covariance)
        for (size_t i = 0; i < np * np; i++)
            r->covariance[i] = 0.0;
    for (size_t a = 0; a < k; a++) {
        size_t i = c->idx[a];
        double v = ok ? cov[a * k + a] : NAN;
        if (r->uncertainty)
            r->uncertainty[i] = v > 0.0 && isfinite(v) ? sqrt(v) : NAN;
        if (r->covariance)
            for (size_t b = 0; b < k; b++)
                r->covariance[i * np + c->idx[b]] = ok ? cov[a * k + b] : NAN;
    }
}

/* Work space: k x k three times, 3k doubles and k size_t, np for the probe. */
static int standard_errors(curvature *c, augur_fit_report *r, double nu_scale)
{
    size_t k = c->k, np = c->f->np;
    double *w = malloc((3 * k * k + 3 * k + np) * sizeof *w);
    size_t *perm = malloc((k ? k : 1) * sizeof *perm);
    if (!w || !perm) {
        free(w);
        free(perm);
        return AUGUR_ENOMEM;
    }
    double *H = w, *cov = H + k * k, *h = cov + k * k, *dscale = h + k;
    double *scratch = dscale + k;
    c->pt = scratch + k * k + k;
    for (size_t i = 0; i < k; i++)
        h[i] = choose_step(c, i);
    hessian(c, h, H);
    int ok = k > 0 && invert(H, cov, dscale, scratch, perm, k);
    for (size_t i = 0; ok && i < k * k; i++)
        cov[i] *= 2.0 * nu_scale;   /* covariance = 2 H^-1 (x chi2_nu unweighted) */
    store(r, c, cov, ok);
    free(w);
    free(perm);
    return AUGUR_OK;
}

static size_t free_indices(const augur_fit *f, const int *fixed, size_t *idx)
{
    size_t k = 0;
    for (size_t i = 0; i < f->np; i++)
        if (!fixed || !fixed[i])
            idx[k++] = i;
    return k;
}

int augur_fit_report_at(const augur_fit *f, const double *p, augur_fit_report *r,
                        char *err, size_t cap)
{
    if (!f || !p || !r)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "augur_fit_report_at: fit, p and report are required");
    size_t m = augur__fit_residuals(f);
    double *yhat = malloc(m * sizeof *yhat);
    size_t *idx = malloc(f->np * sizeof *idx);
    if (!yhat || !idx) {
        free(yhat);
        free(idx);
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    }
    int rc = augur__fit_predict(f, p, yhat);
    if (rc != AUGUR_OK) {
        free(yhat);
        free(idx);
        return augur__fail_msg(err, cap, AUGUR_EFAILED,
                               "%s cannot predict at this point (%s)", f->model->name,
                               augur_strerror(rc));
    }
    size_t k = free_indices(f, r->fixed, idx);
    double chi2 = augur__fit_chi2(f, yhat);
    r->cost = augur__fit_metric(f, yhat);
    r->dof = m > k ? m - k : 0;
    r->reduced_chi_square = r->dof ? chi2 / (double)r->dof : NAN;
    if (r->uncertainty || r->covariance) {
        int weighted = f->d->weighted;
        curvature c = {.f = f, .p = p, .yhat = yhat, .idx = idx, .k = k, .f0 = chi2,
                       .scale = weighted ? 1.0 : r->reduced_chi_square};
        rc = standard_errors(&c, r, weighted ? 1.0 : r->reduced_chi_square);
        if (rc != AUGUR_OK)
            augur__fail_msg(err, cap, rc, "out of memory");
    }
    free(yhat);
    free(idx);
    return rc;
}
