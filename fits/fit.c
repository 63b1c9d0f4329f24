/* fit.c - a fit: a fit model, the data and a metric, turned into an
 * ordinary augur_cost over the model's parameters; and the polish that
 * finishes a global search with Levenberg-Marquardt.
 *
 * Keeping the fit a plain cost is what lets every solver fit every model:
 * the fit holds no mutable state (the prediction goes into a buffer of the
 * call's own), so one fit may be evaluated from several threads or map
 * workers at once. The checks that GSL or a model would otherwise trip over
 * (parameter count, data shape, the model's own rules such as Kuramoto's
 * increasing times) all run once, in augur_fit_create, with a message.
 *
 * The polish hands LM the residuals (yhat - y) / sigma for chi-square, or
 * yhat - y for the sum of squares, so its chi^2 is the fit's own cost.
 * Coordinates pinned by lb == ub are taken out of LM's problem rather than
 * handed to it as a zero-width box, since a difference probe has no room
 * to step inside such a box; the report (fit_report.c) treats them the same
 * way through its `fixed` flags. A model with a Jacobian of its own (a
 * formula's symbolic derivatives) hands it to LM, its rows divided by sigma
 * as the residuals are, so LM takes no differences. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "augur/lm.h"
#include "internal.h"
#include "fit_int.h"

const char *const augur_metric_names[] = {"chi-square", "sum-of-squares",
                                          "absolute", NULL};

#define STACK_RESIDUALS 256       /* predictions this small skip malloc */

/* --- Creating a fit ------------------------------------------------------- */

static int check_shape(const augur_fit_model *m, const augur_data *d, char *err,
                       size_t cap)
{
    if (m->xdim && d->xdim != m->xdim)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s needs %zu x column%s, the data have %zu", m->name,
                               m->xdim, m->xdim == 1 ? "" : "s", d->xdim);
    if (m->ydim && d->ydim != m->ydim)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s needs %zu y column%s, the data have %zu", m->name,
                               m->ydim, m->ydim == 1 ? "" : "s", d->ydim);
    return AUGUR_OK;
}

/* nparams 0 takes the fixed count; a variable count must be given. */
static int resolve_count(const augur_fit_model *m, size_t nparams, size_t *np,
                         char *err, size_t cap)
{
    if (nparams == 0 && m->nparams == 0)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "%s needs nparams (%s)",
                               m->name, m->size_rule ? m->size_rule : "variable");
    if (nparams != 0 && m->nparams != 0 && nparams != m->nparams)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s takes %zu parameters, not %zu", m->name,
                               m->nparams, nparams);
    *np = nparams ? nparams : m->nparams;
    return AUGUR_OK;
}

int augur_fit_create(const char *model, size_t nparams, const augur_data *d,
                     augur_metric metric, augur_fit **out, char *err, size_t cap)
{
    if (out)
        *out = NULL;
    if (!model || !d || !out)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "augur_fit_create: model, data and out are required");
    const augur_fit_model *m = augur_fit_model_find(model);
    if (!m)
        return augur__fail_msg(err, cap, AUGUR_ENOTFOUND, "no fit model '%s'", model);
    return augur_fit_create_model(m, nparams, d, metric, out, err, cap);
}

int augur_fit_create_model(const augur_fit_model *m, size_t nparams, const augur_data *d,
                           augur_metric metric, augur_fit **out, char *err, size_t cap)
{
    if (out)
        *out = NULL;
    if (!m || !d || !out)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "augur_fit_create_model: model, data and out are "
                               "required");
    if (!m->name || (!m->predict && !m->predict_with))
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "a fit model needs a name and predict or predict_with");
    if (m->nparams && !m->param_names)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s has %zu parameters and no param_names", m->name,
                               m->nparams);
    if ((unsigned)metric > AUGUR_METRIC_ABSOLUTE)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "unknown metric %d", (int)metric);
    size_t np = 0;
    int rc = check_shape(m, d, err, cap);
    if (rc == AUGUR_OK)
        rc = resolve_count(m, nparams, &np, err, cap);
    if (rc == AUGUR_OK && m->check)
        rc = m->check(np, d, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    augur_fit *f = calloc(1, sizeof *f);
    if (!f)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    *f = (augur_fit){.model = m, .d = d, .metric = metric, .np = np};
    *out = f;
    return AUGUR_OK;
}

void augur_fit_destroy(augur_fit *f)
{
    if (f)
        augur__formula_free(f->formula);
    free(f);
}

size_t augur_fit_nparams(const augur_fit *f)
{
    return f ? f->np : 0;
}

const augur_fit_model *augur_fit_get_model(const augur_fit *f)
{
    return f ? f->model : NULL;
}

int augur_fit_param_name(const augur_fit *f, size_t i, char *buf, size_t cap)
{
    if (!f || !buf || cap == 0 || i >= f->np)
        return AUGUR_EINVAL;
    if (f->model->param_names)
        snprintf(buf, cap, "%s", f->model->param_names[i]);
    else if (f->model->param_name)
        f->model->param_name(i, f->np, buf, cap);
    else
        snprintf(buf, cap, "p%zu", i);
    return AUGUR_OK;
}

/* --- Prediction and metrics ----------------------------------------------- */

size_t augur__fit_residuals(const augur_fit *f)
{
    return f->d->n * f->d->ydim;
}

int augur__fit_predict(const augur_fit *f, const double *p, double *yhat)
{
    const augur_fit_model *mo = f->model;
    int rc = mo->predict_with ? mo->predict_with(mo->data, p, f->np, f->d, yhat)
                              : mo->predict(p, f->np, f->d, yhat);
    if (rc < 0)
        return rc;
    size_t m = augur__fit_residuals(f);
    for (size_t i = 0; i < m; i++)
        if (!isfinite(yhat[i]))
            return AUGUR_ERANGE;
    return AUGUR_OK;
}

double augur__fit_chi2(const augur_fit *f, const double *yhat)
{
    const double *y = f->d->y, *s = f->d->sigma;
    double sum = 0.0;
    for (size_t i = 0, m = augur__fit_residuals(f); i < m; i++) {
        double r = (yhat[i] - y[i]) / s[i];
        sum += r * r;
    }
    return sum;
}

double augur__fit_metric(const augur_fit *f, const double *yhat)
{
    if (f->metric == AUGUR_METRIC_CHI_SQUARE)
        return augur__fit_chi2(f, yhat);
    const double *y = f->d->y;
    double sum = 0.0;
    for (size_t i = 0, m = augur__fit_residuals(f); i < m; i++) {
        double r = yhat[i] - y[i];
        sum += f->metric == AUGUR_METRIC_ABSOLUTE ? fabs(r) : r * r;
    }
    return sum;
}

double augur_fit_cost(const double *p, size_t n, void *fit)
{
    const augur_fit *f = fit;
    if (!f || !p || n != f->np)
        return NAN;
    size_t m = augur__fit_residuals(f);
    double local[STACK_RESIDUALS];
    double *yhat = m <= STACK_RESIDUALS ? local : malloc(m * sizeof *yhat);
    if (!yhat)
        return NAN;
    double v = augur__fit_predict(f, p, yhat) == AUGUR_OK ? augur__fit_metric(f, yhat)
                                                          : NAN;
    if (yhat != local)
        free(yhat);
    return v;
}

/* --- Polish --------------------------------------------------------------- */

void augur__fit_lsq_jacobian(const augur_fit *f, const double *full, const size_t *idx,
                             size_t k, double *J, double *work)
{
    size_t m = augur__fit_residuals(f), np = f->np;
    const augur_fit_model *mo = f->model;
    int ok = mo->jacobian && mo->jacobian(mo->data, full, np, f->d, work) >= 0;
    const double *s = f->d->sigma;
    int chi = f->metric == AUGUR_METRIC_CHI_SQUARE;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < k; j++)
            J[i * k + j] = ok ? work[i * np + idx[j]] / (chi ? s[i] : 1.0) : NAN;
}

typedef struct polish {
    const augur_fit *f;
    double *full;                 /* all parameters; LM moves the free ones */
    size_t *free_idx;
    double *yhat;
    double *jac;                  /* the model's Jacobian: points x np */
} polish;

/* LM's residuals. A point the model cannot predict gets NaN residuals,
 * which augur_lm_fit turns into a wall and rejects; returning non-zero
 * would abandon the whole fit instead. */
static int residuals(const double *q, size_t nq, double *r, size_t m, void *data)
{
    polish *w = data;
    for (size_t k = 0; k < nq; k++)
        w->full[w->free_idx[k]] = q[k];
    int ok = augur__fit_predict(w->f, w->full, w->yhat) == AUGUR_OK;
    const double *y = w->f->d->y, *s = w->f->d->sigma;
    int chi = w->f->metric == AUGUR_METRIC_CHI_SQUARE;
    for (size_t i = 0; i < m; i++)
        r[i] = ok ? (w->yhat[i] - y[i]) / (chi ? s[i] : 1.0) : NAN;
    return 0;
}

/* LM's Jacobian, from the model's. */
static int jacobian(const double *q, size_t nq, double *J, size_t m, void *data)
{
    (void)m;
    polish *w = data;
    for (size_t k = 0; k < nq; k++)
        w->full[w->free_idx[k]] = q[k];
    augur__fit_lsq_jacobian(w->f, w->full, w->free_idx, nq, J, w->jac);
    return 0;
}

static int pinned(const double *lb, const double *ub, size_t i)
{
    return lb && ub && lb[i] == ub[i];
}

/* The free coordinates of p, lb and ub (open sides where NULL). */
static size_t gather_free(const double *p, const double *lb, const double *ub,
                          size_t np, size_t *idx, double *q, double *qlb, double *qub)
{
    size_t k = 0;
    for (size_t i = 0; i < np; i++) {
        if (pinned(lb, ub, i))
            continue;
        idx[k] = i;
        q[k] = p[i];
        qlb[k] = lb ? lb[i] : -INFINITY;
        qub[k] = ub ? ub[i] : INFINITY;
        k++;
    }
    return k;
}

static double sum_squares(const double *r, size_t m)
{
    double s = 0.0;
    for (size_t i = 0; i < m; i++)
        s += r[i] * r[i];
    return s;
}

/* LM on the free coordinates; p takes the answer when it is no worse. */
static int run_lm(polish *w, double *p, size_t k, double *q, double *qlb,
                  double *qub, int bounded, double *r, const augur_lm_options *opt,
                  augur_lm_result *out, char *err, size_t cap)
{
    size_t m = augur__fit_residuals(w->f);
    residuals(q, k, r, m, w);
    double start = sum_squares(r, m);
    augur_lm_result res = {0};
    augur_lm_options o = opt ? *opt : (augur_lm_options){0};
    o.jacobian = w->f->model->jacobian ? jacobian : NULL;
    o.jacobian_data = w;
    int rc = augur_lm_fit(residuals, w, k, m, q, bounded ? qlb : NULL,
                          bounded ? qub : NULL, &o, &res, err, cap);
    if (out)
        *out = res;
    if (rc < 0)
        return rc;
    if (!(res.chi2 <= start) && isfinite(start))
        return AUGUR_OK;          /* keep the start: LM did not improve it */
    for (size_t j = 0; j < k; j++)
        p[w->free_idx[j]] = q[j];
    return AUGUR_OK;
}

int augur_fit_polish(const augur_fit *f, double *p, const double *lb,
                     const double *ub, char *err, size_t cap)
{
    return augur_fit_polish_lm(f, p, lb, ub, NULL, NULL, err, cap);
}

int augur_fit_polish_lm(const augur_fit *f, double *p, const double *lb,
                        const double *ub, const augur_lm_options *opt,
                        augur_lm_result *res, char *err, size_t cap)
{
    if (res)
        *res = (augur_lm_result){.converged = 1, .reason = "nothing to fit"};
    if (!f || !p)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "augur_fit_polish: fit and p are required");
    if (f->metric == AUGUR_METRIC_ABSOLUTE)
        return augur__fail_msg(err, cap, AUGUR_EUNSUP,
                               "polish is least squares: not for the absolute metric");
    size_t np = f->np, m = augur__fit_residuals(f);
    size_t *idx = malloc(np * sizeof *idx);
    size_t mj = f->model->jacobian ? m * np : 0;
    double *buf = malloc((4 * np + 2 * m + mj) * sizeof *buf);
    if (!idx || !buf) {
        free(idx);
        free(buf);
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    }
    double *q = buf, *qlb = q + np, *qub = qlb + np, *full = qub + np;
    double *yhat = full + np, *r = yhat + m;
    memcpy(full, p, np * sizeof *p);
    size_t k = gather_free(p, lb, ub, np, idx, q, qlb, qub);
    polish w = {.f = f, .full = full, .free_idx = idx, .yhat = yhat, .jac = r + m};
    int rc = AUGUR_OK;
    if (k > m)
        rc = augur__fail_msg(err, cap, AUGUR_EINVAL,
                             "polish: %zu free parameters but only %zu residuals", k, m);
    else if (k > 0)
        rc = run_lm(&w, p, k, q, qlb, qub, lb || ub, r, opt, res, err, cap);
    free(idx);
    free(buf);
    return rc;
}
