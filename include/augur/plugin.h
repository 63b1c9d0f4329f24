/* augur/plugin.h - what a solver implementation sees.
 *
 * A solver algorithm is one const augur_solver_type table plus static
 * functions. The base (solvers/solver.c) owns everything that is the same
 * for every algorithm: the evaluation path (bounds wall, NaN rule, sign,
 * counting, evaluation monitors, best-so-far), generation records and
 * history, limits, termination, monitors, the generator and the messages.
 * An algorithm only draws its points, asks for their energies and keeps its
 * own state. This header is for implementers; users need solver.h alone. */
#ifndef AUGUR_PLUGIN_H
#define AUGUR_PLUGIN_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "augur/export.h"
#include "augur/param.h"
#include "augur/sampler.h"
#include "augur/solver.h"
#include "augur/termination.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A checkpoint being written or read (opaque; see the end of this file). */
typedef struct augur_ckpt augur_ckpt;

struct augur_solver_type {
    const char *name;             /* registry name, lower-case, hyphenated */
    const char *doc;              /* one line */
    size_t state_size;            /* the base callocs this much state */
    const augur_param *params;    /* NULL-name terminated, may be NULL */
    /* Points the algorithm holds, for the default limits (mystic's nPop);
     * NULL means 1. Asked when a solve or step call begins and after the
     * start, so a size that changes during a run counts from the next
     * call. */
    size_t (*population_size)(const void *state, size_t n);
    /* Default limits: scale * n * population_size (mystic's iterscale and
     * evalscale: Nelder-Mead 200/200, Powell 1000/1000, DE 10/1000). */
    double generation_scale;
    double evaluation_scale;
    /* 1 for ensemble solvers: the evaluation limits set on the solver are
     * handed down to each nested run instead of stopping the solver. */
    int nested_limits;
    /* 1 when a map set on the solver carries its work: every generation's
     * points go out as batches (augur_solver_evaluate_batch), or its nested
     * runs as map jobs. Setting a map on a type without it is an error that
     * names the types with it (a map the algorithm never used would give
     * neither the speed-up nor the crash isolation asked for). */
    int uses_map;
    /* 1 when start takes its points from augur_solver_initial_points: a run
     * with neither an initial point nor a finite box to draw from is then
     * refused before it starts (augur_solver_check), not by the start. */
    int needs_start;
    /* The condition used when the user sets none; NULL: limits only. */
    augur_termination *(*default_termination)(const void *state, size_t n);
    /* Generation 0: allocate workspaces (parameters are final now), draw the
     * starting point(s) and evaluate them. */
    int (*start)(augur_solver *s, void *state);
    /* One generation. */
    int (*step)(augur_solver *s, void *state);
    /* Release workspaces; must cope with zeroed or half-built state, and
     * leave the state ready for another start (pointers NULL): a failed
     * start is followed by free and may be retried. Parameters stay. */
    void (*free)(void *state);
    /* Optional: release settings that outlive runs (a user-given direction
     * set, say); called once, when the solver is destroyed, after free. */
    void (*destroy)(void *state);
    /* Optional: the search distribution's state for the strategy
     * conditions (augur_info's `strategy`; see info.h), or NULL before
     * start. NULL hook: the type has none. */
    const augur_strategy *(*strategy)(const void *state);
    /* Optional: refuse settings the type's start would refuse (a
     * population too small, a box it needs), with a message in err, before
     * anything is allocated or drawn. Runs after the base's own checks
     * (initial point inside the bounds, a box to start from), both when a
     * run starts and from augur_solver_check (the config loader's). */
    int (*check)(const augur_solver *s, const void *state, char *err, size_t cap);
    /* Optional: checkpoints (augur_solver_save / augur_solver_restore,
     * solvers/checkpoint.c). save writes the algorithm's state at a
     * generation boundary with the augur_ckpt_put_* calls; restore is
     * given a solver rebuilt from the same spec, with the base's state
     * (generator, counts, best point, history) already back, and must do
     * what start does without drawing or evaluating: allocate the
     * workspaces, read them with augur_ckpt_get_*, publish the population.
     * A type without them cannot be checkpointed (AUGUR_EUNSUP). */
    int (*save)(const augur_solver *s, const void *state, augur_ckpt *c);
    int (*restore)(augur_solver *s, void *state, augur_ckpt *c);
};

/* --- Checkpoints: what a type's save and restore hooks write and read ----
 * Named values in the checkpoint's text (exact numbers, as specs are).
 * put_* never fail (a failure is reported when the file is finished);
 * get_* read exactly m values or fail with a message naming the value. */
AUGUR_EXTERN void augur_ckpt_put_doubles(augur_ckpt *c, const char *name,
                                         const double *a, size_t m);
AUGUR_EXTERN void augur_ckpt_put_double(augur_ckpt *c, const char *name, double v);
AUGUR_EXTERN void augur_ckpt_put_size(augur_ckpt *c, const char *name, size_t v);
AUGUR_EXTERN void augur_ckpt_put_bytes(augur_ckpt *c, const char *name,
                                       const void *a, size_t m);
AUGUR_EXTERN int augur_ckpt_get_doubles(augur_ckpt *c, const char *name,
                                        double *a, size_t m);
AUGUR_EXTERN int augur_ckpt_get_double(augur_ckpt *c, const char *name, double *v);
AUGUR_EXTERN int augur_ckpt_get_size(augur_ckpt *c, const char *name, size_t *v);
AUGUR_EXTERN int augur_ckpt_get_bytes(augur_ckpt *c, const char *name,
                                      void *a, size_t m);
/* A nested solver's whole state (spec, base and algorithm) under a name:
 * an ensemble's or a restart strategy's current inner run. get returns a
 * new solver (the caller's), or NULL with the checkpoint's message set. */
AUGUR_EXTERN int augur_ckpt_put_solver(augur_ckpt *c, const char *name,
                                       const augur_solver *inner);
AUGUR_EXTERN augur_solver *augur_ckpt_get_solver(augur_ckpt *c, const char *name);
/* Fail the checkpoint with a message; returns code. */
AUGUR_EXTERN int augur_ckpt_fail(augur_ckpt *c, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The algorithm's state, for a type's own public setters (check the type
 * with augur_solver_get_type first). */
AUGUR_EXTERN void *augur_solver_state(augur_solver *s);

/* Bounds, as arrays of n (-INFINITY / INFINITY where unbounded). */
AUGUR_EXTERN const double *augur_solver_lower(const augur_solver *s);
AUGUR_EXTERN const double *augur_solver_upper(const augur_solver *s);
/* 1 when every coordinate has finite bounds on both sides. */
AUGUR_EXTERN int augur_solver_bounds_finite(const augur_solver *s);
/* The run's generator, seeded from the run's seed. */
AUGUR_EXTERN gsl_rng *augur_solver_rng(augur_solver *s);
/* Fill m rows of n starting points. With an initial point: row 0 is x0 and
 * the others are drawn uniformly within +-radius*|x0_i| (or +-radius where
 * x0_i is 0), kept inside the bounds (mystic's SetInitialPoints). With a
 * random box, or with none but finite bounds: all rows from the solver's
 * "sampler" (uniform, latin-hypercube, halton, sobol) over the box.
 * Fails (with a message) when there is neither, or x0 is out of bounds. */
AUGUR_EXTERN int augur_solver_initial_points(augur_solver *s, double *X, size_t m,
                                             double radius);
/* Fill m rows with the solver's "sampler" over the bounds (all finite),
 * e.g. to restart a collapsed population. */
AUGUR_EXTERN int augur_solver_sample_bounds(augur_solver *s, double *X, size_t m);
/* The energy of x in the solver's (minimised) sign. Points outside the
 * bounds give +INFINITY without calling the cost. */
AUGUR_EXTERN double augur_solver_evaluate(augur_solver *s, const double *x);
/* m points (rows of n) at once, through the solver's map when it has one;
 * evaluation monitors and counts still run in row order. */
AUGUR_EXTERN int augur_solver_evaluate_batch(augur_solver *s, const double *X,
                                             size_t m, double *F);
/* Expose the population (rows of n, best first if kept sorted) to
 * termination conditions and users; the arrays stay the solver's and must
 * stay valid until its next step or free. */
AUGUR_EXTERN void augur_solver_set_population(augur_solver *s, const double *X,
                                              const double *F, size_t npop);
/* Clip x into the bounds. */
AUGUR_EXTERN void augur_solver_clip(const augur_solver *s, double *x);

/* What a solver does with a trial point outside the bounds. Whatever it
 * does, the evaluation path never passes such a point to the cost. */
typedef enum augur_bound_policy {
    AUGUR_BOUNDS_WALL,      /* leave it: it evaluates to +inf and loses */
    AUGUR_BOUNDS_CLIP,      /* move it to the nearest bound */
    AUGUR_BOUNDS_REFLECT,   /* mirror it back in at the bound it crossed */
    AUGUR_BOUNDS_REDRAW,    /* draw the offending coordinate uniformly in range */
    AUGUR_BOUNDS_PERIODIC   /* wrap it around (the box as a torus) */
} augur_bound_policy;
/* "wall", "clip", "reflect", "redraw", "periodic"; NULL-terminated. */
AUGUR_EXTERN extern const char *const augur_bound_policy_names[];
/* Apply a policy to x in place (coordinates with an infinite bound on the
 * side crossed are clipped, the only repair that means anything there). */
AUGUR_EXTERN void augur_solver_repair(augur_solver *s, double *x,
                                      augur_bound_policy policy);
/* 1 when x is inside the bounds. */
AUGUR_EXTERN int augur_solver_in_bounds(const augur_solver *s, const double *x);
/* For algorithms that run their own loop (NLopt, say) inside one step:
 * make a generation record now and run the stop test. Returns 0 to go on,
 * 1 when the run must stop (return from step promptly: the stop is
 * reported as usual), or a negative status. A step that ends right after a
 * checkpoint, with nothing evaluated since, makes no second record. */
AUGUR_EXTERN int augur_solver_checkpoint(augur_solver *s);
/* The algorithm has converged by its own criterion; the stop test reports
 * `reason` (after limits and stop requests). A later solve call clears it
 * and steps again, which for such algorithms restarts from the best point. */
AUGUR_EXTERN void augur_solver_finished(augur_solver *s, const char *reason);
/* Clear the message, as every public call on a solver does first. */
AUGUR_EXTERN void augur_solver_clear_errmsg(augur_solver *s);
/* Record a failure: formats the message and returns code. */
AUGUR_EXTERN int augur_solver_fail(augur_solver *s, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#ifdef __cplusplus
}
#endif
#endif
