/* augur/fit.h - fitting models to data: the data, the fit models by name,
 * the cost a solver minimises, and the report at the answer.
 *
 * A fit turns (model, data, metric) into an ordinary cost over the model's
 * parameters, so any solver can fit anything:
 *
 *     augur_data *d = NULL;
 *     augur_data_read_csv("decay.csv", "t", "counts", "sigma", &d, err, cap);
 *     augur_fit *fit = NULL;
 *     augur_fit_create("exponential-decays", 5, d, AUGUR_METRIC_CHI_SQUARE,
 *                      &fit, err, cap);
 *     augur_solve(s, augur_fit_cost, fit, NULL);   // s has dimension 5
 *     augur_fit_report r;  augur_fit_report_at(fit, best, &r, err, cap);
 *
 * Data are rows of x (xdim columns) and y (ydim columns), with an optional
 * sigma per y value (1 when absent). A model predicts all of y from the
 * parameters and all of x at once, which suits models that integrate an
 * ODE over time (Kuramoto) as well as pointwise ones. */
#ifndef AUGUR_FIT_H
#define AUGUR_FIT_H

#include <stddef.h>
#include <stdint.h>
#include "augur/export.h"
#include "augur/lm.h"
#include "augur/map.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- Data ---------------------------------------------------------------- */

typedef struct augur_data augur_data;

/* Columns by header name or by 0-based index ("t", "2"); x and y may list
 * several, comma-separated ("x,y"). sigma NULL: unit weights; else one
 * column per y column, comma-separated. Lines starting with '#' and blank
 * lines are skipped; the first other line is the header when any of its
 * fields is not a number. Errors name the file, line and column. */
AUGUR_EXTERN int augur_data_read_csv(const char *path, const char *x, const char *y,
                                     const char *sigma, augur_data **out, char *err,
                                     size_t cap);
/* From arrays (copied): x is npoints x xdim, y and sigma npoints x ydim
 * (sigma may be NULL). NULL for a zero size, a value that is not finite, a
 * sigma that is not positive, or no memory. */
AUGUR_EXTERN augur_data *augur_data_create(size_t npoints, size_t xdim, size_t ydim,
                                           const double *x, const double *y,
                                           const double *sigma);
AUGUR_EXTERN void augur_data_destroy(augur_data *d);
AUGUR_EXTERN size_t augur_data_points(const augur_data *d);
AUGUR_EXTERN size_t augur_data_xdim(const augur_data *d);
AUGUR_EXTERN size_t augur_data_ydim(const augur_data *d);
AUGUR_EXTERN const double *augur_data_x(const augur_data *d);      /* npoints x xdim */
AUGUR_EXTERN const double *augur_data_y(const augur_data *d);      /* npoints x ydim */
AUGUR_EXTERN const double *augur_data_sigma(const augur_data *d);  /* npoints x ydim */
/* 1 when sigma came with the data, 0 for unit weights (the report then
 * scales the covariance by the reduced chi-square). */
AUGUR_EXTERN int augur_data_weighted(const augur_data *d);

/* --- Fit models ------------------------------------------------------------ */

typedef struct augur_fit_model {
    const char *name;             /* "polynomial", "lorentzian", ... */
    const char *doc;              /* one line: the formula */
    /* Parameters: fixed count, or 0 when the fit chooses it (polynomial
     * degree + 1, number of peaks x 3 ...): see size_rule. */
    size_t nparams;
    const char *size_rule;        /* how a variable count is chosen, or NULL */
    const char *const *param_names; /* NULL-terminated when nparams is fixed */
    size_t xdim, ydim;            /* 0: any (the data decide) */
    /* Predict yhat (npoints x ydim) from p and the data's x. 0, or a
     * negative status (the prediction is impossible: counts as +inf). */
    int (*predict)(const double *p, size_t np, const augur_data *d, double *yhat);
    /* Variable counts and data rules: AUGUR_OK when the model takes np
     * parameters on d, else a negative status with a message in err (cap
     * bytes). NULL: only the fixed count and xdim/ydim are checked. */
    int (*check)(size_t np, const augur_data *d, char *err, size_t cap);
    /* The name of parameter i of np ("A2", "omega3"), for variable counts;
     * NULL when param_names lists them. */
    void (*param_name)(size_t i, size_t np, char *buf, size_t cap);
    /* --- Optional, zero in the built-in models ---------------------------
     * The model's own data (a compiled formula), handed to the two
     * callbacks below. */
    void *data;
    /* Used instead of predict when set: the same prediction, with data.
     * predict may then be NULL. */
    int (*predict_with)(void *data, const double *p, size_t np, const augur_data *d,
                        double *yhat);
    /* The Jacobian d yhat_r / d p_j into jac (rows r of points x ydim,
     * np columns, row-major): 0 or a negative status. NULL: the model has
     * none (callers take differences). */
    int (*jacobian)(void *data, const double *p, size_t np, const augur_data *d,
                    double *jac);
} augur_fit_model;

/* Every fit model, the built-ins then the registered ones in order of
 * registration, NULL-terminated; and lookup by name (ignoring case, '_'
 * as '-'). The list is a snapshot: registering later does not change a
 * list already returned. It stays valid for the life of the process. */
AUGUR_EXTERN const augur_fit_model *const *augur_fit_models(void);
AUGUR_EXTERN const augur_fit_model *augur_fit_model_find(const char *name);
/* Register m (borrowed: it must outlive every use) so that augur_fit_create
 * and config files find it by name like a built-in, with the same report,
 * metrics and polish. Thread-safe; registering the same m again is a no-op.
 * AUGUR_EINVAL without a name or a prediction (predict or predict_with),
 * with a fixed count and no param_names, or for a name already taken (a
 * built-in's or another registered model's, compared as lookup does);
 * AUGUR_ENOMEM past room for 32 models. */
AUGUR_EXTERN int augur_fit_model_register(const augur_fit_model *m);

/* --- Fits ---------------------------------------------------------------- */

typedef enum augur_metric {
    AUGUR_METRIC_CHI_SQUARE,      /* sum ((yhat - y) / sigma)^2 */
    AUGUR_METRIC_SUM_OF_SQUARES,  /* sum (yhat - y)^2 */
    AUGUR_METRIC_ABSOLUTE         /* sum |yhat - y| */
} augur_metric;
/* "chi-square", "sum-of-squares", "absolute"; NULL-terminated. */
AUGUR_EXTERN extern const char *const augur_metric_names[];

typedef struct augur_fit augur_fit;

/* nparams 0 takes the model's fixed count; a variable-count model needs it.
 * The fit borrows d (it must outlive the fit). */
AUGUR_EXTERN int augur_fit_create(const char *model, size_t nparams,
                                  const augur_data *d, augur_metric metric,
                                  augur_fit **out, char *err, size_t cap);
/* The same with the model itself, registered or not (borrowed: it must
 * outlive the fit): how a config file fits a model from a plugin, with
 * the report, metrics and polish of a built-in. AUGUR_EINVAL for a model
 * without a name or a prediction, or with a fixed count and no
 * param_names. */
AUGUR_EXTERN int augur_fit_create_model(const augur_fit_model *m, size_t nparams,
                                        const augur_data *d, augur_metric metric,
                                        augur_fit **out, char *err, size_t cap);
/* A fit of a formula y = formula(parameters, x) through libmatheval: its
 * variables are the nparams names in param_names (the parameters, in
 * order) and the data's x columns named by x_names (d's xdim of them); d
 * has one y column. The formula is checked first, so a bad one fails with
 * its column ("column 12: unknown variable 'taux' (the variables are a,
 * tau, t)"); a parameter name that is not an identifier, is one of the
 * formula language's functions or constants, is given twice or is also
 * an x name fails ("parameter 3 ..." or "x column 1 ..."), as does a
 * parameter the formula does not use. The model (named "formula") has
 * the formula's symbolic derivatives as its Jacobian. */
AUGUR_EXTERN int augur_fit_create_formula(const char *formula,
                                          const char *const *param_names,
                                          size_t nparams, const char *const *x_names,
                                          const augur_data *d, augur_metric metric,
                                          augur_fit **out, char *err, size_t cap);
AUGUR_EXTERN void augur_fit_destroy(augur_fit *f);
AUGUR_EXTERN size_t augur_fit_nparams(const augur_fit *f);
AUGUR_EXTERN const augur_fit_model *augur_fit_get_model(const augur_fit *f);
/* The name of parameter i ("b", "tau2", "K"); AUGUR_EINVAL past the end. */
AUGUR_EXTERN int augur_fit_param_name(const augur_fit *f, size_t i, char *buf,
                                      size_t cap);
/* The cost of parameters p (an augur_cost: pass the fit as data). NaN
 * when the model cannot predict there (the solver counts it as +inf).
 * Thread-safe: a fit may be evaluated from several threads. */
AUGUR_EXTERN double augur_fit_cost(const double *p, size_t n, void *fit);
/* The model's analytic Jacobian at p (residuals x nparams, row-major: d
 * yhat_r / d p_j), for a model that has one (a formula's); AUGUR_EUNSUP
 * for one that has not. Thread-safe like augur_fit_cost. */
AUGUR_EXTERN int augur_fit_jacobian(const augur_fit *f, const double *p, double *jac,
                                    char *err, size_t cap);

typedef struct augur_fit_report {
    double cost;                  /* the metric at p */
    size_t dof;                   /* points x ydim - nparams */
    double reduced_chi_square;    /* chi-square / dof (NaN when dof == 0) */
    /* In: NULL or nparams doubles each; the caller owns them. Out: one
     * standard error per parameter from the curvature of chi-square at p
     * (covariance = 2 H^-1 for the chi-square metric; scaled by the reduced
     * chi-square for unit weights), NaN where the curvature is singular. */
    double *uncertainty;
    double *covariance;           /* NULL, or nparams * nparams */
    /* In: NULL, or nparams flags; a nonzero flag holds that parameter
     * fixed (pinned by the fit's bounds, say): the curvature is taken over
     * the others only, its uncertainty and its row and column of the
     * covariance are 0, and dof counts only the free parameters. */
    const int *fixed;
} augur_fit_report;

AUGUR_EXTERN int augur_fit_report_at(const augur_fit *f, const double *p,
                                     augur_fit_report *r, char *err, size_t cap);
/* Finish a global fit with Levenberg-Marquardt (augur/lm.h) from p, in
 * place, within the bounds (NULL: none). Only for the chi-square and
 * sum-of-squares metrics. Coordinates with lb[i] == ub[i] stay fixed (LM
 * sees only the others); p keeps the start if LM does not improve on it.
 * A model with a Jacobian (a formula's) gives LM its own, divided by sigma
 * for chi-square; others are differenced. */
AUGUR_EXTERN int augur_fit_polish(const augur_fit *f, double *p, const double *lb,
                                  const double *ub, char *err, size_t cap);
/* The same with LM's options (NULL: its defaults) and its result (NULL, or
 * filled: converged, reason, counts; its covariance pointer is ignored),
 * so a report can say whether the polish converged. The options' jacobian
 * and jacobian_data are the fit's to set: the model's Jacobian or none. */
AUGUR_EXTERN int augur_fit_polish_lm(const augur_fit *f, double *p, const double *lb,
                                     const double *ub, const augur_lm_options *opt,
                                     augur_lm_result *res, char *err, size_t cap);

/* --- The least-squares fit strategy --------------------------------------- */

/* What a fit does when it names no solver (docs/FITS.md, "The fit
 * strategy"): Levenberg-Marquardt from the user's start; when that run
 * does not end at a local minimum of the box, LM again from `starts`
 * points spread over the box, one map task each, every distinct local
 * minimum kept and the best one the answer.
 *
 * A run ends at a local minimum of the box when LM converged (a test
 * passed and no parameter is flat: augur/lm.h) and no parameter sits on a
 * bound with chi^2 falling inward: for a parameter within 1e-9 max(|b|, 1)
 * of a finite bound b, the point one step h = 1e-6 max(|p_i|, 1) (at most
 * half the box) inside is evaluated, and a chi^2 lower there by more than
 * 1e-10 chi^2 makes it no minimum. */

typedef enum augur_fit_design {
    AUGUR_FIT_DESIGN_DEFAULT = 0,       /* Sobol up to 40 parameters, else LHS */
    AUGUR_FIT_DESIGN_SOBOL,
    AUGUR_FIT_DESIGN_LATIN_HYPERCUBE
} augur_fit_design;

/* Zero asks for each field's default. */
typedef struct augur_fit_strategy_options {
    size_t starts;          /* LM runs of the multi-start; default 64 */
    augur_fit_design design; /* how the starts are spread; default Sobol */
    double distinct;        /* two endings are one minimum when every
                               parameter agrees within distinct max(|a|, |b|)
                               (or 1e-12 absolute); default 1e-4 */
    int always;             /* 1: run the multi-start even when the first
                               LM ends at a local minimum */
    augur_lm_options lm;    /* every LM run's options (its defaults at 0);
                               lm.max_iterations is the budget per run */
    uint64_t seed;          /* the design's generator (GSL's mt19937) */
    augur_map *map;         /* serial, threads or fork, for the multi-start;
                               NULL: serial in the caller */
} augur_fit_strategy_options;

typedef struct augur_fit_strategy_result {
    int converged;          /* 1: the answer is a local minimum of the box */
    char reason[128];       /* how it ended, for people */
    int multistart;         /* 1 when the multi-start ran */
    size_t runs;            /* LM runs: the first plus the multi-start's */
    size_t evaluations;     /* residual vectors, every run and probe */
    augur_lm_result first;  /* LM from the user's start */
    augur_lm_result best;   /* the run that gave the answer */
    /* Out, owned (augur_fit_strategy_result_free): the distinct local
     * minima found, best first: nminima x nparams points, their chi^2,
     * and how many runs ended at each. */
    size_t nminima;
    double *minima;
    double *minima_chi2;
    size_t *minima_hits;
} augur_fit_strategy_result;

/* The strategy over residuals (f must be safe to call from several threads
 * at once on a threads map). p: in the start (inside the box), out the
 * answer; lb and ub the box (NULL or infinite sides: the first LM only; the
 * multi-start needs every side finite and is skipped, with a reason, when
 * one is not). AUGUR_OK when an answer was reached, converged or not;
 * negative statuses as augur_lm_fit's, and AUGUR_EUNSUP for a map whose
 * workers cannot share the caller's memory (MPI). */
AUGUR_EXTERN int augur_lsq_strategy(augur_residual_fn f, void *data, size_t nparams,
                                    size_t nresiduals, double *p, const double *lb,
                                    const double *ub,
                                    const augur_fit_strategy_options *opt,
                                    augur_fit_strategy_result *res, char *err,
                                    size_t cap);
/* The same for a fit (chi-square or sum-of-squares metric); coordinates
 * with lb[i] == ub[i] stay fixed, and every LM run takes the model's
 * Jacobian when it has one (opt->lm.jacobian is replaced), as in
 * augur_fit_polish. */
AUGUR_EXTERN int augur_fit_strategy(const augur_fit *f, double *p, const double *lb,
                                    const double *ub,
                                    const augur_fit_strategy_options *opt,
                                    augur_fit_strategy_result *res, char *err,
                                    size_t cap);
AUGUR_EXTERN void augur_fit_strategy_result_free(augur_fit_strategy_result *res);

/* --- The minimal enclosing circle ----------------------------------------- */

/* mystic's circle problem as an augur_cost over p = (x, y, r): data is a
 * const augur_data * whose rows are the points (x, y) (xdim = ydim = 1, so
 * a CSV file with columns x and y reads straight in). The cost is r plus,
 * for every point at distance d > r from the centre, 1 + d - r; a negative
 * r costs -999 r. Its minimum is exactly the smallest circle holding every
 * point (docs/FITS.md). NaN for bad arguments. */
AUGUR_EXTERN double augur_circle_cost(const double *p, size_t n, void *data);

#ifdef __cplusplus
}
#endif
#endif
