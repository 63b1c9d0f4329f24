/* solver_int.h - private to augur: the abstract solver's fields, shared by
 * solver.c (life cycle, settings, results), run.c (the evaluation path and
 * the solve loop) and registry.c. Users see only the opaque augur_solver. */
#ifndef AUGUR_SOLVER_INT_H
#define AUGUR_SOLVER_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "augur/plugin.h"
#include "augur/solver.h"
#include "augur/map.h"
#include "augur/constraints.h"
#include "internal.h"

/* The base's own parameters, stored as doubles like every table's. */
typedef struct base_params {
    double maximize;
    double id;
    double sampler;
} base_params;

/* Records of the energy history kept in the solver itself (run.c). */
#define AUGUR__HIST_INLINE 16

struct augur_solver {
    const augur_solver_type *type;
    void *state;                  /* type->state_size bytes, calloc'd */
    size_t n;
    base_params base;

    /* lb, ub, best_x, rec_x, prev_rec_x and trial: n doubles each, in
     * this one block (solver.c). */
    double *vectors;

    /* Bounds: always arrays of n; has_bounds when any entry is finite. */
    double *lb, *ub;
    int has_bounds;

    /* Where the starting points come from. */
    double *x0;                   /* NULL when no initial point was set */
    double *init_lb, *init_ub;    /* NULL when no random box was set */

    gsl_rng *rng;                 /* &rng_block, its state after the struct
                                   * in the solver's block (solver.c) */
    gsl_rng rng_block;
    int rng_stale;        /* rng not yet seeded from seed: done at first use
                           * (augur_solver_rng), since many runs never draw */
    uint64_t seed;
    int seed_set;

    /* Limits as the user set them (0 = default) and as resolved. */
    size_t max_gen_set, max_eval_set;
    size_t max_gen, max_eval;

    augur_termination *term;      /* NULL: the type's default, made lazily */
    augur_solver *nested;         /* owned template of an ensemble's inner solver */
    augur_monitor **gen_mons, **eval_mons;
    size_t n_gen_mons, n_eval_mons;

    augur_cost cost;
    void *data;
    /* A batch cost (augur_solver_set_batch_cost), or NULL. While one is
     * set, cost is batch.c's one-point adapter (data = the solver), which
     * serves what needs a per-point cost: the termination conditions'
     * objective and nested runs. */
    augur_batch_cost batch_cost;
    void *batch_data;

    /* Constraints and penalty (constraints/), owned; NULL when none. cx
     * holds x' = constraints(x): n doubles for the evaluation path, n more
     * for the termination conditions' objective; allocated with the
     * constraints. */
    augur_constraints *constraints;
    augur_penalty *penalty;
    double *cx;

    augur_map *map;               /* NULL evaluates in the caller */
    int owns_map;                 /* made from a spec: destroyed with the solver */
    double *batch_x;              /* admitted rows sent to the map or batch cost */
    double *batch_f;              /* their raw costs */
    size_t *batch_rows;           /* which rows they were */
    size_t batch_cap;

    /* Best point ever evaluated (internal, minimised sign). */
    double *best_x;
    double best_f;
    int has_best;
    /* Best point at the last and at the previous generation record. */
    double *rec_x, *prev_rec_x;

    /* Best energy per generation record: hist_len records made, of which
     * the last hist_kept are in hist (oldest first). The termination
     * condition says how many it reads (augur_term_history); hist_keep is
     * that, at least 2, recomputed when it is 0 (a new condition). hist
     * holds up to 2 hist_keep doubles, or AUGUR__HIST_INLINE when that is
     * more: when full, the last hist_keep - 1 slide to the front, so
     * memory is flat and the kept records stay one array (augur_info's
     * energy_history). Up to AUGUR__HIST_INLINE it is hist_inline, in the
     * solver's block: most conditions read one or two records, and a
     * short run would otherwise allocate it and slide it every few
     * generations. hist_first: generation 0's. */
    double *hist;
    double hist_inline[AUGUR__HIST_INLINE];
    size_t hist_len, hist_kept, hist_cap, hist_keep;
    double hist_first;
    int term_reads_clock;         /* the condition reads info->elapsed; known
                                   * with hist_keep */

    /* The algorithm's population, as exposed with set_population. */
    const double *pop, *pop_f;
    size_t npop;

    /* The points evaluated most recently: a copy for single evaluations,
     * a view of the solver's array for a batch. */
    double *trial;
    const double *trial_view;
    size_t ntrial;
    double *restored_trial;       /* the trial rows a checkpoint brought back */

    size_t evaluations;
    size_t evals_at_record;       /* evaluations when the last record was made */
    int recorded_in_step;         /* the algorithm made a record (checkpoint) */
    int latched;                  /* a checkpoint's stop test fired */
    int finished;                 /* the algorithm stopped on its own criterion */
    int finished_restored;        /* restored finished: the next solve ends at once */
    unsigned long settings;       /* a stamp, new at creation, at every setter
                                   * and at the default condition's making,
                                   * unique in the process: a spec written
                                   * from the settings is stale once it moves */
    int cut_short;                /* the evaluation limit refused a point asked for */
    int started;
    size_t idle_steps;            /* consecutive generations that evaluated nothing */
    atomic_int stop_requested;
    int pending;                  /* first failure seen inside an evaluation */

    double elapsed;               /* seconds over finished solve calls */
    double run_t0;                /* start of the current call, 0 when idle */

    char reason[AUGUR_REASON_CAP];
    char errmsg[AUGUR_ERRMSG_CAP];
};

/* A solve ends after this many consecutive generations that evaluated no
 * point (run.c): an algorithm that has stopped asking for points (GSL's
 * simplex stuck on a wall, say) would otherwise step forever, and the
 * evaluation limit never strikes. 1000 is far more than any algorithm here
 * needs to get out of a run of rejected or uncounted trials (DE with the
 * wall policy draws again every generation), and costs microseconds. */
#define AUGUR__IDLE_STEPS 1000

/* Resolve the limits in force from the user's and the type's defaults. */
void augur__solver_resolve_limits(augur_solver *s);
/* augur_solver_restore_job; with wants_mpi, an "mpi" map in the saved
 * spec is left out (it can be made only once MPI runs) and *wants_mpi says
 * there was one (checkpoint.c, for augur_job_resume_ex). */
augur_solver *augur__solver_restore_ex(const char *path, char **job, int *wants_mpi,
                                       char *err, size_t cap);

/* The evaluation path (run.c), in two halves around the cost call so that
 * a map can make the call in between. admit: the point to evaluate for a
 * proposed x - x itself, or x' = constraints(x) written to buf (n
 * doubles) - or NULL when it is outside the bounds or infeasible (+inf,
 * uncounted). account: add the penalty at that point to its raw cost, then
 * the NaN rule, sign, count, best point and evaluation monitors; returns
 * the solver-sign energy. */
const double *augur__solver_admit(augur_solver *s, const double *x, double *buf);
double augur__solver_account(augur_solver *s, const double *x, double raw);

/* account for an evaluation made and finished elsewhere: x is the point
 * evaluated (already x') and f its energy in the user's sign, penalty
 * included - a nested run's log entry. Only the sign, the NaN rule,
 * count, best point and evaluation monitors: neither the constraints nor
 * the penalty are applied a second time. */
double augur__solver_replay(augur_solver *s, const double *x, double f);

/* Count `evaluations` cost calls made elsewhere whose best was x with the
 * user-sign energy `raw` (penalty included, not added again), without
 * monitors: a nested run's summary. */
void augur__solver_absorb(augur_solver *s, const double *x, double raw,
                          size_t evaluations);

/* Evaluations left under the evaluation limit (SIZE_MAX for an ensemble
 * without one): a batch sends no more rows than this, and an ensemble
 * shares it among the runs of a batch. */
size_t augur__solver_budget_left(const augur_solver *s);

/* The checks a run makes before the type's start (check.c): the base's
 * (initial point, random box, a box to start from) and the type's hook;
 * the message goes to err. check_start writes it to the solver's. */
int augur__solver_check(const augur_solver *s, char *err, size_t cap);
int augur__solver_check_start(augur_solver *s);

/* A batch sent fewer rows than it was asked to, for the budget. */
void augur__solver_note_cut(augur_solver *s);

/* Attach a map the solver then owns (made from a spec). */
int augur__solver_own_map(augur_solver *s, augur_map *map);

/* Evaluate m rows through the solver's map or its batch cost (batch.c):
 * admit, one job or one call, then account in row order. On a batch
 * cost's failure nothing is accounted, F is +inf, and the status is
 * returned and kept as the run's pending failure. */
int augur__solver_map_batch(augur_solver *s, const double *X, size_t m, double *F);

/* How many doubles the energy history holds room for (tests of its
 * bound, tests/test_solver_history.c). */
size_t augur__solver_history_capacity(const augur_solver *s);

/* Clear the message at the start of a public call. */
static inline void augur__solver_clear(augur_solver *s)
{
    s->errmsg[0] = '\0';
}

/* A new settings stamp for s (a process-wide counter, so no two solvers
 * share one, not even one created where another was freed). */
void augur__solver_stamp_settings(augur_solver *s);

/* The start of every call that changes what the spec says. */
static inline void augur__solver_begin_setting(augur_solver *s)
{
    augur__solver_clear(s);
    augur__solver_stamp_settings(s);
}

#endif
