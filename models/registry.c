/* registry.c - the table of built-in models, lookup by name, and the checked
 * wrappers around a model's box and minimum callbacks.
 *
 * The table is a NULL-terminated array of pointers to const descriptors,
 * each defined next to its cost function, as GSL lists its generator types:
 * adding a model is one descriptor and one line here. Lookup goes through
 * augur__name_eq so "Michalewicz", "michalewicz" and "MICHALEWICZ" all work
 * the same in config files and on the command line. Everything here is
 * read-only, so any thread may call it. The shared helpers the model files
 * use (argument checks, "this point is the minimum") live here too, so each
 * rule is written once. */
#include <string.h>

#include "internal.h"
#include "models_int.h"

static const augur_model *const table[] = {
    &augur__model_sphere,     &augur__model_rosen,
    &augur__model_step,       &augur__model_quartic,
    &augur__model_shekel,     &augur__model_corana,
    &augur__model_griewangk,  &augur__model_zimmermann,
    &augur__model_fosc3d,     &augur__model_nmin51,
    &augur__model_peaks,      &augur__model_venkat91,
    &augur__model_schwefel,   &augur__model_ellipsoid,
    &augur__model_rastrigin,  &augur__model_powers,
    &augur__model_ackley,     &augur__model_michalewicz,
    &augur__model_michal,     &augur__model_branins,
    &augur__model_easom,      &augur__model_goldstein,
    &augur__model_paviani,    &augur__model_chebyshev8,
    &augur__model_chebyshev16,
    &augur__model_ill_ellipsoid, &augur__model_rot_ellipsoid,
    &augur__model_discus,     &augur__model_bent_cigar,
    &augur__model_sharp_ridge, &augur__model_diff_powers,
    &augur__model_rot_rastrigin, &augur__model_weierstrass,
    &augur__model_schaffer_f7, &augur__model_katsuura,
    &augur__model_lunacek,    NULL,
};

const augur_model *const *augur_models(void)
{
    return table;
}

const augur_model *augur_model_find(const char *name)
{
    if (!name)
        return NULL;
    for (const augur_model *const *m = table; *m; m++)
        if (augur__name_eq((*m)->name, name))
            return *m;
    return NULL;
}

int augur_model_check_dim(const augur_model *m, size_t n)
{
    if (!m || n == 0 || n < m->min_dim)
        return AUGUR_EINVAL;
    if (m->max_dim != 0 && n > m->max_dim)
        return AUGUR_EINVAL;
    return AUGUR_OK;
}

int augur_model_box(const augur_model *m, size_t n, double *lb, double *ub)
{
    if (!lb || !ub)
        return AUGUR_EINVAL;
    int rc = augur_model_check_dim(m, n);
    if (rc != AUGUR_OK)
        return rc;
    if (m->box)
        m->box(n, lb, ub);
    else
        augur__box_fill(n, lb, ub, m->box_lo, m->box_hi);
    return AUGUR_OK;
}

int augur_model_minimum(const augur_model *m, size_t n, double *fmin,
                        double *xmin)
{
    if (!fmin)
        return AUGUR_EINVAL;
    int rc = augur_model_check_dim(m, n);
    if (rc != AUGUR_OK)
        return rc;
    if (m->minimum)
        return m->minimum(n, fmin, xmin);
    if (m->uniform_min)
        return augur__const_minimum(m, n, m->min_x, m->min_f, fmin, xmin);
    return AUGUR_EUNSUP;
}

/* --- Helpers for the model files --------------------------------------- */

int augur__model_cost_ok(const augur_model *m, const double *x, size_t n)
{
    return x != NULL && augur_model_check_dim(m, n) == AUGUR_OK;
}

int augur__model_min_args(const augur_model *m, size_t n, const double *fmin)
{
    if (!fmin)
        return AUGUR_EINVAL;
    return augur_model_check_dim(m, n);
}

void augur__box_fill(size_t n, double *lb, double *ub, double lo, double hi)
{
    for (size_t i = 0; i < n; i++) {
        lb[i] = lo;
        ub[i] = hi;
    }
}

int augur__const_minimum(const augur_model *m, size_t n, double c, double f,
                         double *fmin, double *xmin)
{
    int rc = augur__model_min_args(m, n, fmin);
    if (rc != AUGUR_OK)
        return rc;
    *fmin = f;
    if (xmin)
        for (size_t i = 0; i < n; i++)
            xmin[i] = c;
    return AUGUR_OK;
}

int augur__point_minimum(const augur_model *m, size_t n, const double *xstar,
                         double *fmin, double *xmin)
{
    int rc = augur__model_min_args(m, n, fmin);
    if (rc != AUGUR_OK)
        return rc;
    *fmin = m->cost(xstar, n, NULL);
    if (xmin)
        memcpy(xmin, xstar, n * sizeof *xmin);
    return AUGUR_OK;
}
