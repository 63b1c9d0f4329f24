/* augur/model.h - the built-in cost functions (test problems), by name.
 *
 * Each model has a cost with the augur_cost signature, a dimension rule,
 * a default search box, and its known global minimum value and minimiser,
 * so tests, examples, benchmarks and the config reader can name a problem
 * and check an answer. Quirks of the reference implementations are fixed
 * where they are bugs and documented in docs/MODELS.md. */
#ifndef AUGUR_MODEL_H
#define AUGUR_MODEL_H

#include <stddef.h>
#include "augur/export.h"
#include "augur/solver.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct augur_model {
    const char *name;             /* "rosen", "rastrigin", ... */
    const char *doc;              /* one line: formula and source */
    augur_cost cost;
    size_t min_dim;               /* smallest n allowed */
    size_t max_dim;               /* largest n allowed; 0 = any */
    size_t default_dim;
    /* Default box for dimension n (arrays of n): box() when set, else
     * every coordinate in [box_lo, box_hi]. */
    void (*box)(size_t n, double *lb, double *ub);
    double box_lo, box_hi;
    /* Known global minimum for dimension n: writes f and (when xmin is not
     * NULL) one global minimiser; AUGUR_EUNSUP when not known for that n. */
    int (*minimum)(size_t n, double *fmin, double *xmin);
    /* When minimum is NULL and uniform_min is set: the minimum is min_f, at
     * the point whose every coordinate is min_x. */
    int uniform_min;
    double min_x, min_f;
} augur_model;

/* Every built-in model, NULL-terminated, and lookup by name (NULL if none). */
AUGUR_EXTERN const augur_model *const *augur_models(void);
AUGUR_EXTERN const augur_model *augur_model_find(const char *name);
/* Checked wrappers (use these rather than the hooks, which may be NULL
 * where the table's data say it all): AUGUR_EINVAL for NULL arrays or an n the model does not
 * take, AUGUR_EUNSUP when the minimum is not known for that n. */
AUGUR_EXTERN int augur_model_box(const augur_model *m, size_t n, double *lb,
                                 double *ub);
AUGUR_EXTERN int augur_model_minimum(const augur_model *m, size_t n, double *fmin,
                                     double *xmin);
/* AUGUR_OK when m takes dimension n, AUGUR_EINVAL when it does not (or m is
 * NULL): a status, not a boolean, like the other two wrappers. */
AUGUR_EXTERN int augur_model_check_dim(const augur_model *m, size_t n);

/* The models' cost functions, for direct use (data is ignored unless a
 * model's doc says otherwise: quartic takes a gsl_rng * for its noise and
 * adds none when data is NULL). */
AUGUR_EXTERN double augur_model_sphere(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_rosen(const double *x, size_t n, void *data);
/* Every cost returns NaN for a NULL x or an n its model does not take (a
 * solver's evaluate() turns NaN into +inf), since a cost has no status. */
AUGUR_EXTERN double augur_model_step(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_quartic(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_ellipsoid(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_powers(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_rastrigin(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_ackley(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_griewangk(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_schwefel(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_michalewicz(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_paviani(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_corana(const double *x, size_t n, void *data);
/* Two-dimensional landscapes (n must be 2). */
AUGUR_EXTERN double augur_model_shekel(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_zimmermann(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_fosc3d(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_nmin51(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_peaks(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_venkat91(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_branins(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_easom(const double *x, size_t n, void *data);
AUGUR_EXTERN double augur_model_goldstein(const double *x, size_t n, void *data);

#ifdef __cplusplus
}
#endif
#endif
