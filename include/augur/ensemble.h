/* augur/ensemble.h - ensemble ("nested") solvers: Buckshot, Lattice and
 * Sparsity launch a configured inner solver (augur_solver_set_nested) from
 * many spread-out starting points, each run one task of the solver's map,
 * and keep every run's outcome: a map of the landscape's minima in one go.
 *
 * One generation of an ensemble is one batch of `npts` inner runs; the
 * solver finishes after `batches` batches (default 1), or earlier when its
 * termination condition holds between batches. Its evaluations are the
 * sum over all inner runs, its best point the best of them, and its
 * evaluation monitors see every inner evaluation once, in run order.
 *
 * Without a nested solver (augur_solver_set_nested never called, or a
 * spec or config file without `nested`), an ensemble runs
 * AUGUR_ENSEMBLE_DEFAULT_NESTED with its defaults (ipop: AUGUR_IPOP_DEFAULT_NESTED);
 * the spec written after the start names it.
 *
 * Handed down to each inner run unless the inner solver has its own: the
 * bounds, the termination condition, the evaluation limits (which apply to
 * each run, not to the ensemble), the maximize flag, the constraints and
 * the penalty. Each run's seed is derived from (run seed, batch, run
 * index), never from the worker. Runs rebuild the inner solver from its
 * spec, so constraints and penalties go down as their written form: a
 * callback constraint or a user penalty that would have to go down (or
 * that the inner solver has) fails the start with AUGUR_EUNSUP and a
 * message. The inner runs apply them; the ensemble reports what they
 * evaluated (points x', energies with the penalty) without applying them
 * again.
 *
 * Two levels of parallelism: the ensemble's map runs the inner runs, and
 * an inner solver may have a map of its own (a spec's `map = {...}`). The
 * pairs allowed (others are refused at start with a message):
 *   outer serial (or none)  - any inner map but mpi;
 *   outer threads           - inner serial only (no threads in threads, and
 *                             fork from a threaded process is unsafe);
 *   outer fork or mpi       - inner serial, or threads when outer workers x
 *                             inner workers <= the machine's CPUs;
 *   inner mpi               - never (the MPI ranks are the outer level). */
#ifndef AUGUR_ENSEMBLE_H
#define AUGUR_ENSEMBLE_H

#include <stddef.h>
#include "augur/export.h"
#include "augur/solver.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AUGUR_ENSEMBLE_DEFAULT_NESTED "nelder-mead"
/* ipop's restarts grow a population, so its default is CMA-ES. */
#define AUGUR_IPOP_DEFAULT_NESTED "cmaes"

typedef struct augur_inner_run {
    size_t batch;                 /* the ensemble generation it ran in */
    size_t index;                 /* its index within the batch */
    const double *start;          /* n coordinates */
    const double *end;            /* the run's best point */
    double f;                     /* its best energy (the user's sign) */
    size_t evaluations;
    size_t generations;
    const char *reason;           /* why the run stopped */
} augur_inner_run;

/* Every inner run so far, in batch then index order; NULL (and *count 0)
 * for a solver that is not an ensemble. Valid until the next step. */
AUGUR_EXTERN const augur_inner_run *augur_ensemble_runs(const augur_solver *s,
                                                        size_t *count);

#ifdef __cplusplus
}
#endif
#endif
