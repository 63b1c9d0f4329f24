/* fit_formula.c - a fit model written as a formula, y = f(parameters, x),
 * read by libmatheval; its symbolic derivatives are the model's Jacobian.
 *
 *     augur_fit_create_formula("a * exp(-t / tau) + c",
 *                              (const char *[]){"a", "tau", "c"}, 3,
 *                              (const char *[]){"t"}, d, metric, &fit, err, cap);
 *
 * The formula's variables are the parameters and the data's x columns, by
 * name. core/expression.c reads the formula first, with those names: it
 * gives the column of an error, where libmatheval returns a bare NULL,
 * leaks what it had read and prints characters it does not know. Names are
 * checked too (identifiers, none of the language's functions or constants,
 * no name twice), and every parameter must appear in the formula, since
 * one that does not would leave the fit's curvature singular.
 *
 * Threads: libmatheval's parser keeps global state, so evaluator_create
 * and evaluator_derivative run under the library's matheval lock (as do
 * destroying, since a derivative shares its formula's reference-counted
 * symbol table). Evaluating is no safer: evaluator_evaluate stores the
 * variables' values in that shared symbol table, then walks the tree. So
 * each formula has its own lock, held for a whole prediction or Jacobian
 * (all points at once, not per point): evaluations of one formula from
 * several threads are serialised and give the bits a serial run gives;
 * different formulas run in parallel. */
#include <ctype.h>
#include <matheval.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "fit_int.h"

struct augur__formula {
    augur_fit_model model;        /* model.data points back here */
    void *ev;                     /* the formula */
    void **dev;                   /* d formula / d p_j, np of them */
    size_t np, nx;
    char **names;                 /* np parameters then nx x names (owned) */
    const char **pnames;          /* the parameters, NULL-terminated */
    double *vals;                 /* their values; guarded by lock */
    pthread_mutex_t lock;
};

void augur__formula_free(augur__formula *fm)
{
    if (!fm)
        return;
    augur__matheval_lock();
    for (size_t j = 0; fm->dev && j < fm->np; j++)
        if (fm->dev[j])
            evaluator_destroy(fm->dev[j]);
    if (fm->ev)
        evaluator_destroy(fm->ev);
    augur__matheval_unlock();
    for (size_t k = 0; fm->names && k < fm->np + fm->nx; k++)
        free(fm->names[k]);
    pthread_mutex_destroy(&fm->lock);
    free(fm->names);
    free(fm->pnames);
    free(fm->dev);
    free(fm->vals);
    free(fm);
}

/* --- Evaluation ----------------------------------------------------------- */

/* The variables' values at p and row i of the data. */
static void set_row(augur__formula *fm, const double *p, const augur_data *d, size_t i)
{
    memcpy(fm->vals, p, fm->np * sizeof *p);
    memcpy(fm->vals + fm->np, d->x + i * d->xdim, fm->nx * sizeof *fm->vals);
}

static int formula_predict(void *data, const double *p, size_t np, const augur_data *d,
                           double *yhat)
{
    augur__formula *fm = data;
    int count = (int)(np + fm->nx);
    pthread_mutex_lock(&fm->lock);
    for (size_t i = 0; i < d->n; i++) {
        set_row(fm, p, d, i);
        yhat[i] = evaluator_evaluate(fm->ev, count, fm->names, fm->vals);
    }
    pthread_mutex_unlock(&fm->lock);
    return AUGUR_OK;
}

static int formula_jacobian(void *data, const double *p, size_t np, const augur_data *d,
                            double *jac)
{
    augur__formula *fm = data;
    int count = (int)(np + fm->nx);
    pthread_mutex_lock(&fm->lock);
    for (size_t i = 0; i < d->n; i++) {
        set_row(fm, p, d, i);
        for (size_t j = 0; j < np; j++)
            jac[i * np + j] = evaluator_evaluate(fm->dev[j], count, fm->names, fm->vals);
    }
    pthread_mutex_unlock(&fm->lock);
    return AUGUR_OK;
}

int augur_fit_jacobian(const augur_fit *f, const double *p, double *jac, char *err,
                       size_t cap)
{
    if (!f || !p || !jac)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "augur_fit_jacobian: fit, p and jac are required");
    const augur_fit_model *m = f->model;
    if (!m->jacobian)
        return augur__fail_msg(err, cap, AUGUR_EUNSUP,
                               "the fit model %s has no analytic Jacobian", m->name);
    int rc = m->jacobian(m->data, p, f->np, f->d, jac);
    if (rc < 0)
        return augur__fail_msg(err, cap, rc, "%s: no Jacobian at this point", m->name);
    return AUGUR_OK;
}

/* --- Checking the names --------------------------------------------------- */

static int identifier(const char *s)
{
    if (!s || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

/* names[k] of what ("parameter", "x column"), numbered from 1 in messages;
 * all[0..k) are the names before it. */
static int check_name(const char *const *all, size_t k, const char *what, size_t num,
                      size_t np, char *err, size_t cap)
{
    const char *s = all[k];
    if (!identifier(s))
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "%s %zu: '%s' is not a name "
                               "(a letter or '_', then letters, digits, '_')", what,
                               num, s ? s : "(null)");
    if (augur__expression_reserved(s, strlen(s)))
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "%s %zu: '%s' is a function or "
                               "constant of the formula language", what, num, s);
    for (size_t j = 0; j < k; j++)
        if (strcmp(all[j], s) == 0)
            return augur__fail_msg(err, cap, AUGUR_EINVAL, "%s %zu: '%s' is also %s "
                                   "%zu", what, num, s, j < np ? "parameter" : "x column",
                                   j < np ? j + 1 : j - np + 1);
    return AUGUR_OK;
}

static int check_names(const char *const *all, size_t np, size_t nx, char *err,
                       size_t cap)
{
    int rc = AUGUR_OK;
    for (size_t k = 0; rc == AUGUR_OK && k < np + nx; k++)
        rc = check_name(all, k, k < np ? "parameter" : "x column",
                        k < np ? k + 1 : k - np + 1, np, err, cap);
    return rc;
}

static int check_text(const char *text, const char *const *all, size_t count, char *err,
                      size_t cap)
{
    if (!text[strspn(text, " \t\r\n")])
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "the formula is empty");
    augur__relation r = {.text = text, .len = strlen(text), .number = 0, .n = count,
                         .err = err, .cap = cap, .names = all};
    return augur__expression_check(&r, 0, r.len, "formula", SIZE_MAX, NULL, NULL);
}

/* --- Compiling ------------------------------------------------------------ */

/* Every parameter appears among the evaluator's variables. */
static int check_used(augur__formula *fm, char *err, size_t cap)
{
    char **vars = NULL;
    int nvars = 0;
    evaluator_get_variables(fm->ev, &vars, &nvars);
    for (size_t j = 0; j < fm->np; j++) {
        int seen = 0;
        for (int v = 0; v < nvars && !seen; v++)
            seen = strcmp(vars[v], fm->names[j]) == 0;
        if (!seen)
            return augur__fail_msg(err, cap, AUGUR_EINVAL, "parameter %zu: '%s' does "
                                   "not appear in the formula", j + 1, fm->names[j]);
    }
    return AUGUR_OK;
}

/* The evaluator and one derivative per parameter, under the matheval lock. */
static int compile(augur__formula *fm, const char *text, char *err, size_t cap)
{
    char *copy = strdup(text);
    if (!copy)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    int rc = AUGUR_OK;
    augur__matheval_lock();
    fm->ev = evaluator_create(copy);
    if (!fm->ev)
        rc = augur__fail_msg(err, cap, AUGUR_EINVAL, "libmatheval cannot read the "
                             "formula");
    else
        rc = check_used(fm, err, cap);
    for (size_t j = 0; rc == AUGUR_OK && j < fm->np; j++)
        if (!(fm->dev[j] = evaluator_derivative(fm->ev, fm->names[j])))
            rc = augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    augur__matheval_unlock();
    free(copy);
    return rc;
}

static augur__formula *formula_alloc(const char *const *params, size_t np,
                                     const char *const *xs, size_t nx)
{
    augur__formula *fm = calloc(1, sizeof *fm);
    if (!fm)
        return NULL;
    pthread_mutex_init(&fm->lock, NULL);
    fm->np = np;
    fm->nx = nx;
    fm->names = calloc(np + nx, sizeof *fm->names);
    fm->dev = calloc(np, sizeof *fm->dev);
    fm->vals = calloc(np + nx, sizeof *fm->vals);
    fm->pnames = calloc(np + 1, sizeof *fm->pnames);
    int ok = fm->names && fm->dev && fm->vals && fm->pnames;
    for (size_t k = 0; ok && k < np + nx; k++)
        ok = (fm->names[k] = strdup(k < np ? params[k] : xs[k - np])) != NULL;
    for (size_t k = 0; ok && k < np; k++)
        fm->pnames[k] = fm->names[k];
    if (!ok) {
        augur__formula_free(fm);
        return NULL;
    }
    fm->model = (augur_fit_model){
        .name = "formula", .doc = "a formula through libmatheval", .nparams = np,
        .param_names = fm->pnames, .xdim = nx, .ydim = 1, .data = fm,
        .predict_with = formula_predict, .jacobian = formula_jacobian};
    return fm;
}

/* --- Creating the fit ----------------------------------------------------- */

static int check_args(const char *text, const char *const *params, size_t np,
                      const char *const *xs, const augur_data *d, augur_metric metric,
                      char *err, size_t cap)
{
    if (!text || !params || !np || !xs || !d)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "augur_fit_create_formula: "
                               "formula, parameter names, x names and data are "
                               "required");
    if ((unsigned)metric > AUGUR_METRIC_ABSOLUTE)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "unknown metric %d", (int)metric);
    if (d->ydim != 1)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "a formula predicts 1 y column, "
                               "the data have %zu", d->ydim);
    return AUGUR_OK;
}

int augur_fit_create_formula(const char *formula, const char *const *param_names,
                             size_t nparams, const char *const *x_names,
                             const augur_data *d, augur_metric metric, augur_fit **out,
                             char *err, size_t cap)
{
    if (!out)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "augur_fit_create_formula: "
                               "out is required");
    *out = NULL;
    int rc = check_args(formula, param_names, nparams, x_names, d, metric, err, cap);
    size_t nx = d ? d->xdim : 0, count = nparams + nx;
    const char **all = rc == AUGUR_OK ? malloc(count * sizeof *all) : NULL;
    if (rc == AUGUR_OK && !all)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    for (size_t k = 0; all && k < count; k++)
        all[k] = k < nparams ? param_names[k] : x_names[k - nparams];
    if (rc == AUGUR_OK && (rc = check_names(all, nparams, nx, err, cap)) == AUGUR_OK)
        rc = check_text(formula, all, count, err, cap);
    free(all);
    if (rc != AUGUR_OK)
        return rc;
    augur__formula *fm = formula_alloc(param_names, nparams, x_names, nx);
    augur_fit *f = fm ? calloc(1, sizeof *f) : NULL;
    if (!f) {
        augur__formula_free(fm);
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    }
    if ((rc = compile(fm, formula, err, cap)) != AUGUR_OK) {
        augur__formula_free(fm);
        free(f);
        return rc;
    }
    *f = (augur_fit){.model = &fm->model, .d = d, .metric = metric, .np = nparams,
                     .formula = fm};
    *out = f;
    return AUGUR_OK;
}
