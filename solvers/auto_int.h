/* auto_int.h - private to augur: the auto solver's state, shared by
 * auto.c (the type: its phases, polish and checkpoints) and
 * auto_portfolio.c (the CMA-ES and SHADE members after the first run). */
#ifndef AUGUR_AUTO_INT_H
#define AUGUR_AUTO_INT_H

#include "solver_int.h"

typedef struct auto_state {
    /* parameters */
    double share, polish, radius, regime;
    double shade, lead_share, shade_pop;
    /* workspace */
    double *best;
    double fbest;
    size_t budget;
    char reason[AUGUR_REASON_CAP];
} auto_state;

/* What every run auto makes on the user's cost inherits from s: bounds,
 * sign, map, evaluation monitors (new references), and the constraints
 * and penalty rebuilt from their written form. A failure is s's. */
int augur__auto_hand_over(augur_solver *s, augur_solver *in);

/* After the first CMA-ES run: IPOP's larger runs and SHADE runs, stepped
 * generation by generation on shares of the evaluations up to `end`
 * (auto_portfolio.c). Counts and best point are absorbed into s; a
 * summary is appended to st->reason. */
int augur__auto_portfolio(augur_solver *s, auto_state *st, size_t end);

#endif
