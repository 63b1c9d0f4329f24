/* nlopt_int.h - private to augur: what the NLopt adapter's two files
 * share - the description of an algorithm, the solver state, and the hooks
 * the generated type tables (nlopt_types.c) point at (nlopt.c). */
#ifndef AUGUR_NLOPT_INT_H
#define AUGUR_NLOPT_INT_H

#include <nlopt.h>
#include <stddef.h>
#include "augur/plugin.h"

/* What an algorithm takes beyond the common parameters. */
enum {
    BOX = 1 << 0,          /* NLopt refuses infinite bounds */
    POP = 1 << 1,          /* a population (or MLSL's points per round) */
    LOCAL = 1 << 2,        /* a local optimizer: our "local" choice */
    GRAD = 1 << 3,         /* asks for gradients: finite differences */
    STEP = 1 << 4,         /* uses an initial step (also via its local) */
    K_DIRECT = 1 << 5,     /* NLopt's parameters of cdirect */
    K_ORIG = 1 << 6,       /* ... of Gablonsky's DIRECT */
    K_PRAXIS = 1 << 7,     /* ... of PRAXIS */
    K_CCSA = 1 << 8,       /* ... of MMA and CCSAQ */
    CAP = 1 << 9           /* sizes arrays by maxeval: keep it moderate */
};

typedef struct algorithm {
    nlopt_algorithm alg;
    unsigned flags;
} algorithm;

/* NLopt's algorithm-specific parameters (nlopt_set_param, 2.7+) as 2.7.1
 * reads them (cdirect: magic_eps; Gablonsky's DIRECT: magic_eps,
 * magic_eps_abs, sigma_reltol; PRAXIS: t0_tol; MMA and CCSAQ: inner_maxeval
 * and dual_*; "verbosity" is left out: it prints). Kept together so that
 * the table entries pointing here are recognised; their NLopt name is ours
 * with '-' as '_'. */
typedef struct knobs {
    double magic_eps, magic_eps_abs, sigma_reltol;
    double t0_tol;
    double inner_maxeval, dual_ftol_rel, dual_ftol_abs, dual_xtol_rel,
        dual_xtol_abs, dual_maxeval;
} knobs;

typedef struct nl_state {
    /* parameters (the tables below) */
    double record_every, xtol_rel, ftol_rel, population, initial_step;
    double local, local_xtol_rel, fd, fd_step;
    knobs k;
    /* workspace */
    const algorithm *alg;
    size_t n, every;
    nlopt_opt opt;
    augur_solver *s;       /* the solver stepping, for the objective */
    double *x, *dx, *probe, *known_x;
    double known_f;        /* energy of known_x, the point NLopt starts from */
    int known;             /* NLopt's first call may still be answered */
    double worst;          /* the highest finite energy seen: +inf's stand-in */
    size_t evals_at_record;
    int halt;              /* a checkpoint said stop (1) or failed (< 0) */
} nl_state;

#define KNOB(field) offsetof(nl_state, k) + offsetof(knobs, field)

/* The local optimizers "local" chooses from, in the choice's order. */
extern const nlopt_algorithm augur__nlopt_local_algs[];

/* The algorithm a solver of one of the generated types runs. */
const algorithm *augur__nlopt_algorithm_of(const augur_solver *s);

int augur__nlopt_start(augur_solver *s, void *state);
int augur__nlopt_check(const augur_solver *s, const void *state, char *err,
                       size_t cap);
int augur__nlopt_step(augur_solver *s, void *state);
void augur__nlopt_free(void *state);

#endif
