/* de_int.h - private to augur (not installed, not part of the API): the
 * state and the shared machinery of the two differential evolution
 * solvers. de.c (Storn-Price, asynchronous: each trial is evaluated at once
 * and may replace its member before the next trial is built) and de2.c
 * (synchronous: a generation's trials are built from the unchanged
 * population and evaluated as one batch) differ only in the order of
 * building, evaluating and selecting; the strategies, crossover, parameter
 * table, population set-up and the jDE / SHADE adaptation live once, in
 * de_common.c. */
#ifndef AUGUR_DE_INT_H
#define AUGUR_DE_INT_H

#include <stddef.h>
#include "augur/plugin.h"
#include "augur/status.h"

enum { DE_ADAPT_NONE, DE_ADAPT_JDE, DE_ADAPT_SHADE };

/* gsl_rng_uniform_int(r, m)'s m and divisor scale = range / m, which it
 * would otherwise compute again on every draw. */
typedef struct de_scale {
    unsigned long m, scale;
} de_scale;

/* A member's rank key for SHADE's p-best choice. */
typedef struct de_rank {
    double f;
    size_t i;
} de_rank;

typedef struct de_state {
    /* parameters (augur__de_params), stored as doubles like every table's */
    double cross, scale, dither_min, dither_max, strategy, npop, policy;
    double adaptation, memory_size, archive_rate, pbest_rate, restart;

    /* fixed when the run starts, so a parameter changed mid-run cannot
     * resize a workspace under the algorithm */
    size_t n, np, h, arch_cap;

    double *pop, *fpop;       /* np rows of n and their energies */
    double *trials, *ftrials; /* the trial rows (1 for de, np for de2) */
    unsigned char *inside;    /* per trial row: known to be within the box */
    double *mutant;           /* one row */
    double *draws;            /* a crossover's n uniform draws */
    size_t *outside;          /* a trial's coordinates outside the box */
    de_scale by_np, by_n;     /* for draws of a member and of a coordinate */
    int fast_mt;              /* the generator is stepped in de_common.c */
    size_t best;              /* index of the best member */
    double gen_f;             /* F of this generation (dither) */

    /* the F and CR each member's current trial was built with */
    double *ft, *crt;
    /* jDE: each member's own F and CR */
    double *fm, *crm;
    /* SHADE: success-history memory (h entries), this generation's
     * successes, the external archive of replaced parents, and the ranks */
    double *mf, *mcr, *sf, *scr, *sw, *archive;
    size_t h_next, ns, arch_n;
    de_rank *rank;
} de_state;

extern const augur_param augur__de_params[];

size_t augur__de_population_size(const void *state, size_t n);
/* The type's check hook: population against the strategy, dither range. */
int augur__de_check(const augur_solver *s, const void *state, char *err, size_t cap);
augur_termination *augur__de_default_termination(const void *state, size_t n);
void augur__de_free(void *state);

/* Generation 0 up to the evaluation: check the parameters, allocate (NP
 * rows of trials for a batch solver, else one) and draw the population. */
int augur__de_setup(augur_solver *s, de_state *st, int batch);
/* After generation 0 was evaluated: find the best, expose the population. */
void augur__de_started(augur_solver *s, de_state *st);
/* Before a generation's trials: re-check the parameters, draw this
 * generation's F (dither), rank the members (SHADE). */
int augur__de_begin_generation(augur_solver *s, de_state *st);
/* Build member i's trial into u: mutation, crossover, bound repair.
 * Returns 1 when u is known to be within the box (every coordinate passed
 * the evaluation path's own bounds test as it was built), else 0. */
int augur__de_trial(augur_solver *s, de_state *st, size_t i, double *u);
/* Selection of member i against its trial u of energy f (ties go to the
 * trial), with the adaptation's bookkeeping. */
void augur__de_select(augur_solver *s, de_state *st, size_t i, const double *u,
                      double f);
/* After the selections: SHADE's memory update, the restart (which
 * evaluates the redrawn members as one batch), the population exposed. */
int augur__de_end_generation(augur_solver *s, de_state *st);

/* Checkpoints of either solver (batch: de2's NP trial rows, de's one). */
int augur__de_save(const augur_solver *s, const de_state *st, int batch,
                   augur_ckpt *c);
int augur__de_restore(augur_solver *s, de_state *st, int batch, augur_ckpt *c);

/* augur_solver_evaluate_batch for rows the solver has already compared
 * with the box: where inside[k] is set, row k is taken to be within the
 * bounds and the evaluation path skips its own test of them. The rows are
 * the trial view, not copied. Defined in run.c, beside the path it
 * shortens; DE is its only user. */
int augur__solver_evaluate_rows(augur_solver *s, const double *X, size_t m,
                                double *F, const unsigned char *inside);

#endif
