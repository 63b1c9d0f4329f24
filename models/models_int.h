/* models_int.h - private to augur's models area; nothing here is installed
 * or part of the API. It holds the model descriptors the registry lists
 * (each defined next to its cost function) and the few helpers every model
 * file needs: argument checks, box filling and "this point is the minimum".
 * Included as "models_int.h" from the files in models/ only. */
#ifndef AUGUR_MODELS_INT_H
#define AUGUR_MODELS_INT_H

#include <stddef.h>
#include "augur/model.h"
#include "augur/status.h"
#include "internal.h"


/* --- Descriptors, grouped by the file that defines them -------------- */
/* classic.c: De Jong's suite and the smooth n-dimensional bowls. */
extern const augur_model augur__model_sphere;
extern const augur_model augur__model_rosen;
extern const augur_model augur__model_step;
extern const augur_model augur__model_quartic;
extern const augur_model augur__model_ellipsoid;
extern const augur_model augur__model_powers;
extern const augur_model augur__model_rastrigin;
extern const augur_model augur__model_ackley;
extern const augur_model augur__model_griewangk;
extern const augur_model augur__model_corana;
/* separable.c: minima found by one-dimensional searches. */
extern const augur_model augur__model_schwefel;
extern const augur_model augur__model_michalewicz;
extern const augur_model augur__model_michal;
extern const augur_model augur__model_paviani;
/* landscapes.c: the two-dimensional ones. */
extern const augur_model augur__model_shekel;
extern const augur_model augur__model_zimmermann;
extern const augur_model augur__model_fosc3d;
extern const augur_model augur__model_nmin51;
extern const augur_model augur__model_peaks;
extern const augur_model augur__model_venkat91;
extern const augur_model augur__model_branins;
extern const augur_model augur__model_easom;
extern const augur_model augur__model_goldstein;
/* chebyshev.c: Storn and Price's polynomial fitting (mystic's chebyshevNcost). */
extern const augur_model augur__model_chebyshev8;
extern const augur_model augur__model_chebyshev16;
/* bbob.c: BBOB's ill-conditioned, rotated and weakly structured landscapes,
 * shifted to a documented optimum with f* = 0. */
extern const augur_model augur__model_ill_ellipsoid;
extern const augur_model augur__model_rot_ellipsoid;
extern const augur_model augur__model_discus;
extern const augur_model augur__model_bent_cigar;
extern const augur_model augur__model_sharp_ridge;
extern const augur_model augur__model_diff_powers;
extern const augur_model augur__model_rot_rastrigin;
extern const augur_model augur__model_weierstrass;
extern const augur_model augur__model_schaffer_f7;
extern const augur_model augur__model_katsuura;
extern const augur_model augur__model_lunacek;

/* --- Helpers (registry.c) ---------------------------------------------- */
/* Nonzero when a cost may evaluate x: x is not NULL and m takes n. Costs
 * return NaN otherwise, since they have no status to report. */
int augur__model_cost_ok(const augur_model *m, const double *x, size_t n);
/* The checks every minimum callback starts with (callers may reach the
 * callbacks through the public struct, bypassing the checked wrapper). */
int augur__model_min_args(const augur_model *m, size_t n, const double *fmin);
/* lb[i] = lo and ub[i] = hi for i < n. */
void augur__box_fill(size_t n, double *lb, double *ub, double lo, double hi);
/* A minimum whose minimiser has every coordinate equal to c and whose value
 * is exactly f (checked by the tests against the cost itself). */
int augur__const_minimum(const augur_model *m, size_t n, double c, double f,
                         double *fmin, double *xmin);
/* A minimum at a fixed point xstar (of m's only dimension): the value is
 * m's own cost at xstar, so the two agree to the last bit. */
int augur__point_minimum(const augur_model *m, size_t n, const double *xstar,
                         double *fmin, double *xmin);

#endif
