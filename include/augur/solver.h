/* augur/solver.h - the abstract solver: what a user of any solver calls.
 *
 * A solver is created by type name and dimension, both fixed for its life.
 * Everything else is a setter returning a status: parameters (from the
 * type's parameter table, plus the base's own "maximize" and "id"), the
 * initial point or a box to draw initial points from, bounds, the seed,
 * evaluation limits, monitors and the termination condition.
 *
 *     augur_solver *s = augur_solver_create("nelder-mead", 3);
 *     augur_solver_set_initial_point(s, x0);
 *     if (augur_solve(s, cost, data, NULL) < 0)
 *         fprintf(stderr, "%s\n", augur_solver_errmsg(s));
 *     augur_solver_best_solution(s);  augur_solver_termination_reason(s);
 *     augur_solver_destroy(s);
 *
 * The run: generation 0 evaluates the starting point(s); each later
 * generation is one step of the algorithm. After every generation record
 * the solver checks, in this order: its evaluation and generation limits
 * (the reason then names the limit hit), a stop request, and the
 * termination condition. augur_solve() steps until one of them holds; call
 * it again after setting a new condition or larger limits and it continues
 * from where it stopped, with counts and history kept.
 *
 * Every evaluation goes through one path: points outside the bounds are
 * never passed to the cost (they count as +inf and are not counted as
 * evaluations), NaN counts as +inf, "maximize" flips the sign the solver
 * sees, and evaluation monitors see each real call in order. A batch cost
 * (augur_solve_batch) takes a whole generation in one call and goes
 * through the same path. */
#ifndef AUGUR_SOLVER_H
#define AUGUR_SOLVER_H

#include <stddef.h>
#include <stdint.h>
#include "augur/export.h"
#include "augur/info.h"
#include "augur/monitor.h"
#include "augur/param.h"
#include "augur/status.h"
#include "augur/termination.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The user's cost: x has n coordinates; data is the user's, borrowed. */
typedef double (*augur_cost)(const double *x, size_t n, void *data);

/* A batch cost: the raw costs of m points at once, f[k] for row k of X (m
 * rows of n, row-major). Both arrays are the solver's and valid only
 * during the call. Returns 0, or a negative status that stops the run with
 * it (the batch is then not counted). See augur_solver_set_batch_cost. */
typedef int (*augur_batch_cost)(const double *X, size_t m, size_t n, double *f,
                                void *data);

typedef struct augur_solver_type augur_solver_type;

/* Limits: 0 asks for the solver's default, AUGUR_UNLIMITED for none. */
#define AUGUR_UNLIMITED SIZE_MAX

/* Caps on sizes (docs/CONFIG.md, "Sizes and caps"). A dimension above
 * AUGUR_MAX_DIMENSION is refused by augur_solver_new and by every reader of
 * a config or a spec before anything is allocated for it: 2^20 coordinates
 * are 8 MB per point, far past what the derivative-free solvers here can
 * search, while every size product of a capped dimension and a capped count
 * stays far from overflowing. Counts of points (population-size,
 * swarm-size, npts, batches, bins, candidates, lattice grid points) stay at
 * or under AUGUR_MAX_POINTS. */
#define AUGUR_MAX_DIMENSION ((size_t)1 << 20)
#define AUGUR_MAX_POINTS 1000000

/* --- Life cycle -------------------------------------------------------- */

/* NULL for an unknown type, n == 0, or no memory. */
AUGUR_EXTERN augur_solver *augur_solver_create(const char *type, size_t n);
/* The same, with a status and a message in err (cap bytes) saying why. */
AUGUR_EXTERN int augur_solver_new(augur_solver **out, const char *type, size_t n,
                                  char *err, size_t cap);
/* Frees the solver and all it owns (termination, its references to
 * monitors). NULL is a no-op. */
AUGUR_EXTERN void augur_solver_destroy(augur_solver *s);

/* --- Settings ---------------------------------------------------------- */

AUGUR_EXTERN int augur_solver_set_param(augur_solver *s, const char *name,
                                        double value);
/* A choice parameter by name ("best1bin"), or any parameter from text. */
AUGUR_EXTERN int augur_solver_set_param_string(augur_solver *s, const char *name,
                                               const char *value);
AUGUR_EXTERN int augur_solver_get_param(const augur_solver *s, const char *name,
                                        double *value);
/* Starting point (copied). Checked against the bounds when the run starts. */
AUGUR_EXTERN int augur_solver_set_initial_point(augur_solver *s, const double *x0);
/* What the run's start would refuse, without running: the initial point
 * outside the bounds, a random box that misses them, no starting point
 * (neither an initial point nor a finite box), and the type's own checks
 * (DE's population, a global NLopt algorithm's bounds ...). 0 or the
 * status the start would return, with its message. */
AUGUR_EXTERN int augur_solver_check(augur_solver *s);
/* Draw the starting point(s) uniformly from [lb, ub] (copied, finite). */
AUGUR_EXTERN int augur_solver_set_random_initial_points(augur_solver *s,
                                                        const double *lb,
                                                        const double *ub);
/* The starting point as set (n values), or NULL when none is. */
AUGUR_EXTERN const double *augur_solver_start_point(const augur_solver *s);
/* The box random starting points are drawn from, as set: 1 with *lb and *ub
 * pointing at n values each, or 0 (and NULLs) when none is. */
AUGUR_EXTERN int augur_solver_start_box(const augur_solver *s, const double **lb,
                                        const double **ub);
/* Box bounds (copied); entries may be -INFINITY / INFINITY. lb[i] == ub[i]
 * pins a coordinate. The cost is never called outside them. */
AUGUR_EXTERN int augur_solver_set_bounds(augur_solver *s, const double *lb,
                                         const double *ub);
AUGUR_EXTERN int augur_solver_clear_bounds(augur_solver *s);
/* Seed of the solver's generator. Without one, a seed is drawn when the
 * run starts (from a stream the OS seeds once per process, and again after
 * a fork); augur_solver_seed() reads it back either way. */
AUGUR_EXTERN int augur_solver_set_seed(augur_solver *s, uint64_t seed);
AUGUR_EXTERN uint64_t augur_solver_seed(const augur_solver *s);
/* Totals, not increments; 0 = the solver's default, AUGUR_UNLIMITED = none. */
AUGUR_EXTERN int augur_solver_set_evaluation_limits(augur_solver *s,
                                                    size_t max_generations,
                                                    size_t max_evaluations);
/* The limits in force (defaults resolved). */
AUGUR_EXTERN size_t augur_solver_max_generations(const augur_solver *s);
AUGUR_EXTERN size_t augur_solver_max_evaluations(const augur_solver *s);
/* Take over the caller's reference, also when they fail. */
AUGUR_EXTERN int augur_solver_add_generation_monitor(augur_solver *s, augur_monitor *m);
AUGUR_EXTERN int augur_solver_add_evaluation_monitor(augur_solver *s, augur_monitor *m);
/* Owns t, also on failure; NULL restores the solver's default condition. */
AUGUR_EXTERN int augur_solver_set_termination(augur_solver *s, augur_termination *t);
/* The condition in force (the default one once a run has started); borrowed. */
AUGUR_EXTERN const augur_termination *augur_solver_termination(const augur_solver *s);

/* Evaluate batches (population solvers' generations) through a map; the
 * map is borrowed and must outlive its use. NULL evaluates in the caller. */
struct augur_map;
AUGUR_EXTERN int augur_solver_set_map(augur_solver *s, struct augur_map *map);
AUGUR_EXTERN struct augur_map *augur_solver_map(const augur_solver *s);

/* The inner solver an ensemble solver (buckshot, lattice, sparsity) runs
 * from each of its starting points: a template, owned by s (also when the
 * call fails); NULL removes it. Its dimension must be s's. */
AUGUR_EXTERN int augur_solver_set_nested(augur_solver *s, augur_solver *inner);
AUGUR_EXTERN const augur_solver *augur_solver_nested(const augur_solver *s);

/* --- Running ----------------------------------------------------------- */

/* Run until a limit, a stop request or the termination condition holds.
 * t, when not NULL, replaces the condition first (owned, as above); cost
 * NULL reuses the cost of the previous call. Returns AUGUR_OK when the run
 * ended on a limit or a condition, AUGUR_STOPPED on a stop request, or a
 * negative status (see augur_solver_errmsg). */
AUGUR_EXTERN int augur_solve(augur_solver *s, augur_cost cost, void *data,
                             augur_termination *t);
/* The same with a batch cost (augur_solver_set_batch_cost, then
 * augur_solve(s, NULL, NULL, t)); t is owned also when binding fails. */
AUGUR_EXTERN int augur_solve_batch(augur_solver *s, augur_batch_cost cost,
                                   void *data, augur_termination *t);
/* Evaluate through a batch cost from now on (cost NULL with data NULL
 * removes it; a later augur_solve or augur_solver_step with a per-point
 * cost replaces it; with cost NULL they reuse it). A population solver's
 * generation (de2, pso, cmaes: every batch the algorithm asks for) is one
 * call with the rows that pass admission - inside the bounds, constraints
 * applied - in row order, never more rows than the evaluation limit leaves;
 * single-point evaluations (nelder-mead, powell, de's trials) are calls
 * with m = 1. Everything after the call is the per-point path's, row by
 * row: penalty, sign, NaN as +inf, counting, best point, evaluation
 * monitors; so a batch cost computing the same function as a per-point
 * cost gives the same bits. The termination conditions' objective and the
 * nested runs of ensembles, auto and ipop call it with m = 1.
 * Maps: a batch cost runs in the caller, so only the serial map (or none)
 * goes with it: another map would hand each row to a worker as a task of
 * its own, which is the per-point cost's job, and MPI ranks find costs by
 * registered name, which a batch cost has not. AUGUR_EUNSUP, here or from
 * augur_solver_set_map, for any other map. */
AUGUR_EXTERN int augur_solver_set_batch_cost(augur_solver *s, augur_batch_cost cost,
                                             void *data);
/* One generation (the first call runs generation 0). Returns AUGUR_OK, or a
 * negative status. Does not check termination: see augur_solver_terminated. */
AUGUR_EXTERN int augur_solver_step(augur_solver *s, augur_cost cost, void *data);
/* 1 when the run should stop now (the reason is then set), 0 when not, or a
 * negative status. */
AUGUR_EXTERN int augur_solver_terminated(augur_solver *s);
/* Ask a running solve to stop after the current generation (safe from a
 * signal handler or another thread). */
AUGUR_EXTERN void augur_solver_request_stop(augur_solver *s);

/* --- Results ----------------------------------------------------------- */

AUGUR_EXTERN const double *augur_solver_best_solution(const augur_solver *s);
/* In the user's sign (a maximising solver reports the maximum). */
AUGUR_EXTERN double augur_solver_best_energy(const augur_solver *s);
AUGUR_EXTERN size_t augur_solver_evaluations(const augur_solver *s);
AUGUR_EXTERN size_t augur_solver_generations(const augur_solver *s);
/* Best energy of the latest generation records (internal sign), oldest
 * first; *len = how many are kept: all of them (generations + 1) unless
 * the termination condition reads fewer (augur_term_history; at least 2
 * are kept). A condition set for a continuation sees only the records
 * kept for the one before it. */
AUGUR_EXTERN const double *augur_solver_energy_history(const augur_solver *s,
                                                       size_t *len);
/* The current population (rows of n) and its size; NULL before a run. */
AUGUR_EXTERN const double *augur_solver_population(const augur_solver *s,
                                                   size_t *npop);
/* Why the last run stopped ("" while it has not). */
AUGUR_EXTERN const char *augur_solver_termination_reason(const augur_solver *s);
/* Seconds spent solving, over all continuations. */
AUGUR_EXTERN double augur_solver_elapsed(const augur_solver *s);
/* The message of the last failed call on s, or "". */
AUGUR_EXTERN const char *augur_solver_errmsg(const augur_solver *s);
AUGUR_EXTERN size_t augur_solver_dimension(const augur_solver *s);
AUGUR_EXTERN const augur_solver_type *augur_solver_get_type(const augur_solver *s);
AUGUR_EXTERN const char *augur_solver_type_name(const augur_solver *s);

/* --- Registry ---------------------------------------------------------- */

/* The built-in and registered types, NULL-terminated. */
AUGUR_EXTERN const augur_solver_type *const *augur_solver_types(void);
AUGUR_EXTERN const augur_solver_type *augur_solver_type_find(const char *name);
/* Add a solver type (a plugin); AUGUR_EINVAL if the name is taken. */
AUGUR_EXTERN int augur_solver_type_register(const augur_solver_type *type);
/* The base's parameters that every solver has ("maximize", "id"). */
AUGUR_EXTERN const augur_param *augur_solver_base_params(void);

/* --- Checkpoints (docs/CHECKPOINTS.md) ---------------------------------- */

/* Write the solver's whole state to path at a generation boundary (between
 * solve calls, or from a generation monitor): its spec, the algorithm's
 * state, the generator, counts, best point and the history its condition
 * reads. Atomic: path is replaced only once the new file is complete and
 * synced. AUGUR_EUNSUP for types that cannot be checkpointed (NLopt and
 * GSL run their own loops), with the reason in augur_solver_errmsg(). */
AUGUR_EXTERN int augur_solver_save(const augur_solver *s, const char *path);
/* Rebuild a solver from a checkpoint; augur_solve(s, cost, data, NULL)
 * then continues it as if it had never stopped. Monitors and a map the
 * caller set are not saved: attach them again. NULL with a message in err
 * for a file that is missing, not a checkpoint, of a newer format, or
 * corrupt or truncated (checksum). */
AUGUR_EXTERN augur_solver *augur_solver_restore(const char *path, char *err,
                                                size_t cap);
/* The same, carrying a caller's text along (the CLI's job: the config the
 * run came from); *job is the caller's to free, NULL when there was none. */
AUGUR_EXTERN int augur_solver_save_job(const augur_solver *s, const char *path,
                                       const char *job);
AUGUR_EXTERN augur_solver *augur_solver_restore_job(const char *path, char **job,
                                                    char *err, size_t cap);

/* --- Checkpoints written in the background (docs/CHECKPOINTS.md) ---------
 * A save costs about a millisecond, most of it formatting, checksumming,
 * writing and syncing the file; a checkpointer does all of that on a
 * thread of its own. augur_checkpointer_save only captures the state (a
 * copy of its numbers, on the caller's thread, at a generation boundary)
 * and hands it over; the writer formats, checksums and replaces the file
 * exactly as augur_solver_save would (same bytes for the same state).
 * Latest wins: captures that arrive while a write is in progress replace
 * one another, and the writer takes the newest when it is free, so the
 * file is always a whole checkpoint of some capture, at most one write
 * behind the newest. A failed background write is reported, with its
 * message, by the next save, flush or close; nothing is printed. One
 * checkpointer belongs to one thread, and is not for a forked child. */
typedef struct augur_checkpointer augur_checkpointer;

/* A checkpointer writing to path, its thread started; NULL with a message
 * in err when path cannot be an output (a directory, a FIFO) or no thread
 * could be made. Nothing is written before the first save. */
AUGUR_EXTERN augur_checkpointer *augur_checkpointer_open(const char *path, char *err,
                                                         size_t cap);
/* Capture s (as augur_solver_save_job would write it; job may be NULL) and
 * return. AUGUR_EUNSUP and the like for a solver that cannot be saved; an
 * error of an earlier background write is returned here once, and the
 * capture is still handed over. */
AUGUR_EXTERN int augur_checkpointer_save(augur_checkpointer *ck, const augur_solver *s,
                                         const char *job);
/* Wait until the newest capture is on disk, durably; its status. */
AUGUR_EXTERN int augur_checkpointer_flush(augur_checkpointer *ck);
/* Flush, stop the thread, free; the flush's status, and its message in err
 * (may be NULL) when it failed. NULL is a no-op. */
AUGUR_EXTERN int augur_checkpointer_close(augur_checkpointer *ck, char *err, size_t cap);
/* The message of the last failed call, "" after one that succeeded. */
AUGUR_EXTERN const char *augur_checkpointer_errmsg(const augur_checkpointer *ck);
/* Captures handed over, and files written (fewer when captures came
 * faster than writes: the skipped ones were never written). */
AUGUR_EXTERN void augur_checkpointer_counts(const augur_checkpointer *ck,
                                           size_t *captures, size_t *writes);

#ifdef __cplusplus
}
#endif
#endif
