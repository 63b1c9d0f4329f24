/* fit_int.h - private to the fit area of models/ (data.c, fit.c,
 * fit_report.c, fit_models.c, fit_kuramoto.c, fit_formula.c); nothing here is installed.
 *
 * It opens the two opaque types of augur/fit.h - the data and the fit - to
 * the files that implement them, lists the fit-model descriptors that
 * fit_models.c's table points at (each is defined next to its predict
 * function), and declares the few helpers the files share: formatting
 * parameter names and messages, and evaluating a fit's prediction and its
 * chi-square at a point. Included as "fit_int.h" from models/ only. */
#ifndef AUGUR_FIT_INT_H
#define AUGUR_FIT_INT_H

#include <stddef.h>
#include "augur/fit.h"
#include "augur/status.h"

struct augur_data {
    size_t n, xdim, ydim;
    double *x, *y, *sigma;        /* rows of xdim, ydim, ydim */
    int weighted;                 /* 1 when sigma came from the caller */
};

typedef struct augur__formula augur__formula;   /* fit_formula.c */

struct augur_fit {
    const augur_fit_model *model;
    const augur_data *d;          /* borrowed */
    augur_metric metric;
    size_t np;
    augur__formula *formula;      /* a formula fit's model (owned), or NULL */
};

/* --- Descriptors (fit_models.c unless noted) ---------------------------- */
extern const augur_fit_model augur__fit_polynomial;
extern const augur_fit_model augur__fit_lorentzian;
extern const augur_fit_model augur__fit_gaussian_peaks;
extern const augur_fit_model augur__fit_exponential_decays;
extern const augur_fit_model augur__fit_mogi;
extern const augur_fit_model augur__fit_chirp;
extern const augur_fit_model augur__fit_kuramoto;   /* fit_kuramoto.c */

/* --- Helpers ---------------------------------------------------------------- */
/* data.c: data with room for npoints rows (contents unset, unweighted), or
 * NULL for a zero size, an overflow or no memory. */
augur_data *augur__data_alloc(size_t npoints, size_t xdim, size_t ydim);

/* fit_formula.c: a formula fit's model, freed with the fit. */
void augur__formula_free(augur__formula *fm);

/* fit.c */
/* Predict at p into yhat (points x ydim): the model's status, and
 * AUGUR_ERANGE when it returned a value that is not finite. */
int augur__fit_predict(const augur_fit *f, const double *p, double *yhat);
/* sum ((yhat - y) / sigma)^2, whatever the fit's metric. */
double augur__fit_chi2(const augur_fit *f, const double *yhat);
/* The fit's metric of a prediction. */
double augur__fit_metric(const augur_fit *f, const double *yhat);
/* Residuals count: points x ydim. */
size_t augur__fit_residuals(const augur_fit *f);
/* The Jacobian of the residuals LM sees, (yhat - y) / sigma for chi-square
 * or yhat - y, over the k free parameters idx[0..k) at full (every
 * parameter), from the model's own Jacobian, into J (residuals x k); NaN
 * where the model has none or cannot give it there (LM zeroes entries that
 * are not finite). work: residuals x np doubles. */
void augur__fit_lsq_jacobian(const augur_fit *f, const double *full, const size_t *idx,
                             size_t k, double *J, double *work);

#endif
