/* augur/info.h - what a solver shows its termination conditions and
 * monitors.
 *
 * An augur_info is built by the solver after every generation and handed to
 * termination conditions; an augur_record is handed to monitors for each
 * generation or evaluation. Both are read-only views, valid only during the
 * call that receives them. Energies here are the solver's internal,
 * minimised objective: when a solver maximises, they are -f (monitors alone
 * get the user's f; see augur_record). */
#ifndef AUGUR_INFO_H
#define AUGUR_INFO_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct augur_solver augur_solver;

/* The objective as the solver sees it (sign, penalties, bounds wall), without
 * counting or monitoring: what a gradient check may call. */
typedef double (*augur_objective_fn)(void *ctx, const double *x);

/* The state of an adaptive search distribution - CMA-ES's mean, step size,
 * covariance axes and evolution paths - for the conditions that judge it
 * (termination/strategy.c: Hansen's TolX, NoEffectAxis, ConditionCov ...).
 * A solver type offers one through its optional `strategy` hook
 * (plugin.h); the arrays are the solver's and stay valid until its next
 * step or free. Those conditions read nothing else, so they never include
 * a solver's internals, and a solver without the hook makes them fail with
 * a message rather than never fire. */
typedef struct augur_strategy {
    size_t n;                     /* dimension */
    size_t generation;            /* generations sampled so far (1 after start) */
    size_t lambda;                /* points sampled per generation */
    double sigma, sigma0;         /* step size now and at the start */
    const double *mean;           /* n: the distribution's mean */
    const double *pc;             /* n: evolution path of C, in units of sigma */
    const double *ps;             /* n: conjugate evolution path (step size) */
    const double *c_diag;         /* n: the diagonal of C */
    /* C = B diag(D^2) B^T at the last decomposition (which may lag C by a
     * few generations, as in Hansen's code): D the square roots of the
     * eigenvalues, in no promised order; row k of axes (n x n) is the unit
     * eigenvector of D[k]. */
    const double *axis_len;
    const double *axes;
    const double *f;              /* lambda: the last generation's energies, sorted */
    /* Per generation, oldest first: the best and the median energy of the
     * generation's points; the last hist_len generations (at least the
     * last 20,000 once there are that many). */
    const double *gen_best, *gen_median;
    size_t hist_len;
} augur_strategy;

typedef struct augur_info {
    size_t n;                     /* dimension */
    size_t generation;            /* generations so far (records - 1) */
    size_t evaluations;           /* cost function calls so far */
    /* Seconds of solving, over all continuations; NaN when no condition
     * in force reads it (augur_term_reads_elapsed: only built-in
     * conditions other than TimeLimits leave it unread), as the clock is
     * then not read. */
    double elapsed;

    const double *x;              /* best point so far */
    double f;                     /* its energy */

    /* Best energy after each generation record, oldest first, the last
     * being f: the last history_len records. The solver keeps only as many
     * as its termination condition reads (each condition type declares its
     * window, augur_term_type's `history`), at least 2; then
     * history_dropped records came before energy_history[0], and
     * energy_first is the energy of generation 0 (mystic's h[-0]).
     * With nothing dropped, history_len == generation + 1. */
    const double *energy_history;
    size_t history_len;
    size_t history_dropped;
    double energy_first;

    /* The best point of the previous generation record (NULL at generation 0). */
    const double *x_prev;
    double f_prev;

    /* The solver's current population (NM: the simplex), npop rows of n,
     * sorted best first when the solver keeps it sorted; npop may be 1. */
    const double *population;
    const double *population_energy;
    size_t npop;

    /* The points evaluated in the last generation (ntrial rows of n). */
    const double *trial;
    size_t ntrial;

    /* Uncounted access to the objective, for gradient estimates. */
    augur_objective_fn objective;
    void *objective_ctx;

    const augur_solver *solver;   /* NULL when built by hand (tests) */

    /* The search distribution, from solvers that have one (cmaes); NULL
     * otherwise. */
    const augur_strategy *strategy;
} augur_info;

/* What a monitor receives: one generation record or one evaluation. */
typedef enum augur_record_kind {
    AUGUR_RECORD_GENERATION,
    AUGUR_RECORD_EVALUATION
} augur_record_kind;

typedef struct augur_record {
    augur_record_kind kind;
    size_t index;                 /* generation number, or evaluation number (0-based) */
    size_t generation;            /* generation in progress / recorded */
    size_t evaluations;           /* evaluations so far, this one included */
    size_t n;
    const double *x;              /* generation: best point; evaluation: the point */
    double f;                     /* in the user's sign (maximise reports f, not -f) */
    int id;                       /* solver id (nested solvers); 0 by default */
} augur_record;

#ifdef __cplusplus
}
#endif
#endif
