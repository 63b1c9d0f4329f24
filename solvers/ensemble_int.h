/* ensemble_int.h - private to augur: the machinery every ensemble solver
 * shares (ensemble.c, ensemble_spec.c) and the one thing each type supplies: where the
 * starting points of a batch come from (buckshot.c, lattice.c, sparsity.c). */
#ifndef AUGUR_ENSEMBLE_INT_H
#define AUGUR_ENSEMBLE_INT_H

#include "augur/ensemble.h"
#include "solver_int.h"

typedef struct augur_ensemble augur_ensemble;

/* Fill X with m starting points inside box [lo, hi]. */
typedef int (*augur_ens_points_fn)(augur_solver *s, augur_ensemble *e, double *X,
                                   size_t m, const double *lo, const double *hi);

/* Every ensemble type's state starts with this. */
struct augur_ensemble {
    double npts, batches;         /* parameters common to all ensembles */
    augur_ens_points_fn points;   /* set by the type's start */
    const char *label;            /* "Buckshot", for the finished reason */
    /* workspace */
    size_t m;                     /* runs per batch (0 at start: npts) */
    size_t n, done;               /* batches done */
    char *spec;                   /* the handed-down inner spec */
    size_t log_cap;               /* evaluations logged per run (0: none) */
    size_t rec_len;               /* bytes of one output record */
    augur_map *own_map;           /* serial map when the solver has none */
    double *box;                  /* 2n: the box starting points come from */
    double *in, *pop, *pop_f;     /* starts, ends and energies of a batch */
    double *job_in;               /* the job's rows: start, then budget share */
    size_t left;                  /* budget left before the batch (SIZE_MAX: none) */
    int cut;                      /* the budget cut the batch short */
    int own_budget;               /* the type plans budgets itself (ipop) */
    unsigned char *out;
    augur_inner_run *runs;
    double *run_points;           /* per run: start and end, 2n each */
    char *run_reasons;            /* per run: AUGUR__REASON_LEN bytes */
    size_t nruns, runs_cap;
};

#define AUGUR__REASON_LEN 160

/* Parameter table entries every ensemble has, for the types' tables. */
#define AUGUR__ENSEMBLE_PARAMS(state)                                          \
    {.name = "npts", .kind = AUGUR_PARAM_INT, .def = 8, .min = 1, .max = AUGUR_MAX_POINTS,  \
     .offset = offsetof(state, base.npts),                                     \
     .doc = "inner runs per batch (lattice: total grid points)"},              \
    {.name = "batches", .kind = AUGUR_PARAM_INT, .def = 1, .min = 1,           \
     .max = AUGUR_MAX_POINTS, .offset = offsetof(state, base.batches),                      \
     .doc = "batches of inner runs before the ensemble finishes"}

int augur__ensemble_start(augur_solver *s, augur_ensemble *e);
/* The inner spec every run rebuilds its solver from, into e->spec, and
 * the evaluation log's capacity, e->log_cap (ensemble_spec.c). */
int augur__ensemble_make_spec(augur_solver *s, augur_ensemble *e);
int augur__ensemble_step(augur_solver *s, augur_ensemble *e);
/* The ensembles' check hook: a nested solver, and its type's own check
 * (its bounds and start come from the ensemble, per run). */
int augur__ensemble_check(const augur_solver *s, const void *state, char *err,
                          size_t cap);
void augur__ensemble_free(augur_ensemble *e);
/* Checkpoints (ensemble_checkpoint.c): progress at a batch boundary. A
 * restored ensemble has no inner spec; its next step makes it (resume). */
int augur__ensemble_save(const augur_solver *s, const augur_ensemble *e,
                         augur_ckpt *c);
int augur__ensemble_restore(augur_solver *s, augur_ensemble *e, augur_ckpt *c);
int augur__ensemble_resume(augur_solver *s, augur_ensemble *e);
/* Bytes of one nested run's output record (ensemble.c). */
size_t augur__ensemble_record_len(const augur_solver *s, const augur_ensemble *e);
/* The solver types that are ensembles (for augur_ensemble_runs). */
int augur__is_ensemble(const augur_solver *s);

/* Squared distance between a and b scaled by the box widths. */
double augur__scaled_dist2(const double *a, const double *b, const double *lo,
                           const double *hi, size_t n);

/* The rows of a batch of m runs (starts, job rows, ends, their energies),
 * made at start and again by a restore; then what each first batch needs:
 * the output records (their length depends on the monitors attached now)
 * and a serial map when none is set. */
int augur__ensemble_alloc_rows(augur_solver *s, augur_ensemble *e, size_t m);
int augur__ensemble_alloc_outputs(augur_solver *s, augur_ensemble *e);

#endif
