/* cmaes_int.h - private to solvers/cmaes*.c: the CMA-ES state shared by
 * cmaes.c (parameters, life cycle, the step) and cmaes_update.c (the
 * phases of one generation: sample, rank and recombine, paths, covariance,
 * step size, decomposition). */
#ifndef AUGUR_CMAES_INT_H
#define AUGUR_CMAES_INT_H

#include <stddef.h>
#include "augur/plugin.h"
#include "ziggurat_int.h"

/* The "bound-policy" choices, in table order. */
enum { CMAES_RESAMPLE, CMAES_CLIP, CMAES_REFLECT, CMAES_TRANSFORM,
       CMAES_RESAMPLE_REFLECT };

/* Under "resample-reflect", the distribution counts as narrow (and a point
 * outside is reflected, not redrawn) once every coordinate's standard
 * deviation is at most this fraction of its box width. */
#define CMAES_NARROW 0.1

/* Redraws of one point under "resample" before it is clipped instead. */
#define CMAES_MAX_RESAMPLE 100

/* The per-generation energy history keeps at most this many generations
 * and, once full, drops the older half (so at least half of it, the
 * 20,000 generations Stagnation may look back, is always there). */
#define CMAES_HIST_CAP 40000

typedef struct cmaes_state {
    /* parameters (the table in cmaes.c) */
    double population, sigma0, sigma_factor, active, separable, bounds;

    /* sizes and the coefficients in force, fixed at start */
    size_t n, lambda, mu;
    int policy, sep;
    double *w;            /* lambda recombination / update weights */
    double sum_w;         /* sum of all weights (1 without active) */
    double mueff, cc, cs, c1, cmu, damps, chin;
    size_t decompose_every;

    /* the distribution */
    double sigma, sigma_start;
    double *mean, *pc, *ps;
    double *C;            /* n x n (full), or n (separable) */
    double *cdiag;        /* n: C's diagonal, for the view */
    double *D;            /* n: square roots of C's eigenvalues */
    double *axes;         /* n x n: row k is the eigenvector of D[k] */
    size_t gen, decomposed_at;
    int hsig;

    /* one generation */
    double *z;            /* lambda x n standard normals (the last draws) */
    double *x;            /* lambda x n points (under "transform" the
                           * genotypes, which the update uses) */
    double *xe;           /* lambda x n: the points as evaluated, x mapped
                           * into the box ("transform"; else x itself);
                           * after ranking, sorted best first */
    double *f;            /* lambda energies */
    double *xs, *fs;      /* the same, sorted best first */
    struct cmaes_rank *order;
    double *yw, *old_mean;   /* n each */
    int at_box;              /* narrow, and a point was redrawn or repaired at the
                              * box, so its steps are not the normal's: the
                              * active (negative) update skips it */
    double *tmp;             /* 3n scratch: a step, its whitened form, a product */
    double *steps, *coef;    /* lambda x n and lambda: the rank-mu terms */

    /* the eigensolver's output besides axes (full covariance only) */
    double *eval;         /* n: C's eigenvalues, ascending */

    /* per-generation best and median energies */
    double *hbest, *hmed;
    size_t hlen;

    zig_table zig;        /* the normal generator's layers */

    augur_strategy view;
} cmaes_state;

typedef struct cmaes_rank {
    double f;
    size_t k;
} cmaes_rank;

/* cmaes_update.c: the phases of one generation, in the order they run. */
int augur__cmaes_sample(augur_solver *s, cmaes_state *st);
void augur__cmaes_rank(cmaes_state *st);
const double *augur__cmaes_sorted_points(augur_solver *s, cmaes_state *st);
void augur__cmaes_recombine(cmaes_state *st);
void augur__cmaes_update_paths(cmaes_state *st);
void augur__cmaes_adapt_covariance(cmaes_state *st);
void augur__cmaes_adapt_sigma(cmaes_state *st);
int augur__cmaes_decompose(augur_solver *s, cmaes_state *st, int force);

#endif
