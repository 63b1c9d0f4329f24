/* termination_int.h - private to augur's termination area: the built-in
 * type tables, listed by the registry in termination.c. */
#ifndef AUGUR_TERMINATION_INT_H
#define AUGUR_TERMINATION_INT_H

#include "augur/termination.h"

/* The built-in tables, defined in criteria.c and combinators.c. They are
 * external (not static) so this registry can list their addresses in a
 * constant array, as GSL's rng/types.c does, without run-time set-up. */
extern const augur_term_type augur__term_type_vtr;
extern const augur_term_type augur__term_type_change_over_generation;
extern const augur_term_type augur__term_type_normalized_change_over_generation;
extern const augur_term_type augur__term_type_vtr_change_over_generation;
extern const augur_term_type augur__term_type_candidate_relative_tolerance;
extern const augur_term_type augur__term_type_solution_improvement;
extern const augur_term_type augur__term_type_normalized_cost_target;
extern const augur_term_type augur__term_type_population_spread;
extern const augur_term_type augur__term_type_gradient_norm_tolerance;
extern const augur_term_type augur__term_type_evaluation_limits;
extern const augur_term_type augur__term_type_time_limits;
extern const augur_term_type augur__term_type_no_improvement;
extern const augur_term_type augur__term_type_stopval;
extern const augur_term_type augur__term_type_ftol_abs;
extern const augur_term_type augur__term_type_ftol_rel;
extern const augur_term_type augur__term_type_xtol_abs;
extern const augur_term_type augur__term_type_xtol_rel;
extern const augur_term_type augur__term_type_tol_fun;
extern const augur_term_type augur__term_type_tol_x;
extern const augur_term_type augur__term_type_no_effect_axis;
extern const augur_term_type augur__term_type_no_effect_coord;
extern const augur_term_type augur__term_type_condition_cov;
extern const augur_term_type augur__term_type_stagnation;
extern const augur_term_type augur__term_type_tol_up_sigma;
extern const augur_term_type augur__term_type_or;
extern const augur_term_type augur__term_type_and;
extern const augur_term_type augur__term_type_not;
extern const augur_term_type augur__term_type_when;

#include <math.h>
#include <stddef.h>

/* Parameter table entries. Every range is inclusive; generations are whole
 * numbers up to 1e9, tolerances any non-negative double (inf allowed). */
#define PARAM_REAL(nm, st, field, dflt, lo, hi, text)                        \
    { .name = (nm), .kind = AUGUR_PARAM_REAL, .def = (dflt), .min = (lo),    \
      .max = (hi), .offset = offsetof(st, field), .choices = NULL,           \
      .doc = (text) }
#define PARAM_INT(nm, st, field, dflt, hi, text)                             \
    { .name = (nm), .kind = AUGUR_PARAM_INT, .def = (dflt), .min = 0,        \
      .max = (hi), .offset = offsetof(st, field), .choices = NULL,           \
      .doc = (text) }
#define PARAM_TOL(nm, st, field, dflt, text)                                 \
    PARAM_REAL(nm, st, field, dflt, 0, INFINITY, text)
#define PARAM_GENERATIONS(st, field, dflt)                                   \
    PARAM_INT("generations", st, field, dflt, 1e9,                           \
              "how many generations back to compare")
#define PARAM_END { .name = NULL }

/* The state of every leaf whose one parameter is a tolerance. */
typedef struct {
    double tolerance;
} tol_state;

/* --- Shared pieces ------------------------------------------------------ */

/* The history hook of a condition that reads no record but the last
 * (info->f; the previous one, f_prev, the solver always keeps). */
size_t augur__term_last_only(const void *state);

/* The energy history; a missing array reads as an empty one, on which no
 * history test can fire. */
static inline size_t history(const augur_info *info, const double **h)
{
    *h = info->energy_history;
    return *h ? info->history_len : 0;
}

/* mystic's h[-g]: Python counts from the end, but h[-0] is h[0]. Callers
 * make sure len > g, so the index is in range. */
static inline double from_end(const augur_info *info, const double *h,
                              size_t len, size_t g)
{
    if (g == 0)
        return info->history_dropped ? info->energy_first : h[0];
    return h[len - g];
}

/* Parameters are validated whole numbers in [0, 1e9]: the cast is exact. */
static inline size_t whole(double v)
{
    return (size_t)v;
}

/* |h[-1] - target| <= tolerance, with at least one record. */
static inline int near_target(const augur_info *info, double tolerance, double target)
{
    const double *h;
    size_t len = history(info, &h);
    return len > 0 && fabs(h[len - 1] - target) <= tolerance;
}

/* ChangeOverGeneration. Equality is tested apart, as mystic does, so a
 * history stuck at +inf (inf - inf is NaN) still counts as unchanged. */
static inline int change_over(const augur_info *info, double tolerance, size_t g)
{
    const double *h;
    size_t len = history(info, &h);
    if (len <= g)
        return 0;
    double old = from_end(info, h, len, g), last = h[len - 1];
    return old == last || old - last <= tolerance;
}

/* One parameter for a constructor to set. */
typedef struct {
    const char *name;
    double value;
} setting;

/* A condition of `type` with the settings (ending at a NULL name) applied,
 * or NULL when one is refused (negative tolerance, NaN, out of range): the
 * generic setter does the validating, so constructors cannot disagree with
 * it. */
augur_termination *augur__term_build(const augur_term_type *type,
                                      const setting *settings);

#define BUILD(type, ...) augur__term_build(&(type), (const setting[]){__VA_ARGS__, {NULL, 0}})

#endif
