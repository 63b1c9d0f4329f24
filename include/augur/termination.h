/* augur/termination.h - termination conditions and their combinators.
 *
 * A condition is a small object: a const type table (name, parameters,
 * check) plus its own parameter values. augur_term_check() asks it whether
 * a run described by an augur_info should stop: 0 continue, 1 stop, or a
 * negative status on error (the condition cannot be judged). When a
 * condition fires, augur_term_reason() says which and with what numbers,
 * for example "VTR(tolerance=0.005, target=0)"; a combinator reports the
 * members that fired, joined by "; ".
 *
 * Ownership: combinators own their children, also when they fail. Passing
 * NULL as a child makes a combinator destroy the other children and return
 * NULL, so nested constructor calls never leak and need no checks between
 * them. A solver given a condition owns it (augur_solver_set_termination).
 *
 * Formulas and defaults follow mystic's termination module; h is the energy
 * history (best energy per generation record, generation 0 first), L its
 * length, g a `generations` parameter. */
#ifndef AUGUR_TERMINATION_H
#define AUGUR_TERMINATION_H

#include <stddef.h>
#include "augur/export.h"
#include "augur/info.h"
#include "augur/param.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct augur_termination augur_termination;

/* The type table. A leaf fills only check; combinators also use children.
 * check returns 0 (continue), 1 (stop) or a negative status. It may write a
 * reason into `reason` (cap bytes); when it leaves it empty the base writes
 * "Label(param=value, ...)" from the parameter table. */
typedef struct augur_term_type {
    const char *name;             /* registry name: "vtr", "change-over-generation" */
    const char *label;            /* reason label: "VTR", "ChangeOverGeneration" */
    const char *doc;              /* one line */
    size_t state_size;            /* bytes of parameter/state storage */
    const augur_param *params;    /* NULL-name terminated, may be NULL */
    size_t max_children;          /* 0 for leaves */
    int (*check)(augur_termination *t, void *state, const augur_info *info,
                 char *reason, size_t cap);
    void (*reset)(void *state);   /* optional: forget remembered values */
    /* Optional: how many of the latest energy-history records check reads
     * (1: only the last, info->f). A solver keeps only the largest window
     * its condition declares (combinators: the largest of their members'),
     * so memory stays flat over any number of generations. NULL means
     * unknown: the solver then keeps every record. */
    size_t (*history)(const void *state);
} augur_term_type;

/* --- Generic use ------------------------------------------------------- */

/* A condition by registry name with default parameters, or NULL. */
AUGUR_EXTERN augur_termination *augur_term_create(const char *name);
/* Frees t and its children. NULL is a no-op. */
AUGUR_EXTERN void augur_term_destroy(augur_termination *t);
AUGUR_EXTERN int augur_term_set_param(augur_termination *t, const char *name,
                                      double value);
AUGUR_EXTERN int augur_term_get_param(const augur_termination *t,
                                      const char *name, double *value);
/* 0 continue, 1 stop, negative status on error (see augur_term_errmsg). */
AUGUR_EXTERN int augur_term_check(augur_termination *t, const augur_info *info);
/* Why the last check fired ("" when it did not). */
AUGUR_EXTERN const char *augur_term_reason(const augur_termination *t);
AUGUR_EXTERN const char *augur_term_errmsg(const augur_termination *t);
/* Forget remembered values (called when a solver (re)starts a run). */
AUGUR_EXTERN void augur_term_reset(augur_termination *t);
AUGUR_EXTERN const augur_term_type *augur_term_get_type(const augur_termination *t);
AUGUR_EXTERN size_t augur_term_child_count(const augur_termination *t);
/* Member i of a combinator. A solver's condition (augur_solver_termination)
 * is read-only through its members too: the solver works out once what it
 * reads (history, clock), so change it with augur_solver_set_termination. */
AUGUR_EXTERN augur_termination *augur_term_child(const augur_termination *t,
                                                 size_t i);
/* How many of the latest energy-history records t reads: its type's
 * `history` hook, the largest over a combinator's members, SIZE_MAX when
 * some member does not say (keep everything). */
AUGUR_EXTERN size_t augur_term_history(const augur_termination *t);
/* Whether t may read info->elapsed: some member is TimeLimits or a type
 * that is not built in (a program's own type is always given the time). */
AUGUR_EXTERN int augur_term_reads_elapsed(const augur_termination *t);
/* A deep copy (parameters and children, not remembered values), or NULL. */
AUGUR_EXTERN augur_termination *augur_term_copy(const augur_termination *t);

/* Registry: every built-in type, NULL-terminated, and lookup by name. */
AUGUR_EXTERN const augur_term_type *const *augur_term_types(void);
AUGUR_EXTERN const augur_term_type *augur_term_type_find(const char *name);

/* --- Building and writing conditions ---------------------------------- */
/* These serve the config reader (which builds a tree by name, member by
 * member) and third-party types, which bring their own augur_term_type. */

/* A condition of any type, default parameters, no children; or NULL. */
AUGUR_EXTERN augur_termination *augur_term_create_type(const augur_term_type *type);
/* Append a member to a combinator. t owns child also when this fails (the
 * child is then destroyed): AUGUR_EINVAL for a NULL child, AUGUR_ERANGE
 * when t takes no more members (leaves take none, not/when one). */
AUGUR_EXTERN int augur_term_add_child(augur_termination *t,
                                      augur_termination *child);
/* What t is, as text: "Label(param=value, ...)" for a leaf, members nested
 * for a combinator: "Or(VTR(tolerance=0.005, target=0), Not(...))". */
AUGUR_EXTERN void augur_term_describe(const augur_termination *t, char *buf,
                                      size_t cap);
/* For a type's check: store a message on t and return code (negative). */
AUGUR_EXTERN int augur_term_fail(augur_termination *t, int code,
                                 const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* --- Leaves (mystic's set) -------------------------------------------- */
/* Each returns NULL for a negative tolerance or other invalid argument. */

/* |h[-1] - target| <= tolerance.  (mystic defaults 0.005, 0) */
AUGUR_EXTERN augur_termination *augur_term_vtr(double tolerance, double target);
/* L > g and h[-g] - h[-1] <= tolerance.  (1e-6, 30) */
AUGUR_EXTERN augur_termination *augur_term_change_over_generation(double tolerance,
                                                                  size_t generations);
/* L > g and 2(h[-g] - h[-1]) <= tolerance (|h[-g]| + |h[-1]|) + 1e-20.  (1e-4, 10) */
AUGUR_EXTERN augur_termination *augur_term_normalized_change_over_generation(
    double tolerance, size_t generations);
/* change-over-generation(gtol, g) or vtr(ftol, target).  (0.005, 1e-6, 30, 0) */
AUGUR_EXTERN augur_termination *augur_term_vtr_change_over_generation(
    double ftol, double gtol, size_t generations, double target);
/* Every population member within xtol of the best in every coordinate and
 * within ftol in energy (absolute). An error for a population of one. (1e-4, 1e-4) */
AUGUR_EXTERN augur_termination *augur_term_candidate_relative_tolerance(double xtol,
                                                                        double ftol);
/* max over last trials of sum |best - trial| <= tolerance.  (1e-5) */
AUGUR_EXTERN augur_termination *augur_term_solution_improvement(double tolerance);
/* With a finite fval: |h[-1] - fval| <= |tolerance fval|. With fval NaN:
 * g > 0 and L > g and h[-g] - h[-1] <= 0, or g == 0 (always).  (NaN, 1e-6, 30)
 * The parameter table cannot hold NaN, so "no fval" is stored as INFINITY:
 * the `fval` parameter reads back inf, and any non-finite fval means none. */
AUGUR_EXTERN augur_termination *augur_term_normalized_cost_target(double fval,
                                                                  double tolerance,
                                                                  size_t generations);
/* Every member within |tolerance x_0| of member 0 (the best when the
 * population is sorted), per coordinate; a zero coordinate needs equality.
 * An error for a population of one, as for candidate-relative-tolerance.
 * (1e-6) */
AUGUR_EXTERN augur_termination *augur_term_population_spread(double tolerance);
/* p-norm (p >= 1, or INFINITY) of a forward-difference gradient at the best
 * point <= tolerance.  (1e-5, INFINITY) */
AUGUR_EXTERN augur_termination *augur_term_gradient_norm_tolerance(double tolerance,
                                                                   double norm);
/* generations >= g or evaluations >= e; 0 means no limit on that count. */
AUGUR_EXTERN augur_termination *augur_term_evaluation_limits(size_t generations,
                                                             size_t evaluations);
/* Elapsed solving time >= seconds.  (86400) */
AUGUR_EXTERN augur_termination *augur_term_time_limits(double seconds);
/* The best energy has not improved by more than tolerance over the last
 * `generations` generations (pagmo's missing "stall" test):
 * L > g and h[L-1-g] - h[L-1] <= tolerance.  (30, 0) */
AUGUR_EXTERN augur_termination *augur_term_no_improvement(size_t generations,
                                                          double tolerance);
/* NLopt's leaves. stopval: f <= value. ftol: |f_prev - f| <= tol (abs) or
 * <= tol |f| (rel) between consecutive records with f_prev > f or equal.
 * xtol: |x_prev - x|_inf <= tol (abs) or sum |dx_i| <= tol sum |x_i| (rel).
 * ftol and xtol never fire at generation 0 (no previous record), and ftol
 * not after an infinite f_prev (as NLopt). Defaults: stopval -inf (never),
 * tolerances 1e-8. */
AUGUR_EXTERN augur_termination *augur_term_stopval(double value);
AUGUR_EXTERN augur_termination *augur_term_ftol_abs(double tolerance);
AUGUR_EXTERN augur_termination *augur_term_ftol_rel(double tolerance);
AUGUR_EXTERN augur_termination *augur_term_xtol_abs(double tolerance);
AUGUR_EXTERN augur_termination *augur_term_xtol_rel(double tolerance);

/* --- Hansen's CMA-ES tests (termination/strategy.c) -------------------- */
/* They read the search distribution a solver publishes (augur_info's
 * strategy: cmaes does) and fail with a message under any other solver.
 * D: square roots of C's eigenvalues; m the mean; g the generation. */

/* The best energies of the last 10 + ceil(30 n / lambda) generations and
 * every energy of the last generation lie within tolerance.  (1e-11) */
AUGUR_EXTERN augur_termination *augur_term_tol_fun(double tolerance);
/* sigma sqrt(C_ii) and sigma |pc_i| below tolerance sigma0, for every i.
 * (1e-12) */
AUGUR_EXTERN augur_termination *augur_term_tol_x(double tolerance);
/* m + factor sigma D_k b_k == m, for the axis k = g mod n.  (0.1) */
AUGUR_EXTERN augur_termination *augur_term_no_effect_axis(double factor);
/* m_i + factor sigma sqrt(C_ii) == m_i for some i.  (0.2) */
AUGUR_EXTERN augur_termination *augur_term_no_effect_coord(double factor);
/* (max D / min D)^2 > limit.  (1e14) */
AUGUR_EXTERN augur_termination *augur_term_condition_cov(double limit);
/* Over the last min(20000, ceil(0.2 g + 120 + 30 n / lambda)) generations
 * the median of the newest `share` of the best and of the median energies
 * per generation is no better than that of the oldest share.  (0.3) */
AUGUR_EXTERN augur_termination *augur_term_stagnation(double share);
/* sigma / sigma0 > limit max D.  (1e20) */
AUGUR_EXTERN augur_termination *augur_term_tol_up_sigma(double limit);

/* --- Combinators -------------------------------------------------------- */
/* Own their children, also on failure; a NULL child gives NULL. */
AUGUR_EXTERN augur_termination *augur_term_or(augur_termination *a,
                                              augur_termination *b);
AUGUR_EXTERN augur_termination *augur_term_and(augur_termination *a,
                                               augur_termination *b);
AUGUR_EXTERN augur_termination *augur_term_not(augur_termination *a);
/* mystic's When: fires when its one member does, with the member's reason. */
AUGUR_EXTERN augur_termination *augur_term_when(augur_termination *a);
/* Or/And over an array of children (owned, also on failure). */
AUGUR_EXTERN augur_termination *augur_term_or_n(augur_termination **children,
                                                size_t count);
AUGUR_EXTERN augur_termination *augur_term_and_n(augur_termination **children,
                                                 size_t count);

#ifdef __cplusplus
}
#endif
#endif
