/* augur/profile.h - profile scans: how the best cost depends on one
 * parameter when all the others are free.
 *
 * The profile of a cost f over parameter k is p(v) = min over x with x_k
 * = v of f(x), here at `points` evenly spaced values v from `from` to `to`
 * (both included). The grid is cut into `bins` equal bins, each widened
 * into its neighbours by `overlap` (augur_extend_bin), and each bin is one
 * task of a map, so bins run in parallel on any backend. A task rebuilds
 * the template solver from its spec, and at each grid value of its bin in
 * increasing order pins x_k to the value (bounds lb = ub = v on that
 * coordinate: the template's own bounds on k are replaced) and solves,
 * starting the first value from the template's starting point and each
 * later one from the previous value's answer (a warm start), seeded from
 * the task's seed and the value's place in the bin. The bins' curves are
 * then combined into one. By default (AUGUR_PROFILE_LOWEST) a grid value
 * two bins share takes the lower of their minima: a profile is a minimum,
 * so where a local solver found a worse local minimum in one bin the other
 * bin's answer is the better estimate, and averaging the two (or shifting
 * whole bins to agree) would carry the worse one into the curve.
 * AUGUR_PROFILE_JOIN uses the seed's windowed join instead
 * (augur_join_results), for curves whose bins may differ by a constant;
 * its offsets are then also a check that the bins agreed.
 *
 *     augur_solver *s = augur_solver_create("powell", 3);
 *     augur_solver_set_initial_point(s, x0);
 *     augur_profile_options o = {.parameter = 0, .from = -2, .to = 2,
 *                                .points = 41, .bins = 4, .overlap = 0.1};
 *     augur_profile_result r;
 *     if (augur_profile(s, cost, data, map, &o, &r, err, sizeof err) == AUGUR_OK)
 *         ... r.x[j], r.y[j] ...;
 *     augur_profile_result_destroy(&r);
 *
 * What reaches the tasks is the template's spec (everything but run state
 * and monitors), so a template with a callback constraint or a user
 * penalty is refused (AUGUR_EUNSUP). The cost crosses as pointers where
 * the map's workers share the caller's image, and by its registered name
 * (augur_cost_register, or a model's name) where they do not (MPI). A
 * template with a map of its own is allowed only when the profile runs
 * serially, and never an MPI one. The result is the same bytes on every
 * backend with any number of workers. docs/PROFILES.md has the details. */
#ifndef AUGUR_PROFILE_H
#define AUGUR_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include "augur/export.h"
#include "augur/join.h"
#include "augur/map.h"
#include "augur/solver.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum augur_profile_combine {
    AUGUR_PROFILE_LOWEST,         /* where bins overlap, the lowest minimum */
    AUGUR_PROFILE_JOIN            /* the windowed, offset-aligned join */
} augur_profile_combine;

typedef struct augur_profile_options {
    size_t parameter;             /* k, the coordinate scanned (0-based) */
    double from, to;              /* its range: finite, from < to */
    size_t points;                /* grid values, >= 2, both ends included */
    size_t bins;                  /* map tasks, 1 .. points - 1 (0: 1) */
    double overlap;               /* how far a bin reaches into each
                                     neighbour, as a fraction of its width:
                                     0 .. 1 */
    uint64_t seed;                /* every task's and grid value's seed
                                     derives from it */
    augur_profile_combine combine; /* zeroed: the lowest value per grid point */
    augur_window window;          /* AUGUR_PROFILE_JOIN's weights; zeroed: Hann */
} augur_profile_options;

/* One bin's raw curve. */
typedef struct augur_profile_bin {
    double lo, hi;                /* its range, widened */
    size_t first;                 /* the grid index of its first value */
    size_t n;                     /* its grid values */
    double *x, *y;                /* n each: values and optimum cost there */
    double *argmin;               /* n rows of dimension: where y was found */
    size_t evaluations;           /* cost calls over the bin */
} augur_profile_bin;

typedef struct augur_profile_result {
    size_t n;                     /* the grid: options.points */
    double *x, *y;                /* the joined curve */
    double *offsets;              /* bins: the join's offset of each bin
                                     (all 0 with AUGUR_PROFILE_LOWEST) */
    size_t bins;
    augur_profile_bin *raw;       /* bins raw curves */
    size_t dimension;
    size_t evaluations;           /* over all bins */
} augur_profile_result;

/* Scan parameter opt->parameter of cost over [opt->from, opt->to] with
 * the template solver tmpl (borrowed, unchanged) on map (NULL: serially on
 * the caller). On success *res holds the profile; on failure it is zeroed
 * and err (cap bytes) says why. The template's limits and termination
 * apply to each grid value's solve. */
AUGUR_EXTERN int augur_profile(const augur_solver *tmpl, augur_cost cost, void *data,
                               augur_map *map, const augur_profile_options *opt,
                               augur_profile_result *res, char *err, size_t cap);
/* Free everything the result holds and zero it. NULL is a no-op. */
AUGUR_EXTERN void augur_profile_result_destroy(augur_profile_result *res);

#ifdef __cplusplus
}
#endif
#endif
